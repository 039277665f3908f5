//! The machine reads the SK and compares it with the entry (SOP step 4, done by the machine
//! too): the text of the document ([`baca`]), the comparison field by field ([`cocok`]), the
//! reading queue kept in the database ([`antrean`]) and each record's result ([`hasil`]).
//!
//! Verification, not extraction: the entered values are looked for in the SK's text; nothing
//! is ever filled in from it. The person still decides *Sesuai* or *Tidak Sesuai*.

pub mod antrean;
pub mod baca;
pub mod cocok;
pub mod contoh;
pub mod gambar;
pub mod hasil;

use crate::akun::Akun;
use crate::db::Db;
use crate::dokumen::{self, Dokumen, Penyimpanan, Unggahan};
use crate::error::Hasil;
use crate::id::PerangkatId;
use crate::perangkat::HasilTulis;

/// Pages of an SK's text are stored joined by a form feed.
pub const PEMISAH_HALAMAN: char = '\u{000C}';

/// Stores an uploaded document of a record ([`dokumen::unggah`]) and, for an SK pengangkatan,
/// puts its reading in the queue (once per content) and wakes a worker; a content read before
/// gives the record its result at once.
pub async fn unggah(
    db: &Db,
    simpanan: &Penyimpanan,
    antrean: &antrean::Antrean,
    akun: &Akun,
    perangkat_id: PerangkatId,
    u: Unggahan<'_>,
    sekarang: i64,
) -> Hasil<Dokumen> {
    let d = dokumen::unggah(db, simpanan, akun, perangkat_id, u, sekarang).await?;
    if d.jenis == "sk_pengangkatan" {
        antrean::antre(db, &d.sha256, sekarang).await?;
        antrean.bangunkan();
        hasil::segarkan(db, perangkat_id, sekarang).await?;
    }
    Ok(d)
}

/// After a committed change of a record (web, API, import): its check is recomputed, and the
/// result's warnings (`sk_berbeda`) join those of the write, as the writer may see them.
pub async fn setelah_tulis(db: &Db, akun: &Akun, h: &mut HasilTulis, sekarang: i64) -> Hasil<()> {
    hasil::segarkan(db, h.id, sekarang).await?;
    let p = hasil::untuk(db, akun, h.id, sekarang).await?;
    h.peringatan.extend(p.peringatan());
    Ok(())
}

/// The machine's warnings of a record (`sk_berbeda`), as `akun` may see them.
pub async fn peringatan(
    db: &Db,
    akun: &Akun,
    id: PerangkatId,
    sekarang: i64,
) -> Hasil<Vec<crate::perangkat::aturan::Peringatan>> {
    Ok(hasil::untuk(db, akun, id, sekarang).await?.peringatan())
}

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
