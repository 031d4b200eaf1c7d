//! Compile stage 2, routing: the effective routes of every subnet as Azure computes them
//! (azure-semantics.md §2), the route view of each gateway, and what each gateway advertises to
//! its sites and point-to-site clients. Built from the design and the [`Index`] alone.
//!
//! Rows are looked up by longest prefix (`lookup`: small tables are scanned, large ones flattened
//! into ranges of addresses with one winning row). Losing routes stay in the table as `Invalid`
//! with a note, as `az network nic show-effective-route-table` shows them. Cost: per distinct
//! (VNet, route table, GatewaySubnet or not), linear in its routes (VNet ranges, peered spaces,
//! gateway prefixes, UDRs) plus a sort; the other subnets of a VNet get a copy. Contexts are
//! shared (`Arc`): after an edit of a table's routes or a peering's access flag, only the
//! contexts of the VNets that read them are built again ([`Routing::with_vnets_rebuilt`]); at
//! 2 hubs × 1,000 spokes that is a spoke's or a hub's few contexts of about 2,000.

mod advertised;
mod build;
mod effective;
mod lookup;

pub(crate) use build::{overrides_default_route, udr};
pub(crate) use effective::{effective_rows, next_hop_type};

use super::groups::{GroupHit, GroupTable};
use super::index::{Index, Learned};
use super::ix::{
    CtxIx, GatewayIx, NicIx, PeeringIx, RowIx, ServerIx, SiteIx, SubnetIx, TableIx, UdrIx, VnetIx,
};
use super::types::RouteSource;
use crate::model::{Design, GatewayKind};
use ipnet::Ipv4Net;
use lookup::Lookup;
use rustc_hash::FxHashMap;
use std::net::Ipv4Addr;
use std::sync::Arc;
use typed_index_collections::TiVec;

/// Where a route sends traffic, with the indexes the walk needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RouteHop {
    VnetLocal,
    /// Over this peering, into its remote VNet.
    Peering(PeeringIx, VnetIx),
    /// To a gateway that learned the prefix, and where the gateway sends it.
    Learned(GatewayIx, Learned),
    /// A UDR naming `VirtualNetworkGateway`; resolved during the walk.
    UdrGateway,
    /// A route a Route Server programs: to the announcing NVA at `ip` (shown as next hop type
    /// `VirtualNetworkGateway` with the NVA's address, as Azure's effective routes list it).
    Injected {
        server: ServerIx,
        peer: usize,
        ip: Ipv4Addr,
    },
    Appliance(Ipv4Addr),
    Internet,
    None,
}

/// The NIC that owns a `VirtualAppliance` next hop, and the peering crossed to reach it (when
/// it lives in a directly peered VNet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ApplianceAt {
    pub nic: NicIx,
    pub via: Option<PeeringIx>,
}

/// One row of a context's route table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RouteRow {
    pub prefix: Ipv4Net,
    pub source: RouteSource,
    pub hop: RouteHop,
    /// The user route this row is (user routes only).
    pub udr: Option<UdrIx>,
    pub active: bool,
    pub note: Option<String>,
    /// For `VirtualAppliance` rows: the NIC owning the address in this VNet or a usable peer.
    pub appliance: Option<ApplianceAt>,
}

impl RouteRow {
    /// Whether this is a system route for the VNet itself or a peering (they beat gateway routes).
    fn is_vnet_or_peering(&self) -> bool {
        self.source == RouteSource::Default
            && matches!(self.hop, RouteHop::VnetLocal | RouteHop::Peering(..))
    }
}

/// The routing view of one subnet (or of a gateway VNet without a `GatewaySubnet`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RouteContext {
    pub vnet: VnetIx,
    pub subnet: Option<SubnetIx>,
    pub table: Option<TableIx>,
    pub rows: TiVec<RowIx, RouteRow>,
    /// The active rows by longest prefix.
    lookup: Lookup,
    /// Content of the `VirtualNetwork` service tag in this context (§3.4), besides the
    /// connected groups' members.
    pub vnet_tag: Vec<Ipv4Net>,
    /// The AVNM connected groups of this VNet (shared tables, see `groups`).
    pub groups: Vec<Arc<GroupTable>>,
    /// The VNets this VNet reaches over a usable peering of its own: their connected-group
    /// routes give way to the peering's.
    pub peered: Vec<VnetIx>,
}

/// What a route lookup found: a row of the context's table, or a connected group's route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Hit {
    Row(RowIx),
    /// A connected group's route (next hop `ConnectedGroup`): `table` indexes `groups`.
    Group {
        table: usize,
        hit: GroupHit,
    },
}

