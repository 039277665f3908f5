//! Bulk import from XLSX or CSV with a row-by-row preview. The desa's own spreadsheet — in its
//! own column order, with the usual header spellings — is read into rows; every row is checked
//! with the same rules as the form; duplicates within the file and against the register are
//! flagged. Nothing is written until the operator confirms, and confirmed rows become drafts
//! that still need their SK and the check (SOP step 4 is never skipped).

pub mod templat;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use crate::desa::Desa;
use crate::desa::jabatan::{Jabatan, SEMUA_JABATAN};
use crate::perangkat::aturan::{Konteks, Peringatan};
use crate::perangkat::data::{Data, iso};
use crate::perangkat::kode::{Agama, Kode, Pendidikan, StatusJabatan};
use crate::perangkat::medan::{self, Jenis};

/// The most rows one file may have.
pub const BATAS_BARIS: usize = 5_000;
/// The largest file accepted, in bytes.
pub const BATAS_UKURAN: usize = 10 * 1024 * 1024;

/// Why a file cannot be read at all (nothing is written).
#[derive(Debug, PartialEq, Eq)]
pub struct Tolak(pub String);

/// A field of the register a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kolom {
    Data(&'static str),
    /// "Tempat/Tgl Lahir" in one cell.
    TempatTanggalLahir,
    /// "Kode Jabatan" (the export's code column) wins over "Jabatan" (a name).
    KodeJabatan,
}

/// Header spellings, normalised (lower case, letters and digits only): a field's own from the
/// field table, and the two that are not one field.
fn kenali_kepala(h: &str) -> Option<Kolom> {
    let n: String = h.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    if let Some(m) = medan::dari_kepala(&n) {
        return Some(Kolom::Data(m.kolom));
    }
    Some(match n.as_str() {
        "tempattanggallahir" | "tempattgllahir" | "ttl" | "tempatdantanggallahir" | "tempatdantgllahir" => {
            Kolom::TempatTanggalLahir
        }
        "kodejabatan" => Kolom::KodeJabatan,
        _ => return None,
    })
}

/// A cell as read from the file.
#[derive(Clone, Debug, PartialEq)]
pub enum Sel {
    Kosong,
    Teks(String),
    Angka(f64),
    /// A date cell, as an ISO date.
    Tanggal(String),
}

/// A cell's text without control characters (issue 15, point 4): a spreadsheet carries stray
/// ones (a NUL, a vertical tab from Alt+Enter in old Excel) that PostgreSQL would refuse and
/// that have no place in the register. Removed, not refused: the preview shows what is kept.
fn tanpa_kendali(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

impl Sel {
    fn teks(&self) -> String {
        match self {
            Sel::Kosong => String::new(),
            Sel::Teks(s) => tanpa_kendali(s).trim().to_string(),
            Sel::Angka(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Sel::Angka(f) => f.to_string(),
            Sel::Tanggal(d) => d.clone(),
        }
    }

    fn kosong(&self) -> bool {
        match self {
            Sel::Kosong => true,
            Sel::Teks(s) => tanpa_kendali(s).trim().is_empty(),
            _ => false,
        }
    }
}

/// Excel's day number (1900 system) as a date.
fn tanggal_excel(f: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&f) {
        return None;
    }
    let awal = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    awal.checked_add(Duration::days(f.trunc() as i64))
}

/// Reads the first sheet of an XLSX file, or a CSV file (comma or semicolon), as rows of cells.
pub fn baca(isi: &[u8]) -> Result<Vec<Vec<Sel>>, Tolak> {
    if isi.is_empty() {
        return Err(Tolak(
            "Berkas kosong. Pilih berkas XLSX atau CSV yang berisi data perangkat.".into(),
        ));
    }
    if isi.len() > BATAS_UKURAN {
        return Err(Tolak(format!(
            "Berkas terlalu besar (paling besar {} MB). Pecah menjadi beberapa berkas.",
            BATAS_UKURAN / (1024 * 1024)
        )));
    }
    if isi.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Tolak(
            "Berkas ini dilindungi kata sandi atau berformat Excel lama (.xls). Buka di Excel, hapus kata sandinya, lalu simpan sebagai .xlsx."
                .into(),
        ));
    }
    if isi.starts_with(b"PK\x03\x04") {
        return baca_xlsx(isi);
    }
    if let Some(j) = crate::dokumen::kenali(isi) {
        return Err(Tolak(format!(
            "Berkas ini {}, bukan lembar kerja. Impor membaca berkas Excel (.xlsx) atau CSV; pindaian SK diunggah di halaman perangkat.",
            match j {
                crate::dokumen::Jenis::Pdf => "PDF",
                _ => "gambar",
            }
        )));
    }
    let teks = std::str::from_utf8(isi.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(isi)).map_err(|_| {
        Tolak("Berkas bukan XLSX dan bukan CSV (teks UTF-8). Simpan dari Excel sebagai .xlsx atau CSV UTF-8.".into())
    })?;
    if teks.contains('\0') {
        return Err(Tolak(
            "Berkas bukan XLSX dan bukan CSV. Simpan dari Excel sebagai .xlsx atau CSV UTF-8.".into(),
        ));
    }
    Ok(baca_csv(teks))
}

