//! Compares an entry with the text of its SK, field by field (verification, not extraction).
//!
//! Each entered value is looked for in the SK's text, tolerant of what OCR and typists do.
//! Every field gets one [`Hasil`]: `cocok` (found, equal after normalising), `mirip` (the SK
//! states a close but different value: a typo on one side, shown as the SK's own text),
//! `tidak_ditemukan` (the SK does not seem to state it), `tidak_terbaca` (no usable text).

use serde::Serialize;
use time::Date;

use crate::desa::jabatan::Jabatan;
use crate::kode::Kode;
use crate::kode_enum;

kode_enum!(
    /// A field of the entry that the machine looks for in the SK.
    Medan {
        Nama => "nama", "Nama";
        Nik => "nik", "NIK";
        TempatLahir => "tempat_lahir", "Tempat lahir";
        TanggalLahir => "tanggal_lahir", "Tanggal lahir";
        Jabatan => "jabatan", "Jabatan";
        NomorSk => "nomor_sk_pengangkatan", "Nomor SK";
        TanggalSk => "tanggal_sk_pengangkatan", "Tanggal SK";
        Tmt => "tmt", "TMT";
    }
);

kode_enum!(
    /// The result of one field.
    Hasil {
        Cocok => "cocok", "cocok";
        Mirip => "mirip", "mirip";
        TidakDitemukan => "tidak_ditemukan", "tidak ditemukan";
        TidakTerbaca => "tidak_terbaca", "tidak terbaca";
    }
);

macro_rules! baca_kode {
    ($t:ty) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t as Kode>::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("kode tidak dikenal: {s}")))
            }
        }
    };
}
baca_kode!(Medan);
baca_kode!(Hasil);

/// The version of the comparison: part of every stored result's fingerprint, so that results
/// are computed again after the rules here change. Change it with every change of behaviour.
pub const VERSI: &str = "cocok-6";

/// What was entered, as the SK would state it. Empty text or `None`: not entered (the field is
/// left out of the result).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entri {
    pub nama: String,
    pub gelar_depan: String,
    pub gelar_belakang: String,
    pub nik: String,
    pub tempat_lahir: String,
    pub tanggal_lahir: Option<Date>,
    /// The names the SK may use for the position: the catalogue name, the desa's local title
    /// (Pembakal), the usual short forms (Sekdes, Kaur Keuangan).
    pub jabatan: Vec<String>,
    /// The dusun of a Kepala Dusun.
    pub dusun: String,
    pub nomor_sk: String,
    pub tanggal_sk: Option<Date>,
    pub tmt: Option<Date>,
}

/// The result of one field.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct HasilMedan {
    pub field: Medan,
    /// The entered value, as shown to people.
    pub nilai: String,
    pub hasil: Hasil,
    /// The SK's own text where the value (or the close value) was found.
    pub teks_sk: Option<String>,
    /// Similarity of `nilai` and `teks_sk`, 0 to 1 (1 for `cocok`).
    pub skor: f64,
}

impl HasilMedan {
    /// The warning of a `mirip`, in plain words: "Nama pada SK: 'Ahmad Fauzi'; yang diisi:
    /// 'Ahmad Fauzan'."
    pub fn pesan(&self) -> Option<String> {
        (self.hasil == Hasil::Mirip).then(|| {
            format!(
                "{} pada SK: '{}'; yang diisi: '{}'.",
                self.field.label(),
                self.teks_sk.as_deref().unwrap_or_default(),
                self.nilai
            )
        })
    }
}

/// The names an SK may give a position: the catalogue name, the desa's local title (Pembakal
/// for a Kepala Desa in Kalimantan Selatan) and the usual short forms (Sekdes, Kaur Keuangan).
/// The first is the catalogue's (or the local) name, shown to people.
pub fn sebutan_jabatan(j: Jabatan, sebutan_kepala_desa: &str, sebutan_kepala_dusun: &str) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    let mut tambah = |s: &str| {
        let s = s.trim();
        if !s.is_empty() && !v.iter().any(|x| x.eq_ignore_ascii_case(s)) {
            v.push(s.to_string());
        }
    };
    match j {
        Jabatan::KepalaDesa => {
            tambah(sebutan_kepala_desa);
            tambah("Kepala Desa");
            tambah("Kades");
        }
        Jabatan::KepalaDusun => {
            tambah(sebutan_kepala_dusun);
            tambah("Kepala Dusun");
            tambah("Kadus");
        }
        _ => tambah(j.nama()),
    }
    let lain: &[&str] = match j {
        Jabatan::SekretarisDesa => &["Sekdes", "Sekretaris Pemerintah Desa"],
        Jabatan::KaurTuUmum => &[
            "Kaur Tata Usaha dan Umum",
            "Kepala Urusan TU dan Umum",
            "Kaur TU dan Umum",
            "Kaur TU & Umum",
            "Kaur TU Umum",
        ],
        Jabatan::KaurKeuangan => &["Kaur Keuangan"],
        Jabatan::KaurPerencanaan => &["Kaur Perencanaan"],
        Jabatan::KaurUmumPerencanaan => &["Kaur Umum dan Perencanaan", "Kaur Umum & Perencanaan"],
        Jabatan::KasiPemerintahan => &["Kasi Pemerintahan"],
        Jabatan::KasiKesejahteraan => &["Kasi Kesejahteraan", "Kasi Kesra", "Kepala Seksi Kesra"],
        Jabatan::KasiPelayanan => &["Kasi Pelayanan"],
        Jabatan::KasiKesejahteraanPelayanan => &[
            "Kasi Kesejahteraan dan Pelayanan",
            "Kasi Kesra dan Pelayanan",
            "Kepala Seksi Kesra dan Pelayanan",
        ],
        Jabatan::Staf => &["Staf Desa", "Staf Pelaksana"],
        _ => &[],
    };
    for s in lain {
        tambah(s);
    }
    v
}

/// Compares `entri` with `teks` (the whole SK). `ocr`: the text came from OCR, so the usual
/// recognition confusions (O/0, I/l/1, S/5, B/8, rn/m) count as equal; in a PDF's own text
/// they are real differences.
pub fn cocokkan(teks: &str, ocr: bool, entri: &Entri) -> Vec<HasilMedan> {
    let sk = Sk::baru(teks, ocr);
    daftar_medan(entri)
        .into_iter()
        .map(|(field, nilai)| {
            let temuan = if sk.terbaca() {
                sk.periksa(field, entri)
            } else {
                Temuan::TidakTerbaca
            };
            let (hasil, teks_sk, skor) = match temuan {
                Temuan::Cocok(t) => (Hasil::Cocok, Some(t), 1.0),
                Temuan::Mirip(t, s) => (Hasil::Mirip, Some(t), (s * 100.0).round() / 100.0),
                Temuan::Tidak => (Hasil::TidakDitemukan, None, 0.0),
                Temuan::TidakTerbaca => (Hasil::TidakTerbaca, None, 0.0),
            };
            HasilMedan {
                field,
                nilai,
                hasil,
                teks_sk,
                skor,
            }
        })
        .collect()
}

/// What the search found for one field.
#[derive(Debug)]
enum Temuan {
    Cocok(String),
    /// The SK's text and its similarity to the entry.
    Mirip(String, f64),
    Tidak,
    TidakTerbaca,
}

/// The entered fields in their order, with the value as shown to people.
fn daftar_medan(e: &Entri) -> Vec<(Medan, String)> {
    let mut v = Vec::new();
    if !e.nama.trim().is_empty() {
        v.push((Medan::Nama, nama_lengkap(e)));
    }
    if !e.nik.trim().is_empty() {
        v.push((Medan::Nik, e.nik.trim().to_string()));
    }
    if !e.tempat_lahir.trim().is_empty() {
        v.push((Medan::TempatLahir, e.tempat_lahir.trim().to_string()));
    }
    if let Some(d) = e.tanggal_lahir {
        v.push((Medan::TanggalLahir, crate::waktu::tanggal(d)));
    }
    if let Some(j) = e.jabatan.first() {
        let dusun = nama_dusun(&e.dusun);
        let tampil = if dusun.is_empty() {
            j.clone()
        } else {
            format!("{j} {dusun}")
        };
        v.push((Medan::Jabatan, tampil));
    }
    if !e.nomor_sk.trim().is_empty() {
        v.push((Medan::NomorSk, e.nomor_sk.trim().to_string()));
    }
    if let Some(d) = e.tanggal_sk {
        v.push((Medan::TanggalSk, crate::waktu::tanggal(d)));
    }
    if let Some(d) = e.tmt {
        v.push((Medan::Tmt, crate::waktu::tanggal(d)));
    }
    v
}

fn nama_lengkap(e: &Entri) -> String {
    let mut s = String::new();
    if !e.gelar_depan.trim().is_empty() {
        s.push_str(e.gelar_depan.trim());
        s.push(' ');
    }
    s.push_str(e.nama.trim());
    if !e.gelar_belakang.trim().is_empty() {
        s.push_str(", ");
        s.push_str(e.gelar_belakang.trim());
    }
    s
}

/// A dusun's name without a leading "Dusun".
fn nama_dusun(s: &str) -> &str {
    let s = s.trim();
    match s.get(..6) {
        Some(a) if a.eq_ignore_ascii_case("dusun ") => s[6..].trim(),
        _ => s,
    }
}

/// The least number of letters and digits an SK's text must have to be read at all.
const HURUF_MINIMUM: usize = 40;

/// The SK's text, prepared for the search.
struct Sk<'a> {
    asli: &'a str,
    ocr: bool,
    n: Normal,
    token: Vec<Token>,
    tanggal: Vec<TanggalSk>,
    /// "berlaku sejak tanggal ditetapkan": the TMT is the date of the SK.
    tmt_saat_ditetapkan: bool,
}

