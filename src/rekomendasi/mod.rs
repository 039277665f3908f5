//! The Camat's recommendation (Rekomendasi Camat, issue 17): before a Kepala Desa appoints or
//! dismisses a perangkat, the desa consults the Camat, who answers in writing within 7 working
//! days (Permendagri 83/2015 as amended by 67/2017).
//!
//! The desa's operator submits a request (*Permohonan Rekomendasi*): an appointment with its
//! candidates — checked by the register's own rules ([`Data::validasi`]) — or a dismissal of a
//! saved official; and its documents. The kecamatan approves (naming the candidate), refuses
//! (with a reason) or returns it for what is missing (the clock stops until the desa submits it
//! again). A decision is final and comes with a numbered letter (PDF, verification code). An
//! approved appointment pre-fills the register's entry, which stays linked to it.

pub mod hari_kerja;
pub mod kalender;
pub mod pengaturan;
pub mod surat;
pub mod tenggat;

use std::collections::BTreeSet;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::Date;

use self::hari_kerja::{HARI_KERJA_REKOMENDASI, hari_kerja_antara, tambah_hari_kerja, tanggal_libur};
use crate::akun::Akun;
use crate::akun::izin::{self, Tindakan};
use crate::audit;
use crate::db::{Db, is_unique_violation};
use crate::desa::jabatan::Jabatan;
use crate::desa::{self, Desa};
use crate::dokumen::{self, Jenis, Penyimpanan, Tolak};
use crate::error::{AppError, FieldErrors, Hasil};
use crate::id::{PerangkatId, RekomendasiId};
use crate::kode::Kode;
use crate::perangkat::aturan::{Konteks, Peringatan};
use crate::perangkat::data::{Data, iso, tanggal};
use crate::perangkat::kode::AlasanBerhenti;
use crate::perangkat::{self, HasilTulis, Saat};

crate::kode_enum!(
    /// What the recommendation is for.
    JenisRekomendasi {
        Pengangkatan => "pengangkatan", "Pengangkatan";
        Pemberhentian => "pemberhentian", "Pemberhentian";
    }
);

crate::kode_enum!(
    /// Where a request stands, with the words of UI.md.
    StatusRekomendasi {
        Diajukan => "diajukan", "Diajukan";
        Dikembalikan => "dikembalikan", "Dikembalikan";
        Disetujui => "disetujui", "Disetujui";
        Ditolak => "ditolak", "Ditolak";
    }
);

impl StatusRekomendasi {
    /// The badge colour (the word is always shown too).
    pub fn warna(self) -> &'static str {
        match self {
            StatusRekomendasi::Diajukan => "biru",
            StatusRekomendasi::Dikembalikan => "oranye",
            StatusRekomendasi::Disetujui => "hijau",
            StatusRekomendasi::Ditolak => "merah",
        }
    }

    pub fn diputuskan(self) -> bool {
        matches!(self, StatusRekomendasi::Disetujui | StatusRekomendasi::Ditolak)
    }
}

/// The identity fields of the register that a candidate carries.
pub const MEDAN_CALON: [&str; 14] = [
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "nik",
    "niap",
    "nip",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "agama",
    "pendidikan_terakhir",
    "pangkat_golongan",
    "alamat",
    "nomor_hp",
];

/// A candidate: the identity fields of the register (SPEC §3), named as there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = CalonRekomendasi)]
pub struct Calon {
    pub nama: String,
    pub gelar_depan: String,
    pub gelar_belakang: String,
    pub nik: String,
    pub niap: String,
    pub nip: String,
    pub jenis_kelamin: String,
    pub tempat_lahir: String,
    pub tanggal_lahir: String,
    pub agama: String,
    pub pendidikan_terakhir: String,
    pub pangkat_golongan: String,
    pub alamat: String,
    pub nomor_hp: String,
}

impl Calon {
    /// The candidate as an entry of the register for `jabatan` (what *Tambah Perangkat* is
    /// pre-filled with; SK fields empty).
    pub fn sebagai_data(&self, jabatan: &str, dusun: &str) -> Data {
        Data {
            nama: self.nama.clone(),
            gelar_depan: self.gelar_depan.clone(),
            gelar_belakang: self.gelar_belakang.clone(),
            nik: self.nik.clone(),
            niap: self.niap.clone(),
            nip: self.nip.clone(),
            jenis_kelamin: self.jenis_kelamin.clone(),
            tempat_lahir: self.tempat_lahir.clone(),
            tanggal_lahir: self.tanggal_lahir.clone(),
            agama: self.agama.clone(),
            pendidikan_terakhir: self.pendidikan_terakhir.clone(),
            pangkat_golongan: self.pangkat_golongan.clone(),
            alamat: self.alamat.clone(),
            nomor_hp: self.nomor_hp.clone(),
            jabatan: jabatan.to_string(),
            dusun: dusun.to_string(),
            status_jabatan: "definitif".into(),
            ..Data::default()
        }
    }

    fn dari_data(d: &Data) -> Calon {
        Calon {
            nama: d.nama.clone(),
            gelar_depan: d.gelar_depan.clone(),
            gelar_belakang: d.gelar_belakang.clone(),
            nik: d.nik.clone(),
            niap: d.niap.clone(),
            nip: d.nip.clone(),
            jenis_kelamin: d.jenis_kelamin.clone(),
            tempat_lahir: d.tempat_lahir.clone(),
            tanggal_lahir: d.tanggal_lahir.clone(),
            agama: d.agama.clone(),
            pendidikan_terakhir: d.pendidikan_terakhir.clone(),
            pangkat_golongan: d.pangkat_golongan.clone(),
            alamat: d.alamat.clone(),
            nomor_hp: d.nomor_hp.clone(),
        }
    }

    /// The NIK masked for roles that do not need it whole.
    pub fn untuk(mut self, akun: &Akun) -> Calon {
        if !akun.lihat_nik_utuh() {
            self.nik = crate::perangkat::nik::samarkan(&self.nik);
        }
        self
    }

    pub fn nama_lengkap(&self) -> String {
        self.sebagai_data("", "").nama_lengkap()
    }

    pub fn tempat_tanggal_lahir(&self) -> String {
        format!(
            "{}, {}",
            self.tempat_lahir,
            crate::perangkat::data::tanggal_id(&self.tanggal_lahir)
        )
    }
}

/// A request (`rekomendasi` row) with its desa's name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Rekomendasi {
    pub id: RekomendasiId,
    pub desa_kode: String,
    pub desa_nama: String,
    pub kecamatan_kode: String,
    pub jenis: JenisRekomendasi,
    pub jabatan: String,
    pub dusun: String,
    pub perangkat_id: Option<PerangkatId>,
    pub alasan_pemberhentian: String,
    pub catatan: String,
    pub status: StatusRekomendasi,
    pub diajukan_pada: i64,
    pub diajukan_oleh: String,
    pub batas_waktu: String,
    pub sisa_hari_kerja: Option<i64>,
    pub dikembalikan_pada: Option<i64>,
    pub dikembalikan_oleh: String,
    pub catatan_pengembalian: String,
    pub calon_disetujui: Option<i64>,
    pub diputuskan_pada: Option<i64>,
    pub diputuskan_oleh: String,
    pub diputuskan_nama: String,
    pub alasan_keputusan: String,
    pub nomor_surat: Option<String>,
    pub kode_verifikasi: Option<String>,
    pub sha256: Option<String>,
}

