//! The JSON API (SPEC §5): tokens and the desa list, scoped.

use serde_json::{Value, json};

use crate::helpers::*;

async fn minta_token(app: &TestApp, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn token_sesuai_kontrak() {
    let app = spawn_app().await;
    let r = minta_token(&app, json!({ "username": "admin", "password": SANDI })).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let token = v["token"].as_str().unwrap();
    assert!(token.len() > 40);
    let exp = v["expires_at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(exp, &time::format_description::well_known::Rfc3339).is_ok(),
        "{exp}"
    );
    // Only the digest is stored.
    let n: i64 = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM token_api WHERE token_hash = $1").bind(token).fetch_one(c).await.unwrap()
    });
    assert_eq!(n, 0);

    for body in [
        json!({ "username": "admin", "password": "salah-sandi-1" }),
        json!({ "username": "siapa", "password": "salah-sandi-1" }),
    ] {
        let r = minta_token(&app, body).await;
        assert_eq!(r.status(), 401);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["pesan"], "Nama pengguna atau kata sandi salah.");
        assert!(v["error"]["kode"].is_string());
        assert!(v["error"]["field"].is_object());
    }
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .header("content-type", "application/json")
        .body("{bukan json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["kode"], "permintaan_tidak_valid");
}

#[tokio::test]
async fn percobaan_serentak_tidak_melewati_batas() {
    let app = spawn_app().await;
    let mut tugas = Vec::new();
    for _ in 0..20 {
        let url = app.url("/api/v1/auth/token");
        tugas.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .json(&json!({ "username": "admin", "password": "salah-sandi-1" }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut hasil = Vec::new();
    for t in tugas {
        hasil.push(t.await.unwrap());
    }
    assert_eq!(hasil.iter().filter(|s| **s == 401).count(), 5, "{hasil:?}");
    assert_eq!(hasil.iter().filter(|s| **s == 429).count(), 15, "{hasil:?}");
}

#[tokio::test]
async fn json_salah_jenis_menyebut_isiannya() {
    let app = spawn_app().await;
    let r = minta_token(&app, json!({ "username": 5, "password": SANDI })).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"]["field"]["username"].is_string(), "{v}");
}

#[tokio::test]
async fn token_dibatasi_429() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(
            minta_token(&app, json!({ "username": "admin", "password": "salah-sandi-1" }))
                .await
                .status(),
            401
        );
    }
    let r = minta_token(&app, json!({ "username": "admin", "password": SANDI })).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let v: Value = r.json().await.unwrap();
    assert!(
        v["error"]["pesan"]
            .as_str()
            .unwrap()
            .starts_with("Terlalu banyak percobaan.")
    );
}

#[tokio::test]
async fn daftar_desa_sesuai_cakupan() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("kades.b", "kepala_desa", DESA_B).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    app.pengguna("kab", "kabupaten", "63.11").await;
    for (u, n) in [("kec", 24), ("kab", 24), ("admin", 24), ("op.a", 1), ("kades.b", 1)] {
        let t = app.token(u).await;
        let r = get(&app, &t, "/api/v1/desa").await;
        assert_eq!(r.status(), 200);
        let v: Vec<Value> = r.json().await.unwrap();
        assert_eq!(v.len(), n, "{u}");
        assert!(v.iter().all(|d| d["kode"].is_string() && d["nama"].is_string()));
    }
    let t = app.token("op.a").await;
    let v: Vec<Value> = get(&app, &t, "/api/v1/desa").await.json().await.unwrap();
    assert_eq!(v[0]["kode"], DESA_A);
    assert_eq!(v[0]["nama"], "Hauwai");
    assert_eq!(v[0]["kecamatan"]["nama"], "Halong");
    assert_eq!(v[0]["sebutan_kepala_desa"], "Pembakal");

    // One desa: its own 200, a sibling 404 (never its data), an unknown code 404.
    let r = get(&app, &t, &format!("/api/v1/desa/{DESA_A}")).await;
    assert_eq!(r.status(), 200);
    let d: Value = r.json().await.unwrap();
    assert_eq!(d["susunan"][0]["jabatan"], "kepala_desa");
    assert_eq!(d["susunan"][0]["nama"], "Pembakal");
    for p in [format!("/api/v1/desa/{DESA_B}"), "/api/v1/desa/99.99.99.9999".into()] {
        let r = get(&app, &t, &p).await;
        assert_eq!(r.status(), 404, "{p}");
        let body = r.text().await.unwrap();
        assert!(!body.contains("Bangkal") && !body.contains("nama\":"), "{body}");
    }
}

