//! The register (SOP steps 2–5): entry, SK upload, the check, revisions, dismissal, transfer,
//! history — every rule of SPEC §3 through the API, and the operator's walk through the pages.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::*;

/// A valid official: a man born 14 March 1985 (NIK 6311021403850001 style).
pub fn contoh(nik: &str, nama: &str, jabatan: &str) -> Value {
    json!({
        "nama": nama,
        "nik": nik,
        "jenis_kelamin": "L",
        "tempat_lahir": "Paringin",
        "tanggal_lahir": "1985-03-14",
        "agama": "Islam",
        "pendidikan_terakhir": "SMA",
        "jabatan": jabatan,
        "status_jabatan": "definitif",
        "nomor_sk_pengangkatan": "141/05/HAUWAI/2020",
        "tanggal_sk_pengangkatan": "2020-01-02",
        "tmt": "2020-01-02",
    })
}

pub fn pdf_sk() -> Vec<u8> {
    sipkatdes::dokumen::contoh::pdf(&["KEPUTUSAN PEMBAKAL HAUWAI".into(), "Nomor 141/05/HAUWAI/2020".into()])
}

pub struct Api<'a> {
    pub app: &'a TestApp,
    pub token: String,
    c: reqwest::Client,
}

impl<'a> Api<'a> {
    pub async fn baru(app: &'a TestApp, username: &str) -> Api<'a> {
        Api {
            app,
            token: app.token(username).await,
            c: reqwest::Client::new(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.c
            .get(self.app.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.c
            .post(self.app.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, path: &str, body: &Value) -> reqwest::Response {
        self.c
            .put(self.app.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    /// Creates an entry; returns its id.
    pub async fn buat(&self, desa: &str, body: &Value) -> i64 {
        let r = self.post(&format!("/api/v1/desa/{desa}/perangkat"), body).await;
        let s = r.status();
        let v: Value = r.json().await.unwrap();
        assert_eq!(s, 201, "{v}");
        v["id"].as_i64().unwrap()
    }

    pub async fn unggah(&self, id: i64, isi: Vec<u8>, nama: &str, jenis: Option<&str>) -> reqwest::Response {
        let mut form = Form::new().part("berkas", Part::bytes(isi).file_name(nama.to_string()));
        if let Some(j) = jenis {
            form = form.text("jenis", j.to_string());
        }
        self.c
            .post(self.app.url(&format!("/api/v1/perangkat/{id}/dokumen")))
            .bearer_auth(&self.token)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn periksa(&self, id: i64, body: Value) -> reqwest::Response {
        self.post(&format!("/api/v1/perangkat/{id}/pemeriksaan"), &body).await
    }

    /// Uploads an SK and checks the entry as matching: it becomes `tersimpan`.
    pub async fn simpan(&self, id: i64) {
        assert_eq!(self.unggah(id, pdf_sk(), "sk.pdf", None).await.status(), 201);
        let r = self.periksa(id, json!({ "sesuai": true })).await;
        let s = r.status();
        let v: Value = r.json().await.unwrap();
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["status"], "tersimpan");
    }
}

async fn siapkan(app: &TestApp) {
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("op.b", "operator", DESA_B).await;
    app.pengguna("kades.a", "kepala_desa", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
}

#[tokio::test]
async fn entri_baru_adalah_draf_yang_belum_terlihat_kecamatan() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let r = op
        .post(
            &format!("/api/v1/desa/{DESA_A}/perangkat"),
            &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "draft");
    assert_eq!(v["versi"], 1);
    let id = v["id"].as_i64().unwrap();
    assert!(
        v["peringatan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kode"] == "sk_belum_ada")
    );
    let d = op.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(d["nama"], "Ahmad Fauzi");
    assert_eq!(d["akhir_masa_jabatan"], "2045-03-14", "perangkat serve until 60");
    // The kecamatan and the Kepala Desa see only saved data: not this draft.
    for u in ["kec", "kades.a"] {
        let a = Api::baru(&app, u).await;
        assert_eq!(a.get(&format!("/api/v1/perangkat/{id}")).await.status(), 404, "{u}");
        let l = a.json(&format!("/api/v1/desa/{DESA_A}/perangkat")).await;
        assert_eq!(l["total"], 0, "{u}");
    }
}

#[tokio::test]
async fn isian_salah_ditolak_per_isian_tanpa_menulis() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let mut v = contoh("631102140385000", "", "kaur_umum_perencanaan");
    v["jenis_kelamin"] = json!("X");
    v["tanggal_lahir"] = json!("1985-02-30");
    v["tmt"] = json!("2099-01-01");
    v["nip"] = json!("12345");
    v["agama"] = json!("Lainnya");
    let r = op.post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &v).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    let f = &e["error"]["field"];
    assert_eq!(f["nik"], "NIK harus 16 digit angka (sekarang 15).");
    assert_eq!(f["nama"], "Nama wajib diisi.");
    assert!(f["jenis_kelamin"].as_str().unwrap().contains("tidak dikenal"));
    assert!(
        f["tanggal_lahir"]
            .as_str()
            .unwrap()
            .contains("bukan tanggal yang valid")
    );
    assert!(f["tmt"].as_str().unwrap().contains("tidak boleh di masa depan"));
    assert!(f["nip"].as_str().unwrap().contains("18 digit"));
    assert!(f["agama"].as_str().unwrap().contains("tidak dikenal"));
    // A merged Kaur does not exist in a desa with the full structure.
    assert!(
        f["jabatan"]
            .as_str()
            .unwrap()
            .contains("tidak ada dalam susunan organisasi"),
        "{f}"
    );
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 0);

    for (nik, pesan) in [
        ("0011021403850001", "bukan kode provinsi"),
        ("6311023203850001", "bukan tanggal lahir yang valid"),
        ("6311021413850001", "bukan bulan"),
    ] {
        let r = op
            .post(
                &format!("/api/v1/desa/{DESA_A}/perangkat"),
                &contoh(nik, "Budi", "kaur_keuangan"),
            )
            .await;
        let e: Value = r.json().await.unwrap();
        assert!(
            e["error"]["field"]["nik"].as_str().unwrap().contains(pesan),
            "{nik}: {e}"
        );
    }
    // TMT before birth; a Kepala Dusun without a dusun; a name too long.
    let mut v = contoh("6311021403850001", &"A".repeat(101), "kepala_dusun");
    v["tmt"] = json!("1980-01-01");
    let e: Value = op
        .post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &v)
        .await
        .json()
        .await
        .unwrap();
    let f = &e["error"]["field"];
    assert!(f["nama"].as_str().unwrap().contains("paling banyak 100 karakter"));
    assert_eq!(f["tmt"], "TMT harus sesudah tanggal lahir.");
    assert!(f["dusun"].as_str().unwrap().contains("Pilih dusun"));
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 0);
}

#[tokio::test]
async fn peringatan_nik_tidak_cocok_dengan_tanggal_lahir_dan_jenis_kelamin() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    // The NIK says a woman born 15 March 1985; the form says a man born 14 March.
    let v: Value = op
        .post(
            &format!("/api/v1/desa/{DESA_A}/perangkat"),
            &contoh("6311025503850001", "Siti", "kaur_keuangan"),
        )
        .await
        .json()
        .await
        .unwrap();
    let kode: Vec<&str> = v["peringatan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kode"].as_str().unwrap())
        .collect();
    assert!(
        kode.contains(&"nik_tanggal_lahir") && kode.contains(&"nik_jenis_kelamin"),
        "{v}"
    );
    let pesan = v["peringatan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kode"] == "nik_tanggal_lahir")
        .unwrap()["pesan"]
        .clone();
    assert_eq!(
        pesan,
        "Tanggal lahir pada NIK (15 Maret 1985) berbeda dengan tanggal lahir yang diisi (14 Maret 1985)."
    );
    // An unknown kabupaten/kecamatan part: a warning, not an error.
    let v: Value = op
        .post(
            &format!("/api/v1/desa/{DESA_A}/perangkat"),
            &contoh("6399991403850001", "Rudi", "kaur_perencanaan"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        v["peringatan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kode"] == "nik_wilayah"),
        "{v}"
    );
}

