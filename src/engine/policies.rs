//! Compile stage 3, policies: every NSG compiled once per subnet context it is attached in
//! (the `VirtualNetwork` tag differs per context), and which compiled NSG guards each subnet
//! and each NIC. Built from the design, the [`Index`] and the [`Routing`] (whose contexts hold
//! the tags). Cost: each attached NSG's rules are compiled once ([`NsgRules`]), or kept from
//! the previous revision's compile when the NSG and every ASG's members are unchanged
//! ([`Policies::after`]); each distinct (NSG, subnet) attachment gets a program of them with
//! its context's tag: the previous revision's program when the rules were kept and the subnet's
//! route context is the very same one, else a copy of an earlier program of the same NSG in the
//! same VNet when that one's context had the same tag, else a new one. Memory: one program per
//! attachment (its rules and tag shared) and one map entry per attachment for the next compile.

use super::index::Index;
use super::ix::VnetIx;
use super::ix::{NicIx, NsgIx, ProgramIx, SubnetIx, VmIx};
use super::nsg::{CompiledNsg, NsgRules};
use super::per_nic::PerNic;
use super::routes::Routing;
use crate::model::Design;
use rustc_hash::{FxBuildHasher, FxHashMap};
use typed_index_collections::TiVec;

/// An NSG attachment point: where a flow record lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NsgPoint {
    Subnet(SubnetIx),
    Nic(NicIx),
}

/// Compile stage 3: compiled NSGs and their attachments.
#[derive(Debug, Clone)]
pub(crate) struct Policies {
    /// Compiled NSGs, one per (NSG, subnet context).
    pub programs: TiVec<ProgramIx, CompiledNsg>,
    /// The compiled NSG of each subnet.
    subnet_nsg: TiVec<SubnetIx, Option<ProgramIx>>,
    /// The compiled NSG of each NIC.
    nic_nsg: PerNic<Option<ProgramIx>>,
    /// Each attached NSG's rules as compiled, for the next revision's compile to keep.
    rules: TiVec<NsgIx, Option<NsgRules>>,
    /// The program of each (NSG, subnet) attachment, for the next revision's compile to keep.
    keyed: FxHashMap<(NsgIx, SubnetIx), ProgramIx>,
}

