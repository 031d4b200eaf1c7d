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
use super::walk::{PairOut, Place, Spot, walk_pair_into};
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

    /// The class of each endpoint.
    pub(crate) fn class_of(&self) -> &[u32] {
        &self.class_of
    }

    /// The verdict between two classes (a class with itself: its distinct members).
    pub(crate) fn class_verdict(&self, a: u32, b: u32) -> Verdict {
        let id = self.cells[a as usize * self.classes + b as usize];
        if self.outcomes[id as usize].is_empty() {
            Verdict::Reachable
        } else {
            Verdict::Blocked
        }
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
    // Subnet prefixes are not needed: the class key carries what a subnet decides (VNet, NSG,
    // route table), and any rule naming a subnet's range brings that range in itself.
    for vnet in &design.vnets {
        all.extend(vnet.address_space.iter().copied());
    }
    for peering in &design.peerings {
        all.extend(peering.remote_address_space.iter().flatten().copied());
        // A subnet-level peering routes to its listed subnets only: their prefixes split the VNet.
        if peering.is_subnet_peering() {
            all.extend(design.peered_prefixes(peering).iter().copied());
            if let Some(reverse) = design.reverse_peering(peering) {
                all.extend(design.peered_prefixes(reverse).iter().copied());
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
        /// What the subnet decides: VNet, subnet NSG, route table, whether it is the
        /// `GatewaySubnet`. Subnets alike in all four (and in `outside_peerings`) behave alike.
        subnet: Option<(usize, Option<usize>, Option<usize>, bool)>,
        /// The subnet-level peerings that do not list the subnet (it cannot send over them).
        outside_peerings: Vec<usize>,
        nic_nsg: Option<usize>,
        forwarding: bool,
        atoms: Vec<u64>,
    },
    Site(usize, Vec<u64>),
    P2s(usize, Vec<u64>),
    Alone(usize),
}

/// Groups endpoints into classes the walk cannot tell apart.
fn classify(c: &Compiled, spots: &[Spot]) -> (Vec<u32>, Vec<Vec<usize>>) {
    // Per prefix length, the sorted networks of that length: an address is inside at most one
    // prefix per length, found by binary search. The signature lists (length, network) pairs.
    let mut by_length: Vec<(u8, Vec<u32>)> = Vec::new();
    for prefix in design_prefixes(c.design) {
        let len = prefix.prefix_len();
        let net = u32::from(prefix.network());
        match by_length.iter_mut().find(|(l, _)| *l == len) {
            Some((_, nets)) => nets.push(net),
            None => by_length.push((len, vec![net])),
        }
    }
    for (_, nets) in &mut by_length {
        nets.sort_unstable();
        nets.dedup();
    }
    let atoms = |ip: std::net::Ipv4Addr| -> Vec<u64> {
        let bits = u32::from(ip);
        by_length
            .iter()
            .filter_map(|(len, nets)| {
                let mask = if *len == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(*len))
                };
                let net = bits & mask;
                nets.binary_search(&net)
                    .ok()
                    .map(|_| (u64::from(*len) << 32) | u64::from(net))
            })
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
                    subnet: c.nic_subnet[vm][nic].map(|s| {
                        let info = &c.subnets[s];
                        let gateway_subnet = c.design.vnets[info.vnet].subnets[info.index_in_vnet]
                            .is_gateway_subnet();
                        (info.vnet, info.nsg, info.table, gateway_subnet)
                    }),
                    outside_peerings: c.nic_subnet[vm][nic]
                        .map(|s| c.subnets[s].outside_peerings.clone())
                        .unwrap_or_default(),
                    nic_nsg: n
                        .nsg
                        .as_deref()
                        .and_then(|name| c.nsg_ix.get(name).copied()),
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

/// Class matrices smaller than this are evaluated on the calling thread (spawning costs more).
const PARALLEL_THRESHOLD: usize = 16_384;

/// Row chunks per thread: enough to balance uneven cores, few enough to keep merging cheap.
const CHUNKS_PER_THREAD: usize = 8;

/// What a range of class-matrix rows needs.
struct Rows<'a, 'd> {
    c: &'a Compiled<'d>,
    spots: &'a [Spot],
    members: &'a [Vec<usize>],
    flow: Flow,
}

/// The cells of a range of rows, with outcome ids local to the range (0 = reachable).
struct RowsOut {
    cells: Vec<u32>,
    outcomes: Vec<Vec<ReasonCode>>,
    summary: Summary,
}

impl Rows<'_, '_> {
    fn evaluate(&self, range: std::ops::Range<usize>) -> RowsOut {
        let members = self.members;
        let spots = self.spots;
        let mut out = RowsOut {
            cells: Vec::with_capacity(range.len() * members.len()),
            outcomes: vec![Vec::new()],
            summary: Summary::default(),
        };
        let mut interned: HashMap<Vec<ReasonCode>, u32> = HashMap::new();
        let mut pair = PairOut::default();
        let mut codes: Vec<ReasonCode> = Vec::new();
        for a in range {
            let from_members = &members[a];
            for (b, to_members) in members.iter().enumerate() {
                let (Some(&from), Some(&to)) = (
                    from_members.first(),
                    if a == b {
                        to_members.get(1)
                    } else {
                        to_members.first()
                    },
                ) else {
                    out.cells.push(0);
                    continue;
                };
                let packet = packet_for(self.flow, spots[from], spots[to]);
                walk_pair_into(self.c, spots[from], spots[to], packet, false, &mut pair);
                codes.clear();
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
                out.summary.pairs += pairs;
                let id = if codes.is_empty() {
                    out.summary.reachable += pairs;
                    0
                } else {
                    out.summary.blocked += pairs;
                    match interned.get(&codes) {
                        Some(&id) => id,
                        None => {
                            let id = out.outcomes.len() as u32;
                            interned.insert(codes.clone(), id);
                            out.outcomes.push(codes.clone());
                            id
                        }
                    }
                };
                out.cells.push(id);
            }
        }
        out
    }
}

/// Evaluates every ordered pair of endpoints of `design` for `flow`.
pub fn analyze(design: &Design, flow: Flow, kind: EngineKind) -> Analysis {
    analyze_with(design, flow, kind, None)
}

/// [`analyze`] with a fixed number of threads (`None`: by design size and available cores).
fn analyze_with(design: &Design, flow: Flow, kind: EngineKind, threads: Option<usize>) -> Analysis {
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
    let rows = Rows {
        c: &c,
        spots: &spots,
        members: &members,
        flow,
    };
    // Rows of the class matrix are independent: split them across threads for big designs.
    let threads = match threads {
        Some(n) => n.clamp(1, classes.max(1)),
        None if classes * classes < PARALLEL_THRESHOLD => 1,
        None => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(classes),
    };
    let parts: Vec<RowsOut> = if threads <= 1 {
        vec![rows.evaluate(0..classes)]
    } else {
        // Small chunks handed out on demand, so a core busy with something else does not hold
        // the whole analysis back; results are put back in row order before merging.
        let chunk = classes.div_ceil(threads * CHUNKS_PER_THREAD).max(1);
        let chunks = classes.div_ceil(chunk);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut done: Vec<(usize, RowsOut)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let (rows, next) = (&rows, &next);
                    scope.spawn(move || {
                        let mut mine = Vec::new();
                        loop {
                            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            if k >= chunks {
                                return mine;
                            }
                            mine.push((
                                k,
                                rows.evaluate(k * chunk..((k + 1) * chunk).min(classes)),
                            ));
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        done.sort_unstable_by_key(|(k, _)| *k);
        done.into_iter().map(|(_, part)| part).collect()
    };
    let mut outcomes: Vec<Vec<ReasonCode>> = vec![Vec::new()];
    let mut interned: HashMap<Vec<ReasonCode>, u32> = HashMap::from([(Vec::new(), 0)]);
    let mut cells = Vec::with_capacity(classes * classes);
    let mut summary = Summary::default();
    for part in parts {
        let global: Vec<u32> = part
            .outcomes
            .into_iter()
            .map(|codes| {
                let next = outcomes.len() as u32;
                *interned.entry(codes).or_insert_with_key(|codes| {
                    outcomes.push(codes.clone());
                    next
                })
            })
            .collect();
        cells.extend(part.cells.into_iter().map(|id| global[id as usize]));
        summary.pairs += part.summary.pairs;
        summary.reachable += part.summary.reachable;
        summary.blocked += part.summary.blocked;
    }
    let by_name = endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.clone(), i))
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    #[test]
    fn threads_split_rows_without_changing_any_answer() {
        let design = hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 12,
            subnets_per_spoke: 2,
            vms_per_subnet: 2,
        })
        .expect("valid counts");
        let flow = Flow::DEFAULT;
        let serial = analyze_with(&design, flow, EngineKind::Fast, Some(1));
        assert!(serial.summary().reachable > 0 && serial.summary().blocked > 0);
        for threads in [2, 3, 7] {
            let parallel = analyze_with(&design, flow, EngineKind::Fast, Some(threads));
            assert_eq!(parallel.summary(), serial.summary());
            let n = serial.endpoints().len();
            for a in 0..n {
                for b in 0..n {
                    assert_eq!(parallel.reason_codes(a, b), serial.reason_codes(a, b));
                }
            }
        }
    }
}
