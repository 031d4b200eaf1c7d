//! Timed entry points of the session, for `vnetlab bench` and the benchmarks: the same work as
//! [`Session::new`] and [`Session::apply`], returning how long each phase took as a [`Phases`]
//! value. Nothing is global and nothing is kept: a caller that does not ask pays nothing but
//! the handful of clock reads every evaluation makes anyway.

use super::{Compare, Session};
use crate::edit::{Edit, EditError};
use serde::Serialize;
use std::time::{Duration, Instant};

/// How long each phase of one change (or of a cold start) took; with another `T`, one value of
/// `T` per phase (the benchmark's [`PhaseTimings`](crate::bench::PhaseTimings) holds a median
/// and a range per phase).
///
/// The phases, in the order they run: `edit` (copying the shared design on write, applying the
/// change and recording it for undo), `validate` (the whole design's invariants, skipped for an
/// edit of fields none reads), `compile` (endpoints located, names indexed, every peering's
/// facts derived once, routes and NSGs compiled), `peerings` (each peering's state and sync
/// level, read from the compile's facts), `walk` (equivalence classes and the all-pairs walk
/// of the fast engine), `delta` (pairs that flipped), `lint` (every design rule) and `intents`
/// (the design's expectations, with a few fixes proven). On a big design `lint` runs on
/// another thread at the same time as most of `compile`, `walk` and `delta` (see
/// [`crate::session`]), so the phases then add up to more than the change took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Phases<T = Duration> {
    /// Copy-on-write of the design, the change itself, and the history entry.
    pub edit: T,
    /// [`Design::validate`](crate::model::Design::validate) after the change; zero for a
    /// change that cannot break an invariant of a design known to be sound
    /// ([`Edit::keeps_invariants`]), of the table alone for a route table's
    /// ([`Edit::apply_to_valid`]).
    pub validate: T,
    /// Compiling the design into a [`Tracer`](crate::engine::Tracer).
    pub compile: T,
    /// Peering states and sync levels, copied from the facts the compile derived.
    pub peerings: T,
    /// Classes and the all-pairs analysis.
    pub walk: T,
    /// Comparing with the previous analysis.
    pub delta: T,
    /// The design rules of [`crate::lint`].
    pub lint: T,
    /// The intents and their proven fixes.
    pub intents: T,
}

impl Phases {
    /// The phase names, in the order they run (the keys of `phases_ms` in `vnetlab bench
    /// --json`).
    pub const NAMES: [&'static str; 8] = [
        "edit", "validate", "compile", "peerings", "walk", "delta", "lint", "intents",
    ];

    /// The sum of every phase.
    pub fn total(&self) -> Duration {
        self.values().into_iter().sum()
    }
}

impl<T> Phases<T> {
    /// Each phase's slot, in [`Phases::NAMES`] order: the one place the order is written.
    fn slots(&mut self) -> [&mut T; 8] {
        [
            &mut self.edit,
            &mut self.validate,
            &mut self.compile,
            &mut self.peerings,
            &mut self.walk,
            &mut self.delta,
            &mut self.lint,
            &mut self.intents,
        ]
    }
}

impl<T: Copy> Phases<T> {
    /// Each phase's value, in [`Phases::NAMES`] order.
    pub fn values(&self) -> [T; 8] {
        let mut copy = *self;
        copy.slots().map(|slot| *slot)
    }

    /// Each phase's value with its name, in [`Phases::NAMES`] order.
    pub fn named(&self) -> [(&'static str, T); 8] {
        let values = self.values();
        std::array::from_fn(|i| (Phases::<Duration>::NAMES[i], values[i]))
    }
}

impl<T: Default> Phases<T> {
    /// The phases from their values in [`Phases::NAMES`] order (the inverse of
    /// [`Phases::values`]).
    pub fn from_values(values: [T; 8]) -> Self {
        let mut phases = Phases::default();
        for (slot, value) in phases.slots().into_iter().zip(values) {
            *slot = value;
        }
        phases
    }
}

impl Session {
    /// [`Session::new`], also returning how long its phases took: what opening a design costs
    /// once it is read (`validate` checks the design as loading a file does; `edit` and
    /// `delta` stay zero).
    pub fn new_timed(design: crate::model::Design) -> (Session, Phases) {
        let started = Instant::now();
        // Loading a file refuses a design that breaks an invariant; here the result only tells
        // the session whether its edits may skip validation.
        let errors = design.validate();
        let validate = started.elapsed();
        let sound = errors.is_empty();
        let (mut session, mut phases) = Session::fresh(design);
        session.known_valid = sound;
        phases.validate = validate;
        (session, phases)
    }

