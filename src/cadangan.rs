//! Backup and restore (`sipkatdes backup FILE`, `sipkatdes restore FILE`): a consistent snapshot
//! of the database (one read transaction) and every stored document, in one ZIP file with a
//! manifest of SHA-256 hashes. A restore checks every hash before it writes anything, and only
//! into an empty data directory or database: it never overwrites an instance.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, bail};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{Column, Row};

use crate::db::{Db, Pool, Tx};
use crate::dokumen::Penyimpanan;

/// The tables of an instance, in an order that keeps foreign keys satisfied. Sessions, API
/// tokens, login throttling and import previews are transient: people log in again.
pub const TABEL: [&str; 18] = [
    "instansi",
    "kecamatan",
    "desa",
    "dusun",
    "pengguna",
    "audit",
    "perangkat",
    "perangkat_tersimpan",
    "dokumen",
    "riwayat",
    "sk_bacaan",
    "pencocokan",
    "laporan",
    "perubahan",
    "hari_libur",
    "rekomendasi",
    "rekomendasi_calon",
    "rekomendasi_dokumen",
];

const FORMAT: &str = "sipkatdes-cadangan-1";

/// What a backup holds, written into it as `manifes.json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifes {
    pub format: String,
    pub dibuat_pada: i64,
    pub backend: String,
    pub skema_versi: i64,
    /// Entry name in the ZIP → SHA-256 of its bytes.
    pub berkas: BTreeMap<String, String>,
    /// Table → number of rows.
    pub baris: BTreeMap<String, usize>,
}

/// One table: its columns and rows (values as JSON: numbers, strings, booleans, null).
#[derive(Serialize, Deserialize)]
pub struct IsiTabel {
    pub kolom: Vec<String>,
    pub baris: Vec<Vec<Value>>,
}

fn sha256(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

macro_rules! nilai_baris {
    ($row:expr) => {{
        let row = $row;
        (0..row.columns().len())
            .map(|i| {
                if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
                    v.map(Value::from).unwrap_or(Value::Null)
                } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
                    v.map(Value::from).unwrap_or(Value::Null)
                } else if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
                    v.map(Value::from).unwrap_or(Value::Null)
                } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
                    v.map(Value::from).unwrap_or(Value::Null)
                } else {
                    Value::Null
                }
            })
            .collect::<Vec<Value>>()
    }};
}

/// Reads every table inside one read transaction (a consistent snapshot while the server runs).
pub async fn baca_semua(db: &Db) -> anyhow::Result<(i64, BTreeMap<String, IsiTabel>)> {
    let mut hasil = BTreeMap::new();
    macro_rules! baca {
        ($tx:expr) => {{
            let tx = $tx;
            let versi: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(versi), 0) FROM skema_versi")
                .fetch_one(&mut **tx)
                .await?;
            for t in TABEL {
                let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {t} ORDER BY 1")))
                    .fetch_all(&mut **tx)
                    .await?;
                let kolom = rows
                    .first()
                    .map(|r| r.columns().iter().map(|c| c.name().to_string()).collect())
                    .unwrap_or_default();
                let baris = rows.iter().map(|r| nilai_baris!(r)).collect();
                hasil.insert(t.to_string(), IsiTabel { kolom, baris });
            }
            versi
        }};
    }
    let versi = match &db.read {
        Pool::Sqlite(p) => {
            let mut tx = crate::db::Transaksi::mulai(p).await?;
            let v = baca!(&mut tx);
            tx.commit().await?;
            v
        }
        Pool::Postgres(p) => {
            let mut tx = crate::db::Transaksi::mulai(p).await?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
            let v = baca!(&mut tx);
            tx.commit().await?;
            v
        }
    };
    Ok((versi, hasil))
}

/// The SHA-256 of every stored file the snapshot refers to.
fn berkas_dirujuk(tabel: &BTreeMap<String, IsiTabel>) -> Vec<String> {
    let mut v = Vec::new();
    for (t, kol) in [
        ("dokumen", "sha256"),
        ("laporan", "sha256"),
        ("laporan", "sha256_diterima"),
        ("rekomendasi", "sha256"),
        ("rekomendasi_dokumen", "sha256"),
    ] {
        if let Some(isi) = tabel.get(t)
            && let Some(i) = isi.kolom.iter().position(|k| k == kol)
        {
            v.extend(isi.baris.iter().filter_map(|b| b[i].as_str().map(str::to_string)));
        }
    }
    v.sort();
    v.dedup();
    v
}

