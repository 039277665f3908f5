//! Login, start pages by role, sessions (rotation, timeouts, logout), throttling.

use crate::helpers::*;

fn cookie_set(r: &reqwest::Response, nama: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{nama}=")))
        .map(str::to_string)
}

#[tokio::test]
async fn halaman_masuk_dalam_bahasa_indonesia() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/")).await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"id\">"));
    assert_eq!(teks(&html, "h1").as_deref(), Some("Masuk"));
    assert!(html.contains("Nama Pengguna") && html.contains("Kata Sandi"));
    assert_eq!(teks(&html, "button[type=submit]").as_deref(), Some("Masuk"));
    assert!(html.contains("Kecamatan Halong, Kabupaten Balangan"));
}

#[tokio::test]
async fn setiap_peran_mendarat_di_halaman_awalnya() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    app.pengguna("kab", "kabupaten", "63.11").await;
    for (u, ke) in [
        ("op.a", format!("/desa/{DESA_A}")),
        ("kades.a", format!("/desa/{DESA_A}")),
        ("kec", "/dasbor".to_string()),
        ("kab", "/dasbor".to_string()),
        ("admin", "/admin".to_string()),
    ] {
        let (c, r) = app.masuk(u, SANDI).await;
        assert_eq!(r.status(), 303, "{u}");
        assert_eq!(r.headers()["location"], ke.as_str(), "{u}");
        let page = c.get(app.url(&ke)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{u} on {ke}");
        // Logged in, `/` sends the user to their start page too.
        let root = c.get(app.url("/")).send().await.unwrap();
        assert_eq!(root.headers()["location"], ke.as_str(), "{u}");
    }

    // The kecamatan sees its 24 desa; the operator's desa page shows its own desa.
    let c = app.masuk_ok("kec").await;
    let html = c.get(app.url("/desa")).send().await.unwrap().text().await.unwrap();
    assert_eq!(semua_teks(&html, "tbody tr").len(), 24);
    let c = app.masuk_ok("op.a").await;
    let html = c
        .get(app.url(&format!("/desa/{DESA_A}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(teks(&html, "h1").as_deref(), Some("Desa Hauwai"));
    // The operator's /desa goes to its own desa, never to a list.
    let r = c.get(app.url("/desa")).send().await.unwrap();
    assert_eq!(r.headers()["location"], format!("/desa/{DESA_A}").as_str());
}

#[tokio::test]
async fn cookie_sesi_aman_dan_id_baru_setiap_masuk() {
    let app = spawn_app_dengan(|c| c.secure_cookie = true).await;
    let (_c, r) = app.masuk("admin", SANDI).await;
    let set = cookie_set(&r, "sipkatdes_sesi").expect("session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Secure"),
        "{set}"
    );

    let app = spawn_app().await;
    let (_, r1) = app.masuk("admin", SANDI).await;
    let (_, r2) = app.masuk("admin", SANDI).await;
    let a = cookie_set(&r1, "sipkatdes_sesi").unwrap();
    let b = cookie_set(&r2, "sipkatdes_sesi").unwrap();
    assert_ne!(a, b);
    assert!(!a.contains("Secure"));
    // Only digests are stored, never the cookie value.
    let nilai = nilai_cookie(&a);
    let ada: i64 = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sesi WHERE id_hash = $1").bind(&nilai).fetch_one(c).await.unwrap()
    });
    assert_eq!(ada, 0);
}

fn nilai_cookie(set: &str) -> String {
    set.split(';').next().unwrap().split_once('=').unwrap().1.to_string()
}

#[tokio::test]
async fn masuk_kembali_mengakhiri_sesi_lama_di_peramban_yang_sama() {
    let app = spawn_app().await;
    let (_, r) = app.masuk("admin", SANDI).await;
    let lama = nilai_cookie(&cookie_set(&r, "sipkatdes_sesi").unwrap());
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM sesi").await, 1);
    // The same browser logs in again while it still holds the old session cookie.
    let polos = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let h = polos.get(app.url("/")).send().await.unwrap();
    let pra = nilai_cookie(&cookie_set(&h, "sipkatdes_pra").unwrap());
    let r = polos
        .post(app.url("/masuk"))
        .header("cookie", format!("sipkatdes_sesi={lama}; sipkatdes_pra={pra}"))
        .form(&[("_csrf", pra.as_str()), ("username", "admin"), ("password", SANDI)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let baru = nilai_cookie(&cookie_set(&r, "sipkatdes_sesi").unwrap());
    assert_ne!(lama, baru);
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM sesi").await,
        1,
        "the old session survived the new login"
    );
    let r = polos
        .get(app.url("/admin"))
        .header("cookie", format!("sipkatdes_sesi={lama}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the old session id still works");
}

#[tokio::test]
async fn salah_sandi_dan_pengguna_tak_dikenal_dijawab_sama() {
    let app = spawn_app().await;
    let (_, r1) = app.masuk("admin", "bukan-sandinya-1").await;
    let (_, r2) = app.masuk("tidak.ada", "bukan-sandinya-1").await;
    assert_eq!(r1.status(), 401);
    assert_eq!(r2.status(), 401);
    let (h1, h2) = (r1.text().await.unwrap(), r2.text().await.unwrap());
    let g1 = teks(&h1, "#galat-masuk").unwrap();
    let g2 = teks(&h2, "#galat-masuk").unwrap();
    assert_eq!(g1, "Nama pengguna atau kata sandi salah.");
    assert_eq!(g1, g2);
    // Failed logins are audited with the username, never the password.
    let n = app
        .jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'masuk_gagal'")
        .await;
    assert_eq!(n, 2);
    let rincian: Vec<String> = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar("SELECT rincian FROM audit").fetch_all(c).await.unwrap()
    });
    assert!(rincian.iter().all(|r| !r.contains("bukan-sandinya")));
    // An unknown username is not kept (it may be a password typed in the wrong field).
    assert!(rincian.iter().all(|r| !r.contains("tidak.ada")));
    assert!(rincian.iter().any(|r| r.contains("(tidak dikenal)")));
}

