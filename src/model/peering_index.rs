//! Every peering's derived facts (its reverse link, `peeringState`, `peeringSyncLevel` and the
//! §1.6 rules it breaks) computed for the whole design at once, with the names each fact needs
//! hashed once: a [`PeeringIndex`].
//!
//! The one-peering questions of [`Design`] ([`Design::peering_state`],
//! [`Design::sync_level`], [`Design::peering_violations`]) answer by scanning the design, which
//! is right for one question and quadratic for all of them; the session, the engine and lint
//! ask for all of them on every revision, so they build one index instead (linear in the
//! design) and share it. Both paths run the same rule code through [`PeeringLookup`], so they
//! cannot disagree; a test compares them on generated and hand-made designs. After an edit
//! of a few peerings, [`PeeringIndex::after`] answers again only the questions the edit can
//! have changed, with the scans, and keeps the other facts.

use super::rules::violations_with;
use super::{
    DeploymentModel, Design, Gateway, GatewayKind, Peering, PeeringState, PeeringViolation,
    SyncLevel, Vnet, same_space,
};
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// The lookups the peering rules need. Every answer is the one a scan of the design in design
/// order gives (the first VNet with a name, the first reverse link, the first Basic gateway).
pub(super) trait PeeringLookup<'a> {
    /// The first VNet named `name`.
    fn vnet(&self, name: &str) -> Option<&'a Vnet>;
    /// The first peering going the other way.
    fn reverse(&self, peering: &Peering) -> Option<&'a Peering>;
    /// Whether some gateway sits in `vnet`.
    fn has_gateway(&self, vnet: &str) -> bool;
    /// The first VPN gateway in `vnet` whose SKU cannot do transit.
    fn basic_vpn_gateway(&self, vnet: &str) -> Option<&'a Gateway>;
    /// Whether `vnet` holds a Route Server Azure accepts.
    fn has_valid_route_server(&self, vnet: &str) -> bool;
    /// The names of the other peerings of `peering.local` with `useRemoteGateways`, in design
    /// order.
    fn other_remote_gateway_users(&self, peering: &Peering) -> Vec<String>;
}

/// Answers by scanning the design: for one question.
pub(super) struct Scan<'a>(pub &'a Design);

impl<'a> PeeringLookup<'a> for Scan<'a> {
    fn vnet(&self, name: &str) -> Option<&'a Vnet> {
        self.0.vnet(name)
    }
    fn reverse(&self, peering: &Peering) -> Option<&'a Peering> {
        self.0
            .peerings
            .iter()
            .find(|p| p.local == peering.remote && p.remote == peering.local)
    }
    fn has_gateway(&self, vnet: &str) -> bool {
        self.0.gateways.iter().any(|g| g.vnet == vnet)
    }
    fn basic_vpn_gateway(&self, vnet: &str) -> Option<&'a Gateway> {
        self.0
            .gateways
            .iter()
            .find(|g| g.vnet == vnet && is_basic_vpn(g))
    }
    fn has_valid_route_server(&self, vnet: &str) -> bool {
        self.0.valid_route_server_in(vnet).is_some()
    }
    fn other_remote_gateway_users(&self, peering: &Peering) -> Vec<String> {
        self.0
            .peerings
            .iter()
            .filter(|p| p.local == peering.local && p.name != peering.name && p.use_remote_gateways)
            .map(|p| p.name.clone())
            .collect()
    }
}

fn is_basic_vpn(gateway: &Gateway) -> bool {
    gateway.kind == GatewayKind::Vpn && !gateway.sku.supports_transit()
}

/// Past this many changed peerings (or four times as many facts to find again),
/// [`PeeringIndex::after`] builds the index afresh: each refreshed fact scans the VNets and
/// peerings, so for many of them hashing every name once is cheaper. The limit is a round
/// number, not a measured crossover; a one-peering edit at 2 hubs × 1,000 spokes, measured,
/// takes 0.13 ms against 0.57 ms for the rebuild.
const PATCH_LIMIT: usize = 8;