#[tokio::test]
async fn pemeriksaan_tidak_sesuai_lalu_sesuai_menyimpan_dan_menyinkronkan() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    // "Sesuai" without an SK: 422.
    let r = op.periksa(id, json!({ "sesuai": true })).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["field"]["berkas"]
            .as_str()
            .unwrap()
            .contains("Unggah pindaian SK")
    );
    // "Tidak sesuai" without a note: 422; with a note: perlu_perbaikan.
    assert_eq!(op.periksa(id, json!({ "sesuai": false })).await.status(), 422);
    let r = op
        .periksa(id, json!({ "sesuai": false, "catatan": "Nomor SK salah ketik" }))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "perlu_perbaikan");
    let d = op.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(d["catatan_pemeriksaan"], "Nomor SK salah ketik");
    // Correct it, upload the SK, check: saved.
    let mut v = contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan");
    v["nomor_sk_pengangkatan"] = json!("141/06/HAUWAI/2020");
    v["versi"] = d["versi"].clone();
    assert_eq!(op.put(&format!("/api/v1/perangkat/{id}"), &v).await.status(), 200);
    op.simpan(id).await;
    // The kecamatan sees it at once.
    let kec = Api::baru(&app, "kec").await;
    let l = kec.json(&format!("/api/v1/desa/{DESA_A}/perangkat")).await;
    assert_eq!(l["total"], 1);
    assert_eq!(l["data"][0]["nomor_sk_pengangkatan"], "141/06/HAUWAI/2020");
    assert_eq!(l["data"][0]["status"], "tersimpan");
    // Checking a saved record again: nothing to check.
    assert_eq!(op.periksa(id, json!({ "sesuai": true })).await.status(), 409);
    // Every change is in the audit log, in order, and no NIK is in it.
    let aksi: Vec<String> = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar::<_, String>("SELECT aksi FROM audit WHERE objek LIKE 'perangkat:%' OR objek LIKE 'dokumen:%' ORDER BY id")
            .fetch_all(c)
            .await
            .unwrap()
    });
    assert_eq!(
        aksi,
        [
            "perangkat_dibuat",
            "pemeriksaan_tidak_sesuai",
            "perangkat_diubah",
            "dokumen_diunggah",
            "perangkat_disimpan"
        ]
    );
    let rincian: Vec<String> = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar::<_, String>("SELECT rincian FROM audit").fetch_all(c).await.unwrap()
    });
    assert!(rincian.iter().all(|r| !r.contains("6311021403850001")));
}

