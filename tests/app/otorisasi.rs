//! The authorization matrix (issue 7, SECURITY.md): every route of the router has a row in
//! [`ATURAN`] — the test fails when a route is added without one — and every route is tried by
//! every role and by an anonymous visitor, against a record of the role's own desa, of a sibling
//! desa in the same kecamatan, of another kecamatan of the kabupaten, and of another kabupaten.
//! A refusal is 401/403/404 (or, for a page, the way back to the login page); anything else
//! below 500 means the request got past the checks. Also: every form refuses a post without its
//! CSRF token, lists never show another desa's officials, and posted `desa`, `status`, `id` or
//! role fields change nothing.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::multipart::Form;
use serde_json::{Value, json};

use sipkatdes::akun::Peran as SPeran;
use sipkatdes::akun::izin::{self, Tindakan};

use crate::helpers::*;
use crate::perangkat::{Api, contoh};

/// Who asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Siapa {
    Anonim,
    Operator,
    KepalaDesa,
    Kecamatan,
    Kabupaten,
    Admin,
}
use Siapa::*;

const SEMUA: [Siapa; 6] = [Anonim, Operator, KepalaDesa, Kecamatan, Kabupaten, Admin];

/// Whose record: the role's own desa (A), a sibling desa of Kecamatan Halong (B), a desa of
/// another kecamatan of Kabupaten Balangan (C), a desa of another kabupaten (D).
const SASARAN: [usize; 4] = [0, 1, 2, 3];

/// Which desa (index into [`SASARAN`]) each role may see.
fn cakupan(s: Siapa) -> &'static [usize] {
    match s {
        Anonim => &[],
        Operator | KepalaDesa => &[0],
        Kecamatan => &[0, 1],
        Kabupaten => &[0, 1, 2],
        Admin => &[0, 1, 2, 3],
    }
}

#[derive(Clone, Copy, Debug)]
enum Akses {
    /// Anyone, logged in or not.
    Publik,
    /// Any logged-in user (what is shown is limited to the scope: see the list test).
    Masuk,
    /// The roles of this permission (`sipkatdes::akun::izin`), whatever the record.
    Peran(Tindakan),
    /// The roles of this permission, on records within their scope.
    Lingkup(Tindakan),
    /// Only the operator who uploaded the import file, within the desa.
    Pengunggah,
}
use Akses::*;

const LIHAT: &[Siapa] = &[Operator, KepalaDesa, Kecamatan, Kabupaten, Admin];
const UBAH: &[Siapa] = &[Operator, Admin];
const KECAMATAN: &[Siapa] = &[Kecamatan, Kabupaten, Admin];

/// The roles a permission of `sipkatdes::akun::izin` declares, as the matrix names them.
fn peran_izin(t: Tindakan) -> Vec<Siapa> {
    izin::peran(t)
        .iter()
        .map(|p| match p {
            SPeran::Operator => Operator,
            SPeran::KepalaDesa => KepalaDesa,
            SPeran::Kecamatan => Kecamatan,
            SPeran::Kabupaten => Kabupaten,
            SPeran::Admin => Admin,
        })
        .collect()
}

/// The permissions as SPEC §1 and SECURITY.md give them: the declaration in `izin` that the
/// matrix below reads must say the same.
#[test]
fn izin_sesuai_spesifikasi() {
    let harapan: &[(Tindakan, &[Siapa])] = &[
        (Tindakan::LihatDesa, LIHAT),
        (Tindakan::UbahPerangkat, UBAH),
        (Tindakan::TanggapiLaporan, &[KepalaDesa]),
        (Tindakan::Verifikasi, &[Kecamatan, Admin]),
        (Tindakan::LihatDasbor, KECAMATAN),
        (Tindakan::Administrasi, &[Admin]),
        (Tindakan::LihatNikUtuh, &[Operator, Kecamatan, Admin]),
        (Tindakan::AturRegisterPublik, &[Kecamatan, Admin]),
        (Tindakan::AjukanRekomendasi, &[Operator]),
        (Tindakan::PutuskanRekomendasi, &[Kecamatan]),
        (Tindakan::AturKecamatan, &[Kecamatan, Admin]),
    ];
    for t in izin::SEMUA_TINDAKAN {
        let (_, h) = harapan
            .iter()
            .find(|(x, _)| *x == t)
            .expect("every permission has an expectation");
        let mut a = peran_izin(t);
        a.sort();
        let mut h = h.to_vec();
        h.sort();
        assert_eq!(a, h, "{t:?}");
    }
}