/// The most an XLSX may hold once unzipped (all its parts together).
const BATAS_XLSX_TERURAI: u64 = 64 * 1024 * 1024;

/// The widest sheet read: columns beyond it are never data of the register.
const BATAS_KOLOM: u32 = 200;

/// Reads the cells one by one (never a dense copy of the sheet's claimed extent: a file with
/// one value in A1 and one in XFD1048576 must not ask for gigabytes), keeping non-empty cells
/// within the row and column limits.
fn baca_xlsx(isi: &[u8]) -> Result<Vec<Vec<Sel>>, Tolak> {
    use calamine::{DataRef as C, Reader, Xlsx};
    let rusak =
        || Tolak("Berkas XLSX rusak atau tidak dapat dibaca. Simpan ulang dari Excel lalu unggah kembali.".into());
    // A zip bomb (a few kilobytes that open to gigabytes) is refused before anything is opened:
    // the parts of a real register sheet are a few megabytes at most.
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(isi)).map_err(|_| rusak())?;
    let mut terurai = 0u64;
    for i in 0..z.len() {
        terurai += z.by_index_raw(i).map_err(|_| rusak())?.size();
    }
    if terurai > BATAS_XLSX_TERURAI {
        return Err(Tolak(format!(
            "Isi berkas XLSX terlalu besar setelah dibuka (lebih dari {} MB). Simpan hanya lembar data perangkat, lalu unggah kembali.",
            BATAS_XLSX_TERURAI / (1024 * 1024)
        )));
    }
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(isi)).map_err(|_| rusak())?;
    let nama = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| Tolak("Berkas XLSX tidak memiliki lembar kerja.".into()))?;
    let mut r = wb.worksheet_cells_reader(&nama).map_err(|_| rusak())?;
    let mut baris: Vec<Vec<Sel>> = Vec::new();
    while let Some(c) = r.next_cell().map_err(|_| rusak())? {
        let sel = match c.get_value() {
            C::Empty | C::Error(_) => continue,
            C::String(s) | C::DurationIso(s) => Sel::Teks(s.clone()),
            C::SharedString(s) => Sel::Teks(s.to_string()),
            C::DateTimeIso(s) => match s.get(..10).filter(|d| crate::perangkat::data::tanggal(d).is_some()) {
                Some(d) => Sel::Tanggal(d.to_string()),
                None => Sel::Teks(s.clone()),
            },
            C::Float(f) => Sel::Angka(*f),
            C::Int(i) => Sel::Angka(*i as f64),
            C::Bool(b) => Sel::Teks(if *b { "ya" } else { "tidak" }.into()),
            // The workbook's own date system (1900 or 1904).
            C::DateTime(d) => {
                let (y, m, h, ..) = d.to_ymd_hms_milli();
                match Month::try_from(m)
                    .ok()
                    .and_then(|m| Date::from_calendar_date(i32::from(y), m, h).ok())
                {
                    Some(t) => Sel::Tanggal(iso(t)),
                    None => Sel::Kosong,
                }
            }
        };
        if sel.kosong() {
            continue;
        }
        let (row, col) = c.get_position();
        if row as usize >= BATAS_BARIS + 20 {
            return Err(Tolak(format!(
                "Berkas memuat lebih dari {BATAS_BARIS} baris; pecah menjadi beberapa berkas."
            )));
        }
        if col >= BATAS_KOLOM {
            continue;
        }
        let (row, col) = (row as usize, col as usize);
        if baris.len() <= row {
            baris.resize(row + 1, Vec::new());
        }
        let b = &mut baris[row];
        if b.len() <= col {
            b.resize(col + 1, Sel::Kosong);
        }
        b[col] = sel;
    }
    Ok(baris)
}

/// RFC 4180 CSV; the delimiter is the one of `,` and `;` that the first lines (a title line may
/// come before the header) use most.
fn baca_csv(teks: &str) -> Vec<Vec<Sel>> {
    // Old Mac files end lines with CR only.
    let teks = if !teks.contains('\n') {
        teks.replace('\r', "\n")
    } else {
        teks.to_string()
    };
    let teks = teks.as_str();
    let hitung = |c: char| {
        let mut kutip = false;
        let mut n = 0;
        for ch in teks
            .lines()
            .take(20)
            .flat_map(|l| l.chars().chain(std::iter::once('\n')))
        {
            if ch == '"' {
                kutip = !kutip;
            } else if ch == c && !kutip {
                n += 1;
            }
        }
        n
    };
    let pemisah = if hitung(';') > hitung(',') { ';' } else { ',' };
    let mut baris = Vec::new();
    let mut sel = String::new();
    let mut kini: Vec<Sel> = Vec::new();
    let mut kutip = false;
    let mut it = teks.chars().peekable();
    let tutup = |s: &mut String| {
        if s.trim().is_empty() {
            Sel::Kosong
        } else {
            Sel::Teks(std::mem::take(s))
        }
    };
    while let Some(c) = it.next() {
        match c {
            '"' if kutip && it.peek() == Some(&'"') => {
                sel.push('"');
                it.next();
            }
            '"' => kutip = !kutip,
            c if c == pemisah && !kutip => {
                kini.push(tutup(&mut sel));
                sel.clear();
            }
            '\r' if !kutip => {}
            '\n' if !kutip => {
                kini.push(tutup(&mut sel));
                sel.clear();
                baris.push(std::mem::take(&mut kini));
            }
            c => sel.push(c),
        }
    }
    if !sel.is_empty() || !kini.is_empty() {
        kini.push(tutup(&mut sel));
        baris.push(kini);
    }
    baris
}

