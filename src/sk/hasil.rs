//! The result of the machine's check of one record (`pencocokan`): its current SK pengangkatan
//! (the latest one uploaded) read by the queue, compared with the record's values.
//!
//! The stored result belongs to the working values and is keyed by what was compared
//! (`sidik_data`, the SHA-256 of the [`Entri`]): it is recomputed after every committed change
//! ([`segarkan`]) and, cheaply, on read when the values no longer match. Each change of the
//! summary ("7 dari 8 cocok") is written to the record's Riwayat. Those who see saved data only
//! (Kepala Desa, kecamatan) get the saved version compared with the SK of the saved version.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::cocok::{self, Entri, Hasil as HasilCocok, HasilMedan, Medan};
use crate::akun::Akun;
use crate::db::Db;
use crate::desa::jabatan::Jabatan;
use crate::desa::{self, Desa};
use crate::error::{AppError, Hasil};
use crate::id::{DokumenId, PerangkatId};
use crate::kode::Kode;
use crate::kode_enum;
use crate::perangkat::aturan::Peringatan;
use crate::perangkat::data::{Data, tanggal};
use crate::perangkat::{self, boleh_ubah, nik};

/// Changes when what is compared, or how, changes: every stored result is then recomputed.
const VERSI_SIDIK: &str = super::cocok::VERSI;

kode_enum!(
    /// Where the reading of an SK stands.
    StatusBacaan {
        Menunggu => "menunggu", "Menunggu dibaca";
        Diproses => "diproses", "Sedang dibaca";
        Selesai => "selesai", "Selesai dibaca";
        TidakTersedia => "tidak_tersedia", "Pembacaan mesin tidak tersedia";
        Gagal => "gagal", "Gagal dibaca";
    }
);

/// The names an SK may use for the position, the desa's own name first.
pub fn nama_jabatan(j: Jabatan, desa: &Desa) -> Vec<String> {
    let mut v = vec![desa.nama_jabatan(j), j.nama().to_string()];
    let pendek: &[&str] = match j {
        Jabatan::KepalaDesa => &["Kades"],
        Jabatan::SekretarisDesa => &["Sekdes", "Carik"],
        Jabatan::KaurTuUmum => &["Kaur Tata Usaha dan Umum", "Kaur TU dan Umum", "Kaur TU Umum"],
        Jabatan::KaurKeuangan => &["Kaur Keuangan"],
        Jabatan::KaurPerencanaan => &["Kaur Perencanaan"],
        Jabatan::KaurUmumPerencanaan => &["Kaur Umum dan Perencanaan"],
        Jabatan::KasiPemerintahan => &["Kasi Pemerintahan"],
        Jabatan::KasiKesejahteraan => &["Kasi Kesejahteraan"],
        Jabatan::KasiPelayanan => &["Kasi Pelayanan"],
        Jabatan::KasiKesejahteraanPelayanan => &["Kasi Kesejahteraan dan Pelayanan"],
        Jabatan::KepalaDusun => &["Kadus", "Kepala Wilayah"],
        Jabatan::Staf => &[],
    };
    v.extend(pendek.iter().map(|s| s.to_string()));
    let mut lihat = std::collections::HashSet::new();
    v.retain(|s| lihat.insert(s.to_lowercase()));
    v
}

/// What the SK should state, from the record's values and its desa.
pub fn entri(d: &Data, desa: &Desa) -> Entri {
    let jabatan = d.jabatan_enum().map(|j| nama_jabatan(j, desa)).unwrap_or_default();
    Entri {
        nama: d.nama.clone(),
        gelar_depan: d.gelar_depan.clone(),
        gelar_belakang: d.gelar_belakang.clone(),
        nik: d.nik.clone(),
        tempat_lahir: d.tempat_lahir.clone(),
        tanggal_lahir: tanggal(&d.tanggal_lahir),
        dusun: if d.jabatan_enum() == Some(Jabatan::KepalaDusun) {
            d.dusun.clone()
        } else {
            String::new()
        },
        jabatan,
        nomor_sk: d.nomor_sk_pengangkatan.clone(),
        tanggal_sk: tanggal(&d.tanggal_sk_pengangkatan),
        tmt: tanggal(&d.tmt),
    }
}

