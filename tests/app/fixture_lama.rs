//! A database made by an earlier binary opens with this one: the instance under
//! `tests/fixtures/lama/` (made by `tests/fixtures/lama/buat.sh` with the binary of the commit in
//! its manifest.json — Kecamatan Halong, an account of every role, saved officials with their SK
//! scans, a check that was "tidak sesuai" first, a verification and a return by the kecamatan, a
//! pending revision, a draft from the command-line import, an accepted report) is copied to a
//! temporary directory and opened by the binary under test: `audit verify` recomputes the old
//! chain (its length and last hash as recorded), `serve` starts on it, and the API logs in with
//! the fixture's password, reads the records, downloads the SK scan and the report's PDF and
//! checks their SHA-256; afterwards `audit verify` still passes with the new entries chained on.
//!
//! The SQLite fixture (the database file after a WAL checkpoint, and its `berkas/`) is checked in
//! the SQLite run; the PostgreSQL fixture (a `pg_dump --no-owner --no-privileges` plain dump,
//! loaded with `psql` into a fresh database, and its `berkas/`) in the PostgreSQL run. Every wait
//! is bounded.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::cli::{port_bebas, tunggu_siap};
use crate::helpers::{database_url_baru, hex_lower};

fn folder_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lama")
}

fn salin_folder(dari: &Path, ke: &Path) {
    std::fs::create_dir_all(ke).unwrap();
    for e in std::fs::read_dir(dari).unwrap() {
        let e = e.unwrap();
        let tujuan = ke.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            salin_folder(&e.path(), &tujuan);
        } else {
            std::fs::copy(e.path(), &tujuan).unwrap();
        }
    }
}

fn sha256(b: &[u8]) -> String {
    hex_lower(&Sha256::digest(b))
}

/// Runs `cmd` to its end, at most `batas`; returns (success, stdout, stderr). Output goes
/// through files, so a chatty command never blocks on a full pipe.
fn jalankan(mut cmd: Command, batas: Duration, keluaran: &Path) -> (bool, String, String) {
    let out = keluaran.with_extension("out");
    let err = keluaran.with_extension("err");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let akhir = Instant::now() + batas;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > akhir {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {batas:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (
        status.success(),
        std::fs::read_to_string(out).unwrap_or_default(),
        std::fs::read_to_string(err).unwrap_or_default(),
    )
}

/// The server child: killed when dropped (also when an assertion fails).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Instansi {
    _dir: tempfile::TempDir,
    data_dir: PathBuf,
    url: Option<String>,
    /// The manifest's part for this backend.
    m: Value,
}

impl Instansi {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_sipkatdes"));
        c.arg("--data-dir").arg(&self.data_dir);
        if let Some(u) = &self.url {
            c.arg("--database-url").arg(u);
        }
        c.args(args)
            .env_remove("SIPKATDES_DATABASE_URL")
            .env_remove("SIPKATDES_DATA_DIR")
            .env_remove("SIPKATDES_LISTEN");
        c
    }

    /// `audit verify` with the binary under test; returns (entries, last hash).
    fn audit_verify(&self) -> (u64, String) {
        let (ok, out, err) = jalankan(
            self.cmd(&["audit", "verify"]),
            Duration::from_secs(120),
            &self.data_dir.with_file_name("audit"),
        );
        assert!(ok, "audit verify failed on the old instance:\n{out}{err}");
        let jumlah = out
            .lines()
            .find_map(|l| l.strip_prefix("Rantai audit utuh: "))
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no entry count in:\n{out}"));
        let hash = out
            .lines()
            .find_map(|l| l.split_once(", hash ").map(|(_, h)| h.trim().to_string()))
            .unwrap_or_else(|| panic!("no last hash in:\n{out}"));
        (jumlah, hash)
    }
}

/// Copies the fixture of this run's backend into a temporary instance.
async fn siapkan() -> Instansi {
    let fx = folder_fixture();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(fx.join("manifest.json")).expect("tests/fixtures/lama/manifest.json"))
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let url = database_url_baru().await;
    let (bagian, m) = match &url {
        None => ("sqlite", manifest["sqlite"].clone()),
        Some(_) => ("postgres", manifest["postgres"].clone()),
    };
    salin_folder(&fx.join(bagian).join("berkas"), &data_dir.join("berkas"));
    match &url {
        None => {
            std::fs::copy(fx.join("sqlite/sipkatdes.db"), data_dir.join("sipkatdes.db")).unwrap();
        }
        Some(u) => {
            let mut c = Command::new("psql");
            c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", u, "-f"])
                .arg(fx.join("postgres/dump.sql"))
                .env("PGCONNECT_TIMEOUT", "10");
            let (ok, out, err) = jalankan(c, Duration::from_secs(120), &dir.path().join("psql"));
            assert!(ok, "loading the PostgreSQL dump failed:\n{out}{err}");
        }
    }
    Instansi {
        _dir: dir,
        data_dir,
        url,
        m,
    }
}

