//! `/desa` (the desa of the user's scope) and `/desa/{kode}` (one desa).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::{Halaman, render, waktu};
use crate::akun::Peran;
use crate::akun::sesi::Sesi;
use crate::app::AppState;
use crate::desa::{self, Desa, PosisiStruktur};
use crate::error::Hasil;

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

#[derive(Template)]
#[template(path = "desa.html")]
struct HalamanDesa {
    h: Halaman,
    d: Desa,
    posisi: Vec<PosisiStruktur>,
    dusun: Vec<String>,
    diubah: String,
    boleh_atur: bool,
    kembali: Option<&'static str>,
}

pub async fn halaman(State(state): State<AppState>, sesi: Sesi, Path(kode): Path<String>) -> Hasil<Response> {
    let d = desa::ambil(&state.db, &sesi.akun, &kode).await?;
    let dusun = desa::dusun(&state.db, &d.kode).await?;
    let posisi = d.posisi(&dusun);
    let aktif = if sesi.akun.peran.lingkup_desa() {
        format!("/desa/{}", d.kode)
    } else {
        "/desa".into()
    };
    let h = Halaman::baru(&state, &sesi, format!("Desa {}", d.nama), &aktif);
    let kembali = (!sesi.akun.peran.lingkup_desa()).then_some("/desa");
    let diubah = waktu(&state, d.diubah_pada);
    Ok(render(&HalamanDesa {
        h,
        posisi,
        dusun,
        diubah,
        boleh_atur: sesi.akun.peran == Peran::Admin,
        kembali,
        d,
    }))
}
