//! Village officials (perangkat desa): the register, its workflow (draft → check against the SK
//! → tersimpan), dismissal and transfer, and each record's history.
//!
//! A record's working values live in `perangkat`; the version that passed the check lives in
//! `perangkat_tersimpan` and is what reports and the kecamatan see. Changing a saved record
//! makes the working values a revision (status `draft`) until it is checked and saved again.

pub mod aturan;
pub mod data;
pub mod kode;
pub mod medan;
pub mod nik;
pub mod verifikasi;

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::json;
use time::Date;

use self::aturan::{Konteks, Peringatan};
use self::data::Data;
use self::kode::{AlasanBerhenti, Kode, StatusAlur};
use self::medan::{KOLOM, label_kolom};
use crate::akun::izin::{self, Tindakan};
use crate::akun::{Akun, Peran};
use crate::audit;
use crate::db::{Db, Tx, is_unique_violation};
use crate::desa::jabatan::Jabatan;
use crate::desa::{self, Desa, PosisiStruktur};
use crate::error::{AppError, FieldErrors, Hasil};
use crate::id::{DokumenId, PerangkatId, RekomendasiId};

/// Binds the data columns in [`KOLOM`] order (see [`medan`]).
macro_rules! bind_data {
    ($q:expr, $d:expr) => {{
        let mut q = $q;
        for v in $d.semua_nilai() {
            q = q.bind(v);
        }
        q
    }};
}

/// A record as stored in `perangkat` (the working values).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Perangkat {
    pub id: PerangkatId,
    pub desa_kode: String,
    pub status: StatusAlur,
    pub versi: i64,
    pub catatan_pemeriksaan: String,
    pub mutasi_dari: Option<PerangkatId>,
    #[sqlx(flatten)]
    pub data: Data,
    pub dibuat_pada: i64,
    pub diubah_pada: i64,
}

/// The saved version of a record.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Tersimpan {
    pub perangkat_id: PerangkatId,
    pub desa_kode: String,
    pub versi: i64,
    #[sqlx(flatten)]
    pub data: Data,
    pub disimpan_pada: i64,
    pub disimpan_oleh: String,
    pub dokumen_terakhir: DokumenId,
}

impl Perangkat {
    pub fn status_alur(&self) -> StatusAlur {
        self.status
    }
}

fn kolom_sql() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| KOLOM.join(", "))
}

/// `INSERT` of a new entry: `$1` desa, `$2` mutasi_dari, the data columns, then the time.
fn sql_buat() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| {
        let waktu = 3 + medan::JUMLAH;
        format!(
            "INSERT INTO perangkat (desa_kode, status, versi, mutasi_dari, {}, dibuat_pada, diubah_pada)
         VALUES ($1, 'draft', 1, $2, {}, ${waktu}, ${waktu}) RETURNING id",
            kolom_sql(),
            medan::tempat(3)
        )
    })
}

/// `UPDATE` of the working values (an edit): the data columns, then time, id and version.
fn sql_ubah() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| {
        let n = medan::JUMLAH;
        format!(
            "UPDATE perangkat SET {}, status = 'draft', versi = versi + 1, diubah_pada = ${}
         WHERE id = ${} AND versi = ${}",
            medan::set(1),
            n + 1,
            n + 2,
            n + 3
        )
    })
}

/// `UPDATE` back to the saved values (cancelling a revision): as [`sql_ubah`].
fn sql_batalkan() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| {
        let n = medan::JUMLAH;
        format!(
            "UPDATE perangkat SET {}, catatan_pemeriksaan = '', versi = versi + 1, diubah_pada = ${},
                status = CASE WHEN dikembalikan THEN 'perlu_perbaikan' ELSE 'tersimpan' END
         WHERE id = ${} AND versi = ${}",
            medan::set(1),
            n + 1,
            n + 2,
            n + 3
        )
    })
}

fn select_perangkat() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| {
        format!(
            "SELECT id, desa_kode, status, versi, catatan_pemeriksaan, mutasi_dari, {}, dibuat_pada, diubah_pada FROM perangkat",
            kolom_sql()
        )
    })
}

fn select_tersimpan() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| {
        format!(
            "SELECT perangkat_id, desa_kode, versi, {}, disimpan_pada, disimpan_oleh, dokumen_terakhir FROM perangkat_tersimpan",
            kolom_sql()
        )
    })
}

/// May this user enter and change officials of the desa? (Its operator, or the admin:
/// [`Tindakan::UbahPerangkat`].)
pub fn boleh_ubah(akun: &Akun, desa_kode: &str) -> bool {
    izin::boleh(akun, Tindakan::UbahPerangkat, desa_kode)
}

/// Access to change a record, checked before anything posted is read: outside the user's
/// scope the record does not exist (404); inside it, only its editors may change it (403).
pub async fn boleh_tulis(db: &Db, akun: &Akun, id: PerangkatId) -> Hasil<Perangkat> {
    let p = ambil(db, akun, id).await?;
    if !boleh_ubah(akun, &p.desa_kode) {
        return Err(AppError::Terlarang);
    }
    Ok(p)
}

/// Working values of a record in the user's scope (editors only; others: not found).
pub async fn ambil(db: &Db, akun: &Akun, id: PerangkatId) -> Hasil<Perangkat> {
    cari_baris(db, akun, id, false).await?.ok_or(AppError::TidakDitemukan)
}

/// A draft removed with Hapus Draf, for its editors only (its Riwayat stays readable to them).
pub async fn ambil_dihapus(db: &Db, akun: &Akun, id: PerangkatId) -> Hasil<Option<Perangkat>> {
    Ok(cari_baris(db, akun, id, true)
        .await?
        .filter(|p| boleh_ubah(akun, &p.desa_kode)))
}

/// The row of a record in the user's scope: a live one, or one removed by Hapus Draf.
async fn cari_baris(db: &Db, akun: &Akun, id: PerangkatId, dihapus: bool) -> Hasil<Option<Perangkat>> {
    let sql = format!(
        "{} WHERE id = $1 AND dihapus_pada IS {} AND {}",
        select_perangkat(),
        if dihapus { "NOT NULL" } else { "NULL" },
        akun.cakupan.syarat("desa_kode", 2)
    );
    let p = crate::read!(db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(akun.cakupan.pola()).fetch_optional(c).await?
    });
    Ok(p)
}

/// The saved version of a record, in the user's scope.
pub async fn ambil_tersimpan(db: &Db, akun: &Akun, id: PerangkatId) -> Hasil<Option<Tersimpan>> {
    let sql = format!(
        "{} WHERE perangkat_id = $1 AND {}",
        select_tersimpan(),
        akun.cakupan.syarat("desa_kode", 2)
    );
    let t = crate::read!(db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(akun.cakupan.pola()).fetch_optional(c).await?
    });
    Ok(t)
}

async fn ambil_tx(tx: &mut Tx, id: PerangkatId) -> Hasil<Perangkat> {
    let sql = format!("{} WHERE id = $1 AND dihapus_pada IS NULL", select_perangkat());
    let p: Option<Perangkat> = crate::tx!(tx, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await?
    });
    p.ok_or(AppError::TidakDitemukan)
}

/// Filters of a list (also the query parameters of the API's lists: the doc comments of the
/// fields are their descriptions in the OpenAPI document).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Saring {
    /// Nama, NIK atau nomor SK.
    #[serde(default)]
    #[param(required = false)]
    pub cari: String,
    /// `aktif`, `mantan`, atau status alur (`draft`, `perlu_perbaikan`, `tersimpan`).
    #[serde(default)]
    #[param(required = false, schema_with = skema_saring_status)]
    pub status: String,
    /// Halaman, mulai dari 1.
    #[serde(default)]
    #[param(minimum = 1)]
    pub halaman: Option<i64>,
    /// Banyak baris per halaman (bawaan 50).
    #[serde(default)]
    #[param(minimum = 1, maximum = 500)]
    pub per_halaman: Option<i64>,
    /// Saved data only, even for an editor (the register as it stands).
    #[serde(skip)]
    pub hanya_tersimpan: bool,
}

