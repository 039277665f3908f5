//! The append-only audit log. Every change writes its event in the same transaction as the
//! change itself (the database refuses UPDATE and DELETE on the table).

use serde_json::Value;

use crate::db::Tx;

/// Who did it: a user, or the system (command line, set-up).
#[derive(Clone, Debug)]
pub struct Pelaku {
    pub pengguna_id: Option<i64>,
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

/// Writes one audit event inside `tx`. `rincian` must never hold a password, a token or a NIK.
pub async fn catat(
    tx: &mut Tx,
    waktu: i64,
    pelaku: &Pelaku,
    aksi: &str,
    objek: &str,
    rincian: Value,
) -> Result<(), sqlx::Error> {
    crate::tx!(tx, c => {
        sqlx::query(
            "INSERT INTO audit (waktu, pengguna_id, username, aksi, objek, rincian)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(waktu)
        .bind(pelaku.pengguna_id)
        .bind(&pelaku.username)
        .bind(aksi)
        .bind(objek)
        .bind(rincian.to_string())
        .execute(c)
        .await?;
    });
    Ok(())
}
