//! Buku Aparat Pemerintah Desa (Permendagri 47/2016, Model A.4) as PDF, laid out by typst
//! embedded as a library. The data go in as JSON (`sys.inputs.data`); the template is compiled
//! into the binary with the fonts of typst-assets.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::akun::Akun;
use crate::db::Db;
use crate::desa::jabatan::Jabatan;
use crate::desa::{self, Desa};
use crate::error::{AppError, Hasil};
use crate::id::PerangkatId;
use crate::perangkat::data::{Data, tanggal, tanggal_id};
use crate::perangkat::kode::{Agama, Kode, Pendidikan, StatusJabatan, label_dari};
use crate::perangkat::medan::KOLOM;
use crate::waktu;

static TEMPLAT: &str = include_str!("templat/buku_aparat.typ");

/// One row of the book (columns 1–13).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BarisBuku {
    pub no: usize,
    pub nama: String,
    pub niap: String,
    pub nip: String,
    pub jenis_kelamin: String,
    pub ttl: String,
    pub agama: String,
    pub pangkat: String,
    pub jabatan: String,
    pub pendidikan: String,
    pub sk_angkat: String,
    pub sk_berhenti: String,
    pub keterangan: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Penanda {
    pub jabatan: String,
    pub nama: String,
}

/// The Kepala Desa's receipt, printed on an accepted report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Penerimaan {
    /// "Diterima oleh Pembakal Hauwai, Ahmad Fauzi, pada 27 Maret 2023, 14.05 WITA."
    pub teks: String,
    /// "K7M2-QX9P".
    pub kode: String,
    /// The public verification page.
    pub url: String,
    /// The QR code of `url` as SVG (made here, never from user input).
    pub qr: String,
}

/// Everything the template shows. Stored with the report as its snapshot.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DataBuku {
    pub judul: String,
    pub desa: String,
    pub kecamatan: String,
    pub kabupaten: String,
    /// The desa office's address for the letterhead (*Pengaturan Desa*); empty when not set,
    /// and in the snapshots of reports printed before it was printed.
    #[serde(default)]
    pub alamat: String,
    pub periode: i32,
    pub baris: Vec<BarisBuku>,
    pub ttd_kiri: Penanda,
    pub ttd_kanan: Penanda,
    pub tempat_tanggal: String,
    /// The report's number ("001/BAPD/63.11.02.2001/2026"); empty on a preview.
    pub nomor: String,
    #[serde(default)]
    pub penerimaan: Option<Penerimaan>,
}

fn urutan(j: Option<Jabatan>) -> u8 {
    match j {
        Some(Jabatan::KepalaDesa) => 1,
        Some(Jabatan::SekretarisDesa) => 2,
        Some(Jabatan::KepalaDusun) => 4,
        Some(Jabatan::Staf) => 5,
        _ => 3,
    }
}

/// Did the tenure overlap the year?
fn dalam_periode(d: &Data, tahun: i32) -> bool {
    let mulai = tanggal(&d.tmt).map(|t| t.year()).unwrap_or(i32::MIN);
    let selesai = tanggal(&d.tanggal_sk_pemberhentian)
        .map(|t| t.year())
        .unwrap_or(i32::MAX);
    mulai <= tahun && selesai >= tahun
}

fn nomor_tanggal(nomor: &str, tgl: &str) -> String {
    match (nomor.is_empty(), tgl.is_empty()) {
        (true, _) => String::new(),
        (false, true) => nomor.to_string(),
        (false, false) => format!("{nomor}\n{}", tanggal_id(tgl)),
    }
}

/// A saved tenure of the desa, with its record id (signers are chosen by it).
#[derive(sqlx::FromRow)]
struct Masa {
    perangkat_id: PerangkatId,
    #[sqlx(flatten)]
    data: Data,
}

fn penanda_dari(d: &Data, desa: &Desa) -> Penanda {
    Penanda {
        jabatan: format!("{} {}", d.nama_jabatan(desa), desa.nama),
        nama: d.nama_lengkap(),
    }
}

/// The default signer of a position: the active definitive holder, else an acting one (Pj./Plt.
/// shown as such); an empty line when the position is vacant.
fn penanda_bawaan(semua: &[Masa], desa: &Desa, j: Jabatan) -> Penanda {
    let aktif: Vec<&Data> = semua
        .iter()
        .map(|m| &m.data)
        .filter(|d| d.aktif() && d.jabatan_enum() == Some(j))
        .collect();
    match aktif.iter().find(|d| d.definitif()).or_else(|| aktif.first()) {
        Some(d) => penanda_dari(d, desa),
        None => Penanda {
            jabatan: format!("{} {}", desa.nama_jabatan(j), desa.nama),
            nama: "(...................................)".into(),
        },
    }
}

/// The signers chosen on the print form: record ids of active officials of the desa; `None`
/// means the default (Kepala Desa on the left, Sekretaris Desa on the right).
#[derive(Clone, Copy, Debug, Default, Deserialize)]
pub struct PilihPenanda {
    #[serde(default)]
    pub penanda_kiri: Option<PerangkatId>,
    #[serde(default)]
    pub penanda_kanan: Option<PerangkatId>,
}

/// An official who may sign: an active tenure of the desa.
#[derive(Clone, Debug, Serialize)]
pub struct Calon {
    pub id: PerangkatId,
    pub label: String,
    pub jabatan: String,
}

async fn muat(db: &Db, desa_kode: &str) -> Hasil<Vec<Masa>> {
    let sql = format!(
        "SELECT perangkat_id, {} FROM perangkat_tersimpan WHERE desa_kode = $1",
        KOLOM.join(", ")
    );
    let semua: Vec<Masa> =
        crate::read!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(desa_kode).fetch_all(c).await?);
    Ok(semua)
}

