//! Every change a user can make to a design, as data. [`Edit::apply`] performs the change and
//! returns its exact inverse, so undo is "apply the inverse" and redo is "apply the inverse of
//! the inverse". Edits keep the design sound: an edit that would break an invariant of
//! [`Design::validate`](crate::model::Design::validate) is refused with a sentence and leaves the
//! design untouched.
//!
//! Azure's own side effects are part of the edit, so the design always shows what Azure would:
//! deleting one side of a connected peering marks the other side `Disconnected`; changing the
//! address space of a peered VNet leaves the remote peerings out of sync until synced; removing
//! an object removes what hangs off it (a VNet's subnets, VMs, peerings, gateways and their
//! connections, and the intents of every endpoint that goes); renaming updates every reference.
//! Both follow the one list of name references in the model
//! ([`Design::referencing`](crate::model::Design::referencing)). Hosts have no edit of their
//! own: replacing a site with a host renamed in place renames it in the intents too, and
//! replacing it without a host removes that host's intents, as renaming or removing a VM does.
//!
//! [`peering`] builds the edits that repair a peering pair, for every caller that offers them;
//! [`transit`] switches gateway transit for a hub and its spokes in one step.

mod apply;
mod object;
pub mod peering;
mod remove;
pub mod transit;
mod unread;

pub use object::{Object, ObjectRef};

use crate::model::{Assumptions, Design, ModelError, ObjectKind};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// One change to a design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edit {
    /// Add an object: at the end of its list, or at `at` (used by undo to restore positions).
    Add {
        /// The new object.
        object: Object,
        /// Position in its list; `None` appends.
        at: Option<usize>,
    },
    /// Remove an object and everything that hangs off it, with Azure's side effects.
    Remove(ObjectRef),
    /// Remove exactly this object, with no cascade and no side effect: the inverse of `Add`.
    Withdraw(ObjectRef),
    /// Rename an object and update every reference to it.
    Rename {
        /// The object to rename.
        target: ObjectRef,
        /// The new name (for a subnet, only the subnet part).
        to: String,
    },
    /// Replace the object of the same kind and name with a modified version.
    Replace(Object),
    /// Sync a peering with its remote VNet's current address space.
    SyncPeering(String),
    /// Switch the assumptions the evaluation runs under.
    SetAssumptions(Assumptions),
    /// Change the design's title and description.
    SetInfo {
        /// New title.
        name: String,
        /// New description.
        description: String,
    },
    /// Several edits applied as one step (one undo).
    Batch(Vec<Edit>),
}

/// Why an edit was refused. The design is unchanged when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The edit names an object that does not exist.
    #[error("there is no {kind} `{name}`")]
    NotFound {
        /// Kind of the missing object.
        kind: ObjectKind,
        /// Its name.
        name: String,
    },
    /// The edit would break an invariant of the design.
    #[error("{0}")]
    Invalid(#[from] ModelError),
    /// The edit makes no sense as given.
    #[error("{0}")]
    Refused(String),
}

impl Edit {
    /// Applies the edit and returns the edit that undoes it exactly.
    ///
    /// ```
    /// use vnetlab::edit::{Edit, Object, ObjectRef};
    /// use vnetlab::model::{Design, ObjectKind, Peering, PeeringState};
    /// let mut d = Design::example_pair();
    /// let original = d.clone();
    /// let undo_ab = Edit::Add { object: Object::Peering(Peering::new("a-to-b", "a", "b")), at: None }.apply(&mut d).unwrap();
    /// Edit::Add { object: Object::Peering(Peering::new("b-to-a", "b", "a")), at: None }.apply(&mut d).unwrap();
    /// // Deleting one side of a connected pair leaves the other Disconnected.
    /// let undo = Edit::Remove(ObjectRef::new(ObjectKind::Peering, "b-to-a")).apply(&mut d).unwrap();
    /// assert_eq!(d.peering_state(d.peering("a-to-b").unwrap()), PeeringState::Disconnected);
    /// undo.apply(&mut d).unwrap();
    /// assert_eq!(d.peering_state(d.peering("a-to-b").unwrap()), PeeringState::Connected);
    /// ```
    pub fn apply(&self, design: &mut Design) -> Result<Edit, EditError> {
        self.apply_timed(design).map(|(inverse, _)| inverse)
    }

    /// [`Edit::apply`], also returning how long the final validation of the whole design took
    /// (what `vnetlab bench` reports as the `validate` phase; two clock reads cost nothing next
    /// to it).
    pub fn apply_timed(&self, design: &mut Design) -> Result<(Edit, Duration), EditError> {
        self.apply_checked(design, |edited| edited.validate().into_iter().next())
    }

