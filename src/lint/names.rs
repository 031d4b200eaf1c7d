//! Name checks: duplicates, including names that differ only in case (Azure resource names
//! are case-insensitive, so `Hub` and `hub` are one resource in a scope), and names Azure's
//! naming rules refuse (length, characters, first and last character).
//!
//! Scopes follow Azure: subnets and peerings are children of their VNet, rules of their NSG,
//! routes of their table, so a case clash there always collides (error); top-level resources
//! collide only within one resource group, which the design rarely records (warning). VM names
//! are not checked against the naming rules, because an importer may disambiguate repeated VM
//! names and they double as endpoint names.

use super::support::Context;
use super::{Code, Diagnostic, Remedy, Severity};
use crate::edit::{Edit, Object, ObjectRef};
use crate::model::limits::{self, NameKind};
use crate::model::plan::unique_name;
use crate::model::{Design, ObjectKind};
use std::collections::HashMap;

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
    rule: Option<NameKind>,
    /// For VNets: (subscription, resource group), when both are known.
    placement: Option<(String, String)>,
    /// How to rename it.
    rename: RenameBy,
}

/// What an edit renaming a name must change (built only when a fix needs it).
enum RenameBy {
    /// The named object that is the subject: `Edit::Rename`.
    Object,
    /// Rule `rule` of NSG number `nsg`: the NSG is replaced.
    NsgRule { nsg: usize, rule: usize },
    /// Route `route` of route table number `table`: the table is replaced.
    Route { table: usize, route: usize },
}

impl RenameBy {
    fn edit(&self, design: &Design, subject: &ObjectRef, to: &str) -> Option<Edit> {
        Some(match self {
            RenameBy::Object => Edit::Rename {
                target: subject.clone(),
                to: to.to_string(),
            },
            RenameBy::NsgRule { nsg, rule } => {
                let mut changed = design.nsgs.get(*nsg)?.clone();
                changed.rules.get_mut(*rule)?.name = to.to_string();
                Edit::Replace(Object::Nsg(changed))
            }
            RenameBy::Route { table, route } => {
                let mut changed = design.route_tables.get(*table)?.clone();
                changed.routes.get_mut(*route)?.name = to.to_string();
                Edit::Replace(Object::RouteTable(changed))
            }
        })
    }
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
            invalid_name(
                cx.design,
                named,
                rule,
                &groups[&(named.what, named.group.as_str())],
                found,
            );
        }
    }
    // The first holder of each name, exactly and ignoring case, per group: one pass, so large
    // designs stay linear. Only the later of two clashing names is reported.
    let mut exact: HashMap<(&'static str, &str, &str), &Named> = HashMap::new();
    let mut folded: HashMap<(&'static str, &str, String), &Named> = HashMap::new();
    for named in &names {
        let group = named.group.as_str();
        let lower = named.name.to_ascii_lowercase();
        let earlier = exact
            .get(&(named.what, group, named.name.as_str()))
            .or_else(|| folded.get(&(named.what, group, lower.clone())))
            .copied();
        match earlier {
            Some(other) => duplicate(
                cx.design,
                named,
                other,
                &groups[&(named.what, group)],
                found,
            ),
            None => {
                exact.insert((named.what, group, named.name.as_str()), named);
                folded.entry((named.what, group, lower)).or_insert(named);
            }
        }
    }
}

/// Reports `named`, which clashes with the earlier `other` of its group.
fn duplicate(
    design: &Design,
    named: &Named,
    other: &Named,
    group: &[&Named],
    found: &mut Vec<Diagnostic>,
) {
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
            .with_fix(Remedy::advice(format!(
                "rename one of the {}s `{}`",
                named.what, named.name
            ))),
        );
        return;
    }
    if named.scope == Scope::Design {
        return;
    }
    // Both placements known: they collide exactly when they share subscription and group.
    let same_group = match (&named.placement, &other.placement) {
        (Some(a), Some(b)) => {
            Some(a.0.eq_ignore_ascii_case(&b.0) && a.1.eq_ignore_ascii_case(&b.1))
        }
        _ => None,
    };
    let (severity, consequence) = match named.scope {
        Scope::Parent => (
            Severity::Error,
            "they are the same resource to Azure".to_string(),
        ),
        _ if same_group == Some(false) => return,
        _ if same_group == Some(true) => (
            Severity::Error,
            "they are in the same resource group, so they are the same resource to Azure"
                .to_string(),
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
        .with_optional_fix(
            named
                .rename
                .edit(design, &named.subject, &new_name)
                .map(|edit| Remedy::edit(format!("rename {} `{}` to `{new_name}`", named.what, named.name), edit)),
        ),
    );
}

