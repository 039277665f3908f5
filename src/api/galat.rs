//! SPEC §5's error shape in the OpenAPI document: the schema `Galat` and one reusable response
//! per status, so that every `#[utoipa::path]` names its error statuses by the same words.
//!
//! The bytes themselves are written by [`crate::error::ApiError`] (and by the framework
//! rejections rewritten in `app::rejeksi_indonesia`); these types only describe them.

use std::collections::BTreeMap;

use utoipa::{IntoResponses, ToSchema};

/// `{"error":{"kode","pesan","field":{}}}`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Galat {
    #[schema(inline)]
    error: IsiGalat,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct IsiGalat {
    /// Kode galat yang stabil, misalnya `tidak_ditemukan`, `validasi`, `konflik`.
    kode: String,
    /// Pesan dalam Bahasa Indonesia.
    pesan: String,
    /// Isian yang salah dan pesannya (kosong bila galat tidak menyangkut isian).
    field: BTreeMap<String, String>,
}

macro_rules! respon_galat {
    ($($nama:ident $status:literal $pesan:literal;)*) => {$(
        #[doc = $pesan]
        #[derive(IntoResponses)]
        #[response(status = $status)]
        #[allow(dead_code)]
        pub struct $nama(Galat);
    )*};
}

respon_galat! {
    TidakValid 400 "Permintaan tidak valid";
    PerluMasuk 401 "Perlu masuk (token tidak ada, salah, atau kedaluwarsa)";
    Terlarang 403 "Tidak berwenang";
    TidakDitemukan 404 "Tidak ditemukan atau di luar cakupan";
    Konflik 409 "Konflik (versi usang, sudah ditanggapi)";
    TerlaluBesar 413 "Berkas terlalu besar";
    JenisDitolak 415 "Jenis berkas tidak diterima";
    IsianSalah 422 "Isian tidak valid; field menyebut isian yang salah";
    Dibatasi 429 "Terlalu banyak percobaan";
}
