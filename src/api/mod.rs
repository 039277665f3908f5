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

pub mod ekspor;
pub mod galat;
pub mod kecamatan;
pub mod laporan;
pub mod perangkat;
pub mod publik;
pub mod rekomendasi;
pub mod rute;

pub use rute::{dokumen, router};

use galat::{Dibatasi, PerluMasuk, TidakDitemukan, TidakValid};

/// The path parameter `{kode}` of a desa, in the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct KodeDesa {
    /// Kode wilayah desa, misalnya 63.11.02.2001
    kode: String,
}

/// The path parameter `{id}` of a record, in the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct Id {
    id: i64,
}

// A file in a response body (`type: string, format: binary`), in the OpenAPI document. (`//`:
// a doc comment would become the schema's description.)
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct Berkas(Vec<u8>);

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

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct InputToken {
    #[serde(default)]
    #[schema(required = true)]
    username: String,
    #[serde(default)]
    #[schema(required = true)]
    password: String,
}

// The answer of `POST /api/v1/auth/token`. Fields in alphabetical order: the order (and bytes)
// of the `json!` object this replaced.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Token)]
pub struct TokenJson {
    #[schema(format = DateTime)]
    expires_at: String,
    token: String,
}

/// `POST /api/v1/auth/token` → `200 {"token","expires_at"}`; `401`; `429`.
#[utoipa::path(
    post,
    path = "/api/v1/auth/token",
    operation_id = "token_buat",
    tag = "auth",
    summary = "Masuk: token API",
    security(()),
    request_body = InputToken,
    responses(
        (status = 200, description = "Token", body = TokenJson),
        TidakValid,
        PerluMasuk,
        Dibatasi,
    )
)]
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
    let (token, kedaluwarsa, dicabut) =
        sesi::buat_token(&state.db, id, sekarang, state.config.batas_waktu.token).await?;
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
        json!({ "alamat": alamat, "token_lama_dicabut": dicabut }),
    )
    .await?;
    tx.commit().await?;
    let expires_at = OffsetDateTime::from_unix_timestamp(kedaluwarsa)
        .map_err(anyhow::Error::from)?
        .format(&Rfc3339)
        .map_err(anyhow::Error::from)?;
    Ok(Json(TokenJson { expires_at, token }).into_response())
}

/// `DELETE /api/v1/auth/token`: revokes the token used for this call.
#[utoipa::path(
    delete,
    path = "/api/v1/auth/token",
    operation_id = "token_cabut",
    tag = "auth",
    summary = "Cabut token yang dipakai",
    responses((status = 204, description = "Dicabut"), PerluMasuk)
)]
pub async fn cabut_token(State(state): State<AppState>, t: Token) -> HasilApi<StatusCode> {
    sesi::cabut_token(&state.db, &t.akun, &t.token_hash, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Desa)]
pub struct DesaJson {
    kode: String,
    nama: String,
    kecamatan: KodeNama,
    kabupaten: KodeNama,
    provinsi: KodeNama,
    sebutan_kepala_desa: String,
    sebutan_kepala_dusun: String,
    #[schema(schema_with = skema_struktur)]
    struktur: String,
    alamat_kop: String,
    jumlah_dusun: i64,
}

/// The OpenAPI schema of a desa's `struktur`.
fn skema_struktur() -> utoipa::openapi::schema::Object {
    use crate::desa::jabatan::Struktur;
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some([Struktur::Lengkap, Struktur::Sederhana].map(Struktur::kode)))
        .build()
}

#[derive(Serialize, utoipa::ToSchema)]
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
#[utoipa::path(
    get,
    path = "/api/v1/desa",
    operation_id = "desa_daftar",
    tag = "desa",
    summary = "Desa dalam cakupan pemanggil",
    responses((status = 200, description = "Desa", body = Vec<DesaJson>), PerluMasuk)
)]
pub async fn desa_daftar(State(state): State<AppState>, t: Token) -> HasilApi<Json<Vec<DesaJson>>> {
    let desa = desa::daftar(&state.db, &t.akun, "").await?;
    Ok(Json(desa.into_iter().map(DesaJson::from).collect()))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = DesaDetail)]
pub struct DesaDetailJson {
    #[serde(flatten)]
    desa: DesaJson,
    dusun: Vec<String>,
    susunan: Vec<PosisiStruktur>,
}

/// `GET /api/v1/desa/{kode}` → one desa with its dusun and structure; 404 outside the scope.
#[utoipa::path(
    get,
    path = "/api/v1/desa/{kode}",
    operation_id = "desa_ambil",
    tag = "desa",
    summary = "Satu desa dengan dusun dan susunannya",
    params(KodeDesa),
    responses((status = 200, description = "Desa", body = DesaDetailJson), PerluMasuk, TidakDitemukan)
)]
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
