//! `sipkatdes generate --per-desa N [--seed S]`: fills every desa of an instance with N
//! fictitious, valid, **saved** officials — the data sets of the benchmark (`bench/`) and of
//! load tests. Everything it writes is obviously fictitious (the SK says so).
//!
//! Each official ends up exactly as if an operator had entered it, uploaded its SK and saved it
//! after the check ("Sesuai — Simpan"): a `perangkat` row (status `tersimpan`, version 3), its
//! `perangkat_tersimpan` row (the change feed's entry is written by the database's own trigger),
//! one `dokumen` row (the SK, one small PDF stored once and shared by every official) and the
//! three history entries (`dibuat`, `dokumen_diunggah`, `disimpan`). Every record passes
//! [`Data::validasi`] for its desa, and the rules between records hold by construction (one
//! NIK per person, one Kepala Desa, Sekretaris Desa and Kepala Dusun per desa/dusun).
//!
//! What differs from entering them one by one: the rows are written in multi-row INSERTs in one
//! transaction (all or nothing), and the audit log gets **one** summary event for the run
//! (`perangkat_dibangkitkan`: per desa, seed, number of desa and officials) instead of three
//! events per official — the audit records what people did, and here nobody entered anything.
//!
//! The values are deterministic: the same instance and seed give the same officials (names,
//! NIK, dates, SK numbers, ids when the register starts empty). Dates are chosen before
//! [`TANGGAL_ACUAN`], so they never depend on the day it runs. Only the instance's timestamps
//! (saved at, uploaded at) are the moment of the run.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Date, Duration, Month};

use crate::akun::Akun;
use crate::audit::{self, Pelaku};
use crate::db::{Db, Tx};
use crate::desa::jabatan::Jabatan;
use crate::desa::{self, Desa};
use crate::dokumen::Penyimpanan;
use crate::perangkat::aturan::Konteks;
use crate::perangkat::beda;
use crate::perangkat::data::{Data, iso};
use crate::perangkat::medan::KOLOM;

/// Every generated date (birth, SK, TMT) lies before this day.
pub const TANGGAL_ACUAN: Date = time::macros::date!(2025 - 01 - 01);

/// Who the generated rows say saved them.
pub const PENGGUNA: &str = "sistem-generate";

/// Desa per batch (one multi-row INSERT per table per batch).
const DESA_PER_BATCH: usize = 40;

/// The result of a run.
#[derive(Debug, Clone)]
pub struct HasilBangkit {
    pub desa: usize,
    pub perangkat: usize,
    pub sha256_sk: String,
    pub detik: f64,
}

/// Options of a run.
#[derive(Debug, Clone, Copy)]
pub struct Opsi {
    pub per_desa: usize,
    pub seed: u64,
    /// Print progress on stderr.
    pub cerewet: bool,
}

/// A small, fast, deterministic generator (SplitMix64).
struct Acak(u64);

impl Acak {
    fn baru(seed: u64, kunci: &str) -> Acak {
        // FNV-1a of the key, mixed with the seed: each desa's values depend on the seed and its
        // own code only.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in kunci.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Acak(h ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn ambil(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pilih<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.ambil(v.len())]
    }

    /// True with probability `persen` / 100.
    fn peluang(&mut self, persen: usize) -> bool {
        self.ambil(100) < persen
    }
}

