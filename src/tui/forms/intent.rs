//! The form for an intent: which pair should (or should not) reach which, for which flow; and
//! the flow parser the flow prompt shares.

use super::{Checker, Context, Submit, add_or_replace};
use super::{Field, FieldKey, Form, name_field};
use crate::edit::Object;
use crate::model::{Design, Expectation, Flow, Intent, ObjectKind};

pub(super) fn intent_form(
    design: &Design,
    original: Option<&str>,
    context: &Context,
) -> Option<Form> {
    let endpoints: Vec<String> = design.endpoints().into_iter().map(|e| e.name).collect();
    if endpoints.len() < 2 {
        return None;
    }
    let existing = original.and_then(|o| design.intent(o));
    if original.is_some() && existing.is_none() {
        return None;
    }
    let (from, to) = existing
        .map(|i| (i.from.clone(), i.to.clone()))
        .or_else(|| context.pair.clone())
        .unwrap_or_else(|| (endpoints[0].clone(), endpoints[1].clone()));
    let taken: Vec<&str> = design.intents.iter().map(|i| i.name.as_str()).collect();
    Some(Form::new(
        match original {
            Some(o) => format!("Edit intent {o}"),
            None => "Add intent".to_string(),
        },
        vec![
            name_field(
                existing.map(|i| i.name.as_str()),
                &format!("{from}-to-{to}"),
                &taken,
            ),
            Field::choice(FieldKey::From, "From", endpoints.clone(), &from),
            Field::choice(FieldKey::To, "To", endpoints, &to),
            Field::text(
                FieldKey::Flow,
                "Flow",
                existing.map_or(context.flow, |i| i.flow).to_string(),
            ),
            Field::choice(
                FieldKey::Expect,
                "Expect",
                vec!["Reachable".into(), "Blocked".into()],
                if existing.is_some_and(|i| i.expect == Expectation::Blocked) {
                    "Blocked"
                } else {
                    "Reachable"
                },
            ),
        ],
    ))
}

pub(super) fn build_intent(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Intent, original);
    let from = form.value(FieldKey::From).to_string();
    let to = form.value(FieldKey::To).to_string();
    if from == to {
        check.error(FieldKey::To, "choose two different endpoints");
    }
    let flow = parse_flow(form, check);
    let intent = Intent {
        name,
        from,
        to,
        flow: flow?,
        expect: if form.value(FieldKey::Expect) == "Blocked" {
            Expectation::Blocked
        } else {
            Expectation::Reachable
        },
    };
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Intent,
        original,
        Object::Intent(intent),
    )))
}

/// The flow field, parsed (intents and the flow prompt).
pub(super) fn parse_flow(form: &Form, check: &mut Checker) -> Option<Flow> {
    match form.value(FieldKey::Flow).parse::<Flow>() {
        Ok(f) => Some(f),
        Err(e) => {
            check.error(FieldKey::Flow, e);
            None
        }
    }
}
