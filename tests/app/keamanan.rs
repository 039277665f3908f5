//! Security headers on every response, CSRF on every form, scope on every page.

use crate::helpers::*;

fn periksa_header(r: &reqwest::Response, apa: &str) {
    let h = r.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{apa}: no CSP"))
        .to_str()
        .unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{apa}: {csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{apa}: {csp}"
    );
    assert!(csp.contains("frame-ancestors 'self'"), "{apa}: {csp}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{apa}");
    assert_eq!(h["referrer-policy"], "same-origin", "{apa}");
}

#[tokio::test]
async fn setiap_jawaban_membawa_header_keamanan() {
    let app = spawn_app().await;
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let c = app.masuk_ok("admin").await;
    let kasus: Vec<(&str, reqwest::Response)> = vec![
        ("login page", anon.get(app.url("/")).send().await.unwrap()),
        ("healthz", anon.get(app.url("/healthz")).send().await.unwrap()),
        ("404 page", anon.get(app.url("/tidak/ada")).send().await.unwrap()),
        ("404 api", anon.get(app.url("/api/v1/tidak-ada")).send().await.unwrap()),
        ("401 api", anon.get(app.url("/api/v1/desa")).send().await.unwrap()),
        ("redirect", anon.get(app.url("/admin")).send().await.unwrap()),
        (
            "403 csrf",
            c.post(app.url("/keluar")).form(&[("_csrf", "x")]).send().await.unwrap(),
        ),
        ("page", c.get(app.url("/admin")).send().await.unwrap()),
        ("asset", anon.get(app.url("/aset/sipkatdes.css")).send().await.unwrap()),
    ];
    for (apa, r) in &kasus {
        periksa_header(r, apa);
    }
    // Pages are never cached; assets are.
    assert_eq!(kasus[7].1.headers()["cache-control"], "no-store");
    assert!(
        kasus[8].1.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public")
    );
    assert_eq!(kasus[2].1.status(), 404);
    assert!(
        kasus[2].1.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        kasus[3].1.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn halaman_tanpa_skrip_sebaris() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    for p in [
        "/admin",
        "/admin/pengguna",
        "/admin/pengguna/baru",
        "/admin/desa",
        "/desa",
        &format!("/desa/{DESA_A}"),
        "/akun/kata-sandi",
    ] {
        let html = c.get(app.url(p)).send().await.unwrap().text().await.unwrap();
        let doc = scraper::Html::parse_document(&html);
        let skrip = scraper::Selector::parse("script:not([src]), [style]").unwrap();
        assert_eq!(doc.select(&skrip).count(), 0, "{p} has inline script or style");
        assert!(html.contains("lang=\"id\""), "{p}");
    }
}

#[tokio::test]
async fn formulir_tanpa_token_csrf_ditolak_tanpa_perubahan() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    let isi = [
        ("username", "penyusup"),
        ("peran", "admin"),
        ("cakupan", ""),
        ("password", "kuda-lari-cepat-2"),
    ];
    let r = c.post(app.url("/admin/pengguna")).form(&isi).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let mut salah = vec![("_csrf", "0000")];
    salah.extend_from_slice(&isi);
    let r = c.post(app.url("/admin/pengguna")).form(&salah).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Formulir kedaluwarsa atau tidak sah."));
    // A valid token from another origin is refused too.
    let csrf = app.csrf(&c, "/admin").await;
    let mut benar = vec![("_csrf", csrf.as_str())];
    benar.extend_from_slice(&isi);
    let r = c
        .post(app.url("/admin/pengguna"))
        .header("origin", "http://penyerang.contoh")
        .form(&benar)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM pengguna WHERE username = 'penyusup'")
            .await,
        0
    );
    // Login itself needs the token of the login page.
    let r = app
        .klien()
        .post(app.url("/masuk"))
        .form(&[("username", "admin"), ("password", SANDI)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The same request with the token works (the checks above were the only obstacle).
    let r = c.post(app.url("/admin/pengguna")).form(&benar).send().await.unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn halaman_desa_di_luar_cakupan_404() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    for u in ["op.a", "kades.a"] {
        let c = app.masuk_ok(u).await;
        let r = c.get(app.url(&format!("/desa/{DESA_B}"))).send().await.unwrap();
        assert_eq!(r.status(), 404, "{u}");
        let html = r.text().await.unwrap();
        assert!(
            !html.contains("Bangkal") && !html.contains(DESA_B),
            "{u} saw the sibling desa"
        );
    }
    let c = app.masuk_ok("kec").await;
    assert_eq!(
        c.get(app.url(&format!("/desa/{DESA_B}")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // Another kecamatan of the same kabupaten is not this instance's: 404.
    assert_eq!(
        c.get(app.url("/desa/63.11.01.2001")).send().await.unwrap().status(),
        404
    );
    // Not logged in: to the login page.
    let r = app
        .klien()
        .get(app.url(&format!("/desa/{DESA_A}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn tabel_audit_hanya_bisa_ditambah() {
    let app = spawn_app().await;
    let mut tx = app.db.begin().await.unwrap();
    let r: Result<_, sqlx::Error> =
        sipkatdes::tx!(&mut tx, c => sqlx::query("UPDATE audit SET aksi = 'x'").execute(c).await.map(|_| ()));
    assert!(r.is_err());
    drop(tx);
    let mut tx = app.db.begin().await.unwrap();
    let r: Result<_, sqlx::Error> =
        sipkatdes::tx!(&mut tx, c => sqlx::query("DELETE FROM audit").execute(c).await.map(|_| ()));
    assert!(r.is_err());
}

#[tokio::test]
async fn kecamatan_tidak_melihat_kecamatan_lain_dalam_instansi_yang_sama() {
    // Halong (63.11.02) and Awayan (63.11.01) in one instance.
    let app = spawn_app_penuh(&[HALONG, "63.11.01"], |_| {}).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    app.pengguna("op.awayan", "operator", "63.11.01.2001").await;
    let c = app.masuk_ok("kec").await;
    let html = c.get(app.url("/desa")).send().await.unwrap().text().await.unwrap();
    assert_eq!(semua_teks(&html, "tbody tr").len(), 24);
    assert!(!html.contains("63.11.01."));
    let r = c.get(app.url("/desa/63.11.01.2001")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let t = app.token("kec").await;
    let v: Vec<serde_json::Value> = reqwest::Client::new()
        .get(app.url("/api/v1/desa"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v.len(), 24);
    assert!(v.iter().all(|d| d["kode"].as_str().unwrap().starts_with("63.11.02.")));
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/desa/63.11.01.2001"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // The admin sees both kecamatan.
    let t = app.token("admin").await;
    let v: Vec<serde_json::Value> = reqwest::Client::new()
        .get(app.url("/api/v1/desa"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v.len() > 24);
}

#[tokio::test]
async fn penolakan_kerangka_dijawab_dalam_bahasa_indonesia() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    // Wrong method, malformed path parameter, wrong content type: Indonesian, with headers.
    let r = c.get(app.url("/keluar")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    periksa_header(&r, "405");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("tidak menerima permintaan dengan metode tersebut")
    );
    let r = c.get(app.url("/admin/pengguna/bukan-angka")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(r.text().await.unwrap().contains("Permintaan tidak valid"));
    let r = reqwest::Client::new()
        .post(app.url("/masuk"))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    assert!(r.text().await.unwrap().contains("Jenis isi permintaan tidak didukung"));
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/auth/token"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["error"]["pesan"].as_str().unwrap().contains("metode"));
    // A form missing a field names it.
    let csrf = app.csrf(&c, "/admin").await;
    let r = c
        .post(app.url("/admin/pengguna/1/status"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(
        teks(&html, "main").unwrap().contains("isian \"aktif\" tidak ada"),
        "{html}"
    );
}

#[tokio::test]
async fn jawaban_500_juga_membawa_header_keamanan_tanpa_rincian_internal() {
    let app = spawn_app().await;
    let token = app.token("admin").await;
    // The database goes away under the running server: the next API call fails inside.
    app.db.close().await;
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/desa"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    periksa_header(&r, "500 api");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let teks = r.text().await.unwrap();
    assert!(
        !teks.to_lowercase().contains("sqlx") && !teks.contains("pool"),
        "{teks}"
    );
    let v: serde_json::Value = serde_json::from_str(&teks).unwrap();
    assert!(!v["error"]["pesan"].as_str().unwrap().is_empty());
    // A page too.
    let r = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(r.status(), 503);
    periksa_header(&r, "503");
}
