//! The Camat's recommendation and the deadlines in the JSON API (issue 17, SPEC §5): a desa
//! submits a request, adds its documents, the kecamatan decides, returns or answers with a
//! numbered letter; every deadline of the caller's scope in one list; the holidays the
//! deadline skips and the kecamatan's settings.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::galat::{
    IsianSalah, JenisDitolak, Konflik, PerluMasuk, TerlaluBesar, Terlarang, TidakDitemukan, TidakValid,
};
use super::{Berkas, Id, KodeDesa, baca_json, rfc3339};
use crate::akun::izin::{self, Tindakan};
use crate::akun::sesi::Token;
use crate::error::{AppError, HasilApi};
use crate::id::{PerangkatId, RekomendasiId};
use crate::kernel::berkas::{baca_multipart, respon_berkas, respon_pdf};
use crate::kernel::{AppState, alamat_dasar, hari_ini, saat};
use crate::perangkat::data::Data;
use crate::rekomendasi::hari_kerja::{self, HariLibur};
use crate::rekomendasi::pengaturan::{self, InputPengaturan, Pengaturan};
use crate::rekomendasi::tenggat::{self, Tenggat};
use crate::rekomendasi::{
    self, Calon, DokumenRekomendasi, HasilAjukan, HasilKeputusan, Input, JenisRekomendasi, Keputusan, StatusRekomendasi,
};

/// A request as the API shows it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Rekomendasi)]
pub struct RekomendasiJson {
    #[schema(value_type = i64)]
    pub id: RekomendasiId,
    pub desa_kode: String,
    pub desa_nama: String,
    #[schema(schema_with = JenisRekomendasi::skema)]
    pub jenis: JenisRekomendasi,
    pub jabatan: String,
    pub dusun: String,
    #[schema(value_type = Option<i64>)]
    pub perangkat_id: Option<PerangkatId>,
    pub alasan_pemberhentian: String,
    pub catatan: String,
    #[schema(schema_with = StatusRekomendasi::skema)]
    pub status: StatusRekomendasi,
    #[schema(format = DateTime)]
    pub diajukan_pada: String,
    pub diajukan_oleh: String,
    /// YYYY-MM-DD: batas keputusan Camat (7 hari kerja; berhenti selama dikembalikan).
    pub batas_waktu: String,
    pub terlambat: bool,
    /// Hari kerja yang tersisa saat dikembalikan ke desa.
    pub sisa_hari_kerja: Option<i64>,
    pub catatan_pengembalian: String,
    /// Urutan calon yang disetujui (dari 0).
    pub calon_disetujui: Option<i64>,
    #[schema(format = DateTime)]
    pub diputuskan_pada: Option<String>,
    pub diputuskan_oleh: Option<String>,
    pub alasan_keputusan: String,
    pub nomor_surat: Option<String>,
    pub kode_verifikasi: Option<String>,
    /// Alamat PDF surat rekomendasi (setelah diputuskan).
    pub pdf: Option<String>,
}

