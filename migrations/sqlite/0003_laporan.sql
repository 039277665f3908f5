-- Printed reports (SOP steps 6-7): each Buku Aparat Pemerintah Desa is a numbered, immutable
-- snapshot: the data it was made from (JSON), the PDF stored by SHA-256. The Kepala Desa's
-- answer (diterima / ditolak) is written once; an accepted report gets a second PDF that says
-- who received it and when, with a public verification code.
CREATE TABLE laporan (
    id                INTEGER PRIMARY KEY,
    desa_kode         TEXT    NOT NULL REFERENCES desa (kode),
    nomor             TEXT    NOT NULL UNIQUE,
    tahun_nomor       INTEGER NOT NULL,
    urutan            INTEGER NOT NULL,
    periode           INTEGER NOT NULL,
    isi               TEXT    NOT NULL,
    sha256            TEXT    NOT NULL,
    ukuran            INTEGER NOT NULL,
    dibuat_pada       INTEGER NOT NULL,
    dibuat_oleh       TEXT    NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'menunggu' CHECK (status IN ('menunggu', 'diterima', 'ditolak')),
    ditanggapi_pada   INTEGER,
    ditanggapi_oleh   TEXT    NOT NULL DEFAULT '',
    ditanggapi_nama   TEXT    NOT NULL DEFAULT '',
    catatan           TEXT    NOT NULL DEFAULT '',
    kode_verifikasi   TEXT    UNIQUE,
    sha256_diterima   TEXT,
    ukuran_diterima   INTEGER,
    UNIQUE (desa_kode, tahun_nomor, urutan),
    -- An accepted report has its code and receipted PDF; a rejection has its note.
    CHECK (status <> 'diterima' OR (kode_verifikasi IS NOT NULL AND sha256_diterima IS NOT NULL AND ditanggapi_pada IS NOT NULL)),
    CHECK (status <> 'ditolak' OR (catatan <> '' AND ditanggapi_pada IS NOT NULL))
);
CREATE INDEX laporan_desa ON laporan (desa_kode, id);
CREATE INDEX laporan_status ON laporan (status, desa_kode);

-- The snapshot never changes; the answer is given once, from 'menunggu'.
CREATE TRIGGER laporan_tetap BEFORE UPDATE ON laporan
WHEN OLD.status <> 'menunggu' OR NEW.nomor IS NOT OLD.nomor OR NEW.isi IS NOT OLD.isi
  OR NEW.sha256 IS NOT OLD.sha256 OR NEW.desa_kode IS NOT OLD.desa_kode OR NEW.periode IS NOT OLD.periode
  OR NEW.dibuat_pada IS NOT OLD.dibuat_pada OR NEW.dibuat_oleh IS NOT OLD.dibuat_oleh
  OR NEW.urutan IS NOT OLD.urutan OR NEW.tahun_nomor IS NOT OLD.tahun_nomor OR NEW.ukuran IS NOT OLD.ukuran
BEGIN SELECT RAISE(ABORT, 'a report is an immutable snapshot'); END;
CREATE TRIGGER laporan_tanpa_hapus BEFORE DELETE ON laporan
BEGIN SELECT RAISE(ABORT, 'a report is an immutable snapshot'); END;
