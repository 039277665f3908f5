//! Daily use (issue 14): what an operator hits on the pages, tried as a new user would.

use reqwest::multipart::{Form, Part};

use crate::helpers::*;
use crate::perangkat::{Api, contoh, pdf_sk};

const BATAS: usize = 256 * 1024;

fn isian() -> Vec<(&'static str, &'static str)> {
    vec![
        ("nama", "Siti Rahmah"),
        ("nik", "6311025403900002"),
        ("jenis_kelamin", "P"),
        ("tempat_lahir", "Halong"),
        ("tanggal_lahir", "1990-03-14"),
        ("agama", "Islam"),
        ("pendidikan_terakhir", "S1"),
        ("jabatan", "kaur_perencanaan"),
        ("status_jabatan", "definitif"),
        ("nomor_sk_pengangkatan", "141/07/HAUWAI/2021"),
        ("tanggal_sk_pengangkatan", "2021-04-01"),
        ("tmt", "2021-04-01"),
    ]
}

/// The operator of desa A, one draft of theirs, and their logged-in page client.
async fn satu_draf(app: &TestApp) -> (Api<'_>, i64, reqwest::Client) {
    app.pengguna("op.a", "operator", DESA_A).await;
    let api = Api::baru(app, "op.a").await;
    let id = api
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    let c = app.masuk_ok("op.a").await;
    (api, id, c)
}

/// The one-time message box of a page: its class and its text.
fn kotak_pesan(html: &str) -> Option<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("main > .pesan").unwrap();
    doc.select(&sel).next().map(|e| {
        let kelas = e.value().attr("class").unwrap_or("").to_string();
        (kelas, e.text().collect::<String>())
    })
}

/// Point 2: a scan over the size limit sent with the new-entry form keeps the entry (a draft,
/// everything typed) and refuses only the file, saying the limit and how to make it smaller.
#[tokio::test]
async fn sk_terlalu_besar_di_formulir_draf_tetap_tersimpan() {
    let app = spawn_app_dengan(|c| c.batas_unggah = BATAS).await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let c = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&c, &format!("/desa/{DESA_A}/perangkat/baru")).await;
    let mut besar = pdf_sk();
    besar.resize(BATAS * 2, b' ');
    // The file comes first, as in the page's own order of fields: what follows it is read too.
    let mut form = Form::new()
        .text("_csrf", csrf)
        .part("berkas", Part::bytes(besar).file_name("SK hasil pindai.pdf"));
    for (k, v) in isian() {
        form = form.text(k, v);
    }
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/perangkat")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let ke = r.headers()["location"].to_str().unwrap().to_string();
    assert!(ke.starts_with("/perangkat/"), "{ke}");
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 1);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM dokumen").await, 0);
    let html = app.html(&c, &ke).await;
    let (kelas, teks) = kotak_pesan(&html).expect("a message");
    assert!(kelas.contains("pesan-peringatan"), "{kelas}: {teks}");
    assert!(teks.contains("Draf data Siti Rahmah tersimpan."), "{teks}");
    assert!(teks.contains("Berkas terlalu besar: paling besar 256 KB."), "{teks}");
    assert!(teks.contains("150–200 dpi"), "{teks}");
    assert!(html.contains("141/07/HAUWAI/2021"), "what was typed is kept");
}

/// Point 2 with other errors: the size is said beside the file's field too.
#[tokio::test]
async fn sk_terlalu_besar_dan_isian_salah_keduanya_disebut() {
    let app = spawn_app_dengan(|c| c.batas_unggah = BATAS).await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let c = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&c, &format!("/desa/{DESA_A}/perangkat/baru")).await;
    let mut besar = pdf_sk();
    besar.resize(BATAS * 2, b' ');
    let mut form = Form::new()
        .text("_csrf", csrf)
        .part("berkas", Part::bytes(besar).file_name("sk.pdf"));
    for (k, v) in isian() {
        form = form.text(k, if k == "nik" { "123" } else { v });
    }
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/perangkat")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("NIK harus 16 digit"), "{html}");
    assert!(html.contains("Berkas terlalu besar: paling besar 256 KB."), "{html}");
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 0);
}