/// The SHA-256 of what is compared.
pub fn sidik(e: &Entri) -> String {
    let tgl = |d: Option<time::Date>| d.map(crate::perangkat::data::iso).unwrap_or_default();
    let bagian = [
        VERSI_SIDIK.to_string(),
        e.nama.clone(),
        e.gelar_depan.clone(),
        e.gelar_belakang.clone(),
        e.nik.clone(),
        e.tempat_lahir.clone(),
        tgl(e.tanggal_lahir),
        e.jabatan.join("\u{1e}"),
        e.dusun.clone(),
        e.nomor_sk.clone(),
        tgl(e.tanggal_sk),
        tgl(e.tmt),
    ];
    hex::encode(Sha256::digest(bagian.join("\u{1f}").as_bytes()))
}

/// "7 dari 8 cocok".
pub fn ringkasan(medan: &[HasilMedan]) -> String {
    let cocok = medan.iter().filter(|m| m.hasil == HasilCocok::Cocok).count();
    format!("{cocok} dari {} cocok", medan.len())
}

/// One field as the API shows it (the OpenAPI schema of [`HasilMedan`]).
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct MedanJson {
    #[schema(schema_with = skema_medan)]
    field: String,
    nilai: String,
    #[schema(schema_with = skema_hasil)]
    hasil: String,
    teks_sk: Option<String>,
    skor: f64,
}

/// The machine's check of a record, as the API and the pages show it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Pencocokan {
    #[schema(schema_with = skema_status)]
    pub status: StatusBacaan,
    #[schema(schema_with = skema_sumber)]
    pub sumber: Option<&'static str>,
    #[schema(value_type = Option<i64>)]
    pub dokumen_id: Option<DokumenId>,
    pub sha256: Option<String>,
    #[schema(value_type = Vec<MedanJson>)]
    pub medan: Vec<HasilMedan>,
    pub halaman_selesai: i64,
    pub halaman_total: i64,
    pub pesan: String,
    /// "7 dari 8 cocok" when the SK was read.
    pub ringkasan: Option<String>,
}

/// The OpenAPI schema of a coded value that is never empty.
fn skema_kode_wajib<K: Kode>() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(K::SEMUA.iter().map(|k| k.kode())))
        .build()
}

fn skema_medan() -> utoipa::openapi::schema::Object {
    skema_kode_wajib::<Medan>()
}

fn skema_hasil() -> utoipa::openapi::schema::Object {
    skema_kode_wajib::<HasilCocok>()
}

fn skema_status() -> utoipa::openapi::schema::Object {
    skema_kode_wajib::<StatusBacaan>()
}

fn skema_sumber() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::String,
            Type::Null,
        ]))
        .enum_values(Some(["teks_pdf", "ocr"]))
        .build()
}

impl Pencocokan {
    /// Still being read (the page keeps its status box current, assets/mesin.js).
    pub fn berjalan(&self) -> bool {
        matches!(self.status, StatusBacaan::Menunggu | StatusBacaan::Diproses)
    }

    pub fn selesai(&self) -> bool {
        self.status == StatusBacaan::Selesai
    }

    /// The result of one field, if it was compared.
    pub fn medan_untuk(&self, kolom: &str) -> Option<&HasilMedan> {
        self.medan.iter().find(|m| m.field.kode() == kolom)
    }

    /// The fields that are close but different.
    pub fn mirip(&self) -> Vec<&HasilMedan> {
        self.medan.iter().filter(|m| m.hasil == HasilCocok::Mirip).collect()
    }

    /// Each `mirip` as a warning of the record (`sk_berbeda`), in plain words.
    pub fn peringatan(&self) -> Vec<Peringatan> {
        peringatan_dari(&self.medan)
    }

    /// The NIK masked for a role that sees it masked (in the entered value and the SK's text).
    fn untuk(mut self, akun: &Akun) -> Pencocokan {
        if !akun.lihat_nik_utuh() {
            self.medan = samarkan_nik(self.medan);
        }
        self
    }
}

/// Each `mirip` as a warning (`sk_berbeda`): "Nama pada SK: 'Ahmad Fauzi'; yang diisi: 'Ahmad Fauzan'."
pub fn peringatan_dari(medan: &[HasilMedan]) -> Vec<Peringatan> {
    medan
        .iter()
        .filter(|m| m.hasil == HasilCocok::Mirip)
        .map(|m| Peringatan {
            kode: "sk_berbeda",
            field: Some(m.field.kode()),
            pesan: format!(
                "{} pada SK: '{}'; yang diisi: '{}'.",
                m.field.label(),
                m.teks_sk.as_deref().unwrap_or(""),
                m.nilai
            ),
        })
        .collect()
}

