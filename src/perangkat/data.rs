//! The fields of one official in one tenure (SPEC §3) and what is derived from them (name
//! with titles, position, end of term). Values are stored as text: dates in ISO `YYYY-MM-DD`,
//! an absent optional value as the empty string. Their validation and warnings are in
//! [`super::aturan`]; their table (labels, export, import) in [`super::medan`].

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::kode::{Agama, JenisKelamin, Kode, Pendidikan, StatusJabatan};
use crate::desa::Desa;
use crate::desa::jabatan::Jabatan;
use crate::waktu;

/// One official in one tenure. The same struct is the form/JSON input (unknown keys such as
/// `id`, `desa` or `status` are ignored: no mass assignment) and the stored row. Each field has
/// its entry in [`super::medan::MEDAN`] (a test checks that they match).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
#[serde(default)]
#[schema(
    as = DataPerangkat,
    description = "Isian perangkat (SPEC §3); tanggal ISO YYYY-MM-DD, nilai kosong berupa string kosong."
)]
pub struct Data {
    pub nama: String,
    pub gelar_depan: String,
    pub gelar_belakang: String,
    pub nik: String,
    pub niap: String,
    pub nip: String,
    #[schema(schema_with = JenisKelamin::skema)]
    pub jenis_kelamin: String,
    pub tempat_lahir: String,
    pub tanggal_lahir: String,
    #[schema(schema_with = Agama::skema)]
    pub agama: String,
    #[schema(schema_with = Pendidikan::skema)]
    pub pendidikan_terakhir: String,
    pub pangkat_golongan: String,
    pub alamat: String,
    pub nomor_hp: String,
    #[schema(schema_with = Jabatan::skema)]
    pub jabatan: String,
    pub dusun: String,
    #[schema(schema_with = StatusJabatan::skema)]
    pub status_jabatan: String,
    pub nomor_sk_pengangkatan: String,
    pub tanggal_sk_pengangkatan: String,
    pub tmt: String,
    pub akhir_masa_jabatan_sk: String,
    pub nomor_sk_pemberhentian: String,
    pub tanggal_sk_pemberhentian: String,
    pub alasan_pemberhentian: String,
    pub keterangan: String,
}

/// "Drs." + "Ahmad Fauzi" + "S.Pd." → "Drs. Ahmad Fauzi, S.Pd."
pub fn nama_bergelar(depan: &str, nama: &str, belakang: &str) -> String {
    let mut s = String::new();
    if !depan.is_empty() {
        s.push_str(depan);
        s.push(' ');
    }
    s.push_str(nama);
    if !belakang.is_empty() {
        s.push_str(", ");
        s.push_str(belakang);
    }
    s
}

impl Data {
    /// The values as `akun` may see them: the NIK masked for roles that do not need it whole.
    pub fn untuk(mut self, akun: &crate::akun::Akun) -> Data {
        if !akun.lihat_nik_utuh() {
            self.nik = super::nik::samarkan(&self.nik);
        }
        self
    }

    /// The name with titles: "Drs. Ahmad Fauzi, S.Pd."
    pub fn nama_lengkap(&self) -> String {
        nama_bergelar(&self.gelar_depan, &self.nama, &self.gelar_belakang)
    }

    pub fn jabatan_enum(&self) -> Option<Jabatan> {
        Jabatan::parse(&self.jabatan)
    }

    pub fn status_jabatan_enum(&self) -> StatusJabatan {
        StatusJabatan::parse(&self.status_jabatan).unwrap_or(StatusJabatan::Definitif)
    }

    pub fn definitif(&self) -> bool {
        self.status_jabatan_enum() == StatusJabatan::Definitif
    }

    /// Still in office (no dismissal recorded).
    pub fn aktif(&self) -> bool {
        self.tanggal_sk_pemberhentian.is_empty()
    }