#[tokio::test]
async fn revisi_tidak_terlihat_sampai_diperiksa() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    op.simpan(id).await;
    let d = op.json(&format!("/api/v1/perangkat/{id}")).await;
    let mut v = contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan");
    v["alamat"] = json!("RT 02 Hauwai");
    v["versi"] = d["versi"].clone();
    let r = op.put(&format!("/api/v1/perangkat/{id}"), &v).await;
    assert_eq!(r.status(), 200);
    let d = op.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(d["status"], "draft");
    assert_eq!(d["alamat"], "RT 02 Hauwai");
    assert_eq!(
        d["tersimpan"]["alamat"], "",
        "the operator sees the saved version beside the revision"
    );
    let kec = Api::baru(&app, "kec").await;
    assert_eq!(kec.json(&format!("/api/v1/perangkat/{id}")).await["alamat"], "");
    // A document of the revision is not the kecamatan's to see before the check either.
    let dok: Value = op
        .unggah(id, pdf_sk(), "sk-revisi.pdf", Some("lainnya"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kec.get(&format!("/api/v1/dokumen/{}", dok["id"])).await.status(), 404);
    let d = kec.json(&format!("/api/v1/perangkat/{id}")).await;
    assert!(d["dokumen"].as_array().unwrap().iter().all(|k| k["id"] != dok["id"]));
    // Not in the history the kecamatan sees either.
    let kc = app.masuk_ok("kec").await;
    let html = kc
        .get(app.url(&format!("/perangkat/{id}/riwayat")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("RT 02 Hauwai"),
        "an unchecked revision leaked into the kecamatan's history"
    );
    assert!(html.contains("Pemeriksaan: sesuai dengan SK"));
    // Checked and saved: now everybody sees it.
    assert_eq!(op.periksa(id, json!({ "sesuai": true })).await.status(), 200);
    assert_eq!(
        kec.json(&format!("/api/v1/perangkat/{id}")).await["alamat"],
        "RT 02 Hauwai"
    );
    assert_eq!(kec.get(&format!("/api/v1/dokumen/{}", dok["id"])).await.status(), 200);
}

#[tokio::test]
async fn versi_usang_mendapat_409_bukan_perubahan_hilang() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    let mut a = contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan");
    a["alamat"] = json!("perubahan pertama");
    a["versi"] = json!(1);
    assert_eq!(op.put(&format!("/api/v1/perangkat/{id}"), &a).await.status(), 200);
    // A second editor still holding version 1.
    let mut b = a.clone();
    b["alamat"] = json!("perubahan kedua");
    let r = op.put(&format!("/api/v1/perangkat/{id}"), &b).await;
    assert_eq!(r.status(), 409);
    assert!(
        r.json::<Value>().await.unwrap()["error"]["pesan"]
            .as_str()
            .unwrap()
            .contains("sudah diubah")
    );
    assert_eq!(
        op.json(&format!("/api/v1/perangkat/{id}")).await["alamat"],
        "perubahan pertama"
    );
    // Without versi: 422 naming it. A stale check: 409.
    let mut c = a.clone();
    c.as_object_mut().unwrap().remove("versi");
    let e: Value = op
        .put(&format!("/api/v1/perangkat/{id}"), &c)
        .await
        .json()
        .await
        .unwrap();
    assert!(e["error"]["field"]["versi"].is_string());
    assert_eq!(
        op.periksa(id, json!({ "sesuai": false, "catatan": "x", "versi": 1 }))
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn satu_jabatan_definitif_per_nik_di_seluruh_instansi() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let b = Api::baru(&app, "op.b").await;
    let id = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(id).await;
    let r = b
        .post(
            &format!("/api/v1/desa/{DESA_B}/perangkat"),
            &contoh("6311021403850001", "Ahmad Fauzi", "kaur_perencanaan"),
        )
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["field"]["nik"]
            .as_str()
            .unwrap()
            .contains("sudah memegang jabatan definitif aktif"),
        "{e}"
    );
    // An acting position beside the definitive one is allowed.
    let mut plt = contoh("6311021403850001", "Ahmad Fauzi", "kaur_perencanaan");
    plt["status_jabatan"] = json!("plt");
    let id2 = b.buat(DESA_B, &plt).await;
    b.simpan(id2).await;
}

#[tokio::test]
async fn satu_kepala_desa_dan_sekretaris_desa_per_desa() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    for jab in ["kepala_desa", "sekretaris_desa"] {
        let nik1 = if jab == "kepala_desa" {
            "6311021403750001"
        } else {
            "6311021403760001"
        };
        let nik2 = if jab == "kepala_desa" {
            "6311021403770001"
        } else {
            "6311021403780001"
        };
        let id = a.buat(DESA_A, &contoh(nik1, "Pertama", jab)).await;
        a.simpan(id).await;
        let r = a
            .post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &contoh(nik2, "Kedua", jab))
            .await;
        assert_eq!(r.status(), 422, "{jab}");
        let e: Value = r.json().await.unwrap();
        assert!(
            e["error"]["field"]["jabatan"]
                .as_str()
                .unwrap()
                .contains("sudah memiliki"),
            "{e}"
        );
    }
    // The Kepala Desa serves 8 years from TMT.
    let l = a.json(&format!("/api/v1/desa/{DESA_A}/perangkat?status=aktif")).await;
    let kd = l["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["jabatan"] == "kepala_desa")
        .unwrap();
    assert_eq!(kd["akhir_masa_jabatan"], "2028-01-02");
}

