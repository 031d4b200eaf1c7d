//! NSG evaluation (azure-semantics.md §3): custom and default rules of one direction scanned
//! by ascending priority, first match decides; protocols, port ranges, CIDRs, IPs, `*` and the
//! service tags `VirtualNetwork` (per subnet context, with the spaces of its connected groups),
//! `Internet` and `AzureLoadBalancer`, and application security groups (as the addresses of
//! their member NICs, the way Azure's effective security rules expand them).
//! An NSG's rules are compiled once per compile ([`NsgRules`], the default rules once per
//! process) so a walk only compares integers; a program pairs them with one subnet context's
//! `VirtualNetwork` tag. The programs are stage 3 of compiling ([`super::policies`]).

use super::groups::GroupTable;
use super::ix::{NsgIx, VnetIx};
use super::prefixes::{HOST_IP, outside_internet_tag};
use super::routes::RouteContext;
use crate::model::{
    Access, AddressMatch, ApplianceRule, Direction, Nsg, NsgRule, PortRange, Protocol, ServiceTag,
};
use ipnet::Ipv4Net;
use rustc_hash::{FxHashMap, FxHashSet};
use std::net::Ipv4Addr;
use std::sync::{Arc, LazyLock};

/// A port as the packet carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PortSpec {
    /// A known port (the service port of a request).
    Exact(u16),
    /// The client's ephemeral port: a rule matches only if it covers 1024–65535.
    Ephemeral,
    /// The protocol has no ports (ICMP, or an unspecified protocol).
    None,
}

impl PortSpec {
    fn matches(self, ranges: &[PortRange]) -> bool {
        match self {
            PortSpec::Exact(p) => ranges.iter().any(|r| r.contains(p)),
            PortSpec::Ephemeral => ranges.iter().any(|r| r.start <= 1024 && r.end == 65535),
            PortSpec::None => ranges.contains(&PortRange::ALL),
        }
    }
}

/// A packet: addresses, protocol and ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packet {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub protocol: Protocol,
    pub src_port: PortSpec,
    pub dst_port: PortSpec,
}

impl Packet {
    /// The reply to this packet.
    pub fn reply(&self) -> Packet {
        Packet {
            src: self.dst,
            dst: self.src,
            protocol: self.protocol,
            src_port: self.dst_port,
            dst_port: self.src_port,
        }
    }

    fn protocol_and_ports(
        &self,
        protocol: Protocol,
        src_ports: &[PortRange],
        dst_ports: &[PortRange],
    ) -> bool {
        if !protocol.matches(self.protocol) {
            return false;
        }
        // Port fields only constrain protocols that have ports.
        if protocol == Protocol::Icmp || protocol == Protocol::Esp || protocol == Protocol::Ah {
            return true;
        }
        self.src_port.matches(src_ports) && self.dst_port.matches(dst_ports)
    }
}

/// One address element of a compiled rule.
#[derive(Debug, Clone, PartialEq)]
enum Addr {
    Any,
    /// A CIDR or IP written in the rule (counts as an explicit allow, §3.5).
    Literal(Ipv4Net),
    /// The member addresses of an ASG the rule names (also explicit, §3.5: "matched by CIDR/IP
    /// or ASG").
    Asg(Arc<FxHashSet<Ipv4Addr>>),
    /// A prefix a service tag expanded to.
    Tagged(Ipv4Net),
    /// The `VirtualNetwork` tag of the context: its prefixes, then its connected groups' share
    /// (the other members' spaces). One element for the whole tag, read from the program's
    /// [`Tag`], so a rule naming it holds no copy of the context's prefixes.
    VirtualNetwork,
    /// The `Internet` tag: outside the context's `VirtualNetwork` tag and private ranges.
    Internet,
}

impl Addr {
    fn matches(&self, ip: Ipv4Addr, ctx: &Tag) -> bool {
        match self {
            Addr::Any => true,
            Addr::Literal(net) | Addr::Tagged(net) => net.contains(&ip),
            Addr::Asg(members) => members.contains(&ip),
            Addr::VirtualNetwork => ctx.holds(ip),
            Addr::Internet => !outside_internet_tag(ip) && !ctx.holds(ip),
        }
    }
}

