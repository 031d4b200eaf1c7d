//! The hop walk of azure-semantics.md §8: one packet from a source endpoint towards a
//! destination endpoint, through outbound NSGs, route lookups, peerings (state, access,
//! forwarded traffic), appliances (IP forwarding, rules, state), gateways (own or the hub's,
//! site-to-site, VNet-to-VNet, point-to-site) and inbound NSGs, with a loop guard. A blocker does
//! not end the walk when the path can continue as if it were fixed (NSG, access, forwarding,
//! appliance rules); routing dead ends do end it.
//!
//! The same walk serves the reply: it then honours NSG flow records and appliance sessions of
//! the request's path, and reports stateful appliances seen in one direction only.
//!
//! Files: `walker` (the walker, its start and the NSG checks), `dispatch` (route lookups and
//! the one dispatch on a route's next hop, for subnets and gateways alike), `hops` (peerings,
//! delivery, gateways, appliances, outside senders), `why` (the specific cause of a dead end).

use super::compile::Compiled;
use super::footprint::Read;
use super::ix::{
    ConnectionIx, CtxIx, GatewayIx, NicIx, NsgIx, PeeringIx, RowIx, SiteIx, SubnetIx, TableIx,
    VmIx, VnetIx,
};
use super::nsg::{NsgDecision, Packet};
use super::policies::NsgPoint;
use super::types::{Hop, ReasonCode};
use crate::model::Direction;
use std::net::Ipv4Addr;

mod dispatch;
mod hops;
mod reads;
mod walker;
mod why;

use walker::Walker;

/// Where an endpoint sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Place {
    /// A VM's NIC.
    Nic(NicIx),
    /// A host at this site.
    Site(SiteIx),
    /// A point-to-site client of this gateway.
    P2s(GatewayIx),
    /// The endpoint's object is missing from the design.
    Unknown,
}

/// An endpoint as the walk sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spot {
    pub place: Place,
    pub ip: Ipv4Addr,
}

/// Why a `None` (or internet) route was hit, when a more specific cause is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    Plain,
    /// The destination VNet is not peered at all.
    NoPeering(VnetIx),
    NotConnected(PeeringIx),
    Invalid(PeeringIx),
    NotSynced(PeeringIx),
    /// The peering is subnet-level and does not list the destination's subnet, so it carries
    /// no route there.
    SubnetNotPeered(PeeringIx, SubnetIx),
    /// Gateway routes would cover the destination but this table does not propagate them.
    PropagationOff(TableIx),
    /// The VNet is peered with the gateway's hub but does not use its gateway.
    NoTransit(PeeringIx),
    /// The VNet asks for the hub's gateway but transit does not take effect.
    TransitNotEffective(PeeringIx),
    /// A VNet with a gateway that reaches the destination (the hub, second) is peered with this
    /// one only through a one-sided or disconnected peering, so no gateway routes arrive here.
    GatewayPeeringDown(PeeringIx, VnetIx),
    /// A VNet with a gateway that reaches the destination (this one) is not peered with this
    /// one at all.
    GatewayNotPeered(VnetIx),
    /// The gateway serving this VNet (`learner`) is joined to the gateway that holds the
    /// destination (`owner`) only over VNet-to-VNet connections without BGP all the way; `link`
    /// is the one connection without BGP when there is exactly one.
    NoBgpTransit {
        learner: GatewayIx,
        owner: GatewayIx,
        link: Option<(GatewayIx, GatewayIx)>,
    },
    /// The gateway serving this VNet would have learned the destination over this VNet-to-VNet
    /// connection, but the connection has no pair from the other gateway, so it is down.
    ConnectionDown(ConnectionIx),
}

/// What a blocker is about, with the indexes the explanation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cause {
    Nsg {
        point: NsgPoint,
        nsg: NsgIx,
        direction: Direction,
        decision: NsgDecision,
    },
    /// An appliance's rule (`None`: its default) denies the packet.
    Appliance {
        vm: VmIx,
        rule: Option<usize>,
    },
    IpForwarding {
        nic: NicIx,
    },
    VnetAccess {
        peering: PeeringIx,
    },
    /// Subnet `subnet` sends over subnet-level peering `peering` without being listed in it.
    SubnetNotInPeering {
        peering: PeeringIx,
        subnet: SubnetIx,
    },
    Forwarded {
        peering: PeeringIx,
    },
    Route {
        ctx: CtxIx,
        row: RowIx,
        hint: Hint,
    },
    NextHopUnreachable {
        ctx: CtxIx,
        row: RowIx,
    },
    GatewayMissing {
        ctx: CtxIx,
        row: RowIx,
    },
    SiteWithoutGateway {
        site: SiteIx,
    },
    GatewayNotTransit {
        peering: PeeringIx,
    },
    Loop {
        cycle: Vec<String>,
    },
    Asymmetric {
        vm: VmIx,
        forward_only: bool,
    },
    NoSuchHost {
        place: String,
    },
    /// The destination is inside VNet `inside`'s own range because the peering is invalid.
    PeeringInvalid {
        peering: PeeringIx,
        inside: VnetIx,
    },
    NotAdvertised {
        origin: Place,
    },
    /// Several members of a connected group hold the destination: Azure drops it.
    GroupOverlap {
        config: String,
        prefix: ipnet::Ipv4Net,
        members: Vec<VnetIx>,
    },
}

