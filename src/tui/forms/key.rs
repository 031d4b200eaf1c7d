//! The names of form fields. Every form's logic reads and reports its fields by a [`FieldKey`],
//! so a misspelt field is a compile error, and fields that come in numbers (one toggle per VNet
//! in the hub-and-spokes form, one choice per assumption) carry their index: no form is capped at
//! a fixed list of names.

/// A field of a form. One vocabulary serves every form; each form uses the keys it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKey {
    /// The object's name (or a design's title).
    Name,
    /// A VNet's region.
    Region,
    /// A VNet's address space.
    Space,
    /// A subscription's name.
    Subscription,
    /// The VNet an object goes into.
    Vnet,
    /// A subnet's or a route's prefix.
    Prefix,
    /// An NSG reference.
    Nsg,
    /// A route-table reference.
    RouteTable,
    /// A subnet reference (`vnet/subnet`).
    Subnet,
    /// A private IP address (a NIC's, a host's, a route's next hop).
    Ip,
    /// A VM's role, or the designer's role in a subscription.
    Role,
    /// Whether an appliance is stateful.
    Stateful,
    /// A NIC's IP forwarding.
    Forwarding,
    /// A peering's local VNet.
    Local,
    /// A peering's remote VNet (or a connection's other end).
    Remote,
    /// The peering flag allowVirtualNetworkAccess.
    AllowAccess,
    /// The peering flag allowForwardedTraffic.
    AllowForwarded,
    /// The peering flag allowGatewayTransit.
    AllowTransit,
    /// The peering flag useRemoteGateways.
    UseRemoteGateways,
    /// The local subnets of a subnet peering.
    LocalSubnets,
    /// The remote subnets of a subnet peering.
    RemoteSubnets,
    /// The hub of the hub-and-spokes form.
    Hub,
    /// Whether the VNet at this index of `Design::vnets` is a spoke (hub-and-spokes form).
    Spoke(usize),
    /// An appliance rule's action.
    Action,
    /// A rule's source.
    Source,
    /// A rule's destination.
    Destination,
    /// A rule's protocol.
    Protocol,
    /// A rule's ports.
    Ports,
    /// A gateway's kind.
    Kind,
    /// A gateway's SKU.
    Sku,
    /// A gateway's point-to-site client pool.
    Pool,
    /// BGP on a gateway, site or connection.
    Bgp,
    /// A site's prefixes.
    Prefixes,
    /// A host's site.
    Site,
    /// A connection's gateway.
    Gateway,
    /// A route table's gateway route propagation.
    Propagate,
    /// A route's next-hop type.
    Hop,
    /// An NSG rule's priority.
    Priority,
    /// An NSG rule's direction.
    Direction,
    /// An NSG rule's access (allow or deny).
    Access,
    /// An intent's source endpoint.
    From,
    /// An intent's destination endpoint.
    To,
    /// A flow (`tcp/443`).
    Flow,
    /// An intent's expectation.
    Expect,
    /// A file path (Save as).
    Path,
    /// A design's description.
    Description,
    /// A custom role's actions.
    Actions,
    /// The assumption at this index of the assumptions form's table.
    Assumption(usize),
}
