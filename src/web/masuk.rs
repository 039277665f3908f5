//! Login (`/`, `POST /masuk`) and logout (`POST /keluar`).

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::{Formulir, Halaman, render_status, sama_waktu_tetap};
use crate::akun::sesi::{self, COOKIE_INFO, COOKIE_PRA, COOKIE_SESI, baca_cookie, cookie};
use crate::akun::{self, batas, sandi};
use crate::app::AppState;
use crate::audit::{self, Pelaku};
use crate::error::{AppError, Hasil};

pub const PESAN_SALAH: &str = "Nama pengguna atau kata sandi salah.";

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
    if let Some(s) = sesi::sesi_opsional(&state, &headers).await {
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

/// The outcome of checking credentials, shared by the login form and the API.
pub enum HasilMasuk {
    Berhasil(i64),
    Salah,
    Nonaktif,
    Dibatasi(i64),
}

/// Checks credentials with throttling per account and per address. Failures are recorded
/// and audited (the username only when such an account exists, never the password: people
/// sometimes type their password into the username field).
pub async fn periksa_kredensial(state: &AppState, username: &str, password: &str, alamat: &str) -> Hasil<HasilMasuk> {
    let sekarang = state.clock.now();
    let username = username.trim();
    let percobaan = match batas::coba(&state.db, state.config.batas_masuk, username, alamat, sekarang).await? {
        Ok(p) => p,
        Err(detik) => {
            tracing::warn!(alamat = %alamat, detik, "masuk dibatasi: terlalu banyak percobaan");
            return Ok(HasilMasuk::Dibatasi(detik));
        }
    };
    let user = akun::untuk_masuk(&state.db, username).await?;
    let hash = user
        .as_ref()
        .map(|u| u.1.clone())
        .unwrap_or_else(|| sandi::hash_tiruan().to_string());
    let cocok = sandi::cocok_async(password.to_string(), hash).await;
    match user {
        Some((id, _, aktif)) if cocok => {
            percobaan.berhasil(&state.db).await?;
            if aktif {
                return Ok(HasilMasuk::Berhasil(id));
            }
            // The right password of a disabled account: refused, and written down.
            let mut tx = state.db.begin().await?;
            let pelaku = Pelaku {
                pengguna_id: Some(id),
                username: username.to_string(),
            };
            audit::catat(
                &mut tx,
                sekarang,
                &pelaku,
                "masuk_nonaktif",
                &format!("pengguna:{id}"),
                json!({ "alamat": alamat }),
            )
            .await?;
            tx.commit().await?;
            tracing::warn!(pengguna = %username, alamat = %alamat, "masuk ditolak: akun nonaktif");
            Ok(HasilMasuk::Nonaktif)
        }
        _ => {
            let mut tx = state.db.begin().await?;
            let (pelaku, nama) = match &user {
                Some((id, _, _)) => (
                    Pelaku {
                        pengguna_id: Some(*id),
                        username: username.to_string(),
                    },
                    username.to_string(),
                ),
                None => (Pelaku::sistem(), "(tidak dikenal)".to_string()),
            };
            audit::catat(
                &mut tx,
                sekarang,
                &pelaku,
                "masuk_gagal",
                "",
                json!({ "username": nama, "alamat": alamat }),
            )
            .await?;
            tx.commit().await?;
            tracing::warn!(pengguna = %nama, alamat = %alamat, "masuk gagal");
            Ok(HasilMasuk::Salah)
        }
    }
}

/// The client's address: the peer, or — behind a trusted reverse proxy — the address the
/// proxy appended last to `X-Forwarded-For`.
pub fn alamat_klien(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if state.config.percaya_proxy
        && let Some(a) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
            .next_back()
    {
        return a.to_string();
    }
    peer.ip().to_string()
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
    let id = match periksa_kredensial(&state, &input.username, &input.password, &alamat).await? {
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
        "masuk",
        &format!("pengguna:{id}"),
        json!({ "alamat": alamat }),
    )
    .await?;
    tx.commit().await?;

    let secure = state.config.secure_cookie;
    let mut r = Redirect::to(&akun.halaman_awal()).into_response();
    let h = r.headers_mut();
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
        "keluar",
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
