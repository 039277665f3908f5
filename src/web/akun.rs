//! `/akun/kata-sandi`: every user changes their own password.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Formulir, Galat, Halaman, alihkan, render, render_status};
use crate::akun::sesi::Sesi;
use crate::akun::{self, batas, sandi};
use crate::audit;
use crate::error::{AppError, Hasil};
use crate::kernel::AppState;

#[derive(Template)]
#[template(path = "kata_sandi.html")]
struct HalamanSandi {
    h: Halaman,
    galat: Galat,
    token: Vec<BarisToken>,
    batas_token: i64,
    /// When the user's calendar link was made (issue 17), if there is one.
    kalender: Option<String>,
    /// The calendar link just made: shown this once (only its hash is kept).
    kalender_baru: Option<String>,
}

async fn kalender_tampil(state: &AppState, sesi: &Sesi) -> Hasil<Option<String>> {
    Ok(crate::rekomendasi::kalender::ada(&state.db, &sesi.akun)
        .await?
        .map(|t| crate::waktu::tanggal_jam(t, state.instansi.zona)))
}

/// A live API token as the account page lists it.
struct BarisToken {
    id: i64,
    dibuat: String,
    berlaku_sampai: String,
}

async fn token_tampil(state: &AppState, sesi: &Sesi) -> Hasil<Vec<BarisToken>> {
    let zona = state.instansi.zona;
    Ok(akun::sesi::daftar_token(&state.db, sesi.akun.id, state.clock.now())
        .await?
        .into_iter()
        .map(|t| BarisToken {
            id: t.id,
            dibuat: crate::waktu::tanggal_jam(t.dibuat_pada, zona),
            berlaku_sampai: crate::waktu::tanggal_jam(t.kedaluwarsa, zona),
        })
        .collect())
}

pub async fn halaman(State(state): State<AppState>, sesi: Sesi) -> Hasil<Response> {
    Ok(render(&HalamanSandi {
        h: Halaman::baru(&state, &sesi, "Ubah Kata Sandi", "/akun/kata-sandi"),
        galat: Galat::default(),
        token: token_tampil(&state, &sesi).await?,
        batas_token: akun::sesi::BATAS_TOKEN,
        kalender: kalender_tampil(&state, &sesi).await?,
        kalender_baru: None,
    }))
}

#[derive(serde::Deserialize)]
pub struct InputCabut {
    #[serde(default)]
    token_id: i64,
}

/// `POST /akun/token/cabut`: *Cabut* on the account page revokes one of the user's own API
/// tokens (issue 15, point 3). Another user's token id changes nothing.
pub async fn cabut_token(State(state): State<AppState>, f: Formulir<InputCabut>) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    let pesan = if akun::sesi::cabut_token_milik(&state.db, &sesi.akun, data.token_id, state.clock.now()).await? {
        "Token API dicabut: aplikasi yang memakainya harus masuk kembali."
    } else {
        "Token API itu sudah tidak berlaku."
    };
    alihkan(&state, &sesi, "/akun/kata-sandi", pesan).await
}

#[derive(serde::Deserialize)]
pub struct InputSandi {
    #[serde(default)]
    sandi_lama: String,
    #[serde(default)]
    sandi_baru: String,
    #[serde(default)]
    ulangi_sandi: String,
}

