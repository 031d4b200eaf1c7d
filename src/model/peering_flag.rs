//! The four settings of a peering link, named once: the API property, the portal's label, the
//! Terraform argument, the words vnetlab's messages use, and the letter of the TUI's columns.
//! Every message that names a setting takes its words from here, so the CLI, the TUI, lint and
//! the engine's explanations all say the same thing.

use super::Peering;
use std::fmt;

/// One of the four boolean settings of a peering link (azure-semantics.md §1.5).
///
/// ```
/// use vnetlab::model::{Peering, PeeringFlag};
/// let mut link = Peering::new("hub-to-spoke", "hub", "spoke");
/// PeeringFlag::AllowGatewayTransit.set(&mut link, true);
/// assert!(link.allow_gateway_transit);
/// assert_eq!(PeeringFlag::AllowGatewayTransit.api_name(), "allowGatewayTransit");
/// assert_eq!(PeeringFlag::AllowGatewayTransit.terraform(), "allow_gateway_transit");
/// assert_eq!(PeeringFlag::AllowGatewayTransit.to_string(), "allow gateway transit");
/// assert_eq!(PeeringFlag::ALL.map(PeeringFlag::letter), ['A', 'F', 'G', 'R']);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeeringFlag {
    /// `allowVirtualNetworkAccess`: traffic between the two VNets is allowed by default.
    AllowVirtualNetworkAccess,
    /// `allowForwardedTraffic`: the local VNet accepts traffic an appliance in the remote VNet
    /// forwards (traffic that did not start in the remote VNet).
    AllowForwardedTraffic,
    /// `allowGatewayTransit`: the remote VNet may use the local VNet's gateway.
    AllowGatewayTransit,
    /// `useRemoteGateways`: the local VNet uses the remote VNet's gateway.
    UseRemoteGateways,
}

impl PeeringFlag {
    /// The four settings, in the order the TUI shows them.
    pub const ALL: [PeeringFlag; 4] = [
        PeeringFlag::AllowVirtualNetworkAccess,
        PeeringFlag::AllowForwardedTraffic,
        PeeringFlag::AllowGatewayTransit,
        PeeringFlag::UseRemoteGateways,
    ];

    /// The property's name in the Azure API (ARM templates, REST, `az … --query`).
    pub fn api_name(self) -> &'static str {
        match self {
            PeeringFlag::AllowVirtualNetworkAccess => "allowVirtualNetworkAccess",
            PeeringFlag::AllowForwardedTraffic => "allowForwardedTraffic",
            PeeringFlag::AllowGatewayTransit => "allowGatewayTransit",
            PeeringFlag::UseRemoteGateways => "useRemoteGateways",
        }
    }

    /// The argument of Terraform's `azurerm_virtual_network_peering`.
    pub fn terraform(self) -> &'static str {
        match self {
            PeeringFlag::AllowVirtualNetworkAccess => "allow_virtual_network_access",
            PeeringFlag::AllowForwardedTraffic => "allow_forwarded_traffic",
            PeeringFlag::AllowGatewayTransit => "allow_gateway_transit",
            PeeringFlag::UseRemoteGateways => "use_remote_gateways",
        }
    }

    /// The words vnetlab's messages use for the setting ("allow gateway transit").
    pub fn words(self) -> &'static str {
        match self {
            PeeringFlag::AllowVirtualNetworkAccess => "allow virtual network access",
            PeeringFlag::AllowForwardedTraffic => "allow forwarded traffic",
            PeeringFlag::AllowGatewayTransit => "allow gateway transit",
            PeeringFlag::UseRemoteGateways => "use remote gateways",
        }
    }

    /// The words for the setting in one state, for lists of a link's settings: the setting's
    /// words when on, and a phrase that says what is missing when off.
    pub fn state_words(self, on: bool) -> &'static str {
        match (self, on) {
            (flag, true) => flag.words(),
            (PeeringFlag::AllowVirtualNetworkAccess, false) => "virtual network access blocked",
            (PeeringFlag::AllowForwardedTraffic, false) => "forwarded traffic refused",
            (PeeringFlag::AllowGatewayTransit, false) => "no gateway transit",
            (PeeringFlag::UseRemoteGateways, false) => "remote gateways unused",
        }
    }

    /// The one-letter label of the TUI's flag columns.
    pub fn letter(self) -> char {
        match self {
            PeeringFlag::AllowVirtualNetworkAccess => 'A',
            PeeringFlag::AllowForwardedTraffic => 'F',
            PeeringFlag::AllowGatewayTransit => 'G',
            PeeringFlag::UseRemoteGateways => 'R',
        }
    }

    /// The checkbox label of the Azure portal's "Add peering" page (2024 wording, section of
    /// the VNet `local` that owns the link). The portal's labels have changed over the years,
    /// and users misread them, so messages give the API name too ([`PeeringFlag::names`]).
    ///
    /// ```
    /// use vnetlab::model::PeeringFlag;
    /// assert_eq!(
    ///     PeeringFlag::AllowForwardedTraffic.portal_label("spoke"),
    ///     "Allow 'spoke' to receive forwarded traffic from the peered virtual network"
    /// );
    /// ```
    pub fn portal_label(self, local: &str) -> String {
        match self {
            PeeringFlag::AllowVirtualNetworkAccess => {
                format!("Allow '{local}' to access the peered virtual network")
            }
            PeeringFlag::AllowForwardedTraffic => {
                format!(
                    "Allow '{local}' to receive forwarded traffic from the peered virtual network"
                )
            }
            PeeringFlag::AllowGatewayTransit => format!(
                "Allow gateway or route server in '{local}' to forward traffic to the peered virtual network"
            ),
            PeeringFlag::UseRemoteGateways => format!(
                "Enable '{local}' to use the peered virtual networks' remote gateway or route server"
            ),
        }
    }

    /// Every name of the setting at once, for explanations: the API name, the portal's label
    /// for a link owned by `local`, and the Terraform argument.
    ///
    /// ```
    /// use vnetlab::model::PeeringFlag;
    /// assert_eq!(
    ///     PeeringFlag::UseRemoteGateways.names("spoke"),
    ///     "useRemoteGateways (portal: \"Enable 'spoke' to use the peered virtual networks' remote gateway or route server\"; Terraform: use_remote_gateways)"
    /// );
    /// ```
    pub fn names(self, local: &str) -> String {
        format!(
            "{} (portal: \"{}\"; Terraform: {})",
            self.api_name(),
            self.portal_label(local),
            self.terraform()
        )
    }

    /// The value Azure gives the setting when it is not set: on for virtual network access,
    /// off for the other three.
    pub fn default_value(self) -> bool {
        self == PeeringFlag::AllowVirtualNetworkAccess
    }

    /// The setting's value on a link.
    pub fn get(self, peering: &Peering) -> bool {
        match self {
            PeeringFlag::AllowVirtualNetworkAccess => peering.allow_virtual_network_access,
            PeeringFlag::AllowForwardedTraffic => peering.allow_forwarded_traffic,
            PeeringFlag::AllowGatewayTransit => peering.allow_gateway_transit,
            PeeringFlag::UseRemoteGateways => peering.use_remote_gateways,
        }
    }

    /// Sets the setting on a link.
    pub fn set(self, peering: &mut Peering, on: bool) {
        let slot = match self {
            PeeringFlag::AllowVirtualNetworkAccess => &mut peering.allow_virtual_network_access,
            PeeringFlag::AllowForwardedTraffic => &mut peering.allow_forwarded_traffic,
            PeeringFlag::AllowGatewayTransit => &mut peering.allow_gateway_transit,
            PeeringFlag::UseRemoteGateways => &mut peering.use_remote_gateways,
        };
        *slot = on;
    }
}

