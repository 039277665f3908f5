//! `sipkatdes demo`: Kecamatan Halong on a fresh data directory, an account for every role,
//! served at once. Everything in it is fictitious.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::akun::{self, Akun, InputPengguna, Peran};
use crate::app::{Application, Config};
use crate::audit::Pelaku;
use crate::db::Db;
use crate::desa::jabatan::Jabatan;
use crate::desa::{self, Desa, InputPengaturan};
use crate::dokumen::Penyimpanan;
use crate::id::{AkunId, LaporanId, PerangkatId};
use crate::perangkat::{self, Saat};
use crate::waktu::{Clock, unix_now};
use crate::wilayah::{self, slug};

pub const KECAMATAN_DEMO: &str = "63.11.02";
pub const SANDI_DEMO: &str = "sipkatdes-demo";

/// Picks the demo data directory: `--data-dir` when it was given (it must be empty or absent;
/// it is kept afterwards), otherwise a new directory under the system's temporary directory,
/// removed when the demo stops (the second value is true).
fn direktori(diberikan: Option<&Path>) -> anyhow::Result<(PathBuf, bool)> {
    if let Some(d) = diberikan {
        let kosong = !d.exists() || std::fs::read_dir(d)?.next().is_none();
        anyhow::ensure!(
            kosong,
            "direktori data demo {} tidak kosong; demo selalu dimulai dari direktori baru",
            d.display()
        );
        return Ok((d.to_path_buf(), false));
    }
    let d = std::env::temp_dir().join(format!("sipkatdes-demo-{}-{}", unix_now(), std::process::id()));
    Ok((d, true))
}

/// Sets up the demo instance in `db`; returns the accounts as (username, role, scope label).
/// Sets up the demo instance; `alamat` is where it will be served (for the QR codes of the
/// accepted reports).
pub async fn siapkan(
    db: &Db,
    simpanan: &Penyimpanan,
    alamat: &str,
) -> anyhow::Result<Vec<(String, &'static str, String)>> {
    let sekarang = unix_now();
    wilayah::siapkan(db, &[KECAMATAN_DEMO.to_string()], sekarang).await?;
    let sistem = Pelaku::sistem();
    let admin = Akun::sistem("sistem");
    let mut akun_demo = Vec::new();
    let mut tambah =
        async |username: String, peran: Peran, cakupan: &str, nama: String, label: String| -> anyhow::Result<AkunId> {
            let input = InputPengguna {
                username: username.clone(),
                nama_lengkap: nama,
                peran: peran.kode().into(),
                cakupan: cakupan.into(),
                password: SANDI_DEMO.into(),
            };
            let id = akun::buat_demo(db, &input, &sistem, sekarang)
                .await
                .map_err(|e| anyhow::anyhow!("akun demo {username}: {}", e.pesan()))?;
            akun_demo.push((username, peran.label(), label));
            Ok(id)
        };
    tambah(
        "admin".into(),
        Peran::Admin,
        "",
        "Yusran Maulana".into(),
        "seluruh instansi".into(),
    )
    .await?;
    tambah(
        "kecamatan.halong".into(),
        Peran::Kecamatan,
        KECAMATAN_DEMO,
        "Hayati Rahman".into(),
        "Kecamatan Halong".into(),
    )
    .await?;
    tambah(
        "kabupaten.balangan".into(),
        Peran::Kabupaten,
        "63.11",
        "Taufik Hidayat".into(),
        "Kabupaten Balangan".into(),
    )
    .await?;
    // The public register is open in the demo (issue 19); a new instance starts with it closed.
    crate::publik::atur(db, &admin, KECAMATAN_DEMO, true, sekarang)
        .await
        .map_err(|e| anyhow::anyhow!("register publik demo: {}", e.pesan()))?;
    let mut tertunda: Option<DesaTertunda> = None;
    for (i, d) in desa::daftar(db, &admin, "").await?.into_iter().enumerate() {
        let s = slug(&d.nama);
        tambah(
            format!("operator.{s}"),
            Peran::Operator,
            &d.kode,
            nama_orang(i),
            format!("Desa {}", d.nama),
        )
        .await?;
        // Named after the Kepala Desa of the register once the desa is entered (isi_desa).
        let nama_kades = format!("{} {}", d.sebutan_kepala_desa, d.nama);
        let id_kades = tambah(
            format!("kades.{s}"),
            Peran::KepalaDesa,
            &d.kode,
            nama_kades.clone(),
            format!("Desa {}", d.nama),
        )
        .await?;
        let kades = akun::akun_aktif(db, id_kades)
            .await?
            .context("akun Kepala Desa demo tidak terbaca")?;
        let jumlah_dusun = 2 + i % 3;
        let dusun: Vec<String> = ["I", "II", "III", "IV"]
            .iter()
            .take(jumlah_dusun)
            .map(|r| format!("Dusun {r}"))
            .collect();
        let pengaturan = InputPengaturan {
            sebutan_kepala_desa: d.sebutan_kepala_desa.clone(),
            sebutan_kepala_dusun: "Kepala Dusun".into(),
            struktur: if i % 4 == 3 { "sederhana" } else { "lengkap" }.into(),
            dusun: dusun.join("\n"),
            alamat_kop: format!(
                "Jalan Poros Desa {} No. {}, Kecamatan Halong, Kabupaten Balangan 71666",
                d.nama,
                i + 1
            ),
        };
        desa::atur(db, &admin, &d.kode, &pengaturan, sekarang)
            .await
            .map_err(|e| anyhow::anyhow!("pengaturan desa demo {}: {}", d.nama, e.pesan()))?;
        let d = desa::ambil(db, &admin, &d.kode)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.pesan()))?;
        // The SKs of a desa are made on the blocking threads while the next desa is entered;
        // then they are uploaded, the entries checked and saved, the reports printed.
        let t = isi_desa(db, simpanan, &admin, &d, i, kades).await?;
        if let Some(sebelum) = tertunda.replace(t) {
            selesaikan_desa(db, simpanan, &admin, alamat, sebelum).await?;
        }
    }
    if let Some(sebelum) = tertunda.take() {
        selesaikan_desa(db, simpanan, &admin, alamat, sebelum).await?;
    }
    rekomendasi_demo(db, simpanan, alamat, sekarang).await?;
    Ok(akun_demo)
}

