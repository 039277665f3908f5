//! Accounts: users with a role and a scope, their passwords, sessions, API tokens and login
//! throttling.

pub mod batas;
pub mod cakupan;
pub mod izin;
pub mod masuk;
pub mod peran;
pub mod sandi;
pub mod sesi;

pub use cakupan::Cakupan;
pub use peran::Peran;

use serde_json::json;

use crate::audit::{self, Pelaku};
use crate::db::{Db, is_unique_violation};
use crate::error::{AppError, FieldErrors, Hasil};
use crate::id::AkunId;

/// A user as the application sees it once authenticated.
#[derive(Clone, Debug)]
pub struct Akun {
    pub id: AkunId,
    pub username: String,
    pub nama_lengkap: String,
    pub peran: Peran,
    /// What the user sees: a region code prefix, or the whole instance (admin).
    pub cakupan: Cakupan,
}

impl Akun {
    /// The system's own account for commands that act on the whole instance (`generate`,
    /// `import` from the command line, the demo's set-up): an admin without a user row.
    pub fn sistem(username: &str) -> Akun {
        Akun {
            id: AkunId(0),
            username: username.to_string(),
            nama_lengkap: String::new(),
            peran: Peran::Admin,
            cakupan: Cakupan::seluruh_instansi(),
        }
    }

    /// An account from its stored fields (role code and scope as stored); an unknown role or
    /// a malformed scope is an error, never a default.
    pub fn dari_simpanan(
        id: AkunId,
        username: String,
        nama_lengkap: String,
        peran: &str,
        cakupan: &str,
    ) -> Hasil<Akun> {
        let peran = Peran::parse(peran)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("stored role {peran:?} of user {id} is unknown")))?;
        let cakupan = Cakupan::dari_simpanan(cakupan)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored scope of user {id} is invalid: {e}")))?;
        Ok(Akun {
            id,
            username,
            nama_lengkap,
            peran,
            cakupan,
        })
    }

    /// Does this role see whole NIKs ([`izin::Tindakan::LihatNikUtuh`])?
    pub fn lihat_nik_utuh(&self) -> bool {
        izin::boleh_peran(self.peran, izin::Tindakan::LihatNikUtuh)
    }

    pub fn pelaku(&self) -> Pelaku {
        Pelaku {
            pengguna_id: Some(self.id),
            username: self.username.clone(),
        }
    }

    /// The page each role lands on after login.
    pub fn halaman_awal(&self) -> String {
        match self.peran {
            Peran::Operator | Peran::KepalaDesa => format!("/desa/{}", self.cakupan.kode()),
            Peran::Kecamatan | Peran::Kabupaten => "/dasbor".into(),
            Peran::Admin => "/admin".into(),
        }
    }

    pub fn nama_tampil(&self) -> &str {
        if self.nama_lengkap.is_empty() {
            &self.username
        } else {
            &self.nama_lengkap
        }
    }
}

/// A user row, for administration.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Pengguna {
    pub id: AkunId,
    pub username: String,
    pub nama_lengkap: String,
    pub peran: Peran,
    pub cakupan: String,
    pub aktif: bool,
    pub dibuat_pada: i64,
}

impl Pengguna {
    pub fn peran_label(&self) -> &'static str {
        self.peran.label()
    }
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct InputPengguna {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub nama_lengkap: String,
    #[serde(default)]
    pub peran: String,
    #[serde(default)]
    pub cakupan: String,
    #[serde(default)]
    pub password: String,
}

pub fn periksa_username(u: &str) -> Result<String, String> {
    let u = u.trim();
    let ok = (3..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && u.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(u.to_string())
    } else {
        Err(
            "Nama pengguna 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung, \
             diawali huruf atau angka."
                .into(),
        )
    }
}

pub fn periksa_nama_lengkap(n: &str) -> Result<String, String> {
    let n = n.trim();
    if n.chars().count() > 100 {
        Err("Nama lengkap paling banyak 100 karakter.".into())
    } else if n.chars().any(char::is_control) {
        Err("Nama lengkap tidak boleh memuat karakter kendali.".into())
    } else {
        Ok(n.to_string())
    }
}

fn periksa_peran(p: &str) -> Result<Peran, String> {
    Peran::parse(p.trim()).ok_or_else(|| {
        format!(
            "Peran \"{}\" tidak dikenal. Pilih salah satu: admin, kabupaten, kecamatan, operator, kepala_desa.",
            p.trim().chars().take(30).collect::<String>()
        )
    })
}

