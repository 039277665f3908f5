//! The register as XLSX (styled header, frozen header row, column widths, NIK/NIP as text, dates
//! as dates) and CSV (RFC 4180, UTF-8, cells that a spreadsheet would take for a formula
//! neutralised). Always the saved data: what the kecamatan sees.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Workbook};
use serde_json::json;

use crate::akun::Akun;
use crate::audit;
use crate::db::Db;
use crate::desa::{self, Desa};
use crate::error::{AppError, Hasil};
use crate::perangkat::data::{Data, tanggal};
use crate::perangkat::medan::KOLOM;
use crate::perangkat::medan::{Ekspor, Isi, MEDAN, Medan};
use crate::wilayah::{KodeWilayah, Tingkat};

/// One exported official: the saved data and where they serve.
pub struct Baris {
    pub desa: Desa,
    pub data: Data,
}

/// A column of the export: made from where the official serves, or a field of the table
/// ([`crate::perangkat::medan`]) with its header and width.
enum KolomEkspor {
    No,
    KodeDesa,
    Desa,
    /// The position as the desa calls it ("Pj. Pembakal"), before the position's code.
    NamaJabatan,
    /// Aktif or Berhenti, after the fields in column order and before those placed behind it.
    Status,
    Medan(&'static Medan, &'static Ekspor),
}

impl KolomEkspor {
    fn kepala(&self) -> (&'static str, f64) {
        match self {
            KolomEkspor::No => ("No", 5.0),
            KolomEkspor::KodeDesa => ("Kode Desa", 15.0),
            KolomEkspor::Desa => ("Desa", 18.0),
            KolomEkspor::NamaJabatan => ("Jabatan", 34.0),
            KolomEkspor::Status => ("Status", 10.0),
            KolomEkspor::Medan(_, e) => (e.kepala, e.lebar),
        }
    }
}

/// The columns, in order.
fn tata() -> &'static [KolomEkspor] {
    static T: OnceLock<Vec<KolomEkspor>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = vec![KolomEkspor::No, KolomEkspor::KodeDesa, KolomEkspor::Desa];
        let medan = |belakang: bool| {
            MEDAN
                .iter()
                .filter_map(move |m| m.ekspor.as_ref().filter(|e| e.belakang == belakang).map(|e| (m, e)))
        };
        for (m, e) in medan(false) {
            if m.kolom == "jabatan" {
                t.push(KolomEkspor::NamaJabatan);
            }
            t.push(KolomEkspor::Medan(m, e));
        }
        t.push(KolomEkspor::Status);
        t.extend(medan(true).map(|(m, e)| KolomEkspor::Medan(m, e)));
        t
    })
}

/// The columns, in order: header and width (characters).
pub fn kolom_ekspor() -> impl ExactSizeIterator<Item = (&'static str, f64)> {
    tata().iter().map(KolomEkspor::kepala)
}

/// A cell: text, or a date.
pub enum Sel {
    Teks(String),
    Tanggal(String),
    Angka(u32),
}

impl Baris {
    pub fn sel(&self, no: u32) -> Vec<Sel> {
        let d = &self.data;
        tata()
            .iter()
            .map(|k| match k {
                KolomEkspor::No => Sel::Angka(no),
                KolomEkspor::KodeDesa => Sel::Teks(self.desa.kode.clone()),
                KolomEkspor::Desa => Sel::Teks(self.desa.nama.clone()),
                KolomEkspor::NamaJabatan => Sel::Teks(d.nama_jabatan(&self.desa)),
                KolomEkspor::Status => Sel::Teks(if d.aktif() { "Aktif" } else { "Berhenti" }.into()),
                KolomEkspor::Medan(m, _) => match m.isi_ekspor(d) {
                    Isi::Tanggal(t) => Sel::Tanggal(t),
                    Isi::Teks(t) => Sel::Teks(t),
                },
            })
            .collect()
    }
}

/// Most rows one export may hold (an XLSX sheet holds 1,048,576); larger scopes are exported
/// per kecamatan or kabupaten.
pub const BARIS_MAKS: i64 = 200_000;

