//! The register in the browser: entry form with SK upload, the record page, the check against
//! the SK (SOP step 4), dismissal, transfer, history, and serving documents.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use time::Date;

use super::{Formulir, Galat, Halaman, alihkan, alihkan_dengan, render, render_status, sama_waktu_tetap, waktu};
use crate::akun::sesi::{JenisPesan, Sesi};
use crate::desa::jabatan::Jabatan;
use crate::desa::{self, Desa, PosisiStruktur};
use crate::dokumen::{self, Dokumen};
use crate::error::{AppError, FieldErrors, Hasil};
use crate::id::{DokumenId, PerangkatId};
use crate::kernel::berkas::{BerkasKiriman, baca_multipart_lunak, respon_berkas};
use crate::kernel::galat::StatusHttp;
use crate::kernel::{AppState, hari_ini, saat};
use crate::perangkat::aturan::Peringatan;
use crate::perangkat::data::{Data, tanggal_id};
use crate::perangkat::kode::{
    Agama, AlasanBerhenti, JenisKelamin, Kode, Pendidikan, StatusAlur, StatusJabatan, label_dari,
};
use crate::perangkat::medan::{self, Bagian, MEDAN, Tampil};
use crate::perangkat::{self, Baris, HasilTulis, InputBerhenti, Perangkat, Riwayat, Saring, boleh_ubah};
use crate::sk::cocok::{Hasil as HasilCocok, HasilMedan};
use crate::sk::hasil::Pencocokan;

/// A choice of a `<select>`.
pub struct Pilihan {
    pub kode: String,
    pub label: String,
}

pub fn pilihan<K: Kode>() -> Vec<Pilihan> {
    K::SEMUA
        .iter()
        .map(|k| Pilihan {
            kode: k.kode().into(),
            label: k.label().into(),
        })
        .collect()
}

/// The positions a desa may fill: its structure, Kepala Dusun and Staf.
pub fn pilihan_jabatan(desa: &Desa) -> Vec<Pilihan> {
    let mut v: Vec<Pilihan> = desa
        .struktur()
        .jabatan()
        .iter()
        .map(|j| Pilihan {
            kode: j.kode().into(),
            label: desa.nama_jabatan(*j),
        })
        .collect();
    v.push(Pilihan {
        kode: Jabatan::KepalaDusun.kode().into(),
        label: desa.sebutan_kepala_dusun.clone(),
    });
    v.push(Pilihan {
        kode: Jabatan::Staf.kode().into(),
        label: Jabatan::Staf.nama().into(),
    });
    v
}

/// One labelled value on a read-only page.
pub struct Nilai {
    pub label: &'static str,
    pub nilai: String,
}

pub struct Kelompok {
    pub judul: &'static str,
    pub baris: Vec<Nilai>,
}

/// The record's values grouped as on the form, in words a person reads (the groups and rows
/// come from the field table).
pub fn kelompokkan(d: &Data, desa: &Desa) -> Vec<Kelompok> {
    let n = |label: &'static str, nilai: String| Nilai {
        label,
        nilai: if nilai.is_empty() { "—".into() } else { nilai },
    };
    Bagian::SEMUA
        .into_iter()
        .filter(|b| b.tampak(d))
        .map(|b| Kelompok {
            judul: b.judul(),
            baris: MEDAN
                .iter()
                .filter(|m| m.bagian == b)
                .filter_map(|m| match m.tampil {
                    Tampil::Baris => Some(n(m.label, m.jenis.kata(d.nilai(m.kolom)))),
                    Tampil::Label(label) => Some(n(label, m.jenis.kata(d.nilai(m.kolom)))),
                    Tampil::Hitung(label, nilai) => Some(n(label, nilai(d, desa))),
                    Tampil::Tidak => None,
                })
                .collect(),
        })
        .collect()
}

/// A row of the desa page.
pub struct BarisTampil {
    pub id: PerangkatId,
    pub nama: String,
    pub jabatan: String,
    pub sk: String,
    pub tmt: String,
    pub akhir: String,
    pub status: StatusAlur,
    pub pernah_disimpan: bool,
    pub catatan: String,
    pub peringatan: Vec<String>,
    pub berhenti: String,
    /// Returned by the kecamatan, with its note.
    pub dikembalikan: bool,
    pub catatan_kecamatan: String,
    pub terverifikasi: bool,
}

impl BarisTampil {
    /// A saved record with changes not yet checked.
    pub fn ada_revisi(&self) -> bool {
        self.status != StatusAlur::Tersimpan
    }
}

fn tampilkan(b: &Baris, desa: &Desa, hari: Date) -> BarisTampil {
    BarisTampil {
        id: b.id,
        nama: b.data.nama_lengkap(),
        jabatan: b.data.nama_jabatan(desa),
        sk: format!(
            "{} ({})",
            b.data.nomor_sk_pengangkatan,
            tanggal_id(&b.data.tanggal_sk_pengangkatan)
        ),
        tmt: tanggal_id(&b.data.tmt),
        akhir: b
            .data
            .akhir_masa_jabatan()
            .map(crate::waktu::tanggal)
            .unwrap_or_else(|| "—".into()),
        status: b.status,
        pernah_disimpan: b.pernah_disimpan,
        catatan: b.catatan_pemeriksaan.clone(),
        peringatan: b.data.peringatan(hari).into_iter().map(|p| p.pesan).collect(),
        berhenti: if b.data.aktif() {
            String::new()
        } else {
            format!(
                "{} — {}",
                tanggal_id(&b.data.tanggal_sk_pemberhentian),
                label_dari::<AlasanBerhenti>(&b.data.alasan_pemberhentian)
            )
        },
        dikembalikan: false,
        catatan_kecamatan: String::new(),
        terverifikasi: false,
    }
}

#[derive(Template)]
#[template(path = "desa.html")]
struct HalamanDesa {
    h: Halaman,
    d: Desa,
    dusun: Vec<String>,
    posisi: Vec<PosisiStruktur>,
    lowongan: Vec<PosisiStruktur>,
    aktif: Vec<BarisTampil>,
    mantan: Vec<BarisTampil>,
    tindakan: Vec<BarisTampil>,
    menunggu: usize,
    cari: String,
    editor: bool,
    boleh_atur: bool,
    kembali: Option<&'static str>,
    diubah: String,
    laporan: Vec<super::laporan::LaporanTampil>,
    /// For the Kepala Desa: reports waiting for their answer.
    laporan_masuk: usize,
}