#[tokio::test]
async fn masuk_dibatasi_per_akun_dengan_pesan_jelas() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let (_, r) = app.masuk("admin", "bukan-sandinya-1").await;
        assert_eq!(r.status(), 401);
    }
    // The sixth try is refused before the password is even checked — the right one too.
    let (_, r) = app.masuk("admin", SANDI).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let html = r.text().await.unwrap();
    let g = teks(&html, "#galat-masuk").unwrap();
    assert!(
        g.starts_with("Terlalu banyak percobaan. Coba lagi dalam ") && g.ends_with(" menit."),
        "{g}"
    );
    // Another account from the same address is not locked by it.
    app.pengguna("op.a", "operator", DESA_A).await;
    let (_, r) = app.masuk("op.a", SANDI).await;
    assert_eq!(r.status(), 303);
    // After the window, the account may try again.
    app.state.clock.advance(15 * 60 + 1);
    let (_, r) = app.masuk("admin", SANDI).await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn masuk_dibatasi_per_alamat() {
    let app = spawn_app_dengan(|c| c.batas_masuk.per_alamat = 3).await;
    for u in ["a.satu", "a.dua", "a.tiga"] {
        let (_, r) = app.masuk(u, "bukan-sandinya-1").await;
        assert_eq!(r.status(), 401);
    }
    let (_, r) = app.masuk("admin", SANDI).await;
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn sesi_berakhir_setelah_30_menit_diam() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    app.state.clock.advance(29 * 60);
    assert_eq!(c.get(app.url("/admin")).send().await.unwrap().status(), 200);
    // Activity keeps it alive…
    app.state.clock.advance(29 * 60);
    assert_eq!(c.get(app.url("/admin")).send().await.unwrap().status(), 200);
    // …idleness ends it, with a message on the login page.
    app.state.clock.advance(31 * 60);
    let r = c.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/");
    let html = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sesi Anda telah berakhir. Silakan masuk kembali."));
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM sesi").await, 0);
}

#[tokio::test]
async fn sesi_berakhir_setelah_12_jam_walau_aktif() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    for _ in 0..(12 * 60 / 25) {
        app.state.clock.advance(25 * 60);
        assert_eq!(c.get(app.url("/admin")).send().await.unwrap().status(), 200);
    }
    app.state.clock.advance(25 * 60);
    assert_eq!(c.get(app.url("/admin")).send().await.unwrap().status(), 303);
}

#[tokio::test]
async fn keluar_mengakhiri_sesi() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    let csrf = app.csrf(&c, "/admin").await;
    let r = c
        .post(app.url("/keluar"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM sesi").await, 0);
    assert_eq!(c.get(app.url("/admin")).send().await.unwrap().status(), 303);
    let html = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Anda telah keluar."));
}

#[tokio::test]
async fn ubah_sandi_sendiri_mengakhiri_sesi_lain() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let c1 = app.masuk_ok("op.a").await;
    let c2 = app.masuk_ok("op.a").await;
    let tok = app.token("op.a").await;
    let csrf = app.csrf(&c1, "/akun/kata-sandi").await;

    // Wrong current password, mismatch: refused, with messages beside the fields.
    let r = c1
        .post(app.url("/akun/kata-sandi"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("sandi_lama", "salah-salah-1"),
            ("sandi_baru", "baru-sekali-123"),
            ("ulangi_sandi", "lain"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Kata sandi saat ini salah."));
    assert!(html.contains("Ulangi kata sandi baru dengan isi yang sama."));

    let r = c1
        .post(app.url("/akun/kata-sandi"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("sandi_lama", SANDI),
            ("sandi_baru", "baru-sekali-123"),
            ("ulangi_sandi", "baru-sekali-123"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = c1
        .get(app.url("/akun/kata-sandi"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Kata sandi berhasil diubah."));
    // The other browser and the API token are logged out; the new password works.
    assert_eq!(c2.get(app.url("/akun/kata-sandi")).send().await.unwrap().status(), 303);
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/desa"))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let (_, r) = app.masuk("op.a", "baru-sekali-123").await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn menebak_sandi_saat_ini_dibatasi() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    let csrf = app.csrf(&c, "/akun/kata-sandi").await;
    let kirim = |lama: &'static str| {
        c.post(app.url("/akun/kata-sandi"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("sandi_lama", lama),
                ("sandi_baru", "baru-sekali-123"),
                ("ulangi_sandi", "baru-sekali-123"),
            ])
            .send()
    };
    for _ in 0..5 {
        assert_eq!(kirim("tebakan-salah-1").await.unwrap().status(), 422);
    }
    let r = kirim(SANDI).await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("Terlalu banyak percobaan"));
}
