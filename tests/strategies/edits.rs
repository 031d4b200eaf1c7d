//! Edits as proptest values. An [`EditSpec`] names its targets by [`Pick`], so it is resolved
//! against the design it is applied to (which changes as a sequence is applied): the same
//! sequence shrinks by dropping edits, and each edit still finds something to act on. Some
//! edits are meant to be refused (a name already taken, a subnet that does not exist, a
//! `Withdraw` that would leave references dangling), so refusals are exercised too.

use super::spec::{
    ApplianceSpec, GatewaySpec, IntentSpec, LinkSpec, NsgRuleSpec, Pick, RouteTableSpec,
};
use super::strategy::{
    appliance, assumptions, gateway, intent, link as link_spec, nsg_rule, region, role, route_table,
};
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;
use vnetlab::model::{Assumptions, GatewaySku, ObjectKind, Region, Role};

mod resolve;

/// What a rename renames to.
#[derive(Debug, Clone)]
pub enum NewName {
    /// A name no object has.
    Fresh,
    /// The name of another object of the same kind (refused).
    Taken(Pick),
    /// An odd one: empty, with a `/`, Unicode.
    Odd(String),
}

/// One edit, described by what it does rather than by names.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub enum EditSpec {
    AddVnet {
        region: Region,
        second_prefix: bool,
    },
    AddSubnet {
        vnet: Pick,
        extra_prefix: bool,
        nsg: Option<Pick>,
        route_table: Option<Pick>,
    },
    AddVm {
        subnet: Pick,
        appliance: Option<ApplianceSpec>,
        secondary: bool,
        nic_nsg: Option<Pick>,
    },
    AddPeering {
        a: Pick,
        b: Pick,
        link: LinkSpec,
        reuse_name: bool,
    },
    AddNsg {
        rules: Vec<NsgRuleSpec>,
        attach_to_subnet: Option<Pick>,
    },
    AddRouteTable {
        table: RouteTableSpec,
        attach_to_subnet: Option<Pick>,
    },
    AddGateway {
        vnet: Pick,
        gateway: GatewaySpec,
        site: bool,
    },
    AddVnetToVnet {
        from: Pick,
        to: Pick,
        bgp: bool,
    },
    AddIntent(IntentSpec),
    AddSubscription(Role),
    Remove(ObjectKind, Pick),
    Withdraw(ObjectKind, Pick),
    Rename(ObjectKind, Pick, NewName),
    ChangePeering {
        peering: Pick,
        change: u8,
    },
    ChangeSpace {
        vnet: Pick,
        grow: bool,
    },
    ChangeSubnet {
        subnet: Pick,
        nsg: Option<Pick>,
        route_table: Option<Pick>,
        extra_prefix: bool,
    },
    ChangeVm {
        vm: Pick,
        forwarding: bool,
        nic_nsg: Option<Pick>,
        appliance: Option<ApplianceSpec>,
        secondary: bool,
    },
    ChangeGateway {
        gateway: Pick,
        bgp: bool,
        p2s: bool,
        sku: GatewaySku,
    },
    ChangeRouteTable {
        table: Pick,
        spec: RouteTableSpec,
    },
    ChangeNsg {
        nsg: Pick,
        rules: Vec<NsgRuleSpec>,
    },
    Sync(Pick),
    SetAssumptions(Assumptions),
    SetInfo(String),
}

impl EditSpec {
    /// The variant's name, for vacuity counts.
    pub fn variant(&self) -> &'static str {
        match self {
            EditSpec::AddVnet { .. } => "AddVnet",
            EditSpec::AddSubnet { .. } => "AddSubnet",
            EditSpec::AddVm { .. } => "AddVm",
            EditSpec::AddPeering { .. } => "AddPeering",
            EditSpec::AddNsg { .. } => "AddNsg",
            EditSpec::AddRouteTable { .. } => "AddRouteTable",
            EditSpec::AddGateway { .. } => "AddGateway",
            EditSpec::AddVnetToVnet { .. } => "AddVnetToVnet",
            EditSpec::AddIntent(_) => "AddIntent",
            EditSpec::AddSubscription(_) => "AddSubscription",
            EditSpec::Remove(..) => "Remove",
            EditSpec::Withdraw(..) => "Withdraw",
            EditSpec::Rename(..) => "Rename",
            EditSpec::ChangePeering { .. } => "ChangePeering",
            EditSpec::ChangeSpace { .. } => "ChangeSpace",
            EditSpec::ChangeSubnet { .. } => "ChangeSubnet",
            EditSpec::ChangeVm { .. } => "ChangeVm",
            EditSpec::ChangeGateway { .. } => "ChangeGateway",
            EditSpec::ChangeRouteTable { .. } => "ChangeRouteTable",
            EditSpec::ChangeNsg { .. } => "ChangeNsg",
            EditSpec::Sync(_) => "Sync",
            EditSpec::SetAssumptions(_) => "SetAssumptions",
            EditSpec::SetInfo(_) => "SetInfo",
        }
    }
}

