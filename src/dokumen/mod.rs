//! Documents (SK scans): judged by content, stored by SHA-256, served safely.
//!
//! An upload is accepted only as PDF, JPEG or PNG by its bytes (never by its name or the
//! browser's claim); a PDF must parse and an image must decode within limits. The file is
//! written and synced to the object store before its row is committed, so a row never points
//! to a missing file.

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path as KunciObjek;
use object_store::{ObjectStoreExt, PutPayload};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::akun::Akun;
use crate::audit;
use crate::db::Db;
use crate::error::{AppError, Hasil};
use crate::id::{DokumenId, PerangkatId};
use crate::perangkat::{self, boleh_ubah};

pub mod contoh;

/// Default upload size limit: 10 MiB.
pub const BATAS_BAWAAN: usize = 10 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jenis {
    Pdf,
    Jpeg,
    Png,
}

impl Jenis {
    pub const SEMUA: [Jenis; 3] = [Jenis::Pdf, Jenis::Jpeg, Jenis::Png];

    /// The OpenAPI schema of a `mime` field: one of the accepted types.
    pub fn skema_mime() -> utoipa::openapi::schema::Object {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(Jenis::SEMUA.map(Jenis::mime)))
            .build()
    }

    pub fn mime(self) -> &'static str {
        match self {
            Jenis::Pdf => "application/pdf",
            Jenis::Jpeg => "image/jpeg",
            Jenis::Png => "image/png",
        }
    }

    pub fn ekstensi(self) -> &'static str {
        match self {
            Jenis::Pdf => "pdf",
            Jenis::Jpeg => "jpg",
            Jenis::Png => "png",
        }
    }

    pub fn dari_mime(m: &str) -> Option<Jenis> {
        match m {
            "application/pdf" => Some(Jenis::Pdf),
            "image/jpeg" => Some(Jenis::Jpeg),
            "image/png" => Some(Jenis::Png),
            _ => None,
        }
    }
}

/// Why an upload was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Tolak {
    /// Not a PDF, JPEG or PNG by content (HTTP 415).
    JenisTidakDiterima,
    /// The right kind but damaged (HTTP 422).
    Rusak(String),
}

/// Judges a file by its first bytes.
pub fn kenali(b: &[u8]) -> Option<Jenis> {
    if b.starts_with(b"%PDF-") {
        Some(Jenis::Pdf)
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Jenis::Jpeg)
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Jenis::Png)
    } else {
        None
    }
}

/// Checks that the file is what it claims by its magic bytes: a PDF that parses, an image
/// that decodes (within pixel and memory limits: no decompression bombs).
pub fn periksa(b: &[u8]) -> Result<Jenis, Tolak> {
    let jenis = kenali(b).ok_or(Tolak::JenisTidakDiterima)?;
    match jenis {
        Jenis::Pdf => {
            let doc = lopdf::Document::load_mem(b).map_err(|_| {
                Tolak::Rusak("Berkas PDF rusak atau tidak dapat dibaca. Pindai ulang SK lalu unggah kembali.".into())
            })?;
            if doc.get_pages().is_empty() {
                return Err(Tolak::Rusak("Berkas PDF tidak memiliki halaman.".into()));
            }
            if let Some(apa) = isi_aktif_pdf(&doc) {
                return Err(Tolak::Rusak(format!(
                    "Berkas PDF berisi {apa}. Scan SK tidak memerlukannya: pindai ulang SK atau cetak ulang ke PDF, lalu unggah kembali."
                )));
            }
        }
        Jenis::Jpeg | Jenis::Png => {
            let format = if jenis == Jenis::Png {
                image::ImageFormat::Png
            } else {
                image::ImageFormat::Jpeg
            };
            let mut r = image::ImageReader::with_format(std::io::Cursor::new(b), format);
            let mut batas = image::Limits::default();
            batas.max_image_width = Some(12_000);
            batas.max_image_height = Some(12_000);
            batas.max_alloc = Some(256 * 1024 * 1024);
            r.limits(batas);
            r.decode().map_err(|_| {
                Tolak::Rusak(
                    "Gambar rusak, terlalu besar, atau tidak dapat dibaca. Pindai ulang SK lalu unggah kembali.".into(),
                )
            })?;
        }
    }
    Ok(jenis)
}