/// One row of the preview.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BarisImpor {
    /// The row number in the file (1 = the first line), as the operator sees it in Excel.
    pub nomor: usize,
    pub data: Data,
    /// Errors: the row cannot be imported as it is.
    pub galat: Vec<(String, String)>,
    pub peringatan: Vec<String>,
}

impl BarisImpor {
    pub fn bisa(&self) -> bool {
        self.galat.is_empty()
    }
}

/// The preview of a file: its rows, and what was recognised.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pratinjau {
    pub baris: Vec<BarisImpor>,
    /// The headers recognised, as written in the file.
    pub kolom_dikenali: Vec<String>,
    /// Headers that were not recognised (ignored).
    pub kolom_diabaikan: Vec<String>,
}

impl Pratinjau {
    pub fn siap(&self) -> usize {
        self.baris.iter().filter(|b| b.bisa()).count()
    }
}

/// The header row: among the first rows, the one with the most recognised headers.
fn cari_kepala(baris: &[Vec<Sel>]) -> Option<(usize, Vec<Option<Kolom>>)> {
    let mut terbaik: Option<(usize, Vec<Option<Kolom>>, usize)> = None;
    for (i, b) in baris.iter().enumerate().take(15) {
        let k: Vec<Option<Kolom>> = b.iter().map(|s| kenali_kepala(&s.teks())).collect();
        let n = k.iter().flatten().count();
        let ada_nama = k.contains(&Some(Kolom::Data("nama")));
        if ada_nama && n >= 2 && terbaik.as_ref().is_none_or(|t| n > t.2) {
            terbaik = Some((i, k, n));
        }
    }
    terbaik.map(|(i, k, _)| (i, k))
}

/// Normalises the usual ways people write coded values.
fn kode_jenis_kelamin(s: &str) -> String {
    let n = s.trim().to_lowercase();
    match n.as_str() {
        "l" | "lk" | "laki-laki" | "laki laki" | "laki" | "pria" => "L".into(),
        "p" | "pr" | "perempuan" | "wanita" => "P".into(),
        _ => s.trim().to_string(),
    }
}

fn kode_agama(s: &str) -> String {
    let n = s.trim().to_lowercase();
    let n = match n.as_str() {
        "kristen protestan" | "protestan" => "kristen",
        "katholik" | "kristen katolik" => "katolik",
        "budha" => "buddha",
        "konghucu" | "khong hu cu" => "khonghucu",
        x => x,
    };
    Agama::SEMUA
        .iter()
        .find(|a| a.kode().eq_ignore_ascii_case(n) || a.label().eq_ignore_ascii_case(n))
        .map(|a| a.kode().to_string())
        .unwrap_or_else(|| s.trim().to_string())
}

fn kode_pendidikan(s: &str) -> String {
    let n: String = s
        .trim()
        .to_uppercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let k = match n.as_str() {
        "SD" | "SDSEDERAJAT" | "MI" => "SD",
        "SMP" | "SLTP" | "MTS" | "SMPSEDERAJAT" => "SMP",
        "SMA" | "SLTA" | "SMK" | "MA" | "STM" | "SMEA" | "SMASEDERAJAT" | "SMASMKMASEDERAJAT" | "PAKETC" => "SMA",
        "D1" | "DI" => "D1",
        "D2" | "DII" => "D2",
        "D3" | "DIII" => "D3",
        "D4" | "DIV" => "D4",
        "S1" | "SARJANA" | "SARJANAS1" => "S1",
        "S2" | "MAGISTER" | "MAGISTERS2" => "S2",
        "S3" | "DOKTOR" | "DOKTORS3" => "S3",
        _ => return s.trim().to_string(),
    };
    Pendidikan::parse(k).map(|p| p.kode().to_string()).unwrap_or_default()
}

fn kode_status(s: &str) -> String {
    let n = s.trim().to_lowercase().replace('.', "");
    if n.is_empty() {
        return StatusJabatan::Definitif.kode().into();
    }
    StatusJabatan::SEMUA
        .iter()
        .find(|k| k.kode() == n || k.label().to_lowercase().replace('.', "") == n || n.starts_with(k.kode()))
        .map(|k| k.kode().to_string())
        .unwrap_or_else(|| s.trim().to_string())
}

