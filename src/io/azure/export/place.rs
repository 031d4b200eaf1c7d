//! Where each exported resource lives (subscription, resource group, location) and its ID:
//! VNets where the design says, everything else beside the first VNet that uses it.

use super::{DEFAULT_RESOURCE_GROUP, DEFAULT_SUBSCRIPTION};
use crate::io::azure::ids::build;
use crate::model::{ConnectionRemote, DeploymentModel, Design, Vnet};
use serde_json::{Value, json};
use std::collections::HashMap;

pub(super) const NETWORK: &str = "Microsoft.Network";

/// Where a resource is written: subscription, resource group, location.
#[derive(Debug, Clone)]
pub(super) struct Placement {
    pub(super) subscription: String,
    pub(super) resource_group: String,
    pub(super) location: String,
}

impl Placement {
    pub(super) fn of(vnet: &Vnet) -> Placement {
        Placement {
            subscription: if vnet.subscription.is_empty() {
                DEFAULT_SUBSCRIPTION.to_string()
            } else {
                vnet.subscription.clone()
            },
            resource_group: vnet
                .resource_group
                .clone()
                .unwrap_or_else(|| DEFAULT_RESOURCE_GROUP.to_string()),
            location: vnet.region.name().to_string(),
        }
    }

    pub(super) fn id(&self, segments: &[(&str, &str)]) -> String {
        build(&self.subscription, &self.resource_group, NETWORK, segments)
    }
}

/// IDs and placements computed once for the whole design.
pub(super) struct Ids<'a> {
    design: &'a Design,
    vnets: HashMap<&'a str, (Placement, String)>,
    pub(super) fallback: Placement,
}

impl<'a> Ids<'a> {
    pub(super) fn new(design: &'a Design) -> Self {
        let vnets = design
            .vnets
            .iter()
            .map(|v| {
                let place = Placement::of(v);
                let namespace = match v.deployment {
                    DeploymentModel::Arm => NETWORK,
                    DeploymentModel::Classic => "Microsoft.ClassicNetwork",
                };
                let id = build(
                    &place.subscription,
                    &place.resource_group,
                    namespace,
                    &[("virtualNetworks", &v.name)],
                );
                (v.name.as_str(), (place, id))
            })
            .collect();
        let fallback = Placement {
            subscription: DEFAULT_SUBSCRIPTION.to_string(),
            resource_group: DEFAULT_RESOURCE_GROUP.to_string(),
            location: design
                .vnets
                .first()
                .map_or("eastus", |v| v.region.name())
                .to_string(),
        };
        Ids {
            design,
            vnets,
            fallback,
        }
    }

    pub(super) fn vnet_id(&self, vnet: &str) -> String {
        self.vnets
            .get(vnet)
            .map(|(_, id)| id.clone())
            .unwrap_or_default()
    }

    pub(super) fn vnet_place(&self, vnet: &str) -> Placement {
        self.vnets
            .get(vnet)
            .map_or_else(|| self.fallback.clone(), |(p, _)| p.clone())
    }

    pub(super) fn subnet_id(&self, vnet: &str, subnet: &str) -> String {
        format!("{}/subnets/{subnet}", self.vnet_id(vnet))
    }

    /// NSGs and route tables live beside the first VNet that uses them.
    pub(super) fn nsg_place(&self, nsg: &str) -> Placement {
        let by_subnet = self
            .design
            .vnets
            .iter()
            .find(|v| v.subnets.iter().any(|s| s.nsg.as_deref() == Some(nsg)))
            .map(|v| v.name.as_str());
        let by_nic = || {
            self.design
                .vms
                .iter()
                .flat_map(|vm| vm.nics.iter())
                .find(|n| n.nsg.as_deref() == Some(nsg))
                .map(|n| n.subnet.vnet.as_str())
        };
        by_subnet
            .or_else(by_nic)
            .map_or_else(|| self.fallback.clone(), |v| self.vnet_place(v))
    }

    pub(super) fn nsg_id(&self, nsg: &str) -> String {
        self.nsg_place(nsg).id(&[("networkSecurityGroups", nsg)])
    }

    pub(super) fn route_table_place(&self, table: &str) -> Placement {
        self.design
            .vnets
            .iter()
            .find(|v| {
                v.subnets
                    .iter()
                    .any(|s| s.route_table.as_deref() == Some(table))
            })
            .map_or_else(|| self.fallback.clone(), |v| self.vnet_place(&v.name))
    }

    pub(super) fn route_table_id(&self, table: &str) -> String {
        self.route_table_place(table).id(&[("routeTables", table)])
    }

    pub(super) fn gateway_place(&self, gateway: &str) -> Placement {
        self.design
            .gateway(gateway)
            .map_or_else(|| self.fallback.clone(), |g| self.vnet_place(&g.vnet))
    }

    pub(super) fn gateway_id(&self, gateway: &str) -> String {
        self.gateway_place(gateway)
            .id(&[("virtualNetworkGateways", gateway)])
    }

    /// A site lives beside the gateway of its first connection.
    pub(super) fn site_place(&self, site: &str) -> Placement {
        self.design
            .connections
            .iter()
            .find(|c| c.remote == ConnectionRemote::Site(site.to_string()))
            .map_or_else(|| self.fallback.clone(), |c| self.gateway_place(&c.gateway))
    }

    pub(super) fn site_id(&self, site: &str) -> String {
        self.site_place(site).id(&[("localNetworkGateways", site)])
    }
}

impl Ids<'_> {
    /// ASGs, network groups and connectivity configurations live in the fallback place (an
    /// ASG belongs to no VNet until a NIC joins it).
    pub(super) fn asg_id(&self, asg: &str) -> String {
        self.fallback.id(&[("applicationSecurityGroups", asg)])
    }

    /// The network manager every exported AVNM object belongs to.
    pub(super) fn network_manager_id(&self, children: &[(&str, &str)]) -> String {
        let mut segments = vec![("networkManagers", "vnetlab")];
        segments.extend_from_slice(children);
        self.fallback.id(&segments)
    }
}

pub(super) fn reference(id: String) -> Value {
    json!({ "id": id })
}

pub(super) fn prefixes<T: ToString>(list: impl IntoIterator<Item = T>) -> Value {
    json!({ "addressPrefixes": list.into_iter().map(|n| n.to_string()).collect::<Vec<_>>() })
}
