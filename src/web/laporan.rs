//! Reports on the web (SOP steps 6–7): the operator prints the Buku Aparat Pemerintah Desa
//! (a numbered snapshot), the Kepala Desa receives it ("Terima") or rejects it with a note
//! ("Tolak"), and anyone may check an accepted report's code on the public page
//! `/verifikasi/{kode}`. `/desa/{kode}/buku-aparat.pdf` is an unnumbered preview.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Formulir, Galat, Halaman, alihkan, render, render_status, waktu};
use crate::akun::Peran;
use crate::akun::sesi::Sesi;
use crate::desa::{self, Desa};
use crate::error::{AppError, Hasil};
use crate::id::{LaporanId, PerangkatId};
use crate::kernel::AppState;
use crate::kernel::berkas::respon_pdf;
use crate::kernel::halaman::label_menu;
use crate::kernel::{alamat_dasar, hari_ini};
use crate::kode::Kode;
use crate::laporan::arsip::{self, Laporan, StatusLaporan, Tanggapan, Verifikasi};
use crate::laporan::buku_aparat::{self, Calon, PilihPenanda};

#[derive(serde::Deserialize, Default)]
pub struct Periode {
    #[serde(default)]
    tahun: Option<String>,
}

fn nama_berkas(l: &Laporan) -> String {
    format!(
        "buku-aparat-{}-{}-{}.pdf",
        crate::wilayah::slug(&l.desa_nama),
        l.periode,
        l.nomor.split('/').next().unwrap_or("0")
    )
}

/// `GET /desa/{kode}/buku-aparat.pdf?tahun=YYYY`: a preview from the saved data (unnumbered),
/// for everybody who may see the desa.
pub async fn buku_aparat(
    State(state): State<AppState>,
    sesi: Sesi,
    Path(kode): Path<String>,
    Query(q): Query<Periode>,
) -> Hasil<Response> {
    let hari = hari_ini(&state);
    let tahun = arsip::periksa_tahun(q.tahun.as_deref(), hari)?;
    let data = buku_aparat::kumpulkan(&state.db, &sesi.akun, &kode, tahun, hari, PilihPenanda::default()).await?;
    let nama = format!("pratinjau-buku-aparat-{}-{tahun}.pdf", crate::wilayah::slug(&data.desa));
    // Names and birth dates leave the system: the access is audited like a download.
    let mut tx = state.db.begin().await?;
    crate::audit::catat(
        &mut tx,
        state.clock.now(),
        &sesi.akun.pelaku(),
        crate::audit::Aksi::LaporanPratinjau,
        &format!("desa:{kode}"),
        serde_json::json!({ "periode": tahun, "baris": data.baris.len() }),
    )
    .await?;
    tx.commit().await?;
    let pdf = tokio::task::spawn_blocking(move || buku_aparat::render(&data))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    Ok(respon_pdf(pdf, &nama))
}

#[derive(Template)]
#[template(path = "laporan_baru.html")]
struct HalamanCetak {
    h: Halaman,
    d: Desa,
    tahun: Vec<i32>,
    tahun_pilih: i32,
    calon: Vec<Calon>,
    pilih: PilihPenanda,
    galat: Galat,
}

impl HalamanCetak {
    fn terpilih(&self, kiri: bool, id: &PerangkatId) -> bool {
        let p = if kiri {
            self.pilih.penanda_kiri
        } else {
            self.pilih.penanda_kanan
        };
        p == Some(*id)
    }
}