/// `t` without the prefix `awal`, compared case-insensitively character by character (never
/// a byte offset taken from a changed copy of `t`).
fn tanpa_awalan<'a>(t: &'a str, awal: &str) -> Option<&'a str> {
    let mut it = t.char_indices();
    for a in awal.chars() {
        let (_, c) = it.next()?;
        if !c.to_lowercase().eq(a.to_lowercase()) {
            return None;
        }
    }
    Some(it.next().map(|(i, _)| &t[i..]).unwrap_or(""))
}

/// A position as written in a sheet.
#[derive(Debug, PartialEq, Eq)]
struct JabatanDibaca {
    jabatan: String,
    dusun: Option<String>,
    /// "Plt. Sekretaris Desa": the status written with the position.
    status: Option<&'static str>,
}

/// A position written as a code, its name, the desa's local title ("Pembakal"), a common short
/// form ("Kaur Keuangan", "Kasi Pelayanan", "Sekdes"), with "Plt."/"Pj."/"Plh." in front, or
/// "Kepala Dusun I" (the dusun follows).
fn kode_jabatan(s: &str, desa: &Desa) -> JabatanDibaca {
    let mut t = s.trim();
    let mut status = None;
    for (awal, kode) in [
        ("plt.", "plt"),
        ("plt ", "plt"),
        ("pj.", "pj"),
        ("pj ", "pj"),
        ("plh.", "plh"),
        ("plh ", "plh"),
    ] {
        if let Some(sisa) = tanpa_awalan(t, awal) {
            t = sisa.trim();
            status = Some(kode);
            break;
        }
    }
    let hasil = |j: Jabatan, dusun: Option<String>| JabatanDibaca {
        jabatan: j.kode().into(),
        dusun,
        status,
    };
    let n = t.to_lowercase().replace('.', "");
    if let Some(j) = Jabatan::parse(&n) {
        return hasil(j, None);
    }
    let pendek = |j: Jabatan| -> String {
        j.nama()
            .to_lowercase()
            .replace("kepala urusan", "kaur")
            .replace("kepala seksi", "kasi")
    };
    for j in SEMUA_JABATAN {
        if n == j.nama().to_lowercase() || n == desa.nama_jabatan(j).to_lowercase() || n == pendek(j) {
            return hasil(j, None);
        }
    }
    match n.as_str() {
        "sekdes" | "carik" => return hasil(Jabatan::SekretarisDesa, None),
        "kades" | "pembakal" | "kepala kampung" => return hasil(Jabatan::KepalaDesa, None),
        _ => {}
    }
    let sebutan = desa.sebutan_kepala_dusun.clone();
    for awal in [sebutan.as_str(), "kepala dusun", "kadus", "kepala wilayah"] {
        if let Some(sisa) = tanpa_awalan(t, awal) {
            let sisa = sisa.trim();
            let dusun = (!sisa.is_empty()).then(|| {
                if tanpa_awalan(sisa, "dusun").is_some() {
                    sisa.to_string()
                } else {
                    format!("Dusun {sisa}")
                }
            });
            return hasil(Jabatan::KepalaDusun, dusun);
        }
    }
    JabatanDibaca {
        jabatan: t.to_string(),
        dusun: None,
        status,
    }
}

/// Dates as people type them: "1985-03-14", "14-03-1985", "14/03/1985", "14.03.1985",
/// "14 Maret 1985", "14 Mar 1985"; an Excel date cell. Otherwise the text itself (the rules
/// then name it).
fn tanggal_dari(s: &Sel) -> String {
    if let Sel::Tanggal(d) = s {
        return d.clone();
    }
    // A date cell without a date format: Excel's day number.
    if let Sel::Angka(f) = s
        && let Some(d) = tanggal_excel(*f)
        && (20_000.0..80_000.0).contains(f)
    {
        return iso(d);
    }
    let t = s.teks();
    crate::perangkat::data::iso_ketikan(&t)
}

/// "Paringin, 14-03-1985" → ("Paringin", "1985-03-14"); without the comma too, when the text
/// ends with a date as people write it ("Paringin 15 Mei 1990", "Tanjung Tabalong 15/05/1990").
fn pisah_ttl(t: &str) -> Option<(String, String)> {
    if let Some((tempat, tgl)) = t.rsplit_once(',') {
        return Some((
            tempat.trim().to_string(),
            tanggal_dari(&Sel::Teks(tgl.trim().to_string())),
        ));
    }
    let kata: Vec<&str> = t.split_whitespace().collect();
    // The date is the last word ("15-05-1990") or the last three ("15 Mei 1990").
    for n in [3, 1] {
        if kata.len() <= n {
            continue;
        }
        let (tempat, tgl) = kata.split_at(kata.len() - n);
        let iso = tanggal_dari(&Sel::Teks(tgl.join(" ")));
        if crate::perangkat::data::tanggal(&iso).is_some() {
            return Some((tempat.join(" "), iso));
        }
    }
    None
}

