//! Working days (hari kerja): Monday to Friday, without the national holidays and joint leave
//! days that the admin keeps (`hari_libur`). The Camat answers within 7 of them.

use std::collections::BTreeSet;

use serde_json::json;
use time::{Date, Duration, Weekday};

use crate::akun::Akun;
use crate::akun::izin::{self, Tindakan};
use crate::audit;
use crate::db::{Db, is_unique_violation};
use crate::error::{AppError, Hasil};
use crate::perangkat::data::{iso, tanggal};

/// The Camat's time to answer (Permendagri 83/2015 as amended by 67/2017).
pub const HARI_KERJA_REKOMENDASI: u32 = 7;

pub fn hari_kerja(d: Date, libur: &BTreeSet<Date>) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !libur.contains(&d)
}

/// The `n`-th working day after `mulai` (the day of submission itself is not counted).
pub fn tambah_hari_kerja(mulai: Date, n: u32, libur: &BTreeSet<Date>) -> Date {
    let mut d = mulai;
    let mut sisa = n;
    while sisa > 0 {
        d += Duration::days(1);
        if hari_kerja(d, libur) {
            sisa -= 1;
        }
    }
    d
}

/// The working days after `dari` up to and including `sampai` (0 when `sampai` is not after
/// `dari`): "3 hari kerja lagi".
pub fn hari_kerja_antara(dari: Date, sampai: Date, libur: &BTreeSet<Date>) -> u32 {
    let mut n = 0;
    let mut d = dari;
    while d < sampai {
        d += Duration::days(1);
        if hari_kerja(d, libur) {
            n += 1;
        }
    }
    n
}

/// A holiday.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct HariLibur {
    /// YYYY-MM-DD
    pub tanggal: String,
    pub nama: String,
}

impl HariLibur {
    pub fn tanggal_id(&self) -> String {
        crate::perangkat::data::tanggal_id(&self.tanggal)
    }
}

/// Every holiday, in date order.
pub async fn daftar(db: &Db) -> Hasil<Vec<HariLibur>> {
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, HariLibur>("SELECT tanggal, nama FROM hari_libur ORDER BY tanggal")
            .fetch_all(c)
            .await?
    });
    Ok(rows)
}

/// The holidays as dates (for the deadline).
pub async fn tanggal_libur(db: &Db) -> Hasil<BTreeSet<Date>> {
    Ok(daftar(db).await?.iter().filter_map(|h| tanggal(&h.tanggal)).collect())
}

fn periksa(tgl: &str, nama: &str) -> Hasil<(Date, String)> {
    let mut g = Vec::new();
    let d = crate::perangkat::data::tanggal_ketikan(tgl);
    if d.is_none() {
        g.push((
            "tanggal",
            "Tanggal hari libur wajib diisi sebagai tanggal yang valid (misalnya 25-12-2026 atau 25 Desember 2026)."
                .to_string(),
        ));
    }
    let nama = nama.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = nama.chars().count();
    if n == 0 {
        g.push(("nama", "Nama hari libur wajib diisi (misalnya Hari Raya Natal).".into()));
    } else if n > 100 {
        g.push((
            "nama",
            format!("Nama hari libur paling banyak 100 karakter (sekarang {n})."),
        ));
    } else if nama.chars().any(char::is_control) {
        g.push(("nama", "Nama hari libur memuat karakter yang tidak diizinkan.".into()));
    }
    match d {
        Some(d) if g.is_empty() => Ok((d, nama)),
        _ => Err(AppError::Validasi(g)),
    }
}

/// Adds a holiday (the admin). A date already listed is a conflict.
pub async fn tambah(db: &Db, akun: &Akun, tgl: &str, nama: &str, sekarang: i64) -> Hasil<HariLibur> {
    if !izin::boleh_peran(akun.peran, Tindakan::Administrasi) {
        return Err(AppError::Terlarang);
    }
    let (d, nama) = periksa(tgl, nama)?;
    let tgl = iso(d);
    let mut tx = db.begin().await?;
    let r = crate::tx!(&mut tx, c => {
        sqlx::query("INSERT INTO hari_libur (tanggal, nama) VALUES ($1, $2)")
            .bind(&tgl)
            .bind(&nama)
            .execute(c)
            .await
            .map(|_| ())
    });
    match r {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            tx.rollback().await.ok();
            return Err(AppError::Konflik(format!(
                "{} sudah tercatat sebagai hari libur.",
                crate::waktu::tanggal(d)
            )));
        }
        Err(e) => {
            tx.rollback().await.ok();
            return Err(e.into());
        }
    }
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::HariLiburDitambah,
        &format!("hari_libur:{tgl}"),
        json!({ "nama": nama }),
    )
    .await?;
    tx.commit().await?;
    Ok(HariLibur { tanggal: tgl, nama })
}

/// Removes a holiday (the admin); 404 when the date is not listed.
pub async fn hapus(db: &Db, akun: &Akun, tgl: &str, sekarang: i64) -> Hasil<()> {
    if !izin::boleh_peran(akun.peran, Tindakan::Administrasi) {
        return Err(AppError::Terlarang);
    }
    let Some(d) = tanggal(tgl.trim()) else {
        return Err(AppError::TidakDitemukan);
    };
    let tgl = iso(d);
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        sqlx::query("DELETE FROM hari_libur WHERE tanggal = $1").bind(&tgl).execute(c).await?.rows_affected()
    });
    if n == 0 {
        tx.rollback().await.ok();
        return Err(AppError::TidakDitemukan);
    }
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::HariLiburDihapus,
        &format!("hari_libur:{tgl}"),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn tujuh_hari_kerja_melewati_akhir_pekan_dan_libur() {
        let kosong = BTreeSet::new();
        // Friday 4 December 2026 → Monday 7 … Tuesday 15 December.
        assert_eq!(
            tambah_hari_kerja(date!(2026 - 12 - 04), 7, &kosong),
            date!(2026 - 12 - 15)
        );
        // A holiday on Tuesday 8 December pushes it to Wednesday 16.
        let libur: BTreeSet<Date> = [date!(2026 - 12 - 08)].into();
        assert_eq!(
            tambah_hari_kerja(date!(2026 - 12 - 04), 7, &libur),
            date!(2026 - 12 - 16)
        );
        // Submitted on a Saturday: counted from Monday.
        assert_eq!(
            tambah_hari_kerja(date!(2026 - 12 - 05), 7, &kosong),
            date!(2026 - 12 - 15)
        );
        // Christmas and the joint leave day, then the weekend.
        let natal: BTreeSet<Date> = [date!(2026 - 12 - 24), date!(2026 - 12 - 25)].into();
        assert_eq!(
            tambah_hari_kerja(date!(2026 - 12 - 21), 7, &natal),
            date!(2027 - 01 - 01)
        );
        assert_eq!(
            hari_kerja_antara(date!(2026 - 12 - 04), date!(2026 - 12 - 16), &libur),
            7
        );
        assert_eq!(
            hari_kerja_antara(date!(2026 - 12 - 16), date!(2026 - 12 - 04), &libur),
            0
        );
    }
}
