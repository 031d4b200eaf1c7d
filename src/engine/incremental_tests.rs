//! Tests of the analysis after an edit: which cells each kind of edit re-walks, and that the
//! result always equals a fresh analysis.

use super::*;
use crate::engine::footprint::Homes;
use crate::engine::{EngineKind, Tracer};
use crate::model::generate::{HubSpokeParams, hub_spoke};
use crate::model::{ConnectionRemote, Design};

fn design() -> Design {
    hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 16,
        subnets_per_spoke: 2,
        vms_per_subnet: 2,
    })
    .expect("valid counts")
}

fn same(a: &Analysis, b: &Analysis) {
    let n = a.endpoints().len();
    assert_eq!(n, b.endpoints().len());
    assert_eq!(a.summary(), b.summary());
    for x in 0..n {
        for y in 0..n {
            assert_eq!(a.reasons(x, y), b.reasons(x, y), "pair {x} → {y}");
        }
    }
}

/// The analysis of `tracer` with footprints, as the first edit of a session makes it.
fn recorded(tracer: &Tracer) -> Analysis {
    let plain = tracer.analyze(Flow::DEFAULT, EngineKind::Fast);
    assert!(
        plain.footprints().is_none(),
        "a one-shot analysis keeps no footprints"
    );
    let (analysis, how) = tracer.analyze_after(Flow::DEFAULT, tracer, &plain);
    assert_eq!(how, Reuse::Full);
    analysis
}

fn after(before: &Design, edited: &Design) -> (Analysis, Reuse) {
    let old = Tracer::new(before);
    let (_, incremental, how) = next_analysis(&old, &recorded(&old), edited);
    (incremental, how)
}

/// The analysis of `edited` made from `old`'s `analysis`, as a session makes it after an edit
/// (compiled keeping what `old` has that the edit did not change, `Tracer::after`), checked
/// against a fresh one (verdicts, codes and every cell's footprint); with the compiled
/// `edited`, for the next step.
fn next_analysis(old: &Tracer, analysis: &Analysis, edited: &Design) -> (Tracer, Analysis, Reuse) {
    let design = std::sync::Arc::new(edited.clone());
    let facts = std::sync::Arc::new(crate::model::PeeringIndex::new(&design));
    let new = Tracer::after(design, facts, Some(old));
    let (incremental, how) = new.analyze_after(Flow::DEFAULT, old, analysis);
    // Fresh: compiled from nothing, so a wrongly kept part of the compile shows.
    let fresh = Tracer::new(edited);
    same(
        &incremental,
        &fresh.analyze(Flow::DEFAULT, EngineKind::Fast),
    );
    same_footprints(&incremental, &recorded(&fresh));
    (new, incremental, how)
}

/// Every cell's footprint is what a fresh walk records: the next edit decides from them which
/// cells to reuse, so a stale one (a re-walked cell that kept its old reads) would let a later
/// edit reuse a cell it changed.
fn same_footprints(incremental: &Analysis, fresh: &Analysis) {
    let (x, y) = (
        incremental.footprints().expect("recorded"),
        fresh.footprints().expect("recorded"),
    );
    let n = fresh.classes();
    assert_eq!(x.cells.side(), n);
    // The classes are the same but may be numbered otherwise (`Classes::numbered_like`): each
    // class's number in the fresh analysis, from its first member.
    let mut fresh_class = vec![None; n];
    for (&k, &fresh_k) in incremental.class_of().iter().zip(fresh.class_of()) {
        fresh_class[usize::from(k)].get_or_insert(usize::from(fresh_k));
    }
    let fresh_class: Vec<usize> = fresh_class
        .into_iter()
        .map(|k| k.expect("every class has a member"))
        .collect();
    for a in 0..n {
        for b in 0..n {
            assert_eq!(
                x.sets.get(x.cells.get(a, b)),
                y.sets.get(y.cells.get(fresh_class[a], fresh_class[b])),
                "footprint of class cell ({a}, {b})"
            );
        }
    }
}

