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

/// What a name names: its label in messages, the kind of a diagnostic's subject, where its
/// duplicates collide, and the naming rule it follows.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum What {
    Vnet,
    Subnet,
    Vm,
    Peering,
    Nsg,
    NsgRule,
    RouteTable,
    Route,
    Gateway,
    Site,
    Connection,
    Intent,
    Subscription,
}

impl What {
    /// For messages ("NSG rule").
    fn label(self) -> &'static str {
        match self {
            What::Vnet => "VNet",
            What::Subnet => "subnet",
            What::Vm => "VM",
            What::Peering => "peering",
            What::Nsg => "NSG",
            What::NsgRule => "NSG rule",
            What::RouteTable => "route table",
            What::Route => "route",
            What::Gateway => "gateway",
            What::Site => "site",
            What::Connection => "connection",
            What::Intent => "intent",
            What::Subscription => "subscription",
        }
    }

    /// The kind of the subject of a diagnostic (a rule's is its NSG, a route's its table).
    fn kind(self) -> ObjectKind {
        match self {
            What::Vnet => ObjectKind::Vnet,
            What::Subnet => ObjectKind::Subnet,
            What::Vm => ObjectKind::Vm,
            What::Peering => ObjectKind::Peering,
            What::Nsg | What::NsgRule => ObjectKind::Nsg,
            What::RouteTable | What::Route => ObjectKind::RouteTable,
            What::Gateway => ObjectKind::Gateway,
            What::Site => ObjectKind::Site,
            What::Connection => ObjectKind::Connection,
            What::Intent => ObjectKind::Intent,
            What::Subscription => ObjectKind::Subscription,
        }
    }

    fn scope(self) -> Scope {
        match self {
            What::Subnet | What::Peering | What::NsgRule | What::Route => Scope::Parent,
            What::Intent | What::Subscription => Scope::Design,
            _ => Scope::ResourceGroup,
        }
    }

    /// Azure's naming rule, for the names Azure sees (not VMs: see the module documentation).
    fn rule(self) -> Option<NameKind> {
        Some(match self {
            What::Vnet => NameKind::Vnet,
            What::Subnet => NameKind::Subnet,
            What::Peering => NameKind::Peering,
            What::Nsg => NameKind::Nsg,
            What::NsgRule => NameKind::NsgRule,
            What::RouteTable => NameKind::RouteTable,
            What::Route => NameKind::Route,
            What::Gateway => NameKind::Gateway,
            What::Site => NameKind::Site,
            What::Connection => NameKind::Connection,
            What::Vm | What::Intent | What::Subscription => return None,
        })
    }
}

/// One name to check: small, because every edit lists every name of the design; the rest of
/// what a diagnostic needs is derived from it when one is reported.
struct Named<'a> {
    what: What,
    /// The name itself.
    name: &'a str,
    /// Where duplicates are looked for.
    group: Parent<'a>,
    /// The object's index in its list (for a rule or route, its NSG's or table's).
    owner: usize,
    /// For a rule or route: its index in its NSG or table.
    child: usize,
}