/// The OpenAPI schema of [`Saring::status`].
fn skema_saring_status() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let alur = StatusAlur::SEMUA.iter().map(|s| s.kode());
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["aktif", "mantan"].into_iter().chain(alur)))
        .build()
}

impl Saring {
    pub fn batas(&self) -> Result<(i64, i64), AppError> {
        let per = self.per_halaman.unwrap_or(50);
        let hal = self.halaman.unwrap_or(1);
        if !(1..=500).contains(&per) {
            return Err(AppError::Validasi(vec![(
                "per_halaman",
                "per_halaman harus 1–500.".into(),
            )]));
        }
        if !(1..=1_000_000).contains(&hal) {
            return Err(AppError::Validasi(vec![(
                "halaman",
                "halaman dimulai dari 1 (paling banyak 1.000.000).".into(),
            )]));
        }
        Ok((per, (hal - 1) * per))
    }
}

/// A row of a list: the values shown (saved or working, depending on who looks).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Baris {
    pub id: PerangkatId,
    pub desa_kode: String,
    /// Workflow status of the record (`tersimpan` for viewers, who see saved data only).
    pub status: StatusAlur,
    pub versi: i64,
    pub catatan_pemeriksaan: String,
    /// Has a saved version (is part of the official register).
    pub pernah_disimpan: bool,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: Data,
}

/// Lists officials of the user's scope (`desa` narrows to one desa). Editors see the working
/// values of every record; other roles see saved versions only.
pub async fn daftar(db: &Db, akun: &Akun, desa: Option<&str>, s: &Saring) -> Hasil<(Vec<Baris>, i64)> {
    let (limit, offset) = s.batas()?;
    let editor = !s.hanya_tersimpan && (desa.is_some_and(|d| boleh_ubah(akun, d)) || akun.peran == Peran::Admin);
    let kol = medan::kolom_dengan("t.");
    let (dari, status_kol) = if editor {
        (
            format!(
                "SELECT t.id, t.desa_kode, t.status, t.versi, t.catatan_pemeriksaan,
                 EXISTS (SELECT 1 FROM perangkat_tersimpan s WHERE s.perangkat_id = t.id) AS pernah_disimpan, {kol}
                 {{total}} FROM perangkat t"
            ),
            "t.status",
        )
    } else {
        (
            format!(
                "SELECT t.perangkat_id AS id, t.desa_kode, 'tersimpan' AS status, t.versi, '' AS catatan_pemeriksaan,
                 (1 = 1) AS pernah_disimpan, {kol} {{total}} FROM perangkat_tersimpan t"
            ),
            "'tersimpan'",
        )
    };
    let lingkup = match desa {
        Some(d) => akun.cakupan.di_dalam(d).ok_or(AppError::TidakDitemukan)?,
        None => akun.cakupan.clone(),
    };
    let mut kondisi = vec![lingkup.syarat("t.desa_kode", 1)];
    if editor {
        kondisi.push("t.dihapus_pada IS NULL".into());
    }
    // Control characters never reach a query (issue 15, point 4: a NUL ended FTS5's string);
    // the HTTP layer refuses them already, this keeps every other caller safe too.
    let cari: String = s.cari.chars().filter(|c| !c.is_control()).collect();
    let cari = cari.trim().to_lowercase();
    // Only a role that sees whole NIKs may find a record by its NIK (issue 15, point 1: a
    // masked NIK could otherwise be confirmed digit by digit through the search).
    let cari_nik = akun.lihat_nik_utuh();
    // On SQLite a search of three characters or more goes through the trigram index (migration
    // 7): the same substring match, case-insensitive, without reading every official. PostgreSQL
    // answers the LIKE itself from its trigram indexes.
    let fts = db.backend() == "sqlite" && cari.chars().count() >= 3;
    if fts {
        let (tabel_fts, kunci) = if editor {
            ("perangkat_cari", "t.id")
        } else {
            ("perangkat_tersimpan_cari", "t.perangkat_id")
        };
        kondisi.push(format!(
            "{kunci} IN (SELECT rowid FROM {tabel_fts} WHERE {tabel_fts} MATCH $2)"
        ));
    } else if !cari.is_empty() && cari_nik {
        kondisi.push(
            "(LOWER(t.nama) LIKE $2 ESCAPE '\\' OR t.nik LIKE $2 ESCAPE '\\' OR LOWER(t.nomor_sk_pengangkatan) LIKE $2 ESCAPE '\\')".into(),
        );
    } else if !cari.is_empty() {
        kondisi
            .push("(LOWER(t.nama) LIKE $2 ESCAPE '\\' OR LOWER(t.nomor_sk_pengangkatan) LIKE $2 ESCAPE '\\')".into());
    }
    match s.status.as_str() {
        "" => {}
        "aktif" => kondisi.push("t.tanggal_sk_pemberhentian = ''".into()),
        "mantan" => kondisi.push("t.tanggal_sk_pemberhentian <> ''".into()),
        st if StatusAlur::parse(st).is_some() => kondisi.push(format!(
            "{status_kol} = '{}'",
            StatusAlur::parse(st).map(StatusAlur::kode).unwrap_or("")
        )),
        _ => {
            return Err(AppError::Validasi(vec![(
                "status",
                "status harus salah satu: aktif, mantan, draft, perlu_perbaikan, tersimpan.".into(),
            )]));
        }
    }
    let where_ = kondisi.join(" AND ");
    // The order of the indexes perangkat_urut / perangkat_tersimpan_urut (migration 7): a page
    // reads its own rows, not every official sorted.
    let urut = |t: &str, id: &str| {
        format!(
            "ORDER BY (CASE {t}.jabatan WHEN 'kepala_desa' THEN 1 WHEN 'sekretaris_desa' THEN 2 WHEN 'kepala_dusun' THEN 4 WHEN 'staf' THEN 5 ELSE 3 END), {t}.jabatan, {t}.dusun, {t}.nama, {t}.desa_kode, {t}.{id}"
        )
    };
    // The total: of a search, counted with the rows in one pass (COUNT(*) OVER (): the matches
    // are read once); of an unfiltered list, summed from the per-desa counts the database keeps
    // (migration 7) instead of counting every official of a kecamatan or the whole instance.
    // A search's matches are found first (by the trigram index) and only then ordered: given
    // the ordered index, PostgreSQL otherwise may walk every official in list order and filter
    // them (measured: 5.6 s for a name it expected to match often).
    let dengan_total = !cari.is_empty();
    let sql = if dengan_total {
        format!(
            "WITH hasil AS MATERIALIZED ({} WHERE {where_})
             SELECT hasil.*, COUNT(*) OVER () AS total_semua FROM hasil {} LIMIT {limit} OFFSET {offset}",
            dari.replace("{total}", ""),
            urut("hasil", "id")
        )
    } else {
        format!(
            "{} WHERE {where_} {} LIMIT {limit} OFFSET {offset}",
            dari.replace("{total}", ", CAST(0 AS BIGINT) AS total_semua"),
            urut("t", if editor { "id" } else { "perangkat_id" })
        )
    };
    let sql_jumlah = if cari.is_empty() && s.status.is_empty() {
        format!(
            "SELECT CAST(COALESCE(SUM({}), 0) AS BIGINT) FROM jumlah_desa t WHERE {}",
            if editor { "perangkat" } else { "tersimpan" },
            lingkup.syarat("t.desa_kode", 1)
        )
    } else {
        format!(
            "SELECT COUNT(*) FROM {} t WHERE {where_}",
            if editor { "perangkat" } else { "perangkat_tersimpan" }
        )
    };
    let like_desa = lingkup.pola();
    // The searched text is literal: %, _ and \ match themselves on both backends.
    let pola_cari = if fts {
        // One FTS5 phrase: the text itself, quotes doubled; without the NIK column for a
        // role that sees NIKs masked.
        let frasa = format!("\"{}\"", cari.replace('"', "\"\""));
        if cari_nik {
            frasa
        } else {
            format!("{{nama nomor_sk_pengangkatan}} : {frasa}")
        }
    } else {
        format!(
            "%{}%",
            cari.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
        )
    };
    #[derive(sqlx::FromRow)]
    struct BarisTotal {
        #[sqlx(flatten)]
        baris: Baris,
        total_semua: i64,
    }
    let rows: Vec<BarisTotal> = crate::read!(db, c => {
        let mut q = sqlx::query_as::<_, BarisTotal>(sqlx::AssertSqlSafe(sql)).bind(&like_desa);
        if !cari.is_empty() {
            q = q.bind(&pola_cari);
        }
        q.fetch_all(c).await?
    });
    let total = match rows.first() {
        Some(b) if dengan_total => b.total_semua,
        // A search with no row on the first page has no match at all.
        None if dengan_total && offset == 0 => 0,
        _ => crate::read!(db, c => {
            let mut qj = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql_jumlah)).bind(&like_desa);
            if !cari.is_empty() {
                qj = qj.bind(&pola_cari);
            }
            qj.fetch_one(c).await?
        }),
    };
    Ok((rows.into_iter().map(|b| b.baris).collect(), total))
}

