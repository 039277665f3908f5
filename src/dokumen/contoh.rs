//! A plain one-page A4 PDF of an SK (decree) made of text lines: the demo's fictitious SK scans
//! and the tests' fixtures. Real SK scans come from the desa's scanner. Also the demo's
//! officials' photos: a drawn silhouette, obviously not a person ([`potret`]).

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

/// A PDF whose page shows `baris` (Latin-1 text), the first line as a bold heading.
pub fn pdf(baris: &[String]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let biasa = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let tebal = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica-Bold" });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => biasa, "F2" => tebal } });
    let mut ops = vec![Operation::new("BT", vec![]), Operation::new("TL", vec![18.into()])];
    ops.push(Operation::new("Td", vec![60.into(), 770.into()]));
    for (i, b) in baris.iter().enumerate() {
        let (font, size) = if i == 0 { ("F2", 14) } else { ("F1", 11) };
        ops.push(Operation::new("Tf", vec![font.into(), size.into()]));
        let latin1: Vec<u8> = b
            .chars()
            .map(|c| if (c as u32) < 256 { c as u8 } else { b'?' })
            .collect();
        ops.push(Operation::new("Tj", vec![Object::string_literal(latin1)]));
        ops.push(Operation::new("T*", vec![]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops };
    let isi = content.encode().expect("content encodes");
    let content_id = doc.add_object(Stream::new(dictionary! {}, isi));
    let page_id = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id });
    let pages = dictionary! {
        "Type" => "Pages",
        "Kids" => vec![page_id.into()],
        "Count" => 1,
        "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    };
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("PDF writes to memory");
    out
}

/// A 300×400 JPEG of a drawn silhouette (head and shoulders on a coloured background): the
/// demo's officials' photos, plainly not of anyone. `benih` picks the colours.
pub fn potret(benih: u64) -> Vec<u8> {
    let latar = [[208, 224, 240], [222, 236, 214], [240, 226, 206], [230, 220, 238]][(benih % 4) as usize];
    let baju = [[40, 70, 120], [90, 60, 40], [30, 90, 70], [110, 40, 60]][((benih / 4) % 4) as usize];
    let kulit = [[196, 150, 112], [170, 124, 90], [214, 170, 130]][((benih / 16) % 3) as usize];
    let img = image::RgbImage::from_fn(300, 400, |x, y| {
        let (fx, fy) = (x as f32 - 150.0, y as f32);
        let kepala = (fx / 62.0).powi(2) + ((fy - 150.0) / 78.0).powi(2) <= 1.0;
        let bahu = fy > 260.0 && (fx / 140.0).powi(2) + ((fy - 400.0) / 140.0).powi(2) <= 1.0;
        let leher = fy > 210.0 && fy <= 270.0 && fx.abs() < 30.0;
        image::Rgb(if kepala || leher {
            kulit
        } else if bahu {
            baju
        } else {
            latar
        })
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("a JPEG in memory");
    out.into_inner()
}

#[cfg(test)]
mod tests {
    #[test]
    fn pdf_terbaca_kembali() {
        let b = super::pdf(&["KEPUTUSAN PEMBAKAL HAUWAI".into(), "Nomor: 141/05/2023".into()]);
        assert!(b.starts_with(b"%PDF-1.5"));
        assert_eq!(super::super::periksa(&b), Ok(super::super::Jenis::Pdf));
    }
}
