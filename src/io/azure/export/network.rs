//! The VNet-level resources of the ARM export: VNets with their subnets, peerings (with the
//! state, sync level and address spaces Azure reports), and each VM's NICs (the appliance tag
//! on the first).

use super::place::{Ids, prefixes, reference};
use crate::io::azure::ids::build;
use crate::io::azure::import::APPLIANCE_TAG;
use crate::model::{DeploymentModel, Design, Peering, Vm, Vnet};
use serde_json::{Map, Value, json};

pub(super) fn vnet_resource(vnet: &Vnet, ids: &Ids<'_>) -> Value {
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

/// One peering link, as Azure exports it.
pub(super) fn peering_resource(design: &Design, p: &Peering, ids: &Ids<'_>) -> Value {
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
}

/// A VM's NICs, `vm-nic1` onwards; the first carries the appliance tag.
pub(super) fn nic_resources(vm: &Vm, ids: &Ids<'_>) -> Vec<Value> {
    let mut resources = Vec::new();
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
    resources
}
