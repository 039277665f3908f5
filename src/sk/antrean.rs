//! The reading queue, kept in the database (`sk_bacaan`): it survives a restart and is shared by
//! every server process on one database.
//!
//! - **Enqueue**: an upload of an SK pengangkatan inserts a `menunggu` row for its SHA-256 if
//!   none exists (the same content is read once); a slow sweep also enqueues any SK that reached
//!   the database another way (the demo's set-up, a restore, an older binary).
//! - **Claim**: one conditional `UPDATE … RETURNING` takes the oldest job that is waiting, or
//!   whose lease has run out (its process died); it counts the attempt. `percobaan` is also the
//!   job's fencing token: every later write of the worker names it, so a worker whose lease was
//!   taken over writes nothing.
//! - **Lease**: `diklaim_pada`, renewed by every page of progress and by a heartbeat while the
//!   job runs. A job claimed [`MAKS_PERCOBAAN`] times without finishing ends `gagal`.
//! - **Workers**: `n` tasks (by default half the cores, at least one, never all), each reading
//!   one file at a time in `spawn_blocking`, woken by an upload ([`Antrean::bangunkan`]) or by a
//!   slow poll; they stop when told to (graceful shutdown), putting an unfinished job back.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;

use super::baca::{GagalBaca, Pembaca};
use super::{PEMISAH_HALAMAN, Sumber, hasil};
use crate::db::Db;
use crate::dokumen::{self, Penyimpanan};
use crate::error::Hasil;
use crate::waktu::Clock;

/// A job claimed this many times without finishing is given up (`gagal`).
pub const MAKS_PERCOBAAN: i64 = 3;
/// A claimed job whose lease was not renewed for this long is taken again.
pub const MASA_SEWA: i64 = 120;
/// How often a running job renews its lease.
const DETAK: Duration = Duration::from_secs(20);
/// How often idle workers look at the table (besides being woken by an upload).
const JEDA_POLL: Duration = Duration::from_secs(15);
/// The longest one reading may take, whatever the reader's own limits.
const BATAS_TOTAL: Duration = Duration::from_secs(20 * 60);

/// The number of workers by default: half the cores, at least one.
pub fn pekerja_bawaan() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get() / 2)
        .unwrap_or(1)
        .max(1)
}

/// The queue's handle in the application state: wakes the workers.
#[derive(Clone, Debug, Default)]
pub struct Antrean {
    bangun: Arc<Notify>,
}

impl Antrean {
    pub fn baru() -> Antrean {
        Antrean::default()
    }

    /// Wakes a sleeping worker (after an upload).
    pub fn bangunkan(&self) {
        self.bangun.notify_one();
    }

    /// Starts `jumlah` workers; they run until [`Pekerja::hentikan`].
    pub async fn mulai(
        &self,
        db: Db,
        simpanan: Penyimpanan,
        pembaca: Pembaca,
        clock: Clock,
        jumlah: usize,
    ) -> Hasil<Pekerja> {
        let (henti_tx, henti_rx) = watch::channel(false);
        if jumlah == 0 {
            return Ok(Pekerja {
                henti: henti_tx,
                tugas: Vec::new(),
            });
        }
        let sekarang = clock.now();
        // OCR may have been installed since: readings that needed it are tried again.
        let ocr = {
            let p = pembaca.clone();
            tokio::task::spawn_blocking(move || p.ocr_tersedia())
                .await
                .unwrap_or(false)
        };
        if ocr {
            let mut tx = db.begin().await?;
            crate::tx!(&mut tx, c => {
                sqlx::query("UPDATE sk_bacaan SET status = 'menunggu', percobaan = 0, pesan = '' WHERE status = 'tidak_tersedia'")
                    .execute(c)
                    .await?;
            });
            // Scans read by an older reader are read again, in the background like a new upload.
            crate::tx!(&mut tx, c => {
                sqlx::query(
                    "UPDATE sk_bacaan SET status = 'menunggu', percobaan = 0, pesan = '', halaman_selesai = 0
                     WHERE status = 'selesai' AND sumber = 'ocr' AND pembaca <> $1",
                )
                .bind(super::baca::VERSI)
                .execute(c)
                .await?;
            });
            tx.commit().await?;
        }
        sapu(&db, sekarang).await?;
        let konteks = Arc::new(Konteks {
            db,
            simpanan,
            pembaca,
            clock,
            bangun: self.bangun.clone(),
        });
        let tugas = (0..jumlah)
            .map(|_| tokio::spawn(kerja(konteks.clone(), henti_rx.clone())))
            .collect();
        tracing::info!(pekerja = jumlah, ocr, "antrean pembacaan SK berjalan");
        Ok(Pekerja { henti: henti_tx, tugas })
    }
}

