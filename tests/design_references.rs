//! Name references kept in one list (`model::references`): renaming an object rewrites every
//! reference to it, removing one clears or removes what referred to it, validation reports a
//! reference that names nothing, and edits on a site's hosts carry the intents along (code
//! review M10, "Concrete gap": renaming host `hq-web` of the start-up design was refused).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::edit::{Edit, Object, ObjectRef};
use vnetlab::io::examples::default_design;
use vnetlab::model::{
    Design, Intent, ModelError, Nsg, ObjectKind, Peering, RefKind, RefSlot, Subnet,
};

fn rename(d: &mut Design, kind: ObjectKind, name: &str, to: &str) -> Edit {
    Edit::Rename {
        target: ObjectRef::new(kind, name),
        to: to.to_string(),
    }
    .apply(d)
    .unwrap_or_else(|e| panic!("rename {name} refused: {e}"))
}

/// Every (kind, scope, name) the design refers to, sorted, to compare before and after.
fn named(d: &Design) -> Vec<(RefKind, Option<String>, String)> {
    let mut all: Vec<_> = d
        .references()
        .iter()
        .map(|r| (r.kind, r.scope.map(str::to_string), r.name.to_string()))
        .collect();
    all.sort();
    all
}

#[test]
fn renaming_a_site_host_that_intents_name_updates_the_intents_and_undoes_exactly() {
    let mut d = default_design();
    let before = d.clone();
    let users: Vec<String> = d
        .intents
        .iter()
        .filter(|i| i.to == "hq-web" || i.from == "hq-web")
        .map(|i| i.name.clone())
        .collect();
    assert_eq!(users, ["app1-to-hq", "app3-to-hq"]);
    // What the host form submits: the site with the host renamed in place.
    let mut site = d.site("onprem-hq").unwrap().clone();
    site.hosts[0].name = "hq-web-renamed".into();
    let undo = Edit::Replace(Object::Site(site)).apply(&mut d).unwrap();
    for name in &users {
        assert_eq!(d.intent(name).unwrap().to, "hq-web-renamed", "{name}");
    }
    assert!(d.validate().is_empty());
    let redo = undo.apply(&mut d).unwrap();
    assert_eq!(d, before);
    redo.apply(&mut d).unwrap();
    assert_eq!(d.intent("app1-to-hq").unwrap().to, "hq-web-renamed");
}

#[test]
fn removing_a_site_host_removes_its_intents_like_removing_a_vm() {
    let mut d = default_design();
    let before = d.clone();
    let mut site = d.site("onprem-hq").unwrap().clone();
    site.hosts.retain(|h| h.name != "hq-web");
    let undo = Edit::Replace(Object::Site(site)).apply(&mut d).unwrap();
    assert!(
        d.intents
            .iter()
            .all(|i| i.to != "hq-web" && i.from != "hq-web")
    );
    assert_eq!(d.intents.len(), before.intents.len() - 2);
    undo.apply(&mut d).unwrap();
    assert_eq!(d, before, "undo puts the intents back where they were");
}

#[test]
fn swapping_two_host_names_is_not_taken_for_a_rename() {
    let mut d = default_design();
    let mut site = d.site("onprem-hq").unwrap().clone();
    let (a, b) = (site.hosts[0].name.clone(), site.hosts[1].name.clone());
    site.hosts[0].name = b;
    site.hosts[1].name = a;
    Edit::Replace(Object::Site(site)).apply(&mut d).unwrap();
    // Both names still exist, so the intents keep naming the same host names.
    assert_eq!(d.intent("app1-to-hq").unwrap().to, "hq-web");
}

