//! Desa: the villages of the instance, read within a user's scope, and their settings (local
//! title of the village head, structure, dusun, letterhead address), edited by the admin.

pub mod jabatan;

use serde::Serialize;
use serde_json::json;

use crate::akun::{Akun, Peran};
use crate::audit;
use crate::db::Db;
use crate::error::{AppError, FieldErrors, Hasil};
use jabatan::{Jabatan, Struktur};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Desa {
    pub kode: String,
    pub nama: String,
    pub kecamatan_kode: String,
    pub kecamatan_nama: String,
    pub kabupaten_kode: String,
    pub kabupaten_nama: String,
    pub provinsi_kode: String,
    pub provinsi_nama: String,
    pub sebutan_kepala_desa: String,
    pub sebutan_kepala_dusun: String,
    pub struktur: String,
    pub alamat_kop: String,
    pub jumlah_dusun: i64,
    #[serde(skip)]
    pub diubah_pada: i64,
}

/// A position of the desa's structure: what the desa should have filled.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PosisiStruktur {
    pub jabatan: &'static str,
    pub nama: String,
    pub dusun: Option<String>,
}

impl Desa {
    pub fn struktur(&self) -> Struktur {
        Struktur::parse(&self.struktur).unwrap_or(Struktur::Lengkap)
    }

    /// The position's name as this desa calls it (its local titles).
    pub fn nama_jabatan(&self, j: Jabatan) -> String {
        match j {
            Jabatan::KepalaDesa => self.sebutan_kepala_desa.clone(),
            Jabatan::KepalaDusun => self.sebutan_kepala_dusun.clone(),
            _ => j.nama().to_string(),
        }
    }

    /// The full structure: the fixed positions, then one Kepala Dusun per dusun.
    pub fn posisi(&self, dusun: &[String]) -> Vec<PosisiStruktur> {
        let mut v: Vec<PosisiStruktur> = self
            .struktur()
            .jabatan()
            .iter()
            .map(|j| PosisiStruktur {
                jabatan: j.kode(),
                nama: self.nama_jabatan(*j),
                dusun: None,
            })
            .collect();
        v.extend(dusun.iter().map(|d| PosisiStruktur {
            jabatan: Jabatan::KepalaDusun.kode(),
            nama: nama_kepala_dusun(&self.sebutan_kepala_dusun, d),
            dusun: Some(d.clone()),
        }));
        v
    }
}

/// "Kepala Dusun" + "Dusun I" → "Kepala Dusun I"; "Kepala Wilayah" + "Dusun Mekar" →
/// "Kepala Wilayah Dusun Mekar".
pub fn nama_kepala_dusun(sebutan: &str, dusun: &str) -> String {
    let sebutan = sebutan.trim();
    match (sebutan.rsplit_once(' '), dusun.split_once(' ')) {
        (Some((_, akhir)), Some((awal, sisa))) if akhir.eq_ignore_ascii_case(awal) => format!("{sebutan} {sisa}"),
        _ => format!("{sebutan} {dusun}"),
    }
}

pub(crate) const SELECT: &str = "SELECT d.kode, d.nama, d.kecamatan_kode, k.nama AS kecamatan_nama,
        k.kabupaten_kode, k.kabupaten_nama, k.provinsi_kode, k.provinsi_nama,
        d.sebutan_kepala_desa, d.sebutan_kepala_dusun, d.struktur, d.alamat_kop,
        (SELECT COUNT(*) FROM dusun u WHERE u.desa_kode = d.kode) AS jumlah_dusun, d.diubah_pada
    FROM desa d JOIN kecamatan k ON k.kode = d.kecamatan_kode";

/// The desa in the user's scope, optionally filtered by name or code (case-insensitive, on the
/// desa's name, its code and its kecamatan's name), in code order. Every desa of the instance is
/// read once per version of `versi_data` and kept ([`crate::db::tembolok`]); each call reads
/// that version (one row) and takes its scope from what is kept.
pub async fn daftar(db: &Db, akun: &Akun, cari: &str) -> Hasil<Vec<Desa>> {
    let semua = semua(db).await?;
    let cari = cari.trim().to_lowercase();
    Ok(semua
        .daftar
        .iter()
        .filter(|d| akun.cakupan.memuat(&d.kode))
        .filter(|d| {
            cari.is_empty()
                || d.nama.to_lowercase().contains(&cari)
                || d.kode.contains(&cari)
                || d.kecamatan_nama.to_lowercase().contains(&cari)
        })
        .cloned()
        .collect())
}

/// Every desa of the instance in code order, and where each code is in it.
struct SemuaDesa {
    daftar: Vec<Desa>,
    indeks: std::collections::HashMap<String, usize>,
}

