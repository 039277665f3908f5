//! The Camat's recommendation and the deadlines (issue 17): the request, its documents, the
//! decision and its numbered letter, the public verification, the entry made from an approved
//! appointment, the warning `tanpa_rekomendasi`, and `GET /api/v1/tenggat` — every status code
//! of the contract, the scope, the working-day deadline, the numbering. Both backends.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::perangkat::{Api, contoh, pdf_sk};

/// Sets the application's clock to 10.00 WITA of the day (the instance's zone, UTC+8).
fn atur_tanggal(app: &TestApp, y: i32, m: u8, d: u8) {
    let tgl = time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap();
    let target = tgl.with_hms(2, 0, 0).unwrap().assume_utc().unix_timestamp();
    app.state.clock.advance(target - app.state.clock.now());
}

/// A candidate: the register's identity fields (born 14 March 1985, SMA).
fn calon(nik: &str, nama: &str) -> Value {
    let mut c = contoh(nik, nama, "kaur_perencanaan");
    for k in [
        "jabatan",
        "status_jabatan",
        "nomor_sk_pengangkatan",
        "tanggal_sk_pengangkatan",
        "tmt",
    ] {
        c.as_object_mut().unwrap().remove(k);
    }
    c
}

fn permohonan(calon_: Vec<Value>) -> Value {
    json!({ "jenis": "pengangkatan", "jabatan": "kaur_perencanaan", "calon": calon_, "catatan": "Hasil seleksi 2 Desember 2026" })
}

async fn siapkan(app: &TestApp) {
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
}

async fn ajukan(op: &Api<'_>, desa: &str, body: &Value) -> Value {
    let r = op.post(&format!("/api/v1/desa/{desa}/rekomendasi"), body).await;
    let s = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(s, 201, "{v}");
    v
}

async fn unggah(api: &Api<'_>, id: i64, isi: Vec<u8>, jenis: &str, calon_: Option<&str>) -> reqwest::Response {
    let mut f = Form::new()
        .text("jenis", jenis.to_string())
        .part("berkas", Part::bytes(isi).file_name("berkas.pdf"));
    if let Some(c) = calon_ {
        f = f.text("calon", c.to_string());
    }
    reqwest::Client::new()
        .post(api.app.url(&format!("/api/v1/rekomendasi/{id}/dokumen")))
        .bearer_auth(&api.token)
        .multipart(f)
        .send()
        .await
        .unwrap()
}