impl Rekomendasi {
    pub fn batas(&self) -> Option<Date> {
        tanggal(&self.batas_waktu)
    }

    /// Waiting for the Camat past its deadline.
    pub fn terlambat(&self, hari_ini: Date) -> bool {
        self.status == StatusRekomendasi::Diajukan && self.batas().is_some_and(|b| b < hari_ini)
    }

    pub fn kode_tampil(&self) -> Option<String> {
        self.kode_verifikasi.as_deref().map(crate::laporan::arsip::kode_tampil)
    }

    pub fn label_alasan(&self) -> &str {
        crate::perangkat::kode::label_dari::<AlasanBerhenti>(&self.alasan_pemberhentian)
    }

    /// The position as the desa calls it ("Kepala Dusun Sungai Ramania").
    pub fn nama_jabatan(&self, desa: &Desa) -> String {
        Data {
            jabatan: self.jabatan.clone(),
            dusun: self.dusun.clone(),
            status_jabatan: "definitif".into(),
            ..Data::default()
        }
        .nama_jabatan(desa)
    }
}

const SELECT: &str = "SELECT r.id, r.desa_kode, d.nama AS desa_nama, r.kecamatan_kode, r.jenis, r.jabatan, r.dusun,
        r.perangkat_id, r.alasan_pemberhentian, r.catatan, r.status, r.diajukan_pada, r.diajukan_oleh,
        r.batas_waktu, r.sisa_hari_kerja, r.dikembalikan_pada, r.dikembalikan_oleh, r.catatan_pengembalian,
        r.calon_disetujui, r.diputuskan_pada, r.diputuskan_oleh, r.diputuskan_nama, r.alasan_keputusan,
        r.nomor_surat, r.kode_verifikasi, r.sha256
    FROM rekomendasi r JOIN desa d ON d.kode = r.desa_kode";

/// A document of a request.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = DokumenRekomendasi)]
pub struct DokumenRekomendasi {
    pub id: i64,
    /// Urutan calon (dari 0) bila dokumen milik seorang calon.
    pub calon: Option<i64>,
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

impl DokumenRekomendasi {
    pub fn label_jenis(&self) -> &'static str {
        label_jenis_dokumen(&self.jenis)
    }

    pub fn ringkas(&self) -> String {
        let jenis = Jenis::dari_mime(&self.mime)
            .map(|j| j.ekstensi().to_uppercase())
            .unwrap_or_default();
        format!("{}, {} KB", jenis.replace("JPG", "JPEG"), (self.ukuran + 1023) / 1024)
    }

    /// As a register document, for the download response.
    pub fn sebagai_dokumen(&self) -> dokumen::Dokumen {
        dokumen::Dokumen {
            id: crate::id::DokumenId(self.id),
            perangkat_id: PerangkatId(0),
            jenis: self.jenis.clone(),
            sha256: self.sha256.clone(),
            ukuran: self.ukuran,
            mime: self.mime.clone(),
            nama_asli: self.nama_asli.clone(),
            diunggah_pada: self.diunggah_pada,
            diunggah_oleh: self.diunggah_oleh.clone(),
        }
    }
}

/// The kinds of document of a request: per candidate (KTP, ijazah, letter of application,
/// statement), of the selection (berita acara), of a dismissal, or another.
pub const JENIS_DOKUMEN: [(&str, &str); 8] = [
    ("ktp", "KTP"),
    ("ijazah", "Ijazah"),
    ("surat_lamaran", "Surat Lamaran"),
    ("surat_pernyataan", "Surat Pernyataan"),
    ("berita_acara_seleksi", "Berita Acara Hasil Seleksi"),
    ("surat_permohonan", "Surat Permohonan Kepala Desa"),
    ("bukti_pemberhentian", "Bukti Alasan Pemberhentian"),
    ("lainnya", "Dokumen Lain"),
];

pub fn label_jenis_dokumen(j: &str) -> &'static str {
    JENIS_DOKUMEN
        .iter()
        .find(|(k, _)| *k == j)
        .map_or("Dokumen Lain", |(_, l)| *l)
}

fn skema_jenis_dokumen() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(JENIS_DOKUMEN.map(|(k, _)| k)))
        .build()
}

/// A request with its candidates and documents.
#[derive(Clone, Debug)]
pub struct Detail {
    pub r: Rekomendasi,
    pub calon: Vec<Calon>,
    pub dokumen: Vec<DokumenRekomendasi>,
    /// The official to be dismissed (a dismissal).
    pub perangkat: Option<Data>,
}

/// May `akun` submit requests for the desa (its operator)?
pub fn boleh_ajukan(akun: &Akun, desa_kode: &str) -> bool {
    izin::boleh(akun, Tindakan::AjukanRekomendasi, desa_kode)
}

/// May `akun` decide requests of the desa (its kecamatan)?
pub fn boleh_putuskan(akun: &Akun, desa_kode: &str) -> bool {
    izin::boleh(akun, Tindakan::PutuskanRekomendasi, desa_kode)
}

/// What a desa submits.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = InputRekomendasi)]
pub struct Input {
    /// pengangkatan | pemberhentian
    #[schema(schema_with = JenisRekomendasi::skema)]
    pub jenis: String,
    /// Jabatan yang akan diisi (pengangkatan).
    pub jabatan: String,
    /// Dusun, untuk Kepala Dusun.
    pub dusun: String,
    /// Calon hasil penjaringan dan penyaringan (pengangkatan; sekurang-kurangnya dua).
    pub calon: Vec<Calon>,
    /// Perangkat yang akan diberhentikan (pemberhentian).
    #[schema(value_type = Option<i64>)]
    pub perangkat_id: Option<PerangkatId>,
    /// Alasan pemberhentian (kode daftar register).
    #[schema(schema_with = AlasanBerhenti::skema)]
    pub alasan_pemberhentian: String,
    pub catatan: String,
}

/// The answer to a submission.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HasilRekomendasi)]
pub struct HasilAjukan {
    #[schema(value_type = i64)]
    pub id: RekomendasiId,
    #[schema(schema_with = StatusRekomendasi::skema)]
    pub status: StatusRekomendasi,
    /// YYYY-MM-DD
    pub batas_waktu: String,
    pub peringatan: Vec<Peringatan>,
}

const PALING_BANYAK_CALON: usize = 10;