/// The saved officials of a region (a desa, kecamatan, kabupaten or province code; `None`: the
/// user's whole scope), active first. A region outside the scope: not found.
pub async fn ambil(db: &Db, akun: &Akun, wilayah: Option<&str>) -> Hasil<Vec<Baris>> {
    let lingkup = match wilayah {
        None => akun.cakupan.clone(),
        Some(k) => {
            let kode = KodeWilayah::parse(k).map_err(|e| AppError::Validasi(vec![("desa", e.0)]))?;
            if kode.tingkat() == Tingkat::Desa {
                desa::ambil(db, akun, kode.as_str()).await?;
            }
            akun.cakupan.irisan(&kode).ok_or(AppError::TidakDitemukan)?
        }
    };
    let sql_jumlah = format!(
        "SELECT COUNT(*) FROM perangkat_tersimpan WHERE {}",
        lingkup.syarat("desa_kode", 1)
    );
    let jumlah: i64 = crate::read!(db, c => {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql_jumlah)).bind(lingkup.pola()).fetch_one(c).await?
    });
    if jumlah > BARIS_MAKS {
        return Err(AppError::Validasi(vec![(
            "desa",
            format!(
                "Terlalu banyak data untuk satu berkas ({jumlah} baris). Unduh per kecamatan atau kabupaten: tambahkan ?desa=KODE."
            ),
        )]));
    }
    let semua_desa: HashMap<String, Desa> = desa::daftar(db, akun, "")
        .await?
        .into_iter()
        .filter(|d| lingkup.memuat(&d.kode))
        .map(|d| (d.kode.clone(), d))
        .collect();
    let sql = format!(
        "SELECT {} , desa_kode FROM perangkat_tersimpan WHERE {}
         ORDER BY desa_kode, CASE WHEN tanggal_sk_pemberhentian = '' THEN 0 ELSE 1 END,
                  CASE jabatan WHEN 'kepala_desa' THEN 1 WHEN 'sekretaris_desa' THEN 2 WHEN 'kepala_dusun' THEN 4 WHEN 'staf' THEN 5 ELSE 3 END,
                  jabatan, dusun, nama, perangkat_id",
        KOLOM.join(", "),
        lingkup.syarat("desa_kode", 1)
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        data: Data,
        desa_kode: String,
    }
    let rows: Vec<Row> = crate::read!(db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(lingkup.pola()).fetch_all(c).await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            semua_desa.get(&r.desa_kode).map(|d| Baris {
                desa: d.clone(),
                data: r.data.untuk(akun),
            })
        })
        .collect())
}

/// Records an export of personal data in the audit log.
pub async fn catat(
    db: &Db,
    akun: &Akun,
    format: &str,
    desa_kode: Option<&str>,
    jumlah: usize,
    sekarang: i64,
) -> Hasil<()> {
    let mut tx = db.begin().await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::EksporPerangkat,
        &format!("desa:{}", desa_kode.unwrap_or(akun.cakupan.kode())),
        json!({ "format": format, "jumlah": jumlah }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The workbook (CPU work: call from a blocking thread).
pub fn xlsx(baris: &[Baris], judul: &str) -> Result<Vec<u8>, AppError> {
    let gagal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Perangkat Desa").map_err(gagal)?;
    let kepala = format_kepala();
    let teks = Format::new().set_num_format("@");
    let tgl = Format::new().set_num_format("dd/mm/yyyy");
    for (c, (nama, lebar)) in kolom_ekspor().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, nama, &kepala).map_err(gagal)?;
        ws.set_column_width(c, lebar).map_err(gagal)?;
    }
    ws.set_row_height(0, 30).map_err(gagal)?;
    ws.set_freeze_panes(1, 0).map_err(gagal)?;
    for (i, b) in baris.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, sel) in b.sel(r).into_iter().enumerate() {
            let c = c as u16;
            match sel {
                Sel::Angka(n) => {
                    ws.write_number(r, c, n).map_err(gagal)?;
                }
                // Always a string cell (never a formula, never a number: NIK keeps its 16 digits).
                Sel::Teks(s) => {
                    ws.write_string_with_format(r, c, &s, &teks).map_err(gagal)?;
                }
                Sel::Tanggal(s) => match tanggal(&s) {
                    Some(t) => {
                        let dt = ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day()).map_err(gagal)?;
                        ws.write_datetime_with_format(r, c, &dt, &tgl).map_err(gagal)?;
                    }
                    None => {
                        ws.write_string_with_format(r, c, &s, &teks).map_err(gagal)?;
                    }
                },
            }
        }
    }
    if !baris.is_empty() {
        ws.autofilter(0, 0, baris.len() as u32, kolom_ekspor().len() as u16 - 1)
            .map_err(gagal)?;
    }
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(judul)
            .set_author("SIPKATDES"),
    );
    wb.save_to_buffer().map_err(gagal)
}

