//! The kecamatan's pages (SOP step 8): the dashboard of every desa (`/dasbor`), the warnings
//! across all of them (`/peringatan`), the recap downloads, and the verification of a saved
//! record (`POST /perangkat/{id}/verifikasi`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::perangkat::hari_ini;
use super::{Formulir, Halaman, alihkan, render, waktu};
use crate::akun::Peran;
use crate::akun::sesi::Sesi;
use crate::app::AppState;
use crate::error::{AppError, Hasil};
use crate::kecamatan::{self, BarisDasbor, BarisPeringatan, Batang};
use crate::perangkat::verifikasi;

/// Who sees the kecamatan's pages: kecamatan staff, the kabupaten (read-only) and the admin.
pub fn boleh_dasbor(peran: Peran) -> bool {
    matches!(peran, Peran::Kecamatan | Peran::Kabupaten | Peran::Admin)
}

/// A horizontal bar chart drawn on the server (SVG; no JavaScript).
pub struct Diagram {
    pub judul: &'static str,
    pub keterangan: String,
    pub batang: Vec<BatangSvg>,
    pub tinggi: usize,
}

pub struct BatangSvg {
    pub label: String,
    pub nilai: usize,
    pub y: usize,
    pub lebar: usize,
    pub teks_x: usize,
}

const LEBAR_BATANG: usize = 190;

fn diagram(judul: &'static str, data: &[Batang]) -> Diagram {
    let maks = data.iter().map(|b| b.nilai).max().unwrap_or(0).max(1);
    let batang: Vec<BatangSvg> = data
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let lebar = b.nilai * LEBAR_BATANG / maks;
            BatangSvg {
                label: b.label.clone(),
                nilai: b.nilai,
                y: i * 26,
                lebar,
                teks_x: 104 + lebar + 6,
            }
        })
        .collect();
    Diagram {
        judul,
        keterangan: data
            .iter()
            .map(|b| format!("{}: {}", b.label, b.nilai))
            .collect::<Vec<_>>()
            .join(", "),
        tinggi: batang.len() * 26,
        batang,
    }
}

/// A dashboard row with its times written for people.
pub struct BarisTampil {
    pub b: BarisDasbor,
    pub sinkron: String,
    pub sinkron_tepat: String,
    pub laporan: String,
}

#[derive(Template)]
#[template(path = "dasbor.html")]
struct HalamanDasbor {
    h: Halaman,
    baris: Vec<BarisTampil>,
    total: BarisDasbor,
    diagram: Vec<Diagram>,
    urut: String,
    banyak_kecamatan: bool,
}

impl HalamanDasbor {
    /// The link of a sortable column header: a second click reverses the order.
    fn tautan_urut(&self, kolom: &str) -> String {
        if self.urut == kolom {
            format!("?urut={kolom}-turun")
        } else {
            format!("?urut={kolom}")
        }
    }

