//! Downloads of the register: `/ekspor/perangkat.xlsx|csv?desa=KODE` (web session; the same
//! under `/api/v1/ekspor/` with a token is in `api::ekspor`). `desa` may be any region code
//! inside the user's scope (a desa, a kecamatan, …); without it: the user's whole scope.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::akun::Akun;
use crate::akun::sesi::Sesi;
use crate::app::AppState;
use crate::error::{AppError, Hasil};
use crate::laporan::ekspor;

#[derive(serde::Deserialize, Default)]
pub struct Pilih {
    #[serde(default)]
    desa: Option<String>,
}

#[derive(Clone, Copy)]
pub enum Format {
    Xlsx,
    Csv,
}

/// The export as a download (scoped, saved data only, audited).
pub async fn unduh(state: &AppState, akun: &Akun, desa: Option<&str>, format: Format) -> Hasil<Response> {
    let desa = desa.filter(|d| !d.is_empty());
    let baris = ekspor::ambil(&state.db, akun, desa).await?;
    let dasar = match (desa, baris.first()) {
        (Some(k), Some(b)) if k.len() == 13 => format!("perangkat-desa-{}", crate::demo::slug(&b.desa.nama)),
        (Some(k), _) => format!("perangkat-{}", k.replace('.', "")),
        (None, _) if akun.cakupan.is_empty() => "perangkat-semua".to_string(),
        (None, _) => format!("perangkat-{}", akun.cakupan.replace('.', "")),
    };
    let jumlah = baris.len();
    let (isi, jenis, ext) = match format {
        Format::Xlsx => {
            let judul = format!("Perangkat desa — {dasar}");
            let isi = tokio::task::spawn_blocking(move || ekspor::xlsx(&baris, &judul))
                .await
                .map_err(|e| AppError::Internal(e.into()))??;
            (
                isi,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            )
        }
        Format::Csv => {
            let isi = tokio::task::spawn_blocking(move || ekspor::csv(&baris).into_bytes())
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            (isi, "text/csv; charset=utf-8", "csv")
        }
    };
    ekspor::catat(&state.db, akun, ext, desa, jumlah, state.clock.now()).await?;
    let mut r = isi.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(jenis));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{dasar}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

pub async fn xlsx(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Pilih>) -> Hasil<Response> {
    unduh(&state, &sesi.akun, q.desa.as_deref(), Format::Xlsx).await
}

pub async fn csv(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Pilih>) -> Hasil<Response> {
    unduh(&state, &sesi.akun, q.desa.as_deref(), Format::Csv).await
}
