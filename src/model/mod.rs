//! The design: every object a user draws (VNets, subnets, VMs and appliances, peerings, NSGs,
//! application security groups, route tables, gateways, sites, connections, Route Servers,
//! Virtual Network Manager groups and connectivity configurations, subscriptions, intents) and
//! the assumptions the evaluation runs under. Pure data plus its invariants: references are by name (subnets as
//! `vnet/subnet`), CIDRs and IPs are parsed `ipnet`/`std` types, and [`Design::validate`] states
//! what every loaded or edited design must satisfy ([`ModelError`] when it does not). Derived
//! facts that need the whole design (peering state and sync level, endpoints, the reverse of a
//! link, the links Azure has without a peering object, connected groups) are methods here, and so is every Azure rule that proposes something new: [`plan`]
//! (free address space, subnets, IPs, reserved addresses, unique names), NSG priorities
//! ([`NsgRule::PRIORITIES`]), the peering settings ([`PeeringFlag`]) and the reverse link
//! ([`Peering::reverse_for`]). Name references are listed once ([`RefSlot`]). Evaluation lives
//! in `engine`.

mod address;
mod asg;
mod avnm;
mod derived;
mod endpoint;
/// Names and addresses of derived endpoints (P2S clients).
pub mod endpoint_names {
    pub use super::endpoint::{p2s_client_ip, p2s_client_name};
}
mod error;
mod gateway;
pub mod generate;
mod intent;
pub mod limits;
mod net;
mod nsg;
mod object_kind;
mod peering;
mod peering_flag;
mod peering_index;
pub mod plan;
pub mod prefixes;
mod references;
mod region;
mod route;
mod route_server;
mod rules;
mod shared;
pub mod suggest;
mod validate;
mod value_error;
mod vm;
mod vnet;

pub use address::{CidrError, overlaps, parse_cidr, parse_ip};
pub use asg::{Asg, AsgVnetClash};
pub use avnm::{ConnectedGroup, Connectivity, GroupLink, NetworkGroup, Topology};
pub use derived::Derived;
pub use endpoint::{Endpoint, EndpointGroup, EndpointKind};
pub use error::{Anchor, ModelError, NameOf, UnknownReference};
pub use gateway::{
    Connection, ConnectionRemote, Gateway, GatewayKind, GatewaySku, Host, SITE_STAND_IN_ASN, Site,
    VpnType,
};
pub use intent::{
    ASSUMPTION_KEYS, Assumptions, Expectation, ForwardedTraffic, GovGlobalPeering, Intent, Role,
    Subscription, VnetAccessMode, assumption_meaning,
};
pub use net::{AddressMatch, Flow, PortRange, Protocol, ServiceTag};
pub use nsg::{
    Direction, Nsg, NsgRule, RuleEnd, canonical_addresses, canonical_ports, default_rules,
};
pub use object_kind::ObjectKind;
pub use peering::{Peering, PeeringState, SyncLevel, same_space};
pub use peering_flag::{PeeringFlag, Side};
pub use peering_index::{PeeringFacts, PeeringIndex};
pub use prefixes::PrefixIndex;
pub use references::{Holder, RefKind, RefSlot, Reference};
pub use region::{Cloud, REGIONS, Region};
pub use route::{NextHop, Route, RouteTable};
pub use route_server::{
    BgpPeer, BgpPeerProblem, ROUTE_SERVER_ASN, ROUTE_SERVER_SUBNET, ROUTE_SERVER_SUBNET_MAX_LEN,
    RouteServer, RouteServerViolation, asn_is_refused,
};
pub use rules::PeeringViolation;
pub use shared::SharedVec;
pub use value_error::ValueError;
pub use vm::{Access, Appliance, ApplianceKind, ApplianceRule, Nic, Vm};
pub use vnet::{DeploymentModel, FIREWALL_SUBNET, GATEWAY_SUBNET, Subnet, SubnetRef, Vnet};

use serde::{Deserialize, Serialize};

