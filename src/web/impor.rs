//! Bulk import on the web: `/desa/{kode}/impor` (upload, template), the preview
//! `/desa/{kode}/impor/{token}` with a checkbox per row, and its confirmation.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::perangkat::Kiriman;
use super::{Formulir, Halaman, alihkan, render, render_status, status_galat};
use crate::akun::sesi::Sesi;
use crate::desa::{self, Desa};
use crate::error::{AppError, FieldErrors, Hasil};
use crate::impor::{self, Pratinjau};
use crate::kernel::AppState;
use crate::kernel::{hari_ini, saat};
use crate::perangkat::boleh_ubah;
use crate::perangkat::medan::label_kolom;

async fn desa_editor(state: &AppState, sesi: &Sesi, kode: &str) -> Hasil<Desa> {
    let d = desa::ambil(&state.db, &sesi.akun, kode).await?;
    if !boleh_ubah(&sesi.akun, &d.kode) {
        return Err(AppError::Terlarang);
    }
    Ok(d)
}

#[derive(Template)]
#[template(path = "impor.html")]
struct HalamanUnggah {
    h: Halaman,
    d: Desa,
    galat: Option<String>,
    batas_mb: usize,
}

async fn tampil_unggah(state: &AppState, sesi: &Sesi, kode: &str, galat: FieldErrors) -> Hasil<Response> {
    let d = desa_editor(state, sesi, kode).await?;
    let h = Halaman::baru(
        state,
        sesi,
        "Impor dari Excel/CSV",
        &super::menu_desa(&sesi.akun, &d.kode),
    );
    let status = status_galat(&galat);
    Ok(render_status(
        status,
        &HalamanUnggah {
            h,
            d,
            galat: galat.into_iter().next().map(|(_, m)| m),
            batas_mb: impor::BATAS_UKURAN / (1024 * 1024),
        },
    ))
}

/// `GET /desa/{kode}/impor`.
pub async fn halaman(State(state): State<AppState>, sesi: Sesi, Path(kode): Path<String>) -> Hasil<Response> {
    tampil_unggah(&state, &sesi, &kode, vec![]).await
}

