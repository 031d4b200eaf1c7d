//! Compile stage 2, routing: the effective routes of every subnet as Azure computes them
//! (azure-semantics.md §2), the route view of each gateway, and what each gateway advertises to
//! its sites and point-to-site clients. Built from the design and the [`Index`] alone.
//!
//! Rows are looked up by longest prefix: small tables are scanned, large ones are searched per
//! prefix length. Losing routes stay in the table as `Invalid` with a note, as
//! `az network nic show-effective-route-table` shows them. Cost: per subnet, linear in its
//! routes (VNet ranges, peered spaces, gateway prefixes, UDRs) plus a sort.

mod advertised;
mod build;
mod effective;

pub(crate) use build::{overrides_default_route, udr};
pub(crate) use effective::{effective_rows, next_hop_type};

use super::index::{Index, Learned};
use super::ix::{
    CtxIx, GatewayIx, NicIx, PeeringIx, RowIx, SiteIx, SubnetIx, TableIx, UdrIx, VnetIx,
};
use super::types::RouteSource;
use crate::model::{Design, GatewayKind};
use ipnet::Ipv4Net;
use std::collections::HashMap;
use std::net::Ipv4Addr;
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
#[derive(Debug, Clone)]
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

/// Tables with at most this many active routes are scanned linearly (faster than hashing).
const SCAN_LIMIT: usize = 24;

/// The routing view of one subnet (or of a gateway VNet without a `GatewaySubnet`).
#[derive(Debug, Clone)]
pub(crate) struct RouteContext {
    pub vnet: VnetIx,
    pub subnet: Option<SubnetIx>,
    pub table: Option<TableIx>,
    pub rows: TiVec<RowIx, RouteRow>,
    /// Active rows of large tables: per prefix length (longest first) the sorted networks.
    by_length: Vec<(u32, Vec<(u32, RowIx)>)>,
    /// Active rows as (network, mask, row), longest prefix first (small tables scan this).
    scan: Vec<(u32, u32, RowIx)>,
    /// Content of the `VirtualNetwork` service tag in this context (§3.4).
    pub vnet_tag: Vec<Ipv4Net>,
}

impl RouteContext {
    /// The active route for `ip`, by longest prefix.
    pub fn route_for(&self, ip: Ipv4Addr) -> Option<RowIx> {
        let bits = u32::from(ip);
        if self.scan.len() <= SCAN_LIMIT {
            return self
                .scan
                .iter()
                .find(|(net, mask, _)| bits & mask == *net)
                .map(|(_, _, row)| *row);
        }
        self.by_length.iter().find_map(|(mask, nets)| {
            let key = bits & mask;
            nets.binary_search_by_key(&key, |(net, _)| *net)
                .ok()
                .map(|i| nets[i].1)
        })
    }

    /// Whether `ip` is inside this context's `VirtualNetwork` tag.
    pub fn in_vnet_tag(&self, ip: Ipv4Addr) -> bool {
        self.vnet_tag.iter().any(|n| n.contains(&ip))
    }
}

/// Compile stage 2: route contexts and gateway advertisements.
#[derive(Debug, Clone)]
pub(crate) struct Routing {
    /// One per subnet (in [`SubnetIx`] order), then one per gateway VNet lacking a
    /// `GatewaySubnet`.
    pub contexts: TiVec<CtxIx, RouteContext>,
    /// Per gateway: the context it forwards from (its VNet's `GatewaySubnet`).
    pub gateway_ctx: TiVec<GatewayIx, Option<CtxIx>>,
    /// What each gateway advertises to P2S clients (`None`) and to each connected site.
    advertised_to: HashMap<(GatewayIx, Option<SiteIx>), Vec<Ipv4Net>>,
}

impl Routing {
    /// Stage 2 of compiling `design`.
    pub fn new(design: &Design, index: &Index) -> Self {
        let mut contexts: TiVec<CtxIx, RouteContext> = index
            .subnets
            .iter_enumerated()
            .map(|(s, info)| build::context(design, index, info.vnet, Some(s)))
            .collect();
        let mut gateway_ctx: TiVec<GatewayIx, Option<CtxIx>> =
            vec![None; design.gateways.len()].into();
        let mut synthetic: HashMap<VnetIx, CtxIx> = HashMap::new();
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
                    contexts.push_and_get_key(build::context(design, index, v, None))
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
