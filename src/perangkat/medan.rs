//! The one table of an official's fields. Each entry says what the field is called (column,
//! JSON name, label), what kind of value it holds, where the record page shows it, which export
//! column it fills and which spreadsheet headers an import recognises for it. The stored column
//! lists, the binds and their placeholder numbers, the record page's groups, the export's
//! columns and the import's header recognition all come from here.
//!
//! Adding a field: a column in both migrations, a field in [`Data`], an entry here (in column
//! order: the history lists changes in this order), its rules in `Data::validasi`, its input
//! in `templates/perangkat_form.html`, and a test. The `medan_data!` invocation below also
//! writes `Data::nilai`, `Data::nilai_mut` and `Data::semua_nilai`, so the field names are
//! listed once; the test at the end checks the table against `Data`.

use super::data::{Data, iso, tanggal_id};
use super::kode::{Agama, AlasanBerhenti, JenisKelamin, Kode, Pendidikan, StatusJabatan, label_dari};
use crate::desa::Desa;
use crate::desa::jabatan::Jabatan;

/// One field of an official.
pub struct Medan {
    /// The column in `perangkat` and `perangkat_tersimpan`: the name of the field of [`Data`].
    pub kolom: &'static str,
    /// The name in JSON (API, form posts): the same as the field's name.
    pub api: &'static str,
    /// What the field is called on the form, in messages and in the history.
    pub label: &'static str,
    pub jenis: Jenis,
    /// The group of the record page (and the check screen) that shows it.
    pub bagian: Bagian,
    pub tampil: Tampil,
    /// Its column of the XLSX/CSV export; `None`: not exported.
    pub ekspor: Option<Ekspor>,
    /// The import headers recognised for it, normalised (lower case, letters and digits only).
    pub impor: &'static [&'static str],
}

/// What a field holds (every value is stored as text).
#[derive(Clone, Copy)]
pub enum Jenis {
    Teks,
    /// An ISO date (`YYYY-MM-DD`).
    Tanggal,
    /// A code, read by its label (the code itself when unknown).
    Kode(fn(&str) -> &str),
}

impl Jenis {
    /// The value in words a person reads: dates in Indonesian, codes by their labels.
    pub fn kata(self, v: &str) -> String {
        match self {
            Jenis::Teks => v.to_string(),
            Jenis::Tanggal => tanggal_id(v),
            Jenis::Kode(label) => label(v).to_string(),
        }
    }
}

/// The groups of the record page, in order (as on the form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bagian {
    Identitas,
    Jabatan,
    SkPengangkatan,
    Pemberhentian,
    Keterangan,
}

impl Bagian {
    pub const SEMUA: [Bagian; 5] = [
        Bagian::Identitas,
        Bagian::Jabatan,
        Bagian::SkPengangkatan,
        Bagian::Pemberhentian,
        Bagian::Keterangan,
    ];

    pub fn judul(self) -> &'static str {
        match self {
            Bagian::Identitas => "Identitas",
            Bagian::Jabatan => "Jabatan",
            Bagian::SkPengangkatan => "SK Pengangkatan",
            Bagian::Pemberhentian => "Pemberhentian",
            Bagian::Keterangan => "Keterangan",
        }
    }

    /// Is the group shown for this record? Dismissal only once dismissed; the remarks only
    /// when there are some.
    pub fn tampak(self, d: &Data) -> bool {
        match self {
            Bagian::Pemberhentian => !d.aktif(),
            Bagian::Keterangan => MEDAN.iter().any(|m| m.bagian == self && !d.nilai(m.kolom).is_empty()),
            _ => true,
        }
    }
}

