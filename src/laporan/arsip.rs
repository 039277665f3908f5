//! Printed reports (SOP steps 6–7): every Buku Aparat Pemerintah Desa the operator prints is a
//! numbered, immutable snapshot — its data (JSON) and its PDF (stored by SHA-256) — that the
//! Kepala Desa of the desa accepts ("Diterima") or rejects with a note ("Ditolak"). An accepted
//! report gets a second PDF stating who received it and when, with a verification code and a QR
//! code for the public page `/verifikasi/{kode}`.

use bytes::Bytes;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::Date;

use super::buku_aparat::{self, DataBuku, Penerimaan, PilihPenanda};
use crate::akun::Akun;
use crate::akun::izin::{self, Tindakan};
use crate::audit;
use crate::db::{Db, is_unique_violation};
use crate::desa;
use crate::dokumen::Penyimpanan;
use crate::error::{AppError, Hasil};
use crate::id::LaporanId;
use crate::kode::Kode;
use crate::perangkat::{Saat, boleh_ubah};
use crate::waktu::{self, ZonaWaktu};

crate::kode_enum!(
    /// Status of a report, with the words of UI.md. `diganti`: printed again while it waited,
    /// kept but replaced by a newer report (issue 14, point 7); read from `diganti_oleh`, the
    /// stored status stays `menunggu`.
    StatusLaporan {
        Menunggu => "menunggu", "Menunggu Kepala Desa";
        Diterima => "diterima", "Diterima";
        Ditolak => "ditolak", "Ditolak";
        Diganti => "diganti", "Diganti";
    }
);

impl StatusLaporan {
    pub fn warna(self) -> &'static str {
        match self {
            StatusLaporan::Menunggu => "abu",
            StatusLaporan::Diterima => "hijau",
            StatusLaporan::Ditolak => "merah",
            StatusLaporan::Diganti => "abu",
        }
    }
}

/// A report row (without its snapshot data).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Laporan {
    pub id: LaporanId,
    pub desa_kode: String,
    pub desa_nama: String,
    pub nomor: String,
    pub periode: i64,
    pub sha256: String,
    pub ukuran: i64,
    pub dibuat_pada: i64,
    pub dibuat_oleh: String,
    pub status: StatusLaporan,
    pub ditanggapi_pada: Option<i64>,
    pub ditanggapi_oleh: String,
    pub ditanggapi_nama: String,
    pub catatan: String,
    pub kode_verifikasi: Option<String>,
    pub sha256_diterima: Option<String>,
    pub ukuran_diterima: Option<i64>,
    /// The report that replaced this one (printed again while this one waited).
    pub diganti_oleh: Option<LaporanId>,
    pub diganti_nomor: Option<String>,
    pub diganti_pada: Option<i64>,
}

impl Laporan {
    pub fn status_enum(&self) -> StatusLaporan {
        self.status
    }

    /// The verification code as printed: "K7M2Q-X9PAB".
    pub fn kode_tampil(&self) -> Option<String> {
        self.kode_verifikasi.as_deref().map(kode_tampil)
    }
}

const SELECT: &str = "SELECT l.id, l.desa_kode, d.nama AS desa_nama, l.nomor, l.periode, l.sha256, l.ukuran,
        l.dibuat_pada, l.dibuat_oleh,
        CASE WHEN l.diganti_oleh IS NOT NULL THEN 'diganti' ELSE l.status END AS status,
        l.ditanggapi_pada, l.ditanggapi_oleh, l.ditanggapi_nama,
        l.catatan, l.kode_verifikasi, l.sha256_diterima, l.ukuran_diterima,
        l.diganti_oleh, g.nomor AS diganti_nomor, l.diganti_pada
    FROM laporan l JOIN desa d ON d.kode = l.desa_kode LEFT JOIN laporan g ON g.id = l.diganti_oleh";

/// Who may print a desa's report: its operator (and the admin).
pub fn boleh_cetak(akun: &Akun, desa_kode: &str) -> bool {
    boleh_ubah(akun, desa_kode)
}

/// Who may accept or reject it: the Kepala Desa of that desa only.
pub fn boleh_tanggapi(akun: &Akun, desa_kode: &str) -> bool {
    izin::boleh(akun, Tindakan::TanggapiLaporan, desa_kode)
}

/// The reports of the user's scope (`desa` narrows to one desa), newest first.
pub async fn daftar(db: &Db, akun: &Akun, desa: Option<&str>, batas: i64) -> Hasil<Vec<Laporan>> {
    let lingkup = match desa {
        Some(k) => akun.cakupan.di_dalam(k).ok_or(AppError::TidakDitemukan)?,
        None => akun.cakupan.clone(),
    };
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY l.id DESC LIMIT $2",
        lingkup.syarat("l.desa_kode", 1)
    );
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, Laporan>(sqlx::AssertSqlSafe(sql)).bind(lingkup.pola()).bind(batas).fetch_all(c).await?
    });
    Ok(rows)
}

