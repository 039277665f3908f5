//! The audit log is append-only and tamper-evident: every entry chained to the one before it by
//! SHA-256; `sipkatdes audit verify` names the first broken link. Failed logins are logged.

use sipkatdes::audit::{HasilPeriksa, periksa};
use sipkatdes::db::{Db, Pool};

use crate::helpers::*;
use crate::perangkat::{Api, contoh};

/// Lets the test play the attacker who has the database file: the triggers that refuse UPDATE
/// and DELETE are switched off, and one statement is run.
async fn rusak(db: &Db, sql: &str) {
    match &db.write {
        Pool::Sqlite(p) => {
            sqlx::query("DROP TRIGGER IF EXISTS audit_tanpa_ubah")
                .execute(p)
                .await
                .unwrap();
            sqlx::query("DROP TRIGGER IF EXISTS audit_tanpa_hapus")
                .execute(p)
                .await
                .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(p)
                .await
                .unwrap();
        }
        Pool::Postgres(p) => {
            sqlx::query("ALTER TABLE audit DISABLE TRIGGER USER")
                .execute(p)
                .await
                .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(p)
                .await
                .unwrap();
        }
    }
}

async fn isi_log(app: &TestApp) -> i64 {
    app.pengguna("op.a", "operator", DESA_A).await;
    let (_, r) = app.masuk("op.a", "salah-sandi-sekali").await;
    assert_eq!(r.status(), 401);
    let api = Api::baru(app, "op.a").await;
    let id = api
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    api.simpan(id).await;
    app.jumlah("SELECT COUNT(*) FROM audit").await
}

#[tokio::test]
async fn rantai_utuh_setelah_kegiatan_biasa() {
    let app = spawn_app().await;
    let n = isi_log(&app).await;
    assert!(n >= 6, "{n} entries");
    match periksa(&app.db).await.unwrap() {
        HasilPeriksa::Utuh {
            jumlah,
            sebelum_rantai,
            id_akhir,
            hash_akhir,
        } => {
            assert_eq!(jumlah as i64, n);
            assert_eq!(sebelum_rantai, 0);
            assert_eq!(id_akhir, Some(n));
            assert_eq!(hash_akhir.len(), 64);
        }
        h => panic!("{h:?}"),
    }
    // Every entry has a hash and ids have no gaps.
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM audit WHERE hash = ''").await, 0);
    assert_eq!(app.jumlah("SELECT MAX(id) - MIN(id) + 1 FROM audit").await, n);
}

#[tokio::test]
async fn gagal_masuk_tercatat_tanpa_kata_sandi() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let (_, r) = app.masuk("op.a", "rahasia-yang-salah-77").await;
    assert_eq!(r.status(), 401);
    let (_, r) = app.masuk("tidak.ada", "rahasia-yang-salah-78").await;
    assert_eq!(r.status(), 401);
    let baris: Vec<(String, String, String)> = sipkatdes::read!(app.db, c => {
        sqlx::query_as("SELECT aksi, username, rincian FROM audit WHERE aksi = 'masuk_gagal' ORDER BY id")
            .fetch_all(c)
            .await
            .unwrap()
    });
    assert_eq!(baris.len(), 2, "{baris:?}");
    for (_, _, rincian) in &baris {
        assert!(!rincian.contains("rahasia-yang-salah"), "{rincian}");
    }
}

#[tokio::test]
async fn entri_yang_diubah_memutus_rantai_di_entri_itu() {
    let app = spawn_app().await;
    isi_log(&app).await;
    rusak(
        &app.db,
        "UPDATE audit SET rincian = '{\"dipalsukan\":true}' WHERE id = 3",
    )
    .await;
    match periksa(&app.db).await.unwrap() {
        HasilPeriksa::Putus { id, alasan, .. } => {
            assert_eq!(id, 3);
            assert!(alasan.contains("hash tidak cocok"), "{alasan}");
        }
        h => panic!("tamper not found: {h:?}"),
    }
}

#[tokio::test]
async fn entri_yang_dihapus_memutus_rantai_di_entri_berikutnya() {
    let app = spawn_app().await;
    isi_log(&app).await;
    rusak(&app.db, "DELETE FROM audit WHERE id = 4").await;
    match periksa(&app.db).await.unwrap() {
        HasilPeriksa::Putus { id, alasan, .. } => {
            assert_eq!(id, 5);
            assert!(alasan.contains("hilang"), "{alasan}");
        }
        h => panic!("deletion not found: {h:?}"),
    }
}

#[tokio::test]
async fn entri_sisipan_dengan_hash_yang_dihitung_ulang_tetap_ketahuan() {
    // The attacker rewrites entry 2 and recomputes its own hash: the link to entry 3 breaks.
    let app = spawn_app().await;
    isi_log(&app).await;
    let (sebelum,): (String,) = sipkatdes::read!(app.db, c => {
        sqlx::query_as("SELECT hash FROM audit WHERE id = 1").fetch_one(c).await.unwrap()
    });
    let mut e: sipkatdes::audit::Entri = sipkatdes::read!(app.db, c => {
        sqlx::query_as("SELECT id, waktu, pengguna_id, username, aksi, objek, rincian, hash FROM audit WHERE id = 2")
            .fetch_one(c)
            .await
            .unwrap()
    });
    e.username = "orang.lain".into();
    let baru = sipkatdes::audit::hash_entri(&sebelum, &e);
    rusak(
        &app.db,
        &format!("UPDATE audit SET username = 'orang.lain', hash = '{baru}' WHERE id = 2"),
    )
    .await;
    match periksa(&app.db).await.unwrap() {
        HasilPeriksa::Putus { id, .. } => assert_eq!(id, 3),
        h => panic!("{h:?}"),
    }
}

#[tokio::test]
async fn audit_verify_dari_baris_perintah() {
    let app = spawn_app().await;
    isi_log(&app).await;
    let jalankan = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_sipkatdes"));
        c.arg("--data-dir").arg(app.data_dir());
        if let Some(u) = &app.db_url {
            c.arg("--database-url").arg(u);
        }
        c.args(["audit", "verify"])
            .env_remove("SIPKATDES_DATABASE_URL")
            .env_remove("SIPKATDES_DATA_DIR")
            .output()
            .unwrap()
    };
    let o = jalankan();
    let keluar = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{keluar} {}", String::from_utf8_lossy(&o.stderr));
    assert!(keluar.contains("Rantai audit utuh"), "{keluar}");
    rusak(&app.db, "UPDATE audit SET aksi = 'lain' WHERE id = 2").await;
    let o = jalankan();
    let galat = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(1), "{galat}");
    assert!(galat.contains("rantai audit putus pada entri #2"), "{galat}");
}

#[tokio::test]
async fn riwayat_hanya_bisa_ditambah() {
    let app = spawn_app().await;
    isi_log(&app).await;
    let n = app.jumlah("SELECT COUNT(*) FROM riwayat").await;
    assert!(n > 0);
    for sql in ["UPDATE riwayat SET catatan = 'dipalsukan'", "DELETE FROM riwayat"] {
        let r = sipkatdes::tx!(&mut app.db.begin().await.unwrap(), c => {
            sqlx::query(sql).execute(c).await.map(|r| r.rows_affected())
        });
        assert!(r.is_err(), "{sql} was allowed");
    }
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM riwayat").await, n);
}
