//! Every prefix the walk may test an address against, the atoms of the fast engine's classes
//! (`classes`): endpoints whose addresses fall into the same set of them cannot be told apart
//! by any route, NSG rule, tag, appliance rule or Route Server announcement. Also when two
//! revisions must have the same prefixes without computing them (a pointer comparison per list,
//! or a comparison of the fields that hold addresses). Cost: one pass over the design's
//! address-bearing objects and a sort.

use super::prefixes::{HOST_IP, LINK_LOCAL, RESERVED};
use crate::model::{AddressMatch, Design, NextHop, Nsg, SharedVec};
use ipnet::Ipv4Net;

/// Every prefix the walk may test an address against, sorted and distinct. It reads the VNets,
/// peerings, route tables, NSGs, VMs, sites, gateways and Route Servers
/// ([`prefix_lists_same`]).
pub(crate) fn design_prefixes(design: &Design) -> Vec<Ipv4Net> {
    let mut all: Vec<Ipv4Net> = Vec::new();
    let host = |ip| Ipv4Net::from(ip);
    // Subnet prefixes are not needed: the class key carries what a subnet decides (VNet, NSG,
    // route table), and any rule naming a subnet's range brings that range in itself.
    for vnet in &design.vnets {
        all.extend(vnet.address_space.iter().copied());
    }
    for peering in &design.peerings {
        all.extend(peering.remote_address_space.iter().flatten().copied());
        // A subnet-level peering routes to its listed subnets only: their prefixes split the VNet
        // (as synced and as they are now: the walk's hint tells an unsynced snapshot apart from
        // a subnet the peering does not list).
        if peering.is_subnet_peering() {
            for link in std::iter::once(peering).chain(design.reverse_peering(peering)) {
                all.extend(design.peered_remote_space(link).iter().copied());
                all.extend(design.current_remote_space(link).iter().copied());
            }
        }
    }
    for table in &design.route_tables {
        for route in &table.routes {
            all.push(route.prefix);
            if let NextHop::VirtualAppliance(ip) = route.next_hop {
                all.push(host(ip));
            }
        }
    }
    for nsg in &design.nsgs {
        for rule in &nsg.rules {
            for address in rule.source.iter().chain(rule.destination.iter()) {
                if let AddressMatch::Cidr(net) = address {
                    all.push(*net);
                }
            }
        }
    }
    for vm in &design.vms {
        let forwards = vm.appliance.is_some() || vm.nics.iter().any(|n| n.ip_forwarding);
        if forwards {
            all.extend(vm.nics.iter().map(|n| host(n.ip)));
        }
        if let Some(appliance) = &vm.appliance {
            for rule in &appliance.rules {
                for address in [&rule.source, &rule.destination] {
                    if let AddressMatch::Cidr(net) = address {
                        all.push(*net);
                    }
                }
            }
        }
    }
    for site in &design.sites {
        all.extend(site.prefixes.iter().copied());
    }
    for gateway in &design.gateways {
        all.extend(gateway.client_pool.iter().copied());
    }
    // A Route Server's routes send their prefixes to the announcing NVA's address.
    for server in &design.route_servers {
        for peer in &server.peers {
            all.extend(peer.announces.iter().copied());
            all.push(host(peer.ip));
        }
    }
    all.extend(RESERVED);
    all.push(host(HOST_IP));
    all.push(LINK_LOCAL);
    all.sort();
    all.dedup();
    all
}

/// Whether two designs have the same [`design_prefixes`] because they share every list it reads
/// (one pointer comparison each) or differ only where it reads nothing: peerings in their
/// access and forwarded-traffic flags (`peerings_alike`, as the caller found), NSG rules in
/// anything but their addresses.
pub(crate) fn prefix_lists_same(a: &Design, b: &Design, peerings_alike: bool) -> bool {
    SharedVec::same(&a.vnets, &b.vnets)
        && SharedVec::same(&a.route_tables, &b.route_tables)
        && SharedVec::same(&a.vms, &b.vms)
        && SharedVec::same(&a.sites, &b.sites)
        && SharedVec::same(&a.gateways, &b.gateways)
        && SharedVec::same(&a.route_servers, &b.route_servers)
        && (SharedVec::same(&a.nsgs, &b.nsgs) || same_nsg_addresses(&a.nsgs, &b.nsgs))
        && peerings_alike
}

/// Whether two NSG lists have the same rules' addresses in the same places, the only part of
/// an NSG [`design_prefixes`] reads (an edit of a rule's verdict or priority keeps them).
fn same_nsg_addresses(a: &[Nsg], b: &[Nsg]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.rules.len() == y.rules.len()
                && x.rules
                    .iter()
                    .zip(&y.rules)
                    .all(|(r, s)| r.source == s.source && r.destination == s.destination)
        })
}
