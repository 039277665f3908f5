//! The public register as open data (issue 19; SPEC §5 "Public, no token"): a desa's structure
//! and a kecamatan's desa as JSON, with `ETag` / `Last-Modified` for cheap polling, and the
//! switch of a kecamatan's register (behind a token, for the kecamatan and the admin).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::galat::{Dibatasi, IsianSalah, PerluMasuk, Terlarang, TidakDitemukan};
use super::{KodeDesa, baca_json, rfc3339};
use crate::akun::sesi::Token;
use crate::error::{AppError, HasilApi};
use crate::kernel::AppState;
use crate::kernel::publik::{jawab, masih_baru};
use crate::publik::{self, Posisi, RingkasDesa};

const JSON: &str = "application/json";

/// A desa's public register.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = RegisterDesaPublik)]
pub struct DesaPublikJson<'a> {
    kode: &'a str,
    nama: &'a str,
    kecamatan_kode: &'a str,
    kecamatan_nama: &'a str,
    kabupaten_nama: &'a str,
    provinsi_nama: &'a str,
    sebutan_kepala_desa: &'a str,
    /// Every position of the structure in its order (then those outside it), each with its holders.
    posisi: &'a [Posisi],
    jumlah_pejabat: usize,
    jumlah_lowong: usize,
    /// When the public data last changed (RFC 3339).
    diperbarui: String,
    /// The page of this register.
    tautan: String,
}

/// A kecamatan's public register.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = RegisterKecamatanPublik)]
pub struct KecamatanPublikJson<'a> {
    kode: &'a str,
    nama: &'a str,
    kabupaten_nama: &'a str,
    provinsi_nama: &'a str,
    desa: &'a [RingkasDesa],
    jumlah_pejabat: usize,
    jumlah_lowong: usize,
    diperbarui: String,
    tautan: String,
}

fn jadi_json<T: Serialize>(v: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(v).map_err(|e| AppError::Internal(e.into()))
}

/// `GET /api/v1/publik/desa/{kode}`.
#[utoipa::path(
    get,
    path = "/api/v1/publik/desa/{kode}",
    operation_id = "publik_desa",
    tag = "publik",
    summary = "Register publik sebuah desa (tanpa token)",
    description = "Susunan perangkat desa yang sudah tersimpan: jabatan, pemegangnya (gelar, nama, definitif/Plt/Pj/Plh, sejak bulan dan tahun TMT), jabatan kosong. Tanpa NIK, NIP, tanggal lahir, alamat, nomor HP, agama, catatan atau dokumen. Kirim If-None-Match dengan ETag terakhir: 304 bila tidak berubah. 404 selama kecamatannya belum membuka register publik.",
    security(()),
    params(KodeDesa),
    responses(
        (status = 200, description = "Register desa", body = DesaPublikJson,
            headers(("ETag" = String, description = "Versi data"), ("Last-Modified" = String, description = "Perubahan terakhir"))),
        (status = 304, description = "Tidak berubah sejak ETag yang dikirim"),
        TidakDitemukan,
        Dibatasi,
    )
)]
pub async fn desa(State(state): State<AppState>, kepala: HeaderMap, Path(kode): Path<String>) -> HasilApi<Response> {
    let r = publik::desa(&state.db, &state.publik, &kode)
        .await?
        .ok_or(AppError::TidakDitemukan)?;
    if masih_baru(&kepala, &r.etag, r.diperbarui) {
        return Ok(jawab(&kepala, &r.etag, r.diperbarui, JSON, ""));
    }
    let isi = jadi_json(&DesaPublikJson {
        kode: &r.kode,
        nama: &r.nama,
        kecamatan_kode: &r.kecamatan_kode,
        kecamatan_nama: &r.kecamatan_nama,
        kabupaten_nama: &r.kabupaten_nama,
        provinsi_nama: &r.provinsi_nama,
        sebutan_kepala_desa: &r.sebutan_kepala_desa,
        posisi: &r.posisi,
        jumlah_pejabat: r.jumlah_pejabat,
        jumlah_lowong: r.jumlah_lowong,
        diperbarui: rfc3339(r.diperbarui),
        tautan: format!("/publik/desa/{}", r.kode),
    })?;
    Ok(jawab(&kepala, &r.etag, r.diperbarui, JSON, isi))
}

