//! The kecamatan side (SOP step 8): dashboard figures, warnings across desa, verification and
//! return of records, the change feed, the recap.

use std::io::Cursor;

use calamine::{Data as Sel, Reader, Xlsx};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::perangkat::{Api, contoh};

/// Desa A: a saved Pembakal, Sekretaris Desa and a staff member whose NIK disagrees with the
/// birth date (a warning); desa B: one draft waiting for the check.
async fn siapkan(app: &TestApp) -> (Api<'_>, Api<'_>, Vec<i64>) {
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    let a = Api::baru(app, "op.a").await;
    let b = Api::baru(app, "op.b").await;
    let mut ids = Vec::new();
    for (nik, nama, jab) in [
        ("6311021403700001", "Abdul Gani", "kepala_desa"),
        ("6311021403800002", "Rahmat Hidayat", "sekretaris_desa"),
        ("6311021403900003", "Nor Aini Salah", "staf"),
    ] {
        let mut v = contoh(nik, nama, jab);
        v["tanggal_lahir"] = json!(format!("19{}-03-14", &nik[10..12]));
        if jab == "staf" {
            v["tanggal_lahir"] = json!("1991-03-14");
        }
        let id = a.buat(DESA_A, &v).await;
        a.simpan(id).await;
        ids.push(id);
    }
    b.buat(DESA_B, &contoh("6311021403850004", "Masih Draf", "staf")).await;
    (a, b, ids)
}

fn desa<'v>(d: &'v Value, kode: &str) -> &'v Value {
    d["baris"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["kode"] == kode)
        .unwrap()
}

#[tokio::test]
async fn dasbor_menghitung_setiap_desa() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let k = Api::baru(&app, "kec").await;
    let d = k.json("/api/v1/dasbor").await;
    assert_eq!(d["baris"].as_array().unwrap().len(), 24, "every desa of Halong");
    let (a, b) = (desa(&d, DESA_A), desa(&d, DESA_B));
    assert_eq!(a["aktif"], 3);
    assert_eq!(b["aktif"], 0);
    // Two positions of the structure are filled in A, none in B (same structure).
    assert_eq!(a["kosong"].as_u64().unwrap() + 2, b["kosong"].as_u64().unwrap());
    assert_eq!(a["menunggu"], 0);
    assert_eq!(b["menunggu"], 1, "the draft waits for the check");
    assert_eq!(
        a["peringatan"], 1,
        "the staff member's NIK disagrees with the birth date"
    );
    assert_eq!(a["sk_lengkap"], 100);
    assert!(a["terakhir_sinkron"].is_i64(), "{a}");
    assert!(b["terakhir_sinkron"].is_null(), "a draft is not synchronized");
    assert_eq!(d["total"]["aktif"], 3);
    let jk = &d["grafik"]["jenis_kelamin"];
    assert_eq!(jk[0]["nilai"].as_u64().unwrap() + jk[1]["nilai"].as_u64().unwrap(), 3);

    // The page: Hauwai first (it has a warning), times in words, SVG charts, links to the desa.
    let c = app.masuk_ok("kec").await;
    let r = c.get(app.url("/dasbor")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let nama = semua_teks(&html, "tbody td[data-label=Desa] a");
    let mut dua = vec![nama[0].clone(), nama[1].clone()];
    dua.sort();
    let mut harap = vec!["Hauwai".to_string(), b["nama"].as_str().unwrap().to_string()];
    harap.sort();
    assert_eq!(
        dua, harap,
        "rows with problems (a warning, a check waiting) first: {nama:?}"
    );
    assert!(html.contains("baru saja") || html.contains("menit lalu"), "{html}");
    assert!(html.contains("<svg") && html.contains("Jenis kelamin") && html.contains("Kelompok umur"));
    assert!(html.contains(&format!("href=\"/desa/{DESA_A}\"")));
    // Sorted by name on request.
    let html = app.html(&c, "/dasbor?urut=desa").await;
    let urut = semua_teks(&html, "tbody td[data-label=Desa] a");
    let mut diurutkan = urut.clone();
    diurutkan.sort();
    assert_eq!(urut, diurutkan);
    // Desa roles have no dashboard.
    let op = app.masuk_ok("op.a").await;
    assert_eq!(op.get(app.url("/dasbor")).send().await.unwrap().status(), 403);
    assert_eq!(Api::baru(&app, "op.a").await.get("/api/v1/dasbor").await.status(), 403);
}