/// Active content a scanned decree never has: scripts, actions that start programs, submit
/// forms or open other files, embedded files, multimedia, XFA forms. Returns what was found.
fn isi_aktif_pdf(doc: &lopdf::Document) -> Option<&'static str> {
    fn nama(n: &[u8]) -> Option<&'static str> {
        Some(match n {
            b"JS" | b"JavaScript" => "skrip (JavaScript)",
            b"Launch" => "perintah untuk menjalankan program (Launch)",
            b"EmbeddedFile" | b"EmbeddedFiles" | b"FileAttachment" => "berkas lain yang disisipkan",
            b"SubmitForm" | b"ImportData" | b"GoToR" | b"GoToE" => "tindakan yang membuka atau mengirim ke berkas lain",
            b"RichMedia" | b"Movie" | b"Sound" | b"Rendition" => "multimedia",
            b"XFA" => "formulir XFA",
            b"AA" => "tindakan otomatis",
            _ => return None,
        })
    }
    fn periksa(o: &lopdf::Object, dalam: u8) -> Option<&'static str> {
        if dalam > 32 {
            // Nesting no scanner or decree needs, and below which this check would stop
            // looking: refused rather than passed unseen (issue 15, point 5).
            return Some("struktur bersarang terlalu dalam");
        }
        match o {
            lopdf::Object::Name(n) => nama(n),
            lopdf::Object::Array(a) => a.iter().find_map(|x| periksa(x, dalam + 1)),
            lopdf::Object::Dictionary(d) => periksa_kamus(d, dalam),
            lopdf::Object::Stream(s) => periksa_kamus(&s.dict, dalam),
            _ => None,
        }
    }
    fn periksa_kamus(d: &lopdf::Dictionary, dalam: u8) -> Option<&'static str> {
        d.iter().find_map(|(k, v)| nama(k).or_else(|| periksa(v, dalam + 1)))
    }
    // An encrypted file hides its object streams (and a strict reader its strings) from this
    // check, while a viewer opens it without a password when the user password is empty.
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Some("enkripsi (berkas terkunci) sehingga isinya tidak dapat diperiksa");
    }
    doc.objects
        .values()
        .find_map(|o| periksa(o, 0))
        .or_else(|| periksa_kamus(&doc.trailer, 0))
        .or_else(|| aksi_otomatis_keluar(doc))
}

/// An action that runs by itself — the document's `/OpenAction`, any `/AA` (document, page,
/// annotation, form field) — and leaves the document: opening an address (`URI`) as well as
/// the kinds refused everywhere (JavaScript, Launch, GoToR, GoToE, SubmitForm, ImportData).
/// A link a person clicks (`/A` of a link annotation) may open an address; an automatic one
/// may not (issue 15, point 5). Follows references and `/Next` chains.
fn aksi_otomatis_keluar(doc: &lopdf::Document) -> Option<&'static str> {
    fn kamus<'a>(doc: &'a lopdf::Document, o: &'a lopdf::Object) -> Option<&'a lopdf::Dictionary> {
        match o {
            lopdf::Object::Reference(id) => doc.get_object(*id).ok().and_then(|o| o.as_dict().ok()),
            lopdf::Object::Dictionary(d) => Some(d),
            _ => None,
        }
    }
    fn aksi(doc: &lopdf::Document, o: &lopdf::Object, dalam: u8) -> Option<&'static str> {
        if dalam > 32 {
            return Some("rangkaian tindakan otomatis yang terlalu panjang");
        }
        let o = match o {
            lopdf::Object::Reference(id) => doc.get_object(*id).ok()?,
            o => o,
        };
        if let lopdf::Object::Array(a) = o {
            return a.iter().find_map(|x| aksi(doc, x, dalam + 1));
        }
        let d = kamus(doc, o)?;
        let jenis = d.get(b"S").ok().and_then(|s| s.as_name().ok()).unwrap_or_default();
        let keluar = match jenis {
            b"URI" => Some("tindakan otomatis yang membuka alamat internet (URI)"),
            b"GoToR" | b"GoToE" | b"SubmitForm" | b"ImportData" | b"Launch" | b"JavaScript" => {
                Some("tindakan otomatis yang membuka atau mengirim ke berkas lain")
            }
            _ => None,
        };
        keluar.or_else(|| d.get(b"Next").ok().and_then(|n| aksi(doc, n, dalam + 1)))
    }
    doc.objects.values().find_map(|o| {
        let d = match o {
            lopdf::Object::Dictionary(d) => d,
            lopdf::Object::Stream(s) => &s.dict,
            _ => return None,
        };
        let buka = d.get(b"OpenAction").ok().and_then(|a| aksi(doc, a, 0));
        buka.or_else(|| {
            // `/AA`: a dictionary of triggers, each an action.
            let aa = kamus(doc, d.get(b"AA").ok()?)?;
            aa.iter().find_map(|(_, a)| aksi(doc, a, 0))
        })
    })
}

