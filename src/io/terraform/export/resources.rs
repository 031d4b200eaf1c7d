//! The resource blocks: VNets and subnets, peerings, NSGs and route tables with their
//! associations, NICs and VMs, gateways, sites and connections.

use super::{APPLIANCE_TAG, HOSTS_TAG, Writer, nested, reference, var};
use crate::model::{
    ConnectionRemote, Design, GATEWAY_SUBNET, GatewayKind, NextHop, NsgRule, Peering,
    SITE_STAND_IN_ASN, Site, Subnet, Vnet, VpnType, canonical_addresses, canonical_ports,
};
use hcl::{Block, Expression};

fn strings<T: ToString>(items: impl IntoIterator<Item = T>) -> Expression {
    items
        .into_iter()
        .map(|i| Expression::String(i.to_string()))
        .collect()
}

fn texts<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

fn tags(key: &str, value: String) -> Expression {
    Expression::from_iter([(key, value)])
}

/// The identifier of a subnet: `vnet_subnet`.
fn subnet_ident(writer: &mut Writer<'_>, vnet: &str, subnet: &str) -> String {
    writer
        .idents
        .of("azurerm_subnet", &format!("{vnet}_{subnet}"))
}

pub(super) fn vnet(writer: &mut Writer<'_>, vnet: &Vnet) {
    if writer.is_classic(&vnet.name) {
        return;
    }
    let place = writer.place(Some(&vnet.name));
    let ident = writer.idents.of("azurerm_virtual_network", &vnet.name);
    let mut attributes = place.attributes(&vnet.name);
    attributes.push(("address_space", strings(&vnet.address_space)));
    writer.resource("azurerm_virtual_network", &ident, attributes, Vec::new());
    for subnet in &vnet.subnets {
        let subnet_ident = subnet_ident(writer, &vnet.name, &subnet.name);
        let mut attributes = place.attributes(&subnet.name);
        attributes.retain(|(k, _)| *k != "location");
        attributes.push((
            "virtual_network_name",
            reference("azurerm_virtual_network", &ident, "name"),
        ));
        attributes.push(("address_prefixes", strings(subnet.prefixes())));
        writer.resource("azurerm_subnet", &subnet_ident, attributes, Vec::new());
    }
}

pub(super) fn peering(writer: &mut Writer<'_>, peering: &Peering) {
    if writer.is_classic(&peering.local) {
        // Azure has no peering resource on a classic VNet (lint: PEERING_ON_CLASSIC_VNET).
        return;
    }
    let place = writer.place(Some(&peering.local));
    let ident = writer
        .idents
        .of("azurerm_virtual_network_peering", &peering.name);
    let local = writer.idents.of("azurerm_virtual_network", &peering.local);
    let remote = writer.idents.of("azurerm_virtual_network", &peering.remote);
    let mut attributes = place.attributes(&peering.name);
    attributes.retain(|(k, _)| *k != "location");
    attributes.push((
        "virtual_network_name",
        reference("azurerm_virtual_network", &local, "name"),
    ));
    let remote_id = writer
        .classic_id(&peering.remote)
        .unwrap_or_else(|| reference("azurerm_virtual_network", &remote, "id"));
    attributes.push(("remote_virtual_network_id", remote_id));
    attributes.push((
        "allow_virtual_network_access",
        peering.allow_virtual_network_access.into(),
    ));
    attributes.push((
        "allow_forwarded_traffic",
        peering.allow_forwarded_traffic.into(),
    ));
    attributes.push((
        "allow_gateway_transit",
        peering.allow_gateway_transit.into(),
    ));
    attributes.push(("use_remote_gateways", peering.use_remote_gateways.into()));
    if peering.is_subnet_peering() {
        attributes.push(("peer_complete_virtual_networks_enabled", false.into()));
        attributes.push(("local_subnet_names", strings(&peering.local_subnets)));
        attributes.push(("remote_subnet_names", strings(&peering.remote_subnets)));
    }
    writer.resource(
        "azurerm_virtual_network_peering",
        &ident,
        attributes,
        Vec::new(),
    );
}