async fn tampil_cetak(
    state: &AppState,
    sesi: &Sesi,
    kode: &str,
    tahun_pilih: Option<i32>,
    pilih: Option<PilihPenanda>,
    galat: crate::error::FieldErrors,
) -> Hasil<Response> {
    let d = desa::ambil(&state.db, &sesi.akun, kode).await?;
    if !arsip::boleh_cetak(&sesi.akun, &d.kode) {
        return Err(AppError::Terlarang);
    }
    let (calon, bawaan) = buku_aparat::calon_penanda(&state.db, &d).await?;
    let sekarang = hari_ini(state).year();
    let status = super::status_galat(&galat);
    let h = Halaman::baru(state, sesi, "Cetak Buku Aparat", &super::menu_desa(&sesi.akun, &d.kode));
    Ok(render_status(
        status,
        &HalamanCetak {
            h,
            d,
            tahun: (sekarang - 5..=sekarang).rev().collect(),
            tahun_pilih: tahun_pilih.unwrap_or(sekarang),
            calon,
            pilih: pilih.unwrap_or(bawaan),
            galat: Galat::dari(galat),
        },
    ))
}

/// `GET /desa/{kode}/laporan/baru`: the print form (period, signers).
pub async fn baru(State(state): State<AppState>, sesi: Sesi, Path(kode): Path<String>) -> Hasil<Response> {
    tampil_cetak(&state, &sesi, &kode, None, None, vec![]).await
}

#[derive(serde::Deserialize)]
pub struct InputCetak {
    #[serde(default)]
    tahun: String,
    #[serde(default)]
    penanda_kiri: String,
    #[serde(default)]
    penanda_kanan: String,
}

fn id_pilihan(s: &str, field: &'static str) -> Hasil<Option<i64>> {
    match s.trim() {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| AppError::Validasi(vec![(field, "Pilih penanda tangan dari daftar.".into())])),
    }
}

/// `POST /desa/{kode}/laporan`: prints the report (a numbered snapshot for the Kepala Desa).
pub async fn buat(State(state): State<AppState>, Path(kode): Path<String>, f: Formulir<InputCetak>) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    let hari = hari_ini(&state);
    let hasil = async {
        let tahun = arsip::periksa_tahun(Some(&data.tahun), hari)?;
        let pilih = PilihPenanda {
            penanda_kiri: id_pilihan(&data.penanda_kiri, "penanda_kiri")?.map(PerangkatId),
            penanda_kanan: id_pilihan(&data.penanda_kanan, "penanda_kanan")?.map(PerangkatId),
        };
        arsip::buat(
            &state.db,
            &state.simpanan,
            &sesi.akun,
            &kode,
            tahun,
            pilih,
            crate::kernel::saat(&state),
        )
        .await
    }
    .await;
    match hasil {
        Ok(l) => {
            let d = desa::ambil(&state.db, &sesi.akun, &l.desa_kode).await?;
            let mut pesan = format!(
                "Buku Aparat nomor {} dicetak dan menunggu diterima {}.",
                l.nomor, d.sebutan_kepala_desa
            );
            let lama = arsip::yang_diganti(&state.db, &sesi.akun, l.id).await?;
            if !lama.is_empty() {
                pesan.push_str(&format!(
                    " Laporan yang masih menunggu ({}) ditandai Diganti; {} hanya perlu menanggapi yang baru ini.",
                    lama.join(", "),
                    d.sebutan_kepala_desa
                ));
            }
            alihkan(&state, &sesi, &format!("/laporan/{}", l.id), &pesan).await
        }
        Err(AppError::Validasi(g)) => {
            let pilih = PilihPenanda {
                penanda_kiri: data.penanda_kiri.trim().parse().ok(),
                penanda_kanan: data.penanda_kanan.trim().parse().ok(),
            };
            tampil_cetak(&state, &sesi, &kode, data.tahun.trim().parse().ok(), Some(pilih), g).await
        }
        Err(e) => Err(e),
    }
}

/// A report as a list row or a page shows it.
pub struct LaporanTampil {
    pub l: Laporan,
    pub status: StatusLaporan,
    pub dibuat: String,
    pub ditanggapi: String,
    pub diganti: Option<String>,
}

