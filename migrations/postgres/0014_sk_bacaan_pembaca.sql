-- Issue 13: the version of the reader that read an SK (`sk::baca::VERSI`). When the reading of
-- scans improves, the scans read by an older reader are read again once in the background
-- (the worker re-queues them at start); text PDFs are read exactly and are never read again.
-- '' for the readings made before this column: read by the first reader.
ALTER TABLE sk_bacaan ADD COLUMN pembaca TEXT NOT NULL DEFAULT '';
