//! Realistic, fictitious SK documents with their truth: the demo's decrees and the bench's
//! (`examples/sk_bench.rs`). A *Keputusan Kepala Desa* (or, for a Kepala Desa, *Keputusan
//! Bupati*) of appointment in one of several layouts ([`Tata`]), as a text PDF laid out by
//! typst ([`pdf_teks`]), as a scan — the page rendered to pixels, slightly rotated, noisy — in an
//! image-only PDF or a PNG/JPEG file ([`pdf_pindai`], [`gambar_pindai`]), or as a phone photo
//! ([`foto`]). Everything is deterministic: the same [`IsiSk`], layout and seed give the same
//! bytes. CPU work (tens to hundreds of milliseconds per page): call from a blocking thread.
//!
//! The typst engine is set up here as in `laporan::pdf` (the same bundled fonts, data as JSON
//! in `sys.inputs.data`); it is not imported from there because `laporan` is a layer above.

use std::io::Cursor;
use std::sync::OnceLock;

use serde::Serialize;
use time::Date;
use tiny_skia as sk;
use typst::foundations::{Dict, IntoValue, Smart};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

use crate::desa::jabatan::Jabatan;
use crate::dokumen::Jenis;

static TEMPLAT: &str = include_str!("templat/sk.typ");

/// Who signs the decree: the Kepala Desa appoints the perangkat, the Bupati the Kepala Desa.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Penetap {
    KepalaDesa,
    Bupati,
}

/// A person named in the SK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orang {
    /// Without academic or religious titles.
    pub nama: String,
    /// "H.", "Hj.", "Drs." …
    pub gelar_depan: String,
    /// "S.Pd.", "S.E." …
    pub gelar_belakang: String,
    pub nik: String,
    pub perempuan: bool,
    pub tempat_lahir: String,
    pub tanggal_lahir: Date,
    /// "SMA", "S1" …
    pub pendidikan: String,
    pub alamat: String,
    pub jabatan: Jabatan,
    /// The dusun of a Kepala Dusun ("Dusun I"); empty otherwise.
    pub dusun: String,
}

/// Everything an SK of appointment states: the truth the machine's reading is measured against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IsiSk {
    pub provinsi: String,
    /// Without "Kabupaten": "Balangan".
    pub kabupaten: String,
    pub kecamatan: String,
    pub desa: String,
    /// The address line of the kop.
    pub alamat_kop: String,
    /// The desa's title of its head: "Pembakal" in Kalimantan Selatan, "Kepala Desa" elsewhere.
    pub sebutan_kepala_desa: String,
    /// "Kepala Dusun" (or "Kepala Wilayah", "Pambakal Dusun" …).
    pub sebutan_kepala_dusun: String,
    pub penetap: Penetap,
    /// The name of the Kepala Desa (or Bupati) who signs, with titles.
    pub nama_penetap: String,
    pub nomor: String,
    /// Ditetapkan … pada tanggal ….
    pub tanggal: Date,
    /// Terhitung mulai tanggal; when it is `tanggal`, some layouts say "berlaku sejak tanggal
    /// ditetapkan".
    pub tmt: Date,
    /// The appointed official.
    pub orang: Orang,
    /// Others appointed by the same decree (listed only in [`Tata::Tabel`]).
    pub rekan: Vec<Orang>,
    /// The Camat's recommendation (Permendagri 67/2017) the decree cites: another number and
    /// another date in the text.
    pub nomor_rekomendasi: String,
    pub tanggal_rekomendasi: Date,
    /// A line at the foot of the page ("CONTOH — DATA FIKTIF …"); empty for none.
    pub catatan: String,
}

/// A layout: each is a kabupaten's template in spirit, with its own font, identity block,
/// date forms, position names and way of stating the TMT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tata {
    /// One-column identity block ("Nama : …", with NIK), long dates ("1 April 2023"), catalogue
    /// names of positions, "terhitung mulai tanggal 1 April 2023" (Libertinus Serif).
    Daftar,
    /// Two-column identity block (with NIK), "27-03-1990", short forms ("Kaur Keuangan",
    /// "Sekdes"), "TMT : 01-04-2023" in the block (New Computer Modern).
    DuaKolom,
    /// A table of the appointed (no NIK; others appointed by the same decree beside),
    /// "27/03/1990", short forms, the TMT in a column or "berlaku sejak tanggal ditetapkan".
    Tabel,
    /// A prose paragraph "mengangkat Saudara … lahir di … pada tanggal …" (no NIK), typed in a
    /// typewriter face, the signature date as "27 - 3 - 2023".
    Prosa,
}

impl Tata {
    pub const SEMUA: [Tata; 4] = [Tata::Daftar, Tata::DuaKolom, Tata::Tabel, Tata::Prosa];

    pub fn kode(self) -> &'static str {
        match self {
            Tata::Daftar => "daftar",
            Tata::DuaKolom => "dua_kolom",
            Tata::Tabel => "tabel",
            Tata::Prosa => "prosa",
        }
    }

    pub fn parse(s: &str) -> Option<Tata> {
        Tata::SEMUA.into_iter().find(|t| t.kode() == s)
    }

    /// Whether the layout states the NIK.
    pub fn menyebut_nik(self) -> bool {
        matches!(self, Tata::Daftar | Tata::DuaKolom)
    }

    /// Whether the layout names positions by their short forms.
    pub fn jabatan_pendek(self) -> bool {
        matches!(self, Tata::DuaKolom | Tata::Tabel)
    }
}

/// The Indonesian ways of writing a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BentukTanggal {
    /// "1 April 2023"
    Panjang,
    /// "01-04-2023"
    Strip,
    /// "01/04/2023"
    Garis,
    /// "1 - 4 - 2023"
    Spasi,
}

pub fn tulis_tanggal(d: Date, b: BentukTanggal) -> String {
    let (h, m, t) = (d.day(), d.month() as u8, d.year());
    match b {
        BentukTanggal::Panjang => format!("{h} {} {t}", crate::waktu::NAMA_BULAN[m as usize - 1]),
        BentukTanggal::Strip => format!("{h:02}-{m:02}-{t}"),
        BentukTanggal::Garis => format!("{h:02}/{m:02}/{t}"),
        BentukTanggal::Spasi => format!("{h} - {m} - {t}"),
    }
}

impl Orang {
    /// "H. Ahmad Fauzi, S.Pd."; the name in capitals when `besar` (titles keep their case).
    pub fn nama_lengkap(&self, besar: bool) -> String {
        let mut s = String::new();
        if !self.gelar_depan.is_empty() {
            s.push_str(&self.gelar_depan);
            s.push(' ');
        }
        s.push_str(&if besar {
            self.nama.to_uppercase()
        } else {
            self.nama.clone()
        });
        if !self.gelar_belakang.is_empty() {
            s.push_str(", ");
            s.push_str(&self.gelar_belakang);
        }
        s
    }

    fn saudara(&self) -> &'static str {
        if self.perempuan { "Saudari" } else { "Saudara" }
    }
}

impl IsiSk {
    /// The position of `o` by its full name: the catalogue's, the desa's title of its head
    /// ("Pembakal"), "Kepala Dusun I".
    pub fn jabatan_lengkap(&self, o: &Orang) -> String {
        match o.jabatan {
            Jabatan::KepalaDesa => self.sebutan_kepala_desa.clone(),
            Jabatan::KepalaDusun => crate::desa::nama_kepala_dusun(&self.sebutan_kepala_dusun, &o.dusun),
            j => j.nama().to_string(),
        }
    }

