//! The rules of an entry (SPEC §3): its validation (errors refuse the entry) and the warnings
//! that do not block it.

use serde::Serialize;
use time::{Date, Duration};

use super::data::*;
use super::kode::{Agama, AlasanBerhenti, JenisKelamin, Kode, Pendidikan, StatusJabatan};
use super::medan::label_kolom;
use super::nik::{Nik, Nip};
use crate::desa::Desa;
use crate::desa::jabatan::Jabatan;
use crate::error::FieldErrors;
use crate::waktu;

/// What validation needs to know about where the entry lives.
pub struct Konteks<'a> {
    pub desa: &'a Desa,
    pub dusun: &'a [String],
    pub hari_ini: Date,
}

/// An identity number as people paste it ("6311 0215 0790 0003", "6311.0215.0790.0003",
/// "19850314 201001 1 001"): without its spaces, dots and dashes, when what is left is digits.
/// Anything else stays as typed, so that its own message (letters, Excel's "6,31102E+15")
/// names what is wrong.
fn tanpa_pemisah(s: &str) -> String {
    let bersih: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-'))
        .collect();
    if !bersih.is_empty() && bersih.bytes().all(|b| b.is_ascii_digit()) {
        bersih
    } else {
        s.trim().to_string()
    }
}

fn rapikan(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A warning: does not block, shown on the check screen and to the kecamatan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Peringatan {
    pub kode: &'static str,
    /// The field the warning is about, when it is about one (the SK check's `sk_berbeda`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    pub pesan: String,
}

/// The kind of a warning in words, for filters and headings ("NIK tidak sesuai tanggal lahir").
pub fn jenis_peringatan(kode: &str) -> &'static str {
    match kode {
        "sk_belum_ada" => "SK belum diunggah",
        "sk_berbeda" => "Berbeda dengan SK (cek mesin)",
        "nik_wilayah" => "NIK tidak sesuai wilayah",
        "nik_tanggal_lahir" => "NIK tidak sesuai tanggal lahir",
        "nik_jenis_kelamin" => "NIK tidak sesuai jenis kelamin",
        "nik_draf_ganda" => "NIK sama dengan draf lain",
        "orang_sama_nik_beda" => "Orang yang sama, NIK berbeda",
        "usia_pengangkatan" => "Usia saat diangkat",
        "pendidikan" => "Pendidikan di bawah syarat",
        "masa_jabatan_segera" => "Masa jabatan segera berakhir",
        "masa_jabatan_lewat" => "Masa jabatan sudah lewat",
        "tanpa_rekomendasi" => "Tanpa rekomendasi Camat",
        "calon_kurang_dari_dua" => "Calon kurang dari dua",
        _ => "Lainnya",
    }
}

impl Data {
    /// Checks and normalises an entry. `Err` lists every wrong field with its message.
    pub fn validasi(&self, k: &Konteks) -> Result<Data, FieldErrors> {
        let mut g: FieldErrors = Vec::new();
        let mut d = Data::default();

        // Names and free text.
        let teks = |g: &mut FieldErrors, kolom: &'static str, nilai: &str, wajib: bool, maks: usize| -> String {
            let v = rapikan(nilai);
            let n = v.chars().count();
            if wajib && v.is_empty() {
                g.push((kolom, format!("{} wajib diisi.", label_kolom(kolom))));
            } else if n > maks {
                g.push((
                    kolom,
                    format!("{} paling banyak {maks} karakter (sekarang {n}).", label_kolom(kolom)),
                ));
            } else if v.chars().any(|c| c.is_control()) {
                g.push((
                    kolom,
                    format!("{} memuat karakter yang tidak diizinkan.", label_kolom(kolom)),
                ));
            }
            v
        };
        d.nama = teks(&mut g, "nama", &self.nama, true, 100);
        if !d.nama.is_empty() && !d.nama.chars().any(char::is_alphabetic) {
            g.push(("nama", "Nama harus memuat huruf.".into()));
        }
        d.gelar_depan = teks(&mut g, "gelar_depan", &self.gelar_depan, false, 30);
        d.gelar_belakang = teks(&mut g, "gelar_belakang", &self.gelar_belakang, false, 50);
        d.niap = teks(&mut g, "niap", &self.niap, false, 40);
        d.tempat_lahir = teks(&mut g, "tempat_lahir", &self.tempat_lahir, true, 60);
        d.pangkat_golongan = teks(&mut g, "pangkat_golongan", &self.pangkat_golongan, false, 40);
        d.alamat = teks(&mut g, "alamat", &self.alamat, false, 250);
        d.nomor_sk_pengangkatan = teks(&mut g, "nomor_sk_pengangkatan", &self.nomor_sk_pengangkatan, true, 100);
        d.nomor_sk_pemberhentian = teks(
            &mut g,
            "nomor_sk_pemberhentian",
            &self.nomor_sk_pemberhentian,
            false,
            100,
        );
        d.keterangan = teks(&mut g, "keterangan", &self.keterangan, false, 250);

