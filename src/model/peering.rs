//! VNet peerings: directional links, their four flags, and the state and sync level Azure
//! derives from the pair (azure-semantics.md §1.4–§1.5).

use super::address::opt_cidrs;
use super::peering_index::{
    PeeringLookup, Scan, current_space_with, stale_with, state_with, sync_with,
};
use super::{Design, NextHop, PeeringFlag, PeeringViolation, plan};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// One *directional* peering resource, owned by the local VNet, as in Azure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peering {
    /// Unique name of the peering in the design.
    pub name: String,
    /// The VNet that owns this peering resource.
    pub local: String,
    /// The VNet it points to.
    pub remote: String,
    /// `allowVirtualNetworkAccess`: traffic between the two VNets is allowed by default.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub allow_virtual_network_access: bool,
    /// `allowForwardedTraffic`: accept traffic forwarded by an appliance in the remote VNet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_forwarded_traffic: bool,
    /// `allowGatewayTransit`: the remote VNet may use the local VNet's gateway.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_gateway_transit: bool,
    /// `useRemoteGateways`: the local VNet uses the remote VNet's gateway.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub use_remote_gateways: bool,
    /// The remote address space as last synced (`remoteAddressSpace`); absent means in sync
    /// with the remote VNet's current space.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_cidrs")]
    pub remote_address_space: Option<Vec<Ipv4Net>>,
    /// Set when the reverse link was deleted after the pair had connected. A disconnected link
    /// stays so until it is deleted and recreated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disconnected: bool,
    /// `localSubnetNames` of a subnet-level peering (§1.9): the local subnets taking part.
    /// Empty together with `remote_subnets` means a whole-VNet peering (`peerCompleteVnets`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_subnets: Vec<String>,
    /// `remoteSubnetNames` of a subnet-level peering: the remote subnets whose prefixes this
    /// link carries routes for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_subnets: Vec<String>,
    /// Set only on a link Azure has without a peering object in the design (the classic side
    /// of an ARM-to-classic peering, an AVNM hub-and-spoke peering), which the engine adds to
    /// the design it evaluates ([`Design::derived_peerings`]); never read from or written to a
    /// file.
    #[serde(skip)]
    pub derived: Option<super::Derived>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Peering {
    /// A link with Azure's defaults: access allowed, the other three flags off.
    pub fn new(
        name: impl Into<String>,
        local: impl Into<String>,
        remote: impl Into<String>,
    ) -> Self {
        Peering {
            name: name.into(),
            local: local.into(),
            remote: remote.into(),
            allow_virtual_network_access: true,
            allow_forwarded_traffic: false,
            allow_gateway_transit: false,
            use_remote_gateways: false,
            remote_address_space: None,
            disconnected: false,
            local_subnets: Vec::new(),
            remote_subnets: Vec::new(),
            derived: None,
        }
    }

    /// Whether this is a subnet-level peering (`peerCompleteVnets` false): it lists subnets.
    pub fn is_subnet_peering(&self) -> bool {
        !self.local_subnets.is_empty() || !self.remote_subnets.is_empty()
    }

    /// Whether local subnet `subnet` takes part in this link (always so for a whole-VNet link).
    pub fn includes_local_subnet(&self, subnet: &str) -> bool {
        !self.is_subnet_peering() || self.local_subnets.iter().any(|s| s == subnet)
    }

    /// The conventional name of a link: `local-to-remote`.
    pub fn default_name(local: &str, remote: &str) -> String {
        format!("{local}-to-{remote}")
    }

    /// The link the other way (remote → local) that completes this one the way Azure needs it.
    /// This is the one rule for "create the reverse peering", whoever asks (the TUI's `r`, lint's
    /// and the engine's fixes):
    ///
    /// - its name is `remote-to-local`, numbered when taken ([`plan::unique_name`]);
    /// - virtual network access is as on this link;
    /// - forwarded traffic is allowed when this link allows it, or when the pair carries an
    ///   appliance path: a route of the design sends traffic to an appliance address inside this
    ///   link's local VNet, whose forwarded packets the reverse link must then accept;
    /// - a hub side that allows gateway transit gets a spoke side that uses remote gateways, and
    ///   a spoke side that uses remote gateways gets a hub side that allows transit, each only
    ///   when the new link with that setting breaks none of V4–V9 (a VNet with its own gateway,
    ///   no gateway to share, a Basic gateway, a VNet already using another gateway), so the
    ///   new link never carries a setting Azure refuses or ignores;
    /// - a subnet-level link gets the same subnets mirrored (its local subnets are this link's
    ///   remote ones), as the two sides of one subnet peering must list (V13);
    /// - it is in sync and connected (no address-space snapshot, not disconnected).
    ///
    /// ```
    /// use vnetlab::model::{Design, Peering};
    /// let mut d = Design::example_pair();
    /// let mut link = Peering::new("a-to-b", "a", "b");
    /// link.allow_forwarded_traffic = true;
    /// link.allow_gateway_transit = true; // but `a` has no gateway to share
    /// d.peerings.push(link.clone());
    /// let back = link.reverse_for(&d);
    /// assert_eq!((back.name.as_str(), back.local.as_str(), back.remote.as_str()), ("b-to-a", "b", "a"));
    /// assert!(back.allow_forwarded_traffic);
    /// assert!(!back.use_remote_gateways);
    /// ```
    pub fn reverse_for(&self, design: &Design) -> Peering {
        let name = plan::unique_name(&Peering::default_name(&self.remote, &self.local), |n| {
            design.peering(n).is_some()
        });
        let mut back = Peering::new(name, &self.remote, &self.local);
        back.allow_virtual_network_access = self.allow_virtual_network_access;
        back.allow_forwarded_traffic =
            self.allow_forwarded_traffic || design.routes_to_appliance_in(&self.local);
        back.local_subnets = self.remote_subnets.clone();
        back.remote_subnets = self.local_subnets.clone();
        // Each gateway setting is tried alone on the new link and kept only if it breaks none of
        // V4–V9 (violations that invalidate the whole link, V1–V3, are not the setting's doing).
        let base = back.clone();
        let valid_with = |flag: PeeringFlag| {
            let mut candidate = base.clone();
            flag.set(&mut candidate, true);
            design
                .peering_violations(&candidate)
                .iter()
                .all(PeeringViolation::invalidates_peering)
        };
        back.use_remote_gateways =
            self.allow_gateway_transit && valid_with(PeeringFlag::UseRemoteGateways);
        back.allow_gateway_transit =
            self.use_remote_gateways && valid_with(PeeringFlag::AllowGatewayTransit);
        back
    }

    /// This link as it is after being deleted and created again: the same settings, in sync
    /// (no address-space snapshot) and no longer marked disconnected. Azure cannot reconnect a
    /// Disconnected link; deleting and recreating it is the repair (azure-semantics.md §1.4).
    pub fn recreated(&self) -> Peering {
        Peering {
            disconnected: false,
            remote_address_space: None,
            ..self.clone()
        }
    }
}