impl Named<'_> {
    /// The name of the subject of a diagnostic about this name: a subnet as `vnet/subnet`, a
    /// rule or route by its NSG or table.
    fn subject_name(&self) -> String {
        match (self.what, self.group) {
            (What::Subnet, Parent::Vnet(vnet)) => format!("{vnet}/{}", self.name),
            (What::NsgRule, Parent::Nsg(owner)) | (What::Route, Parent::RouteTable(owner)) => {
                owner.to_string()
            }
            _ => self.name.to_string(),
        }
    }

    /// The subject of a diagnostic about this name.
    fn subject(&self) -> ObjectRef {
        ObjectRef::new(self.what.kind(), self.subject_name())
    }

    /// For a VNet: its (subscription, resource group), when both are known.
    fn placement<'d>(&self, design: &'d Design) -> Option<(&'d str, &'d str)> {
        let vnet = design
            .vnets
            .get(self.owner)
            .filter(|_| self.what == What::Vnet)?;
        let group = vnet
            .resource_group
            .as_deref()
            .filter(|_| !vnet.subscription.is_empty())?;
        Some((vnet.subscription.as_str(), group))
    }

    /// How to rename it.
    fn rename(&self) -> RenameBy {
        match self.what {
            What::NsgRule => RenameBy::NsgRule {
                nsg: self.owner,
                rule: self.child,
            },
            What::Route => RenameBy::Route {
                table: self.owner,
                route: self.child,
            },
            _ => RenameBy::Object,
        }
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
    by_group: OnceCell<FxHashMap<(What, Parent<'a>), Vec<&'n Named<'a>>>>,
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

/// The design lists names come from, each checked on its own: a name clashes only with names
/// of its own kind, and every kind comes from one list, so an edit that leaves a list alone
/// leaves its name findings alone (`super::parts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameList {
    /// VNets and their subnets.
    Vnets,
    Vms,
    Peerings,
    /// NSGs and their rules.
    Nsgs,
    /// Route tables and their routes.
    RouteTables,
    Gateways,
    Sites,
    Connections,
    Intents,
    Subscriptions,
}

impl NameList {
    /// Every list, in the order diagnostics report them.
    pub const ALL: [NameList; 10] = [
        NameList::Vnets,
        NameList::Vms,
        NameList::Peerings,
        NameList::Nsgs,
        NameList::RouteTables,
        NameList::Gateways,
        NameList::Sites,
        NameList::Connections,
        NameList::Intents,
        NameList::Subscriptions,
    ];
}

/// Every name finding of the design: the invalid names of every list, then the duplicates.
#[cfg(test)]
pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    let (mut invalid, mut duplicates) = (Vec::new(), Vec::new());
    for list in NameList::ALL {
        let (i, d) = check_list(cx, list);
        invalid.extend(i);
        duplicates.extend(d);
    }
    found.extend(invalid);
    found.extend(duplicates);
}

/// The name findings of one list: invalid names, then duplicates, each in design order.
pub(super) fn check_list(cx: &Context, list: NameList) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let names = collect(cx.design, list);
    let groups = Groups::new(&names);
    let (mut invalid, mut duplicates) = (Vec::new(), Vec::new());
    for named in &names {
        if let Some(rule) = named.what.rule() {
            invalid_name(cx.design, named, rule, &groups, &mut invalid);
        }
    }
    // The first holder of each name ignoring case, per group: one pass, so large designs stay
    // linear. Only the later of two clashing names is reported. (The first holder of a name
    // ignoring case is also the first holder of the exact name: a later exact duplicate
    // finds it, and is reported as one.)
    let mut first: FxHashMap<(What, Parent, Folded), &Named> =
        FxHashMap::with_capacity_and_hasher(names.len(), rustc_hash::FxBuildHasher);
    for named in &names {
        match first.entry((named.what, named.group, Folded(named.name))) {
            std::collections::hash_map::Entry::Occupied(earlier) => {
                duplicate(cx.design, named, earlier.get(), &groups, &mut duplicates);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(named);
            }
        }
    }
    (invalid, duplicates)
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
                named.what.kind(),
                named.subject_name(),
                format!(
                    "two {}s{inside} are named `{}`; names must be unique",
                    named.what.label(),
                    named.name
                ),
            )
            .with_fix(Remedy::advice(format!(
                "rename one of the {}s `{}`",
                named.what.label(),
                named.name
            ))),
        );
        return;
    }
    if named.what.scope() == Scope::Design {
        return;
    }
    // Both placements known: they collide exactly when they share subscription and group.
    let same_group = match (named.placement(design), other.placement(design)) {
        (Some(a), Some(b)) => Some(a.0.eq_ignore_ascii_case(b.0) && a.1.eq_ignore_ascii_case(b.1)),
        _ => None,
    };
    let (severity, consequence) = match named.what.scope() {
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
            named.what.kind(),
            named.subject_name(),
            format!(
                "{} `{}`{inside} differs from `{}` only in case; Azure names are case-insensitive, so {consequence}",
                named.what.label(), named.name, other.name
            ),
        )
        .with_optional_fix(
            named
                .rename()
                .edit(design, named.subject(), &new_name)
                .map(|edit| Remedy::edit(format!("rename {} `{}` to `{new_name}`", named.what.label(), named.name), edit)),
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
        let edit = named.rename().edit(design, named.subject(), &clean)?;
        Some(Remedy::edit(
            format!(
                "rename {} `{}` to `{clean}`",
                named.what.label(),
                named.name
            ),
            edit,
        ))
    });
    found.push(
        Diagnostic::new(
            Severity::Error,
            Code::NameInvalid,
            named.what.kind(),
            named.subject_name(),
            format!(
                "Azure refuses the {} name `{}`: {problem}",
                named.what.label(),
                named.name
            ),
        )
        .with_optional_fix(fix),
    );
}

