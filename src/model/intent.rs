//! Intents (expectations a design carries as its own tests), subscriptions with the designer's
//! role (for permission checks), and the switchable assumptions for contested Azure behaviour.

use super::net::Flow;
use super::value_error::ValueError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an assumption's value means, in a sentence a trainee can read (the TUI's Assumptions
/// form shows it under the value); `None` for a key or value [`Assumptions::set`] refuses.
///
/// ```
/// use vnetlab::model::assumption_meaning;
/// assert!(assumption_meaning("forwarded_traffic", "Ignore").unwrap().contains("ignored"));
/// assert_eq!(assumption_meaning("forwarded_traffic", "maybe"), None);
/// ```
pub fn assumption_meaning(key: &str, value: &str) -> Option<&'static str> {
    let value = value.to_ascii_lowercase();
    Some(match (key, value.as_str()) {
        ("vnet_access_disabled", "documentedintent" | "documented_intent") => {
            "VNet access off denies new flows across the peering unless an NSG rule allows them by address (what the documentation describes)."
        }
        ("vnet_access_disabled", "tagonly" | "tag_only") => {
            "VNet access off only takes the peer out of the VirtualNetwork service tag; traffic an NSG allows by address still flows."
        }
        ("forwarded_traffic", "enforce") => {
            "Traffic forwarded by an appliance is dropped unless the receiving side's peering allows forwarded traffic (the documented rule)."
        }
        ("forwarded_traffic", "ignore") => {
            "The allow-forwarded-traffic setting is ignored, as some field reports describe: forwarded traffic always crosses."
        }
        ("gateway_hops_exempt_from_forwarding_check", "true") => {
            "Packets arriving from a VPN gateway do not need allow-forwarded-traffic on the peering."
        }
        ("gateway_hops_exempt_from_forwarding_check", "false") => {
            "Packets arriving from a VPN gateway count as forwarded: the peering must allow forwarded traffic."
        }
        ("vnet_tag_widens_with_default_route", "true") => {
            "A 0.0.0.0/0 route to an appliance makes the VirtualNetwork service tag match every address."
        }
        ("vnet_tag_widens_with_default_route", "false") => {
            "The VirtualNetwork service tag stays the VNet, its peers and on-premises, whatever the routes."
        }
        ("gov_global_peering", "forbidden") => {
            "Global peering between Government-cloud regions is refused, as the AZ-104 training module teaches."
        }
        ("gov_global_peering", "allowed") => {
            "Global peering between Government-cloud regions works, as the current product documentation says."
        }
        ("avnm_peerings_allow_forwarded_traffic", "true") => {
            "Peerings an AVNM hub-and-spoke configuration creates allow forwarded traffic (its firewall how-to needs it)."
        }
        ("avnm_peerings_allow_forwarded_traffic", "false") => {
            "Peerings an AVNM hub-and-spoke configuration creates do not allow forwarded traffic."
        }
        _ => return None,
    })
}

/// The assumptions [`Assumptions::set`] knows, by the names design files use.
pub const ASSUMPTION_KEYS: [&str; 6] = [
    "vnet_access_disabled",
    "forwarded_traffic",
    "gateway_hops_exempt_from_forwarding_check",
    "vnet_tag_widens_with_default_route",
    "gov_global_peering",
    "avnm_peerings_allow_forwarded_traffic",
];

/// An expectation stored in the design: "`from` can (or cannot) reach `to` with `flow`".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    /// Unique name of the intent.
    pub name: String,
    /// Source endpoint (VM, site host, or P2S client) by name.
    pub from: String,
    /// Destination endpoint by name.
    pub to: String,
    /// The flow tested.
    #[serde(default)]
    pub flow: Flow,
    /// What the designer expects.
    pub expect: Expectation,
}

/// The expected verdict of an intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Expectation {
    /// The flow must work.
    Reachable,
    /// The flow must be blocked.
    Blocked,
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expectation::Reachable => "reachable",
            Expectation::Blocked => "blocked",
        })
    }
}

