//! The text of an SK: the PDF's own text layer, or OCR of a scan.
//!
//! - **Text PDFs** are read in process with lopdf: a small content-stream interpreter places
//!   every glyph on the page (text and graphics matrices, font sizes, glyph widths, form
//!   XObjects) and decodes it through the font's `/ToUnicode` CMap (read here, see
//!   [`PetaUnicode`]), else its encoding through lopdf (WinAnsi, Standard, MacRoman,
//!   `/Differences`). The glyphs are then grouped by baseline into
//!   lines, left to right, with a space wherever a gap is wider than a fifth of the font size.
//!   lopdf's own `extract_text` decodes the same fonts but ignores positions: a typst or Word
//!   table row ("Nama : Ahmad Fauzi") comes out as three lines, and words placed apart without a
//!   space glyph run together. A page with enough real text ([`teks_cukup`]) is never OCRed.
//! - **Scans** (pages without text, JPEG, PNG) are read by the Tesseract 5 command-line program
//!   as a child process: nothing is linked at build time, a crash or a memory blow-up of
//!   leptonica stays in the child, and a hard time limit is kept by killing it (its whole
//!   process group). `OMP_THREAD_LIMIT=1` keeps one page on one core. PDF pages are rendered
//!   one at a time by poppler's `pdftoppm` (grayscale, [`Batas::dpi`]) so progress is reported
//!   page by page; an uploaded JPEG/PNG is decoded here with the `image` crate under pixel and
//!   memory limits, turned upright by its EXIF orientation, and handed to Tesseract as a plain
//!   grayscale PGM (Tesseract never parses the upload itself).
//! - Everything Tesseract and pdftoppm touch lives in a private temporary directory (mode
//!   0700), removed when the reading ends, however it ends.
//!
//! Tesseract options, measured on this project's SK layouts rendered at 300/200/150 dpi and as
//! phone-like photos (±3°, blur, uneven light, noise, JPEG quality 60), 2-core machine:
//! `--psm 6` (one uniform block) keeps a label and its value on one line ("Nama : …") where
//! the automatic layout (`--psm 3`) splits the identity block into columns;
//! `-c thresholding_method=2` (Sauvola, local thresholds) is what makes photos readable at all
//! (the default global Otsu threshold lost 7 of 8 fields under uneven light, Sauvola none) and
//! costs nothing on clean scans; `--dpi` is the real resolution (rendered pages) or an
//! estimate from the image size as an A4 page (uploads), since Tesseract otherwise assumes
//! 70 dpi. One A4 page takes 1–1.7 s.
//!
//! Before OCR every page is made ready by [`super::gambar::siapkan`]: the paper evened out to
//! white and the rules of tables and signature blocks removed (Tesseract dropped the rows of a
//! ruled table, and misread digits on grey, blurred paper, without it).
//!
//! The language: [`Pembaca::bahasa`], default `eng`. Measured with the models Debian ships
//! (`tesseract-ocr-eng`, `tesseract-ocr-ind`, both the "fast" LSTM models), `eng` read every
//! test page as well or better than `ind`, and `ind` read the colon of "Tanggal : 1 April
//! 2023" as a digit ("Tanggal 11 April 2023") — a false value next to the very fields the
//! comparison checks. Indonesian is written in plain Latin letters, which `eng` reads. When the
//! configured model is not installed, `eng` is used if it is, with the same result; when
//! neither is, OCR is not available ([`GagalBaca::TidakTersedia`]).

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::gambar::{Abu, siapkan};
use super::{Sumber, TeksSk};
use crate::dokumen::Jenis;

/// The version of the reader: stored with every reading; scans read by another version are
/// read again when the reading queue starts. Change it with every change of what OCR gives
/// (the page preparation of [`super::gambar`], Tesseract's options).
pub const VERSI: &str = "baca-2";

/// The limits of one reading.
#[derive(Clone, Debug)]
pub struct Batas {
    /// More pages than this and the document is refused before anything is read.
    pub halaman_maks: usize,
    /// OCR of one page (rendering included) is killed after this.
    pub waktu_per_halaman: Duration,
    /// The whole reading ends after this.
    pub waktu_total: Duration,
    /// An image larger than this (width × height) is refused; a PDF page is rendered at a
    /// lower resolution than [`Batas::dpi`] so that it stays under it.
    pub piksel_maks: u64,
    /// The resolution PDF pages are rendered at for OCR.
    pub dpi: u32,
}

impl Default for Batas {
    fn default() -> Batas {
        Batas {
            halaman_maks: 20,
            waktu_per_halaman: Duration::from_secs(60),
            waktu_total: Duration::from_secs(5 * 60),
            piksel_maks: 60_000_000,
            dpi: 300,
        }
    }
}

/// Reads SKs: the programs it calls and its limits.
#[derive(Clone, Debug)]
pub struct Pembaca {
    /// The Tesseract 5 program (a name looked up in `PATH`, or a path).
    pub tesseract: PathBuf,
    /// poppler's `pdftoppm` (renders the pages of a scanned PDF).
    pub pdftoppm: PathBuf,
    /// Tesseract's language (`-l`), e.g. `eng`, `ind`, `ind+eng`. See the module
    /// documentation for why the default is `eng`.
    pub bahasa: String,
    pub batas: Batas,
}

/// Why an SK could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GagalBaca {
    /// OCR is needed but Tesseract (or pdftoppm, for a scanned PDF) is not installed: what
    /// the machine check needs, in words.
    TidakTersedia(String),
    /// The document cannot be read: damaged, too many pages, too large, too slow. A message
    /// for the operator.
    Gagal(String),
}

impl GagalBaca {
    pub fn pesan(&self) -> &str {
        match self {
            GagalBaca::TidakTersedia(p) | GagalBaca::Gagal(p) => p,
        }
    }
}

impl fmt::Display for GagalBaca {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.pesan())
    }
}

impl std::error::Error for GagalBaca {}

const PESAN_TANPA_TESSERACT: &str = "Pengecekan mesin untuk SK hasil pindaian memerlukan program pengenal teks (OCR) Tesseract, yang belum terpasang di server. Minta pengelola server memasang paket tesseract-ocr dan tesseract-ocr-ind. Sementara itu, cocokkan data dengan SK secara langsung.";
const PESAN_TANPA_PDFTOPPM: &str = "Pengecekan mesin untuk SK PDF hasil pindaian memerlukan program pdftoppm (paket poppler-utils) untuk mengubah halaman PDF menjadi gambar, yang belum terpasang di server. Minta pengelola server memasangnya. Sementara itu, cocokkan data dengan SK secara langsung.";
const PESAN_PDF_RUSAK: &str = "Berkas PDF rusak atau tidak dapat dibaca. Pindai ulang SK lalu unggah kembali.";
const PESAN_GAMBAR_RUSAK: &str = "Gambar rusak atau tidak dapat dibaca. Pindai ulang SK lalu unggah kembali.";

/// A page has a text layer when it has at least this many letters.
const HURUF_MIN: usize = 30;
/// Address space of a child (Tesseract, pdftoppm): a runaway child fails, the server lives.
#[cfg(unix)]
const MEMORI_ANAK: u64 = 2 * 1024 * 1024 * 1024;
/// An uploaded image larger than this (pixels) is scaled down before OCR: A4 at 400 dpi is
/// 15.5 MP, more only costs time.
const PIKSEL_OCR: u64 = 16_000_000;
/// Bound on the decompressed content of one page or form (bytes).
const ISI_MAKS: usize = 64 * 1024 * 1024;
/// Bound on the operations interpreted on one page (forms included) and on its glyphs.
const OPERASI_MAKS: usize = 2_000_000;
const GLIF_MAKS: usize = 200_000;
/// How long `tesseract --list-langs` / `pdftoppm -v` may take, and how long their answer is
/// kept.
const WAKTU_PERIKSA: Duration = Duration::from_secs(10);
const UMUR_PERIKSA: Duration = Duration::from_secs(60);

impl Default for Pembaca {
    fn default() -> Pembaca {
        Pembaca::bawaan()
    }
}

impl Pembaca {
    /// `tesseract` and `pdftoppm` from `PATH`, language `eng`, the default limits.
    pub fn bawaan() -> Pembaca {
        Pembaca {
            tesseract: PathBuf::from("tesseract"),
            pdftoppm: PathBuf::from("pdftoppm"),
            bahasa: "eng".into(),
            batas: Batas::default(),
        }
    }

    /// Is OCR possible (Tesseract runs and has the language model, or `eng`)? The answer is
    /// kept for a minute per program and language, so this is cheap to call per job.
    pub fn ocr_tersedia(&self) -> bool {
        self.bahasa_ocr().is_some()
    }

    /// The `-l` argument OCR will use: [`Pembaca::bahasa`] when all its models are
    /// installed, else `eng` when that is; `None` when Tesseract does not run.
    fn bahasa_ocr(&self) -> Option<String> {
        let kunci = (self.tesseract.clone(), self.bahasa.clone());
        tersimpan(&PERIKSA_TESSERACT, kunci, || {
            let ada = daftar_bahasa(&self.tesseract)?;
            let lengkap = |l: &str| l.split('+').all(|b| !b.is_empty() && ada.iter().any(|a| a == b));
            if lengkap(&self.bahasa) {
                Some(self.bahasa.clone())
            } else if lengkap("eng") {
                tracing::warn!(bahasa = %self.bahasa, "model bahasa Tesseract tidak terpasang; memakai eng");
                Some("eng".into())
            } else {
                None
            }
        })
    }

