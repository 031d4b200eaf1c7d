//! Builders that write a scenario the way azure-semantics.md §12 states it, and the §12
//! conventions (`standard_a`: vmA1 = 10.1.1.4 in VNet A 10.1.0.0/16, and so on). They panic on a
//! typo or a missing object, which is what a test wants.

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;
use vnetlab::model::{
    Access, AddressMatch, Appliance, Connection, ConnectionRemote, Design, Direction, Gateway,
    GatewayKind, GatewaySku, Host, NextHop, Nic, Nsg, NsgRule, Peering, PortRange, Protocol,
    Region, Route, RouteTable, Site, Subnet, SubnetRef, Vm, Vnet, VpnType,
};

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/// An empty design.
pub fn design() -> Design {
    Design::empty("scenario")
}

pub fn cidr(text: &str) -> Ipv4Net {
    text.parse()
        .unwrap_or_else(|e| panic!("bad CIDR {text}: {e}"))
}

pub fn ip(text: &str) -> Ipv4Addr {
    text.parse()
        .unwrap_or_else(|e| panic!("bad IP {text}: {e}"))
}

pub fn subnet_ref(text: &str) -> SubnetRef {
    text.parse().unwrap_or_else(|e| panic!("{e}"))
}

/// A VNet in `eastus` (the §12 default region).
pub fn vnet(d: &mut Design, name: &str, space: &str) {
    vnet_in(d, name, "eastus", space);
}

/// A VNet in a given region.
pub fn vnet_in(d: &mut Design, name: &str, region: &str, space: &str) {
    let region: Region = region.parse().unwrap_or_else(|e| panic!("{e}"));
    d.vnets.push(Vnet::new(name, region, vec![cidr(space)]));
}

pub fn vnet_mut<'a>(d: &'a mut Design, name: &str) -> &'a mut Vnet {
    d.vnet_mut(name).unwrap_or_else(|| panic!("no VNet {name}"))
}

pub fn subnet(d: &mut Design, vnet: &str, name: &str, prefix: &str) {
    vnet_mut(d, vnet)
        .subnets
        .push(Subnet::new(name, cidr(prefix)));
}

pub fn subnet_mut<'a>(d: &'a mut Design, path: &str) -> &'a mut Subnet {
    let r = subnet_ref(path);
    vnet_mut(d, &r.vnet)
        .subnets
        .iter_mut()
        .find(|s| s.name == r.subnet)
        .unwrap_or_else(|| panic!("no subnet {path}"))
}

/// A workload VM with one NIC.
pub fn vm(d: &mut Design, name: &str, subnet: &str, address: &str) {
    d.vms.push(Vm::new(name, subnet_ref(subnet), ip(address)));
}

/// An NVA: IP forwarding on, forwards everything, stateful or not.
pub fn nva(d: &mut Design, name: &str, subnet: &str, address: &str, stateful: bool) {
    let mut nic = Nic::new(subnet_ref(subnet), ip(address));
    nic.ip_forwarding = true;
    d.vms.push(Vm {
        name: name.to_string(),
        nics: vec![nic],
        appliance: Some(Appliance {
            stateful,
            ..Appliance::nva()
        }),
    });
}

pub fn vm_mut<'a>(d: &'a mut Design, name: &str) -> &'a mut Vm {
    d.vms
        .iter_mut()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no VM {name}"))
}

/// The conventional name of the link `local` → `remote`.
pub fn link(local: &str, remote: &str) -> String {
    Peering::default_name(local, remote)
}

/// One directional peering with Azure's defaults.
pub fn peer(d: &mut Design, local: &str, remote: &str) {
    d.peerings
        .push(Peering::new(link(local, remote), local, remote));
}

/// Both sides of a peering (Connected), defaults on each.
pub fn peer_both(d: &mut Design, a: &str, b: &str) {
    peer(d, a, b);
    peer(d, b, a);
}