/// Point 2 on the record page, and point 6: a refused upload is an error (red, never the
/// green box of a success), and from Pemeriksaan the user stays on Pemeriksaan.
#[tokio::test]
async fn unggahan_ditolak_merah_dan_tetap_di_pemeriksaan() {
    let app = spawn_app_dengan(|c| c.batas_unggah = BATAS).await;
    let (_api, id, c) = satu_draf(&app).await;
    let csrf = app.csrf(&c, &format!("/perangkat/{id}/pemeriksaan")).await;
    let mut besar = pdf_sk();
    besar.resize(BATAS + 10, b' ');
    let kirim = |isi: Vec<u8>, nama: &'static str, lanjut: &'static str| {
        let form = Form::new()
            .text("_csrf", csrf.clone())
            .text("jenis", "sk_pengangkatan")
            .text("lanjut", lanjut)
            .part("berkas", Part::bytes(isi).file_name(nama));
        c.post(app.url(&format!("/perangkat/{id}/dokumen")))
            .multipart(form)
            .send()
    };
    for (isi, nama, status, kata) in [
        (besar.clone(), "sk.pdf", 413u16, "Berkas terlalu besar"),
        (
            b"<html><script>1</script></html>".to_vec(),
            "sk.pdf",
            415,
            "Dokumen tidak diterima",
        ),
    ] {
        let r = kirim(isi, nama, "periksa").await.unwrap();
        assert_eq!(r.status(), 303, "{nama}");
        assert_eq!(r.headers()["x-sipkatdes-status"], status.to_string().as_str());
        let ke = r.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(ke, format!("/perangkat/{id}/pemeriksaan"), "stays on Pemeriksaan");
        let html = app.html(&c, &ke).await;
        let (kelas, teks) = kotak_pesan(&html).expect("a message");
        assert!(kelas.contains("pesan-galat"), "{kelas}: {teks}");
        assert!(teks.contains(kata), "{teks}");
    }
    // Without Pemeriksaan: back on the record page, red as well.
    let r = kirim(besar, "sk.pdf", "").await.unwrap();
    let ke = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(ke, format!("/perangkat/{id}"));
    let (kelas, _) = kotak_pesan(&app.html(&c, &ke).await).expect("a message");
    assert!(kelas.contains("pesan-galat"), "{kelas}");
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM dokumen").await, 0);
    // A success is green, and shown once.
    let r = kirim(pdf_sk(), "sk.pdf", "periksa").await.unwrap();
    let ke = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(ke, format!("/perangkat/{id}/pemeriksaan"));
    let (kelas, teks) = kotak_pesan(&app.html(&c, &ke).await).expect("a message");
    assert!(kelas.contains("pesan-sukses"), "{kelas}: {teks}");
    assert_eq!(kotak_pesan(&app.html(&c, &ke).await), None, "shown once");
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM dokumen").await, 1);
}

/// A file far over any limit is still refused by the body limit (nothing is read into
/// memory beyond it).
#[tokio::test]
async fn badan_di_atas_batas_form_ditolak() {
    let app = spawn_app_dengan(|c| c.batas_unggah = BATAS).await;
    let (_api, id, c) = satu_draf(&app).await;
    let csrf = app.csrf(&c, &format!("/perangkat/{id}")).await;
    let form = Form::new()
        .text("_csrf", csrf)
        .text("jenis", "sk_pengangkatan")
        .part("berkas", Part::bytes(vec![b' '; BATAS * 5]).file_name("sk.pdf"));
    let r = c
        .post(app.url(&format!("/perangkat/{id}/dokumen")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM dokumen").await, 0);
}

/// The ids the page's summary links to, and whether each is an element of the page, in the
/// order of the summary; and the position in the page of every element with an id.
fn tautan_ringkasan(html: &str) -> (Vec<String>, Vec<String>) {
    let doc = scraper::Html::parse_document(html);
    let a = scraper::Selector::parse(".pesan-galat ul a").unwrap();
    let id = scraper::Selector::parse("[id]").unwrap();
    let tautan = doc
        .select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(|h| h.trim_start_matches('#').to_string())
        .collect();
    let semua = doc
        .select(&id)
        .filter_map(|e| e.value().attr("id"))
        .map(String::from)
        .collect();
    (tautan, semua)
}

/// Point 10: the error summary lists the fields in the order of the form, each linking to its
/// field on the page.
#[tokio::test]
async fn ringkasan_galat_menurut_urutan_isian() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let c = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&c, &format!("/desa/{DESA_A}/perangkat/baru")).await;
    // Wrong at the top, the middle and the bottom of the form (the rules check the dates
    // and the SK before the identity).
    let mut form = Form::new().text("_csrf", csrf).text("lanjut", "draf");
    for (k, v) in isian() {
        let v = match k {
            "nik" => "12345",
            "tmt" => "2021-13-45",
            "nomor_hp" => "telepon",
            "nama" => "",
            _ => v,
        };
        form = form.text(k, v);
    }
    form = form.text("nomor_hp", "bukan nomor").text("tanggal_lahir", "1890-01-01");
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/perangkat")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    let (tautan, semua) = tautan_ringkasan(&html);
    assert!(tautan.len() >= 4, "{tautan:?}");
    let letak: Vec<usize> = tautan
        .iter()
        .map(|t| {
            semua
                .iter()
                .position(|i| i == t)
                .unwrap_or_else(|| panic!("a dead link: #{t}"))
        })
        .collect();
    assert!(
        letak.windows(2).all(|w| w[0] < w[1]),
        "{tautan:?} against the page's order"
    );
    assert_eq!(tautan.first().map(String::as_str), Some("nama"));
}

