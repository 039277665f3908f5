//! NIK and NIP as typed into a form, an API body or an import cell.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipkatdes::perangkat::kode::JenisKelamin;
use sipkatdes::perangkat::nik::{Nik, Nip, samarkan};
use sipkatdes::wilayah::{KodeWilayah, Tingkat};
use time::{Date, Month};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let hari_ini = Date::from_calendar_date(2026, Month::November, 24).unwrap();

    if let Ok(nik) = Nik::parse(s, hari_ini) {
        let t = nik.as_str();
        // A parsed NIK is its own text, trimmed, and reads back to itself.
        assert_eq!(t, s.trim());
        assert_eq!(t.len(), 16);
        assert!(t.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(Nik::parse(t, hari_ini).as_ref(), Ok(&nik));
        // The birth date is never after today, and DDMMYY (+40 for women) is in the digits.
        assert!(nik.tanggal_lahir <= hari_ini);
        let hari = nik.tanggal_lahir.day() + if nik.jenis_kelamin == JenisKelamin::P { 40 } else { 0 };
        let ddmmyy = format!(
            "{hari:02}{:02}{:02}",
            nik.tanggal_lahir.month() as u8,
            nik.tanggal_lahir.year() % 100
        );
        assert_eq!(&t[6..12], ddmmyy);
        // Its kecamatan part is a well-formed region code.
        let kec = KodeWilayah::parse(&nik.kode_kecamatan()).expect("kecamatan code of a NIK");
        assert_eq!(kec.tingkat(), Tingkat::Kecamatan);
        let _ = nik.wilayah_dikenal();
        // The mask keeps only the province and kabupaten.
        assert_eq!(samarkan(t), format!("{}************", &t[..4]));
    } else {
        // Whatever it is, the mask shows 16 characters and no digit past the fourth.
        let m = samarkan(s);
        assert_eq!(m.chars().count(), 16);
        assert!(m.chars().skip(4).all(|c| c == '*'));
    }

    if let Ok(nip) = Nip::parse(s) {
        let t = nip.as_str();
        assert_eq!(t.len(), 18);
        assert!(t.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(Nip::parse(t).as_ref(), Ok(&nip));
    }
});