impl LaporanTampil {
    pub fn dari(state: &AppState, l: Laporan) -> Self {
        LaporanTampil {
            status: l.status_enum(),
            dibuat: waktu(state, l.dibuat_pada),
            ditanggapi: l.ditanggapi_pada.map(|w| waktu(state, w)).unwrap_or_default(),
            diganti: l.diganti_pada.map(|w| waktu(state, w)),
            l,
        }
    }
}

#[derive(Template)]
#[template(path = "laporan_daftar.html")]
struct HalamanDaftar {
    h: Halaman,
    kepala_desa: bool,
    menunggu: Vec<LaporanTampil>,
    lainnya: Vec<LaporanTampil>,
}

/// `GET /laporan`: the reports of one's scope; for the Kepala Desa, those waiting first.
pub async fn daftar(State(state): State<AppState>, sesi: Sesi) -> Hasil<Response> {
    let semua = arsip::daftar(&state.db, &sesi.akun, None, 200).await?;
    let (menunggu, lainnya): (Vec<_>, Vec<_>) = semua
        .into_iter()
        .map(|l| LaporanTampil::dari(&state, l))
        .partition(|t| t.status == StatusLaporan::Menunggu);
    let judul = label_menu(sesi.akun.peran);
    let h = Halaman::baru(&state, &sesi, judul, "/laporan");
    Ok(render(&HalamanDaftar {
        h,
        kepala_desa: sesi.akun.peran == Peran::KepalaDesa,
        menunggu,
        lainnya,
    }))
}

#[derive(Template)]
#[template(path = "laporan.html")]
struct HalamanLaporan {
    h: Halaman,
    t: LaporanTampil,
    sebutan: String,
    boleh_tanggapi: bool,
    boleh_cetak: bool,
    galat: Galat,
    catatan: String,
}

async fn tampil_laporan(
    state: &AppState,
    sesi: &Sesi,
    id: LaporanId,
    galat: crate::error::FieldErrors,
    catatan: String,
) -> Hasil<Response> {
    let l = arsip::ambil(&state.db, &sesi.akun, id).await?;
    let d = desa::ambil(&state.db, &sesi.akun, &l.desa_kode).await?;
    let boleh_tanggapi = arsip::boleh_tanggapi(&sesi.akun, &l.desa_kode) && l.status_enum() == StatusLaporan::Menunggu;
    let boleh_cetak = arsip::boleh_cetak(&sesi.akun, &l.desa_kode);
    let h = Halaman::baru(state, sesi, format!("Laporan {}", l.nomor), "/laporan");
    let status = super::status_galat(&galat);
    Ok(render_status(
        status,
        &HalamanLaporan {
            h,
            t: LaporanTampil::dari(state, l),
            sebutan: d.sebutan_kepala_desa,
            boleh_tanggapi,
            boleh_cetak,
            galat: Galat::dari(galat),
            catatan,
        },
    ))
}

/// `GET /laporan/{id}`: the report beside its status; for the Kepala Desa, "Terima" and "Tolak".
pub async fn halaman(State(state): State<AppState>, sesi: Sesi, Path(id): Path<LaporanId>) -> Hasil<Response> {
    tampil_laporan(&state, &sesi, id, vec![], String::new()).await
}

/// `GET /laporan/{id}/pdf`: the stored PDF (the receipted one once accepted).
pub async fn pdf(State(state): State<AppState>, sesi: Sesi, Path(id): Path<LaporanId>) -> Hasil<Response> {
    let (l, isi) = arsip::pdf(&state.db, &state.simpanan, &sesi.akun, id, state.clock.now()).await?;
    Ok(respon_pdf(isi, &nama_berkas(&l)))
}

#[derive(serde::Deserialize)]
pub struct InputTanggapan {
    #[serde(default)]
    hasil: String,
    #[serde(default)]
    catatan: String,
}

