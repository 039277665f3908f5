//! Rekapitulasi kecamatan: per desa, the active officials by position, vacancies, gender,
//! education, age bands and warnings — as XLSX and as an A4 landscape PDF with the kecamatan's
//! letterhead and the Camat's signature block (typst, data passed as JSON).

use std::sync::OnceLock;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use serde::Serialize;

use super::{KELOMPOK_JABATAN, KELOMPOK_PENDIDIKAN, PITA_UMUR, RekapDesa};
use crate::error::AppError;

/// The columns of the recap after No and Desa, grouped under their headings.
pub fn kolom() -> Vec<(&'static str, Vec<String>)> {
    let mut jabatan: Vec<String> = KELOMPOK_JABATAN.iter().map(|s| s.to_string()).collect();
    jabatan.push("Staf".into());
    jabatan.push("Jumlah".into());
    vec![
        ("Perangkat aktif menurut jabatan", jabatan),
        ("Jabatan kosong", vec!["Kosong".into()]),
        ("Jenis kelamin", vec!["L".into(), "P".into()]),
        (
            "Pendidikan",
            KELOMPOK_PENDIDIKAN.iter().map(|s| s.to_string()).collect(),
        ),
        (
            "Umur",
            PITA_UMUR
                .iter()
                .map(|p| p.0.replace(" tahun", "").replace(" ke atas", "+"))
                .collect(),
        ),
        ("Peringatan", vec!["Peringatan".into()]),
    ]
}

/// The numbers of a row, in the order of [`kolom`].
pub fn angka(r: &RekapDesa) -> Vec<usize> {
    let mut v = r.jabatan.clone();
    v.push(r.aktif);
    v.push(r.kosong);
    v.push(r.laki);
    v.push(r.perempuan);
    v.extend(&r.pendidikan);
    v.extend(&r.umur);
    v.push(r.peringatan);
    v
}

/// The sum of every column.
pub fn jumlah(rekap: &[RekapDesa]) -> Vec<usize> {
    let mut t = vec![0; kolom().iter().map(|k| k.1.len()).sum()];
    for r in rekap {
        for (a, b) in t.iter_mut().zip(angka(r)) {
            *a += b;
        }
    }
    t
}

/// The recap as a workbook: a two-row header (group, column), a row per desa, the total.
pub fn xlsx(rekap: &[RekapDesa], judul: &str) -> Result<Vec<u8>, AppError> {
    let gagal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Rekapitulasi").map_err(gagal)?;
    let kepala = crate::laporan::ekspor::format_kepala()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let teks = Format::new().set_num_format("@").set_border(FormatBorder::Thin);
    let sel = Format::new().set_border(FormatBorder::Thin);
    let tebal = Format::new().set_bold().set_border(FormatBorder::Thin);
    ws.write_string(0, 0, judul).map_err(gagal)?;
    ws.merge_range(2, 0, 3, 0, "No", &kepala).map_err(gagal)?;
    ws.merge_range(2, 1, 3, 1, "Kode", &kepala).map_err(gagal)?;
    ws.merge_range(2, 2, 3, 2, "Desa", &kepala).map_err(gagal)?;
    ws.set_column_width(0, 5).map_err(gagal)?;
    ws.set_column_width(1, 15).map_err(gagal)?;
    ws.set_column_width(2, 22).map_err(gagal)?;
    let mut c: u16 = 3;
    for (grup, isi) in kolom() {
        let akhir = c + isi.len() as u16 - 1;
        if akhir > c {
            ws.merge_range(2, c, 2, akhir, grup, &kepala).map_err(gagal)?;
        } else {
            ws.write_string_with_format(2, c, grup, &kepala).map_err(gagal)?;
        }
        for (i, k) in isi.iter().enumerate() {
            let ci = c + i as u16;
            ws.write_string_with_format(3, ci, k, &kepala).map_err(gagal)?;
            ws.set_column_width(ci, 10).map_err(gagal)?;
        }
        c = akhir + 1;
    }
    ws.set_row_height(2, 30).map_err(gagal)?;
    ws.set_row_height(3, 30).map_err(gagal)?;
    ws.set_freeze_panes(4, 3).map_err(gagal)?;
    for (i, r) in rekap.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &sel)
            .map_err(gagal)?;
        ws.write_string_with_format(row, 1, &r.kode, &teks).map_err(gagal)?;
        ws.write_string_with_format(row, 2, &r.nama, &teks).map_err(gagal)?;
        for (j, n) in angka(r).into_iter().enumerate() {
            ws.write_number_with_format(row, 3 + j as u16, n as f64, &sel)
                .map_err(gagal)?;
        }
    }
    let row = 4 + rekap.len() as u32;
    ws.write_string_with_format(row, 2, "Jumlah", &tebal).map_err(gagal)?;
    for (j, n) in jumlah(rekap).into_iter().enumerate() {
        ws.write_number_with_format(row, 3 + j as u16, n as f64, &tebal)
            .map_err(gagal)?;
    }
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(judul)
            .set_author("SIPKATDES"),
    );
    wb.save_to_buffer().map_err(gagal)
}

/// What the PDF shows.
#[derive(Clone, Debug, Serialize)]
pub struct DataRekap {
    pub judul: String,
    pub kop: Vec<String>,
    pub kolom: Vec<(String, Vec<String>)>,
    pub baris: Vec<(String, Vec<usize>)>,
    pub jumlah: Vec<usize>,
    pub tempat_tanggal: String,
    pub jabatan_penanda: String,
    /// The signer's name and NIP (the Camat's, from the kecamatan's settings); empty: dotted
    /// lines to fill in by hand.
    pub nama_penanda: String,
    pub nip_penanda: String,
    pub dicetak: String,
}

impl DataRekap {
    pub fn baru(
        rekap: &[RekapDesa],
        judul: String,
        kop: Vec<String>,
        tempat_tanggal: String,
        jabatan_penanda: String,
        dicetak: String,
    ) -> Self {
        DataRekap {
            judul,
            kop,
            kolom: kolom().into_iter().map(|(g, k)| (g.to_string(), k)).collect(),
            baris: rekap.iter().map(|r| (r.nama.clone(), angka(r))).collect(),
            jumlah: jumlah(rekap),
            tempat_tanggal,
            jabatan_penanda,
            nama_penanda: String::new(),
            nip_penanda: String::new(),
            dicetak,
        }
    }
}

/// The recap PDF (CPU work: call from a blocking thread).
pub fn pdf(data: &DataRekap) -> Result<Vec<u8>, AppError> {
    static MESIN: OnceLock<crate::laporan::pdf::Mesin> = OnceLock::new();
    let mesin = crate::laporan::pdf::mesin(&MESIN, include_str!("../laporan/templat/rekap.typ"));
    crate::laporan::pdf::render(mesin, data, &data.judul)
}
