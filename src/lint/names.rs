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
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::fmt;
use std::hash::{Hash, Hasher};

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

/// The parent a name is unique in: the design, or a VNet, NSG or route table by name. Kept as
/// borrowed names so that collecting every name of a large design allocates nothing; it is
/// written out (`VNet `hub``) only for a message.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Parent<'a> {
    Design,
    Vnet(&'a str),
    Nsg(&'a str),
    RouteTable(&'a str),
}

impl Parent<'_> {
    fn is_design(self) -> bool {
        self == Parent::Design
    }
}

/// The parent's description in messages (empty for the design).
impl fmt::Display for Parent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Parent::Design => Ok(()),
            Parent::Vnet(name) => write!(f, "VNet `{name}`"),
            Parent::Nsg(name) => write!(f, "NSG `{name}`"),
            Parent::RouteTable(name) => write!(f, "route table `{name}`"),
        }
    }
}

/// The name of a diagnostic's subject: the object's own, or `vnet/subnet` for a subnet
/// (formatted only when a diagnostic is reported).
#[derive(Clone, Copy)]
enum SubjectName<'a> {
    Own(&'a str),
    Subnet { vnet: &'a str, subnet: &'a str },
}

impl SubjectName<'_> {
    fn text(self) -> String {
        match self {
            SubjectName::Own(name) => name.to_string(),
            SubjectName::Subnet { vnet, subnet } => format!("{vnet}/{subnet}"),
        }
    }
}

/// A name compared ignoring ASCII case, hashed the same way, so that finding clashes needs
/// no lowercased copy of every name.
#[derive(Clone, Copy)]
struct Folded<'a>(&'a str);

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Folded<'_> {}

impl Hash for Folded<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for byte in self.0.bytes() {
            state.write_u8(byte.to_ascii_lowercase());
        }
        // A terminator, as `str` hashes, so that keys of tuples cannot run into each other.
        state.write_u8(0xff);
    }
}

/// One name to check.
struct Named<'a> {
    /// What it is, for messages ("NSG rule").
    what: &'static str,
    /// The kind of the subject of a diagnostic about it.
    kind: ObjectKind,
    /// The name of the subject of a diagnostic about it.
    subject: SubjectName<'a>,
    /// The name itself.
    name: &'a str,
    /// Where duplicates are looked for.
    group: Parent<'a>,
    scope: Scope,
    rule: Option<NameKind>,
    /// For VNets: (subscription, resource group), when both are known.
    placement: Option<(&'a str, &'a str)>,
    /// How to rename it.
    rename: RenameBy,
}

