//! SK uploads: judged by content, limited in size, stored by SHA-256, served safely.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::*;
use crate::perangkat::{Api, contoh, pdf_sk};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 210, 220]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([120, 110, 100]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

async fn siapkan(app: &TestApp) -> (Api<'_>, i64) {
    app.pengguna("op.a", "operator", DESA_A).await;
    let a = Api::baru(app, "op.a").await;
    let id = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    (a, id)
}

#[tokio::test]
async fn pdf_png_jpeg_diterima_dan_disimpan_menurut_sha256() {
    let app = spawn_app().await;
    let (a, id) = siapkan(&app).await;
    for (isi, nama, mime) in [
        (pdf_sk(), "sk.pdf", "application/pdf"),
        (png(), "sk.png", "image/png"),
        (jpeg(), "sk.jpg", "image/jpeg"),
    ] {
        let r = a.unggah(id, isi.clone(), nama, Some("lainnya")).await;
        assert_eq!(r.status(), 201, "{nama}");
        let v: Value = r.json().await.unwrap();
        let sha = hex::encode(Sha256::digest(&isi));
        assert_eq!(v["sha256"], sha.as_str());
        assert_eq!(v["ukuran"], isi.len());
        assert_eq!(v["mime"], mime);
        // The file is on disk under its hash, byte for byte.
        let path = app.data_dir().join("berkas").join("sha256").join(&sha[..2]).join(&sha);
        assert_eq!(std::fs::read(&path).unwrap(), isi);
        // Served back with its type, as an attachment with a safe name, never sniffed.
        let r = a.get(&format!("/api/v1/dokumen/{}", v["id"])).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], mime);
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"sk.")
        );
        assert_eq!(r.bytes().await.unwrap().to_vec(), isi);
    }
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'dokumen_diunduh'")
            .await,
        3
    );
}

#[tokio::test]
async fn jenis_lain_ditolak_415_berdasarkan_isi() {
    let app = spawn_app().await;
    let (a, id) = siapkan(&app).await;
    let mut exe = b"MZ\x90\x00".to_vec();
    exe.extend_from_slice(&[0u8; 64]);
    for (isi, nama) in [
        (b"<html><script>alert(1)</script></html>".to_vec(), "sk.pdf"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
            "sk.png",
        ),
        (exe, "sk.jpg"),
        (b"GIF89a".to_vec(), "sk.gif"),
    ] {
        let r = a.unggah(id, isi, nama, None).await;
        assert_eq!(r.status(), 415, "{nama}");
        let v: Value = r.json().await.unwrap();
        assert!(v["error"]["pesan"].as_str().unwrap().contains("PDF, JPEG atau PNG"));
    }
    // The right magic bytes but a damaged body: refused with a message (422).
    for (isi, nama) in [
        (b"%PDF-1.4\nrusak".to_vec(), "rusak.pdf"),
        (png()[..30].to_vec(), "potong.png"),
    ] {
        let r = a.unggah(id, isi, nama, None).await;
        assert_eq!(r.status(), 422, "{nama}");
        let v: Value = r.json().await.unwrap();
        assert!(v["error"]["field"]["berkas"].is_string());
    }
    // Zero bytes, a wrong document kind.
    assert_eq!(a.unggah(id, vec![], "kosong.pdf", None).await.status(), 422);
    assert_eq!(a.unggah(id, pdf_sk(), "sk.pdf", Some("ktp")).await.status(), 422);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM dokumen").await, 0);
}

#[tokio::test]
async fn berkas_terlalu_besar_413() {
    let app = spawn_app_dengan(|c| c.batas_unggah = 64 * 1024).await;
    let (a, id) = siapkan(&app).await;
    let mut besar = pdf_sk();
    besar.resize(64 * 1024 + 1, b' ');
    let r = a.unggah(id, besar, "besar.pdf", None).await;
    assert_eq!(r.status(), 413);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"]["pesan"].as_str().unwrap().contains("terlalu besar"));
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM dokumen").await, 0);
    // At the limit exactly it is judged by content as usual.
    let mut pas = pdf_sk();
    pas.resize(64 * 1024, b' ');
    assert_eq!(a.unggah(id, pas, "pas.pdf", None).await.status(), 201);
}

