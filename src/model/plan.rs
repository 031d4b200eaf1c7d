//! Address and name planning: where the next VNet, subnet or NIC can go, which addresses Azure
//! keeps for itself, and how a new object gets a name nothing else has. Every place that
//! proposes a new object (the TUI's forms, lint fixes, the engine's fixes) asks here, so they
//! all propose the same thing.
//!
//! Searches go from the bottom of a range up: the first free prefix is the lowest one, as when
//! subnets are added one after another. Each search is bounded ([`MAX_CANDIDATES`] prefixes per
//! range), so a packed /8 costs milliseconds, not seconds. NSG priorities are planned on
//! [`Nsg`](super::Nsg) itself ([`NsgRule::PRIORITIES`](super::NsgRule::PRIORITIES),
//! [`Nsg::free_priority`](super::Nsg::free_priority)).

use super::{Design, SubnetRef, Vnet, overlaps};
use ipnet::Ipv4Net;
use std::collections::HashSet;
use std::net::Ipv4Addr;

/// The private ranges new VNets are planned in, in the order they are tried: 10.0.0.0/8,
/// 172.16.0.0/12, 192.168.0.0/16 (RFC 1918).
pub const PRIVATE_RANGES: [Ipv4Net; 3] = [
    Ipv4Net::new_assert(Ipv4Addr::new(10, 0, 0, 0), 8),
    Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12),
    Ipv4Net::new_assert(Ipv4Addr::new(192, 168, 0, 0), 16),
];

/// The size of a new VNet's address space when nothing else is asked for: a /16.
pub const VNET_PREFIX_LEN: u8 = 16;

/// The size of a new subnet when nothing else is asked for: a /24.
pub const SUBNET_PREFIX_LEN: u8 = 24;

/// How many addresses Azure reserves at the start of every subnet prefix: the network address,
/// the default gateway, and two for Azure DNS. The broadcast address is reserved too.
pub const RESERVED_AT_START: u32 = 4;

/// At most this many candidate prefixes are tried per range, whatever its size.
pub const MAX_CANDIDATES: usize = 1 << 16;

/// Every range the design already uses outside its VNets' subnets: VNet address spaces,
/// on-premises site prefixes and point-to-site client pools.
fn used_ranges(design: &Design) -> Vec<Ipv4Net> {
    let vnets = design.vnets.iter().flat_map(|v| v.address_space.iter());
    let sites = design.sites.iter().flat_map(|s| s.prefixes.iter());
    let pools = design.gateways.iter().flat_map(|g| g.client_pool.iter());
    vnets.chain(sites).chain(pools).copied().collect()
}

/// The lowest prefix of length `len` (or the whole range, when the range is smaller) inside
/// one of `ranges`, tried in order, that overlaps nothing in `used`.
fn first_free(
    ranges: impl IntoIterator<Item = Ipv4Net>,
    len: u8,
    used: &[Ipv4Net],
) -> Option<Ipv4Net> {
    ranges.into_iter().find_map(|range| {
        range
            .subnets(len.max(range.prefix_len()))
            .ok()?
            .take(MAX_CANDIDATES)
            .find(|candidate| !used.iter().any(|u| overlaps(u, candidate)))
    })
}

/// The lowest prefix of length `len` in the private ranges ([`PRIVATE_RANGES`]) that overlaps
/// no VNet, site or point-to-site pool of the design: where a new VNet can go.
///
/// ```
/// use vnetlab::model::{Design, plan};
/// let design = Design::example_pair(); // 10.1.0.0/16 and 10.2.0.0/16
/// assert_eq!(plan::free_vnet_space(&design, 16).unwrap().to_string(), "10.0.0.0/16");
/// assert_eq!(plan::free_vnet_space(&design, 15).unwrap().to_string(), "10.4.0.0/15");
/// ```
pub fn free_vnet_space(design: &Design, len: u8) -> Option<Ipv4Net> {
    first_free(PRIVATE_RANGES, len, &used_ranges(design))
}

/// The lowest prefix of length `len` (or a whole range of the space, when that is smaller) in
/// the VNet's address space that no subnet uses: where a new subnet can go.
///
/// ```
/// use vnetlab::model::{Design, plan};
/// let design = Design::example_pair(); // a = 10.1.0.0/16 with default = 10.1.1.0/24
/// let a = design.vnet("a").unwrap();
/// assert_eq!(plan::free_subnet(a, 24).unwrap().to_string(), "10.1.0.0/24");
/// assert_eq!(plan::free_subnet(a, 23).unwrap().to_string(), "10.1.2.0/23");
/// ```
pub fn free_subnet(vnet: &Vnet, len: u8) -> Option<Ipv4Net> {
    let used: Vec<Ipv4Net> = vnet
        .subnets
        .iter()
        .flat_map(|s| s.prefixes().copied())
        .collect();
    first_free(vnet.address_space.iter().copied(), len, &used)
}

