//! Applying a [`Damage`] to a design, and the names a design holds.

use super::{Damage, Kind, Reference};
use crate::strategies::build::at;
use crate::strategies::spec::Pick;
use std::net::Ipv4Addr;
use vnetlab::model::{ConnectionRemote, Design, NextHop, Peering, SubnetRef};

/// Every name in a design, of every kind (hosts and rules included).
pub fn all_names(d: &Design) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    names.extend(d.vnets.iter().map(|o| o.name.as_str()));
    names.extend(
        d.vnets
            .iter()
            .flat_map(|v| v.subnets.iter().map(|s| s.name.as_str())),
    );
    names.extend(d.vms.iter().map(|o| o.name.as_str()));
    names.extend(d.peerings.iter().map(|o| o.name.as_str()));
    names.extend(d.nsgs.iter().map(|o| o.name.as_str()));
    names.extend(
        d.nsgs
            .iter()
            .flat_map(|n| n.rules.iter().map(|r| r.name.as_str())),
    );
    names.extend(d.route_tables.iter().map(|o| o.name.as_str()));
    names.extend(
        d.route_tables
            .iter()
            .flat_map(|t| t.routes.iter().map(|r| r.name.as_str())),
    );
    names.extend(d.gateways.iter().map(|o| o.name.as_str()));
    names.extend(d.sites.iter().map(|o| o.name.as_str()));
    names.extend(
        d.sites
            .iter()
            .flat_map(|s| s.hosts.iter().map(|h| h.name.as_str())),
    );
    names.extend(d.connections.iter().map(|o| o.name.as_str()));
    names.extend(d.intents.iter().map(|o| o.name.as_str()));
    names.extend(d.subscriptions.iter().map(|o| o.name.as_str()));
    names
}

/// The name slot of the `pick`th object of a kind.
fn name_of<'d>(d: &'d mut Design, kind: Kind, pick: &Pick) -> Option<&'d mut String> {
    fn nth<'a, T>(
        list: &'a mut [T],
        pick: &Pick,
        name: fn(&mut T) -> &mut String,
    ) -> Option<&'a mut String> {
        let i = at(pick, list.len())?;
        Some(name(&mut list[i]))
    }
    match kind {
        Kind::Vnet => nth(&mut d.vnets, pick, |o| &mut o.name),
        Kind::Vm => nth(&mut d.vms, pick, |o| &mut o.name),
        Kind::Peering => nth(&mut d.peerings, pick, |o| &mut o.name),
        Kind::Nsg => nth(&mut d.nsgs, pick, |o| &mut o.name),
        Kind::RouteTable => nth(&mut d.route_tables, pick, |o| &mut o.name),
        Kind::Gateway => nth(&mut d.gateways, pick, |o| &mut o.name),
        Kind::Site => nth(&mut d.sites, pick, |o| &mut o.name),
        Kind::Connection => nth(&mut d.connections, pick, |o| &mut o.name),
        Kind::Intent => nth(&mut d.intents, pick, |o| &mut o.name),
        Kind::Subscription => nth(&mut d.subscriptions, pick, |o| &mut o.name),
        Kind::Subnet => {
            let mut all: Vec<&mut String> = d
                .vnets
                .iter_mut()
                .flat_map(|v| v.subnets.iter_mut().map(|s| &mut s.name))
                .collect();
            let i = at(pick, all.len())?;
            Some(all.swap_remove(i))
        }
        Kind::NsgRule => {
            let mut all: Vec<&mut String> = d
                .nsgs
                .iter_mut()
                .flat_map(|n| n.rules.iter_mut().map(|r| &mut r.name))
                .collect();
            let i = at(pick, all.len())?;
            Some(all.swap_remove(i))
        }
        Kind::Route => {
            let mut all: Vec<&mut String> = d
                .route_tables
                .iter_mut()
                .flat_map(|t| t.routes.iter_mut().map(|r| &mut r.name))
                .collect();
            let i = at(pick, all.len())?;
            Some(all.swap_remove(i))
        }
        Kind::Host => {
            let mut all: Vec<&mut String> = d
                .sites
                .iter_mut()
                .flat_map(|s| s.hosts.iter_mut().map(|h| &mut h.name))
                .collect();
            let i = at(pick, all.len())?;
            Some(all.swap_remove(i))
        }
    }
}

