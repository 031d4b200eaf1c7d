//! Forms for what the design says about itself and its owner: the title and description, and
//! the subscriptions with the designer's role in each (which lint's permission checks read).

use super::{Checker, Submit, add_or_replace};
use super::{Field, FieldKey, Form};
use crate::edit::{Edit, Object};
use crate::model::{Design, ObjectKind, Role, Subscription};

pub(super) fn info_form(design: &Design) -> Form {
    Form::new(
        "Design title and description",
        vec![
            Field::text(FieldKey::Name, "Title", design.name.clone()),
            Field::text(
                FieldKey::Description,
                "Description",
                design.description.clone(),
            ),
        ],
    )
}

pub(super) fn build_info(form: &Form, check: &mut Checker) -> Option<Submit> {
    let name = form.value(FieldKey::Name).trim().to_string();
    if name.is_empty() {
        check.error(FieldKey::Name, "give the design a title");
        return None;
    }
    Some(Submit::Edit(Edit::SetInfo {
        name,
        description: form.value(FieldKey::Description).trim().to_string(),
    }))
}

/// The roles the form offers by name: the built-in ones, then a custom role.
fn role_names() -> Vec<String> {
    Role::BUILT_IN
        .iter()
        .map(Role::name)
        .chain([Role::Custom(Vec::new()).name()])
        .map(str::to_string)
        .collect()
}

pub(super) fn subscription_form(design: &Design, original: Option<&str>) -> Option<Form> {
    let (title, name, role, actions) = match original {
        Some(name) => {
            let s = design.subscription(name)?;
            let actions = match &s.role {
                Role::Custom(actions) => actions.join(", "),
                _ => String::new(),
            };
            (
                format!("Edit subscription {name}"),
                s.name.clone(),
                s.role.name(),
                actions,
            )
        }
        None => {
            // Offer the first subscription a VNet names that is not listed yet.
            let listed: Vec<&str> = design
                .subscriptions
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            let unlisted = design
                .vnets
                .iter()
                .map(|v| v.subscription.as_str())
                .find(|s| !s.is_empty() && !listed.contains(s))
                .unwrap_or_default();
            (
                "Add subscription".to_string(),
                unlisted.to_string(),
                Role::NetworkContributor.name(),
                String::new(),
            )
        }
    };
    Some(Form::new(
        title,
        vec![
            Field::text(FieldKey::Name, "Subscription", name),
            Field::choice(FieldKey::Role, "Your role", role_names(), role),
            Field::text(FieldKey::Actions, "Custom actions", actions),
        ],
    ))
}

pub(super) fn build_subscription(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Subscription, original);
    if !name.is_empty() && !design.vnets.iter().any(|v| v.subscription == name) {
        check.note(FieldKey::Name, "no VNet names this subscription yet");
    }
    let actions: Vec<String> = form
        .value(FieldKey::Actions)
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect();
    let role = match Role::built_in(form.value(FieldKey::Role)) {
        Some(built_in) => built_in,
        None => {
            if actions.is_empty() {
                check.error(
                    FieldKey::Actions,
                    "list the custom role's actions, like Microsoft.Network/virtualNetworks/* (separate with commas)",
                );
            }
            Role::Custom(actions.clone())
        }
    };
    if !matches!(role, Role::Custom(_)) && !actions.is_empty() {
        check.note(FieldKey::Actions, "only a Custom role uses these actions");
    }
    if check.failed() {
        return None;
    }
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Subscription,
        original,
        Object::Subscription(Subscription { name, role }),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custom_role_needs_actions_and_keeps_them() {
        let d = Design::example_pair();
        let mut form = subscription_form(&d, None).unwrap();
        form.field_mut(FieldKey::Name).unwrap().set_value("sub-1");
        form.field_mut(FieldKey::Role).unwrap().set_value("Custom");
        let mut check = Checker::default();
        assert!(build_subscription(&d, &form, None, &mut check).is_none());
        assert!(
            check.errors[0].1.contains("custom role's actions"),
            "{check:?}"
        );

        form.field_mut(FieldKey::Actions)
            .unwrap()
            .set_value("Microsoft.Network/virtualNetworks/read, Microsoft.Network/*");
        let mut check = Checker::default();
        let Some(Submit::Edit(Edit::Add {
            object: Object::Subscription(s),
            ..
        })) = build_subscription(&d, &form, None, &mut check)
        else {
            panic!("a custom role with actions should build: {check:?}");
        };
        assert_eq!(
            s.role,
            Role::Custom(vec![
                "Microsoft.Network/virtualNetworks/read".into(),
                "Microsoft.Network/*".into()
            ])
        );
    }

    #[test]
    fn an_empty_title_is_refused() {
        let d = Design::example_pair();
        let mut form = info_form(&d);
        form.field_mut(FieldKey::Name).unwrap().set_value("  ");
        let mut check = Checker::default();
        assert!(build_info(&form, &mut check).is_none());
    }
}
