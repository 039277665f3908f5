-- The register of village officials. One row of `perangkat` is one official in one tenure
-- (one SK): the values being worked on. `perangkat_tersimpan` holds the version that passed the
-- check against the SK (SOP step 4-5): what reports and the kecamatan see. Text columns hold
-- ISO dates and '' for an absent value.
CREATE TABLE perangkat (
    id                         INTEGER PRIMARY KEY,
    desa_kode                  TEXT    NOT NULL REFERENCES desa (kode),
    status                     TEXT    NOT NULL CHECK (status IN ('draft', 'perlu_perbaikan', 'tersimpan')),
    versi                      INTEGER  NOT NULL DEFAULT 1,
    catatan_pemeriksaan        TEXT    NOT NULL DEFAULT '',
    mutasi_dari                INTEGER  REFERENCES perangkat (id),
    nama                       TEXT NOT NULL DEFAULT '',
    gelar_depan                TEXT NOT NULL DEFAULT '',
    gelar_belakang             TEXT NOT NULL DEFAULT '',
    nik                        TEXT NOT NULL DEFAULT '',
    niap                       TEXT NOT NULL DEFAULT '',
    nip                        TEXT NOT NULL DEFAULT '',
    jenis_kelamin              TEXT NOT NULL DEFAULT '',
    tempat_lahir               TEXT NOT NULL DEFAULT '',
    tanggal_lahir              TEXT NOT NULL DEFAULT '',
    agama                      TEXT NOT NULL DEFAULT '',
    pendidikan_terakhir        TEXT NOT NULL DEFAULT '',
    pangkat_golongan           TEXT NOT NULL DEFAULT '',
    alamat                     TEXT NOT NULL DEFAULT '',
    nomor_hp                   TEXT NOT NULL DEFAULT '',
    jabatan                    TEXT NOT NULL DEFAULT '',
    dusun                      TEXT NOT NULL DEFAULT '',
    status_jabatan             TEXT NOT NULL DEFAULT '',
    nomor_sk_pengangkatan      TEXT NOT NULL DEFAULT '',
    tanggal_sk_pengangkatan    TEXT NOT NULL DEFAULT '',
    tmt                        TEXT NOT NULL DEFAULT '',
    akhir_masa_jabatan_sk      TEXT NOT NULL DEFAULT '',
    nomor_sk_pemberhentian     TEXT NOT NULL DEFAULT '',
    tanggal_sk_pemberhentian   TEXT NOT NULL DEFAULT '',
    alasan_pemberhentian       TEXT NOT NULL DEFAULT '',
    keterangan                 TEXT NOT NULL DEFAULT '',
    dibuat_pada                INTEGER  NOT NULL,
    diubah_pada                INTEGER  NOT NULL
);
CREATE INDEX perangkat_desa ON perangkat (desa_kode, status);
CREATE INDEX perangkat_nik ON perangkat (nik);

