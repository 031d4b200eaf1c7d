//! Azure's validation rules for peerings (azure-semantics.md §1.6): which peering resources
//! Azure would refuse (invalid: the engine treats them as absent, lint reports them as errors)
//! and which are accepted but have no effect (lint warns). Shared by `engine` and `lint` so both
//! always agree on what is valid.

use super::peering_index::{PeeringLookup, Scan};
use super::{
    Cloud, DeploymentModel, Design, GovGlobalPeering, Peering, PeeringFlag, PrefixIndex, Vnet,
    overlaps,
};
use ipnet::Ipv4Net;
use std::fmt;

/// A rule a peering breaks, with the number azure-semantics.md §1.6 gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PeeringViolation {
    /// V1: the two address spaces overlap (the overlapping prefixes).
    Overlap(ipnet::Ipv4Net, ipnet::Ipv4Net),
    /// V1 for a subnet-level peering (V13): a subnet it peers lies in a range of its VNet that
    /// overlaps a range of the other VNet. Azure requires the ranges holding the peered subnets
    /// to be unique across the two VNets; overlap elsewhere is accepted.
    SubnetRangeOverlap {
        /// The peered subnet, as `vnet/subnet`.
        subnet: String,
        /// The range of its VNet that holds it.
        range: ipnet::Ipv4Net,
        /// The range of the other VNet that overlaps it.
        other: ipnet::Ipv4Net,
    },
    /// V2: the VNets are in different clouds.
    CrossCloud(Cloud, Cloud),
    /// V3: both VNets are classic.
    ClassicToClassic,
    /// V4: `useRemoteGateways` while the local VNet has its own gateway.
    UseRemoteGatewaysWithOwnGateway,
    /// V5: `useRemoteGateways` while the remote VNet has no gateway nor Route Server
    /// (`RemoteVnetHasNoGateways`).
    RemoteVnetHasNoGateways,
    /// V6: more than one peering of the local VNet sets `useRemoteGateways` (the others' names).
    UseRemoteGatewaysOnSeveralPeerings(Vec<String>),
    /// Global peering between two Government-cloud regions under the `Forbidden` assumption.
    GovGlobalPeering,
    /// V7 (not effective, accepted by Azure): `useRemoteGateways` without `allowGatewayTransit`
    /// on the reverse link.
    RemoteGatewayWithoutTransit,
    /// V8 (not effective): `allowGatewayTransit` but the local VNet has no gateway nor Route
    /// Server.
    TransitWithoutGateway,
    /// V9 (not effective): gateway transit through a Basic SKU gateway.
    TransitWithBasicGateway(String),
}