/// A subscription and the role the designer holds in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// Subscription name or ID, as VNets refer to it.
    pub name: String,
    /// The designer's role there.
    pub role: Role,
}

/// A role assignment, reduced to what peering needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Owner: every action.
    Owner,
    /// Contributor: every action.
    Contributor,
    /// Network Contributor: every `Microsoft.Network` action.
    NetworkContributor,
    /// Classic Network Contributor: every `Microsoft.ClassicNetwork` action.
    ClassicNetworkContributor,
    /// Reader: no write actions.
    Reader,
    /// A custom role with the listed actions (wildcards such as `Microsoft.Network/*` allowed).
    Custom(Vec<String>),
}

impl Role {
    /// The built-in roles, in the order a form lists them (a custom role comes last).
    pub const BUILT_IN: [Role; 5] = [
        Role::Owner,
        Role::Contributor,
        Role::NetworkContributor,
        Role::ClassicNetworkContributor,
        Role::Reader,
    ];

    /// Azure's name of a built-in role (`Network Contributor`); `Custom` for a custom role.
    ///
    /// ```
    /// use vnetlab::model::Role;
    /// assert_eq!(Role::ClassicNetworkContributor.name(), "Classic Network Contributor");
    /// assert_eq!(Role::built_in("Network Contributor"), Some(Role::NetworkContributor));
    /// assert_eq!(Role::built_in("Custom"), None);
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Contributor => "Contributor",
            Role::NetworkContributor => "Network Contributor",
            Role::ClassicNetworkContributor => "Classic Network Contributor",
            Role::Reader => "Reader",
            Role::Custom(_) => "Custom",
        }
    }

    /// The built-in role Azure names `name`, if there is one.
    pub fn built_in(name: &str) -> Option<Role> {
        Role::BUILT_IN.into_iter().find(|role| role.name() == name)
    }

    /// Whether the role grants `action` (e.g. `Microsoft.Network/virtualNetworks/peer/action`).
    ///
    /// ```
    /// use vnetlab::model::Role;
    /// let write = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write";
    /// assert!(Role::NetworkContributor.grants(write));
    /// assert!(!Role::Reader.grants(write));
    /// assert!(Role::Custom(vec!["Microsoft.Network/virtualNetworks/*".into()]).grants(write));
    /// assert!(!Role::Custom(vec!["Microsoft.Network/virtualNetworks/read".into()]).grants(write));
    /// ```
    pub fn grants(&self, action: &str) -> bool {
        let lower = action.to_ascii_lowercase();
        match self {
            Role::Owner | Role::Contributor => true,
            Role::NetworkContributor => lower.starts_with("microsoft.network/"),
            Role::ClassicNetworkContributor => lower.starts_with("microsoft.classicnetwork/"),
            Role::Reader => lower.ends_with("/read"),
            Role::Custom(actions) => actions.iter().any(|pattern| {
                let pattern = pattern.to_ascii_lowercase();
                match pattern.strip_suffix('*') {
                    Some(prefix) => lower.starts_with(prefix),
                    None => pattern == lower,
                }
            }),
        }
    }
}

/// How `allowVirtualNetworkAccess = false` is modelled (azure-semantics.md §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum VnetAccessMode {
    /// New flows across the peering are denied unless an NSG explicitly allows them by IP.
    #[default]
    DocumentedIntent,
    /// The flag only narrows the `VirtualNetwork` service tag.
    TagOnly,
}

/// Whether `allowForwardedTraffic` is enforced (azure-semantics.md §10.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ForwardedTraffic {
    /// Forwarded traffic needs the flag on the receiving side's peering.
    #[default]
    Enforce,
    /// The flag is ignored (as some field reports describe).
    Ignore,
}

/// Whether global peering between Government-cloud regions is allowed (azure-semantics.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum GovGlobalPeering {
    /// As the AZ-104 training module teaches: not permitted.
    #[default]
    Forbidden,
    /// As the current product documentation says: permitted.
    Allowed,
}

