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

/// Picks the demo data directory: `--data-dir` when it was given and is empty or absent,
/// otherwise a new directory under the system's temporary directory.
fn direktori(data_dir: &Path) -> anyhow::Result<PathBuf> {
    let diberikan = std::env::var_os("SIPKATDES_DATA_DIR").is_some()
        || std::env::args().any(|a| a == "--data-dir" || a.starts_with("--data-dir="));
    if diberikan {
        let d = data_dir;
        let kosong = !d.exists() || std::fs::read_dir(d)?.next().is_none();
        anyhow::ensure!(
            kosong,
            "direktori data demo {} tidak kosong; demo selalu dimulai dari direktori baru",
            d.display()
        );
        return Ok(d.to_path_buf());
    }
    let d = std::env::temp_dir().join(format!("sipkatdes-demo-{}-{}", unix_now(), std::process::id()));
    Ok(d)
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
            let id = akun::buat(db, &input, &sistem, sekarang)
                .await
                .map_err(|e| anyhow::anyhow!("akun demo {username}: {}", e.pesan()))?;
            akun_demo.push((username, peran.label(), label));
            Ok(id)
        };
    tambah(
        "admin".into(),
        Peran::Admin,
        "",
        "Admin Sistem (demo)".into(),
        "seluruh instansi".into(),
    )
    .await?;
    tambah(
        "kecamatan.halong".into(),
        Peran::Kecamatan,
        KECAMATAN_DEMO,
        "Staf Kecamatan Halong (demo)".into(),
        "Kecamatan Halong".into(),
    )
    .await?;
    tambah(
        "kabupaten.balangan".into(),
        Peran::Kabupaten,
        "63.11",
        "Pemantau Kabupaten Balangan (demo)".into(),
        "Kabupaten Balangan".into(),
    )
    .await?;
    for (i, d) in desa::daftar(db, &admin, "").await?.into_iter().enumerate() {
        let s = slug(&d.nama);
        tambah(
            format!("operator.{s}"),
            Peran::Operator,
            &d.kode,
            format!("Operator Desa {} (demo)", d.nama),
            format!("Desa {}", d.nama),
        )
        .await?;
        let nama_kades = format!("{} {} (demo)", d.sebutan_kepala_desa, d.nama);
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
        isi_desa(db, simpanan, &admin, &d, i).await?;
        laporan_demo(db, simpanan, (&admin, &kades), &d, i, alamat).await?;
    }
    Ok(akun_demo)
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

/// Fills a desa with officials, each with a generated SK PDF, checked and saved through the
/// same workflow as a person would use. Returns how many were saved.
async fn isi_desa(db: &Db, simpanan: &Penyimpanan, admin: &Akun, d: &Desa, urut: usize) -> anyhow::Result<usize> {
    use crate::perangkat::data::Data;
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
    let mut jumlah = 0;
    let mut nama_dipakai: Vec<String> = Vec::new();
    // Every fourth desa also has a former Kaur Keuangan, dismissed at 60 with an SK of its own:
    // the register keeps former officials and their history.
    if urut.is_multiple_of(4) {
        mantan(db, simpanan, admin, d, urut).await?;
        jumlah += 1;
    }
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
        let pejabat = if *jabatan == Jabatan::KepalaDesa {
            "Bupati Balangan".to_string()
        } else {
            format!("{} {}", d.sebutan_kepala_desa, d.nama)
        };
        let nomor_sk = if *jabatan == Jabatan::KepalaDesa {
            format!("188.45/{}/{tmt_tahun}", 100 + urut)
        } else {
            format!("141/{:02}/{}/{tmt_tahun}", i + 1, slug(&d.nama).to_uppercase())
        };
        let pendidikan = ["SMA", "SMA", "SMA", "D3", "S1", "S1"][r.ambil(6)];
        let input = Data {
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
        };
        let saat = Saat {
            hari_ini: time::OffsetDateTime::now_utc().date(),
            sekarang: unix_now(),
        };
        let h = perangkat::buat(db, admin, &d.kode, &input, None, saat)
            .await
            .map_err(|e| anyhow::anyhow!("demo {}: {}", nama, e.pesan()))?;
        let jabatan_nama = input.nama_jabatan(d);
        let baris = vec![
            format!("KEPUTUSAN {}", pejabat.to_uppercase()),
            format!("NOMOR {nomor_sk}"),
            String::new(),
            format!("TENTANG PENGANGKATAN {}", jabatan_nama.to_uppercase()),
            format!("DESA {} KECAMATAN HALONG KABUPATEN BALANGAN", d.nama.to_uppercase()),
            String::new(),
            "MEMUTUSKAN:".into(),
            format!("Mengangkat Saudara/i {nama}"),
            format!(
                "Tempat/Tanggal Lahir: {}, {}",
                input.tempat_lahir,
                crate::perangkat::data::tanggal_id(&input.tanggal_lahir)
            ),
            format!(
                "sebagai {jabatan_nama}, terhitung mulai tanggal {}.",
                crate::perangkat::data::tanggal_id(&tmt)
            ),
            String::new(),
            format!(
                "Ditetapkan di {} pada tanggal {}",
                d.nama,
                crate::perangkat::data::tanggal_id(&tmt)
            ),
            pejabat.clone(),
            String::new(),
            "CONTOH - DATA FIKTIF UNTUK DEMO SIPKATDES".into(),
        ];
        let isi = bytes::Bytes::from(crate::dokumen::contoh::pdf(&baris));
        let nama_berkas = format!("SK {jabatan_nama}.pdf");
        let u = crate::dokumen::Unggahan {
            jenis: "sk_pengangkatan",
            nama_asli: &nama_berkas,
            isi,
        };
        crate::dokumen::unggah(db, simpanan, admin, h.id, u, unix_now())
            .await
            .map_err(|e| anyhow::anyhow!("demo SK: {}", e.pesan()))?;
        // Most are checked and saved; one entry in some desa waits for the check.
        if (urut + i) % 19 == 7 {
            continue;
        }
        perangkat::periksa(db, admin, h.id, true, "", None, saat)
            .await
            .map_err(|e| anyhow::anyhow!("demo periksa {nama}: {}", e.pesan()))?;
        jumlah += 1;
    }
    Ok(jumlah)
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
    let judul = format!(
        "KEPUTUSAN {} {}",
        d.sebutan_kepala_desa.to_uppercase(),
        d.nama.to_uppercase()
    );
    sk_pdf(
        db,
        simpanan,
        admin,
        h.id,
        "sk_pengangkatan",
        vec![
            judul.clone(),
            input.nomor_sk_pengangkatan.clone(),
            format!("Mengangkat Saudara {nama} sebagai Kepala Urusan Keuangan."),
            "CONTOH - DATA FIKTIF UNTUK DEMO SIPKATDES".into(),
        ],
    )
    .await?;
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

pub async fn jalankan(data_dir: &Path, listen: &str) -> anyhow::Result<()> {
    let dir = direktori(data_dir)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("direktori demo {} tidak dapat dibuat", dir.display()))?;
    println!("Menyiapkan demo SIPKATDES di {} …", dir.display());
    let db = Db::connect(None, &dir).await?;
    let simpanan = Penyimpanan::lokal(&dir)?;
    let akun_demo = siapkan(&db, &simpanan, &format!("http://{listen}")).await?;
    let app = Application::build(db, Config::new(dir.clone()), Clock::default(), listen).await?;
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
    app.run(crate::app::tanda_berhenti()).await
}
