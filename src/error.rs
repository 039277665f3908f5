//! One error type for the application. Web handlers render it as an HTML page; API handlers
//! wrap it in [`ApiError`], which renders SPEC §5's JSON shape
//! `{"error":{"kode","pesan","field":{…}}}`. Both faces (and the HTTP status of each error)
//! are the HTTP kernel's (`crate::kernel::galat`); this module knows no web framework.

/// Field name → message, in the order the fields appear on the form.
pub type FieldErrors = Vec<(&'static str, String)>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("tidak ditemukan")]
    TidakDitemukan,
    /// Not found, with a message that says what to do (an expired import preview).
    #[error("{0}")]
    TidakDitemukanPesan(String),
    #[error("tidak berwenang")]
    Terlarang,
    #[error("perlu masuk")]
    PerluMasuk,
    #[error("{0}")]
    Permintaan(String),
    #[error("data tidak valid")]
    Validasi(FieldErrors),
    /// Like `Validasi`, for field names known only at run time (a client's JSON key).
    #[error("data tidak valid")]
    ValidasiDinamis(Vec<(String, String)>),
    #[error("{0}")]
    Konflik(String),
    #[error("terlalu banyak percobaan")]
    Dibatasi { detik: i64 },
    #[error("berkas terlalu besar")]
    TerlaluBesar { batas: usize },
    #[error("jenis berkas tidak diterima")]
    JenisTidakDiterima,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl AppError {
    pub fn kode(&self) -> &'static str {
        match self {
            AppError::TidakDitemukan | AppError::TidakDitemukanPesan(_) => "tidak_ditemukan",
            AppError::Terlarang => "terlarang",
            AppError::PerluMasuk => "perlu_masuk",
            AppError::Permintaan(_) => "permintaan_tidak_valid",
            AppError::Validasi(_) | AppError::ValidasiDinamis(_) => "validasi",
            AppError::Konflik(_) => "konflik",
            AppError::Dibatasi { .. } => "terlalu_banyak_percobaan",
            AppError::TerlaluBesar { .. } => "berkas_terlalu_besar",
            AppError::JenisTidakDiterima => "jenis_berkas_tidak_diterima",
            AppError::Internal(_) => "kesalahan_server",
        }
    }

    /// The message for a person, in Bahasa Indonesia.
    pub fn pesan(&self) -> String {
        match self {
            AppError::TidakDitemukan => "Halaman atau data yang diminta tidak ditemukan.".into(),
            AppError::Terlarang => "Anda tidak berwenang membuka atau mengubah data ini.".into(),
            AppError::PerluMasuk => "Silakan masuk terlebih dahulu.".into(),
            AppError::Permintaan(m) | AppError::Konflik(m) | AppError::TidakDitemukanPesan(m) => m.clone(),
            AppError::Validasi(f) => match f.as_slice() {
                [(_, m)] => m.clone(),
                _ => "Beberapa isian belum benar. Periksa pesan pada setiap isian.".into(),
            },
            AppError::ValidasiDinamis(f) => match f.as_slice() {
                [(_, m)] => m.clone(),
                _ => "Beberapa isian belum benar. Periksa pesan pada setiap isian.".into(),
            },
            AppError::Dibatasi { detik } => format!(
                "Terlalu banyak percobaan. Coba lagi dalam {} menit.",
                crate::waktu::menit(*detik)
            ),
            AppError::TerlaluBesar { batas } => format!(
                "Berkas terlalu besar: paling besar {}. Pindai dengan resolusi lebih rendah (150–200 dpi cukup) \
                 atau simpan sebagai PDF hitam-putih/abu-abu, lalu pilih berkasnya lagi.",
                ukuran_berkas(*batas)
            ),
            AppError::JenisTidakDiterima => {
                "Berkas harus PDF, JPEG atau PNG (dinilai dari isinya, bukan dari namanya).".into()
            }
            AppError::Internal(_) => {
                "Terjadi kesalahan pada server. Data Anda tidak berubah; silakan coba lagi.".into()
            }
        }
    }

    /// Writes an internal error to the process log (the person sees only [`AppError::pesan`]).
    pub fn log(&self) {
        if let AppError::Internal(e) = self {
            tracing::error!(error = %e, "internal error");
        }
    }
}

/// The API's rendering of [`AppError`].
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

pub type Hasil<T> = Result<T, AppError>;
pub type HasilApi<T> = Result<T, ApiError>;

/// A size limit as people read it: "10 MB", "2,5 MB", "256 KB".
pub fn ukuran_berkas(bait: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bait >= MB {
        let persepuluh = (bait * 10 + MB / 2) / MB;
        if persepuluh.is_multiple_of(10) {
            format!("{} MB", persepuluh / 10)
        } else {
            format!("{},{} MB", persepuluh / 10, persepuluh % 10)
        }
    } else {
        format!("{} KB", bait.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests_ukuran {
    use super::ukuran_berkas;

    #[test]
    fn ukuran_dibaca_orang() {
        assert_eq!(ukuran_berkas(10 * 1024 * 1024), "10 MB");
        assert_eq!(ukuran_berkas(5 * 1024 * 1024 / 2), "2,5 MB");
        assert_eq!(ukuran_berkas(256 * 1024), "256 KB");
        assert_eq!(ukuran_berkas(1), "1 KB");
    }
}
