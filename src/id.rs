//! Typed ids: a record's id is a [`PerangkatId`], a document's a [`DokumenId`], … so that one
//! cannot be passed where another is meant. Each is an `i64` in the database (sqlx
//! `transparent`), in JSON and in paths.

macro_rules! id_bertipe {
    ($($(#[$doc:meta])* $nama:ident;)+) => {$(
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $nama(pub i64);

        impl std::str::FromStr for $nama {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($nama)
            }
        }

        impl std::fmt::Display for $nama {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

id_bertipe! {
    /// An official's record (`perangkat.id`, `perangkat_tersimpan.perangkat_id`).
    PerangkatId;
    /// An uploaded document (`dokumen.id`).
    DokumenId;
    /// A printed report (`laporan.id`).
    LaporanId;
    /// A user account (`pengguna.id`).
    AkunId;
    /// A request for the Camat's recommendation (`rekomendasi.id`).
    RekomendasiId;
}