/// The subnet size to suggest for a subnet named `name`: the size Azure documents for its
/// special subnets (a /27 for `GatewaySubnet` and `RouteServerSubnet`, a /26 for
/// `AzureFirewallSubnet` and `AzureBastionSubnet`), else [`SUBNET_PREFIX_LEN`].
///
/// ```
/// use vnetlab::model::plan::{subnet_len_for, SUBNET_PREFIX_LEN};
/// assert_eq!(subnet_len_for("GatewaySubnet"), 27);
/// assert_eq!(subnet_len_for("AzureFirewallSubnet"), 26);
/// assert_eq!(subnet_len_for("workload"), SUBNET_PREFIX_LEN);
/// ```
pub fn subnet_len_for(name: &str) -> u8 {
    match name {
        super::GATEWAY_SUBNET | super::ROUTE_SERVER_SUBNET => 27,
        super::FIREWALL_SUBNET | "AzureBastionSubnet" => 26,
        _ => SUBNET_PREFIX_LEN,
    }
}

/// Where a new subnet named `name` can go in `vnet`: the lowest free prefix of the size
/// [`subnet_len_for`] suggests for that name.
///
/// ```
/// use vnetlab::model::{Design, plan};
/// let design = Design::example_pair(); // a = 10.1.0.0/16 with default = 10.1.1.0/24
/// let a = design.vnet("a").unwrap();
/// assert_eq!(plan::free_subnet_named(a, "GatewaySubnet").unwrap().to_string(), "10.1.0.0/27");
/// assert_eq!(plan::free_subnet_named(a, "web").unwrap().to_string(), "10.1.0.0/24");
/// ```
pub fn free_subnet_named(vnet: &Vnet, name: &str) -> Option<Ipv4Net> {
    free_subnet(vnet, subnet_len_for(name))
}

/// The first subnet of a new VNet with address space `space`: its lowest prefix of the size
/// [`subnet_len_for`] suggests for `name`.
///
/// ```
/// use vnetlab::model::plan::first_subnet;
/// let space = ["10.5.0.0/16".parse().unwrap()];
/// assert_eq!(first_subnet(&space, "default").unwrap().to_string(), "10.5.0.0/24");
/// ```
pub fn first_subnet(space: &[Ipv4Net], name: &str) -> Option<Ipv4Net> {
    first_free(space.iter().copied(), subnet_len_for(name), &[])
}

/// Whether Azure reserves `ip` in subnet prefix `prefix`: the first [`RESERVED_AT_START`]
/// addresses and the broadcast address (10.0.1.0–10.0.1.3 and 10.0.1.255 in 10.0.1.0/24). An
/// address outside the prefix is not reserved by it.
///
/// ```
/// use vnetlab::model::plan::is_reserved;
/// use std::net::Ipv4Addr;
/// let prefix = "10.0.1.0/24".parse().unwrap();
/// assert!(is_reserved(&prefix, Ipv4Addr::new(10, 0, 1, 3)));
/// assert!(is_reserved(&prefix, Ipv4Addr::new(10, 0, 1, 255)));
/// assert!(!is_reserved(&prefix, Ipv4Addr::new(10, 0, 1, 4)));
/// assert!(!is_reserved(&prefix, Ipv4Addr::new(10, 0, 2, 0)));
/// ```
pub fn is_reserved(prefix: &Ipv4Net, ip: Ipv4Addr) -> bool {
    if !prefix.contains(&ip) {
        return false;
    }
    let offset = u32::from(ip) - u32::from(prefix.network());
    offset < RESERVED_AT_START || ip == prefix.broadcast()
}

/// The first address of the subnet (its prefixes in order, the main one first) that Azure does
/// not reserve and no NIC in the subnet's VNet uses: the address a new NIC gets.
///
/// ```
/// use vnetlab::model::{Design, SubnetRef, plan};
/// let design = Design::example_pair(); // vm-a has 10.1.1.4 in a/default
/// let ip = plan::free_ip(&design, &SubnetRef::new("a", "default")).unwrap();
/// assert_eq!(ip.to_string(), "10.1.1.5");
/// ```
pub fn free_ip(design: &Design, subnet: &SubnetRef) -> Option<Ipv4Addr> {
    let found = design.subnet(subnet)?;
    let taken: HashSet<Ipv4Addr> = design
        .vms
        .iter()
        .flat_map(|vm| vm.nics.iter())
        .filter(|n| n.subnet.vnet == subnet.vnet)
        .map(|n| n.ip)
        .collect();
    found.prefixes().find_map(|prefix| {
        prefix
            .hosts()
            .find(|ip| !is_reserved(prefix, *ip) && !taken.contains(ip))
    })
}

