//! Generated hub-and-spoke designs for demos, workshops and benchmarks (`vnetlab gen`).
//!
//! [`hub_spoke`] builds a realistic, valid design from four counts, deterministically: the same
//! parameters always give the same design (and so byte-identical files). It owns only the
//! shape of the generated design and its address plan; it never touches the file system.
//!
//! The shape, per hub: a hub VNet with an NVA (IP forwarding on) in subnet `nva`, a shared
//! services VM in `shared`, and a `GatewaySubnet` with a route-based VpnGw1 gateway that has a
//! point-to-site pool and a site-to-site connection to an on-premises site with two hosts. Hubs
//! are peered with each other; spokes are dealt round-robin over the hubs and peered both ways
//! with gateway transit and forwarded traffic allowed. Every spoke subnet has `vms` VMs, an NSG
//! (a web or database tier, by spoke number) and a route table sending 10.0.0.0/8 to its hub's
//! NVA, so spoke-to-spoke traffic goes through the NVA. With several hubs, the NVA and shared
//! subnets of each hub route the other hubs' address regions to the right NVA.
//!
//! [`hub_spoke_tiered`] builds the same design with tiered spokes (`generate_tiered.rs`): every
//! spoke subnet is a web, app or db tier with its own NSG and route table, the harder workload
//! `vnetlab bench` is measured on.
//!
//! The address plan: every VNet gets a block of the same size, the largest up to /16 for which
//! everything fits in 10.0.0.0/8. Each hub owns an aligned region holding its own block followed
//! by its spokes' blocks, so one route per region reaches all of a hub's spokes. Sites take
//! 192.168.N.0/24 and point-to-site pools 172.16.N.0/24 for hub N.

use super::{
    Access, Appliance, Connection, ConnectionRemote, Design, Direction, Gateway, GatewayKind,
    GatewaySku, Host, NextHop, Nic, Nsg, NsgRule, Peering, PortRange, Protocol, Region, Route,
    RouteTable, ServiceTag, Site, Subnet, SubnetRef, Vm, Vnet, VpnType,
};
use super::{AddressMatch, GATEWAY_SUBNET};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

#[path = "generate_error.rs"]
mod error;
#[path = "generate_tiered.rs"]
mod tiered;

pub use error::{Count, GenerateError};

/// The counts that shape a generated hub-and-spoke design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HubSpokeParams {
    /// Number of hubs (1–255).
    pub hubs: usize,
    /// Number of spokes, dealt round-robin over the hubs (may be 0).
    pub spokes: usize,
    /// Subnets per spoke (at least 1).
    pub subnets_per_spoke: usize,
    /// VMs per spoke subnet (at least 1).
    pub vms_per_subnet: usize,
}

/// The most hubs a design can have: one /24 of 192.168.0.0/16 per on-premises site.
pub const MAX_HUBS: usize = 255;

/// Addresses in 10.0.0.0/8, where all VNets live.
const AVAILABLE: u128 = 1 << 24;
/// Host bits of the address pool 10.0.0.0/8.
const POOL_BITS: u32 = 24;
const POOL_BASE: u32 = 10 << 24;
/// A hub block holds four /24s: unused, `nva`, `shared`, and the one starting `GatewaySubnet`.
const HUB_MIN_BITS: u32 = 10;
/// The most readable block size: one /16 per VNet, as people draw them.
const PREFERRED_BITS: u32 = 16;
/// Azure reserves five addresses in every subnet; the first usable one is `.4`.
const RESERVED_PER_SUBNET: u64 = 5;
const FIRST_HOST_OFFSET: u32 = 4;
/// Hubs take regions in turn from this list; their spokes live in the hub's region.
const HUB_REGIONS: [&str; 8] = [
    "westeurope",
    "northeurope",
    "eastus",
    "westus2",
    "southeastasia",
    "australiaeast",
    "uksouth",
    "japaneast",
];

/// The sizes of the address plan, in host bits.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// Host bits of one spoke subnet.
    subnet_bits: u32,
    /// Host bits of every VNet's block.
    block_bits: u32,
    /// Host bits of a hub's region (its block plus its spokes' blocks).
    region_bits: u32,
}

