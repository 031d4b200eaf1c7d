//! Intents evaluated with the engine: pass/fail, the missing pieces named from the trace's
//! blockers, and fixes that are proven to make the intent hold.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use vnetlab::engine::Verdict;
use vnetlab::lint::Severity::Error;
use vnetlab::lint::report;
use vnetlab::model::{
    Access, Design, Direction, Expectation, Intent, Nsg, NsgRule, Peering, Protocol,
};
use vnetlab::session::Session;

fn intent(name: &str, expect: Expectation, flow: &str) -> Intent {
    Intent {
        name: name.to_string(),
        from: "vm-a".to_string(),
        to: "vm-b".to_string(),
        flow: flow.parse().unwrap(),
        expect,
    }
}

#[test]
fn an_intent_that_holds_is_reported_as_passing() {
    let mut d = peered_pair();
    d.intents
        .push(intent("a-to-b", Expectation::Reachable, "tcp/443"));
    let found = report(&d);
    assert!(found.diagnostics.is_empty(), "{}", list(&found.diagnostics));
    let outcome = &found.intents[0];
    assert!(outcome.pass);
    assert_eq!(outcome.actual, Some(Verdict::Reachable));
    assert!(outcome.reasons.is_empty());
}

#[test]
fn a_blocked_flow_expected_reachable_names_the_blockers_and_is_fixed() {
    let mut d = pair();
    d.intents
        .push(intent("a-to-b", Expectation::Reachable, "tcp/443"));
    let diag = expect(&d, "INTENT_FAILED", "a-to-b", Error);
    assert!(
        diag.message.starts_with(
            "intent `a-to-b` fails: expected vm-a → vm-b reachable on tcp/443, but it is blocked: "
        ),
        "{}",
        diag.message
    );
    assert!(diag.message.contains("(ROUTE_NONE)"), "{}", diag.message);
    let outcome = &report(&d).intents[0];
    assert_eq!(
        (outcome.pass, outcome.actual),
        (false, Some(Verdict::Blocked))
    );
    assert_eq!(outcome.reasons[0].as_str(), "ROUTE_NONE");
    let fixed = fix_clears(&d, "INTENT_FAILED", "a-to-b");
    assert!(report(&fixed).intents[0].pass);
}

#[test]
fn a_one_sided_peering_behind_a_failing_intent_is_repaired_by_the_fix() {
    let mut d = pair();
    d.peerings.push(Peering::new("a-to-b", "vnet-a", "vnet-b"));
    d.intents
        .push(intent("a-to-b", Expectation::Reachable, "tcp/443"));
    let fixed = fix_clears(&d, "INTENT_FAILED", "a-to-b");
    clean(&fixed);
    assert!(fixed.peering_between("vnet-b", "vnet-a").is_some());
}

fn nsg_on_b(d: &mut Design) {
    let mut nsg = Nsg::new("nsg-b");
    nsg.rules.push(NsgRule::new(
        "allow-web",
        100,
        Direction::Inbound,
        Access::Allow,
        Protocol::Tcp,
    ));
    nsg.rules[0].destination_ports = vec!["443".parse().unwrap()];
    d.nsgs.push(nsg);
    d.vnets[1].subnets[0].nsg = Some("nsg-b".to_string());
}

#[test]
fn a_reachable_flow_expected_blocked_is_fixed_with_a_deny_rule_that_is_checked_to_work() {
    let mut d = peered_pair();
    nsg_on_b(&mut d);
    d.intents
        .push(intent("no-ssh", Expectation::Blocked, "tcp/22"));
    let diag = expect(&d, "INTENT_FAILED", "no-ssh", Error);
    assert!(
        diag.message.contains("but it is reachable along"),
        "{}",
        diag.message
    );
    let fixed = fix_clears(&d, "INTENT_FAILED", "no-ssh");
    let rule = fixed.nsg("nsg-b").unwrap().rules.last().unwrap().clone();
    assert_eq!(
        (rule.name.as_str(), rule.priority, rule.access),
        ("deny-no-ssh", 101, Access::Deny)
    );
    // The deny rule is for this flow only: HTTPS still passes.
    let mut https = fixed.clone();
    https
        .intents
        .push(intent("web", Expectation::Reachable, "tcp/443"));
    assert!(report(&https).intents.iter().all(|i| i.pass));
}

#[test]
fn a_deny_rule_that_an_earlier_allow_would_shadow_is_only_advice() {
    let mut d = peered_pair();
    nsg_on_b(&mut d);
    d.intents
        .push(intent("no-web", Expectation::Blocked, "tcp/443"));
    // allow-web at 100 matches first, so a deny at 101 would change nothing: no edit is offered.
    let advice = advice_only(&d, "INTENT_FAILED", "no-web");
    assert!(advice.contains("deny tcp/443 from vm-a"), "{advice}");
}

#[test]
fn without_an_nsg_at_the_destination_the_fix_is_advice() {
    let mut d = peered_pair();
    d.intents
        .push(intent("no-ssh", Expectation::Blocked, "tcp/22"));
    advice_only(&d, "INTENT_FAILED", "no-ssh");
}