fn periksa_catatan(f: &'static str, c: &str, wajib: Option<&str>) -> Result<String, FieldErrors> {
    let c = c.trim().replace("\r\n", "\n");
    let n = c.chars().count();
    if let Some(pesan) = wajib
        && c.is_empty()
    {
        return Err(vec![(f, pesan.to_string())]);
    }
    if n > 1000 {
        return Err(vec![(
            f,
            format!("Catatan paling banyak 1000 karakter (sekarang {n})."),
        )]);
    }
    if c.chars().any(|ch| ch.is_control() && ch != '\n' && ch != '\t') {
        return Err(vec![(f, "Catatan memuat karakter yang tidak diizinkan.".into())]);
    }
    Ok(c)
}

/// The checked position, dusun, candidates and their warnings.
type CalonSah = (Jabatan, String, Vec<Calon>, Vec<Peringatan>);

/// Checks the position and the candidates with the register's own rules: each candidate is
/// validated as an entry of that position (the SK fields are not the candidate's and are
/// filled with today for the check only), and only the identity fields' errors are kept,
/// named `calon[i].field`. The warnings of the register (NIK, age 20–42 today, education) are
/// the candidate's, and fewer than two candidates is one more.
fn periksa_calon(input: &Input, k: &Konteks) -> Result<CalonSah, Vec<(String, String)>> {
    let mut g: Vec<(String, String)> = Vec::new();
    let mut w: Vec<Peringatan> = Vec::new();
    let hari = iso(k.hari_ini);
    let uji = |c: &Calon| Data {
        nomor_sk_pengangkatan: "rekomendasi".into(),
        tanggal_sk_pengangkatan: hari.clone(),
        tmt: hari.clone(),
        ..c.sebagai_data(&input.jabatan, &input.dusun)
    };
    // The position and dusun, by the same rules (their errors only).
    let posisi = uji(&Calon::default()).validasi(k);
    let mut jabatan = None;
    let mut dusun = String::new();
    match posisi {
        Ok(d) => {
            jabatan = d.jabatan_enum();
            dusun = d.dusun;
        }
        Err(e) => {
            for (f, m) in e {
                if matches!(f, "jabatan" | "dusun") {
                    g.push((f.to_string(), m));
                }
            }
            if !g.iter().any(|(f, _)| f == "jabatan") {
                jabatan = Jabatan::parse(input.jabatan.trim());
                dusun = input.dusun.split_whitespace().collect::<Vec<_>>().join(" ");
            }
        }
    }
    if jabatan == Some(Jabatan::KepalaDesa) {
        g.push((
            "jabatan".into(),
            "Kepala Desa dipilih oleh warga dan diangkat Bupati; rekomendasi Camat untuk pengangkatan perangkat desa lainnya."
                .into(),
        ));
    }
    if input.calon.is_empty() {
        g.push((
            "calon".into(),
            "Isi sekurang-kurangnya satu calon (sebaiknya dua atau lebih, hasil penjaringan dan penyaringan).".into(),
        ));
    } else if input.calon.len() > PALING_BANYAK_CALON {
        g.push((
            "calon".into(),
            format!(
                "Paling banyak {PALING_BANYAK_CALON} calon dalam satu permohonan (sekarang {}).",
                input.calon.len()
            ),
        ));
    }
    let mut hasil = Vec::new();
    let mut nik_ada: Vec<String> = Vec::new();
    for (i, c) in input.calon.iter().enumerate().take(PALING_BANYAK_CALON) {
        match uji(c).validasi(k) {
            Ok(d) => {
                if nik_ada.contains(&d.nik) {
                    g.push((
                        format!("calon[{i}].nik"),
                        format!("NIK calon {} sama dengan NIK calon lain dalam permohonan ini.", i + 1),
                    ));
                }
                nik_ada.push(d.nik.clone());
                for p in d.peringatan(k.hari_ini) {
                    if matches!(
                        p.kode,
                        "nik_tanggal_lahir" | "nik_jenis_kelamin" | "nik_wilayah" | "usia_pengangkatan" | "pendidikan"
                    ) {
                        w.push(Peringatan {
                            kode: p.kode,
                            field: None,
                            pesan: format!(
                                "Calon {} ({}): {}",
                                i + 1,
                                d.nama,
                                p.pesan.replace("saat TMT", "hari ini")
                            ),
                        });
                    }
                }
                hasil.push(Calon::dari_data(&d));
            }
            Err(e) => {
                for (f, m) in e {
                    if MEDAN_CALON.contains(&f) {
                        g.push((format!("calon[{i}].{f}"), format!("Calon {}: {m}", i + 1)));
                    }
                }
            }
        }
    }
    if input.calon.len() == 1 {
        w.insert(
            0,
            Peringatan {
                kode: "calon_kurang_dari_dua",
                field: Some("calon"),
                pesan: "Hanya satu calon: konsultasi kepada Camat memuat sekurang-kurangnya dua calon hasil penjaringan dan penyaringan (Permendagri 67/2017)."
                    .into(),
            },
        );
    }
    match jabatan {
        Some(j) if g.is_empty() => Ok((j, dusun, hasil, w)),
        _ => {
            if g.is_empty() {
                g.push(("jabatan".into(), "Jabatan wajib dipilih.".into()));
            }
            Err(g)
        }
    }
}