impl PeeringViolation {
    /// The rule's number in azure-semantics.md §1.6 (`V1`…), or `GOV` for the Government rule.
    pub fn rule(&self) -> &'static str {
        match self {
            PeeringViolation::Overlap(..) | PeeringViolation::SubnetRangeOverlap { .. } => "V1",
            PeeringViolation::CrossCloud(..) => "V2",
            PeeringViolation::ClassicToClassic => "V3",
            PeeringViolation::UseRemoteGatewaysWithOwnGateway => "V4",
            PeeringViolation::RemoteVnetHasNoGateways => "V5",
            PeeringViolation::UseRemoteGatewaysOnSeveralPeerings(_) => "V6",
            PeeringViolation::RemoteGatewayWithoutTransit => "V7",
            PeeringViolation::TransitWithoutGateway => "V8",
            PeeringViolation::TransitWithBasicGateway(_) => "V9",
            PeeringViolation::GovGlobalPeering => "GOV",
        }
    }

    /// Whether Azure refuses the peering resource outright (V1–V3, Government rule): the
    /// peering does not exist for routing. V4–V6 make only the `useRemoteGateways` flag
    /// invalid: the link still carries VNet traffic, but no gateway transit.
    pub fn invalidates_peering(&self) -> bool {
        matches!(
            self,
            PeeringViolation::Overlap(..)
                | PeeringViolation::SubnetRangeOverlap { .. }
                | PeeringViolation::CrossCloud(..)
                | PeeringViolation::ClassicToClassic
                | PeeringViolation::GovGlobalPeering
        )
    }

    /// Whether the violation stops gateway transit over this link (V4–V9).
    pub fn blocks_gateway_transit(&self) -> bool {
        !self.invalidates_peering()
    }

    /// Whether Azure refuses switching `flag` on because of this violation: it rejects
    /// `useRemoteGateways` on a spoke with its own gateway, towards a VNet without one, on a
    /// second link, or through a Basic gateway, and `allowGatewayTransit` on a Basic gateway.
    /// The other flags are never refused for a peering rule.
    ///
    /// ```
    /// use vnetlab::model::{PeeringFlag, PeeringViolation};
    /// let own = PeeringViolation::UseRemoteGatewaysWithOwnGateway;
    /// assert!(own.refuses(PeeringFlag::UseRemoteGateways));
    /// assert!(!own.refuses(PeeringFlag::AllowGatewayTransit));
    /// ```
    pub fn refuses(&self, flag: PeeringFlag) -> bool {
        match flag {
            PeeringFlag::UseRemoteGateways => matches!(
                self,
                PeeringViolation::UseRemoteGatewaysWithOwnGateway
                    | PeeringViolation::RemoteVnetHasNoGateways
                    | PeeringViolation::UseRemoteGatewaysOnSeveralPeerings(_)
                    | PeeringViolation::TransitWithBasicGateway(_)
            ),
            PeeringFlag::AllowGatewayTransit => {
                matches!(self, PeeringViolation::TransitWithBasicGateway(_))
            }
            PeeringFlag::AllowVirtualNetworkAccess | PeeringFlag::AllowForwardedTraffic => false,
        }
    }
}

/// The settings the sentences name, in the words every message uses.
const USE_REMOTE: PeeringFlag = PeeringFlag::UseRemoteGateways;
const ALLOW_TRANSIT: PeeringFlag = PeeringFlag::AllowGatewayTransit;

impl fmt::Display for PeeringViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeeringViolation::Overlap(a, b) => {
                write!(f, "the address spaces overlap ({a} and {b}); peered VNets need disjoint ranges")
            }
            PeeringViolation::SubnetRangeOverlap { subnet, range, other } => write!(
                f,
                "peered subnet `{subnet}` lies in {range}, which overlaps {other} of the other VNet; a subnet peering needs the ranges holding its subnets to be unique across the two VNets"
            ),
            PeeringViolation::CrossCloud(a, b) => write!(f, "the VNets are in different clouds ({a} and {b}); peering never crosses clouds"),
            PeeringViolation::ClassicToClassic => f.write_str("both VNets are classic; classic VNets cannot peer with each other (use a VPN gateway)"),
            PeeringViolation::UseRemoteGatewaysWithOwnGateway => {
                write!(f, "{USE_REMOTE} is set but the local VNet has its own gateway")
            }
            PeeringViolation::RemoteVnetHasNoGateways => {
                write!(f, "{USE_REMOTE} is set but the remote VNet has no gateway nor Route Server (RemoteVnetHasNoGateways)")
            }
            PeeringViolation::UseRemoteGatewaysOnSeveralPeerings(others) => write!(
                f,
                "{USE_REMOTE} is set on more than one peering of this VNet (also: {})",
                others.join(", ")
            ),
            PeeringViolation::GovGlobalPeering => f.write_str(
                "global peering between Government-cloud regions is not permitted under the assumption gov_global_peering=Forbidden (the AZ-104 training module; current product docs allow it)",
            ),
            PeeringViolation::RemoteGatewayWithoutTransit => write!(
                f,
                "{USE_REMOTE} is set but the remote side does not allow gateway transit, so it has no effect",
            ),
            PeeringViolation::TransitWithoutGateway => {
                write!(f, "{ALLOW_TRANSIT} is set but the local VNet has no gateway nor Route Server, so it has no effect")
            }
            PeeringViolation::TransitWithBasicGateway(gateway) => {
                write!(f, "gateway `{gateway}` has the Basic SKU, which does not support gateway transit")
            }
        }
    }
}

