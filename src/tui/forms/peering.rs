//! Forms for one peering link and for "peer as hub and spokes" (both links between a hub and
//! each chosen spoke, with the chosen flags, as one undoable batch).

use super::{Checker, Context, Submit, add_or_replace};
use super::{Field, FieldKey, Form};
use crate::edit::{Edit, Object};
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
        None => {
            let local = context.vnet.clone().unwrap_or_else(|| vnets[0].clone());
            // The first VNet this one has no link to yet.
            let remote = vnets
                .iter()
                .find(|v| **v != local && design.peering_between(&local, v).is_none())
                .or_else(|| vnets.iter().find(|v| **v != local))
                .cloned()
                .unwrap_or_default();
            (local, remote)
        }
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
    let taken: Vec<&str> = design.peerings.iter().map(|p| p.name.as_str()).collect();
    let name = check.name(form, FieldKey::Name, &taken, original, "peering");
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

pub(super) fn hub_spokes_form(design: &Design, context: &Context) -> Form {
    let vnets: Vec<String> = design.vnets.iter().map(|v| v.name.clone()).collect();
    let hub = context
        .vnet
        .clone()
        .filter(|v| design.gateways_in(v).next().is_some() || design.vnets.len() < 3)
        .or_else(|| {
            design
                .vnets
                .iter()
                .find(|v| design.gateways_in(&v.name).next().is_some())
                .map(|v| v.name.clone())
        })
        .or_else(|| vnets.first().cloned())
        .unwrap_or_default();
    let mut fields = vec![Field::choice(FieldKey::Hub, "Hub", vnets.clone(), &hub)];
    // One toggle per VNet, keyed by its index: the hub's own toggle is ignored when building.
    for (i, vnet) in design.vnets.iter().enumerate() {
        fields.push(Field::toggle(
            FieldKey::Spoke(i),
            &format!("spoke {}", vnet.name),
            false,
        ));
    }
    let has_gateway = design.gateways_in(&hub).next().is_some();
    fields.push(Field::toggle(
        FieldKey::Flag(PeeringFlag::AllowForwardedTraffic),
        "allow forwarded traffic",
        true,
    ));
    fields.push(Field::toggle(
        FieldKey::Flag(PeeringFlag::AllowGatewayTransit),
        "gateway transit (hub's gateway)",
        has_gateway,
    ));
    Form::new("Peer as hub and spokes", fields)
}

pub(super) fn build_hub_spokes(
    design: &Design,
    form: &Form,
    check: &mut Checker,
) -> Option<Submit> {
    let hub = form.value(FieldKey::Hub).to_string();
    if design.vnet(&hub).is_none() {
        check.error(FieldKey::Hub, "add VNets first");
        return None;
    }
    let spokes: Vec<&str> = design
        .vnets
        .iter()
        .enumerate()
        .filter(|(i, v)| v.name != hub && form.is_on(FieldKey::Spoke(*i)))
        .map(|(_, v)| v.name.as_str())
        .collect();
    if spokes.is_empty() {
        check.error(
            FieldKey::Hub,
            "switch on at least one spoke (Tab to it, Space)",
        );
    }
    let forwarded = form.is_on(FieldKey::Flag(PeeringFlag::AllowForwardedTraffic));
    let transit = form.is_on(FieldKey::Flag(PeeringFlag::AllowGatewayTransit));
    if transit {
        match design.gateways_in(&hub).next() {
            None => check.error(
                FieldKey::Flag(PeeringFlag::AllowGatewayTransit),
                format!("{hub} has no gateway to share; add one first or switch transit off"),
            ),
            Some(gw) if !gw.sku.supports_transit() => check.error(
                FieldKey::Flag(PeeringFlag::AllowGatewayTransit),
                format!(
                    "gateway {} has the Basic SKU, which does not support gateway transit; pick VpnGw1 or higher",
                    gw.name
                ),
            ),
            Some(_) => {}
        }
        for spoke in &spokes {
            if let Some(gw) = design.gateways_in(spoke).next() {
                check.error(
                    FieldKey::Flag(PeeringFlag::AllowGatewayTransit),
                    format!(
                        "{spoke} has its own gateway {}; a VNet with a gateway cannot use a remote one",
                        gw.name
                    ),
                );
            }
            if let Some(other) = design
                .peerings
                .iter()
                .find(|p| p.local == *spoke && p.remote != hub && p.use_remote_gateways)
            {
                check.error(
                    FieldKey::Flag(PeeringFlag::AllowGatewayTransit),
                    format!(
                        "{spoke} already uses the gateway of {} ({}); a VNet can use only one remote gateway",
                        other.remote, other.name
                    ),
                );
            }
        }
    }
    let mut edits = Vec::new();
    for spoke in spokes {
        for (local, remote, hub_side) in [(hub.as_str(), spoke, true), (spoke, hub.as_str(), false)]
        {
            let mut link = design
                .peering_between(local, remote)
                .cloned()
                .unwrap_or_else(|| {
                    Peering::new(Peering::default_name(local, remote), local, remote)
                });
            let is_new = design.peering_between(local, remote).is_none();
            link.allow_forwarded_traffic = forwarded;
            if hub_side {
                link.allow_gateway_transit = transit;
            } else {
                link.use_remote_gateways = transit;
            }
            if is_new {
                if design.peering(&link.name).is_some() {
                    check.error(
                        FieldKey::Hub,
                        format!(
                            "a peering named {} already exists between other VNets; rename it first",
                            link.name
                        ),
                    );
                }
                for violation in design
                    .peering_violations(&link)
                    .iter()
                    .filter(|v| v.invalidates_peering())
                {
                    check.error(
                        FieldKey::Hub,
                        format!("Azure refuses {local} → {remote}: {violation}"),
                    );
                }
                edits.push(Edit::Add {
                    object: Object::Peering(link),
                    at: None,
                });
            } else {
                edits.push(Edit::Replace(Object::Peering(link)));
            }
        }
    }
    Some(Submit::Edit(Edit::Batch(edits)))
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
