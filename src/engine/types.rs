//! The engine's public vocabulary: verdicts, stable reason codes, blockers with their fixes,
//! trace hops, effective routes, summaries, deltas and errors. Everything here is plain data
//! the CLI prints and the TUI shows; the computations live in the sibling modules.

use crate::edit::Edit;
use crate::model::Flow;
use ipnet::Ipv4Net;
use serde::{Serialize, Serializer};
use std::fmt;
use std::net::Ipv4Addr;

/// Which all-pairs strategy to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EngineKind {
    /// Shares work across endpoints that behave alike (equivalence classes).
    #[default]
    Fast,
    /// Walks every pair on its own: the yardstick the fast engine is tested against.
    Reference,
}

/// Whether a pair can communicate (forward and reply).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The flow and its reply both get through.
    Reachable,
    /// Something on the forward or reverse path stops it.
    Blocked,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Reachable => "reachable",
            Verdict::Blocked => "blocked",
        })
    }
}

macro_rules! reason_codes {
    ($($(#[$doc:meta])* $variant:ident => $text:literal,)*) => {
        /// Why a pair is blocked. Stable codes: JSON and tests use the SCREAMING_SNAKE text,
        /// which never changes once published (DESIGN.md §3).
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        pub enum ReasonCode {
            $($(#[$doc])* $variant,)*
        }

        impl ReasonCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ReasonCode] = &[$(ReasonCode::$variant,)*];

            /// The stable text of the code, e.g. `PEERING_MISSING`.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(ReasonCode::$variant => $text,)*
                }
            }
        }
    };
}

reason_codes! {
    /// No peering joins the two VNets.
    PeeringMissing => "PEERING_MISSING",
    /// A peering exists but is `Initiated` or `Disconnected`.
    PeeringNotConnected => "PEERING_NOT_CONNECTED",
    /// Azure would refuse the peering (overlap, cross-cloud, classic↔classic, Government rule).
    PeeringInvalid => "PEERING_INVALID",
    /// The source subnet is not one of the local subnets of a subnet-level peering: its packets
    /// follow the peering's routes but are dropped before delivery (§1.9).
    SubnetNotInSubnetPeering => "SUBNET_NOT_IN_SUBNET_PEERING",
    /// `allowVirtualNetworkAccess` is off on one side of the peering.
    PeeringVnetAccessBlocked => "PEERING_VNET_ACCESS_BLOCKED",
    /// Forwarded traffic enters a VNet whose peering does not allow it.
    ForwardedTrafficBlocked => "FORWARDED_TRAFFIC_BLOCKED",
    /// The destination range was added to the remote VNet but the peering was not synced.
    AddressSpaceNotSynced => "ADDRESS_SPACE_NOT_SYNCED",
    /// An NSG rule denies the flow.
    NsgDeny => "NSG_DENY",
    /// An NVA or firewall rule denies the flow.
    ApplianceDeny => "APPLIANCE_DENY",
    /// The route chosen has next hop `None`: the packet is dropped.
    RouteNone => "ROUTE_NONE",
    /// The route chosen sends a private destination to the internet.
    NoRouteInternet => "NO_ROUTE_INTERNET",
    /// A UDR's next-hop IP is not in the VNet or a directly peered VNet.
    NextHopUnreachable => "NEXT_HOP_UNREACHABLE",
    /// A NIC must forward traffic not addressed to it but IP forwarding is off.
    IpForwardingDisabled => "IP_FORWARDING_DISABLED",
    /// The route needs a virtual network gateway that is not there (or cannot be used).
    GatewayMissing => "GATEWAY_MISSING",
    /// The VNet asks for the hub's gateway but gateway transit does not take effect.
    GatewayNotTransit => "GATEWAY_NOT_TRANSIT",
    /// The packet would circle between appliances forever.
    RoutingLoop => "ROUTING_LOOP",
    /// A stateful appliance sees only one direction of the conversation.
    AsymmetricStatefulDrop => "ASYMMETRIC_STATEFUL_DROP",
    /// No NIC owns the destination address where the route delivers it.
    NoSuchHost => "NO_SUCH_HOST",
    /// An on-premises site or point-to-site client has no route to the destination, because no
    /// gateway it is connected to advertises it.
    NotAdvertised => "NOT_ADVERTISED",
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ReasonCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Pair counts of an analysis; self-pairs are excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Ordered pairs of distinct endpoints.
    pub pairs: u64,
    /// Pairs whose flow and reply get through.
    pub reachable: u64,
    /// Pairs with at least one blocker.
    pub blocked: u64,
}

