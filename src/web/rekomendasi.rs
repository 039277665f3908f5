//! The Camat's recommendation and the deadlines in the browser (issue 17): the desa's
//! *Ajukan Rekomendasi* form and list, the kecamatan's queue (overdue first, in red) and one
//! request per screen with *Setujui* / *Tolak* / *Kembalikan*, the letter, and *Tenggat*.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use time::Date;

use super::perangkat::{Kiriman, Pilihan, pilihan, pilihan_jabatan};
use super::{Formulir, Galat, Halaman, alihkan, render, render_status, waktu};
use crate::akun::Peran;
use crate::akun::sesi::Sesi;
use crate::desa::{self, Desa};
use crate::error::{AppError, Hasil};
use crate::id::RekomendasiId;
use crate::kernel::berkas::{respon_berkas, respon_pdf};
use crate::kernel::{AppState, alamat_dasar, hari_ini, saat};
use crate::kode::Kode;
use crate::perangkat::kode::{Agama, AlasanBerhenti, JenisKelamin, Pendidikan, label_dari};
use crate::rekomendasi::hari_kerja::tanggal_libur;
use crate::rekomendasi::tenggat::{self, Tenggat};
use crate::rekomendasi::{
    self, Calon, Detail, Input, JENIS_DOKUMEN, Keputusan, Rekomendasi, StatusRekomendasi, teks_batas,
};

/// A request as a row or a page shows it.
pub struct Baris {
    pub r: Rekomendasi,
    pub jabatan: String,
    pub batas: String,
    pub terlambat: bool,
    pub diajukan: String,
}

impl Baris {
    fn dari(state: &AppState, r: Rekomendasi, desa: Option<&Desa>, hari: Date, libur: &BTreeSet<Date>) -> Baris {
        Baris {
            jabatan: desa.map(|d| r.nama_jabatan(d)).unwrap_or_else(|| r.jabatan.clone()),
            batas: teks_batas(&r, hari, libur),
            terlambat: r.terlambat(hari),
            diajukan: waktu(state, r.diajukan_pada),
            r,
        }
    }
}

async fn baris_semua(state: &AppState, sesi: &Sesi, desa_kode: Option<&str>) -> Hasil<Vec<Baris>> {
    let rows = rekomendasi::daftar(&state.db, &sesi.akun, desa_kode, None, 500).await?;
    let desa: HashMap<String, Desa> = desa::daftar(&state.db, &sesi.akun, "")
        .await?
        .into_iter()
        .map(|d| (d.kode.clone(), d))
        .collect();
    let hari = hari_ini(state);
    let libur = tanggal_libur(&state.db).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let d = desa.get(&r.desa_kode);
            Baris::dari(state, r, d, hari, &libur)
        })
        .collect())
}

#[derive(Template)]
#[template(path = "rekomendasi_daftar.html")]
struct HalamanDaftar {
    h: Halaman,
    baris: Vec<Baris>,
    /// The operator's desa (the *Ajukan* button).
    ajukan: Option<String>,
    kecamatan: bool,
}

/// `GET /rekomendasi`: the requests of one's scope — the kecamatan's queue, overdue first.
pub async fn daftar(State(state): State<AppState>, sesi: Sesi) -> Hasil<Response> {
    let baris = baris_semua(&state, &sesi, None).await?;
    let mut baris = baris;
    // Overdue first (the queue is already by deadline).
    baris.sort_by_key(|b| !b.terlambat);
    let ajukan = (rekomendasi::boleh_ajukan(&sesi.akun, sesi.akun.cakupan.kode())
        && sesi.akun.peran == Peran::Operator)
        .then(|| sesi.akun.cakupan.kode().to_string());
    let h = Halaman::baru(&state, &sesi, "Rekomendasi Camat", "/rekomendasi");
    Ok(render(&HalamanDaftar {
        h,
        baris,
        ajukan,
        kecamatan: matches!(sesi.akun.peran, Peran::Kecamatan | Peran::Kabupaten | Peran::Admin),
    }))
}