/// The expected permission of every route (method, path as written in src/app.rs or, for the
/// API, in the handler's `#[utoipa::path]`).
const ATURAN: &[(&str, &str, Akses)] = &[
    // Session and account.
    ("GET", "/", Publik),
    ("POST", "/masuk", Publik),
    ("POST", "/keluar", Publik),
    ("GET", "/akun/kata-sandi", Masuk),
    ("POST", "/akun/kata-sandi", Masuk),
    ("POST", "/akun/token/cabut", Masuk),
    // The register.
    ("GET", "/desa", Masuk),
    ("GET", "/desa/{kode}", Lingkup(Tindakan::LihatDesa)),
    ("GET", "/desa/{kode}/perangkat/baru", Lingkup(Tindakan::UbahPerangkat)),
    ("POST", "/desa/{kode}/perangkat", Lingkup(Tindakan::UbahPerangkat)),
    ("GET", "/perangkat/{id}", Lingkup(Tindakan::LihatDesa)),
    ("GET", "/perangkat/{id}/pemeriksaan", Lingkup(Tindakan::UbahPerangkat)),
    ("POST", "/perangkat/{id}/pemeriksaan", Lingkup(Tindakan::UbahPerangkat)),
    ("GET", "/perangkat/{id}/riwayat", Lingkup(Tindakan::LihatDesa)),
    ("POST", "/perangkat/{id}/batalkan", Lingkup(Tindakan::UbahPerangkat)),
    ("POST", "/perangkat/{id}/hapus", Lingkup(Tindakan::UbahPerangkat)),
    ("GET", "/perangkat/{id}/berhenti", Lingkup(Tindakan::UbahPerangkat)),
    ("POST", "/perangkat/{id}/berhenti", Lingkup(Tindakan::UbahPerangkat)),
    ("GET", "/perangkat/{id}/ubah", Lingkup(Tindakan::UbahPerangkat)),
    ("POST", "/perangkat/{id}/ubah", Lingkup(Tindakan::UbahPerangkat)),
    ("GET", "/perangkat/{id}/mutasi", Lingkup(Tindakan::UbahPerangkat)),
    ("POST", "/perangkat/{id}/mutasi", Lingkup(Tindakan::UbahPerangkat)),
    ("POST", "/perangkat/{id}/dokumen", Lingkup(Tindakan::UbahPerangkat)),
    ("GET", "/dokumen/{id}", Lingkup(Tindakan::LihatDesa)),
    // Reports.
    ("GET", "/desa/{kode}/buku-aparat.pdf", Lingkup(Tindakan::LihatDesa)),
    ("GET", "/desa/{kode}/laporan/baru", Lingkup(Tindakan::UbahPerangkat)),
    ("POST", "/desa/{kode}/laporan", Lingkup(Tindakan::UbahPerangkat)),
    ("GET", "/laporan", Masuk),
    ("GET", "/laporan/{id}", Lingkup(Tindakan::LihatDesa)),
    ("GET", "/laporan/{id}/pdf", Lingkup(Tindakan::LihatDesa)),
    ("POST", "/laporan/{id}/penerimaan", Lingkup(Tindakan::TanggapiLaporan)),
    ("GET", "/rekomendasi", Masuk),
    (
        "GET",
        "/desa/{kode}/rekomendasi/baru",
        Lingkup(Tindakan::AjukanRekomendasi),
    ),
    ("POST", "/desa/{kode}/rekomendasi", Lingkup(Tindakan::AjukanRekomendasi)),
    ("GET", "/rekomendasi/{id}", Lingkup(Tindakan::LihatDesa)),
    (
        "POST",
        "/rekomendasi/{id}/keputusan",
        Lingkup(Tindakan::PutuskanRekomendasi),
    ),
    (
        "POST",
        "/rekomendasi/{id}/kembalikan",
        Lingkup(Tindakan::PutuskanRekomendasi),
    ),
    (
        "POST",
        "/rekomendasi/{id}/ajukan-ulang",
        Lingkup(Tindakan::AjukanRekomendasi),
    ),
    (
        "POST",
        "/rekomendasi/{id}/dokumen",
        Lingkup(Tindakan::AjukanRekomendasi),
    ),
    ("GET", "/rekomendasi/{id}/pdf", Lingkup(Tindakan::LihatDesa)),
    (
        "GET",
        "/rekomendasi/{id}/dokumen/{dokumen}",
        Lingkup(Tindakan::LihatDesa),
    ),
    ("GET", "/tenggat", Masuk),
    ("GET", "/pertanyaan-nik", Peran(Tindakan::LihatDasbor)),
    ("GET", "/verifikasi", Publik),
    ("GET", "/verifikasi/{kode}", Publik),
    // The public register (issue 19): no login; 404 while the kecamatan keeps it closed.
    ("GET", "/publik", Publik),
    ("GET", "/publik/kecamatan/{kode}", Publik),
    ("GET", "/publik/kecamatan/{kode}/desa.csv", Publik),
    ("GET", "/publik/desa/{kode}", Publik),
    ("GET", "/publik/desa/{kode}/perangkat.csv", Publik),
    ("GET", "/publik/desa/{kode}/widget", Publik),
    ("GET", "/publik/desa/{kode}/foto/{berkas}", Publik),
    ("GET", "/api/v1/publik/desa/{kode}", Publik),
    ("GET", "/api/v1/publik/kecamatan/{kode}", Publik),
    (
        "POST",
        "/kecamatan/{kode}/register-publik",
        Lingkup(Tindakan::AturRegisterPublik),
    ),
    (
        "GET",
        "/api/v1/kecamatan/{kode}/register-publik",
        Lingkup(Tindakan::AturRegisterPublik),
    ),
    (
        "PUT",
        "/api/v1/kecamatan/{kode}/register-publik",
        Lingkup(Tindakan::AturRegisterPublik),
    ),
    ("POST", "/akun/kalender", Masuk),
    ("POST", "/akun/kalender/cabut", Masuk),
    // The calendar feed: no login, the link's secret is the key (404 for any other).
    ("GET", "/kalender/{berkas}", Publik),
    ("GET", "/admin/hari-libur", Peran(Tindakan::Administrasi)),
    ("POST", "/admin/hari-libur", Peran(Tindakan::Administrasi)),
    ("POST", "/admin/hari-libur/hapus", Peran(Tindakan::Administrasi)),
    ("GET", "/kecamatan/{kode}/pengaturan", Lingkup(Tindakan::AturKecamatan)),
    ("POST", "/kecamatan/{kode}/pengaturan", Lingkup(Tindakan::AturKecamatan)),
    ("POST", "/perangkat/{id}/foto-publik", Lingkup(Tindakan::UbahPerangkat)),
    // Import.
    ("GET", "/desa/{kode}/impor", Lingkup(Tindakan::UbahPerangkat)),
    ("POST", "/desa/{kode}/impor", Lingkup(Tindakan::UbahPerangkat)),
    (
        "GET",
        "/desa/{kode}/impor/templat.xlsx",
        Lingkup(Tindakan::UbahPerangkat),
    ),
    ("GET", "/desa/{kode}/impor/{token}", Pengunggah),
    ("POST", "/desa/{kode}/impor/{token}", Pengunggah),
    // The kecamatan.
    ("GET", "/dasbor", Peran(Tindakan::LihatDasbor)),
    ("GET", "/peringatan", Peran(Tindakan::LihatDasbor)),
    ("GET", "/rekap.xlsx", Peran(Tindakan::LihatDasbor)),
    ("GET", "/rekap.pdf", Peran(Tindakan::LihatDasbor)),
    ("POST", "/perangkat/{id}/verifikasi", Lingkup(Tindakan::Verifikasi)),
    // Exports (of the user's own scope).
    ("GET", "/ekspor/perangkat.xlsx", Masuk),
    ("GET", "/ekspor/perangkat.csv", Masuk),
    // Administration.
    ("GET", "/admin", Peran(Tindakan::Administrasi)),
    ("GET", "/admin/pengguna", Peran(Tindakan::Administrasi)),
    ("POST", "/admin/pengguna", Peran(Tindakan::Administrasi)),
    ("GET", "/admin/pengguna/baru", Peran(Tindakan::Administrasi)),
    ("GET", "/admin/pengguna/{id}", Peran(Tindakan::Administrasi)),
    ("POST", "/admin/pengguna/{id}", Peran(Tindakan::Administrasi)),
    ("POST", "/admin/pengguna/{id}/status", Peran(Tindakan::Administrasi)),
    ("POST", "/admin/pengguna/{id}/sandi", Peran(Tindakan::Administrasi)),
    ("GET", "/admin/desa", Peran(Tindakan::Administrasi)),
    ("GET", "/admin/desa/{kode}", Peran(Tindakan::Administrasi)),
    ("POST", "/admin/desa/{kode}", Peran(Tindakan::Administrasi)),
    // The API.
    ("GET", "/api/v1/openapi.json", Publik),
    ("POST", "/api/v1/auth/token", Publik),
    ("DELETE", "/api/v1/auth/token", Masuk),
    ("GET", "/api/v1/desa", Masuk),
    ("GET", "/api/v1/desa/{kode}", Lingkup(Tindakan::LihatDesa)),
    ("GET", "/api/v1/desa/{kode}/perangkat", Lingkup(Tindakan::LihatDesa)),
    (
        "POST",
        "/api/v1/desa/{kode}/perangkat",
        Lingkup(Tindakan::UbahPerangkat),
    ),
    ("GET", "/api/v1/perangkat", Masuk),
    ("GET", "/api/v1/perangkat/{id}", Lingkup(Tindakan::LihatDesa)),
    ("PUT", "/api/v1/perangkat/{id}", Lingkup(Tindakan::UbahPerangkat)),
    ("DELETE", "/api/v1/perangkat/{id}", Lingkup(Tindakan::UbahPerangkat)),
    ("GET", "/api/v1/perangkat/{id}/pencocokan", Lingkup(Tindakan::LihatDesa)),
    (
        "POST",
        "/api/v1/perangkat/{id}/pemeriksaan",
        Lingkup(Tindakan::UbahPerangkat),
    ),
    (
        "POST",
        "/api/v1/perangkat/{id}/batalkan",
        Lingkup(Tindakan::UbahPerangkat),
    ),
    (
        "POST",
        "/api/v1/perangkat/{id}/dokumen",
        Lingkup(Tindakan::UbahPerangkat),
    ),
    ("GET", "/api/v1/dokumen/{id}", Lingkup(Tindakan::LihatDesa)),
    ("GET", "/api/v1/desa/{kode}/laporan", Lingkup(Tindakan::LihatDesa)),
    ("POST", "/api/v1/desa/{kode}/laporan", Lingkup(Tindakan::UbahPerangkat)),
    ("GET", "/api/v1/laporan/{id}", Lingkup(Tindakan::LihatDesa)),
    ("GET", "/api/v1/laporan/{id}/pdf", Lingkup(Tindakan::LihatDesa)),
    (
        "POST",
        "/api/v1/laporan/{id}/penerimaan",
        Lingkup(Tindakan::TanggapiLaporan),
    ),
    ("GET", "/api/v1/sinkronisasi", Peran(Tindakan::LihatDasbor)),
    ("GET", "/api/v1/dasbor", Peran(Tindakan::LihatDasbor)),
    (
        "POST",
        "/api/v1/perangkat/{id}/verifikasi",
        Lingkup(Tindakan::Verifikasi),
    ),
    ("GET", "/api/v1/rekap.xlsx", Peran(Tindakan::LihatDasbor)),
    ("GET", "/api/v1/rekap.pdf", Peran(Tindakan::LihatDasbor)),
    ("GET", "/api/v1/ekspor/perangkat.xlsx", Masuk),
    ("GET", "/api/v1/ekspor/perangkat.csv", Masuk),
    // The Camat's recommendation and the deadlines (issue 17).
    (
        "POST",
        "/api/v1/desa/{kode}/rekomendasi",
        Lingkup(Tindakan::AjukanRekomendasi),
    ),
    ("GET", "/api/v1/rekomendasi", Masuk),
    ("GET", "/api/v1/rekomendasi/{id}", Lingkup(Tindakan::LihatDesa)),
    (
        "POST",
        "/api/v1/rekomendasi/{id}/dokumen",
        Lingkup(Tindakan::AjukanRekomendasi),
    ),
    (
        "GET",
        "/api/v1/rekomendasi/{id}/dokumen/{dokumen}",
        Lingkup(Tindakan::LihatDesa),
    ),
    (
        "POST",
        "/api/v1/rekomendasi/{id}/keputusan",
        Lingkup(Tindakan::PutuskanRekomendasi),
    ),
    (
        "POST",
        "/api/v1/rekomendasi/{id}/kembalikan",
        Lingkup(Tindakan::PutuskanRekomendasi),
    ),
    (
        "POST",
        "/api/v1/rekomendasi/{id}/ajukan-ulang",
        Lingkup(Tindakan::AjukanRekomendasi),
    ),
    ("GET", "/api/v1/rekomendasi/{id}/pdf", Lingkup(Tindakan::LihatDesa)),
    ("GET", "/api/v1/tenggat", Masuk),
    ("GET", "/api/v1/hari-libur", Masuk),
    ("POST", "/api/v1/hari-libur", Peran(Tindakan::Administrasi)),
    ("GET", "/api/v1/pengaturan-kecamatan", Peran(Tindakan::AturKecamatan)),
    ("PUT", "/api/v1/pengaturan-kecamatan", Peran(Tindakan::AturKecamatan)),
    // Infrastructure.
    ("GET", "/healthz", Publik),
    ("GET", "/aset/{*berkas}", Publik),
];

