//! The machine reads the SK and compares it with the entry (SOP step 4, done by the machine
//! too): the text of the document ([`baca`]), the comparison field by field ([`cocok`]).
//!
//! Verification, not extraction: the entered values are looked for in the SK's text; nothing
//! is ever filled in from it. The person still decides *Sesuai* or *Tidak Sesuai*.

pub mod baca;
pub mod cocok;
pub mod contoh;

/// Where the text of an SK came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sumber {
    /// The PDF's own text layer.
    TeksPdf,
    /// Optical character recognition (Tesseract) of a scan.
    Ocr,
}

impl Sumber {
    pub fn kode(self) -> &'static str {
        match self {
            Sumber::TeksPdf => "teks_pdf",
            Sumber::Ocr => "ocr",
        }
    }

    pub fn parse(s: &str) -> Option<Sumber> {
        match s {
            "teks_pdf" => Some(Sumber::TeksPdf),
            "ocr" => Some(Sumber::Ocr),
            _ => None,
        }
    }
}

/// The text of an SK, page by page, in reading order (lines separated by `\n`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeksSk {
    pub sumber: Sumber,
    pub halaman: Vec<String>,
}

impl TeksSk {
    /// All pages as one text.
    pub fn gabung(&self) -> String {
        self.halaman.join("\n")
    }
}