/// What the request form shows (three candidate blocks).
#[derive(Template)]
#[template(path = "rekomendasi_baru.html")]
struct HalamanBaru {
    h: Halaman,
    d: Desa,
    jenis: String,
    jabatan: Vec<Pilihan>,
    jabatan_pilih: String,
    dusun: Vec<String>,
    dusun_pilih: String,
    calon: Vec<Calon>,
    perangkat: Vec<(i64, String)>,
    perangkat_pilih: String,
    alasan: Vec<Pilihan>,
    alasan_pilih: String,
    catatan: String,
    jenis_kelamin: Vec<Pilihan>,
    agama: Vec<Pilihan>,
    pendidikan: Vec<Pilihan>,
    galat: Vec<(String, String)>,
    setuju_satu: bool,
}

impl HalamanBaru {
    fn galat(&self, f: &str) -> Option<&str> {
        self.galat.iter().find(|(k, _)| k == f).map(|(_, m)| m.as_str())
    }
    fn galat_calon(&self, i: &usize, f: &str) -> Option<&str> {
        self.galat(&format!("calon[{i}].{f}"))
    }
}

const CALON_DI_FORM: usize = 3;

async fn tampil_baru(state: &AppState, sesi: &Sesi, kode: &str, isi: IsiBaru) -> Hasil<Response> {
    let d = desa::ambil(&state.db, &sesi.akun, kode).await?;
    if !rekomendasi::boleh_ajukan(&sesi.akun, &d.kode) {
        return Err(AppError::Terlarang);
    }
    let dusun = desa::dusun(&state.db, &d.kode).await?;
    let (rows, _) = crate::perangkat::daftar(
        &state.db,
        &sesi.akun,
        Some(&d.kode),
        &crate::perangkat::Saring::default(),
    )
    .await?;
    let perangkat = rows
        .into_iter()
        .filter(|b| b.data.aktif() && b.status == crate::perangkat::kode::StatusAlur::Tersimpan)
        .map(|b| {
            (
                b.id.0,
                format!("{} — {}", b.data.nama_lengkap(), b.data.nama_jabatan(&d)),
            )
        })
        .collect();
    let mut calon = isi.input.calon.clone();
    calon.resize(CALON_DI_FORM.max(calon.len()), Calon::default());
    let status = if isi.galat.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let h = Halaman::baru(state, sesi, "Ajukan Rekomendasi Camat", "/rekomendasi");
    let mut jabatan = pilihan_jabatan(&d);
    jabatan.retain(|p| p.kode != "kepala_desa");
    Ok(render_status(
        status,
        &HalamanBaru {
            h,
            jabatan,
            dusun,
            jenis: if isi.input.jenis.is_empty() {
                "pengangkatan".into()
            } else {
                isi.input.jenis.clone()
            },
            jabatan_pilih: isi.input.jabatan.clone(),
            dusun_pilih: isi.input.dusun.clone(),
            calon,
            perangkat,
            perangkat_pilih: isi.input.perangkat_id.map(|p| p.0.to_string()).unwrap_or_default(),
            alasan: pilihan::<AlasanBerhenti>(),
            alasan_pilih: isi.input.alasan_pemberhentian.clone(),
            catatan: isi.input.catatan.clone(),
            jenis_kelamin: pilihan::<JenisKelamin>(),
            agama: pilihan::<Agama>(),
            pendidikan: pilihan::<Pendidikan>(),
            galat: isi.galat,
            setuju_satu: isi.setuju_satu,
            d,
        },
    ))
}

#[derive(Default)]
struct IsiBaru {
    input: Input,
    galat: Vec<(String, String)>,
    setuju_satu: bool,
}

/// `GET /desa/{kode}/rekomendasi/baru`: *Ajukan Rekomendasi* (the operator).
pub async fn baru(State(state): State<AppState>, sesi: Sesi, Path(kode): Path<String>) -> Hasil<Response> {
    tampil_baru(&state, &sesi, &kode, IsiBaru::default()).await
}

