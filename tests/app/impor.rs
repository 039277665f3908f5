//! Bulk import from XLSX/CSV: the template, the round trip from the export, messy sheets, every
//! refusal, and the web flow upload → preview → confirm. Nothing is written before the
//! confirmation; imported rows are drafts.

use std::io::Read;

use reqwest::multipart::{Form, Part};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::perangkat::{Api, contoh};
use sipkatdes::akun::{Akun, Peran};
use sipkatdes::error::AppError;
use sipkatdes::impor::{self, Pratinjau};

fn operator(desa: &str) -> Akun {
    Akun::dari_simpanan(
        sipkatdes::id::AkunId(1),
        "op".into(),
        String::new(),
        Peran::Operator.kode(),
        desa,
    )
    .unwrap()
}

fn hari() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

async fn periksa(app: &TestApp, isi: &[u8]) -> Result<Pratinjau, AppError> {
    impor::periksa_berkas(&app.db, &operator(DESA_A), DESA_A, isi, hari()).await
}

fn pesan(e: AppError) -> String {
    match e {
        AppError::Validasi(g) => g.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "),
        e => panic!("expected a validation error, got {e:?}"),
    }
}

async fn unggah(app: &TestApp, c: &reqwest::Client, nama: &str, isi: Vec<u8>) -> reqwest::Response {
    let csrf = app.csrf(c, &format!("/desa/{DESA_A}/impor")).await;
    let form = Form::new()
        .text("_csrf", csrf)
        .part("berkas", Part::bytes(isi).file_name(nama.to_string()));
    c.post(app.url(&format!("/desa/{DESA_A}/impor")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn templat_berisi_daftar_pilihan_teks_dan_contoh() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let c = app.masuk_ok("op.a").await;
    let r = c
        .get(app.url(&format!("/desa/{DESA_A}/impor/templat.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let isi = r.bytes().await.unwrap().to_vec();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(isi.clone())).unwrap();
    let mut lembar = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut lembar)
        .unwrap();
    assert!(lembar.contains("<dataValidation"), "drop-down lists");
    for daftar in ["Daftar!$A$2", "Daftar!$B$2", "Daftar!$C$2", "Daftar!$D$2"] {
        assert!(lembar.contains(daftar), "{daftar} missing");
    }
    let mut gaya = String::new();
    zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut gaya).unwrap();
    assert!(gaya.contains("formatCode=\"@\""), "text columns (NIK, NIP)");
    use calamine::Reader;
    let wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(isi.clone())).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Perangkat", "Daftar", "Petunjuk"]);
    // Every header of the template is recognised; the example row is skipped.
    let e = periksa(&app, &isi).await.unwrap_err();
    assert!(pesan(e).contains("tidak memuat baris data"));
    // The example row, without its CONTOH mark, is a valid entry.
    let csv = "Nama,Gelar Belakang,NIK,Jenis Kelamin,Tempat Lahir,Tanggal Lahir,Agama,Pendidikan Terakhir,Jabatan,Status Jabatan,Nomor SK Pengangkatan,Tanggal SK Pengangkatan,TMT\n\
               Ahmad Fauzi,S.Pd.,6311021403850001,L,Paringin,14-03-1985,Islam,S1,Kepala Urusan Keuangan,definitif,141/05/DESA/2020,02-01-2020,02-01-2020\n";
    let p = periksa(&app, csv.as_bytes()).await.unwrap();
    assert!(p.kolom_diabaikan.is_empty(), "{:?}", p.kolom_diabaikan);
    assert_eq!(p.siap(), 1, "{:?}", p.baris[0].galat);
    assert_eq!(p.baris[0].data.jabatan, "kaur_keuangan");
}

#[tokio::test]
async fn ekspor_lalu_impor_memberi_data_yang_sama() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let a = Api::baru(&app, "op.a").await;
    let mut ids = Vec::new();
    for (nik, nama, jab) in [
        ("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"),
        ("6311025406880002", "Siti Rahmah", "kasi_pelayanan"),
    ] {
        let mut v = contoh(nik, nama, jab);
        if jab == "kasi_pelayanan" {
            v["jenis_kelamin"] = json!("P");
            v["tanggal_lahir"] = json!("1988-06-14");
            v["pendidikan_terakhir"] = json!("D3");
            v["agama"] = json!("Katolik");
        }
        let id = a.buat(DESA_A, &v).await;
        a.simpan(id).await;
        ids.push(id);
    }
    let ekspor = a
        .get(&format!("/api/v1/ekspor/perangkat.xlsx?desa={DESA_A}"))
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let p = periksa(&app, &ekspor).await.unwrap();
    assert_eq!(p.baris.len(), 2);
    for id in &ids {
        let asli: Value = a.json(&format!("/api/v1/perangkat/{id}")).await;
        let b = p
            .baris
            .iter()
            .find(|b| b.data.nik == asli["nik"])
            .expect("the row of this NIK");
        let dibaca = serde_json::to_value(&b.data).unwrap();
        for f in [
            "nama",
            "nik",
            "jenis_kelamin",
            "tempat_lahir",
            "tanggal_lahir",
            "agama",
            "pendidikan_terakhir",
            "jabatan",
            "dusun",
            "status_jabatan",
            "nomor_sk_pengangkatan",
            "tanggal_sk_pengangkatan",
            "tmt",
        ] {
            assert_eq!(dibaca[f], asli[f], "{f} of {id}");
        }
        // Already in the register: flagged, not importable.
        assert!(
            b.galat.iter().any(|(f, m)| f == "nik" && m.contains("sudah terdaftar")),
            "{:?}",
            b.galat
        );
    }
}

/// Name, sex, NIK as text or as a number, place/date of birth, position, education.
type BarisUji = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<f64>,
    &'static str,
    &'static str,
    &'static str,
);