/// Every name of one list of `design`, in the order diagnostics report them; borrows the
/// design, so it allocates only the list.
fn collect<'a>(design: &'a Design, list: NameList) -> Vec<Named<'a>> {
    let top = |what: What, owner: usize, name: &'a str| Named {
        what,
        name,
        group: Parent::Design,
        owner,
        child: 0,
    };
    match list {
        NameList::Vnets => {
            let subnets: usize = design.vnets.iter().map(|v| v.subnets.len()).sum();
            let mut names = Vec::with_capacity(design.vnets.len() + subnets);
            names.extend(
                design
                    .vnets
                    .iter()
                    .enumerate()
                    .map(|(i, vnet)| top(What::Vnet, i, &vnet.name)),
            );
            for (i, vnet) in design.vnets.iter().enumerate() {
                names.extend(vnet.subnets.iter().map(|subnet| Named {
                    what: What::Subnet,
                    name: &subnet.name,
                    group: Parent::Vnet(&vnet.name),
                    owner: i,
                    child: 0,
                }));
            }
            names
        }
        NameList::Vms => (design.vms.iter().enumerate())
            .map(|(i, vm)| top(What::Vm, i, &vm.name))
            .collect(),
        // Peerings are children of their local VNet in Azure; the design keeps them unique
        // overall.
        NameList::Peerings => (design.peerings.iter().enumerate())
            .map(|(i, peering)| Named {
                group: Parent::Vnet(&peering.local),
                ..top(What::Peering, i, &peering.name)
            })
            .collect(),
        NameList::Nsgs => {
            let rules: usize = design.nsgs.iter().map(|n| n.rules.len()).sum();
            let mut names = Vec::with_capacity(design.nsgs.len() + rules);
            for (n, nsg) in design.nsgs.iter().enumerate() {
                names.push(top(What::Nsg, n, &nsg.name));
                names.extend(nsg.rules.iter().enumerate().map(|(i, rule)| Named {
                    what: What::NsgRule,
                    name: &rule.name,
                    group: Parent::Nsg(&nsg.name),
                    owner: n,
                    child: i,
                }));
            }
            names
        }
        NameList::RouteTables => {
            let routes: usize = design.route_tables.iter().map(|t| t.routes.len()).sum();
            let mut names = Vec::with_capacity(design.route_tables.len() + routes);
            for (t, table) in design.route_tables.iter().enumerate() {
                names.push(top(What::RouteTable, t, &table.name));
                names.extend(table.routes.iter().enumerate().map(|(i, route)| Named {
                    what: What::Route,
                    name: &route.name,
                    group: Parent::RouteTable(&table.name),
                    owner: t,
                    child: i,
                }));
            }
            names
        }
        NameList::Gateways => (design.gateways.iter().enumerate())
            .map(|(i, g)| top(What::Gateway, i, &g.name))
            .collect(),
        NameList::Sites => (design.sites.iter().enumerate())
            .map(|(i, site)| top(What::Site, i, &site.name))
            .collect(),
        NameList::Connections => (design.connections.iter().enumerate())
            .map(|(i, c)| top(What::Connection, i, &c.name))
            .collect(),
        NameList::Intents => (design.intents.iter().enumerate())
            .map(|(i, intent)| top(What::Intent, i, &intent.name))
            .collect(),
        NameList::Subscriptions => (design.subscriptions.iter().enumerate())
            .map(|(i, sub)| top(What::Subscription, i, &sub.name))
            .collect(),
    }
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
