//! The kecamatan's settings for recommendations: the Camat who signs the letter (name, NIP),
//! the pattern of the letter's number, and the date from which an appointment or dismissal
//! needs an approved recommendation (`tanpa_rekomendasi`).

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::akun::Akun;
use crate::akun::izin::{self, Tindakan};
use crate::audit;
use crate::db::Db;
use crate::error::{AppError, FieldErrors, Hasil};
use crate::perangkat::data::{iso, tanggal_ketikan};
use crate::perangkat::nik::Nip;

/// The settings of one kecamatan.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = PengaturanKecamatan)]
pub struct Pengaturan {
    pub kode: String,
    pub nama: String,
    pub kabupaten_nama: String,
    pub provinsi_nama: String,
    pub alamat_kantor: String,
    pub nama_camat: String,
    pub nip_camat: String,
    /// Pola nomor surat: {nomor} (urut per tahun, wajib), {tahun}, {bulan} (angka Romawi), {kode}.
    pub pola_nomor_rekomendasi: String,
    /// YYYY-MM-DD, atau "" bila rekomendasi belum diwajibkan.
    pub rekomendasi_wajib_sejak: String,
}

const SELECT: &str = "SELECT kode, nama, kabupaten_nama, provinsi_nama, alamat_kantor, nama_camat, nip_camat,
        pola_nomor_rekomendasi, rekomendasi_wajib_sejak FROM kecamatan";

/// The settings of the kecamatan `kode`, when the account sees it (or a desa of it): 404
/// otherwise.
pub async fn ambil(db: &Db, akun: &Akun, kode: &str) -> Hasil<Pengaturan> {
    if !(akun.cakupan.memuat(kode) || akun.cakupan.kode().starts_with(kode)) || kode.is_empty() {
        return Err(AppError::TidakDitemukan);
    }
    ambil_sistem(db, kode).await?.ok_or(AppError::TidakDitemukan)
}

/// The settings without a scope check (the letter of a request already in scope).
pub(super) async fn ambil_sistem(db: &Db, kode: &str) -> Hasil<Option<Pengaturan>> {
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, Pengaturan>(sqlx::AssertSqlSafe(format!("{SELECT} WHERE kode = $1")))
            .bind(kode)
            .fetch_optional(c)
            .await?
    });
    Ok(row)
}

/// The change of the settings, from a form or JSON.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InputPengaturan {
    pub alamat_kantor: String,
    pub nama_camat: String,
    pub nip_camat: String,
    pub pola_nomor_rekomendasi: String,
    pub rekomendasi_wajib_sejak: String,
}

/// Roman numerals of the months, for `{bulan}`.
const ROMAWI: [&str; 12] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

/// The letter's number from the pattern: `{nomor}` the sequence (three digits), `{tahun}`,
/// `{bulan}` in Roman numerals, `{kode}` the kecamatan's code.
pub fn nomor_surat(pola: &str, urutan: i64, tahun: i32, bulan: u8, kode: &str) -> String {
    pola.replace("{nomor}", &format!("{urutan:03}"))
        .replace("{tahun}", &tahun.to_string())
        .replace("{bulan}", ROMAWI[(bulan.clamp(1, 12) - 1) as usize])
        .replace("{kode}", kode)
}

