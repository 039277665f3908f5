//! Administration (admin role only): accounts and desa settings.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::desa::Cari;
use super::{Formulir, Galat, Halaman, alihkan, render, render_status, waktu};
use crate::akun::peran::SEMUA_PERAN;
use crate::akun::sesi::Sesi;
use crate::akun::{self, InputPengguna, Pengguna, Peran};
use crate::desa::{self, Desa, InputPengaturan};
use crate::error::{AppError, Hasil};
use crate::id::AkunId;
use crate::kernel::AppState;

fn wajib_admin(s: &Sesi) -> Hasil<()> {
    if s.akun.peran == Peran::Admin {
        Ok(())
    } else {
        Err(AppError::Terlarang)
    }
}

pub struct PilihanPeran {
    pub kode: &'static str,
    pub label: &'static str,
}

fn pilihan_peran() -> Vec<PilihanPeran> {
    SEMUA_PERAN
        .iter()
        .map(|p| PilihanPeran {
            kode: p.kode(),
            label: p.label(),
        })
        .collect()
}

/// Region codes offered to the scope field (a datalist: typing still works without it).
pub struct PilihanCakupan {
    pub kode: String,
    pub nama: String,
}

async fn pilihan_cakupan(state: &AppState, sesi: &Sesi) -> Hasil<Vec<PilihanCakupan>> {
    let semua = desa::daftar(&state.db, &sesi.akun, "").await?;
    let mut v: Vec<PilihanCakupan> = Vec::new();
    for d in &semua {
        if v.last().is_none_or(|p| p.kode != d.kecamatan_kode) && !v.iter().any(|p| p.kode == d.kecamatan_kode) {
            v.push(PilihanCakupan {
                kode: d.kecamatan_kode.clone(),
                nama: format!("Kecamatan {}", d.kecamatan_nama),
            });
        }
        v.push(PilihanCakupan {
            kode: d.kode.clone(),
            nama: format!("Desa {}", d.nama),
        });
    }
    Ok(v)
}

#[derive(Template)]
#[template(path = "admin.html")]
struct HalamanAdmin {
    h: Halaman,
    pengguna_aktif: usize,
    pengguna_nonaktif: usize,
    jumlah_desa: usize,
    jumlah_kecamatan: usize,
    desa_tanpa_operator: Vec<Desa>,
}

pub async fn beranda(State(state): State<AppState>, sesi: Sesi) -> Hasil<Response> {
    wajib_admin(&sesi)?;
    let pengguna = akun::daftar(&state.db, "").await?;
    let desa = desa::daftar(&state.db, &sesi.akun, "").await?;
    let mut kec: Vec<&str> = desa.iter().map(|d| d.kecamatan_kode.as_str()).collect();
    kec.dedup();
    let desa_tanpa_operator = desa
        .iter()
        .filter(|d| {
            !pengguna
                .iter()
                .any(|p| p.aktif && p.peran == Peran::Operator && p.cakupan == d.kode)
        })
        .cloned()
        .collect();
    let h = Halaman::baru(&state, &sesi, "Administrasi", "/admin");
    Ok(render(&HalamanAdmin {
        h,
        pengguna_aktif: pengguna.iter().filter(|p| p.aktif).count(),
        pengguna_nonaktif: pengguna.iter().filter(|p| !p.aktif).count(),
        jumlah_desa: desa.len(),
        jumlah_kecamatan: kec.len(),
        desa_tanpa_operator,
    }))
}

#[derive(Template)]
#[template(path = "admin_pengguna.html")]
struct HalamanPengguna {
    h: Halaman,
    pengguna: Vec<Pengguna>,
    cari: String,
}

pub async fn pengguna(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Cari>) -> Hasil<Response> {
    wajib_admin(&sesi)?;
    let pengguna = akun::daftar(&state.db, &q.cari).await?;
    let h = Halaman::baru(&state, &sesi, "Pengguna", "/admin/pengguna");
    Ok(render(&HalamanPengguna {
        h,
        pengguna,
        cari: q.cari,
    }))
}