/// Checks the rules that involve other records (SPEC §3): one active definitive position per
/// NIK; one Kepala Desa and one Sekretaris Desa per desa; one Kepala Dusun per dusun.
async fn cek_bentrok(
    tx: &mut Tx,
    id: Option<PerangkatId>,
    mutasi_dari: Option<PerangkatId>,
    d: &Data,
    desa_kode: &str,
) -> Hasil<(FieldErrors, Option<String>)> {
    let mut g: FieldErrors = Vec::new();
    let mut desa_lain = None;
    if !d.definitif() || !d.aktif() {
        return Ok((g, desa_lain));
    }
    let diri = id.map_or(-1, |i| i.0);
    let asal = mutasi_dari.map_or(-1, |i| i.0);
    let nik: Option<(String, String, String, String)> = crate::tx!(tx, c => {
        sqlx::query_as(
            "SELECT t.jabatan, t.dusun, d.nama, t.desa_kode FROM perangkat_tersimpan t JOIN desa d ON d.kode = t.desa_kode
             WHERE t.nik = $1 AND t.status_jabatan = 'definitif' AND t.tanggal_sk_pemberhentian = ''
               AND t.perangkat_id <> $2 AND t.perangkat_id <> $3 LIMIT 1",
        )
        .bind(&d.nik)
        .bind(diri)
        .bind(asal)
        .fetch_optional(c)
        .await?
    });
    if let Some((jab, _, desa_nama, kode)) = nik {
        if kode != desa_kode {
            desa_lain = Some(kode);
        }
        let nama_jab = Jabatan::parse(&jab).map(Jabatan::nama).unwrap_or("jabatan lain");
        g.push((
            "nik",
            format!(
                "NIK ini sudah memegang jabatan definitif aktif sebagai {nama_jab} di Desa {desa_nama}. \
                 Satu NIK hanya boleh satu jabatan definitif; untuk pindah jabatan gunakan Mutasi, \
                 atau pilih status Plt/Pj/Plh."
            ),
        ));
    }
    let tunggal = match d.jabatan_enum() {
        Some(Jabatan::KepalaDesa | Jabatan::SekretarisDesa) => Some(("jabatan", "")),
        Some(Jabatan::KepalaDusun) => Some(("dusun", d.dusun.as_str())),
        _ => None,
    };
    if let Some((field, dusun)) = tunggal {
        let lain: Option<String> = crate::tx!(tx, c => {
            sqlx::query_scalar(
                "SELECT nama FROM perangkat_tersimpan
                 WHERE desa_kode = $1 AND jabatan = $2 AND dusun = $3 AND status_jabatan = 'definitif'
                   AND tanggal_sk_pemberhentian = '' AND perangkat_id <> $4 AND perangkat_id <> $5 LIMIT 1",
            )
            .bind(desa_kode)
            .bind(&d.jabatan)
            .bind(dusun)
            .bind(diri)
            .bind(asal)
            .fetch_optional(c)
            .await?
        });
        if let Some(nama) = lain {
            let apa = match d.jabatan_enum() {
                Some(Jabatan::KepalaDusun) => format!("{} sudah memiliki kepala dusun definitif aktif", d.dusun),
                Some(j) => format!("Desa ini sudah memiliki {} definitif aktif", j.nama()),
                None => String::new(),
            };
            g.push((
                field,
                format!("{apa}: {nama}. Berhentikan dahulu, atau pilih status Plt/Pj/Plh."),
            ));
        }
    }
    Ok((g, desa_lain))
}

/// The refusal of an entry that conflicts with a saved position: when it names another desa it
/// is counted and audited for the account, and past the limit refused with 429 instead
/// (issue 15, point 2; `akun::batas::jawaban_nik_desa_lain`).
async fn tolak_bentrok(db: &Db, akun: &Akun, g: FieldErrors, desa_lain: Option<String>, sumber: &str) -> AppError {
    if let Some(d) = desa_lain {
        match crate::akun::batas::jawaban_nik_desa_lain(db, akun, &[d], sumber, crate::waktu::unix_now()).await {
            Ok(Ok(())) => {}
            Ok(Err(detik)) => return AppError::Dibatasi { detik },
            Err(e) => return e,
        }
    }
    AppError::Validasi(g)
}

/// Every warning of a record: from its values, its documents, and other desa.
pub async fn peringatan(
    db: &Db,
    id: Option<PerangkatId>,
    desa_kode: &str,
    d: &Data,
    hari_ini: Date,
) -> Hasil<Vec<Peringatan>> {
    let mut w = d.peringatan(hari_ini);
    if let Some(id) = id {
        let sk: i64 = crate::read!(db, c => {
            sqlx::query_scalar("SELECT COUNT(*) FROM dokumen WHERE perangkat_id = $1 AND jenis = 'sk_pengangkatan'")
                .bind(id)
                .fetch_one(c)
                .await?
        });
        if sk == 0 {
            w.push(Peringatan {
                kode: "sk_belum_ada",
                field: None,
                pesan: "Pindaian SK pengangkatan belum diunggah.".into(),
            });
        }
    }
    if !d.nik.is_empty() {
        // A second draft of the same person (Back + Simpan Draf, or two operators): the one
        // that is not wanted is removed with Hapus Draf.
        let ganda: Option<(PerangkatId, String)> = crate::read!(db, c => {
            sqlx::query_as(
                "SELECT p.id, p.nama FROM perangkat p
                 WHERE p.desa_kode = $1 AND p.nik = $2 AND p.id <> $3 AND p.dihapus_pada IS NULL
                   AND NOT EXISTS (SELECT 1 FROM perangkat_tersimpan s WHERE s.perangkat_id = p.id)
                 ORDER BY p.id LIMIT 1",
            )
            .bind(desa_kode)
            .bind(&d.nik)
            .bind(id.map_or(-1, |i| i.0))
            .fetch_optional(c)
            .await?
        });
        if let Some((lain, nama)) = ganda {
            w.push(Peringatan {
                kode: "nik_draf_ganda",
                field: Some("nik"),
                pesan: format!(
                    "NIK ini juga dipakai draf lain di desa ini (nomor {lain}, {nama}) yang belum pernah disimpan. \
                     Jika itu entri ganda, hapus salah satunya dengan Hapus Draf."
                ),
            });
        }
    }
    w.extend(tanpa_rekomendasi(db, id, desa_kode, d).await?);
    if !d.nama.is_empty() && !d.tanggal_lahir.is_empty() {
        let lain: Option<String> = crate::read!(db, c => {
            sqlx::query_scalar(
                "SELECT d.nama FROM perangkat_tersimpan t JOIN desa d ON d.kode = t.desa_kode
                 WHERE LOWER(t.nama) = LOWER($1) AND t.tanggal_lahir = $2 AND t.nik <> $3 AND t.desa_kode <> $4
                   AND t.tanggal_sk_pemberhentian = '' LIMIT 1",
            )
            .bind(&d.nama)
            .bind(&d.tanggal_lahir)
            .bind(&d.nik)
            .bind(desa_kode)
            .fetch_optional(c)
            .await?
        });
        if let Some(desa_lain) = lain {
            w.push(Peringatan {
                kode: "orang_sama_nik_beda",
                field: None,
                pesan: format!(
                    "Orang dengan nama dan tanggal lahir yang sama tercatat aktif di Desa {desa_lain} dengan NIK berbeda."
                ),
            });
        }
    }
    Ok(w)
}

