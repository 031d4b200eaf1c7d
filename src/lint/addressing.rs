//! Addressing checks: VNet ranges and subnets that Azure would refuse (overlaps, subnets outside
//! their VNet or below /29), and VM addresses outside their subnet, duplicated in a VNet, or
//! among the five addresses Azure reserves in every subnet (azure-semantics.md §0, §2.1).

use super::support::{Context, SubnetPath};
use super::{Code, Diagnostic, Remedy, Severity};
use crate::edit::{Edit, Object};
use crate::model::plan::{free_ip, is_reserved};
use crate::model::prefixes::first_earlier_overlaps;
use crate::model::{ConnectionRemote, GATEWAY_SUBNET, ObjectKind, PrefixIndex, overlaps};
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::net::Ipv4Addr;

/// Azure's smallest IPv4 subnet.
const MIN_SUBNET_PREFIX_LEN: u8 = 29;

/// The addressing checks in three parts (`parts`), in report order, because they read
/// different lists: a VNet's ranges and subnets read the VNets only; NIC addresses the VNets and
/// VMs; the gateways' client pools and sites also the peerings, connections and sites. A
/// peering's flag, then, re-checks only the pools, not every NIC.
pub(super) fn vnet_ranges(cx: &Context, found: &mut Vec<Diagnostic>) {
    for vnet in &cx.design.vnets {
        // Sorted and interval lookups, not all pairs: a VNet may list a million prefixes.
        let earlier = first_earlier_overlaps(&vnet.address_space);
        for (a, b) in vnet.address_space.iter().zip(&earlier) {
            if let Some(b) = b.map(|j| &vnet.address_space[j]) {
                found.push(
                    Diagnostic::new(
                        Severity::Error,
                        Code::AddressVnetRangesOverlap,
                        ObjectKind::Vnet,
                        &vnet.name,
                        format!(
                            "the address space of VNet `{}` lists {a} and {b}, which overlap; Azure refuses overlapping ranges in one VNet",
                            vnet.name
                        ),
                    )
                    .with_fix(Remedy::advice(format!("remove {a} or {b} from `{}`", vnet.name))),
                );
            }
        }
        let space = PrefixIndex::new(&vnet.address_space);
        let owners: Vec<&str> = vnet
            .subnets
            .iter()
            .flat_map(|s| s.prefixes().map(|_| s.name.as_str()))
            .collect();
        let all: Vec<ipnet::Ipv4Net> = vnet
            .subnets
            .iter()
            .flat_map(|s| s.prefixes())
            .copied()
            .collect();
        let earlier = first_earlier_overlaps(&all);
        let mut at = 0;
        for subnet in &vnet.subnets {
            // Written out only for a diagnostic.
            let path = SubnetPath(&vnet.name, &subnet.name);
            for prefix in subnet.prefixes() {
                let overlapped = earlier[at].map(|j| (owners[j], all[j]));
                at += 1;
                if space.first_covering(prefix).is_none() {
                    let space: Vec<String> =
                        vnet.address_space.iter().map(|n| n.to_string()).collect();
                    found.push(
                        Diagnostic::new(
                            Severity::Error,
                            Code::AddressSubnetOutsideVnet,
                            ObjectKind::Subnet,
                            path.to_string(),
                            format!(
                                "subnet `{path}` ({prefix}) is not inside the address space of `{}` ({}); Azure refuses it",
                                vnet.name,
                                if space.is_empty() { "empty".to_string() } else { space.join(", ") }
                            ),
                        )
                        .with_fix(Remedy::advice(format!(
                            "pick a prefix inside `{}`'s address space, or add {prefix} to it",
                            vnet.name
                        ))),
                    );
                }
                if let Some((other, other_prefix)) = overlapped {
                    found.push(
                        Diagnostic::new(
                            Severity::Error,
                            Code::AddressSubnetOverlap,
                            ObjectKind::Subnet,
                            path.to_string(),
                            format!(
                                "subnet `{path}` ({prefix}) overlaps subnet `{}/{other}` ({other_prefix}); Azure refuses overlapping subnets in one VNet",
                                vnet.name
                            ),
                        )
                        .with_fix(Remedy::advice(format!(
                            "give `{path}` a prefix that no other subnet of `{}` uses",
                            vnet.name
                        ))),
                    );
                }
                // GatewaySubnet has its own, stricter size rule in the gateway checks.
                if prefix.prefix_len() > MIN_SUBNET_PREFIX_LEN && subnet.name != GATEWAY_SUBNET {
                    found.push(
                        Diagnostic::new(
                            Severity::Error,
                            Code::AddressSubnetTooSmall,
                            ObjectKind::Subnet,
                            path.to_string(),
                            format!(
                                "subnet `{path}` is a /{}; Azure's smallest subnet is a /{MIN_SUBNET_PREFIX_LEN} (it reserves five addresses in every subnet)",
                                prefix.prefix_len()
                            ),
                        )
                        .with_fix(Remedy::advice(format!("make `{path}` a /{MIN_SUBNET_PREFIX_LEN} or larger"))),
                    );
                }
            }
        }
    }
}

