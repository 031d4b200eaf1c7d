//! Turns a [`DesignSpec`] into a `Design` that passes `Design::validate()`. Names and addresses
//! follow the position of each object, so a shrunk design reads easily: VNet `v1` owns
//! `10.2.0.0/16` (plus `172.17.0.0/16` when it has a second prefix), its subnet `s0` is
//! `10.2.1.0/24`, VM `vm102` is VNet 1, subnet 0, VM 2 at `10.2.1.6`, site `site0` is
//! `192.168.0.0/24`, gateway `gw0`'s point-to-site pool is `172.200.0.0/24`, a Route Server's
//! `RouteServerSubnet` is `10.x.254.0/27` (see `managed` for ASGs, Route Servers and AVNM).

use super::spec::{
    ApplianceSpec, DesignSpec, HubSpec, LinkSpec, Pick, RemoteSpec, SnapshotSpec, VnetSpec,
};
use super::targets::Targets;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;
use vnetlab::model::{
    Appliance, Connection, ConnectionRemote, DeploymentModel, Design, Gateway, Host, Intent,
    NextHop, Nic, Peering, Route, RouteTable, Site, Subnet, SubnetRef, Subscription, Vm, Vnet,
    VpnType,
};

/// The index a pick lands on in a list of `len` items; `None` for an empty list.
pub fn at(pick: &Pick, len: usize) -> Option<usize> {
    (len > 0).then(|| pick.index(len))
}

fn net(a: u8, b: u8, c: u8, len: u8) -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::new(a, b, c, 0), len).expect("prefix length is at most 32")
}

/// A small index as a byte (generated designs have at most a few dozen objects of a kind).
pub fn small(n: usize) -> u8 {
    u8::try_from(n).expect("generated designs are small")
}

fn named(pick: Option<&Pick>, len: usize, prefix: &str) -> Option<String> {
    pick.and_then(|p| at(p, len))
        .map(|i| format!("{prefix}{i}"))
}

fn vnet(i: usize, octet: u8, spec: &VnetSpec, all: &DesignSpec) -> Vnet {
    let i8 = small(i);
    let mut space = vec![net(10, octet, 0, 16)];
    if spec.second_prefix {
        space.push(net(172, 16 + i8, 0, 16));
    }
    let mut vnet = Vnet::new(format!("v{i}"), spec.region, space);
    if spec.classic {
        vnet.deployment = DeploymentModel::Classic;
    }
    vnet.subscription =
        named(spec.subscription.as_ref(), all.subscriptions.len(), "sub").unwrap_or_default();
    for (j, s) in spec.subnets.iter().enumerate() {
        let j8 = small(j);
        let mut subnet = Subnet::new(format!("s{j}"), net(10, octet, j8 + 1, 24));
        if s.extra_prefix {
            subnet.extra_prefixes.push(if spec.second_prefix {
                net(172, 16 + i8, j8 + 1, 24)
            } else {
                net(10, octet, 100 + j8, 24)
            });
        }
        subnet.nsg = named(s.nsg.as_ref(), all.nsgs.len(), "nsg");
        subnet.route_table = named(s.route_table.as_ref(), all.route_tables.len(), "rt");
        vnet.subnets.push(subnet);
    }
    vnet
}

fn vms(d: &mut Design, spec: &DesignSpec, octets: &[u8]) -> Vec<(usize, ApplianceSpec)> {
    let mut appliances = Vec::new();
    for (i, v) in spec.vnets.iter().enumerate() {
        let octet = octets[i];
        for (j, s) in v.subnets.iter().enumerate() {
            for (k, vm_spec) in s.vms.iter().enumerate() {
                let ip = Ipv4Addr::new(10, octet, small(j) + 1, 4 + small(k));
                let mut vm = Vm::new(
                    format!("vm{i}{j}{k}"),
                    SubnetRef::new(format!("v{i}"), format!("s{j}")),
                    ip,
                );
                vm.nics[0].nsg = named(vm_spec.nic_nsg.as_ref(), spec.nsgs.len(), "nsg");
                vm.nics[0].ip_forwarding = vm_spec.ip_forwarding;
                for (n, nic) in vm_spec.secondary.iter().enumerate() {
                    let t = at(&nic.subnet, v.subnets.len()).unwrap_or(0);
                    let host = 64 + 8 * small(j) + 2 * small(k) + small(n);
                    let mut extra = Nic::new(
                        SubnetRef::new(format!("v{i}"), format!("s{t}")),
                        Ipv4Addr::new(10, octet, small(t) + 1, host),
                    );
                    extra.nsg = named(nic.nsg.as_ref(), spec.nsgs.len(), "nsg");
                    extra.ip_forwarding = nic.ip_forwarding;
                    vm.nics.push(extra);
                }
                if let Some(appliance) = &vm_spec.appliance {
                    appliances.push((d.vms.len(), appliance.clone()));
                }
                d.vms.push(vm);
            }
        }
    }
    appliances
}