/// The NIK of a result masked, in the entered value and in the SK's text.
pub fn samarkan_nik(mut medan: Vec<HasilMedan>) -> Vec<HasilMedan> {
    for m in medan.iter_mut().filter(|m| m.field == Medan::Nik) {
        m.nilai = nik::samarkan(&m.nilai);
        m.teks_sk = m.teks_sk.as_deref().map(samarkan_angka);
    }
    medan
}

/// Masks a NIK as the SK writes it (with spaces or dots) as the record masks it: only the first
/// four digits (the kabupaten, known from the desa) stay. Keeping the last four as well
/// showed the serial, the one part that cannot be derived (issue 15, point 1).
pub fn samarkan_angka(s: &str) -> String {
    let mut i = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                i += 1;
                if i > 4 { '*' } else { c }
            } else {
                c
            }
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct Bacaan {
    status: StatusBacaan,
    sumber: Option<String>,
    halaman_selesai: i64,
    halaman_total: i64,
    teks: Option<String>,
    pesan: String,
}

#[derive(sqlx::FromRow)]
struct Tersimpan {
    dokumen_id: DokumenId,
    sha256: String,
    sidik_data: String,
    hasil: String,
}

/// The record's current SK pengangkatan (the latest uploaded; with `sampai`, the latest up to
/// that document).
async fn sk_terakhir(db: &Db, id: PerangkatId, sampai: Option<DokumenId>) -> Hasil<Option<(DokumenId, String)>> {
    let r = crate::read!(db, c => {
        sqlx::query_as(
            "SELECT id, sha256 FROM dokumen WHERE perangkat_id = $1 AND jenis = 'sk_pengangkatan' AND id <= $2
             ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .bind(sampai.unwrap_or(DokumenId(i64::MAX)))
        .fetch_optional(c)
        .await?
    });
    Ok(r)
}

async fn bacaan(db: &Db, sha: &str) -> Hasil<Option<Bacaan>> {
    let r = crate::read!(db, c => {
        sqlx::query_as(
            "SELECT status, sumber, halaman_selesai, halaman_total, teks, pesan FROM sk_bacaan WHERE sha256 = $1",
        )
        .bind(sha)
        .fetch_optional(c)
        .await?
    });
    Ok(r)
}

async fn tersimpan(db: &Db, id: PerangkatId) -> Hasil<Option<Tersimpan>> {
    let r = crate::read!(db, c => {
        sqlx::query_as("SELECT dokumen_id, sha256, sidik_data, hasil FROM pencocokan WHERE perangkat_id = $1")
            .bind(id)
            .fetch_optional(c)
            .await?
    });
    Ok(r)
}

/// Builds the check of `data` against the SK `sk`, using the stored result when it is the same
/// comparison.
fn susun(sk: Option<(DokumenId, String)>, b: Option<Bacaan>, e: &Entri, simpan: Option<&Tersimpan>) -> Pencocokan {
    let Some((dokumen_id, sha)) = sk else {
        return Pencocokan {
            status: StatusBacaan::TidakTersedia,
            sumber: None,
            dokumen_id: None,
            sha256: None,
            medan: vec![],
            halaman_selesai: 0,
            halaman_total: 0,
            pesan: "SK pengangkatan belum diunggah; mesin belum dapat mencocokkan data dengan SK.".into(),
            ringkasan: None,
        };
    };
    let b = b.unwrap_or(Bacaan {
        status: StatusBacaan::Menunggu,
        sumber: None,
        halaman_selesai: 0,
        halaman_total: 0,
        teks: None,
        pesan: String::new(),
    });
    let sumber = b.sumber.as_deref().and_then(super::Sumber::parse);
    let medan = match b.status {
        StatusBacaan::Menunggu | StatusBacaan::Diproses => vec![],
        StatusBacaan::Selesai => {
            let sama = simpan.filter(|t| t.dokumen_id == dokumen_id && t.sha256 == sha && t.sidik_data == sidik(e));
            match sama.and_then(|t| serde_json::from_str::<Vec<HasilMedan>>(&t.hasil).ok()) {
                Some(m) => m,
                None => cocok::cocokkan(
                    &b.teks.as_deref().unwrap_or("").replace(super::PEMISAH_HALAMAN, "\n"),
                    sumber == Some(super::Sumber::Ocr),
                    e,
                ),
            }
        }
        // No usable text: every entered field unreadable.
        StatusBacaan::TidakTersedia | StatusBacaan::Gagal => cocok::cocokkan("", false, e),
    };
    let ringkasan = (b.status == StatusBacaan::Selesai).then(|| ringkasan(&medan));
    let pesan = match b.status {
        StatusBacaan::TidakTersedia if b.pesan.is_empty() => {
            "Pembacaan mesin memerlukan Tesseract OCR di server.".into()
        }
        StatusBacaan::Gagal if b.pesan.is_empty() => "SK tidak dapat dibaca mesin.".into(),
        _ => b.pesan,
    };
    Pencocokan {
        status: b.status,
        sumber: sumber.map(super::Sumber::kode),
        dokumen_id: Some(dokumen_id),
        sha256: Some(sha),
        medan,
        halaman_selesai: b.halaman_selesai,
        halaman_total: b.halaman_total,
        pesan,
        ringkasan,
    }
}

/// The words of a Riwayat entry: "Dicek mesin: 7 dari 8 cocok. Mirip: Nama, TMT."
pub fn catatan_riwayat(medan: &[HasilMedan]) -> String {
    let mut s = format!("Dicek mesin: {}.", ringkasan(medan));
    let mirip: Vec<&str> = medan
        .iter()
        .filter(|m| m.hasil == HasilCocok::Mirip)
        .map(|m| m.field.label())
        .collect();
    if !mirip.is_empty() {
        s.push_str(&format!(" Mirip: {}.", mirip.join(", ")));
    }
    s
}

/// Recomputes and stores the check of a record's working values when its SK has been read and
/// the stored result is not about the same SK and values. Writes a Riwayat entry when the
/// summary changes. Called after every committed change and by the queue; no scope (the caller
/// has checked it, or is the system).
pub async fn segarkan(db: &Db, id: PerangkatId, sekarang: i64) -> Hasil<()> {
    let sistem = Akun::sistem("sistem");
    let p = match perangkat::ambil(db, &sistem, id).await {
        Ok(p) => p,
        Err(AppError::TidakDitemukan) => return Ok(()),
        Err(e) => return Err(e),
    };
    let Some((dokumen_id, sha)) = sk_terakhir(db, id, None).await? else {
        return Ok(());
    };
    let Some(b) = bacaan(db, &sha).await?.filter(|b| b.status == StatusBacaan::Selesai) else {
        return Ok(());
    };
    let desa = desa::ambil(db, &sistem, &p.desa_kode).await?;
    let e = entri(&p.data, &desa);
    let s = sidik(&e);
    let lama = tersimpan(db, id).await?;
    if lama
        .as_ref()
        .is_some_and(|t| t.dokumen_id == dokumen_id && t.sha256 == sha && t.sidik_data == s)
    {
        return Ok(());
    }
    let hasil = susun(Some((dokumen_id, sha.clone())), Some(b), &e, None);
    let json = serde_json::to_string(&hasil.medan).map_err(anyhow::Error::from)?;
    let cocok = hasil.medan.iter().filter(|m| m.hasil == HasilCocok::Cocok).count() as i64;
    let catatan = catatan_riwayat(&hasil.medan);
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        // Inside the write transaction (writers take turns): another writer may have stored
        // the same result meanwhile.
        let sebelum: Option<(DokumenId, String, String, String)> = sqlx::query_as(
            "SELECT dokumen_id, sha256, sidik_data, hasil FROM pencocokan WHERE perangkat_id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
        if sebelum.as_ref().is_some_and(|(d, h, si, _)| *d == dokumen_id && *h == sha && *si == s) {
            return Ok(());
        }
        let catatan_lama = sebelum
            .as_ref()
            .and_then(|(_, _, _, h)| serde_json::from_str::<Vec<HasilMedan>>(h).ok())
            .map(|m| catatan_riwayat(&m));
        sqlx::query(
            "INSERT INTO pencocokan (perangkat_id, dokumen_id, sha256, sidik_data, hasil, jumlah_cocok, jumlah_medan, dihitung_pada)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (perangkat_id) DO UPDATE SET dokumen_id = EXCLUDED.dokumen_id, sha256 = EXCLUDED.sha256,
                 sidik_data = EXCLUDED.sidik_data, hasil = EXCLUDED.hasil, jumlah_cocok = EXCLUDED.jumlah_cocok,
                 jumlah_medan = EXCLUDED.jumlah_medan, dihitung_pada = EXCLUDED.dihitung_pada",
        )
        .bind(id)
        .bind(dokumen_id)
        .bind(&sha)
        .bind(&s)
        .bind(&json)
        .bind(cocok)
        .bind(hasil.medan.len() as i64)
        .bind(sekarang)
        .execute(&mut *c)
        .await?;
        if catatan_lama.as_deref() != Some(catatan.as_str()) {
            sqlx::query(
                "INSERT INTO riwayat (perangkat_id, waktu, username, aksi, catatan, perubahan) VALUES ($1, $2, 'sistem', 'dicek_mesin', $3, '[]')",
            )
            .bind(id)
            .bind(sekarang)
            .bind(&catatan)
            .execute(&mut *c)
            .await?;
        }
    });
    tx.commit().await?;
    Ok(())
}