impl Policies {
    /// Stage 3 of compiling `design`, keeping the compiled rules of each NSG that is exactly
    /// as it was in `previous` (the compile of the revision before, with its design and
    /// index), when every ASG has the same members: an NSG's rules are a function of the NSG
    /// and the ASGs' members alone. At 1,000 spokes with an NSG each, an edit that changes one
    /// NSG or none then compiles one or none instead of 1,000 (26,000 fewer allocations per
    /// spoke edit, measured with heaptrack).
    ///
    /// A program is kept whole (shared rules and tag, so later comparisons are by pointer) when
    /// its NSG's rules are kept, the subnets are the same list, and the subnet's route context
    /// is the very one the previous revision had (a program reads only the context's VNet,
    /// tag and connected groups): a spoke edit then makes new programs for the VNets whose
    /// contexts it rebuilt, and none for the others.
    pub fn after(
        design: &Design,
        index: &Index,
        routing: &Routing,
        previous: Option<(&Design, &Index, &Routing, &Policies)>,
    ) -> Self {
        let mut keyed: FxHashMap<(NsgIx, SubnetIx), ProgramIx> =
            FxHashMap::with_capacity_and_hasher(index.subnets.len(), FxBuildHasher);
        let mut programs: TiVec<ProgramIx, CompiledNsg> = TiVec::new();
        // Each NSG's rules, compiled on its first attachment, or kept from the previous
        // revision when the NSG and the ASGs' members are the same.
        let mut rules: TiVec<NsgIx, Option<NsgRules>> = vec![None; design.nsgs.len()].into();
        // Per NSG: its rules are the previous revision's (so its programs may be kept).
        let mut same_rules: TiVec<NsgIx, bool> = vec![false; design.nsgs.len()].into();
        // The previous programs a subnet with the very same context may keep.
        let mut keep_from = None;
        if let Some((before, before_index, before_routing, before_policies)) = previous
            && before_index.asg_members == index.asg_members
        {
            for (((slot, same), nsg), (kept, was)) in rules
                .iter_mut()
                .zip(same_rules.iter_mut())
                .zip(&design.nsgs)
                .zip(before_policies.rules.iter().zip(&before.nsgs))
            {
                if nsg == was {
                    slot.clone_from(kept);
                    *same = true;
                }
            }
            if std::sync::Arc::ptr_eq(&before_index.subnets, &index.subnets) {
                keep_from = Some((before_routing, before_policies));
            }
        }
        // The previous program of (`nsg`, `s`) when it may be kept.
        let kept_program = |nsg: NsgIx, s: SubnetIx| -> Option<&CompiledNsg> {
            let (before_routing, before_policies) = keep_from?;
            if !same_rules.get(nsg).copied().unwrap_or(false) {
                return None;
            }
            let ctx = Routing::of_subnet(s);
            let (now, was) = (
                routing.contexts.get(ctx)?,
                before_routing.contexts.get(ctx)?,
            );
            if !std::sync::Arc::ptr_eq(now, was) {
                return None;
            }
            let &program = before_policies.keyed.get(&(nsg, s))?;
            before_policies.programs.get(program)
        };
        // The programs compiled so far, per NSG and VNet: a context of the same VNet often has
        // the same tag (the subnets of a spoke), and then shares the program.
        let mut by_vnet: FxHashMap<(NsgIx, VnetIx), Vec<ProgramIx>> = FxHashMap::default();
        let mut compiled_for = |nsg: NsgIx, s: SubnetIx| {
            *keyed.entry((nsg, s)).or_insert_with(|| {
                if let Some(kept) = kept_program(nsg, s) {
                    return programs.push_and_get_key(kept.clone());
                }
                let ctx = &routing.contexts[Routing::of_subnet(s)];
                let earlier = by_vnet.entry((nsg, ctx.vnet)).or_default();
                if let Some(&same) = earlier.iter().find(|&&p| programs[p].fits(ctx)) {
                    let shared = programs[same].clone();
                    return programs.push_and_get_key(shared);
                }
                let rules = rules[nsg].get_or_insert_with(|| {
                    NsgRules::new(&design.nsgs[usize::from(nsg)], &index.asg_members)
                });
                let id = programs.push_and_get_key(rules.for_context(nsg, ctx));
                earlier.push(id);
                id
            })
        };
        let subnet_nsg = index
            .subnets
            .iter_enumerated()
            .map(|(s, info)| info.nsg.map(|nsg| compiled_for(nsg, s)))
            .collect();
        let mut nic_nsg = PerNic::with_capacity(design.vms.len(), design.vms.len());
        for (m, vm) in design.vms.iter().enumerate() {
            nic_nsg.push_vm(vm.nics.iter().enumerate().map(|(slot, nic)| {
                let nsg = index.nsg_ix.get(nic.nsg.as_deref()?).copied()?;
                let s = index.nic_subnet(NicIx {
                    vm: VmIx::from(m),
                    slot,
                })?;
                Some(compiled_for(nsg, s))
            }));
        }
        Policies {
            programs,
            subnet_nsg,
            nic_nsg,
            rules,
            keyed,
        }
    }

    /// The compiled NSG guarding an attachment point, if any (what an incremental re-analysis
    /// compares per point, whatever its program's index).
    pub fn program_at(&self, point: NsgPoint) -> Option<&CompiledNsg> {
        self.nsg_at(point).and_then(|id| self.programs.get(id))
    }

    /// The compiled NSG at an attachment point.
    pub fn nsg_at(&self, point: NsgPoint) -> Option<ProgramIx> {
        match point {
            NsgPoint::Subnet(s) => self.subnet_nsg.get(s).copied().flatten(),
            NsgPoint::Nic(nic) => self.nic_nsg.get(nic).flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
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
}
