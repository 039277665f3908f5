//! The command line: `sipkatdes init | serve | demo | import | backup | restore | copy-to | audit verify | generate | user add`.
//!
//! It speaks Bahasa Indonesia throughout (issue 14, point 18): every description below is what
//! `--help` prints; clap's own headings, its help and version flags, its `[default: …]` and
//! `[env: …]` notes and its errors are replaced by Indonesian ones ([`perintah`], [`galat_clap`]),
//! and nothing printed carries colour codes unless it goes to a terminal.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::akun::{self, InputPengguna};
use crate::app::{Application, Config};
use crate::audit::Pelaku;
use crate::db::Db;
use crate::error::AppError;
use crate::waktu::{Clock, unix_now};
use crate::wilayah;

/// The data directory used when `--data-dir` is not given (the demo makes a temporary one instead).
pub const DATA_DIR_BAWAAN: &str = "./data";

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
    /// Direktori data: basis data SQLite dan berkas yang diunggah (bawaan ./data; `demo` tanpa
    /// opsi ini memakai direktori sementara baru yang dihapus saat demo berhenti).
    #[arg(long, env = "SIPKATDES_DATA_DIR", value_name = "DIREKTORI", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Alamat basis data, sqlite://… atau postgres://… (bawaan: berkas SQLite di direktori data).
    #[arg(long, env = "SIPKATDES_DATABASE_URL", value_name = "URL", global = true)]
    pub database_url: Option<String>,
}

impl Umum {
    /// The data directory: `--data-dir`, or `./data`.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(|| PathBuf::from(DATA_DIR_BAWAAN))
    }
}

#[derive(Subcommand, Debug)]
pub enum Perintah {
    /// Menyiapkan instansi untuk satu kecamatan atau lebih (kode kabupaten atau provinsi: semua
    /// kecamatannya).
    Init {
        /// Kode wilayah, dipisah koma, mis. 63.11.02 (Kecamatan Halong).
        #[arg(long, value_delimiter = ',', required = true, value_name = "KODE")]
        kecamatan: Vec<String>,
    },
    /// Menjalankan aplikasi web dan API.
    Serve(OpsiServe),
    /// Mengimpor perangkat sebuah desa dari berkas XLSX atau CSV sebagai draf.
    ///
    /// Masing-masing masih perlu SK dan pemeriksaannya; laporan setiap baris dicetak.
    Import(OpsiImpor),
    /// Mencadangkan instansi ke BERKAS, selagi server berjalan.
    ///
    /// Isinya salinan basis data yang utuh dan setiap dokumen, dengan daftar sidik SHA-256.
    Backup {
        /// Berkas cadangan yang ditulis (ditolak bila sudah ada).
        #[arg(value_name = "BERKAS")]
        berkas: PathBuf,
    },
    /// Memulihkan cadangan ke direktori data atau basis data yang kosong (setiap sidik diperiksa
    /// lebih dulu).
    Restore {
        /// Berkas cadangan.
        #[arg(value_name = "BERKAS")]
        berkas: PathBuf,
    },
    /// Menyalin instansi ini ke basis data PostgreSQL yang kosong (pindah ke server kabupaten).
    ///
    /// Sumbernya (bawaan: basis data SQLite di direktori data) disalin dalam satu salinan yang
    /// utuh; dokumen tetap di direktori data dan diperiksa sidiknya; sidik isi setiap tabel
    /// dibandingkan sesudahnya.
    CopyTo {
        /// Basis data tujuan, mis. postgres://sipkatdes@localhost/balangan (harus kosong).
        #[arg(value_name = "URL_TUJUAN")]
        tujuan: String,
    },
    /// Menjalankan instansi demo (Kecamatan Halong) pada direktori data baru, dengan akun untuk
    /// setiap peran.
    Demo {
        /// Alamat dan port tempat demo melayani.
        #[arg(
            long,
            env = "SIPKATDES_LISTEN",
            default_value = "127.0.0.1:8080",
            value_name = "ALAMAT"
        )]
        listen: String,
    },
    /// Memeriksa log audit: rantai hash setiap entri dihitung ulang.
    ///
    /// Mata rantai pertama yang putus dilaporkan.
    Audit {
        #[command(subcommand)]
        perintah: PerintahAudit,
    },
    /// Mengisi setiap desa dengan N perangkat fiktif yang sah dan tersimpan (tolok ukur, uji beban).
    ///
    /// Ditolak bila instansi sudah berisi perangkat.
    Generate {
        /// Perangkat per desa (1–100).
        #[arg(long, value_name = "N", value_parser = bilangan::<usize>(1, 100))]
        per_desa: usize,
        /// Benih: instansi dan benih yang sama menghasilkan perangkat yang sama.
        #[arg(long, default_value_t = 1, value_name = "BENIH", value_parser = bilangan::<u64>(0, u64::MAX))]
        seed: u64,
    },
    /// Mengelola akun pengguna.
    User {
        #[command(subcommand)]
        perintah: PerintahUser,
    },
}

