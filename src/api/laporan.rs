//! Reports in the JSON API (SPEC §5): print a desa's Buku Aparat, fetch its PDF, and the Kepala
//! Desa's answer.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::galat::{IsianSalah, Konflik, PerluMasuk, Terlarang, TidakDitemukan, TidakValid};
use super::{Berkas, Id, KodeDesa, baca_json, rfc3339};
use crate::akun::sesi::Token;
use crate::error::{AppError, HasilApi};
use crate::id::{LaporanId, PerangkatId};
use crate::kernel::AppState;
use crate::kernel::berkas::respon_pdf;
use crate::kernel::{alamat_dasar, hari_ini};
use crate::kode::Kode;
use crate::laporan::arsip::{self, Laporan, Tanggapan};
use crate::laporan::buku_aparat::PilihPenanda;

/// The OpenAPI schema of a report's `status` (the codes of [`arsip::StatusLaporan`]).
fn skema_status_laporan() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["menunggu", "diterima", "ditolak", "diganti"]))
        .build()
}

/// A report as the API shows it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Laporan)]
pub struct LaporanJson {
    #[schema(value_type = i64)]
    pub id: LaporanId,
    #[schema(example = "001/BAPD/63.11.02.2001/2026")]
    pub nomor: String,
    pub desa_kode: String,
    pub desa_nama: String,
    pub periode: i64,
    #[schema(schema_with = skema_status_laporan)]
    pub status: String,
    pub sha256: String,
    pub ukuran: i64,
    #[schema(format = DateTime)]
    pub dibuat_pada: String,
    pub dibuat_oleh: String,
    #[schema(format = DateTime)]
    pub ditanggapi_pada: Option<String>,
    pub ditanggapi_oleh: Option<String>,
    pub catatan: String,
    pub kode_verifikasi: Option<String>,
    pub sha256_diterima: Option<String>,
    pub pdf: String,
    /// The report that replaced this one (status `diganti`): printed again while this one
    /// waited for the Kepala Desa.
    #[schema(value_type = Option<i64>)]
    pub diganti_oleh: Option<LaporanId>,
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
            status: l.status.kode().into(),
            sha256: l.sha256,
            ukuran: l.ukuran,
            dibuat_oleh: l.dibuat_oleh,
            catatan: l.catatan,
            sha256_diterima: l.sha256_diterima,
            diganti_oleh: l.diganti_oleh,
        }
    }
}

// The optional body of `POST /api/v1/desa/{kode}/laporan`, in the OpenAPI document (read by
// `baca_cetak`, which names each wrong field).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct InputCetak {
    /// Tahun Buku Aparat; bawaan tahun ini.
    tahun: Option<i64>,
    /// Id perangkat penanda tangan kiri; bawaan menurut susunan.
    penanda_kiri: Option<i64>,
    /// Id perangkat penanda tangan kanan; bawaan Kepala Desa.
    penanda_kanan: Option<i64>,
}

/// Reads the optional body `{"tahun","penanda_kiri","penanda_kanan"}`: each field checked and
/// named when wrong.
fn baca_cetak(body: &[u8]) -> Result<(Option<String>, PilihPenanda), AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok((None, PilihPenanda::default()));
    }
    let v: serde_json::Value = serde_json::from_slice(body)
        .map_err(|_| AppError::Permintaan("Isi permintaan harus JSON yang valid.".into()))?;
    let Some(o) = v.as_object() else {
        return Err(AppError::Permintaan(
            "Isi permintaan harus objek JSON: {\"tahun\", \"penanda_kiri\", \"penanda_kanan\"}.".into(),
        ));
    };
    let tahun = match o.get("tahun") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) if n.is_i64() => Some(n.to_string()),
        Some(_) => {
            return Err(AppError::Validasi(vec![(
                "tahun",
                "Tahun harus berupa angka, misalnya 2026.".into(),
            )]));
        }
    };
    let id = |f: &'static str| -> Result<Option<i64>, AppError> {
        match o.get(f) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| {
                AppError::Validasi(vec![(f, "Penanda tangan harus berupa id perangkat (angka).".into())])
            }),
        }
    };
    Ok((
        tahun,
        PilihPenanda {
            penanda_kiri: id("penanda_kiri")?.map(PerangkatId),
            penanda_kanan: id("penanda_kanan")?.map(PerangkatId),
        },
    ))
}

