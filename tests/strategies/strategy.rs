//! The proptest strategies that draw a [`DesignSpec`], with the weights that keep designs
//! small (1–4 VNets, up to 3 VMs a subnet, so the reference engine stays quick in a debug build)
//! and every feature frequent enough for the vacuity guards.

use super::spec::{
    AddressSpec, ApplianceRuleSpec, ApplianceSpec, ConnectionSpec, DesignSpec, GatewaySpec,
    HopSpec, HubSpec, IntentSpec, LinkSpec, NicSpec, NsgRuleSpec, PeeringSpec, Pick, RemoteSpec,
    RouteSpec, RouteTableSpec, SiteSpec, SnapshotSpec, SubnetSpec, VmSpec, VnetSpec,
};
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;
use vnetlab::model::{
    Access, ApplianceKind, Assumptions, Direction, Expectation, Flow, ForwardedTraffic,
    GatewayKind, GatewaySku, GovGlobalPeering, PortRange, Protocol, Region, Role, ServiceTag,
    VnetAccessMode,
};

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
        // `*` among other ranges (what an empty list, which validation refuses, drew before).
        1 => Just(vec![PortRange::single(443), PortRange::ALL]),
    ]
}

/// One NSG rule (priorities are given by position when built).
pub fn nsg_rule() -> impl Strategy<Value = NsgRuleSpec> {
    (
        prop_oneof![Just(Direction::Inbound), Just(Direction::Outbound)],
        access(),
        protocol(),
        vec(address(), 1..=2),
        port_list(8),
        vec(address(), 1..=2),
        port_list(4),
        weighted(0.15, any::<Pick>()),
        weighted(0.2, any::<Pick>()),
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
                source_asg,
                destination_asg,
            )| {
                NsgRuleSpec {
                    direction,
                    access,
                    protocol,
                    source,
                    source_ports,
                    destination,
                    destination_ports,
                    source_asg,
                    destination_asg,
                }
            },
        )
}

prop_compose! {
    /// One appliance rule.
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
    /// An NVA or firewall with up to three rules.
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
    /// A secondary NIC.
    pub fn secondary_nic()(
        subnet in any::<Pick>(),
        nsg in weighted(0.3, any::<Pick>()),
        ip_forwarding in chance(50),
    ) -> NicSpec {
        NicSpec { subnet, nsg, ip_forwarding }
    }
}

prop_compose! {
    /// A VM: a workload, or (one in five) an appliance.
    pub fn vm()(
        nic_nsg in weighted(0.25, any::<Pick>()),
        appliance in weighted(0.2, appliance()),
        forwarding in chance(85),
        workload_forwarding in chance(5),
        secondary in prop_oneof![4 => Just(Vec::new()), 1 => vec(secondary_nic(), 1..=2)],
    ) -> VmSpec {
        // Appliances mostly forward (and sometimes forget to); workloads seldom do.
        let ip_forwarding = if appliance.is_some() { forwarding } else { workload_forwarding };
        VmSpec { nic_nsg, ip_forwarding, appliance, secondary }
    }
}

prop_compose! {
    /// A subnet with up to three VMs.
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
    /// A VNet with one to three subnets.
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

/// A `remoteAddressSpace` snapshot.
pub fn snapshot() -> impl Strategy<Value = SnapshotSpec> {
    prop_oneof![
        Just(SnapshotSpec::Current),
        Just(SnapshotSpec::FirstPrefixOnly),
        Just(SnapshotSpec::Half),
        Just(SnapshotSpec::Empty),
    ]
}

prop_compose! {
    /// One directional peering link.
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
    /// A peering pair (or one link of it).
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
    /// A gateway.
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
    /// An on-premises site.
    pub fn site()(overlaps_azure in chance(10), hosts in 1u8..=2, bgp in chance(40)) -> SiteSpec {
        SiteSpec { overlaps_azure, hosts, bgp }
    }
}

prop_compose! {
    /// A site-to-site or VNet-to-VNet connection.
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

/// A UDR next hop: every type, and appliance addresses of several kinds.
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
    /// One UDR.
    pub fn route()(prefix in address(), next_hop in next_hop()) -> RouteSpec {
        RouteSpec { prefix, next_hop }
    }
}

prop_compose! {
    /// A route table with up to three UDRs.
    pub fn route_table()(propagate in chance(75), routes in vec(route(), 0..=3)) -> RouteTableSpec {
        RouteTableSpec { propagate, routes }
    }
}

prop_compose! {
    /// An intent.
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

/// A subscription role.
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
        any::<bool>(),
    )
        .prop_map(
            |(vnet_access_disabled, forwarded_traffic, exempt, widens, gov, avnm_forwarded)| {
                Assumptions {
                    vnet_access_disabled,
                    forwarded_traffic,
                    gateway_hops_exempt_from_forwarding_check: exempt,
                    vnet_tag_widens_with_default_route: widens,
                    gov_global_peering: gov,
                    avnm_peerings_allow_forwarded_traffic: avnm_forwarded,
                }
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
        managed in super::managed::managed_spec(),
    ) -> DesignSpec {
        DesignSpec {
            vnets, peerings, gateways, sites, connections, nsgs, route_tables, intents,
            subscriptions, assumptions, hub, managed,
        }
    }
}
