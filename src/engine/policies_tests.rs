//! Tests of the policies: every program equals a fresh compile, after edits too, and what
//! an edit keeps it keeps whole.

use super::*;
use crate::engine::compile::Compiled;
use crate::model::generate::{HubSpokeParams, hub_spoke};
use crate::model::{NextHop, Route};
use std::sync::Arc;

/// A hub and spokes whose spokes' two subnets share one NSG; in `spoke1` the second subnet
/// has its own route table with one more UDR, so its `VirtualNetwork` tag differs.
fn design() -> crate::model::Design {
    let mut design = hub_spoke(&HubSpokeParams {
        hubs: 1,
        spokes: 3,
        subnets_per_spoke: 2,
        vms_per_subnet: 1,
    })
    .expect("valid counts");
    let spoke1 = design.vnet("spoke1").expect("generated");
    let table = spoke1.subnets[1].route_table.clone().expect("a UDR table");
    let mut own = design
        .route_tables
        .iter()
        .find(|t| t.name == table)
        .expect("generated")
        .clone();
    own.name = "rt-spoke1-snet2".into();
    own.routes.push(Route {
        name: "to-partner".into(),
        prefix: "172.16.0.0/12".parse().expect("a CIDR"),
        next_hop: NextHop::None,
    });
    design.route_tables.push(own);
    let spoke1 = design
        .vnets
        .iter_mut()
        .find(|v| v.name == "spoke1")
        .expect("generated");
    spoke1.subnets[1].route_table = Some("rt-spoke1-snet2".into());
    assert!(design.validate().is_empty());
    design
}

/// Every attachment's program is exactly a fresh compile of its NSG for its own context,
/// whether it was made for it or copied: a program copied for a subnet whose tag differs
/// would fail here.
#[test]
fn shared_programs_equal_a_fresh_compile() {
    let compiled = Compiled::new(Arc::new(design()));
    let attached = assert_fresh(&compiled);
    // One program per attachment, as before sharing.
    assert_eq!(compiled.policies.programs.len(), attached);
}

/// Asserts that every attachment's program of `compiled` is a fresh compile of its NSG for
/// its context; returns how many subnets have an NSG.
fn assert_fresh(compiled: &Compiled) -> usize {
    let (index, routing, policies) = (&compiled.index, &compiled.routing, &compiled.policies);
    let mut attached = 0;
    for (s, info) in index.subnets.iter_enumerated() {
        let Some(nsg) = info.nsg else { continue };
        attached += 1;
        let fresh = NsgRules::new(&compiled.design.nsgs[usize::from(nsg)], &index.asg_members)
            .for_context(nsg, &routing.contexts[Routing::of_subnet(s)]);
        assert_eq!(
            policies.program_at(NsgPoint::Subnet(s)),
            Some(&fresh),
            "subnet {s:?}"
        );
    }
    // A NIC's own NSG, for the context of the NIC's subnet.
    for (m, vm) in compiled.design.vms.iter().enumerate() {
        for (slot, nic) in vm.nics.iter().enumerate() {
            let at = NicIx {
                vm: VmIx::from(m),
                slot,
            };
            let own = nic
                .nsg
                .as_deref()
                .and_then(|n| index.nsg_ix.get(n).copied());
            let fresh = own.zip(index.nic_subnet(at)).map(|(nsg, s)| {
                NsgRules::new(&compiled.design.nsgs[usize::from(nsg)], &index.asg_members)
                    .for_context(nsg, &routing.contexts[Routing::of_subnet(s)])
            });
            assert_eq!(
                policies.program_at(NsgPoint::Nic(at)),
                fresh.as_ref(),
                "NIC {at:?}"
            );
        }
    }
    attached
}

/// `edited` compiled after `old` as the session compiles it, checked against a fresh
/// compile ([`assert_fresh`]).
fn recompiled(old: &Compiled, edited: crate::model::Design) -> Compiled {
    let edited = Arc::new(edited);
    let peerings = Arc::new(crate::model::PeeringIndex::new(&edited));
    let new = Compiled::after(edited, peerings, Some(old));
    assert_fresh(&new);
    new
}

/// The first program of NSG `name`.
fn program_of<'a>(compiled: &'a Compiled, name: &str) -> &'a CompiledNsg {
    compiled
        .policies
        .programs
        .iter()
        .find(|p| compiled.design.nsgs[usize::from(p.nsg)].name == name)
        .expect("attached")
}

/// After an edit of one NSG, the compile that keeps the previous revision's rules gives
/// every attachment what a fresh compile gives; the other NSGs' rules are the very ones
/// compiled before, the edited one's are new.
#[test]
fn a_compile_after_an_edit_keeps_the_rules_of_unchanged_nsgs_only() {
    let before = Arc::new(design());
    let old = Compiled::new(Arc::clone(&before));
    let mut edited = (*before).clone();
    let nsg = edited
        .nsgs
        .iter_mut()
        .find(|n| n.name == "nsg-spoke2")
        .expect("generated");
    nsg.rules[0].access = nsg.rules[0].access.flipped();
    let new = recompiled(&old, edited);
    assert!(program_of(&new, "nsg-spoke1").same_rules(program_of(&old, "nsg-spoke1")));
    assert!(!program_of(&new, "nsg-spoke2").same_rules(program_of(&old, "nsg-spoke2")));
    assert_ne!(
        program_of(&new, "nsg-spoke2"),
        program_of(&old, "nsg-spoke2")
    );
}

