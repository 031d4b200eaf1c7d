//! The contested Azure behaviours a blocker can depend on, with the value the design assumes
//! (`Design::assumptions`; azure-semantics.md lists the evidence for each).

use crate::model::{ForwardedTraffic, GovGlobalPeering, VnetAccessMode};
use serde::{Serialize, Serializer};
use std::fmt;

/// One assumption and the value a blocker depended on; displayed and serialised as
/// `key=Value`, e.g. `vnet_access_disabled=DocumentedIntent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Assumption {
    /// How `allowVirtualNetworkAccess = false` is modelled.
    VnetAccessDisabled(VnetAccessMode),
    /// Whether `allowForwardedTraffic` is enforced.
    ForwardedTraffic(ForwardedTraffic),
    /// Whether a 0.0.0.0/0 UDR to an appliance widens the `VirtualNetwork` tag.
    VnetTagWidensWithDefaultRoute(bool),
    /// Whether Government-cloud regions may peer globally.
    GovGlobalPeering(GovGlobalPeering),
    /// Whether the peerings an AVNM hub-and-spoke configuration creates allow forwarded traffic.
    AvnmPeeringsAllowForwardedTraffic(bool),
}

impl Assumption {
    /// The key, as `--assume key=value` and the design file name it.
    pub fn key(self) -> &'static str {
        match self {
            Assumption::VnetAccessDisabled(_) => "vnet_access_disabled",
            Assumption::ForwardedTraffic(_) => "forwarded_traffic",
            Assumption::VnetTagWidensWithDefaultRoute(_) => "vnet_tag_widens_with_default_route",
            Assumption::GovGlobalPeering(_) => "gov_global_peering",
            Assumption::AvnmPeeringsAllowForwardedTraffic(_) => {
                "avnm_peerings_allow_forwarded_traffic"
            }
        }
    }

    /// The value, as the design file writes it.
    pub fn value(self) -> &'static str {
        match self {
            Assumption::VnetAccessDisabled(VnetAccessMode::DocumentedIntent) => "DocumentedIntent",
            Assumption::VnetAccessDisabled(VnetAccessMode::TagOnly) => "TagOnly",
            Assumption::ForwardedTraffic(ForwardedTraffic::Enforce) => "Enforce",
            Assumption::ForwardedTraffic(ForwardedTraffic::Ignore) => "Ignore",
            Assumption::VnetTagWidensWithDefaultRoute(true)
            | Assumption::AvnmPeeringsAllowForwardedTraffic(true) => "true",
            Assumption::VnetTagWidensWithDefaultRoute(false)
            | Assumption::AvnmPeeringsAllowForwardedTraffic(false) => "false",
            Assumption::GovGlobalPeering(GovGlobalPeering::Forbidden) => "Forbidden",
            Assumption::GovGlobalPeering(GovGlobalPeering::Allowed) => "Allowed",
        }
    }
}

impl fmt::Display for Assumption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key(), self.value())
    }
}

/// Serialised as its `key=Value` text.
impl Serialize for Assumption {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Assumptions;

    #[test]
    fn texts_are_what_the_assume_option_accepts() {
        let all = [
            Assumption::VnetAccessDisabled(VnetAccessMode::DocumentedIntent),
            Assumption::VnetAccessDisabled(VnetAccessMode::TagOnly),
            Assumption::ForwardedTraffic(ForwardedTraffic::Enforce),
            Assumption::ForwardedTraffic(ForwardedTraffic::Ignore),
            Assumption::VnetTagWidensWithDefaultRoute(true),
            Assumption::VnetTagWidensWithDefaultRoute(false),
            Assumption::GovGlobalPeering(GovGlobalPeering::Forbidden),
            Assumption::GovGlobalPeering(GovGlobalPeering::Allowed),
            Assumption::AvnmPeeringsAllowForwardedTraffic(false),
        ];
        for assumption in all {
            let mut assumptions = Assumptions::default();
            assumptions
                .set(assumption.key(), assumption.value())
                .unwrap_or_else(|e| panic!("{assumption}: {e}"));
        }
        assert_eq!(all[0].to_string(), "vnet_access_disabled=DocumentedIntent");
        assert_eq!(
            serde_json::to_string(&all[2]).expect("serialises"),
            "\"forwarded_traffic=Enforce\""
        );
    }
}
