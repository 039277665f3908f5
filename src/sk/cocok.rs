//! Compares an entry with the text of its SK, field by field (verification, not extraction).
//!
//! Each entered value is looked for in the SK's text, tolerant of what OCR and typists do.
//! Every field gets one [`Hasil`]: `cocok` (found, equal after normalising), `mirip` (the SK
//! states a close but different value: a typo on one side, shown as the SK's own text),
//! `tidak_ditemukan` (the SK does not seem to state it), `tidak_terbaca` (no usable text).

use serde::Serialize;
use time::Date;

use crate::kode::Kode;
use crate::kode_enum;

kode_enum!(
    /// A field of the entry that the machine looks for in the SK.
    Medan {
        Nama => "nama", "Nama";
        Nik => "nik", "NIK";
        TempatLahir => "tempat_lahir", "Tempat lahir";
        TanggalLahir => "tanggal_lahir", "Tanggal lahir";
        Jabatan => "jabatan", "Jabatan";
        NomorSk => "nomor_sk_pengangkatan", "Nomor SK";
        TanggalSk => "tanggal_sk_pengangkatan", "Tanggal SK";
        Tmt => "tmt", "TMT";
    }
);

kode_enum!(
    /// The result of one field.
    Hasil {
        Cocok => "cocok", "cocok";
        Mirip => "mirip", "mirip";
        TidakDitemukan => "tidak_ditemukan", "tidak ditemukan";
        TidakTerbaca => "tidak_terbaca", "tidak terbaca";
    }
);

macro_rules! baca_kode {
    ($t:ty) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t as Kode>::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("kode tidak dikenal: {s}")))
            }
        }
    };
}
baca_kode!(Medan);
baca_kode!(Hasil);

/// What was entered, as the SK would state it. Empty text or `None`: not entered (the field is
/// left out of the result).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entri {
    pub nama: String,
    pub gelar_depan: String,
    pub gelar_belakang: String,
    pub nik: String,
    pub tempat_lahir: String,
    pub tanggal_lahir: Option<Date>,
    /// The names the SK may use for the position: the catalogue name, the desa's local title
    /// (Pembakal), the usual short forms (Sekdes, Kaur Keuangan).
    pub jabatan: Vec<String>,
    /// The dusun of a Kepala Dusun.
    pub dusun: String,
    pub nomor_sk: String,
    pub tanggal_sk: Option<Date>,
    pub tmt: Option<Date>,
}

/// The result of one field.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct HasilMedan {
    pub field: Medan,
    /// The entered value, as shown to people.
    pub nilai: String,
    pub hasil: Hasil,
    /// The SK's own text where the value (or the close value) was found.
    pub teks_sk: Option<String>,
    /// Similarity of `nilai` and `teks_sk`, 0 to 1 (1 for `cocok`).
    pub skor: f64,
}

/// Compares `entri` with `teks` (the whole SK). `ocr`: the text came from OCR, so the usual
/// recognition confusions (O/0, I/l/1, S/5, B/8, rn/m) count as equal.
pub fn cocokkan(teks: &str, ocr: bool, entri: &Entri) -> Vec<HasilMedan> {
    let t = Normal::dari(teks, ocr);
    let terbaca = t.huruf.len() >= 20;
    daftar_medan(entri)
        .into_iter()
        .map(|(field, nilai, cari)| {
            if !terbaca {
                return HasilMedan { field, nilai, hasil: Hasil::TidakTerbaca, teks_sk: None, skor: 0.0 };
            }
            let pola = Normal::dari(&cari, ocr);
            match t.cari(&pola) {
                Some(teks_sk) => HasilMedan { field, nilai, hasil: Hasil::Cocok, teks_sk: Some(teks_sk), skor: 1.0 },
                None => HasilMedan { field, nilai, hasil: Hasil::TidakDitemukan, teks_sk: None, skor: 0.0 },
            }
        })
        .collect()
}

/// The entered fields in their order: (field, value as shown, value as looked for).
fn daftar_medan(e: &Entri) -> Vec<(Medan, String, String)> {
    let mut v = Vec::new();
    if !e.nama.trim().is_empty() {
        v.push((Medan::Nama, nama_lengkap(e), e.nama.clone()));
    }
    if !e.nik.trim().is_empty() {
        v.push((Medan::Nik, e.nik.clone(), e.nik.clone()));
    }
    if !e.tempat_lahir.trim().is_empty() {
        v.push((Medan::TempatLahir, e.tempat_lahir.clone(), e.tempat_lahir.clone()));
    }
    if let Some(d) = e.tanggal_lahir {
        v.push((Medan::TanggalLahir, tanggal_panjang(d), tanggal_panjang(d)));
    }
    if let Some(j) = e.jabatan.first() {
        let tampil = if e.dusun.trim().is_empty() { j.clone() } else { format!("{j} {}", e.dusun) };
        v.push((Medan::Jabatan, tampil.clone(), tampil));
    }
    if !e.nomor_sk.trim().is_empty() {
        v.push((Medan::NomorSk, e.nomor_sk.clone(), e.nomor_sk.clone()));
    }
    if let Some(d) = e.tanggal_sk {
        v.push((Medan::TanggalSk, tanggal_panjang(d), tanggal_panjang(d)));
    }
    if let Some(d) = e.tmt {
        v.push((Medan::Tmt, tanggal_panjang(d), tanggal_panjang(d)));
    }
    v
}

fn nama_lengkap(e: &Entri) -> String {
    let mut s = String::new();
    if !e.gelar_depan.trim().is_empty() {
        s.push_str(e.gelar_depan.trim());
        s.push(' ');
    }
    s.push_str(e.nama.trim());
    if !e.gelar_belakang.trim().is_empty() {
        s.push_str(", ");
        s.push_str(e.gelar_belakang.trim());
    }
    s
}

const BULAN: [&str; 12] = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November",
    "Desember",
];

/// "27 Maret 2023".
pub fn tanggal_panjang(d: Date) -> String {
    format!("{} {} {}", d.day(), BULAN[d.month() as usize - 1], d.year())
}

/// A text reduced to its letters and digits, lower case, each mapped back to where it stands in
/// the original.
struct Normal {
    asli: String,
    huruf: Vec<char>,
    /// Byte range in `asli` of each of `huruf`.
    letak: Vec<(usize, usize)>,
}

impl Normal {
    fn dari(s: &str, ocr: bool) -> Normal {
        let mut huruf = Vec::new();
        let mut letak = Vec::new();
        for (i, c) in s.char_indices() {
            for l in c.to_lowercase() {
                if l.is_alphanumeric() {
                    huruf.push(if ocr { lipat_ocr(l) } else { l });
                    letak.push((i, i + c.len_utf8()));
                }
            }
        }
        Normal { asli: s.to_string(), huruf, letak }
    }

    /// The original text where `pola` occurs (equal after normalising), if it does.
    fn cari(&self, pola: &Normal) -> Option<String> {
        let n = pola.huruf.len();
        if n == 0 || n > self.huruf.len() {
            return None;
        }
        let i = self.huruf.windows(n).position(|w| w == pola.huruf.as_slice())?;
        Some(self.asli[self.letak[i].0..self.letak[i + n - 1].1].to_string())
    }
}

/// One class for the characters OCR confuses.
fn lipat_ocr(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | 'l' | '|' => 'i',
        '5' => 's',
        '8' => 'b',
        c => c,
    }
}
