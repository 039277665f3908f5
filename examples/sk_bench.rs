//! The SK reading bench (issue 13, `bench/sk/README.md`): generates SKs with known truth
//! (`sipkatdes::sk::contoh`) in every layout, each as a text PDF, as an image-only scan at 300,
//! 200 and 150 dpi and as a phone photo; plants differences in some of the entries; reads every
//! document with the server's reader (`sk::baca`) and compares it with its entry
//! (`sk::cocok`); writes per-case results to `bench/sk/hasil/` and the summary table to
//! `BENCHMARKS.md`.
//!
//! ```sh
//! cargo run --release --example sk_bench -- --jumlah 200
//! cargo run --release --example sk_bench -- --jumlah 40 --kondisi teks,pindai200
//! cargo run --release --example sk_bench -- --ringkas      # only rebuild the table
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sipkatdes::desa::jabatan::Jabatan;
use sipkatdes::dokumen::Jenis;
use sipkatdes::kode::Kode;
use sipkatdes::sk::cocok::{Entri, Hasil, HasilMedan, Medan, cocokkan};
use sipkatdes::sk::contoh::{self, Acak, IsiSk, Orang, Penetap, Pindaian, Tata};
use sipkatdes::sk::{Sumber, baca};
use time::{Date, Month};

/// The conditions a document is read in.
const KONDISI: [&str; 5] = ["teks", "pindai300", "pindai200", "pindai150", "foto"];

fn judul_kondisi(k: &str) -> &'static str {
    match k {
        "teks" => "text PDF",
        "pindai300" => "scan 300 dpi (image-only PDF)",
        "pindai200" => "scan 200 dpi (image-only PDF)",
        "pindai150" => "scan 150 dpi (image-only PDF)",
        "foto" => "phone photo (JPEG q60, ±3°, blur, uneven light)",
        _ => "?",
    }
}

// ---- the cases ----

/// A planted difference: what the person typed otherwise than the SK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
enum Tanam {
    /// One character of the name (substituted, left out or added).
    NamaSatu,
    /// Two characters of the name.
    NamaDua,
    /// One character of the place of birth.
    TempatSatu,
    /// Two characters of the place of birth.
    TempatDua,
    /// Two adjacent digits of the NIK swapped (only where the SK states the NIK).
    NikTukar,
    /// Two adjacent digits of the SK number swapped.
    NomorTukar,
    /// The TMT in another month.
    BulanTmt,
    /// The birth date in another month.
    BulanLahir,
    /// The date of the SK in another month.
    BulanSk,
    /// Another person's name.
    NamaLain,
}

const SEMUA_TANAM: [Tanam; 10] = [
    Tanam::NamaSatu,
    Tanam::NamaDua,
    Tanam::TempatSatu,
    Tanam::TempatDua,
    Tanam::NikTukar,
    Tanam::NomorTukar,
    Tanam::BulanTmt,
    Tanam::BulanLahir,
    Tanam::BulanSk,
    Tanam::NamaLain,
];

impl Tanam {
    fn medan(self) -> Medan {
        match self {
            Tanam::NamaSatu | Tanam::NamaDua | Tanam::NamaLain => Medan::Nama,
            Tanam::TempatSatu | Tanam::TempatDua => Medan::TempatLahir,
            Tanam::NikTukar => Medan::Nik,
            Tanam::NomorTukar => Medan::NomorSk,
            Tanam::BulanTmt => Medan::Tmt,
            Tanam::BulanLahir => Medan::TanggalLahir,
            Tanam::BulanSk => Medan::TanggalSk,
        }
    }

    fn kode(self) -> String {
        serde_json::to_value(self).unwrap().as_str().unwrap().to_string()
    }
}

struct Kasus {
    no: usize,
    isi: IsiSk,
    tata: Tata,
    entri: Entri,
    tanam: Option<Tanam>,
}

