//! A scanned page made ready for OCR: the paper made white, the ink dark, the rules of tables
//! and signature blocks taken away.
//!
//! Measured on the bench's SKs (`bench/sk/`, 48 SKs at 200 dpi, Tesseract 5 `--psm 6`): without
//! this, a ruled table lost its rows (Tesseract takes the ruled block for a picture: only the
//! first cell of it was read) and the typewriter face on grey, slightly blurred paper read
//! "17 - 1 - 2025" as "7 = T=) 2025"; 11 of 24 matching entries had a false alarm. With the paper
//! evened out and the rules removed: 1 of 24, and every planted difference flagged.
//!
//! - **Paper.** The local paper tone is the brightest pixel around each point (a maximum over
//!   a few millimetres, taken on a grid of blocks, then smoothed), so shadows, uneven light and
//!   toner tones are divided away; the result is stretched so that ink is black and paper white.
//! - **Rules.** A dark run longer than [`PANJANG_GARIS_MM`] along a row (or a column) is a line,
//!   not a letter: letters and words have gaps far shorter. The run is looked for in the dark
//!   mask thickened by one pixel across it, so that a rule a little askew still forms one run;
//!   its pixels and their neighbours are painted paper white.
//!
//! Everything is linear in the number of pixels: an A4 page at 300 dpi takes a few tens of
//! milliseconds.

/// A horizontal or vertical run of ink at least this long (millimetres) is a rule.
pub const PANJANG_GARIS_MM: f64 = 10.0;

/// Ink after the paper is evened out: darker than this is part of a rule or a letter.
const GELAP: u8 = 128;

/// Pixels of a rule's neighbourhood lighter than this are left alone (paper already).
const BUKAN_KERTAS: u8 = 200;

/// A grayscale image, one byte per pixel, row by row.
pub struct Abu<'a> {
    pub lebar: usize,
    pub tinggi: usize,
    pub piksel: &'a mut [u8],
}

/// Evens out the paper and removes rules, in place. `dpi` is the image's resolution (an
/// estimate is enough).
pub fn siapkan(g: &mut Abu<'_>, dpi: u32) {
    if g.lebar < 8 || g.tinggi < 8 || g.lebar.checked_mul(g.tinggi) != Some(g.piksel.len()) {
        return;
    }
    ratakan_kertas(g, dpi);
    hapus_garis(g, dpi);
}

/// Divides every pixel by the local paper tone and stretches ink to black, paper to white.
fn ratakan_kertas(g: &mut Abu<'_>, dpi: u32) {
    let (w, h) = (g.lebar, g.tinggi);
    // Blocks of about a third of a millimetre; the paper tone is the brightest over 9 × 9
    // blocks (~3 mm at 300 dpi: wider than any stroke of a letter), then averaged over as many.
    let blok = ((f64::from(dpi) / 75.0).round() as usize).clamp(2, 8);
    let (bw, bh) = (w.div_ceil(blok), h.div_ceil(blok));
    let mut maks = vec![0u8; bw * bh];
    for y in 0..h {
        let baris = &g.piksel[y * w..(y + 1) * w];
        let by = y / blok;
        for (x, &p) in baris.iter().enumerate() {
            let m = &mut maks[by * bw + x / blok];
            if p > *m {
                *m = p;
            }
        }
    }
    let maks = saring(&maks, bw, bh, 4, |a, b| a.max(b));
    let latar = rata_kotak(&maks, bw, bh, 4);
    for y in 0..h {
        let by = y / blok;
        for x in 0..w {
            let l = u32::from(latar[by * bw + x / blok].max(1));
            let p = &mut g.piksel[y * w + x];
            // 255 · p / paper, then 64..242 stretched to 0..255.
            let rasio = (u32::from(*p) * 255 / l).min(255) as i32;
            *p = ((rasio - 64) * 255 / (242 - 64)).clamp(0, 255) as u8;
        }
    }
}