/// The checks that need no database (the command line runs them before opening it).
pub fn periksa_awal(input: &InputPengguna) -> FieldErrors {
    let mut g: FieldErrors = Vec::new();
    if let Err(e) = periksa_username(&input.username) {
        g.push(("username", e));
    }
    if let Err(e) = periksa_nama_lengkap(&input.nama_lengkap) {
        g.push(("nama_lengkap", e));
    }
    match periksa_peran(&input.peran) {
        Err(e) => g.push(("peran", e)),
        Ok(Peran::Admin) if !input.cakupan.trim().is_empty() => g.push((
            "cakupan",
            "Peran admin berlaku untuk seluruh instansi; kosongkan cakupan.".into(),
        )),
        Ok(Peran::Admin) => {}
        Ok(p) if input.cakupan.trim().is_empty() => g.push((
            "cakupan",
            format!("Cakupan wajib diisi untuk peran {}: {}.", p.label(), p.cakupan_perlu()),
        )),
        Ok(_) => {
            if let Err(e) = crate::wilayah::KodeWilayah::parse(&input.cakupan) {
                g.push(("cakupan", e.0));
            }
        }
    }
    if let Err(e) = sandi::periksa_baru(&input.password, input.username.trim()) {
        g.push(("password", e));
    }
    g
}

/// Creates a user. Every field is checked first; nothing is written when one is wrong.
pub async fn buat(db: &Db, input: &InputPengguna, pelaku: &Pelaku, sekarang: i64) -> Hasil<AkunId> {
    buat_dengan(db, input, pelaku, sekarang, true).await
}

/// Creates an account of `sipkatdes demo`. Its password is published (README: `sipkatdes-demo`)
/// and the demo is never exposed (SECURITY.md), so its strength is not judged — the one
/// exception; its length still is.
pub async fn buat_demo(db: &Db, input: &InputPengguna, pelaku: &Pelaku, sekarang: i64) -> Hasil<AkunId> {
    buat_dengan(db, input, pelaku, sekarang, false).await
}