#[derive(Args, Debug)]
pub struct OpsiServe {
    /// Alamat dan port tempat server melayani.
    #[arg(
        long,
        env = "SIPKATDES_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ALAMAT"
    )]
    pub listen: String,
    /// Menandai cookie sebagai Secure (atur bila SIPKATDES dilayani lewat HTTPS).
    #[arg(long, env = "SIPKATDES_SECURE_COOKIE", default_value_t = false)]
    pub secure_cookie: bool,
    /// Alamat yang dipakai orang, mis. https://sipkatdes.balangankab.go.id (formulir dari asal
    /// lain ditolak).
    #[arg(long, env = "SIPKATDES_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Di belakang reverse proxy: alamat klien diambil dari X-Forwarded-For dan skemanya dari
    /// X-Forwarded-Proto, hanya bila koneksi datang dari alamat --proxy-address.
    #[arg(long, env = "SIPKATDES_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// Alamat reverse proxy yang dipercaya, dipisah koma (alamat atau jaringan, mis.
    /// 10.0.0.5,10.1.0.0/16).
    #[arg(long, env = "SIPKATDES_PROXY_ADDRESS", default_value = "127.0.0.1/8,::1", value_name = "ALAMAT",
          value_delimiter = ',', value_parser = |s: &str| crate::kernel::proxy::Jaringan::parse(s))]
    pub proxy_address: Vec<crate::kernel::proxy::Jaringan>,
    /// Permintaan per menit per alamat pada rute register publik (0: tanpa batas, mis. di
    /// belakang proxy atau CDN yang membatasi sendiri).
    #[arg(long, env = "SIPKATDES_PUBLIC_RATE", default_value_t = 600, value_name = "N",
          value_parser = bilangan::<u32>(0, u32::MAX))]
    pub public_rate: u32,
    /// Unggahan (pindaian SK) terbesar yang diterima, dalam MiB (1–200).
    #[arg(long, env = "SIPKATDES_UPLOAD_LIMIT_MB", default_value_t = 10, value_name = "MIB",
          value_parser = bilangan::<u16>(1, 200))]
    pub upload_limit_mb: u16,
    /// Pekerja yang membaca SK unggahan di latar belakang (0–64; bawaan: separuh jumlah inti,
    /// sedikitnya satu; 0: tidak ada).
    #[arg(long, env = "SIPKATDES_SK_PEKERJA", value_name = "N", value_parser = bilangan::<u16>(0, 64))]
    pub sk_pekerja: Option<u16>,
    /// Program OCR Tesseract yang membaca SK hasil pindaian (bawaan: `tesseract` di PATH).
    #[arg(long, env = "SIPKATDES_TESSERACT", value_name = "PROGRAM")]
    pub tesseract: Option<std::path::PathBuf>,
    /// Model Tesseract untuk SK hasil pindaian (bawaan `eng`, terukur paling baik pada surat
    /// keputusan; `ind`, `ind+eng`: model apa pun yang terpasang).
    #[arg(long, env = "SIPKATDES_OCR_BAHASA", value_name = "MODEL")]
    pub ocr_bahasa: Option<String>,
}

