//! `sipkatdes init --kecamatan KODE[,KODE…]`: the instance's kecamatan and desa, from the
//! embedded reference. Every code is checked before anything is written; all rows are written
//! in one transaction.

use std::collections::BTreeSet;

use serde_json::json;

use super::{KodeWilayah, Referensi, Tingkat};
use crate::audit::{self, Pelaku};
use crate::db::{Db, Tx};
use crate::waktu::ZonaWaktu;

#[derive(Debug, Default)]
pub struct HasilSetup {
    pub kecamatan_baru: usize,
    pub desa_baru: usize,
    pub kecamatan_sudah_ada: usize,
    pub kelurahan_dilewati: usize,
    pub zona_waktu: String,
}

struct RencanaKecamatan {
    kode: KodeWilayah,
    nama: String,
    kabupaten: (String, String),
    provinsi: (String, String),
    desa: Vec<(KodeWilayah, String)>,
}

/// The local title of the village head: "Pembakal" in Kalimantan Selatan (63).
pub fn sebutan_kepala_desa_bawaan(provinsi: &str) -> &'static str {
    if provinsi == "63" { "Pembakal" } else { "Kepala Desa" }
}

/// Checks codes without writing anything: `Err` holds the message for a person.
pub fn periksa(kode: &[String]) -> Result<(), String> {
    rencanakan(kode).map(|_| ())
}

/// Checks every code against the reference; returns the plan or a message in Indonesian.
fn rencanakan(kode: &[String]) -> Result<(Vec<RencanaKecamatan>, usize), String> {
    let r = Referensi::get();
    if kode.is_empty() {
        return Err("Sebutkan paling sedikit satu kode wilayah pada --kecamatan.".into());
    }
    let mut kec = BTreeSet::new();
    for k in kode {
        let k = KodeWilayah::parse(k).map_err(|e| e.0)?;
        if k.tingkat() == Tingkat::Desa {
            return Err(format!(
                "{k} adalah kode desa/kelurahan. Gunakan kode kecamatan (misalnya {}), \
                 kabupaten atau provinsi.",
                k.induk(Tingkat::Kecamatan)
            ));
        }
        if !r.ada(&k) {
            return Err(format!(
                "Kode wilayah {k} tidak dikenal dalam data wilayah Kemendagri. Periksa kembali kodenya."
            ));
        }
        kec.extend(r.kecamatan_dalam(&k));
    }
    let mut plan = Vec::new();
    let mut kelurahan = 0;
    for k in kec {
        let kab = k.induk(Tingkat::Kabupaten);
        let prov = k.induk(Tingkat::Provinsi);
        let mut desa = Vec::new();
        for (d, n) in r.anak(&k) {
            if d.adalah_desa() {
                desa.push((d, n.to_string()));
            } else {
                kelurahan += 1;
            }
        }
        if desa.is_empty() {
            continue;
        }
        plan.push(RencanaKecamatan {
            nama: r.nama(&k).unwrap_or_default().to_string(),
            kabupaten: (kab.to_string(), r.nama(&kab).unwrap_or_default().to_string()),
            provinsi: (prov.to_string(), r.nama(&prov).unwrap_or_default().to_string()),
            kode: k,
            desa,
        });
    }
    if plan.is_empty() {
        return Err("Wilayah yang disebutkan tidak memiliki desa (hanya kelurahan). \
                    SIPKATDES mengelola perangkat desa."
            .into());
    }
    Ok((plan, kelurahan))
}

/// Sets up (or extends) the instance with the kecamatan named by `kode`.
/// `Err` holds a message for a person; nothing is written then.
pub async fn siapkan(db: &Db, kode: &[String], sekarang: i64) -> anyhow::Result<HasilSetup> {
    let (plan, kelurahan) = rencanakan(kode).map_err(anyhow::Error::msg)?;
    let mut hasil = HasilSetup {
        kelurahan_dilewati: kelurahan,
        ..Default::default()
    };
    let zona = ZonaWaktu::untuk_provinsi(&plan[0].provinsi.0);

    let mut tx = db.begin().await?;
    let ada: Option<String> = crate::tx!(&mut tx, c => {
        sqlx::query_scalar("SELECT zona_waktu FROM instansi WHERE id = 1")
            .fetch_optional(c)
            .await?
    });
    hasil.zona_waktu = match ada {
        Some(z) => z,
        None => {
            crate::tx!(&mut tx, c => {
                sqlx::query("INSERT INTO instansi (id, zona_waktu, dibuat_pada) VALUES (1, $1, $2)")
                    .bind(zona.kode())
                    .bind(sekarang)
                    .execute(c)
                    .await?;
            });
            zona.kode().to_string()
        }
    };

    for k in &plan {
        let baru = crate::tx!(&mut tx, c => {
            sqlx::query(
                "INSERT INTO kecamatan (kode, nama, kabupaten_kode, kabupaten_nama, provinsi_kode, provinsi_nama)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kode) DO NOTHING",
            )
            .bind(k.kode.as_str())
            .bind(&k.nama)
            .bind(&k.kabupaten.0)
            .bind(&k.kabupaten.1)
            .bind(&k.provinsi.0)
            .bind(&k.provinsi.1)
            .execute(c)
            .await?
            .rows_affected()
        });
        if baru == 0 {
            hasil.kecamatan_sudah_ada += 1;
        } else {
            hasil.kecamatan_baru += 1;
        }
        let sebutan = sebutan_kepala_desa_bawaan(&k.provinsi.0);
        for chunk in k.desa.chunks(200) {
            hasil.desa_baru += insert_desa(&mut tx, k.kode.as_str(), chunk, sebutan, sekarang).await?;
        }
    }
    let kodes: Vec<&str> = plan.iter().map(|k| k.kode.as_str()).collect();
    audit::catat(
        &mut tx,
        sekarang,
        &Pelaku::sistem(),
        audit::Aksi::InstansiDisiapkan,
        "",
        json!({ "kecamatan": kodes, "desa_baru": hasil.desa_baru }),
    )
    .await?;
    tx.commit().await?;
    Ok(hasil)
}

async fn insert_desa(
    tx: &mut Tx,
    kecamatan: &str,
    desa: &[(KodeWilayah, String)],
    sebutan: &str,
    sekarang: i64,
) -> Result<usize, sqlx::Error> {
    // Placeholders only; every value is bound.
    let mut sql =
        String::from("INSERT INTO desa (kode, kecamatan_kode, nama, sebutan_kepala_desa, diubah_pada) VALUES ");
    for i in 0..desa.len() {
        let b = i * 5;
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5));
    }
    sql.push_str(" ON CONFLICT (kode) DO NOTHING");
    let n = crate::tx!(tx, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (kode, nama) in desa {
            q = q.bind(kode.as_str()).bind(kecamatan).bind(nama).bind(sebutan).bind(sekarang);
        }
        q.execute(c).await?.rows_affected()
    });
    Ok(n as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rencana_halong() {
        let (plan, _) = rencanakan(&["63.11.02".into()]).unwrap();
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].desa.len(), 24);
        assert_eq!(plan[0].kabupaten.1, "Kabupaten Balangan");
        assert_eq!(plan[0].provinsi.1, "Kalimantan Selatan");
    }

    #[test]
    fn rencana_ditolak() {
        for (kode, kata) in [
            ("63.11.99", "tidak dikenal"),
            ("63.11.2", "tidak sesuai format"),
            ("63.11.02.2001", "kode desa"),
            ("halong", "tidak sesuai format"),
        ] {
            let e = rencanakan(&[kode.into()]).err().expect(kode);
            assert!(e.contains(kata), "{kode}: {e}");
        }
    }
}