#[tokio::test]
async fn pemberhentian_menyimpan_riwayat_dan_membuka_lowongan() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let id = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(id).await;
    let c = app.masuk_ok("op.a").await;
    let html = c
        .get(app.url(&format!("/desa/{DESA_A}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !semua_teks(&html, "#kosong li")
            .iter()
            .any(|l| l == "Kepala Urusan Keuangan")
    );
    // Dismiss through the page.
    let d = a.json(&format!("/api/v1/perangkat/{id}")).await;
    let csrf = app.csrf(&c, &format!("/perangkat/{id}/berhenti")).await;
    let versi = d["versi"].to_string();
    let r = c
        .post(app.url(&format!("/perangkat/{id}/berhenti")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("versi", versi.as_str()),
            ("nomor_sk_pemberhentian", "141/09/HAUWAI/2025"),
            ("tanggal_sk_pemberhentian", "2025-06-01"),
            ("alasan_pemberhentian", "permintaan_sendiri"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // Until checked, the kecamatan still sees the official as active.
    let kec = Api::baru(&app, "kec").await;
    assert_eq!(kec.json(&format!("/api/v1/perangkat/{id}")).await["aktif"], true);
    // The dismissal is checked against its own SK.
    let r = a.periksa(id, json!({ "sesuai": true })).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["field"]["berkas"]
            .as_str()
            .unwrap()
            .contains("SK pemberhentian")
    );
    assert_eq!(
        a.unggah(id, pdf_sk(), "sk-berhenti.pdf", Some("sk_pemberhentian"))
            .await
            .status(),
        201
    );
    // An edit that does not carry the dismissal fields keeps them.
    let d = a.json(&format!("/api/v1/perangkat/{id}")).await;
    let mut v = contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan");
    v["alamat"] = json!("RT 03 Hauwai");
    v["versi"] = d["versi"].clone();
    assert_eq!(a.put(&format!("/api/v1/perangkat/{id}"), &v).await.status(), 200);
    let d = a.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(d["nomor_sk_pemberhentian"], "141/09/HAUWAI/2025");
    assert_eq!(d["aktif"], false);
    assert_eq!(a.periksa(id, json!({ "sesuai": true })).await.status(), 200);
    let t = kec.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(t["aktif"], false);
    assert_eq!(t["alasan_pemberhentian"], "permintaan_sendiri");
    let html = c
        .get(app.url(&format!("/desa/{DESA_A}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        semua_teks(&html, "#kosong li")
            .iter()
            .any(|l| l == "Kepala Urusan Keuangan")
    );
    assert!(
        semua_teks(&html, "#mantan td[data-label=Nama]")
            .iter()
            .any(|n| n == "Ahmad Fauzi")
    );
    // Nothing was overwritten: the history holds every step.
    let html = c
        .get(app.url(&format!("/perangkat/{id}/riwayat")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let judul = semua_teks(&html, ".linimasa-judul strong");
    for j in [
        "Data dimasukkan",
        "Dokumen diunggah",
        "Pemeriksaan: sesuai dengan SK — tersimpan",
        "Pemberhentian dicatat",
    ] {
        assert!(judul.iter().any(|x| x == j), "{j} missing from {judul:?}");
    }
    // The NIK is masked in the history; codes are shown in words.
    assert!(html.contains("6311************") && !html.contains("6311021403850001"));
    assert!(html.contains("Kepala Urusan Keuangan") && !html.contains("kaur_keuangan"));
    assert!(html.contains("Permintaan sendiri"));
}

#[tokio::test]
async fn mutasi_menutup_jabatan_lama_saat_disimpan() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let lama = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(lama).await;
    let c = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&c, &format!("/perangkat/{lama}/mutasi")).await;
    let form = Form::new()
        .text("_csrf", csrf)
        .text("jabatan", "sekretaris_desa")
        .text("status_jabatan", "definitif")
        .text("nomor_sk_pengangkatan", "141/12/HAUWAI/2024")
        .text("tanggal_sk_pengangkatan", "2024-02-01")
        .text("tmt", "2024-02-01")
        .text("lanjut", "draf");
    let r = c
        .post(app.url(&format!("/perangkat/{lama}/mutasi")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let baru = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/perangkat/")
        .parse::<i64>()
        .unwrap();
    // Before the check the old tenure is untouched.
    assert_eq!(a.json(&format!("/api/v1/perangkat/{lama}")).await["aktif"], true);
    a.simpan(baru).await;
    let l = a.json(&format!("/api/v1/perangkat/{lama}")).await;
    assert_eq!(l["aktif"], false);
    assert_eq!(l["alasan_pemberhentian"], "mutasi");
    assert_eq!(l["nomor_sk_pemberhentian"], "141/12/HAUWAI/2024");
    let n = a.json(&format!("/api/v1/perangkat/{baru}")).await;
    assert_eq!(n["jabatan"], "sekretaris_desa");
    assert_eq!(n["nama"], "Ahmad Fauzi");
    // The register (what the kecamatan sees) agrees: the old tenure closed, the new one active.
    let kec = Api::baru(&app, "kec").await;
    assert_eq!(kec.json(&format!("/api/v1/perangkat/{lama}")).await["aktif"], false);
    let aktif = kec.json(&format!("/api/v1/desa/{DESA_A}/perangkat?status=aktif")).await;
    assert_eq!(aktif["total"], 1);
    assert_eq!(aktif["data"][0]["jabatan"], "sekretaris_desa");
    assert!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'perangkat_dimutasi'")
            .await
            == 1
    );
    // The person's history of positions shows both tenures.
    let html = c
        .get(app.url(&format!("/perangkat/{baru}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Riwayat Jabatan") && html.contains("Kepala Urusan Keuangan"));
}

#[tokio::test]
async fn peringatan_usia_60_masa_jabatan_dan_orang_sama_nik_beda() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let b = Api::baru(&app, "op.b").await;
    // Born 1 January 1960: 60 or more and still active.
    let mut tua = contoh("6311020101600001", "Sepuh", "kaur_perencanaan");
    tua["tanggal_lahir"] = json!("1960-01-01");
    tua["tmt"] = json!("2010-01-02");
    tua["tanggal_sk_pengangkatan"] = json!("2010-01-02");
    let v: Value = a
        .post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &tua)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        v["peringatan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kode"] == "usia_60"),
        "{v}"
    );
    // Appointed after 2015 at 45 with SMP: outside the requirements.
    let mut muda = contoh("6311021403750001", "Telat", "kasi_pelayanan");
    muda["tanggal_lahir"] = json!("1975-03-14");
    muda["pendidikan_terakhir"] = json!("SMP");
    let v: Value = a
        .post(&format!("/api/v1/desa/{DESA_A}/perangkat"), &muda)
        .await
        .json()
        .await
        .unwrap();
    let kode: Vec<&str> = v["peringatan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kode"].as_str().unwrap())
        .collect();
    assert!(
        kode.contains(&"usia_pengangkatan") && kode.contains(&"pendidikan"),
        "{v}"
    );
    // The same name and birth date with another NIK in another desa.
    let id = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(id).await;
    let v: Value = b
        .post(
            &format!("/api/v1/desa/{DESA_B}/perangkat"),
            &contoh("6311021403850009", "Ahmad Fauzi", "kaur_keuangan"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        v["peringatan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kode"] == "orang_sama_nik_beda"),
        "{v}"
    );
}

#[tokio::test]
async fn daftar_berhalaman_dan_pencarian_dalam_cakupan() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let b = Api::baru(&app, "op.b").await;
    for (nik, nama, jab) in [
        ("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"),
        ("6311021403860001", "Budi Santoso", "kaur_perencanaan"),
        ("6311021403870001", "Citra Lestari", "kasi_pelayanan"),
    ] {
        let mut v = contoh(nik, nama, jab);
        v["nomor_sk_pengangkatan"] = json!(format!("SK/{nama}"));
        let id = a.buat(DESA_A, &v).await;
        a.simpan(id).await;
    }
    let id = b
        .buat(DESA_B, &contoh("6311021403880001", "Dewi Anggraini", "kaur_keuangan"))
        .await;
    b.simpan(id).await;

    let l = a
        .json(&format!("/api/v1/desa/{DESA_A}/perangkat?per_halaman=2&halaman=2"))
        .await;
    assert_eq!(l["total"], 3);
    assert_eq!(l["data"].as_array().unwrap().len(), 1);
    for (q, n) in [("budi", 1), ("6311021403870001", 1), ("sk/ahmad", 1), ("zzz", 0)] {
        let l = a.json(&format!("/api/v1/desa/{DESA_A}/perangkat?cari={q}")).await;
        assert_eq!(l["total"], n, "{q}");
    }
    let r = a.get(&format!("/api/v1/desa/{DESA_A}/perangkat?per_halaman=501")).await;
    assert_eq!(r.status(), 422);
    let r = a.get(&format!("/api/v1/desa/{DESA_A}/perangkat?status=hilang")).await;
    assert_eq!(r.status(), 422);
    // Across the scope: the kecamatan finds both desa; an operator only its own.
    let kec = Api::baru(&app, "kec").await;
    assert_eq!(kec.json("/api/v1/perangkat?cari=6311021403880001").await["total"], 1);
    assert_eq!(kec.json("/api/v1/perangkat").await["total"], 4);
    assert_eq!(a.json("/api/v1/perangkat?cari=6311021403880001").await["total"], 0);
    // Another desa's list: 404, never its data.
    let r = a.get(&format!("/api/v1/desa/{DESA_B}/perangkat")).await;
    assert_eq!(r.status(), 404);
    assert!(!r.text().await.unwrap().contains("Dewi"));
}

#[tokio::test]
async fn di_luar_cakupan_atau_peran_ditolak() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let id = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(id).await;
    let b = Api::baru(&app, "op.b").await;
    assert_eq!(b.get(&format!("/api/v1/perangkat/{id}")).await.status(), 404);
    let mut v = contoh("6311021403850001", "Diubah", "kaur_keuangan");
    v["versi"] = json!(3);
    assert_eq!(b.put(&format!("/api/v1/perangkat/{id}"), &v).await.status(), 404);
    assert_eq!(b.unggah(id, pdf_sk(), "x.pdf", None).await.status(), 404);
    // Reading roles may read but not write.
    for u in ["kades.a", "kec"] {
        let r = Api::baru(&app, u).await;
        assert_eq!(r.get(&format!("/api/v1/perangkat/{id}")).await.status(), 200, "{u}");
        // In scope but not allowed to write: 403 (and nothing of another desa is involved).
        assert_eq!(r.put(&format!("/api/v1/perangkat/{id}"), &v).await.status(), 403, "{u}");
        let s = r
            .post(
                &format!("/api/v1/desa/{DESA_A}/perangkat"),
                &contoh("6311021403860001", "X", "kasi_pelayanan"),
            )
            .await
            .status();
        assert_eq!(s, 403, "{u}");
    }
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 1);
}

