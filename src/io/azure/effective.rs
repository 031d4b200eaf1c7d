//! Azure's own effective route table (`az network nic show-effective-route-table`, REST
//! `effectiveRouteTable`: `{"value": [{source, state, addressPrefix: [..], nextHopType,
//! nextHopIpAddress: [..], name}]}`, azure-semantics.md §7.9), read and compared with the one
//! vnetlab computes for the same subnet: design versus what is deployed.
//!
//! A row of Azure's with several prefixes counts once per prefix; IPv6 prefixes and service-tag
//! prefixes are skipped with a note. Rows Azure adds for things vnetlab does not model (extra
//! platform `None` routes such as 25.33.80.0/20, service endpoint and private endpoint routes)
//! are listed as not modelled and do not count as differences. Next hop types are compared
//! case-insensitively (`VnetLocal` and `VNetLocal` are one).

use super::ImportError;
use super::json::Node;
use super::source::parse;
use crate::engine::{EffectiveRoute, RouteSource, RouteState};
use crate::model::{parse_cidr, parse_ip};
use ipnet::Ipv4Net;
use serde::Serialize;
use serde_json::Value;
use std::net::Ipv4Addr;

/// One row of Azure's effective route table, for one prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeployedRoute {
    /// `source`: `Default`, `User`, `VirtualNetworkGateway`, …
    pub source: String,
    /// `state`: `Active` or `Invalid`.
    pub state: String,
    /// One prefix of `addressPrefix`.
    pub prefix: Ipv4Net,
    /// `nextHopType` as Azure wrote it.
    pub next_hop_type: String,
    /// The first of `nextHopIpAddress`, if any.
    pub next_hop_ip: Option<Ipv4Addr>,
    /// `name` (user routes).
    pub name: Option<String>,
}

/// Azure's table as read: its routes, and a note per row that could not be used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployedTable {
    /// The usable rows, in file order.
    pub routes: Vec<DeployedRoute>,
    /// Rows or prefixes skipped, with why.
    pub notes: Vec<String>,
}

/// Reads an effective route table from `text` (`{"value": [...]}` or a bare array).
///
/// ```
/// use vnetlab::io::azure::read_effective_routes;
/// let text = r#"{"value": [{"source": "Default", "state": "Active", "addressPrefix": ["10.0.0.0/8"],
///   "nextHopType": "None", "nextHopIpAddress": []}]}"#;
/// let table = read_effective_routes(text, "routes.json").unwrap();
/// assert_eq!(table.routes[0].prefix.to_string(), "10.0.0.0/8");
/// ```
pub fn read_effective_routes(text: &str, file: &str) -> Result<DeployedTable, ImportError> {
    let value = parse(text, file)?;
    let rows: &[Value] = match &value {
        Value::Array(rows) => rows,
        Value::Object(map) => match map.iter().find(|(k, _)| k.eq_ignore_ascii_case("value")) {
            Some((_, Value::Array(rows))) => rows,
            _ => return Err(wrong_shape(file)),
        },
        _ => return Err(wrong_shape(file)),
    };
    let mut table = DeployedTable::default();
    for (i, row) in rows.iter().enumerate() {
        let Some(node) = Node::of(row) else {
            table.notes.push(format!("row {}: not an object", i + 1));
            continue;
        };
        let text = |key: &str| node.str(key).unwrap_or_default().to_string();
        let next_hop_ip = node
            .strings("nextHopIpAddress")
            .first()
            .and_then(|ip| parse_ip(ip).ok());
        let prefixes = node.strings("addressPrefix");
        if prefixes.is_empty() {
            table.notes.push(format!(
                "row {}: no address prefix (service tag routes are not compared)",
                i + 1
            ));
        }
        for prefix in prefixes {
            match parse_cidr(prefix) {
                Ok(prefix) => table.routes.push(DeployedRoute {
                    source: text("source"),
                    state: text("state"),
                    prefix,
                    next_hop_type: text("nextHopType"),
                    next_hop_ip,
                    name: node.str("name").map(str::to_string),
                }),
                Err(_) => table.notes.push(format!(
                    "row {}: `{prefix}` is not an IPv4 prefix vnetlab compares",
                    i + 1
                )),
            }
        }
    }
    Ok(table)
}

fn wrong_shape(file: &str) -> ImportError {
    ImportError::WrongShape {
        file: file.to_string(),
        reason: "an effective route table is `{\"value\": [...]}` as `az network nic show-effective-route-table` prints it".to_string(),
    }
}

/// How a route of the design and Azure's table differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "difference", rename_all = "snake_case")]
pub enum RouteDifference {
    /// vnetlab computes this route; Azure's table has no route for the prefix from that source.
    MissingInAzure {
        /// The computed route.
        design: EffectiveRoute,
    },
    /// Azure has this route; vnetlab computes none for the prefix from that source.
    OnlyInAzure {
        /// Azure's row.
        deployed: DeployedRoute,
    },
    /// Same prefix and source, another next hop (type or address).
    NextHop {
        /// The computed route.
        design: EffectiveRoute,
        /// Azure's row.
        deployed: DeployedRoute,
    },
    /// Same prefix, source and next hop; one is Active and the other Invalid.
    State {
        /// The computed route.
        design: EffectiveRoute,
        /// Azure's row.
        deployed: DeployedRoute,
    },
}