/// Requests for the Camat's recommendation in every state (issue 17): in Desa Hauwai one
/// waiting, one overdue, one returned, one approved (not yet entered), one refused; a dismissal
/// waiting in another desa. The kecamatan's settings name the Camat.
async fn rekomendasi_demo(db: &Db, simpanan: &Penyimpanan, alamat: &str, sekarang: i64) -> anyhow::Result<()> {
    use crate::rekomendasi::{self as rek, Calon, Input, Keputusan, pengaturan};
    let gagal = |e: crate::error::AppError| anyhow::anyhow!("rekomendasi demo: {}", e.pesan());
    let akun = async |username: &str| -> anyhow::Result<Akun> {
        let id: AkunId = crate::read!(db, c => {
            sqlx::query_scalar("SELECT id FROM pengguna WHERE username = $1").bind(username).fetch_one(c).await?
        });
        akun::akun_aktif(db, id).await?.context("akun demo tidak terbaca")
    };
    let op = akun("operator.hauwai").await?;
    let kec = akun("kecamatan.halong").await?;
    let zona = crate::waktu::ZonaWaktu::untuk_provinsi("63");
    let hari = |unix: i64| -> anyhow::Result<time::Date> {
        Ok(time::OffsetDateTime::from_unix_timestamp(unix)?
            .to_offset(zona.offset())
            .date())
    };
    let saat = |unix: i64| -> anyhow::Result<Saat> {
        Ok(Saat {
            hari_ini: hari(unix)?,
            sekarang: unix,
        })
    };
    let tahun = hari(sekarang)?.year();
    pengaturan::ubah(
        db,
        &kec,
        KECAMATAN_DEMO,
        &pengaturan::InputPengaturan {
            alamat_kantor: "Jalan Ahmad Yani Km 1, Halong, Kabupaten Balangan 71666".into(),
            nama_camat: "Drs. H. Rahmadi Noor, M.Si. (demo)".into(),
            nip_camat: "197503142000031002".into(),
            pola_nomor_rekomendasi: "141/{nomor}/PEM/{tahun}".into(),
            rekomendasi_wajib_sejak: format!("{tahun}-01-01"),
        },
        hari(sekarang)?,
        sekarang,
    )
    .await
    .map_err(gagal)?;
    let calon = |nik: &str, nama: &str, jk: &str, lahir: &str, pend: &str| Calon {
        nama: nama.into(),
        nik: nik.into(),
        jenis_kelamin: jk.into(),
        tempat_lahir: "Halong".into(),
        tanggal_lahir: lahir.into(),
        agama: "Islam".into(),
        pendidikan_terakhir: pend.into(),
        alamat: "Desa Hauwai, Kecamatan Halong".into(),
        ..Calon::default()
    };
    let angkat = |jabatan: &str, dusun: &str, c: Vec<Calon>, catatan: &str| Input {
        jenis: "pengangkatan".into(),
        jabatan: jabatan.into(),
        dusun: dusun.into(),
        calon: c,
        catatan: catatan.into(),
        ..Input::default()
    };
    let hari_lalu = |n: i64| sekarang - n * 86_400;
    // Approved 20 days ago: ready to be entered (Tambah Perangkat from it).
    let disetujui = rek::ajukan(
        db,
        &op,
        op.cakupan.kode(),
        &angkat(
            "kaur_perencanaan",
            "",
            vec![
                calon("6311025506950001", "Nor Hayati", "P", "1995-06-15", "S1"),
                calon("6311021208930002", "Muhammad Rizani", "L", "1993-08-12", "SMA"),
            ],
            "Hasil penjaringan dan penyaringan.",
        ),
        saat(hari_lalu(20))?,
    )
    .await
    .map_err(gagal)?;
    let keputusan = |setuju: bool, calon: Option<i64>, catatan: &str| Keputusan {
        setuju: Some(setuju),
        calon,
        catatan: catatan.into(),
    };
    let desa_op = op.cakupan.kode().to_string();
    let dok = crate::dokumen::contoh::pdf(&["SURAT LAMARAN (demo)".into(), "Kepada Yth. Pembakal Hauwai".into()]);
    for (i, calon) in [Some("0"), Some("1"), None].into_iter().enumerate() {
        let jenis = if i == 2 {
            "berita_acara_seleksi"
        } else {
            "surat_lamaran"
        };
        rek::unggah(
            db,
            simpanan,
            &op,
            disetujui.id,
            jenis,
            calon,
            "dokumen.pdf",
            bytes::Bytes::from(dok.clone()),
            hari_lalu(20),
        )
        .await
        .map_err(gagal)?;
    }
    rek::putuskan(
        db,
        simpanan,
        &kec,
        disetujui.id,
        &keputusan(true, Some(0), "Calon memenuhi persyaratan usia dan pendidikan."),
        alamat,
        zona,
        saat(hari_lalu(16))?,
    )
    .await
    .map_err(gagal)?;
    // Refused 12 days ago.
    let ditolak = rek::ajukan(
        db,
        &op,
        &desa_op,
        &angkat(
            "kepala_dusun",
            "Dusun I",
            vec![calon("6311020101600003", "Abdul Gani", "L", "1960-01-01", "SD")],
            "",
        ),
        saat(hari_lalu(15))?,
    )
    .await
    .map_err(gagal)?;
    rek::putuskan(
        db,
        simpanan,
        &kec,
        ditolak.id,
        &keputusan(
            false,
            None,
            "Calon berusia di atas 42 tahun dan berpendidikan SD; hanya satu calon yang diajukan.",
        ),
        alamat,
        zona,
        saat(hari_lalu(12))?,
    )
    .await
    .map_err(gagal)?;
    // Overdue: submitted 14 days ago, still waiting.
    rek::ajukan(
        db,
        &op,
        &desa_op,
        &angkat(
            "kasi_pelayanan",
            "",
            vec![
                calon("6311024103970004", "Rahmah Safitri", "P", "1997-03-01", "D3"),
                calon("6311021011960005", "Taufik Hidayat", "L", "1996-11-10", "SMA"),
            ],
            "",
        ),
        saat(hari_lalu(14))?,
    )
    .await
    .map_err(gagal)?;
    // Returned 3 days ago for a missing diploma.
    let kembali = rek::ajukan(
        db,
        &op,
        &desa_op,
        &angkat(
            "staf",
            "",
            vec![
                calon("6311020505990006", "Rizky Maulana", "L", "1999-05-05", "SMA"),
                calon("6311024807980007", "Aulia Rahmah", "P", "1998-07-08", "S1"),
            ],
            "",
        ),
        saat(hari_lalu(6))?,
    )
    .await
    .map_err(gagal)?;
    rek::kembalikan(
        db,
        &kec,
        kembali.id,
        "Ijazah calon 2 dan berita acara hasil seleksi belum dilampirkan.",
        saat(hari_lalu(3))?,
    )
    .await
    .map_err(gagal)?;
    // Waiting, submitted today.
    rek::ajukan(
        db,
        &op,
        &desa_op,
        &angkat(
            "kaur_tu_umum",
            "",
            vec![
                calon("6311021502940008", "Hairil Anshari", "L", "1994-02-15", "S1"),
                calon("6311025909950009", "Maulida Hasanah", "P", "1995-09-19", "D3"),
            ],
            "Penjaringan tanggal 1, penyaringan tanggal 3.",
        ),
        saat(sekarang)?,
    )
    .await
    .map_err(gagal)?;
    Ok(())
}

