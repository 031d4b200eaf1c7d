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
//! The key itself is `class_keys`. Cost: one key per endpoint (a binary search per prefix
//! length); after an edit, none when nothing a key reads changed, and when only the design
//! prefixes did, one per previous class and per endpoint inside a changed prefix.

use super::class_keys::{ClassKey, Keys};
use super::compile::Compiled;
use super::ix::{ClassIx, GatewayIx, NicIx, SiteIx, VmIx};
use super::nsg::{Packet, PortSpec};
use super::walk::{Place, Spot};
use crate::model::{Design, Endpoint, Flow, Protocol, SharedVec};
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap;
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
    /// about a tenth of such an edit).
    ///
    /// When only the design prefixes changed (a route or NSG rule to a new prefix), only the
    /// endpoints inside a prefix of one list and not the other can have new keys: the others
    /// keep their atoms, so the members of a previous class outside those prefixes share one
    /// key, computed once ([`regroup`]); a class with a previous class's members keeps its
    /// number ([`Classes::numbered_like`]). Anything else groups the endpoints afresh, numbered
    /// in order of their first member.
    pub fn after(c: &Compiled, spots: &[Spot], previous: (&Compiled, &[Spot], &[ClassIx])) -> Self {
        let (before, before_spots, before_class_of) = previous;
        if before_class_of.len() != spots.len() || !same_places(c, spots, (before, before_spots)) {
            return Self::of(c, spots);
        }
        let (now, was) = (c.design_prefixes(), before.design_prefixes());
        if now != was {
            return match changed_prefixes(was, now) {
                Some(changed) => {
                    regroup(c, spots, before_class_of, &changed).numbered_like(before_class_of)
                }
                None => Self::of(c, spots),
            };
        }
        // The previous numbering may be any (`numbered_like`), but it leaves no number unused.
        let count = before_class_of.iter().map(|&k| usize::from(k) + 1).max();
        let mut members: TiVec<ClassIx, Vec<usize>> = vec![Vec::new(); count.unwrap_or(0)].into();
        for (e, &class) in before_class_of.iter().enumerate() {
            members[class].push(e);
        }
        if members.iter().any(Vec::is_empty) {
            return Self::of(c, spots);
        }
        Classes {
            class_of: before_class_of.to_vec(),
            members,
        }
    }

    /// These classes renumbered so that a class with exactly the members of a previous class
    /// (`before_class_of`) keeps that class's number when it is below the number of classes;
    /// the other classes take the numbers left, in order of their first member. An edit that
    /// splits one class then leaves every other class where it was, so the analysis after it
    /// shares the previous cells' tiles (`grid`) instead of copying every cell to its shifted
    /// place (≈2.7 ms at 1,008 classes).
    fn numbered_like(self, before_class_of: &[ClassIx]) -> Classes {
        let n = self.members.len();
        let mut before_size: Vec<usize> = Vec::new();
        for &k in before_class_of {
            let k = usize::from(k);
            if k >= before_size.len() {
                before_size.resize(k + 1, 0);
            }
            before_size[k] += 1;
        }
        // Per class, the previous number it keeps.
        let mut number: Vec<Option<usize>> = self
            .members
            .iter()
            .map(|members| {
                let x = usize::from(*before_class_of.get(*members.first()?)?);
                let same = before_size.get(x) == Some(&members.len())
                    && members
                        .iter()
                        .all(|&e| before_class_of.get(e).map(|&k| usize::from(k)) == Some(x));
                (same && x < n).then_some(x)
            })
            .collect();
        let mut taken = vec![false; n];
        number.iter().flatten().for_each(|&x| taken[x] = true);
        let mut free = (0..n).filter(|&x| !taken[x]);
        for slot in number.iter_mut().filter(|slot| slot.is_none()) {
            *slot = free.next();
        }
        let mut members: TiVec<ClassIx, Vec<usize>> = vec![Vec::new(); n].into();
        let mut class_of = self.class_of;
        for (k, list) in self.members.into_iter().enumerate() {
            // Every class has a number: as many numbers as classes, each taken once.
            let to = ClassIx::from(number[k].unwrap_or(k));
            for &e in &list {
                class_of[e] = to;
            }
            members[to] = list;
        }
        Classes { class_of, members }
    }

    /// Groups endpoints into classes the walk cannot tell apart.
    pub fn of(c: &Compiled, spots: &[Spot]) -> Self {
        let mut keys = Keys::new(c);
        let mut index: FxHashMap<ClassKey, ClassIx> = FxHashMap::default();
        let mut members: TiVec<ClassIx, Vec<usize>> = TiVec::new();
        let mut class_of = Vec::with_capacity(spots.len());
        for (e, spot) in spots.iter().enumerate() {
            let key = keys.of(c, e, *spot);
            let id = *index
                .entry(key)
                .or_insert_with(|| members.push_and_get_key(Vec::new()));
            members[id].push(e);
            class_of.push(id);
        }
        Classes { class_of, members }
    }
}

/// Prefixes changed at most this many: more, and testing each endpoint against them costs
/// about what grouping afresh does.
const MAX_CHANGED: usize = 64;

/// The prefixes in one of two sorted, distinct lists and not the other (`None`: more than
/// [`MAX_CHANGED`]).
fn changed_prefixes(was: &[Ipv4Net], now: &[Ipv4Net]) -> Option<Vec<Ipv4Net>> {
    let mut changed = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < was.len() || j < now.len() {
        match (was.get(i), now.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => {
                changed.push(*a);
                i += 1;
            }
            (Some(_) | None, Some(b)) => {
                changed.push(*b);
                j += 1;
            }
            (Some(a), None) => {
                changed.push(*a);
                i += 1;
            }
            (None, None) => break,
        }
        if changed.len() > MAX_CHANGED {
            return None;
        }
    }
    Some(changed)
}