/// Writes the backup to `tujuan` (refused when it exists): the ZIP is written to a temporary
/// name, synced, then renamed.
pub async fn cadangkan(db: &Db, simpanan: &Penyimpanan, tujuan: &Path, sekarang: i64) -> anyhow::Result<Manifes> {
    if tujuan.exists() {
        bail!(
            "berkas {} sudah ada; pilih nama lain (cadangan tidak menimpa berkas).",
            tujuan.display()
        );
    }
    let (skema_versi, tabel) = baca_semua(db).await?;
    let mut isi_zip: Vec<(String, Bytes)> = Vec::new();
    let mut baris = BTreeMap::new();
    for (t, isi) in &tabel {
        baris.insert(t.clone(), isi.baris.len());
        isi_zip.push((format!("db/{t}.json"), Bytes::from(serde_json::to_vec(isi)?)));
    }
    for sha in berkas_dirujuk(&tabel) {
        let b = simpanan
            .baca(&sha)
            .await
            .with_context(|| format!("berkas dokumen {sha} tidak dapat dibaca"))?;
        if sha256(&b) != sha {
            bail!("berkas dokumen {sha} di penyimpanan tidak cocok dengan sidik jarinya; cadangan dibatalkan.");
        }
        isi_zip.push((format!("berkas/{sha}"), b));
    }
    let manifes = Manifes {
        format: FORMAT.into(),
        dibuat_pada: sekarang,
        backend: db.backend().into(),
        skema_versi,
        berkas: isi_zip.iter().map(|(n, b)| (n.clone(), sha256(b))).collect(),
        baris,
    };
    let sementara = tujuan.with_extension("sebagian");
    let tulis = || -> anyhow::Result<()> {
        let f = std::fs::File::create(&sementara)
            .with_context(|| format!("berkas {} tidak dapat dibuat", sementara.display()))?;
        let mut z = zip::ZipWriter::new(f);
        let opsi = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("manifes.json", opsi)?;
        z.write_all(&serde_json::to_vec_pretty(&manifes)?)?;
        for (n, b) in &isi_zip {
            z.start_file(n.as_str(), opsi)?;
            z.write_all(b)?;
        }
        z.finish()?.sync_all()?;
        std::fs::rename(&sementara, tujuan)?;
        Ok(())
    };
    if let Err(e) = tulis() {
        let _ = std::fs::remove_file(&sementara);
        return Err(e);
    }
    Ok(manifes)
}

/// Reads and verifies a backup completely (every entry listed, every hash right) before anything
/// is written.
fn baca_cadangan(sumber: &Path) -> anyhow::Result<(Manifes, BTreeMap<String, Vec<u8>>)> {
    let f = std::fs::File::open(sumber).with_context(|| format!("berkas {} tidak dapat dibuka", sumber.display()))?;
    let rusak = || {
        anyhow::anyhow!(
            "berkas cadangan {} rusak atau bukan cadangan SIPKATDES.",
            sumber.display()
        )
    };
    let mut z = zip::ZipArchive::new(f).map_err(|_| rusak())?;
    let mut isi = BTreeMap::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).map_err(|_| rusak())?;
        let nama = e.name().map_err(|_| rusak())?.to_string();
        let mut b = Vec::new();
        e.read_to_end(&mut b).map_err(|_| rusak())?;
        isi.insert(nama, b);
    }
    let manifes: Manifes = isi
        .get("manifes.json")
        .and_then(|b| serde_json::from_slice(b).ok())
        .ok_or_else(rusak)?;
    if manifes.format != FORMAT {
        bail!("format cadangan {} tidak dikenal.", manifes.format);
    }
    for (nama, sha) in &manifes.berkas {
        let b = isi
            .get(nama)
            .ok_or_else(|| anyhow::anyhow!("cadangan rusak: {nama} hilang. Tidak ada yang dipulihkan."))?;
        if &sha256(b) != sha {
            bail!("cadangan rusak: {nama} tidak cocok dengan sidik jarinya. Tidak ada yang dipulihkan.");
        }
    }
    if isi
        .keys()
        .any(|k| k != "manifes.json" && !manifes.berkas.contains_key(k))
    {
        bail!("cadangan rusak: ada berkas yang tidak tercatat di manifes. Tidak ada yang dipulihkan.");
    }
    Ok((manifes, isi))
}