/// The design-file format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A whole network design. Field order is the order of the design file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// Design-file format version; see [`FORMAT_VERSION`].
    pub version: u32,
    /// Title shown in the TUI.
    #[serde(default)]
    pub name: String,
    /// What the design shows, for readers of the file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Virtual networks with their subnets.
    #[serde(default)]
    pub vnets: SharedVec<Vnet>,
    /// Virtual machines and appliances.
    #[serde(default)]
    pub vms: SharedVec<Vm>,
    /// Directional peering links.
    #[serde(default)]
    pub peerings: SharedVec<Peering>,
    /// Network security groups.
    #[serde(default)]
    pub nsgs: SharedVec<Nsg>,
    /// Application security groups (NICs join them; NSG rules name them).
    #[serde(default, skip_serializing_if = "SharedVec::is_empty")]
    pub asgs: SharedVec<Asg>,
    /// Route tables.
    #[serde(default)]
    pub route_tables: SharedVec<RouteTable>,
    /// VPN and ExpressRoute gateways.
    #[serde(default)]
    pub gateways: SharedVec<Gateway>,
    /// On-premises sites.
    #[serde(default)]
    pub sites: SharedVec<Site>,
    /// Gateway connections.
    #[serde(default)]
    pub connections: SharedVec<Connection>,
    /// Azure Route Servers and their BGP peers.
    #[serde(default, skip_serializing_if = "SharedVec::is_empty")]
    pub route_servers: SharedVec<RouteServer>,
    /// Virtual Network Manager network groups (static members).
    #[serde(default, skip_serializing_if = "SharedVec::is_empty")]
    pub network_groups: SharedVec<NetworkGroup>,
    /// Virtual Network Manager connectivity configurations (mesh, hub-and-spoke).
    #[serde(default, skip_serializing_if = "SharedVec::is_empty")]
    pub connectivity: SharedVec<Connectivity>,
    /// Subscriptions and the designer's role in each (for permission checks).
    #[serde(default, skip_serializing_if = "SharedVec::is_empty")]
    pub subscriptions: SharedVec<Subscription>,
    /// Expectations checked live and by `vnetlab check`.
    #[serde(default)]
    pub intents: SharedVec<Intent>,
    /// Contested behaviours, switchable.
    #[serde(default)]
    pub assumptions: Assumptions,
}

impl Default for Design {
    fn default() -> Self {
        Design::empty("untitled")
    }
}

impl Design {
    /// An empty design at the current format version.
    pub fn empty(name: impl Into<String>) -> Self {
        Design {
            version: FORMAT_VERSION,
            name: name.into(),
            description: String::new(),
            vnets: SharedVec::new(),
            vms: SharedVec::new(),
            peerings: SharedVec::new(),
            nsgs: SharedVec::new(),
            asgs: SharedVec::new(),
            route_tables: SharedVec::new(),
            gateways: SharedVec::new(),
            sites: SharedVec::new(),
            connections: SharedVec::new(),
            route_servers: SharedVec::new(),
            network_groups: SharedVec::new(),
            connectivity: SharedVec::new(),
            subscriptions: SharedVec::new(),
            intents: SharedVec::new(),
            assumptions: Assumptions::default(),
        }
    }

    /// Two unpeered VNets `a` (10.1.0.0/16) and `b` (10.2.0.0/16) in `eastus`, each with a
    /// `default` /24 subnet and one VM (`vm-a` 10.1.1.4, `vm-b` 10.2.1.4). Used by examples and tests.
    pub fn example_pair() -> Self {
        let region: Region = "eastus".parse().expect("eastus is in the region table");
        let mut d = Design::empty("pair");
        for (name, n) in [("a", 1u8), ("b", 2u8)] {
            let space = parse_cidr(&format!("10.{n}.0.0/16")).expect("valid literal");
            let mut vnet = Vnet::new(name, region, vec![space]);
            vnet.subnets.push(Subnet::new(
                "default",
                parse_cidr(&format!("10.{n}.1.0/24")).expect("valid literal"),
            ));
            d.vnets.push(vnet);
            d.vms.push(Vm::new(
                format!("vm-{name}"),
                SubnetRef::new(name, "default"),
                std::net::Ipv4Addr::new(10, n, 1, 4),
            ));
        }
        d
    }

