//! Roles and their scope rules (SPEC §1): a user's scope is a region code; a record is visible
//! when its desa code starts with the scope.

use crate::db::Db;
use crate::kode::Kode;
use crate::wilayah::{KodeWilayah, Tingkat};

crate::kode_enum!(
    /// A user's role (SPEC §1), stored as its code.
    Peran {
        Operator => "operator", "Operator Desa";
        KepalaDesa => "kepala_desa", "Kepala Desa";
        Kecamatan => "kecamatan", "Kecamatan";
        Kabupaten => "kabupaten", "Kabupaten/Provinsi (hanya lihat)";
        Admin => "admin", "Admin Sistem";
    }
);

pub const SEMUA_PERAN: [Peran; 5] = [
    Peran::Operator,
    Peran::KepalaDesa,
    Peran::Kecamatan,
    Peran::Kabupaten,
    Peran::Admin,
];

impl Peran {
    pub fn parse(s: &str) -> Option<Peran> {
        <Peran as Kode>::parse(s)
    }

    pub fn kode(self) -> &'static str {
        <Peran as Kode>::kode(self)
    }

    pub fn label(self) -> &'static str {
        <Peran as Kode>::label(self)
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
    let calon = super::Cakupan::wilayah(&kode);
    let sql = format!("SELECT COUNT(*) FROM desa WHERE {}", calon.syarat("kode", 1));
    let ada: i64 = crate::read!(db, c => {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(calon.pola())
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
