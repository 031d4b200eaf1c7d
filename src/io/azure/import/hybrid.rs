//! Virtual network gateways (VNet from the GatewaySubnet reference), local network gateways
//! as sites with a representative host, and IPsec / VNet-to-VNet connections.

use super::compute::first_usable;
use super::names::{Namer, clean};
use super::network::{ipv4_prefixes, ipv4_prefixes_noted};
use super::{Builder, Inventory, placement, resource_name};
use crate::io::azure::ResourceId;
use crate::model::{
    Connection, ConnectionRemote, Gateway, GatewayKind, GatewaySku, Host, Site, VpnType,
};

/// The tag the exporter writes on a local network gateway: the site's hosts as JSON.
pub(crate) const HOSTS_TAG: &str = "vnetlab-hosts";

pub(super) fn import_gateways(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut names = Namer::default();
    for item in inventory.items(&inventory.gateways) {
        let raw = clean(resource_name(&item));
        let kind = match item
            .node
            .str("gatewayType")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("vpn") | None => GatewayKind::Vpn,
            Some("expressroute") => GatewayKind::ExpressRoute,
            Some(other) => {
                builder.report.note(format!(
                    "gateway `{raw}` has type `{other}`, which vnetlab does not model; left out"
                ));
                builder.left_out(item.key, "gateway");
                continue;
            }
        };
        // The gateway names its VNet only through the GatewaySubnet of its IP configuration.
        let subnet_id = item
            .node
            .nodes("ipConfigurations")
            .into_iter()
            .find_map(|c| c.reference("subnet"));
        let vnet_id = subnet_id
            .and_then(ResourceId::parse)
            .and_then(|id| id.parent());
        let vnet = match (subnet_id, vnet_id) {
            (Some(_), Some(vnet_id)) => Builder::resolve(
                &mut builder.report,
                &builder.left_out,
                &builder.present,
                &builder.vnets,
                &vnet_id.text,
                || format!("gateway `{raw}`: VNet"),
                "the gateway was left out",
            ),
            _ => {
                builder.report.note(format!(
                    "gateway `{raw}` names no GatewaySubnet in its IP configurations, so its VNet is unknown; left out"
                ));
                None
            }
        };
        let Some(vnet) = vnet else {
            builder.left_out(item.key, "gateway");
            continue;
        };
        let sku_name = item
            .node
            .node("sku")
            .and_then(|s| s.str("name"))
            .unwrap_or("");
        let sku = GatewaySku::from_name(sku_name).unwrap_or_else(|| {
            let stand_in = match kind {
                GatewayKind::Vpn => GatewaySku::VpnGw1,
                GatewayKind::ExpressRoute => GatewaySku::Standard,
            };
            builder.report.note(format!(
                "gateway `{raw}`: unknown SKU `{sku_name}`; modelled as {stand_in}"
            ));
            stand_in
        });
        let vpn_type = match item.node.str("vpnType") {
            Some(t) if t.eq_ignore_ascii_case("PolicyBased") => VpnType::PolicyBased,
            _ => VpnType::RouteBased,
        };
        let pool = item
            .node
            .node("vpnClientConfiguration")
            .map(|c| c.prefixes_of("vpnClientAddressPool"))
            .unwrap_or_default();
        let (client_pool, _, _) = ipv4_prefixes(&pool);
        let (rg, _) = placement(&item);
        let name = names.claim(&raw, &[rg.as_deref().unwrap_or("")]);
        builder.gateways.insert(item.key.to_string(), name.clone());
        builder.design.gateways.push(Gateway {
            name,
            vnet,
            kind,
            sku,
            vpn_type,
            client_pool,
            bgp: item.node.bool("enableBgp").unwrap_or(false),
        });
    }
}

