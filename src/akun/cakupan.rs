//! The scope of an account: the part of the instance it sees. A [`Cakupan`] is made only from
//! an account (its stored region code) or for the whole instance (the admin, the system's own
//! commands), and it is the only way to write a scope condition in SQL: every scoped read and
//! write takes `&Cakupan`, and no other code builds a `LIKE` on a region code.

use std::fmt;

use crate::wilayah::KodeWilayah;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Lingkup {
    /// The whole instance (admin).
    Semua,
    /// Every desa whose code starts with this region code (a desa, kecamatan, kabupaten or
    /// province code, as parsed by [`KodeWilayah`]).
    Wilayah(String),
}

/// What an account sees (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cakupan(Lingkup);

impl Cakupan {
    /// The whole instance: the admin's scope, and the system's own commands (`generate`,
    /// `import` from the command line, the demo).
    pub fn seluruh_instansi() -> Cakupan {
        Cakupan(Lingkup::Semua)
    }

    /// The scope stored with an account: empty for the whole instance, else a region code.
    pub(super) fn dari_simpanan(kode: &str) -> Result<Cakupan, String> {
        if kode.is_empty() {
            return Ok(Cakupan::seluruh_instansi());
        }
        Ok(Cakupan::wilayah(&KodeWilayah::parse(kode).map_err(|e| e.0)?))
    }

    /// The scope of a region (an account being created for it, or a narrower view inside an
    /// account's scope).
    pub(super) fn wilayah(kode: &KodeWilayah) -> Cakupan {
        Cakupan(Lingkup::Wilayah(kode.as_str().to_string()))
    }

    /// The region code, or `""` for the whole instance (as stored with the account).
    pub fn kode(&self) -> &str {
        match &self.0 {
            Lingkup::Semua => "",
            Lingkup::Wilayah(k) => k,
        }
    }

    pub fn seluruh(&self) -> bool {
        self.0 == Lingkup::Semua
    }

    /// Does the scope hold the desa (or region) `kode`?
    pub fn memuat(&self, kode: &str) -> bool {
        match &self.0 {
            Lingkup::Semua => true,
            Lingkup::Wilayah(k) => kode.starts_with(k.as_str()),
        }
    }

    /// The region `kode` as a scope, when it lies inside this one (a desa or kecamatan the
    /// user picked); `None` when it does not (the caller answers 404) or is not a region code.
    pub fn di_dalam(&self, kode: &str) -> Option<Cakupan> {
        if !self.memuat(kode) {
            return None;
        }
        KodeWilayah::parse(kode).ok().map(|k| Cakupan::wilayah(&k))
    }

    /// Where this scope and the region `kode` meet: the region when it lies inside the scope,
    /// the whole scope when the region holds it (a kecamatan user exporting their kabupaten),
    /// `None` when they do not meet.
    pub fn irisan(&self, kode: &KodeWilayah) -> Option<Cakupan> {
        if self.memuat(kode.as_str()) {
            Some(Cakupan::wilayah(kode))
        } else if self.kode().starts_with(kode.as_str()) {
            Some(self.clone())
        } else {
            None
        }
    }

    /// The SQL condition "`kolom` lies in this scope", with the scope's pattern as placeholder
    /// `$n` (bind [`Cakupan::pola`] there). `kolom` is a column name written in the code.
    pub fn syarat(&self, kolom: &'static str, n: u8) -> String {
        format!("{kolom} LIKE ${n}")
    }

    /// The value to bind to the placeholder of [`Cakupan::syarat`]. Region codes hold only
    /// digits and dots, so the pattern has no wildcard but its final `%`.
    pub fn pola(&self) -> String {
        format!("{}%", self.kode())
    }
}

impl fmt::Display for Cakupan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cakupan() {
        let kec = Cakupan::dari_simpanan("63.11.02").unwrap();
        assert!(kec.memuat("63.11.02.2001"));
        assert!(!kec.memuat("63.11.01.2001"));
        assert_eq!(kec.pola(), "63.11.02%");
        assert_eq!(kec.di_dalam("63.11.02.2001").unwrap().kode(), "63.11.02.2001");
        assert!(kec.di_dalam("63.11").is_none());
        assert!(kec.di_dalam("63.11.01").is_none());
        let kab = KodeWilayah::parse("63.11").unwrap();
        assert_eq!(kec.irisan(&kab).unwrap().kode(), "63.11.02");
        assert!(kec.irisan(&KodeWilayah::parse("63.10").unwrap()).is_none());
        let semua = Cakupan::seluruh_instansi();
        assert!(semua.memuat("11.01.01.2001"));
        assert_eq!(semua.pola(), "%");
        assert!(Cakupan::dari_simpanan("6311").is_err());
    }
}
