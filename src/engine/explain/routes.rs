//! Route dead ends in words: a packet that fell to a `None` or Internet route, with the more
//! specific cause the walk found (an unpeered, one-sided, invalid or unsynced peering, gateway
//! routes that never arrived, a user route to None) and the fix for it.

use super::Scene;
use crate::edit::{Edit, Object};
use crate::engine::nsg::Packet;
use crate::engine::routes::RouteHop;
use crate::engine::types::Fix;
use crate::engine::walk::{Hint, Place, context_name};
use crate::model::{PeeringState, PeeringViolation};

impl Scene<'_, '_> {
    pub(super) fn route_label(&self, ctx: usize, row: usize) -> String {
        let c = self.c;
        match c.contexts[ctx].rows[row].udr {
            Some((t, k)) => format!(
                "User route `{}` in route table `{}`",
                c.design.route_tables[t].routes[k].name, c.design.route_tables[t].name
            ),
            None => format!("The route in `{}`", context_name(c, ctx)),
        }
    }

    pub(super) fn route(
        &self,
        ctx: usize,
        row: usize,
        hint: Hint,
        packet: &Packet,
    ) -> (String, String, Option<String>, Option<Fix>) {
        let c = self.c;
        let d = c.design;
        let dst = packet.dst;
        let context = &c.contexts[ctx];
        let r = &context.rows[row];
        let here = context_name(c, ctx);
        let x = context.vnet;
        let fell = match r.hop {
            RouteHop::Internet => format!(
                "falls to the Internet route {} in `{here}`, and {}",
                r.prefix,
                self.why_not_over_internet(dst)
            ),
            _ => format!(
                "falls to the default None route {} in `{here}` and is dropped",
                r.prefix
            ),
        };
        match hint {
            Hint::Plain => {
                if let Some((t, k)) = r.udr {
                    let table = &d.route_tables[t];
                    let verb = if r.hop == RouteHop::Internet {
                        "to the Internet"
                    } else {
                        "to None (drop)"
                    };
                    let message = format!(
                        "User route `{}` in route table `{}` sends {} {verb}, so the packet to {dst} never arrives.",
                        table.routes[k].name, table.name, r.prefix
                    );
                    let mut fixed = table.clone();
                    fixed.routes.remove(k);
                    let fix = Fix {
                        description: format!(
                            "remove route `{}` from route table `{}`",
                            table.routes[k].name, table.name
                        ),
                        edit: Edit::Replace(Object::RouteTable(fixed)),
                    };
                    return (
                        format!("route `{}/{}`", table.name, table.routes[k].name),
                        message,
                        None,
                        Some(fix),
                    );
                }
                let message =
                    format!("No route in `{here}` covers {dst} except a default one: it {fell}.");
                (here, message, None, None)
            }
            Hint::NoPeering(y) => {
                let message = format!(
                    "`{}` and `{}` are not peered (peering is not transitive), so {dst} {fell}.",
                    c.vnet_name(x),
                    c.vnet_name(y)
                );
                (here, message, None, self.peer_fix(x, y))
            }
            Hint::NotConnected(p) => {
                let peering = &d.peerings[p];
                let state = c.peerings[p].state;
                let message = match state {
                    PeeringState::Disconnected => format!(
                        "Peering `{}` is Disconnected (its other side was deleted), so no routes are installed and {dst} {fell}.",
                        peering.name
                    ),
                    _ => format!(
                        "Peering `{}` is {state}: only one side of the pair exists, so no routes are installed and {dst} {fell}.",
                        peering.name
                    ),
                };
                (
                    format!("peering `{}`", peering.name),
                    message,
                    None,
                    self.connect_fix(p),
                )
            }
            Hint::Invalid(p) => {
                let peering = &d.peerings[p];
                let violations: Vec<&PeeringViolation> = c.peerings[p]
                    .violations
                    .iter()
                    .filter(|v| v.invalidates_peering())
                    .collect();
                let why: Vec<String> = violations
                    .iter()
                    .map(|v| format!("{} ({v})", v.rule()))
                    .collect();
                let message = format!(
                    "Peering `{}` is invalid: {}. Azure refuses it, so it carries no routes and {dst} {fell}.",
                    peering.name,
                    why.join("; ")
                );
                let gov = violations
                    .iter()
                    .any(|v| **v == PeeringViolation::GovGlobalPeering);
                let (assumption, fix) = if gov {
                    let mut assumptions = d.assumptions;
                    assumptions.gov_global_peering = crate::model::GovGlobalPeering::Allowed;
                    (
                        Some("gov_global_peering=Forbidden".to_string()),
                        Some(Fix {
                            description:
                                "follow the current product docs: allow global peering between Government regions"
                                    .to_string(),
                            edit: Edit::SetAssumptions(assumptions),
                        }),
                    )
                } else {
                    (None, None)
                };
                (
                    format!("peering `{}`", peering.name),
                    message,
                    assumption,
                    fix,
                )
            }
            Hint::NotSynced(p) => {
                let peering = &d.peerings[p];
                let message = format!(
                    "Peering `{}` still carries the old address space of `{}`; {dst} is in a range added since, so {dst} {fell}. Sync the peering.",
                    peering.name, peering.remote
                );
                let fix = Fix {
                    description: format!("sync peering `{}`", peering.name),
                    edit: Edit::SyncPeering(peering.name.clone()),
                };
                (
                    format!("peering `{}`", peering.name),
                    message,
                    None,
                    Some(fix),
                )
            }
            Hint::SubnetNotPeered(p, s) => {
                let peering = &d.peerings[p];
                let info = &c.subnets[s];
                let message = format!(
                    "Peering `{}` is a subnet-level peering that does not list subnet `{}`, so it carries no route to {dst}, which {fell}.",
                    peering.name, info.name
                );
                let name = &d.vnets[info.vnet].subnets[info.index_in_vnet].name;
                let fix = self.subnet_peering_fix(p, name, false);
                (format!("peering `{}`", peering.name), message, None, fix)
            }
            Hint::PropagationOff(t) => {
                let table = &d.route_tables[t];
                let message = format!(
                    "Route table `{}` has \"propagate gateway routes\" off, so `{here}` gets no gateway route to {dst}, which {fell}.",
                    table.name
                );
                let mut fixed = table.clone();
                fixed.propagate_gateway_routes = true;
                let fix = Fix {
                    description: format!(
                        "turn on gateway route propagation in route table `{}`",
                        table.name
                    ),
                    edit: Edit::Replace(Object::RouteTable(fixed)),
                };
                (
                    format!("route table `{}`", table.name),
                    message,
                    None,
                    Some(fix),
                )
            }
            Hint::NoTransit(p) => {
                let peering = &d.peerings[p];
                let message = format!(
                    "`{}` is peered with `{}`, whose gateway reaches {dst}, but peering `{}` does not use the remote gateway, so {dst} {fell}.",
                    peering.local, peering.remote, peering.name
                );
                let hub = c.peerings[p].remote;
                (
                    format!("peering `{}`", peering.name),
                    message,
                    None,
                    self.gateway_fix(x, hub, Some(ctx)),
                )
            }
            Hint::TransitNotEffective(p) => self.not_transit(p, dst, Some(ctx)),
            Hint::GatewayPeeringDown(p) => {
                let peering = &d.peerings[p];
                let facts = &c.peerings[p];
                let hub = if facts.local == x {
                    facts.remote
                } else {
                    facts.local
                };
                let why = match facts.state {
                    PeeringState::Disconnected => {
                        "is Disconnected (its other side was deleted)".to_string()
                    }
                    state => format!("is {state}: only one side of the pair exists"),
                };
                let message = format!(
                    "`{}` has a gateway that reaches {dst}, but peering `{}` {why}, so `{}` cannot use that gateway and learns no route to {dst}, which {fell}.",
                    c.vnet_name(hub),
                    peering.name,
                    c.vnet_name(x)
                );
                (
                    format!("peering `{}`", peering.name),
                    message,
                    None,
                    self.gateway_fix(x, hub, Some(ctx)),
                )
            }
            Hint::GatewayNotPeered(hub) => {
                let message = format!(
                    "`{}` has a gateway that reaches {dst}, but `{}` is not peered with it, so it learns no route to {dst}, which {fell}.",
                    c.vnet_name(hub),
                    c.vnet_name(x)
                );
                (here, message, None, self.gateway_fix(x, hub, Some(ctx)))
            }
        }
    }