/// The singular attribute for one value, the plural one for several, as azurerm wants.
fn one_or_many(
    attributes: &mut Vec<(&'static str, Expression)>,
    singular: &'static str,
    plural: &'static str,
    texts: Vec<String>,
) {
    match texts.as_slice() {
        [one] => attributes.push((singular, one.as_str().into())),
        _ => attributes.push((plural, strings(texts))),
    }
}

/// The singular and plural attribute names of a rule's four lists: source ports, destination
/// ports, source addresses, destination addresses.
const RULE_LISTS: [(&str, &str); 4] = [
    ("source_port_range", "source_port_ranges"),
    ("destination_port_range", "destination_port_ranges"),
    ("source_address_prefix", "source_address_prefixes"),
    ("destination_address_prefix", "destination_address_prefixes"),
];

fn rule_block(rule: &NsgRule) -> Block {
    let mut attributes: Vec<(&'static str, Expression)> = vec![
        ("name", rule.name.as_str().into()),
        ("priority", u64::from(rule.priority).into()),
        ("direction", format!("{:?}", rule.direction).into()),
        ("access", format!("{:?}", rule.access).into()),
        ("protocol", rule.protocol.azure_name().into()),
    ];
    // The canonical forms, as the ARM export writes them and both importers read them back.
    let values = [
        texts(&canonical_ports(&rule.source_ports)),
        texts(&canonical_ports(&rule.destination_ports)),
        texts(&canonical_addresses(&rule.source)),
        texts(&canonical_addresses(&rule.destination)),
    ];
    for ((singular, plural), texts) in RULE_LISTS.into_iter().zip(values) {
        one_or_many(&mut attributes, singular, plural, texts);
    }
    if let Some(description) = &rule.description {
        attributes.push(("description", description.as_str().into()));
    }
    nested("security_rule", attributes)
}

const NSG: &str = "azurerm_network_security_group";
const SUBNET_NSG: &str = "azurerm_subnet_network_security_group_association";
const SUBNET_TABLE: &str = "azurerm_subnet_route_table_association";
const NIC_NSG: &str = "azurerm_network_interface_security_group_association";

/// The association resource `kind` named `ident`: the `holder` attribute (a subnet's or NIC's
/// ID) and the ID of `target`, given as (resource type, attribute, name in the design).
fn associate(
    writer: &mut Writer<'_>,
    kind: &'static str,
    ident: &str,
    holder: (&'static str, Expression),
    target: (&'static str, &'static str, &str),
) {
    let (target_kind, attribute, name) = target;
    let target_ident = writer.idents.of(target_kind, name);
    let target_id = reference(target_kind, &target_ident, "id");
    writer.resource(
        kind,
        ident,
        vec![holder, (attribute, target_id)],
        Vec::new(),
    );
}

/// The first VNet with a subnet that `uses` something (an NSG, a route table): the resource
/// goes beside it.
fn first_vnet_with(design: &Design, uses: impl Fn(&Subnet) -> bool) -> Option<&str> {
    design
        .vnets
        .iter()
        .find(|v| v.subnets.iter().any(&uses))
        .map(|v| v.name.as_str())
}

/// NSGs and route tables (beside the first VNet that uses them) and their subnet associations.
pub(super) fn security(writer: &mut Writer<'_>) {
    let design = writer.design;
    for nsg in &design.nsgs {
        let user = first_vnet_with(design, |s| s.nsg.as_deref() == Some(&nsg.name)).or_else(|| {
            design
                .vms
                .iter()
                .flat_map(|vm| vm.nics.iter())
                .find(|n| n.nsg.as_deref() == Some(&nsg.name))
                .map(|n| n.subnet.vnet.as_str())
        });
        let place = writer.place(user);
        let ident = writer
            .idents
            .of("azurerm_network_security_group", &nsg.name);
        let rules = nsg.rules.iter().map(rule_block).collect();
        writer.resource(
            "azurerm_network_security_group",
            &ident,
            place.attributes(&nsg.name),
            rules,
        );
    }
    for table in &design.route_tables {
        let user = first_vnet_with(design, |s| s.route_table.as_deref() == Some(&table.name));
        let place = writer.place(user);
        let ident = writer.idents.of("azurerm_route_table", &table.name);
        let mut attributes = place.attributes(&table.name);
        attributes.push((
            "bgp_route_propagation_enabled",
            table.propagate_gateway_routes.into(),
        ));
        let routes = table
            .routes
            .iter()
            .map(|route| {
                let mut attributes: Vec<(&'static str, Expression)> = vec![
                    ("name", route.name.as_str().into()),
                    ("address_prefix", route.prefix.to_string().into()),
                    ("next_hop_type", route.next_hop.type_name().into()),
                ];
                if let NextHop::VirtualAppliance(ip) = route.next_hop {
                    attributes.push(("next_hop_in_ip_address", ip.to_string().into()));
                }
                nested("route", attributes)
            })
            .collect();
        writer.resource("azurerm_route_table", &ident, attributes, routes);
    }
    for vnet in &design.vnets {
        if writer.is_classic(&vnet.name) {
            continue;
        }
        for subnet in &vnet.subnets {
            let subnet_ident = subnet_ident(writer, &vnet.name, &subnet.name);
            let subnet_id = reference("azurerm_subnet", &subnet_ident, "id");
            if let Some(nsg) = &subnet.nsg {
                let target = (NSG, "network_security_group_id", nsg.as_str());
                let holder = ("subnet_id", subnet_id.clone());
                associate(writer, SUBNET_NSG, &subnet_ident, holder, target);
            }
            if let Some(table) = &subnet.route_table {
                let target = ("azurerm_route_table", "route_table_id", table.as_str());
                let holder = ("subnet_id", subnet_id);
                associate(writer, SUBNET_TABLE, &subnet_ident, holder, target);
            }
        }
    }
}

/// NICs (static addresses; the appliance tag on the first), NIC ↔ NSG associations, and a
/// minimal Linux VM per design VM whose size, image and admin account are variables.
pub(super) fn compute(writer: &mut Writer<'_>) {
    let design = writer.design;
    for vm in &design.vms {
        if vm.nics.iter().any(|n| writer.is_classic(&n.subnet.vnet)) {
            // A VM in a classic VNet is a classic one: it exists, nothing creates it.
            continue;
        }
        let place = writer.place(vm.vnet());
        let mut nic_refs = Vec::new();
        for (i, nic) in vm.nics.iter().enumerate() {
            let name = format!("{}-nic{}", vm.name, i + 1);
            let ident = writer.idents.of("azurerm_network_interface", &name);
            let subnet = subnet_ident(writer, &nic.subnet.vnet, &nic.subnet.subnet);
            let mut attributes = place.attributes(&name);
            attributes.push(("ip_forwarding_enabled", nic.ip_forwarding.into()));
            if i == 0 {
                let tag = match &vm.appliance {
                    Some(appliance) => {
                        serde_json::to_string(appliance).unwrap_or_else(|_| "none".to_string())
                    }
                    None => "none".to_string(),
                };
                attributes.push(("tags", tags(APPLIANCE_TAG, tag)));
            }
            let config = nested(
                "ip_configuration",
                vec![
                    ("name", "ipconfig1".into()),
                    ("subnet_id", reference("azurerm_subnet", &subnet, "id")),
                    ("private_ip_address_allocation", "Static".into()),
                    ("private_ip_address", nic.ip.to_string().into()),
                ],
            );
            writer.resource(
                "azurerm_network_interface",
                &ident,
                attributes,
                vec![config],
            );
            if let Some(nsg) = &nic.nsg {
                let target = (NSG, "network_security_group_id", nsg.as_str());
                let nic_id = reference("azurerm_network_interface", &ident, "id");
                associate(
                    writer,
                    NIC_NSG,
                    &ident,
                    ("network_interface_id", nic_id),
                    target,
                );
            }
            nic_refs.push(reference("azurerm_network_interface", &ident, "id"));
        }
        let ident = writer.idents.of("azurerm_linux_virtual_machine", &vm.name);
        let mut attributes = place.attributes(&vm.name);
        attributes.push(("size", var("vm_size", None)));
        attributes.push(("admin_username", var("admin_username", None)));
        attributes.push(("network_interface_ids", Expression::Array(nic_refs)));
        let blocks = vec![
            nested(
                "admin_ssh_key",
                vec![
                    ("username", var("admin_username", None)),
                    ("public_key", var("admin_ssh_public_key", None)),
                ],
            ),
            nested(
                "os_disk",
                vec![
                    ("caching", "ReadWrite".into()),
                    ("storage_account_type", "Standard_LRS".into()),
                ],
            ),
            nested(
                "source_image_reference",
                vec![
                    ("publisher", var("vm_image", Some("publisher"))),
                    ("offer", var("vm_image", Some("offer"))),
                    ("sku", var("vm_image", Some("sku"))),
                    ("version", var("vm_image", Some("version"))),
                ],
            ),
        ];
        writer.resource("azurerm_linux_virtual_machine", &ident, attributes, blocks);
    }
}

/// Gateways (each with a Standard public IP), local network gateways and connections.
pub(super) fn hybrid(writer: &mut Writer<'_>) {
    let design = writer.design;
    for gw in &design.gateways {
        let place = writer.place(Some(&gw.vnet));
        let ident = writer
            .idents
            .of("azurerm_virtual_network_gateway", &gw.name);
        let pip = writer
            .idents
            .of("azurerm_public_ip", &format!("{}-pip", gw.name));
        let mut pip_attributes = place.attributes(&format!("{}-pip", gw.name));
        pip_attributes.push(("allocation_method", "Static".into()));
        pip_attributes.push(("sku", "Standard".into()));
        writer.resource("azurerm_public_ip", &pip, pip_attributes, Vec::new());
        let subnet = subnet_ident(writer, &gw.vnet, GATEWAY_SUBNET);
        let mut attributes = place.attributes(&gw.name);
        let kind = match gw.kind {
            GatewayKind::Vpn => "Vpn",
            GatewayKind::ExpressRoute => "ExpressRoute",
        };
        attributes.push(("type", kind.into()));
        if gw.kind == GatewayKind::Vpn {
            let vpn_type = match gw.vpn_type {
                VpnType::RouteBased => "RouteBased",
                VpnType::PolicyBased => "PolicyBased",
            };
            attributes.push(("vpn_type", vpn_type.into()));
        }
        attributes.push(("sku", gw.sku.to_string().into()));
        if gw.bgp {
            attributes.push(("bgp_enabled", true.into()));
        }
        let mut blocks = vec![nested(
            "ip_configuration",
            vec![
                ("name", "default".into()),
                (
                    "public_ip_address_id",
                    reference("azurerm_public_ip", &pip, "id"),
                ),
                ("private_ip_address_allocation", "Dynamic".into()),
                ("subnet_id", reference("azurerm_subnet", &subnet, "id")),
            ],
        )];
        if !gw.client_pool.is_empty() {
            blocks.push(nested(
                "vpn_client_configuration",
                vec![("address_space", strings(&gw.client_pool))],
            ));
        }
        writer.resource(
            "azurerm_virtual_network_gateway",
            &ident,
            attributes,
            blocks,
        );
    }
    for (i, site) in design.sites.iter().enumerate() {
        let gateway_vnet = design
            .connections
            .iter()
            .find(|c| c.remote == ConnectionRemote::Site(site.name.clone()))
            .and_then(|c| design.gateway(&c.gateway))
            .map(|g| g.vnet.as_str());
        let place = writer.place(gateway_vnet);
        let ident = writer
            .idents
            .of("azurerm_local_network_gateway", &site.name);
        let mut attributes = place.attributes(&site.name);
        // A documentation address (TEST-NET-3): the design does not know the device's public IP.
        attributes.push((
            "gateway_address",
            Site::stand_in_public_ip(i).to_string().into(),
        ));
        attributes.push(("address_space", strings(&site.prefixes)));
        let hosts = serde_json::to_string(&site.hosts).unwrap_or_else(|_| "[]".to_string());
        attributes.push(("tags", tags(HOSTS_TAG, hosts)));
        let mut blocks = Vec::new();
        if site.bgp {
            let peer = site
                .bgp_peer_address()
                .map(|ip| ip.to_string())
                .unwrap_or_default();
            blocks.push(nested(
                "bgp_settings",
                vec![
                    ("asn", u64::from(SITE_STAND_IN_ASN).into()),
                    ("bgp_peering_address", peer.into()),
                ],
            ));
        }
        writer.resource("azurerm_local_network_gateway", &ident, attributes, blocks);
    }
    for conn in &design.connections {
        let vnet = design.gateway(&conn.gateway).map(|g| g.vnet.as_str());
        let place = writer.place(vnet);
        let ident = writer
            .idents
            .of("azurerm_virtual_network_gateway_connection", &conn.name);
        let gateway = writer
            .idents
            .of("azurerm_virtual_network_gateway", &conn.gateway);
        let mut attributes = place.attributes(&conn.name);
        attributes.push((
            "virtual_network_gateway_id",
            reference("azurerm_virtual_network_gateway", &gateway, "id"),
        ));
        match &conn.remote {
            ConnectionRemote::Site(site) => {
                let site = writer.idents.of("azurerm_local_network_gateway", site);
                attributes.push(("type", "IPsec".into()));
                attributes.push((
                    "local_network_gateway_id",
                    reference("azurerm_local_network_gateway", &site, "id"),
                ));
            }
            ConnectionRemote::Gateway(other) => {
                let other = writer.idents.of("azurerm_virtual_network_gateway", other);
                attributes.push(("type", "Vnet2Vnet".into()));
                attributes.push((
                    "peer_virtual_network_gateway_id",
                    reference("azurerm_virtual_network_gateway", &other, "id"),
                ));
            }
        }
        attributes.push(("shared_key", var("vpn_shared_key", None)));
        if conn.bgp {
            attributes.push(("enable_bgp", true.into()));
        }
        writer.resource(
            "azurerm_virtual_network_gateway_connection",
            &ident,
            attributes,
            Vec::new(),
        );
    }
}