/// Point 9: two tabs. The second save finds the record changed: it shows what is saved now
/// beside what was typed, keeps the typing, and no dead link; sending it again is a choice.
#[tokio::test]
async fn konflik_dua_tab_menunjukkan_yang_tersimpan_dan_yang_diketik() {
    let app = spawn_app().await;
    let (api, id, c) = satu_draf(&app).await;
    let halaman = app.html(&c, &format!("/perangkat/{id}/ubah")).await;
    let csrf = ambil_csrf(&halaman);
    let versi_lama = {
        let doc = scraper::Html::parse_document(&halaman);
        let s = scraper::Selector::parse("input[name=versi]").unwrap();
        doc.select(&s)
            .next()
            .unwrap()
            .value()
            .attr("value")
            .unwrap()
            .to_string()
    };
    // The other tab: the place of birth changes.
    let mut d = api.json(&format!("/api/v1/perangkat/{id}")).await;
    d["tempat_lahir"] = "Paringin".into();
    let r = api.put(&format!("/api/v1/perangkat/{id}"), &d).await;
    assert_eq!(r.status(), 200);
    // This tab: the name, on the old version.
    let kirim = |versi: String, nama: &'static str| {
        let mut f = Form::new()
            .text("_csrf", csrf.clone())
            .text("versi", versi)
            .text("lanjut", "draf");
        for (k, v) in [
            ("nama", nama),
            ("nik", "6311021403850001"),
            ("jenis_kelamin", "L"),
            ("tempat_lahir", "Halong"),
            ("tanggal_lahir", "1985-03-14"),
            ("agama", "Islam"),
            ("pendidikan_terakhir", "SMA"),
            ("jabatan", "kaur_keuangan"),
            ("status_jabatan", "definitif"),
            (
                "nomor_sk_pengangkatan",
                d["nomor_sk_pengangkatan"].as_str().unwrap().to_string().leak(),
            ),
            (
                "tanggal_sk_pengangkatan",
                d["tanggal_sk_pengangkatan"].as_str().unwrap().to_string().leak(),
            ),
            ("tmt", d["tmt"].as_str().unwrap().to_string().leak()),
        ] {
            f = f.text(k, v);
        }
        c.post(app.url(&format!("/perangkat/{id}/ubah"))).multipart(f).send()
    };
    let r = kirim(versi_lama, "Ahmad Fauzan").await.unwrap();
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    let (tautan, _) = tautan_ringkasan(&html);
    assert!(
        tautan.is_empty(),
        "no dead link under 'Perbaiki isian berikut': {tautan:?}"
    );
    let doc = scraper::Html::parse_document(&html);
    let baris = scraper::Selector::parse("#konflik tbody tr").unwrap();
    let beda: Vec<String> = doc
        .select(&baris)
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .collect();
    assert!(
        beda.iter()
            .any(|b| b.contains("Tempat lahir") && b.contains("Paringin") && b.contains("Halong")),
        "{beda:?}"
    );
    assert!(
        beda.iter()
            .any(|b| b.contains("Ahmad Fauzi") && b.contains("Ahmad Fauzan")),
        "{beda:?}"
    );
    assert!(html.contains("value=\"Ahmad Fauzan\""), "the typing is kept");
    assert_eq!(
        api.json(&format!("/api/v1/perangkat/{id}")).await["tempat_lahir"],
        "Paringin",
        "nothing written"
    );
    // The form now carries the version saved now: sending again uses what was typed.
    let versi_baru = {
        let s = scraper::Selector::parse("input[name=versi]").unwrap();
        doc.select(&s)
            .next()
            .unwrap()
            .value()
            .attr("value")
            .unwrap()
            .to_string()
    };
    let r = kirim(versi_baru, "Ahmad Fauzan").await.unwrap();
    assert_eq!(r.status(), 303);
    let d = api.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(d["nama"], "Ahmad Fauzan");
}