        // Identity numbers.
        d.nik = tanpa_pemisah(&self.nik);
        let nik = if d.nik.is_empty() {
            g.push(("nik", "NIK wajib diisi (16 digit, lihat KTP).".into()));
            None
        } else {
            Nik::parse(&d.nik, k.hari_ini).map_err(|e| g.push(("nik", e))).ok()
        };
        if !self.nip.trim().is_empty() {
            match Nip::parse(&tanpa_pemisah(&self.nip)) {
                Ok(n) => d.nip = n.as_str().to_string(),
                Err(e) => g.push(("nip", e)),
            }
        }
        let hp: String = self
            .nomor_hp
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if !hp.is_empty() {
            let angka = hp.strip_prefix('+').unwrap_or(&hp);
            if !(8..=15).contains(&angka.len()) || !angka.bytes().all(|b| b.is_ascii_digit()) {
                g.push(("nomor_hp", "Nomor HP berisi 8–15 angka, misalnya 081234567890.".into()));
            }
        }
        d.nomor_hp = hp;

        // Coded fields.
        fn kode<K: Kode>(g: &mut FieldErrors, kolom: &'static str, nilai: &str, contoh: &str) -> Option<K> {
            let v = nilai.trim();
            if v.is_empty() {
                g.push((kolom, format!("{} wajib dipilih.", label_kolom(kolom))));
                return None;
            }
            let r = K::parse(v);
            if r.is_none() {
                g.push((
                    kolom,
                    format!(
                        "{} \"{}\" tidak dikenal. Pilih salah satu: {contoh}.",
                        label_kolom(kolom),
                        v.chars().take(30).collect::<String>()
                    ),
                ));
            }
            r
        }
        let daftar = |semua: &[&str]| semua.join(", ");
        let jk: Option<JenisKelamin> = kode(&mut g, "jenis_kelamin", &self.jenis_kelamin, "L, P");
        let agama: Option<Agama> = kode(
            &mut g,
            "agama",
            &self.agama,
            &daftar(&Agama::SEMUA.iter().map(|a| a.kode()).collect::<Vec<_>>()),
        );
        let pend: Option<Pendidikan> = kode(
            &mut g,
            "pendidikan_terakhir",
            &self.pendidikan_terakhir,
            &daftar(&Pendidikan::SEMUA.iter().map(|a| a.kode()).collect::<Vec<_>>()),
        );
        let status: Option<StatusJabatan> = if self.status_jabatan.trim().is_empty() {
            Some(StatusJabatan::Definitif)
        } else {
            kode(
                &mut g,
                "status_jabatan",
                &self.status_jabatan,
                "definitif, plt, pj, plh",
            )
        };
        d.jenis_kelamin = jk.map(|v| v.kode().to_string()).unwrap_or_default();
        d.agama = agama.map(|v| v.kode().to_string()).unwrap_or_default();
        d.pendidikan_terakhir = pend.map(|v| v.kode().to_string()).unwrap_or_default();
        d.status_jabatan = status.map(|v| v.kode().to_string()).unwrap_or_default();