#[test]
fn an_intent_naming_an_unknown_endpoint_is_unresolved() {
    // The loader refuses this; lint still copes with a design built in code.
    let mut d = peered_pair();
    let mut ghost = intent("ghost", Expectation::Reachable, "tcp/443");
    ghost.to = "vm-x".to_string();
    d.intents.push(ghost);
    let diag = expect(&d, "INTENT_UNRESOLVED", "ghost", Error);
    assert!(diag.message.contains("vm-x"));
    assert_eq!(report(&d).intents[0].actual, None);
}

#[test]
fn the_session_keeps_diagnostics_and_intents_current_after_every_edit() {
    let mut session = Session::new(vnetlab::io::examples::default_design());
    let codes: Vec<&str> = session
        .diagnostics()
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert!(
        codes.contains(&"INTENT_FAILED") && codes.contains(&"PEERING_INITIATED"),
        "{codes:?}"
    );
    let failing: Vec<&str> = session
        .intents()
        .iter()
        .filter(|i| !i.pass)
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(failing, ["app3-to-hq"]);
    let fix = session
        .diagnostics()
        .iter()
        .find(|d| d.code.as_str() == "INTENT_FAILED")
        .and_then(|d| d.fix.clone())
        .and_then(|f| f.edit)
        .expect("the failing intent has an edit fix");
    session.apply(fix).unwrap();
    assert!(
        session.diagnostics().is_empty(),
        "{}",
        list(session.diagnostics())
    );
    assert!(session.intents().iter().all(|i| i.pass));
    session.undo().unwrap();
    assert!(session.intents().iter().any(|i| !i.pass));
}

#[test]
fn reading_intents_from_an_analysis_gives_the_same_report_as_tracing_them() {
    use vnetlab::engine::{EngineKind, analyze};
    let all = std::iter::once(vnetlab::io::examples::DEFAULT_DESIGN)
        .chain(vnetlab::io::examples::EXAMPLES.iter().copied());
    for (name, text) in all {
        let d = vnetlab::io::parse_design(text, name).unwrap();
        let traced = report(&d);
        for flow in d.intents.iter().map(|i| i.flow) {
            let analysis = analyze(&d, flow, EngineKind::Fast);
            assert_eq!(
                vnetlab::lint::report_using(&d, &analysis),
                traced,
                "{name} with {flow}"
            );
        }
    }
}

#[test]
fn spoke_to_spoke_intents_name_the_missing_piece_and_fix_it() {
    let text = vnetlab::io::examples::example("03-hub-spoke-nva.ron").unwrap();
    let healthy = vnetlab::io::parse_design(text, "03").unwrap();
    clean(&healthy);

    // Without allow forwarded traffic on the receiving spoke's peering.
    let mut d = healthy.clone();
    d.peerings
        .iter_mut()
        .find(|p| p.name == "spoke2-to-hub")
        .unwrap()
        .allow_forwarded_traffic = false;
    let diag = expect(&d, "INTENT_FAILED", "spoke1-to-spoke2", Error);
    assert!(
        diag.message.contains("(FORWARDED_TRAFFIC_BLOCKED)"),
        "{}",
        diag.message
    );
    let fixed = fix_clears(&d, "INTENT_FAILED", "spoke1-to-spoke2");
    assert!(
        fixed
            .peering("spoke2-to-hub")
            .unwrap()
            .allow_forwarded_traffic
    );

    // Without the appliance route back from spoke2: the reply has no route.
    let mut d = healthy.clone();
    d.route_tables
        .iter_mut()
        .find(|t| t.name == "rt-spoke2")
        .unwrap()
        .routes
        .clear();
    let diag = expect(&d, "INTENT_FAILED", "spoke1-to-spoke2", Error);
    assert!(diag.message.contains("(ROUTE_NONE)"), "{}", diag.message);
    let outcome = report(&d);
    assert!(outcome.intents.iter().all(|i| !i.pass));
}

#[test]
fn the_live_session_proves_only_a_few_fixes_and_offers_the_rest_as_advice() {
    use vnetlab::engine::{EngineKind, analyze};
    let mut d = pair();
    for port in 1..=6 {
        d.intents.push(intent(
            &format!("port-{port}"),
            Expectation::Reachable,
            &format!("tcp/{port}"),
        ));
    }
    let with_edit = |r: &vnetlab::lint::Report| {
        r.diagnostics
            .iter()
            .filter(|x| x.fix.as_ref().is_some_and(|f| f.edit.is_some()))
            .count()
    };
    let full = report(&d);
    assert_eq!(with_edit(&full), 6, "{}", list(&full.diagnostics));
    let live =
        vnetlab::lint::report_using(&d, &analyze(&d, "tcp/1".parse().unwrap(), EngineKind::Fast));
    assert_eq!(with_edit(&live), 4);
    // The unproven ones still say what to do, without claiming it is not enough.
    let advice = live.diagnostics.last().unwrap().fix.as_ref().unwrap();
    assert!(
        advice.edit.is_none() && !advice.description.contains("more changes"),
        "{advice:?}"
    );
    assert_eq!(live.intents, full.intents);
}
