//! Tests of the index kept across an edit (`Index::after`): whatever an edit changes, the index
//! equals one built from nothing, and the parts built from lists the edit left alone are the
//! previous index's own.

use super::*;
use crate::model::generate::{HubSpokeParams, hub_spoke};
use crate::model::{Nsg, SubnetRef, Vm};

fn design() -> Design {
    let mut design = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 4,
        subnets_per_spoke: 2,
        vms_per_subnet: 2,
    })
    .expect("valid counts");
    // An ASG with members, so that its addresses are part of what is kept or rebuilt.
    design.vms[0].nics[0].asgs.push("web".to_string());
    design
}

fn index(design: &Design, previous: Option<(&Design, &Index)>) -> Index {
    Index::after(design, &PeeringIndex::new(design), previous)
}

/// Every field of `kept` equals `fresh`'s.
fn assert_equal(kept: &Index, fresh: &Index, what: &str) {
    assert!(
        kept.same_outside_peerings(fresh),
        "{what}: the rest differs"
    );
    assert_eq!(kept.peerings, fresh.peerings, "{what}: peering facts");
    assert_eq!(
        kept.peered_space, fresh.peered_space,
        "{what}: peered space"
    );
    assert_eq!(kept.peerings_of, fresh.peerings_of, "{what}: peerings of");
    // `same_outside_peerings` takes a shared part as equal: compare the kept parts by value.
    assert_eq!(*kept.vnet_ix, *fresh.vnet_ix, "{what}: VNet names");
    assert_eq!(*kept.subnets, *fresh.subnets, "{what}: subnets");
    assert_eq!(*kept.subnet_ix, *fresh.subnet_ix, "{what}: subnet names");
    assert_eq!(*kept.nsg_ix, *fresh.nsg_ix, "{what}: NSG names");
    assert_eq!(*kept.gateway_ix, *fresh.gateway_ix, "{what}: gateway names");
    assert_eq!(*kept.site_ix, *fresh.site_ix, "{what}: site names");
    assert_eq!(*kept.asg_members, *fresh.asg_members, "{what}: ASG members");
    assert_eq!(*kept.nic_at, *fresh.nic_at, "{what}: NICs by address");
    assert_eq!(*kept.nic_subnet, *fresh.nic_subnet, "{what}: NIC subnets");
    assert_eq!(*kept.vnet_ranges, *fresh.vnet_ranges, "{what}: VNet ranges");
}

/// Which parts `after` shares with `before`: VNet names, subnets, NIC placement, ASG members.
fn shared(after: &Index, before: &Index) -> [bool; 4] {
    [
        Arc::ptr_eq(&after.vnet_ix, &before.vnet_ix),
        Arc::ptr_eq(&after.subnets, &before.subnets),
        Arc::ptr_eq(&after.nic_at, &before.nic_at),
        Arc::ptr_eq(&after.asg_members, &before.asg_members),
    ]
}

#[test]
fn an_index_after_any_edit_equals_one_built_from_nothing() {
    type Change = fn(&mut Design);
    let changes: [(&str, Change, [bool; 4]); 11] = [
        (
            "peering flag",
            |d| d.peerings[0].allow_forwarded_traffic ^= true,
            [true, true, true, true],
        ),
        (
            "route added",
            |d| {
                let table = &mut d.route_tables[0];
                let mut route = table.routes[0].clone();
                route.name = "extra".into();
                table.routes.push(route);
            },
            [true, true, true, true],
        ),
        (
            "NSG rule's access flipped",
            |d| d.nsgs[0].rules[0].access = d.nsgs[0].rules[0].access.flipped(),
            [true, true, true, true],
        ),
        (
            "NSG renamed",
            |d| d.nsgs[0].name = "renamed".into(),
            [true, false, false, true],
        ),
        (
            "NSG added",
            |d| d.nsgs.push(Nsg::new("another")),
            [true, false, false, true],
        ),
        (
            "subnet's NSG dropped",
            |d| d.vnets[2].subnets[0].nsg = None,
            [false, false, false, true],
        ),
        (
            "VNet renamed",
            |d| d.vnets[3].name = "elsewhere".into(),
            [false, false, false, true],
        ),
        (
            "VM readdressed",
            |d| d.vms[1].nics[0].ip = "10.255.0.4".parse().expect("address"),
            [true, true, false, false],
        ),
        (
            "VM joins an ASG",
            |d| d.vms[2].nics[0].asgs.push("web".into()),
            [true, true, false, false],
        ),
        (
            "VM added",
            |d| {
                let at = d.vms[0].nics[0].subnet.clone();
                d.vms.push(Vm::new(
                    "new-vm",
                    at,
                    "10.0.0.200".parse().expect("address"),
                ));
            },
            [true, true, false, false],
        ),
        (
            "VM moved to a subnet that does not exist",
            |d| d.vms[0].nics[0].subnet = SubnetRef::new("nowhere", "default"),
            [true, true, false, false],
        ),
    ];
    let before = design();
    let old = index(&before, None);
    for (what, change, expected) in changes {
        let mut edited = before.clone();
        change(&mut edited);
        let kept = index(&edited, Some((&before, &old)));
        assert_equal(&kept, &index(&edited, None), what);
        assert_eq!(shared(&kept, &old), expected, "{what}: parts kept");
    }
}

#[test]
fn subnet_level_peerings_rebuild_the_subnets_on_a_peering_edit() {
    let mut before = design();
    let at = before
        .peerings
        .iter()
        .position(|p| p.local.starts_with("spoke"))
        .expect("a spoke's peering");
    let local = before.vnet(&before.peerings[at].local).expect("its VNet");
    let listed = local.subnets[0].name.clone();
    before.peerings[at].local_subnets = vec![listed];
    let old = index(&before, None);
    let mut edited = before.clone();
    edited.peerings[at].local_subnets.clear();
    let kept = index(&edited, Some((&before, &old)));
    assert_equal(&kept, &index(&edited, None), "subnet list dropped");
    assert!(!Arc::ptr_eq(&kept.subnets, &old.subnets));
}