/// Which NSG with rules [`first_rule_flipped`] edits.
enum Which {
    First,
    Last,
}

/// `d` with one NSG rule's access flipped (allow ↔ deny): the first rule of the first (or the
/// last) NSG that has rules.
fn first_rule_flipped(d: &Design, which: Which) -> Design {
    let mut edited = d.clone();
    let with_rules = |n: &crate::model::Nsg| !n.rules.is_empty();
    let at = match which {
        Which::First => edited.nsgs.iter().position(with_rules),
        Which::Last => edited.nsgs.iter().rposition(with_rules),
    }
    .expect("the generator writes NSG rules");
    let rule = &mut edited.nsgs[at].rules[0];
    rule.access = rule.access.flipped();
    edited
}

#[test]
fn an_unchanged_design_walks_no_cell() {
    let d = design();
    let (_, how) = after(&d, &d);
    assert!(matches!(how, Reuse::Cells { walked: 0, .. }), "{how:?}");
}

#[test]
fn an_nsg_rule_of_one_subnet_walks_only_cells_that_read_its_nsg() {
    let d = design();
    let edited = first_rule_flipped(&d, Which::First);
    let (_, how) = after(&d, &edited);
    let Reuse::Cells { walked, cells } = how else {
        panic!("an NSG rule reuses cells: {how:?}");
    };
    assert!(walked > 0 && walked < cells, "{walked} of {cells}");
}

/// The new analysis's footprints and outcome ids share the tiles the walk did not rewrite with
/// the previous analysis's (`grid`): an NSG rule of one spoke subnet rewrites at most that
/// class's row and column of tiles.
#[test]
fn an_edit_shares_the_footprint_and_outcome_tiles_it_did_not_rewrite() {
    let d = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 120,
        subnets_per_spoke: 2,
        vms_per_subnet: 1,
    })
    .expect("valid counts");
    let edited = first_rule_flipped(&d, Which::Last);
    let old = Tracer::new(&d);
    let before = recorded(&old);
    let (_, incremental, how) = next_analysis(&old, &before, &edited);
    assert!(
        matches!(how, Reuse::Cells { walked, .. } if walked > 0),
        "{how:?}"
    );
    let (was, is) = (
        &before.footprints().expect("recorded").cells,
        &incremental.footprints().expect("recorded").cells,
    );
    let (was_outcomes, is_outcomes) = (before.cell_outcomes().0, incremental.cell_outcomes().0);
    let side = was.side().div_ceil(32);
    assert!(side >= 4, "{} classes", was.side());
    // One row and one column of tiles at most are rewritten.
    for (was, is) in [(was, is), (was_outcomes, is_outcomes)] {
        assert!(
            is.shared_tiles(was) >= is.tiles() - (2 * side - 1),
            "{} of {} tiles shared",
            is.shared_tiles(was),
            is.tiles()
        );
    }
}

#[test]
fn a_flag_on_a_spokes_peering_reuses_what_does_not_cross_it() {
    let d = design();
    let mut edited = d.clone();
    // The generator lists the hubs' peerings first: the last one is a spoke's.
    let p = edited.peerings.last_mut().expect("peerings");
    p.allow_forwarded_traffic = !p.allow_forwarded_traffic;
    let (_, how) = after(&d, &edited);
    assert!(matches!(how, Reuse::Cells { .. }), "{how:?}");
}

#[test]
fn every_kind_of_bench_edit_reuses_cells_and_agrees() {
    let d = design();
    for kind in crate::bench::EditKind::ALL {
        let edit = kind
            .edit(&d, 0)
            .expect("a hub-and-spoke design has every kind");
        let mut edited = d.clone();
        edit.apply(&mut edited).expect("the bench's edits apply");
        let (_, how) = after(&d, &edited);
        if kind == crate::bench::EditKind::HubPeeringFlag {
            // Most cells cross the hubs: walked in full, and still equal.
            continue;
        }
        let Reuse::Cells { walked, cells } = how else {
            panic!("{kind:?} walked every cell");
        };
        assert!(
            walked > 0 && walked < cells,
            "{kind:?}: {walked} of {cells}"
        );
    }
}