/// The contested behaviours, named and switchable; every explanation that depends on one names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Assumptions {
    /// Effect of `allowVirtualNetworkAccess = false`.
    pub vnet_access_disabled: VnetAccessMode,
    /// Enforcement of `allowForwardedTraffic`.
    pub forwarded_traffic: ForwardedTraffic,
    /// Packets whose previous hop is a gateway need no `allowForwardedTraffic`.
    pub gateway_hops_exempt_from_forwarding_check: bool,
    /// A 0.0.0.0/0 UDR to an appliance widens the `VirtualNetwork` tag to everything.
    pub vnet_tag_widens_with_default_route: bool,
    /// Government-cloud global peering.
    pub gov_global_peering: GovGlobalPeering,
    /// The peerings an AVNM hub-and-spoke configuration creates allow forwarded traffic (the
    /// configuration has no such setting; AVNM's hub-and-spoke-with-firewall how-to routes all
    /// spoke traffic through the hub firewall, which needs it).
    pub avnm_peerings_allow_forwarded_traffic: bool,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            vnet_access_disabled: VnetAccessMode::DocumentedIntent,
            forwarded_traffic: ForwardedTraffic::Enforce,
            gateway_hops_exempt_from_forwarding_check: true,
            vnet_tag_widens_with_default_route: true,
            gov_global_peering: GovGlobalPeering::Forbidden,
            avnm_peerings_allow_forwarded_traffic: true,
        }
    }
}

impl Assumptions {
    /// Sets one assumption from `key=value` text (the CLI's `--assume`).
    ///
    /// ```
    /// use vnetlab::model::{Assumptions, GovGlobalPeering};
    /// let mut a = Assumptions::default();
    /// a.set("gov_global_peering", "Allowed").unwrap();
    /// assert_eq!(a.gov_global_peering, GovGlobalPeering::Allowed);
    /// assert!(a.set("gov_global_peering", "maybe").is_err());
    /// assert!(a.set("no_such_key", "true").is_err());
    /// ```
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ValueError> {
        let refused = |expected: &'static str| ValueError::AssumptionValue {
            key: key.to_string(),
            value: super::value_error::shown(value),
            expected,
        };
        let bool_value = || match value.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Ok(true),
            "false" | "no" | "off" => Ok(false),
            _ => Err(refused("true or false")),
        };
        let lower = value.to_ascii_lowercase();
        match key {
            "vnet_access_disabled" => {
                self.vnet_access_disabled = match lower.as_str() {
                    "documentedintent" | "documented_intent" => VnetAccessMode::DocumentedIntent,
                    "tagonly" | "tag_only" => VnetAccessMode::TagOnly,
                    _ => {
                        return Err(refused("DocumentedIntent or TagOnly"));
                    }
                }
            }
            "forwarded_traffic" => {
                self.forwarded_traffic = match lower.as_str() {
                    "enforce" => ForwardedTraffic::Enforce,
                    "ignore" => ForwardedTraffic::Ignore,
                    _ => {
                        return Err(refused("Enforce or Ignore"));
                    }
                }
            }
            "gateway_hops_exempt_from_forwarding_check" => {
                self.gateway_hops_exempt_from_forwarding_check = bool_value()?;
            }
            "vnet_tag_widens_with_default_route" => {
                self.vnet_tag_widens_with_default_route = bool_value()?;
            }
            "avnm_peerings_allow_forwarded_traffic" => {
                self.avnm_peerings_allow_forwarded_traffic = bool_value()?;
            }
            "gov_global_peering" => {
                self.gov_global_peering = match lower.as_str() {
                    "forbidden" => GovGlobalPeering::Forbidden,
                    "allowed" => GovGlobalPeering::Allowed,
                    _ => {
                        return Err(refused("Forbidden or Allowed"));
                    }
                }
            }
            _ => {
                return Err(ValueError::UnknownAssumption {
                    key: super::value_error::shown(key),
                });
            }
        }
        Ok(())
    }
}
