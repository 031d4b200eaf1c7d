//! Design → ARM-shaped resource JSON (one array), such that importing it gives the design back.
//! The extras only vnetlab reads (appliance and host tags, the `vnetlab/design` element) are
//! described in the module docs of `io::azure`.

use super::ids::build;
use super::import::{APPLIANCE_TAG, HOSTS_TAG, METADATA_TYPE_NAME};
use crate::model::{
    AddressMatch, ConnectionRemote, DeploymentModel, Design, GatewayKind, NextHop, NsgRule, PortRange, Protocol, Vnet,
    VpnType, default_rules,
};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The subscription written for VNets that have none (Azure never issues the all-zero GUID).
pub const DEFAULT_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
/// The resource group written for VNets that have none.
pub const DEFAULT_RESOURCE_GROUP: &str = "vnetlab";

const NETWORK: &str = "Microsoft.Network";

/// Where a resource is written: subscription, resource group, location.
#[derive(Debug, Clone)]
struct Placement {
    subscription: String,
    resource_group: String,
    location: String,
}

impl Placement {
    fn of(vnet: &Vnet) -> Placement {
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

    fn id(&self, segments: &[(&str, &str)]) -> String {
        build(&self.subscription, &self.resource_group, NETWORK, segments)
    }
}

/// IDs and placements computed once for the whole design.
struct Ids<'a> {
    design: &'a Design,
    vnets: HashMap<&'a str, (Placement, String)>,
    fallback: Placement,
}

impl<'a> Ids<'a> {
    fn new(design: &'a Design) -> Self {
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
            location: design.vnets.first().map_or("eastus", |v| v.region.name()).to_string(),
        };
        Ids {
            design,
            vnets,
            fallback,
        }
    }

    fn vnet_id(&self, vnet: &str) -> String {
        self.vnets.get(vnet).map(|(_, id)| id.clone()).unwrap_or_default()
    }

    fn vnet_place(&self, vnet: &str) -> Placement {
        self.vnets
            .get(vnet)
            .map_or_else(|| self.fallback.clone(), |(p, _)| p.clone())
    }

    fn subnet_id(&self, vnet: &str, subnet: &str) -> String {
        format!("{}/subnets/{subnet}", self.vnet_id(vnet))
    }

    /// NSGs and route tables live beside the first VNet that uses them.
    fn nsg_place(&self, nsg: &str) -> Placement {
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

    fn nsg_id(&self, nsg: &str) -> String {
        self.nsg_place(nsg).id(&[("networkSecurityGroups", nsg)])
    }

    fn route_table_place(&self, table: &str) -> Placement {
        self.design
            .vnets
            .iter()
            .find(|v| v.subnets.iter().any(|s| s.route_table.as_deref() == Some(table)))
            .map_or_else(|| self.fallback.clone(), |v| self.vnet_place(&v.name))
    }

    fn route_table_id(&self, table: &str) -> String {
        self.route_table_place(table).id(&[("routeTables", table)])
    }

    fn gateway_place(&self, gateway: &str) -> Placement {
        self.design
            .gateway(gateway)
            .map_or_else(|| self.fallback.clone(), |g| self.vnet_place(&g.vnet))
    }

    fn gateway_id(&self, gateway: &str) -> String {
        self.gateway_place(gateway).id(&[("virtualNetworkGateways", gateway)])
    }

    /// A site lives beside the gateway of its first connection.
    fn site_place(&self, site: &str) -> Placement {
        self.design
            .connections
            .iter()
            .find(|c| c.remote == ConnectionRemote::Site(site.to_string()))
            .map_or_else(|| self.fallback.clone(), |c| self.gateway_place(&c.gateway))
    }

    fn site_id(&self, site: &str) -> String {
        self.site_place(site).id(&[("localNetworkGateways", site)])
    }
}

fn reference(id: String) -> Value {
    json!({ "id": id })
}

fn prefixes<T: ToString>(list: impl IntoIterator<Item = T>) -> Value {
    json!({ "addressPrefixes": list.into_iter().map(|n| n.to_string()).collect::<Vec<_>>() })
}