/// The path parameter `{kode}` of a kecamatan, in the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct KodeKecamatan {
    /// Kode wilayah kecamatan, misalnya 63.11.02
    kode: String,
}

/// `GET /api/v1/publik/kecamatan/{kode}`.
#[utoipa::path(
    get,
    path = "/api/v1/publik/kecamatan/{kode}",
    operation_id = "publik_kecamatan",
    tag = "publik",
    summary = "Register publik sebuah kecamatan (tanpa token)",
    description = "Desa-desa kecamatan dengan jumlah perangkat aktif, jumlah dan nama jabatan kosong, dan Kepala Desanya. ETag dan If-None-Match seperti register desa. 404 selama register publik kecamatan belum dibuka.",
    security(()),
    params(KodeKecamatan),
    responses(
        (status = 200, description = "Register kecamatan", body = KecamatanPublikJson,
            headers(("ETag" = String, description = "Versi data"), ("Last-Modified" = String, description = "Perubahan terakhir"))),
        (status = 304, description = "Tidak berubah sejak ETag yang dikirim"),
        TidakDitemukan,
        Dibatasi,
    )
)]
pub async fn kecamatan(
    State(state): State<AppState>,
    kepala: HeaderMap,
    Path(kode): Path<String>,
) -> HasilApi<Response> {
    let r = publik::kecamatan(&state.db, &state.publik, &kode)
        .await?
        .ok_or(AppError::TidakDitemukan)?;
    if masih_baru(&kepala, &r.etag, r.diperbarui) {
        return Ok(jawab(&kepala, &r.etag, r.diperbarui, JSON, ""));
    }
    let isi = jadi_json(&KecamatanPublikJson {
        kode: &r.kode,
        nama: &r.nama,
        kabupaten_nama: &r.kabupaten_nama,
        provinsi_nama: &r.provinsi_nama,
        desa: &r.desa,
        jumlah_pejabat: r.jumlah_pejabat,
        jumlah_lowong: r.jumlah_lowong,
        diperbarui: rfc3339(r.diperbarui),
        tautan: format!("/publik/kecamatan/{}", r.kode),
    })?;
    Ok(jawab(&kepala, &r.etag, r.diperbarui, JSON, isi))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct InputRegisterPublik {
    /// `true` membuka register publik kecamatan, `false` menutupnya.
    aktif: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegisterPublikJson {
    kode: String,
    aktif: bool,
}

/// `GET /api/v1/kecamatan/{kode}/register-publik`.
#[utoipa::path(
    get,
    path = "/api/v1/kecamatan/{kode}/register-publik",
    operation_id = "register_publik_baca",
    tag = "publik",
    summary = "Apakah register publik kecamatan terbuka",
    params(KodeKecamatan),
    responses((status = 200, description = "Keadaan", body = RegisterPublikJson), PerluMasuk, Terlarang, TidakDitemukan)
)]
pub async fn register_baca(
    State(state): State<AppState>,
    t: Token,
    Path(kode): Path<String>,
) -> HasilApi<Json<RegisterPublikJson>> {
    publik::boleh_atur(&t.akun, &kode)?;
    Ok(Json(RegisterPublikJson {
        aktif: publik::aktif(&state.db, &kode).await?,
        kode,
    }))
}

/// `PUT /api/v1/kecamatan/{kode}/register-publik`.
#[utoipa::path(
    put,
    path = "/api/v1/kecamatan/{kode}/register-publik",
    operation_id = "register_publik_atur",
    tag = "publik",
    summary = "Buka atau tutup register publik kecamatan (kecamatan, admin)",
    params(KodeKecamatan),
    request_body = InputRegisterPublik,
    responses((status = 200, description = "Keadaan baru", body = RegisterPublikJson), PerluMasuk, Terlarang, TidakDitemukan, IsianSalah)
)]
pub async fn register_atur(
    State(state): State<AppState>,
    t: Token,
    Path(kode): Path<String>,
    body: Result<Json<InputRegisterPublik>, JsonRejection>,
) -> HasilApi<Json<RegisterPublikJson>> {
    publik::boleh_atur(&t.akun, &kode)?;
    let input = baca_json(body)?;
    publik::atur(&state.db, &t.akun, &kode, input.aktif, state.clock.now()).await?;
    Ok(Json(RegisterPublikJson {
        kode,
        aktif: input.aktif,
    }))
}