/// How a field appears in its group of the record page.
#[derive(Clone, Copy)]
pub enum Tampil {
    /// A row: the field's label and its value in words.
    Baris,
    /// A row under a shorter label (the group's title says the rest: "Nomor SK").
    Label(&'static str),
    /// A row whose value is made from the whole record (the name with titles, the position as
    /// the desa calls it).
    Hitung(&'static str, fn(&Data, &Desa) -> String),
    /// No row of its own: shown within another field's row.
    Tidak,
}

/// A cell of an export.
pub enum Isi {
    Teks(String),
    /// An ISO date (written as a date in XLSX), or any text.
    Tanggal(String),
}

/// A field's column in the export.
pub struct Ekspor {
    pub kepala: &'static str,
    /// Width in characters (XLSX).
    pub lebar: f64,
    /// The cell; `None`: the value by the field's kind (dates as dates, codes by label).
    pub isi: Option<fn(&Data) -> Isi>,
    /// After the "Status" column rather than in column order. A new field goes there, so the
    /// columns people's spreadsheets already rely on keep their places.
    pub belakang: bool,
}

impl Ekspor {
    const fn kolom(kepala: &'static str, lebar: f64) -> Option<Ekspor> {
        Some(Ekspor {
            kepala,
            lebar,
            isi: None,
            belakang: false,
        })
    }

    const fn belakang(kepala: &'static str, lebar: f64) -> Option<Ekspor> {
        Some(Ekspor {
            kepala,
            lebar,
            isi: None,
            belakang: true,
        })
    }

    const fn isi(kepala: &'static str, lebar: f64, isi: fn(&Data) -> Isi) -> Option<Ekspor> {
        Some(Ekspor {
            kepala,
            lebar,
            isi: Some(isi),
            belakang: false,
        })
    }
}

impl Medan {
    /// The export cell of this field for `d`.
    pub fn isi_ekspor(&self, d: &Data) -> Isi {
        if let Some(f) = self.ekspor.as_ref().and_then(|e| e.isi) {
            return f(d);
        }
        let v = d.nilai(self.kolom);
        match self.jenis {
            Jenis::Teks => Isi::Teks(v.to_string()),
            Jenis::Tanggal => Isi::Tanggal(v.to_string()),
            Jenis::Kode(label) => Isi::Teks(label(v).to_string()),
        }
    }
}

/// Writes [`MEDAN`], [`KOLOM`] and the accessors of [`Data`] from one list.
macro_rules! medan_data {
    ($($f:ident { $($isi:tt)* })*) => {
        /// Every field, in column order.
        pub const MEDAN: &[Medan] = &[$(Medan { kolom: stringify!($f), api: stringify!($f), $($isi)* }),*];

        /// The stored columns, in order (the same in `perangkat` and `perangkat_tersimpan`).
        pub const KOLOM: [&str; JUMLAH] = [$(stringify!($f)),*];

        impl Data {
            /// The value of a column (`""` for an unknown one).
            pub fn nilai(&self, kolom: &str) -> &str {
                match kolom {
                    $(stringify!($f) => &self.$f,)*
                    _ => "",
                }
            }

            /// The value of a column, to set it (`None` for an unknown one).
            pub fn nilai_mut(&mut self, kolom: &str) -> Option<&mut String> {
                match kolom {
                    $(stringify!($f) => Some(&mut self.$f),)*
                    _ => None,
                }
            }

            /// Every value in [`KOLOM`] order (what the statements bind).
            pub fn semua_nilai(&self) -> [&str; JUMLAH] {
                [$(self.$f.as_str()),*]
            }
        }
    };
}

/// How many fields there are.
pub const JUMLAH: usize = MEDAN.len();

medan_data! {
    nama {
        label: "Nama",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Hitung("Nama", |d, _| d.nama_lengkap()),
        ekspor: Ekspor::kolom("Nama", 26.0),
        impor: &["nama", "namalengkap", "namaperangkat", "namaaparat", "namatanpagelar"],
    }
    gelar_depan {
        label: "Gelar depan",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Tidak,
        ekspor: Ekspor::kolom("Gelar Depan", 10.0),
        impor: &["gelardepan"],
    }
    gelar_belakang {
        label: "Gelar belakang",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Tidak,
        ekspor: Ekspor::kolom("Gelar Belakang", 12.0),
        impor: &["gelarbelakang"],
    }
    nik {
        label: "NIK",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Baris,
        ekspor: Ekspor::kolom("NIK", 19.0),
        impor: &["nik", "noktp", "nomorktp", "nomorindukkependudukan", "noinduk", "niknomorindukkependudukan"],
    }
    niap {
        label: "NIAP/NIPD",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Baris,
        ekspor: Ekspor::kolom("NIAP/NIPD", 14.0),
        impor: &["niap", "nipd", "niapnipd", "nipdniap"],
    }
    nip {
        label: "NIP",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Baris,
        ekspor: Ekspor::kolom("NIP", 21.0),
        impor: &["nip"],
    }
    jenis_kelamin {
        label: "Jenis kelamin",
        jenis: Jenis::Kode(label_dari::<JenisKelamin>),
        bagian: Bagian::Identitas,
        tampil: Tampil::Baris,
        ekspor: Ekspor::kolom("Jenis Kelamin", 13.0),
        impor: &["jeniskelamin", "jk", "lp", "kelamin", "jeniskelaminlp"],
    }
    tempat_lahir {
        label: "Tempat lahir",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Hitung("Tempat, tanggal lahir", |d, _| {
            format!("{}, {}", d.tempat_lahir, tanggal_id(&d.tanggal_lahir))
        }),
        ekspor: Ekspor::kolom("Tempat Lahir", 14.0),
        impor: &["tempatlahir"],
    }
    tanggal_lahir {
        label: "Tanggal lahir",
        jenis: Jenis::Tanggal,
        bagian: Bagian::Identitas,
        tampil: Tampil::Tidak,
        ekspor: Ekspor::kolom("Tanggal Lahir", 13.0),
        impor: &["tanggallahir", "tgllahir", "tgllhr", "tanggallhr"],
    }
    agama {
        label: "Agama",
        jenis: Jenis::Kode(label_dari::<Agama>),
        bagian: Bagian::Identitas,
        tampil: Tampil::Baris,
        ekspor: Ekspor::kolom("Agama", 11.0),
        impor: &["agama"],
    }
    pendidikan_terakhir {
        label: "Pendidikan terakhir",
        jenis: Jenis::Kode(label_dari::<Pendidikan>),
        bagian: Bagian::Identitas,
        tampil: Tampil::Baris,
        // The code ("S1"), shorter than the label in a spreadsheet.
        ekspor: Ekspor::isi("Pendidikan Terakhir", 12.0, |d| {
            Isi::Teks(
                Pendidikan::parse(&d.pendidikan_terakhir)
                    .map(Pendidikan::kode)
                    .unwrap_or(&d.pendidikan_terakhir)
                    .to_string(),
            )
        }),
        impor: &["pendidikan", "pendidikanterakhir", "pendidikanakhir", "ijazahterakhir"],
    }
    pangkat_golongan {
        label: "Pangkat/golongan",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Baris,
        ekspor: Ekspor::kolom("Pangkat/Golongan", 14.0),
        impor: &["pangkat", "golongan", "pangkatgolongan", "pangkatgol"],
    }
    alamat {
        label: "Alamat",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Baris,
        ekspor: Ekspor::belakang("Alamat", 28.0),
        impor: &["alamat"],
    }
    nomor_hp {
        label: "Nomor HP",
        jenis: Jenis::Teks,
        bagian: Bagian::Identitas,
        tampil: Tampil::Baris,
        ekspor: Ekspor::belakang("Nomor HP", 15.0),
        impor: &["nohp", "nomorhp", "hp", "telepon", "notelp", "notelepon", "nomortelepon", "nohpwa"],
    }
    jabatan {
        label: "Jabatan",
        jenis: Jenis::Kode(|v| Jabatan::parse(v).map(Jabatan::nama).unwrap_or(v)),
        bagian: Bagian::Jabatan,
        tampil: Tampil::Hitung("Jabatan", |d, desa| d.nama_jabatan(desa)),
        // The code; the export puts the position's name (a column of its own) before it.
        ekspor: Ekspor::isi("Kode Jabatan", 20.0, |d| Isi::Teks(d.jabatan.clone())),
        impor: &["jabatan", "namajabatan"],
    }
    dusun {
        label: "Dusun",
        jenis: Jenis::Teks,
        bagian: Bagian::Jabatan,
        // Part of the position's name ("Kepala Dusun I").
        tampil: Tampil::Tidak,
        ekspor: Ekspor::kolom("Dusun", 14.0),
        impor: &["dusun", "namadusun", "wilayah"],
    }
    status_jabatan {
        label: "Status jabatan",
        jenis: Jenis::Kode(label_dari::<StatusJabatan>),
        bagian: Bagian::Jabatan,
        tampil: Tampil::Baris,
        ekspor: Ekspor::kolom("Status Jabatan", 14.0),
        impor: &["statusjabatan"],
    }
    nomor_sk_pengangkatan {
        label: "Nomor SK pengangkatan",
        jenis: Jenis::Teks,
        bagian: Bagian::SkPengangkatan,
        tampil: Tampil::Label("Nomor SK"),
        ekspor: Ekspor::kolom("Nomor SK Pengangkatan", 24.0),
        impor: &["nomorsk", "nosk", "nomorskpengangkatan", "noskpengangkatan", "skpengangkatan", "nomorkeputusan"],
    }
    tanggal_sk_pengangkatan {
        label: "Tanggal SK pengangkatan",
        jenis: Jenis::Tanggal,
        bagian: Bagian::SkPengangkatan,
        tampil: Tampil::Label("Tanggal SK"),
        ekspor: Ekspor::kolom("Tanggal SK Pengangkatan", 13.0),
        impor: &["tanggalsk", "tglsk", "tanggalskpengangkatan", "tglskpengangkatan"],
    }
    tmt {
        label: "TMT",
        jenis: Jenis::Tanggal,
        bagian: Bagian::SkPengangkatan,
        tampil: Tampil::Baris,
        ekspor: Ekspor::kolom("TMT", 13.0),
        impor: &["tmt", "terhitungmulaitanggal", "tmtjabatan"],
    }
    akhir_masa_jabatan_sk {
        label: "Akhir masa jabatan menurut SK",
        jenis: Jenis::Tanggal,
        bagian: Bagian::Jabatan,
        // The end of term as derived (this field only counts for SK before 2015).
        tampil: Tampil::Hitung("Akhir masa jabatan", |d, _| {
            d.akhir_masa_jabatan()
                .map(crate::waktu::tanggal)
                .unwrap_or_else(|| "—".into())
        }),
        ekspor: Ekspor::isi("Akhir Masa Jabatan", 13.0, |d| {
            Isi::Tanggal(d.akhir_masa_jabatan().map(iso).unwrap_or_default())
        }),
        impor: &[],
    }
    nomor_sk_pemberhentian {
        label: "Nomor SK pemberhentian",
        jenis: Jenis::Teks,
        bagian: Bagian::Pemberhentian,
        tampil: Tampil::Label("Nomor SK"),
        ekspor: Ekspor::kolom("Nomor SK Pemberhentian", 24.0),
        impor: &[],
    }
    tanggal_sk_pemberhentian {
        label: "Tanggal SK pemberhentian",
        jenis: Jenis::Tanggal,
        bagian: Bagian::Pemberhentian,
        tampil: Tampil::Label("Tanggal SK"),
        ekspor: Ekspor::kolom("Tanggal SK Pemberhentian", 13.0),
        impor: &[],
    }
    alasan_pemberhentian {
        label: "Alasan pemberhentian",
        jenis: Jenis::Kode(label_dari::<AlasanBerhenti>),
        bagian: Bagian::Pemberhentian,
        tampil: Tampil::Label("Alasan"),
        ekspor: Ekspor::kolom("Alasan Pemberhentian", 24.0),
        impor: &[],
    }
    keterangan {
        label: "Keterangan",
        jenis: Jenis::Teks,
        bagian: Bagian::Keterangan,
        tampil: Tampil::Baris,
        ekspor: Ekspor::kolom("Keterangan", 24.0),
        impor: &["keterangan", "ket"],
    }
}

/// The field stored in `kolom`.
/// What a field is called on the form (for messages and history).
pub fn label_kolom(k: &str) -> &'static str {
    cari(k).map_or("Isian", |m| m.label)
}

pub fn cari(kolom: &str) -> Option<&'static Medan> {
    MEDAN.iter().find(|m| m.kolom == kolom)
}