/// One report in the user's scope (404 outside it).
pub async fn ambil(db: &Db, akun: &Akun, id: LaporanId) -> Hasil<Laporan> {
    let sql = format!("{SELECT} WHERE l.id = $1 AND {}", akun.cakupan.syarat("l.desa_kode", 2));
    let row = crate::read!(db, c => {
        sqlx::query_as::<_, Laporan>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(akun.cakupan.pola())
            .fetch_optional(c)
            .await?
    });
    row.ok_or(AppError::TidakDitemukan)
}

fn sha256(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

async fn render(data: DataBuku) -> Hasil<Vec<u8>> {
    tokio::task::spawn_blocking(move || buku_aparat::render(&data))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
}

/// Checks the year of a report: 1990 up to this year.
pub fn periksa_tahun(t: Option<&str>, hari_ini: Date) -> Hasil<i32> {
    match t.map(str::trim) {
        None | Some("") => Ok(hari_ini.year()),
        Some(t) => match t.parse::<i32>() {
            Ok(y) if (1990..=hari_ini.year()).contains(&y) => Ok(y),
            _ => Err(AppError::Validasi(vec![(
                "tahun",
                format!("Tahun harus antara 1990 dan {}.", hari_ini.year()),
            )])),
        },
    }
}

/// Prints the Buku Aparat of a desa for a year: a new numbered snapshot, waiting for the Kepala
/// Desa. Numbers run per desa and calendar year: "001/BAPD/63.11.02.2001/2026". The PDF is
/// stored (and synced) before its row commits.
pub async fn buat(
    db: &Db,
    simpanan: &Penyimpanan,
    akun: &Akun,
    desa_kode: &str,
    periode: i32,
    pilih: PilihPenanda,
    saat: Saat,
) -> Hasil<Laporan> {
    let Saat { hari_ini, sekarang } = saat;
    let desa = desa::ambil(db, akun, desa_kode).await?;
    if !boleh_cetak(akun, &desa.kode) {
        return Err(AppError::Terlarang);
    }
    let mut data = buku_aparat::kumpulkan(db, akun, &desa.kode, periode, hari_ini, pilih).await?;
    let tahun_nomor = i64::from(hari_ini.year());
    // Two prints at once may pick the same number: the UNIQUE constraint refuses the second,
    // which takes the next number.
    for _ in 0..5 {
        let urutan: i64 = crate::read!(db, c => {
            sqlx::query_scalar("SELECT COALESCE(MAX(urutan), 0) + 1 FROM laporan WHERE desa_kode = $1 AND tahun_nomor = $2")
                .bind(&desa.kode)
                .bind(tahun_nomor)
                .fetch_one(c)
                .await?
        });
        data.nomor = format!("{urutan:03}/BAPD/{}/{tahun_nomor}", desa.kode);
        let isi = serde_json::to_string(&data).map_err(anyhow::Error::from)?;
        let pdf = render(data.clone()).await?;
        let sha = sha256(&pdf);
        let ukuran = pdf.len() as i64;
        simpanan.simpan(&sha, Bytes::from(pdf)).await?;
        let mut tx = db.begin().await?;
        let r: Result<LaporanId, sqlx::Error> = crate::tx!(&mut tx, c => {
            sqlx::query_scalar(
                "INSERT INTO laporan (desa_kode, nomor, tahun_nomor, urutan, periode, isi, sha256, ukuran, dibuat_pada, dibuat_oleh)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(&desa.kode)
            .bind(&data.nomor)
            .bind(tahun_nomor)
            .bind(urutan)
            .bind(i64::from(periode))
            .bind(&isi)
            .bind(&sha)
            .bind(ukuran)
            .bind(sekarang)
            .bind(&akun.username)
            .fetch_one(c)
            .await
        });
        let id = match r {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => {
                tx.rollback().await?;
                continue;
            }
            Err(e) => {
                tx.rollback().await.ok();
                return Err(e.into());
            }
        };
        // The desa's reports of the same year still waiting for the Kepala Desa are replaced
        // by this one: kept, marked, no longer to be answered.
        let diganti: Vec<(LaporanId, String)> = crate::tx!(&mut tx, c => {
            sqlx::query_as(
                "UPDATE laporan SET diganti_oleh = $1, diganti_pada = $2
                 WHERE desa_kode = $3 AND periode = $4 AND status = 'menunggu' AND diganti_oleh IS NULL AND id <> $1
                 RETURNING id, nomor",
            )
            .bind(id)
            .bind(sekarang)
            .bind(&desa.kode)
            .bind(i64::from(periode))
            .fetch_all(c)
            .await?
        });
        for (lama, nomor) in &diganti {
            audit::catat(
                &mut tx,
                sekarang,
                &akun.pelaku(),
                audit::Aksi::LaporanDiganti,
                &format!("laporan:{lama}"),
                json!({ "desa": desa.kode, "nomor": nomor, "diganti_oleh": id, "nomor_baru": data.nomor }),
            )
            .await?;
        }
        audit::catat(
            &mut tx,
            sekarang,
            &akun.pelaku(),
            audit::Aksi::LaporanDibuat,
            &format!("laporan:{id}"),
            json!({ "desa": desa.kode, "nomor": data.nomor, "periode": periode, "sha256": sha, "baris": data.baris.len() }),
        )
        .await?;
        tx.commit().await?;
        return ambil(db, akun, id).await;
    }
    Err(AppError::Konflik(
        "Nomor laporan sedang dipakai oleh pencetakan lain. Coba cetak sekali lagi.".into(),
    ))
}

/// The numbers of the reports that `id` replaced (printed while they waited), oldest first.
pub async fn yang_diganti(db: &Db, akun: &Akun, id: LaporanId) -> Hasil<Vec<String>> {
    let l = ambil(db, akun, id).await?;
    Ok(crate::read!(db, c => {
        sqlx::query_scalar("SELECT nomor FROM laporan WHERE diganti_oleh = $1 AND desa_kode = $2 ORDER BY id")
            .bind(l.id)
            .bind(&l.desa_kode)
            .fetch_all(c)
            .await?
    }))
}

/// The PDF of a report: the accepted version (with the receipt) when there is one, else the
/// printed snapshot. Always the stored bytes; the access is written to the audit log.
pub async fn pdf(
    db: &Db,
    simpanan: &Penyimpanan,
    akun: &Akun,
    id: LaporanId,
    sekarang: i64,
) -> Hasil<(Laporan, Bytes)> {
    let l = ambil(db, akun, id).await?;
    let sha = l.sha256_diterima.as_deref().unwrap_or(&l.sha256);
    let isi = simpanan.baca(sha).await?;
    let mut tx = db.begin().await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::LaporanDiunduh,
        &format!("laporan:{id}"),
        json!({ "sha256": sha }),
    )
    .await?;
    tx.commit().await?;
    Ok((l, isi))
}

/// The Kepala Desa's answer.
pub struct Tanggapan<'a> {
    pub diterima: bool,
    pub catatan: &'a str,
    /// The address people use, for the QR code ("https://sipkatdes.example.go.id").
    pub alamat_dasar: &'a str,
    pub zona: ZonaWaktu,
}

