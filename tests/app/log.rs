//! No NIK, password, token or session id in any log line: the real server, at debug level,
//! through a full working session (issue 7). Failed logins and refused accesses are logged.

use std::process::Stdio;

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::cli::{Instansi, port_bebas, tunggu_siap};
use crate::helpers::{DESA_A, ambil_csrf, minta_token};
use crate::perangkat::{contoh, pdf_sk};

const NIK: &str = "6311025708910003";
const SANDI_OP: &str = "Pembakal-Hauwai-2026!";
const SANDI_BARU: &str = "Sandi-Baru-Yang-Panjang-7";
const SANDI_KEC: &str = "Camat-Halong-Balangan-88";
const SALAH: &str = "Tebakan-Salah-Sekali-55";

#[tokio::test]
async fn log_lengkap_tanpa_nik_sandi_atau_token() {
    let i = Instansi::baru().await;
    assert!(i.jalankan(&["init", "--kecamatan", "63.11.02"]).status.success());
    let o = i.user_add(
        &["--username", "op.a", "--role", "operator", "--scope", DESA_A],
        SANDI_OP,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = i.user_add(
        &["--username", "kec", "--role", "kecamatan", "--scope", "63.11.02"],
        SANDI_KEC,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let port = port_bebas();
    let log = i.dir.path().join("server.log");
    let berkas = std::fs::File::create(&log).unwrap();
    let mut child = i
        .cmd(&["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("SIPKATDES_LOG", "debug")
        .stdout(Stdio::from(berkas.try_clone().unwrap()))
        .stderr(Stdio::from(berkas))
        .spawn()
        .unwrap();
    assert!(tunggu_siap(port).await);
    let url = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let web = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let masuk_dengan = |web: reqwest::Client, u: &'static str, s: &'static str| {
        let halaman = url("/");
        let tujuan = url("/masuk");
        async move {
            let csrf = ambil_csrf(&web.get(halaman).send().await.unwrap().text().await.unwrap());
            web.post(tujuan)
                .form(&[("_csrf", csrf.as_str()), ("username", u), ("password", s)])
                .send()
                .await
                .unwrap()
        }
    };
    let masuk = |u: &'static str, s: &'static str| masuk_dengan(web.clone(), u, s);
    // A wrong password, then the right one.
    assert_eq!(masuk("op.a", SALAH).await.status(), 401);
    let r = masuk("op.a", SANDI_OP).await;
    assert_eq!(r.status(), 303);
    let cookie_sesi: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|v| v.split_once('=').map(|(_, n)| n.to_string()))
        .filter(|n| n.len() >= 16)
        .collect();
    assert!(!cookie_sesi.is_empty());
    // The API: a token, an official with a NIK, the SK, the check, a search by NIK.
    let api = reqwest::Client::new();
    let token = minta_token(&url(""), "op.a", SANDI_OP).await;
    // Rusmini: a woman born 17 August 1991, as her NIK says.
    let mut body = contoh(NIK, "Rusmini", "kaur_tu_umum");
    body["jenis_kelamin"] = json!("P");
    body["tanggal_lahir"] = json!("1991-08-17");
    let r = api
        .post(url(&format!("/api/v1/desa/{DESA_A}/perangkat")))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = api
        .post(url(&format!("/api/v1/perangkat/{id}/dokumen")))
        .bearer_auth(&token)
        .multipart(Form::new().part("berkas", Part::bytes(pdf_sk()).file_name("sk.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = api
        .post(url(&format!("/api/v1/perangkat/{id}/pemeriksaan")))
        .bearer_auth(&token)
        .json(&json!({ "sesuai": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for p in [
        format!("/api/v1/perangkat?cari={NIK}"),
        format!("/api/v1/perangkat/{id}"),
        "/api/v1/ekspor/perangkat.csv".to_string(),
        "/api/v1/perangkat/999999".to_string(),
        "/api/v1/dasbor".to_string(),
    ] {
        let r = api.get(url(&p)).bearer_auth(&token).send().await.unwrap();
        assert!(r.status().as_u16() < 500, "{p}");
    }
    // A refused access (the operator on the kecamatan's dashboard) and pages with the NIK.
    assert_eq!(web.get(url("/dasbor")).send().await.unwrap().status(), 403);
    let r = web.get(url(&format!("/perangkat/{id}"))).send().await.unwrap();
    assert!(r.text().await.unwrap().contains("Rusmini"));
    // A password change, then logout; the kecamatan logs in.
    let csrf = ambil_csrf(
        &web.get(url("/akun/kata-sandi"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let r = web
        .post(url("/akun/kata-sandi"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("sandi_lama", SANDI_OP),
            ("sandi_baru", SANDI_BARU),
            ("ulangi_sandi", SANDI_BARU),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().as_u16() < 500);
    let kec = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert_eq!(masuk_dengan(kec, "kec", SANDI_KEC).await.status(), 303);
    let r = api
        .delete(url("/api/v1/auth/token"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    // The password change ended the operator's tokens as well (and the refusal is logged).
    assert_eq!(r.status(), 401);
    // Stop the server and read everything it wrote.
    sigterm(child.id());
    let _ = child.wait();
    let isi = std::fs::read_to_string(&log).unwrap();
    assert!(isi.lines().count() > 20, "too little logged to prove anything:\n{isi}");
    let mut rahasia: Vec<(&str, String)> = vec![
        ("NIK", NIK.to_string()),
        ("password", SANDI_OP.to_string()),
        ("new password", SANDI_BARU.to_string()),
        ("kecamatan password", SANDI_KEC.to_string()),
        ("wrong password", SALAH.to_string()),
        ("API token", token.clone()),
        ("API token without prefix", token.trim_start_matches("skd_").to_string()),
    ];
    for c in &cookie_sesi {
        rahasia.push(("session cookie", c.clone()));
    }
    for (apa, nilai) in &rahasia {
        assert!(!isi.contains(nilai.as_str()), "the {apa} appears in the log");
    }
    // What must be there: the failed login and the refused access, by account, not by secret.
    assert!(
        isi.lines().any(|l| l.contains("masuk gagal") && l.contains("op.a")),
        "failed login not logged:\n{isi}"
    );
    assert!(
        isi.lines()
            .any(|l| l.contains("akses ditolak") && l.contains("/dasbor") && l.contains("op.a")),
        "refused access not logged:\n{isi}"
    );
}

/// Ends the server as a service manager would (SIGTERM).
fn sigterm(pid: u32) {
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status();
}
