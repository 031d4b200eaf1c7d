//! The hybrid resources of the ARM export: virtual network gateways, local network gateways
//! (sites, with their hosts in a tag) and connections.

use super::place::{Ids, prefixes, reference};
use crate::io::azure::import::HOSTS_TAG;
use crate::model::{
    Connection, ConnectionRemote, Gateway, GatewayKind, SITE_STAND_IN_ASN, Site, VpnType,
};
use serde_json::{Map, Value, json};

/// One virtual network gateway, in its VNet's `GatewaySubnet`.
pub(super) fn gateway_resource(gw: &Gateway, ids: &Ids<'_>) -> Value {
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
}

/// One site as a local network gateway; `i` numbers its stand-in public IP.
pub(super) fn site_resource(i: usize, site: &Site, ids: &Ids<'_>) -> Value {
    let mut properties = Map::new();
    properties.insert("localNetworkAddressSpace".into(), prefixes(&site.prefixes));
    // A documentation address (TEST-NET-3): the design does not know the device's public IP.
    properties.insert(
        "gatewayIpAddress".into(),
        json!(Site::stand_in_public_ip(i).to_string()),
    );
    if site.bgp {
        let peer = site
            .bgp_peer_address()
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        properties.insert(
            "bgpSettings".into(),
            json!({ "asn": SITE_STAND_IN_ASN, "bgpPeeringAddress": peer }),
        );
    }
    json!({
        "id": ids.site_id(&site.name),
        "name": site.name,
        "type": "Microsoft.Network/localNetworkGateways",
        "location": ids.site_place(&site.name).location,
        "tags": { HOSTS_TAG: serde_json::to_string(&site.hosts).unwrap_or_else(|_| "[]".to_string()) },
        "properties": properties,
    })
}

/// One connection: IPsec to a site, or VNet-to-VNet to another gateway.
pub(super) fn connection_resource(conn: &Connection, ids: &Ids<'_>) -> Value {
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
}
