-- Issue 15, point 2: the kecamatan sees who was told that a NIK is active in another desa
-- (`nik_desa_lain` events); the audit log is read by action and time for that page.
CREATE INDEX audit_aksi_waktu ON audit (aksi, waktu);