impl Plan {
    fn new(p: &HubSpokeParams) -> Result<Plan, GenerateError> {
        let subnet_bits =
            ceil_log2((p.vms_per_subnet as u64).saturating_add(RESERVED_PER_SUBNET)).max(8);
        let spoke_bits = subnet_bits + ceil_log2(p.subnets_per_spoke as u64);
        let min_block = spoke_bits.max(HUB_MIN_BITS);
        let spokes_per_hub = p.spokes.div_ceil(p.hubs) as u64;
        let blocks_bits = ceil_log2(spokes_per_hub.saturating_add(1));
        let needed = |block_bits: u32| match block_bits + blocks_bits {
            // Far beyond any address space: report the count as saturated rather than wrap.
            bits if bits >= 120 => u128::MAX,
            bits => (p.hubs as u128) << bits,
        };
        let block_bits = (min_block..=PREFERRED_BITS.max(min_block))
            .rev()
            .find(|&bits| bits + blocks_bits <= POOL_BITS && needed(bits) <= AVAILABLE)
            .ok_or(GenerateError::AddressSpaceExhausted {
                needed: needed(min_block),
            })?;
        Ok(Plan {
            subnet_bits,
            block_bits,
            region_bits: block_bits + blocks_bits,
        })
    }

    fn region_base(&self, hub: usize) -> u32 {
        POOL_BASE + ((hub as u32) << self.region_bits)
    }

    fn region(&self, hub: usize) -> Ipv4Net {
        net(self.region_base(hub), self.region_bits)
    }

    /// The block of VNet `slot` in a hub's region: slot 0 is the hub, slots 1.. its spokes.
    fn block_base(&self, hub: usize, slot: usize) -> u32 {
        self.region_base(hub) + ((slot as u32) << self.block_bits)
    }
}

/// `ceil(log2(n))` for `n ≥ 1`.
fn ceil_log2(n: u64) -> u32 {
    if n <= 1 {
        0
    } else {
        64 - (n - 1).leading_zeros()
    }
}

/// The prefix of `host_bits` host bits starting at `base`; `base` is always aligned to it.
fn net(base: u32, host_bits: u32) -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::from(base), (32 - host_bits) as u8).unwrap_or_default()
}

fn cidr(a: u8, b: u8, c: u8, d: u8, len: u8) -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::new(a, b, c, d), len).unwrap_or_default()
}

/// Names and addresses of one hub, shared by the hub itself and its spokes.
struct HubInfo {
    name: String,
    region: Region,
    nva_ip: Ipv4Addr,
}

/// Generates a hub-and-spoke design; see the module documentation for its shape.
///
/// ```
/// use vnetlab::model::generate::{hub_spoke, HubSpokeParams};
/// let params = HubSpokeParams { hubs: 1, spokes: 4, subnets_per_spoke: 1, vms_per_subnet: 2 };
/// let design = hub_spoke(&params).unwrap();
/// assert!(design.validate().is_empty());
/// assert_eq!(design.vnets.len(), 5);
/// assert_eq!(design.vnet("spoke1").unwrap().address_space[0].to_string(), "10.1.0.0/16");
/// assert_eq!(design, hub_spoke(&params).unwrap());
/// ```
pub fn hub_spoke(params: &HubSpokeParams) -> Result<Design, GenerateError> {
    generate(params, false)
}

/// [`hub_spoke`] with tiered spokes: every spoke subnet is a web, app or db tier with its own
/// NSG and route table whose rules name the spoke's own subnets (see `generate_tiered.rs`), so
/// the engine sees about one class per subnet instead of a handful. The address plan, hubs,
/// peerings and VMs are those of [`hub_spoke`].
///
/// ```
/// use vnetlab::model::generate::{hub_spoke_tiered, HubSpokeParams};
/// let params = HubSpokeParams { hubs: 1, spokes: 2, subnets_per_spoke: 3, vms_per_subnet: 1 };
/// let design = hub_spoke_tiered(&params).unwrap();
/// assert!(design.validate().is_empty());
/// assert_eq!(design.nsgs.len(), 1 + 2 * 3);
/// ```
pub fn hub_spoke_tiered(params: &HubSpokeParams) -> Result<Design, GenerateError> {
    generate(params, true)
}

