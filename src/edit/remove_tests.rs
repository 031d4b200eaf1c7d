//! Removal of the objects of issue 11 leaves no dangling reference, and undo restores them.

use super::super::{Edit, ObjectRef};
use crate::model::{
    Access, Asg, Connectivity, Design, Direction, GroupLink, NetworkGroup, Nsg, NsgRule,
    ObjectKind, Protocol, RouteServer, Topology,
};

/// `web` holds vm-a, `app` holds vm-b; nsg-a's rules name them on one end or both.
fn with_asgs() -> Design {
    let mut d = Design::example_pair();
    d.asgs.push(Asg::new("web"));
    d.asgs.push(Asg::new("app"));
    d.vms[0].nics[0].asgs = vec!["web".into()];
    d.vms[1].nics[0].asgs = vec!["app".into()];
    let mut nsg = Nsg::new("nsg-a");
    let rule = |name: &str, priority, source: &[&str], destination: &[&str]| {
        let mut r = NsgRule::new(
            name,
            priority,
            Direction::Inbound,
            Access::Deny,
            Protocol::Any,
        );
        r.source_asgs = source.iter().map(ToString::to_string).collect();
        r.destination_asgs = destination.iter().map(ToString::to_string).collect();
        r
    };
    nsg.rules.push(rule("only-web", 100, &["web"], &[]));
    nsg.rules
        .push(rule("web-or-app", 110, &["web", "app"], &[]));
    nsg.rules.push(rule("to-app", 120, &[], &["app"]));
    d.nsgs.push(nsg);
    d
}

fn remove(design: &mut Design, kind: ObjectKind, name: &str) -> Edit {
    Edit::Remove(ObjectRef::new(kind, name))
        .apply(design)
        .expect("the removal applies")
}

#[test]
fn removing_an_asg_drops_it_from_nics_and_rules_and_takes_rules_left_with_none() {
    let before = with_asgs();
    let mut d = before.clone();
    let undo = remove(&mut d, ObjectKind::Asg, "web");
    assert!(d.asg("web").is_none());
    assert!(d.vms[0].nics[0].asgs.is_empty());
    assert_eq!(d.vms[1].nics[0].asgs, ["app"]);
    let rules: Vec<(&str, &[String])> = d.nsgs[0]
        .rules
        .iter()
        .map(|r| (r.name.as_str(), r.source_asgs.as_slice()))
        .collect();
    // only-web named web alone: it goes rather than match every source.
    assert_eq!(
        rules,
        [
            ("web-or-app", &["app".to_string()][..]),
            ("to-app", &[][..])
        ]
    );
    assert_eq!(d.validate(), []);
    undo.apply(&mut d).expect("undo applies");
    assert_eq!(d, before);
}

#[test]
fn removing_a_network_group_drops_it_from_configurations() {
    let mut before = Design::example_pair();
    before
        .network_groups
        .push(NetworkGroup::new("both", vec!["a".into(), "b".into()]));
    before
        .network_groups
        .push(NetworkGroup::new("only-a", vec!["a".into()]));
    before.connectivity.push(Connectivity {
        name: "mesh".into(),
        topology: Topology::Mesh,
        groups: vec![GroupLink::new("both"), GroupLink::new("only-a")],
        global: false,
    });
    let mut d = before.clone();
    let undo = remove(&mut d, ObjectKind::NetworkGroup, "both");
    assert!(d.network_group("both").is_none());
    let groups: Vec<&str> = d.connectivity[0]
        .groups
        .iter()
        .map(|g| g.group.as_str())
        .collect();
    assert_eq!(groups, ["only-a"]);
    assert_eq!(d.validate(), []);
    undo.apply(&mut d).expect("undo applies");
    assert_eq!(d, before);
}

#[test]
fn removing_a_route_server_or_a_configuration_takes_only_it() {
    let mut before = Design::example_pair();
    before.route_servers.push(RouteServer::new("rs", "a"));
    before
        .network_groups
        .push(NetworkGroup::new("g", vec!["b".into()]));
    before.connectivity.push(Connectivity {
        name: "hub".into(),
        topology: Topology::HubAndSpoke { hub: "a".into() },
        groups: vec![GroupLink::new("g")],
        global: false,
    });
    let mut d = before.clone();
    let undo_rs = remove(&mut d, ObjectKind::RouteServer, "rs");
    let undo_config = remove(&mut d, ObjectKind::Connectivity, "hub");
    assert!(d.route_servers.is_empty() && d.connectivity.is_empty());
    assert_eq!(d.network_groups, before.network_groups);
    assert_eq!(d.vnets, before.vnets);
    undo_config.apply(&mut d).expect("undo applies");
    undo_rs.apply(&mut d).expect("undo applies");
    assert_eq!(d, before);
}