    /// The position as the desa calls it, with Pj./Plt. and the dusun: "Pj. Pembakal",
    /// "Kepala Dusun I".
    pub fn nama_jabatan(&self, desa: &Desa) -> String {
        let awalan = self.status_jabatan_enum().awalan();
        let nama = match self.jabatan_enum() {
            Some(Jabatan::KepalaDusun) => crate::desa::nama_kepala_dusun(&desa.sebutan_kepala_dusun, &self.dusun),
            Some(j) => desa.nama_jabatan(j),
            None => self.jabatan.clone(),
        };
        format!("{awalan}{nama}")
    }

    /// End of term, derived (SPEC §3): Kepala Desa 8 years from TMT; perangkat the day they
    /// turn 60; an SK from before 2015 may carry its own end date.
    pub fn akhir_masa_jabatan(&self) -> Option<Date> {
        if let (Some(sk), Some(akhir)) = (
            tanggal(&self.tanggal_sk_pengangkatan),
            tanggal(&self.akhir_masa_jabatan_sk),
        ) && sk.year() < 2015
        {
            return Some(akhir);
        }
        match self.jabatan_enum()? {
            Jabatan::KepalaDesa => {
                if !self.definitif() {
                    return None;
                }
                tambah_tahun(tanggal(&self.tmt)?, 8)
            }
            _ => tambah_tahun(tanggal(&self.tanggal_lahir)?, 60),
        }
    }
}

