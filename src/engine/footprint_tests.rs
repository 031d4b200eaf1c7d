//! Tests of footprints: how reads pack, how sets intern, and what an edit changes.

use super::*;
use crate::model::generate::{HubSpokeParams, hub_spoke};
use std::sync::Arc;

fn small() -> Design {
    let params = HubSpokeParams {
        hubs: 2,
        spokes: 3,
        subnets_per_spoke: 2,
        vms_per_subnet: 2,
    };
    hub_spoke(&params).expect("valid counts")
}

fn compiled(design: &Design) -> Compiled {
    Compiled::new(Arc::new(design.clone()))
}

#[test]
fn reads_pack_and_unpack_to_what_was_read() {
    let nic = NicIx {
        vm: VmIx::from(12_345),
        slot: 3,
    };
    for of in [
        ReadOf::Context(CtxIx::from(7)),
        ReadOf::Point(NsgPoint::Subnet(SubnetIx::from(9))),
        ReadOf::Point(NsgPoint::Nic(nic)),
        ReadOf::Peering(PeeringIx::from(400)),
        ReadOf::AllPeerings,
        ReadOf::HomePeering(Some(VnetIx::from(0))),
        ReadOf::HomePeering(Some(VnetIx::from(1_000))),
        ReadOf::HomePeering(None),
    ] {
        let read = match of {
            ReadOf::Context(c) => Read::context(c),
            ReadOf::Point(p) => Read::point(p),
            ReadOf::Peering(p) => Read::peering(p),
            ReadOf::HomePeering(third) => Read::home_peering_to(third),
            _ => Read::ALL,
        };
        assert_eq!(read.of(), of);
    }
    let huge = NicIx {
        vm: VmIx::from(1),
        slot: 1 << SLOT_BITS,
    };
    assert_eq!(Read::point(NsgPoint::Nic(huge)).of(), ReadOf::Opaque);
    assert_eq!(
        Read::peering(PeeringIx::from(
            usize::try_from(INDEX_MASK).unwrap_or(0) + 1
        ))
        .of(),
        ReadOf::Opaque
    );
}

#[test]
fn equal_sets_share_one_id_whatever_their_order() {
    let mut sets = Sets::default();
    let a = Read::context(CtxIx::from(1));
    let b = Read::peering(PeeringIx::from(2));
    let first = sets.intern(&mut vec![b, a, b]);
    let second = sets.intern(&mut vec![a, b]);
    let other = sets.intern(&mut vec![a]);
    let empty = sets.intern(&mut Vec::new());
    assert_eq!(first, second);
    assert_ne!(first, other);
    assert_eq!(sets.len(), 3);
    assert_eq!(sets.get(first), &[a, b]);
    assert_eq!(sets.get(other), &[a]);
    assert_eq!(sets.get(empty), &[] as &[Read]);
    assert_eq!(sets.get(99), &[] as &[Read]);
}

#[test]
fn a_recompiled_design_changes_nothing() {
    let design = small();
    let (old, new) = (compiled(&design), compiled(&design));
    assert!(same_rest(&old, &new));
    let mut diff = Diff::new(&old, &new);
    assert!(!diff.changed(Read::ALL));
    assert!(!diff.changed(Read::context(CtxIx::from(0))));
    assert!(!diff.changed(Read::point(NsgPoint::Subnet(SubnetIx::from(0)))));
    assert!(diff.changed(Read(Read::OPAQUE << KIND_SHIFT)));
}

#[test]
fn a_peering_flag_changes_that_peering_and_the_scan_only() {
    let design = small();
    let mut edited = design.clone();
    let flipped = &mut edited.peerings[0];
    flipped.allow_forwarded_traffic = !flipped.allow_forwarded_traffic;
    let (old, new) = (compiled(&design), compiled(&edited));
    assert!(same_rest(&old, &new));
    let mut diff = Diff::new(&old, &new);
    assert!(diff.changed(Read::peering(PeeringIx::from(0))));
    assert!(diff.changed(Read::ALL));
    for p in 1..design.peerings.len() {
        assert!(!diff.changed(Read::peering(PeeringIx::from(p))));
    }
    assert_eq!(
        diff.touch(&[
            Read::context(CtxIx::from(0)),
            Read::peering(PeeringIx::from(0))
        ]),
        Touch::Yes
    );
    assert_eq!(diff.touch(&[Read::peering(PeeringIx::from(1))]), Touch::No);
}