/// The names the peering rules look up, hashed once (linear in the design).
struct Names<'a> {
    design: &'a Design,
    vnets: HashMap<&'a str, &'a Vnet>,
    links: HashMap<(&'a str, &'a str), usize>,
    gateways: HashMap<&'a str, bool>,
    basic: HashMap<&'a str, &'a Gateway>,
    route_servers: HashMap<&'a str, bool>,
    remote_gateway_users: HashMap<&'a str, Vec<&'a Peering>>,
}

impl<'a> Names<'a> {
    fn new(design: &'a Design) -> Self {
        let mut vnets = HashMap::default();
        for v in &design.vnets {
            vnets.entry(v.name.as_str()).or_insert(v);
        }
        let mut links = HashMap::default();
        let mut remote_gateway_users: HashMap<&str, Vec<&Peering>> = HashMap::default();
        for (i, p) in design.peerings.iter().enumerate() {
            links
                .entry((p.local.as_str(), p.remote.as_str()))
                .or_insert(i);
            if p.use_remote_gateways {
                remote_gateway_users
                    .entry(p.local.as_str())
                    .or_default()
                    .push(p);
            }
        }
        let mut gateways = HashMap::default();
        let mut basic = HashMap::default();
        for g in &design.gateways {
            gateways.insert(g.vnet.as_str(), true);
            if is_basic_vpn(g) {
                basic.entry(g.vnet.as_str()).or_insert(g);
            }
        }
        let mut route_servers = HashMap::default();
        for r in &design.route_servers {
            // Route Servers are few (one per VNet); validity is the design's own rule.
            if design.route_server_is_valid(r) {
                route_servers.insert(r.vnet.as_str(), true);
            }
        }
        Names {
            design,
            vnets,
            links,
            gateways,
            basic,
            route_servers,
            remote_gateway_users,
        }
    }

    fn reverse_index(&self, peering: &Peering) -> Option<usize> {
        self.links
            .get(&(peering.remote.as_str(), peering.local.as_str()))
            .copied()
    }
}

impl<'a> PeeringLookup<'a> for Names<'a> {
    fn vnet(&self, name: &str) -> Option<&'a Vnet> {
        self.vnets.get(name).copied()
    }
    fn reverse(&self, peering: &Peering) -> Option<&'a Peering> {
        self.reverse_index(peering)
            .map(|i| &self.design.peerings[i])
    }
    fn has_gateway(&self, vnet: &str) -> bool {
        self.gateways.contains_key(vnet)
    }
    fn basic_vpn_gateway(&self, vnet: &str) -> Option<&'a Gateway> {
        self.basic.get(vnet).copied()
    }
    fn has_valid_route_server(&self, vnet: &str) -> bool {
        self.route_servers.contains_key(vnet)
    }
    fn other_remote_gateway_users(&self, peering: &Peering) -> Vec<String> {
        self.remote_gateway_users
            .get(peering.local.as_str())
            .map(|users| {
                users
                    .iter()
                    .filter(|p| p.name != peering.name)
                    .map(|p| p.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// `peeringState` (azure-semantics.md §1.4); see [`Design::peering_state`].
pub(super) fn state_with<'a>(peering: &Peering, lookup: &impl PeeringLookup<'a>) -> PeeringState {
    if peering.disconnected {
        return PeeringState::Disconnected;
    }
    let remote_is_classic = lookup
        .vnet(&peering.remote)
        .is_some_and(|v| v.deployment == DeploymentModel::Classic);
    let local_is_arm = lookup
        .vnet(&peering.local)
        .is_some_and(|v| v.deployment == DeploymentModel::Arm);
    if remote_is_classic && local_is_arm {
        return PeeringState::Connected;
    }
    match lookup.reverse(peering) {
        Some(reverse) if !reverse.disconnected => PeeringState::Connected,
        _ => PeeringState::Initiated,
    }
}

/// What the link carries once in sync; see [`Design::current_remote_space`].
pub(super) fn current_space_with<'a>(
    peering: &'a Peering,
    lookup: &impl PeeringLookup<'a>,
) -> Cow<'a, [Ipv4Net]> {
    let Some(remote) = lookup.vnet(&peering.remote) else {
        return Cow::Borrowed(&[]);
    };
    if !peering.is_subnet_peering() {
        return Cow::Borrowed(&remote.address_space);
    }
    Cow::Owned(
        remote
            .subnets
            .iter()
            .filter(|s| peering.remote_subnets.contains(&s.name))
            .flat_map(|s| s.prefixes().copied())
            .collect(),
    )
}

/// Whether this link's copy of the remote space is stale; see [`Design::snapshot_is_stale`].
pub(super) fn stale_with<'a>(peering: &'a Peering, lookup: &impl PeeringLookup<'a>) -> bool {
    peering
        .remote_address_space
        .as_ref()
        .is_some_and(|snapshot| {
            lookup.vnet(&peering.remote).is_some()
                && !same_space(snapshot, &current_space_with(peering, lookup))
        })
}

