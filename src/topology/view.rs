//! The view state a layout depends on (zoom level, folding, the expand set, glyph set, box
//! width) and the text of every box at each zoom level. Changing the view means laying out
//! again; recolouring does not.

use super::graph::{Node, NodeKey, NotDrawn};
use crate::model::{ApplianceKind, GatewayKind};
use std::collections::BTreeSet;

/// Level of detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Zoom {
    /// VNets with region, address space, gateways and appliances; subnets and VMs counted.
    #[default]
    Vnets,
    /// Also each subnet with its NSG (`#`) and route-table (`→`) marks.
    Subnets,
    /// Also the VMs of each subnet, and the hosts of each site.
    Vms,
}

impl Zoom {
    /// One level deeper (stays at [`Zoom::Vms`]).
    pub fn deeper(self) -> Zoom {
        match self {
            Zoom::Vnets => Zoom::Subnets,
            Zoom::Subnets | Zoom::Vms => Zoom::Vms,
        }
    }
    /// One level shallower (stays at [`Zoom::Vnets`]).
    pub fn shallower(self) -> Zoom {
        match self {
            Zoom::Vms => Zoom::Subnets,
            Zoom::Subnets | Zoom::Vnets => Zoom::Vnets,
        }
    }
}

/// Everything a layout depends on besides the topology.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct View {
    /// Level of detail.
    pub zoom: Zoom,
    /// Spokes (leaf neighbours) of one node shown before the rest fold into a `+N more` box.
    pub fold_after: usize,
    /// Nodes whose folded neighbours are all shown (the `+N more` boxes that were opened).
    pub expanded: BTreeSet<NodeKey>,
    /// Nodes never folded away (the selection, the ends of a path).
    pub pinned: BTreeSet<NodeKey>,
    /// ASCII glyphs only (`+-|`), for old terminals and plain-text mail.
    pub ascii: bool,
    /// Widest box, in cells; longer lines end in `…`.
    pub max_box_width: usize,
}

impl Default for View {
    fn default() -> Self {
        View {
            zoom: Zoom::Vnets,
            fold_after: 12,
            expanded: BTreeSet::new(),
            pinned: BTreeSet::new(),
            ascii: false,
            max_box_width: 36,
        }
    }
}

impl View {
    /// A view sized for a picture about `width` cells wide: boxes take at most a fifth of it
    /// (between 16 and 44 cells).
    pub fn for_width(width: usize) -> View {
        View {
            max_box_width: (width / 5).clamp(16, 44),
            ..View::default()
        }
    }
}

/// How a line inside a box is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    /// The name line.
    Title,
    /// Ordinary detail.
    Normal,
    /// Counts of what is not drawn at this zoom.
    Dim,
}

/// What part of a node a box line stands for, so a path can mark a subnet or a VM line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The node as a whole.
    Whole,
    /// Subnet `i` of a VNet.
    Subnet(usize),
    /// VM `j` of subnet `i`.
    Vm(usize, usize),
}

/// One line of text inside a box.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoxLine {
    /// The text, already cut to the box width.
    pub text: String,
    /// How it is drawn.
    pub tone: Tone,
    /// What it stands for.
    pub part: Part,
}