impl<'a> Sk<'a> {
    fn baru(asli: &'a str, ocr: bool) -> Sk<'a> {
        let n = Normal::dari(asli, ocr);
        let token = Token::semua(asli, ocr);
        let tanggal = TanggalSk::semua(asli, &token, ocr);
        let kecil = asli
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let tmt_saat_ditetapkan = [
            "sejak tanggal ditetapkan",
            "pada tanggal ditetapkan",
            "mulai tanggal ditetapkan",
        ]
        .iter()
        .any(|f| kecil.contains(f));
        Sk {
            asli,
            ocr,
            n,
            token,
            tanggal,
            tmt_saat_ditetapkan,
        }
    }

    fn terbaca(&self) -> bool {
        self.n.huruf.len() >= HURUF_MINIMUM
    }

    fn periksa(&self, field: Medan, e: &Entri) -> Temuan {
        match field {
            Medan::Nama => self.nama(e),
            Medan::Nik => self.nik(e.nik.trim()),
            Medan::TempatLahir => self.tempat_lahir(e.tempat_lahir.trim()),
            Medan::TanggalLahir => self.tanggal_medan(e.tanggal_lahir, Kelas::Lahir),
            Medan::Jabatan => self.jabatan(&e.jabatan, nama_dusun(&e.dusun)),
            Medan::NomorSk => self.nomor(e.nomor_sk.trim()),
            Medan::TanggalSk => self.tanggal_medan(e.tanggal_sk, Kelas::Sk),
            Medan::Tmt => self.tanggal_medan(e.tmt, Kelas::Tmt),
        }
    }

    fn potongan(&self, a: usize, b: usize) -> String {
        rapikan(&self.asli[self.n.letak[a].0..self.n.letak[b - 1].1])
    }

    // ---- nama -----------------------------------------------------------------------------

    fn nama(&self, e: &Entri) -> Temuan {
        let inti = Normal::dari(e.nama.trim(), self.ocr);
        let gelar: Vec<Vec<char>> = pisah_gelar(&e.gelar_depan)
            .into_iter()
            .chain(pisah_gelar(&e.gelar_belakang))
            .map(|g| Normal::dari(&g, self.ocr).huruf)
            .filter(|g| !g.is_empty())
            .collect();
        let tampil = nama_lengkap(e);
        let mut beda_gelar: Option<String> = None;
        let tepat = self.n.semua_tepat(&inti.huruf).into_iter().map(|(a, b)| (a, b, None));
        let terpisah = self
            .berurutan(e.nama.trim())
            .into_iter()
            .map(|(a, b, t)| (a, b, Some(t)));
        for (a, b, kata) in tepat.chain(terpisah) {
            let (awal, akhir, gelar_sk) = self.gelar_sekitar(a, b);
            let ada_semua = gelar.iter().all(|g| self.n.ada_dekat(g, a, b, 60));
            let lebih = gelar_sk.iter().any(|g| !gelar.contains(g));
            let teks = match kata {
                // A name wrapped in its cell or column: its words, then its titles.
                Some(k) => rapikan(&format!("{k}{}", &self.asli[self.n.letak[b - 1].1..akhir])),
                None => rapikan(&self.asli[awal..akhir]),
            };
            if ada_semua && !lebih {
                return Temuan::Cocok(teks);
            }
            beda_gelar.get_or_insert(teks);
        }
        if let Some(t) = beda_gelar {
            let s = skor_teks(&t, &tampil, self.ocr);
            return Temuan::Mirip(t, s);
        }
        self.teks_bebas(&inti.huruf, &tampil, &self.slot_nama())
    }

    /// The words of `nilai`, each whole and in order, where a value wrapped in a table's cell or
    /// a column has other text between them (at most two line breaks and a few words of the
    /// other columns): `(a, b, the words)` in chars of `n`. OCR may also run two words of the
    /// value together ("JUNAIDIHAMDANI" / "KURNIAWAN"): every grouping of neighbouring words is
    /// tried, each group found as one run of letters.
    fn berurutan(&self, nilai: &str) -> Vec<(usize, usize, String)> {
        let kata: Vec<Vec<char>> = nilai
            .split_whitespace()
            .map(|w| Normal::dari(w, self.ocr).huruf)
            .filter(|w| !w.is_empty())
            .collect();
        if kata.len() < 2 || kata.len() > 8 {
            return Vec::new();
        }
        let mut v = Vec::new();
        // Bit i of `putus`: a break between word i and word i + 1. All words in one group is
        // the whole value, looked for by the caller already.
        for putus in 1u32..(1 << (kata.len() - 1)) {
            let mut kelompok: Vec<Vec<char>> = vec![kata[0].clone()];
            for (i, w) in kata.iter().enumerate().skip(1) {
                if putus & (1 << (i - 1)) != 0 {
                    kelompok.push(w.clone());
                } else if let Some(k) = kelompok.last_mut() {
                    k.extend(w);
                }
            }
            v.extend(self.kelompok_berurutan(&kelompok));
        }
        v
    }

    /// [`Sk::berurutan`] for one grouping of the words.
    fn kelompok_berurutan(&self, kata: &[Vec<char>]) -> Vec<(usize, usize, String)> {
        let letak: Vec<Vec<(usize, usize)>> = kata.iter().map(|w| self.n.semua_tepat(w)).collect();
        let mut v = Vec::new();
        for &(a, b0) in &letak[0] {
            let mut b = b0;
            let mut bagian = vec![self.potongan(a, b0)];
            let mut ok = true;
            for l in &letak[1..] {
                let Some(&(x, y)) = l.iter().find(|&&(x, _)| {
                    x >= b && x <= b + 120 && {
                        let antara = &self.asli[self.n.letak[b - 1].1..self.n.letak[x].0];
                        antara.matches('\n').count() <= 2
                    }
                }) else {
                    ok = false;
                    break;
                };
                bagian.push(self.potongan(x, y));
                b = y;
            }
            if ok {
                v.push((a, b, bagian.join(" ")));
            }
        }
        v
    }

    /// The titles written around a name found at `a..b` (chars of `n`): the byte range of the
    /// name with its titles, and the titles (normalised).
    fn gelar_sekitar(&self, a: usize, b: usize) -> (usize, usize, Vec<Vec<char>>) {
        let mut awal = self.n.letak[a].0;
        let mut akhir = self.n.letak[b - 1].1;
        let mut gelar = Vec::new();
        // Before: "Drs. H. Ahmad" — short words ending in a dot.
        let sebelum = &self.asli[..awal];
        let mut kata: Vec<(usize, &str)> = Vec::new();
        let mut ujung = sebelum.len();
        for (i, w) in sebelum.char_indices().rev() {
            if w == '\n' {
                break;
            }
            if w.is_whitespace() {
                if ujung > i + 1 {
                    kata.push((i + 1, &sebelum[i + 1..ujung]));
                }
                ujung = i;
                if kata.len() >= 3 {
                    break;
                }
            }
        }
        if kata.len() < 3 && ujung > 0 {
            let mulai = sebelum[..ujung].rfind('\n').map(|i| i + 1).unwrap_or(0);
            if mulai < ujung {
                kata.push((mulai, &sebelum[mulai..ujung]));
            }
        }
        for (i, w) in kata {
            if adalah_gelar_depan(w) {
                awal = i;
                gelar.push(Normal::dari(w, self.ocr).huruf);
            } else {
                break;
            }
        }
        // After: ", S.Pd., M.Si" — titles after a comma.
        let sesudah = &self.asli[akhir..];
        let baris = sesudah.split('\n').next().unwrap_or_default();
        let mut rest = baris;
        let mut pakai = 0;
        loop {
            let t = rest.trim_start();
            let lompat = rest.len() - t.len();
            let Some(t2) = t.strip_prefix(',') else { break };
            let t3 = t2.trim_start();
            let panjang: usize = t3
                .char_indices()
                .find(|&(_, c)| c == ',' || c == ';' || c == '(' || c == ':')
                .map(|(i, _)| i)
                .unwrap_or(t3.len());
            // The title's words: "S.Pd." of "S.Pd. 6311… Halong".
            let mut panjang_gelar = 0;
            for (i, w) in t3[..panjang].split_whitespace().map(|w| (t3.find(w).unwrap_or(0), w)) {
                // "S.Pd.I.NIK": the next column's label glued to the title.
                let w = match w.rsplit_once('.') {
                    Some((depan, label)) if KATA_LABEL.contains(&label.to_ascii_lowercase().as_str()) => {
                        &w[..depan.len() + 1]
                    }
                    _ => w,
                };
                if !adalah_gelar_belakang(w) {
                    break;
                }
                panjang_gelar = i + w.len();
                if w.len() < t3[i..].split_whitespace().next().unwrap_or_default().len() {
                    break;
                }
            }
            let calon = &t3[..panjang_gelar];
            if calon.is_empty() {
                break;
            }
            gelar.push(Normal::dari(calon, self.ocr).huruf);
            pakai += lompat + 1 + (t2.len() - t3.len()) + calon.len();
            rest = &rest[lompat + 1 + (t2.len() - t3.len()) + calon.len()..];
        }
        akhir += pakai;
        (awal, akhir, gelar)
    }

    /// Where the SK states a name: "Nama : …", "Saudara …".
    fn slot_nama(&self) -> Vec<String> {
        let mut v = self.slot_label(&["nama lengkap", "nama"], &[]);
        v.extend(self.slot_prosa(
            &[
                "saudara/i",
                "saudari",
                "saudara",
                "sdr/i",
                "sdri.",
                "sdri",
                "sdr.",
                "sdr",
            ],
            &[
                "lahir",
                "nik",
                "tempat",
                "sebagai",
                "umur",
                "pekerjaan",
                "alamat",
                "dengan",
                "jabatan",
                "menjadi",
            ],
        ));
        v.extend(self.slot_tabel());
        v
    }

    /// Names in the rows of a table whose header has a "Nama" column: the words after the
    /// row's number, up to the first number or comma ("1  AHMAD FAUZI, S.Pd.  6311… ").
    fn slot_tabel(&self) -> Vec<String> {
        let baris: Vec<&str> = self.asli.lines().map(str::trim).collect();
        let mut v = Vec::new();
        for (i, b) in baris.iter().enumerate() {
            let kecil = b.to_ascii_lowercase();
            let kata: Vec<&str> = kecil
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let label = [
                "nik",
                "tempat",
                "lahir",
                "jabatan",
                "alamat",
                "pendidikan",
                "ttl",
                "tgl",
            ]
            .iter()
            .filter(|l| kata.contains(l))
            .count();
            if !kata.contains(&"nama") || label < 2 || kecil.contains(':') {
                continue;
            }
            for r in baris[i + 1..].iter().filter(|r| !r.is_empty()).take(4) {
                let mut w = r.split_whitespace().peekable();
                if w.peek()
                    .is_some_and(|x| x.trim_end_matches('.').chars().all(|c| c.is_ascii_digit()))
                {
                    w.next();
                }
                let mut nama: Vec<&str> = Vec::new();
                for x in w {
                    if x.chars().any(|c| c.is_ascii_digit()) {
                        break;
                    }
                    nama.push(x);
                }
                // Keep the name and the titles after its comma; stop at the first word that is
                // neither ("Halong," of the place of birth).
                let mut hasil: Vec<&str> = Vec::new();
                let mut setelah_koma = false;
                for x in nama {
                    if setelah_koma && !adalah_gelar_belakang(x.trim_end_matches(',')) {
                        break;
                    }
                    hasil.push(x);
                    setelah_koma = x.ends_with(',') || setelah_koma;
                }
                let t = rapikan(hasil.join(" ").trim_end_matches(','));
                if !t.is_empty() && t.split_whitespace().count() <= 7 {
                    v.push(t);
                }
            }
        }
        v
    }

    // ---- free text: tempat lahir ----------------------------------------------------------

    fn tempat_lahir(&self, nilai: &str) -> Temuan {
        let pola = Normal::dari(nilai, self.ocr);
        let mut slot: Vec<String> = self
            .slot_label(
                &[
                    "tempat/tanggal lahir",
                    "tempat / tanggal lahir",
                    "tempat, tanggal lahir",
                    "tempat tanggal lahir",
                    "tempat/tgl. lahir",
                    "tempat/tgl lahir",
                    "tempat / tgl lahir",
                    "tempat, tgl. lahir",
                    "tempat, tgl lahir",
                    "tempat tgl lahir",
                    "tempat/tgl.lahir",
                    "tempat lahir",
                    "ttl",
                ],
                &[],
            )
            .into_iter()
            .map(|s| sebelum_tanggal(&s))
            .collect();
        slot.extend(
            self.slot_prosa(&["lahir di"], &["pada", "tanggal", "tgl", "nik", "sebagai"])
                .into_iter()
                .map(|s| sebelum_tanggal(&s)),
        );
        slot.retain(|s| !s.is_empty());
        // Place names stand all over an SK (the kop names the desa, kecamatan and kabupaten):
        // where the SK labels the place of birth, that statement decides.
        if !slot.is_empty() {
            if let Some(t) = slot.iter().find(|t| Normal::dari(t, self.ocr).huruf == pola.huruf) {
                return Temuan::Cocok(t.clone());
            }
            return terbaik(slot, nilai, self.ocr).map_or(Temuan::Tidak, |(t, s)| Temuan::Mirip(t, s));
        }
        self.teks_bebas(&pola.huruf, nilai, &slot)
    }

    /// A free-text value: equal anywhere (whole words) is `cocok`; else what the SK states in
    /// its place (`slot`) or a close text anywhere is `mirip`.
    fn teks_bebas(&self, pola: &[char], tampil: &str, slot: &[String]) -> Temuan {
        if pola.is_empty() {
            return Temuan::Tidak;
        }
        if let Some(&(a, b)) = self.n.semua_tepat(pola).first() {
            return Temuan::Cocok(self.potongan(a, b));
        }
        let dekat = self.n.dekat(pola).map(|(a, b, _)| self.potongan(a, b));
        let mut calon: Vec<String> = slot.to_vec();
        calon.extend(dekat);
        calon.retain(|c| Normal::dari(c, self.ocr).huruf != pola);
        terbaik(calon, tampil, self.ocr).map_or(Temuan::Tidak, |(t, s)| Temuan::Mirip(t, s))
    }

    // ---- NIK ------------------------------------------------------------------------------

    fn nik(&self, nilai: &str) -> Temuan {
        let nilai: String = nilai.chars().filter(|c| c.is_ascii_digit()).collect();
        if nilai.is_empty() {
            return Temuan::Tidak;
        }
        let calon = self.deret_angka(12, 20);
        if let Some(c) = calon.iter().find(|c| c.angka == nilai) {
            return Temuan::Cocok(c.teks.clone());
        }
        let mut pilih: Vec<String> = Vec::new();
        for c in &calon {
            let konteks = self.sebelum(c.awal, 40).to_ascii_lowercase();
            let berlabel = ["nik", "kependudukan", "ktp"].iter().any(|k| konteks.contains(k));
            let jarak = lev(&c.angka.chars().collect::<Vec<_>>(), &nilai.chars().collect::<Vec<_>>());
            if berlabel || jarak <= 4 {
                pilih.push(c.teks.clone());
            }
        }
        terbaik(pilih, &nilai, self.ocr).map_or(Temuan::Tidak, |(t, s)| Temuan::Mirip(t, s))
    }

    /// Runs of digits (with single spaces, dots or hyphens between groups) of `min..=maks`
    /// digits: NIK-like numbers.
    fn deret_angka(&self, min: usize, maks: usize) -> Vec<Deret> {
        let mut v = Vec::new();
        let mut i = 0;
        while i < self.token.len() {
            let Some(a) = self.token[i].angka.clone() else {
                i += 1;
                continue;
            };
            let mut angka = a;
            let mut j = i;
            while j + 1 < self.token.len() {
                let antara = &self.asli[self.token[j].akhir..self.token[j + 1].awal];
                let Some(b) = &self.token[j + 1].angka else { break };
                if antara.len() > 2 || !antara.chars().all(|c| c == ' ' || c == '.' || c == '-') {
                    break;
                }
                if angka.len() + b.len() > maks {
                    break;
                }
                angka.push_str(b);
                j += 1;
            }
            if (min..=maks).contains(&angka.len()) {
                v.push(Deret {
                    angka,
                    awal: self.token[i].awal,
                    teks: rapikan(&self.asli[self.token[i].awal..self.token[j].akhir]),
                });
            }
            i = j + 1;
        }
        v
    }

    /// Up to `n` bytes of the text before byte `i` (on a char boundary).
    fn sebelum(&self, i: usize, n: usize) -> &str {
        let mut a = i.saturating_sub(n);
        while !self.asli.is_char_boundary(a) {
            a += 1;
        }
        &self.asli[a..i]
    }

    // ---- dates ----------------------------------------------------------------------------

    fn tanggal_medan(&self, nilai: Option<Date>, kelas: Kelas) -> Temuan {
        let Some(d) = nilai else { return Temuan::Tidak };
        let kelasnya = |t: &TanggalSk| {
            t.kelas == Some(kelas) || (kelas == Kelas::Tmt && self.tmt_saat_ditetapkan && t.kelas == Some(Kelas::Sk))
        };
        let sama: Vec<&TanggalSk> = self.tanggal.iter().filter(|t| kelasnya(t)).collect();
        if let Some(t) = sama.iter().find(|t| t.tanggal == d) {
            return Temuan::Cocok(t.teks.clone());
        }
        if let Some(t) = sama.iter().max_by_key(|t| komponen_sama(t.tanggal, d)) {
            return Temuan::Mirip(t.teks.clone(), komponen_sama(t.tanggal, d) as f64 / 3.0);
        }
        // The SK does not label this date: an equal date elsewhere (not another field's) counts;
        // the TMT and the date of the SK are often the same day.
        let boleh = |t: &TanggalSk| {
            matches!(
                (kelas, t.kelas),
                (_, None) | (Kelas::Tmt, Some(Kelas::Sk)) | (Kelas::Sk, Some(Kelas::Tmt))
            )
        };
        if let Some(t) = self.tanggal.iter().find(|t| boleh(t) && t.tanggal == d) {
            return Temuan::Cocok(t.teks.clone());
        }
        match self
            .tanggal
            .iter()
            .filter(|t| t.kelas.is_none() && (komponen_sama(t.tanggal, d) == 2 || tertukar(t.tanggal, d)))
            .max_by_key(|t| komponen_sama(t.tanggal, d))
        {
            Some(t) => Temuan::Mirip(t.teks.clone(), komponen_sama(t.tanggal, d) as f64 / 3.0),
            None => Temuan::Tidak,
        }
    }

    // ---- jabatan --------------------------------------------------------------------------

    fn jabatan(&self, sebutan: &[String], dusun: &str) -> Temuan {
        let Some(utama) = sebutan.first() else {
            return Temuan::Tidak;
        };
        let tampil = if dusun.is_empty() {
            utama.clone()
        } else {
            format!("{utama} {dusun}")
        };
        let pola_dusun = Normal::dari(dusun, self.ocr).huruf;
        let mut tanpa_dusun: Option<String> = None;
        for s in sebutan {
            let pola = Normal::dari(s, self.ocr);
            let punya_dan = s
                .to_ascii_lowercase()
                .split_whitespace()
                .any(|w| w == "dan" || w == "&");
            let terpisah = self.berurutan(s).into_iter().map(|(a, b, _)| (a, b));
            for (a, b) in self.n.semua_tepat(&pola.huruf).into_iter().chain(terpisah) {
                // "Kepala Seksi Kesejahteraan" is not "Kepala Seksi Kesejahteraan dan Pelayanan".
                if !punya_dan && self.kata_berikut(b).is_some_and(|w| w == "dan" || w == "&") {
                    continue;
                }
                if pola_dusun.is_empty() {
                    return Temuan::Cocok(self.potongan(a, b));
                }
                if let Some(c) = self.dusun_setelah(b, &pola_dusun) {
                    return Temuan::Cocok(self.potongan(a, c));
                }
                if tanpa_dusun.is_none() {
                    let ujung = self.n.ujung_kata(b, 3);
                    tanpa_dusun = Some(self.potongan(a, ujung));
                }
            }
        }
        let mut calon: Vec<String> = self.slot_label(&["jabatan"], &[]);
        calon.extend(self.slot_prosa(
            &["sebagai", "menjadi", "dalam jabatan"],
            &[
                "terhitung",
                "tmt",
                "dengan",
                "pada",
                "mulai",
                "sejak",
                "berikut",
                "yang",
                "dimaksud",
            ],
        ));
        calon.retain(|c| c.split_whitespace().count() <= 8 && !c.to_ascii_lowercase().starts_with("berikut"));
        calon.extend(tanpa_dusun);
        let pola = Normal::dari(&tampil, self.ocr).huruf;
        if let Some((a, b, _)) = self.n.dekat(&pola) {
            calon.push(self.potongan(a, b));
        }
        calon.retain(|c| Normal::dari(c, self.ocr).huruf != pola);
        terbaik(calon, &tampil, self.ocr).map_or(Temuan::Tidak, |(t, s)| Temuan::Mirip(t, s))
    }

    /// The next word after char `b` of `n`, lower case.
    fn kata_berikut(&self, b: usize) -> Option<String> {
        let sisa = self.asli.get(self.n.letak.get(b.saturating_sub(1))?.1..)?;
        let w = sisa.split_whitespace().next()?;
        Some(
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&')
                .to_ascii_lowercase(),
        )
    }

    /// The end (char of `n`) of `dusun` when it follows char `b` within a few words ("Kepala
    /// Dusun (Kadus) Mekar Sari").
    fn dusun_setelah(&self, b: usize, dusun: &[char]) -> Option<usize> {
        let batas = (b + 24).min(self.n.huruf.len());
        (b..batas).find_map(|i| {
            let ujung = i + dusun.len();
            (self.n.awal_kata[i]
                && self.n.huruf.get(i..ujung) == Some(dusun)
                && (ujung == self.n.huruf.len() || self.n.awal_kata[ujung]))
                .then_some(ujung)
        })
    }

    // ---- nomor SK -------------------------------------------------------------------------

    fn nomor(&self, nilai: &str) -> Temuan {
        let pola = segmen(nilai, self.ocr);
        if pola.is_empty() {
            return Temuan::Tidak;
        }
        // Equal: the segments stand one after another in the text (whatever separates them).
        let seg: Vec<(usize, String)> = self
            .token
            .iter()
            .enumerate()
            .filter(|(_, t)| t.lipat != "tahun")
            .map(|(i, t)| (i, t.lipat.clone()))
            .collect();
        let k = pola.len();
        for w in seg.windows(k) {
            if w.iter().map(|(_, s)| s).eq(pola.iter()) {
                let (a, b) = (self.token[w[0].0].awal, self.token[w[k - 1].0].akhir);
                let antara = &self.asli[a..b];
                if antara.chars().filter(|c| c.is_alphabetic()).count()
                    <= pola.iter().map(|s| s.len()).sum::<usize>() + 5
                {
                    return Temuan::Cocok(rapikan(antara));
                }
            }
        }
        let mut calon: Vec<String> = Vec::new();
        for baris in self.asli.lines() {
            let kecil = baris.to_ascii_lowercase();
            if [
                "undang",
                "peraturan",
                "permendagri",
                "perda",
                "perbup",
                "instruksi",
                "surat edaran",
            ]
            .iter()
            .any(|k| kecil.contains(k))
            {
                continue;
            }
            for label in ["nomor", "no.", "no :", "no:"] {
                let mut dari = 0;
                while let Some(p) = kecil[dari..].find(label) {
                    let p = dari + p;
                    dari = p + label.len();
                    if p > 0 && kecil.as_bytes()[p - 1].is_ascii_alphabetic() {
                        continue;
                    }
                    let sisa = baris[p + label.len()..]
                        .trim_start_matches(|c: char| c.is_whitespace() || c == ':' || c == '.');
                    let sisa_kecil = sisa.to_ascii_lowercase();
                    let ujung = ["tentang", " tanggal", " tgl"]
                        .iter()
                        .filter_map(|k| sisa_kecil.find(k))
                        .min()
                        .unwrap_or(sisa.len());
                    let v = rapikan(&sisa[..ujung]);
                    if !v.is_empty() && v.chars().any(|c| c.is_ascii_digit()) {
                        calon.push(v);
                    }
                }
            }
        }
        // A close run of segments anywhere.
        let gabung = pola.join("/");
        for n in [k.saturating_sub(1).max(1), k, k + 1] {
            for w in seg.windows(n.min(seg.len()).max(1)) {
                let teks = w.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>().join("/");
                if skor(&teks, &gabung) >= 0.75 && w.iter().any(|(_, s)| s.chars().any(|c| c.is_ascii_digit())) {
                    let (a, b) = (self.token[w[0].0].awal, self.token[w[w.len() - 1].0].akhir);
                    calon.push(rapikan(&self.asli[a..b]));
                }
            }
        }
        calon.retain(|c| segmen(c, self.ocr) != pola);
        let mut terbaik_: Option<(String, f64)> = None;
        for c in calon {
            let s = skor(&segmen(&c, self.ocr).join("/"), &gabung);
            if terbaik_.as_ref().is_none_or(|(_, t)| s > *t) {
                terbaik_ = Some((c, s));
            }
        }
        terbaik_.map_or(Temuan::Tidak, |(t, s)| Temuan::Mirip(t, s))
    }

    // ---- slots ----------------------------------------------------------------------------

    /// Values after a label at the start of a line ("Nama : Ahmad Fauzi"), cut before the next
    /// label on the same line (two-column blocks); an empty value takes the next line.
    fn slot_label(&self, label: &[&str], _henti: &[&str]) -> Vec<String> {
        let baris: Vec<&str> = self.asli.lines().collect();
        let mut v = Vec::new();
        for (i, b) in baris.iter().enumerate() {
            let kecil = b.to_ascii_lowercase();
            for l in label {
                let mut dari = 0;
                while let Some(p) = kecil[dari..].find(l) {
                    let p = dari + p;
                    dari = p + l.len();
                    let awal_kata = p == 0 || !kecil.as_bytes()[p - 1].is_ascii_alphanumeric();
                    let akhir_kata = kecil
                        .as_bytes()
                        .get(p + l.len())
                        .is_none_or(|c| !c.is_ascii_alphanumeric());
                    if !awal_kata || !akhir_kata {
                        continue;
                    }
                    // A label stands at the start of a line, after a number, or after the
                    // previous column's value with a colon in it.
                    let depan = kecil[..p].trim();
                    let di_awal = depan.len() <= 4 || depan.contains(':');
                    if !di_awal {
                        continue;
                    }
                    let sisa = &b[p + l.len()..];
                    let t = sisa.trim_start_matches(|c: char| {
                        c.is_whitespace() || matches!(c, '—' | '–' | '-' | '|' | ';' | '.')
                    });
                    let ada_titik_dua = t.starts_with(':') || t.starts_with('=');
                    if !ada_titik_dua && depan.contains(':') {
                        continue;
                    }
                    let t = t.trim_start_matches([':', '=']).trim();
                    let pertama = t.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
                    let pertama = pertama.split(['/', ',', '.']).next().unwrap_or_default();
                    if !ada_titik_dua && KATA_LABEL.contains(&pertama) {
                        // A table's header ("No Nama NIK …"), not a value.
                        continue;
                    }
                    let t = potong_label_berikut(t);
                    let t = if t.is_empty() {
                        baris[i + 1..]
                            .iter()
                            .map(|s| s.trim())
                            .find(|s| !s.is_empty())
                            .map(potong_label_berikut)
                            .unwrap_or_default()
                    } else {
                        t
                    };
                    let t = rapikan(tanpa_tanda_akhir(tanpa_sampah(t)));
                    if !t.is_empty() {
                        v.push(t);
                    }
                }
            }
        }
        v
    }

    /// Values after a word anywhere in the text ("lahir di Halong, …", "sebagai Kepala Dusun
    /// …"), cut at a comma, a full stop or one of the `henti` words.
    fn slot_prosa(&self, kata: &[&str], henti: &[&str]) -> Vec<String> {
        let datar: String = self.asli.split_whitespace().collect::<Vec<_>>().join(" ");
        let kecil = datar.to_ascii_lowercase();
        let mut v = Vec::new();
        for k in kata {
            let mut dari = 0;
            while let Some(p) = kecil[dari..].find(k) {
                let p = dari + p;
                dari = p + k.len();
                if p > 0 && kecil.as_bytes()[p - 1].is_ascii_alphanumeric() {
                    continue;
                }
                if kecil
                    .as_bytes()
                    .get(p + k.len())
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                {
                    continue;
                }
                let sisa = datar[p + k.len()..].trim_start_matches([' ', ':', '.']);
                let sisa_kecil = sisa.to_ascii_lowercase();
                let mut ujung = sisa.find([',', ';', '(', ')', '\n']).unwrap_or(sisa.len());
                if let Some(t) = sisa.find(". ") {
                    ujung = ujung.min(t);
                }
                for h in henti {
                    let pola = format!(" {h}");
                    // The first occurrence as a whole word ("pada", not "padang").
                    let kata_utuh = sisa_kecil.match_indices(&pola).map(|(t, _)| t).find(|&t| {
                        sisa_kecil
                            .as_bytes()
                            .get(t + pola.len())
                            .is_none_or(|c| !c.is_ascii_alphanumeric())
                    });
                    if let Some(t) = kata_utuh {
                        ujung = ujung.min(t);
                    }
                }
                let ujung = ujung.min(120);
                let mut u = ujung;
                while !sisa.is_char_boundary(u) {
                    u -= 1;
                }
                let t = rapikan(tanpa_tanda_akhir(&sisa[..u]));
                if !t.is_empty() && !t.contains(':') {
                    v.push(t);
                }
            }
        }
        v
    }
}

/// A NIK-like run of digits.
struct Deret {
    angka: String,
    awal: usize,
    teks: String,
}

/// Cuts a slot's value before the next label on the same line (a two-column block:
/// "Budi Santoso   Jabatan : Sekretaris Desa" → "Budi Santoso"; OCR may lose the colon or add
/// one: "Tanjung : Tanggal Lahir : 12-05-1986" → "Tanjung").
fn potong_label_berikut(t: &str) -> &str {
    let kecil = t.to_ascii_lowercase();
    let mut ujung = t.len();
    // A label phrase as whole words, colon or not.
    for l in FRASA_LABEL {
        for (p, _) in kecil.match_indices(l) {
            let awal = p == 0 || !kecil.as_bytes()[p - 1].is_ascii_alphanumeric();
            let akhir = kecil
                .as_bytes()
                .get(p + l.len())
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            if awal && akhir && p > 0 {
                ujung = ujung.min(p);
                break;
            }
        }
    }
    // Any colon whose words before it begin with a label word.
    for (p, _) in t.match_indices(':') {
        if p >= ujung {
            break;
        }
        let depan = &t[..p];
        let kata: Vec<(usize, &str)> = depan
            .char_indices()
            .filter(|&(i, c)| !c.is_whitespace() && (i == 0 || depan[..i].ends_with(char::is_whitespace)))
            .map(|(i, _)| (i, depan[i..].split_whitespace().next().unwrap_or_default()))
            .collect();
        let n = kata.len();
        for &(i, w) in &kata[n.saturating_sub(3)..] {
            let w = w.to_ascii_lowercase();
            let pertama = w.split(['/', ',', '.']).next().unwrap_or_default();
            if KATA_LABEL.contains(&pertama) && i > 0 {
                ujung = ujung.min(i);
                break;
            }
        }
        if ujung < t.len() {
            break;
        }
        // "Tanjung : …": a colon right after a value ends it.
        if n > 0 {
            ujung = ujung.min(p);
        }
    }
    t[..ujung].trim_end()
}

/// Labels that end a value even without their colon (OCR loses it).
const FRASA_LABEL: [&str; 14] = [
    "tempat/tanggal lahir",
    "tempat, tanggal lahir",
    "tempat/tgl",
    "tanggal lahir",
    "tgl. lahir",
    "tgl lahir",
    "jenis kelamin",
    "pendidikan",
    "jabatan :",
    "alamat :",
    "agama :",
    "nik :",
    "tmt :",
    "pekerjaan :",
];

/// Strips what OCR leaves around a value ("— : Paringin" → "Paringin").
fn tanpa_sampah(t: &str) -> &str {
    t.trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.')
}

/// Trims what ends a value in a sentence, keeping the dot of a title ("S.Pd.").
fn tanpa_tanda_akhir(t: &str) -> &str {
    let t = t.trim_end_matches([';', ',', ' ']);
    let akhir = t.split_whitespace().last().unwrap_or_default();
    if akhir.ends_with('.') && akhir[..akhir.len() - 1].contains('.') {
        t
    } else {
        t.trim_end_matches(['.', ';', ',', ' '])
    }
}

/// Words that begin a label of an SK's identity block.
const KATA_LABEL: [&str; 17] = [
    "nama",
    "nik",
    "tempat",
    "tanggal",
    "tgl",
    "jabatan",
    "alamat",
    "pendidikan",
    "agama",
    "jenis",
    "pekerjaan",
    "status",
    "nip",
    "dusun",
    "umur",
    "ttl",
    "kelamin",
];

/// "Halong, 12 Mei 1990" → "Halong".
fn sebelum_tanggal(s: &str) -> String {
    let ujung = s
        .char_indices()
        .find(|&(_, c)| c == ',' || c.is_ascii_digit() || c == '/' || c == ':' || c == ';')
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    rapikan(tanpa_sampah(&s[..ujung]))
}

/// The best of `calon` by similarity to `nilai`, if any is close enough to be a statement of
/// the same thing.
fn terbaik(calon: Vec<String>, nilai: &str, ocr: bool) -> Option<(String, f64)> {
    let mut t: Option<(String, f64)> = None;
    for c in calon {
        let s = skor_teks(&c, nilai, ocr);
        if t.as_ref().is_none_or(|(_, x)| s > *x) {
            t = Some((c, s));
        }
    }
    t
}

fn skor_teks(a: &str, b: &str, ocr: bool) -> f64 {
    let a = Normal::dari(a, ocr).huruf;
    let b = Normal::dari(b, ocr).huruf;
    let m = a.len().max(b.len());
    if m == 0 {
        return 0.0;
    }
    1.0 - lev(&a, &b) as f64 / m as f64
}

fn skor(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let m = a.len().max(b.len());
    if m == 0 {
        return 0.0;
    }
    1.0 - lev(&a, &b) as f64 / m as f64
}

/// Titles split into their parts: "Drs. H." → ["Drs.", "H."], "S.Pd., M.Si." → ["S.Pd.", "M.Si."].
fn pisah_gelar(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(String::from)
        .collect()
}

fn adalah_gelar_depan(w: &str) -> bool {
    let k = w.to_ascii_lowercase();
    let k = k.trim_end_matches(',');
    [
        "drs.", "dra.", "dr.", "ir.", "h.", "hj.", "prof.", "drs", "dra", "ir", "h", "hj", "kh.", "ust.", "hajjah",
    ]
    .contains(&k)
}

fn adalah_gelar_belakang(w: &str) -> bool {
    // "S.Pd.", "A.Md.", "S.E", "M.Si", "S.Pd.I", "S.H., M.H." — short, with a dot, letters only.
    let huruf = w.chars().filter(|c| c.is_alphabetic()).count();
    // "NIK." or "Tgl." after the name is the next label, not a title.
    let kata: String = w
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    w.contains('.')
        && !KATA_LABEL.contains(&kata.as_str())
        && huruf <= 8
        && w.chars().all(|c| c.is_alphabetic() || c == '.' || c == ' ')
        && w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// The segments of a number: "141 / 05 / KPTS / 2023" → ["141", "05", "kpts", "2023"]; the word
/// "Tahun" ("Nomor 07 Tahun 2023") is left out.
fn segmen(s: &str, ocr: bool) -> Vec<String> {
    Token::semua(s, ocr)
        .into_iter()
        .map(|t| t.lipat)
        .filter(|t| t != "tahun")
        .collect()
}

/// Collapses whitespace (line breaks inside a value) and trims.
fn rapikan(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Levenshtein distance.
fn lev(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How many of day, month and year are equal.
fn komponen_sama(a: Date, b: Date) -> u8 {
    u8::from(a.day() == b.day()) + u8::from(a.month() == b.month()) + u8::from(a.year() == b.year())
}

/// Day and month swapped (03/04 against 04/03).
fn tertukar(a: Date, b: Date) -> bool {
    a.year() == b.year() && a.day() == b.month() as u8 && b.day() == a.month() as u8
}

/// What a date in the SK is the date of, by the words before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kelas {
    Lahir,
    Sk,
    Tmt,
}

/// A date stated in the SK.
#[derive(Debug)]
struct TanggalSk {
    tanggal: Date,
    teks: String,
    kelas: Option<Kelas>,
}

impl TanggalSk {
    /// Every date of the text in an Indonesian form: "27 Maret 2023", "27-03-2023",
    /// "27/03/2023", "27 - 3 - 2023", "27.03.2023", "27 Mar 2023" (also across a line break).
    fn semua(asli: &str, token: &[Token], ocr: bool) -> Vec<TanggalSk> {
        let mut v = Vec::new();
        let pemisah = |a: &Token, b: &Token| {
            let antara = &asli[a.akhir..b.awal];
            antara.len() <= 6
                && antara
                    .chars()
                    .all(|c| c.is_whitespace() || matches!(c, '-' | '/' | '.' | ',') || (ocr && matches!(c, ':' | ';')))
        };
        let mut i = 0;
        while i + 2 < token.len() {
            let (h, b, t) = (&token[i], &token[i + 1], &token[i + 2]);
            let hari = h
                .angka
                .as_ref()
                .filter(|s| s.len() <= 2)
                .and_then(|s| s.parse::<u8>().ok());
            let bulan = bulan(b, ocr);
            let tahun = t
                .angka
                .as_ref()
                .filter(|s| s.len() == 4)
                .and_then(|s| s.parse::<i32>().ok());
            if let (Some(hari), Some(bulan), Some(tahun)) = (hari, bulan, tahun)
                && pemisah(h, b)
                && pemisah(b, t)
                && (1900..=2100).contains(&tahun)
                && let Ok(m) = time::Month::try_from(bulan)
                && let Ok(d) = Date::from_calendar_date(tahun, m, hari)
            {
                v.push(TanggalSk {
                    tanggal: d,
                    teks: rapikan(&asli[h.awal..t.akhir]),
                    kelas: kelas_tanggal(asli, h.awal),
                });
                i += 3;
                continue;
            }
            i += 1;
        }
        v
    }
}

/// The month of a token: a number 1–12 or a name (full, short, old spellings; one letter off
/// in OCR text).
fn bulan(t: &Token, ocr: bool) -> Option<u8> {
    if let Some(a) = &t.angka {
        return a.parse::<u8>().ok().filter(|m| (1..=12).contains(m) && a.len() <= 2);
    }
    let k = t.kecil.as_str();
    const NAMA: [(&str, u8); 30] = [
        ("januari", 1),
        ("jan", 1),
        ("februari", 2),
        ("pebruari", 2),
        ("feb", 2),
        ("peb", 2),
        ("maret", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("mei", 5),
        ("juni", 6),
        ("jun", 6),
        ("juli", 7),
        ("jul", 7),
        ("agustus", 8),
        ("agt", 8),
        ("agu", 8),
        ("ags", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("oktober", 10),
        ("okt", 10),
        ("november", 11),
        ("nopember", 11),
        ("nov", 11),
        ("nop", 11),
        ("desember", 12),
        ("des", 12),
    ];
    if let Some(&(_, m)) = NAMA.iter().find(|(n, _)| *n == k) {
        return Some(m);
    }
    if ocr && k.len() >= 5 {
        let kc: Vec<char> = k.chars().collect();
        return NAMA
            .iter()
            .filter(|(n, _)| n.len() >= 5)
            .find(|(n, _)| lev(&kc, &n.chars().collect::<Vec<_>>()) <= 1)
            .map(|&(_, m)| m);
    }
    None
}

/// The class of a date at byte `i` by the nearest telling words before it on its line (in a
/// table's row the header's words are not the date's); from the line before when the date
/// begins its line (a sentence wrapped before the date) or when that line says where the SK
/// was set ("Ditetapkan di : Hauwai" / "pada tanggal : 13 November 2021"). A date after "Nomor
/// … tanggal" is another letter's (a recommendation, a minute), not the SK's.
fn kelas_tanggal(asli: &str, i: usize) -> Option<Kelas> {
    let awal_baris = asli[..i].rfind('\n').map_or(0, |p| p + 1);
    let baris_ini = bersih(&asli[awal_baris.max(mundur(asli, i, 100))..i]);
    if let Some(k) = kelas_dari(&baris_ini) {
        return Some(k);
    }
    if awal_baris == 0 {
        return None;
    }
    let awal_sebelumnya = asli[..awal_baris - 1].rfind('\n').map_or(0, |p| p + 1);
    let sebelumnya = bersih(&asli[awal_sebelumnya.max(mundur(asli, awal_baris, 100))..awal_baris]);
    if !baris_ini.chars().any(char::is_alphanumeric) {
        return kelas_dari(&format!("{sebelumnya} {baris_ini}"));
    }
    (sebelumnya.contains("ditetapkan") && baris_ini.len() <= 30).then_some(Kelas::Sk)
}

/// The byte `n` before `i`, on a char boundary.
fn mundur(s: &str, i: usize, n: usize) -> usize {
    let mut a = i.saturating_sub(n);
    while !s.is_char_boundary(a) {
        a += 1;
    }
    a
}

fn bersih(s: &str) -> String {
    s.to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The class told by the last telling words of `konteks`; a reference to another letter
/// ("Nomor 141/87/PEM/2021 tanggal") tells none.
fn kelas_dari(konteks: &str) -> Option<Kelas> {
    let kata: [(&str, Option<Kelas>); 13] = [
        ("lahir", Some(Kelas::Lahir)),
        ("tgl lhr", Some(Kelas::Lahir)),
        ("ditetapkan", Some(Kelas::Sk)),
        ("tanggal penetapan", Some(Kelas::Sk)),
        ("tanggal sk", Some(Kelas::Sk)),
        ("nomor", None),
        ("terhitung", Some(Kelas::Tmt)),
        ("tmt", Some(Kelas::Tmt)),
        ("mulai tanggal", Some(Kelas::Tmt)),
        ("sejak tanggal", Some(Kelas::Tmt)),
        ("berlaku mulai", Some(Kelas::Tmt)),
        ("mulai berlaku", Some(Kelas::Tmt)),
        ("berlaku sejak", Some(Kelas::Tmt)),
    ];
    kata.iter()
        .filter_map(|(k, c)| konteks.rfind(k).map(|p| (p + k.len(), *c)))
        .max_by_key(|(p, _)| *p)
        .and_then(|(_, c)| c)
}

/// A run of letters and digits of the original text.
#[derive(Debug)]
struct Token {
    awal: usize,
    akhir: usize,
    /// Lower case.
    kecil: String,
    /// Lower case, and in OCR text the confusions folded to one class.
    lipat: String,
    /// Its digits, when it is a number (in OCR text: mostly digits, with O, I, l, S, B read as
    /// the digits they are confused with).
    angka: Option<String>,
}

impl Token {
    fn semua(s: &str, ocr: bool) -> Vec<Token> {
        let mut v = Vec::new();
        let mut mulai: Option<usize> = None;
        let selesai = |v: &mut Vec<Token>, a: usize, b: usize| {
            let t = &s[a..b];
            let kecil = t.to_lowercase();
            let lipat = if ocr { lipat_kata(&kecil) } else { kecil.clone() };
            v.push(Token {
                awal: a,
                akhir: b,
                kecil,
                lipat,
                angka: angka(t, ocr),
            });
        };
        for (i, c) in s.char_indices() {
            if c.is_alphanumeric() {
                mulai.get_or_insert(i);
            } else if let Some(a) = mulai.take() {
                selesai(&mut v, a, i);
            }
        }
        if let Some(a) = mulai {
            selesai(&mut v, a, s.len());
        }
        v
    }
}

/// The digits of a token that is a number.
fn angka(t: &str, ocr: bool) -> Option<String> {
    if t.chars().all(|c| c.is_ascii_digit()) {
        return Some(t.to_string());
    }
    if !ocr {
        return None;
    }
    let digit = t.chars().filter(|c| c.is_ascii_digit()).count();
    let total = t.chars().count();
    if total < 2 || digit * 2 < total {
        return None;
    }
    t.chars()
        .map(|c| match c {
            '0'..='9' => Some(c),
            'O' | 'o' | 'D' | 'Q' => Some('0'),
            'I' | 'l' | 'i' | '|' | '!' => Some('1'),
            'S' | 's' => Some('5'),
            'B' => Some('8'),
            'Z' | 'z' => Some('2'),
            _ => None,
        })
        .collect()
}

fn lipat_kata(s: &str) -> String {
    Normal::dari(s, true).huruf.into_iter().collect()
}

/// A text reduced to its letters and digits, lower case (in OCR text with the confusions
/// folded), each mapped back to where it stands in the original.
struct Normal {
    huruf: Vec<char>,
    /// Byte range in the original of each of `huruf`.
    letak: Vec<(usize, usize)>,
    /// The char begins a word.
    awal_kata: Vec<bool>,
}

impl Normal {
    fn dari(s: &str, ocr: bool) -> Normal {
        let mut huruf = Vec::new();
        let mut letak = Vec::new();
        let mut awal_kata = Vec::new();
        let mut sebelumnya_huruf = false;
        for (i, c) in s.char_indices() {
            let mut ada = false;
            // OCR reads S as $, and I or l as | or !.
            let c = match c {
                '$' if ocr => 's',
                '|' | '!' if ocr => 'i',
                c => c,
            };
            for l in c.to_lowercase() {
                let l = tanpa_aksen(l);
                if l.is_alphanumeric() {
                    huruf.push(l);
                    letak.push((i, i + c.len_utf8()));
                    awal_kata.push(!sebelumnya_huruf && !ada);
                    ada = true;
                }
            }
            sebelumnya_huruf = ada || (c == '\'' && sebelumnya_huruf);
        }
        if ocr {
            // "rn" is read for "m": fold the pair into one char.
            let mut j = 0;
            let mut h2 = Vec::with_capacity(huruf.len());
            let mut l2 = Vec::with_capacity(huruf.len());
            let mut a2 = Vec::with_capacity(huruf.len());
            while j < huruf.len() {
                if huruf[j] == 'r' && huruf.get(j + 1) == Some(&'n') && !awal_kata[j + 1] {
                    h2.push('m');
                    l2.push((letak[j].0, letak[j + 1].1));
                    a2.push(awal_kata[j]);
                    j += 2;
                } else {
                    h2.push(lipat_ocr(huruf[j]));
                    l2.push(letak[j]);
                    a2.push(awal_kata[j]);
                    j += 1;
                }
            }
            huruf = h2;
            letak = l2;
            awal_kata = a2;
        }
        Normal {
            huruf,
            letak,
            awal_kata,
        }
    }

    fn batas_kata(&self, i: usize) -> bool {
        i >= self.huruf.len() || self.awal_kata[i]
    }

    /// Every place (chars `a..b`) where `pola` stands as whole words.
    fn semua_tepat(&self, pola: &[char]) -> Vec<(usize, usize)> {
        let n = pola.len();
        if n == 0 || n > self.huruf.len() {
            return Vec::new();
        }
        self.huruf
            .windows(n)
            .enumerate()
            .filter(|(a, w)| *w == pola && self.awal_kata[*a] && self.batas_kata(a + n))
            .map(|(a, _)| (a, a + n))
            .collect()
    }

    /// Whether `pola` stands as whole words within `jarak` chars around `a..b`.
    fn ada_dekat(&self, pola: &[char], a: usize, b: usize, jarak: usize) -> bool {
        let dari = a.saturating_sub(jarak);
        let sampai = (b + jarak).min(self.huruf.len());
        self.semua_tepat(pola).iter().any(|&(x, y)| x >= dari && y <= sampai)
    }

    /// The end of the word that char `b` is in, at most `maks` chars further.
    fn ujung_kata(&self, b: usize, maks: usize) -> usize {
        let mut u = b;
        while u < self.huruf.len() && !self.awal_kata[u] && u < b + maks {
            u += 1;
        }
        u
    }

    /// The closest text to `pola` (semi-global edit distance), widened to whole words, when it
    /// is close enough to be the same value with a typo: `(a, b, distance)` in chars.
    fn dekat(&self, pola: &[char]) -> Option<(usize, usize, usize)> {
        let m = pola.len();
        let toleransi = match m {
            0..=3 => return None,
            4..=5 => 1,
            6..=9 => 2,
            10..=14 => 3,
            _ => m / 4,
        };
        let t = &self.huruf;
        // cost and start of the best alignment of pola[..i] ending at the current text char.
        let mut biaya: Vec<usize> = (0..=m).collect();
        let mut awal: Vec<usize> = vec![0; m + 1];
        let mut terbaik: Option<(usize, usize, usize)> = None;
        for j in 1..=t.len() {
            let mut b2 = vec![0usize; m + 1];
            let mut a2 = vec![j; m + 1];
            for i in 1..=m {
                let ganti = biaya[i - 1] + usize::from(pola[i - 1] != t[j - 1]);
                let hapus = b2[i - 1] + 1;
                let sisip = biaya[i] + 1;
                if ganti <= hapus && ganti <= sisip {
                    b2[i] = ganti;
                    a2[i] = awal[i - 1];
                } else if hapus <= sisip {
                    b2[i] = hapus;
                    a2[i] = a2[i - 1];
                } else {
                    b2[i] = sisip;
                    a2[i] = awal[i];
                }
            }
            biaya = b2;
            awal = a2;
            if biaya[m] <= toleransi {
                let (a, b) = (awal[m], j);
                // Widen to whole words (a few chars at most) and measure again.
                let mut a = a;
                let mut k = 0;
                while a > 0 && !self.awal_kata[a] && k < 3 {
                    a -= 1;
                    k += 1;
                }
                let b = self.ujung_kata(b, 3);
                if !self.awal_kata[a] || !self.batas_kata(b) {
                    continue;
                }
                let d = lev(pola, &t[a..b]);
                if d <= toleransi && terbaik.is_none_or(|(_, _, x)| d < x) {
                    terbaik = Some((a, b, d));
                }
            }
        }
        terbaik.filter(|&(_, _, d)| d > 0)
    }
}

/// é → e and the like (names written with accents in some decrees).
fn tanpa_aksen(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        c => c,
    }
}

/// One class for the characters OCR confuses.
fn lipat_ocr(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | 'l' | '|' => 'i',
        '5' => 's',
        '8' => 'b',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const SK: &str = "PEMERINTAH KABUPATEN BALANGAN
KECAMATAN HALONG
DESA HAUWAI
Jalan Poros Halong No. 12, Hauwai
KEPUTUSAN PEMBAKAL HAUWAI
NOMOR : 141/05/KPTS/2023
TENTANG
PENGANGKATAN KEPALA URUSAN KEUANGAN DESA HAUWAI
PEMBAKAL HAUWAI,
Menimbang : a. bahwa untuk kelancaran penyelenggaraan pemerintahan desa perlu mengangkat perangkat desa;
Mengingat : 1. Undang-Undang Nomor 6 Tahun 2014 tentang Desa;
2. Peraturan Menteri Dalam Negeri Nomor 67 Tahun 2017 tentang Perubahan atas Permendagri Nomor 83 Tahun 2015;
MEMUTUSKAN:
Menetapkan :
KESATU : Mengangkat Saudara:
Nama : AHMAD FAUZI, S.Pd.
NIK : 6311021505900003
Tempat/Tanggal Lahir : Halong, 15 Mei 1990
Pendidikan : S1
sebagai Kaur Keuangan Desa Hauwai terhitung mulai tanggal 1 April 2023.
KEDUA : Keputusan ini mulai berlaku sejak tanggal ditetapkan.
Ditetapkan di Hauwai
pada tanggal 27 Maret 2023
PEMBAKAL HAUWAI,
H. MASRANI";

    fn entri() -> Entri {
        Entri {
            nama: "Ahmad Fauzi".into(),
            gelar_depan: String::new(),
            gelar_belakang: "S.Pd.".into(),
            nik: "6311021505900003".into(),
            tempat_lahir: "Halong".into(),
            tanggal_lahir: Some(date!(1990 - 05 - 15)),
            jabatan: sebutan_jabatan(Jabatan::KaurKeuangan, "Pembakal", "Kepala Dusun"),
            dusun: String::new(),
            nomor_sk: "141/05/KPTS/2023".into(),
            tanggal_sk: Some(date!(2023 - 03 - 27)),
            tmt: Some(date!(2023 - 04 - 01)),
        }
    }

    fn hasil(teks: &str, ocr: bool, e: &Entri) -> Vec<(Medan, Hasil, Option<String>)> {
        cocokkan(teks, ocr, e)
            .into_iter()
            .map(|h| (h.field, h.hasil, h.teks_sk))
            .collect()
    }

    fn satu(teks: &str, ocr: bool, e: &Entri, m: Medan) -> (Hasil, Option<String>) {
        let h = cocokkan(teks, ocr, e)
            .into_iter()
            .find(|h| h.field == m)
            .expect("field compared");
        (h.hasil, h.teks_sk)
    }

    #[test]
    fn entri_yang_sama_cocok_semua() {
        let h = hasil(SK, false, &entri());
        assert_eq!(h.len(), 8);
        for (m, r, t) in &h {
            assert_eq!(*r, Hasil::Cocok, "{m:?}: {t:?}");
        }
        assert_eq!(
            satu(SK, false, &entri(), Medan::Nama).1.as_deref(),
            Some("AHMAD FAUZI, S.Pd.")
        );
        assert_eq!(satu(SK, false, &entri(), Medan::Tmt).1.as_deref(), Some("1 April 2023"));
    }

    #[test]
    fn satu_huruf_nama_berbeda_mirip() {
        let mut e = entri();
        e.nama = "Ahmad Fauzan".into();
        let (r, t) = satu(SK, false, &e, Medan::Nama);
        assert_eq!(r, Hasil::Mirip);
        assert_eq!(t.as_deref(), Some("AHMAD FAUZI, S.Pd."));
        let h = cocokkan(SK, false, &e)
            .into_iter()
            .find(|h| h.field == Medan::Nama)
            .unwrap();
        assert_eq!(
            h.pesan().unwrap(),
            "Nama pada SK: 'AHMAD FAUZI, S.Pd.'; yang diisi: 'Ahmad Fauzan, S.Pd.'."
        );
        e.nama = "Ahmad Fauzl".into();
        assert_eq!(
            satu(SK, false, &e, Medan::Nama).0,
            Hasil::Mirip,
            "l for i in a PDF's own text is a real typo"
        );
    }

    #[test]
    fn nama_orang_lain_mirip() {
        let mut e = entri();
        e.nama = "Siti Rahmawati".into();
        e.gelar_belakang.clear();
        let (r, t) = satu(SK, false, &e, Medan::Nama);
        assert_eq!(r, Hasil::Mirip);
        assert_eq!(t.as_deref(), Some("AHMAD FAUZI, S.Pd."));
    }

    #[test]
    fn gelar_yang_berbeda_mirip() {
        let mut e = entri();
        e.gelar_belakang.clear();
        assert_eq!(
            satu(SK, false, &e, Medan::Nama).0,
            Hasil::Mirip,
            "SK has S.Pd., entry has none"
        );
        e.gelar_belakang = "S.Pd".into();
        assert_eq!(satu(SK, false, &e, Medan::Nama).0, Hasil::Cocok, "dots do not matter");
        e.gelar_belakang = "S.E.".into();
        assert_eq!(satu(SK, false, &e, Medan::Nama).0, Hasil::Mirip);
    }

    #[test]
    fn angka_tertukar_mirip() {
        let mut e = entri();
        e.nomor_sk = "141/50/KPTS/2023".into();
        let (r, t) = satu(SK, false, &e, Medan::NomorSk);
        assert_eq!(r, Hasil::Mirip);
        assert_eq!(t.as_deref(), Some("141/05/KPTS/2023"));
        e.nik = "6311021505900030".into();
        let (r, t) = satu(SK, false, &e, Medan::Nik);
        assert_eq!(r, Hasil::Mirip);
        assert_eq!(t.as_deref(), Some("6311021505900003"));
        e.nomor_sk = "141 / 05 / KPTS / 2023".into();
        assert_eq!(satu(SK, false, &e, Medan::NomorSk).0, Hasil::Cocok);
        e.nomor_sk = "14/105/KPTS/2023".into();
        assert_eq!(satu(SK, false, &e, Medan::NomorSk).0, Hasil::Mirip, "segments differ");
    }

    #[test]
    fn bulan_lain_mirip() {
        let mut e = entri();
        e.tmt = Some(date!(2023 - 05 - 01));
        let (r, t) = satu(SK, false, &e, Medan::Tmt);
        assert_eq!(r, Hasil::Mirip);
        assert_eq!(t.as_deref(), Some("1 April 2023"));
        e.tanggal_lahir = Some(date!(1990 - 06 - 15));
        assert_eq!(
            satu(SK, false, &e, Medan::TanggalLahir),
            (Hasil::Mirip, Some("15 Mei 1990".into()))
        );
        e.tanggal_sk = Some(date!(2023 - 03 - 28));
        assert_eq!(
            satu(SK, false, &e, Medan::TanggalSk),
            (Hasil::Mirip, Some("27 Maret 2023".into()))
        );
    }

    #[test]
    fn tanggal_dalam_segala_bentuk() {
        for bentuk in [
            "27 Maret 2023",
            "27-03-2023",
            "27/03/2023",
            "27 - 3 - 2023",
            "27.03.2023",
            "27 Mar 2023",
            "27\nMaret 2023",
        ] {
            let teks = SK.replace("27 Maret 2023", bentuk);
            assert_eq!(
                satu(&teks, false, &entri(), Medan::TanggalSk).0,
                Hasil::Cocok,
                "{bentuk}"
            );
        }
    }

    #[test]
    fn nik_yang_tidak_dinyatakan_tidak_ditemukan() {
        let teks = SK.replace("NIK : 6311021505900003\n", "");
        assert_eq!(satu(&teks, false, &entri(), Medan::Nik).0, Hasil::TidakDitemukan);
        let teks = SK.replace("6311021505900003", "6311 0215 0590 0003");
        assert_eq!(
            satu(&teks, false, &entri(), Medan::Nik).0,
            Hasil::Cocok,
            "grouped digits"
        );
    }

    #[test]
    fn jabatan_dengan_nama_lain_dan_dusun() {
        let teks = SK.replace("sebagai Kaur Keuangan", "sebagai Kepala Urusan Keuangan");
        assert_eq!(satu(&teks, false, &entri(), Medan::Jabatan).0, Hasil::Cocok);
        let mut e = entri();
        e.jabatan = sebutan_jabatan(Jabatan::KasiPemerintahan, "Pembakal", "Kepala Dusun");
        let teks = SK
            .replace("sebagai Kaur Keuangan", "sebagai Kasi Pemerintahan")
            .replace("PENGANGKATAN KEPALA URUSAN KEUANGAN", "PENGANGKATAN PERANGKAT");
        assert_eq!(satu(&teks, false, &e, Medan::Jabatan).0, Hasil::Cocok);
        e.jabatan = sebutan_jabatan(Jabatan::KasiPelayanan, "Pembakal", "Kepala Dusun");
        let (r, t) = satu(&teks, false, &e, Medan::Jabatan);
        assert_eq!(r, Hasil::Mirip, "{t:?}");
        // Kepala Dusun with its dusun.
        e.jabatan = sebutan_jabatan(Jabatan::KepalaDusun, "Pembakal", "Kepala Dusun");
        e.dusun = "Mekar Sari".into();
        let teks = SK
            .replace("sebagai Kaur Keuangan Desa Hauwai", "sebagai Kepala Dusun Mekar Sari")
            .replace("PENGANGKATAN KEPALA URUSAN KEUANGAN", "PENGANGKATAN KEPALA DUSUN");
        assert_eq!(satu(&teks, false, &e, Medan::Jabatan).0, Hasil::Cocok);
        e.dusun = "Dusun Mekar Sari".into();
        assert_eq!(
            satu(&teks, false, &e, Medan::Jabatan).0,
            Hasil::Cocok,
            "a leading 'Dusun' is not part of the name"
        );
        e.dusun = "Sungai Buluh".into();
        let (r, t) = satu(&teks, false, &e, Medan::Jabatan);
        assert_eq!(r, Hasil::Mirip);
        assert!(t.unwrap().contains("Mekar Sari"));
    }

    #[test]
    fn kasi_kesejahteraan_bukan_kasi_kesejahteraan_dan_pelayanan() {
        let mut e = entri();
        e.jabatan = sebutan_jabatan(Jabatan::KasiKesejahteraan, "Pembakal", "Kepala Dusun");
        let teks = SK
            .replace(
                "sebagai Kaur Keuangan",
                "sebagai Kepala Seksi Kesejahteraan dan Pelayanan",
            )
            .replace("PENGANGKATAN KEPALA URUSAN KEUANGAN", "PENGANGKATAN PERANGKAT");
        assert_eq!(satu(&teks, false, &e, Medan::Jabatan).0, Hasil::Mirip);
    }

    #[test]
    fn kekeliruan_ocr_sama_hanya_pada_ocr() {
        let teks = SK
            .replace("AHMAD FAUZI", "AHMAD FAUZ1")
            .replace("141/05/KPTS/2023", "141/O5/KPTS/2O23");
        assert_eq!(satu(&teks, true, &entri(), Medan::Nama).0, Hasil::Cocok);
        assert_eq!(satu(&teks, true, &entri(), Medan::NomorSk).0, Hasil::Cocok);
        assert_eq!(satu(&teks, false, &entri(), Medan::Nama).0, Hasil::Mirip);
        let teks = SK.replace("S.Pd.", "$.Pd.");
        assert_eq!(satu(&teks, true, &entri(), Medan::Nama).0, Hasil::Cocok, "$ read for S");
        let teks = SK.replace("Halong, 15 Mei 1990", "Halong, l5 Mei 199O");
        assert_eq!(satu(&teks, true, &entri(), Medan::TanggalLahir).0, Hasil::Cocok);
        let mut e = entri();
        e.nama = "Rahmat".into();
        let teks = SK.replace("AHMAD FAUZI", "RAHRNAT");
        assert_eq!(satu(&teks, true, &e, Medan::Nama).0, Hasil::Cocok, "rn read for m");
    }

    #[test]
    fn baris_terputus_di_tengah_nilai() {
        let teks = SK.replace("Nama : AHMAD FAUZI, S.Pd.", "Nama : AHMAD\nFAUZI, S.Pd.");
        assert_eq!(satu(&teks, false, &entri(), Medan::Nama).0, Hasil::Cocok);
    }

    #[test]
    fn tanpa_teks_tidak_terbaca() {
        for (_, r, _) in hasil("", false, &entri()) {
            assert_eq!(r, Hasil::TidakTerbaca);
        }
        for (_, r, _) in hasil(" ~~ .. ", true, &entri()) {
            assert_eq!(r, Hasil::TidakTerbaca);
        }
    }

    #[test]
    fn tmt_sejak_ditetapkan() {
        let teks = SK.replace(" terhitung mulai tanggal 1 April 2023", "");
        let mut e = entri();
        e.tmt = Some(date!(2023 - 03 - 27));
        assert_eq!(satu(&teks, false, &e, Medan::Tmt).0, Hasil::Cocok);
        e.tmt = Some(date!(2023 - 04 - 27));
        assert_eq!(satu(&teks, false, &e, Medan::Tmt).0, Hasil::Mirip);
    }

    #[test]
    fn kalimat_prosa_dan_dua_kolom() {
        let teks = "KEPUTUSAN KEPALA DESA MEKAR JAYA NOMOR 07 TAHUN 2023 TENTANG PENGANGKATAN SEKRETARIS DESA
MEMUTUSKAN: Mengangkat Sdr. Budi Santoso lahir di Tanjung pada tanggal 2 Januari 1988 sebagai Sekdes
terhitung mulai tanggal 02-05-2023.
Ditetapkan di Mekar Jaya pada tanggal 28 April 2023 KEPALA DESA MEKAR JAYA, SUPRIADI";
        let e = Entri {
            nama: "Budi Santoso".into(),
            tempat_lahir: "Tanjung".into(),
            tanggal_lahir: Some(date!(1988 - 01 - 02)),
            jabatan: sebutan_jabatan(Jabatan::SekretarisDesa, "Kepala Desa", "Kepala Dusun"),
            nomor_sk: "07 Tahun 2023".into(),
            tanggal_sk: Some(date!(2023 - 04 - 28)),
            tmt: Some(date!(2023 - 05 - 02)),
            ..Entri::default()
        };
        for (m, r, t) in hasil(teks, false, &e) {
            assert_eq!(r, Hasil::Cocok, "{m:?} {t:?}");
        }
        let mut e2 = e.clone();
        e2.nama = "Budi Susanto".into();
        e2.tempat_lahir = "Tanjong".into();
        e2.nomor_sk = "70 Tahun 2023".into();
        let h = hasil(teks, false, &e2);
        assert_eq!(h[0].1, Hasil::Mirip);
        assert_eq!(h[0].2.as_deref(), Some("Budi Santoso"));
        assert_eq!(h[1], (Medan::TempatLahir, Hasil::Mirip, Some("Tanjung".into())));
        assert_eq!(h[4].1, Hasil::Mirip);

        let dua = "Nama : Budi Santoso        Jabatan : Sekretaris Desa\nTempat/Tgl. Lahir : Tanjung, 02-01-1988   NIK : 6311020201880001\nDitetapkan di Mekar Jaya pada tanggal 28 April 2023";
        let mut e3 = e.clone();
        e3.nama = "Budi Prasetyo".into();
        e3.tempat_lahir = "Paringin".into();
        let h = hasil(dua, false, &e3);
        assert_eq!(h[0], (Medan::Nama, Hasil::Mirip, Some("Budi Santoso".into())));
        assert_eq!(h[1], (Medan::TempatLahir, Hasil::Mirip, Some("Tanjung".into())));
        assert_eq!(h[2].1, Hasil::Cocok);
    }

    #[test]
    fn tanggal_di_baris_tabel_bukan_kelas_kepalanya() {
        let teks = "No Nama Tempat/Tgl Lahir Jabatan TMT\n1 AHMAD FAUZI, S.Pd. Halong, 15/05/1990 Kaur Keuangan 01/04/2023\nDitetapkan di Hauwai\npada tanggal 27 Maret 2023\nPEMBAKAL HAUWAI, H. MASRANI";
        let e = entri();
        assert_eq!(satu(teks, false, &e, Medan::TanggalLahir).0, Hasil::Cocok);
        assert_eq!(satu(teks, false, &e, Medan::Tmt).0, Hasil::Cocok);
        assert_eq!(satu(teks, false, &e, Medan::TanggalSk).0, Hasil::Cocok);
        let mut e2 = e.clone();
        e2.tmt = Some(time::macros::date!(2023 - 05 - 01));
        assert_eq!(
            satu(teks, false, &e2, Medan::Tmt),
            (Hasil::Mirip, Some("01/04/2023".into()))
        );
        let teks = SK.replace(
            "terhitung mulai tanggal 1 April 2023",
            "terhitung mulai tanggal\n1 April 2023",
        );
        assert_eq!(
            satu(&teks, false, &e2, Medan::Tmt),
            (Hasil::Mirip, Some("1 April 2023".into()))
        );
    }

    #[test]
    fn tanggal_surat_lain_bukan_tanggal_sk() {
        let teks = SK
            .replace(
                "Menimbang : a.",
                "Menimbang : a. bahwa berdasarkan rekomendasi Camat Halong\nNomor 141/87/PEM/2023 tanggal 20 Maret 2023, dan",
            )
            .replace("Ditetapkan di Hauwai\npada tanggal 27 Maret 2023", "Ditetapkan di : Hauwai\npada tanggal : 27 Maret 2023");
        assert_eq!(
            satu(&teks, false, &entri(), Medan::TanggalSk),
            (Hasil::Cocok, Some("27 Maret 2023".into()))
        );
        let mut e = entri();
        e.tanggal_sk = Some(time::macros::date!(2023 - 03 - 20));
        assert_eq!(
            satu(&teks, false, &e, Medan::TanggalSk),
            (Hasil::Mirip, Some("27 Maret 2023".into()))
        );
    }

    #[test]
    fn sisa_ocr_di_sekitar_nilai() {
        let e = entri();
        for baris in [
            "Tempat Lahir : Halong : Tanggal Lahir : 15-05-1990",
            "Tempat Lahir — : Halong Tanggal Lahir — ; 15-05-1990",
            "Tempat Lahir : Halong Tanggal Lahir : 15-05-1990",
        ] {
            let teks = SK.replace("Tempat/Tanggal Lahir : Halong, 15 Mei 1990", baris);
            assert_eq!(
                satu(&teks, true, &e, Medan::TempatLahir),
                (Hasil::Cocok, Some("Halong".into())),
                "{baris}"
            );
            let teks = teks
                .replace("Halong :", "Haloong :")
                .replace(": Halong T", ": Haloong T");
            assert_eq!(
                satu(&teks, true, &e, Medan::TempatLahir),
                (Hasil::Mirip, Some("Haloong".into())),
                "{baris}"
            );
        }
    }

    #[test]
    fn nilai_terbungkus_dalam_kolom() {
        let teks = "MEMUTUSKAN\nNama : Ahmad NIK : 6311021505900003\nFauzi, S.Pd.\nTempat Lahir : Halong\nNo Nama Jabatan\n1 Kaur\n2023 Keuangan";
        let e = entri();
        assert_eq!(
            satu(teks, false, &e, Medan::Nama),
            (Hasil::Cocok, Some("Ahmad Fauzi, S.Pd.".into()))
        );
        assert_eq!(satu(teks, false, &e, Medan::Jabatan).0, Hasil::Cocok);
        let mut e2 = e.clone();
        e2.nama = "Ahmad Fauzan".into();
        assert_ne!(satu(teks, false, &e2, Medan::Nama).0, Hasil::Cocok);
        let teks = SK.replace("AHMAD FAUZI, S.Pd.\n", "AHMAD FAUZI, S.Pd.NIK : 6311021505900003\n");
        assert_eq!(
            satu(&teks, false, &e, Medan::Nama),
            (Hasil::Cocok, Some("AHMAD FAUZI, S.Pd.".into()))
        );
        let teks = SK.replace("15 Mei 1990", "15 :\n. Mei 1990");
        assert_eq!(satu(&teks, true, &e, Medan::TanggalLahir).0, Hasil::Cocok);
    }

    /// A three-word name wrapped in a table cell, its first two words run together by OCR and
    /// a little noise of the next column between the lines (read off a 200-dpi bench scan).
    #[test]
    fn nama_terbungkus_dengan_kata_bersambung() {
        let teks = "No Nama Tempat/Tgl. Lahir Pendidikan Jabatan TMT\n\
                    JUNAIDIHAMDANI ss Pelaihari, ; Kasi Kesejahteraan :\n\
                    . 1. KURNIAWAN, SE. 16/06/1982 SMA dan Pelayanan 25/02/2023";
        let mut e = entri();
        e.nama = "Junaidi Hamdani Kurniawan".into();
        e.gelar_depan = String::new();
        e.gelar_belakang = "S.E.".into();
        assert_eq!(satu(teks, true, &e, Medan::Nama).0, Hasil::Cocok);
        // One letter different is still not equal, however the words are grouped.
        e.nama = "Junaidi Hamdani Kurniawati".into();
        assert_ne!(satu(teks, true, &e, Medan::Nama).0, Hasil::Cocok);
        e.nama = "Junaedi Hamdani Kurniawan".into();
        assert_ne!(satu(teks, true, &e, Medan::Nama).0, Hasil::Cocok);
    }

    /// The next label after a title, read by OCR with a dot ("S.E. NIK. : …"), is not a title.
    #[test]
    fn label_berikut_bukan_gelar() {
        let teks =
            "KESATU : Mengangkat Saudara :\nNama : Taufik Norjanah,S.E. NIK. : 6303022606818882\nTempat Lahir : Alabio";
        let mut e = entri();
        e.nama = "Taufik Norjanah".into();
        e.gelar_depan = String::new();
        e.gelar_belakang = "S.E.".into();
        assert_eq!(satu(teks, true, &e, Medan::Nama).0, Hasil::Cocok);
        e.gelar_belakang = "S.Pd.".into();
        assert_eq!(satu(teks, true, &e, Medan::Nama).0, Hasil::Mirip);
    }

    #[test]
    fn tempat_lahir_menurut_labelnya_bukan_kop() {
        let teks = SK.replace("Halong, 15 Mei 1990", "Paringin, 15 Mei 1990");
        assert_eq!(
            satu(&teks, false, &entri(), Medan::TempatLahir),
            (Hasil::Mirip, Some("Paringin".into()))
        );
    }

    #[test]
    fn tabel_yang_diangkat() {
        let teks = "MEMUTUSKAN\nMenetapkan : Mengangkat nama-nama tersebut di bawah ini:\nNo Nama NIK Tempat/Tgl Lahir Jabatan\n1 AHMAD FAUZI, S.Pd. 6311021505900003 Halong, 15-05-1990 Kaur Keuangan\nDitetapkan di Hauwai pada tanggal 27 Maret 2023\nPEMBAKAL HAUWAI, H. MASRANI";
        let e = entri();
        for (m, r, t) in hasil(teks, false, &e) {
            if m != Medan::NomorSk && m != Medan::Tmt {
                assert_eq!(r, Hasil::Cocok, "{m:?} {t:?}");
            }
        }
        let mut e2 = e.clone();
        e2.nama = "Siti Rahmawati".into();
        assert_eq!(
            satu(teks, false, &e2, Medan::Nama),
            (Hasil::Mirip, Some("AHMAD FAUZI, S.Pd.".into()))
        );
    }
}