pub async fn ubah(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    f: Formulir<InputSandi>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    let a = &sesi.akun;
    let mut galat = Vec::new();
    // Guessing the current password is throttled like a login (same counters).
    let alamat = crate::kernel::sesi::alamat_klien(&state, &headers, addr);
    let percobaan = match batas::coba(
        &state.db,
        state.config.batas_masuk,
        &a.username,
        &alamat,
        state.clock.now(),
    )
    .await?
    {
        Ok(p) => p,
        Err(detik) => return Err(AppError::Dibatasi { detik }),
    };
    let tersimpan = akun::untuk_masuk(&state.db, &a.username)
        .await?
        .map(|u| u.1)
        .unwrap_or_default();
    if sandi::cocok_async(data.sandi_lama.clone(), tersimpan).await {
        percobaan.berhasil(&state.db).await?;
    } else {
        galat.push(("sandi_lama", "Kata sandi saat ini salah.".to_string()));
        let mut tx = state.db.begin().await?;
        audit::catat(
            &mut tx,
            state.clock.now(),
            &a.pelaku(),
            audit::Aksi::UbahSandiGagal,
            &format!("pengguna:{}", a.id),
            json!({ "alasan": "kata sandi saat ini salah" }),
        )
        .await?;
        tx.commit().await?;
        tracing::warn!(pengguna = %a.username, "ubah kata sandi gagal: kata sandi saat ini salah");
    }
    if let Err(e) = sandi::periksa_baru(&data.sandi_baru, &a.username) {
        galat.push(("sandi_baru", e));
    } else if data.sandi_baru != data.ulangi_sandi {
        galat.push((
            "ulangi_sandi",
            "Ulangi kata sandi baru dengan isi yang sama.".to_string(),
        ));
    }
    if galat.is_empty() {
        let r = akun::atur_sandi(
            &state.db,
            a.id,
            &data.sandi_baru,
            "sandi_baru",
            &a.pelaku(),
            Some(&sesi.id_hash),
            state.clock.now(),
        )
        .await;
        match r {
            Ok(()) => {
                return alihkan(
                    &state,
                    &sesi,
                    "/akun/kata-sandi",
                    "Kata sandi berhasil diubah. Sesi lain akun ini telah diakhiri.",
                )
                .await;
            }
            Err(AppError::Validasi(g)) => galat = g,
            Err(e) => return Err(e),
        }
    }
    let h = Halaman::baru(&state, &sesi, "Ubah Kata Sandi", "/akun/kata-sandi");
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &HalamanSandi {
            h,
            galat: Galat::dari(galat),
            token: token_tampil(&state, &sesi).await?,
            batas_token: akun::sesi::BATAS_TOKEN,
            kalender: kalender_tampil(&state, &sesi).await?,
            kalender_baru: None,
        },
    ))
}

#[derive(serde::Deserialize)]
pub struct InputKosong {}

/// `POST /akun/kalender`: makes the user's calendar link (a new one replaces the old) and shows
/// it this once, on the page itself (never in a stored message).
pub async fn buat_kalender(State(state): State<AppState>, f: Formulir<InputKosong>) -> Hasil<Response> {
    let Formulir { sesi, .. } = f;
    let rahasia = crate::rekomendasi::kalender::buat(&state.db, &sesi.akun, state.clock.now()).await?;
    let dasar = crate::kernel::alamat_dasar(&state);
    let h = Halaman::baru(&state, &sesi, "Ubah Kata Sandi", "/akun/kata-sandi");
    let mut r = render(&HalamanSandi {
        h,
        galat: Galat::default(),
        token: token_tampil(&state, &sesi).await?,
        batas_token: akun::sesi::BATAS_TOKEN,
        kalender: kalender_tampil(&state, &sesi).await?,
        kalender_baru: Some(format!("{dasar}/kalender/{rahasia}.ics")),
    });
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}

/// `POST /akun/kalender/cabut`: the link stops working at once.
pub async fn cabut_kalender(State(state): State<AppState>, f: Formulir<InputKosong>) -> Hasil<Response> {
    let Formulir { sesi, .. } = f;
    let pesan = if crate::rekomendasi::kalender::cabut(&state.db, &sesi.akun, state.clock.now()).await? {
        "Tautan kalender dicabut: kalender yang berlangganan tidak lagi menerima tenggat."
    } else {
        "Tidak ada tautan kalender yang berlaku."
    };
    alihkan(&state, &sesi, "/akun/kata-sandi", pesan).await
}

/// `GET /kalender/{rahasia}.ics`: the deadlines of the link's owner, for a calendar app (no
/// login: the secret is the key). An unknown, revoked or malformed link, or a disabled
/// account, is 404.
pub async fn kalender(
    State(state): State<AppState>,
    axum::extract::Path(berkas): axum::extract::Path<String>,
) -> Hasil<Response> {
    let rahasia = berkas.strip_suffix(".ics").ok_or(AppError::TidakDitemukan)?;
    let akun = crate::rekomendasi::kalender::pemilik(&state.db, rahasia)
        .await?
        .ok_or(AppError::TidakDitemukan)?;
    let dasar = crate::kernel::alamat_dasar(&state);
    let isi = crate::rekomendasi::kalender::ics(
        &state.db,
        &akun,
        crate::kernel::hari_ini(&state),
        state.clock.now(),
        &dasar,
    )
    .await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "private, no-store"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "inline; filename=\"tenggat-sipkatdes.ics\"",
            ),
        ],
        isi,
    )
        .into_response())
}
