//! The kecamatan side in the JSON API: the change feed a kabupaten system pulls from
//! (`GET /api/v1/sinkronisasi?sejak=CURSOR`), the dashboard's figures, the verification of a
//! saved record, and the recap as XLSX or PDF.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::galat::{IsianSalah, Konflik, PerluMasuk, Terlarang, TidakDitemukan, TidakValid};
use super::{Berkas, Id, baca_json, rfc3339};
use crate::akun::izin::{self, Tindakan};
use crate::akun::sesi::Token;
use crate::error::{AppError, HasilApi};
use crate::id::PerangkatId;
use crate::kecamatan::{self, Dasbor};
use crate::kernel::AppState;
use crate::kernel::hari_ini;
use crate::perangkat::data::{Data, iso};
use crate::perangkat::verifikasi::{self, StatusVerifikasi};

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Sejak {
    /// Kursor dari jawaban sebelumnya; kosong = dari awal
    #[serde(default)]
    sejak: Option<String>,
    /// Banyak perubahan paling banyak (bawaan 500).
    #[serde(default)]
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000)]
    batas: Option<String>,
}

/// One record of the feed, in its saved state.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = PerubahanSinkron)]
pub struct PerubahanJson {
    /// Position in the feed (increasing).
    pub urutan: i64,
    #[schema(format = DateTime)]
    pub waktu: String,
    pub id: i64,
    pub desa_kode: String,
    pub versi: i64,
    #[serde(flatten)]
    pub data: Data,
    pub aktif: bool,
    pub akhir_masa_jabatan: Option<String>,
    pub terverifikasi: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Umpan {
    pub perubahan: Vec<PerubahanJson>,
    /// Give it back as `sejak` to continue after the last change returned.
    pub cursor: String,
    /// True when more changes wait beyond this page.
    pub lanjut: bool,
}

/// `GET /api/v1/sinkronisasi?sejak=CURSOR&batas=N` (kecamatan, kabupaten, admin): every change of
/// saved data in the caller's scope after the cursor, in order; a record changed several times
/// appears once, at its latest change. `400` for a malformed cursor.
#[utoipa::path(
    get,
    path = "/api/v1/sinkronisasi",
    operation_id = "sinkronisasi",
    tag = "kecamatan",
    summary = "Umpan perubahan data tersimpan",
    params(Sejak),
    responses(
        (status = 200, description = "Perubahan", body = Umpan),
        TidakValid,
        PerluMasuk,
        Terlarang,
        IsianSalah,
    )
)]
pub async fn sinkronisasi(State(state): State<AppState>, t: Token, Query(q): Query<Sejak>) -> HasilApi<Json<Umpan>> {
    if !izin::boleh_peran(t.akun.peran, Tindakan::LihatDasbor) {
        return Err(AppError::Terlarang.into());
    }
    let sejak = kecamatan::baca_kursor(q.sejak.as_deref())?;
    let batas = match q.batas.as_deref().map(str::trim) {
        None | Some("") => 500,
        Some(b) => b
            .parse::<i64>()
            .ok()
            .filter(|b| (1..=1000).contains(b))
            .ok_or_else(|| AppError::Validasi(vec![("batas", "batas harus angka 1 sampai 1000.".into())]))?,
    };
    let rows = kecamatan::perubahan(&state.db, &t.akun, sejak, batas + 1).await?;
    let lanjut = rows.len() as i64 > batas;
    let perubahan: Vec<PerubahanJson> = rows
        .into_iter()
        .take(batas as usize)
        .map(|p| PerubahanJson {
            urutan: p.urutan,
            waktu: rfc3339(p.waktu),
            id: p.perangkat_id,
            desa_kode: p.desa_kode,
            versi: p.versi,
            aktif: p.data.aktif(),
            akhir_masa_jabatan: p.data.akhir_masa_jabatan().map(iso),
            terverifikasi: p.verifikasi_pada.is_some(),
            data: p.data.untuk(&t.akun),
        })
        .collect();
    let cursor = kecamatan::kursor(perubahan.last().map(|p| p.urutan).unwrap_or(sejak));
    Ok(Json(Umpan {
        perubahan,
        cursor,
        lanjut,
    }))
}