/// Routes that end what they are tried with (the session, the token): tried last.
const MENGAKHIRI: &[(&str, &str)] = &[("POST", "/keluar"), ("DELETE", "/api/v1/auth/token")];

/// Routes whose form is multipart (they receive files).
fn multipart(jalur: &str) -> bool {
    [
        "/desa/{kode}/perangkat",
        "/perangkat/{id}/ubah",
        "/perangkat/{id}/mutasi",
        "/perangkat/{id}/dokumen",
        "/desa/{kode}/impor",
        "/api/v1/perangkat/{id}/dokumen",
        "/api/v1/rekomendasi/{id}/dokumen",
        "/rekomendasi/{id}/dokumen",
    ]
    .contains(&jalur)
}

/// Every (method, path) of the router: read from src/app.rs, and the JSON API's from
/// src/api/rute.rs (which app.rs merges; see [`rute_api`]).
pub fn rute_router() -> BTreeSet<(String, String)> {
    let mut v = rute_app();
    let api = rute_api();
    assert!(api.len() >= 25, "{} API routes read from src/api/rute.rs", api.len());
    let dua_kali: Vec<_> = api.intersection(&v).collect();
    assert!(
        dua_kali.is_empty(),
        "routes in both src/app.rs and src/api/rute.rs: {dua_kali:?}"
    );
    v.extend(api);
    v
}