/// `POST /api/v1/desa/{kode}/laporan` (operator): prints the Buku Aparat → `201`. An empty body
/// prints this year's book with the default signers.
#[utoipa::path(
    post,
    path = "/api/v1/desa/{kode}/laporan",
    operation_id = "laporan_buat",
    tag = "laporan",
    summary = "Cetak Buku Aparat (operator)",
    params(KodeDesa),
    request_body(
        content = Option<InputCetak>,
        description = "Boleh kosong: Buku Aparat tahun ini dengan penanda tangan bawaan."
    ),
    responses(
        (status = 201, description = "Dicetak", body = LaporanJson),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn buat(
    State(state): State<AppState>,
    t: Token,
    Path(kode): Path<String>,
    body: Bytes,
) -> HasilApi<Response> {
    let (tahun, penanda) = baca_cetak(&body)?;
    let tahun = arsip::periksa_tahun(tahun.as_deref(), hari_ini(&state))?;
    let l = arsip::buat(
        &state.db,
        &state.simpanan,
        &t.akun,
        &kode,
        tahun,
        penanda,
        crate::kernel::saat(&state),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(LaporanJson::from(l))).into_response())
}

/// `GET /api/v1/desa/{kode}/laporan`: the desa's reports, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/desa/{kode}/laporan",
    operation_id = "laporan_daftar",
    tag = "laporan",
    summary = "Laporan Buku Aparat desa",
    params(KodeDesa),
    responses((status = 200, description = "Laporan", body = Vec<LaporanJson>), PerluMasuk, TidakDitemukan)
)]
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
#[utoipa::path(
    get,
    path = "/api/v1/laporan/{id}",
    operation_id = "laporan_ambil",
    tag = "laporan",
    summary = "Satu laporan",
    params(Id),
    responses(
        (status = 200, description = "Laporan", body = LaporanJson),
        TidakValid,
        PerluMasuk,
        TidakDitemukan,
    )
)]
pub async fn ambil(State(state): State<AppState>, t: Token, Path(id): Path<LaporanId>) -> HasilApi<Json<LaporanJson>> {
    Ok(Json(arsip::ambil(&state.db, &t.akun, id).await?.into()))
}

/// `GET /api/v1/laporan/{id}/pdf`: the stored PDF (the receipted one once accepted).
#[utoipa::path(
    get,
    path = "/api/v1/laporan/{id}/pdf",
    operation_id = "laporan_pdf",
    tag = "laporan",
    summary = "PDF laporan (yang diterima bila sudah)",
    params(Id),
    responses(
        (status = 200, description = "PDF", body = inline(Berkas), content_type = "application/pdf"),
        TidakValid,
        PerluMasuk,
        TidakDitemukan,
    )
)]
pub async fn pdf(State(state): State<AppState>, t: Token, Path(id): Path<LaporanId>) -> HasilApi<Response> {
    let (l, isi) = arsip::pdf(&state.db, &state.simpanan, &t.akun, id, state.clock.now()).await?;
    Ok(respon_pdf(isi, &format!("laporan-{}.pdf", l.id)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct InputTanggapan {
    #[schema(value_type = bool, required = true)]
    diterima: Option<bool>,
    #[serde(default)]
    catatan: String,
}

/// `POST /api/v1/laporan/{id}/penerimaan` (the Kepala Desa of that desa):
/// `{"diterima":true|false,"catatan"}` → `200`; `422` a rejection without a note; `409` when
/// already answered.
#[utoipa::path(
    post,
    path = "/api/v1/laporan/{id}/penerimaan",
    operation_id = "laporan_tanggapi",
    tag = "laporan",
    summary = "Tanggapan Kepala Desa",
    params(Id),
    request_body = InputTanggapan,
    responses(
        (status = 200, description = "Ditanggapi", body = LaporanJson),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn tanggapi(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<LaporanId>,
    body: Result<Json<InputTanggapan>, JsonRejection>,
) -> HasilApi<Json<LaporanJson>> {
    arsip::boleh_ditanggapi(&state.db, &t.akun, id).await?;
    let input = baca_json(body)?;
    let diterima = input.diterima.ok_or_else(|| {
        AppError::Validasi(vec![(
            "diterima",
            "Isi diterima dengan true (diterima) atau false (ditolak).".into(),
        )])
    })?;
    let alamat = alamat_dasar(&state);
    let tanggapan = Tanggapan {
        diterima,
        catatan: &input.catatan,
        alamat_dasar: &alamat,
        zona: state.instansi.zona,
    };
    let l = arsip::tanggapi(&state.db, &state.simpanan, &t.akun, id, tanggapan, state.clock.now()).await?;
    Ok(Json(l.into()))
}
