//! The PDF engine: typst embedded as a library, with the fonts of typst-assets. A template is
//! compiled once; its data go in as JSON (`sys.inputs.data`), never as markup built from user
//! strings. CPU work: call from a blocking thread.

use std::sync::OnceLock;

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
/// date in the PDF, untagged).
pub fn render(mesin: &Mesin, data: &impl Serialize, judul: &str) -> Result<Vec<u8>, AppError> {
    let json = serde_json::to_string(data).map_err(|e| AppError::Internal(e.into()))?;
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
    typst_pdf::pdf(&doc, &opsi).map_err(|e| AppError::Internal(anyhow::anyhow!("typst-pdf: {e:?}")))
}
