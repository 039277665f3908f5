//! The public register's pages (issue 19), no login: the index of kecamatan that opened their
//! register, a kecamatan's desa, a desa's structure, their CSV, the widget for a desa's own
//! website and the officials' photos. Handlers never read a session: a logged-in user sees
//! exactly what a visitor sees. The settings of the register (on/off, a photo's visibility)
//! are the last handlers here, behind the usual session and CSRF.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::{Formulir, Halaman, alihkan};
use crate::error::{AppError, Hasil};
use crate::id::PerangkatId;
use crate::kernel::AppState;
use crate::kernel::publik::{BolehDibingkai, jawab, masih_baru};
use crate::publik::{self, KecamatanPublik, RegisterDesa, RegisterKecamatan};

const HTML: &str = "text/html; charset=utf-8";
const CSV: &str = "text/csv; charset=utf-8";

fn diperbarui(state: &AppState, t: i64) -> String {
    if t > 0 {
        crate::waktu::tanggal_jam(t, state.instansi.zona)
    } else {
        String::new()
    }
}

fn html<T: Template>(t: &T) -> Hasil<String> {
    t.render()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))
}

#[derive(Template)]
#[template(path = "publik_indeks.html")]
struct HalamanIndeks {
    h: Halaman,
    kecamatan: Vec<KecamatanPublik>,
}

/// `GET /publik`: the kecamatan whose register is public (404 while there is none).
pub async fn indeks(State(state): State<AppState>) -> Hasil<Response> {
    let kecamatan = publik::daftar_kecamatan(&state.db).await?;
    if kecamatan.is_empty() {
        return Err(AppError::TidakDitemukan);
    }
    let t = HalamanIndeks {
        h: Halaman::tamu(&state.instansi.nama, "Register Publik Perangkat Desa"),
        kecamatan,
    };
    let mut r = super::render(&t);
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=60"),
    );
    Ok(r)
}

#[derive(Template)]
#[template(path = "publik_kecamatan.html")]
struct HalamanKecamatan<'a> {
    h: Halaman,
    r: &'a RegisterKecamatan,
    diperbarui: String,
}

async fn register_kecamatan(state: &AppState, kode: &str) -> Hasil<std::sync::Arc<RegisterKecamatan>> {
    publik::kecamatan(&state.db, &state.publik, kode)
        .await?
        .ok_or(AppError::TidakDitemukan)
}

async fn register_desa(state: &AppState, kode: &str) -> Hasil<std::sync::Arc<RegisterDesa>> {
    publik::desa(&state.db, &state.publik, kode)
        .await?
        .ok_or(AppError::TidakDitemukan)
}

/// `GET /publik/kecamatan/{kode}`: the kecamatan's desa with their counts and vacancies.
pub async fn kecamatan(State(state): State<AppState>, kepala: HeaderMap, Path(kode): Path<String>) -> Hasil<Response> {
    let r = register_kecamatan(&state, &kode).await?;
    if masih_baru(&kepala, &r.etag, r.diperbarui) {
        return Ok(jawab(&kepala, &r.etag, r.diperbarui, HTML, ""));
    }
    let t = HalamanKecamatan {
        h: Halaman::tamu(&state.instansi.nama, format!("Perangkat Desa Kecamatan {}", r.nama)),
        diperbarui: diperbarui(&state, r.diperbarui),
        r: &r,
    };
    Ok(jawab(&kepala, &r.etag, r.diperbarui, HTML, html(&t)?))
}

/// `GET /publik/kecamatan/{kode}/desa.csv`.
pub async fn kecamatan_csv(
    State(state): State<AppState>,
    kepala: HeaderMap,
    Path(kode): Path<String>,
) -> Hasil<Response> {
    let r = register_kecamatan(&state, &kode).await?;
    let mut resp = jawab(&kepala, &r.etag, r.diperbarui, CSV, publik::csv_kecamatan(&r));
    lampiran(
        &mut resp,
        &format!("register-publik-{}.csv", crate::wilayah::slug(&r.nama)),
    );
    Ok(resp)
}

fn lampiran(resp: &mut Response, nama: &str) {
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("inline; filename=\"{nama}\"")) {
        resp.headers_mut().insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
}

#[derive(Template)]
#[template(path = "publik_desa.html")]
struct HalamanDesa<'a> {
    h: Halaman,
    r: &'a RegisterDesa,
    diperbarui: String,
}

/// `GET /publik/desa/{kode}`: the desa's structure, who holds each position, the vacancies.
pub async fn desa(State(state): State<AppState>, kepala: HeaderMap, Path(kode): Path<String>) -> Hasil<Response> {
    let r = register_desa(&state, &kode).await?;
    if masih_baru(&kepala, &r.etag, r.diperbarui) {
        return Ok(jawab(&kepala, &r.etag, r.diperbarui, HTML, ""));
    }
    let t = HalamanDesa {
        h: Halaman::tamu(&state.instansi.nama, format!("Perangkat Desa {}", r.nama)),
        diperbarui: diperbarui(&state, r.diperbarui),
        r: &r,
    };
    Ok(jawab(&kepala, &r.etag, r.diperbarui, HTML, html(&t)?))
}

/// `GET /publik/desa/{kode}/perangkat.csv`.
pub async fn desa_csv(State(state): State<AppState>, kepala: HeaderMap, Path(kode): Path<String>) -> Hasil<Response> {
    let r = register_desa(&state, &kode).await?;
    let mut resp = jawab(&kepala, &r.etag, r.diperbarui, CSV, publik::csv_desa(&r));
    lampiran(
        &mut resp,
        &format!("register-publik-{}.csv", crate::wilayah::slug(&r.nama)),
    );
    Ok(resp)
}

