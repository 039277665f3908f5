//! Login (`/`, `POST /masuk`) and logout (`POST /keluar`).

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::{Formulir, Halaman, render_status, sama_waktu_tetap};
use crate::akun::masuk::{HasilMasuk, PESAN_SALAH, periksa_kredensial};
use crate::akun::sesi;
use crate::akun::{self, sandi};
use crate::audit;
use crate::error::{AppError, Hasil};
use crate::kernel::AppState;
use crate::kernel::sesi::{
    COOKIE_INFO, COOKIE_KEMBALI, COOKIE_PRA, COOKIE_SESI, alamat_klien, baca_cookie, cookie, kembali_dari,
    sesi_opsional,
};

#[derive(Template)]
#[template(path = "masuk.html")]
struct HalamanMasuk {
    h: Halaman,
    token: String,
    username: String,
    galat: Option<String>,
    info: Option<&'static str>,
}

fn halaman_masuk(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    username: String,
    galat: Option<String>,
) -> Response {
    let secure = state.config.secure_cookie;
    let (token, baru) = match baca_cookie(headers, COOKIE_PRA) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => (t.to_string(), false),
        _ => (sandi::acak_hex(32), true),
    };
    let info = match baca_cookie(headers, COOKIE_INFO) {
        Some("sesi_berakhir") => Some("Sesi Anda telah berakhir. Silakan masuk kembali."),
        Some("keluar") => Some("Anda telah keluar."),
        _ => None,
    };
    let t = HalamanMasuk {
        h: Halaman::tamu(&state.instansi.nama, "Masuk"),
        token: token.clone(),
        username,
        galat,
        info,
    };
    let mut r = render_status(status, &t);
    if baru {
        let c = cookie(COOKIE_PRA, &token, secure, None);
        r.headers_mut()
            .append(header::SET_COOKIE, c.parse().expect("valid cookie"));
    }
    if info.is_some() {
        let c = cookie(COOKIE_INFO, "", secure, Some(0));
        r.headers_mut()
            .append(header::SET_COOKIE, c.parse().expect("valid cookie"));
    }
    r
}

/// `GET /`: the login page, or the user's start page when already logged in.
pub async fn halaman(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(s) = sesi_opsional(&state, &headers).await {
        return Redirect::to(&s.akun.halaman_awal()).into_response();
    }
    halaman_masuk(&state, &headers, StatusCode::OK, String::new(), None)
}

#[derive(serde::Deserialize)]
pub struct InputMasuk {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// `POST /masuk`.
pub async fn masuk(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(input): Form<InputMasuk>,
) -> Hasil<Response> {
    let pra = baca_cookie(&headers, COOKIE_PRA).unwrap_or("");
    if !sama_waktu_tetap(pra.as_bytes(), input.csrf.as_bytes()) {
        return Ok(halaman_masuk(
            &state,
            &headers,
            StatusCode::FORBIDDEN,
            input.username,
            Some("Halaman masuk kedaluwarsa. Silakan coba masuk sekali lagi.".into()),
        ));
    }
    let alamat = alamat_klien(&state, &headers, addr);
    let id = match periksa_kredensial(
        &state.db,
        state.config.batas_masuk,
        state.clock.now(),
        &input.username,
        &input.password,
        &alamat,
    )
    .await?
    {
        HasilMasuk::Berhasil(id) => id,
        HasilMasuk::Salah => {
            return Ok(halaman_masuk(
                &state,
                &headers,
                StatusCode::UNAUTHORIZED,
                input.username,
                Some(PESAN_SALAH.into()),
            ));
        }
        HasilMasuk::Nonaktif => {
            return Ok(halaman_masuk(
                &state,
                &headers,
                StatusCode::FORBIDDEN,
                input.username,
                Some("Akun Anda dinonaktifkan. Hubungi admin sistem.".into()),
            ));
        }
        HasilMasuk::Dibatasi(detik) => {
            let pesan = AppError::Dibatasi { detik }.pesan();
            let mut r = halaman_masuk(
                &state,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                input.username,
                Some(pesan),
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(detik.max(1)));
            return Ok(r);
        }
    };
    // A new session id at every login; a session cookie the browser still had is ended.
    if let Some(lama) = baca_cookie(&headers, COOKIE_SESI) {
        sesi::akhiri(&state.db, &sandi::sidik(lama)).await?;
    }
    let sekarang = state.clock.now();
    let rahasia = sesi::buat(&state.db, id, sekarang).await?;
    let akun = akun::akun_aktif(&state.db, id).await?.ok_or(AppError::PerluMasuk)?;
    let mut tx = state.db.begin().await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::Masuk,
        &format!("pengguna:{id}"),
        json!({ "alamat": alamat }),
    )
    .await?;
    tx.commit().await?;

    let secure = state.config.secure_cookie;
    // Back to the page the user was on when the session ended (issue 14, point 3); the page
    // checks again what this account may see.
    let tujuan = kembali_dari(&headers).unwrap_or_else(|| akun.halaman_awal());
    let mut r = Redirect::to(&tujuan).into_response();
    let h = r.headers_mut();
    h.append(
        header::SET_COOKIE,
        cookie(COOKIE_KEMBALI, "", secure, Some(0)).parse().expect("cookie"),
    );
    h.append(
        header::SET_COOKIE,
        cookie(COOKIE_SESI, &rahasia, secure, None).parse().expect("cookie"),
    );
    // The pre-login token is single-use.
    h.append(
        header::SET_COOKIE,
        cookie(COOKIE_PRA, "", secure, Some(0)).parse().expect("cookie"),
    );
    Ok(r)
}

#[derive(serde::Deserialize)]
pub struct Kosong {}

/// `POST /keluar`: ends the session.
pub async fn keluar(State(state): State<AppState>, f: Formulir<Kosong>) -> Hasil<Response> {
    sesi::akhiri(&state.db, &f.sesi.id_hash).await?;
    let mut tx = state.db.begin().await?;
    let a = &f.sesi.akun;
    audit::catat(
        &mut tx,
        state.clock.now(),
        &a.pelaku(),
        audit::Aksi::Keluar,
        &format!("pengguna:{}", a.id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    let secure = state.config.secure_cookie;
    let mut r = Redirect::to("/").into_response();
    let h = r.headers_mut();
    h.append(
        header::SET_COOKIE,
        cookie(COOKIE_SESI, "", secure, Some(0)).parse().expect("cookie"),
    );
    h.append(
        header::SET_COOKIE,
        cookie(COOKIE_INFO, "keluar", secure, Some(120))
            .parse()
            .expect("cookie"),
    );
    Ok(r)
}
