//! The tiered variant of a generated spoke (`vnetlab gen hub-spoke --tiered`): the workload
//! that is not the engine's best case. Each spoke subnet is a tier (web, app, db, in turn) with
//! its own NSG and its own route table, and the rules name the spoke's own subnets, so no two
//! subnets of the design behave alike and the engine has about one class per subnet.
//!
//! Tiers, by subnet number: web (`snet1`, `snet4`, …) takes HTTPS and HTTP from anywhere in the
//! VirtualNetwork tag; app (`snet2`, …) takes 8080 from its spoke's web subnet and HTTPS from
//! its own spoke; db (`snet3`, …) takes SQL from its spoke's app subnet only. Every tier takes
//! SSH from on-premises and denies other inbound traffic; db also denies outbound traffic to the
//! Internet tag. Route tables send 10.0.0.0/8 to the hub's NVA like the plain spoke's; app
//! tables also send the default route there, and db tables drop traffic to the spoke's web
//! subnet (a db never answers a web server directly).

use super::{
    Access, AddressMatch, Direction, NextHop, Nsg, NsgRule, Protocol, Route, RouteTable, ServiceTag,
};
use super::{allow_in, cidr, deny_other_inbound, vnet_tag};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// The tier of a spoke subnet, by its index in the spoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Web,
    App,
    Db,
}

impl Tier {
    fn of(subnet: usize) -> Tier {
        match subnet % 3 {
            0 => Tier::Web,
            1 => Tier::App,
            _ => Tier::Db,
        }
    }
}

/// The NSG and route table of each subnet of one spoke, in subnet order; `prefixes` are the
/// spoke's subnet prefixes and `nva` its hub's NVA.
pub(super) fn policies(spoke: &str, prefixes: &[Ipv4Net], nva: Ipv4Addr) -> Vec<(Nsg, RouteTable)> {
    // The subnet of the tier before this one in the same spoke (a db's app subnet), if any.
    let tier_before = |j: usize| j.checked_sub(1).and_then(|i| prefixes.get(i).copied());
    let web_of = |j: usize| prefixes.get(j - j % 3).copied();
    let onprem = AddressMatch::Cidr(cidr(192, 168, 0, 0, 16));
    prefixes
        .iter()
        .enumerate()
        .map(|(j, _)| {
            let snet = format!("snet{}", j + 1);
            let tier = Tier::of(j);
            let mut rules = match (tier, tier_before(j)) {
                (Tier::Web, _) | (_, None) => vec![
                    allow_in("allow-https-from-vnet", 100, Protocol::Tcp, 443, vnet_tag()),
                    allow_in("allow-http-from-vnet", 110, Protocol::Tcp, 80, vnet_tag()),
                ],
                (Tier::App, Some(web)) => vec![
                    allow_in("allow-8080-from-web", 100, Protocol::Tcp, 8080, from(web)),
                    allow_in(
                        "allow-https-from-spoke",
                        110,
                        Protocol::Tcp,
                        443,
                        spoke_of(prefixes),
                    ),
                ],
                (Tier::Db, Some(app)) => vec![allow_in(
                    "allow-sql-from-app",
                    100,
                    Protocol::Tcp,
                    1433,
                    from(app),
                )],
            };
            rules.push(allow_in(
                "allow-ssh-from-onprem",
                120,
                Protocol::Tcp,
                22,
                onprem.clone(),
            ));
            rules.push(deny_other_inbound());
            let mut routes = vec![Route {
                name: "private-via-hub-nva".to_string(),
                prefix: cidr(10, 0, 0, 0, 8),
                next_hop: NextHop::VirtualAppliance(nva),
            }];
            match tier {
                Tier::Web => {}
                Tier::App => routes.push(Route {
                    name: "default-via-hub-nva".to_string(),
                    prefix: cidr(0, 0, 0, 0, 0),
                    next_hop: NextHop::VirtualAppliance(nva),
                }),
                Tier::Db => {
                    rules.push(NsgRule {
                        destination: vec![AddressMatch::Tag(ServiceTag::Internet)],
                        ..NsgRule::new(
                            "deny-internet-outbound",
                            4000,
                            Direction::Outbound,
                            Access::Deny,
                            Protocol::Any,
                        )
                    });
                    routes.extend(web_of(j).map(|prefix| Route {
                        name: "drop-to-web".to_string(),
                        prefix,
                        next_hop: NextHop::None,
                    }));
                }
            }
            let nsg = Nsg {
                name: format!("nsg-{spoke}-{snet}"),
                rules: rules.into(),
            };
            let table = RouteTable {
                routes,
                ..RouteTable::new(format!("rt-{spoke}-{snet}"))
            };
            (nsg, table)
        })
        .collect()
}

fn from(prefix: Ipv4Net) -> AddressMatch {
    AddressMatch::Cidr(prefix)
}

/// The smallest prefix covering all the spoke's subnets (a supernet of its first subnet).
fn spoke_of(prefixes: &[Ipv4Net]) -> AddressMatch {
    let (Some(&first), Some(last)) = (prefixes.first(), prefixes.last()) else {
        return vnet_tag();
    };
    let mut net = first;
    while !net.contains(last) {
        match net.supernet() {
            Some(wider) => net = wider,
            None => break,
        }
    }
    AddressMatch::Cidr(net)
}
