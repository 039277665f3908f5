//! `spawn_app()`: the real router on a temporary data dir, on SQLite or — when
//! `SIPKATDES_TEST_DATABASE_URL` names a PostgreSQL server — on a fresh PostgreSQL database.

use reqwest::redirect::Policy;
use sipkatdes::akun::{self, InputPengguna};
use sipkatdes::app::{AppState, Application, Config};
use sipkatdes::audit::Pelaku;
use sipkatdes::db::Db;
use sipkatdes::waktu::{Clock, unix_now};
use sipkatdes::wilayah;

pub const HALONG: &str = "63.11.02";
pub const DESA_A: &str = "63.11.02.2001";
pub const DESA_B: &str = "63.11.02.2002";
pub const SANDI: &str = "kuda-lari-cepat-9";

/// A PostgreSQL URL for a new, empty database, or `None` to test on SQLite.
pub async fn database_url_baru() -> Option<String> {
    let base = std::env::var("SIPKATDES_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())?;
    let nama = format!("sipkatdes_t_{}", sipkatdes::akun::sandi::acak_hex(8));
    let (awal, _) = base.rsplit_once('/').expect("database URL has a path");
    let pool = sqlx::PgPool::connect(&base)
        .await
        .expect("connect to the PostgreSQL test server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {nama}")))
        .execute(&pool)
        .await
        .expect("create test database");
    pool.close().await;
    Some(format!("{awal}/{nama}"))
}

pub struct TestApp {
    pub addr: String,
    pub state: AppState,
    pub db: Db,
    /// The PostgreSQL database's URL (`None` on SQLite: the file in the data dir).
    pub db_url: Option<String>,
    /// Kept alive for the test's duration (the SQLite file and uploads live here).
    _dir: tempfile::TempDir,
}

/// Kecamatan Halong with an admin; more users with [`TestApp::pengguna`].
pub async fn spawn_app() -> TestApp {
    spawn_app_dengan(|_| {}).await
}

pub async fn spawn_app_dengan(atur: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_penuh(&[HALONG], atur).await
}

/// An instance of several kecamatan (e.g. Halong and its neighbour 63.11.01).
pub async fn spawn_app_penuh(kecamatan: &[&str], atur: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_di(database_url_baru().await, kecamatan, atur).await
}

/// The same on a given database (`None`: SQLite in the data dir, whatever the test run uses).
pub async fn spawn_app_di(database_url: Option<String>, kecamatan: &[&str], atur: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::connect(database_url.as_deref(), dir.path())
        .await
        .expect("database");
    let kode: Vec<String> = kecamatan.iter().map(|k| k.to_string()).collect();
    wilayah::siapkan(&db, &kode, unix_now()).await.expect("init");
    let mut config = Config::new(dir.path().to_path_buf());
    // No SK reading in the background unless a test asks for it (tests/app/pencocokan.rs):
    // the other tests, and the byte-exact API snapshot, stay deterministic.
    config.sk_pekerja = Some(0);
    // Answers about another desa's NIK slowed by a millisecond a step, not a quarter second:
    // tests that reach the limit stay quick (pengerasan.rs measures the real slowing).
    config.jeda_nik.langkah_ms = 1;
    atur(&mut config);
    let app = Application::build(db.clone(), config, Clock::default(), "127.0.0.1:0")
        .await
        .expect("build");
    let addr = format!("http://{}", app.local_addr());
    let state = app.state.clone();
    tokio::spawn(app.run(std::future::pending()));
    let t = TestApp {
        addr,
        state,
        db,
        db_url: database_url,
        _dir: dir,
    };
    t.pengguna("admin", "admin", "").await;
    t
}

impl TestApp {
    /// Creates a user with the test password.
    pub async fn pengguna(&self, username: &str, peran: &str, cakupan: &str) -> i64 {
        let input = InputPengguna {
            username: username.into(),
            nama_lengkap: format!("Uji {username}"),
            peran: peran.into(),
            cakupan: cakupan.into(),
            password: SANDI.into(),
        };
        akun::buat(&self.db, &input, &Pelaku::sistem(), unix_now())
            .await
            .expect("create user")
            .0
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.addr, path)
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn klien(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap()
    }