/// A safe download name: letters, digits, `-`, `_`, `.` only; never a path.
pub fn nama_aman(asli: &str, jenis: Jenis) -> String {
    let dasar = asli.rsplit(['/', '\\']).next().unwrap_or("");
    let dasar = dasar.rsplit_once('.').map(|(a, _)| a).unwrap_or(dasar);
    let mut s: String = dasar
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    let s2 = s.trim_matches('_').to_string();
    s = if s2.is_empty() { "dokumen".into() } else { s2 };
    format!("{s}.{}", jenis.ekstensi())
}

/// The original name, kept as metadata only: no control or bidirectional characters.
pub fn bersihkan_nama_asli(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(*c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        })
        .take(200)
        .collect()
}

/// Where files live: an object store (local disk by default), keyed by SHA-256.
#[derive(Clone, Debug)]
pub struct Penyimpanan {
    store: Arc<LocalFileSystem>,
    akar: PathBuf,
}

impl Penyimpanan {
    /// Files under `<data dir>/berkas`.
    pub fn lokal(data_dir: &std::path::Path) -> anyhow::Result<Penyimpanan> {
        let akar = data_dir.join("berkas");
        std::fs::create_dir_all(&akar)?;
        let akar = akar.canonicalize()?;
        let store = LocalFileSystem::new_with_prefix(&akar)?;
        Ok(Penyimpanan {
            store: Arc::new(store),
            akar,
        })
    }

    fn kunci(sha: &str) -> KunciObjek {
        KunciObjek::from(format!("sha256/{}/{}", &sha[..2], sha))
    }

    /// Writes the bytes (if not already there) and syncs them to disk.
    pub async fn simpan(&self, sha: &str, isi: Bytes) -> anyhow::Result<()> {
        let kunci = Self::kunci(sha);
        if self.store.head(&kunci).await.is_err() {
            self.store.put(&kunci, PutPayload::from_bytes(isi)).await?;
        }
        // object_store renames a finished temporary file into place; make it durable.
        let berkas = self.akar.join("sha256").join(&sha[..2]).join(sha);
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            std::fs::File::open(&berkas)?.sync_all()?;
            if let Some(dir) = berkas.parent() {
                std::fs::File::open(dir)?.sync_all()?;
            }
            Ok(())
        })
        .await??;
        Ok(())
    }

    pub async fn baca(&self, sha: &str) -> anyhow::Result<Bytes> {
        Ok(self.store.get(&Self::kunci(sha)).await?.bytes().await?)
    }
}

/// A document row.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Dokumen {
    #[schema(value_type = i64)]
    pub id: DokumenId,
    #[schema(value_type = i64)]
    pub perangkat_id: PerangkatId,
    #[schema(schema_with = skema_jenis_dokumen)]
    pub jenis: String,
    pub sha256: String,
    pub ukuran: i64,
    #[schema(schema_with = Jenis::skema_mime)]
    pub mime: String,
    pub nama_asli: String,
    pub diunggah_pada: i64,
    pub diunggah_oleh: String,
}

impl Dokumen {
    pub fn label_jenis(&self) -> &'static str {
        label_jenis(&self.jenis)
    }

    pub fn gambar(&self) -> bool {
        self.mime.starts_with("image/")
    }

    /// "PDF, 412 KB".
    pub fn ringkas(&self) -> String {
        let jenis = Jenis::dari_mime(&self.mime)
            .map(|j| j.ekstensi().to_uppercase())
            .unwrap_or_default();
        format!("{}, {} KB", jenis.replace("JPG", "JPEG"), (self.ukuran + 1023) / 1024)
    }
}

pub fn label_jenis(j: &str) -> &'static str {
    match j {
        "sk_pengangkatan" => "SK Pengangkatan",
        "sk_pemberhentian" => "SK Pemberhentian",
        "foto" => "Foto",
        _ => "Dokumen lain",
    }
}

/// The kinds of document (`jenis`), the first the default.
pub const JENIS_DOKUMEN: [&str; 4] = ["sk_pengangkatan", "sk_pemberhentian", "foto", "lainnya"];

/// The OpenAPI schema of a `jenis` field of a document.
pub fn skema_jenis_dokumen() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(JENIS_DOKUMEN))
        .build()
}

pub fn periksa_jenis_dokumen(j: &str) -> Result<&'static str, AppError> {
    match j.trim() {
        "" | "sk_pengangkatan" => Ok("sk_pengangkatan"),
        "sk_pemberhentian" => Ok("sk_pemberhentian"),
        "foto" => Ok("foto"),
        "lainnya" => Ok("lainnya"),
        _ => Err(AppError::Validasi(vec![(
            "jenis",
            "Jenis dokumen harus sk_pengangkatan, sk_pemberhentian, foto atau lainnya.".into(),
        )])),
    }
}

