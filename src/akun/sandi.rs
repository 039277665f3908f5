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

/// Checks a new password: its form (below) and its strength ([`periksa_kekuatan`]); the
/// message says what is wrong and what to do.
pub fn periksa_baru(sandi: &str, username: &str) -> Result<(), String> {
    periksa_bentuk(sandi, username)?;
    periksa_kekuatan(sandi, username)
}

/// Length, and the username not inside.
pub fn periksa_bentuk(sandi: &str, username: &str) -> Result<(), String> {
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

/// The lowest zxcvbn score accepted: 3, "safely unguessable" (about 10^10 guesses needed),
/// zxcvbn's own advice for a password that guards personal data.
pub const SKOR_MIN: u8 = 3;

/// Words of this application and its users that a guesser tries first (zxcvbn's `user_inputs`:
/// its own dictionaries are English).
const KATA_SETEMPAT: &[&str] = &[
    "sipkatdes",
    "perangkat",
    "perangkatdesa",
    "desa",
    "kecamatan",
    "kabupaten",
    "pembakal",
    "kepaladesa",
    "operator",
    "admin",
    "administrator",
    "halong",
    "balangan",
    "kalsel",
    "indonesia",
    "bismillah",
    "rahasia",
    "katasandi",
    "sandi",
    "sayang",
    "merdeka",
    "garuda",
];

/// Refuses a common or guessable password (issue 15, point 6), judged by zxcvbn — a port of
/// Dropbox's estimator with its dictionaries of common passwords, names and words, keyboard
/// patterns, sequences, repeats, dates and l33t compiled into the binary (no network at run
/// time). The message says why, in Bahasa Indonesia.
pub fn periksa_kekuatan(sandi: &str, username: &str) -> Result<(), String> {
    use zxcvbn::feedback::Warning;
    // zxcvbn's matching grows with the length; the first 100 characters decide.
    let potong: String = sandi.chars().take(100).collect();
    let mut masukan: Vec<&str> = KATA_SETEMPAT.to_vec();
    if !username.is_empty() {
        masukan.push(username);
    }
    let e = zxcvbn::zxcvbn(&potong, &masukan);
    if u8::from(e.score()) >= SKOR_MIN {
        return Ok(());
    }
    let sebab = match e.feedback().and_then(|f| f.warning()) {
        Some(Warning::ThisIsATop10Password | Warning::ThisIsATop100Password | Warning::ThisIsACommonPassword) => {
            "termasuk kata sandi yang paling sering dipakai"
        }
        Some(Warning::ThisIsSimilarToACommonlyUsedPassword) => "mirip kata sandi yang sering dipakai",
        Some(Warning::StraightRowsOfKeysAreEasyToGuess | Warning::ShortKeyboardPatternsAreEasyToGuess) => {
            "berupa deretan tombol papan ketik (seperti qwerty)"
        }
        Some(Warning::RepeatsLikeAaaAreEasyToGuess | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess) => {
            "berupa pengulangan (seperti aaa atau abcabc)"
        }
        Some(Warning::SequencesLikeAbcAreEasyToGuess) => "berupa urutan (seperti abcd atau 123456)",
        Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => {
            "memuat tanggal atau tahun yang mudah ditebak"
        }
        Some(Warning::AWordByItselfIsEasyToGuess) => "hanya satu kata yang umum",
        Some(Warning::NamesAndSurnamesByThemselvesAreEasyToGuess | Warning::CommonNamesAndSurnamesAreEasyToGuess) => {
            "hanya berupa nama yang umum"
        }
        None => "memuat kata umum, nama aplikasi atau wilayah, atau pola sederhana",
    };
    Err(format!(
        "Kata sandi ini {sebab}, sehingga mudah ditebak. Pakai tiga kata atau lebih yang tidak berhubungan, misalnya \"kuda-lari-cepat-9\"."
    ))
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

    /// Issue 15, point 6: the passwords the probe set, and others of their kind.
    #[test]
    fn sandi_umum_ditolak_dengan_alasan() {
        for (sandi, sebab) in [
            ("1234567890", "paling sering dipakai"),
            ("password12", "paling sering dipakai"),
            ("qwertyuiop", "paling sering dipakai"),
            ("aaaaaaaaaaaa", "pengulangan"),
            ("abcdefghijkl", "urutan"),
            ("iloveyou2024", "mirip kata sandi"),
            ("admin12345", "mirip kata sandi"),
            ("sipkatdes123", "nama aplikasi"),
            ("halong2024!", "wilayah"),
            ("Indonesia1945", "kata umum"),
        ] {
            let e = periksa_baru(sandi, "budi").expect_err(sandi);
            assert!(e.contains(sebab) && e.contains("mudah ditebak"), "{sandi}: {e}");
        }
        for sandi in [
            "kuda-lari-cepat-9",
            "Sungai Balangan mengalir ke barat 7",
            "tp9#Vq2!xLr8",
        ] {
            assert!(
                periksa_baru(sandi, "budi").is_ok(),
                "{sandi}: {:?}",
                periksa_baru(sandi, "budi")
            );
        }
        // A long password is judged on its first 100 characters (and stays fast).
        assert!(periksa_baru(&"kuda-lari-cepat-9 ".repeat(7), "budi").is_ok());
    }
}
