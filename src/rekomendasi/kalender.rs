//! The private calendar feed of the deadlines (issue 17): one secret, revocable URL per user,
//! `/kalender/<rahasia>.ics`, that a phone's calendar subscribes to. It lists the same lines as
//! *Tenggat* for the user's scope, as all-day events (RFC 5545), with no NIK. The database keeps
//! only the secret's SHA-256.

use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

use super::tenggat::{self, Tenggat};
use crate::akun::{self, Akun, sandi};
use crate::audit;
use crate::db::Db;
use crate::error::Hasil;
use crate::kode::Kode;

/// Makes the user's calendar link (a new one replaces the old); returns the secret, shown once.
pub async fn buat(db: &Db, akun: &Akun, sekarang: i64) -> Hasil<String> {
    let rahasia = sandi::acak_hex(24);
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query("DELETE FROM kalender WHERE pengguna_id = $1").bind(akun.id).execute(&mut *c).await?;
        sqlx::query("INSERT INTO kalender (pengguna_id, token_hash, dibuat_pada) VALUES ($1, $2, $3)")
            .bind(akun.id)
            .bind(sandi::sidik(&rahasia))
            .bind(sekarang)
            .execute(&mut *c)
            .await?;
    });
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::KalenderDibuat,
        &format!("pengguna:{}", akun.id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(rahasia)
}

/// Revokes the user's calendar link; false when there was none.
pub async fn cabut(db: &Db, akun: &Akun, sekarang: i64) -> Hasil<bool> {
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        sqlx::query("DELETE FROM kalender WHERE pengguna_id = $1").bind(akun.id).execute(c).await?.rows_affected()
    });
    if n > 0 {
        audit::catat(
            &mut tx,
            sekarang,
            &akun.pelaku(),
            audit::Aksi::KalenderDicabut,
            &format!("pengguna:{}", akun.id),
            json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n > 0)
}

/// When the user's link was made, if there is one.
pub async fn ada(db: &Db, akun: &Akun) -> Hasil<Option<i64>> {
    let t = crate::read!(db, c => {
        sqlx::query_scalar("SELECT dibuat_pada FROM kalender WHERE pengguna_id = $1").bind(akun.id).fetch_optional(c).await?
    });
    Ok(t)
}

/// The account a secret belongs to, when the link exists and the account is active.
pub async fn pemilik(db: &Db, rahasia: &str) -> Hasil<Option<Akun>> {
    if rahasia.len() != 48 || !rahasia.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id: Option<crate::id::AkunId> = crate::read!(db, c => {
        sqlx::query_scalar("SELECT pengguna_id FROM kalender WHERE token_hash = $1")
            .bind(sandi::sidik(rahasia))
            .fetch_optional(c)
            .await?
    });
    match id {
        Some(id) => akun::akun_aktif(db, id).await,
        None => Ok(None),
    }
}

/// The feed of `akun`'s deadlines. `dasar` is the public address ("" without one: the links
/// are then paths).
pub async fn ics(db: &Db, akun: &Akun, hari_ini: Date, sekarang: i64, dasar: &str) -> Hasil<String> {
    let baris = tenggat::daftar(db, akun, hari_ini).await?;
    Ok(tulis(&baris, sekarang, dasar))
}

/// RFC 5545 text: escaped, folded at 75 octets, CRLF line ends.
fn tulis(baris: &[Tenggat], sekarang: i64, dasar: &str) -> String {
    let stempel = OffsetDateTime::from_unix_timestamp(sekarang)
        .map(|t| {
            format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                t.year(),
                t.month() as u8,
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        })
        .unwrap_or_default();
    let mut v = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//SIPKATDES//Tenggat//ID".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "X-WR-CALNAME:Tenggat SIPKATDES".into(),
    ];
    for t in baris {
        let Some(d) = crate::perangkat::data::tanggal(&t.batas) else {
            continue;
        };
        let sesudah = d.next_day().unwrap_or(d);
        let uid = hex::encode(&Sha256::digest(format!("{}|{}|{}", t.jenis.kode(), t.tautan, t.batas))[..12]);
        let judul = format!(
            "{}{}: {}",
            if t.terlambat { "TERLAMBAT — " } else { "" },
            t.label_jenis(),
            t.desa_nama
        );
        v.push("BEGIN:VEVENT".into());
        v.push(format!("UID:{uid}@sipkatdes"));
        v.push(format!("DTSTAMP:{stempel}"));
        v.push(format!("DTSTART;VALUE=DATE:{}", tanggal_ics(d)));
        v.push(format!("DTEND;VALUE=DATE:{}", tanggal_ics(sesudah)));
        v.push(format!("SUMMARY:{}", teks(&judul)));
        v.push(format!("DESCRIPTION:{}", teks(&t.keterangan)));
        v.push(format!("URL:{}{}", dasar, t.tautan));
        v.push("TRANSP:TRANSPARENT".into());
        v.push("END:VEVENT".into());
    }
    v.push("END:VCALENDAR".into());
    let mut s = String::new();
    for b in v {
        lipat(&b, &mut s);
    }
    s
}

fn tanggal_ics(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month() as u8, d.day())
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped.
fn teks(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// Writes one content line folded at 75 octets (never inside a UTF-8 character).
fn lipat(baris: &str, keluar: &mut String) {
    let mut panjang = 0;
    for c in baris.chars() {
        let n = c.len_utf8();
        if panjang + n > 75 {
            keluar.push_str("\r\n ");
            panjang = 1;
        }
        keluar.push(c);
        panjang += n;
    }
    keluar.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baris_dilipat_dan_teks_di_luputkan() {
        let mut s = String::new();
        lipat(&"é".repeat(60), &mut s);
        for b in s.split("\r\n").filter(|b| !b.is_empty()) {
            assert!(b.len() <= 75, "{} octets", b.len());
        }
        assert_eq!(s.replace("\r\n ", ""), format!("{}\r\n", "é".repeat(60)));
        assert_eq!(teks("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
