//! Tests of the analysis after an edit, continued: edits that split a class or change a peering
//! of an endpoint's own VNet, and how much of the summary and the cells they redo. The helpers
//! are the parent module's.

use super::*;

#[test]
fn an_edit_that_splits_a_class_and_changes_a_transit_read_counts_every_pair_once() {
    // A class split rebuilds the cells and corrects the previous summary: it takes back the
    // classes that changed and the cells it re-walks. Flipping the hub link as well re-walks
    // cells between classes that kept their members (they cross it), whose previous outcome
    // must be taken back once; `after` checks the summary against a fresh analysis.
    let d = design();
    let mut edited = d.clone();
    crate::engine::footprint::flip_hub_link(&mut edited);
    let vm = edited
        .vms
        .iter()
        .find(|vm| vm.name == "spoke1-vm1-1")
        .expect("the generator names VMs so");
    let ip = vm.nics[0].ip;
    // A route for that one VM's address in another spoke's table sets it apart from the rest
    // of its subnet's class.
    let table = edited
        .route_tables
        .iter_mut()
        .find(|t| t.name == "rt-spoke2")
        .expect("the generator names tables so");
    table.routes.push(crate::model::Route {
        name: "one-vm".to_string(),
        prefix: ipnet::Ipv4Net::new(ip, 32).expect("a /32"),
        next_hop: crate::model::NextHop::None,
    });
    let before = Tracer::new(&d);
    let old = recorded(&before);
    let (_, analysis, how) = next_analysis(&before, &old, &edited);
    assert_eq!(analysis.classes(), old.classes() + 1, "one class split");
    let Reuse::Cells { walked, cells } = how else {
        panic!("a split reuses cells: {how:?}");
    };
    assert!(walked > 0 && walked < cells, "{walked} of {cells}");
    assert_ne!(analysis.summary(), old.summary());
}

/// The design edited by a route, in `rt-spoke2`, that drops one VM of spoke1: that VM leaves
/// its subnet's class (a split), and spoke2's pairs to it flip.
fn one_vm_dropped_by_spoke2(d: &Design) -> Design {
    let mut edited = d.clone();
    let ip = edited
        .vms
        .iter()
        .find(|vm| vm.name == "spoke1-vm1-1")
        .expect("the generator names VMs so")
        .nics[0]
        .ip;
    edited
        .route_tables
        .iter_mut()
        .find(|t| t.name == "rt-spoke2")
        .expect("the generator names tables so")
        .routes
        .push(crate::model::Route {
            name: "drop-one-vm".to_string(),
            prefix: ipnet::Ipv4Net::new(ip, 32).expect("a /32"),
            next_hop: crate::model::NextHop::None,
        });
    edited
}

#[test]
fn the_delta_after_a_split_reads_the_carried_cells_and_equals_the_delta_of_fresh_analyses() {
    // A split renumbers the classes: the delta reads the re-walked cells and the rows and
    // columns of the classes not carried, and must name the pairs a delta of two fresh
    // analyses names, with the same counts. Enough spokes that the re-walked cells are few
    // enough to be kept (an eighth of the cells at most).
    let d = crate::model::generate::hub_spoke(&crate::model::generate::HubSpokeParams {
        hubs: 2,
        spokes: 40,
        subnets_per_spoke: 2,
        vms_per_subnet: 2,
    })
    .expect("valid counts");
    let before = Tracer::new(&d);
    let old = recorded(&before);
    let (next, split) = carried_delta_equals_fresh(&before, &old, &one_vm_dropped_by_spoke2(&d));
    assert_eq!(split.classes(), old.classes() + 1, "one class split");
    // Undoing the route merges the two classes back: two combinations (class before, class
    // after) then share one class after, so the delta must read both, not the re-walked cells
    // of one.
    let (_, merged) = carried_delta_equals_fresh(&next, &split, &d);
    assert_eq!(merged.classes(), old.classes(), "the classes merged");
}

/// Analyses `edited` after `old` (whose analysis is `before`), checks that the classes
/// changed and cells were carried, and that the delta from `before` names the pairs, with the
/// counts, that a delta of two fresh analyses names (some pairs flip); returns the new
/// compile and analysis.
fn carried_delta_equals_fresh(
    old: &Tracer,
    before: &Analysis,
    edited: &Design,
) -> (Tracer, Analysis) {
    let (next, after, how) = next_analysis(old, before, edited);
    assert!(matches!(how, Reuse::Cells { .. }), "{how:?}");
    let rewalked = after
        .rewalked_since(before)
        .expect("made from the analysis before");
    assert!(rewalked.carried.is_some(), "the classes changed");
    let shared = crate::engine::delta(before, &after);
    let fresh = crate::engine::delta(
        &old.analyze(Flow::DEFAULT, EngineKind::Fast),
        &next.analyze(Flow::DEFAULT, EngineKind::Fast),
    );
    assert!(!fresh.is_empty());
    assert_eq!(shared, fresh);
    assert_eq!(
        (shared.reachable_count(), shared.blocked_count()),
        (fresh.reachable_count(), fresh.blocked_count())
    );
    (next, after)
}

