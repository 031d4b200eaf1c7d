//! The form for one peering link: sensible default ends, a swap instead of a refusal when both
//! ends are the same VNet, and Azure's peering rules checked as you type. "Peer as hub and
//! spokes" lives in [`super::hub`].

use super::{Checker, Context, Submit, add_or_replace};
use super::{Field, FieldKey, Form};
use crate::edit::Object;
use crate::model::{Design, ObjectKind, Peering, PeeringFlag, PeeringViolation};

/// The setting whose field a violation is reported on (`None`: the link as a whole, reported on
/// the remote VNet).
fn flag_at_fault(violation: &PeeringViolation) -> Option<PeeringFlag> {
    match violation {
        PeeringViolation::UseRemoteGatewaysWithOwnGateway
        | PeeringViolation::RemoteVnetHasNoGateways
        | PeeringViolation::UseRemoteGatewaysOnSeveralPeerings(_)
        | PeeringViolation::RemoteGatewayWithoutTransit => Some(PeeringFlag::UseRemoteGateways),
        PeeringViolation::TransitWithoutGateway | PeeringViolation::TransitWithBasicGateway(_) => {
            Some(PeeringFlag::AllowGatewayTransit)
        }
        PeeringViolation::Overlap(..)
        | PeeringViolation::SubnetRangeOverlap { .. }
        | PeeringViolation::CrossCloud(..)
        | PeeringViolation::ClassicToClassic
        | PeeringViolation::GovGlobalPeering => None,
    }
}

pub(super) fn peering_form(
    design: &Design,
    original: Option<&str>,
    context: &Context,
) -> Option<Form> {
    let vnets: Vec<String> = design.vnets.iter().map(|v| v.name.clone()).collect();
    if vnets.len() < 2 {
        return None;
    }
    let existing = original.and_then(|o| design.peering(o));
    let (local, remote) = match existing {
        Some(p) => (p.local.clone(), p.remote.clone()),
        None => default_pair(design, context).unwrap_or_else(|| {
            let local = vnets[0].clone();
            let remote = vnets[1].clone();
            (local, remote)
        }),
    };
    let template = existing
        .cloned()
        .unwrap_or_else(|| Peering::new("", &local, &remote));
    let mut fields = vec![
        Field::text(
            FieldKey::Name,
            "Name",
            existing.map_or_else(
                || Peering::default_name(&local, &remote),
                |p| p.name.clone(),
            ),
        ),
        Field::choice(FieldKey::Local, "Local VNet", vnets.clone(), &local),
        Field::choice(FieldKey::Remote, "Remote VNet", vnets, &remote),
    ];
    for flag in PeeringFlag::ALL {
        fields.push(Field::toggle(
            FieldKey::Flag(flag),
            flag.words(),
            flag.get(&template),
        ));
    }
    // Empty lists on both sides peer the whole VNets (Azure's default).
    fields.push(Field::text(
        FieldKey::LocalSubnets,
        "Local subnets (a, b; empty: whole VNet)",
        template.local_subnets.join(", "),
    ));
    fields.push(Field::text(
        FieldKey::RemoteSubnets,
        "Remote subnets (a, b; empty: whole VNet)",
        template.remote_subnets.join(", "),
    ));
    Some(Form::new(
        match original {
            Some(o) => format!("Edit peering {o}"),
            None => "Add peering (one direction)".to_string(),
        },
        fields,
    ))
}

/// The link a new peering most likely is: between two VNets with no link either way, from the
/// one with the most peerings (a hub) to the other; else the missing direction of a half-made
/// pair; else from the selected VNet to the first other one.
fn default_pair(design: &Design, context: &Context) -> Option<(String, String)> {
    let names: Vec<&str> = design.vnets.iter().map(|v| v.name.as_str()).collect();
    let degree = |v: &str| {
        design
            .peerings
            .iter()
            .filter(|p| p.local == v || p.remote == v)
            .count()
    };
    let unlinked = names.iter().enumerate().flat_map(|(i, a)| {
        names[i + 1..].iter().filter_map(move |b| {
            (design.peering_between(a, b).is_none() && design.peering_between(b, a).is_none())
                .then_some((*a, *b))
        })
    });
    // The hub-like end is local; among equals, the earlier pair (design order) wins.
    let best = unlinked
        .map(|(a, b)| {
            if degree(b) > degree(a) {
                (b, a)
            } else {
                (a, b)
            }
        })
        .enumerate()
        .max_by_key(|(i, (a, _))| (degree(a), std::cmp::Reverse(*i)))
        .map(|(_, pair)| pair);
    let half = || {
        design
            .peerings
            .iter()
            .find(|p| design.reverse_peering(p).is_none() && design.vnet(&p.remote).is_some())
            .map(|p| (p.remote.as_str(), p.local.as_str()))
    };
    let selected = || {
        let local = context.vnet.as_deref()?;
        let remote = names.iter().find(|v| **v != local)?;
        Some((local, *remote))
    };
    best.or_else(half)
        .or_else(selected)
        .map(|(a, b)| (a.to_string(), b.to_string()))
}

