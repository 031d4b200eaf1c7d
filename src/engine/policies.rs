//! Compile stage 3, policies: every NSG compiled once per subnet context it is attached in
//! (the `VirtualNetwork` tag differs per context), and which compiled NSG guards each subnet
//! and each NIC. Built from the design, the [`Index`] and the [`Routing`] (whose contexts hold
//! the tags). Cost: one compile per distinct (NSG, subnet) attachment.

use super::index::Index;
use super::ix::{NicIx, NsgIx, ProgramIx, SubnetIx, VmIx};
use super::nsg::{CompiledNsg, compile_nsg};
use super::routes::Routing;
use crate::model::Design;
use std::collections::HashMap;
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
    /// The compiled NSG of each NIC, per VM.
    nic_nsg: TiVec<VmIx, Vec<Option<ProgramIx>>>,
}

impl Policies {
    /// Stage 3 of compiling `design`.
    pub fn new(design: &Design, index: &Index, routing: &Routing) -> Self {
        let mut keyed: HashMap<(NsgIx, SubnetIx), ProgramIx> = HashMap::new();
        let mut programs: TiVec<ProgramIx, CompiledNsg> = TiVec::new();
        let mut compiled_for = |nsg: NsgIx, s: SubnetIx| {
            *keyed.entry((nsg, s)).or_insert_with(|| {
                programs.push_and_get_key(compile_nsg(
                    &design.nsgs[usize::from(nsg)],
                    nsg,
                    &routing.contexts[Routing::of_subnet(s)],
                    &index.asg_members,
                ))
            })
        };
        let subnet_nsg = index
            .subnets
            .iter_enumerated()
            .map(|(s, info)| info.nsg.map(|nsg| compiled_for(nsg, s)))
            .collect();
        let nic_nsg = design
            .vms
            .iter()
            .enumerate()
            .map(|(m, vm)| {
                vm.nics
                    .iter()
                    .enumerate()
                    .map(|(slot, nic)| {
                        let nsg = index.nsg_ix.get(nic.nsg.as_deref()?).copied()?;
                        let s = index.nic_subnet(NicIx {
                            vm: VmIx::from(m),
                            slot,
                        })?;
                        Some(compiled_for(nsg, s))
                    })
                    .collect()
            })
            .collect();
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
            NsgPoint::Nic(nic) => self
                .nic_nsg
                .get(nic.vm)
                .and_then(|n| n.get(nic.slot))
                .copied()
                .flatten(),
        }
    }
}