CREATE TABLE perangkat_tersimpan (
    perangkat_id               INTEGER  PRIMARY KEY REFERENCES perangkat (id),
    desa_kode                  TEXT    NOT NULL REFERENCES desa (kode),
    versi                      INTEGER  NOT NULL,
    nama                       TEXT NOT NULL DEFAULT '',
    gelar_depan                TEXT NOT NULL DEFAULT '',
    gelar_belakang             TEXT NOT NULL DEFAULT '',
    nik                        TEXT NOT NULL DEFAULT '',
    niap                       TEXT NOT NULL DEFAULT '',
    nip                        TEXT NOT NULL DEFAULT '',
    jenis_kelamin              TEXT NOT NULL DEFAULT '',
    tempat_lahir               TEXT NOT NULL DEFAULT '',
    tanggal_lahir              TEXT NOT NULL DEFAULT '',
    agama                      TEXT NOT NULL DEFAULT '',
    pendidikan_terakhir        TEXT NOT NULL DEFAULT '',
    pangkat_golongan           TEXT NOT NULL DEFAULT '',
    alamat                     TEXT NOT NULL DEFAULT '',
    nomor_hp                   TEXT NOT NULL DEFAULT '',
    jabatan                    TEXT NOT NULL DEFAULT '',
    dusun                      TEXT NOT NULL DEFAULT '',
    status_jabatan             TEXT NOT NULL DEFAULT '',
    nomor_sk_pengangkatan      TEXT NOT NULL DEFAULT '',
    tanggal_sk_pengangkatan    TEXT NOT NULL DEFAULT '',
    tmt                        TEXT NOT NULL DEFAULT '',
    akhir_masa_jabatan_sk      TEXT NOT NULL DEFAULT '',
    nomor_sk_pemberhentian     TEXT NOT NULL DEFAULT '',
    tanggal_sk_pemberhentian   TEXT NOT NULL DEFAULT '',
    alasan_pemberhentian       TEXT NOT NULL DEFAULT '',
    keterangan                 TEXT NOT NULL DEFAULT '',
    disimpan_pada              INTEGER  NOT NULL,
    disimpan_oleh              TEXT    NOT NULL,
    -- The last document of the record when it was saved: those who see saved data only see
    -- the documents up to it.
    dokumen_terakhir           INTEGER  NOT NULL DEFAULT 0
);
CREATE INDEX perangkat_tersimpan_desa ON perangkat_tersimpan (desa_kode, jabatan);
CREATE INDEX perangkat_tersimpan_nik ON perangkat_tersimpan (nik);
CREATE INDEX perangkat_tersimpan_nama ON perangkat_tersimpan (nama, tanggal_lahir);
-- SPEC §3: one active definitive position per NIK in the whole instance …
CREATE UNIQUE INDEX satu_jabatan_definitif_per_nik ON perangkat_tersimpan (nik)
    WHERE status_jabatan = 'definitif' AND tanggal_sk_pemberhentian = '';
-- … one active definitive Kepala Desa and Sekretaris Desa per desa …
CREATE UNIQUE INDEX satu_kades_sekdes_per_desa ON perangkat_tersimpan (desa_kode, jabatan)
    WHERE jabatan IN ('kepala_desa', 'sekretaris_desa') AND status_jabatan = 'definitif' AND tanggal_sk_pemberhentian = '';
-- … and one active definitive Kepala Dusun per dusun.
CREATE UNIQUE INDEX satu_kadus_per_dusun ON perangkat_tersimpan (desa_kode, dusun)
    WHERE jabatan = 'kepala_dusun' AND status_jabatan = 'definitif' AND tanggal_sk_pemberhentian = '';

-- Documents of a tenure (SK scans). The file is stored by its SHA-256 in the object store.
CREATE TABLE dokumen (
    id            INTEGER PRIMARY KEY,
    perangkat_id  INTEGER  NOT NULL REFERENCES perangkat (id),
    jenis         TEXT    NOT NULL CHECK (jenis IN ('sk_pengangkatan', 'sk_pemberhentian', 'foto', 'lainnya')),
    sha256        TEXT    NOT NULL,
    ukuran        INTEGER  NOT NULL,
    mime          TEXT    NOT NULL,
    nama_asli     TEXT    NOT NULL DEFAULT '',
    diunggah_pada INTEGER  NOT NULL,
    diunggah_oleh TEXT    NOT NULL
);
CREATE INDEX dokumen_perangkat ON dokumen (perangkat_id, jenis);

-- The history of each record: who, when, what, before and after.
CREATE TABLE riwayat (
    id            INTEGER PRIMARY KEY,
    perangkat_id  INTEGER  NOT NULL REFERENCES perangkat (id),
    waktu         INTEGER  NOT NULL,
    username      TEXT    NOT NULL,
    aksi          TEXT    NOT NULL,
    catatan       TEXT    NOT NULL DEFAULT '',
    perubahan     TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX riwayat_perangkat ON riwayat (perangkat_id, id);