const DEPAN_L: [&str; 48] = [
    "Ahmad",
    "Muhammad",
    "Rahmat",
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Made",
    "Nyoman",
    "Wayan",
    "Ketut",
    "Putu",
    "Rizky",
    "Slamet",
    "Taufik",
    "Usman",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Andi",
    "Bambang",
    "Darmawan",
    "Fauzi",
    "Gunawan",
    "Hasan",
    "Imam",
    "Junaidi",
    "Kadek",
    "Markus",
    "Nikolaus",
    "Yohanes",
    "Petrus",
    "Samuel",
    "Stefanus",
    "Arif",
    "Bayu",
    "Dimas",
    "Ilham",
    "Rudi",
    "Syahrani",
    "Saprudin",
    "Yusran",
];
const DEPAN_P: [&str; 40] = [
    "Siti",
    "Nur",
    "Dewi",
    "Sri",
    "Rina",
    "Yuliana",
    "Fitriani",
    "Ayu",
    "Lestari",
    "Wulan",
    "Indah",
    "Ratna",
    "Maria",
    "Theresia",
    "Agustina",
    "Elisabeth",
    "Ni Luh",
    "Ni Made",
    "Ni Ketut",
    "Rahmah",
    "Hayati",
    "Maulida",
    "Halimah",
    "Nurul",
    "Aulia",
    "Kartika",
    "Novita",
    "Puspita",
    "Putri",
    "Rosmawati",
    "Sulastri",
    "Susanti",
    "Tri",
    "Utami",
    "Wahyuni",
    "Yanti",
    "Zahra",
    "Anisa",
    "Desi",
    "Erna",
];
const TENGAH: [&str; 40] = [
    "Adi", "Budi", "Cahya", "Dwi", "Eka", "Fitri", "Guntur", "Hadi", "Indra", "Jaya", "Kusuma", "Lintang", "Mulya",
    "Nanda", "Okta", "Prasetya", "Qori", "Rahayu", "Sari", "Tirta", "Utama", "Wira", "Yudha", "Zulfa", "Arum",
    "Bintang", "Citra", "Dharma", "Esa", "Fikri", "Gita", "Hana", "Ika", "Jati", "Kirana", "Laksana", "Mega",
    "Nirmala", "Purnama", "Ratih",
];
const BELAKANG: [&str; 56] = [
    "Rahman",
    "Hidayat",
    "Saputra",
    "Wijaya",
    "Setiawan",
    "Kurniawan",
    "Pratama",
    "Santoso",
    "Susanto",
    "Nugroho",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Sitorus",
    "Pardede",
    "Manurung",
    "Tambunan",
    "Pangaribuan",
    "Lumbantobing",
    "Tanjung",
    "Daulay",
    "Ginting",
    "Sembiring",
    "Tarigan",
    "Purba",
    "Damanik",
    "Wenas",
    "Lumintang",
    "Rumondor",
    "Mandagi",
    "Pattimura",
    "Latuconsina",
    "Ohorella",
    "Bolang",
    "Kambu",
    "Wonda",
    "Mandacan",
    "Ramadhani",
    "Noor",
    "Anshari",
    "Maulana",
    "Rizani",
    "Hasanah",
    "Safitri",
    "Mahmudah",
    "Wahyudi",
    "Firmansyah",
    "Hakim",
    "Syahputra",
    "Gunadi",
    "Permana",
    "Sudrajat",
    "Hermawan",
    "Suryadi",
];
const TEMPAT_LAHIR_TAMBAHAN: [&str; 8] = [
    "Jakarta",
    "Surabaya",
    "Makassar",
    "Medan",
    "Banjarmasin",
    "Bandung",
    "Semarang",
    "Yogyakarta",
];

/// The position list of a desa: its structure, one Kepala Dusun per dusun, then Staf; the first
/// `n` of them.
fn posisi(desa: &Desa, dusun: &[String], n: usize) -> Vec<(Jabatan, String)> {
    let mut v: Vec<(Jabatan, String)> = desa.struktur().jabatan().iter().map(|j| (*j, String::new())).collect();
    v.extend(dusun.iter().map(|d| (Jabatan::KepalaDusun, d.clone())));
    while v.len() < n {
        v.push((Jabatan::Staf, String::new()));
    }
    v.truncate(n);
    v
}

