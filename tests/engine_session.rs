//! The session re-analyses on every change and reports the pairs that flipped: edits, undo,
//! redo; switching the flow re-analyses without reporting flips.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::edit::{Edit, Object};
use vnetlab::engine::Verdict;
use vnetlab::model::{Design, Flow, Peering};
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
