//! The shape of a generated design, as plain data (the strategies that draw it are in
//! `strategy`). References between objects are [`Pick`]s (an index taken modulo the length of
//! the list it points into, resolved by `build`), so shrinking can drop any object and every
//! reference still lands somewhere: a failure shrinks to fewer VNets, VMs, rules and peerings,
//! not to another random seed. The objects of issue 11 (ASGs, Route Servers, AVNM) are in
//! `managed`.

use proptest::sample::Index;
use vnetlab::model::{
    Access, ApplianceKind, Assumptions, Direction, Expectation, Flow, GatewayKind, GatewaySku,
    PortRange, Protocol, Region, Role, ServiceTag,
};

/// A reference into a list whose length is known only when the design is built.
pub type Pick = Index;

/// A whole design: every list the model has, each object drawn from the strategies below.
#[derive(Debug, Clone)]
pub struct DesignSpec {
    /// VNets `v0`, `v1`, … with their subnets and VMs.
    pub vnets: Vec<VnetSpec>,
    /// Peering pairs (one or both directions).
    pub peerings: Vec<PeeringSpec>,
    /// Gateways `gw0`, `gw1`, …; each adds a `GatewaySubnet` to its VNet.
    pub gateways: Vec<GatewaySpec>,
    /// On-premises sites `site0`, … with hosts.
    pub sites: Vec<SiteSpec>,
    /// Site-to-site and VNet-to-VNet connections `c0`, ….
    pub connections: Vec<ConnectionSpec>,
    /// NSGs `nsg0`, ….
    pub nsgs: Vec<Vec<NsgRuleSpec>>,
    /// Route tables `rt0`, ….
    pub route_tables: Vec<RouteTableSpec>,
    /// Intents `i0`, … between endpoints.
    pub intents: Vec<IntentSpec>,
    /// Subscriptions `sub0`, … with the designer's role.
    pub subscriptions: Vec<Role>,
    /// The contested behaviours.
    pub assumptions: Assumptions,
    /// Make VNet `v0` a hub with an NVA that the other VNets route through.
    pub hub: Option<HubSpec>,
    /// ASGs, Route Servers, AVNM groups and connectivity configurations.
    pub managed: super::managed::ManagedSpec,
}

/// A hub-and-spoke shape: VNet `v0` gets an NVA `nva` (10.x.1.200 in `s0`), every other VNet
/// is peered with it both ways, and a route table `rt-hub` sends `10.0.0.0/8` from the spokes'
/// subnets (those without a table of their own) to the NVA.
#[derive(Debug, Clone)]
pub struct HubSpec {
    /// Bit `i`: spoke `v<i>`'s link to the hub allows forwarded traffic.
    pub forwarded: u8,
    /// Whether the NVA is stateful.
    pub stateful: bool,
}

/// One VNet.
#[derive(Debug, Clone)]
pub struct VnetSpec {
    /// Its region (public, Government or China cloud).
    pub region: Region,
    /// A classic (ASM) VNet.
    pub classic: bool,
    /// Reuse the previous VNet's `10.x.0.0/16`: overlapping spaces make peerings invalid.
    pub overlap_previous: bool,
    /// A second address prefix `172.(16+i).0.0/16`.
    pub second_prefix: bool,
    /// The subscription the VNet lives in (one of the design's, by index).
    pub subscription: Option<Pick>,
    /// Route table on the `GatewaySubnet`, when a gateway lands in this VNet.
    pub gateway_subnet_table: Option<Pick>,
    /// Subnets `s0`, ….
    pub subnets: Vec<SubnetSpec>,
}

/// One subnet and the VMs in it.
#[derive(Debug, Clone)]
pub struct SubnetSpec {
    /// A second prefix (`extra_prefixes`).
    pub extra_prefix: bool,
    /// The subnet's NSG.
    pub nsg: Option<Pick>,
    /// The subnet's route table.
    pub route_table: Option<Pick>,
    /// VMs whose primary NIC sits here.
    pub vms: Vec<VmSpec>,
}

/// One VM.
#[derive(Debug, Clone)]
pub struct VmSpec {
    /// NSG on the primary NIC.
    pub nic_nsg: Option<Pick>,
    /// IP forwarding on the primary NIC.
    pub ip_forwarding: bool,
    /// Present for an NVA or a firewall.
    pub appliance: Option<ApplianceSpec>,
    /// Secondary NICs, in subnets of the same VNet.
    pub secondary: Vec<NicSpec>,
}

/// A secondary NIC.
#[derive(Debug, Clone)]
pub struct NicSpec {
    /// The subnet (of the VM's VNet).
    pub subnet: Pick,
    /// The NIC's NSG.
    pub nsg: Option<Pick>,
    /// IP forwarding on this NIC.
    pub ip_forwarding: bool,
}

/// An appliance's behaviour.
#[derive(Debug, Clone)]
pub struct ApplianceSpec {
    /// NVA or firewall.
    pub kind: ApplianceKind,
    /// Whether it tracks sessions.
    pub stateful: bool,
    /// Its rules, first match wins.
    pub rules: Vec<ApplianceRuleSpec>,
}

/// One appliance rule.
#[derive(Debug, Clone)]
pub struct ApplianceRuleSpec {
    /// Allow or deny.
    pub action: Access,
    /// Source addresses.
    pub source: AddressSpec,
    /// Destination addresses.
    pub destination: AddressSpec,
    /// Protocol.
    pub protocol: Protocol,
    /// Destination ports.
    pub ports: PortRange,
}