fn agama(r: &mut Acak, provinsi: &str) -> &'static str {
    let x = r.ambil(100);
    // The majority religion of a few provinces, roughly.
    let (utama, kedua) = match provinsi {
        "51" => ("Hindu", "Islam"),
        "53" => ("Katolik", "Kristen"),
        "71" | "81" | "82" | "91" | "92" | "93" | "94" | "95" | "96" => ("Kristen", "Islam"),
        "12" | "61" | "62" | "72" => ("Islam", "Kristen"),
        _ => ("Islam", "Kristen"),
    };
    match x {
        0..=84 => utama,
        85..=94 => kedua,
        95..=97 => "Katolik",
        98 => "Hindu",
        _ => "Buddha",
    }
}

fn pendidikan(r: &mut Acak) -> &'static str {
    match r.ambil(100) {
        0..=2 => "SMP",
        3..=54 => "SMA",
        55..=64 => "D3",
        65..=96 => "S1",
        _ => "S2",
    }
}

/// A random day of `tahun` (1 January … 28 December, so every month is valid).
fn hari_dalam(r: &mut Acak, tahun: i32) -> Date {
    let bulan = Month::try_from(1 + r.ambil(12) as u8).unwrap_or(Month::January);
    Date::from_calendar_date(tahun, bulan, 1 + r.ambil(28) as u8).unwrap_or(TANGGAL_ACUAN)
}

/// The officials of one desa. `urut_kecamatan`: the desa's position inside its kecamatan (the
/// NIK's serial number stays unique within the kecamatan, and the kecamatan code is in the NIK).
fn data_desa(desa: &Desa, dusun: &[String], urut_kecamatan: usize, o: Opsi) -> Vec<Data> {
    let mut r = Acak::baru(o.seed, &desa.kode);
    let kec6: String = desa.kecamatan_kode.chars().filter(char::is_ascii_digit).collect();
    let desa4: String = desa.kode.rsplit('.').next().unwrap_or("").to_string();
    let kab = desa
        .kabupaten_nama
        .trim_start_matches("Kabupaten ")
        .trim_start_matches("Kota ")
        .to_string();
    let mut nama_dipakai: Vec<String> = Vec::new();
    let mut hasil = Vec::new();
    for (i, (jabatan, du)) in posisi(desa, dusun, o.per_desa).into_iter().enumerate() {
        let perempuan = r.peluang(30);
        let nama = loop {
            let depan = if perempuan {
                r.pilih(&DEPAN_P)
            } else {
                r.pilih(&DEPAN_L)
            };
            let n = if r.peluang(60) {
                format!("{depan} {} {}", r.pilih(&TENGAH), r.pilih(&BELAKANG))
            } else {
                format!("{depan} {}", r.pilih(&BELAKANG))
            };
            if !nama_dipakai.contains(&n) {
                nama_dipakai.push(n.clone());
                break n;
            }
        };
        let kades = jabatan == Jabatan::KepalaDesa;
        // Kepala Desa: inaugurated 2019–2024 (8-year term); others: appointed 2015–2024 aged
        // 22–40 at TMT (the rules of Permendagri 83/2015).
        let tmt_tahun = if kades {
            2019 + r.ambil(6) as i32
        } else {
            2015 + r.ambil(10) as i32
        };
        let tmt = hari_dalam(&mut r, tmt_tahun);
        let usia = (if kades { 30 + r.ambil(20) } else { 22 + r.ambil(19) }) as i32;
        let lahir = hari_dalam(&mut r, tmt_tahun - usia - 1);
        let tanggal_sk = tmt - Duration::days(r.ambil(15) as i64);
        let hari_nik = lahir.day() + if perempuan { 40 } else { 0 };
        let serial = urut_kecamatan * o.per_desa + i + 1;
        let nik = format!(
            "{kec6}{hari_nik:02}{:02}{:02}{serial:04}",
            lahir.month() as u8,
            lahir.year() % 100
        );
        let nomor_sk = if kades {
            format!("188.45/{}/KPTS/{}/{tmt_tahun}", 100 + r.ambil(800), kab.to_uppercase())
        } else {
            format!("141/{:02}/{desa4}/{tmt_tahun}", i + 1)
        };
        let tempat_lahir = if r.peluang(80) {
            kab.clone()
        } else {
            r.pilih(&TEMPAT_LAHIR_TAMBAHAN).to_string()
        };
        let hp = if r.peluang(70) {
            format!("08{}{:08}", 11 + r.ambil(12), r.ambil(100_000_000))
        } else {
            String::new()
        };
        hasil.push(Data {
            nama,
            gelar_belakang: String::new(),
            nik,
            niap: if r.peluang(50) {
                format!("{desa4}.{:02}.{tmt_tahun}", i + 1)
            } else {
                String::new()
            },
            jenis_kelamin: if perempuan { "P" } else { "L" }.into(),
            tempat_lahir,
            tanggal_lahir: iso(lahir),
            agama: agama(&mut r, &desa.provinsi_kode).into(),
            pendidikan_terakhir: pendidikan(&mut r).into(),
            alamat: format!("RT {:03} RW {:03}, Desa {}", 1 + r.ambil(12), 1 + r.ambil(5), desa.nama),
            nomor_hp: hp,
            jabatan: jabatan.kode().into(),
            dusun: du,
            status_jabatan: "definitif".into(),
            nomor_sk_pengangkatan: nomor_sk,
            tanggal_sk_pengangkatan: iso(tanggal_sk),
            tmt: iso(tmt),
            keterangan: "Data fiktif (sipkatdes generate).".into(),
            ..Default::default()
        });
    }
    hasil
}