/// The (method, path) of every `.route(…)` of src/app.rs.
fn rute_app() -> BTreeSet<(String, String)> {
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/app.rs")).unwrap();
    let awal = src.find("pub fn router(").expect("router function");
    let src = &src[awal..];
    let akhir = src.find("\n}\n").unwrap();
    let src = &src[..akhir];
    let mut v = BTreeSet::new();
    for (i, _) in src.match_indices(".route(") {
        let sisa = &src[i + ".route(".len()..];
        let jalur = sisa
            .trim_start()
            .trim_start_matches('"')
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let batas = [".route(", ";", ".layer(", ".fallback("]
            .iter()
            .filter_map(|p| sisa.find(p))
            .min()
            .unwrap_or(sisa.len());
        let bagian = &sisa[..batas];
        for m in ["get", "post", "put", "delete"] {
            let ada = [" ", "(", ".", "\n"]
                .iter()
                .any(|sebelum| bagian.contains(&format!("{sebelum}{m}(")));
            if ada {
                v.insert((m.to_uppercase(), jalur.clone()));
            }
        }
    }
    v
}

#[test]
fn setiap_rute_punya_baris_di_matriks() {
    let router = rute_router();
    assert!(
        router.len() >= 80,
        "{} routes read from src/app.rs and src/api/rute.rs",
        router.len()
    );
    let tabel: BTreeSet<(String, String)> = ATURAN.iter().map(|(m, j, _)| (m.to_string(), j.to_string())).collect();
    assert_eq!(tabel.len(), ATURAN.len(), "a route is listed twice in ATURAN");
    let tanpa_baris: Vec<_> = router.difference(&tabel).collect();
    let tanpa_rute: Vec<_> = tabel.difference(&router).collect();
    assert!(
        tanpa_baris.is_empty(),
        "routes without a row in the permission matrix: {tanpa_baris:?}"
    );
    assert!(
        tanpa_rute.is_empty(),
        "matrix rows for routes the router does not have: {tanpa_rute:?}"
    );
}

