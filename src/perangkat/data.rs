//! The fields of one official in one tenure (SPEC §3) and what is derived from them (name
//! with titles, position, end of term). Values are stored as text: dates in ISO `YYYY-MM-DD`,
//! an absent optional value as the empty string. Their validation and warnings are in
//! [`super::aturan`]; their table (labels, export, import) in [`super::medan`].

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::kode::{Agama, JenisKelamin, Kode, Pendidikan, StatusJabatan};
use crate::desa::Desa;
use crate::desa::jabatan::Jabatan;
use crate::waktu;

/// One official in one tenure. The same struct is the form/JSON input (unknown keys such as
/// `id`, `desa` or `status` are ignored: no mass assignment) and the stored row. Each field has
/// its entry in [`super::medan::MEDAN`] (a test checks that they match).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
#[serde(default)]
#[schema(
    as = DataPerangkat,
    description = "Isian perangkat (SPEC §3); tanggal ISO YYYY-MM-DD, nilai kosong berupa string kosong."
)]
pub struct Data {
    pub nama: String,
    pub gelar_depan: String,
    pub gelar_belakang: String,
    pub nik: String,
    pub niap: String,
    pub nip: String,
    #[schema(schema_with = JenisKelamin::skema)]
    pub jenis_kelamin: String,
    pub tempat_lahir: String,
    pub tanggal_lahir: String,
    #[schema(schema_with = Agama::skema)]
    pub agama: String,
    #[schema(schema_with = Pendidikan::skema)]
    pub pendidikan_terakhir: String,
    pub pangkat_golongan: String,
    pub alamat: String,
    pub nomor_hp: String,
    #[schema(schema_with = Jabatan::skema)]
    pub jabatan: String,
    pub dusun: String,
    #[schema(schema_with = StatusJabatan::skema)]
    pub status_jabatan: String,
    pub nomor_sk_pengangkatan: String,
    pub tanggal_sk_pengangkatan: String,
    pub tmt: String,
    pub akhir_masa_jabatan_sk: String,
    pub nomor_sk_pemberhentian: String,
    pub tanggal_sk_pemberhentian: String,
    pub alasan_pemberhentian: String,
    pub keterangan: String,
}

/// "Drs." + "Ahmad Fauzi" + "S.Pd." → "Drs. Ahmad Fauzi, S.Pd."
pub fn nama_bergelar(depan: &str, nama: &str, belakang: &str) -> String {
    let mut s = String::new();
    if !depan.is_empty() {
        s.push_str(depan);
        s.push(' ');
    }
    s.push_str(nama);
    if !belakang.is_empty() {
        s.push_str(", ");
        s.push_str(belakang);
    }
    s
}

impl Data {
    /// The values as `akun` may see them: the NIK masked for roles that do not need it whole.
    pub fn untuk(mut self, akun: &crate::akun::Akun) -> Data {
        if !akun.lihat_nik_utuh() {
            self.nik = super::nik::samarkan(&self.nik);
        }
        self
    }

    /// The name with titles: "Drs. Ahmad Fauzi, S.Pd."
    pub fn nama_lengkap(&self) -> String {
        nama_bergelar(&self.gelar_depan, &self.nama, &self.gelar_belakang)
    }

    pub fn jabatan_enum(&self) -> Option<Jabatan> {
        Jabatan::parse(&self.jabatan)
    }

    pub fn status_jabatan_enum(&self) -> StatusJabatan {
        StatusJabatan::parse(&self.status_jabatan).unwrap_or(StatusJabatan::Definitif)
    }

    pub fn definitif(&self) -> bool {
        self.status_jabatan_enum() == StatusJabatan::Definitif
    }

    /// Still in office (no dismissal recorded).
    pub fn aktif(&self) -> bool {
        self.tanggal_sk_pemberhentian.is_empty()
    }

    /// The position as the desa calls it, with Pj./Plt. and the dusun: "Pj. Pembakal",
    /// "Kepala Dusun I".
    pub fn nama_jabatan(&self, desa: &Desa) -> String {
        let awalan = self.status_jabatan_enum().awalan();
        let nama = match self.jabatan_enum() {
            Some(Jabatan::KepalaDusun) => crate::desa::nama_kepala_dusun(&desa.sebutan_kepala_dusun, &self.dusun),
            Some(j) => desa.nama_jabatan(j),
            None => self.jabatan.clone(),
        };
        format!("{awalan}{nama}")
    }

    /// End of term, derived (SPEC §3): Kepala Desa 8 years from TMT; perangkat the day they
    /// turn 60; an SK from before 2015 may carry its own end date.
    pub fn akhir_masa_jabatan(&self) -> Option<Date> {
        if let (Some(sk), Some(akhir)) = (
            tanggal(&self.tanggal_sk_pengangkatan),
            tanggal(&self.akhir_masa_jabatan_sk),
        ) && sk.year() < 2015
        {
            return Some(akhir);
        }
        match self.jabatan_enum()? {
            Jabatan::KepalaDesa => {
                if !self.definitif() {
                    return None;
                }
                tambah_tahun(tanggal(&self.tmt)?, 8)
            }
            _ => tambah_tahun(tanggal(&self.tanggal_lahir)?, 60),
        }
    }
}

/// Parses an ISO date (`YYYY-MM-DD`).
pub fn tanggal(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = s[0..4].parse().ok()?;
    let m: u8 = s[5..7].parse().ok()?;
    let d: u8 = s[8..10].parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// The same day `n` years later (29 February becomes 28 February).
pub fn tambah_tahun(d: Date, n: i32) -> Option<Date> {
    Date::from_calendar_date(d.year() + n, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(d.year() + n, d.month(), d.day() - 1))
        .ok()
}

/// Whole years between two dates.
pub fn umur(lahir: Date, pada: Date) -> i32 {
    let mut u = pada.year() - lahir.year();
    if (pada.month() as u8, pada.day()) < (lahir.month() as u8, lahir.day()) {
        u -= 1;
    }
    u
}

/// "27 Maret 2023" for an ISO date; the text itself when it is not one.
pub fn tanggal_id(s: &str) -> String {
    tanggal(s).map(waktu::tanggal).unwrap_or_else(|| s.to_string())
}