impl Design {
    /// Every rule of azure-semantics.md §1.6 this peering breaks, under the design's assumptions.
    ///
    /// ```
    /// use vnetlab::model::{Design, Peering, PeeringViolation};
    /// let mut d = Design::example_pair();
    /// d.vnets[1].address_space = vec!["10.1.128.0/17".parse().unwrap()];
    /// d.vnets[1].subnets[0].prefix = "10.1.129.0/24".parse().unwrap();
    /// d.peerings.push(Peering::new("a-to-b", "a", "b"));
    /// let v = d.peering_violations(&d.peerings[0]);
    /// assert_eq!(v[0].rule(), "V1");
    /// assert!(v[0].invalidates_peering());
    /// ```
    pub fn peering_violations(&self, peering: &Peering) -> Vec<PeeringViolation> {
        violations_with(self, peering, &Scan(self))
    }

    /// Whether Azure would accept this peering resource at all (no V1–V3/Government violation).
    pub fn peering_is_valid(&self, peering: &Peering) -> bool {
        !self
            .peering_violations(peering)
            .iter()
            .any(PeeringViolation::invalidates_peering)
    }

    /// Whether gateway transit over this spoke-side link (`useRemoteGateways`) takes effect:
    /// the flag is set, the peering is valid, and no V4–V9 rule stops it.
    pub fn uses_remote_gateway_effectively(&self, peering: &Peering) -> bool {
        peering.use_remote_gateways && self.peering_violations(peering).is_empty()
    }

    /// Whether gateway transit is switched on for the hub `vnet`: one of its links allows it
    /// (`allowGatewayTransit`). Whether a spoke uses it is the spoke link's business
    /// ([`Design::uses_remote_gateway_effectively`]).
    ///
    /// ```
    /// use vnetlab::model::{Design, Peering};
    /// let mut d = Design::example_pair();
    /// d.peerings.push(Peering::new("a-to-b", "a", "b"));
    /// assert!(!d.gateway_transit_on("a"));
    /// d.peerings[0].allow_gateway_transit = true;
    /// assert!(d.gateway_transit_on("a") && !d.gateway_transit_on("b"));
    /// ```
    pub fn gateway_transit_on(&self, vnet: &str) -> bool {
        self.peerings
            .iter()
            .any(|p| p.local == vnet && p.allow_gateway_transit)
    }
}

/// V1: for a whole-VNet peering, any range of one VNet overlapping any range of the other. For a
/// subnet-level peering (how-to-configure-subnet-peering, "Subnet peering checks and
/// limitations"), only the ranges that hold a peered subnet count, each against every range of
/// the other VNet: VNets that overlap outside the peered subnets' ranges may peer those subnets,
/// but a peered subnet in an overlapping range is refused (the doc's A–C example: A's subnets in
/// 10.1.0.0/16 cannot peer with C, which also has 10.1.0.0/16, while A's subnet in 10.0.0.0/16
/// can peer with C's subnet in 10.6.0.0/16). This is the named reading *V1 for subnet peering*
/// (README, "Readings of Azure's documentation").
fn overlap_violation(peering: &Peering, local: &Vnet, remote: &Vnet) -> Option<PeeringViolation> {
    if !peering.is_subnet_peering() {
        return first_overlap(&local.address_space, &remote.address_space)
            .map(|(a, b)| PeeringViolation::Overlap(a, b));
    }
    [
        (local, remote, &peering.local_subnets),
        (remote, local, &peering.remote_subnets),
    ]
    .into_iter()
    .find_map(|(own, other, listed)| {
        own.subnets
            .iter()
            .filter(|s| listed.contains(&s.name))
            .find_map(|subnet| {
                let range = own
                    .address_space
                    .iter()
                    .find(|r| subnet.prefixes().any(|p| overlaps(r, p)))?;
                let clash = other.address_space.iter().find(|o| overlaps(range, o))?;
                Some(PeeringViolation::SubnetRangeOverlap {
                    subnet: format!("{}/{}", own.name, subnet.name),
                    range: *range,
                    other: *clash,
                })
            })
    })
}

