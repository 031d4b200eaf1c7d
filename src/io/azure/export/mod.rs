//! Design → ARM-shaped resource JSON (one array), such that importing it gives the design back.
//! The extras only vnetlab reads (appliance and host tags, the `vnetlab/design` element) are
//! described in the module docs of `io::azure`.

mod managed;
mod place;
mod security;

use super::ids::build;
use super::import::{APPLIANCE_TAG, HOSTS_TAG, METADATA_TYPE_NAME};
use crate::model::{ConnectionRemote, DeploymentModel, Design, GatewayKind, Vnet, VpnType};
use place::{Ids, prefixes, reference};
use serde_json::{Map, Value, json};

/// The subscription written for VNets that have none (Azure never issues the all-zero GUID).
pub const DEFAULT_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
/// The resource group written for VNets that have none.
pub const DEFAULT_RESOURCE_GROUP: &str = "vnetlab";

/// The design as an array of ARM resources plus the `vnetlab/design` element.
pub fn export_design(design: &Design) -> Value {
    let ids = Ids::new(design);
    let mut resources = Vec::new();
    resources.extend(design.vnets.iter().map(|v| vnet_resource(v, &ids)));
    resources.extend(design.peerings.iter().map(|p| {
        let place = ids.vnet_place(&p.local);
        // A subnet peering's address-space fields hold its peered subnets, as Azure exports it.
        let remote_space = design.current_remote_space(p);
        let mut resource = json!({
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
                "remoteAddressSpace": prefixes(design.peered_remote_space(p).iter()),
                "remoteVirtualNetworkAddressSpace": prefixes(remote_space.iter()),
                "peeringState": design.peering_state(p).to_string(),
                "peeringSyncLevel": design.sync_level(p).to_string(),
                "provisioningState": "Succeeded",
            }
        });
        // Whole-VNet links keep Azure's default (`peerCompleteVnets` absent means true).
        if p.is_subnet_peering() {
            resource["properties"]["peerCompleteVnets"] = json!(false);
            resource["properties"]["localSubnetNames"] = json!(p.local_subnets);
            resource["properties"]["remoteSubnetNames"] = json!(p.remote_subnets);
        }
        resource
    }));
    resources.extend(
        design
            .nsgs
            .iter()
            .map(|nsg| security::nsg_resource(nsg, &ids)),
    );
    resources.extend(
        design
            .route_tables
            .iter()
            .map(|table| security::route_table_resource(table, &ids)),
    );
    for vm in &design.vms {
        let place = vm
            .vnet()
            .map_or_else(|| ids.fallback.clone(), |v| ids.vnet_place(v));
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
            let asgs: Vec<Value> = nic.asgs.iter().map(|a| reference(ids.asg_id(a))).collect();
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
                        "applicationSecurityGroups": asgs,
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
                    Some(appliance) => {
                        serde_json::to_string(appliance).unwrap_or_else(|_| "none".to_string())
                    }
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
        // Written for ExpressRoute gateways too (Azure reports it there as well), so the
        // design's value comes back whatever the kind.
        let vpn_type = match gw.vpn_type {
            VpnType::RouteBased => "RouteBased",
            VpnType::PolicyBased => "PolicyBased",
        };
        properties.insert("vpnType".into(), json!(vpn_type));
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
                properties.insert(
                    "virtualNetworkGateway2".into(),
                    reference(ids.gateway_id(other)),
                );
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
    resources.extend(managed::resources(design, &ids));
    let announcements = managed::announcements(design);
    resources.push(json!({
        "type": METADATA_TYPE_NAME,
        "name": design.name,
        "properties": {
            "formatVersion": design.version,
            "description": design.description,
            "assumptions": design.assumptions,
            "subscriptions": design.subscriptions,
            "intents": design.intents,
            "routeServerAnnouncements": announcements,
            "defaults": { "subscription": DEFAULT_SUBSCRIPTION, "resourceGroup": DEFAULT_RESOURCE_GROUP },
        }
    }));
    Value::Array(resources)
}

/// The export as pretty-printed JSON text, ending with a newline.
pub fn export_text(design: &Design) -> String {
    let mut text =
        serde_json::to_string_pretty(&export_design(design)).unwrap_or_else(|_| "[]".to_string());
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