#[test]
fn a_renamed_vm_walks_everything_and_still_agrees() {
    let d = design();
    let mut edited = d.clone();
    edited.vms[0].name.push_str("-renamed");
    let (_, how) = after(&d, &edited);
    assert_eq!(how, Reuse::Full);
}

#[test]
fn compacting_keeps_every_cells_footprint_and_drops_unused_sets() {
    let d = design();
    let analysis = recorded(&Tracer::new(&d));
    let mut reads = analysis.footprints().expect("recorded").clone();
    let never_read = crate::engine::ix::CtxIx::from(1_000_000);
    let mut extra = vec![crate::engine::footprint::Read::context(never_read)];
    reads.sets.intern(&mut extra);
    let compacted = compact(&reads);
    assert_eq!(compacted.sets.len(), reads.sets.len() - 1);
    for (a, b) in reads.cells.iter().zip(compacted.cells.iter()) {
        assert_eq!(reads.sets.get(a), compacted.sets.get(b));
    }
}

#[test]
fn a_spoke_nsg_rule_walks_only_cells_with_an_endpoint_in_that_spoke() {
    let d = design();
    let mut edited = d.clone();
    // The last NSG guards a subnet of the last spoke.
    let nsg = edited.nsgs.last_mut().expect("the generator writes NSGs");
    let name = nsg.name.clone();
    let rule = nsg.rules.first_mut().expect("with rules");
    rule.access = rule.access.flipped();
    let spoke = d
        .vnets
        .iter()
        .position(|v| {
            v.subnets
                .iter()
                .any(|s| s.nsg.as_deref() == Some(name.as_str()))
        })
        .expect("the NSG is associated with a subnet");
    let (_, how) = after(&d, &edited);
    let Reuse::Cells { walked, cells } = how else {
        panic!("a spoke's NSG rule reuses cells: {how:?}");
    };
    // The cells with an endpoint in the spoke: its classes' rows and columns.
    let tracer = Tracer::new(&edited);
    let classes = Classes::of(&tracer.c, &tracer.spots);
    let homes = Homes::of(&tracer.c, &tracer.spots, &classes.members);
    let n = classes.members.len();
    let inside = classes
        .members
        .keys()
        .filter(|&a| homes.get(a).map(usize::from) == Some(spoke))
        .count();
    assert!(inside > 0, "the spoke has endpoints");
    let expected = n * n - (n - inside) * (n - inside);
    assert_eq!(walked, expected, "{walked} of {cells}");
}

#[test]
fn a_hub_route_to_one_spoke_walks_the_cells_to_and_from_that_spoke_only() {
    use crate::model::{NextHop, Route};
    let d = design();
    let mut edited = d.clone();
    // A user route in the hub's appliance subnet drops what it forwards to one spoke: the
    // hub is no endpoint's VNet for spoke-to-spoke cells, so only the changed prefix tells
    // which of them the edit reaches.
    let target = edited
        .vnets
        .iter()
        .find(|v| v.name.starts_with("spoke"))
        .expect("spokes")
        .address_space[0];
    let table = edited
        .route_tables
        .iter_mut()
        .find(|t| t.name == "rt-hub1-nva")
        .expect("the generator writes a table per hub appliance subnet");
    table.routes.push(Route {
        name: "drop-one-spoke".to_string(),
        prefix: target,
        next_hop: NextHop::None,
    });
    // `after` checks that every cell equals a fresh analysis.
    let (analysis, how) = after(&d, &edited);
    assert!(analysis.summary().blocked > 0);
    let Reuse::Cells { walked, cells } = how else {
        panic!("a hub route reuses cells: {how:?}");
    };
    assert!(walked > 0 && walked * 3 < cells, "{walked} of {cells}");
}

