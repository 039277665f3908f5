//! Files in and out: a multipart upload read within its limit, a stored document or a PDF as
//! a response, with a safe download name.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};

use crate::dokumen::{self, Dokumen};
use crate::error::AppError;

/// A form's file: the one chosen (if any), or the word that it was over the limit.
pub enum BerkasKiriman {
    Tidak,
    Ada(String, Bytes),
    /// Over `batas` bytes: read to its end and thrown away, so that the form's other fields
    /// are still read and the user keeps what they typed.
    TerlaluBesar {
        batas: usize,
    },
}

impl BerkasKiriman {
    /// The file, or the error of one over the limit.
    pub fn hasil(self) -> Result<Option<(String, Bytes)>, AppError> {
        match self {
            BerkasKiriman::Tidak => Ok(None),
            BerkasKiriman::Ada(n, b) => Ok(Some((n, b))),
            BerkasKiriman::TerlaluBesar { batas } => Err(AppError::TerlaluBesar { batas }),
        }
    }
}

/// Reads a multipart body: its text fields and its `berkas` file (if one was chosen), never
/// more than `batas` bytes of file (413).
pub async fn baca_multipart(
    mp: Multipart,
    batas: usize,
) -> Result<(HashMap<String, String>, Option<(String, Bytes)>), AppError> {
    let (teks, berkas) = baca_multipart_lunak(mp, batas).await?;
    Ok((teks, berkas.hasil()?))
}

/// [`baca_multipart`] for a page's form: a file over `batas` is read to its end without being
/// kept (the body's own limit still holds) and given back as [`BerkasKiriman::TerlaluBesar`],
/// with the other fields read, so that the page can keep the entry and refuse only the file.
pub async fn baca_multipart_lunak(
    mut mp: Multipart,
    batas: usize,
) -> Result<(HashMap<String, String>, BerkasKiriman), AppError> {
    let mut teks = HashMap::new();
    let mut berkas = BerkasKiriman::Tidak;
    let tak_terbaca = || {
        AppError::Validasi(vec![(
            "berkas",
            "Formulir unggahan tidak dapat dibaca (bagian atau nama berkasnya rusak). Pilih berkasnya kembali lalu kirim ulang."
                .into(),
        )])
    };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::TerlaluBesar { batas }),
            Err(_) => return Err(tak_terbaca()),
        };
        let nama = field.name().unwrap_or("").to_string();
        if nama == "berkas" {
            let nama_asli = field.file_name().unwrap_or("").to_string();
            let mut f = field;
            let mut isi = BytesMut::new();
            let mut lebih = false;
            loop {
                match f.chunk().await {
                    Ok(Some(c)) => {
                        if lebih || isi.len() + c.len() > batas {
                            lebih = true;
                            isi = BytesMut::new();
                            continue;
                        }
                        isi.extend_from_slice(&c);
                    }
                    Ok(None) => break,
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(AppError::TerlaluBesar { batas });
                    }
                    Err(_) => {
                        return Err(AppError::Permintaan(
                            "Berkas tidak terkirim utuh. Coba unggah lagi.".into(),
                        ));
                    }
                }
            }
            if lebih {
                berkas = BerkasKiriman::TerlaluBesar { batas };
            } else if !isi.is_empty() || !nama_asli.is_empty() {
                berkas = BerkasKiriman::Ada(nama_asli, isi.freeze());
            }
        } else {
            let v = field.text().await.map_err(|_| tak_terbaca())?;
            if teks.len() < 100 {
                teks.insert(nama, v);
            }
        }
    }
    Ok((teks, berkas))
}

/// The response for a stored document (web and API).
pub fn respon_berkas(d: &Dokumen, isi: Bytes, lampiran: bool) -> Response {
    let jenis = dokumen::Jenis::dari_mime(&d.mime).unwrap_or(dokumen::Jenis::Pdf);
    let nama = dokumen::nama_aman(&d.nama_asli, jenis);
    let disposisi = format!(
        "{}; filename=\"{nama}\"",
        if lampiran { "attachment" } else { "inline" }
    );
    let mut r = (StatusCode::OK, isi).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(jenis.mime()));
    if let Ok(v) = HeaderValue::from_str(&disposisi) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

/// A PDF answer, shown in the browser's own viewer.
pub fn respon_pdf(isi: impl Into<Bytes>, nama: &str) -> Response {
    let mut r = isi.into().into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{nama}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}
