-- Issue 14, point 7: a report printed again while one of the same desa and year waits for the
-- Kepala Desa replaces it. The older one is kept (never deleted) and marked replaced: it can
-- no longer be accepted or rejected, and it names the report that replaced it. The stored
-- status stays 'menunggu'; every read shows it as 'diganti'.
ALTER TABLE laporan ADD COLUMN diganti_oleh BIGINT REFERENCES laporan (id);
ALTER TABLE laporan ADD COLUMN diganti_pada BIGINT;
