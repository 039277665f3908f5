//! An XLSX import whose sheet the fuzzer writes: the input is the sheet's XML, then (after a
//! NUL byte) the shared strings, then (after another) the styles, zipped here into a workbook
//! that opens, so that the mutations reach calamine's XML reading and the preview rather than
//! stopping at the zip's checksums.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use zip::write::SimpleFileOptions;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Perangkat" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>"#;

fn xlsx(sheet: &[u8], shared: Option<&[u8]>, styles: Option<&[u8]>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut tulis = |nama: &str, isi: &[u8]| {
        z.start_file(nama, o).unwrap();
        z.write_all(isi).unwrap();
    };
    tulis("[Content_Types].xml", CONTENT_TYPES.as_bytes());
    tulis("xl/workbook.xml", WORKBOOK.as_bytes());
    tulis("xl/_rels/workbook.xml.rels", RELS.as_bytes());
    tulis("xl/worksheets/sheet1.xml", sheet);
    if let Some(s) = shared {
        tulis("xl/sharedStrings.xml", s);
    }
    if let Some(s) = styles {
        tulis("xl/styles.xml", s);
    }
    z.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    let mut bagian = data.splitn(3, |b| *b == 0);
    let sheet = bagian.next().unwrap_or_default();
    let shared = bagian.next();
    let styles = bagian.next();
    sipkatdes_fuzz::impor(&xlsx(sheet, shared, styles));
});
