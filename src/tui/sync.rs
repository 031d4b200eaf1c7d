//! Selection in step between the Topology pane and the matrix: a pair newly selected in the
//! matrix (by keys, the go-to prompt or a click) selects its source's box in the picture, whose
//! path and explanation follow the same pair; in the picture, Space on one box and then on
//! another selects the pair of their first endpoints in the matrix.
//!
//! Cost: a settle compares the selected pair with the one last followed; a change looks up one
//! endpoint's group.

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

    /// Space on the picture: the first press marks the selected box as a pair's source; the
    /// second, on another box, selects in the matrix the pair of their first endpoints.
    pub(super) fn mark_pair_end(&mut self) {
        let Some(ItemKey::Node(key)) = self.topology.selected.clone() else {
            return self.refuse("select a VNet, site or point-to-site box first");
        };
        let Some(marked) = self.topology.marked.take().filter(|m| *m != key) else {
            let said = format!(
                "from {}: select another box and press space to select the pair",
                key.name
            );
            self.topology.marked = Some(key);
            return self.say(said);
        };
        let endpoints = self.session.analysis().endpoints();
        let first = |key: &NodeKey| {
            endpoints
                .iter()
                .position(|e| node_of(&e.group()).as_ref() == Some(key))
        };
        let (Some(from), Some(to)) = (first(&marked), first(&key)) else {
            return self.refuse(format!(
                "{} → {}: both boxes need an endpoint (a VM, site host or client pool)",
                marked.name, key.name
            ));
        };
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
