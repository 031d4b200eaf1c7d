//! Name checks: duplicates, including names that differ only in case (Azure resource names
//! are case-insensitive, so `Hub` and `hub` are one resource in a scope), and names Azure's
//! naming rules refuse (length, characters, first and last character).
//!
//! Scopes follow Azure: subnets and peerings are children of their VNet, rules of their NSG,
//! routes of their table, so a case clash there always collides (error); top-level resources
//! collide only within one resource group, which the design rarely records (warning). VM names
//! are not checked against the naming rules, because an importer may disambiguate repeated VM
//! names and they double as endpoint names.

use super::support::{Context, unique_name};
use super::{Code, Diagnostic, Fix, Severity};
use crate::edit::{Edit, Object, ObjectRef};
use crate::model::{Design, ObjectKind};
use std::collections::HashMap;

/// Azure's naming rule for one resource type: length bounds; characters are letters, digits,
/// `_`, `.` and `-`, starting with a letter or digit and ending with a letter, digit or `_`.
#[derive(Clone, Copy)]
struct NameRule {
    min: usize,
    max: usize,
}

const VNET_RULE: NameRule = NameRule { min: 2, max: 64 };
const CHILD_RULE: NameRule = NameRule { min: 1, max: 80 };

/// Where two names that differ only in case would meet in Azure.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Children of one parent: they collide.
    Parent,
    /// Top-level resources: they collide if deployed to one resource group.
    ResourceGroup,
    /// Design-only objects (intents, subscriptions entries): only exact duplicates matter.
    Design,
}

/// One name to check.
struct Named {
    /// What it is, for messages ("NSG rule").
    what: &'static str,
    /// The subject of a diagnostic about it.
    subject: ObjectRef,
    /// The name itself.
    name: String,
    /// Where duplicates are looked for (`""` for the design, else the parent's description).
    group: String,
    scope: Scope,
    rule: Option<NameRule>,
    /// For VNets: (subscription, resource group), when both are known.
    placement: Option<(String, String)>,
    /// Builds the edit that renames it.
    rename: Box<dyn Fn(&str) -> Edit>,
}

pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    let names = collect(cx.design);
    let mut groups: HashMap<(&'static str, &str), Vec<&Named>> = HashMap::new();
    for named in &names {
        groups
            .entry((named.what, named.group.as_str()))
            .or_default()
            .push(named);
    }
    for named in &names {
        if let Some(rule) = named.rule {
            invalid_name(named, rule, &groups[&(named.what, named.group.as_str())], found);
        }
    }
    for named in &names {
        duplicates(named, &groups[&(named.what, named.group.as_str())], found);
    }
}

fn duplicates(named: &Named, group: &[&Named], found: &mut Vec<Diagnostic>) {
    // Only the later of two clashing names is reported, against the first it clashes with.
    let position = group.iter().position(|n| std::ptr::eq(*n, named)).unwrap_or(0);
    let earlier = group[..position]
        .iter()
        .find(|other| other.name.eq_ignore_ascii_case(&named.name));
    let Some(other) = earlier else {
        return;
    };
    let inside = if named.group.is_empty() {
        String::new()
    } else {
        format!(" in {}", named.group)
    };
    if other.name == named.name {
        found.push(
            Diagnostic::new(
                Severity::Error,
                Code::NameDuplicate,
                named.subject.kind,
                &named.subject.name,
                format!(
                    "two {}s{inside} are named `{}`; names must be unique",
                    named.what, named.name
                ),
            )
            .with_fix(Fix::advice(format!(
                "rename one of the {}s `{}`",
                named.what, named.name
            ))),
        );
        return;
    }
    if named.scope == Scope::Design {
        return;
    }
    let same_group = match (&named.placement, &other.placement) {
        (Some(a), Some(b)) => a.0.eq_ignore_ascii_case(&b.0) && a.1.eq_ignore_ascii_case(&b.1),
        _ => false,
    };
    let (severity, consequence) = match named.scope {
        Scope::Parent => (Severity::Error, "they are the same resource to Azure".to_string()),
        _ if same_group => (
            Severity::Error,
            "they are in the same resource group, so they are the same resource to Azure".to_string(),
        ),
        _ => (
            Severity::Warning,
            "they collide if deployed to the same resource group".to_string(),
        ),
    };
    let taken = |candidate: &str| group.iter().any(|n| n.name.eq_ignore_ascii_case(candidate));
    let new_name = unique_name(&format!("{}-2", named.name), taken);
    found.push(
        Diagnostic::new(
            severity,
            Code::NameDuplicate,
            named.subject.kind,
            &named.subject.name,
            format!(
                "{} `{}`{inside} differs from `{}` only in case; Azure names are case-insensitive, so {consequence}",
                named.what, named.name, other.name
            ),
        )
        .with_fix(Fix::edit(
            format!("rename {} `{}` to `{new_name}`", named.what, named.name),
            (named.rename)(&new_name),
        )),
    );
}

