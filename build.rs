//! Lists the migrations for `src/db/migrate.rs`: every `migrations/sqlite/NNNN_nama.sql` with its
//! `migrations/postgres/NNNN_nama.sql`, numbered 1, 2, 3, … without a gap. Adding a migration
//! is adding its two files.

use std::fmt::Write;
use std::path::Path;

fn berkas(backend: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(Path::new("migrations").join(backend))
        .unwrap_or_else(|e| panic!("migrations/{backend}: {e}"))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    v.sort();
    v
}

fn main() {
    println!("cargo::rerun-if-changed=migrations");
    let sqlite = berkas("sqlite");
    assert_eq!(
        sqlite,
        berkas("postgres"),
        "every migration has a SQLite and a PostgreSQL file of the same name"
    );
    let mut out = String::from("&[\n");
    for (i, f) in sqlite.iter().enumerate() {
        let (versi, nama) = f
            .trim_end_matches(".sql")
            .split_once('_')
            .unwrap_or_else(|| panic!("migration {f}: name it NNNN_nama.sql"));
        let versi: usize = versi
            .parse()
            .unwrap_or_else(|_| panic!("migration {f}: name it NNNN_nama.sql"));
        assert_eq!(versi, i + 1, "migration {f}: the numbers run 1, 2, 3, … without a gap");
        writeln!(
            out,
            "    Migration {{ versi: {versi}, nama: {nama:?}, \
             sqlite: include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/migrations/sqlite/{f}\")), \
             postgres: include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/migrations/postgres/{f}\")) }},"
        )
        .unwrap();
    }
    out.push(']');
    let tujuan = Path::new(&std::env::var("OUT_DIR").unwrap()).join("migrasi.rs");
    std::fs::write(tujuan, out).unwrap();
}