impl RekomendasiJson {
    fn dari(r: rekomendasi::Rekomendasi, hari: time::Date) -> Self {
        RekomendasiJson {
            terlambat: r.terlambat(hari),
            kode_verifikasi: r.kode_tampil(),
            pdf: r.sha256.as_ref().map(|_| format!("/api/v1/rekomendasi/{}/pdf", r.id)),
            diputuskan_pada: r.diputuskan_pada.map(rfc3339),
            diputuskan_oleh: (!r.diputuskan_oleh.is_empty()).then_some(r.diputuskan_oleh),
            diajukan_pada: rfc3339(r.diajukan_pada),
            id: r.id,
            desa_kode: r.desa_kode,
            desa_nama: r.desa_nama,
            jenis: r.jenis,
            jabatan: r.jabatan,
            dusun: r.dusun,
            perangkat_id: r.perangkat_id,
            alasan_pemberhentian: r.alasan_pemberhentian,
            catatan: r.catatan,
            status: r.status,
            diajukan_oleh: r.diajukan_oleh,
            batas_waktu: r.batas_waktu,
            sisa_hari_kerja: r.sisa_hari_kerja,
            catatan_pengembalian: r.catatan_pengembalian,
            calon_disetujui: r.calon_disetujui,
            alasan_keputusan: r.alasan_keputusan,
            nomor_surat: r.nomor_surat,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = RekomendasiDetail)]
pub struct DetailJson {
    #[serde(flatten)]
    rekomendasi: RekomendasiJson,
    calon: Vec<Calon>,
    dokumen: Vec<DokumenRekomendasi>,
    /// Perangkat yang akan diberhentikan (pemberhentian).
    perangkat: Option<Data>,
}

/// `POST /api/v1/desa/{kode}/rekomendasi` (the desa's operator) → `201
/// {"id","status":"diajukan","batas_waktu","peringatan"}`; invalid candidate data → `422`
/// naming `calon[i].field`.
#[utoipa::path(
    post,
    path = "/api/v1/desa/{kode}/rekomendasi",
    operation_id = "rekomendasi_ajukan",
    tag = "rekomendasi",
    summary = "Ajukan permohonan rekomendasi Camat (operator)",
    params(KodeDesa),
    request_body = Input,
    responses(
        (status = 201, description = "Diajukan", body = HasilAjukan),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        IsianSalah,
    )
)]
pub async fn ajukan(
    State(state): State<AppState>,
    t: Token,
    Path(kode): Path<String>,
    body: Result<Json<Input>, JsonRejection>,
) -> HasilApi<Response> {
    crate::desa::ambil(&state.db, &t.akun, &kode).await?;
    if !rekomendasi::boleh_ajukan(&t.akun, &kode) {
        return Err(AppError::Terlarang.into());
    }
    let input = baca_json(body)?;
    let h = rekomendasi::ajukan(&state.db, &t.akun, &kode, &input, saat(&state)).await?;
    Ok((StatusCode::CREATED, Json(h)).into_response())
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SaringRekomendasi {
    /// diajukan | dikembalikan | disetujui | ditolak
    #[serde(default)]
    status: Option<String>,
    /// Kode desa (atau wilayah) di dalam cakupan pemanggil.
    #[serde(default)]
    desa: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DaftarRekomendasi {
    data: Vec<RekomendasiJson>,
}

/// `GET /api/v1/rekomendasi?status=`: the requests of the caller's scope, those waiting first
/// (by deadline).
#[utoipa::path(
    get,
    path = "/api/v1/rekomendasi",
    operation_id = "rekomendasi_daftar",
    tag = "rekomendasi",
    summary = "Permohonan rekomendasi dalam cakupan",
    params(SaringRekomendasi),
    responses(
        (status = 200, description = "Permohonan", body = DaftarRekomendasi),
        TidakValid,
        PerluMasuk,
        TidakDitemukan,
        IsianSalah,
    )
)]
pub async fn daftar(
    State(state): State<AppState>,
    t: Token,
    Query(s): Query<SaringRekomendasi>,
) -> HasilApi<Json<DaftarRekomendasi>> {
    let status = rekomendasi::periksa_status(s.status.as_deref())?;
    let desa = s.desa.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let rows = rekomendasi::daftar(&state.db, &t.akun, desa, status, 1000).await?;
    let hari = hari_ini(&state);
    Ok(Json(DaftarRekomendasi {
        data: rows.into_iter().map(|r| RekomendasiJson::dari(r, hari)).collect(),
    }))
}

/// `GET /api/v1/rekomendasi/{id}`: the request with its candidates and documents.
#[utoipa::path(
    get,
    path = "/api/v1/rekomendasi/{id}",
    operation_id = "rekomendasi_ambil",
    tag = "rekomendasi",
    summary = "Satu permohonan rekomendasi",
    params(Id),
    responses(
        (status = 200, description = "Permohonan", body = DetailJson),
        TidakValid,
        PerluMasuk,
        TidakDitemukan,
    )
)]
pub async fn ambil(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<RekomendasiId>,
) -> HasilApi<Json<DetailJson>> {
    let d = rekomendasi::detail(&state.db, &t.akun, id).await?;
    Ok(Json(DetailJson {
        rekomendasi: RekomendasiJson::dari(d.r, hari_ini(&state)),
        calon: d.calon,
        dokumen: d.dokumen,
        perangkat: d.perangkat,
    }))
}

// The multipart form of a request's document, in the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FormDokumenRekomendasi {
    /// Berkas PDF, JPEG atau PNG.
    #[schema(value_type = String, format = Binary)]
    berkas: Vec<u8>,
    /// ktp, ijazah, surat_lamaran, surat_pernyataan, berita_acara_seleksi, surat_permohonan,
    /// bukti_pemberhentian, lainnya
    jenis: String,
    /// Urutan calon (dari 0) pemilik dokumen; kosong untuk dokumen permohonan.
    #[schema(required = false)]
    calon: Option<i64>,
}

