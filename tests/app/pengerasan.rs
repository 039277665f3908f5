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

/// Point 1: a masked NIK hides the serial (what the desa, birth date and sex do not give away),
/// and a role that sees masked NIKs cannot confirm a guessed NIK through the search.
#[tokio::test]
async fn nik_tersamar_tidak_dapat_dibangun_ulang_atau_dikonfirmasi() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let nik = "6311021403850007";
    let mut v = contoh(nik, "Ahmad Fauzi", "kaur_keuangan");
    v["nomor_sk_pengangkatan"] = json!("SK/77/2020");
    let id = op.buat(DESA_A, &v).await;
    op.simpan(id).await;
    for u in ["kades.a", "kab"] {
        let a = Api::baru(&app, u).await;
        let d = a.json(&format!("/api/v1/perangkat/{id}")).await;
        let samar = d["nik"].as_str().unwrap();
        assert!(!samar.contains("0007") && !samar.contains("140385"), "{u}: {samar}");
        assert_eq!(samar.len(), 16, "{u}: {samar}");
        // Search by the whole NIK, its serial or its middle: nothing (3+ characters go through
        // SQLite's trigram index, shorter ones through LIKE).
        for q in [nik, "0007", "850007", "07", "140385"] {
            for path in [
                format!("/api/v1/perangkat?cari={q}"),
                format!("/api/v1/desa/{DESA_A}/perangkat?cari={q}"),
            ] {
                assert_eq!(a.json(&path).await["total"], 0, "{u} {path}");
            }
        }
        // Name and SK number still find it.
        assert_eq!(a.json("/api/v1/perangkat?cari=fauzi").await["total"], 1, "{u}");
        assert_eq!(a.json("/api/v1/perangkat?cari=SK%2F77").await["total"], 1, "{u}");
        // The web page's search likewise.
        let c = app.masuk_ok(u).await;
        let html = app.html(&c, &format!("/desa/{DESA_A}?cari={nik}")).await;
        assert!(!html.contains("Ahmad Fauzi"), "{u}");
        let html = app.html(&c, &format!("/desa/{DESA_A}?cari=fauzi")).await;
        assert!(html.contains("Ahmad Fauzi"), "{u}");
    }
    // Roles that see whole NIKs still find by NIK.
    for u in ["op.a", "kec", "admin"] {
        let a = Api::baru(&app, u).await;
        assert_eq!(
            a.json(&format!("/api/v1/perangkat?cari={nik}")).await["total"],
            1,
            "{u}"
        );
        assert_eq!(a.json("/api/v1/perangkat?cari=0007").await["total"], 1, "{u}");
    }
}

