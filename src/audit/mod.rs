//! The append-only, tamper-evident audit log. Every change writes its event in the same
//! transaction as the change itself; the database refuses UPDATE and DELETE on the table, and
//! every entry is chained to the one before it by SHA-256, so an entry changed, removed or
//! inserted behind the application's back breaks the chain (`sipkatdes audit verify`).
//!
//! The chain: `hash(n) = SHA-256(hash(n-1) ‖ id ‖ waktu ‖ pengguna_id ‖ username ‖ aksi ‖
//! objek ‖ rincian)`, each field length-prefixed; the first entry's predecessor is the empty
//! string. Entries are written one at a time (SQLite has one writer; on PostgreSQL every write
//! transaction takes the same transaction lock first, see [`crate::db::Db::begin`]), so ids
//! follow the chain.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::{Db, Tx};
use crate::id::AkunId;

/// Declares [`Aksi`]: one variant per audited action, with the text stored in `audit.aksi`
/// (and hashed into the chain: it never changes for an existing action).
macro_rules! aksi {
    ($($(#[$doc:meta])* $v:ident => $teks:literal,)+) => {
        /// An audited action. The stored text is [`Aksi::kode`]; an unknown stored text is an
        /// error ([`Aksi::parse`] gives `None`), never a default.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Aksi {
            $($(#[$doc])* $v,)+
        }

        impl Aksi {
            /// Every action, in the order declared.
            pub const SEMUA: &'static [Aksi] = &[$(Aksi::$v,)+];

            /// The text stored in the audit log.
            pub fn kode(self) -> &'static str {
                match self {
                    $(Aksi::$v => $teks,)+
                }
            }

            pub fn parse(s: &str) -> Option<Aksi> {
                match s {
                    $($teks => Some(Aksi::$v),)+
                    _ => None,
                }
            }
        }
    };
}

aksi! {
    InstansiDisiapkan => "instansi_disiapkan",
    DesaDiubah => "desa_diubah",
    PenggunaDibuat => "pengguna_dibuat",
    PenggunaDiubah => "pengguna_diubah",
    PenggunaDiaktifkan => "pengguna_diaktifkan",
    PenggunaDinonaktifkan => "pengguna_dinonaktifkan",
    SandiDiubah => "sandi_diubah",
    SandiDireset => "sandi_direset",
    UbahSandiGagal => "ubah_sandi_gagal",
    Masuk => "masuk",
    MasukGagal => "masuk_gagal",
    MasukNonaktif => "masuk_nonaktif",
    Keluar => "keluar",
    TokenDibuat => "token_dibuat",
    TokenDicabut => "token_dicabut",
    NikDesaLain => "nik_desa_lain",
    PerangkatDibuat => "perangkat_dibuat",
    PerangkatDiubah => "perangkat_diubah",
    PerangkatDisimpan => "perangkat_disimpan",
    PemeriksaanTidakSesuai => "pemeriksaan_tidak_sesuai",
    RevisiDibatalkan => "revisi_dibatalkan",
    DrafDihapus => "draf_dihapus",
    PerangkatDimutasi => "perangkat_dimutasi",
    PerangkatDiverifikasi => "perangkat_diverifikasi",
    PerangkatDikembalikan => "perangkat_dikembalikan",
    PerangkatDibangkitkan => "perangkat_dibangkitkan",
    DokumenDiunggah => "dokumen_diunggah",
    DokumenDiunduh => "dokumen_diunduh",
    LaporanDibuat => "laporan_dibuat",
    LaporanDiganti => "laporan_diganti",
    LaporanDiterima => "laporan_diterima",
    LaporanDitolak => "laporan_ditolak",
    LaporanDiunduh => "laporan_diunduh",
    LaporanPratinjau => "laporan_pratinjau",
    EksporPerangkat => "ekspor_perangkat",
    RekapDiunduh => "rekap_diunduh",
    RegisterPublikDiatur => "register_publik_diatur",
    FotoPublikDiatur => "foto_publik_diatur",
    RekomendasiDiajukan => "rekomendasi_diajukan",
    RekomendasiDiajukanUlang => "rekomendasi_diajukan_ulang",
    RekomendasiDokumenDiunggah => "rekomendasi_dokumen_diunggah",
    RekomendasiDokumenDiunduh => "rekomendasi_dokumen_diunduh",
    RekomendasiDikembalikan => "rekomendasi_dikembalikan",
    RekomendasiDisetujui => "rekomendasi_disetujui",
    RekomendasiDitolak => "rekomendasi_ditolak",
    RekomendasiDiunduh => "rekomendasi_diunduh",
    PengaturanKecamatanDiubah => "pengaturan_kecamatan_diubah",
    HariLiburDitambah => "hari_libur_ditambah",
    HariLiburDihapus => "hari_libur_dihapus",
    KalenderDibuat => "kalender_dibuat",
    KalenderDicabut => "kalender_dicabut",
}

impl std::fmt::Display for Aksi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kode())
    }
}