/// A sheet as desa keep them: a merged title, a blank row, the header on row 3 in their own order
/// with extra columns, Excel dates, "Tempat/Tgl Lahir" in one cell, a NIK that Excel turned into
/// a number, a duplicate NIK, blank rows between.
fn lembar_berantakan() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let tebal = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 9, "DAFTAR PERANGKAT DESA HAUWAI TAHUN 2025", &tebal)
        .unwrap();
    let kepala = [
        "No",
        "Nama Lengkap",
        "L/P",
        "NIK",
        "Tempat/Tgl Lahir",
        "Jabatan",
        "Pendidikan",
        "Agama",
        "Hobi",
        "No SK",
        "Tgl SK",
        "TMT",
    ];
    for (c, h) in kepala.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let tgl = Format::new().set_num_format("dd/mm/yyyy");
    let baris: [BarisUji; 4] = [
        (
            "Abdul Gani",
            "L",
            Some("6311021403700001"),
            None,
            "Paringin, 14-03-1970",
            "Pembakal",
            "SLTA",
        ),
        (
            "Nor Aini",
            "Perempuan",
            Some("6311025406880002"),
            None,
            "Halong, 14 Juni 1988",
            "Sekdes",
            "S1",
        ),
        (
            "Angka Excel",
            "L",
            None,
            Some(6311021403850003.0),
            "Paringin, 14-03-1985",
            "Kaur Keuangan",
            "SMA",
        ),
        (
            "Kembar",
            "L",
            Some("6311021403700001"),
            None,
            "Paringin, 14-03-1970",
            "Staf",
            "SMA",
        ),
    ];
    let mut r = 3;
    for (i, (nama, jk, nik, nik_angka, ttl, jab, pend)) in baris.iter().enumerate() {
        if i == 2 {
            r += 1; // a blank row between
        }
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *nama).unwrap();
        ws.write_string(r, 2, *jk).unwrap();
        match (nik, nik_angka) {
            (Some(n), _) => ws.write_string(r, 3, *n).unwrap(),
            (None, Some(f)) => ws.write_number(r, 3, *f).unwrap(),
            _ => unreachable!(),
        };
        ws.write_string(r, 4, *ttl).unwrap();
        ws.write_string(r, 5, *jab).unwrap();
        ws.write_string(r, 6, *pend).unwrap();
        ws.write_string(r, 7, "Islam").unwrap();
        ws.write_string(r, 8, "memancing").unwrap();
        ws.write_string(r, 9, "141/05/HAUWAI/2020").unwrap();
        let d = ExcelDateTime::from_ymd(2020, 1, 2).unwrap();
        ws.write_datetime_with_format(r, 10, &d, &tgl).unwrap();
        ws.write_datetime_with_format(r, 11, &d, &tgl).unwrap();
        r += 1;
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn lembar_berantakan_dibaca_dan_dilaporkan_per_baris() {
    let app = spawn_app().await;
    let p = periksa(&app, &lembar_berantakan()).await.unwrap();
    assert_eq!(p.baris.len(), 4, "the blank row is skipped");
    assert_eq!(p.kolom_diabaikan, vec!["No".to_string(), "Hobi".to_string()]);
    let b = &p.baris;
    assert!(b[0].bisa(), "{:?}", b[0].galat);
    assert_eq!(b[0].nomor, 4, "row numbers as Excel shows them");
    assert_eq!(b[0].data.jabatan, "kepala_desa", "the local title Pembakal");
    assert_eq!(b[0].data.pendidikan_terakhir, "SMA", "SLTA");
    assert_eq!(b[0].data.tempat_lahir, "Paringin");
    assert_eq!(b[0].data.tanggal_lahir, "1970-03-14");
    assert_eq!(b[0].data.tanggal_sk_pengangkatan, "2020-01-02", "an Excel date");
    assert!(b[1].bisa(), "{:?}", b[1].galat);
    assert_eq!(
        (b[1].data.jabatan.as_str(), b[1].data.jenis_kelamin.as_str()),
        ("sekretaris_desa", "P")
    );
    assert_eq!(b[1].data.tanggal_lahir, "1988-06-14");
    // NIK turned into a number by Excel: reported, not guessed.
    assert_eq!(b[2].nomor, 7);
    assert!(
        b[2].galat.iter().any(|(f, m)| f == "nik" && m.contains("angka")),
        "{:?}",
        b[2].galat
    );
    // The same NIK twice in the file.
    assert!(
        b[3].galat.iter().any(|(f, m)| f == "nik" && m.contains("baris 4")),
        "{:?}",
        b[3].galat
    );
    assert_eq!(p.siap(), 2);
    // A CSV with "6.31102E+15": reported too.
    let csv = "Nama;NIK;Jabatan\nSalah Angka;6.31102E+15;Staf\n";
    let p = periksa(&app, csv.as_bytes()).await.unwrap();
    assert!(
        p.baris[0]
            .galat
            .iter()
            .any(|(f, m)| f == "nik" && m.contains("6.31102E+15")),
        "{:?}",
        p.baris[0].galat
    );
}