    /// The short form a typist uses: "Sekdes", "Kaur Keuangan", "Kasi Pemerintahan".
    pub fn jabatan_pendek(&self, o: &Orang) -> String {
        match o.jabatan {
            Jabatan::SekretarisDesa => "Sekdes".into(),
            Jabatan::KaurTuUmum => "Kaur TU dan Umum".into(),
            Jabatan::KepalaDesa | Jabatan::KepalaDusun | Jabatan::Staf => self.jabatan_lengkap(o),
            j => j
                .nama()
                .replace("Kepala Urusan", "Kaur")
                .replace("Kepala Seksi", "Kasi"),
        }
    }

    fn jabatan_di(&self, o: &Orang, tata: Tata) -> String {
        if tata.jabatan_pendek() {
            self.jabatan_pendek(o)
        } else {
            self.jabatan_lengkap(o)
        }
    }

    /// "PEMBAKAL HAUWAI", "BUPATI BALANGAN".
    fn penetap_besar(&self) -> String {
        match self.penetap {
            Penetap::KepalaDesa => format!("{} {}", self.sebutan_kepala_desa, self.desa).to_uppercase(),
            Penetap::Bupati => format!("BUPATI {}", self.kabupaten.to_uppercase()),
        }
    }

    /// "Pembakal Hauwai", "Bupati Balangan".
    fn penetap_judul(&self) -> String {
        match self.penetap {
            Penetap::KepalaDesa => format!("{} {}", self.sebutan_kepala_desa, self.desa),
            Penetap::Bupati => format!("Bupati {}", self.kabupaten),
        }
    }

    /// The entry of the appointed official exactly as the SK states it (the bench plants its
    /// differences in it).
    pub fn entri(&self) -> super::cocok::Entri {
        let o = &self.orang;
        let jabatan = match o.jabatan {
            Jabatan::KepalaDusun => vec![self.sebutan_kepala_dusun.clone()],
            Jabatan::KepalaDesa => vec![self.sebutan_kepala_desa.clone(), Jabatan::KepalaDesa.nama().into()],
            j => {
                let mut v = vec![j.nama().to_string()];
                let pendek = self.jabatan_pendek(o);
                if !v.contains(&pendek) {
                    v.push(pendek);
                }
                v
            }
        };
        super::cocok::Entri {
            nama: o.nama.clone(),
            gelar_depan: o.gelar_depan.clone(),
            gelar_belakang: o.gelar_belakang.clone(),
            nik: o.nik.clone(),
            tempat_lahir: o.tempat_lahir.clone(),
            tanggal_lahir: Some(o.tanggal_lahir),
            jabatan,
            dusun: if o.jabatan == Jabatan::KepalaDusun {
                o.dusun.clone()
            } else {
                String::new()
            },
            nomor_sk: self.nomor.clone(),
            tanggal_sk: Some(self.tanggal),
            tmt: Some(self.tmt),
        }
    }
}

/// The seat of a kabupaten of Kalimantan Selatan (for the tembusan and the Bupati's "Ditetapkan
/// di"); the kabupaten's own name elsewhere.
fn ibu_kota(kabupaten: &str) -> &str {
    match kabupaten {
        "Balangan" => "Paringin",
        "Tabalong" => "Tanjung",
        "Hulu Sungai Utara" => "Amuntai",
        "Hulu Sungai Tengah" => "Barabai",
        "Hulu Sungai Selatan" => "Kandangan",
        "Tapin" => "Rantau",
        "Banjar" => "Martapura",
        "Tanah Laut" => "Pelaihari",
        "Barito Kuala" => "Marabahan",
        "Kotabaru" => "Kotabaru",
        "Tanah Bumbu" => "Batulicin",
        k => k,
    }
}

// ---- the data of the typst template ----

#[derive(Serialize)]
struct DataTemplat {
    judul: String,
    font: &'static str,
    ukuran: f64,
    spasi: f64,
    rata: bool,
    margin_kiri: f64,
    lambang: bool,
    garis_kop: &'static str,
    kop: Vec<String>,
    kop_utama: String,
    kop_alamat: String,
    kepala: Vec<String>,
    tentang: Vec<String>,
    pembuka: Vec<String>,
    konsiderans: Vec<Konsiderans>,
    menetapkan: String,
    diktum: Vec<Diktum>,
    ttd: Ttd,
    tembusan: Vec<String>,
    catatan: String,
}

#[derive(Serialize)]
struct Konsiderans {
    label: &'static str,
    butir: Vec<String>,
    huruf: bool,
}

#[derive(Serialize)]
struct Diktum {
    label: &'static str,
    isi: Vec<Blok>,
}

#[derive(Serialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
enum Blok {
    Teks {
        teks: String,
    },
    Identitas {
        kolom: u8,
        baris: Vec<[String; 2]>,
    },
    Tabel {
        kepala: Vec<String>,
        lebar: Vec<f64>,
        baris: Vec<Vec<String>>,
    },
    Prosa {
        bagian: Vec<Bagian>,
    },
}

#[derive(Serialize)]
struct Bagian {
    t: String,
    tebal: bool,
}

#[derive(Serialize)]
struct Ttd {
    tempat: String,
    tanggal: String,
    jabatan: String,
    nama: String,
}

const DIKTUM: [&str; 5] = ["KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA"];

fn bagian(t: impl Into<String>, tebal: bool) -> Bagian {
    Bagian { t: t.into(), tebal }
}

