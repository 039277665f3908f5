//! The command line: `sipkatdes init | serve | demo | import | backup | restore | copy-to | audit verify | generate | user add`.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::akun::{self, InputPengguna};
use crate::app::{Application, Config};
use crate::audit::Pelaku;
use crate::db::Db;
use crate::error::AppError;
use crate::waktu::{Clock, unix_now};
use crate::wilayah;

#[derive(Parser, Debug)]
#[command(
    name = "sipkatdes",
    version,
    about = "SIPKATDES — Sistem Informasi Pengelolaan Perangkat Desa",
    long_about = None
)]
pub struct Cli {
    #[command(flatten)]
    pub umum: Umum,
    #[command(subcommand)]
    pub perintah: Perintah,
}

#[derive(Args, Debug, Clone)]
pub struct Umum {
    /// Data directory: the SQLite database and uploaded files.
    #[arg(long, env = "SIPKATDES_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// Database URL, sqlite://… or postgres://… (default: the SQLite file in the data directory).
    #[arg(long, env = "SIPKATDES_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Perintah {
    /// Set up the instance for one or more kecamatan (a kabupaten or province code: all of its kecamatan).
    Init {
        /// Region code(s), comma-separated, e.g. 63.11.02 (Kecamatan Halong).
        #[arg(long, value_delimiter = ',', required = true)]
        kecamatan: Vec<String>,
    },
    /// Serve the web application and the API.
    Serve(OpsiServe),
    /// Import officials of a desa from an XLSX or CSV file as drafts (each still needs its SK
    /// and the check); prints a report of every row.
    Import(OpsiImpor),
    /// Back up the instance (a consistent database snapshot and every document, with a manifest
    /// of SHA-256 hashes) into FILE, while the server runs.
    Backup {
        /// The backup file to write (refused when it exists).
        berkas: PathBuf,
    },
    /// Restore a backup into an empty data directory or database (every hash is checked first).
    Restore {
        /// The backup file.
        berkas: PathBuf,
    },
    /// Copy this instance (by default the SQLite database in the data directory) into an empty
    /// PostgreSQL database — how a kecamatan moves up to a kabupaten server. One consistent
    /// snapshot; documents stay in the data directory and are checked against their hashes; every
    /// table's content hash is compared afterwards.
    CopyTo {
        /// The target database, e.g. postgres://sipkatdes@localhost/balangan (must be empty).
        tujuan: String,
    },
    /// Serve a demo instance (Kecamatan Halong) on a fresh data directory, with an account for every role.
    Demo {
        #[arg(long, env = "SIPKATDES_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Check the audit log: recompute every entry's hash chain and report the first broken link.
    Audit {
        #[command(subcommand)]
        perintah: PerintahAudit,
    },
    /// Fill every desa of the instance with N fictitious, valid, saved officials (benchmarks and
    /// load tests; refused when the instance already has officials).
    Generate {
        /// Officials per desa (1–100).
        #[arg(long)]
        per_desa: usize,
        /// Seed: the same instance and seed give the same officials.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        perintah: PerintahUser,
    },
}

#[derive(Args, Debug)]
pub struct OpsiServe {
    /// Address to listen on.
    #[arg(long, env = "SIPKATDES_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Mark cookies Secure (set this when SIPKATDES is served over HTTPS).
    #[arg(long, env = "SIPKATDES_SECURE_COOKIE", default_value_t = false)]
    pub secure_cookie: bool,
    /// The address people use, e.g. https://sipkatdes.balangankab.go.id (forms from another origin are refused).
    #[arg(long, env = "SIPKATDES_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Behind a reverse proxy: take the client's address from X-Forwarded-For (for login throttling).
    #[arg(long, env = "SIPKATDES_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// Requests per minute per address on the public register's routes (0: no limit, e.g.
    /// behind a proxy or CDN that limits itself).
    #[arg(long, env = "SIPKATDES_PUBLIC_RATE", default_value_t = 600)]
    pub public_rate: u32,
    /// Largest accepted upload (SK scan), in MiB.
    #[arg(long, env = "SIPKATDES_UPLOAD_LIMIT_MB", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=200))]
    pub upload_limit_mb: u16,
    /// Workers reading uploaded SKs in the background (default: half the cores, at least one; 0: none).
    #[arg(long, env = "SIPKATDES_SK_PEKERJA", value_parser = clap::value_parser!(u16).range(0..=64))]
    pub sk_pekerja: Option<u16>,
    /// The Tesseract OCR program that reads scanned SKs (default: `tesseract` on the PATH).
    #[arg(long, env = "SIPKATDES_TESSERACT")]
    pub tesseract: Option<std::path::PathBuf>,
    /// The Tesseract model for scanned SKs (default `eng`, measured best on decrees; `ind`,
    /// `ind+eng`: any installed one).
    #[arg(long, env = "SIPKATDES_OCR_BAHASA")]
    pub ocr_bahasa: Option<String>,
}

#[derive(Args, Debug)]
pub struct OpsiImpor {
    /// The XLSX or CSV file.
    pub berkas: PathBuf,
    /// The desa the officials belong to, e.g. 63.11.02.2001.
    #[arg(long)]
    pub desa: String,
    /// Check and print the row report only; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Subcommand, Debug)]
pub enum PerintahAudit {
    /// Verify the hash chain of the whole audit log (exit status 1 at the first broken link).
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum PerintahUser {
    /// Create a user; the password is read from standard input (one line).
    Add {
        #[arg(long)]
        username: String,
        /// admin, kabupaten, kecamatan, operator or kepala_desa.
        #[arg(long)]
        role: String,
        /// Region code of the user's scope (a desa code for operator and kepala_desa).
        #[arg(long, default_value = "")]
        scope: String,
        /// Full name shown in the application.
        #[arg(long, default_value = "")]
        nama: String,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match jalankan(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Galat: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SIPKATDES_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn jalankan(cli: Cli) -> anyhow::Result<()> {
    let umum = cli.umum;
    match cli.perintah {
        Perintah::Init { kecamatan } => {
            // Every code is checked before the data directory or database is touched.
            wilayah::periksa(&kecamatan).map_err(anyhow::Error::msg)?;
            let db = Db::connect(umum.database_url.as_deref(), &umum.data_dir).await?;
            let h = wilayah::siapkan(&db, &kecamatan, unix_now()).await;
            db.close().await;
            let h = h?;
            println!(
                "Instansi siap: {} kecamatan baru ({} sudah ada), {} desa baru; zona waktu {}.",
                h.kecamatan_baru, h.kecamatan_sudah_ada, h.desa_baru, h.zona_waktu
            );
            if h.kelurahan_dilewati > 0 {
                println!(
                    "{} kelurahan dilewati (kelurahan tidak memiliki perangkat desa).",
                    h.kelurahan_dilewati
                );
            }
            println!(
                "Data wilayah: Kepmendagri No. 300.2.2-2138 Tahun 2025, dihimpun oleh cahyadsn/wilayah (lisensi MIT)."
            );
            Ok(())
        }
        Perintah::Serve(o) => {
            let db = Db::buka(umum.database_url.as_deref(), &umum.data_dir).await?;
            let mut config = Config::new(umum.data_dir.clone());
            config.secure_cookie = o.secure_cookie;
            config.public_url = o.public_url.map(|u| u.trim_end_matches('/').to_string());
            config.percaya_proxy = o.trust_proxy;
            config.batas_unggah = usize::from(o.upload_limit_mb) * 1024 * 1024;
            config.batas_publik.per_menit = o.public_rate;
            config.batas_publik.ledakan = (o.public_rate / 5).max(1);
            config.sk_pekerja = o.sk_pekerja.map(usize::from);
            if let Some(t) = o.tesseract {
                config.sk_pembaca.tesseract = t;
            }
            if let Some(b) = o.ocr_bahasa {
                config.sk_pembaca.bahasa = b;
            }
            if config.public_url.is_none() {
                // Issue 15, points 7 and 8: nothing printed comes from a request's Host header.
                tracing::warn!(
                    "--public-url is not set: receipted reports print the verification path and code without a host, and form origins are checked against the Host header and the scheme (https with --secure-cookie)"
                );
                eprintln!(
                    "Peringatan: --public-url (SIPKATDES_PUBLIC_URL) belum diatur. Tanda terima laporan yang diterima Kepala Desa hanya memuat jalur /verifikasi/KODE tanpa nama host (alamat tidak pernah diambil dari permintaan). Atur --public-url https://<alamat> agar alamat lengkap dan kode QR-nya dapat dipindai."
                );
            }
            let app = Application::build(db, config, Clock::default(), &o.listen).await?;
            tracing::info!(addr = %app.local_addr(), backend = app.state.db.backend(), "SIPKATDES serving");
            println!("SIPKATDES berjalan di http://{}", app.local_addr());
            app.run(crate::app::tanda_berhenti()).await
        }
        Perintah::Demo { listen } => crate::demo::jalankan(&umum.data_dir, &listen).await,
        Perintah::Import(o) => impor(&umum, o).await,
        Perintah::Generate { per_desa, seed } => {
            let db = Db::buka(umum.database_url.as_deref(), &umum.data_dir).await?;
            let simpanan = crate::dokumen::Penyimpanan::lokal(&umum.data_dir)?;
            let opsi = crate::bangkit::Opsi {
                per_desa,
                seed,
                cerewet: true,
            };
            let r = crate::bangkit::bangkitkan(&db, &simpanan, opsi, unix_now()).await;
            db.close().await;
            let h = r?;
            println!(
                "{} perangkat fiktif tersimpan di {} desa ({} per desa, seed {seed}) dalam {:.1} detik; SK contoh {}.",
                h.perangkat, h.desa, per_desa, h.detik, h.sha256_sk
            );
            Ok(())
        }
        Perintah::Backup { berkas } => {
            let db = Db::buka(umum.database_url.as_deref(), &umum.data_dir).await?;
            let simpanan = crate::dokumen::Penyimpanan::lokal(&umum.data_dir)?;
            let r = crate::cadangan::cadangkan(&db, &simpanan, &berkas, unix_now()).await;
            db.close().await;
            let m = r?;
            println!(
                "Cadangan ditulis ke {}: {} baris data, {} berkas dokumen, skema versi {}.",
                berkas.display(),
                m.baris.values().sum::<usize>(),
                m.berkas.keys().filter(|k| k.starts_with("berkas/")).count(),
                m.skema_versi
            );
            Ok(())
        }
        Perintah::Restore { berkas } => {
            let db = Db::connect(umum.database_url.as_deref(), &umum.data_dir).await?;
            let simpanan = crate::dokumen::Penyimpanan::lokal(&umum.data_dir)?;
            let r = crate::cadangan::pulihkan(&db, &simpanan, &berkas).await;
            db.close().await;
            let m = r?;
            println!(
                "Cadangan {} dipulihkan: {} baris data, {} berkas dokumen. Pengguna masuk kembali dengan kata sandinya.",
                berkas.display(),
                m.baris.values().sum::<usize>(),
                m.berkas.keys().filter(|k| k.starts_with("berkas/")).count()
            );
            Ok(())
        }
        Perintah::CopyTo { tujuan } => {
            if umum.database_url.as_deref() == Some(tujuan.as_str()) {
                anyhow::bail!("sumber dan tujuan adalah basis data yang sama.");
            }
            let sumber = Db::buka(umum.database_url.as_deref(), &umum.data_dir).await?;
            let simpanan = crate::dokumen::Penyimpanan::lokal(&umum.data_dir)?;
            let tujuan_db = match Db::connect(Some(&tujuan), &umum.data_dir).await {
                Ok(d) => d,
                Err(e) => {
                    sumber.close().await;
                    return Err(e);
                }
            };
            let r = crate::cadangan::salin(&sumber, &tujuan_db, &simpanan).await;
            sumber.close().await;
            tujuan_db.close().await;
            let h = r?;
            println!("Instansi disalin dari {} ke {}:", sumber.backend(), tujuan_db.backend());
            for (t, (n, sidik)) in &h.tabel {
                println!("  {t:<20} {n:>8} baris  sha256 {sidik}  cocok");
            }
            println!(
                "{} berkas dokumen diperiksa di {} (tetap di direktori data ini).",
                h.berkas,
                umum.data_dir.display()
            );
            println!(
                "Jalankan server dengan: sipkatdes serve --data-dir {} --database-url <tujuan>",
                umum.data_dir.display()
            );
            Ok(())
        }
        Perintah::Audit {
            perintah: PerintahAudit::Verify,
        } => {
            let db = Db::buka(umum.database_url.as_deref(), &umum.data_dir).await?;
            let r = crate::audit::periksa(&db).await;
            db.close().await;
            match r? {
                crate::audit::HasilPeriksa::Utuh {
                    jumlah,
                    sebelum_rantai,
                    id_akhir,
                    hash_akhir,
                } => {
                    println!("Rantai audit utuh: {jumlah} entri diperiksa.");
                    if sebelum_rantai > 0 {
                        println!("{sebelum_rantai} entri pertama ditulis sebelum rantai hash ada (versi lama).");
                    }
                    if let Some(id) = id_akhir {
                        println!("Entri terakhir #{id}, hash {hash_akhir}");
                        println!(
                            "Catat hash ini di tempat lain: entri yang dihapus dari ujung log hanya terlihat dengan membandingkannya."
                        );
                    }
                    Ok(())
                }
                crate::audit::HasilPeriksa::Putus {
                    id,
                    waktu,
                    aksi,
                    alasan,
                } => Err(anyhow::anyhow!(
                    "rantai audit putus pada entri #{id} (waktu {waktu}, aksi {aksi}): {alasan}."
                )),
            }
        }
        Perintah::User {
            perintah:
                PerintahUser::Add {
                    username,
                    role,
                    scope,
                    nama,
                    password_stdin,
                },
        } => {
            debug_assert!(password_stdin);
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let input = InputPengguna {
                username,
                nama_lengkap: nama,
                peran: role,
                cakupan: scope,
                password,
            };
            // What can be checked without the database is checked before it is opened.
            let awal = akun::periksa_awal(&input);
            let r = if awal.is_empty() {
                let db = Db::buka(umum.database_url.as_deref(), &umum.data_dir).await?;
                let r = akun::buat(&db, &input, &Pelaku::sistem(), unix_now()).await;
                db.close().await;
                r
            } else {
                Err(AppError::Validasi(awal))
            };
            match r {
                Ok(id) => {
                    println!("Pengguna {} dibuat (id {id}).", input.username.trim());
                    Ok(())
                }
                Err(AppError::Validasi(g)) => {
                    let pesan: Vec<String> = g.into_iter().map(|(f, m)| format!("{}: {m}", nama_opsi(f))).collect();
                    anyhow::bail!("pengguna tidak dibuat.\n  {}", pesan.join("\n  "))
                }
                Err(e) => Err(anyhow::anyhow!("{}", e.pesan())),
            }
        }
    }
}

/// `sipkatdes import FILE --desa KODE [--dry-run]`.
async fn impor(umum: &Umum, o: OpsiImpor) -> anyhow::Result<()> {
    let isi = std::fs::read(&o.berkas)
        .map_err(|e| anyhow::anyhow!("berkas {} tidak dapat dibaca: {e}", o.berkas.display()))?;
    let db = Db::buka(umum.database_url.as_deref(), &umum.data_dir).await?;
    let r = impor_di(&db, &isi, &o).await;
    db.close().await;
    r
}

async fn impor_di(db: &Db, isi: &[u8], o: &OpsiImpor) -> anyhow::Result<()> {
    let sistem = akun::Akun::sistem("sistem-impor");
    let instansi = crate::app::Instansi::muat(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("Instansi belum disiapkan."))?;
    let sekarang = unix_now();
    let hari_ini = time::OffsetDateTime::from_unix_timestamp(sekarang)?
        .to_offset(instansi.zona.offset())
        .date();
    let p = crate::impor::periksa_berkas(db, &sistem, o.desa.trim(), isi, hari_ini)
        .await
        .map_err(|e| match e {
            AppError::TidakDitemukan => anyhow::anyhow!("desa {} tidak ada di instansi ini.", o.desa.trim()),
            e => anyhow::anyhow!("{}", e.pesan()),
        })?;
    for b in &p.baris {
        let tanda = if b.bisa() { "SIAP " } else { "SALAH" };
        println!(
            "baris {:>4}  {tanda}  {} — {}",
            b.nomor,
            b.data.nama_lengkap(),
            b.data.jabatan
        );
        for (f, m) in &b.galat {
            println!("             galat {f}: {m}");
        }
        for w in &b.peringatan {
            println!("             peringatan: {w}");
        }
    }
    println!(
        "{} baris: {} siap, {} salah.",
        p.baris.len(),
        p.siap(),
        p.baris.len() - p.siap()
    );
    if o.dry_run {
        println!("--dry-run: tidak ada yang disimpan.");
        return Ok(());
    }
    let pilih: Vec<usize> = p.baris.iter().map(|b| b.nomor).collect();
    let saat = crate::perangkat::Saat { hari_ini, sekarang };
    let h = crate::impor::impor(db, &sistem, o.desa.trim(), &p, &pilih, saat)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.pesan()))?;
    for (n, m) in &h.gagal {
        println!("baris {n:>4}  tidak diimpor: {m}");
    }
    println!(
        "{} perangkat diimpor sebagai draf ke desa {} (unggah SK masing-masing lalu lakukan pemeriksaan).",
        h.dibuat.len(),
        o.desa.trim()
    );
    Ok(())
}

/// The command-line option that corresponds to a field.
fn nama_opsi(field: &str) -> &str {
    match field {
        "username" => "--username",
        "peran" => "--role",
        "cakupan" => "--scope",
        "nama_lengkap" => "--nama",
        "password" => "kata sandi (stdin)",
        f => f,
    }
}