        // Position: from the catalogue and in this desa's structure.
        let jab = self.jabatan.trim();
        let jabatan = if jab.is_empty() {
            g.push(("jabatan", "Jabatan wajib dipilih.".into()));
            None
        } else {
            match Jabatan::parse(jab) {
                None => {
                    g.push((
                        "jabatan",
                        format!(
                            "Jabatan \"{}\" tidak ada dalam daftar jabatan baku.",
                            jab.chars().take(40).collect::<String>()
                        ),
                    ));
                    None
                }
                Some(j)
                    if j != Jabatan::KepalaDusun && j != Jabatan::Staf && !k.desa.struktur().jabatan().contains(&j) =>
                {
                    g.push((
                        "jabatan",
                        format!(
                            "{} tidak ada dalam susunan organisasi Desa {} ({}).",
                            j.nama(),
                            k.desa.nama,
                            k.desa.struktur().label()
                        ),
                    ));
                    None
                }
                Some(j) => Some(j),
            }
        };
        d.jabatan = jabatan.map(|j| j.kode().to_string()).unwrap_or_default();
        if jabatan == Some(Jabatan::KepalaDusun) {
            let du = rapikan(&self.dusun);
            if du.is_empty() {
                g.push(("dusun", "Pilih dusun yang dipimpin kepala dusun ini.".into()));
            } else if !k.dusun.contains(&du) {
                g.push((
                    "dusun",
                    format!(
                        "Dusun \"{}\" tidak terdaftar di Desa {}.",
                        du.chars().take(60).collect::<String>(),
                        k.desa.nama
                    ),
                ));
            }
            d.dusun = du;
        }

