//! An independent check of the fixes the engine offers (issue 11 item 6): a fix offered by
//! `trace_checked` (what `vnetlab trace` prints) must, applied to a copy of the design, remove
//! its blocker, leave no new blocker on an object the fix changed, and keep every intent that
//! held; a fix withheld because it breaks an intent must really break it. Written apart from the
//! engine's own proof, with the plain trace only.

use vnetlab::edit::{Edit, ObjectRef};
use vnetlab::engine::{self, Blocker, FixCheck, Trace, meets};
use vnetlab::model::{Design, Flow, Intent, ObjectKind};

/// The objects an edit adds, changes or removes.
fn objects(edit: &Edit) -> Vec<ObjectRef> {
    match edit {
        Edit::Add { object, .. } | Edit::Replace(object) => vec![object.reference()],
        Edit::Remove(target) | Edit::Withdraw(target) | Edit::Rename { target, .. } => {
            vec![target.clone()]
        }
        Edit::SyncPeering(name) => vec![ObjectRef::new(ObjectKind::Peering, name.clone())],
        Edit::Batch(edits) => edits.iter().flat_map(objects).collect(),
        _ => Vec::new(),
    }
}

fn same(a: &Blocker, b: &Blocker) -> bool {
    a.code == b.code && a.at == b.at && a.message == b.message
}

/// Whether `intent` holds on `d`, by the plain trace.
pub fn holds(d: &Design, intent: &Intent) -> bool {
    engine::trace(d, &intent.from, &intent.to, intent.flow)
        .is_ok_and(|t| meets(intent.expect, t.verdict))
}

/// The intents of `d` that hold.
pub fn held(d: &Design) -> Vec<&Intent> {
    d.intents.iter().filter(|i| holds(d, i)).collect()
}

/// Checks every fix `traced` (a checked trace of `d`) offers or withholds; returns how many
/// fixes were offered.
pub fn assert_fixes_proven(d: &Design, traced: &Trace) -> usize {
    let held = held(d);
    let mut offered = 0;
    for blocker in &traced.blockers {
        let context = || {
            format!(
                "{} → {} ({}): {} at {}",
                traced.from, traced.to, traced.flow, blocker.code, blocker.at
            )
        };
        match (&blocker.fix, &blocker.fix_check) {
            (Some(fix), check) => {
                assert!(
                    matches!(check, Some(FixCheck::Proven { .. })),
                    "{}: an offered fix is proven: {check:?}",
                    context()
                );
                let mut copy = d.clone();
                fix.edit.apply(&mut copy).unwrap_or_else(|e| {
                    panic!(
                        "{}: the fix `{}` does not apply: {e}",
                        context(),
                        fix.description
                    )
                });
                let after = engine::trace(&copy, &traced.from, &traced.to, traced.flow)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    !after.blockers.iter().any(|b| same(b, blocker)),
                    "{}: the fix `{}` leaves its blocker",
                    context(),
                    fix.description
                );
                let changed = objects(&fix.edit);
                for left in &after.blockers {
                    let new = !traced.blockers.iter().any(|b| same(b, left));
                    assert!(
                        !(new && left.object.as_ref().is_some_and(|o| changed.contains(o))),
                        "{}: the fix `{}` leaves {} at {} on an object it changed",
                        context(),
                        fix.description,
                        left.code,
                        left.at
                    );
                }
                for intent in &held {
                    assert!(
                        holds(&copy, intent),
                        "{}: the fix `{}` makes intent `{}` fail",
                        context(),
                        fix.description,
                        intent.name
                    );
                }
                offered += 1;
            }
            (None, Some(FixCheck::BreaksIntents { fix, intents })) => {
                let mut copy = d.clone();
                fix.edit.apply(&mut copy).expect("a withheld fix applies");
                for name in intents {
                    let intent = d.intents.iter().find(|i| &i.name == name).expect("named");
                    assert!(
                        holds(d, intent) && !holds(&copy, intent),
                        "{}: `{}` is said to break intent `{name}`, which it does not",
                        context(),
                        fix.description
                    );
                }
            }
            (None, Some(FixCheck::Refused { fix, .. })) => {
                assert!(
                    fix.edit.apply(&mut d.clone()).is_err(),
                    "{}: `{}` is said to be refused",
                    context(),
                    fix.description
                );
            }
            (None, _) => {}
        }
    }
    offered
}

/// [`assert_fixes_proven`] on the pair `from` → `to` of `d`.
pub fn assert_pair_fixes_proven(d: &Design, from: &str, to: &str, flow: Flow) -> usize {
    let traced = engine::trace_checked(d, from, to, flow).unwrap_or_else(|e| panic!("{e}"));
    assert_fixes_proven(d, &traced)
}
