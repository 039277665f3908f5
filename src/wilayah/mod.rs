//! Region codes (kode wilayah) of Indonesia, from the reference data shipped inside the binary
//! (`referensi/wilayah.csv.gz`: Kepmendagri No. 300.2.2-2138 Tahun 2025, compiled by cahyadsn/wilayah,
//! MIT licence, see `referensi/wilayah.LICENSE`), and setting up an instance from them.

mod setup;

pub use setup::{HasilSetup, periksa, siapkan};

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::sync::OnceLock;

static WILAYAH_GZ: &[u8] = include_bytes!("../../referensi/wilayah.csv.gz");
pub static LISENSI: &str = include_str!("../../referensi/wilayah.LICENSE");

/// The level of a region code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tingkat {
    Provinsi,
    Kabupaten,
    Kecamatan,
    Desa,
}

impl Tingkat {
    pub fn nama(self) -> &'static str {
        match self {
            Tingkat::Provinsi => "provinsi",
            Tingkat::Kabupaten => "kabupaten/kota",
            Tingkat::Kecamatan => "kecamatan",
            Tingkat::Desa => "desa/kelurahan",
        }
    }
}

/// A well-formed region code: `PP`, `PP.KK`, `PP.KK.CC` or `PP.KK.CC.DDDD`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KodeWilayah(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct KodeTidakValid(pub String);

impl KodeWilayah {
    pub fn parse(s: &str) -> Result<Self, KodeTidakValid> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('.').collect();
        let lens = [2usize, 2, 2, 4];
        let ok = !s.is_empty()
            && parts.len() <= 4
            && parts
                .iter()
                .zip(lens)
                .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Ok(KodeWilayah(s.to_string()))
        } else {
            Err(KodeTidakValid(format!(
                "Kode wilayah \"{}\" tidak sesuai format. Gunakan kode Kemendagri dengan titik, \
                 misalnya 63 (provinsi), 63.11 (kabupaten), 63.11.02 (kecamatan) atau \
                 63.11.02.2001 (desa).",
                s.chars().take(40).collect::<String>()
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn tingkat(&self) -> Tingkat {
        match self.0.len() {
            2 => Tingkat::Provinsi,
            5 => Tingkat::Kabupaten,
            8 => Tingkat::Kecamatan,
            _ => Tingkat::Desa,
        }
    }

    /// The code of the enclosing region at `tingkat` (or itself when already at or above).
    pub fn induk(&self, tingkat: Tingkat) -> KodeWilayah {
        let len = match tingkat {
            Tingkat::Provinsi => 2,
            Tingkat::Kabupaten => 5,
            Tingkat::Kecamatan => 8,
            Tingkat::Desa => 13,
        };
        KodeWilayah(self.0[..len.min(self.0.len())].to_string())
    }

    /// A desa (not a kelurahan): the four-digit part starts with 2.
    pub fn adalah_desa(&self) -> bool {
        self.tingkat() == Tingkat::Desa && self.0.as_bytes()[9] == b'2'
    }
}

impl fmt::Display for KodeWilayah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The whole reference, sorted by code so that a region's children form a contiguous range.
pub struct Referensi {
    nama: BTreeMap<String, String>,
}

impl Referensi {
    /// The reference shipped in the binary (decompressed once, on first use).
    pub fn get() -> &'static Referensi {
        static REF: OnceLock<Referensi> = OnceLock::new();
        REF.get_or_init(|| {
            let mut csv = String::new();
            flate2::read::GzDecoder::new(WILAYAH_GZ)
                .read_to_string(&mut csv)
                .expect("embedded region data is valid gzip");
            let mut nama = BTreeMap::new();
            for line in csv.lines().skip(1) {
                if let Some((kode, n)) = line.split_once(',') {
                    nama.insert(kode.to_string(), n.trim_matches('"').to_string());
                }
            }
            Referensi { nama }
        })
    }

    pub fn nama(&self, kode: &KodeWilayah) -> Option<&str> {
        self.nama.get(kode.as_str()).map(String::as_str)
    }

    pub fn ada(&self, kode: &KodeWilayah) -> bool {
        self.nama.contains_key(kode.as_str())
    }

    /// Is `kode` (two digits) a province of the reference? A map lookup: it runs for every NIK.
    pub fn ada_provinsi(&self, kode: &str) -> bool {
        kode.len() == 2 && self.nama.contains_key(kode)
    }

    /// Direct children of `kode` (kabupaten of a province, kecamatan of a kabupaten, …).
    pub fn anak(&self, kode: &KodeWilayah) -> Vec<(KodeWilayah, &str)> {
        let prefix = format!("{}.", kode.as_str());
        let want = kode.as_str().len()
            + match kode.tingkat() {
                Tingkat::Provinsi | Tingkat::Kabupaten => 3,
                Tingkat::Kecamatan => 5,
                Tingkat::Desa => return Vec::new(),
            };
        self.nama
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| k.len() == want)
            .map(|(k, n)| (KodeWilayah(k.clone()), n.as_str()))
            .collect()
    }

    /// All kecamatan inside `kode` (itself when it is a kecamatan).
    pub fn kecamatan_dalam(&self, kode: &KodeWilayah) -> Vec<KodeWilayah> {
        match kode.tingkat() {
            Tingkat::Kecamatan => vec![kode.clone()],
            Tingkat::Desa => Vec::new(),
            _ => self
                .anak(kode)
                .into_iter()
                .flat_map(|(k, _)| self.kecamatan_dalam(&k))
                .collect(),
        }
    }

    /// Province codes: every two-digit code in the reference.
    pub fn provinsi(&self) -> impl Iterator<Item = (&str, &str)> {
        self.nama
            .iter()
            .filter(|(k, _)| k.len() == 2)
            .map(|(k, n)| (k.as_str(), n.as_str()))
    }

    pub fn jumlah(&self) -> usize {
        self.nama.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_kode() {
        assert_eq!(KodeWilayah::parse("63.11.02").unwrap().tingkat(), Tingkat::Kecamatan);
        assert_eq!(KodeWilayah::parse("63").unwrap().tingkat(), Tingkat::Provinsi);
        assert_eq!(KodeWilayah::parse("63.11.02.2001").unwrap().tingkat(), Tingkat::Desa);
        for bad in [
            "",
            "6",
            "63.1",
            "63.11.2",
            "631102",
            "63.11.02.201",
            "aa",
            "63.11.02.2001.1",
        ] {
            assert!(KodeWilayah::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn referensi_halong() {
        let r = Referensi::get();
        assert_eq!(r.jumlah(), 91_599);
        let halong = KodeWilayah::parse("63.11.02").unwrap();
        assert_eq!(r.nama(&halong), Some("Halong"));
        let desa = r.anak(&halong);
        assert_eq!(desa.len(), 24);
        assert!(desa.iter().all(|(k, _)| k.adalah_desa()));
        let balangan = KodeWilayah::parse("63.11").unwrap();
        assert_eq!(r.nama(&balangan), Some("Kabupaten Balangan"));
        assert!(r.kecamatan_dalam(&balangan).contains(&halong));
        assert_eq!(r.provinsi().count(), 38);
    }
}

/// A region's name as a part of a username or a file name: "Padang Raya" → "padang-raya".
pub fn slug(nama: &str) -> String {
    let mut s = String::new();
    for c in nama.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').chars().take(24).collect()
}

#[cfg(test)]
mod tests_slug {
    #[test]
    fn slug() {
        assert_eq!(super::slug("Padang Raya"), "padang-raya");
        assert_eq!(super::slug("Binjai  Punggal"), "binjai-punggal");
    }
}
