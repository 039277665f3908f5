//! The kecamatan side (SOP step 8): every desa of one's scope in one table, the warnings across
//! all of them, and the change feed of saved data. Everything here reads saved data only — what
//! the desa has checked against the SK — and is scoped by the user's region code.

pub mod rekap;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use time::Date;

use crate::akun::{Akun, Cakupan};
use crate::db::Db;
use crate::desa::jabatan::Jabatan;
use crate::desa::{self, Desa, PosisiStruktur};
use crate::error::{AppError, Hasil};
use crate::perangkat::aturan::Peringatan;
use crate::perangkat::data::{Data, tambah_tahun, tanggal, umur};
use crate::perangkat::kode::{JenisKelamin, Kode, Pendidikan};
use crate::perangkat::medan::KOLOM;

/// An active saved official, as the kecamatan's figures need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Aktif {
    pub perangkat_id: i64,
    pub desa_kode: String,
    #[sqlx(flatten)]
    pub data: Data,
    pub ada_sk: bool,
    pub terverifikasi: bool,
}

/// Everything in scope that the dashboard, the warnings and the recap are computed from: a
/// handful of queries, whatever the number of desa.
pub struct Wilayah {
    pub desa: Vec<Desa>,
    pub dusun: HashMap<String, Vec<String>>,
    pub aktif: Vec<Aktif>,
    /// Where each desa's officials are in `aktif`.
    pub rentang: HashMap<String, std::ops::Range<usize>>,
    /// (lower-case name, birth date) of people active in two desa under different NIK.
    pub kembar: HashSet<(String, String)>,
    pub menunggu: HashMap<String, i64>,
    pub dikembalikan: HashMap<String, i64>,
    pub sinkron: HashMap<String, i64>,
    pub laporan_diterima: HashMap<String, i64>,
    /// The machine's `sk_berbeda` warnings of saved records (no pending revision), by record,
    /// the NIK masked.
    pub sk_berbeda: HashMap<i64, Vec<Peringatan>>,
    /// Active officials appointed by an SK dated on or after the date their kecamatan requires
    /// the Camat's recommendation from, without an approved one: (SK date, required since).
    pub tanpa_rekomendasi: HashMap<i64, (String, String)>,
}

/// A figure per desa: `sql` with `{lingkup}` where the scope condition goes.
async fn per_desa(db: &Db, sql: &'static str, lingkup: &Cakupan) -> Hasil<HashMap<String, i64>> {
    let sql = sql.replace("{lingkup}", &lingkup.syarat("desa_kode", 1));
    let rows: Vec<(String, i64)> =
        crate::read!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(lingkup.pola()).fetch_all(c).await?);
    Ok(rows.into_iter().collect())
}