const DEPAN_L: &[&str] = &[
    "Ahmad",
    "Muhammad",
    "Rahmat",
    "Syahrani",
    "Fauzi",
    "Hairil",
    "Jumadi",
    "Baihaqi",
    "Rusdi",
    "Saprudin",
    "Yusran",
    "Abdul",
    "Norhadi",
    "Rizky",
    "Taufik",
    "Zainal",
    "Gusti",
    "Iberahim",
    "Samsuri",
    "Hamdani",
    "Akhmad",
    "Mursyid",
    "Khairullah",
    "Junaidi",
    "Supiani",
    "Arbain",
];
const DEPAN_P: &[&str] = &[
    "Siti",
    "Nor",
    "Rahmah",
    "Hayati",
    "Maulida",
    "Fitriani",
    "Rusmini",
    "Aulia",
    "Halimah",
    "Nurul",
    "Salasiah",
    "Yuliana",
    "Mariana",
    "Rabiatul",
    "Masniah",
    "Nurhayati",
    "Herliani",
    "Syarifah",
];
const BELAKANG: &[&str] = &[
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
    "Rahmadi",
    "Effendi",
    "Arsyad",
    "Kurniawan",
    "Norjanah",
    "Zulkifli",
    "Hamidah",
    "Basri",
    "Aminah",
    "Jamhari",
];
const TEMPAT: &[&str] = &[
    "Halong",
    "Paringin",
    "Amuntai",
    "Barabai",
    "Tanjung",
    "Kandangan",
    "Rantau",
    "Martapura",
    "Banjarmasin",
    "Kelua",
    "Juai",
    "Awayan",
    "Alabio",
    "Negara",
    "Pagat",
    "Muara Uya",
    "Batu Mandi",
    "Sungai Pandan",
    "Binuang",
    "Kotabaru",
    "Pelaihari",
    "Haruyan",
];
const GELAR_BELAKANG: &[&str] = &["S.Pd.", "S.E.", "S.Sos.", "A.Md.", "S.H.", "S.Kom.", "S.Pd.I.", "S.IP."];
const PENDIDIKAN: &[&str] = &["SMA", "SMA", "SMA", "SMK", "D3", "S1", "S1", "SMP"];
/// (kabupaten, kode, [(kecamatan, [desa])]); desa names of the region, used fictitiously.
/// A kabupaten: its name, its Kepala Desa's title, its kecamatan with their desa.
type Kabupaten = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static [&'static str])],
);

const WILAYAH: &[Kabupaten] = &[
    (
        "Balangan",
        "631102",
        &[
            ("Halong", &["Hauwai", "Binjai Punggal", "Mauya", "Aniungan"]),
            ("Paringin", &["Lamida Atas", "Babayau"]),
        ],
    ),
    (
        "Tabalong",
        "630903",
        &[
            ("Tanta", &["Tamiyang", "Padangin", "Mangkusip"]),
            ("Muara Uya", &["Ribang", "Lumbang"]),
        ],
    ),
    (
        "Hulu Sungai Utara",
        "630801",
        &[
            ("Amuntai Tengah", &["Palampitan Hulu", "Pakacangan"]),
            ("Babirik", &["Murung Panti", "Sungai Luang"]),
        ],
    ),
    (
        "Hulu Sungai Tengah",
        "630704",
        &[
            ("Batang Alai Selatan", &["Wawai", "Pagat", "Tembok Bahalang"]),
            ("Haruyan", &["Lok Besar", "Mangunang"]),
        ],
    ),
    (
        "Banjar",
        "630302",
        &[
            ("Karang Intan", &["Mandiangin Barat", "Sungai Alang"]),
            ("Aranio", &["Kalaan", "Tiwingan Lama"]),
        ],
    ),
    (
        "Tapin",
        "630504",
        &[
            ("Binuang", &["Pualam Sari", "Raya Belanti"]),
            ("Piani", &["Harakit", "Batung"]),
        ],
    ),
    (
        "Tanah Laut",
        "630106",
        &[
            ("Pelaihari", &["Atu-Atu", "Panggung"]),
            ("Takisung", &["Gunung Makmur", "Ranggang"]),
        ],
    ),
];
const ROMAWI: [&str; 12] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