fn gateways(d: &mut Design, spec: &DesignSpec, octets: &[u8]) {
    for (g, gw) in spec.gateways.iter().enumerate() {
        let Some(v) = at(&gw.vnet, d.vnets.len()) else {
            continue;
        };
        let vnet = &mut d.vnets[v];
        if vnet.subnet(vnetlab::model::GATEWAY_SUBNET).is_none() {
            let mut subnet =
                Subnet::new(vnetlab::model::GATEWAY_SUBNET, net(10, octets[v], 255, 27));
            subnet.route_table = named(
                spec.vnets[v].gateway_subnet_table.as_ref(),
                spec.route_tables.len(),
                "rt",
            );
            vnet.subnets.push(subnet);
        }
        d.gateways.push(Gateway {
            name: format!("gw{g}"),
            vnet: vnet.name.clone(),
            kind: gw.kind,
            sku: gw.sku,
            vpn_type: if gw.policy_based {
                VpnType::PolicyBased
            } else {
                VpnType::RouteBased
            },
            client_pool: if gw.p2s {
                vec![net(172, 200 + small(g), 0, 24)]
            } else {
                Vec::new()
            },
            bgp: gw.bgp,
        });
    }
}

fn sites_and_connections(d: &mut Design, spec: &DesignSpec, octets: &[u8]) {
    for (s, site) in spec.sites.iter().enumerate() {
        let s8 = small(s);
        let mut prefixes = vec![net(192, 168, s8, 24)];
        if site.overlaps_azure {
            prefixes.push(net(10, octets[0], 0, 16));
        }
        d.sites.push(Site {
            name: format!("site{s}"),
            prefixes,
            hosts: (0..site.hosts)
                .map(|k| Host {
                    name: format!("h{s}{k}"),
                    ip: Ipv4Addr::new(192, 168, s8, 10 + k),
                })
                .collect(),
            bgp: site.bgp,
        });
    }
    for (n, conn) in spec.connections.iter().enumerate() {
        let Some(gateway) = named(Some(&conn.gateway), d.gateways.len(), "gw") else {
            continue;
        };
        let remote = match &conn.remote {
            RemoteSpec::Site(p) => {
                named(Some(p), d.sites.len(), "site").map(ConnectionRemote::Site)
            }
            RemoteSpec::Gateway(p) => {
                named(Some(p), d.gateways.len(), "gw").map(ConnectionRemote::Gateway)
            }
        };
        if let Some(remote) = remote {
            d.connections.push(Connection {
                name: format!("c{n}"),
                gateway,
                remote,
                bgp: conn.bgp,
            });
        }
    }
}

/// A peering link from `local` to `remote` (VNet indexes) as the spec says.
pub fn link(d: &Design, name: String, local: usize, remote: usize, spec: &LinkSpec) -> Peering {
    let (l, r) = (&d.vnets[local], &d.vnets[remote]);
    let mut p = Peering::new(name, &l.name, &r.name);
    p.allow_virtual_network_access = spec.access;
    p.allow_forwarded_traffic = spec.forwarded;
    p.allow_gateway_transit = spec.transit;
    p.use_remote_gateways = spec.use_remote;
    p.disconnected = spec.disconnected;
    p.remote_address_space = spec.snapshot.map(|snapshot| match snapshot {
        SnapshotSpec::Current => r.address_space.clone(),
        SnapshotSpec::FirstPrefixOnly => r.address_space.iter().take(1).copied().collect(),
        SnapshotSpec::Half => r
            .address_space
            .iter()
            .take(1)
            .filter_map(|n| n.subnets(n.prefix_len() + 1).ok()?.next())
            .collect(),
        SnapshotSpec::Empty => Vec::new(),
    });
    if let Some((local_mask, remote_mask)) = spec.subnets {
        let listed = |vnet: &Vnet, mask: u8| -> Vec<String> {
            vnet.subnets
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < 8 && mask & (1 << i) != 0)
                .map(|(_, s)| s.name.clone())
                .collect()
        };
        p.local_subnets = listed(l, local_mask);
        p.remote_subnets = listed(r, remote_mask);
    }
    p
}

fn peerings(d: &mut Design, spec: &DesignSpec) {
    for pair in &spec.peerings {
        let hub = |d: &Design| {
            let gateway = &d.gateways[at(&pair.b, d.gateways.len())?];
            d.vnets.iter().position(|v| v.name == gateway.vnet)
        };
        let b = if pair.transit { hub(d) } else { None };
        let (Some(a), Some(b)) = (
            at(&pair.a, d.vnets.len()),
            b.or_else(|| at(&pair.b, d.vnets.len())),
        ) else {
            continue;
        };
        if a == b {
            continue;
        }
        let (mut forward, mut reverse) = (pair.forward.clone(), pair.reverse.clone());
        if pair.transit {
            forward.use_remote = true;
            forward.transit = false;
            reverse.get_or_insert_with(|| pair.forward.clone()).transit = true;
        }
        let links = [(a, b, Some(&forward)), (b, a, reverse.as_ref())];
        for (local, remote, spec) in links {
            let Some(spec) = spec else { continue };
            let (l, r) = (&d.vnets[local].name, &d.vnets[remote].name);
            if d.peering_between(l, r).is_none() {
                let p = link(d, format!("p{local}{remote}"), local, remote, spec);
                d.peerings.push(p);
            }
        }
    }
}

