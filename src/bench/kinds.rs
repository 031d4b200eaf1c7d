//! The four kinds of edit `vnetlab bench` times one by one, because they cost the engine very
//! different amounts: a flag on a spoke's own peering and a route in a spoke's route table touch
//! one spoke; a rule of an NSG on one subnet touches one subnet; a flag on a hub-to-hub peering
//! touches every pair that crosses the hubs.
//!
//! Roles come from the peering graph, so any design works, not only generated ones: a VNet
//! peered with one other VNet is a spoke, a VNet peered with two or more is a hub. Every edit is
//! a toggle (a flag flipped, a route added or removed, a rule's access flipped), so applying the
//! edits of samples `2k` and `2k + 1` leaves the design as it was. Cost: one pass over the
//! peerings, subnets and NICs per edit.

use crate::edit::{Edit, Object};
use crate::model::{Design, NextHop, Route};
use ipnet::Ipv4Net;
use std::collections::{HashMap, HashSet};

/// One kind of edit the benchmark times separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EditKind {
    /// `allowVirtualNetworkAccess` flipped on a spoke's peering to its hub.
    SpokePeeringFlag,
    /// A route to another VNet's subnet (next hop None) added to, or removed from, a route
    /// table used by one spoke only.
    SpokeRoute,
    /// The access of the first rule flipped in an NSG associated with one subnet (or with as
    /// few as the design has).
    SubnetNsgRule,
    /// `allowVirtualNetworkAccess` flipped on a peering between two hubs.
    HubPeeringFlag,
}

/// The name of the route the [`EditKind::SpokeRoute`] edits add and remove.
pub const BENCH_ROUTE: &str = "bench-route";
/// Consecutive pairs of samples edit targets this far apart in the candidate list, so that a
/// run spreads over the design rather than editing one object.
const STRIDE: usize = 7919;

impl EditKind {
    /// Every kind, in report order.
    pub const ALL: [EditKind; 4] = [
        EditKind::SpokePeeringFlag,
        EditKind::SpokeRoute,
        EditKind::SubnetNsgRule,
        EditKind::HubPeeringFlag,
    ];

    /// The kind's key in `vnetlab bench --json` (`edits.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            EditKind::SpokePeeringFlag => "spoke_peering_flag",
            EditKind::SpokeRoute => "spoke_route",
            EditKind::SubnetNsgRule => "subnet_nsg_rule",
            EditKind::HubPeeringFlag => "hub_peering_flag",
        }
    }

    /// A few words for the text report.
    pub fn describe(self) -> &'static str {
        match self {
            EditKind::SpokePeeringFlag => "spoke peering flag",
            EditKind::SpokeRoute => "spoke route",
            EditKind::SubnetNsgRule => "NSG rule, one subnet",
            EditKind::HubPeeringFlag => "hub-to-hub peering flag",
        }
    }

    /// The edit of sample `sample` of this kind on `design` as it now is, or `None` when the
    /// design has nothing of this kind (no spokes, no hubs, no such table or NSG).
    pub fn edit(self, design: &Design, sample: usize) -> Option<Edit> {
        let roles = Roles::of(design);
        let pick = |candidates: &[&str]| -> Option<String> {
            let n = candidates.len();
            (n > 0).then(|| candidates[(sample / 2).wrapping_mul(STRIDE) % n].to_string())
        };
        match self {
            EditKind::SpokePeeringFlag | EditKind::HubPeeringFlag => {
                let hub_to_hub = self == EditKind::HubPeeringFlag;
                let names: Vec<&str> = design
                    .peerings
                    .iter()
                    .filter(|p| {
                        let (local, remote) = (roles.degree(&p.local), roles.degree(&p.remote));
                        if hub_to_hub {
                            local >= 2 && remote >= 2
                        } else {
                            local == 1 && remote >= 1
                        }
                    })
                    .map(|p| p.name.as_str())
                    .collect();
                let name = pick(&names)?;
                let mut peering = design.peering(&name)?.clone();
                peering.allow_virtual_network_access = !peering.allow_virtual_network_access;
                Some(Edit::Replace(Object::Peering(peering)))
            }
            EditKind::SpokeRoute => {
                let names = roles.spoke_tables(design);
                let name = pick(&names)?;
                let mut table = design.route_tables.iter().find(|t| t.name == name)?.clone();
                match table.routes.iter().position(|r| r.name == BENCH_ROUTE) {
                    Some(at) => {
                        table.routes.remove(at);
                    }
                    None => table.routes.push(Route {
                        name: BENCH_ROUTE.to_string(),
                        prefix: far_prefix(design, &name)?,
                        next_hop: NextHop::None,
                    }),
                }
                Some(Edit::Replace(Object::RouteTable(table)))
            }
            EditKind::SubnetNsgRule => {
                let names = roles.least_shared_nsgs(design);
                let name = pick(&names)?;
                let mut nsg = design.nsgs.iter().find(|n| n.name == name)?.clone();
                let rule = nsg.rules.first_mut()?;
                rule.access = rule.access.flipped();
                Some(Edit::Replace(Object::Nsg(nsg)))
            }
        }
    }
}