fn invalid_name(
    design: &Design,
    named: &Named,
    rule: NameKind,
    group: &[&Named],
    found: &mut Vec<Diagnostic>,
) {
    let Some(problem) = limits::problem(&named.name, rule) else {
        return;
    };
    let taken = |candidate: &str| group.iter().any(|n| n.name.eq_ignore_ascii_case(candidate));
    let fix = limits::sanitize(&named.name, rule).and_then(|clean| {
        let clean = unique_name(&clean, taken);
        let edit = named.rename.edit(design, &named.subject, &clean)?;
        Some(Remedy::edit(
            format!("rename {} `{}` to `{clean}`", named.what, named.name),
            edit,
        ))
    });
    found.push(
        Diagnostic::new(
            Severity::Error,
            Code::NameInvalid,
            named.subject.kind,
            &named.subject.name,
            format!(
                "Azure refuses the {} name `{}`: {problem}",
                named.what, named.name
            ),
        )
        .with_optional_fix(fix),
    );
}

fn collect(design: &Design) -> Vec<Named> {
    let mut names = Vec::new();
    let top =
        |what: &'static str, kind: ObjectKind, name: &str, scope: Scope, rule: Option<NameKind>| {
            Named {
                what,
                subject: ObjectRef::new(kind, name),
                name: name.to_string(),
                group: String::new(),
                scope,
                rule,
                placement: None,
                rename: RenameBy::Object,
            }
        };
    for vnet in &design.vnets {
        let mut named = top(
            "VNet",
            ObjectKind::Vnet,
            &vnet.name,
            Scope::ResourceGroup,
            Some(NameKind::Vnet),
        );
        if let Some(group) = vnet
            .resource_group
            .as_ref()
            .filter(|_| !vnet.subscription.is_empty())
        {
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
                rule: Some(NameKind::Subnet),
                placement: None,
                rename: RenameBy::Object,
            });
        }
    }
    for vm in &design.vms {
        names.push(top(
            "VM",
            ObjectKind::Vm,
            &vm.name,
            Scope::ResourceGroup,
            None,
        ));
    }
    for peering in &design.peerings {
        let mut named = top(
            "peering",
            ObjectKind::Peering,
            &peering.name,
            Scope::Parent,
            Some(NameKind::Peering),
        );
        // Peerings are children of their local VNet in Azure; the design keeps them unique overall.
        named.group = format!("VNet `{}`", peering.local);
        names.push(named);
    }
    for (nsg_index, nsg) in design.nsgs.iter().enumerate() {
        names.push(top(
            "NSG",
            ObjectKind::Nsg,
            &nsg.name,
            Scope::ResourceGroup,
            Some(NameKind::Nsg),
        ));
        for (i, rule) in nsg.rules.iter().enumerate() {
            names.push(Named {
                what: "NSG rule",
                subject: ObjectRef::new(ObjectKind::Nsg, &nsg.name),
                name: rule.name.clone(),
                group: format!("NSG `{}`", nsg.name),
                scope: Scope::Parent,
                rule: Some(NameKind::NsgRule),
                placement: None,
                rename: RenameBy::NsgRule {
                    nsg: nsg_index,
                    rule: i,
                },
            });
        }
    }
    for (table_index, table) in design.route_tables.iter().enumerate() {
        names.push(top(
            "route table",
            ObjectKind::RouteTable,
            &table.name,
            Scope::ResourceGroup,
            Some(NameKind::RouteTable),
        ));
        for (i, route) in table.routes.iter().enumerate() {
            names.push(Named {
                what: "route",
                subject: ObjectRef::new(ObjectKind::RouteTable, &table.name),
                name: route.name.clone(),
                group: format!("route table `{}`", table.name),
                scope: Scope::Parent,
                rule: Some(NameKind::Route),
                placement: None,
                rename: RenameBy::Route {
                    table: table_index,
                    route: i,
                },
            });
        }
    }
    for gateway in &design.gateways {
        names.push(top(
            "gateway",
            ObjectKind::Gateway,
            &gateway.name,
            Scope::ResourceGroup,
            Some(NameKind::Gateway),
        ));
    }
    for site in &design.sites {
        names.push(top(
            "site",
            ObjectKind::Site,
            &site.name,
            Scope::ResourceGroup,
            Some(NameKind::Site),
        ));
    }
    for conn in &design.connections {
        names.push(top(
            "connection",
            ObjectKind::Connection,
            &conn.name,
            Scope::ResourceGroup,
            Some(NameKind::Connection),
        ));
    }
    for intent in &design.intents {
        names.push(top(
            "intent",
            ObjectKind::Intent,
            &intent.name,
            Scope::Design,
            None,
        ));
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
    fn every_azure_name_uses_the_limits_table() {
        let mut design = Design::example_pair();
        design.vnets[0].subnets[0].name = "bad name".into();
        let names = collect(&design);
        let subnet = names.iter().find(|n| n.what == "subnet").unwrap();
        assert_eq!(subnet.rule, Some(NameKind::Subnet));
        let vm = names.iter().find(|n| n.what == "VM").unwrap();
        assert_eq!(vm.rule, None);
    }
}
