//! Peering state and sync level as Azure derives them (azure-semantics.md §1.4), through edits.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::edit::{Edit, EditError, Object, ObjectRef};
use vnetlab::model::{DeploymentModel, Design, ObjectKind, Peering, PeeringState, SyncLevel};
use vnetlab::session::Session;

fn add_peering(name: &str, local: &str, remote: &str) -> Edit {
    Edit::Add {
        object: Object::Peering(Peering::new(name, local, remote)),
        at: None,
    }
}

fn state(s: &Session, name: &str) -> PeeringState {
    let d = s.design();
    d.peering_state(d.peering(name).unwrap())
}

fn sync(s: &Session, name: &str) -> SyncLevel {
    let d = s.design();
    d.sync_level(d.peering(name).unwrap())
}

#[test]
fn one_side_is_initiated_both_sides_connected() {
    let mut s = Session::new(Design::example_pair());
    s.apply(add_peering("a-to-b", "a", "b")).unwrap();
    assert_eq!(state(&s, "a-to-b"), PeeringState::Initiated);
    s.apply(add_peering("b-to-a", "b", "a")).unwrap();
    assert_eq!(state(&s, "a-to-b"), PeeringState::Connected);
    assert_eq!(state(&s, "b-to-a"), PeeringState::Connected);
    // The session's derived view agrees.
    assert!(
        s.peering_status()
            .iter()
            .all(|p| p.state == PeeringState::Connected)
    );
}

#[test]
fn deleting_one_side_disconnects_and_recreating_it_stays_disconnected() {
    let mut s = Session::new(Design::example_pair());
    s.apply(add_peering("a-to-b", "a", "b")).unwrap();
    s.apply(add_peering("b-to-a", "b", "a")).unwrap();
    s.apply(Edit::Remove(ObjectRef::new(ObjectKind::Peering, "b-to-a")))
        .unwrap();
    assert_eq!(state(&s, "a-to-b"), PeeringState::Disconnected);
    // Re-creating the deleted side does not repair the pair: the survivor stays Disconnected
    // and the new link is only Initiated.
    s.apply(add_peering("b-to-a", "b", "a")).unwrap();
    assert_eq!(state(&s, "a-to-b"), PeeringState::Disconnected);
    assert_eq!(state(&s, "b-to-a"), PeeringState::Initiated);
    // The documented remedy: delete the remaining link and recreate both.
    s.apply(Edit::Remove(ObjectRef::new(ObjectKind::Peering, "a-to-b")))
        .unwrap();
    s.apply(add_peering("a-to-b", "a", "b")).unwrap();
    assert_eq!(state(&s, "a-to-b"), PeeringState::Connected);
    assert_eq!(state(&s, "b-to-a"), PeeringState::Connected);
}

#[test]
fn deleting_an_initiated_link_marks_nothing() {
    let mut s = Session::new(Design::example_pair());
    s.apply(add_peering("a-to-b", "a", "b")).unwrap();
    s.apply(Edit::Remove(ObjectRef::new(ObjectKind::Peering, "a-to-b")))
        .unwrap();
    assert!(s.design().peerings.is_empty());
}

#[test]
fn undo_of_a_delete_reconnects_exactly() {
    let mut s = Session::new(Design::example_pair());
    s.apply(add_peering("a-to-b", "a", "b")).unwrap();
    s.apply(add_peering("b-to-a", "b", "a")).unwrap();
    let connected = s.design().clone();
    s.apply(Edit::Remove(ObjectRef::new(ObjectKind::Peering, "a-to-b")))
        .unwrap();
    assert_eq!(state(&s, "b-to-a"), PeeringState::Disconnected);
    s.undo().unwrap();
    assert_eq!(s.design(), &connected);
    // Undoing the creation of the second side does not disconnect the first: it was never connected.
    s.undo().unwrap();
    assert_eq!(state(&s, "a-to-b"), PeeringState::Initiated);
}

