//! `/akun/kata-sandi`: every user changes their own password.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::Response;
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
        },
    ))
}