#[derive(Template)]
#[template(path = "publik_widget.html")]
struct HalamanWidget<'a> {
    r: &'a RegisterDesa,
    diperbarui: String,
}

/// `GET /publik/desa/{kode}/widget`: the small page a desa embeds in its own website
/// (`<iframe>`), the only response that other origins may frame.
pub async fn widget(State(state): State<AppState>, kepala: HeaderMap, Path(kode): Path<String>) -> Hasil<Response> {
    let r = register_desa(&state, &kode).await?;
    let mut resp = if masih_baru(&kepala, &r.etag, r.diperbarui) {
        jawab(&kepala, &r.etag, r.diperbarui, HTML, "")
    } else {
        let t = HalamanWidget {
            diperbarui: diperbarui(&state, r.diperbarui),
            r: &r,
        };
        jawab(&kepala, &r.etag, r.diperbarui, HTML, html(&t)?)
    };
    resp.extensions_mut().insert(BolehDibingkai);
    Ok(resp)
}

/// `GET /publik/desa/{kode}/foto/{id}.jpg`: an official's photo, small and stripped of its
/// metadata; not found when hidden, absent, or not an active official of that desa.
pub async fn foto(
    State(state): State<AppState>,
    kepala: HeaderMap,
    Path((kode, berkas)): Path<(String, String)>,
) -> Hasil<Response> {
    let id: PerangkatId = berkas
        .strip_suffix(".jpg")
        .and_then(|s| s.parse::<i64>().ok())
        .map(PerangkatId)
        .ok_or(AppError::TidakDitemukan)?;
    let (isi, tag) = publik::foto(&state.db, &state.simpanan, &state.publik, &kode, id)
        .await?
        .ok_or(AppError::TidakDitemukan)?;
    Ok(jawab(&kepala, &tag, 0, "image/jpeg", isi))
}

// ---- Settings (behind a session) ----

/// The desa's public page and the snippet that embeds its widget in the desa's own website,
/// for the desa settings page.
pub struct Widget {
    pub aktif: bool,
    /// The page's address (absolute with `--public-url`, else a path).
    pub halaman: String,
    /// `<iframe …>` to copy into the desa's website.
    pub cuplikan: String,
    /// Without `--public-url` the snippet carries a placeholder for the server's address.
    pub tanpa_alamat: bool,
}

impl Widget {
    pub async fn baru(state: &AppState, d: &crate::desa::Desa) -> Hasil<Widget> {
        let dasar = crate::kernel::alamat_dasar(state);
        let tanpa_alamat = dasar.is_empty();
        let dasar_cuplikan = if tanpa_alamat {
            "https://ALAMAT-SIPKATDES".to_string()
        } else {
            dasar.clone()
        };
        Ok(Widget {
            aktif: publik::aktif(&state.db, &d.kecamatan_kode).await?,
            halaman: format!("{dasar}/publik/desa/{}", d.kode),
            cuplikan: format!(
                "<iframe src=\"{dasar_cuplikan}/publik/desa/{}/widget\" title=\"Perangkat Desa {}\" width=\"100%\" height=\"480\" style=\"border:0\" loading=\"lazy\"></iframe>",
                d.kode,
                d.nama.replace('"', "")
            ),
            tanpa_alamat,
        })
    }
}

#[derive(serde::Deserialize)]
pub struct IsianRegister {
    #[serde(default)]
    aktif: String,
}

/// `POST /kecamatan/{kode}/register-publik`: turn the kecamatan's public register on or off
/// (the kecamatan, the admin).
pub async fn atur(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    Formulir { sesi, data: f }: Formulir<IsianRegister>,
) -> Hasil<Response> {
    publik::boleh_atur(&sesi.akun, &kode)?;
    let aktif = match f.aktif.as_str() {
        "ya" => true,
        "tidak" => false,
        _ => return Err(AppError::Permintaan("Pilihan register publik tidak dikenal.".into())),
    };
    publik::atur(&state.db, &sesi.akun, &kode, aktif, state.clock.now()).await?;
    let pesan = if aktif {
        "Register publik dibuka: siapa pun dapat melihat susunan perangkat desa yang sudah tersimpan."
    } else {
        "Register publik ditutup: halaman publik tidak dapat dibuka lagi."
    };
    alihkan(&state, &sesi, "/dasbor#register-publik", pesan).await
}

#[derive(serde::Deserialize)]
pub struct IsianFoto {
    #[serde(default)]
    tampil: String,
}

/// `POST /perangkat/{id}/foto-publik`: show or hide an official's photo on the public register.
pub async fn atur_foto(
    State(state): State<AppState>,
    Path(id): Path<PerangkatId>,
    Formulir { sesi, data: f }: Formulir<IsianFoto>,
) -> Hasil<Response> {
    crate::perangkat::boleh_tulis(&state.db, &sesi.akun, id).await?;
    let tampil = match f.tampil.as_str() {
        "ya" => true,
        "tidak" => false,
        _ => return Err(AppError::Permintaan("Pilihan foto publik tidak dikenal.".into())),
    };
    publik::atur_foto(&state.db, &sesi.akun, id, tampil, state.clock.now()).await?;
    let pesan = if tampil {
        "Foto ditampilkan di register publik."
    } else {
        "Foto disembunyikan dari register publik."
    };
    alihkan(&state, &sesi, &format!("/perangkat/{id}"), pesan).await
}
