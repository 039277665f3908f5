//! The PDF engine: typst embedded as a library, with the fonts of typst-assets. A template is
//! compiled once; its data go in as JSON (`sys.inputs.data`), never as markup built from user
//! strings. CPU work: call from a blocking thread.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;
use typst::foundations::{Dict, IntoValue, Smart};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

use crate::error::AppError;

pub type Mesin = TypstEngine<TypstTemplateMainFile>;

/// The engine of one template, built on first use.
pub fn mesin(sel: &'static OnceLock<Mesin>, templat: &'static str) -> &'static Mesin {
    sel.get_or_init(|| {
        TypstEngine::builder()
            .main_file(templat)
            .fonts(typst_assets::fonts())
            .build()
    })
}

/// Renders `data` with the template's engine. The same data give the same bytes (no creation
/// date in the PDF, untagged), so a PDF laid out once is kept by the SHA-256 of its template,
/// title and data ([`Simpanan`]): the Buku Aparat of a desa that has not changed, asked for
/// again and again, is not laid out again (issue 16: 130 ms a request, at -c16, before).
pub fn render(mesin: &Mesin, data: &impl Serialize, judul: &str) -> Result<Vec<u8>, AppError> {
    let json = serde_json::to_string(data).map_err(|e| AppError::Internal(e.into()))?;
    let kunci = Simpanan::kunci(mesin, judul, &json);
    if let Some(pdf) = Simpanan::global().ambil(&kunci) {
        return Ok(pdf.as_ref().clone());
    }
    let mut masukan = Dict::new();
    masukan.insert("data".into(), json.into_value());
    let doc: PagedDocument = mesin
        .compile_with_input(masukan)
        .output
        .map_err(|e| AppError::Internal(anyhow::anyhow!("typst: {e:?}")))?;
    let opsi = typst_pdf::PdfOptions {
        ident: Smart::Custom(judul.to_string()),
        tagged: false,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&doc, &opsi).map_err(|e| AppError::Internal(anyhow::anyhow!("typst-pdf: {e:?}")))?;
    Simpanan::global().taruh(kunci, Arc::new(pdf.clone()));
    Ok(pdf)
}

/// PDFs already laid out, by content hash; the oldest go first past [`Simpanan::MAKS_BAIT`] or
/// [`Simpanan::MAKS_ENTRI`]. Nothing in it can be stale: a change of the data is another key.
pub struct Simpanan {
    isi: Mutex<IsiSimpanan>,
}

#[derive(Default)]
struct IsiSimpanan {
    peta: HashMap<[u8; 32], Arc<Vec<u8>>>,
    urutan: VecDeque<[u8; 32]>,
    bait: usize,
}

impl Simpanan {
    pub const MAKS_BAIT: usize = 32 * 1024 * 1024;
    pub const MAKS_ENTRI: usize = 512;

    pub fn global() -> &'static Simpanan {
        static S: OnceLock<Simpanan> = OnceLock::new();
        S.get_or_init(|| Simpanan {
            isi: Mutex::new(IsiSimpanan::default()),
        })
    }

    fn kunci(mesin: &Mesin, judul: &str, json: &str) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        // The engine is a static of its template: its address names the template.
        h.update((std::ptr::from_ref(mesin) as usize).to_le_bytes());
        h.update((judul.len() as u64).to_le_bytes());
        h.update(judul.as_bytes());
        h.update(json.as_bytes());
        h.finalize().into()
    }

    fn ambil(&self, k: &[u8; 32]) -> Option<Arc<Vec<u8>>> {
        self.isi.lock().unwrap_or_else(|e| e.into_inner()).peta.get(k).cloned()
    }

    fn taruh(&self, k: [u8; 32], pdf: Arc<Vec<u8>>) {
        if pdf.len() > Self::MAKS_BAIT / 4 {
            return;
        }
        let mut s = self.isi.lock().unwrap_or_else(|e| e.into_inner());
        if s.peta.contains_key(&k) {
            return;
        }
        s.bait += pdf.len();
        s.peta.insert(k, pdf);
        s.urutan.push_back(k);
        while s.bait > Self::MAKS_BAIT || s.urutan.len() > Self::MAKS_ENTRI {
            let Some(tua) = s.urutan.pop_front() else { break };
            if let Some(p) = s.peta.remove(&tua) {
                s.bait -= p.len();
            }
        }
    }

    /// How many PDFs are kept, and their bytes (for tests and the benchmark notes).
    pub fn ukuran(&self) -> (usize, usize) {
        let s = self.isi.lock().unwrap_or_else(|e| e.into_inner());
        (s.peta.len(), s.bait)
    }
}
