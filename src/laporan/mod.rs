//! Reports and exports. This part: the register (saved data) as XLSX and CSV, for one desa or
//! every desa of the user's scope.

pub mod ekspor;