/// The SK every generated official shares: a one-page PDF that says it is fictitious.
pub fn pdf_sk() -> Vec<u8> {
    crate::dokumen::contoh::pdf(&[
        "KEPUTUSAN KEPALA DESA".into(),
        "TENTANG PENGANGKATAN PERANGKAT DESA".into(),
        String::new(),
        "CONTOH - DATA FIKTIF UNTUK UJI BEBAN SIPKATDES".into(),
        "Dokumen ini dibuat oleh perintah sipkatdes generate.".into(),
    ])
}

/// Generates and saves `o.per_desa` officials in every desa of the instance. Refuses an
/// instance that already has officials (the generated register would mix with real data).
pub async fn bangkitkan(db: &Db, simpanan: &Penyimpanan, o: Opsi, sekarang: i64) -> anyhow::Result<HasilBangkit> {
    let mulai = Instant::now();
    anyhow::ensure!(
        (1..=100).contains(&o.per_desa),
        "--per-desa harus 1 sampai 100 (sekarang {}).",
        o.per_desa
    );
    let sistem = Akun::sistem(PENGGUNA);
    let semua_desa = desa::daftar(db, &sistem, "")
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.pesan()))?;
    anyhow::ensure!(
        !semua_desa.is_empty(),
        "Instansi belum memiliki desa. Jalankan dahulu: sipkatdes init --kecamatan KODE"
    );
    let dusun_rows: Vec<(String, String)> = crate::read!(db, c => {
        sqlx::query_as("SELECT desa_kode, nama FROM dusun ORDER BY desa_kode, urutan, nama")
            .fetch_all(c)
            .await?
    });
    let mut dusun: HashMap<String, Vec<String>> = HashMap::new();
    for (d, n) in dusun_rows {
        dusun.entry(d).or_default().push(n);
    }
    let mut per_kecamatan: HashMap<&str, usize> = HashMap::new();
    for d in &semua_desa {
        *per_kecamatan.entry(d.kecamatan_kode.as_str()).or_default() += 1;
    }
    if let Some((k, n)) = per_kecamatan.iter().max_by_key(|(_, n)| **n)
        && n * o.per_desa > 9999
    {
        anyhow::bail!(
            "Kecamatan {k} memiliki {n} desa: dengan --per-desa {} nomor urut NIK (4 digit) tidak cukup. Kurangi --per-desa.",
            o.per_desa
        );
    }
    let hari_ini = time::OffsetDateTime::from_unix_timestamp(sekarang)?.date();
    anyhow::ensure!(
        hari_ini >= TANGGAL_ACUAN,
        "Jam sistem menunjukkan {hari_ini}: data yang dibangkitkan bertanggal sampai {TANGGAL_ACUAN}."
    );

    // The shared SK: the file first (synced), then the rows.
    let sk = pdf_sk();
    let sha = hex::encode(Sha256::digest(&sk));
    let ukuran = sk.len() as i64;
    simpanan.simpan(&sha, bytes::Bytes::from(sk)).await?;

    let mut tx = db.begin().await?;
    if let Tx::Postgres(t) = &mut tx {
        // Nobody else adds officials or documents while the ids are handed out.
        sqlx::query("LOCK TABLE perangkat, dokumen IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut **t)
            .await?;
    }
    let (ada, maks_dok): (i64, i64) = crate::tx!(&mut tx, c => {
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM perangkat), (SELECT COALESCE(MAX(id), 0) FROM dokumen)")
            .fetch_one(c)
            .await?
    });
    anyhow::ensure!(
        ada == 0,
        "Instansi ini sudah berisi {ada} data perangkat. generate hanya mengisi instansi yang belum berisi perangkat \
         (data fiktif tidak boleh bercampur dengan data sungguhan)."
    );
    // PostgreSQL: the secondary indexes of the tables filled are dropped for the load and built
    // again at its end, in the same transaction (a trigram GIN index kept up row by row is most
    // of a national load; one built from sorted data at the end is not). The unique ones stay:
    // they are rules. The instance is empty (above) and the tables locked, so nobody misses them.
    let indeks = indeks_sekunder(&mut tx).await?;
    let mut id_perangkat: i64 = 0;
    let mut jumlah = 0usize;
    let mut urut_kec: HashMap<String, usize> = HashMap::new();
    let total_desa = semua_desa.len();
    let mut dilaporkan = 0;
    for (b, batch) in semua_desa.chunks(DESA_PER_BATCH).enumerate() {
        let mut baris: Vec<(i64, &str, Data)> = Vec::with_capacity(batch.len() * o.per_desa);
        for d in batch {
            let du = dusun.get(&d.kode).map(Vec::as_slice).unwrap_or(&[]);
            let u = urut_kec.entry(d.kecamatan_kode.clone()).or_default();
            let konteks = Konteks {
                desa: d,
                dusun: du,
                hari_ini,
            };
            for data in data_desa(d, du, *u, o) {
                // Valid by the application's own rules, or nothing is written.
                let data = data.validasi(&konteks).map_err(|g| {
                    anyhow::anyhow!(
                        "data yang dibangkitkan untuk desa {} tidak valid: {}",
                        d.kode,
                        g.iter()
                            .map(|(f, m)| format!("{f}: {m}"))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                })?;
                id_perangkat += 1;
                baris.push((id_perangkat, d.kode.as_str(), data));
            }
            *u += 1;
        }
        let dari = baris.first().map(|b| b.0).unwrap_or(1);
        let sampai = baris.last().map(|b| b.0).unwrap_or(0);
        tulis_batch(&mut tx, &baris, sekarang).await?;
        tulis_turunan(&mut tx, dari, sampai, maks_dok, (&sha, ukuran), sekarang).await?;
        jumlah += baris.len();
        let selesai = ((b + 1) * DESA_PER_BATCH).min(total_desa);
        if o.cerewet && selesai * 10 / total_desa > dilaporkan {
            dilaporkan = selesai * 10 / total_desa;
            eprintln!(
                "  {selesai}/{total_desa} desa, {jumlah} perangkat ({:.1} s)",
                mulai.elapsed().as_secs_f64()
            );
        }
    }
    if let Tx::Postgres(t) = &mut tx {
        if !indeks.is_empty() {
            sqlx::query("SET LOCAL maintenance_work_mem = '256MB'")
                .execute(&mut **t)
                .await?;
            if o.cerewet {
                eprintln!(
                    "  {} indeks dibangun ulang ({:.1} s)",
                    indeks.len(),
                    mulai.elapsed().as_secs_f64()
                );
            }
        }
        for (_, def) in &indeks {
            sqlx::query(sqlx::AssertSqlSafe(def.as_str())).execute(&mut **t).await?;
        }
        // The ids were given explicitly: the identity sequences continue after them.
        for tabel in ["perangkat", "dokumen"] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), GREATEST((SELECT MAX(id) FROM {tabel}), 1))"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **t).await?;
        }
    }
    audit::catat(
        &mut tx,
        sekarang,
        &Pelaku {
            pengguna_id: None,
            username: PENGGUNA.into(),
        },
        audit::Aksi::PerangkatDibangkitkan,
        "",
        json!({ "per_desa": o.per_desa, "seed": o.seed, "desa": total_desa, "perangkat": jumlah, "sha256_sk": sha }),
    )
    .await?;
    tx.commit().await?;
    if let crate::db::Pool::Postgres(p) = &db.write {
        // What a bulk load needs before it is queried: statistics for the planner and the
        // visibility map for index-only scans (autovacuum would get there later).
        sqlx::query("VACUUM (ANALYZE) perangkat, perangkat_tersimpan, dokumen, riwayat, perubahan")
            .execute(p)
            .await?;
    }
    Ok(HasilBangkit {
        desa: total_desa,
        perangkat: jumlah,
        sha256_sk: sha,
        detik: mulai.elapsed().as_secs_f64(),
    })
}

