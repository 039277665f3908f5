//! Login throttling, per account and per network address, kept in the database (so it holds
//! across restarts and across servers sharing one PostgreSQL database).
//!
//! An attempt is counted *before* its password is checked, in the same write transaction as
//! the count (serialised on SQLite by the single writer, on PostgreSQL by advisory locks per
//! key), so parallel requests cannot slip past the limit. A successful attempt is then
//! removed again.

use crate::db::{Db, Tx};
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
async fn sisa(tx: &mut Tx, kunci: &str, batas: i64, jendela: i64, sekarang: i64) -> Result<Option<i64>, sqlx::Error> {
    let sejak = sekarang - jendela;
    let jumlah: i64 = crate::tx!(tx, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM gagal_masuk WHERE kunci = $1 AND waktu > $2")
            .bind(kunci)
            .bind(sejak)
            .fetch_one(c)
            .await?
    });
    if jumlah < batas {
        return Ok(None);
    }
    // Throttled until enough failures of the window have aged out of it.
    let t: Option<i64> = crate::tx!(tx, c => {
        sqlx::query_scalar("SELECT waktu FROM gagal_masuk WHERE kunci = $1 AND waktu > $2 ORDER BY waktu LIMIT 1 OFFSET $3")
            .bind(kunci)
            .bind(sejak)
            .bind(jumlah - batas)
            .fetch_optional(c)
            .await?
    });
    Ok(Some((t.unwrap_or(sekarang) + jendela - sekarang).max(1)))
}

/// An attempt that was counted: forget it with [`Percobaan::berhasil`] when it succeeds.
#[derive(Debug)]
pub struct Percobaan {
    id_akun: i64,
    id_alamat: i64,
    kunci_akun: String,
}

/// Counts a login attempt, or says how many seconds to wait when throttled.
pub async fn coba(
    db: &Db,
    b: BatasMasuk,
    username: &str,
    alamat: &str,
    sekarang: i64,
) -> Hasil<Result<Percobaan, i64>> {
    let ka = kunci_akun(username);
    let kl = kunci_alamat(alamat);
    let mut tx = db.begin().await?;
    if let Tx::Postgres(t) = &mut tx {
        for k in [&ka, &kl] {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind(k)
                .execute(&mut **t)
                .await?;
        }
    }
    let tunggu = sisa(&mut tx, &ka, b.per_akun, b.jendela, sekarang)
        .await?
        .max(sisa(&mut tx, &kl, b.per_alamat, b.jendela, sekarang).await?);
    if let Some(detik) = tunggu {
        tx.rollback().await?;
        return Ok(Err(detik));
    }
    let mut ids = [0i64; 2];
    for (i, k) in [&ka, &kl].into_iter().enumerate() {
        ids[i] = crate::tx!(&mut tx, c => {
            sqlx::query_scalar("INSERT INTO gagal_masuk (kunci, waktu) VALUES ($1, $2) RETURNING id")
                .bind(k)
                .bind(sekarang)
                .fetch_one(c)
                .await?
        });
    }
    crate::tx!(&mut tx, c => {
        sqlx::query("DELETE FROM gagal_masuk WHERE waktu <= $1").bind(sekarang - b.jendela).execute(c).await?;
    });
    tx.commit().await?;
    Ok(Ok(Percobaan {
        id_akun: ids[0],
        id_alamat: ids[1],
        kunci_akun: ka,
    }))
}

impl Percobaan {
    /// The attempt succeeded: it does not count, and the account's earlier failures are cleared.
    pub async fn berhasil(self, db: &Db) -> Hasil<()> {
        let mut tx = db.begin().await?;
        crate::tx!(&mut tx, c => {
            sqlx::query("DELETE FROM gagal_masuk WHERE kunci = $1 OR id = $2 OR id = $3")
                .bind(&self.kunci_akun)
                .bind(self.id_akun)
                .bind(self.id_alamat)
                .execute(c)
                .await?;
        });
        tx.commit().await?;
        Ok(())
    }
}

/// Answers revealing that a NIK holds a saved definitive position in *another* desa (the import
/// preview, creating or editing an entry) one account may receive within [`JENDELA_NIK`]
/// (issue 15, point 2: the answers were an unthrottled oracle, 5,000 NIKs a file). Past
/// [`JedaNik::bebas`] of them each answer is slowed, past this many the request is refused with
/// 429 until the window has room again.
pub const JAWABAN_NIK_DESA_LAIN: i64 = 20;

/// How answers about another desa's NIK are slowed before they are stopped: the first `bebas`
/// in the window come at once, each later one waits `langkah_ms` more than the one before, up
/// to `maks_ms` (like a login throttle that slows before it locks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JedaNik {
    pub bebas: i64,
    pub langkah_ms: u64,
    pub maks_ms: u64,
}

impl JedaNik {
    pub const BAWAAN: JedaNik = JedaNik {
        bebas: 5,
        langkah_ms: 250,
        maks_ms: 3000,
    };
}

impl Default for JedaNik {
    fn default() -> Self {
        JedaNik::BAWAAN
    }
}

impl JedaNik {
    /// The wait before the answer that brings the window's count to `jumlah`.
    pub fn untuk(&self, jumlah: i64) -> std::time::Duration {
        let lebih = (jumlah - self.bebas).max(0) as u64;
        std::time::Duration::from_millis(lebih.saturating_mul(self.langkah_ms).min(self.maks_ms))
    }
}

static JEDA_NIK: std::sync::Mutex<JedaNik> = std::sync::Mutex::new(JedaNik::BAWAAN);