/// After an edit that rebuilds some VNets' route contexts (a spoke peering's access flag),
/// every attachment still gets what a fresh compile gives; a subnet whose context is the
/// very one of the previous revision keeps its program whole (the same tag), and a subnet
/// whose context was rebuilt gets a program made for the new one.
#[test]
fn a_compile_after_an_edit_keeps_the_programs_of_kept_contexts() {
    let before = Arc::new(design());
    let old = Compiled::new(Arc::clone(&before));
    let mut edited = (*before).clone();
    let peering = edited
        .peerings
        .iter_mut()
        .find(|p| p.local == "spoke2")
        .expect("generated");
    peering.allow_virtual_network_access = false;
    let new = recompiled(&old, edited);
    let (mut kept, mut rebuilt) = (0, 0);
    for (s, info) in new.index.subnets.iter_enumerated() {
        if info.nsg.is_none() {
            continue;
        }
        let ctx = Routing::of_subnet(s);
        let same_context = Arc::ptr_eq(&new.routing.contexts[ctx], &old.routing.contexts[ctx]);
        let point = NsgPoint::Subnet(s);
        let (now, was) = (
            new.policies.program_at(point).expect("an NSG"),
            old.policies.program_at(point).expect("an NSG"),
        );
        assert_eq!(now.shares_tag(was), same_context, "subnet {s:?}");
        if same_context {
            kept += 1;
        } else {
            rebuilt += 1;
        }
    }
    // The edit rebuilt spoke2's and the hub's contexts, not spoke1's or spoke3's.
    assert!(kept > 0 && rebuilt > 0, "kept {kept}, rebuilt {rebuilt}");
}

/// A compile after an edit copies the previous policies and makes again only the programs
/// of attachments the edit touched: after a spoke peering's flag, a rule of the NSG that a
/// subnet and a NIC elsewhere share, and a UDR, every subnet and NIC (one with its own NSG
/// in another spoke's subnet, one with its subnet's) gets what a fresh compile gives, and
/// an untouched attachment keeps its very program.
#[test]
fn a_compile_after_an_edit_remakes_only_the_touched_attachments() {
    let mut first = design();
    first.vms[0].nics[0].nsg = Some("nsg-spoke2".into());
    let last = first.vms.len() - 1;
    first.vms[last].nics[0].nsg = Some("nsg-spoke3".into());
    assert!(first.validate().is_empty());
    let mut old = Compiled::new(Arc::new(first));
    assert_fresh(&old);
    let edits: [fn(&mut crate::model::Design); 3] = [
        |d| {
            let p = d.peerings.iter_mut().find(|p| p.local == "spoke2");
            let p = p.expect("generated");
            p.allow_virtual_network_access = !p.allow_virtual_network_access;
        },
        |d| {
            let n = d.nsgs.iter_mut().find(|n| n.name == "nsg-spoke2");
            let n = n.expect("generated");
            n.rules[0].access = n.rules[0].access.flipped();
        },
        |d| {
            let t = d
                .route_tables
                .iter_mut()
                .find(|t| t.name == "rt-spoke1-snet2");
            t.expect("made above").routes.clear();
        },
    ];
    for edit in edits {
        let mut edited = (*old.design).clone();
        edit(&mut edited);
        let new = recompiled(&old, edited);
        let untouched = (0..new.policies.programs.len())
            .map(ProgramIx::from)
            .filter(|&p| new.policies.programs[p].shares_tag(&old.policies.programs[p]))
            .count();
        assert!(untouched > 0, "an untouched attachment keeps its program");
        old = new;
    }
}

/// A rule naming an ASG matches its members' addresses: when a NIC joins the ASG, the
/// rules of unchanged NSGs are compiled again, not kept with the old members.
#[test]
fn a_compile_after_an_asg_change_compiles_every_nsg_again() {
    let mut before = design();
    let nsg = before
        .nsgs
        .iter_mut()
        .find(|n| n.name == "nsg-spoke1")
        .expect("generated");
    nsg.rules[0].source_asgs = vec!["asg-web".into()];
    before.vms[0].nics[0].asgs = vec!["asg-web".into()];
    let before = Arc::new(before);
    let old = Compiled::new(Arc::clone(&before));
    let mut edited = (*before).clone();
    let joining = edited.vms.len() - 1;
    edited.vms[joining].nics[0].asgs = vec!["asg-web".into()];
    let new = recompiled(&old, edited);
    assert_ne!(
        program_of(&new, "nsg-spoke1"),
        program_of(&old, "nsg-spoke1")
    );
    assert!(!program_of(&new, "nsg-spoke3").same_rules(program_of(&old, "nsg-spoke3")));
}

/// The subnets of a spoke with one tag share their program's tag; `spoke1`'s, whose tags
/// differ, do not.
#[test]
fn programs_are_shared_only_between_equal_tags() {
    let compiled = Compiled::new(Arc::new(design()));
    let program = |vnet: &str, subnet: usize| {
        let v = compiled
            .design
            .vnets
            .iter()
            .position(|x| x.name == vnet)
            .expect("generated");
        let s = compiled
            .index
            .subnets
            .iter_enumerated()
            .filter(|(_, info)| usize::from(info.vnet) == v)
            .nth(subnet)
            .map(|(s, _)| s)
            .expect("generated");
        compiled
            .policies
            .program_at(NsgPoint::Subnet(s))
            .expect("an NSG")
    };
    assert!(program("spoke2", 0).shares_tag(program("spoke2", 1)));
    assert!(!program("spoke1", 0).shares_tag(program("spoke1", 1)));
    assert_ne!(program("spoke1", 0), program("spoke1", 1));
}
