//! The kinds of named object a design holds ([`ObjectKind`]): what edits, references,
//! diagnostics and listings name an object by, with the word a sentence uses for each.

use std::fmt;

/// The kinds of named object in a design.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ObjectKind {
    /// A virtual network.
    Vnet,
    /// A subnet (named `vnet/subnet`).
    Subnet,
    /// A VM or appliance.
    Vm,
    /// A peering link.
    Peering,
    /// A network security group.
    Nsg,
    /// A route table.
    RouteTable,
    /// A virtual network gateway.
    Gateway,
    /// An on-premises site.
    Site,
    /// A gateway connection.
    Connection,
    /// An intent.
    Intent,
    /// A subscription entry.
    Subscription,
    /// An application security group.
    Asg,
    /// An Azure Route Server.
    RouteServer,
    /// A Virtual Network Manager network group.
    NetworkGroup,
    /// A Virtual Network Manager connectivity configuration.
    Connectivity,
}

impl ObjectKind {
    /// Every kind, in the order listings and comparisons go through them.
    pub const ALL: [ObjectKind; 15] = [
        ObjectKind::Vnet,
        ObjectKind::Subnet,
        ObjectKind::Vm,
        ObjectKind::Peering,
        ObjectKind::Nsg,
        ObjectKind::RouteTable,
        ObjectKind::Gateway,
        ObjectKind::Site,
        ObjectKind::Connection,
        ObjectKind::Subscription,
        ObjectKind::Intent,
        ObjectKind::Asg,
        ObjectKind::RouteServer,
        ObjectKind::NetworkGroup,
        ObjectKind::Connectivity,
    ];
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectKind::Vnet => "VNet",
            ObjectKind::Subnet => "subnet",
            ObjectKind::Vm => "VM",
            ObjectKind::Peering => "peering",
            ObjectKind::Nsg => "NSG",
            ObjectKind::RouteTable => "route table",
            ObjectKind::Gateway => "gateway",
            ObjectKind::Site => "site",
            ObjectKind::Connection => "connection",
            ObjectKind::Intent => "intent",
            ObjectKind::Subscription => "subscription",
            ObjectKind::Asg => "application security group",
            ObjectKind::RouteServer => "Route Server",
            ObjectKind::NetworkGroup => "network group",
            ObjectKind::Connectivity => "connectivity configuration",
        })
    }
}
