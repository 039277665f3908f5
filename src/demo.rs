//! `sipkatdes demo`: Kecamatan Halong on a fresh data directory, an account for every role,
//! served at once. Everything in it is fictitious.

use std::path::PathBuf;

use anyhow::Context;

use crate::akun::{self, Akun, InputPengguna, Peran};
use crate::app::{Application, Config};
use crate::audit::Pelaku;
use crate::cli::Umum;
use crate::db::Db;
use crate::desa::{self, InputPengaturan};
use crate::waktu::{Clock, unix_now};
use crate::wilayah;

pub const KECAMATAN_DEMO: &str = "63.11.02";
pub const SANDI_DEMO: &str = "sipkatdes-demo";

/// A username part from a desa name: "Padang Raya" → "padang-raya".
pub fn slug(nama: &str) -> String {
    let mut s = String::new();
    for c in nama.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').chars().take(24).collect()
}

/// Picks the demo data directory: `--data-dir` when it was given and is empty or absent,
/// otherwise a new directory under the system's temporary directory.
fn direktori(umum: &Umum) -> anyhow::Result<PathBuf> {
    let diberikan = std::env::var_os("SIPKATDES_DATA_DIR").is_some()
        || std::env::args().any(|a| a == "--data-dir" || a.starts_with("--data-dir="));
    if diberikan {
        let d = &umum.data_dir;
        let kosong = !d.exists() || std::fs::read_dir(d)?.next().is_none();
        anyhow::ensure!(
            kosong,
            "direktori data demo {} tidak kosong; demo selalu dimulai dari direktori baru",
            d.display()
        );
        return Ok(d.clone());
    }
    let d = std::env::temp_dir().join(format!("sipkatdes-demo-{}-{}", unix_now(), std::process::id()));
    Ok(d)
}

/// Sets up the demo instance in `db`; returns the accounts as (username, role, scope label).
pub async fn siapkan(db: &Db) -> anyhow::Result<Vec<(String, &'static str, String)>> {
    let sekarang = unix_now();
    wilayah::siapkan(db, &[KECAMATAN_DEMO.to_string()], sekarang).await?;
    let sistem = Pelaku::sistem();
    let admin = Akun {
        id: 0,
        username: "sistem".into(),
        nama_lengkap: String::new(),
        peran: Peran::Admin,
        cakupan: String::new(),
    };
    let mut akun_demo = Vec::new();
    let mut tambah =
        async |username: String, peran: Peran, cakupan: &str, nama: String, label: String| -> anyhow::Result<()> {
            let input = InputPengguna {
                username: username.clone(),
                nama_lengkap: nama,
                peran: peran.kode().into(),
                cakupan: cakupan.into(),
                password: SANDI_DEMO.into(),
            };
            akun::buat(db, &input, &sistem, sekarang)
                .await
                .map_err(|e| anyhow::anyhow!("akun demo {username}: {}", e.pesan()))?;
            akun_demo.push((username, peran.label(), label));
            Ok(())
        };
    tambah(
        "admin".into(),
        Peran::Admin,
        "",
        "Admin Sistem (demo)".into(),
        "seluruh instansi".into(),
    )
    .await?;
    tambah(
        "kecamatan.halong".into(),
        Peran::Kecamatan,
        KECAMATAN_DEMO,
        "Staf Kecamatan Halong (demo)".into(),
        "Kecamatan Halong".into(),
    )
    .await?;
    tambah(
        "kabupaten.balangan".into(),
        Peran::Kabupaten,
        "63.11",
        "Pemantau Kabupaten Balangan (demo)".into(),
        "Kabupaten Balangan".into(),
    )
    .await?;
    for (i, d) in desa::daftar(db, &admin, "").await?.into_iter().enumerate() {
        let s = slug(&d.nama);
        tambah(
            format!("operator.{s}"),
            Peran::Operator,
            &d.kode,
            format!("Operator Desa {} (demo)", d.nama),
            format!("Desa {}", d.nama),
        )
        .await?;
        tambah(
            format!("kades.{s}"),
            Peran::KepalaDesa,
            &d.kode,
            format!("{} {} (demo)", d.sebutan_kepala_desa, d.nama),
            format!("Desa {}", d.nama),
        )
        .await?;
        let jumlah_dusun = 2 + i % 3;
        let dusun: Vec<String> = ["I", "II", "III", "IV"]
            .iter()
            .take(jumlah_dusun)
            .map(|r| format!("Dusun {r}"))
            .collect();
        let pengaturan = InputPengaturan {
            sebutan_kepala_desa: d.sebutan_kepala_desa.clone(),
            sebutan_kepala_dusun: "Kepala Dusun".into(),
            struktur: if i % 4 == 3 { "sederhana" } else { "lengkap" }.into(),
            dusun: dusun.join("\n"),
            alamat_kop: format!(
                "Jalan Poros Desa {} No. {}, Kecamatan Halong, Kabupaten Balangan 71666",
                d.nama,
                i + 1
            ),
        };
        desa::atur(db, &admin, &d.kode, &pengaturan, sekarang)
            .await
            .map_err(|e| anyhow::anyhow!("pengaturan desa demo {}: {}", d.nama, e.pesan()))?;
    }
    Ok(akun_demo)
}

pub async fn jalankan(umum: &Umum, listen: &str) -> anyhow::Result<()> {
    let dir = direktori(umum)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("direktori demo {} tidak dapat dibuat", dir.display()))?;
    println!("Menyiapkan demo SIPKATDES di {} …", dir.display());
    let db = Db::connect(None, &dir).await?;
    let akun_demo = siapkan(&db).await?;
    let app = Application::build(db, Config::new(dir.clone()), Clock::default(), listen).await?;
    println!();
    println!("Akun demo (kata sandi semua akun: {SANDI_DEMO}):");
    println!("  {:<32} {:<34} cakupan", "nama pengguna", "peran");
    for (u, p, c) in &akun_demo {
        println!("  {u:<32} {p:<34} {c}");
    }
    println!();
    println!(
        "SIPKATDES demo berjalan di http://{}  (hentikan dengan Ctrl-C)",
        app.local_addr()
    );
    app.run(crate::cli::tanda_berhenti()).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn slug() {
        assert_eq!(super::slug("Padang Raya"), "padang-raya");
        assert_eq!(super::slug("Binjai  Punggal"), "binjai-punggal");
    }
}