/// Every variant name [`EditSpec::variant`] returns.
pub const VARIANTS: [&str; 23] = [
    "AddVnet",
    "AddSubnet",
    "AddVm",
    "AddPeering",
    "AddNsg",
    "AddRouteTable",
    "AddGateway",
    "AddVnetToVnet",
    "AddIntent",
    "AddSubscription",
    "Remove",
    "Withdraw",
    "Rename",
    "ChangePeering",
    "ChangeSpace",
    "ChangeSubnet",
    "ChangeVm",
    "ChangeGateway",
    "ChangeRouteTable",
    "ChangeNsg",
    "Sync",
    "SetAssumptions",
    "SetInfo",
];

const KINDS: [ObjectKind; 11] = [
    ObjectKind::Vnet,
    ObjectKind::Subnet,
    ObjectKind::Vm,
    ObjectKind::Peering,
    ObjectKind::Nsg,
    ObjectKind::RouteTable,
    ObjectKind::Gateway,
    ObjectKind::Site,
    ObjectKind::Connection,
    ObjectKind::Intent,
    ObjectKind::Subscription,
];

fn kind() -> impl Strategy<Value = ObjectKind> {
    select(KINDS.to_vec())
}

fn new_name() -> impl Strategy<Value = NewName> {
    prop_oneof![
        6 => Just(NewName::Fresh),
        2 => any::<Pick>().prop_map(NewName::Taken),
        1 => select(vec!["", "a/b", "ünï ✓"]).prop_map(|s| NewName::Odd(s.to_string())),
    ]
}

fn opt_pick(probability: f64) -> impl Strategy<Value = Option<Pick>> {
    weighted(probability, any::<Pick>())
}

/// One edit.
pub fn edit_spec() -> impl Strategy<Value = EditSpec> {
    let p = any::<Pick>;
    prop_oneof![
        2 => (region(), any::<bool>())
            .prop_map(|(region, second_prefix)| EditSpec::AddVnet { region, second_prefix }),
        2 => (p(), any::<bool>(), opt_pick(0.4), opt_pick(0.4)).prop_map(
            |(vnet, extra_prefix, nsg, route_table)| EditSpec::AddSubnet { vnet, extra_prefix, nsg, route_table }),
        3 => (p(), weighted(0.3, appliance()), prop::bool::weighted(0.2), opt_pick(0.3)).prop_map(
            |(subnet, appliance, secondary, nic_nsg)| EditSpec::AddVm { subnet, appliance, secondary, nic_nsg }),
        4 => (p(), p(), link_spec(), prop::bool::weighted(0.2)).prop_map(
            |(a, b, link, reuse_name)| EditSpec::AddPeering { a, b, link, reuse_name }),
        2 => (vec(nsg_rule(), 0..=3), opt_pick(0.5)).prop_map(
            |(rules, attach_to_subnet)| EditSpec::AddNsg { rules, attach_to_subnet }),
        2 => (route_table(), opt_pick(0.5)).prop_map(
            |(table, attach_to_subnet)| EditSpec::AddRouteTable { table, attach_to_subnet }),
        2 => (p(), gateway(), any::<bool>()).prop_map(
            |(vnet, gateway, site)| EditSpec::AddGateway { vnet, gateway, site }),
        1 => (p(), p(), any::<bool>()).prop_map(|(from, to, bgp)| EditSpec::AddVnetToVnet { from, to, bgp }),
        1 => intent().prop_map(EditSpec::AddIntent),
        1 => role().prop_map(EditSpec::AddSubscription),
        4 => (kind(), p()).prop_map(|(k, t)| EditSpec::Remove(k, t)),
        1 => (kind(), p()).prop_map(|(k, t)| EditSpec::Withdraw(k, t)),
        2 => (kind(), p(), new_name()).prop_map(|(k, t, n)| EditSpec::Rename(k, t, n)),
        3 => (p(), 0u8..7).prop_map(|(peering, change)| EditSpec::ChangePeering { peering, change }),
        2 => (p(), any::<bool>()).prop_map(|(vnet, grow)| EditSpec::ChangeSpace { vnet, grow }),
        2 => (p(), opt_pick(0.5), opt_pick(0.5), prop::bool::weighted(0.2)).prop_map(
            |(subnet, nsg, route_table, extra_prefix)| EditSpec::ChangeSubnet { subnet, nsg, route_table, extra_prefix }),
        2 => (p(), any::<bool>(), opt_pick(0.3), weighted(0.3, appliance()), prop::bool::weighted(0.2)).prop_map(
            |(vm, forwarding, nic_nsg, appliance, secondary)| EditSpec::ChangeVm { vm, forwarding, nic_nsg, appliance, secondary }),
        1 => (p(), any::<bool>(), any::<bool>(), select(GatewaySku::ALL.to_vec())).prop_map(
            |(gateway, bgp, p2s, sku)| EditSpec::ChangeGateway { gateway, bgp, p2s, sku }),
        1 => (p(), route_table()).prop_map(|(table, spec)| EditSpec::ChangeRouteTable { table, spec }),
        1 => (p(), vec(nsg_rule(), 0..=3)).prop_map(|(nsg, rules)| EditSpec::ChangeNsg { nsg, rules }),
        2 => p().prop_map(EditSpec::Sync),
        1 => assumptions().prop_map(EditSpec::SetAssumptions),
        1 => "[a-z ]{0,8}".prop_map(EditSpec::SetInfo),
    ]
}