#[derive(Template)]
#[template(path = "admin_pengguna_baru.html")]
struct HalamanPenggunaBaru {
    h: Halaman,
    input: InputPengguna,
    galat: Galat,
    peran: Vec<PilihanPeran>,
    cakupan: Vec<PilihanCakupan>,
}

pub async fn pengguna_baru(State(state): State<AppState>, sesi: Sesi) -> Hasil<Response> {
    wajib_admin(&sesi)?;
    let cakupan = pilihan_cakupan(&state, &sesi).await?;
    let h = Halaman::baru(&state, &sesi, "Tambah Pengguna", "/admin/pengguna");
    let input = InputPengguna {
        peran: "operator".into(),
        ..Default::default()
    };
    Ok(render(&HalamanPenggunaBaru {
        h,
        input,
        galat: Galat::default(),
        peran: pilihan_peran(),
        cakupan,
    }))
}

pub async fn pengguna_buat(State(state): State<AppState>, f: Formulir<InputPengguna>) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    wajib_admin(&sesi)?;
    match akun::buat(&state.db, &data, &sesi.akun.pelaku(), state.clock.now()).await {
        Ok(id) => {
            let pesan = format!("Pengguna {} berhasil dibuat.", data.username.trim());
            alihkan(&state, &sesi, &format!("/admin/pengguna/{id}"), &pesan).await
        }
        Err(AppError::Validasi(g)) => {
            let cakupan = pilihan_cakupan(&state, &sesi).await?;
            let h = Halaman::baru(&state, &sesi, "Tambah Pengguna", "/admin/pengguna");
            let input = InputPengguna {
                password: String::new(),
                ..data
            };
            let t = HalamanPenggunaBaru {
                h,
                input,
                galat: Galat::dari(g),
                peran: pilihan_peran(),
                cakupan,
            };
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "admin_pengguna_detail.html")]
struct HalamanPenggunaDetail {
    h: Halaman,
    p: Pengguna,
    input: InputPengguna,
    galat: Galat,
    peran: Vec<PilihanPeran>,
    cakupan: Vec<PilihanCakupan>,
    dibuat: String,
    diri_sendiri: bool,
}

async fn tampil_detail(
    state: &AppState,
    sesi: &Sesi,
    p: Pengguna,
    input: Option<InputPengguna>,
    galat: Galat,
) -> Hasil<Response> {
    let cakupan = pilihan_cakupan(state, sesi).await?;
    let input = input.unwrap_or_else(|| InputPengguna {
        username: p.username.clone(),
        nama_lengkap: p.nama_lengkap.clone(),
        peran: p.peran.kode().into(),
        cakupan: p.cakupan.clone(),
        password: String::new(),
    });
    let status = if galat.ada() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let h = Halaman::baru(state, sesi, format!("Pengguna {}", p.username), "/admin/pengguna");
    let t = HalamanPenggunaDetail {
        h,
        dibuat: waktu(state, p.dibuat_pada),
        diri_sendiri: p.id == sesi.akun.id,
        p,
        input,
        galat,
        peran: pilihan_peran(),
        cakupan,
    };
    Ok(render_status(status, &t))
}

pub async fn pengguna_detail(State(state): State<AppState>, sesi: Sesi, Path(id): Path<AkunId>) -> Hasil<Response> {
    wajib_admin(&sesi)?;
    let p = akun::ambil(&state.db, id).await?;
    tampil_detail(&state, &sesi, p, None, Galat::default()).await
}

