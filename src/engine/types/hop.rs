//! One step of a traced path: where it happens, what is evaluated and what was decided. The
//! step and decision are enums whose texts (`nsg-out`, `forward`, …) are the stable values of
//! the `trace --json` output (DESIGN.md §4).

use serde::Serialize;
use std::fmt;

/// Declares a hop enum with its stable text; `PartialEq<&str>` compares with that text.
macro_rules! hop_words {
    ($(#[$meta:meta])* $name:ident { $($(#[doc = $doc:literal])+ $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name {
            $($(#[doc = $doc])+ #[serde(rename = $text)] $variant,)*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable text, as `trace --json` writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }

        /// Compares with the stable text (`hop.step == "peering"`).
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

hop_words! {
    /// What a hop evaluates.
    HopStep {
        /// An NSG checks the packet leaving a NIC or subnet.
        NsgOut => "nsg-out",
        /// A route lookup (a subnet's effective routes, a gateway's, or an outside sender's).
        Route => "route",
        /// A peering is crossed, or drops what an unlisted subnet sends over it.
        Peering => "peering",
        /// An NVA or firewall forwards or drops the packet.
        Appliance => "appliance",
        /// A virtual network gateway forwards the packet.
        Gateway => "gateway",
        /// An NSG checks the packet entering a subnet or NIC.
        NsgIn => "nsg-in",
        /// The packet reaches its destination.
        Deliver => "deliver",
    }
}

hop_words! {
    /// What a hop decided.
    HopDecision {
        /// An NSG lets the packet through.
        Allow => "allow",
        /// An NSG stops the packet.
        Deny => "deny",
        /// A route, gateway or appliance sends the packet on.
        Forward => "forward",
        /// The packet crosses a peering.
        Cross => "cross",
        /// An appliance or a subnet-level peering drops the packet.
        Drop => "drop",
        /// The packet arrives.
        Deliver => "deliver",
    }
}

/// One step of a traced path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Where the step happens (a NIC, subnet, peering, appliance, gateway, site).
    pub at: String,
    /// What is evaluated.
    pub step: HopStep,
    /// The outcome.
    pub decision: HopDecision,
    /// The deciding rule or route, in words.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_are_the_stable_texts() {
        for step in HopStep::ALL {
            let json = serde_json::to_string(step).expect("serialises");
            assert_eq!(json, format!("\"{step}\""));
        }
        for decision in HopDecision::ALL {
            let json = serde_json::to_string(decision).expect("serialises");
            assert_eq!(json, format!("\"{decision}\""));
        }
        assert_eq!(HopStep::NsgOut.as_str(), "nsg-out");
        assert!(HopDecision::Cross == "cross");
        assert_eq!(format!("{:<9}|", HopStep::Route), "route    |");
    }
}