async fn status_json(r: reqwest::Response) -> (u16, Value) {
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn jumlah_rekomendasi(app: &TestApp) -> (i64, i64, i64) {
    (
        app.jumlah("SELECT COUNT(*) FROM rekomendasi").await,
        app.jumlah("SELECT COUNT(*) FROM rekomendasi_calon").await,
        app.jumlah("SELECT COUNT(*) FROM audit").await,
    )
}

#[tokio::test]
async fn alur_permohonan_keputusan_surat_verifikasi_dan_entri() {
    let app = spawn_app().await;
    atur_tanggal(&app, 2026, 12, 4); // a Friday
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let kec = Api::baru(&app, "kec").await;
    let kades = Api::baru(&app, "kades.a").await;
    // The kecamatan's settings: the Camat, the letter's number, required from 1 January 2026.
    let r = kec
        .put(
            "/api/v1/pengaturan-kecamatan",
            &json!({ "nama_camat": "Drs. H. Rahmadi", "nip_camat": "197503142000031002",
                     "pola_nomor_rekomendasi": "141/{nomor}/PEM/{tahun}", "rekomendasi_wajib_sejak": "2026-01-01",
                     "alamat_kantor": "Jalan Ahmad Yani Km 1, Halong" }),
        )
        .await;
    let (s, v) = status_json(r).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["rekomendasi_wajib_sejak"], "2026-01-01");

    // The request: 201, waiting, 7 working days from Friday 4 December = Tuesday 15 December.
    let v = ajukan(
        &op,
        DESA_A,
        &permohonan(vec![
            calon("6311021403850011", "Siti Aminah"),
            calon("6311021403850012", "Rahmat Hidayat"),
        ]),
    )
    .await;
    assert_eq!(v["status"], "diajukan");
    assert_eq!(v["batas_waktu"], "2026-12-15");
    assert_eq!(v["peringatan"], json!([]), "two valid candidates: no warning");
    let id = v["id"].as_i64().unwrap();

    // Documents: per candidate, of the request; wrong kind of file, unknown candidate, no kind.
    let (s, v) = status_json(unggah(&op, id, pdf_sk(), "ktp", Some("1")).await).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["calon"], 1);
    assert_eq!(v["mime"], "application/pdf");
    let dok = v["id"].as_i64().unwrap();
    let (s, _) = status_json(unggah(&op, id, pdf_sk(), "berita_acara_seleksi", None).await).await;
    assert_eq!(s, 201);
    let (s, v) = status_json(unggah(&op, id, b"<html>bukan</html>".to_vec(), "ktp", Some("0")).await).await;
    assert_eq!(s, 415, "{v}");
    let (s, v) = status_json(unggah(&op, id, pdf_sk(), "ktp", Some("5")).await).await;
    assert_eq!(s, 422);
    assert!(
        v["error"]["field"]["calon"].as_str().unwrap().contains("0 sampai 1"),
        "{v}"
    );
    let (s, v) = status_json(unggah(&op, id, pdf_sk(), "", None).await).await;
    assert_eq!(s, 422);
    assert!(v["error"]["field"]["jenis"].is_string(), "{v}");
    // The kecamatan may not upload for the desa.
    let (s, _) = status_json(unggah(&kec, id, pdf_sk(), "ktp", Some("0")).await).await;
    assert_eq!(s, 403);
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM rekomendasi_dokumen").await,
        2,
        "refused uploads store nothing"
    );

    // The Kepala Desa sees the request (NIK masked), the kecamatan sees it in its queue.
    let d = kades.json(&format!("/api/v1/rekomendasi/{id}")).await;
    assert_eq!(d["status"], "diajukan");
    assert_eq!(d["calon"][0]["nama"], "Siti Aminah");
    assert_eq!(d["calon"][0]["nik"], "6311************");
    assert_eq!(d["dokumen"].as_array().unwrap().len(), 2);
    let q = kec.json("/api/v1/rekomendasi?status=diajukan").await;
    assert_eq!(q["data"][0]["id"], id);
    assert_eq!(q["data"][0]["terlambat"], false);
    let r = kades.get(&format!("/api/v1/rekomendasi/{id}/dokumen/{dok}")).await;
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    // No letter before the decision.
    assert_eq!(op.get(&format!("/api/v1/rekomendasi/{id}/pdf")).await.status(), 404);

    // The decision: kecamatan only.
    let setuju = json!({ "setuju": true, "calon": 1, "catatan": "Calon memenuhi persyaratan." });
    for siapa in [&op, &kades] {
        let (s, v) = status_json(
            siapa
                .post(&format!("/api/v1/rekomendasi/{id}/keputusan"), &setuju)
                .await,
        )
        .await;
        assert_eq!(s, 403, "{v}");
    }
    let admin = Api::baru(&app, "admin").await;
    let (s, _) = status_json(
        admin
            .post(&format!("/api/v1/rekomendasi/{id}/keputusan"), &setuju)
            .await,
    )
    .await;
    assert_eq!(s, 403, "not even the admin decides for the Camat");
    let (s, v) = status_json(
        kec.post(
            &format!("/api/v1/rekomendasi/{id}/keputusan"),
            &json!({ "setuju": true }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 422);
    assert!(v["error"]["field"]["calon"].is_string(), "{v}");
    let (s, v) = status_json(kec.post(&format!("/api/v1/rekomendasi/{id}/keputusan"), &setuju).await).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "disetujui");
    assert_eq!(v["nomor_surat"], "141/001/PEM/2026");
    let kode = v["kode_verifikasi"].as_str().unwrap().to_string();
    assert_eq!(kode.len(), 11, "{kode}");
    // Given once.
    let (s, v) = status_json(kec.post(&format!("/api/v1/rekomendasi/{id}/keputusan"), &setuju).await).await;
    assert_eq!(s, 409, "{v}");
    let (s, _) = status_json(
        kec.post(
            &format!("/api/v1/rekomendasi/{id}/keputusan"),
            &json!({ "setuju": false, "catatan": "x" }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 409);
    let (s, _) = status_json(unggah(&op, id, pdf_sk(), "ktp", Some("0")).await).await;
    assert_eq!(s, 409, "no documents after the decision");

    // The letter, and its public verification (nothing personal).
    let r = kades.get(&format!("/api/v1/rekomendasi/{id}/pdf")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if let Ok(berkas) = std::env::var("SIPKATDES_UJI_SIMPAN_SURAT") {
        // To look at the letter: SIPKATDES_UJI_SIMPAN_SURAT=/tmp/surat.pdf cargo nextest run alur_permohonan
        std::fs::write(berkas, &pdf).unwrap();
    }
    let d = kades.json(&format!("/api/v1/rekomendasi/{id}")).await;
    assert_eq!(d["status"], "disetujui");
    assert_eq!(d["calon_disetujui"], 1);
    assert_eq!(d["nomor_surat"], "141/001/PEM/2026");
    let publik = app.klien();
    let r = publik
        .get(app.url(&format!("/verifikasi/{kode}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("141/001/PEM/2026"), "{html}");
    assert!(html.contains("Disetujui"));
    assert!(
        html.contains(&hex_lower(&sha2_digest(&pdf))),
        "the letter's fingerprint is shown"
    );
    for pribadi in ["Rahmat", "Siti", "6311021403850012", "1985"] {
        assert!(!html.contains(pribadi), "the public page shows {pribadi}");
    }

    // The entry from the recommendation: the approved candidate only.
    let mut entri = contoh("6311021403850012", "Rahmat Hidayat", "kaur_perencanaan");
    entri["tanggal_sk_pengangkatan"] = json!("2026-12-04");
    entri["tmt"] = json!("2026-12-04");
    let mut salah = entri.clone();
    salah["nik"] = json!("6311021403850011");
    salah["nama"] = json!("Siti Aminah");
    salah["rekomendasi_id"] = json!(id);
    let sebelum = app.jumlah("SELECT COUNT(*) FROM perangkat").await;
    let (s, v) = status_json(op.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &salah).await).await;
    assert_eq!(s, 422, "{v}");
    assert!(v["error"]["field"]["nik"].is_string(), "{v}");
    assert!(v["error"]["field"]["nama"].is_string(), "{v}");
    let mut jabatan_lain = entri.clone();
    jabatan_lain["jabatan"] = json!("kaur_keuangan");
    jabatan_lain["rekomendasi_id"] = json!(id);
    let (s, v) = status_json(
        op.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &jabatan_lain)
            .await,
    )
    .await;
    assert_eq!(s, 422);
    assert!(v["error"]["field"]["jabatan"].is_string(), "{v}");
    let mut bukan_angka = entri.clone();
    bukan_angka["rekomendasi_id"] = json!("satu");
    let (s, v) = status_json(op.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &bukan_angka).await).await;
    assert_eq!(s, 422);
    assert!(v["error"]["field"]["rekomendasi_id"].is_string(), "{v}");
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM perangkat").await,
        sebelum,
        "refused entries change nothing"
    );
    // Without it the same entry carries the warning; with it, none.
    let mut baik = entri.clone();
    baik["rekomendasi_id"] = json!(id);
    baik["nama"] = json!("  rahmat  hidayat ");
    let (s, v) = status_json(op.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &baik).await).await;
    assert_eq!(s, 201, "{v}");
    assert!(
        !v["peringatan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kode"] == "tanpa_rekomendasi"),
        "{v}"
    );
    let baru = v["id"].as_i64().unwrap();
    let terkait: Option<i64> = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar("SELECT rekomendasi_id FROM perangkat WHERE id = $1").bind(baru).fetch_one(c).await.unwrap()
    });
    assert_eq!(terkait, Some(id));
    // The check screen shows the letter beside the SK, with its number (issue 17).
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/perangkat/{baru}/pemeriksaan")).await;
    let surat = teks(&html, ".periksa-sk .surat-dasar").unwrap_or_default();
    assert!(
        surat.contains("Rekomendasi Camat") && surat.contains("Nomor 141/001/PEM/2026"),
        "{surat}"
    );
    assert!(
        html.contains(&format!("src=\"/rekomendasi/{id}/pdf#view=FitH")),
        "{html}"
    );
    // An approval makes one entry.
    let (s, v) = status_json(op.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &baik).await).await;
    assert_eq!(s, 422, "{v}");
    assert!(
        v["error"]["field"]["rekomendasi_id"]
            .as_str()
            .unwrap()
            .contains("sudah dipakai")
    );
    // Another desa's operator cannot use it.
    let op_b = Api::baru(&app, "op.b").await;
    let mut di_b = entri.clone();
    di_b["rekomendasi_id"] = json!(id);
    let (s, v) = status_json(op_b.post(&format!("/api/v1/desa/{DESA_B}/perangkat"), &di_b).await).await;
    assert_eq!(s, 422, "{v}");
    assert!(v["error"]["field"]["rekomendasi_id"].is_string());
}

