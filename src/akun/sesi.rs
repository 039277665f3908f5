//! Sessions (web) and API tokens. Only SHA-256 digests of the secrets are stored. A session ends
//! after 30 minutes idle or 12 hours in all, at logout, at a password reset, a role change or
//! when its account is disabled.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::{Akun, sandi};
use crate::app::AppState;
use crate::db::{Db, Tx};
use crate::error::{ApiError, AppError, Hasil};

pub const COOKIE_SESI: &str = "sipkatdes_sesi";
pub const COOKIE_PRA: &str = "sipkatdes_pra";
pub const COOKIE_INFO: &str = "sipkatdes_info";

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
    pub pesan: Option<String>,
}

/// Reads one cookie's value from the request headers.
pub fn baca_cookie<'a>(headers: &'a HeaderMap, nama: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == nama)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the flags every SIPKATDES cookie carries.
pub fn cookie(nama: &str, nilai: &str, secure: bool, max_age: Option<i64>) -> String {
    let mut c = format!("{nama}={nilai}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(m) = max_age {
        c.push_str(&format!("; Max-Age={m}"));
    }
    c
}

/// Creates a session for `pengguna_id`; returns the cookie value (the only copy of the secret).
pub async fn buat(db: &Db, pengguna_id: i64, sekarang: i64) -> Hasil<String> {
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
pub async fn akhiri_semua(tx: &mut Tx, pengguna_id: i64, kecuali: Option<&str>) -> Result<(), sqlx::Error> {
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

/// Leaves a one-time message on the session, shown on the next page.
pub async fn titip_pesan(db: &Db, id_hash: &str, pesan: &str) -> Hasil<()> {
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("UPDATE sesi SET pesan = $1 WHERE id_hash = $2")
            .bind(pesan)
            .bind(id_hash)
            .execute(c)
            .await?;
    });
    tx.commit().await?;
    Ok(())
}

/// Why there is no valid session.
enum TanpaSesi {
    Tidak,
    Kedaluwarsa,
}

async fn muat(state: &AppState, headers: &HeaderMap) -> Result<Sesi, TanpaSesi> {
    let Some(rahasia) = baca_cookie(headers, COOKIE_SESI) else {
        return Err(TanpaSesi::Tidak);
    };
    let id_hash = sandi::sidik(rahasia);
    let sekarang = state.clock.now();
    let row = crate::read!(state.db, c => {
        sqlx::query_as::<_, (i64, String, i64, i64, Option<String>)>(
            "SELECT pengguna_id, csrf, dibuat_pada, terakhir_aktif, pesan FROM sesi WHERE id_hash = $1",
        )
        .bind(&id_hash)
        .fetch_optional(c)
        .await
    })
    .map_err(|e| {
        tracing::error!(error = %e, "session lookup failed");
        TanpaSesi::Tidak
    })?;
    let Some((pengguna_id, csrf, dibuat, aktif, pesan)) = row else {
        return Err(TanpaSesi::Kedaluwarsa);
    };
    let b = state.config.batas_waktu;
    if sekarang - aktif > b.sesi_diam || sekarang - dibuat > b.sesi_mutlak {
        let _ = akhiri(&state.db, &id_hash).await;
        return Err(TanpaSesi::Kedaluwarsa);
    }
    let akun = match super::akun_aktif(&state.db, pengguna_id).await {
        Ok(Some(a)) => a,
        _ => return Err(TanpaSesi::Kedaluwarsa),
    };
    if pesan.is_some() || sekarang - aktif >= b.sentuh_setiap {
        let r: Result<(), sqlx::Error> = async {
            let mut tx = state.db.begin().await?;
            crate::tx!(&mut tx, c => {
                sqlx::query("UPDATE sesi SET terakhir_aktif = $1, pesan = NULL WHERE id_hash = $2")
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
    Ok(Sesi {
        akun,
        id_hash,
        csrf,
        pesan,
    })
}

/// Rejection for pages that need a login: back to the login page, telling why.
pub struct KeHalamanMasuk {
    kedaluwarsa: bool,
    secure: bool,
}

impl IntoResponse for KeHalamanMasuk {
    fn into_response(self) -> Response {
        let mut r = Redirect::to("/").into_response();
        // Clear the dead session cookie; a short-lived note lets the login page say why.
        let hapus = cookie(COOKIE_SESI, "", self.secure, Some(0));
        r.headers_mut()
            .append(header::SET_COOKIE, hapus.parse().expect("valid cookie"));
        if self.kedaluwarsa {
            let info = cookie(COOKIE_INFO, "sesi_berakhir", self.secure, Some(120));
            r.headers_mut()
                .append(header::SET_COOKIE, info.parse().expect("valid cookie"));
        }
        r
    }
}

impl<S> FromRequestParts<S> for Sesi
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = KeHalamanMasuk;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        muat(&state, &parts.headers).await.map_err(|e| KeHalamanMasuk {
            kedaluwarsa: matches!(e, TanpaSesi::Kedaluwarsa),
            secure: state.config.secure_cookie,
        })
    }
}

/// The session, if there is one (the login page uses it to redirect a logged-in user).
pub async fn sesi_opsional(state: &AppState, headers: &HeaderMap) -> Option<Sesi> {
    muat(state, headers).await.ok()
}

/// Issues an API token for a user: (token, expiry as Unix time).
pub async fn buat_token(db: &Db, pengguna_id: i64, sekarang: i64, umur: i64) -> Hasil<(String, i64)> {
    let token = format!("skd_{}", sandi::acak_hex(32));
    let kedaluwarsa = sekarang + umur;
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
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
    });
    tx.commit().await?;
    Ok((token, kedaluwarsa))
}

/// An API caller authenticated by `Authorization: Bearer <token>`.
#[derive(Clone, Debug)]
pub struct Token {
    pub akun: Akun,
    pub token_hash: String,
}

impl<S> FromRequestParts<S> for Token
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        token_dari(&state, &parts.headers).await
    }
}

/// The account of a valid bearer token in `headers`, if any.
pub async fn akun_token(state: &AppState, headers: &HeaderMap) -> Option<Akun> {
    token_dari(state, headers).await.ok().map(|t| t.akun)
}

async fn token_dari(state: &AppState, headers: &HeaderMap) -> Result<Token, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(AppError::PerluMasuk)?;
    let token_hash = sandi::sidik(token);
    let row = crate::read!(state.db, c => {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT pengguna_id, kedaluwarsa FROM token_api WHERE token_hash = $1",
        )
        .bind(&token_hash)
        .fetch_optional(c)
        .await?
    });
    let Some((pengguna_id, kedaluwarsa)) = row else {
        return Err(AppError::PerluMasuk.into());
    };
    if kedaluwarsa <= state.clock.now() {
        return Err(AppError::PerluMasuk.into());
    }
    let akun = super::akun_aktif(&state.db, pengguna_id)
        .await?
        .ok_or(AppError::PerluMasuk)?;
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
        "token_dicabut",
        &format!("pengguna:{}", akun.id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
