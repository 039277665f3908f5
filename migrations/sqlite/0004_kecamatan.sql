-- The kecamatan side (SOP step 8). Verification of saved records by the kecamatan, records
-- returned to the desa, and the change feed: every change of saved data, in commit order.
ALTER TABLE perangkat_tersimpan ADD COLUMN verifikasi_oleh TEXT NOT NULL DEFAULT '';
ALTER TABLE perangkat_tersimpan ADD COLUMN verifikasi_pada INTEGER;
-- Returned by the kecamatan with a note until the desa checks and saves it again.
ALTER TABLE perangkat ADD COLUMN dikembalikan BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE perangkat ADD COLUMN catatan_kecamatan TEXT NOT NULL DEFAULT '';

CREATE TABLE perubahan (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    perangkat_id  INTEGER NOT NULL,
    desa_kode     TEXT    NOT NULL,
    waktu         INTEGER NOT NULL
);
CREATE INDEX perubahan_desa ON perubahan (desa_kode, id);
CREATE INDEX perubahan_perangkat ON perubahan (perangkat_id, id);

-- What is already saved is the feed's beginning.
INSERT INTO perubahan (perangkat_id, desa_kode, waktu)
SELECT perangkat_id, desa_kode, disimpan_pada FROM perangkat_tersimpan ORDER BY disimpan_pada, perangkat_id;

-- Written by the database itself, in the transaction of the change: no code path can forget it.
CREATE TRIGGER perubahan_simpan AFTER INSERT ON perangkat_tersimpan
BEGIN
  INSERT INTO perubahan (perangkat_id, desa_kode, waktu) VALUES (NEW.perangkat_id, NEW.desa_kode, NEW.disimpan_pada);
END;
CREATE TRIGGER perubahan_ubah AFTER UPDATE ON perangkat_tersimpan
BEGIN
  INSERT INTO perubahan (perangkat_id, desa_kode, waktu)
  VALUES (NEW.perangkat_id, NEW.desa_kode, CAST(strftime('%s', 'now') AS INTEGER));
END;
