//! Downloads of the register in the JSON API: `/api/v1/ekspor/perangkat.xlsx|csv?desa=KODE`
//! (token), the same files as the web's `/ekspor/` (scoped, saved data only, audited).

use axum::extract::{Query, State};
use axum::response::Response;

use super::Berkas;
use super::galat::{IsianSalah, PerluMasuk, TidakDitemukan};
use crate::akun::sesi::Token;
use crate::error::HasilApi;
use crate::kernel::AppState;
use crate::kernel::unduhan::{self, Format};

#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PilihDesa {
    /// Kode desa, kecamatan atau kabupaten di dalam cakupan
    #[serde(default)]
    desa: Option<String>,
}

/// `GET /api/v1/ekspor/perangkat.xlsx?desa=KODE`.
#[utoipa::path(
    get,
    path = "/api/v1/ekspor/perangkat.xlsx",
    operation_id = "ekspor_xlsx",
    tag = "ekspor",
    summary = "Ekspor register (XLSX)",
    params(PilihDesa),
    responses(
        (status = 200, description = "XLSX", body = inline(Berkas),
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        PerluMasuk,
        TidakDitemukan,
        IsianSalah,
    )
)]
pub async fn xlsx(State(state): State<AppState>, t: Token, Query(q): Query<PilihDesa>) -> HasilApi<Response> {
    Ok(unduhan::register(&state, &t.akun, q.desa.as_deref(), Format::Xlsx).await?)
}

/// `GET /api/v1/ekspor/perangkat.csv?desa=KODE`.
#[utoipa::path(
    get,
    path = "/api/v1/ekspor/perangkat.csv",
    operation_id = "ekspor_csv",
    tag = "ekspor",
    summary = "Ekspor register (CSV)",
    params(PilihDesa),
    responses(
        (status = 200, description = "CSV", body = inline(Berkas), content_type = "text/csv"),
        PerluMasuk,
        TidakDitemukan,
        IsianSalah,
    )
)]
pub async fn csv(State(state): State<AppState>, t: Token, Query(q): Query<PilihDesa>) -> HasilApi<Response> {
    Ok(unduhan::register(&state, &t.akun, q.desa.as_deref(), Format::Csv).await?)
}
