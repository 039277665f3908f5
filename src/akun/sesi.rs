//! Sessions (web) and API tokens. Only SHA-256 digests of the secrets are stored. A session ends
//! after 30 minutes idle or 12 hours in all, at logout, at a password reset, a role change or
//! when its account is disabled.

//!
//! This module holds the rules and the storage; reading the cookie or the `Authorization`
//! header of a request is the HTTP kernel's (`crate::kernel::sesi`).

use super::{Akun, sandi};
use crate::db::{Db, Tx};
use crate::error::{AppError, Hasil};
use crate::id::AkunId;

/// How long sessions and tokens live.
#[derive(Clone, Copy, Debug)]
pub struct BatasWaktu {
    pub sesi_diam: i64,
    pub sesi_mutlak: i64,
    pub token: i64,
    /// `terakhir_aktif` is written at most this often (saves a write per request).
    pub sentuh_setiap: i64,
}

impl Default for BatasWaktu {
    fn default() -> Self {
        BatasWaktu {
            sesi_diam: 30 * 60,
            sesi_mutlak: 12 * 3600,
            token: 12 * 3600,
            sentuh_setiap: 60,
        }
    }
}

/// A logged-in web user with their session.
#[derive(Clone, Debug)]
pub struct Sesi {
    pub akun: Akun,
    pub id_hash: String,
    pub csrf: String,
    /// A message left by the previous action ("Pengguna dibuat."), shown once.
    pub pesan: Option<Pesan>,
}

crate::kode_enum!(
    /// The kind of a one-time message: how it is shown.
    JenisPesan {
        Sukses => "sukses", "Berhasil";
        Peringatan => "peringatan", "Perhatian";
        Galat => "galat", "Tidak berhasil";
    }
);

/// A one-time message on the session, shown on the next page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pesan {
    pub teks: String,
    pub jenis: JenisPesan,
}

impl Pesan {
    /// The class of its box on the page.
    pub fn kelas(&self) -> &'static str {
        match self.jenis {
            JenisPesan::Sukses => "pesan-sukses",
            JenisPesan::Peringatan => "pesan-peringatan",
            JenisPesan::Galat => "pesan-galat",
        }
    }

    /// An error is announced at once by screen readers; the others politely.
    pub fn peran(&self) -> &'static str {
        if self.jenis == JenisPesan::Sukses {
            "status"
        } else {
            "alert"
        }
    }
}

/// Creates a session for `pengguna_id`; returns the cookie value (the only copy of the secret).
pub async fn buat(db: &Db, pengguna_id: AkunId, sekarang: i64) -> Hasil<String> {
    let rahasia = sandi::acak_hex(32);
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO sesi (id_hash, pengguna_id, csrf, dibuat_pada, terakhir_aktif) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(sandi::sidik(&rahasia))
        .bind(pengguna_id)
        .bind(sandi::acak_hex(32))
        .bind(sekarang)
        .execute(c)
        .await?;
    });
    tx.commit().await?;
    Ok(rahasia)
}

/// Ends one session (logout).
pub async fn akhiri(db: &Db, id_hash: &str) -> Hasil<()> {
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("DELETE FROM sesi WHERE id_hash = $1").bind(id_hash).execute(c).await?;
    });
    tx.commit().await?;
    Ok(())
}