macro_rules! ikat {
    ($q:expr, $v:expr) => {{
        let q = $q;
        match $v {
            Value::Bool(b) => q.bind(*b),
            Value::Number(n) if n.is_i64() => q.bind(n.as_i64()),
            Value::Number(n) => q.bind(n.as_f64()),
            Value::String(s) => q.bind(s.clone()),
            // Null never reaches here (a literal); arrays and objects are not column values.
            v => q.bind(v.to_string()),
        }
    }};
}

/// Refuses a target that already holds an instance or runs another schema version.
async fn periksa_tujuan_kosong(db: &Db, skema_versi: i64, asal: &str) -> anyhow::Result<()> {
    let ada: i64 = crate::read!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM instansi").fetch_one(c).await?);
    if ada > 0 {
        bail!("tujuan sudah berisi instansi; pakai direktori data atau basis data yang kosong.");
    }
    let versi: i64 = crate::read!(db, c => sqlx::query_scalar("SELECT COALESCE(MAX(versi), 0) FROM skema_versi").fetch_one(c).await?);
    if skema_versi != versi {
        bail!("{asal} memakai skema versi {skema_versi}, program ini versi {versi}; pakai versi SIPKATDES yang sama.");
    }
    Ok(())
}

/// The boolean columns of the target (PostgreSQL keeps booleans as such; SQLite as 0/1).
async fn kolom_boolean(tx: &mut Tx) -> anyhow::Result<std::collections::HashSet<(String, String)>> {
    Ok(match tx {
        Tx::Postgres(t) => sqlx::query_as::<_, (String, String)>(
            "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns
             WHERE table_schema = current_schema() AND data_type = 'boolean'",
        )
        .fetch_all(&mut **t)
        .await?
        .into_iter()
        .collect(),
        Tx::Sqlite(_) => Default::default(),
    })
}

/// Writes every table of a snapshot into an empty, migrated instance, inside `tx`; values are
/// converted to the target's column types (SQLite's 0/1 become PostgreSQL booleans).
async fn tulis_semua(tx: &mut Tx, tabel: &BTreeMap<String, IsiTabel>) -> anyhow::Result<()> {
    let boolean = kolom_boolean(tx).await?;
    for t in TABEL {
        let Some(isi) = tabel.get(t) else {
            continue;
        };
        if t == "perubahan" {
            // The feed's trigger wrote rows while perangkat_tersimpan was written: the source's
            // own feed replaces them.
            crate::tx!(&mut *tx, c => { sqlx::query("DELETE FROM perubahan").execute(c).await?; });
        }
        for baris in &isi.baris {
            // NULL as a literal: a typed NULL parameter would not fit every column type.
            let mut n = 0;
            let tanda: Vec<String> = baris
                .iter()
                .map(|v| {
                    if v.is_null() {
                        "NULL".to_string()
                    } else {
                        n += 1;
                        format!("${n}")
                    }
                })
                .collect();
            let sql = format!(
                "INSERT INTO {t} ({}) VALUES ({})",
                isi.kolom.join(", "),
                tanda.join(", ")
            );
            let nilai: Vec<Value> = baris
                .iter()
                .zip(&isi.kolom)
                .filter(|(v, _)| !v.is_null())
                .map(|(v, k)| match v {
                    Value::Number(n) if boolean.contains(&(t.to_string(), k.clone())) => {
                        Value::Bool(n.as_i64() != Some(0))
                    }
                    Value::Bool(b) if !matches!(tx, Tx::Postgres(_)) => Value::from(i64::from(*b)),
                    v => v.clone(),
                })
                .collect();
            crate::tx!(&mut *tx, c => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for v in &nilai {
                    q = ikat!(q, v);
                }
                q.execute(c).await.with_context(|| format!("baris tabel {t} tidak dapat ditulis"))?;
            });
        }
    }
    if let Tx::Postgres(t) = tx {
        // Identity columns continue after the written ids.
        let identitas: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::TEXT FROM information_schema.columns
             WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
        )
        .fetch_all(&mut **t)
        .await?;
        for tabel in TABEL {
            if identitas.iter().any(|i| i == tabel) {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), COALESCE((SELECT MAX(id) FROM {tabel}), 0) + 1, false)"
                )))
                .execute(&mut **t)
                .await?;
            }
        }
    }
    Ok(())
}

