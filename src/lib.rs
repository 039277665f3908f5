//! SIPKATDES — Sistem Informasi Pengelolaan Perangkat Desa.
//!
//! The register of village officials for a kecamatan (or a kabupaten, a province): one binary,
//! SQLite embedded by default, PostgreSQL by URL, a server-rendered web UI in Bahasa Indonesia
//! and a JSON API.

pub mod akun;
pub mod api;
pub mod app;
pub mod audit;
pub mod bangkit;
pub mod cadangan;
pub mod cli;
pub mod db;
pub mod demo;
pub mod desa;
pub mod dokumen;
pub mod error;
pub mod id;
pub mod impor;
pub mod kecamatan;
pub mod kernel;
pub mod kode;
pub mod laporan;
pub mod perangkat;
pub mod publik;
pub mod rekomendasi;
pub mod sk;
pub mod waktu;
pub mod web;
pub mod wilayah;