/// An uploaded file: the kind of document, the name it had, its bytes.
pub struct Unggahan<'a> {
    pub jenis: &'a str,
    pub nama_asli: &'a str,
    pub isi: Bytes,
}

/// Stores an uploaded document of a record (the caller has checked the size limit).
pub async fn unggah(
    db: &Db,
    simpanan: &Penyimpanan,
    akun: &Akun,
    perangkat_id: PerangkatId,
    u: Unggahan<'_>,
    sekarang: i64,
) -> Hasil<Dokumen> {
    let Unggahan {
        jenis: jenis_dok,
        nama_asli,
        isi,
    } = u;
    let p = perangkat::ambil(db, akun, perangkat_id).await?;
    if !boleh_ubah(akun, &p.desa_kode) {
        return Err(AppError::Terlarang);
    }
    let jenis_dok = periksa_jenis_dokumen(jenis_dok)?;
    let isi_cek = isi.clone();
    let jenis = tokio::task::spawn_blocking(move || periksa(&isi_cek))
        .await
        .map_err(anyhow::Error::from)?;
    let jenis = match jenis {
        Ok(j) => j,
        Err(Tolak::JenisTidakDiterima) => return Err(AppError::JenisTidakDiterima),
        Err(Tolak::Rusak(m)) => return Err(AppError::Validasi(vec![("berkas", m)])),
    };
    if jenis_dok == "foto" && jenis == Jenis::Pdf {
        return Err(AppError::Validasi(vec![(
            "berkas",
            "Foto harus berupa gambar JPEG atau PNG.".into(),
        )]));
    }
    let sha = hex::encode(Sha256::digest(&isi));
    let ukuran = isi.len() as i64;
    // The file first, synced; then the row.
    simpanan.simpan(&sha, isi).await?;
    let nama_asli = bersihkan_nama_asli(nama_asli);
    let mut tx = db.begin().await?;
    let id: DokumenId = crate::tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO dokumen (perangkat_id, jenis, sha256, ukuran, mime, nama_asli, diunggah_pada, diunggah_oleh)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(perangkat_id)
        .bind(jenis_dok)
        .bind(&sha)
        .bind(ukuran)
        .bind(jenis.mime())
        .bind(&nama_asli)
        .bind(sekarang)
        .bind(&akun.username)
        .fetch_one(c)
        .await?
    });
    // A new document changes what the check is about: a check made against the page as it was
    // before the upload is refused (409), so nobody saves data against an SK they did not see.
    // A new SK of a saved record makes it a revision that goes through the check again; a
    // photo or another document of a saved record belongs to the saved version at once.
    let sk = matches!(jenis_dok, "sk_pengangkatan" | "sk_pemberhentian");
    crate::tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE perangkat SET versi = versi + 1,
                    status = CASE WHEN $2 AND status = 'tersimpan' THEN 'draft' ELSE status END
             WHERE id = $1",
        )
        .bind(perangkat_id)
        .bind(sk)
        .execute(&mut *c)
        .await?;
        if !sk {
            // The saved version changes (a document is added to it): its version follows, so
            // whoever follows the register sees that something changed.
            sqlx::query(
                "UPDATE perangkat_tersimpan SET dokumen_terakhir = $1,
                        versi = (SELECT p.versi FROM perangkat p WHERE p.id = $2)
                 WHERE perangkat_id = $2 AND EXISTS (SELECT 1 FROM perangkat p WHERE p.id = $2 AND p.status = 'tersimpan')",
            )
            .bind(id)
            .bind(perangkat_id)
            .execute(&mut *c)
            .await?;
        }
    });
    crate::tx!(&mut tx, c => {
        sqlx::query("INSERT INTO riwayat (perangkat_id, waktu, username, aksi, catatan, perubahan) VALUES ($1, $2, $3, 'dokumen_diunggah', $4, '[]')")
            .bind(perangkat_id)
            .bind(sekarang)
            .bind(&akun.username)
            .bind(format!("{} ({}, {} KB)", label_jenis(jenis_dok), jenis.ekstensi().to_uppercase(), (ukuran + 1023) / 1024))
            .execute(c)
            .await?;
    });
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::DokumenDiunggah,
        &format!("dokumen:{id}"),
        json!({ "perangkat": perangkat_id, "sha256": sha, "ukuran": ukuran }),
    )
    .await?;
    tx.commit().await?;
    Ok(Dokumen {
        id,
        perangkat_id,
        jenis: jenis_dok.into(),
        sha256: sha,
        ukuran,
        mime: jenis.mime().into(),
        nama_asli,
        diunggah_pada: sekarang,
        diunggah_oleh: akun.username.clone(),
    })
}

