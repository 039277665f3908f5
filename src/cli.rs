//! The command line: `sipkatdes init | serve | demo | user add`.

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
    /// Serve a demo instance (Kecamatan Halong) on a fresh data directory, with an account for every role.
    Demo {
        #[arg(long, env = "SIPKATDES_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
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
    /// Largest accepted upload (SK scan), in MiB.
    #[arg(long, env = "SIPKATDES_UPLOAD_LIMIT_MB", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=200))]
    pub upload_limit_mb: u16,
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
            let app = Application::build(db, config, Clock::default(), &o.listen).await?;
            tracing::info!(addr = %app.local_addr(), backend = app.state.db.backend(), "SIPKATDES serving");
            println!("SIPKATDES berjalan di http://{}", app.local_addr());
            app.run(tanda_berhenti()).await
        }
        Perintah::Demo { listen } => crate::demo::jalankan(&umum, &listen).await,
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

/// Completes on Ctrl-C or SIGTERM.
pub async fn tanda_berhenti() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