/// Loads the saved data of the desa in `akun`'s scope (`kode` narrows it to a region inside).
pub async fn muat(db: &Db, akun: &Akun, kode: Option<&str>) -> Hasil<Wilayah> {
    let lingkup = match kode.filter(|k| !k.is_empty()) {
        Some(k) => akun.cakupan.di_dalam(k).ok_or(AppError::TidakDitemukan)?,
        None => akun.cakupan.clone(),
    };
    let pola = lingkup.pola();
    let desa: Vec<Desa> = desa::daftar(db, akun, "")
        .await?
        .into_iter()
        .filter(|d| lingkup.memuat(&d.kode))
        .collect();
    let sql_dusun = format!(
        "SELECT desa_kode, nama FROM dusun WHERE {} ORDER BY desa_kode, urutan, nama",
        lingkup.syarat("desa_kode", 1)
    );
    let dusun_rows: Vec<(String, String)> = crate::read!(db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql_dusun))
            .bind(&pola)
            .fetch_all(c)
            .await?
    });
    let mut dusun: HashMap<String, Vec<String>> = HashMap::new();
    for (d, n) in dusun_rows {
        dusun.entry(d).or_default().push(n);
    }
    let kol = KOLOM.iter().map(|k| format!("t.{k}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT t.perangkat_id, t.desa_kode, {kol},
                EXISTS (SELECT 1 FROM dokumen k WHERE k.perangkat_id = t.perangkat_id
                        AND k.jenis = 'sk_pengangkatan' AND k.id <= t.dokumen_terakhir) AS ada_sk,
                (t.verifikasi_pada IS NOT NULL) AS terverifikasi
         FROM perangkat_tersimpan t
         WHERE {} AND t.tanggal_sk_pemberhentian = ''
         ORDER BY t.desa_kode, t.perangkat_id",
        lingkup.syarat("t.desa_kode", 1)
    );
    let aktif: Vec<Aktif> =
        crate::read!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&pola).fetch_all(c).await?);
    // The same person (name and birth date) active in two desa under different NIK: looked for
    // across the whole instance, reported only for records in scope. For a scope smaller than
    // the instance only the names in scope are looked up (by index), not every official.
    let kembar_sql = if lingkup.seluruh() {
        "SELECT LOWER(nama), tanggal_lahir FROM perangkat_tersimpan
         WHERE tanggal_sk_pemberhentian = '' AND nama <> '' AND tanggal_lahir <> ''
           AND {lingkup}
         GROUP BY LOWER(nama), tanggal_lahir
         HAVING COUNT(DISTINCT nik) > 1 AND COUNT(DISTINCT desa_kode) > 1"
    } else {
        "SELECT s.n, s.t FROM
           (SELECT DISTINCT LOWER(nama) AS n, tanggal_lahir AS t FROM perangkat_tersimpan
            WHERE {lingkup} AND tanggal_sk_pemberhentian = '' AND nama <> '' AND tanggal_lahir <> '') s
         JOIN perangkat_tersimpan o ON LOWER(o.nama) = s.n AND o.tanggal_lahir = s.t
         WHERE o.tanggal_sk_pemberhentian = ''
         GROUP BY s.n, s.t
         HAVING COUNT(DISTINCT o.nik) > 1 AND COUNT(DISTINCT o.desa_kode) > 1"
    };
    let kembar: Vec<(String, String)> = crate::read!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(kembar_sql.replace("{lingkup}", &lingkup.syarat("desa_kode", 1)))).bind(&pola).fetch_all(c).await?);
    // The officials of each desa: a range of `aktif` (ordered by desa).
    let mut rentang: HashMap<String, std::ops::Range<usize>> = HashMap::new();
    for (i, a) in aktif.iter().enumerate() {
        rentang
            .entry(a.desa_kode.clone())
            .and_modify(|r| r.end = i + 1)
            .or_insert(i..i + 1);
    }
    // The machine's check of the saved records whose working values are the saved ones.
    let sql_sk = format!(
        "SELECT c.perangkat_id, c.hasil FROM pencocokan c JOIN perangkat p ON p.id = c.perangkat_id
         WHERE {} AND p.status = 'tersimpan' AND c.jumlah_cocok < c.jumlah_medan",
        lingkup.syarat("p.desa_kode", 1)
    );
    let sk_rows: Vec<(i64, String)> =
        crate::read!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql_sk)).bind(&pola).fetch_all(c).await?);
    let sk_berbeda = sk_rows
        .into_iter()
        .filter_map(|(id, h)| {
            let medan: Vec<crate::sk::cocok::HasilMedan> = serde_json::from_str(&h).ok()?;
            let w = crate::sk::hasil::peringatan_dari(&crate::sk::hasil::samarkan_nik(medan));
            (!w.is_empty()).then_some((id, w))
        })
        .collect();
    // `tanpa_rekomendasi` for every active official at once (the rule of
    // perangkat::tanpa_rekomendasi, for appointments: a dismissed official is not active).
    let sql_rek = format!(
        "SELECT t.perangkat_id, t.tanggal_sk_pengangkatan, k.rekomendasi_wajib_sejak
         FROM perangkat_tersimpan t
         JOIN desa d ON d.kode = t.desa_kode JOIN kecamatan k ON k.kode = d.kecamatan_kode
         WHERE {} AND t.tanggal_sk_pemberhentian = '' AND k.rekomendasi_wajib_sejak <> ''
           AND t.tanggal_sk_pengangkatan >= k.rekomendasi_wajib_sejak
           AND NOT EXISTS (
             SELECT 1 FROM rekomendasi r
             WHERE r.desa_kode = t.desa_kode AND r.jenis = 'pengangkatan' AND r.status = 'disetujui'
               AND (r.id = (SELECT p.rekomendasi_id FROM perangkat p WHERE p.id = t.perangkat_id)
                    OR EXISTS (SELECT 1 FROM rekomendasi_calon c
                               WHERE c.rekomendasi_id = r.id AND c.urutan = r.calon_disetujui
                                 AND c.nik = t.nik AND c.nik <> '')))",
        lingkup.syarat("t.desa_kode", 1)
    );
    let rek_rows: Vec<(i64, String, String)> =
        crate::read!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql_rek)).bind(&pola).fetch_all(c).await?);
    Ok(Wilayah {
        tanpa_rekomendasi: rek_rows.into_iter().map(|(id, sk, sejak)| (id, (sk, sejak))).collect(),
        sk_berbeda,
        desa,
        dusun,
        aktif,
        rentang,
        kembar: kembar.into_iter().collect(),
        menunggu: per_desa(
            db,
            "SELECT desa_kode, COUNT(*) FROM perangkat WHERE {lingkup} AND status <> 'tersimpan' AND dihapus_pada IS NULL GROUP BY desa_kode",
            &lingkup,
        )
        .await?,
        dikembalikan: per_desa(
            db,
            "SELECT desa_kode, COUNT(*) FROM perangkat WHERE {lingkup} AND dikembalikan GROUP BY desa_kode",
            &lingkup,
        )
        .await?,
        // The desa's last save (a verification or return by the kecamatan is not the desa's sync).
        sinkron: per_desa(
            db,
            "SELECT desa_kode, MAX(disimpan_pada) FROM perangkat_tersimpan WHERE {lingkup} GROUP BY desa_kode",
            &lingkup,
        )
        .await?,
        laporan_diterima: per_desa(
            db,
            "SELECT desa_kode, MAX(ditanggapi_pada) FROM laporan WHERE {lingkup} AND status = 'diterima'
             GROUP BY desa_kode",
            &lingkup,
        )
        .await?,
    })
}

