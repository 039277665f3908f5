//! Reports and exports: the Buku Aparat Pemerintah Desa (Model A.4) as PDF and its printed,
//! receipted snapshots; the register (saved data) as XLSX and CSV, for one desa or every desa of
//! the user's scope.

pub mod arsip;
pub mod buku_aparat;
pub mod ekspor;
pub mod pdf;