    /// Logs in through the login form; returns the client and the redirect target.
    pub async fn masuk(&self, username: &str, sandi: &str) -> (reqwest::Client, reqwest::Response) {
        let c = self.klien();
        let html = c.get(self.url("/")).send().await.unwrap().text().await.unwrap();
        let token = ambil_csrf(&html);
        let r = c
            .post(self.url("/masuk"))
            .form(&[("_csrf", token.as_str()), ("username", username), ("password", sandi)])
            .send()
            .await
            .unwrap();
        (c, r)
    }

    /// Logs in and checks it worked.
    pub async fn masuk_ok(&self, username: &str) -> reqwest::Client {
        let (c, r) = self.masuk(username, SANDI).await;
        assert_eq!(r.status(), 303, "login of {username} failed");
        c
    }

    /// GETs a page and returns its CSRF token (the one in the logout form is always there).
    pub async fn csrf(&self, c: &reqwest::Client, path: &str) -> String {
        let html = c.get(self.url(path)).send().await.unwrap().text().await.unwrap();
        ambil_csrf(&html)
    }

    pub async fn token(&self, username: &str) -> String {
        minta_token(&self.addr, username, SANDI).await
    }

    pub async fn jumlah_id(&self, sql: &'static str, id: i64) -> i64 {
        sipkatdes::read!(self.db, c => sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(c).await.unwrap())
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// GETs a page with a logged-in client and returns its HTML.
    pub async fn html(&self, c: &reqwest::Client, path: &str) -> String {
        c.get(self.url(path)).send().await.unwrap().text().await.unwrap()
    }

    pub async fn jumlah(&self, sql: &'static str) -> i64 {
        sipkatdes::read!(self.db, c => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await.unwrap())
    }
}

/// An API token from the server at `alamat` (`http://host:port`).
pub async fn minta_token(alamat: &str, username: &str, sandi: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{alamat}/api/v1/auth/token"))
        .json(&serde_json::json!({ "username": username, "password": sandi }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "token for {username}");
    let v: serde_json::Value = r.json().await.unwrap();
    v["token"].as_str().unwrap().to_string()
}

pub fn ambil_csrf(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("input[name=_csrf]").unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_string()
}

/// The text of the first element matching `css`.
pub fn teks(html: &str, css: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(css).unwrap();
    doc.select(&sel)
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())
}

pub fn semua_teks(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Lower-case hex of bytes (a SHA-256 as the application stores it).
pub fn hex_lower(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Every (METHOD, path) of the API router, read from its source: the handlers named in the
/// `routes!(…)` calls of `src/api/rute.rs`, each at the method and path of its
/// `#[utoipa::path(…)]` (utoipa-axum's `routes!` routes a handler exactly there). Panics naming
/// a handler whose attribute cannot be found.
pub fn rute_api() -> std::collections::BTreeSet<(String, String)> {
    let akar = concat!(env!("CARGO_MANIFEST_DIR"), "/src/api/");
    let baca = |berkas: &str| std::fs::read_to_string(format!("{akar}{berkas}")).unwrap();
    let rute = baca("rute.rs");
    let awal = rute.find("fn rute(").expect("fn rute in src/api/rute.rs");
    let badan = &rute[awal..];
    let badan = &badan[..badan.find("\n}\n").expect("end of fn rute")];
    let mut v = std::collections::BTreeSet::new();
    for (i, _) in badan.match_indices("routes!(") {
        let isi = &badan[i + "routes!(".len()..];
        let isi = &isi[..isi.find(')').unwrap()];
        for penangan in isi.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (modul, nama) = penangan.rsplit_once("::").unwrap_or(("", penangan));
            let berkas = match modul {
                "" => "rute.rs".to_string(),
                "super" => "mod.rs".to_string(),
                m => format!("{m}.rs"),
            };
            let src = baca(&berkas);
            let fungsi = src
                .find(&format!("pub async fn {nama}("))
                .unwrap_or_else(|| panic!("handler {penangan} not found in src/api/{berkas}"));
            let atribut = src[..fungsi]
                .rfind("#[utoipa::path(")
                .unwrap_or_else(|| panic!("handler {penangan} has no #[utoipa::path]"));
            let atribut = &src[atribut + "#[utoipa::path(".len()..fungsi];
            let metode = atribut.trim_start().split(',').next().unwrap().trim().to_uppercase();
            let jalur = atribut
                .split("path = \"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_else(|| panic!("handler {penangan}: no path in #[utoipa::path]"));
            v.insert((metode, jalur.to_string()));
        }
    }
    v
}