/// `GET /api/v1/dasbor`: the dashboard's figures per desa, totals and chart data.
#[utoipa::path(
    get,
    path = "/api/v1/dasbor",
    operation_id = "dasbor",
    tag = "kecamatan",
    summary = "Angka dasbor kecamatan",
    responses((status = 200, description = "Dasbor", body = Dasbor), PerluMasuk, Terlarang)
)]
pub async fn dasbor(State(state): State<AppState>, t: Token) -> HasilApi<Json<Dasbor>> {
    if !izin::boleh_peran(t.akun.peran, Tindakan::LihatDasbor) {
        return Err(AppError::Terlarang.into());
    }
    let w = kecamatan::muat(&state.db, &t.akun, None).await?;
    Ok(Json(kecamatan::dasbor(&w, hari_ini(&state))))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct InputVerifikasi {
    #[schema(value_type = bool, required = true)]
    terverifikasi: Option<bool>,
    #[serde(default)]
    catatan: String,
    /// The saved version the caller looked at (optional; a newer one is `409`).
    #[serde(default)]
    versi: Option<i64>,
}

/// `POST /api/v1/perangkat/{id}/verifikasi` (kecamatan, admin): `{"terverifikasi":true}` marks
/// the saved record verified; `{"terverifikasi":false,"catatan":"…"}` returns it to the desa;
/// with `versi` (the saved version looked at) a newer version is refused with `409`.
#[utoipa::path(
    post,
    path = "/api/v1/perangkat/{id}/verifikasi",
    operation_id = "perangkat_verifikasi",
    tag = "kecamatan",
    summary = "Verifikasi kecamatan atau kembalikan ke desa",
    params(Id),
    request_body = InputVerifikasi,
    responses(
        (status = 200, description = "Status verifikasi", body = StatusVerifikasi),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn verifikasi(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<PerangkatId>,
    body: Result<Json<InputVerifikasi>, JsonRejection>,
) -> HasilApi<Json<StatusVerifikasi>> {
    verifikasi::boleh_diverifikasi(&state.db, &t.akun, id).await?;
    let input = baca_json(body)?;
    let v = input.terverifikasi.ok_or_else(|| {
        AppError::Validasi(vec![(
            "terverifikasi",
            "Isi terverifikasi dengan true (verifikasi) atau false (kembalikan ke desa dengan catatan).".into(),
        )])
    })?;
    Ok(Json(
        verifikasi::verifikasi(
            &state.db,
            &t.akun,
            id,
            v,
            &input.catatan,
            input.versi,
            state.clock.now(),
        )
        .await?,
    ))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PilihWilayah {
    /// Kode wilayah di dalam cakupan
    #[serde(default)]
    wilayah: Option<String>,
}

/// `GET /api/v1/rekap.xlsx?wilayah=KODE`: the recap of the caller's scope (or of a region in
/// it) as a spreadsheet.
#[utoipa::path(
    get,
    path = "/api/v1/rekap.xlsx",
    operation_id = "rekap_xlsx",
    tag = "kecamatan",
    summary = "Rekapitulasi (XLSX)",
    params(PilihWilayah),
    responses(
        (status = 200, description = "XLSX", body = inline(Berkas),
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
    )
)]
pub async fn rekap_xlsx(State(state): State<AppState>, t: Token, Query(q): Query<PilihWilayah>) -> HasilApi<Response> {
    Ok(crate::kernel::unduhan::rekap(&state, &t.akun, q.wilayah.as_deref(), false).await?)
}

/// `GET /api/v1/rekap.pdf?wilayah=KODE`: the same recap as a PDF.
#[utoipa::path(
    get,
    path = "/api/v1/rekap.pdf",
    operation_id = "rekap_pdf",
    tag = "kecamatan",
    summary = "Rekapitulasi (PDF)",
    params(PilihWilayah),
    responses(
        (status = 200, description = "PDF", body = inline(Berkas), content_type = "application/pdf"),
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
    )
)]
pub async fn rekap_pdf(State(state): State<AppState>, t: Token, Query(q): Query<PilihWilayah>) -> HasilApi<Response> {
    Ok(crate::kernel::unduhan::rekap(&state, &t.akun, q.wilayah.as_deref(), true).await?)
}
