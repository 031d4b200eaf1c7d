//! Azure's limits, in one table: how long each kind of name may be and which characters it may
//! hold (from Microsoft's "Naming rules and restrictions for Azure resources",
//! `resource-name-rules.md`), how long the design's texts may be, and how many subnets a VNet
//! may have. Both the readers and `lint` use this table, so no rule is written twice.
//!
//! A limit comes in two strengths:
//! - **refused** ([`NameProblem::is_refused`]): what no tool could ever deploy or what would break
//!   vnetlab itself: a name longer than Azure allows (a 65,536-character name once made the
//!   command line panic), a control or bidirectional-formatting character (it garbles the
//!   terminal), a `/` in an Azure resource name (it separates `vnet/subnet` in references and
//!   the segments of resource IDs), more subnets than Azure allows in a VNet. These are
//!   [`ModelError::Limit`](super::ModelError::Limit) errors of [`Design::validate`]
//!   (`check`), so a design file, lesson, export or edit carrying one is refused with a
//!   position, and the importer repairs them first ([`Design::enforce_limits`]).
//! - **warned** (everything else in the rule: too short, a space or other character Azure
//!   refuses, a bad first or last character): `lint`'s `NAME_INVALID`, with a fix.
//!
//! Names an importer disambiguates as `name (qualifier)` are judged by the part before the
//! parentheses ([`azure_part`]); the qualifier (a resource group, subscription or number) may
//! add up to [`QUALIFIER_MAX`] characters.
//!
//! Cost: every check is linear in the length of the text it reads, and [`Design::validate`]'s
//! limit pass is linear in the size of the design.
//!
//! [`Design::validate`]: crate::model::Design::validate
//! [`Design::enforce_limits`]: crate::model::Design::enforce_limits

mod check;
mod enforce;
mod names;
mod walk;

pub use check::{Bounded, LimitError, LimitProblem, text_problem};
pub(crate) use names::codepoint;
pub use names::{
    NameProblem, allowed, azure_part, escape_disruptive, is_disruptive, problem, quote, refused,
    sanitize,
};

use std::fmt;

/// Which characters a kind of name may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Charset {
    /// Network resources: letters, digits, `_`, `.` and `-`; starting with a letter or digit
    /// and ending with a letter, digit or `_`.
    Network,
    /// Virtual machines: anything but spaces and ``\/"[]:|<>+=;,?*@&``, not starting with `_`
    /// and not ending with `.` or `-`.
    Machine,
    /// Resource groups: letters and digits of any script, `_`, `-`, `.`, `(` and `)`, not
    /// ending with `.`.
    ResourceGroup,
    /// Names only vnetlab uses (site hosts, intents, appliance rules, subscription entries):
    /// any printable text.
    Design,
}

/// One kind of name's rule: its length bounds (in characters) and character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NameRule {
    /// The fewest characters.
    pub min: usize,
    /// The most characters.
    pub max: usize,
    /// The characters allowed.
    pub charset: Charset,
}

/// The kinds of name a design holds (and the application security groups being added).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    /// `Microsoft.Network/virtualNetworks`: 2–64.
    Vnet,
    /// `virtualNetworks/subnets`: 1–80.
    Subnet,
    /// `Microsoft.Compute/virtualMachines`: 1–64 (the resource name; a Windows computer name's
    /// 15-character limit is a different name).
    Vm,
    /// `virtualNetworks/virtualNetworkPeerings`: 1–80.
    Peering,
    /// `networkSecurityGroups`: 1–80.
    Nsg,
    /// `networkSecurityGroups/securityRules`: 1–80.
    NsgRule,
    /// `routeTables`: 1–80.
    RouteTable,
    /// `routeTables/routes`: 1–80.
    Route,
    /// `virtualNetworkGateways`: 1–80.
    Gateway,
    /// `localNetworkGateways` (an on-premises site): 1–80.
    Site,
    /// `connections`: 1–80.
    Connection,
    /// `networkInterfaces`: 1–80 (the exporter names a VM's NICs).
    Nic,
    /// `applicationSecurityGroups`: 1–80.
    Asg,
    /// `networkManagers/networkGroups` (an AVNM network group): 1–64.
    NetworkGroup,
    /// `Microsoft.Resources/resourcegroups`: 1–90.
    ResourceGroup,
    /// A site's host (an endpoint only vnetlab knows): 1–256.
    Host,
    /// An appliance's rule: 1–256.
    ApplianceRule,
    /// An intent: 1–256.
    Intent,
    /// A subscription entry (a name or an ID, as VNets refer to it): 1–256.
    Subscription,
}

/// The longest qualifier an importer appends as ` (qualifier)`: a resource group name.
pub const QUALIFIER_MAX: usize = 90;

/// The longest name vnetlab itself gives meaning to (hosts, intents, …).
pub const DESIGN_NAME_MAX: usize = 256;

/// The longest design title.
pub const TITLE_MAX: usize = 256;

/// The longest design description.
pub const DESCRIPTION_MAX: usize = 4_096;

/// The longest NSG rule description (Azure: "Restricted to 140 chars").
pub const RULE_DESCRIPTION_MAX: usize = 140;

/// The longest text of any other string field (a custom role's action, a service tag, …).
pub const TEXT_MAX: usize = 1_024;

/// The most subnets Azure allows in one VNet.
pub const MAX_SUBNETS_PER_VNET: usize = 3_000;