        // Dates: real, not in the future, in a sensible order.
        let tgl = |g: &mut FieldErrors, kolom: &'static str, nilai: &str, wajib: bool| -> Option<Date> {
            let v = nilai.trim();
            if v.is_empty() {
                if wajib {
                    g.push((kolom, format!("{} wajib diisi.", label_kolom(kolom))));
                }
                return None;
            }
            match tanggal_ketikan(v) {
                None => {
                    g.push((
                        kolom,
                        format!(
                            "{} bukan tanggal yang valid (tulis misalnya 27-03-2023, 27/03/2023 atau 27 Maret 2023).",
                            label_kolom(kolom)
                        ),
                    ));
                    None
                }
                Some(t) if t > k.hari_ini => {
                    g.push((
                        kolom,
                        format!(
                            "{} ({}) tidak boleh di masa depan.",
                            label_kolom(kolom),
                            waktu::tanggal(t)
                        ),
                    ));
                    None
                }
                Some(t) if t.year() < 1900 => {
                    g.push((
                        kolom,
                        format!("{} ({}) terlalu lampau.", label_kolom(kolom), waktu::tanggal(t)),
                    ));
                    None
                }
                Some(t) => Some(t),
            }
        };
        let lahir = tgl(&mut g, "tanggal_lahir", &self.tanggal_lahir, true);
        let sk = tgl(&mut g, "tanggal_sk_pengangkatan", &self.tanggal_sk_pengangkatan, true);
        let tmt = tgl(&mut g, "tmt", &self.tmt, true);
        let berhenti = tgl(
            &mut g,
            "tanggal_sk_pemberhentian",
            &self.tanggal_sk_pemberhentian,
            false,
        );
        d.tanggal_lahir = lahir.map(iso).unwrap_or_else(|| self.tanggal_lahir.trim().to_string());
        d.tanggal_sk_pengangkatan = sk
            .map(iso)
            .unwrap_or_else(|| self.tanggal_sk_pengangkatan.trim().to_string());
        d.tmt = tmt.map(iso).unwrap_or_else(|| self.tmt.trim().to_string());
        d.tanggal_sk_pemberhentian = berhenti
            .map(iso)
            .unwrap_or_else(|| self.tanggal_sk_pemberhentian.trim().to_string());
        if let (Some(l), Some(t)) = (lahir, tmt)
            && t <= l
        {
            g.push(("tmt", "TMT harus sesudah tanggal lahir.".into()));
        }
        if let (Some(l), Some(s)) = (lahir, sk)
            && s <= l
        {
            g.push((
                "tanggal_sk_pengangkatan",
                "Tanggal SK pengangkatan harus sesudah tanggal lahir.".into(),
            ));
        }
        if let (Some(t), Some(b)) = (tmt, berhenti)
            && b < t
        {
            g.push((
                "tanggal_sk_pemberhentian",
                "Tanggal SK pemberhentian tidak boleh sebelum TMT.".into(),
            ));
        }
        // An SK's own end of term is only for SK issued before 2015.
        let akhir = self.akhir_masa_jabatan_sk.trim();
        if !akhir.is_empty() {
            match (tanggal_ketikan(akhir), sk) {
                (None, _) => g.push((
                    "akhir_masa_jabatan_sk",
                    "Akhir masa jabatan menurut SK bukan tanggal yang valid (tulis misalnya 31-12-2026 atau 31 Desember 2026).".into(),
                )),
                (Some(_), Some(s)) if s.year() >= 2015 => g.push((
                    "akhir_masa_jabatan_sk",
                    "Akhir masa jabatan hanya diisi untuk SK sebelum 2015; sesudahnya dihitung otomatis.".into(),
                )),
                (Some(a), Some(_)) if tmt.is_some_and(|t| a <= t) => {
                    g.push(("akhir_masa_jabatan_sk", "Akhir masa jabatan harus sesudah TMT.".into()))
                }
                (Some(a), _) => d.akhir_masa_jabatan_sk = iso(a),
            }
        }

        // Dismissal: number, date and reason go together.
        let alasan = self.alasan_pemberhentian.trim();
        let ada_berhenti = !d.nomor_sk_pemberhentian.is_empty()
            || !self.tanggal_sk_pemberhentian.trim().is_empty()
            || !alasan.is_empty();
        if ada_berhenti {
            if d.nomor_sk_pemberhentian.is_empty() {
                g.push(("nomor_sk_pemberhentian", "Nomor SK pemberhentian wajib diisi.".into()));
            }
            if self.tanggal_sk_pemberhentian.trim().is_empty() {
                g.push((
                    "tanggal_sk_pemberhentian",
                    "Tanggal SK pemberhentian wajib diisi.".into(),
                ));
            }
            match AlasanBerhenti::parse(alasan) {
                Some(a) => d.alasan_pemberhentian = a.kode().to_string(),
                None if alasan.is_empty() => {
                    g.push(("alasan_pemberhentian", "Alasan pemberhentian wajib dipilih.".into()))
                }
                None => g.push(("alasan_pemberhentian", "Alasan pemberhentian tidak dikenal.".into())),
            }
        }
        let _ = (nik, status);
        if g.is_empty() { Ok(d) } else { Err(g) }
    }

    /// The warnings that can be told from the entry alone (SPEC §3).
    pub fn peringatan(&self, hari_ini: Date) -> Vec<Peringatan> {
        let mut w = Vec::new();
        let lahir = tanggal(&self.tanggal_lahir);
        if let Ok(nik) = Nik::parse(&self.nik, hari_ini) {
            if let Some(l) = lahir
                && nik.tanggal_lahir != l
            {
                w.push(Peringatan {
                    kode: "nik_tanggal_lahir",
                    field: None,
                    pesan: format!(
                        "Tanggal lahir pada NIK ({}) berbeda dengan tanggal lahir yang diisi ({}).",
                        waktu::tanggal(nik.tanggal_lahir),
                        waktu::tanggal(l)
                    ),
                });
            }
            if let Some(jk) = JenisKelamin::parse(&self.jenis_kelamin)
                && nik.jenis_kelamin != jk
            {
                w.push(Peringatan {
                    kode: "nik_jenis_kelamin",
                    field: None,
                    pesan: format!(
                        "NIK menunjukkan jenis kelamin {}, sedangkan yang diisi {}.",
                        nik.jenis_kelamin.label().to_lowercase(),
                        jk.label().to_lowercase()
                    ),
                });
            }
            if !nik.wilayah_dikenal() {
                w.push(Peringatan {
                    kode: "nik_wilayah",
                    field: None,
                    pesan: format!(
                        "Kode kabupaten/kecamatan pada NIK ({}) tidak dikenal dalam data wilayah Kemendagri.",
                        nik.kode_kecamatan()
                    ),
                });
            }
        }
        let jab = self.jabatan_enum();
        let tmt = tanggal(&self.tmt);
        // Appointment requirements for perangkat (not the Kepala Desa) appointed from 2015 on.
        if let (Some(j), Some(t)) = (jab, tmt)
            && j != Jabatan::KepalaDesa
            && t.year() >= 2015
        {
            if let Some(l) = lahir {
                let u = umur(l, t);
                if !(20..=42).contains(&u) {
                    w.push(Peringatan {
                        kode: "usia_pengangkatan",
                        field: None,
                        pesan: format!(
                            "Usia saat TMT {u} tahun, di luar ketentuan 20–42 tahun untuk pengangkatan perangkat desa."
                        ),
                    });
                }
            }
            if let Some(p) = Pendidikan::parse(&self.pendidikan_terakhir)
                && !p.minimal_sma()
            {
                w.push(Peringatan {
                    kode: "pendidikan",
                    field: None,
                    pesan: format!(
                        "Pendidikan terakhir {} di bawah syarat minimal SMA/sederajat untuk perangkat desa.",
                        p.kode()
                    ),
                });
            }
        }
        if self.aktif() {
            // Perangkat are dismissed at 60 (the Kepala Desa serves his term instead).
            let mut ulang_60 = None;
            if let Some(l) = lahir
                && jab.is_some_and(|j| j != Jabatan::KepalaDesa)
            {
                let u = umur(l, hari_ini);
                if u >= 60 {
                    w.push(Peringatan {
                        kode: "usia_60",
                        field: None,
                        pesan: format!(
                            "Berusia {u} tahun dan masih aktif: perangkat desa diberhentikan pada usia 60 tahun."
                        ),
                    });
                } else if let Some(t60) = tambah_tahun(l, 60)
                    && t60 <= hari_ini + Duration::days(183)
                {
                    ulang_60 = Some(t60);
                    w.push(Peringatan {
                        kode: "usia_60_segera",
                        field: None,
                        pesan: format!(
                            "Berusia 60 tahun pada {}: perangkat desa diberhentikan pada usia 60 tahun.",
                            waktu::tanggal(t60)
                        ),
                    });
                }
            }
            if let Some(akhir) = self.akhir_masa_jabatan()
                && Some(akhir) != ulang_60
            {
                if akhir <= hari_ini {
                    if !w.iter().any(|p| p.kode == "usia_60") {
                        w.push(Peringatan {
                            kode: "masa_jabatan_lewat",
                            field: None,
                            pesan: format!(
                                "Masa jabatan berakhir {} dan masih tercatat aktif.",
                                waktu::tanggal(akhir)
                            ),
                        });
                    }
                } else if akhir <= hari_ini + Duration::days(183) {
                    w.push(Peringatan {
                        kode: "masa_jabatan_segera",
                        field: None,
                        pesan: format!("Masa jabatan berakhir dalam 6 bulan ({}).", waktu::tanggal(akhir)),
                    });
                }
            }
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nik_dan_nip_dengan_spasi_titik_atau_strip_dibersihkan() {
        assert_eq!(tanpa_pemisah("6311 0215 0790 0003"), "6311021507900003");
        assert_eq!(tanpa_pemisah(" 6311.0215.0790.0003 "), "6311021507900003");
        assert_eq!(tanpa_pemisah("6311-0215-0790-0003"), "6311021507900003");
        assert_eq!(tanpa_pemisah("19850314 201001 1 001"), "198503142010011001");
        // What is not a number stays as typed, for its own message.
        assert_eq!(tanpa_pemisah("6,31102E+15"), "6,31102E+15");
        assert_eq!(tanpa_pemisah("6311 02AB"), "6311 02AB");
    }
    use time::macros::date;

    #[test]
    fn umur_dan_tahun() {
        assert_eq!(umur(date!(1966 - 11 - 25), date!(2026 - 11 - 24)), 59);
        assert_eq!(umur(date!(1966 - 11 - 24), date!(2026 - 11 - 24)), 60);
        assert_eq!(tambah_tahun(date!(2000 - 02 - 29), 8), Some(date!(2008 - 02 - 29)));
        assert_eq!(tambah_tahun(date!(2000 - 02 - 29), 1), Some(date!(2001 - 02 - 28)));
    }

    #[test]
    fn akhir_masa_jabatan() {
        let mut d = Data {
            jabatan: "kaur_keuangan".into(),
            status_jabatan: "definitif".into(),
            tanggal_lahir: "1985-03-14".into(),
            tanggal_sk_pengangkatan: "2020-01-02".into(),
            tmt: "2020-01-02".into(),
            ..Default::default()
        };
        assert_eq!(d.akhir_masa_jabatan(), Some(date!(2045 - 03 - 14)));
        d.jabatan = "kepala_desa".into();
        assert_eq!(d.akhir_masa_jabatan(), Some(date!(2028 - 01 - 02)));
        d.status_jabatan = "pj".into();
        assert_eq!(d.akhir_masa_jabatan(), None);
        d.jabatan = "kaur_keuangan".into();
        d.tanggal_sk_pengangkatan = "2010-05-01".into();
        d.akhir_masa_jabatan_sk = "2030-05-01".into();
        assert_eq!(d.akhir_masa_jabatan(), Some(date!(2030 - 05 - 01)));
    }

    #[test]
    fn peringatan_usia_dan_masa_jabatan() {
        let hari = date!(2026 - 11 - 24);
        let mut d = Data {
            nik: "6311022012660001".into(),
            jabatan: "kaur_keuangan".into(),
            status_jabatan: "definitif".into(),
            jenis_kelamin: "L".into(),
            tanggal_lahir: "1966-12-20".into(),
            tanggal_sk_pengangkatan: "2010-01-02".into(),
            tmt: "2010-01-02".into(),
            ..Default::default()
        };
        let kode = |d: &Data| d.peringatan(hari).into_iter().map(|p| p.kode).collect::<Vec<_>>();
        assert_eq!(kode(&d), vec!["usia_60_segera"]);
        // A pre-2015 SK with a later end date of its own: still warned about turning 60.
        d.akhir_masa_jabatan_sk = "2030-01-01".into();
        assert_eq!(kode(&d), vec!["usia_60_segera"]);
        // A Kepala Desa whose 8 years end within 6 months.
        let kd = Data {
            nik: "6311021403750001".into(),
            jabatan: "kepala_desa".into(),
            status_jabatan: "definitif".into(),
            jenis_kelamin: "L".into(),
            tanggal_lahir: "1975-03-14".into(),
            tanggal_sk_pengangkatan: "2019-03-01".into(),
            tmt: "2019-03-01".into(),
            ..Default::default()
        };
        assert_eq!(kode(&kd), vec!["masa_jabatan_segera"]);
        let lewat = Data {
            tmt: "2018-01-01".into(),
            tanggal_sk_pengangkatan: "2018-01-01".into(),
            ..kd
        };
        assert_eq!(kode(&lewat), vec!["masa_jabatan_lewat"]);
    }

    #[test]
    fn tanggal_iso() {
        assert_eq!(tanggal("2023-03-27"), Some(date!(2023 - 03 - 27)));
        for s in ["2023-02-30", "27-03-2023", "2023/03/27", "", "2023-3-27"] {
            assert_eq!(tanggal(s), None, "{s}");
        }
    }
}