/// The running workers.
pub struct Pekerja {
    henti: watch::Sender<bool>,
    tugas: Vec<JoinHandle<()>>,
}

impl Pekerja {
    /// Tells the workers to stop and waits for them (an unfinished job goes back to the queue).
    pub async fn hentikan(self) {
        let _ = self.henti.send(true);
        for t in self.tugas {
            let _ = tokio::time::timeout(Duration::from_secs(10), t).await;
        }
    }
}

struct Konteks {
    db: Db,
    simpanan: Penyimpanan,
    pembaca: Pembaca,
    clock: Clock,
    bangun: Arc<Notify>,
}

/// Enqueues the reading of an SK's content (nothing when it is already known).
pub async fn antre(db: &Db, sha256: &str, sekarang: i64) -> Hasil<()> {
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO sk_bacaan (sha256, status, dibuat_pada) VALUES ($1, 'menunggu', $2) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(sekarang)
        .execute(c)
        .await?;
    });
    tx.commit().await?;
    Ok(())
}

/// Enqueues every SK pengangkatan that has no reading yet.
pub async fn sapu(db: &Db, sekarang: i64) -> Hasil<u64> {
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO sk_bacaan (sha256, status, dibuat_pada)
             SELECT k.sha256, 'menunggu', MIN(k.diunggah_pada) FROM dokumen k
             WHERE k.jenis = 'sk_pengangkatan' AND NOT EXISTS (SELECT 1 FROM sk_bacaan b WHERE b.sha256 = k.sha256)
             GROUP BY k.sha256",
        )
        .execute(c)
        .await?
        .rows_affected()
    });
    tx.commit().await?;
    if n > 0 {
        tracing::info!(jumlah = n, sekarang, "SK tanpa bacaan dimasukkan ke antrean");
    }
    Ok(n)
}

/// A claimed job.
#[derive(Debug, sqlx::FromRow)]
pub struct Tugas {
    pub sha256: String,
    /// The attempt: the job's fencing token.
    pub percobaan: i64,
}

/// Claims the oldest job that waits or whose lease ran out. Jobs claimed too often end `gagal`.
pub async fn klaim(db: &Db, sekarang: i64) -> Hasil<Option<Tugas>> {
    let kedaluwarsa = sekarang - MASA_SEWA;
    let mut tx = db.begin().await?;
    let t: Option<Tugas> = crate::tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE sk_bacaan SET status = 'gagal', selesai_pada = $1,
pesan = $4
             WHERE status = 'diproses' AND diklaim_pada < $2 AND percobaan >= $3",
        )
        .bind(sekarang)
        .bind(kedaluwarsa)
        .bind(MAKS_PERCOBAAN)
        .bind(PESAN_BERULANG)
        .execute(&mut *c)
        .await?;
        sqlx::query_as(
            "UPDATE sk_bacaan SET status = 'diproses', percobaan = percobaan + 1, diklaim_pada = $1,
                    halaman_selesai = 0, halaman_total = 0
             WHERE sha256 = (SELECT b.sha256 FROM sk_bacaan b
                             WHERE b.status = 'menunggu' OR (b.status = 'diproses' AND b.diklaim_pada < $2)
                             ORDER BY b.dibuat_pada, b.sha256 LIMIT 1)
               AND (status = 'menunggu' OR (status = 'diproses' AND diklaim_pada < $2))
             RETURNING sha256, percobaan",
        )
        .bind(sekarang)
        .bind(kedaluwarsa)
        .fetch_optional(&mut *c)
        .await?
    });
    tx.commit().await?;
    Ok(t)
}

