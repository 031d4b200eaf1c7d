//! Random but deterministic edits for `vnetlab bench`: the kinds of change a user makes while
//! designing (toggle a peering flag, add or remove a UDR, change an NSG rule, add a VM), picked
//! from the design itself so that every edit is valid and the same file always gets the same
//! sequence.

use crate::edit::{Edit, Object};
use crate::model::{Design, NextHop, Nic, Route, SubnetRef, Vm};
use ipnet::Ipv4Net;
use std::collections::HashSet;
use std::net::Ipv4Addr;

/// A small deterministic pseudo-random source (SplitMix64). Benchmarks need repeatable
/// sequences, not statistical quality, so a dependency would buy nothing here.
#[derive(Debug, Clone)]
pub struct Dice(u64);

impl Dice {
    /// A sequence fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Dice(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One element of a non-empty slice.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// The kinds of edit, tried in a random order until one applies to the design.
#[derive(Debug, Clone, Copy)]
enum Kind {
    TogglePeeringFlag,
    AddOrRemoveUdr,
    ChangeNsgRule,
    AddVm,
}

const KINDS: [Kind; 4] = [
    Kind::TogglePeeringFlag,
    Kind::AddOrRemoveUdr,
    Kind::ChangeNsgRule,
    Kind::AddVm,
];

/// A random edit that makes sense for `design`, or `None` when the design has nothing to edit
/// (no peerings, route tables, NSGs or subnets with room for a VM). `serial` keeps the names
/// of added objects unique.
pub fn random_edit(design: &Design, dice: &mut Dice, serial: usize) -> Option<Edit> {
    let first = dice.below(KINDS.len());
    (0..KINDS.len()).find_map(|k| match KINDS[(first + k) % KINDS.len()] {
        Kind::TogglePeeringFlag => toggle_peering_flag(design, dice),
        Kind::AddOrRemoveUdr => add_or_remove_udr(design, dice, serial),
        Kind::ChangeNsgRule => change_nsg_rule(design, dice),
        Kind::AddVm => add_vm(design, dice, serial),
    })
}

fn toggle_peering_flag(design: &Design, dice: &mut Dice) -> Option<Edit> {
    let mut peering = dice.pick(&design.peerings)?.clone();
    if dice.below(2) == 0 {
        peering.allow_forwarded_traffic = !peering.allow_forwarded_traffic;
    } else {
        peering.allow_virtual_network_access = !peering.allow_virtual_network_access;
    }
    Some(Edit::Replace(Object::Peering(peering)))
}

fn add_or_remove_udr(design: &Design, dice: &mut Dice, serial: usize) -> Option<Edit> {
    let mut table = dice.pick(&design.route_tables)?.clone();
    if !table.routes.is_empty() && dice.below(2) == 0 {
        table.routes.remove(dice.below(table.routes.len()));
    } else {
        // A /24 somewhere in the design's VNet space, dropped or sent to an appliance.
        let spaces: Vec<Ipv4Net> = design
            .vnets
            .iter()
            .flat_map(|v| v.address_space.clone())
            .collect();
        let space = dice.pick(&spaces)?;
        let prefix = random_subnet(space, 24, dice);
        let appliances: Vec<Ipv4Addr> = design
            .vms
            .iter()
            .filter(|vm| vm.appliance.is_some())
            .filter_map(|vm| vm.ip())
            .collect();
        let next_hop = match dice.pick(&appliances) {
            Some(ip) if dice.below(2) == 0 => NextHop::VirtualAppliance(*ip),
            _ => NextHop::None,
        };
        table.routes.push(Route {
            name: format!("bench-udr-{serial}"),
            prefix,
            next_hop,
        });
    }
    Some(Edit::Replace(Object::RouteTable(table)))
}

/// A random aligned `/len` inside `space` (the space itself when it is smaller).
fn random_subnet(space: &Ipv4Net, len: u8, dice: &mut Dice) -> Ipv4Net {
    let len = len.max(space.prefix_len());
    let count = 1usize << (len - space.prefix_len()).min(20);
    let offset = (dice.below(count) as u32) << (32 - u32::from(len));
    Ipv4Net::new(Ipv4Addr::from(u32::from(space.network()) + offset), len).unwrap_or(*space)
}

fn change_nsg_rule(design: &Design, dice: &mut Dice) -> Option<Edit> {
    let mut nsg = dice.pick(&design.nsgs)?.clone();
    let rule = match nsg.rules.len() {
        0 => return None,
        n => &mut nsg.rules[dice.below(n)],
    };
    if dice.below(2) == 0 {
        rule.access = rule.access.flipped();
    } else {
        let port = [22u16, 80, 443, 1433, 3389, 8080][dice.below(6)];
        rule.destination_ports = vec![crate::model::PortRange::single(port)];
    }
    Some(Edit::Replace(Object::Nsg(nsg)))
}

fn add_vm(design: &Design, dice: &mut Dice, serial: usize) -> Option<Edit> {
    let subnets: Vec<(SubnetRef, Ipv4Net)> = design
        .vnets
        .iter()
        .flat_map(|v| {
            v.subnets
                .iter()
                .filter(|s| !s.is_gateway_subnet())
                .map(|s| (SubnetRef::new(&v.name, &s.name), s.prefix))
        })
        .collect();
    let (subnet, prefix) = dice.pick(&subnets)?;
    let taken: HashSet<Ipv4Addr> = design
        .vms
        .iter()
        .flat_map(|vm| vm.nics.iter().map(|n| n.ip))
        .collect();
    // Azure hands out addresses from .4; the last address is the broadcast.
    let ip = prefix.hosts().skip(3).find(|ip| !taken.contains(ip))?;
    Some(Edit::Add {
        object: Object::Vm(Vm {
            name: format!("bench-vm-{serial}"),
            nics: vec![Nic::new(subnet.clone(), ip)],
            appliance: None,
        }),
        at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    #[test]
    fn edits_are_deterministic_valid_and_varied() {
        let design = hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 6,
            subnets_per_spoke: 2,
            vms_per_subnet: 2,
        })
        .expect("generates");
        let run = || {
            let mut d = design.clone();
            let mut dice = Dice::new(7);
            let mut kinds = HashSet::new();
            for serial in 0..40 {
                let edit =
                    random_edit(&d, &mut dice, serial).expect("there is always something to edit");
                kinds.insert(std::mem::discriminant(&edit));
                edit.apply(&mut d)
                    .unwrap_or_else(|e| panic!("{}: {e}", edit.describe()));
            }
            assert!(kinds.len() >= 2, "both replacements and additions happen");
            d
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn an_empty_design_has_nothing_to_edit() {
        assert_eq!(random_edit(&Design::default(), &mut Dice::new(1), 0), None);
    }
}