/// Sets the slowing of [`jawaban_nik_desa_lain`] for this process (`Application::build`, from
/// `Config::jeda_nik`; the domain functions that answer are not handed the configuration).
pub fn atur_jeda_nik(j: JedaNik) {
    *JEDA_NIK.lock().unwrap_or_else(|e| e.into_inner()) = j;
}

fn jeda_nik() -> JedaNik {
    *JEDA_NIK.lock().unwrap_or_else(|e| e.into_inner())
}
/// The window of [`JAWABAN_NIK_DESA_LAIN`], in seconds (the login window: rows of
/// `gagal_masuk` older than it are removed by every login attempt).
pub const JENDELA_NIK: i64 = 15 * 60;

/// Counts `desa_lain.len()` such answers for `akun` and audits them (`nik_desa_lain`: where,
/// how many, from which action — never the NIK), in one transaction, then waits as
/// [`JedaNik`] says. `Ok(Err(detik))` when the limit would be passed: nothing is counted then,
/// the refusal is audited as well.
pub async fn jawaban_nik_desa_lain(
    db: &Db,
    akun: &super::Akun,
    desa_lain: &[String],
    sumber: &str,
    sekarang: i64,
) -> Hasil<Result<(), i64>> {
    let n = desa_lain.len() as i64;
    if n == 0 {
        return Ok(Ok(()));
    }
    let kunci = format!("n:{}", akun.id);
    let sejak = sekarang - JENDELA_NIK;
    let mut tx = db.begin().await?;
    let (sudah, tertua): (i64, Option<i64>) = crate::tx!(&mut tx, c => {
        sqlx::query_as("SELECT COUNT(*), MIN(waktu) FROM gagal_masuk WHERE kunci = $1 AND waktu > $2")
            .bind(&kunci)
            .bind(sejak)
            .fetch_one(c)
            .await?
    });
    let lewat = sudah + n > JAWABAN_NIK_DESA_LAIN;
    if !lewat {
        for _ in 0..n {
            crate::tx!(&mut tx, c => {
                sqlx::query("INSERT INTO gagal_masuk (kunci, waktu) VALUES ($1, $2)")
                    .bind(&kunci)
                    .bind(sekarang)
                    .execute(c)
                    .await?;
            });
        }
    }
    let mut desa: Vec<&String> = desa_lain.iter().collect();
    desa.sort();
    desa.dedup();
    crate::audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        crate::audit::Aksi::NikDesaLain,
        &format!("pengguna:{}", akun.id),
        serde_json::json!({ "sumber": sumber, "desa": desa, "jumlah": n, "ditolak": lewat }),
    )
    .await?;
    tx.commit().await?;
    if lewat {
        tracing::warn!(pengguna = %akun.username, sumber, jumlah = n, "jawaban NIK desa lain dibatasi");
        return Ok(Err((tertua.unwrap_or(sekarang) + JENDELA_NIK - sekarang).max(1)));
    }
    let jeda = jeda_nik().untuk(sudah + n);
    if !jeda.is_zero() {
        tracing::info!(pengguna = %akun.username, sumber, jeda_ms = jeda.as_millis() as u64, "jawaban NIK desa lain diperlambat");
        tokio::time::sleep(jeda).await;
    }
    Ok(Ok(()))
}

/// One `nik_desa_lain` event, for the kecamatan's page of who was told.
#[derive(Clone, Debug)]
pub struct PertanyaanNik {
    pub waktu: i64,
    pub username: String,
    pub nama: String,
    pub peran: String,
    pub cakupan: String,
    /// `buat`, `ubah`, `pemeriksaan` or `impor`.
    pub sumber: String,
    /// The desa named in the answer.
    pub desa: Vec<String>,
    pub jumlah: i64,
    pub ditolak: bool,
}

/// The answers about NIKs active in another desa since `sejak` that concern the scope: asked
/// by an account inside it, or naming one of its desa. Newest first, at most `batas`.
pub async fn pertanyaan_nik(db: &Db, cakupan: &super::Cakupan, sejak: i64, batas: i64) -> Hasil<Vec<PertanyaanNik>> {
    // Asked by an account in the scope, or naming a desa of it (`"desa":["63.11.02.2001"]`).
    let sql = format!(
        "SELECT a.waktu, a.username, p.nama_lengkap, p.peran, p.cakupan, a.rincian
           FROM audit a LEFT JOIN pengguna p ON p.id = a.pengguna_id
          WHERE a.aksi = $1 AND a.waktu > $2
            AND ({} OR a.rincian LIKE $4)
          ORDER BY a.id DESC LIMIT $5",
        cakupan.syarat("p.cakupan", 3)
    );
    /// waktu, username, and the account's name, role and scope (none when it is gone), rincian.
    type Baris = (i64, String, Option<String>, Option<String>, Option<String>, String);
    let rows: Vec<Baris> = crate::read!(db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(crate::audit::Aksi::NikDesaLain.kode())
        .bind(sejak)
        .bind(cakupan.pola())
        .bind(format!("%\"{}%", cakupan.kode()))
        .bind(batas)
        .fetch_all(c)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(waktu, username, nama, peran, cakupan, rincian)| {
            let r: serde_json::Value = serde_json::from_str(&rincian).unwrap_or_default();
            PertanyaanNik {
                waktu,
                username,
                nama: nama.unwrap_or_default(),
                peran: peran.unwrap_or_default(),
                cakupan: cakupan.unwrap_or_default(),
                sumber: r["sumber"].as_str().unwrap_or("").to_string(),
                desa: r["desa"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|d| d.as_str().map(String::from)).collect())
                    .unwrap_or_default(),
                jumlah: r["jumlah"].as_i64().unwrap_or(0),
                ditolak: r["ditolak"].as_bool().unwrap_or(false),
            }
        })
        .collect())
}
