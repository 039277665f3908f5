//! Behind a reverse proxy: which peers are the proxy, and what their `X-Forwarded-*` headers say.
//!
//! `--trust-proxy` alone used to believe `X-Forwarded-For` from anyone who could reach the port,
//! so a client talking to the server directly could name any address and escape the login
//! throttle (issue 15, point 10). The headers are now believed only from the addresses of
//! `--proxy-address` (by default the machine itself, where a Caddy or nginx in front of SIPKATDES
//! runs), and the client is the right-most forwarded address that is not itself a proxy.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// An address or a network (`10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jaringan {
    alamat: IpAddr,
    awalan: u8,
}

impl Jaringan {
    /// Reads `alamat` or `alamat/awalan`; the message says what is wrong, in Indonesian.
    pub fn parse(s: &str) -> Result<Jaringan, String> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let alamat: IpAddr = a
            .parse()
            .map_err(|_| format!("'{s}' bukan alamat IP (contoh: 127.0.0.1, 10.0.0.0/8, ::1)"))?;
        let alamat = alamat.to_canonical();
        let maks = if alamat.is_ipv4() { 32 } else { 128 };
        let awalan = match p {
            None => maks,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= maks)
                .ok_or_else(|| format!("panjang awalan '{p}' pada '{s}' harus bilangan 0 sampai {maks}"))?,
        };
        Ok(Jaringan { alamat, awalan })
    }

    /// A comma-separated list (the command line's form).
    pub fn daftar(s: &str) -> Result<Vec<Jaringan>, String> {
        s.split(',')
            .filter(|x| !x.trim().is_empty())
            .map(Jaringan::parse)
            .collect()
    }

    /// The machine itself (IPv4 and IPv6 loopback): where a reverse proxy usually runs.
    pub fn lokal() -> Vec<Jaringan> {
        vec![
            Jaringan::parse("127.0.0.1/8").expect("valid"),
            Jaringan::parse("::1").expect("valid"),
        ]
    }

    pub fn memuat(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        let n = u32::from(self.awalan);
        match (self.alamat, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let m = if n == 0 { 0 } else { u32::MAX << (32 - n) };
                u32::from(a) & m == u32::from(b) & m
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let m = if n == 0 { 0 } else { u128::MAX << (128 - n) };
                u128::from(a) & m == u128::from(b) & m
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for Jaringan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.alamat, self.awalan)
    }
}

/// Whom to believe about the client.
#[derive(Clone, Debug, Default)]
pub struct Proxy {
    /// `--trust-proxy`: the server sits behind a reverse proxy.
    pub aktif: bool,
    /// `--proxy-address`: the peers that are that proxy.
    pub alamat: Vec<Jaringan>,
}

impl Proxy {
    /// Behind the proxies of `alamat`.
    pub fn di_belakang(alamat: Vec<Jaringan>) -> Proxy {
        Proxy { aktif: true, alamat }
    }

    fn proxy(&self, ip: IpAddr) -> bool {
        self.alamat.iter().any(|j| j.memuat(ip))
    }

    /// The request came from a trusted proxy: its forwarded headers may be believed.
    pub fn dipercaya(&self, peer: Option<IpAddr>) -> bool {
        self.aktif && peer.is_some_and(|p| self.proxy(p))
    }

    /// The client's address: the peer, or — when the peer is a trusted proxy — the right-most
    /// address of `X-Forwarded-For` that is not itself one of the proxies (each proxy appends
    /// the address it saw; what a client wrote itself stands further left).
    pub fn klien(&self, headers: &HeaderMap, peer: IpAddr) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.dipercaya(Some(peer)) {
            return peer;
        }
        let diteruskan: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|a| a.trim().parse::<IpAddr>().map(|a| a.to_canonical()))
            .collect::<Result<_, _>>()
            // A header that cannot be read is not believed at all.
            .unwrap_or_default();
        diteruskan
            .iter()
            .rev()
            .find(|a| !self.proxy(**a))
            .copied()
            .unwrap_or(peer)
    }

    /// The scheme the client used, as the trusted proxy says (`X-Forwarded-Proto`); `None` when
    /// the peer is not a trusted proxy or said nothing.
    pub fn skema(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<String> {
        if !self.dipercaya(peer) {
            return None;
        }
        headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next_back())
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| v == "http" || v == "https")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(xff: &[&str]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for v in xff {
            m.append("x-forwarded-for", v.parse().unwrap());
        }
        m
    }

    #[test]
    fn jaringan_dibaca_dan_dicocokkan() {
        let j = Jaringan::parse("10.0.0.0/8").unwrap();
        assert!(j.memuat("10.200.3.4".parse().unwrap()));
        assert!(!j.memuat("11.0.0.1".parse().unwrap()));
        assert!(!j.memuat("::1".parse().unwrap()));
        let satu = Jaringan::parse("192.168.1.7").unwrap();
        assert!(satu.memuat("192.168.1.7".parse().unwrap()));
        assert!(!satu.memuat("192.168.1.8".parse().unwrap()));
        // An IPv4 peer seen on an IPv6 socket.
        assert!(Jaringan::lokal()[0].memuat("::ffff:127.0.0.1".parse().unwrap()));
        assert!(Jaringan::parse("fd00::/8").unwrap().memuat("fd12::1".parse().unwrap()));
        assert!(Jaringan::parse("0.0.0.0/0").unwrap().memuat("8.8.8.8".parse().unwrap()));
        for salah in ["", "bukan", "10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0.0/-1"] {
            let e = Jaringan::parse(salah).unwrap_err();
            assert!(e.contains("alamat IP") || e.contains("awalan"), "{salah}: {e}");
        }
        assert_eq!(Jaringan::daftar("127.0.0.1, 10.0.0.0/8").unwrap().len(), 2);
    }

    #[test]
    fn forwarded_for_hanya_dari_proxy() {
        let p = Proxy::di_belakang(vec![Jaringan::parse("10.0.0.5").unwrap()]);
        let dari_proxy = "10.0.0.5".parse().unwrap();
        let langsung = "203.0.113.9".parse().unwrap();
        // Through the proxy: the address it appended.
        assert_eq!(
            p.klien(&h(&["198.51.100.1"]), dari_proxy),
            "198.51.100.1".parse::<IpAddr>().unwrap()
        );
        // A client's own forged entry stands to the left of what the proxy appended.
        assert_eq!(
            p.klien(&h(&["1.2.3.4, 198.51.100.1"]), dari_proxy),
            "198.51.100.1".parse::<IpAddr>().unwrap()
        );
        // Straight to the server: the header is not believed.
        assert_eq!(p.klien(&h(&["1.2.3.4"]), langsung), langsung);
        // A chain of proxies: proxies are skipped from the right.
        assert_eq!(
            p.klien(&h(&["198.51.100.1", "10.0.0.5"]), dari_proxy),
            "198.51.100.1".parse::<IpAddr>().unwrap()
        );
        // Garbage in the header: the peer.
        assert_eq!(p.klien(&h(&["bukan-alamat"]), dari_proxy), dari_proxy);
        // Without --trust-proxy nothing forwarded counts.
        let mati = Proxy {
            aktif: false,
            alamat: Jaringan::lokal(),
        };
        assert_eq!(
            mati.klien(&h(&["1.2.3.4"]), "127.0.0.1".parse().unwrap()),
            "127.0.0.1".parse::<IpAddr>().unwrap()
        );
    }
}