    fn pdftoppm_tersedia(&self) -> bool {
        tersimpan(&PERIKSA_PDFTOPPM, self.pdftoppm.clone(), || {
            let dir = dir_sementara().ok()?;
            let tenggat = Instant::now() + WAKTU_PERIKSA;
            jalankan(&self.pdftoppm, &["-v".into()], dir.path(), None, tenggat)
                .ok()
                .map(|_| String::new())
        })
        .is_some()
    }

    /// Reads the text of an SK. Blocking (callers run it in `spawn_blocking`); calls
    /// `kemajuan(selesai, total)` after each page.
    pub fn baca(&self, isi: &[u8], jenis: Jenis, kemajuan: &mut dyn FnMut(usize, usize)) -> Result<TeksSk, GagalBaca> {
        let mulai = Instant::now();
        match jenis {
            Jenis::Pdf => self.baca_pdf(isi, mulai, kemajuan),
            Jenis::Jpeg | Jenis::Png => {
                periksa_ukuran(isi, jenis, self.batas.piksel_maks)?;
                let bahasa = self
                    .bahasa_ocr()
                    .ok_or_else(|| GagalBaca::TidakTersedia(PESAN_TANPA_TESSERACT.into()))?;
                let dir = dir_sementara()?;
                let (gambar, dpi) = gambar_ke_pgm(isi, jenis, self.batas.piksel_maks, dir.path())?;
                let tenggat = self.tenggat(mulai);
                let teks = self.ocr(&gambar, dpi, &bahasa, dir.path(), tenggat, mulai, 1)?;
                kemajuan(1, 1);
                Ok(TeksSk {
                    sumber: Sumber::Ocr,
                    halaman: vec![teks],
                })
            }
        }
    }

    /// The deadline of the next page: its own limit, within the whole reading's.
    fn tenggat(&self, mulai: Instant) -> Instant {
        (Instant::now() + self.batas.waktu_per_halaman).min(mulai + self.batas.waktu_total)
    }

    fn baca_pdf(
        &self,
        isi: &[u8],
        mulai: Instant,
        kemajuan: &mut dyn FnMut(usize, usize),
    ) -> Result<TeksSk, GagalBaca> {
        // lopdf on hostile input: a panic is a damaged file, never a dead worker.
        let teks = std::panic::catch_unwind(|| teks_pdf(isi, self.batas.halaman_maks))
            .map_err(|_| GagalBaca::Gagal(PESAN_PDF_RUSAK.into()))??;
        let total = teks.len();
        if teks.iter().all(|h| h.teks.is_some()) {
            for i in 1..=total {
                kemajuan(i, total);
            }
            return Ok(TeksSk {
                sumber: Sumber::TeksPdf,
                halaman: teks.into_iter().map(|h| h.teks.unwrap_or_default()).collect(),
            });
        }
        let bahasa = self
            .bahasa_ocr()
            .ok_or_else(|| GagalBaca::TidakTersedia(PESAN_TANPA_TESSERACT.into()))?;
        if !self.pdftoppm_tersedia() {
            return Err(GagalBaca::TidakTersedia(PESAN_TANPA_PDFTOPPM.into()));
        }
        let dir = dir_sementara()?;
        let pdf = dir.path().join("sk.pdf");
        std::fs::write(&pdf, isi).map_err(galat_io)?;
        let mut halaman = Vec::with_capacity(total);
        for (i, h) in teks.into_iter().enumerate() {
            let nomor = i + 1;
            let t = match h.teks {
                Some(t) => t,
                None => {
                    let tenggat = self.tenggat(mulai);
                    let piksel = self.batas.piksel_maks.min(PIKSEL_OCR);
                    let dpi = dpi_halaman(self.batas.dpi, h.ukuran, piksel).ok_or_else(|| {
                        GagalBaca::Gagal(format!(
                            "Halaman {nomor} SK berukuran terlalu besar untuk dibaca mesin. Pindai ulang SK pada kertas A4 atau F4."
                        ))
                    })?;
                    let gambar = self.render(&pdf, nomor, dpi, dir.path(), tenggat, mulai)?;
                    siapkan_pgm(&gambar, dpi, nomor)?;
                    let t = self.ocr(&gambar, dpi, &bahasa, dir.path(), tenggat, mulai, nomor)?;
                    let _ = std::fs::remove_file(&gambar);
                    t
                }
            };
            halaman.push(t);
            kemajuan(nomor, total);
        }
        Ok(TeksSk {
            sumber: Sumber::Ocr,
            halaman,
        })
    }

    /// Renders one page of `pdf` to a grayscale PGM.
    fn render(
        &self,
        pdf: &Path,
        nomor: usize,
        dpi: u32,
        dir: &Path,
        tenggat: Instant,
        mulai: Instant,
    ) -> Result<PathBuf, GagalBaca> {
        let n = nomor.to_string();
        let awalan = dir.join(format!("halaman-{nomor}"));
        let args: Vec<OsString> = vec![
            "-f".into(),
            n.clone().into(),
            "-l".into(),
            n.into(),
            "-r".into(),
            dpi.to_string().into(),
            // Grayscale PGM: poppler's PNG compression costs as much as the OCR.
            "-gray".into(),
            "-cropbox".into(),
            "-singlefile".into(),
            pdf.into(),
            awalan.clone().into(),
        ];
        match jalankan(&self.pdftoppm, &args, dir, None, tenggat) {
            Ok(()) => {}
            Err(GagalAnak::TidakAda) => return Err(GagalBaca::TidakTersedia(PESAN_TANPA_PDFTOPPM.into())),
            Err(GagalAnak::WaktuHabis) => return Err(self.waktu_habis(nomor, mulai)),
            Err(GagalAnak::Gagal(galat)) => {
                tracing::warn!(halaman = nomor, %galat, "pdftoppm gagal");
                return Err(GagalBaca::Gagal(format!(
                    "Halaman {nomor} PDF tidak dapat diubah menjadi gambar untuk dibaca; berkas mungkin rusak atau terkunci kata sandi. Pindai ulang SK lalu unggah kembali."
                )));
            }
        }
        let pgm = awalan.with_extension("pgm");
        if pgm.is_file() {
            Ok(pgm)
        } else {
            Err(GagalBaca::Gagal(format!(
                "Halaman {nomor} PDF tidak dapat diubah menjadi gambar untuk dibaca."
            )))
        }
    }

    /// OCR of one grayscale image: its text, one line per line.
    #[allow(clippy::too_many_arguments)]
    fn ocr(
        &self,
        gambar: &Path,
        dpi: u32,
        bahasa: &str,
        dir: &Path,
        tenggat: Instant,
        mulai: Instant,
        nomor: usize,
    ) -> Result<String, GagalBaca> {
        let keluaran = dir.join(format!("ocr-{nomor}"));
        let args: Vec<OsString> = vec![
            gambar.into(),
            keluaran.clone().into(),
            "-l".into(),
            bahasa.into(),
            "--psm".into(),
            "6".into(),
            "--dpi".into(),
            dpi.to_string().into(),
            "-c".into(),
            "thresholding_method=2".into(),
            "txt".into(),
        ];
        match jalankan(&self.tesseract, &args, dir, None, tenggat) {
            Ok(()) => {}
            Err(GagalAnak::TidakAda) => return Err(GagalBaca::TidakTersedia(PESAN_TANPA_TESSERACT.into())),
            Err(GagalAnak::WaktuHabis) => return Err(self.waktu_habis(nomor, mulai)),
            Err(GagalAnak::Gagal(galat)) => {
                tracing::warn!(halaman = nomor, %galat, "tesseract gagal");
                return Err(GagalBaca::Gagal(format!(
                    "Program OCR gagal membaca halaman {nomor} SK. Pindai ulang SK dengan jelas lalu unggah kembali."
                )));
            }
        }
        let txt = keluaran.with_extension("txt");
        let mut mentah = String::new();
        File::open(&txt)
            .and_then(|f| f.take(8 * 1024 * 1024).read_to_string(&mut mentah))
            .map_err(|_| GagalBaca::Gagal(format!("Hasil OCR halaman {nomor} SK tidak dapat dibaca.")))?;
        let _ = std::fs::remove_file(&txt);
        Ok(rapikan_baris(&mentah))
    }

    fn waktu_habis(&self, nomor: usize, mulai: Instant) -> GagalBaca {
        if mulai.elapsed() + Duration::from_millis(50) >= self.batas.waktu_total {
            GagalBaca::Gagal(format!(
                "Membaca SK melebihi batas waktu {} detik dan dihentikan. Unggah SK dengan halaman yang lebih sedikit atau hasil pindaian yang lebih jelas.",
                self.batas.waktu_total.as_secs()
            ))
        } else {
            GagalBaca::Gagal(format!(
                "Membaca halaman {nomor} SK melebihi batas waktu {} detik dan dihentikan. Pindai ulang SK dengan jelas lalu unggah kembali.",
                self.batas.waktu_per_halaman.as_secs()
            ))
        }
    }
}