pub fn peering_mut<'a>(d: &'a mut Design, local: &str, remote: &str) -> &'a mut Peering {
    d.peerings
        .iter_mut()
        .find(|p| p.local == local && p.remote == remote)
        .unwrap_or_else(|| panic!("no peering {local} → {remote}"))
}

/// Next hop `VirtualAppliance` at `address`.
pub fn appliance(address: &str) -> NextHop {
    NextHop::VirtualAppliance(ip(address))
}

/// The route table of a subnet, created as `rt-<vnet>-<subnet>` and associated on first use.
pub fn route_table<'a>(d: &'a mut Design, subnet: &str) -> &'a mut RouteTable {
    let name = match subnet_mut(d, subnet).route_table.clone() {
        Some(name) => name,
        None => {
            let name = format!("rt-{}", subnet.replace('/', "-"));
            d.route_tables.push(RouteTable::new(&name));
            subnet_mut(d, subnet).route_table = Some(name.clone());
            name
        }
    };
    d.route_tables
        .iter_mut()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no route table {name}"))
}

/// A user-defined route on a subnet, named `to-<prefix>`.
pub fn udr(d: &mut Design, subnet: &str, prefix: &str, next_hop: NextHop) {
    route_table(d, subnet).routes.push(Route {
        name: format!("to-{}", prefix.replace(['/', '.'], "-")),
        prefix: cidr(prefix),
        next_hop,
    });
}

/// An NSG (created if missing) with one more rule.
pub fn nsg_rule(d: &mut Design, nsg: &str, rule: NsgRule) {
    match d.nsgs.iter_mut().find(|n| n.name == nsg) {
        Some(existing) => existing.rules.push(rule),
        None => d.nsgs.push(Nsg {
            name: nsg.to_string(),
            rules: vec![rule].into(),
        }),
    }
}

/// An NSG with only the default rules, on a subnet.
pub fn defaults_nsg_on_subnet(d: &mut Design, nsg: &str, subnet: &str) {
    d.nsgs.push(Nsg::new(nsg));
    subnet_mut(d, subnet).nsg = Some(nsg.to_string());
}

pub fn nsg_on_subnet(d: &mut Design, nsg: &str, subnet: &str) {
    subnet_mut(d, subnet).nsg = Some(nsg.to_string());
}

pub fn nsg_on_nic(d: &mut Design, nsg: &str, vm: &str) {
    vm_mut(d, vm).nics[0].nsg = Some(nsg.to_string());
}

/// A custom NSG rule: `addresses` is the source (inbound) or destination (outbound); `ports`
/// are destination ports (`*` for all).
pub fn rule(
    name: &str,
    priority: u32,
    direction: Direction,
    access: Access,
    protocol: Protocol,
    addresses: &str,
    ports: &str,
) -> NsgRule {
    let address: AddressMatch = addresses.parse().unwrap_or_else(|e| panic!("{e}"));
    let ports: PortRange = ports.parse().unwrap_or_else(|e| panic!("{e}"));
    let mut rule = NsgRule::new(name, priority, direction, access, protocol);
    match direction {
        Direction::Inbound => rule.source = vec![address],
        Direction::Outbound => rule.destination = vec![address],
    }
    rule.destination_ports = vec![ports];
    rule
}

/// A gateway in `vnet`, adding a `GatewaySubnet` at the top /27 of the VNet's first range.
pub fn gateway(d: &mut Design, vnet: &str, name: &str, kind: GatewayKind, sku: GatewaySku) {
    let owner = vnet_mut(d, vnet);
    if owner.subnet(vnetlab::model::GATEWAY_SUBNET).is_none() {
        let space = owner.address_space[0];
        let top = Ipv4Net::new(space.broadcast(), 27)
            .map(|n| n.trunc())
            .expect("a /27 exists");
        owner
            .subnets
            .push(Subnet::new(vnetlab::model::GATEWAY_SUBNET, top));
    }
    d.gateways.push(Gateway {
        name: name.to_string(),
        vnet: vnet.to_string(),
        kind,
        sku,
        vpn_type: VpnType::RouteBased,
        client_pool: Vec::new(),
        bgp: false,
    });
}