/// The tables `generate` fills.
const TABEL_DIISI: [&str; 5] = ["perangkat", "perangkat_tersimpan", "dokumen", "riwayat", "perubahan"];

/// On PostgreSQL: drops the non-unique indexes of [`TABEL_DIISI`] that back no constraint and
/// returns their names and definitions (`pg_get_indexdef`), to be executed again after the load.
/// SQLite: nothing (its load is seconds).
async fn indeks_sekunder(tx: &mut Tx) -> Result<Vec<(String, String)>, sqlx::Error> {
    let Tx::Postgres(t) = tx else {
        return Ok(Vec::new());
    };
    let daftar: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.relname::text, pg_get_indexdef(ix.indexrelid)
           FROM pg_index ix
           JOIN pg_class i ON i.oid = ix.indexrelid
           JOIN pg_class r ON r.oid = ix.indrelid
           JOIN pg_namespace n ON n.oid = r.relnamespace
          WHERE n.nspname = current_schema() AND r.relname = ANY($1)
            AND NOT ix.indisprimary AND NOT ix.indisunique
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
          ORDER BY i.relname",
    )
    .bind(&TABEL_DIISI[..])
    .fetch_all(&mut **t)
    .await?;
    for (nama, _) in &daftar {
        let sql = format!("DROP INDEX \"{}\"", nama.replace('"', "\"\""));
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **t).await?;
    }
    Ok(daftar)
}