impl Wilayah {
    /// Every warning of an active official (SPEC §3), with the ones that need other records.
    pub fn peringatan(&self, a: &Aktif, hari_ini: Date) -> Vec<Peringatan> {
        let mut w = a.data.peringatan(hari_ini);
        if !a.ada_sk {
            w.push(Peringatan {
                kode: "sk_belum_ada",
                field: None,
                pesan: "Pindaian SK pengangkatan belum diunggah.".into(),
            });
        }
        if self
            .kembar
            .contains(&(a.data.nama.to_lowercase(), a.data.tanggal_lahir.clone()))
        {
            w.push(Peringatan {
                kode: "orang_sama_nik_beda",
                field: None,
                pesan: "Orang dengan nama dan tanggal lahir yang sama tercatat aktif di desa lain dengan NIK berbeda."
                    .into(),
            });
        }
        if let Some(sk) = self.sk_berbeda.get(&a.perangkat_id) {
            w.extend(sk.iter().cloned());
        }
        if let Some((sk, sejak)) = self.tanpa_rekomendasi.get(&a.perangkat_id) {
            w.push(crate::perangkat::peringatan_tanpa_rekomendasi(
                "pengangkatan",
                sk,
                sejak,
            ));
        }
        w
    }

    /// The desa's vacancies: its structure minus its active definitive officials.
    pub fn lowongan(&self, d: &Desa) -> Vec<PosisiStruktur> {
        let terisi: Vec<(&str, &str)> = self
            .aktif_desa(&d.kode)
            .filter(|a| a.data.definitif())
            .map(|a| (a.data.jabatan.as_str(), a.data.dusun.as_str()))
            .collect();
        let dusun = self.dusun.get(&d.kode).map(Vec::as_slice).unwrap_or(&[]);
        crate::perangkat::lowongan_dari(d, dusun, &terisi)
    }

    fn aktif_desa<'a>(&'a self, kode: &'a str) -> impl Iterator<Item = &'a Aktif> + 'a {
        let r = self.rentang.get(kode).cloned().unwrap_or(0..0);
        self.aktif[r].iter()
    }
}

/// One row of the dashboard: a desa.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BarisDasbor {
    pub kode: String,
    pub nama: String,
    pub kecamatan: String,
    pub aktif: usize,
    pub kosong: usize,
    pub menunggu: i64,
    pub dikembalikan: i64,
    pub terverifikasi: usize,
    pub terakhir_sinkron: Option<i64>,
    pub laporan_diterima: Option<i64>,
    pub peringatan: usize,
    /// Share of active officials whose SK scan is in the saved version, in percent; `None`
    /// without active officials.
    pub sk_lengkap: Option<u32>,
}

impl BarisDasbor {
    /// What needs attention: warnings, records returned or waiting for the check, missing SK
    /// scans. Rows with problems come first, then those with more vacancies.
    pub fn masalah(&self) -> usize {
        // A returned record also waits for the check: counted once, in `menunggu`.
        self.peringatan + self.menunggu as usize + usize::from(self.sk_lengkap.is_some_and(|p| p < 100))
    }
}

