//! Reports in the JSON API (SPEC §5): print a desa's Buku Aparat, fetch its PDF, and the Kepala
//! Desa's answer.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::baca_json;
use crate::akun::sesi::Token;
use crate::app::AppState;
use crate::error::{AppError, HasilApi};
use crate::laporan::arsip::{self, Laporan, Tanggapan};
use crate::laporan::buku_aparat::PilihPenanda;
use crate::web::laporan::{alamat_dasar, respon_pdf};
use crate::web::perangkat::hari_ini;

/// A report as the API shows it.
#[derive(Serialize)]
pub struct LaporanJson {
    pub id: i64,
    pub nomor: String,
    pub desa_kode: String,
    pub desa_nama: String,
    pub periode: i64,
    pub status: String,
    pub sha256: String,
    pub ukuran: i64,
    pub dibuat_pada: String,
    pub dibuat_oleh: String,
    pub ditanggapi_pada: Option<String>,
    pub ditanggapi_oleh: Option<String>,
    pub catatan: String,
    pub kode_verifikasi: Option<String>,
    pub sha256_diterima: Option<String>,
    pub pdf: String,
}

fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

impl From<Laporan> for LaporanJson {
    fn from(l: Laporan) -> Self {
        LaporanJson {
            pdf: format!("/api/v1/laporan/{}/pdf", l.id),
            kode_verifikasi: l.kode_tampil(),
            ditanggapi_pada: l.ditanggapi_pada.map(rfc3339),
            ditanggapi_oleh: (!l.ditanggapi_oleh.is_empty()).then_some(l.ditanggapi_oleh),
            dibuat_pada: rfc3339(l.dibuat_pada),
            id: l.id,
            nomor: l.nomor,
            desa_kode: l.desa_kode,
            desa_nama: l.desa_nama,
            periode: l.periode,
            status: l.status,
            sha256: l.sha256,
            ukuran: l.ukuran,
            dibuat_oleh: l.dibuat_oleh,
            catatan: l.catatan,
            sha256_diterima: l.sha256_diterima,
        }
    }
}

#[derive(Deserialize, Default)]
pub struct InputCetak {
    /// The period (year); this year when absent.
    #[serde(default)]
    tahun: Option<i32>,
    #[serde(default, flatten)]
    penanda: PilihPenanda,
}

/// `POST /api/v1/desa/{kode}/laporan` (operator): prints the Buku Aparat → `201`. An empty body
/// prints this year's book with the default signers.
pub async fn buat(
    State(state): State<AppState>,
    t: Token,
    Path(kode): Path<String>,
    body: Bytes,
) -> HasilApi<Response> {
    let input: InputCetak = if body.iter().all(u8::is_ascii_whitespace) {
        InputCetak::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => AppError::Permintaan(
                "Isi JSON tidak sesuai: tahun berupa angka, penanda_kiri dan penanda_kanan berupa id perangkat.".into(),
            ),
            _ => AppError::Permintaan("Isi permintaan harus JSON yang valid.".into()),
        })?
    };
    let hari = hari_ini(&state);
    let tahun = arsip::periksa_tahun(input.tahun.map(|t| t.to_string()).as_deref(), hari)?;
    let l = arsip::buat(
        &state.db,
        &state.simpanan,
        &t.akun,
        &kode,
        tahun,
        input.penanda,
        hari,
        state.clock.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(LaporanJson::from(l))).into_response())
}

/// `GET /api/v1/desa/{kode}/laporan`: the desa's reports, newest first.
pub async fn daftar(
    State(state): State<AppState>,
    t: Token,
    Path(kode): Path<String>,
) -> HasilApi<Json<Vec<LaporanJson>>> {
    crate::desa::ambil(&state.db, &t.akun, &kode).await?;
    let rows = arsip::daftar(&state.db, &t.akun, Some(&kode), 500).await?;
    Ok(Json(rows.into_iter().map(LaporanJson::from).collect()))
}

/// `GET /api/v1/laporan/{id}`.
pub async fn ambil(State(state): State<AppState>, t: Token, Path(id): Path<i64>) -> HasilApi<Json<LaporanJson>> {
    Ok(Json(arsip::ambil(&state.db, &t.akun, id).await?.into()))
}

/// `GET /api/v1/laporan/{id}/pdf`: the stored PDF (the receipted one once accepted).
pub async fn pdf(State(state): State<AppState>, t: Token, Path(id): Path<i64>) -> HasilApi<Response> {
    let (l, isi) = arsip::pdf(&state.db, &state.simpanan, &t.akun, id, state.clock.now()).await?;
    Ok(respon_pdf(isi, &format!("laporan-{}.pdf", l.id)))
}

#[derive(Deserialize)]
pub struct InputTanggapan {
    diterima: Option<bool>,
    #[serde(default)]
    catatan: String,
}

/// `POST /api/v1/laporan/{id}/penerimaan` (the Kepala Desa of that desa):
/// `{"diterima":true|false,"catatan"}` → `200`; `422` a rejection without a note; `409` when
/// already answered.
pub async fn tanggapi(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Result<Json<InputTanggapan>, JsonRejection>,
) -> HasilApi<Json<LaporanJson>> {
    let input = baca_json(body)?;
    let diterima = input.diterima.ok_or_else(|| {
        AppError::Validasi(vec![(
            "diterima",
            "Isi diterima dengan true (diterima) atau false (ditolak).".into(),
        )])
    })?;
    let alamat = alamat_dasar(&state, &headers);
    let tanggapan = Tanggapan {
        diterima,
        catatan: &input.catatan,
        alamat_dasar: &alamat,
        zona: state.instansi.zona,
    };
    let l = arsip::tanggapi(&state.db, &state.simpanan, &t.akun, id, tanggapan, state.clock.now()).await?;
    Ok(Json(l.into()))
}
