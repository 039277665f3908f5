//! The kecamatan's pages (SOP step 8): the dashboard of every desa (`/dasbor`), the warnings
//! across all of them (`/peringatan`), the recap downloads, and the verification of a saved
//! record (`POST /perangkat/{id}/verifikasi`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::{Formulir, Halaman, alihkan, render, waktu};
use crate::akun::izin::{self, Tindakan};
use crate::akun::sesi::Sesi;
use crate::error::{AppError, Hasil};
use crate::id::PerangkatId;
use crate::kecamatan::{self, BarisDasbor, BarisPeringatan, Batang};
use crate::kernel::AppState;
use crate::kernel::{hari_ini, unduhan};
use crate::perangkat::verifikasi;

/// A horizontal bar chart drawn on the server (SVG; no JavaScript).
pub struct Diagram {
    pub judul: &'static str,
    pub keterangan: String,
    pub batang: Vec<BatangSvg>,
    pub tinggi: usize,
}

pub struct BatangSvg {
    pub label: String,
    pub nilai: usize,
    pub y: usize,
    pub lebar: usize,
    pub teks_x: usize,
}

const LEBAR_BATANG: usize = 190;

fn diagram(judul: &'static str, data: &[Batang]) -> Diagram {
    let maks = data.iter().map(|b| b.nilai).max().unwrap_or(0).max(1);
    let batang: Vec<BatangSvg> = data
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let lebar = b.nilai * LEBAR_BATANG / maks;
            BatangSvg {
                label: b.label.clone(),
                nilai: b.nilai,
                y: i * 26,
                lebar,
                teks_x: 104 + lebar + 6,
            }
        })
        .collect();
    Diagram {
        judul,
        keterangan: data
            .iter()
            .map(|b| format!("{}: {}", b.label, b.nilai))
            .collect::<Vec<_>>()
            .join(", "),
        tinggi: batang.len() * 26,
        batang,
    }
}

/// A dashboard row with its times written for people.
pub struct BarisTampil {
    pub b: BarisDasbor,
    pub sinkron: String,
    pub sinkron_tepat: String,
    pub laporan: String,
}

#[derive(Template)]
#[template(path = "dasbor.html")]
struct HalamanDasbor {
    h: Halaman,
    baris: Vec<BarisTampil>,
    total: BarisDasbor,
    diagram: Vec<Diagram>,
    urut: String,
    banyak_kecamatan: bool,
    /// The public register of each kecamatan in scope, and whether this user may switch it.
    register: Vec<crate::publik::StatusRegister>,
    atur_register: bool,
    /// The legal deadlines in scope (issue 17), and how many are overdue.
    tenggat: usize,
    tenggat_terlambat: usize,
    /// The kecamatan whose settings this account may change (its own; all for the admin).
    atur_kecamatan: bool,
}

impl HalamanDasbor {
    /// The link of a sortable column header: a second click reverses the order.
    fn tautan_urut(&self, kolom: &str) -> String {
        if self.urut == kolom {
            format!("?urut={kolom}-turun")
        } else {
            format!("?urut={kolom}")
        }
    }

