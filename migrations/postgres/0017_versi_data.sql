-- Issue 16: the desa list (desa, their dusun, the kecamatan's names) changes only with init,
-- restore and an administrator's settings, but was read for every request. Its version, bumped
-- by these triggers in the transaction of every change, lets a process keep the list and see
-- another process's change at the next request (`db::tembolok`).
CREATE TABLE versi_data (
    nama  TEXT   PRIMARY KEY,
    nilai BIGINT NOT NULL
);
INSERT INTO versi_data (nama, nilai) VALUES ('desa', 1);
CREATE FUNCTION versi_desa_naik() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE versi_data SET nilai = nilai + 1 WHERE nama = 'desa';
  RETURN NULL;
END $$;
CREATE TRIGGER versi_desa AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON desa
FOR EACH STATEMENT EXECUTE FUNCTION versi_desa_naik();
CREATE TRIGGER versi_dusun AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dusun
FOR EACH STATEMENT EXECUTE FUNCTION versi_desa_naik();
CREATE TRIGGER versi_kecamatan AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kecamatan
FOR EACH STATEMENT EXECUTE FUNCTION versi_desa_naik();