/// Point 12: Riwayat names people by their name and role, not by their username.
#[tokio::test]
async fn riwayat_menyebut_nama_dan_peran() {
    let app = spawn_app().await;
    let (_api, id, c) = satu_draf(&app).await;
    let html = app.html(&c, &format!("/perangkat/{id}/riwayat")).await;
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(".linimasa-judul").unwrap();
    let judul: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert!(!judul.is_empty(), "{html}");
    assert!(
        judul.iter().all(|j| j.contains("oleh Uji op.a (Operator Desa)")),
        "{judul:?}"
    );
}

/// Point 12: the first save does not repeat the whole table of the entry (folded away, kept
/// for the kecamatan); a later save shows only what changed.
#[tokio::test]
async fn riwayat_simpan_pertama_tidak_mengulang_tabel() {
    let app = spawn_app().await;
    let (api, id, c) = satu_draf(&app).await;
    assert_eq!(api.unggah(id, pdf_sk(), "sk.pdf", None).await.status(), 201);
    assert_eq!(
        api.periksa(id, serde_json::json!({ "sesuai": true })).await.status(),
        200
    );
    let html = app.html(&c, &format!("/perangkat/{id}/riwayat")).await;
    let doc = scraper::Html::parse_document(&html);
    let simpan = scraper::Selector::parse("li.linimasa-disimpan").unwrap();
    let li = doc.select(&simpan).next().expect("the save");
    let teks: String = li.text().collect();
    assert!(teks.contains("Data tersimpan untuk pertama kali."), "{teks}");
    let terbuka = scraper::Selector::parse(":scope > table").unwrap();
    assert_eq!(li.select(&terbuka).count(), 0, "a table shown open on the first save");
    let lipat = scraper::Selector::parse("details > summary").unwrap();
    let ringkas: String = li.select(&lipat).next().expect("folded fields").text().collect();
    assert!(ringkas.starts_with("Lihat isian yang tersimpan ("), "{ringkas}");
    // A revision, checked and saved: only the changed field.
    let versi = app.jumlah_id("SELECT versi FROM perangkat WHERE id = $1", id).await;
    let mut d = contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan");
    d["tempat_lahir"] = serde_json::json!("Halong");
    d["versi"] = serde_json::json!(versi);
    assert_eq!(api.put(&format!("/api/v1/perangkat/{id}"), &d).await.status(), 200);
    assert_eq!(
        api.periksa(id, serde_json::json!({ "sesuai": true })).await.status(),
        200
    );
    let html = app.html(&c, &format!("/perangkat/{id}/riwayat")).await;
    let doc = scraper::Html::parse_document(&html);
    let li: Vec<_> = doc.select(&simpan).collect();
    assert_eq!(li.len(), 2);
    let baris = scraper::Selector::parse(":scope > table tbody tr").unwrap();
    let ubah: Vec<String> = li[0].select(&baris).map(|r| r.text().collect::<String>()).collect();
    assert_eq!(ubah.len(), 1, "{ubah:?}");
    assert!(
        ubah[0].contains("Tempat lahir") && ubah[0].contains("Halong"),
        "{ubah:?}"
    );
    let teks: String = li[1].text().collect();
    assert!(teks.contains("Data tersimpan untuk pertama kali."), "{teks}");
}