/// Builds the preview: every row checked with the form's rules, duplicates flagged. `terdaftar`
/// maps NIK already in the register (saved or being worked on, the whole instance) to where.
pub fn pratinjau(
    baris: Vec<Vec<Sel>>,
    desa: &Desa,
    dusun: &[String],
    terdaftar: &HashMap<String, String>,
    hari_ini: Date,
) -> Result<Pratinjau, Tolak> {
    let (i_kepala, kolom) = cari_kepala(&baris).ok_or_else(|| {
        Tolak(
            "Baris judul kolom tidak ditemukan: perlu kolom \"Nama\" dan kolom lain seperti \"NIK\" atau \"Jabatan\" pada 15 baris pertama. Pakai templat impor bila ragu."
                .into(),
        )
    })?;
    let kepala = &baris[i_kepala];
    let mut dikenali = Vec::new();
    let mut diabaikan = Vec::new();
    for (s, k) in kepala.iter().zip(&kolom) {
        let t = s.teks();
        if t.is_empty() {
            continue;
        }
        if k.is_some() {
            dikenali.push(t)
        } else {
            diabaikan.push(t)
        }
    }
    let ada_kode_jabatan = kolom.contains(&Some(Kolom::KodeJabatan));
    let konteks = Konteks { desa, dusun, hari_ini };
    let mut hasil: Vec<BarisImpor> = Vec::new();
    let mut nik_di_berkas: HashMap<String, usize> = HashMap::new();
    for (i, b) in baris.iter().enumerate().skip(i_kepala + 1) {
        if b.iter().all(Sel::kosong) {
            continue; // blank rows
        }
        if hasil.len() >= BATAS_BARIS {
            return Err(Tolak(format!(
                "Berkas memuat lebih dari {BATAS_BARIS} baris data; pecah menjadi beberapa berkas."
            )));
        }
        let mut d = Data::default();
        let mut galat: Vec<(String, String)> = Vec::new();
        let mut status_tertulis: Option<&'static str> = None;
        for (s, k) in b.iter().zip(&kolom) {
            let Some(k) = k else { continue };
            match k {
                Kolom::TempatTanggalLahir => {
                    let t = s.teks();
                    match pisah_ttl(&t) {
                        Some((tempat, tgl)) => {
                            d.tempat_lahir = tempat;
                            d.tanggal_lahir = tgl;
                        }
                        None => galat.push((
                            "tanggal_lahir".into(),
                            format!("Tempat/Tgl lahir \"{t}\" tidak terbaca: tulis \"Paringin, 14-03-1985\"."),
                        )),
                    }
                }
                Kolom::KodeJabatan => d.jabatan = s.teks(),
                Kolom::Data(f) => {
                    let v = match *f {
                        f if medan::cari(f).is_some_and(|m| matches!(m.jenis, Jenis::Tanggal)) => tanggal_dari(s),
                        "jenis_kelamin" => kode_jenis_kelamin(&s.teks()),
                        "agama" => kode_agama(&s.teks()),
                        "pendidikan_terakhir" => kode_pendidikan(&s.teks()),
                        "status_jabatan" => kode_status(&s.teks()),
                        "jabatan" if ada_kode_jabatan => continue,
                        "jabatan" => {
                            let j = kode_jabatan(&s.teks(), desa);
                            if let Some(du) = j.dusun
                                && d.dusun.is_empty()
                            {
                                d.dusun = du;
                            }
                            status_tertulis = j.status;
                            j.jabatan
                        }
                        "nik" | "nip" => match s {
                            Sel::Angka(_) => {
                                galat.push((
                                    f.to_string(),
                                    format!(
                                        "{} tersimpan sebagai angka oleh Excel ({}); digit terakhirnya bisa hilang. Format kolom sebagai Teks, ketik ulang dari KTP, lalu unggah kembali.",
                                        if *f == "nik" { "NIK" } else { "NIP" },
                                        s.teks()
                                    ),
                                ));
                                String::new()
                            }
                            _ => {
                                let t = s.teks();
                                if t.to_uppercase().contains("E+") {
                                    galat.push((
                                        f.to_string(),
                                        format!("{} tertulis \"{t}\" (diubah Excel menjadi angka); digit aslinya hilang. Format kolom sebagai Teks dan ketik ulang.", if *f == "nik" { "NIK" } else { "NIP" }),
                                    ));
                                    String::new()
                                } else {
                                    t.replace([' ', '\''], "")
                                }
                            }
                        },
                        _ => s.teks(),
                    };
                    set(&mut d, f, v);
                }
            }
        }
        // The template's example row.
        if d.nama.trim().to_uppercase().starts_with("CONTOH") {
            continue;
        }
        if d.status_jabatan.is_empty()
            || (d.status_jabatan == StatusJabatan::Definitif.kode() && status_tertulis.is_some())
        {
            d.status_jabatan = status_tertulis.unwrap_or(StatusJabatan::Definitif.kode()).into();
        }
        if d.jabatan == Jabatan::KepalaDusun.kode() && d.dusun.is_empty() && dusun.len() == 1 {
            d.dusun = dusun[0].clone();
        }
        let mut peringatan: Vec<String> = Vec::new();
        let data = match d.validasi(&konteks) {
            Ok(v) => v,
            Err(g) => {
                galat.extend(g.into_iter().map(|(f, m)| (f.to_string(), m)));
                d.clone()
            }
        };
        // Galat may repeat a field (NIK as a number, then "NIK wajib diisi"): keep the first.
        let mut dilihat = std::collections::HashSet::new();
        galat.retain(|(f, _)| dilihat.insert(f.clone()));
        if !data.nik.is_empty() {
            if let Some(lain) = nik_di_berkas.get(&data.nik) {
                galat.push(("nik".into(), format!("NIK sama dengan baris {lain} pada berkas ini.")));
            } else {
                nik_di_berkas.insert(data.nik.clone(), i + 1);
            }
            if let Some(tempat) = terdaftar.get(&data.nik) {
                galat.push(("nik".into(), format!("NIK ini sudah terdaftar: {tempat}.")));
            }
        }
        peringatan.extend(data.peringatan(hari_ini).into_iter().map(|p: Peringatan| p.pesan));
        hasil.push(BarisImpor {
            nomor: i + 1,
            data,
            galat,
            peringatan,
        });
    }
    if hasil.is_empty() {
        return Err(Tolak("Berkas tidak memuat baris data di bawah judul kolom.".into()));
    }
    Ok(Pratinjau {
        baris: hasil,
        kolom_dikenali: dikenali,
        kolom_diabaikan: diabaikan,
    })
}