/// The name of the operator of the `i`-th desa (a person, as on a real instance).
fn nama_orang(i: usize) -> String {
    let depan = if i.is_multiple_of(2) {
        NAMA_DEPAN_P[(i / 2) % NAMA_DEPAN_P.len()]
    } else {
        NAMA_DEPAN_L[(i / 2 + 5) % NAMA_DEPAN_L.len()]
    };
    format!("{depan} {}", NAMA_BELAKANG[(i * 5 + 3) % NAMA_BELAKANG.len()])
}

/// Fictitious names (common in South Kalimantan); combined deterministically.
const NAMA_DEPAN_L: [&str; 16] = [
    "Ahmad", "Muhammad", "Rahmat", "Syahrani", "Fauzi", "Hairil", "Jumadi", "Baihaqi", "Rusdi", "Saprudin", "Yusran",
    "Abdul", "Norhadi", "Rizky", "Taufik", "Zainal",
];
const NAMA_DEPAN_P: [&str; 12] = [
    "Siti", "Nor", "Rahmah", "Hayati", "Maulida", "Fitriani", "Rusmini", "Aulia", "Halimah", "Nurul", "Salasiah",
    "Yuliana",
];
const NAMA_BELAKANG: [&str; 14] = [
    "Rahman",
    "Hidayat",
    "Fauzan",
    "Saputra",
    "Aini",
    "Maulana",
    "Rizani",
    "Hasanah",
    "Ramadhani",
    "Noor",
    "Anshari",
    "Safitri",
    "Mahmudah",
    "Wahyudi",
];

/// A tiny deterministic generator (the demo is the same every time).
struct Acak(u64);

