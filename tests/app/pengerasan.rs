//! Issue 15: what an outside probe got through — each point a test, on SQLite and PostgreSQL.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::perangkat::{Api, contoh};

async fn siapkan(app: &TestApp) {
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    app.pengguna("kab", "kabupaten", "63.11").await;
}

/// Point 4: a control character in any text input is refused with 400 and the field's name —
/// never a 5xx (SQLite's FTS5 answered a NUL in `cari` with "unterminated string").
#[tokio::test]
async fn karakter_kendali_ditolak_dengan_nama_isiannya() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    op.simpan(id).await;
    for path in [
        "/api/v1/perangkat?cari=%00abc".to_string(),
        format!("/api/v1/desa/{DESA_A}/perangkat?cari=%00abc"),
        format!("/api/v1/desa/{DESA_A}/perangkat?cari=ahm%00ad"),
        "/api/v1/perangkat?cari=%1B%5B31m".to_string(),
    ] {
        let r = op.get(&path).await;
        assert_eq!(r.status(), 400, "{path}");
        let v: Value = r.json().await.unwrap();
        assert!(
            v["error"]["field"]["cari"]
                .as_str()
                .unwrap()
                .contains("karakter kendali"),
            "{v}"
        );
    }
    // A JSON body: refused before anything is written (PostgreSQL refuses NUL in text).
    let mut d = contoh("6311021403860001", "Budi\u{0}Santoso", "kaur_perencanaan");
    let r = op.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &d).await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"]["field"]["nama"].is_string(), "{v}");
    d["nama"] = json!("Budi Santoso");
    d["alamat"] = json!("RT 01\nDusun Mekar");
    assert_eq!(
        op.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &d).await.status(),
        201
    );
    // Tab, line feed and carriage return stay allowed in a search.
    let l = op.json("/api/v1/perangkat?cari=ahmad%09").await;
    assert_eq!(l["total"], 1);

    // The web pages: the same refusal as a page, for every role's search.
    for u in ["op.a", "kec"] {
        let c = app.masuk_ok(u).await;
        for path in [
            format!("/desa/{DESA_A}?cari=%00abc"),
            format!("/desa/{DESA_A}?cari=a%00"),
        ] {
            let r = c.get(app.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), 400, "{u} {path}");
            let html = r.text().await.unwrap();
            assert!(html.contains("cari") && html.contains("karakter kendali"), "{html}");
        }
    }
    // A form post: refused with the field's name, nothing written.
    let c = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&c, "/akun/kata-sandi").await;
    let r = c
        .post(app.url("/akun/kata-sandi"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("sandi_lama", "x\u{0}"),
            ("sandi_baru", "a"),
            ("ulangi_sandi", "a"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("sandi_lama"));
}