/// A labelled count for a chart.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Batang {
    pub label: String,
    pub nilai: usize,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Grafik {
    pub jabatan: Vec<Batang>,
    pub jenis_kelamin: Vec<Batang>,
    pub pendidikan: Vec<Batang>,
    pub umur: Vec<Batang>,
    pub pensiun: Vec<Batang>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Dasbor {
    pub baris: Vec<BarisDasbor>,
    pub total: BarisDasbor,
    pub grafik: Grafik,
}

pub const PITA_UMUR: [(&str, i32, i32); 5] = [
    ("< 30 tahun", 0, 29),
    ("30–39 tahun", 30, 39),
    ("40–49 tahun", 40, 49),
    ("50–59 tahun", 50, 59),
    ("60 tahun ke atas", 60, 200),
];

/// The age band of an official today ("40–49 tahun").
pub fn pita_umur(d: &Data, hari_ini: Date) -> Option<&'static str> {
    let u = umur(tanggal(&d.tanggal_lahir)?, hari_ini);
    PITA_UMUR.iter().find(|(_, a, b)| (*a..=*b).contains(&u)).map(|p| p.0)
}

const BULAN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];

/// The dashboard of the desa in scope.
pub fn dasbor(w: &Wilayah, hari_ini: Date) -> Dasbor {
    let baris: Vec<BarisDasbor> = w
        .desa
        .iter()
        .map(|d| {
            let aktif: Vec<&Aktif> = w.aktif_desa(&d.kode).collect();
            let dengan_sk = aktif.iter().filter(|a| a.ada_sk).count();
            BarisDasbor {
                kode: d.kode.clone(),
                nama: d.nama.clone(),
                kecamatan: d.kecamatan_nama.clone(),
                aktif: aktif.len(),
                kosong: w.lowongan(d).len(),
                menunggu: w.menunggu.get(&d.kode).copied().unwrap_or(0),
                dikembalikan: w.dikembalikan.get(&d.kode).copied().unwrap_or(0),
                terverifikasi: aktif.iter().filter(|a| a.terverifikasi).count(),
                terakhir_sinkron: w.sinkron.get(&d.kode).copied(),
                laporan_diterima: w.laporan_diterima.get(&d.kode).copied(),
                peringatan: aktif.iter().filter(|a| !w.peringatan(a, hari_ini).is_empty()).count(),
                sk_lengkap: persen(dengan_sk, aktif.len()),
            }
        })
        .collect();
    let total = BarisDasbor {
        kode: String::new(),
        nama: "Jumlah".into(),
        kecamatan: String::new(),
        aktif: baris.iter().map(|b| b.aktif).sum(),
        kosong: baris.iter().map(|b| b.kosong).sum(),
        menunggu: baris.iter().map(|b| b.menunggu).sum(),
        dikembalikan: baris.iter().map(|b| b.dikembalikan).sum(),
        terverifikasi: baris.iter().map(|b| b.terverifikasi).sum(),
        terakhir_sinkron: baris.iter().filter_map(|b| b.terakhir_sinkron).max(),
        laporan_diterima: baris.iter().filter_map(|b| b.laporan_diterima).max(),
        peringatan: baris.iter().map(|b| b.peringatan).sum(),
        sk_lengkap: persen(w.aktif.iter().filter(|a| a.ada_sk).count(), w.aktif.len()),
    };
    Dasbor {
        grafik: grafik(w, &total, hari_ini),
        baris,
        total,
    }
}

fn persen(a: usize, b: usize) -> Option<u32> {
    (a * 100).checked_div(b).map(|p| p as u32)
}

fn hitung<'a>(label: impl IntoIterator<Item = &'a str>, nilai: impl Fn(&str) -> usize) -> Vec<Batang> {
    label
        .into_iter()
        .map(|l| Batang {
            label: l.to_string(),
            nilai: nilai(l),
        })
        .collect()
}

