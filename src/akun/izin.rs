//! Who may do what: every permission of SIPKATDES, declared once per action. Handlers and the
//! domain ask [`boleh`] (or [`boleh_peran`] for actions not tied to a desa); the authorization
//! matrix test (tests/app/otorisasi.rs) reads [`peran`] for its expectations.
//!
//! A permission says which roles may act; *where* they may act is their scope
//! ([`crate::akun::Cakupan`]): a record outside it does not exist for them (404), a record
//! inside it that their role may not change is refused (403).

use super::{Akun, Peran};

/// An action that not every role may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tindakan {
    /// See the saved register of a desa: its page, records, history, documents, reports.
    LihatDesa,
    /// Enter, change, check, dismiss, transfer officials; upload SKs; import; print the Buku
    /// Aparat. Operators only in their own desa.
    UbahPerangkat,
    /// Accept or reject a printed report: the Kepala Desa of that desa only.
    TanggapiLaporan,
    /// Verify a saved record or return it to the desa.
    Verifikasi,
    /// The kecamatan's pages: dashboard, warnings, recap, change feed.
    LihatDasbor,
    /// Administration: accounts and desa settings.
    Administrasi,
    /// See NIKs whole (SPEC §6: masked wherever a role does not need them). The operator
    /// enters and checks them against the KTP, the kecamatan verifies records and searches by
    /// NIK, the admin administers; the Kepala Desa and the kabupaten see them masked.
    LihatNikUtuh,
    /// Turn a kecamatan's public register on or off (issue 19): the kecamatan in its scope,
    /// the admin everywhere.
    AturRegisterPublik,
    /// Ask the Camat for a recommendation (Permohonan Rekomendasi), add its documents, submit
    /// it again after it was returned: the operator of that desa.
    AjukanRekomendasi,
    /// Decide on a recommendation (Setujui, Tolak, Kembalikan): the kecamatan only — the
    /// Camat's office answers in writing; not even the admin decides for it.
    PutuskanRekomendasi,
    /// The kecamatan's settings for recommendations (Camat, letter number, required from).
    AturKecamatan,
}

pub const SEMUA_TINDAKAN: [Tindakan; 11] = [
    Tindakan::LihatDesa,
    Tindakan::UbahPerangkat,
    Tindakan::TanggapiLaporan,
    Tindakan::Verifikasi,
    Tindakan::LihatDasbor,
    Tindakan::Administrasi,
    Tindakan::LihatNikUtuh,
    Tindakan::AturRegisterPublik,
    Tindakan::AjukanRekomendasi,
    Tindakan::PutuskanRekomendasi,
    Tindakan::AturKecamatan,
];

/// The roles that may take the action (within their scope).
pub fn peran(t: Tindakan) -> &'static [Peran] {
    use Peran::*;
    match t {
        Tindakan::LihatDesa => &[Operator, KepalaDesa, Kecamatan, Kabupaten, Admin],
        Tindakan::UbahPerangkat => &[Operator, Admin],
        Tindakan::TanggapiLaporan => &[KepalaDesa],
        Tindakan::Verifikasi => &[Kecamatan, Admin],
        Tindakan::LihatDasbor => &[Kecamatan, Kabupaten, Admin],
        Tindakan::Administrasi => &[Admin],
        Tindakan::LihatNikUtuh => &[Operator, Kecamatan, Admin],
        Tindakan::AturRegisterPublik => &[Kecamatan, Admin],
        Tindakan::AjukanRekomendasi => &[Operator],
        Tindakan::PutuskanRekomendasi => &[Kecamatan],
        Tindakan::AturKecamatan => &[Kecamatan, Admin],
    }
}

/// May a user of role `p` take the action (somewhere in their scope)?
pub fn boleh_peran(p: Peran, t: Tindakan) -> bool {
    peran(t).contains(&p)
}

/// May `akun` take the action on data of the desa `desa_kode`? The role must be allowed and
/// the desa inside the account's scope.
pub fn boleh(akun: &Akun, t: Tindakan, desa_kode: &str) -> bool {
    boleh_peran(akun.peran, t) && akun.cakupan.memuat(desa_kode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setiap_tindakan_punya_peran() {
        for t in SEMUA_TINDAKAN {
            assert!(!peran(t).is_empty(), "{t:?}");
        }
    }
}
