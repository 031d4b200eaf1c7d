//! Three small forms that are not objects: the flow the matrix is evaluated for, Save as, and
//! the assumptions for contested Azure behaviour.

use super::intent::parse_flow;
use super::{Checker, Context, Field, FieldKey, Form, Submit};
use crate::edit::Edit;
use crate::model::Design;
use std::path::PathBuf;

pub(super) fn flow_form(context: &Context) -> Form {
    Form::new(
        "Flow",
        vec![Field::text(
            FieldKey::Flow,
            "Flow (tcp/443, udp/53, icmp, any)",
            context.flow.to_string(),
        )],
    )
}

pub(super) fn build_flow(form: &Form, check: &mut Checker) -> Option<Submit> {
    parse_flow(form, check).map(Submit::Flow)
}

pub(super) fn save_as_form(context: &Context) -> Form {
    let path = context
        .file
        .as_ref()
        .map_or_else(|| "design.ron".to_string(), |p| p.display().to_string());
    Form::new("Save as", vec![Field::text(FieldKey::Path, "File", path)])
}

pub(super) fn build_save_as(form: &Form, check: &mut Checker) -> Option<Submit> {
    let path = form.value(FieldKey::Path).trim();
    if path.is_empty() {
        check.error(FieldKey::Path, "enter a file name, like my-design.ron");
        return None;
    }
    if path.ends_with('/') {
        check.error(
            FieldKey::Path,
            "that is a folder; add a file name, like my-design.ron",
        );
        return None;
    }
    Some(Submit::SaveAs(PathBuf::from(path)))
}

/// The assumptions by their `Assumptions::set` name, with labels and choices, in the order of
/// `Assumptions`; the form keys each by its index here.
const ASSUMPTIONS: [(&str, &str, [&str; 2]); 6] = [
    (
        "vnet_access_disabled",
        "VNet access off means",
        ["DocumentedIntent", "TagOnly"],
    ),
    (
        "forwarded_traffic",
        "allowForwardedTraffic",
        ["Enforce", "Ignore"],
    ),
    (
        "gateway_hops_exempt_from_forwarding_check",
        "Gateway hops exempt",
        ["true", "false"],
    ),
    (
        "vnet_tag_widens_with_default_route",
        "0/0 UDR widens VirtualNetwork",
        ["true", "false"],
    ),
    (
        "gov_global_peering",
        "Gov global peering",
        ["Forbidden", "Allowed"],
    ),
    (
        "avnm_peerings_allow_forwarded_traffic",
        "AVNM peerings forward",
        ["true", "false"],
    ),
];

pub(super) fn assumptions_form(design: &Design) -> Option<Form> {
    let a = design.assumptions;
    let current = [
        format!("{:?}", a.vnet_access_disabled),
        format!("{:?}", a.forwarded_traffic),
        a.gateway_hops_exempt_from_forwarding_check.to_string(),
        a.vnet_tag_widens_with_default_route.to_string(),
        format!("{:?}", a.gov_global_peering),
        a.avnm_peerings_allow_forwarded_traffic.to_string(),
    ];
    let fields = ASSUMPTIONS
        .iter()
        .zip(current)
        .enumerate()
        .map(|(i, ((_, label, choices), value))| {
            Field::choice(
                FieldKey::Assumption(i),
                label,
                choices.iter().map(|c| c.to_string()).collect(),
                &value,
            )
        })
        .collect();
    Some(Form::new("Assumptions (contested Azure behaviour)", fields))
}

pub(super) fn build_assumptions(form: &Form, check: &mut Checker) -> Option<Submit> {
    let mut assumptions = crate::model::Assumptions::default();
    for (i, (name, _, _)) in ASSUMPTIONS.into_iter().enumerate() {
        let key = FieldKey::Assumption(i);
        if let Err(e) = assumptions.set(name, form.value(key)) {
            check.error(key, e);
        } else if let Some(meaning) = crate::model::assumption_meaning(name, form.value(key)) {
            check.note(key, meaning);
        }
    }
    Some(Submit::Edit(Edit::SetAssumptions(assumptions)))
}
