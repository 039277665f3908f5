//! Application state and the router: every route of SIPKATDES is listed here, but those of the
//! JSON API, listed in `api::rute` with their OpenAPI document and merged here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rust_embed::RustEmbed;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use crate::kernel::{AppState, Config, Instansi};

use crate::db::Db;
use crate::waktu::Clock;
use crate::{api, web};

/// The strict Content-Security-Policy of every response: no inline script or style, nothing
/// from another origin; framing only by SIPKATDES itself (the SK viewer).
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; form-action 'self'; frame-src 'self'; \
    frame-ancestors 'self'; base-uri 'none'; object-src 'none'";

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Aset;

async fn aset(Path(berkas): Path<String>) -> Response {
    let Some(isi) = Aset::get(&berkas) else {
        return crate::error::AppError::TidakDitemukan.into_response();
    };
    let jenis = match berkas.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    (
        [
            (header::CONTENT_TYPE, jenis),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        Body::from(isi.data.into_owned()),
    )
        .into_response()
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.db.is_healthy().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

async fn tidak_ditemukan(req: Request<Body>) -> Response {
    if req.uri().path().starts_with("/api/") {
        crate::error::ApiError(crate::error::AppError::TidakDitemukan).into_response()
    } else {
        crate::error::AppError::TidakDitemukan.into_response()
    }
}

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    let halaman = Router::new()
        .route("/", get(web::masuk::halaman))
        .route("/masuk", post(web::masuk::masuk))
        .route("/keluar", post(web::masuk::keluar))
        .route("/akun/kata-sandi", get(web::akun::halaman).post(web::akun::ubah))
        .route("/akun/token/cabut", post(web::akun::cabut_token))
        .route("/akun/kalender", post(web::akun::buat_kalender))
        .route("/akun/kalender/cabut", post(web::akun::cabut_kalender))
        .route("/kalender/{berkas}", get(web::akun::kalender))
        .route("/desa", get(web::desa::daftar))
        .route("/desa/{kode}", get(web::perangkat::halaman_desa))
        .route("/desa/{kode}/perangkat/baru", get(web::perangkat::baru))
        .route("/perangkat/{id}", get(web::perangkat::halaman))
        .route(
            "/perangkat/{id}/pemeriksaan",
            get(web::perangkat::pemeriksaan).post(web::perangkat::periksa),
        )
        .route("/perangkat/{id}/riwayat", get(web::perangkat::riwayat))
        .route("/perangkat/{id}/batalkan", post(web::perangkat::batalkan))
        .route("/perangkat/{id}/hapus", post(web::perangkat::hapus))
        .route(
            "/perangkat/{id}/berhenti",
            get(web::perangkat::berhenti_form).post(web::perangkat::berhenti),
        )
        .route("/dokumen/{id}", get(web::perangkat::berkas))
        .route("/desa/{kode}/buku-aparat.pdf", get(web::laporan::buku_aparat))
        .route("/desa/{kode}/laporan/baru", get(web::laporan::baru))
        .route("/desa/{kode}/impor/templat.xlsx", get(web::impor::templat))
        .route(
            "/desa/{kode}/impor/{token}",
            get(web::impor::pratinjau).post(web::impor::konfirmasi),
        )
        .route("/desa/{kode}/laporan", post(web::laporan::buat))
        .route("/laporan", get(web::laporan::daftar))
        .route("/laporan/{id}", get(web::laporan::halaman))
        .route("/laporan/{id}/pdf", get(web::laporan::pdf))
        .route("/laporan/{id}/penerimaan", post(web::laporan::tanggapi))
        .route("/dasbor", get(web::kecamatan::dasbor))
        .route("/peringatan", get(web::kecamatan::peringatan))
        .route("/rekap.xlsx", get(web::kecamatan::rekap_xlsx))
        .route("/rekap.pdf", get(web::kecamatan::rekap_pdf))
        .route("/perangkat/{id}/verifikasi", post(web::kecamatan::verifikasi))
        .route("/rekomendasi", get(web::rekomendasi::daftar))
        .route("/desa/{kode}/rekomendasi/baru", get(web::rekomendasi::baru))
        .route("/desa/{kode}/rekomendasi", post(web::rekomendasi::ajukan))
        .route("/rekomendasi/{id}", get(web::rekomendasi::halaman))
        .route("/rekomendasi/{id}/keputusan", post(web::rekomendasi::keputusan))
        .route("/rekomendasi/{id}/kembalikan", post(web::rekomendasi::kembalikan))
        .route("/rekomendasi/{id}/ajukan-ulang", post(web::rekomendasi::ajukan_ulang))
        .route("/rekomendasi/{id}/pdf", get(web::rekomendasi::pdf))
        .route("/rekomendasi/{id}/dokumen/{dokumen}", get(web::rekomendasi::dokumen))
        .route("/tenggat", get(web::rekomendasi::tenggat))
        .route("/verifikasi", get(web::laporan::verifikasi_cari))
        .route("/verifikasi/{kode}", get(web::laporan::verifikasi))
        .route("/publik", get(web::publik::indeks))
        .route("/publik/kecamatan/{kode}", get(web::publik::kecamatan))
        .route("/publik/kecamatan/{kode}/desa.csv", get(web::publik::kecamatan_csv))
        .route("/publik/desa/{kode}", get(web::publik::desa))
        .route("/publik/desa/{kode}/perangkat.csv", get(web::publik::desa_csv))
        .route("/publik/desa/{kode}/widget", get(web::publik::widget))
        .route("/publik/desa/{kode}/foto/{berkas}", get(web::publik::foto))
        .route("/kecamatan/{kode}/register-publik", post(web::publik::atur))
        .route(
            "/kecamatan/{kode}/pengaturan",
            get(web::kecamatan::pengaturan).post(web::kecamatan::pengaturan_ubah),
        )
        .route("/pertanyaan-nik", get(web::kecamatan::pertanyaan_nik))
        .route("/perangkat/{id}/foto-publik", post(web::publik::atur_foto))
        .route("/ekspor/perangkat.xlsx", get(web::ekspor::xlsx))
        .route("/ekspor/perangkat.csv", get(web::ekspor::csv))
        .route("/admin", get(web::admin::beranda))
        .route(
            "/admin/pengguna",
            get(web::admin::pengguna).post(web::admin::pengguna_buat),
        )
        .route("/admin/pengguna/baru", get(web::admin::pengguna_baru))
        .route(
            "/admin/pengguna/{id}",
            get(web::admin::pengguna_detail).post(web::admin::pengguna_ubah),
        )
        .route("/admin/pengguna/{id}/status", post(web::admin::pengguna_status))
        .route("/admin/pengguna/{id}/sandi", post(web::admin::pengguna_sandi))
        .route("/admin/desa", get(web::admin::desa))
        .route(
            "/admin/hari-libur",
            get(web::admin::libur).post(web::admin::libur_tambah),
        )
        .route("/admin/hari-libur/hapus", post(web::admin::libur_hapus))
        .route(
            "/admin/desa/{kode}",
            get(web::admin::desa_detail).post(web::admin::desa_ubah),
        );

    // Routes that receive files: the body may be as large as the upload limit (plus the form).
    let unggah = Router::new()
        .route("/desa/{kode}/perangkat", post(web::perangkat::buat))
        .route(
            "/perangkat/{id}/ubah",
            get(web::perangkat::ubah_form).post(web::perangkat::ubah),
        )
        .route(
            "/perangkat/{id}/mutasi",
            get(web::perangkat::mutasi_form).post(web::perangkat::mutasi),
        )
        .route("/perangkat/{id}/dokumen", post(web::perangkat::unggah))
        .route("/rekomendasi/{id}/dokumen", post(web::rekomendasi::unggah))
        .route("/desa/{kode}/impor", get(web::impor::halaman).post(web::impor::unggah))
        .layer(axum::extract::DefaultBodyLimit::max(state.config.batas_badan_form()));

    // The JSON API: its routes and their OpenAPI document come from one list (src/api/rute.rs).
    let api = api::router(&state);

    Router::new()
        .merge(halaman)
        .merge(unggah)
        .merge(api)
        .route("/healthz", get(healthz))
        .route("/aset/{*berkas}", get(aset))
        .fallback(tidak_ditemukan)
        .layer(axum::middleware::from_fn(crate::kernel::masukan::tolak_karakter_kendali))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::kernel::publik::batasi))
        .layer(axum::middleware::from_fn_with_state(state.clone(), catat_penolakan))
        .with_state(state.clone())
        .layer(axum::middleware::map_response(rejeksi_indonesia))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::kernel::galat::lengkapi_kepala))
        .layer(
            // The first layer is the outermost: headers are set on every response, including
            // a panic's 500 and a timeout's 408.
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, Bingkai::Csp))
                .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, Bingkai::Xfo))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    HeaderName::from_static("permissions-policy"),
                    HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    HeaderName::from_static("cross-origin-opener-policy"),
                    HeaderValue::from_static("same-origin"),
                ))
                // Pages hold personal data: never cached, unless a route says otherwise (assets).
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                ))
                // gzip for what holds no session secret (issue 16: a desa on one bar of signal).
                .layer(
                    tower_http::compression::CompressionLayer::new()
                        .gzip(true)
                        .compress_when(boleh_dipadatkan as fn(StatusCode, axum::http::Version, &HeaderMap, &axum::http::Extensions) -> bool),
                )
                // Log the path only: query strings may hold a searched name or NIK.
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                }))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
                .layer(CatchPanicLayer::custom(|_| {
                    crate::error::AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
                })),
        )
}