#[tokio::test]
async fn mass_assignment_tidak_berpengaruh() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let mut v = contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan");
    v["status"] = json!("tersimpan");
    v["desa_kode"] = json!(DESA_B);
    v["id"] = json!(999);
    v["versi"] = json!(77);
    v["tanggal_sk_pemberhentian"] = json!("2024-01-01");
    let id = a.buat(DESA_A, &v).await;
    let d = a.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_ne!(id, 999);
    assert_eq!(d["status"], "draft");
    assert_eq!(d["desa_kode"], DESA_A);
    assert_eq!(d["versi"], 1);
    assert_eq!(d["aktif"], true, "a new tenure is never entered as dismissed");
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat_tersimpan").await, 0);
}

#[tokio::test]
async fn operator_memasukkan_mengunggah_memeriksa_dan_menyimpan_di_halaman() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let c = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&c, &format!("/desa/{DESA_A}/perangkat/baru")).await;
    let isi = [
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
        ("lanjut", "periksa"),
    ];
    // A wrong NIK: the form comes back with the message beside the field and the input kept.
    let mut form = Form::new().text("_csrf", csrf.clone());
    for (k, v) in isi {
        form = form.text(k, if k == "nik" { "63110254039" } else { v });
    }
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/perangkat")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("NIK harus 16 digit angka (sekarang 11)."));
    assert!(html.contains("value=\"Siti Rahmah\""));
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM perangkat").await, 0);

    let mut form = Form::new().text("_csrf", csrf.clone());
    for (k, v) in isi {
        form = form.text(k, v);
    }
    form = form.part("berkas", Part::bytes(pdf_sk()).file_name("SK Kaur Perencanaan.pdf"));
    let r = c
        .post(app.url(&format!("/desa/{DESA_A}/perangkat")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let ke = r.headers()["location"].to_str().unwrap().to_string();
    assert!(ke.ends_with("/pemeriksaan"), "{ke}");
    let id: i64 = ke
        .trim_start_matches("/perangkat/")
        .trim_end_matches("/pemeriksaan")
        .parse()
        .unwrap();
    // The check screen: the SK beside the data.
    let html = c.get(app.url(&ke)).send().await.unwrap().text().await.unwrap();
    let src = {
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("iframe.penampil-pdf").unwrap();
        doc.select(&sel)
            .next()
            .unwrap()
            .value()
            .attr("src")
            .unwrap()
            .to_string()
    };
    assert!(src.starts_with("/dokumen/"));
    // The SK came with the form: it is not "missing", and the message counts what is shown.
    assert!(!html.contains("Pindaian SK pengangkatan belum diunggah"), "{html}");
    let ditampilkan = semua_teks(&html, ".pesan-peringatan li").len();
    let disebut = html
        .split_once("Ada ")
        .and_then(|(_, s)| s.split_once(" peringatan yang perlu diperhatikan"))
        .map_or(0, |(n, _)| n.parse::<usize>().unwrap());
    assert_eq!(disebut, ditampilkan, "{html}");
    assert!(
        semua_teks(&html, ".daftar-nilai dd")
            .iter()
            .any(|v| v == "6311025403900002")
    );
    let pdf = c.get(app.url(&src)).send().await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert_eq!(
        pdf.headers()["content-disposition"],
        "inline; filename=\"SK_Kaur_Perencanaan.pdf\""
    );
    assert_eq!(pdf.bytes().await.unwrap().to_vec(), pdf_sk());
    // "Tidak Sesuai" needs a note.
    let versi = app
        .jumlah_id("SELECT versi FROM perangkat WHERE id = $1", id)
        .await
        .to_string();
    let r = c
        .post(app.url(&ke))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("versi", versi.as_str()),
            ("hasil", "tidak_sesuai"),
            ("catatan", " "),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Tuliskan apa yang tidak sesuai dengan SK.")
    );
    let r = c
        .post(app.url(&ke))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("versi", versi.as_str()),
            ("hasil", "tidak_sesuai"),
            ("catatan", "Tanggal SK 2 April"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], format!("/perangkat/{id}/ubah").as_str());
    let html = c
        .get(app.url(&format!("/perangkat/{id}/ubah")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Tanggal SK 2 April"));
    // Correct and save.
    let versi = app
        .jumlah_id("SELECT versi FROM perangkat WHERE id = $1", id)
        .await
        .to_string();
    let mut form = Form::new().text("_csrf", csrf.clone()).text("versi", versi);
    for (k, v) in isi {
        form = form.text(
            k,
            if k == "tanggal_sk_pengangkatan" {
                "2021-04-02"
            } else {
                v
            },
        );
    }
    let r = c
        .post(app.url(&format!("/perangkat/{id}/ubah")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let versi = app
        .jumlah_id("SELECT versi FROM perangkat WHERE id = $1", id)
        .await
        .to_string();
    let r = c
        .post(app.url(&ke))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("versi", versi.as_str()),
            ("hasil", "sesuai"),
            ("cek_1", "ya"),
            ("cek_2", "ya"),
            ("cek_3", "ya"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], format!("/desa/{DESA_A}").as_str());
    let html = c
        .get(app.url(&format!("/desa/{DESA_A}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Data Siti Rahmah tersimpan dan sudah tersinkron ke kecamatan."));
    assert!(
        semua_teks(&html, "#aktif td[data-label=Nama] a")
            .iter()
            .any(|n| n == "Siti Rahmah")
    );
    // Every download of a document is in the audit log.
    assert!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'dokumen_diunduh'")
            .await
            >= 1
    );
}

#[tokio::test]
async fn mutasi_ditolak_selama_ada_draf_pemberhentian_lalu_draf_dibatalkan() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let lama = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(lama).await;
    // A dismissal draft waits for its check on the old tenure …
    let c = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&c, &format!("/perangkat/{lama}/berhenti")).await;
    let versi = a.json(&format!("/api/v1/perangkat/{lama}")).await["versi"].to_string();
    let r = c
        .post(app.url(&format!("/perangkat/{lama}/berhenti")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("versi", versi.as_str()),
            ("nomor_sk_pemberhentian", "141/09/2025"),
            ("tanggal_sk_pemberhentian", "2025-06-01"),
            ("alasan_pemberhentian", "lainnya"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // … so a transfer is refused until that draft is saved or cancelled.
    let mutasi = |tmt: &'static str| {
        Form::new()
            .text("_csrf", csrf.clone())
            .text("jabatan", "sekretaris_desa")
            .text("status_jabatan", "definitif")
            .text("nomor_sk_pengangkatan", "141/12/2024")
            .text("tanggal_sk_pengangkatan", tmt)
            .text("tmt", tmt)
    };
    let r = c
        .post(app.url(&format!("/perangkat/{lama}/mutasi")))
        .multipart(mutasi("2024-02-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    // "Batalkan Perubahan": back to the saved version, in the history.
    let versi = a.json(&format!("/api/v1/perangkat/{lama}")).await["versi"].to_string();
    let r = c
        .post(app.url(&format!("/perangkat/{lama}/batalkan")))
        .form(&[("_csrf", csrf.as_str()), ("versi", versi.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let d = a.json(&format!("/api/v1/perangkat/{lama}")).await;
    assert_eq!(d["status"], "tersimpan");
    assert_eq!(d["aktif"], true);
    let html = c
        .get(app.url(&format!("/perangkat/{lama}/riwayat")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Perubahan dibatalkan; kembali ke data tersimpan"));
    // A transfer dated before the old tenure is refused; a proper one goes through.
    let r = c
        .post(app.url(&format!("/perangkat/{lama}/mutasi")))
        .multipart(mutasi("2019-01-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("TMT jabatan baru harus sesudah TMT jabatan lama")
    );
    let r = c
        .post(app.url(&format!("/perangkat/{lama}/mutasi")))
        .multipart(mutasi("2024-02-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let baru: i64 = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/perangkat/")
        .parse()
        .unwrap();
    // An edit of the transfer draft back to an earlier TMT is caught when it is saved.
    let mut v = a.json(&format!("/api/v1/perangkat/{baru}")).await;
    v["tmt"] = json!("2019-01-01");
    v["tanggal_sk_pengangkatan"] = json!("2019-01-01");
    assert_eq!(a.put(&format!("/api/v1/perangkat/{baru}"), &v).await.status(), 200);
    assert_eq!(a.unggah(baru, pdf_sk(), "sk.pdf", None).await.status(), 201);
    let r = a.periksa(baru, json!({ "sesuai": true })).await;
    assert_eq!(r.status(), 422);
    assert_eq!(a.json(&format!("/api/v1/perangkat/{lama}")).await["aktif"], true);
}

#[tokio::test]
async fn alasan_mutasi_tidak_dapat_diketik() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let id = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(id).await;
    let mut v = a.json(&format!("/api/v1/perangkat/{id}")).await;
    v["nomor_sk_pemberhentian"] = json!("141/01/2025");
    v["tanggal_sk_pemberhentian"] = json!("2025-01-01");
    v["alasan_pemberhentian"] = json!("mutasi");
    let r = a.put(&format!("/api/v1/perangkat/{id}"), &v).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["field"]["alasan_pemberhentian"]
            .as_str()
            .unwrap()
            .contains("dicatat otomatis")
    );
    // With a real reason the dismissal still needs its own SK.
    v["alasan_pemberhentian"] = json!("lainnya");
    assert_eq!(a.put(&format!("/api/v1/perangkat/{id}"), &v).await.status(), 200);
    assert_eq!(a.periksa(id, json!({ "sesuai": true })).await.status(), 422);
}

#[tokio::test]
async fn sk_baru_untuk_data_tersimpan_menjadi_revisi() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let id = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(id).await;
    let v: Value = a.unggah(id, pdf_sk(), "sk-ganti.pdf", None).await.json().await.unwrap();
    assert_eq!(a.json(&format!("/api/v1/perangkat/{id}")).await["status"], "draft");
    let kec = Api::baru(&app, "kec").await;
    assert_eq!(kec.get(&format!("/api/v1/dokumen/{}", v["id"])).await.status(), 404);
    assert_eq!(a.periksa(id, json!({ "sesuai": true })).await.status(), 200);
    assert_eq!(kec.get(&format!("/api/v1/dokumen/{}", v["id"])).await.status(), 200);
    // A photo of a saved record belongs to it at once; no check needed.
    let img = image::RgbImage::from_pixel(30, 40, image::Rgb([90, 90, 90]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let f: Value = a
        .unggah(id, png.into_inner(), "foto.png", Some("foto"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(a.json(&format!("/api/v1/perangkat/{id}")).await["status"], "tersimpan");
    assert_eq!(kec.get(&format!("/api/v1/dokumen/{}", f["id"])).await.status(), 200);
}

#[tokio::test]
async fn peran_baca_tidak_dapat_memeriksa_mengunggah_memberhentikan_atau_memutasi() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let id = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(id).await;
    for u in ["kades.a", "kec"] {
        let r = Api::baru(&app, u).await;
        assert_eq!(
            r.periksa(id, json!({ "sesuai": false, "catatan": "x" })).await.status(),
            403,
            "{u}"
        );
        assert_eq!(r.unggah(id, pdf_sk(), "x.pdf", None).await.status(), 403, "{u}");
        let c = app.masuk_ok(u).await;
        for p in ["berhenti", "mutasi", "ubah", "pemeriksaan"] {
            let s = c
                .get(app.url(&format!("/perangkat/{id}/{p}")))
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(s, 403, "{u} GET {p}");
        }
        let csrf = app.csrf(&c, "/akun/kata-sandi").await;
        let r = c
            .post(app.url(&format!("/perangkat/{id}/berhenti")))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("versi", "1"),
                ("nomor_sk_pemberhentian", "x"),
                ("tanggal_sk_pemberhentian", "2025-01-01"),
                ("alasan_pemberhentian", "lainnya"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{u} POST berhenti");
    }
    assert_eq!(a.json(&format!("/api/v1/perangkat/{id}")).await["status"], "tersimpan");
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM dokumen").await, 1);
}

#[tokio::test]
async fn pencarian_memperlakukan_wildcard_sebagai_huruf() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let a = Api::baru(&app, "op.a").await;
    let id = a
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    a.simpan(id).await;
    for q in ["%25", "_", "%5C"] {
        assert_eq!(
            a.json(&format!("/api/v1/desa/{DESA_A}/perangkat?cari={q}")).await["total"],
            0,
            "{q}"
        );
    }
    assert_eq!(
        a.json(&format!("/api/v1/desa/{DESA_A}/perangkat?cari=fauzi")).await["total"],
        1
    );
}

impl Api<'_> {
    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.c
            .delete(self.app.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn hapus_draf_yang_belum_pernah_disimpan_dan_409_untuk_yang_tersimpan() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let satu = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    // Back + Simpan Draf: a second draft of the same person is flagged.
    let r = op
        .post(
            &format!("/api/v1/desa/{DESA_A}/perangkat"),
            &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let dua = v["id"].as_i64().unwrap();
    let w = v["peringatan"].as_array().unwrap();
    assert!(
        w.iter().any(|p| p["kode"] == "nik_draf_ganda" && p["field"] == "nik"),
        "{w:?}"
    );
    assert_eq!(op.json(&format!("/api/v1/desa/{DESA_A}/perangkat")).await["total"], 2);
    // Nobody else may remove it: outside the desa not found, a viewer forbidden or not found.
    for u in ["op.b", "kades.a", "kec"] {
        let a = Api::baru(&app, u).await;
        let s = a.delete(&format!("/api/v1/perangkat/{dua}")).await.status();
        assert!(s == 403 || s == 404, "{u}: {s}");
    }
    // A stale version is a conflict and removes nothing.
    assert_eq!(
        op.delete(&format!("/api/v1/perangkat/{dua}?versi=7")).await.status(),
        409
    );
    let r = op.delete(&format!("/api/v1/perangkat/{dua}?versi=1")).await;
    assert_eq!(r.status(), 204);
    assert!(r.bytes().await.unwrap().is_empty());
    assert_eq!(op.get(&format!("/api/v1/perangkat/{dua}")).await.status(), 404);
    assert_eq!(op.delete(&format!("/api/v1/perangkat/{dua}")).await.status(), 404);
    let l = op.json(&format!("/api/v1/desa/{DESA_A}/perangkat")).await;
    assert_eq!(l["total"], 1);
    assert_eq!(l["data"][0]["id"], satu);
    assert_eq!(
        op.json(&format!("/api/v1/desa/{DESA_A}/perangkat?cari=Ahmad")).await["total"],
        1,
        "search does not find the removed draft"
    );
    // The remaining draft no longer warns of a second one.
    let d = op.json(&format!("/api/v1/perangkat/{satu}")).await;
    assert!(
        !d["peringatan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kode"] == "nik_draf_ganda"),
        "{d}"
    );
    // Kept: the row, its history and the audit log.
    assert_eq!(
        app.jumlah_id(
            "SELECT COUNT(*) FROM riwayat WHERE perangkat_id = $1 AND aksi = 'draf_dihapus'",
            dua
        )
        .await,
        1
    );
    assert_eq!(
        app.jumlah_id(
            "SELECT COUNT(*) FROM audit WHERE objek = 'perangkat:' || CAST($1 AS TEXT) AND aksi = 'draf_dihapus'",
            dua
        )
        .await,
        1
    );
    assert_eq!(
        app.jumlah_id("SELECT COUNT(*) FROM perangkat WHERE id = $1", dua).await,
        1
    );
    // The kecamatan's "menunggu" counts the one draft left.
    let kec = Api::baru(&app, "kec").await;
    let dasbor = kec.json("/api/v1/dasbor").await;
    assert!(dasbor.to_string().contains("\"menunggu\":1"), "{dasbor}");
    // A record with a saved version is part of the register: 409, unchanged.
    op.simpan(satu).await;
    let r = op.delete(&format!("/api/v1/perangkat/{satu}")).await;
    assert_eq!(r.status(), 409);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"]["pesan"].as_str().unwrap().contains("Pemberhentian"), "{v}");
    assert_eq!(
        op.json(&format!("/api/v1/perangkat/{satu}")).await["status"],
        "tersimpan"
    );
}

#[tokio::test]
async fn hapus_draf_dari_halaman_dengan_konfirmasi_dan_riwayat_tetap() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let id = op
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/perangkat/{id}")).await;
    assert!(
        html.contains("Hapus Draf") && html.contains("Ya, hapus draf ini"),
        "confirmation on the page"
    );
    let csrf = ambil_csrf(&html);
    let r = c
        .post(app.url(&format!("/perangkat/{id}/hapus")))
        .form(&[("_csrf", csrf.as_str()), ("versi", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let ke = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(ke, format!("/desa/{DESA_A}"));
    let html = app.html(&c, &ke).await;
    assert!(html.contains("Draf Ahmad Fauzi dihapus"), "{html}");
    assert!(
        !html.contains(&format!("/perangkat/{id}\"")),
        "gone from the desa's list"
    );
    // An old tab's link leads to what is left: the history.
    let r = c.get(app.url(&format!("/perangkat/{id}"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/perangkat/{id}/riwayat").as_str());
    let html = app.html(&c, &format!("/perangkat/{id}/riwayat")).await;
    assert!(html.contains("Draf dihapus (belum pernah disimpan)"), "{html}");
    assert!(html.contains("sudah dihapus"), "{html}");
    // A saved record has no Hapus Draf.
    let id2 = op
        .buat(DESA_A, &contoh("6311021403850002", "Budi Santoso", "sekretaris_desa"))
        .await;
    op.simpan(id2).await;
    assert!(!app.html(&c, &format!("/perangkat/{id2}")).await.contains("Hapus Draf"));
}

#[tokio::test]
async fn nik_dan_nip_ditempel_dengan_spasi_atau_titik_diterima_tanpa_pemisah() {
    let app = spawn_app().await;
    siapkan(&app).await;
    let op = Api::baru(&app, "op.a").await;
    let mut b = contoh("6311 0214.0385-0001", "Ahmad Fauzi", "kaur_keuangan");
    b["nip"] = json!("19850314 201001 1 001");
    let id = op.buat(DESA_A, &b).await;
    let d = op.json(&format!("/api/v1/perangkat/{id}")).await;
    assert_eq!(d["nik"], "6311021403850001");
    assert_eq!(d["nip"], "198503142010011001");
    // The form lets such a paste in whole.
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/desa/{DESA_A}/perangkat/baru")).await;
    assert!(
        html.contains(r#"id="nik" name="nik" type="text" value="" required maxlength="24""#),
        "{html}"
    );
}