fn set(d: &mut Data, f: &str, v: String) {
    if let Some(slot) = d.nilai_mut(f) {
        *slot = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kepala_gabungan_bukan_medan() {
        // The headers that are not one field never name a field of the table too.
        for h in [
            "tempattanggallahir",
            "tempattgllahir",
            "ttl",
            "tempatdantanggallahir",
            "tempatdantgllahir",
            "kodejabatan",
        ] {
            assert!(medan::dari_kepala(h).is_none(), "{h}");
            assert!(kenali_kepala(h).is_some(), "{h}");
        }
        // Every column of the import template is recognised.
        for (h, _, _) in templat::KOLOM {
            assert!(matches!(kenali_kepala(h), Some(Kolom::Data(_))), "{h}");
        }
    }

    #[test]
    fn tanggal_seperti_diketik() {
        for t in [
            "1985-03-14",
            "14-03-1985",
            "14/03/1985",
            "14.03.1985",
            "14 Maret 1985",
            "14 Mar 1985",
        ] {
            assert_eq!(tanggal_dari(&Sel::Teks(t.into())), "1985-03-14", "{t}");
        }
        // 14 March 1985 is Excel day 31120.
        assert_eq!(tanggal_dari(&Sel::Angka(31120.0)), "1985-03-14");
        assert_eq!(tanggal_dari(&Sel::Tanggal("1985-03-14".into())), "1985-03-14");
        assert_eq!(tanggal_dari(&Sel::Teks("kemarin".into())), "kemarin");
    }

    #[test]
    fn tempat_tanggal_lahir_tanpa_koma() {
        let p = |t: &str| pisah_ttl(t);
        assert_eq!(
            p("Paringin, 14-03-1985"),
            Some(("Paringin".into(), "1985-03-14".into()))
        );
        assert_eq!(
            p("Paringin 15 Mei 1990"),
            Some(("Paringin".into(), "1990-05-15".into()))
        );
        assert_eq!(
            p("Tanjung Tabalong 15/05/1990"),
            Some(("Tanjung Tabalong".into(), "1990-05-15".into()))
        );
        assert_eq!(p("Paringin"), None);
        assert_eq!(p("15 Mei 1990"), None, "a date without a place");
    }

    #[test]
    fn kepala_kolom_dikenali() {
        assert_eq!(kenali_kepala("Nama Lengkap"), Some(Kolom::Data("nama")));
        assert_eq!(kenali_kepala(" Tgl. Lahir "), Some(Kolom::Data("tanggal_lahir")));
        assert_eq!(kenali_kepala("Tempat/Tgl Lahir"), Some(Kolom::TempatTanggalLahir));
        assert_eq!(kenali_kepala("No. HP"), Some(Kolom::Data("nomor_hp")));
        assert_eq!(kenali_kepala("Hobi"), None);
    }

    #[test]
    fn csv_dengan_kutip_dan_titik_koma() {
        let b = baca_csv("Nama;NIK\n\"Fauzi; S.Pd\";\"6311021403850001\"\r\n");
        assert_eq!(b.len(), 2);
        assert_eq!(b[1][0], Sel::Teks("Fauzi; S.Pd".into()));
        assert_eq!(b[1][1], Sel::Teks("6311021403850001".into()));
        // A title line without delimiters before the header.
        let b = baca_csv("DAFTAR PERANGKAT\n\nNama;NIK;Jabatan\nA, B;1;Staf\n");
        assert_eq!(b[2].len(), 3);
        assert_eq!(b[3][0], Sel::Teks("A, B".into()));
    }

    #[test]
    fn jabatan_seperti_ditulis() {
        let desa = Desa {
            kode: "63.11.02.2001".into(),
            nama: "Hauwai".into(),
            kecamatan_kode: String::new(),
            kecamatan_nama: String::new(),
            kabupaten_kode: String::new(),
            kabupaten_nama: String::new(),
            provinsi_kode: String::new(),
            provinsi_nama: String::new(),
            sebutan_kepala_desa: "Pembakal".into(),
            sebutan_kepala_dusun: "Kepala Dusun".into(),
            struktur: "lengkap".into(),
            alamat_kop: String::new(),
            jumlah_dusun: 0,
            diubah_pada: 0,
        };
        let j = kode_jabatan("Plt. Sekretaris Desa", &desa);
        assert_eq!((j.jabatan.as_str(), j.status), ("sekretaris_desa", Some("plt")));
        assert_eq!(kode_jabatan("Pembakal", &desa).jabatan, "kepala_desa");
        assert_eq!(kode_jabatan("Kaur Keuangan", &desa).jabatan, "kaur_keuangan");
        let j = kode_jabatan("Kadus Sei. Tabuk", &desa);
        assert_eq!(
            (j.jabatan.as_str(), j.dusun.as_deref()),
            ("kepala_dusun", Some("Dusun Sei. Tabuk"))
        );
        let j = kode_jabatan("Kepala Dusun “I.”", &desa);
        assert_eq!(j.dusun.as_deref(), Some("Dusun “I.”"), "no panic on non-ASCII");
        assert_eq!(
            kode_jabatan("Kepala Dusun Dusun II", &desa).dusun.as_deref(),
            Some("Dusun II")
        );
        assert_eq!(
            kode_jabatan("Bendahara", &desa).jabatan,
            "Bendahara",
            "left for the rules to name"
        );
    }

    #[test]
    fn nilai_berkode() {
        assert_eq!(kode_jenis_kelamin("Laki-laki"), "L");
        assert_eq!(kode_agama("kristen protestan"), "Kristen");
        assert_eq!(kode_pendidikan("SLTA"), "SMA");
        assert_eq!(kode_pendidikan("D III"), "D3");
        assert_eq!(kode_status("Plt."), "plt");
        assert_eq!(kode_status(""), "definitif");
    }
}

// ---- Storage of a preview and its confirmation ------------------------------------------------

use crate::akun::Akun;
use crate::db::Db;
use crate::error::{AppError, Hasil};
use crate::perangkat::{self, Saat};

/// NIK of the file already held by an active official: in the user's own desa, saved or being
/// worked on; in another desa, only a saved definitive position (issue 15, point 2: another
/// desa's drafts never count) — the same rule as creating an entry. Returns where, and the
/// other desa of each such answer (to be counted and audited).
pub async fn terdaftar(db: &Db, nik: &[String], desa_kode: &str) -> Hasil<(HashMap<String, String>, Vec<String>)> {
    let mut hasil = HashMap::new();
    let mut lain = Vec::new();
    for potong in nik.chunks(400) {
        let tanda: Vec<String> = (2..=potong.len() + 1).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT p.nik, p.desa_kode FROM perangkat p
             WHERE p.desa_kode = $1 AND p.nik IN ({0}) AND p.tanggal_sk_pemberhentian = '' AND p.dihapus_pada IS NULL
             UNION ALL
             SELECT t.nik, t.desa_kode FROM perangkat_tersimpan t
             WHERE t.desa_kode <> $1 AND t.nik IN ({0}) AND t.status_jabatan = 'definitif'
               AND t.tanggal_sk_pemberhentian = ''",
            tanda.join(", ")
        );
        let rows: Vec<(String, String)> = crate::read!(db, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(desa_kode);
            for n in potong {
                q = q.bind(n);
            }
            q.fetch_all(c).await?
        });
        for (n, desa) in rows {
            if desa == desa_kode {
                hasil.insert(n, "di register desa ini (tersimpan atau draf)".to_string());
            } else if let std::collections::hash_map::Entry::Vacant(e) = hasil.entry(n) {
                e.insert("sebagai perangkat definitif aktif di desa lain".to_string());
                lain.push(desa);
            }
        }
    }
    Ok((hasil, lain))
}

