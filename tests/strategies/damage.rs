//! Designs that break the model's invariants: a valid generated design, then a short list of
//! [`Damage`]s applied to it. The list shrinks like any other, so a panic shrinks to the one
//! damage (and the small design) that causes it. Every function of the core must answer for
//! these designs without panicking (issue 15): the engine, lint, the session, the design-file
//! writer and reader, and the Azure exporter and importer.

use super::Generated;
use super::build::build;
use super::census::Feature;
use super::spec::Pick;
use super::strategy::design_spec;
use proptest::collection::vec;
use proptest::prelude::*;
use std::net::Ipv4Addr;

mod apply;
pub use apply::{all_names, apply};

/// Which kind of object a damage is about.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// VNets.
    Vnet,
    /// Subnets (of any VNet).
    Subnet,
    /// VMs.
    Vm,
    /// Peerings.
    Peering,
    /// NSGs.
    Nsg,
    /// NSG rules (of any NSG).
    NsgRule,
    /// Route tables.
    RouteTable,
    /// Routes (of any table).
    Route,
    /// Gateways.
    Gateway,
    /// Sites.
    Site,
    /// Site hosts.
    Host,
    /// Connections.
    Connection,
    /// Intents.
    Intent,
    /// Subscriptions.
    Subscription,
}

const KINDS: [Kind; 14] = [
    Kind::Vnet,
    Kind::Subnet,
    Kind::Vm,
    Kind::Peering,
    Kind::Nsg,
    Kind::NsgRule,
    Kind::RouteTable,
    Kind::Route,
    Kind::Gateway,
    Kind::Site,
    Kind::Host,
    Kind::Connection,
    Kind::Intent,
    Kind::Subscription,
];

/// A reference a design holds by name.
#[derive(Debug, Clone, Copy)]
pub enum Reference {
    /// A subnet's NSG.
    SubnetNsg,
    /// A subnet's route table.
    SubnetRouteTable,
    /// The VNet part of a NIC's subnet.
    NicVnet,
    /// The subnet part of a NIC's subnet.
    NicSubnet,
    /// A NIC's NSG.
    NicNsg,
    /// A peering's local VNet.
    PeeringLocal,
    /// A peering's remote VNet.
    PeeringRemote,
    /// A subnet listed by a subnet-level peering.
    PeeringSubnet,
    /// A gateway's VNet.
    GatewayVnet,
    /// A connection's gateway.
    ConnectionGateway,
    /// A connection's far end.
    ConnectionRemote,
    /// An intent's source.
    IntentFrom,
    /// An intent's destination.
    IntentTo,
    /// A VNet's subscription.
    VnetSubscription,
}

const REFERENCES: [Reference; 14] = [
    Reference::SubnetNsg,
    Reference::SubnetRouteTable,
    Reference::NicVnet,
    Reference::NicSubnet,
    Reference::NicNsg,
    Reference::PeeringLocal,
    Reference::PeeringRemote,
    Reference::PeeringSubnet,
    Reference::GatewayVnet,
    Reference::ConnectionGateway,
    Reference::ConnectionRemote,
    Reference::IntentFrom,
    Reference::IntentTo,
    Reference::VnetSubscription,
];

/// One way to break a design.
#[derive(Debug, Clone)]
pub enum Damage {
    /// Give object `to` the name of object `from` (same kind): a duplicate name.
    CopyName(Kind, Pick, Pick),
    /// Append a copy of an object, same name and all.
    Clone(Kind, Pick),
    /// Take every NIC away from a VM.
    DropNics(Pick),
    /// Point a reference at a name (usually one that does not exist).
    Dangle(Reference, Pick, String),
    /// Rename an object (an empty, huge or odd name, or another kind's name).
    Rename(Kind, Pick, String),
    /// Empty a VNet's address space.
    EmptySpace(Pick),
    /// Give a VNet an odd address space (the whole IPv4 space, one address, …).
    OddSpace(Pick, ipnet::Ipv4Net),
    /// Give a subnet an odd prefix (outside its VNet, the whole space, its VNet's space, …).
    OddSubnet(Pick, ipnet::Ipv4Net),
    /// Give a NIC an odd IP (outside its subnet, a network or broadcast address, …).
    OddIp(Pick, Ipv4Addr),
    /// Give a peering an odd snapshot of the remote space.
    OddSnapshot(Pick, Vec<ipnet::Ipv4Net>),
    /// Take every prefix away from a site.
    EmptySite(Pick),
    /// Put a VM's second NIC in another VNet.
    NicsInTwoVnets(Pick, Pick),
    /// Peer a VNet with itself.
    SelfPeering(Pick),
    /// A second link between the same two VNets.
    SecondLink(Pick),
    /// Give a site host an odd IP (outside its site, a VM's, …).
    OddHostIp(Pick, Ipv4Addr),
    /// Give an NSG rule an odd priority (0, a default rule's, above 4096, the largest).
    OddPriority(Pick, u32),
    /// Point a UDR at an address no NIC owns, outside every VNet.
    StrayNextHop(Pick),
    /// A /32 or /0 point-to-site pool.
    OddPool(Pick, bool),
}

/// Names that break something: empty, blank, a separator, Unicode, quotes and newlines, long,
/// very long (past the 65,535 a format width allows), the P2S client's name, a RON keyword, and
/// names that generated objects of other kinds have.
pub fn odd_name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just("ghost".to_string()),
        2 => Just(String::new()),
        1 => Just("  ".to_string()),
        2 => Just("a/b".to_string()),
        1 => Just("ünï ✓ 名前".to_string()),
        1 => Just("q\"u\\o\nte)".to_string()),
        1 => Just("gw0-p2s-client".to_string()),
        1 => Just("None".to_string()),
        2 => proptest::sample::select(vec!["v0", "v1", "s0", "gw0", "site0", "nsg0", "rt0", "vm000", "h00"])
            .prop_map(str::to_string),
        1 => Just("n".repeat(300)),
        1 => Just("h".repeat(70_000)),
        2 => "[a-z0-9-]{1,6}",
    ]
}

