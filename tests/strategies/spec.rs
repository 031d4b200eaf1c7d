//! The shape of a generated design, as plain data with proptest strategies. References between
//! objects are [`Pick`]s (an index taken modulo the length of the list it points into, resolved
//! by `build`), so shrinking can drop any object and every reference still lands somewhere:
//! a failure shrinks to fewer VNets, VMs, rules and peerings, not to another random seed.

use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use vnetlab::model::{
    Access, ApplianceKind, Assumptions, Direction, Expectation, Flow, ForwardedTraffic,
    GatewayKind, GatewaySku, GovGlobalPeering, PortRange, Protocol, Region, Role, ServiceTag,
    VnetAccessMode,
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

fn chance(percent: u32) -> impl Strategy<Value = bool> {
    prop::bool::weighted(f64::from(percent) / 100.0)
}

/// A region: mostly public cloud, sometimes Government or China.
pub fn region() -> impl Strategy<Value = Region> {
    prop_oneof![
        6 => select(vec!["eastus", "westeurope", "westus2"]),
        1 => select(vec!["usgovvirginia", "usgovtexas"]),
        1 => select(vec!["chinanorth2", "chinaeast2"]),
    ]
    .prop_map(|name| name.parse().expect("the region is in the table"))
}

/// A flow: the common ones, and now and then any TCP or UDP port.
pub fn flow() -> impl Strategy<Value = Flow> {
    prop_oneof![
        5 => select(vec!["tcp/443", "tcp/22", "udp/53", "icmp", "any"])
            .prop_map(|text| text.parse().expect("literal flow")),
        1 => (prop_oneof![Just(Protocol::Tcp), Just(Protocol::Udp)], any::<u16>())
            .prop_map(|(protocol, port)| Flow { protocol, port: Some(port) }),
    ]
}

fn access() -> impl Strategy<Value = Access> {
    prop_oneof![Just(Access::Allow), Just(Access::Deny)]
}

fn protocol() -> impl Strategy<Value = Protocol> {
    prop_oneof![
        3 => Just(Protocol::Any),
        3 => Just(Protocol::Tcp),
        2 => Just(Protocol::Udp),
        2 => Just(Protocol::Icmp),
        1 => Just(Protocol::Esp),
        1 => Just(Protocol::Ah),
    ]
}

fn tag() -> impl Strategy<Value = ServiceTag> {
    prop_oneof![
        Just(ServiceTag::VirtualNetwork),
        Just(ServiceTag::Internet),
        Just(ServiceTag::AzureLoadBalancer),
        Just(ServiceTag::Other("Storage".into())),
    ]
}

fn fixed_prefix() -> impl Strategy<Value = ipnet::Ipv4Net> {
    select(vec![
        "0.0.0.0/0",
        "10.0.0.0/8",
        "192.168.0.0/16",
        "172.16.0.0/12",
        "168.63.129.16/32",
        "8.8.8.0/24",
    ])
    .prop_map(|text| text.parse().expect("literal CIDR"))
}

/// An address of a rule.
pub fn address() -> impl Strategy<Value = AddressSpec> {
    prop_oneof![
        3 => Just(AddressSpec::Any),
        3 => tag().prop_map(AddressSpec::Tag),
        2 => any::<Pick>().prop_map(AddressSpec::VmHost),
        1 => (any::<Pick>(), 27u8..=30).prop_map(|(vm, len)| AddressSpec::VmBlock(vm, len)),
        2 => any::<Pick>().prop_map(AddressSpec::VnetSpace),
        1 => any::<Pick>().prop_map(AddressSpec::SubnetPrefix),
        1 => any::<Pick>().prop_map(AddressSpec::SitePrefix),
        1 => fixed_prefix().prop_map(AddressSpec::Fixed),
    ]
}

/// A port range: every port, a well-known one, a range, or any range at all.
pub fn port_range() -> impl Strategy<Value = PortRange> {
    prop_oneof![
        4 => Just(PortRange::ALL),
        3 => select(vec![22u16, 53, 443, 80]).prop_map(PortRange::single),
        1 => Just(PortRange { start: 400, end: 500 }),
        1 => Just(PortRange { start: 1024, end: 65535 }),
        1 => (any::<u16>(), any::<u16>())
            .prop_map(|(a, b)| PortRange { start: a.min(b), end: a.max(b) }),
    ]
}

fn port_list(all_weight: u32) -> impl Strategy<Value = Vec<PortRange>> {
    prop_oneof![
        all_weight => Just(vec![PortRange::ALL]),
        4 => vec(port_range(), 1..=2),
        1 => Just(Vec::new()),
    ]
}

pub fn nsg_rule() -> impl Strategy<Value = NsgRuleSpec> {
    (
        prop_oneof![Just(Direction::Inbound), Just(Direction::Outbound)],
        access(),
        protocol(),
        vec(address(), 1..=2),
        port_list(8),
        vec(address(), 1..=2),
        port_list(4),
    )
        .prop_map(
            |(
                direction,
                access,
                protocol,
                source,
                source_ports,
                destination,
                destination_ports,
            )| {
                NsgRuleSpec {
                    direction,
                    access,
                    protocol,
                    source,
                    source_ports,
                    destination,
                    destination_ports,
                }
            },
        )
}

prop_compose! {
    pub fn appliance_rule()(
        action in access(),
        source in address(),
        destination in address(),
        protocol in protocol(),
        ports in port_range(),
    ) -> ApplianceRuleSpec {
        ApplianceRuleSpec { action, source, destination, protocol, ports }
    }
}

prop_compose! {
    pub fn appliance()(
        firewall in chance(40),
        stateful in chance(50),
        rules in vec(appliance_rule(), 0..=3),
    ) -> ApplianceSpec {
        let kind = if firewall { ApplianceKind::Firewall } else { ApplianceKind::Nva };
        ApplianceSpec { kind, stateful, rules }
    }
}

prop_compose! {
    pub fn secondary_nic()(
        subnet in any::<Pick>(),
        nsg in weighted(0.3, any::<Pick>()),
        ip_forwarding in chance(50),
    ) -> NicSpec {
        NicSpec { subnet, nsg, ip_forwarding }
    }
}

prop_compose! {
    pub fn vm()(
        nic_nsg in weighted(0.25, any::<Pick>()),
        appliance in weighted(0.2, appliance()),
        forwarding in chance(85),
        secondary in prop_oneof![4 => Just(Vec::new()), 1 => vec(secondary_nic(), 1..=2)],
    ) -> VmSpec {
        // Appliances mostly forward (and sometimes forget to); workloads never do.
        let ip_forwarding = appliance.is_some() && forwarding;
        VmSpec { nic_nsg, ip_forwarding, appliance, secondary }
    }
}

prop_compose! {
    pub fn subnet()(
        extra_prefix in chance(15),
        nsg in weighted(0.4, any::<Pick>()),
        route_table in weighted(0.4, any::<Pick>()),
        vms in vec(vm(), 0..=3),
    ) -> SubnetSpec {
        SubnetSpec { extra_prefix, nsg, route_table, vms }
    }
}

prop_compose! {
    pub fn vnet()(
        region in region(),
        classic in chance(8),
        overlap_previous in chance(15),
        second_prefix in chance(25),
        subscription in weighted(0.3, any::<Pick>()),
        gateway_subnet_table in weighted(0.2, any::<Pick>()),
        subnets in vec(subnet(), 1..=3),
    ) -> VnetSpec {
        VnetSpec {
            region, classic, overlap_previous, second_prefix, subscription,
            gateway_subnet_table, subnets,
        }
    }
}

pub fn snapshot() -> impl Strategy<Value = SnapshotSpec> {
    prop_oneof![
        Just(SnapshotSpec::Current),
        Just(SnapshotSpec::FirstPrefixOnly),
        Just(SnapshotSpec::Half),
        Just(SnapshotSpec::Empty),
    ]
}

prop_compose! {
    pub fn link()(
        access in chance(85),
        forwarded in chance(50),
        transit in chance(30),
        use_remote in chance(25),
        snapshot in weighted(0.2, snapshot()),
        disconnected in chance(8),
        subnets in weighted(0.25, (any::<u8>(), any::<u8>())),
    ) -> LinkSpec {
        LinkSpec { access, forwarded, transit, use_remote, snapshot, disconnected, subnets }
    }
}

prop_compose! {
    pub fn peering()(
        a in any::<Pick>(),
        b in any::<Pick>(),
        forward in link(),
        reverse in weighted(0.75, link()),
        transit in chance(20),
    ) -> PeeringSpec {
        PeeringSpec { a, b, forward, reverse, transit }
    }
}

prop_compose! {
    pub fn gateway()(
        vnet in any::<Pick>(),
        express_route in chance(25),
        sku in select(GatewaySku::ALL.to_vec()),
        policy_based in chance(10),
        p2s in chance(40),
        bgp in chance(40),
    ) -> GatewaySpec {
        let kind = if express_route { GatewayKind::ExpressRoute } else { GatewayKind::Vpn };
        GatewaySpec { vnet, kind, sku, policy_based, p2s, bgp }
    }
}

prop_compose! {
    pub fn site()(overlaps_azure in chance(10), hosts in 1u8..=2, bgp in chance(40)) -> SiteSpec {
        SiteSpec { overlaps_azure, hosts, bgp }
    }
}

prop_compose! {
    pub fn connection()(
        gateway in any::<Pick>(),
        to_gateway in chance(35),
        remote in any::<Pick>(),
        bgp in chance(40),
    ) -> ConnectionSpec {
        let remote = if to_gateway { RemoteSpec::Gateway(remote) } else { RemoteSpec::Site(remote) };
        ConnectionSpec { gateway, remote, bgp }
    }
}

pub fn next_hop() -> impl Strategy<Value = HopSpec> {
    prop_oneof![
        2 => Just(HopSpec::None),
        2 => Just(HopSpec::Gateway),
        1 => Just(HopSpec::VnetLocal),
        1 => Just(HopSpec::Internet),
        4 => any::<Pick>().prop_map(HopSpec::Appliance),
        2 => any::<Pick>().prop_map(HopSpec::Nic),
        1 => Just(HopSpec::Stray),
    ]
}

prop_compose! {
    pub fn route()(prefix in address(), next_hop in next_hop()) -> RouteSpec {
        RouteSpec { prefix, next_hop }
    }
}

prop_compose! {
    pub fn route_table()(propagate in chance(75), routes in vec(route(), 0..=3)) -> RouteTableSpec {
        RouteTableSpec { propagate, routes }
    }
}

prop_compose! {
    pub fn intent()(
        from in any::<Pick>(),
        to in any::<Pick>(),
        flow in flow(),
        reachable in chance(50),
    ) -> IntentSpec {
        let expect = if reachable { Expectation::Reachable } else { Expectation::Blocked };
        IntentSpec { from, to, flow, expect }
    }
}

pub fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        Just(Role::Owner),
        Just(Role::Contributor),
        Just(Role::NetworkContributor),
        Just(Role::ClassicNetworkContributor),
        Just(Role::Reader),
        Just(Role::Custom(vec![
            "Microsoft.Network/virtualNetworks/*".into()
        ])),
    ]
}