impl RouteContext {
    /// The active route for `ip`: the row by longest prefix, or a connected group's route when
    /// it wins. A connected-group route is a system route, like a peering's: a longer prefix
    /// wins, a user route of the same length wins, a VNet or peering route of the same length
    /// wins, and it beats gateway (BGP) routes even when they are more specific (DERIVED: the
    /// peering rule of §2.5 applied to connected groups, which connect "just like manually
    /// connected virtual networks").
    pub fn route_for(&self, ip: Ipv4Addr) -> Option<Hit> {
        let row = self.row_for(ip);
        let group = self.group_for(ip);
        let Some((table, hit)) = group else {
            return row.map(Hit::Row);
        };
        let Some(r) = row else {
            return Some(Hit::Group { table, hit });
        };
        let winner = &self.rows[r];
        let (row_len, group_len) = (winner.prefix.prefix_len(), hit.prefix().prefix_len());
        let row_wins = match winner.source {
            RouteSource::User => row_len >= group_len,
            RouteSource::VirtualNetworkGateway => false,
            RouteSource::Default => {
                row_len > group_len || (row_len == group_len && winner.is_vnet_or_peering())
            }
        };
        Some(if row_wins {
            Hit::Row(r)
        } else {
            Hit::Group { table, hit }
        })
    }

    /// The longest connected-group route for `ip`, over this VNet's groups.
    fn group_for(&self, ip: Ipv4Addr) -> Option<(usize, GroupHit)> {
        self.groups
            .iter()
            .enumerate()
            .filter_map(|(i, table)| {
                let hit = table.lookup(ip, self.vnet, |m| self.peered.contains(&m))?;
                Some((i, hit))
            })
            .max_by_key(|(_, hit)| hit.prefix().prefix_len())
    }

    /// The active row for `ip`, by longest prefix.
    pub fn row_for(&self, ip: Ipv4Addr) -> Option<RowIx> {
        self.lookup.row_for(ip)
    }

    /// Whether `ip` is inside this context's `VirtualNetwork` tag (its prefixes, or the space
    /// of another member of one of its connected groups).
    pub fn in_vnet_tag(&self, ip: Ipv4Addr) -> bool {
        self.vnet_tag.iter().any(|n| n.contains(&ip))
            || self.groups.iter().any(|g| g.holds(ip, self.vnet))
    }
}

/// Compile stage 2: route contexts and gateway advertisements.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Routing {
    /// One per subnet (in [`SubnetIx`] order), then one per gateway VNet lacking a
    /// `GatewaySubnet`.
    /// Each shared (`Arc`), so a revision that rebuilds a few VNets' contexts
    /// ([`Routing::with_vnets_rebuilt`]) shares the others, and comparing an unchanged one
    /// is a pointer comparison.
    pub contexts: TiVec<CtxIx, Arc<RouteContext>>,
    /// Per gateway: the context it forwards from (its VNet's `GatewaySubnet`).
    pub gateway_ctx: TiVec<GatewayIx, Option<CtxIx>>,
    /// What each gateway advertises to P2S clients (`None`) and to each connected site.
    advertised_to: FxHashMap<(GatewayIx, Option<SiteIx>), Vec<Ipv4Net>>,
}

impl Routing {
    /// Stage 2 of compiling `design`.
    pub fn new(design: &Design, index: &Index) -> Self {
        let mut contexts: TiVec<CtxIx, Arc<RouteContext>> =
            TiVec::with_capacity(index.subnets.len());
        let mut builder = Builder::default();
        for (s, info) in index.subnets.iter_enumerated() {
            contexts.push(builder.subnet_context(design, index, &contexts, s, info));
        }
        let mut gateway_ctx: TiVec<GatewayIx, Option<CtxIx>> =
            vec![None; design.gateways.len()].into();
        let mut synthetic: FxHashMap<VnetIx, CtxIx> = FxHashMap::default();
        for (g, vnet) in index.gateway_vnet.iter_enumerated() {
            let Some(v) = *vnet else { continue };
            let own = index
                .subnets
                .iter_enumerated()
                .find(|(_, info)| info.vnet == v && info.gateway_subnet)
                .map(|(s, _)| Self::of_subnet(s));
            gateway_ctx[g] = Some(match own {
                Some(ctx) => ctx,
                None => *synthetic.entry(v).or_insert_with(|| {
                    contexts.push_and_get_key(Arc::new(build::context(design, index, v, None)))
                }),
            });
        }
        let advertised_to = advertised::all(design, index);
        Routing {
            contexts,
            gateway_ctx,
            advertised_to,
        }
    }

    /// This routing, built from an earlier revision, with the contexts of the VNets marked in
    /// `vnets` (by [`VnetIx`]) built again from `design` and `index`; every other context is
    /// shared. Sound only when nothing else `Routing::new` reads differs between the two
    /// revisions (the caller's `rebuilt_vnets` in `compile`): the same subnets, gateways and
    /// advertisements, so the same contexts in the same order.
    pub fn with_vnets_rebuilt(&self, design: &Design, index: &Index, vnets: &[bool]) -> Self {
        let marked = |v: VnetIx| vnets.get(usize::from(v)).copied().unwrap_or(false);
        let mut contexts = self.contexts.clone();
        let mut builder = Builder::default();
        for (s, info) in index.subnets.iter_enumerated() {
            if marked(info.vnet) {
                contexts[Self::of_subnet(s)] =
                    builder.subnet_context(design, index, &contexts, s, info);
            }
        }
        // The contexts of gateway VNets without a `GatewaySubnet` follow the subnets'.
        for ctx in contexts.iter_mut().skip(index.subnets.len()) {
            if marked(ctx.vnet) {
                *ctx = Arc::new(build::context(design, index, ctx.vnet, None));
            }
        }
        Routing {
            contexts,
            gateway_ctx: self.gateway_ctx.clone(),
            advertised_to: self.advertised_to.clone(),
        }
    }