fn pilih<'a, T: ?Sized>(r: &mut Acak, v: &'a [&'a T]) -> &'a T {
    v[r.ambil(v.len())]
}

fn tanggal(r: &mut Acak, tahun: std::ops::Range<i32>) -> Date {
    let t = tahun.start + r.ambil((tahun.end - tahun.start) as usize) as i32;
    let m = Month::try_from(1 + r.ambil(12) as u8).unwrap();
    Date::from_calendar_date(t, m, 1 + r.ambil(28) as u8).unwrap()
}

fn nama_acak(r: &mut Acak, perempuan: bool) -> String {
    let depan = if perempuan {
        pilih(r, DEPAN_P)
    } else {
        pilih(r, DEPAN_L)
    };
    if r.ambil(5) == 0 {
        // Three words, as many Banjar names have.
        let tengah = if perempuan {
            pilih(r, DEPAN_P)
        } else {
            pilih(r, DEPAN_L)
        };
        format!("{depan} {tengah} {}", pilih(r, BELAKANG))
    } else {
        format!("{depan} {}", pilih(r, BELAKANG))
    }
}

fn orang_acak(r: &mut Acak, kode: &str, desa: &str, jabatan: Jabatan, dusun: &[String], tmt: Date) -> Orang {
    let perempuan = r.ambil(3) == 0;
    let lahir = tanggal(r, tmt.year() - 45..tmt.year() - 21);
    let hari = lahir.day() + if perempuan { 40 } else { 0 };
    let nik = format!(
        "{kode}{hari:02}{:02}{:02}{:04}",
        lahir.month() as u8,
        lahir.year() % 100,
        1 + r.ambil(9998)
    );
    let gelar_depan = match r.ambil(8) {
        0 => if perempuan { "Hj." } else { "H." }.to_string(),
        _ => String::new(),
    };
    let gelar_belakang = if r.ambil(4) == 0 {
        pilih(r, GELAR_BELAKANG).to_string()
    } else {
        String::new()
    };
    Orang {
        nama: nama_acak(r, perempuan),
        gelar_depan,
        gelar_belakang,
        nik,
        perempuan,
        tempat_lahir: pilih(r, TEMPAT).to_string(),
        tanggal_lahir: lahir,
        pendidikan: pilih(r, PENDIDIKAN).to_string(),
        alamat: format!("RT {:02} RW {:02} Desa {desa}", 1 + r.ambil(12), 1 + r.ambil(4)),
        jabatan,
        dusun: if jabatan == Jabatan::KepalaDusun {
            dusun[r.ambil(dusun.len())].clone()
        } else {
            String::new()
        },
    }
}

const JABATAN_ACAK: [Jabatan; 14] = [
    Jabatan::KepalaDesa,
    Jabatan::SekretarisDesa,
    Jabatan::SekretarisDesa,
    Jabatan::KaurTuUmum,
    Jabatan::KaurKeuangan,
    Jabatan::KaurKeuangan,
    Jabatan::KaurPerencanaan,
    Jabatan::KaurUmumPerencanaan,
    Jabatan::KasiPemerintahan,
    Jabatan::KasiKesejahteraan,
    Jabatan::KasiPelayanan,
    Jabatan::KasiKesejahteraanPelayanan,
    Jabatan::KepalaDusun,
    Jabatan::KepalaDusun,
];

/// The SK of case `no`.
fn isi_acak(no: usize, benih: u64) -> (IsiSk, Tata) {
    let mut r = Acak::baru(benih.wrapping_mul(1_000_003).wrapping_add(no as u64));
    let (kab, kode, kec_list) = WILAYAH[r.ambil(WILAYAH.len())];
    let (kec, desa_list) = kec_list[r.ambil(kec_list.len())];
    let desa = desa_list[r.ambil(desa_list.len())];
    // Layouts in turn, so every layout has the same share of cases.
    let tata = Tata::SEMUA[no % Tata::SEMUA.len()];
    let jabatan = JABATAN_ACAK[r.ambil(JABATAN_ACAK.len())];
    let sebutan_kepala_desa = if kab == "Tanah Laut" { "Kepala Desa" } else { "Pembakal" };
    let dusun: Vec<String> = match r.ambil(3) {
        0 => ["Dusun I", "Dusun II", "Dusun III"].map(String::from).to_vec(),
        1 => ["Dusun 1", "Dusun 2"].map(String::from).to_vec(),
        _ => ["Dusun Hulu", "Dusun Hilir", "Dusun Tengah"].map(String::from).to_vec(),
    };
    let tanggal_sk = tanggal(&mut r, 2016..2026);
    let tmt = match r.ambil(4) {
        0 => tanggal_sk,
        // The first of the next month.
        1 => {
            let (t, m) = (tanggal_sk.year(), tanggal_sk.month());
            let t = if m == Month::December { t + 1 } else { t };
            Date::from_calendar_date(t, m.next(), 1).unwrap()
        }
        _ => {
            let n = tanggal_sk + time::Duration::days(1 + r.ambil(40) as i64);
            if n.day() > 28 { n.replace_day(28).unwrap() } else { n }
        }
    };
    let orang = orang_acak(&mut r, kode, desa, jabatan, &dusun, tmt);
    let singkat: String = desa
        .split([' ', '-'])
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_uppercase();
    let n = 1 + r.ambil(40);
    let bupati = jabatan == Jabatan::KepalaDesa;
    let nomor = if bupati {
        format!("188.45/{:03}/{}", 10 + r.ambil(600), tanggal_sk.year())
    } else {
        match r.ambil(4) {
            0 => format!(
                "141/{n:02}/{}/{}",
                desa.to_uppercase().replace(' ', "-"),
                tanggal_sk.year()
            ),
            1 => format!(
                "{n:03}/KPTS/PBK-{singkat}/{}/{}",
                ROMAWI[tanggal_sk.month() as usize - 1],
                tanggal_sk.year()
            ),
            2 => format!("141.1/{n:02}/DS-{singkat}/{}", tanggal_sk.year()),
            _ => format!("{n} TAHUN {}", tanggal_sk.year()),
        }
    };
    // Some table SKs appoint others at the same time.
    let rekan = if tata == Tata::Tabel && !bupati {
        (0..r.ambil(3))
            .map(|_| {
                let j = JABATAN_ACAK[1 + r.ambil(JABATAN_ACAK.len() - 1)];
                orang_acak(&mut r, kode, desa, j, &dusun, tmt)
            })
            .collect()
    } else {
        Vec::new()
    };
    let perempuan_penetap = r.ambil(6) == 0;
    let nama_penetap = if bupati {
        format!("H. {}, S.E., M.M.", nama_acak(&mut r, false).to_uppercase())
    } else {
        let g = if r.ambil(2) == 0 {
            if perempuan_penetap { "Hj. " } else { "H. " }
        } else {
            ""
        };
        format!("{g}{}", nama_acak(&mut r, perempuan_penetap).to_uppercase())
    };
    let isi = IsiSk {
        provinsi: "Kalimantan Selatan".into(),
        kabupaten: kab.into(),
        kecamatan: kec.into(),
        desa: desa.into(),
        alamat_kop: format!(
            "Jalan {} RT {:02} Desa {desa}, Kecamatan {kec} Kode Pos 71{:03}",
            pilih(&mut r, &["Poros Desa", "Pendidikan", "Raya Desa", "Mesjid"]),
            1 + r.ambil(9),
            r.ambil(999)
        ),
        sebutan_kepala_desa: sebutan_kepala_desa.into(),
        sebutan_kepala_dusun: "Kepala Dusun".into(),
        penetap: if bupati { Penetap::Bupati } else { Penetap::KepalaDesa },
        nama_penetap,
        nomor,
        tanggal: tanggal_sk,
        tmt,
        orang,
        rekan,
        nomor_rekomendasi: format!("141/{:03}/PEM/{}", 10 + r.ambil(300), tanggal_sk.year()),
        tanggal_rekomendasi: tanggal_sk - time::Duration::days(3 + r.ambil(20) as i64),
        catatan: "CONTOH — DATA FIKTIF (bench SIPKATDES)".into(),
    };
    (isi, tata)
}

const HURUF_GANTI: &[(char, &[char])] = &[
    ('a', &['e', 'i', 'o']),
    ('e', &['a', 'i']),
    ('i', &['e', 'y', 'u']),
    ('o', &['u', 'a']),
    ('u', &['o', 'i']),
    ('h', &['k', 'n']),
    ('n', &['m', 'h']),
    ('m', &['n']),
    ('r', &['l', 't']),
    ('l', &['r']),
    ('d', &['t']),
    ('t', &['d', 'r']),
    ('s', &['z', 'h']),
    ('y', &['i']),
];

/// One typing error in a word character of `s` (not its first letter): a substitution, a
/// letter left out or doubled.
fn salah_ketik(r: &mut Acak, s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    loop {
        let k = 1 + r.ambil(c.len() - 1);
        if !c[k].is_alphabetic() {
            continue;
        }
        let mut v = c.clone();
        match r.ambil(4) {
            0 => {
                v.remove(k);
            }
            1 => v.insert(k, c[k]),
            _ => {
                let kecil = c[k].to_ascii_lowercase();
                let ganti = HURUF_GANTI
                    .iter()
                    .find(|(h, _)| *h == kecil)
                    .map(|(_, g)| g[r.ambil(g.len())])
                    .unwrap_or('a');
                v[k] = if c[k].is_uppercase() {
                    ganti.to_ascii_uppercase()
                } else {
                    ganti
                };
            }
        }
        let hasil: String = v.into_iter().collect();
        if hasil.to_lowercase() != s.to_lowercase() {
            return hasil;
        }
    }
}

/// Two typing errors at different places.
fn salah_ketik_dua(r: &mut Acak, s: &str) -> String {
    loop {
        let a = salah_ketik(r, s);
        let b = salah_ketik(r, &a);
        let beda = s
            .to_lowercase()
            .chars()
            .zip(b.to_lowercase().chars())
            .filter(|(x, y)| x != y)
            .count()
            + s.chars().count().abs_diff(b.chars().count());
        if beda >= 2 && b.to_lowercase() != s.to_lowercase() {
            return b;
        }
    }
}

/// Swaps two adjacent different digits of `s` (from `awal` on, chosen at random).
fn tukar_angka(r: &mut Acak, s: &str, awal: usize) -> String {
    let c: Vec<char> = s.chars().collect();
    let pasangan: Vec<usize> = (awal..c.len().saturating_sub(1))
        .filter(|&k| c[k].is_ascii_digit() && c[k + 1].is_ascii_digit() && c[k] != c[k + 1])
        .collect();
    if pasangan.is_empty() {
        return s.to_string();
    }
    let k = pasangan[r.ambil(pasangan.len())];
    let mut v = c;
    v.swap(k, k + 1);
    v.into_iter().collect()
}

fn bulan_lain(r: &mut Acak, d: Date) -> Date {
    let m = 1 + (d.month() as u8 - 1 + 1 + r.ambil(11) as u8) % 12;
    d.replace_month(Month::try_from(m).unwrap()).unwrap()
}

/// The cases: half match their SK; the other half carry one planted difference, the kinds in
/// turn (a NIK only where the layout states one).
fn kasus(jumlah: usize, benih: u64) -> Vec<Kasus> {
    let mut k_tanam = 0;
    (0..jumlah)
        .map(|no| {
            let (isi, tata) = isi_acak(no, benih);
            let mut entri = isi.entri();
            let mut r = Acak::baru(benih ^ (no as u64 * 7919));
            // Matching and planted in turn within each layout (layouts go by `no % 4`).
            let tanam = if (no / Tata::SEMUA.len()) % 2 == 1 {
                let mut t = SEMUA_TANAM[k_tanam % SEMUA_TANAM.len()];
                k_tanam += 1;
                if t == Tanam::NikTukar && !tata.menyebut_nik() {
                    t = Tanam::NomorTukar;
                }
                Some(t)
            } else {
                None
            };
            match tanam {
                Some(Tanam::NamaSatu) => entri.nama = salah_ketik(&mut r, &entri.nama),
                Some(Tanam::NamaDua) => entri.nama = salah_ketik_dua(&mut r, &entri.nama),
                Some(Tanam::TempatSatu) => entri.tempat_lahir = salah_ketik(&mut r, &entri.tempat_lahir),
                Some(Tanam::TempatDua) => entri.tempat_lahir = salah_ketik_dua(&mut r, &entri.tempat_lahir),
                Some(Tanam::NikTukar) => entri.nik = tukar_angka(&mut r, &entri.nik, 6),
                Some(Tanam::NomorTukar) => {
                    let baru = tukar_angka(&mut r, &entri.nomor_sk, 0);
                    entri.nomor_sk = baru;
                }
                Some(Tanam::BulanTmt) => entri.tmt = entri.tmt.map(|d| bulan_lain(&mut r, d)),
                Some(Tanam::BulanLahir) => entri.tanggal_lahir = entri.tanggal_lahir.map(|d| bulan_lain(&mut r, d)),
                Some(Tanam::BulanSk) => entri.tanggal_sk = entri.tanggal_sk.map(|d| bulan_lain(&mut r, d)),
                Some(Tanam::NamaLain) => {
                    let lain = loop {
                        let n = nama_acak(&mut r, isi.orang.perempuan);
                        if n != isi.orang.nama && isi.rekan.iter().all(|x| x.nama != n) {
                            break n;
                        }
                    };
                    entri.nama = lain;
                }
                None => {}
            }
            Kasus {
                no,
                isi,
                tata,
                entri,
                tanam,
            }
        })
        .collect()
}

/// The fields this SK states (the others are `tidak_ditemukan` by right).
fn dinyatakan(k: &Kasus) -> Vec<Medan> {
    let mut v = vec![
        Medan::Nama,
        Medan::TempatLahir,
        Medan::TanggalLahir,
        Medan::Jabatan,
        Medan::NomorSk,
        Medan::TanggalSk,
        Medan::Tmt,
    ];
    if k.tata.menyebut_nik() {
        v.insert(1, Medan::Nik);
    }
    v
}

/// The document of case `k` in condition `kondisi`.
fn dokumen(k: &Kasus, kondisi: &str) -> (Vec<u8>, Jenis) {
    let benih = k.no as u64 * 31 + 5;
    match kondisi {
        "teks" => (contoh::pdf_teks(&k.isi, k.tata), Jenis::Pdf),
        "pindai300" => (
            contoh::pdf_pindai(&k.isi, k.tata, &Pindaian::baru(300, benih)),
            Jenis::Pdf,
        ),
        "pindai200" => (
            contoh::pdf_pindai(&k.isi, k.tata, &Pindaian::baru(200, benih)),
            Jenis::Pdf,
        ),
        "pindai150" => (
            contoh::pdf_pindai(&k.isi, k.tata, &Pindaian::baru(150, benih)),
            Jenis::Pdf,
        ),
        "foto" => (contoh::foto(&k.isi, k.tata, benih), Jenis::Jpeg),
        _ => panic!("kondisi tidak dikenal: {kondisi}"),
    }
}

// ---- the records ----

#[derive(Serialize, Deserialize, Clone)]
struct Catatan {
    kasus: usize,
    kondisi: String,
    tata: String,
    kabupaten: String,
    jabatan: String,
    tanam: Option<Tanam>,
    medan_tanam: Option<Medan>,
    /// The SK's value of the planted field, and what was entered instead.
    kebenaran: Option<String>,
    diisi: Option<String>,
    dinyatakan: Vec<Medan>,
    hasil: Vec<HasilMedan>,
    sumber: Option<String>,
    halaman: usize,
    ukuran: usize,
    detik_baca: f64,
    detik_buat: f64,
    galat: Option<String>,
    teks_sk: String,
}

fn nilai_medan(e: &Entri, m: Medan) -> String {
    let t = |d: Option<Date>| {
        d.map(|d| contoh::tulis_tanggal(d, contoh::BentukTanggal::Panjang))
            .unwrap_or_default()
    };
    match m {
        Medan::Nama => e.nama.clone(),
        Medan::Nik => e.nik.clone(),
        Medan::TempatLahir => e.tempat_lahir.clone(),
        Medan::TanggalLahir => t(e.tanggal_lahir),
        Medan::Jabatan => format!("{} {}", e.jabatan.join(" / "), e.dusun).trim().to_string(),
        Medan::NomorSk => e.nomor_sk.clone(),
        Medan::TanggalSk => t(e.tanggal_sk),
        Medan::Tmt => t(e.tmt),
    }
}

fn jalankan_satu(k: &Kasus, kondisi: &str, pembaca: &baca::Pembaca, simpan: Option<&Path>) -> Catatan {
    let t0 = Instant::now();
    let (isi, jenis) = dokumen(k, kondisi);
    let detik_buat = t0.elapsed().as_secs_f64();
    if let Some(dir) = simpan {
        let _ = std::fs::write(dir.join(format!("{:03}-{kondisi}.{}", k.no, jenis.ekstensi())), &isi);
    }
    let t1 = Instant::now();
    let mut halaman = 0;
    let baca = pembaca.baca(&isi, jenis, &mut |_, total| halaman = total);
    let detik_baca = t1.elapsed().as_secs_f64();
    let (hasil, sumber, teks, galat) = match baca {
        Ok(t) => {
            halaman = t.halaman.len();
            let teks = t.gabung();
            let hasil = cocokkan(&teks, t.sumber == Sumber::Ocr, &k.entri);
            (hasil, Some(t.sumber.kode().to_string()), teks, None)
        }
        Err(e) => (Vec::new(), None, String::new(), Some(e.to_string())),
    };
    let benar = k.isi.entri();
    Catatan {
        kasus: k.no,
        kondisi: kondisi.into(),
        tata: k.tata.kode().into(),
        kabupaten: k.isi.kabupaten.clone(),
        jabatan: k.isi.orang.jabatan.kode().into(),
        tanam: k.tanam,
        medan_tanam: k.tanam.map(Tanam::medan),
        kebenaran: k.tanam.map(|t| nilai_medan(&benar, t.medan())),
        diisi: k.tanam.map(|t| nilai_medan(&k.entri, t.medan())),
        dinyatakan: dinyatakan(k),
        hasil,
        sumber,
        halaman: halaman.max(1),
        ukuran: isi.len(),
        detik_baca,
        detik_buat,
        galat,
        teks_sk: teks,
    }
}

// ---- the summary ----

#[derive(Default)]
struct Ringkas {
    dokumen: usize,
    halaman: usize,
    detik: f64,
    detik_maks: f64,
    ukuran_maks: usize,
    galat: usize,
    tanam: usize,
    ditandai: usize,
    tanam_lain: usize,
    cocok_salah: usize,
    sesuai: usize,
    sesuai_alarm: usize,
    medan_sesuai: usize,
    medan_alarm: usize,
    per_tanam: BTreeMap<String, (usize, usize)>,
    per_medan_alarm: BTreeMap<String, usize>,
}

fn ringkas(catatan: &[Catatan]) -> BTreeMap<String, Ringkas> {
    let mut m: BTreeMap<String, Ringkas> = BTreeMap::new();
    for c in catatan {
        let r = m.entry(c.kondisi.clone()).or_default();
        r.dokumen += 1;
        r.halaman += c.halaman;
        r.detik += c.detik_baca;
        r.detik_maks = r.detik_maks.max(c.detik_baca / c.halaman as f64);
        r.ukuran_maks = r.ukuran_maks.max(c.ukuran);
        if c.galat.is_some() {
            r.galat += 1;
        }
        let hasil_dari = |f: Medan| c.hasil.iter().find(|h| h.field == f).map(|h| h.hasil);
        match c.medan_tanam {
            Some(f) => {
                r.tanam += 1;
                let h = hasil_dari(f);
                let kena = h == Some(Hasil::Mirip);
                if kena {
                    r.ditandai += 1;
                } else if h.is_some_and(|h| h != Hasil::Cocok) {
                    r.tanam_lain += 1;
                } else {
                    r.cocok_salah += 1;
                }
                let e = r.per_tanam.entry(c.tanam.unwrap().kode()).or_default();
                e.0 += 1;
                e.1 += kena as usize;
            }
            None => {
                r.sesuai += 1;
                let mut alarm = false;
                for f in &c.dinyatakan {
                    r.medan_sesuai += 1;
                    if hasil_dari(*f) != Some(Hasil::Cocok) {
                        r.medan_alarm += 1;
                        alarm = true;
                        *r.per_medan_alarm.entry(f.kode().to_string()).or_default() += 1;
                    }
                }
                r.sesuai_alarm += alarm as usize;
            }
        }
    }
    m
}

fn persen(a: usize, b: usize) -> String {
    if b == 0 {
        "–".into()
    } else {
        format!("{:.1}%", 100.0 * a as f64 / b as f64)
    }
}

fn tabel_md(catatan: &[Catatan], keterangan: &str) -> String {
    let m = ringkas(catatan);
    let mut t = vec![
        "## SK reading: the machine reads the SK and compares it with the entry (issue 13)".to_string(),
        String::new(),
        format!(
            "Written by `cargo run --release --example sk_bench` (see `bench/sk/README.md`); do not edit by hand. \
             {keterangan}"
        ),
        String::new(),
        "Every SK is generated with its truth (`sk::contoh`, four layouts in turn); half of the entries match \
         their SK, the other half carry one planted difference (the kinds in turn). *Flagged*: the planted field \
         is `mirip`. *False alarm*: on a matching entry, a field the SK states that is not `cocok` (share of \
         entries with at least one; share of fields). Seconds per page: the reading (`sk::baca`) alone, two \
         documents at once on the two cores."
            .into(),
        String::new(),
        "| condition | docs | flagged | planted → `cocok` | planted → other | false alarms (entries) | false alarms (fields) | s/page mean | s/page max | failed | largest file |".into(),
        "|---|---|---|---|---|---|---|---|---|---|---|".into(),
    ];
    for k in KONDISI {
        let Some(r) = m.get(k) else { continue };
        t.push(format!(
            "| {} | {} | {} ({}/{}) | {} | {} | {} ({}/{}) | {} ({}/{}) | {:.2} | {:.2} | {} | {:.1} MB |",
            judul_kondisi(k),
            r.dokumen,
            persen(r.ditandai, r.tanam),
            r.ditandai,
            r.tanam,
            r.cocok_salah,
            r.tanam_lain,
            persen(r.sesuai_alarm, r.sesuai),
            r.sesuai_alarm,
            r.sesuai,
            persen(r.medan_alarm, r.medan_sesuai),
            r.medan_alarm,
            r.medan_sesuai,
            r.detik / r.halaman.max(1) as f64,
            r.detik_maks,
            r.galat,
            r.ukuran_maks as f64 / 1_048_576.0,
        ));
    }
    t.push(String::new());
    t.push("Flagged by kind of planted difference (flagged / planted):".into());
    t.push(String::new());
    let mut kepala = "| kind |".to_string();
    let mut garis = "|---|".to_string();
    let ada: Vec<&str> = KONDISI.iter().copied().filter(|k| m.contains_key(*k)).collect();
    for k in &ada {
        kepala.push_str(&format!(" {k} |"));
        garis.push_str("---|");
    }
    t.push(kepala);
    t.push(garis);
    for tanam in SEMUA_TANAM {
        let mut b = format!("| {} |", tanam.kode());
        for k in &ada {
            let (n, f) = m[*k].per_tanam.get(&tanam.kode()).copied().unwrap_or_default();
            b.push_str(&format!(" {f}/{n} |"));
        }
        t.push(b);
    }
    t.push(String::new());
    t.push("False alarms on matching entries by field (fields not `cocok` though the SK states them):".into());
    t.push(String::new());
    let mut kepala = "| field |".to_string();
    let mut garis = "|---|".to_string();
    for k in &ada {
        kepala.push_str(&format!(" {k} |"));
        garis.push_str("---|");
    }
    t.push(kepala);
    t.push(garis);
    for f in [
        Medan::Nama,
        Medan::Nik,
        Medan::TempatLahir,
        Medan::TanggalLahir,
        Medan::Jabatan,
        Medan::NomorSk,
        Medan::TanggalSk,
        Medan::Tmt,
    ] {
        let mut b = format!("| {} |", f.kode());
        for k in &ada {
            b.push_str(&format!(
                " {} |",
                m[*k].per_medan_alarm.get(f.kode()).copied().unwrap_or(0)
            ));
        }
        t.push(b);
    }
    t.join("\n")
}

const AWAL: &str = "<!-- sk_bench: awal -->";
const AKHIR: &str = "<!-- sk_bench: akhir -->";

/// Puts the section between its markers in BENCHMARKS.md (at the end the first time).
fn tulis_benchmarks(md: &Path, bagian: &str) -> std::io::Result<()> {
    let lama = std::fs::read_to_string(md).unwrap_or_default();
    let baru = format!("{AWAL}\n{bagian}\n{AKHIR}");
    let isi = match (lama.find(AWAL), lama.find(AKHIR)) {
        (Some(a), Some(b)) if b > a => format!("{}{baru}{}", &lama[..a], &lama[b + AKHIR.len()..]),
        _ => format!("{}\n\n{baru}\n", lama.trim_end()),
    };
    std::fs::write(md, isi)
}

fn baca_catatan(dir: &Path) -> Vec<Catatan> {
    let mut v = Vec::new();
    for k in KONDISI {
        let p = dir.join(format!("kasus-{k}.jsonl"));
        if let Ok(s) = std::fs::read_to_string(&p) {
            v.extend(s.lines().filter_map(|l| serde_json::from_str::<Catatan>(l).ok()));
        }
    }
    v
}

struct Opsi {
    /// Compare again on the stored texts (`--nilai-ulang`).
    nilai_ulang: bool,
    jumlah: usize,
    benih: u64,
    kondisi: Vec<String>,
    hasil: PathBuf,
    md: Option<PathBuf>,
    paralel: usize,
    simpan_berkas: bool,
    ringkas_saja: bool,
    /// A note on the run's conditions, put under the table's heading.
    catatan: String,
}

fn opsi() -> Opsi {
    let mut o = Opsi {
        jumlah: 200,
        benih: 13,
        kondisi: KONDISI.iter().map(|s| s.to_string()).collect(),
        hasil: PathBuf::from("bench/sk/hasil"),
        md: Some(PathBuf::from("BENCHMARKS.md")),
        paralel: 2,
        simpan_berkas: false,
        ringkas_saja: false,
        nilai_ulang: false,
        catatan: String::new(),
    };
    let mut a = std::env::args().skip(1);
    while let Some(x) = a.next() {
        let mut nilai = || a.next().unwrap_or_else(|| panic!("{x} perlu nilai"));
        match x.as_str() {
            "--jumlah" => o.jumlah = nilai().parse().expect("--jumlah N"),
            "--benih" => o.benih = nilai().parse().expect("--benih N"),
            "--kondisi" => o.kondisi = nilai().split(',').map(String::from).collect(),
            "--hasil" => o.hasil = PathBuf::from(nilai()),
            "--md" => o.md = Some(PathBuf::from(nilai())),
            "--tanpa-md" => o.md = None,
            "--paralel" => o.paralel = nilai().parse().expect("--paralel N"),
            "--simpan-berkas" => o.simpan_berkas = true,
            "--ringkas" => o.ringkas_saja = true,
            "--nilai-ulang" => o.nilai_ulang = true,
            "--catatan" => o.catatan = nilai(),
            "-h" | "--help" => {
                println!(
                    "sk_bench [--jumlah N=200] [--benih S=13] [--kondisi teks,pindai300,pindai200,pindai150,foto] \
                     [--hasil DIR=bench/sk/hasil] [--md FILE=BENCHMARKS.md | --tanpa-md] [--paralel N=2] \
                     [--simpan-berkas] [--ringkas] [--catatan TEKS]"
                );
                std::process::exit(0);
            }
            _ => panic!("opsi tidak dikenal: {x} (lihat --help)"),
        }
    }
    for k in &o.kondisi {
        assert!(KONDISI.contains(&k.as_str()), "kondisi tidak dikenal: {k}");
    }
    o
}

fn main() {
    let o = opsi();
    std::fs::create_dir_all(&o.hasil).expect("hasil dir");
    let keterangan = |catatan: &[Catatan]| {
        let kasus: std::collections::BTreeSet<usize> = catatan.iter().map(|c| c.kasus).collect();
        format!(
            "{} SKs (seed {}), {} readings; per-case details in `bench/sk/hasil/kasus-*.jsonl`. {}",
            kasus.len(),
            o.benih,
            catatan.len(),
            o.catatan
        )
    };
    if o.nilai_ulang {
        // The comparison again on the texts already read (no reading, no OCR): after a change
        // of `sk::cocok`, the same cases (same seed) get fresh results.
        let semua = kasus(o.jumlah, o.benih);
        for kondisi in KONDISI {
            let p = o.hasil.join(format!("kasus-{kondisi}.jsonl"));
            let Ok(isi) = std::fs::read_to_string(&p) else { continue };
            let mut keluar = String::new();
            for l in isi.lines() {
                let Ok(mut c) = serde_json::from_str::<Catatan>(l) else {
                    continue;
                };
                if let Some(k) = semua.iter().find(|k| k.no == c.kasus)
                    && c.galat.is_none()
                {
                    c.hasil = cocokkan(&c.teks_sk, c.sumber.as_deref() == Some("ocr"), &k.entri);
                }
                keluar.push_str(&serde_json::to_string(&c).expect("json"));
                keluar.push('\n');
            }
            std::fs::write(&p, keluar).expect("jsonl");
        }
    } else if !o.ringkas_saja {
        let semua = kasus(o.jumlah, o.benih);
        let pembaca = baca::Pembaca::bawaan();
        let berkas_dir = o.hasil.join("berkas");
        if o.simpan_berkas {
            std::fs::create_dir_all(&berkas_dir).expect("berkas dir");
        }
        for kondisi in &o.kondisi {
            let p = o.hasil.join(format!("kasus-{kondisi}.jsonl"));
            let keluar = Mutex::new(std::fs::File::create(&p).expect("jsonl"));
            let berikut = AtomicUsize::new(0);
            let selesai = AtomicUsize::new(0);
            let mulai = Instant::now();
            std::thread::scope(|s| {
                for _ in 0..o.paralel.max(1) {
                    s.spawn(|| {
                        loop {
                            let i = berikut.fetch_add(1, Ordering::SeqCst);
                            let Some(k) = semua.get(i) else { break };
                            let c =
                                jalankan_satu(k, kondisi, &pembaca, o.simpan_berkas.then_some(berkas_dir.as_path()));
                            let baris = serde_json::to_string(&c).expect("json");
                            let mut f = keluar.lock().unwrap();
                            writeln!(f, "{baris}").expect("write");
                            f.flush().ok();
                            let n = selesai.fetch_add(1, Ordering::SeqCst) + 1;
                            if n.is_multiple_of(20) || n == semua.len() {
                                eprintln!(
                                    "{kondisi}: {n}/{} ({:.0} s)",
                                    semua.len(),
                                    mulai.elapsed().as_secs_f64()
                                );
                            }
                        }
                    });
                }
            });
        }
    }
    let catatan = baca_catatan(&o.hasil);
    let md = tabel_md(&catatan, &keterangan(&catatan));
    std::fs::write(o.hasil.join("ringkasan.md"), format!("{md}\n")).expect("ringkasan");
    println!("{md}");
    if let Some(p) = &o.md {
        tulis_benchmarks(p, &md).expect("BENCHMARKS.md");
        eprintln!("ditulis: {}", p.display());
    }
}