#[tokio::test]
async fn tanpa_token_atau_token_kedaluwarsa_401() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/api/v1/desa")).await.unwrap();
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["kode"], "perlu_masuk");
    assert_eq!(get(&app, "skd_palsu", "/api/v1/desa").await.status(), 401);

    let t = app.token("admin").await;
    assert_eq!(get(&app, &t, "/api/v1/desa").await.status(), 200);
    app.state.clock.advance(12 * 3600 + 1);
    assert_eq!(get(&app, &t, "/api/v1/desa").await.status(), 401);
}

#[tokio::test]
async fn token_dapat_dicabut() {
    let app = spawn_app().await;
    let t = app.token("admin").await;
    let r = reqwest::Client::new()
        .delete(app.url("/api/v1/auth/token"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(get(&app, &t, "/api/v1/desa").await.status(), 401);
}

/// Every `/api/v1` route of the router (read from src/app.rs) with its methods.
fn rute_api() -> std::collections::BTreeSet<(String, String)> {
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/app.rs")).unwrap();
    let mut v = std::collections::BTreeSet::new();
    for (i, _) in src.match_indices("\"/api/v1") {
        let jalur = src[i + 1..].split('"').next().unwrap().to_string();
        let sisa = &src[i..];
        let akhir = sisa[1..].find(".route(").map(|n| n + 1).unwrap_or(sisa.len());
        let bagian = &sisa[..akhir];
        for m in ["get", "post", "put", "delete"] {
            if bagian.contains(&format!("{m}(")) {
                v.insert((jalur.clone(), m.to_string()));
            }
        }
    }
    v
}

#[tokio::test]
async fn openapi_memuat_setiap_rute_api() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    let doc: serde_json::Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut di_dokumen = std::collections::BTreeSet::new();
    for (jalur, ops) in doc["paths"].as_object().unwrap() {
        for m in ops.as_object().unwrap().keys() {
            di_dokumen.insert((jalur.clone(), m.clone()));
        }
    }
    let di_router = rute_api();
    assert!(di_router.len() >= 25, "{di_router:?}");
    let kurang: Vec<_> = di_router.difference(&di_dokumen).collect();
    let lebih: Vec<_> = di_dokumen.difference(&di_router).collect();
    assert!(
        kurang.is_empty(),
        "routes missing from the OpenAPI document: {kurang:?}"
    );
    assert!(
        lebih.is_empty(),
        "documented routes the router does not have: {lebih:?}"
    );
    // Every reference resolves.
    let teks = doc.to_string();
    for (i, _) in teks.match_indices("#/components/schemas/") {
        let nama = teks[i + 21..].split('"').next().unwrap();
        assert!(doc["components"]["schemas"][nama].is_object(), "unknown schema {nama}");
    }
    // Every documented route answers on the live router: without a token 401 (never the
    // router's 404 or 405).
    let c = reqwest::Client::new();
    for (jalur, m) in &di_dokumen {
        let url = app.url(&jalur.replace("{kode}", DESA_A).replace("{id}", "1"));
        let r = c.request(m.to_uppercase().parse().unwrap(), url).send().await.unwrap();
        let harap = match (jalur.as_str(), m.as_str()) {
            ("/api/v1/openapi.json", _) => 200,
            ("/api/v1/auth/token", "post") => 400,
            _ => 401,
        };
        assert_eq!(r.status().as_u16(), harap, "{m} {jalur}");
    }
    // SPEC §5's error shape and the report's receipt are there.
    assert!(doc["components"]["schemas"]["Galat"]["properties"]["error"]["required"].is_array());
    assert!(doc["paths"]["/api/v1/laporan/{id}/penerimaan"]["post"]["responses"]["409"].is_object());
}
