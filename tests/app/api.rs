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
            di_dokumen.insert((m.to_uppercase(), jalur.clone()));
        }
    }
    // Both directions: the routes of the API router (its source: `routes!` in src/api/rute.rs
    // and each handler's attribute) and the documented operations.
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
    // Every operation has its own id, a summary and, but for the public ones, the bearer token.
    let mut id = std::collections::BTreeSet::new();
    for (m, jalur) in &di_dokumen {
        let op = &doc["paths"][jalur][m.to_lowercase()];
        let oid = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{m} {jalur}: no operationId"));
        assert!(id.insert(oid.to_string()), "{m} {jalur}: operationId {oid} used twice");
        assert!(op["summary"].is_string(), "{m} {jalur}: no summary");
        let publik = matches!(
            (m.as_str(), jalur.as_str()),
            ("GET", "/api/v1/openapi.json")
                | ("POST", "/api/v1/auth/token")
                | ("GET", "/api/v1/publik/desa/{kode}")
                | ("GET", "/api/v1/publik/kecamatan/{kode}")
        );
        if publik {
            assert_eq!(op["security"], json!([]), "{m} {jalur}");
        } else {
            assert!(
                op.get("security").is_none(),
                "{m} {jalur}: the document's bearer applies"
            );
        }
    }
    assert_eq!(doc["security"], json!([{ "bearer": [] }]));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"],
        json!({ "type": "http", "scheme": "bearer" })
    );
    // Every documented route answers on the live router: without a token 401 (never the
    // router's 404 or 405); a method the document does not list for a path is not routed (405).
    let c = reqwest::Client::new();
    for (m, jalur) in &di_dokumen {
        let url = app.url(&jalur.replace("{kode}", DESA_A).replace("{id}", "1"));
        let r = c.request(m.parse().unwrap(), url).send().await.unwrap();
        let harap = match (jalur.as_str(), m.as_str()) {
            ("/api/v1/openapi.json", _) => 200,
            ("/api/v1/auth/token", "POST") => 400,
            // The public register answers without a token: 404 while it is closed.
            (j, "GET") if j.starts_with("/api/v1/publik/") => 404,
            _ => 401,
        };
        assert_eq!(r.status().as_u16(), harap, "{m} {jalur}");
    }
    for jalur in doc["paths"].as_object().unwrap().keys() {
        let url = app.url(&jalur.replace("{kode}", DESA_A).replace("{id}", "1"));
        for m in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            if di_dokumen.contains(&(m.to_string(), jalur.clone())) {
                continue;
            }
            let r = c.request(m.parse().unwrap(), &url).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 405, "{m} {jalur}: routed but not documented");
        }
    }
    // SPEC §5's error shape and the report's receipt are there.
    assert!(doc["components"]["schemas"]["Galat"]["properties"]["error"]["required"].is_array());
    assert!(doc["paths"]["/api/v1/laporan/{id}/penerimaan"]["post"]["responses"]["409"].is_object());
}

/// The whole OpenAPI document, as served: a change of any route, field or status shows in the
/// snapshot (tests/app/snapshots/).
#[tokio::test]
async fn openapi_snapshot_dokumen() {
    let app = spawn_app().await;
    let doc: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc, serde_json::to_value(sipkatdes::api::dokumen()).unwrap());
    insta::assert_json_snapshot!("openapi", doc);
}

/// Statuses that layers in front of the handlers answer are in the document of every operation
/// (issue 15, point 11: Schemathesis found a query string holding a control character answered
/// 400 by operations that did not declare it, and a JSON field of the wrong type answered 422).
#[tokio::test]
async fn openapi_menyebut_status_dari_lapisan_umum() {
    let app = spawn_app().await;
    let doc: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let c = reqwest::Client::new();
    let token = {
        let r = minta_token(&app, json!({ "username": "admin", "password": SANDI })).await;
        r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
    };
    for (jalur, ops) in doc["paths"].as_object().unwrap() {
        for (m, op) in ops.as_object().unwrap() {
            let status = &op["responses"];
            assert!(status["400"].is_object(), "{m} {jalur}: 400 undocumented");
            if op["requestBody"]["content"]["application/json"].is_object() {
                assert!(status["422"].is_object(), "{m} {jalur}: 422 undocumented");
            }
            // A control character in the query string, with and without a token: whatever
            // answers, its status is one the operation declares.
            let url = app.url(&format!(
                "{}?x=%01",
                jalur
                    .replace("{kode}", DESA_A)
                    .replace("{id}", "1")
                    .replace("{dokumen}", "1")
            ));
            for t in [None, Some(token.as_str())] {
                let mut req = c.request(m.to_uppercase().parse().unwrap(), &url);
                if let Some(t) = t {
                    req = req.bearer_auth(t);
                }
                let r = req.send().await.unwrap();
                let s = r.status().as_u16();
                assert!(
                    status[s.to_string()].is_object(),
                    "{m} {jalur}: answered {s}, documented {:?}",
                    status.as_object().unwrap().keys().collect::<Vec<_>>()
                );
            }
        }
    }
    // A JSON field of the wrong type (the token's own request) and a removal's version out of
    // range: 422, as documented.
    let r = minta_token(&app, json!({ "username": {}, "password": "x" })).await;
    assert_eq!(r.status(), 422);
    assert!(doc["paths"]["/api/v1/auth/token"]["post"]["responses"]["422"].is_object());
    assert!(doc["paths"]["/api/v1/perangkat/{id}"]["delete"]["responses"]["422"].is_object());
    let r = c
        .delete(app.url("/api/v1/perangkat/1?versi=9223372036854775808"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(
        doc["paths"]["/api/v1/perangkat/{id}"]["delete"]["responses"][r.status().as_u16().to_string()].is_object(),
        "DELETE /api/v1/perangkat/1?versi=2^63: {}",
        r.status()
    );
}
