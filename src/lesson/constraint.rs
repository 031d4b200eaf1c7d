//! Checking a lesson's constraints: against the start design, the current design, and the edits
//! made since the start (oldest first, undone edits removed).

use super::{Constraint, Lesson};
use crate::edit::{Edit, ObjectRef};
use crate::model::{Design, ObjectKind};
use serde::Serialize;
use std::collections::BTreeSet;

/// The outcome of one constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConstraintStatus {
    /// The constraint.
    pub constraint: Constraint,
    /// The rule in words ("do not delete peering `a-to-b`").
    pub description: String,
    /// Whether it holds.
    pub holds: bool,
    /// Why it is broken, naming the objects.
    pub detail: Option<String>,
}

/// Checks every constraint of `lesson` for `current`, reached from the start design by `edits`.
pub(super) fn check_constraints(
    lesson: &Lesson,
    current: &Design,
    edits: &[Edit],
) -> Vec<ConstraintStatus> {
    lesson
        .constraints
        .iter()
        .map(|constraint| {
            let broken = match constraint {
                Constraint::NoNewPeering => new_peering(&lesson.start, current),
                Constraint::MaxEdits(max) => (edits.len() > *max).then(|| {
                    format!(
                        "{} edits made, {} more than allowed",
                        edits.len(),
                        edits.len() - max
                    )
                }),
                Constraint::Keep { kind, name } => lost(&lesson.start, current, edits, *kind, name),
                Constraint::KeepAssumptions => (current.assumptions != lesson.start.assumptions)
                    .then(|| {
                        "the assumptions were changed; this lesson works under the ones it sets"
                            .to_string()
                    }),
            };
            ConstraintStatus {
                constraint: constraint.clone(),
                description: describe(constraint),
                holds: broken.is_none(),
                detail: broken,
            }
        })
        .collect()
}

/// The rule in words, for the lesson card.
pub(super) fn describe(constraint: &Constraint) -> String {
    match constraint {
        Constraint::NoNewPeering => "peer no VNets that were not already peered".to_string(),
        Constraint::MaxEdits(1) => "at most 1 edit".to_string(),
        Constraint::MaxEdits(n) => format!("at most {n} edits"),
        Constraint::Keep { kind, name } => format!("do not delete {kind} `{name}`"),
        Constraint::KeepAssumptions => "keep the lesson's assumptions".to_string(),
    }
}

/// The unordered VNet pairs joined by at least one peering link.
fn peered_pairs(design: &Design) -> BTreeSet<(&str, &str)> {
    design
        .peerings
        .iter()
        .map(|p| {
            let (a, b) = (p.local.as_str(), p.remote.as_str());
            if a <= b { (a, b) } else { (b, a) }
        })
        .collect()
}

fn new_peering(start: &Design, current: &Design) -> Option<String> {
    let before = peered_pairs(start);
    let added: Vec<String> = peered_pairs(current)
        .into_iter()
        .filter(|pair| !before.contains(pair))
        .map(|(a, b)| format!("`{a}` and `{b}`"))
        .collect();
    (!added.is_empty()).then(|| format!("new peering between {}", added.join(", ")))
}

/// Why the object is gone (or was gone at some point), if it was.
fn lost(
    start: &Design,
    current: &Design,
    edits: &[Edit],
    kind: ObjectKind,
    name: &str,
) -> Option<String> {
    let target = ObjectRef::new(kind, name);
    let owner = owning_vnet(start, kind, name);
    let mut flat = Vec::new();
    flatten(edits, &mut flat);
    for edit in flat {
        match edit {
            Edit::Remove(r) | Edit::Withdraw(r) if *r == target => {
                return Some(format!("{kind} `{name}` was deleted"));
            }
            Edit::Remove(r) if r.kind == ObjectKind::Vnet && owner.contains(&r.name.as_str()) => {
                return Some(format!(
                    "{kind} `{name}` was deleted with VNet `{}`",
                    r.name
                ));
            }
            Edit::Rename { target: r, to } if *r == target => {
                return Some(format!("{kind} `{name}` was renamed to `{to}`"));
            }
            _ => {}
        }
    }
    (!exists(current, kind, name)).then(|| format!("{kind} `{name}` is gone"))
}

fn flatten<'a>(edits: &'a [Edit], out: &mut Vec<&'a Edit>) {
    for edit in edits {
        match edit {
            Edit::Batch(inner) => flatten(inner, out),
            other => out.push(other),
        }
    }
}

/// The VNets whose removal takes the object with it.
fn owning_vnet<'a>(design: &'a Design, kind: ObjectKind, name: &'a str) -> Vec<&'a str> {
    match kind {
        ObjectKind::Vnet => vec![name],
        ObjectKind::Subnet => name.split_once('/').map(|(v, _)| v).into_iter().collect(),
        ObjectKind::Peering => design
            .peering(name)
            .map(|p| vec![p.local.as_str(), p.remote.as_str()])
            .unwrap_or_default(),
        ObjectKind::Gateway => design
            .gateway(name)
            .map(|g| g.vnet.as_str())
            .into_iter()
            .collect(),
        ObjectKind::Vm => design
            .vm(name)
            .and_then(|vm| vm.primary())
            .map(|nic| nic.subnet.vnet.as_str())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether the design has an object of this kind and name.
pub(super) fn exists(design: &Design, kind: ObjectKind, name: &str) -> bool {
    design.has_object(kind, name)
}

/// Whether any object of any kind has this name (`vnet/subnet` for subnets).
pub(super) fn any_object_named(design: &Design, name: &str) -> bool {
    ObjectKind::ALL
        .into_iter()
        .any(|kind| exists(design, kind, name))
}