fn generate(params: &HubSpokeParams, tiered: bool) -> Result<Design, GenerateError> {
    let p = *params;
    if p.hubs == 0 {
        return Err(GenerateError::ZeroCount { count: Count::Hubs });
    }
    if p.subnets_per_spoke == 0 {
        return Err(GenerateError::ZeroCount {
            count: Count::SubnetsPerSpoke,
        });
    }
    if p.vms_per_subnet == 0 {
        return Err(GenerateError::ZeroCount {
            count: Count::VmsPerSubnet,
        });
    }
    if p.hubs > MAX_HUBS {
        return Err(GenerateError::TooManyHubs { hubs: p.hubs });
    }
    let plan = Plan::new(&p)?;
    let regions: Vec<Region> = HUB_REGIONS
        .iter()
        .filter_map(|name| name.parse().ok())
        .collect();
    let (tiered_title, tiered_flag, tiered_words) = if tiered {
        (
            ", tiered",
            " --tiered",
            " (web, app and db tiers, one NSG and route table per subnet)",
        )
    } else {
        ("", "", "")
    };
    let mut design = Design::empty(format!(
        "Generated hub and spoke ({}, {}{tiered_title})",
        counted(p.hubs, "hub"),
        counted(p.spokes, "spoke")
    ));
    design.description = format!(
        "Generated by `vnetlab gen hub-spoke --hubs {} --spokes {} --subnets {} --vms {}{tiered_flag}`: hubs with an NVA, a VPN \
         gateway to an on-premises site and point-to-site clients; spokes with UDRs to their hub's NVA and NSGs{tiered_words}.",
        p.hubs, p.spokes, p.subnets_per_spoke, p.vms_per_subnet
    );
    let hubs: Vec<HubInfo> = (0..p.hubs)
        .map(|h| HubInfo {
            name: format!("hub{}", h + 1),
            region: regions[h % regions.len()],
            nva_ip: Ipv4Addr::from(plan.block_base(h, 0) + (1 << 8) + FIRST_HOST_OFFSET),
        })
        .collect();
    for (h, hub) in hubs.iter().enumerate() {
        add_hub(&mut design, &plan, &hubs, h, hub);
    }
    for a in 0..hubs.len() {
        for b in a + 1..hubs.len() {
            peer_hubs(&mut design, &hubs[a].name, &hubs[b].name);
        }
    }
    for s in 0..p.spokes {
        let hub = s % p.hubs;
        add_spoke(&mut design, &plan, &p, &hubs[hub], (hub, s), tiered);
    }
    Ok(design)
}