    fn aria_sort(&self, kolom: &str) -> &'static str {
        if self.urut == kolom {
            "ascending"
        } else if self.urut == format!("{kolom}-turun") {
            "descending"
        } else {
            "none"
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Urut {
    #[serde(default)]
    urut: String,
}

fn urutkan(baris: &mut [BarisTampil], urut: &str) {
    let (kolom, turun) = match urut.strip_suffix("-turun") {
        Some(k) => (k, true),
        None => (urut, false),
    };
    baris.sort_by(|a, b| {
        let (a, b) = (&a.b, &b.b);
        let o = match kolom {
            "desa" => a.nama.cmp(&b.nama),
            "aktif" => a.aktif.cmp(&b.aktif),
            "kosong" => a.kosong.cmp(&b.kosong),
            "menunggu" => a.menunggu.cmp(&b.menunggu),
            "sinkron" => a.terakhir_sinkron.cmp(&b.terakhir_sinkron),
            "laporan" => a.laporan_diterima.cmp(&b.laporan_diterima),
            "peringatan" => a.peringatan.cmp(&b.peringatan),
            "sk" => a.sk_lengkap.cmp(&b.sk_lengkap),
            // Default: rows with problems first.
            _ => b
                .masalah()
                .cmp(&a.masalah())
                .then(b.kosong.cmp(&a.kosong))
                .then(a.nama.cmp(&b.nama)),
        };
        if turun { o.reverse() } else { o }
    });
}

/// `GET /dasbor`: every desa of the scope in one table, totals and charts.
pub async fn dasbor(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Urut>) -> Hasil<Response> {
    if !boleh_dasbor(sesi.akun.peran) {
        return Err(AppError::Terlarang);
    }
    let hari = hari_ini(&state);
    let w = kecamatan::muat(&state.db, &sesi.akun, None).await?;
    let d = kecamatan::dasbor(&w, hari);
    let sekarang = state.clock.now();
    let zona = state.instansi.zona;
    let mut baris: Vec<BarisTampil> = d
        .baris
        .into_iter()
        .map(|b| BarisTampil {
            sinkron: b
                .terakhir_sinkron
                .map(|t| crate::waktu::relatif(sekarang, t, zona))
                .unwrap_or_else(|| "belum ada".into()),
            sinkron_tepat: b.terakhir_sinkron.map(|t| waktu(&state, t)).unwrap_or_default(),
            laporan: b
                .laporan_diterima
                .map(|t| crate::waktu::tanggal_jam(t, zona))
                .unwrap_or_else(|| "belum ada".into()),
            b,
        })
        .collect();
    urutkan(&mut baris, &q.urut);
    let banyak_kecamatan = baris.windows(2).any(|w| w[0].b.kecamatan != w[1].b.kecamatan);
    let g = &d.grafik;
    let diagram = vec![
        diagram("Jabatan terisi dan kosong", &g.jabatan),
        diagram("Jenis kelamin", &g.jenis_kelamin),
        diagram("Pendidikan terakhir", &g.pendidikan),
        diagram("Kelompok umur", &g.umur),
        diagram("Akhir masa jabatan 12 bulan ke depan", &g.pensiun),
    ];
    let h = Halaman::baru(&state, &sesi, "Dasbor", "/dasbor");
    Ok(render(&HalamanDasbor {
        h,
        baris,
        total: d.total,
        diagram,
        urut: q.urut,
        banyak_kecamatan,
    }))
}

#[derive(Template)]
#[template(path = "peringatan_semua.html")]
struct HalamanPeringatan {
    h: Halaman,
    baris: Vec<BarisPeringatan>,
    jumlah_orang: usize,
}

/// `GET /peringatan`: every warning of every desa in scope, each linking to its record.
pub async fn peringatan(State(state): State<AppState>, sesi: Sesi) -> Hasil<Response> {
    if !boleh_dasbor(sesi.akun.peran) {
        return Err(AppError::Terlarang);
    }
    let w = kecamatan::muat(&state.db, &sesi.akun, None).await?;
    let baris = kecamatan::semua_peringatan(&w, hari_ini(&state));
    let mut orang: Vec<i64> = baris.iter().map(|b| b.perangkat_id).collect();
    orang.dedup();
    let h = Halaman::baru(&state, &sesi, "Peringatan", "/peringatan");
    Ok(render(&HalamanPeringatan {
        h,
        jumlah_orang: orang.len(),
        baris,
    }))
}

#[derive(serde::Deserialize)]
pub struct InputVerifikasi {
    #[serde(default)]
    hasil: String,
    #[serde(default)]
    catatan: String,
    /// The saved version shown on the page.
    #[serde(default)]
    versi: Option<i64>,
}

/// `POST /perangkat/{id}/verifikasi`: "Verifikasi" or "Kembalikan" (with a note).
pub async fn verifikasi(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    f: Formulir<InputVerifikasi>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    verifikasi::boleh_diverifikasi(&state.db, &sesi.akun, id).await?;
    let terverifikasi = match data.hasil.as_str() {
        "verifikasi" => true,
        "kembalikan" => false,
        _ => return Err(AppError::Permintaan("Pilih Verifikasi atau Kembalikan.".into())),
    };
    match verifikasi::verifikasi(
        &state.db,
        &sesi.akun,
        id,
        terverifikasi,
        &data.catatan,
        data.versi,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => {
            let pesan = if terverifikasi {
                "Data ditandai Terverifikasi Kecamatan."
            } else {
                "Data dikembalikan ke desa dengan catatan Anda. Operator desa akan memeriksanya kembali terhadap SK."
            };
            alihkan(&state, &sesi, &format!("/perangkat/{id}"), pesan).await
        }
        // A missing note: the error page names it; nothing changed.
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct PilihWilayah {
    /// A region code inside one's scope (a kecamatan of a kabupaten user, say).
    #[serde(default)]
    wilayah: Option<String>,
}

/// The recap's title, letterhead and signer for the desa in scope.
fn kepala_rekap(w: &kecamatan::Wilayah, hari: time::Date) -> (String, Vec<String>, String, String, String) {
    let tahun = hari.year();
    let satu_kecamatan = w.desa.windows(2).all(|p| p[0].kecamatan_kode == p[1].kecamatan_kode);
    match w.desa.first() {
        Some(d) if satu_kecamatan => (
            format!(
                "Rekapitulasi Perangkat Desa Kecamatan {} Tahun {tahun}",
                d.kecamatan_nama
            ),
            vec![
                format!("Pemerintah {}", d.kabupaten_nama),
                format!("Kecamatan {}", d.kecamatan_nama),
                format!("Provinsi {}", d.provinsi_nama),
            ],
            format!("{}, {}", d.kecamatan_nama, crate::waktu::tanggal(hari)),
            format!("Camat {}", d.kecamatan_nama),
            format!("rekap-perangkat-kecamatan-{}", crate::demo::slug(&d.kecamatan_nama)),
        ),
        Some(d) => (
            format!("Rekapitulasi Perangkat Desa {} Tahun {tahun}", d.kabupaten_nama),
            vec![
                format!("Pemerintah {}", d.kabupaten_nama),
                "Dinas Pemberdayaan Masyarakat dan Desa".into(),
            ],
            crate::waktu::tanggal(hari),
            "Kepala Dinas Pemberdayaan Masyarakat dan Desa".into(),
            format!("rekap-perangkat-{}", crate::demo::slug(&d.kabupaten_nama)),
        ),
        None => (
            format!("Rekapitulasi Perangkat Desa Tahun {tahun}"),
            vec![],
            crate::waktu::tanggal(hari),
            String::new(),
            "rekap-perangkat".into(),
        ),
    }
}

/// The recap of `wilayah` (or the whole scope) as XLSX or PDF; also served by the API.
pub async fn rekap(state: &AppState, akun: &crate::akun::Akun, wilayah: Option<&str>, pdf: bool) -> Hasil<Response> {
    if !boleh_dasbor(akun.peran) {
        return Err(AppError::Terlarang);
    }
    let hari = hari_ini(state);
    let w = kecamatan::muat(&state.db, akun, wilayah).await?;
    let baris = kecamatan::rekap(&w, hari);
    let (judul, kop, tempat, penanda, nama) = kepala_rekap(&w, hari);
    let (isi, jenis, ext) = if pdf {
        let data = kecamatan::rekap::DataRekap::baru(
            &baris,
            judul,
            kop,
            tempat,
            penanda,
            format!("Dicetak dari SIPKATDES, {}", waktu(state, state.clock.now())),
        );
        let isi = tokio::task::spawn_blocking(move || kecamatan::rekap::pdf(&data))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
        (isi, "application/pdf", "pdf")
    } else {
        let isi = tokio::task::spawn_blocking(move || kecamatan::rekap::xlsx(&baris, &judul))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
        (
            isi,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    };
    let mut tx = state.db.begin().await?;
    crate::audit::catat(
        &mut tx,
        state.clock.now(),
        &akun.pelaku(),
        "rekap_diunduh",
        &format!("wilayah:{}", wilayah.unwrap_or(&akun.cakupan)),
        serde_json::json!({ "format": ext, "desa": w.desa.len() }),
    )
    .await?;
    tx.commit().await?;
    let mut r = axum::response::IntoResponse::into_response(isi);
    let h = r.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(jenis),
    );
    let cara = if pdf { "inline" } else { "attachment" };
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("{cara}; filename=\"{nama}.{ext}\"")) {
        h.insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// `GET /rekap.xlsx?wilayah=KODE`.
pub async fn rekap_xlsx(State(state): State<AppState>, sesi: Sesi, Query(q): Query<PilihWilayah>) -> Hasil<Response> {
    rekap(&state, &sesi.akun, q.wilayah.as_deref(), false).await
}

/// `GET /rekap.pdf?wilayah=KODE`.
pub async fn rekap_pdf(State(state): State<AppState>, sesi: Sesi, Query(q): Query<PilihWilayah>) -> Hasil<Response> {
    rekap(&state, &sesi.akun, q.wilayah.as_deref(), true).await
}