/// `tanpa_rekomendasi` (issue 17): once the kecamatan requires the Camat's recommendation (from
/// the date in its settings), an appointment whose SK is dated on or after it needs an approved
/// recommendation of the desa for this person (the one the entry was made from, or one naming
/// the same NIK as the approved candidate), and a dismissal dated on or after it an approved
/// recommendation to dismiss this record. A warning, never an error: old SKs keep loading.
async fn tanpa_rekomendasi(db: &Db, id: Option<PerangkatId>, desa_kode: &str, d: &Data) -> Hasil<Vec<Peringatan>> {
    let sejak: Option<String> = crate::read!(db, c => {
        sqlx::query_scalar(
            "SELECT k.rekomendasi_wajib_sejak FROM desa d JOIN kecamatan k ON k.kode = d.kecamatan_kode WHERE d.kode = $1",
        )
        .bind(desa_kode)
        .fetch_optional(c)
        .await?
    });
    let Some(sejak) = sejak.filter(|s| !s.is_empty()) else {
        return Ok(Vec::new());
    };
    let mut w = Vec::new();
    if !d.tanggal_sk_pengangkatan.is_empty() && d.tanggal_sk_pengangkatan >= sejak {
        let ada: i64 = crate::read!(db, c => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM rekomendasi r
                 WHERE r.desa_kode = $1 AND r.jenis = 'pengangkatan' AND r.status = 'disetujui'
                   AND (r.id = (SELECT p.rekomendasi_id FROM perangkat p WHERE p.id = $2)
                        OR EXISTS (SELECT 1 FROM rekomendasi_calon k
                                   WHERE k.rekomendasi_id = r.id AND k.urutan = r.calon_disetujui AND k.nik = $3 AND k.nik <> ''))",
            )
            .bind(desa_kode)
            .bind(id.map_or(-1, |i| i.0))
            .bind(&d.nik)
            .fetch_one(c)
            .await?
        });
        if ada == 0 {
            w.push(peringatan_tanpa_rekomendasi(
                "pengangkatan",
                &d.tanggal_sk_pengangkatan,
                &sejak,
            ));
        }
    }
    if !d.tanggal_sk_pemberhentian.is_empty() && d.tanggal_sk_pemberhentian >= sejak {
        let ada: i64 = match id {
            Some(id) => crate::read!(db, c => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM rekomendasi WHERE perangkat_id = $1 AND jenis = 'pemberhentian' AND status = 'disetujui'",
                )
                .bind(id)
                .fetch_one(c)
                .await?
            }),
            None => 0,
        };
        if ada == 0 {
            w.push(peringatan_tanpa_rekomendasi(
                "pemberhentian",
                &d.tanggal_sk_pemberhentian,
                &sejak,
            ));
        }
    }
    Ok(w)
}

/// The warning `tanpa_rekomendasi` for an SK of `jenis` ("pengangkatan", "pemberhentian")
/// dated `tanggal_sk`, the kecamatan requiring recommendations since `sejak` (ISO dates).
pub fn peringatan_tanpa_rekomendasi(jenis: &str, tanggal_sk: &str, sejak: &str) -> Peringatan {
    Peringatan {
        kode: "tanpa_rekomendasi",
        field: None,
        pesan: format!(
            "SK {jenis} bertanggal {} tanpa rekomendasi Camat yang disetujui; kecamatan mewajibkan rekomendasi sejak {}.",
            data::tanggal_id(tanggal_sk),
            data::tanggal_id(sejak)
        ),
    }
}

/// Does the record have a document of this kind?
async fn ada_dokumen(tx: &mut Tx, id: PerangkatId, jenis: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = crate::tx!(tx, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM dokumen WHERE perangkat_id = $1 AND jenis = $2")
            .bind(id)
            .bind(jenis)
            .fetch_one(c)
            .await?
    });
    Ok(n > 0)
}

/// One change of a field, for the history.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct Perubahan {
    pub kolom: String,
    pub sebelum: String,
    pub sesudah: String,
}

/// The fields that differ, with the NIK masked (the history is shown to several roles).
pub fn beda(lama: &Data, baru: &Data) -> Vec<Perubahan> {
    KOLOM
        .iter()
        .filter(|k| lama.nilai(k) != baru.nilai(k))
        .map(|k| {
            let samar = |v: &str| {
                if *k == "nik" && !v.is_empty() {
                    nik::samarkan(v)
                } else {
                    v.to_string()
                }
            };
            Perubahan {
                kolom: k.to_string(),
                sebelum: samar(lama.nilai(k)),
                sesudah: samar(baru.nilai(k)),
            }
        })
        .collect()
}

async fn catat_riwayat(
    tx: &mut Tx,
    id: PerangkatId,
    waktu: i64,
    akun: &Akun,
    aksi: &str,
    catatan: &str,
    perubahan: &[Perubahan],
) -> Result<(), sqlx::Error> {
    crate::tx!(tx, c => {
        sqlx::query("INSERT INTO riwayat (perangkat_id, waktu, username, aksi, catatan, perubahan) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(waktu)
            .bind(&akun.username)
            .bind(aksi)
            .bind(catatan)
            .bind(serde_json::to_string(perubahan).unwrap_or_else(|_| "[]".into()))
            .execute(c)
            .await?;
    });
    Ok(())
}

/// The context validation needs.
async fn konteks_desa(db: &Db, akun: &Akun, desa_kode: &str) -> Hasil<(Desa, Vec<String>)> {
    let d = desa::ambil(db, akun, desa_kode).await?;
    let dusun = desa::dusun(db, desa_kode).await?;
    Ok((d, dusun))
}

/// The moment of an action: today's date in the instance's zone (for date rules) and the
/// Unix time (for records).
#[derive(Clone, Copy, Debug)]
pub struct Saat {
    pub hari_ini: Date,
    pub sekarang: i64,
}

/// The result of writing an entry.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HasilTulis {
    #[schema(value_type = i64)]
    pub id: PerangkatId,
    pub status: &'static str,
    pub versi: i64,
    pub peringatan: Vec<Peringatan>,
}

/// Creates an entry (`draft`) in the desa (SOP steps 2–3). `mutasi_dari`: the record of the
/// same person this entry moves from (see [`mutasi`]).
pub async fn buat(
    db: &Db,
    akun: &Akun,
    desa_kode: &str,
    input: &Data,
    mutasi_dari: Option<PerangkatId>,
    saat: Saat,
) -> Hasil<HasilTulis> {
    buat_lengkap(db, akun, desa_kode, input, mutasi_dari, None, saat).await
}

