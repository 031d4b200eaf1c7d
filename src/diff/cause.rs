//! Which changed object explains a group of flipped pairs.
//!
//! The object diff says what changed; the engine says why a pair is blocked now (or was
//! before). A cell of flipped pairs is attributed by tracing one of its pairs in both designs
//! and looking for the changed objects the traces name: first in the blockers of the design
//! where the pair is blocked, then anywhere on either path (a removed peering is a hop of the
//! old path). When the traces name none, the changed objects that touch the source or
//! destination group stand in (a VNet, its subnets, peerings, NSGs, route tables, VMs,
//! gateways), then the design-level changes (assumptions).
//!
//! Cells with the same codes and the same touching objects share one attribution, so a hub
//! change that flips pairs between hundreds of spokes costs two traces, not one per cell; at
//! most [`MAX_TRACED`] distinct attributions are traced, the rest use the touching objects.

use super::objects::ObjectChange;
use crate::engine::{ReasonCode, Trace, Tracer, Verdict};
use crate::model::{ConnectionRemote, Design, EndpointGroup, Flow, ObjectKind, Topology};
use std::collections::{BTreeSet, HashMap};

/// How many distinct attributions are traced in one diff.
pub const MAX_TRACED: usize = 256;

type Signature = (Vec<ReasonCode>, Vec<ReasonCode>, Vec<usize>, Vec<usize>);

/// Attributes cells to changes; keeps the compiled designs and the attributions made.
pub(super) struct Attributor<'a> {
    changes: &'a [ObjectChange],
    touching: HashMap<EndpointGroup, Vec<usize>>,
    before: &'a Tracer,
    after: &'a Tracer,
    cache: HashMap<Signature, Vec<usize>>,
}

/// What a cell asks about.
pub(super) struct Question<'q> {
    pub(super) flow: Flow,
    pub(super) now: Verdict,
    pub(super) from: (&'q EndpointGroup, &'q str),
    pub(super) to: (&'q EndpointGroup, &'q str),
    pub(super) before: &'q [ReasonCode],
    pub(super) after: &'q [ReasonCode],
}

impl<'a> Attributor<'a> {
    pub(super) fn new(changes: &'a [ObjectChange], before: &'a Tracer, after: &'a Tracer) -> Self {
        let mut touching: HashMap<EndpointGroup, Vec<usize>> = HashMap::new();
        for (i, change) in changes.iter().enumerate() {
            let mut groups = BTreeSet::new();
            for design in [before.design(), after.design()] {
                touched_groups(design, change, &mut groups);
            }
            for group in groups {
                touching.entry(group).or_default().push(i);
            }
        }
        Attributor {
            changes,
            touching,
            before,
            after,
            cache: HashMap::new(),
        }
    }

    /// The indexes (into the changes) of the objects that explain the cell; empty when none
    /// does (the design-level fields then stand in, said by the caller).
    pub(super) fn explain(&mut self, q: &Question<'_>) -> Vec<usize> {
        let touch = |g: &EndpointGroup| self.touching.get(g).cloned().unwrap_or_default();
        let signature = (
            q.before.to_vec(),
            q.after.to_vec(),
            touch(q.from.0),
            touch(q.to.0),
        );
        if let Some(found) = self.cache.get(&signature) {
            return found.clone();
        }
        let found = if self.cache.len() < MAX_TRACED {
            self.traced(q, &signature)
        } else {
            union(&signature.2, &signature.3)
        };
        self.cache.insert(signature, found.clone());
        found
    }

    fn traced(&self, q: &Question<'_>, signature: &Signature) -> Vec<usize> {
        let trace = |tracer: &Tracer| tracer.trace(q.from.1, q.to.1, q.flow).ok();
        let (old, new) = (trace(self.before), trace(self.after));
        let blocked = match q.now {
            Verdict::Blocked => new.as_ref(),
            Verdict::Reachable => old.as_ref(),
        };
        let blocker_text: Vec<&str> = blocked
            .into_iter()
            .flat_map(|t| t.blockers.iter())
            .flat_map(|b| [b.at.as_str(), b.message.as_str()])
            .collect();
        let path_text: Vec<&str> = [old.as_ref(), new.as_ref()]
            .into_iter()
            .flatten()
            .flat_map(path_texts)
            .collect();
        for texts in [&blocker_text, &path_text] {
            let named: Vec<usize> = (0..self.changes.len())
                .filter(|&i| {
                    texts
                        .iter()
                        .any(|t| mentions(t, &self.changes[i].object.name))
                })
                .collect();
            if !named.is_empty() {
                return named;
            }
        }
        union(&signature.2, &signature.3)
    }
}