/// After a reading: the check of every record whose current SK has this content.
pub async fn hitung_untuk_sha(db: &Db, sha: &str, sekarang: i64) -> Hasil<()> {
    let ids: Vec<PerangkatId> = crate::read!(db, c => {
        sqlx::query_scalar(
            "SELECT k.perangkat_id FROM dokumen k
             WHERE k.sha256 = $1 AND k.jenis = 'sk_pengangkatan'
               AND k.id = (SELECT MAX(k2.id) FROM dokumen k2 WHERE k2.perangkat_id = k.perangkat_id AND k2.jenis = 'sk_pengangkatan')",
        )
        .bind(sha)
        .fetch_all(c)
        .await?
    });
    for id in ids {
        segarkan(db, id, sekarang).await?;
    }
    Ok(())
}

/// The check of a record as `akun` may see it (404 outside the scope, as every record route):
/// editors the working values and the latest SK (recomputed and stored when stale), others the
/// saved version and the SK of the saved version (never stored). The NIK masked for those who
/// see it masked.
pub async fn untuk(db: &Db, akun: &Akun, id: PerangkatId, sekarang: i64) -> Hasil<Pencocokan> {
    let kerja = match perangkat::ambil(db, akun, id).await {
        Ok(p) if boleh_ubah(akun, &p.desa_kode) => Some(p),
        Ok(_) | Err(AppError::TidakDitemukan) => None,
        Err(e) => return Err(e),
    };
    let (data, desa_kode, sampai) = match kerja {
        Some(p) => {
            segarkan(db, id, sekarang).await?;
            (p.data, p.desa_kode, None)
        }
        None => {
            let t = perangkat::ambil_tersimpan(db, akun, id)
                .await?
                .ok_or(AppError::TidakDitemukan)?;
            (t.data, t.desa_kode, Some(t.dokumen_terakhir))
        }
    };
    let desa = desa::ambil(db, akun, &desa_kode).await?;
    let e = entri(&data, &desa);
    let sk = sk_terakhir(db, id, sampai).await?;
    let b = match &sk {
        Some((_, sha)) => bacaan(db, sha).await?,
        None => None,
    };
    let simpan = tersimpan(db, id).await?;
    Ok(susun(sk, b, &e, simpan.as_ref()).untuk(akun))
}

/// The summaries of the records of a list (stored results only: cheap), by record.
pub async fn ringkasan_daftar(db: &Db, id: &[PerangkatId]) -> Hasil<std::collections::HashMap<PerangkatId, String>> {
    let mut m = std::collections::HashMap::new();
    if id.is_empty() {
        return Ok(m);
    }
    let daftar = id.iter().map(|i| i.0.to_string()).collect::<Vec<_>>().join(", ");
    let sql =
        format!("SELECT perangkat_id, jumlah_cocok, jumlah_medan FROM pencocokan WHERE perangkat_id IN ({daftar})");
    let rows: Vec<(PerangkatId, i64, i64)> = crate::read!(db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await?
    });
    for (p, c, n) in rows {
        m.insert(p, format!("Dicek mesin: {c} dari {n} cocok"));
    }
    Ok(m)
}
