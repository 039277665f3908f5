//! Downloads that both faces serve (the web with a session, the API with a token): the
//! register as XLSX or CSV and the kecamatan's recap as XLSX or PDF, each scoped, audited and
//! named for the region.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::{AppState, hari_ini};
use crate::akun::Akun;
use crate::akun::izin::{self, Tindakan};
use crate::error::{AppError, Hasil};
use crate::kecamatan;
use crate::laporan::ekspor;

#[derive(Clone, Copy)]
pub enum Format {
    Xlsx,
    Csv,
}

/// The export as a download (scoped, saved data only, audited).
pub async fn register(state: &AppState, akun: &Akun, desa: Option<&str>, format: Format) -> Hasil<Response> {
    let desa = desa.filter(|d| !d.is_empty());
    let baris = ekspor::ambil(&state.db, akun, desa).await?;
    let dasar = match (desa, baris.first()) {
        (Some(k), Some(b)) if k.len() == 13 => format!("perangkat-desa-{}", crate::wilayah::slug(&b.desa.nama)),
        (Some(k), _) => format!("perangkat-{}", k.replace('.', "")),
        (None, _) if akun.cakupan.seluruh() => "perangkat-semua".to_string(),
        (None, _) => format!("perangkat-{}", akun.cakupan.kode().replace('.', "")),
    };
    let jumlah = baris.len();
    let (isi, jenis, ext) = match format {
        Format::Xlsx => {
            let judul = format!("Perangkat desa — {dasar}");
            let isi = tokio::task::spawn_blocking(move || ekspor::xlsx(&baris, &judul))
                .await
                .map_err(|e| AppError::Internal(e.into()))??;
            (
                isi,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            )
        }
        Format::Csv => {
            let isi = tokio::task::spawn_blocking(move || ekspor::csv(&baris).into_bytes())
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            (isi, "text/csv; charset=utf-8", "csv")
        }
    };
    ekspor::catat(&state.db, akun, ext, desa, jumlah, state.clock.now()).await?;
    let mut r = isi.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(jenis));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{dasar}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// The one kecamatan of the desa in scope (a desa of it), if they are of one.
fn satu_kecamatan(w: &kecamatan::Wilayah) -> Option<&crate::desa::Desa> {
    w.desa
        .windows(2)
        .all(|p| p[0].kecamatan_kode == p[1].kecamatan_kode)
        .then(|| w.desa.first())
        .flatten()
}

/// The recap's title, letterhead and signer for the desa in scope.
fn kepala_rekap(w: &kecamatan::Wilayah, hari: time::Date) -> (String, Vec<String>, String, String, String) {
    let tahun = hari.year();
    match (satu_kecamatan(w), w.desa.first()) {
        (Some(d), _) => (
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
            format!("rekap-perangkat-kecamatan-{}", crate::wilayah::slug(&d.kecamatan_nama)),
        ),
        (None, Some(d)) => (
            format!("Rekapitulasi Perangkat Desa {} Tahun {tahun}", d.kabupaten_nama),
            vec![
                format!("Pemerintah {}", d.kabupaten_nama),
                "Dinas Pemberdayaan Masyarakat dan Desa".into(),
            ],
            crate::waktu::tanggal(hari),
            "Kepala Dinas Pemberdayaan Masyarakat dan Desa".into(),
            format!("rekap-perangkat-{}", crate::wilayah::slug(&d.kabupaten_nama)),
        ),
        (None, None) => (
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
    if !izin::boleh_peran(akun.peran, Tindakan::LihatDasbor) {
        return Err(AppError::Terlarang);
    }
    let hari = hari_ini(state);
    let w = kecamatan::muat(&state.db, akun, wilayah).await?;
    let baris = kecamatan::rekap(&w, hari);
    let (judul, mut kop, tempat, penanda, nama) = kepala_rekap(&w, hari);
    // One kecamatan: its office's address on the letterhead, the Camat's name and NIP under
    // the signature (issue 14, point 8), from its settings when they are filled in.
    let atur = match satu_kecamatan(&w) {
        Some(d) => crate::rekomendasi::pengaturan::ambil(&state.db, akun, &d.kecamatan_kode)
            .await
            .ok(),
        None => None,
    };
    if let Some(a) = atur.as_ref().filter(|a| !a.alamat_kantor.trim().is_empty()) {
        kop.push(a.alamat_kantor.trim().to_string());
    }
    let (isi, jenis, ext) = if pdf {
        let mut data = kecamatan::rekap::DataRekap::baru(
            &baris,
            judul,
            kop,
            tempat,
            penanda,
            format!(
                "Dicetak dari SIPKATDES, {}",
                crate::waktu::tanggal_jam(state.clock.now(), state.instansi.zona)
            ),
        );
        if let Some(a) = &atur {
            data.nama_penanda = a.nama_camat.trim().to_string();
            data.nip_penanda = a.nip_camat.trim().to_string();
        }
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
        crate::audit::Aksi::RekapDiunduh,
        &format!("wilayah:{}", wilayah.unwrap_or(akun.cakupan.kode())),
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
