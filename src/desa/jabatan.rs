//! The standard catalogue of positions (jabatan), Permendagri 84/2015, and the two structures
//! a desa may have: 3 Kaur + 3 Kasi ("lengkap") or the merged 2 Kaur + 2 Kasi ("sederhana").

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Jabatan {
    KepalaDesa,
    SekretarisDesa,
    KaurTuUmum,
    KaurKeuangan,
    KaurPerencanaan,
    KaurUmumPerencanaan,
    KasiPemerintahan,
    KasiKesejahteraan,
    KasiPelayanan,
    KasiKesejahteraanPelayanan,
    KepalaDusun,
    Staf,
}

pub const SEMUA_JABATAN: [Jabatan; 12] = [
    Jabatan::KepalaDesa,
    Jabatan::SekretarisDesa,
    Jabatan::KaurTuUmum,
    Jabatan::KaurKeuangan,
    Jabatan::KaurPerencanaan,
    Jabatan::KaurUmumPerencanaan,
    Jabatan::KasiPemerintahan,
    Jabatan::KasiKesejahteraan,
    Jabatan::KasiPelayanan,
    Jabatan::KasiKesejahteraanPelayanan,
    Jabatan::KepalaDusun,
    Jabatan::Staf,
];

impl Jabatan {
    /// The OpenAPI schema of a `jabatan` field: a code of the catalogue (or the empty string).
    pub fn skema() -> utoipa::openapi::schema::Object {
        crate::kode::skema_kode(SEMUA_JABATAN.into_iter().map(Jabatan::kode))
    }

    pub fn parse(s: &str) -> Option<Jabatan> {
        SEMUA_JABATAN.into_iter().find(|j| j.kode() == s)
    }

    pub fn kode(self) -> &'static str {
        match self {
            Jabatan::KepalaDesa => "kepala_desa",
            Jabatan::SekretarisDesa => "sekretaris_desa",
            Jabatan::KaurTuUmum => "kaur_tu_umum",
            Jabatan::KaurKeuangan => "kaur_keuangan",
            Jabatan::KaurPerencanaan => "kaur_perencanaan",
            Jabatan::KaurUmumPerencanaan => "kaur_umum_perencanaan",
            Jabatan::KasiPemerintahan => "kasi_pemerintahan",
            Jabatan::KasiKesejahteraan => "kasi_kesejahteraan",
            Jabatan::KasiPelayanan => "kasi_pelayanan",
            Jabatan::KasiKesejahteraanPelayanan => "kasi_kesejahteraan_pelayanan",
            Jabatan::KepalaDusun => "kepala_dusun",
            Jabatan::Staf => "staf",
        }
    }

    /// The standard name. The village head and the dusun head may carry a local title
    /// (see [`crate::desa::Desa::nama_jabatan`]).
    pub fn nama(self) -> &'static str {
        match self {
            Jabatan::KepalaDesa => "Kepala Desa",
            Jabatan::SekretarisDesa => "Sekretaris Desa",
            Jabatan::KaurTuUmum => "Kepala Urusan Tata Usaha dan Umum",
            Jabatan::KaurKeuangan => "Kepala Urusan Keuangan",
            Jabatan::KaurPerencanaan => "Kepala Urusan Perencanaan",
            Jabatan::KaurUmumPerencanaan => "Kepala Urusan Umum dan Perencanaan",
            Jabatan::KasiPemerintahan => "Kepala Seksi Pemerintahan",
            Jabatan::KasiKesejahteraan => "Kepala Seksi Kesejahteraan",
            Jabatan::KasiPelayanan => "Kepala Seksi Pelayanan",
            Jabatan::KasiKesejahteraanPelayanan => "Kepala Seksi Kesejahteraan dan Pelayanan",
            Jabatan::KepalaDusun => "Kepala Dusun",
            Jabatan::Staf => "Staf",
        }
    }
}

/// A desa's organisational structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Struktur {
    /// Three Kaur and three Kasi.
    Lengkap,
    /// Two Kaur and two Kasi (merged positions).
    Sederhana,
}

impl Struktur {
    pub fn parse(s: &str) -> Option<Struktur> {
        match s {
            "lengkap" => Some(Struktur::Lengkap),
            "sederhana" => Some(Struktur::Sederhana),
            _ => None,
        }
    }

    pub fn kode(self) -> &'static str {
        match self {
            Struktur::Lengkap => "lengkap",
            Struktur::Sederhana => "sederhana",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Struktur::Lengkap => "3 Kepala Urusan dan 3 Kepala Seksi",
            Struktur::Sederhana => "2 Kepala Urusan dan 2 Kepala Seksi",
        }
    }

    /// The positions of the structure, without the Kepala Dusun (one per dusun) and Staf.
    pub fn jabatan(self) -> &'static [Jabatan] {
        match self {
            Struktur::Lengkap => &[
                Jabatan::KepalaDesa,
                Jabatan::SekretarisDesa,
                Jabatan::KaurTuUmum,
                Jabatan::KaurKeuangan,
                Jabatan::KaurPerencanaan,
                Jabatan::KasiPemerintahan,
                Jabatan::KasiKesejahteraan,
                Jabatan::KasiPelayanan,
            ],
            Struktur::Sederhana => &[
                Jabatan::KepalaDesa,
                Jabatan::SekretarisDesa,
                Jabatan::KaurUmumPerencanaan,
                Jabatan::KaurKeuangan,
                Jabatan::KasiPemerintahan,
                Jabatan::KasiKesejahteraanPelayanan,
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kode_bolak_balik() {
        for j in SEMUA_JABATAN {
            assert_eq!(Jabatan::parse(j.kode()), Some(j));
        }
        assert_eq!(Jabatan::parse("lurah"), None);
    }

    #[test]
    fn struktur() {
        assert_eq!(Struktur::Lengkap.jabatan().len(), 8);
        assert_eq!(Struktur::Sederhana.jabatan().len(), 6);
    }
}