pub async fn pengguna_ubah(
    State(state): State<AppState>,
    Path(id): Path<AkunId>,
    f: Formulir<InputPengguna>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    wajib_admin(&sesi)?;
    match akun::ubah(&state.db, id, &data, &sesi.akun.pelaku(), state.clock.now()).await {
        Ok(()) => {
            alihkan(
                &state,
                &sesi,
                &format!("/admin/pengguna/{id}"),
                "Perubahan pengguna tersimpan.",
            )
            .await
        }
        Err(AppError::Validasi(g)) => {
            let p = akun::ambil(&state.db, id).await?;
            tampil_detail(&state, &sesi, p, Some(data), Galat::dari(g)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize)]
pub struct InputStatus {
    #[serde(default)]
    aktif: String,
}

pub async fn pengguna_status(
    State(state): State<AppState>,
    Path(id): Path<AkunId>,
    f: Formulir<InputStatus>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    wajib_admin(&sesi)?;
    let aktif = match data.aktif.as_str() {
        "ya" => true,
        "tidak" => false,
        _ => {
            return Err(AppError::Permintaan(
                "Formulir tidak lengkap: isian \"aktif\" tidak ada atau bukan \"ya\"/\"tidak\".".into(),
            ));
        }
    };
    akun::atur_aktif(&state.db, id, aktif, &sesi.akun.pelaku(), state.clock.now()).await?;
    let pesan = if aktif {
        "Akun diaktifkan kembali."
    } else {
        "Akun dinonaktifkan; semua sesinya telah diakhiri."
    };
    alihkan(&state, &sesi, &format!("/admin/pengguna/{id}"), pesan).await
}

#[derive(serde::Deserialize)]
pub struct InputReset {
    #[serde(default)]
    sandi_baru: String,
}

pub async fn pengguna_sandi(
    State(state): State<AppState>,
    Path(id): Path<AkunId>,
    f: Formulir<InputReset>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    wajib_admin(&sesi)?;
    // Resetting one's own password keeps one's own session.
    let kecuali = (id == sesi.akun.id).then_some(sesi.id_hash.as_str());
    match akun::atur_sandi(
        &state.db,
        id,
        &data.sandi_baru,
        "sandi_baru",
        &sesi.akun.pelaku(),
        kecuali,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => {
            alihkan(
                &state,
                &sesi,
                &format!("/admin/pengguna/{id}"),
                "Kata sandi direset; semua sesi pengguna ini telah diakhiri.",
            )
            .await
        }
        Err(AppError::Validasi(g)) => {
            let p = akun::ambil(&state.db, id).await?;
            tampil_detail(&state, &sesi, p, None, Galat::dari(g)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "admin_desa.html")]
struct HalamanAdminDesa {
    h: Halaman,
    desa: Vec<Desa>,
    cari: String,
}

pub async fn desa(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Cari>) -> Hasil<Response> {
    wajib_admin(&sesi)?;
    let desa = desa::daftar(&state.db, &sesi.akun, &q.cari).await?;
    let h = Halaman::baru(&state, &sesi, "Pengaturan Desa", "/admin/desa");
    Ok(render(&HalamanAdminDesa { h, desa, cari: q.cari }))
}

#[derive(Template)]
#[template(path = "admin_desa_detail.html")]
struct HalamanAdminDesaDetail {
    h: Halaman,
    d: Desa,
    input: InputPengaturan,
    galat: Galat,
    widget: super::publik::Widget,
}

pub async fn desa_detail(State(state): State<AppState>, sesi: Sesi, Path(kode): Path<String>) -> Hasil<Response> {
    wajib_admin(&sesi)?;
    let d = desa::ambil(&state.db, &sesi.akun, &kode).await?;
    let dusun = desa::dusun(&state.db, &kode).await?;
    let input = InputPengaturan {
        sebutan_kepala_desa: d.sebutan_kepala_desa.clone(),
        sebutan_kepala_dusun: d.sebutan_kepala_dusun.clone(),
        struktur: d.struktur.clone(),
        dusun: dusun.join("\n"),
        alamat_kop: d.alamat_kop.clone(),
    };
    let h = Halaman::baru(&state, &sesi, format!("Pengaturan Desa {}", d.nama), "/admin/desa");
    let widget = super::publik::Widget::baru(&state, &d).await?;
    Ok(render(&HalamanAdminDesaDetail {
        h,
        widget,
        d,
        input,
        galat: Galat::default(),
    }))
}

pub async fn desa_ubah(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    f: Formulir<InputPengaturan>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    wajib_admin(&sesi)?;
    match desa::atur(&state.db, &sesi.akun, &kode, &data, state.clock.now()).await {
        Ok(()) => {
            alihkan(
                &state,
                &sesi,
                &format!("/admin/desa/{kode}"),
                "Pengaturan desa tersimpan.",
            )
            .await
        }
        Err(AppError::Validasi(g)) => {
            let d = desa::ambil(&state.db, &sesi.akun, &kode).await?;
            let h = Halaman::baru(&state, &sesi, format!("Pengaturan Desa {}", d.nama), "/admin/desa");
            let widget = super::publik::Widget::baru(&state, &d).await?;
            let t = HalamanAdminDesaDetail {
                h,
                widget,
                d,
                input: data,
                galat: Galat::dari(g),
            };
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
        Err(e) => Err(e),
    }
}

/// The holiday form's fields.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct InputLibur {
    pub tanggal: String,
    pub nama: String,
}

#[derive(Template)]
#[template(path = "admin_libur.html")]
struct HalamanLibur {
    h: Halaman,
    libur: Vec<crate::rekomendasi::hari_kerja::HariLibur>,
    input: InputLibur,
    galat: Galat,
}

async fn tampil_libur(
    state: &AppState,
    sesi: &Sesi,
    input: InputLibur,
    galat: crate::error::FieldErrors,
) -> Hasil<Response> {
    let status = if galat.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = HalamanLibur {
        h: Halaman::baru(state, sesi, "Hari Libur Nasional", "/admin"),
        libur: crate::rekomendasi::hari_kerja::daftar(&state.db).await?,
        input,
        galat: Galat::dari(galat),
    };
    Ok(render_status(status, &t))
}

/// `GET /admin/hari-libur`: the holidays the recommendation deadline skips (issue 17).
pub async fn libur(State(state): State<AppState>, sesi: Sesi) -> Hasil<Response> {
    wajib_admin(&sesi)?;
    tampil_libur(&state, &sesi, InputLibur::default(), vec![]).await
}

/// `POST /admin/hari-libur`: adds one; a date already listed is named, nothing changes.
pub async fn libur_tambah(State(state): State<AppState>, f: Formulir<InputLibur>) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    wajib_admin(&sesi)?;
    match crate::rekomendasi::hari_kerja::tambah(&state.db, &sesi.akun, &data.tanggal, &data.nama, state.clock.now())
        .await
    {
        Ok(l) => {
            alihkan(
                &state,
                &sesi,
                "/admin/hari-libur",
                &format!("{} ({}) ditambahkan.", l.nama, l.tanggal_id()),
            )
            .await
        }
        Err(AppError::Validasi(g)) => tampil_libur(&state, &sesi, data, g).await,
        Err(AppError::Konflik(m)) => tampil_libur(&state, &sesi, data, vec![("tanggal", m)]).await,
        Err(e) => Err(e),
    }
}

/// `POST /admin/hari-libur/hapus`: removes one (requests already decided keep their dates).
pub async fn libur_hapus(State(state): State<AppState>, f: Formulir<InputLibur>) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    wajib_admin(&sesi)?;
    match crate::rekomendasi::hari_kerja::hapus(&state.db, &sesi.akun, &data.tanggal, state.clock.now()).await {
        Ok(()) => {
            alihkan(
                &state,
                &sesi,
                "/admin/hari-libur",
                &format!(
                    "Hari libur {} dihapus dari daftar.",
                    crate::perangkat::data::tanggal_id(&data.tanggal)
                ),
            )
            .await
        }
        // Removed meanwhile (another tab), or never listed: said, nothing changed.
        Err(AppError::TidakDitemukan) => {
            super::alihkan_dengan(
                &state,
                &sesi,
                "/admin/hari-libur",
                "Tanggal itu tidak ada di daftar hari libur; tidak ada yang dihapus.",
                crate::akun::sesi::JenisPesan::Peringatan,
            )
            .await
        }
        Err(e) => Err(e),
    }
}
