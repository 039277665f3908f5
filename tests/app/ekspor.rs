//! Exports of the register: XLSX and CSV, saved data only, scoped, audited, formula-safe.

use std::io::{Cursor, Read};

use calamine::{Data as Sel, Reader, Xlsx};
use serde_json::json;

use crate::helpers::*;
use crate::perangkat::{Api, contoh};

async fn siapkan(app: &TestApp) {
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    let a = Api::baru(app, "op.a").await;
    let mut v = contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan");
    v["nomor_hp"] = json!("+6281234567890");
    let id = a.buat(DESA_A, &v).await;
    a.simpan(id).await;
    // A hostile name: a spreadsheet must never run it.
    let id = a
        .buat(
            DESA_A,
            &contoh(
                "6311021403860001",
                "=HYPERLINK(\"http://x\",\"klik\")",
                "kaur_perencanaan",
            ),
        )
        .await;
    a.simpan(id).await;
    // A draft: not part of the register, not exported.
    a.buat(DESA_A, &contoh("6311021403870001", "Masih Draf", "kasi_pelayanan"))
        .await;
    let b = Api::baru(app, "op.b").await;
    let id = b
        .buat(DESA_B, &contoh("6311021403880001", "Dewi Anggraini", "kaur_keuangan"))
        .await;
    b.simpan(id).await;
}

#[tokio::test]
async fn xlsx_desa_teks_nik_tanggal_dan_baris_judul_beku() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let r = a.get(&format!("/api/v1/ekspor/perangkat.xlsx?desa={DESA_A}")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"perangkat-desa-hauwai.xlsx\""
    );
    let isi = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(isi.clone())).unwrap();
    let range = wb.worksheet_range("Perangkat Desa").unwrap();
    assert_eq!(
        range.height(),
        3,
        "header + 2 saved officials (the draft is not exported)"
    );
    assert_eq!(range.get_value((0, 6)), Some(&Sel::String("NIK".into())));
    let nama: Vec<String> = (1..3).map(|r| range.get_value((r, 3)).unwrap().to_string()).collect();
    assert!(nama.contains(&"Ahmad Fauzi".to_string()));
    let baris = (1..3)
        .find(|r| *range.get_value((*r, 3)).unwrap() == "Ahmad Fauzi")
        .unwrap();
    // NIK as text, all 16 digits; the phone number as text too.
    assert_eq!(
        range.get_value((baris, 6)),
        Some(&Sel::String("6311021403850001".into()))
    );
    assert_eq!(
        range.get_value((baris, 29)),
        Some(&Sel::String("+6281234567890".into()))
    );
    assert_eq!(
        range.get_value((baris, 15)),
        Some(&Sel::String("Kepala Urusan Keuangan".into()))
    );
    // Dates are dates.
    assert!(
        matches!(range.get_value((baris, 11)), Some(Sel::DateTime(_))),
        "{:?}",
        range.get_value((baris, 11))
    );
    // The sheet: frozen header row, column widths, no formula anywhere.
    let mut zip = zip::ZipArchive::new(Cursor::new(isi)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("state=\"frozen\""), "header row not frozen");
    assert!(xml.contains("<col ") && xml.contains("customWidth=\"1\""));
    assert!(!xml.contains("<f>"), "a formula was written");
    let mut gaya = String::new();
    zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut gaya).unwrap();
    assert!(gaya.contains("<b/>"), "header not bold");
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'ekspor_perangkat'")
            .await,
        1
    );
}

#[tokio::test]
async fn csv_kecamatan_semua_desa_tanpa_rumus() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let kec = Api::baru(&app, "kec").await;
    let r = kec.get("/api/v1/ekspor/perangkat.csv").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let teks = r.text().await.unwrap();
    let baris: Vec<&str> = teks.trim_end().split("\r\n").collect();
    assert_eq!(baris.len(), 4, "header + 3 saved officials in two desa: {teks}");
    assert!(baris[0].starts_with("No,Kode Desa,Desa,Nama,"));
    assert!(teks.contains("Dewi Anggraini") && teks.contains("Ahmad Fauzi") && !teks.contains("Masih Draf"));
    assert!(
        teks.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\""),
        "{teks}"
    );
    // A phone number is not a formula; it stays as it is.
    assert!(teks.contains(",+6281234567890"));
    assert!(teks.contains(",6311021403850001,") && teks.contains(",1985-03-14,"));
}

#[tokio::test]
async fn ekspor_di_luar_cakupan_404_dan_operator_hanya_desanya() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    assert_eq!(
        a.get(&format!("/api/v1/ekspor/perangkat.csv?desa={DESA_B}"))
            .await
            .status(),
        404
    );
    // Without a desa: the operator's whole scope, which is its own desa.
    let r = a.get("/api/v1/ekspor/perangkat.csv").await;
    assert_eq!(r.status(), 200);
    let teks = r.text().await.unwrap();
    assert!(teks.contains("Ahmad Fauzi") && !teks.contains("Dewi Anggraini"));
    // A region outside the scope: 404; the kecamatan may narrow to its kecamatan, never widen.
    assert_eq!(a.get("/api/v1/ekspor/perangkat.csv?desa=63.11.01").await.status(), 404);
    let kec = Api::baru(&app, "kec").await;
    assert_eq!(
        kec.get("/api/v1/ekspor/perangkat.csv?desa=63.11.02").await.status(),
        200
    );
    let luas = kec
        .get("/api/v1/ekspor/perangkat.csv?desa=63")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        luas.contains("Dewi Anggraini"),
        "a wider code means the user's own scope"
    );
    assert_eq!(kec.get("/api/v1/ekspor/perangkat.csv?desa=salah").await.status(), 422);
    assert_eq!(
        reqwest::get(app.url("/api/v1/ekspor/perangkat.csv"))
            .await
            .unwrap()
            .status(),
        401
    );
    // The web download needs a session and gives the same file.
    let c = app.masuk_ok("op.a").await;
    let r = c
        .get(app.url(&format!("/ekspor/perangkat.xlsx?desa={DESA_A}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        app.klien()
            .get(app.url("/ekspor/perangkat.xlsx"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    let html = c
        .get(app.url(&format!("/desa/{DESA_A}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("href=\"/ekspor/perangkat.xlsx?desa={DESA_A}\"")));
}

#[tokio::test]
async fn revisi_yang_belum_diperiksa_tidak_ikut_diekspor() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let l = a.json(&format!("/api/v1/desa/{DESA_A}/perangkat?cari=fauzi")).await;
    let id = l["data"][0]["id"].as_i64().unwrap();
    let mut v = contoh("6311021403850001", "Ahmad Fauzi Revisi", "kaur_keuangan");
    v["versi"] = l["data"][0]["versi"].clone();
    assert_eq!(a.put(&format!("/api/v1/perangkat/{id}"), &v).await.status(), 200);
    for u in ["op.a", "kec"] {
        let teks = Api::baru(&app, u)
            .await
            .get("/api/v1/ekspor/perangkat.csv")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            teks.contains("Ahmad Fauzi,") && !teks.contains("Ahmad Fauzi Revisi"),
            "{u}: {teks}"
        );
    }
}