/// The form's fields as a request: `calon{i}_{field}` for each candidate block that has a name
/// or a NIK.
fn input_dari(f: &HashMap<String, String>) -> Input {
    let v = |k: &str| f.get(k).cloned().unwrap_or_default();
    let mut calon = Vec::new();
    for i in 0..CALON_DI_FORM {
        let c = |k: &str| v(&format!("calon{i}_{k}"));
        let x = Calon {
            nama: c("nama"),
            gelar_depan: c("gelar_depan"),
            gelar_belakang: c("gelar_belakang"),
            nik: c("nik"),
            jenis_kelamin: c("jenis_kelamin"),
            tempat_lahir: c("tempat_lahir"),
            tanggal_lahir: c("tanggal_lahir"),
            agama: c("agama"),
            pendidikan_terakhir: c("pendidikan_terakhir"),
            alamat: c("alamat"),
            nomor_hp: c("nomor_hp"),
            ..Calon::default()
        };
        if !x.nama.trim().is_empty() || !x.nik.trim().is_empty() {
            calon.push(x);
        }
    }
    Input {
        jenis: v("jenis"),
        jabatan: v("jabatan"),
        dusun: v("dusun"),
        calon,
        perangkat_id: v("perangkat_id").trim().parse().ok().map(crate::id::PerangkatId),
        alasan_pemberhentian: v("alasan_pemberhentian"),
        catatan: v("catatan"),
    }
}

