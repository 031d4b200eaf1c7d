//! Virtual networks and their subnets.

use super::address::{cidr, cidrs};
use super::region::Region;
use ipnet::Ipv4Net;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Azure's two deployment models; classic VNets cannot peer with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum DeploymentModel {
    /// Azure Resource Manager (every VNet created since 2016).
    #[default]
    Arm,
    /// Azure Service Manager ("classic") VNet.
    Classic,
}

/// A virtual network: an address space in one region, divided into subnets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vnet {
    /// Unique name of the VNet in the design.
    pub name: String,
    /// Azure region; the cloud follows from it.
    pub region: Region,
    /// Subscription name or ID the VNet lives in.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subscription: String,
    /// Resource group, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group: Option<String>,
    /// ARM or classic.
    #[serde(default, skip_serializing_if = "is_arm")]
    pub deployment: DeploymentModel,
    /// The address space: one or more CIDRs.
    #[serde(with = "cidrs")]
    pub address_space: Vec<Ipv4Net>,
    /// Subnets, in the order the user created them.
    #[serde(default)]
    pub subnets: Vec<Subnet>,
}

fn is_arm(model: &DeploymentModel) -> bool {
    *model == DeploymentModel::Arm
}

impl Vnet {
    /// A new ARM VNet with no subnets.
    pub fn new(name: impl Into<String>, region: Region, address_space: Vec<Ipv4Net>) -> Self {
        Vnet {
            name: name.into(),
            region,
            subscription: String::new(),
            resource_group: None,
            deployment: DeploymentModel::Arm,
            address_space,
            subnets: Vec::new(),
        }
    }

    /// The subnet with this name.
    pub fn subnet(&self, name: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.name == name)
    }

    /// Whether any range of the address space contains `ip`.
    pub fn contains(&self, ip: std::net::Ipv4Addr) -> bool {
        self.address_space.iter().any(|n| n.contains(&ip))
    }
}

/// A subnet: one prefix (or several) inside its VNet, with optional NSG and route table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    /// Name, unique within the VNet. `GatewaySubnet` and `AzureFirewallSubnet` are special.
    pub name: String,
    /// The subnet's prefix.
    #[serde(with = "cidr")]
    pub prefix: Ipv4Net,
    /// Further prefixes of a multi-prefix subnet (`addressPrefixes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "cidrs")]
    pub extra_prefixes: Vec<Ipv4Net>,
    /// Name of the NSG associated with the subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsg: Option<String>,
    /// Name of the route table associated with the subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table: Option<String>,
}

impl Subnet {
    /// A plain subnet with one prefix.
    pub fn new(name: impl Into<String>, prefix: Ipv4Net) -> Self {
        Subnet {
            name: name.into(),
            prefix,
            extra_prefixes: Vec::new(),
            nsg: None,
            route_table: None,
        }
    }
    /// All prefixes of the subnet, the main one first.
    pub fn prefixes(&self) -> impl Iterator<Item = &Ipv4Net> {
        std::iter::once(&self.prefix).chain(self.extra_prefixes.iter())
    }
    /// Whether `ip` is inside one of the subnet's prefixes.
    pub fn contains(&self, ip: std::net::Ipv4Addr) -> bool {
        self.prefixes().any(|p| p.contains(&ip))
    }
    /// Whether this is the subnet that hosts virtual network gateways.
    pub fn is_gateway_subnet(&self) -> bool {
        self.name == GATEWAY_SUBNET
    }
}

/// The subnet name Azure requires for VPN and ExpressRoute gateways.
pub const GATEWAY_SUBNET: &str = "GatewaySubnet";
/// The subnet name Azure requires for Azure Firewall.
pub const FIREWALL_SUBNET: &str = "AzureFirewallSubnet";

/// A reference to a subnet, written `vnet/subnet` everywhere (files, CLI, messages).
///
/// ```
/// use vnetlab::model::SubnetRef;
/// let r: SubnetRef = "hub/default".parse().unwrap();
/// assert_eq!((r.vnet.as_str(), r.subnet.as_str()), ("hub", "default"));
/// assert!("hub".parse::<SubnetRef>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubnetRef {
    /// The VNet's name.
    pub vnet: String,
    /// The subnet's name within that VNet.
    pub subnet: String,
}

impl SubnetRef {
    /// Builds a reference from its two parts.
    pub fn new(vnet: impl Into<String>, subnet: impl Into<String>) -> Self {
        SubnetRef {
            vnet: vnet.into(),
            subnet: subnet.into(),
        }
    }
}

impl std::str::FromStr for SubnetRef {
    type Err = super::ValueError;
    fn from_str(text: &str) -> Result<Self, super::ValueError> {
        match text.split_once('/') {
            Some((vnet, subnet))
                if !vnet.is_empty() && !subnet.is_empty() && !subnet.contains('/') =>
            {
                Ok(SubnetRef::new(vnet, subnet))
            }
            _ => Err(super::ValueError::SubnetRef {
                text: super::value_error::shown(text),
            }),
        }
    }
}

impl fmt::Display for SubnetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.vnet, self.subnet)
    }
}

impl Serialize for SubnetRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SubnetRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
