//! All pairs: a verdict and reason codes for every ordered pair of endpoints.
//!
//! The fast engine groups endpoints that the walk cannot tell apart into classes: VMs in the
//! same subnet with the same NIC NSG and forwarding flag whose addresses fall into exactly the
//! same set of design prefixes (every CIDR the routes, NSGs, tags and appliance rules can
//! compare against, plus a /32 for every next-hop address); site hosts of one site and P2S
//! clients likewise. Every decision of the walk depends only on such prefix memberships and
//! on those attachment facts, so one walk per (source class, destination class) answers for all
//! members, and storage grows with classes², never with pairs. The reference engine puts every
//! endpoint in its own class, which is exactly the per-pair walk.

use super::compile::{Compiled, HOST_IP, reserved_prefixes};
use super::nsg::{Packet, PortSpec};
use super::types::{EngineKind, ReasonCode, Summary, Verdict};
use super::walk::{Place, Spot, walk_pair};
use crate::model::{AddressMatch, Design, Endpoint, EndpointKind, Flow, NextHop, Protocol};
use ipnet::Ipv4Net;
use std::collections::HashMap;

/// The result of evaluating every ordered pair of endpoints for one flow.
#[derive(Debug, Clone)]
pub struct Analysis {
    flow: Flow,
    endpoints: Vec<Endpoint>,
    by_name: HashMap<String, usize>,
    class_of: Vec<u32>,
    classes: usize,
    /// Outcome id per (source class, destination class), row-major.
    cells: Vec<u32>,
    /// Interned outcomes; id 0 is "reachable, no codes".
    outcomes: Vec<Vec<ReasonCode>>,
    summary: Summary,
}

impl Analysis {
    /// The flow evaluated.
    pub fn flow(&self) -> Flow {
        self.flow
    }

    /// The endpoints, in `Design::endpoints()` order.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// The index of the endpoint with this name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    fn outcome(&self, from: usize, to: usize) -> &[ReasonCode] {
        if from == to {
            return &[];
        }
        match (self.class_of.get(from), self.class_of.get(to)) {
            (Some(&a), Some(&b)) => {
                let id = self.cells[a as usize * self.classes + b as usize];
                &self.outcomes[id as usize]
            }
            _ => &[],
        }
    }

    /// The verdict for a pair (indexes into [`Analysis::endpoints`]); a self-pair is reachable.
    pub fn verdict(&self, from: usize, to: usize) -> Verdict {
        if self.outcome(from, to).is_empty() {
            Verdict::Reachable
        } else {
            Verdict::Blocked
        }
    }

    /// The codes of every blocker on the pair's request and reply paths, in path order.
    pub fn reason_codes(&self, from: usize, to: usize) -> Vec<ReasonCode> {
        self.outcome(from, to).to_vec()
    }

    /// Pair counts (self-pairs excluded).
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// How many equivalence classes the endpoints fell into (the number of endpoints for the
    /// reference engine).
    pub fn classes(&self) -> usize {
        self.classes
    }
}

/// Resolves endpoints to where they sit.
pub(crate) fn spots(c: &Compiled, endpoints: &[Endpoint]) -> Vec<Spot> {
    let vm_ix: HashMap<&str, usize> = c
        .design
        .vms
        .iter()
        .enumerate()
        .map(|(i, v)| (v.name.as_str(), i))
        .collect();
    endpoints
        .iter()
        .map(|e| {
            let place = match e.kind {
                EndpointKind::Vm => vm_ix.get(e.name.as_str()).map(|&vm| Place::Nic(vm, 0)),
                EndpointKind::SiteHost => e
                    .attached_to
                    .as_deref()
                    .and_then(|s| c.site_ix.get(s).copied())
                    .map(Place::Site),
                EndpointKind::P2sClient => e
                    .attached_to
                    .as_deref()
                    .and_then(|g| c.gateway_ix.get(g).copied())
                    .map(Place::P2s),
            };
            Spot {
                place: place.unwrap_or(Place::Unknown),
                ip: e.ip,
            }
        })
        .collect()
}

/// The request packet of `flow` between two addresses.
pub(crate) fn packet_for(flow: Flow, from: Spot, to: Spot) -> Packet {
    let (src_port, dst_port) = match (flow.protocol, flow.port) {
        (Protocol::Tcp | Protocol::Udp, Some(port)) => (PortSpec::Ephemeral, PortSpec::Exact(port)),
        _ => (PortSpec::None, PortSpec::None),
    };
    Packet {
        src: from.ip,
        dst: to.ip,
        protocol: flow.protocol,
        src_port,
        dst_port,
    }
}