/// Lays out the decree's texts for the template.
fn data_templat(isi: &IsiSk, tata: Tata) -> DataTemplat {
    let o = &isi.orang;
    let panjang = |d: Date| tulis_tanggal(d, BentukTanggal::Panjang);
    let (b_lahir, b_ttd, b_tmt) = match tata {
        Tata::Daftar => (BentukTanggal::Panjang, BentukTanggal::Panjang, BentukTanggal::Panjang),
        Tata::DuaKolom => (BentukTanggal::Strip, BentukTanggal::Panjang, BentukTanggal::Strip),
        Tata::Tabel => (BentukTanggal::Garis, BentukTanggal::Garis, BentukTanggal::Garis),
        Tata::Prosa => (BentukTanggal::Panjang, BentukTanggal::Spasi, BentukTanggal::Panjang),
    };
    let bupati = isi.penetap == Penetap::Bupati;
    let penetap = isi.penetap_besar();
    let jabatan = isi.jabatan_lengkap(o);
    let desa = &isi.desa;
    let kec = &isi.kecamatan;
    let kab = &isi.kabupaten;
    let sejak_ditetapkan = isi.tmt == isi.tanggal;
    // In a table the decree is about the perangkat as a group.
    let pokok = if tata == Tata::Tabel && !bupati {
        format!("Perangkat Desa {desa}")
    } else if bupati {
        format!("{jabatan} {desa}")
    } else {
        format!("{jabatan} Desa {desa}")
    };
    let tentang_pokok = if bupati {
        format!("PENGESAHAN PENGANGKATAN {}", pokok.to_uppercase())
    } else {
        format!("PENGANGKATAN {}", pokok.to_uppercase())
    };
    let wilayah_besar = format!("KECAMATAN {} KABUPATEN {}", kec.to_uppercase(), kab.to_uppercase());

    let (kop, kop_utama, kop_alamat) = if bupati {
        (Vec::new(), format!("BUPATI {}", kab.to_uppercase()), String::new())
    } else {
        let utama = match tata {
            Tata::DuaKolom | Tata::Prosa => format!("PEMERINTAH DESA {}", desa.to_uppercase()),
            _ => format!("DESA {}", desa.to_uppercase()),
        };
        let mut kop = vec![format!("PEMERINTAH KABUPATEN {}", kab.to_uppercase())];
        kop.push(format!("KECAMATAN {}", kec.to_uppercase()));
        (kop, utama, isi.alamat_kop.clone())
    };
    let nomor = match tata {
        Tata::Daftar | Tata::Prosa => format!("NOMOR {}", isi.nomor),
        Tata::DuaKolom | Tata::Tabel => format!("NOMOR : {}", isi.nomor),
    };

    let menimbang = if bupati {
        vec![
            format!(
                "bahwa berdasarkan Keputusan Badan Permusyawaratan Desa {desa} Nomor {} tanggal {} tentang \
                 Penetapan Calon {} Terpilih, perlu mengesahkan pengangkatan {} {desa};",
                isi.nomor_rekomendasi,
                panjang(isi.tanggal_rekomendasi),
                isi.sebutan_kepala_desa,
                isi.sebutan_kepala_desa,
            ),
            format!(
                "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan Keputusan \
                 Bupati {kab} tentang Pengesahan Pengangkatan {} {desa} Kecamatan {kec};",
                isi.sebutan_kepala_desa
            ),
        ]
    } else {
        vec![
            format!(
                "bahwa dalam rangka mengisi kekosongan jabatan {pokok} dan menjamin kelancaran penyelenggaraan \
                 pemerintahan desa, perlu mengangkat perangkat desa;"
            ),
            format!(
                "bahwa berdasarkan hasil penjaringan dan penyaringan serta rekomendasi Camat {kec} Nomor {} \
                 tanggal {}, yang namanya tersebut dalam Diktum KESATU dipandang cakap dan memenuhi persyaratan \
                 untuk diangkat sebagai {pokok};",
                isi.nomor_rekomendasi,
                panjang(isi.tanggal_rekomendasi),
            ),
            format!(
                "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan \
                 Keputusan {} tentang Pengangkatan {pokok};",
                isi.penetap_judul()
            ),
        ]
    };
    let mut mengingat = vec![
        "Undang-Undang Nomor 6 Tahun 2014 tentang Desa sebagaimana telah diubah terakhir dengan Undang-Undang \
         Nomor 3 Tahun 2024;"
            .to_string(),
        "Peraturan Pemerintah Nomor 43 Tahun 2014 tentang Peraturan Pelaksanaan Undang-Undang Nomor 6 Tahun 2014 \
         tentang Desa sebagaimana telah diubah terakhir dengan Peraturan Pemerintah Nomor 11 Tahun 2019;"
            .to_string(),
    ];
    if bupati {
        mengingat.push(
            "Peraturan Menteri Dalam Negeri Nomor 112 Tahun 2014 tentang Pemilihan Kepala Desa sebagaimana telah \
             diubah dengan Peraturan Menteri Dalam Negeri Nomor 65 Tahun 2017;"
                .into(),
        );
    } else if tata == Tata::DuaKolom {
        mengingat.push(
            "Permendagri Nomor 83 Tahun 2015 tentang Pengangkatan dan Pemberhentian Perangkat Desa sebagaimana \
             telah diubah dengan Permendagri Nomor 67 Tahun 2017;"
                .into(),
        );
        mengingat.push("Permendagri Nomor 84 Tahun 2015 tentang SOTK Pemerintah Desa;".into());
    } else {
        mengingat.push(
            "Peraturan Menteri Dalam Negeri Nomor 83 Tahun 2015 tentang Pengangkatan dan Pemberhentian Perangkat \
             Desa sebagaimana telah diubah dengan Peraturan Menteri Dalam Negeri Nomor 67 Tahun 2017;"
                .into(),
        );
        mengingat.push(
            "Peraturan Menteri Dalam Negeri Nomor 84 Tahun 2015 tentang Susunan Organisasi dan Tata Kerja \
             Pemerintah Desa;"
                .into(),
        );
    }
    mengingat.push(format!(
        "Peraturan Daerah Kabupaten {kab} Nomor {} Tahun 2018 tentang {};",
        2 + isi.tanggal_rekomendasi.day() % 9,
        if bupati {
            "Pemilihan Kepala Desa"
        } else {
            "Perangkat Desa"
        }
    ));
    let mut konsiderans = vec![
        Konsiderans {
            label: "Menimbang",
            butir: menimbang,
            huruf: true,
        },
        Konsiderans {
            label: "Mengingat",
            butir: mengingat,
            huruf: false,
        },
    ];
    if !bupati && tata != Tata::Prosa {
        let ba = isi.tanggal_rekomendasi - time::Duration::days(6);
        konsiderans.push(Konsiderans {
            label: "Memperhatikan",
            butir: vec![format!(
                "Berita Acara Hasil Ujian Penyaringan Bakal Calon Perangkat Desa {desa} tanggal {}.",
                panjang(ba)
            )],
            huruf: false,
        });
    }

    let sebagai_akhir = if bupati {
        format!(
            "sebagai {jabatan} {desa} Kecamatan {kec} Kabupaten {kab} masa jabatan {}–{}.",
            isi.tmt.year(),
            isi.tmt.year() + 8
        )
    } else {
        format!(
            "sebagai {} Desa {desa} Kecamatan {kec} Kabupaten {kab}.",
            isi.jabatan_di(o, tata)
        )
    };
    let kata_kerja = if bupati {
        "Mengesahkan pengangkatan"
    } else {
        "Mengangkat"
    };
    let ttl = |o: &Orang| format!("{}, {}", o.tempat_lahir, tulis_tanggal(o.tanggal_lahir, b_lahir));
    let kesatu: Vec<Blok> = match tata {
        Tata::Daftar => {
            let baris = vec![
                ["Nama".to_string(), o.nama_lengkap(true)],
                ["NIK".into(), o.nik.clone()],
                ["Tempat/Tanggal Lahir".into(), ttl(o)],
                [
                    "Jenis Kelamin".into(),
                    if o.perempuan { "Perempuan" } else { "Laki-laki" }.into(),
                ],
                ["Pendidikan Terakhir".into(), o.pendidikan.clone()],
                ["Alamat".into(), o.alamat.clone()],
                [
                    "Jabatan".into(),
                    if bupati {
                        format!("{jabatan} {desa}")
                    } else {
                        jabatan.clone()
                    },
                ],
            ];
            vec![
                Blok::Teks {
                    teks: format!("{kata_kerja} {} :", o.saudara()),
                },
                Blok::Identitas { kolom: 1, baris },
                Blok::Teks { teks: sebagai_akhir },
            ]
        }
        Tata::DuaKolom => {
            let baris = vec![
                ["Nama".to_string(), o.nama_lengkap(false)],
                ["NIK".into(), o.nik.clone()],
                ["Tempat Lahir".into(), o.tempat_lahir.clone()],
                ["Tanggal Lahir".into(), tulis_tanggal(o.tanggal_lahir, b_lahir)],
                ["Pendidikan".into(), o.pendidikan.clone()],
                ["Alamat".into(), o.alamat.clone()],
                ["Jabatan".into(), isi.jabatan_di(o, tata)],
                ["TMT".into(), tulis_tanggal(isi.tmt, b_tmt)],
            ];
            vec![
                Blok::Teks {
                    teks: format!("{kata_kerja} {} :", o.saudara()),
                },
                Blok::Identitas { kolom: 2, baris },
                Blok::Teks { teks: sebagai_akhir },
            ]
        }
        Tata::Tabel => {
            let mut kepala = vec![
                "No".to_string(),
                "Nama".into(),
                "Tempat/Tgl. Lahir".into(),
                "Pendidikan".into(),
                "Jabatan".into(),
            ];
            let mut lebar = vec![0.5, 2.3, 2.0, 1.1, 2.2];
            if !sejak_ditetapkan {
                kepala.push("TMT".into());
                lebar.push(1.3);
            }
            let mut semua: Vec<&Orang> = vec![o];
            semua.extend(isi.rekan.iter());
            // The appointed are listed by position, the entry's official among them.
            semua.sort_by_key(|x| (x.jabatan, x.dusun.clone()));
            let baris = semua
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    let mut b = vec![
                        format!("{}.", i + 1),
                        x.nama_lengkap(true),
                        ttl(x),
                        x.pendidikan.clone(),
                        isi.jabatan_di(x, tata),
                    ];
                    if !sejak_ditetapkan {
                        b.push(tulis_tanggal(isi.tmt, b_tmt));
                    }
                    b
                })
                .collect();
            vec![
                Blok::Teks {
                    teks: if bupati {
                        format!("{kata_kerja} {} tersebut di bawah ini :", o.saudara())
                    } else {
                        format!(
                            "Mengangkat nama-nama tersebut di bawah ini sebagai Perangkat Desa {desa} Kecamatan {kec} \
                             Kabupaten {kab}, dengan jabatan sebagaimana tercantum dalam kolom Jabatan :"
                        )
                    },
                },
                Blok::Tabel { kepala, lebar, baris },
            ]
        }
        Tata::Prosa => {
            let mut bagian_ = vec![
                bagian(format!("{kata_kerja} {} ", o.saudara()), false),
                bagian(o.nama_lengkap(true), true),
                bagian(
                    format!(
                        " lahir di {} pada tanggal {}, pendidikan terakhir {}, bertempat tinggal di {}, sebagai ",
                        o.tempat_lahir,
                        tulis_tanggal(o.tanggal_lahir, b_lahir),
                        o.pendidikan,
                        o.alamat
                    ),
                    false,
                ),
                bagian(
                    if bupati {
                        format!("{jabatan} {desa}")
                    } else {
                        jabatan.clone()
                    },
                    true,
                ),
            ];
            let wilayah = if bupati {
                format!(" Kecamatan {kec} Kabupaten {kab}")
            } else {
                format!(" Desa {desa} Kecamatan {kec} Kabupaten {kab}")
            };
            if sejak_ditetapkan {
                bagian_.push(bagian(format!("{wilayah}."), false));
            } else {
                bagian_.push(bagian(
                    format!("{wilayah} terhitung mulai tanggal {}.", tulis_tanggal(isi.tmt, b_tmt)),
                    false,
                ));
            }
            vec![Blok::Prosa { bagian: bagian_ }]
        }
    };
    let mut diktum = vec![Diktum {
        label: DIKTUM[0],
        isi: kesatu,
    }];
    let yang_diangkat = if tata == Tata::Tabel && !bupati {
        "Perangkat Desa".to_string()
    } else {
        jabatan.clone()
    };
    diktum.push(Diktum {
        label: DIKTUM[1],
        isi: vec![Blok::Teks {
            teks: if bupati {
                format!(
                    "{yang_diangkat} sebagaimana dimaksud dalam Diktum KESATU sebelum memangku jabatannya dilantik \
                     oleh Bupati {kab} atau pejabat lain yang ditunjuk."
                )
            } else {
                format!(
                    "{yang_diangkat} sebagaimana dimaksud dalam Diktum KESATU berhak menerima penghasilan tetap dan \
                     tunjangan sesuai dengan ketentuan peraturan perundang-undangan."
                )
            },
        }],
    });
    diktum.push(Diktum {
        label: DIKTUM[2],
        isi: vec![Blok::Teks {
            teks: if bupati {
                "Segala biaya yang timbul akibat ditetapkannya Keputusan ini dibebankan pada Anggaran Pendapatan dan \
                 Belanja Daerah."
                    .into()
            } else {
                format!(
                    "Segala biaya yang timbul akibat ditetapkannya Keputusan ini dibebankan pada Anggaran Pendapatan \
                     dan Belanja Desa {desa} Tahun Anggaran {}.",
                    isi.tanggal.year()
                )
            },
        }],
    });
    let berlaku = match tata {
        _ if sejak_ditetapkan => "Keputusan ini berlaku sejak tanggal ditetapkan".to_string(),
        Tata::Daftar => format!(
            "Keputusan ini mulai berlaku terhitung mulai tanggal {}",
            tulis_tanggal(isi.tmt, b_tmt)
        ),
        Tata::DuaKolom => "Keputusan ini mulai berlaku pada TMT sebagaimana tersebut dalam Diktum KESATU".into(),
        Tata::Tabel => "Keputusan ini mulai berlaku pada TMT sebagaimana tercantum dalam tabel Diktum KESATU".into(),
        Tata::Prosa => "Keputusan ini mulai berlaku pada tanggal sebagaimana tersebut dalam Diktum KESATU".into(),
    };
    diktum.push(Diktum {
        label: DIKTUM[3],
        isi: vec![Blok::Teks {
            teks: format!(
                "{berlaku}, dengan ketentuan apabila di kemudian hari terdapat kekeliruan dalam Keputusan ini akan \
                 diadakan perbaikan sebagaimana mestinya."
            ),
        }],
    });

    let tempat = if bupati {
        ibu_kota(kab).to_string()
    } else {
        desa.clone()
    };
    let tembusan = if bupati {
        vec![
            format!("Gubernur {} di Banjarbaru;", isi.provinsi),
            format!("Ketua DPRD Kabupaten {kab} di {};", ibu_kota(kab)),
            format!("Camat {kec} di {kec};"),
            format!("Ketua BPD {desa} di {desa};"),
            "Yang bersangkutan untuk diketahui.".into(),
        ]
    } else {
        vec![
            format!("Bupati {kab} di {};", ibu_kota(kab)),
            format!("Camat {kec} di {kec};"),
            format!("Ketua BPD {desa} di {desa};"),
            "Yang bersangkutan untuk diketahui;".into(),
            "Arsip.".into(),
        ]
    };
    let (font, ukuran, spasi, rata, lambang, garis_kop, margin_kiri) = match tata {
        Tata::Daftar => ("Libertinus Serif", 10.0, 0.42, true, true, "ganda", 2.4),
        Tata::DuaKolom => ("New Computer Modern", 9.8, 0.42, true, true, "tebal", 2.2),
        Tata::Tabel => ("Libertinus Serif", 10.0, 0.45, false, false, "ganda", 2.0),
        Tata::Prosa => ("DejaVu Sans Mono", 8.6, 0.48, false, true, "tebal", 2.0),
    };
    DataTemplat {
        judul: format!("Keputusan {} Nomor {}", isi.penetap_judul(), isi.nomor),
        font,
        ukuran,
        spasi,
        rata,
        margin_kiri,
        lambang,
        garis_kop,
        kop,
        kop_utama,
        kop_alamat,
        kepala: vec![format!("KEPUTUSAN {penetap}"), nomor],
        tentang: vec!["TENTANG".into(), tentang_pokok, wilayah_besar],
        pembuka: vec!["DENGAN RAHMAT TUHAN YANG MAHA ESA".into(), format!("{penetap},")],
        konsiderans,
        menetapkan: format!(
            "KEPUTUSAN {penetap} TENTANG {}.",
            if bupati {
                format!("PENGESAHAN PENGANGKATAN {}", pokok.to_uppercase())
            } else {
                format!("PENGANGKATAN {}", pokok.to_uppercase())
            }
        ),
        diktum,
        ttd: Ttd {
            tempat,
            tanggal: tulis_tanggal(isi.tanggal, b_ttd),
            jabatan: format!("{penetap},"),
            nama: isi.nama_penetap.clone(),
        },
        tembusan,
        catatan: isi.catatan.clone(),
    }
}