/// Runs one `UPDATE` of this worker's job (`$1` sha256, `$2` attempt, then the given binds)
/// in a write transaction; true when the job was still this worker's.
macro_rules! milik {
    ($db:expr, $t:expr, $set:literal $(, $v:expr)*) => {{
        let mut tx = $db.begin().await?;
        let n = crate::tx!(&mut tx, c => {
            sqlx::query(concat!(
                "UPDATE sk_bacaan SET ", $set,
                " WHERE sha256 = $1 AND status = 'diproses' AND percobaan = $2"
            ))
            .bind(&$t.sha256)
            .bind($t.percobaan)
            $(.bind($v))*
            .execute(c)
            .await?
            .rows_affected()
        });
        tx.commit().await?;
        Ok::<bool, crate::error::AppError>(n > 0)
    }};
}

async fn kemajuan(db: &Db, t: &Tugas, sekarang: i64, selesai: usize, total: usize) -> Hasil<bool> {
    milik!(
        db,
        t,
        "diklaim_pada = $3, halaman_selesai = $4, halaman_total = $5",
        sekarang,
        selesai as i64,
        total as i64
    )
}

async fn detak(db: &Db, t: &Tugas, sekarang: i64) -> Hasil<bool> {
    milik!(db, t, "diklaim_pada = $3", sekarang)
}

async fn selesai(db: &Db, t: &Tugas, sekarang: i64, sumber: Sumber, halaman: &[String]) -> Hasil<bool> {
    // NUL never goes into a PostgreSQL text column.
    let teks = halaman.join(&PEMISAH_HALAMAN.to_string()).replace('\0', "");
    let n = halaman.len() as i64;
    milik!(
        db,
        t,
        "status = 'selesai', selesai_pada = $3, halaman_selesai = $4, halaman_total = $4, teks = $5, sumber = $6, pesan = '', pembaca = $7",
        sekarang,
        n,
        teks,
        sumber.kode(),
        super::baca::VERSI
    )
}

async fn akhiri(db: &Db, t: &Tugas, sekarang: i64, status: &'static str, pesan: &str) -> Hasil<bool> {
    milik!(
        db,
        t,
        "status = $3, selesai_pada = $4, pesan = $5",
        status,
        sekarang,
        pesan
    )
}

const PESAN_BERULANG: &str = "Pembacaan SK terhenti berulang kali sebelum selesai; periksa SK secara manual.";

/// Puts a job back (shutdown, or an attempt that broke off): waiting again, or `gagal` after the
/// last attempt.
async fn kembalikan(db: &Db, t: &Tugas, sekarang: i64, hitung: bool) -> Hasil<bool> {
    if hitung && t.percobaan >= MAKS_PERCOBAAN {
        return akhiri(db, t, sekarang, "gagal", PESAN_BERULANG).await;
    }
    if hitung {
        milik!(
            db,
            t,
            "status = 'menunggu', diklaim_pada = NULL, halaman_selesai = 0, halaman_total = 0"
        )
    } else {
        // Not the job's fault (the server stops): the attempt does not count.
        milik!(
            db,
            t,
            "status = 'menunggu', diklaim_pada = NULL, halaman_selesai = 0, halaman_total = 0, percobaan = percobaan - 1"
        )
    }
}

