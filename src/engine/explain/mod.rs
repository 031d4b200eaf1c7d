//! Explain: put a raw blocker into words a trainee understands (naming the blocking object and
//! the assumption it depends on) and attach a fix, an [`Edit`](crate::edit::Edit) that really
//! removes it. Fixes are built from the design as it is (free NSG priorities, unique names), so
//! applying one always succeeds on the design it was computed for.
//!
//! One function per [`Cause`] (`causes`), one per route dead end (`routes`), and the fixes
//! (`fixes`, and `gateway_fixes` for the use of a hub's gateway).

mod causes;
mod fixes;
mod gateway_fixes;
mod routes;

use super::compile::Compiled;
use super::ix::CtxIx;
use super::nsg::Packet;
use super::types::{Assumption, Blocker, Fix};
use super::walk::{Cause, RawBlocker, Spot};

/// Everything an explanation needs besides the blocker itself.
pub(crate) struct Scene<'a> {
    pub c: &'a Compiled,
    pub from: Spot,
    pub to: Spot,
    pub packet: Packet,
    /// The first route context of the request's and of the reply's path.
    pub first_ctx: [Option<CtxIx>; 2],
}

/// A blocker in words: where, why, under which assumption, and how to remove it.
pub(crate) struct Explanation {
    /// The blocking object.
    pub at: String,
    /// The sentence.
    pub message: String,
    pub assumption: Option<Assumption>,
    pub fix: Option<Fix>,
}

impl Explanation {
    /// An explanation with no assumption and no fix.
    fn new(at: String, message: String) -> Self {
        Explanation {
            at,
            message,
            assumption: None,
            fix: None,
        }
    }

    fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    fn with_assumption(mut self, assumption: Option<Assumption>) -> Self {
        self.assumption = assumption;
        self
    }
}

impl Scene<'_> {
    /// The blocker in words, with its fix.
    pub fn explain(&self, raw: &RawBlocker) -> Blocker {
        let packet = if raw.reply {
            self.packet.reply()
        } else {
            self.packet
        };
        let way = if raw.reply {
            "the reply"
        } else {
            "the request"
        };
        let Explanation {
            at,
            message,
            assumption,
            fix,
        } = self.describe(&raw.cause, &packet, way);
        // A link the engine derived (a classic side, an AVNM peering) is no object of the
        // design, so an edit of it cannot be applied.
        let fix = fix.filter(|f| !edits_derived_link(&f.edit));
        Blocker {
            code: raw.code,
            at,
            message,
            assumption,
            fix,
        }
    }

    /// The explanation of one cause; `way` says which direction found it.
    fn describe(&self, cause: &Cause, packet: &Packet, way: &str) -> Explanation {
        let dst = packet.dst;
        match cause {
            Cause::Nsg {
                point,
                nsg,
                direction,
                decision,
            } => self.nsg(*point, *nsg, *direction, decision, packet, way),
            Cause::Appliance { vm, rule } => self.appliance(*vm, *rule, packet, way),
            Cause::IpForwarding { nic } => self.ip_forwarding(*nic, dst),
            Cause::VnetAccess { peering } => self.vnet_access(*peering),
            Cause::SubnetNotInPeering { peering, subnet } => {
                self.subnet_not_in_peering(*peering, *subnet, packet, way)
            }
            Cause::Forwarded { peering } => self.forwarded(*peering, packet.src),
            Cause::Route { ctx, row, hint } => self.route(*ctx, *row, *hint, dst),
            Cause::NextHopUnreachable { ctx, row } => self.next_hop_unreachable(*ctx, *row, dst),
            Cause::GatewayMissing { ctx, row } => self.gateway_missing(*ctx, *row),
            Cause::SiteWithoutGateway { site } => self.site_without_gateway(*site),
            Cause::GatewayNotTransit { peering } => self.not_transit(*peering, dst, None),
            Cause::Loop { cycle } => Self::routing_loop(cycle, dst),
            Cause::Asymmetric { vm, forward_only } => self.asymmetric(*vm, *forward_only),
            Cause::NoSuchHost { place } => Self::no_such_host(place, dst),
            Cause::NotAdvertised { origin } => self.not_advertised(*origin, dst),
            Cause::PeeringInvalid { peering, inside } => {
                self.peering_invalid(*peering, *inside, dst)
            }
            Cause::GroupOverlap {
                config,
                prefix,
                members,
            } => self.group_overlap(config, *prefix, members, dst),
        }
    }
}

/// Whether an edit replaces or removes a peering that exists only as a derived link.
fn edits_derived_link(edit: &crate::edit::Edit) -> bool {
    use crate::edit::{Edit, Object};
    match edit {
        Edit::Replace(Object::Peering(p)) => p.derived.is_some(),
        Edit::Batch(edits) => edits.iter().any(edits_derived_link),
        _ => false,
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The subnets of a subnet-level peering's list, in words.
fn listed(subnets: &[String]) -> String {
    match subnets {
        [] => "no subnets".to_string(),
        [one] => format!("subnet `{one}`"),
        many => format!(
            "subnets {}",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