fn grafik(w: &Wilayah, total: &BarisDasbor, hari_ini: Date) -> Grafik {
    let a = &w.aktif;
    let jk = |j: JenisKelamin| {
        a.iter()
            .filter(|x| JenisKelamin::parse(&x.data.jenis_kelamin) == Some(j))
            .count()
    };
    let pendidikan = Pendidikan::SEMUA
        .iter()
        .map(|p| Batang {
            label: p.kode().to_string(),
            nilai: a
                .iter()
                .filter(|x| Pendidikan::parse(&x.data.pendidikan_terakhir) == Some(*p))
                .count(),
        })
        .filter(|b| b.nilai > 0 || matches!(b.label.as_str(), "SD" | "SMP" | "SMA" | "S1"))
        .collect();
    // Retirements: the end of term (60th birthday; Kepala Desa 8 years) in each of the next 12 months.
    let mut pensiun: BTreeMap<(i32, u8), usize> = BTreeMap::new();
    let mut bulan = Date::from_calendar_date(hari_ini.year(), hari_ini.month(), 1).unwrap_or(hari_ini);
    for _ in 0..12 {
        pensiun.insert((bulan.year(), bulan.month() as u8), 0);
        bulan = bulan.replace_month(bulan.month().next()).unwrap_or(bulan);
        if bulan.month() == time::Month::January {
            bulan = bulan.replace_year(bulan.year() + 1).unwrap_or(bulan);
        }
    }
    let batas = tambah_tahun(hari_ini, 1).unwrap_or(hari_ini);
    for x in a {
        if let Some(akhir) = x.data.akhir_masa_jabatan()
            && akhir >= hari_ini
            && akhir < batas
            && let Some(n) = pensiun.get_mut(&(akhir.year(), akhir.month() as u8))
        {
            *n += 1;
        }
    }
    Grafik {
        jabatan: vec![
            Batang {
                label: "Terisi".into(),
                nilai: total.aktif,
            },
            Batang {
                label: "Kosong".into(),
                nilai: total.kosong,
            },
        ],
        jenis_kelamin: vec![
            Batang {
                label: "Laki-laki".into(),
                nilai: jk(JenisKelamin::L),
            },
            Batang {
                label: "Perempuan".into(),
                nilai: jk(JenisKelamin::P),
            },
        ],
        pendidikan,
        umur: hitung(PITA_UMUR.iter().map(|p| p.0), |l| {
            a.iter().filter(|x| pita_umur(&x.data, hari_ini) == Some(l)).count()
        }),
        pensiun: pensiun
            .into_iter()
            .map(|((y, m), n)| Batang {
                label: format!("{} {}", BULAN[m as usize - 1], y % 100),
                nilai: n,
            })
            .collect(),
    }
}

/// A warning with the record it is about.
#[derive(Clone, Debug, Serialize)]
pub struct BarisPeringatan {
    pub perangkat_id: i64,
    pub desa_kode: String,
    pub desa: String,
    pub nama: String,
    pub jabatan: String,
    pub kode: &'static str,
    pub pesan: String,
    /// The first warning of its desa (the desa's anchor on the page).
    pub pertama: bool,
}

/// Every warning of the active officials in scope, desa by desa.
pub fn semua_peringatan(w: &Wilayah, hari_ini: Date) -> Vec<BarisPeringatan> {
    let desa: HashMap<&str, &Desa> = w.desa.iter().map(|d| (d.kode.as_str(), d)).collect();
    let mut v = Vec::new();
    for a in &w.aktif {
        let Some(d) = desa.get(a.desa_kode.as_str()) else {
            continue;
        };
        for p in w.peringatan(a, hari_ini) {
            v.push(BarisPeringatan {
                perangkat_id: a.perangkat_id,
                desa_kode: d.kode.clone(),
                desa: d.nama.clone(),
                nama: a.data.nama_lengkap(),
                jabatan: a.data.nama_jabatan(d),
                kode: p.kode,
                pesan: p.pesan,
                pertama: v.last().is_none_or(|b: &BarisPeringatan| b.desa_kode != d.kode),
            });
        }
    }
    v
}

/// Counts of one desa for the recap: positions filled, vacancies, gender, education, age bands,
/// warnings.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RekapDesa {
    pub kode: String,
    pub nama: String,
    pub jabatan: Vec<usize>,
    pub kosong: usize,
    pub laki: usize,
    pub perempuan: usize,
    pub pendidikan: Vec<usize>,
    pub umur: Vec<usize>,
    pub peringatan: usize,
    pub aktif: usize,
}

/// The position groups of the recap's columns.
pub const KELOMPOK_JABATAN: [&str; 5] = ["Kepala Desa", "Sekdes", "Kaur", "Kasi", "Kepala Dusun"];
/// Education groups of the recap.
pub const KELOMPOK_PENDIDIKAN: [&str; 4] = ["≤ SMP", "SMA", "Diploma", "S1–S3"];

