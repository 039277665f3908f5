//! The Buku Aparat Pemerintah Desa (Model A.4) PDF: its text, pages, signature block, period.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::helpers::*;
use crate::perangkat::{Api, contoh};

/// The PDF's text, as `pdftotext -layout` reads it.
pub fn teks_pdf(pdf: &[u8]) -> String {
    let mut p = Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed");
    p.stdin.take().unwrap().write_all(pdf).unwrap();
    String::from_utf8(p.wait_with_output().unwrap().stdout).unwrap()
}

/// Keeps a PDF for looking at (`SIPKATDES_PDF_DIR=/tmp/pdf`; render with pdftoppm).
fn simpan_untuk_dilihat(nama: &str, pdf: &[u8]) {
    if let Ok(d) = std::env::var("SIPKATDES_PDF_DIR") {
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(std::path::Path::new(&d).join(nama), pdf).unwrap();
    }
}

fn halaman(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).unwrap().get_pages().len()
}

/// Fifteen saved officials of Desa Hauwai: the whole structure and seven staff.
async fn lima_belas(app: &TestApp) -> Api<'_> {
    app.pengguna("op.a", "operator", DESA_A).await;
    let a = Api::baru(app, "op.a").await;
    let jabatan = [
        "kepala_desa",
        "sekretaris_desa",
        "kaur_tu_umum",
        "kaur_keuangan",
        "kaur_perencanaan",
        "kasi_pemerintahan",
        "kasi_kesejahteraan",
        "kasi_pelayanan",
        "staf",
        "staf",
        "staf",
        "staf",
        "staf",
        "staf",
        "staf",
    ];
    for (i, j) in jabatan.iter().enumerate() {
        let nik = format!("63110214038{:01}{:04}", 5 + i % 4, i + 1);
        let mut v = contoh(&nik, &format!("Perangkat Nomor {:02}", i + 1), j);
        v["tanggal_lahir"] = json!(format!("198{}-03-14", 5 + i % 4));
        let id = a.buat(DESA_A, &v).await;
        a.simpan(id).await;
    }
    a
}

async fn pdf(app: &TestApp, c: &reqwest::Client, tahun: &str) -> reqwest::Response {
    c.get(app.url(&format!("/desa/{DESA_A}/buku-aparat.pdf?tahun={tahun}")))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn lima_belas_perangkat_satu_halaman_dengan_blok_tanda_tangan() {
    let app = spawn_app().await;
    lima_belas(&app).await;
    let c = app.masuk_ok("op.a").await;
    let r = pdf(&app, &c, "2026").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let isi = r.bytes().await.unwrap().to_vec();
    simpan_untuk_dilihat("pratinjau-15.pdf", &isi);
    assert_eq!(halaman(&isi), 1, "15 officials and the signature block fit on one page");
    let t = teks_pdf(&isi);
    for s in [
        "BUKU APARAT PEMERINTAH DESA",
        "DESA HAUWAI KECAMATAN HALONG KABUPATEN BALANGAN",
        "TAHUN 2026",
        "Halaman 1 dari 1",
        "Pratinjau Buku Aparat",
        "Mengetahui,",
        "Pembakal Hauwai",
        "Sekretaris Desa Hauwai",
        "Perangkat Nomor 01",
        "Perangkat Nomor 15",
        "Kepala Urusan",
        "Keuangan",
        "Paringin, 14 Maret",
        "141/05/HAUWAI/2020",
        "2 Januari 2020",
    ] {
        assert!(t.contains(s), "{s:?} missing from:\n{t}");
    }
    // The 13 numbered columns; column 5 headed as Model A.4 heads it (issue 14, point 13).
    assert!(t.contains("1") && t.contains("13"));
    assert!(
        t.contains("Jenis") && t.contains("Kelamin") && !t.contains("L/P"),
        "{t}"
    );
    // Model A.4 has no NIK.
    assert!(!t.contains("6311021403"), "a NIK is printed:\n{t}");
    // The same report gives the same bytes.
    let lagi = pdf(&app, &c, "2026").await.bytes().await.unwrap().to_vec();
    assert_eq!(isi, lagi);
}

#[tokio::test]
async fn periode_penanda_pj_dan_cakupan() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    let a = Api::baru(&app, "op.a").await;
    // Only an acting village head: shown as such in the signature block.
    let mut pj = contoh("6311021403750001", "Budi Penjabat", "kepala_desa");
    pj["status_jabatan"] = json!("pj");
    let id = a.buat(DESA_A, &pj).await;
    a.simpan(id).await;
    let c = app.masuk_ok("op.a").await;
    let t = teks_pdf(&pdf(&app, &c, "2026").await.bytes().await.unwrap());
    assert!(t.contains("Pj. Pembakal Hauwai") && t.contains("Budi Penjabat"), "{t}");
    // No Sekretaris Desa: an empty line to sign on.
    assert!(t.contains("Sekretaris Desa Hauwai") && t.contains("(......"), "{t}");
    // Before the tenure began, the book of that year lists nobody; it is signed by who is in
    // office now.
    let t = teks_pdf(&pdf(&app, &c, "2019").await.bytes().await.unwrap());
    assert!(t.contains("Tidak ada aparat"), "{t}");
    assert_eq!(t.matches("Budi Penjabat").count(), 1, "{t}");
    // A wrong year: 422; another desa: 404.
    assert_eq!(pdf(&app, &c, "dua ribu").await.status(), 422);
    let b = app.masuk_ok("op.b").await;
    assert_eq!(pdf(&app, &b, "2026").await.status(), 404);
}

