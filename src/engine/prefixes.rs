//! The constant prefixes and addresses Azure's rules name, built at compile time (a typo is a
//! build error, never a silent `0.0.0.0/0`); the prefix-mask helper the lookup tables share is
//! the model's, re-exported here.

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// The host platform address (in the `VirtualNetwork` and `AzureLoadBalancer` tags).
pub(crate) const HOST_IP: Ipv4Addr = Ipv4Addr::new(168, 63, 129, 16);

/// RFC 6598 shared address space (carrier-grade NAT); `Ipv4Addr::is_shared` is not stable yet.
pub(crate) const SHARED: Ipv4Net = Ipv4Net::new_assert(Ipv4Addr::new(100, 64, 0, 0), 10);

/// Link-local addresses (`Ipv4Addr::is_link_local`), which no route or tag sends anywhere.
pub(crate) const LINK_LOCAL: Ipv4Net = Ipv4Net::new_assert(Ipv4Addr::new(169, 254, 0, 0), 16);

/// The four reserved prefixes with a default `None` route (azure-semantics.md §2.1): RFC 1918
/// and RFC 6598.
pub(crate) const RESERVED: [Ipv4Net; 4] = [
    Ipv4Net::new_assert(Ipv4Addr::new(10, 0, 0, 0), 8),
    Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12),
    Ipv4Net::new_assert(Ipv4Addr::new(192, 168, 0, 0), 16),
    SHARED,
];

pub(crate) use crate::model::prefixes::mask;

/// Whether the internet does not route `ip`: RFC 1918 and RFC 6598.
pub(crate) fn not_internet_routed(ip: Ipv4Addr) -> bool {
    ip.is_private() || SHARED.contains(&ip)
}

/// Whether `ip` is outside the `Internet` service tag whatever the context: RFC 1918, RFC 6598
/// and link-local (the context's `VirtualNetwork` tag is excluded separately).
pub(crate) fn outside_internet_tag(ip: Ipv4Addr) -> bool {
    not_internet_routed(ip) || ip.is_link_local()
}

/// The prefixes listed in one of `a` and `b` but not the other: every address whose
/// membership in the union of `a` differs from its membership in the union of `b` lies in one
/// of them (a tag or table that changed answers alike for addresses outside them).
pub(crate) fn symmetric_difference(a: &[Ipv4Net], b: &[Ipv4Net]) -> Vec<Ipv4Net> {
    a.iter()
        .filter(|p| !b.contains(p))
        .chain(b.iter().filter(|p| !a.contains(p)))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_cover_every_length() {
        assert_eq!(mask(0), 0);
        assert_eq!(mask(8), 0xFF00_0000);
        assert_eq!(mask(32), u32::MAX);
        for len in 0..=32u8 {
            let net = Ipv4Net::new(Ipv4Addr::new(10, 0, 0, 0), len).expect("valid length");
            assert_eq!(mask(len), u32::from(net.netmask()));
        }
    }

    #[test]
    fn private_means_not_routed_on_the_internet() {
        for private in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.10",
            "100.64.0.1",
            "100.127.255.1",
        ] {
            let ip = private.parse().expect("literal");
            assert!(not_internet_routed(ip), "{private}");
            assert!(outside_internet_tag(ip), "{private}");
        }
        for public in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "100.63.255.255",
            "20.2.1.4",
        ] {
            let ip = public.parse().expect("literal");
            assert!(!not_internet_routed(ip), "{public}");
            assert!(!outside_internet_tag(ip), "{public}");
        }
        let link_local = "169.254.1.1".parse().expect("literal");
        assert!(!not_internet_routed(link_local) && outside_internet_tag(link_local));
        assert_eq!(
            RESERVED.map(|n| n.to_string()),
            [
                "10.0.0.0/8",
                "172.16.0.0/12",
                "192.168.0.0/16",
                "100.64.0.0/10"
            ]
        );
    }
}