/// The design as an array of ARM resources plus the `vnetlab/design` element.
pub fn export_design(design: &Design) -> Value {
    let ids = Ids::new(design);
    let mut resources = Vec::new();
    resources.extend(design.vnets.iter().map(|v| vnet_resource(v, &ids)));
    resources.extend(design.peerings.iter().map(|p| {
        let place = ids.vnet_place(&p.local);
        let remote_space = design
            .vnet(&p.remote)
            .map(|v| v.address_space.clone())
            .unwrap_or_default();
        json!({
            "id": format!("{}/virtualNetworkPeerings/{}", ids.vnet_id(&p.local), p.name),
            "name": p.name,
            "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            "resourceGroup": place.resource_group,
            "properties": {
                "allowVirtualNetworkAccess": p.allow_virtual_network_access,
                "allowForwardedTraffic": p.allow_forwarded_traffic,
                "allowGatewayTransit": p.allow_gateway_transit,
                "useRemoteGateways": p.use_remote_gateways,
                "remoteVirtualNetwork": reference(ids.vnet_id(&p.remote)),
                "remoteAddressSpace": prefixes(design.peered_remote_space(p)),
                "remoteVirtualNetworkAddressSpace": prefixes(&remote_space),
                "peeringState": design.peering_state(p).to_string(),
                "peeringSyncLevel": design.sync_level(p).to_string(),
                "provisioningState": "Succeeded",
            }
        })
    }));
    resources.extend(design.nsgs.iter().map(|nsg| {
        let place = ids.nsg_place(&nsg.name);
        let id = ids.nsg_id(&nsg.name);
        let rule = |r: &NsgRule, kind: &str| {
            let mut properties = Map::new();
            properties.insert("priority".into(), json!(r.priority));
            properties.insert("direction".into(), json!(format!("{:?}", r.direction)));
            properties.insert("access".into(), json!(format!("{:?}", r.access)));
            properties.insert("protocol".into(), json!(protocol_name(r.protocol)));
            address_fields(&mut properties, "source", &r.source);
            address_fields(&mut properties, "destination", &r.destination);
            port_fields(&mut properties, "source", &r.source_ports);
            port_fields(&mut properties, "destination", &r.destination_ports);
            if let Some(description) = &r.description {
                properties.insert("description".into(), json!(description));
            }
            json!({
                "id": format!("{id}/{kind}/{}", r.name),
                "name": r.name,
                "type": format!("Microsoft.Network/networkSecurityGroups/{kind}"),
                "properties": properties,
            })
        };
        json!({
            "id": id,
            "name": nsg.name,
            "type": "Microsoft.Network/networkSecurityGroups",
            "location": place.location,
            "properties": {
                "securityRules": nsg.rules.iter().map(|r| rule(r, "securityRules")).collect::<Vec<_>>(),
                "defaultSecurityRules": default_rules().iter().map(|r| rule(r, "defaultSecurityRules")).collect::<Vec<_>>(),
            }
        })
    }));
    resources.extend(design.route_tables.iter().map(|table| {
        let id = ids.route_table_id(&table.name);
        let routes: Vec<Value> = table
            .routes
            .iter()
            .map(|route| {
                let mut properties = Map::new();
                properties.insert("addressPrefix".into(), json!(route.prefix.to_string()));
                properties.insert("nextHopType".into(), json!(route.next_hop.type_name()));
                if let NextHop::VirtualAppliance(ip) = route.next_hop {
                    properties.insert("nextHopIpAddress".into(), json!(ip.to_string()));
                }
                json!({
                    "id": format!("{id}/routes/{}", route.name),
                    "name": route.name,
                    "type": "Microsoft.Network/routeTables/routes",
                    "properties": properties,
                })
            })
            .collect();
        json!({
            "id": id,
            "name": table.name,
            "type": "Microsoft.Network/routeTables",
            "location": ids.route_table_place(&table.name).location,
            "properties": {
                "disableBgpRoutePropagation": !table.propagate_gateway_routes,
                "routes": routes,
            }
        })
    }));
    for vm in &design.vms {
        let place = vm.vnet().map_or_else(|| ids.fallback.clone(), |v| ids.vnet_place(v));
        let vm_id = build(
            &place.subscription,
            &place.resource_group,
            "Microsoft.Compute",
            &[("virtualMachines", &vm.name)],
        );
        for (i, nic) in vm.nics.iter().enumerate() {
            let name = format!("{}-nic{}", vm.name, i + 1);
            let id = place.id(&[("networkInterfaces", &name)]);
            let mut properties = Map::new();
            properties.insert("primary".into(), json!(i == 0));
            properties.insert("enableIPForwarding".into(), json!(nic.ip_forwarding));
            properties.insert("virtualMachine".into(), reference(vm_id.clone()));
            if let Some(nsg) = &nic.nsg {
                properties.insert("networkSecurityGroup".into(), reference(ids.nsg_id(nsg)));
            }
            properties.insert(
                "ipConfigurations".into(),
                json!([{
                    "id": format!("{id}/ipConfigurations/ipconfig1"),
                    "name": "ipconfig1",
                    "properties": {
                        "privateIPAddress": nic.ip.to_string(),
                        "privateIPAllocationMethod": "Static",
                        "privateIPAddressVersion": "IPv4",
                        "primary": true,
                        "subnet": reference(ids.subnet_id(&nic.subnet.vnet, &nic.subnet.subnet)),
                    }
                }]),
            );
            let mut resource = json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/networkInterfaces",
                "location": place.location,
                "properties": properties,
            });
            if i == 0 {
                let tag = match &vm.appliance {
                    Some(appliance) => serde_json::to_string(appliance).unwrap_or_else(|_| "none".to_string()),
                    None => "none".to_string(),
                };
                resource["tags"] = json!({ APPLIANCE_TAG: tag });
            }
            resources.push(resource);
        }
    }
    resources.extend(design.gateways.iter().map(|gw| {
        let place = ids.vnet_place(&gw.vnet);
        let id = ids.gateway_id(&gw.name);
        let mut properties = Map::new();
        let kind = match gw.kind {
            GatewayKind::Vpn => "Vpn",
            GatewayKind::ExpressRoute => "ExpressRoute",
        };
        properties.insert("gatewayType".into(), json!(kind));
        if gw.kind == GatewayKind::Vpn {
            let vpn_type = match gw.vpn_type {
                VpnType::RouteBased => "RouteBased",
                VpnType::PolicyBased => "PolicyBased",
            };
            properties.insert("vpnType".into(), json!(vpn_type));
        }
        properties.insert(
            "sku".into(),
            json!({ "name": gw.sku.to_string(), "tier": gw.sku.to_string() }),
        );
        properties.insert("enableBgp".into(), json!(gw.bgp));
        properties.insert(
            "ipConfigurations".into(),
            json!([{
                "id": format!("{id}/ipConfigurations/default"),
                "name": "default",
                "properties": {
                    "privateIPAllocationMethod": "Dynamic",
                    "subnet": reference(ids.subnet_id(&gw.vnet, crate::model::GATEWAY_SUBNET)),
                }
            }]),
        );
        if !gw.client_pool.is_empty() {
            properties.insert(
                "vpnClientConfiguration".into(),
                json!({ "vpnClientAddressPool": prefixes(&gw.client_pool) }),
            );
        }
        json!({
            "id": id,
            "name": gw.name,
            "type": "Microsoft.Network/virtualNetworkGateways",
            "location": place.location,
            "properties": properties,
        })
    }));
    resources.extend(design.sites.iter().enumerate().map(|(i, site)| {
        let mut properties = Map::new();
        properties.insert("localNetworkAddressSpace".into(), prefixes(&site.prefixes));
        // A documentation address (TEST-NET-3): the design does not know the device's public IP.
        properties.insert("gatewayIpAddress".into(), json!(format!("203.0.113.{}", (i % 254) + 1)));
        if site.bgp {
            let peer = site.hosts.first().map(|h| h.ip.to_string()).unwrap_or_default();
            properties.insert("bgpSettings".into(), json!({ "asn": 65010, "bgpPeeringAddress": peer }));
        }
        json!({
            "id": ids.site_id(&site.name),
            "name": site.name,
            "type": "Microsoft.Network/localNetworkGateways",
            "location": ids.site_place(&site.name).location,
            "tags": { HOSTS_TAG: serde_json::to_string(&site.hosts).unwrap_or_else(|_| "[]".to_string()) },
            "properties": properties,
        })
    }));
    resources.extend(design.connections.iter().map(|conn| {
        let place = ids.gateway_place(&conn.gateway);
        let mut properties = Map::new();
        properties.insert(
            "virtualNetworkGateway1".into(),
            reference(ids.gateway_id(&conn.gateway)),
        );
        match &conn.remote {
            ConnectionRemote::Site(site) => {
                properties.insert("connectionType".into(), json!("IPsec"));
                properties.insert("localNetworkGateway2".into(), reference(ids.site_id(site)));
            }
            ConnectionRemote::Gateway(other) => {
                properties.insert("connectionType".into(), json!("Vnet2Vnet"));
                properties.insert("virtualNetworkGateway2".into(), reference(ids.gateway_id(other)));
            }
        }
        properties.insert("enableBgp".into(), json!(conn.bgp));
        properties.insert("connectionStatus".into(), json!("Connected"));
        json!({
            "id": place.id(&[("connections", &conn.name)]),
            "name": conn.name,
            "type": "Microsoft.Network/connections",
            "location": place.location,
            "properties": properties,
        })
    }));
    resources.push(json!({
        "type": METADATA_TYPE_NAME,
        "name": design.name,
        "properties": {
            "formatVersion": design.version,
            "description": design.description,
            "assumptions": design.assumptions,
            "subscriptions": design.subscriptions,
            "intents": design.intents,
            "defaults": { "subscription": DEFAULT_SUBSCRIPTION, "resourceGroup": DEFAULT_RESOURCE_GROUP },
        }
    }));
    Value::Array(resources)
}

