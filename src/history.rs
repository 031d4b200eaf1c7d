//! Undo and redo over [`Edit`]s.
//!
//! # Structure
//!
//! Two stacks of steps. A step is a label, the edit that moves the design across it, and an id.
//! [`History::record`] pushes the *inverse* of an edit just applied onto the undo stack and
//! clears the redo stack. [`History::undo`] pops a step, applies its edit, and pushes that edit's
//! own inverse onto the redo stack; [`History::redo`] is the mirror image. Both directions are
//! therefore exact, and a step whose edit fails to apply stays where it was. Ids are never
//! reused, so [`History::position`] (the id of the last undoable step, 0 at the start)
//! identifies a state: equal positions mean equal designs, which is how the session tells
//! whether there are unsaved edits.
//!
//! # Cost
//!
//! Recording is a push; undo and redo cost one [`Edit::apply`] (validation included;
//! [`History::step`] may apply with [`Edit::apply_to_valid`] instead, which skips it for an
//! edit that cannot break an invariant) and never copy the design. Memory is one edit per
//! step, and an edit can be large: a replacement carries the whole object as it was (a VM with
//! all its NICs, an NSG with all its rules), a removal carries what it removed.
//!
//! # Limitations
//!
//! - The stacks are unbounded: nothing is ever dropped, so memory grows with every edit of a
//!   session (a long session of edits to big NSGs keeps every version of them).
//! - History is linear, not a tree: a new edit after undoing discards the redo branch for good.
//! - Only design changes are recorded: navigation and flow changes are not, and replacing the
//!   whole design (open, import, new) starts a fresh history.

use crate::edit::{Edit, EditError};
use crate::model::Design;

/// How a step's edit is applied: [`Edit::apply`], or [`Edit::apply_to_valid`] on a design known
/// to be sound.
pub type Apply = fn(&Edit, &mut Design) -> Result<Edit, EditError>;

/// A move through the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Back: the undo stack's last step.
    Undo,
    /// Forward again: the redo stack's last step.
    Redo,
}

/// One recorded step: a label for display, the edit that moves across it, and an identity.
#[derive(Debug, Clone)]
struct Step {
    label: String,
    edit: Edit,
    id: u64,
}

/// Undo and redo stacks (see the module documentation for structure, cost and limits).
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_id: u64,
}

impl History {
    /// An empty history.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an applied edit by its inverse; clears the redo branch.
    pub fn record(&mut self, label: String, inverse: Edit) {
        self.next_id += 1;
        self.undo.push(Step {
            label,
            edit: inverse,
            id: self.next_id,
        });
        self.redo.clear();
    }

    /// Undoes the last step; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self, design: &mut Design) -> Result<Option<String>, EditError> {
        self.step(Move::Undo, design, Edit::apply)
    }

    /// Redoes the last undone step; returns its label, or `None` when there is nothing to redo.
    pub fn redo(&mut self, design: &mut Design) -> Result<Option<String>, EditError> {
        self.step(Move::Redo, design, Edit::apply)
    }

    /// [`History::undo`] or [`History::redo`], applying the step with `apply` instead of
    /// [`Edit::apply`] (a session whose design is known sound passes
    /// [`Edit::apply_to_valid`]).
    pub fn step(
        &mut self,
        direction: Move,
        design: &mut Design,
        apply: Apply,
    ) -> Result<Option<String>, EditError> {
        match direction {
            Move::Undo => Self::shift(&mut self.undo, &mut self.redo, design, apply),
            Move::Redo => Self::shift(&mut self.redo, &mut self.undo, design, apply),
        }
    }

    /// Whether there is a step to take in this direction.
    pub fn can(&self, direction: Move) -> bool {
        match direction {
            Move::Undo => !self.undo.is_empty(),
            Move::Redo => !self.redo.is_empty(),
        }
    }

    fn shift(
        from: &mut Vec<Step>,
        to: &mut Vec<Step>,
        design: &mut Design,
        apply: Apply,
    ) -> Result<Option<String>, EditError> {
        let Some(step) = from.pop() else {
            return Ok(None);
        };
        match apply(&step.edit, design) {
            Ok(reverse) => {
                let label = step.label.clone();
                to.push(Step {
                    label: step.label,
                    edit: reverse,
                    id: step.id,
                });
                Ok(Some(label))
            }
            Err(error) => {
                from.push(step);
                Err(error)
            }
        }
    }

    /// Whether there is a step to undo.
    pub fn can_undo(&self) -> bool {
        self.can(Move::Undo)
    }
    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        self.can(Move::Redo)
    }
    /// Labels of the undoable steps, oldest first.
    pub fn undo_labels(&self) -> impl Iterator<Item = &str> {
        self.undo.iter().map(|s| s.label.as_str())
    }
    /// Labels of the redoable steps, next first.
    pub fn redo_labels(&self) -> impl Iterator<Item = &str> {
        self.redo.iter().rev().map(|s| s.label.as_str())
    }
    /// Identifies the current position: equal positions mean equal designs, so comparing with
    /// the position at the last save tells whether there are unsaved edits.
    pub fn position(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Object, ObjectRef};
    use crate::model::{ObjectKind, Peering};

    #[test]
    fn a_new_edit_drops_the_redo_branch() {
        let mut design = Design::example_pair();
        let mut history = History::new();
        let add = Edit::Add {
            object: Object::Peering(Peering::new("a-to-b", "a", "b")),
            at: None,
        };
        let inverse = add.apply(&mut design).unwrap();
        history.record(add.describe(), inverse);
        assert_eq!(
            history.undo(&mut design).unwrap().as_deref(),
            Some("add peering a-to-b")
        );
        assert!(design.peerings.is_empty());
        assert!(history.can_redo());
        let other = Edit::Remove(ObjectRef::new(ObjectKind::Vm, "vm-a"));
        let inverse = other.apply(&mut design).unwrap();
        history.record(other.describe(), inverse);
        assert!(!history.can_redo());
        assert_eq!(history.redo(&mut design).unwrap(), None);
    }

    #[test]
    fn positions_identify_states() {
        let mut design = Design::example_pair();
        let mut history = History::new();
        let start = history.position();
        let add = Edit::Add {
            object: Object::Peering(Peering::new("a-to-b", "a", "b")),
            at: None,
        };
        history.record(add.describe(), add.apply(&mut design).unwrap());
        let after = history.position();
        assert_ne!(start, after);
        history.undo(&mut design).unwrap();
        assert_eq!(history.position(), start);
        history.redo(&mut design).unwrap();
        assert_eq!(history.position(), after);
    }
}
