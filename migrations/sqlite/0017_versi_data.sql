-- Issue 16: the desa list (desa, their dusun, the kecamatan's names) changes only with init,
-- restore and an administrator's settings, but was read for every request. Its version, bumped
-- by these triggers in the transaction of every change, lets a process keep the list and see
-- another process's change at the next request (`db::tembolok`).
CREATE TABLE versi_data (
    nama  TEXT    PRIMARY KEY,
    nilai INTEGER NOT NULL
);
INSERT INTO versi_data (nama, nilai) VALUES ('desa', 1);
CREATE TRIGGER versi_desa_tambah AFTER INSERT ON desa
BEGIN UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa'; END;
CREATE TRIGGER versi_desa_ubah AFTER UPDATE ON desa
BEGIN UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa'; END;
CREATE TRIGGER versi_desa_hapus AFTER DELETE ON desa
BEGIN UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa'; END;
CREATE TRIGGER versi_dusun_tambah AFTER INSERT ON dusun
BEGIN UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa'; END;
CREATE TRIGGER versi_dusun_ubah AFTER UPDATE ON dusun
BEGIN UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa'; END;
CREATE TRIGGER versi_dusun_hapus AFTER DELETE ON dusun
BEGIN UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa'; END;
CREATE TRIGGER versi_kecamatan_tambah AFTER INSERT ON kecamatan
BEGIN UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa'; END;
CREATE TRIGGER versi_kecamatan_ubah AFTER UPDATE ON kecamatan
BEGIN UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa'; END;
CREATE TRIGGER versi_kecamatan_hapus AFTER DELETE ON kecamatan
BEGIN UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa'; END;