/// [`buat`], linked to the approved Camat's recommendation it was made from (the caller,
/// `rekomendasi::buat_perangkat`, has checked that the entry is its approved candidate).
pub async fn buat_lengkap(
    db: &Db,
    akun: &Akun,
    desa_kode: &str,
    input: &Data,
    mutasi_dari: Option<PerangkatId>,
    rekomendasi_id: Option<RekomendasiId>,
    saat: Saat,
) -> Hasil<HasilTulis> {
    let Saat { hari_ini, sekarang } = saat;
    if !akun.cakupan.memuat(desa_kode) {
        return Err(AppError::TidakDitemukan);
    }
    if !boleh_ubah(akun, desa_kode) {
        return Err(AppError::Terlarang);
    }
    let (desa, dusun) = konteks_desa(db, akun, desa_kode).await?;
    // A new tenure is never entered as already dismissed; that is done with Pemberhentian.
    let mut input = input.clone();
    input.nomor_sk_pemberhentian.clear();
    input.tanggal_sk_pemberhentian.clear();
    input.alasan_pemberhentian.clear();
    let d = input
        .validasi(&Konteks {
            desa: &desa,
            dusun: &dusun,
            hari_ini,
        })
        .map_err(AppError::Validasi)?;
    let mut tx = db.begin().await?;
    let (g, lain) = cek_bentrok(&mut tx, None, mutasi_dari, &d, desa_kode).await?;
    if !g.is_empty() {
        tx.rollback().await?;
        return Err(tolak_bentrok(db, akun, g, lain, "buat").await);
    }
    let id: PerangkatId = crate::tx!(&mut tx, c => {
        let q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql_buat())).bind(desa_kode).bind(mutasi_dari);
        bind_data!(q, d).bind(sekarang).fetch_one(c).await?
    });
    if let Some(r) = rekomendasi_id {
        crate::tx!(&mut tx, c => {
            sqlx::query("UPDATE perangkat SET rekomendasi_id = $2 WHERE id = $1")
                .bind(id)
                .bind(r)
                .execute(c)
                .await?;
        });
    }
    let semua = beda(&Data::default(), &d);
    catat_riwayat(
        &mut tx,
        id,
        sekarang,
        akun,
        if mutasi_dari.is_some() {
            "mutasi_dibuat"
        } else {
            "dibuat"
        },
        "",
        &semua,
    )
    .await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::PerangkatDibuat,
        &format!("perangkat:{id}"),
        json!({ "desa": desa_kode, "jabatan": d.jabatan, "rekomendasi": rekomendasi_id }),
    )
    .await?;
    tx.commit().await?;
    let peringatan = peringatan(db, Some(id), desa_kode, &d, hari_ini).await?;
    Ok(HasilTulis {
        id,
        status: "draft",
        versi: 1,
        peringatan,
    })
}

/// Changes an entry. `versi` must be the version the change was made from (else 409: never a
/// lost update). A saved record becomes a revision (`draft`); its saved version stays what
/// everybody else sees until the revision passes the check.
pub async fn ubah(
    db: &Db,
    akun: &Akun,
    id: PerangkatId,
    versi: i64,
    input: &Data,
    aksi: &str,
    saat: Saat,
) -> Hasil<HasilTulis> {
    let Saat { hari_ini, sekarang } = saat;
    let lama = ambil(db, akun, id).await?;
    if !boleh_ubah(akun, &lama.desa_kode) {
        return Err(AppError::Terlarang);
    }
    if lama.versi != versi {
        return Err(konflik());
    }
    let (desa, dusun) = konteks_desa(db, akun, &lama.desa_kode).await?;
    // A recorded dismissal is never dropped by an edit that does not carry it (a form without
    // those fields, a client that omits them); it can be corrected, not silently erased.
    let mut input = input.clone();
    if input.alasan_pemberhentian.trim() == AlasanBerhenti::Mutasi.kode()
        && lama.data.alasan_pemberhentian != AlasanBerhenti::Mutasi.kode()
    {
        return Err(AppError::Validasi(vec![(
            "alasan_pemberhentian",
            "Alasan \"mutasi\" dicatat otomatis saat data Mutasi disimpan; pilih alasan lain.".into(),
        )]));
    }
    if !lama.data.aktif()
        && input.nomor_sk_pemberhentian.trim().is_empty()
        && input.tanggal_sk_pemberhentian.trim().is_empty()
        && input.alasan_pemberhentian.trim().is_empty()
    {
        input.nomor_sk_pemberhentian = lama.data.nomor_sk_pemberhentian.clone();
        input.tanggal_sk_pemberhentian = lama.data.tanggal_sk_pemberhentian.clone();
        input.alasan_pemberhentian = lama.data.alasan_pemberhentian.clone();
    }
    let d = input
        .validasi(&Konteks {
            desa: &desa,
            dusun: &dusun,
            hari_ini,
        })
        .map_err(AppError::Validasi)?;
    let mut tx = db.begin().await?;
    let (g, lain) = cek_bentrok(&mut tx, Some(id), lama.mutasi_dari, &d, &lama.desa_kode).await?;
    if !g.is_empty() {
        tx.rollback().await?;
        return Err(tolak_bentrok(db, akun, g, lain, "ubah").await);
    }
    let n = crate::tx!(&mut tx, c => {
        let q = sqlx::query(sqlx::AssertSqlSafe(sql_ubah()));
        bind_data!(q, d).bind(sekarang).bind(id).bind(versi).execute(c).await?.rows_affected()
    });
    if n == 0 {
        tx.rollback().await?;
        return Err(konflik());
    }
    let perubahan = beda(&lama.data, &d);
    catat_riwayat(&mut tx, id, sekarang, akun, aksi, "", &perubahan).await?;
    let kolom: Vec<&str> = perubahan.iter().map(|p| p.kolom.as_str()).collect();
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::PerangkatDiubah,
        &format!("perangkat:{id}"),
        json!({ "kolom": kolom }),
    )
    .await?;
    tx.commit().await?;
    let peringatan = peringatan(db, Some(id), &lama.desa_kode, &d, hari_ini).await?;
    Ok(HasilTulis {
        id,
        status: "draft",
        versi: versi + 1,
        peringatan,
    })
}

fn konflik() -> AppError {
    AppError::Konflik(
        "Data ini sudah diubah orang lain (atau di tab lain) sejak Anda membukanya. \
         Muat ulang halaman untuk melihat versi terbaru, lalu ulangi perubahan Anda."
            .into(),
    )
}

