//! The letter *Rekomendasi Camat*: A4, the kecamatan's letterhead, numbered per kecamatan and
//! year, the candidate (or the official to be dismissed), the position, the decision and its
//! reasons, the Camat's name and NIP, and a verification code with its QR code for the public
//! page `/verifikasi/{kode}`. typst, the data passed as JSON (never as markup).

use std::sync::OnceLock;

use serde::Serialize;
use time::Date;

use super::pengaturan::Pengaturan;
use super::{Calon, JenisRekomendasi, Rekomendasi, StatusRekomendasi};
use crate::desa::Desa;
use crate::error::{AppError, Hasil};
use crate::kode::Kode;
use crate::perangkat::data::{Data, tanggal_id};
use crate::perangkat::kode::{AlasanBerhenti, Pendidikan, label_dari};

static TEMPLAT: &str = include_str!("templat/rekomendasi.typ");

/// One row of the table of persons.
#[derive(Clone, Debug, Serialize)]
pub struct Baris {
    pub label: String,
    pub nilai: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DataSurat {
    pub judul: String,
    pub kop: Vec<String>,
    pub nomor: String,
    pub perihal: String,
    pub tujuan: Vec<String>,
    pub pembuka: String,
    pub orang: Vec<Baris>,
    pub keputusan: String,
    pub disetujui: bool,
    pub isi: String,
    pub alasan: String,
    pub penutup: String,
    pub tempat_tanggal: String,
    pub jabatan_penanda: String,
    pub nama_camat: String,
    pub nip_camat: String,
    pub kode: String,
    pub qr: String,
    pub url: String,
    pub diputuskan: String,
}

/// What the letter is made from.
pub struct Bahan<'a> {
    pub r: &'a Rekomendasi,
    pub desa: &'a Desa,
    pub atur: &'a Pengaturan,
    pub calon: &'a [Calon],
    pub calon_ke: Option<i64>,
    pub perangkat: Option<&'a Data>,
    pub status: StatusRekomendasi,
    pub alasan: &'a str,
    pub nomor: &'a str,
    pub kode: &'a str,
    pub alamat_dasar: &'a str,
    pub hari_ini: Date,
    pub diputuskan: String,
}

