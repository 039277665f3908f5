//! The register in the JSON API (SPEC §5): officials, documents and the check.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::galat::{
    IsianSalah, JenisDitolak, Konflik, PerluMasuk, TerlaluBesar, Terlarang, TidakDitemukan, TidakValid,
};
use super::{Berkas, Id, KodeDesa, baca_json};
use crate::akun::sesi::Token;
use crate::dokumen::{self, Dokumen};
use crate::error::{AppError, HasilApi};
use crate::id::{DokumenId, PerangkatId};
use crate::kernel::AppState;
use crate::kernel::berkas::{baca_multipart, respon_berkas};
use crate::kernel::{hari_ini, saat};
use crate::perangkat::aturan::Peringatan;
use crate::perangkat::data::{Data, iso};
use crate::perangkat::kode::StatusAlur;
use crate::perangkat::{self, Baris, Saring, boleh_ubah};

/// The OpenAPI schema of a record's workflow `status`.
fn skema_status_alur() -> utoipa::openapi::schema::Object {
    use crate::perangkat::kode::{Kode, StatusAlur};
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(StatusAlur::SEMUA.iter().map(|s| s.kode())))
        .build()
}

/// An official as the API shows it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Perangkat)]
pub struct PerangkatJson {
    #[schema(value_type = i64)]
    pub id: PerangkatId,
    pub desa_kode: String,
    #[schema(schema_with = skema_status_alur)]
    pub status: StatusAlur,
    pub versi: i64,
    #[serde(flatten)]
    pub data: Data,
    pub akhir_masa_jabatan: Option<String>,
    pub aktif: bool,
}

impl From<Baris> for PerangkatJson {
    fn from(b: Baris) -> Self {
        PerangkatJson {
            akhir_masa_jabatan: b.data.akhir_masa_jabatan().map(iso),
            aktif: b.data.aktif(),
            id: b.id,
            desa_kode: b.desa_kode,
            status: b.status,
            versi: b.versi,
            data: b.data,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Halaman {
    data: Vec<PerangkatJson>,
    total: i64,
    halaman: i64,
    per_halaman: i64,
}

fn halaman(rows: Vec<Baris>, total: i64, s: &Saring, akun: &crate::akun::Akun) -> Json<Halaman> {
    Json(Halaman {
        data: rows
            .into_iter()
            .map(|mut b| {
                b.data = b.data.untuk(akun);
                PerangkatJson::from(b)
            })
            .collect(),
        total,
        halaman: s.halaman.unwrap_or(1),
        per_halaman: s.per_halaman.unwrap_or(50),
    })
}

/// `GET /api/v1/desa/{kode}/perangkat`.
#[utoipa::path(
    get,
    path = "/api/v1/desa/{kode}/perangkat",
    operation_id = "perangkat_daftar_desa",
    tag = "perangkat",
    summary = "Perangkat desa, berhalaman",
    params(KodeDesa, Saring),
    responses(
        (status = 200, description = "Halaman", body = Halaman),
        TidakValid,
        PerluMasuk,
        TidakDitemukan,
        IsianSalah,
    )
)]
pub async fn daftar_desa(
    State(state): State<AppState>,
    t: Token,
    Path(kode): Path<String>,
    Query(s): Query<Saring>,
) -> HasilApi<Json<Halaman>> {
    crate::desa::ambil(&state.db, &t.akun, &kode).await?;
    let (rows, total) = perangkat::daftar(&state.db, &t.akun, Some(&kode), &s).await?;
    Ok(halaman(rows, total, &s, &t.akun))
}

/// `GET /api/v1/perangkat?cari=…`: the same search across every desa in the caller's scope
/// (saved data).
#[utoipa::path(
    get,
    path = "/api/v1/perangkat",
    operation_id = "perangkat_cari",
    tag = "perangkat",
    summary = "Cari di seluruh cakupan",
    params(Saring),
    responses(
        (status = 200, description = "Halaman", body = Halaman),
        TidakValid,
        PerluMasuk,
        IsianSalah,
    )
)]
pub async fn cari(State(state): State<AppState>, t: Token, Query(s): Query<Saring>) -> HasilApi<Json<Halaman>> {
    let (rows, total) = perangkat::daftar(&state.db, &t.akun, None, &s).await?;
    Ok(halaman(rows, total, &s, &t.akun))
}

