//! Deadlines (Tenggat, issue 17): every legal deadline of the user's scope in one list, overdue
//! first — a recommendation waiting for the Camat, a vacancy older than two months (from the
//! end of the last holder's tenure), an acting (Plt/Pj/Plh) assignment without an end or past
//! its limit, an official aged 60 still active, turning 60 or the end of a Kepala Desa's term
//! (8 years, UU 3/2024) within 6 months. Saved data only, like the kecamatan's pages.

use std::collections::HashMap;

use serde::Serialize;
use time::{Date, Duration};

use super::{Rekomendasi, StatusRekomendasi};
use crate::akun::Akun;
use crate::db::Db;
use crate::desa::jabatan::Jabatan;
use crate::error::Hasil;
use crate::kecamatan;
use crate::kode::Kode;
use crate::perangkat::data::{iso, tambah_tahun, tanggal, umur};
use crate::perangkat::kode::StatusJabatan;

crate::kode_enum!(
    /// What a deadline is about.
    JenisTenggat {
        Rekomendasi => "rekomendasi", "Rekomendasi Camat";
        JabatanKosong => "jabatan_kosong", "Jabatan kosong";
        PenjabatSementara => "penjabat_sementara", "Plt/Pj/Plh";
        Usia60 => "usia_60", "Usia 60 tahun";
        MasaJabatan => "masa_jabatan", "Akhir masa jabatan";
    }
);

/// A vacancy is filled within two months.
const BULAN_LOWONGAN: i64 = 61;
/// An acting assignment without its own end is looked at after six months.
const HARI_PENJABAT: i64 = 183;
/// Turning 60 or the end of a term is listed six months ahead.
const HARI_KE_DEPAN: i64 = 183;

/// One deadline.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Tenggat {
    #[schema(schema_with = JenisTenggat::skema)]
    pub jenis: JenisTenggat,
    pub desa_kode: String,
    pub desa_nama: String,
    /// YYYY-MM-DD
    pub batas: String,
    pub terlambat: bool,
    /// The page of the record.
    pub tautan: String,
    /// What it is about, in words (no NIK).
    pub keterangan: String,
}

impl Tenggat {
    pub fn batas_id(&self) -> String {
        crate::perangkat::data::tanggal_id(&self.batas)
    }
    pub fn label_jenis(&self) -> &'static str {
        self.jenis.label()
    }
}

fn tambah_hari(d: Date, n: i64) -> Date {
    d + Duration::days(n)
}

/// Every deadline of `akun`'s scope, overdue first, then by date.
pub async fn daftar(db: &Db, akun: &Akun, hari_ini: Date) -> Hasil<Vec<Tenggat>> {
    let w = kecamatan::muat(db, akun, None).await?;
    daftar_dari(db, akun, &w, hari_ini).await
}