/// The records of one desa.
struct Rekaman {
    kode: String,
    perangkat: i64,
    dokumen: i64,
    laporan: i64,
    pengguna: i64,
    token_impor: String,
    /// A request of the desa with a document, decided by its kecamatan (its letter exists).
    rekomendasi: i64,
    dokumen_rekomendasi: i64,
}

struct Dunia {
    app: TestApp,
    sasaran: Vec<Rekaman>,
    web: BTreeMap<Siapa, reqwest::Client>,
    api: BTreeMap<Siapa, String>,
    csrf: BTreeMap<Siapa, String>,
}

const USERNAME: [(Siapa, &str, &str); 5] = [
    (Operator, "operator", "op.a"),
    (KepalaDesa, "kepala_desa", "kades.a"),
    (Kecamatan, "kecamatan", "kec.halong"),
    (Kabupaten, "kabupaten", "kab.balangan"),
    (Admin, "admin", "admin"),
];

/// NIK prefixes (kecamatan codes) of the four desa.
fn nik(kode: &str, urut: usize) -> String {
    let k: String = kode.chars().filter(char::is_ascii_digit).take(6).collect();
    format!("{k}140385{:04}", urut + 1)
}

async fn dunia() -> Dunia {
    let app = spawn_app_penuh(&[HALONG, "63.11.01", "63.01.01"], |_| {}).await;
    let mut kode = vec![DESA_A.to_string(), DESA_B.to_string()];
    for kec in ["63.11.01.%", "63.01.01.%"] {
        let k: String = sipkatdes::read!(app.db, c => {
            sqlx::query_scalar("SELECT kode FROM desa WHERE kode LIKE $1 ORDER BY kode LIMIT 1")
                .bind(kec)
                .fetch_one(c)
                .await
                .unwrap()
        });
        kode.push(k);
    }
    for (s, peran, u) in USERNAME {
        if s == Admin {
            continue;
        }
        let cak = match s {
            Operator | KepalaDesa => DESA_A,
            Kecamatan => HALONG,
            _ => "63.11",
        };
        app.pengguna(u, peran, cak).await;
    }
    let mut sasaran = Vec::new();
    for (i, k) in kode.iter().enumerate() {
        let pembuat = format!("pembuat.{i}");
        if i > 0 {
            app.pengguna(&pembuat, "operator", k).await;
        }
        let pembuat = if i == 0 { "op.a".to_string() } else { pembuat };
        let pengguna = app.pengguna(&format!("sasaran.{i}"), "operator", k).await;
        let api = Api::baru(&app, &pembuat).await;
        let id = api
            .buat(k, &contoh(&nik(k, i), &format!("Penanda Desa {i}"), "kaur_keuangan"))
            .await;
        api.simpan(id).await;
        let dok: i64 = api.json(&format!("/api/v1/perangkat/{id}")).await["dokumen"][0]["id"]
            .as_i64()
            .expect("document id");
        let r = api.post(&format!("/api/v1/desa/{k}/laporan"), &json!({})).await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let laporan = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let uid: i64 = sipkatdes::read!(app.db, c => {
            sqlx::query_scalar("SELECT id FROM pengguna WHERE username = $1").bind(&pembuat).fetch_one(c).await.unwrap()
        });
        let akun = sipkatdes::akun::akun_aktif(&app.db, sipkatdes::id::AkunId(uid))
            .await
            .unwrap()
            .unwrap();
        let csv = "Nama,NIK,Jabatan\nBudi Santoso,6311021403850009,Kaur Umum\n";
        let hari = time::Date::from_calendar_date(2026, time::Month::November, 25).unwrap();
        let p = sipkatdes::impor::periksa_berkas(&app.db, &akun, k, csv.as_bytes(), hari)
            .await
            .unwrap();
        let token = sipkatdes::impor::simpan(&app.db, &akun, k, "impor.csv", &p, sipkatdes::waktu::unix_now())
            .await
            .unwrap();
        let calon = contoh(&nik(k, i + 10), &format!("Calon Desa {i}"), "kaur_perencanaan");
        let r = api
            .post(
                &format!("/api/v1/desa/{k}/rekomendasi"),
                &json!({ "jenis": "pengangkatan", "jabatan": "kaur_perencanaan", "calon": [calon] }),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let rekomendasi = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let r = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/rekomendasi/{rekomendasi}/dokumen")))
            .bearer_auth(&api.token)
            .multipart(Form::new().text("jenis", "ktp").part(
                "berkas",
                reqwest::multipart::Part::bytes(crate::perangkat::pdf_sk()).file_name("ktp.pdf"),
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let dokumen_rekomendasi = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let pemutus = format!("pemutus.{i}");
        app.pengguna(&pemutus, "kecamatan", &k[..8]).await;
        let camat = Api::baru(&app, &pemutus).await;
        let r = camat
            .post(
                &format!("/api/v1/rekomendasi/{rekomendasi}/keputusan"),
                &json!({ "setuju": true, "calon": 0 }),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        sasaran.push(Rekaman {
            kode: k.clone(),
            perangkat: id,
            dokumen: dok,
            laporan,
            pengguna,
            token_impor: token,
            rekomendasi,
            dokumen_rekomendasi,
        });
    }
    let mut web = BTreeMap::new();
    let mut api = BTreeMap::new();
    let mut csrf = BTreeMap::new();
    web.insert(Anonim, app.klien());
    csrf.insert(Anonim, app.csrf(&web[&Anonim], "/").await);
    for (s, _, u) in USERNAME {
        let c = app.masuk_ok(u).await;
        csrf.insert(s, app.csrf(&c, "/akun/kata-sandi").await);
        web.insert(s, c);
        api.insert(s, app.token(u).await);
    }
    Dunia {
        app,
        sasaran,
        web,
        api,
        csrf,
    }
}

fn isi_jalur(jalur: &str, r: &Rekaman) -> String {
    let id = if jalur.starts_with("/rekomendasi/") || jalur.starts_with("/api/v1/rekomendasi/") {
        r.rekomendasi
    } else if jalur.starts_with("/perangkat/") || jalur.starts_with("/api/v1/perangkat/") {
        r.perangkat
    } else if jalur.starts_with("/dokumen/") || jalur.starts_with("/api/v1/dokumen/") {
        r.dokumen
    } else if jalur.starts_with("/laporan/") || jalur.starts_with("/api/v1/laporan/") {
        r.laporan
    } else {
        r.pengguna
    };
    let kode = if jalur.starts_with("/verifikasi/") {
        "ABCDEFGH23".to_string()
    } else if jalur.contains("/kecamatan/{kode}") {
        // The kecamatan of the desa: 63.11.02.2001 → 63.11.02.
        r.kode[..8].to_string()
    } else {
        r.kode.clone()
    };
    jalur
        .replace("{id}", &id.to_string())
        .replace("{kode}", &kode)
        .replace("{token}", &r.token_impor)
        .replace("{dokumen}", &r.dokumen_rekomendasi.to_string())
        .replace("{*berkas}", "sipkatdes.css")
}

/// Sends one request as `s`; returns the status and the redirect target.
async fn kirim(d: &Dunia, s: Siapa, metode: &str, pola: &str, url: &str, tanpa_csrf: bool) -> (u16, String) {
    let app = &d.app;
    let api = url.starts_with("/api/");
    let c = if api { reqwest::Client::new() } else { d.web[&s].clone() };
    let mut rb = match metode {
        "GET" => c.get(app.url(url)),
        "POST" => c.post(app.url(url)),
        "PUT" => c.put(app.url(url)),
        "DELETE" => c.delete(app.url(url)),
        m => panic!("{m}"),
    };
    if api {
        if let Some(t) = d.api.get(&s) {
            rb = rb.bearer_auth(t);
        }
        if multipart(pola) && metode == "POST" {
            rb = rb.multipart(Form::new().text("jenis", "sk_pengangkatan"));
        } else if metode != "GET" && pola != "/api/v1/auth/token" {
            rb = rb.json(&json!({}));
        } else if pola == "/api/v1/auth/token" && metode == "POST" {
            rb = rb.json(&json!({ "username": "tidak.ada", "password": "salah" }));
        }
    } else if metode == "POST" {
        let token = if tanpa_csrf { String::new() } else { d.csrf[&s].clone() };
        if multipart(pola) {
            let mut f = Form::new().text("keterangan", "");
            if !tanpa_csrf {
                f = f.text("_csrf", token);
            }
            rb = rb.multipart(f);
        } else if tanpa_csrf {
            rb = rb.form(&[("x", "1")]);
        } else {
            rb = rb.form(&[("_csrf", token.as_str())]);
        }
    }
    let r = rb.send().await.unwrap();
    let lokasi = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status().as_u16(), lokasi)
}

/// Did the request get past the access checks?
fn lolos(status: u16, lokasi: &str) -> bool {
    match status {
        401 | 403 | 404 => false,
        300..=399 => !(lokasi == "/" || lokasi.starts_with("/?")),
        _ => true,
    }
}

fn diharapkan(akses: Akses, s: Siapa, sasaran: Option<usize>) -> bool {
    match akses {
        Publik => true,
        Masuk => s != Anonim,
        Peran(t) => peran_izin(t).contains(&s),
        Lingkup(t) => peran_izin(t).contains(&s) && sasaran.is_some_and(|x| cakupan(s).contains(&x)),
        Pengunggah => s == Operator && sasaran == Some(0),
    }
}

#[tokio::test]
async fn setiap_rute_dicoba_setiap_peran_terhadap_setiap_desa() {
    let d = dunia().await;
    let mut salah = Vec::new();
    let mut dicoba = 0;
    let urutan: Vec<&(&str, &str, Akses)> = ATURAN
        .iter()
        .filter(|(m, j, _)| !MENGAKHIRI.contains(&(m, j)))
        .chain(ATURAN.iter().filter(|(m, j, _)| MENGAKHIRI.contains(&(m, j))))
        .collect();
    for &(metode, pola, akses) in urutan {
        let bersasaran = pola.contains('{');
        for s in SEMUA {
            let sasaran: Vec<Option<usize>> = if bersasaran {
                SASARAN.iter().map(|&t| Some(t)).collect()
            } else {
                vec![None]
            };
            for t in sasaran {
                let url = match t {
                    Some(t) => isi_jalur(pola, &d.sasaran[t]),
                    None => pola.to_string(),
                };
                let (status, lokasi) = kirim(&d, s, metode, pola, &url, false).await;
                dicoba += 1;
                assert!(status < 500, "{metode} {url} as {s:?}: {status}");
                if matches!(akses, Publik) {
                    continue;
                }
                let harap = diharapkan(akses, s, t);
                if lolos(status, &lokasi) != harap {
                    salah.push(format!(
                        "{metode} {pola} as {s:?} on desa {}: got {status} {lokasi}, expected {}",
                        t.map(|t| ["A (own)", "B (sibling)", "C (other kecamatan)", "D (other kabupaten)"][t])
                            .unwrap_or("-"),
                        if harap { "access" } else { "refusal" }
                    ));
                }
            }
        }
    }
    assert!(dicoba > 1000, "{dicoba} requests");
    assert!(salah.is_empty(), "{} mismatches:\n{}", salah.len(), salah.join("\n"));
}

#[tokio::test]
async fn setiap_formulir_menolak_kiriman_tanpa_token_csrf() {
    let d = dunia().await;
    let jumlah_audit = d.app.jumlah("SELECT COUNT(*) FROM audit").await;
    let mut salah = Vec::new();
    for &(metode, pola, _) in ATURAN {
        if metode == "GET" || pola.starts_with("/api/") {
            continue;
        }
        let url = isi_jalur(pola, &d.sasaran[0]);
        let (status, _) = kirim(&d, Admin, metode, pola, &url, true).await;
        if status != 403 {
            salah.push(format!("{metode} {pola}: {status}"));
        }
    }
    assert!(
        salah.is_empty(),
        "posts without a CSRF token not refused with 403: {salah:?}"
    );
    // Nothing was written (not even an audit event of a change).
    assert_eq!(d.app.jumlah("SELECT COUNT(*) FROM audit").await, jumlah_audit);
}

#[tokio::test]
async fn daftar_tidak_pernah_menampilkan_desa_lain() {
    let d = dunia().await;
    let daftar = [
        "/desa",
        "/laporan",
        "/dasbor",
        "/peringatan",
        "/ekspor/perangkat.csv",
        "/api/v1/desa",
        "/api/v1/perangkat?cari=Penanda",
        "/api/v1/perangkat",
        "/api/v1/sinkronisasi",
        "/api/v1/dasbor",
        "/api/v1/ekspor/perangkat.csv",
    ];
    for (s, _, _) in USERNAME {
        for jalur in daftar {
            let r = if jalur.starts_with("/api/") {
                reqwest::Client::new()
                    .get(d.app.url(jalur))
                    .bearer_auth(&d.api[&s])
                    .send()
                    .await
                    .unwrap()
            } else {
                d.web[&s].get(d.app.url(jalur)).send().await.unwrap()
            };
            let status = r.status().as_u16();
            let isi = r.text().await.unwrap();
            if status != 200 {
                // Refused, or (a desa role on the list of desa) sent to its own desa's page.
                assert!(matches!(status, 303 | 403 | 404), "{jalur} as {s:?}: {status}");
                continue;
            }
            for t in SASARAN {
                let nama = format!("Penanda Desa {t}");
                let nik = nik(&d.sasaran[t].kode, t);
                if !cakupan(s).contains(&t) {
                    assert!(!isi.contains(&nama), "{jalur} as {s:?} shows {nama}");
                    assert!(!isi.contains(&nik), "{jalur} as {s:?} shows the NIK of desa {t}");
                    assert!(
                        !isi.contains(&d.sasaran[t].kode),
                        "{jalur} as {s:?} names desa {}",
                        d.sasaran[t].kode
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn isian_tambahan_tidak_mengubah_desa_status_id_atau_peran() {
    let d = dunia().await;
    let app = &d.app;
    let api = Api::baru(app, "op.a").await;
    // Create in desa A while claiming desa B, a saved status, an id, a verification.
    let mut body = contoh("6311021403850077", "Siti Aminah", "kaur_tu_umum");
    for (k, v) in [
        ("desa", json!(DESA_B)),
        ("desa_kode", json!(DESA_B)),
        ("status", json!("tersimpan")),
        ("id", json!(999_999)),
        ("versi", json!(50)),
        ("diverifikasi", json!(true)),
        ("verifikasi_oleh", json!("kec.halong")),
        ("peran", json!("admin")),
        ("role", json!("admin")),
    ] {
        body[k] = v;
    }
    let r = api.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &body).await;
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let id = v["id"].as_i64().unwrap();
    assert_ne!(id, 999_999);
    let p = api.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(p["desa_kode"], DESA_A, "{p}");
    assert_eq!(p["status"], "draft", "{p}");
    // An update claiming another desa and status changes the fields only.
    let mut ubah = contoh("6311021403850077", "Siti Aminah", "kaur_tu_umum");
    ubah["versi"] = p["versi"].clone();
    ubah["desa_kode"] = json!(DESA_B);
    ubah["status"] = json!("tersimpan");
    ubah["id"] = json!(d.sasaran[1].perangkat);
    let r = api.put(&format!("/api/v1/perangkat/{id}"), &ubah).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let p = api.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(p["desa_kode"], DESA_A);
    assert_eq!(p["status"], "draft");
    let b: String = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar("SELECT nama FROM perangkat WHERE id = $1").bind(d.sasaran[1].perangkat).fetch_one(c).await.unwrap()
    });
    assert_eq!(b, "Penanda Desa 1");
    // The web form, too.
    let c = &d.web[&Operator];
    let form = Form::new()
        .text("_csrf", d.csrf[&Operator].clone())
        .text("desa_kode", DESA_B)
        .text("status", "tersimpan")
        .text("nama", "Rahmat Hidayat")
        .text("nik", "6311021403850078")
        .text("jenis_kelamin", "L")
        .text("tempat_lahir", "Paringin")
        .text("tanggal_lahir", "1985-03-14")
        .text("agama", "Islam")
        .text("pendidikan_terakhir", "SMA")
        .text("jabatan", "kaur_perencanaan")
        .text("status_jabatan", "definitif")
        .text("nomor_sk_pengangkatan", "141/09/HAUWAI/2021")
        .text("tanggal_sk_pengangkatan", "2021-01-04")
        .text("tmt", "2021-01-04");
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/perangkat")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection() || r.status() == 200, "{}", r.status());
    let (desa, status): (String, String) = sipkatdes::read!(app.db, c => {
        sqlx::query_as("SELECT desa_kode, status FROM perangkat WHERE nik = '6311021403850078'").fetch_one(c).await.unwrap()
    });
    assert_eq!((desa.as_str(), status.as_str()), (DESA_A, "draft"));
    // Changing one's own password cannot change one's role or scope.
    let r = c
        .post(app.url("/akun/kata-sandi"))
        .form(&[
            ("_csrf", d.csrf[&Operator].as_str()),
            ("peran", "admin"),
            ("cakupan", ""),
            ("role", "admin"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().as_u16() < 500);
    let (peran, cak): (String, String) = sipkatdes::read!(app.db, c => {
        sqlx::query_as("SELECT peran, cakupan FROM pengguna WHERE username = 'op.a'").fetch_one(c).await.unwrap()
    });
    assert_eq!((peran.as_str(), cak.as_str()), ("operator", DESA_A));
}

#[tokio::test]
async fn nik_disamarkan_untuk_peran_yang_tidak_memerlukannya() {
    let d = dunia().await;
    let a = &d.sasaran[0];
    let utuh = nik(&a.kode, 0);
    let samar = format!("{}************", &utuh[..4]);
    for (s, _, _) in USERNAME {
        let perlu = matches!(s, Operator | Kecamatan | Admin);
        let mut isi = vec![
            (
                "record page",
                d.app.html(&d.web[&s], &format!("/perangkat/{}", a.perangkat)).await,
            ),
            (
                "export",
                d.app
                    .html(&d.web[&s], &format!("/ekspor/perangkat.csv?desa={}", a.kode))
                    .await,
            ),
        ];
        for p in [
            format!("/api/v1/perangkat/{}", a.perangkat),
            format!("/api/v1/desa/{}/perangkat", a.kode),
            "/api/v1/sinkronisasi".to_string(),
        ] {
            let r = reqwest::Client::new()
                .get(d.app.url(&p))
                .bearer_auth(&d.api[&s])
                .send()
                .await
                .unwrap();
            if r.status() == 200 {
                isi.push(("api", r.text().await.unwrap()));
            }
        }
        for (apa, teks) in &isi {
            assert!(
                teks.contains("Penanda Desa 0"),
                "{apa} as {s:?} does not show the record"
            );
            assert_eq!(
                teks.contains(&utuh),
                perlu,
                "{apa} as {s:?}: whole NIK shown = {}",
                !perlu
            );
            if !perlu {
                assert!(teks.contains(&samar), "{apa} as {s:?}: masked NIK missing");
            }
        }
    }
}