// ---- typst ----

fn mesin() -> &'static TypstEngine<TypstTemplateMainFile> {
    static MESIN: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    MESIN.get_or_init(|| {
        TypstEngine::builder()
            .main_file(TEMPLAT)
            .fonts(typst_assets::fonts())
            .build()
    })
}

/// The laid-out decree. The template is fixed and the data are only texts, so a failure is a
/// bug of this module.
fn susun(isi: &IsiSk, tata: Tata) -> (PagedDocument, String) {
    let data = data_templat(isi, tata);
    let json = serde_json::to_string(&data).expect("SK data serialise");
    let mut masukan = Dict::new();
    masukan.insert("data".into(), json.into_value());
    let doc: PagedDocument = mesin()
        .compile_with_input(masukan)
        .output
        .unwrap_or_else(|e| panic!("templat SK contoh: {e:?}"));
    (doc, data.judul)
}

/// The SK as a PDF with its text layer (what a desa gets when it prints its decree to PDF).
pub fn pdf_teks(isi: &IsiSk, tata: Tata) -> Vec<u8> {
    let (doc, judul) = susun(isi, tata);
    let opsi = typst_pdf::PdfOptions {
        ident: Smart::Custom(judul),
        tagged: false,
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &opsi).unwrap_or_else(|e| panic!("typst-pdf SK contoh: {e:?}"))
}