/// `POST /api/v1/desa/{kode}/perangkat` → `201 {"id","status","versi","peringatan"}`.
#[utoipa::path(
    post,
    path = "/api/v1/desa/{kode}/perangkat",
    operation_id = "perangkat_buat",
    tag = "perangkat",
    summary = "Entri baru (draft)",
    params(KodeDesa),
    request_body = InputBuat,
    responses(
        (status = 201, description = "Dibuat", body = perangkat::HasilTulis),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        IsianSalah,
    )
)]
pub async fn buat(
    State(state): State<AppState>,
    t: Token,
    Path(kode): Path<String>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> HasilApi<Response> {
    // The fields of `Data` are read as before (a wrong type names its field); `rekomendasi_id`
    // beside them.
    let nilai = baca_json(body)?;
    let rekomendasi_id = match nilai.get("rekomendasi_id") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(crate::id::RekomendasiId(v.as_i64().ok_or_else(|| {
            AppError::Validasi(vec![(
                "rekomendasi_id",
                "rekomendasi_id harus berupa nomor rekomendasi Camat (angka).".into(),
            )])
        })?)),
    };
    let isi = serde_json::to_vec(&nilai).map_err(anyhow::Error::from)?;
    let input: Data = baca_json(Json::from_bytes(&isi))?;
    let mut h = match rekomendasi_id {
        Some(r) => crate::rekomendasi::buat_perangkat(&state.db, &t.akun, &kode, r, &input, saat(&state)).await?,
        None => perangkat::buat(&state.db, &t.akun, &kode, &input, None, saat(&state)).await?,
    };
    crate::sk::setelah_tulis(&state.db, &t.akun, &mut h, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(h)).into_response())
}

/// A new entry: the fields of [`Data`], and optionally the approved Camat's recommendation it
/// comes from (the entry must be its approved candidate, else 422).
// (The document's schema only: `buat` reads the body as `Data` and `rekomendasi_id` beside it.)
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct InputBuat {
    /// Rekomendasi Camat (pengangkatan, disetujui) yang menjadi dasar entri ini.
    #[schema(value_type = Option<i64>)]
    rekomendasi_id: Option<crate::id::RekomendasiId>,
    #[serde(flatten)]
    data: Data,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Detail)]
pub struct DetailJson {
    #[serde(flatten)]
    perangkat: PerangkatJson,
    catatan_pemeriksaan: String,
    peringatan: Vec<Peringatan>,
    dokumen: Vec<Dokumen>,
    /// The saved version (what reports and the kecamatan see), when it differs from the working one.
    tersimpan: Option<PerangkatJson>,
}

