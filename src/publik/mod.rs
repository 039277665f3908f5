//! The public register (issue 19; UU 14/2008, Keterbukaan Informasi Publik): who holds which
//! office in each desa, for the citizen, the journalist and the desa's own website, without a
//! login.
//!
//! What is public is decided here, once, by what the queries read: the *saved* version of each
//! active official (`perangkat_tersimpan`, never the row being worked on) and of it only the
//! titles, the name, the position (+ dusun), the kind of assignment (definitif / Plt / Pj / Plh)
//! and the month and year of its TMT; the photo of the saved version unless it is hidden. No
//! NIK, NIP, birth date, address, phone, religion, note or document ever enters a value of this
//! module, so no page, JSON, CSV, widget or ETag built from it can carry one.
//!
//! A kecamatan turns its register on (the kecamatan role or the admin); while it is off, its
//! desa are not found. Each answer carries the version of the data it was built from (the last
//! change of saved data in the desa, of its settings, of a photo's visibility and of the
//! register's switch): [`Tembolok`] keeps the built register per version, so a crawler costs
//! one small query per request, and the faces answer `If-None-Match` with 304.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::Date;

use crate::akun::Akun;
use crate::akun::izin::{self, Tindakan};
use crate::audit;
use crate::db::Db;
use crate::desa::jabatan::{Jabatan, SEMUA_JABATAN};
use crate::desa::{self, Desa};
use crate::error::{AppError, Hasil};
use crate::id::{DokumenId, PerangkatId};
use crate::kode::Kode;
use crate::perangkat::kode::StatusJabatan;

/// Changes when what this module builds from the same data changes (a new field, a new order):
/// part of every ETag, so that no cache keeps an answer of an older build.
const FORMAT: &str = "1";

/// An official as the public sees them.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Pejabat {
    /// "Drs. Ahmad Fauzi, S.Pd."
    pub nama: String,
    pub gelar_depan: String,
    pub nama_tanpa_gelar: String,
    pub gelar_belakang: String,
    /// definitif, plt, pj or plh.
    pub status_jabatan: String,
    /// "Pelaksana Tugas (Plt.)".
    pub status_jabatan_label: String,
    /// The position as the desa calls it, with the prefix of an acting assignment: "Plt. Sekretaris Desa".
    pub jabatan_nama: String,
    /// Month of the TMT, "YYYY-MM" ("" when unknown).
    pub sejak: String,
    /// "Maret 2023".
    pub sejak_label: String,
    /// The address of the photo on the public register, when there is one to show.
    pub foto: Option<String>,
    #[serde(skip)]
    pub perangkat_id: PerangkatId,
}

/// A position of the desa's structure (or one outside it that an official holds).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Posisi {
    /// The catalogue code: kepala_desa, sekretaris_desa, kaur_keuangan, kepala_dusun, staf, …
    pub jabatan: String,
    /// The name as this desa calls it: "Pembakal", "Kepala Dusun Mekar".
    pub nama: String,
    pub dusun: Option<String>,
    /// Definitive holders first, then acting ones.
    pub pejabat: Vec<Pejabat>,
    /// No definitive holder: the position is vacant (an acting official may carry it).
    pub lowong: bool,
    /// Whether the position belongs to the desa's structure (false: a position outside it,
    /// such as Staf).
    pub struktur: bool,
}

/// The public register of one desa.
#[derive(Clone, Debug, Serialize)]
pub struct RegisterDesa {
    pub kode: String,
    pub nama: String,
    pub kecamatan_kode: String,
    pub kecamatan_nama: String,
    pub kabupaten_nama: String,
    pub provinsi_nama: String,
    pub sebutan_kepala_desa: String,
    pub posisi: Vec<Posisi>,
    pub jumlah_pejabat: usize,
    pub jumlah_lowong: usize,
    /// Unix time of the last change of the public data.
    #[serde(skip)]
    pub diperbarui: i64,
    #[serde(skip)]
    pub etag: String,
}