impl Acak {
    fn ambil(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// How a demo SK was made: most are printed to PDF, one in eight is scanned (an image-only PDF
/// or a JPEG), three are phone photos. Scans take a few hundred milliseconds each to make in a
/// debug build: more of them would slow the demo's start.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Bentuk {
    Teks,
    /// An image-only PDF at this resolution.
    PindaiPdf(u32),
    /// A JPEG at this resolution.
    PindaiJpeg(u32),
    Foto,
}

fn bentuk_sk(urut: usize, i: usize) -> Bentuk {
    match (urut + i) % 16 {
        _ if [(0, 5), (6, 3), (13, 2)].contains(&(urut, i)) => Bentuk::Foto,
        2 => Bentuk::PindaiPdf(200),
        10 => Bentuk::PindaiJpeg(150),
        _ => Bentuk::Teks,
    }
}

/// What an SK says otherwise than its entry (the entry keeps the demo's data; its SK carries
/// the difference, so the machine check has something to find).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Beda {
    /// One letter of the surname.
    Nama,
    /// Two digits of the SK number swapped.
    NomorSk,
    /// The TMT in another month.
    BulanTmt,
}

/// The demo entries that differ from their SK: (desa in the list, position in the desa, how).
/// Hauwai's Kasi Pelayanan (position 7) is the one waiting for the check there.
const BEDA: [(usize, usize, Beda); 5] = [
    (0, 7, Beda::Nama),
    (0, 2, Beda::NomorSk),
    (5, 3, Beda::BulanTmt),
    (11, 1, Beda::Nama),
    (17, 4, Beda::NomorSk),
];

/// A one-letter typo of a surname of [`NAMA_BELAKANG`].
fn salah_satu_huruf(nama: &str) -> String {
    let (depan, belakang) = nama.rsplit_once(' ').unwrap_or(("", nama));
    let salah = match belakang {
        "Rahman" => "Rahmat",
        "Hidayat" => "Hidayah",
        "Fauzan" => "Fauzen",
        "Saputra" => "Saputri",
        "Aini" => "Aeni",
        "Maulana" => "Maulani",
        "Rizani" => "Rizana",
        "Hasanah" => "Hasanuh",
        "Ramadhani" => "Ramadani",
        "Noor" => "Nor",
        "Anshari" => "Ansari",
        "Safitri" => "Savitri",
        "Mahmudah" => "Mahmuda",
        "Wahyudi" => "Wahyuni",
        b => return format!("{depan} {b}x"),
    };
    format!("{depan} {salah}").trim().to_string()
}

/// Swaps the first two adjacent, different digits after the first `/` of an SK number.
fn tukar_angka(nomor: &str) -> String {
    let mut c: Vec<char> = nomor.chars().collect();
    let awal = c.iter().position(|&x| x == '/').unwrap_or(0);
    for k in awal..c.len().saturating_sub(1) {
        if c[k].is_ascii_digit() && c[k + 1].is_ascii_digit() && c[k] != c[k + 1] {
            c.swap(k, k + 1);
            break;
        }
    }
    c.into_iter().collect()
}

/// The SK of a demo entry, as the desa's office would have typed it.
fn isi_sk(d: &Desa, input: &crate::perangkat::data::Data, nama_penetap: &str) -> crate::sk::contoh::IsiSk {
    use crate::sk::contoh::{IsiSk, Orang, Penetap};
    let tgl = |s: &str| time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok();
    let tanggal = tgl(&input.tanggal_sk_pengangkatan).unwrap_or(time::macros::date!(2020 - 01 - 01));
    let jabatan = input.jabatan_enum().unwrap_or(Jabatan::Staf);
    let bupati = jabatan == Jabatan::KepalaDesa;
    IsiSk {
        provinsi: d.provinsi_nama.clone(),
        kabupaten: d.kabupaten_nama.clone(),
        kecamatan: d.kecamatan_nama.clone(),
        desa: d.nama.clone(),
        alamat_kop: d.alamat_kop.clone(),
        sebutan_kepala_desa: d.sebutan_kepala_desa.clone(),
        sebutan_kepala_dusun: d.sebutan_kepala_dusun.clone(),
        penetap: if bupati { Penetap::Bupati } else { Penetap::KepalaDesa },
        nama_penetap: if bupati {
            "H. FULAN RAHMADI, S.E., M.M.".into()
        } else {
            nama_penetap.to_uppercase()
        },
        nomor: input.nomor_sk_pengangkatan.clone(),
        tanggal,
        tmt: tgl(&input.tmt).unwrap_or(tanggal),
        orang: Orang {
            nama: input.nama.clone(),
            gelar_depan: input.gelar_depan.clone(),
            gelar_belakang: input.gelar_belakang.clone(),
            nik: input.nik.clone(),
            perempuan: input.jenis_kelamin == "P",
            tempat_lahir: input.tempat_lahir.clone(),
            tanggal_lahir: tgl(&input.tanggal_lahir).unwrap_or(tanggal),
            pendidikan: input.pendidikan_terakhir.clone(),
            alamat: input.alamat.clone(),
            jabatan,
            dusun: input.dusun.clone(),
        },
        rekan: Vec::new(),
        nomor_rekomendasi: format!("141/{}/PEM/{}", 10 + tanggal.ordinal() % 80, tanggal.year()),
        tanggal_rekomendasi: tanggal - time::Duration::days(7),
        catatan: "CONTOH — DATA FIKTIF UNTUK DEMO SIPKATDES".into(),
    }
}

