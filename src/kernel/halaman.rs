//! What every page shares: the layout (title, instance, the user and their menu, the CSRF
//! token, a one-time message) and rendering a template into a response.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::AppState;
use crate::akun::Peran;
use crate::akun::sesi::Sesi;
use crate::error::AppError;

/// A menu entry.
pub struct Nav {
    pub href: String,
    pub label: &'static str,
    pub aktif: bool,
}

/// What every page's layout needs.
pub struct Halaman {
    pub judul: String,
    pub instansi: String,
    pub akun: Option<AkunTampil>,
    pub csrf: String,
    pub pesan: Option<crate::akun::sesi::Pesan>,
    pub nav: Vec<Nav>,
}

pub struct AkunTampil {
    pub nama: String,
    pub peran: &'static str,
}

impl Halaman {
    /// The layout for a logged-in user; `aktif` is the href of the current menu entry.
    pub fn baru(state: &AppState, sesi: &Sesi, judul: impl Into<String>, aktif: &str) -> Halaman {
        let a = &sesi.akun;
        let mut nav = Vec::new();
        let mut tambah = |href: String, label: &'static str| {
            let aktif = href == aktif;
            nav.push(Nav { href, label, aktif });
        };
        match a.peran {
            Peran::Operator | Peran::KepalaDesa => tambah(format!("/desa/{}", a.cakupan), "Desa Saya"),
            Peran::Kecamatan | Peran::Kabupaten => {
                tambah("/dasbor".into(), "Dasbor");
                tambah("/peringatan".into(), "Peringatan");
                tambah("/desa".into(), "Daftar Desa");
            }
            Peran::Admin => {
                tambah("/admin".into(), "Administrasi");
                tambah("/admin/pengguna".into(), "Pengguna");
                tambah("/admin/desa".into(), "Pengaturan Desa");
                tambah("/dasbor".into(), "Dasbor");
                tambah("/desa".into(), "Daftar Desa");
            }
        }
        tambah("/rekomendasi".into(), "Rekomendasi Camat");
        tambah("/tenggat".into(), "Tenggat");
        tambah("/laporan".into(), label_menu(a.peran));
        tambah("/akun/kata-sandi".into(), "Kata Sandi");
        Halaman {
            judul: judul.into(),
            instansi: state.instansi.nama.clone(),
            akun: Some(AkunTampil {
                nama: a.nama_tampil().to_string(),
                peran: a.peran.label(),
            }),
            csrf: sesi.csrf.clone(),
            pesan: sesi.pesan.clone(),
            nav,
        }
    }

    /// The layout for a visitor who is not logged in.
    pub fn tamu(instansi: &str, judul: impl Into<String>) -> Halaman {
        Halaman {
            judul: judul.into(),
            instansi: instansi.to_string(),
            akun: None,
            csrf: String::new(),
            pesan: None,
            nav: Vec::new(),
        }
    }
}

/// The menu entry of the reports page.
pub fn label_menu(peran: Peran) -> &'static str {
    if peran == Peran::KepalaDesa {
        "Laporan Masuk"
    } else {
        "Laporan"
    }
}

/// Renders a template as an HTML response.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => AppError::Internal(anyhow::anyhow!("template: {e}")).into_response(),
    }
}

/// Renders a template with a status code (a form with errors: 422).
pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    let mut r = render(t);
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    r
}
