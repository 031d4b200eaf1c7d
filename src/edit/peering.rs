//! The edits that bring a peering pair to Connected, built once for everyone who offers them
//! (lint's fixes, the engine's fixes, the TUI): adding the missing reverse link
//! ([`Peering::reverse_for`] says how it is set), and recreating a Disconnected link.
//!
//! Recreating is an in-place [`Edit::Replace`] of the link by [`Peering::recreated`]: Azure can
//! only delete a Disconnected link and create it again, and in the design that is the same link,
//! in sync and no longer disconnected, at the same position (so undo restores exactly that).

use super::{Edit, Object};
use crate::model::{Design, Peering};

/// What [`recreate`] does, for describing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recreation {
    /// The edit: one `Replace`, or a batch with the other side's repair.
    pub edit: Edit,
    /// The reverse link, recreated too because it was Disconnected as well.
    pub also_recreated: Option<String>,
    /// The reverse link, added because it was missing.
    pub added: Option<Peering>,
}

impl Recreation {
    /// The repair in words, for the link named `disconnected`: "delete `a-to-b` and create it
    /// again, together with `b-to-a` …". Lint's fixes and the engine's say the same.
    pub fn describe(&self, disconnected: &str) -> String {
        let mut description = format!("delete `{disconnected}` and create it again");
        if let Some(back) = &self.also_recreated {
            description.push_str(&format!(", together with `{back}`"));
        }
        if let Some(back) = &self.added {
            description.push_str(&format!(
                ", together with `{}` from `{}` to `{}`",
                back.name, back.local, back.remote
            ));
        }
        description
    }
}

/// [`add_reverse`] in words, naming the settings the new link `back` carries: "add peering
/// `b-to-a` from `b` to `a` with allow forwarded traffic, matching `a-to-b`". Lint's fixes and
/// the engine's say the same.
pub fn describe_reverse(back: &Peering, peering: &Peering) -> String {
    let settings = back.non_default_settings();
    let settings = if settings.is_empty() {
        String::new()
    } else {
        format!(" with {}", settings.join(", "))
    };
    format!(
        "add peering `{}` from `{}` to `{}`{settings}, matching `{}`",
        back.name, back.local, back.remote, peering.name
    )
}

/// Adds the reverse of `peering` ([`Peering::reverse_for`]), which makes an Initiated link
/// Connected.
///
/// ```
/// use vnetlab::edit::peering::add_reverse;
/// use vnetlab::model::{Design, Peering, PeeringState};
/// let mut d = Design::example_pair();
/// d.peerings.push(Peering::new("a-to-b", "a", "b"));
/// let (edit, back) = add_reverse(&d, &d.peerings[0]);
/// assert_eq!(back.name, "b-to-a");
/// edit.apply(&mut d).unwrap();
/// assert_eq!(d.peering_state(&d.peerings[0]), PeeringState::Connected);
/// ```
pub fn add_reverse(design: &Design, peering: &Peering) -> (Edit, Peering) {
    let back = peering.reverse_for(design);
    let edit = Edit::Add {
        object: Object::Peering(back.clone()),
        at: None,
    };
    (edit, back)
}

/// Recreates a Disconnected link, and with it the reverse: recreated too when it is also
/// Disconnected, added when it is missing, left as it is otherwise.
///
/// ```
/// use vnetlab::edit::{Edit, ObjectRef, peering::recreate};
/// use vnetlab::model::{Design, ObjectKind, Peering, PeeringState};
/// let mut d = Design::example_pair();
/// d.peerings.push(Peering::new("a-to-b", "a", "b"));
/// d.peerings.push(Peering::new("b-to-a", "b", "a"));
/// Edit::Remove(ObjectRef::new(ObjectKind::Peering, "b-to-a")).apply(&mut d).unwrap();
/// let repair = recreate(&d, &d.peerings[0]);
/// assert_eq!(repair.added.as_ref().map(|p| p.name.as_str()), Some("b-to-a"));
/// repair.edit.apply(&mut d).unwrap();
/// assert_eq!(d.peering_state(&d.peerings[0]), PeeringState::Connected);
/// ```
pub fn recreate(design: &Design, disconnected: &Peering) -> Recreation {
    let fresh = disconnected.recreated();
    let mut edits = vec![Edit::Replace(Object::Peering(fresh.clone()))];
    let mut repair = Recreation {
        edit: Edit::Batch(Vec::new()),
        also_recreated: None,
        added: None,
    };
    match design.reverse_peering(disconnected) {
        Some(back) if back.disconnected => {
            repair.also_recreated = Some(back.name.clone());
            edits.push(Edit::Replace(Object::Peering(back.recreated())));
        }
        Some(_) => {}
        None => {
            let (add, back) = add_reverse(design, &fresh);
            repair.added = Some(back);
            edits.push(add);
        }
    }
    repair.edit = Edit::Batch(edits);
    repair
}