/// Submits a request (the desa's operator) → `diajukan`, with its deadline.
pub async fn ajukan(db: &Db, akun: &Akun, desa_kode: &str, input: &Input, saat: Saat) -> Hasil<HasilAjukan> {
    let Saat { hari_ini, sekarang } = saat;
    let desa = desa::ambil(db, akun, desa_kode).await?;
    if !boleh_ajukan(akun, &desa.kode) {
        return Err(AppError::Terlarang);
    }
    let jenis = match JenisRekomendasi::parse(input.jenis.trim()) {
        Some(j) => j,
        None => {
            return Err(AppError::Validasi(vec![(
                "jenis",
                "Jenis permohonan wajib dipilih: pengangkatan atau pemberhentian.".into(),
            )]));
        }
    };
    let catatan = periksa_catatan("catatan", &input.catatan, None).map_err(AppError::Validasi)?;
    let dusun_desa = desa::dusun(db, &desa.kode).await?;
    let k = Konteks {
        desa: &desa,
        dusun: &dusun_desa,
        hari_ini,
    };
    let (jabatan, dusun, calon, peringatan, perangkat_id, alasan) = match jenis {
        JenisRekomendasi::Pengangkatan => {
            let (j, du, calon, w) = periksa_calon(input, &k).map_err(AppError::ValidasiDinamis)?;
            (j.kode().to_string(), du, calon, w, None, String::new())
        }
        JenisRekomendasi::Pemberhentian => {
            let mut g: FieldErrors = Vec::new();
            let alasan = match AlasanBerhenti::parse(input.alasan_pemberhentian.trim()) {
                Some(a) => a.kode().to_string(),
                None => {
                    g.push((
                        "alasan_pemberhentian",
                        if input.alasan_pemberhentian.trim().is_empty() {
                            "Alasan pemberhentian wajib dipilih.".into()
                        } else {
                            "Alasan pemberhentian tidak dikenal.".into()
                        },
                    ));
                    String::new()
                }
            };
            let mut jabatan = String::new();
            let mut dusun = String::new();
            match input.perangkat_id {
                None => g.push(("perangkat_id", "Pilih perangkat yang akan diberhentikan.".into())),
                Some(id) => {
                    let t = perangkat::ambil_tersimpan(db, akun, id).await?;
                    match t {
                        Some(t) if t.desa_kode == desa.kode && t.data.aktif() => {
                            jabatan = t.data.jabatan.clone();
                            dusun = t.data.dusun.clone();
                        }
                        _ => g.push((
                            "perangkat_id",
                            format!(
                                "Perangkat nomor {id} bukan perangkat aktif yang tersimpan di Desa {}.",
                                desa.nama
                            ),
                        )),
                    }
                }
            }
            if !g.is_empty() {
                return Err(AppError::Validasi(g));
            }
            (jabatan, dusun, Vec::new(), Vec::new(), input.perangkat_id, alasan)
        }
    };
    let libur = tanggal_libur(db).await?;
    let batas = iso(tambah_hari_kerja(hari_ini, HARI_KERJA_REKOMENDASI, &libur));
    let mut tx = db.begin().await?;
    let id: RekomendasiId = crate::tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO rekomendasi (desa_kode, kecamatan_kode, jenis, jabatan, dusun, perangkat_id, alasan_pemberhentian,
                    catatan, status, diajukan_pada, diajukan_oleh, batas_waktu)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'diajukan', $9, $10, $11) RETURNING id",
        )
        .bind(&desa.kode)
        .bind(&desa.kecamatan_kode)
        .bind(jenis)
        .bind(&jabatan)
        .bind(&dusun)
        .bind(perangkat_id)
        .bind(&alasan)
        .bind(&catatan)
        .bind(sekarang)
        .bind(&akun.username)
        .bind(&batas)
        .fetch_one(c)
        .await?
    });
    for (i, c) in calon.iter().enumerate() {
        crate::tx!(&mut tx, k => {
            sqlx::query(
                "INSERT INTO rekomendasi_calon (rekomendasi_id, urutan, nama, gelar_depan, gelar_belakang, nik, niap, nip,
                        jenis_kelamin, tempat_lahir, tanggal_lahir, agama, pendidikan_terakhir, pangkat_golongan, alamat, nomor_hp)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            )
            .bind(id)
            .bind(i as i64)
            .bind(&c.nama)
            .bind(&c.gelar_depan)
            .bind(&c.gelar_belakang)
            .bind(&c.nik)
            .bind(&c.niap)
            .bind(&c.nip)
            .bind(&c.jenis_kelamin)
            .bind(&c.tempat_lahir)
            .bind(&c.tanggal_lahir)
            .bind(&c.agama)
            .bind(&c.pendidikan_terakhir)
            .bind(&c.pangkat_golongan)
            .bind(&c.alamat)
            .bind(&c.nomor_hp)
            .execute(k)
            .await?;
        });
    }
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::RekomendasiDiajukan,
        &format!("rekomendasi:{id}"),
        json!({ "desa": desa.kode, "jenis": jenis.kode(), "jabatan": jabatan, "calon": calon.len(),
                "perangkat": perangkat_id, "batas_waktu": batas }),
    )
    .await?;
    tx.commit().await?;
    Ok(HasilAjukan {
        id,
        status: StatusRekomendasi::Diajukan,
        batas_waktu: batas,
        peringatan,
    })
}

/// The requests of the user's scope (`desa` narrows it; `status` filters), those waiting
/// first by deadline, then the newest.
pub async fn daftar(
    db: &Db,
    akun: &Akun,
    desa: Option<&str>,
    status: Option<StatusRekomendasi>,
    batas: i64,
) -> Hasil<Vec<Rekomendasi>> {
    let lingkup = match desa {
        Some(k) => akun.cakupan.di_dalam(k).ok_or(AppError::TidakDitemukan)?,
        None => akun.cakupan.clone(),
    };
    let sql = format!(
        "{SELECT} WHERE {} AND ($2 = '' OR r.status = $2)
         ORDER BY CASE WHEN r.status = 'diajukan' THEN 0 WHEN r.status = 'dikembalikan' THEN 1 ELSE 2 END,
                  CASE WHEN r.status = 'diajukan' THEN r.batas_waktu ELSE '' END, r.id DESC
         LIMIT $3",
        lingkup.syarat("r.desa_kode", 1)
    );
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, Rekomendasi>(sqlx::AssertSqlSafe(sql))
            .bind(lingkup.pola())
            .bind(status.map(|s| s.kode()).unwrap_or(""))
            .bind(batas)
            .fetch_all(c)
            .await?
    });
    Ok(rows)
}

/// Parses a `status` filter.
pub fn periksa_status(s: Option<&str>) -> Hasil<Option<StatusRekomendasi>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => StatusRekomendasi::parse(s).map(Some).ok_or_else(|| {
            AppError::Validasi(vec![(
                "status",
                "Status harus diajukan, dikembalikan, disetujui atau ditolak.".into(),
            )])
        }),
    }
}

/// One request in the user's scope (404 outside it).
pub async fn ambil(db: &Db, akun: &Akun, id: RekomendasiId) -> Hasil<Rekomendasi> {
    let sql = format!("{SELECT} WHERE r.id = $1 AND {}", akun.cakupan.syarat("r.desa_kode", 2));
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, Rekomendasi>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(akun.cakupan.pola())
            .fetch_optional(c)
            .await?
    });
    row.ok_or(AppError::TidakDitemukan)
}

/// The approved recommendation behind an entry, in the user's scope: the appointment it was made
/// from, or the approved dismissal of that official. Its letter is shown beside the SK on the
/// check screen (issue 17).
pub async fn dasar_perangkat(db: &Db, akun: &Akun, id: PerangkatId) -> Hasil<Option<Rekomendasi>> {
    let r: Option<RekomendasiId> = crate::read!(db, c => {
        sqlx::query_scalar(
            "SELECT COALESCE(
                 (SELECT p.rekomendasi_id FROM perangkat p WHERE p.id = $1),
                 (SELECT MAX(r.id) FROM rekomendasi r
                   WHERE r.perangkat_id = $1 AND r.jenis = 'pemberhentian' AND r.status = 'disetujui'))",
        )
        .bind(id)
        .fetch_one(c)
        .await?
    });
    let Some(r) = r else {
        return Ok(None);
    };
    match ambil(db, akun, r).await {
        Ok(r) if r.status == StatusRekomendasi::Disetujui => Ok(Some(r)),
        Ok(_) | Err(AppError::TidakDitemukan) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn calon(db: &Db, id: RekomendasiId) -> Hasil<Vec<Calon>> {
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, Calon>(
            "SELECT nama, gelar_depan, gelar_belakang, nik, niap, nip, jenis_kelamin, tempat_lahir, tanggal_lahir, agama,
                    pendidikan_terakhir, pangkat_golongan, alamat, nomor_hp
             FROM rekomendasi_calon WHERE rekomendasi_id = $1 ORDER BY urutan",
        )
        .bind(id)
        .fetch_all(c)
        .await?
    });
    Ok(rows)
}