fn periksa_catatan(catatan: &str, perlu: bool) -> Hasil<String> {
    let c = catatan.trim();
    if perlu && c.is_empty() {
        return Err(AppError::Validasi(vec![(
            "catatan",
            "Catatan wajib diisi bila laporan ditolak: tuliskan apa yang harus diperbaiki operator.".into(),
        )]));
    }
    if c.chars().count() > 500 {
        return Err(AppError::Validasi(vec![(
            "catatan",
            format!("Catatan paling banyak 500 karakter (sekarang {}).", c.chars().count()),
        )]));
    }
    if c.chars()
        .any(|ch| ch.is_control() && ch != '\n' && ch != '\r' && ch != '\t')
    {
        return Err(AppError::Validasi(vec![(
            "catatan",
            "Catatan tidak boleh memuat karakter kendali.".into(),
        )]));
    }
    Ok(c.to_string())
}

/// A new verification code: 10 characters of Crockford's base32 (50 random bits; a collision
/// is refused by the UNIQUE index and asks for another try).
pub fn kode_baru() -> Hasil<String> {
    const ABJAD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut b = [0u8; PANJANG_KODE];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(anyhow::anyhow!("getrandom: {e}")))?;
    Ok(b.iter().map(|x| ABJAD[(x & 31) as usize] as char).collect())
}

const PANJANG_KODE: usize = 10;

/// "K7M2QX9PAB" → "K7M2Q-X9PAB".
pub fn kode_tampil(k: &str) -> String {
    if k.len() == PANJANG_KODE {
        format!("{}-{}", &k[..5], &k[5..])
    } else {
        k.to_string()
    }
}

