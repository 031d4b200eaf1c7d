//! What `d` asks and does on the objects of issue 11 (ASGs, Route Servers and their BGP peers,
//! AVNM network groups and connectivity configurations). Objects go through the core's removal
//! (`Edit::Remove`), which drops every reference to them and restores all on undo; the
//! question says what else changes, counted from the design. A BGP peer lives inside its
//! Route Server, so it goes by replacing the server.

use super::panes::Target;
use crate::edit::{Edit, Object, ObjectRef};
use crate::model::{Design, ObjectKind};

/// The confirmation question and the edit that deletes `target`, one of this module's kinds.
pub fn delete(design: &Design, target: &Target) -> Result<(String, Edit), String> {
    let remove = |kind, name: &str| Edit::Remove(ObjectRef::new(kind, name));
    Ok(match target {
        Target::Asg(name) => {
            let nics = design
                .vms
                .iter()
                .flat_map(|vm| &vm.nics)
                .filter(|n| n.asgs.contains(name))
                .count();
            let rules: Vec<_> = design
                .nsgs
                .iter()
                .flat_map(|n| &n.rules)
                .filter(|r| r.source_asgs.contains(name) || r.destination_asgs.contains(name))
                .collect();
            // A rule naming only this ASG on an end goes with it; the others just drop it.
            let only = |list: &[String]| list.len() == 1 && list[0] == *name;
            let going = rules
                .iter()
                .filter(|r| only(&r.source_asgs) || only(&r.destination_asgs))
                .count();
            (
                format!(
                    "Delete application security group {name}? NICs leaving it: {nics}; rules that go (they name only it on an end): {going}; rules that keep their other ASGs: {}.",
                    rules.len() - going,
                ),
                remove(ObjectKind::Asg, name),
            )
        }
        Target::RouteServer(name) => {
            let peers = design.route_server(name).map_or(0, |r| r.peers.len());
            (
                format!(
                    "Delete Route Server {name} and its {}? The routes it programs go; its RouteServerSubnet stays.",
                    crate::words::count(peers, "BGP peer", "BGP peers")
                ),
                remove(ObjectKind::RouteServer, name),
            )
        }
        Target::BgpPeer { server, peer } => {
            let mut rs = design
                .route_server(server)
                .cloned()
                .ok_or("the Route Server no longer exists")?;
            rs.peers.retain(|p| p.name != *peer);
            (
                format!("Delete BGP peer {peer} of {server}? The routes it announces go."),
                Edit::Replace(Object::RouteServer(rs)),
            )
        }
        Target::NetworkGroup(name) => {
            let configs = design
                .connectivity
                .iter()
                .filter(|c| c.groups.iter().any(|g| g.group == *name))
                .count();
            (
                format!(
                    "Delete network group {name}? Configurations that stop applying to it: {configs}."
                ),
                remove(ObjectKind::NetworkGroup, name),
            )
        }
        Target::Connectivity(name) => (
            format!(
                "Delete connectivity configuration {name}? The connectivity and peerings it manages go."
            ),
            remove(ObjectKind::Connectivity, name),
        ),
        _ => return Err("select an object to delete".to_string()),
    })
}