/// The first pair (in the order of `local`, then of `remote`) of prefixes that overlap. Small
/// spaces are compared pair by pair; large ones through a [`PrefixIndex`], so two VNets with
/// many prefixes each are not compared all pairs.
fn first_overlap(local: &[Ipv4Net], remote: &[Ipv4Net]) -> Option<(Ipv4Net, Ipv4Net)> {
    const PAIRWISE: usize = 256;
    if local.len().saturating_mul(remote.len()) <= PAIRWISE {
        return local
            .iter()
            .flat_map(|a| remote.iter().map(move |b| (*a, *b)))
            .find(|(a, b)| overlaps(a, b));
    }
    let index = PrefixIndex::new(remote);
    local
        .iter()
        .find_map(|a| index.first_overlapping(a).map(|j| (*a, remote[j])))
}

/// Every rule of azure-semantics.md §1.6 `peering` breaks, looking names up through `lookup`
/// (a scan of the design for one question, or a [`PeeringIndex`](super::PeeringIndex) for all).
pub(super) fn violations_with<'a>(
    design: &'a Design,
    peering: &Peering,
    lookup: &impl PeeringLookup<'a>,
) -> Vec<PeeringViolation> {
    let mut found = Vec::new();
    let (Some(local), Some(remote)) = (lookup.vnet(&peering.local), lookup.vnet(&peering.remote))
    else {
        return found;
    };
    if let Some(overlap) = overlap_violation(peering, local, remote) {
        found.push(overlap);
    }
    let (local_cloud, remote_cloud) = (local.region.cloud(), remote.region.cloud());
    if local_cloud != remote_cloud {
        found.push(PeeringViolation::CrossCloud(local_cloud, remote_cloud));
    } else if local_cloud == Cloud::UsGovernment
        && local.region != remote.region
        && design.assumptions.gov_global_peering == GovGlobalPeering::Forbidden
    {
        found.push(PeeringViolation::GovGlobalPeering);
    }
    if local.deployment == DeploymentModel::Classic && remote.deployment == DeploymentModel::Classic
    {
        found.push(PeeringViolation::ClassicToClassic);
    }
    let has_gateway = |vnet: &str| lookup.has_gateway(vnet);
    // "Use the remote virtual network's gateway or Route Server": a Route Server counts as
    // something to share (route-server-faq.md, "Does Azure Route Server support virtual
    // network peering?").
    let shares = |vnet: &str| has_gateway(vnet) || lookup.has_valid_route_server(vnet);
    if peering.use_remote_gateways {
        if has_gateway(&local.name) {
            found.push(PeeringViolation::UseRemoteGatewaysWithOwnGateway);
        }
        if !shares(&remote.name) {
            found.push(PeeringViolation::RemoteVnetHasNoGateways);
        }
        let others = lookup.other_remote_gateway_users(peering);
        if !others.is_empty() {
            found.push(PeeringViolation::UseRemoteGatewaysOnSeveralPeerings(others));
        }
        if !lookup
            .reverse(peering)
            .is_some_and(|r| r.allow_gateway_transit)
        {
            found.push(PeeringViolation::RemoteGatewayWithoutTransit);
        }
        if let Some(basic) = lookup.basic_vpn_gateway(&remote.name) {
            found.push(PeeringViolation::TransitWithBasicGateway(
                basic.name.clone(),
            ));
        }
    }
    if peering.allow_gateway_transit {
        if !shares(&local.name) {
            found.push(PeeringViolation::TransitWithoutGateway);
        } else if let Some(basic) = lookup
            .basic_vpn_gateway(&local.name)
            .filter(|_| !peering.use_remote_gateways)
        {
            found.push(PeeringViolation::TransitWithBasicGateway(
                basic.name.clone(),
            ));
        }
    }
    found
}
