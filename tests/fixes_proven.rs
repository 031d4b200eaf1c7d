//! One proven fix per root cause (issue 11 item 6): every fix `vnetlab trace` offers in the
//! bundled designs clears its blocker and breaks no intent that held (checked independently by
//! `scenarios::proof`); the matrix, the diagnostics and the intent name the same edit for the
//! start-up design's one mistake (ux-audit row 7); a reverse peering on an NVA path mirrors
//! allowed forwarded traffic (code review H2); a fix whose first edit leaves a blocker on the
//! link it creates is batched; a fix that would break an intent is withheld and says so.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::{assert_fixes_proven, held, holds};
use std::path::{Path, PathBuf};
use vnetlab::engine::{self, FixCheck, ReasonCode, Tracer, Verdict};
use vnetlab::lint::{Code, report};
use vnetlab::model::{Design, Flow};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &Path) -> Design {
    vnetlab::io::load_design(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Every bundled save and the start-up design.
fn bundled() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("saves"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files.push(root().join("assets/designs/hub-spoke.ron"));
    files
}

fn startup() -> Design {
    load(&root().join("assets/designs/hub-spoke.ron"))
}

#[test]
fn every_fix_offered_in_the_bundled_designs_is_proven() {
    let mut offered = 0;
    let mut withheld = 0;
    for file in bundled() {
        let d = load(&file);
        let tracer = Tracer::new(&d);
        let mut flows = vec![Flow::DEFAULT];
        flows.extend(d.intents.iter().map(|i| i.flow));
        flows.dedup();
        let names: Vec<String> = tracer.endpoints().iter().map(|e| e.name.clone()).collect();
        for flow in flows {
            for from in &names {
                for to in names.iter().filter(|to| *to != from) {
                    let traced = tracer.trace_checked(from, to, flow).unwrap();
                    offered += assert_fixes_proven(&d, &traced);
                    withheld += traced
                        .blockers
                        .iter()
                        .filter(|b| b.fix.is_none() && b.fix_check.is_some())
                        .count();
                }
            }
        }
        // Lint's fixes of failing intents are proven the same way: they make the intent hold
        // and break no intent that held.
        let held = held(&d);
        for diagnostic in report(&d).diagnostics {
            let Some(edit) = diagnostic.fix.as_ref().and_then(|f| f.edit.as_ref()) else {
                continue;
            };
            if diagnostic.code != Code::IntentFailed {
                continue;
            }
            let mut copy = d.clone();
            edit.apply(&mut copy).unwrap();
            let intent = d
                .intents
                .iter()
                .find(|i| i.name == diagnostic.subject.name)
                .unwrap();
            assert!(holds(&copy, intent), "{}: {diagnostic}", file.display());
            for other in &held {
                assert!(
                    holds(&copy, other),
                    "{}: breaks `{}`",
                    file.display(),
                    other.name
                );
            }
        }
    }
    assert!(offered > 20, "only {offered} fixes offered");
    assert!(withheld > 0, "some fix in the saves breaks an intent");
}

#[test]
fn the_startup_mistake_gets_one_fix_from_the_matrix_the_diagnostics_and_the_intent() {
    // ux-audit row 7: `x` on vm-app3 → vm-dns, on PEERING_INITIATED and on the failing intent
    // gave three different edits (A···, AF·R, A··R); all must be the one repair of the link.
    let d = startup();
    let matrix = engine::trace(&d, "vm-app3", "vm-dns", Flow::DEFAULT).unwrap();
    let checked = engine::trace_checked(&d, "vm-app3", "vm-dns", Flow::DEFAULT).unwrap();
    let from_matrix = matrix.blockers[0].fix.clone().unwrap();
    assert_eq!(checked.blockers[0].fix.as_ref(), Some(&from_matrix));
    let found = report(&d).diagnostics;
    let fix_of = |code: Code| {
        let diagnostic = found.iter().find(|d| d.code == code).unwrap();
        diagnostic.fix.clone().unwrap()
    };
    let initiated = fix_of(Code::PeeringInitiated);
    let intent = fix_of(Code::IntentFailed);
    assert_eq!(initiated.edit.as_ref(), Some(&from_matrix.edit));
    assert_eq!(intent.edit.as_ref(), Some(&from_matrix.edit));
    assert_eq!(initiated.description, from_matrix.description);
    assert_eq!(intent.description, from_matrix.description);
    // The edit mirrors hub-to-spoke3: forwarded traffic allowed, the hub's gateway used.
    let mut fixed = d.clone();
    from_matrix.edit.apply(&mut fixed).unwrap();
    let back = fixed.peering_between("spoke3", "hub").unwrap();
    assert!(back.allow_forwarded_traffic && back.use_remote_gateways);
    assert!(
        fixed.intents.iter().all(|i| holds(&fixed, i)),
        "one edit repairs the design"
    );
    // The settings it changes are named with every name people know.
    let settings = &checked.blockers[0].settings;
    assert!(settings.iter().any(|s| s.to_string()
        == "allowForwardedTraffic = true on `spoke3-to-hub` (portal: \"Allow 'spoke3' to receive forwarded traffic from the peered virtual network\"; Terraform: allow_forwarded_traffic)"));
}

#[test]
fn a_reverse_peering_on_an_nva_path_mirrors_allowed_forwarded_traffic() {
    // Code review H2: the fix of a one-sided link on a path through the hub's NVA created the
    // reverse with Azure's defaults, so FORWARDED_TRAFFIC_BLOCKED followed.
    let mut d = load(&root().join("saves/03-hub-spoke-nva.ron"));
    d.peerings.retain(|p| p.name != "spoke2-to-hub");
    let traced = engine::trace_checked(&d, "vm-spoke1", "vm-spoke2", Flow::DEFAULT).unwrap();
    assert_eq!(traced.blockers[0].code, ReasonCode::PeeringNotConnected);
    assert_fixes_proven(&d, &traced);
    let fix = traced.blockers[0].fix.clone().unwrap();
    let mut fixed = d.clone();
    fix.edit.apply(&mut fixed).unwrap();
    for (a, b) in [("vm-spoke1", "vm-spoke2"), ("vm-spoke2", "vm-spoke1")] {
        let t = engine::trace(&fixed, a, b, Flow::DEFAULT).unwrap();
        assert_eq!(
            t.verdict,
            Verdict::Reachable,
            "{a} → {b}: {:#?}",
            t.blockers
        );
    }
}

#[test]
fn a_first_edit_that_leaves_a_blocker_on_its_own_link_is_batched_with_the_next() {
    // Lesson 4 with spoke1's side missing, the hub side not allowing forwarded traffic, and
    // gateway hops held to the forwarded-traffic check: the mirrored link alone leaves
    // FORWARDED_TRAFFIC_BLOCKED on itself, so the fix adds the link with that setting too.
    let mut d = load(&root().join("saves/04-gateway-transit.ron"));
    d.peerings.retain(|p| p.name != "spoke1-to-hub");
    d.assumptions
        .set("gateway_hops_exempt_from_forwarding_check", "false")
        .unwrap();
    let traced = engine::trace_checked(&d, "branch-host", "vm-spoke1", Flow::DEFAULT).unwrap();
    let blocker = &traced.blockers[0];
    assert_eq!(
        blocker.fix_check,
        Some(FixCheck::Proven { rounds: 2 }),
        "{blocker:#?}"
    );
    assert_fixes_proven(&d, &traced);
    let mut fixed = d.clone();
    blocker
        .fix
        .as_ref()
        .unwrap()
        .edit
        .apply(&mut fixed)
        .unwrap();
    let link = fixed.peering_between("spoke1", "hub").unwrap();
    assert!(link.allow_forwarded_traffic && link.use_remote_gateways);
    assert_eq!(
        engine::trace(&fixed, "branch-host", "vm-spoke1", Flow::DEFAULT)
            .unwrap()
            .verdict,
        Verdict::Reachable
    );
    // Lint's fix of the failing intent is the same single edit.
    let intent_fix = report(&d)
        .diagnostics
        .into_iter()
        .find(|x| x.code == Code::IntentFailed && x.subject.name == "branch-to-spoke1")
        .and_then(|x| x.fix?.edit)
        .unwrap();
    assert_eq!(&intent_fix, &blocker.fix.as_ref().unwrap().edit);
}

#[test]
fn a_fix_that_would_break_an_intent_is_withheld_with_the_reason() {
    // The start-up design's intent no-ssh-app1-to-app2 expects the NSG to block SSH: removing
    // the deny (at priority 100, nothing can go above it) may not be offered.
    let d = startup();
    let ssh: Flow = "tcp/22".parse().unwrap();
    let traced = engine::trace_checked(&d, "vm-app1", "vm-app2", ssh).unwrap();
    let blocker = traced
        .blockers
        .iter()
        .find(|b| b.code == ReasonCode::NsgDeny)
        .unwrap();
    assert_eq!(blocker.fix, None);
    match &blocker.fix_check {
        Some(FixCheck::BreaksIntents { intents, .. }) => {
            assert_eq!(intents, &["no-ssh-app1-to-app2"]);
        }
        other => panic!("{other:?}"),
    }
    let said = blocker.fix_check.as_ref().unwrap().to_string();
    assert!(
        said.starts_with(
            "no fix offered: the edit that removes it (remove rule `deny-ssh-from-spoke1` from NSG `nsg-spoke2`)"
        )
            && said.ends_with("makes intent `no-ssh-app1-to-app2` fail"),
        "{said}"
    );
    // The unchecked trace still names the candidate; checking one blocker lazily agrees.
    let plain = engine::trace(&d, "vm-app1", "vm-app2", ssh).unwrap();
    let index = plain
        .blockers
        .iter()
        .position(|b| b.code == ReasonCode::NsgDeny)
        .unwrap();
    assert!(plain.blockers[index].fix.is_some());
    let lazily = Tracer::new(&d).check_blocker(&plain, index).unwrap();
    assert_eq!(&lazily, blocker);
}

#[test]
fn permit_all_lists_every_rule_on_the_path_apart_from_routing() {
    // spoke1 → hub NVA → spoke2 on lesson 3, with an outbound deny in spoke1, a firewall rule
    // in the NVA and an inbound deny in spoke2: all three on one path.
    use vnetlab::model::{
        Access, AddressMatch, Appliance, ApplianceRule, Direction, Nsg, NsgRule, PortRange,
        Protocol,
    };
    let mut d = load(&root().join("saves/03-hub-spoke-nva.ron"));
    d.intents.clear();
    for (name, direction, subnet) in [
        ("nsg-out", Direction::Outbound, ("spoke1", "workload")),
        ("nsg-in", Direction::Inbound, ("spoke2", "workload")),
    ] {
        let mut nsg = Nsg::new(name);
        nsg.rules.push(NsgRule::new(
            format!("deny-{name}"),
            200,
            direction,
            Access::Deny,
            Protocol::Tcp,
        ));
        d.nsgs.push(nsg);
        let vnet = d.vnet_mut(subnet.0).unwrap();
        vnet.subnets
            .iter_mut()
            .find(|s| s.name == subnet.1)
            .unwrap()
            .nsg = Some(name.to_string());
    }
    let nva = d.vms.iter_mut().find(|v| v.name == "nva1").unwrap();
    let appliance = nva.appliance.get_or_insert_with(Appliance::nva);
    appliance.rules.push(ApplianceRule {
        name: "no-https".into(),
        action: Access::Deny,
        source: AddressMatch::Any,
        destination: AddressMatch::Any,
        protocol: Protocol::Tcp,
        ports: PortRange::single(443),
    });
    let p = engine::trace_permit_all(&d, "vm-spoke1", "vm-spoke2", Flow::DEFAULT).unwrap();
    assert_eq!(p.trace.verdict, Verdict::Blocked);
    assert_eq!(p.routed, Verdict::Reachable, "{:#?}", p.other);
    let rules: Vec<(ReasonCode, &str)> = p.rules.iter().map(|b| (b.code, b.at.as_str())).collect();
    assert_eq!(
        rules,
        [
            (ReasonCode::NsgDeny, "nsg-out"),
            (ReasonCode::ApplianceDeny, "nva1"),
            (ReasonCode::NsgDeny, "nsg-in"),
        ]
    );
    assert!(p.other.is_empty());
    // The path is the one routing gives: through the NVA to the destination and back.
    assert_eq!(
        p.trace.forward.last().map(|h| h.at.as_str()),
        Some("vm-spoke2")
    );
    assert_eq!(
        p.trace.reverse.last().map(|h| h.at.as_str()),
        Some("vm-spoke1")
    );
    // Every rule's fix is proven on its own.
    assert!(p.rules.iter().all(|b| b.fix.is_some()), "{:#?}", p.rules);
    assert_fixes_proven(&d, &p.trace);

    // Routing problems stay apart: cut the spoke2 side and the rules are still listed.
    d.peerings.retain(|p| p.name != "spoke2-to-hub");
    let p = engine::trace_permit_all(&d, "vm-spoke1", "vm-spoke2", Flow::DEFAULT).unwrap();
    assert_eq!(p.routed, Verdict::Blocked);
    assert!(
        p.other
            .iter()
            .any(|b| b.code == ReasonCode::PeeringNotConnected)
    );
    assert!(p.rules.iter().all(|b| b.code.is_rule()));
}
