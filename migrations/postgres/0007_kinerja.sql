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