/// A route-based VpnGw1 gateway.
pub fn vpn_gateway(d: &mut Design, vnet: &str, name: &str) {
    gateway(d, vnet, name, GatewayKind::Vpn, GatewaySku::VpnGw1);
}

pub fn gateway_mut<'a>(d: &'a mut Design, name: &str) -> &'a mut Gateway {
    d.gateways
        .iter_mut()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no gateway {name}"))
}

/// An on-premises site with prefixes and named hosts.
pub fn site(d: &mut Design, name: &str, prefixes: &[&str], hosts: &[(&str, &str)]) {
    d.sites.push(Site {
        name: name.to_string(),
        prefixes: prefixes.iter().map(|p| cidr(p)).collect(),
        hosts: hosts
            .iter()
            .map(|(n, a)| Host {
                name: n.to_string(),
                ip: ip(a),
            })
            .collect(),
        bgp: false,
    });
}

/// A site-to-site (IPsec) connection from a gateway to a site.
pub fn s2s(d: &mut Design, gateway: &str, site: &str) {
    d.connections.push(Connection {
        name: format!("{gateway}-to-{site}"),
        gateway: gateway.to_string(),
        remote: ConnectionRemote::Site(site.to_string()),
        bgp: false,
    });
}

/// A VNet-to-VNet connection, one resource on each side as Azure creates them.
pub fn v2v(d: &mut Design, a: &str, b: &str) {
    for (from, to) in [(a, b), (b, a)] {
        d.connections.push(Connection {
            name: format!("{from}-to-{to}"),
            gateway: from.to_string(),
            remote: ConnectionRemote::Gateway(to.to_string()),
            bgp: false,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// The §12 conventions
// ---------------------------------------------------------------------------------------------

/// VNet A 10.1.0.0/16, subnet `A/s1` 10.1.1.0/24, vmA1 = 10.1.1.4.
pub fn standard_a(d: &mut Design) {
    standard_spoke(d, "A", 1);
}

/// VNet B 10.2.0.0/16, subnet `B/s1` 10.2.1.0/24, vmB1 = 10.2.1.4.
pub fn standard_b(d: &mut Design) {
    standard_spoke(d, "B", 2);
}

/// VNet C 10.3.0.0/16, subnet `C/s1` 10.3.1.0/24, vmC1 = 10.3.1.4.
pub fn standard_c(d: &mut Design) {
    standard_spoke(d, "C", 3);
}

fn standard_spoke(d: &mut Design, name: &str, octet: u8) {
    vnet(d, name, &format!("10.{octet}.0.0/16"));
    subnet(d, name, "s1", &format!("10.{octet}.1.0/24"));
    vm(
        d,
        &format!("vm{name}1"),
        &format!("{name}/s1"),
        &format!("10.{octet}.1.4"),
    );
}

/// Hub H 10.0.0.0/16 with subnet `H/nva` 10.0.1.0/24 (no workloads) and the stateless NVA
/// nva1 = 10.0.1.4 with IP forwarding on.
pub fn standard_hub(d: &mut Design) {
    vnet(d, "H", "10.0.0.0/16");
    subnet(d, "H", "nva", "10.0.1.0/24");
    nva(d, "nva1", "H/nva", "10.0.1.4", false);
}

/// The on-premises site `onprem` (192.168.0.0/16) with host `onprem-host` = 192.168.1.10.
pub fn standard_onprem(d: &mut Design) {
    site(
        d,
        "onprem",
        &["192.168.0.0/16"],
        &[("onprem-host", "192.168.1.10")],
    );
}

/// An unpeered VNet `name` holding one VM at `address`: a destination no peering reaches, for
/// scenarios whose destination is "an address" rather than a VM (`vmZ` in Z).
pub fn lone_destination(
    d: &mut Design,
    name: &str,
    space: &str,
    subnet_prefix: &str,
    address: &str,
) {
    vnet(d, name, space);
    subnet(d, name, "s1", subnet_prefix);
    vm(d, &format!("vm{name}"), &format!("{name}/s1"), address);
}
