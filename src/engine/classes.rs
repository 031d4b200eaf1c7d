//! Where each endpoint sits, the request packet of a flow, and the equivalence classes of the
//! fast engine.
//!
//! Endpoints that the walk cannot tell apart share a class: VMs in the same subnet with the same
//! NIC NSG and forwarding flag whose addresses fall into exactly the same set of design prefixes
//! (every CIDR the routes, NSGs, tags, appliance rules and Route Server announcements can compare
//! against, plus a /32 for every next-hop address) and the same application security groups;
//! site hosts of one site and P2S clients likewise. Every decision of
//! the walk depends only on such prefix memberships and on those attachment facts, so one walk
//! per (source class, destination class) answers for all members.
//!
//! Limits: the key is sound for what the walk compares today; a new walk decision on another
//! fact (a per-VM attribute, a new tag) must enter the key too, and the agreement test with the
//! reference engine (every endpoint its own class) is what catches a key that merges too much.
//! Cost: one binary search per prefix length per endpoint.

use super::compile::Compiled;
use super::ix::{
    ClassIx, GatewayIx, NicIx, NsgIx, PeeringIx, SiteIx, SubnetIx, TableIx, VmIx, VnetIx,
};
use super::nsg::{Packet, PortSpec};
use super::prefixes::mask;
use super::walk::{Place, Spot};
use crate::model::{Design, Endpoint, Flow, Protocol, SharedVec};
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap;
use std::net::Ipv4Addr;
use std::sync::Arc;
use typed_index_collections::TiVec;