/// `/desa/{kode}`: the desa's officials, vacancies and what needs action.
pub async fn halaman_desa(
    State(state): State<AppState>,
    sesi: Sesi,
    Path(kode): Path<String>,
    Query(q): Query<super::desa::Cari>,
) -> Hasil<Response> {
    let d = desa::ambil(&state.db, &sesi.akun, &kode).await?;
    let dusun = desa::dusun(&state.db, &d.kode).await?;
    let editor = boleh_ubah(&sesi.akun, &d.kode);
    let saring = Saring {
        cari: q.cari.clone(),
        per_halaman: Some(500),
        ..Default::default()
    };
    // The register as it stands (saved data) …
    let tersimpan = Saring {
        hanya_tersimpan: true,
        ..saring.clone()
    };
    let (register, _) = perangkat::daftar(&state.db, &sesi.akun, Some(&d.kode), &tersimpan).await?;
    // … and, for the operator, what is being worked on.
    let kerja = if editor {
        perangkat::daftar(&state.db, &sesi.akun, Some(&d.kode), &saring)
            .await?
            .0
    } else {
        Vec::new()
    };
    let hari = hari_ini(&state);
    let mut aktif = Vec::new();
    let mut mantan = Vec::new();
    // The kecamatan's verification: returned records and verified saved versions.
    let (dikembalikan, terverifikasi): (Vec<(PerangkatId, String)>, Vec<PerangkatId>) = crate::read!(state.db, c => {
        (
            sqlx::query_as("SELECT id, catatan_kecamatan FROM perangkat WHERE desa_kode = $1 AND dikembalikan")
                .bind(&d.kode)
                .fetch_all(c)
                .await?,
            sqlx::query_scalar("SELECT perangkat_id FROM perangkat_tersimpan WHERE desa_kode = $1 AND verifikasi_pada IS NOT NULL")
                .bind(&d.kode)
                .fetch_all(c)
                .await?,
        )
    });
    let tindakan: Vec<BarisTampil> = kerja
        .iter()
        .filter(|b| b.status != StatusAlur::Tersimpan)
        .map(|b| BarisTampil {
            catatan_kecamatan: dikembalikan
                .iter()
                .find(|(id, _)| *id == b.id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default(),
            dikembalikan: dikembalikan.iter().any(|(id, _)| *id == b.id),
            ..tampilkan(b, &d, hari)
        })
        .collect();
    for b in &register {
        let mut t = tampilkan(b, &d, hari);
        t.terverifikasi = terverifikasi.contains(&b.id);
        t.dikembalikan = dikembalikan.iter().any(|(id, _)| *id == b.id);
        // A saved row with a revision waiting for the check.
        if let Some(k) = tindakan.iter().find(|k| k.id == b.id) {
            t.status = k.status;
        }
        if b.data.aktif() { aktif.push(t) } else { mantan.push(t) }
    }
    let lowongan = perangkat::lowongan(&state.db, &d, &dusun).await?;
    let posisi = d.posisi(&dusun);
    let lingkup = super::menu_desa(&sesi.akun, &d.kode);
    let h = Halaman::baru(&state, &sesi, format!("Desa {}", d.nama), &lingkup);
    let kembali = (!sesi.akun.peran.lingkup_desa()).then_some("/desa");
    let laporan = crate::laporan::arsip::daftar(&state.db, &sesi.akun, Some(&d.kode), 5)
        .await?
        .into_iter()
        .map(|l| super::laporan::LaporanTampil::dari(&state, l))
        .collect();
    let laporan_masuk = if crate::laporan::arsip::boleh_tanggapi(&sesi.akun, &d.kode) {
        crate::laporan::arsip::daftar(&state.db, &sesi.akun, Some(&d.kode), 500)
            .await?
            .iter()
            .filter(|l| l.status == crate::laporan::arsip::StatusLaporan::Menunggu)
            .count()
    } else {
        0
    };
    Ok(render(&HalamanDesa {
        laporan_masuk,
        laporan,
        h,
        menunggu: tindakan.len(),
        diubah: waktu(&state, d.diubah_pada),
        boleh_atur: sesi.akun.peran == crate::akun::Peran::Admin,
        d,
        dusun,
        posisi,
        lowongan,
        aktif,
        mantan,
        tindakan,
        cari: q.cari,
        editor,
        kembali,
    }))
}

/// A multipart form posted by a logged-in user: its text fields and, if chosen, its file.
pub struct Kiriman {
    pub sesi: Sesi,
    pub teks: HashMap<String, String>,
    pub berkas: Option<(String, Bytes)>,
    /// The file chosen was over the upload limit (it was not kept): the entry is still saved
    /// and only the file is refused.
    pub berkas_terlalu_besar: Option<usize>,
}

impl<S> FromRequest<S> for Kiriman
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let app = AppState::from_ref(state);
        let (mut parts, body) = req.into_parts();
        let sesi = Sesi::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if !super::asal_sama(&parts.headers, super::peer_dari(&parts), &app.config) {
            return Err(AppError::Terlarang.into_response());
        }
        let req = Request::from_parts(parts, body);
        let mp = Multipart::from_request(req, state).await.map_err(|_| {
            AppError::Permintaan("Formulir harus dikirim sebagai multipart/form-data.".into()).into_response()
        })?;
        let (teks, berkas) = baca_multipart_lunak(mp, app.config.batas_unggah)
            .await
            .map_err(IntoResponse::into_response)?;
        let (berkas, berkas_terlalu_besar) = match berkas {
            BerkasKiriman::Tidak => (None, None),
            BerkasKiriman::Ada(n, b) => (Some((n, b)), None),
            BerkasKiriman::TerlaluBesar { batas } => (None, Some(batas)),
        };
        let token = teks.get("_csrf").map(String::as_str).unwrap_or("");
        if !sama_waktu_tetap(token.as_bytes(), sesi.csrf.as_bytes()) {
            return Err(super::halaman_galat(
                StatusCode::FORBIDDEN,
                "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman, lalu kirim kembali.",
            ));
        }
        Ok(Kiriman {
            sesi,
            teks,
            berkas,
            berkas_terlalu_besar,
        })
    }
}

impl Kiriman {
    /// The errors of a form shown again, with the file's own when it was over the limit; and
    /// whether a chosen file was not kept (it must be chosen again).
    fn galat_berkas(&self, mut g: FieldErrors) -> (FieldErrors, bool) {
        if let Some(batas) = self.berkas_terlalu_besar {
            g.push(("berkas", AppError::TerlaluBesar { batas }.pesan()));
        }
        (g, self.berkas.is_some() || self.berkas_terlalu_besar.is_some())
    }

    fn data(&self) -> Data {
        serde_json::to_value(&self.teks)
            .and_then(serde_json::from_value)
            .unwrap_or_default()
    }

    fn nilai(&self, k: &str) -> &str {
        self.teks.get(k).map(String::as_str).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "perangkat_form.html")]
struct HalamanForm {
    h: Halaman,
    desa: Desa,
    judul: String,
    aksi: String,
    input: Data,
    versi: i64,
    galat: Galat,
    jabatan: Vec<Pilihan>,
    dusun: Vec<String>,
    jenis_kelamin: Vec<Pilihan>,
    agama: Vec<Pilihan>,
    pendidikan: Vec<Pilihan>,
    status_jabatan: Vec<Pilihan>,
    catatan: String,
    mutasi: bool,
    berkas_hilang: bool,
    batal: String,
    batas_mb: usize,
    /// The approved Camat's recommendation the entry is made from (issue 17).
    rekomendasi: Option<i64>,
    konflik: Option<Vec<BedaKonflik>>,
}

/// The fields of the entry form (and the dismissal form) from top to bottom: the order of
/// its error summary (issue 14, point 10). `tests/app/harian.rs` checks it against the page.
const URUTAN_FORM: &[&str] = &[
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "nik",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "agama",
    "pendidikan_terakhir",
    "pangkat_golongan",
    "niap",
    "nip",
    "nomor_hp",
    "alamat",
    "jabatan",
    "dusun",
    "status_jabatan",
    "nomor_sk_pengangkatan",
    "tanggal_sk_pengangkatan",
    "tmt",
    "akhir_masa_jabatan_sk",
    "nomor_sk_pemberhentian",
    "tanggal_sk_pemberhentian",
    "alasan_pemberhentian",
    "berkas",
    "keterangan",
];

/// A field that differs between what is saved now and what was typed (a conflict, point 9).
struct BedaKonflik {
    label: &'static str,
    tersimpan: String,
    diketik: String,
}

