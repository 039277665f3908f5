//! Who is calling: the session cookie of the web pages and the bearer token of the API, read
//! from a request and checked by `crate::akun::sesi`. Handlers take [`Sesi`] or [`Token`] as an
//! argument; a handler cannot run without the check having passed.

use std::net::SocketAddr;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::AppState;
use crate::akun::Akun;
use crate::akun::sesi::{self, Sesi, TanpaSesi, Token};
use crate::error::{ApiError, AppError};

pub const COOKIE_SESI: &str = "sipkatdes_sesi";
pub const COOKIE_PRA: &str = "sipkatdes_pra";
pub const COOKIE_INFO: &str = "sipkatdes_info";
/// The page to return to after logging in (issue 14, point 3), hex-encoded, short-lived.
pub const COOKIE_KEMBALI: &str = "sipkatdes_kembali";

/// A path of this site that a login may return to: local, not the login page itself, short.
fn kembali_sah(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.len() <= 512
        && !matches!(p.split('?').next(), Some("/" | "/masuk" | "/keluar"))
        && !p.starts_with("/api/")
        && !p.starts_with("/aset/")
        && p.chars().all(|c| c.is_ascii_graphic() && c != '\\')
}

/// The page a request came from (a form's page, by its Referer) or asks for (a GET), when a
/// login may return there. `public_url`: the site's configured address (behind a proxy the
/// Host header may be another).
fn halaman_kembali(parts: &Parts, public_url: Option<&str>) -> Option<String> {
    use axum::http::Method;
    let p = if parts.method == Method::GET || parts.method == Method::HEAD {
        parts.uri.path_and_query().map(|p| p.as_str().to_string())?
    } else {
        // A form sent after the session ended: back to the page of the form, if it is ours.
        let rujukan = parts.headers.get(header::REFERER)?.to_str().ok()?;
        let dari_publik = public_url
            .map(|u| u.trim_end_matches('/'))
            .filter(|u| !u.is_empty())
            .and_then(|u| rujukan.strip_prefix(u))
            .filter(|sisa| sisa.starts_with('/'));
        let sisa = match dari_publik {
            Some(s) => s,
            None => {
                let host = parts.headers.get(header::HOST)?.to_str().ok()?;
                rujukan
                    .strip_prefix("https://")
                    .or_else(|| rujukan.strip_prefix("http://"))?
                    .strip_prefix(host)?
            }
        };
        let p = sisa.split('#').next()?.to_string();
        // The form was itself the answer to a POST to this address (the entry form again with
        // its errors): that address has no page of its own; its form is at `…/baru`.
        if p == parts.uri.path()
            && ["/perangkat", "/rekomendasi", "/laporan"]
                .iter()
                .any(|k| p.ends_with(k))
        {
            format!("{p}/baru")
        } else {
            p
        }
    };
    kembali_sah(&p).then_some(p)
}

/// The page to return to after logging in, from the request's cookie (checked again).
pub fn kembali_dari(headers: &HeaderMap) -> Option<String> {
    let hex = baca_cookie(headers, COOKIE_KEMBALI)?;
    if hex.len() % 2 != 0 || hex.len() > 1024 {
        return None;
    }
    let bita: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    let p = String::from_utf8(bita?).ok()?;
    kembali_sah(&p).then_some(p)
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

async fn muat(state: &AppState, headers: &HeaderMap) -> Result<Sesi, TanpaSesi> {
    let Some(rahasia) = baca_cookie(headers, COOKIE_SESI) else {
        return Err(TanpaSesi::Tidak);
    };
    sesi::muat(&state.db, state.config.batas_waktu, state.clock.now(), rahasia).await
}

/// Rejection for pages that need a login: back to the login page, telling why.
pub struct KeHalamanMasuk {
    kedaluwarsa: bool,
    secure: bool,
    /// Where the login returns to.
    kembali: Option<String>,
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
        if let Some(k) = self.kembali {
            let hex: String = k.bytes().map(|b| format!("{b:02x}")).collect();
            let c = cookie(COOKIE_KEMBALI, &hex, self.secure, Some(900));
            if let Ok(v) = c.parse() {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
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
            kembali: halaman_kembali(parts, state.config.public_url.as_deref()),
        })
    }
}

/// The session, if there is one (the login page uses it to redirect a logged-in user).
pub async fn sesi_opsional(state: &AppState, headers: &HeaderMap) -> Option<Sesi> {
    muat(state, headers).await.ok()
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
    Ok(sesi::dari_token(&state.db, state.clock.now(), token).await?)
}

/// The client's address: the peer, or — when the peer is a trusted reverse proxy — the
/// address it forwarded (`kernel::proxy`).
pub fn alamat_klien(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    state.config.proxy.klien(headers, peer.ip()).to_string()
}

/// Compares two secrets in constant time.
pub fn sama_waktu_tetap(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && !a.is_empty() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