/// Every desa of the instance: kept per version of the desa data.
async fn semua(db: &Db) -> Hasil<std::sync::Arc<SemuaDesa>> {
    // The version first: a change between the two reads leaves newer data under the older
    // version, read again by the next call.
    let versi: i64 = crate::read!(db, c => {
        sqlx::query_scalar("SELECT nilai FROM versi_data WHERE nama = 'desa'")
            .fetch_one(c)
            .await?
    });
    if let Some(d) = db.tembolok.ambil::<SemuaDesa>("desa", versi) {
        return Ok(d);
    }
    let daftar = crate::read!(db, c => {
        sqlx::query_as::<_, Desa>(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY d.kode")))
            .fetch_all(c)
            .await?
    });
    let indeks = daftar.iter().enumerate().map(|(i, d)| (d.kode.clone(), i)).collect();
    let semua = std::sync::Arc::new(SemuaDesa { daftar, indeks });
    db.tembolok.taruh("desa", versi, semua.clone());
    Ok(semua)
}

/// One desa, only when it is in the user's scope (otherwise: not found).
pub async fn ambil(db: &Db, akun: &Akun, kode: &str) -> Hasil<Desa> {
    if !akun.cakupan.memuat(kode) {
        return Err(AppError::TidakDitemukan);
    }
    let semua = semua(db).await?;
    semua
        .indeks
        .get(kode)
        .map(|i| semua.daftar[*i].clone())
        .ok_or(AppError::TidakDitemukan)
}

/// The desa's dusun, in order.
pub async fn dusun(db: &Db, kode: &str) -> Hasil<Vec<String>> {
    let rows = crate::read!(db, c => {
        sqlx::query_scalar::<_, String>("SELECT nama FROM dusun WHERE desa_kode = $1 ORDER BY urutan, nama")
            .bind(kode)
            .fetch_all(c)
            .await?
    });
    Ok(rows)
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct InputPengaturan {
    #[serde(default)]
    pub sebutan_kepala_desa: String,
    #[serde(default)]
    pub sebutan_kepala_dusun: String,
    #[serde(default)]
    pub struktur: String,
    /// One dusun per line.
    #[serde(default)]
    pub dusun: String,
    #[serde(default)]
    pub alamat_kop: String,
}

fn periksa_sebutan(s: &str, label: &str, contoh: &str) -> Result<String, String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = s.chars().count();
    if n == 0 {
        return Err(format!("{label} wajib diisi (misalnya {contoh})."));
    }
    if n > 40 {
        return Err(format!("{label} paling banyak 40 karakter (sekarang {n})."));
    }
    if !s
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '.')
    {
        return Err(format!(
            "{label} hanya boleh berisi huruf, spasi, titik, tanda hubung atau apostrof."
        ));
    }
    Ok(s)
}

fn periksa_dusun(teks: &str) -> Result<Vec<String>, String> {
    let mut hasil: Vec<String> = Vec::new();
    for (i, baris) in teks.lines().enumerate() {
        let nama = baris.split_whitespace().collect::<Vec<_>>().join(" ");
        if nama.is_empty() {
            continue;
        }
        let n = nama.chars().count();
        if n > 60 {
            return Err(format!(
                "Nama dusun pada baris {} terlalu panjang ({n} karakter, paling banyak 60).",
                i + 1
            ));
        }
        if nama.chars().any(char::is_control) {
            return Err(format!(
                "Nama dusun pada baris {} memuat karakter yang tidak diizinkan.",
                i + 1
            ));
        }
        if hasil.iter().any(|d| d.to_lowercase() == nama.to_lowercase()) {
            return Err(format!("Dusun \"{nama}\" tertulis lebih dari sekali."));
        }
        hasil.push(nama);
    }
    if hasil.len() > 50 {
        return Err(format!("Paling banyak 50 dusun (sekarang {}).", hasil.len()));
    }
    Ok(hasil)
}

fn periksa_alamat(s: &str) -> Result<String, String> {
    let s = s.trim().replace("\r\n", "\n");
    let n = s.chars().count();
    if n > 250 {
        return Err(format!("Alamat kop surat paling banyak 250 karakter (sekarang {n})."));
    }
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err("Alamat kop surat memuat karakter yang tidak diizinkan.".into());
    }
    Ok(s)
}