impl Named<'_> {
    /// The subject of a diagnostic about this name.
    fn subject(&self) -> ObjectRef {
        ObjectRef::new(self.kind, self.subject.text())
    }
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
    fn edit(&self, design: &Design, subject: ObjectRef, to: &str) -> Option<Edit> {
        Some(match self {
            RenameBy::Object => Edit::Rename {
                target: subject,
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

/// The names of each (kind, parent) group, in design order: only a diagnostic's fix needs
/// them (to pick a free new name), so they are indexed on the first diagnostic.
struct Groups<'n, 'a> {
    names: &'n [Named<'a>],
    by_group: OnceCell<FxHashMap<(&'static str, Parent<'a>), Vec<&'n Named<'a>>>>,
}

impl<'n, 'a> Groups<'n, 'a> {
    fn new(names: &'n [Named<'a>]) -> Self {
        Groups {
            names,
            by_group: OnceCell::new(),
        }
    }

    /// The names in `named`'s group, itself included.
    fn of(&self, named: &Named<'a>) -> &[&'n Named<'a>] {
        let by_group = self.by_group.get_or_init(|| {
            let mut by_group: FxHashMap<_, Vec<_>> = FxHashMap::default();
            for named in self.names {
                by_group
                    .entry((named.what, named.group))
                    .or_default()
                    .push(named);
            }
            by_group
        });
        by_group
            .get(&(named.what, named.group))
            .map_or(&[], Vec::as_slice)
    }
}

pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    let names = collect(cx.design);
    let groups = Groups::new(&names);
    for named in &names {
        if let Some(rule) = named.rule {
            invalid_name(cx.design, named, rule, &groups, found);
        }
    }
    // The first holder of each name ignoring case, per group: one pass, so large designs stay
    // linear. Only the later of two clashing names is reported. (The first holder of a name
    // ignoring case is also the first holder of the exact name: a later exact duplicate
    // finds it, and is reported as one.)
    let mut first: FxHashMap<(&'static str, Parent, Folded), &Named> =
        FxHashMap::with_capacity_and_hasher(names.len(), rustc_hash::FxBuildHasher);
    for named in &names {
        match first.entry((named.what, named.group, Folded(named.name))) {
            std::collections::hash_map::Entry::Occupied(earlier) => {
                duplicate(cx.design, named, earlier.get(), &groups, found);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(named);
            }
        }
    }
}

/// Reports `named`, which clashes with the earlier `other` of its group.
fn duplicate<'a>(
    design: &Design,
    named: &Named<'a>,
    other: &Named,
    groups: &Groups<'_, 'a>,
    found: &mut Vec<Diagnostic>,
) {
    let inside = if named.group.is_design() {
        String::new()
    } else {
        format!(" in {}", named.group)
    };
    if other.name == named.name {
        found.push(
            Diagnostic::new(
                Severity::Error,
                Code::NameDuplicate,
                named.kind,
                named.subject.text(),
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
        (Some(a), Some(b)) => Some(a.0.eq_ignore_ascii_case(b.0) && a.1.eq_ignore_ascii_case(b.1)),
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
    let group = groups.of(named);
    let taken = |candidate: &str| group.iter().any(|n| n.name.eq_ignore_ascii_case(candidate));
    let new_name = unique_name(&format!("{}-2", named.name), taken);
    found.push(
        Diagnostic::new(
            severity,
            Code::NameDuplicate,
            named.kind,
            named.subject.text(),
            format!(
                "{} `{}`{inside} differs from `{}` only in case; Azure names are case-insensitive, so {consequence}",
                named.what, named.name, other.name
            ),
        )
        .with_optional_fix(
            named
                .rename
                .edit(design, named.subject(), &new_name)
                .map(|edit| Remedy::edit(format!("rename {} `{}` to `{new_name}`", named.what, named.name), edit)),
        ),
    );
}

fn invalid_name<'a>(
    design: &Design,
    named: &Named<'a>,
    rule: NameKind,
    groups: &Groups<'_, 'a>,
    found: &mut Vec<Diagnostic>,
) {
    let Some(problem) = limits::problem(named.name, rule) else {
        return;
    };
    let group = groups.of(named);
    let taken = |candidate: &str| group.iter().any(|n| n.name.eq_ignore_ascii_case(candidate));
    let fix = limits::sanitize(named.name, rule).and_then(|clean| {
        let clean = unique_name(&clean, taken);
        let edit = named.rename.edit(design, named.subject(), &clean)?;
        Some(Remedy::edit(
            format!("rename {} `{}` to `{clean}`", named.what, named.name),
            edit,
        ))
    });
    found.push(
        Diagnostic::new(
            Severity::Error,
            Code::NameInvalid,
            named.kind,
            named.subject.text(),
            format!(
                "Azure refuses the {} name `{}`: {problem}",
                named.what, named.name
            ),
        )
        .with_optional_fix(fix),
    );
}

/// Every name of `design`, in the order diagnostics report them; borrows the design, so it
/// allocates only the list.
fn collect<'a>(design: &'a Design) -> Vec<Named<'a>> {
    let subnets: usize = design.vnets.iter().map(|v| v.subnets.len()).sum();
    let rules: usize = design.nsgs.iter().map(|n| n.rules.len()).sum();
    let routes: usize = design.route_tables.iter().map(|t| t.routes.len()).sum();
    let mut names = Vec::with_capacity(
        design.vnets.len()
            + subnets
            + design.vms.len()
            + design.peerings.len()
            + design.nsgs.len()
            + rules
            + design.route_tables.len()
            + routes
            + design.gateways.len()
            + design.sites.len()
            + design.connections.len()
            + design.intents.len()
            + design.subscriptions.len(),
    );
    let top = |what: &'static str,
               kind: ObjectKind,
               name: &'a str,
               scope: Scope,
               rule: Option<NameKind>| Named {
        what,
        kind,
        subject: SubjectName::Own(name),
        name,
        group: Parent::Design,
        scope,
        rule,
        placement: None,
        rename: RenameBy::Object,
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
            .as_deref()
            .filter(|_| !vnet.subscription.is_empty())
        {
            named.placement = Some((vnet.subscription.as_str(), group));
        }
        names.push(named);
    }
    for vnet in &design.vnets {
        for subnet in &vnet.subnets {
            names.push(Named {
                what: "subnet",
                kind: ObjectKind::Subnet,
                subject: SubjectName::Subnet {
                    vnet: &vnet.name,
                    subnet: &subnet.name,
                },
                name: &subnet.name,
                group: Parent::Vnet(&vnet.name),
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
        named.group = Parent::Vnet(&peering.local);
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
                kind: ObjectKind::Nsg,
                subject: SubjectName::Own(&nsg.name),
                name: &rule.name,
                group: Parent::Nsg(&nsg.name),
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
                kind: ObjectKind::RouteTable,
                subject: SubjectName::Own(&table.name),
                name: &route.name,
                group: Parent::RouteTable(&table.name),
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

    /// The folded key hashes and compares like the lowercased name, so the clash map finds
    /// `Hub` and `hub` but not `hub` and `hub2`.
    #[test]
    fn folded_names_hash_and_compare_ignoring_case() {
        use std::hash::BuildHasher;
        let hash = |name: &str| rustc_hash::FxBuildHasher.hash_one(("VNet", Folded(name)));
        assert_eq!(hash("Hub-1"), hash("hUB-1"));
        assert!(Folded("Hub-1") == Folded("hub-1"));
        assert!(Folded("hub") != Folded("hub2"));
        assert_ne!(hash("hub"), hash("hub2"));
        // The terminator keeps a name from running into the next part of a key.
        let pair = |a: &str, b: &str| rustc_hash::FxBuildHasher.hash_one((Folded(a), Folded(b)));
        assert_ne!(pair("ab", "c"), pair("a", "bc"));
    }

    fn messages(design: &Design) -> Vec<String> {
        let cx = Context::new(design, None);
        let mut found = Vec::new();
        check(&cx, &mut found);
        found
            .iter()
            .map(|d| format!("{} {}: {}", d.subject.kind, d.subject.name, d.message))
            .collect()
    }

    /// Clashes are found per parent, against the first holder of the name ignoring case, with
    /// an exact duplicate of a later name still reported against the first one.
    #[test]
    fn clashes_are_reported_against_the_first_holder_in_the_same_parent() {
        let mut design = Design::example_pair();
        let first = design.vnets[0].subnets[0].clone();
        let subnet = |name: &str| {
            let mut s = first.clone();
            s.name = name.into();
            s
        };
        // In the first VNet: `Web`, then `web` (case), then `web` again (reported against
        // `Web`, the first holder), then `WEB`.
        design.vnets[0].subnets.push(subnet("Web"));
        design.vnets[0].subnets.push(subnet("web"));
        design.vnets[0].subnets.push(subnet("web"));
        design.vnets[0].subnets.push(subnet("WEB"));
        // The same name in the other VNet clashes with nothing.
        design.vnets[1].subnets.push(subnet("web"));
        let a = design.vnets[0].name.clone();
        let sentence = "only in case; Azure names are case-insensitive, so they are the same resource to Azure";
        assert_eq!(
            messages(&design),
            vec![
                // (The example's one-letter VNet names are too short for Azure.)
                "VNet a: Azure refuses the VNet name `a`: it has 1 characters, and the limit is 2 to 64".to_string(),
                "VNet b: Azure refuses the VNet name `b`: it has 1 characters, and the limit is 2 to 64".to_string(),
                format!("subnet {a}/web: subnet `web` in VNet `{a}` differs from `Web` {sentence}"),
                format!("subnet {a}/web: subnet `web` in VNet `{a}` differs from `Web` {sentence}"),
                format!("subnet {a}/WEB: subnet `WEB` in VNet `{a}` differs from `Web` {sentence}"),
            ]
        );
        // An exact duplicate of the first holder is the other message.
        design.vnets[0].subnets.push(subnet("Web"));
        assert_eq!(
            messages(&design).last().map(String::as_str),
            Some(
                format!(
                    "subnet {a}/Web: two subnets in VNet `{a}` are named `Web`; names must be unique"
                )
                .as_str()
            )
        );
    }
}
