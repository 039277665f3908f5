-- Issue 14: a draft that was never saved can be removed (*Hapus Draf*). The row stays, with its
-- history and documents, so that nothing entered is lost and its id is never given to another
-- record; `dihapus_pada` set means removed: no list, count, search, check or conflict sees it,
-- and reading it answers "not found". Only its history (Riwayat) and the audit log show it.
ALTER TABLE perangkat ADD COLUMN dihapus_pada INTEGER;
ALTER TABLE perangkat ADD COLUMN dihapus_oleh TEXT NOT NULL DEFAULT '';
-- The per-desa count of records (migration 7) counts live records only.
CREATE TRIGGER jumlah_perangkat_dihapus AFTER UPDATE OF dihapus_pada ON perangkat
WHEN OLD.dihapus_pada IS NULL AND NEW.dihapus_pada IS NOT NULL
BEGIN
  UPDATE jumlah_desa SET perangkat = perangkat - 1 WHERE desa_kode = NEW.desa_kode;
END;