/// A separable filter of radius `r` (window `2r + 1`) with `f` (max), clamped at the edges.
fn saring(src: &[u8], w: usize, h: usize, r: usize, f: impl Fn(u8, u8) -> u8) -> Vec<u8> {
    let mut tengah = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let (a, b) = (x.saturating_sub(r), (x + r).min(w - 1));
            tengah[y * w + x] = src[y * w + a..=y * w + b].iter().copied().fold(0, &f);
        }
    }
    let mut hasil = vec![0u8; w * h];
    for y in 0..h {
        let (a, b) = (y.saturating_sub(r), (y + r).min(h - 1));
        for x in 0..w {
            hasil[y * w + x] = (a..=b).map(|yy| tengah[yy * w + x]).fold(0, &f);
        }
    }
    hasil
}

/// The mean over a `2r + 1` square, clamped at the edges.
fn rata_kotak(src: &[u8], w: usize, h: usize, r: usize) -> Vec<u8> {
    let mut tengah = vec![0u16; w * h];
    for y in 0..h {
        for x in 0..w {
            let (a, b) = (x.saturating_sub(r), (x + r).min(w - 1));
            let s: u32 = src[y * w + a..=y * w + b].iter().map(|&p| u32::from(p)).sum();
            tengah[y * w + x] = (s / (b - a + 1) as u32) as u16;
        }
    }
    let mut hasil = vec![0u8; w * h];
    for y in 0..h {
        let (a, b) = (y.saturating_sub(r), (y + r).min(h - 1));
        for x in 0..w {
            let s: u32 = (a..=b).map(|yy| u32::from(tengah[yy * w + x])).sum();
            hasil[y * w + x] = (s / (b - a + 1) as u32) as u8;
        }
    }
    hasil
}

/// Paints the horizontal and vertical rules paper white.
fn hapus_garis(g: &mut Abu<'_>, dpi: u32) {
    let (w, h) = (g.lebar, g.tinggi);
    let panjang = ((f64::from(dpi) * PANJANG_GARIS_MM / 25.4).round() as usize).max(20);
    let gelap: Vec<bool> = g.piksel.iter().map(|&p| p < GELAP).collect();
    let mut garis = vec![false; w * h];
    // Along rows: ink thickened by a pixel up and down.
    for y in 0..h {
        let tebal = |x: usize| (y.saturating_sub(1)..=(y + 1).min(h - 1)).any(|yy| gelap[yy * w + x]);
        tandai_deret(w, panjang, tebal, |x| garis[y * w + x] = true);
    }
    // Along columns: ink thickened by a pixel left and right.
    for x in 0..w {
        let tebal = |y: usize| (x.saturating_sub(1)..=(x + 1).min(w - 1)).any(|xx| gelap[y * w + xx]);
        tandai_deret(h, panjang, tebal, |y| garis[y * w + x] = true);
    }
    // The rule and its neighbours (a pixel around), where they are not paper already.
    for y in 0..h {
        for x in 0..w {
            if g.piksel[y * w + x] >= BUKAN_KERTAS {
                continue;
            }
            let dekat = (y.saturating_sub(1)..=(y + 1).min(h - 1))
                .any(|yy| (x.saturating_sub(1)..=(x + 1).min(w - 1)).any(|xx| garis[yy * w + xx]));
            if dekat {
                g.piksel[y * w + x] = 255;
            }
        }
    }
}

