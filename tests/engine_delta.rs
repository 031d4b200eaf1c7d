//! The delta the session reports after an edit is exactly the set of pairs whose verdict
//! differs between the two analyses, matched by name: checked pair by pair against both
//! analyses on every bundled design under edits that flip many pairs, remove endpoints and
//! rename them; and it stays small and quick on a 2,000-endpoint design where one edit flips
//! more than a million pairs.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeSet;
use std::path::Path;
use vnetlab::engine::{Analysis, EngineKind, Verdict, analyze, delta};
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::model::{Design, Flow};

type Pairs = BTreeSet<(String, String)>;

/// Every pair present in both analyses whose verdict changed to `now`, by brute force.
fn flipped_by_hand(before: &Analysis, after: &Analysis, now: Verdict) -> Pairs {
    let names = after.endpoints();
    let mut flipped = Pairs::new();
    for (a, from) in names.iter().enumerate() {
        for (b, to) in names.iter().enumerate() {
            if a == b {
                continue;
            }
            let (Some(old_a), Some(old_b)) =
                (before.index_of(&from.name), before.index_of(&to.name))
            else {
                continue;
            };
            if before.verdict(old_a, old_b) != now && after.verdict(a, b) == now {
                flipped.insert((from.name.clone(), to.name.clone()));
            }
        }
    }
    flipped
}

fn check(before: &Design, after: &Design) {
    let (old, new) = (
        analyze(before, Flow::DEFAULT, EngineKind::Fast),
        analyze(after, Flow::DEFAULT, EngineKind::Fast),
    );
    let d = delta(&old, &new);
    for (now, listed, count) in [
        (
            Verdict::Reachable,
            d.became_reachable().collect::<Vec<_>>(),
            d.reachable_count(),
        ),
        (
            Verdict::Blocked,
            d.became_blocked().collect(),
            d.blocked_count(),
        ),
    ] {
        let expected = flipped_by_hand(&old, &new, now);
        let got: Pairs = listed
            .iter()
            .map(|&(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, expected, "became {now:?}");
        assert_eq!(listed.len(), count, "count of became {now:?}");
        for (from, to) in &expected {
            let (a, b) = (
                new.index_of(from).expect("listed"),
                new.index_of(to).expect("listed"),
            );
            assert_eq!(d.flipped(a, b), Some(now), "{from} → {to}");
        }
    }
    assert_eq!(d.is_empty(), d.reachable_count() + d.blocked_count() == 0);
}

/// Designs derived from `d` by edits that flip pairs, drop endpoints and rename them.
fn variants(d: &Design) -> Vec<Design> {
    let mut out = Vec::new();
    for i in 0..d.peerings.len() {
        let mut removed = d.clone();
        removed.peerings.remove(i);
        out.push(removed);
        let mut flagged = d.clone();
        flagged.peerings[i].allow_forwarded_traffic ^= true;
        flagged.peerings[i].allow_virtual_network_access ^= true;
        out.push(flagged);
    }
    if !d.vms.is_empty() {
        let mut fewer = d.clone();
        fewer.vms.remove(0);
        out.push(fewer);
        let mut renamed = d.clone();
        renamed.vms[0].name.push_str("-renamed");
        out.push(renamed);
    }
    out
}

#[test]
fn delta_lists_exactly_the_pairs_that_flipped_on_every_bundled_design() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves");
    let mut designs = vec![vnetlab::io::examples::default_design()];
    for entry in std::fs::read_dir(&dir).expect("saves directory") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|e| e == "ron") {
            designs.push(vnetlab::io::load_design(&path).expect("bundled save"));
        }
    }
    let mut edits = 0;
    for design in &designs {
        for variant in variants(design) {
            check(design, &variant);
            check(&variant, design);
            edits += 2;
        }
    }
    assert!(edits > 50, "only {edits} edits checked");
}

#[test]
fn a_million_flips_are_counted_without_listing_them() {
    let params = HubSpokeParams {
        hubs: 2,
        spokes: 200,
        subnets_per_spoke: 2,
        vms_per_subnet: 5,
    };
    let design = hub_spoke(&params).expect("generated design");
    let mut edited = design.clone();
    edited.peerings[0].allow_forwarded_traffic ^= true;
    let (old, new) = (
        analyze(&design, Flow::DEFAULT, EngineKind::Fast),
        analyze(&edited, Flow::DEFAULT, EngineKind::Fast),
    );
    let d = delta(&old, &new);
    let flips = d.reachable_count() + d.blocked_count();
    assert!(flips > 1_000_000, "the hub-to-hub edit flips {flips} pairs");
    // Spot-check rows across the design against the analyses, pair by pair.
    let n = new.endpoints().len();
    let mut checked_flips = 0;
    for a in (0..n).step_by(97) {
        for b in (0..n).filter(|&b| b != a) {
            let expected = (old.verdict(a, b) != new.verdict(a, b)).then(|| new.verdict(a, b));
            assert_eq!(d.flipped(a, b), expected, "{a} → {b}");
            checked_flips += usize::from(expected.is_some());
        }
    }
    assert!(
        checked_flips > 1_000,
        "only {checked_flips} flips spot-checked"
    );
}
