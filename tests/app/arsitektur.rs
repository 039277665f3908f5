//! The import rule of ARCHITECTURE.md, read from the source: the module graph has no cycle,
//! the domain folders import no web framework and nothing above them, `web` and `api` never
//! import each other, and no code but `akun::cakupan` writes a scope condition on a region code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under src/, as a module path ("perangkat::data", "app", "lib").
fn berkas() -> BTreeMap<String, String> {
    fn jalan(dir: &Path, awalan: &[String], hasil: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let nama = p.file_stem().unwrap().to_string_lossy().to_string();
            if p.is_dir() {
                let mut a = awalan.to_vec();
                a.push(nama);
                jalan(&p, &a, hasil);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let mut a = awalan.to_vec();
                if nama != "mod" {
                    a.push(nama);
                }
                let modul = if a.is_empty() { "lib".to_string() } else { a.join("::") };
                hasil.insert(modul, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut hasil = BTreeMap::new();
    jalan(&src(), &[], &mut hasil);
    hasil.remove("main");
    hasil
}

/// The text without comments (doc comments name modules without importing them).
fn tanpa_komentar(s: &str) -> String {
    s.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file refers to (`crate::a::b`, `super::x`, `use a::{b, c}` inside the
/// crate), each resolved to the longest module path that is a file.
fn rujukan(modul: &str, isi: &str, semua: &BTreeSet<String>) -> BTreeSet<String> {
    let isi = tanpa_komentar(isi);
    let induk: Vec<&str> = if modul == "lib" {
        vec![]
    } else {
        modul.split("::").collect()
    };
    // The module a file's `super::` names: its parent (for a mod.rs, the folder's parent).
    let dasar_super: Vec<&str> = induk[..induk.len().saturating_sub(1)].to_vec();
    let mut hasil = BTreeSet::new();
    let byte = isi.as_bytes();
    let mut tambah = |bagian: Vec<String>| {
        // The longest prefix that is a module file.
        for n in (1..=bagian.len()).rev() {
            let m = bagian[..n].join("::");
            if semua.contains(&m) {
                if m != modul {
                    hasil.insert(m);
                }
                break;
            }
        }
    };
    let mut i = 0;
    while i < byte.len() {
        let sisa = &isi[i..];
        let sebelum_ok = i == 0 || !(byte[i - 1].is_ascii_alphanumeric() || byte[i - 1] == b'_' || byte[i - 1] == b'$');
        let (awal, lewati) = if sisa.starts_with("crate::") && sebelum_ok {
            (Vec::<&str>::new(), 7)
        } else if sisa.starts_with("super::") && sebelum_ok {
            (dasar_super.clone(), 7)
        } else {
            i += sisa.chars().next().map(char::len_utf8).unwrap_or(1);
            continue;
        };
        let awal: Vec<String> = awal.iter().map(|s| s.to_string()).collect();
        let panjang = jalur_penuh(&isi[i + lewati..], &awal, &mut tambah);
        i += lewati + panjang.max(1);
    }
    hasil
}

/// Reads one path after `crate::` / `super::` — `a::b`, `a::{b, c::d}`, `{a, b}` — and hands
/// every full path to `tambah`; returns the number of bytes read.
fn jalur_penuh(teks: &str, awal: &[String], tambah: &mut impl FnMut(Vec<String>)) -> usize {
    let kepala: String = teks
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    let mut bagian: Vec<String> = awal.to_vec();
    bagian.extend(kepala.split("::").filter(|s| !s.is_empty()).map(str::to_string));
    let sisa = &teks[kepala.len()..];
    if (kepala.is_empty() || kepala.ends_with("::")) && sisa.starts_with('{') {
        // A group: split at top-level commas.
        let mut kedalaman = 0;
        let mut mulai = 1;
        let mut akhir = sisa.len();
        let b = sisa.as_bytes();
        let mut isi_grup = Vec::new();
        for (j, &c) in b.iter().enumerate() {
            match c {
                b'{' => kedalaman += 1,
                b'}' => {
                    kedalaman -= 1;
                    if kedalaman == 0 {
                        isi_grup.push((mulai, j));
                        akhir = j + 1;
                        break;
                    }
                }
                b',' if kedalaman == 1 => {
                    isi_grup.push((mulai, j));
                    mulai = j + 1;
                }
                _ => {}
            }
        }
        for (a, z) in isi_grup {
            let bagian_grup = sisa[a..z].trim();
            if bagian_grup.is_empty() || bagian_grup == "self" {
                tambah(bagian.clone());
                continue;
            }
            jalur_penuh(bagian_grup, &bagian, tambah);
        }
        return kepala.len() + akhir;
    }
    tambah(bagian);
    kepala.len()
}

fn graf() -> BTreeMap<String, BTreeSet<String>> {
    let f = berkas();
    let semua: BTreeSet<String> = f.keys().cloned().collect();
    f.iter().map(|(m, isi)| (m.clone(), rujukan(m, isi, &semua))).collect()
}

fn akar(m: &str) -> &str {
    m.split("::").next().unwrap()
}

#[test]
fn graf_modul_tanpa_lingkaran() {
    let g = graf();
    // Depth-first search for a cycle; report it as a path.
    #[derive(Clone, Copy, PartialEq)]
    enum Warna {
        Putih,
        Abu,
        Hitam,
    }
    let mut warna: BTreeMap<&str, Warna> = g.keys().map(|k| (k.as_str(), Warna::Putih)).collect();
    fn kunjungi<'a>(
        m: &'a str,
        g: &'a BTreeMap<String, BTreeSet<String>>,
        warna: &mut BTreeMap<&'a str, Warna>,
        jejak: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        warna.insert(m, Warna::Abu);
        jejak.push(m);
        for n in g.get(m).into_iter().flatten() {
            match warna.get(n.as_str()).copied() {
                Some(Warna::Abu) => {
                    let i = jejak.iter().position(|x| *x == n).unwrap();
                    let mut c: Vec<String> = jejak[i..].iter().map(|s| s.to_string()).collect();
                    c.push(n.clone());
                    return Some(c);
                }
                Some(Warna::Putih) => {
                    if let Some(c) = kunjungi(n, g, warna, jejak) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        jejak.pop();
        warna.insert(m, Warna::Hitam);
        None
    }
    let kunci: Vec<&str> = g.keys().map(String::as_str).collect();
    for m in kunci {
        if warna[m] == Warna::Putih {
            let mut jejak = Vec::new();
            if let Some(c) = kunjungi(m, &g, &mut warna, &mut jejak) {
                panic!("import loop: {}", c.join(" -> "));
            }
        }
    }
}

/// The layers, top to bottom. A module may refer to its own layer's others only where the
/// graph stays acyclic (tested above) and never to a layer above.
const LAPISAN: &[&[&str]] = &[
    &["lib", "cli"],
    &["demo", "bangkit", "cadangan"],
    &["app"],
    &["web", "api"],
    &["kernel"],
    &["impor", "kecamatan", "laporan", "publik", "rekomendasi"],
    &["sk"],
    &["dokumen"],
    &["perangkat"],
    &["desa"],
    &["akun"],
    &["audit", "wilayah"],
    &["db", "error", "kode", "id", "waktu"],
];

fn lapisan(m: &str) -> usize {
    let a = akar(m);
    LAPISAN
        .iter()
        .position(|l| l.contains(&a))
        .unwrap_or_else(|| panic!("module {m} has no layer in LAPISAN (tests/app/arsitektur.rs)"))
}

#[test]
fn tidak_ada_impor_ke_lapisan_atas() {
    let mut salah = Vec::new();
    for (m, ke) in graf() {
        if m == "lib" {
            continue;
        }
        for n in ke {
            if lapisan(&n) < lapisan(&m) {
                salah.push(format!("{m} -> {n}"));
            }
            if (akar(&m), akar(&n)) == ("web", "api") || (akar(&m), akar(&n)) == ("api", "web") {
                salah.push(format!("{m} -> {n} (web and api share the kernel, never each other)"));
            }
        }
    }
    assert!(salah.is_empty(), "imports that run up:\n{}", salah.join("\n"));
}

#[test]
fn domain_tanpa_kerangka_web() {
    let domain = [
        "akun",
        "audit",
        "db",
        "desa",
        "dokumen",
        "impor",
        "kecamatan",
        "laporan",
        "perangkat",
        "publik",
        "rekomendasi",
        "sk",
        "wilayah",
        "error",
        "kode",
        "id",
        "waktu",
    ];
    let mut salah = Vec::new();
    for (m, isi) in berkas() {
        if !domain.contains(&akar(&m)) {
            continue;
        }
        let isi = tanpa_komentar(&isi);
        for kata in [
            "axum",
            "askama",
            "tower",
            "crate::app",
            "crate::web",
            "crate::api",
            "crate::kernel",
            "crate::cli",
            "crate::demo",
        ] {
            if isi.contains(&format!("{kata}::")) || isi.contains(&format!("use {kata};")) {
                salah.push(format!("{m} uses {kata}"));
            }
        }
    }
    assert!(
        salah.is_empty(),
        "domain modules that reach a web framework or a layer above:\n{}",
        salah.join("\n")
    );
}

#[test]
fn syarat_cakupan_hanya_dari_cakupan() {
    let mut salah = Vec::new();
    for (m, isi) in berkas() {
        if m == "akun::cakupan" {
            continue;
        }
        let isi = tanpa_komentar(&isi);
        for (n, baris) in isi.lines().enumerate() {
            let b = baris.to_lowercase();
            let kode_like = ["desa_kode like", "d.kode like", "kode like $", "cakupan like $"]
                .iter()
                .any(|p| b.contains(p));
            let pola = b.contains("pola_cakupan") || b.contains("format!(\"{}%\"") || b.contains("format!(\"{k}%\"");
            if kode_like || pola {
                salah.push(format!("{m}:{}: {}", n + 1, baris.trim()));
            }
        }
    }
    // Text searches (`%…%`) that also match a code as text are searches, not scopes: the
    // admin's search of accounts, the search of the desa list by name or code.
    salah.retain(|s| !s.contains("LOWER(username) LIKE") && !s.contains("OR d.kode LIKE $2 OR"));
    assert!(
        salah.is_empty(),
        "scope conditions written outside Cakupan:\n{}",
        salah.join("\n")
    );
}