fn add_hub(design: &mut Design, plan: &Plan, hubs: &[HubInfo], h: usize, hub: &HubInfo) {
    let base = plan.block_base(h, 0);
    let mut vnet = Vnet::new(&hub.name, hub.region, vec![net(base, plan.block_bits)]);
    vnet.subscription = "sub-connectivity".to_string();
    vnet.resource_group = Some(format!("rg-{}", hub.name));
    let mut nva_subnet = Subnet::new("nva", net(base + (1 << 8), 8));
    let mut shared_subnet = Subnet::new("shared", net(base + (2 << 8), 8));
    let gateway_subnet = Subnet::new(
        GATEWAY_SUBNET,
        net(base + (1 << plan.block_bits) - (1 << 8), 5),
    );
    let shared_nsg = format!("nsg-{}-shared", hub.name);
    shared_subnet.nsg = Some(shared_nsg.clone());
    design.nsgs.push(Nsg {
        name: shared_nsg,
        rules: vec![
            allow_in(
                "allow-dns-udp-from-vnet",
                100,
                Protocol::Udp,
                53,
                vnet_tag(),
            ),
            allow_in(
                "allow-dns-tcp-from-vnet",
                110,
                Protocol::Tcp,
                53,
                vnet_tag(),
            ),
            deny_other_inbound(),
        ]
        .into(),
    });
    // Traffic for another hub's region goes through that hub's NVA: from this hub's NVA straight
    // there, and from the shared subnet via this hub's own NVA, so replies to remote spokes work.
    if hubs.len() > 1 {
        let to_regions = |next_hop: &dyn Fn(&HubInfo) -> Ipv4Addr| -> Vec<Route> {
            hubs.iter()
                .enumerate()
                .filter(|(other, _)| *other != h)
                .map(|(other, info)| Route {
                    name: format!("to-{}-region", info.name),
                    prefix: plan.region(other),
                    next_hop: NextHop::VirtualAppliance(next_hop(info)),
                })
                .collect()
        };
        let nva_table = RouteTable {
            routes: to_regions(&|info| info.nva_ip),
            ..RouteTable::new(format!("rt-{}-nva", hub.name))
        };
        let shared_table = RouteTable {
            routes: to_regions(&|_| hub.nva_ip),
            ..RouteTable::new(format!("rt-{}-shared", hub.name))
        };
        nva_subnet.route_table = Some(nva_table.name.clone());
        shared_subnet.route_table = Some(shared_table.name.clone());
        design.route_tables.push(nva_table);
        design.route_tables.push(shared_table);
    }
    vnet.subnets = vec![gateway_subnet, nva_subnet, shared_subnet];
    design.vnets.push(vnet);

    let mut nva = Vm::new(
        format!("{}-nva", hub.name),
        SubnetRef::new(&hub.name, "nva"),
        hub.nva_ip,
    );
    nva.nics[0].ip_forwarding = true;
    nva.appliance = Some(Appliance::nva());
    design.vms.push(nva);
    design.vms.push(Vm::new(
        format!("{}-dns", hub.name),
        SubnetRef::new(&hub.name, "shared"),
        Ipv4Addr::from(base + (2 << 8) + FIRST_HOST_OFFSET),
    ));

    // `h < MAX_HUBS`, so the site and pool octets stay within 1..=255.
    let octet = (h + 1) as u8;
    let gateway = format!("{}-gw", hub.name);
    design.gateways.push(Gateway {
        name: gateway.clone(),
        vnet: hub.name.clone(),
        kind: GatewayKind::Vpn,
        sku: GatewaySku::VpnGw1,
        vpn_type: VpnType::RouteBased,
        client_pool: vec![cidr(172, 16, octet, 0, 24)],
        bgp: false,
    });
    let site = format!("onprem{}", h + 1);
    design.sites.push(Site {
        name: site.clone(),
        prefixes: vec![cidr(192, 168, octet, 0, 24)],
        hosts: (1..=2u8)
            .map(|n| Host {
                name: format!("{site}-host{n}"),
                ip: Ipv4Addr::new(192, 168, octet, 9 + n),
            })
            .collect(),
        bgp: false,
    });
    design.connections.push(Connection {
        name: format!("{gateway}-to-{site}"),
        gateway,
        remote: ConnectionRemote::Site(site),
        bgp: false,
    });
}

fn peer_hubs(design: &mut Design, a: &str, b: &str) {
    for (local, remote) in [(a, b), (b, a)] {
        design.peerings.push(Peering {
            allow_forwarded_traffic: true,
            ..Peering::new(Peering::default_name(local, remote), local, remote)
        });
    }
}