impl DataSurat {
    pub fn baru(b: Bahan<'_>) -> Hasil<DataSurat> {
        let Bahan {
            r,
            desa,
            atur,
            calon,
            calon_ke,
            perangkat,
            status,
            alasan,
            nomor,
            kode,
            alamat_dasar,
            hari_ini,
            diputuskan,
        } = b;
        let jabatan = r.nama_jabatan(desa);
        let setuju = status == StatusRekomendasi::Disetujui;
        let kepala = format!("{} {}", desa.sebutan_kepala_desa, desa.nama);
        let tanggal_ajuan = crate::waktu::tanggal(
            time::OffsetDateTime::from_unix_timestamp(r.diajukan_pada)
                .map(|t| t.date())
                .unwrap_or(hari_ini),
        );
        let orang_calon = |c: &Calon| {
            vec![
                Baris {
                    label: "Nama".into(),
                    nilai: c.nama_lengkap(),
                },
                Baris {
                    label: "Tempat, tanggal lahir".into(),
                    nilai: c.tempat_tanggal_lahir(),
                },
                Baris {
                    label: "Pendidikan terakhir".into(),
                    nilai: label_dari::<Pendidikan>(&c.pendidikan_terakhir).to_string(),
                },
                Baris {
                    label: "Alamat".into(),
                    nilai: if c.alamat.is_empty() {
                        format!("Desa {}", desa.nama)
                    } else {
                        c.alamat.clone()
                    },
                },
                Baris {
                    label: "Jabatan".into(),
                    nilai: jabatan.clone(),
                },
            ]
        };
        let (perihal, pembuka, orang, isi) = match r.jenis {
            JenisRekomendasi::Pengangkatan => {
                let daftar = calon.iter().map(|c| c.nama_lengkap()).collect::<Vec<_>>().join(", ");
                let dipilih = calon_ke.and_then(|i| calon.get(i as usize));
                (
                    "Rekomendasi Pengangkatan Perangkat Desa".to_string(),
                    format!(
                        "Menunjuk permohonan {kepala} tanggal {tanggal_ajuan} perihal konsultasi pengangkatan {jabatan}, dengan calon hasil penjaringan dan penyaringan: {daftar}; dan berdasarkan Peraturan Menteri Dalam Negeri Nomor 83 Tahun 2015 tentang Pengangkatan dan Pemberhentian Perangkat Desa sebagaimana telah diubah dengan Peraturan Menteri Dalam Negeri Nomor 67 Tahun 2017, Camat {} memberikan jawaban sebagai berikut.",
                        atur.nama
                    ),
                    dipilih.map(orang_calon).unwrap_or_default(),
                    if setuju {
                        format!(
                            "Camat {} MEMBERIKAN REKOMENDASI kepada {kepala} untuk mengangkat calon tersebut di atas sebagai {jabatan}. Pengangkatan ditetapkan dengan Keputusan {kepala}.",
                            atur.nama
                        )
                    } else {
                        format!(
                            "Camat {} TIDAK MEMBERIKAN REKOMENDASI atas pengangkatan {jabatan} dari calon yang diajukan.",
                            atur.nama
                        )
                    },
                )
            }
            JenisRekomendasi::Pemberhentian => {
                let p = perangkat.cloned().unwrap_or_default();
                let alasan_berhenti = label_dari::<AlasanBerhenti>(&r.alasan_pemberhentian).to_string();
                (
                    "Rekomendasi Pemberhentian Perangkat Desa".to_string(),
                    format!(
                        "Menunjuk permohonan {kepala} tanggal {tanggal_ajuan} perihal konsultasi pemberhentian perangkat desa; dan berdasarkan Peraturan Menteri Dalam Negeri Nomor 83 Tahun 2015 tentang Pengangkatan dan Pemberhentian Perangkat Desa sebagaimana telah diubah dengan Peraturan Menteri Dalam Negeri Nomor 67 Tahun 2017, Camat {} memberikan jawaban sebagai berikut.",
                        atur.nama
                    ),
                    vec![
                        Baris {
                            label: "Nama".into(),
                            nilai: p.nama_lengkap(),
                        },
                        Baris {
                            label: "Jabatan".into(),
                            nilai: p.nama_jabatan(desa),
                        },
                        Baris {
                            label: "SK pengangkatan".into(),
                            nilai: format!(
                                "{} tanggal {}",
                                p.nomor_sk_pengangkatan,
                                tanggal_id(&p.tanggal_sk_pengangkatan)
                            ),
                        },
                        Baris {
                            label: "Alasan pemberhentian".into(),
                            nilai: alasan_berhenti,
                        },
                    ],
                    if setuju {
                        format!(
                            "Camat {} MEMBERIKAN REKOMENDASI kepada {kepala} untuk memberhentikan perangkat desa tersebut di atas. Pemberhentian ditetapkan dengan Keputusan {kepala}.",
                            atur.nama
                        )
                    } else {
                        format!(
                            "Camat {} TIDAK MEMBERIKAN REKOMENDASI atas pemberhentian perangkat desa tersebut di atas.",
                            atur.nama
                        )
                    },
                )
            }
        };
        let dasar = alamat_dasar.trim_end_matches('/');
        let url = format!("{dasar}/verifikasi/{kode}");
        let mut kop = vec![
            format!("Pemerintah {}", atur.kabupaten_nama),
            format!("Kecamatan {}", atur.nama),
        ];
        if !atur.alamat_kantor.is_empty() {
            kop.push(atur.alamat_kantor.clone());
        }
        Ok(DataSurat {
            judul: format!("Rekomendasi Camat {} Nomor {nomor}", atur.nama),
            kop,
            nomor: nomor.to_string(),
            perihal,
            tujuan: vec![format!("Yth. {kepala}"), format!("di {}", desa.nama)],
            pembuka,
            orang,
            keputusan: if setuju { "DISETUJUI".into() } else { "DITOLAK".into() },
            disetujui: setuju,
            isi,
            alasan: alasan.to_string(),
            penutup: "Demikian rekomendasi ini diberikan untuk dipergunakan sebagaimana mestinya.".into(),
            tempat_tanggal: format!("{}, {}", atur.nama, crate::waktu::tanggal(hari_ini)),
            jabatan_penanda: format!("Camat {}", atur.nama),
            nama_camat: if atur.nama_camat.is_empty() {
                "(...................................)".into()
            } else {
                atur.nama_camat.clone()
            },
            nip_camat: if atur.nip_camat.is_empty() {
                "NIP. ...................................".into()
            } else {
                format!("NIP. {}", atur.nip_camat)
            },
            kode: crate::laporan::arsip::kode_tampil(kode),
            qr: crate::laporan::arsip::qr_svg(&url)?,
            url: if dasar.is_empty() {
                format!("halaman {url} di SIPKATDES kecamatan")
            } else {
                url
            },
            diputuskan,
        })
    }
}

/// Renders the letter (CPU work: call from a blocking thread).
pub fn render(data: &DataSurat) -> Result<Vec<u8>, AppError> {
    static MESIN: OnceLock<crate::laporan::pdf::Mesin> = OnceLock::new();
    crate::laporan::pdf::render(crate::laporan::pdf::mesin(&MESIN, TEMPLAT), data, &data.judul)
}

/// The status label, for the letter's file name.
pub fn nama_berkas(r: &Rekomendasi) -> String {
    format!("rekomendasi-camat-{}-{}.pdf", r.id, r.status.kode())
}