/// `POST /api/v1/rekomendasi/{id}/dokumen` (the desa's operator, before the decision):
/// multipart `berkas`, `jenis`, optional `calon` → `201`.
#[utoipa::path(
    post,
    path = "/api/v1/rekomendasi/{id}/dokumen",
    operation_id = "rekomendasi_dokumen_unggah",
    tag = "rekomendasi",
    summary = "Unggah dokumen permohonan",
    params(Id),
    request_body(content = inline(FormDokumenRekomendasi), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Disimpan", body = DokumenRekomendasi),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        TerlaluBesar,
        JenisDitolak,
        IsianSalah,
    )
)]
pub async fn unggah(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<RekomendasiId>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> HasilApi<Response> {
    rekomendasi::boleh_ubah(&state.db, &t.akun, id).await?;
    let mp = mp.map_err(|_| {
        AppError::Permintaan("Kirim berkas sebagai multipart/form-data dengan isian \"berkas\".".into())
    })?;
    let (teks, berkas) = baca_multipart(mp, state.config.batas_unggah).await?;
    let (nama, isi) = berkas.unwrap_or_default();
    let d = rekomendasi::unggah(
        &state.db,
        &state.simpanan,
        &t.akun,
        id,
        teks.get("jenis").map(String::as_str).unwrap_or(""),
        teks.get("calon").map(String::as_str),
        &nama,
        isi,
        state.clock.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

/// The path of a request's document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct IdDokumen {
    id: i64,
    dokumen: i64,
}

/// `GET /api/v1/rekomendasi/{id}/dokumen/{dokumen}` → the file (audited).
#[utoipa::path(
    get,
    path = "/api/v1/rekomendasi/{id}/dokumen/{dokumen}",
    operation_id = "rekomendasi_dokumen_unduh",
    tag = "rekomendasi",
    summary = "Unduh dokumen permohonan",
    params(IdDokumen),
    responses(
        (status = 200, description = "Berkas", content(
            (inline(Berkas) = "application/pdf"),
            (inline(Berkas) = "image/jpeg"),
            (inline(Berkas) = "image/png"),
        )),
        TidakValid,
        PerluMasuk,
        TidakDitemukan,
    )
)]
pub async fn unduh_dokumen(
    State(state): State<AppState>,
    t: Token,
    Path((id, dok)): Path<(RekomendasiId, i64)>,
) -> HasilApi<Response> {
    let (d, isi) = rekomendasi::unduh_dokumen(&state.db, &state.simpanan, &t.akun, id, dok, state.clock.now()).await?;
    Ok(respon_berkas(&d.sebagai_dokumen(), isi, true))
}