/// `peeringSyncLevel`; see [`Design::sync_level`].
pub(super) fn sync_with<'a>(peering: &'a Peering, lookup: &impl PeeringLookup<'a>) -> SyncLevel {
    let local = stale_with(peering, lookup);
    let remote = lookup
        .reverse(peering)
        .is_some_and(|r| stale_with(r, lookup));
    match (local, remote) {
        (false, false) => SyncLevel::FullyInSync,
        (true, false) => SyncLevel::LocalNotInSync,
        (false, true) => SyncLevel::RemoteNotInSync,
        (true, true) => SyncLevel::LocalAndRemoteNotInSync,
    }
}

/// The derived facts of one peering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeeringFacts {
    /// The index in `design.peerings` of the first peering going the other way.
    pub reverse: Option<usize>,
    /// `peeringState`.
    pub state: PeeringState,
    /// `peeringSyncLevel`.
    pub sync: SyncLevel,
    /// Every §1.6 rule the peering breaks ([`Design::peering_violations`]).
    pub violations: Vec<PeeringViolation>,
}

impl PeeringFacts {
    /// Whether Azure accepts the peering at all (no violation invalidates it).
    pub fn accepted(&self) -> bool {
        !self
            .violations
            .iter()
            .any(PeeringViolation::invalidates_peering)
    }
}

/// Every peering's [`PeeringFacts`], in `design.peerings` order, built in one linear pass: what
/// the session, the engine and lint share for one revision.
///
/// ```
/// use vnetlab::model::{Design, Peering, PeeringIndex, PeeringState};
/// let mut d = Design::example_pair();
/// d.peerings.push(Peering::new("a-to-b", "a", "b"));
/// d.peerings.push(Peering::new("b-to-a", "b", "a"));
/// let index = PeeringIndex::new(&d);
/// assert_eq!(index.facts(0).unwrap().state, PeeringState::Connected);
/// assert_eq!(index.facts(0).unwrap().reverse, Some(1));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeeringIndex {
    facts: Vec<PeeringFacts>,
}

impl PeeringIndex {
    /// Whether two designs agree on everything a [`PeeringIndex`] reads: the VNets, peerings,
    /// gateways and Route Servers (shared lists, so a pointer comparison each when an edit left
    /// them alone) and the assumptions. An NSG or route-table edit keeps the facts.
    ///
    /// ```
    /// use vnetlab::model::{Design, PeeringIndex};
    /// let before = Design::example_pair();
    /// let mut after = before.clone();
    /// after.route_tables.clear();
    /// assert!(PeeringIndex::reads_same(&before, &after));
    /// after.vnets[0].name = "renamed".into();
    /// assert!(!PeeringIndex::reads_same(&before, &after));
    /// ```
    pub fn reads_same(old: &Design, new: &Design) -> bool {
        use super::SharedVec;
        SharedVec::equal(&old.vnets, &new.vnets)
            && SharedVec::equal(&old.peerings, &new.peerings)
            && SharedVec::equal(&old.gateways, &new.gateways)
            && SharedVec::equal(&old.route_servers, &new.route_servers)
            && old.assumptions == new.assumptions
    }

    /// The facts of every peering of `design`.
    pub fn new(design: &Design) -> Self {
        let names = Names::new(design);
        let facts = design
            .peerings
            .iter()
            .map(|p| PeeringFacts {
                reverse: names.reverse_index(p),
                state: state_with(p, &names),
                sync: sync_with(p, &names),
                violations: violations_with(design, p, &names),
            })
            .collect();
        PeeringIndex { facts }
    }

