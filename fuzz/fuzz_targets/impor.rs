//! An import file as uploaded (CSV or XLSX, or anything else): read, then previewed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sipkatdes_fuzz::impor(data));