/// Ends every session and revokes every token of a user, except the session `kecuali`.
pub async fn akhiri_semua(tx: &mut Tx, pengguna_id: AkunId, kecuali: Option<&str>) -> Result<(), sqlx::Error> {
    crate::tx!(tx, c => {
        sqlx::query("DELETE FROM sesi WHERE pengguna_id = $1 AND id_hash <> $2")
            .bind(pengguna_id)
            .bind(kecuali.unwrap_or(""))
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM token_api WHERE pengguna_id = $1")
            .bind(pengguna_id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Leaves a one-time message of success on the session, shown on the next page.
pub async fn titip_pesan(db: &Db, id_hash: &str, pesan: &str) -> Hasil<()> {
    titip(db, id_hash, pesan, JenisPesan::Sukses).await
}

/// Leaves a one-time message of the given kind on the session, shown on the next page.
pub async fn titip(db: &Db, id_hash: &str, pesan: &str, jenis: JenisPesan) -> Hasil<()> {
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("UPDATE sesi SET pesan = $1, pesan_jenis = $2 WHERE id_hash = $3")
            .bind(pesan)
            .bind(jenis)
            .bind(id_hash)
            .execute(c)
            .await?;
    });
    tx.commit().await?;
    Ok(())
}

/// Why there is no valid session.
pub enum TanpaSesi {
    /// No session was presented.
    Tidak,
    /// A session was presented but has ended (timed out, logged out, account disabled).
    Kedaluwarsa,
}

/// The session whose cookie value is `rahasia`, if it is still valid at `sekarang`; touches
/// its last activity (at most every `batas.sentuh_setiap` seconds) and takes its message.
pub async fn muat(db: &Db, batas: BatasWaktu, sekarang: i64, rahasia: &str) -> Result<Sesi, TanpaSesi> {
    let id_hash = sandi::sidik(rahasia);
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, (AkunId, String, i64, i64, Option<String>, Option<JenisPesan>)>(
            "SELECT pengguna_id, csrf, dibuat_pada, terakhir_aktif, pesan, pesan_jenis FROM sesi WHERE id_hash = $1",
        )
        .bind(&id_hash)
        .fetch_optional(c)
        .await
    })
    .map_err(|e| {
        tracing::error!(error = %e, "session lookup failed");
        TanpaSesi::Tidak
    })?;
    let Some((pengguna_id, csrf, dibuat, aktif, pesan, jenis)) = row else {
        return Err(TanpaSesi::Kedaluwarsa);
    };
    let b = batas;
    if sekarang - aktif > b.sesi_diam || sekarang - dibuat > b.sesi_mutlak {
        let _ = akhiri(db, &id_hash).await;
        return Err(TanpaSesi::Kedaluwarsa);
    }
    let akun = match super::akun_aktif(db, pengguna_id).await {
        Ok(Some(a)) => a,
        _ => return Err(TanpaSesi::Kedaluwarsa),
    };
    if pesan.is_some() || sekarang - aktif >= b.sentuh_setiap {
        let r: Result<(), sqlx::Error> = async {
            let mut tx = db.begin().await?;
            crate::tx!(&mut tx, c => {
                sqlx::query("UPDATE sesi SET terakhir_aktif = $1, pesan = NULL, pesan_jenis = NULL WHERE id_hash = $2")
                    .bind(sekarang)
                    .bind(&id_hash)
                    .execute(c)
                    .await?;
            });
            tx.commit().await
        }
        .await;
        if let Err(e) = r {
            tracing::warn!(error = %e, "session touch failed");
        }
    }
    let pesan = pesan.map(|teks| Pesan {
        teks,
        jenis: jenis.unwrap_or(JenisPesan::Sukses),
    });
    Ok(Sesi {
        akun,
        id_hash,
        csrf,
        pesan,
    })
}

/// Live API tokens one account may hold; a new one revokes the oldest beyond it (issue 15,
/// point 3: 17 logins left 17 live tokens).
pub const BATAS_TOKEN: i64 = 10;