/// One desa on the kecamatan's public page.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RingkasDesa {
    pub kode: String,
    pub nama: String,
    pub jumlah_pejabat: usize,
    pub jumlah_lowong: usize,
    /// The names of the vacant positions.
    pub lowongan: Vec<String>,
    /// The Kepala Desa (or who carries the office), "" when vacant.
    pub kepala_desa: String,
}

/// The public register of one kecamatan: its desa with counts and vacancies.
#[derive(Clone, Debug, Serialize)]
pub struct RegisterKecamatan {
    pub kode: String,
    pub nama: String,
    pub kabupaten_nama: String,
    pub provinsi_nama: String,
    pub desa: Vec<RingkasDesa>,
    pub jumlah_pejabat: usize,
    pub jumlah_lowong: usize,
    #[serde(skip)]
    pub diperbarui: i64,
    #[serde(skip)]
    pub etag: String,
}

/// A kecamatan whose register is public, for the index page.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct KecamatanPublik {
    pub kode: String,
    pub nama: String,
    pub kabupaten_nama: String,
}

/// The version of a desa's public data: everything the register is built from moves it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
struct VersiDesa {
    publik: bool,
    kecamatan_kode: String,
    publik_kecamatan: i64,
    diubah_pada: i64,
    publik_desa: i64,
    perubahan_id: i64,
    perubahan_waktu: i64,
}

impl VersiDesa {
    fn etag(&self, kode: &str) -> String {
        etag(&format!(
            "desa|{FORMAT}|{kode}|{}|{}|{}|{}",
            self.publik_kecamatan, self.diubah_pada, self.publik_desa, self.perubahan_id
        ))
    }

    fn diperbarui(&self) -> i64 {
        self.perubahan_waktu.max(self.diubah_pada).max(self.publik_desa)
    }
}

fn etag(isi: &str) -> String {
    let h = Sha256::digest(isi.as_bytes());
    format!("\"{}\"", &hex::encode(h)[..24])
}

/// The built registers, per version. Shared by every request of one server; each request
/// still asks the database for the current version, so several servers on one database never
/// serve a stale register.
#[derive(Clone, Default)]
pub struct Tembolok {
    desa: Arc<Mutex<HashMap<String, Arc<RegisterDesa>>>>,
    kecamatan: Arc<Mutex<HashMap<String, Arc<RegisterKecamatan>>>>,
    foto: Arc<Mutex<HashMap<String, bytes::Bytes>>>,
}

/// Entries kept per map before it is emptied (a crude bound: a province has ~2,000 desa).
const BATAS_TEMBOLOK: usize = 4096;
/// Photos kept (each a few tens of KB).
const BATAS_FOTO: usize = 512;

fn simpan<V: Clone>(m: &Mutex<HashMap<String, V>>, k: &str, v: V, batas: usize) {
    let mut m = m.lock().unwrap_or_else(|e| e.into_inner());
    if m.len() >= batas {
        m.clear();
    }
    m.insert(k.to_string(), v);
}

fn ambil_tembolok<V: Clone>(m: &Mutex<HashMap<String, V>>, k: &str) -> Option<V> {
    m.lock().unwrap_or_else(|e| e.into_inner()).get(k).cloned()
}

const SQL_VERSI_DESA: &str = "SELECT k.publik, k.kode AS kecamatan_kode, k.publik_diubah_pada AS publik_kecamatan,
        d.diubah_pada, d.publik_diubah_pada AS publik_desa,
        COALESCE((SELECT MAX(p.id) FROM perubahan p WHERE p.desa_kode = d.kode), 0) AS perubahan_id,
        COALESCE((SELECT p.waktu FROM perubahan p WHERE p.desa_kode = d.kode ORDER BY p.id DESC LIMIT 1), 0) AS perubahan_waktu
    FROM desa d JOIN kecamatan k ON k.kode = d.kecamatan_kode WHERE d.kode = $1";

