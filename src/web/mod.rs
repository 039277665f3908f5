//! The server-rendered web application (Bahasa Indonesia). Every page works without JavaScript.

pub mod admin;
pub mod akun;
pub mod desa;
pub mod ekspor;
pub mod impor;
pub mod kecamatan;
pub mod laporan;
pub mod masuk;
pub mod perangkat;
pub mod publik;
pub mod rekomendasi;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;

use crate::akun::sesi::{self, Sesi};
use crate::error::{AppError, FieldErrors, Hasil};
use crate::kernel::AppState;
pub use crate::kernel::galat::halaman_galat;
pub use crate::kernel::halaman::{AkunTampil, Halaman, Nav, render, render_status};
pub use crate::kernel::sesi::sama_waktu_tetap;

/// Field errors of a form, for showing beside each field and in a summary at the top.
#[derive(Default)]
pub struct Galat {
    pub daftar: FieldErrors,
}

impl Galat {
    pub fn dari(e: FieldErrors) -> Galat {
        Galat { daftar: e }
    }

    /// The errors in the order of the page's fields (`urutan`: the fields' ids from top to
    /// bottom), so that the summary reads as the form does; a field not in `urutan` comes
    /// last, in its own order.
    pub fn dari_urut(mut e: FieldErrors, urutan: &[&str]) -> Galat {
        e.sort_by_key(|(f, _)| urutan.iter().position(|u| u == f).unwrap_or(usize::MAX));
        Galat { daftar: e }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.daftar.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    pub fn ada(&self) -> bool {
        !self.daftar.is_empty()
    }
}

/// Redirects after a successful action, leaving a message for the next page.
pub async fn alihkan(state: &AppState, sesi: &Sesi, ke: &str, pesan: &str) -> Hasil<Response> {
    alihkan_dengan(state, sesi, ke, pesan, sesi::JenisPesan::Sukses).await
}

/// [`alihkan`] with a message of another kind: an error (red) or a warning (orange).
pub async fn alihkan_dengan(
    state: &AppState,
    sesi: &Sesi,
    ke: &str,
    pesan: &str,
    jenis: sesi::JenisPesan,
) -> Hasil<Response> {
    sesi::titip(&state.db, &sesi.id_hash, pesan, jenis).await?;
    Ok(Redirect::to(ke).into_response())
}

/// A list's page: the page asked for (`?halaman=`, from 1; unreadable or past the end: the
/// nearest page), the number of pages, and that page's items.
pub(crate) fn satu_halaman<T>(semua: Vec<T>, diminta: Option<&str>, per_halaman: usize) -> (usize, usize, Vec<T>) {
    let jumlah_halaman = semua.len().div_ceil(per_halaman).max(1);
    let halaman = diminta
        .and_then(|h| h.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, jumlah_halaman);
    let isi = semua
        .into_iter()
        .skip((halaman - 1) * per_halaman)
        .take(per_halaman)
        .collect();
    (halaman, jumlah_halaman, isi)
}

/// The address of the connection's other end (the client, or the reverse proxy).
pub(crate) fn peer_dari(parts: &axum::http::request::Parts) -> Option<std::net::IpAddr> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
}

/// Does the request come from our own pages? (Defense in depth beside the CSRF token.)
/// With a configured public URL the Origin must be exactly it (scheme and host). Without it,
/// the Origin must name the Host header *and* the scheme the server is reached by (issue 15,
/// point 8: `http://host` posting to the HTTPS site passed): `https` with `--secure-cookie`,
/// else the proxy's `X-Forwarded-Proto` with `--trust-proxy` (from a `--proxy-address` peer
/// only), else `http`.
pub(crate) fn asal_sama(headers: &HeaderMap, peer: Option<std::net::IpAddr>, config: &crate::kernel::Config) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true; // Old browsers send no Origin; the token still protects.
    };
    if let Some(u) = config.public_url.as_deref() {
        return origin.eq_ignore_ascii_case(u.trim_end_matches('/'));
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let skema = if config.secure_cookie {
        "https".to_string()
    } else {
        config.proxy.skema(headers, peer).unwrap_or_else(|| "http".into())
    };
    match origin.split_once("://") {
        Some((s, h)) => s.eq_ignore_ascii_case(&skema) && h.eq_ignore_ascii_case(host) && !host.is_empty(),
        None => false,
    }
}

/// serde's message about a form ("missing field `aktif`") as a message for a person.
fn pesan_formulir(e: &serde_urlencoded::de::Error) -> String {
    let t = e.to_string();
    let field = t
        .split('`')
        .nth(1)
        .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    match field {
        Some(f) => format!("Formulir tidak lengkap atau tidak valid: isian \"{f}\" tidak ada atau tidak sesuai."),
        None => "Formulir tidak lengkap atau tidak valid. Muat ulang halaman, lalu kirim kembali.".into(),
    }
}

#[derive(serde::Deserialize)]
struct TokenCsrf {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// A form posted by a logged-in user, with its CSRF token checked: a handler cannot read the
/// form without the check having passed.
pub struct Formulir<T> {
    pub sesi: Sesi,
    pub data: T,
}

impl<S, T> FromRequest<S> for Formulir<T>
where
    AppState: FromRef<S>,
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let sesi = Sesi::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let app = AppState::from_ref(state);
        if !asal_sama(&parts.headers, peer_dari(&parts), &app.config) {
            return Err(AppError::Terlarang.into_response());
        }
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let token: TokenCsrf = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| AppError::Permintaan("Formulir tidak dapat dibaca.".into()).into_response())?;
        if !sama_waktu_tetap(token.csrf.as_bytes(), sesi.csrf.as_bytes()) {
            return Err(halaman_galat(
                StatusCode::FORBIDDEN,
                "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman, lalu kirim kembali.",
            ));
        }
        let data = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::Permintaan(pesan_formulir(&e)).into_response())?;
        Ok(Formulir { sesi, data })
    }
}

/// The menu entry of a desa's pages: "Desa Saya" for desa roles, the list of desa for others.
pub fn menu_desa(akun: &crate::akun::Akun, desa_kode: &str) -> String {
    if akun.peran.lingkup_desa() {
        format!("/desa/{desa_kode}")
    } else {
        "/desa".into()
    }
}

/// 422 when a form comes back with errors, 200 otherwise.
pub fn status_galat(galat: &FieldErrors) -> StatusCode {
    if galat.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// Formats a Unix time in the instance's zone: "27 Maret 2023, 14.05 WITA".
pub fn waktu(state: &AppState, unix: i64) -> String {
    crate::waktu::tanggal_jam(unix, state.instansi.zona)
}
