-- SIPKATDES foundation schema (SQLite). Timestamps are Unix seconds (UTC).
CREATE TABLE instansi (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    zona_waktu    TEXT    NOT NULL CHECK (zona_waktu IN ('WIB', 'WITA', 'WIT')),
    dibuat_pada   INTEGER NOT NULL
);

CREATE TABLE kecamatan (
    kode            TEXT PRIMARY KEY,
    nama            TEXT NOT NULL,
    kabupaten_kode  TEXT NOT NULL,
    kabupaten_nama  TEXT NOT NULL,
    provinsi_kode   TEXT NOT NULL,
    provinsi_nama   TEXT NOT NULL,
    alamat_kantor   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE desa (
    kode                  TEXT PRIMARY KEY,
    kecamatan_kode        TEXT NOT NULL REFERENCES kecamatan (kode),
    nama                  TEXT NOT NULL,
    sebutan_kepala_desa   TEXT NOT NULL,
    sebutan_kepala_dusun  TEXT NOT NULL DEFAULT 'Kepala Dusun',
    struktur              TEXT NOT NULL DEFAULT 'lengkap' CHECK (struktur IN ('lengkap', 'sederhana')),
    alamat_kop            TEXT NOT NULL DEFAULT '',
    diubah_pada           INTEGER NOT NULL
);
CREATE INDEX desa_kecamatan ON desa (kecamatan_kode);

CREATE TABLE dusun (
    id         INTEGER PRIMARY KEY,
    desa_kode  TEXT    NOT NULL REFERENCES desa (kode),
    nama       TEXT    NOT NULL,
    urutan     INTEGER NOT NULL,
    UNIQUE (desa_kode, nama)
);

CREATE TABLE pengguna (
    id                 INTEGER PRIMARY KEY,
    username           TEXT    NOT NULL UNIQUE,
    nama_lengkap       TEXT    NOT NULL DEFAULT '',
    password_hash      TEXT    NOT NULL,
    peran              TEXT    NOT NULL CHECK (peran IN ('admin', 'kabupaten', 'kecamatan', 'operator', 'kepala_desa')),
    cakupan            TEXT    NOT NULL DEFAULT '',
    aktif              INTEGER NOT NULL DEFAULT 1,
    dibuat_pada        INTEGER NOT NULL,
    diubah_pada        INTEGER NOT NULL
);

-- Sessions: only the SHA-256 of the cookie value is stored.
CREATE TABLE sesi (
    id_hash         TEXT    PRIMARY KEY,
    pengguna_id     INTEGER NOT NULL REFERENCES pengguna (id) ON DELETE CASCADE,
    csrf            TEXT    NOT NULL,
    dibuat_pada     INTEGER NOT NULL,
    terakhir_aktif  INTEGER NOT NULL,
    pesan           TEXT
);
CREATE INDEX sesi_pengguna ON sesi (pengguna_id);

-- API tokens: only the SHA-256 of the token is stored.
CREATE TABLE token_api (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    pengguna_id  INTEGER NOT NULL REFERENCES pengguna (id) ON DELETE CASCADE,
    dibuat_pada  INTEGER NOT NULL,
    kedaluwarsa  INTEGER NOT NULL
);
CREATE INDEX token_api_pengguna ON token_api (pengguna_id);

-- Failed logins, for throttling per account ('u:<username>') and per address ('a:<ip>').
CREATE TABLE gagal_masuk (
    id     INTEGER PRIMARY KEY,
    kunci  TEXT    NOT NULL,
    waktu  INTEGER NOT NULL
);
CREATE INDEX gagal_masuk_kunci ON gagal_masuk (kunci, waktu);

-- Append-only audit log.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    waktu        INTEGER NOT NULL,
    pengguna_id  INTEGER,
    username     TEXT    NOT NULL DEFAULT '',
    aksi         TEXT    NOT NULL,
    objek        TEXT    NOT NULL DEFAULT '',
    rincian      TEXT    NOT NULL DEFAULT '{}'
);
CREATE TRIGGER audit_tanpa_ubah BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_tanpa_hapus BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