/// The bytes and the file name of a demo SK.
fn buat_sk(
    isi: &crate::sk::contoh::IsiSk,
    tata: crate::sk::contoh::Tata,
    bentuk: Bentuk,
    benih: u64,
) -> (Vec<u8>, &'static str) {
    use crate::dokumen::Jenis;
    use crate::sk::contoh::{self, Pindaian};
    match bentuk {
        Bentuk::Teks => (contoh::pdf_teks(isi, tata), "pdf"),
        Bentuk::PindaiPdf(dpi) => (contoh::pdf_pindai(isi, tata, &Pindaian::baru(dpi, benih)), "pdf"),
        Bentuk::PindaiJpeg(dpi) => (
            contoh::gambar_pindai(isi, tata, &Pindaian::baru(dpi, benih), Jenis::Jpeg),
            "jpg",
        ),
        Bentuk::Foto => (contoh::foto(isi, tata, benih), "jpg"),
    }
}

/// Makes the SKs of `daftar` on two threads (a scan takes a few hundred milliseconds).
fn buat_semua_sk(
    daftar: Vec<(crate::sk::contoh::IsiSk, crate::sk::contoh::Tata, Bentuk, u64)>,
) -> Vec<(Vec<u8>, &'static str)> {
    let (a, b) = daftar.split_at(daftar.len() / 2);
    std::thread::scope(|s| {
        let kedua = s.spawn(|| b.iter().map(|(i, t, f, r)| buat_sk(i, *t, *f, *r)).collect::<Vec<_>>());
        let mut v: Vec<_> = a.iter().map(|(i, t, f, r)| buat_sk(i, *t, *f, *r)).collect();
        v.extend(kedua.join().expect("SK demo thread"));
        v
    })
}