/// The header cells of every workbook SIPKATDES writes: bold white on the UI's blue, wrapped,
/// framed.
pub fn format_kepala() -> Format {
    Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1D4E89))
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
}

/// Could a spreadsheet take this cell for a formula? A leading `=`, `@`, tab or CR always; a
/// leading `+` or `-` unless the rest is just a number (a phone number "+62…", a "-").
fn seperti_rumus(s: &str) -> bool {
    match s.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !s[1..].chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '.'),
        _ => false,
    }
}

/// A CSV field: quoted when needed; a cell that a spreadsheet would run as a formula is
/// prefixed with `'`.
pub fn sel_csv(s: &str) -> String {
    let aman = if seperti_rumus(s) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if aman.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", aman.replace('"', "\"\""))
    } else {
        aman
    }
}

/// The CSV text: a header row, then one row per official; dates ISO `YYYY-MM-DD`.
pub fn csv(baris: &[Baris]) -> String {
    let mut out = kolom_ekspor().map(|(n, _)| sel_csv(n)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for (i, b) in baris.iter().enumerate() {
        let sel: Vec<String> = b
            .sel(i as u32 + 1)
            .into_iter()
            .map(|s| match s {
                Sel::Angka(n) => n.to_string(),
                Sel::Teks(t) | Sel::Tanggal(t) => sel_csv(&t),
            })
            .collect();
        out.push_str(&sel.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Baris, Sel, kolom_ekspor, sel_csv};
    use crate::perangkat::data::{Data, iso};
    use crate::perangkat::kode::{Agama, AlasanBerhenti, JenisKelamin, Kode, Pendidikan, StatusJabatan, label_dari};

    /// `Baris::sel` as it was written before the field table.
    fn sel_lama(b: &Baris, no: u32) -> Vec<Sel> {
        let desa = &b.desa;
        let d = &b.data;
        let t = |s: &str| Sel::Teks(s.to_string());
        vec![
            Sel::Angka(no),
            t(&desa.kode),
            t(&desa.nama),
            t(&d.nama),
            t(&d.gelar_depan),
            t(&d.gelar_belakang),
            t(&d.nik),
            t(&d.niap),
            t(&d.nip),
            t(label_dari::<JenisKelamin>(&d.jenis_kelamin)),
            t(&d.tempat_lahir),
            Sel::Tanggal(d.tanggal_lahir.clone()),
            t(label_dari::<Agama>(&d.agama)),
            t(Pendidikan::parse(&d.pendidikan_terakhir)
                .map(Pendidikan::kode)
                .unwrap_or(&d.pendidikan_terakhir)),
            t(&d.pangkat_golongan),
            t(&d.nama_jabatan(desa)),
            t(&d.jabatan),
            t(&d.dusun),
            t(label_dari::<StatusJabatan>(&d.status_jabatan)),
            t(&d.nomor_sk_pengangkatan),
            Sel::Tanggal(d.tanggal_sk_pengangkatan.clone()),
            Sel::Tanggal(d.tmt.clone()),
            Sel::Tanggal(d.akhir_masa_jabatan().map(iso).unwrap_or_default()),
            t(&d.nomor_sk_pemberhentian),
            Sel::Tanggal(d.tanggal_sk_pemberhentian.clone()),
            t(if d.alasan_pemberhentian.is_empty() {
                ""
            } else {
                label_dari::<AlasanBerhenti>(&d.alasan_pemberhentian)
            }),
            t(&d.keterangan),
            t(if d.aktif() { "Aktif" } else { "Berhenti" }),
            t(&d.alamat),
            t(&d.nomor_hp),
        ]
    }

    fn teks(v: Vec<Sel>) -> Vec<String> {
        v.into_iter()
            .map(|s| match s {
                Sel::Teks(t) => format!("teks:{t}"),
                Sel::Tanggal(t) => format!("tanggal:{t}"),
                Sel::Angka(n) => format!("angka:{n}"),
            })
            .collect()
    }

    #[test]
    fn sel_dari_tabel_sama() {
        let desa = crate::desa::contoh_hauwai();
        let aktif = Data {
            nama: "Ahmad Fauzi".into(),
            gelar_depan: "Drs.".into(),
            gelar_belakang: "S.Pd.".into(),
            nik: "6311021403850001".into(),
            niap: "2001.01.2020".into(),
            nip: "198503142010011001".into(),
            jenis_kelamin: "L".into(),
            tempat_lahir: "Paringin".into(),
            tanggal_lahir: "1985-03-14".into(),
            agama: "Islam".into(),
            pendidikan_terakhir: "S1".into(),
            pangkat_golongan: "III/a".into(),
            alamat: "=RT 02".into(),
            nomor_hp: "+6281234567890".into(),
            jabatan: "kepala_dusun".into(),
            dusun: "Dusun I".into(),
            status_jabatan: "plt".into(),
            nomor_sk_pengangkatan: "141/05/2020".into(),
            tanggal_sk_pengangkatan: "2010-01-02".into(),
            tmt: "2010-01-02".into(),
            akhir_masa_jabatan_sk: "2030-01-02".into(),
            ..Default::default()
        };
        let berhenti = Data {
            nomor_sk_pemberhentian: "141/09/2024".into(),
            tanggal_sk_pemberhentian: "2024-06-01".into(),
            alasan_pemberhentian: "permintaan_sendiri".into(),
            keterangan: "Pindah domisili".into(),
            jabatan: "kepala_desa".into(),
            pendidikan_terakhir: "tidak dikenal".into(),
            ..aktif.clone()
        };
        for (no, data) in [Data::default(), aktif, berhenti].into_iter().enumerate() {
            let b = Baris {
                desa: desa.clone(),
                data,
            };
            let no = no as u32 + 1;
            assert_eq!(teks(b.sel(no)), teks(sel_lama(&b, no)));
            assert_eq!(b.sel(no).len(), kolom_ekspor().len());
        }
    }

    #[test]
    fn kolom_tetap() {
        // The export's columns as they were before they came from the field table: they keep
        // their places (a new field goes after them).
        let lama: [(&str, f64); 30] = [
            ("No", 5.0),
            ("Kode Desa", 15.0),
            ("Desa", 18.0),
            ("Nama", 26.0),
            ("Gelar Depan", 10.0),
            ("Gelar Belakang", 12.0),
            ("NIK", 19.0),
            ("NIAP/NIPD", 14.0),
            ("NIP", 21.0),
            ("Jenis Kelamin", 13.0),
            ("Tempat Lahir", 14.0),
            ("Tanggal Lahir", 13.0),
            ("Agama", 11.0),
            ("Pendidikan Terakhir", 12.0),
            ("Pangkat/Golongan", 14.0),
            ("Jabatan", 34.0),
            ("Kode Jabatan", 20.0),
            ("Dusun", 14.0),
            ("Status Jabatan", 14.0),
            ("Nomor SK Pengangkatan", 24.0),
            ("Tanggal SK Pengangkatan", 13.0),
            ("TMT", 13.0),
            ("Akhir Masa Jabatan", 13.0),
            ("Nomor SK Pemberhentian", 24.0),
            ("Tanggal SK Pemberhentian", 13.0),
            ("Alasan Pemberhentian", 24.0),
            ("Keterangan", 24.0),
            ("Status", 10.0),
            ("Alamat", 28.0),
            ("Nomor HP", 15.0),
        ];
        assert_eq!(kolom_ekspor().take(lama.len()).collect::<Vec<_>>(), lama);
    }

    #[test]
    fn csv_tanpa_rumus() {
        assert_eq!(sel_csv("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(sel_csv("+62812"), "+62812");
        assert_eq!(sel_csv("-"), "-");
        assert_eq!(sel_csv("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(sel_csv("+HYPERLINK(1)"), "'+HYPERLINK(1)");
        assert_eq!(sel_csv("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(sel_csv("Jl. Poros, RT 02"), "\"Jl. Poros, RT 02\"");
        assert_eq!(sel_csv("biasa"), "biasa");
    }
}