fn add_spoke(
    design: &mut Design,
    plan: &Plan,
    p: &HubSpokeParams,
    hub: &HubInfo,
    (h, s): (usize, usize),
    tiered: bool,
) {
    let name = format!("spoke{}", s + 1);
    let base = plan.block_base(h, 1 + s / p.hubs);
    let mut vnet = Vnet::new(&name, hub.region, vec![net(base, plan.block_bits)]);
    vnet.subscription = "sub-landing-zones".to_string();
    vnet.resource_group = Some(format!("rg-{name}"));

    let nsg = format!("nsg-{name}");
    // Every third spoke is a database tier; the others serve HTTPS.
    let tier_rule = if (s + 1).is_multiple_of(3) {
        allow_in("allow-sql-from-vnet", 100, Protocol::Tcp, 1433, vnet_tag())
    } else {
        allow_in("allow-https-from-vnet", 100, Protocol::Tcp, 443, vnet_tag())
    };
    let onprem = AddressMatch::Cidr(cidr(192, 168, 0, 0, 16));
    let shared_nsg = Nsg {
        name: nsg,
        rules: vec![
            tier_rule,
            allow_in("allow-ssh-from-onprem", 110, Protocol::Tcp, 22, onprem),
            deny_other_inbound(),
        ]
        .into(),
    };
    let shared_table = RouteTable {
        routes: vec![Route {
            name: "private-via-hub-nva".to_string(),
            prefix: cidr(10, 0, 0, 0, 8),
            next_hop: NextHop::VirtualAppliance(hub.nva_ip),
        }],
        ..RouteTable::new(format!("rt-{name}"))
    };

    let prefixes: Vec<Ipv4Net> = (0..p.subnets_per_spoke)
        .map(|j| net(base + ((j as u32) << plan.subnet_bits), plan.subnet_bits))
        .collect();
    // A plain spoke shares one NSG and one table among its subnets; a tiered one has one of
    // each per subnet.
    let per_subnet: Vec<(String, String)> = if tiered {
        tiered::policies(&name, &prefixes, hub.nva_ip)
            .into_iter()
            .map(|(nsg, table)| {
                let names = (nsg.name.clone(), table.name.clone());
                design.nsgs.push(nsg);
                design.route_tables.push(table);
                names
            })
            .collect()
    } else {
        let names = (shared_nsg.name.clone(), shared_table.name.clone());
        design.nsgs.push(shared_nsg);
        design.route_tables.push(shared_table);
        vec![names; p.subnets_per_spoke]
    };
    for (j, (prefix, (nsg, table))) in prefixes.iter().zip(per_subnet).enumerate() {
        let subnet_base = u32::from(prefix.network());
        let subnet_name = format!("snet{}", j + 1);
        vnet.subnets.push(Subnet {
            nsg: Some(nsg),
            route_table: Some(table),
            ..Subnet::new(&subnet_name, *prefix)
        });
        for m in 0..p.vms_per_subnet {
            let ip = Ipv4Addr::from(subnet_base + FIRST_HOST_OFFSET + m as u32);
            design.vms.push(Vm {
                name: format!("{name}-vm{}-{}", j + 1, m + 1),
                nics: vec![Nic::new(SubnetRef::new(&name, &subnet_name), ip)],
                appliance: None,
            });
        }
    }
    design.vnets.push(vnet);
    design.peerings.push(Peering {
        allow_forwarded_traffic: true,
        allow_gateway_transit: true,
        ..Peering::new(Peering::default_name(&hub.name, &name), &hub.name, &name)
    });
    design.peerings.push(Peering {
        allow_forwarded_traffic: true,
        use_remote_gateways: true,
        ..Peering::new(Peering::default_name(&name, &hub.name), &name, &hub.name)
    });
}

/// "1 hub", "2 hubs".
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn vnet_tag() -> AddressMatch {
    AddressMatch::Tag(ServiceTag::VirtualNetwork)
}

fn allow_in(
    name: &str,
    priority: u32,
    protocol: Protocol,
    port: u16,
    source: AddressMatch,
) -> NsgRule {
    NsgRule {
        source: vec![source],
        destination_ports: vec![PortRange::single(port)],
        ..NsgRule::new(name, priority, Direction::Inbound, Access::Allow, protocol)
    }
}

fn deny_other_inbound() -> NsgRule {
    NsgRule::new(
        "deny-other-inbound",
        4000,
        Direction::Inbound,
        Access::Deny,
        Protocol::Any,
    )
}

#[cfg(test)]
#[path = "generate_tests.rs"]
mod tests;