#[tokio::test]
async fn peringatan_semua_desa_menuju_datanya() {
    let app = spawn_app().await;
    let (_, _, ids) = siapkan(&app).await;
    let c = app.masuk_ok("kec").await;
    let html = app.html(&c, "/peringatan").await;
    assert!(
        html.contains("Nor Aini Salah") && html.contains("Tanggal lahir pada NIK"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/perangkat/{}\"", ids[2])));
    assert!(!html.contains("Abdul Gani"), "no warning for the Pembakal");
    assert!(!html.contains("Masih Draf"), "drafts are not the kecamatan's");
    let op = app.masuk_ok("op.a").await;
    assert_eq!(op.get(app.url("/peringatan")).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn verifikasi_dan_kembalikan_ke_desa() {
    let app = spawn_app().await;
    let (a, _, ids) = siapkan(&app).await;
    app.pengguna("kab", "kabupaten", "63.11").await;
    let id = ids[1];
    // The web form: "Verifikasi".
    let c = app.masuk_ok("kec").await;
    let halaman = format!("/perangkat/{id}");
    let csrf = app.csrf(&c, &halaman).await;
    let r = c
        .post(app.url(&format!("{halaman}/verifikasi")))
        .form(&[("_csrf", csrf.as_str()), ("hasil", "verifikasi")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = app.html(&c, &halaman).await;
    assert!(html.contains("Terverifikasi Kecamatan"), "{html}");
    // A version the kecamatan did not see is refused.
    let k0 = Api::baru(&app, "kec").await;
    let r = k0
        .post(
            &format!("/api/v1/perangkat/{}/verifikasi", ids[0]),
            &json!({ "terverifikasi": true, "versi": 999 }),
        )
        .await;
    assert_eq!(r.status(), 409);
    // Only the kecamatan (and admin) verify.
    let jalur = format!("/api/v1/perangkat/{id}/verifikasi");
    assert_eq!(a.post(&jalur, &json!({ "terverifikasi": true })).await.status(), 403);
    assert_eq!(
        Api::baru(&app, "kab")
            .await
            .post(&jalur, &json!({ "terverifikasi": true }))
            .await
            .status(),
        403
    );
    // Returning needs a note.
    let k = Api::baru(&app, "kec").await;
    let r = k.post(&jalur, &json!({ "terverifikasi": false })).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert!(e["error"]["field"]["catatan"].is_string());
    let r = k
        .post(
            &jalur,
            &json!({ "terverifikasi": false, "catatan": "Tanggal SK tidak sama dengan salinan SK." }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["dikembalikan"], true);
    assert!(v["verifikasi_pada"].is_null(), "returning ends the verification");
    // The operator sees it and the note; the saved version stays what the kecamatan sees.
    let op = app.masuk_ok("op.a").await;
    let html = app.html(&op, &format!("/desa/{DESA_A}")).await;
    assert!(html.contains("Dikembalikan Kecamatan") && html.contains("Tanggal SK tidak sama dengan salinan SK."));
    let saved = k.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(saved["nama"], "Rahmat Hidayat");
    // It cannot be waved away with "Batalkan": it goes through the check again.
    let p = a.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(p["status"], "perlu_perbaikan");
    let r = a
        .post(
            &format!("/api/v1/perangkat/{id}/batalkan"),
            &json!({ "versi": p["versi"] }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["status"], "perlu_perbaikan",
        "back to the saved values, still to be checked"
    );
    let r = a.periksa(id, json!({ "sesuai": true })).await;
    assert_eq!(r.status(), 200);
    let html = app.html(&op, &format!("/desa/{DESA_A}")).await;
    assert!(!html.contains("Dikembalikan Kecamatan"));
    let html = app.html(&c, &halaman).await;
    assert!(html.contains(">Verifikasi<"), "ready to verify again");
    // The history tells it.
    let riwayat = app.html(&op, &format!("{halaman}/riwayat")).await;
    assert!(riwayat.contains("Terverifikasi kecamatan") && riwayat.contains("Dikembalikan kecamatan"));
}

#[tokio::test]
async fn sinkronisasi_berurutan_dapat_dilanjutkan_dan_tercakup() {
    let app = spawn_app_penuh(&[HALONG, "63.11.01"], |_| {}).await;
    let (a, _, ids) = siapkan(&app).await;
    app.pengguna("kec.lain", "kecamatan", "63.11.01").await;
    let k = Api::baru(&app, "kec").await;
    let v = k.json("/api/v1/sinkronisasi").await;
    let p = v["perubahan"].as_array().unwrap();
    let urutan: Vec<i64> = p.iter().map(|x| x["id"].as_i64().unwrap()).collect();
    assert_eq!(urutan, ids, "saved records in the order they were saved; no draft");
    assert_eq!(p[0]["nama"], "Abdul Gani");
    assert_eq!(v["lanjut"], false);
    let kursor = v["cursor"].as_str().unwrap().to_string();
    // Nothing new: an empty page with the same cursor.
    let v = k.json(&format!("/api/v1/sinkronisasi?sejak={kursor}")).await;
    assert!(v["perubahan"].as_array().unwrap().is_empty());
    assert_eq!(v["cursor"], kursor.as_str());
    // A new save shows up after the cursor at once.
    let baru = a
        .buat(DESA_A, &contoh("6311021403880005", "Baru Disimpan", "staf"))
        .await;
    a.simpan(baru).await;
    let v = k.json(&format!("/api/v1/sinkronisasi?sejak={kursor}")).await;
    let p = v["perubahan"].as_array().unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0]["id"], baru);
    // Paged.
    let v = k.json("/api/v1/sinkronisasi?batas=2").await;
    assert_eq!(v["perubahan"].as_array().unwrap().len(), 2);
    assert_eq!(v["lanjut"], true);
    let v2 = k
        .json(&format!(
            "/api/v1/sinkronisasi?batas=2&sejak={}",
            v["cursor"].as_str().unwrap()
        ))
        .await;
    assert_eq!(v2["perubahan"][0]["id"], ids[2]);
    // Malformed cursors: 400, naming what to do.
    for salah in ["abc", "p-1", "12", "p1x"] {
        let r = k.get(&format!("/api/v1/sinkronisasi?sejak={salah}")).await;
        assert_eq!(r.status(), 400, "{salah}");
        let e: Value = r.json().await.unwrap();
        assert!(e["error"]["pesan"].as_str().unwrap().contains("Kursor"));
    }
    // Scope: another kecamatan sees none of it; desa roles have no feed.
    let lain = Api::baru(&app, "kec.lain").await;
    assert!(
        lain.json("/api/v1/sinkronisasi").await["perubahan"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(a.get("/api/v1/sinkronisasi").await.status(), 403);
}

#[tokio::test]
async fn rekapitulasi_xlsx_dan_pdf() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let c = app.masuk_ok("kec").await;
    let r = c.get(app.url("/rekap.xlsx")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let isi = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(isi)).unwrap();
    let range = wb.worksheet_range("Rekapitulasi").unwrap();
    let baris = (0..range.height() as u32)
        .find(|r| range.get_value((*r, 2)) == Some(&Sel::String("Hauwai".into())))
        .expect("a row for Hauwai");
    let angka = |c: u32| match range.get_value((baris, c)) {
        Some(Sel::Float(f)) => *f as i64,
        v => panic!("{v:?}"),
    };
    // Kepala Desa, Sekretaris Desa, Kaur, Kasi, Kepala Dusun, Staf, Jumlah.
    assert_eq!(
        (angka(3), angka(4), angka(5), angka(6), angka(7), angka(8), angka(9)),
        (1, 1, 0, 0, 0, 1, 3)
    );
    assert_eq!(range.get_value((3, 11)), Some(&Sel::String("L".into())));
    assert_eq!((angka(11), angka(12)), (3, 0), "three men");
    let jumlah = (0..range.height() as u32)
        .find(|r| range.get_value((*r, 2)) == Some(&Sel::String("Jumlah".into())))
        .unwrap();
    assert_eq!(range.get_value((jumlah, 9)), Some(&Sel::Float(3.0)));

    let r = c.get(app.url("/rekap.pdf")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let t = crate::laporan::teks_pdf(&r.bytes().await.unwrap());
    for s in [
        "PEMERINTAH KABUPATEN BALANGAN",
        "KECAMATAN HALONG",
        "REKAPITULASI PERANGKAT DESA",
        "Camat Halong",
        "Hauwai",
        "Jumlah",
    ] {
        assert!(t.contains(s), "{s:?} missing from:\n{t}");
    }
    let op = app.masuk_ok("op.a").await;
    assert_eq!(op.get(app.url("/rekap.pdf")).send().await.unwrap().status(), 403);
}

/// Issue 14, point 15: Peringatan is filtered by desa and by kind, fifty to a page, and the
/// filter is kept from page to page.
#[tokio::test]
async fn peringatan_disaring_dan_berhalaman() {
    let app = spawn_app().await;
    let (a, b, _) = siapkan(&app).await;
    // 52 more staff in A whose NIK disagrees with the birth date; one in B.
    for i in 0..52u32 {
        let nik = format!("63110214039{:05}", 10 + i);
        let mut v = contoh(&nik, &format!("Staf Uji {i:02}"), "staf");
        v["tanggal_lahir"] = json!("1991-03-14");
        let id = a.buat(DESA_A, &v).await;
        a.simpan(id).await;
    }
    let mut v = contoh("6311021403900099", "Staf Desa Dua", "staf");
    v["tanggal_lahir"] = json!("1991-03-14");
    let id = b.buat(DESA_B, &v).await;
    b.simpan(id).await;
    let c = app.masuk_ok("kec").await;
    let baris = |html: &str| semua_teks(html, "tbody td[data-label=Nama] a");
    // Unfiltered: 54 warnings, 50 on the first page, 4 on the second.
    let html = app.html(&c, "/peringatan").await;
    assert_eq!(baris(&html).len(), 50, "{html}");
    assert!(html.contains("Halaman 1 dari 2"), "{html}");
    let html2 = app.html(&c, "/peringatan?halaman=2").await;
    assert_eq!(baris(&html2).len(), 4);
    // By desa: only B's.
    let html = app.html(&c, &format!("/peringatan?desa={DESA_B}")).await;
    assert_eq!(baris(&html), vec!["Staf Desa Dua".to_string()]);
    assert!(html.contains("1 dari 54 peringatan"), "{html}");
    // By kind, with the filter kept in the pages' links.
    let html = app.html(&c, "/peringatan?jenis=nik_tanggal_lahir").await;
    assert_eq!(baris(&html).len(), 50);
    assert!(html.contains("halaman=2&#38;jenis=nik_tanggal_lahir"), "{html}");
    assert!(html.contains("NIK tidak sesuai tanggal lahir (54)"), "{html}");
    let html = app.html(&c, "/peringatan?jenis=pendidikan").await;
    assert_eq!(baris(&html).len(), 50, "an unknown kind in scope is no filter");
    // Out-of-range and garbage pages are clamped, never an error.
    assert_eq!(baris(&app.html(&c, "/peringatan?halaman=99").await).len(), 4);
    assert_eq!(baris(&app.html(&c, "/peringatan?halaman=abc").await).len(), 50);
}

/// Issue 17: the kecamatan's settings have a page (they were only in the API): the office's
/// address, the Camat's name and NIP, the letter number's pattern and the date from which a
/// recommendation is required; wrong input named beside its field and nothing changed; other
/// roles refused.
#[tokio::test]
async fn pengaturan_kecamatan_di_halaman() {
    let app = spawn_app().await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let c = app.masuk_ok("kec").await;
    let dasbor = app.html(&c, "/dasbor").await;
    assert!(
        dasbor.contains(&format!("href=\"/kecamatan/{HALONG}/pengaturan\"")),
        "no link on the dashboard"
    );
    let jalur = format!("/kecamatan/{HALONG}/pengaturan");
    let html = app.html(&c, &jalur).await;
    assert!(html.contains("Pengaturan Kecamatan Halong"), "{html}");
    let csrf = ambil_csrf(&html);
    let kirim = async |nip: &str| {
        c.post(app.url(&jalur))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("alamat_kantor", "Jalan Ahmad Yani Km 1, Halong 71666"),
                ("nama_camat", "Drs. H. Rahmadi Noor, M.Si."),
                ("nip_camat", nip),
                ("pola_nomor_rekomendasi", "141/{nomor}/PEM/{tahun}"),
                ("rekomendasi_wajib_sejak", "1 Januari 2025"),
            ])
            .send()
            .await
            .unwrap()
    };
    let r = kirim("1975031420000310").await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        teks(&html, ".isian-galat .galat-isian")
            .unwrap_or_default()
            .contains("NIP"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Drs. H. Rahmadi Noor, M.Si.\""),
        "what was typed stays"
    );
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM kecamatan WHERE nama_camat <> ''")
            .await,
        0,
        "nothing changed"
    );
    let r = kirim("19750314 200003 1 002").await;
    assert_eq!(r.status(), 303);
    let html = app.html(&c, &jalur).await;
    assert!(html.contains("Pengaturan kecamatan tersimpan."), "{html}");
    assert!(html.contains("value=\"197503142000031002\""), "{html}");
    assert!(html.contains("value=\"01-01-2025\""), "{html}");
    let (nama, sejak): (String, String) = sipkatdes::read!(app.db, c => {
        sqlx::query_as("SELECT nama_camat, rekomendasi_wajib_sejak FROM kecamatan WHERE kode = $1")
            .bind(HALONG)
            .fetch_one(c)
            .await
            .unwrap()
    });
    assert_eq!(
        (nama.as_str(), sejak.as_str()),
        ("Drs. H. Rahmadi Noor, M.Si.", "2025-01-01")
    );
    // The operator may not.
    let op = app.masuk_ok("op.a").await;
    let r = op.get(app.url(&jalur)).send().await.unwrap();
    assert_eq!(r.status(), 403);
}