/// The check against the SK (SOP step 4). `sesuai`: the entry matches its SK and is saved
/// (`tersimpan`, step 5); otherwise a note is required and it goes back for correction.
pub async fn periksa(
    db: &Db,
    akun: &Akun,
    id: PerangkatId,
    sesuai: bool,
    catatan: &str,
    versi: Option<i64>,
    saat: Saat,
) -> Hasil<HasilTulis> {
    let Saat { hari_ini, sekarang } = saat;
    let p = ambil(db, akun, id).await?;
    if !boleh_ubah(akun, &p.desa_kode) {
        return Err(AppError::Terlarang);
    }
    if versi.is_some_and(|v| v != p.versi) {
        return Err(konflik());
    }
    if p.status_alur() == StatusAlur::Tersimpan {
        return Err(AppError::Konflik(
            "Data ini sudah tersimpan; tidak ada perubahan yang perlu diperiksa.".into(),
        ));
    }
    let catatan = catatan.split_whitespace().collect::<Vec<_>>().join(" ");
    if catatan.chars().count() > 500 {
        return Err(AppError::Validasi(vec![(
            "catatan",
            "Catatan paling banyak 500 karakter.".into(),
        )]));
    }
    let mut tx = db.begin().await?;
    if !sesuai {
        if catatan.is_empty() {
            return Err(AppError::Validasi(vec![(
                "catatan",
                "Tuliskan apa yang tidak sesuai dengan SK.".into(),
            )]));
        }
        let n = crate::tx!(&mut tx, c => {
            sqlx::query("UPDATE perangkat SET status = 'perlu_perbaikan', catatan_pemeriksaan = $1, versi = versi + 1, diubah_pada = $2 WHERE id = $3 AND versi = $4")
                .bind(&catatan)
                .bind(sekarang)
                .bind(id)
                .bind(p.versi)
                .execute(c)
                .await?
                .rows_affected()
        });
        if n == 0 {
            return Err(konflik());
        }
        catat_riwayat(&mut tx, id, sekarang, akun, "tidak_sesuai", &catatan, &[]).await?;
        audit::catat(
            &mut tx,
            sekarang,
            &akun.pelaku(),
            audit::Aksi::PemeriksaanTidakSesuai,
            &format!("perangkat:{id}"),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        let w = peringatan(db, Some(id), &p.desa_kode, &p.data, hari_ini).await?;
        return Ok(HasilTulis {
            id,
            status: "perlu_perbaikan",
            versi: p.versi + 1,
            peringatan: w,
        });
    }

    // "Sesuai": the SK document is required, and every rule is checked again now.
    if !ada_dokumen(&mut tx, id, "sk_pengangkatan").await? {
        return Err(AppError::Validasi(vec![(
            "berkas",
            "Unggah pindaian SK pengangkatan terlebih dahulu; data hanya dapat disimpan setelah dicocokkan dengan SK."
                .into(),
        )]));
    }
    // A dismissal is checked against its own SK — unless the saved version was closed by a
    // transfer (then the new tenure's SK is the decree).
    let sql = format!("{} WHERE perangkat_id = $1", select_tersimpan());
    let lama: Option<Tersimpan> =
        crate::tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await?);
    let ditutup_mutasi = lama
        .as_ref()
        .is_some_and(|t| t.data.alasan_pemberhentian == AlasanBerhenti::Mutasi.kode());
    if !p.data.aktif() && !ditutup_mutasi && !ada_dokumen(&mut tx, id, "sk_pemberhentian").await? {
        return Err(AppError::Validasi(vec![(
            "berkas",
            "Unggah pindaian SK pemberhentian terlebih dahulu; pemberhentian hanya dapat disimpan setelah dicocokkan dengan SK-nya.".into(),
        )]));
    }
    let (desa, dusun) = konteks_desa(db, akun, &p.desa_kode).await?;
    p.data
        .validasi(&Konteks {
            desa: &desa,
            dusun: &dusun,
            hari_ini,
        })
        .map_err(AppError::Validasi)?;
    let (g, lain) = cek_bentrok(&mut tx, Some(id), p.mutasi_dari, &p.data, &p.desa_kode).await?;
    if !g.is_empty() {
        tx.rollback().await?;
        return Err(tolak_bentrok(db, akun, g, lain, "pemeriksaan").await);
    }
    // A transfer closes the tenure it comes from, in the same transaction.
    if let Some(asal) = p.mutasi_dari
        && lama.is_none()
    {
        tutup_asal_mutasi(&mut tx, akun, asal, &p, &desa, sekarang).await?;
    }
    let n = crate::tx!(&mut tx, c => {
        sqlx::query("UPDATE perangkat SET status = 'tersimpan', catatan_pemeriksaan = '', dikembalikan = FALSE, catatan_kecamatan = '', versi = versi + 1, diubah_pada = $1 WHERE id = $2 AND versi = $3")
            .bind(sekarang)
            .bind(id)
            .bind(p.versi)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(konflik());
    }
    let salin = format!(
        "INSERT INTO perangkat_tersimpan (perangkat_id, desa_kode, versi, {k}, disimpan_pada, disimpan_oleh, dokumen_terakhir)
         SELECT id, desa_kode, versi, {k}, $2, $3,
                (SELECT COALESCE(MAX(k.id), 0) FROM dokumen k WHERE k.perangkat_id = $1)
         FROM perangkat WHERE id = $1",
        k = kolom_sql()
    );
    let r: Result<(), sqlx::Error> = crate::tx!(&mut tx, c => {
        async {
            sqlx::query("DELETE FROM perangkat_tersimpan WHERE perangkat_id = $1").bind(id).execute(&mut *c).await?;
            sqlx::query(sqlx::AssertSqlSafe(salin)).bind(id).bind(sekarang).bind(&akun.username).execute(&mut *c).await?;
            Ok(())
        }
        .await
    });
    match r {
        Ok(()) => {}
        // Another save won a race for the same position or NIK (the unique index holds).
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Konflik(
                "Jabatan atau NIK ini baru saja disimpan untuk orang lain. Muat ulang dan periksa kembali.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let perubahan = beda(&lama.map(|t| t.data).unwrap_or_default(), &p.data);
    catat_riwayat(&mut tx, id, sekarang, akun, "disimpan", &catatan, &perubahan).await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::PerangkatDisimpan,
        &format!("perangkat:{id}"),
        json!({ "desa": p.desa_kode }),
    )
    .await?;
    tx.commit().await?;
    let w = peringatan(db, Some(id), &p.desa_kode, &p.data, hari_ini).await?;
    Ok(HasilTulis {
        id,
        status: "tersimpan",
        versi: p.versi + 1,
        peringatan: w,
    })
}

/// Closes the tenure a transfer comes from, decided by its *saved* version (what the register
/// says): the saved and the working row are closed with the new SK and their bookkeeping follows.
/// Refused while the old tenure has a dismissal draft of its own (one of the two must go first).
async fn tutup_asal_mutasi(
    tx: &mut Tx,
    akun: &Akun,
    asal: PerangkatId,
    baru: &Perangkat,
    desa: &Desa,
    sekarang: i64,
) -> Hasil<()> {
    let sql = format!("{} WHERE perangkat_id = $1", select_tersimpan());
    let tersimpan: Option<Tersimpan> =
        crate::tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(asal).fetch_optional(c).await?);
    let Some(t) = tersimpan.filter(|t| t.data.aktif()) else {
        return Ok(());
    };
    let lama = ambil_tx(tx, asal).await?;
    if !lama.data.aktif() {
        return Err(AppError::Konflik(
            "Jabatan lama orang ini sedang dalam draf pemberhentian. Simpan atau batalkan draf itu dahulu, lalu simpan mutasi ini."
                .into(),
        ));
    }
    if let (Some(baru_tmt), Some(lama_tmt)) = (data::tanggal(&baru.data.tmt), data::tanggal(&t.data.tmt))
        && baru_tmt <= lama_tmt
    {
        return Err(AppError::Validasi(vec![(
            "tmt",
            format!(
                "TMT jabatan baru harus sesudah TMT jabatan lama ({}).",
                crate::waktu::tanggal(lama_tmt)
            ),
        )]));
    }
    let tutup = |mut d: Data| {
        d.nomor_sk_pemberhentian = baru.data.nomor_sk_pengangkatan.clone();
        d.tanggal_sk_pemberhentian = baru.data.tmt.clone();
        d.alasan_pemberhentian = AlasanBerhenti::Mutasi.kode().into();
        let ket = format!("Mutasi menjadi {}.", baru.data.nama_jabatan(desa));
        d.keterangan = if d.keterangan.is_empty() {
            ket
        } else {
            format!("{} {ket}", d.keterangan)
        };
        d
    };
    let d = tutup(t.data.clone());
    let versi_baru = lama.versi + 1;
    for (tabel, kunci) in [("perangkat_tersimpan", "perangkat_id"), ("perangkat", "id")] {
        let sql = format!(
            "UPDATE {tabel} SET nomor_sk_pemberhentian = $1, tanggal_sk_pemberhentian = $2, alasan_pemberhentian = $3,
             keterangan = $4 WHERE {kunci} = $5"
        );
        crate::tx!(tx, c => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&d.nomor_sk_pemberhentian)
                .bind(&d.tanggal_sk_pemberhentian)
                .bind(&d.alasan_pemberhentian)
                .bind(&d.keterangan)
                .bind(asal)
                .execute(c)
                .await?;
        });
    }
    crate::tx!(tx, c => {
        // A transfer closes the tenure: a return by the kecamatan or its verification was about
        // the tenure as it was.
        sqlx::query(
            "UPDATE perangkat SET versi = $1, diubah_pada = $2, dikembalikan = FALSE, catatan_kecamatan = '',
                    status = CASE WHEN dikembalikan THEN 'tersimpan' ELSE status END
             WHERE id = $3",
        )
            .bind(versi_baru)
            .bind(sekarang)
            .bind(asal)
            .execute(&mut *c)
            .await?;
        sqlx::query("UPDATE perangkat_tersimpan SET versi = $1, disimpan_pada = $2, disimpan_oleh = $3, verifikasi_oleh = '', verifikasi_pada = NULL WHERE perangkat_id = $4")
            .bind(versi_baru)
            .bind(sekarang)
            .bind(&akun.username)
            .bind(asal)
            .execute(&mut *c)
            .await?;
    });
    catat_riwayat(
        tx,
        asal,
        sekarang,
        akun,
        "dimutasi",
        &format!("Pindah ke data #{}", baru.id),
        &beda(&t.data, &d),
    )
    .await?;
    audit::catat(
        tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::PerangkatDimutasi,
        &format!("perangkat:{asal}"),
        json!({ "ke": baru.id }),
    )
    .await?;
    Ok(())
}