#[test]
fn a_spoke_peering_flag_walks_only_the_spokes_cells_and_hub_hints_that_scanned_it() {
    // Access off changes the spoke's own `VirtualNetwork` tag (the hub's space leaves it) and
    // the peering, nothing of the hub's contexts or NSGs, so only cells that may read that
    // peering walk: the spoke's rows and columns, and cells between a hub and a site or
    // point-to-site client whose dead end was explained by scanning a hub's peerings (the
    // scan reads each peering it passes). Before, three more kinds of cell walked:
    // - the hub's cells that leave the hub's side: they read a peering of the hub to a third
    //   VNet, the other hub, not this spoke (footprints now keep which VNet it leads to);
    // - every cell of a site or client whose hint scanned any VNet's peerings (a scan counted
    //   as a read of every peering);
    // - before the peerings of a cell's own VNets were told apart from the rest of those
    //   VNets, every cell of the hub.
    let d = design();
    let mut edited = d.clone();
    let p = edited.peerings.last_mut().expect("peerings");
    p.allow_virtual_network_access = !p.allow_virtual_network_access;
    let (spoke, hub) = if p.local.starts_with("spoke") {
        (p.local.clone(), p.remote.clone())
    } else {
        (p.remote.clone(), p.local.clone())
    };
    assert!(
        spoke.starts_with("spoke") && hub.starts_with("hub"),
        "{spoke} {hub}"
    );
    let (analysis, how) = after(&d, &edited);
    let Reuse::Cells { walked, cells } = how else {
        panic!("a spoke's flag reuses cells: {how:?}");
    };
    let tracer = Tracer::new(&edited);
    let classes = Classes::of(&tracer.c, &tracer.spots);
    let home = |a: ClassIx| analysis.endpoints()[classes.members[a][0]].vnet.clone();
    let homes: Vec<Option<String>> = classes.members.keys().map(home).collect();
    let on_hub_side = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|v| v == hub || edited.peering_between(&hub, v).is_some())
    };
    let is = |v: &Option<String>, name: &str| v.as_deref() == Some(name);
    let in_a_hub = |v: &Option<String>| v.as_deref().is_some_and(|v| v.starts_with("hub"));
    let (mut may_walk, mut walked_before, mut leaving_hub, mut outside_cells) = (0, 0, 0, 0);
    for a in &homes {
        for b in &homes {
            let (spoke_cell, hub_cell) =
                (is(a, &spoke) || is(b, &spoke), is(a, &hub) || is(b, &hub));
            let outside = a.is_none() || b.is_none();
            let hub_to_outside = (in_a_hub(a) && b.is_none()) || (a.is_none() && in_a_hub(b));
            walked_before += usize::from(spoke_cell || hub_cell || outside);
            let leaves_hub = (is(a, &hub) && !on_hub_side(b)) || (is(b, &hub) && !on_hub_side(a));
            may_walk += usize::from(spoke_cell || hub_to_outside);
            leaving_hub += usize::from(leaves_hub && !spoke_cell && !outside);
            outside_cells += usize::from(outside && !spoke_cell && !hub_to_outside);
        }
    }
    assert!(
        leaving_hub > 0,
        "the design has hub cells that leave the hub's side"
    );
    assert!(outside_cells > 0, "the design has spokes' cells with sites");
    assert!(
        walked > 0 && walked <= may_walk && may_walk + leaving_hub + outside_cells < walked_before,
        "{walked} of {cells}: at most {may_walk}, {walked_before} before"
    );
}

