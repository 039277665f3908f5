//! The command line, run as a person would: the real binary, on SQLite or PostgreSQL.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use sipkatdes::db::Db;

use crate::helpers::database_url_baru;

pub struct Instansi {
    pub dir: tempfile::TempDir,
    pub url: Option<String>,
}

impl Instansi {
    pub async fn baru() -> Instansi {
        Instansi {
            dir: tempfile::tempdir().unwrap(),
            url: database_url_baru().await,
        }
    }

    pub fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_sipkatdes"));
        c.arg("--data-dir").arg(self.data_dir());
        if let Some(u) = &self.url {
            c.arg("--database-url").arg(u);
        }
        c.args(args)
            .env_remove("SIPKATDES_DATABASE_URL")
            .env_remove("SIPKATDES_DATA_DIR");
        c
    }

    pub fn jalankan(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    pub fn user_add(&self, args: &[&str], sandi: &str) -> Output {
        let mut all = vec!["user", "add"];
        all.extend_from_slice(args);
        all.push("--password-stdin");
        let mut child = self
            .cmd(&all)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{sandi}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs the binary like [`Instansi::jalankan`], but kills it after `batas` (a hang becomes
    /// a failure with a message instead of a test that never ends). Blocks the test's runtime
    /// on purpose, as the other helpers do.
    pub fn jalankan_paling_lama(&self, args: &[&str], batas: std::time::Duration) -> Option<Output> {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mulai = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            if mulai.elapsed() > batas {
                child.kill().ok();
                child.wait().ok();
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Some(child.wait_with_output().unwrap())
    }

    pub async fn db(&self) -> Db {
        Db::connect(self.url.as_deref(), &self.data_dir()).await.unwrap()
    }

    /// Is there anything in the instance's database? (Without creating it on SQLite.)
    async fn ada_tabel(&self) -> bool {
        match &self.url {
            None => self.data_dir().exists(),
            Some(u) => {
                let pool = sqlx::PgPool::connect(u).await.unwrap();
                let n: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
                        .fetch_one(&pool)
                        .await
                        .unwrap();
                n > 0
            }
        }
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[tokio::test]
async fn init_halong_menyiapkan_24_desa_dari_data_wilayah() {
    let i = Instansi::baru().await;
    let o = i.jalankan(&["init", "--kecamatan", "63.11.02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("24 desa baru"), "{}", stdout(&o));
    let db = i.db().await;
    let desa: Vec<(String, String, String)> = sipkatdes::read!(db, c => {
        sqlx::query_as("SELECT kode, nama, sebutan_kepala_desa FROM desa ORDER BY kode").fetch_all(c).await.unwrap()
    });
    assert_eq!(desa.len(), 24);
    assert_eq!(desa[0].0, "63.11.02.2001");
    assert!(desa.iter().all(|d| d.0.starts_with("63.11.02.20")));
    // Kalimantan Selatan calls its village head "Pembakal".
    assert!(desa.iter().all(|d| d.2 == "Pembakal"));
    let zona: String =
        sipkatdes::read!(db, c => sqlx::query_scalar("SELECT zona_waktu FROM instansi").fetch_one(c).await.unwrap());
    assert_eq!(zona, "WITA");

    // Running it again adds nothing and changes nothing.
    let o = i.jalankan(&["init", "--kecamatan", "63.11.02"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("0 desa baru"), "{}", stdout(&o));
}

/// Issue 15, point 12: a transaction this process only dropped — the migrator's for an
/// applied migration, or one left by an early return — must not keep the writers' lock while
/// the process lives on (here: its runtime blocked on a child). On PostgreSQL the child waited
/// forever in `pg_advisory_xact_lock`; on SQLite it failed with "database is locked".
#[tokio::test]
async fn transaksi_yang_ditinggalkan_tidak_menahan_proses_lain() {
    let i = Instansi::baru().await;
    let o = i.jalankan(&["init", "--kecamatan", "63.11.02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Every migration is applied already: the migrator's transactions end at `continue`.
    let db = i.db().await;
    // A write transaction that ends by being dropped (as on an early `return` or a `?`).
    let mut tx = db.begin().await.unwrap();
    sipkatdes::tx!(&mut tx, c => {
        sqlx::query("UPDATE instansi SET zona_waktu = zona_waktu").execute(c).await.unwrap();
    });
    drop(tx);
    let batas = std::time::Duration::from_secs(40);
    let o = i.jalankan_paling_lama(&["init", "--kecamatan", "63.11.02"], batas);
    let o = o.expect("a second process waited for a lock held by a dropped transaction");
    assert!(o.status.success(), "{}", stderr(&o));
    // The pool still works after the dropped transaction closed its connection.
    let mut tx = db.begin().await.unwrap();
    sipkatdes::tx!(&mut tx, c => {
        sqlx::query("UPDATE instansi SET zona_waktu = zona_waktu").execute(c).await.unwrap();
    });
    tx.commit().await.unwrap();
    db.close().await;
}

/// PostgreSQL sessions bound their lock waits and their idle transactions (issue 15, point 12).
#[tokio::test]
async fn postgres_membatasi_tunggu_kunci() {
    let i = Instansi::baru().await;
    if i.url.is_none() {
        return;
    }
    let o = i.jalankan(&["init", "--kecamatan", "63.11.02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let db = i.db().await;
    let (lock, idle): (String, String) = sipkatdes::read!(db, c => {
        sqlx::query_as("SELECT current_setting('lock_timeout'), current_setting('idle_in_transaction_session_timeout')")
            .fetch_one(c)
            .await
            .unwrap()
    });
    assert_eq!(lock, "30s");
    assert_eq!(idle, "1min");
    db.close().await;
}

#[tokio::test]
async fn init_kabupaten_menyiapkan_semua_kecamatannya() {
    let i = Instansi::baru().await;
    let o = i.jalankan(&["init", "--kecamatan", "63.11"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let db = i.db().await;
    let kec: i64 =
        sipkatdes::read!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM kecamatan").fetch_one(c).await.unwrap());
    let r = sipkatdes::wilayah::Referensi::get();
    let balangan = sipkatdes::wilayah::KodeWilayah::parse("63.11").unwrap();
    assert_eq!(kec as usize, r.kecamatan_dalam(&balangan).len());
    let halong: i64 = sipkatdes::read!(db, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM desa WHERE kecamatan_kode = '63.11.02'").fetch_one(c).await.unwrap()
    });
    assert_eq!(halong, 24);
}

#[tokio::test]
async fn init_menolak_kode_salah_tanpa_menulis_apa_pun() {
    let i = Instansi::baru().await;
    for (kode, pesan) in [
        ("63.11.99", "tidak dikenal"),
        ("63.11.2", "tidak sesuai format"),
        ("halong", "tidak sesuai format"),
        ("63.11.02.2001", "kode desa"),
        ("63.11.02,63.99", "tidak dikenal"),
    ] {
        let o = i.jalankan(&["init", "--kecamatan", kode]);
        assert!(!o.status.success(), "{kode} accepted");
        assert!(stderr(&o).contains(pesan), "{kode}: {}", stderr(&o));
        assert!(!i.ada_tabel().await, "{kode}: something was written");
    }
    let o = i.jalankan(&["init"]);
    assert!(!o.status.success());
}

#[tokio::test]
async fn user_add_tanpa_instansi_ditolak_tanpa_membuat_apa_pun() {
    let i = Instansi::baru().await;
    let o = i.user_add(&["--username", "admin", "--role", "admin"], "kuda-lari-cepat");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("sipkatdes init"), "{}", stderr(&o));
    assert!(!i.ada_tabel().await, "user add created an instance");
    // Format errors are reported before the database is even opened.
    let o = i.user_add(&["--username", "A", "--role", "raja"], "x");
    assert!(
        stderr(&o).contains("--username") && stderr(&o).contains("--role"),
        "{}",
        stderr(&o)
    );
    assert!(!i.ada_tabel().await);
}

#[tokio::test]
async fn user_add_membuat_akun_dan_menolak_input_salah() {
    let i = Instansi::baru().await;
    assert!(i.jalankan(&["init", "--kecamatan", "63.11.02"]).status.success());

    let o = i.user_add(
        &[
            "--username",
            "operator.a",
            "--role",
            "operator",
            "--scope",
            "63.11.02.2001",
        ],
        "kuda-lari-cepat",
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let kasus: [(&[&str], &str, &str); 7] = [
        (
            &["--username", "x1", "--role", "operator", "--scope", "63.11.02.2001"],
            "kuda-lari-cepat",
            "--username",
        ),
        (
            &["--username", "salah.peran", "--role", "camat", "--scope", "63.11.02"],
            "kuda-lari-cepat",
            "Peran \"camat\" tidak dikenal",
        ),
        (
            &["--username", "op.b", "--role", "operator", "--scope", "63.11.02"],
            "kuda-lari-cepat",
            "memerlukan kode desa",
        ),
        (
            &["--username", "kec.b", "--role", "kecamatan", "--scope", "63.11.02.2001"],
            "kuda-lari-cepat",
            "memerlukan kode kecamatan",
        ),
        (
            &["--username", "op.c", "--role", "operator", "--scope", "63.11.03.2001"],
            "kuda-lari-cepat",
            "tidak ada di instansi ini",
        ),
        (
            &["--username", "op.d", "--role", "operator", "--scope", "63.11.02.2002"],
            "pendek",
            "minimal 10 karakter (sekarang 6)",
        ),
        (
            &[
                "--username",
                "operator.a",
                "--role",
                "operator",
                "--scope",
                "63.11.02.2002",
            ],
            "kuda-lari-cepat",
            "sudah dipakai",
        ),
    ];
    for (args, sandi, pesan) in kasus {
        let o = i.user_add(args, sandi);
        assert!(!o.status.success(), "{args:?} accepted");
        assert!(stderr(&o).contains(pesan), "{args:?}: {}", stderr(&o));
    }
    let o = i.user_add(
        &["--username", "adm", "--role", "admin", "--scope", "63.11.02"],
        "kuda-lari-cepat",
    );
    assert!(stderr(&o).contains("kosongkan cakupan"), "{}", stderr(&o));
    // Without --password-stdin the command refuses (passwords never go on the command line).
    let o = i.jalankan(&["user", "add", "--username", "tanpa.sandi", "--role", "admin"]);
    assert!(!o.status.success());

    let db = i.db().await;
    let n: i64 =
        sipkatdes::read!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM pengguna").fetch_one(c).await.unwrap());
    assert_eq!(n, 1, "only the valid user exists");
    let hash: String =
        sipkatdes::read!(db, c => sqlx::query_scalar("SELECT password_hash FROM pengguna").fetch_one(c).await.unwrap());
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
}

pub fn port_bebas() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn serve_menjawab_healthz_dan_menolak_instansi_kosong() {
    let i = Instansi::baru().await;
    // Not set up yet: a clear message, exit status ≠ 0.
    let o = i.jalankan(&["serve", "--listen", "127.0.0.1:0"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("sipkatdes init"), "{}", stderr(&o));

    assert!(i.jalankan(&["init", "--kecamatan", "63.11.02"]).status.success());
    let port = port_bebas();
    let mut child = i
        .cmd(&["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ok = tunggu_siap(port).await;
    child.kill().unwrap();
    let _ = child.wait();
    assert!(ok, "healthz did not answer 200");
}

/// Waits (up to 20 s) until a server on `port` answers /healthz with 200.
pub async fn tunggu_siap(port: u16) -> bool {
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            return r.status() == 200;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn impor_dari_baris_perintah() {
    let i = Instansi::baru().await;
    assert!(i.jalankan(&["init", "--kecamatan", "63.11.02"]).status.success());
    let berkas = i.dir.path().join("perangkat.csv");
    std::fs::write(
        &berkas,
        "Nama Lengkap;NIK;L/P;Tempat/Tgl Lahir;Agama;Pendidikan;Jabatan;No SK;Tgl SK;TMT\n\
         Ahmad Fauzi;6311021403850001;L;Paringin, 14-03-1985;Islam;SMA;Kaur Keuangan;141/05/HAUWAI/2020;02-01-2020;02-01-2020\n\
         Tanpa NIK;;L;Paringin, 14-03-1985;Islam;SMA;Staf;141/06/HAUWAI/2020;02-01-2020;02-01-2020\n",
    )
    .unwrap();
    let b = berkas.to_str().unwrap();
    let o = i.jalankan(&["import", b, "--desa", "63.11.02.2001", "--dry-run"]);
    let keluar = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{keluar}{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        keluar.contains("baris    2  SIAP")
            && keluar.contains("baris    3  SALAH")
            && keluar.contains("NIK wajib diisi"),
        "{keluar}"
    );
    assert!(keluar.contains("tidak ada yang disimpan"));
    let db = Db::buka(i.url.as_deref(), &i.data_dir()).await.unwrap();
    let n = |db: &Db| {
        let db = db.clone();
        async move {
            let n: i64 = sipkatdes::read!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM perangkat").fetch_one(c).await.unwrap());
            n
        }
    };
    assert_eq!(n(&db).await, 0);
    let o = i.jalankan(&["import", b, "--desa", "63.11.02.2001"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 perangkat diimpor sebagai draf"));
    assert_eq!(n(&db).await, 1);
    // An unknown desa or a missing file: a message, exit status ≠ 0.
    let o = i.jalankan(&["import", b, "--desa", "63.11.02.2999"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("tidak ada"));
    let o = i.jalankan(&["import", "/tidak/ada.csv", "--desa", "63.11.02.2001"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("tidak dapat dibaca"));
    db.close().await;
}

/// Row counts of every backed-up table.
async fn jumlah_tabel(db: &Db) -> Vec<(String, i64)> {
    let mut v = Vec::new();
    for t in sipkatdes::cadangan::TABEL {
        let sql = format!("SELECT COUNT(*) FROM {t}");
        let n: i64 =
            sipkatdes::read!(db, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(c).await.unwrap());
        v.push((t.to_string(), n));
    }
    v
}

#[tokio::test]
async fn cadangan_dan_pemulihan_memeriksa_setiap_sidik_jari() {
    use sipkatdes::akun::{Akun, Peran};
    let i = Instansi::baru().await;
    assert!(i.jalankan(&["init", "--kecamatan", "63.11.02"]).status.success());
    let desa = "63.11.02.2001";
    // A saved official with an SK scan and an accepted report (three stored files).
    {
        let db = Db::buka(i.url.as_deref(), &i.data_dir()).await.unwrap();
        let simpanan = sipkatdes::dokumen::Penyimpanan::lokal(&i.data_dir()).unwrap();
        let admin = Akun::sistem("uji");
        let kades = Akun::dari_simpanan(
            sipkatdes::id::AkunId(0),
            "kades".into(),
            "Abdul Gani".into(),
            Peran::KepalaDesa.kode(),
            desa,
        )
        .unwrap();
        let hari = time::OffsetDateTime::now_utc().date();
        let saat = sipkatdes::perangkat::Saat {
            hari_ini: hari,
            sekarang: sipkatdes::waktu::unix_now(),
        };
        let v: sipkatdes::perangkat::data::Data = serde_json::from_value(crate::perangkat::contoh(
            "6311021403850001",
            "Ahmad Fauzi",
            "kaur_keuangan",
        ))
        .unwrap();
        let p = sipkatdes::perangkat::buat(&db, &admin, desa, &v, None, saat)
            .await
            .unwrap();
        let u = sipkatdes::dokumen::Unggahan {
            jenis: "sk_pengangkatan",
            nama_asli: "sk.pdf",
            isi: crate::perangkat::pdf_sk().into(),
        };
        sipkatdes::dokumen::unggah(&db, &simpanan, &admin, p.id, u, saat.sekarang)
            .await
            .unwrap();
        sipkatdes::perangkat::periksa(&db, &admin, p.id, true, "", None, saat)
            .await
            .unwrap();
        let l = sipkatdes::laporan::arsip::buat(&db, &simpanan, &admin, desa, hari.year(), Default::default(), saat)
            .await
            .unwrap();
        let t = sipkatdes::laporan::arsip::Tanggapan {
            diterima: true,
            catatan: "",
            alamat_dasar: "http://127.0.0.1:8080",
            zona: sipkatdes::waktu::ZonaWaktu::Wita,
        };
        sipkatdes::laporan::arsip::tanggapi(&db, &simpanan, &kades, l.id, t, saat.sekarang)
            .await
            .unwrap();
        db.close().await;
    }
    let zip = i.dir.path().join("cadangan.zip");
    let z = zip.to_str().unwrap();
    let o = i.jalankan(&["backup", z]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("3 berkas dokumen"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // A backup never overwrites a file.
    let o = i.jalankan(&["backup", z]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("sudah ada"));

    // Restore into an empty instance: the same rows, the same files.
    let j = Instansi::baru().await;
    let o = j.jalankan(&["restore", z]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let asal = Db::buka(i.url.as_deref(), &i.data_dir()).await.unwrap();
    let pulih = Db::buka(j.url.as_deref(), &j.data_dir()).await.unwrap();
    assert_eq!(jumlah_tabel(&asal).await, jumlah_tabel(&pulih).await);
    let sha: Vec<String> = sipkatdes::read!(pulih, c => {
        sqlx::query_scalar("SELECT sha256 FROM dokumen UNION SELECT sha256 FROM laporan UNION SELECT sha256_diterima FROM laporan")
            .fetch_all(c)
            .await
            .unwrap()
    });
    let simpanan = sipkatdes::dokumen::Penyimpanan::lokal(&j.data_dir()).unwrap();
    for s in &sha {
        let b = simpanan.baca(s).await.unwrap();
        use sha2::Digest;
        assert_eq!(&crate::helpers::hex_lower(&sha2::Sha256::digest(&b)), s);
    }
    // New rows continue after the restored ids.
    let baru: i64 = {
        let mut tx = pulih.begin().await.unwrap();
        let id = sipkatdes::tx!(&mut tx, c => {
            sqlx::query_scalar("INSERT INTO riwayat (perangkat_id, waktu, username, aksi) SELECT id, 0, 'uji', 'uji' FROM perangkat LIMIT 1 RETURNING id")
                .fetch_one(c)
                .await
                .unwrap()
        });
        tx.commit().await.unwrap();
        id
    };
    assert!(baru > 1, "{baru}");
    // Restoring over an instance is refused, changing nothing.
    let sebelum = jumlah_tabel(&pulih).await;
    let o = j.jalankan(&["restore", z]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("sudah berisi instansi"));
    assert_eq!(jumlah_tabel(&pulih).await, sebelum);

    // A damaged backup (one table changed) is refused before anything is written.
    let rusak = i.dir.path().join("rusak.zip");
    {
        let mut a = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
        let mut w = zip::ZipWriter::new(std::fs::File::create(&rusak).unwrap());
        for n in 0..a.len() {
            let mut e = a.by_index(n).unwrap();
            let nama = e.name().unwrap().to_string();
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut b).unwrap();
            if nama == "db/perangkat.json" {
                b = String::from_utf8(b)
                    .unwrap()
                    .replace("Ahmad Fauzi", "Ahmad Palsu")
                    .into_bytes();
            }
            w.start_file(nama, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(&b).unwrap();
        }
        w.finish().unwrap();
    }
    let k = Instansi::baru().await;
    let o = k.jalankan(&["restore", rusak.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("tidak cocok"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let kosong = Db::connect(k.url.as_deref(), &k.data_dir()).await.unwrap();
    assert!(
        jumlah_tabel(&kosong).await.iter().all(|(_, n)| *n == 0),
        "nothing restored from a damaged backup"
    );
    for db in [asal, pulih, kosong] {
        db.close().await;
    }
}

/// Moving up (issue 7): a kecamatan's SQLite instance copied into PostgreSQL (in the SQLite run
/// of the suite, into another SQLite file), verified table by table with content hashes; the
/// copy serves the same people, and its audit chain still verifies. A SQLite backup restores
/// into the other kind of database as well.
#[tokio::test]
async fn salin_sqlite_ke_postgresql_dengan_sidik_isi_yang_sama() {
    use sipkatdes::cadangan::{baca_semua, sidik_tabel};
    let app = crate::helpers::spawn_app_di(None, &[crate::helpers::HALONG], |_| {}).await;
    assert_eq!(app.db.backend(), "sqlite");
    app.pengguna("op.a", "operator", crate::helpers::DESA_A).await;
    let api = crate::perangkat::Api::baru(&app, "op.a").await;
    for (i, jab) in ["kaur_keuangan", "kaur_tu_umum", "kasi_pelayanan"].iter().enumerate() {
        let nik = format!("63110214038500{:02}", i + 1);
        let id = api
            .buat(
                crate::helpers::DESA_A,
                &crate::perangkat::contoh(&nik, &format!("Orang Ke {i}"), jab),
            )
            .await;
        if i < 2 {
            api.simpan(id).await;
        }
    }
    let r = api
        .post(
            &format!("/api/v1/desa/{}/laporan", crate::helpers::DESA_A),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let data_dir = app.data_dir().to_path_buf();
    let sasaran_dir = tempfile::tempdir().unwrap();
    let tujuan = match database_url_baru().await {
        Some(u) => u,
        None => format!("sqlite://{}?mode=rwc", sasaran_dir.path().join("salinan.db").display()),
    };
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_sipkatdes"))
            .arg("--data-dir")
            .arg(&data_dir)
            .args(args)
            .env_remove("SIPKATDES_DATABASE_URL")
            .env_remove("SIPKATDES_DATA_DIR")
            .output()
            .unwrap()
    };
    let o = cli(&["copy-to", &tujuan]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("perangkat_tersimpan") && stdout(&o).contains("cocok"),
        "{}",
        stdout(&o)
    );
    // Checked again here, independently of the command.
    let tujuan_db = Db::buka(Some(&tujuan), &data_dir).await.unwrap();
    let asal = sidik_tabel(&baca_semua(&app.db).await.unwrap().1);
    let salinan = sidik_tabel(&baca_semua(&tujuan_db).await.unwrap().1);
    assert_eq!(asal, salinan);
    assert_eq!(asal["perangkat"].0, 3);
    assert!(asal["audit"].0 > 5);
    // Its audit chain verifies, and it serves: the operator logs in with the same password.
    let o = cli(&["--database-url", &tujuan, "audit", "verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let salinan_app = sipkatdes::app::Application::build(
        tujuan_db.clone(),
        sipkatdes::app::Config::new(data_dir.clone()),
        sipkatdes::waktu::Clock::default(),
        "127.0.0.1:0",
    )
    .await
    .unwrap();
    let alamat = format!("http://{}", salinan_app.local_addr());
    tokio::spawn(salinan_app.run(std::future::pending()));
    let token = crate::helpers::minta_token(&alamat, "op.a", crate::helpers::SANDI).await;
    let r = reqwest::Client::new()
        .get(format!("{alamat}/api/v1/desa/{}/perangkat", crate::helpers::DESA_A))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc = reqwest::Client::new()
        .get(format!("{alamat}/api/v1/dokumen/1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(doc.status(), 200);
    // Copying into an instance that is no longer empty is refused, and changes nothing.
    let sebelum = sidik_tabel(&baca_semua(&tujuan_db).await.unwrap().1);
    let o = cli(&["copy-to", &tujuan]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("sudah berisi instansi"), "{}", stderr(&o));
    let sesudah = sidik_tabel(&baca_semua(&tujuan_db).await.unwrap().1);
    assert_eq!(sebelum["perangkat"], sesudah["perangkat"]);
    // A backup of the SQLite instance restores into the other kind of database, identically.
    let cadangan = sasaran_dir.path().join("halong.zip");
    let o = cli(&["backup", cadangan.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir2 = tempfile::tempdir().unwrap();
    let tujuan2 = match database_url_baru().await {
        Some(u) => u,
        None => format!("sqlite://{}?mode=rwc", dir2.path().join("pulih.db").display()),
    };
    let o = Command::new(env!("CARGO_BIN_EXE_sipkatdes"))
        .arg("--data-dir")
        .arg(dir2.path())
        .args(["--database-url", &tujuan2, "restore", cadangan.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let db2 = Db::buka(Some(&tujuan2), dir2.path()).await.unwrap();
    let pulih = sidik_tabel(&baca_semua(&db2).await.unwrap().1);
    for t in [
        "perangkat",
        "perangkat_tersimpan",
        "dokumen",
        "laporan",
        "audit",
        "pengguna",
        "riwayat",
    ] {
        assert_eq!(asal[t], pulih[t], "{t}");
    }
}

/// Runs the binary with `args` only (no data directory), outside a terminal.
fn sipkatdes(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sipkatdes"))
        .args(args)
        .env_remove("SIPKATDES_DATA_DIR")
        .env_remove("SIPKATDES_DATABASE_URL")
        .env_remove("SIPKATDES_LISTEN")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// clap's own English, which no output of the command line may carry (issue 14, point 18).
const INGGRIS: [&str; 13] = [
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print help",
    "Print version",
    "[default",
    "[env",
    "[OPTIONS]",
    "error:",
    "tip:",
    "For more information",
    "\u{1b}[",
];

fn tanpa_inggris(teks: &str, konteks: &str) {
    for k in INGGRIS {
        assert!(!teks.contains(k), "{konteks}: {k:?} in\n{teks}");
    }
}

#[test]
fn bantuan_setiap_perintah_berbahasa_indonesia() {
    let perintah: [&[&str]; 13] = [
        &[],
        &["init"],
        &["serve"],
        &["demo"],
        &["import"],
        &["backup"],
        &["restore"],
        &["copy-to"],
        &["audit"],
        &["audit", "verify"],
        &["generate"],
        &["user"],
        &["user", "add"],
    ];
    for p in perintah {
        for bantuan in ["--help", "-h"] {
            let mut args = p.to_vec();
            args.push(bantuan);
            let o = sipkatdes(&args);
            let teks = stdout(&o);
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
            assert!(teks.contains("Pemakaian: sipkatdes"), "{args:?}:\n{teks}");
            assert!(teks.contains("Opsi umum:"), "{args:?}:\n{teks}");
            assert!(teks.contains("Menampilkan bantuan ini"), "{args:?}:\n{teks}");
            tanpa_inggris(&teks, &format!("{args:?}"));
            // Every option and argument has its description, on its line or (the long help)
            // on the next one.
            let baris: Vec<&str> = teks.lines().collect();
            for (i, b) in baris.iter().enumerate() {
                let t = b.trim_start();
                if b.starts_with("  ") && (t.starts_with('-') || t.starts_with('<')) {
                    let sebaris = t.split("  ").filter(|s| !s.trim().is_empty()).count() >= 2;
                    let berikut = baris
                        .get(i + 1)
                        .is_some_and(|n| n.starts_with("          ") && !n.trim().is_empty());
                    assert!(sebaris || berikut, "{args:?}: no description for {b:?}");
                }
            }
        }
    }
    let atas = stdout(&sipkatdes(&["--help"]));
    for c in [
        "init", "serve", "demo", "import", "backup", "restore", "copy-to", "audit", "generate", "user",
    ] {
        let baris = atas
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{c} ")))
            .unwrap_or_else(|| panic!("{c} not listed:\n{atas}"));
        assert!(
            baris.split_whitespace().count() > 2,
            "{c} without a description: {baris}"
        );
    }
    assert!(atas.contains("Perintah:"), "{atas}");
    // The demo's data directory is not said to be ./data (it makes a temporary one).
    let demo = stdout(&sipkatdes(&["demo", "--help"]));
    assert!(demo.contains("direktori sementara"), "{demo}");
    assert!(
        demo.contains("--listen <ALAMAT>") && demo.contains("bawaan: 127.0.0.1:8080"),
        "{demo}"
    );
    let versi = sipkatdes(&["--version"]);
    assert!(versi.status.success());
    assert!(
        stdout(&versi).starts_with(&format!("SIPKATDES versi {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        stdout(&versi)
    );
}

#[test]
fn galat_baris_perintah_berbahasa_indonesia() {
    let kasus: [(&[&str], &str); 8] = [
        (&["serve", "--salah"], "galat: opsi '--salah' tidak dikenal"),
        (&["frobnikasi"], "galat: perintah 'frobnikasi' tidak dikenal"),
        (&["serv"], "'serve'"),
        (
            &["serve", "--upload-limit-mb", "500"],
            "galat: nilai '500' tidak sah untuk --upload-limit-mb <MIB>: harus bilangan dari 1 sampai 200",
        ),
        (
            &["serve", "--public-rate", "banyak"],
            "nilai 'banyak' tidak sah untuk --public-rate <N>: harus bilangan bulat",
        ),
        (&["init"], "galat: belum diberikan, padahal wajib: --kecamatan <KODE>"),
        (&["serve", "--listen"], "--listen <ALAMAT> memerlukan nilai"),
        (
            &["user", "add", "--username", "a", "--role", "operator"],
            "--password-stdin",
        ),
    ];
    for (args, harap) in kasus {
        let o = sipkatdes(args);
        let galat = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {galat}");
        assert!(galat.contains(harap), "{args:?}: expected {harap:?} in\n{galat}");
        assert!(galat.contains("Bantuan: sipkatdes --help"), "{args:?}:\n{galat}");
        tanpa_inggris(&galat, &format!("{args:?}"));
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
    }
    // No command at all: the help, on standard error, status 2.
    let o = sipkatdes(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Perintah:"), "{}", stderr(&o));
    tanpa_inggris(&stderr(&o), "no command");
}

/// The demo without --data-dir makes its directory under the temporary directory, says so,
/// prints no colour codes into a pipe, and removes the directory when it is stopped.
#[tokio::test]
async fn demo_menghapus_direktori_sementaranya_saat_berhenti() {
    let tmp = tempfile::tempdir().unwrap();
    let port = port_bebas();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sipkatdes"))
        .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
        .env_remove("SIPKATDES_DATA_DIR")
        .env_remove("SIPKATDES_DATABASE_URL")
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut siap = false;
    for _ in 0..1200 {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            siap = r.status() == 200;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let dibuat: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("sipkatdes-demo-"))
        .collect();
    // SIGTERM, as a service manager (or Ctrl-C) stops it.
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let mulai = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() && mulai.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().ok();
    }
    let o = child.wait_with_output().unwrap();
    let keluar = stdout(&o);
    assert!(siap, "the demo did not answer /healthz:\n{keluar}\n{}", stderr(&o));
    assert_eq!(dibuat.len(), 1, "one temporary directory while it ran");
    assert!(o.status.success(), "{keluar}\n{}", stderr(&o));
    assert!(keluar.contains("dihapus saat demo berhenti"), "{keluar}");
    assert!(
        keluar.contains("Direktori demo sementara") && keluar.contains("dihapus."),
        "{keluar}"
    );
    assert!(
        !keluar.contains('\u{1b}') && !stderr(&o).contains('\u{1b}'),
        "colour codes in a pipe"
    );
    let sisa: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().filter_map(|e| e.ok()).collect();
    assert!(
        sisa.is_empty(),
        "left behind: {:?}",
        sisa.iter().map(|e| e.path()).collect::<Vec<_>>()
    );
}