/// `POST /desa/{kode}/rekomendasi`: submits the request. Fewer than two candidates must be
/// acknowledged (a warning the operator confirms).
pub async fn ajukan(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    f: Formulir<HashMap<String, String>>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    let input = input_dari(&data);
    let setuju_satu = data.get("setuju_satu").is_some_and(|v| v == "ya");
    if input.jenis == "pengangkatan" && input.calon.len() == 1 && !setuju_satu {
        let galat = vec![(
            "setuju_satu".to_string(),
            "Hanya satu calon. Konsultasi kepada Camat memuat sekurang-kurangnya dua calon; centang pernyataan bila tetap diajukan."
                .to_string(),
        )];
        return tampil_baru(
            &state,
            &sesi,
            &kode,
            IsiBaru {
                input,
                galat,
                setuju_satu,
            },
        )
        .await;
    }
    match rekomendasi::ajukan(&state.db, &sesi.akun, &kode, &input, saat(&state)).await {
        Ok(h) => {
            let pesan = format!(
                "Permohonan rekomendasi diajukan. Batas jawaban Camat: {}. Unggah dokumen persyaratannya di bawah.",
                crate::perangkat::data::tanggal_id(&h.batas_waktu)
            );
            alihkan(&state, &sesi, &format!("/rekomendasi/{}", h.id), &pesan).await
        }
        Err(AppError::ValidasiDinamis(g)) => {
            tampil_baru(
                &state,
                &sesi,
                &kode,
                IsiBaru {
                    input,
                    galat: g,
                    setuju_satu,
                },
            )
            .await
        }
        Err(AppError::Validasi(g)) => {
            let galat = g.into_iter().map(|(f, m)| (f.to_string(), m)).collect();
            tampil_baru(
                &state,
                &sesi,
                &kode,
                IsiBaru {
                    input,
                    galat,
                    setuju_satu,
                },
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "rekomendasi.html")]
struct HalamanRekomendasi {
    h: Halaman,
    b: Baris,
    d: Desa,
    calon: Vec<(usize, Calon, Vec<rekomendasi::DokumenRekomendasi>)>,
    dokumen_umum: Vec<rekomendasi::DokumenRekomendasi>,
    perangkat: Option<crate::perangkat::data::Data>,
    boleh_ajukan: bool,
    boleh_putuskan: bool,
    diputuskan: String,
    jenis_dokumen: Vec<(&'static str, &'static str)>,
    galat: Galat,
    catatan: String,
    batas_mb: usize,
    /// The entry made from it, if any.
    entri: Option<i64>,
    /// May enter officials of the desa (the *Tambah Perangkat* button).
    boleh_entri: bool,
}

impl HalamanRekomendasi {
    fn disetujui(&self, i: &usize) -> bool {
        self.b.r.calon_disetujui == Some(*i as i64)
    }
    fn boleh_ajukan_entri(&self) -> bool {
        self.boleh_entri
    }
    fn pendidikan(&self, c: &Calon) -> String {
        label_dari::<Pendidikan>(&c.pendidikan_terakhir).to_string()
    }
}

async fn tampil(
    state: &AppState,
    sesi: &Sesi,
    id: RekomendasiId,
    galat: Vec<(&'static str, String)>,
    catatan: String,
) -> Hasil<Response> {
    let Detail {
        r,
        calon,
        dokumen,
        perangkat,
    } = rekomendasi::detail(&state.db, &sesi.akun, id).await?;
    let d = desa::ambil(&state.db, &sesi.akun, &r.desa_kode).await?;
    let hari = hari_ini(state);
    let libur = tanggal_libur(&state.db).await?;
    let (per_calon, umum): (Vec<_>, Vec<_>) = dokumen.into_iter().partition(|x| x.calon.is_some());
    let calon = calon
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let dok = per_calon
                .iter()
                .filter(|x| x.calon == Some(i as i64))
                .cloned()
                .collect();
            (i, c, dok)
        })
        .collect();
    let entri: Option<i64> = crate::read!(state.db, c => {
        sqlx::query_scalar("SELECT id FROM perangkat WHERE rekomendasi_id = $1 AND dihapus_pada IS NULL LIMIT 1")
            .bind(id)
            .fetch_optional(c)
            .await?
    });
    let status = super::status_galat(&galat);
    let b = Baris::dari(state, r, Some(&d), hari, &libur);
    let h = Halaman::baru(
        state,
        sesi,
        format!("Rekomendasi Camat — {}", b.jabatan),
        "/rekomendasi",
    );
    Ok(render_status(
        status,
        &HalamanRekomendasi {
            h,
            boleh_ajukan: rekomendasi::boleh_ajukan(&sesi.akun, &d.kode) && !b.r.status.diputuskan(),
            boleh_putuskan: rekomendasi::boleh_putuskan(&sesi.akun, &d.kode)
                && b.r.status == StatusRekomendasi::Diajukan,
            diputuskan: b.r.diputuskan_pada.map(|w| waktu(state, w)).unwrap_or_default(),
            calon,
            dokumen_umum: umum,
            perangkat,
            jenis_dokumen: JENIS_DOKUMEN.to_vec(),
            galat: Galat::dari(galat),
            catatan,
            batas_mb: state.config.batas_unggah / (1024 * 1024),
            entri,
            boleh_entri: crate::perangkat::boleh_ubah(&sesi.akun, &d.kode),
            b,
            d,
        },
    ))
}

/// `GET /rekomendasi/{id}`: one request — candidates with their documents, the deadline, the
/// decision or its forms.
pub async fn halaman(State(state): State<AppState>, sesi: Sesi, Path(id): Path<RekomendasiId>) -> Hasil<Response> {
    tampil(&state, &sesi, id, vec![], String::new()).await
}

#[derive(serde::Deserialize)]
pub struct InputKeputusan {
    #[serde(default)]
    hasil: String,
    #[serde(default)]
    calon: String,
    #[serde(default)]
    catatan: String,
}

/// `POST /rekomendasi/{id}/keputusan`: *Setujui* (with the candidate) or *Tolak* (reason
/// required), the kecamatan only.
pub async fn keputusan(
    State(state): State<AppState>,
    Path(id): Path<RekomendasiId>,
    f: Formulir<InputKeputusan>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    rekomendasi::boleh_diputuskan(&state.db, &sesi.akun, id).await?;
    let setuju = match data.hasil.as_str() {
        "setujui" => Some(true),
        "tolak" => Some(false),
        _ => None,
    };
    let k = Keputusan {
        setuju,
        calon: data.calon.trim().parse().ok(),
        catatan: data.catatan.clone(),
    };
    match rekomendasi::putuskan(
        &state.db,
        &state.simpanan,
        &sesi.akun,
        id,
        &k,
        &alamat_dasar(&state),
        state.instansi.zona,
        saat(&state),
    )
    .await
    {
        Ok(h) => {
            let pesan = format!(
                "Rekomendasi {} dengan surat nomor {}. Desa dapat mengunduh suratnya sekarang.",
                h.status.label().to_lowercase(),
                h.nomor_surat
            );
            alihkan(&state, &sesi, &format!("/rekomendasi/{id}"), &pesan).await
        }
        Err(AppError::Validasi(g)) => tampil(&state, &sesi, id, g, data.catatan).await,
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize)]
pub struct InputCatatan {
    #[serde(default)]
    catatan: String,
}

/// `POST /rekomendasi/{id}/kembalikan`: back to the desa for what is missing (the kecamatan).
pub async fn kembalikan(
    State(state): State<AppState>,
    Path(id): Path<RekomendasiId>,
    f: Formulir<InputCatatan>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    match rekomendasi::kembalikan(&state.db, &sesi.akun, id, &data.catatan, saat(&state)).await {
        Ok(_) => alihkan(
            &state,
            &sesi,
            &format!("/rekomendasi/{id}"),
            "Permohonan dikembalikan ke desa untuk dilengkapi. Batas waktu berhenti sampai desa mengajukannya kembali.",
        )
        .await,
        Err(AppError::Validasi(g)) => {
            let g = g.into_iter().map(|(_, m)| ("catatan_kembali", m)).collect();
            tampil(&state, &sesi, id, g, data.catatan).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /rekomendasi/{id}/ajukan-ulang`: the desa submits a returned request again.
pub async fn ajukan_ulang(
    State(state): State<AppState>,
    Path(id): Path<RekomendasiId>,
    f: Formulir<InputCatatan>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    match rekomendasi::ajukan_ulang(&state.db, &sesi.akun, id, &data.catatan, saat(&state)).await {
        Ok(r) => {
            let pesan = format!(
                "Permohonan diajukan kembali. Batas jawaban Camat: {}.",
                crate::perangkat::data::tanggal_id(&r.batas_waktu)
            );
            alihkan(&state, &sesi, &format!("/rekomendasi/{id}"), &pesan).await
        }
        Err(AppError::Validasi(g)) => tampil(&state, &sesi, id, g, data.catatan).await,
        Err(e) => Err(e),
    }
}

/// `POST /rekomendasi/{id}/dokumen` (multipart): a document of the request or of a candidate.
pub async fn unggah(State(state): State<AppState>, Path(id): Path<RekomendasiId>, k: Kiriman) -> Hasil<Response> {
    rekomendasi::boleh_ubah(&state.db, &k.sesi.akun, id).await?;
    if let Some(batas) = k.berkas_terlalu_besar {
        let g = vec![("berkas", AppError::TerlaluBesar { batas }.pesan())];
        return tampil(&state, &k.sesi, id, g, String::new()).await;
    }
    let (nama, isi) = k.berkas.clone().unwrap_or_default();
    let calon = k.teks.get("calon").map(String::as_str);
    match rekomendasi::unggah(
        &state.db,
        &state.simpanan,
        &k.sesi.akun,
        id,
        k.teks.get("jenis").map(String::as_str).unwrap_or(""),
        calon,
        &nama,
        isi,
        state.clock.now(),
    )
    .await
    {
        Ok(d) => {
            let pesan = format!("{} diunggah ({}).", d.label_jenis(), d.ringkas());
            alihkan(&state, &k.sesi, &format!("/rekomendasi/{id}"), &pesan).await
        }
        Err(AppError::Validasi(g)) => tampil(&state, &k.sesi, id, g, String::new()).await,
        Err(e) => Err(e),
    }
}

/// `GET /rekomendasi/{id}/pdf`: the letter.
pub async fn pdf(State(state): State<AppState>, sesi: Sesi, Path(id): Path<RekomendasiId>) -> Hasil<Response> {
    let (r, isi) = rekomendasi::pdf(&state.db, &state.simpanan, &sesi.akun, id, state.clock.now()).await?;
    Ok(respon_pdf(isi, &rekomendasi::surat::nama_berkas(&r)))
}

/// `GET /rekomendasi/{id}/dokumen/{dokumen}`: a document of the request.
pub async fn dokumen(
    State(state): State<AppState>,
    sesi: Sesi,
    Path((id, dok)): Path<(RekomendasiId, i64)>,
) -> Hasil<Response> {
    let (d, isi) =
        rekomendasi::unduh_dokumen(&state.db, &state.simpanan, &sesi.akun, id, dok, state.clock.now()).await?;
    Ok(respon_berkas(&d.sebagai_dokumen(), isi, false))
}

#[derive(Template)]
#[template(path = "tenggat.html")]
struct HalamanTenggat {
    h: Halaman,
    baris: Vec<Tenggat>,
    terlambat: usize,
}

/// `GET /tenggat`: every deadline of one's scope, overdue first.
pub async fn tenggat(State(state): State<AppState>, sesi: Sesi) -> Hasil<Response> {
    let baris = tenggat::daftar(&state.db, &sesi.akun, hari_ini(&state)).await?;
    let terlambat = baris.iter().filter(|b| b.terlambat).count();
    let h = Halaman::baru(&state, &sesi, "Tenggat", "/tenggat");
    Ok(render(&HalamanTenggat { h, baris, terlambat }))
}

/// The words of a status code (for templates).
pub fn label_status(s: StatusRekomendasi) -> &'static str {
    s.label()
}