pub(super) fn import_sites(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut names = Namer::default();
    for item in inventory.items(&inventory.local_gateways) {
        let (rg, _) = placement(&item);
        let name = names.claim(resource_name(&item), &[rg.as_deref().unwrap_or("")]);
        let texts = item.node.prefixes_of("localNetworkAddressSpace");
        let prefixes = ipv4_prefixes_noted(
            builder,
            &texts,
            &format!("site `{name}`"),
            ["prefix", "prefix(es)"],
        );
        let hosts = match item
            .node
            .tag(HOSTS_TAG)
            .map(serde_json::from_str::<Vec<Host>>)
        {
            Some(Ok(hosts)) => hosts
                .into_iter()
                .map(|h| Host {
                    name: builder.endpoint_names.claim(&h.name, &[&name]),
                    ip: h.ip,
                })
                .collect(),
            tag => {
                if let Some(Err(e)) = tag {
                    builder.report.note(format!(
                        "site `{name}`: the `{HOSTS_TAG}` tag is not readable ({e})"
                    ));
                }
                match first_usable(&texts) {
                    Some(ip) => vec![Host {
                        name: builder.endpoint_names.claim(&format!("{name}-host"), &[]),
                        ip,
                    }],
                    None => {
                        builder.report.note(format!(
                            "site `{name}` has no IPv4 prefix, so it has no representative host"
                        ));
                        Vec::new()
                    }
                }
            }
        };
        let bgp = item
            .node
            .node("bgpSettings")
            .is_some_and(|b| b.u64("asn").is_some());
        builder.sites.insert(item.key.to_string(), name.clone());
        builder.design.sites.push(Site {
            name,
            prefixes,
            hosts,
            bgp,
        });
    }
}

pub(super) fn import_connections(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut names = Namer::default();
    for item in inventory.items(&inventory.connections) {
        let raw = clean(resource_name(&item));
        let kind = item.node.str("connectionType").unwrap_or("IPsec");
        let remote_field = match kind.to_ascii_lowercase().as_str() {
            "ipsec" => "localNetworkGateway2",
            "vnet2vnet" => "virtualNetworkGateway2",
            _ => {
                builder.report.note(format!(
                    "connection `{raw}` is of type {kind}; vnetlab models IPsec and Vnet2Vnet connections, so it was left out"
                ));
                continue;
            }
        };
        // Both ends are resolved alike: a gateway by ID among the gateways, a site among the
        // sites; a missing or unresolved end leaves the connection out, with a line.
        let resolve = |id: Option<&str>, what: &str, site: bool, builder: &mut Builder| {
            let Some(id) = id else {
                builder
                    .report
                    .note(format!("connection `{raw}` names no {what}; left out"));
                return None;
            };
            let known = if site {
                &builder.sites
            } else {
                &builder.gateways
            };
            Builder::resolve(
                &mut builder.report,
                &builder.left_out,
                &builder.present,
                known,
                id,
                || format!("connection `{raw}`: {what}"),
                "the connection was left out",
            )
        };
        let Some(gateway) = resolve(
            item.node.reference("virtualNetworkGateway1"),
            "gateway",
            false,
            builder,
        ) else {
            continue;
        };
        let to_site = remote_field == "localNetworkGateway2";
        let (what, wrap): (_, fn(String) -> ConnectionRemote) = if to_site {
            ("local network gateway", ConnectionRemote::Site)
        } else {
            ("remote gateway", ConnectionRemote::Gateway)
        };
        let remote = resolve(item.node.reference(remote_field), what, to_site, builder).map(wrap);
        let Some(remote) = remote else {
            continue;
        };
        if let Some(status) = item.node.str("connectionStatus")
            && !status.eq_ignore_ascii_case("Connected")
        {
            builder.report.note(format!(
                "connection `{raw}` reported status {status}; vnetlab models every connection as up"
            ));
        }
        let (rg, _) = placement(&item);
        builder.design.connections.push(Connection {
            name: names.claim(&raw, &[rg.as_deref().unwrap_or("")]),
            gateway,
            remote,
            bgp: item.node.bool("enableBgp").unwrap_or(false),
        });
    }
}