fn sha2_digest(b: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(b).to_vec()
}

#[tokio::test]
async fn isian_salah_ditolak_dengan_nama_isian_dan_tidak_mengubah_apa_pun() {
    let app = spawn_app().await;
    atur_tanggal(&app, 2026, 12, 4);
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let awal = jumlah_rekomendasi(&app).await;
    let mut buruk = calon("6311021403850022", "Rahmat Hidayat");
    buruk["nik"] = json!("63110214038500");
    buruk["tanggal_lahir"] = json!("1985-02-30");
    let mut tanpa_agama = calon("6311021403850023", "Budi");
    tanpa_agama["agama"] = json!("");
    let r = op
        .post(
            &format!("/api/v1/desa/{DESA_A}/rekomendasi"),
            &permohonan(vec![calon("6311021403850021", "Siti Aminah"), buruk, tanpa_agama]),
        )
        .await;
    let (s, v) = status_json(r).await;
    assert_eq!(s, 422, "{v}");
    let f = &v["error"]["field"];
    assert!(f["calon[1].nik"].as_str().unwrap().contains("16 digit"), "{v}");
    assert!(f["calon[1].tanggal_lahir"].is_string(), "{v}");
    assert!(f["calon[2].agama"].as_str().unwrap().starts_with("Calon 3"), "{v}");
    assert!(f.get("calon[0].nik").is_none(), "{v}");
    // The same NIK twice, an unknown position, a Kepala Desa, no candidate, no kind.
    for (body, field) in [
        (
            permohonan(vec![
                calon("6311021403850021", "Siti Aminah"),
                calon("6311021403850021", "Siti Aminah"),
            ]),
            "calon[1].nik",
        ),
        (
            json!({ "jenis": "pengangkatan", "jabatan": "bendahara", "calon": [calon("6311021403850021", "Siti")] }),
            "jabatan",
        ),
        (
            json!({ "jenis": "pengangkatan", "jabatan": "kepala_desa", "calon": [calon("6311021403850021", "Siti")] }),
            "jabatan",
        ),
        (
            json!({ "jenis": "pengangkatan", "jabatan": "kepala_dusun", "dusun": "Tidak Ada", "calon": [calon("6311021403850021", "Siti")] }),
            "dusun",
        ),
        (
            json!({ "jenis": "pengangkatan", "jabatan": "kaur_perencanaan", "calon": [] }),
            "calon",
        ),
        (json!({ "jabatan": "kaur_perencanaan" }), "jenis"),
        (
            json!({ "jenis": "pemberhentian", "alasan_pemberhentian": "permintaan_sendiri" }),
            "perangkat_id",
        ),
        (
            json!({ "jenis": "pemberhentian", "perangkat_id": 999, "alasan_pemberhentian": "bosan" }),
            "alasan_pemberhentian",
        ),
    ] {
        let (s, v) = status_json(op.post(&format!("/api/v1/desa/{DESA_A}/rekomendasi"), &body).await).await;
        assert_eq!(s, 422, "{body}: {v}");
        assert!(v["error"]["field"][field].is_string(), "{body}: {v}");
        assert_eq!(v["error"]["kode"], "validasi");
    }
    // A wrong type names its field.
    let (s, v) = status_json(
        op.post(
            &format!("/api/v1/desa/{DESA_A}/rekomendasi"),
            &json!({ "jenis": "pengangkatan", "calon": "dua" }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 422, "{v}");
    assert!(v["error"]["field"]["calon"].is_string(), "{v}");
    assert_eq!(
        jumlah_rekomendasi(&app).await,
        awal,
        "nothing was written, not even to the audit log"
    );

    // One candidate: accepted, with the warning.
    let v = ajukan(&op, DESA_A, &permohonan(vec![calon("6311021403850021", "Siti Aminah")])).await;
    assert_eq!(v["peringatan"][0]["kode"], "calon_kurang_dari_dua", "{v}");
    let id = v["id"].as_i64().unwrap();
    // A candidate of 50 with SD: the register's warnings, named by candidate.
    let mut tua = calon("6311021403700031", "Ahmad Fauzi");
    tua["tanggal_lahir"] = json!("1970-03-14");
    tua["pendidikan_terakhir"] = json!("SD");
    let v = ajukan(&op, DESA_A, &permohonan(vec![calon("6311021403850032", "Siti"), tua])).await;
    let kode: Vec<&str> = v["peringatan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kode"].as_str().unwrap())
        .collect();
    assert_eq!(kode, ["usia_pengangkatan", "pendidikan"], "{v}");
    assert!(
        v["peringatan"][0]["pesan"]
            .as_str()
            .unwrap()
            .starts_with("Calon 2 (Ahmad Fauzi)")
    );

    // Refusing without a reason: 422, nothing changes.
    let kec = Api::baru(&app, "kec").await;
    let sebelum = jumlah_rekomendasi(&app).await;
    for body in [
        json!({ "setuju": false }),
        json!({ "setuju": false, "catatan": "   " }),
        json!({}),
    ] {
        let (s, v) = status_json(kec.post(&format!("/api/v1/rekomendasi/{id}/keputusan"), &body).await).await;
        assert_eq!(s, 422, "{body}: {v}");
    }
    let (s, v) = status_json(
        kec.post(
            &format!("/api/v1/rekomendasi/{id}/keputusan"),
            &json!({ "setuju": false }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 422);
    assert!(
        v["error"]["field"]["catatan"]
            .as_str()
            .unwrap()
            .contains("Alasan penolakan wajib"),
        "{v}"
    );
    assert_eq!(jumlah_rekomendasi(&app).await, sebelum);
    assert_eq!(
        kec.json(&format!("/api/v1/rekomendasi/{id}")).await["status"],
        "diajukan"
    );
    // With one: refused, numbered too.
    let (s, v) = status_json(
        kec.post(
            &format!("/api/v1/rekomendasi/{id}/keputusan"),
            &json!({ "setuju": false, "catatan": "Calon belum memenuhi syarat pendidikan." }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "ditolak");
    assert_eq!(v["nomor_surat"], "141/001/PEM/2026");
    assert!(v["kode_verifikasi"].is_string());
    let d = kec.json(&format!("/api/v1/rekomendasi/{id}")).await;
    assert_eq!(d["alasan_keputusan"], "Calon belum memenuhi syarat pendidikan.");
    // A bad status filter.
    let (s, v) = status_json(kec.get("/api/v1/rekomendasi?status=lama").await).await;
    assert_eq!(s, 422);
    assert!(v["error"]["field"]["status"].is_string());
}

#[tokio::test]
async fn cakupan_desa_dan_kecamatan_lain() {
    let app = spawn_app_penuh(&[HALONG, "63.11.01"], |_| {}).await;
    atur_tanggal(&app, 2026, 12, 4);
    siapkan(&app).await;
    let desa_lain: String = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar("SELECT kode FROM desa WHERE kecamatan_kode = '63.11.01' ORDER BY kode LIMIT 1")
            .fetch_one(c)
            .await
            .unwrap()
    });
    app.pengguna("kec.lain", "kecamatan", "63.11.01").await;
    app.pengguna("kab", "kabupaten", "63.11").await;
    let op = Api::baru(&app, "op.a").await;
    let op_b = Api::baru(&app, "op.b").await;
    let kec = Api::baru(&app, "kec").await;
    let kec_lain = Api::baru(&app, "kec.lain").await;
    let kab = Api::baru(&app, "kab").await;
    let kades = Api::baru(&app, "kades.a").await;
    let body = permohonan(vec![
        calon("6311021403850041", "Siti Aminah"),
        calon("6311021403850042", "Rahmat Hidayat"),
    ]);
    // Submitting: only the desa's own operator.
    let (s, _) = status_json(op_b.post(&format!("/api/v1/desa/{DESA_A}/rekomendasi"), &body).await).await;
    assert_eq!(s, 404, "another desa's operator");
    for (api, harap) in [(&kades, 403), (&kec, 403), (&kab, 403), (&kec_lain, 404)] {
        let (s, v) = status_json(api.post(&format!("/api/v1/desa/{DESA_A}/rekomendasi"), &body).await).await;
        assert_eq!(s, harap, "{v}");
    }
    let (s, _) = status_json(op.post(&format!("/api/v1/desa/{desa_lain}/rekomendasi"), &body).await).await;
    assert_eq!(s, 404);
    let id = ajukan(&op, DESA_A, &body).await["id"].as_i64().unwrap();
    // Reading: the desa, its kecamatan, the kabupaten; not another desa or kecamatan.
    for api in [&op, &kades, &kec, &kab] {
        assert_eq!(api.get(&format!("/api/v1/rekomendasi/{id}")).await.status(), 200);
        assert_eq!(api.json("/api/v1/rekomendasi").await["data"][0]["id"], id);
    }
    for api in [&op_b, &kec_lain] {
        assert_eq!(api.get(&format!("/api/v1/rekomendasi/{id}")).await.status(), 404);
        assert_eq!(api.json("/api/v1/rekomendasi").await["data"], json!([]));
        let t = api.json("/api/v1/tenggat").await;
        assert!(!t.to_string().contains(DESA_A), "{t}");
    }
    // Deciding: its kecamatan only.
    let setuju = json!({ "setuju": true, "calon": 0 });
    let (s, _) = status_json(
        kec_lain
            .post(&format!("/api/v1/rekomendasi/{id}/keputusan"), &setuju)
            .await,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = status_json(kab.post(&format!("/api/v1/rekomendasi/{id}/keputusan"), &setuju).await).await;
    assert_eq!(s, 403);
    let (s, _) = status_json(
        op_b.post(
            &format!("/api/v1/rekomendasi/{id}/kembalikan"),
            &json!({"catatan": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = status_json(
        op.post(
            &format!("/api/v1/rekomendasi/{id}/kembalikan"),
            &json!({"catatan": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = status_json(unggah(&op_b, id, pdf_sk(), "ktp", None).await).await;
    assert_eq!(s, 404);
    // The tenggat of the desa and the kecamatan list it.
    for api in [&op, &kec, &kab] {
        let t = api.json("/api/v1/tenggat").await;
        let baris = t["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["jenis"] == "rekomendasi")
            .expect("listed");
        assert_eq!(baris["desa_kode"], DESA_A);
        assert_eq!(baris["batas"], "2026-12-15");
        assert_eq!(baris["terlambat"], false);
        assert_eq!(baris["tautan"], format!("/rekomendasi/{id}"));
    }
    // Settings: the kecamatan's own; another's is not found; the operator may not.
    let (s, v) = status_json(kec.get("/api/v1/pengaturan-kecamatan").await).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["kode"], HALONG);
    assert_eq!(v["pola_nomor_rekomendasi"], "141/{nomor}/PEM/{tahun}");
    let (s, _) = status_json(
        kec_lain
            .get(&format!("/api/v1/pengaturan-kecamatan?kode={HALONG}"))
            .await,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = status_json(op.get("/api/v1/pengaturan-kecamatan").await).await;
    assert_eq!(s, 403);
    let (s, v) = status_json(
        kec.put(
            "/api/v1/pengaturan-kecamatan",
            &json!({ "pola_nomor_rekomendasi": "141/PEM", "nip_camat": "123", "rekomendasi_wajib_sejak": "kemarin" }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 422);
    for f in ["pola_nomor_rekomendasi", "nip_camat", "rekomendasi_wajib_sejak"] {
        assert!(v["error"]["field"][f].is_string(), "{f}: {v}");
    }
}

#[tokio::test]
async fn batas_tujuh_hari_kerja_melewati_akhir_pekan_libur_dan_berhenti_saat_dikembalikan() {
    let app = spawn_app().await;
    atur_tanggal(&app, 2026, 12, 4); // Friday
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let kec = Api::baru(&app, "kec").await;
    let admin = Api::baru(&app, "admin").await;
    // Holidays: the admin's; others may not add; a date twice is a conflict; a bad one 422.
    let libur = json!({ "tanggal": "2026-12-08", "nama": "Cuti bersama (uji)" });
    assert_eq!(op.post("/api/v1/hari-libur", &libur).await.status(), 403);
    assert_eq!(kec.post("/api/v1/hari-libur", &libur).await.status(), 403);
    assert_eq!(admin.post("/api/v1/hari-libur", &libur).await.status(), 201);
    assert_eq!(admin.post("/api/v1/hari-libur", &libur).await.status(), 409);
    let (s, v) = status_json(
        admin
            .post("/api/v1/hari-libur", &json!({ "tanggal": "2026-13-01", "nama": "" }))
            .await,
    )
    .await;
    assert_eq!(s, 422);
    assert!(
        v["error"]["field"]["tanggal"].is_string() && v["error"]["field"]["nama"].is_string(),
        "{v}"
    );
    assert_eq!(op.json("/api/v1/hari-libur").await["data"][0]["tanggal"], "2026-12-08");

    // Friday 4 → Mon 7, (Tue 8 holiday), Wed 9, Thu 10, Fri 11, Mon 14, Tue 15, Wed 16.
    let body = permohonan(vec![
        calon("6311021403850051", "Siti Aminah"),
        calon("6311021403850052", "Rahmat Hidayat"),
    ]);
    let v = ajukan(&op, DESA_A, &body).await;
    assert_eq!(v["batas_waktu"], "2026-12-16");
    let id = v["id"].as_i64().unwrap();
    // Submitted on a Saturday: counted from Monday (the holiday still skipped).
    atur_tanggal(&app, 2026, 12, 5);
    let op = Api::baru(&app, "op.a").await;
    let v = ajukan(&op, DESA_A, &body).await;
    assert_eq!(v["batas_waktu"], "2026-12-16");
    let kedua = v["id"].as_i64().unwrap();

    // Returned on Wednesday 9: 5 working days left (10, 11, 14, 15, 16); the clock stops.
    atur_tanggal(&app, 2026, 12, 9);
    let (op, kec) = (Api::baru(&app, "op.a").await, Api::baru(&app, "kec").await);
    let (s, v) = status_json(
        kec.post(&format!("/api/v1/rekomendasi/{id}/kembalikan"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(s, 422, "what is missing must be said");
    assert!(v["error"]["field"]["catatan"].is_string());
    let (s, v) = status_json(
        kec.post(
            &format!("/api/v1/rekomendasi/{id}/kembalikan"),
            &json!({ "catatan": "Ijazah calon 2 belum dilampirkan." }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "dikembalikan");
    assert_eq!(v["sisa_hari_kerja"], 5);
    assert_eq!(v["catatan_pengembalian"], "Ijazah calon 2 belum dilampirkan.");
    // While returned it cannot be decided, and it is not on the Camat's list of deadlines.
    let (s, _) = status_json(
        kec.post(
            &format!("/api/v1/rekomendasi/{id}/keputusan"),
            &json!({ "setuju": true, "calon": 0 }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 409);
    let (s, _) = status_json(
        kec.post(
            &format!("/api/v1/rekomendasi/{id}/kembalikan"),
            &json!({"catatan": "lagi"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, 409);
    assert!(
        !kec.json("/api/v1/tenggat")
            .await
            .to_string()
            .contains(&format!("/rekomendasi/{id}\"")),
        "a returned request has no running deadline"
    );
    // The desa adds the document and submits again on Monday 14: 5 working days from then.
    assert_eq!(unggah(&op, id, pdf_sk(), "ijazah", Some("1")).await.status(), 201);
    atur_tanggal(&app, 2026, 12, 14);
    let op = Api::baru(&app, "op.a").await;
    let (s, v) = status_json(
        op.post(
            &format!("/api/v1/rekomendasi/{id}/ajukan-ulang"),
            &json!({ "catatan": "Ijazah sudah dilampirkan." }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "diajukan");
    assert_eq!(v["batas_waktu"], "2026-12-21");
    let (s, _) = status_json(
        op.post(&format!("/api/v1/rekomendasi/{id}/ajukan-ulang"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(s, 409, "only a returned request is submitted again");

    // Thursday 17: the second request (deadline 16) is overdue and first; the first is not.
    atur_tanggal(&app, 2026, 12, 17);
    let kec = Api::baru(&app, "kec").await;
    let t = kec.json("/api/v1/tenggat").await;
    let data = t["data"].as_array().unwrap();
    assert_eq!(data[0]["tautan"], format!("/rekomendasi/{kedua}"), "{t}");
    assert_eq!(data[0]["terlambat"], true);
    assert_eq!(data[0]["batas"], "2026-12-16");
    let pertama = data
        .iter()
        .find(|b| b["tautan"] == format!("/rekomendasi/{id}"))
        .unwrap();
    assert_eq!(pertama["terlambat"], false);
    assert_eq!(pertama["batas"], "2026-12-21");
    let q = kec.json("/api/v1/rekomendasi").await;
    assert_eq!(q["data"][0]["id"], kedua, "the queue: the earliest deadline first");
    assert_eq!(q["data"][0]["terlambat"], true);
}

#[tokio::test]
async fn nomor_surat_per_kecamatan_dan_tahun() {
    let app = spawn_app_penuh(&[HALONG, "63.11.01"], |_| {}).await;
    atur_tanggal(&app, 2026, 12, 28);
    siapkan(&app).await;
    let desa_lain: String = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar("SELECT kode FROM desa WHERE kecamatan_kode = '63.11.01' ORDER BY kode LIMIT 1")
            .fetch_one(c)
            .await
            .unwrap()
    });
    app.pengguna("op.lain", "operator", &desa_lain).await;
    app.pengguna("kec.lain", "kecamatan", "63.11.01").await;
    let op = Api::baru(&app, "op.a").await;
    let op_b = Api::baru(&app, "op.b").await;
    let op_lain = Api::baru(&app, "op.lain").await;
    let kec = Api::baru(&app, "kec").await;
    let kec_lain = Api::baru(&app, "kec.lain").await;
    // Another pattern for the other kecamatan.
    let r = kec_lain
        .put(
            "/api/v1/pengaturan-kecamatan",
            &json!({ "pola_nomor_rekomendasi": "{nomor}/REK/{kode}/{bulan}/{tahun}" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let body = permohonan(vec![
        calon("6311021403850061", "Siti Aminah"),
        calon("6311021403850062", "Rahmat Hidayat"),
    ]);
    let mut body_lain = body.clone();
    body_lain["calon"][0]["nik"] = json!("6311011403850061");
    body_lain["calon"][1]["nik"] = json!("6311011403850062");
    let putus = |api: &Api<'_>, id: i64, setuju: bool| {
        let body = if setuju {
            json!({ "setuju": true, "calon": 0 })
        } else {
            json!({ "setuju": false, "catatan": "Persyaratan belum lengkap." })
        };
        let path = format!("/api/v1/rekomendasi/{id}/keputusan");
        let c = reqwest::Client::new();
        let url = api.app.url(&path);
        let token = api.token.clone();
        async move {
            let r = c.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            let (s, v) = status_json(r).await;
            assert_eq!(s, 200, "{v}");
            v["nomor_surat"].as_str().unwrap().to_string()
        }
    };
    let a1 = ajukan(&op, DESA_A, &body).await["id"].as_i64().unwrap();
    let b1 = ajukan(&op_b, DESA_B, &body).await["id"].as_i64().unwrap();
    let l1 = ajukan(&op_lain, &desa_lain, &body_lain).await["id"].as_i64().unwrap();
    let a2 = ajukan(&op, DESA_A, &body).await["id"].as_i64().unwrap();
    // Numbered per kecamatan (both desa of Halong share the sequence), refusals included.
    assert_eq!(putus(&kec, b1, true).await, "141/001/PEM/2026");
    assert_eq!(putus(&kec_lain, l1, true).await, "001/REK/63.11.01/XII/2026");
    assert_eq!(putus(&kec, a1, false).await, "141/002/PEM/2026");
    // A new year starts again at 1.
    atur_tanggal(&app, 2027, 1, 4);
    let kec = Api::baru(&app, "kec").await;
    assert_eq!(putus(&kec, a2, true).await, "141/001/PEM/2027");
    let (s, _) = status_json(
        kec.post(
            &format!("/api/v1/rekomendasi/{a2}/keputusan"),
            &json!({"setuju": true, "calon": 0}),
        )
        .await,
    )
    .await;
    assert_eq!(s, 409);
    // Every letter's code is different and verifiable.
    let kode: Vec<String> = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar("SELECT kode_verifikasi FROM rekomendasi ORDER BY id").fetch_all(c).await.unwrap()
    });
    let mut unik = kode.clone();
    unik.sort();
    unik.dedup();
    assert_eq!(unik.len(), 4);
    let r = app
        .klien()
        .get(app.url(&format!("/verifikasi/{}", kode[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("141/002/PEM/2026"));
    assert_eq!(
        app.klien()
            .get(app.url("/verifikasi/ABCDE-FGH23"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn peringatan_tanpa_rekomendasi_pada_pengangkatan_dan_pemberhentian() {
    let app = spawn_app().await;
    atur_tanggal(&app, 2026, 12, 4);
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let kec = Api::baru(&app, "kec").await;
    let kode = |v: &Value| -> Vec<String> {
        v["peringatan"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["kode"].as_str().unwrap().to_string())
            .collect()
    };
    let entri = |nik: &str, tgl: &str| {
        let mut e = contoh(nik, "Ahmad Fauzi", "kaur_keuangan");
        e["tanggal_sk_pengangkatan"] = json!(tgl);
        e["tmt"] = json!(tgl);
        e
    };
    // Not required yet: no warning.
    let (s, v) = status_json(
        op.post(
            &format!("/api/v1/desa/{DESA_A}/perangkat"),
            &entri("6311021403850071", "2026-06-01"),
        )
        .await,
    )
    .await;
    assert_eq!(s, 201);
    assert!(!kode(&v).contains(&"tanpa_rekomendasi".to_string()), "{v}");
    let lama = v["id"].as_i64().unwrap();
    // Required from 1 March 2026.
    let r = kec
        .put(
            "/api/v1/pengaturan-kecamatan",
            &json!({ "pola_nomor_rekomendasi": "141/{nomor}/PEM/{tahun}", "rekomendasi_wajib_sejak": "2026-03-01" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    // An SK dated on or after it without a recommendation: the warning (an entry, not refused).
    let (s, v) = status_json(
        op.post(
            &format!("/api/v1/desa/{DESA_A}/perangkat"),
            &entri("6311021403850072", "2026-03-01"),
        )
        .await,
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert!(kode(&v).contains(&"tanpa_rekomendasi".to_string()), "{v}");
    let pesan = v["peringatan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kode"] == "tanpa_rekomendasi")
        .unwrap()["pesan"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(pesan.contains("1 Maret 2026"), "{pesan}");
    // The earlier entry now shows it too (its SK is after the date); an old SK does not.
    let d = op.json(&format!("/api/v1/perangkat/{lama}")).await;
    assert!(kode(&d).contains(&"tanpa_rekomendasi".to_string()), "{d}");
    let (s, v) = status_json(
        op.post(
            &format!("/api/v1/desa/{DESA_A}/perangkat"),
            &entri("6311021403850073", "2026-02-28"),
        )
        .await,
    )
    .await;
    assert_eq!(s, 201);
    assert!(!kode(&v).contains(&"tanpa_rekomendasi".to_string()), "{v}");
    // Approved for that NIK (even when entered without the link): no warning.
    let id = ajukan(
        &op,
        DESA_A,
        &json!({ "jenis": "pengangkatan", "jabatan": "kaur_keuangan",
                 "calon": [calon("6311021403850074", "Ahmad Fauzi"), calon("6311021403850075", "Budi")] }),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let (s, v) = status_json(
        op.post(
            &format!("/api/v1/desa/{DESA_A}/perangkat"),
            &entri("6311021403850074", "2026-12-04"),
        )
        .await,
    )
    .await;
    assert_eq!(s, 201);
    assert!(
        kode(&v).contains(&"tanpa_rekomendasi".to_string()),
        "waiting is not approved: {v}"
    );
    let menunggu = v["id"].as_i64().unwrap();
    let r = kec
        .post(
            &format!("/api/v1/rekomendasi/{id}/keputusan"),
            &json!({ "setuju": true, "calon": 0 }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let d = op.json(&format!("/api/v1/perangkat/{menunggu}")).await;
    assert!(!kode(&d).contains(&"tanpa_rekomendasi".to_string()), "{d}");
    // Saved, the kecamatan sees the warning among its desa's warnings (dashboard and list).
    op.simpan(lama).await;
    let c = app.masuk_ok("kec").await;
    let html = app.html(&c, "/peringatan?jenis=tanpa_rekomendasi").await;
    assert!(html.contains(&format!("href=\"/perangkat/{lama}\"")), "{html}");
    assert!(html.contains("tanpa rekomendasi Camat yang disetujui"), "{html}");
    let dasbor = app.html(&c, "/dasbor").await;
    assert!(
        dasbor.contains("/peringatan?desa=63.11.02.2001"),
        "the desa's warnings counted"
    );

    // A dismissal: the saved official, dismissed with an SK after the date.
    let tetap = op.buat(DESA_A, &entri("6311021403850076", "2020-01-02")).await;
    op.simpan(tetap).await;
    let berhenti = json!({ "nomor_sk_pemberhentian": "141/20/HAUWAI/2026", "tanggal_sk_pemberhentian": "2026-12-01",
                           "alasan_pemberhentian": "permintaan_sendiri" });
    let p = op.json(&format!("/api/v1/perangkat/{tetap}")).await;
    let mut ubah = p.clone();
    for (k, v) in berhenti.as_object().unwrap() {
        ubah[k] = v.clone();
    }
    let (s, v) = status_json(op.put(&format!("/api/v1/perangkat/{tetap}"), &ubah).await).await;
    assert_eq!(s, 200, "{v}");
    assert!(kode(&v).contains(&"tanpa_rekomendasi".to_string()), "{v}");
    // A request to dismiss him, approved: the warning goes.
    let v = ajukan(
        &op,
        DESA_A,
        &json!({ "jenis": "pemberhentian", "perangkat_id": tetap, "alasan_pemberhentian": "permintaan_sendiri" }),
    )
    .await;
    let rid = v["id"].as_i64().unwrap();
    let d = kec.json(&format!("/api/v1/rekomendasi/{rid}")).await;
    assert_eq!(d["perangkat"]["nama"], "Ahmad Fauzi", "{d}");
    assert_eq!(d["jabatan"], "kaur_keuangan");
    let (s, v) = status_json(
        kec.post(
            &format!("/api/v1/rekomendasi/{rid}/keputusan"),
            &json!({ "setuju": true }),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let d = op.json(&format!("/api/v1/perangkat/{tetap}")).await;
    assert!(!kode(&d).contains(&"tanpa_rekomendasi".to_string()), "{d}");
    assert!(
        op.get(&format!("/api/v1/rekomendasi/{rid}/pdf"))
            .await
            .bytes()
            .await
            .unwrap()
            .starts_with(b"%PDF-")
    );
}

#[tokio::test]
async fn tenggat_usia_masa_jabatan_dan_jabatan_kosong() {
    let app = spawn_app().await;
    atur_tanggal(&app, 2026, 12, 4);
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let op_b = Api::baru(&app, "op.b").await;
    // Aged 61 and still active.
    let mut tua = contoh("6311021403650081", "Abdul Gani", "kaur_keuangan");
    tua["tanggal_lahir"] = json!("1965-03-14");
    let tua = {
        let id = op.buat(DESA_A, &tua).await;
        op.simpan(id).await;
        id
    };
    // Turning 60 in March 2027.
    let mut segera = contoh("6311021403670082", "Bahrudin", "kasi_pemerintahan");
    segera["tanggal_lahir"] = json!("1967-03-14");
    let segera = {
        let id = op.buat(DESA_A, &segera).await;
        op.simpan(id).await;
        id
    };
    // A Kepala Desa whose 8 years end on 2 February 2027.
    let mut kades = contoh("6311021403750083", "Haji Masrani", "kepala_desa");
    kades["tanggal_lahir"] = json!("1975-03-14");
    kades["tmt"] = json!("2019-02-02");
    kades["tanggal_sk_pengangkatan"] = json!("2019-02-01");
    let kades = {
        let id = op.buat(DESA_A, &kades).await;
        op.simpan(id).await;
        id
    };
    // A Plt without an end since 1 May 2026: past six months in December.
    let mut plt = contoh("6311021403880084", "Fitriani", "sekretaris_desa");
    plt["jenis_kelamin"] = json!("P");
    plt["nik"] = json!("6311025403880084");
    plt["status_jabatan"] = json!("plt");
    plt["tanggal_lahir"] = json!("1988-03-14");
    plt["tmt"] = json!("2026-05-01");
    plt["tanggal_sk_pengangkatan"] = json!("2026-05-01");
    let plt = {
        let id = op.buat(DESA_A, &plt).await;
        op.simpan(id).await;
        id
    };
    // Desa B: a dismissed Kaur Keuangan (1 September 2026): vacant past two months.
    let kaur = op_b
        .buat(DESA_B, &contoh("6311021403850085", "Rusdi", "kaur_keuangan"))
        .await;
    op_b.simpan(kaur).await;
    let p = op_b.json(&format!("/api/v1/perangkat/{kaur}")).await;
    let mut ubah = p.clone();
    ubah["nomor_sk_pemberhentian"] = json!("141/09/2026");
    ubah["tanggal_sk_pemberhentian"] = json!("2026-09-01");
    ubah["alasan_pemberhentian"] = json!("permintaan_sendiri");
    let (s, v) = status_json(op_b.put(&format!("/api/v1/perangkat/{kaur}"), &ubah).await).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        op_b.unggah(kaur, pdf_sk(), "sk.pdf", Some("sk_pemberhentian"))
            .await
            .status(),
        201
    );
    let (s, v) = status_json(op_b.periksa(kaur, json!({ "sesuai": true })).await).await;
    assert_eq!(s, 200, "{v}");

    let t = op.json("/api/v1/tenggat").await;
    let data = t["data"].as_array().unwrap();
    let cari = |tautan: String| data.iter().find(|b| b["tautan"] == tautan).cloned();
    let b = cari(format!("/perangkat/{tua}")).expect("aged 60");
    assert_eq!(
        (b["jenis"].as_str(), b["batas"].as_str(), b["terlambat"].as_bool()),
        (Some("usia_60"), Some("2025-03-14"), Some(true))
    );
    let b = cari(format!("/perangkat/{segera}")).expect("turning 60");
    assert_eq!(
        (b["jenis"].as_str(), b["batas"].as_str(), b["terlambat"].as_bool()),
        (Some("usia_60"), Some("2027-03-14"), Some(false))
    );
    let b = cari(format!("/perangkat/{kades}")).expect("end of term");
    assert_eq!(
        (b["jenis"].as_str(), b["batas"].as_str(), b["terlambat"].as_bool()),
        (Some("masa_jabatan"), Some("2027-02-02"), Some(false))
    );
    let b = cari(format!("/perangkat/{plt}")).expect("acting");
    assert_eq!(
        (b["jenis"].as_str(), b["batas"].as_str(), b["terlambat"].as_bool()),
        (Some("penjabat_sementara"), Some("2026-10-31"), Some(true))
    );
    assert!(!t.to_string().contains("6311021403"), "no NIK in the list");
    // Overdue first, then by date.
    let terlambat: Vec<bool> = data.iter().map(|b| b["terlambat"].as_bool().unwrap()).collect();
    let mut urut = terlambat.clone();
    urut.sort_by(|a, b| b.cmp(a));
    assert_eq!(terlambat, urut, "{t}");
    // Desa B's vacancy is not desa A's business, but its own and the kecamatan's.
    assert!(!t.to_string().contains(DESA_B), "{t}");
    let tb = op_b.json("/api/v1/tenggat").await;
    let kosong = tb["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["jenis"] == "jabatan_kosong")
        .expect("vacancy");
    assert_eq!(kosong["batas"], "2026-11-01");
    assert_eq!(kosong["terlambat"], true);
    assert_eq!(kosong["desa_kode"], DESA_B);
    let tk = Api::baru(&app, "kec").await.json("/api/v1/tenggat").await;
    assert!(tk.to_string().contains(DESA_A) && tk.to_string().contains(DESA_B));
    // The dashboard counts them, the overdue ones named, and links to the list.
    let semua = tk["data"].as_array().unwrap();
    let terlambat = semua.iter().filter(|b| b["terlambat"] == true).count();
    assert!(terlambat > 0);
    let c = app.masuk_ok("kec").await;
    let html = app.html(&c, "/dasbor").await;
    let nilai = teks(&html, "a.angka-besar[href=\"/tenggat\"] .nilai").expect("a deadline count on the dashboard");
    let label = teks(&html, "a.angka-besar[href=\"/tenggat\"] .label").unwrap();
    assert_eq!(nilai.trim(), semua.len().to_string());
    assert_eq!(label.trim(), format!("tenggat, {terlambat} terlambat"));
}

/// Issue 17: the deadlines as a private calendar feed (.ics, RFC 5545): a secret link per user,
/// shown once, no NIK, the user's own scope; a new link replaces the old, revoking ends it.
#[tokio::test]
async fn kalender_tenggat_pribadi_dan_dapat_dicabut() {
    let app = spawn_app().await;
    atur_tanggal(&app, 2026, 12, 4);
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    // Aged 61 and still active: an overdue deadline of desa A.
    let mut tua = contoh("6311021403650081", "Abdul Gani", "kaur_keuangan");
    tua["tanggal_lahir"] = json!("1965-03-14");
    let id = op.buat(DESA_A, &tua).await;
    op.simpan(id).await;
    let buat = async |username: &str| -> (reqwest::Client, String) {
        let c = app.masuk_ok(username).await;
        let csrf = app.csrf(&c, "/akun/kata-sandi").await;
        let r = c
            .post(app.url("/akun/kalender"))
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["cache-control"], "no-store");
        let html = r.text().await.unwrap();
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("#tautan-kalender").unwrap();
        let url = doc
            .select(&sel)
            .next()
            .expect("the link, shown once")
            .value()
            .attr("value")
            .unwrap()
            .to_string();
        (c, url)
    };
    let (c, url) = buat("kec").await;
    assert!(url.starts_with("/kalender/") && url.ends_with(".ics"), "{url}");
    // Shown once: the page afterwards says only when it was made.
    let html = app.html(&c, "/akun/kata-sandi").await;
    assert!(
        !html.contains(&url) && html.contains("Tautan kalender dibuat"),
        "{html}"
    );
    let tamu = app.klien();
    let r = tamu.get(app.url(&url)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = r.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{ics}");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    for baris in ics.split("\r\n") {
        assert!(baris.len() <= 75, "a line over 75 octets: {baris:?}");
        assert!(!baris.contains('\n'));
    }
    let terurai = ics.replace("\r\n ", "");
    assert!(terurai.contains("BEGIN:VEVENT"), "{terurai}");
    assert!(terurai.contains("DTSTART;VALUE=DATE:20250314"), "{terurai}");
    assert!(terurai.contains("SUMMARY:TERLAMBAT — "), "{terurai}");
    assert!(terurai.contains("Abdul Gani"), "{terurai}");
    assert!(
        !terurai.contains("6311021403650081") && !terurai.contains("631102"),
        "a NIK in the feed"
    );
    // Desa B's operator sees only desa B's deadlines.
    let (_cb, url_b) = buat("op.b").await;
    let ics_b = tamu.get(app.url(&url_b)).send().await.unwrap().text().await.unwrap();
    assert!(!ics_b.contains("Abdul Gani"), "{ics_b}");
    // A new link replaces the old; revoking ends it; a made-up one is 404.
    let (c, url2) = buat("kec").await;
    assert_ne!(url, url2);
    assert_eq!(tamu.get(app.url(&url)).send().await.unwrap().status(), 404);
    assert_eq!(tamu.get(app.url(&url2)).send().await.unwrap().status(), 200);
    let csrf = app.csrf(&c, "/akun/kata-sandi").await;
    let r = c
        .post(app.url("/akun/kalender/cabut"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(tamu.get(app.url(&url2)).send().await.unwrap().status(), 404);
    let palsu = format!("/kalender/{}.ics", "0".repeat(48));
    assert_eq!(tamu.get(app.url(&palsu)).send().await.unwrap().status(), 404);
    assert_eq!(
        tamu.get(app.url("/kalender/bukan-rahasia"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}