/// Which responses are sent gzip-compressed (when the client accepts it): the assets, JSON,
/// CSV and SVG, and pages marked public (the public register). Not the HTML pages of a
/// session: they carry its CSRF token beside text a visitor can make the page repeat (a
/// search), which compressed sizes would give away (BREACH); they are small without it.
fn boleh_dipadatkan(_: StatusCode, _: axum::http::Version, h: &HeaderMap, _: &axum::http::Extensions) -> bool {
    let jenis = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let publik = h
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("public"));
    let teks = [
        "text/css",
        "text/javascript",
        "application/json",
        "image/svg+xml",
        "text/csv",
        "text/plain",
        "text/calendar",
    ]
    .iter()
    .any(|t| jenis.starts_with(t));
    teks || (publik && jenis.starts_with("text/html"))
}

/// The Content-Security-Policy of the public register's widget, the one response that pages
/// of other origins may frame (a desa's own website): otherwise as strict as [`CSP`].
pub const CSP_WIDGET: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
    form-action 'none'; frame-ancestors *; base-uri 'none'; object-src 'none'";

/// The CSP and the framing policy of every response: [`CSP`] and `X-Frame-Options:
/// SAMEORIGIN`, except for a response marked [`crate::kernel::publik::BolehDibingkai`] (the
/// widget), which gets [`CSP_WIDGET`] and no `X-Frame-Options`. Whatever a handler set itself
/// is replaced.
#[derive(Clone, Copy)]
enum Bingkai {
    Csp,
    Xfo,
}