fn tahun_ini() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

async fn bytes(r: reqwest::Response) -> Vec<u8> {
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    r.bytes().await.unwrap().to_vec()
}

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    hex_lower(&sha2::Sha256::digest(b))
}

#[tokio::test]
async fn laporan_bernomor_adalah_potret_yang_tidak_berubah() {
    let app = spawn_app().await;
    let a = lima_belas(&app).await;
    let r = a.post(&format!("/api/v1/desa/{DESA_A}/laporan"), &json!({})).await;
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.json().await.unwrap();
    let nomor = format!("001/BAPD/{DESA_A}/{}", tahun_ini());
    assert_eq!(v["nomor"], nomor.as_str());
    assert_eq!(v["status"], "menunggu");
    assert_eq!(v["periode"], tahun_ini());
    let id = v["id"].as_i64().unwrap();
    let pdf1 = bytes(a.get(&format!("/api/v1/laporan/{id}/pdf")).await).await;
    assert_eq!(
        sha256_hex(&pdf1),
        v["sha256"].as_str().unwrap(),
        "the stored hash is the PDF's"
    );
    let t = teks_pdf(&pdf1);
    assert!(t.contains(&format!("Nomor laporan: {nomor}")), "{t}");
    assert!(t.contains("Perangkat Nomor 15"));
    // The register changes: the printed report does not; a new print has the next number.
    let id16 = a.buat(DESA_A, &contoh("6311021403890099", "Baru Sekali", "staf")).await;
    a.simpan(id16).await;
    let pdf2 = bytes(a.get(&format!("/api/v1/laporan/{id}/pdf")).await).await;
    assert_eq!(pdf1, pdf2, "the same report always gives the same bytes");
    let v2: serde_json::Value = a
        .post(&format!("/api/v1/desa/{DESA_A}/laporan"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v2["nomor"], format!("002/BAPD/{DESA_A}/{}", tahun_ini()).as_str());
    let baru = teks_pdf(&bytes(a.get(&format!("/api/v1/laporan/{}/pdf", v2["id"])).await).await);
    assert!(baru.contains("Baru Sekali"));
    assert!(!teks_pdf(&pdf2).contains("Baru Sekali"));
    // The database itself refuses to change a snapshot.
    let ubah = sipkatdes::read!(app.db, c => {
        sqlx::query("UPDATE laporan SET sha256 = 'x' WHERE id = $1").bind(id).execute(c).await.map(|_| ())
    });
    assert!(ubah.is_err(), "a report's snapshot can be changed");
    let hapus = sipkatdes::read!(app.db, c => {
        sqlx::query("DELETE FROM laporan WHERE id = $1").bind(id).execute(c).await.map(|_| ())
    });
    assert!(hapus.is_err(), "a report can be deleted");
    // The listing and the audit log.
    let daftar: serde_json::Value = a.json(&format!("/api/v1/desa/{DESA_A}/laporan")).await;
    assert_eq!(daftar.as_array().unwrap().len(), 2);
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'laporan_dibuat'")
            .await,
        2
    );
    assert!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'laporan_diunduh'")
            .await
            >= 3
    );
}