/// Point 6: a common or guessable password is refused on every path that sets one — the CLI,
/// the admin's new-account and reset forms, the user's own password form — saying why.
#[tokio::test]
async fn sandi_umum_ditolak_di_setiap_jalan() {
    // The command line.
    let i = crate::cli::Instansi::baru().await;
    let o = i.jalankan(&["init", "--kecamatan", "63.11.02"]);
    assert!(o.status.success());
    let o = i.user_add(
        &["--username", "budi", "--role", "operator", "--scope", DESA_A],
        "password12",
    );
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(err.contains("sering dipakai") && err.contains("mudah ditebak"), "{err}");
    let o = i.user_add(
        &["--username", "budi", "--role", "operator", "--scope", DESA_A],
        "kuda-lari-cepat-9",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let app = spawn_app().await;
    let id = app.pengguna("op.a", "operator", DESA_A).await;
    let admin = app.masuk_ok("admin").await;
    let kirim = async |c: &reqwest::Client, path: &str, csrf_dari: &str, form: &[(&str, &str)]| {
        let csrf = app.csrf(c, csrf_dari).await;
        let mut f: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        f.extend_from_slice(form);
        c.post(app.url(path)).form(&f).send().await.unwrap()
    };
    // The admin: a new account.
    for (sandi, sebab) in [("qwertyuiop", "sering dipakai"), ("1234567890", "sering dipakai")] {
        let r = kirim(
            &admin,
            "/admin/pengguna",
            "/admin",
            &[
                ("username", "operator.baru"),
                ("nama_lengkap", "Siti Rahmah"),
                ("peran", "operator"),
                ("cakupan", DESA_A),
                ("password", sandi),
            ],
        )
        .await;
        assert_eq!(r.status(), 422, "{sandi}");
        assert!(r.text().await.unwrap().contains(sebab), "{sandi}");
    }
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM pengguna WHERE username = 'operator.baru'")
            .await,
        0
    );
    // The admin: a reset.
    let r = kirim(
        &admin,
        &format!("/admin/pengguna/{id}/sandi"),
        "/admin",
        &[("sandi_baru", "aaaaaaaaaaaa")],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("pengulangan"));
    // The user's own form.
    let op = app.masuk_ok("op.a").await;
    let r = kirim(
        &op,
        "/akun/kata-sandi",
        "/akun/kata-sandi",
        &[
            ("sandi_lama", SANDI),
            ("sandi_baru", "abcdefghijkl"),
            ("ulangi_sandi", "abcdefghijkl"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("urutan"));
    // Nothing changed: the old password still logs in.
    assert_eq!(app.masuk("op.a", SANDI).await.1.status(), 303);
}

/// The Kepala Desa accepts the report through the API with a forged Host header; returns the
/// receipted PDF's text.
async fn terima_dengan_host_palsu(app: &TestApp) -> String {
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    let op = Api::baru(app, "op.a").await;
    let id = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    op.simpan(id).await;
    let r = op.post(&format!("/api/v1/desa/{DESA_A}/laporan"), &json!({})).await;
    assert_eq!(r.status(), 201);
    let laporan = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let token = app.token("kades.a").await;
    let c = reqwest::Client::new();
    let r = c
        .post(app.url(&format!("/api/v1/laporan/{laporan}/penerimaan")))
        .bearer_auth(&token)
        .header(reqwest::header::HOST, "evil.example")
        .json(&json!({ "diterima": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let pdf = c
        .get(app.url(&format!("/api/v1/laporan/{laporan}/pdf")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    // The receipt's box wraps long lines: compare without white space.
    crate::laporan::teks_pdf(&pdf).split_whitespace().collect()
}

/// Point 7: a receipt never prints an address taken from the request. Without `--public-url`
/// it carries the path and the code; with it, that address.
#[tokio::test]
async fn tanda_terima_tidak_memakai_host_permintaan() {
    let app = spawn_app().await;
    let t = terima_dengan_host_palsu(&app).await;
    assert!(!t.contains("evil.example"), "{t}");
    assert!(t.contains("halaman/verifikasi/") && !t.contains("://"), "{t}");

    let app = spawn_app_dengan(|c| c.public_url = Some("https://sipkatdes.balangankab.go.id".into())).await;
    let t = terima_dengan_host_palsu(&app).await;
    assert!(!t.contains("evil.example"), "{t}");
    assert!(t.contains("https://sipkatdes.balangankab.go.id/verifikasi/"), "{t}");
}

/// Point 8: without `--public-url`, a form's Origin must match the scheme as well as the host.
#[tokio::test]
async fn asal_formulir_dibandingkan_dengan_skema() {
    for proxy in [false, true] {
        let app = spawn_app_dengan(|c| c.proxy.aktif = proxy).await;
        let host = app.addr.trim_start_matches("http://").to_string();
        let keluar = async |origin: String, proto: Option<&str>| {
            let c = app.masuk_ok("admin").await;
            let csrf = app.csrf(&c, "/admin").await;
            let mut q = c
                .post(app.url("/keluar"))
                .header(reqwest::header::ORIGIN, origin)
                .form(&[("_csrf", csrf.as_str())]);
            if let Some(p) = proto {
                q = q.header("x-forwarded-proto", p);
            }
            q.send().await.unwrap().status().as_u16()
        };
        assert_eq!(keluar(format!("http://{host}"), None).await, 303, "proxy {proxy}");
        assert_eq!(keluar(format!("https://{host}"), None).await, 403, "proxy {proxy}");
        assert_eq!(keluar("http://evil.example".into(), None).await, 403, "proxy {proxy}");
        // Behind a trusted proxy, its X-Forwarded-Proto says the scheme.
        let https = keluar(format!("https://{host}"), Some("https")).await;
        let http = keluar(format!("http://{host}"), Some("https")).await;
        if proxy {
            assert_eq!((https, http), (303, 403));
        } else {
            assert_eq!((https, http), (403, 303));
        }
    }
}

/// Point 3: at most ten live API tokens per account (a new one revokes the oldest), listed on
/// the account page, each with *Cabut* (CSRF-protected like every form).
#[tokio::test]
async fn token_api_dibatasi_dan_dapat_dicabut_di_halaman_akun() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    let mut token = Vec::new();
    for _ in 0..12 {
        token.push(app.token("op.a").await);
    }
    let hidup = app
        .jumlah("SELECT COUNT(*) FROM token_api t JOIN pengguna p ON p.id = t.pengguna_id WHERE p.username = 'op.a'")
        .await;
    assert_eq!(hidup, 10);
    let c = reqwest::Client::new();
    let status = async |t: &str| {
        c.get(app.url("/api/v1/desa"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(status(&token[0]).await, 401, "the oldest is revoked");
    assert_eq!(status(&token[1]).await, 401);
    assert_eq!(status(&token[2]).await, 200);
    assert_eq!(status(&token[11]).await, 200);
    let audit = app
        .jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'token_dibuat' AND rincian LIKE '%\"token_lama_dicabut\":1%'")
        .await;
    assert_eq!(audit, 2);

    // The account page lists them, newest first, each with Cabut.
    let web = app.masuk_ok("op.a").await;
    let html = app.html(&web, "/akun/kata-sandi").await;
    let id: Vec<String> = {
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("form[action='/akun/token/cabut'] input[name=token_id]").unwrap();
        doc.select(&sel)
            .map(|e| e.value().attr("value").unwrap().to_string())
            .collect()
    };
    assert_eq!(id.len(), 10, "{html}");
    assert_eq!(semua_teks(&html, "form[action='/akun/token/cabut'] button").len(), 10);
    // The newest is first: revoke it.
    let csrf = app.csrf(&web, "/akun/kata-sandi").await;
    let r = web
        .post(app.url("/akun/token/cabut"))
        .form(&[("_csrf", csrf.as_str()), ("token_id", id[0].as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(status(&token[11]).await, 401);
    assert_eq!(status(&token[10]).await, 200);
    let html = app.html(&web, "/akun/kata-sandi").await;
    assert!(html.contains("Token API dicabut"), "{html}");
    // Without the CSRF token: refused, nothing revoked.
    let r = web
        .post(app.url("/akun/token/cabut"))
        .form(&[("token_id", id[1].as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(status(&token[10]).await, 200);
    // Another user's token: unchanged.
    let lain = app.token("op.b").await;
    let id_lain: i64 = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar("SELECT t.id FROM token_api t JOIN pengguna p ON p.id = t.pengguna_id WHERE p.username = 'op.b'")
            .fetch_one(c)
            .await
            .unwrap()
    });
    let csrf = app.csrf(&web, "/akun/kata-sandi").await;
    let r = web
        .post(app.url("/akun/token/cabut"))
        .form(&[("_csrf", csrf.as_str()), ("token_id", id_lain.to_string().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(status(&lain).await, 200);
}

/// Point 2: another desa's drafts never count for "aktif di desa lain"; an answer naming another
/// desa's saved position is audited and, past the limit per account, refused with 429.
#[tokio::test]
async fn nik_desa_lain_hanya_tersimpan_diaudit_dan_dibatasi() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    let b = Api::baru(&app, "op.b").await;
    let tersimpan = "6311021403850001";
    let draf = "6311021403860001";
    let id = b
        .buat(DESA_B, &contoh(tersimpan, "Budi Tersimpan", "kaur_keuangan"))
        .await;
    b.simpan(id).await;
    b.buat(DESA_B, &contoh(draf, "Dedi Draf", "kaur_perencanaan")).await;

    // The import preview of desa A.
    let c = app.masuk_ok("op.a").await;
    let csv = format!(
        "Nama Lengkap,L/P,NIK,Tempat/Tgl Lahir,Jabatan,Pendidikan,Agama,No SK,Tgl SK,TMT\n\
         Dedi Draf,L,{draf},\"Paringin, 14-03-1986\",Kaur Perencanaan,SMA,Islam,141/05/2020,02-01-2020,02-01-2020\n\
         Budi Tersimpan,L,{tersimpan},\"Paringin, 14-03-1985\",Kaur Keuangan,SMA,Islam,141/06/2020,02-01-2020,02-01-2020\n"
    );
    let csrf = app.csrf(&c, &format!("/desa/{DESA_A}/impor")).await;
    let form = reqwest::multipart::Form::new().text("_csrf", csrf).part(
        "berkas",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("p.csv"),
    );
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/impor")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = app.html(&c, r.headers()["location"].to_str().unwrap()).await;
    assert_eq!(html.matches("di desa lain").count(), 1, "{html}");
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'nik_desa_lain'")
            .await,
        1
    );

    // Creating: another desa's draft does not count; its saved position does, audited.
    let a = Api::baru(&app, "op.a").await;
    let r = a
        .post(
            &format!("/api/v1/desa/{DESA_A}/perangkat"),
            &contoh(draf, "Dedi Draf", "kaur_perencanaan"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let mut v = contoh(tersimpan, "Budi Tersimpan", "kaur_keuangan");
    let mut status = Vec::new();
    for _ in 0..sipkatdes::akun::batas::JAWABAN_NIK_DESA_LAIN + 1 {
        v["jabatan"] = json!("kasi_pelayanan");
        status.push(
            a.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &v)
                .await
                .status()
                .as_u16(),
        );
    }
    // The preview's answer counted too: 19 more answers, then 429.
    let batas = sipkatdes::akun::batas::JAWABAN_NIK_DESA_LAIN as usize - 1;
    assert!(status[..batas].iter().all(|s| *s == 422), "{status:?}");
    assert!(status[batas..].iter().all(|s| *s == 429), "{status:?}");
    let r = a.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &v).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let v: Value = r.json().await.unwrap();
    assert!(
        !v.to_string().contains("Bangkal") && !v.to_string().contains("Kaur"),
        "{v}"
    );
    let audit: Vec<String> = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar("SELECT rincian FROM audit WHERE aksi = 'nik_desa_lain' ORDER BY id").fetch_all(c).await.unwrap()
    });
    assert!(audit.len() as i64 > sipkatdes::akun::batas::JAWABAN_NIK_DESA_LAIN);
    assert!(audit.iter().all(|r| !r.contains(tersimpan)), "no NIK in the audit log");
    assert!(audit.last().unwrap().contains("\"ditolak\":true"), "{audit:?}");
    // Another account is not slowed by op.a's count.
    let kec_b = Api::baru(&app, "op.b").await;
    assert_eq!(
        kec_b.json(&format!("/api/v1/desa/{DESA_B}/perangkat")).await["total"],
        2
    );
}

/// Point 10: a deployment behind a reverse proxy. `X-Forwarded-For` and `X-Forwarded-Proto` are
/// believed only with `--trust-proxy` *and* from a `--proxy-address` peer; a client that talks to
/// the server directly cannot name its own address to escape the per-address login limit.
#[tokio::test]
async fn forwarded_for_hanya_dipercaya_dari_proxy() {
    // (trust-proxy, the proxy's addresses, whether each forged address counts on its own)
    let kasus = [
        (false, "127.0.0.1/8,::1", false),
        (true, "10.9.9.9", false),
        (true, "127.0.0.1/8,::1", true),
    ];
    for (aktif, alamat, terpisah) in kasus {
        let app = spawn_app_dengan(|c| {
            c.batas_masuk.per_alamat = 3;
            c.proxy.aktif = aktif;
            c.proxy.alamat = sipkatdes::kernel::proxy::Jaringan::daftar(alamat).unwrap();
        })
        .await;
        let coba = async |user: &str, sandi: &str, xff: &str| {
            reqwest::Client::new()
                .post(app.url("/api/v1/auth/token"))
                .header("x-forwarded-for", xff)
                .json(&json!({ "username": user, "password": sandi }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        };
        for (i, u) in ["a.satu", "a.dua", "a.tiga"].into_iter().enumerate() {
            assert_eq!(coba(u, "bukan-sandinya-1", &format!("198.51.100.{i}")).await, 401);
        }
        // A fourth address: its own count when believed, the peer's (already at the limit) when not.
        let r = coba("admin", SANDI, "198.51.100.77").await;
        assert_eq!(r, if terpisah { 200 } else { 429 }, "trust {aktif}, proxy {alamat}");
        // A client's own entry left of what the proxy appended never chooses the address.
        let r = coba("admin", SANDI, "198.51.100.0, 198.51.100.78").await;
        assert_eq!(r, if terpisah { 200 } else { 429 }, "trust {aktif}, proxy {alamat}");

        // The scheme, in the origin check, likewise: https from the proxy only (after the
        // login window, so that the peer may log in again).
        app.state.clock.advance(15 * 60 + 1);
        let host = app.addr.trim_start_matches("http://").to_string();
        let c = app.masuk_ok("admin").await;
        let csrf = app.csrf(&c, "/admin").await;
        let r = c
            .post(app.url("/keluar"))
            .header(reqwest::header::ORIGIN, format!("https://{host}"))
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-for", "198.51.100.79")
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            if terpisah { 303 } else { 403 },
            "trust {aktif}, proxy {alamat}"
        );
    }
}

/// Point 10: with `--public-url`, a form's Origin must be exactly that address — the host the
/// request names and the proxy's headers change nothing — and receipts print only it.
#[tokio::test]
async fn public_url_menentukan_asal_formulir() {
    let publik = "https://sipkatdes.balangankab.go.id";
    let app = spawn_app_dengan(|c| {
        c.public_url = Some(publik.into());
        c.proxy.aktif = true;
    })
    .await;
    let host = app.addr.trim_start_matches("http://").to_string();
    let keluar = async |origin: &str, host_header: Option<&str>| {
        let c = app.masuk_ok("admin").await;
        let csrf = app.csrf(&c, "/admin").await;
        let mut q = c
            .post(app.url("/keluar"))
            .header(reqwest::header::ORIGIN, origin)
            .header("x-forwarded-proto", "https")
            .form(&[("_csrf", csrf.as_str())]);
        if let Some(h) = host_header {
            q = q.header(reqwest::header::HOST, h);
        }
        q.send().await.unwrap().status().as_u16()
    };
    assert_eq!(keluar(publik, None).await, 303);
    assert_eq!(keluar(&format!("{publik}/"), None).await, 403, "only the origin itself");
    assert_eq!(
        keluar(&format!("http://{host}"), None).await,
        403,
        "the server's own address is not the public one"
    );
    assert_eq!(keluar(&format!("https://{host}"), None).await, 403);
    assert_eq!(
        keluar("http://sipkatdes.balangankab.go.id", None).await,
        403,
        "the scheme counts"
    );
    assert_eq!(
        keluar("https://evil.example", Some("evil.example")).await,
        403,
        "a Host header changes nothing"
    );
}

/// Point 9: the limits of sessions and tokens, with the injectable clock. A session never
/// outlives 30 minutes without a request, although its activity is recorded at most once a
/// minute, nor 12 hours in all; an API token ends 12 hours after it was issued, however busy.
#[tokio::test]
async fn batas_waktu_sesi_dan_token_dengan_jam_tiruan() {
    let app = spawn_app().await;
    let jam = &app.state.clock;
    let status = async |c: &reqwest::Client| c.get(app.url("/admin")).send().await.unwrap().status().as_u16();

    // Activity 30 s after login is not written (once a minute); 29 minutes after it, the
    // session is still alive, 29 min 30 s after the activity that was written. (The clock is
    // the real one moved forward: margins of seconds, for a slow machine.)
    let c = app.masuk_ok("admin").await;
    jam.advance(30);
    assert_eq!(status(&c).await, 200);
    jam.advance(29 * 60);
    assert_eq!(status(&c).await, 200);
    // Then 30 minutes and a second without a request: ended, whatever the cookie says.
    jam.advance(30 * 60 + 1);
    assert_eq!(status(&c).await, 303);
    assert_eq!(status(&c).await, 303, "an ended session does not come back");

    // A busy session ends at 12 hours, a request every 10 minutes notwithstanding.
    let c = app.masuk_ok("admin").await;
    let mulai = jam.now();
    while jam.now() - mulai < 12 * 3600 - 10 * 60 {
        jam.advance(10 * 60);
        assert_eq!(status(&c).await, 200, "at {} s", jam.now() - mulai);
    }
    jam.advance(12 * 3600 - (jam.now() - mulai) + 1);
    assert_eq!(status(&c).await, 303);

    // An API token: alive until its twelfth hour, then 401 with a message, and no longer
    // listed on the account page.
    let tok = app.token("admin").await;
    let api = async |t: &str| {
        let r = reqwest::Client::new()
            .get(app.url("/api/v1/desa"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        let s = r.status().as_u16();
        (s, r.json::<Value>().await.unwrap_or(Value::Null))
    };
    for _ in 0..11 {
        jam.advance(3600);
        assert_eq!(api(&tok).await.0, 200);
    }
    jam.advance(3600 - 30);
    assert_eq!(api(&tok).await.0, 200, "half a minute before its end");
    jam.advance(30);
    let (s, j) = api(&tok).await;
    assert_eq!(s, 401);
    assert!(j["error"]["pesan"].as_str().is_some_and(|p| !p.is_empty()), "{j}");
    let c = app.masuk_ok("admin").await;
    let html = app.html(&c, "/akun/kata-sandi").await;
    assert!(
        !html.contains("/akun/token/cabut"),
        "an expired token is not listed as live"
    );
}

/// Point 2, the rest: answers about another desa's saved NIK are slowed before they are
/// stopped, and the kecamatan sees who was told (and about which desa) on its own page; a
/// kecamatan elsewhere does not.
#[tokio::test]
async fn nik_desa_lain_diperlambat_dan_terlihat_oleh_kecamatan() {
    let jeda = sipkatdes::akun::batas::JedaNik {
        bebas: 2,
        langkah_ms: 150,
        maks_ms: 300,
    };
    let app = spawn_app_penuh(&[HALONG, "63.11.01"], |c| c.jeda_nik = jeda).await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    app.pengguna("kec.juai", "kecamatan", "63.11.01").await;
    let tersimpan = "6311021403850001";
    let b = Api::baru(&app, "op.b").await;
    let id = b
        .buat(DESA_B, &contoh(tersimpan, "Budi Tersimpan", "kaur_keuangan"))
        .await;
    b.simpan(id).await;

    let a = Api::baru(&app, "op.a").await;
    let v = contoh(tersimpan, "Budi Tersimpan", "kasi_pelayanan");
    let mut lama = Vec::new();
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let r = a.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &v).await;
        assert_eq!(r.status(), 422);
        lama.push(t.elapsed());
    }
    // The third answer waits one step, the fourth two, the fifth is held at the maximum.
    assert!(lama[2] >= std::time::Duration::from_millis(150), "{lama:?}");
    assert!(lama[3] >= std::time::Duration::from_millis(300), "{lama:?}");
    assert!(lama[4] >= std::time::Duration::from_millis(300), "{lama:?}");

    // The kecamatan sees who was told, from where, about which desa — and no NIK.
    let c = app.masuk_ok("kec").await;
    let dasbor = app.html(&c, "/dasbor").await;
    assert!(dasbor.contains("href=\"/pertanyaan-nik\""));
    let html = app.html(&c, "/pertanyaan-nik").await;
    assert!(
        !html.contains(tersimpan) && !html.contains("6311021403"),
        "no NIK on the page"
    );
    let akun = semua_teks(&html, "#judul-per-akun + table tbody tr");
    assert_eq!(akun.len(), 1, "{akun:?}");
    assert!(
        akun[0].contains("Uji op.a") && akun[0].contains("Hauwai") && akun[0].contains('5'),
        "{akun:?}"
    );
    let rinci = semua_teks(&html, "#judul-rincian + table tbody tr");
    assert_eq!(rinci.len(), 5, "{rinci:?}");
    assert!(
        rinci
            .iter()
            .all(|r| r.contains("Tambah perangkat") && r.contains("Bangkal")),
        "{rinci:?}"
    );
    // Another kecamatan's staff see nothing of it.
    let c = app.masuk_ok("kec.juai").await;
    let html = app.html(&c, "/pertanyaan-nik").await;
    assert!(html.contains("Tidak ada pertanyaan NIK desa lain"), "{html}");
    assert!(!html.contains("op.a"));
}