async fn versi_desa(db: &Db, kode: &str) -> Hasil<Option<VersiDesa>> {
    let v: Option<VersiDesa> = crate::read!(db, c => {
        sqlx::query_as(SQL_VERSI_DESA).bind(kode).fetch_optional(c).await?
    });
    Ok(v.filter(|v| v.publik))
}

/// The public register of a desa; `None` when the desa is unknown or its kecamatan's register
/// is off.
pub async fn desa(db: &Db, tembolok: &Tembolok, kode: &str) -> Hasil<Option<Arc<RegisterDesa>>> {
    let Some(v) = versi_desa(db, kode).await? else {
        return Ok(None);
    };
    let tag = v.etag(kode);
    if let Some(r) = ambil_tembolok(&tembolok.desa, kode).filter(|r| r.etag == tag) {
        return Ok(Some(r));
    }
    let Some(d) = desa_publik(db, kode).await? else {
        return Ok(None);
    };
    let dusun = desa::dusun(db, kode).await?;
    let baris = pejabat_aktif(db, Some(kode), None).await?;
    let mut r = susun(&d, &dusun, &baris);
    r.diperbarui = v.diperbarui();
    r.etag = tag;
    let r = Arc::new(r);
    simpan(&tembolok.desa, kode, r.clone(), BATAS_TEMBOLOK);
    Ok(Some(r))
}

/// The desa row, read without a user: the public register is not scoped, it is public.
async fn desa_publik(db: &Db, kode: &str) -> Hasil<Option<Desa>> {
    let d: Option<Desa> = crate::read!(db, c => {
        sqlx::query_as::<_, Desa>(sqlx::AssertSqlSafe(format!("{} WHERE d.kode = $1", desa::SELECT)))
            .bind(kode)
            .fetch_optional(c)
            .await?
    });
    Ok(d)
}

#[derive(Clone, Debug, sqlx::FromRow)]
struct BarisPejabat {
    perangkat_id: PerangkatId,
    desa_kode: String,
    nama: String,
    gelar_depan: String,
    gelar_belakang: String,
    jabatan: String,
    dusun: String,
    status_jabatan: String,
    tmt: String,
    foto: Option<DokumenId>,
    foto_disembunyikan: bool,
}

/// The active officials (saved version) of one desa or of a kecamatan's desa, and only the
/// public columns of them.
async fn pejabat_aktif(db: &Db, desa_kode: Option<&str>, kecamatan_kode: Option<&str>) -> Hasil<Vec<BarisPejabat>> {
    let syarat = match (desa_kode, kecamatan_kode) {
        (Some(_), _) => "t.desa_kode = $1",
        (None, Some(_)) => "t.desa_kode IN (SELECT kode FROM desa WHERE kecamatan_kode = $1)",
        (None, None) => return Ok(Vec::new()),
    };
    let sql = format!(
        "SELECT t.perangkat_id, t.desa_kode, t.nama, t.gelar_depan, t.gelar_belakang, t.jabatan, t.dusun,
                t.status_jabatan, t.tmt,
                (SELECT MAX(o.id) FROM dokumen o
                  WHERE o.perangkat_id = t.perangkat_id AND o.jenis = 'foto' AND o.id <= t.dokumen_terakhir) AS foto,
                p.foto_disembunyikan
         FROM perangkat_tersimpan t JOIN perangkat p ON p.id = t.perangkat_id
         WHERE {syarat} AND t.tanggal_sk_pemberhentian = ''
         ORDER BY t.desa_kode, t.tmt, t.perangkat_id"
    );
    let kode = desa_kode.or(kecamatan_kode).unwrap_or_default();
    let rows: Vec<BarisPejabat> = crate::read!(db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(kode).fetch_all(c).await?
    });
    Ok(rows)
}

/// "2023-03-27" → ("2023-03", "Maret 2023").
fn bulan_tahun(tmt: &str) -> (String, String) {
    match Date::parse(tmt, &time::format_description::well_known::Iso8601::DATE) {
        Ok(d) => (
            format!("{:04}-{:02}", d.year(), d.month() as u8),
            format!("{} {}", crate::waktu::NAMA_BULAN[d.month() as usize - 1], d.year()),
        ),
        Err(_) => (String::new(), String::new()),
    }
}