/// Calls `tandai(i)` for every `i` in a run of `ada(i)` at least `panjang` long, `i < n`.
fn tandai_deret(n: usize, panjang: usize, ada: impl Fn(usize) -> bool, mut tandai: impl FnMut(usize)) {
    let mut awal = None;
    for i in 0..=n {
        let di = i < n && ada(i);
        match (di, awal) {
            (true, None) => awal = Some(i),
            (false, Some(a)) => {
                if i - a >= panjang {
                    (a..i).for_each(&mut tandai);
                }
                awal = None;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn halaman(w: usize, h: usize, kertas: impl Fn(usize, usize) -> u8) -> Vec<u8> {
        (0..w * h).map(|i| kertas(i % w, i / w)).collect()
    }

    /// A letter-sized blob of ink: 3 × 3 mm at 300 dpi with a hole, like an "o".
    fn huruf(p: &mut [u8], w: usize, x0: usize, y0: usize, tinta: u8) {
        for y in y0..y0 + 30 {
            for x in x0..x0 + 24 {
                let tepi = y < y0 + 5 || y >= y0 + 25 || x < x0 + 5 || x >= x0 + 19;
                if tepi {
                    p[y * w + x] = tinta;
                }
            }
        }
    }

    #[test]
    fn garis_tabel_hilang_huruf_tetap() {
        let (w, h) = (600, 400);
        let mut p = halaman(w, h, |_, _| 235);
        // A ruled cell: two rules across, two down, 3 px thick, one of them a pixel askew.
        for x in 20..580 {
            for t in 0..3 {
                p[(50 + t) * w + x] = 40;
                p[(300 + t + x / 300) * w + x] = 40;
            }
        }
        for y in 50..303 {
            for t in 0..3 {
                p[y * w + 20 + t] = 40;
                p[y * w + 577 + t] = 40;
            }
        }
        // A word inside: five letters a few pixels apart.
        for i in 0..5 {
            huruf(&mut p, w, 100 + i * 28, 150, 50);
        }
        let mut g = Abu {
            lebar: w,
            tinggi: h,
            piksel: &mut p,
        };
        siapkan(&mut g, 300);
        let gelap = |x: usize, y: usize| p[y * w + x] < GELAP;
        assert!(
            !gelap(300, 51) && !gelap(300, 301) && !gelap(21, 200) && !gelap(578, 200),
            "rules removed"
        );
        for i in 0..5 {
            let x = 100 + i * 28;
            assert!(gelap(x + 2, 152) && gelap(x + 2, 170), "letter {i} kept");
            assert!(!gelap(x + 12, 165), "the hole of letter {i} stays paper");
        }
        // Paper is white now.
        assert_eq!(p[10 * w + 10], 255);
    }

    #[test]
    fn kertas_tidak_rata_menjadi_putih() {
        // Light falling off from 250 to 120 across the page (a phone photo by a window); the
        // ink is a third of the paper's tone wherever it is.
        let (w, h) = (600, 300);
        let kertas = |x: usize| 250 - (130 * x / w) as u8;
        let mut p = halaman(w, h, |x, _| kertas(x));
        for (i, x0) in [40usize, 300, 540].into_iter().enumerate() {
            huruf(&mut p, w, x0, 100, kertas(x0) / 3);
            assert!(p[100 * w + x0 + 1] < kertas(x0), "letter {i} drawn");
        }
        let mut g = Abu {
            lebar: w,
            tinggi: h,
            piksel: &mut p,
        };
        siapkan(&mut g, 300);
        for x0 in [40usize, 300, 540] {
            assert!(p[102 * w + x0 + 2] < 40, "ink black at x {x0}: {}", p[102 * w + x0 + 2]);
            assert!(p[250 * w + x0] > 230, "paper white at x {x0}: {}", p[250 * w + x0]);
        }
    }

    #[test]
    fn gambar_kecil_atau_salah_ukuran_dibiarkan() {
        let mut p = vec![10u8; 12];
        siapkan(
            &mut Abu {
                lebar: 4,
                tinggi: 3,
                piksel: &mut p,
            },
            300,
        );
        assert_eq!(p, vec![10u8; 12]);
        let mut p = vec![10u8; 100];
        siapkan(
            &mut Abu {
                lebar: 20,
                tinggi: 20,
                piksel: &mut p,
            },
            300,
        );
        assert_eq!(p, vec![10u8; 100], "a buffer of the wrong size is left alone");
    }
}
