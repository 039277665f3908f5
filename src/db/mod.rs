//! One database handle over SQLite (embedded default) and PostgreSQL.
//!
//! Both backends run the same SQL text (`$1` placeholders work on both). Queries are written
//! once and compiled for each backend through the [`read!`](crate::read) and
//! [`tx!`](crate::tx) macros. On SQLite every write goes through a pool of one connection, so
//! writers queue inside the process instead of failing with "database is locked"; reads use a
//! separate pool and see the last committed state thanks to WAL.

mod migrate;
pub mod tembolok;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Database, PgPool, Postgres, Sqlite, SqlitePool};
use sqlx_core::transaction::TransactionManager;

/// Busy timeout for SQLite connections (a backup or a second process may hold the lock).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// PostgreSQL: the longest a statement waits for a lock (the writers' advisory lock included)
/// before it fails. A write transaction of SIPKATDES holds it for milliseconds; a wait this long
/// means something holds it that should not, and an error is better than a hang.
pub const PG_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// PostgreSQL: a session left idle inside a transaction this long is ended by the server,
/// which rolls the transaction back and frees its locks (a last line of defence: every
/// transaction of SIPKATDES is ended explicitly, see [`Transaksi`]).
pub const PG_IDLE_IN_TRANSACTION_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The application's database: a read pool and a write pool (the same pool on PostgreSQL).
#[derive(Clone, Debug)]
pub struct Db {
    pub read: Pool,
    pub write: Pool,
    /// Rarely changed values read from this database, with their version ([`tembolok`]).
    pub tembolok: tembolok::Tembolok,
}

/// One write transaction, on either backend.
///
/// End it with [`Tx::commit`], [`Tx::rollback`] or [`Tx::akhiri`]. One that is only dropped (an
/// early `return`, a `?`, a cancelled request) never stays open: see [`Transaksi`].
pub enum Tx {
    Sqlite(Transaksi<Sqlite>),
    Postgres(Transaksi<Postgres>),
}

/// A transaction on a connection of the pool, ended explicitly by `commit` or `rollback`.
///
/// sqlx's own `Transaction` only *queues* a rollback when it is dropped, and sends it when the
/// connection is next used or when a spawned task returns it to the pool; when that task cannot
/// run (a runtime blocked on a child process, a process that lives on), the connection stays
/// *idle in transaction* with its locks — issue 15, point 12: a second process waited forever
/// for the writers' lock. A `Transaksi` dropped while open instead detaches its connection from
/// the pool and closes it on the spot: the server ends the session and rolls back at once.
pub struct Transaksi<DB: Database> {
    conn: Option<PoolConnection<DB>>,
}

impl<DB: Database> Transaksi<DB> {
    pub async fn mulai(pool: &sqlx::Pool<DB>) -> Result<Self, sqlx::Error> {
        let mut conn = pool.acquire().await?;
        DB::TransactionManager::begin(&mut conn, None).await?;
        Ok(Transaksi { conn: Some(conn) })
    }

    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let mut conn = self.conn.take().expect("transaction already ended");
        match DB::TransactionManager::commit(&mut conn).await {
            Ok(()) => Ok(()),
            Err(e) => {
                // The state of the connection is unknown: do not return it to the pool.
                drop(conn.detach());
                Err(e)
            }
        }
    }

    pub async fn rollback(mut self) -> Result<(), sqlx::Error> {
        let mut conn = self.conn.take().expect("transaction already ended");
        match DB::TransactionManager::rollback(&mut conn).await {
            Ok(()) => Ok(()),
            Err(e) => {
                drop(conn.detach());
                Err(e)
            }
        }
    }
}

impl<DB: Database> Drop for Transaksi<DB> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Still open: close the connection now (no task, no await), which ends the
            // transaction at the server instead of leaving it idle with its locks.
            tracing::debug!("transaction dropped without commit or rollback; closing its connection");
            drop(conn.detach());
        }
    }
}

impl<DB: Database> std::ops::Deref for Transaksi<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        self.conn.as_ref().expect("transaction already ended")
    }
}

