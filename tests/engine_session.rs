//! The session re-analyses on every change and reports the pairs that flipped: edits, undo,
//! redo; switching the flow re-analyses without reporting flips. It traces and lists routes from
//! the revision's compiled design, and its deferred evaluation (run on another thread, then
//! installed) gives what the inline one gives, unless a later change overtook it.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::edit::{Edit, Object, ObjectRef};
use vnetlab::engine::Verdict;
use vnetlab::model::{Design, Flow, ObjectKind, Peering, SubnetRef};
use vnetlab::session::Session;

fn reachable(session: &Session) -> Vec<(&str, &str)> {
    session.delta().became_reachable().collect()
}

fn blocked(session: &Session) -> Vec<(&str, &str)> {
    session.delta().became_blocked().collect()
}

#[test]
fn edits_undo_and_redo_report_the_pairs_that_flipped() {
    let mut session = Session::new(Design::example_pair());
    assert!(
        session.delta().is_empty(),
        "a fresh session has nothing to compare with"
    );
    assert_eq!(session.analysis().summary().reachable, 0);

    let peering = |l: &str, r: &str| Edit::Add {
        object: Object::Peering(Peering::new(Peering::default_name(l, r), l, r)),
        at: None,
    };
    session.apply(peering("a", "b")).expect("valid edit");
    assert!(
        session.delta().is_empty(),
        "one side alone connects nothing"
    );
    session.apply(peering("b", "a")).expect("valid edit");
    assert_eq!(reachable(&session), [("vm-a", "vm-b"), ("vm-b", "vm-a")]);
    assert_eq!(session.delta().reachable_count(), 2);
    assert!(blocked(&session).is_empty());
    let a = session.analysis().index_of("vm-a").expect("endpoint");
    let b = session.analysis().index_of("vm-b").expect("endpoint");
    assert_eq!(session.analysis().verdict(a, b), Verdict::Reachable);

    session.undo().expect("undo works");
    assert_eq!(blocked(&session), [("vm-a", "vm-b"), ("vm-b", "vm-a")]);
    assert_eq!(session.delta().blocked_count(), 2);
    assert_eq!(session.delta().flipped(a, b), Some(Verdict::Blocked));
    assert_eq!(session.delta().flipped(a, a), None);
    session.redo().expect("redo works");
    assert_eq!(session.delta().reachable_count(), 2);
    assert_eq!(session.delta().flipped(b, a), Some(Verdict::Reachable));
}

#[test]
fn switching_the_flow_re_analyses_without_flips() {
    let mut session = Session::new(vnetlab::io::examples::default_design());
    let before = session.analysis().summary();
    session.set_flow("icmp".parse().expect("flow"));
    assert_eq!(session.flow(), "icmp".parse::<Flow>().expect("flow"));
    assert_eq!(session.analysis().flow(), session.flow());
    assert!(session.delta().is_empty());
    assert_eq!(session.analysis().summary().pairs, before.pairs);
}

/// Everything a shell reads from a session, for comparing two sessions.
fn readings(session: &Session) -> String {
    let analysis = session.analysis();
    let n = analysis.endpoints().len();
    let codes: Vec<_> = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .map(|(a, b)| analysis.reason_codes(a, b))
        .collect();
    format!(
        "{} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {}",
        session.revision(),
        session.evaluated_revision(),
        session.is_dirty(),
        analysis.summary(),
        codes,
        session.delta(),
        session.diagnostics(),
        session.intents(),
        session.peering_status(),
        session.flow(),
    )
}

/// Removes the first peering: the link becomes one-sided and pairs across it flip.
fn cut_first_peering(session: &Session) -> Edit {
    let name = session.design().peerings[0].name.clone();
    Edit::Remove(ObjectRef::new(ObjectKind::Peering, name))
}