async fn dokumen_dari(db: &Db, id: RekomendasiId) -> Hasil<Vec<DokumenRekomendasi>> {
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, DokumenRekomendasi>(
            "SELECT id, calon, jenis, sha256, ukuran, mime, nama_asli, diunggah_pada, diunggah_oleh
             FROM rekomendasi_dokumen WHERE rekomendasi_id = $1 ORDER BY calon, id",
        )
        .bind(id)
        .fetch_all(c)
        .await?
    });
    Ok(rows)
}

/// One request with its candidates (NIK masked as the role needs) and documents.
pub async fn detail(db: &Db, akun: &Akun, id: RekomendasiId) -> Hasil<Detail> {
    let r = ambil(db, akun, id).await?;
    let calon = calon(db, id).await?.into_iter().map(|c| c.untuk(akun)).collect();
    let dokumen = dokumen_dari(db, id).await?;
    let perangkat = match r.perangkat_id {
        Some(p) => perangkat::ambil_tersimpan(db, akun, p)
            .await?
            .map(|t| t.data.untuk(akun)),
        None => None,
    };
    Ok(Detail {
        r,
        calon,
        dokumen,
        perangkat,
    })
}

/// Uploads a document of a request (its desa's operator, while it is not decided). `calon`: the
/// candidate it belongs to (from 0), if any.
#[allow(clippy::too_many_arguments)]
pub async fn unggah(
    db: &Db,
    simpanan: &Penyimpanan,
    akun: &Akun,
    id: RekomendasiId,
    jenis: &str,
    calon_ke: Option<&str>,
    nama_asli: &str,
    isi: Bytes,
    sekarang: i64,
) -> Hasil<DokumenRekomendasi> {
    let r = boleh_ubah(db, akun, id).await?;
    let jenis = jenis.trim();
    let Some((jenis, _)) = JENIS_DOKUMEN.iter().find(|(k, _)| *k == jenis) else {
        return Err(AppError::Validasi(vec![(
            "jenis",
            format!(
                "Jenis dokumen wajib dipilih: {}.",
                JENIS_DOKUMEN.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            ),
        )]));
    };
    let jumlah_calon = calon(db, id).await?.len() as i64;
    let calon_ke = match calon_ke.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(i) if (0..jumlah_calon).contains(&i) => Some(i),
            _ => {
                return Err(AppError::Validasi(vec![(
                    "calon",
                    if jumlah_calon == 0 {
                        "Permohonan ini tidak memiliki calon; kosongkan isian calon.".to_string()
                    } else {
                        format!("Calon harus nomor urut calon, 0 sampai {}.", jumlah_calon - 1)
                    },
                )]));
            }
        },
    };
    if isi.is_empty() {
        return Err(AppError::Validasi(vec![(
            "berkas",
            "Pilih berkas yang akan diunggah.".into(),
        )]));
    }
    let cek = isi.clone();
    let j = tokio::task::spawn_blocking(move || dokumen::periksa(&cek))
        .await
        .map_err(anyhow::Error::from)?;
    let j = match j {
        Ok(j) => j,
        Err(Tolak::JenisTidakDiterima) => return Err(AppError::JenisTidakDiterima),
        Err(Tolak::Rusak(m)) => return Err(AppError::Validasi(vec![("berkas", m)])),
    };
    let sha = hex::encode(Sha256::digest(&isi));
    let ukuran = isi.len() as i64;
    simpanan.simpan(&sha, isi).await?;
    let nama_asli = dokumen::bersihkan_nama_asli(nama_asli);
    let mut tx = db.begin().await?;
    // Decided in between: refused in the same transaction as the write.
    let status: Option<StatusRekomendasi> = crate::tx!(&mut tx, c => {
        sqlx::query_scalar("SELECT status FROM rekomendasi WHERE id = $1").bind(id).fetch_optional(c).await?
    });
    if status.is_none_or(|s| s.diputuskan()) {
        tx.rollback().await.ok();
        return Err(sudah_diputuskan(&r));
    }
    let dok: i64 = crate::tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO rekomendasi_dokumen (rekomendasi_id, calon, jenis, sha256, ukuran, mime, nama_asli, diunggah_pada, diunggah_oleh)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(id)
        .bind(calon_ke)
        .bind(*jenis)
        .bind(&sha)
        .bind(ukuran)
        .bind(j.mime())
        .bind(&nama_asli)
        .bind(sekarang)
        .bind(&akun.username)
        .fetch_one(c)
        .await?
    });
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::RekomendasiDokumenDiunggah,
        &format!("rekomendasi:{id}"),
        json!({ "dokumen": dok, "jenis": jenis, "calon": calon_ke, "sha256": sha, "ukuran": ukuran }),
    )
    .await?;
    tx.commit().await?;
    Ok(DokumenRekomendasi {
        id: dok,
        calon: calon_ke,
        jenis: jenis.to_string(),
        sha256: sha,
        ukuran,
        mime: j.mime().into(),
        nama_asli,
        diunggah_pada: sekarang,
        diunggah_oleh: akun.username.clone(),
    })
}

/// A document of a request in the user's scope, with its bytes (the access is audited).
pub async fn unduh_dokumen(
    db: &Db,
    simpanan: &Penyimpanan,
    akun: &Akun,
    id: RekomendasiId,
    dok: i64,
    sekarang: i64,
) -> Hasil<(DokumenRekomendasi, Bytes)> {
    ambil(db, akun, id).await?;
    let d = dokumen_dari(db, id)
        .await?
        .into_iter()
        .find(|d| d.id == dok)
        .ok_or(AppError::TidakDitemukan)?;
    let isi = simpanan.baca(&d.sha256).await?;
    let mut tx = db.begin().await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::RekomendasiDokumenDiunduh,
        &format!("rekomendasi:{id}"),
        json!({ "dokumen": dok }),
    )
    .await?;
    tx.commit().await?;
    Ok((d, isi))
}

fn sudah_diputuskan(r: &Rekomendasi) -> AppError {
    AppError::Konflik(format!(
        "Permohonan rekomendasi nomor {} sudah diputuskan ({}); keputusan tidak dapat diubah.",
        r.id,
        r.status.label().to_lowercase()
    ))
}

/// The request, when `akun` may change it (its desa's operator, not yet decided).
pub async fn boleh_ubah(db: &Db, akun: &Akun, id: RekomendasiId) -> Hasil<Rekomendasi> {
    let r = ambil(db, akun, id).await?;
    if !boleh_ajukan(akun, &r.desa_kode) {
        return Err(AppError::Terlarang);
    }
    if r.status.diputuskan() {
        return Err(sudah_diputuskan(&r));
    }
    Ok(r)
}