fn nama_lengkap(b: &BarisPejabat) -> String {
    crate::perangkat::data::nama_bergelar(&b.gelar_depan, &b.nama, &b.gelar_belakang)
}

/// The address of an official's public photo.
pub fn alamat_foto(desa_kode: &str, id: PerangkatId) -> String {
    format!("/publik/desa/{desa_kode}/foto/{id}.jpg")
}

/// Builds the register of a desa from its structure and its active officials.
fn susun(d: &Desa, dusun: &[String], baris: &[BarisPejabat]) -> RegisterDesa {
    let mut posisi: Vec<Posisi> = d
        .posisi(dusun)
        .into_iter()
        .map(|p| Posisi {
            jabatan: p.jabatan.to_string(),
            nama: p.nama,
            dusun: p.dusun,
            pejabat: Vec::new(),
            lowong: true,
            struktur: true,
        })
        .collect();
    for b in baris.iter().filter(|b| b.desa_kode == d.kode) {
        let status = StatusJabatan::parse(&b.status_jabatan).unwrap_or(StatusJabatan::Definitif);
        let dusun_b = (b.jabatan == Jabatan::KepalaDusun.kode()).then(|| b.dusun.clone());
        let i = match posisi.iter().position(|p| {
            p.jabatan == b.jabatan && p.dusun.as_deref().unwrap_or("") == dusun_b.as_deref().unwrap_or("")
        }) {
            Some(i) => i,
            None => {
                let j = Jabatan::parse(&b.jabatan);
                let nama = match (j, &dusun_b) {
                    (Some(Jabatan::KepalaDusun), Some(du)) => desa::nama_kepala_dusun(&d.sebutan_kepala_dusun, du),
                    (Some(j), _) => d.nama_jabatan(j),
                    (None, _) => b.jabatan.clone(),
                };
                posisi.push(Posisi {
                    jabatan: b.jabatan.clone(),
                    nama,
                    dusun: dusun_b.clone(),
                    pejabat: Vec::new(),
                    lowong: false,
                    struktur: false,
                });
                posisi.len() - 1
            }
        };
        let (sejak, sejak_label) = bulan_tahun(&b.tmt);
        let p = &mut posisi[i];
        if status == StatusJabatan::Definitif {
            p.lowong = false;
        }
        p.pejabat.push(Pejabat {
            nama: nama_lengkap(b),
            gelar_depan: b.gelar_depan.clone(),
            nama_tanpa_gelar: b.nama.clone(),
            gelar_belakang: b.gelar_belakang.clone(),
            status_jabatan: status.kode().to_string(),
            status_jabatan_label: status.label().to_string(),
            jabatan_nama: format!("{}{}", status.awalan(), p.nama),
            sejak,
            sejak_label,
            foto: (b.foto.is_some() && !b.foto_disembunyikan).then(|| alamat_foto(&d.kode, b.perangkat_id)),
            perangkat_id: b.perangkat_id,
        });
    }
    // Positions outside the structure follow it in the catalogue's order.
    let urut = |kode: &str| {
        SEMUA_JABATAN
            .iter()
            .position(|j| j.kode() == kode)
            .unwrap_or(usize::MAX)
    };
    let (mut dalam, mut luar): (Vec<Posisi>, Vec<Posisi>) = posisi.into_iter().partition(|p| p.struktur);
    luar.sort_by(|a, b| urut(&a.jabatan).cmp(&urut(&b.jabatan)).then(a.dusun.cmp(&b.dusun)));
    dalam.append(&mut luar);
    for p in &mut dalam {
        p.pejabat
            .sort_by_key(|x| x.status_jabatan != StatusJabatan::Definitif.kode());
    }
    let jumlah_pejabat = dalam.iter().map(|p| p.pejabat.len()).sum();
    let jumlah_lowong = dalam.iter().filter(|p| p.struktur && p.lowong).count();
    RegisterDesa {
        kode: d.kode.clone(),
        nama: d.nama.clone(),
        kecamatan_kode: d.kecamatan_kode.clone(),
        kecamatan_nama: d.kecamatan_nama.clone(),
        kabupaten_nama: d.kabupaten_nama.clone(),
        provinsi_nama: d.provinsi_nama.clone(),
        sebutan_kepala_desa: d.sebutan_kepala_desa.clone(),
        posisi: dalam,
        jumlah_pejabat,
        jumlah_lowong,
        diperbarui: 0,
        etag: String::new(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
struct VersiKecamatan {
    publik: bool,
    nama: String,
    kabupaten_nama: String,
    provinsi_nama: String,
    publik_diubah_pada: i64,
    diubah_pada: i64,
    publik_desa: i64,
    jumlah_desa: i64,
    perubahan_id: i64,
}

/// The public register of a kecamatan; `None` when it is unknown or its register is off.
pub async fn kecamatan(db: &Db, tembolok: &Tembolok, kode: &str) -> Hasil<Option<Arc<RegisterKecamatan>>> {
    let v: Option<VersiKecamatan> = crate::read!(db, c => {
        sqlx::query_as(
            "SELECT k.publik, k.nama, k.kabupaten_nama, k.provinsi_nama, k.publik_diubah_pada,
                    COALESCE(MAX(d.diubah_pada), 0) AS diubah_pada,
                    COALESCE(MAX(d.publik_diubah_pada), 0) AS publik_desa,
                    COUNT(d.kode) AS jumlah_desa,
                    COALESCE(MAX((SELECT MAX(p.id) FROM perubahan p WHERE p.desa_kode = d.kode)), 0) AS perubahan_id
             FROM kecamatan k LEFT JOIN desa d ON d.kecamatan_kode = k.kode
             WHERE k.kode = $1
             GROUP BY k.kode, k.publik, k.nama, k.kabupaten_nama, k.provinsi_nama, k.publik_diubah_pada",
        )
        .bind(kode)
        .fetch_optional(c)
        .await?
    });
    let Some(v) = v.filter(|v| v.publik) else {
        return Ok(None);
    };
    let tag = etag(&format!(
        "kecamatan|{FORMAT}|{kode}|{}|{}|{}|{}|{}",
        v.publik_diubah_pada, v.diubah_pada, v.publik_desa, v.jumlah_desa, v.perubahan_id
    ));
    if let Some(r) = ambil_tembolok(&tembolok.kecamatan, kode).filter(|r| r.etag == tag) {
        return Ok(Some(r));
    }
    let semua: Vec<Desa> = crate::read!(db, c => {
        sqlx::query_as::<_, Desa>(sqlx::AssertSqlSafe(format!(
            "{} WHERE d.kecamatan_kode = $1 ORDER BY d.nama, d.kode",
            desa::SELECT
        )))
        .bind(kode)
        .fetch_all(c)
        .await?
    });
    let dusun: Vec<(String, String)> = crate::read!(db, c => {
        sqlx::query_as(
            "SELECT u.desa_kode, u.nama FROM dusun u JOIN desa d ON d.kode = u.desa_kode
             WHERE d.kecamatan_kode = $1 ORDER BY u.desa_kode, u.urutan, u.nama",
        )
        .bind(kode)
        .fetch_all(c)
        .await?
    });
    let baris = pejabat_aktif(db, None, Some(kode)).await?;
    let waktu: i64 = crate::read!(db, c => {
        sqlx::query_scalar(
            "SELECT COALESCE(MAX(p.waktu), 0) FROM perubahan p JOIN desa d ON d.kode = p.desa_kode
             WHERE d.kecamatan_kode = $1",
        )
        .bind(kode)
        .fetch_one(c)
        .await?
    });
    let desa: Vec<RingkasDesa> = semua
        .iter()
        .map(|d| {
            let du: Vec<String> = dusun
                .iter()
                .filter(|(k, _)| *k == d.kode)
                .map(|(_, n)| n.clone())
                .collect();
            let r = susun(d, &du, &baris);
            let kepala_desa = r
                .posisi
                .iter()
                .find(|p| p.jabatan == Jabatan::KepalaDesa.kode())
                .and_then(|p| p.pejabat.first())
                .map(|p| {
                    if p.status_jabatan == StatusJabatan::Definitif.kode() {
                        p.nama.clone()
                    } else {
                        format!("{} ({})", p.nama, p.jabatan_nama)
                    }
                })
                .unwrap_or_default();
            RingkasDesa {
                kode: d.kode.clone(),
                nama: d.nama.clone(),
                jumlah_pejabat: r.jumlah_pejabat,
                jumlah_lowong: r.jumlah_lowong,
                lowongan: r
                    .posisi
                    .iter()
                    .filter(|p| p.struktur && p.lowong)
                    .map(|p| p.nama.clone())
                    .collect(),
                kepala_desa,
            }
        })
        .collect();
    let r = Arc::new(RegisterKecamatan {
        kode: kode.to_string(),
        nama: v.nama.clone(),
        kabupaten_nama: v.kabupaten_nama.clone(),
        provinsi_nama: v.provinsi_nama.clone(),
        jumlah_pejabat: desa.iter().map(|d| d.jumlah_pejabat).sum(),
        jumlah_lowong: desa.iter().map(|d| d.jumlah_lowong).sum(),
        desa,
        diperbarui: waktu.max(v.diubah_pada).max(v.publik_desa),
        etag: tag,
    });
    simpan(&tembolok.kecamatan, kode, r.clone(), BATAS_TEMBOLOK);
    Ok(Some(r))
}

/// The kecamatan whose register is public.
pub async fn daftar_kecamatan(db: &Db) -> Hasil<Vec<KecamatanPublik>> {
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, KecamatanPublik>(
            "SELECT kode, nama, kabupaten_nama FROM kecamatan WHERE publik ORDER BY kabupaten_nama, nama",
        )
        .fetch_all(c)
        .await?
    });
    Ok(rows)
}

/// Largest side of a public photo, in pixels.
const SISI_FOTO: u32 = 360;

/// The public photo of an official: the photo of the saved version, re-encoded as a small JPEG
/// (which also drops whatever the original carried besides its pixels: EXIF, GPS position,
/// comments). `None` when the desa's register is off, the official is not an active official
/// of that desa, has no photo in the saved version, or has hidden it.
pub async fn foto(
    db: &Db,
    simpanan: &crate::dokumen::Penyimpanan,
    tembolok: &Tembolok,
    desa_kode: &str,
    id: PerangkatId,
) -> Hasil<Option<(bytes::Bytes, String)>> {
    let Some(r) = desa(db, tembolok, desa_kode).await? else {
        return Ok(None);
    };
    let Some(p) = r.posisi.iter().flat_map(|p| &p.pejabat).find(|p| p.perangkat_id == id) else {
        return Ok(None);
    };
    if p.foto.is_none() {
        return Ok(None);
    }
    let sha: Option<String> = crate::read!(db, c => {
        sqlx::query_scalar(
            "SELECT o.sha256 FROM dokumen o JOIN perangkat_tersimpan t ON t.perangkat_id = o.perangkat_id
             JOIN perangkat p ON p.id = t.perangkat_id
             WHERE o.perangkat_id = $1 AND t.desa_kode = $2 AND o.jenis = 'foto' AND o.id <= t.dokumen_terakhir
               AND t.tanggal_sk_pemberhentian = '' AND NOT p.foto_disembunyikan
             ORDER BY o.id DESC LIMIT 1",
        )
        .bind(id)
        .bind(desa_kode)
        .fetch_optional(c)
        .await?
    });
    let Some(sha) = sha else {
        return Ok(None);
    };
    let tag = etag(&format!("foto|{FORMAT}|{sha}|{SISI_FOTO}"));
    if let Some(b) = ambil_tembolok(&tembolok.foto, &sha) {
        return Ok(Some((b, tag)));
    }
    let asli = simpanan.baca(&sha).await?;
    let kecil = tokio::task::spawn_blocking(move || perkecil(&asli))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("foto: {e}")))??;
    simpan(&tembolok.foto, &sha, kecil.clone(), BATAS_FOTO);
    Ok(Some((kecil, tag)))
}

