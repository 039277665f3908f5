//! The HTTP kernel shared by both faces of SIPKATDES, the web pages (`crate::web`) and the
//! JSON API (`crate::api`): the application state, who is calling (session and token
//! extractors), the HTML and JSON faces of errors, the page layout, file and PDF responses,
//! multipart uploads and the moment of a request. `web` and `api` import this module and never
//! each other; the domain modules import neither.

pub mod berkas;
pub mod galat;
pub mod halaman;
pub mod masukan;
pub mod proxy;
pub mod publik;
pub mod sesi;
pub mod unduhan;

use std::path::PathBuf;
use std::sync::Arc;

use time::{Date, OffsetDateTime};

use crate::akun::batas::BatasMasuk;
use crate::akun::sesi::BatasWaktu;
use crate::db::Db;
use crate::waktu::{Clock, ZonaWaktu};

#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookie: bool,
    pub batas_masuk: BatasMasuk,
    pub batas_waktu: BatasWaktu,
    /// The address people use (`https://sipkatdes.example.go.id`): forms posted from another
    /// origin are refused, and it is the only address printed on receipts. Without it, the Origin
    /// is compared with the Host header and the scheme; receipts carry the path and code only.
    pub public_url: Option<String>,
    /// Behind a reverse proxy (`--trust-proxy`, `--proxy-address`): the client's address and
    /// scheme come from `X-Forwarded-For` / `X-Forwarded-Proto`, believed from the proxy only.
    pub proxy: proxy::Proxy,
    /// How answers about another desa's NIK are slowed before they are stopped.
    pub jeda_nik: crate::akun::batas::JedaNik,
    /// Largest accepted upload, in bytes.
    pub batas_unggah: usize,
    /// Requests per address on the public register's routes.
    pub batas_publik: publik::BatasPublik,
    /// Workers reading SKs in the background: `None` half the cores (at least one), `Some(0)`
    /// none (the queue still fills; another process may read it).
    pub sk_pekerja: Option<usize>,
    /// How SKs are read (Tesseract, pdftoppm, limits).
    pub sk_pembaca: crate::sk::baca::Pembaca,
}

impl Config {
    /// The body limit of a route that receives a file: the upload limit plus the form around it.
    pub fn batas_badan_unggah(&self) -> usize {
        self.batas_unggah + 256 * 1024
    }

    /// The body limit of a page's form with a file: a file up to four times the upload limit
    /// is still received (and thrown away, [`berkas::baca_multipart_lunak`]) so that the page
    /// keeps the entry and says the limit beside the file's field (issue 14, point 2).
    pub fn batas_badan_form(&self) -> usize {
        self.batas_unggah.saturating_mul(4) + 256 * 1024
    }

    pub fn new(data_dir: PathBuf) -> Self {
        Config {
            data_dir,
            secure_cookie: false,
            batas_masuk: BatasMasuk::default(),
            batas_waktu: BatasWaktu::default(),
            public_url: None,
            proxy: proxy::Proxy {
                aktif: false,
                alamat: proxy::Jaringan::lokal(),
            },
            jeda_nik: crate::akun::batas::JedaNik::default(),
            batas_unggah: crate::dokumen::BATAS_BAWAAN,
            batas_publik: publik::BatasPublik::default(),
            sk_pekerja: None,
            sk_pembaca: crate::sk::baca::Pembaca::bawaan(),
        }
    }
}

/// What the instance is: its time zone and the name shown in the header.
#[derive(Clone, Debug)]
pub struct Instansi {
    pub zona: ZonaWaktu,
    pub nama: String,
}

impl Instansi {
    /// Reads the instance set up by `sipkatdes init`; `None` when it was never set up.
    pub async fn muat(db: &Db) -> anyhow::Result<Option<Instansi>> {
        let zona: Option<String> = crate::read!(db, c => {
            sqlx::query_scalar("SELECT zona_waktu FROM instansi WHERE id = 1").fetch_optional(c).await?
        });
        let Some(zona) = zona.as_deref().and_then(ZonaWaktu::parse) else {
            return Ok(None);
        };
        let kec: Vec<(String, String, String, String)> = crate::read!(db, c => {
            sqlx::query_as("SELECT nama, kabupaten_kode, kabupaten_nama, provinsi_nama FROM kecamatan ORDER BY kode")
                .fetch_all(c)
                .await?
        });
        let nama = match kec.as_slice() {
            [] => "Indonesia".to_string(),
            [(k, _, kab, _)] => format!("Kecamatan {k}, {kab}"),
            [(_, kab_kode, kab, prov), rest @ ..] => {
                if rest.iter().all(|r| &r.1 == kab_kode) {
                    kab.clone()
                } else if rest.iter().all(|r| &r.3 == prov) {
                    format!("Provinsi {prov}")
                } else {
                    "Indonesia".to_string()
                }
            }
        };
        Ok(Some(Instansi { zona, nama }))
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub simpanan: crate::dokumen::Penyimpanan,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub instansi: Arc<Instansi>,
    /// Wakes the SK reading workers.
    pub antrean: crate::sk::antrean::Antrean,
    /// The public register, built per version of its data.
    pub publik: crate::publik::Tembolok,
    /// The rate limit of the public routes, per address.
    pub laju_publik: publik::Laju,
}

/// Today in the instance's time zone.
pub fn hari_ini(state: &AppState) -> Date {
    OffsetDateTime::from_unix_timestamp(state.clock.now())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(state.instansi.zona.offset())
        .date()
}

/// The moment of a request, for the register's rules and records.
pub fn saat(state: &AppState) -> crate::perangkat::Saat {
    crate::perangkat::Saat {
        hari_ini: hari_ini(state),
        sekarang: state.clock.now(),
    }
}

/// The address people use, for what is printed on paper (the verification address of a
/// receipted report): the configured public URL, or nothing — never an address taken from the
/// request (issue 15, point 7: `Host: evil.example` was printed into an immutable receipt).
/// Without `--public-url` a receipt carries the path and the code only, and `serve` warns at
/// start-up.
pub fn alamat_dasar(state: &AppState) -> String {
    state
        .config
        .public_url
        .as_deref()
        .map(|u| u.trim_end_matches('/').to_string())
        .unwrap_or_default()
}
