//! Tests of the session: what crosses threads, and lint checked alongside the walk.

use super::*;

#[test]
fn jobs_and_evaluations_cross_threads() {
    fn send<T: Send + 'static>() {}
    send::<EvalJob>();
    send::<Evaluation>();
    send::<Session>();
}

#[test]
fn either_way_alongside_runs_both_and_returns_each_result() {
    for parallel in [false, true] {
        let (a, b) = alongside(parallel, || 6 * 7, || "side".to_string());
        assert_eq!((a, b.as_str()), (42, "side"));
    }
}

#[test]
fn rules_checked_alongside_the_walk_report_what_one_lint_pass_reports() {
    use crate::model::generate::{HubSpokeParams, hub_spoke};
    let design = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 40,
        subnets_per_spoke: 2,
        vms_per_subnet: 3,
    })
    .expect("valid counts");
    assert!(
        lint_alongside(&design),
        "big enough to check the rules on another thread"
    );
    let mut session = Session::new(design);
    // One side of a peering removed: a finding of its own (the other side is initiated),
    // and an evaluation after an edit.
    let last = session
        .design()
        .peerings
        .last()
        .expect("peerings")
        .name
        .clone();
    let edit = Edit::Remove(crate::edit::ObjectRef::new(
        crate::model::ObjectKind::Peering,
        &last,
    ));
    session.apply(edit).expect("a peering can be removed");
    let expected = crate::lint::report_compiled(session.tracer(), session.analysis());
    assert!(!expected.diagnostics.is_empty());
    assert_eq!(session.diagnostics(), expected.diagnostics.as_slice());
    assert_eq!(session.intents(), expected.intents.as_slice());
}

#[test]
fn an_edit_copies_only_the_lists_it_changes() {
    use crate::bench::EditKind;
    use crate::model::SharedVec;
    use crate::model::generate::{HubSpokeParams, hub_spoke};
    let design = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 6,
        subnets_per_spoke: 2,
        vms_per_subnet: 2,
    })
    .expect("valid counts");
    let mut session = Session::new(design);
    // Each kind of edit, and the one list it may copy: VNets, VMs, peerings, NSGs, route tables.
    let kinds = [
        (EditKind::SpokePeeringFlag, [true, true, false, true, true]),
        (EditKind::HubPeeringFlag, [true, true, false, true, true]),
        (EditKind::SpokeRoute, [true, true, true, true, false]),
        (EditKind::SubnetNsgRule, [true, true, true, false, true]),
    ];
    for (kind, expected) in kinds {
        let before = session.design().clone();
        let edit = kind.edit(&before, 0).expect("an edit of this kind");
        session.apply(edit).expect("applies");
        let after = session.design();
        let shared = [
            SharedVec::same(&before.vnets, &after.vnets),
            SharedVec::same(&before.vms, &after.vms),
            SharedVec::same(&before.peerings, &after.peerings),
            SharedVec::same(&before.nsgs, &after.nsgs),
            SharedVec::same(&before.route_tables, &after.route_tables),
        ];
        assert_eq!(shared, expected, "{kind:?}: lists still shared");
        // Undo copies the changed list again and shares the rest.
        let edited = after.clone();
        session.undo().expect("undoes");
        assert!(SharedVec::same(&edited.vms, &session.design().vms));
        assert_eq!(*session.design(), before, "{kind:?}: undone");
    }
}

/// Installing an evaluation frees the one it replaces (on the retiring thread), and an
/// evaluation overtaken by a later change is freed too, never kept.
#[test]
fn installing_frees_the_replaced_evaluation_and_an_overtaken_one() {
    let tcp = |port| Flow {
        port: Some(port),
        ..Flow::DEFAULT
    };
    let mut session = Session::new(Design::example_pair());
    let replaced = Arc::downgrade(&session.current.analysis);
    session.set_flow(tcp(8080));
    let overtaken = session.set_flow_deferred(tcp(22)).expect("a new flow");
    let newest = session.set_flow_deferred(tcp(80)).expect("another flow");
    let stale = overtaken.run();
    let stale_analysis = Arc::downgrade(&stale.analysis);
    assert!(
        !session.install(stale),
        "an overtaken evaluation is refused"
    );
    assert!(session.install(newest.run()));
    retire::flush();
    assert!(
        replaced.upgrade().is_none(),
        "the replaced evaluation is freed"
    );
    assert!(stale_analysis.upgrade().is_none(), "the overtaken one too");
}