/// Rows per multi-row INSERT (SQLite allows 32,766 bound values, PostgreSQL 65,535).
const BARIS_PER_INSERT: usize = 500;

/// The working rows (`perangkat`) and their first history entry (`dibuat`), as `buat` writes them.
async fn tulis_batch(tx: &mut Tx, baris: &[(i64, &str, Data)], sekarang: i64) -> Result<(), sqlx::Error> {
    let kolom = KOLOM.join(", ");
    for potong in baris.chunks(BARIS_PER_INSERT) {
        let awal = format!(
            "INSERT INTO perangkat (id, desa_kode, status, versi, catatan_pemeriksaan, {kolom}, dibuat_pada, diubah_pada) "
        );
        crate::tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(awal);
            q.push_values(potong, |mut b, (id, desa, d)| {
                b.push_bind(*id).push_bind(*desa).push_bind("tersimpan").push_bind(3_i64).push_bind("");
                for k in KOLOM {
                    b.push_bind(d.nilai(k));
                }
                b.push_bind(sekarang).push_bind(sekarang);
            });
            q.build().execute(&mut *c).await?;
        });
        crate::tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO riwayat (perangkat_id, waktu, username, aksi, catatan, perubahan) ",
            );
            q.push_values(potong, |mut b, (id, _, d)| {
                let semua = serde_json::to_string(&beda(&Data::default(), d)).unwrap_or_else(|_| "[]".into());
                b.push_bind(*id)
                    .push_bind(sekarang)
                    .push_bind(PENGGUNA)
                    .push_bind("dibuat")
                    .push_bind("")
                    .push_bind(semua);
            });
            q.build().execute(&mut *c).await?;
        });
    }
    Ok(())
}