/// Parses an ISO date (`YYYY-MM-DD`).
pub fn tanggal(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    // Digits in every other place: `str::parse` alone took a sign ("2023-+1-27" was 27 January,
    // "-026-01-07" the year −26; found by the fuzzer, issue 15 point 11).
    let bentuk = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !bentuk {
        return None;
    }
    let y: i32 = s[0..4].parse().ok()?;
    let m: u8 = s[5..7].parse().ok()?;
    let d: u8 = s[8..10].parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// A date as people type it: ISO "2023-03-27" (what the API sends), "27-03-2023",
/// "27/03/2023", "27.03.2023", "27 - 3 - 2023", "27 Maret 2023", "27 Mar 2023" (a month's
/// first three letters or more, also "Agt", "Peb", "Nop"). Day first, as written in Indonesia:
/// "03/12/1995" is 3 Desember 1995. A year has four digits.
pub fn tanggal_ketikan(s: &str) -> Option<Date> {
    let t = s.trim();
    if let Some(d) = tanggal(t) {
        return Some(d);
    }
    let bagian: Vec<&str> = t
        .split(|c: char| matches!(c, '-' | '/' | '.' | ',') || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let [h, b, y] = bagian.as_slice() else {
        return None;
    };
    // Day and year in digits only (a sign is not a digit: "+1" is not a day).
    if !h.bytes().chain(y.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    // "2023/03/27": year first.
    let (h, y) = if h.len() == 4 && y.len() <= 2 { (y, h) } else { (h, y) };
    if y.len() != 4 || h.len() > 2 {
        return None;
    }
    let bulan = if b.bytes().all(|c| c.is_ascii_digit()) {
        match b.parse::<u8>() {
            Ok(n) if b.len() <= 2 => n,
            _ => return None,
        }
    } else {
        bulan_dari_nama(b)?
    };
    let y: i32 = y.parse().ok()?;
    let h: u8 = h.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(bulan).ok()?, h).ok()
}

/// "Maret", "mar", "MARET" → 3; the usual short forms too.
fn bulan_dari_nama(b: &str) -> Option<u8> {
    let b = b.to_lowercase();
    let pendek = match b.as_str() {
        "agt" | "agst" | "ags" => Some(8),
        "peb" | "pebruari" => Some(2),
        "nop" | "nopember" => Some(11),
        "okt" => Some(10),
        "des" => Some(12),
        _ => None,
    };
    pendek.or_else(|| {
        waktu::NAMA_BULAN
            .iter()
            .position(|n| b.len() >= 3 && n.to_lowercase().starts_with(&b))
            .map(|i| i as u8 + 1)
    })
}

/// The typed date as ISO when it is one; otherwise the text as typed (its message names it).
pub fn iso_ketikan(s: &str) -> String {
    tanggal_ketikan(s).map(iso).unwrap_or_else(|| s.trim().to_string())
}

/// A stored ISO date as it is typed back into a form's box, "27-03-2023"; anything else (what
/// was typed and refused) as it is.
pub fn tanggal_isian(s: &str) -> String {
    match tanggal(s) {
        Some(d) => format!("{:02}-{:02}-{:04}", d.day(), d.month() as u8, d.year()),
        None => s.to_string(),
    }
}

pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// The same day `n` years later (29 February becomes 28 February).
pub fn tambah_tahun(d: Date, n: i32) -> Option<Date> {
    Date::from_calendar_date(d.year() + n, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(d.year() + n, d.month(), d.day() - 1))
        .ok()
}

/// Whole years between two dates.
pub fn umur(lahir: Date, pada: Date) -> i32 {
    let mut u = pada.year() - lahir.year();
    if (pada.month() as u8, pada.day()) < (lahir.month() as u8, lahir.day()) {
        u -= 1;
    }
    u
}

/// "27 Maret 2023" for an ISO date; the text itself when it is not one.
pub fn tanggal_id(s: &str) -> String {
    tanggal(s).map(waktu::tanggal).unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tanggal_iso_hanya_angka() {
        assert_eq!(
            tanggal("2023-01-27"),
            Date::from_calendar_date(2023, Month::January, 27).ok()
        );
        for salah in ["2023-+1-27", "-026-01-07", "+023-01-07", "2023-01-+7", "２０２３-01-27"] {
            assert_eq!(tanggal(salah), None, "{salah}");
            assert_eq!(tanggal_ketikan(salah), None, "{salah}");
        }
        // Spaces are how people type ("27 - 3 - 2023"): the typed form reads them, ISO does not.
        assert_eq!(tanggal("2023- 1-27"), None);
        assert_eq!(tanggal_ketikan("2023- 1-27"), tanggal("2023-01-27"));
    }

    #[test]
    fn tanggal_seperti_diketik_orang() {
        let d = |s: &str| tanggal_ketikan(s).map(iso);
        for s in [
            "2023-03-27",
            "27-03-2023",
            "27/03/2023",
            "27.03.2023",
            "27 - 3 - 2023",
            "27 Maret 2023",
            "27 maret 2023",
            "27 MARET 2023",
            "27 Mar 2023",
            "27-Mar-2023",
            " 27 Maret, 2023 ",
            "2023/03/27",
        ] {
            assert_eq!(d(s).as_deref(), Some("2023-03-27"), "{s:?}");
        }
        // Day first, as written in Indonesia.
        assert_eq!(d("03/12/1995").as_deref(), Some("1995-12-03"));
        assert_eq!(d("17 Agt 1945").as_deref(), Some("1945-08-17"));
        assert_eq!(d("1 Peb 2020").as_deref(), Some("2020-02-01"));
        assert_eq!(d("10 Nopember 2020").as_deref(), Some("2020-11-10"));
        for s in [
            "",
            "2023",
            "31-02-2023",
            "27-13-2023",
            "27/03/23",
            "27 Ma 2023",
            "27 Maretan 2023",
            "123-03-2023",
            "27-003-2023",
            "2023-3-27x",
            "kemarin",
        ] {
            assert_eq!(d(s), None, "{s:?}");
        }
        assert_eq!(iso_ketikan("27 Maret 2023"), "2023-03-27");
        assert_eq!(iso_ketikan(" tidak tahu "), "tidak tahu");
        assert_eq!(tanggal_isian("2023-03-27"), "27-03-2023");
        assert_eq!(tanggal_isian("27 Mar"), "27 Mar");
    }
}
