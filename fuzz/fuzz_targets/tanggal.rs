//! Dates as people type them into a form, an API body or an import cell.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipkatdes::perangkat::data::{iso, iso_ketikan, tanggal, tanggal_id, tanggal_isian, tanggal_ketikan};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Some(d) = tanggal(s) {
        // An ISO date is exactly its own text: digits in place ("2023-+1-27" once read as
        // 27 January 2023 — found by this target, issue 15 point 11), four-digit years.
        assert_eq!(iso(d), s);
        assert!((0..=9999).contains(&d.year()));
    }
    match tanggal_ketikan(s) {
        Some(d) => {
            let t = iso_ketikan(s);
            assert_eq!(t, iso(d));
            // What is shown back in the box reads as the same day.
            if (1000..=9999).contains(&d.year()) {
                assert_eq!(tanggal_ketikan(&tanggal_isian(&t)), Some(d));
            }
            assert_eq!(tanggal(&t), Some(d));
        }
        None => assert_eq!(iso_ketikan(s), s.trim()),
    }
    let _ = tanggal_id(s);
    let _ = tanggal_isian(s);
});
