-- Bulk import: the checked rows of an uploaded spreadsheet wait here for the operator's
-- confirmation (nothing reaches the register before it). Kept at most a day.
CREATE TABLE impor (
    token        TEXT    PRIMARY KEY,
    desa_kode    TEXT    NOT NULL REFERENCES desa (kode),
    pengguna_id  INTEGER NOT NULL,
    nama_berkas  TEXT    NOT NULL DEFAULT '',
    isi          TEXT    NOT NULL,
    dibuat_pada  INTEGER NOT NULL
);
CREATE INDEX impor_waktu ON impor (dibuat_pada);