#[test]
fn traces_and_routes_come_from_the_revision_compiled_design() {
    let mut session = Session::new(vnetlab::io::examples::default_design());
    session
        .apply(cut_first_peering(&session))
        .expect("valid edit");
    let design = session.design().clone();
    let analysis = session.analysis();
    assert_eq!(session.tracer().endpoints(), analysis.endpoints());
    let n = analysis.endpoints().len();
    assert!(n > 3);
    for a in 0..n {
        for b in 0..n {
            let traced = session.trace(a, b).expect("indexes in range");
            let (from, to) = (&analysis.endpoints()[a].name, &analysis.endpoints()[b].name);
            assert_eq!(
                Some(&traced),
                vnetlab::engine::trace(&design, from, to, session.flow())
                    .ok()
                    .as_ref()
            );
            assert_eq!(traced.verdict, analysis.verdict(a, b));
        }
    }
    assert!(session.trace(n, 0).is_none());
    for vnet in &design.vnets {
        for subnet in &vnet.subnets {
            let r = SubnetRef::new(&vnet.name, &subnet.name);
            assert_eq!(
                session.effective_routes(&r),
                vnetlab::engine::effective_routes(&design, &r)
            );
        }
    }
    let missing = session.effective_routes(&SubnetRef::new("nowhere", "default"));
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .starts_with("there is no subnet `nowhere/default`")
    );
}

#[test]
fn a_deferred_evaluation_installed_equals_an_inline_one() {
    let design = vnetlab::io::examples::default_design();
    let mut inline = Session::new(design.clone());
    let mut deferred = Session::new(design);
    assert_eq!(readings(&inline), readings(&deferred));

    let edit = cut_first_peering(&inline);
    inline.apply(edit.clone()).expect("valid edit");
    let job = deferred.apply_deferred(edit).expect("valid edit");
    assert!(deferred.is_stale());
    // On another thread, as the TUI will run it.
    let evaluation = std::thread::spawn(move || job.run())
        .join()
        .expect("no panic");
    assert!(deferred.install(evaluation));
    assert!(!deferred.is_stale());
    assert!(!inline.delta().is_empty(), "the edit flips pairs");
    assert_eq!(readings(&inline), readings(&deferred));

    inline.undo().expect("undo works");
    let (label, job) = deferred
        .undo_deferred()
        .expect("undo works")
        .expect("a step");
    assert!(label.starts_with("remove peering"), "{label}");
    assert!(deferred.install(job.run()));
    assert_eq!(readings(&inline), readings(&deferred));

    inline.redo().expect("redo works");
    let (_, job) = deferred
        .redo_deferred()
        .expect("redo works")
        .expect("a step");
    assert!(deferred.install(job.run()));
    assert_eq!(readings(&inline), readings(&deferred));

    let icmp: Flow = "icmp".parse().expect("flow");
    inline.set_flow(icmp);
    let job = deferred.set_flow_deferred(icmp).expect("another flow");
    assert!(
        deferred.set_flow_deferred(icmp).is_none(),
        "already that flow"
    );
    // The second call changed nothing, so the first job is still current.
    assert!(deferred.install(job.run()));
    assert!(!deferred.is_stale());
    assert_eq!(readings(&inline), readings(&deferred));
}

#[test]
fn an_evaluation_overtaken_by_another_change_is_refused() {
    let mut session = Session::new(Design::example_pair());
    let before = session.analysis().summary();
    let peering = |l: &str, r: &str| Edit::Add {
        object: Object::Peering(Peering::new(Peering::default_name(l, r), l, r)),
        at: None,
    };
    let first = session
        .apply_deferred(peering("a", "b"))
        .expect("valid edit");
    let second = session
        .apply_deferred(peering("b", "a"))
        .expect("valid edit");
    assert_eq!(session.revision(), second.revision());
    assert_eq!(session.design().peerings.len(), 2, "the design is current");
    // Meanwhile the shown results are the first revision's, and say so.
    assert!(session.is_stale());
    assert_eq!(session.evaluated_revision(), 1);
    assert_eq!(session.analysis().summary(), before);
    assert!(session.peering_status().is_empty());

    assert!(
        !session.install(first.run()),
        "revision 2 is no longer current"
    );
    assert!(session.is_stale());
    assert_eq!(session.analysis().summary(), before);

    assert!(session.install(second.run()));
    assert!(!session.is_stale());
    assert_eq!(session.analysis().summary().reachable, 2);
    // The delta spans both edits: it compares with the results shown before them.
    assert_eq!(reachable(&session), [("vm-a", "vm-b"), ("vm-b", "vm-a")]);
    // A refused edit hands back no job and changes nothing.
    let revision = session.revision();
    assert!(session.apply_deferred(peering("a", "b")).is_err());
    assert_eq!(session.revision(), revision);
}
