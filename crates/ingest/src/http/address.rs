//! Which network addresses a fetch may reach.
//!
//! A feed or an OPML list is outside input: without this check, a link in one could make
//! chronicle read the admin page of a router or a cloud metadata service.

use crate::error::Error;
use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs};
use url::{Host, Url};

/// Resolves the host of `url` and refuses it if any of its addresses is private,
/// loopback, link-local or unspecified. Every address is checked, not only the first,
/// because the connection may use any of them.
pub(crate) fn check_public(url: &Url) -> Result<(), Error> {
    let host = url
        .host()
        .ok_or_else(|| Error::Network(format!("{url} names no host")))?;
    let port = url.port_or_known_default().unwrap_or(80);
    let addresses: Vec<IpAddr> = match host {
        Host::Ipv4(address) => vec![IpAddr::V4(address)],
        Host::Ipv6(address) => vec![IpAddr::V6(address)],
        Host::Domain(domain) => (domain, port)
            .to_socket_addrs()
            .map_err(|error| Error::Network(format!("cannot resolve {domain}: {error}")))?
            .map(|socket| socket.ip())
            .collect(),
    };
    match addresses.into_iter().find(|address| is_private(*address)) {
        Some(address) => Err(Error::PrivateAddress {
            host: host.to_string(),
            address,
        }),
        None => Ok(()),
    }
}

/// Loopback, private (RFC 1918, unique local), link-local, unspecified, shared
/// (carrier-grade NAT) and broadcast addresses, and IPv6 forms of those IPv4 ones.
pub(crate) fn is_private(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private_v4(v4);
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xFE00) == 0xFC00
                || (first & 0xFFC0) == 0xFE80
        }
    }
}

fn is_private_v4(v4: Ipv4Addr) -> bool {
    let [a, b, ..] = v4.octets();
    v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private(text: &str) -> bool {
        is_private(text.parse().unwrap())
    }

    #[test]
    fn private_ranges() {
        for address in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(private(address), "{address}");
        }
        for address in [
            "8.8.8.8",
            "172.32.0.1",
            "192.169.0.1",
            "93.184.216.34",
            "2001:db8::1",
            "::ffff:1.2.3.4",
        ] {
            assert!(!private(address), "{address}");
        }
    }

    #[test]
    fn loopback_urls_are_refused() {
        for url in [
            "http://127.0.0.1:8080/x",
            "http://[::1]/",
            "http://localhost/",
        ] {
            let url = Url::parse(url).unwrap();
            assert!(
                matches!(check_public(&url), Err(Error::PrivateAddress { .. })),
                "{url}"
            );
        }
        let url = Url::parse("http://93.184.216.34/").unwrap();
        assert!(check_public(&url).is_ok());
    }
}