/// A sheet that starts at C5, a 1904-system date, "Plt." in the position column, a dotted dusun
/// name; and one value far away (XFD1048576) that must not make the reader allocate the sheet.
#[tokio::test]
async fn lembar_bergeser_plt_dan_sel_jauh() {
    let app = spawn_app().await;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Nama", "NIK", "Jabatan", "Jenis Kelamin"].iter().enumerate() {
        ws.write_string(4, 2 + c as u16, *h).unwrap();
    }
    let data = [
        ["Rahmat Hidayat", "6311021403800002", "Plt. Sekretaris Desa", "L"],
        ["Jumadi", "6311021403800003", "Kadus Sei. Tabuk", "L"],
    ];
    for (r, row) in data.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(5 + r as u32, 2 + c as u16, *v).unwrap();
        }
    }
    ws.write_string(1_048_575, 16_383, "jauh").unwrap();
    let isi = wb.save_to_buffer().unwrap();
    let p = periksa(&app, &isi).await;
    let e = p.unwrap_err();
    assert!(
        pesan(e).contains("lebih dari"),
        "a far-away cell is refused by the row limit, not read densely"
    );
    // Without the far cell: read from C5.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Nama", "NIK", "Jabatan", "Jenis Kelamin"].iter().enumerate() {
        ws.write_string(4, 2 + c as u16, *h).unwrap();
    }
    for (r, row) in data.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(5 + r as u32, 2 + c as u16, *v).unwrap();
        }
    }
    let p = periksa(&app, &wb.save_to_buffer().unwrap()).await.unwrap();
    assert_eq!(p.baris.len(), 2);
    assert_eq!(p.baris[0].nomor, 6);
    assert_eq!(
        (
            p.baris[0].data.jabatan.as_str(),
            p.baris[0].data.status_jabatan.as_str()
        ),
        ("sekretaris_desa", "plt")
    );
    assert_eq!(p.baris[1].data.dusun, "Dusun Sei. Tabuk");
}