#[test]
fn an_nsg_rule_changes_the_points_it_guards_and_not_the_rest() {
    let design = small();
    let Some(at) = design.nsgs.iter().position(|n| !n.rules.is_empty()) else {
        return;
    };
    let mut edited = design.clone();
    let rule = &mut edited.nsgs[at].rules[0];
    rule.access = rule.access.flipped();
    let (old, new) = (compiled(&design), compiled(&edited));
    assert!(
        same_rest(&old, &new),
        "NSG rules are read through programs only"
    );
    let mut diff = Diff::new(&old, &new);
    let guarded = |s: usize| {
        old.index.subnets[SubnetIx::from(s)].nsg == Some(crate::engine::ix::NsgIx::from(at))
    };
    let subnets = old.index.subnets.len();
    assert!(
        (0..subnets).any(guarded),
        "the example's NSG guards a subnet"
    );
    for s in 0..subnets {
        let read = Read::point(NsgPoint::Subnet(SubnetIx::from(s)));
        assert_eq!(diff.changed(read), guarded(s), "subnet {s}");
    }
    assert!(!diff.changed(Read::ALL));
}

#[test]
fn a_renamed_vm_or_a_new_assumption_is_outside_any_footprint() {
    let design = small();
    let mut renamed = design.clone();
    renamed.vms[0].name.push('x');
    assert!(!same_rest(&compiled(&design), &compiled(&renamed)));
    let mut assumed = design.clone();
    assumed
        .assumptions
        .gateway_hops_exempt_from_forwarding_check = !assumed
        .assumptions
        .gateway_hops_exempt_from_forwarding_check;
    assert!(!same_rest(&compiled(&design), &compiled(&assumed)));
}

#[test]
fn a_hub_to_hub_flag_changes_the_hubs_contexts_and_programs_only_at_the_other_hubs_space() {
    let d = small();
    let mut edited = d.clone();
    assert!(
        d.peering_between("hub1", "hub2").is_some(),
        "the generator peers the hubs"
    );
    flip_hub_link(&mut edited);
    let (old, new) = (compiled(&d), compiled(&edited));
    let hub1 = new.index.vnet_ix["hub1"];
    let hub2 = &d
        .vnets
        .iter()
        .find(|v| v.name == "hub2")
        .expect("hub2")
        .address_space;
    let mut diff = Diff::new(&old, &new);
    // hub1's `VirtualNetwork` tag loses hub2's space (and its route to hub2 goes): every
    // changed context of hub1 changed at hub2's space alone, so lookups and appliance rules
    // for packets between other addresses answer as before.
    let mut contexts = 0;
    for (ctx, context) in new.routing.contexts.iter_enumerated() {
        if context.vnet != hub1 || !diff.changed(Read::context(ctx)) {
            continue;
        }
        contexts += 1;
        let prefixes = diff.changed_prefixes(ctx).expect("rows and tag only");
        assert!(!prefixes.is_empty());
        assert!(prefixes.iter().all(|p| hub2.contains(p)), "{prefixes:?}");
    }
    assert!(contexts > 0, "the flag changes hub1's contexts");
    // Likewise the programs of NSGs in hub1's subnets: only their tag changed.
    let mut programs = 0;
    for (s, subnet) in new.index.subnets.iter_enumerated() {
        let point = NsgPoint::Subnet(s);
        if subnet.vnet != hub1 || !diff.changed(Read::point(point)) {
            continue;
        }
        programs += 1;
        let prefixes = diff.changed_tag_prefixes(point).expect("the tag only");
        assert!(prefixes.iter().all(|p| hub2.contains(p)), "{prefixes:?}");
    }
    // A cell between two spokes is not touched by what changed there; one with an endpoint in
    // hub2's space is.
    let spoke_ip = |name: &str| -> std::net::Ipv4Addr {
        d.vms
            .iter()
            .find(|vm| vm.primary().is_some_and(|n| n.subnet.vnet == name))
            .and_then(|vm| vm.primary())
            .map(|n| n.ip)
            .expect("a VM in the VNet")
    };
    let near = Touch::Near(hub2.clone());
    assert!(!near.reaches(spoke_ip("spoke1"), spoke_ip("spoke3")));
    assert!(near.reaches(spoke_ip("spoke1"), spoke_ip("hub2")));
    assert!(programs > 0, "the flag changes the programs of hub1's NSGs");
}
