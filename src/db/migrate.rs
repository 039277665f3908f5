//! A small migrator: each backend has its own folder of numbered SQL files, embedded in the
//! binary. Each migration runs in its own transaction together with its bookkeeping row.

use anyhow::Context;

use super::{Db, Pool, Tx};

struct Migration {
    versi: i64,
    nama: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        versi: 1,
        nama: "dasar",
        sqlite: include_str!("../../migrations/sqlite/0001_dasar.sql"),
        postgres: include_str!("../../migrations/postgres/0001_dasar.sql"),
    },
    Migration {
        versi: 2,
        nama: "perangkat",
        sqlite: include_str!("../../migrations/sqlite/0002_perangkat.sql"),
        postgres: include_str!("../../migrations/postgres/0002_perangkat.sql"),
    },
    Migration {
        versi: 3,
        nama: "laporan",
        sqlite: include_str!("../../migrations/sqlite/0003_laporan.sql"),
        postgres: include_str!("../../migrations/postgres/0003_laporan.sql"),
    },
    Migration {
        versi: 4,
        nama: "kecamatan",
        sqlite: include_str!("../../migrations/sqlite/0004_kecamatan.sql"),
        postgres: include_str!("../../migrations/postgres/0004_kecamatan.sql"),
    },
    Migration {
        versi: 5,
        nama: "impor",
        sqlite: include_str!("../../migrations/sqlite/0005_impor.sql"),
        postgres: include_str!("../../migrations/postgres/0005_impor.sql"),
    },
    Migration {
        versi: 6,
        nama: "audit_rantai",
        sqlite: include_str!("../../migrations/sqlite/0006_audit_rantai.sql"),
        postgres: include_str!("../../migrations/postgres/0006_audit_rantai.sql"),
    },
    Migration {
        versi: 7,
        nama: "kinerja",
        sqlite: include_str!("../../migrations/sqlite/0007_kinerja.sql"),
        postgres: include_str!("../../migrations/postgres/0007_kinerja.sql"),
    },
];

pub async fn run(db: &Db) -> anyhow::Result<()> {
    let create = "CREATE TABLE IF NOT EXISTS skema_versi (
        versi BIGINT PRIMARY KEY, nama TEXT NOT NULL, diterapkan_pada BIGINT NOT NULL)";
    match &db.write {
        Pool::Sqlite(p) => sqlx::query(create).execute(p).await.map(|_| ())?,
        Pool::Postgres(p) => sqlx::query(create).execute(p).await.map(|_| ())?,
    }
    for m in MIGRATIONS {
        let mut tx = db.begin().await?;
        if let Tx::Postgres(t) = &mut tx {
            // Two servers starting at once must not apply the same migration twice.
            sqlx::query("SELECT pg_advisory_xact_lock(7263101)")
                .execute(&mut **t)
                .await?;
        }
        let applied: Option<i64> = crate::tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT versi FROM skema_versi WHERE versi = $1")
                .bind(m.versi)
                .fetch_optional(c)
                .await?
        });
        if applied.is_some() {
            continue;
        }
        let sql = match &tx {
            Tx::Sqlite(_) => m.sqlite,
            Tx::Postgres(_) => m.postgres,
        };
        crate::tx!(&mut tx, c => {
            sqlx::raw_sql(sql)
                .execute(&mut *c)
                .await
                .with_context(|| format!("migration {} ({}) failed", m.versi, m.nama))?;
            sqlx::query("INSERT INTO skema_versi (versi, nama, diterapkan_pada) VALUES ($1, $2, $3)")
                .bind(m.versi)
                .bind(m.nama)
                .bind(crate::waktu::unix_now())
                .execute(c)
                .await?;
        });
        tx.commit().await?;
        tracing::info!(versi = m.versi, nama = m.nama, "migration applied");
    }
    Ok(())
}
