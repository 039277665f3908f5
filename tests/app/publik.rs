//! The public register (issue 19): off until the kecamatan opens it; only saved data, never a
//! private field, for every role and every representation (page, JSON, CSV, widget, ETag);
//! revalidation with ETag; photos shown unless hidden, re-encoded; the widget alone framable;
//! a rate limit per address.

use reqwest::header;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::perangkat::{Api, contoh, pdf_sk};

async fn siapkan(app: &TestApp) {
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    app.pengguna("kab", "kabupaten", "63.11").await;
}

/// A public JSON answer, fetched without a session.
async fn json_publik(app: &TestApp, jalur: &str) -> Value {
    let r = reqwest::get(app.url(jalur)).await.unwrap();
    assert_eq!(r.status(), 200, "{jalur}");
    r.json().await.unwrap()
}

/// Every public address of Halong and of desa A.
fn alamat_publik() -> Vec<String> {
    vec![
        "/publik".into(),
        format!("/publik/kecamatan/{HALONG}"),
        format!("/publik/kecamatan/{HALONG}/desa.csv"),
        format!("/publik/desa/{DESA_A}"),
        format!("/publik/desa/{DESA_A}/perangkat.csv"),
        format!("/publik/desa/{DESA_A}/widget"),
        format!("/api/v1/publik/desa/{DESA_A}"),
        format!("/api/v1/publik/kecamatan/{HALONG}"),
    ]
}

