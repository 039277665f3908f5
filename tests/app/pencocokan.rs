//! The machine reads the SK and compares it with the entry (issue 13): the queue in the
//! database, the result per record, the API, the warnings and the pages, on both backends.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sipkatdes::sk::baca::Pembaca;

use crate::helpers::*;
use crate::perangkat::{Api, contoh};

const NIK: &str = "6311021403850001";

/// The lines of an SK of `nama` with every value of [`contoh`]`(NIK, …, "kaur_keuangan")`.
fn baris_sk(nama: &str) -> Vec<String> {
    [
        "KEPUTUSAN PEMBAKAL HAUWAI",
        "Nomor 141/05/HAUWAI/2020",
        "TENTANG PENGANGKATAN PERANGKAT DESA",
        "MEMUTUSKAN",
        "Menetapkan:",
        &format!("Nama: {nama}"),
        &format!("NIK: {NIK}"),
        "Tempat/tanggal lahir: Paringin, 14 Maret 1985",
        "Jabatan: Kepala Urusan Keuangan",
        "Terhitung mulai tanggal 2 Januari 2020.",
        "Ditetapkan di Hauwai pada tanggal 2 Januari 2020",
        "PEMBAKAL HAUWAI",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn pdf_sk(nama: &str) -> Vec<u8> {
    sipkatdes::dokumen::contoh::pdf(&baris_sk(nama))
}

/// Does the comparison (src/sk/cocok.rs, being improved on main) report a one-letter typo as
/// `mirip` yet? The first version only tells `cocok` from `tidak_ditemukan`; the tests of the
/// `mirip` path say so loudly and stop until it does.
fn cocok_kenal_mirip() -> bool {
    use sipkatdes::sk::cocok::{Entri, Hasil, cocokkan};
    let e = Entri {
        nama: "Ahmad Fauzan".into(),
        ..Default::default()
    };
    let ok = cocokkan(&baris_sk("Ahmad Fauzi").join("\n"), false, &e)
        .first()
        .is_some_and(|m| m.hasil == Hasil::Mirip);
    if !ok {
        eprintln!("PERHATIAN: src/sk/cocok.rs belum melaporkan `mirip`; uji jalur mirip dilewati.");
    }
    ok
}

async fn app_dengan_pekerja(atur: impl FnOnce(&mut sipkatdes::app::Config)) -> TestApp {
    spawn_app_dengan(|c| {
        c.sk_pekerja = Some(1);
        atur(c);
    })
    .await
}

async fn siapkan(app: &TestApp) {
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
}

/// Polls the record's check until its status is one of `akhir` (at most 30 s).
async fn tunggu(a: &Api<'_>, id: i64, akhir: &[&str]) -> Value {
    let mulai = Instant::now();
    loop {
        let v = a.json(&format!("/api/v1/perangkat/{id}/pencocokan")).await;
        if akhir.contains(&v["status"].as_str().unwrap_or("")) {
            return v;
        }
        assert!(
            mulai.elapsed() < Duration::from_secs(30),
            "the reading did not end within 30 s: {v}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

fn medan<'a>(v: &'a Value, field: &str) -> &'a Value {
    v["medan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["field"] == field)
        .unwrap_or_else(|| panic!("no field {field} in {v}"))
}

fn sk_berbeda(detail: &Value) -> Vec<Value> {
    detail["peringatan"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kode"] == "sk_berbeda")
        .cloned()
        .collect()
}

#[tokio::test]
async fn teks_pdf_beda_satu_huruf_mirip_lalu_dihitung_ulang_setelah_dikoreksi() {
    if !cocok_kenal_mirip() {
        return;
    }
    let app = app_dengan_pekerja(|_| {}).await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op.buat(DESA_A, &contoh(NIK, "Ahmad Fauzan", "kaur_keuangan")).await;

    // Before the SK: 200, nothing to compare yet, in words.
    let v = op.json(&format!("/api/v1/perangkat/{id}/pencocokan")).await;
    assert_eq!(v["status"], "tidak_tersedia", "{v}");
    assert!(v["dokumen_id"].is_null() && v["sha256"].is_null() && v["sumber"].is_null());
    assert!(v["pesan"].as_str().unwrap().contains("belum diunggah"), "{v}");
    assert_eq!(v["medan"], json!([]));

    let r = op.unggah(id, pdf_sk("Ahmad Fauzi"), "sk.pdf", None).await;
    assert_eq!(r.status(), 201);
    let dok: Value = r.json().await.unwrap();
    let v = tunggu(&op, id, &["selesai", "gagal", "tidak_tersedia"]).await;
    assert_eq!(v["status"], "selesai", "{v}");
    assert_eq!(v["sumber"], "teks_pdf");
    assert_eq!(v["dokumen_id"], dok["id"]);
    assert_eq!(v["sha256"], dok["sha256"]);
    assert_eq!(v["halaman_selesai"], 1);
    assert_eq!(v["halaman_total"], 1);
    let nama = medan(&v, "nama");
    assert_eq!(nama["nilai"], "Ahmad Fauzan");
    assert_eq!(nama["hasil"], "mirip", "{v}");
    assert!(nama["teks_sk"].as_str().unwrap().contains("Ahmad Fauzi"), "{v}");
    for f in [
        "nik",
        "tempat_lahir",
        "tanggal_lahir",
        "jabatan",
        "nomor_sk_pengangkatan",
        "tmt",
    ] {
        assert_eq!(medan(&v, f)["hasil"], "cocok", "{f}: {v}");
    }
    assert_eq!(v["ringkasan"], "7 dari 8 cocok");

    // The mirip is a warning of the record, with its field, in plain words.
    let d = op.json(&format!("/api/v1/perangkat/{id}")).await;
    let w = sk_berbeda(&d);
    assert_eq!(w.len(), 1, "{d}");
    assert_eq!(w[0]["field"], "nama");
    assert_eq!(
        w[0]["pesan"],
        "Nama pada SK: 'Ahmad Fauzi'; yang diisi: 'Ahmad Fauzan'."
    );
    // Other warnings keep their shape: no `field` key.
    assert!(
        d["peringatan"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["kode"] != "sk_berbeda")
            .all(|p| p.get("field").is_none())
    );

    // Correcting the entry recomputes the check at once (the SK was read already).
    let mut baru = contoh(NIK, "Ahmad Fauzi", "kaur_keuangan");
    baru["versi"] = d["versi"].clone();
    let r = op.put(&format!("/api/v1/perangkat/{id}"), &baru).await;
    assert_eq!(r.status(), 200);
    let h: Value = r.json().await.unwrap();
    assert!(sk_berbeda(&h).is_empty(), "{h}");
    let v = op.json(&format!("/api/v1/perangkat/{id}/pencocokan")).await;
    assert_eq!(v["status"], "selesai");
    assert!(
        v["medan"].as_array().unwrap().iter().all(|m| m["hasil"] == "cocok"),
        "{v}"
    );
    assert_eq!(v["ringkasan"], "8 dari 8 cocok");
    let d = op.json(&format!("/api/v1/perangkat/{id}")).await;
    assert!(sk_berbeda(&d).is_empty());

    // Each change of the summary is in the Riwayat, once.
    let n = app
        .jumlah_id(
            "SELECT COUNT(*) FROM riwayat WHERE perangkat_id = $1 AND aksi = 'dicek_mesin'",
            id,
        )
        .await;
    assert_eq!(n, 2);
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/perangkat/{id}/riwayat")).await;
    assert!(html.contains("Dicek mesin: 7 dari 8 cocok. Mirip: Nama."), "{html}");
    assert!(html.contains("Dicek mesin: 8 dari 8 cocok."));
    // Reading again changes nothing.
    op.json(&format!("/api/v1/perangkat/{id}/pencocokan")).await;
    let n2 = app
        .jumlah_id(
            "SELECT COUNT(*) FROM riwayat WHERE perangkat_id = $1 AND aksi = 'dicek_mesin'",
            id,
        )
        .await;
    assert_eq!(n2, 2);
}

#[tokio::test]
async fn isi_yang_sama_dibaca_sekali() {
    let app = app_dengan_pekerja(|_| {}).await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let a = op.buat(DESA_A, &contoh(NIK, "Ahmad Fauzi", "kaur_keuangan")).await;
    assert_eq!(op.unggah(a, pdf_sk("Ahmad Fauzi"), "sk.pdf", None).await.status(), 201);
    tunggu(&op, a, &["selesai"]).await;
    let b = op
        .buat(DESA_A, &contoh("6311024506900002", "Siti Aminah", "kasi_pelayanan"))
        .await;
    assert_eq!(
        op.unggah(b, pdf_sk("Ahmad Fauzi"), "sk-lagi.pdf", None).await.status(),
        201
    );
    // Known content: the result is there without a new reading.
    let v = op.json(&format!("/api/v1/perangkat/{b}/pencocokan")).await;
    assert_eq!(v["status"], "selesai", "{v}");
    // The SK names someone else: never a match.
    assert_ne!(medan(&v, "nama")["hasil"], "cocok", "{v}");
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM sk_bacaan").await, 1);
    assert_eq!(app.jumlah("SELECT MAX(percobaan) FROM sk_bacaan").await, 1);
}

/// `tesseract` on this machine, or `None` (skips; in CI a missing Tesseract fails).
fn ocr_ada() -> bool {
    let ada = Pembaca::bawaan().ocr_tersedia() && std::process::Command::new("pdftoppm").arg("-v").output().is_ok();
    if !ada {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: Tesseract OCR (tesseract-ocr, tesseract-ocr-ind) and pdftoppm must be installed"
        );
        eprintln!("Tesseract OCR atau pdftoppm tidak terpasang: uji OCR dilewati.");
    }
    ada
}

/// The SK rendered as a scan (PNG, no text layer) with pdftoppm.
fn pindaian(nama: &str, dpi: u32) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("sk.pdf");
    std::fs::write(&pdf, pdf_sk(nama)).unwrap();
    let out = dir.path().join("pindai");
    let s = std::process::Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-gray", "-singlefile"])
        .arg(&pdf)
        .arg(&out)
        .status()
        .unwrap();
    assert!(s.success());
    std::fs::read(out.with_extension("png")).unwrap()
}

#[tokio::test]
async fn pindaian_png_dibaca_dengan_ocr() {
    if !ocr_ada() {
        return;
    }
    let app = app_dengan_pekerja(|_| {}).await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op.buat(DESA_A, &contoh(NIK, "Ahmad Fauzi", "kaur_keuangan")).await;
    assert_eq!(
        op.unggah(id, pindaian("Ahmad Fauzi", 200), "sk.png", None)
            .await
            .status(),
        201
    );
    let v = tunggu(&op, id, &["selesai", "gagal", "tidak_tersedia"]).await;
    assert_eq!(v["status"], "selesai", "{v}");
    assert_eq!(v["sumber"], "ocr");
    assert_eq!(medan(&v, "nama")["hasil"], "cocok", "{v}");
    assert_eq!(medan(&v, "nomor_sk_pengangkatan")["hasil"], "cocok", "{v}");
}

#[tokio::test]
async fn tanpa_tesseract_pindaian_tidak_tersedia_teks_pdf_tetap_selesai() {
    let app = app_dengan_pekerja(|c| {
        c.sk_pembaca.tesseract = "/tidak/ada/tesseract".into();
    })
    .await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let scan = op.buat(DESA_A, &contoh(NIK, "Ahmad Fauzi", "kaur_keuangan")).await;
    let png = {
        // Any image: without OCR it is never looked at.
        let img = image::GrayImage::from_pixel(300, 400, image::Luma([250]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    assert_eq!(op.unggah(scan, png, "sk.png", None).await.status(), 201);
    let v = tunggu(&op, scan, &["selesai", "gagal", "tidak_tersedia"]).await;
    assert_eq!(v["status"], "tidak_tersedia", "{v}");
    assert!(v["sha256"].is_string() && v["dokumen_id"].is_i64());
    assert!(!v["medan"].as_array().unwrap().is_empty());
    assert!(
        v["medan"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["hasil"] == "tidak_terbaca"),
        "{v}"
    );
    assert!(v["ringkasan"].is_null());
    // The page says it in words: the machine check needs Tesseract; the person compares by eye.
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/perangkat/{scan}/pemeriksaan")).await;
    assert!(html.contains("Tesseract OCR"), "{html}");
    assert!(html.contains("Cocokkan SK dengan data secara langsung"));
    assert!(!html.contains("http-equiv=\"refresh\""));

    let teks = op
        .buat(DESA_A, &contoh("6311024506900002", "Siti Aminah", "kasi_pelayanan"))
        .await;
    assert_eq!(
        op.unggah(teks, pdf_sk("Siti Aminah"), "sk.pdf", None).await.status(),
        201
    );
    let v = tunggu(&op, teks, &["selesai", "gagal", "tidak_tersedia"]).await;
    assert_eq!(v["status"], "selesai", "{v}");
    assert_eq!(v["sumber"], "teks_pdf");
}

/// A stored SK document whose file is `isi`, put in the database behind the upload's back (a
/// file that upload would refuse today, or that broke on disk).
async fn dokumen_langsung(app: &TestApp, id: i64, isi: &[u8]) -> String {
    let sha = hex_lower(&<sha2::Sha256 as sha2::Digest>::digest(isi));
    app.state
        .simpanan
        .simpan(&sha, bytes::Bytes::from(isi.to_vec()))
        .await
        .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    sipkatdes::tx!(&mut tx, c => {
        sqlx::query("INSERT INTO dokumen (perangkat_id, jenis, sha256, ukuran, mime, nama_asli, diunggah_pada, diunggah_oleh)
                     VALUES ($1, 'sk_pengangkatan', $2, $3, 'application/pdf', 'rusak.pdf', 0, 'op.a')")
            .bind(id)
            .bind(&sha)
            .bind(isi.len() as i64)
            .execute(c)
            .await
            .unwrap();
    });
    tx.commit().await.unwrap();
    sha
}

#[tokio::test]
async fn berkas_rusak_gagal_dan_antrean_berlanjut() {
    let app = app_dengan_pekerja(|_| {}).await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let rusak = op.buat(DESA_A, &contoh(NIK, "Ahmad Fauzi", "kaur_keuangan")).await;
    let sha = dokumen_langsung(&app, rusak, b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer garbage").await;
    sipkatdes::sk::antrean::antre(&app.db, &sha, 0).await.unwrap();
    app.state.antrean.bangunkan();
    let baik = op
        .buat(DESA_A, &contoh("6311024506900002", "Siti Aminah", "kasi_pelayanan"))
        .await;
    assert_eq!(
        op.unggah(baik, pdf_sk("Siti Aminah"), "sk.pdf", None).await.status(),
        201
    );
    let v = tunggu(&op, rusak, &["selesai", "gagal", "tidak_tersedia"]).await;
    assert_eq!(v["status"], "gagal", "{v}");
    assert!(!v["pesan"].as_str().unwrap().is_empty());
    assert!(
        v["medan"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["hasil"] == "tidak_terbaca")
    );
    let v = tunggu(&op, baik, &["selesai", "gagal", "tidak_tersedia"]).await;
    assert_eq!(v["status"], "selesai", "{v}");
    // The page shows the message.
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/perangkat/{rusak}/pemeriksaan")).await;
    assert!(html.contains("SK tidak dapat dibaca mesin."), "{html}");
}

#[tokio::test]
async fn tugas_yang_tertinggal_dikerjakan_setelah_mulai_ulang() {
    // A server without workers: the jobs stay in the database.
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let a = op.buat(DESA_A, &contoh(NIK, "Ahmad Fauzi", "kaur_keuangan")).await;
    assert_eq!(op.unggah(a, pdf_sk("Ahmad Fauzi"), "sk.pdf", None).await.status(), 201);
    let b = op
        .buat(DESA_A, &contoh("6311024506900002", "Siti Aminah", "kasi_pelayanan"))
        .await;
    assert_eq!(op.unggah(b, pdf_sk("Siti Aminah"), "sk.pdf", None).await.status(), 201);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let v = op.json(&format!("/api/v1/perangkat/{a}/pencocokan")).await;
    assert_eq!(v["status"], "menunggu");
    assert_eq!(v["medan"], json!([]));
    // The page keeps its status box current while it waits (a script, not a timed reload:
    // WCAG 2.2.1), and says so.
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/perangkat/{a}/pemeriksaan")).await;
    assert!(!html.contains("http-equiv=\"refresh\""), "{html}");
    assert!(html.contains("<script src=\"/aset/mesin.js\" defer>"), "{html}");
    assert!(html.contains("data-berjalan"), "{html}");
    assert!(html.contains("menunggu giliran dibaca"));
    // One job was claimed by a process that died long ago: its lease has run out.
    let sha_b = op.json(&format!("/api/v1/perangkat/{b}/pencocokan")).await["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let mut tx = app.db.begin().await.unwrap();
    sipkatdes::tx!(&mut tx, c => {
        sqlx::query("UPDATE sk_bacaan SET status = 'diproses', percobaan = 1, diklaim_pada = 1, halaman_total = 1 WHERE sha256 = $1")
            .bind(&sha_b)
            .execute(c)
            .await
            .unwrap();
    });
    tx.commit().await.unwrap();
    let v = op.json(&format!("/api/v1/perangkat/{b}/pencocokan")).await;
    assert_eq!(v["status"], "diproses");
    let html = app.html(&c, &format!("/perangkat/{b}/pemeriksaan")).await;
    assert!(html.contains("Membaca SK… 0 dari 1 halaman"), "{html}");

    // Another process starts on the same database: it takes both.
    let s = &app.state;
    let pekerja = s
        .antrean
        .mulai(s.db.clone(), s.simpanan.clone(), Pembaca::bawaan(), s.clock.clone(), 1)
        .await
        .unwrap();
    for id in [a, b] {
        let v = tunggu(&op, id, &["selesai", "gagal", "tidak_tersedia"]).await;
        assert_eq!(v["status"], "selesai", "{v}");
    }
    assert_eq!(
        app.jumlah("SELECT MAX(percobaan) FROM sk_bacaan").await,
        2,
        "the job whose lease ran out was claimed again (its second attempt)"
    );
    pekerja.hentikan().await;
    let html = app.html(&c, &format!("/perangkat/{a}/pemeriksaan")).await;
    assert!(!html.contains("http-equiv=\"refresh\""));
}

#[tokio::test]
async fn cakupan_dan_nik_tersamar() {
    let app = app_dengan_pekerja(|_| {}).await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op.buat(DESA_A, &contoh(NIK, "Ahmad Fauzi", "kaur_keuangan")).await;
    op.simpan(id).await;
    // The saved version's SK is the short one of the test helpers; a new SK makes a revision.
    assert_eq!(op.unggah(id, pdf_sk("Ahmad Fauzi"), "sk.pdf", None).await.status(), 201);
    let v = tunggu(&op, id, &["selesai"]).await;
    assert_eq!(medan(&v, "nik")["nilai"], NIK);
    assert_eq!(medan(&v, "nik")["teks_sk"], NIK);
    let r = op.periksa(id, json!({ "sesuai": true })).await;
    assert_eq!(r.status(), 200);

    // Another desa's operator: the record does not exist.
    let lain = Api::baru(&app, "op.b").await;
    let r = lain.get(&format!("/api/v1/perangkat/{id}/pencocokan")).await;
    assert_eq!(r.status(), 404);
    let r = lain.get("/api/v1/perangkat/999999/pencocokan").await;
    assert_eq!(r.status(), 404);

    // The Kepala Desa sees the NIK masked, in the entered value and in the SK's text.
    let kades = Api::baru(&app, "kades.a").await;
    let v = kades.json(&format!("/api/v1/perangkat/{id}/pencocokan")).await;
    assert_eq!(v["status"], "selesai", "{v}");
    let nik = medan(&v, "nik");
    assert_eq!(nik["nilai"], "6311************");
    // The SK's text is masked like the value: the serial is not shown there either.
    assert_eq!(nik["teks_sk"], "6311************");
    assert!(!v.to_string().contains(NIK));
    // The kecamatan sees it whole (as on the record).
    let kec = Api::baru(&app, "kec").await;
    let v = kec.json(&format!("/api/v1/perangkat/{id}/pencocokan")).await;
    assert_eq!(medan(&v, "nik")["nilai"], NIK);
    // And the summary on the record page.
    let c = app.masuk_ok("kec").await;
    let html = app.html(&c, &format!("/perangkat/{id}")).await;
    assert!(html.contains("Dicek mesin: 8 dari 8 cocok"), "{html}");
}

#[tokio::test]
async fn halaman_pemeriksaan_menunjukkan_tanda() {
    if !cocok_kenal_mirip() {
        return;
    }
    let app = app_dengan_pekerja(|_| {}).await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op.buat(DESA_A, &contoh(NIK, "Ahmad Fauzan", "kaur_keuangan")).await;
    assert_eq!(op.unggah(id, pdf_sk("Ahmad Fauzi"), "sk.pdf", None).await.status(), 201);
    tunggu(&op, id, &["selesai"]).await;
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/perangkat/{id}/pemeriksaan")).await;
    assert!(html.contains("Dicek mesin: 7 dari 8 cocok"), "{html}");
    // Marks with words, not only symbols.
    assert!(html.contains("Cocok dengan SK"));
    let mirip = semua_teks(&html, ".tanda-mirip");
    assert_eq!(mirip.len(), 1, "{html}");
    assert!(
        mirip[0].contains("Mirip") && mirip[0].contains("Ahmad Fauzi"),
        "{mirip:?}"
    );
    // In the warnings box in plain words.
    assert!(
        html.contains("Nama pada SK: &#39;Ahmad Fauzi&#39;; yang diisi: &#39;Ahmad Fauzan&#39;.")
            || html.contains("Nama pada SK: 'Ahmad Fauzi'; yang diisi: 'Ahmad Fauzan'."),
        "{html}"
    );
    assert!(!html.contains("http-equiv=\"refresh\""));
    // The person still decides.
    assert!(html.contains("Sesuai — Simpan") && html.contains("Tidak Sesuai"));
    // The record page: the summary and the mirip field.
    let html = app.html(&c, &format!("/perangkat/{id}")).await;
    assert!(html.contains("Dicek mesin: 7 dari 8 cocok"));
    assert!(html.contains("Berbeda dengan SK: Nama."), "{html}");
}

/// A scan read by an older reader (before the page preparation of `sk::gambar`) is read again
/// when a worker starts; a text PDF, read exactly, is not.
#[tokio::test]
async fn pindaian_dari_pembaca_lama_dibaca_ulang_saat_mulai() {
    if !ocr_ada() {
        return;
    }
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let a = op.buat(DESA_A, &contoh(NIK, "Ahmad Fauzi", "kaur_keuangan")).await;
    assert_eq!(
        op.unggah(a, pindaian("Ahmad Fauzi", 200), "sk.png", None)
            .await
            .status(),
        201
    );
    let b = op
        .buat(DESA_A, &contoh("6311024506900002", "Siti Aminah", "kasi_pelayanan"))
        .await;
    assert_eq!(op.unggah(b, pdf_sk("Siti Aminah"), "sk.pdf", None).await.status(), 201);
    let s = &app.state;
    let pekerja = s
        .antrean
        .mulai(s.db.clone(), s.simpanan.clone(), Pembaca::bawaan(), s.clock.clone(), 1)
        .await
        .unwrap();
    for id in [a, b] {
        assert_eq!(
            tunggu(&op, id, &["selesai", "gagal", "tidak_tersedia"]).await["status"],
            "selesai"
        );
    }
    pekerja.hentikan().await;
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM sk_bacaan WHERE pembaca <> ''").await,
        2,
        "every reading carries its reader"
    );
    // Both as if read by the first reader: the scan's text was poor.
    let mut tx = app.db.begin().await.unwrap();
    sipkatdes::tx!(&mut tx, c => {
        sqlx::query("UPDATE sk_bacaan SET pembaca = '', teks = 'teks lama yang buruk terbaca dari pindaian tanpa persiapan halaman'")
            .execute(c)
            .await
            .unwrap();
    });
    tx.commit().await.unwrap();
    let pekerja = s
        .antrean
        .mulai(s.db.clone(), s.simpanan.clone(), Pembaca::bawaan(), s.clock.clone(), 1)
        .await
        .unwrap();
    let v = tunggu(&op, a, &["selesai", "gagal", "tidak_tersedia"]).await;
    pekerja.hentikan().await;
    assert_eq!(v["status"], "selesai", "{v}");
    assert_eq!(medan(&v, "nama")["hasil"], "cocok", "the scan was read again: {v}");
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM sk_bacaan WHERE sumber = 'ocr' AND pembaca <> ''")
            .await,
        1
    );
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM sk_bacaan WHERE sumber = 'ocr' AND teks LIKE 'teks lama%'")
            .await,
        0,
        "the scan's text is the new reading"
    );
    // The text PDF kept its reading (and its reader mark).
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM sk_bacaan WHERE sumber = 'teks_pdf' AND pembaca = ''")
            .await,
        1
    );
}