/// The first address inside `prefixes` (an on-premises site's) that no site host of the design
/// uses, starting at the tenth address of each prefix (the first ones are usually the site's
/// routers) and trying at most 4,096 per prefix.
///
/// ```
/// use vnetlab::model::{Design, plan};
/// let prefixes = ["192.168.1.0/24".parse().unwrap()];
/// let ip = plan::free_host_ip(&Design::example_pair(), &prefixes).unwrap();
/// assert_eq!(ip.to_string(), "192.168.1.10");
/// ```
pub fn free_host_ip(design: &Design, prefixes: &[Ipv4Net]) -> Option<Ipv4Addr> {
    let taken: HashSet<Ipv4Addr> = design
        .sites
        .iter()
        .flat_map(|s| s.hosts.iter().map(|h| h.ip))
        .collect();
    prefixes
        .iter()
        .flat_map(|p| p.hosts().skip(9).take(4096))
        .find(|ip| !taken.contains(ip))
}

/// A name `taken` says is free: `base` itself, else `base-2`, `base-3`, …
///
/// ```
/// use vnetlab::model::plan::unique_name;
/// let taken = ["a", "a-2"];
/// assert_eq!(unique_name("b", |n| taken.contains(&n)), "b");
/// assert_eq!(unique_name("a", |n| taken.contains(&n)), "a-3");
/// ```
pub fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Host, Site, Subnet};

    fn net(text: &str) -> Ipv4Net {
        text.parse().unwrap()
    }

    #[test]
    fn reserved_addresses_are_the_first_four_and_the_last_of_the_prefix_only() {
        let prefix = net("10.0.1.0/24");
        let reserved: Vec<u8> = (0..=255u8)
            .filter(|&n| is_reserved(&prefix, Ipv4Addr::new(10, 0, 1, n)))
            .collect();
        assert_eq!(reserved, [0, 1, 2, 3, 255]);
        // Outside the prefix, on either side: not reserved by it (no wrap-around).
        assert!(!is_reserved(&prefix, Ipv4Addr::new(10, 0, 0, 255)));
        assert!(!is_reserved(&prefix, Ipv4Addr::new(10, 0, 2, 0)));
        assert!(!is_reserved(&prefix, Ipv4Addr::new(0, 0, 0, 0)));
    }

    #[test]
    fn free_prefixes_are_the_lowest_free_ones() {
        let mut design = Design::example_pair();
        let a = design.vnet_mut("a").unwrap();
        a.subnets.push(Subnet::new("low", net("10.1.0.0/25")));
        let a = design.vnet("a").unwrap();
        // 10.1.0.0/25 and 10.1.1.0/24 are taken: the /25 after the first one is free.
        assert_eq!(free_subnet(a, 25), Some(net("10.1.0.128/25")));
        assert_eq!(free_subnet(a, 24), Some(net("10.1.2.0/24")));
        // Asking for more than the space gives the whole space, if free.
        let mut empty = a.clone();
        empty.subnets.clear();
        assert_eq!(free_subnet(&empty, 8), Some(net("10.1.0.0/16")));
        empty.subnets.push(Subnet::new("all", net("10.1.0.0/16")));
        assert_eq!(free_subnet(&empty, 24), None);
    }

    #[test]
    fn vnet_space_avoids_sites_and_pools_and_moves_to_the_next_private_range() {
        let mut design = Design::empty("x");
        design.sites.push(Site {
            name: "hq".into(),
            prefixes: vec![net("10.0.0.0/8")],
            hosts: vec![Host {
                name: "h".into(),
                ip: Ipv4Addr::new(10, 0, 0, 10),
            }],
            bgp: false,
        });
        assert_eq!(free_vnet_space(&design, 16), Some(net("172.16.0.0/16")));
        design.sites[0].prefixes.push(net("172.16.0.0/12"));
        design.sites[0].prefixes.push(net("192.168.0.0/16"));
        assert_eq!(free_vnet_space(&design, 16), None);
    }

    #[test]
    fn free_ip_skips_reserved_taken_and_goes_on_to_extra_prefixes() {
        let mut design = Design::example_pair();
        let subnet = &mut design.vnet_mut("a").unwrap().subnets[0];
        subnet.prefix = net("10.1.1.0/29");
        subnet.extra_prefixes.push(net("10.1.1.8/29"));
        let at = SubnetRef::new("a", "default");
        for ip in [4, 5, 6] {
            let mut vm = design.vms[0].clone();
            vm.name = format!("vm{ip}");
            vm.nics[0].ip = Ipv4Addr::new(10, 1, 1, ip);
            design.vms.push(vm);
        }
        // .4–.6 are taken and .7 is the broadcast of the /29; .8–.11 are reserved in the next.
        assert_eq!(free_ip(&design, &at), Some(Ipv4Addr::new(10, 1, 1, 12)));
        assert_eq!(free_ip(&design, &SubnetRef::new("a", "nope")), None);
    }
}
