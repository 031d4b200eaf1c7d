//! Attaching a route table or an NSG to subnets from its own form (audit row 8): one toggle per
//! subnet of the design, on for the subnets that use it now. Submitting adds or changes the
//! table or NSG and re-points the subnets whose toggle changed, as one undoable batch, so a
//! table is never created in one place and attached in another.
//!
//! The toggles are keyed by the subnet's index in [`subnets`] (every VNet's subnets in design
//! order), which is stable while the form is open because the design does not change under it.

use super::{Field, FieldKey, Form};
use crate::edit::{Edit, Object};
use crate::model::{Design, SubnetRef};

/// What is being attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Attached {
    /// A route table (`Subnet::route_table`).
    RouteTable,
    /// An NSG (`Subnet::nsg`).
    Nsg,
}

impl Attached {
    /// The subnet's current reference of this kind.
    fn of(self, subnet: &crate::model::Subnet) -> Option<&str> {
        match self {
            Attached::RouteTable => subnet.route_table.as_deref(),
            Attached::Nsg => subnet.nsg.as_deref(),
        }
    }

    fn set(self, subnet: &mut crate::model::Subnet, name: Option<String>) {
        match self {
            Attached::RouteTable => subnet.route_table = name,
            Attached::Nsg => subnet.nsg = name,
        }
    }
}

/// Every subnet of the design, in design order: the list the toggles index.
fn subnets(design: &Design) -> Vec<SubnetRef> {
    design
        .vnets
        .iter()
        .flat_map(|v| v.subnets.iter().map(|s| SubnetRef::new(&v.name, &s.name)))
        .collect()
}

/// One toggle per subnet, on where the subnet uses `current` (the object being edited; `None`
/// for a new one). A subnet that uses another table or NSG says so in its label, since
/// switching it on moves it here.
pub(super) fn toggles(design: &Design, what: Attached, current: Option<&str>) -> Vec<Field> {
    subnets(design)
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let subnet = design.subnet(r)?;
            let now = what.of(subnet);
            let label = match now {
                Some(other) if Some(other) != current => format!("attach to {r} (now {other})"),
                _ => format!("attach to {r}"),
            };
            Some(Field::toggle(
                FieldKey::Attach(i),
                &label,
                now.is_some() && now == current,
            ))
        })
        .collect()
}

/// The subnet edits that make exactly the switched-on subnets use `name` (`original`: the
/// object's name before this edit, whose subnets are detached when switched off).
pub(super) fn edits(
    design: &Design,
    form: &Form,
    what: Attached,
    original: Option<&str>,
    name: &str,
) -> Vec<Edit> {
    let mut found = Vec::new();
    for (i, r) in subnets(design).iter().enumerate() {
        let Some(subnet) = design.subnet(r) else {
            continue;
        };
        let on = form.is_on(FieldKey::Attach(i));
        let now = what.of(subnet);
        let uses_it = now.is_some() && now == original;
        if on == uses_it {
            continue;
        }
        let mut changed = subnet.clone();
        what.set(&mut changed, on.then(|| name.to_string()));
        found.push(Edit::Replace(Object::Subnet {
            vnet: r.vnet.clone(),
            subnet: changed,
        }));
    }
    found
}

/// The subnet edits then `main`, as one edit. `main` comes last so that the app selects the
/// table or NSG afterwards (it selects what a batch's last edit touches); the order is free
/// otherwise, since a batch is validated once, at its end.
pub(super) fn with_attachments(main: Edit, mut attachments: Vec<Edit>) -> Edit {
    if attachments.is_empty() {
        main
    } else {
        attachments.push(main);
        Edit::Batch(attachments)
    }
}