/// The number of pages of the SK in this layout.
pub fn jumlah_halaman(isi: &IsiSk, tata: Tata) -> usize {
    susun(isi, tata).0.pages().len()
}

/// The page's frame as a scanner or a camera sees it: turned by `sudut` degrees about the centre
/// and moved by `geser` points, on a sheet of white paper, within a field of `luas` (the page's
/// size for a scan, more for a photo) filled with `latar`. Turning the vector frame before
/// rasterising costs nothing and resamples nothing.
fn halaman_miring(
    asli: &typst_layout::Page,
    sudut: f64,
    geser: (f64, f64),
    luas: typst::layout::Size,
    latar: typst::visualize::Color,
) -> typst_layout::Page {
    use typst::layout::{Abs, Angle, Frame, FrameItem, Point, Transform};
    use typst::visualize::{Color, Geometry};
    let ukuran = asli.frame.size();
    let mut kertas = asli.frame.clone();
    kertas.fill(Color::WHITE);
    let mut bidang = Frame::soft(luas);
    let letak = Point::new(
        (luas.x - ukuran.x) / 2.0 + Abs::pt(geser.0),
        (luas.y - ukuran.y) / 2.0 + Abs::pt(geser.1),
    );
    if luas != ukuran {
        // A soft shadow under a photographed sheet.
        let bayang = Geometry::Rect(ukuran).filled(Color::BLACK.with_alpha(0.35));
        bidang.push(
            letak + Point::new(Abs::pt(4.0), Abs::pt(5.0)),
            FrameItem::Shape(bayang, typst::syntax::Span::detached()),
        );
    }
    bidang.push_frame(letak, kertas);
    bidang.transform(Transform::rotate_at(Angle::deg(sudut), luas.x / 2.0, luas.y / 2.0));
    let mut p = asli.clone();
    p.frame = bidang;
    p.fill = Smart::Custom(Some(latar.into()));
    p
}

fn raster(h: &typst_layout::Page, dpi: f32) -> sk::Pixmap {
    let opsi = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(dpi) / 72.0),
        render_bleed: false,
    };
    typst_render::render(h, &opsi)
}

// ---- scans and photos ----

/// A small deterministic generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Acak(u64);

impl Acak {
    pub fn baru(benih: u64) -> Acak {
        Acak(benih ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn ambil(&mut self, n: usize) -> usize {
        (self.u64() % n as u64) as usize
    }

    /// Uniform in `[a, b)`.
    pub fn antara(&mut self, a: f32, b: f32) -> f32 {
        a + (b - a) * ((self.u64() >> 40) as f32 / (1u64 << 24) as f32)
    }
}

/// How a page is scanned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pindaian {
    pub dpi: u32,
    /// Rotation in degrees (a page laid a little askew on the glass).
    pub sudut: f32,
    /// Amplitude of the grain, in grey levels.
    pub derau: u8,
    pub benih: u64,
}

impl Pindaian {
    /// A scan at `dpi`, rotated by up to 1° either way, with a little grain, all from `benih`.
    pub fn baru(dpi: u32, benih: u64) -> Pindaian {
        let mut r = Acak::baru(benih);
        Pindaian {
            dpi,
            sudut: r.antara(-1.0, 1.0),
            derau: 14,
            benih,
        }
    }
}

/// Paper and toner tones with grain, in two passes of tiny-skia (optimised even in debug builds,
/// where a loop over the pixels here would not be): a tile multiplied in maps white to
/// `kertas - toner` less a little grain, a tile added maps black to `toner` plus a little grain,
/// so that white ends near `kertas` and black near `toner`. The tiles repeat at sizes that do
/// not divide each other.
fn nada_dan_derau(kanvas: &mut sk::Pixmap, r: &mut Acak, kertas: u8, toner: u8, amp: u8) {
    for (sisi, kali) in [(251u32, true), (241u32, false)] {
        let mut ubin = sk::Pixmap::new(sisi, sisi).expect("tile");
        let mut x = r.u64() | 1;
        for px in ubin.data_mut().chunks_exact_mut(4) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Mostly small, sometimes up to the amplitude (half of it each way).
            let n = ((((x & 0xff) * ((x >> 8) & 0xff)) >> 8) as u32 * u32::from(amp) / 510) as u8;
            let v = if kali {
                (kertas - toner).saturating_sub(n)
            } else {
                toner.saturating_add(n)
            };
            px.copy_from_slice(&[v, v, v, 255]);
        }
        let pola = sk::Pattern::new(
            ubin.as_ref(),
            sk::SpreadMode::Repeat,
            sk::FilterQuality::Nearest,
            1.0,
            sk::Transform::from_translate(r.antara(0.0, sisi as f32).floor(), r.antara(0.0, sisi as f32).floor()),
        );
        let cat = sk::Paint {
            shader: pola,
            blend_mode: if kali {
                sk::BlendMode::Multiply
            } else {
                sk::BlendMode::Plus
            },
            anti_alias: false,
            ..Default::default()
        };
        let semua = sk::Rect::from_xywh(0.0, 0.0, kanvas.width() as f32, kanvas.height() as f32).expect("rect");
        kanvas.fill_rect(semua, &cat, sk::Transform::identity(), None);
    }
}

