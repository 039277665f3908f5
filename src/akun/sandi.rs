//! Passwords (argon2id, m=19456 KiB, t=2, p=1) and random secrets (session ids, tokens).

use std::sync::OnceLock;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use sha2::{Digest, Sha256};

pub const PANJANG_MIN: usize = 10;
pub const PANJANG_MAKS: usize = 128;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password; the message names the field and what to do.
pub fn periksa_baru(sandi: &str, username: &str) -> Result<(), String> {
    let n = sandi.chars().count();
    if n < PANJANG_MIN {
        return Err(format!("Kata sandi minimal {PANJANG_MIN} karakter (sekarang {n})."));
    }
    if n > PANJANG_MAKS {
        return Err(format!(
            "Kata sandi paling banyak {PANJANG_MAKS} karakter (sekarang {n})."
        ));
    }
    if !username.is_empty() && sandi.to_lowercase().contains(&username.to_lowercase()) {
        return Err("Kata sandi tidak boleh memuat nama pengguna.".into());
    }
    Ok(())
}

/// Hashes a password (CPU-heavy: call from a blocking thread).
pub fn hash(sandi: &str) -> anyhow::Result<String> {
    let h = argon2()
        .hash_password(sandi.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(h.to_string())
}

/// Verifies a password against a stored hash (CPU-heavy: call from a blocking thread).
pub fn cocok(sandi: &str, hash: &str) -> bool {
    argon2().verify_password(sandi.as_bytes(), hash).is_ok()
}

/// A hash to verify against when the user does not exist, so that an unknown user and a wrong
/// password take the same time.
pub fn hash_tiruan() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash(&acak_hex(16)).expect("argon2 works"))
}

pub async fn hash_async(sandi: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash(&sandi)).await?
}

pub async fn cocok_async(sandi: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || cocok(&sandi, &hash))
        .await
        .unwrap_or(false)
}

/// `n` random bytes from the operating system, hex-encoded.
pub fn acak_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).expect("operating system random source");
    hex::encode(buf)
}

/// SHA-256 of a secret, hex-encoded: what the database stores instead of the secret.
pub fn sidik(rahasia: &str) -> String {
    hex::encode(Sha256::digest(rahasia.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_argon2id_dan_cocok() {
        let h = hash("rahasia-panjang-1").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(cocok("rahasia-panjang-1", &h));
        assert!(!cocok("rahasia-panjang-2", &h));
        assert!(!cocok("x", "bukan-hash"));
    }

    #[test]
    fn aturan_sandi() {
        assert!(
            periksa_baru("pendek", "budi")
                .unwrap_err()
                .contains("minimal 10 karakter (sekarang 6)")
        );
        assert!(periksa_baru("budi12345678", "budi").is_err());
        assert!(periksa_baru("kuda-lari-cepat", "budi").is_ok());
    }
}