#[test]
fn a_hub_to_hub_flag_walks_only_cells_in_a_hub_or_across_the_hubs() {
    let d = design();
    let mut edited = d.clone();
    // The flag changes hub1's `VirtualNetwork` tag (hub2's space leaves it), its contexts and
    // the programs of its NSGs; the cells that cross hub1 between two of its spokes must keep
    // their outcome (`footprint`'s tests check how: the changes are at hub2's space only).
    // `after` checks that the result equals a fresh analysis.
    crate::engine::footprint::flip_hub_link(&mut edited);
    let (analysis, how) = after(&d, &edited);
    assert!(analysis.summary().blocked > 0);
    let Reuse::Cells { walked, cells } = how else {
        panic!("a hub-to-hub flag reuses cells: {how:?}");
    };
    // Each class's hub: its own VNet's if it is a hub, a spoke's peered hub, the hub whose
    // gateway serves a site or point-to-site pool. Only cells with an endpoint in a hub (whose
    // VNet changed) or between two hubs' sides (which cross the flipped peering) may walk;
    // before the tag counted per prefix, every cell crossing a hub's contexts did.
    let tracer = Tracer::new(&edited);
    let classes = Classes::of(&tracer.c, &tracer.spots);
    let hub_of_gateway = |gateway: &str| edited.gateway(gateway).map(|g| g.vnet.clone());
    let side = |a: ClassIx| -> (bool, Option<String>) {
        let endpoint = &analysis.endpoints()[classes.members[a][0]];
        match (&endpoint.vnet, &endpoint.attached_to) {
            (Some(vnet), _) if vnet.starts_with("hub") => (true, Some(vnet.clone())),
            (Some(vnet), _) => (
                false,
                ["hub1", "hub2"]
                    .into_iter()
                    .find(|hub| edited.peering_between(hub, vnet).is_some())
                    .map(str::to_string),
            ),
            (None, Some(attached)) => (
                false,
                hub_of_gateway(attached).or_else(|| {
                    edited
                        .connections
                        .iter()
                        .find(|c| matches!(&c.remote, ConnectionRemote::Site(s) if s == attached))
                        .and_then(|c| hub_of_gateway(&c.gateway))
                }),
            ),
            (None, None) => (false, None),
        }
    };
    let sides: Vec<(bool, Option<String>)> = classes.members.keys().map(side).collect();
    assert!(sides.iter().all(|(_, hub)| hub.is_some()), "{sides:?}");
    let may_walk = sides
        .iter()
        .flat_map(|a| sides.iter().map(move |b| (a, b)))
        .filter(|((in_hub_a, a), (in_hub_b, b))| *in_hub_a || *in_hub_b || a != b)
        .count();
    assert!(may_walk * 5 < cells * 4, "{may_walk} of {cells}");
    assert!(
        walked > 0 && walked <= may_walk,
        "{walked} of {cells}, at most {may_walk}"
    );
}

#[test]
fn footprints_keep_only_the_few_transit_paths_not_one_set_per_cell() {
    let d = design();
    let analysis = recorded(&Tracer::new(&d));
    let reads = analysis.footprints().expect("recorded");
    let cells = reads.cells.len();
    assert!(cells > 500, "{cells}");
    // Spoke to spoke through either hub, hub to spoke, to the site...: a handful.
    assert!(
        reads.sets.len() < 32,
        "{} sets for {cells} cells",
        reads.sets.len()
    );
}

#[test]
fn the_reference_engine_keeps_no_footprints() {
    let d = design();
    let old = Tracer::new(&d);
    let reference = old.analyze(Flow::DEFAULT, EngineKind::Reference);
    assert!(reference.footprints().is_none());
    let (_, how) = Tracer::new(&d).analyze_after(Flow::DEFAULT, &old, &reference);
    assert_eq!(how, Reuse::Full);
}