/// Restores a backup into an empty instance (`db` freshly migrated, no `instansi` row), on
/// either kind of database: a backup of a SQLite instance restores into PostgreSQL.
pub async fn pulihkan(db: &Db, simpanan: &Penyimpanan, sumber: &Path) -> anyhow::Result<Manifes> {
    let (manifes, isi) = baca_cadangan(sumber)?;
    periksa_tujuan_kosong(db, manifes.skema_versi, "cadangan ini").await?;
    // Files first (content-addressed: writing them changes nothing that exists).
    for (nama, b) in &isi {
        if let Some(sha) = nama.strip_prefix("berkas/") {
            simpanan.simpan(sha, Bytes::from(b.clone())).await?;
        }
    }
    let mut tabel = BTreeMap::new();
    for t in TABEL {
        if let Some(b) = isi.get(&format!("db/{t}.json")) {
            let isi: IsiTabel = serde_json::from_slice(b)?;
            tabel.insert(t.to_string(), isi);
        }
    }
    let mut tx = db.begin().await?;
    tulis_semua(&mut tx, &tabel).await?;
    tx.commit().await?;
    Ok(manifes)
}

/// The content hash of each table, the same for the same data on SQLite and PostgreSQL: each
/// row as a JSON object (columns by name, booleans as 0/1), the rows sorted (the two databases
/// may collate text keys differently).
pub fn sidik_tabel(tabel: &BTreeMap<String, IsiTabel>) -> BTreeMap<String, (usize, String)> {
    tabel
        .iter()
        .map(|(t, isi)| {
            let mut baris: Vec<Vec<u8>> = isi
                .baris
                .iter()
                .map(|b| {
                    let objek: BTreeMap<&str, Value> = isi
                        .kolom
                        .iter()
                        .zip(b)
                        .map(|(k, v)| {
                            let v = match v {
                                Value::Bool(x) => Value::from(i64::from(*x)),
                                v => v.clone(),
                            };
                            (k.as_str(), v)
                        })
                        .collect();
                    serde_json::to_vec(&objek).expect("JSON values serialise")
                })
                .collect();
            baris.sort();
            let mut h = Sha256::new();
            for b in &baris {
                h.update(b);
                h.update(b"\n");
            }
            (t.clone(), (baris.len(), hex::encode(h.finalize())))
        })
        .collect()
}

/// What `sipkatdes copy-to` did: per table, rows and content hash (equal on both sides).
#[derive(Debug)]
pub struct HasilSalin {
    pub tabel: BTreeMap<String, (usize, String)>,
    pub berkas: usize,
}

/// Copies the instance `sumber` (e.g. the SQLite of a kecamatan) into the empty instance
/// `tujuan` (e.g. the kabupaten's PostgreSQL), from one consistent snapshot; the documents stay
/// in the data directory and are checked against their hashes first. Afterwards both sides are
/// read again and every table's content hash compared; any difference is an error.
pub async fn salin(sumber: &Db, tujuan: &Db, simpanan: &Penyimpanan) -> anyhow::Result<HasilSalin> {
    let (versi, tabel) = baca_semua(sumber).await?;
    periksa_tujuan_kosong(tujuan, versi, "sumber").await?;
    let berkas = berkas_dirujuk(&tabel);
    for sha in &berkas {
        let b = simpanan
            .baca(sha)
            .await
            .with_context(|| format!("berkas dokumen {sha} tidak dapat dibaca; tidak ada yang disalin"))?;
        if &sha256(&b) != sha {
            bail!("berkas dokumen {sha} tidak cocok dengan sidik jarinya; tidak ada yang disalin.");
        }
    }
    let mut tx = tujuan.begin().await?;
    tulis_semua(&mut tx, &tabel).await?;
    tx.commit().await?;
    let asal = sidik_tabel(&tabel);
    let (_, hasil) = baca_semua(tujuan).await?;
    let jadi = sidik_tabel(&hasil);
    for (t, (n, h)) in &asal {
        match jadi.get(t) {
            Some((n2, h2)) if n2 == n && h2 == h => {}
            Some((n2, _)) => bail!("tabel {t} berbeda setelah disalin ({n} baris di sumber, {n2} di tujuan)."),
            None => bail!("tabel {t} tidak ada di tujuan."),
        }
    }
    Ok(HasilSalin {
        tabel: asal,
        berkas: berkas.len(),
    })
}