    /// Applies, then runs `check` on the edited design and times it; the first error it finds
    /// undoes the change and refuses the edit.
    fn apply_checked(
        &self,
        design: &mut Design,
        check: impl FnOnce(&Design) -> Option<ModelError>,
    ) -> Result<(Edit, Duration), EditError> {
        let inverse = self.apply_unchecked(design)?;
        let started = Instant::now();
        let error = check(design);
        let validation = started.elapsed();
        if let Some(error) = error {
            // Undo the change before reporting; the inverse of a just-applied edit always applies.
            let _ = inverse.apply_unchecked(design);
            return Err(EditError::Invalid(error));
        }
        Ok((inverse, validation))
    }

    /// Applies without the final validation; `Batch` rolls back its own prefix on failure.
    fn apply_unchecked(&self, design: &mut Design) -> Result<Edit, EditError> {
        match self {
            Edit::Add { object, at } => apply::add(design, object.clone(), *at),
            Edit::Remove(target) => remove::remove(design, target),
            Edit::Withdraw(target) => apply::withdraw(design, target),
            Edit::Rename { target, to } => apply::rename(design, target, to),
            Edit::Replace(object) => apply::replace(design, object.clone()),
            Edit::SyncPeering(name) => apply::sync_peering(design, name),
            Edit::SetAssumptions(new) => {
                let old = std::mem::replace(&mut design.assumptions, *new);
                Ok(Edit::SetAssumptions(old))
            }
            Edit::SetInfo { name, description } => {
                let old_name = std::mem::replace(&mut design.name, name.clone());
                let old_description =
                    std::mem::replace(&mut design.description, description.clone());
                Ok(Edit::SetInfo {
                    name: old_name,
                    description: old_description,
                })
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply_unchecked(design) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(error) => {
                            for inverse in inverses.iter().rev() {
                                let _ = inverse.apply_unchecked(design);
                            }
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }

    /// The description for the status bar of this edit about to be applied to `design`: like
    /// [`Edit::describe`], but an appliance is called one (`add appliance nva-b`) and a changed
    /// peering says which settings changed and to what
    /// (`change peering a-to-b: use remote gateways on`).
    pub fn describe_in(&self, design: &crate::model::Design) -> String {
        match self {
            Edit::Add {
                object: Object::Vm(vm),
                ..
            } if vm.appliance.is_some() => format!("add appliance {}", vm.name),
            Edit::Replace(Object::Peering(new)) => {
                let Some(old) = design.peering(&new.name) else {
                    return self.describe();
                };
                let changed: Vec<String> = crate::model::PeeringFlag::ALL
                    .into_iter()
                    .filter(|flag| flag.get(old) != flag.get(new))
                    .map(|flag| {
                        format!(
                            "{} {}",
                            flag.words(),
                            if flag.get(new) { "on" } else { "off" }
                        )
                    })
                    .collect();
                if changed.is_empty() {
                    self.describe()
                } else {
                    format!("change peering {}: {}", new.name, changed.join(", "))
                }
            }
            Edit::Batch(edits) => match edits.as_slice() {
                [] => "nothing".to_string(),
                [one] => one.describe_in(design),
                [first, rest @ ..] => {
                    format!("{} (+{} more)", first.describe_in(design), rest.len())
                }
            },
            _ => self.describe(),
        }
    }

    /// A short description for history lists and the status bar ("add peering a-to-b").
    pub fn describe(&self) -> String {
        match self {
            Edit::Add { object, .. } => format!("add {} {}", object.kind(), object.name()),
            Edit::Remove(target) | Edit::Withdraw(target) => {
                format!("remove {} {}", target.kind, target.name)
            }
            Edit::Rename { target, to } => {
                format!("rename {} {} to {}", target.kind, target.name, to)
            }
            Edit::Replace(object) => format!("change {} {}", object.kind(), object.name()),
            Edit::SyncPeering(name) => format!("sync peering {name}"),
            Edit::SetAssumptions(_) => "change assumptions".to_string(),
            Edit::SetInfo { .. } => "change design title".to_string(),
            Edit::Batch(edits) => match edits.as_slice() {
                [] => "nothing".to_string(),
                [one] => one.describe(),
                [first, rest @ ..] => format!("{} (+{} more)", first.describe(), rest.len()),
            },
        }
    }
}
