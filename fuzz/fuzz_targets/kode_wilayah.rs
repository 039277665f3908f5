//! Region codes: `init --kecamatan`, user scopes, `?desa=` of the exports, API paths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipkatdes::wilayah::{self, KodeWilayah, Referensi, Tingkat};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let r = Referensi::get();
    if let Ok(k) = KodeWilayah::parse(s) {
        // A parsed code is its own text, trimmed, and reads back to itself.
        assert_eq!(k.as_str(), s.trim());
        assert_eq!(k.to_string(), k.as_str());
        assert_eq!(KodeWilayah::parse(k.as_str()).as_ref(), Ok(&k));
        let len = match k.tingkat() {
            Tingkat::Provinsi => 2,
            Tingkat::Kabupaten => 5,
            Tingkat::Kecamatan => 8,
            Tingkat::Desa => 13,
        };
        assert_eq!(k.as_str().len(), len);
        for t in [Tingkat::Provinsi, Tingkat::Kabupaten, Tingkat::Kecamatan, Tingkat::Desa] {
            let induk = k.induk(t);
            assert!(k.as_str().starts_with(induk.as_str()));
            assert_eq!(KodeWilayah::parse(induk.as_str()).as_ref(), Ok(&induk));
            assert_eq!(induk.tingkat(), t.min(k.tingkat()));
        }
        let _ = k.adalah_desa();
        let _ = r.nama(&k);
        if r.ada(&k) {
            for (anak, _) in r.anak(&k) {
                assert!(anak.as_str().starts_with(k.as_str()));
            }
        }
        if k.tingkat() <= Tingkat::Kecamatan {
            let _ = r.kecamatan_dalam(&k).len();
        }
    }
    let _ = r.ada_provinsi(s);
    // `init --kecamatan A,B,C` checks its list without writing anything.
    let kode: Vec<String> = s.split(',').take(8).map(str::to_string).collect();
    let _ = wilayah::periksa(&kode);
    let _ = wilayah::slug(s);
});
