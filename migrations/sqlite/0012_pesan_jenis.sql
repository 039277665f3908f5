-- Issue 14, point 6: a one-time message left on the session has a kind, so that a refused
-- upload is shown as an error (red) and a partial success as a warning (orange), never in the
-- green box of a success. NULL is a success (the messages left before this migration).
ALTER TABLE sesi ADD COLUMN pesan_jenis TEXT;