/// Reads and checks a file for a desa (nothing written).
pub async fn periksa_berkas(db: &Db, akun: &Akun, desa_kode: &str, isi: &[u8], hari_ini: Date) -> Hasil<Pratinjau> {
    let desa = crate::desa::ambil(db, akun, desa_kode).await?;
    if !perangkat::boleh_ubah(akun, &desa.kode) {
        return Err(AppError::Terlarang);
    }
    let dusun = crate::desa::dusun(db, &desa.kode).await?;
    let isi = isi.to_vec();
    let baris = tokio::task::spawn_blocking(move || baca(&isi))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|Tolak(m)| AppError::Validasi(vec![("berkas", m)]))?;
    // NIK as the rows hold them, for the register check.
    let kandidat: Vec<String> = baris
        .iter()
        .flat_map(|b| b.iter().map(|s| s.teks().replace([' ', '\''], "")))
        .filter(|t| t.len() == 16 && t.bytes().all(|c| c.is_ascii_digit()))
        .collect();
    let (ada, desa_lain) = terdaftar(db, &kandidat, &desa.kode).await?;
    // Each answer naming another desa is counted and audited; past the limit, no preview.
    if let Err(detik) =
        crate::akun::batas::jawaban_nik_desa_lain(db, akun, &desa_lain, "impor", crate::waktu::unix_now()).await?
    {
        return Err(AppError::Dibatasi { detik });
    }
    pratinjau(baris, &desa, &dusun, &ada, hari_ini).map_err(|Tolak(m)| AppError::Validasi(vec![("berkas", m)]))
}

