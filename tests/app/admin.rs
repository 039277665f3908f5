//! Administration in the UI: accounts (create, disable, reset, role and scope) and desa settings.

use crate::helpers::*;
use crate::perangkat::Api;

async fn kirim(app: &TestApp, c: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.csrf(c, "/admin").await;
    let mut f: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
    f.extend_from_slice(form);
    c.post(app.url(path)).form(&f).send().await.unwrap()
}

#[tokio::test]
async fn admin_membuat_pengguna_lewat_formulir() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    let r = kirim(
        &app,
        &c,
        "/admin/pengguna",
        &[
            ("username", "operator.hauwai"),
            ("nama_lengkap", "Siti Rahmah"),
            ("peran", "operator"),
            ("cakupan", DESA_A),
            ("password", "sandi-awal-12345"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let ke = r.headers()["location"].to_str().unwrap().to_string();
    assert!(ke.starts_with("/admin/pengguna/"));
    let html = c.get(app.url(&ke)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Pengguna operator.hauwai berhasil dibuat."));
    let (_, r) = app.masuk("operator.hauwai", "sandi-awal-12345").await;
    assert_eq!(r.headers()["location"], format!("/desa/{DESA_A}").as_str());
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'pengguna_dibuat'")
            .await,
        2
    );
}

#[tokio::test]
async fn formulir_pengguna_salah_ditolak_dengan_pesan_per_isian() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    let sebelum = app.jumlah("SELECT COUNT(*) FROM pengguna").await;
    let r = kirim(
        &app,
        &c,
        "/admin/pengguna",
        &[
            ("username", "Operator Baru"),
            ("nama_lengkap", "Budi"),
            ("peran", "kecamatan"),
            ("cakupan", DESA_A),
            ("password", "pendek"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    let galat = semua_teks(&html, ".galat-isian");
    assert_eq!(galat.len(), 3, "{galat:?}");
    assert!(galat[0].contains("Nama pengguna 3–32 karakter"));
    assert!(galat[1].contains("memerlukan kode kecamatan"));
    assert!(galat[2].contains("minimal 10 karakter (sekarang 6)"));
    // The input is kept (except the password) and the summary links to each field.
    assert!(html.contains("value=\"Operator Baru\""));
    assert!(html.contains("value=\"Budi\""));
    assert!(!html.contains("pendek"));
    assert_eq!(semua_teks(&html, ".pesan-galat li a").len(), 3);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM pengguna").await, sebelum);
}

#[tokio::test]
async fn menonaktifkan_akun_mengakhiri_sesi_dan_token() {
    let app = spawn_app().await;
    let id = app.pengguna("op.a", "operator", DESA_A).await;
    let op = app.masuk_ok("op.a").await;
    let tok = app.token("op.a").await;
    let c = app.masuk_ok("admin").await;
    let r = kirim(&app, &c, &format!("/admin/pengguna/{id}/status"), &[("aktif", "tidak")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        op.get(app.url(&format!("/desa/{DESA_A}")))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/desa"))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let (_, r) = app.masuk("op.a", SANDI).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Akun Anda dinonaktifkan."));
    // Enabled again, it may log in.
    let r = kirim(&app, &c, &format!("/admin/pengguna/{id}/status"), &[("aktif", "ya")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.masuk("op.a", SANDI).await.1.status(), 303);
    // The admin cannot disable their own account.
    let admin_id: i64 = app.jumlah("SELECT id FROM pengguna WHERE username = 'admin'").await;
    let r = kirim(
        &app,
        &c,
        &format!("/admin/pengguna/{admin_id}/status"),
        &[("aktif", "tidak")],
    )
    .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn reset_sandi_dan_ubah_cakupan_oleh_admin() {
    let app = spawn_app().await;
    let id = app.pengguna("op.a", "operator", DESA_A).await;
    let op = app.masuk_ok("op.a").await;
    let c = app.masuk_ok("admin").await;

    let r = kirim(
        &app,
        &c,
        &format!("/admin/pengguna/{id}/sandi"),
        &[("sandi_baru", "pendek")],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("minimal 10 karakter"));
    let r = kirim(
        &app,
        &c,
        &format!("/admin/pengguna/{id}/sandi"),
        &[("sandi_baru", "sandi-reset-999")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        op.get(app.url("/akun/kata-sandi")).send().await.unwrap().status(),
        303,
        "session survived the reset"
    );
    assert_eq!(app.masuk("op.a", SANDI).await.1.status(), 401);
    let (op, r) = app.masuk("op.a", "sandi-reset-999").await;
    assert_eq!(r.status(), 303);

    // Moving the operator to another desa ends its session; it then lands on the new desa.
    let r = kirim(
        &app,
        &c,
        &format!("/admin/pengguna/{id}"),
        &[
            ("nama_lengkap", "Operator Pindah"),
            ("peran", "operator"),
            ("cakupan", DESA_B),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(op.get(app.url("/akun/kata-sandi")).send().await.unwrap().status(), 303);
    let (_, r) = app.masuk("op.a", "sandi-reset-999").await;
    assert_eq!(r.headers()["location"], format!("/desa/{DESA_B}").as_str());
    // A scope that does not fit the role is refused and nothing changes.
    let r = kirim(
        &app,
        &c,
        &format!("/admin/pengguna/{id}"),
        &[("nama_lengkap", "X"), ("peran", "kecamatan"), ("cakupan", DESA_B)],
    )
    .await;
    assert_eq!(r.status(), 422);
    let peran: String = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar::<_, String>("SELECT peran FROM pengguna WHERE id = $1").bind(id).fetch_one(c).await.unwrap()
    });
    assert_eq!(peran, "operator");
}

#[tokio::test]
async fn selain_admin_tidak_boleh_membuka_administrasi() {
    let app = spawn_app().await;
    app.pengguna("op.a", "operator", DESA_A).await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    for u in ["op.a", "kec"] {
        let c = app.masuk_ok(u).await;
        for p in [
            "/admin",
            "/admin/pengguna",
            "/admin/pengguna/1",
            "/admin/desa",
            &format!("/admin/desa/{DESA_A}"),
        ] {
            assert_eq!(c.get(app.url(p)).send().await.unwrap().status(), 403, "{u} GET {p}");
        }
        let csrf = app.csrf(&c, "/akun/kata-sandi").await;
        let r = c
            .post(app.url("/admin/pengguna"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", "penyusup"),
                ("peran", "admin"),
                ("password", "sandi-penyusup-1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{u} POST");
    }
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM pengguna WHERE username = 'penyusup'")
            .await,
        0
    );
}

#[tokio::test]
async fn admin_mengatur_desa() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    let path = format!("/admin/desa/{DESA_A}");
    let html = c.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("value=\"Pembakal\""));

    let r = kirim(
        &app,
        &c,
        &path,
        &[
            ("sebutan_kepala_desa", "Kepala Desa"),
            ("sebutan_kepala_dusun", "Kepala Wilayah"),
            ("struktur", "sederhana"),
            ("dusun", "Dusun Mekar\r\nDusun Harapan\r\n"),
            ("alamat_kop", "Jalan Poros Hauwai No. 1"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let html = c
        .get(app.url(&format!("/desa/{DESA_A}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let jabatan = semua_teks(&html, ".daftar-susunan li");
    assert_eq!(
        jabatan,
        vec![
            "Kepala Desa",
            "Sekretaris Desa",
            "Kepala Urusan Umum dan Perencanaan",
            "Kepala Urusan Keuangan",
            "Kepala Seksi Pemerintahan",
            "Kepala Seksi Kesejahteraan dan Pelayanan",
            "Kepala Wilayah Dusun Mekar",
            "Kepala Wilayah Dusun Harapan",
        ]
    );
    assert!(html.contains("Jalan Poros Hauwai No. 1"));
    assert_eq!(
        app.jumlah("SELECT COUNT(*) FROM audit WHERE aksi = 'desa_diubah'")
            .await,
        1
    );

    // Renaming keeps the dusun that stayed (same row), removes the other.
    let id_mekar = app.jumlah("SELECT id FROM dusun WHERE nama = 'Dusun Mekar'").await;
    let r = kirim(
        &app,
        &c,
        &path,
        &[
            ("sebutan_kepala_desa", "Kepala Desa"),
            ("sebutan_kepala_dusun", "Kepala Wilayah"),
            ("struktur", "sederhana"),
            ("dusun", "Dusun Baru\nDusun Mekar"),
            ("alamat_kop", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.jumlah("SELECT id FROM dusun WHERE nama = 'Dusun Mekar'").await,
        id_mekar
    );
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM dusun").await, 2);

    // Bad input: messages per field, nothing changed.
    let r = kirim(
        &app,
        &c,
        &path,
        &[
            ("sebutan_kepala_desa", ""),
            ("sebutan_kepala_dusun", "Kepala Dusun"),
            ("struktur", "besar"),
            ("dusun", "A\na"),
            ("alamat_kop", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    let galat = semua_teks(&html, ".galat-isian");
    assert_eq!(galat.len(), 3, "{galat:?}");
    assert!(galat[0].contains("Sebutan kepala desa wajib diisi"));
    assert!(galat[1].contains("Pilih susunan organisasi"));
    assert!(galat[2].contains("lebih dari sekali"));
    let s: String = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar::<_, String>("SELECT struktur FROM desa WHERE kode = $1").bind(DESA_A).fetch_one(c).await.unwrap()
    });
    assert_eq!(s, "sederhana");
}

#[tokio::test]
async fn admin_mereset_sandinya_sendiri_tetap_masuk() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    let id = app.jumlah("SELECT id FROM pengguna WHERE username = 'admin'").await;
    let r = kirim(
        &app,
        &c,
        &format!("/admin/pengguna/{id}/sandi"),
        &[("sandi_baru", "kuda-lari-lambat-1")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(c.get(app.url("/admin")).send().await.unwrap().status(), 200);
    assert_eq!(app.masuk("admin", "kuda-lari-lambat-1").await.1.status(), 303);
}

/// Issue 17: the admin keeps the holidays on a page (they were only in the API): added with a
/// date as people write it, a date already listed named beside its field, removed again.
#[tokio::test]
async fn admin_mengelola_hari_libur_di_halaman() {
    let app = spawn_app().await;
    let c = app.masuk_ok("admin").await;
    let beranda = app.html(&c, "/admin").await;
    assert!(beranda.contains("href=\"/admin/hari-libur\""));
    let r = kirim(
        &app,
        &c,
        "/admin/hari-libur",
        &[("tanggal", "25 Desember 2026"), ("nama", "Hari Raya Natal")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let html = app.html(&c, "/admin/hari-libur").await;
    assert!(
        html.contains("Hari Raya Natal (25 Desember 2026) ditambahkan."),
        "{html}"
    );
    assert!(semua_teks(&html, "td[data-label=\"Tanggal\"]").contains(&"25 Desember 2026".to_string()));
    let r = kirim(
        &app,
        &c,
        "/admin/hari-libur",
        &[("tanggal", "25-12-2026"), ("nama", "Natal")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        teks(&html, ".isian-galat .galat-isian")
            .unwrap_or_default()
            .contains("sudah tercatat sebagai hari libur"),
        "{html}"
    );
    let r = kirim(
        &app,
        &c,
        "/admin/hari-libur",
        &[("tanggal", "31-02-2026"), ("nama", "")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Tanggal hari libur wajib diisi sebagai tanggal yang valid"),
        "{html}"
    );
    assert!(html.contains("Nama hari libur wajib diisi"), "{html}");
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM hari_libur").await, 1);
    let r = kirim(&app, &c, "/admin/hari-libur/hapus", &[("tanggal", "2026-12-25")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.jumlah("SELECT COUNT(*) FROM hari_libur").await, 0);
    // Others may not.
    app.pengguna("kec", "kecamatan", HALONG).await;
    let k = app.masuk_ok("kec").await;
    assert_eq!(k.get(app.url("/admin/hari-libur")).send().await.unwrap().status(), 403);
}

/// Issue 16: the desa list is kept in the process per version of the desa data. A change made
/// here (the admin's settings) and one made by another process on the same database (another
/// `serve`, `init` from the command line — here a second handle of the database) are both seen
/// at the next request: never a stale list.
#[tokio::test]
async fn daftar_desa_tersimpan_tetapi_tidak_pernah_basi() {
    let app = spawn_app().await;
    app.pengguna("kec", "kecamatan", HALONG).await;
    let kec = Api::baru(&app, "kec").await;
    let dusun_a = async || -> i64 {
        let v = kec.json("/api/v1/desa").await;
        v.as_array().unwrap().iter().find(|d| d["kode"] == DESA_A).unwrap()["jumlah_dusun"]
            .as_i64()
            .unwrap()
    };
    let awal = dusun_a().await;
    assert_eq!(kec.json("/api/v1/desa").await.as_array().unwrap().len(), 24);
    // The admin adds two dusun on the settings page.
    let c = app.masuk_ok("admin").await;
    let r = kirim(
        &app,
        &c,
        &format!("/admin/desa/{DESA_A}"),
        &[
            ("sebutan_kepala_desa", "Pembakal"),
            ("sebutan_kepala_dusun", "Kepala Dusun"),
            ("struktur", "sederhana"),
            ("dusun", "Dusun Mekar\r\nDusun Harapan\r\n"),
            ("alamat_kop", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(dusun_a().await, 2, "was {awal}");
    // Another process renames a desa behind this one's back.
    let lain = sipkatdes::db::Db::connect(app.db_url.as_deref(), app.data_dir())
        .await
        .unwrap();
    let mut tx = lain.begin().await.unwrap();
    sipkatdes::tx!(&mut tx, c => {
        sqlx::query("UPDATE desa SET nama = 'Hauwai Baru' WHERE kode = $1").bind(DESA_A).execute(c).await.unwrap();
    });
    tx.commit().await.unwrap();
    let v = kec.json("/api/v1/desa").await;
    let a = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kode"] == DESA_A)
        .unwrap()
        .clone();
    assert_eq!(a["nama"], "Hauwai Baru", "{a}");
    // And a search of the Daftar Desa page sees it too.
    let html = app.html(&c, "/desa?cari=baru").await;
    assert!(html.contains("Hauwai Baru"), "{html}");
    lain.close().await;
}

/// Issue 16: *Daftar Desa* a page of 100 at a time (a province's 1,872 desa were one 733 KB
/// page), with the count of all, the search kept across pages, and a page number out of range
/// taken as the nearest page.
#[tokio::test]
async fn daftar_desa_per_halaman() {
    let kec: Vec<String> = (1..=8).map(|i| format!("63.11.0{i}")).collect();
    let kec: Vec<&str> = kec.iter().map(String::as_str).collect();
    let app = spawn_app_penuh(&kec, |_| {}).await;
    app.pengguna("kab", "kabupaten", "63.11").await;
    let c = app.masuk_ok("kab").await;
    let html = app.html(&c, "/desa").await;
    let baris = semua_teks(&html, "table tbody tr");
    assert_eq!(baris.len(), 100);
    let ket = teks(&html, ".judul-halaman .keterangan").unwrap();
    assert!(
        ket.starts_with("154 desa dalam cakupan Anda, 100 di halaman ini"),
        "{ket}"
    );
    assert!(teks(&html, ".halaman-halaman").unwrap().contains("Halaman 1 dari 2"));
    let html2 = app.html(&c, "/desa?halaman=2").await;
    assert_eq!(semua_teks(&html2, "table tbody tr").len(), 54);
    assert!(!html2.contains(&baris[0]), "page 2 does not repeat page 1");
    assert_eq!(
        app.html(&c, "/desa?halaman=99").await,
        html2,
        "past the end: the last page"
    );
    // A search that matches over a page keeps its words in the page links.
    let html = app.html(&c, "/desa?cari=a").await;
    assert_eq!(semua_teks(&html, "table tbody tr").len(), 100);
    let doc = scraper::Html::parse_document(&html);
    let berikut = doc
        .select(&scraper::Selector::parse(".halaman-halaman a[rel=next]").unwrap())
        .next()
        .and_then(|a| a.value().attr("href"))
        .map(str::to_string);
    assert_eq!(berikut.as_deref(), Some("/desa?halaman=2&cari=a"));
    let html = app.html(&c, "/desa?cari=hauwai").await;
    assert_eq!(semua_teks(&html, "table tbody tr").len(), 1);
    assert!(
        teks(&html, ".judul-halaman .keterangan")
            .unwrap()
            .starts_with("1 desa cocok dengan")
    );
    assert!(!html.contains("halaman-halaman"));
}
