//! What both faces need to answer the public register (issue 19): a rate limit per address,
//! and answers that a poller can revalidate cheaply (`ETag`, `Last-Modified`, `304`).
//!
//! Public answers carry no session: the handlers never read a cookie, and they are cacheable
//! (`Cache-Control: public`) because they hold only public data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::error::AppError;

/// Requests per address on the public routes: a sustained rate and a burst.
#[derive(Clone, Copy, Debug)]
pub struct BatasPublik {
    /// Sustained requests per minute; 0: no limit.
    pub per_menit: u32,
    pub ledakan: u32,
}

impl Default for BatasPublik {
    fn default() -> Self {
        // A person browsing makes a few requests a minute; a desa website's widget one per
        // visitor; a portal polling a kecamatan's desa with ETags a few hundred per round.
        BatasPublik {
            per_menit: 600,
            ledakan: 120,
        }
    }
}

/// A token bucket per address, kept in memory (per server: a limit against a crawler, not an
/// accounting).
#[derive(Clone, Default)]
pub struct Laju {
    ember: Arc<Mutex<HashMap<String, (f64, Instant)>>>,
}

/// Addresses remembered before the oldest full buckets are forgotten.
const BATAS_ALAMAT: usize = 50_000;

impl Laju {
    /// `Ok` when the address may make one more request now; otherwise 429 with the seconds to
    /// wait (each face renders it: a page, or SPEC §5's JSON error).
    pub fn ambil(&self, batas: BatasPublik, alamat: &str) -> Result<(), AppError> {
        if batas.per_menit == 0 {
            return Ok(());
        }
        let sekarang = Instant::now();
        let per_detik = f64::from(batas.per_menit.max(1)) / 60.0;
        let penuh = f64::from(batas.ledakan.max(1));
        let mut m = self.ember.lock().unwrap_or_else(|e| e.into_inner());
        if m.len() >= BATAS_ALAMAT && !m.contains_key(alamat) {
            // Forget the addresses whose bucket has refilled: they lose nothing.
            m.retain(|_, (isi, t)| *isi + sekarang.duration_since(*t).as_secs_f64() * per_detik < penuh);
            if m.len() >= BATAS_ALAMAT {
                m.clear();
            }
        }
        let (isi, t) = m.entry(alamat.to_string()).or_insert((penuh, sekarang));
        *isi = (*isi + sekarang.duration_since(*t).as_secs_f64() * per_detik).min(penuh);
        *t = sekarang;
        if *isi >= 1.0 {
            *isi -= 1.0;
            Ok(())
        } else {
            Err(AppError::Dibatasi {
                detik: ((1.0 - *isi) / per_detik).ceil().max(1.0) as i64,
            })
        }
    }
}

/// "Tue, 28 Mar 2023 06:05:00 GMT" (RFC 9110 IMF-fixdate).
pub fn tanggal_http(unix: i64) -> String {
    let f = format_description!("[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT");
    OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(&f)
        .unwrap_or_default()
}

fn baca_tanggal_http(s: &str) -> Option<i64> {
    let f = format_description!("[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT");
    time::PrimitiveDateTime::parse(s.trim(), &f)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

/// Whether the client already holds this version: `If-None-Match` (when sent) decides,
/// otherwise `If-Modified-Since`.
pub fn masih_baru(kepala: &HeaderMap, etag: &str, diubah: i64) -> bool {
    if let Some(v) = kepala.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        return v
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag);
    }
    kepala
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(baca_tanggal_http)
        .is_some_and(|t| diubah <= t)
}

/// A public answer: `304` when the client holds this version, otherwise the body; either way
/// with its `ETag`, `Last-Modified` and a short public cache lifetime.
pub fn jawab(kepala: &HeaderMap, etag: &str, diubah: i64, jenis: &'static str, isi: impl Into<Body>) -> Response {
    let mut r = if masih_baru(kepala, etag, diubah) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, jenis)], isi.into()).into_response()
    };
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    if diubah > 0
        && let Ok(v) = HeaderValue::from_str(&tanggal_http(diubah))
    {
        h.insert(header::LAST_MODIFIED, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    r
}

/// Whether a path belongs to the public register (`/publik…`, `/api/v1/publik/…`).
pub fn jalur_publik(jalur: &str) -> bool {
    jalur == "/publik" || jalur.starts_with("/publik/") || jalur.starts_with("/api/v1/publik/")
}

/// The rate limit of the public routes, as a layer of the whole application that acts on
/// their paths only: over it, 429 with `Retry-After` (SPEC §5's JSON error under `/api/`, a
/// page elsewhere).
pub async fn batasi(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if !jalur_publik(req.uri().path()) {
        return next.run(req).await;
    }
    let alamat = match req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
    {
        Some(axum::extract::ConnectInfo(peer)) => super::sesi::alamat_klien(&state, req.headers(), *peer),
        None => String::from("-"),
    };
    if let Err(e) = state.laju_publik.ambil(state.config.batas_publik, &alamat) {
        return if req.uri().path().starts_with("/api/") {
            crate::error::ApiError(e).into_response()
        } else {
            e.into_response()
        };
    }
    next.run(req).await
}

/// A response that pages of other origins may frame: only the widget of the public register.
/// The application's header layer reads this mark and relaxes `frame-ancestors` for it alone.
#[derive(Clone, Copy, Debug)]
pub struct BolehDibingkai;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tanggal_http_bolak_balik() {
        let t = 1_679_983_500;
        assert_eq!(tanggal_http(t), "Tue, 28 Mar 2023 06:05:00 GMT");
        assert_eq!(baca_tanggal_http(&tanggal_http(t)), Some(t));
    }

    #[test]
    fn ember_habis_lalu_menunggu() {
        let l = Laju::default();
        let b = BatasPublik {
            per_menit: 60,
            ledakan: 3,
        };
        for _ in 0..3 {
            assert!(l.ambil(b, "a").is_ok());
        }
        assert!(l.ambil(b, "a").is_err());
        assert!(l.ambil(b, "b").is_ok(), "another address has its own bucket");
    }

    #[test]
    fn etag_cocok() {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\", W/\"abc\""));
        assert!(masih_baru(&h, "\"abc\"", 10));
        assert!(!masih_baru(&h, "\"abd\"", 10));
    }
}
