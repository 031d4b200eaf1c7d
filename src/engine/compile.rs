//! Compile: turn a name-referenced design into index tables the walk can use without string
//! lookups, and derive once what every walk needs (peering facts, gateway transit, gateway
//! learned prefixes, route contexts). Dangling references are skipped, never unwrapped: the
//! engine answers for any design, even one that would not validate.

use super::nsg::{CompiledNsg, compile_nsg};
use super::routes::{RouteContext, build_context};
use crate::model::{
    ConnectionRemote, Design, GatewayKind, PeeringState, PeeringViolation, SubnetRef, parse_cidr,
};
use ipnet::Ipv4Net;
use std::borrow::Cow;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Derived facts about one peering resource (index = position in `design.peerings`).
#[derive(Debug, Clone)]
pub(crate) struct PeeringFacts {
    pub local: usize,
    pub remote: usize,
    pub state: PeeringState,
    /// Azure accepts the resource (no V1–V3/Government violation).
    pub valid: bool,
    pub violations: Vec<PeeringViolation>,
    /// `useRemoteGateways` takes effect (set, valid, no V4–V9 violation, connected).
    pub transit: bool,
    /// The VNets are in different regions.
    pub global: bool,
    /// Carries traffic: valid and connected.
    pub usable: bool,
    /// The peering going the other way, if it exists.
    pub reverse: Option<usize>,
}

/// Where a gateway-learned prefix leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Learned {
    /// A site's prefixes, over a site-to-site connection (index into `design.sites`).
    Site(usize),
    /// Another VNet's space, over a VNet-to-VNet connection to that gateway.
    Gateway(usize),
    /// The gateway's own point-to-site client pool.
    P2s,
}

/// One compiled subnet (flattened across VNets).
#[derive(Debug, Clone)]
pub(crate) struct SubnetInfo {
    pub vnet: usize,
    pub index_in_vnet: usize,
    pub name: String,
    pub nsg: Option<usize>,
    pub table: Option<usize>,
    /// Subnet-level peerings of this subnet's VNet that do not list it: packets it sends
    /// through them are dropped before delivery (§1.9).
    pub outside_peerings: Vec<usize>,
}

/// An NSG attachment point: where a flow record lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NsgPoint {
    Subnet(usize),
    Nic(usize, usize),
}

/// The compiled design.
pub(crate) struct Compiled<'d> {
    pub design: &'d Design,
    pub vnet_ix: HashMap<&'d str, usize>,
    pub subnets: Vec<SubnetInfo>,
    pub subnet_ix: HashMap<(&'d str, &'d str), usize>,
    pub nsg_ix: HashMap<&'d str, usize>,
    pub gateway_ix: HashMap<&'d str, usize>,
    pub site_ix: HashMap<&'d str, usize>,
    /// (local VNet, remote VNet) → peering index.
    pub peer: HashMap<(usize, usize), usize>,
    pub peerings: Vec<PeeringFacts>,
    /// Per VNet: the peering through which it uses a remote gateway effectively.
    pub transit_via: Vec<Option<usize>>,
    /// Per VNet: its gateways.
    pub vnet_gateways: Vec<Vec<usize>>,
    /// Per gateway: the VNet it lives in (None when the VNet is unknown).
    pub gateway_vnet: Vec<Option<usize>>,
    /// Per gateway: prefixes it learned, with where they lead.
    pub learned: Vec<Vec<(Ipv4Net, Learned)>>,
    /// NIC owner by (VNet, IP).
    pub nic_at: HashMap<(usize, Ipv4Addr), (usize, usize)>,
    /// Per VM: the subnet index of each NIC (None when dangling).
    pub nic_subnet: Vec<Vec<Option<usize>>>,
    /// Route contexts: one per subnet (same index), then one per gateway VNet lacking a
    /// `GatewaySubnet`.
    pub contexts: Vec<RouteContext>,
    /// Per gateway: the context it forwards from (its VNet's `GatewaySubnet`).
    pub gateway_ctx: Vec<Option<usize>>,
    /// Compiled NSGs keyed by (NSG, subnet context), because the `VirtualNetwork` tag depends on
    /// the subnet.
    pub nsgs: Vec<CompiledNsg>,
    /// Compiled NSG of each subnet.
    pub subnet_nsg: Vec<Option<usize>>,
    /// Compiled NSG of each NIC, per VM.
    pub nic_nsg: Vec<Vec<Option<usize>>>,
    /// Per VNet: its usable (valid, connected) outgoing peerings.
    pub vnet_peers: Vec<Vec<usize>>,
    /// Per peering: the remote prefixes it carries (the synced snapshot, or the remote space;
    /// the listed remote subnets' prefixes for a subnet-level peering).
    pub peered_space: Vec<Cow<'d, [Ipv4Net]>>,
    /// Per VNet: its address ranges as (network, mask).
    vnet_ranges: Vec<Vec<(u32, u32)>>,
    /// What each gateway advertises to P2S clients (`None`) and to each connected site.
    pub advertised_to: HashMap<(usize, Option<usize>), Vec<Ipv4Net>>,
}