/// Appends a copy of the `pick`th object of a kind to its list.
fn clone_object(d: &mut Design, kind: Kind, pick: &Pick) {
    fn again<T: Clone>(list: &mut Vec<T>, pick: &Pick) {
        if let Some(i) = at(pick, list.len()) {
            list.push(list[i].clone());
        }
    }
    match kind {
        Kind::Vnet => again(&mut d.vnets, pick),
        Kind::Vm => again(&mut d.vms, pick),
        Kind::Peering => again(&mut d.peerings, pick),
        Kind::Nsg => again(&mut d.nsgs, pick),
        Kind::RouteTable => again(&mut d.route_tables, pick),
        Kind::Gateway => again(&mut d.gateways, pick),
        Kind::Site => again(&mut d.sites, pick),
        Kind::Connection => again(&mut d.connections, pick),
        Kind::Intent => again(&mut d.intents, pick),
        Kind::Subscription => again(&mut d.subscriptions, pick),
        Kind::Subnet => {
            if let Some(v) = at(pick, d.vnets.len()) {
                again(&mut d.vnets[v].subnets, pick);
            }
        }
        Kind::NsgRule => {
            if let Some(n) = at(pick, d.nsgs.len()) {
                again(&mut d.nsgs[n].rules, pick);
            }
        }
        Kind::Route => {
            if let Some(t) = at(pick, d.route_tables.len()) {
                again(&mut d.route_tables[t].routes, pick);
            }
        }
        Kind::Host => {
            if let Some(s) = at(pick, d.sites.len()) {
                again(&mut d.sites[s].hosts, pick);
            }
        }
    }
}

fn dangle(d: &mut Design, reference: Reference, pick: &Pick, name: &str) {
    let name = name.to_string();
    let vm = at(pick, d.vms.len());
    let subnet = |d: &mut Design| -> Option<(usize, usize)> {
        let all: Vec<(usize, usize)> = d
            .vnets
            .iter()
            .enumerate()
            .flat_map(|(v, vnet)| (0..vnet.subnets.len()).map(move |s| (v, s)))
            .collect();
        at(pick, all.len()).map(|i| all[i])
    };
    match reference {
        Reference::SubnetNsg => {
            if let Some((v, s)) = subnet(d) {
                d.vnets[v].subnets[s].nsg = Some(name);
            }
        }
        Reference::SubnetRouteTable => {
            if let Some((v, s)) = subnet(d) {
                d.vnets[v].subnets[s].route_table = Some(name);
            }
        }
        Reference::NicVnet | Reference::NicSubnet | Reference::NicNsg => {
            let Some(nic) = vm.and_then(|v| d.vms[v].nics.last_mut()) else {
                return;
            };
            match reference {
                Reference::NicVnet => nic.subnet.vnet = name,
                Reference::NicSubnet => nic.subnet.subnet = name,
                _ => nic.nsg = Some(name),
            }
        }
        Reference::PeeringLocal | Reference::PeeringRemote | Reference::PeeringSubnet => {
            let Some(p) = at(pick, d.peerings.len()) else {
                return;
            };
            let p = &mut d.peerings[p];
            match reference {
                Reference::PeeringLocal => p.local = name,
                Reference::PeeringRemote => p.remote = name,
                _ => p.remote_subnets.push(name),
            }
        }
        Reference::GatewayVnet => {
            if let Some(g) = at(pick, d.gateways.len()) {
                d.gateways[g].vnet = name;
            }
        }
        Reference::ConnectionGateway | Reference::ConnectionRemote => {
            let Some(c) = at(pick, d.connections.len()) else {
                return;
            };
            let c = &mut d.connections[c];
            match (reference, &mut c.remote) {
                (Reference::ConnectionGateway, _) => c.gateway = name,
                (_, ConnectionRemote::Site(site)) => *site = name,
                (_, ConnectionRemote::Gateway(gateway)) => *gateway = name,
            }
        }
        Reference::IntentFrom | Reference::IntentTo => {
            let Some(i) = at(pick, d.intents.len()) else {
                return;
            };
            match reference {
                Reference::IntentFrom => d.intents[i].from = name,
                _ => d.intents[i].to = name,
            }
        }
        Reference::VnetSubscription => {
            if let Some(v) = at(pick, d.vnets.len()) {
                d.vnets[v].subscription = name;
            }
        }
    }
}