#[tokio::test]
async fn berkas_yang_ditolak_tidak_mengubah_apa_pun() {
    let app = spawn_app_dengan(|c| c.batas_unggah = 64 * 1024).await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let c = app.masuk_ok("op.a").await;
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(2048, 0);
    let mut zip_rusak = b"PK\x03\x04".to_vec();
    zip_rusak.extend_from_slice(&[7u8; 300]);
    // A zip bomb: 80 MB of shared strings in a few kilobytes.
    let bom = {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        let opsi = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", opsi).unwrap();
        std::io::Write::write_all(&mut z, b"<Types/>").unwrap();
        z.start_file("xl/sharedStrings.xml", opsi).unwrap();
        let nol = vec![b' '; 1024 * 1024];
        for _ in 0..80 {
            std::io::Write::write_all(&mut z, &nol).unwrap();
        }
        z.finish().unwrap();
        out.into_inner()
    };
    assert!(bom.len() < 128 * 1024, "{}", bom.len());
    let galat = pesan(periksa(&app, &bom).await.unwrap_err());
    assert!(galat.contains("terlalu besar setelah dibuka"), "{galat}");
    for (nama, isi, kata) in [
        ("kosong.csv", Vec::new(), "kosong"),
        ("sandi.xlsx", ole, "kata sandi"),
        ("rusak.xlsx", zip_rusak, "rusak"),
        (
            "gambar.csv",
            b"\x89PNG\r\n\x1a\n\0\0\0".to_vec(),
            "gambar, bukan lembar kerja",
        ),
        // An SK given as the spreadsheet (issue 14, point 14): its text layer is valid UTF-8.
        ("sk.xlsx", crate::perangkat::pdf_sk(), "PDF, bukan lembar kerja"),
        ("biner.csv", vec![0xC3, 0x28, 0xFF, 0xFE], "bukan XLSX"),
        ("tanpa-judul.csv", b"a,b,c\n1,2,3\n".to_vec(), "judul kolom"),
        ("hanya-judul.csv", b"Nama,NIK\n".to_vec(), "tidak memuat baris data"),
    ] {
        let r = unggah(&app, &c, nama, isi).await;
        assert_eq!(r.status(), 422, "{nama}");
        let html = r.text().await.unwrap();
        assert!(teks(&html, "#galat-berkas").unwrap().contains(kata), "{nama}: {html}");
    }
    // Over the upload limit: the page again with the limit beside the file's field (issue 14,
    // point 2), not a bare 413 page.
    let r = unggah(&app, &c, "besar.csv", vec![b'a'; 200 * 1024]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        teks(&html, "#galat-berkas")
            .unwrap()
            .contains("Berkas terlalu besar: paling besar"),
        "{html}"
    );
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 0);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM impor").await, 0);
}