#[test]
fn access_off_on_a_peering_between_two_vnets_walks_the_cells_between_them() {
    // VNet `a` sends everything but its peer's space to an appliance (a 0/0 UDR), so under the
    // default assumptions its `VirtualNetwork` tag is every address, and turning access off on
    // `a-to-b` changes neither VNet's contexts, tags or NSGs: only the peering. A walk from `a`
    // to `b` crosses it, a read of a peering between the cell's own two VNets, which the
    // footprint does not keep (nor marks as a peering to a third VNet). Only the rule that a
    // changed peering joining a cell's two VNets walks that cell finds it: without it the
    // cell kept its old "reachable".
    let mut d = Design::example_pair();
    assert!(d.assumptions.vnet_tag_widens_with_default_route);
    d.peerings
        .push(crate::model::Peering::new("a-to-b", "a", "b"));
    d.peerings
        .push(crate::model::Peering::new("b-to-a", "b", "a"));
    let mut table = crate::model::RouteTable::new("rt-a");
    table.routes.push(crate::model::Route {
        name: "all-to-appliance".to_string(),
        prefix: "0.0.0.0/0".parse().expect("a prefix"),
        next_hop: crate::model::NextHop::VirtualAppliance("10.1.1.100".parse().expect("an IP")),
    });
    d.route_tables.push(table);
    d.vnets[0].subnets[0].route_table = Some("rt-a".to_string());
    assert!(d.validate().is_empty(), "{:?}", d.validate());
    let mut edited = d.clone();
    edited.peerings[0].allow_virtual_network_access = false;
    let before = Tracer::new(&d);
    let old = recorded(&before);
    assert_eq!(old.summary().blocked, 0, "a and b reach each other before");
    // `next_analysis` checks verdicts and codes against a fresh analysis.
    let (_, analysis, how) = next_analysis(&before, &old, &edited);
    assert!(
        analysis.summary().blocked > 0,
        "access off blocks a → b: {:?}",
        analysis.summary()
    );
    let Reuse::Cells { walked, .. } = how else {
        panic!("a peering flag reuses cells: {how:?}");
    };
    assert!(walked > 0);
}

#[test]
fn carried_cells_copy_each_kept_pair_and_leave_the_rest_to_the_walk() {
    // Three previous classes; the new ones: class 1 split in two (new 1 and 2, neither kept),
    // and the others shifted by one, so the kept columns are runs 0..1 and 3..4 of the
    // previous 0 and 2.
    let m = 3;
    let old: Vec<u32> = (0..9).map(|k| 10 + k).collect();
    let grid = Grid::from_row_major(m, &old);
    let kept = [Some(0), None, None, Some(2)];
    let cells = carried_cells(&grid, &kept);
    let n = kept.len();
    assert_eq!(cells.side(), n);
    for a in 0..n {
        for b in 0..n {
            let expected = match (kept[a], kept[b]) {
                (Some(x), Some(y)) => old[x * m + y],
                _ => 0,
            };
            assert_eq!(cells.get(a, b), expected, "cell ({a}, {b})");
        }
    }
    // Consecutive previous classes in one run, and an empty matrix.
    let cells = carried_cells(&grid, &[Some(1), Some(2)]);
    assert_eq!(cells.iter().collect::<Vec<_>>(), vec![14, 15, 17, 18]);
    assert_eq!(carried_cells(&Grid::from_row_major(0, &[]), &[]).len(), 0);
}

/// An edit that splits one class numbers the classes so that the others keep theirs
/// (`Classes::numbered_like`): the new analysis shares with the previous one every tile of
/// footprints and outcomes but those of the split class's row and column and of the re-walked
/// sources' rows, where numbering the classes afresh shifted every class after the split one
/// and copied every cell.
#[test]
fn an_edit_that_splits_a_class_shares_the_tiles_of_the_other_classes() {
    let d = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 120,
        subnets_per_spoke: 2,
        vms_per_subnet: 2,
    })
    .expect("valid counts");
    let edited = one_vm_dropped_by_spoke2(&d);
    let old = Tracer::new(&d);
    let before = recorded(&old);
    let (_, incremental, how) = next_analysis(&old, &before, &edited);
    assert_eq!(
        incremental.classes(),
        before.classes() + 1,
        "one class split"
    );
    assert!(matches!(how, Reuse::Cells { .. }), "{how:?}");
    let footprints = (
        &before.footprints().expect("recorded").cells,
        &incremental.footprints().expect("recorded").cells,
    );
    let outcomes = (before.cell_outcomes().0, incremental.cell_outcomes().0);
    // Tiles per side of the previous grids.
    let side = before.classes().div_ceil(crate::engine::grid::SIDE);
    assert!(side >= 4, "{} classes", before.classes());
    for (was, is) in [footprints, outcomes] {
        // Of the previous tiles, only the split class's row and column of tiles and the row of
        // the re-walked sources (spoke 2's) are copied: numbering afresh copied all of them.
        assert!(
            is.shared_tiles(was) + 3 * side >= side * side,
            "{} of {} tiles shared",
            is.shared_tiles(was),
            side * side
        );
    }
}