/// Every prefix the walk may test an address against.
fn design_prefixes(design: &Design) -> Vec<Ipv4Net> {
    let mut all: Vec<Ipv4Net> = Vec::new();
    let host = |ip| Ipv4Net::from(ip);
    for vnet in &design.vnets {
        all.extend(vnet.address_space.iter().copied());
        for subnet in &vnet.subnets {
            all.extend(subnet.prefixes().copied());
        }
    }
    for peering in &design.peerings {
        all.extend(peering.remote_address_space.iter().flatten().copied());
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
    all.extend(reserved_prefixes());
    all.push(host(HOST_IP));
    for text in ["169.254.0.0/16"] {
        if let Ok(net) = crate::model::parse_cidr(text) {
            all.push(net);
        }
    }
    all.sort();
    all.dedup();
    all
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ClassKey {
    Vm {
        subnet: Option<usize>,
        nic_nsg: Option<usize>,
        forwarding: bool,
        atoms: Vec<u32>,
    },
    Site(usize, Vec<u32>),
    P2s(usize, Vec<u32>),
    Alone(usize),
}

/// Groups endpoints into classes the walk cannot tell apart.
fn classify(c: &Compiled, spots: &[Spot]) -> (Vec<u32>, Vec<Vec<usize>>) {
    let prefixes = design_prefixes(c.design);
    let atoms = |ip| -> Vec<u32> {
        prefixes
            .iter()
            .enumerate()
            .filter(|(_, p)| p.contains(&ip))
            .map(|(i, _)| i as u32)
            .collect()
    };
    let mut index: HashMap<ClassKey, u32> = HashMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut class_of = Vec::with_capacity(spots.len());
    for (e, spot) in spots.iter().enumerate() {
        let key = match spot.place {
            Place::Nic(vm, nic) => {
                let n = &c.design.vms[vm].nics[nic];
                ClassKey::Vm {
                    subnet: c.nic_subnet[vm][nic],
                    nic_nsg: n.nsg.as_deref().and_then(|name| c.nsg_ix.get(name).copied()),
                    forwarding: n.ip_forwarding,
                    atoms: atoms(spot.ip),
                }
            }
            Place::Site(s) => ClassKey::Site(s, atoms(spot.ip)),
            Place::P2s(g) => ClassKey::P2s(g, atoms(spot.ip)),
            Place::Unknown => ClassKey::Alone(e),
        };
        let id = *index.entry(key).or_insert_with(|| {
            members.push(Vec::new());
            (members.len() - 1) as u32
        });
        members[id as usize].push(e);
        class_of.push(id);
    }
    (class_of, members)
}

/// Evaluates every ordered pair of endpoints of `design` for `flow`.
pub fn analyze(design: &Design, flow: Flow, kind: EngineKind) -> Analysis {
    let c = Compiled::new(design);
    let endpoints = design.endpoints();
    let spots = spots(&c, &endpoints);
    let (class_of, members) = match kind {
        EngineKind::Fast => classify(&c, &spots),
        EngineKind::Reference => (
            (0..spots.len() as u32).collect(),
            (0..spots.len()).map(|e| vec![e]).collect(),
        ),
    };
    let classes = members.len();
    let mut outcomes: Vec<Vec<ReasonCode>> = vec![Vec::new()];
    let mut interned: HashMap<Vec<ReasonCode>, u32> = HashMap::from([(Vec::new(), 0)]);
    let mut cells = vec![0u32; classes * classes];
    let mut summary = Summary::default();
    for (a, from_members) in members.iter().enumerate() {
        for (b, to_members) in members.iter().enumerate() {
            let (Some(&from), Some(&to)) = (
                from_members.first(),
                if a == b { to_members.get(1) } else { to_members.first() },
            ) else {
                continue;
            };
            let packet = packet_for(flow, spots[from], spots[to]);
            let pair = walk_pair(&c, spots[from], spots[to], packet, false);
            let mut codes: Vec<ReasonCode> = Vec::new();
            for blocker in pair.blockers() {
                if !codes.contains(&blocker.code) {
                    codes.push(blocker.code);
                }
            }
            let pairs = if a == b {
                (from_members.len() * (from_members.len() - 1)) as u64
            } else {
                (from_members.len() * to_members.len()) as u64
            };
            summary.pairs += pairs;
            if codes.is_empty() {
                summary.reachable += pairs;
            } else {
                summary.blocked += pairs;
            }
            let next = outcomes.len() as u32;
            let id = *interned.entry(codes.clone()).or_insert_with(|| {
                outcomes.push(codes);
                next
            });
            cells[a * classes + b] = id;
        }
    }
    let by_name = endpoints.iter().enumerate().map(|(i, e)| (e.name.clone(), i)).collect();
    Analysis {
        flow,
        endpoints,
        by_name,
        class_of,
        classes,
        cells,
        outcomes,
        summary,
    }
}
