//! Findings kept from an earlier revision equal findings made afresh, whatever list an edit
//! changes: the parts' declared reads are complete.

use super::*;
use crate::model::generate::{HubSpokeParams, hub_spoke, hub_spoke_tiered};
use crate::model::{Assumptions, GovGlobalPeering};

/// The designs the kept findings are checked on: every example, and generated ones.
fn designs() -> Vec<(String, Design)> {
    let mut out = Vec::new();
    let files = std::fs::read_dir("saves")
        .expect("the saves folder")
        .chain(std::fs::read_dir("assets/designs").expect("the embedded designs"));
    for entry in files {
        let path = entry.expect("a directory entry").path();
        let design = crate::io::files::load_design(&path).expect("an example loads");
        out.push((path.display().to_string(), design));
    }
    let params = HubSpokeParams {
        hubs: 2,
        spokes: 6,
        subnets_per_spoke: 2,
        vms_per_subnet: 2,
    };
    out.push((
        "hub-spoke".into(),
        hub_spoke(&params).expect("valid counts"),
    ));
    let tiered = hub_spoke_tiered(&params).expect("valid counts");
    out.push(("tiered".into(), tiered));
    out.push(("cross-list".into(), cross_list()));
    out
}

/// A design whose findings in one area depend on lists other areas own: an NSG only NICs use
/// (VMs decide it is used), a route table on a `GatewaySubnet` (the gateway rules read the
/// table's routes), a gateway's client pool inside a VNet its hub peers with (the pool rules
/// read the peerings).
fn cross_list() -> Design {
    let params = HubSpokeParams {
        hubs: 1,
        spokes: 2,
        subnets_per_spoke: 1,
        vms_per_subnet: 1,
    };
    let mut design = hub_spoke(&params).expect("valid counts");
    design.nsgs.push(crate::model::Nsg::new("nic-only"));
    design.vms[0].nics[0].nsg = Some("nic-only".into());
    let table = design.route_tables[0].name.clone();
    let gateway_subnet = design
        .vnets
        .iter_mut()
        .flat_map(|v| v.subnets.iter_mut())
        .find(|s| s.name == "GatewaySubnet")
        .expect("the hub has a GatewaySubnet");
    gateway_subnet.route_table = Some(table);
    let hub = design.gateways[0].vnet.clone();
    let peer = design
        .peerings
        .iter()
        .find(|p| p.local == hub)
        .map(|p| p.remote.clone())
        .expect("the hub peers with a spoke");
    let behind = design
        .vnets
        .iter()
        .find(|v| v.name == peer)
        .map(|v| v.address_space[0])
        .expect("the spoke has a range");
    design.gateways[0].client_pool = vec![behind];
    design
}

/// Applies `change` to one list of `design`: `0` empties it, `1` drops its first item, `2`
/// repeats its first item (a duplicate name), `3` reverses it, `4` changes what its items
/// say (VMs: every NIC forwards and uses the first NSG; route tables: every table sends the
/// default route to an address no NIC has; otherwise as `3`).
fn change(design: &mut Design, list: List, how: usize) {
    if how == 4 && list == List::Vms {
        let nsg = design.nsgs.first().map(|n| n.name.clone());
        for nic in design.vms.iter_mut().flat_map(|vm| vm.nics.iter_mut()) {
            nic.ip_forwarding = true;
            nic.nsg.clone_from(&nsg);
        }
        return;
    }
    if how == 4 && list == List::RouteTables {
        for table in &mut design.route_tables {
            table.routes.push(crate::model::Route {
                name: "default-to-nowhere".into(),
                prefix: "0.0.0.0/0".parse().expect("a CIDR"),
                next_hop: crate::model::NextHop::VirtualAppliance([10, 255, 255, 254].into()),
            });
        }
        return;
    }
    fn on<T: Clone>(items: &mut SharedVec<T>, how: usize) {
        match how {
            0 => items.clear(),
            1 if !items.is_empty() => {
                items.remove(0);
            }
            2 => {
                if let Some(first) = items.first().cloned() {
                    items.push(first);
                }
            }
            _ => items.reverse(),
        }
    }
    match list {
        List::Vnets => on(&mut design.vnets, how),
        List::Vms => on(&mut design.vms, how),
        List::Peerings => on(&mut design.peerings, how),
        List::Nsgs => on(&mut design.nsgs, how),
        List::Asgs => on(&mut design.asgs, how),
        List::RouteTables => on(&mut design.route_tables, how),
        List::Gateways => on(&mut design.gateways, how),
        List::Sites => on(&mut design.sites, how),
        List::Connections => on(&mut design.connections, how),
        List::RouteServers => on(&mut design.route_servers, how),
        List::NetworkGroups => on(&mut design.network_groups, how),
        List::Connectivity => on(&mut design.connectivity, how),
        List::Subscriptions => on(&mut design.subscriptions, how),
        List::Intents => on(&mut design.intents, how),
        List::Assumptions => {
            design.assumptions = Assumptions {
                gov_global_peering: GovGlobalPeering::Allowed,
                gateway_hops_exempt_from_forwarding_check: how.is_multiple_of(2),
                ..Assumptions::default()
            }
        }
    }
}