/// The documents of a record in the user's scope (none outside it).
pub async fn daftar(db: &Db, akun: &Akun, perangkat_id: PerangkatId) -> Hasil<Vec<Dokumen>> {
    let sql = format!(
        "SELECT k.id, k.perangkat_id, k.jenis, k.sha256, k.ukuran, k.mime, k.nama_asli, k.diunggah_pada, k.diunggah_oleh
         FROM dokumen k JOIN perangkat p ON p.id = k.perangkat_id
         WHERE k.perangkat_id = $1 AND {} ORDER BY k.id DESC",
        akun.cakupan.syarat("p.desa_kode", 2)
    );
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, Dokumen>(sqlx::AssertSqlSafe(sql))
        .bind(perangkat_id)
        .bind(akun.cakupan.pola())
        .fetch_all(c)
        .await?
    });
    Ok(rows)
}

/// A document in the user's scope, with its bytes; the access is written to the audit log.
/// Those who see only saved data (kecamatan, Kepala Desa) get only the documents of the saved
/// version (up to the last one when it was saved).
pub async fn unduh(
    db: &Db,
    simpanan: &Penyimpanan,
    akun: &Akun,
    id: DokumenId,
    sekarang: i64,
) -> Hasil<(Dokumen, Bytes)> {
    #[derive(sqlx::FromRow)]
    struct Baris {
        #[sqlx(flatten)]
        dokumen: Dokumen,
        desa_kode: String,
        dokumen_terakhir: Option<DokumenId>,
    }
    let sql = format!(
        "SELECT k.id, k.perangkat_id, k.jenis, k.sha256, k.ukuran, k.mime, k.nama_asli, k.diunggah_pada, k.diunggah_oleh,
                p.desa_kode, t.dokumen_terakhir
         FROM dokumen k JOIN perangkat p ON p.id = k.perangkat_id
         LEFT JOIN perangkat_tersimpan t ON t.perangkat_id = k.perangkat_id
         WHERE k.id = $1 AND {}",
        akun.cakupan.syarat("p.desa_kode", 2)
    );
    let row: Option<Baris> = crate::read!(db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(akun.cakupan.pola())
        .fetch_optional(c)
        .await?
    });
    let Baris {
        dokumen: d,
        desa_kode,
        dokumen_terakhir,
    } = row.ok_or(AppError::TidakDitemukan)?;
    if !boleh_ubah(akun, &desa_kode) && dokumen_terakhir.is_none_or(|terakhir| d.id > terakhir) {
        return Err(AppError::TidakDitemukan);
    }
    let isi = simpanan.baca(&d.sha256).await?;
    let mut tx = db.begin().await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::DokumenDiunduh,
        &format!("dokumen:{id}"),
        json!({ "perangkat": d.perangkat_id }),
    )
    .await?;
    tx.commit().await?;
    Ok((d, isi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kenali_dari_isi() {
        assert_eq!(kenali(b"%PDF-1.4 ..."), Some(Jenis::Pdf));
        assert_eq!(kenali(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Jenis::Jpeg));
        assert_eq!(kenali(b"\x89PNG\r\n\x1a\nxxxx"), Some(Jenis::Png));
        assert_eq!(kenali(b"<html><script>"), None);
        assert_eq!(kenali(b""), None);
        assert_eq!(
            periksa(b"%PDF-1.4 bukan pdf"),
            Err(Tolak::Rusak(periksa(b"%PDF-x").unwrap_err_rusak()))
        );
    }

    trait Pesan {
        fn unwrap_err_rusak(self) -> String;
    }
    impl Pesan for Result<Jenis, Tolak> {
        fn unwrap_err_rusak(self) -> String {
            match self {
                Err(Tolak::Rusak(m)) => m,
                _ => panic!("expected Rusak"),
            }
        }
    }

    #[test]
    fn nama_unduhan_aman() {
        assert_eq!(nama_aman("../../etc/passwd.pdf", Jenis::Pdf), "passwd.pdf");
        assert_eq!(nama_aman("SK Kaur\r\nX.html", Jenis::Png), "SK_Kaur__X.png");
        assert_eq!(nama_aman("", Jenis::Jpeg), "dokumen.jpg");
        assert_eq!(bersihkan_nama_asli("a\u{202E}fdp.exe\0"), "afdp.exe");
    }
}