/// Decodes a JPEG or PNG and writes it again as a JPEG no larger than [`SISI_FOTO`].
fn perkecil(asli: &[u8]) -> Hasil<bytes::Bytes> {
    let mut r = image::ImageReader::new(std::io::Cursor::new(asli))
        .with_guessed_format()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("foto: {e}")))?;
    let mut batas = image::Limits::default();
    batas.max_image_width = Some(12_000);
    batas.max_image_height = Some(12_000);
    batas.max_alloc = Some(256 * 1024 * 1024);
    r.limits(batas);
    let g = r
        .decode()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("foto tidak dapat dibaca: {e}")))?;
    let g = if g.width() > SISI_FOTO || g.height() > SISI_FOTO {
        g.resize(SISI_FOTO, SISI_FOTO, image::imageops::FilterType::Triangle)
    } else {
        g
    };
    let rgb = g.to_rgb8();
    let mut keluar = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut keluar, 82)
        .encode_image(&rgb)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("foto: {e}")))?;
    Ok(bytes::Bytes::from(keluar))
}

/// May `akun` switch this kecamatan's register? 403 for a role that may not, 404 for a
/// kecamatan outside the scope.
pub fn boleh_atur(akun: &Akun, kecamatan_kode: &str) -> Hasil<()> {
    if !izin::boleh_peran(akun.peran, Tindakan::AturRegisterPublik) {
        return Err(AppError::Terlarang);
    }
    if !izin::boleh(akun, Tindakan::AturRegisterPublik, kecamatan_kode) {
        return Err(AppError::TidakDitemukan);
    }
    Ok(())
}