    /// The route context of a subnet: contexts start with one per subnet, in the same order.
    pub fn of_subnet(subnet: SubnetIx) -> CtxIx {
        CtxIx::from(usize::from(subnet))
    }

    /// Whether gateway `g` advertises `ip` to the site (or, with `None`, to its P2S clients).
    pub fn advertises(&self, g: GatewayIx, site: Option<SiteIx>, ip: Ipv4Addr) -> bool {
        self.advertised_to
            .get(&(g, site))
            .is_some_and(|prefixes| prefixes.iter().any(|p| p.contains(&ip)))
    }

    /// Whether two routings agree on everything but the contents of their route contexts
    /// (which the walk reads through a recorded accessor, `footprint`): as many contexts, the
    /// same gateway contexts and advertisements.
    pub fn same_outside_contexts(&self, other: &Routing) -> bool {
        if std::ptr::eq(self, other) {
            return true;
        }
        let Routing {
            contexts,
            gateway_ctx,
            advertised_to,
        } = self;
        contexts.len() == other.contexts.len()
            && *gateway_ctx == other.gateway_ctx
            && *advertised_to == other.advertised_to
    }
}

/// Builds subnet contexts in subnet order. A subnet's context depends on the subnet only
/// through its route table and whether it is the `GatewaySubnet` (`build::context`): the other
/// subnets of a VNet with the same two get a copy of the first one's.
#[derive(Default)]
struct Builder {
    first: FxHashMap<(VnetIx, Option<TableIx>, bool), SubnetIx>,
}

impl Builder {
    /// The context of subnet `s`, copied from an earlier subnet's in `contexts` built by this
    /// builder when they share a key.
    fn subnet_context(
        &mut self,
        design: &Design,
        index: &Index,
        contexts: &TiVec<CtxIx, Arc<RouteContext>>,
        s: SubnetIx,
        info: &super::index::SubnetInfo,
    ) -> Arc<RouteContext> {
        let key = (info.vnet, info.table, info.gateway_subnet);
        match self.first.get(&key) {
            Some(&earlier) => {
                let mut copy = RouteContext::clone(&contexts[Routing::of_subnet(earlier)]);
                copy.subnet = Some(s);
                Arc::new(copy)
            }
            None => {
                self.first.insert(key, s);
                Arc::new(build::context(design, index, info.vnet, Some(s)))
            }
        }
    }
}

/// The VPN gateway a `VirtualNetworkGateway` UDR in VNet `v` resolves to, if any: its own, or
/// its hub's through gateway transit (an ExpressRoute gateway cannot be a UDR next hop, §2.3).
pub(crate) fn udr_gateway(design: &Design, index: &Index, v: VnetIx) -> Option<GatewayIx> {
    index
        .serving_gateways(v)
        .iter()
        .copied()
        .find(|&g| design.gateways[usize::from(g)].kind == GatewayKind::Vpn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke};
    use crate::model::{NextHop, PeeringIndex, Route, RouteTable};

    /// Every subnet's context, built or copied from a sibling's, equals one built for it
    /// alone; here `spoke1`'s third subnet has a table of its own and the hub's subnets differ
    /// in table and in being the `GatewaySubnet`.
    #[test]
    fn copied_contexts_equal_built_ones() {
        let mut design = hub_spoke(&HubSpokeParams {
            hubs: 1,
            spokes: 2,
            subnets_per_spoke: 3,
            vms_per_subnet: 1,
        })
        .expect("valid counts");
        let mut own = RouteTable::new("rt-own");
        own.routes.push(Route {
            name: "drop-partner".into(),
            prefix: "172.16.0.0/12".parse().expect("a CIDR"),
            next_hop: NextHop::None,
        });
        design.route_tables.push(own);
        let spoke1 = design
            .vnets
            .iter_mut()
            .find(|v| v.name == "spoke1")
            .expect("generated");
        spoke1.subnets[2].route_table = Some("rt-own".into());
        assert!(design.validate().is_empty());
        let facts = PeeringIndex::new(&design);
        let index = Index::new(&design, &facts);
        let routing = Routing::new(&design, &index);
        for (s, info) in index.subnets.iter_enumerated() {
            let built = build::context(&design, &index, info.vnet, Some(s));
            assert_eq!(
                *routing.contexts[Routing::of_subnet(s)],
                built,
                "{}",
                info.name
            );
        }
        // The copies are real: spoke1's first two subnets share a table, its third does not.
        let context = |name: &str| {
            let s = index
                .subnets
                .iter_enumerated()
                .find(|(_, info)| info.name == name)
                .map(|(s, _)| s)
                .expect("generated");
            &routing.contexts[Routing::of_subnet(s)]
        };
        assert_eq!(context("spoke1/snet1").rows, context("spoke1/snet2").rows);
        assert_ne!(context("spoke1/snet1").rows, context("spoke1/snet3").rows);
    }
}