fn kelompok_jabatan(j: Option<Jabatan>) -> Option<usize> {
    Some(match j? {
        Jabatan::KepalaDesa => 0,
        Jabatan::SekretarisDesa => 1,
        Jabatan::KepalaDusun => 4,
        Jabatan::Staf => return None,
        j if j.kode().starts_with("kaur") => 2,
        _ => 3,
    })
}

fn kelompok_pendidikan(p: Option<Pendidikan>) -> Option<usize> {
    Some(match p?.kode() {
        "SD" | "SMP" => 0,
        "SMA" => 1,
        "D1" | "D2" | "D3" | "D4" => 2,
        _ => 3,
    })
}

/// The recap of every desa in scope (active saved officials).
pub fn rekap(w: &Wilayah, hari_ini: Date) -> Vec<RekapDesa> {
    w.desa
        .iter()
        .map(|d| {
            let mut r = RekapDesa {
                kode: d.kode.clone(),
                nama: d.nama.clone(),
                jabatan: vec![0; KELOMPOK_JABATAN.len() + 1],
                pendidikan: vec![0; KELOMPOK_PENDIDIKAN.len()],
                umur: vec![0; PITA_UMUR.len()],
                kosong: w.lowongan(d).len(),
                ..Default::default()
            };
            for a in w.aktif_desa(&d.kode) {
                r.aktif += 1;
                let j = kelompok_jabatan(a.data.jabatan_enum()).unwrap_or(KELOMPOK_JABATAN.len());
                r.jabatan[j] += 1;
                match JenisKelamin::parse(&a.data.jenis_kelamin) {
                    Some(JenisKelamin::L) => r.laki += 1,
                    Some(JenisKelamin::P) => r.perempuan += 1,
                    None => {}
                }
                if let Some(p) = kelompok_pendidikan(Pendidikan::parse(&a.data.pendidikan_terakhir)) {
                    r.pendidikan[p] += 1;
                }
                if let Some(u) = pita_umur(&a.data, hari_ini).and_then(|l| PITA_UMUR.iter().position(|p| p.0 == l)) {
                    r.umur[u] += 1;
                }
                if !w.peringatan(a, hari_ini).is_empty() {
                    r.peringatan += 1;
                }
            }
            r
        })
        .collect()
}

/// One change of the feed: the record's saved state as of its latest change.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Perubahan {
    pub urutan: i64,
    pub waktu: i64,
    pub perangkat_id: i64,
    pub desa_kode: String,
    pub versi: i64,
    #[sqlx(flatten)]
    pub data: Data,
    pub verifikasi_pada: Option<i64>,
}

/// Reads a feed cursor: `None` (from the beginning) when absent; an error when malformed.
pub fn baca_kursor(s: Option<&str>) -> Hasil<i64> {
    match s.map(str::trim) {
        None | Some("") => Ok(0),
        Some(k) => k
            .strip_prefix("p")
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .ok_or_else(|| {
                AppError::Permintaan(
                    "Kursor sinkronisasi (sejak) tidak valid: pakai nilai \"cursor\" dari jawaban sebelumnya, atau kosongkan untuk mulai dari awal."
                        .into(),
                )
            }),
    }
}

pub fn kursor(n: i64) -> String {
    format!("p{n}")
}

/// The saved records in scope changed after `sejak`, in the order of their latest change (a
/// record changed twice appears once, at its latest change), at most `batas`.
pub async fn perubahan(db: &Db, akun: &Akun, sejak: i64, batas: i64) -> Hasil<Vec<Perubahan>> {
    let kol = KOLOM.iter().map(|k| format!("t.{k}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT c.id AS urutan, c.waktu, t.perangkat_id, t.desa_kode, t.versi, {kol}, t.verifikasi_pada
         FROM perubahan c JOIN perangkat_tersimpan t ON t.perangkat_id = c.perangkat_id
         WHERE c.id > $1 AND {}
           AND c.id = (SELECT MAX(x.id) FROM perubahan x WHERE x.perangkat_id = c.perangkat_id)
         ORDER BY c.id
         LIMIT $3",
        akun.cakupan.syarat("c.desa_kode", 2)
    );
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, Perubahan>(sqlx::AssertSqlSafe(sql))
            .bind(sejak)
            .bind(akun.cakupan.pola())
            .bind(batas)
            .fetch_all(c)
            .await?
    });
    Ok(rows)
}