#[test]
fn arm_to_classic_needs_only_the_arm_side() {
    let mut d = Design::example_pair();
    d.vnets[1].deployment = DeploymentModel::Classic;
    let mut s = Session::new(d);
    s.apply(add_peering("a-to-b", "a", "b")).unwrap();
    assert_eq!(state(&s, "a-to-b"), PeeringState::Connected);
}

#[test]
fn growing_a_peered_vnet_desyncs_both_sides_until_synced() {
    let mut s = Session::new(Design::example_pair());
    s.apply(add_peering("a-to-b", "a", "b")).unwrap();
    s.apply(add_peering("b-to-a", "b", "a")).unwrap();
    let mut a = s.design().vnet("a").unwrap().clone();
    a.address_space.push("10.99.0.0/16".parse().unwrap());
    s.apply(Edit::Replace(Object::Vnet(a))).unwrap();
    // As in Azure PowerShell's Test-SyncVirtualNetworkPeeringCRUD: the changed VNet's peering is
    // RemoteNotInSync, the other VNet's peering LocalNotInSync.
    assert_eq!(sync(&s, "a-to-b"), SyncLevel::RemoteNotInSync);
    assert_eq!(sync(&s, "b-to-a"), SyncLevel::LocalNotInSync);
    let d = s.design();
    let stale: Vec<String> = d
        .peered_remote_space(d.peering("b-to-a").unwrap())
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    assert_eq!(stale, ["10.1.0.0/16"]);
    // Sync on the LocalNotInSync side brings both to FullyInSync.
    s.apply(Edit::SyncPeering("b-to-a".into())).unwrap();
    assert_eq!(sync(&s, "a-to-b"), SyncLevel::FullyInSync);
    assert_eq!(sync(&s, "b-to-a"), SyncLevel::FullyInSync);
    let d = s.design();
    let synced: Vec<String> = d
        .peered_remote_space(d.peering("b-to-a").unwrap())
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    assert_eq!(synced, ["10.1.0.0/16", "10.99.0.0/16"]);
}

#[test]
fn both_sides_changed_is_local_and_remote_not_in_sync() {
    let mut s = Session::new(Design::example_pair());
    s.apply(add_peering("a-to-b", "a", "b")).unwrap();
    s.apply(add_peering("b-to-a", "b", "a")).unwrap();
    for (name, extra) in [("a", "10.98.0.0/16"), ("b", "10.99.0.0/16")] {
        let mut v = s.design().vnet(name).unwrap().clone();
        v.address_space.push(extra.parse().unwrap());
        s.apply(Edit::Replace(Object::Vnet(v))).unwrap();
    }
    assert_eq!(sync(&s, "a-to-b"), SyncLevel::LocalAndRemoteNotInSync);
    assert_eq!(sync(&s, "b-to-a"), SyncLevel::LocalAndRemoteNotInSync);
}

#[test]
fn reverting_a_space_change_makes_the_snapshot_current_again() {
    let mut s = Session::new(Design::example_pair());
    s.apply(add_peering("a-to-b", "a", "b")).unwrap();
    s.apply(add_peering("b-to-a", "b", "a")).unwrap();
    let original = s.design().vnet("a").unwrap().clone();
    let mut grown = original.clone();
    grown.address_space.push("10.99.0.0/16".parse().unwrap());
    s.apply(Edit::Replace(Object::Vnet(grown))).unwrap();
    s.apply(Edit::Replace(Object::Vnet(original))).unwrap();
    assert_eq!(sync(&s, "b-to-a"), SyncLevel::FullyInSync);
    assert!(
        s.design()
            .peering("b-to-a")
            .unwrap()
            .remote_address_space
            .is_none()
    );
}