#[tokio::test]
async fn penanda_tangan_dipilih_dan_diperiksa() {
    let app = spawn_app().await;
    let a = lima_belas(&app).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    let b = Api::baru(&app, "op.b").await;
    let lain = b
        .buat(DESA_B, &contoh("6311021403900001", "Orang Desa Lain", "staf"))
        .await;
    b.simpan(lain).await;
    // A staff member signs on the left instead of the Pembakal.
    let daftar: serde_json::Value = a
        .json(&format!("/api/v1/desa/{DESA_A}/perangkat?cari=Nomor%2009"))
        .await;
    let staf = daftar["data"][0]["id"].as_i64().unwrap();
    let v: serde_json::Value = a
        .post(
            &format!("/api/v1/desa/{DESA_A}/laporan"),
            &json!({ "tahun": tahun_ini(), "penanda_kiri": staf }),
        )
        .await
        .json()
        .await
        .unwrap();
    let t = teks_pdf(&bytes(a.get(&format!("/api/v1/laporan/{}/pdf", v["id"])).await).await);
    assert!(t.contains("Staf Hauwai") && t.contains("Perangkat Nomor 09"), "{t}");
    // Someone of another desa cannot sign: 422 naming the field, nothing printed.
    let r = a
        .post(
            &format!("/api/v1/desa/{DESA_A}/laporan"),
            &json!({ "penanda_kanan": lain }),
        )
        .await;
    assert_eq!(r.status(), 422);
    let e: serde_json::Value = r.json().await.unwrap();
    assert!(
        e["error"]["field"]["penanda_kanan"]
            .as_str()
            .unwrap()
            .contains("perangkat aktif")
    );
    let r = a
        .post(&format!("/api/v1/desa/{DESA_A}/laporan"), &json!({ "tahun": 1980 }))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM laporan").await, 1);
    // The print form offers the desa's active officials, the Pembakal and Sekdes preselected.
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/desa/{DESA_A}/laporan/baru")).await;
    let kiri = teks(&html, "#penanda_kiri option[selected]").unwrap();
    let kanan = teks(&html, "#penanda_kanan option[selected]").unwrap();
    assert!(
        kiri.contains("Perangkat Nomor 01") && kiri.contains("Pembakal"),
        "{kiri}"
    );
    assert!(kanan.contains("Sekretaris Desa"), "{kanan}");
    assert!(!html.contains("Orang Desa Lain"));
    // Only the operator prints: the Kepala Desa and the kecamatan may not.
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    for u in ["kades.a", "kec"] {
        let x = Api::baru(&app, u).await;
        assert_eq!(
            x.post(&format!("/api/v1/desa/{DESA_A}/laporan"), &json!({}))
                .await
                .status(),
            403,
            "{u}"
        );
    }
    assert_eq!(
        b.post(&format!("/api/v1/desa/{DESA_A}/laporan"), &json!({}))
            .await
            .status(),
        404
    );
}

