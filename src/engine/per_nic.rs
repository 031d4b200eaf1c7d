//! A value per NIC of every VM, in two allocations rather than one per VM: the compile keeps
//! each NIC's subnet and each NIC's NSG program, and rebuilds both on every edit, where a
//! vector per VM was ten thousand allocations to make and as many to free on a design of
//! ten thousand VMs. Cost: one `usize` per VM and one value per NIC; a lookup is two reads.

use super::ix::NicIx;

/// One value per NIC, by [`NicIx`] (VM, then the NIC's slot in that VM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PerNic<T> {
    /// Where each VM's NICs start in `values`, with the end of the last VM's after them.
    starts: Vec<usize>,
    values: Vec<T>,
}

impl<T: Copy> PerNic<T> {
    /// An empty table with room for `vms` VMs of about `nics` NICs in all.
    pub fn with_capacity(vms: usize, nics: usize) -> Self {
        let mut starts = Vec::with_capacity(vms + 1);
        starts.push(0);
        PerNic {
            starts,
            values: Vec::with_capacity(nics),
        }
    }

    /// Adds the next VM (by [`VmIx`] order) with the values of its NICs in slot order.
    pub fn push_vm(&mut self, nics: impl IntoIterator<Item = T>) {
        self.values.extend(nics);
        self.starts.push(self.values.len());
    }

    /// The value of `nic`; `None` for a VM or slot the table does not hold.
    pub fn get(&self, nic: NicIx) -> Option<T> {
        let vm = usize::from(nic.vm);
        let (start, end) = (*self.starts.get(vm)?, *self.starts.get(vm + 1)?);
        let at = start.checked_add(nic.slot).filter(|&at| at < end)?;
        self.values.get(at).copied()
    }

    /// How many VMs the table holds.
    #[cfg(test)]
    pub fn vms(&self) -> usize {
        self.starts.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ix::VmIx;

    /// The NIC of VM `vm` in slot `slot`.
    fn nic(vm: usize, slot: usize) -> NicIx {
        NicIx {
            vm: VmIx::from(vm),
            slot,
        }
    }

    #[test]
    fn each_nic_reads_its_own_value_and_nothing_past_its_vm() {
        let mut table = PerNic::with_capacity(3, 3);
        table.push_vm([10, 11]);
        table.push_vm([]);
        table.push_vm([30]);
        assert_eq!(table.vms(), 3);
        assert_eq!(table.get(nic(0, 0)), Some(10));
        assert_eq!(table.get(nic(0, 1)), Some(11));
        // Slot 2 of VM 0 would be VM 2's first value in the flat list.
        assert_eq!(table.get(nic(0, 2)), None);
        assert_eq!(table.get(nic(1, 0)), None);
        assert_eq!(table.get(nic(2, 0)), Some(30));
        assert_eq!(table.get(nic(2, 1)), None);
        assert_eq!(table.get(nic(3, 0)), None);
        assert_eq!(table.get(nic(0, usize::MAX)), None);
    }
}
