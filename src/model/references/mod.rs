//! Name references, listed in one place. A design refers to objects by name (DESIGN keeps it
//! that way: files stay readable and diff well), so a NIC names its VNet and subnet, a peering
//! its two VNets, a connection its gateway and site, an intent its endpoints. [`RefSlot`] is
//! every field that holds such a name, and `Design::references_of` lists them for one object.
//! Validation checks them, renaming rewrites them and removal follows them through this list,
//! so a new reference field is one new slot here, listed in `listing`: the compiler then asks
//! for the rest (`Design::reference_mut` in `writing`, [`RefSlot::holder`]). What a removal
//! does to the objects that referred to the removed one is still decided per kind in
//! `edit::apply` (delete them, clear the field, drop a list entry).
//!
//! Clearing a list entry ([`Design::clear_reference`]) shifts the entries after it: clear the
//! slots of one list from the last to the first (slots order by index).
//!
//! Slots are positions (indexes into the design's lists), valid for the design they were read
//! from until that design changes shape. Listing every reference of a design allocates one
//! small vector per object; it is linear in the design.

use super::{RuleEnd, Side};

mod listing;
mod writing;

/// What kind of object a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    /// A VNet, by name.
    Vnet,
    /// A subnet, by its name within a VNet (the reference's scope).
    Subnet,
    /// An NSG.
    Nsg,
    /// A route table.
    RouteTable,
    /// A gateway.
    Gateway,
    /// An on-premises site.
    Site,
    /// An endpoint: a VM, a site host or a gateway's point-to-site client.
    Endpoint,
    /// A subscription. VNets name theirs as free text: such a reference need not resolve.
    Subscription,
    /// An application security group.
    Asg,
    /// A Virtual Network Manager network group.
    NetworkGroup,
}

impl RefKind {
    /// How a sentence names the kind of object ("there is no route table `x`").
    pub fn label(self) -> &'static str {
        match self {
            RefKind::Vnet => "VNet",
            RefKind::Subnet => "subnet",
            RefKind::Nsg => "NSG",
            RefKind::RouteTable => "route table",
            RefKind::Gateway => "gateway",
            RefKind::Site => "site",
            RefKind::Endpoint => "VM, host or P2S client",
            RefKind::Subscription => "subscription",
            RefKind::Asg => "application security group",
            RefKind::NetworkGroup => "network group",
        }
    }
}

/// An object that holds references, by position in the design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Holder {
    /// VNet `vnet` (its subscription).
    Vnet(usize),
    /// Subnet `subnet` of VNet `vnet`.
    Subnet {
        /// Index of the VNet.
        vnet: usize,
        /// Index of the subnet in the VNet.
        subnet: usize,
    },
    /// NIC `nic` of VM `vm`.
    Nic {
        /// Index of the VM.
        vm: usize,
        /// Index of the NIC in the VM.
        nic: usize,
    },
    /// A peering.
    Peering(usize),
    /// A gateway.
    Gateway(usize),
    /// A connection.
    Connection(usize),
    /// An intent.
    Intent(usize),
    /// An NSG (its rules' ASGs).
    Nsg(usize),
    /// A Route Server.
    RouteServer(usize),
    /// A network group.
    NetworkGroup(usize),
    /// A connectivity configuration.
    Connectivity(usize),
}

