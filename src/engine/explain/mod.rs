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
mod permit;
mod proof;
mod routes;
mod subject;

pub use permit::{PermitAll, trace_permit_all};
pub use proof::{MAX_EDITS, Trial, meets};
pub(crate) use proof::{merge, prove_for_intent};

use super::compile::Compiled;
use super::ix::CtxIx;
use super::nsg::Packet;
use super::types::{Assumption, Blocker, Fix, PeeringSetting};
use super::walk::{Cause, RawBlocker, Spot};
use crate::model::Design;

/// What checking a blocker's fix needs besides the blocker: the other candidate fixes, in the
/// order to try them after `fix`, and the peering settings the cause names (a proven fix's
/// settings are these, completed with what its edit changes).
pub(crate) struct Candidates {
    pub alternatives: Vec<Fix>,
    pub named: Vec<PeeringSetting>,
}

/// The settings a cause names (`named`), completed with those `fix` changes.
pub(crate) fn settings(
    design: &Design,
    mut named: Vec<PeeringSetting>,
    fix: Option<&Fix>,
) -> Vec<PeeringSetting> {
    let changed = fix.map(|f| PeeringSetting::changed_by(design, &f.edit));
    for setting in changed.into_iter().flatten() {
        match named
            .iter_mut()
            .find(|s| s.peering == setting.peering && s.flag == setting.flag)
        {
            Some(seen) => *seen = setting,
            None => named.push(setting),
        }
    }
    named
}

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
    /// Other edits that would remove the blocker too, tried in order when `fix` turns out to
    /// break an intent (removing the denying rule rather than adding an allowing one).
    pub alternatives: Vec<Fix>,
}

impl Explanation {
    /// An explanation with no assumption and no fix.
    fn new(at: String, message: String) -> Self {
        Explanation {
            at,
            message,
            assumption: None,
            fix: None,
            alternatives: Vec::new(),
        }
    }

    fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    /// The first of `candidates` as the fix, the others as alternatives.
    fn with_fixes(mut self, candidates: Vec<Fix>) -> Self {
        let mut candidates = candidates.into_iter();
        self.fix = candidates.next();
        self.alternatives = candidates.collect();
        self
    }

    fn with_assumption(mut self, assumption: Option<Assumption>) -> Self {
        self.assumption = assumption;
        self
    }
}

impl Scene<'_> {
    /// The blocker in words, with its fix (unchecked), the object it is about and the peering
    /// settings it names; and what checking its fix needs: the other candidate fixes and the
    /// settings the cause itself names.
    pub fn explain_all(&self, raw: &RawBlocker) -> (Blocker, Candidates) {
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
            alternatives,
        } = self.describe(&raw.cause, &packet, way);
        let named = self.cause_settings(&raw.cause);
        let blocker = Blocker {
            code: raw.code,
            at,
            message,
            assumption,
            object: self.subject(&raw.cause),
            settings: settings(&self.c.design, named.clone(), fix.as_ref()),
            fix,
            fix_check: None,
        };
        let candidates = Candidates {
            alternatives,
            named,
        };
        (blocker, candidates)
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
        }
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