impl<B> tower_http::set_header::MakeHeaderValue<Response<B>> for Bingkai {
    fn make_header_value(&mut self, resp: &Response<B>) -> Option<HeaderValue> {
        let widget = resp
            .extensions()
            .get::<crate::kernel::publik::BolehDibingkai>()
            .is_some();
        match (self, widget) {
            (Bingkai::Csp, false) => Some(HeaderValue::from_static(CSP)),
            (Bingkai::Csp, true) => Some(HeaderValue::from_static(CSP_WIDGET)),
            (Bingkai::Xfo, false) => Some(HeaderValue::from_static("SAMEORIGIN")),
            (Bingkai::Xfo, true) => None,
        }
    }
}

/// Refused accesses go to the process log (SECURITY.md): 401 and 403 always, a 404 when the
/// caller is logged in (a record outside the caller's scope answers 404, so that its existence
/// is not revealed). The line names the account by username and role, never by its session or
/// token, and the path without its query string.
async fn catat_penolakan(State(state): State<AppState>, req: Request<Body>, next: axum::middleware::Next) -> Response {
    let metode = req.method().clone();
    let jalur = req.uri().path().to_string();
    let kepala = req.headers().clone();
    let resp = next.run(req).await;
    let status = resp.status();
    if !matches!(status.as_u16(), 401 | 403 | 404) || jalur.starts_with("/aset/") {
        return resp;
    }
    let akun = siapa(&state, &kepala).await;
    match (&akun, status.as_u16()) {
        (None, 404) => {}
        (None, _) => {
            tracing::warn!(method = %metode, path = %jalur, status = status.as_u16(), "akses ditolak: belum masuk")
        }
        (Some(a), _) => tracing::warn!(
            method = %metode,
            path = %jalur,
            status = status.as_u16(),
            pengguna = %a.username,
            peran = a.peran.kode(),
            "akses ditolak"
        ),
    }
    resp
}

