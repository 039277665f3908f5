//! Roles and their scope rules (SPEC §1): a user's scope is a region code; a record is visible
//! when its desa code starts with the scope.

use crate::db::Db;
use crate::wilayah::{KodeWilayah, Tingkat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Peran {
    Admin,
    Kabupaten,
    Kecamatan,
    Operator,
    KepalaDesa,
}

pub const SEMUA_PERAN: [Peran; 5] = [
    Peran::Operator,
    Peran::KepalaDesa,
    Peran::Kecamatan,
    Peran::Kabupaten,
    Peran::Admin,
];

impl Peran {
    pub fn parse(s: &str) -> Option<Peran> {
        SEMUA_PERAN.into_iter().find(|p| p.kode() == s)
    }

    pub fn kode(self) -> &'static str {
        match self {
            Peran::Admin => "admin",
            Peran::Kabupaten => "kabupaten",
            Peran::Kecamatan => "kecamatan",
            Peran::Operator => "operator",
            Peran::KepalaDesa => "kepala_desa",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Peran::Admin => "Admin Sistem",
            Peran::Kabupaten => "Kabupaten/Provinsi (hanya lihat)",
            Peran::Kecamatan => "Kecamatan",
            Peran::Operator => "Operator Desa",
            Peran::KepalaDesa => "Kepala Desa",
        }
    }

    /// The level of region code this role's scope must be.
    pub fn cakupan_perlu(self) -> &'static str {
        match self {
            Peran::Admin => "tanpa cakupan (seluruh instansi)",
            Peran::Kabupaten => "kode kabupaten atau provinsi, misalnya 63.11",
            Peran::Kecamatan => "kode kecamatan, misalnya 63.11.02",
            Peran::Operator | Peran::KepalaDesa => "kode desa, misalnya 63.11.02.2001",
        }
    }

    pub fn lingkup_desa(self) -> bool {
        matches!(self, Peran::Operator | Peran::KepalaDesa)
    }
}

/// Checks that `cakupan` fits `peran` and names a region of this instance.
/// Returns the normalised scope or a message naming the field.
pub async fn periksa_cakupan(db: &Db, peran: Peran, cakupan: &str) -> Result<String, String> {
    let cakupan = cakupan.trim();
    if peran == Peran::Admin {
        return if cakupan.is_empty() {
            Ok(String::new())
        } else {
            Err("Peran admin berlaku untuk seluruh instansi; kosongkan cakupan.".into())
        };
    }
    if cakupan.is_empty() {
        return Err(format!(
            "Cakupan wajib diisi untuk peran {}: {}.",
            peran.label(),
            peran.cakupan_perlu()
        ));
    }
    let kode = KodeWilayah::parse(cakupan).map_err(|e| e.0)?;
    let cocok = match peran {
        Peran::Kabupaten => matches!(kode.tingkat(), Tingkat::Provinsi | Tingkat::Kabupaten),
        Peran::Kecamatan => kode.tingkat() == Tingkat::Kecamatan,
        Peran::Operator | Peran::KepalaDesa => kode.tingkat() == Tingkat::Desa,
        Peran::Admin => unreachable!(),
    };
    if !cocok {
        return Err(format!(
            "Cakupan {kode} adalah kode {}, sedangkan peran {} memerlukan {}.",
            kode.tingkat().nama(),
            peran.label(),
            peran.cakupan_perlu()
        ));
    }
    let pola = format!("{}%", kode.as_str());
    let ada: i64 = crate::read!(db, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM desa WHERE kode LIKE $1")
            .bind(&pola)
            .fetch_one(c)
            .await
            .map_err(|e| e.to_string())?
    });
    if ada == 0 {
        return Err(format!(
            "Wilayah {kode} tidak ada di instansi ini. Pilih desa atau kecamatan yang sudah disiapkan."
        ));
    }
    Ok(kode.to_string())
}