    /// [`Session::apply`], also returning how long each phase took. A refused edit changes
    /// nothing and returns the refusal.
    pub fn apply_timed(&mut self, edit: Edit) -> Result<Phases, EditError> {
        let started = Instant::now();
        let (inverse, validate) = self.change(&edit)?;
        self.history.record(edit.describe(), inverse);
        let job = self.begin(Compare::WithPrevious);
        let edited = started.elapsed().saturating_sub(validate);
        let (evaluation, mut phases) = job.run_timed();
        let installed = self.install(evaluation);
        debug_assert!(installed, "an inline evaluation is of the current revision");
        phases.edit = edited;
        phases.validate = validate;
        Ok(phases)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Object;
    use crate::model::{Design, Peering};

    #[test]
    fn timed_entry_points_do_what_the_plain_ones_do() {
        let (mut timed, cold) = Session::new_timed(Design::example_pair());
        let mut plain = Session::new(Design::example_pair());
        assert_eq!(cold.edit, Duration::ZERO);
        assert!(cold.walk > Duration::ZERO && cold.total() >= cold.walk);
        let edit = Edit::Add {
            object: Object::Peering(Peering::new("a-to-b", "a", "b")),
            at: None,
        };
        let phases = timed.apply_timed(edit.clone()).expect("applies");
        plain.apply(edit).expect("applies");
        assert!(phases.walk > Duration::ZERO);
        assert_eq!(timed.design(), plain.design());
        assert_eq!(timed.revision(), plain.revision());
        assert_eq!(timed.analysis().summary(), plain.analysis().summary());
        assert_eq!(timed.diagnostics(), plain.diagnostics());
        assert_eq!(timed.delta().is_empty(), plain.delta().is_empty());
    }

    #[test]
    fn a_sound_design_skips_validation_only_for_edits_no_invariant_reads() {
        let mut design = Design::example_pair();
        design.peerings.push(Peering::new("a-to-b", "a", "b"));
        let flag = |session: &Session| {
            let mut p = session.design().peerings[0].clone();
            p.allow_forwarded_traffic = !p.allow_forwarded_traffic;
            Edit::Replace(Object::Peering(p))
        };
        // `new_timed` validated the design: its first flag edit is not validated again.
        let (mut timed, _) = Session::new_timed(design.clone());
        let phases = timed.apply_timed(flag(&timed)).expect("applies");
        assert_eq!(phases.validate, Duration::ZERO);
        // An edit that reads a name is validated (and refused when it breaks an invariant).
        let mut dangling = timed.design().peerings[0].clone();
        dangling.remote = "c".to_string();
        let refused = timed.apply_timed(Edit::Replace(Object::Peering(dangling)));
        assert!(matches!(refused, Err(EditError::Invalid(_))), "{refused:?}");
        // Undo and redo of the flag (through `Edit::apply_to_valid` too) give back each design.
        timed.undo().expect("undoes");
        assert_eq!(timed.design(), &design);
        timed.redo().expect("redoes");
        assert_ne!(timed.design(), &design);

        // A session over a design it has not validated checks the first edit in full: here the
        // design breaks an invariant already, so even a flag edit is refused.
        let mut broken = design;
        broken.peerings.push(Peering::new("a-to-c", "a", "c"));
        let mut session = Session::new(broken.clone());
        let refused = session.apply(flag(&session));
        assert!(matches!(refused, Err(EditError::Invalid(_))), "{refused:?}");
        assert_eq!(session.design(), &broken);
    }

    #[test]
    fn phase_names_follow_the_struct() {
        let phases = Phases {
            walk: Duration::from_millis(3),
            lint: Duration::from_millis(1),
            ..Phases::default()
        };
        let named = phases.named();
        assert_eq!(named[4], ("walk", Duration::from_millis(3)));
        assert_eq!(named[6], ("lint", Duration::from_millis(1)));
        assert_eq!(phases.total(), Duration::from_millis(4));
        assert_eq!(Phases::from_values(phases.values()), phases);
    }
}