impl NameKind {
    /// Every kind, for tests and tables.
    pub const ALL: [NameKind; 19] = [
        NameKind::Vnet,
        NameKind::Subnet,
        NameKind::Vm,
        NameKind::Peering,
        NameKind::Nsg,
        NameKind::NsgRule,
        NameKind::RouteTable,
        NameKind::Route,
        NameKind::Gateway,
        NameKind::Site,
        NameKind::Connection,
        NameKind::Nic,
        NameKind::Asg,
        NameKind::NetworkGroup,
        NameKind::ResourceGroup,
        NameKind::Host,
        NameKind::ApplianceRule,
        NameKind::Intent,
        NameKind::Subscription,
    ];

    /// Azure's rule for this kind of name.
    ///
    /// ```
    /// use vnetlab::model::limits::{Charset, NameKind};
    /// assert_eq!((NameKind::Vnet.rule().min, NameKind::Vnet.rule().max), (2, 64));
    /// assert_eq!(NameKind::Subnet.rule().max, 80);
    /// assert_eq!(NameKind::Vm.rule().charset, Charset::Machine);
    /// ```
    pub const fn rule(self) -> NameRule {
        let (min, max, charset) = match self {
            NameKind::Vnet => (2, 64, Charset::Network),
            NameKind::Vm => (1, 64, Charset::Machine),
            NameKind::NetworkGroup => (1, 64, Charset::Network),
            NameKind::Subnet
            | NameKind::Peering
            | NameKind::Nsg
            | NameKind::NsgRule
            | NameKind::RouteTable
            | NameKind::Route
            | NameKind::Gateway
            | NameKind::Site
            | NameKind::Connection
            | NameKind::Nic
            | NameKind::Asg => (1, 80, Charset::Network),
            NameKind::ResourceGroup => (1, 90, Charset::ResourceGroup),
            NameKind::Host
            | NameKind::ApplianceRule
            | NameKind::Intent
            | NameKind::Subscription => (1, DESIGN_NAME_MAX, Charset::Design),
        };
        NameRule { min, max, charset }
    }

    /// How a sentence names the kind ("NSG rule").
    pub fn label(self) -> &'static str {
        match self {
            NameKind::Vnet => "VNet",
            NameKind::Subnet => "subnet",
            NameKind::Vm => "VM",
            NameKind::Peering => "peering",
            NameKind::Nsg => "NSG",
            NameKind::NsgRule => "NSG rule",
            NameKind::RouteTable => "route table",
            NameKind::Route => "route",
            NameKind::Gateway => "gateway",
            NameKind::Site => "site",
            NameKind::Connection => "connection",
            NameKind::Nic => "NIC",
            NameKind::Asg => "application security group",
            NameKind::NetworkGroup => "network group",
            NameKind::ResourceGroup => "resource group",
            NameKind::Host => "host",
            NameKind::ApplianceRule => "appliance rule",
            NameKind::Intent => "intent",
            NameKind::Subscription => "subscription",
        }
    }

    /// Whether the name is an Azure resource's (and so may be qualified by an importer and
    /// must not hold `/`).
    fn is_azure(self) -> bool {
        self.rule().charset != Charset::Design
    }
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_name_rules() {
        use NameKind::{Subnet, Vnet};
        assert!(problem("hub_", Vnet).is_none());
        assert!(problem("hub.", Vnet).unwrap().to_string().contains("end"));
        assert!(problem(&"a".repeat(81), Subnet).unwrap().is_refused());
        assert!(!problem("h", Vnet).unwrap().is_refused());
        assert_eq!(
            refused("a\u{202E}b", Subnet),
            Some(NameProblem::Disruptive('\u{202E}'))
        );
        assert_eq!(refused("x/y", NameKind::Intent), None);
    }

    #[test]
    fn an_importers_qualifier_is_not_part_of_the_azure_name() {
        assert!(problem("vnet1 (rg-b)", NameKind::Vnet).is_none());
        assert!(problem("bad name (rg-b)", NameKind::Vnet).is_some());
        assert!(problem("(x)", NameKind::Subnet).is_some());
        let long_qualifier = format!("vnet1 ({})", "r".repeat(91));
        assert_eq!(
            refused(&long_qualifier, NameKind::Vnet),
            Some(NameProblem::QualifierTooLong { length: 91 })
        );
    }

    #[test]
    fn machine_and_resource_group_rules() {
        assert!(problem("web-01", NameKind::Vm).is_none());
        assert!(problem("web 01", NameKind::Vm).is_some());
        assert!(problem("_web", NameKind::Vm).is_some());
        assert!(problem("web.", NameKind::Vm).is_some());
        assert!(problem("rg-prod(eu)", NameKind::ResourceGroup).is_none());
        assert!(problem("rg.", NameKind::ResourceGroup).is_some());
        assert!(problem(&"r".repeat(91), NameKind::ResourceGroup).is_some());
    }

    #[test]
    fn sanitized_names_pass_the_rules() {
        assert_eq!(sanitize("--x.", NameKind::Subnet).as_deref(), Some("x"));
        assert_eq!(
            sanitize(&"b".repeat(100), NameKind::Vnet).map(|s| s.len()),
            Some(64)
        );
        for kind in NameKind::ALL {
            let clean = sanitize("a b/c\u{1b}d.", kind).unwrap();
            assert!(problem(&clean, kind).is_none(), "{kind}: {clean}");
        }
    }

    #[test]
    fn a_hostile_name_is_refused_for_its_length() {
        let huge = "a".repeat(1_000_000);
        assert_eq!(
            refused(&huge, NameKind::Vnet),
            Some(NameProblem::Length {
                length: 1_000_000,
                min: 2,
                max: 64
            })
        );
    }
}
