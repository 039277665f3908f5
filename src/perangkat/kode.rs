//! Coded values of the register (SPEC §3): sex, religion, education, position status, reasons
//! for dismissal, and the workflow status of an entry.

pub use crate::kode::{Kode, skema_kode};
use crate::kode_enum;

kode_enum!(JenisKelamin {
    L => "L", "Laki-laki";
    P => "P", "Perempuan";
});

kode_enum!(Agama {
    Islam => "Islam", "Islam";
    Kristen => "Kristen", "Kristen";
    Katolik => "Katolik", "Katolik";
    Hindu => "Hindu", "Hindu";
    Buddha => "Buddha", "Buddha";
    Khonghucu => "Khonghucu", "Khonghucu";
    Kepercayaan => "Kepercayaan", "Kepercayaan terhadap Tuhan YME";
});

kode_enum!(Pendidikan {
    Sd => "SD", "SD/sederajat";
    Smp => "SMP", "SMP/sederajat";
    Sma => "SMA", "SMA/SMK/MA/sederajat";
    D1 => "D1", "Diploma I";
    D2 => "D2", "Diploma II";
    D3 => "D3", "Diploma III";
    D4 => "D4", "Diploma IV";
    S1 => "S1", "Sarjana (S1)";
    S2 => "S2", "Magister (S2)";
    S3 => "S3", "Doktor (S3)";
});

impl Pendidikan {
    /// At least SMA or equivalent (the minimum for perangkat, Permendagri 83/2015).
    pub fn minimal_sma(self) -> bool {
        !matches!(self, Pendidikan::Sd | Pendidikan::Smp)
    }
}

kode_enum!(StatusJabatan {
    Definitif => "definitif", "Definitif";
    Plt => "plt", "Pelaksana Tugas (Plt.)";
    Pj => "pj", "Penjabat (Pj.)";
    Plh => "plh", "Pelaksana Harian (Plh.)";
});

impl StatusJabatan {
    /// The prefix before a position's name: "Pj. Kepala Desa".
    pub fn awalan(self) -> &'static str {
        match self {
            StatusJabatan::Definitif => "",
            StatusJabatan::Plt => "Plt. ",
            StatusJabatan::Pj => "Pj. ",
            StatusJabatan::Plh => "Plh. ",
        }
    }
}

kode_enum!(AlasanBerhenti {
    MeninggalDunia => "meninggal_dunia", "Meninggal dunia";
    PermintaanSendiri => "permintaan_sendiri", "Permintaan sendiri";
    Usia60 => "usia_60", "Diberhentikan — usia 60 tahun";
    MasaJabatanBerakhir => "masa_jabatan_berakhir", "Diberhentikan — masa jabatan berakhir";
    TidakMampu => "tidak_mampu", "Diberhentikan — berhalangan tetap atau tidak mampu melaksanakan tugas";
    MelanggarLarangan => "melanggar_larangan", "Diberhentikan — melanggar larangan sebagai perangkat desa";
    Mutasi => "mutasi", "Mutasi ke jabatan lain";
    Lainnya => "lainnya", "Lainnya (lihat keterangan)";
});

kode_enum!(StatusAlur {
    Draft => "draft", "Draf";
    PerluPerbaikan => "perlu_perbaikan", "Perlu Perbaikan";
    Tersimpan => "tersimpan", "Tersimpan";
});

impl StatusAlur {
    /// The badge colour class (UI.md); the word is always shown too.
    pub fn warna(self) -> &'static str {
        match self {
            StatusAlur::Draft => "abu",
            StatusAlur::PerluPerbaikan => "oranye",
            StatusAlur::Tersimpan => "hijau",
        }
    }
}

/// The label of a code, or the code itself when unknown.
pub fn label_dari<K: Kode>(kode: &str) -> &str {
    K::parse(kode).map(K::label).unwrap_or(kode)
}
