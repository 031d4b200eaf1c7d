//! The `az` commands for what connects a design to the outside: virtual network gateways (each
//! with the Standard static public IP Azure requires, created first), local network gateways
//! (sites) and connections. [`with_public_ip`] serves the Route Server too.

use super::commands::{id_of, location, tags, texts};
use super::{Command, Places, Stage, Word};
use crate::io::azure::ResourceId;
use crate::io::export::arm::public_ip_name;
use serde_json::Value;

/// Creates the Standard static public IP `name` beside `owner` (a gateway or a Route Server,
/// which Azure requires to have one) in `stage`; returns its ID.
pub(super) fn public_ip(
    owner: &Value,
    id: &ResourceId,
    name: &str,
    places: &mut Places,
    stage: Stage,
    out: &mut Vec<(Stage, Command)>,
) -> ResourceId {
    let mut pip_id = id.clone();
    pip_id.segments = vec![("publicIPAddresses".to_string(), name.to_string())];
    let pip = places
        .place(&pip_id, Command::new("az network public-ip create"))
        .arg("--name", Word::text(name))
        .arg("--location", location(owner))
        .arg("--sku", Word::text("Standard"))
        .arg("--allocation-method", Word::text("Static"));
    out.push((stage, pip));
    pip_id
}

/// The start of the command `verb` creating a resource that has its own public IP (a gateway or
/// a Route Server): the IP is created first, in `stage`, then the command gets the resource's
/// name and location. Returns the command, the IP's ID and the subnet of the resource's first
/// IP configuration.
pub(super) fn with_public_ip(
    resource: &Value,
    id: &ResourceId,
    verb: &'static str,
    stage: Stage,
    places: &mut Places,
    out: &mut Vec<(Stage, Command)>,
) -> (Command, ResourceId, Option<ResourceId>) {
    let pip_id = public_ip(resource, id, &public_ip_name(id.name()), places, stage, out);
    let create = places
        .place(id, Command::new(verb))
        .arg("--name", Word::text(id.name()))
        .arg("--location", location(resource));
    let subnet = resource["properties"]["ipConfigurations"]
        .as_array()
        .and_then(|c| c.first())
        .and_then(|c| id_of(&c["properties"]["subnet"]));
    (create, pip_id, subnet)
}

pub(super) fn gateway(
    resource: &Value,
    id: &ResourceId,
    places: &mut Places,
    out: &mut Vec<(Stage, Command)>,
) {
    let p = &resource["properties"];
    let (mut create, pip_id, subnet) = with_public_ip(
        resource,
        id,
        "az network vnet-gateway create",
        Stage::Gateways,
        places,
        out,
    );
    if let Some(vnet) = subnet.and_then(|s| s.parent()) {
        create = create.arg("--vnet", places.id(&vnet));
    }
    create = create
        .arg("--public-ip-addresses", places.id(&pip_id))
        .args("--gateway-type", texts(&p["gatewayType"]))
        .args("--sku", texts(&p["sku"]["name"]));
    if p["gatewayType"] == "Vpn" {
        create = create.args("--vpn-type", texts(&p["vpnType"]));
    }
    if p["enableBgp"] == true {
        // Azure's own ASN for its gateways, which the ARM export leaves to Azure too.
        create = create.arg("--asn", Word::text("65515"));
    }
    create = create
        .args(
            "--address-prefixes",
            texts(&p["vpnClientConfiguration"]["vpnClientAddressPool"]["addressPrefixes"]),
        )
        .switch("--no-wait");
    out.push((Stage::Gateways, tags(resource, create)));
    let wait = places
        .place(id, Command::new("az network vnet-gateway wait"))
        .arg("--name", Word::text(id.name()))
        .switch("--created");
    out.push((Stage::Wait, wait));
}

pub(super) fn site(resource: &Value, id: &ResourceId, places: &mut Places) -> Command {
    let p = &resource["properties"];
    let mut create = places
        .place(id, Command::new("az network local-gateway create"))
        .arg("--name", Word::text(id.name()))
        .arg("--location", location(resource))
        .args("--gateway-ip-address", texts(&p["gatewayIpAddress"]))
        .args(
            "--local-address-prefixes",
            texts(&p["localNetworkAddressSpace"]["addressPrefixes"]),
        );
    if let Some(asn) = p["bgpSettings"]["asn"].as_u64() {
        create = create.arg("--asn", Word::text(asn.to_string())).args(
            "--bgp-peering-address",
            texts(&p["bgpSettings"]["bgpPeeringAddress"]),
        );
    }
    tags(resource, create)
}

pub(super) fn connection(resource: &Value, id: &ResourceId, places: &mut Places) -> Command {
    let p = &resource["properties"];
    let mut create = places
        .place(id, Command::new("az network vpn-connection create"))
        .arg("--name", Word::text(id.name()))
        .arg("--location", location(resource));
    for (flag, key) in [
        ("--vnet-gateway1", "virtualNetworkGateway1"),
        ("--vnet-gateway2", "virtualNetworkGateway2"),
        ("--local-gateway2", "localNetworkGateway2"),
    ] {
        if let Some(target) = id_of(&p[key]) {
            create = create.arg(flag, places.id(&target));
        }
    }
    create = create.arg("--shared-key", Word::var("VPN_SHARED_KEY"));
    if p["enableBgp"] == true {
        create = create.switch("--enable-bgp");
    }
    tags(resource, create)
}
