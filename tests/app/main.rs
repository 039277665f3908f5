//! The integration test suite: one binary, the real router, SQLite by default, PostgreSQL when
//! `SIPKATDES_TEST_DATABASE_URL` is set (see README).

mod admin;
mod api;
mod arsitektur;
mod audit;
mod cli;
mod dasar;
mod dokumen;
mod ekspor;
mod fixture_lama;
mod generate;
mod harian;
mod helpers;
mod impor;
mod injeksi;
mod jepretan;
mod keamanan;
mod kecamatan;
mod ketahanan;
mod laporan;
mod log;
mod masuk;
mod otorisasi;
mod pencocokan;
mod pengerasan;
mod perangkat;
mod publik;
mod rekomendasi;
mod unggahan;
