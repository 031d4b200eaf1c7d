//! The design rules checked again only where an edit can have changed their findings.
//!
//! Every area of rules (and the name rules of each design list) is a [`Part`] that declares
//! the design lists it reads. [`Findings`] keep each part's diagnostics with the design they
//! were found in; the findings of the next revision ([`Findings::after`]) share a part's
//! diagnostics when every list it reads is still shared with that design (an edit copies only
//! the list it changes, `SharedVec`), and run the part again otherwise. An NSG rule edit
//! re-runs the NSG area, the managed-resources area and the names of the NSG list; a route
//! edit the gateway and routing areas and the names of the route tables; a peering edit every
//! area that reads the network's shape and the peerings' names, but of the addressing rules
//! only the gateways' ranges (a VNet's ranges and its NICs' addresses read no peering).
//!
//! Cost: one pointer comparison per (part, list) read, plus the parts that run; a kept part
//! costs one reference count. The declared reads are checked by a test that edits every list
//! of generated and example designs and compares with findings made afresh.

use super::support::Context;
use super::{Diagnostic, addressing, connections, gateway, managed, names, nsg, peering};
use super::{permissions, routing};
use crate::model::{Design, PeeringIndex, SharedVec};
use names::NameList;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A list of the design (or its assumptions), as the parts declare what they read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Vnets,
    Vms,
    Peerings,
    Nsgs,
    Asgs,
    RouteTables,
    Gateways,
    Sites,
    Connections,
    RouteServers,
    NetworkGroups,
    Connectivity,
    Subscriptions,
    Intents,
    Assumptions,
}

impl List {
    /// Whether `a` and `b` hold the very same list (shared, not compared item by item: several
    /// parts read one list, and a changed list nearly always differs), or equal assumptions.
    fn same(self, a: &Design, b: &Design) -> bool {
        match self {
            List::Vnets => SharedVec::same(&a.vnets, &b.vnets),
            List::Vms => SharedVec::same(&a.vms, &b.vms),
            List::Peerings => SharedVec::same(&a.peerings, &b.peerings),
            List::Nsgs => SharedVec::same(&a.nsgs, &b.nsgs),
            List::Asgs => SharedVec::same(&a.asgs, &b.asgs),
            List::RouteTables => SharedVec::same(&a.route_tables, &b.route_tables),
            List::Gateways => SharedVec::same(&a.gateways, &b.gateways),
            List::Sites => SharedVec::same(&a.sites, &b.sites),
            List::Connections => SharedVec::same(&a.connections, &b.connections),
            List::RouteServers => SharedVec::same(&a.route_servers, &b.route_servers),
            List::NetworkGroups => SharedVec::same(&a.network_groups, &b.network_groups),
            List::Connectivity => SharedVec::same(&a.connectivity, &b.connectivity),
            List::Subscriptions => SharedVec::same(&a.subscriptions, &b.subscriptions),
            List::Intents => SharedVec::same(&a.intents, &b.intents),
            List::Assumptions => a.assumptions == b.assumptions,
        }
    }

    /// Every list, and the assumptions.
    const ALL: [List; 15] = [
        List::Vnets,
        List::Vms,
        List::Peerings,
        List::Nsgs,
        List::Asgs,
        List::RouteTables,
        List::Gateways,
        List::Sites,
        List::Connections,
        List::RouteServers,
        List::NetworkGroups,
        List::Connectivity,
        List::Subscriptions,
        List::Intents,
        List::Assumptions,
    ];
}

/// What a part reads: a few lists, or every list but a few.
#[derive(Debug, Clone, Copy)]
enum Reads {
    Only(&'static [List]),
    AllBut(&'static [List]),
}

impl Reads {
    fn contains(self, list: List) -> bool {
        match self {
            Reads::Only(these) => these.contains(&list),
            Reads::AllBut(others) => !others.contains(&list),
        }
    }
}

/// One unit of rules whose findings are kept or found again as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Peering,
    /// A VNet's ranges and subnets.
    AddressRanges,
    /// The NICs' addresses.
    NicAddresses,
    /// Gateways' client pools and sites against what lies behind the gateway.
    GatewayRanges,
    Gateway,
    Connections,
    Routing,
    Nsg,
    /// The names of one list (every name clashes only within its own list).
    Names(NameList),
    Permissions,
    Managed,
}

/// Every part, in the order their findings are reported (the names of every list come
/// between the NSG and the permission rules).
const PARTS: [Part; 20] = [
    Part::Peering,
    Part::AddressRanges,
    Part::NicAddresses,
    Part::GatewayRanges,
    Part::Gateway,
    Part::Connections,
    Part::Routing,
    Part::Nsg,
    Part::Names(NameList::ALL[0]),
    Part::Names(NameList::ALL[1]),
    Part::Names(NameList::ALL[2]),
    Part::Names(NameList::ALL[3]),
    Part::Names(NameList::ALL[4]),
    Part::Names(NameList::ALL[5]),
    Part::Names(NameList::ALL[6]),
    Part::Names(NameList::ALL[7]),
    Part::Names(NameList::ALL[8]),
    Part::Names(NameList::ALL[9]),
    Part::Permissions,
    Part::Managed,
];

impl Part {
    /// The lists the part's rules read, directly or through the design's own questions and
    /// the peering facts (VNets, peerings, gateways, Route Servers, assumptions).
    fn reads(self) -> Reads {
        // The network's shape: VNets, VMs, peerings, gateways, sites and managed resources.
        let shape = Reads::AllBut(&[List::Nsgs, List::Asgs, List::RouteTables, List::Intents]);
        match self {
            Part::Peering | Part::Connections | Part::Permissions => shape,
            Part::AddressRanges => Reads::Only(&[List::Vnets]),
            Part::NicAddresses => Reads::Only(&[List::Vnets, List::Vms]),
            // The VNets a gateway's VNet peers with are behind it, whatever the peerings' flags.
            Part::GatewayRanges => Reads::Only(&[
                List::Vnets,
                List::Gateways,
                List::Connections,
                List::Sites,
                List::Peerings,
            ]),
            Part::Gateway | Part::Routing => {
                Reads::AllBut(&[List::Nsgs, List::Asgs, List::Intents])
            }
            // NSG placement is counted on subnets (VNets) and NICs (VMs).
            Part::Nsg => Reads::Only(&[List::Nsgs, List::Vnets, List::Vms]),
            Part::Managed => Reads::AllBut(&[List::RouteTables, List::Intents]),
            Part::Names(list) => Reads::Only(match list {
                // A VNet's resource group is part of its name's scope.
                NameList::Vnets => &[List::Vnets],
                NameList::Vms => &[List::Vms],
                NameList::Peerings => &[List::Peerings],
                NameList::Nsgs => &[List::Nsgs],
                NameList::RouteTables => &[List::RouteTables],
                NameList::Gateways => &[List::Gateways],
                NameList::Sites => &[List::Sites],
                NameList::Connections => &[List::Connections],
                NameList::Intents => &[List::Intents],
                NameList::Subscriptions => &[List::Subscriptions],
            }),
        }
    }