/// Logs in with an existing client (its cookies kept).
async fn masuk_dengan(app: &TestApp, c: &reqwest::Client, username: &str) -> reqwest::Response {
    let html = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let token = ambil_csrf(&html);
    c.post(app.url("/masuk"))
        .form(&[("_csrf", token.as_str()), ("username", username), ("password", SANDI)])
        .send()
        .await
        .unwrap()
}

/// Point 3: when the session ends, the login page says so, and logging in returns to the page
/// the user was on (a GET, or the page of a form sent after the end), never elsewhere.
#[tokio::test]
async fn sesi_berakhir_kembali_ke_halaman_setelah_masuk() {
    let app = spawn_app().await;
    let (_api, id, c) = satu_draf(&app).await;
    let ubah = format!("/perangkat/{id}/ubah");
    let csrf = app.csrf(&c, &ubah).await;
    app.state.clock.advance(31 * 60);
    // The form sent after the end: to the login page, which says why.
    let r = c
        .post(app.url(&ubah))
        .header("referer", app.url(&ubah))
        .multipart(Form::new().text("_csrf", csrf).text("nama", "Ahmad Fauzan"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/");
    let html = app.html(&c, "/").await;
    assert!(html.contains("Sesi Anda telah berakhir. Silakan masuk kembali."));
    // Logging in returns to the form's page.
    let token = ambil_csrf(&html);
    let r = c
        .post(app.url("/masuk"))
        .form(&[("_csrf", token.as_str()), ("username", "op.a"), ("password", SANDI)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"].to_str().unwrap(), ubah);
    // Once only: the login clears it.
    assert!(
        r.headers().get_all("set-cookie").iter().any(
            |v| v.to_str().unwrap().starts_with("sipkatdes_kembali=;") && v.to_str().unwrap().contains("Max-Age=0")
        ),
        "{:?}",
        r.headers()
    );
    // The entry form shown again with its errors lives at the POST's own address: the login
    // returns to the form's page.
    let csrf = app.csrf(&c, &format!("/desa/{DESA_A}/perangkat/baru")).await;
    app.state.clock.advance(31 * 60);
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/perangkat")))
        .header("referer", app.url(&format!("/desa/{DESA_A}/perangkat")))
        .multipart(Form::new().text("_csrf", csrf).text("nama", "X"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = masuk_dengan(&app, &c, "op.a").await;
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/desa/{DESA_A}/perangkat/baru")
    );
    // A link followed without a session returns to it; a foreign address never.
    let tamu = app.klien();
    let r = tamu
        .get(app.url(&format!("/perangkat/{id}?tab=dokumen")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = masuk_dengan(&app, &tamu, "op.a").await;
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/perangkat/{id}?tab=dokumen")
    );
    let tamu = app.klien();
    let r = tamu
        .post(app.url(&ubah))
        .header("referer", "https://jahat.example/perangkat/1")
        .form(&[("a", "b")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = masuk_dengan(&app, &tamu, "op.a").await;
    assert_eq!(r.headers()["location"].to_str().unwrap(), format!("/desa/{DESA_A}"));
}

/// Point 17: dates typed the way people write them are read on the server (the form no longer
/// uses the browser's date box, which shows mm/dd/yyyy in an English browser), and the form
/// shows a stored date back as people write it.
#[tokio::test]
async fn tanggal_diketik_seperti_biasa_diterima_formulir() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let c = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&c, &format!("/desa/{DESA_A}/perangkat/baru")).await;
    let mut form = Form::new().text("_csrf", csrf.clone()).text("lanjut", "draf");
    for (k, v) in isian() {
        let v = match k {
            "tanggal_lahir" => "14 Maret 1990",
            "tanggal_sk_pengangkatan" => "01/04/2021",
            "tmt" => "1 - 4 - 2021",
            _ => v,
        };
        form = form.text(k, v);
    }
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/perangkat")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let ke = r.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = ke.trim_start_matches("/perangkat/").parse().unwrap();
    let tanggal: (String, String, String) = sipkatdes::read!(app.db, c => {
        sqlx::query_as("SELECT tanggal_lahir, tanggal_sk_pengangkatan, tmt FROM perangkat WHERE id = $1")
            .bind(id)
            .fetch_one(c)
            .await
            .unwrap()
    });
    assert_eq!(tanggal, ("1990-03-14".into(), "2021-04-01".into(), "2021-04-01".into()));
    // The edit form: a text box with the date as people write it, no browser date box.
    let html = app.html(&c, &format!("/perangkat/{id}/ubah")).await;
    assert!(!html.contains("type=\"date\""), "a browser date box");
    let doc = scraper::Html::parse_document(&html);
    let nilai = |id: &str| {
        let sel = scraper::Selector::parse(&format!("input#{id}")).unwrap();
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .map(str::to_string)
    };
    assert_eq!(nilai("tanggal_lahir").as_deref(), Some("14-03-1990"));
    assert_eq!(nilai("tmt").as_deref(), Some("01-04-2021"));
    // What cannot be read as a date is refused by name, with the forms that are accepted.
    let mut form = Form::new().text("_csrf", csrf).text("lanjut", "periksa");
    for (k, v) in isian() {
        form = form.text(k, if k == "tanggal_lahir" { "14 Maret" } else { v });
    }
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/perangkat")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(
            "Tanggal lahir bukan tanggal yang valid (tulis misalnya 27-03-2023, 27/03/2023 atau 27 Maret 2023)."
        ),
        "{}",
        teks(&html, ".pesan-galat").unwrap_or_default()
    );
    assert!(html.contains("value=\"14 Maret\""), "what was typed stays");
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 1);
}

/// Point 17: every form leaves its checking to SIPKATDES (novalidate: no browser bubble in the
/// browser's language), and "Sesuai — Simpan" is refused on the server unless every box "…
/// sesuai dengan SK" is ticked; the page says so before.
#[tokio::test]
async fn sesuai_perlu_semua_kotak_dicentang() {
    let app = spawn_app().await;
    let (api, id, c) = satu_draf(&app).await;
    assert_eq!(api.unggah(id, pdf_sk(), "sk.pdf", None).await.status(), 201);
    let ke = format!("/perangkat/{id}/pemeriksaan");
    let html = app.html(&c, &ke).await;
    let doc = scraper::Html::parse_document(&html);
    let form = scraper::Selector::parse("form").unwrap();
    for f in doc.select(&form) {
        assert!(
            f.value().attr("novalidate").is_some(),
            "a form without novalidate: {:?}",
            f.value()
        );
    }
    let kotak = semua_teks(&html, "label.cek-kelompok");
    assert_eq!(kotak.len(), 3, "{kotak:?}");
    assert!(
        teks(&html, "#bantu-cek").unwrap().contains("Centang semua kotak"),
        "the page says all boxes must be ticked"
    );
    let csrf = ambil_csrf(&html);
    let versi = app
        .jumlah_id("SELECT versi FROM perangkat WHERE id = $1", id)
        .await
        .to_string();
    let kirim = async |cek: &[&'static str]| {
        let mut f = vec![("_csrf", csrf.as_str()), ("versi", versi.as_str()), ("hasil", "sesuai")];
        for k in cek {
            f.push((k, "ya"));
        }
        c.post(app.url(&ke)).form(&f).send().await.unwrap()
    };
    for cek in [&[][..], &["cek_1", "cek_3"][..]] {
        let r = kirim(cek).await;
        assert_eq!(r.status(), 422, "{cek:?}");
        let html = r.text().await.unwrap();
        let galat = teks(&html, "#cek .galat-isian").unwrap_or_default();
        assert!(galat.contains("belum dicentang"), "{galat}");
        if cek.is_empty() {
            assert!(galat.contains("Identitas, Jabatan, SK Pengangkatan"), "{galat}");
        } else {
            assert!(galat.ends_with("belum dicentang: Jabatan."), "{galat}");
            // What was ticked stays ticked.
            let doc = scraper::Html::parse_document(&html);
            let tercentang = |id: &str| {
                let sel = scraper::Selector::parse(&format!("input#{id}")).unwrap();
                doc.select(&sel).next().unwrap().value().attr("checked").is_some()
            };
            assert!(tercentang("cek_1") && !tercentang("cek_2") && tercentang("cek_3"));
        }
        assert_eq!(
            app.jumlah("SELECT COUNT(*) FROM perangkat WHERE status = 'tersimpan'")
                .await,
            0
        );
    }
    let r = kirim(&["cek_1", "cek_2", "cek_3"]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM perangkat WHERE status = 'tersimpan'")
            .await,
        1
    );
}
