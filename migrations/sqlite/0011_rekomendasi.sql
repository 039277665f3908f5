-- Issue 17: the Camat's recommendation (Rekomendasi Camat) before an appointment or dismissal,
-- the national holidays its deadline skips, and the kecamatan's settings for it.
--
-- The kecamatan's settings: the Camat who signs the letter, the pattern of the letter's number
-- ({nomor} the sequence of the year, {tahun}, {bulan} in Roman numerals, {kode} the
-- kecamatan's code) and the date from which recommendations are required ('' = not yet).
ALTER TABLE kecamatan ADD COLUMN nama_camat TEXT NOT NULL DEFAULT '';
ALTER TABLE kecamatan ADD COLUMN nip_camat TEXT NOT NULL DEFAULT '';
ALTER TABLE kecamatan ADD COLUMN pola_nomor_rekomendasi TEXT NOT NULL DEFAULT '141/{nomor}/PEM/{tahun}';
ALTER TABLE kecamatan ADD COLUMN rekomendasi_wajib_sejak TEXT NOT NULL DEFAULT '';

-- National holidays and joint leave days, kept by the admin: not working days.
CREATE TABLE hari_libur (
    tanggal  TEXT PRIMARY KEY,
    nama     TEXT NOT NULL
);

-- A request of a desa. `batas_waktu` is the Camat's deadline (ISO date): 7 working days from
-- submission; while returned to the desa (`dikembalikan`) the clock stops, `sisa_hari_kerja`
-- keeps what was left and the resubmission starts it again. A decision is written once, with
-- its numbered letter (PDF stored by SHA-256) and verification code.
CREATE TABLE rekomendasi (
    id                     INTEGER PRIMARY KEY,
    desa_kode              TEXT    NOT NULL REFERENCES desa (kode),
    kecamatan_kode         TEXT    NOT NULL REFERENCES kecamatan (kode),
    jenis                  TEXT    NOT NULL CHECK (jenis IN ('pengangkatan', 'pemberhentian')),
    jabatan                TEXT    NOT NULL DEFAULT '',
    dusun                  TEXT    NOT NULL DEFAULT '',
    perangkat_id           INTEGER REFERENCES perangkat (id),
    alasan_pemberhentian   TEXT    NOT NULL DEFAULT '',
    catatan                TEXT    NOT NULL DEFAULT '',
    status                 TEXT    NOT NULL DEFAULT 'diajukan'
                           CHECK (status IN ('diajukan', 'dikembalikan', 'disetujui', 'ditolak')),
    diajukan_pada          INTEGER NOT NULL,
    diajukan_oleh          TEXT    NOT NULL,
    batas_waktu            TEXT    NOT NULL,
    sisa_hari_kerja        INTEGER,
    dikembalikan_pada      INTEGER,
    dikembalikan_oleh      TEXT    NOT NULL DEFAULT '',
    catatan_pengembalian   TEXT    NOT NULL DEFAULT '',
    calon_disetujui        INTEGER,
    diputuskan_pada        INTEGER,
    diputuskan_oleh        TEXT    NOT NULL DEFAULT '',
    diputuskan_nama        TEXT    NOT NULL DEFAULT '',
    alasan_keputusan       TEXT    NOT NULL DEFAULT '',
    tahun_nomor            INTEGER,
    urutan_nomor           INTEGER,
    nomor_surat            TEXT,
    kode_verifikasi        TEXT    UNIQUE,
    sha256                 TEXT,
    ukuran                 INTEGER,
    UNIQUE (kecamatan_kode, tahun_nomor, urutan_nomor),
    CHECK (jenis <> 'pemberhentian' OR perangkat_id IS NOT NULL),
    CHECK (status NOT IN ('disetujui', 'ditolak')
           OR (diputuskan_pada IS NOT NULL AND nomor_surat IS NOT NULL AND kode_verifikasi IS NOT NULL AND sha256 IS NOT NULL)),
    CHECK (status <> 'disetujui' OR jenis <> 'pengangkatan' OR calon_disetujui IS NOT NULL),
    CHECK (status <> 'ditolak' OR alasan_keputusan <> '')
);
CREATE INDEX rekomendasi_desa ON rekomendasi (desa_kode, id);
CREATE INDEX rekomendasi_status ON rekomendasi (status, batas_waktu);

-- A decision is final: nothing of a decided request changes, and no request is deleted.
CREATE TRIGGER rekomendasi_tetap BEFORE UPDATE ON rekomendasi
WHEN OLD.status IN ('disetujui', 'ditolak')
BEGIN SELECT RAISE(ABORT, 'a decided recommendation is final'); END;
CREATE TRIGGER rekomendasi_tanpa_hapus BEFORE DELETE ON rekomendasi
BEGIN SELECT RAISE(ABORT, 'a recommendation is never deleted'); END;

-- The candidates of an appointment, in the order the desa gave them (`urutan` from 0), with
-- the identity fields of the register.
CREATE TABLE rekomendasi_calon (
    id                    INTEGER PRIMARY KEY,
    rekomendasi_id        INTEGER NOT NULL REFERENCES rekomendasi (id),
    urutan                INTEGER NOT NULL,
    nama                  TEXT NOT NULL,
    gelar_depan           TEXT NOT NULL DEFAULT '',
    gelar_belakang        TEXT NOT NULL DEFAULT '',
    nik                   TEXT NOT NULL,
    niap                  TEXT NOT NULL DEFAULT '',
    nip                   TEXT NOT NULL DEFAULT '',
    jenis_kelamin         TEXT NOT NULL,
    tempat_lahir          TEXT NOT NULL,
    tanggal_lahir         TEXT NOT NULL,
    agama                 TEXT NOT NULL,
    pendidikan_terakhir   TEXT NOT NULL,
    pangkat_golongan      TEXT NOT NULL DEFAULT '',
    alamat                TEXT NOT NULL DEFAULT '',
    nomor_hp              TEXT NOT NULL DEFAULT '',
    UNIQUE (rekomendasi_id, urutan)
);

-- The documents of a request (per candidate when `calon` is set), stored like SK scans.
CREATE TABLE rekomendasi_dokumen (
    id              INTEGER PRIMARY KEY,
    rekomendasi_id  INTEGER NOT NULL REFERENCES rekomendasi (id),
    calon           INTEGER,
    jenis           TEXT    NOT NULL,
    sha256          TEXT    NOT NULL,
    ukuran          INTEGER NOT NULL,
    mime            TEXT    NOT NULL,
    nama_asli       TEXT    NOT NULL DEFAULT '',
    diunggah_pada   INTEGER NOT NULL,
    diunggah_oleh   TEXT    NOT NULL
);
CREATE INDEX rekomendasi_dokumen_rekomendasi ON rekomendasi_dokumen (rekomendasi_id, id);

-- An entry of the register made from an approved appointment. No foreign key: `rekomendasi`
-- already refers to `perangkat` (a dismissal), and a backup restores tables in one order.
ALTER TABLE perangkat ADD COLUMN rekomendasi_id INTEGER;
