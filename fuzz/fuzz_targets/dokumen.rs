//! An uploaded SK scan: judged by its bytes (PDF, JPEG, PNG), a PDF parsed and searched for
//! active content and automatic actions, an image decoded within limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipkatdes::dokumen::{self, Jenis, Tolak};

fuzz_target!(|data: &[u8]| {
    let dikenali = dokumen::kenali(data);
    match dokumen::periksa(data) {
        // Accepted only as the kind its first bytes say.
        Ok(j) => assert_eq!(Some(j), dikenali),
        Err(Tolak::JenisTidakDiterima) => assert_eq!(dikenali, None),
        Err(Tolak::Rusak(pesan)) => {
            assert!(dikenali.is_some());
            assert!(!pesan.is_empty());
        }
    }
    if let Some(j) = dikenali {
        assert_eq!(Jenis::dari_mime(j.mime()), Some(j));
    }
});