/// What the peering graph says about each VNet.
struct Roles<'a> {
    /// How many distinct VNets each VNet has peerings to.
    peers: HashMap<&'a str, HashSet<&'a str>>,
}

impl<'a> Roles<'a> {
    fn of(design: &'a Design) -> Self {
        let mut peers: HashMap<&str, HashSet<&str>> = HashMap::new();
        for p in &design.peerings {
            peers.entry(&p.local).or_default().insert(&p.remote);
        }
        Roles { peers }
    }

    fn degree(&self, vnet: &str) -> usize {
        self.peers.get(vnet).map_or(0, HashSet::len)
    }

    /// Route tables whose subnets all lie in one spoke VNet.
    fn spoke_tables(&self, design: &'a Design) -> Vec<&'a str> {
        let mut owner: HashMap<&str, Option<&str>> = HashMap::new();
        for vnet in &design.vnets {
            for subnet in &vnet.subnets {
                if let Some(table) = &subnet.route_table {
                    let entry = owner.entry(table).or_insert(Some(&vnet.name));
                    if *entry != Some(vnet.name.as_str()) {
                        *entry = None;
                    }
                }
            }
        }
        design
            .route_tables
            .iter()
            .map(|t| t.name.as_str())
            .filter(|t| matches!(owner.get(t), Some(Some(v)) if self.degree(v) == 1))
            .collect()
    }

    /// NSGs with rules associated with the fewest subnets and NICs (one, in a tiered design or
    /// with one subnet per spoke), those of spokes when there are any.
    fn least_shared_nsgs(&self, design: &'a Design) -> Vec<&'a str> {
        // Per NSG: how many subnets and NICs use it, and whether all of them are in spokes.
        let mut uses: HashMap<&str, (usize, bool)> = HashMap::new();
        let mut count = |nsg: &'a str, vnet: &str| {
            let entry = uses.entry(nsg).or_insert((0, true));
            entry.0 += 1;
            entry.1 &= self.degree(vnet) == 1;
        };
        for vnet in &design.vnets {
            for nsg in vnet.subnets.iter().filter_map(|s| s.nsg.as_deref()) {
                count(nsg, &vnet.name);
            }
        }
        for nic in design.vms.iter().flat_map(|vm| &vm.nics) {
            if let Some(nsg) = nic.nsg.as_deref() {
                count(nsg, &nic.subnet.vnet);
            }
        }
        let used: Vec<(&str, usize, bool)> = design
            .nsgs
            .iter()
            .filter(|n| !n.rules.is_empty())
            .filter_map(|n| {
                uses.get(n.name.as_str())
                    .map(|&(k, s)| (n.name.as_str(), k, s))
            })
            .collect();
        let any_spoke = used.iter().any(|&(_, _, spoke)| spoke);
        let eligible = || {
            used.iter()
                .filter(move |&&(_, _, spoke)| spoke || !any_spoke)
        };
        let fewest = eligible().map(|&(_, k, _)| k).min();
        eligible()
            .filter(|&&(_, k, _)| Some(k) == fewest)
            .map(|&(name, _, _)| name)
            .collect()
    }
}

/// A subnet prefix of the VNet furthest from the one that uses `table` (the last other
/// VNet in design order), so the route sends real traffic nowhere.
fn far_prefix(design: &Design, table: &str) -> Option<Ipv4Net> {
    let own = design.vnets.iter().find(|v| {
        v.subnets
            .iter()
            .any(|s| s.route_table.as_deref() == Some(table))
    })?;
    design
        .vnets
        .iter()
        .rev()
        .filter(|v| v.name != own.name)
        .find_map(|v| v.subnets.first().map(|s| s.prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    fn design() -> Design {
        hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 6,
            subnets_per_spoke: 1,
            vms_per_subnet: 1,
        })
        .expect("generates")
    }

    #[test]
    fn each_kind_edits_the_object_its_name_says_and_two_samples_undo_each_other() {
        let original = design();
        for kind in EditKind::ALL {
            let mut d = original.clone();
            let first = kind.edit(&d, 0).unwrap_or_else(|| panic!("{kind:?}"));
            let target = match &first {
                Edit::Replace(object) => object.name(),
                other => panic!("{other:?}"),
            };
            let expected = match kind {
                EditKind::SpokePeeringFlag => target.starts_with("spoke"),
                EditKind::SpokeRoute => target.starts_with("rt-spoke"),
                EditKind::SubnetNsgRule => target.starts_with("nsg-spoke"),
                EditKind::HubPeeringFlag => target.starts_with("hub1-to-hub2"),
            };
            assert!(expected, "{kind:?} edited {target}");
            first.apply(&mut d).expect("applies");
            assert_ne!(d, original, "{kind:?}");
            let second = kind.edit(&d, 1).expect("the toggle back");
            second.apply(&mut d).expect("applies");
            assert_eq!(d, original, "{kind:?}");
        }
    }

    #[test]
    fn a_design_without_peerings_has_no_peering_edits() {
        let pair = Design::example_pair();
        assert_eq!(EditKind::HubPeeringFlag.edit(&pair, 0), None);
        assert_eq!(EditKind::SpokePeeringFlag.edit(&pair, 0), None);
        assert_eq!(EditKind::SpokeRoute.edit(&Design::default(), 0), None);
    }
}