impl<DB: Database> std::ops::DerefMut for Transaksi<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        self.conn.as_mut().expect("transaction already ended")
    }
}

/// Run `$body` against the read pool, with `$c` bound to the backend's pool.
#[macro_export]
macro_rules! read {
    ($db:expr, $c:ident => $body:expr) => {
        match &$db.read {
            $crate::db::Pool::Sqlite($c) => $body,
            $crate::db::Pool::Postgres($c) => $body,
        }
    };
}

/// Run `$body` inside a transaction, with `$c` bound to the backend's connection.
#[macro_export]
macro_rules! tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

impl Db {
    /// Opens the database named by `url`, or the SQLite file `sipkatdes.db` in `data_dir`,
    /// creating it when needed (`sipkatdes init`). Applies pending migrations and checks the
    /// SQLite settings.
    pub async fn connect(url: Option<&str>, data_dir: &Path) -> anyhow::Result<Db> {
        let db = Self::open(url, data_dir, true).await?;
        migrate::run(&db).await?;
        Ok(db)
    }

    /// Opens an instance that `sipkatdes init` has set up; refuses — creating and changing
    /// nothing — when there is none.
    pub async fn buka(url: Option<&str>, data_dir: &Path) -> anyhow::Result<Db> {
        let belum = || {
            anyhow::anyhow!(
                "Instansi belum disiapkan di {}. Jalankan dahulu: sipkatdes init --kecamatan KODE (misalnya 63.11.02)",
                url.map(|_| "basis data ini".to_string())
                    .unwrap_or_else(|| data_dir.display().to_string())
            )
        };
        if url.is_none() && !data_dir.join("sipkatdes.db").exists() {
            return Err(belum());
        }
        let db = Self::open(url, data_dir, false).await?;
        let ada: i64 = crate::read!(db, c => {
            sqlx::query_scalar("SELECT COUNT(*) FROM skema_versi").fetch_one(c).await.unwrap_or(0)
        });
        if ada == 0 {
            db.close().await;
            return Err(belum());
        }
        migrate::run(&db).await?;
        Ok(db)
    }