/// Turns a kecamatan's public register on or off (the kecamatan in its scope, or the admin).
pub async fn atur(db: &Db, akun: &Akun, kecamatan_kode: &str, aktif: bool, sekarang: i64) -> Hasil<()> {
    boleh_atur(akun, kecamatan_kode)?;
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        sqlx::query("UPDATE kecamatan SET publik = $1, publik_diubah_pada = $2 WHERE kode = $3")
            .bind(aktif)
            .bind(sekarang)
            .bind(kecamatan_kode)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(AppError::TidakDitemukan);
    }
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::RegisterPublikDiatur,
        &format!("kecamatan:{kecamatan_kode}"),
        json!({ "aktif": aktif }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A kecamatan in a user's scope and whether its register is public (the dashboard's switch).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StatusRegister {
    pub kode: String,
    pub nama: String,
    pub publik: bool,
}

/// The kecamatan in the user's scope with the state of their public register.
pub async fn status(db: &Db, akun: &Akun) -> Hasil<Vec<StatusRegister>> {
    let sql = format!(
        "SELECT k.kode, k.nama, k.publik FROM kecamatan k WHERE {} ORDER BY k.kode",
        akun.cakupan.syarat("k.kode", 1)
    );
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, StatusRegister>(sqlx::AssertSqlSafe(sql)).bind(akun.cakupan.pola()).fetch_all(c).await?
    });
    Ok(rows)
}

