//! The two faces of [`AppError`]: a small HTML page for the web routes, SPEC §5's JSON shape
//! `{"error":{"kode","pesan","field":{…}}}` for the API ([`ApiError`]), and the HTTP status of
//! each error.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::halaman::Halaman;
use crate::error::{ApiError, AppError};

/// The HTTP status of an error.
pub trait StatusHttp {
    fn status(&self) -> StatusCode;
}

impl StatusHttp for AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::TidakDitemukan | AppError::TidakDitemukanPesan(_) => StatusCode::NOT_FOUND,
            AppError::Terlarang => StatusCode::FORBIDDEN,
            AppError::PerluMasuk => StatusCode::UNAUTHORIZED,
            AppError::Permintaan(_) => StatusCode::BAD_REQUEST,
            AppError::Validasi(_) | AppError::ValidasiDinamis(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Konflik(_) => StatusCode::CONFLICT,
            AppError::Dibatasi { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::TerlaluBesar { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::JenisTidakDiterima => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Renders the error as a small HTML page (web routes).
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let mut resp = halaman_galat(status, &self.pesan()).into_response();
        *resp.status_mut() = status;
        if let AppError::Dibatasi { detik } = self {
            retry_after(&mut resp, detik);
        }
        resp
    }
}

fn retry_after(resp: &mut Response, detik: i64) {
    if let Ok(v) = HeaderValue::from_str(&detik.max(1).to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        let field: BTreeMap<&str, &str> = match &e {
            AppError::Validasi(f) => f.iter().map(|(k, v)| (*k, v.as_str())).collect(),
            AppError::ValidasiDinamis(f) => f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
            _ => BTreeMap::new(),
        };
        let body = json!({ "error": { "kode": e.kode(), "pesan": e.pesan(), "field": field } });
        let mut resp = (e.status(), axum::Json(body)).into_response();
        if let AppError::Dibatasi { detik } = e {
            retry_after(&mut resp, detik);
        }
        if matches!(e, AppError::PerluMasuk) {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

#[derive(Template)]
#[template(path = "galat.html")]
struct HalamanGalat<'a> {
    h: Halaman,
    status: u16,
    pesan: &'a str,
}

fn judul_galat(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "Tidak Ditemukan",
        StatusCode::FORBIDDEN => "Tidak Berwenang",
        StatusCode::TOO_MANY_REQUESTS => "Terlalu Banyak Percobaan",
        StatusCode::PAYLOAD_TOO_LARGE => "Berkas Terlalu Besar",
        s if s.is_server_error() => "Kesalahan Server",
        _ => "Permintaan Tidak Dapat Diproses",
    }
}

/// The mark of an error page on its response: [`lengkapi_kepala`] finds it and, for a
/// logged-in user, draws the page again inside the normal layout.
#[derive(Clone, Debug)]
pub struct TandaGalat {
    pesan: String,
}

fn gambar_galat(h: Halaman, status: StatusCode, pesan: &str) -> Response {
    let t = HalamanGalat {
        h,
        status: status.as_u16(),
        pesan,
    };
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, pesan.to_string()).into_response(),
    }
}

/// The error page (no session needed: it is also the 404 of the fallback).
pub fn halaman_galat(status: StatusCode, pesan: &str) -> Response {
    let mut r = gambar_galat(Halaman::tamu("", judul_galat(status)), status, pesan);
    r.extensions_mut().insert(TandaGalat {
        pesan: pesan.to_string(),
    });
    r
}

/// A layer of the pages (issue 14, point 4): an error page (403, 404, 413, 500, …) shown to a
/// logged-in user keeps the header, the menu and the logout button, so that nobody thinks they
/// were logged out. Its status and headers (`Retry-After`, `Allow`, cookies) stay.
pub async fn lengkapi_kepala(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let jalur = req.uri().path();
    if jalur.starts_with("/api/") || jalur.starts_with("/aset/") || super::publik::jalur_publik(jalur) {
        return next.run(req).await;
    }
    let kepala = req.headers().clone();
    let resp = next.run(req).await;
    let Some(t) = resp.extensions().get::<TandaGalat>().cloned() else {
        return resp;
    };
    let Some(sesi) = super::sesi::sesi_opsional(&state, &kepala).await else {
        return resp;
    };
    let status = resp.status();
    let mut baru = gambar_galat(Halaman::baru(&state, &sesi, judul_galat(status), ""), status, &t.pesan);
    for (k, v) in resp.headers() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            baru.headers_mut().append(k.clone(), v.clone());
        }
    }
    baru
}