/// The web flow: the operator prints, the Kepala Desa accepts; the receipt, the verification
/// code and the public page.
#[tokio::test]
async fn kepala_desa_menerima_dan_laporan_dapat_diverifikasi() {
    let app = spawn_app().await;
    lima_belas(&app).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    let op = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&op, &format!("/desa/{DESA_A}/laporan/baru")).await;
    let r = op
        .post(app.url(&format!("/desa/{DESA_A}/laporan")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("tahun", &tahun_ini().to_string()),
            ("penanda_kiri", ""),
            ("penanda_kanan", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let lokasi = r.headers()["location"].to_str().unwrap().to_string();
    assert!(lokasi.starts_with("/laporan/"), "{lokasi}");
    let html = app.html(&op, &lokasi).await;
    assert!(
        html.contains("Menunggu Kepala Desa") && html.contains("menunggu diterima Pembakal"),
        "{html}"
    );
    let asli = bytes(op.get(app.url(&format!("{lokasi}/pdf"))).send().await.unwrap()).await;

    // The Kepala Desa sees it waiting, on the desa page and in the inbox.
    let kd = app.masuk_ok("kades.a").await;
    let beranda = app.html(&kd, &format!("/desa/{DESA_A}")).await;
    assert!(beranda.contains("1 laporan menunggu Anda terima"), "{beranda}");
    let masuk = app.html(&kd, "/laporan").await;
    assert!(
        masuk.contains("Laporan Masuk") && masuk.contains(&format!("001/BAPD/{DESA_A}")),
        "{masuk}"
    );
    // The operator cannot answer in the Kepala Desa's place.
    let csrf_op = app.csrf(&op, &lokasi).await;
    let r = op
        .post(app.url(&format!("{lokasi}/penerimaan")))
        .form(&[("_csrf", csrf_op.as_str()), ("hasil", "terima")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // "Terima".
    let csrf = app.csrf(&kd, &lokasi).await;
    let r = kd
        .post(app.url(&format!("{lokasi}/penerimaan")))
        .form(&[("_csrf", csrf.as_str()), ("hasil", "terima")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = app.html(&kd, &lokasi).await;
    assert!(html.contains("Laporan diterima pada"), "{html}");
    let kode = teks(&html, ".pesan-sukses strong.kode").expect("verification code shown");
    assert_eq!(kode.len(), 11, "{kode}");

    // The receipted PDF: who received it and when, the code, the verification address; still
    // one page; the original snapshot is kept.
    let diterima = bytes(kd.get(app.url(&format!("{lokasi}/pdf"))).send().await.unwrap()).await;
    simpan_untuk_dilihat("diterima-15.pdf", &diterima);
    assert_ne!(asli, diterima);
    assert_eq!(halaman(&diterima), 1, "the receipt fits on the page");
    let t = teks_pdf(&diterima);
    for s in [
        "DITERIMA",
        "oleh Pembakal Hauwai, Uji kades.a, pada",
        "WITA",
        &kode,
        "verifikasi/",
    ] {
        assert!(t.contains(s), "{s:?} missing from:\n{t}");
    }
    let l: (String, String) = sipkatdes::read!(app.db, c => {
        sqlx::query_as("SELECT sha256, sha256_diterima FROM laporan").fetch_one(c).await.unwrap()
    });
    assert_eq!(l.0, sha256_hex(&asli));
    assert_eq!(l.1, sha256_hex(&diterima));

    // The public page, without logging in: genuine, nothing personal.
    let publik = app.klien();
    let r = publik
        .get(app.url(&format!("/verifikasi/{kode}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v = r.text().await.unwrap();
    assert!(
        v.contains("Dokumen asli") && v.contains("Hauwai") && v.contains(&format!("001/BAPD/{DESA_A}")),
        "{v}"
    );
    assert!(v.contains(&l.1), "the fingerprint of the receipted PDF is shown");
    for pribadi in ["Perangkat Nomor", "Uji kades", "kades.a", "op.a", "6311021403"] {
        assert!(!v.contains(pribadi), "{pribadi} on the public page");
    }
    // Typed in lower case, without the hyphen: the form finds it.
    let r = publik
        .get(app.url(&format!("/verifikasi?kode={}", kode.replace('-', "").to_lowercase())))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // An unknown code: 404 and a clear message.
    let r = publik.get(app.url("/verifikasi/ZZZZZ-ZZZZZ")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("tidak dikenal"));
    // A second answer is refused.
    let x = Api::baru(&app, "kades.a").await;
    let id: i64 = lokasi.rsplit('/').next().unwrap().parse().unwrap();
    let r = x
        .post(
            &format!("/api/v1/laporan/{id}/penerimaan"),
            &json!({ "diterima": false, "catatan": "x" }),
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'laporan_diterima'")
            .await,
        1
    );
}

#[tokio::test]
async fn penolakan_perlu_catatan_dan_terlihat_operator() {
    let app = spawn_app().await;
    let a = lima_belas(&app).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    app.pengguna("kades.b", "kepala_desa", DESA_B).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    let v: serde_json::Value = a
        .post(&format!("/api/v1/desa/{DESA_A}/laporan"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let id = v["id"].as_i64().unwrap();
    let jalur = format!("/api/v1/laporan/{id}/penerimaan");
    // Only the Kepala Desa of that desa answers.
    assert_eq!(a.post(&jalur, &json!({ "diterima": true })).await.status(), 403);
    assert_eq!(
        Api::baru(&app, "kec")
            .await
            .post(&jalur, &json!({ "diterima": true }))
            .await
            .status(),
        403
    );
    assert_eq!(
        Api::baru(&app, "kades.b")
            .await
            .post(&jalur, &json!({ "diterima": true }))
            .await
            .status(),
        404
    );
    let admin = Api::baru(&app, "admin").await;
    assert_eq!(admin.post(&jalur, &json!({ "diterima": true })).await.status(), 403);
    // Wrong types are named: 422 with the field.
    let r = a
        .post(
            &format!("/api/v1/desa/{DESA_A}/laporan"),
            &json!({ "tahun": "dua ribu" }),
        )
        .await;
    assert_eq!(r.status(), 422);
    let e: serde_json::Value = r.json().await.unwrap();
    assert!(e["error"]["field"]["tahun"].is_string(), "{e}");
    let k = Api::baru(&app, "kades.a").await;
    // A rejection needs a note; a missing answer is named.
    let r = k.post(&jalur, &json!({ "diterima": false, "catatan": "  " })).await;
    assert_eq!(r.status(), 422);
    let e: serde_json::Value = r.json().await.unwrap();
    assert!(e["error"]["field"]["catatan"].as_str().unwrap().contains("wajib"));
    let r = k.post(&jalur, &json!({ "catatan": "x" })).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM laporan WHERE status = 'menunggu'")
            .await,
        1
    );
    let r = k
        .post(
            &jalur,
            &json!({ "diterima": false, "catatan": "Gelar Sekretaris Desa belum ditulis." }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], "ditolak");
    assert!(v["kode_verifikasi"].is_null());
    // The operator sees the note on the desa page and on the report.
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/desa/{DESA_A}")).await;
    assert!(
        html.contains("Gelar Sekretaris Desa belum ditulis.") && html.contains("Ditolak"),
        "{html}"
    );
    let html = app.html(&c, &format!("/laporan/{id}")).await;
    assert!(html.contains("Gelar Sekretaris Desa belum ditulis.") && html.contains("cetak laporan baru"));
    // A rejected report has no verification page.
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM laporan WHERE kode_verifikasi IS NOT NULL")
            .await,
        0
    );
    // Another desa's Kepala Desa and operator do not see it at all.
    let kb = app.masuk_ok("kades.b").await;
    assert_eq!(
        kb.get(app.url(&format!("/laporan/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        kb.get(app.url(&format!("/laporan/{id}/pdf")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let daftar = app.html(&kb, "/laporan").await;
    assert!(!daftar.contains("BAPD"));
    // The kecamatan reads it.
    let kec = app.masuk_ok("kec").await;
    assert_eq!(
        kec.get(app.url(&format!("/laporan/{id}/pdf")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

/// Issue 14, point 7: printing again while a report of the same year waits marks the older
/// one *Diganti* — kept, its PDF still there, no longer to be answered — and the Kepala Desa
/// sees one report to answer, not three identical ones.
#[tokio::test]
async fn cetak_ulang_mengganti_laporan_yang_menunggu() {
    let app = spawn_app().await;
    let a = lima_belas(&app).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    let kd = Api::baru(&app, "kades.a").await;
    let cetak = || async {
        let v: serde_json::Value = a
            .post(&format!("/api/v1/desa/{DESA_A}/laporan"), &json!({}))
            .await
            .json()
            .await
            .unwrap();
        v["id"].as_i64().unwrap()
    };
    let pertama = cetak().await;
    let kedua = cetak().await;
    let ketiga = cetak().await;
    for (id, status, oleh) in [
        (pertama, "diganti", Some(kedua)),
        (kedua, "diganti", Some(ketiga)),
        (ketiga, "menunggu", None),
    ] {
        let v = a.json(&format!("/api/v1/laporan/{id}")).await;
        assert_eq!(v["status"], status, "{id}: {v}");
        assert_eq!(v["diganti_oleh"].as_i64(), oleh, "{id}: {v}");
        // Kept: the printed PDF is still there.
        let r = a.get(&format!("/api/v1/laporan/{id}/pdf")).await;
        assert_eq!(r.status(), 200);
    }
    // A replaced report cannot be answered; the newest can.
    let r = kd
        .post(
            &format!("/api/v1/laporan/{pertama}/penerimaan"),
            &json!({ "diterima": true }),
        )
        .await;
    assert_eq!(r.status(), 409);
    let e: serde_json::Value = r.json().await.unwrap();
    assert!(
        e["error"]["pesan"]
            .as_str()
            .unwrap()
            .contains("sudah diganti oleh laporan"),
        "{e}"
    );
    let r = kd
        .post(
            &format!("/api/v1/laporan/{ketiga}/penerimaan"),
            &json!({ "diterima": true }),
        )
        .await;
    assert_eq!(r.status(), 200);
    // An accepted report is not replaced by the next print; the next one waits on its own.
    let keempat = cetak().await;
    assert_eq!(a.json(&format!("/api/v1/laporan/{ketiga}")).await["status"], "diterima");
    assert_eq!(
        a.json(&format!("/api/v1/laporan/{keempat}")).await["status"],
        "menunggu"
    );
    // The web: the Kepala Desa's list holds one report to answer; the replaced one says so.
    let c = app.masuk_ok("kades.a").await;
    let html = app.html(&c, &format!("/laporan/{pertama}")).await;
    assert!(html.contains("Laporan ini diganti"), "{html}");
    assert!(
        !html.contains("action=\"/laporan/"),
        "no answer form on a replaced report"
    );
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'laporan_diganti'")
            .await,
        2
    );
}

/// Issue 14, point 8: the desa's letterhead address is printed on its Buku Aparat; the recap
/// carries the kecamatan office's address and the Camat's name and NIP from its settings (and
/// dotted lines when they are not filled in).
#[tokio::test]
async fn kop_desa_dan_camat_tercetak() {
    let app = spawn_app().await;
    let a = lima_belas(&app).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    let kec = Api::baru(&app, "kec").await;
    // The recap before the settings: dotted lines to sign by hand.
    let pdf = bytes(kec.get("/api/v1/rekap.pdf").await).await;
    let t = teks_pdf(&pdf);
    assert!(t.contains("NIP. …") && !t.contains("NIP. 1975"), "{t}");
    let mut tx = app.db.begin().await.unwrap();
    sipkatdes::tx!(&mut tx, c => {
        sqlx::query("UPDATE desa SET alamat_kop = 'Jalan Poros Hauwai No. 1, Halong 71666' WHERE kode = $1")
            .bind(DESA_A)
            .execute(c)
            .await
            .unwrap();
    });
    tx.commit().await.unwrap();
    let v: serde_json::Value = a
        .post(&format!("/api/v1/desa/{DESA_A}/laporan"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let pdf = bytes(a.get(&format!("/api/v1/laporan/{}/pdf", v["id"])).await).await;
    simpan_untuk_dilihat("buku-kop.pdf", &pdf);
    let t = teks_pdf(&pdf);
    assert!(t.contains("Jalan Poros Hauwai No. 1, Halong 71666"), "{t}");
    assert_eq!(halaman(&pdf), 1);
    let r = kec
        .put(
            "/api/v1/pengaturan-kecamatan",
            &json!({ "nama_camat": "Drs. H. Rahmadi Noor, M.Si.", "nip_camat": "197503142000031002",
                     "pola_nomor_rekomendasi": "141/{nomor}/PEM/{tahun}", "rekomendasi_wajib_sejak": "",
                     "alamat_kantor": "Jalan Ahmad Yani Km 1, Halong" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let pdf = bytes(kec.get("/api/v1/rekap.pdf").await).await;
    simpan_untuk_dilihat("rekap-camat.pdf", &pdf);
    let t = teks_pdf(&pdf);
    for kata in [
        "Jalan Ahmad Yani Km 1, Halong",
        "Drs. H. Rahmadi Noor, M.Si.",
        "NIP. 197503142000031002",
        "Camat Halong",
    ] {
        assert!(t.contains(kata), "{kata}: {t}");
    }
}

/// Issue 16: a repeated preview of an unchanged desa is served from the laid-out PDFs kept by
/// the hash of their data — the same bytes, nothing laid out again — and a change of the data
/// (another official saved) is a new PDF, never the old one.
#[tokio::test]
async fn pratinjau_yang_sama_tidak_disusun_ulang() {
    let app = spawn_app().await;
    let a = lima_belas(&app).await;
    let simpanan = sipkatdes::laporan::pdf::Simpanan::global();
    let c = app.masuk_ok("op.a").await;
    let (n0, _) = simpanan.ukuran();
    let pertama = bytes(pdf(&app, &c, "2026").await).await;
    let (n1, bait) = simpanan.ukuran();
    assert_eq!(n1, n0 + 1);
    assert!(bait >= pertama.len());
    for _ in 0..3 {
        assert_eq!(bytes(pdf(&app, &c, "2026").await).await, pertama);
    }
    assert_eq!(simpanan.ukuran().0, n1, "served again, not laid out again");
    // Each preview is still audited.
    assert!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'laporan_pratinjau'")
            .await
            >= 4
    );

    let mut v = contoh("6311021403890016", "Perangkat Nomor 16", "staf");
    v["tanggal_lahir"] = json!("1989-03-14");
    let id = a.buat(DESA_A, &v).await;
    a.simpan(id).await;
    let baru = bytes(pdf(&app, &c, "2026").await).await;
    assert_ne!(baru, pertama);
    assert!(teks_pdf(&baru).contains("Perangkat Nomor 16"));
    assert_eq!(simpanan.ukuran().0, n1 + 1);
}