/// Issues an API token for a user: (token, expiry as Unix time, how many of the user's oldest
/// tokens it revoked to stay within [`BATAS_TOKEN`]).
pub async fn buat_token(db: &Db, pengguna_id: AkunId, sekarang: i64, umur: i64) -> Hasil<(String, i64, u64)> {
    let token = format!("skd_{}", sandi::acak_hex(32));
    let kedaluwarsa = sekarang + umur;
    let mut tx = db.begin().await?;
    let dicabut = crate::tx!(&mut tx, c => {
        // Expired tokens of this user are no longer needed.
        sqlx::query("DELETE FROM token_api WHERE pengguna_id = $1 AND kedaluwarsa <= $2")
            .bind(pengguna_id)
            .bind(sekarang)
            .execute(&mut *c)
            .await?;
        sqlx::query("INSERT INTO token_api (token_hash, pengguna_id, dibuat_pada, kedaluwarsa) VALUES ($1, $2, $3, $4)")
            .bind(sandi::sidik(&token))
            .bind(pengguna_id)
            .bind(sekarang)
            .bind(kedaluwarsa)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "DELETE FROM token_api WHERE pengguna_id = $1 AND id NOT IN
               (SELECT id FROM token_api WHERE pengguna_id = $1 ORDER BY id DESC LIMIT $2)",
        )
        .bind(pengguna_id)
        .bind(BATAS_TOKEN)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    tx.commit().await?;
    Ok((token, kedaluwarsa, dicabut))
}

/// A live API token of the account page (never the secret: only when and until when).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InfoToken {
    pub id: i64,
    pub dibuat_pada: i64,
    pub kedaluwarsa: i64,
}

/// The user's live API tokens, newest first.
pub async fn daftar_token(db: &Db, pengguna_id: AkunId, sekarang: i64) -> Hasil<Vec<InfoToken>> {
    Ok(crate::read!(db, c => {
        sqlx::query_as::<_, InfoToken>(
            "SELECT id, dibuat_pada, kedaluwarsa FROM token_api
             WHERE pengguna_id = $1 AND kedaluwarsa > $2 ORDER BY id DESC",
        )
        .bind(pengguna_id)
        .bind(sekarang)
        .fetch_all(c)
        .await?
    }))
}

/// Revokes one of the user's own tokens by its id (the account page's *Cabut*; audited).
/// `false` when the user has no such token (another user's id changes nothing).
pub async fn cabut_token_milik(db: &Db, akun: &Akun, token_id: i64, sekarang: i64) -> Hasil<bool> {
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        sqlx::query("DELETE FROM token_api WHERE id = $1 AND pengguna_id = $2")
            .bind(token_id)
            .bind(akun.id)
            .execute(c)
            .await?
            .rows_affected()
    });
    if n == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    crate::audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        crate::audit::Aksi::TokenDicabut,
        &format!("pengguna:{}", akun.id),
        serde_json::json!({ "token": token_id, "dari": "halaman akun" }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// An API caller authenticated by `Authorization: Bearer <token>`.
#[derive(Clone, Debug)]
pub struct Token {
    pub akun: Akun,
    pub token_hash: String,
}

/// The caller behind the bearer token `token`, if it is valid at `sekarang`.
pub async fn dari_token(db: &Db, sekarang: i64, token: &str) -> Hasil<Token> {
    let token_hash = sandi::sidik(token);
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, (AkunId, i64)>(
            "SELECT pengguna_id, kedaluwarsa FROM token_api WHERE token_hash = $1",
        )
        .bind(&token_hash)
        .fetch_optional(c)
        .await?
    });
    let Some((pengguna_id, kedaluwarsa)) = row else {
        return Err(AppError::PerluMasuk);
    };
    if kedaluwarsa <= sekarang {
        return Err(AppError::PerluMasuk);
    }
    let akun = super::akun_aktif(db, pengguna_id).await?.ok_or(AppError::PerluMasuk)?;
    Ok(Token { akun, token_hash })
}

/// Revokes one token (audited).
pub async fn cabut_token(db: &Db, akun: &Akun, token_hash: &str, sekarang: i64) -> Hasil<()> {
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("DELETE FROM token_api WHERE token_hash = $1").bind(token_hash).execute(c).await?;
    });
    crate::audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        crate::audit::Aksi::TokenDicabut,
        &format!("pengguna:{}", akun.id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