/// The fields of the form whose value in `sekarang` differs from `diketik`, as people read them.
fn beda_konflik(sekarang: &Data, diketik: &Data) -> Vec<BedaKonflik> {
    let tampil = |m: &medan::Medan, d: &Data| {
        let v = d.nilai(m.kolom).trim();
        match m.jenis {
            medan::Jenis::Teks => v.to_string(),
            medan::Jenis::Tanggal => tanggal_id(v),
            medan::Jenis::Kode(label) if !v.is_empty() => label(v).to_string(),
            medan::Jenis::Kode(_) => String::new(),
        }
    };
    URUTAN_FORM
        .iter()
        .filter_map(|f| MEDAN.iter().find(|m| m.kolom == *f))
        .filter(|m| sekarang.nilai(m.kolom).trim() != diketik.nilai(m.kolom).trim())
        .map(|m| BedaKonflik {
            label: m.label,
            tersimpan: tampil(m, sekarang),
            diketik: tampil(m, diketik),
        })
        .collect()
}

/// What the entry form shows.
struct IsiForm {
    desa: Desa,
    judul: String,
    /// Where the form posts to.
    aksi: String,
    input: Data,
    versi: i64,
    galat: FieldErrors,
    /// The note of a "Tidak Sesuai" check, shown above the form.
    catatan: String,
    mutasi: bool,
    /// Where "Batal" leads.
    batal: String,
    /// A file was chosen but not kept because of other errors.
    berkas_hilang: bool,
    rekomendasi: Option<i64>,
    /// Someone else changed the record since the form was opened: what is saved now beside
    /// what was typed (the form keeps what was typed, with the current version).
    konflik: Option<Vec<BedaKonflik>>,
}

async fn tampil_form(state: &AppState, sesi: &Sesi, f: IsiForm) -> Hasil<Response> {
    let IsiForm {
        desa,
        judul,
        aksi,
        input,
        versi,
        galat,
        catatan,
        mutasi,
        batal,
        berkas_hilang,
        rekomendasi,
        konflik,
    } = f;
    let dusun = desa::dusun(&state.db, &desa.kode).await?;
    let status = if konflik.is_some() {
        StatusCode::CONFLICT
    } else {
        super::status_galat(&galat)
    };
    let aktif = super::menu_desa(&sesi.akun, &desa.kode);
    let t = HalamanForm {
        h: Halaman::baru(state, sesi, judul.clone(), &aktif),
        jabatan: pilihan_jabatan(&desa),
        desa,
        judul,
        aksi,
        input,
        versi,
        galat: Galat::dari_urut(galat, URUTAN_FORM),
        dusun,
        jenis_kelamin: pilihan::<JenisKelamin>(),
        agama: pilihan::<Agama>(),
        pendidikan: pilihan::<Pendidikan>(),
        status_jabatan: pilihan::<StatusJabatan>(),
        catatan,
        mutasi,
        berkas_hilang,
        batal,
        batas_mb: state.config.batas_unggah / (1024 * 1024),
        rekomendasi,
        konflik,
    };
    Ok(render_status(status, &t))
}

#[derive(serde::Deserialize, Default)]
pub struct DariRekomendasi {
    #[serde(default)]
    rekomendasi: Option<String>,
}

/// `GET /desa/{kode}/perangkat/baru[?rekomendasi=ID]`.
pub async fn baru(
    State(state): State<AppState>,
    sesi: Sesi,
    Path(kode): Path<String>,
    Query(q): Query<DariRekomendasi>,
) -> Hasil<Response> {
    let d = desa::ambil(&state.db, &sesi.akun, &kode).await?;
    if !boleh_ubah(&sesi.akun, &d.kode) {
        return Err(AppError::Terlarang);
    }
    // An approved appointment pre-fills the entry: the candidate and the position.
    let rekomendasi = q.rekomendasi.as_deref().and_then(|r| r.trim().parse::<i64>().ok());
    let input = match rekomendasi {
        Some(r) => {
            let r = crate::rekomendasi::ambil(&state.db, &sesi.akun, crate::id::RekomendasiId(r)).await?;
            if r.desa_kode != d.kode {
                return Err(AppError::TidakDitemukan);
            }
            crate::rekomendasi::isian_perangkat(&state.db, &sesi.akun, r.id).await?
        }
        None => Data {
            status_jabatan: "definitif".into(),
            ..Default::default()
        },
    };
    let aksi = format!("/desa/{}/perangkat", d.kode);
    let batal = format!("/desa/{}", d.kode);
    tampil_form(
        &state,
        &sesi,
        IsiForm {
            desa: d,
            judul: "Tambah Perangkat".into(),
            aksi,
            input,
            versi: 0,
            galat: vec![],
            catatan: String::new(),
            mutasi: false,
            batal,
            berkas_hilang: false,
            rekomendasi,
            konflik: None,
        },
    )
    .await
}

/// Stores the file of a form (if one was chosen) as the record's SK pengangkatan.
async fn simpan_berkas(state: &AppState, k: &Kiriman, id: PerangkatId, jenis: &str) -> Hasil<()> {
    if let Some(batas) = k.berkas_terlalu_besar {
        return Err(AppError::TerlaluBesar { batas });
    }
    if let Some((nama, isi)) = &k.berkas {
        if isi.is_empty() {
            return Err(AppError::Validasi(vec![(
                "berkas",
                "Berkas yang dipilih kosong (0 bait).".into(),
            )]));
        }
        crate::sk::unggah(
            &state.db,
            &state.simpanan,
            &state.antrean,
            &k.sesi.akun,
            id,
            dokumen::Unggahan {
                jenis,
                nama_asli: nama,
                isi: isi.clone(),
            },
            state.clock.now(),
        )
        .await?;
    }
    Ok(())
}

/// Where to go after saving the form: the check screen, or the record.
fn tujuan(k: &Kiriman, id: PerangkatId) -> String {
    if k.nilai("lanjut") == "periksa" {
        format!("/perangkat/{id}/pemeriksaan")
    } else {
        format!("/perangkat/{id}")
    }
}

/// The message after a write, with the warnings to look at.
fn pesan_tulis(awal: &str, h: &HasilTulis) -> String {
    if h.peringatan.is_empty() {
        awal.to_string()
    } else {
        format!(
            "{awal} Ada {} peringatan yang perlu diperhatikan pada pemeriksaan.",
            h.peringatan.len()
        )
    }
}

