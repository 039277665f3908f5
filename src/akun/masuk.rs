//! Checking a login (the web form and the API token request share it): throttling per account
//! and per address, the password, and what a failure leaves in the audit log.

use serde_json::json;

use super::batas::{self, BatasMasuk};
use super::sandi;
use crate::audit::{self, Pelaku};
use crate::db::Db;
use crate::error::Hasil;
use crate::id::AkunId;

/// What a person is told when a username or password is wrong (never which of the two).
pub const PESAN_SALAH: &str = "Nama pengguna atau kata sandi salah.";

/// The outcome of checking credentials, shared by the login form and the API.
pub enum HasilMasuk {
    Berhasil(AkunId),
    Salah,
    Nonaktif,
    Dibatasi(i64),
}

/// Checks credentials with throttling per account and per address. Failures are recorded
/// and audited (the username only when such an account exists, never the password: people
/// sometimes type their password into the username field).
pub async fn periksa_kredensial(
    db: &Db,
    batas_masuk: BatasMasuk,
    sekarang: i64,
    username: &str,
    password: &str,
    alamat: &str,
) -> Hasil<HasilMasuk> {
    let username = username.trim();
    let percobaan = match batas::coba(db, batas_masuk, username, alamat, sekarang).await? {
        Ok(p) => p,
        Err(detik) => {
            tracing::warn!(alamat = %alamat, detik, "masuk dibatasi: terlalu banyak percobaan");
            return Ok(HasilMasuk::Dibatasi(detik));
        }
    };
    let user = super::untuk_masuk(db, username).await?;
    let hash = user
        .as_ref()
        .map(|u| u.1.clone())
        .unwrap_or_else(|| sandi::hash_tiruan().to_string());
    let cocok = sandi::cocok_async(password.to_string(), hash).await;
    match user {
        Some((id, _, aktif)) if cocok => {
            percobaan.berhasil(db).await?;
            if aktif {
                return Ok(HasilMasuk::Berhasil(id));
            }
            // The right password of a disabled account: refused, and written down.
            let mut tx = db.begin().await?;
            let pelaku = Pelaku {
                pengguna_id: Some(id),
                username: username.to_string(),
            };
            audit::catat(
                &mut tx,
                sekarang,
                &pelaku,
                audit::Aksi::MasukNonaktif,
                &format!("pengguna:{id}"),
                json!({ "alamat": alamat }),
            )
            .await?;
            tx.commit().await?;
            tracing::warn!(pengguna = %username, alamat = %alamat, "masuk ditolak: akun nonaktif");
            Ok(HasilMasuk::Nonaktif)
        }
        _ => {
            let mut tx = db.begin().await?;
            let (pelaku, nama) = match &user {
                Some((id, _, _)) => (
                    Pelaku {
                        pengguna_id: Some(*id),
                        username: username.to_string(),
                    },
                    username.to_string(),
                ),
                None => (Pelaku::sistem(), "(tidak dikenal)".to_string()),
            };
            audit::catat(
                &mut tx,
                sekarang,
                &pelaku,
                audit::Aksi::MasukGagal,
                "",
                json!({ "username": nama, "alamat": alamat }),
            )
            .await?;
            tx.commit().await?;
            tracing::warn!(pengguna = %nama, alamat = %alamat, "masuk gagal");
            Ok(HasilMasuk::Salah)
        }
    }
}
