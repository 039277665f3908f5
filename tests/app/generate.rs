//! `sipkatdes generate`: fictitious, valid, saved officials in every desa, the same for the same
//! seed (the benchmark's data sets).

use serde_json::{Value, json};
use sipkatdes::bangkit::{self, Opsi};
use sipkatdes::perangkat::aturan::Konteks;
use sipkatdes::perangkat::data::Data;
use sipkatdes::perangkat::medan::KOLOM;
use sipkatdes::waktu::unix_now;

use crate::helpers::*;
use crate::perangkat::Api;

fn opsi(per_desa: usize, seed: u64) -> Opsi {
    Opsi {
        per_desa,
        seed,
        cerewet: false,
    }
}

/// The data columns of every official, in id order.
async fn isi(t: &TestApp, tabel: &str) -> Vec<(i64, String, Data)> {
    let kunci = if tabel == "perangkat" { "id" } else { "perangkat_id" };
    let sql = format!(
        "SELECT {kunci} AS id, desa_kode, {} FROM {tabel} ORDER BY {kunci}",
        KOLOM.join(", ")
    );
    #[derive(sqlx::FromRow)]
    struct Baris {
        id: i64,
        desa_kode: String,
        #[sqlx(flatten)]
        data: Data,
    }
    let rows: Vec<Baris> = sipkatdes::read!(t.db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await.unwrap()
    });
    rows.into_iter().map(|b| (b.id, b.desa_kode, b.data)).collect()
}

#[tokio::test]
async fn generate_mengisi_setiap_desa_dengan_perangkat_tersimpan_yang_valid() {
    let t = spawn_app().await;
    let h = bangkit::bangkitkan(&t.db, &t.state.simpanan, opsi(3, 7), unix_now())
        .await
        .unwrap();
    assert_eq!((h.desa, h.perangkat), (24, 72));

    // Every official as the workflow leaves it after "Sesuai — Simpan".
    assert_eq!(
        t.jumlah("SELECT COUNT(*) FROM perangkat WHERE status = 'tersimpan' AND versi = 3")
            .await,
        72
    );
    assert_eq!(
        t.jumlah("SELECT COUNT(*) FROM perangkat_tersimpan WHERE versi = 3")
            .await,
        72
    );
    assert_eq!(t.jumlah("SELECT COUNT(*) FROM perubahan").await, 72);
    assert_eq!(t.jumlah("SELECT COUNT(DISTINCT perangkat_id) FROM perubahan").await, 72);
    assert_eq!(
        t.jumlah(
            "SELECT COUNT(*) FROM dokumen k JOIN perangkat_tersimpan s ON s.perangkat_id = k.perangkat_id
             WHERE k.jenis = 'sk_pengangkatan' AND s.dokumen_terakhir = k.id"
        )
        .await,
        72
    );
    assert_eq!(t.jumlah("SELECT COUNT(DISTINCT sha256) FROM dokumen").await, 1);
    for aksi in ["dibuat", "dokumen_diunggah", "disimpan"] {
        let n: i64 = sipkatdes::read!(t.db, c => {
            sqlx::query_scalar("SELECT COUNT(DISTINCT perangkat_id) FROM riwayat WHERE aksi = $1")
                .bind(aksi)
                .fetch_one(c)
                .await
                .unwrap()
        });
        assert_eq!(n, 72, "riwayat {aksi}");
    }
    // One summary audit event, not three per official.
    assert_eq!(
        t.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'perangkat_dibangkitkan'")
            .await,
        1
    );
    assert_eq!(
        t.jumlah("SELECT COUNT(*) FROM audit WHERE aksi IN ('perangkat_dibuat', 'perangkat_disimpan')")
            .await,
        0
    );

    // The saved version is the working one, and passes the application's own validation.
    let kerja = isi(&t, "perangkat").await;
    let simpan = isi(&t, "perangkat_tersimpan").await;
    assert_eq!(kerja, simpan);
    let admin = sipkatdes::akun::Akun::sistem("uji");
    let hari_ini = time::OffsetDateTime::now_utc().date();
    let mut nik = std::collections::HashSet::new();
    for (_, desa_kode, d) in &kerja {
        let desa = sipkatdes::desa::ambil(&t.db, &admin, desa_kode).await.unwrap();
        let k = Konteks {
            desa: &desa,
            dusun: &[],
            hari_ini,
        };
        assert_eq!(d.validasi(&k).as_ref(), Ok(d), "{desa_kode} {}", d.nama);
        assert!(d.nik.starts_with(&desa.kecamatan_kode.replace('.', "")), "{}", d.nik);
        assert!(nik.insert(d.nik.clone()), "NIK twice: {}", d.nik);
    }
    // The first three positions of every desa: Kepala Desa, Sekretaris Desa, a Kaur.
    let jabatan: Vec<&str> = kerja.iter().take(3).map(|(_, _, d)| d.jabatan.as_str()).collect();
    assert_eq!(jabatan, ["kepala_desa", "sekretaris_desa", "kaur_tu_umum"]);

    // The application works on them: the kecamatan sees them in the feed and on the dashboard.
    t.pengguna("kec.halong", "kecamatan", HALONG).await;
    t.pengguna("operator.a", "operator", DESA_A).await;
    let kec = Api::baru(&t, "kec.halong").await;
    let umpan = kec.json("/api/v1/sinkronisasi?batas=1000").await;
    assert_eq!(umpan["perubahan"].as_array().unwrap().len(), 72);
    let dasbor = kec.json("/api/v1/dasbor").await;
    assert_eq!(dasbor["total"]["aktif"], 72);
    assert_eq!(dasbor["total"]["sk_lengkap"], 100);

    // The operator changes one and saves it again through the check: every rule holds.
    let op = Api::baru(&t, "operator.a").await;
    let (id, _, d) = kerja.iter().find(|(_, k, _)| k == DESA_A).unwrap();
    let mut ubah = serde_json::to_value(d).unwrap();
    ubah["alamat"] = json!("RT 001 RW 002, Desa Hauwai (pindah)");
    ubah["versi"] = json!(3);
    let r = op.put(&format!("/api/v1/perangkat/{id}"), &ubah).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = op
        .post(
            &format!("/api/v1/perangkat/{id}/pemeriksaan"),
            &json!({ "sesuai": true, "versi": 4 }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "tersimpan");
    // Its SK is the shared document, readable by the operator.
    let rinci = op.json(&format!("/api/v1/perangkat/{id}")).await;
    let dok = &rinci["dokumen"][0];
    let pdf = op
        .get(&format!("/api/v1/dokumen/{}", dok["id"]))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(hex_lower(&sha2_256(&pdf)), h.sha256_sk);

    // A second run is refused: the register already has officials.
    let e = bangkit::bangkitkan(&t.db, &t.state.simpanan, opsi(3, 7), unix_now())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("sudah berisi"), "{e}");
}

