//! The import template (XLSX): the register's columns in Bahasa Indonesia, drop-down lists for
//! position, sex, religion, education and position status (data validation), NIK and NIP
//! formatted as text, one example row, and an instructions sheet.

use rust_xlsxwriter::{Color, DataValidation, Format, Formula, Workbook};

use crate::desa::Desa;
use crate::desa::jabatan::Jabatan;
use crate::error::AppError;
use crate::perangkat::kode::{Agama, JenisKelamin, Kode, Pendidikan, StatusJabatan};

/// The template's columns: header, width, example value.
pub const KOLOM: [(&str, f64, &str); 21] = [
    ("Nama", 26.0, "CONTOH: Ahmad Fauzi"),
    ("Gelar Depan", 10.0, ""),
    ("Gelar Belakang", 12.0, "S.Pd."),
    ("NIK", 19.0, "6311021403850001"),
    ("NIAP/NIPD", 14.0, ""),
    ("NIP", 21.0, ""),
    ("Jenis Kelamin", 13.0, "L"),
    ("Tempat Lahir", 14.0, "Paringin"),
    ("Tanggal Lahir", 13.0, "14-03-1985"),
    ("Agama", 12.0, "Islam"),
    ("Pendidikan Terakhir", 12.0, "S1"),
    ("Pangkat/Golongan", 14.0, ""),
    ("Alamat", 28.0, "RT 02 Dusun I"),
    ("Nomor HP", 15.0, "081234567890"),
    ("Jabatan", 34.0, "Kepala Urusan Keuangan"),
    ("Dusun", 14.0, ""),
    ("Status Jabatan", 13.0, "definitif"),
    ("Nomor SK Pengangkatan", 24.0, "141/05/DESA/2020"),
    ("Tanggal SK Pengangkatan", 13.0, "02-01-2020"),
    ("TMT", 13.0, "02-01-2020"),
    ("Keterangan", 24.0, ""),
];

const PETUNJUK: &[&str] = &[
    "Petunjuk pengisian templat impor perangkat desa (SIPKATDES)",
    "",
    "1. Isi satu baris untuk setiap perangkat pada lembar \"Perangkat\", mulai baris 3. Hapus baris CONTOH (baris yang namanya diawali CONTOH dilewati).",
    "2. NIK dan NIP diketik sebagai teks (kolom sudah berformat Teks): jangan biarkan Excel mengubahnya menjadi angka seperti 6.31102E+15.",
    "3. Jabatan, Jenis Kelamin, Agama, Pendidikan Terakhir dan Status Jabatan dipilih dari daftar (klik sel, lalu panah).",
    "4. Kepala Dusun: isi kolom Dusun dengan nama dusun sesuai pengaturan desa.",
    "5. Tanggal boleh ditulis 14-03-1985, 14/03/1985, 14 Maret 1985, atau sebagai tanggal Excel.",
    "6. Unggah di SIPKATDES: Desa → Impor dari Excel/CSV. Setiap baris diperiksa seperti formulir; baris yang salah dapat dilewati.",
    "7. Baris yang diimpor menjadi DRAF: unggah SK masing-masing lalu lakukan Pemeriksaan (Sesuai — Simpan) seperti biasa.",
];

/// The template for a desa (its position names and dusun in the lists).
pub fn xlsx(desa: &Desa, dusun: &[String]) -> Result<Vec<u8>, AppError> {
    let gagal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let kepala = crate::laporan::ekspor::format_kepala();
    let teks = Format::new().set_num_format("@");
    let contoh = Format::new()
        .set_num_format("@")
        .set_italic()
        .set_font_color(Color::RGB(0x555F6B));

    // The lists, on their own sheet (Excel limits an inline list to 255 characters).
    let jabatan: Vec<String> = desa
        .struktur()
        .jabatan()
        .iter()
        .map(|j| desa.nama_jabatan(*j))
        .chain(
            [Jabatan::KepalaDusun, Jabatan::Staf]
                .iter()
                .map(|j| desa.nama_jabatan(*j)),
        )
        .collect();
    let daftar: Vec<(&str, Vec<String>)> = vec![
        ("Jabatan", jabatan),
        (
            "Jenis Kelamin",
            JenisKelamin::SEMUA.iter().map(|k| k.kode().to_string()).collect(),
        ),
        ("Agama", Agama::SEMUA.iter().map(|k| k.kode().to_string()).collect()),
        (
            "Pendidikan Terakhir",
            Pendidikan::SEMUA.iter().map(|k| k.kode().to_string()).collect(),
        ),
        (
            "Status Jabatan",
            StatusJabatan::SEMUA.iter().map(|k| k.kode().to_string()).collect(),
        ),
        ("Dusun", dusun.to_vec()),
    ];

    let ws = wb.add_worksheet();
    ws.set_name("Perangkat").map_err(gagal)?;
    ws.write_string(
        0,
        0,
        format!(
            "Templat impor perangkat Desa {} — baris judul kolom di baris 2, data mulai baris 3",
            desa.nama
        ),
    )
    .map_err(gagal)?;
    for (c, (nama, lebar, nilai)) in KOLOM.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(1, c, *nama, &kepala).map_err(gagal)?;
        ws.set_column_width(c, *lebar).map_err(gagal)?;
        ws.set_column_format(c, &teks).map_err(gagal)?;
        ws.write_string_with_format(2, c, *nilai, &contoh).map_err(gagal)?;
    }
    ws.set_row_height(1, 30).map_err(gagal)?;
    ws.set_freeze_panes(2, 1).map_err(gagal)?;
    for (k, (nama, isi)) in daftar.iter().enumerate() {
        if isi.is_empty() {
            continue;
        }
        let c = KOLOM.iter().position(|(h, _, _)| h == nama).unwrap_or(0) as u16;
        let huruf = (b'A' + k as u8) as char;
        let rumus = Formula::new(format!("=Daftar!${huruf}$2:${huruf}${}", isi.len() + 1));
        let v = DataValidation::new()
            .allow_list_formula(rumus)
            .set_error_title("Nilai tidak ada di daftar")
            .map_err(gagal)?
            .set_error_message(format!("Pilih {} dari daftar.", nama.to_lowercase()))
            .map_err(gagal)?;
        ws.add_data_validation(2, c, 2001, c, &v).map_err(gagal)?;
    }

    let d = wb.add_worksheet();
    d.set_name("Daftar").map_err(gagal)?;
    for (k, (nama, isi)) in daftar.iter().enumerate() {
        let c = k as u16;
        d.write_string_with_format(0, c, *nama, &kepala).map_err(gagal)?;
        d.set_column_width(c, 30).map_err(gagal)?;
        for (r, v) in isi.iter().enumerate() {
            d.write_string(r as u32 + 1, c, v).map_err(gagal)?;
        }
    }

    let p = wb.add_worksheet();
    p.set_name("Petunjuk").map_err(gagal)?;
    p.set_column_width(0, 120).map_err(gagal)?;
    for (r, t) in PETUNJUK.iter().enumerate() {
        p.write_string(r as u32, 0, *t).map_err(gagal)?;
    }
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(format!("Templat impor perangkat Desa {}", desa.nama))
            .set_author("SIPKATDES"),
    );
    wb.save_to_buffer().map_err(gagal)
}
