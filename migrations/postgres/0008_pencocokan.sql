-- The machine reads the SK and compares it with the entry (issue 13).
--
-- `sk_bacaan`: one reading per document content (SHA-256): the same file uploaded twice is read
-- once. It is also the job queue: a row `menunggu` is a job; a worker claims it (`diproses`,
-- with `diklaim_pada` as its lease and `percobaan` counting the attempts) and ends it `selesai`
-- (with the text), `tidak_tersedia` (OCR needed but not installed) or `gagal` (with a message).
-- `teks`: the pages joined by a form feed (U+000C).
CREATE TABLE sk_bacaan (
    sha256           TEXT    PRIMARY KEY,
    status           TEXT    NOT NULL DEFAULT 'menunggu'
                     CHECK (status IN ('menunggu', 'diproses', 'selesai', 'tidak_tersedia', 'gagal')),
    sumber           TEXT    CHECK (sumber IN ('teks_pdf', 'ocr')),
    halaman_selesai  BIGINT  NOT NULL DEFAULT 0,
    halaman_total    BIGINT  NOT NULL DEFAULT 0,
    teks             TEXT,
    pesan            TEXT    NOT NULL DEFAULT '',
    percobaan        BIGINT  NOT NULL DEFAULT 0,
    dibuat_pada      BIGINT  NOT NULL,
    diklaim_pada     BIGINT ,
    selesai_pada     BIGINT
);
CREATE INDEX sk_bacaan_antrean ON sk_bacaan (status, dibuat_pada);

-- The result per record: its current SK pengangkatan (`dokumen_id`, `sha256`) compared with its
-- working values; `sidik_data` is the SHA-256 of what was compared, so a change of the data is
-- seen on read. `hasil`: the fields as JSON (`[{"field","nilai","hasil","teks_sk","skor"}]`).
CREATE TABLE pencocokan (
    perangkat_id  BIGINT  PRIMARY KEY REFERENCES perangkat (id),
    dokumen_id    BIGINT  NOT NULL REFERENCES dokumen (id),
    sha256        TEXT    NOT NULL,
    sidik_data    TEXT    NOT NULL,
    hasil         TEXT    NOT NULL,
    jumlah_cocok  BIGINT  NOT NULL,
    jumlah_medan  BIGINT  NOT NULL,
    dihitung_pada BIGINT  NOT NULL
);
CREATE INDEX pencocokan_sha256 ON pencocokan (sha256);
CREATE INDEX dokumen_sha256 ON dokumen (sha256);

-- The SKs already uploaded are read too.
INSERT INTO sk_bacaan (sha256, dibuat_pada)
SELECT sha256, MIN(diunggah_pada) FROM dokumen WHERE jenis = 'sk_pengangkatan' GROUP BY sha256;