/// Applies one damage; a damage whose target does not exist does nothing.
pub fn apply(d: &mut Design, damage: &Damage) {
    let cidr = |text: &str| -> ipnet::Ipv4Net { text.parse().expect("literal CIDR") };
    match damage {
        Damage::CopyName(kind, from, to) => {
            if let Some(name) = name_of(d, *kind, from).map(|n| n.clone())
                && let Some(slot) = name_of(d, *kind, to)
            {
                *slot = name;
            }
        }
        Damage::Clone(kind, pick) => clone_object(d, *kind, pick),
        Damage::DropNics(pick) => {
            if let Some(v) = at(pick, d.vms.len()) {
                d.vms[v].nics.clear();
            }
        }
        Damage::Dangle(reference, pick, name) => dangle(d, *reference, pick, name),
        Damage::Rename(kind, pick, name) => {
            if let Some(slot) = name_of(d, *kind, pick) {
                slot.clone_from(name);
            }
        }
        Damage::EmptySpace(pick) => {
            if let Some(v) = at(pick, d.vnets.len()) {
                d.vnets[v].address_space.clear();
            }
        }
        Damage::OddSpace(pick, prefix) => {
            if let Some(v) = at(pick, d.vnets.len()) {
                d.vnets[v].address_space = vec![*prefix];
            }
        }
        Damage::OddSubnet(pick, prefix) => {
            if let Some(v) = at(pick, d.vnets.len())
                && let Some(s) = d.vnets[v].subnets.first_mut()
            {
                s.prefix = *prefix;
            }
        }
        Damage::OddIp(pick, ip) => {
            if let Some(v) = at(pick, d.vms.len())
                && let Some(nic) = d.vms[v].nics.first_mut()
            {
                nic.ip = *ip;
            }
        }
        Damage::OddSnapshot(pick, snapshot) => {
            if let Some(p) = at(pick, d.peerings.len()) {
                d.peerings[p].remote_address_space = Some(snapshot.clone());
            }
        }
        Damage::EmptySite(pick) => {
            if let Some(s) = at(pick, d.sites.len()) {
                d.sites[s].prefixes.clear();
            }
        }
        Damage::NicsInTwoVnets(vm, vnet) => {
            if let (Some(v), Some(n)) = (at(vm, d.vms.len()), at(vnet, d.vnets.len()))
                && let Some(subnet) = d.vnets[n].subnets.first()
            {
                let mut nic = vnetlab::model::Nic::new(
                    SubnetRef::new(&d.vnets[n].name, &subnet.name),
                    subnet.prefix.network(),
                );
                nic.ip_forwarding = true;
                d.vms[v].nics.push(nic);
            }
        }
        Damage::SelfPeering(pick) => {
            if let Some(v) = at(pick, d.vnets.len()) {
                let name = d.vnets[v].name.clone();
                d.peerings.push(Peering::new("self", &name, &name));
            }
        }
        Damage::SecondLink(pick) => {
            if let Some(p) = at(pick, d.peerings.len()) {
                let mut again = d.peerings[p].clone();
                again.name.push_str("-again");
                again.allow_forwarded_traffic = !again.allow_forwarded_traffic;
                d.peerings.push(again);
            }
        }
        Damage::OddHostIp(pick, ip) => {
            if let Some(s) = at(pick, d.sites.len())
                && let Some(host) = d.sites[s].hosts.first_mut()
            {
                host.ip = *ip;
            }
        }
        Damage::OddPriority(pick, priority) => {
            let rules: Vec<(usize, usize)> = d
                .nsgs
                .iter()
                .enumerate()
                .flat_map(|(n, nsg)| (0..nsg.rules.len()).map(move |r| (n, r)))
                .collect();
            if let Some(i) = at(pick, rules.len()) {
                let (n, r) = rules[i];
                d.nsgs[n].rules[r].priority = *priority;
            }
        }
        Damage::StrayNextHop(pick) => {
            if let Some(t) = at(pick, d.route_tables.len()) {
                d.route_tables[t].routes.push(vnetlab::model::Route {
                    name: "stray".into(),
                    prefix: cidr("0.0.0.0/0"),
                    next_hop: NextHop::VirtualAppliance(Ipv4Addr::new(198, 51, 100, 1)),
                });
            }
        }
        Damage::OddPool(pick, whole) => {
            if let Some(g) = at(pick, d.gateways.len()) {
                d.gateways[g].client_pool = vec![if *whole {
                    cidr("0.0.0.0/0")
                } else {
                    cidr("172.31.255.255/32")
                }];
            }
        }
    }
}
