//! NIK (Nomor Induk Kependudukan) and NIP (Nomor Induk Pegawai) parsers.
//!
//! A NIK is 16 digits: province (2), kabupaten (2), kecamatan (2), birth date DDMMYY with 40
//! added to the day for women, and a 4-digit serial number. A NIP is 18 digits: birth date
//! YYYYMMDD, appointment YYYYMM, sex (1 man, 2 woman) and a 3-digit serial number.

use time::{Date, Month};

use super::kode::JenisKelamin;
use crate::wilayah::{KodeWilayah, Referensi};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nik {
    teks: String,
    pub tanggal_lahir: Date,
    pub jenis_kelamin: JenisKelamin,
}

impl Nik {
    /// Parses a NIK; `hari_ini` decides the century of the two-digit year (a birth date is
    /// never in the future). Errors name the field and say what is wrong.
    pub fn parse(s: &str, hari_ini: Date) -> Result<Nik, String> {
        let s = s.trim();
        let n = s.chars().count();
        if n != 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
            if s.bytes().any(|b| b == b'E' || b == b'e' || b == b'.' || b == b',')
                && s.bytes().any(|b| b.is_ascii_digit())
            {
                return Err(format!(
                    "NIK \"{}\" terbaca sebagai angka ilmiah (misalnya dari Excel). Tulis NIK sebagai teks 16 digit.",
                    s.chars().take(20).collect::<String>()
                ));
            }
            return Err(if s.bytes().all(|b| b.is_ascii_digit()) {
                format!("NIK harus 16 digit angka (sekarang {n}).")
            } else {
                "NIK hanya boleh berisi angka, 16 digit.".to_string()
            });
        }
        let prov = &s[0..2];
        if !Referensi::get().ada_provinsi(prov) {
            return Err(format!(
                "Dua digit pertama NIK ({prov}) bukan kode provinsi yang dikenal."
            ));
        }
        let dd: u8 = s[6..8].parse().expect("digits");
        let mm: u8 = s[8..10].parse().expect("digits");
        let yy: i32 = s[10..12].parse().expect("digits");
        let (hari, jk) = if dd > 40 {
            (dd - 40, JenisKelamin::P)
        } else {
            (dd, JenisKelamin::L)
        };
        let bulan = Month::try_from(mm).map_err(|_| {
            format!("Digit 9–10 NIK ({mm:02}) bukan bulan yang valid; tanggal lahir pada NIK tidak sah.")
        })?;
        // The century that puts the birth date not after today.
        let abad = match Date::from_calendar_date(2000 + yy, bulan, hari) {
            Ok(t) if t <= hari_ini => 2000,
            _ => 1900,
        };
        let tanggal = Date::from_calendar_date(abad + yy, bulan, hari).map_err(|_| {
            format!(
                "Digit 7–12 NIK ({}) bukan tanggal lahir yang valid (DDMMYY, hari +40 untuk perempuan).",
                &s[6..12]
            )
        })?;
        Ok(Nik {
            teks: s.to_string(),
            tanggal_lahir: tanggal,
            jenis_kelamin: jk,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.teks
    }

    /// The kecamatan part of the NIK as a region code (`PP.KK.CC`).
    pub fn kode_kecamatan(&self) -> String {
        format!("{}.{}.{}", &self.teks[0..2], &self.teks[2..4], &self.teks[4..6])
    }

    /// Are the kabupaten and kecamatan of the NIK known regions?
    pub fn wilayah_dikenal(&self) -> bool {
        KodeWilayah::parse(&self.kode_kecamatan()).is_ok_and(|k| Referensi::get().ada(&k))
    }
}

/// Masks a NIK for places that do not need it whole: `6311************`.
///
/// Only the province and kabupaten stay. The serial (digits 13–16) is the one part nobody can
/// derive, and a role that sees a masked NIK also sees the desa, the birth date and the sex —
/// the kecamatan and DDMMYY parts — so a mask that showed the serial gave the whole NIK away
/// (issue 15, point 1). The kecamatan and birth-date digits are hidden as well: they would add
/// nothing the record does not show, except where the NIK disagrees with it.
pub fn samarkan(nik: &str) -> String {
    if nik.len() != 16 || !nik.is_ascii() {
        return "****************".into();
    }
    format!("{}************", &nik[..4])
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nip {
    teks: String,
    pub tanggal_lahir: Option<Date>,
    pub jenis_kelamin: Option<JenisKelamin>,
}

impl Nip {
    /// Parses a NIP (18 digits, spaces allowed between the groups as often printed).
    pub fn parse(s: &str) -> Result<Nip, String> {
        let bersih: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let n = bersih.chars().count();
        if n != 18 || !bersih.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "NIP harus 18 digit angka (sekarang {n} karakter). Kosongkan bila tidak ada."
            ));
        }
        let y: i32 = bersih[0..4].parse().expect("digits");
        let m: u8 = bersih[4..6].parse().expect("digits");
        let d: u8 = bersih[6..8].parse().expect("digits");
        let tanggal_lahir = Month::try_from(m)
            .ok()
            .and_then(|m| Date::from_calendar_date(y, m, d).ok());
        let jenis_kelamin = match &bersih[14..15] {
            "1" => Some(JenisKelamin::L),
            "2" => Some(JenisKelamin::P),
            _ => None,
        };
        Ok(Nip {
            teks: bersih,
            tanggal_lahir,
            jenis_kelamin,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.teks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const HARI_INI: Date = date!(2026 - 11 - 24);

    #[test]
    fn nik_laki_laki_dan_perempuan() {
        let n = Nik::parse("6311021403850001", HARI_INI).unwrap();
        assert_eq!(n.tanggal_lahir, date!(1985 - 03 - 14));
        assert_eq!(n.jenis_kelamin, JenisKelamin::L);
        let p = Nik::parse("6311025403850002", HARI_INI).unwrap();
        assert_eq!(p.tanggal_lahir, date!(1985 - 03 - 14));
        assert_eq!(p.jenis_kelamin, JenisKelamin::P);
        let muda = Nik::parse("6311020101050003", HARI_INI).unwrap();
        assert_eq!(muda.tanggal_lahir, date!(2005 - 01 - 01));
        // Later this year in 2026 would be in the future: 1926.
        let tua = Nik::parse("6311022512260003", HARI_INI).unwrap();
        assert_eq!(tua.tanggal_lahir, date!(1926 - 12 - 25));
        let hari_ini_2026 = Nik::parse("6311022411260003", HARI_INI).unwrap();
        assert_eq!(hari_ini_2026.tanggal_lahir, date!(2026 - 11 - 24));
        assert!(n.wilayah_dikenal());
    }

    #[test]
    fn nik_salah() {
        let e = |s: &str| Nik::parse(s, HARI_INI).unwrap_err();
        assert_eq!(e("631102140385000"), "NIK harus 16 digit angka (sekarang 15).");
        assert!(e("6311021403850A01").contains("hanya boleh berisi angka"));
        assert!(e("6.31102E+15").contains("angka ilmiah"));
        assert!(e("0011021403850001").contains("bukan kode provinsi"));
        assert!(e("6311023202850001").contains("bukan tanggal lahir yang valid"));
        assert!(e("6311021413850001").contains("bukan bulan"));
        assert!(e("6311022902850001").contains("bukan tanggal lahir")); // 1985 is not a leap year
    }

    #[test]
    fn nip() {
        let n = Nip::parse("19850314 201001 2 003").unwrap();
        assert_eq!(n.as_str(), "198503142010012003");
        assert_eq!(n.tanggal_lahir, Some(date!(1985 - 03 - 14)));
        assert_eq!(n.jenis_kelamin, Some(JenisKelamin::P));
        assert!(Nip::parse("12345").unwrap_err().contains("18 digit"));
    }

    #[test]
    fn samaran() {
        assert_eq!(samarkan("6311021403850001"), "6311************");
        assert_eq!(samarkan("x"), "****************");
    }

    fn tanggal() -> impl Strategy<Value = Date> {
        (1927i32..=2026, 1u8..=12, 1u8..=31).prop_filter_map("real date not after today", |(y, m, d)| {
            Date::from_calendar_date(y, Month::try_from(m).ok()?, d)
                .ok()
                .filter(|t| *t <= HARI_INI && y > 1926)
        })
    }

    proptest! {
        /// Every NIK built from a real birth date in the last 99 years parses back to it.
        #[test]
        fn nik_bolak_balik(t in tanggal(), perempuan: bool, seri in 1u16..=9999, prov in prop::sample::select(vec!["11", "31", "63", "94"])) {
            let dd = t.day() + if perempuan { 40 } else { 0 };
            let s = format!("{prov}1102{dd:02}{:02}{:02}{seri:04}", t.month() as u8, t.year() % 100);
            let n = Nik::parse(&s, HARI_INI).unwrap();
            prop_assert_eq!(n.tanggal_lahir, t);
            prop_assert_eq!(n.jenis_kelamin, if perempuan { JenisKelamin::P } else { JenisKelamin::L });
            prop_assert_eq!(n.as_str(), s.as_str());
        }

        /// Nothing but 16 digits is ever accepted, and the parser never panics.
        #[test]
        fn nik_tidak_pernah_panik(s in "\\PC{0,24}") {
            if let Ok(n) = Nik::parse(&s, HARI_INI) {
                prop_assert_eq!(n.as_str().len(), 16);
                prop_assert!(n.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn nip_bolak_balik(t in tanggal(), perempuan: bool, seri in 1u16..=999, angkat in 2000u16..=2026) {
            let s = format!("{:04}{:02}{:02}{angkat:04}01{}{seri:03}", t.year(), t.month() as u8, t.day(), if perempuan { 2 } else { 1 });
            let n = Nip::parse(&s).unwrap();
            prop_assert_eq!(n.tanggal_lahir, Some(t));
            prop_assert_eq!(n.jenis_kelamin, Some(if perempuan { JenisKelamin::P } else { JenisKelamin::L }));
        }

        #[test]
        fn nip_tidak_pernah_panik(s in "\\PC{0,30}") {
            if let Ok(n) = Nip::parse(&s) {
                prop_assert_eq!(n.as_str().len(), 18);
            }
        }
    }
}