#[test]
fn removing_a_vnet_removes_what_hangs_off_it_and_undo_restores_all() {
    let mut s = Session::new(vnetlab::io::examples::default_design());
    let original = s.design().clone();
    s.apply(Edit::Remove(ObjectRef::new(ObjectKind::Vnet, "hub")))
        .unwrap();
    let d = s.design();
    assert!(d.vnet("hub").is_none());
    assert!(d.vm("nva1").is_none() && d.vm("vm-dns").is_none());
    assert!(
        d.peerings
            .iter()
            .all(|p| p.local != "hub" && p.remote != "hub")
    );
    assert!(d.gateways.is_empty() && d.connections.is_empty());
    // The P2S client of the removed gateway is gone, and so is nothing else.
    assert!(
        d.endpoints()
            .iter()
            .all(|e| e.name != "vpngw-hub-p2s-client")
    );
    assert!(d.vm("vm-app1").is_some() && d.site("onprem-hq").is_some());
    assert!(d.validate().is_empty());
    s.undo().unwrap();
    assert_eq!(s.design(), &original);
}

#[test]
fn renaming_updates_every_reference() {
    let mut s = Session::new(vnetlab::io::examples::default_design());
    let original = s.design().clone();
    s.apply(Edit::Rename {
        target: ObjectRef::new(ObjectKind::Vnet, "hub"),
        to: "core".into(),
    })
    .unwrap();
    s.apply(Edit::Rename {
        target: ObjectRef::new(ObjectKind::Subnet, "core/nva"),
        to: "appliances".into(),
    })
    .unwrap();
    s.apply(Edit::Rename {
        target: ObjectRef::new(ObjectKind::RouteTable, "rt-spoke1"),
        to: "rt-a".into(),
    })
    .unwrap();
    s.apply(Edit::Rename {
        target: ObjectRef::new(ObjectKind::Vm, "vm-app1"),
        to: "app1".into(),
    })
    .unwrap();
    s.apply(Edit::Rename {
        target: ObjectRef::new(ObjectKind::Site, "onprem-hq"),
        to: "hq".into(),
    })
    .unwrap();
    let d = s.design();
    assert_eq!(
        d.vm("nva1").unwrap().nics[0].subnet.to_string(),
        "core/appliances"
    );
    assert_eq!(d.peering("spoke1-to-hub").unwrap().remote, "core");
    assert_eq!(d.gateways[0].vnet, "core");
    assert_eq!(
        d.vnet("spoke1").unwrap().subnets[0].route_table.as_deref(),
        Some("rt-a")
    );
    assert_eq!(d.intent("app1-to-app2").unwrap().from, "app1");
    assert!(
        matches!(&d.connections[0].remote, vnetlab::model::ConnectionRemote::Site(s) if s == "hq")
    );
    assert!(d.validate().is_empty());
    for _ in 0..5 {
        s.undo().unwrap();
    }
    assert_eq!(s.design(), &original);
}

#[test]
fn edits_that_break_the_design_are_refused_with_a_sentence() {
    let mut s = Session::new(vnetlab::io::examples::default_design());
    let before = s.design().clone();
    // A duplicate name.
    let err = s
        .apply(add_peering("hub-to-spoke1", "spoke3", "hub"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "duplicate peering name `hub-to-spoke1`; names must be unique, so choose another name"
    );
    // Shrinking a subnet under its VMs.
    let mut hub = s.design().vnet("hub").unwrap().clone();
    hub.subnets[2].prefix = "10.0.2.128/25".parse().unwrap();
    let err = s.apply(Edit::Replace(Object::Vnet(hub))).unwrap_err();
    assert!(
        err.to_string()
            .contains("IP 10.0.2.4 of VM `vm-dns` is outside its subnet `hub/shared`"),
        "{err}"
    );
    // An unknown object.
    let err = s.apply(Edit::SyncPeering("nope".into())).unwrap_err();
    assert!(matches!(
        err,
        EditError::NotFound {
            kind: ObjectKind::Peering,
            ..
        }
    ));
    assert_eq!(err.to_string(), "there is no peering `nope`");
    // A batch that fails half-way changes nothing.
    let err = s
        .apply(Edit::Batch(vec![
            add_peering("spoke3-to-hub", "spoke3", "hub"),
            Edit::Remove(ObjectRef::new(ObjectKind::Nsg, "missing")),
        ]))
        .unwrap_err();
    assert_eq!(err.to_string(), "there is no NSG `missing`");
    assert_eq!(s.design(), &before);
    assert!(!s.history().can_undo());
}