/// Every part of every design, after each kind of change of each list (and of the NSGs of a
/// subnet, which changes the VNets), finds with the previous findings what it finds afresh;
/// and at least one kept part differs from the one found before the change in some case,
/// so the comparison is not vacuous.
#[test]
fn kept_findings_equal_fresh_ones_after_every_kind_of_change() {
    let mut changed_findings = 0;
    for (name, design) in designs() {
        let before = Findings::after(Arc::new(design.clone()), None, None);
        for list in List::ALL {
            for how in 0..5 {
                let mut edited = design.clone();
                change(&mut edited, list, how);
                let edited = Arc::new(edited);
                let kept = Findings::after(Arc::clone(&edited), None, Some(&before));
                let fresh = Findings::after(edited, None, None);
                assert_eq!(
                    kept.diagnostics(),
                    fresh.diagnostics(),
                    "{name}: change {how} of {list:?}"
                );
                if fresh.diagnostics() != before.diagnostics() {
                    changed_findings += 1;
                }
            }
        }
    }
    assert!(changed_findings > 50, "the changes change findings");
}

/// Which parts an edit of `design` keeps (the very findings of the revision before, shared,
/// not found again), in [`PARTS`] order.
fn kept_parts(design: Design, edit: impl FnOnce(&mut Design)) -> Vec<bool> {
    let before = Findings::after(Arc::new(design.clone()), None, None);
    let mut edited = design;
    edit(&mut edited);
    let after = Findings::after(Arc::new(edited), None, Some(&before));
    before
        .parts
        .iter()
        .zip(&after.parts)
        .map(|(was, now)| Arc::ptr_eq(was, now))
        .collect()
}

/// A hub with three spokes of one subnet each.
fn three_spokes(vms_per_subnet: usize) -> HubSpokeParams {
    HubSpokeParams {
        hubs: 1,
        spokes: 3,
        subnets_per_spoke: 1,
        vms_per_subnet,
    }
}

/// An NSG edit runs again only the parts that read the NSGs.
#[test]
fn an_nsg_edit_keeps_the_parts_that_do_not_read_nsgs() {
    let design = hub_spoke_tiered(&three_spokes(1)).expect("valid counts");
    let kept = kept_parts(design, |d| d.nsgs[0].rules.clear());
    for (part, kept) in PARTS.iter().zip(kept) {
        assert_eq!(kept, !part.reads().contains(List::Nsgs), "{part:?}");
    }
}

/// A peering's flag runs again only the parts that read the peerings: of the addressing
/// rules, the gateways' ranges (a peered VNet is behind the gateway), not the VNets' ranges or
/// the NICs' addresses, which no peering changes.
#[test]
fn a_peering_flag_keeps_the_parts_that_do_not_read_peerings() {
    let design = hub_spoke(&three_spokes(2)).expect("valid counts");
    let kept = kept_parts(design, |d| {
        d.peerings[0].allow_forwarded_traffic = !d.peerings[0].allow_forwarded_traffic;
    });
    for (part, &kept) in PARTS.iter().zip(&kept) {
        assert_eq!(kept, !part.reads().contains(List::Peerings), "{part:?}");
    }
    let kept_part = |part: Part| PARTS.iter().zip(&kept).any(|(p, &k)| *p == part && k);
    assert!(kept_part(Part::AddressRanges) && kept_part(Part::NicAddresses));
    assert!(!kept_part(Part::GatewayRanges));
}
