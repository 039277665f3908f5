//! STAND-IN for branch `sk-baca` (written against its announced interface so that the queue can
//! be built and tested before it lands; replaced wholesale by that branch's file on merge).
//!
//! The text of an SK: a PDF's own text layer when it has one; otherwise OCR with Tesseract
//! (pages of a PDF rendered with pdftoppm first). Blocking: run it in `spawn_blocking`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Sumber, TeksSk};
use crate::dokumen::Jenis;

/// Limits of one reading.
#[derive(Clone, Debug)]
pub struct Batas {
    pub halaman: usize,
    pub piksel: u64,
    pub waktu_halaman: Duration,
}

impl Default for Batas {
    fn default() -> Self {
        Batas {
            halaman: 20,
            piksel: 60_000_000,
            waktu_halaman: Duration::from_secs(60),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Pembaca {
    pub tesseract: PathBuf,
    pub pdftoppm: PathBuf,
    pub bahasa: String,
    pub batas: Batas,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GagalBaca {
    /// OCR is needed but Tesseract (or pdftoppm) is not installed.
    TidakTersedia(String),
    /// The file cannot be read (corrupt, too large, too slow).
    Gagal(String),
}

impl Pembaca {
    pub fn bawaan() -> Pembaca {
        Pembaca {
            tesseract: PathBuf::from("tesseract"),
            pdftoppm: PathBuf::from("pdftoppm"),
            bahasa: "ind".into(),
            batas: Batas::default(),
        }
    }

    pub fn ocr_tersedia(&self) -> bool {
        Command::new(&self.tesseract)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    pub fn baca(&self, isi: &[u8], jenis: Jenis, kemajuan: &mut dyn FnMut(usize, usize)) -> Result<TeksSk, GagalBaca> {
        match jenis {
            Jenis::Pdf => self.baca_pdf(isi, kemajuan),
            Jenis::Png | Jenis::Jpeg => {
                let (l, t) = image::ImageReader::new(std::io::Cursor::new(isi))
                    .with_guessed_format()
                    .ok()
                    .and_then(|r| r.into_dimensions().ok())
                    .ok_or_else(|| GagalBaca::Gagal("Gambar SK rusak atau tidak dapat dibaca.".into()))?;
                if u64::from(l) * u64::from(t) > self.batas.piksel {
                    return Err(GagalBaca::Gagal(format!(
                        "Gambar SK terlalu besar untuk dibaca mesin ({l} × {t} piksel)."
                    )));
                }
                if !self.ocr_tersedia() {
                    return Err(GagalBaca::TidakTersedia(
                        "Tesseract OCR tidak terpasang di server.".into(),
                    ));
                }
                kemajuan(0, 1);
                let teks = self.ocr(isi)?;
                kemajuan(1, 1);
                Ok(TeksSk {
                    sumber: Sumber::Ocr,
                    halaman: vec![teks],
                })
            }
        }
    }

    fn baca_pdf(&self, isi: &[u8], kemajuan: &mut dyn FnMut(usize, usize)) -> Result<TeksSk, GagalBaca> {
        let doc = lopdf::Document::load_mem(isi).map_err(|_| GagalBaca::Gagal("Berkas PDF SK rusak.".into()))?;
        let halaman: Vec<u32> = doc.get_pages().keys().copied().collect();
        if halaman.len() > self.batas.halaman {
            return Err(GagalBaca::Gagal(format!(
                "SK terlalu panjang untuk dibaca mesin ({} halaman; paling banyak {}).",
                halaman.len(),
                self.batas.halaman
            )));
        }
        let n = halaman.len();
        let mut teks = Vec::new();
        for (i, h) in halaman.iter().enumerate() {
            teks.push(doc.extract_text(&[*h]).unwrap_or_default());
            kemajuan(i + 1, n);
        }
        let huruf: usize = teks
            .iter()
            .map(|t| t.chars().filter(|c| c.is_alphanumeric()).count())
            .sum();
        if huruf >= 20 * n.max(1) {
            return Ok(TeksSk {
                sumber: Sumber::TeksPdf,
                halaman: teks,
            });
        }
        if !self.ocr_tersedia() {
            return Err(GagalBaca::TidakTersedia(
                "Tesseract OCR tidak terpasang di server.".into(),
            ));
        }
        let dir = std::env::temp_dir().join(format!("sipkatdes-baca-{}", crate::akun::sandi::acak_hex(8)));
        std::fs::create_dir_all(&dir).map_err(|e| GagalBaca::Gagal(e.to_string()))?;
        let hasil = (|| {
            let pdf = dir.join("sk.pdf");
            std::fs::write(&pdf, isi).map_err(|e| GagalBaca::Gagal(e.to_string()))?;
            let mut out = Vec::new();
            kemajuan(0, n);
            for i in 1..=n {
                let awalan = dir.join(format!("h{i}"));
                let mut c = Command::new(&self.pdftoppm);
                c.args([
                    "-r",
                    "300",
                    "-png",
                    "-singlefile",
                    "-f",
                    &i.to_string(),
                    "-l",
                    &i.to_string(),
                ])
                .arg(&pdf)
                .arg(&awalan);
                jalankan(c, None, self.batas.waktu_halaman)?;
                let png = std::fs::read(awalan.with_extension("png")).map_err(|e| GagalBaca::Gagal(e.to_string()))?;
                out.push(self.ocr(&png)?);
                kemajuan(i, n);
            }
            Ok(out)
        })();
        let _ = std::fs::remove_dir_all(&dir);
        Ok(TeksSk {
            sumber: Sumber::Ocr,
            halaman: hasil?,
        })
    }

    fn ocr(&self, gambar: &[u8]) -> Result<String, GagalBaca> {
        let mut c = Command::new(&self.tesseract);
        c.args(["stdin", "stdout", "-l", &self.bahasa]);
        let out = jalankan(c, Some(gambar), self.batas.waktu_halaman)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// Runs a command with an input and a time limit; its standard output.
fn jalankan(mut c: Command, masuk: Option<&[u8]>, batas: Duration) -> Result<Vec<u8>, GagalBaca> {
    let mut anak = c
        .stdin(if masuk.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| GagalBaca::TidakTersedia(format!("Program pembaca tidak dapat dijalankan: {e}")))?;
    if let Some(b) = masuk {
        let mut stdin = anak.stdin.take().expect("piped stdin");
        let b = b.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&b);
        });
    }
    let mut stdout = anak.stdout.take().expect("piped stdout");
    let pembaca = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut v);
        v
    });
    let akhir = Instant::now() + batas;
    loop {
        match anak.try_wait() {
            Ok(Some(s)) if s.success() => return Ok(pembaca.join().unwrap_or_default()),
            Ok(Some(_)) => return Err(GagalBaca::Gagal("Halaman SK tidak dapat dibaca mesin.".into())),
            Ok(None) if Instant::now() > akhir => {
                let _ = anak.kill();
                let _ = anak.wait();
                return Err(GagalBaca::Gagal("Membaca SK melewati batas waktu.".into()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(GagalBaca::Gagal(e.to_string())),
        }
    }
}