fn invalid_name(named: &Named, rule: NameRule, group: &[&Named], found: &mut Vec<Diagnostic>) {
    let Some(problem) = name_problem(&named.name, rule) else {
        return;
    };
    let taken = |candidate: &str| group.iter().any(|n| n.name.eq_ignore_ascii_case(candidate));
    let fix = sanitize(&named.name, rule).map(|clean| {
        let clean = unique_name(&clean, taken);
        Fix::edit(
            format!("rename {} `{}` to `{clean}`", named.what, named.name),
            (named.rename)(&clean),
        )
    });
    found.push(
        Diagnostic::new(
            Severity::Error,
            Code::NameInvalid,
            named.subject.kind,
            &named.subject.name,
            format!("Azure refuses the {} name `{}`: {problem}", named.what, named.name),
        )
        .with_optional_fix(fix),
    );
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Why Azure refuses `name`, or `None` when it accepts it.
fn name_problem(name: &str, rule: NameRule) -> Option<String> {
    let length = name.chars().count();
    if length < rule.min || length > rule.max {
        return Some(format!(
            "it has {length} characters, and the limit is {} to {}",
            rule.min, rule.max
        ));
    }
    if let Some(bad) = name.chars().find(|c| !allowed(*c)) {
        return Some(format!(
            "it contains `{bad}`; use only letters, digits, `_`, `.` and `-`"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("it must start with a letter or digit".to_string());
    }
    if !name.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return Some("it must end with a letter, digit or `_`".to_string());
    }
    None
}

/// The nearest name Azure accepts: bad characters become `-`, the ends are trimmed, the length
/// is cut to the limit. `None` when nothing usable is left.
fn sanitize(name: &str, rule: NameRule) -> Option<String> {
    let replaced: String = name.chars().map(|c| if allowed(c) { c } else { '-' }).collect();
    let trimmed = replaced.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let mut clean: String = trimmed.chars().take(rule.max).collect();
    while clean.ends_with(['.', '-']) {
        clean.pop();
    }
    (clean.chars().count() >= rule.min && name_problem(&clean, rule).is_none()).then_some(clean)
}

fn rename_object(kind: ObjectKind, name: &str) -> Box<dyn Fn(&str) -> Edit> {
    let target = ObjectRef::new(kind, name);
    Box::new(move |to: &str| Edit::Rename {
        target: target.clone(),
        to: to.to_string(),
    })
}

fn collect(design: &Design) -> Vec<Named> {
    let mut names = Vec::new();
    let top = |what: &'static str, kind: ObjectKind, name: &str, scope: Scope, rule: Option<NameRule>| Named {
        what,
        subject: ObjectRef::new(kind, name),
        name: name.to_string(),
        group: String::new(),
        scope,
        rule,
        placement: None,
        rename: rename_object(kind, name),
    };
    for vnet in &design.vnets {
        let mut named = top(
            "VNet",
            ObjectKind::Vnet,
            &vnet.name,
            Scope::ResourceGroup,
            Some(VNET_RULE),
        );
        if let Some(group) = vnet.resource_group.as_ref().filter(|_| !vnet.subscription.is_empty()) {
            named.placement = Some((vnet.subscription.clone(), group.clone()));
        }
        names.push(named);
    }
    for vnet in &design.vnets {
        for subnet in &vnet.subnets {
            let path = format!("{}/{}", vnet.name, subnet.name);
            names.push(Named {
                what: "subnet",
                subject: ObjectRef::new(ObjectKind::Subnet, &path),
                name: subnet.name.clone(),
                group: format!("VNet `{}`", vnet.name),
                scope: Scope::Parent,
                rule: Some(CHILD_RULE),
                placement: None,
                rename: rename_object(ObjectKind::Subnet, &path),
            });
        }
    }
    for vm in &design.vms {
        names.push(top("VM", ObjectKind::Vm, &vm.name, Scope::ResourceGroup, None));
    }
    for peering in &design.peerings {
        let mut named = top(
            "peering",
            ObjectKind::Peering,
            &peering.name,
            Scope::Parent,
            Some(CHILD_RULE),
        );
        // Peerings are children of their local VNet in Azure; the design keeps them unique overall.
        named.group = format!("VNet `{}`", peering.local);
        names.push(named);
    }
    for nsg in &design.nsgs {
        names.push(top(
            "NSG",
            ObjectKind::Nsg,
            &nsg.name,
            Scope::ResourceGroup,
            Some(CHILD_RULE),
        ));
        for (i, rule) in nsg.rules.iter().enumerate() {
            let owner = nsg.clone();
            names.push(Named {
                what: "NSG rule",
                subject: ObjectRef::new(ObjectKind::Nsg, &nsg.name),
                name: rule.name.clone(),
                group: format!("NSG `{}`", nsg.name),
                scope: Scope::Parent,
                rule: Some(CHILD_RULE),
                placement: None,
                rename: Box::new(move |to: &str| {
                    let mut changed = owner.clone();
                    changed.rules[i].name = to.to_string();
                    Edit::Replace(Object::Nsg(changed))
                }),
            });
        }
    }
    for table in &design.route_tables {
        names.push(top(
            "route table",
            ObjectKind::RouteTable,
            &table.name,
            Scope::ResourceGroup,
            Some(CHILD_RULE),
        ));
        for (i, route) in table.routes.iter().enumerate() {
            let owner = table.clone();
            names.push(Named {
                what: "route",
                subject: ObjectRef::new(ObjectKind::RouteTable, &table.name),
                name: route.name.clone(),
                group: format!("route table `{}`", table.name),
                scope: Scope::Parent,
                rule: Some(CHILD_RULE),
                placement: None,
                rename: Box::new(move |to: &str| {
                    let mut changed = owner.clone();
                    changed.routes[i].name = to.to_string();
                    Edit::Replace(Object::RouteTable(changed))
                }),
            });
        }
    }
    for gateway in &design.gateways {
        names.push(top(
            "gateway",
            ObjectKind::Gateway,
            &gateway.name,
            Scope::ResourceGroup,
            Some(CHILD_RULE),
        ));
    }
    for site in &design.sites {
        names.push(top(
            "site",
            ObjectKind::Site,
            &site.name,
            Scope::ResourceGroup,
            Some(CHILD_RULE),
        ));
    }
    for conn in &design.connections {
        names.push(top(
            "connection",
            ObjectKind::Connection,
            &conn.name,
            Scope::ResourceGroup,
            Some(CHILD_RULE),
        ));
    }
    for intent in &design.intents {
        names.push(top("intent", ObjectKind::Intent, &intent.name, Scope::Design, None));
    }
    for sub in &design.subscriptions {
        names.push(top(
            "subscription",
            ObjectKind::Subscription,
            &sub.name,
            Scope::Design,
            None,
        ));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_name_rules() {
        assert!(name_problem("hub-vnet_1.a", VNET_RULE).is_none());
        assert!(name_problem("h", VNET_RULE).unwrap().contains("2 to 64"));
        assert!(name_problem("hub vnet", VNET_RULE).unwrap().contains("` `"));
        assert!(name_problem("-hub", VNET_RULE).unwrap().contains("start"));
        assert!(name_problem("hub.", VNET_RULE).unwrap().contains("end"));
        assert!(name_problem("hub_", VNET_RULE).is_none());
        assert!(name_problem(&"a".repeat(81), CHILD_RULE).is_some());
    }

    #[test]
    fn sanitized_names_pass_the_rules() {
        assert_eq!(sanitize("my hub!", VNET_RULE).as_deref(), Some("my-hub"));
        assert_eq!(sanitize("--x.", CHILD_RULE).as_deref(), Some("x"));
        assert_eq!(sanitize("!!", CHILD_RULE), None);
        assert_eq!(sanitize(&"b".repeat(100), VNET_RULE).map(|s| s.len()), Some(64));
    }
}