/// `POST /api/v1/rekomendasi/{id}/keputusan` (the kecamatan; `403` for any other role):
/// `{"setuju":true,"calon":0,"catatan"}` | `{"setuju":false,"catatan"}` → `200
/// {"status","nomor_surat","kode_verifikasi"}`; `422` refusing without a reason; `409` when
/// already decided.
#[utoipa::path(
    post,
    path = "/api/v1/rekomendasi/{id}/keputusan",
    operation_id = "rekomendasi_putuskan",
    tag = "rekomendasi",
    summary = "Keputusan Camat (kecamatan)",
    params(Id),
    request_body = Keputusan,
    responses(
        (status = 200, description = "Diputuskan", body = HasilKeputusan),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn putuskan(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<RekomendasiId>,
    body: Result<Json<Keputusan>, JsonRejection>,
) -> HasilApi<Json<HasilKeputusan>> {
    rekomendasi::boleh_diputuskan(&state.db, &t.akun, id).await?;
    let k = baca_json(body)?;
    let h = rekomendasi::putuskan(
        &state.db,
        &state.simpanan,
        &t.akun,
        id,
        &k,
        &alamat_dasar(&state),
        state.instansi.zona,
        saat(&state),
    )
    .await?;
    Ok(Json(h))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct InputCatatan {
    #[serde(default)]
    catatan: String,
}

/// `POST /api/v1/rekomendasi/{id}/kembalikan` (the kecamatan) `{"catatan"}`: back to the desa
/// for what is missing; the deadline stops until it is submitted again.
#[utoipa::path(
    post,
    path = "/api/v1/rekomendasi/{id}/kembalikan",
    operation_id = "rekomendasi_kembalikan",
    tag = "rekomendasi",
    summary = "Kembalikan ke desa untuk dilengkapi (kecamatan)",
    params(Id),
    request_body = InputCatatan,
    responses(
        (status = 200, description = "Dikembalikan", body = RekomendasiJson),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn kembalikan(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<RekomendasiId>,
    body: Result<Json<InputCatatan>, JsonRejection>,
) -> HasilApi<Json<RekomendasiJson>> {
    rekomendasi::boleh_diputuskan(&state.db, &t.akun, id).await?;
    let input = baca_json(body)?;
    let r = rekomendasi::kembalikan(&state.db, &t.akun, id, &input.catatan, saat(&state)).await?;
    Ok(Json(RekomendasiJson::dari(r, hari_ini(&state))))
}

/// `POST /api/v1/rekomendasi/{id}/ajukan-ulang` (the desa's operator) `{"catatan"}`: a
/// returned request submitted again; the deadline runs on with the working days left.
#[utoipa::path(
    post,
    path = "/api/v1/rekomendasi/{id}/ajukan-ulang",
    operation_id = "rekomendasi_ajukan_ulang",
    tag = "rekomendasi",
    summary = "Ajukan kembali setelah dilengkapi (operator)",
    params(Id),
    request_body = InputCatatan,
    responses(
        (status = 200, description = "Diajukan kembali", body = RekomendasiJson),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn ajukan_ulang(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<RekomendasiId>,
    body: Result<Json<InputCatatan>, JsonRejection>,
) -> HasilApi<Json<RekomendasiJson>> {
    rekomendasi::boleh_ubah(&state.db, &t.akun, id).await?;
    let input = baca_json(body)?;
    let r = rekomendasi::ajukan_ulang(&state.db, &t.akun, id, &input.catatan, saat(&state)).await?;
    Ok(Json(RekomendasiJson::dari(r, hari_ini(&state))))
}

/// `GET /api/v1/rekomendasi/{id}/pdf`: the letter (after the decision).
#[utoipa::path(
    get,
    path = "/api/v1/rekomendasi/{id}/pdf",
    operation_id = "rekomendasi_pdf",
    tag = "rekomendasi",
    summary = "Surat Rekomendasi Camat (PDF)",
    params(Id),
    responses(
        (status = 200, description = "PDF", body = inline(Berkas), content_type = "application/pdf"),
        TidakValid,
        PerluMasuk,
        TidakDitemukan,
    )
)]
pub async fn pdf(State(state): State<AppState>, t: Token, Path(id): Path<RekomendasiId>) -> HasilApi<Response> {
    let (r, isi) = rekomendasi::pdf(&state.db, &state.simpanan, &t.akun, id, state.clock.now()).await?;
    Ok(respon_pdf(isi, &rekomendasi::surat::nama_berkas(&r)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DaftarTenggat {
    data: Vec<Tenggat>,
}

/// `GET /api/v1/tenggat` → `{"data":[{"jenis","desa_kode","batas","terlambat","tautan"}]}`:
/// every deadline of the caller's scope, overdue first.
#[utoipa::path(
    get,
    path = "/api/v1/tenggat",
    operation_id = "tenggat_daftar",
    tag = "rekomendasi",
    summary = "Tenggat dalam cakupan, yang terlambat lebih dahulu",
    responses((status = 200, description = "Tenggat", body = DaftarTenggat), PerluMasuk)
)]
pub async fn tenggat(State(state): State<AppState>, t: Token) -> HasilApi<Json<DaftarTenggat>> {
    let data = tenggat::daftar(&state.db, &t.akun, hari_ini(&state)).await?;
    Ok(Json(DaftarTenggat { data }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DaftarLibur {
    data: Vec<HariLibur>,
}

/// `GET /api/v1/hari-libur`: the national holidays the deadlines skip.
#[utoipa::path(
    get,
    path = "/api/v1/hari-libur",
    operation_id = "hari_libur_daftar",
    tag = "rekomendasi",
    summary = "Hari libur nasional dan cuti bersama",
    responses((status = 200, description = "Hari libur", body = DaftarLibur), PerluMasuk)
)]
pub async fn libur_daftar(State(state): State<AppState>, _t: Token) -> HasilApi<Json<DaftarLibur>> {
    Ok(Json(DaftarLibur {
        data: hari_kerja::daftar(&state.db).await?,
    }))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct InputLibur {
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(required = true)]
    tanggal: String,
    #[serde(default)]
    #[schema(required = true)]
    nama: String,
}

/// `POST /api/v1/hari-libur` (admin) `{"tanggal","nama"}` → `201`; `409` a date already listed.
#[utoipa::path(
    post,
    path = "/api/v1/hari-libur",
    operation_id = "hari_libur_tambah",
    tag = "rekomendasi",
    summary = "Tambah hari libur (admin)",
    request_body = InputLibur,
    responses(
        (status = 201, description = "Ditambahkan", body = HariLibur),
        TidakValid,
        PerluMasuk,
        Terlarang,
        Konflik,
        IsianSalah,
    )
)]
pub async fn libur_tambah(
    State(state): State<AppState>,
    t: Token,
    body: Result<Json<InputLibur>, JsonRejection>,
) -> HasilApi<Response> {
    if !izin::boleh_peran(t.akun.peran, Tindakan::Administrasi) {
        return Err(AppError::Terlarang.into());
    }
    let input = baca_json(body)?;
    let h = hari_kerja::tambah(&state.db, &t.akun, &input.tanggal, &input.nama, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(h)).into_response())
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KodeKecamatan {
    /// Kode kecamatan; bawaan kecamatan pemanggil (wajib untuk admin).
    #[serde(default)]
    kode: Option<String>,
}

/// The kecamatan meant: the one given, else the caller's own (a kecamatan account).
fn kecamatan_dari(t: &Token, k: &KodeKecamatan) -> Result<String, AppError> {
    match k.kode.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(k) => Ok(k.to_string()),
        None if t.akun.cakupan.kode().len() >= 8 => Ok(t.akun.cakupan.kode()[..8].to_string()),
        None => Err(AppError::Validasi(vec![(
            "kode",
            "Sebutkan kode kecamatan, misalnya ?kode=63.11.02.".into(),
        )])),
    }
}

/// `GET /api/v1/pengaturan-kecamatan[?kode=]` (kecamatan, admin): the Camat, the letter's
/// number pattern, the date from which recommendations are required.
#[utoipa::path(
    get,
    path = "/api/v1/pengaturan-kecamatan",
    operation_id = "pengaturan_kecamatan_ambil",
    tag = "rekomendasi",
    summary = "Pengaturan kecamatan untuk rekomendasi",
    params(KodeKecamatan),
    responses(
        (status = 200, description = "Pengaturan", body = Pengaturan),
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        IsianSalah,
    )
)]
pub async fn pengaturan_ambil(
    State(state): State<AppState>,
    t: Token,
    Query(k): Query<KodeKecamatan>,
) -> HasilApi<Json<Pengaturan>> {
    if !izin::boleh_peran(t.akun.peran, Tindakan::AturKecamatan) {
        return Err(AppError::Terlarang.into());
    }
    let kode = kecamatan_dari(&t, &k)?;
    Ok(Json(pengaturan::ambil(&state.db, &t.akun, &kode).await?))
}

/// `PUT /api/v1/pengaturan-kecamatan[?kode=]` (kecamatan, admin) → `200` with the settings.
#[utoipa::path(
    put,
    path = "/api/v1/pengaturan-kecamatan",
    operation_id = "pengaturan_kecamatan_ubah",
    tag = "rekomendasi",
    summary = "Ubah pengaturan kecamatan",
    params(KodeKecamatan),
    request_body = InputPengaturan,
    responses(
        (status = 200, description = "Pengaturan", body = Pengaturan),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        IsianSalah,
    )
)]
pub async fn pengaturan_ubah(
    State(state): State<AppState>,
    t: Token,
    Query(k): Query<KodeKecamatan>,
    body: Result<Json<InputPengaturan>, JsonRejection>,
) -> HasilApi<Json<Pengaturan>> {
    if !izin::boleh_peran(t.akun.peran, Tindakan::AturKecamatan) {
        return Err(AppError::Terlarang.into());
    }
    let kode = kecamatan_dari(&t, &k)?;
    let input = baca_json(body)?;
    let p = pengaturan::ubah(&state.db, &t.akun, &kode, &input, hari_ini(&state), state.clock.now()).await?;
    Ok(Json(p))
}