/// Choosing as Local the VNet that is Remote (or the reverse) swaps the two rather than making
/// a link from a VNet to itself: the other field takes the value the changed one had. That
/// value is read from the untouched default name (`old-local-to-old-remote`); when the name
/// was typed, the other field takes the first other VNet.
pub(super) fn swap_when_same(design: &Design, form: &mut Form) {
    let local = form.value(FieldKey::Local).to_string();
    let remote = form.value(FieldKey::Remote).to_string();
    if local != remote {
        return;
    }
    let (other, old) = match form.fields.get(form.focus).map(|f| f.key) {
        Some(FieldKey::Local) => (
            FieldKey::Remote,
            design
                .vnets
                .iter()
                .find(|v| Peering::default_name(&v.name, &remote) == form.value(FieldKey::Name)),
        ),
        Some(FieldKey::Remote) => (
            FieldKey::Local,
            design
                .vnets
                .iter()
                .find(|v| Peering::default_name(&local, &v.name) == form.value(FieldKey::Name)),
        ),
        _ => return,
    };
    let old = old
        .filter(|v| form.is_pristine(FieldKey::Name) && v.name != local)
        .or_else(|| design.vnets.iter().find(|v| v.name != local))
        .map(|v| v.name.clone());
    if let (Some(old), Some(field)) = (old, form.field_mut(other)) {
        field.set_value(old);
    }
}

/// Keeps an untouched name equal to `local-to-remote` as the VNets change.
pub(super) fn follow_default_name(form: &mut Form) {
    let name = Peering::default_name(form.value(FieldKey::Local), form.value(FieldKey::Remote));
    form.follow(FieldKey::Name, name);
}

pub(super) fn build_peering(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Peering, original);
    let local = form.value(FieldKey::Local).to_string();
    let remote = form.value(FieldKey::Remote).to_string();
    if local == remote {
        check.error(
            FieldKey::Remote,
            "a VNet cannot peer with itself; choose another remote VNet",
        );
    }
    if let Some(existing) = design.peering_between(&local, &remote)
        && Some(existing.name.as_str()) != original
    {
        check.error(
            FieldKey::Remote,
            format!(
                "{local} already has a link to {remote} ({}); edit that one",
                existing.name
            ),
        );
    }
    let mut peering = original
        .and_then(|o| design.peering(o))
        .cloned()
        .unwrap_or_else(|| Peering::new(&name, &local, &remote));
    peering.name = name;
    peering.local = local;
    peering.remote = remote;
    for flag in PeeringFlag::ALL {
        flag.set(&mut peering, form.is_on(FieldKey::Flag(flag)));
    }
    peering.local_subnets =
        subnet_list(design, form, FieldKey::LocalSubnets, &peering.local, check);
    peering.remote_subnets = subnet_list(
        design,
        form,
        FieldKey::RemoteSubnets,
        &peering.remote,
        check,
    );
    for violation in design.peering_violations(&peering) {
        let key = flag_at_fault(&violation).map_or(FieldKey::Remote, FieldKey::Flag);
        if violation.invalidates_peering() {
            check.error(key, format!("Azure refuses this peering: {violation}"));
        } else {
            check.note(key, format!("{}: {violation}", violation.rule()));
        }
    }
    if original.is_none() && design.reverse_peering(&peering).is_none() && !check.failed() {
        check.note(
            FieldKey::Remote,
            "this link stays Initiated until the reverse link exists (r in Peerings)",
        );
    }
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Peering,
        original,
        Object::Peering(peering),
    )))
}

/// The comma-separated subnet names of field `key`, each checked to be a subnet of `vnet`.
fn subnet_list(
    design: &Design,
    form: &Form,
    key: FieldKey,
    vnet: &str,
    check: &mut Checker,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in form
        .value(key)
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if names.iter().any(|n| n == name) {
            continue;
        }
        match design.vnet(vnet) {
            Some(v) if v.subnet(name).is_some() => names.push(name.to_string()),
            Some(v) => {
                let known: Vec<&str> = v.subnets.iter().map(|s| s.name.as_str()).collect();
                check.error(
                    key,
                    format!(
                        "{vnet} has no subnet {name}; use one of: {}",
                        known.join(", ")
                    ),
                );
            }
            None => check.error(key, "choose an existing VNet before listing its subnets"),
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::super::{Context, FieldKey, FormSpec, Submit};
    use crate::edit::{Edit, Object};
    use crate::model::Design;

    #[test]
    fn subnet_lists_are_read_and_checked_against_each_vnets_subnets() {
        let design = Design::example_pair();
        let spec = FormSpec::Peering(None);
        let mut form = spec.open(&design, &Context::default()).expect("two VNets");
        let mut set = |key: FieldKey, value: &str| {
            if let Some(field) = form.field_mut(key) {
                field.set_value(value);
            }
        };
        set(FieldKey::LocalSubnets, "default");
        set(FieldKey::RemoteSubnets, "default, nope");
        let check = spec
            .build(&design, &form)
            .expect_err("`nope` is not a subnet of b");
        assert!(
            check
                .errors
                .iter()
                .any(|(k, m)| *k == FieldKey::RemoteSubnets && m.contains("no subnet nope")),
            "{check:?}"
        );
        if let Some(field) = form.field_mut(FieldKey::RemoteSubnets) {
            field.set_value(" default ,default");
        }
        match spec.build(&design, &form) {
            Ok(Submit::Edit(Edit::Add {
                object: Object::Peering(p),
                ..
            })) => {
                assert_eq!(
                    (p.local_subnets, p.remote_subnets),
                    (vec!["default".to_string()], vec!["default".to_string()])
                );
            }
            other => panic!("expected a new subnet peering, got {other:?}"),
        }
    }
}