async fn buka(app: &TestApp, aktif: bool) {
    let kec = Api::baru(app, "kec").await;
    let r = kec
        .put(
            &format!("/api/v1/kecamatan/{HALONG}/register-publik"),
            &json!({ "aktif": aktif }),
        )
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn register_tertutup_menjawab_404_dan_hanya_kecamatan_atau_admin_membukanya() {
    let app = spawn_app_penuh(&[HALONG, "63.11.01"], |_| {}).await;
    siapkan(&app).await;
    let c = reqwest::Client::new();
    for a in alamat_publik() {
        let r = c.get(app.url(&a)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{a} must not exist while the register is off");
    }
    let jalur = format!("/api/v1/kecamatan/{HALONG}/register-publik");
    for u in ["op.a", "kades.a", "kab"] {
        let api = Api::baru(&app, u).await;
        let r = api.put(&jalur, &json!({ "aktif": true })).await;
        assert_eq!(r.status(), 403, "{u}");
    }
    // Another kecamatan's office cannot open Halong's register.
    app.pengguna("kec.lain", "kecamatan", "63.11.01").await;
    let lain = Api::baru(&app, "kec.lain").await;
    assert_eq!(lain.put(&jalur, &json!({ "aktif": true })).await.status(), 404);
    // A wrong body names the field and changes nothing.
    let kec = Api::baru(&app, "kec").await;
    let r = kec.put(&jalur, &json!({ "aktif": "ya" })).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"]["field"]["aktif"].is_string(), "{v}");
    assert_eq!(kec.json(&jalur).await["aktif"], false);
    for a in alamat_publik() {
        assert_eq!(c.get(app.url(&a)).send().await.unwrap().status(), 404, "{a}");
    }

    let admin = Api::baru(&app, "admin").await;
    assert_eq!(admin.put(&jalur, &json!({ "aktif": true })).await.status(), 200);
    for a in alamat_publik() {
        assert_eq!(c.get(app.url(&a)).send().await.unwrap().status(), 200, "{a}");
    }
    assert_eq!(kec.put(&jalur, &json!({ "aktif": false })).await.status(), 200);
    for a in alamat_publik() {
        assert_eq!(
            c.get(app.url(&a)).send().await.unwrap().status(),
            404,
            "{a} after closing"
        );
    }
    // Both switches are in the audit log.
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'register_publik_diatur'")
            .await,
        2
    );
}

#[tokio::test]
async fn register_memuat_hanya_data_tersimpan_tanpa_data_pribadi_untuk_setiap_peran() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;

    // A saved official with every private field filled in.
    let mut a = contoh("6311021403850001", "Ahmad Fauzi", "kepala_desa");
    a["gelar_depan"] = json!("Drs.");
    a["gelar_belakang"] = json!("M.Si.");
    a["alamat"] = json!("Jalan Rahasia Nomor 17");
    a["nomor_hp"] = json!("081299988877");
    a["nip"] = json!("198503142010011009");
    a["keterangan"] = json!("catatan internal desa");
    a["niap"] = json!("NIAP-778899");
    a["pangkat_golongan"] = json!("Penata Muda");
    a["tanggal_sk_pengangkatan"] = json!("2023-03-20");
    a["tmt"] = json!("2023-03-27");
    let id_a = op.buat(DESA_A, &a).await;
    op.simpan(id_a).await;
    // An acting Sekretaris Desa, saved.
    let mut s = contoh("6311025504900002", "Siti Rahmah", "sekretaris_desa");
    s["jenis_kelamin"] = json!("P");
    s["tanggal_lahir"] = json!("1990-04-15");
    s["status_jabatan"] = json!("plt");
    let id_s = op.buat(DESA_A, &s).await;
    op.simpan(id_s).await;
    // A saved record whose revision (another name) is not checked yet.
    let id_r = op
        .buat(DESA_A, &contoh("6311021703880003", "Rudi Hartono", "kaur_keuangan"))
        .await;
    op.simpan(id_r).await;
    let d = op.json(&format!("/api/v1/perangkat/{id_r}")).await;
    let mut r = contoh("6311021703880003", "Rudi Revisi Belum Diperiksa", "kaur_keuangan");
    r["versi"] = d["versi"].clone();
    assert_eq!(op.put(&format!("/api/v1/perangkat/{id_r}"), &r).await.status(), 200);
    // A draft that was never saved.
    op.buat(DESA_A, &contoh("6311021805910004", "Budi Draf Saja", "kasi_pelayanan"))
        .await;
    // A dismissed official.
    let id_h = op
        .buat(
            DESA_A,
            &contoh("6311021906870005", "Hasan Sudah Berhenti", "kasi_pemerintahan"),
        )
        .await;
    op.simpan(id_h).await;
    let d = op.json(&format!("/api/v1/perangkat/{id_h}")).await;
    let mut h = contoh("6311021906870005", "Hasan Sudah Berhenti", "kasi_pemerintahan");
    h["versi"] = d["versi"].clone();
    h["nomor_sk_pemberhentian"] = json!("141/09/HAUWAI/2024");
    h["tanggal_sk_pemberhentian"] = json!("2024-02-01");
    h["alasan_pemberhentian"] = json!("permintaan_sendiri");
    let r = op.put(&format!("/api/v1/perangkat/{id_h}"), &h).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = op
        .unggah(id_h, pdf_sk(), "sk-berhenti.pdf", Some("sk_pemberhentian"))
        .await;
    assert_eq!(r.status(), 201);
    let r = op.periksa(id_h, json!({ "sesuai": true })).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    buka(&app, true).await;

    let rahasia = [
        "6311021403850001",
        "6311025504900002",
        "6311021703880003",
        "6311021805910004",
        "631102",
        "1985-03-14",
        "14 Maret 1985",
        "1990-04-15",
        "Paringin",
        "Jalan Rahasia",
        "081299988877",
        "198503142010011009",
        "catatan internal",
        "NIAP-778899",
        "Penata Muda",
        "Islam",
        "141/05/HAUWAI/2020",
        "141/09/HAUWAI/2024",
        "Hasan",
        "Rudi Revisi",
        "Budi Draf",
        "/dokumen/",
        "/api/v1/perangkat",
    ];
    let anon = reqwest::Client::new();
    let mut klien = vec![("tamu", anon.clone())];
    for u in ["op.a", "kades.a", "kec", "kab", "admin"] {
        klien.push((u, app.masuk_ok(u).await));
    }
    for alamat in alamat_publik() {
        let r = anon.get(app.url(&alamat)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{alamat}");
        assert!(r.headers().get(header::SET_COOKIE).is_none(), "{alamat} sets no cookie");
        let cc = r.headers()[header::CACHE_CONTROL].to_str().unwrap().to_string();
        assert!(cc.starts_with("public"), "{alamat}: {cc}");
        let etag = r.headers().get(header::ETAG).map(|v| v.to_str().unwrap().to_string());
        let isi = r.text().await.unwrap();
        for (u, c) in &klien {
            let r = c.get(app.url(&alamat)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{alamat} as {u}");
            let e = r.headers().get(header::ETAG).map(|v| v.to_str().unwrap().to_string());
            assert_eq!(e, etag, "{alamat}: the same version for {u}");
            let teks = r.text().await.unwrap();
            assert_eq!(teks, isi, "{alamat}: {u} sees exactly what a visitor sees");
            for x in rahasia {
                assert!(!teks.contains(x), "{alamat} as {u} shows {x:?}");
            }
            if let Some(e) = &e {
                for x in rahasia {
                    assert!(!e.contains(x), "ETag of {alamat} carries {x:?}");
                }
            }
        }
    }

    // What is public is there.
    let v = json_publik(&app, &format!("/api/v1/publik/desa/{DESA_A}")).await;
    let posisi = v["posisi"].as_array().unwrap();
    let cari = |j: &str| posisi.iter().find(|p| p["jabatan"] == j).unwrap().clone();
    let kades = cari("kepala_desa");
    assert_eq!(kades["pejabat"][0]["nama"], "Drs. Ahmad Fauzi, M.Si.");
    assert_eq!(kades["pejabat"][0]["sejak"], "2023-03");
    assert_eq!(kades["pejabat"][0]["sejak_label"], "Maret 2023");
    assert_eq!(kades["lowong"], false);
    let sekdes = cari("sekretaris_desa");
    assert_eq!(sekdes["pejabat"][0]["status_jabatan"], "plt");
    assert_eq!(
        sekdes["lowong"], true,
        "an acting official leaves the definitive position vacant"
    );
    assert_eq!(cari("kaur_keuangan")["pejabat"][0]["nama"], "Rudi Hartono");
    assert!(cari("kasi_pelayanan")["pejabat"].as_array().unwrap().is_empty());
    assert!(cari("kasi_pemerintahan")["pejabat"].as_array().unwrap().is_empty());
    assert!(
        !v.to_string().contains("Hasan"),
        "a dismissed official is no longer listed"
    );
    assert_eq!(v["jumlah_pejabat"], 3);
    // Every allowed key of an official, and nothing else.
    let kunci: Vec<String> = kades["pejabat"][0].as_object().unwrap().keys().cloned().collect();
    let boleh = [
        "nama",
        "gelar_depan",
        "nama_tanpa_gelar",
        "gelar_belakang",
        "status_jabatan",
        "status_jabatan_label",
        "jabatan_nama",
        "sejak",
        "sejak_label",
        "foto",
    ];
    for k in &kunci {
        assert!(boleh.contains(&k.as_str()), "unexpected public field {k}");
    }
    let k = json_publik(&app, &format!("/api/v1/publik/kecamatan/{HALONG}")).await;
    let desa_a = k["desa"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kode"] == DESA_A)
        .unwrap();
    assert_eq!(desa_a["jumlah_pejabat"], 3);
    assert_eq!(desa_a["kepala_desa"], "Drs. Ahmad Fauzi, M.Si.");
    assert!(
        desa_a["lowongan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "Sekretaris Desa"),
        "{desa_a}"
    );
    let html = anon
        .get(app.url(&format!("/publik/desa/{DESA_A}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Drs. Ahmad Fauzi, M.Si."));
    assert!(html.contains("Diperbarui "), "the page says when the data changed");
    assert!(html.contains("WITA"));
    assert!(
        !html.contains("action=\"/keluar\""),
        "no application menu or session on a public page"
    );
}

#[tokio::test]
async fn etag_menjawab_304_dan_berubah_bersama_data_tersimpan() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    op.simpan(id).await;
    buka(&app, true).await;
    let c = reqwest::Client::new();
    for alamat in [
        format!("/api/v1/publik/desa/{DESA_A}"),
        format!("/publik/desa/{DESA_A}"),
        format!("/publik/desa/{DESA_A}/perangkat.csv"),
        format!("/api/v1/publik/kecamatan/{HALONG}"),
        format!("/publik/kecamatan/{HALONG}"),
    ] {
        let r = c.get(app.url(&alamat)).send().await.unwrap();
        let etag = r.headers()[header::ETAG].to_str().unwrap().to_string();
        let lm = r.headers()[header::LAST_MODIFIED].to_str().unwrap().to_string();
        assert!(lm.ends_with(" GMT"), "{lm}");
        let r = c
            .get(app.url(&alamat))
            .header(header::IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 304, "{alamat}");
        assert_eq!(r.headers()[header::ETAG].to_str().unwrap(), etag);
        assert!(r.bytes().await.unwrap().is_empty());
        let r = c
            .get(app.url(&alamat))
            .header(header::IF_MODIFIED_SINCE, &lm)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 304, "{alamat} If-Modified-Since");
    }
    let etag_awal = c
        .get(app.url(&format!("/api/v1/publik/desa/{DESA_A}")))
        .send()
        .await
        .unwrap()
        .headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_string();

    // A revision that is not checked yet changes nothing public.
    let d = op.json(&format!("/api/v1/perangkat/{id}")).await;
    let mut v = contoh("6311021403850001", "Ahmad Fauzy Baru", "kaur_keuangan");
    v["versi"] = d["versi"].clone();
    assert_eq!(op.put(&format!("/api/v1/perangkat/{id}"), &v).await.status(), 200);
    let r = c
        .get(app.url(&format!("/api/v1/publik/desa/{DESA_A}")))
        .header(header::IF_NONE_MATCH, &etag_awal)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304, "an unsaved revision is not a new public version");

    // Once it is checked and saved, the version moves and the new name shows.
    let r = op.periksa(id, json!({ "sesuai": true })).await;
    assert_eq!(r.status(), 200);
    let r = c
        .get(app.url(&format!("/api/v1/publik/desa/{DESA_A}")))
        .header(header::IF_NONE_MATCH, &etag_awal)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_ne!(r.headers()[header::ETAG].to_str().unwrap(), etag_awal);
    let v: Value = r.json().await.unwrap();
    assert!(v.to_string().contains("Ahmad Fauzy Baru"), "{v}");
    // The kecamatan's version moves too.
    let k = json_publik(&app, &format!("/api/v1/publik/kecamatan/{HALONG}")).await;
    assert_eq!(k["jumlah_pejabat"], 1);
}

fn jpeg_berkomentar(teks: &str) -> Vec<u8> {
    let img = image::RgbImage::from_fn(600, 800, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    let asli = out.into_inner();
    let mut b = asli[..2].to_vec();
    b.extend_from_slice(&[0xFF, 0xFE]);
    b.extend_from_slice(&((teks.len() + 2) as u16).to_be_bytes());
    b.extend_from_slice(teks.as_bytes());
    b.extend_from_slice(&asli[2..]);
    b
}

#[tokio::test]
async fn foto_tersimpan_tampil_kecil_tanpa_metadata_dan_bisa_disembunyikan() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    let foto = jpeg_berkomentar("GPS -2.3712 115.7123 rumah pribadi");
    assert_eq!(
        op.unggah(id, foto.clone(), "foto.jpg", Some("foto")).await.status(),
        201
    );
    op.simpan(id).await;
    // A draft with a photo: not public.
    let draf = op
        .buat(DESA_A, &contoh("6311021805910004", "Budi Draf", "kasi_pelayanan"))
        .await;
    assert_eq!(
        op.unggah(draf, foto.clone(), "foto.jpg", Some("foto")).await.status(),
        201
    );
    buka(&app, true).await;

    let c = reqwest::Client::new();
    let v = json_publik(&app, &format!("/api/v1/publik/desa/{DESA_A}")).await;
    let kaur = v["posisi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["jabatan"] == "kaur_keuangan")
        .unwrap();
    let alamat = kaur["pejabat"][0]["foto"]
        .as_str()
        .expect("the saved photo is public")
        .to_string();
    assert_eq!(alamat, format!("/publik/desa/{DESA_A}/foto/{id}.jpg"));
    let r = c.get(app.url(&alamat)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()[header::CONTENT_TYPE], "image/jpeg");
    let b = r.bytes().await.unwrap();
    assert!(!b.windows(3).any(|w| w == b"GPS"), "the original's metadata is dropped");
    let g = image::load_from_memory(&b).unwrap();
    assert!(g.width() <= 360 && g.height() <= 360, "{}x{}", g.width(), g.height());
    for salah in [
        format!("/publik/desa/{DESA_A}/foto/{draf}.jpg"),
        format!("/publik/desa/{DESA_B}/foto/{id}.jpg"),
        format!("/publik/desa/{DESA_A}/foto/{id}"),
        format!("/publik/desa/{DESA_A}/foto/x.jpg"),
    ] {
        assert_eq!(c.get(app.url(&salah)).send().await.unwrap().status(), 404, "{salah}");
    }

    // The operator hides it: gone from the JSON and the address, at once, without a new check.
    let web = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&web, &format!("/perangkat/{id}")).await;
    let halaman = app.html(&web, &format!("/perangkat/{id}")).await;
    assert!(halaman.contains("Sembunyikan Foto dari Register Publik"));
    let r = web
        .post(app.url(&format!("/perangkat/{id}/foto-publik")))
        .form(&[("_csrf", csrf.as_str()), ("tampil", "tidak")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let v = json_publik(&app, &format!("/api/v1/publik/desa/{DESA_A}")).await;
    let kaur = v["posisi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["jabatan"] == "kaur_keuangan")
        .unwrap();
    assert!(kaur["pejabat"][0]["foto"].is_null(), "{kaur}");
    assert_eq!(c.get(app.url(&alamat)).send().await.unwrap().status(), 404);
    assert_eq!(op.json(&format!("/api/v1/perangkat/{id}")).await["status"], "tersimpan");
    // Another desa's operator and the Kepala Desa cannot change it.
    for u in ["op.b", "kades.a"] {
        let w = app.masuk_ok(u).await;
        let csrf = app.csrf(&w, "/desa").await;
        let r = w
            .post(app.url(&format!("/perangkat/{id}/foto-publik")))
            .form(&[("_csrf", csrf.as_str()), ("tampil", "ya")])
            .send()
            .await
            .unwrap();
        assert!(matches!(r.status().as_u16(), 403 | 404), "{u}: {}", r.status());
    }
    assert_eq!(
        c.get(app.url(&alamat)).send().await.unwrap().status(),
        404,
        "a hidden photo stays hidden"
    );
}

#[tokio::test]
async fn hanya_widget_boleh_dibingkai_situs_lain() {
    let app = spawn_app().await;
    siapkan(&app).await;
    buka(&app, true).await;
    let c = reqwest::Client::new();
    let r = c
        .get(app.url(&format!("/publik/desa/{DESA_A}/widget")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert!(!csp.contains("script-src"), "the widget runs no script: {csp}");
    assert!(r.headers().get(header::X_FRAME_OPTIONS).is_none());
    for a in [
        format!("/publik/desa/{DESA_A}"),
        "/".to_string(),
        format!("/publik/kecamatan/{HALONG}"),
    ] {
        let r = c.get(app.url(&a)).send().await.unwrap();
        let csp = r.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'self'"), "{a}: {csp}");
        assert_eq!(r.headers()[header::X_FRAME_OPTIONS], "SAMEORIGIN", "{a}");
    }
    // The admin's desa settings page gives the snippet.
    let admin = app.masuk_ok("admin").await;
    let html = app.html(&admin, &format!("/admin/desa/{DESA_A}")).await;
    assert!(
        html.contains(&format!("/publik/desa/{DESA_A}/widget")),
        "snippet on the settings page"
    );
}

#[tokio::test]
async fn rute_publik_dibatasi_per_alamat() {
    let app = spawn_app_dengan(|c| {
        c.batas_publik = sipkatdes::kernel::publik::BatasPublik {
            per_menit: 6,
            ledakan: 4,
        }
    })
    .await;
    siapkan(&app).await;
    buka(&app, true).await;
    let c = reqwest::Client::new();
    for _ in 0..4 {
        let r = c.get(app.url(&format!("/publik/desa/{DESA_A}"))).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    let r = c
        .get(app.url(&format!("/api/v1/publik/desa/{DESA_A}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().get(header::RETRY_AFTER).is_some());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["kode"], "terlalu_banyak_percobaan");
    let r = c.get(app.url(&format!("/publik/desa/{DESA_A}"))).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("Coba lagi"));
    // The application's own pages are not limited by it.
    assert_eq!(c.get(app.url("/")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn kecamatan_membuka_register_dari_dasbor() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let kec = app.masuk_ok("kec").await;
    let html = app.html(&kec, "/dasbor").await;
    assert!(html.contains("Buka Register Publik"), "the switch is on the dashboard");
    let csrf = ambil_csrf(&html);
    let r = kec
        .post(app.url(&format!("/kecamatan/{HALONG}/register-publik")))
        .form(&[("_csrf", csrf.as_str()), ("aktif", "ya")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = app.html(&kec, "/dasbor").await;
    assert!(html.contains("Register publik dibuka"), "{html}");
    assert!(html.contains("Tutup Register Publik"));
    assert!(html.contains(&format!("/publik/kecamatan/{HALONG}")));
    let r = reqwest::get(app.url(&format!("/publik/kecamatan/{HALONG}")))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A wrong value is refused and changes nothing.
    let r = kec
        .post(app.url(&format!("/kecamatan/{HALONG}/register-publik")))
        .form(&[("_csrf", csrf.as_str()), ("aktif", "mungkin")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(reqwest::get(app.url("/publik")).await.unwrap().status(), 200);
    // The operator's session cannot switch it.
    let op = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&op, "/desa").await;
    let r = op
        .post(app.url(&format!("/kecamatan/{HALONG}/register-publik")))
        .form(&[("_csrf", csrf.as_str()), ("aktif", "tidak")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(reqwest::get(app.url("/publik")).await.unwrap().status(), 200);
}

/// Issue 14, point 4: an error page keeps the header of a logged-in user (not the public
/// register's concern, but its layer sits beside it).
#[tokio::test]
async fn halaman_galat_tetap_berkepala_bagi_yang_masuk() {
    let app = spawn_app_dengan(|c| c.batas_unggah = 64 * 1024).await;
    siapkan(&app).await;
    let op = app.masuk_ok("op.a").await;
    for (jalur, status) in [
        ("/perangkat/999999".to_string(), 404),
        (format!("/desa/{DESA_B}"), 404),
        ("/dasbor".to_string(), 403),
        ("/tidak-ada-halaman-ini".to_string(), 404),
    ] {
        let r = op.get(app.url(&jalur)).send().await.unwrap();
        assert_eq!(r.status(), status, "{jalur}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("action=\"/keluar\""),
            "{jalur}: the logout button is there"
        );
        assert!(html.contains("Uji op.a"), "{jalur}: the user's name is in the header");
        assert!(html.contains("Desa Saya"), "{jalur}: the menu is there");
    }
    // Too large a file: 413, still inside the layout.
    let csrf = app.csrf(&op, &format!("/desa/{DESA_A}/impor")).await;
    let form = reqwest::multipart::Form::new().text("_csrf", csrf).part(
        "berkas",
        reqwest::multipart::Part::bytes(vec![b'a'; 600 * 1024]).file_name("besar.csv"),
    );
    let r = op
        .post(app.url(&format!("/desa/{DESA_A}/impor")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("action=\"/keluar\""));
    // A visitor gets the plain page.
    let r = reqwest::get(app.url("/perangkat/999999")).await.unwrap();
    let html = r.text().await.unwrap();
    assert!(!html.contains("action=\"/keluar\""));
}

/// Issue 16: what holds no session secret is sent gzip-compressed to a client that accepts it —
/// assets, JSON, the public register's pages — and decompresses to the same bytes; the pages of
/// a session (its CSRF token beside text a visitor can make it repeat: BREACH) and PDFs are not.
#[tokio::test]
async fn dipadatkan_bila_tanpa_rahasia_sesi() {
    use std::io::Read;
    let app = spawn_app().await;
    siapkan(&app).await;
    buka(&app, true).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    op.simpan(id).await;
    let c = app.masuk_ok("op.a").await;
    let ambil = async |klien: &reqwest::Client, jalur: &str, token: Option<&str>| {
        let mut q = klien.get(app.url(jalur)).header(header::ACCEPT_ENCODING, "gzip");
        if let Some(t) = token {
            q = q.bearer_auth(t);
        }
        let r = q.send().await.unwrap();
        assert_eq!(r.status(), 200, "{jalur}");
        let gzip = r.headers().get(header::CONTENT_ENCODING).is_some_and(|v| v == "gzip");
        let isi = r.bytes().await.unwrap().to_vec();
        let isi = if gzip {
            let mut s = Vec::new();
            flate2::read::GzDecoder::new(&isi[..]).read_to_end(&mut s).unwrap();
            s
        } else {
            isi
        };
        (gzip, isi)
    };
    let biasa = reqwest::Client::new();
    let (g, css) = ambil(&biasa, "/aset/sipkatdes.css", None).await;
    assert!(g, "the stylesheet is compressed");
    let polos = biasa.get(app.url("/aset/sipkatdes.css")).send().await.unwrap();
    assert!(
        polos.headers().get(header::CONTENT_ENCODING).is_none(),
        "only when accepted"
    );
    assert_eq!(
        polos.bytes().await.unwrap().to_vec(),
        css,
        "the same bytes once decompressed"
    );
    let (g, json) = ambil(&biasa, &format!("/api/v1/desa/{DESA_A}/perangkat"), Some(&op.token)).await;
    assert!(g, "API JSON is compressed");
    assert!(String::from_utf8(json).unwrap().contains("Ahmad Fauzi"));
    let (g, html) = ambil(&biasa, &format!("/publik/desa/{DESA_A}"), None).await;
    assert!(g, "the public page is compressed");
    assert!(String::from_utf8(html).unwrap().contains("Ahmad Fauzi"));
    let (g, html) = ambil(&c, &format!("/desa/{DESA_A}"), None).await;
    assert!(!g, "a page of a session is not compressed");
    assert!(String::from_utf8(html).unwrap().contains("_csrf"));
    let (g, pdf) = ambil(&c, &format!("/desa/{DESA_A}/buku-aparat.pdf"), None).await;
    assert!(!g, "a PDF is not compressed again");
    assert!(pdf.starts_with(b"%PDF"));
}
