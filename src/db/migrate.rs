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

/// Every `migrations/{sqlite,postgres}/NNNN_nama.sql`, in order (listed by `build.rs`).
const MIGRATIONS: &[Migration] = include!(concat!(env!("OUT_DIR"), "/migrasi.rs"));

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
            // Ended explicitly: a dropped transaction would keep both locks until the
            // connection is next used (issue 15, point 12).
            tx.rollback().await?;
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

#[cfg(test)]
mod tests {
    #[test]
    fn migrasi_berurutan() {
        // The bookkeeping rows of the landed migrations stay what they were.
        let lama = [
            (1, "dasar"),
            (2, "perangkat"),
            (3, "laporan"),
            (4, "kecamatan"),
            (5, "impor"),
            (6, "audit_rantai"),
            (7, "kinerja"),
        ];
        let kini: Vec<(i64, &str)> = super::MIGRATIONS.iter().map(|m| (m.versi, m.nama)).collect();
        assert_eq!(kini[..lama.len()], lama);
        for m in super::MIGRATIONS {
            assert!(
                !m.sqlite.trim().is_empty() && !m.postgres.trim().is_empty(),
                "{}",
                m.nama
            );
        }
    }
}