/// `GET /api/v1/perangkat/{id}`: editors get the working values (and the saved version);
/// other roles the saved version only.
#[utoipa::path(
    get,
    path = "/api/v1/perangkat/{id}",
    operation_id = "perangkat_ambil",
    tag = "perangkat",
    summary = "Satu perangkat",
    params(Id),
    responses(
        (status = 200, description = "Perangkat", body = DetailJson),
        TidakValid,
        PerluMasuk,
        TidakDitemukan,
    )
)]
pub async fn ambil(State(state): State<AppState>, t: Token, Path(id): Path<PerangkatId>) -> HasilApi<Json<DetailJson>> {
    let tersimpan = perangkat::ambil_tersimpan(&state.db, &t.akun, id).await?;
    let kerja = match perangkat::ambil(&state.db, &t.akun, id).await {
        Ok(p) if boleh_ubah(&t.akun, &p.desa_kode) => Some(p),
        Ok(_) | Err(AppError::TidakDitemukan) => None,
        Err(e) => return Err(e.into()),
    };
    let ke_json = |id: PerangkatId, desa: String, status: StatusAlur, versi: i64, data: Data| PerangkatJson {
        akhir_masa_jabatan: data.akhir_masa_jabatan().map(iso),
        aktif: data.aktif(),
        id,
        desa_kode: desa,
        status,
        versi,
        data: data.untuk(&t.akun),
    };
    let (utama, catatan, saved) = match (kerja, tersimpan) {
        (Some(p), t) => {
            let beda = t.as_ref().is_some_and(|t| t.data != p.data);
            let saved = t
                .filter(|_| beda)
                .map(|t| ke_json(id, t.desa_kode, StatusAlur::Tersimpan, t.versi, t.data));
            (
                ke_json(p.id, p.desa_kode, p.status, p.versi, p.data),
                p.catatan_pemeriksaan,
                saved,
            )
        }
        (None, Some(t)) => (
            ke_json(id, t.desa_kode, StatusAlur::Tersimpan, t.versi, t.data),
            String::new(),
            None,
        ),
        (None, None) => return Err(AppError::TidakDitemukan.into()),
    };
    let mut peringatan =
        perangkat::peringatan(&state.db, Some(id), &utama.desa_kode, &utama.data, hari_ini(&state)).await?;
    peringatan.extend(crate::sk::peringatan(&state.db, &t.akun, id, state.clock.now()).await?);
    let mut dokumen = dokumen::daftar(&state.db, &t.akun, id).await?;
    if utama.status == StatusAlur::Tersimpan
        && catatan.is_empty()
        && saved.is_none()
        && !boleh_ubah(&t.akun, &utama.desa_kode)
    {
        // A viewer: only the documents of the saved version.
        if let Some(ts) = perangkat::ambil_tersimpan(&state.db, &t.akun, id).await? {
            dokumen.retain(|d| d.id <= ts.dokumen_terakhir);
        }
    }
    Ok(Json(DetailJson {
        perangkat: utama,
        catatan_pemeriksaan: catatan,
        peringatan,
        dokumen,
        tersimpan: saved,
    }))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct InputUbah {
    #[schema(value_type = i64, required = true)]
    versi: Option<i64>,
    #[serde(flatten)]
    data: Data,
}

/// `PUT /api/v1/perangkat/{id}`: `versi` must match the stored one, else 409.
#[utoipa::path(
    put,
    path = "/api/v1/perangkat/{id}",
    operation_id = "perangkat_ubah",
    tag = "perangkat",
    summary = "Ubah (versi harus cocok)",
    params(Id),
    request_body = InputUbah,
    responses(
        (status = 200, description = "Diubah", body = perangkat::HasilTulis),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn ubah(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<PerangkatId>,
    body: Result<Json<InputUbah>, JsonRejection>,
) -> HasilApi<Json<perangkat::HasilTulis>> {
    perangkat::boleh_tulis(&state.db, &t.akun, id).await?;
    let input = baca_json(body)?;
    let versi = input.versi.ok_or_else(|| {
        AppError::Validasi(vec![(
            "versi",
            "versi wajib dikirim: versi data yang Anda ubah (dari GET).".into(),
        )])
    })?;
    let mut h = perangkat::ubah(&state.db, &t.akun, id, versi, &input.data, "diubah", saat(&state)).await?;
    crate::sk::setelah_tulis(&state.db, &t.akun, &mut h, state.clock.now()).await?;
    Ok(Json(h))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct InputPeriksa {
    #[schema(value_type = bool, required = true)]
    sesuai: Option<bool>,
    #[serde(default)]
    catatan: String,
    versi: Option<i64>,
}

/// `POST /api/v1/perangkat/{id}/pemeriksaan` `{"sesuai","catatan"}` → `200` with the new status.
#[utoipa::path(
    post,
    path = "/api/v1/perangkat/{id}/pemeriksaan",
    operation_id = "perangkat_periksa",
    tag = "perangkat",
    summary = "Pemeriksaan terhadap SK",
    params(Id),
    request_body = InputPeriksa,
    responses(
        (status = 200, description = "Status baru", body = perangkat::HasilTulis),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn periksa(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<PerangkatId>,
    body: Result<Json<InputPeriksa>, JsonRejection>,
) -> HasilApi<Json<perangkat::HasilTulis>> {
    perangkat::boleh_tulis(&state.db, &t.akun, id).await?;
    let input = baca_json(body)?;
    let sesuai = input.sesuai.ok_or_else(|| {
        AppError::Validasi(vec![(
            "sesuai",
            "sesuai wajib diisi: true (sesuai dengan SK) atau false.".into(),
        )])
    })?;
    let mut h = perangkat::periksa(
        &state.db,
        &t.akun,
        id,
        sesuai,
        &input.catatan,
        input.versi,
        saat(&state),
    )
    .await?;
    crate::sk::setelah_tulis(&state.db, &t.akun, &mut h, state.clock.now()).await?;
    Ok(Json(h))
}

/// `POST /api/v1/perangkat/{id}/dokumen` (multipart: `berkas`, optional `jenis`) →
/// `201 {"id","sha256","ukuran","mime"}`; `413` too large; `415` not PDF/JPEG/PNG.
#[utoipa::path(
    post,
    path = "/api/v1/perangkat/{id}/dokumen",
    operation_id = "dokumen_unggah",
    tag = "perangkat",
    summary = "Unggah dokumen (SK)",
    params(Id),
    request_body(content = inline(FormUnggah), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Disimpan", body = DokumenTerunggah),
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
    Path(id): Path<PerangkatId>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> HasilApi<Response> {
    perangkat::boleh_tulis(&state.db, &t.akun, id).await?;
    let mp = mp.map_err(|_| {
        AppError::Permintaan("Kirim berkas sebagai multipart/form-data dengan isian \"berkas\".".into())
    })?;
    let (teks, berkas) = baca_multipart(mp, state.config.batas_unggah).await?;
    let Some((nama, isi)) = berkas.filter(|(_, b)| !b.is_empty()) else {
        return Err(AppError::Validasi(vec![(
            "berkas",
            "Isian berkas wajib berisi berkas PDF, JPEG atau PNG.".into(),
        )])
        .into());
    };
    let jenis = teks.get("jenis").map(String::as_str).unwrap_or("");
    let d = crate::sk::unggah(
        &state.db,
        &state.simpanan,
        &state.antrean,
        &t.akun,
        id,
        dokumen::Unggahan {
            jenis,
            nama_asli: &nama,
            isi,
        },
        state.clock.now(),
    )
    .await?;
    let body = DokumenTerunggah {
        id: d.id.0,
        jenis: d.jenis,
        mime: d.mime,
        sha256: d.sha256,
        ukuran: d.ukuran,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

// The multipart form of an upload, in the OpenAPI document (read by `baca_multipart`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FormUnggah {
    /// Berkas PDF, JPEG atau PNG.
    #[schema(value_type = String, format = Binary)]
    berkas: Vec<u8>,
    /// Jenis dokumen; bawaan `sk_pengangkatan`.
    #[schema(schema_with = dokumen::skema_jenis_dokumen, required = false)]
    jenis: String,
}

// A stored upload. Fields in alphabetical order: the order (and bytes) of the `json!` object
// this replaced.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DokumenTerunggah {
    pub id: i64,
    #[schema(schema_with = dokumen::skema_jenis_dokumen)]
    pub jenis: String,
    #[schema(schema_with = dokumen::Jenis::skema_mime)]
    pub mime: String,
    pub sha256: String,
    pub ukuran: i64,
}

/// `GET /api/v1/dokumen/{id}` → the file (audited).
#[utoipa::path(
    get,
    path = "/api/v1/dokumen/{id}",
    operation_id = "dokumen_unduh",
    tag = "perangkat",
    summary = "Unduh dokumen",
    params(Id),
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
pub async fn unduh(State(state): State<AppState>, t: Token, Path(id): Path<DokumenId>) -> HasilApi<Response> {
    let (d, isi) = dokumen::unduh(&state.db, &state.simpanan, &t.akun, id, state.clock.now()).await?;
    Ok(respon_berkas(&d, isi, true))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct InputBatal {
    #[schema(value_type = i64, required = true)]
    versi: Option<i64>,
}

/// `POST /api/v1/perangkat/{id}/batalkan` `{"versi"}`: drop a revision, back to the saved version.
#[utoipa::path(
    post,
    path = "/api/v1/perangkat/{id}/batalkan",
    operation_id = "perangkat_batalkan",
    tag = "perangkat",
    summary = "Batalkan revisi",
    params(Id),
    request_body = InputBatal,
    responses(
        (status = 200, description = "Kembali ke versi tersimpan", body = perangkat::HasilTulis),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn batalkan(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<PerangkatId>,
    body: Result<Json<InputBatal>, JsonRejection>,
) -> HasilApi<Json<perangkat::HasilTulis>> {
    perangkat::boleh_tulis(&state.db, &t.akun, id).await?;
    let input = baca_json(body)?;
    let versi = input.versi.ok_or_else(|| {
        AppError::Validasi(vec![(
            "versi",
            "versi wajib dikirim: versi data yang dibatalkan.".into(),
        )])
    })?;
    let mut h = perangkat::batalkan(&state.db, &t.akun, id, versi, state.clock.now()).await?;
    crate::sk::setelah_tulis(&state.db, &t.akun, &mut h, state.clock.now()).await?;
    Ok(Json(h))
}

/// The optional version of a removal (`?versi=`): when given it must be the current one.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersiOpsional {
    /// Versi data yang dilihat; bila dikirim dan sudah berubah, 409.
    #[serde(default)]
    versi: Option<i64>,
}

/// `DELETE /api/v1/perangkat/{id}`: removes an entry that was never saved (SPEC §5) → 204; a
/// record with a saved version → 409 (it ends by pemberhentian).
#[utoipa::path(
    delete,
    path = "/api/v1/perangkat/{id}",
    operation_id = "perangkat_hapus",
    tag = "perangkat",
    summary = "Hapus draf yang belum pernah disimpan",
    params(Id, VersiOpsional),
    responses(
        (status = 204, description = "Draf dihapus (tetap tercatat di riwayat dan log audit)"),
        TidakValid,
        PerluMasuk,
        Terlarang,
        TidakDitemukan,
        Konflik,
        IsianSalah,
    )
)]
pub async fn hapus(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<PerangkatId>,
    versi: Result<Query<VersiOpsional>, axum::extract::rejection::QueryRejection>,
) -> HasilApi<StatusCode> {
    perangkat::boleh_tulis(&state.db, &t.akun, id).await?;
    let versi = versi
        .map_err(|_| AppError::Validasi(vec![("versi", "versi harus berupa bilangan bulat.".into())]))?
        .0
        .versi;
    perangkat::hapus_draf(&state.db, &t.akun, id, versi, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/perangkat/{id}/pencocokan`: the machine's check of the record against its SK
/// (SPEC §5), scoped as the record itself; editors get the working values, other roles the
/// saved version (the NIK masked as in the record).
#[utoipa::path(
    get,
    path = "/api/v1/perangkat/{id}/pencocokan",
    operation_id = "perangkat_pencocokan",
    tag = "perangkat",
    summary = "Pencocokan mesin dengan SK",
    params(Id),
    responses(
        (status = 200, description = "Hasil pembacaan dan pencocokan SK", body = crate::sk::hasil::Pencocokan),
        TidakValid,
        PerluMasuk,
        TidakDitemukan,
    )
)]
pub async fn pencocokan(
    State(state): State<AppState>,
    t: Token,
    Path(id): Path<PerangkatId>,
) -> HasilApi<Json<crate::sk::hasil::Pencocokan>> {
    Ok(Json(
        crate::sk::hasil::untuk(&state.db, &t.akun, id, state.clock.now()).await?,
    ))
}