/// The export as pretty-printed JSON text, ending with a newline.
pub fn export_text(design: &Design) -> String {
    let mut text = serde_json::to_string_pretty(&export_design(design)).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

fn vnet_resource(vnet: &Vnet, ids: &Ids<'_>) -> Value {
    let place = ids.vnet_place(&vnet.name);
    let vnet_id = ids.vnet_id(&vnet.name);
    let subnets: Vec<Value> = vnet
        .subnets
        .iter()
        .map(|s| {
            let mut properties = Map::new();
            if s.extra_prefixes.is_empty() {
                properties.insert("addressPrefix".into(), json!(s.prefix.to_string()));
            } else {
                let all: Vec<String> = s.prefixes().map(|p| p.to_string()).collect();
                properties.insert("addressPrefixes".into(), json!(all));
            }
            if let Some(nsg) = &s.nsg {
                properties.insert("networkSecurityGroup".into(), reference(ids.nsg_id(nsg)));
            }
            if let Some(table) = &s.route_table {
                properties.insert("routeTable".into(), reference(ids.route_table_id(table)));
            }
            json!({
                "id": format!("{vnet_id}/subnets/{}", s.name),
                "name": s.name,
                "type": "Microsoft.Network/virtualNetworks/subnets",
                "properties": properties,
            })
        })
        .collect();
    let kind = match vnet.deployment {
        DeploymentModel::Arm => "Microsoft.Network/virtualNetworks",
        DeploymentModel::Classic => "Microsoft.ClassicNetwork/virtualNetworks",
    };
    json!({
        "id": vnet_id,
        "name": vnet.name,
        "type": kind,
        "location": place.location,
        "properties": {
            "addressSpace": prefixes(&vnet.address_space),
            "subnets": subnets,
            // Peerings are written as their own resources, in the design's order.
            "virtualNetworkPeerings": [],
        }
    })
}

/// `*`, `Tcp`, … as Azure writes protocols.
fn protocol_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Any => "*",
        Protocol::Tcp => "Tcp",
        Protocol::Udp => "Udp",
        Protocol::Icmp => "Icmp",
        Protocol::Esp => "Esp",
        Protocol::Ah => "Ah",
    }
}

/// The singular field for one address, the plural one for several, as Azure does.
fn address_fields(properties: &mut Map<String, Value>, side: &str, addresses: &[AddressMatch]) {
    let texts: Vec<String> = addresses.iter().map(|a| a.to_string()).collect();
    match texts.as_slice() {
        [one] => properties.insert(format!("{side}AddressPrefix"), json!(one)),
        _ => properties.insert(format!("{side}AddressPrefixes"), json!(texts)),
    };
}

fn port_fields(properties: &mut Map<String, Value>, side: &str, ports: &[PortRange]) {
    let texts: Vec<String> = ports.iter().map(|p| p.to_string()).collect();
    match texts.as_slice() {
        [one] => properties.insert(format!("{side}PortRange"), json!(one)),
        _ => properties.insert(format!("{side}PortRanges"), json!(texts)),
    };
}