/// The comparison: the differences, and Azure's rows for things vnetlab does not model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RouteComparison {
    /// Every difference, design rows first in table order, then Azure's extra rows.
    pub differences: Vec<RouteDifference>,
    /// Azure's rows vnetlab does not model (not counted as differences).
    pub not_modelled: Vec<DeployedRoute>,
}

/// Azure's texts for a source and a state.
fn source_text(source: RouteSource) -> &'static str {
    match source {
        RouteSource::Default => "Default",
        RouteSource::User => "User",
        RouteSource::VirtualNetworkGateway => "VirtualNetworkGateway",
    }
}

fn state_text(state: RouteState) -> &'static str {
    match state {
        RouteState::Active => "Active",
        RouteState::Invalid => "Invalid",
    }
}

/// Folds case and punctuation: `VNetLocal`, `VnetLocal` and `Vnet Local` are one.
fn folded(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Whether Azure's row is something vnetlab does not model: service or private endpoint routes,
/// and platform `None` routes outside the four reserved prefixes (azure-semantics.md §2.1). A
/// reserved `None` route the design does not have (a 0.0.0.0/0 user route removes them) is a
/// real difference.
fn not_modelled(row: &DeployedRoute, design: &[EffectiveRoute]) -> bool {
    let kind = folded(&row.next_hop_type);
    let endpoint = kind == "virtualnetworkserviceendpoint" || kind == "interfaceendpoint";
    let platform_none = kind == "none"
        && folded(&row.source) == "default"
        && !crate::engine::RESERVED.contains(&row.prefix)
        && !design.iter().any(|r| r.prefix == row.prefix);
    endpoint || platform_none
}

/// Compares the routes vnetlab computes for a subnet with Azure's effective routes for a NIC in
/// it: rows are matched by prefix and source, then compared on next hop type, next hop address
/// and state.
///
/// ```
/// use vnetlab::engine::effective_routes;
/// use vnetlab::io::azure::{compare_routes, read_effective_routes};
/// use vnetlab::model::{Design, SubnetRef};
/// let design = effective_routes(&Design::example_pair(), &SubnetRef::new("a", "default")).unwrap();
/// let text = r#"{"value": [{"source": "Default", "state": "Active", "addressPrefix": ["10.1.0.0/16"],
///   "nextHopType": "VNetLocal", "nextHopIpAddress": []}]}"#;
/// let deployed = read_effective_routes(text, "routes.json").unwrap();
/// let comparison = compare_routes(&design, &deployed.routes);
/// // Every other computed route (0/0, the reserved None routes) is missing from that table.
/// assert_eq!(comparison.differences.len(), design.len() - 1);
/// ```
pub fn compare_routes(design: &[EffectiveRoute], deployed: &[DeployedRoute]) -> RouteComparison {
    let mut used = vec![false; deployed.len()];
    let mut comparison = RouteComparison::default();
    let same_hop = |d: &EffectiveRoute, row: &DeployedRoute| {
        folded(d.next_hop_type.as_str()) == folded(&row.next_hop_type)
            && d.next_hop_ip == row.next_hop_ip
    };
    for route in design {
        let candidates: Vec<usize> = (0..deployed.len())
            .filter(|&i| {
                !used[i]
                    && deployed[i].prefix == route.prefix
                    && folded(&deployed[i].source) == folded(source_text(route.source))
            })
            .collect();
        let exact = candidates.iter().copied().find(|&i| {
            same_hop(route, &deployed[i])
                && folded(&deployed[i].state) == folded(state_text(route.state))
        });
        let same_next_hop = candidates
            .iter()
            .copied()
            .find(|&i| same_hop(route, &deployed[i]));
        let chosen = exact.or(same_next_hop).or(candidates.first().copied());
        let Some(i) = chosen else {
            comparison
                .differences
                .push(RouteDifference::MissingInAzure {
                    design: route.clone(),
                });
            continue;
        };
        used[i] = true;
        let row = deployed[i].clone();
        if exact.is_some() {
            continue;
        }
        comparison.differences.push(if same_hop(route, &row) {
            RouteDifference::State {
                design: route.clone(),
                deployed: row,
            }
        } else {
            RouteDifference::NextHop {
                design: route.clone(),
                deployed: row,
            }
        });
    }
    for (row, _) in deployed.iter().zip(used).filter(|(_, used)| !used) {
        if not_modelled(row, design) {
            comparison.not_modelled.push(row.clone());
        } else {
            comparison.differences.push(RouteDifference::OnlyInAzure {
                deployed: row.clone(),
            });
        }
    }
    comparison
}