/// The host platform address (in the `VirtualNetwork` and `AzureLoadBalancer` tags).
pub(crate) const HOST_IP: Ipv4Addr = Ipv4Addr::new(168, 63, 129, 16);

/// The four reserved prefixes with a default `None` route.
pub(crate) fn reserved_prefixes() -> [Ipv4Net; 4] {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ]
    .map(|t| parse_cidr(t).unwrap_or_default())
}

impl<'d> Compiled<'d> {
    /// Compiles a design.
    pub fn new(design: &'d Design) -> Self {
        let vnet_ix: HashMap<&str, usize> = design
            .vnets
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.as_str(), i))
            .collect();
        let mut subnets = Vec::new();
        let mut subnet_ix = HashMap::new();
        let nsg_ix: HashMap<&str, usize> = design
            .nsgs
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.as_str(), i))
            .collect();
        let table_ix: HashMap<&str, usize> = design
            .route_tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), i))
            .collect();
        let gateway_ix: HashMap<&str, usize> = design
            .gateways
            .iter()
            .enumerate()
            .map(|(i, g)| (g.name.as_str(), i))
            .collect();
        let site_ix: HashMap<&str, usize> = design
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        // Usually none: whole-VNet links need no per-subnet bookkeeping.
        let subnet_peerings: Vec<usize> = (0..design.peerings.len())
            .filter(|&i| design.peerings[i].is_subnet_peering())
            .collect();
        for (v, vnet) in design.vnets.iter().enumerate() {
            for (k, subnet) in vnet.subnets.iter().enumerate() {
                subnet_ix.insert((vnet.name.as_str(), subnet.name.as_str()), subnets.len());
                subnets.push(SubnetInfo {
                    vnet: v,
                    index_in_vnet: k,
                    name: format!("{}/{}", vnet.name, subnet.name),
                    nsg: subnet.nsg.as_deref().and_then(|n| nsg_ix.get(n).copied()),
                    table: subnet
                        .route_table
                        .as_deref()
                        .and_then(|t| table_ix.get(t).copied()),
                    outside_peerings: subnet_peerings
                        .iter()
                        .copied()
                        .filter(|&i| {
                            let p = &design.peerings[i];
                            p.local == vnet.name && !p.includes_local_subnet(&subnet.name)
                        })
                        .collect(),
                });
            }
        }

        let mut peer = HashMap::new();
        for (i, p) in design.peerings.iter().enumerate() {
            if let (Some(&l), Some(&r)) = (
                vnet_ix.get(p.local.as_str()),
                vnet_ix.get(p.remote.as_str()),
            ) {
                peer.entry((l, r)).or_insert(i);
            }
        }
        let peerings: Vec<PeeringFacts> = design
            .peerings
            .iter()
            .map(|p| {
                let local = vnet_ix.get(p.local.as_str()).copied().unwrap_or(usize::MAX);
                let remote = vnet_ix
                    .get(p.remote.as_str())
                    .copied()
                    .unwrap_or(usize::MAX);
                let violations = design.peering_violations(p);
                let valid = local != usize::MAX
                    && remote != usize::MAX
                    && !violations.iter().any(PeeringViolation::invalidates_peering);
                let state = design.peering_state(p);
                let usable = valid && state == PeeringState::Connected;
                let transit = usable && p.use_remote_gateways && violations.is_empty();
                let global = valid && design.vnets[local].region != design.vnets[remote].region;
                PeeringFacts {
                    local,
                    remote,
                    state,
                    valid,
                    violations,
                    transit,
                    global,
                    usable,
                    reverse: peer.get(&(remote, local)).copied(),
                }
            })
            .collect();
        let peerings_remote: Vec<Option<usize>> = peerings
            .iter()
            .map(|f| (f.remote != usize::MAX).then_some(f.remote))
            .collect();
        let mut vnet_peers = vec![Vec::new(); design.vnets.len()];
        for (i, f) in peerings.iter().enumerate() {
            if f.usable {
                vnet_peers[f.local].push(i);
            }
        }
        let mut transit_via = vec![None; design.vnets.len()];
        for (i, f) in peerings.iter().enumerate() {
            if f.transit && transit_via[f.local].is_none() {
                transit_via[f.local] = Some(i);
            }
        }

        let mut vnet_gateways = vec![Vec::new(); design.vnets.len()];
        let gateway_vnet: Vec<Option<usize>> = design
            .gateways
            .iter()
            .map(|g| vnet_ix.get(g.vnet.as_str()).copied())
            .collect();
        for (g, v) in gateway_vnet.iter().enumerate() {
            if let Some(v) = v {
                vnet_gateways[*v].push(g);
            }
        }
        let learned = learned_prefixes(design, &gateway_ix, &site_ix, &gateway_vnet);

        let mut nic_at = HashMap::new();
        let mut nic_subnet = Vec::with_capacity(design.vms.len());
        for (m, vm) in design.vms.iter().enumerate() {
            let mut per_nic = Vec::with_capacity(vm.nics.len());
            for (n, nic) in vm.nics.iter().enumerate() {
                let s = subnet_ix
                    .get(&(nic.subnet.vnet.as_str(), nic.subnet.subnet.as_str()))
                    .copied();
                if let Some(s) = s {
                    nic_at.entry((subnets[s].vnet, nic.ip)).or_insert((m, n));
                }
                per_nic.push(s);
            }
            nic_subnet.push(per_nic);
        }

        let mut compiled = Compiled {
            design,
            vnet_ix,
            subnets,
            subnet_ix,
            nsg_ix,
            gateway_ix,
            site_ix,
            peer,
            peerings,
            transit_via,
            vnet_gateways,
            gateway_vnet,
            learned,
            nic_at,
            nic_subnet,
            contexts: Vec::new(),
            gateway_ctx: Vec::new(),
            nsgs: Vec::new(),
            subnet_nsg: Vec::new(),
            nic_nsg: Vec::new(),
            vnet_peers,
            peered_space: design
                .peerings
                .iter()
                .zip(&peerings_remote)
                .map(|(p, remote)| match (&p.remote_address_space, remote) {
                    _ if p.is_subnet_peering() => design.peered_prefixes(p),
                    (Some(snapshot), _) => Cow::Borrowed(snapshot.as_slice()),
                    (None, Some(r)) => Cow::Borrowed(design.vnets[*r].address_space.as_slice()),
                    (None, None) => Cow::Borrowed(&[][..]),
                })
                .collect(),
            vnet_ranges: design
                .vnets
                .iter()
                .map(|v| {
                    v.address_space
                        .iter()
                        .map(|n| (u32::from(n.network()), u32::from(n.netmask())))
                        .collect()
                })
                .collect(),
            advertised_to: HashMap::new(),
        };
        compiled.build_contexts();
        compiled.build_nsgs();
        compiled.build_advertised();
        compiled
    }

    fn build_contexts(&mut self) {
        let mut contexts: Vec<RouteContext> = (0..self.subnets.len())
            .map(|s| build_context(self, self.subnets[s].vnet, Some(s)))
            .collect();
        let mut gateway_ctx = vec![None; self.design.gateways.len()];
        let mut synthetic: HashMap<usize, usize> = HashMap::new();
        for (g, vnet) in self.gateway_vnet.iter().enumerate() {
            let Some(v) = *vnet else { continue };
            let own = self.design.vnets[v]
                .subnets
                .iter()
                .position(|s| s.is_gateway_subnet())
                .and_then(|k| {
                    self.subnet_ix.get(&(
                        self.design.vnets[v].name.as_str(),
                        self.design.vnets[v].subnets[k].name.as_str(),
                    ))
                })
                .copied();
            gateway_ctx[g] = Some(match own {
                Some(s) => s,
                None => *synthetic.entry(v).or_insert_with(|| {
                    contexts.push(build_context(self, v, None));
                    contexts.len() - 1
                }),
            });
        }
        self.contexts = contexts;
        self.gateway_ctx = gateway_ctx;
    }

    fn build_nsgs(&mut self) {
        let mut keyed: HashMap<(usize, usize), usize> = HashMap::new();
        let mut nsgs = Vec::new();
        let mut compiled_for = |nsg: usize, ctx: usize, this: &Compiled| {
            *keyed.entry((nsg, ctx)).or_insert_with(|| {
                nsgs.push(compile_nsg(
                    &this.design.nsgs[nsg],
                    nsg,
                    &this.contexts[ctx],
                ));
                nsgs.len() - 1
            })
        };
        let subnet_nsg: Vec<Option<usize>> = (0..self.subnets.len())
            .map(|s| self.subnets[s].nsg.map(|nsg| compiled_for(nsg, s, self)))
            .collect();
        let nic_nsg: Vec<Vec<Option<usize>>> = self
            .design
            .vms
            .iter()
            .enumerate()
            .map(|(m, vm)| {
                vm.nics
                    .iter()
                    .enumerate()
                    .map(|(n, nic)| {
                        let nsg = self.nsg_ix.get(nic.nsg.as_deref()?).copied()?;
                        let s = self.nic_subnet[m][n]?;
                        Some(compiled_for(nsg, s, self))
                    })
                    .collect()
            })
            .collect();
        self.nsgs = nsgs;
        self.subnet_nsg = subnet_nsg;
        self.nic_nsg = nic_nsg;
    }

    fn build_advertised(&mut self) {
        let mut advertised = HashMap::new();
        for g in 0..self.design.gateways.len() {
            advertised.insert((g, None), self.advertised(g, None));
        }
        for conn in &self.design.connections {
            if let (Some(&g), ConnectionRemote::Site(site)) =
                (self.gateway_ix.get(conn.gateway.as_str()), &conn.remote)
                && let Some(&s) = self.site_ix.get(site.as_str())
            {
                advertised.insert((g, Some(s)), self.advertised(g, Some(s)));
            }
        }
        self.advertised_to = advertised;
    }

    /// Whether gateway `g` advertises `ip` to the site (or, with `None`, to its P2S clients).
    pub fn advertises(&self, g: usize, site: Option<usize>, ip: Ipv4Addr) -> bool {
        self.advertised_to
            .get(&(g, site))
            .is_some_and(|prefixes| prefixes.iter().any(|p| p.contains(&ip)))
    }

    /// The compiled NSG at an attachment point.
    pub fn nsg_at(&self, point: NsgPoint) -> Option<usize> {
        match point {
            NsgPoint::Subnet(s) => self.subnet_nsg.get(s).copied().flatten(),
            NsgPoint::Nic(vm, nic) => self
                .nic_nsg
                .get(vm)
                .and_then(|n| n.get(nic))
                .copied()
                .flatten(),
        }
    }

    /// The subnet index of a `vnet/subnet` reference.
    pub fn subnet_of(&self, r: &SubnetRef) -> Option<usize> {
        self.subnet_ix
            .get(&(r.vnet.as_str(), r.subnet.as_str()))
            .copied()
    }

    /// The VNet name of a VNet index.
    pub fn vnet_name(&self, v: usize) -> &str {
        &self.design.vnets[v].name
    }

    /// Whether `ip` is inside VNet `v`'s address space.
    pub fn vnet_contains(&self, v: usize, ip: Ipv4Addr) -> bool {
        let bits = u32::from(ip);
        self.vnet_ranges[v]
            .iter()
            .any(|&(net, mask)| bits & mask == net)
    }

    /// The gateways whose routes reach VNet `v`'s subnets: its own, or its hub's through
    /// effective gateway transit.
    pub fn serving_gateways(&self, v: usize) -> Vec<usize> {
        if !self.vnet_gateways[v].is_empty() {
            return self.vnet_gateways[v].clone();
        }
        match self.transit_via[v] {
            Some(p) => self.vnet_gateways[self.peerings[p].remote].clone(),
            None => Vec::new(),
        }
    }

    /// The VPN gateway a `VirtualNetworkGateway` UDR in VNet `v` resolves to, if any.
    pub fn udr_gateway(&self, v: usize) -> Option<usize> {
        self.serving_gateways(v)
            .into_iter()
            .find(|&g| self.design.gateways[g].kind == GatewayKind::Vpn)
    }

    /// The prefixes gateway `g` advertises to a site or a point-to-site client: its VNet, the
    /// spokes using it through gateway transit, its client pool, and (over BGP) the other side
    /// of its connections.
    fn advertised(&self, g: usize, to_site: Option<usize>) -> Vec<Ipv4Net> {
        let mut out = Vec::new();
        let Some(hub) = self.gateway_vnet[g] else {
            return out;
        };
        out.extend(self.design.vnets[hub].address_space.iter().copied());
        for (v, via) in self.transit_via.iter().enumerate() {
            if let Some(p) = via
                && self.peerings[*p].remote == hub
            {
                out.extend(self.design.vnets[v].address_space.iter().copied());
            }
        }
        out.extend(self.design.gateways[g].client_pool.iter().copied());
        let bgp_towards_client = match to_site {
            Some(site) => self.design.connections.iter().any(|c| {
                c.bgp
                    && self.gateway_ix.get(c.gateway.as_str()) == Some(&g)
                    && c.remote == ConnectionRemote::Site(self.design.sites[site].name.clone())
            }),
            None => true,
        };
        if bgp_towards_client {
            for (prefix, origin) in &self.learned[g] {
                let over_bgp = match origin {
                    Learned::Site(s) => {
                        Some(*s) != to_site
                            && self.connection_bgp(g, |r| {
                                r == &ConnectionRemote::Site(self.design.sites[*s].name.clone())
                            })
                    }
                    Learned::Gateway(o) => self.connection_bgp(g, |r| {
                        r == &ConnectionRemote::Gateway(self.design.gateways[*o].name.clone())
                    }),
                    Learned::P2s => false,
                };
                if over_bgp {
                    out.push(*prefix);
                }
            }
        }
        out
    }

    fn connection_bgp(&self, g: usize, remote: impl Fn(&ConnectionRemote) -> bool) -> bool {
        self.design.connections.iter().any(|c| {
            c.bgp && self.gateway_ix.get(c.gateway.as_str()) == Some(&g) && remote(&c.remote)
        })
    }
}