/// The NVA and its route table of a hub-and-spoke shape (see [`HubSpec`]).
fn hub_nva(d: &mut Design, hub: &HubSpec, octets: &[u8]) {
    if d.vnets.len() < 2 {
        return;
    }
    let ip = Ipv4Addr::new(10, octets[0], 1, 200);
    let mut nva = Vm::new("nva", SubnetRef::new("v0", "s0"), ip);
    nva.nics[0].ip_forwarding = true;
    let mut appliance = Appliance::nva();
    appliance.stateful = hub.stateful;
    nva.appliance = Some(appliance);
    d.vms.push(nva);
    let mut table = RouteTable::new("rt-hub");
    table.routes.push(Route {
        name: "spokes".into(),
        prefix: net(10, 0, 0, 8),
        next_hop: NextHop::VirtualAppliance(ip),
    });
    d.route_tables.push(table);
    for vnet in &mut d.vnets[1..] {
        for subnet in &mut vnet.subnets {
            if subnet.route_table.is_none() && !subnet.is_gateway_subnet() {
                subnet.route_table = Some("rt-hub".into());
            }
        }
    }
}

/// Both links between the hub and every spoke that the spec's peerings did not already join.
fn hub_peerings(d: &mut Design, hub: &HubSpec) {
    for spoke in 1..d.vnets.len() {
        let name = d.vnets[spoke].name.clone();
        if d.peering_between("v0", &name).is_none() {
            let mut p = Peering::new(format!("p0{spoke}"), "v0", &name);
            p.allow_forwarded_traffic = true;
            d.peerings.push(p);
        }
        if d.peering_between(&name, "v0").is_none() {
            let mut p = Peering::new(format!("p{spoke}0"), &name, "v0");
            p.allow_forwarded_traffic = spoke < 8 && hub.forwarded & (1 << spoke) != 0;
            d.peerings.push(p);
        }
    }
}

/// Builds the design a spec describes. It always passes `Design::validate()`; Azure's softer
/// rules (overlaps, gateway transit, cross-cloud peerings, …) are broken freely.
pub fn build(spec: &DesignSpec) -> Design {
    let mut d = Design::empty("generated");
    d.assumptions = spec.assumptions;
    d.subscriptions = spec
        .subscriptions
        .iter()
        .enumerate()
        .map(|(i, role)| Subscription {
            name: format!("sub{i}"),
            role: role.clone(),
        })
        .collect();
    let mut octets: Vec<u8> = Vec::new();
    for (i, v) in spec.vnets.iter().enumerate() {
        let octet = match octets.last() {
            Some(&previous) if v.overlap_previous => previous,
            _ => small(i) + 1,
        };
        octets.push(octet);
        d.vnets.push(vnet(i, octet, v, spec));
    }
    let appliances = vms(&mut d, spec, &octets);
    if let Some(hub) = &spec.hub {
        hub_nva(&mut d, hub, &octets);
    }
    gateways(&mut d, spec, &octets);
    sites_and_connections(&mut d, spec, &octets);
    super::managed::add_asgs(&mut d, &spec.managed);
    // Appliances first, so that routes to "an appliance" find them.
    for (vm, _) in &appliances {
        d.vms[*vm].appliance = Some(Appliance::nva());
    }
    let targets = Targets::new(&d);
    for (vm, appliance) in &appliances {
        d.vms[*vm].appliance = Some(targets.appliance(appliance));
    }
    for (n, rules) in spec.nsgs.iter().enumerate() {
        d.nsgs.push(targets.nsg(format!("nsg{n}"), rules));
    }
    for (t, table) in spec.route_tables.iter().enumerate() {
        d.route_tables
            .push(targets.route_table(format!("rt{t}"), table));
    }
    peerings(&mut d, spec);
    if let Some(hub) = &spec.hub {
        hub_peerings(&mut d, hub);
    }
    super::managed::add_route_servers(&mut d, &spec.managed, &targets);
    super::managed::add_avnm(&mut d, &spec.managed);
    let endpoints = d.endpoints();
    for (n, intent) in spec.intents.iter().enumerate() {
        let (Some(from), Some(to)) = (
            at(&intent.from, endpoints.len()),
            at(&intent.to, endpoints.len()),
        ) else {
            continue;
        };
        d.intents.push(Intent {
            name: format!("i{n}"),
            from: endpoints[from].name.clone(),
            to: endpoints[to].name.clone(),
            flow: intent.flow,
            expect: intent.expect,
        });
    }
    d
}