/// Upload errors of a form whose data was saved: shown on the record page, data kept.
async fn setelah_simpan(state: &AppState, k: &Kiriman, h: &HasilTulis, awal: &str) -> Hasil<Response> {
    match simpan_berkas(state, k, h.id, "sk_pengangkatan").await {
        Ok(()) => {
            // The machine's check follows the change (its warnings count too). The record's
            // warnings were made before the file was stored: an SK sent with the form is there now.
            let mut semua = HasilTulis {
                id: h.id,
                status: h.status,
                versi: h.versi,
                peringatan: h
                    .peringatan
                    .iter()
                    .filter(|p| !(k.berkas.is_some() && p.kode == "sk_belum_ada"))
                    .cloned()
                    .collect(),
            };
            crate::sk::setelah_tulis(&state.db, &k.sesi.akun, &mut semua, state.clock.now()).await?;
            alihkan(state, &k.sesi, &tujuan(k, h.id), &pesan_tulis(awal, &semua)).await
        }
        Err(e @ (AppError::Validasi(_) | AppError::JenisTidakDiterima | AppError::TerlaluBesar { .. })) => {
            let pesan = format!(
                "{awal} Namun berkas SK tidak diterima: {} Unggah ulang di bawah.",
                e.pesan()
            );
            alihkan_dengan(
                state,
                &k.sesi,
                &format!("/perangkat/{}", h.id),
                &pesan,
                JenisPesan::Peringatan,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `POST /desa/{kode}/perangkat`: a new entry (`draft`), with its SK scan if chosen.
pub async fn buat(State(state): State<AppState>, Path(kode): Path<String>, k: Kiriman) -> Hasil<Response> {
    let d = desa::ambil(&state.db, &k.sesi.akun, &kode).await?;
    let input = k.data();
    let rekomendasi = k.nilai("rekomendasi_id").trim().parse::<i64>().ok();
    let hasil = match rekomendasi {
        Some(r) => {
            crate::rekomendasi::buat_perangkat(
                &state.db,
                &k.sesi.akun,
                &d.kode,
                crate::id::RekomendasiId(r),
                &input,
                saat(&state),
            )
            .await
        }
        None => perangkat::buat(&state.db, &k.sesi.akun, &d.kode, &input, None, saat(&state)).await,
    };
    match hasil {
        Ok(h) => setelah_simpan(&state, &k, &h, &format!("Draf data {} tersimpan.", input.nama.trim())).await,
        Err(AppError::Validasi(g)) => {
            let aksi = format!("/desa/{}/perangkat", d.kode);
            let batal = format!("/desa/{}", d.kode);
            let (g, hilang) = k.galat_berkas(g);
            tampil_form(
                &state,
                &k.sesi,
                IsiForm {
                    desa: d,
                    judul: "Tambah Perangkat".into(),
                    aksi,
                    input,
                    versi: 0,
                    galat: g,
                    catatan: String::new(),
                    mutasi: false,
                    batal,
                    berkas_hilang: hilang,
                    rekomendasi,
                    konflik: None,
                },
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `GET /perangkat/{id}/ubah`.
pub async fn ubah_form(State(state): State<AppState>, sesi: Sesi, Path(id): Path<PerangkatId>) -> Hasil<Response> {
    let p = perangkat::ambil(&state.db, &sesi.akun, id).await?;
    if !boleh_ubah(&sesi.akun, &p.desa_kode) {
        return Err(AppError::Terlarang);
    }
    let d = desa::ambil(&state.db, &sesi.akun, &p.desa_kode).await?;
    let judul = format!("Ubah Data {}", p.data.nama);
    tampil_form(
        &state,
        &sesi,
        IsiForm {
            desa: d,
            judul,
            aksi: format!("/perangkat/{id}/ubah"),
            input: p.data.clone(),
            versi: p.versi,
            galat: vec![],
            catatan: p.catatan_pemeriksaan.clone(),
            mutasi: false,
            batal: format!("/perangkat/{id}"),
            berkas_hilang: false,
            rekomendasi: None,
            konflik: None,
        },
    )
    .await
}

/// `POST /perangkat/{id}/ubah`.
pub async fn ubah(State(state): State<AppState>, Path(id): Path<PerangkatId>, k: Kiriman) -> Hasil<Response> {
    let input = k.data();
    let versi: i64 = k.nilai("versi").parse().unwrap_or(-1);
    let r = perangkat::ubah(&state.db, &k.sesi.akun, id, versi, &input, "diubah", saat(&state)).await;
    match r {
        Ok(h) => {
            setelah_simpan(
                &state,
                &k,
                &h,
                "Perubahan tersimpan sebagai draf; periksa kembali terhadap SK.",
            )
            .await
        }
        // A conflict keeps what was typed beside what is saved now (point 9); the form then
        // carries the current version, so sending again is a choice made with both in view.
        Err(e @ (AppError::Validasi(_) | AppError::Konflik(_))) => {
            let p = perangkat::ambil(&state.db, &k.sesi.akun, id).await?;
            let (g, versi, konflik) = match e {
                AppError::Validasi(g) => (g, versi, None),
                _ => (Vec::new(), p.versi, Some(beda_konflik(&p.data, &input))),
            };
            let d = desa::ambil(&state.db, &k.sesi.akun, &p.desa_kode).await?;
            let judul = format!("Ubah Data {}", p.data.nama);
            let (g, hilang) = k.galat_berkas(g);
            tampil_form(
                &state,
                &k.sesi,
                IsiForm {
                    desa: d,
                    judul,
                    aksi: format!("/perangkat/{id}/ubah"),
                    input,
                    versi,
                    galat: g,
                    catatan: p.catatan_pemeriksaan,
                    mutasi: false,
                    batal: format!("/perangkat/{id}"),
                    berkas_hilang: hilang,
                    rekomendasi: None,
                    konflik,
                },
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "perangkat.html")]
struct HalamanPerangkat {
    h: Halaman,
    id: PerangkatId,
    desa: Desa,
    nama: String,
    status: StatusAlur,
    perlu_periksa: bool,
    versi: i64,
    catatan: String,
    editor: bool,
    aktif: bool,
    pernah_disimpan: bool,
    revisi: bool,
    kelompok: Vec<Kelompok>,
    kelompok_tersimpan: Vec<Kelompok>,
    peringatan: Vec<Peringatan>,
    dokumen: Vec<Dokumen>,
    /// The latest photo, if any.
    foto: Option<DokumenId>,
    /// Whether the photo is hidden from the public register.
    foto_disembunyikan: bool,
    riwayat_jabatan: Vec<BarisTampil>,
    disimpan: String,
    batas_mb: usize,
    /// The kecamatan's verification of the saved version.
    verifikasi: Option<crate::perangkat::verifikasi::StatusVerifikasi>,
    verifikasi_pada: String,
    boleh_verifikasi: bool,
    /// The machine's check against the SK.
    mesin: Pencocokan,
}

/// What a user may see of a record: editors the working values (and the saved version
/// beside them); other roles only the saved version.
async fn muat(
    state: &AppState,
    sesi: &Sesi,
    id: PerangkatId,
) -> Hasil<(Option<Perangkat>, Option<perangkat::Tersimpan>)> {
    let t = perangkat::ambil_tersimpan(&state.db, &sesi.akun, id).await?;
    let p = match perangkat::ambil(&state.db, &sesi.akun, id).await {
        Ok(p) if boleh_ubah(&sesi.akun, &p.desa_kode) => Some(p),
        Ok(_) | Err(AppError::TidakDitemukan) => None,
        Err(e) => return Err(e),
    };
    if p.is_none() && t.is_none() {
        return Err(AppError::TidakDitemukan);
    }
    Ok((p, t))
}

/// `GET /perangkat/{id}`.
pub async fn halaman(State(state): State<AppState>, sesi: Sesi, Path(id): Path<PerangkatId>) -> Hasil<Response> {
    let (p, t) = match muat(&state, &sesi, id).await {
        // A removed draft (opened from an old tab or link): its history is what is left.
        Err(AppError::TidakDitemukan) if perangkat::ambil_dihapus(&state.db, &sesi.akun, id).await?.is_some() => {
            return alihkan(
                &state,
                &sesi,
                &format!("/perangkat/{id}/riwayat"),
                "Draf ini sudah dihapus; yang tersisa hanya riwayatnya.",
            )
            .await;
        }
        r => r?,
    };
    let desa_kode = p
        .as_ref()
        .map(|p| p.desa_kode.clone())
        .or_else(|| t.as_ref().map(|t| t.desa_kode.clone()))
        .unwrap_or_default();
    let desa = desa::ambil(&state.db, &sesi.akun, &desa_kode).await?;
    let editor = p.is_some();
    let data = p
        .as_ref()
        .map(|p| p.data.clone())
        .or_else(|| t.as_ref().map(|t| t.data.clone()))
        .unwrap_or_default();
    let status = p.as_ref().map(Perangkat::status_alur).unwrap_or(StatusAlur::Tersimpan);
    let revisi = t.is_some() && status != StatusAlur::Tersimpan;
    let hari = hari_ini(&state);
    let mut peringatan = perangkat::peringatan(&state.db, Some(id), &desa.kode, &data, hari).await?;
    let mesin = crate::sk::hasil::untuk(&state.db, &sesi.akun, id, state.clock.now()).await?;
    peringatan.extend(mesin.peringatan());
    let mut dokumen = dokumen::daftar(&state.db, &sesi.akun, id).await?;
    if !editor {
        // Only the documents of the saved version.
        let terakhir = t.as_ref().map(|t| t.dokumen_terakhir).unwrap_or(DokumenId(0));
        dokumen.retain(|d| d.id <= terakhir);
    }
    let riwayat_jabatan = perangkat::riwayat_jabatan(&state.db, &sesi.akun, &data.nik, id)
        .await?
        .iter()
        .map(|b| tampilkan(b, &desa, hari))
        .collect();
    let lingkup = super::menu_desa(&sesi.akun, &desa.kode);
    let h = Halaman::baru(&state, &sesi, data.nama_lengkap(), &lingkup);
    let data = data.untuk(&sesi.akun);
    let t = t.map(|mut t| {
        t.data = t.data.untuk(&sesi.akun);
        t
    });
    let verifikasi = if t.is_some() {
        Some(crate::perangkat::verifikasi::status(&state.db, &sesi.akun, id).await?)
    } else {
        None
    };
    Ok(render(&HalamanPerangkat {
        h,
        id,
        verifikasi_pada: verifikasi
            .as_ref()
            .and_then(|v| v.verifikasi_pada)
            .map(|w| waktu(&state, w))
            .unwrap_or_default(),
        boleh_verifikasi: crate::perangkat::verifikasi::boleh_verifikasi(&sesi.akun),
        verifikasi,
        mesin,
        nama: data.nama_lengkap(),
        status,
        perlu_periksa: status != StatusAlur::Tersimpan,
        versi: p.as_ref().map(|p| p.versi).unwrap_or(0),
        catatan: p.as_ref().map(|p| p.catatan_pemeriksaan.clone()).unwrap_or_default(),
        editor,
        aktif: data.aktif(),
        pernah_disimpan: t.is_some(),
        revisi,
        kelompok: kelompokkan(&data, &desa),
        kelompok_tersimpan: if revisi {
            t.as_ref().map(|t| kelompokkan(&t.data, &desa)).unwrap_or_default()
        } else {
            vec![]
        },
        disimpan: t
            .as_ref()
            .map(|t| format!("{} oleh {}", waktu(&state, t.disimpan_pada), t.disimpan_oleh))
            .unwrap_or_default(),
        peringatan,
        foto: dokumen.iter().find(|d| d.jenis == "foto").map(|d| d.id),
        foto_disembunyikan: crate::publik::foto_disembunyikan(&state.db, id).await?,
        batas_mb: state.config.batas_unggah / (1024 * 1024),
        dokumen,
        riwayat_jabatan,
        desa,
    }))
}

/// `POST /perangkat/{id}/dokumen`: another document of the record.
pub async fn unggah(State(state): State<AppState>, Path(id): Path<PerangkatId>, k: Kiriman) -> Hasil<Response> {
    perangkat::boleh_tulis(&state.db, &k.sesi.akun, id).await?;
    let jenis = k.nilai("jenis").to_string();
    // From Pemeriksaan the user stays on Pemeriksaan, whatever became of the file.
    let ke = if k.nilai("lanjut") == "periksa" {
        format!("/perangkat/{id}/pemeriksaan")
    } else {
        format!("/perangkat/{id}")
    };
    if k.berkas_terlalu_besar.is_none() && k.berkas.as_ref().is_none_or(|(_, b)| b.is_empty()) {
        return alihkan_dengan(
            &state,
            &k.sesi,
            &ke,
            "Pilih berkas yang akan diunggah terlebih dahulu.",
            JenisPesan::Galat,
        )
        .await;
    }
    match simpan_berkas(&state, &k, id, &jenis).await {
        Ok(()) => alihkan(&state, &k.sesi, &ke, "Dokumen terunggah.").await,
        Err(e @ (AppError::Validasi(_) | AppError::JenisTidakDiterima | AppError::TerlaluBesar { .. })) => {
            let status = e.status();
            let mut r = alihkan_dengan(
                &state,
                &k.sesi,
                &ke,
                &format!("Dokumen tidak diterima: {}", e.pesan()),
                JenisPesan::Galat,
            )
            .await?;
            // Keep the redirect (the page shows the message), but say what happened to clients.
            r.headers_mut()
                .insert("x-sipkatdes-status", HeaderValue::from(status.as_u16()));
            Ok(r)
        }
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct OpsiUnduh {
    #[serde(default)]
    unduh: Option<String>,
}

/// `GET /dokumen/{id}`: the file, never as a page: its own type, nosniff, a safe name, and a
/// CSP that runs nothing. Every access is written to the audit log.
pub async fn berkas(
    State(state): State<AppState>,
    sesi: Sesi,
    Path(id): Path<DokumenId>,
    Query(q): Query<OpsiUnduh>,
) -> Hasil<Response> {
    let (d, isi) = dokumen::unduh(&state.db, &state.simpanan, &sesi.akun, id, state.clock.now()).await?;
    Ok(respon_berkas(&d, isi, q.unduh.is_some()))
}

#[derive(Template)]
#[template(path = "pemeriksaan.html")]
struct HalamanPemeriksaan {
    h: Halaman,
    id: PerangkatId,
    nama: String,
    versi: i64,
    sudah_tersimpan: bool,
    catatan: String,
    kelompok: Vec<Kelompok>,
    peringatan: Vec<Peringatan>,
    sk: Option<Dokumen>,
    galat: Galat,
    catatan_baru: String,
    /// The machine's reading of the SK, and its mark beside each compared row (by its label).
    mesin: Pencocokan,
    tanda: Vec<(&'static str, Tanda)>,
    batas_mb: usize,
    /// The boxes ticked when the page was sent back (by group, the first is `cek_1`).
    dicentang: Vec<bool>,
    /// The Camat's approved recommendation behind this entry: its letter beside the SK.
    rekomendasi: Option<SuratDasar>,
}

/// The letter an entry rests on, as the check screen names it.
struct SuratDasar {
    id: crate::id::RekomendasiId,
    nomor: String,
    tanggal: String,
    oleh: String,
}

impl HalamanPemeriksaan {
    /// Was the box of the `n`-th group (from 1) ticked when the page was sent?
    fn dicentang(&self, n: &usize) -> bool {
        n.checked_sub(1)
            .and_then(|i| self.dicentang.get(i))
            .copied()
            .unwrap_or(false)
    }

    /// The marks of a row (a row may show two fields: "Tempat, tanggal lahir").
    fn tanda_untuk<S: AsRef<str> + ?Sized>(&self, label: &S) -> Vec<&Tanda> {
        self.tanda
            .iter()
            .filter(|(l, _)| *l == label.as_ref())
            .map(|(_, t)| t)
            .collect()
    }
}

/// The machine's mark beside a field: a symbol and words (never colour alone).
pub struct Tanda {
    /// `cocok`, `mirip`, `tidak`: the CSS class.
    pub kelas: &'static str,
    pub simbol: &'static str,
    pub kata: &'static str,
    /// The SK's own text (for `mirip`).
    pub teks_sk: Option<String>,
    /// "Tanggal lahir: " when the row shows more than this field.
    pub awalan: String,
}

impl Tanda {
    fn dari(m: &HasilMedan, baris: &str) -> Tanda {
        let (kelas, simbol, kata) = match m.hasil {
            HasilCocok::Cocok => ("cocok", "✓", "Cocok dengan SK"),
            HasilCocok::Mirip => ("mirip", "≈", "Mirip — berbeda dengan SK"),
            HasilCocok::TidakDitemukan => ("tidak", "—", "Tidak disebut di SK"),
            HasilCocok::TidakTerbaca => ("tidak", "—", "Tidak terbaca"),
        };
        Tanda {
            kelas,
            simbol,
            kata,
            teks_sk: (m.hasil == HasilCocok::Mirip).then(|| m.teks_sk.clone().unwrap_or_default()),
            awalan: if m.field.label() == baris {
                String::new()
            } else {
                format!("{}: ", m.field.label())
            },
        }
    }
}

/// The label of the row that shows a compared field (on the record page and the check screen).
fn label_baris(kolom: &str) -> Option<&'static str> {
    let m = MEDAN.iter().find(|m| m.kolom == kolom)?;
    match m.tampil {
        Tampil::Baris => Some(m.label),
        Tampil::Label(l) | Tampil::Hitung(l, _) => Some(l),
        Tampil::Tidak => None,
    }
}

/// The marks of a finished reading, by row label.
fn tanda_mesin(p: &Pencocokan) -> Vec<(&'static str, Tanda)> {
    if !p.selesai() {
        return vec![];
    }
    p.medan
        .iter()
        .filter_map(|m| {
            let baris = label_baris(m.field.kode())?;
            Some((baris, Tanda::dari(m, baris)))
        })
        .collect()
}

async fn tampil_pemeriksaan(
    state: &AppState,
    sesi: &Sesi,
    id: PerangkatId,
    galat: FieldErrors,
    catatan_baru: String,
    dicentang: Vec<bool>,
) -> Hasil<Response> {
    let p = perangkat::ambil(&state.db, &sesi.akun, id).await?;
    if !boleh_ubah(&sesi.akun, &p.desa_kode) {
        return Err(AppError::Terlarang);
    }
    let desa = desa::ambil(&state.db, &sesi.akun, &p.desa_kode).await?;
    let dok = dokumen::daftar(&state.db, &sesi.akun, id).await?;
    let jenis_sk = if p.data.aktif() {
        "sk_pengangkatan"
    } else {
        "sk_pemberhentian"
    };
    let sk = dok
        .iter()
        .find(|d| d.jenis == jenis_sk)
        .or_else(|| dok.iter().find(|d| d.jenis == "sk_pengangkatan"))
        .cloned();
    let mut peringatan = perangkat::peringatan(&state.db, Some(id), &desa.kode, &p.data, hari_ini(state)).await?;
    let mesin = crate::sk::hasil::untuk(&state.db, &sesi.akun, id, state.clock.now()).await?;
    peringatan.extend(mesin.peringatan());
    let status = super::status_galat(&galat);
    let lingkup = super::menu_desa(&sesi.akun, &desa.kode);
    let t = HalamanPemeriksaan {
        h: Halaman::baru(state, sesi, format!("Pemeriksaan {}", p.data.nama), &lingkup),
        id,
        nama: p.data.nama_lengkap(),
        versi: p.versi,
        sudah_tersimpan: p.status_alur() == StatusAlur::Tersimpan,
        catatan: p.catatan_pemeriksaan.clone(),
        kelompok: kelompokkan(&p.data, &desa),
        peringatan,
        sk,
        galat: Galat::dari(galat),
        catatan_baru,
        tanda: tanda_mesin(&mesin),
        mesin,
        batas_mb: state.config.batas_unggah / (1024 * 1024),
        dicentang,
        rekomendasi: crate::rekomendasi::dasar_perangkat(&state.db, &sesi.akun, id)
            .await?
            .map(|r| SuratDasar {
                id: r.id,
                nomor: r.nomor_surat.clone().unwrap_or_default(),
                tanggal: r
                    .diputuskan_pada
                    .map(|w| crate::waktu::tanggal_jam(w, state.instansi.zona))
                    .unwrap_or_default(),
                oleh: r.diputuskan_nama.clone(),
            }),
    };
    Ok(render_status(status, &t))
}

/// `GET /perangkat/{id}/pemeriksaan`: the SK beside the entered data.
pub async fn pemeriksaan(State(state): State<AppState>, sesi: Sesi, Path(id): Path<PerangkatId>) -> Hasil<Response> {
    tampil_pemeriksaan(&state, &sesi, id, vec![], String::new(), vec![]).await
}

#[derive(serde::Deserialize)]
pub struct InputPeriksa {
    #[serde(default)]
    hasil: String,
    #[serde(default)]
    catatan: String,
    #[serde(default)]
    versi: i64,
    /// The boxes "… sesuai dengan SK", one per group shown (`cek_1` for the first), "ya" when
    /// ticked. *Sesuai* needs every one: the person compared each group with the SK.
    #[serde(default)]
    cek_1: String,
    #[serde(default)]
    cek_2: String,
    #[serde(default)]
    cek_3: String,
    #[serde(default)]
    cek_4: String,
    #[serde(default)]
    cek_5: String,
}

impl InputPeriksa {
    /// Which boxes were ticked, in the order of the groups.
    fn dicentang(&self) -> Vec<bool> {
        [&self.cek_1, &self.cek_2, &self.cek_3, &self.cek_4, &self.cek_5]
            .iter()
            .map(|c| c.as_str() == "ya")
            .collect()
    }

    /// The groups of `kelompok` whose box was not ticked, by title.
    fn belum_dicentang(&self, kelompok: &[Kelompok]) -> Vec<&'static str> {
        let cek = self.dicentang();
        kelompok
            .iter()
            .enumerate()
            .filter(|(i, _)| !cek.get(*i).copied().unwrap_or(false))
            .map(|(_, k)| k.judul)
            .collect()
    }
}

/// `POST /perangkat/{id}/pemeriksaan`: "Sesuai — Simpan" or "Tidak Sesuai" with a note.
pub async fn periksa(
    State(state): State<AppState>,
    Path(id): Path<PerangkatId>,
    f: Formulir<InputPeriksa>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    perangkat::boleh_tulis(&state.db, &sesi.akun, id).await?;
    let sesuai = match data.hasil.as_str() {
        "sesuai" => true,
        "tidak_sesuai" => false,
        _ => return Err(AppError::Permintaan("Pilih Sesuai atau Tidak Sesuai.".into())),
    };
    if sesuai {
        // The boxes are checked here, not only by the browser (the API's `sesuai: true` is the
        // client's own statement and has no boxes).
        let p = perangkat::ambil(&state.db, &sesi.akun, id).await?;
        let d = desa::ambil(&state.db, &sesi.akun, &p.desa_kode).await?;
        let belum = data.belum_dicentang(&kelompokkan(&p.data, &d));
        if !belum.is_empty() {
            let pesan = format!(
                "Centang setiap kotak \"… sesuai dengan SK\" setelah mencocokkannya dengan SK; belum dicentang: {}.",
                belum.join(", ")
            );
            return tampil_pemeriksaan(&state, &sesi, id, vec![("cek", pesan)], String::new(), data.dicentang()).await;
        }
    }
    let r = perangkat::periksa(
        &state.db,
        &sesi.akun,
        id,
        sesuai,
        &data.catatan,
        Some(data.versi),
        saat(&state),
    )
    .await;
    match r {
        Ok(h) if sesuai => {
            let p = perangkat::ambil(&state.db, &sesi.akun, id).await?;
            let pesan = format!(
                "Data {} tersimpan dan sudah tersinkron ke kecamatan.",
                p.data.nama_lengkap()
            );
            let _ = h;
            alihkan(&state, &sesi, &format!("/desa/{}", p.desa_kode), &pesan).await
        }
        Ok(_) => {
            alihkan_dengan(
                &state,
                &sesi,
                &format!("/perangkat/{id}/ubah"),
                "Dicatat tidak sesuai. Lihat SK kembali, perbaiki isian, lalu periksa lagi.",
                JenisPesan::Peringatan,
            )
            .await
        }
        Err(AppError::Validasi(g)) => {
            let dicentang = data.dicentang();
            tampil_pemeriksaan(&state, &sesi, id, g, data.catatan, dicentang).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "riwayat.html")]
struct HalamanRiwayat {
    h: Halaman,
    id: PerangkatId,
    nama: String,
    riwayat: Vec<BarisRiwayat>,
    /// The desa of a removed draft (its page is gone: the way back is the desa).
    dihapus: Option<String>,
}

pub struct BarisRiwayat {
    pub waktu: String,
    pub username: String,
    pub label: &'static str,
    pub aksi: String,
    pub catatan: String,
    pub perubahan: Vec<(&'static str, String, String)>,
    /// The first save: its fields were already listed when the data was entered, so the page
    /// folds them away (kept, for the kecamatan who sees only saves).
    pub pertama: bool,
}

/// `GET /perangkat/{id}/riwayat`: every change, who, when, before and after.
pub async fn riwayat(State(state): State<AppState>, sesi: Sesi, Path(id): Path<PerangkatId>) -> Hasil<Response> {
    // A removed draft keeps its history, for its editors.
    let (p, t, dihapus) = match muat(&state, &sesi, id).await {
        Err(AppError::TidakDitemukan) => match perangkat::ambil_dihapus(&state.db, &sesi.akun, id).await? {
            Some(p) => {
                let kode = p.desa_kode.clone();
                (Some(p), None, Some(kode))
            }
            None => return Err(AppError::TidakDitemukan),
        },
        r => {
            let (p, t) = r?;
            (p, t, None)
        }
    };
    let nama = p
        .as_ref()
        .map(|p| p.data.nama_lengkap())
        .or_else(|| t.as_ref().map(|t| t.data.nama_lengkap()))
        .unwrap_or_default();
    // Values in words: dates in Indonesian, codes by their labels.
    let tampil = |v: &str, k: &str| -> String {
        match medan::cari(k) {
            _ if v.is_empty() => "—".into(),
            Some(m) => m.jenis.kata(v),
            None => v.to_string(),
        }
    };
    // Those who see only saved data see only the history of saved data: unchecked revisions
    // (and their notes) stay with the desa until they are checked and saved.
    let editor = p.is_some();
    let baris: Vec<BarisRiwayat> = perangkat::riwayat(&state.db, &sesi.akun, id)
        .await?
        .into_iter()
        .filter(|r| editor || matches!(r.aksi.as_str(), "disimpan" | "dimutasi"))
        .map(|r: Riwayat| BarisRiwayat {
            waktu: waktu(&state, r.waktu),
            username: r.pelaku(),
            label: r.label(),
            aksi: r.aksi.clone(),
            catatan: r.catatan.clone(),
            perubahan: r
                .daftar_perubahan()
                .into_iter()
                .map(|c| {
                    (
                        crate::perangkat::medan::label_kolom(&c.kolom),
                        tampil(&c.sebelum, &c.kolom),
                        tampil(&c.sesudah, &c.kolom),
                    )
                })
                .collect(),
            pertama: false,
        })
        .collect();
    let mut baris = baris;
    // Newest first: the last save in the list is the first one.
    if let Some(b) = baris.iter_mut().rev().find(|b| b.aksi == "disimpan") {
        b.pertama = b.perubahan.iter().all(|(_, sebelum, _)| sebelum == "—");
    }
    let h = Halaman::baru(&state, &sesi, format!("Riwayat {nama}"), "");
    Ok(render(&HalamanRiwayat {
        h,
        id,
        nama,
        riwayat: baris,
        dihapus,
    }))
}

#[derive(Template)]
#[template(path = "berhenti.html")]
struct HalamanBerhenti {
    h: Halaman,
    id: PerangkatId,
    nama: String,
    jabatan: String,
    versi: i64,
    input: InputBerhenti,
    alasan: Vec<Pilihan>,
    galat: Galat,
}

async fn tampil_berhenti(
    state: &AppState,
    sesi: &Sesi,
    id: PerangkatId,
    input: Option<InputBerhenti>,
    galat: FieldErrors,
) -> Hasil<Response> {
    let p = perangkat::ambil(&state.db, &sesi.akun, id).await?;
    if !boleh_ubah(&sesi.akun, &p.desa_kode) {
        return Err(AppError::Terlarang);
    }
    let desa = desa::ambil(&state.db, &sesi.akun, &p.desa_kode).await?;
    let status = super::status_galat(&galat);
    let alasan = AlasanBerhenti::SEMUA
        .iter()
        .filter(|a| **a != AlasanBerhenti::Mutasi)
        .map(|k| Pilihan {
            kode: k.kode().into(),
            label: k.label().into(),
        })
        .collect();
    let t = HalamanBerhenti {
        h: Halaman::baru(state, sesi, format!("Pemberhentian {}", p.data.nama), ""),
        id,
        nama: p.data.nama_lengkap(),
        jabatan: p.data.nama_jabatan(&desa),
        versi: p.versi,
        input: input.unwrap_or_default(),
        alasan,
        galat: Galat::dari(galat),
    };
    Ok(render_status(status, &t))
}

pub async fn berhenti_form(State(state): State<AppState>, sesi: Sesi, Path(id): Path<PerangkatId>) -> Hasil<Response> {
    tampil_berhenti(&state, &sesi, id, None, vec![]).await
}

pub async fn berhenti(
    State(state): State<AppState>,
    Path(id): Path<PerangkatId>,
    f: Formulir<InputBerhenti>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    perangkat::boleh_tulis(&state.db, &sesi.akun, id).await?;
    match perangkat::berhentikan(&state.db, &sesi.akun, id, &data, saat(&state)).await {
        Ok(_) => {
            crate::sk::hasil::segarkan(&state.db, id, state.clock.now()).await?;
            alihkan(
                &state,
                &sesi,
                &format!("/perangkat/{id}"),
                "Pemberhentian dicatat sebagai draf. Unggah SK pemberhentian bila ada, lalu lakukan pemeriksaan.",
            )
            .await
        }
        Err(AppError::Validasi(g)) => tampil_berhenti(&state, &sesi, id, Some(data), g).await,
        Err(e) => Err(e),
    }
}

/// `GET /perangkat/{id}/mutasi`: a new position for the same person, under a new SK.
pub async fn mutasi_form(State(state): State<AppState>, sesi: Sesi, Path(id): Path<PerangkatId>) -> Hasil<Response> {
    let p = perangkat::ambil(&state.db, &sesi.akun, id).await?;
    if !boleh_ubah(&sesi.akun, &p.desa_kode) {
        return Err(AppError::Terlarang);
    }
    let d = desa::ambil(&state.db, &sesi.akun, &p.desa_kode).await?;
    let mut input = p.data.clone();
    for v in [
        &mut input.jabatan,
        &mut input.dusun,
        &mut input.nomor_sk_pengangkatan,
        &mut input.tanggal_sk_pengangkatan,
        &mut input.tmt,
        &mut input.keterangan,
        &mut input.akhir_masa_jabatan_sk,
    ] {
        v.clear();
    }
    input.status_jabatan = "definitif".into();
    let judul = format!("Mutasi {}", p.data.nama);
    tampil_form(
        &state,
        &sesi,
        IsiForm {
            desa: d,
            judul,
            aksi: format!("/perangkat/{id}/mutasi"),
            input,
            versi: p.versi,
            galat: vec![],
            catatan: String::new(),
            mutasi: true,
            batal: format!("/perangkat/{id}"),
            berkas_hilang: false,
            rekomendasi: None,
            konflik: None,
        },
    )
    .await
}

pub async fn mutasi(State(state): State<AppState>, Path(id): Path<PerangkatId>, k: Kiriman) -> Hasil<Response> {
    perangkat::boleh_tulis(&state.db, &k.sesi.akun, id).await?;
    let input = k.data();
    match perangkat::mutasi(&state.db, &k.sesi.akun, id, &input, saat(&state)).await {
        Ok(h) => {
            setelah_simpan(
                &state,
                &k,
                &h,
                "Data mutasi tersimpan sebagai draf. Jabatan lama ditutup saat data ini disimpan.",
            )
            .await
        }
        Err(AppError::Validasi(g)) => {
            let p = perangkat::ambil(&state.db, &k.sesi.akun, id).await?;
            let d = desa::ambil(&state.db, &k.sesi.akun, &p.desa_kode).await?;
            let judul = format!("Mutasi {}", p.data.nama);
            let (g, hilang) = k.galat_berkas(g);
            tampil_form(
                &state,
                &k.sesi,
                IsiForm {
                    desa: d,
                    judul,
                    aksi: format!("/perangkat/{id}/mutasi"),
                    input,
                    versi: p.versi,
                    galat: g,
                    catatan: String::new(),
                    mutasi: true,
                    batal: format!("/perangkat/{id}"),
                    berkas_hilang: hilang,
                    rekomendasi: None,
                    konflik: None,
                },
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `POST /perangkat/{id}/hapus` (*Hapus Draf*, confirmed on the record page): removes an entry
/// that was never saved; back to the desa.
pub async fn hapus(
    State(state): State<AppState>,
    Path(id): Path<PerangkatId>,
    f: Formulir<InputVersi>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    let p = perangkat::boleh_tulis(&state.db, &sesi.akun, id).await?;
    perangkat::hapus_draf(&state.db, &sesi.akun, id, Some(data.versi), state.clock.now()).await?;
    let nama = if p.data.nama.is_empty() {
        "tanpa nama".to_string()
    } else {
        p.data.nama_lengkap()
    };
    alihkan(
        &state,
        &sesi,
        &format!("/desa/{}", p.desa_kode),
        &format!("Draf {nama} dihapus. Riwayatnya tetap tercatat."),
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct InputVersi {
    #[serde(default)]
    versi: i64,
}

/// `POST /perangkat/{id}/batalkan`: drop a revision, back to the saved version.
pub async fn batalkan(
    State(state): State<AppState>,
    Path(id): Path<PerangkatId>,
    f: Formulir<InputVersi>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    perangkat::batalkan(&state.db, &sesi.akun, id, data.versi, state.clock.now()).await?;
    crate::sk::hasil::segarkan(&state.db, id, state.clock.now()).await?;
    alihkan(
        &state,
        &sesi,
        &format!("/perangkat/{id}"),
        "Perubahan dibatalkan; data kembali seperti yang tersimpan.",
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `kelompokkan` as it was written before the field table.
    fn lama(d: &Data, desa: &Desa) -> Vec<Kelompok> {
        let n = |label: &'static str, nilai: String| Nilai {
            label,
            nilai: if nilai.is_empty() { "—".into() } else { nilai },
        };
        let mut v = vec![
            Kelompok {
                judul: "Identitas",
                baris: vec![
                    n("Nama", d.nama_lengkap()),
                    n("NIK", d.nik.clone()),
                    n("NIAP/NIPD", d.niap.clone()),
                    n("NIP", d.nip.clone()),
                    n(
                        "Jenis kelamin",
                        label_dari::<JenisKelamin>(&d.jenis_kelamin).to_string(),
                    ),
                    n(
                        "Tempat, tanggal lahir",
                        format!("{}, {}", d.tempat_lahir, tanggal_id(&d.tanggal_lahir)),
                    ),
                    n("Agama", label_dari::<Agama>(&d.agama).to_string()),
                    n(
                        "Pendidikan terakhir",
                        label_dari::<Pendidikan>(&d.pendidikan_terakhir).to_string(),
                    ),
                    n("Pangkat/golongan", d.pangkat_golongan.clone()),
                    n("Alamat", d.alamat.clone()),
                    n("Nomor HP", d.nomor_hp.clone()),
                ],
            },
            Kelompok {
                judul: "Jabatan",
                baris: vec![
                    n("Jabatan", d.nama_jabatan(desa)),
                    n(
                        "Status jabatan",
                        label_dari::<StatusJabatan>(&d.status_jabatan).to_string(),
                    ),
                    n(
                        "Akhir masa jabatan",
                        d.akhir_masa_jabatan()
                            .map(crate::waktu::tanggal)
                            .unwrap_or_else(|| "—".into()),
                    ),
                ],
            },
            Kelompok {
                judul: "SK Pengangkatan",
                baris: vec![
                    n("Nomor SK", d.nomor_sk_pengangkatan.clone()),
                    n("Tanggal SK", tanggal_id(&d.tanggal_sk_pengangkatan)),
                    n("TMT", tanggal_id(&d.tmt)),
                ],
            },
        ];
        if !d.aktif() {
            v.push(Kelompok {
                judul: "Pemberhentian",
                baris: vec![
                    n("Nomor SK", d.nomor_sk_pemberhentian.clone()),
                    n("Tanggal SK", tanggal_id(&d.tanggal_sk_pemberhentian)),
                    n(
                        "Alasan",
                        label_dari::<AlasanBerhenti>(&d.alasan_pemberhentian).to_string(),
                    ),
                ],
            });
        }
        if !d.keterangan.is_empty() {
            v.push(Kelompok {
                judul: "Keterangan",
                baris: vec![n("Keterangan", d.keterangan.clone())],
            });
        }
        v
    }

    fn rata(k: Vec<Kelompok>) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
        k.into_iter()
            .map(|k| (k.judul, k.baris.into_iter().map(|n| (n.label, n.nilai)).collect()))
            .collect()
    }

    #[test]
    fn kelompok_dari_tabel_sama() {
        let desa = crate::desa::contoh_hauwai();
        let aktif = Data {
            nama: "Ahmad Fauzi".into(),
            gelar_depan: "Drs.".into(),
            gelar_belakang: "S.Pd.".into(),
            nik: "6311021403850001".into(),
            jenis_kelamin: "L".into(),
            tempat_lahir: "Paringin".into(),
            tanggal_lahir: "1985-03-14".into(),
            agama: "Islam".into(),
            pendidikan_terakhir: "S1".into(),
            alamat: "RT 02".into(),
            jabatan: "kepala_dusun".into(),
            dusun: "Dusun I".into(),
            status_jabatan: "plt".into(),
            nomor_sk_pengangkatan: "141/05/2020".into(),
            tanggal_sk_pengangkatan: "2020-01-02".into(),
            tmt: "2020-01-02".into(),
            ..Default::default()
        };
        let berhenti = Data {
            nomor_sk_pemberhentian: "141/09/2024".into(),
            tanggal_sk_pemberhentian: "2024-06-01".into(),
            alasan_pemberhentian: "permintaan_sendiri".into(),
            keterangan: "Pindah domisili".into(),
            jabatan: "kaur_keuangan".into(),
            ..aktif.clone()
        };
        for d in [Data::default(), aktif, berhenti] {
            assert_eq!(rata(kelompokkan(&d, &desa)), rata(lama(&d, &desa)), "{d:?}");
        }
    }
}