#[derive(Args, Debug)]
pub struct OpsiImpor {
    /// Berkas XLSX atau CSV.
    #[arg(value_name = "BERKAS")]
    pub berkas: PathBuf,
    /// Desa asal perangkat, mis. 63.11.02.2001.
    #[arg(long, value_name = "KODE")]
    pub desa: String,
    /// Hanya memeriksa dan mencetak laporan baris; tidak menyimpan apa pun.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Subcommand, Debug)]
pub enum PerintahAudit {
    /// Memeriksa rantai hash seluruh log audit (status keluar 1 pada mata rantai pertama yang
    /// putus).
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum PerintahUser {
    /// Membuat pengguna; kata sandi dibaca dari masukan standar (satu baris).
    Add {
        /// Nama pengguna untuk masuk.
        #[arg(long, value_name = "NAMA")]
        username: String,
        /// admin, kabupaten, kecamatan, operator atau kepala_desa.
        #[arg(long, value_name = "PERAN")]
        role: String,
        /// Kode wilayah cakupan pengguna (kode desa untuk operator dan kepala_desa).
        #[arg(long, default_value = "", value_name = "KODE")]
        scope: String,
        /// Nama lengkap yang tampil di aplikasi.
        #[arg(long, default_value = "", value_name = "NAMA")]
        nama: String,
        /// Membaca kata sandi dari masukan standar (wajib: kata sandi tidak pernah ditulis di
        /// baris perintah).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

/// A number option's parser whose refusal is in Indonesian (clap's own says "invalid digit found
/// in string").
fn bilangan<T>(min: T, maks: T) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy + Send + Sync + 'static,
{
    move |s: &str| match s.trim().parse::<T>() {
        Ok(n) if n >= min && n <= maks => Ok(n),
        Ok(_) => Err(format!("harus bilangan dari {min} sampai {maks}")),
        Err(_) => Err("harus bilangan bulat".to_string()),
    }
}

const TEMPLAT_BANTUAN: &str = "{before-help}{about-with-newline}\nPemakaian: {usage}\n\n{all-args}{after-help}";

/// The command with its help in Indonesian: clap's help and version flags replaced by ones
/// described in Indonesian, options under "Opsi", arguments under "Argumen", commands under
/// "Perintah", and the default value and environment variable of each option named in words.
pub fn perintah() -> clap::Command {
    fn atur(c: clap::Command, atas: bool) -> clap::Command {
        let mut c = c
            .help_template(TEMPLAT_BANTUAN)
            .disable_help_flag(true)
            .disable_help_subcommand(true)
            .disable_colored_help(!std::io::stdout().is_terminal())
            .subcommand_help_heading("Perintah")
            .subcommand_value_name("PERINTAH")
            .mut_args(|a| {
                let mut catatan = Vec::new();
                let bawaan: Vec<String> = a
                    .get_default_values()
                    .iter()
                    .map(|v| v.to_string_lossy().into_owned())
                    .filter(|v| !v.is_empty())
                    .collect();
                if a.get_action().takes_values() && !bawaan.is_empty() {
                    catatan.push(format!("bawaan: {}", bawaan.join(",")));
                }
                if let Some(env) = a.get_env() {
                    catatan.push(format!("variabel lingkungan: {}", env.to_string_lossy()));
                }
                let judul = if a.is_positional() {
                    "Argumen"
                } else if a.is_global_set() {
                    "Opsi umum"
                } else {
                    "Opsi"
                };
                let nilai = a.get_action().takes_values();
                let mut a = a.hide_default_value(nilai).hide_env(true).help_heading(judul);
                if !catatan.is_empty() {
                    let tambah = format!(" [{}]", catatan.join("; "));
                    if let Some(h) = a.get_help().map(|h| h.to_string()) {
                        a = a.help(format!("{h}{tambah}"));
                    }
                    if let Some(h) = a.get_long_help().map(|h| h.to_string()) {
                        a = a.long_help(format!("{h}{tambah}"));
                    }
                }
                a
            })
            .arg(
                clap::Arg::new("bantuan")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help("Menampilkan bantuan ini")
                    .help_heading("Opsi"),
            );
        if atas {
            c = c.disable_version_flag(true).arg(
                clap::Arg::new("versi")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("Menampilkan versi")
                    .help_heading("Opsi"),
            );
        }
        c.mut_subcommands(|s| atur(s, false))
    }
    atur(Cli::command(), true)
}

/// Parses the command line; help and version are printed and errors explained in Indonesian
/// (exit status 0 for help and version, 2 for a wrong command line, as clap does).
pub fn urai<I, T>(args: I) -> Result<Cli, (String, i32)>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let hasil = perintah()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    hasil.map_err(|e| (galat_clap(&e), e.exit_code()))
}

/// Clap's few English words in a rendered usage or help.
fn indonesiakan(s: &str) -> String {
    s.replace("Usage:", "Pemakaian:").replace("[OPTIONS]", "[OPSI]")
}

/// What clap reports, said in Indonesian: the help or version as they are, an error as one line
/// naming the option or value, then the usage and where to find help.
pub fn galat_clap(e: &clap::Error) -> String {
    let teks = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ")),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let mut s = indonesiakan(&e.render().to_string());
            if e.kind() == ErrorKind::DisplayVersion {
                s = s.replacen("sipkatdes ", "SIPKATDES versi ", 1);
            }
            return s;
        }
        _ => {}
    }
    let opsi = teks(ContextKind::InvalidArg).unwrap_or_default();
    let nilai = teks(ContextKind::InvalidValue).unwrap_or_default();
    let mut pesan = match e.kind() {
        ErrorKind::UnknownArgument => format!("opsi '{opsi}' tidak dikenal"),
        ErrorKind::InvalidSubcommand => format!(
            "perintah '{}' tidak dikenal",
            teks(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingSubcommand => "perintah belum diberikan".to_string(),
        ErrorKind::MissingRequiredArgument => format!("belum diberikan, padahal wajib: {opsi}"),
        ErrorKind::InvalidValue if nilai.is_empty() => format!("{opsi} memerlukan nilai"),
        ErrorKind::InvalidValue => format!("nilai '{nilai}' tidak sah untuk {opsi}"),
        ErrorKind::ValueValidation => {
            let sebab = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            format!("nilai '{nilai}' tidak sah untuk {opsi}: {sebab}")
        }
        ErrorKind::ArgumentConflict => format!(
            "{opsi} tidak dapat dipakai bersama {}",
            teks(ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::NoEquals => format!("{opsi} memerlukan tanda '=' sebelum nilainya"),
        ErrorKind::TooManyValues => format!("terlalu banyak nilai untuk {opsi}: '{nilai}'"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("jumlah nilai untuk {opsi} salah"),
        ErrorKind::InvalidUtf8 => "baris perintah memuat teks yang bukan UTF-8".to_string(),
        _ => "baris perintah tidak dapat dibaca".to_string(),
    };
    let saran = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .find_map(|k| match e.get(k) {
            Some(ContextValue::String(s)) => Some(vec![s.clone()]),
            Some(ContextValue::Strings(v)) if !v.is_empty() => Some(v.clone()),
            _ => None,
        });
    if let Some(s) = saran {
        pesan.push_str(&format!("; mungkin maksud Anda '{}'", s.join("' atau '")));
    }
    let pemakaian = teks(ContextKind::Usage)
        .map(|u| format!("\n\n{}", indonesiakan(u.trim())))
        .unwrap_or_default();
    format!("galat: {pesan}.{pemakaian}\n\nBantuan: sipkatdes --help (atau sipkatdes PERINTAH --help).\n")
}

pub async fn main() -> ExitCode {
    let cli = match urai(std::env::args_os()) {
        Ok(c) => c,
        Err((teks, kode)) => {
            if kode == 0 {
                print!("{teks}");
            } else {
                eprint!("{teks}");
            }
            return ExitCode::from(u8::try_from(kode).unwrap_or(2));
        }
    };
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
    // Colour codes only on a terminal: a log file or a pipe gets plain text.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}

async fn jalankan(cli: Cli) -> anyhow::Result<()> {
    let umum = cli.umum;
    let data_dir = umum.data_dir();
    match cli.perintah {
        Perintah::Init { kecamatan } => {
            // Every code is checked before the data directory or database is touched.
            wilayah::periksa(&kecamatan).map_err(anyhow::Error::msg)?;
            let db = Db::connect(umum.database_url.as_deref(), &data_dir).await?;
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
            let db = Db::buka(umum.database_url.as_deref(), &data_dir).await?;
            let mut config = Config::new(data_dir.clone());
            config.secure_cookie = o.secure_cookie;
            config.public_url = o.public_url.map(|u| u.trim_end_matches('/').to_string());
            config.proxy = crate::kernel::proxy::Proxy {
                aktif: o.trust_proxy,
                alamat: o.proxy_address.clone(),
            };
            if o.trust_proxy {
                let daftar: Vec<String> = o.proxy_address.iter().map(ToString::to_string).collect();
                tracing::info!(proxy = %daftar.join(","), "X-Forwarded-For and X-Forwarded-Proto are believed from these peers only");
            }
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
        Perintah::Demo { listen } => crate::demo::jalankan(umum.data_dir.as_deref(), &listen).await,
        Perintah::Import(o) => impor(&umum, o).await,
        Perintah::Generate { per_desa, seed } => {
            let db = Db::buka(umum.database_url.as_deref(), &data_dir).await?;
            let simpanan = crate::dokumen::Penyimpanan::lokal(&data_dir)?;
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
            let db = Db::buka(umum.database_url.as_deref(), &data_dir).await?;
            let simpanan = crate::dokumen::Penyimpanan::lokal(&data_dir)?;
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
            let db = Db::connect(umum.database_url.as_deref(), &data_dir).await?;
            let simpanan = crate::dokumen::Penyimpanan::lokal(&data_dir)?;
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
            let sumber = Db::buka(umum.database_url.as_deref(), &data_dir).await?;
            let simpanan = crate::dokumen::Penyimpanan::lokal(&data_dir)?;
            let tujuan_db = match Db::connect(Some(&tujuan), &data_dir).await {
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
                data_dir.display()
            );
            println!(
                "Jalankan server dengan: sipkatdes serve --data-dir {} --database-url <tujuan>",
                data_dir.display()
            );
            Ok(())
        }
        Perintah::Audit {
            perintah: PerintahAudit::Verify,
        } => {
            let db = Db::buka(umum.database_url.as_deref(), &data_dir).await?;
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
                let db = Db::buka(umum.database_url.as_deref(), &data_dir).await?;
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
    let db = Db::buka(umum.database_url.as_deref(), &umum.data_dir()).await?;
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