/// An address an NSG or appliance rule matches, named by what it points at.
#[derive(Debug, Clone)]
pub enum AddressSpec {
    /// `*`.
    Any,
    /// A service tag.
    Tag(ServiceTag),
    /// A VM's primary IP as a /32.
    VmHost(Pick),
    /// The block of this length around a VM's IP: splits a subnet.
    VmBlock(Pick, u8),
    /// A VNet's first address prefix.
    VnetSpace(Pick),
    /// A subnet's prefix.
    SubnetPrefix(Pick),
    /// A site's prefix.
    SitePrefix(Pick),
    /// One of a few fixed prefixes (default route, RFC 1918 blocks, the platform address).
    Fixed(ipnet::Ipv4Net),
}

/// One NSG rule; priorities follow the rule's position.
#[derive(Debug, Clone)]
pub struct NsgRuleSpec {
    /// Inbound or outbound.
    pub direction: Direction,
    /// Allow or deny.
    pub access: Access,
    /// Protocol.
    pub protocol: Protocol,
    /// Source addresses.
    pub source: Vec<AddressSpec>,
    /// Source ports.
    pub source_ports: Vec<PortRange>,
    /// Destination addresses.
    pub destination: Vec<AddressSpec>,
    /// Destination ports.
    pub destination_ports: Vec<PortRange>,
    /// An ASG as the source instead of the addresses (when the design has ASGs).
    pub source_asg: Option<Pick>,
    /// An ASG as the destination instead of the addresses.
    pub destination_asg: Option<Pick>,
}

/// Both directions of a peering pair, or one.
#[derive(Debug, Clone)]
pub struct PeeringSpec {
    /// Local VNet of the forward link.
    pub a: Pick,
    /// Remote VNet of the forward link.
    pub b: Pick,
    /// The a → b link.
    pub forward: LinkSpec,
    /// The b → a link, when present.
    pub reverse: Option<LinkSpec>,
    /// Make this a working gateway-transit pair: `b` becomes the VNet of the gateway `b`
    /// picks, a → b uses remote gateways and b → a allows transit.
    pub transit: bool,
}

/// One directional peering link.
#[derive(Debug, Clone)]
pub struct LinkSpec {
    /// `allowVirtualNetworkAccess`.
    pub access: bool,
    /// `allowForwardedTraffic`.
    pub forwarded: bool,
    /// `allowGatewayTransit`.
    pub transit: bool,
    /// `useRemoteGateways`.
    pub use_remote: bool,
    /// A `remoteAddressSpace` snapshot.
    pub snapshot: Option<SnapshotSpec>,
    /// Marked `Disconnected`.
    pub disconnected: bool,
    /// Subnet-level peering: bit masks of the local and remote subnets listed.
    pub subnets: Option<(u8, u8)>,
}

/// What the snapshot of the remote space holds.
#[derive(Debug, Clone, Copy)]
pub enum SnapshotSpec {
    /// Exactly the remote space (in sync, but written out).
    Current,
    /// Only the remote's first prefix (stale when it has two).
    FirstPrefixOnly,
    /// A half of the remote's first prefix: the space grew since the sync.
    Half,
    /// Nothing at all.
    Empty,
}

/// One gateway.
#[derive(Debug, Clone)]
pub struct GatewaySpec {
    /// Its VNet.
    pub vnet: Pick,
    /// VPN or ExpressRoute.
    pub kind: GatewayKind,
    /// SKU.
    pub sku: GatewaySku,
    /// Policy-based VPN.
    pub policy_based: bool,
    /// A point-to-site pool (which adds a P2S client endpoint).
    pub p2s: bool,
    /// BGP.
    pub bgp: bool,
}

/// One on-premises site.
#[derive(Debug, Clone)]
pub struct SiteSpec {
    /// A second prefix that overlaps the first VNet's space.
    pub overlaps_azure: bool,
    /// How many hosts (1–2).
    pub hosts: u8,
    /// BGP.
    pub bgp: bool,
}

/// One connection.
#[derive(Debug, Clone)]
pub struct ConnectionSpec {
    /// The Azure-side gateway.
    pub gateway: Pick,
    /// The far end.
    pub remote: RemoteSpec,
    /// BGP over the connection.
    pub bgp: bool,
}

/// The far end of a connection.
#[derive(Debug, Clone)]
pub enum RemoteSpec {
    /// A site (site-to-site).
    Site(Pick),
    /// Another gateway (VNet-to-VNet).
    Gateway(Pick),
}

/// One route table.
#[derive(Debug, Clone)]
pub struct RouteTableSpec {
    /// "Propagate gateway routes".
    pub propagate: bool,
    /// Its UDRs.
    pub routes: Vec<RouteSpec>,
}

/// One UDR.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    /// The destination prefix.
    pub prefix: AddressSpec,
    /// The next hop.
    pub next_hop: HopSpec,
}

/// A UDR's next hop.
#[derive(Debug, Clone)]
pub enum HopSpec {
    /// Drop.
    None,
    /// The VNet's gateway.
    Gateway,
    /// Inside the VNet.
    VnetLocal,
    /// The internet.
    Internet,
    /// An appliance NIC's IP (falls back to any NIC when there is no appliance).
    Appliance(Pick),
    /// Any NIC's IP, primary or secondary, forwarding or not.
    Nic(Pick),
    /// An address no NIC owns.
    Stray,
}

/// One intent.
#[derive(Debug, Clone)]
pub struct IntentSpec {
    /// Source endpoint.
    pub from: Pick,
    /// Destination endpoint.
    pub to: Pick,
    /// The flow.
    pub flow: Flow,
    /// What the designer expects.
    pub expect: Expectation,
}