/// What follows from the working rows `dari..=sampai`, written by the database from them: the
/// SK document, its history entry, the saved version (its trigger writes the change feed) and
/// the `disimpan` history entry — in the order the application writes them.
async fn tulis_turunan(
    tx: &mut Tx,
    dari: i64,
    sampai: i64,
    maks_dok: i64,
    (sha, ukuran): (&str, i64),
    sekarang: i64,
) -> Result<(), sqlx::Error> {
    let kolom = KOLOM.join(", ");
    let catatan_dok = format!("SK Pengangkatan (PDF, {} KB)", (ukuran + 1023) / 1024);
    let simpan = format!(
        "INSERT INTO perangkat_tersimpan (perangkat_id, desa_kode, versi, {kolom}, disimpan_pada, disimpan_oleh, dokumen_terakhir)
         SELECT id, desa_kode, versi, {kolom}, $1, $2, id + $3 FROM perangkat WHERE id BETWEEN $4 AND $5 ORDER BY id"
    );
    crate::tx!(tx, c => {
        sqlx::query(
            "INSERT INTO dokumen (id, perangkat_id, jenis, sha256, ukuran, mime, nama_asli, diunggah_pada, diunggah_oleh)
             SELECT id + $1, id, 'sk_pengangkatan', $2, $3, 'application/pdf', 'SK Pengangkatan (contoh).pdf', $4, $5
             FROM perangkat WHERE id BETWEEN $6 AND $7 ORDER BY id",
        )
        .bind(maks_dok)
        .bind(sha)
        .bind(ukuran)
        .bind(sekarang)
        .bind(PENGGUNA)
        .bind(dari)
        .bind(sampai)
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO riwayat (perangkat_id, waktu, username, aksi, catatan, perubahan)
             SELECT id, $1, $2, 'dokumen_diunggah', $3, '[]' FROM perangkat WHERE id BETWEEN $4 AND $5 ORDER BY id",
        )
        .bind(sekarang)
        .bind(PENGGUNA)
        .bind(&catatan_dok)
        .bind(dari)
        .bind(sampai)
        .execute(&mut *c)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(simpan))
            .bind(sekarang)
            .bind(PENGGUNA)
            .bind(maks_dok)
            .bind(dari)
            .bind(sampai)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO riwayat (perangkat_id, waktu, username, aksi, catatan, perubahan)
             SELECT perangkat_id, waktu, username, 'disimpan', '', perubahan FROM riwayat
             WHERE aksi = 'dibuat' AND perangkat_id BETWEEN $1 AND $2 ORDER BY perangkat_id",
        )
        .bind(dari)
        .bind(sampai)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acak_tetap() {
        let mut a = Acak::baru(7, "63.11.02.2001");
        let mut b = Acak::baru(7, "63.11.02.2001");
        let mut c = Acak::baru(8, "63.11.02.2001");
        let va: Vec<u64> = (0..5).map(|_| a.next()).collect();
        let vb: Vec<u64> = (0..5).map(|_| b.next()).collect();
        let vc: Vec<u64> = (0..5).map(|_| c.next()).collect();
        assert_eq!(va, vb);
        assert_ne!(va, vc);
    }
}