/// A code as people type it (lower case, with a hyphen or spaces, O for 0, I or L for 1) in its
/// stored form; `None` when it cannot be a code.
pub fn normalkan_kode(k: &str) -> Option<String> {
    let s: String = k
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (s.len() == PANJANG_KODE && s.bytes().all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b))).then_some(s)
}

/// The QR code of `teks` as a small SVG (dark modules as one path).
pub fn qr_svg(teks: &str) -> Hasil<String> {
    let kode = qrcode::QrCode::new(teks.as_bytes()).map_err(|e| AppError::Internal(anyhow::anyhow!("qrcode: {e}")))?;
    let lebar = kode.width();
    let warna = kode.to_colors();
    let tepi = 2;
    let mut jalur = String::new();
    for (i, c) in warna.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = (i % lebar + tepi, i / lebar + tepi);
            jalur.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    let ukuran = lebar + 2 * tepi;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {ukuran} {ukuran}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{ukuran}\" height=\"{ukuran}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{jalur}\"/></svg>"
    ))
}

/// The Kepala Desa accepts the report (a receipted PDF with a verification code is made) or
/// rejects it with a note for the operator. Given once: a second answer is a conflict.
/// The report `id`, when `akun` may answer it (its desa's Kepala Desa): checked before anything
/// posted is read. Outside the scope: 404; inside it, another role: 403.
pub async fn boleh_ditanggapi(db: &Db, akun: &Akun, id: LaporanId) -> Hasil<Laporan> {
    let l = ambil(db, akun, id).await?;
    if !boleh_tanggapi(akun, &l.desa_kode) {
        return Err(AppError::Terlarang);
    }
    Ok(l)
}

pub async fn tanggapi(
    db: &Db,
    simpanan: &Penyimpanan,
    akun: &Akun,
    id: LaporanId,
    t: Tanggapan<'_>,
    sekarang: i64,
) -> Hasil<Laporan> {
    let l = ambil(db, akun, id).await?;
    if !boleh_tanggapi(akun, &l.desa_kode) {
        return Err(AppError::Terlarang);
    }
    if l.status_enum() == StatusLaporan::Diganti {
        return Err(AppError::Konflik(format!(
            "Laporan {} sudah diganti oleh laporan {} yang dicetak kemudian; tanggapi laporan yang terbaru.",
            l.nomor,
            l.diganti_nomor.as_deref().unwrap_or("lain")
        )));
    }
    if l.status_enum() != StatusLaporan::Menunggu {
        return Err(AppError::Konflik(format!(
            "Laporan {} sudah {} pada {}.",
            l.nomor,
            l.status_enum().label().to_lowercase(),
            l.ditanggapi_pada
                .map(|w| waktu::tanggal_jam(w, t.zona))
                .unwrap_or_default()
        )));
    }
    let catatan = periksa_catatan(t.catatan, !t.diterima)?;
    let nama = akun.nama_tampil().to_string();
    let mut kode = None;
    let mut diterima = None;
    if t.diterima {
        let isi: String = crate::read!(db, c => {
            sqlx::query_scalar("SELECT isi FROM laporan WHERE id = $1 AND desa_kode = $2")
                .bind(id)
                .bind(&l.desa_kode)
                .fetch_one(c)
                .await?
        });
        let mut data: DataBuku = serde_json::from_str(&isi).map_err(anyhow::Error::from)?;
        let d = desa::ambil(db, akun, &l.desa_kode).await?;
        let k = kode_baru()?;
        // Only the configured public address goes on paper; without one, the path and the
        // code (kernel::alamat_dasar; issue 15, point 7).
        let dasar = t.alamat_dasar.trim_end_matches('/');
        let url = format!("{dasar}/verifikasi/{k}");
        data.penerimaan = Some(Penerimaan {
            teks: format!(
                "oleh {} {}, {}, pada {}.",
                d.sebutan_kepala_desa,
                d.nama,
                nama,
                waktu::tanggal_jam(sekarang, t.zona)
            ),
            kode: kode_tampil(&k),
            qr: qr_svg(&url)?,
            url: if dasar.is_empty() {
                format!("halaman {url} di SIPKATDES kecamatan")
            } else {
                url
            },
        });
        let pdf = render(data).await?;
        let sha = sha256(&pdf);
        let ukuran = pdf.len() as i64;
        simpanan.simpan(&sha, Bytes::from(pdf)).await?;
        kode = Some(k);
        diterima = Some((sha, ukuran));
    }
    let status = if t.diterima { "diterima" } else { "ditolak" };
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE laporan SET status = $2, ditanggapi_pada = $3, ditanggapi_oleh = $4, ditanggapi_nama = $5,
                    catatan = $6, kode_verifikasi = $7, sha256_diterima = $8, ukuran_diterima = $9
             WHERE id = $1 AND status = 'menunggu' AND diganti_oleh IS NULL",
        )
        .bind(id)
        .bind(status)
        .bind(sekarang)
        .bind(&akun.username)
        .bind(&nama)
        .bind(&catatan)
        .bind(kode.as_deref())
        .bind(diterima.as_ref().map(|d| d.0.as_str()))
        .bind(diterima.as_ref().map(|d| d.1))
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    });
    let n = match n {
        Ok(n) => n,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Konflik(
                "Kode verifikasi bentrok dengan laporan lain. Coba sekali lagi.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    if n == 0 {
        return Err(AppError::Konflik(format!("Laporan {} sudah ditanggapi.", l.nomor)));
    }
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        if t.diterima {
            audit::Aksi::LaporanDiterima
        } else {
            audit::Aksi::LaporanDitolak
        },
        &format!("laporan:{id}"),
        json!({ "nomor": l.nomor, "sha256": diterima.as_ref().map(|d| &d.0) }),
    )
    .await?;
    tx.commit().await?;
    ambil(db, akun, id).await
}

