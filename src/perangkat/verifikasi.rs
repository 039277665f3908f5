//! Verification by the kecamatan (SOP step 8): a saved record is marked "Terverifikasi
//! Kecamatan", or returned to the desa with a note — the operator sees the note and the record
//! goes through the check against the SK again. Until the desa saves it again, the saved
//! version stays what reports and the kecamatan see.

use serde::Serialize;
use serde_json::json;

use super::kode::StatusAlur;
use super::{catat_riwayat, konflik};
use crate::akun::Akun;
use crate::akun::izin::{self, Tindakan};
use crate::audit;
use crate::db::Db;
use crate::error::{AppError, Hasil};
use crate::id::PerangkatId;

/// Who verifies: the kecamatan staff and the admin (the kabupaten role only reads).
pub fn boleh_verifikasi(akun: &Akun) -> bool {
    izin::boleh_peran(akun.peran, Tindakan::Verifikasi)
}

/// The kecamatan's view of a record's state.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct StatusVerifikasi {
    #[schema(value_type = i64)]
    pub perangkat_id: PerangkatId,
    pub desa_kode: String,
    /// The version of the saved data (what the kecamatan saw).
    pub versi: i64,
    /// Workflow status of the desa's working row (`tersimpan` when nothing waits for the check).
    #[schema(value_type = String)]
    pub status: StatusAlur,
    pub dikembalikan: bool,
    pub catatan_kecamatan: String,
    pub verifikasi_oleh: String,
    pub verifikasi_pada: Option<i64>,
}

impl StatusVerifikasi {
    pub fn terverifikasi(&self) -> bool {
        self.verifikasi_pada.is_some()
    }
}

/// The verification state of a saved record in the user's scope (404 when there is none).
pub async fn status(db: &Db, akun: &Akun, id: PerangkatId) -> Hasil<StatusVerifikasi> {
    let sql = format!(
        "SELECT t.perangkat_id, t.desa_kode, t.versi, p.status, p.dikembalikan, p.catatan_kecamatan,
                t.verifikasi_oleh, t.verifikasi_pada
         FROM perangkat_tersimpan t JOIN perangkat p ON p.id = t.perangkat_id
         WHERE t.perangkat_id = $1 AND {}",
        akun.cakupan.syarat("t.desa_kode", 2)
    );
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, StatusVerifikasi>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(akun.cakupan.pola())
        .fetch_optional(c)
        .await?
    });
    row.ok_or(AppError::TidakDitemukan)
}

/// Marks the saved record verified (`terverifikasi`) or returns it to the desa with a note.
/// `versi`, when given, is the saved version the kecamatan looked at: a newer one is refused
/// (409) so nobody verifies or returns data they did not see.
/// May `akun` verify or return record `id`? Checked before anything posted is read: outside
/// the scope (or never saved) 404; inside it, another role 403.
pub async fn boleh_diverifikasi(db: &Db, akun: &Akun, id: PerangkatId) -> Hasil<()> {
    status(db, akun, id).await?;
    if !boleh_verifikasi(akun) {
        return Err(AppError::Terlarang);
    }
    Ok(())
}

pub async fn verifikasi(
    db: &Db,
    akun: &Akun,
    id: PerangkatId,
    terverifikasi: bool,
    catatan: &str,
    versi: Option<i64>,
    sekarang: i64,
) -> Hasil<StatusVerifikasi> {
    let s = status(db, akun, id).await?;
    if !boleh_verifikasi(akun) {
        return Err(AppError::Terlarang);
    }
    let versi = versi.unwrap_or(s.versi);
    if versi != s.versi {
        return Err(konflik());
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
    if !terverifikasi && catatan.is_empty() {
        return Err(AppError::Validasi(vec![(
            "catatan",
            "Tuliskan apa yang harus diperiksa atau diperbaiki desa.".into(),
        )]));
    }
    if terverifikasi && s.dikembalikan {
        return Err(AppError::Konflik(
            "Data ini sudah dikembalikan ke desa; verifikasi setelah desa memeriksa dan menyimpannya kembali.".into(),
        ));
    }
    if terverifikasi && s.terverifikasi() {
        return Err(AppError::Konflik("Data ini sudah terverifikasi.".into()));
    }
    let mut tx = db.begin().await?;
    if terverifikasi {
        // Only the version seen, and only while it is not returned.
        let n = crate::tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE perangkat_tersimpan SET verifikasi_oleh = $1, verifikasi_pada = $2
                 WHERE perangkat_id = $3 AND versi = $4 AND verifikasi_pada IS NULL
                   AND NOT EXISTS (SELECT 1 FROM perangkat p WHERE p.id = $3 AND p.dikembalikan)",
            )
            .bind(&akun.username)
            .bind(sekarang)
            .bind(id)
            .bind(versi)
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
            audit::Aksi::PerangkatDiverifikasi,
            &format!("perangkat:{id}"),
            json!({}),
        )
        .await?;
    } else {
        // The desa's own pending revision (and its check note) stays; the record waits for the
        // check in any case.
        let n = crate::tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE perangkat SET dikembalikan = TRUE, catatan_kecamatan = $1, versi = versi + 1, diubah_pada = $2,
                        status = CASE WHEN status = 'tersimpan' THEN 'perlu_perbaikan' ELSE status END
                 WHERE id = $3 AND EXISTS (SELECT 1 FROM perangkat_tersimpan t WHERE t.perangkat_id = $3 AND t.versi = $4)",
            )
            .bind(&catatan)
            .bind(sekarang)
            .bind(id)
            .bind(versi)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Err(konflik());
        }
        crate::tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE perangkat_tersimpan SET verifikasi_oleh = '', verifikasi_pada = NULL
                 WHERE perangkat_id = $1 AND verifikasi_pada IS NOT NULL",
            )
            .bind(id)
            .execute(c)
            .await?;
        });
        catat_riwayat(&mut tx, id, sekarang, akun, "dikembalikan_kecamatan", &catatan, &[]).await?;
        audit::catat(
            &mut tx,
            sekarang,
            &akun.pelaku(),
            audit::Aksi::PerangkatDikembalikan,
            &format!("perangkat:{id}"),
            json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    status(db, akun, id).await
}