/// Every line trimmed, its words separated by one space; empty lines dropped.
fn rapikan_baris(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Enough real text to stand for the page: at least [`HURUF_MIN`] letters, and vowels among
/// them as in words (a font without a usable encoding gives letters at random, few vowels).
fn teks_cukup(teks: &str) -> bool {
    let huruf = teks.chars().filter(|c| c.is_alphabetic()).count();
    let vokal = teks.chars().filter(|c| "aiueoAIUEO".contains(*c)).count();
    huruf >= HURUF_MIN && vokal * 5 >= huruf
}

// ---------------------------------------------------------------------------------------------
// Cached checks of the programs

type Periksa<K> = Mutex<Option<HashMap<K, (Instant, Option<String>)>>>;
static PERIKSA_TESSERACT: Periksa<(PathBuf, String)> = Mutex::new(None);
static PERIKSA_PDFTOPPM: Periksa<PathBuf> = Mutex::new(None);

/// `periksa()` for `kunci`, answered from the cache when younger than [`UMUR_PERIKSA`].
fn tersimpan<K: std::hash::Hash + Eq>(
    sel: &Periksa<K>,
    kunci: K,
    periksa: impl FnOnce() -> Option<String>,
) -> Option<String> {
    if let Ok(g) = sel.lock()
        && let Some((saat, hasil)) = g.as_ref().and_then(|m| m.get(&kunci))
        && saat.elapsed() < UMUR_PERIKSA
    {
        return hasil.clone();
    }
    // Checked outside the lock: a slow program must not hold every other job.
    let hasil = periksa();
    if let Ok(mut g) = sel.lock() {
        g.get_or_insert_with(HashMap::new)
            .insert(kunci, (Instant::now(), hasil.clone()));
    }
    hasil
}

/// The languages `tesseract --list-langs` names; `None` when it does not run.
fn daftar_bahasa(tesseract: &Path) -> Option<Vec<String>> {
    let dir = dir_sementara().ok()?;
    let keluar = dir.path().join("bahasa.txt");
    let tenggat = Instant::now() + WAKTU_PERIKSA;
    jalankan(tesseract, &["--list-langs".into()], dir.path(), Some(&keluar), tenggat).ok()?;
    let mut s = String::new();
    File::open(&keluar).ok()?.take(64 * 1024).read_to_string(&mut s).ok()?;
    // The first line is "List of available languages in …:".
    Some(
        s.lines()
            .skip_while(|l| l.starts_with("List of"))
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// Child processes

enum GagalAnak {
    /// The program is not installed (or not executable).
    TidakAda,
    /// Killed at its deadline.
    WaktuHabis,
    /// Ended with an error or by a signal; the end of its error output.
    Gagal(String),
}

/// Runs `program` in `dir` until it ends or `tenggat`, when it is killed with its process
/// group. Its output goes to `keluaran` (else nowhere), its error output to a file in `dir`:
/// no pipe to fill, nothing held by a grandchild.
fn jalankan(
    program: &Path,
    args: &[OsString],
    dir: &Path,
    keluaran: Option<&Path>,
    tenggat: Instant,
) -> Result<(), GagalAnak> {
    let galat_path = dir.join("galat.txt");
    let stdout = match keluaran {
        Some(p) => Stdio::from(File::create(p).map_err(|e| GagalAnak::Gagal(e.to_string()))?),
        None => Stdio::null(),
    };
    let stderr = File::create(&galat_path).map_err(|e| GagalAnak::Gagal(e.to_string()))?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    batasi_anak(&mut cmd, tenggat.saturating_duration_since(Instant::now()));
    let mut anak = {
        let mut coba = 0;
        loop {
            match cmd.spawn() {
                Ok(a) => break a,
                Err(e)
                    if e.kind() == std::io::ErrorKind::NotFound || e.kind() == std::io::ErrorKind::PermissionDenied =>
                {
                    return Err(GagalAnak::TidakAda);
                }
                // ETXTBSY: the program file was just written and another thread's fork still
                // holds it open for writing; it passes in a moment.
                Err(e) if e.raw_os_error() == Some(26) && coba < 20 => {
                    coba += 1;
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(e) => return Err(GagalAnak::Gagal(e.to_string())),
            }
        }
    };
    let mut jeda = Duration::from_millis(2);
    let status = loop {
        match anak.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) => {}
            Err(e) => {
                bunuh(&mut anak);
                return Err(GagalAnak::Gagal(e.to_string()));
            }
        }
        let sisa = tenggat.saturating_duration_since(Instant::now());
        if sisa.is_zero() {
            bunuh(&mut anak);
            return Err(GagalAnak::WaktuHabis);
        }
        std::thread::sleep(jeda.min(sisa));
        jeda = (jeda * 2).min(Duration::from_millis(50));
    };
    if status.success() {
        Ok(())
    } else {
        let mut galat = String::new();
        if let Ok(f) = File::open(&galat_path) {
            let _ = f.take(4096).read_to_string(&mut galat);
        }
        Err(GagalAnak::Gagal(format!("{status}: {}", galat.trim())))
    }
}

/// Kills the child and its process group, and reaps it.
fn bunuh(anak: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(anak.id()) {
        // SAFETY: kill(2) with a negative pid signals the process group the child leads
        // (it was started with process_group(0)); no memory is involved.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = anak.kill();
    let _ = anak.wait();
}

/// A child leads its own process group (so it and whatever it starts are killed together),
/// has a bounded address space and CPU time (a backstop should this process die before its
/// deadline), and dumps no core.
#[cfg(unix)]
fn batasi_anak(cmd: &mut Command, waktu: Duration) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
    let cpu = waktu.as_secs() + 5;
    // SAFETY: the closure runs in the child between fork and exec and only calls setrlimit(2),
    // which is async-signal-safe; it allocates nothing and touches no lock.
    unsafe {
        cmd.pre_exec(move || {
            let atur = |sumber, nilai: u64| {
                let r = libc::rlimit {
                    rlim_cur: nilai as libc::rlim_t,
                    rlim_max: nilai as libc::rlim_t,
                };
                libc::setrlimit(sumber, &r);
            };
            atur(libc::RLIMIT_AS, MEMORI_ANAK);
            atur(libc::RLIMIT_CPU, cpu);
            atur(libc::RLIMIT_CORE, 0);
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn batasi_anak(_cmd: &mut Command, _waktu: Duration) {}

fn dir_sementara() -> Result<tempfile::TempDir, GagalBaca> {
    let mut b = tempfile::Builder::new();
    b.prefix("sipkatdes-sk-");
    #[cfg(unix)]
    let izin = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o700)
    };
    #[cfg(unix)]
    b.permissions(izin);
    b.tempdir().map_err(galat_io)
}

fn galat_io(e: std::io::Error) -> GagalBaca {
    tracing::warn!(galat = %e, "berkas sementara untuk membaca SK");
    GagalBaca::Gagal("Server tidak dapat menyiapkan tempat kerja sementara untuk membaca SK. Coba lagi nanti.".into())
}

// ---------------------------------------------------------------------------------------------
// Images

fn pembaca_gambar(isi: &[u8], jenis: Jenis, piksel_maks: u64) -> image::ImageReader<std::io::Cursor<&[u8]>> {
    let format = if jenis == Jenis::Png {
        image::ImageFormat::Png
    } else {
        image::ImageFormat::Jpeg
    };
    let mut r = image::ImageReader::with_format(std::io::Cursor::new(isi), format);
    let mut batas = image::Limits::default();
    batas.max_alloc = Some(piksel_maks.saturating_mul(4).saturating_add(64 * 1024 * 1024));
    r.limits(batas);
    r
}

/// Refuses, from its header alone, an image that does not decode or is over `piksel_maks`.
fn periksa_ukuran(isi: &[u8], jenis: Jenis, piksel_maks: u64) -> Result<(), GagalBaca> {
    let (w, h) = pembaca_gambar(isi, jenis, piksel_maks)
        .into_dimensions()
        .map_err(|_| GagalBaca::Gagal(PESAN_GAMBAR_RUSAK.into()))?;
    if u64::from(w) * u64::from(h) > piksel_maks {
        return Err(GagalBaca::Gagal(format!(
            "Gambar SK terlalu besar ({w} × {h} piksel; paling banyak {} juta piksel). Pindai ulang SK pada 200–300 dpi lalu unggah kembali.",
            piksel_maks / 1_000_000
        )));
    }
    Ok(())
}

/// Decodes an uploaded JPEG/PNG under limits, turns it upright, writes it as a grayscale PGM
/// in `dir` (uncompressed: nothing to spend on compression, and a format Tesseract reads with
/// no surprises); gives its path and the resolution it has as an A4 page.
fn gambar_ke_pgm(isi: &[u8], jenis: Jenis, piksel_maks: u64, dir: &Path) -> Result<(PathBuf, u32), GagalBaca> {
    use image::{DynamicImage, ImageDecoder};
    periksa_ukuran(isi, jenis, piksel_maks)?;
    let gambar = std::panic::catch_unwind(|| {
        let mut dekoder = pembaca_gambar(isi, jenis, piksel_maks).into_decoder().ok()?;
        let arah = dekoder.orientation().ok();
        let mut g = DynamicImage::from_decoder(dekoder).ok()?;
        if let Some(arah) = arah {
            g.apply_orientation(arah);
        }
        Some(g.into_luma8())
    })
    .ok()
    .flatten()
    .ok_or_else(|| GagalBaca::Gagal(PESAN_GAMBAR_RUSAK.into()))?;
    let (mut w, mut h) = gambar.dimensions();
    let gambar = if u64::from(w) * u64::from(h) > PIKSEL_OCR {
        let skala = (PIKSEL_OCR as f64 / (f64::from(w) * f64::from(h))).sqrt();
        w = ((f64::from(w) * skala) as u32).max(1);
        h = ((f64::from(h) * skala) as u32).max(1);
        image::imageops::resize(&gambar, w, h, image::imageops::FilterType::Triangle)
    } else {
        gambar
    };
    // As an A4 page (11.69 in on its long side): the hint Tesseract needs.
    let dpi = ((f64::from(w.max(h)) / 11.69).round() as u32).clamp(70, 1200);
    let mut piksel = gambar.into_raw();
    siapkan(
        &mut Abu {
            lebar: w as usize,
            tinggi: h as usize,
            piksel: &mut piksel,
        },
        dpi,
    );
    let path = dir.join("gambar.pgm");
    let mut pgm = format!("P5\n{w} {h}\n255\n").into_bytes();
    pgm.extend_from_slice(&piksel);
    std::fs::write(&path, pgm).map_err(galat_io)?;
    Ok((path, dpi))
}

/// A page rendered by pdftoppm (a binary 8-bit PGM) made ready for OCR ([`siapkan`]), in place.
fn siapkan_pgm(path: &Path, dpi: u32, nomor: usize) -> Result<(), GagalBaca> {
    let mut isi = std::fs::read(path).map_err(galat_io)?;
    let Some((lebar, tinggi, awal)) = kepala_pgm(&isi) else {
        // Not the PGM expected: Tesseract reads the page as it is.
        tracing::warn!(halaman = nomor, "halaman tidak disiapkan: kepala PGM tidak dikenal");
        return Ok(());
    };
    let Some(piksel) = isi
        .get_mut(awal..)
        .filter(|p| lebar.checked_mul(tinggi) == Some(p.len()))
    else {
        tracing::warn!(halaman = nomor, "halaman tidak disiapkan: ukuran PGM tidak cocok");
        return Ok(());
    };
    siapkan(&mut Abu { lebar, tinggi, piksel }, dpi);
    std::fs::write(path, &isi).map_err(galat_io)
}

/// The width, height and offset of the pixels of a binary PGM with a maximum of 255.
fn kepala_pgm(isi: &[u8]) -> Option<(usize, usize, usize)> {
    if !isi.starts_with(b"P5") {
        return None;
    }
    let mut i = 2;
    let mut angka = [0usize; 3];
    for a in &mut angka {
        loop {
            match isi.get(i)? {
                b'#' => {
                    while *isi.get(i)? != b'\n' {
                        i += 1;
                    }
                }
                c if c.is_ascii_whitespace() => i += 1,
                _ => break,
            }
        }
        let mulai = i;
        while isi.get(i)?.is_ascii_digit() {
            i += 1;
        }
        *a = std::str::from_utf8(&isi[mulai..i]).ok()?.parse().ok()?;
    }
    // One whitespace byte, then the pixels.
    isi.get(i)?.is_ascii_whitespace().then_some(())?;
    (angka[2] == 255).then_some((angka[0], angka[1], i + 1))
}

/// The resolution a page of `ukuran` points is rendered at: `dpi`, lowered to stay under
/// `piksel_maks`; `None` when that would be under 50 dpi.
fn dpi_halaman(dpi: u32, ukuran: (f32, f32), piksel_maks: u64) -> Option<u32> {
    let (w, h) = (f64::from(ukuran.0.abs()) / 72.0, f64::from(ukuran.1.abs()) / 72.0);
    if !(w * h).is_finite() || w * h <= 0.0 {
        return Some(dpi);
    }
    let maks = (piksel_maks as f64 / (w * h)).sqrt().floor();
    let d = f64::from(dpi).min(maks);
    (d >= 50.0).then_some(d as u32)
}

// ---------------------------------------------------------------------------------------------
// The text layer of a PDF

/// One page of a PDF: its text when it has enough ([`teks_cukup`]), its size in points.
struct HalamanPdf {
    teks: Option<String>,
    ukuran: (f32, f32),
}

/// The text layer of every page; refuses a damaged file or one of more than `halaman_maks`
/// pages before reading any.
fn teks_pdf(isi: &[u8], halaman_maks: usize) -> Result<Vec<HalamanPdf>, GagalBaca> {
    let doc = Document::load_mem(isi).map_err(|_| GagalBaca::Gagal(PESAN_PDF_RUSAK.into()))?;
    let halaman = doc.get_pages();
    if halaman.is_empty() {
        return Err(GagalBaca::Gagal("Berkas PDF tidak memiliki halaman.".into()));
    }
    if halaman.len() > halaman_maks {
        return Err(GagalBaca::Gagal(format!(
            "SK ini berisi {} halaman; mesin hanya membaca SK sampai {halaman_maks} halaman. Unggah hanya halaman-halaman SK-nya.",
            halaman.len()
        )));
    }
    Ok(halaman
        .values()
        .map(|&id| {
            let teks = teks_halaman(&doc, id).filter(|t| teks_cukup(t));
            HalamanPdf {
                teks,
                ukuran: ukuran_halaman(&doc, id),
            }
        })
        .collect())
}

/// The page's CropBox (else MediaBox, inherited) as width and height in points.
fn ukuran_halaman(doc: &Document, id: ObjectId) -> (f32, f32) {
    let halaman = doc.get_dictionary(id).ok();
    for kunci in [&b"CropBox"[..], b"MediaBox"] {
        let mut n = halaman;
        for _ in 0..32 {
            let Some(d) = n else { break };
            if let Ok(Object::Array(a)) = d.get_deref(kunci, doc)
                && let [x0, y0, x1, y1] = a.as_slice()
                && let (Ok(x0), Ok(y0), Ok(x1), Ok(y1)) =
                    (angka(doc, x0), angka(doc, y0), angka(doc, x1), angka(doc, y1))
            {
                return ((x1 - x0).abs(), (y1 - y0).abs());
            }
            n = d
                .get(b"Parent")
                .and_then(Object::as_reference)
                .and_then(|p| doc.get_dictionary(p))
                .ok();
        }
    }
    (612.0, 792.0)
}

fn angka(doc: &Document, o: &Object) -> lopdf::Result<f32> {
    doc.dereference(o)?.1.as_float()
}

/// An affine matrix [a b c d e f] (PDF's row-vector convention).
#[derive(Clone, Copy, Debug)]
struct Matriks([f32; 6]);

impl Matriks {
    const SATU: Matriks = Matriks([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn geser(x: f32, y: f32) -> Matriks {
        Matriks([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self × lain`: first self, then lain.
    fn kali(self, lain: Matriks) -> Matriks {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = lain.0;
        Matriks([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }
}

/// A font as text extraction needs it: how its codes become text and how wide they are.
struct Huruf<'a> {
    peta: Option<PetaUnicode>,
    encoding: Option<Encoding<'a>>,
    /// Type0: two-byte codes; simple fonts: one byte.
    dua_bita: bool,
    /// (first code, last code, width in 1/1000 em), sorted.
    lebar: Vec<(u32, u32, f32)>,
    lebar_bawaan: f32,
}

impl<'a> Huruf<'a> {
    fn baru(doc: &'a Document, font: &'a Dictionary) -> Huruf<'a> {
        let subtipe = font.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        let peta = font
            .get_deref(b"ToUnicode", doc)
            .and_then(Object::as_stream)
            .and_then(|s| s.get_plain_content_with_limit(ISI_MAKS))
            .ok()
            .and_then(|isi| PetaUnicode::baca(&isi));
        if subtipe == b"Type0" {
            let turunan = font
                .get_deref(b"DescendantFonts", doc)
                .and_then(Object::as_array)
                .ok()
                .and_then(|a| a.first())
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok());
            let mut lebar = Vec::new();
            let mut lebar_bawaan = 1000.0;
            if let Some(t) = turunan {
                lebar_bawaan = t.get_deref(b"DW", doc).and_then(Object::as_float).unwrap_or(1000.0);
                if let Ok(w) = t.get_deref(b"W", doc).and_then(Object::as_array) {
                    let mut i = 0;
                    while i + 1 < w.len() && lebar.len() < 100_000 {
                        let Ok(awal) = angka(doc, &w[i]) else { break };
                        let awal = awal as u32;
                        match doc.dereference(&w[i + 1]).map(|(_, o)| o) {
                            Ok(Object::Array(ws)) => {
                                for (k, x) in ws.iter().enumerate().take(65_536) {
                                    let c = awal + k as u32;
                                    lebar.push((c, c, angka(doc, x).unwrap_or(lebar_bawaan)));
                                }
                                i += 2;
                            }
                            Ok(akhir) if i + 2 < w.len() => {
                                let akhir = akhir.as_float().unwrap_or(awal as f32) as u32;
                                lebar.push((awal, akhir.max(awal), angka(doc, &w[i + 2]).unwrap_or(lebar_bawaan)));
                                i += 3;
                            }
                            _ => break,
                        }
                    }
                }
            }
            lebar.sort_by_key(|l| l.0);
            // Without a ToUnicode CMap the codes of a CID font are glyph numbers: no text.
            Huruf {
                peta,
                encoding: None,
                dua_bita: true,
                lebar,
                lebar_bawaan,
            }
        } else {
            let pertama = font
                .get_deref(b"FirstChar", doc)
                .and_then(Object::as_i64)
                .unwrap_or(0)
                .max(0) as u32;
            let mut lebar: Vec<(u32, u32, f32)> = font
                .get_deref(b"Widths", doc)
                .and_then(Object::as_array)
                .map(|ws| {
                    ws.iter()
                        .take(256)
                        .enumerate()
                        .filter_map(|(k, x)| angka(doc, x).ok().map(|w| (pertama + k as u32, pertama + k as u32, w)))
                        .collect()
                })
                .unwrap_or_default();
            // Type3 glyph space is given by its FontMatrix, not 1/1000 em.
            if subtipe == b"Type3"
                && let Ok(m) = font.get_deref(b"FontMatrix", doc).and_then(Object::as_array)
                && let Some(Ok(s)) = m.first().map(|x| angka(doc, x))
            {
                for l in &mut lebar {
                    l.2 *= s * 1000.0;
                }
            }
            let hilang = font
                .get_deref(b"FontDescriptor", doc)
                .and_then(Object::as_dict)
                .and_then(|d| d.get_deref(b"MissingWidth", doc))
                .and_then(Object::as_float)
                .ok()
                .filter(|w| *w > 0.0);
            let nama = font.get(b"BaseFont").and_then(Object::as_name).unwrap_or(b"");
            // The standard 14 fonts come without widths: roughly their average.
            let lebar_bawaan = hilang.unwrap_or(if nama.starts_with(b"Courier") { 600.0 } else { 520.0 });
            let encoding = font.get_font_encoding_with_limit(doc, ISI_MAKS).ok();
            Huruf {
                peta,
                encoding,
                dua_bita: false,
                lebar,
                lebar_bawaan,
            }
        }
    }

    fn lebar(&self, kode: u32) -> f32 {
        let i = self.lebar.partition_point(|l| l.0 <= kode);
        match i.checked_sub(1).map(|i| self.lebar[i]) {
            Some((_, akhir, w)) if kode <= akhir => w,
            _ => self.lebar_bawaan,
        }
    }

    /// The text of one code: the ToUnicode CMap first (it is what the producer says the glyph
    /// means), then the encoding.
    fn teks(&self, bita: &[u8]) -> String {
        let kode = bita.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b));
        if let Some(t) = self.peta.as_ref().and_then(|p| p.teks(bita.len() as u8, kode)) {
            return t;
        }
        if let Some(e) = &self.encoding {
            return e.bytes_to_string(bita).unwrap_or_default();
        }
        String::new()
    }
}

/// A `/ToUnicode` CMap: codes (with their length in bytes) to text. Read here, tolerantly
/// (only its `bfchar` and `bfrange` sections count): lopdf's own CMap parser is a strict grammar
/// that refuses a CMap whose header differs slightly from the ones it knows, and lopdf takes a
/// simple font's `/Encoding` before its ToUnicode CMap.
#[derive(Default)]
struct PetaUnicode {
    satu: HashMap<(u8, u32), String>,
    /// (length, first code, last code, the text of the first code).
    rentang: Vec<(u8, u32, u32, Vec<u16>)>,
}

impl PetaUnicode {
    fn baca(isi: &[u8]) -> Option<PetaUnicode> {
        enum Token<'b> {
            Hex(&'b [u8]),
            Kata(&'b [u8]),
            Buka,
            Tutup,
        }
        let mut token = Vec::new();
        let mut i = 0;
        while i < isi.len() && token.len() < 2_000_000 {
            match isi[i] {
                b'<' => {
                    let akhir = isi[i + 1..].iter().position(|c| *c == b'>').map(|p| i + 1 + p)?;
                    token.push(Token::Hex(&isi[i + 1..akhir]));
                    i = akhir + 1;
                }
                b'[' => {
                    token.push(Token::Buka);
                    i += 1;
                }
                b']' => {
                    token.push(Token::Tutup);
                    i += 1;
                }
                b'%' => {
                    while i < isi.len() && isi[i] != b'\n' && isi[i] != b'\r' {
                        i += 1;
                    }
                }
                c if c.is_ascii_whitespace() => i += 1,
                _ => {
                    let awal = i;
                    while i < isi.len() && !isi[i].is_ascii_whitespace() && !b"<[]%".contains(&isi[i]) {
                        i += 1;
                    }
                    token.push(Token::Kata(&isi[awal..i]));
                }
            }
        }
        fn kode(h: &[u8]) -> Option<(u8, u32)> {
            let h: Vec<u8> = h.iter().copied().filter(|c| !c.is_ascii_whitespace()).collect();
            if h.is_empty() || h.len() > 8 || !h.len().is_multiple_of(2) {
                return None;
            }
            let s = std::str::from_utf8(&h).ok()?;
            Some(((h.len() / 2) as u8, u32::from_str_radix(s, 16).ok()?))
        }
        fn utf16(h: &[u8]) -> Vec<u16> {
            let h: Vec<u8> = h.iter().copied().filter(|c| c.is_ascii_hexdigit()).collect();
            h.chunks(4)
                .filter_map(|c| {
                    std::str::from_utf8(c)
                        .ok()
                        .and_then(|s| u16::from_str_radix(s, 16).ok())
                })
                .collect()
        }
        let mut peta = PetaUnicode::default();
        let mut bagian: Option<&[u8]> = None;
        let mut k = 0;
        while k < token.len() {
            match (&token[k], bagian) {
                (Token::Kata(w), _) if *w == b"beginbfchar" || *w == b"beginbfrange" => bagian = Some(w),
                (Token::Kata(_), _) => bagian = None,
                (Token::Hex(a), Some(b"beginbfchar")) => {
                    if let (Some((n, c)), Some(Token::Hex(d))) = (kode(a), token.get(k + 1)) {
                        peta.satu.insert((n, c), String::from_utf16_lossy(&utf16(d)));
                    }
                    k += 1;
                }
                (Token::Hex(a), Some(b"beginbfrange")) => {
                    let (Some((n, lo)), Some(Token::Hex(b))) = (kode(a), token.get(k + 1)) else {
                        k += 1;
                        continue;
                    };
                    let Some((_, hi)) = kode(b) else {
                        k += 2;
                        continue;
                    };
                    match token.get(k + 2) {
                        Some(Token::Hex(d)) => {
                            if peta.rentang.len() < 100_000 && hi >= lo {
                                peta.rentang.push((n, lo, hi, utf16(d)));
                            }
                            k += 2;
                        }
                        Some(Token::Buka) => {
                            let mut j = k + 3;
                            let mut c = lo;
                            while let Some(Token::Hex(d)) = token.get(j) {
                                if c <= hi && peta.satu.len() < 1_000_000 {
                                    peta.satu.insert((n, c), String::from_utf16_lossy(&utf16(d)));
                                }
                                c = c.saturating_add(1);
                                j += 1;
                            }
                            k = j;
                        }
                        _ => k += 1,
                    }
                }
                _ => {}
            }
            k += 1;
        }
        (!peta.satu.is_empty() || !peta.rentang.is_empty()).then_some(peta)
    }

    fn teks(&self, panjang: u8, kode: u32) -> Option<String> {
        if let Some(t) = self.satu.get(&(panjang, kode)) {
            return Some(t.clone());
        }
        let (_, lo, _, awal) = self
            .rentang
            .iter()
            .find(|r| r.0 == panjang && r.1 <= kode && kode <= r.2)?;
        let mut u = awal.clone();
        let akhir = u.last_mut()?;
        *akhir = akhir.wrapping_add((kode - lo) as u16);
        Some(String::from_utf16_lossy(&u))
    }
}

/// One glyph placed on the page (device space, points).
struct Glif {
    x: f32,
    y: f32,
    lebar: f32,
    ukuran: f32,
    teks: String,
}

#[derive(Clone, Copy)]
struct KeadaanTeks {
    ctm: Matriks,
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    ts: f32,
    ukuran: f32,
}

/// Interprets the content of a page (and of the forms it draws) and collects its glyphs.
struct Penafsir<'a> {
    doc: &'a Document,
    /// By the address of the font dictionary (the document does not change while read).
    huruf: HashMap<usize, Huruf<'a>>,
    glif: Vec<Glif>,
    operasi: usize,
}

impl<'a> Penafsir<'a> {
    /// `sumber`: the resource dictionaries, nearest first.
    fn tafsir(&mut self, isi: &[u8], sumber: &[&'a Dictionary], ctm: Matriks, dalam: u8) -> Option<()> {
        let content = Content::decode(isi).ok()?;
        let mut k = KeadaanTeks {
            ctm,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            ts: 0.0,
            ukuran: 0.0,
        };
        let mut tumpukan: Vec<KeadaanTeks> = Vec::new();
        let mut tm = Matriks::SATU;
        let mut tlm = Matriks::SATU;
        let mut font: Option<usize> = None;
        for op in &content.operations {
            self.operasi += 1;
            if self.operasi > OPERASI_MAKS || self.glif.len() > GLIF_MAKS {
                return None;
            }
            let n = |i: usize| op.operands.get(i).and_then(|o| o.as_float().ok()).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" if tumpukan.len() < 256 => tumpukan.push(k),
                "Q" => {
                    if let Some(s) = tumpukan.pop() {
                        k = s;
                    }
                }
                "cm" => k.ctm = Matriks([n(0), n(1), n(2), n(3), n(4), n(5)]).kali(k.ctm),
                "BT" => {
                    tm = Matriks::SATU;
                    tlm = Matriks::SATU;
                }
                "Tc" => k.tc = n(0),
                "Tw" => k.tw = n(0),
                "Tz" => k.th = n(0) / 100.0,
                "TL" => k.tl = n(0),
                "Ts" => k.ts = n(0),
                "Tf" => {
                    k.ukuran = n(1);
                    font = op
                        .operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|nama| self.cari_font(sumber, nama));
                }
                "Td" => {
                    tlm = Matriks::geser(n(0), n(1)).kali(tlm);
                    tm = tlm;
                }
                "TD" => {
                    k.tl = -n(1);
                    tlm = Matriks::geser(n(0), n(1)).kali(tlm);
                    tm = tlm;
                }
                "Tm" => {
                    tlm = Matriks([n(0), n(1), n(2), n(3), n(4), n(5)]);
                    tm = tlm;
                }
                "T*" => {
                    tlm = Matriks::geser(0.0, -k.tl).kali(tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    let operand = match op.operator.as_str() {
                        "'" => {
                            tlm = Matriks::geser(0.0, -k.tl).kali(tlm);
                            tm = tlm;
                            op.operands.first()
                        }
                        "\"" => {
                            k.tw = n(0);
                            k.tc = n(1);
                            tlm = Matriks::geser(0.0, -k.tl).kali(tlm);
                            tm = tlm;
                            op.operands.get(2)
                        }
                        _ => op.operands.first(),
                    };
                    let Some(id) = font else { continue };
                    match operand {
                        Some(Object::String(s, _)) => self.tampilkan(id, s, &k, &mut tm),
                        Some(Object::Array(a)) => {
                            for x in a {
                                match x {
                                    Object::String(s, _) => self.tampilkan(id, s, &k, &mut tm),
                                    o => {
                                        if let Ok(v) = o.as_float() {
                                            let tx = -v / 1000.0 * k.ukuran * k.th;
                                            tm = Matriks::geser(tx, 0.0).kali(tm);
                                        }
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
                "Do" if dalam < 8 => {
                    let Some(nama) = op.operands.first().and_then(|o| o.as_name().ok()) else {
                        continue;
                    };
                    self.form(sumber, nama, k.ctm, dalam);
                }
                _ => {}
            }
        }
        Some(())
    }

    /// Draws a form XObject: its content with its own resources (else the caller's).
    fn form(&mut self, sumber: &[&'a Dictionary], nama: &[u8], ctm: Matriks, dalam: u8) {
        let doc = self.doc;
        let Some(stream) = sumber.iter().find_map(|r| {
            r.get_deref(b"XObject", doc)
                .and_then(Object::as_dict)
                .and_then(|x| x.get_deref(nama, doc))
                .and_then(Object::as_stream)
                .ok()
        }) else {
            return;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return;
        }
        let m = stream
            .dict
            .get_deref(b"Matrix", doc)
            .and_then(Object::as_array)
            .ok()
            .filter(|a| a.len() == 6)
            .map(|a| {
                let mut m = [0.0; 6];
                for (i, x) in a.iter().enumerate() {
                    m[i] = angka(doc, x).unwrap_or(0.0);
                }
                Matriks(m)
            })
            .unwrap_or(Matriks::SATU);
        let Ok(isi) = stream.get_plain_content_with_limit(ISI_MAKS) else {
            return;
        };
        let mut sumber_form: Vec<&'a Dictionary> = Vec::new();
        if let Ok(r) = stream.dict.get_deref(b"Resources", doc).and_then(Object::as_dict) {
            sumber_form.push(r);
        }
        sumber_form.extend_from_slice(sumber);
        let _ = self.tafsir(&isi, &sumber_form, m.kali(ctm), dalam + 1);
    }

    fn cari_font(&mut self, sumber: &[&'a Dictionary], nama: &[u8]) -> Option<usize> {
        let doc = self.doc;
        let font = sumber.iter().find_map(|r| {
            let fonts = r.get_deref(b"Font", doc).and_then(Object::as_dict).ok()?;
            fonts.get_deref(nama, doc).and_then(Object::as_dict).ok()
        })?;
        let kunci = std::ptr::from_ref(font) as usize;
        self.huruf.entry(kunci).or_insert_with(|| Huruf::baru(doc, font));
        Some(kunci)
    }

    /// Shows a string: one glyph per code, each moved along by its width.
    fn tampilkan(&mut self, font: usize, s: &[u8], k: &KeadaanTeks, tm: &mut Matriks) {
        let Some(h) = self.huruf.get(&font) else { return };
        let langkah = if h.dua_bita { 2 } else { 1 };
        for bita in s.chunks(langkah) {
            let kode = bita.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b));
            let spasi = if bita.len() == 1 && kode == 32 { k.tw } else { 0.0 };
            let w0 = h.lebar(kode) / 1000.0;
            let tx = (w0 * k.ukuran + k.tc + spasi) * k.th;
            let trm = Matriks([k.ukuran * k.th, 0.0, 0.0, k.ukuran, 0.0, k.ts])
                .kali(*tm)
                .kali(k.ctm);
            let [a, b, c, d, e, f] = trm.0;
            let ukuran = (c * c + d * d).sqrt();
            let skala_x = (a * a + b * b).sqrt() / (k.ukuran * k.th).abs().max(f32::EPSILON);
            let teks = h.teks(bita);
            if e.is_finite() && f.is_finite() && ukuran.is_finite() && ukuran > 0.0 && self.glif.len() <= GLIF_MAKS {
                self.glif.push(Glif {
                    x: e,
                    y: f,
                    lebar: (w0 * k.ukuran * k.th * skala_x).abs(),
                    ukuran,
                    teks,
                });
            }
            *tm = Matriks::geser(tx, 0.0).kali(*tm);
        }
    }
}

/// The text of one page, one line per text line; `None` when its content cannot be read.
fn teks_halaman(doc: &Document, id: ObjectId) -> Option<String> {
    let (langsung, rujukan) = doc.get_page_resources(id).ok()?;
    let mut sumber: Vec<&Dictionary> = langsung.into_iter().collect();
    sumber.extend(rujukan.iter().filter_map(|r| doc.get_dictionary(*r).ok()));
    let isi = doc.get_page_content_with_limit(id, ISI_MAKS).ok()?;
    let mut p = Penafsir {
        doc,
        huruf: HashMap::new(),
        glif: Vec::new(),
        operasi: 0,
    };
    p.tafsir(&isi, &sumber, Matriks::SATU, 0)?;
    Some(susun_baris(p.glif))
}

/// Glyphs into lines: by baseline from the top, each line left to right, a space where the
/// gap between two glyphs is wider than a fifth of the font size.
fn susun_baris(mut glif: Vec<Glif>) -> String {
    glif.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut baris: Vec<Vec<Glif>> = Vec::new();
    let mut acuan = (f32::NAN, 0.0f32);
    for g in glif {
        let sama = baris.last().is_some() && (g.y - acuan.0).abs() <= 0.5 * acuan.1.min(g.ukuran).max(1.0);
        if sama {
            if let Some(b) = baris.last_mut() {
                b.push(g);
            }
        } else {
            acuan = (g.y, g.ukuran);
            baris.push(vec![g]);
        }
    }
    let mut keluar: Vec<String> = Vec::new();
    for mut b in baris {
        b.sort_by(|a, c| a.x.total_cmp(&c.x));
        let mut s = String::new();
        let mut lalu: Option<&Glif> = None;
        for g in &b {
            if let Some(p) = lalu {
                // The same glyph drawn twice over itself (fake bold, shadow): once.
                if g.teks == p.teks && (g.x - p.x).abs() < 0.1 * g.ukuran {
                    continue;
                }
                let celah = g.x - (p.x + p.lebar);
                if celah > 0.2 * g.ukuran.min(p.ukuran) {
                    s.push(' ');
                }
            }
            s.extend(
                g.teks
                    .chars()
                    .filter(|c| *c != '\u{FFFD}')
                    .map(|c| if c.is_whitespace() || c.is_control() { ' ' } else { c }),
            );
            lalu = Some(g);
        }
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if !s.is_empty() {
            keluar.push(s);
        }
    }
    keluar.join("\n")
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};

    use super::*;
    use crate::dokumen::contoh;

    const BARIS: [&str; 6] = [
        "KEPUTUSAN PEMBAKAL HAUWAI",
        "Nomor: 141/05/KPTS/2023",
        "Nama : Ahmad Fauzi",
        "NIK : 6304051203870002",
        "Tempat/Tanggal Lahir : Marabahan, 12 Maret 1987",
        "Terhitung Mulai Tanggal : 1 April 2023",
    ];

    fn sk_pdf() -> Vec<u8> {
        contoh::pdf(&BARIS.map(String::from))
    }

    /// A reader whose programs do not exist: whatever it reads, it reads without them.
    fn tanpa_program() -> Pembaca {
        Pembaca {
            tesseract: "/tidak/ada/tesseract".into(),
            pdftoppm: "/tidak/ada/pdftoppm".into(),
            ..Pembaca::bawaan()
        }
    }

    /// Tesseract and pdftoppm are installed; when not, the test says why and is skipped,
    /// except under CI, where it fails.
    fn alat_ada(uji: &str) -> bool {
        let p = Pembaca::bawaan();
        if p.ocr_tersedia() && p.pdftoppm_tersedia() {
            return true;
        }
        let why = "tesseract (with the eng model) or pdftoppm is not installed";
        assert!(std::env::var_os("CI").is_none(), "{uji}: {why}");
        eprintln!("{uji} skipped: {why}");
        false
    }

    /// A one-page PDF of the given content, fonts and XObjects.
    fn pdf_dari(ops: Vec<Operation>, sumber: lopdf::Dictionary, doc: &mut Document) -> Vec<u8> {
        let pages_id = doc.new_object_id();
        let isi = Content { operations: ops }.encode().expect("content encodes");
        let content_id = doc.add_object(Stream::new(dictionary! {}, isi));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => sumber,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        doc.compress();
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("PDF writes");
        out
    }

    fn op(o: &str, a: Vec<Object>) -> Operation {
        Operation::new(o, a)
    }

    /// A page rendered by pdftoppm, as PNG bytes.
    fn render_png(pdf: &[u8], dpi: u32) -> Vec<u8> {
        let dir = dir_sementara().expect("temp dir");
        std::fs::write(dir.path().join("a.pdf"), pdf).expect("write");
        let args: Vec<OsString> = ["-r", &dpi.to_string(), "-gray", "-png", "-singlefile", "a.pdf", "a"]
            .iter()
            .map(OsString::from)
            .collect();
        let tenggat = Instant::now() + Duration::from_secs(60);
        assert!(jalankan(Path::new("pdftoppm"), &args, dir.path(), None, tenggat).is_ok());
        std::fs::read(dir.path().join("a.png")).expect("rendered")
    }

    /// An image-only PDF (a scan): the page shows the image over A4.
    fn pdf_pindaian(png: &[u8]) -> Vec<u8> {
        let g = image::load_from_memory(png).expect("decodes").into_luma8();
        let (w, h) = g.dimensions();
        let mut doc = Document::with_version("1.5");
        let gambar = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            g.into_raw(),
        );
        let gambar_id = doc.add_object(gambar);
        let ops = vec![
            op("q", vec![]),
            op(
                "cm",
                vec![595.into(), 0.into(), 0.into(), 842.into(), 0.into(), 0.into()],
            ),
            op("Do", vec![Object::Name(b"Im0".to_vec())]),
            op("Q", vec![]),
        ];
        pdf_dari(
            ops,
            dictionary! { "XObject" => dictionary! { "Im0" => gambar_id } },
            &mut doc,
        )
    }

    fn mengandung_semua(teks: &str, nilai: &[&str]) {
        for n in nilai {
            assert!(teks.contains(n), "{n:?} not in {teks:?}");
        }
    }

    #[test]
    fn pdf_teks_dibaca_tanpa_ocr() {
        // No Tesseract, no pdftoppm: a text PDF does not need them (never OCRed).
        let mut kemajuan = Vec::new();
        let t = tanpa_program()
            .baca(&sk_pdf(), Jenis::Pdf, &mut |a, b| kemajuan.push((a, b)))
            .expect("reads");
        assert_eq!(t.sumber, Sumber::TeksPdf);
        assert_eq!(t.halaman, vec![BARIS.join("\n")]);
        assert_eq!(kemajuan, vec![(1, 1)]);
    }

    #[test]
    fn baris_disusun_dari_posisi() {
        // A table row drawn as three strings placed apart, a line drawn in two pieces with a
        // gap instead of a space glyph, and lines out of order in the content stream.
        let mut doc = Document::with_version("1.5");
        let f = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
        let s = |t: &str| Object::string_literal(t);
        let ops = vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 11.into()]),
            op("Td", vec![72.into(), 700.into()]),
            op("Tj", vec![s("Jabatan")]),
            op("ET", vec![]),
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 11.into()]),
            op(
                "Tm",
                vec![1.into(), 0.into(), 0.into(), 1.into(), 72.into(), 718.into()],
            ),
            op("Tj", vec![s("Nama")]),
            op("Td", vec![128.into(), 0.into()]),
            op("Tj", vec![s(":")]),
            op("Td", vec![15.into(), 0.into()]),
            op(
                "TJ",
                vec![Object::Array(vec![
                    s("Siti"),
                    Object::Integer(-300),
                    s("Amin"),
                    Object::Integer(-20),
                    s("ah"),
                ])],
            ),
            op("ET", vec![]),
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 11.into()]),
            op("Td", vec![200.into(), 700.into()]),
            op("Tj", vec![s(": Kepala Dusun Cibodas")]),
            op("ET", vec![]),
        ];
        let pdf = pdf_dari(ops, dictionary! { "Font" => dictionary! { "F1" => f } }, &mut doc);
        let hal = teks_pdf(&pdf, 20).expect("reads");
        assert_eq!(
            hal[0].teks.as_deref(),
            Some("Nama : Siti Aminah\nJabatan : Kepala Dusun Cibodas")
        );
    }

    #[test]
    fn font_cid_identity_h_dengan_tounicode() {
        // What typst, Word and LibreOffice write: a Type0 font, two-byte glyph ids, text only
        // through the ToUnicode CMap.
        let teks = "Ditetapkan di Hauwai pada tanggal 27 Maret 2023 oleh Pembakal";
        let huruf: Vec<char> = {
            let mut h: Vec<char> = teks.chars().collect();
            h.sort();
            h.dedup();
            h
        };
        let gid = |c: char| 3 + huruf.iter().position(|x| *x == c).expect("in the font") as u16;
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        cmap.push_str(&format!("{} beginbfchar\n", huruf.len()));
        for c in &huruf {
            cmap.push_str(&format!("<{:04X}> <{:04X}>\n", gid(*c), *c as u32));
        }
        cmap.push_str("endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        let mut doc = Document::with_version("1.7");
        let tu = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
        let turunan = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "ABCDEF+LibertinusSerif",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "DW" => 500, "W" => vec![3.into(), vec![250.into()].into()],
        });
        let f = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+LibertinusSerif",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![turunan.into()], "ToUnicode" => tu,
        });
        let kata: Vec<&str> = teks.split(' ').collect();
        let mut ops = vec![op("BT", vec![]), op("Tf", vec!["F0".into(), 12.into()])];
        // Words placed one by one with no space glyph, as typst does in a justified line.
        let mut x = 72.0f32;
        for k in &kata {
            let bita: Vec<u8> = k.chars().flat_map(|c| gid(c).to_be_bytes()).collect();
            ops.push(op(
                "Tm",
                vec![1.into(), 0.into(), 0.into(), 1.into(), x.into(), 600.into()],
            ));
            ops.push(op("Tj", vec![Object::String(bita, lopdf::StringFormat::Hexadecimal)]));
            x += k.chars().count() as f32 * 6.0 + 4.0;
        }
        ops.push(op("ET", vec![]));
        let pdf = pdf_dari(ops, dictionary! { "Font" => dictionary! { "F0" => f } }, &mut doc);
        let doc = Document::load_mem(&pdf).expect("loads");
        let id = *doc.get_pages().values().next().expect("a page");
        assert_eq!(teks_halaman(&doc, id).as_deref(), Some(teks));
        let t = tanpa_program().baca(&pdf, Jenis::Pdf, &mut |_, _| {}).expect("reads");
        assert_eq!(t.sumber, Sumber::TeksPdf);
        assert_eq!(t.halaman, vec![teks.to_string()]);
    }

    #[test]
    fn ocr_png() {
        if !alat_ada("ocr_png") {
            return;
        }
        let png = render_png(&sk_pdf(), 200);
        let mut kemajuan = Vec::new();
        let t = Pembaca::bawaan()
            .baca(&png, Jenis::Png, &mut |a, b| kemajuan.push((a, b)))
            .expect("reads");
        assert_eq!(t.sumber, Sumber::Ocr);
        mengandung_semua(
            &t.gabung(),
            &[
                "141/05/KPTS/2023",
                "Ahmad Fauzi",
                "6304051203870002",
                "12 Maret 1987",
                "1 April 2023",
            ],
        );
        assert_eq!(kemajuan, vec![(1, 1)]);
    }

    #[test]
    fn ocr_pdf_pindaian() {
        if !alat_ada("ocr_pdf_pindaian") {
            return;
        }
        let pdf = pdf_pindaian(&render_png(&sk_pdf(), 150));
        let mut kemajuan = Vec::new();
        let t = Pembaca::bawaan()
            .baca(&pdf, Jenis::Pdf, &mut |a, b| kemajuan.push((a, b)))
            .expect("reads");
        assert_eq!(t.sumber, Sumber::Ocr);
        mengandung_semua(
            &t.gabung(),
            &[
                "141/05/KPTS/2023",
                "Ahmad Fauzi",
                "6304051203870002",
                "12 Maret 1987",
                "1 April 2023",
            ],
        );
        assert_eq!(kemajuan, vec![(1, 1)]);
    }

    /// The layouts Tesseract misread before the page was made ready (`sk::gambar`): a ruled
    /// table lost its rows, and the typewriter face on grey paper lost its signature date. Both
    /// scanned at 200 dpi, read, and compared with their own truth: every field `cocok`.
    #[test]
    fn pindaian_tabel_dan_mesin_tik_cocok_semua() {
        use crate::sk::cocok::{Hasil, cocokkan};
        use crate::sk::contoh::{Pindaian, Tata, hauwai, pdf_pindai};
        if !alat_ada("pindaian_tabel_dan_mesin_tik_cocok_semua") {
            return;
        }
        let mut isi = hauwai();
        let mut rekan = isi.orang.clone();
        rekan.nama = "Siti Rahmah".into();
        rekan.perempuan = true;
        rekan.gelar_belakang = String::new();
        rekan.jabatan = crate::desa::jabatan::Jabatan::KasiPelayanan;
        isi.rekan = vec![rekan];
        for (tata, benih) in [(Tata::Tabel, 2), (Tata::Prosa, 3)] {
            let pdf = pdf_pindai(&isi, tata, &Pindaian::baru(200, benih));
            let t = Pembaca::bawaan().baca(&pdf, Jenis::Pdf, &mut |_, _| {}).expect("reads");
            assert_eq!(t.sumber, Sumber::Ocr);
            let teks = t.gabung();
            for h in cocokkan(&teks, true, &isi.entri()) {
                if !tata.menyebut_nik() && h.field == crate::sk::cocok::Medan::Nik {
                    continue;
                }
                assert_eq!(h.hasil, Hasil::Cocok, "{tata:?} {:?}: {h:?}\n{teks}", h.field);
            }
        }
    }

    #[test]
    fn tanpa_tesseract_tidak_tersedia() {
        let png = {
            let g = image::GrayImage::from_pixel(100, 140, image::Luma([255]));
            let mut b = Vec::new();
            g.write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Png)
                .expect("encodes");
            b
        };
        let p = tanpa_program();
        assert!(!p.ocr_tersedia());
        let e = p.baca(&png, Jenis::Png, &mut |_, _| {}).expect_err("needs OCR");
        assert!(
            matches!(&e, GagalBaca::TidakTersedia(m) if m.contains("Tesseract")),
            "{e:?}"
        );
        // A scan in a PDF too (no pdftoppm either).
        let pdf = pdf_pindaian(&png);
        let e = p.baca(&pdf, Jenis::Pdf, &mut |_, _| {}).expect_err("needs OCR");
        assert!(matches!(e, GagalBaca::TidakTersedia(_)), "{e:?}");
    }

    #[test]
    fn tanpa_pdftoppm_tidak_tersedia() {
        if !alat_ada("tanpa_pdftoppm_tidak_tersedia") {
            return;
        }
        let p = Pembaca {
            pdftoppm: "/tidak/ada/pdftoppm".into(),
            ..Pembaca::bawaan()
        };
        let pdf = pdf_pindaian(&render_png(&sk_pdf(), 100));
        let e = p.baca(&pdf, Jenis::Pdf, &mut |_, _| {}).expect_err("needs pdftoppm");
        assert!(
            matches!(&e, GagalBaca::TidakTersedia(m) if m.contains("pdftoppm")),
            "{e:?}"
        );
    }

    #[test]
    fn terlalu_banyak_halaman() {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let isi = doc.add_object(Stream::new(dictionary! {}, b"q Q".to_vec()));
        let kids: Vec<Object> = (0..300)
            .map(|_| {
                doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => isi })
                    .into()
            })
            .collect();
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 300, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut pdf = Vec::new();
        doc.save_to(&mut pdf).expect("writes");
        let mulai = Instant::now();
        // The real programs if present: the page count is refused before any rendering.
        let e = Pembaca::bawaan()
            .baca(&pdf, Jenis::Pdf, &mut |_, _| panic!("no page is read"))
            .expect_err("too many");
        assert!(
            matches!(&e, GagalBaca::Gagal(m) if m.contains("300 halaman") && m.contains("20 halaman")),
            "{e:?}"
        );
        assert!(mulai.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn gambar_terlalu_besar() {
        // A PNG that claims 20,000 × 20,000 pixels: refused from its header, never decoded.
        fn crc32(b: &[u8]) -> u32 {
            let mut c = 0xFFFF_FFFFu32;
            for x in b {
                c ^= u32::from(*x);
                for _ in 0..8 {
                    c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
                }
            }
            !c
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // One IDAT chunk (the decoder reads the header up to the first), never inflated.
        png.extend_from_slice(&2u32.to_be_bytes());
        png.extend_from_slice(b"IDAT\x78\x9c");
        png.extend_from_slice(&crc32(b"IDAT\x78\x9c").to_be_bytes());
        png.extend_from_slice(&[0, 0, 0, 0]);
        png.extend_from_slice(b"IEND");
        png.extend_from_slice(&crc32(b"IEND").to_be_bytes());
        let e = Pembaca::bawaan()
            .baca(&png, Jenis::Png, &mut |_, _| {})
            .expect_err("too large");
        assert!(
            matches!(&e, GagalBaca::Gagal(m) if m.contains("20000 × 20000")),
            "{e:?}"
        );
    }

    #[test]
    fn berkas_rusak() {
        let p = Pembaca::bawaan();
        let e = p
            .baca(b"%PDF-1.5\n1 0 obj << /Type /Catalog", Jenis::Pdf, &mut |_, _| {})
            .expect_err("corrupt");
        assert_eq!(e, GagalBaca::Gagal(PESAN_PDF_RUSAK.into()));
        let e = p
            .baca(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", Jenis::Png, &mut |_, _| {})
            .expect_err("corrupt");
        assert_eq!(e, GagalBaca::Gagal(PESAN_GAMBAR_RUSAK.into()));
        let e = p
            .baca(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], Jenis::Jpeg, &mut |_, _| {})
            .expect_err("corrupt");
        assert_eq!(e, GagalBaca::Gagal(PESAN_GAMBAR_RUSAK.into()));
        // A PDF cut in half.
        let pdf = sk_pdf();
        assert!(p.baca(&pdf[..pdf.len() / 2], Jenis::Pdf, &mut |_, _| {}).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn tesseract_yang_macet_dihentikan() {
        use std::os::unix::fs::PermissionsExt;
        let dir = dir_sementara().expect("temp dir");
        let skrip = dir.path().join("tesseract");
        std::fs::write(&skrip, "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo 'List of available languages (1):'; echo eng; exit 0; fi\nsleep 30\n")
            .expect("writes");
        std::fs::set_permissions(&skrip, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let g = image::GrayImage::from_pixel(100, 140, image::Luma([255]));
        let mut png = Vec::new();
        g.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encodes");
        let mut p = Pembaca {
            tesseract: skrip,
            ..Pembaca::bawaan()
        };
        p.batas.waktu_per_halaman = Duration::from_secs(1);
        let mulai = Instant::now();
        let e = p.baca(&png, Jenis::Png, &mut |_, _| {}).expect_err("timed out");
        assert!(
            matches!(&e, GagalBaca::Gagal(m) if m.contains("batas waktu 1 detik")),
            "{e:?}"
        );
        assert!(mulai.elapsed() < Duration::from_secs(10), "{:?}", mulai.elapsed());
        // The whole reading's limit is kept as well.
        p.batas.waktu_per_halaman = Duration::from_secs(60);
        p.batas.waktu_total = Duration::from_secs(1);
        let e = p.baca(&png, Jenis::Png, &mut |_, _| {}).expect_err("timed out");
        assert!(
            matches!(&e, GagalBaca::Gagal(m) if m.contains("Membaca SK melebihi")),
            "{e:?}"
        );
    }

    #[test]
    fn teks_cukup_butuh_huruf_dan_vokal() {
        assert!(teks_cukup(
            "KEPUTUSAN KEPALA DESA HAUWAI NOMOR 141 TENTANG PENGANGKATAN"
        ));
        assert!(!teks_cukup("Halaman 1 dari 2"));
        assert!(!teks_cukup("XQZTRPLKMNBVCXZQWRTYPSDFGHJKLZXCVBNMQWRTPSDFGHJKL"));
    }

    #[test]
    fn kepala_pgm_dibaca() {
        assert_eq!(kepala_pgm(b"P5\n3 2\n255\nabcdef"), Some((3, 2, 11)));
        assert_eq!(kepala_pgm(b"P5 # poppler\n3 2 255 abcdef"), Some((3, 2, 21)));
        assert_eq!(kepala_pgm(b"P5\n3 2\n65535\nabcdef"), None, "16-bit");
        assert_eq!(kepala_pgm(b"P6\n3 2\n255\nabcdef"), None, "colour");
        assert_eq!(kepala_pgm(b"P5\n3"), None, "cut short");
    }

    #[test]
    fn dpi_turun_untuk_halaman_besar() {
        assert_eq!(dpi_halaman(300, (595.0, 842.0), 16_000_000), Some(300));
        let d = dpi_halaman(300, (2384.0, 3370.0), 16_000_000).expect("A0 at a lower resolution");
        assert!((100..300).contains(&d), "{d}");
        assert_eq!(dpi_halaman(300, (200_000.0, 200_000.0), 16_000_000), None);
    }
}
