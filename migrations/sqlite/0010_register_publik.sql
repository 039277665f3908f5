-- Issue 19: the public register (UU 14/2008). A kecamatan turns it on for its desa (off for a
-- new instance); while it is off every public route answers 404. `publik_diubah_pada` is part
-- of the public data's version (ETag): it moves when the register is turned on or off.
ALTER TABLE kecamatan ADD COLUMN publik BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE kecamatan ADD COLUMN publik_diubah_pada INTEGER NOT NULL DEFAULT 0;
-- An official's photo is shown on the public register unless it is hidden (by the desa's
-- operator). The desa's `publik_diubah_pada` moves with every such choice, so that the public
-- data's version changes with it.
ALTER TABLE perangkat ADD COLUMN foto_disembunyikan BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE desa ADD COLUMN publik_diubah_pada INTEGER NOT NULL DEFAULT 0;