fn path_texts(trace: &Trace) -> impl Iterator<Item = &str> {
    trace
        .forward
        .iter()
        .chain(&trace.reverse)
        .flat_map(|h| [h.at.as_str(), h.detail.as_str()])
        .chain(
            trace
                .blockers
                .iter()
                .flat_map(|b| [b.at.as_str(), b.message.as_str()]),
        )
}

fn union(a: &[usize], b: &[usize]) -> Vec<usize> {
    let set: BTreeSet<usize> = a.iter().chain(b).copied().collect();
    set.into_iter().collect()
}

fn name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Whether `text` names `name` as a whole word (not `hub` inside `hub2`).
pub(super) fn mentions(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(name_char) && !after.is_some_and(name_char)
    })
}

/// The endpoint groups a changed object touches in one design.
fn touched_groups(design: &Design, change: &ObjectChange, out: &mut BTreeSet<EndpointGroup>) {
    let name = change.object.name.as_str();
    let vnet = |v: &str, out: &mut BTreeSet<EndpointGroup>| {
        out.insert(EndpointGroup::Vnet(v.to_string()));
    };
    match change.object.kind {
        ObjectKind::Vnet => vnet(name, out),
        ObjectKind::Subnet => {
            if let Some((v, _)) = name.split_once('/') {
                vnet(v, out);
            }
        }
        ObjectKind::Vm => {
            for nic in design.vm(name).into_iter().flat_map(|vm| &vm.nics) {
                vnet(&nic.subnet.vnet, out);
            }
        }
        ObjectKind::Peering => {
            if let Some(p) = design.peering(name) {
                vnet(&p.local, out);
                vnet(&p.remote, out);
            }
        }
        ObjectKind::Nsg | ObjectKind::RouteTable => {
            let nsg = change.object.kind == ObjectKind::Nsg;
            for v in &design.vnets {
                let uses = v.subnets.iter().any(|s| {
                    let attached = if nsg { &s.nsg } else { &s.route_table };
                    attached.as_deref() == Some(name)
                });
                if uses {
                    vnet(&v.name, out);
                }
            }
            if nsg {
                for nic in design.vms.iter().flat_map(|vm| &vm.nics) {
                    if nic.nsg.as_deref() == Some(name) {
                        vnet(&nic.subnet.vnet, out);
                    }
                }
            }
        }
        ObjectKind::Gateway => {
            if let Some(g) = design.gateway(name) {
                vnet(&g.vnet, out);
            }
            out.insert(EndpointGroup::P2sClients(name.to_string()));
        }
        ObjectKind::Site => {
            out.insert(EndpointGroup::Site(name.to_string()));
        }
        ObjectKind::Connection => {
            if let Some(c) = design.connection(name) {
                if let Some(g) = design.gateway(&c.gateway) {
                    vnet(&g.vnet, out);
                }
                if let ConnectionRemote::Site(site) = &c.remote {
                    out.insert(EndpointGroup::Site(site.clone()));
                }
            }
        }
        ObjectKind::Asg => {
            for nic in design.vms.iter().flat_map(|vm| &vm.nics) {
                if nic.asgs.iter().any(|a| a == name) {
                    vnet(&nic.subnet.vnet, out);
                }
            }
        }
        ObjectKind::RouteServer => {
            if let Some(server) = design.route_servers.iter().find(|r| r.name == name) {
                vnet(&server.vnet, out);
            }
        }
        ObjectKind::NetworkGroup => {
            if let Some(group) = design.network_groups.iter().find(|g| g.name == name) {
                for member in &group.members {
                    vnet(member, out);
                }
            }
        }
        ObjectKind::Connectivity => {
            if let Some(config) = design.connectivity.iter().find(|c| c.name == name) {
                if let Topology::HubAndSpoke { hub } = &config.topology {
                    vnet(hub, out);
                }
                let groups = config
                    .groups
                    .iter()
                    .filter_map(|link| design.network_groups.iter().find(|g| g.name == link.group));
                for member in groups.flat_map(|g| &g.members) {
                    vnet(member, out);
                }
            }
        }
        ObjectKind::Intent | ObjectKind::Subscription => {}
    }
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn names_match_as_whole_words_only() {
        assert!(mentions("peering hub-to-spoke1", "hub-to-spoke1"));
        assert!(mentions("hub/default", "hub"));
        assert!(!mentions("hub2/default", "hub"));
        assert!(!mentions("peering hub-to-spoke10", "hub-to-spoke1"));
        assert!(mentions("rt-a/to-b", "rt-a"));
        assert!(!mentions("anything", ""));
    }
}
