//! Downloads of the register: `/ekspor/perangkat.xlsx|csv?desa=KODE` (web session; the same
//! under `/api/v1/ekspor/` with a token is in `api::ekspor`). `desa` may be any region code
//! inside the user's scope (a desa, a kecamatan, …); without it: the user's whole scope.

use axum::extract::{Query, State};
use axum::response::Response;

use crate::akun::sesi::Sesi;
use crate::error::Hasil;
use crate::kernel::AppState;
use crate::kernel::unduhan::{self, Format};

#[derive(serde::Deserialize, Default)]
pub struct Pilih {
    #[serde(default)]
    desa: Option<String>,
}

pub async fn xlsx(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Pilih>) -> Hasil<Response> {
    unduhan::register(&state, &sesi.akun, q.desa.as_deref(), Format::Xlsx).await
}

pub async fn csv(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Pilih>) -> Hasil<Response> {
    unduhan::register(&state, &sesi.akun, q.desa.as_deref(), Format::Csv).await
}
