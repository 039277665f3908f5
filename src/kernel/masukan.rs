//! Text a request brings in — its query string, a form body, a JSON body — holds no control
//! characters (issue 15, point 4). A NUL in a search reached SQLite's FTS5 parser as an
//! unterminated string (500), and PostgreSQL refuses NUL in text outright; other control
//! characters have no place in a register either. One layer in front of every route refuses
//! such a request with 400 and a message naming the field, as JSON on the API and as a page on
//! the web, before any handler or query sees it. Tab, line feed and carriage return stay
//! allowed (multi-line notes and addresses).

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, AppError};

/// Bodies this layer reads to check (forms and JSON; uploads are multipart and are not read
/// here). The same as axum's default body limit for those routes.
const BATAS_BADAN: usize = 2 * 1024 * 1024;

/// A character no text input may hold: C0 controls other than tab, LF and CR, DEL, C1 controls.
pub fn karakter_terlarang(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The message for a field holding a control character.
pub fn pesan(field: &str) -> String {
    format!(
        "Isian {field} berisi karakter kendali (misalnya NUL) yang tidak diizinkan. Hapus karakter itu, lalu kirim kembali."
    )
}

/// The first field (by name) of URL-encoded pairs whose name or value holds a control character.
fn cek_pasangan(b: &[u8]) -> Option<String> {
    // Undecodable input is left to the extractor, which answers 400 itself.
    let pasangan: Vec<(String, String)> = serde_urlencoded::from_bytes(b).ok()?;
    pasangan
        .into_iter()
        .find(|(k, v)| k.chars().chain(v.chars()).any(karakter_terlarang))
        .map(|(k, _)| k.chars().filter(|c| !karakter_terlarang(*c)).take(60).collect())
}

/// The first field of a JSON document holding a control character (the top-level key under
/// which it sits, or its own key).
fn cek_json(v: &serde_json::Value, field: Option<&str>) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => s
            .chars()
            .any(karakter_terlarang)
            .then(|| field.unwrap_or("(isi)").to_string()),
        Value::Array(a) => a.iter().find_map(|x| cek_json(x, field)),
        Value::Object(o) => o.iter().find_map(|(k, x)| {
            let nama = field.unwrap_or(k);
            if k.chars().any(karakter_terlarang) {
                Some(k.chars().filter(|c| !karakter_terlarang(*c)).take(60).collect())
            } else {
                cek_json(x, Some(nama))
            }
        }),
        _ => None,
    }
}

fn tolak(api: bool, field: String) -> Response {
    let pesan = pesan(&field);
    if api {
        // SPEC §5's error shape; the field map names the field, as validation errors do.
        let body = serde_json::json!({
            "error": { "kode": "permintaan_tidak_valid", "pesan": pesan, "field": { field: pesan } }
        });
        (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
    } else {
        AppError::Permintaan(pesan).into_response()
    }
}

/// The layer: refuses a request whose query string, form or JSON body holds a control character.
pub async fn tolak_karakter_kendali(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    if let Some(q) = req.uri().query()
        && let Some(f) = cek_pasangan(q.as_bytes())
    {
        return tolak(api, f);
    }
    let jenis = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.to_ascii_lowercase())
        .unwrap_or_default();
    let form = jenis.starts_with("application/x-www-form-urlencoded");
    let json = jenis.starts_with("application/json");
    if !form && !json {
        return next.run(req).await;
    }
    let (bagian, badan) = req.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(badan, BATAS_BADAN).await {
        Ok(b) => b,
        Err(_) => {
            let e = AppError::TerlaluBesar { batas: BATAS_BADAN };
            return if api {
                ApiError(e).into_response()
            } else {
                e.into_response()
            };
        }
    };
    let salah = if form {
        cek_pasangan(&bytes)
    } else {
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| cek_json(&v, None))
    };
    if let Some(f) = salah {
        return tolak(api, f);
    }
    next.run(Request::from_parts(bagian, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menemukan_karakter_kendali() {
        assert_eq!(cek_pasangan(b"cari=%00abc").as_deref(), Some("cari"));
        assert_eq!(cek_pasangan(b"a=1&nama=x%1By").as_deref(), Some("nama"));
        assert_eq!(cek_pasangan(b"catatan=baris%0Abaris%09tab%0D"), None);
        assert_eq!(cek_pasangan(b"nama=%C2%85"), Some("nama".into()));
        let v: serde_json::Value = serde_json::from_str(r#"{"nama":"a","calon":[{"nama":"b\u0000"}]}"#).unwrap();
        assert_eq!(cek_json(&v, None).as_deref(), Some("calon"));
        let v: serde_json::Value = serde_json::from_str(r#"{"alamat":"Jl. A\nRT 1"}"#).unwrap();
        assert_eq!(cek_json(&v, None), None);
    }
}