/// Keeps a preview for the confirmation; returns its token. Previews older than a day go.
pub async fn simpan(
    db: &Db,
    akun: &Akun,
    desa_kode: &str,
    nama_berkas: &str,
    p: &Pratinjau,
    sekarang: i64,
) -> Hasil<String> {
    let token = crate::akun::sandi::acak_hex(16);
    let isi = serde_json::to_string(p).map_err(anyhow::Error::from)?;
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("DELETE FROM impor WHERE dibuat_pada < $1").bind(sekarang - UMUR_PRATINJAU).execute(&mut *c).await?;
        sqlx::query("INSERT INTO impor (token, desa_kode, pengguna_id, nama_berkas, isi, dibuat_pada) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&token)
            .bind(desa_kode)
            .bind(akun.id)
            .bind(crate::dokumen::bersihkan_nama_asli(nama_berkas))
            .bind(&isi)
            .bind(sekarang)
            .execute(&mut *c)
            .await?;
    });
    tx.commit().await?;
    Ok(token)
}

/// How long a preview waits for its confirmation.
const UMUR_PRATINJAU: i64 = 86_400;

fn tidak_ada() -> AppError {
    AppError::TidakDitemukanPesan(
        "Pratinjau impor ini sudah tidak ada (sudah dikonfirmasi atau kedaluwarsa). Unggah berkasnya kembali.".into(),
    )
}

/// A kept preview of this user and desa, younger than a day.
pub async fn ambil(db: &Db, akun: &Akun, desa_kode: &str, token: &str, sekarang: i64) -> Hasil<(String, Pratinjau)> {
    let row: Option<(String, String)> = crate::read!(db, c => {
        sqlx::query_as(
            "SELECT nama_berkas, isi FROM impor WHERE token = $1 AND desa_kode = $2 AND pengguna_id = $3 AND dibuat_pada >= $4",
        )
        .bind(token)
        .bind(desa_kode)
        .bind(akun.id)
        .bind(sekarang - UMUR_PRATINJAU)
        .fetch_optional(c)
        .await?
    });
    let (nama, isi) = row.ok_or_else(tidak_ada)?;
    Ok((nama, serde_json::from_str(&isi).map_err(anyhow::Error::from)?))
}

/// Takes a preview for its confirmation, in one statement: a second click, a second tab or a
/// retried request finds nothing, so no row is imported twice.
pub async fn klaim(db: &Db, akun: &Akun, desa_kode: &str, token: &str, sekarang: i64) -> Hasil<Pratinjau> {
    let mut tx = db.begin().await?;
    let isi: Option<String> = crate::tx!(&mut tx, c => {
        sqlx::query_scalar(
            "DELETE FROM impor WHERE token = $1 AND desa_kode = $2 AND pengguna_id = $3 AND dibuat_pada >= $4 RETURNING isi",
        )
        .bind(token)
        .bind(desa_kode)
        .bind(akun.id)
        .bind(sekarang - UMUR_PRATINJAU)
        .fetch_optional(c)
        .await?
    });
    tx.commit().await?;
    Ok(serde_json::from_str(&isi.ok_or_else(tidak_ada)?).map_err(anyhow::Error::from)?)
}

/// What a confirmation did.
#[derive(Debug, Default, Serialize)]
pub struct HasilImpor {
    /// Record ids of the new drafts.
    pub dibuat: Vec<crate::id::PerangkatId>,
    /// Rows refused now (the register changed since the preview), with why.
    pub gagal: Vec<(usize, String)>,
}

/// Imports the chosen rows (by row number) as drafts; rows with errors are never imported.
pub async fn impor(
    db: &Db,
    akun: &Akun,
    desa_kode: &str,
    p: &Pratinjau,
    pilih: &[usize],
    saat: Saat,
) -> Hasil<HasilImpor> {
    let mut h = HasilImpor::default();
    for b in p.baris.iter().filter(|b| b.bisa() && pilih.contains(&b.nomor)) {
        match perangkat::buat(db, akun, desa_kode, &b.data, None, saat).await {
            Ok(t) => h.dibuat.push(t.id),
            Err(AppError::Validasi(g)) => h
                .gagal
                .push((b.nomor, g.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))),
            Err(AppError::Konflik(m)) => h.gagal.push((b.nomor, m)),
            Err(e) => return Err(e),
        }
    }
    Ok(h)
}