/// The request, when `akun` may decide it (its kecamatan): 404 outside the scope, 403 for
/// another role — checked before anything posted is read.
pub async fn boleh_diputuskan(db: &Db, akun: &Akun, id: RekomendasiId) -> Hasil<Rekomendasi> {
    let r = ambil(db, akun, id).await?;
    if !boleh_putuskan(akun, &r.desa_kode) {
        return Err(AppError::Terlarang);
    }
    Ok(r)
}

/// The kecamatan's decision.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = InputKeputusan)]
pub struct Keputusan {
    /// true: disetujui; false: ditolak (catatan wajib).
    #[schema(value_type = bool, required = true)]
    pub setuju: Option<bool>,
    /// Urutan calon yang disetujui (dari 0), untuk pengangkatan.
    pub calon: Option<i64>,
    /// Alasan / pertimbangan Camat (wajib bila ditolak).
    #[serde(default)]
    pub catatan: String,
}

/// The answer to a decision.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HasilKeputusan)]
pub struct HasilKeputusan {
    #[schema(schema_with = StatusRekomendasi::skema)]
    pub status: StatusRekomendasi,
    pub nomor_surat: String,
    pub kode_verifikasi: String,
}

/// Decides a request: approve (naming the candidate of an appointment) or refuse (a reason is
/// required). The letter is numbered per kecamatan and year from the kecamatan's pattern,
/// rendered and stored before the row commits; a decision is given once (409 afterwards).
#[allow(clippy::too_many_arguments)]
pub async fn putuskan(
    db: &Db,
    simpanan: &Penyimpanan,
    akun: &Akun,
    id: RekomendasiId,
    k: &Keputusan,
    alamat_dasar: &str,
    zona: crate::waktu::ZonaWaktu,
    saat: Saat,
) -> Hasil<HasilKeputusan> {
    let Saat { hari_ini, sekarang } = saat;
    let r = boleh_diputuskan(db, akun, id).await?;
    match r.status {
        StatusRekomendasi::Diajukan => {}
        StatusRekomendasi::Dikembalikan => {
            return Err(AppError::Konflik(
                "Permohonan ini sedang dikembalikan ke desa untuk dilengkapi; putuskan setelah desa mengajukannya kembali."
                    .into(),
            ));
        }
        _ => return Err(sudah_diputuskan(&r)),
    }
    let Some(setuju) = k.setuju else {
        return Err(AppError::Validasi(vec![(
            "setuju",
            "Isi setuju dengan true (Setujui) atau false (Tolak).".into(),
        )]));
    };
    let calon_semua = calon(db, id).await?;
    let calon_ke = if setuju && r.jenis == JenisRekomendasi::Pengangkatan {
        match k.calon {
            Some(i) if i >= 0 && (i as usize) < calon_semua.len() => Some(i),
            Some(_) => {
                return Err(AppError::Validasi(vec![(
                    "calon",
                    format!(
                        "Calon yang disetujui harus nomor urut 0 sampai {}.",
                        calon_semua.len().saturating_sub(1)
                    ),
                )]));
            }
            None => {
                return Err(AppError::Validasi(vec![(
                    "calon",
                    "Pilih calon yang disetujui (nomor urut calon, dari 0).".into(),
                )]));
            }
        }
    } else {
        None
    };
    let alasan = periksa_catatan(
        "catatan",
        &k.catatan,
        (!setuju).then_some("Alasan penolakan wajib diisi: tuliskan mengapa rekomendasi tidak diberikan."),
    )
    .map_err(AppError::Validasi)?;
    let desa = desa::ambil(db, akun, &r.desa_kode).await?;
    let atur = pengaturan::ambil_sistem(db, &r.kecamatan_kode)
        .await?
        .ok_or(AppError::TidakDitemukan)?;
    let perangkat_data = match r.perangkat_id {
        Some(p) => perangkat::ambil_tersimpan(db, &Akun::sistem("surat"), p)
            .await?
            .map(|t| t.data),
        None => None,
    };
    let status = if setuju {
        StatusRekomendasi::Disetujui
    } else {
        StatusRekomendasi::Ditolak
    };
    let tahun = i64::from(hari_ini.year());
    let nama = akun.nama_tampil().to_string();
    for _ in 0..5 {
        let urutan: i64 = crate::read!(db, c => {
            sqlx::query_scalar(
                "SELECT COALESCE(MAX(urutan_nomor), 0) + 1 FROM rekomendasi WHERE kecamatan_kode = $1 AND tahun_nomor = $2",
            )
            .bind(&r.kecamatan_kode)
            .bind(tahun)
            .fetch_one(c)
            .await?
        });
        let nomor = pengaturan::nomor_surat(
            &atur.pola_nomor_rekomendasi,
            urutan,
            hari_ini.year(),
            hari_ini.month() as u8,
            &atur.kode,
        );
        let kode = crate::laporan::arsip::kode_baru()?;
        let data = surat::DataSurat::baru(surat::Bahan {
            r: &r,
            desa: &desa,
            atur: &atur,
            calon: &calon_semua,
            calon_ke,
            perangkat: perangkat_data.as_ref(),
            status,
            alasan: &alasan,
            nomor: &nomor,
            kode: &kode,
            alamat_dasar,
            hari_ini,
            diputuskan: crate::waktu::tanggal_jam(sekarang, zona),
        })?;
        let pdf = tokio::task::spawn_blocking(move || surat::render(&data))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
        let sha = hex::encode(Sha256::digest(&pdf));
        let ukuran = pdf.len() as i64;
        simpanan.simpan(&sha, Bytes::from(pdf)).await?;
        let mut tx = db.begin().await?;
        let n = crate::tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE rekomendasi SET status = $2, calon_disetujui = $3, diputuskan_pada = $4, diputuskan_oleh = $5,
                        diputuskan_nama = $6, alasan_keputusan = $7, tahun_nomor = $8, urutan_nomor = $9, nomor_surat = $10,
                        kode_verifikasi = $11, sha256 = $12, ukuran = $13
                 WHERE id = $1 AND status = 'diajukan'",
            )
            .bind(id)
            .bind(status)
            .bind(calon_ke)
            .bind(sekarang)
            .bind(&akun.username)
            .bind(&nama)
            .bind(&alasan)
            .bind(tahun)
            .bind(urutan)
            .bind(&nomor)
            .bind(&kode)
            .bind(&sha)
            .bind(ukuran)
            .execute(c)
            .await
            .map(|x| x.rows_affected())
        });
        let n = match n {
            Ok(n) => n,
            Err(e) if is_unique_violation(&e) => {
                tx.rollback().await.ok();
                continue;
            }
            Err(e) => {
                tx.rollback().await.ok();
                return Err(e.into());
            }
        };
        if n == 0 {
            tx.rollback().await.ok();
            return Err(sudah_diputuskan(&ambil(db, akun, id).await?));
        }
        audit::catat(
            &mut tx,
            sekarang,
            &akun.pelaku(),
            if setuju {
                audit::Aksi::RekomendasiDisetujui
            } else {
                audit::Aksi::RekomendasiDitolak
            },
            &format!("rekomendasi:{id}"),
            json!({ "nomor_surat": nomor, "calon": calon_ke, "sha256": sha }),
        )
        .await?;
        tx.commit().await?;
        return Ok(HasilKeputusan {
            status,
            nomor_surat: nomor,
            kode_verifikasi: crate::laporan::arsip::kode_tampil(&kode),
        });
    }
    Err(AppError::Konflik(
        "Nomor surat sedang dipakai oleh keputusan lain. Coba sekali lagi.".into(),
    ))
}