/// [`daftar`] from the scope's data already loaded (`w` must be `akun`'s whole scope: the
/// dashboard loads it once for its figures and its deadline tile — issue 16: it was loaded
/// twice per dashboard).
pub async fn daftar_dari(db: &Db, akun: &Akun, w: &kecamatan::Wilayah, hari_ini: Date) -> Hasil<Vec<Tenggat>> {
    let mut v = Vec::new();
    // Requests waiting for the Camat.
    let menunggu: Vec<Rekomendasi> = super::daftar(db, akun, None, Some(StatusRekomendasi::Diajukan), 10_000).await?;
    let nama_desa: HashMap<&str, &crate::desa::Desa> = w.desa.iter().map(|d| (d.kode.as_str(), d)).collect();
    for r in &menunggu {
        let Some(b) = r.batas() else { continue };
        let jabatan = nama_desa
            .get(r.desa_kode.as_str())
            .map(|d| r.nama_jabatan(d))
            .unwrap_or_else(|| r.jabatan.clone());
        v.push(Tenggat {
            jenis: JenisTenggat::Rekomendasi,
            desa_kode: r.desa_kode.clone(),
            desa_nama: r.desa_nama.clone(),
            batas: iso(b),
            terlambat: b < hari_ini,
            tautan: format!("/rekomendasi/{}", r.id),
            keterangan: format!(
                "Rekomendasi {} {} menunggu keputusan Camat",
                r.jenis.label().to_lowercase(),
                jabatan
            ),
        });
    }
    // Vacancies: from the end of the last holder's tenure in that position.
    let sql = format!(
        "SELECT desa_kode, jabatan, dusun, MAX(tanggal_sk_pemberhentian) FROM perangkat_tersimpan
         WHERE {} AND tanggal_sk_pemberhentian <> '' GROUP BY desa_kode, jabatan, dusun",
        akun.cakupan.syarat("desa_kode", 1)
    );
    let akhir: Vec<(String, String, String, String)> = crate::read!(db, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(akun.cakupan.pola()).fetch_all(c).await?
    });
    let akhir: HashMap<(String, String, String), String> =
        akhir.into_iter().map(|(d, j, du, t)| ((d, j, du), t)).collect();
    for d in &w.desa {
        for p in w.lowongan(d) {
            let du = p.dusun.clone().unwrap_or_default();
            let Some(selesai) = akhir
                .get(&(d.kode.clone(), p.jabatan.to_string(), du.clone()))
                .and_then(|t| tanggal(t))
            else {
                continue;
            };
            let b = tambah_hari(selesai, BULAN_LOWONGAN);
            v.push(Tenggat {
                jenis: JenisTenggat::JabatanKosong,
                desa_kode: d.kode.clone(),
                desa_nama: d.nama.clone(),
                batas: iso(b),
                terlambat: b < hari_ini,
                tautan: format!("/desa/{}", d.kode),
                keterangan: format!(
                    "{} kosong sejak {}: diisi paling lambat 2 bulan",
                    p.nama,
                    crate::waktu::tanggal(selesai)
                ),
            });
        }
    }
    // The active officials.
    for a in &w.aktif {
        let Some(desa) = nama_desa.get(a.desa_kode.as_str()) else {
            continue;
        };
        let data = &a.data;
        let siapa = format!("{} ({})", data.nama_lengkap(), data.nama_jabatan(desa));
        let tautan = format!("/perangkat/{}", a.perangkat_id);
        let mut tambah = |jenis, b: Date, keterangan: String| {
            v.push(Tenggat {
                jenis,
                desa_kode: a.desa_kode.clone(),
                desa_nama: desa.nama.clone(),
                batas: iso(b),
                terlambat: b < hari_ini,
                tautan: tautan.clone(),
                keterangan,
            });
        };
        let status = data.status_jabatan_enum();
        if status != StatusJabatan::Definitif
            && let Some(tmt) = tanggal(&data.tmt)
        {
            match tanggal(&data.akhir_masa_jabatan_sk) {
                Some(akhir) => tambah(
                    JenisTenggat::PenjabatSementara,
                    akhir,
                    format!("{siapa}: penugasan {} berakhir", status.label()),
                ),
                None => tambah(
                    JenisTenggat::PenjabatSementara,
                    tambah_hari(tmt, HARI_PENJABAT),
                    format!(
                        "{siapa}: penugasan {} sejak {} tanpa tanggal akhir",
                        status.label(),
                        crate::waktu::tanggal(tmt)
                    ),
                ),
            }
        }
        let jabatan = data.jabatan_enum();
        if let Some(lahir) = tanggal(&data.tanggal_lahir)
            && jabatan.is_some_and(|j| j != Jabatan::KepalaDesa)
            && let Some(t60) = tambah_tahun(lahir, 60)
            && t60 <= tambah_hari(hari_ini, HARI_KE_DEPAN)
        {
            let ket = if t60 <= hari_ini {
                format!(
                    "{siapa}: berusia {} tahun dan masih aktif; diberhentikan pada usia 60 tahun",
                    umur(lahir, hari_ini)
                )
            } else {
                format!(
                    "{siapa}: genap 60 tahun pada {}; diberhentikan pada usia 60 tahun",
                    crate::waktu::tanggal(t60)
                )
            };
            tambah(JenisTenggat::Usia60, t60, ket);
        }
        if jabatan == Some(Jabatan::KepalaDesa)
            && data.definitif()
            && let Some(akhir) = data.akhir_masa_jabatan()
            && akhir <= tambah_hari(hari_ini, HARI_KE_DEPAN)
        {
            tambah(
                JenisTenggat::MasaJabatan,
                akhir,
                format!("{siapa}: masa jabatan 8 tahun berakhir"),
            );
        }
    }
    v.sort_by(|a, b| {
        b.terlambat
            .cmp(&a.terlambat)
            .then(a.batas.cmp(&b.batas))
            .then(a.desa_kode.cmp(&b.desa_kode))
            .then(a.tautan.cmp(&b.tautan))
    });
    Ok(v)
}