/// A field of the design that names another object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefSlot {
    /// A VNet's `subscription`.
    VnetSubscription(usize),
    /// A subnet's `nsg`.
    SubnetNsg {
        /// Index of the VNet.
        vnet: usize,
        /// Index of the subnet in the VNet.
        subnet: usize,
    },
    /// A subnet's `route_table`.
    SubnetRouteTable {
        /// Index of the VNet.
        vnet: usize,
        /// Index of the subnet in the VNet.
        subnet: usize,
    },
    /// The VNet part of a NIC's `subnet`.
    NicVnet {
        /// Index of the VM.
        vm: usize,
        /// Index of the NIC.
        nic: usize,
    },
    /// The subnet part of a NIC's `subnet` (scoped by its VNet part).
    NicSubnet {
        /// Index of the VM.
        vm: usize,
        /// Index of the NIC.
        nic: usize,
    },
    /// A NIC's `nsg`.
    NicNsg {
        /// Index of the VM.
        vm: usize,
        /// Index of the NIC.
        nic: usize,
    },
    /// A peering's `local` or `remote` VNet.
    PeeringEnd {
        /// Index of the peering.
        peering: usize,
        /// Which end.
        side: Side,
    },
    /// One entry of a peering's `local_subnets` or `remote_subnets` (scoped by that end's VNet).
    PeeringSubnet {
        /// Index of the peering.
        peering: usize,
        /// Which end's list.
        side: Side,
        /// Index in the list.
        index: usize,
    },
    /// A gateway's `vnet`.
    GatewayVnet(usize),
    /// A connection's `gateway`.
    ConnectionGateway(usize),
    /// A connection's `remote`: a site or a gateway.
    ConnectionRemote(usize),
    /// An intent's `from` endpoint.
    IntentFrom(usize),
    /// An intent's `to` endpoint.
    IntentTo(usize),
    /// One entry of a NIC's `asgs`.
    NicAsg {
        /// Index of the VM.
        vm: usize,
        /// Index of the NIC.
        nic: usize,
        /// Index in the list.
        index: usize,
    },
    /// One entry of an NSG rule's `source_asgs` or `destination_asgs`.
    RuleAsg {
        /// Index of the NSG.
        nsg: usize,
        /// Index of the rule in the NSG.
        rule: usize,
        /// Which end's list.
        end: RuleEnd,
        /// Index in the list.
        index: usize,
    },
    /// A Route Server's `vnet`.
    RouteServerVnet(usize),
    /// One entry of a network group's `members`.
    GroupMember {
        /// Index of the group.
        group: usize,
        /// Index in the list.
        index: usize,
    },
    /// A hub-and-spoke configuration's `hub`.
    ConnectivityHub(usize),
    /// One entry of a connectivity configuration's `groups` (its `group`).
    ConnectivityGroup {
        /// Index of the configuration.
        config: usize,
        /// Index in the list.
        index: usize,
    },
}

impl RefSlot {
    /// The object holding the field.
    pub fn holder(self) -> Holder {
        match self {
            RefSlot::VnetSubscription(vnet) => Holder::Vnet(vnet),
            RefSlot::SubnetNsg { vnet, subnet } | RefSlot::SubnetRouteTable { vnet, subnet } => {
                Holder::Subnet { vnet, subnet }
            }
            RefSlot::NicVnet { vm, nic }
            | RefSlot::NicSubnet { vm, nic }
            | RefSlot::NicNsg { vm, nic } => Holder::Nic { vm, nic },
            RefSlot::PeeringEnd { peering, .. } | RefSlot::PeeringSubnet { peering, .. } => {
                Holder::Peering(peering)
            }
            RefSlot::GatewayVnet(gateway) => Holder::Gateway(gateway),
            RefSlot::ConnectionGateway(c) | RefSlot::ConnectionRemote(c) => Holder::Connection(c),
            RefSlot::IntentFrom(i) | RefSlot::IntentTo(i) => Holder::Intent(i),
            RefSlot::NicAsg { vm, nic, .. } => Holder::Nic { vm, nic },
            RefSlot::RuleAsg { nsg, .. } => Holder::Nsg(nsg),
            RefSlot::RouteServerVnet(r) => Holder::RouteServer(r),
            RefSlot::GroupMember { group, .. } => Holder::NetworkGroup(group),
            RefSlot::ConnectivityHub(c) | RefSlot::ConnectivityGroup { config: c, .. } => {
                Holder::Connectivity(c)
            }
        }
    }

    /// Whether the field may be left empty (an association that can be removed): a subnet's
    /// NSG and route table, a NIC's NSG, and an entry of a list whose other entries keep their
    /// meaning without it (a NIC's ASGs, a network group's members, a configuration's groups).
    /// Clearing such a field is how a dangling one is repaired; any other dangling reference
    /// makes its holder unusable (an NSG rule's ASG entry: the rule would match other traffic).
    pub fn is_optional(self) -> bool {
        matches!(
            self,
            RefSlot::SubnetNsg { .. }
                | RefSlot::SubnetRouteTable { .. }
                | RefSlot::NicNsg { .. }
                | RefSlot::NicAsg { .. }
                | RefSlot::GroupMember { .. }
                | RefSlot::ConnectivityGroup { .. }
        )
    }
}

/// One reference: where it is and what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reference<'a> {
    /// The field.
    pub slot: RefSlot,
    /// What kind of object it names.
    pub kind: RefKind,
    /// The name it holds.
    pub name: &'a str,
    /// For a subnet reference, the VNet the subnet is looked up in.
    pub scope: Option<&'a str>,
}