/// The words messages use ([`PeeringFlag::words`]).
impl fmt::Display for PeeringFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}

/// One end of a peering link: the VNet that owns it, or the one it points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// The VNet that owns the link (`local`).
    Local,
    /// The VNet the link points to (`remote`).
    Remote,
}

impl Side {
    /// The other end.
    pub fn opposite(self) -> Side {
        match self {
            Side::Local => Side::Remote,
            Side::Remote => Side::Local,
        }
    }
}

impl Peering {
    /// The VNet at one end of the link.
    pub fn end(&self, side: Side) -> &str {
        match side {
            Side::Local => &self.local,
            Side::Remote => &self.remote,
        }
    }

    /// The subnets a subnet-level link lists at one end (`local_subnets` or `remote_subnets`).
    pub fn subnets(&self, side: Side) -> &[String] {
        match side {
            Side::Local => &self.local_subnets,
            Side::Remote => &self.remote_subnets,
        }
    }

    /// The subnet list of one end, mutably.
    pub fn subnets_mut(&mut self, side: Side) -> &mut Vec<String> {
        match side {
            Side::Local => &mut self.local_subnets,
            Side::Remote => &mut self.remote_subnets,
        }
    }

    /// The settings that differ from Azure's defaults, in [`PeeringFlag::ALL`] order, in words
    /// ([`PeeringFlag::state_words`]): what a one-line description of the link lists.
    ///
    /// ```
    /// use vnetlab::model::Peering;
    /// let mut link = Peering::new("a-to-b", "a", "b");
    /// assert!(link.non_default_settings().is_empty());
    /// link.allow_virtual_network_access = false;
    /// link.use_remote_gateways = true;
    /// assert_eq!(link.non_default_settings(), ["virtual network access blocked", "use remote gateways"]);
    /// ```
    pub fn non_default_settings(&self) -> Vec<&'static str> {
        PeeringFlag::ALL
            .into_iter()
            .filter(|f| f.get(self) != f.default_value())
            .map(|f| f.state_words(f.get(self)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_reads_what_set_wrote_and_nothing_else() {
        for flag in PeeringFlag::ALL {
            let mut link = Peering::new("l", "a", "b");
            let before: Vec<bool> = PeeringFlag::ALL.iter().map(|f| f.get(&link)).collect();
            let on = !flag.get(&link);
            flag.set(&mut link, on);
            for other in PeeringFlag::ALL {
                let i = PeeringFlag::ALL.iter().position(|f| *f == other).unwrap();
                assert_eq!(other.get(&link), before[i] ^ (other == flag), "{flag:?}");
            }
        }
    }

    #[test]
    fn defaults_match_a_new_link() {
        let link = Peering::new("l", "a", "b");
        for flag in PeeringFlag::ALL {
            assert_eq!(flag.get(&link), flag.default_value(), "{flag:?}");
        }
    }
}