/// The kecamatan returns a request for what is missing: the clock stops; what was left of the
/// 7 working days is kept for the resubmission.
pub async fn kembalikan(db: &Db, akun: &Akun, id: RekomendasiId, catatan: &str, saat: Saat) -> Hasil<Rekomendasi> {
    let Saat { hari_ini, sekarang } = saat;
    let r = boleh_diputuskan(db, akun, id).await?;
    if r.status != StatusRekomendasi::Diajukan {
        return Err(if r.status.diputuskan() {
            sudah_diputuskan(&r)
        } else {
            AppError::Konflik("Permohonan ini sudah dikembalikan ke desa.".into())
        });
    }
    let catatan = periksa_catatan(
        "catatan",
        catatan,
        Some("Tuliskan apa yang perlu dilengkapi desa sebelum permohonan diajukan kembali."),
    )
    .map_err(AppError::Validasi)?;
    let libur = tanggal_libur(db).await?;
    let sisa = r
        .batas()
        .map_or(HARI_KERJA_REKOMENDASI, |b| hari_kerja_antara(hari_ini, b, &libur))
        .max(1);
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE rekomendasi SET status = 'dikembalikan', sisa_hari_kerja = $2, dikembalikan_pada = $3,
                    dikembalikan_oleh = $4, catatan_pengembalian = $5
             WHERE id = $1 AND status = 'diajukan'",
        )
        .bind(id)
        .bind(i64::from(sisa))
        .bind(sekarang)
        .bind(&akun.username)
        .bind(&catatan)
        .execute(c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        tx.rollback().await.ok();
        return Err(AppError::Konflik(
            "Permohonan ini baru saja diubah; muat ulang halamannya.".into(),
        ));
    }
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::RekomendasiDikembalikan,
        &format!("rekomendasi:{id}"),
        json!({ "sisa_hari_kerja": sisa }),
    )
    .await?;
    tx.commit().await?;
    ambil(db, akun, id).await
}

/// The desa submits a returned request again: the clock runs on with the working days that
/// were left.
pub async fn ajukan_ulang(db: &Db, akun: &Akun, id: RekomendasiId, catatan: &str, saat: Saat) -> Hasil<Rekomendasi> {
    let Saat { hari_ini, sekarang } = saat;
    let r = boleh_ubah(db, akun, id).await?;
    if r.status != StatusRekomendasi::Dikembalikan {
        return Err(AppError::Konflik(
            "Permohonan ini tidak sedang dikembalikan; ia sudah menunggu keputusan Camat.".into(),
        ));
    }
    let catatan = periksa_catatan("catatan", catatan, None).map_err(AppError::Validasi)?;
    let libur = tanggal_libur(db).await?;
    let sisa = r
        .sisa_hari_kerja
        .unwrap_or(i64::from(HARI_KERJA_REKOMENDASI))
        .clamp(1, 7) as u32;
    let batas = iso(tambah_hari_kerja(hari_ini, sisa, &libur));
    let catatan_baru = if catatan.is_empty() {
        r.catatan.clone()
    } else if r.catatan.is_empty() {
        catatan
    } else {
        format!("{}\n{}", r.catatan, catatan)
    };
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE rekomendasi SET status = 'diajukan', batas_waktu = $2, sisa_hari_kerja = NULL, catatan = $3
             WHERE id = $1 AND status = 'dikembalikan'",
        )
        .bind(id)
        .bind(&batas)
        .bind(&catatan_baru)
        .execute(c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        tx.rollback().await.ok();
        return Err(AppError::Konflik(
            "Permohonan ini baru saja diubah; muat ulang halamannya.".into(),
        ));
    }
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::RekomendasiDiajukanUlang,
        &format!("rekomendasi:{id}"),
        json!({ "batas_waktu": batas }),
    )
    .await?;
    tx.commit().await?;
    ambil(db, akun, id).await
}

/// The letter of a decided request (the stored bytes); the access is audited.
pub async fn pdf(
    db: &Db,
    simpanan: &Penyimpanan,
    akun: &Akun,
    id: RekomendasiId,
    sekarang: i64,
) -> Hasil<(Rekomendasi, Bytes)> {
    let r = ambil(db, akun, id).await?;
    let Some(sha) = r.sha256.clone() else {
        return Err(AppError::TidakDitemukanPesan(
            "Surat rekomendasi dibuat setelah Camat memutuskan permohonan ini.".into(),
        ));
    };
    let isi = simpanan.baca(&sha).await?;
    let mut tx = db.begin().await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::RekomendasiDiunduh,
        &format!("rekomendasi:{id}"),
        json!({ "sha256": sha }),
    )
    .await?;
    tx.commit().await?;
    Ok((r, isi))
}

/// What the public verification page shows of a letter: nothing personal.
#[derive(Clone, Debug, Serialize)]
pub struct Verifikasi {
    pub nomor_surat: String,
    pub jenis: JenisRekomendasi,
    pub status: StatusRekomendasi,
    pub desa: String,
    pub kecamatan: String,
    pub kabupaten: String,
    pub diputuskan_pada: i64,
    pub sha256: String,
    pub utuh: bool,
}

/// Looks a verification code up among the letters (public).
pub async fn verifikasi(db: &Db, simpanan: &Penyimpanan, kode: &str) -> Hasil<Option<Verifikasi>> {
    let Some(kode) = crate::laporan::arsip::normalkan_kode(kode) else {
        return Ok(None);
    };
    type Baris = (
        String,
        JenisRekomendasi,
        StatusRekomendasi,
        String,
        String,
        String,
        i64,
        String,
    );
    let row: Option<Baris> = crate::read!(db, c => {
        sqlx::query_as(
            "SELECT r.nomor_surat, r.jenis, r.status, d.nama, k.nama, k.kabupaten_nama, r.diputuskan_pada, r.sha256
             FROM rekomendasi r JOIN desa d ON d.kode = r.desa_kode JOIN kecamatan k ON k.kode = r.kecamatan_kode
             WHERE r.kode_verifikasi = $1 AND r.status IN ('disetujui', 'ditolak')",
        )
        .bind(&kode)
        .fetch_optional(c)
        .await?
    });
    let Some((nomor_surat, jenis, status, desa, kecamatan, kabupaten, diputuskan_pada, sha256)) = row else {
        return Ok(None);
    };
    let utuh = match simpanan.baca(&sha256).await {
        Ok(isi) => hex::encode(Sha256::digest(&isi)) == sha256,
        Err(_) => false,
    };
    Ok(Some(Verifikasi {
        nomor_surat,
        jenis,
        status,
        desa,
        kecamatan,
        kabupaten,
        diputuskan_pada,
        sha256,
        utuh,
    }))
}