fn line(text: String, tone: Tone, part: Part) -> BoxLine {
    BoxLine { text, tone, part }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn list(nets: &[ipnet::Ipv4Net]) -> String {
    nets.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lines of a node's box at a zoom level, before cutting to width.
pub fn node_lines(node: &Node, zoom: Zoom, ascii: bool) -> Vec<BoxLine> {
    let arrow = if ascii { ">" } else { "→" };
    let mut out = Vec::new();
    match node {
        Node::Vnet(v) => {
            let classic = if v.classic { " (classic)" } else { "" };
            out.push(line(
                format!("{}{classic}", v.name),
                Tone::Title,
                Part::Whole,
            ));
            out.push(line(
                format!("{} {}", v.region, list(&v.address_space)),
                Tone::Normal,
                Part::Whole,
            ));
            let mut kit: Vec<String> = v
                .gateways
                .iter()
                .map(|g| match g.kind {
                    GatewayKind::Vpn => format!("VPN gw {}", g.name),
                    GatewayKind::ExpressRoute => format!("ER gw {}", g.name),
                })
                .collect();
            for subnet in &v.subnets {
                for vm in &subnet.vms {
                    match vm.appliance {
                        Some(ApplianceKind::Nva) => kit.push(format!("NVA {}", vm.name)),
                        Some(ApplianceKind::Firewall) => kit.push(format!("FW {}", vm.name)),
                        None => {}
                    }
                }
            }
            if !kit.is_empty() {
                out.push(line(kit.join(" · "), Tone::Normal, Part::Whole));
            }
            if zoom == Zoom::Vnets {
                out.push(line(
                    format!(
                        "{} · {}",
                        plural(v.subnets.len(), "subnet", "subnets"),
                        plural(v.vm_count(), "VM", "VMs")
                    ),
                    Tone::Dim,
                    Part::Whole,
                ));
                return out;
            }
            for (i, s) in v.subnets.iter().enumerate() {
                let nsg = if s.nsg.is_some() { " #" } else { "" };
                let rt = if s.route_table.is_some() {
                    format!(" {arrow}")
                } else {
                    String::new()
                };
                let count = if zoom == Zoom::Subnets && !s.vms.is_empty() {
                    format!(" ({})", plural(s.vms.len(), "VM", "VMs"))
                } else {
                    String::new()
                };
                out.push(line(
                    format!("{} {}{nsg}{rt}{count}", s.name, s.prefix),
                    Tone::Normal,
                    Part::Subnet(i),
                ));
                if zoom == Zoom::Vms {
                    for (j, vm) in s.vms.iter().enumerate() {
                        let mark = match vm.appliance {
                            Some(_) => "◆",
                            None => "·",
                        };
                        let mark = if ascii { "-" } else { mark };
                        let nsg = if vm.nic_nsg.is_some() { " #" } else { "" };
                        out.push(line(
                            format!("  {mark} {} {}{nsg}", vm.name, vm.ip),
                            Tone::Normal,
                            Part::Vm(i, j),
                        ));
                    }
                }
            }
        }
        Node::Site(s) => {
            out.push(line(format!("{} (site)", s.name), Tone::Title, Part::Whole));
            out.push(line(list(&s.prefixes), Tone::Normal, Part::Whole));
            if zoom == Zoom::Vms {
                for host in &s.hosts {
                    out.push(line(format!("  · {host}"), Tone::Normal, Part::Whole));
                }
            } else {
                out.push(line(
                    plural(s.hosts.len(), "host", "hosts"),
                    Tone::Dim,
                    Part::Whole,
                ));
            }
        }
        Node::P2s(p) => {
            out.push(line(format!("P2S {}", p.gateway), Tone::Title, Part::Whole));
            out.push(line(list(&p.pool), Tone::Normal, Part::Whole));
        }
    }
    out
}

/// The lines of a `+N more` box.
pub fn fold_lines(hidden: &[&str]) -> Vec<BoxLine> {
    let mut out = vec![line(
        format!("+{} more", hidden.len()),
        Tone::Title,
        Part::Whole,
    )];
    if let (Some(first), Some(last)) = (hidden.first(), hidden.last()) {
        out.push(line(format!("{first} … {last}"), Tone::Dim, Part::Whole));
    }
    out
}

/// The lines of the grey box, or nothing when everything is drawn.
pub fn not_drawn_lines(not_drawn: &NotDrawn) -> Vec<BoxLine> {
    let counts: Vec<String> = [
        (not_drawn.nsgs, "NSG", "NSGs"),
        (not_drawn.route_tables, "route table", "route tables"),
        (not_drawn.intents, "intent", "intents"),
        (not_drawn.subscriptions, "subscription", "subscriptions"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    if counts.is_empty() && not_drawn.unplaced.is_empty() {
        return Vec::new();
    }
    let mut out = vec![line("not drawn".to_string(), Tone::Title, Part::Whole)];
    for pair in counts.chunks(2) {
        out.push(line(pair.join(", "), Tone::Dim, Part::Whole));
    }
    if !not_drawn.unplaced.is_empty() {
        out.push(line(
            format!(
                "{} unplaced:",
                plural(not_drawn.unplaced.len(), "object", "objects")
            ),
            Tone::Dim,
            Part::Whole,
        ));
        for text in &not_drawn.unplaced {
            out.push(line(text.clone(), Tone::Dim, Part::Whole));
        }
    }
    out
}

/// Cuts a line to `width` characters, ending in `…` when cut.
pub fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}