/// The field an import header names (`kepala` normalised: lower case, letters and digits).
pub fn dari_kepala(kepala: &str) -> Option<&'static Medan> {
    MEDAN.iter().find(|m| m.impor.contains(&kepala))
}

/// The columns with a table alias in front: `t.nama, t.gelar_depan, …`.
pub fn kolom_dengan(awalan: &str) -> String {
    KOLOM
        .iter()
        .map(|k| format!("{awalan}{k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The placeholders for the values, numbered from `dari`: `$3, $4, …`.
pub fn tempat(dari: usize) -> String {
    (dari..dari + JUMLAH)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The assignments of an UPDATE, numbered from `dari`: `nama = $1, gelar_depan = $2, …`.
pub fn set(dari: usize) -> String {
    KOLOM
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{k} = ${}", dari + i))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn tabel_sama_dengan_data() {
        let json = serde_json::to_value(Data::default()).unwrap();
        let kunci: BTreeSet<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        let api: BTreeSet<&str> = MEDAN.iter().map(|m| m.api).collect();
        assert_eq!(kunci, api, "every field of Data in the table, and nothing else");
        assert_eq!(api.len(), JUMLAH, "no field twice");
        // Every accessor reaches its own field.
        let mut d = Data::default();
        for (i, m) in MEDAN.iter().enumerate() {
            assert_eq!(m.kolom, KOLOM[i]);
            *d.nilai_mut(m.kolom).unwrap() = format!("v{i}");
        }
        let json = serde_json::to_value(&d).unwrap();
        for (i, m) in MEDAN.iter().enumerate() {
            assert_eq!(json[m.api], format!("v{i}"), "{}", m.kolom);
            assert_eq!(d.nilai(m.kolom), format!("v{i}"));
            assert_eq!(d.semua_nilai()[i], format!("v{i}"));
        }
        assert_eq!(d.nilai("tidak_ada"), "");
        assert!(d.nilai_mut("tidak_ada").is_none());
    }

    #[test]
    fn kepala_impor_dan_ekspor_unik() {
        let mut impor = BTreeSet::new();
        for m in MEDAN {
            for k in m.impor {
                let n: String = k.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
                assert_eq!(*k, n, "{}: import headers are written normalised", m.kolom);
                assert!(impor.insert(*k), "{k} names two fields");
            }
        }
        let mut ekspor = BTreeSet::new();
        for e in MEDAN.iter().filter_map(|m| m.ekspor.as_ref()) {
            assert!(ekspor.insert(e.kepala), "{} twice", e.kepala);
        }
    }

    #[test]
    fn tempat_bernomor() {
        assert_eq!(tempat(3).split(", ").count(), JUMLAH);
        assert!(tempat(3).starts_with("$3, $4, "));
        assert!(tempat(3).ends_with(&format!(", ${}", 2 + JUMLAH)));
        assert!(set(1).starts_with("nama = $1, gelar_depan = $2, "));
        assert!(set(1).ends_with(&format!("keterangan = ${JUMLAH}")));
        assert!(kolom_dengan("t.").starts_with("t.nama, t.gelar_depan"));
    }
}
