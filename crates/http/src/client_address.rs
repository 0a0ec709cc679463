//! The client's address, for rate limits and the API clients' last-seen address.
//!
//! Forwarded-address headers (`Forwarded`, `X-Forwarded-For`) are written by whoever sends
//! the request, so they are believed only when the socket's peer is a configured trusted
//! proxy (`trusted_proxies`, empty by default). Then the header is read right to left —
//! each proxy appends the address it received the request from — skipping the hops that are
//! trusted proxies themselves; the first untrusted hop is the client. Anything that is not
//! an address (an obfuscated identifier, `unknown`) stops the walk at the last trusted hop.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use actix_web::http::header::HeaderMap;

/// An address block (`10.0.0.0/8`, `fd00::/8`) or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// `192.0.2.1`, `192.0.2.0/24`, `2001:db8::/32`.
    pub fn parse(s: &str) -> Option<Self> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (s.parse::<IpAddr>().ok()?, None),
        };
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Self { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are the IPv4 address they carry.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|n| n.contains(ip))
}

/// One hop of a forwarded header: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711`,
/// `"[2001:db8::1]"`, `2001:db8::1`.
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let h = raw.trim().trim_matches('"');
    if let Ok(ip) = h.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = h.strip_prefix('[') {
        return rest
            .split(']')
            .next()?
            .parse::<Ipv6Addr>()
            .ok()
            .map(IpAddr::V6);
    }
    let (host, port) = h.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The hops named by the headers, in order (client first). `Forwarded` wins over
/// `X-Forwarded-For` when both are present. `None` stands for a hop that is not an address.
fn hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<Option<IpAddr>> = headers
        .get_all("forwarded")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| parse_hop(v))
            })
        })
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(parse_hop)
        .collect()
}

/// The client's address: the socket's peer, unless the peer is a trusted proxy; then the
/// nearest untrusted hop of the forwarded headers.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer.map(canonical)?;
    if !is_trusted(peer, trusted) {
        return Some(peer);
    }
    let mut client = peer;
    for hop in hops(headers).into_iter().rev() {
        match hop.map(canonical) {
            Some(ip) if is_trusted(ip, trusted) => client = ip,
            Some(ip) => return Some(ip),
            None => return Some(client),
        }
    }
    Some(client)
}

/// The client's address of a request, as text (`unknown` without a socket address).
pub fn of_request(req: &actix_web::HttpRequest, trusted: &[IpNet]) -> String {
    client_ip(req.peer_addr().map(|a| a.ip()), req.headers(), trusted)
        .map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_socket_is_the_client() {
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=203.0.113.10"),
        ]);
        assert_eq!(
            client_ip(Some(ip("198.51.100.7")), &h, &[]),
            Some(ip("198.51.100.7"))
        );
        let proxy = [IpNet::parse("10.0.0.0/8").unwrap()];
        assert_eq!(
            client_ip(Some(ip("198.51.100.7")), &h, &proxy),
            Some(ip("198.51.100.7")),
            "a peer outside the trusted blocks is not believed"
        );
    }

    #[test]
    fn a_trusted_proxy_is_read_right_to_left() {
        let proxies = [
            IpNet::parse("10.0.0.0/8").unwrap(),
            IpNet::parse("2001:db8::/32").unwrap(),
        ];
        // The client wrote a spoofed first entry; the proxy appended the real address.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.1.1.1")]);
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), &h, &proxies),
            Some(ip("203.0.113.9"))
        );
        let h = headers(&[(
            "forwarded",
            "for=1.2.3.4, for=\"[2001:db8::5]:80\";proto=https, for=198.51.100.1:55",
        )]);
        assert_eq!(
            client_ip(Some(ip("::ffff:10.0.0.2")), &h, &proxies),
            Some(ip("198.51.100.1")),
            "mapped IPv6 peers and ports are understood"
        );
        let h = headers(&[("x-forwarded-for", "garbage, 10.2.2.2")]);
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), &h, &proxies),
            Some(ip("10.2.2.2"))
        );
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), &headers(&[]), &proxies),
            Some(ip("10.0.0.2"))
        );
    }

    #[test]
    fn blocks_parse_and_match() {
        let n = IpNet::parse("172.16.0.0/12").unwrap();
        assert!(n.contains(ip("172.31.255.255")) && !n.contains(ip("172.32.0.0")));
        assert!(IpNet::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(IpNet::parse("10.0.0.0/33").is_none() && IpNet::parse("nginx").is_none());
        assert!(IpNet::parse("::1").unwrap().contains(ip("::1")));
    }
}