/// What the public verification page shows: nothing personal.
#[derive(Clone, Debug, Serialize)]
pub struct Verifikasi {
    pub nomor: String,
    pub desa: String,
    pub kecamatan: String,
    pub kabupaten: String,
    pub periode: i64,
    pub dibuat_pada: i64,
    pub diterima_pada: i64,
    pub sha256: String,
    /// The stored file still has the fingerprint recorded when it was received.
    pub utuh: bool,
}

/// Looks a verification code up (public: no account needed).
pub async fn verifikasi(db: &Db, simpanan: &Penyimpanan, kode: &str) -> Hasil<Option<Verifikasi>> {
    let Some(kode) = normalkan_kode(kode) else {
        return Ok(None);
    };
    type Baris = (String, String, String, String, i64, i64, Option<i64>, Option<String>);
    let row: Option<Baris> = crate::read!(db, c => {
        sqlx::query_as(
            "SELECT l.nomor, d.nama, k.nama, k.kabupaten_nama, l.periode, l.dibuat_pada, l.ditanggapi_pada, l.sha256_diterima
             FROM laporan l JOIN desa d ON d.kode = l.desa_kode JOIN kecamatan k ON k.kode = d.kecamatan_kode
             WHERE l.kode_verifikasi = $1 AND l.status = 'diterima'",
        )
        .bind(&kode)
        .fetch_optional(c)
        .await?
    });
    let Some((nomor, desa, kecamatan, kabupaten, periode, dibuat_pada, Some(diterima_pada), Some(sha))) = row else {
        return Ok(None);
    };
    let utuh = match simpanan.baca(&sha).await {
        Ok(isi) => sha256(&isi) == sha,
        Err(_) => false,
    };
    Ok(Some(Verifikasi {
        nomor,
        desa,
        kecamatan,
        kabupaten,
        periode,
        dibuat_pada,
        diterima_pada,
        sha256: sha,
        utuh,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kode_verifikasi_dibaca_seperti_diketik() {
        assert_eq!(normalkan_kode("k7m2q-x9pab").as_deref(), Some("K7M2QX9PAB"));
        assert_eq!(normalkan_kode(" K7M2Q X9PAB ").as_deref(), Some("K7M2QX9PAB"));
        assert_eq!(normalkan_kode("O1IL0-00000").as_deref(), Some("0111000000"));
        assert_eq!(normalkan_kode("K7M2Q-X9PA"), None);
        assert_eq!(normalkan_kode("K7M2Q-X9PAU"), None, "U is not in Crockford's alphabet");
        assert_eq!(normalkan_kode("<script>"), None);
        let k = kode_baru().unwrap();
        assert_eq!(normalkan_kode(&kode_tampil(&k)), Some(k));
    }

    #[test]
    fn catatan_penolakan_wajib() {
        assert!(periksa_catatan("  ", true).is_err());
        assert!(periksa_catatan("", false).is_ok());
        assert!(periksa_catatan(&"x".repeat(501), false).is_err());
        assert_eq!(
            periksa_catatan(" Nama Kaur salah ketik ", true).unwrap(),
            "Nama Kaur salah ketik"
        );
    }

    #[test]
    fn qr_svg_berbentuk() {
        let s = qr_svg("http://127.0.0.1:8080/verifikasi/K7M2QX9PAB").unwrap();
        assert!(s.starts_with("<svg") && s.contains("<path") && s.ends_with("</svg>"));
    }
}
