//! Dates as people type them into a form, an API body or an import cell.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipkatdes::perangkat::data::{iso, iso_ketikan, tanggal, tanggal_id, tanggal_isian, tanggal_ketikan};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Some(d) = tanggal(s) {
        // An ISO date reads back from its own text. (Not `iso(d) == s`: `tanggal` takes a
        // sign in a part, "2023-+1-27" is 27 January 2023 — found by this target, noted
        // under issue 15; every typed date is stored as `iso_ketikan` writes it, so it never
        // reaches the register as typed.)
        assert_eq!(tanggal(&iso(d)), Some(d));
    }
    match tanggal_ketikan(s) {
        Some(d) => {
            let t = iso_ketikan(s);
            assert_eq!(t, iso(d));
            // What is shown back in the box reads as the same day. (Years of four digits:
            // `tanggal` also takes "-026-01-07", a sign again, which the box cannot show back.)
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