#[tokio::test]
async fn unggah_pratinjau_konfirmasi_menjadi_draf() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    let c = app.masuk_ok("op.a").await;
    let r = unggah(&app, &c, "perangkat.xlsx", lembar_berantakan()).await;
    assert_eq!(r.status(), 303);
    let pratinjau = r.headers()["location"].to_str().unwrap().to_string();
    assert!(pratinjau.starts_with(&format!("/desa/{DESA_A}/impor/")), "{pratinjau}");
    // Nothing written yet.
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 0);
    let html = app.html(&c, &pratinjau).await;
    assert!(
        html.contains("2 siap diimpor") && html.contains("Abdul Gani") && html.contains("Angka Excel"),
        "{html}"
    );
    assert_eq!(semua_teks(&html, "input[type=checkbox][checked]").len(), 2);
    assert_eq!(semua_teks(&html, "input[type=checkbox][disabled]").len(), 2);
    // Another operator of the same desa does not get this preview either.
    app.pengguna("op.a2", "operator", DESA_A).await;
    let a2 = app.masuk_ok("op.a2").await;
    assert_eq!(a2.get(app.url(&pratinjau)).send().await.unwrap().status(), 404);
    // Another operator does not get the preview; the kecamatan does not import.
    let b = app.masuk_ok("op.b").await;
    assert_ne!(b.get(app.url(&pratinjau)).send().await.unwrap().status(), 200);
    let k = app.masuk_ok("kec").await;
    assert_eq!(
        k.get(app.url(&format!("/desa/{DESA_A}/impor")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // Confirm one good row and, in vain, a row with an error.
    let csrf = app.csrf(&c, &pratinjau).await;
    let r = c
        .post(app.url(&pratinjau))
        .form(&[("_csrf", csrf.as_str()), ("baris_4", "ya"), ("baris_7", "ya")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let n: Vec<(String, String)> = sipkatdes::read!(app.db, c => {
        sqlx::query_as("SELECT nama, status FROM perangkat ORDER BY id").fetch_all(c).await.unwrap()
    });
    assert_eq!(
        n,
        vec![("Abdul Gani".to_string(), "draft".to_string())],
        "a draft: SK and check still to come"
    );
    let html = app.html(&c, &format!("/desa/{DESA_A}")).await;
    assert!(html.contains("1 perangkat diimpor sebagai draf"), "{html}");
    // The preview is used up: a second click imports nothing twice.
    assert_ne!(c.get(app.url(&pratinjau)).send().await.unwrap().status(), 200);
    let r = c
        .post(app.url(&pratinjau))
        .form(&[("_csrf", csrf.as_str()), ("baris_4", "ya")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 1);
}

/// Issue 15, point 4: control characters in cells (a NUL, a vertical tab) are removed before
/// the preview, so nothing PostgreSQL would refuse reaches the register.
#[tokio::test]
async fn karakter_kendali_dalam_sel_dibuang() {
    let app = spawn_app().await;
    let csv = "Nama Lengkap,L/P,NIK,Tempat/Tgl Lahir,Jabatan,Pendidikan,Agama,No SK,Tgl SK,TMT\n\
               Ahmad\u{7f} Fauzi\u{b},L,6311021403850001,\"Paringin, 14-03-1985\",Kaur Keuangan,SMA,Islam,141/05\u{1b}/2020,02-01-2020,02-01-2020\n";
    // A NUL makes it no text file at all: refused with a message, never a 5xx.
    let e = periksa(&app, csv.replace('\u{7f}', "\u{0}").as_bytes())
        .await
        .unwrap_err();
    assert!(pesan(e).contains("CSV"));
    let p = periksa(&app, csv.as_bytes()).await.unwrap();
    assert_eq!(p.baris.len(), 1);
    let b = &p.baris[0];
    assert_eq!(b.data.nama, "Ahmad Fauzi");
    assert_eq!(b.data.nomor_sk_pengangkatan, "141/05/2020");
    assert!(b.galat.is_empty(), "{:?}", b.galat);
    let ids = impor::impor(
        &app.db,
        &operator(DESA_A),
        DESA_A,
        &p,
        &[b.nomor],
        sipkatdes::perangkat::Saat {
            hari_ini: hari(),
            sekarang: sipkatdes::waktu::unix_now(),
        },
    )
    .await;
    let h = ids.unwrap();
    assert_eq!(h.dibuat.len(), 1, "{:?}", h.gagal);
}