#[tokio::test]
async fn fixture_lama_terbuka_dengan_biner_ini() {
    let i = siapkan().await;
    let m = &i.m;

    // The old chain, recomputed by this binary: every entry, the same last hash.
    let (jumlah, hash) = i.audit_verify();
    assert_eq!(
        (jumlah, hash.as_str()),
        (
            m["audit_jumlah"].as_u64().unwrap(),
            m["audit_hash_akhir"].as_str().unwrap()
        ),
        "the old audit chain reads differently (if a migration now adds audit entries, compare the first {} only)",
        m["audit_jumlah"]
    );

    let port = port_bebas();
    let log = i.data_dir.with_file_name("serve.log");
    let server = Server(
        i.cmd(&["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    assert!(
        tunggu_siap(port).await,
        "serve did not answer /healthz on the old instance:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    let alamat = format!("http://127.0.0.1:{port}");
    let c = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let token = |username: &str| {
        let c = c.clone();
        let url = format!("{alamat}/api/v1/auth/token");
        let body = json!({ "username": username, "password": m["sandi"] });
        async move {
            let r = c.post(url).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 200, "log in as {body} on the old instance");
            r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
        }
    };
    let get = |t: String, jalur: String| {
        let c = c.clone();
        let url = format!("{alamat}{jalur}");
        async move {
            let r = c.get(&url).bearer_auth(t).send().await.unwrap();
            assert_eq!(r.status(), 200, "GET {url}");
            let jenis = r.headers()["content-type"].to_str().unwrap().to_string();
            (jenis, r.bytes().await.unwrap().to_vec())
        }
    };
    let op = token(m["operator"].as_str().unwrap()).await;
    let kec = token(m["kecamatan"].as_str().unwrap()).await;
    let kades = token(m["kepala_desa"].as_str().unwrap()).await;

    // A saved record, as the operator (full NIK) and with its SK scan.
    let id = m["perangkat_id"].as_i64().unwrap();
    let (_, isi) = get(op.clone(), format!("/api/v1/perangkat/{id}")).await;
    let p: Value = serde_json::from_slice(&isi).unwrap();
    assert_eq!(p["nama"], m["nama"]);
    assert_eq!(p["nik"], m["nik"]);
    assert_eq!(p["status"], "tersimpan");
    let sk_id = m["dokumen_sk_id"].as_i64().unwrap();
    let sk = p["dokumen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == sk_id)
        .unwrap_or_else(|| panic!("SK document #{sk_id} not listed: {p}"));
    assert_eq!(sk["sha256"], m["dokumen_sk_sha256"]);
    let (jenis, berkas) = get(op.clone(), format!("/api/v1/dokumen/{sk_id}")).await;
    assert_eq!(jenis, "application/pdf");
    assert_eq!(sha256(&berkas), m["dokumen_sk_sha256"].as_str().unwrap());
    // The kecamatan sees the same record with its verification in the change feed.
    let (_, isi) = get(kec.clone(), format!("/api/v1/perangkat/{id}")).await;
    let k: Value = serde_json::from_slice(&isi).unwrap();
    assert_eq!(k["nama"], m["nama"]);
    let (_, isi) = get(kec.clone(), "/api/v1/sinkronisasi".into()).await;
    let feed: Value = serde_json::from_slice(&isi).unwrap();
    assert!(
        feed["perubahan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id && c["terverifikasi"] == true),
        "{feed}"
    );

    // The pending revision: the operator works on it, everybody else sees the saved version.
    let rev = m["revisi_id"].as_i64().unwrap();
    let (_, isi) = get(op.clone(), format!("/api/v1/perangkat/{rev}")).await;
    let kerja: Value = serde_json::from_slice(&isi).unwrap();
    assert_eq!(kerja["alamat"], "Jalan Hauwai RT 03");
    assert!(kerja["tersimpan"].is_object(), "{kerja}");
    let (_, isi) = get(kades.clone(), format!("/api/v1/perangkat/{rev}")).await;
    let lihat: Value = serde_json::from_slice(&isi).unwrap();
    assert_eq!(lihat["alamat"], "Hauwai");
    assert!(
        lihat["nik"].as_str().unwrap().contains('*'),
        "masked for the Kepala Desa: {lihat}"
    );

    // The accepted report and its receipted PDF.
    let lap = m["laporan_id"].as_i64().unwrap();
    let (_, isi) = get(kades.clone(), format!("/api/v1/laporan/{lap}")).await;
    let l: Value = serde_json::from_slice(&isi).unwrap();
    assert_eq!(l["nomor"], m["laporan_nomor"]);
    assert_eq!(l["sha256"], m["laporan_sha256"]);
    assert_eq!(l["status"], "diterima");
    assert_eq!(l["sha256_diterima"], m["laporan_pdf_sha256"]);
    let (jenis, pdf) = get(op.clone(), format!("/api/v1/laporan/{lap}/pdf")).await;
    assert_eq!(jenis, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(sha256(&pdf), m["laporan_pdf_sha256"].as_str().unwrap());

    // Stopped, the instance's chain still verifies with this binary's entries on the old ones.
    drop(server);
    let (setelah, _) = i.audit_verify();
    assert!(
        setelah > jumlah,
        "the logins and downloads are audited ({setelah} ≤ {jumlah})"
    );
}