    /// The facts of `design`, given those of `before` (`previous`): when the edit between them
    /// changed a few peerings but none's name or ends, and left the VNets, gateways, Route
    /// Servers and assumptions shared, only the facts that can differ are found again (the
    /// changed peerings, the peerings going the other way, whose reverse they may be, and,
    /// when `useRemoteGateways` changed, the other peerings of its VNet); otherwise all of them,
    /// as [`PeeringIndex::new`]. Either way the result is [`PeeringIndex::new`]'s.
    ///
    /// Cost: one comparison per peering, then for each refreshed peering the scans of the
    /// one-peering questions (linear in the VNets and peerings), instead of hashing every name.
    ///
    /// ```
    /// use vnetlab::model::{Design, Peering, PeeringIndex, PeeringViolation};
    /// let mut before = Design::example_pair();
    /// before.peerings.push(Peering::new("a-to-b", "a", "b"));
    /// before.peerings.push(Peering::new("b-to-a", "b", "a"));
    /// let index = PeeringIndex::new(&before);
    /// let mut after = before.clone();
    /// after.peerings[0].use_remote_gateways = true;
    /// let patched = PeeringIndex::after(&before, &index, &after);
    /// assert_eq!(patched, PeeringIndex::new(&after));
    /// assert!(patched.facts(0).unwrap().violations.contains(&PeeringViolation::RemoteVnetHasNoGateways));
    /// ```
    pub fn after(before: &Design, previous: &PeeringIndex, design: &Design) -> Self {
        Self::patched(before, previous, design).unwrap_or_else(|| Self::new(design))
    }

    /// [`PeeringIndex::after`] when only a few peerings' facts need finding again.
    fn patched(before: &Design, previous: &PeeringIndex, design: &Design) -> Option<Self> {
        use super::SharedVec;
        let rest_shared = SharedVec::same(&before.vnets, &design.vnets)
            && SharedVec::same(&before.gateways, &design.gateways)
            && SharedVec::same(&before.route_servers, &design.route_servers)
            && before.assumptions == design.assumptions;
        if !rest_shared
            || before.peerings.len() != design.peerings.len()
            || previous.facts.len() != design.peerings.len()
        {
            return None;
        }
        let mut changed = Vec::new();
        for (k, (old, new)) in before
            .peerings
            .iter()
            .zip(design.peerings.iter())
            .enumerate()
        {
            if old == new {
                continue;
            }
            let same_ends =
                old.name == new.name && old.local == new.local && old.remote == new.remote;
            if !same_ends || changed.len() == PATCH_LIMIT {
                return None;
            }
            changed.push(k);
        }
        let mut refresh = changed.clone();
        for &k in &changed {
            let (old, new) = (&before.peerings[k], &design.peerings[k]);
            let gateways_changed = old.use_remote_gateways != new.use_remote_gateways;
            for (i, p) in design.peerings.iter().enumerate() {
                let reverse = p.local == new.remote && p.remote == new.local;
                if reverse || (gateways_changed && p.local == new.local) {
                    refresh.push(i);
                }
            }
            if refresh.len() > 4 * PATCH_LIMIT {
                return None;
            }
        }
        refresh.sort_unstable();
        refresh.dedup();
        let scan = Scan(design);
        let mut facts = previous.facts.clone();
        for i in refresh {
            let p = &design.peerings[i];
            // Names and ends are as before, so the reverse link is too.
            facts[i] = PeeringFacts {
                reverse: previous.facts[i].reverse,
                state: state_with(p, &scan),
                sync: sync_with(p, &scan),
                violations: violations_with(design, p, &scan),
            };
        }
        Some(PeeringIndex { facts })
    }

    /// The facts of peering number `index` of the design it was built from.
    pub fn facts(&self, index: usize) -> Option<&PeeringFacts> {
        self.facts.get(index)
    }

    /// Every peering's facts, in design order.
    pub fn all(&self) -> &[PeeringFacts] {
        &self.facts
    }
}