/// A desa whose officials are entered and whose SKs are being made.
struct DesaTertunda {
    desa: Desa,
    urut: usize,
    kades: Akun,
    /// Each entry: its id, its position's name, the official's name.
    entri: Vec<(PerangkatId, String, String)>,
    sk: tokio::task::JoinHandle<Vec<(Vec<u8>, &'static str)>>,
}

/// Fills a desa with officials (entered as drafts) and starts making their SKs (a text PDF, or
/// a scan or photo in one case of four); [`selesaikan_desa`] uploads them.
async fn isi_desa(
    db: &Db,
    simpanan: &Penyimpanan,
    admin: &Akun,
    d: &Desa,
    urut: usize,
    kades: Akun,
) -> anyhow::Result<DesaTertunda> {
    use crate::perangkat::data::Data;
    use crate::sk::contoh::Tata;
    let mut r = Acak(0x5eed_0000 + urut as u64);
    let dusun = desa::dusun(db, &d.kode).await?;
    let mut posisi: Vec<(Jabatan, String)> = d.struktur().jabatan().iter().map(|j| (*j, String::new())).collect();
    posisi.extend(dusun.iter().map(|du| (Jabatan::KepalaDusun, du.clone())));
    for _ in 0..(urut % 3) {
        posisi.push((Jabatan::Staf, String::new()));
    }
    // A vacancy in every third desa: the Kaur Perencanaan (or a Kasi) left empty.
    if urut % 3 == 1 && posisi.len() > 8 {
        posisi.remove(4);
    }
    let mut nama_dipakai: Vec<String> = Vec::new();
    // Every fourth desa also has a former Kaur Keuangan, dismissed at 60 with an SK of its own:
    // the register keeps former officials and their history.
    if urut.is_multiple_of(4) {
        mantan(db, simpanan, admin, d, urut).await?;
    }
    // Each desa types its SKs in its own way.
    let tata = Tata::SEMUA[urut % Tata::SEMUA.len()];
    let mut entri: Vec<Data> = Vec::new();
    for (i, (jabatan, du)) in posisi.iter().enumerate() {
        let perempuan = r.ambil(3) == 0;
        // No two officials of a desa share a name.
        let nama = loop {
            let depan = if perempuan {
                NAMA_DEPAN_P[r.ambil(NAMA_DEPAN_P.len())]
            } else {
                NAMA_DEPAN_L[r.ambil(NAMA_DEPAN_L.len())]
            };
            let n = format!("{depan} {}", NAMA_BELAKANG[r.ambil(NAMA_BELAKANG.len())]);
            if !nama_dipakai.contains(&n) {
                nama_dipakai.push(n.clone());
                break n;
            }
        };
        // Appointed within the rules (aged 22–39 at TMT) except a few that show the warnings:
        // one turning 60 within six months (appointed before 2015), one appointed too young.
        let tmt_tahun = if *jabatan == Jabatan::KepalaDesa {
            2021
        } else {
            2016 + r.ambil(9) as i32
        };
        let (tahun, tmt_tahun) = match (urut + i) % 17 {
            3 if *jabatan != Jabatan::KepalaDesa => (1966, 2008),
            9 if *jabatan != Jabatan::KepalaDesa => (tmt_tahun - 19, tmt_tahun),
            _ => (tmt_tahun - 22 - r.ambil(18) as i32, tmt_tahun),
        };
        let (bulan, hari) = if tahun == 1966 {
            (12u8, 20u8)
        } else {
            (1 + r.ambil(12) as u8, 1 + r.ambil(28) as u8)
        };
        let hari_nik = if perempuan { hari + 40 } else { hari };
        // One NIK in a few desa disagrees with the birth date (a typo the check should catch).
        let hari_nik = if (urut + i) % 23 == 5 && hari > 1 {
            hari_nik - 1
        } else {
            hari_nik
        };
        let nik = format!("631102{hari_nik:02}{bulan:02}{:02}9{:03}", tahun % 100, urut * 20 + i);
        let tmt = format!("{tmt_tahun}-{:02}-{:02}", 1 + r.ambil(12), 1 + r.ambil(28));
        let nomor_sk = if *jabatan == Jabatan::KepalaDesa {
            format!("188.45/{}/{tmt_tahun}", 100 + urut)
        } else {
            format!("141/{:02}/{}/{tmt_tahun}", i + 1, slug(&d.nama).to_uppercase())
        };
        let pendidikan = ["SMA", "SMA", "SMA", "D3", "S1", "S1"][r.ambil(6)];
        entri.push(Data {
            nama: nama.clone(),
            nik,
            jenis_kelamin: if perempuan { "P" } else { "L" }.into(),
            tempat_lahir: ["Halong", "Paringin", "Amuntai", "Barabai", "Tanjung"][r.ambil(5)].into(),
            tanggal_lahir: format!("{tahun}-{bulan:02}-{hari:02}"),
            agama: "Islam".into(),
            pendidikan_terakhir: pendidikan.into(),
            alamat: format!("RT {:02} Desa {}", 1 + r.ambil(8), d.nama),
            jabatan: jabatan.kode().into(),
            dusun: du.clone(),
            status_jabatan: "definitif".into(),
            nomor_sk_pengangkatan: nomor_sk.clone(),
            tanggal_sk_pengangkatan: tmt.clone(),
            tmt: tmt.clone(),
            ..Default::default()
        });
    }
    // The SKs, signed by the desa's Pembakal (the first entry), the Pembakal's by the Bupati.
    let pembakal = entri.first().map(|e| e.nama.clone()).unwrap_or_default();
    let daftar = entri
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let mut isi = isi_sk(d, input, &pembakal);
            match BEDA.iter().find(|(u, p, _)| (*u, *p) == (urut, i)).map(|b| b.2) {
                Some(Beda::Nama) => isi.orang.nama = salah_satu_huruf(&isi.orang.nama),
                Some(Beda::NomorSk) => isi.nomor = tukar_angka(&isi.nomor),
                Some(Beda::BulanTmt) => {
                    let m = isi.tmt.month();
                    let lain = if m == time::Month::December {
                        m.previous()
                    } else {
                        m.next()
                    };
                    isi.tmt = isi.tmt.replace_month(lain).unwrap_or(isi.tmt);
                }
                None => {}
            }
            (isi, tata, bentuk_sk(urut, i), (urut * 100 + i) as u64)
        })
        .collect();
    let sk = tokio::task::spawn_blocking(move || buat_semua_sk(daftar));
    let mut dibuat = Vec::new();
    for input in &entri {
        let saat = Saat {
            hari_ini: time::OffsetDateTime::now_utc().date(),
            sekarang: unix_now(),
        };
        let h = perangkat::buat(db, admin, &d.kode, input, None, saat)
            .await
            .map_err(|e| anyhow::anyhow!("demo {}: {}", input.nama, e.pesan()))?;
        dibuat.push((h.id, input.nama_jabatan(d), input.nama.clone()));
    }
    // The Kepala Desa's account carries the name of the register's Kepala Desa: the receipt
    // reads "oleh Pembakal Hauwai, H. Ahmad Rahman, pada …" (issue 14, point 12).
    let kades = match entri.first().filter(|e| e.jabatan == Jabatan::KepalaDesa.kode()) {
        Some(e) => {
            let input = InputPengguna {
                username: kades.username.clone(),
                nama_lengkap: e.nama_lengkap(),
                peran: kades.peran.kode().into(),
                cakupan: kades.cakupan.kode().into(),
                password: String::new(),
            };
            akun::ubah(db, kades.id, &input, &Pelaku::sistem(), unix_now())
                .await
                .map_err(|e| anyhow::anyhow!("akun Kepala Desa demo: {}", e.pesan()))?;
            akun::akun_aktif(db, kades.id)
                .await?
                .context("akun Kepala Desa demo tidak terbaca")?
        }
        None => kades,
    };
    Ok(DesaTertunda {
        desa: d.clone(),
        urut,
        kades,
        entri: dibuat,
        sk,
    })
}