    fn aria_sort(&self, kolom: &str) -> &'static str {
        if self.urut == kolom {
            "ascending"
        } else if self.urut == format!("{kolom}-turun") {
            "descending"
        } else {
            "none"
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Urut {
    #[serde(default)]
    urut: String,
}

fn urutkan(baris: &mut [BarisTampil], urut: &str) {
    let (kolom, turun) = match urut.strip_suffix("-turun") {
        Some(k) => (k, true),
        None => (urut, false),
    };
    baris.sort_by(|a, b| {
        let (a, b) = (&a.b, &b.b);
        let o = match kolom {
            "desa" => a.nama.cmp(&b.nama),
            "aktif" => a.aktif.cmp(&b.aktif),
            "kosong" => a.kosong.cmp(&b.kosong),
            "menunggu" => a.menunggu.cmp(&b.menunggu),
            "sinkron" => a.terakhir_sinkron.cmp(&b.terakhir_sinkron),
            "laporan" => a.laporan_diterima.cmp(&b.laporan_diterima),
            "peringatan" => a.peringatan.cmp(&b.peringatan),
            "sk" => a.sk_lengkap.cmp(&b.sk_lengkap),
            // Default: rows with problems first.
            _ => b
                .masalah()
                .cmp(&a.masalah())
                .then(b.kosong.cmp(&a.kosong))
                .then(a.nama.cmp(&b.nama)),
        };
        if turun { o.reverse() } else { o }
    });
}

/// `GET /dasbor`: every desa of the scope in one table, totals and charts.
pub async fn dasbor(State(state): State<AppState>, sesi: Sesi, Query(q): Query<Urut>) -> Hasil<Response> {
    if !izin::boleh_peran(sesi.akun.peran, Tindakan::LihatDasbor) {
        return Err(AppError::Terlarang);
    }
    let hari = hari_ini(&state);
    let w = kecamatan::muat(&state.db, &sesi.akun, None).await?;
    let d = kecamatan::dasbor(&w, hari);
    let sekarang = state.clock.now();
    let zona = state.instansi.zona;
    let mut baris: Vec<BarisTampil> = d
        .baris
        .into_iter()
        .map(|b| BarisTampil {
            sinkron: b
                .terakhir_sinkron
                .map(|t| crate::waktu::relatif(sekarang, t, zona))
                .unwrap_or_else(|| "belum ada".into()),
            sinkron_tepat: b.terakhir_sinkron.map(|t| waktu(&state, t)).unwrap_or_default(),
            laporan: b
                .laporan_diterima
                .map(|t| crate::waktu::tanggal_jam(t, zona))
                .unwrap_or_else(|| "belum ada".into()),
            b,
        })
        .collect();
    urutkan(&mut baris, &q.urut);
    let banyak_kecamatan = baris.windows(2).any(|w| w[0].b.kecamatan != w[1].b.kecamatan);
    let g = &d.grafik;
    let diagram = vec![
        diagram("Jabatan terisi dan kosong", &g.jabatan),
        diagram("Jenis kelamin", &g.jenis_kelamin),
        diagram("Pendidikan terakhir", &g.pendidikan),
        diagram("Kelompok umur", &g.umur),
        diagram("Akhir masa jabatan 12 bulan ke depan", &g.pensiun),
    ];
    let tenggat = crate::rekomendasi::tenggat::daftar_dari(&state.db, &sesi.akun, &w, hari).await?;
    let tenggat_terlambat = tenggat.iter().filter(|t| t.terlambat).count();
    let h = Halaman::baru(&state, &sesi, "Dasbor", "/dasbor");
    Ok(render(&HalamanDasbor {
        tenggat: tenggat.len(),
        tenggat_terlambat,
        h,
        baris,
        total: d.total,
        diagram,
        urut: q.urut,
        banyak_kecamatan,
        register: crate::publik::status(&state.db, &sesi.akun).await?,
        atur_register: izin::boleh_peran(sesi.akun.peran, Tindakan::AturRegisterPublik),
        atur_kecamatan: izin::boleh_peran(sesi.akun.peran, Tindakan::AturKecamatan),
    }))
}

#[derive(Template)]
#[template(path = "peringatan_semua.html")]
struct HalamanPeringatan {
    h: Halaman,
    baris: Vec<BarisPeringatan>,
    jumlah_orang: usize,
    /// Every warning in scope, before the filter.
    semua: usize,
    /// The filter's choices: (code, name, count).
    pilihan_desa: Vec<(String, String, usize)>,
    pilihan_jenis: Vec<(&'static str, &'static str, usize)>,
    q: SaringPeringatan,
    halaman: usize,
    jumlah_halaman: usize,
    /// Warnings matching the filter (all pages).
    cocok: usize,
}

impl HalamanPeringatan {
    /// The address of page `n` with the same filter.
    fn tautan(&self, n: usize) -> String {
        let mut q = vec![format!("halaman={n}")];
        if !self.q.desa.is_empty() {
            q.push(format!("desa={}", self.q.desa));
        }
        if !self.q.jenis.is_empty() {
            q.push(format!("jenis={}", self.q.jenis));
        }
        format!("/peringatan?{}", q.join("&"))
    }
}

/// The filter of `/peringatan` (issue 14, point 15): by desa, by kind, a page at a time.
#[derive(serde::Deserialize, Default, Clone)]
pub struct SaringPeringatan {
    #[serde(default)]
    desa: String,
    #[serde(default)]
    jenis: String,
    #[serde(default)]
    halaman: Option<String>,
}

/// Warnings on one page of `/peringatan`.
const PER_HALAMAN: usize = 50;

/// `GET /peringatan`: every warning of every desa in scope, each linking to its record.
pub async fn peringatan(
    State(state): State<AppState>,
    sesi: Sesi,
    Query(mut q): Query<SaringPeringatan>,
) -> Hasil<Response> {
    use crate::perangkat::aturan::jenis_peringatan;
    if !izin::boleh_peran(sesi.akun.peran, Tindakan::LihatDasbor) {
        return Err(AppError::Terlarang);
    }
    let w = kecamatan::muat(&state.db, &sesi.akun, None).await?;
    let semua = kecamatan::semua_peringatan(&w, hari_ini(&state));
    // The choices, with their counts, from every warning in scope.
    // (By index: a province has thousands of desa and warnings.)
    let mut pilihan_desa: Vec<(String, String, usize)> = Vec::new();
    let mut pilihan_jenis: Vec<(&'static str, &'static str, usize)> = Vec::new();
    let mut indeks_desa: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for b in &semua {
        match indeks_desa.get(b.desa_kode.as_str()) {
            Some(i) => pilihan_desa[*i].2 += 1,
            None => {
                indeks_desa.insert(b.desa_kode.as_str(), pilihan_desa.len());
                pilihan_desa.push((b.desa_kode.clone(), b.desa.clone(), 1));
            }
        }
        match pilihan_jenis.iter_mut().find(|(k, _, _)| *k == b.kode) {
            Some(p) => p.2 += 1,
            None => pilihan_jenis.push((b.kode, jenis_peringatan(b.kode), 1)),
        }
    }
    pilihan_jenis.sort_by_key(|p| p.1);
    // An unknown choice (an old link) is no filter.
    if !pilihan_desa.iter().any(|p| p.0 == q.desa) {
        q.desa.clear();
    }
    if !pilihan_jenis.iter().any(|p| p.0 == q.jenis) {
        q.jenis.clear();
    }
    let n_semua = semua.len();
    let saring: Vec<BarisPeringatan> = semua
        .into_iter()
        .filter(|b| q.desa.is_empty() || b.desa_kode == q.desa)
        .filter(|b| q.jenis.is_empty() || b.kode == q.jenis)
        .collect();
    let mut orang: Vec<i64> = saring.iter().map(|b| b.perangkat_id).collect();
    orang.sort_unstable();
    orang.dedup();
    let cocok = saring.len();
    let (halaman, jumlah_halaman, mut baris) = super::satu_halaman(saring, q.halaman.as_deref(), PER_HALAMAN);
    // Each desa's anchor on this page.
    let mut dilihat: Vec<String> = Vec::new();
    for b in &mut baris {
        b.pertama = !dilihat.contains(&b.desa_kode);
        if b.pertama {
            dilihat.push(b.desa_kode.clone());
        }
    }
    let h = Halaman::baru(&state, &sesi, "Peringatan", "/peringatan");
    Ok(render(&HalamanPeringatan {
        h,
        jumlah_orang: orang.len(),
        baris,
        semua: n_semua,
        pilihan_desa,
        pilihan_jenis,
        q,
        halaman,
        jumlah_halaman,
        cocok,
    }))
}

#[derive(serde::Deserialize)]
pub struct InputVerifikasi {
    #[serde(default)]
    hasil: String,
    #[serde(default)]
    catatan: String,
    /// The saved version shown on the page.
    #[serde(default)]
    versi: Option<i64>,
}

/// `POST /perangkat/{id}/verifikasi`: "Verifikasi" or "Kembalikan" (with a note).
pub async fn verifikasi(
    State(state): State<AppState>,
    Path(id): Path<PerangkatId>,
    f: Formulir<InputVerifikasi>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    verifikasi::boleh_diverifikasi(&state.db, &sesi.akun, id).await?;
    let terverifikasi = match data.hasil.as_str() {
        "verifikasi" => true,
        "kembalikan" => false,
        _ => return Err(AppError::Permintaan("Pilih Verifikasi atau Kembalikan.".into())),
    };
    match verifikasi::verifikasi(
        &state.db,
        &sesi.akun,
        id,
        terverifikasi,
        &data.catatan,
        data.versi,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => {
            let pesan = if terverifikasi {
                "Data ditandai Terverifikasi Kecamatan."
            } else {
                "Data dikembalikan ke desa dengan catatan Anda. Operator desa akan memeriksanya kembali terhadap SK."
            };
            alihkan(&state, &sesi, &format!("/perangkat/{id}"), pesan).await
        }
        // A missing note: the error page names it; nothing changed.
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct PilihWilayah {
    /// A region code inside one's scope (a kecamatan of a kabupaten user, say).
    #[serde(default)]
    wilayah: Option<String>,
}

/// `GET /rekap.xlsx?wilayah=KODE`.
pub async fn rekap_xlsx(State(state): State<AppState>, sesi: Sesi, Query(q): Query<PilihWilayah>) -> Hasil<Response> {
    unduhan::rekap(&state, &sesi.akun, q.wilayah.as_deref(), false).await
}

/// `GET /rekap.pdf?wilayah=KODE`.
pub async fn rekap_pdf(State(state): State<AppState>, sesi: Sesi, Query(q): Query<PilihWilayah>) -> Hasil<Response> {
    unduhan::rekap(&state, &sesi.akun, q.wilayah.as_deref(), true).await
}

#[derive(Template)]
#[template(path = "kecamatan_pengaturan.html")]
struct HalamanPengaturan {
    h: Halaman,
    p: crate::rekomendasi::pengaturan::Pengaturan,
    input: crate::rekomendasi::pengaturan::InputPengaturan,
    galat: super::Galat,
    contoh_nomor: String,
}

impl HalamanPengaturan {
    fn baru(
        state: &AppState,
        sesi: &Sesi,
        p: crate::rekomendasi::pengaturan::Pengaturan,
        input: crate::rekomendasi::pengaturan::InputPengaturan,
        galat: crate::error::FieldErrors,
    ) -> HalamanPengaturan {
        let hari = hari_ini(state);
        let pola = if input.pola_nomor_rekomendasi.contains("{nomor}") {
            &input.pola_nomor_rekomendasi
        } else {
            &p.pola_nomor_rekomendasi
        };
        let contoh_nomor =
            crate::rekomendasi::pengaturan::nomor_surat(pola, 1, hari.year(), hari.month() as u8, &p.kode);
        HalamanPengaturan {
            h: Halaman::baru(state, sesi, format!("Pengaturan Kecamatan {}", p.nama), "/dasbor"),
            p,
            input,
            galat: super::Galat::dari(galat),
            contoh_nomor,
        }
    }
}

/// The kecamatan's staff (of that kecamatan) or the admin; others get 403.
fn boleh_atur(sesi: &Sesi, kode: &str) -> Hasil<()> {
    if izin::boleh(&sesi.akun, Tindakan::AturKecamatan, kode) {
        Ok(())
    } else {
        Err(AppError::Terlarang)
    }
}

/// `GET /kecamatan/{kode}/pengaturan`: the office's address, the Camat's name and NIP (on the
/// recap and the letters), the letter number's pattern and the date recommendations are
/// required from.
pub async fn pengaturan(State(state): State<AppState>, sesi: Sesi, Path(kode): Path<String>) -> Hasil<Response> {
    let p = crate::rekomendasi::pengaturan::ambil(&state.db, &sesi.akun, &kode).await?;
    boleh_atur(&sesi, &p.kode)?;
    let input = crate::rekomendasi::pengaturan::InputPengaturan {
        alamat_kantor: p.alamat_kantor.clone(),
        nama_camat: p.nama_camat.clone(),
        nip_camat: p.nip_camat.clone(),
        pola_nomor_rekomendasi: p.pola_nomor_rekomendasi.clone(),
        rekomendasi_wajib_sejak: p.rekomendasi_wajib_sejak.clone(),
    };
    Ok(render(&HalamanPengaturan::baru(&state, &sesi, p, input, vec![])))
}

/// `POST /kecamatan/{kode}/pengaturan`.
pub async fn pengaturan_ubah(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    f: Formulir<crate::rekomendasi::pengaturan::InputPengaturan>,
) -> Hasil<Response> {
    let Formulir { sesi, data } = f;
    let p = crate::rekomendasi::pengaturan::ambil(&state.db, &sesi.akun, &kode).await?;
    boleh_atur(&sesi, &p.kode)?;
    match crate::rekomendasi::pengaturan::ubah(
        &state.db,
        &sesi.akun,
        &p.kode,
        &data,
        hari_ini(&state),
        state.clock.now(),
    )
    .await
    {
        Ok(_) => {
            alihkan(
                &state,
                &sesi,
                &format!("/kecamatan/{}/pengaturan", p.kode),
                "Pengaturan kecamatan tersimpan.",
            )
            .await
        }
        Err(AppError::Validasi(g)) => Ok(super::render_status(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            &HalamanPengaturan::baru(&state, &sesi, p, data, g),
        )),
        Err(e) => Err(e),
    }
}

/// One answer on the page of who was told that a NIK is active in another desa.
struct BarisPertanyaan {
    waktu: String,
    username: String,
    nama: String,
    peran: &'static str,
    asal: String,
    sumber: &'static str,
    desa: String,
    jumlah: i64,
    ditolak: bool,
}

/// One account's answers over the period.
struct RingkasPertanyaan {
    username: String,
    nama: String,
    asal: String,
    jumlah: i64,
    ditolak: usize,
    terakhir: String,
}

#[derive(Template)]
#[template(path = "pertanyaan_nik.html")]
struct HalamanPertanyaan {
    h: Halaman,
    hari: i64,
    baris: Vec<BarisPertanyaan>,
    akun: Vec<RingkasPertanyaan>,
    batas: i64,
    bebas: i64,
}

/// Days shown on the page of NIK answers.
const HARI_PERTANYAAN: i64 = 30;

fn nama_wilayah(kode: &str) -> String {
    crate::wilayah::KodeWilayah::parse(kode)
        .ok()
        .and_then(|k| crate::wilayah::Referensi::get().nama(&k).map(str::to_string))
        .unwrap_or_else(|| kode.to_string())
}

/// `GET /pertanyaan-nik`: who, in the user's scope, was told that a NIK holds a saved position
/// in another desa — or asked about one of its desa (issue 15, point 2: the answers are an
/// oracle; they are counted, slowed and stopped per account, and the kecamatan sees them).
pub async fn pertanyaan_nik(State(state): State<AppState>, sesi: Sesi) -> Hasil<Response> {
    if !izin::boleh_peran(sesi.akun.peran, Tindakan::LihatDasbor) {
        return Err(AppError::Terlarang);
    }
    let sekarang = state.clock.now();
    let semua =
        crate::akun::batas::pertanyaan_nik(&state.db, &sesi.akun.cakupan, sekarang - HARI_PERTANYAAN * 86_400, 1000)
            .await?;
    let mut akun: Vec<RingkasPertanyaan> = Vec::new();
    for p in &semua {
        match akun.iter_mut().find(|a| a.username == p.username) {
            Some(a) => {
                a.jumlah += p.jumlah;
                a.ditolak += usize::from(p.ditolak);
            }
            None => akun.push(RingkasPertanyaan {
                username: p.username.clone(),
                nama: p.nama.clone(),
                asal: nama_wilayah(&p.cakupan),
                jumlah: p.jumlah,
                ditolak: usize::from(p.ditolak),
                terakhir: waktu(&state, p.waktu),
            }),
        }
    }
    akun.sort_by(|a, b| b.jumlah.cmp(&a.jumlah).then_with(|| a.username.cmp(&b.username)));
    let baris = semua
        .iter()
        .take(200)
        .map(|p| BarisPertanyaan {
            waktu: waktu(&state, p.waktu),
            username: p.username.clone(),
            nama: p.nama.clone(),
            peran: crate::akun::Peran::parse(&p.peran).map(|r| r.label()).unwrap_or(""),
            asal: nama_wilayah(&p.cakupan),
            sumber: match p.sumber.as_str() {
                "buat" => "Tambah perangkat",
                "ubah" => "Ubah data",
                "pemeriksaan" => "Pemeriksaan",
                "impor" => "Pratinjau impor",
                _ => "Lainnya",
            },
            desa: p.desa.iter().map(|d| nama_wilayah(d)).collect::<Vec<_>>().join(", "),
            jumlah: p.jumlah,
            ditolak: p.ditolak,
        })
        .collect();
    let h = Halaman::baru(&state, &sesi, "Pertanyaan NIK Desa Lain", "/dasbor");
    Ok(render(&HalamanPertanyaan {
        h,
        hari: HARI_PERTANYAAN,
        baris,
        akun,
        batas: crate::akun::batas::JAWABAN_NIK_DESA_LAIN,
        bebas: state.config.jeda_nik.bebas,
    }))
}
