//! Compile stage 3, policies: every NSG compiled once per subnet context it is attached in
//! (the `VirtualNetwork` tag differs per context), and which compiled NSG guards each subnet
//! and each NIC. Built from the design, the [`Index`] and the [`Routing`] (whose contexts hold
//! the tags). Cost: each attached NSG's rules are compiled once ([`NsgRules`]); each distinct
//! (NSG, subnet) attachment gets a program of them with its context's tag, a copy of an
//! earlier program of the same NSG in the same VNet when that one's context had the same tag.

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
}

impl Policies {
    /// Stage 3 of compiling `design`.
    pub fn new(design: &Design, index: &Index, routing: &Routing) -> Self {
        let mut keyed: FxHashMap<(NsgIx, SubnetIx), ProgramIx> =
            FxHashMap::with_capacity_and_hasher(index.subnets.len(), FxBuildHasher);
        let mut programs: TiVec<ProgramIx, CompiledNsg> = TiVec::new();
        // Each NSG's rules, compiled on its first attachment.
        let mut rules: Vec<Option<NsgRules>> = vec![None; design.nsgs.len()];
        // The programs compiled so far, per NSG and VNet: a context of the same VNet often has
        // the same tag (the subnets of a spoke), and then shares the program.
        let mut by_vnet: FxHashMap<(NsgIx, VnetIx), Vec<ProgramIx>> = FxHashMap::default();
        let mut compiled_for = |nsg: NsgIx, s: SubnetIx| {
            *keyed.entry((nsg, s)).or_insert_with(|| {
                let ctx = &routing.contexts[Routing::of_subnet(s)];
                let earlier = by_vnet.entry((nsg, ctx.vnet)).or_default();
                if let Some(&same) = earlier.iter().find(|&&p| programs[p].fits(ctx)) {
                    let shared = programs[same].clone();
                    return programs.push_and_get_key(shared);
                }
                let rules = rules[usize::from(nsg)].get_or_insert_with(|| {
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
        // One program per attachment, as before sharing.
        assert_eq!(policies.programs.len(), attached);
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