/// Prefixes that sit oddly in any design: the whole space, single addresses at both ends, the
/// first generated VNet's space and subnet, and a documentation range outside every VNet.
pub fn odd_prefix() -> impl Strategy<Value = ipnet::Ipv4Net> {
    proptest::sample::select(vec![
        "203.0.113.0/24",
        "0.0.0.0/0",
        "0.0.0.0/32",
        "255.255.255.255/32",
        "10.1.0.0/16",
        "10.1.1.0/24",
        "10.1.1.4/32",
        "168.63.129.16/32",
    ])
    .prop_map(|text| text.parse().expect("literal CIDR"))
}

/// Addresses that sit oddly: outside everything, a subnet's network, the reserved first
/// addresses, a generated VM's and host's, the broadcast address.
pub fn odd_ip() -> impl Strategy<Value = Ipv4Addr> {
    proptest::sample::select(vec![
        Ipv4Addr::new(203, 0, 113, 9),
        Ipv4Addr::new(10, 1, 1, 0),
        Ipv4Addr::new(10, 1, 1, 1),
        Ipv4Addr::new(10, 1, 1, 4),
        Ipv4Addr::new(192, 168, 0, 10),
        Ipv4Addr::new(0, 0, 0, 0),
        Ipv4Addr::new(255, 255, 255, 255),
    ])
}

fn kind() -> impl Strategy<Value = Kind> {
    proptest::sample::select(KINDS.to_vec())
}

/// One damage.
pub fn damage() -> impl Strategy<Value = Damage> {
    let pick = any::<Pick>;
    prop_oneof![
        3 => (kind(), pick(), pick()).prop_map(|(k, a, b)| Damage::CopyName(k, a, b)),
        2 => (kind(), pick()).prop_map(|(k, a)| Damage::Clone(k, a)),
        2 => pick().prop_map(Damage::DropNics),
        6 => (proptest::sample::select(REFERENCES.to_vec()), pick(), odd_name())
            .prop_map(|(r, a, name)| Damage::Dangle(r, a, name)),
        2 => (kind(), pick(), odd_name()).prop_map(|(k, a, name)| Damage::Rename(k, a, name)),
        1 => pick().prop_map(Damage::EmptySpace),
        1 => (pick(), odd_prefix()).prop_map(|(a, n)| Damage::OddSpace(a, n)),
        1 => (pick(), odd_prefix()).prop_map(|(a, n)| Damage::OddSubnet(a, n)),
        1 => (pick(), odd_ip()).prop_map(|(a, ip)| Damage::OddIp(a, ip)),
        1 => (pick(), vec(odd_prefix(), 0..=2)).prop_map(|(a, n)| Damage::OddSnapshot(a, n)),
        1 => pick().prop_map(Damage::EmptySite),
        1 => (pick(), pick()).prop_map(|(a, b)| Damage::NicsInTwoVnets(a, b)),
        1 => pick().prop_map(Damage::SelfPeering),
        1 => pick().prop_map(Damage::SecondLink),
        1 => (pick(), odd_ip()).prop_map(|(a, ip)| Damage::OddHostIp(a, ip)),
        1 => (pick(), proptest::sample::select(vec![0u32, 99, 4097, 65000, 65500, u32::MAX]))
            .prop_map(|(a, p)| Damage::OddPriority(a, p)),
        1 => pick().prop_map(Damage::StrayNextHop),
        1 => (pick(), any::<bool>()).prop_map(|(a, b)| Damage::OddPool(a, b)),
    ]
}

/// Every kind of breakage the property claims to cover, by name.
pub const BREAKAGES: &[Feature] = &[
    ("duplicate VM name", |d| {
        d.vms
            .iter()
            .enumerate()
            .any(|(i, v)| d.vms[..i].iter().any(|w| w.name == v.name))
    }),
    ("VM with no NIC", |d| {
        d.vms.iter().any(|v| v.nics.is_empty())
    }),
    ("duplicate VNet name", |d| {
        d.vnets
            .iter()
            .enumerate()
            .any(|(i, v)| d.vnets[..i].iter().any(|w| w.name == v.name))
    }),
    ("empty address space", |d| {
        d.vnets.iter().any(|v| v.address_space.is_empty())
    }),
    ("peering to itself", |d| {
        d.peerings.iter().any(|p| p.local == p.remote)
    }),
    ("peering to a missing VNet", |d| {
        d.peerings
            .iter()
            .any(|p| d.vnet(&p.remote).is_none() || d.vnet(&p.local).is_none())
    }),
    ("connection to a missing gateway", |d| {
        d.connections
            .iter()
            .any(|c| d.gateway(&c.gateway).is_none())
    }),
    ("NIC in a missing subnet", |d| {
        d.vms
            .iter()
            .any(|v| v.nics.iter().any(|n| d.subnet(&n.subnet).is_none()))
    }),
    ("empty name", |d| all_names(d).iter().any(|n| n.is_empty())),
    ("huge name", |d| {
        all_names(d).iter().any(|n| n.len() >= 70_000)
    }),
];

/// Designs valid or not: a valid design with up to eight damages.
pub fn arbitrary_design() -> impl Strategy<Value = Generated> {
    (design_spec(), vec(damage(), 0..=8)).prop_map(|(spec, damages)| {
        let mut d = build(&spec);
        for damage in &damages {
            apply(&mut d, damage);
        }
        Generated(d)
    })
}
