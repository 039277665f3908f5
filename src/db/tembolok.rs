//! Values that change only with `init` or an administrator's settings (the desa list), kept in
//! the process with the version of the database they were read at (issue 16: the province's
//! desa list was read and decoded again for every request).
//!
//! The version lives in the database (`versi_data`, bumped by triggers in the same transaction
//! as the change), so a change made by another process — a second `serve` on the same
//! PostgreSQL, `init` on the command line — is seen at the next request: reading the version
//! is one indexed row, where the value it guards is thousands.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A kept value with the version it was read at.
type Isi = HashMap<&'static str, (i64, Arc<dyn Any + Send + Sync>)>;

/// The cache of one [`Db`](super::Db) (clones share it).
#[derive(Clone, Default)]
pub struct Tembolok(Arc<Mutex<Isi>>);

impl std::fmt::Debug for Tembolok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tembolok")
    }
}

impl Tembolok {
    /// The value kept under `nama` when it was read at version `versi`.
    pub fn ambil<T: Any + Send + Sync>(&self, nama: &'static str, versi: i64) -> Option<Arc<T>> {
        let peta = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (v, nilai) = peta.get(nama)?;
        if *v != versi {
            return None;
        }
        nilai.clone().downcast::<T>().ok()
    }

    /// Keeps `nilai`, read at version `versi` (read the version *before* the value: a change in
    /// between leaves an old version with newer data, which the next request reads again).
    pub fn taruh<T: Any + Send + Sync>(&self, nama: &'static str, versi: i64, nilai: Arc<T>) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(nama, (versi, nilai));
    }
}