/// The scanned pages, in grey: turned, toner not quite black, paper not quite white, grain and
/// a few specks of dust.
pub fn pindai(isi: &IsiSk, tata: Tata, p: &Pindaian) -> Vec<image::GrayImage> {
    let (doc, _) = susun(isi, tata);
    let mut r = Acak::baru(p.benih.wrapping_add(1));
    doc.pages()
        .iter()
        .map(|h| {
            let geser = (f64::from(r.antara(-2.0, 2.0)), f64::from(r.antara(-2.0, 2.0)));
            let miring = halaman_miring(
                h,
                f64::from(p.sudut),
                geser,
                h.frame.size(),
                typst::visualize::Color::WHITE,
            );
            let mut kanvas = raster(&miring, p.dpi as f32);
            // Paper at ~242, toner at ~35.
            let (kertas, toner) = (236 + r.ambil(12) as u8, 25 + r.ambil(20) as u8);
            nada_dan_derau(&mut kanvas, &mut r, kertas, toner, p.derau);
            let (w, h) = (kanvas.width(), kanvas.height());
            let rgba = image::RgbaImage::from_raw(w, h, kanvas.take()).expect("buffer size");
            let mut g = image::DynamicImage::ImageRgba8(rgba).into_luma8();
            // Specks of dust.
            for _ in 0..(w * h / 40_000) {
                let (px, py) = (r.ambil(w as usize - 2) as u32, r.ambil(h as usize - 2) as u32);
                let v = r.ambil(90) as u8;
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)].into_iter().take(1 + r.ambil(4)) {
                    g.put_pixel(px + dx, py + dy, image::Luma([v]));
                }
            }
            g
        })
        .collect()
}

fn jpeg_abu(g: &image::GrayImage, kualitas: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, kualitas)
        .encode_image(g)
        .expect("JPEG encodes");
    out
}

/// A scan as a PDF of images only (no text layer), one JPEG (DCTDecode) page per page, as a
/// desa's scanner makes it.
pub fn pdf_pindai(isi: &IsiSk, tata: Tata, p: &Pindaian) -> Vec<u8> {
    let halaman: Vec<(u32, u32, Vec<u8>)> = pindai(isi, tata, p)
        .iter()
        .map(|g| (g.width(), g.height(), jpeg_abu(g, 80)))
        .collect();
    pdf_gambar(&halaman, p.dpi)
}

/// A PDF whose pages are grey JPEGs of `dpi` dots per inch.
fn pdf_gambar(halaman: &[(u32, u32, Vec<u8>)], dpi: u32) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for (w, h, jpeg) in halaman {
        let gambar = Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => *w as i64,
                "Height" => *h as i64,
                "ColorSpace" => "DeviceGray",
                "BitsPerComponent" => 8,
                "Filter" => "DCTDecode",
            },
            jpeg.clone(),
        )
        .with_compression(false);
        let gambar_id = doc.add_object(gambar);
        let (lw, lh) = (*w as f32 * 72.0 / dpi as f32, *h as f32 * 72.0 / dpi as f32);
        let isi = Content {
            operations: vec![
                Operation::new("q", vec![]),
                Operation::new("cm", vec![lw.into(), 0.into(), 0.into(), lh.into(), 0.into(), 0.into()]),
                Operation::new("Do", vec!["Im1".into()]),
                Operation::new("Q", vec![]),
            ],
        }
        .encode()
        .expect("content encodes");
        let isi_id = doc.add_object(Stream::new(dictionary! {}, isi));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => isi_id,
            "MediaBox" => vec![0.into(), 0.into(), lw.into(), lh.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => gambar_id } },
        });
        kids.push(Object::from(page_id));
    }
    let n = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => n }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("PDF writes to memory");
    out
}

/// The first page of a scan as an image file: JPEG (grey, quality 80) or PNG (the scanner's
/// black-and-white mode: thresholded, which keeps the file small).
pub fn gambar_pindai(isi: &IsiSk, tata: Tata, p: &Pindaian, jenis: Jenis) -> Vec<u8> {
    let mut g = pindai(isi, tata, p).swap_remove(0);
    match jenis {
        Jenis::Png => {
            for v in g.iter_mut() {
                *v = if *v < 150 { 0 } else { 255 };
            }
            let mut out = Vec::new();
            g.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
                .expect("PNG encodes");
            out
        }
        Jenis::Jpeg | Jenis::Pdf => jpeg_abu(&g, 80),
    }
}

/// How much a photo is out of focus: rendered at 1/FOKUS of its resolution, then scaled up.
const FOKUS: f32 = 1.7;

/// A phone photo of the first page: the sheet on a table, turned by up to 3°, lit unevenly,
/// a little out of focus, grainy, saved as JPEG of quality 60 (about 190 dpi on the page).
pub fn foto(isi: &IsiSk, tata: Tata, benih: u64) -> Vec<u8> {
    let (doc, _) = susun(isi, tata);
    let mut r = Acak::baru(benih.wrapping_add(7));
    let h = &doc.pages()[0];
    let ukuran = h.frame.size();
    let luas = typst::layout::Size::new(ukuran.x * 1.12, ukuran.y * 1.08);
    let sudut = f64::from(r.antara(-3.0, 3.0));
    let geser = (f64::from(r.antara(-12.0, 12.0)), f64::from(r.antara(-8.0, 8.0)));
    let meja = typst::visualize::Color::from_u8(
        110 + r.ambil(40) as u8,
        85 + r.ambil(30) as u8,
        60 + r.ambil(25) as u8,
        255,
    );
    // Out of focus: rendered at a lower resolution and scaled up with bicubic filtering.
    let kecil = raster(&halaman_miring(h, sudut, geser, luas, meja), 190.0 / FOKUS);
    let (lebar, tinggi) = (
        (kecil.width() as f32 * FOKUS) as u32,
        (kecil.height() as f32 * FOKUS) as u32,
    );
    let mut kanvas = sk::Pixmap::new(lebar, tinggi).expect("photo size");
    let halus = sk::PixmapPaint {
        quality: sk::FilterQuality::Bicubic,
        ..Default::default()
    };
    kanvas.draw_pixmap(
        0,
        0,
        kecil.as_ref(),
        &halus,
        sk::Transform::from_scale(FOKUS, FOKUS),
        None,
    );
    // Uneven light: bright where the lamp is, darker and warmer away from it.
    let pusat = sk::Point::from_xy(r.antara(0.1, 0.9) * lebar as f32, r.antara(0.0, 0.5) * tinggi as f32);
    let gelap = 150 + r.ambil(40) as u8;
    let cahaya = sk::RadialGradient::new(
        pusat,
        0.0,
        pusat,
        (lebar as f32).hypot(tinggi as f32) * 0.85,
        vec![
            sk::GradientStop::new(0.0, sk::Color::from_rgba8(255, 255, 250, 255)),
            sk::GradientStop::new(1.0, sk::Color::from_rgba8(gelap, gelap - 10, gelap - 25, 255)),
        ],
        sk::SpreadMode::Pad,
        sk::Transform::identity(),
    )
    .expect("gradient");
    let cat = sk::Paint {
        shader: cahaya,
        blend_mode: sk::BlendMode::Multiply,
        ..Default::default()
    };
    let semua = sk::Rect::from_xywh(0.0, 0.0, lebar as f32, tinggi as f32).expect("rect");
    kanvas.fill_rect(semua, &cat, sk::Transform::identity(), None);
    nada_dan_derau(&mut kanvas, &mut r, 255, 0, 18);
    let rgba = image::RgbaImage::from_raw(lebar, tinggi, kanvas.take()).expect("buffer size");
    let rgb = image::DynamicImage::ImageRgba8(rgba).into_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 60)
        .encode_image(&rgb)
        .expect("JPEG encodes");
    out
}

