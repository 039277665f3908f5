//! Hostile strings in every free-text field (issue 7), then every page, PDF, XLSX and CSV that
//! shows them: nothing executes (checked by parsing the HTML), no spreadsheet formula is
//! created, the PDF has no active content, and SQL stays SQL (every query is parameterised).

use serde_json::{Value, json};

use crate::helpers::*;
use crate::perangkat::{Api, contoh};

const JAHAT: &[&str] = &[
    "<script>alert('xss')</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "=HYPERLINK(\"http://evil.example\",\"klik\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "'; DROP TABLE perangkat; --",
    "\" OR \"1\"=\"1",
    "{{7*7}} ${7*7} #panic(\"typst\") #set page(width: 1pt)",
    "\u{202E}gnp.exe \u{0000}nul",
];

/// Free-text fields of a record.
const ISIAN: &[&str] = &[
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "tempat_lahir",
    "pangkat_golongan",
    "alamat",
    "keterangan",
    "nomor_sk_pengangkatan",
];

/// Checks that nothing in the page can run: scripts only from /aset/, no event-handler
/// attributes, no `javascript:` address.
fn tanpa_skrip(html: &str, apa: &str) {
    let doc = scraper::Html::parse_document(html);
    let semua = scraper::Selector::parse("*").unwrap();
    for el in doc.select(&semua) {
        let v = el.value();
        if v.name() == "script" {
            let src = v.attr("src").unwrap_or_else(|| panic!("{apa}: inline <script>"));
            assert!(src.starts_with("/aset/"), "{apa}: script from {src}");
        }
        for (nama, nilai) in v.attrs() {
            assert!(
                !nama.to_ascii_lowercase().starts_with("on"),
                "{apa}: <{} {nama}=…>",
                v.name()
            );
            if matches!(nama, "href" | "src" | "action" | "formaction" | "data" | "xlink:href") {
                let n = nilai.trim().to_ascii_lowercase();
                assert!(
                    !n.starts_with("javascript:") && !n.starts_with("data:text"),
                    "{apa}: {nama}={nilai}"
                );
            }
        }
        assert!(
            !matches!(v.name(), "iframe" | "object" | "embed") || v.attr("src").is_some_and(|s| s.starts_with('/'))
        );
    }
}

/// Creates a record with `s` in every field that accepts it; returns the id and the fields
/// that took it (a field may refuse it with a message naming the field, which is fine).
async fn buat_jahat(api: &Api<'_>, i: usize, s: &str) -> (i64, Vec<&'static str>) {
    let nik = format!("631102140385{:04}", 100 + i);
    let mut body = contoh(&nik, "Nama Sementara", "kaur_keuangan");
    let mut diterima: Vec<&'static str> = ISIAN.to_vec();
    loop {
        for f in ISIAN {
            body[*f] = if diterima.contains(f) {
                json!(s)
            } else {
                let asli = &contoh(&nik, "Nama Sementara", "")[*f];
                if asli.is_null() { json!("") } else { asli.clone() }
            };
        }
        if !diterima.contains(&"nama") {
            body["nama"] = json!(format!("Nama Aman {i}"));
        }
        let r = api.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &body).await;
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap();
        match status {
            201 => return (v["id"].as_i64().unwrap(), diterima),
            // 422: a rule of the field; 400: a control character (issue 15, point 4). Both name it.
            400 | 422 => {
                let field = v["error"]["field"].as_object().unwrap();
                assert!(!field.is_empty(), "422 without naming a field: {v}");
                let sebelum = diterima.len();
                diterima.retain(|f| !field.contains_key(*f));
                assert!(diterima.len() < sebelum, "refused for another field: {v}");
            }
            s => panic!("{s}: {v}"),
        }
    }
}

