//! Login throttling, per account and per network address, kept in the database (so it holds
//! across restarts and across servers sharing one PostgreSQL database).

use crate::db::Db;
use crate::error::Hasil;

#[derive(Clone, Copy, Debug)]
pub struct BatasMasuk {
    /// Failures allowed per account within the window.
    pub per_akun: i64,
    /// Failures allowed per address within the window.
    pub per_alamat: i64,
    /// The window, in seconds.
    pub jendela: i64,
}

impl Default for BatasMasuk {
    fn default() -> Self {
        BatasMasuk {
            per_akun: 5,
            per_alamat: 20,
            jendela: 15 * 60,
        }
    }
}

pub fn kunci_akun(username: &str) -> String {
    format!(
        "u:{}",
        username.trim().to_lowercase().chars().take(64).collect::<String>()
    )
}

pub fn kunci_alamat(alamat: &str) -> String {
    format!("a:{alamat}")
}

/// Seconds until `kunci` may try again, or `None` when it is not throttled.
async fn sisa(db: &Db, kunci: &str, batas: i64, jendela: i64, sekarang: i64) -> Hasil<Option<i64>> {
    let sejak = sekarang - jendela;
    let (jumlah, tertua): (i64, Option<i64>) = crate::read!(db, c => {
        sqlx::query_as("SELECT COUNT(*), MIN(waktu) FROM gagal_masuk WHERE kunci = $1 AND waktu > $2")
            .bind(kunci)
            .bind(sejak)
            .fetch_one(c)
            .await?
    });
    if jumlah < batas {
        return Ok(None);
    }
    // Throttled until enough of the failures in the window have aged out of it.
    let kelebihan = jumlah - batas;
    let kunci_waktu: Option<i64> = crate::read!(db, c => {
        sqlx::query_scalar(
            "SELECT waktu FROM gagal_masuk WHERE kunci = $1 AND waktu > $2 ORDER BY waktu LIMIT 1 OFFSET $3",
        )
        .bind(kunci)
        .bind(sejak)
        .bind(kelebihan)
        .fetch_optional(c)
        .await?
    });
    let t = kunci_waktu.or(tertua).unwrap_or(sekarang);
    Ok(Some((t + jendela - sekarang).max(1)))
}

/// Seconds to wait before this login attempt may be checked, or `None`.
pub async fn periksa(db: &Db, b: BatasMasuk, username: &str, alamat: &str, sekarang: i64) -> Hasil<Option<i64>> {
    let akun = sisa(db, &kunci_akun(username), b.per_akun, b.jendela, sekarang).await?;
    let alamat = sisa(db, &kunci_alamat(alamat), b.per_alamat, b.jendela, sekarang).await?;
    Ok(akun.max(alamat))
}

/// Records a failed login for the account and the address; old rows are pruned.
pub async fn catat_gagal(db: &Db, b: BatasMasuk, username: &str, alamat: &str, sekarang: i64) -> Hasil<()> {
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        for kunci in [kunci_akun(username), kunci_alamat(alamat)] {
            sqlx::query("INSERT INTO gagal_masuk (kunci, waktu) VALUES ($1, $2)")
                .bind(kunci)
                .bind(sekarang)
                .execute(&mut *c)
                .await?;
        }
        sqlx::query("DELETE FROM gagal_masuk WHERE waktu <= $1")
            .bind(sekarang - b.jendela)
            .execute(&mut *c)
            .await?;
    });
    tx.commit().await?;
    Ok(())
}

/// A successful login clears the account's failures (not the address's).
pub async fn bersihkan(db: &Db, username: &str) -> Hasil<()> {
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("DELETE FROM gagal_masuk WHERE kunci = $1")
            .bind(kunci_akun(username))
            .execute(c)
            .await?;
    });
    tx.commit().await?;
    Ok(())
}
