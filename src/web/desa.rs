//! `/desa` (the desa of the user's scope) and `/desa/{kode}` (one desa).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::{Halaman, render};
use crate::akun::sesi::Sesi;
use crate::desa::{self, Desa};
use crate::error::Hasil;
use crate::kernel::AppState;

#[derive(Template)]
#[template(path = "desa_daftar.html")]
struct HalamanDaftar {
    h: Halaman,
    desa: Vec<Desa>,
    pub cari: String,
    banyak_kecamatan: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct Cari {
    #[serde(default)]
    pub cari: String,
}

pub async fn daftar(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Cari>) -> Hasil<Response> {
    if sesi.akun.peran.lingkup_desa() {
        return Ok(Redirect::to(&sesi.akun.halaman_awal()).into_response());
    }
    let desa = desa::daftar(&state.db, &sesi.akun, &q.cari).await?;
    let banyak_kecamatan = desa.windows(2).any(|w| w[0].kecamatan_kode != w[1].kecamatan_kode);
    let h = Halaman::baru(&state, &sesi, "Daftar Desa", "/desa");
    Ok(render(&HalamanDaftar {
        h,
        desa,
        cari: q.cari,
        banyak_kecamatan,
    }))
}