/// The `VirtualNetwork` tag of the context an NSG is compiled for.
#[derive(Debug, Clone, PartialEq)]
struct Tag {
    prefixes: Vec<Ipv4Net>,
    groups: Vec<Arc<GroupTable>>,
    vnet: VnetIx,
}

impl Tag {
    fn holds(&self, ip: Ipv4Addr) -> bool {
        self.prefixes.iter().any(|n| n.contains(&ip))
            || self.groups.iter().any(|g| g.holds(ip, self.vnet))
    }
}

/// Compiles one end of a rule: its ASGs' member addresses when it names ASGs, else its
/// addresses, with service tags expanded (`VirtualNetwork` is read from the program's tag).
fn compile_addresses(
    list: &[AddressMatch],
    asgs: &[String],
    asg_members: &FxHashMap<String, Arc<FxHashSet<Ipv4Addr>>>,
) -> Vec<Addr> {
    if !asgs.is_empty() {
        return asgs
            .iter()
            .filter_map(|a| asg_members.get(a))
            .map(|members| Addr::Asg(Arc::clone(members)))
            .collect();
    }
    let mut out = Vec::new();
    for item in list {
        match item {
            AddressMatch::Any => out.push(Addr::Any),
            AddressMatch::Cidr(net) => out.push(Addr::Literal(*net)),
            AddressMatch::Tag(ServiceTag::VirtualNetwork) => out.push(Addr::VirtualNetwork),
            AddressMatch::Tag(ServiceTag::AzureLoadBalancer) => {
                out.push(Addr::Tagged(Ipv4Net::from(HOST_IP)));
            }
            AddressMatch::Tag(ServiceTag::Internet) => out.push(Addr::Internet),
            // Other service tags hold Azure public ranges no VM or site address falls into.
            AddressMatch::Tag(ServiceTag::Other(_)) => {}
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    index: Option<usize>,
    name: Arc<str>,
    priority: u32,
    allow: bool,
    protocol: Protocol,
    source: Arc<[Addr]>,
    destination: Arc<[Addr]>,
    source_ports: Arc<[PortRange]>,
    destination_ports: Arc<[PortRange]>,
}

impl Rule {
    /// Compiles rule `r` (custom rule number `index`, or a default rule), with each ASG's
    /// member addresses. Nothing here depends on a subnet context.
    fn compile(
        index: Option<usize>,
        r: &NsgRule,
        asg_members: &FxHashMap<String, Arc<FxHashSet<Ipv4Addr>>>,
    ) -> Rule {
        Rule {
            index,
            name: Arc::from(r.name.as_str()),
            priority: r.priority,
            allow: r.access == Access::Allow,
            protocol: r.protocol,
            source: compile_addresses(&r.source, &r.source_asgs, asg_members).into(),
            destination: compile_addresses(&r.destination, &r.destination_asgs, asg_members).into(),
            source_ports: Arc::from(r.source_ports.as_slice()),
            destination_ports: Arc::from(r.destination_ports.as_slice()),
        }
    }
}

/// An NSG compiled for one subnet context: the NSG's rules ([`NsgRules`], shared by every
/// context it is compiled for) and the context's `VirtualNetwork` tag (shared by the subnets
/// whose contexts give the same tag), so cloning one is cheap.
#[derive(Debug, Clone)]
pub(crate) struct CompiledNsg {
    /// The NSG compiled.
    pub nsg: NsgIx,
    inbound: Arc<[Rule]>,
    outbound: Arc<[Rule]>,
    tag: Arc<Tag>,
}

/// Programs kept from the previous revision share their rules and tag: those compare by
/// pointer first (a hub's tag holds every spoke's range, and an edit compares every program).
impl PartialEq for CompiledNsg {
    fn eq(&self, other: &Self) -> bool {
        fn same<T: PartialEq + ?Sized>(a: &Arc<T>, b: &Arc<T>) -> bool {
            Arc::ptr_eq(a, b) || a == b
        }
        self.nsg == other.nsg
            && same(&self.tag, &other.tag)
            && same(&self.inbound, &other.inbound)
            && same(&self.outbound, &other.outbound)
    }
}

/// The decision of one NSG for one packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NsgDecision {
    pub allow: bool,
    pub rule: Arc<str>,
    pub priority: u32,
    /// Index of the custom rule in the NSG (None for a default rule).
    pub custom_index: Option<usize>,
    /// The rule matched the remote address by a CIDR or IP written in it (not by a tag or `*`).
    pub explicit: bool,
}

/// Azure's default rules, compiled once per process (they name no ASG): every NSG ends with
/// them.
static DEFAULT_RULES: LazyLock<Vec<(Direction, Rule)>> = LazyLock::new(|| {
    crate::model::default_rules()
        .iter()
        .map(|r| (r.direction, Rule::compile(None, r, &FxHashMap::default())))
        .collect()
});

/// An NSG's rules compiled, custom and default, per direction in evaluation order (ascending
/// priority, a custom rule before a default one on a tie). They do not depend on the subnet
/// context (the `VirtualNetwork` tag is read from the program's [`Tag`]), so an NSG's rules
/// are compiled once and shared by every program of it.
#[derive(Debug, Clone)]
pub(crate) struct NsgRules {
    inbound: Arc<[Rule]>,
    outbound: Arc<[Rule]>,
}

impl NsgRules {
    /// Compiles the rules of `nsg`, with each ASG's member addresses.
    pub fn new(nsg: &Nsg, asg_members: &FxHashMap<String, Arc<FxHashSet<Ipv4Addr>>>) -> Self {
        let direction = |direction: Direction| -> Arc<[Rule]> {
            let mut rules: Vec<Rule> = nsg
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.direction == direction)
                .map(|(i, r)| Rule::compile(Some(i), r, asg_members))
                .chain(
                    DEFAULT_RULES
                        .iter()
                        .filter(|(d, _)| *d == direction)
                        .map(|(_, rule)| rule.clone()),
                )
                .collect();
            // Stable: a custom rule stays before a default rule of the same priority.
            rules.sort_by_key(|r| r.priority);
            rules.into()
        };
        NsgRules {
            inbound: direction(Direction::Inbound),
            outbound: direction(Direction::Outbound),
        }
    }

    /// The program of these rules (NSG number `index`) for the subnet context `ctx`.
    pub fn for_context(&self, index: NsgIx, ctx: &RouteContext) -> CompiledNsg {
        CompiledNsg {
            nsg: index,
            inbound: Arc::clone(&self.inbound),
            outbound: Arc::clone(&self.outbound),
            tag: Arc::new(Tag {
                prefixes: ctx.vnet_tag.clone(),
                groups: ctx.groups.clone(),
                vnet: ctx.vnet,
            }),
        }
    }
}