/// Assumptions: the defaults half of the time, otherwise any combination of every value.
pub fn assumptions() -> impl Strategy<Value = Assumptions> {
    let any_combination = (
        prop_oneof![
            Just(VnetAccessMode::DocumentedIntent),
            Just(VnetAccessMode::TagOnly)
        ],
        prop_oneof![
            Just(ForwardedTraffic::Enforce),
            Just(ForwardedTraffic::Ignore)
        ],
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just(GovGlobalPeering::Forbidden),
            Just(GovGlobalPeering::Allowed)
        ],
    )
        .prop_map(
            |(vnet_access_disabled, forwarded_traffic, exempt, widens, gov)| Assumptions {
                vnet_access_disabled,
                forwarded_traffic,
                gateway_hops_exempt_from_forwarding_check: exempt,
                vnet_tag_widens_with_default_route: widens,
                gov_global_peering: gov,
            },
        );
    prop_oneof![Just(Assumptions::default()), any_combination]
}

prop_compose! {
    /// A whole design spec. Sizes stay small (1–4 VNets, up to 2 VMs a subnet) so that the
    /// reference engine, which walks every pair, stays quick in a debug build.
    pub fn design_spec()(
        vnets in vec(vnet(), 1..=4),
        peerings in vec(peering(), 0..=5),
        gateways in prop_oneof![1 => Just(Vec::new()), 2 => vec(gateway(), 1..=3)],
        sites in vec(site(), 0..=2),
        connections in vec(connection(), 0..=3),
        nsgs in vec(vec(nsg_rule(), 0..=3), 0..=3),
        route_tables in vec(route_table(), 0..=3),
        intents in vec(intent(), 0..=2),
        subscriptions in vec(role(), 0..=2),
        assumptions in assumptions(),
        hub in weighted(0.3, (any::<u8>(), any::<bool>())
            .prop_map(|(forwarded, stateful)| HubSpec { forwarded, stateful })),
    ) -> DesignSpec {
        DesignSpec {
            vnets, peerings, gateways, sites, connections, nsgs, route_tables, intents,
            subscriptions, assumptions, hub,
        }
    }
}
