-- Performance (issue 8). Every list is scoped by a region-code prefix (`desa_kode LIKE '63.11.02%'`,
-- or a desa's exact code). SQLite uses an index for LIKE only when the index has the collation
-- LIKE compares with (NOCASE, as case_sensitive_like is off); the codes are digits and dots, so
-- NOCASE orders them exactly like BINARY. Without these, every desa page, dashboard, list and
-- feed read the whole table.
CREATE INDEX desa_kode_awalan ON desa (kode COLLATE NOCASE);
CREATE INDEX dusun_desa_awalan ON dusun (desa_kode COLLATE NOCASE);
CREATE INDEX perangkat_desa_awalan ON perangkat (desa_kode COLLATE NOCASE, status);
CREATE INDEX perangkat_tersimpan_desa_awalan ON perangkat_tersimpan (desa_kode COLLATE NOCASE, tanggal_sk_pemberhentian);
CREATE INDEX perubahan_desa_awalan ON perubahan (desa_kode COLLATE NOCASE, id);
CREATE INDEX laporan_desa_awalan ON laporan (desa_kode COLLATE NOCASE, status);
-- Lists are ordered by position (Kepala Desa, Sekretaris Desa, Kaur/Kasi, Kepala Dusun, Staf),
-- then name: an index in that order lets a page of the whole instance read just its rows instead
-- of sorting every official.
CREATE INDEX perangkat_urut ON perangkat ((CASE jabatan WHEN 'kepala_desa' THEN 1 WHEN 'sekretaris_desa' THEN 2 WHEN 'kepala_dusun' THEN 4 WHEN 'staf' THEN 5 ELSE 3 END), jabatan, dusun, nama, desa_kode, id);
CREATE INDEX perangkat_tersimpan_urut ON perangkat_tersimpan ((CASE jabatan WHEN 'kepala_desa' THEN 1 WHEN 'sekretaris_desa' THEN 2 WHEN 'kepala_dusun' THEN 4 WHEN 'staf' THEN 5 ELSE 3 END), jabatan, dusun, nama, desa_kode, perangkat_id);
-- "The same person with another NIK in another desa" looks people up by lower-case name and birth
-- date (the record page, the dashboard's warnings).
CREATE INDEX perangkat_tersimpan_nama_lahir ON perangkat_tersimpan (LOWER(nama), tanggal_lahir);
-- Search by name, NIK or SK number is a substring search. A trigram full-text index answers it
-- (for three characters or more) without reading every official; it indexes the rows of its
-- table (external content: nothing is stored twice) and follows every change by trigger.
CREATE VIRTUAL TABLE perangkat_cari USING fts5 (
    nama, nik, nomor_sk_pengangkatan, content = 'perangkat', content_rowid = 'id', tokenize = 'trigram');
CREATE VIRTUAL TABLE perangkat_tersimpan_cari USING fts5 (
    nama, nik, nomor_sk_pengangkatan, content = 'perangkat_tersimpan', content_rowid = 'perangkat_id', tokenize = 'trigram');
INSERT INTO perangkat_cari (perangkat_cari) VALUES ('rebuild');
INSERT INTO perangkat_tersimpan_cari (perangkat_tersimpan_cari) VALUES ('rebuild');
CREATE TRIGGER perangkat_cari_tambah AFTER INSERT ON perangkat
BEGIN
  INSERT INTO perangkat_cari (rowid, nama, nik, nomor_sk_pengangkatan)
  VALUES (NEW.id, NEW.nama, NEW.nik, NEW.nomor_sk_pengangkatan);
END;
CREATE TRIGGER perangkat_cari_ubah AFTER UPDATE OF nama, nik, nomor_sk_pengangkatan ON perangkat
BEGIN
  INSERT INTO perangkat_cari (perangkat_cari, rowid, nama, nik, nomor_sk_pengangkatan)
  VALUES ('delete', OLD.id, OLD.nama, OLD.nik, OLD.nomor_sk_pengangkatan);
  INSERT INTO perangkat_cari (rowid, nama, nik, nomor_sk_pengangkatan)
  VALUES (NEW.id, NEW.nama, NEW.nik, NEW.nomor_sk_pengangkatan);
END;
CREATE TRIGGER perangkat_cari_hapus AFTER DELETE ON perangkat
BEGIN
  INSERT INTO perangkat_cari (perangkat_cari, rowid, nama, nik, nomor_sk_pengangkatan)
  VALUES ('delete', OLD.id, OLD.nama, OLD.nik, OLD.nomor_sk_pengangkatan);
END;
CREATE TRIGGER perangkat_tersimpan_cari_tambah AFTER INSERT ON perangkat_tersimpan
BEGIN
  INSERT INTO perangkat_tersimpan_cari (rowid, nama, nik, nomor_sk_pengangkatan)
  VALUES (NEW.perangkat_id, NEW.nama, NEW.nik, NEW.nomor_sk_pengangkatan);
END;
CREATE TRIGGER perangkat_tersimpan_cari_ubah AFTER UPDATE OF nama, nik, nomor_sk_pengangkatan ON perangkat_tersimpan
BEGIN
  INSERT INTO perangkat_tersimpan_cari (perangkat_tersimpan_cari, rowid, nama, nik, nomor_sk_pengangkatan)
  VALUES ('delete', OLD.perangkat_id, OLD.nama, OLD.nik, OLD.nomor_sk_pengangkatan);
  INSERT INTO perangkat_tersimpan_cari (rowid, nama, nik, nomor_sk_pengangkatan)
  VALUES (NEW.perangkat_id, NEW.nama, NEW.nik, NEW.nomor_sk_pengangkatan);
END;
CREATE TRIGGER perangkat_tersimpan_cari_hapus AFTER DELETE ON perangkat_tersimpan
BEGIN
  INSERT INTO perangkat_tersimpan_cari (perangkat_tersimpan_cari, rowid, nama, nik, nomor_sk_pengangkatan)
  VALUES ('delete', OLD.perangkat_id, OLD.nama, OLD.nik, OLD.nomor_sk_pengangkatan);
END;
-- The number of officials of each desa (working rows and saved versions), kept up to date by
-- trigger: the total of an unfiltered list (a kecamatan, the whole instance) is a sum over desa
-- instead of a count of every official. No code changes a record's desa.
CREATE TABLE jumlah_desa (
    desa_kode  TEXT    PRIMARY KEY,
    perangkat  INTEGER NOT NULL DEFAULT 0,
    tersimpan  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jumlah_desa_awalan ON jumlah_desa (desa_kode COLLATE NOCASE);
INSERT INTO jumlah_desa (desa_kode, perangkat, tersimpan)
SELECT d.kode,
       (SELECT COUNT(*) FROM perangkat p WHERE p.desa_kode = d.kode),
       (SELECT COUNT(*) FROM perangkat_tersimpan t WHERE t.desa_kode = d.kode)
FROM desa d;
CREATE TRIGGER jumlah_perangkat_tambah AFTER INSERT ON perangkat
BEGIN
  INSERT INTO jumlah_desa (desa_kode, perangkat) VALUES (NEW.desa_kode, 1)
  ON CONFLICT (desa_kode) DO UPDATE SET perangkat = perangkat + 1;
END;
CREATE TRIGGER jumlah_perangkat_kurang AFTER DELETE ON perangkat
BEGIN
  UPDATE jumlah_desa SET perangkat = perangkat - 1 WHERE desa_kode = OLD.desa_kode;
END;
CREATE TRIGGER jumlah_tersimpan_tambah AFTER INSERT ON perangkat_tersimpan
BEGIN
  INSERT INTO jumlah_desa (desa_kode, tersimpan) VALUES (NEW.desa_kode, 1)
  ON CONFLICT (desa_kode) DO UPDATE SET tersimpan = tersimpan + 1;
END;
CREATE TRIGGER jumlah_tersimpan_kurang AFTER DELETE ON perangkat_tersimpan
BEGIN
  UPDATE jumlah_desa SET tersimpan = tersimpan - 1 WHERE desa_kode = OLD.desa_kode;
END;
