-- Issue 17: a private calendar feed of the deadlines (.ics) per user. The URL carries a secret;
-- only its SHA-256 is kept. One link per user: making a new one replaces the old, revoking
-- removes it. Like sessions and API tokens it is not part of a backup.
CREATE TABLE kalender (
    pengguna_id  INTEGER PRIMARY KEY REFERENCES pengguna (id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL UNIQUE,
    dibuat_pada  INTEGER NOT NULL,
    dipakai_pada INTEGER
);