/// One worker: claim, read, write, compare; sleep when there is nothing to do.
async fn kerja(k: Arc<Konteks>, mut henti: watch::Receiver<bool>) {
    loop {
        if *henti.borrow() {
            return;
        }
        let tugas = match klaim(&k.db, k.clock.now()).await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(galat = %e, "antrean SK: klaim gagal");
                None
            }
        };
        let Some(t) = tugas else {
            tokio::select! {
                _ = k.bangun.notified() => {}
                _ = tokio::time::sleep(JEDA_POLL) => {
                    if let Err(e) = sapu(&k.db, k.clock.now()).await {
                        tracing::warn!(galat = %e, "antrean SK: penyapuan gagal");
                    }
                }
                _ = henti.changed() => return,
            }
            continue;
        };
        // Another job may wait: let a sleeping colleague look.
        k.bangun.notify_one();
        if let Err(e) = kerjakan(&k, &t, &mut henti).await {
            tracing::warn!(galat = %e, sha256 = %t.sha256, "antrean SK: tugas gagal ditulis");
        }
    }
}

async fn kerjakan(k: &Konteks, t: &Tugas, henti: &mut watch::Receiver<bool>) -> Hasil<()> {
    let db = &k.db;
    let isi = match k.simpanan.baca(&t.sha256).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(galat = %e, sha256 = %t.sha256, "berkas SK tidak dapat dibaca dari penyimpanan");
            akhiri(
                db,
                t,
                k.clock.now(),
                "gagal",
                "Berkas SK tidak ditemukan di penyimpanan.",
            )
            .await?;
            return Ok(());
        }
    };
    let Some(jenis) = dokumen::kenali(&isi) else {
        akhiri(db, t, k.clock.now(), "gagal", "Berkas SK bukan PDF, JPEG atau PNG.").await?;
        return Ok(());
    };
    let (tx_maju, mut rx_maju) = mpsc::unbounded_channel::<(usize, usize)>();
    let pembaca = k.pembaca.clone();
    let mut tugas = tokio::task::spawn_blocking(move || {
        pembaca.baca(&isi, jenis, &mut |a, b| {
            let _ = tx_maju.send((a, b));
        })
    });
    let mut detak_jam = tokio::time::interval(DETAK);
    detak_jam.tick().await;
    let batas = tokio::time::sleep(BATAS_TOTAL);
    tokio::pin!(batas);
    let hasil = loop {
        tokio::select! {
            r = &mut tugas => break r,
            Some((a, b)) = rx_maju.recv() => {
                if !kemajuan(db, t, k.clock.now(), a, b).await? {
                    // The lease was taken over: this reading is no longer ours.
                    return Ok(());
                }
            }
            _ = detak_jam.tick() => {
                if !detak(db, t, k.clock.now()).await? {
                    return Ok(());
                }
            }
            _ = &mut batas => {
                akhiri(db, t, k.clock.now(), "gagal", "Membaca SK melewati batas waktu.").await?;
                return Ok(());
            }
            _ = henti.changed() => {
                kembalikan(db, t, k.clock.now(), false).await?;
                return Ok(());
            }
        }
    };
    let sekarang = k.clock.now();
    match hasil {
        Ok(Ok(teks)) => {
            if selesai(db, t, sekarang, teks.sumber, &teks.halaman).await? {
                hasil::hitung_untuk_sha(db, &t.sha256, sekarang).await?;
            }
        }
        Ok(Err(GagalBaca::TidakTersedia(pesan))) => {
            akhiri(db, t, sekarang, "tidak_tersedia", &pesan).await?;
        }
        Ok(Err(GagalBaca::Gagal(pesan))) => {
            // The reader judged the file (corrupt, too large, too slow): reading it again would
            // end the same way.
            akhiri(db, t, sekarang, "gagal", &pesan).await?;
        }
        Err(e) => {
            // The reader panicked: another attempt, up to the last.
            tracing::warn!(galat = %e, sha256 = %t.sha256, "pembaca SK berhenti tiba-tiba");
            kembalikan(db, t, sekarang, true).await?;
        }
    }
    Ok(())
}
