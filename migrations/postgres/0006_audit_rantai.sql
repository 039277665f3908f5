-- Tamper-evident audit log: every entry carries the SHA-256 of the previous entry's hash and
-- its own fields (see src/audit/mod.rs). Entries written before this migration have an empty
-- hash; `sipkatdes audit verify` accepts them only before the first chained entry.
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';

-- A record's history (riwayat) is append-only too.
CREATE FUNCTION riwayat_tanpa_ubah() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'riwayat is append-only'; END $$;
CREATE TRIGGER riwayat_tanpa_ubah BEFORE UPDATE OR DELETE ON riwayat
FOR EACH ROW EXECUTE FUNCTION riwayat_tanpa_ubah();
CREATE TRIGGER riwayat_tanpa_kosongkan BEFORE TRUNCATE ON riwayat
FOR EACH STATEMENT EXECUTE FUNCTION riwayat_tanpa_ubah();