/// `GET /desa/{kode}/impor/templat.xlsx`: the template with the desa's lists.
pub async fn templat(State(state): State<AppState>, sesi: Sesi, Path(kode): Path<String>) -> Hasil<Response> {
    let d = desa_editor(&state, &sesi, &kode).await?;
    let dusun = desa::dusun(&state.db, &d.kode).await?;
    let nama = format!("templat-impor-perangkat-{}.xlsx", crate::wilayah::slug(&d.nama));
    let isi = tokio::task::spawn_blocking(move || impor::templat::xlsx(&d, &dusun))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    let mut r = isi.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{nama}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// `POST /desa/{kode}/impor`: reads and checks the file, keeps the preview, shows it.
pub async fn unggah(State(state): State<AppState>, Path(kode): Path<String>, k: Kiriman) -> Hasil<Response> {
    let Kiriman {
        sesi,
        berkas,
        berkas_terlalu_besar,
        ..
    } = k;
    let d = desa_editor(&state, &sesi, &kode).await?;
    if let Some(batas) = berkas_terlalu_besar {
        let g = vec![("berkas", AppError::TerlaluBesar { batas }.pesan())];
        return tampil_unggah(&state, &sesi, &kode, g).await;
    }
    let Some((nama, isi)) = berkas.filter(|(_, b)| !b.is_empty()) else {
        return tampil_unggah(
            &state,
            &sesi,
            &kode,
            vec![(
                "berkas",
                "Pilih berkas XLSX atau CSV yang berisi data perangkat (berkas kosong tidak dapat diimpor).".into(),
            )],
        )
        .await;
    };
    match impor::periksa_berkas(&state.db, &sesi.akun, &d.kode, &isi, hari_ini(&state)).await {
        Ok(p) => {
            let token = impor::simpan(&state.db, &sesi.akun, &d.kode, &nama, &p, state.clock.now()).await?;
            Ok(Redirect::to(&format!("/desa/{}/impor/{token}", d.kode)).into_response())
        }
        Err(AppError::Validasi(g)) => tampil_unggah(&state, &sesi, &kode, g).await,
        Err(e) => Err(e),
    }
}

/// A preview row as the page shows it.
pub struct BarisTampil {
    pub nomor: usize,
    pub nama: String,
    pub nik: String,
    pub jabatan: String,
    pub ttl: String,
    pub sk: String,
    pub galat: Vec<String>,
    pub peringatan: Vec<String>,
}

#[derive(Template)]
#[template(path = "impor_pratinjau.html")]
struct HalamanPratinjau {
    h: Halaman,
    d: Desa,
    token: String,
    nama_berkas: String,
    baris: Vec<BarisTampil>,
    siap: usize,
    dikenali: String,
    diabaikan: String,
}

fn tampilkan(p: &Pratinjau, d: &Desa) -> Vec<BarisTampil> {
    p.baris
        .iter()
        .map(|b| BarisTampil {
            nomor: b.nomor,
            nama: b.data.nama_lengkap(),
            nik: b.data.nik.clone(),
            jabatan: if crate::desa::jabatan::Jabatan::parse(&b.data.jabatan).is_some() {
                b.data.nama_jabatan(d)
            } else {
                b.data.jabatan.clone()
            },
            ttl: format!(
                "{}, {}",
                b.data.tempat_lahir,
                crate::perangkat::data::tanggal_id(&b.data.tanggal_lahir)
            ),
            sk: b.data.nomor_sk_pengangkatan.clone(),
            galat: b
                .galat
                .iter()
                .map(|(f, m)| {
                    if m.contains(label_kolom(f)) || f == "nik" {
                        m.clone()
                    } else {
                        format!("{}: {m}", label_kolom(f))
                    }
                })
                .collect(),
            peringatan: b.peringatan.clone(),
        })
        .collect()
}

/// `GET /desa/{kode}/impor/{token}`: every row with its errors and warnings.
pub async fn pratinjau(
    State(state): State<AppState>,
    sesi: Sesi,
    Path((kode, token)): Path<(String, String)>,
) -> Hasil<Response> {
    let d = desa_editor(&state, &sesi, &kode).await?;
    let (nama_berkas, p) = impor::ambil(&state.db, &sesi.akun, &d.kode, &token, state.clock.now()).await?;
    let h = Halaman::baru(&state, &sesi, "Pratinjau Impor", &super::menu_desa(&sesi.akun, &d.kode));
    Ok(render(&HalamanPratinjau {
        h,
        baris: tampilkan(&p, &d),
        siap: p.siap(),
        dikenali: p.kolom_dikenali.join(", "),
        diabaikan: p.kolom_diabaikan.join(", "),
        d,
        token,
        nama_berkas,
    }))
}

/// `POST /desa/{kode}/impor/{token}`: imports the ticked rows (`baris_N=ya`) as drafts.
pub async fn konfirmasi(
    State(state): State<AppState>,
    Path((kode, token)): Path<(String, String)>,
    f: Formulir<HashMap<String, String>>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    let d = desa_editor(&state, &sesi, &kode).await?;
    // The preview must be this user's before anything posted is looked at.
    impor::ambil(&state.db, &sesi.akun, &d.kode, &token, state.clock.now()).await?;
    let pilih: Vec<usize> = data
        .keys()
        .filter_map(|k| k.strip_prefix("baris_"))
        .filter_map(|n| n.parse().ok())
        .collect();
    if pilih.is_empty() {
        return Err(AppError::Validasi(vec![(
            "baris",
            "Centang paling sedikit satu baris untuk diimpor.".into(),
        )]));
    }
    let p = impor::klaim(&state.db, &sesi.akun, &d.kode, &token, state.clock.now()).await?;
    let h = impor::impor(&state.db, &sesi.akun, &d.kode, &p, &pilih, saat(&state)).await?;
    let mut pesan = format!(
        "{} perangkat diimpor sebagai draf. Unggah SK masing-masing, lalu lakukan Pemeriksaan.",
        h.dibuat.len()
    );
    if !h.gagal.is_empty() {
        let g: Vec<String> = h.gagal.iter().map(|(n, m)| format!("baris {n}: {m}")).collect();
        pesan.push_str(&format!(" Tidak diimpor: {}", g.join("; ")));
    }
    alihkan(&state, &sesi, &format!("/desa/{}#tindakan", d.kode), &pesan).await
}