impl CompiledNsg {
    /// Whether `other` shares this program's tag (is a copy of it, not made for its context).
    #[cfg(test)]
    pub fn shares_tag(&self, other: &CompiledNsg) -> bool {
        Arc::ptr_eq(&self.tag, &other.tag)
    }

    /// Whether `other` has the very rules of this program (kept, not compiled again).
    #[cfg(test)]
    pub fn same_rules(&self, other: &CompiledNsg) -> bool {
        Arc::ptr_eq(&self.inbound, &other.inbound) && Arc::ptr_eq(&self.outbound, &other.outbound)
    }

    /// Whether this program, made for some context, is exactly what its NSG's rules give for
    /// `ctx`: a program reads only the context's VNet, `VirtualNetwork` tag and connected
    /// groups (compared by identity: the routing shares one table per group).
    pub fn fits(&self, ctx: &RouteContext) -> bool {
        self.tag.vnet == ctx.vnet
            && self.tag.prefixes == ctx.vnet_tag
            && self.tag.groups.len() == ctx.groups.len()
            && self
                .tag
                .groups
                .iter()
                .zip(&ctx.groups)
                .all(|(a, b)| Arc::ptr_eq(a, b))
    }

    /// When `other` is this program with only its `VirtualNetwork` tag's prefixes changed
    /// (the same NSG, rules, VNet and connected groups), the prefixes in one tag and not the
    /// other; `None` when anything else differs. An evaluation reads the tag only as whether
    /// the packet's source or destination is in it (`VirtualNetwork`, and `Internet` as its
    /// complement), so a packet between addresses outside these prefixes gets the same answer
    /// from both programs.
    pub fn tag_change(&self, other: &CompiledNsg) -> Option<Vec<Ipv4Net>> {
        let rules_same = |a: &Arc<[Rule]>, b: &Arc<[Rule]>| Arc::ptr_eq(a, b) || a == b;
        let (mine, theirs) = (&self.tag, &other.tag);
        let same_rest = self.nsg == other.nsg
            && rules_same(&self.inbound, &other.inbound)
            && rules_same(&self.outbound, &other.outbound)
            && mine.vnet == theirs.vnet
            && mine.groups.len() == theirs.groups.len()
            && mine
                .groups
                .iter()
                .zip(&theirs.groups)
                .all(|(a, b)| Arc::ptr_eq(a, b) || a == b);
        if !same_rest {
            return None;
        }
        Some(super::prefixes::symmetric_difference(
            &mine.prefixes,
            &theirs.prefixes,
        ))
    }