    async fn open(url: Option<&str>, data_dir: &Path, buat: bool) -> anyhow::Result<Db> {
        let db = match url {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                Self::connect_postgres(u).await?
            }
            Some(u) if u.starts_with("sqlite:") => {
                let opts = SqliteConnectOptions::from_str(u)
                    .with_context(|| "alamat basis data SQLite tidak valid".to_string())?;
                Self::connect_sqlite(opts, buat).await?
            }
            Some(_) => bail!(
                "--database-url harus diawali sqlite:// atau postgres:// (contoh: postgres://localhost/sipkatdes)"
            ),
            None => {
                std::fs::create_dir_all(data_dir)
                    .with_context(|| format!("direktori data {} tidak dapat dibuat", data_dir.display()))?;
                let opts = SqliteConnectOptions::new().filename(data_dir.join("sipkatdes.db"));
                Self::connect_sqlite(opts, buat).await?
            }
        };
        Ok(db)
    }

    async fn connect_postgres(url: &str) -> anyhow::Result<Db> {
        let opts = PgConnectOptions::from_str(url)
            .with_context(|| "alamat basis data PostgreSQL tidak valid".to_string())?
            // Every list is scoped by a code prefix (`desa_kode LIKE $1`). A generic plan cannot
            // use an index for a pattern it does not know, and PostgreSQL switches a prepared
            // statement to its generic plan after five executions: measured at national scale,
            // a kecamatan's desa list went from 0.1 ms (index) to 15 ms (every desa read).
            .options([("plan_cache_mode", "force_custom_plan")])
            // Bounded waits: a lock held by a stuck session fails a statement after
            // `PG_LOCK_TIMEOUT` instead of hanging it, and a session idle inside a transaction
            // is ended by the server (issue 15, point 12).
            .options([
                ("lock_timeout", format!("{}ms", PG_LOCK_TIMEOUT.as_millis())),
                (
                    "idle_in_transaction_session_timeout",
                    format!("{}ms", PG_IDLE_IN_TRANSACTION_TIMEOUT.as_millis()),
                ),
            ]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .context("tidak dapat terhubung ke PostgreSQL")?;
        let pool = Pool::Postgres(pool);
        Ok(Db {
            read: pool.clone(),
            write: pool,
            tembolok: Default::default(),
        })
    }

    async fn connect_sqlite(opts: SqliteConnectOptions, buat: bool) -> anyhow::Result<Db> {
        let opts = opts
            .create_if_missing(buat)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(SQLITE_BUSY_TIMEOUT);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.clone())
            .await
            .context("basis data SQLite tidak dapat dibuka")?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.read_only(false))
            .await
            .context("basis data SQLite tidak dapat dibuka")?;
        for pool in [&write, &read] {
            check_sqlite_settings(pool).await?;
        }
        Ok(Db {
            read: Pool::Sqlite(read),
            write: Pool::Sqlite(write),
            tembolok: Default::default(),
        })
    }

    pub fn backend(&self) -> &'static str {
        match self.write {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// Starts a write transaction. Writers take turns, on both backends: SQLite has one writer
    /// connection, and on PostgreSQL every write transaction takes the same transaction lock
    /// first. That keeps the change feed and the audit chain in commit order and two writers
    /// from ever deadlocking; a write transaction of SIPKATDES lasts milliseconds.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match &self.write {
            Pool::Sqlite(p) => Tx::Sqlite(Transaksi::mulai(p).await?),
            Pool::Postgres(p) => {
                let mut t = Transaksi::mulai(p).await?;
                let kunci = sqlx::query("SELECT pg_advisory_xact_lock(7263102)")
                    .execute(&mut *t)
                    .await;
                if let Err(e) = kunci {
                    t.rollback().await.ok();
                    return Err(e);
                }
                Tx::Postgres(t)
            }
        })
    }

    /// True when both pools answer a trivial query.
    pub async fn is_healthy(&self) -> bool {
        async fn ping(p: &Pool) -> bool {
            match p {
                Pool::Sqlite(c) => sqlx::query("SELECT 1").execute(c).await.is_ok(),
                Pool::Postgres(c) => sqlx::query("SELECT 1").execute(c).await.is_ok(),
            }
        }
        ping(&self.read).await && ping(&self.write).await
    }

    pub async fn close(&self) {
        for p in [&self.read, &self.write] {
            match p {
                Pool::Sqlite(c) => c.close().await,
                Pool::Postgres(c) => c.close().await,
            }
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
        }
    }

    /// Ends the transaction by the outcome of the work done in it: commit on `Ok`, rollback on
    /// `Err` (the work's error is the one returned).
    pub async fn akhiri<T, E: From<sqlx::Error>>(self, hasil: Result<T, E>) -> Result<T, E> {
        match hasil {
            Ok(v) => {
                self.commit().await?;
                Ok(v)
            }
            Err(e) => {
                if let Err(r) = self.rollback().await {
                    tracing::warn!(error = %r, "rollback failed");
                }
                Err(e)
            }
        }
    }
}

/// The settings SIPKATDES relies on for durability; refuses to start without them.
pub async fn check_sqlite_settings(pool: &SqlitePool) -> anyhow::Result<()> {
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(pool).await?;
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(pool).await?;
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(pool).await?;
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(pool).await?;
    if !mode.eq_ignore_ascii_case("wal") {
        bail!("SQLite journal_mode is {mode}, expected wal");
    }
    if sync != 2 {
        bail!("SQLite synchronous is {sync}, expected 2 (FULL)");
    }
    if fk != 1 {
        bail!("SQLite foreign_keys is off");
    }
    if busy <= 0 {
        bail!("SQLite busy_timeout is not set");
    }
    Ok(())
}

/// Is this error a violation of a UNIQUE constraint (on either backend)?
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d.is_unique_violation(),
        _ => false,
    }
}