/// Input of a dismissal (pemberhentian).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct InputBerhenti {
    #[serde(default)]
    pub nomor_sk_pemberhentian: String,
    #[serde(default)]
    pub tanggal_sk_pemberhentian: String,
    #[serde(default)]
    pub alasan_pemberhentian: String,
    #[serde(default)]
    pub keterangan: String,
    #[serde(default)]
    pub versi: i64,
}

/// Records a dismissal: a revision of the saved record with the SK pemberhentian, which goes
/// through the same check. Nothing is overwritten: the tenure stays in the history.
pub async fn berhentikan(db: &Db, akun: &Akun, id: PerangkatId, b: &InputBerhenti, saat: Saat) -> Hasil<HasilTulis> {
    let p = ambil(db, akun, id).await?;
    if !p.data.aktif() {
        return Err(AppError::Konflik("Perangkat ini sudah tercatat berhenti.".into()));
    }
    let mut g: FieldErrors = Vec::new();
    for (f, v) in [
        ("nomor_sk_pemberhentian", &b.nomor_sk_pemberhentian),
        ("tanggal_sk_pemberhentian", &b.tanggal_sk_pemberhentian),
        ("alasan_pemberhentian", &b.alasan_pemberhentian),
    ] {
        if v.trim().is_empty() {
            g.push((f, format!("{} wajib diisi.", label_kolom(f))));
        }
    }
    if !g.is_empty() {
        return Err(AppError::Validasi(g));
    }
    if b.alasan_pemberhentian.trim() == AlasanBerhenti::Mutasi.kode() {
        return Err(AppError::Validasi(vec![(
            "alasan_pemberhentian",
            "Untuk pindah jabatan gunakan Mutasi; alasan \"mutasi\" dicatat otomatis.".into(),
        )]));
    }
    let mut d = p.data.clone();
    d.nomor_sk_pemberhentian = b.nomor_sk_pemberhentian.clone();
    d.tanggal_sk_pemberhentian = b.tanggal_sk_pemberhentian.clone();
    d.alasan_pemberhentian = b.alasan_pemberhentian.clone();
    if !b.keterangan.trim().is_empty() {
        d.keterangan = b.keterangan.clone();
    }
    ubah(db, akun, id, b.versi, &d, "pemberhentian", saat).await
}

/// Starts a transfer (mutasi): a new entry for the same person in a new position under a new
/// SK. When it is saved, the old tenure is closed with the new SK (reason: mutasi).
pub async fn mutasi(db: &Db, akun: &Akun, id: PerangkatId, input: &Data, saat: Saat) -> Hasil<HasilTulis> {
    let lama = ambil(db, akun, id).await?;
    let tersimpan = ambil_tersimpan(db, akun, id)
        .await?
        .ok_or_else(|| AppError::Konflik("Mutasi hanya untuk perangkat yang datanya sudah tersimpan.".into()))?;
    if !lama.data.aktif() && tersimpan.data.aktif() {
        return Err(AppError::Konflik(
            "Jabatan ini sedang dalam draf pemberhentian. Simpan atau batalkan draf itu dahulu.".into(),
        ));
    }
    if !tersimpan.data.aktif() {
        return Err(AppError::Konflik(
            "Perangkat ini sudah tidak aktif; gunakan Tambah Perangkat untuk pengangkatan baru.".into(),
        ));
    }
    let mut d = tersimpan.data.clone();
    // The person stays; the position and its SK are new.
    d.jabatan = input.jabatan.clone();
    d.dusun = input.dusun.clone();
    d.status_jabatan = input.status_jabatan.clone();
    d.nomor_sk_pengangkatan = input.nomor_sk_pengangkatan.clone();
    d.tanggal_sk_pengangkatan = input.tanggal_sk_pengangkatan.clone();
    d.tmt = input.tmt.clone();
    d.keterangan = input.keterangan.clone();
    d.akhir_masa_jabatan_sk.clear();
    if let (Some(baru), Some(lama_tmt)) = (data::tanggal(&d.tmt), data::tanggal(&tersimpan.data.tmt))
        && baru <= lama_tmt
    {
        return Err(AppError::Validasi(vec![(
            "tmt",
            format!(
                "TMT jabatan baru harus sesudah TMT jabatan lama ({}).",
                crate::waktu::tanggal(lama_tmt)
            ),
        )]));
    }
    buat(db, akun, &lama.desa_kode, &d, Some(id), saat).await
}

/// Cancels a revision: the working values go back to the saved version (nothing saved is
/// touched; the cancelled values stay in the history).
pub async fn batalkan(db: &Db, akun: &Akun, id: PerangkatId, versi: i64, sekarang: i64) -> Hasil<HasilTulis> {
    let p = ambil(db, akun, id).await?;
    if !boleh_ubah(akun, &p.desa_kode) {
        return Err(AppError::Terlarang);
    }
    if p.versi != versi {
        return Err(konflik());
    }
    let t = ambil_tersimpan(db, akun, id).await?.ok_or_else(|| {
        AppError::Konflik("Data ini belum pernah disimpan; tidak ada versi tersimpan untuk dikembalikan.".into())
    })?;
    if p.status_alur() == StatusAlur::Tersimpan {
        return Err(AppError::Konflik(
            "Tidak ada perubahan yang menunggu pemeriksaan.".into(),
        ));
    }
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        let q = sqlx::query(sqlx::AssertSqlSafe(sql_batalkan()));
        bind_data!(q, t.data).bind(sekarang).bind(id).bind(versi).execute(c).await?.rows_affected()
    });
    if n == 0 {
        return Err(konflik());
    }
    catat_riwayat(
        &mut tx,
        id,
        sekarang,
        akun,
        "revisi_dibatalkan",
        "",
        &beda(&p.data, &t.data),
    )
    .await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::RevisiDibatalkan,
        &format!("perangkat:{id}"),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    // A record returned by the kecamatan goes back to its saved values but still waits for
    // the check.
    let status = if dikembalikan(db, id).await? {
        "perlu_perbaikan"
    } else {
        "tersimpan"
    };
    Ok(HasilTulis {
        id,
        status,
        versi: versi + 1,
        peringatan: vec![],
    })
}

