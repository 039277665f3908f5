-- Performance (issue 8). Every list is scoped by a region-code prefix (`desa_kode LIKE '63.11.02%'`,
-- or a desa's exact code). PostgreSQL uses a b-tree for a LIKE prefix only in the C collation or
-- with the pattern operator class; these indexes serve the prefix whatever the database's
-- collation is.
CREATE INDEX desa_kode_awalan ON desa (kode text_pattern_ops);
CREATE INDEX dusun_desa_awalan ON dusun (desa_kode text_pattern_ops);
CREATE INDEX perangkat_desa_awalan ON perangkat (desa_kode text_pattern_ops, status);
CREATE INDEX perangkat_tersimpan_desa_awalan ON perangkat_tersimpan (desa_kode text_pattern_ops, tanggal_sk_pemberhentian);
CREATE INDEX perubahan_desa_awalan ON perubahan (desa_kode text_pattern_ops, id);
CREATE INDEX laporan_desa_awalan ON laporan (desa_kode text_pattern_ops, status);
-- Lists are ordered by position (Kepala Desa, Sekretaris Desa, Kaur/Kasi, Kepala Dusun, Staf),
-- then name: an index in that order lets a page of the whole instance read just its rows instead
-- of sorting every official.
CREATE INDEX perangkat_urut ON perangkat ((CASE jabatan WHEN 'kepala_desa' THEN 1 WHEN 'sekretaris_desa' THEN 2 WHEN 'kepala_dusun' THEN 4 WHEN 'staf' THEN 5 ELSE 3 END), jabatan, dusun, nama, desa_kode, id);
CREATE INDEX perangkat_tersimpan_urut ON perangkat_tersimpan ((CASE jabatan WHEN 'kepala_desa' THEN 1 WHEN 'sekretaris_desa' THEN 2 WHEN 'kepala_dusun' THEN 4 WHEN 'staf' THEN 5 ELSE 3 END), jabatan, dusun, nama, desa_kode, perangkat_id);
-- "The same person with another NIK in another desa" looks people up by lower-case name and birth
-- date (the record page, the dashboard's warnings).
CREATE INDEX perangkat_tersimpan_nama_lahir ON perangkat_tersimpan (LOWER(nama), tanggal_lahir);
-- Search by name, NIK or SK number is a substring search (LIKE '%…%'): trigram indexes answer it
-- without reading every official (pg_trgm ships with PostgreSQL and is a trusted extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX perangkat_cari_nama ON perangkat USING gin (LOWER(nama) gin_trgm_ops);
CREATE INDEX perangkat_cari_nik ON perangkat USING gin (nik gin_trgm_ops);
CREATE INDEX perangkat_cari_sk ON perangkat USING gin (LOWER(nomor_sk_pengangkatan) gin_trgm_ops);
CREATE INDEX perangkat_tersimpan_cari_nama ON perangkat_tersimpan USING gin (LOWER(nama) gin_trgm_ops);
CREATE INDEX perangkat_tersimpan_cari_nik ON perangkat_tersimpan USING gin (nik gin_trgm_ops);
CREATE INDEX perangkat_tersimpan_cari_sk ON perangkat_tersimpan USING gin (LOWER(nomor_sk_pengangkatan) gin_trgm_ops);
-- The number of officials of each desa (working rows and saved versions), kept up to date by
-- statement triggers: the total of an unfiltered list (a kecamatan, the whole instance) is a sum
-- over desa instead of a count of every official. No code changes a record's desa.
CREATE TABLE jumlah_desa (
    desa_kode  TEXT   PRIMARY KEY,
    perangkat  BIGINT NOT NULL DEFAULT 0,
    tersimpan  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX jumlah_desa_awalan ON jumlah_desa (desa_kode text_pattern_ops);
INSERT INTO jumlah_desa (desa_kode, perangkat, tersimpan)
SELECT d.kode,
       (SELECT COUNT(*) FROM perangkat p WHERE p.desa_kode = d.kode),
       (SELECT COUNT(*) FROM perangkat_tersimpan t WHERE t.desa_kode = d.kode)
FROM desa d;
CREATE FUNCTION jumlah_desa_tambah() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'perangkat' THEN
    INSERT INTO jumlah_desa AS j (desa_kode, perangkat)
    SELECT desa_kode, COUNT(*) FROM baru GROUP BY desa_kode ORDER BY desa_kode
    ON CONFLICT (desa_kode) DO UPDATE SET perangkat = j.perangkat + EXCLUDED.perangkat;
  ELSE
    INSERT INTO jumlah_desa AS j (desa_kode, tersimpan)
    SELECT desa_kode, COUNT(*) FROM baru GROUP BY desa_kode ORDER BY desa_kode
    ON CONFLICT (desa_kode) DO UPDATE SET tersimpan = j.tersimpan + EXCLUDED.tersimpan;
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION jumlah_desa_kurang() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'perangkat' THEN
    UPDATE jumlah_desa j SET perangkat = j.perangkat - l.n
    FROM (SELECT desa_kode, COUNT(*) AS n FROM lama GROUP BY desa_kode) l WHERE j.desa_kode = l.desa_kode;
  ELSE
    UPDATE jumlah_desa j SET tersimpan = j.tersimpan - l.n
    FROM (SELECT desa_kode, COUNT(*) AS n FROM lama GROUP BY desa_kode) l WHERE j.desa_kode = l.desa_kode;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER jumlah_perangkat_tambah AFTER INSERT ON perangkat
REFERENCING NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION jumlah_desa_tambah();
CREATE TRIGGER jumlah_perangkat_kurang AFTER DELETE ON perangkat
REFERENCING OLD TABLE AS lama FOR EACH STATEMENT EXECUTE FUNCTION jumlah_desa_kurang();
CREATE TRIGGER jumlah_tersimpan_tambah AFTER INSERT ON perangkat_tersimpan
REFERENCING NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION jumlah_desa_tambah();
CREATE TRIGGER jumlah_tersimpan_kurang AFTER DELETE ON perangkat_tersimpan
REFERENCING OLD TABLE AS lama FOR EACH STATEMENT EXECUTE FUNCTION jumlah_desa_kurang();