/// A blocker as found, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawBlocker {
    pub code: ReasonCode,
    pub cause: Cause,
    /// Found on the reply's path.
    pub reply: bool,
}

/// The result of walking one direction.
#[derive(Debug, Clone, Default)]
pub(crate) struct PathOut {
    pub arrived: bool,
    pub blockers: Vec<RawBlocker>,
    pub hops: Vec<Hop>,
    /// Stateful appliances the packet went through.
    pub stateful: Vec<VmIx>,
    /// NSG attachment points that evaluated the packet (they keep a flow record).
    pub points: Vec<NsgPoint>,
    /// Every appliance the packet went through.
    pub appliances: Vec<VmIx>,
    /// The first route context the packet was looked up in.
    pub first_ctx: Option<CtxIx>,
    /// Gateways the packet went through (loop guard).
    pub gateways: Vec<GatewayIx>,
    /// What the walk read of the keyed part of the compiled design (`footprint`), unsorted;
    /// kept only when `record` is set.
    pub reads: Vec<Read>,
    /// Whether to keep `reads` (the analysis after an edit); [`PathOut::clear`] leaves it.
    pub record: bool,
    /// The VNets whose reads are not kept (the cell's two home VNets, `footprint::Homes`);
    /// [`PathOut::clear`] leaves it.
    pub homes: [Option<VnetIx>; 2],
}

impl PathOut {
    /// Empties the buffer, keeping its allocations.
    fn clear(&mut self) {
        self.arrived = false;
        self.blockers.clear();
        self.hops.clear();
        self.stateful.clear();
        self.points.clear();
        self.appliances.clear();
        self.first_ctx = None;
        self.gateways.clear();
        self.reads.clear();
    }
}

/// What one walk is asked: a packet between two endpoints, and how much to record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WalkSpec<'a> {
    pub packet: Packet,
    pub from: Spot,
    pub to: Spot,
    /// The request's path when this walk is the reply (flow records, sessions).
    pub request: Option<&'a PathOut>,
    /// Whether to record hops (a trace) or only blockers (all pairs).
    pub detail: bool,
}

impl WalkSpec<'_> {
    /// The request of a pair: no request path to honour.
    pub fn request(packet: Packet, from: Spot, to: Spot, detail: bool) -> Self {
        WalkSpec {
            packet,
            from,
            to,
            request: None,
            detail,
        }
    }
}

/// The display name of a route context: its subnet, or the VNet's gateway view.
pub(crate) fn context_name(c: &Compiled, ctx: CtxIx) -> String {
    let context = c.ctx(ctx);
    match context.subnet {
        Some(s) => c.index.subnets[s].name.clone(),
        None => format!("{}/GatewaySubnet", c.vnet_name(context.vnet)),
    }
}

/// Both directions of one pair.
#[derive(Debug, Clone, Default)]
pub(crate) struct PairOut {
    pub forward: PathOut,
    pub reverse: PathOut,
}

impl PairOut {
    /// Every blocker, request first.
    pub fn blockers(&self) -> impl Iterator<Item = &RawBlocker> {
        self.forward
            .blockers
            .iter()
            .chain(self.reverse.blockers.iter())
    }
}

/// Walks the request and, when it arrives, the reply; then checks stateful appliances the
/// reply skipped.
pub(crate) fn walk_pair(c: &Compiled, spec: WalkSpec<'_>) -> PairOut {
    let mut pair = PairOut::default();
    walk_pair_into(c, spec, &mut pair);
    pair
}

/// [`walk_pair`] into reused buffers (the all-pairs loop walks hundreds of thousands of pairs).
pub(crate) fn walk_pair_into(c: &Compiled, spec: WalkSpec<'_>, pair: &mut PairOut) {
    let PairOut { forward, reverse } = pair;
    let request = WalkSpec {
        request: None,
        ..spec
    };
    Walker::new(c, request, forward).run();
    if !forward.arrived {
        reverse.clear();
        return;
    }
    let reply = WalkSpec {
        packet: spec.packet.reply(),
        from: spec.to,
        to: spec.from,
        request: Some(forward),
        detail: spec.detail,
    };
    Walker::new(c, reply, reverse).run();
    if reverse.arrived {
        for &vm in &forward.stateful {
            if !reverse.appliances.contains(&vm) {
                reverse.blockers.push(RawBlocker {
                    code: ReasonCode::AsymmetricStatefulDrop,
                    cause: Cause::Asymmetric {
                        vm,
                        forward_only: true,
                    },
                    reply: true,
                });
            }
        }
    }
}