/// Changes a desa's settings (admin only). Dusun keep their identity when their name stays.
pub async fn atur(db: &Db, akun: &Akun, kode: &str, input: &InputPengaturan, sekarang: i64) -> Hasil<()> {
    if akun.peran != Peran::Admin {
        return Err(AppError::Terlarang);
    }
    let lama = ambil(db, akun, kode).await?;
    let dusun_lama = dusun(db, kode).await?;
    let mut galat: FieldErrors = Vec::new();
    let kades = periksa_sebutan(
        &input.sebutan_kepala_desa,
        "Sebutan kepala desa",
        "Kepala Desa atau Pembakal",
    )
    .map_err(|e| galat.push(("sebutan_kepala_desa", e)))
    .ok();
    let kadus = periksa_sebutan(
        &input.sebutan_kepala_dusun,
        "Sebutan kepala dusun",
        "Kepala Dusun atau Kepala Wilayah",
    )
    .map_err(|e| galat.push(("sebutan_kepala_dusun", e)))
    .ok();
    let struktur = Struktur::parse(&input.struktur);
    if struktur.is_none() {
        galat.push((
            "struktur",
            "Pilih susunan organisasi: lengkap (3 Kaur + 3 Kasi) atau sederhana (2 Kaur + 2 Kasi).".into(),
        ));
    }
    let dusun_baru = periksa_dusun(&input.dusun).map_err(|e| galat.push(("dusun", e))).ok();
    let alamat = periksa_alamat(&input.alamat_kop)
        .map_err(|e| galat.push(("alamat_kop", e)))
        .ok();
    let (Some(kades), Some(kadus), Some(struktur), Some(dusun_baru), Some(alamat), true) =
        (kades, kadus, struktur, dusun_baru, alamat, galat.is_empty())
    else {
        return Err(AppError::Validasi(galat));
    };

    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE desa SET sebutan_kepala_desa = $1, sebutan_kepala_dusun = $2, struktur = $3,
             alamat_kop = $4, diubah_pada = $5 WHERE kode = $6",
        )
        .bind(&kades)
        .bind(&kadus)
        .bind(struktur.kode())
        .bind(&alamat)
        .bind(sekarang)
        .bind(kode)
        .execute(&mut *c)
        .await?;
        for d in dusun_lama.iter().filter(|d| !dusun_baru.contains(d)) {
            sqlx::query("DELETE FROM dusun WHERE desa_kode = $1 AND nama = $2")
                .bind(kode)
                .bind(d)
                .execute(&mut *c)
                .await?;
        }
        for (i, d) in dusun_baru.iter().enumerate() {
            sqlx::query(
                "INSERT INTO dusun (desa_kode, nama, urutan) VALUES ($1, $2, $3)
                 ON CONFLICT (desa_kode, nama) DO UPDATE SET urutan = excluded.urutan",
            )
            .bind(kode)
            .bind(d)
            .bind(i as i64 + 1)
            .execute(&mut *c)
            .await?;
        }
    });
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::DesaDiubah,
        &format!("desa:{kode}"),
        json!({
            "sebelum": {
                "sebutan_kepala_desa": lama.sebutan_kepala_desa,
                "sebutan_kepala_dusun": lama.sebutan_kepala_dusun,
                "struktur": lama.struktur,
                "dusun": dusun_lama,
                "alamat_kop": lama.alamat_kop,
            },
            "sesudah": {
                "sebutan_kepala_desa": kades,
                "sebutan_kepala_dusun": kadus,
                "struktur": struktur.kode(),
                "dusun": dusun_baru,
                "alamat_kop": alamat,
            },
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Desa Hauwai as the unit tests and the fuzz targets use it (no database).
#[doc(hidden)]
pub fn contoh_hauwai() -> Desa {
    Desa {
        kode: "63.11.02.2001".into(),
        nama: "Hauwai".into(),
        kecamatan_kode: "63.11.02".into(),
        kecamatan_nama: "Halong".into(),
        kabupaten_kode: "63.11".into(),
        kabupaten_nama: "Balangan".into(),
        provinsi_kode: "63".into(),
        provinsi_nama: "Kalimantan Selatan".into(),
        sebutan_kepala_desa: "Pembakal".into(),
        sebutan_kepala_dusun: "Kepala Dusun".into(),
        struktur: "3+3".into(),
        alamat_kop: String::new(),
        jumlah_dusun: 2,
        diubah_pada: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dusun_dibaca_per_baris() {
        assert_eq!(
            periksa_dusun("Dusun I\n\n  Dusun   II \r\n").unwrap(),
            vec!["Dusun I", "Dusun II"]
        );
        assert!(periksa_dusun("A\na").unwrap_err().contains("lebih dari sekali"));
    }

    #[test]
    fn nama_kadus() {
        assert_eq!(nama_kepala_dusun("Kepala Dusun", "Dusun I"), "Kepala Dusun I");
        assert_eq!(
            nama_kepala_dusun("Kepala Wilayah", "Dusun Mekar"),
            "Kepala Wilayah Dusun Mekar"
        );
        assert_eq!(
            nama_kepala_dusun("Kepala Dusun", "Mekar Sari"),
            "Kepala Dusun Mekar Sari"
        );
    }

    #[test]
    fn sebutan() {
        assert_eq!(periksa_sebutan("  Pembakal ", "x", "y").unwrap(), "Pembakal");
        assert!(
            periksa_sebutan("", "Sebutan kepala desa", "Pembakal")
                .unwrap_err()
                .contains("wajib diisi")
        );
        assert!(periksa_sebutan("<b>", "x", "y").is_err());
    }
}