/// Per gateway, the prefixes it learns from its connections and its P2S pool.
fn learned_prefixes(
    design: &Design,
    gateway_ix: &HashMap<&str, usize>,
    site_ix: &HashMap<&str, usize>,
    gateway_vnet: &[Option<usize>],
) -> Vec<Vec<(Ipv4Net, Learned)>> {
    let mut learned: Vec<Vec<(Ipv4Net, Learned)>> = vec![Vec::new(); design.gateways.len()];
    let mut push = |g: usize, prefix: Ipv4Net, origin: Learned| {
        if !learned[g].contains(&(prefix, origin)) {
            learned[g].push((prefix, origin));
        }
    };
    for c in &design.connections {
        let Some(&g) = gateway_ix.get(c.gateway.as_str()) else {
            continue;
        };
        match &c.remote {
            ConnectionRemote::Site(name) => {
                if let Some(&s) = site_ix.get(name.as_str()) {
                    for prefix in &design.sites[s].prefixes {
                        push(g, *prefix, Learned::Site(s));
                    }
                }
            }
            ConnectionRemote::Gateway(name) => {
                // A VNet-to-VNet connection is usable in both directions (the importer and the
                // editor may record only one of the pair of connection resources).
                let Some(&other) = gateway_ix.get(name.as_str()) else {
                    continue;
                };
                for (from, to) in [(g, other), (other, g)] {
                    if let Some(v) = gateway_vnet[to] {
                        for prefix in &design.vnets[v].address_space {
                            push(from, *prefix, Learned::Gateway(to));
                        }
                    }
                }
            }
        }
    }
    for (g, gateway) in design.gateways.iter().enumerate() {
        for pool in &gateway.client_pool {
            push(g, *pool, Learned::P2s);
        }
    }
    learned
}
