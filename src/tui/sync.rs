//! Selection in step between the Topology pane, the matrix and the explanation.
//!
//! - Matrix → picture: a pair newly selected in the matrix (by keys, the go-to prompt or a
//!   click) selects its source's box; the picture draws that pair's path, and the explanation
//!   under the matrix explains the same pair (both read the matrix's selected pair).
//! - Picture → matrix: `space` (`PickPairEnd`) on a box picks the pair's source, `space` on
//!   another box its destination, and that pair is selected in the matrix, so the path and the
//!   explanation follow it. A box stands for one endpoint: the endpoint of the matrix's current
//!   pair that lives in it, if any (so moving one end keeps the other's VM), else its first
//!   endpoint (first VM, site host or client pool). `space` on the picked source again cancels.
//!
//! Cost: a settle compares the selected pair with the one last followed; a change looks up one
//! endpoint's group. Picking an end scans the endpoints once (O(endpoints)).

use super::app::App;
use crate::model::EndpointGroup;
use crate::topology::{ItemKey, NodeKey, NodeKind};

/// The box that shows an endpoint group.
fn node_of(group: &EndpointGroup) -> Option<NodeKey> {
    let (kind, name) = match group {
        EndpointGroup::Vnet(name) => (NodeKind::Vnet, name),
        EndpointGroup::Site(name) => (NodeKind::Site, name),
        EndpointGroup::P2sClients(name) => (NodeKind::P2s, name),
        EndpointGroup::Alone(_) => return None,
    };
    Some(NodeKey {
        kind,
        name: name.clone(),
    })
}

impl App {
    /// A pair newly selected in the matrix selects its source's box (the first pair seen
    /// leaves the picture's own selection alone).
    pub(super) fn follow_matrix_pair(&mut self) {
        let pair = self
            .live
            .selected_endpoints()
            .filter(|_| !self.live.cursor().in_intents);
        if pair.is_none() || pair == self.topology.followed {
            return;
        }
        let endpoints = self.session.analysis().endpoints();
        if self.topology.followed.is_some()
            && let Some(key) = pair
                .and_then(|(from, _)| endpoints.get(from))
                .and_then(|e| node_of(&e.group()))
        {
            self.topology.selected = Some(ItemKey::Node(key));
        }
        self.topology.followed = pair;
    }

    /// The endpoint a box stands for (see the module docs): the first of `preferred` (indexes
    /// into the analysis' endpoints) that lives in the box, else the box's first endpoint.
    fn endpoint_of_box(&self, key: &NodeKey, preferred: [Option<usize>; 2]) -> Option<usize> {
        let endpoints = self.session.analysis().endpoints();
        let inside = |i: &usize| {
            endpoints
                .get(*i)
                .is_some_and(|e| node_of(&e.group()).as_ref() == Some(key))
        };
        preferred
            .into_iter()
            .flatten()
            .find(inside)
            .or_else(|| (0..endpoints.len()).find(inside))
    }

    /// `space` on the picture: picks the selected box as the pair's source, or, with a source
    /// picked, as its destination and selects that pair in the matrix (see the module docs).
    pub(super) fn mark_pair_end(&mut self) {
        let Some(ItemKey::Node(key)) = self.topology.selected.clone() else {
            return self.refuse("select a VNet, site or point-to-site box first");
        };
        let current = self
            .live
            .selected_endpoints()
            .filter(|_| !self.live.cursor().in_intents);
        let (now_from, now_to) = (current.map(|p| p.0), current.map(|p| p.1));
        let Some(marked) = self.topology.marked.take() else {
            let Some(from) = self.endpoint_of_box(&key, [now_from, now_to]) else {
                return self.refuse(format!(
                    "{} has no endpoint (a VM, site host or client pool) to start a pair from",
                    key.name
                ));
            };
            let said = format!(
                "from {} ({}): select the destination's box and press space (space here again cancels)",
                self.session.analysis().endpoints()[from].name,
                key.name
            );
            self.topology.marked = Some(key);
            return self.say(said);
        };
        if marked == key {
            return self.say(format!("{}: no longer the pair's source", key.name));
        }
        let from = self.endpoint_of_box(&marked, [now_from, now_to]);
        let to = self.endpoint_of_box(&key, [now_to, now_from]);
        let (Some(from), Some(to)) = (from, to) else {
            return self.refuse(format!(
                "{} → {}: both boxes need an endpoint (a VM, site host or client pool)",
                marked.name, key.name
            ));
        };
        let endpoints = self.session.analysis().endpoints();
        let names = format!("{} → {}", endpoints[from].name, endpoints[to].name);
        if self.select_endpoints(from, to) {
            // The picture keeps its own selection (the box just pressed).
            self.topology.followed = Some((from, to));
            self.say(format!("selected {names} in the matrix"));
        } else {
            self.refuse(format!("{names} is not in the matrix"));
        }
    }
}