/// A sample decree of Desa Hauwai (tests, and a starting point for others).
pub fn hauwai() -> IsiSk {
    use time::macros::date;
    IsiSk {
        provinsi: "Kalimantan Selatan".into(),
        kabupaten: "Balangan".into(),
        kecamatan: "Halong".into(),
        desa: "Hauwai".into(),
        alamat_kop: "Jalan Poros Desa Hauwai No. 1, Kecamatan Halong, Kabupaten Balangan 71666".into(),
        sebutan_kepala_desa: "Pembakal".into(),
        sebutan_kepala_dusun: "Kepala Dusun".into(),
        penetap: Penetap::KepalaDesa,
        nama_penetap: "H. RUSDI HIDAYAT".into(),
        nomor: "141/05/HAUWAI/2023".into(),
        tanggal: date!(2023 - 03 - 27),
        tmt: date!(2023 - 04 - 01),
        orang: Orang {
            nama: "Ahmad Fauzi".into(),
            gelar_depan: String::new(),
            gelar_belakang: "S.Pd.".into(),
            nik: "6311021503900001".into(),
            perempuan: false,
            tempat_lahir: "Paringin".into(),
            tanggal_lahir: date!(1990 - 03 - 15),
            pendidikan: "S1".into(),
            alamat: "RT 02 Desa Hauwai".into(),
            jabatan: Jabatan::KaurKeuangan,
            dusun: String::new(),
        },
        rekan: Vec::new(),
        nomor_rekomendasi: "141/27/PEM/2023".into(),
        tanggal_rekomendasi: date!(2023 - 03 - 20),
        catatan: "CONTOH — DATA FIKTIF UNTUK DEMO SIPKATDES".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dokumen::{Jenis, periksa};

    /// The text layer of a PDF by `pdftotext -layout` (poppler), words joined by single spaces.
    fn teks_pdf(pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sk.pdf");
        std::fs::write(&p, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&p)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        assert!(out.status.success());
        String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn dusun() -> IsiSk {
        let mut isi = hauwai();
        isi.orang.jabatan = Jabatan::KepalaDusun;
        isi.orang.dusun = "Dusun II".into();
        isi.orang.gelar_depan = "H.".into();
        isi.orang.gelar_belakang = String::new();
        isi.tmt = isi.tanggal;
        isi
    }

    #[test]
    fn tanggal_dalam_bentuk_indonesia() {
        let d = time::macros::date!(2023 - 03 - 07);
        assert_eq!(tulis_tanggal(d, BentukTanggal::Panjang), "7 Maret 2023");
        assert_eq!(tulis_tanggal(d, BentukTanggal::Strip), "07-03-2023");
        assert_eq!(tulis_tanggal(d, BentukTanggal::Garis), "07/03/2023");
        assert_eq!(tulis_tanggal(d, BentukTanggal::Spasi), "7 - 3 - 2023");
    }

    #[test]
    fn pdf_teks_memuat_kebenaran_di_setiap_tata() {
        for isi in [hauwai(), dusun()] {
            for tata in Tata::SEMUA {
                let pdf = pdf_teks(&isi, tata);
                assert_eq!(periksa(&pdf), Ok(Jenis::Pdf), "{tata:?}");
                assert!(pdf.len() < 1024 * 1024, "{tata:?}: {} bytes", pdf.len());
                assert_eq!(jumlah_halaman(&isi, tata), 1, "{tata:?} fits one page");
                let t = teks_pdf(&pdf);
                let o = &isi.orang;
                let (lahir, tanggal) = match tata {
                    Tata::Daftar => (BentukTanggal::Panjang, BentukTanggal::Panjang),
                    Tata::DuaKolom => (BentukTanggal::Strip, BentukTanggal::Panjang),
                    Tata::Tabel => (BentukTanggal::Garis, BentukTanggal::Garis),
                    Tata::Prosa => (BentukTanggal::Panjang, BentukTanggal::Spasi),
                };
                let besar = !matches!(tata, Tata::DuaKolom);
                let mut harus = vec![
                    "KEPUTUSAN PEMBAKAL HAUWAI".to_string(),
                    isi.nomor.clone(),
                    "Undang-Undang Nomor 6 Tahun 2014 tentang Desa".into(),
                    o.nama_lengkap(besar),
                    o.tempat_lahir.clone(),
                    tulis_tanggal(o.tanggal_lahir, lahir),
                    format!("Ditetapkan di : {}", isi.desa),
                    tulis_tanggal(isi.tanggal, tanggal),
                    isi.nama_penetap.clone(),
                    "Tembusan".into(),
                ];
                if tata.menyebut_nik() {
                    harus.push(o.nik.clone());
                }
                harus.push(if tata.jabatan_pendek() {
                    isi.jabatan_pendek(o)
                } else {
                    isi.jabatan_lengkap(o)
                });
                if isi.tmt == isi.tanggal {
                    harus.push("berlaku sejak tanggal ditetapkan".into());
                } else if tata == Tata::DuaKolom {
                    harus.push("TMT : 01-04-2023".into());
                } else if tata == Tata::Tabel {
                    harus.push("01/04/2023".into());
                } else {
                    harus.push("terhitung mulai tanggal 1 April 2023".into());
                }
                for h in harus {
                    assert!(t.contains(&h), "{tata:?}: «{h}» not in the text:\n{t}");
                }
                if !tata.menyebut_nik() {
                    assert!(!t.contains(&o.nik), "{tata:?} states no NIK");
                }
            }
        }
        // Short forms and the dusun head's title.
        let isi = dusun();
        assert_eq!(isi.jabatan_lengkap(&isi.orang), "Kepala Dusun II");
        let mut sekdes = hauwai();
        sekdes.orang.jabatan = Jabatan::SekretarisDesa;
        assert_eq!(sekdes.jabatan_pendek(&sekdes.orang), "Sekdes");
        assert!(teks_pdf(&pdf_teks(&sekdes, Tata::DuaKolom)).contains("Sekdes"));
    }

    #[test]
    fn sk_bupati_untuk_pembakal() {
        let mut isi = hauwai();
        isi.penetap = Penetap::Bupati;
        isi.nomor = "188.45/101/2021".into();
        isi.orang.jabatan = Jabatan::KepalaDesa;
        isi.nama_penetap = "H. FULAN RAHMADI, S.E.".into();
        for tata in Tata::SEMUA {
            let t = teks_pdf(&pdf_teks(&isi, tata));
            assert!(t.contains("KEPUTUSAN BUPATI BALANGAN"), "{tata:?}: {t}");
            assert!(t.contains("Pembakal Hauwai"), "{tata:?}: {t}");
            assert!(t.contains("Ditetapkan di : Paringin"), "{tata:?}: {t}");
            assert_eq!(jumlah_halaman(&isi, tata), 1, "{tata:?}");
        }
    }

    #[test]
    fn tabel_memuat_rekan() {
        let mut isi = hauwai();
        let mut rekan = isi.orang.clone();
        rekan.nama = "Siti Rahmah".into();
        rekan.perempuan = true;
        rekan.gelar_belakang = String::new();
        rekan.jabatan = Jabatan::KasiPelayanan;
        isi.rekan = vec![rekan];
        let t = teks_pdf(&pdf_teks(&isi, Tata::Tabel));
        assert!(t.contains("SITI RAHMAH") && t.contains("AHMAD FAUZI"), "{t}");
        assert_eq!(jumlah_halaman(&isi, Tata::Tabel), 1);
    }

    #[test]
    fn pindaian_tanpa_lapisan_teks() {
        let isi = hauwai();
        let p = Pindaian::baru(150, 42);
        assert!(p.sudut.abs() <= 1.0);
        let pdf = pdf_pindai(&isi, Tata::Daftar, &p);
        assert_eq!(periksa(&pdf), Ok(Jenis::Pdf));
        assert!(pdf.len() < 4 * 1024 * 1024, "{} bytes", pdf.len());
        assert!(teks_pdf(&pdf).is_empty(), "an image-only PDF has no text");
        // Deterministic.
        assert_eq!(pdf, pdf_pindai(&isi, Tata::Daftar, &p));
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 1);

        let jpg = gambar_pindai(&isi, Tata::Prosa, &p, Jenis::Jpeg);
        assert_eq!(periksa(&jpg), Ok(Jenis::Jpeg));
        let png = gambar_pindai(&isi, Tata::Tabel, &p, Jenis::Png);
        assert_eq!(periksa(&png), Ok(Jenis::Png));
        let g = image::load_from_memory(&png).unwrap();
        // A4 at 150 dpi.
        assert_eq!((g.width(), g.height()), (1240, 1754));
    }

    #[test]
    fn foto_ponsel() {
        let isi = hauwai();
        let f = foto(&isi, Tata::DuaKolom, 3);
        assert_eq!(periksa(&f), Ok(Jenis::Jpeg));
        assert!(f.len() < 4 * 1024 * 1024, "{} bytes", f.len());
        assert_eq!(f, foto(&isi, Tata::DuaKolom, 3));
        assert_ne!(f, foto(&isi, Tata::DuaKolom, 4));
    }

    /// Writes every layout as text PDF, scan and photo to `$SK_CONTOH_DIR` to look at them:
    /// `SK_CONTOH_DIR=/tmp/sk cargo nextest run --run-ignored all sk::contoh::tests::tulis`.
    #[test]
    #[ignore]
    fn tulis_contoh() {
        let dir = std::path::PathBuf::from(std::env::var("SK_CONTOH_DIR").expect("SK_CONTOH_DIR"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut bupati = hauwai();
        bupati.penetap = Penetap::Bupati;
        bupati.nomor = "188.45/101/2021".into();
        bupati.orang.jabatan = Jabatan::KepalaDesa;
        bupati.nama_penetap = "H. FULAN RAHMADI, S.E.".into();
        for (nama, isi) in [("hauwai", hauwai()), ("dusun", dusun()), ("bupati", bupati)] {
            for tata in Tata::SEMUA {
                let t = tata.kode();
                std::fs::write(dir.join(format!("{nama}-{t}.pdf")), pdf_teks(&isi, tata)).unwrap();
                let p = Pindaian::baru(200, 1);
                std::fs::write(dir.join(format!("{nama}-{t}-pindai.pdf")), pdf_pindai(&isi, tata, &p)).unwrap();
                std::fs::write(dir.join(format!("{nama}-{t}-foto.jpg")), foto(&isi, tata, 1)).unwrap();
            }
        }
    }

    /// Sizes at the highest resolution stay well under the upload limit (slow in debug builds:
    /// `cargo nextest run --run-ignored all sk::contoh`).
    #[test]
    #[ignore]
    fn ukuran_300_dpi() {
        let isi = hauwai();
        for tata in Tata::SEMUA {
            let p = Pindaian::baru(300, 9);
            let pdf = pdf_pindai(&isi, tata, &p);
            assert!(
                pdf.len() < crate::dokumen::BATAS_BAWAAN / 2,
                "{tata:?}: {} bytes",
                pdf.len()
            );
            let png = gambar_pindai(&isi, tata, &p, Jenis::Png);
            assert!(
                png.len() < crate::dokumen::BATAS_BAWAAN / 2,
                "{tata:?}: {} bytes",
                png.len()
            );
        }
    }
}
#[cfg(test)]
mod ukur {
    /// CPU time of this thread (the machine is shared: wall time says little).
    fn cpu() -> std::time::Duration {
        let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap();
        std::time::Duration::from_nanos(s.split_whitespace().next().unwrap().parse().unwrap())
    }

    #[test]
    #[ignore]
    fn waktu() {
        use super::*;
        let isi = hauwai();
        let ukur = |nama: &str, f: &mut dyn FnMut()| {
            let t = cpu();
            f();
            eprintln!("{nama} {:?}", cpu() - t);
        };
        ukur("pdf_teks", &mut || drop(pdf_teks(&isi, Tata::Daftar)));
        ukur("pdf_teks lagi", &mut || drop(pdf_teks(&isi, Tata::Tabel)));
        let (doc, _) = susun(&isi, Tata::Daftar);
        ukur("susun", &mut || drop(susun(&isi, Tata::Daftar)));
        let mut k = raster(&doc.pages()[0], 200.0);
        ukur("render", &mut || k = raster(&doc.pages()[0], 200.0));
        let mut r = Acak::baru(1);
        ukur("nada_dan_derau", &mut || nada_dan_derau(&mut k, &mut r, 240, 30, 14));
        let mut g = image::GrayImage::new(1, 1);
        ukur("luma", &mut || {
            let rgba = image::RgbaImage::from_raw(k.width(), k.height(), k.data().to_vec()).unwrap();
            g = image::DynamicImage::ImageRgba8(rgba).into_luma8();
        });
        ukur("jpeg", &mut || drop(jpeg_abu(&g, 80)));
        ukur("pindai", &mut || {
            drop(pindai(&isi, Tata::Daftar, &Pindaian::baru(200, 1)))
        });
        ukur("pdf_pindai", &mut || {
            drop(pdf_pindai(&isi, Tata::Daftar, &Pindaian::baru(200, 1)))
        });
        ukur("foto", &mut || drop(foto(&isi, Tata::Daftar, 1)));
    }
}
