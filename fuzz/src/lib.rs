//! What the fuzz targets share: an import's desa, and its run on the rows read.

use std::collections::HashMap;

use sipkatdes::desa::Desa;
use sipkatdes::impor;
use time::{Date, Month};

/// Desa Hauwai (Kecamatan Halong), as the unit tests use it.
pub fn desa_hauwai() -> Desa {
    sipkatdes::desa::contoh_hauwai()
}

/// Reads an import file as the server does and, when it reads, builds the preview (every row
/// checked with the form's rules), asserting what the preview promises.
pub fn impor(isi: &[u8]) {
    let Ok(baris) = impor::baca(isi) else { return };
    let jumlah_baris = baris.len();
    let hari_ini = Date::from_calendar_date(2026, Month::November, 24).unwrap();
    let dusun = ["Dusun I".to_string(), "Dusun II".to_string()];
    let mut terdaftar = HashMap::new();
    terdaftar.insert("6311021403700001".to_string(), "Desa Lain".to_string());
    let Ok(p) = impor::pratinjau(baris, &desa_hauwai(), &dusun, &terdaftar, hari_ini) else {
        return;
    };
    assert!(p.baris.len() <= impor::BATAS_BARIS);
    assert!(p.siap() <= p.baris.len());
    for b in &p.baris {
        assert!(
            b.nomor >= 1 && b.nomor <= jumlah_baris,
            "row number {} of {jumlah_baris}",
            b.nomor
        );
        // Control characters never reach the register (issue 15, point 4).
        for v in [&b.data.nama, &b.data.nik, &b.data.tempat_lahir, &b.data.jabatan] {
            assert!(!v.chars().any(|c| c == '\0'), "NUL kept in {v:?}");
        }
    }
    // The preview is kept between the two steps as JSON: it must round-trip.
    let json = serde_json::to_string(&p).expect("preview as JSON");
    let _: impor::Pratinjau = serde_json::from_str(&json).expect("preview from JSON");
}