    /// The part's findings in `cx`'s design. A names part returns its invalid names first
    /// and its duplicates second; every other part only the first.
    fn run(self, cx: &Context) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let mut found = Vec::new();
        match self {
            Part::Peering => peering::check(cx, &mut found),
            Part::AddressRanges => addressing::vnet_ranges(cx, &mut found),
            Part::NicAddresses => addressing::nic_addresses(cx, &mut found),
            Part::GatewayRanges => addressing::gateway_ranges(cx, &mut found),
            Part::Gateway => gateway::check(cx, &mut found),
            Part::Connections => connections::check(cx, &mut found),
            Part::Routing => routing::check(cx, &mut found),
            Part::Nsg => nsg::check(cx, &mut found),
            Part::Names(list) => return names::check_list(cx, list),
            Part::Permissions => permissions::check(cx, &mut found),
            Part::Managed => managed::check(cx, &mut found),
        }
        (found, Vec::new())
    }
}

/// One part's findings (see [`Part::run`]), shared between revisions that keep them.
type Found = Arc<(Vec<Diagnostic>, Vec<Diagnostic>)>;

/// What the design rules found, before the intents are evaluated: the first part of a lint
/// pass. It reads the design and its peering facts, not the compiled design or the analysis,
/// so the session computes it while the design is compiled and walked
/// ([`super::findings_of`], then [`super::report_from`]), and keeps it for the next revision
/// ([`Findings::after`]).
#[derive(Debug, Clone)]
pub struct Findings {
    /// The design the findings are of.
    design: Arc<Design>,
    /// Per part of [`PARTS`], in order.
    parts: Vec<Found>,
    took: Duration,
}

impl Findings {
    /// The findings of `design` (whose peering facts are `facts`, or built here when `None`),
    /// keeping the parts of `previous` whose lists `design` still shares with it.
    pub fn after(
        design: Arc<Design>,
        facts: Option<Arc<PeeringIndex>>,
        previous: Option<&Findings>,
    ) -> Findings {
        let started = Instant::now();
        let cx = Context::new(&design, facts);
        let parts = PARTS
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let reads = part.reads();
                let kept = previous.filter(|p| {
                    List::ALL
                        .iter()
                        .all(|&list| !reads.contains(list) || list.same(&p.design, &design))
                });
                match kept.and_then(|p| p.parts.get(i)) {
                    Some(found) => Arc::clone(found),
                    None => Arc::new(part.run(&cx)),
                }
            })
            .collect();
        // The context borrows `design`, which the findings keep.
        drop(cx);
        Findings {
            design,
            parts,
            took: started.elapsed(),
        }
    }

    /// Every diagnostic, in area order: the areas, with the names parts' invalid names
    /// before all their duplicates.
    pub(super) fn diagnostics(&self) -> Vec<Diagnostic> {
        let total = self.parts.iter().map(|p| p.0.len() + p.1.len()).sum();
        let mut found = Vec::with_capacity(total);
        let names = |part: &Part| matches!(part, Part::Names(_));
        let mut parts = PARTS.iter().zip(&self.parts).peekable();
        while let Some((part, first)) = parts.next() {
            found.extend(first.0.iter().cloned());
            if names(part) && !parts.peek().is_some_and(|(next, _)| names(next)) {
                // After the last names part: every names part's duplicates.
                let duplicates = PARTS.iter().zip(&self.parts).filter(|(p, _)| names(p));
                for (_, both) in duplicates {
                    found.extend(both.1.iter().cloned());
                }
            }
        }
        found
    }

    /// How long finding them took.
    pub(super) fn took(&self) -> Duration {
        self.took
    }
}

#[cfg(test)]
#[path = "parts_tests.rs"]
mod tests;