/// `peeringState` as Azure reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeeringState {
    /// Only this side exists: no traffic flows.
    Initiated,
    /// Both sides exist (or the remote VNet is classic): traffic can flow.
    Connected,
    /// The other side was deleted after the pair connected: delete this side and recreate both.
    Disconnected,
}

impl fmt::Display for PeeringState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PeeringState::Initiated => "Initiated",
            PeeringState::Connected => "Connected",
            PeeringState::Disconnected => "Disconnected",
        })
    }
}

/// `peeringSyncLevel` as Azure reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SyncLevel {
    /// Both sides know each other's current address space.
    FullyInSync,
    /// This side's copy of the remote space is stale: run sync on this peering.
    LocalNotInSync,
    /// The other side's copy of this VNet's space is stale: run sync on the other peering.
    RemoteNotInSync,
    /// Both copies are stale.
    LocalAndRemoteNotInSync,
}

impl fmt::Display for SyncLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SyncLevel::FullyInSync => "FullyInSync",
            SyncLevel::LocalNotInSync => "LocalNotInSync",
            SyncLevel::RemoteNotInSync => "RemoteNotInSync",
            SyncLevel::LocalAndRemoteNotInSync => "LocalAndRemoteNotInSync",
        })
    }
}

impl Design {
    /// The peering going the other way (remote → local), if it exists.
    pub fn reverse_peering(&self, peering: &Peering) -> Option<&Peering> {
        Scan(self).reverse(peering)
    }