/// The NICs' addresses: inside their subnet, not reserved, not taken twice in a VNet.
pub(super) fn nic_addresses(cx: &Context, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    let mut first_owner: FxHashMap<(&str, Ipv4Addr), &str> =
        FxHashMap::with_capacity_and_hasher(design.vms.len(), FxBuildHasher);
    for vm in &design.vms {
        for (index, nic) in vm.nics.iter().enumerate() {
            let Some(subnet) = cx.subnet(&nic.subnet) else {
                continue;
            };
            let readdress = |why: &str| {
                let ip = free_ip(design, &nic.subnet)?;
                let mut changed = vm.clone();
                changed.nics[index].ip = ip;
                Some(Remedy::edit(
                    format!("give `{}` the free address {ip} ({why})", vm.name),
                    Edit::Replace(Object::Vm(changed)),
                ))
            };
            if !subnet.contains(nic.ip) {
                found.push(
                    Diagnostic::new(
                        Severity::Error,
                        Code::AddressIpOutsideSubnet,
                        ObjectKind::Vm,
                        &vm.name,
                        format!(
                            "IP {} of VM `{}` is outside its subnet `{}` ({})",
                            nic.ip, vm.name, nic.subnet, subnet.prefix
                        ),
                    )
                    .with_optional_fix(readdress("inside its subnet")),
                );
            } else if let Some(prefix) = subnet.prefixes().find(|p| is_reserved(p, nic.ip)) {
                found.push(
                    Diagnostic::new(
                        Severity::Error,
                        Code::AddressIpReserved,
                        ObjectKind::Vm,
                        &vm.name,
                        format!(
                            "IP {} of VM `{}` is reserved by Azure: every subnet keeps its first four addresses and its last ({} to {} and {} in {prefix})",
                            nic.ip,
                            vm.name,
                            prefix.network(),
                            Ipv4Addr::from(u32::from(prefix.network()).saturating_add(3)),
                            prefix.broadcast()
                        ),
                    )
                    .with_optional_fix(readdress("not reserved")),
                );
            }
            match first_owner.get(&(nic.subnet.vnet.as_str(), nic.ip)) {
                Some(owner) => found.push(
                    Diagnostic::new(
                        Severity::Error,
                        Code::AddressIpDuplicate,
                        ObjectKind::Vm,
                        &vm.name,
                        format!(
                            "IP {} of VM `{}` is already used by `{owner}` in VNet `{}`; Azure gives each address to one NIC",
                            nic.ip, vm.name, nic.subnet.vnet
                        ),
                    )
                    .with_optional_fix(readdress("unused")),
                ),
                None => {
                    first_owner.insert((nic.subnet.vnet.as_str(), nic.ip), vm.name.as_str());
                }
            }
        }
    }
}

/// Ranges that reach a gateway from elsewhere must not collide with what it routes to: a
/// point-to-site pool with the VNets and sites behind the gateway, a site with its VNet.
pub(super) fn gateway_ranges(cx: &Context, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    for gateway in &design.gateways {
        let Some(vnet) = cx.vnet(&gateway.vnet) else {
            continue;
        };
        let sites: Vec<&str> = design
            .connections
            .iter()
            .filter(|c| c.gateway == gateway.name)
            .filter_map(|c| match &c.remote {
                ConnectionRemote::Site(site) => Some(site.as_str()),
                ConnectionRemote::Gateway(_) => None,
            })
            .collect();
        // What the pool must stay clear of: the gateway's VNet, the VNets it peers with, its sites.
        let mut behind: Vec<(Behind, ipnet::Ipv4Net)> = vnet
            .address_space
            .iter()
            .map(|n| (Behind::Vnet(&vnet.name), *n))
            .collect();
        for &i in cx.peerings_of(&vnet.name) {
            if let Some(peer) = cx.vnet(&design.peerings[i].remote) {
                behind.extend(
                    peer.address_space
                        .iter()
                        .map(|n| (Behind::PeeredVnet(&peer.name), *n)),
                );
            }
        }
        for site in sites.iter().filter_map(|s| design.site(s)) {
            behind.extend(site.prefixes.iter().map(|n| (Behind::Site(&site.name), *n)));
        }
        for pool in &gateway.client_pool {
            if let Some((owner, range)) = behind.iter().find(|(_, range)| overlaps(pool, range)) {
                found.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Code::AddressClientPoolOverlap,
                        ObjectKind::Gateway,
                        &gateway.name,
                        format!(
                            "the point-to-site client pool {pool} of gateway `{}` overlaps {owner} ({range}), so replies to clients in the overlap are routed there instead",
                            gateway.name
                        ),
                    )
                    .with_fix(Remedy::advice("pick a client pool outside every VNet and on-premises range")),
                );
            }
        }
        for site in sites.iter().filter_map(|s| design.site(s)) {
            let clash = site.prefixes.iter().find_map(|p| {
                vnet.address_space
                    .iter()
                    .find(|r| overlaps(p, r))
                    .map(|r| (p, r))
            });
            if let Some((prefix, range)) = clash {
                found.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Code::AddressSiteOverlapsVnet,
                        ObjectKind::Site,
                        &site.name,
                        format!(
                            "site `{}` announces {prefix}, which overlaps {range} of VNet `{}` behind gateway `{}`; the VNet's own route wins, so that part of the site is unreachable",
                            site.name, vnet.name, gateway.name
                        ),
                    )
                    .with_fix(Remedy::advice(format!(
                        "remove the overlapping prefix from site `{}` or re-address the VNet",
                        site.name
                    ))),
                );
            }
        }
    }
}

/// What owns a range a point-to-site pool must stay clear of (written out only for a
/// diagnostic).
#[derive(Clone, Copy)]
enum Behind<'a> {
    Vnet(&'a str),
    PeeredVnet(&'a str),
    Site(&'a str),
}

impl std::fmt::Display for Behind<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Behind::Vnet(name) => write!(f, "VNet `{name}`"),
            Behind::PeeredVnet(name) => write!(f, "peered VNet `{name}`"),
            Behind::Site(name) => write!(f, "site `{name}`"),
        }
    }
}