/// The approved candidate of an appointment, as an entry of the register (what *Tambah
/// Perangkat* is pre-filled with). Only for its desa's editors.
pub async fn isian_perangkat(db: &Db, akun: &Akun, id: RekomendasiId) -> Hasil<Data> {
    let r = ambil(db, akun, id).await?;
    if !perangkat::boleh_ubah(akun, &r.desa_kode) {
        return Err(AppError::Terlarang);
    }
    let (c, _) = calon_disetujui(db, &r).await?.ok_or_else(|| {
        AppError::Permintaan("Hanya rekomendasi pengangkatan yang sudah disetujui yang dapat dipakai.".into())
    })?;
    Ok(c.sebagai_data(&r.jabatan, &r.dusun))
}

async fn calon_disetujui(db: &Db, r: &Rekomendasi) -> Hasil<Option<(Calon, i64)>> {
    if r.status != StatusRekomendasi::Disetujui || r.jenis != JenisRekomendasi::Pengangkatan {
        return Ok(None);
    }
    let Some(i) = r.calon_disetujui else {
        return Ok(None);
    };
    Ok(calon(db, r.id).await?.into_iter().nth(i as usize).map(|c| (c, i)))
}

fn sama_nama(a: &str, b: &str) -> bool {
    let rapi = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    rapi(a) == rapi(b)
}

fn hanya_angka(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Creates an entry of the register from an approved appointment of that desa: the entry must
/// be its approved candidate (NIK and name) in its position, else 422 naming the field; an
/// approval is used by one entry only.
pub async fn buat_perangkat(
    db: &Db,
    akun: &Akun,
    desa_kode: &str,
    rekomendasi_id: RekomendasiId,
    input: &Data,
    saat: Saat,
) -> Hasil<HasilTulis> {
    if !akun.cakupan.memuat(desa_kode) {
        return Err(AppError::TidakDitemukan);
    }
    if !perangkat::boleh_ubah(akun, desa_kode) {
        return Err(AppError::Terlarang);
    }
    let salah = |m: String| AppError::Validasi(vec![("rekomendasi_id", m)]);
    let r = match ambil(db, akun, rekomendasi_id).await {
        Ok(r) if r.desa_kode == desa_kode => r,
        Ok(_) | Err(AppError::TidakDitemukan) => {
            return Err(salah(format!(
                "Rekomendasi nomor {rekomendasi_id} bukan rekomendasi untuk desa ini."
            )));
        }
        Err(e) => return Err(e),
    };
    let Some((c, _)) = calon_disetujui(db, &r).await? else {
        return Err(salah(format!(
            "Rekomendasi nomor {rekomendasi_id} bukan rekomendasi pengangkatan yang disetujui Camat ({}).",
            r.status.label().to_lowercase()
        )));
    };
    let dipakai: Option<PerangkatId> = crate::read!(db, k => {
        sqlx::query_scalar("SELECT id FROM perangkat WHERE rekomendasi_id = $1 AND dihapus_pada IS NULL LIMIT 1")
            .bind(rekomendasi_id)
            .fetch_optional(k)
            .await?
    });
    if let Some(p) = dipakai {
        return Err(salah(format!(
            "Rekomendasi nomor {rekomendasi_id} sudah dipakai untuk entri perangkat nomor {p}."
        )));
    }
    let mut g: FieldErrors = Vec::new();
    if hanya_angka(&input.nik) != c.nik {
        g.push((
            "nik",
            "NIK berbeda dengan NIK calon yang disetujui dalam rekomendasi Camat.".into(),
        ));
    }
    if !sama_nama(&input.nama, &c.nama) {
        g.push((
            "nama",
            format!(
                "Nama berbeda dengan nama calon yang disetujui dalam rekomendasi Camat ({}).",
                c.nama
            ),
        ));
    }
    if input.jabatan.trim() != r.jabatan
        || (r.jabatan == Jabatan::KepalaDusun.kode() && !sama_nama(&input.dusun, &r.dusun))
    {
        g.push((
            "jabatan",
            "Jabatan berbeda dengan jabatan dalam rekomendasi Camat.".into(),
        ));
    }
    if !g.is_empty() {
        return Err(AppError::Validasi(g));
    }
    perangkat::buat_lengkap(db, akun, desa_kode, input, None, Some(rekomendasi_id), saat).await
}

/// The approved recommendation an entry was made from (Pemeriksaan shows the letter beside the
/// SK).
pub async fn milik_perangkat(db: &Db, akun: &Akun, perangkat_id: PerangkatId) -> Hasil<Option<Rekomendasi>> {
    let id: Option<Option<RekomendasiId>> = crate::read!(db, c => {
        sqlx::query_scalar("SELECT rekomendasi_id FROM perangkat WHERE id = $1")
            .bind(perangkat_id)
            .fetch_optional(c)
            .await?
    });
    match id.flatten() {
        Some(r) => match ambil(db, akun, r).await {
            Ok(r) => Ok(Some(r)),
            Err(AppError::TidakDitemukan) => Ok(None),
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}

/// "batas 12 Desember 2026 — 3 hari kerja lagi" / "terlambat 2 hari kerja".
pub fn teks_batas(r: &Rekomendasi, hari_ini: Date, libur: &BTreeSet<Date>) -> String {
    let Some(b) = r.batas() else {
        return String::new();
    };
    let tgl = crate::waktu::tanggal(b);
    match r.status {
        StatusRekomendasi::Diajukan if b < hari_ini => {
            format!(
                "batas {tgl} — terlambat {} hari kerja",
                hari_kerja_antara(b, hari_ini, libur).max(1)
            )
        }
        StatusRekomendasi::Diajukan if b == hari_ini => format!("batas {tgl} — hari ini"),
        StatusRekomendasi::Diajukan => {
            format!(
                "batas {tgl} — {} hari kerja lagi",
                hari_kerja_antara(hari_ini, b, libur)
            )
        }
        StatusRekomendasi::Dikembalikan => format!(
            "dikembalikan ke desa; sisa {} hari kerja setelah diajukan kembali",
            r.sisa_hari_kerja.unwrap_or(7)
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nama_dibandingkan_tanpa_beda_spasi_dan_huruf_besar() {
        assert!(sama_nama(" Siti  Aminah", "siti aminah"));
        assert!(!sama_nama("Siti Aminah", "Siti Aminah Putri"));
        assert_eq!(hanya_angka("6311 0215 0790 0003"), "6311021507900003");
    }
}
