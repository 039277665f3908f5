//! A multipart upload (the SK scan, the import file) as the server reads it, without a server:
//! the first line of the input is the request's Content-Type, the rest its body.
#![no_main]

use axum::extract::{FromRequest, Multipart};
use axum::http::{Request, header};
use libfuzzer_sys::fuzz_target;
use sipkatdes::dokumen::{self, Jenis};
use sipkatdes::kernel::berkas::{BerkasKiriman, baca_multipart, baca_multipart_lunak};

const BATAS: usize = 4096;

fn permintaan(data: &[u8]) -> Option<Request<axum::body::Body>> {
    let (jenis, isi) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    Request::builder()
        .method("POST")
        .uri("/unggah")
        .header(header::CONTENT_TYPE, jenis)
        .body(axum::body::Body::from(isi.to_vec()))
        .ok()
}

fn nama_aman(nama: &str) {
    let bersih = dokumen::bersihkan_nama_asli(nama);
    assert!(
        !bersih
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
        "{bersih:?}"
    );
    for j in Jenis::SEMUA {
        let n = dokumen::nama_aman(nama, j);
        assert!(!n.is_empty());
        assert!(
            n.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')),
            "{n:?}"
        );
        assert!(!n.starts_with('.') && !n.contains(".."), "{n:?}");
        assert!(n.ends_with(&format!(".{}", j.ekstensi())), "{n:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    thread_local! {
        static RT: tokio::runtime::Runtime =
            tokio::runtime::Builder::new_current_thread().build().unwrap();
    }
    RT.with(|rt| {
        rt.block_on(async {
            if let Some(r) = permintaan(data)
                && let Ok(mp) = Multipart::from_request(r, &()).await
            {
                if let Ok((teks, berkas)) = baca_multipart_lunak(mp, BATAS).await {
                    assert!(teks.len() <= 100);
                    match berkas {
                        BerkasKiriman::Ada(nama, isi) => {
                            assert!(isi.len() <= BATAS);
                            nama_aman(&nama);
                        }
                        BerkasKiriman::TerlaluBesar { batas } => assert_eq!(batas, BATAS),
                        BerkasKiriman::Tidak => {}
                    }
                }
            }
            // The strict reader (the API) agrees with the lenient one (the pages).
            if let Some(r) = permintaan(data)
                && let Ok(mp) = Multipart::from_request(r, &()).await
                && let Ok((_, Some((_, isi)))) = baca_multipart(mp, BATAS).await
            {
                assert!(isi.len() <= BATAS);
            }
        })
    });
    if let Ok(s) = std::str::from_utf8(data) {
        nama_aman(s);
    }
});