    /// Whether some route of the design sends traffic to an appliance address inside `vnet`'s
    /// address space: traffic then reaches other VNets forwarded by that appliance.
    pub fn routes_to_appliance_in(&self, vnet: &str) -> bool {
        let Some(vnet) = self.vnet(vnet) else {
            return false;
        };
        self.route_tables
            .iter()
            .flat_map(|t| t.routes.iter())
            .any(|r| matches!(r.next_hop, NextHop::VirtualAppliance(ip) if vnet.contains(ip)))
    }

    /// The peering from `local` to `remote`, if it exists.
    pub fn peering_between(&self, local: &str, remote: &str) -> Option<&Peering> {
        self.peerings
            .iter()
            .find(|p| p.local == local && p.remote == remote)
    }

    /// Derives `peeringState` (azure-semantics.md §1.4):
    /// marked disconnected → `Disconnected`; the reverse link exists and is not itself
    /// disconnected, or the remote VNet is classic (only the ARM side is configured) →
    /// `Connected`; otherwise `Initiated`.
    ///
    /// ```
    /// use vnetlab::model::{Design, Peering, PeeringState};
    /// let mut d = Design::example_pair();
    /// d.peerings.push(Peering::new("a-to-b", "a", "b"));
    /// assert_eq!(d.peering_state(&d.peerings[0]), PeeringState::Initiated);
    /// d.peerings.push(Peering::new("b-to-a", "b", "a"));
    /// assert_eq!(d.peering_state(&d.peerings[0]), PeeringState::Connected);
    /// ```
    pub fn peering_state(&self, peering: &Peering) -> PeeringState {
        state_with(peering, &Scan(self))
    }

    /// The remote prefixes this peering carries routes for: the synced snapshot
    /// (`remoteAddressSpace`) when it holds one, else [`Design::current_remote_space`].
    pub fn peered_remote_space<'a>(&'a self, peering: &'a Peering) -> Cow<'a, [Ipv4Net]> {
        match &peering.remote_address_space {
            Some(snapshot) => Cow::Borrowed(snapshot),
            None => self.current_remote_space(peering),
        }
    }

    /// What the link carries once in sync: the remote VNet's current address space, or, for a
    /// subnet-level peering, the current prefixes of the listed remote subnets (only those are
    /// peered, §1.9; real exports show a subnet peering `FullyInSync` with its address-space
    /// fields equal to the peered subnets).
    pub fn current_remote_space<'a>(&'a self, peering: &'a Peering) -> Cow<'a, [Ipv4Net]> {
        current_space_with(peering, &Scan(self))
    }

    /// Whether this link's copy of the remote space is stale: it holds a snapshot that differs
    /// from [`Design::current_remote_space`].
    pub fn snapshot_is_stale(&self, peering: &Peering) -> bool {
        stale_with(peering, &Scan(self))
    }

    /// Derives `peeringSyncLevel`: this side is stale when its snapshot differs from what the
    /// link carries in sync ([`Design::current_remote_space`]); the remote side is stale when
    /// the reverse link's snapshot is (the Azure PowerShell sync test in azure-semantics.md
    /// §1.4). A subnet-level peering compares the peered subnets, not the whole VNets.
    ///
    /// ```
    /// use vnetlab::model::{Design, Peering, SyncLevel};
    /// let mut d = Design::example_pair();
    /// let mut link = Peering::new("a-to-b", "a", "b");
    /// link.local_subnets = vec!["default".into()];
    /// link.remote_subnets = vec!["default".into()];
    /// // As exported: the snapshot is the peered subnet, not b's whole space.
    /// link.remote_address_space = Some(vec!["10.2.1.0/24".parse().unwrap()]);
    /// d.peerings.push(link);
    /// assert_eq!(d.sync_level(&d.peerings[0]), SyncLevel::FullyInSync);
    /// ```
    pub fn sync_level(&self, peering: &Peering) -> SyncLevel {
        sync_with(peering, &Scan(self))
    }
}

/// Whether two address spaces hold the same prefixes, in any order.
pub fn same_space(a: &[Ipv4Net], b: &[Ipv4Net]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}
