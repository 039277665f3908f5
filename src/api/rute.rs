//! Every `/api/v1` route and the OpenAPI document, from one list.
//!
//! Each handler carries `#[utoipa::path(...)]` (method, path, parameters, body, every status it
//! answers); `routes!` routes the handler at that path with that method *and* adds the operation
//! to the document, so a route cannot be served undocumented nor documented unserved. One
//! `routes!` call per path (it routes all its handlers at one path). `tests/app/api.rs` compares
//! the document with the router in both directions; `tests/app/otorisasi.rs` reads this list.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoResponses, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::galat::{Galat, IsianSalah, TidakValid};
use super::{ekspor, kecamatan, laporan, perangkat, publik, rekomendasi};
use crate::kernel::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "SIPKATDES API",
        version = "1",
        description = "API Sistem Informasi Pengelolaan Perangkat Desa (SPEC §5). Semua panggilan kecuali /auth/token dan dokumen ini memakai Authorization: Bearer <token>. Galat: {\"error\":{\"kode\",\"pesan\",\"field\"}}; 403/404 di luar cakupan."
    ),
    servers((url = "/")),
    security(("bearer" = [])),
    components(schemas(Galat)),
    modifiers(&Keamanan)
)]
struct ApiDoc;

/// The bearer scheme of every operation but the public ones.
struct Keamanan;

impl utoipa::Modify for Keamanan {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// The routes with their document. `batas_unggah`: the body limit of the upload route.
fn rute(batas_unggah: usize) -> OpenApiRouter<AppState> {
    // The upload takes a body as large as the upload limit (plus the form), like the web's.
    let unggah = OpenApiRouter::default()
        .routes(routes!(perangkat::unggah))
        .routes(routes!(rekomendasi::unggah))
        .layer(DefaultBodyLimit::max(batas_unggah));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(openapi))
        .routes(routes!(super::token, super::cabut_token))
        .routes(routes!(super::desa_daftar))
        .routes(routes!(super::desa_detail))
        .routes(routes!(perangkat::daftar_desa, perangkat::buat))
        .routes(routes!(perangkat::cari))
        .routes(routes!(perangkat::ambil, perangkat::ubah, perangkat::hapus))
        .routes(routes!(perangkat::periksa))
        .routes(routes!(perangkat::pencocokan))
        .routes(routes!(perangkat::batalkan))
        .routes(routes!(perangkat::unduh))
        .routes(routes!(laporan::daftar, laporan::buat))
        .routes(routes!(laporan::ambil))
        .routes(routes!(laporan::pdf))
        .routes(routes!(laporan::tanggapi))
        .routes(routes!(kecamatan::sinkronisasi))
        .routes(routes!(kecamatan::dasbor))
        .routes(routes!(kecamatan::verifikasi))
        .routes(routes!(kecamatan::rekap_xlsx))
        .routes(routes!(kecamatan::rekap_pdf))
        .routes(routes!(ekspor::xlsx))
        .routes(routes!(ekspor::csv))
        .routes(routes!(publik::desa))
        .routes(routes!(publik::kecamatan))
        .routes(routes!(publik::register_baca, publik::register_atur))
        .routes(routes!(rekomendasi::ajukan))
        .routes(routes!(rekomendasi::daftar))
        .routes(routes!(rekomendasi::ambil))
        .routes(routes!(rekomendasi::unduh_dokumen))
        .routes(routes!(rekomendasi::putuskan))
        .routes(routes!(rekomendasi::kembalikan))
        .routes(routes!(rekomendasi::ajukan_ulang))
        .routes(routes!(rekomendasi::pdf))
        .routes(routes!(rekomendasi::tenggat))
        .routes(routes!(rekomendasi::libur_daftar, rekomendasi::libur_tambah))
        .routes(routes!(rekomendasi::pengaturan_ambil, rekomendasi::pengaturan_ubah))
        .merge(unggah)
}

/// The `/api/v1` routes, merged into the application's router by `app::router`.
pub fn router(state: &AppState) -> Router<AppState> {
    rute(state.config.batas_badan_unggah()).split_for_parts().0
}

/// The OpenAPI document of [`router`].
pub fn dokumen() -> utoipa::openapi::OpenApi {
    let mut doc = rute(0).into_openapi();
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete]
            .into_iter()
            .flatten()
        {
            // Statuses every operation can answer whatever its handler says (issue 15, point
            // 11: Schemathesis found them undocumented): 400 from the layer in front of every
            // route that refuses control characters in a query string or body
            // (`kernel::masukan`), and, for a JSON body, 422 for a field of the wrong type
            // (`baca_json`).
            let json = matches!(&op.request_body, Some(RefOr::T(b)) if b.content.contains_key("application/json"));
            let mut umum = TidakValid::responses();
            if json {
                umum.extend(IsianSalah::responses());
            }
            for (status, respon) in umum {
                op.responses.responses.entry(status).or_insert(respon);
            }
            // utoipa writes `security(())` as `[{}]` ("a token is optional"); a public
            // operation takes none: `[]`.
            if op.security.as_ref().is_some_and(|s| s.len() == 1 && is_kosong(&s[0])) {
                op.security = Some(Vec::new());
            }
            // An optional body (`Option<T>`) is written `oneOf: [T, null]`; it may be absent,
            // never `null`: `T`.
            if let Some(RefOr::T(body)) = op.request_body.as_mut() {
                for isi in body.content.values_mut().filter_map(|c| match c {
                    RefOr::T(c) => Some(c),
                    RefOr::Ref(_) => None,
                }) {
                    if let Some(RefOr::T(Schema::OneOf(satu))) = &isi.schema
                        && let [t, RefOr::T(Schema::Object(nol))] = satu.items.as_slice()
                        && nol.schema_type == SchemaType::Type(Type::Null)
                    {
                        isi.schema = Some(t.clone());
                    }
                }
            }
        }
    }
    doc
}

fn is_kosong(s: &utoipa::openapi::security::SecurityRequirement) -> bool {
    serde_json::to_value(s).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
}

/// The document as served (built once).
static DOKUMEN: LazyLock<String> = LazyLock::new(|| dokumen().to_json().expect("the OpenAPI document serialises"));

/// `GET /api/v1/openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi",
    tag = "dokumen",
    summary = "Dokumen ini",
    security(()),
    responses((status = 200, description = "OpenAPI", body = Object, content_type = "application/json"))
)]
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOKUMEN.as_str())
}
