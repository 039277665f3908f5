//! Time: an injectable clock, Indonesia's three time zones, and dates written the Indonesian way
//! ("27 Maret 2023", "27 Maret 2023, 14.05 WITA").

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::{Date, OffsetDateTime, UtcOffset};

/// Seconds since the Unix epoch, from the system clock.
pub fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// The application's clock. Tests move it forward to exercise timeouts.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> i64 {
        unix_now() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves the clock forward by `seconds` (tests only; the real clock is never changed).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// Indonesia's time zones: fixed offsets, no daylight saving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZonaWaktu {
    Wib,
    Wita,
    Wit,
}

impl ZonaWaktu {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "WIB" => Some(Self::Wib),
            "WITA" => Some(Self::Wita),
            "WIT" => Some(Self::Wit),
            _ => None,
        }
    }

    pub fn kode(self) -> &'static str {
        match self {
            Self::Wib => "WIB",
            Self::Wita => "WITA",
            Self::Wit => "WIT",
        }
    }

    pub fn offset(self) -> UtcOffset {
        let hours = match self {
            Self::Wib => 7,
            Self::Wita => 8,
            Self::Wit => 9,
        };
        UtcOffset::from_hms(hours, 0, 0).expect("valid offset")
    }

    /// The zone of a province (first two digits of a region code).
    pub fn untuk_provinsi(provinsi: &str) -> Self {
        match provinsi {
            // Bali, NTB, NTT, Kalimantan Selatan/Timur/Utara, all of Sulawesi.
            "51" | "52" | "53" | "63" | "64" | "65" | "71" | "72" | "73" | "74" | "75" | "76" => Self::Wita,
            // Maluku, Maluku Utara, and the Papua provinces.
            "81" | "82" | "91" | "92" | "93" | "94" | "95" | "96" => Self::Wit,
            _ => Self::Wib,
        }
    }
}

pub const NAMA_BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// "27 Maret 2023".
pub fn tanggal(d: Date) -> String {
    format!("{} {} {}", d.day(), NAMA_BULAN[d.month() as usize - 1], d.year())
}

/// "27 Maret 2023, 14.05 WITA" for a Unix timestamp.
pub fn tanggal_jam(unix: i64, zona: ZonaWaktu) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(zona.offset());
    format!(
        "{}, {:02}.{:02} {}",
        tanggal(t.date()),
        t.hour(),
        t.minute(),
        zona.kode()
    )
}

/// How long ago, as people say it: "baru saja", "5 menit lalu", "3 jam lalu", "2 hari lalu";
/// older than a month: the date.
pub fn relatif(sekarang: i64, t: i64, zona: ZonaWaktu) -> String {
    let d = (sekarang - t).max(0);
    match d {
        0..60 => "baru saja".into(),
        60..3600 => format!("{} menit lalu", d / 60),
        3600..86_400 => format!("{} jam lalu", d / 3600),
        86_400..2_592_000 => format!("{} hari lalu", d / 86_400),
        _ => {
            let t = OffsetDateTime::from_unix_timestamp(t)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH)
                .to_offset(zona.offset());
            tanggal(t.date())
        }
    }
}

/// "N menit" (rounded up, at least 1) for a number of seconds.
pub fn menit(detik: i64) -> i64 {
    ((detik + 59) / 60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn tanggal_indonesia() {
        assert_eq!(tanggal(date!(2023 - 03 - 27)), "27 Maret 2023");
        assert_eq!(tanggal(date!(2024 - 12 - 01)), "1 Desember 2024");
    }

    #[test]
    fn tanggal_jam_wita() {
        // 2023-03-27 06:05 UTC is 14.05 WITA.
        let t = date!(2023 - 03 - 27).with_hms(6, 5, 0).unwrap().assume_utc();
        assert_eq!(
            tanggal_jam(t.unix_timestamp(), ZonaWaktu::Wita),
            "27 Maret 2023, 14.05 WITA"
        );
        assert_eq!(
            tanggal_jam(t.unix_timestamp(), ZonaWaktu::Wib),
            "27 Maret 2023, 13.05 WIB"
        );
    }

    #[test]
    fn waktu_relatif() {
        let z = ZonaWaktu::Wita;
        assert_eq!(relatif(1000, 990, z), "baru saja");
        assert_eq!(relatif(1000 + 300, 1000, z), "5 menit lalu");
        assert_eq!(relatif(7200 + 5, 0, z), "2 jam lalu");
        assert_eq!(relatif(3 * 86_400, 0, z), "3 hari lalu");
        assert_eq!(relatif(40 * 86_400, 0, z), "1 Januari 1970");
    }

    #[test]
    fn zona_provinsi() {
        assert_eq!(ZonaWaktu::untuk_provinsi("63"), ZonaWaktu::Wita);
        assert_eq!(ZonaWaktu::untuk_provinsi("31"), ZonaWaktu::Wib);
        assert_eq!(ZonaWaktu::untuk_provinsi("94"), ZonaWaktu::Wit);
    }
}