#[tokio::test]
async fn string_jahat_tidak_pernah_dijalankan_di_halaman_pdf_xlsx_csv() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    let api = Api::baru(&app, "op.a").await;
    let mut rekaman = Vec::new();
    let mut tampil = 0;
    for (i, s) in JAHAT.iter().enumerate() {
        let (id, diterima) = buat_jahat(&api, i, s).await;
        api.simpan(id).await;
        if diterima.contains(&"nama") {
            tampil += 1;
        }
        rekaman.push((id, *s, diterima));
    }
    // Most hostile strings are ordinary text to the register: shown, as text.
    assert!(
        tampil >= 5,
        "only {tampil} hostile names accepted: the test would prove little"
    );
    let op = app.masuk_ok("op.a").await;
    let kec = app.masuk_ok("kec").await;
    let mut halaman = vec![
        (&op, format!("/desa/{DESA_A}")),
        (&kec, "/dasbor".to_string()),
        (&kec, "/peringatan".to_string()),
        (&kec, format!("/desa/{DESA_A}")),
    ];
    for (id, _, _) in &rekaman {
        for p in ["", "/riwayat", "/ubah", "/berhenti", "/mutasi"] {
            halaman.push((&op, format!("/perangkat/{id}{p}")));
        }
        halaman.push((&kec, format!("/perangkat/{id}")));
    }
    for (c, p) in &halaman {
        let r = c.get(app.url(p)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{p}");
        let html = r.text().await.unwrap();
        tanpa_skrip(&html, p);
    }
    // Shown as text where it was accepted (escaped, not dropped).
    for (id, s, diterima) in &rekaman {
        if diterima.contains(&"nama") && !s.contains('\u{0}') {
            let html = app.html(&op, &format!("/perangkat/{id}")).await;
            let doc = scraper::Html::parse_document(&html);
            let teks: String = doc.root_element().text().collect();
            assert!(teks.contains(s.trim()), "{s:?} not shown as text on /perangkat/{id}");
        }
    }
    // The Buku Aparat: rendered with every string (data reach typst as JSON, never as markup),
    // and the PDF passes the upload checks for active content.
    let r = op
        .get(app.url(&format!("/desa/{DESA_A}/buku-aparat.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let pdf = r.bytes().await.unwrap();
    assert_eq!(sipkatdes::dokumen::periksa(&pdf), Ok(sipkatdes::dokumen::Jenis::Pdf));
    // The recap PDF, too.
    let r = kec.get(app.url("/rekap.pdf")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        sipkatdes::dokumen::periksa(&r.bytes().await.unwrap()),
        Ok(sipkatdes::dokumen::Jenis::Pdf)
    );
    // XLSX: no formula anywhere; the strings are there as text.
    for p in ["/ekspor/perangkat.xlsx", "/rekap.xlsx"] {
        let c = if p == "/rekap.xlsx" { &kec } else { &op };
        let r = c.get(app.url(p)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{p}");
        let b = r.bytes().await.unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(b.to_vec())).unwrap();
        let mut semua_xml = String::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let nama_f = f.name().unwrap().to_string();
            if nama_f.ends_with(".xml") {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut f, &mut s).unwrap();
                if nama_f.starts_with("xl/worksheets/") {
                    assert!(!s.contains("<f>") && !s.contains("<f "), "{p}: formula in {nama_f}");
                }
                semua_xml.push_str(&s);
            }
        }
        if p == "/ekspor/perangkat.xlsx" {
            assert!(
                semua_xml.contains("=HYPERLINK(&quot;http://evil.example&quot;")
                    || semua_xml.contains("=HYPERLINK(\"http://evil.example\""),
                "{p}: text missing"
            );
        }
    }
    // CSV: every cell a spreadsheet would take for a formula starts with an apostrophe.
    let csv = app.html(&op, "/ekspor/perangkat.csv").await;
    for (_, s, diterima) in &rekaman {
        if diterima.contains(&"nama") && matches!(s.chars().next(), Some('=' | '+' | '-' | '@')) {
            let tanpa_kutip = s.replace('"', "\"\"");
            assert!(
                csv.contains(&format!("'{tanpa_kutip}")),
                "CSV cell {s:?} is not neutralised"
            );
            for baris in csv.lines() {
                for awal in [format!(",{s}"), format!(",\"{tanpa_kutip}")] {
                    assert!(!baris.contains(&awal), "formula cell in CSV: {baris}");
                }
            }
        }
    }
}

#[tokio::test]
async fn pencarian_dengan_sql_tetap_data_dan_tetap_dalam_cakupan() {
    let app = spawn_app_penuh(&[HALONG, "63.11.01"], |_| {}).await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    let api = Api::baru(&app, "op.a").await;
    let id = api
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    api.simpan(id).await;
    let kec = Api::baru(&app, "kec").await;
    for q in [
        "'; DROP TABLE perangkat; --",
        "%' OR '1'='1",
        "\" OR 1=1 --",
        "%",
        "_",
        "\\",
        "1) UNION SELECT username, password_hash FROM pengguna --",
        "6311021403850001' --",
    ] {
        for a in [&api, &kec] {
            let r = a.get(&format!("/api/v1/perangkat?cari={}", urlencoding(q))).await;
            assert_eq!(r.status(), 200, "{q}");
            let v: Value = r.json().await.unwrap();
            let teks = v.to_string();
            assert!(!teks.contains("argon2"), "{q}: {teks}");
            assert!(!teks.contains("63.11.01."), "{q}: another kecamatan in {teks}");
        }
    }
    // The tables are all still there, and the record too.
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 1);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM pengguna").await, 3);
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