/// The active officials of a desa who may sign its book, in the order of the structure, and
/// the default choices (left: Kepala Desa, right: Sekretaris Desa).
pub async fn calon_penanda(db: &Db, desa: &Desa) -> Hasil<(Vec<Calon>, PilihPenanda)> {
    let mut semua = muat(db, &desa.kode).await?;
    semua.retain(|m| m.data.aktif());
    semua.sort_by(|a, b| urut(&a.data, &b.data));
    let bawaan = |j: Jabatan| {
        let pemegang: Vec<&Masa> = semua.iter().filter(|m| m.data.jabatan_enum() == Some(j)).collect();
        pemegang
            .iter()
            .find(|m| m.data.definitif())
            .or_else(|| pemegang.first())
            .map(|m| m.perangkat_id)
    };
    let pilih = PilihPenanda {
        penanda_kiri: bawaan(Jabatan::KepalaDesa),
        penanda_kanan: bawaan(Jabatan::SekretarisDesa),
    };
    let calon = semua
        .iter()
        .map(|m| Calon {
            id: m.perangkat_id,
            label: format!("{} — {}", m.data.nama_lengkap(), m.data.nama_jabatan(desa)),
            jabatan: m.data.jabatan.clone(),
        })
        .collect();
    Ok((calon, pilih))
}

fn urut(a: &Data, b: &Data) -> std::cmp::Ordering {
    (
        !a.aktif(),
        urutan(a.jabatan_enum()),
        a.jabatan.as_str(),
        a.dusun.as_str(),
        a.tmt.as_str(),
    )
        .cmp(&(
            !b.aktif(),
            urutan(b.jabatan_enum()),
            b.jabatan.as_str(),
            b.dusun.as_str(),
            b.tmt.as_str(),
        ))
}

/// The book of a desa for a year, from its saved data. A chosen signer must be an active
/// official of the desa.
pub async fn kumpulkan(
    db: &Db,
    akun: &Akun,
    desa_kode: &str,
    tahun: i32,
    hari_ini: Date,
    pilih: PilihPenanda,
) -> Hasil<DataBuku> {
    let desa = desa::ambil(db, akun, desa_kode).await?;
    let semua_masa = muat(db, &desa.kode).await?;
    let penanda = |id: Option<PerangkatId>, field: &'static str, j: Jabatan| -> Hasil<Penanda> {
        match id {
            None => Ok(penanda_bawaan(&semua_masa, &desa, j)),
            Some(id) => semua_masa
                .iter()
                .find(|m| m.perangkat_id == id && m.data.aktif())
                .map(|m| penanda_dari(&m.data, &desa))
                .ok_or_else(|| {
                    AppError::Validasi(vec![(
                        field,
                        "Penanda tangan harus perangkat aktif desa ini. Pilih dari daftar.".into(),
                    )])
                }),
        }
    };
    let ttd_kiri = penanda(pilih.penanda_kiri, "penanda_kiri", Jabatan::KepalaDesa)?;
    let ttd_kanan = penanda(pilih.penanda_kanan, "penanda_kanan", Jabatan::SekretarisDesa)?;
    let mut semua: Vec<Data> = semua_masa.into_iter().map(|m| m.data).collect();
    semua.retain(|d| dalam_periode(d, tahun));
    // Active officials first in the order of the structure, then former ones.
    semua.sort_by(urut);
    let baris = semua
        .iter()
        .enumerate()
        .map(|(i, d)| BarisBuku {
            no: i + 1,
            nama: d.nama_lengkap(),
            niap: d.niap.clone(),
            nip: d.nip.clone(),
            jenis_kelamin: d.jenis_kelamin.clone(),
            ttl: format!("{}, {}", d.tempat_lahir, tanggal_id(&d.tanggal_lahir)),
            agama: label_dari::<Agama>(&d.agama).to_string(),
            pangkat: d.pangkat_golongan.clone(),
            jabatan: d.nama_jabatan(&desa),
            pendidikan: Pendidikan::parse(&d.pendidikan_terakhir)
                .map(Pendidikan::kode)
                .unwrap_or("")
                .to_string(),
            sk_angkat: nomor_tanggal(&d.nomor_sk_pengangkatan, &d.tanggal_sk_pengangkatan),
            sk_berhenti: nomor_tanggal(&d.nomor_sk_pemberhentian, &d.tanggal_sk_pemberhentian),
            keterangan: {
                let mut k = d.keterangan.clone();
                if d.status_jabatan_enum() != StatusJabatan::Definitif && k.is_empty() {
                    k = label_dari::<StatusJabatan>(&d.status_jabatan).to_string();
                }
                k
            },
        })
        .collect();
    Ok(DataBuku {
        judul: format!("Buku Aparat Pemerintah Desa {} Tahun {tahun}", desa.nama),
        kecamatan: desa.kecamatan_nama.clone(),
        kabupaten: desa.kabupaten_nama.clone(),
        alamat: desa.alamat_kop.trim().to_string(),
        periode: tahun,
        baris,
        ttd_kiri,
        ttd_kanan,
        tempat_tanggal: format!("{}, {}", desa.nama, waktu::tanggal(hari_ini)),
        nomor: String::new(),
        penerimaan: None,
        desa: desa.nama,
    })
}

/// The PDF (CPU work: call from a blocking thread). The same data give the same bytes.
pub fn render(data: &DataBuku) -> Result<Vec<u8>, AppError> {
    static MESIN: OnceLock<super::pdf::Mesin> = OnceLock::new();
    super::pdf::render(super::pdf::mesin(&MESIN, TEMPLAT), data, &data.judul)
}