fn periksa(input: &InputPengaturan, hari_ini: time::Date) -> Result<InputPengaturan, FieldErrors> {
    let mut g: FieldErrors = Vec::new();
    let rapi = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let teks = |g: &mut FieldErrors, f: &'static str, label: &str, v: &str, maks: usize| -> String {
        let v = rapi(v);
        let n = v.chars().count();
        if n > maks {
            g.push((f, format!("{label} paling banyak {maks} karakter (sekarang {n}).")));
        } else if v.chars().any(char::is_control) {
            g.push((f, format!("{label} memuat karakter yang tidak diizinkan.")));
        }
        v
    };
    let alamat_kantor = teks(&mut g, "alamat_kantor", "Alamat kantor", &input.alamat_kantor, 250);
    let nama_camat = teks(&mut g, "nama_camat", "Nama Camat", &input.nama_camat, 100);
    let mut nip_camat = String::new();
    let nip: String = input.nip_camat.chars().filter(|c| !c.is_whitespace()).collect();
    if !nip.is_empty() {
        match Nip::parse(&nip) {
            Ok(n) => nip_camat = n.as_str().to_string(),
            Err(e) => g.push(("nip_camat", e)),
        }
    }
    let pola = teks(
        &mut g,
        "pola_nomor_rekomendasi",
        "Pola nomor surat",
        &input.pola_nomor_rekomendasi,
        80,
    );
    if pola.is_empty() || !pola.contains("{nomor}") {
        g.push((
            "pola_nomor_rekomendasi",
            "Pola nomor surat harus memuat {nomor}, misalnya 141/{nomor}/PEM/{tahun}.".into(),
        ));
    } else {
        let sisa = pola
            .replace("{nomor}", "")
            .replace("{tahun}", "")
            .replace("{bulan}", "")
            .replace("{kode}", "");
        if sisa.contains('{') || sisa.contains('}') {
            g.push((
                "pola_nomor_rekomendasi",
                "Pola nomor surat hanya mengenal {nomor}, {tahun}, {bulan} dan {kode}.".into(),
            ));
        }
    }
    let sejak = input.rekomendasi_wajib_sejak.trim();
    let mut wajib = String::new();
    if !sejak.is_empty() {
        match tanggal_ketikan(sejak) {
            Some(d) if d.year() >= 2015 && d.year() <= hari_ini.year() + 1 => wajib = iso(d),
            Some(_) => g.push((
                "rekomendasi_wajib_sejak",
                format!(
                    "Tanggal wajib rekomendasi harus antara tahun 2015 dan {}.",
                    hari_ini.year() + 1
                ),
            )),
            None => g.push((
                "rekomendasi_wajib_sejak",
                "Tanggal wajib rekomendasi bukan tanggal yang valid (tulis misalnya 27-03-2023 atau 27 Maret 2023)."
                    .into(),
            )),
        }
    }
    if g.is_empty() {
        Ok(InputPengaturan {
            alamat_kantor,
            nama_camat,
            nip_camat,
            pola_nomor_rekomendasi: pola,
            rekomendasi_wajib_sejak: wajib,
        })
    } else {
        Err(g)
    }
}

/// Changes the settings of a kecamatan: its staff (of that kecamatan) or the admin.
pub async fn ubah(
    db: &Db,
    akun: &Akun,
    kode: &str,
    input: &InputPengaturan,
    hari_ini: time::Date,
    sekarang: i64,
) -> Hasil<Pengaturan> {
    let lama = ambil(db, akun, kode).await?;
    if !izin::boleh(akun, Tindakan::AturKecamatan, &lama.kode) {
        return Err(AppError::Terlarang);
    }
    let v = periksa(input, hari_ini).map_err(AppError::Validasi)?;
    let mut tx = db.begin().await?;
    crate::tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE kecamatan SET alamat_kantor = $2, nama_camat = $3, nip_camat = $4,
                    pola_nomor_rekomendasi = $5, rekomendasi_wajib_sejak = $6 WHERE kode = $1",
        )
        .bind(&lama.kode)
        .bind(&v.alamat_kantor)
        .bind(&v.nama_camat)
        .bind(&v.nip_camat)
        .bind(&v.pola_nomor_rekomendasi)
        .bind(&v.rekomendasi_wajib_sejak)
        .execute(c)
        .await?;
    });
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::PengaturanKecamatanDiubah,
        &format!("kecamatan:{}", lama.kode),
        json!({
            "nama_camat": v.nama_camat,
            "pola_nomor_rekomendasi": v.pola_nomor_rekomendasi,
            "rekomendasi_wajib_sejak": v.rekomendasi_wajib_sejak,
        }),
    )
    .await?;
    tx.commit().await?;
    ambil(db, akun, kode).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nomor_dari_pola() {
        assert_eq!(
            nomor_surat("141/{nomor}/PEM/{tahun}", 7, 2026, 12, "63.11.02"),
            "141/007/PEM/2026"
        );
        assert_eq!(
            nomor_surat("{nomor}/REK/{kode}/{bulan}/{tahun}", 12, 2027, 3, "63.11.02"),
            "012/REK/63.11.02/III/2027"
        );
    }

    #[test]
    fn pola_tanpa_nomor_ditolak() {
        let hari = time::macros::date!(2026 - 12 - 04);
        let salah = InputPengaturan {
            pola_nomor_rekomendasi: "141/PEM/{tahun}".into(),
            ..Default::default()
        };
        assert_eq!(periksa(&salah, hari).unwrap_err()[0].0, "pola_nomor_rekomendasi");
        let asing = InputPengaturan {
            pola_nomor_rekomendasi: "{nomor}/{desa}".into(),
            ..Default::default()
        };
        assert!(periksa(&asing, hari).is_err());
        let baik = InputPengaturan {
            pola_nomor_rekomendasi: " 141/{nomor}/PEM/{tahun} ".into(),
            rekomendasi_wajib_sejak: "2026-01-01".into(),
            nip_camat: "19750314 200003 1 002".into(),
            ..Default::default()
        };
        let v = periksa(&baik, hari).unwrap();
        assert_eq!(v.pola_nomor_rekomendasi, "141/{nomor}/PEM/{tahun}");
        assert_eq!(v.nip_camat, "197503142000031002");
    }
}