/// Who did it: a user, or the system (command line, set-up).
#[derive(Clone, Debug)]
pub struct Pelaku {
    pub pengguna_id: Option<AkunId>,
    pub username: String,
}

impl Pelaku {
    pub fn sistem() -> Self {
        Pelaku {
            pengguna_id: None,
            username: "sistem".into(),
        }
    }
}

/// One entry's fields, as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Entri {
    pub id: i64,
    pub waktu: i64,
    pub pengguna_id: Option<i64>,
    pub username: String,
    pub aksi: String,
    pub objek: String,
    pub rincian: String,
    pub hash: String,
}

/// The chain hash of an entry whose predecessor's hash is `sebelum`.
pub fn hash_entri(sebelum: &str, e: &Entri) -> String {
    let mut h = Sha256::new();
    let id = e.id.to_string();
    let waktu = e.waktu.to_string();
    let pengguna = e.pengguna_id.map(|p| p.to_string()).unwrap_or_default();
    for bagian in [
        sebelum,
        id.as_str(),
        waktu.as_str(),
        pengguna.as_str(),
        &e.username,
        &e.aksi,
        &e.objek,
        &e.rincian,
    ] {
        h.update((bagian.len() as u64).to_be_bytes());
        h.update(bagian.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Writes one audit event inside `tx`. `rincian` must never hold a password, a token or a NIK.
pub async fn catat(
    tx: &mut Tx,
    waktu: i64,
    pelaku: &Pelaku,
    aksi: Aksi,
    objek: &str,
    rincian: Value,
) -> Result<(), sqlx::Error> {
    // `tx` comes from `Db::begin`, which has taken the writers' lock: the chain stays in id order.
    let akhir: Option<(i64, String)> = crate::tx!(tx, c => {
        sqlx::query_as("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
            .fetch_optional(c)
            .await?
    });
    let (id_akhir, sebelum) = akhir.unwrap_or((0, String::new()));
    let mut e = Entri {
        id: id_akhir + 1,
        waktu,
        pengguna_id: pelaku.pengguna_id.map(|a| a.0),
        username: pelaku.username.clone(),
        aksi: aksi.to_string(),
        objek: objek.to_string(),
        rincian: rincian.to_string(),
        hash: String::new(),
    };
    e.hash = hash_entri(&sebelum, &e);
    crate::tx!(tx, c => {
        sqlx::query(
            "INSERT INTO audit (id, waktu, pengguna_id, username, aksi, objek, rincian, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(e.id)
        .bind(e.waktu)
        .bind(e.pengguna_id)
        .bind(&e.username)
        .bind(&e.aksi)
        .bind(&e.objek)
        .bind(&e.rincian)
        .bind(&e.hash)
        .execute(c)
        .await?;
    });
    Ok(())
}

/// What `sipkatdes audit verify` found.
#[derive(Debug, PartialEq, Eq)]
pub enum HasilPeriksa {
    /// Every link holds. `sebelum_rantai`: entries written before the chain existed (migration
    /// 6); `hash_akhir`: the last entry's hash, worth writing down elsewhere, since removing
    /// entries at the very end leaves no broken link behind.
    Utuh {
        jumlah: u64,
        sebelum_rantai: u64,
        id_akhir: Option<i64>,
        hash_akhir: String,
    },
    /// The first entry whose stored hash does not follow from its predecessor and its own fields.
    Putus {
        id: i64,
        waktu: i64,
        aksi: String,
        alasan: String,
    },
}

/// Walks the whole log in id order and recomputes every link.
pub async fn periksa(db: &Db) -> Result<HasilPeriksa, sqlx::Error> {
    const HALAMAN: i64 = 5_000;
    let mut sebelum = String::new();
    let mut id_sebelum: Option<i64> = None;
    let mut jumlah = 0u64;
    let mut sebelum_rantai = 0u64;
    let mut berantai = false;
    loop {
        let dari = id_sebelum.unwrap_or(i64::MIN);
        let baris: Vec<Entri> = crate::read!(db, c => {
            sqlx::query_as(
                "SELECT id, waktu, pengguna_id, username, aksi, objek, rincian, hash FROM audit
                 WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(dari)
            .bind(HALAMAN)
            .fetch_all(c)
            .await?
        });
        let habis = (baris.len() as i64) < HALAMAN;
        for e in baris {
            let putus = |alasan: &str| HasilPeriksa::Putus {
                id: e.id,
                waktu: e.waktu,
                aksi: e.aksi.clone(),
                alasan: alasan.to_string(),
            };
            if e.hash.is_empty() {
                if berantai {
                    return Ok(putus("entri tanpa hash setelah rantai dimulai"));
                }
                sebelum_rantai += 1;
            } else {
                if berantai && id_sebelum.is_some_and(|p| e.id != p + 1) {
                    return Ok(putus(
                        "nomor entri tidak berurutan: ada entri yang hilang sebelum entri ini",
                    ));
                }
                if hash_entri(&sebelum, &e) != e.hash {
                    return Ok(putus(
                        "hash tidak cocok: entri ini atau entri sebelumnya diubah, dihapus, atau disisipkan",
                    ));
                }
                berantai = true;
                sebelum = e.hash.clone();
            }
            id_sebelum = Some(e.id);
            jumlah += 1;
        }
        if habis {
            break;
        }
    }
    Ok(HasilPeriksa::Utuh {
        jumlah,
        sebelum_rantai,
        id_akhir: id_sebelum,
        hash_akhir: sebelum,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entri(id: i64, rincian: &str) -> Entri {
        Entri {
            id,
            waktu: 1_700_000_000,
            pengguna_id: Some(3),
            username: "operator".into(),
            aksi: "perangkat_simpan".into(),
            objek: "perangkat:1".into(),
            rincian: rincian.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn hash_bergantung_pada_setiap_bagian_dan_pendahulunya() {
        let a = hash_entri("", &entri(1, "{}"));
        assert_eq!(a.len(), 64);
        assert_eq!(a, hash_entri("", &entri(1, "{}")));
        assert_ne!(a, hash_entri("", &entri(2, "{}")));
        assert_ne!(a, hash_entri("", &entri(1, "{ }")));
        assert_ne!(a, hash_entri("x", &entri(1, "{}")));
        // Length prefixes: moving a character from one field to the next changes the hash.
        let mut b = entri(1, "{}");
        b.username = "operato".into();
        b.aksi = "rperangkat_simpan".into();
        assert_ne!(a, hash_entri("", &b));
        let mut c = entri(1, "{}");
        c.pengguna_id = None;
        assert_ne!(a, hash_entri("", &c));
    }
}