/// Where each endpoint of `design` sits, given its endpoints as [`Design::endpoints`] lists
/// them (`design.lists_endpoints(endpoints)`).
///
/// Places are taken from the same walk over the design that lists the endpoints (VMs with a
/// NIC, then site hosts, then P2S clients), never by looking names up: a name used twice
/// cannot send an endpoint to another object, such as a twin VM without NICs.
pub(crate) fn locate(design: &Design, endpoints: &[Endpoint]) -> Vec<Spot> {
    let vms = design
        .vms
        .iter()
        .enumerate()
        .filter(|(_, vm)| vm.primary().is_some())
        .map(|(m, _)| Place::Nic(NicIx::primary(VmIx::from(m))));
    let hosts = design
        .sites
        .iter()
        .enumerate()
        .flat_map(|(s, site)| site.hosts.iter().map(move |_| Place::Site(SiteIx::from(s))));
    let clients = design
        .gateways
        .iter()
        .enumerate()
        .filter(|(_, gw)| !gw.client_pool.is_empty())
        .map(|(g, _)| Place::P2s(GatewayIx::from(g)));
    let mut places = vms.chain(hosts).chain(clients);
    endpoints
        .iter()
        .map(|e| Spot {
            place: places.next().unwrap_or(Place::Unknown),
            ip: e.ip,
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

/// What a subnet decides for its VMs: VNet, subnet NSG, route table, whether it is the
/// `GatewaySubnet`. Subnets alike in all four (and in `outside_peerings`) behave alike.
type SubnetKey = (VnetIx, Option<NsgIx>, Option<TableIx>, bool);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ClassKey {
    Vm {
        subnet: Option<SubnetKey>,
        /// The subnet-level peerings that do not list the subnet (it cannot send over them),
        /// interned.
        outside_peerings: usize,
        nic_nsg: Option<NsgIx>,
        forwarding: bool,
        /// Whether the VNet's address lookup (appliance next hops, BGP peers) finds this very
        /// NIC at its address. `false` when another NIC holds the same address (the walk then
        /// treats this one as another machine, so it cannot share a class with the owner) or
        /// when the NIC's subnet is not in the design.
        owns_address: bool,
        /// The address's atoms ([`Atoms`]), interned.
        atoms: usize,
    },
    Site(SiteIx, usize),
    P2s(GatewayIx, usize),
    /// An endpoint with no place: a class of its own.
    Alone(usize),
}

/// The classes of a set of endpoints: each endpoint's class, and each class's members.
pub(crate) struct Classes {
    pub class_of: Vec<ClassIx>,
    pub members: TiVec<ClassIx, Vec<usize>>,
}

impl Classes {
    /// Every endpoint in a class of its own (the reference engine).
    pub fn singletons(endpoints: usize) -> Self {
        Classes {
            class_of: (0..endpoints).map(ClassIx::from).collect(),
            members: (0..endpoints).map(|e| vec![e]).collect(),
        }
    }

    /// [`Classes::of`] for the revision after `previous` (its compiled design, endpoint places
    /// and each endpoint's class): the previous classes, regrouped, when everything a class key
    /// reads is unchanged. That is the same endpoints at the same places, the same subnets,
    /// NIC placement and NSG names (the index parts `Index::after` kept, so one pointer
    /// comparison each), the same VMs (their NICs' NSGs, forwarding and ASGs, a shared list),
    /// and the same design prefixes. An edit of a peering's flags, an NSG rule's verdict or a
    /// route that adds no prefix so skips the key of every endpoint (at 10,000 endpoints,
    /// about a tenth of such an edit); anything else groups the endpoints afresh.
    pub fn after(c: &Compiled, spots: &[Spot], previous: (&Compiled, &[Spot], &[ClassIx])) -> Self {
        let (before, before_spots, before_class_of) = previous;
        if before_class_of.len() != spots.len() || !same_keys(c, spots, (before, before_spots)) {
            return Self::of(c, spots);
        }
        let mut members: TiVec<ClassIx, Vec<usize>> = TiVec::new();
        for (e, &class) in before_class_of.iter().enumerate() {
            // Classes are numbered in order of their first member.
            if usize::from(class) == members.len() {
                members.push(Vec::new());
            }
            match members.get_mut(class) {
                Some(list) => list.push(e),
                None => return Self::of(c, spots),
            }
        }
        Classes {
            class_of: before_class_of.to_vec(),
            members,
        }
    }

    /// Groups endpoints into classes the walk cannot tell apart.
    pub fn of(c: &Compiled, spots: &[Spot]) -> Self {
        let atoms = Atoms::new(&c.design, c.design_prefixes());
        // Keys hold interned lists, so only a list not met before is copied (at 10,000
        // endpoints, 20,000 fewer allocations per edit).
        let mut signatures = Interner::default();
        let mut peerings = Interner::default();
        let mut signature = Vec::new();
        let mut index: FxHashMap<ClassKey, ClassIx> = FxHashMap::default();
        let mut members: TiVec<ClassIx, Vec<usize>> = TiVec::new();
        let mut class_of = Vec::with_capacity(spots.len());
        for (e, spot) in spots.iter().enumerate() {
            let mut atoms_of = |ip| {
                atoms.of(ip, &mut signature);
                signatures.id(&signature)
            };
            let key = match spot.place {
                Place::Nic(nic) => vm_key(c, nic, spot.ip, atoms_of(spot.ip), &mut peerings),
                Place::Site(s) => ClassKey::Site(s, atoms_of(spot.ip)),
                Place::P2s(g) => ClassKey::P2s(g, atoms_of(spot.ip)),
                Place::Unknown => ClassKey::Alone(e),
            };
            let id = *index
                .entry(key)
                .or_insert_with(|| members.push_and_get_key(Vec::new()));
            members[id].push(e);
            class_of.push(id);
        }
        Classes { class_of, members }
    }
}

/// Whether every endpoint of `c` has the class key it had in `previous` (see
/// [`Classes::after`]).
fn same_keys(c: &Compiled, spots: &[Spot], previous: (&Compiled, &[Spot])) -> bool {
    let (before, before_spots) = previous;
    spots == before_spots
        && Arc::ptr_eq(&c.index.subnets, &before.index.subnets)
        && c.index.same_nic_placement(&before.index)
        && Arc::ptr_eq(&c.index.nsg_ix, &before.index.nsg_ix)
        && SharedVec::same(&c.design.vms, &before.design.vms)
        && c.design_prefixes() == before.design_prefixes()
}

/// Distinct lists, each numbered when first met.
struct Interner<T> {
    ids: FxHashMap<Vec<T>, usize>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            ids: FxHashMap::default(),
        }
    }
}

impl<T: Clone + Eq + std::hash::Hash> Interner<T> {
    /// The number of `list` (copied only when it is new).
    fn id(&mut self, list: &[T]) -> usize {
        if let Some(&id) = self.ids.get(list) {
            return id;
        }
        let id = self.ids.len();
        self.ids.insert(list.to_vec(), id);
        id
    }
}

/// The class key of a VM endpoint (its primary NIC), with its interned atoms.
fn vm_key(
    c: &Compiled,
    nic: NicIx,
    ip: Ipv4Addr,
    atoms: usize,
    peerings: &mut Interner<PeeringIx>,
) -> ClassKey {
    let subnet: Option<SubnetIx> = c.index.nic_subnet(nic);
    let n = c.vms().get(nic.vm).and_then(|vm| vm.nics.get(nic.slot));
    ClassKey::Vm {
        subnet: subnet.map(|s| {
            let info = &c.index.subnets[s];
            (info.vnet, info.nsg, info.table, info.gateway_subnet)
        }),
        outside_peerings: peerings
            .id(subnet.map_or(&[][..], |s| c.index.subnets[s].outside_peerings.as_slice())),
        nic_nsg: n
            .and_then(|n| n.nsg.as_deref())
            .and_then(|name| c.index.nsg_ix.get(name).copied()),
        forwarding: n.is_some_and(|n| n.ip_forwarding),
        owns_address: c
            .index
            .nic_vnet(nic)
            .is_some_and(|v| c.index.nic_at.get(&(v, ip)) == Some(&nic)),
        atoms,
    }
}

/// The design prefixes by length: an address is inside at most one prefix per length, found by
/// binary search; its signature lists the (length, network) pairs it is inside, then the ASGs
/// that have a NIC with that address (NSG rules naming an ASG match its members' addresses).
struct Atoms {
    by_length: Vec<(u8, Vec<u32>)>,
    /// Per member address: the ASGs it belongs to, as marks, sorted.
    asgs: FxHashMap<Ipv4Addr, Vec<u64>>,
}

impl Atoms {
    /// The atoms of `design`, whose prefixes (`design_prefixes`) are `prefixes`.
    fn new(design: &Design, prefixes: &[Ipv4Net]) -> Self {
        let mut by_length: Vec<(u8, Vec<u32>)> = Vec::new();
        for prefix in prefixes {
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
        // NSG rules match ASGs by name, so marks are per name (as first met).
        let mut position: FxHashMap<&str, u64> = FxHashMap::default();
        let mut asgs: FxHashMap<Ipv4Addr, Vec<u64>> = FxHashMap::default();
        for nic in design.vms.iter().flat_map(|vm| vm.nics.iter()) {
            for name in &nic.asgs {
                let next = position.len() as u64;
                let i = *position.entry(name.as_str()).or_insert(next);
                // The top bit keeps ASG marks apart from (length, network) pairs.
                asgs.entry(nic.ip).or_default().push((1 << 63) | i);
            }
        }
        for marks in asgs.values_mut() {
            marks.sort_unstable();
            marks.dedup();
        }
        Atoms { by_length, asgs }
    }

    /// The signature of `ip`, into `signature` (emptied first).
    fn of(&self, ip: Ipv4Addr, signature: &mut Vec<u64>) {
        let bits = u32::from(ip);
        signature.clear();
        signature.extend(self.by_length.iter().filter_map(|(len, nets)| {
            let net = bits & mask(*len);
            nets.binary_search(&net)
                .ok()
                .map(|_| (u64::from(*len) << 32) | u64::from(net))
        }));
        signature.extend(self.asgs.get(&ip).into_iter().flatten().copied());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Tracer;
    use crate::model::PeeringIndex;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    /// The compiled `edited` as the session compiles it after `before`.
    fn after(before: &Tracer, edited: &Design) -> Tracer {
        let design = Arc::new(edited.clone());
        let facts = Arc::new(PeeringIndex::new(&design));
        Tracer::after(design, facts, Some(before))
    }

    #[test]
    fn classes_after_an_edit_are_the_classes_grouped_afresh() {
        let before = hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 5,
            subnets_per_spoke: 2,
            vms_per_subnet: 3,
        })
        .expect("valid counts");
        type Change = fn(&mut Design);
        // Each edit, and whether the previous classes are kept (nothing a key reads changed).
        let changes: [(&str, Change, bool); 7] = [
            (
                "peering flag",
                |d| d.peerings[0].allow_forwarded_traffic ^= true,
                true,
            ),
            (
                "NSG rule's verdict",
                |d| d.nsgs[0].rules[0].access = d.nsgs[0].rules[0].access.flipped(),
                true,
            ),
            (
                "route to a new prefix",
                |d| {
                    let mut route = d.route_tables[0].routes[0].clone();
                    route.name = "narrow".into();
                    route.prefix = "10.1.0.0/26".parse().expect("prefix");
                    d.route_tables[0].routes.push(route);
                },
                false,
            ),
            (
                "VM forwards",
                |d| d.vms[3].nics[0].ip_forwarding = true,
                false,
            ),
            (
                "VM joins an ASG",
                |d| d.vms[4].nics[0].asgs.push("web".into()),
                false,
            ),
            ("NIC's NSG", |d| d.vms[5].nics[0].nsg = None, false),
            (
                "a VM moves",
                |d| {
                    let other = d.vms[0].nics[0].subnet.clone();
                    d.vms[7].nics[0].subnet = other;
                },
                false,
            ),
        ];
        let old = Tracer::new(&before);
        let old_classes = Classes::of(&old.c, &old.spots);
        for (what, change, kept) in changes {
            let mut edited = before.clone();
            change(&mut edited);
            let new = after(&old, &edited);
            let classes = Classes::after(
                &new.c,
                &new.spots,
                (&old.c, &old.spots, &old_classes.class_of),
            );
            let fresh = Classes::of(&new.c, &new.spots);
            assert_eq!(classes.class_of, fresh.class_of, "{what}: classes");
            assert_eq!(classes.members, fresh.members, "{what}: members");
            assert_eq!(
                same_keys(&new.c, &new.spots, (&old.c, &old.spots)),
                kept,
                "{what}: previous classes kept"
            );
        }
    }
}
