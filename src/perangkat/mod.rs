//! Village officials (perangkat desa). This part holds the standard catalogue of positions
//! (Permendagri 84/2015) that each desa's structure is made of.

pub mod jabatan;