/// Whether a kecamatan's register is public (for the settings of those who may see it).
pub async fn aktif(db: &Db, kecamatan_kode: &str) -> Hasil<bool> {
    let v: Option<bool> = crate::read!(db, c => {
        sqlx::query_scalar("SELECT publik FROM kecamatan WHERE kode = $1")
            .bind(kecamatan_kode)
            .fetch_optional(c)
            .await?
    });
    Ok(v.unwrap_or(false))
}

/// Hides or shows an official's photo on the public register (those who may edit the desa's
/// records). Takes effect at once, without a new check against the SK: it changes no data.
pub async fn atur_foto(db: &Db, akun: &Akun, id: PerangkatId, tampil: bool, sekarang: i64) -> Hasil<()> {
    let p = crate::perangkat::boleh_tulis(db, akun, id).await?;
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("UPDATE perangkat SET foto_disembunyikan = $1 WHERE id = $2")
            .bind(!tampil)
            .bind(id)
            .execute(&mut *c)
            .await?;
        sqlx::query("UPDATE desa SET publik_diubah_pada = $1 WHERE kode = $2")
            .bind(sekarang)
            .bind(&p.desa_kode)
            .execute(&mut *c)
            .await?;
    });
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::FotoPublikDiatur,
        &format!("perangkat:{id}"),
        json!({ "desa": p.desa_kode, "tampil": tampil }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether an official's photo is hidden from the public register (for the record's page,
/// which has already checked the user's scope).
pub async fn foto_disembunyikan(db: &Db, id: PerangkatId) -> Hasil<bool> {
    let v: Option<bool> = crate::read!(db, c => {
        sqlx::query_scalar("SELECT foto_disembunyikan FROM perangkat WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await?
    });
    Ok(v.unwrap_or(false))
}

/// The CSV of a desa's register: one line per official, then one per vacant position.
pub fn csv_desa(r: &RegisterDesa) -> String {
    let mut s = String::from("kode_desa,desa,jabatan,nama_jabatan,dusun,status_jabatan,nama,sejak,lowong\r\n");
    for p in &r.posisi {
        for o in &p.pejabat {
            baris_csv(
                &mut s,
                &[
                    &r.kode,
                    &r.nama,
                    &p.jabatan,
                    &o.jabatan_nama,
                    p.dusun.as_deref().unwrap_or(""),
                    &o.status_jabatan,
                    &o.nama,
                    &o.sejak,
                    if p.lowong { "ya" } else { "tidak" },
                ],
            );
        }
        if p.pejabat.is_empty() {
            baris_csv(
                &mut s,
                &[
                    &r.kode,
                    &r.nama,
                    &p.jabatan,
                    &p.nama,
                    p.dusun.as_deref().unwrap_or(""),
                    "",
                    "",
                    "",
                    "ya",
                ],
            );
        }
    }
    s
}

/// The CSV of a kecamatan's register: one line per desa.
pub fn csv_kecamatan(r: &RegisterKecamatan) -> String {
    let mut s = String::from("kode_desa,desa,kepala_desa,jumlah_perangkat,jumlah_lowong,lowongan\r\n");
    for d in &r.desa {
        baris_csv(
            &mut s,
            &[
                &d.kode,
                &d.nama,
                &d.kepala_desa,
                &d.jumlah_pejabat.to_string(),
                &d.jumlah_lowong.to_string(),
                &d.lowongan.join(", "),
            ],
        );
    }
    s
}

/// One CSV line, its fields as the register's export writes them (quoted when needed; a value
/// that a spreadsheet would run as a formula is prefixed with `'`).
fn baris_csv(s: &mut String, kolom: &[&str]) {
    let sel: Vec<String> = kolom.iter().map(|k| crate::laporan::ekspor::sel_csv(k)).collect();
    s.push_str(&sel.join(","));
    s.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulan_tahun_dari_tmt() {
        assert_eq!(bulan_tahun("2023-03-27"), ("2023-03".into(), "Maret 2023".into()));
        assert_eq!(bulan_tahun(""), (String::new(), String::new()));
    }

    #[test]
    fn csv_tanpa_rumus() {
        let mut s = String::new();
        baris_csv(&mut s, &["=HYPERLINK(\"x\")", "Ahmad"]);
        assert_eq!(s, "\"'=HYPERLINK(\"\"x\"\")\",Ahmad\r\n");
    }
}