    /// Why a packet that leaves Azure for the internet does not arrive, by the kind of
    /// address and endpoint it is meant for.
    fn why_not_over_internet(&self, dst: std::net::Ipv4Addr) -> String {
        let place = if dst == self.to.ip {
            self.to.place
        } else {
            self.from.place
        };
        if is_private(dst) {
            return "a private address is not reachable over the internet".to_string();
        }
        match place {
            Place::Nic(..) => format!(
                "a VM is not reachable from the internet at its VNet address {dst}, only through a public IP or load balancer"
            ),
            Place::Site(s) => format!(
                "{dst} is a public address, but what lies beyond Azure's internet edge is outside the design, so the packet is not counted as arriving; connect site `{}` to a gateway to reach it through Azure",
                self.c.design.sites[s].name
            ),
            Place::P2s(_) | Place::Unknown => {
                format!(
                    "{dst} is a public address, but what lies beyond Azure's internet edge is outside the design, so the packet is not counted as arriving"
                )
            }
        }
    }

    pub(super) fn not_transit(
        &self,
        p: usize,
        dst: std::net::Ipv4Addr,
        ctx: Option<usize>,
    ) -> (String, String, Option<String>, Option<Fix>) {
        let c = self.c;
        let peering = &c.design.peerings[p];
        let why: Vec<String> = c.peerings[p]
            .violations
            .iter()
            .map(|v| format!("{} ({v})", v.rule()))
            .collect();
        let why = if why.is_empty() {
            format!("the peering is {}", c.peerings[p].state)
        } else {
            why.join("; ")
        };
        let message = format!(
            "Peering `{}` asks to use the gateway of `{}`, but gateway transit does not take effect: {why}; so {dst} cannot go through that gateway.",
            peering.name, peering.remote
        );
        let violations = &c.peerings[p].violations;
        let fixable = violations.iter().all(|v| {
            matches!(
                v,
                PeeringViolation::RemoteGatewayWithoutTransit
                    | PeeringViolation::UseRemoteGatewaysWithOwnGateway
            )
        });
        let fix = if !fixable || !c.peerings[p].valid {
            None
        } else if violations.contains(&PeeringViolation::UseRemoteGatewaysWithOwnGateway) {
            self.own_gateway_fix(p, ctx)
        } else {
            self.gateway_fix(c.peerings[p].local, c.peerings[p].remote, ctx)
        };
        (format!("peering `{}`", peering.name), message, None, fix)
    }
}

/// RFC 1918 and the RFC 6598 shared range (carrier-grade NAT): addresses the internet does not
/// route.
fn is_private(ip: std::net::Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private() || (a == 100 && (64..128).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::is_private;

    #[test]
    fn private_means_not_routed_on_the_internet() {
        for private in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.10",
            "100.64.0.1",
            "100.127.255.1",
        ] {
            assert!(is_private(private.parse().expect("literal")), "{private}");
        }
        for public in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "100.63.255.255",
            "20.2.1.4",
        ] {
            assert!(!is_private(public.parse().expect("literal")), "{public}");
        }
    }
}