/// Uploads the SKs of a desa; most entries are then checked and saved through the same
/// workflow as a person would use, one in some desa waits for the check. Then the desa's
/// printed reports.
async fn selesaikan_desa(
    db: &Db,
    simpanan: &Penyimpanan,
    admin: &Akun,
    alamat: &str,
    t: DesaTertunda,
) -> anyhow::Result<()> {
    let berkas = t.sk.await.context("SK demo")?;
    let urut = t.urut;
    for (i, ((id, jabatan_nama, nama), (isi, ekstensi))) in t.entri.iter().zip(berkas).enumerate() {
        let saat = Saat {
            hari_ini: time::OffsetDateTime::now_utc().date(),
            sekarang: unix_now(),
        };
        let nama_berkas = format!("SK {jabatan_nama}.{ekstensi}");
        let u = crate::dokumen::Unggahan {
            jenis: "sk_pengangkatan",
            nama_asli: &nama_berkas,
            isi: bytes::Bytes::from(isi),
        };
        crate::dokumen::unggah(db, simpanan, admin, *id, u, unix_now())
            .await
            .map_err(|e| anyhow::anyhow!("demo SK: {}", e.pesan()))?;
        if (urut + i) % 19 == 7 {
            continue;
        }
        // A few officials have a photo (for the public register); one of them hides it.
        if urut.is_multiple_of(5) && i < 3 {
            let u = crate::dokumen::Unggahan {
                jenis: "foto",
                nama_asli: "foto.jpg",
                isi: bytes::Bytes::from(crate::dokumen::contoh::potret((urut + i) as u64)),
            };
            crate::dokumen::unggah(db, simpanan, admin, *id, u, unix_now())
                .await
                .map_err(|e| anyhow::anyhow!("demo foto: {}", e.pesan()))?;
            if urut == 5 && i == 1 {
                crate::publik::atur_foto(db, admin, *id, false, unix_now())
                    .await
                    .map_err(|e| anyhow::anyhow!("demo foto: {}", e.pesan()))?;
            }
        }
        perangkat::periksa(db, admin, *id, true, "", None, saat)
            .await
            .map_err(|e| anyhow::anyhow!("demo periksa {nama}: {}", e.pesan()))?;
    }
    laporan_demo(db, simpanan, (admin, &t.kades), &t.desa, urut, alamat).await
}

async fn sk_pdf(
    db: &Db,
    simpanan: &Penyimpanan,
    admin: &Akun,
    id: PerangkatId,
    jenis: &str,
    baris: Vec<String>,
) -> anyhow::Result<()> {
    let isi = bytes::Bytes::from(crate::dokumen::contoh::pdf(&baris));
    let nama = format!("{}.pdf", baris[1].replace('/', "-"));
    let u = crate::dokumen::Unggahan {
        jenis,
        nama_asli: &nama,
        isi,
    };
    crate::dokumen::unggah(db, simpanan, admin, id, u, unix_now())
        .await
        .map_err(|e| anyhow::anyhow!("demo SK: {}", e.pesan()))?;
    Ok(())
}

/// A former official: appointed in 2003, dismissed in 2023 on turning 60.
async fn mantan(db: &Db, simpanan: &Penyimpanan, admin: &Akun, d: &Desa, urut: usize) -> anyhow::Result<()> {
    use crate::perangkat::data::Data;
    let saat = Saat {
        hari_ini: time::OffsetDateTime::now_utc().date(),
        sekarang: unix_now(),
    };
    let nama = ["Abdul Gani", "Masrani", "Syamsuni", "Jailani", "Bahrudin", "Rusmansyah"][urut / 4 % 6];
    let input = Data {
        nama: nama.into(),
        nik: format!("63110215056390{:02}", urut),
        jenis_kelamin: "L".into(),
        tempat_lahir: "Halong".into(),
        tanggal_lahir: "1963-05-15".into(),
        agama: "Islam".into(),
        pendidikan_terakhir: "SMA".into(),
        jabatan: Jabatan::KaurKeuangan.kode().into(),
        status_jabatan: "definitif".into(),
        nomor_sk_pengangkatan: format!("141/03/{}/2003", slug(&d.nama).to_uppercase()),
        tanggal_sk_pengangkatan: "2003-02-10".into(),
        tmt: "2003-02-10".into(),
        ..Default::default()
    };
    let h = perangkat::buat(db, admin, &d.kode, &input, None, saat)
        .await
        .map_err(|e| anyhow::anyhow!("demo mantan: {}", e.pesan()))?;
    // Appointed in 2003 by a former Pembakal, in the desa's own layout.
    let mut isi = isi_sk(d, &input, "H. Abdul Muis");
    isi.orang.alamat = format!("Desa {}", d.nama);
    let tata = crate::sk::contoh::Tata::SEMUA[urut % crate::sk::contoh::Tata::SEMUA.len()];
    let pdf = tokio::task::spawn_blocking(move || crate::sk::contoh::pdf_teks(&isi, tata))
        .await
        .context("SK demo")?;
    let nama_berkas = format!("{}.pdf", input.nomor_sk_pengangkatan.replace('/', "-"));
    let u = crate::dokumen::Unggahan {
        jenis: "sk_pengangkatan",
        nama_asli: &nama_berkas,
        isi: bytes::Bytes::from(pdf),
    };
    crate::dokumen::unggah(db, simpanan, admin, h.id, u, unix_now())
        .await
        .map_err(|e| anyhow::anyhow!("demo SK: {}", e.pesan()))?;
    let judul = format!(
        "KEPUTUSAN {} {}",
        d.sebutan_kepala_desa.to_uppercase(),
        d.nama.to_uppercase()
    );
    let gagal = |e: crate::error::AppError| anyhow::anyhow!("demo mantan: {}", e.pesan());
    let t = perangkat::periksa(db, admin, h.id, true, "", None, saat)
        .await
        .map_err(gagal)?;
    let b = perangkat::InputBerhenti {
        nomor_sk_pemberhentian: format!("141/21/{}/2023", slug(&d.nama).to_uppercase()),
        tanggal_sk_pemberhentian: "2023-05-15".into(),
        alasan_pemberhentian: "usia_60".into(),
        keterangan: String::new(),
        versi: t.versi,
    };
    perangkat::berhentikan(db, admin, h.id, &b, saat).await.map_err(gagal)?;
    sk_pdf(
        db,
        simpanan,
        admin,
        h.id,
        "sk_pemberhentian",
        vec![
            judul,
            b.nomor_sk_pemberhentian.clone(),
            format!("Memberhentikan dengan hormat Saudara {nama} karena telah berusia 60 tahun."),
            "CONTOH - DATA FIKTIF UNTUK DEMO SIPKATDES".into(),
        ],
    )
    .await?;
    perangkat::periksa(db, admin, h.id, true, "", None, saat)
        .await
        .map_err(gagal)?;
    Ok(())
}