/// [`Classes::of`] when only the design prefixes changed, and `changed` are those in one list
/// and not the other: an endpoint inside none of them has the atoms it had, so its key is the
/// one every such member of its previous class gets (computed once per previous class); the
/// others get their own. Classes are numbered in order of their first member, as `of` numbers
/// them.
fn regroup(
    c: &Compiled,
    spots: &[Spot],
    before_class_of: &[ClassIx],
    changed: &[Ipv4Net],
) -> Classes {
    let mut keys = Keys::new(c);
    let mut index: FxHashMap<ClassKey, ClassIx> = FxHashMap::default();
    let mut members: TiVec<ClassIx, Vec<usize>> = TiVec::new();
    let mut class_of = Vec::with_capacity(spots.len());
    // Per previous class: the class of its members outside the changed prefixes.
    let mut kept: Vec<Option<ClassIx>> = Vec::new();
    for (e, (spot, &was)) in spots.iter().zip(before_class_of).enumerate() {
        let inside = changed.iter().any(|p| p.contains(&spot.ip));
        let slot = usize::from(was);
        if slot >= kept.len() {
            kept.resize(slot + 1, None);
        }
        let id = match kept[slot] {
            Some(id) if !inside => id,
            _ => {
                let key = keys.of(c, e, *spot);
                let id = *index
                    .entry(key)
                    .or_insert_with(|| members.push_and_get_key(Vec::new()));
                if !inside {
                    kept[slot] = Some(id);
                }
                id
            }
        };
        members[id].push(e);
        class_of.push(id);
    }
    Classes { class_of, members }
}

/// Whether every endpoint of `c` has the class key it had in `previous` (see
/// [`Classes::after`]).
#[cfg(test)]
fn same_keys(c: &Compiled, spots: &[Spot], previous: (&Compiled, &[Spot])) -> bool {
    same_places(c, spots, previous) && c.design_prefixes() == previous.0.design_prefixes()
}

/// Whether everything a class key reads but the design prefixes is as in `previous` (see
/// [`Classes::after`]).
fn same_places(c: &Compiled, spots: &[Spot], previous: (&Compiled, &[Spot])) -> bool {
    let (before, before_spots) = previous;
    spots == before_spots
        && Arc::ptr_eq(&c.index.subnets, &before.index.subnets)
        && c.index.same_nic_placement(&before.index)
        && Arc::ptr_eq(&c.index.nsg_ix, &before.index.nsg_ix)
        && SharedVec::same(&c.design.vms, &before.design.vms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Tracer;
    use crate::model::generate::{HubSpokeParams, hub_spoke};
    use crate::model::{AddressMatch, PeeringIndex};

    /// Adds to the first NSG a copy of its first rule named `name`, at `priority`, from
    /// `source`: a new design prefix.
    fn add_rule_from(d: &mut Design, name: &str, priority: u32, source: Ipv4Net) {
        let mut rule = d.nsgs[0].rules[0].clone();
        rule.name = name.into();
        rule.priority = priority;
        rule.source = vec![AddressMatch::Cidr(source)];
        d.nsgs[0].rules.push(rule);
    }

    /// The compiled `edited` as the session compiles it after `before`.
    fn after(before: &Tracer, edited: &Design) -> Tracer {
        let design = Arc::new(edited.clone());
        let facts = Arc::new(PeeringIndex::new(&design));
        Tracer::after(design, facts, Some(before))
    }

    /// The same classes, whatever their numbers, and each endpoint's class holds it.
    fn assert_same_partition(classes: &Classes, fresh: &Classes, what: &str) {
        let sorted = |classes: &Classes| {
            let mut lists: Vec<Vec<usize>> = classes.members.iter().cloned().collect();
            lists.sort();
            lists
        };
        assert_eq!(sorted(classes), sorted(fresh), "{what}: members");
        for (e, &k) in classes.class_of.iter().enumerate() {
            assert!(classes.members[k].contains(&e), "{what}: class of {e}");
        }
        assert!(classes.members.iter().all(|m| m.is_sorted()), "{what}");
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
        let changes: [(&str, Change, bool); 11] = [
            (
                "every route removed (classes merge back)",
                |d| d.route_tables.iter_mut().for_each(|t| t.routes.clear()),
                false,
            ),
            (
                "route to one spoke subnet's range (its class splits)",
                |d| {
                    let mut route = d.route_tables[0].routes[0].clone();
                    route.name = "one-subnet".into();
                    route.prefix = d.vnets[3].subnets[0].prefix;
                    d.route_tables[0].routes.push(route);
                },
                false,
            ),
            (
                "NSG rule naming one VM",
                |d| {
                    let one_vm = d.vms[6].nics[0].ip.into();
                    add_rule_from(d, "one-vm", 4090, one_vm);
                },
                false,
            ),
            (
                "NSG rule over every spoke",
                |d| add_rule_from(d, "all", 4091, "10.0.0.0/12".parse().expect("prefix")),
                false,
            ),
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
            assert_same_partition(&classes, &fresh, what);
            // After an edit of the prefixes alone, a class with a previous class's members
            // keeps its number.
            let regrouped = same_places(&new.c, &new.spots, (&old.c, &old.spots));
            for (k, members) in classes.members.iter_enumerated().filter(|_| regrouped) {
                let x = old_classes.class_of[members[0]];
                if old_classes.members[x] == *members && usize::from(x) < classes.members.len() {
                    assert_eq!(k, x, "{what}: class of {members:?} renumbered");
                }
            }
            assert_eq!(
                same_keys(&new.c, &new.spots, (&old.c, &old.spots)),
                kept,
                "{what}: previous classes kept"
            );
        }
    }
}
