//! The JSON API, `/api/v1` (SPEC §5). Every call but the token request needs
//! `Authorization: Bearer <token>`; data outside the caller's scope is answered 404.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::akun::masuk::{HasilMasuk, PESAN_SALAH, periksa_kredensial};
use crate::akun::sesi::{self, Token};
use crate::audit;
use crate::desa::{self, Desa, PosisiStruktur};
use crate::error::{AppError, HasilApi};
use crate::kernel::AppState;
use crate::kernel::sesi::alamat_klien;

pub mod kecamatan;

/// The OpenAPI document of every `/api/v1` route (kept beside the router; a test compares the
/// two).
pub const OPENAPI: &str = include_str!("openapi.json");

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}
pub mod laporan;
pub mod perangkat;

/// Reads a JSON body, answering a malformed one with SPEC §5's error shape: 400, or 422
/// naming the field whose value has the wrong type.
/// A Unix time as RFC 3339 (UTC), as the API writes times.
pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

pub fn baca_json<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    body.map(|Json(v)| v).map_err(|e| match e {
        JsonRejection::JsonDataError(d) => {
            // serde_path_to_error: "field: invalid type: …"
            let teks = d.body_text();
            let field = teks
                .split(": ")
                .skip(1)
                .map(str::trim)
                .find(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .map(str::to_string);
            match field {
                Some(f) => AppError::ValidasiDinamis(vec![(
                    f.clone(),
                    format!("Nilai {f} tidak sesuai jenis datanya (lihat dokumen API)."),
                )]),
                None => {
                    AppError::Permintaan("Isi JSON tidak sesuai bentuk yang diharapkan (lihat dokumen API).".into())
                }
            }
        }
        JsonRejection::MissingJsonContentType(_) => {
            AppError::Permintaan("Kirim isi permintaan sebagai JSON dengan Content-Type: application/json.".into())
        }
        _ => AppError::Permintaan("Isi permintaan harus JSON yang valid.".into()),
    })
}

#[derive(serde::Deserialize)]
pub struct InputToken {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// `POST /api/v1/auth/token` → `200 {"token","expires_at"}`; `401`; `429`.
pub async fn token(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    body: Result<Json<InputToken>, JsonRejection>,
) -> HasilApi<Response> {
    let input = baca_json(body)?;
    let alamat = alamat_klien(&state, &headers, addr);
    let id = match periksa_kredensial(
        &state.db,
        state.config.batas_masuk,
        state.clock.now(),
        &input.username,
        &input.password,
        &alamat,
    )
    .await?
    {
        HasilMasuk::Berhasil(id) => id,
        HasilMasuk::Salah | HasilMasuk::Nonaktif => {
            let body = json!({ "error": { "kode": "kredensial_salah", "pesan": PESAN_SALAH, "field": {} } });
            return Ok((StatusCode::UNAUTHORIZED, Json(body)).into_response());
        }
        HasilMasuk::Dibatasi(detik) => return Err(AppError::Dibatasi { detik }.into()),
    };
    let sekarang = state.clock.now();
    let (token, kedaluwarsa) = sesi::buat_token(&state.db, id, sekarang, state.config.batas_waktu.token).await?;
    let mut tx = state.db.begin().await?;
    let pelaku = audit::Pelaku {
        pengguna_id: Some(id),
        username: input.username.trim().to_string(),
    };
    audit::catat(
        &mut tx,
        sekarang,
        &pelaku,
        audit::Aksi::TokenDibuat,
        &format!("pengguna:{id}"),
        json!({ "alamat": alamat }),
    )
    .await?;
    tx.commit().await?;
    let expires_at = OffsetDateTime::from_unix_timestamp(kedaluwarsa)
        .map_err(anyhow::Error::from)?
        .format(&Rfc3339)
        .map_err(anyhow::Error::from)?;
    Ok(Json(json!({ "token": token, "expires_at": expires_at })).into_response())
}

/// `DELETE /api/v1/auth/token`: revokes the token used for this call.
pub async fn cabut_token(State(state): State<AppState>, t: Token) -> HasilApi<StatusCode> {
    sesi::cabut_token(&state.db, &t.akun, &t.token_hash, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub struct DesaJson {
    kode: String,
    nama: String,
    kecamatan: KodeNama,
    kabupaten: KodeNama,
    provinsi: KodeNama,
    sebutan_kepala_desa: String,
    sebutan_kepala_dusun: String,
    struktur: String,
    alamat_kop: String,
    jumlah_dusun: i64,
}

#[derive(Serialize)]
struct KodeNama {
    kode: String,
    nama: String,
}

impl From<Desa> for DesaJson {
    fn from(d: Desa) -> Self {
        DesaJson {
            kecamatan: KodeNama {
                kode: d.kecamatan_kode,
                nama: d.kecamatan_nama,
            },
            kabupaten: KodeNama {
                kode: d.kabupaten_kode,
                nama: d.kabupaten_nama,
            },
            provinsi: KodeNama {
                kode: d.provinsi_kode,
                nama: d.provinsi_nama,
            },
            kode: d.kode,
            nama: d.nama,
            sebutan_kepala_desa: d.sebutan_kepala_desa,
            sebutan_kepala_dusun: d.sebutan_kepala_dusun,
            struktur: d.struktur,
            alamat_kop: d.alamat_kop,
            jumlah_dusun: d.jumlah_dusun,
        }
    }
}

/// `GET /api/v1/desa` → the desa in the caller's scope.
pub async fn desa_daftar(State(state): State<AppState>, t: Token) -> HasilApi<Json<Vec<DesaJson>>> {
    let desa = desa::daftar(&state.db, &t.akun, "").await?;
    Ok(Json(desa.into_iter().map(DesaJson::from).collect()))
}

#[derive(Serialize)]
pub struct DesaDetailJson {
    #[serde(flatten)]
    desa: DesaJson,
    dusun: Vec<String>,
    susunan: Vec<PosisiStruktur>,
}

/// `GET /api/v1/desa/{kode}` → one desa with its dusun and structure; 404 outside the scope.
pub async fn desa_detail(
    State(state): State<AppState>,
    t: Token,
    Path(kode): Path<String>,
) -> HasilApi<Json<DesaDetailJson>> {
    let d = desa::ambil(&state.db, &t.akun, &kode).await?;
    let dusun = desa::dusun(&state.db, &d.kode).await?;
    let susunan = d.posisi(&dusun);
    Ok(Json(DesaDetailJson {
        desa: d.into(),
        dusun,
        susunan,
    }))
}