/// One step of a traced path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Where the step happens (a NIC, subnet, peering, appliance, gateway, site).
    pub at: String,
    /// What is evaluated: `nsg-out`, `route`, `peering`, `appliance`, `gateway`, `nsg-in`, `deliver`.
    pub step: String,
    /// The outcome: `allow`, `deny`, `forward`, `drop`, `deliver`, …
    pub decision: String,
    /// The deciding rule or route, in words.
    pub detail: String,
}

/// A concrete change that removes a blocker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the edit does, in words.
    pub description: String,
    /// The edit; applying it removes this blocker.
    pub edit: Edit,
}

/// One thing that stops a pair, found while walking its path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    /// Stable reason code.
    pub code: ReasonCode,
    /// The blocking object (`nsg-b`, `peering a-to-b`, `rt-a/to-b`, …).
    pub at: String,
    /// A sentence a trainee understands, naming the blocking object.
    pub message: String,
    /// The contested behaviour this blocker depends on (`vnet_access_disabled=DocumentedIntent`).
    pub assumption: Option<String>,
    /// How to remove it, when there is a clear single change.
    pub fix: Option<Fix>,
}

/// One pair traced hop by hop, in both directions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// Source endpoint name.
    pub from: String,
    /// Destination endpoint name.
    pub to: String,
    /// The flow traced.
    #[serde(serialize_with = "flow_text")]
    pub flow: Flow,
    /// Reachable iff there are no blockers.
    pub verdict: Verdict,
    /// The request's path.
    pub forward: Vec<Hop>,
    /// The reply's path (empty when the request never arrives).
    pub reverse: Vec<Hop>,
    /// Every blocker on both paths, in path order.
    pub blockers: Vec<Blocker>,
}

fn flow_text<S: Serializer>(flow: &Flow, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(flow)
}

/// Where an effective route comes from (the `source` column of Azure's effective routes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RouteSource {
    /// System route (VNet ranges, peerings, reserved prefixes, internet).
    Default,
    /// User-defined route from the subnet's route table.
    User,
    /// Learned from a virtual network gateway (site prefixes, VNet-to-VNet, P2S pool, BGP).
    VirtualNetworkGateway,
}

/// Whether a route takes part in forwarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RouteState {
    /// Used for lookups.
    Active,
    /// Overridden by another route; shown for explanation only.
    Invalid,
}

/// One row of a subnet's effective route table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveRoute {
    /// Where the route comes from.
    pub source: RouteSource,
    /// Active or Invalid.
    pub state: RouteState,
    /// Destination prefix.
    pub prefix: Ipv4Net,
    /// Azure's next hop type: `VnetLocal`, `VNetPeering`, `VNetGlobalPeering`,
    /// `VirtualNetworkGateway`, `VirtualAppliance`, `Internet` or `None`.
    pub next_hop_type: String,
    /// The appliance address for `VirtualAppliance`.
    pub next_hop_ip: Option<Ipv4Addr>,
    /// The UDR's name (user routes only, as in Azure).
    pub name: Option<String>,
    /// Why it is Invalid, or where it came from (peering, gateway, site).
    pub note: Option<String>,
}

/// Why the engine could not answer a question about a design.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// No VM, site host or P2S client has this name.
    #[error("there is no endpoint `{name}`{suggestion}")]
    NoSuchEndpoint {
        /// The name asked for.
        name: String,
        /// "; did you mean `x`?" or empty.
        suggestion: String,
    },
    /// No subnet is called this (`vnet/subnet`).
    #[error("there is no subnet `{name}`{suggestion}")]
    NoSuchSubnet {
        /// The name asked for.
        name: String,
        /// "; did you mean `x`?" or empty.
        suggestion: String,
    },
}
