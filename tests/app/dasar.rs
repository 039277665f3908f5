//! The database foundation and the demo set-up.

use sipkatdes::db::{Db, Pool};

use crate::helpers::database_url_baru;

#[tokio::test]
async fn sqlite_dibuka_dengan_wal_full_fk_dan_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(None, dir.path()).await.unwrap();
    for pool in [&db.read, &db.write] {
        let Pool::Sqlite(p) = pool else {
            panic!("SQLite expected")
        };
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(p).await.unwrap();
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(p).await.unwrap();
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(p).await.unwrap();
        let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(p).await.unwrap();
        assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
        assert!(busy >= 5000, "{busy}");
    }
    // The check refuses a connection without these settings.
    let bare = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
    assert!(sipkatdes::db::check_sqlite_settings(&bare).await.is_err());
    // Opening again applies no migration twice.
    db.close().await;
    let db = Db::connect(None, dir.path()).await.unwrap();
    let n: i64 =
        sipkatdes::read!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM skema_versi").fetch_one(c).await.unwrap());
    let ada = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(n as usize, ada, "every migration applied exactly once");
}

#[tokio::test]
async fn demo_menyiapkan_halong_dengan_akun_setiap_peran() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url_baru().await;
    let db = Db::connect(url.as_deref(), dir.path()).await.unwrap();
    let simpanan = sipkatdes::dokumen::Penyimpanan::lokal(dir.path()).unwrap();
    let akun = sipkatdes::demo::siapkan(&db, &simpanan, "http://127.0.0.1:8080")
        .await
        .unwrap();
    assert_eq!(akun.len(), 3 + 24 * 2);
    let per_peran = |p: &str| akun.iter().filter(|a| a.1 == p).count();
    assert_eq!(per_peran("Operator Desa"), 24);
    assert_eq!(per_peran("Kepala Desa"), 24);
    assert_eq!(per_peran("Kecamatan"), 1);
    assert_eq!(per_peran("Admin Sistem"), 1);
    let desa_tanpa_dusun: i64 = sipkatdes::read!(db, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM desa d WHERE NOT EXISTS (SELECT 1 FROM dusun u WHERE u.desa_kode = d.kode)")
            .fetch_one(c)
            .await
            .unwrap()
    });
    assert_eq!(desa_tanpa_dusun, 0);
    let operator_hauwai: String = sipkatdes::read!(db, c => {
        sqlx::query_scalar("SELECT cakupan FROM pengguna WHERE username = 'operator.hauwai'").fetch_one(c).await.unwrap()
    });
    assert_eq!(operator_hauwai, "63.11.02.2001");
    // Every desa has 8–15 officials, each with an SK document; most checked and saved.
    let per_desa: Vec<i64> = sipkatdes::read!(db, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM perangkat GROUP BY desa_kode").fetch_all(c).await.unwrap()
    });
    assert_eq!(per_desa.len(), 24);
    assert!(per_desa.iter().all(|n| (8..=15).contains(n)), "{per_desa:?}");
    let tanpa_sk: i64 = sipkatdes::read!(db, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM perangkat p WHERE NOT EXISTS (SELECT 1 FROM dokumen k WHERE k.perangkat_id = p.id)")
            .fetch_one(c)
            .await
            .unwrap()
    });
    assert_eq!(tanpa_sk, 0);
    let tersimpan: i64 = sipkatdes::read!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM perangkat_tersimpan").fetch_one(c).await.unwrap());
    let semua: i64 = per_desa.iter().sum();
    assert!(
        tersimpan > semua * 8 / 10 && tersimpan < semua,
        "{tersimpan} of {semua}"
    );
    // A few warnings and a few vacancies, as promised.
    let admin = sipkatdes::akun::Akun::sistem("uji");
    let mut kosong = 0;
    for d in sipkatdes::desa::daftar(&db, &admin, "").await.unwrap() {
        let dusun = sipkatdes::desa::dusun(&db, &d.kode).await.unwrap();
        kosong += sipkatdes::perangkat::lowongan(&db, &d, &dusun).await.unwrap().len();
    }
    assert!(kosong >= 5, "{kosong} vacancies");
    let s = sipkatdes::perangkat::Saring {
        per_halaman: Some(500),
        ..Default::default()
    };
    let (rows, _) = sipkatdes::perangkat::daftar(&db, &admin, None, &s).await.unwrap();
    let hari = time::OffsetDateTime::now_utc().date();
    let peringatan = rows.iter().filter(|b| !b.data.peringatan(hari).is_empty()).count();
    assert!(peringatan >= 3, "{peringatan} officials with warnings");
    // Some former officials, dismissed with an SK of their own.
    let mantan: i64 = sipkatdes::read!(db, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM perangkat_tersimpan WHERE tanggal_sk_pemberhentian <> ''").fetch_one(c).await.unwrap()
    });
    assert_eq!(mantan, 6);
    // Printed reports: Hauwai's Pembakal has one waiting and one accepted; others accepted or
    // rejected with a note.
    let status = |s: &'static str| {
        let db = db.clone();
        async move {
            let n: i64 = sipkatdes::read!(db, c => {
                sqlx::query_scalar("SELECT COUNT(*) FROM laporan WHERE status = $1").bind(s).fetch_one(c).await.unwrap()
            });
            n
        }
    };
    assert_eq!(status("menunggu").await, 1);
    assert!(status("diterima").await >= 3);
    assert!(status("ditolak").await >= 1);
    let hauwai: i64 = sipkatdes::read!(db, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM laporan WHERE desa_kode = '63.11.02.2001'").fetch_one(c).await.unwrap()
    });
    assert_eq!(hauwai, 2);
    // Accounts carry people's names (issue 14, point 12): the Kepala Desa's is the register's
    // Kepala Desa, and that is the name on the receipt of an accepted report.
    let nama_akun: Vec<(String, String)> = sipkatdes::read!(db, c => {
        sqlx::query_as("SELECT username, nama_lengkap FROM pengguna ORDER BY username").fetch_all(c).await.unwrap()
    });
    for (u, n) in &nama_akun {
        assert!(
            !n.contains("demo") && !n.contains("Desa ") && !n.is_empty(),
            "{u}: {n:?}"
        );
    }
    let kades_hauwai: String = sipkatdes::read!(db, c => {
        sqlx::query_scalar("SELECT nama_lengkap FROM pengguna WHERE username = 'kades.hauwai'").fetch_one(c).await.unwrap()
    });
    let (gd, nama, gb): (String, String, String) = sipkatdes::read!(db, c => {
        sqlx::query_as("SELECT gelar_depan, nama, gelar_belakang FROM perangkat_tersimpan WHERE desa_kode = '63.11.02.2001' AND jabatan = 'kepala_desa'")
            .fetch_one(c)
            .await
            .unwrap()
    });
    assert!(kades_hauwai.contains(&nama), "{kades_hauwai} / {gd} {nama} {gb}");
    // The name the receipt prints ("oleh Pembakal Hauwai, <name>, pada …").
    let penerima: String = sipkatdes::read!(db, c => {
        sqlx::query_scalar("SELECT ditanggapi_nama FROM laporan WHERE desa_kode = '63.11.02.2001' AND status = 'diterima'")
            .fetch_one(c)
            .await
            .unwrap()
    });
    assert_eq!(penerima, kades_hauwai);
}
