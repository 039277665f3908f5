//! Verification by the kecamatan (SOP step 8): a saved record is marked "Terverifikasi
//! Kecamatan", or returned to the desa with a note — the operator sees the note and the record
//! goes through the check against the SK again. Until the desa saves it again, the saved
//! version stays what reports and the kecamatan see.

use serde::Serialize;
use serde_json::json;

use super::{catat_riwayat, konflik};
use crate::akun::{Akun, Peran};
use crate::audit;
use crate::db::Db;
use crate::error::{AppError, Hasil};

/// Who verifies: the kecamatan staff and the admin (the kabupaten role only reads).
pub fn boleh_verifikasi(akun: &Akun) -> bool {
    matches!(akun.peran, Peran::Kecamatan | Peran::Admin)
}

/// The kecamatan's view of a record's state.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct StatusVerifikasi {
    pub perangkat_id: i64,
    pub desa_kode: String,
    /// Workflow status of the working row (`tersimpan` when nothing waits for the check).
    pub status: String,
    pub versi: i64,
    pub dikembalikan: bool,
    pub catatan_pemeriksaan: String,
    pub verifikasi_oleh: String,
    pub verifikasi_pada: Option<i64>,
}

impl StatusVerifikasi {
    pub fn terverifikasi(&self) -> bool {
        self.verifikasi_pada.is_some()
    }
}

/// The verification state of a saved record in the user's scope (404 when there is none).
pub async fn status(db: &Db, akun: &Akun, id: i64) -> Hasil<StatusVerifikasi> {
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, StatusVerifikasi>(
            "SELECT t.perangkat_id, t.desa_kode, p.status, p.versi, p.dikembalikan, p.catatan_pemeriksaan,
                    t.verifikasi_oleh, t.verifikasi_pada
             FROM perangkat_tersimpan t JOIN perangkat p ON p.id = t.perangkat_id
             WHERE t.perangkat_id = $1 AND t.desa_kode LIKE $2",
        )
        .bind(id)
        .bind(akun.pola_cakupan())
        .fetch_optional(c)
        .await?
    });
    row.ok_or(AppError::TidakDitemukan)
}

/// Marks the saved record verified (`terverifikasi`) or returns it to the desa with a note.
pub async fn verifikasi(
    db: &Db,
    akun: &Akun,
    id: i64,
    terverifikasi: bool,
    catatan: &str,
    sekarang: i64,
) -> Hasil<StatusVerifikasi> {
    let s = status(db, akun, id).await?;
    if !boleh_verifikasi(akun) {
        return Err(AppError::Terlarang);
    }
    let catatan = catatan.split_whitespace().collect::<Vec<_>>().join(" ");
    if catatan.chars().count() > 500 {
        return Err(AppError::Validasi(vec![(
            "catatan",
            format!(
                "Catatan paling banyak 500 karakter (sekarang {}).",
                catatan.chars().count()
            ),
        )]));
    }
    let mut tx = db.begin().await?;
    if terverifikasi {
        if s.dikembalikan {
            return Err(AppError::Konflik(
                "Data ini sudah dikembalikan ke desa; verifikasi setelah desa memeriksa dan menyimpannya kembali."
                    .into(),
            ));
        }
        if s.terverifikasi() {
            return Err(AppError::Konflik("Data ini sudah terverifikasi.".into()));
        }
        let n = crate::tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE perangkat_tersimpan SET verifikasi_oleh = $1, verifikasi_pada = $2
                 WHERE perangkat_id = $3 AND verifikasi_pada IS NULL",
            )
            .bind(&akun.username)
            .bind(sekarang)
            .bind(id)
            .execute(c)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Err(konflik());
        }
        catat_riwayat(&mut tx, id, sekarang, akun, "diverifikasi", &catatan, &[]).await?;
        audit::catat(
            &mut tx,
            sekarang,
            &akun.pelaku(),
            "perangkat_diverifikasi",
            &format!("perangkat:{id}"),
            json!({}),
        )
        .await?;
    } else {
        if catatan.is_empty() {
            return Err(AppError::Validasi(vec![(
                "catatan",
                "Tuliskan apa yang harus diperiksa atau diperbaiki desa.".into(),
            )]));
        }
        let n = crate::tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE perangkat SET status = 'perlu_perbaikan', dikembalikan = TRUE, catatan_pemeriksaan = $1,
                        versi = versi + 1, diubah_pada = $2
                 WHERE id = $3 AND versi = $4",
            )
            .bind(&catatan)
            .bind(sekarang)
            .bind(id)
            .bind(s.versi)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Err(konflik());
        }
        if s.terverifikasi() {
            crate::tx!(&mut tx, c => {
                sqlx::query("UPDATE perangkat_tersimpan SET verifikasi_oleh = '', verifikasi_pada = NULL WHERE perangkat_id = $1")
                    .bind(id)
                    .execute(c)
                    .await?;
            });
        }
        catat_riwayat(&mut tx, id, sekarang, akun, "dikembalikan_kecamatan", &catatan, &[]).await?;
        audit::catat(
            &mut tx,
            sekarang,
            &akun.pelaku(),
            "perangkat_dikembalikan",
            &format!("perangkat:{id}"),
            json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    status(db, akun, id).await
}