#[test]
fn the_delta_after_an_edit_that_keeps_the_names_equals_the_delta_of_fresh_analyses() {
    let d = design();
    let mut edited = d.clone();
    let spoke = edited.vnets[3].name.clone();
    for link in edited.peerings.iter_mut().filter(|p| p.local == spoke) {
        link.allow_virtual_network_access = false;
    }
    let old = Tracer::new(&d);
    let before = recorded(&old);
    let (new, incremental, how) = next_analysis(&old, &before, &edited);
    assert!(matches!(how, Reuse::Cells { .. }), "{how:?}");
    // The incremental analysis shares the name index, so the delta pairs endpoints by index.
    assert!(incremental.same_names_as(&before));
    assert!(
        incremental.rewalked_since(&before).is_some(),
        "the classes stay"
    );
    let shared = crate::engine::delta(&before, &incremental);
    let fresh = crate::engine::delta(
        &old.analyze(Flow::DEFAULT, EngineKind::Fast),
        &new.analyze(Flow::DEFAULT, EngineKind::Fast),
    );
    assert!(!fresh.is_empty());
    assert_eq!(shared, fresh);
    assert_eq!(
        (shared.reachable_count(), shared.blocked_count()),
        (fresh.reachable_count(), fresh.blocked_count())
    );
}

/// A chain of random edits, each analysed from the one before (as a session does), on a design
/// whose footprint ids span several tiles: after every edit the verdicts, the reason codes and
/// every cell's footprint equal a fresh analysis's.
#[test]
fn a_chain_of_random_edits_keeps_verdicts_and_footprints_fresh() {
    let mut design = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 30,
        subnets_per_spoke: 2,
        vms_per_subnet: 1,
    })
    .expect("valid counts");
    let mut tracer = Tracer::new(&design);
    let mut analysis = recorded(&tracer);
    assert!(analysis.classes() > 32, "{} classes", analysis.classes());
    let mut dice = crate::bench::Dice::new(20_261_130);
    let (mut reused, mut rewalked) = (0, 0);
    for serial in 0..40 {
        let Some(edit) = crate::bench::random_edit(&design, &mut dice, serial) else {
            continue;
        };
        if edit.apply(&mut design).is_err() {
            continue;
        }
        let fresh_before = tracer.analyze(Flow::DEFAULT, EngineKind::Fast);
        let (next, after, how) = next_analysis(&tracer, &analysis, &design);
        reused += usize::from(matches!(how, Reuse::Cells { .. }));
        // The delta from the analysis before reads only the re-walked cells when the classes
        // stayed; it names the pairs a delta of two fresh analyses names.
        rewalked += usize::from(after.rewalked_since(&analysis).is_some());
        let fresh_after = next.analyze(Flow::DEFAULT, EngineKind::Fast);
        assert_eq!(
            crate::engine::delta(&analysis, &after),
            crate::engine::delta(&fresh_before, &fresh_after),
            "edit {serial}"
        );
        (tracer, analysis) = (next, after);
    }
    assert!(reused >= 20, "only {reused} of 40 edits reused cells");
    assert!(
        rewalked >= 10,
        "only {rewalked} of 40 deltas read re-walked cells alone"
    );
}

#[path = "incremental_split_tests.rs"]
mod split;

/// Past 64 classes and 32 columns the cold walk and the re-walk go band by band and block by
/// block (`allpairs::in_blocks`), split across the machine's cores when it has two or more: the
/// order must not change any answer.
#[test]
fn a_hub_edit_past_one_band_and_block_of_cells_agrees_with_a_fresh_analysis() {
    let d = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 120,
        subnets_per_spoke: 1,
        vms_per_subnet: 1,
    })
    .expect("valid counts");
    let edit = crate::bench::EditKind::HubPeeringFlag
        .edit(&d, 0)
        .expect("two hubs are peered");
    let mut edited = d.clone();
    edit.apply(&mut edited).expect("the bench's edits apply");
    let (incremental, how) = after(&d, &edited);
    let n = incremental.classes();
    assert!(n > 64, "{n} classes: two bands of rows, four column blocks");
    // Enough cells to be split across threads (on two or more cores), and not every cell.
    assert!(
        matches!(how, Reuse::Cells { walked, cells } if walked > PARALLEL_CELLS && walked < cells),
        "{how:?}"
    );
}
