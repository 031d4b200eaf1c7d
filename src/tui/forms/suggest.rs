//! Suggestions for new objects: the next free address range for a VNet, the next free subnet
//! inside a VNet, the next free IP in a subnet (skipping Azure's reserved addresses), the next
//! free NSG priority. All CIDR math is `ipnet`'s.

use crate::model::{Design, SubnetRef, overlaps};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Every range already used by the design: VNet spaces, site prefixes, P2S pools.
fn used_ranges(design: &Design) -> Vec<Ipv4Net> {
    design
        .vnets
        .iter()
        .flat_map(|v| v.address_space.iter().copied())
        .chain(design.sites.iter().flat_map(|s| s.prefixes.iter().copied()))
        .chain(
            design
                .gateways
                .iter()
                .flat_map(|g| g.client_pool.iter().copied()),
        )
        .collect()
}

/// The first /16 of the private ranges (10/8, then 172.16/12, then 192.168/16) that overlaps
/// nothing in the design.
pub fn free_vnet_space(design: &Design) -> Option<Ipv4Net> {
    let used = used_ranges(design);
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
        .iter()
        .filter_map(|r| r.parse::<Ipv4Net>().ok())
        .flat_map(|range| {
            range
                .subnets(16.max(range.prefix_len()))
                .into_iter()
                .flatten()
        })
        .find(|candidate| !used.iter().any(|u| overlaps(u, candidate)))
}

/// The first /24 (or the whole space, when smaller) inside a VNet that no subnet uses.
pub fn free_subnet(design: &Design, vnet: &str) -> Option<Ipv4Net> {
    let vnet = design.vnet(vnet)?;
    let used: Vec<Ipv4Net> = vnet
        .subnets
        .iter()
        .flat_map(|s| s.prefixes().copied())
        .collect();
    vnet.address_space
        .iter()
        .flat_map(|space| {
            space
                .subnets(24.max(space.prefix_len()))
                .into_iter()
                .flatten()
        })
        .find(|candidate| !used.iter().any(|u| overlaps(u, candidate)))
}

/// Whether Azure reserves this address of the subnet (the network address, the next three,
/// and the broadcast address).
pub fn is_reserved(prefix: &Ipv4Net, ip: Ipv4Addr) -> bool {
    let offset = u32::from(ip).wrapping_sub(u32::from(prefix.network()));
    offset < 4 || ip == prefix.broadcast()
}

/// The first address of the subnet that Azure does not reserve and no NIC or host uses.
pub fn free_ip(design: &Design, subnet: &SubnetRef) -> Option<Ipv4Addr> {
    let prefix = design.subnet(subnet)?.prefix;
    let taken: Vec<Ipv4Addr> = design
        .vms
        .iter()
        .flat_map(|vm| vm.nics.iter())
        .filter(|n| n.subnet.vnet == subnet.vnet)
        .map(|n| n.ip)
        .collect();
    prefix
        .hosts()
        .find(|ip| !is_reserved(&prefix, *ip) && !taken.contains(ip))
}

/// The first address inside `prefixes` no host of the design uses.
pub fn free_host_ip(design: &Design, prefixes: &[Ipv4Net]) -> Option<Ipv4Addr> {
    let taken: Vec<Ipv4Addr> = design
        .sites
        .iter()
        .flat_map(|s| s.hosts.iter().map(|h| h.ip))
        .collect();
    prefixes
        .iter()
        .flat_map(|p| p.hosts().skip(9).take(4096))
        .find(|ip| !taken.contains(ip))
}

/// The next free priority of an NSG in steps of 10, from 100.
pub fn free_priority(design: &Design, nsg: &str) -> u32 {
    let used: Vec<u32> = design
        .nsg(nsg)
        .map(|n| n.rules.iter().map(|r| r.priority).collect())
        .unwrap_or_default();
    (100..=4096)
        .step_by(10)
        .find(|p| !used.contains(p))
        .unwrap_or(4096)
}

/// A name not yet taken: `base`, else `base-2`, `base-3`…
pub fn free_name(base: &str, taken: &[&str]) -> String {
    if !taken.contains(&base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(&candidate.as_str()))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_skip_what_is_used() {
        let design = Design::example_pair();
        // a = 10.1.0.0/16 and b = 10.2.0.0/16 are taken; 10.0.0.0/16 is free.
        assert_eq!(free_vnet_space(&design).unwrap().to_string(), "10.0.0.0/16");
        // a/default = 10.1.1.0/24 is taken.
        assert_eq!(
            free_subnet(&design, "a").unwrap().to_string(),
            "10.1.0.0/24"
        );
        // vm-a has 10.1.1.4; .0–.3 are reserved.
        let ip = free_ip(&design, &SubnetRef::new("a", "default")).unwrap();
        assert_eq!(ip, Ipv4Addr::new(10, 1, 1, 5));
        assert!(is_reserved(
            &"10.1.1.0/24".parse().unwrap(),
            Ipv4Addr::new(10, 1, 1, 3)
        ));
        assert!(is_reserved(
            &"10.1.1.0/24".parse().unwrap(),
            Ipv4Addr::new(10, 1, 1, 255)
        ));
        assert_eq!(free_name("a", &["a", "a-2"]), "a-3");
    }
}