#[tokio::test]
async fn nama_berkas_berbahaya_dinetralkan() {
    let app = spawn_app().await;
    let (a, id) = siapkan(&app).await;
    // CR/LF in a part's header: the multipart body is refused as malformed (naming the file
    // field), nothing stored.
    let r = a.unggah(id, pdf_sk(), "a\r\nX.pdf", None).await;
    assert_eq!(r.status(), 422);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM dokumen").await, 0);
    let r = a.unggah(id, pdf_sk(), "../../etc/\u{202E}fdp.exe.pdf", None).await;
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let r = a.get(&format!("/api/v1/dokumen/{}", v["id"])).await;
    let cd = r.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(
        !cd.contains("..") && !cd.contains('/') && !cd.contains('\u{202E}'),
        "{cd}"
    );
    assert!(cd.ends_with(".pdf\""), "{cd}");
    // The original name is kept as metadata only, without the direction override.
    let nama: String =
        sipkatdes::read!(app.db, c => sqlx::query_scalar("SELECT nama_asli FROM dokumen").fetch_one(c).await.unwrap());
    assert_eq!(nama, "../../etc/fdp.exe.pdf");
}

#[tokio::test]
async fn dokumen_di_luar_cakupan_404() {
    let app = spawn_app().await;
    let (a, id) = siapkan(&app).await;
    let v: Value = a.unggah(id, pdf_sk(), "sk.pdf", None).await.json().await.unwrap();
    app.pengguna("op.b", "operator", DESA_B).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    let b = Api::baru(&app, "op.b").await;
    assert_eq!(b.get(&format!("/api/v1/dokumen/{}", v["id"])).await.status(), 404);
    let kec = Api::baru(&app, "kec").await;
    // The kecamatan sees documents of saved data only.
    assert_eq!(kec.get(&format!("/api/v1/dokumen/{}", v["id"])).await.status(), 404);
    assert_eq!(a.periksa(id, serde_json::json!({ "sesuai": true })).await.status(), 200);
    assert_eq!(kec.get(&format!("/api/v1/dokumen/{}", v["id"])).await.status(), 200);
    // The page route needs a session.
    let r = app
        .klien()
        .get(app.url(&format!("/dokumen/{}", v["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn foto_harus_gambar_dan_tampil_di_halaman() {
    let app = spawn_app().await;
    let (a, id) = siapkan(&app).await;
    let r = a.unggah(id, pdf_sk(), "foto.pdf", Some("foto")).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["field"]["berkas"], "Foto harus berupa gambar JPEG atau PNG.");
    let v: Value = a
        .unggah(id, jpeg(), "foto.jpg", Some("foto"))
        .await
        .json()
        .await
        .unwrap();
    let c = app.masuk_ok("op.a").await;
    let html = c
        .get(app.url(&format!("/perangkat/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("<img class=\"foto\" src=\"/dokumen/{}\"", v["id"])),
        "{html}"
    );
}

#[tokio::test]
async fn pemeriksaan_terhadap_halaman_sebelum_unggahan_baru_ditolak_409() {
    let app = spawn_app().await;
    let (a, id) = siapkan(&app).await;
    assert_eq!(a.unggah(id, pdf_sk(), "sk-lama.pdf", None).await.status(), 201);
    let versi = a.json(&format!("/api/v1/perangkat/{id}")).await["versi"]
        .as_i64()
        .unwrap();
    // Someone replaces the SK while the operator is looking at the old one…
    assert_eq!(a.unggah(id, pdf_sk(), "sk-baru.pdf", None).await.status(), 201);
    // …so "Sesuai" against the page as it was is refused.
    let r = a
        .periksa(id, serde_json::json!({ "sesuai": true, "versi": versi }))
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat_tersimpan").await, 0);
}