/// The account behind a request's session cookie or bearer token, if any.
async fn siapa(state: &AppState, kepala: &axum::http::HeaderMap) -> Option<crate::akun::Akun> {
    if let Some(s) = crate::kernel::sesi::sesi_opsional(state, kepala).await {
        return Some(s.akun);
    }
    crate::kernel::sesi::akun_token(state, kepala).await
}

/// Framework rejections (a malformed form or path, a wrong method or content type) answer in
/// English plain text; replace them with SIPKATDES's own messages in Bahasa Indonesia.
async fn rejeksi_indonesia(uri: axum::http::Uri, resp: Response) -> Response {
    let status = resp.status();
    let polos = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !status.is_client_error() || !polos || uri.path() == "/healthz" {
        return resp;
    }
    let pesan = match status {
        StatusCode::METHOD_NOT_ALLOWED => "Alamat ini tidak menerima permintaan dengan metode tersebut.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Jenis isi permintaan tidak didukung.",
        StatusCode::PAYLOAD_TOO_LARGE => "Isi permintaan terlalu besar.",
        StatusCode::NOT_FOUND => "Halaman atau data yang diminta tidak ditemukan.",
        _ => "Permintaan tidak valid: alamat atau isian formulir tidak sesuai.",
    };
    let mut baru = if uri.path().starts_with("/api/") {
        let kode = if status == StatusCode::NOT_FOUND {
            "tidak_ditemukan"
        } else {
            "permintaan_tidak_valid"
        };
        let body = serde_json::json!({ "error": { "kode": kode, "pesan": pesan, "field": {} } });
        axum::Json(body).into_response()
    } else {
        crate::kernel::galat::halaman_galat(status, pesan)
    };
    *baru.status_mut() = status;
    if let Some(allow) = resp.headers().get(header::ALLOW) {
        baru.headers_mut().insert(header::ALLOW, allow.clone());
    }
    baru
}

/// A configured application, ready to serve.
pub struct Application {
    pub state: AppState,
    listener: tokio::net::TcpListener,
}

impl Application {
    pub async fn build(db: Db, config: Config, clock: Clock, listen: &str) -> anyhow::Result<Application> {
        let instansi = Instansi::muat(&db).await?.ok_or_else(|| {
            anyhow::anyhow!(
                "Instansi belum disiapkan. Jalankan dahulu: sipkatdes init --kecamatan KODE (misalnya 63.11.02)"
            )
        })?;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow::anyhow!("tidak dapat mendengarkan di {listen}: {e}"))?;
        let simpanan = crate::dokumen::Penyimpanan::lokal(&config.data_dir)?;
        crate::akun::batas::atur_jeda_nik(config.jeda_nik);
        let state = AppState {
            db,
            simpanan,
            config: Arc::new(config),
            clock,
            instansi: Arc::new(instansi),
            antrean: crate::sk::antrean::Antrean::baru(),
            publik: Default::default(),
            laju_publik: Default::default(),
        };
        Ok(Application { state, listener })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener")
    }

    /// Serves until `shutdown` completes; the SK reading workers run beside it and stop after it.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let s = &self.state;
        let pekerja = s
            .antrean
            .mulai(
                s.db.clone(),
                s.simpanan.clone(),
                s.config.sk_pembaca.clone(),
                s.clock.clone(),
                s.config.sk_pekerja.unwrap_or_else(crate::sk::antrean::pekerja_bawaan),
            )
            .await
            .map_err(|e| anyhow::anyhow!("antrean pembacaan SK tidak dapat dimulai: {e}"))?;
        let app = router(self.state.clone());
        axum::serve(self.listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await?;
        pekerja.hentikan().await;
        self.state.db.close().await;
        Ok(())
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn tanda_berhenti() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