fn sha2_256(b: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(b).to_vec()
}

#[tokio::test]
async fn generate_sama_untuk_seed_yang_sama() {
    let a = spawn_app().await;
    let b = spawn_app().await;
    let c = spawn_app().await;
    for (t, seed) in [(&a, 11), (&b, 11), (&c, 12)] {
        bangkit::bangkitkan(&t.db, &t.state.simpanan, opsi(3, seed), unix_now())
            .await
            .unwrap();
    }
    let (ia, ib, ic) = (
        isi(&a, "perangkat_tersimpan").await,
        isi(&b, "perangkat_tersimpan").await,
        isi(&c, "perangkat_tersimpan").await,
    );
    assert_eq!(ia.len(), 72);
    assert_eq!(ia, ib);
    assert_ne!(ia, ic);
}

#[tokio::test]
async fn generate_menolak_jumlah_di_luar_batas() {
    let t = spawn_app().await;
    for n in [0, 101] {
        assert!(
            bangkit::bangkitkan(&t.db, &t.state.simpanan, opsi(n, 1), unix_now())
                .await
                .is_err()
        );
    }
    assert_eq!(t.jumlah("SELECT COUNT(*) FROM perangkat").await, 0);
}

/// On PostgreSQL the load drops the secondary indexes and builds them again at its end (issue
/// 16: a national load in minutes): afterwards every index is there as the migrations made it,
/// and the search and scope queries that use them find the generated officials.
#[tokio::test]
async fn generate_meninggalkan_setiap_indeks_seperti_semula() {
    let t = spawn_app().await;
    let indeks = async || -> Vec<(String, String)> {
        if t.db_url.is_none() {
            return sipkatdes::read!(t.db, c => {
                sqlx::query_as("SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name")
                    .fetch_all(c)
                    .await
                    .unwrap()
            });
        }
        sipkatdes::read!(t.db, c => {
            sqlx::query_as("SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname")
                .fetch_all(c)
                .await
                .unwrap()
        })
    };
    let sebelum = indeks().await;
    assert!(sebelum.len() > 10, "{sebelum:?}");
    bangkit::bangkitkan(&t.db, &t.state.simpanan, opsi(3, 7), unix_now())
        .await
        .unwrap();
    assert_eq!(indeks().await, sebelum);
    // A search by a name's trigram still finds the generated official.
    let nama: String = sipkatdes::read!(t.db, c => {
        sqlx::query_scalar("SELECT nama FROM perangkat_tersimpan ORDER BY perangkat_id LIMIT 1").fetch_one(c).await.unwrap()
    });
    t.pengguna("kec", "kecamatan", HALONG).await;
    let kec = Api::baru(&t, "kec").await;
    let v = kec
        .json(&format!(
            "/api/v1/perangkat?cari={}",
            nama.chars().take(8).collect::<String>()
        ))
        .await;
    assert!(v["total"].as_i64().unwrap() >= 1, "{v}");
}
