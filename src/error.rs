//! One error type for the application. Web handlers render it as an HTML page; API handlers
//! wrap it in [`ApiError`], which renders SPEC §5's JSON shape
//! `{"error":{"kode","pesan","field":{…}}}`.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Field name → message, in the order the fields appear on the form.
pub type FieldErrors = Vec<(&'static str, String)>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("tidak ditemukan")]
    TidakDitemukan,
    /// Not found, with a message that says what to do (an expired import preview).
    #[error("{0}")]
    TidakDitemukanPesan(String),
    #[error("tidak berwenang")]
    Terlarang,
    #[error("perlu masuk")]
    PerluMasuk,
    #[error("{0}")]
    Permintaan(String),
    #[error("data tidak valid")]
    Validasi(FieldErrors),
    /// Like `Validasi`, for field names known only at run time (a client's JSON key).
    #[error("data tidak valid")]
    ValidasiDinamis(Vec<(String, String)>),
    #[error("{0}")]
    Konflik(String),
    #[error("terlalu banyak percobaan")]
    Dibatasi { detik: i64 },
    #[error("berkas terlalu besar")]
    TerlaluBesar { batas: usize },
    #[error("jenis berkas tidak diterima")]
    JenisTidakDiterima,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
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

    pub fn kode(&self) -> &'static str {
        match self {
            AppError::TidakDitemukan | AppError::TidakDitemukanPesan(_) => "tidak_ditemukan",
            AppError::Terlarang => "terlarang",
            AppError::PerluMasuk => "perlu_masuk",
            AppError::Permintaan(_) => "permintaan_tidak_valid",
            AppError::Validasi(_) | AppError::ValidasiDinamis(_) => "validasi",
            AppError::Konflik(_) => "konflik",
            AppError::Dibatasi { .. } => "terlalu_banyak_percobaan",
            AppError::TerlaluBesar { .. } => "berkas_terlalu_besar",
            AppError::JenisTidakDiterima => "jenis_berkas_tidak_diterima",
            AppError::Internal(_) => "kesalahan_server",
        }
    }

    /// The message for a person, in Bahasa Indonesia.
    pub fn pesan(&self) -> String {
        match self {
            AppError::TidakDitemukan => "Halaman atau data yang diminta tidak ditemukan.".into(),
            AppError::Terlarang => "Anda tidak berwenang membuka atau mengubah data ini.".into(),
            AppError::PerluMasuk => "Silakan masuk terlebih dahulu.".into(),
            AppError::Permintaan(m) | AppError::Konflik(m) | AppError::TidakDitemukanPesan(m) => m.clone(),
            AppError::Validasi(f) => match f.as_slice() {
                [(_, m)] => m.clone(),
                _ => "Beberapa isian belum benar. Periksa pesan pada setiap isian.".into(),
            },
            AppError::ValidasiDinamis(f) => match f.as_slice() {
                [(_, m)] => m.clone(),
                _ => "Beberapa isian belum benar. Periksa pesan pada setiap isian.".into(),
            },
            AppError::Dibatasi { detik } => format!(
                "Terlalu banyak percobaan. Coba lagi dalam {} menit.",
                crate::waktu::menit(*detik)
            ),
            AppError::TerlaluBesar { batas } => format!(
                "Berkas terlalu besar: paling besar {} MB. Pindai dengan resolusi lebih rendah (150–200 dpi cukup).",
                batas / (1024 * 1024)
            ),
            AppError::JenisTidakDiterima => {
                "Berkas harus PDF, JPEG atau PNG (dinilai dari isinya, bukan dari namanya).".into()
            }
            AppError::Internal(_) => {
                "Terjadi kesalahan pada server. Data Anda tidak berubah; silakan coba lagi.".into()
            }
        }
    }

    fn log(&self) {
        if let AppError::Internal(e) = self {
            tracing::error!(error = %e, "internal error");
        }
    }
}

/// Renders the error as a small HTML page (web routes).
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let mut resp = crate::web::halaman_galat(status, &self.pesan()).into_response();
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

/// The API's rendering of [`AppError`].
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
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

pub type Hasil<T> = Result<T, AppError>;
pub type HasilApi<T> = Result<T, ApiError>;