async fn buat_dengan(
    db: &Db,
    input: &InputPengguna,
    pelaku: &Pelaku,
    sekarang: i64,
    uji_kekuatan: bool,
) -> Hasil<AkunId> {
    let mut galat: FieldErrors = Vec::new();
    let username = periksa_username(&input.username)
        .map_err(|e| galat.push(("username", e)))
        .ok();
    let nama = periksa_nama_lengkap(&input.nama_lengkap)
        .map_err(|e| galat.push(("nama_lengkap", e)))
        .ok();
    let peran = periksa_peran(&input.peran).map_err(|e| galat.push(("peran", e))).ok();
    let cakupan = match peran {
        Some(p) => peran::periksa_cakupan(db, p, &input.cakupan)
            .await
            .map_err(|e| galat.push(("cakupan", e)))
            .ok(),
        None => None,
    };
    let periksa = if uji_kekuatan {
        sandi::periksa_baru
    } else {
        sandi::periksa_bentuk
    };
    if let Err(e) = periksa(&input.password, input.username.trim()) {
        galat.push(("password", e));
    }
    let (Some(username), Some(nama), Some(peran), Some(cakupan), true) =
        (username, nama, peran, cakupan, galat.is_empty())
    else {
        return Err(AppError::Validasi(galat));
    };
    let hash = sandi::hash_async(input.password.clone()).await?;
    let mut tx = db.begin().await?;
    let id: Result<AkunId, sqlx::Error> = crate::tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO pengguna (username, nama_lengkap, password_hash, peran, cakupan, aktif, dibuat_pada, diubah_pada)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(&username)
        .bind(&nama)
        .bind(&hash)
        .bind(peran.kode())
        .bind(&cakupan)
        .bind(true)
        .bind(sekarang)
        .fetch_one(c)
        .await
    });
    let id = match id {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Validasi(vec![(
                "username",
                format!("Nama pengguna \"{username}\" sudah dipakai. Pilih nama lain."),
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    audit::catat(
        &mut tx,
        sekarang,
        pelaku,
        audit::Aksi::PenggunaDibuat,
        &format!("pengguna:{id}"),
        json!({ "username": username, "peran": peran.kode(), "cakupan": cakupan }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

const KOLOM: &str = "id, username, nama_lengkap, peran, cakupan, aktif, dibuat_pada";

pub async fn daftar(db: &Db, cari: &str) -> Hasil<Vec<Pengguna>> {
    let pola = format!("%{}%", cari.trim().to_lowercase());
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, Pengguna>(sqlx::AssertSqlSafe(format!(
            "SELECT {KOLOM} FROM pengguna
             WHERE LOWER(username) LIKE $1 OR LOWER(nama_lengkap) LIKE $1 OR cakupan LIKE $1
             ORDER BY cakupan, peran, username"
        )))
        .bind(&pola)
        .fetch_all(c)
        .await?
    });
    Ok(rows)
}

pub async fn ambil(db: &Db, id: AkunId) -> Hasil<Pengguna> {
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, Pengguna>(sqlx::AssertSqlSafe(format!(
            "SELECT {KOLOM} FROM pengguna WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(c)
        .await?
    });
    row.ok_or(AppError::TidakDitemukan)
}

/// Changes a user's name, role and scope. A role or scope change ends the user's sessions and
/// tokens (what they may see has changed).
pub async fn ubah(db: &Db, id: AkunId, input: &InputPengguna, pelaku: &Pelaku, sekarang: i64) -> Hasil<()> {
    let lama = ambil(db, id).await?;
    let mut galat: FieldErrors = Vec::new();
    let nama = periksa_nama_lengkap(&input.nama_lengkap)
        .map_err(|e| galat.push(("nama_lengkap", e)))
        .ok();
    let peran = periksa_peran(&input.peran).map_err(|e| galat.push(("peran", e))).ok();
    let cakupan = match peran {
        Some(p) => peran::periksa_cakupan(db, p, &input.cakupan)
            .await
            .map_err(|e| galat.push(("cakupan", e)))
            .ok(),
        None => None,
    };
    if pelaku.pengguna_id == Some(id) && peran.is_some_and(|p| p != Peran::Admin) {
        galat.push((
            "peran",
            "Anda tidak dapat mencabut peran admin dari akun Anda sendiri.".into(),
        ));
    }
    let (Some(nama), Some(peran), Some(cakupan), true) = (nama, peran, cakupan, galat.is_empty()) else {
        return Err(AppError::Validasi(galat));
    };
    let berubah_wewenang = lama.peran != peran || lama.cakupan != cakupan;
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("UPDATE pengguna SET nama_lengkap = $1, peran = $2, cakupan = $3, diubah_pada = $4 WHERE id = $5")
            .bind(&nama)
            .bind(peran.kode())
            .bind(&cakupan)
            .bind(sekarang)
            .bind(id)
            .execute(c)
            .await?;
    });
    if berubah_wewenang {
        sesi::akhiri_semua(&mut tx, id, None).await?;
    }
    audit::catat(
        &mut tx,
        sekarang,
        pelaku,
        audit::Aksi::PenggunaDiubah,
        &format!("pengguna:{id}"),
        json!({
            "sebelum": { "nama_lengkap": lama.nama_lengkap, "peran": lama.peran, "cakupan": lama.cakupan },
            "sesudah": { "nama_lengkap": nama, "peran": peran.kode(), "cakupan": cakupan },
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Enables or disables an account. Disabling ends its sessions and revokes its tokens.
pub async fn atur_aktif(db: &Db, id: AkunId, aktif: bool, pelaku: &Pelaku, sekarang: i64) -> Hasil<()> {
    let p = ambil(db, id).await?;
    if !aktif && pelaku.pengguna_id == Some(id) {
        return Err(AppError::Permintaan(
            "Anda tidak dapat menonaktifkan akun Anda sendiri.".into(),
        ));
    }
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("UPDATE pengguna SET aktif = $1, diubah_pada = $2 WHERE id = $3")
            .bind(aktif)
            .bind(sekarang)
            .bind(id)
            .execute(c)
            .await?;
    });
    if !aktif {
        sesi::akhiri_semua(&mut tx, id, None).await?;
    }
    let aksi = if aktif {
        audit::Aksi::PenggunaDiaktifkan
    } else {
        audit::Aksi::PenggunaDinonaktifkan
    };
    audit::catat(
        &mut tx,
        sekarang,
        pelaku,
        aksi,
        &format!("pengguna:{id}"),
        json!({ "username": p.username }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password (an admin's reset, or the user's own change). Ends every session and
/// token of the user except the session `kecuali` (the user's own, when they changed it).
pub async fn atur_sandi(
    db: &Db,
    id: AkunId,
    sandi_baru: &str,
    field: &'static str,
    pelaku: &Pelaku,
    kecuali: Option<&str>,
    sekarang: i64,
) -> Hasil<()> {
    let p = ambil(db, id).await?;
    sandi::periksa_baru(sandi_baru, &p.username).map_err(|e| AppError::Validasi(vec![(field, e)]))?;
    let hash = sandi::hash_async(sandi_baru.to_string()).await?;
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("UPDATE pengguna SET password_hash = $1, diubah_pada = $2 WHERE id = $3")
            .bind(&hash)
            .bind(sekarang)
            .bind(id)
            .execute(c)
            .await?;
    });
    sesi::akhiri_semua(&mut tx, id, kecuali).await?;
    let aksi = if pelaku.pengguna_id == Some(id) {
        audit::Aksi::SandiDiubah
    } else {
        audit::Aksi::SandiDireset
    };
    audit::catat(
        &mut tx,
        sekarang,
        pelaku,
        aksi,
        &format!("pengguna:{id}"),
        json!({ "username": p.username }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Looks up a user for login: (id, password hash, active).
pub async fn untuk_masuk(db: &Db, username: &str) -> Hasil<Option<(AkunId, String, bool)>> {
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, (AkunId, String, bool)>(
            "SELECT id, password_hash, aktif FROM pengguna WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(c)
        .await?
    });
    Ok(row)
}

/// The authenticated view of an active user.
pub async fn akun_aktif(db: &Db, id: AkunId) -> Hasil<Option<Akun>> {
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, (AkunId, String, String, String, String)>(
            "SELECT id, username, nama_lengkap, peran, cakupan FROM pengguna WHERE id = $1 AND aktif = $2",
        )
        .bind(id)
        .bind(true)
        .fetch_optional(c)
        .await?
    });
    row.map(|(id, username, nama_lengkap, peran, cakupan)| {
        Akun::dari_simpanan(id, username, nama_lengkap, &peran, &cakupan)
    })
    .transpose()
}