/// Removes an entry that was never saved (*Hapus Draf*): a mistaken entry, or a second draft of
/// the same person. `versi`, when given, must be the version the user saw. The row stays, marked
/// removed, with its history and documents (migration 9); from then on it is "not found"
/// everywhere but in its Riwayat and the audit log. A record with a saved version is part of the
/// register and is never removed: 409 (it ends by Pemberhentian).
pub async fn hapus_draf(db: &Db, akun: &Akun, id: PerangkatId, versi: Option<i64>, sekarang: i64) -> Hasil<()> {
    let p = boleh_tulis(db, akun, id).await?;
    if let Some(v) = versi
        && v != p.versi
    {
        return Err(konflik());
    }
    let mut tx = db.begin().await?;
    let n = crate::tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE perangkat SET dihapus_pada = $1, dihapus_oleh = $2, versi = versi + 1, diubah_pada = $1
             WHERE id = $3 AND versi = $4 AND dihapus_pada IS NULL
               AND NOT EXISTS (SELECT 1 FROM perangkat_tersimpan s WHERE s.perangkat_id = $3)",
        )
        .bind(sekarang)
        .bind(&akun.username)
        .bind(id)
        .bind(p.versi)
        .execute(c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        tx.rollback().await?;
        return Err(if ambil_tersimpan(db, akun, id).await?.is_some() {
            AppError::Konflik(
                "Data ini sudah pernah disimpan dan menjadi bagian dari buku register; data tersimpan tidak dapat dihapus. \
                 Akhiri jabatannya dengan Pemberhentian."
                    .into(),
            )
        } else {
            konflik()
        });
    }
    catat_riwayat(&mut tx, id, sekarang, akun, "draf_dihapus", "", &[]).await?;
    audit::catat(
        &mut tx,
        sekarang,
        &akun.pelaku(),
        audit::Aksi::DrafDihapus,
        &format!("perangkat:{id}"),
        json!({ "desa": p.desa_kode, "jabatan": p.data.jabatan, "nama": p.data.nama }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Was the record returned by the kecamatan (and not saved again since)?
async fn dikembalikan(db: &Db, id: PerangkatId) -> Hasil<bool> {
    let d: Option<bool> = crate::read!(db, c => {
        sqlx::query_scalar("SELECT dikembalikan FROM perangkat WHERE id = $1").bind(id).fetch_optional(c).await?
    });
    Ok(d.unwrap_or(false))
}

/// A history entry.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Riwayat {
    pub waktu: i64,
    pub username: String,
    /// The person's full name and role, when the username is an account (issue 14, point 12).
    pub nama_pelaku: Option<String>,
    pub peran_pelaku: Option<crate::akun::peran::Peran>,
    pub aksi: String,
    pub catatan: String,
    pub perubahan: String,
}

impl Riwayat {
    pub fn daftar_perubahan(&self) -> Vec<Perubahan> {
        serde_json::from_str(&self.perubahan).unwrap_or_default()
    }

    /// Who did it, as people read it: "Siti Rahmah (Operator Desa)"; the username when the
    /// account has no name or is not an account (the machine, an import).
    pub fn pelaku(&self) -> String {
        let nama = self.nama_pelaku.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let peran = self.peran_pelaku.map(|p| p.label());
        match (nama, peran) {
            (Some(n), Some(p)) => format!("{n} ({p})"),
            (Some(n), None) => n.to_string(),
            (None, _) => self.username.clone(),
        }
    }

    pub fn label(&self) -> &'static str {
        match self.aksi.as_str() {
            "dibuat" => "Data dimasukkan",
            "mutasi_dibuat" => "Data mutasi dimasukkan",
            "diubah" => "Data diubah",
            "pemberhentian" => "Pemberhentian dicatat",
            "tidak_sesuai" => "Pemeriksaan: tidak sesuai dengan SK",
            "disimpan" => "Pemeriksaan: sesuai dengan SK — tersimpan",
            "dimutasi" => "Ditutup karena mutasi",
            "dokumen_diunggah" => "Dokumen diunggah",
            "revisi_dibatalkan" => "Perubahan dibatalkan; kembali ke data tersimpan",
            "diverifikasi" => "Terverifikasi kecamatan",
            "dikembalikan_kecamatan" => "Dikembalikan kecamatan untuk diperiksa ulang",
            "dicek_mesin" => "Pemeriksaan mesin terhadap SK",
            "draf_dihapus" => "Draf dihapus (belum pernah disimpan)",
            _ => "Perubahan",
        }
    }
}

/// The history of a record in the user's scope (empty outside it).
pub async fn riwayat(db: &Db, akun: &Akun, id: PerangkatId) -> Hasil<Vec<Riwayat>> {
    let sql = format!(
        "SELECT r.waktu, r.username, u.nama_lengkap AS nama_pelaku, u.peran AS peran_pelaku, r.aksi, r.catatan, r.perubahan
         FROM riwayat r
         JOIN perangkat p ON p.id = r.perangkat_id
         LEFT JOIN pengguna u ON u.username = r.username
         WHERE r.perangkat_id = $1 AND {} ORDER BY r.id DESC",
        akun.cakupan.syarat("p.desa_kode", 2)
    );
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, Riwayat>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(akun.cakupan.pola())
            .fetch_all(c)
            .await?
    });
    Ok(rows)
}

/// Other tenures of the same person (riwayat jabatan), in the user's scope.
pub async fn riwayat_jabatan(db: &Db, akun: &Akun, nik: &str, kecuali: PerangkatId) -> Hasil<Vec<Baris>> {
    let kol = medan::kolom_dengan("t.");
    let sql = format!(
        "SELECT t.perangkat_id AS id, t.desa_kode, 'tersimpan' AS status, t.versi, '' AS catatan_pemeriksaan, (1 = 1) AS pernah_disimpan, {kol}
         FROM perangkat_tersimpan t WHERE t.nik = $1 AND t.perangkat_id <> $2 AND {} ORDER BY t.tmt DESC",
        akun.cakupan.syarat("t.desa_kode", 3)
    );
    let rows = crate::read!(db, c => {
        sqlx::query_as::<_, Baris>(sqlx::AssertSqlSafe(sql)).bind(nik).bind(kecuali).bind(akun.cakupan.pola()).fetch_all(c).await?
    });
    Ok(rows)
}

/// The desa's vacancies: its structure minus its active definitive officials (saved data).
pub async fn lowongan(db: &Db, desa: &Desa, dusun: &[String]) -> Hasil<Vec<PosisiStruktur>> {
    let terisi: Vec<(String, String)> = crate::read!(db, c => {
        sqlx::query_as(
            "SELECT jabatan, dusun FROM perangkat_tersimpan
             WHERE desa_kode = $1 AND status_jabatan = 'definitif' AND tanggal_sk_pemberhentian = ''",
        )
        .bind(&desa.kode)
        .fetch_all(c)
        .await?
    });
    let terisi: Vec<(&str, &str)> = terisi.iter().map(|(j, d)| (j.as_str(), d.as_str())).collect();
    Ok(lowongan_dari(desa, dusun, &terisi))
}

/// The positions of the structure that no active definitive official (`terisi`: position code
/// and dusun) holds.
pub fn lowongan_dari(desa: &Desa, dusun: &[String], terisi: &[(&str, &str)]) -> Vec<PosisiStruktur> {
    desa.posisi(dusun)
        .into_iter()
        .filter(|p| {
            !terisi
                .iter()
                .any(|(j, du)| *j == p.jabatan && p.dusun.as_deref().unwrap_or("") == *du)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The placeholder numbers of a statement.
    fn tempat(sql: &str) -> BTreeSet<usize> {
        sql.split('$')
            .skip(1)
            .filter_map(|s| {
                let n: String = s.chars().take_while(char::is_ascii_digit).collect();
                n.parse().ok()
            })
            .collect()
    }

    #[test]
    fn tempat_sesuai_bind() {
        let n = medan::JUMLAH;
        // buat: desa, mutasi_dari, the data, the time (twice).
        assert_eq!(tempat(sql_buat()), (1..=n + 3).collect());
        // ubah and batalkan: the data, the time, id, version.
        assert_eq!(tempat(sql_ubah()), (1..=n + 3).collect());
        assert_eq!(tempat(sql_batalkan()), (1..=n + 3).collect());
        // The INSERT names as many columns as it gives values.
        let (kolom, nilai) = sql_buat().split_once("VALUES").unwrap();
        let hitung = |s: &str| s[s.find('(').unwrap()..s.find(')').unwrap()].split(',').count();
        assert_eq!(hitung(kolom), hitung(nilai));
        assert_eq!(hitung(kolom), n + 6);
        for sql in [sql_ubah(), sql_batalkan()] {
            for k in KOLOM {
                assert!(sql.contains(&format!(" {k} = $")), "{k}");
            }
        }
        assert_eq!(Data::default().semua_nilai().len(), n);
    }
}
