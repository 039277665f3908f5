//! The kecamatan side in the JSON API: the change feed a kabupaten system pulls from
//! (`GET /api/v1/sinkronisasi?sejak=CURSOR`), the dashboard's figures, and the verification of a
//! saved record.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};

use super::{baca_json, rfc3339};
use crate::akun::izin::{self, Tindakan};
use crate::akun::sesi::Token;
use crate::error::{AppError, HasilApi};
use crate::id::PerangkatId;
use crate::kecamatan::{self, Dasbor};
use crate::kernel::AppState;
use crate::kernel::hari_ini;
use crate::perangkat::data::{Data, iso};
use crate::perangkat::verifikasi::{self, StatusVerifikasi};

#[derive(Deserialize, Default)]
pub struct Sejak {
    #[serde(default)]
    sejak: Option<String>,
    #[serde(default)]
    batas: Option<String>,
}

/// One record of the feed, in its saved state.
#[derive(Serialize)]
pub struct PerubahanJson {
    /// Position in the feed (increasing).
    pub urutan: i64,
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

#[derive(Serialize)]
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
pub async fn dasbor(State(state): State<AppState>, t: Token) -> HasilApi<Json<Dasbor>> {
    if !izin::boleh_peran(t.akun.peran, Tindakan::LihatDasbor) {
        return Err(AppError::Terlarang.into());
    }
    let w = kecamatan::muat(&state.db, &t.akun, None).await?;
    Ok(Json(kecamatan::dasbor(&w, hari_ini(&state))))
}

#[derive(Deserialize)]
pub struct InputVerifikasi {
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