    /// The VNet with this name.
    pub fn vnet(&self, name: &str) -> Option<&Vnet> {
        self.vnets.iter().find(|v| v.name == name)
    }
    /// The VNet with this name, mutably.
    pub fn vnet_mut(&mut self, name: &str) -> Option<&mut Vnet> {
        self.vnets.iter_mut().find(|v| v.name == name)
    }
    /// The subnet a reference points to.
    pub fn subnet(&self, subnet: &SubnetRef) -> Option<&Subnet> {
        self.vnet(&subnet.vnet)?.subnet(&subnet.subnet)
    }
    /// The VM with this name.
    pub fn vm(&self, name: &str) -> Option<&Vm> {
        self.vms.iter().find(|v| v.name == name)
    }
    /// The peering with this name.
    pub fn peering(&self, name: &str) -> Option<&Peering> {
        self.peerings.iter().find(|p| p.name == name)
    }
    /// The NSG with this name.
    pub fn nsg(&self, name: &str) -> Option<&Nsg> {
        self.nsgs.iter().find(|n| n.name == name)
    }
    /// The route table with this name.
    pub fn route_table(&self, name: &str) -> Option<&RouteTable> {
        self.route_tables.iter().find(|r| r.name == name)
    }
    /// The gateway with this name.
    pub fn gateway(&self, name: &str) -> Option<&Gateway> {
        self.gateways.iter().find(|g| g.name == name)
    }
    /// The gateways living in a VNet.
    pub fn gateways_in<'a>(&'a self, vnet: &'a str) -> impl Iterator<Item = &'a Gateway> + 'a {
        self.gateways.iter().filter(move |g| g.vnet == vnet)
    }
    /// The site with this name.
    pub fn site(&self, name: &str) -> Option<&Site> {
        self.sites.iter().find(|s| s.name == name)
    }
    /// The connection with this name.
    pub fn connection(&self, name: &str) -> Option<&Connection> {
        self.connections.iter().find(|c| c.name == name)
    }
    /// The intent with this name.
    pub fn intent(&self, name: &str) -> Option<&Intent> {
        self.intents.iter().find(|i| i.name == name)
    }
    /// The subscription entry with this name.
    pub fn subscription(&self, name: &str) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| s.name == name)
    }
    /// Whether an object of this kind has this name (a subnet's name is `vnet/subnet`).
    pub fn has_object(&self, kind: ObjectKind, name: &str) -> bool {
        match kind {
            ObjectKind::Vnet => self.vnet(name).is_some(),
            ObjectKind::Subnet => name
                .parse::<SubnetRef>()
                .is_ok_and(|r| self.subnet(&r).is_some()),
            ObjectKind::Vm => self.vm(name).is_some(),
            ObjectKind::Peering => self.peering(name).is_some(),
            ObjectKind::Nsg => self.nsg(name).is_some(),
            ObjectKind::RouteTable => self.route_table(name).is_some(),
            ObjectKind::Gateway => self.gateway(name).is_some(),
            ObjectKind::Site => self.site(name).is_some(),
            ObjectKind::Connection => self.connection(name).is_some(),
            ObjectKind::Intent => self.intent(name).is_some(),
            ObjectKind::Subscription => self.subscription(name).is_some(),
            ObjectKind::Asg => self.asg(name).is_some(),
            ObjectKind::RouteServer => self.route_server(name).is_some(),
            ObjectKind::NetworkGroup => self.network_group(name).is_some(),
            ObjectKind::Connectivity => self.connectivity_config(name).is_some(),
        }
    }

    /// The VM owning a NIC with this IP in this VNet, with the NIC's index.
    pub fn nic_with_ip(&self, vnet: &str, ip: std::net::Ipv4Addr) -> Option<(&Vm, usize)> {
        self.vms.iter().find_map(|vm| {
            vm.nics
                .iter()
                .position(|n| n.ip == ip && n.subnet.vnet == vnet)
                .map(|i| (vm, i))
        })
    }
}
