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
    /// Desa matching the search (all pages).
    jumlah: usize,
    halaman: usize,
    jumlah_halaman: usize,
}

impl HalamanDaftar {
    /// The address of page `n` with the same search.
    fn tautan(&self, n: usize) -> String {
        let mut q = vec![("halaman", n.to_string())];
        if !self.cari.is_empty() {
            q.push(("cari", self.cari.clone()));
        }
        format!("/desa?{}", serde_urlencoded::to_string(q).unwrap_or_default())
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Cari {
    #[serde(default)]
    pub cari: String,
    /// The page of `/desa` (from 1).
    #[serde(default)]
    pub halaman: Option<String>,
}

/// Desa per page of `/desa` (issue 16: a province's 1,872 desa made a 733 KB page, the
/// country's 75,252 would be 29 MB).
const PER_HALAMAN: usize = 100;

pub async fn daftar(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Cari>) -> Hasil<Response> {
    if sesi.akun.peran.lingkup_desa() {
        return Ok(Redirect::to(&sesi.akun.halaman_awal()).into_response());
    }
    let semua = desa::daftar(&state.db, &sesi.akun, &q.cari).await?;
    let banyak_kecamatan = semua.windows(2).any(|w| w[0].kecamatan_kode != w[1].kecamatan_kode);
    let jumlah = semua.len();
    let (halaman, jumlah_halaman, desa) = super::satu_halaman(semua, q.halaman.as_deref(), PER_HALAMAN);
    let h = Halaman::baru(&state, &sesi, "Daftar Desa", "/desa");
    Ok(render(&HalamanDaftar {
        h,
        desa,
        cari: q.cari,
        banyak_kecamatan,
        jumlah,
        halaman,
        jumlah_halaman,
    }))
}