/// `POST /laporan/{id}/penerimaan`: "Terima" or "Tolak" (with a note).
pub async fn tanggapi(
    State(state): State<AppState>,
    Path(id): Path<LaporanId>,
    f: Formulir<InputTanggapan>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    arsip::boleh_ditanggapi(&state.db, &sesi.akun, id).await?;
    let diterima = match data.hasil.as_str() {
        "terima" => true,
        "tolak" => false,
        _ => return Err(AppError::Permintaan("Pilih Terima atau Tolak.".into())),
    };
    let alamat = alamat_dasar(&state);
    let t = Tanggapan {
        diterima,
        catatan: &data.catatan,
        alamat_dasar: &alamat,
        zona: state.instansi.zona,
    };
    match arsip::tanggapi(&state.db, &state.simpanan, &sesi.akun, id, t, state.clock.now()).await {
        Ok(l) => {
            let pesan = match l.ditanggapi_pada {
                Some(w) if diterima => format!("Laporan diterima pada {}.", waktu(&state, w)),
                _ => "Laporan ditolak. Operator desa melihat catatan Anda dan akan mencetak laporan baru.".into(),
            };
            alihkan(&state, &sesi, &format!("/laporan/{id}"), &pesan).await
        }
        Err(AppError::Validasi(g)) => tampil_laporan(&state, &sesi, id, g, data.catatan).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "verifikasi.html")]
struct HalamanVerifikasi {
    h: Halaman,
    kode: String,
    dicari: bool,
    hasil: Option<Verifikasi>,
    /// A Camat's recommendation letter with this code (issue 17).
    surat: Option<crate::rekomendasi::Verifikasi>,
    dibuat: String,
    diterima: String,
}

#[derive(serde::Deserialize, Default)]
pub struct CariKode {
    #[serde(default)]
    kode: Option<String>,
}

async fn tampil_verifikasi(state: &AppState, kode: Option<String>) -> Hasil<Response> {
    let kode = kode
        .map(|k| k.trim().chars().take(40).collect::<String>())
        .filter(|k| !k.is_empty());
    let hasil = match &kode {
        Some(k) => arsip::verifikasi(&state.db, &state.simpanan, k).await?,
        None => None,
    };
    let surat = match &kode {
        Some(k) if hasil.is_none() => crate::rekomendasi::verifikasi(&state.db, &state.simpanan, k).await?,
        _ => None,
    };
    let status = if kode.is_some() && hasil.is_none() && surat.is_none() {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let t = HalamanVerifikasi {
        h: Halaman::tamu(&state.instansi.nama, "Verifikasi Dokumen"),
        dicari: kode.is_some(),
        kode: kode
            .map(|k| arsip::normalkan_kode(&k).map(|n| arsip::kode_tampil(&n)).unwrap_or(k))
            .unwrap_or_default(),
        dibuat: hasil
            .as_ref()
            .map(|v| waktu(state, v.dibuat_pada))
            .or_else(|| surat.as_ref().map(|v| waktu(state, v.diputuskan_pada)))
            .unwrap_or_default(),
        diterima: hasil
            .as_ref()
            .map(|v| waktu(state, v.diterima_pada))
            .unwrap_or_default(),
        hasil,
        surat,
    };
    Ok(render_status(status, &t))
}

/// `GET /verifikasi?kode=…`: the public verification form (and its answer).
pub async fn verifikasi_cari(State(state): State<AppState>, Query(q): Query<CariKode>) -> Hasil<Response> {
    if let Some(k) = q.kode.as_deref().and_then(arsip::normalkan_kode) {
        return Ok(Redirect::to(&format!("/verifikasi/{k}")).into_response());
    }
    tampil_verifikasi(&state, q.kode).await
}

/// `GET /verifikasi/{kode}`: is this an accepted report of SIPKATDES? Nothing personal shown.
pub async fn verifikasi(State(state): State<AppState>, Path(kode): Path<String>) -> Hasil<Response> {
    tampil_verifikasi(&state, Some(kode)).await
}