    /// First matching rule of `direction` for `packet`. The default `DenyAll` rules guarantee a
    /// match; an empty answer (impossible) is treated as a deny. The rule is borrowed: the
    /// all-pairs walk evaluates NSGs millions of times and needs its name only for a trace or
    /// a blocker (cloning the name for every evaluation made the walking threads contend on
    /// one reference count).
    pub fn first_match(&self, direction: Direction, packet: &Packet) -> NsgMatch<'_> {
        let rules = match direction {
            Direction::Inbound => &self.inbound,
            Direction::Outbound => &self.outbound,
        };
        for rule in rules.iter() {
            if !packet.protocol_and_ports(
                rule.protocol,
                &rule.source_ports,
                &rule.destination_ports,
            ) {
                continue;
            }
            let src = rule
                .source
                .iter()
                .find(|a| a.matches(packet.src, &self.tag));
            let dst = rule
                .destination
                .iter()
                .find(|a| a.matches(packet.dst, &self.tag));
            let (Some(src), Some(dst)) = (src, dst) else {
                continue;
            };
            let remote = match direction {
                Direction::Inbound => src,
                Direction::Outbound => dst,
            };
            return NsgMatch {
                allow: rule.allow,
                explicit: matches!(remote, Addr::Literal(_) | Addr::Asg(_)),
                rule: Some(rule),
            };
        }
        NsgMatch {
            allow: false,
            explicit: false,
            rule: None,
        }
    }
}

/// The rule that decided a packet at one NSG, borrowed from the program
/// ([`CompiledNsg::first_match`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NsgMatch<'a> {
    pub allow: bool,
    /// The rule matched the remote address by a CIDR or IP written in it (not by a tag or `*`).
    pub explicit: bool,
    /// `None`: no rule matched (impossible with the default rules), a deny.
    rule: Option<&'a Rule>,
}

impl NsgMatch<'_> {
    /// The decision, owned (for a trace's hop or a blocker's explanation).
    pub fn decision(&self) -> NsgDecision {
        match self.rule {
            Some(rule) => NsgDecision {
                allow: self.allow,
                rule: Arc::clone(&rule.name),
                priority: rule.priority,
                custom_index: rule.index,
                explicit: self.explicit,
            },
            None => NsgDecision {
                allow: false,
                rule: Arc::from("DenyAll"),
                priority: 65500,
                custom_index: None,
                explicit: false,
            },
        }
    }
}

/// Whether an appliance rule's address matches `ip` (`VirtualNetwork` seen from the
/// appliance's subnet context).
fn appliance_address(address: &AddressMatch, ip: Ipv4Addr, ctx: &RouteContext) -> bool {
    match address {
        AddressMatch::Any => true,
        AddressMatch::Cidr(net) => net.contains(&ip),
        AddressMatch::Tag(ServiceTag::VirtualNetwork) => ctx.in_vnet_tag(ip),
        AddressMatch::Tag(ServiceTag::AzureLoadBalancer) => ip == HOST_IP,
        AddressMatch::Tag(ServiceTag::Internet) => {
            !outside_internet_tag(ip) && !ctx.in_vnet_tag(ip)
        }
        AddressMatch::Tag(ServiceTag::Other(_)) => false,
    }
}

/// The first appliance rule matching `packet`, by index.
pub(crate) fn appliance_rule(
    rules: &[ApplianceRule],
    packet: &Packet,
    ctx: &RouteContext,
) -> Option<usize> {
    rules.iter().position(|r| {
        packet.protocol_and_ports(
            r.protocol,
            &[PortRange::ALL],
            std::slice::from_ref(&r.ports),
        ) && appliance_address(&r.source, packet.src, ctx)
            && appliance_address(&r.destination, packet.dst, ctx)
    })
}