#[test]
fn renames_rewrite_every_reference_of_every_kind() {
    let mut d = default_design();
    // A NIC with an NSG too, so every kind of field is present.
    d.vms[0].nics[0].nsg = Some("nsg-spoke2".into());
    let original = named(&d);
    let renames = [
        (ObjectKind::Vnet, RefKind::Vnet, None, "hub", "hub-x"),
        (
            ObjectKind::Subnet,
            RefKind::Subnet,
            Some("spoke2"),
            "spoke2/workload",
            "work",
        ),
        (ObjectKind::Nsg, RefKind::Nsg, None, "nsg-spoke2", "nsg-x"),
        (
            ObjectKind::RouteTable,
            RefKind::RouteTable,
            None,
            "rt-spoke2",
            "rt-x",
        ),
        (
            ObjectKind::Gateway,
            RefKind::Gateway,
            None,
            "vpngw-hub",
            "gw-x",
        ),
        (ObjectKind::Site, RefKind::Site, None, "onprem-hq", "site-x"),
        (ObjectKind::Vm, RefKind::Endpoint, None, "vm-app1", "vm-x"),
    ];
    let mut undos = Vec::new();
    for (kind, ref_kind, scope, name, to) in renames {
        let short = name.rsplit('/').next().unwrap();
        let before = d.referencing(ref_kind, scope, short).len();
        assert!(
            before > 0,
            "{name} is referred to, or the test proves nothing"
        );
        undos.push(rename(&mut d, kind, name, to));
        assert!(
            d.validate().is_empty(),
            "after renaming {name}: {:?}",
            d.validate()
        );
        assert_eq!(d.referencing(ref_kind, scope, short).len(), 0, "{name}");
        assert_eq!(d.referencing(ref_kind, scope, to).len(), before, "{name}");
    }
    for undo in undos.into_iter().rev() {
        undo.apply(&mut d).unwrap();
    }
    assert_eq!(named(&d), original);
}

#[test]
fn removing_an_nsg_clears_subnet_and_nic_associations_and_undo_restores_them() {
    let mut d = default_design();
    d.vms[0].nics[0].nsg = Some("nsg-spoke2".into());
    let before = d.clone();
    let slots = d.referencing(RefKind::Nsg, None, "nsg-spoke2");
    assert!(slots.iter().any(|s| matches!(s, RefSlot::SubnetNsg { .. })));
    assert!(slots.iter().any(|s| matches!(s, RefSlot::NicNsg { .. })));
    let undo = Edit::Remove(ObjectRef::new(ObjectKind::Nsg, "nsg-spoke2"))
        .apply(&mut d)
        .unwrap();
    assert!(d.referencing(RefKind::Nsg, None, "nsg-spoke2").is_empty());
    assert_eq!(d.vms.len(), before.vms.len(), "clearing, not removing");
    undo.apply(&mut d).unwrap();
    assert_eq!(d, before);
}

#[test]
fn removing_a_subnet_drops_it_from_subnet_peerings_and_secondary_nics() {
    let mut d = Design::example_pair();
    d.vnets[0]
        .subnets
        .push(Subnet::new("extra", "10.1.2.0/24".parse().unwrap()));
    let mut second = d.vms[0].nics[0].clone();
    second.subnet = "a/extra".parse().unwrap();
    second.ip = "10.1.2.4".parse().unwrap();
    d.vms[0].nics.push(second);
    let mut link = Peering::new("a-to-b", "a", "b");
    link.local_subnets = vec!["default".into(), "extra".into()];
    link.remote_subnets = vec!["default".into()];
    d.peerings.push(link);
    let before = d.clone();
    let undo = Edit::Remove(ObjectRef::new(ObjectKind::Subnet, "a/extra"))
        .apply(&mut d)
        .unwrap();
    assert_eq!(d.vms[0].nics.len(), 1, "the VM keeps its primary NIC");
    assert_eq!(d.peerings[0].local_subnets, ["default"]);
    undo.apply(&mut d).unwrap();
    assert_eq!(d, before);
}

#[test]
fn unknown_references_are_reported_by_kind_with_their_slot() {
    let mut d = Design::example_pair();
    d.vnets[0].subnets[0].route_table = Some("rt-gone".into());
    d.nsgs.push(Nsg::new("nsg-a"));
    d.vms[0].nics[0].nsg = Some("nsg-b".into());
    d.intents.push(Intent {
        name: "i".into(),
        from: "vm-a".into(),
        to: "vm-z".into(),
        flow: "tcp/443".parse().unwrap(),
        expect: vnetlab::model::Expectation::Reachable,
    });
    let found: Vec<(RefSlot, String)> = d
        .validate()
        .into_iter()
        .map(|e| match e {
            ModelError::UnknownReference(r) => (r.slot, r.to_string()),
            other => panic!("unexpected {other}"),
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                RefSlot::SubnetRouteTable { vnet: 0, subnet: 0 },
                "unknown reference `rt-gone` in subnet `a/default`: there is no route table `rt-gone`"
                    .to_string()
            ),
            (
                RefSlot::NicNsg { vm: 0, nic: 0 },
                "unknown reference `nsg-b` in VM `vm-a`: there is no NSG `nsg-b`; did you mean `nsg-a`?"
                    .to_string()
            ),
            (
                RefSlot::IntentTo(0),
                "unknown reference `vm-z` in intent `i`: there is no VM, host or P2S client `vm-z`; did you mean `vm-a`?"
                    .to_string()
            ),
        ]
    );
}