/// Printed reports in some desa: in the first, last year's book accepted and this year's
/// waiting for the Pembakal; elsewhere one accepted, one rejected with a note, or none.
async fn laporan_demo(
    db: &Db,
    simpanan: &Penyimpanan,
    (admin, kades): (&Akun, &Akun),
    d: &Desa,
    urut: usize,
    alamat: &str,
) -> anyhow::Result<()> {
    use crate::laporan::arsip::{self, Tanggapan};
    let gagal = |e: crate::error::AppError| anyhow::anyhow!("laporan demo {}: {}", d.nama, e.pesan());
    let sekarang = unix_now();
    let hari_ini = time::OffsetDateTime::from_unix_timestamp(sekarang)?
        .to_offset(crate::waktu::ZonaWaktu::Wita.offset())
        .date();
    let tahun = hari_ini.year();
    let cetak = async |periode: i32| {
        arsip::buat(
            db,
            simpanan,
            admin,
            &d.kode,
            periode,
            Default::default(),
            Saat { hari_ini, sekarang },
        )
        .await
        .map_err(gagal)
    };
    let jawab = async |id: LaporanId, diterima: bool, catatan: &str| {
        let t = Tanggapan {
            diterima,
            catatan,
            alamat_dasar: alamat,
            zona: crate::waktu::ZonaWaktu::Wita,
        };
        arsip::tanggapi(db, simpanan, kades, id, t, sekarang)
            .await
            .map_err(gagal)
    };
    match urut % 4 {
        0 if urut == 0 => {
            let lalu = cetak(tahun - 1).await?;
            jawab(lalu.id, true, "").await?;
            cetak(tahun).await?;
        }
        1 => {
            let l = cetak(tahun).await?;
            jawab(l.id, true, "").await?;
        }
        2 if urut < 8 => {
            let l = cetak(tahun).await?;
            jawab(
                l.id,
                false,
                "Nomor SK Kepala Seksi Pemerintahan belum sesuai dengan SK aslinya.",
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

pub async fn jalankan(data_dir: Option<&Path>, listen: &str) -> anyhow::Result<()> {
    let (dir, sementara) = direktori(data_dir)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("direktori demo {} tidak dapat dibuat", dir.display()))?;
    let r = layani(&dir, sementara, listen).await;
    if sementara {
        // The temporary directory goes with the demo, also when it could not start.
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => println!("Direktori demo sementara {} dihapus.", dir.display()),
            Err(e) => eprintln!("Direktori demo sementara {} tidak dapat dihapus: {e}", dir.display()),
        }
    }
    r
}

async fn layani(dir: &Path, sementara: bool, listen: &str) -> anyhow::Result<()> {
    println!("Menyiapkan demo SIPKATDES di {} …", dir.display());
    let db = Db::connect(None, dir).await?;
    let simpanan = Penyimpanan::lokal(dir)?;
    let akun_demo = siapkan(&db, &simpanan, &format!("http://{listen}")).await?;
    let app = Application::build(db, Config::new(dir.to_path_buf()), Clock::default(), listen).await?;
    println!();
    println!("Akun demo (kata sandi semua akun: {SANDI_DEMO}):");
    println!("  {:<32} {:<34} cakupan", "nama pengguna", "peran");
    for (u, p, c) in &akun_demo {
        println!("  {u:<32} {p:<34} {c}");
    }
    println!();
    println!(
        "SIPKATDES demo berjalan di http://{}  (hentikan dengan Ctrl-C)",
        app.local_addr()
    );
    println!("Register publik (tanpa masuk): http://{}/publik", app.local_addr());
    if sementara {
        println!("Direktori data ini sementara: dihapus saat demo berhenti (pakai --data-dir untuk menyimpannya).");
    }
    app.run(crate::app::tanda_berhenti()).await
}
