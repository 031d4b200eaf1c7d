//! Mermaid and DOT: both written from one neutral diagram (nodes with text lines, edges with a
//! label and a line style, path and ✗ marks), built from the topology with the same folding
//! as the picture. Labels are escaped for each language, node ids are generated (`n3`, `f0`),
//! never taken from user text, so no name can break the syntax.

use crate::topology::layout::visible;
use crate::topology::view::{View, fold_lines, node_lines};
use crate::topology::{
    ConnectionKind, Link, LinkStatus, Node, PathOverlay, PeeringSide, Role, Spot, Topology, Way,
    shape,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Solid,
    Double,
    Dashed,
    Dotted,
}

struct DNode {
    id: String,
    lines: Vec<String>,
    hub: bool,
    outside: bool,
    fold: bool,
    path: Option<Way>,
}

struct DEdge {
    from: String,
    to: String,
    label: String,
    line: Line,
    path: Option<Way>,
    blocked: bool,
}

fn diagram(topo: &Topology, view: &View, path: Option<&PathOverlay>) -> (Vec<DNode>, Vec<DEdge>) {
    let shape = shape(topo);
    let visible = visible(topo, &shape, view);
    let way_at = |spot: Spot| path.and_then(|p| p.way_at(spot));
    let node_way = |id| {
        path.and_then(|p| {
            p.spots
                .iter()
                .filter(|(s, _)| s.node() == Some(id))
                .map(|(_, w)| *w)
                .reduce(|a, b| if a == b { a } else { Way::Both })
        })
    };
    let mut nodes = Vec::new();
    for id in topo.node_ids().filter(|id| visible.shown(*id)) {
        let node = topo.node(id);
        nodes.push(DNode {
            id: format!("n{}", id.index()),
            lines: node_lines(node, view.zoom, view.ascii)
                .into_iter()
                .map(|l| l.text)
                .collect(),
            hub: shape.role(id) == Role::Hub,
            outside: matches!(node, Node::Site(_) | Node::P2s(_)),
            fold: false,
            path: node_way(id),
        });
    }
    let mut edges = Vec::new();
    for (k, group) in visible.folds.iter().enumerate() {
        let names: Vec<&str> = group
            .hidden
            .iter()
            .map(|id| topo.node(*id).name())
            .collect();
        let way = group.hidden.iter().find_map(|id| node_way(*id));
        nodes.push(DNode {
            id: format!("f{k}"),
            lines: fold_lines(&names).into_iter().map(|l| l.text).collect(),
            hub: false,
            outside: false,
            fold: true,
            path: way,
        });
        edges.push(DEdge {
            from: format!("n{}", group.parent.index()),
            to: format!("f{k}"),
            label: String::new(),
            line: Line::Dotted,
            path: way,
            blocked: false,
        });
    }
    for (id, a, b, link) in topo.links() {
        let end = |n: crate::topology::NodeId| {
            if visible.shown(n) {
                Some(format!("n{}", n.index()))
            } else {
                visible
                    .folds
                    .iter()
                    .position(|f| f.hidden.contains(&n))
                    .map(|k| format!("f{k}"))
            }
        };
        let (Some(from), Some(to)) = (end(a), end(b)) else {
            continue;
        };
        if from.starts_with('f') || to.starts_with('f') {
            continue; // drawn as the edge to the `+N more` node
        }
        let blocks: Vec<String> = path
            .map(|p| {
                p.blocks
                    .iter()
                    .filter(|b| b.spot == Some(Spot::Link(id)))
                    .map(|b| format!("✗ {}", b.code))
                    .collect()
            })
            .unwrap_or_default();
        let (mut label, line) = match link {
            Link::Peering(p) => {
                let marks = |s: &Option<PeeringSide>| match s {
                    Some(side) => side.flags.marks(view.ascii),
                    None => "?".to_string(),
                };
                let flags = format!("{} · {}", marks(&p.a_to_b), marks(&p.b_to_a));
                let flags = if flags == " · " {
                    String::new()
                } else {
                    flags
                };
                let (state, line) = match p.status() {
                    LinkStatus::Connected => {
                        ("", if p.global { Line::Double } else { Line::Solid })
                    }
                    LinkStatus::Initiated => ("Initiated", Line::Dashed),
                    LinkStatus::Disconnected => ("Disconnected", Line::Dotted),
                    LinkStatus::OutOfSync => (
                        "not in sync",
                        if p.global { Line::Double } else { Line::Solid },
                    ),
                };
                let global = if p.global { "global" } else { "" };
                let parts: Vec<&str> = [state, global, flags.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                (parts.join(" · "), line)
            }
            Link::Connection(c) => {
                let kind = match c.kind {
                    ConnectionKind::SiteToSite => "S2S",
                    ConnectionKind::VnetToVnet => "V2V",
                };
                let line = if c.up { Line::Solid } else { Line::Dashed };
                let state = if c.up { "" } else { " · one side only" };
                (format!("{kind} {}{state}", c.names.join(", ")), line)
            }
            Link::P2s { .. } => ("P2S".to_string(), Line::Solid),
        };
        if !blocks.is_empty() {
            label = if label.is_empty() {
                blocks.join(" ")
            } else {
                format!("{label} {}", blocks.join(" "))
            };
        }
        edges.push(DEdge {
            from,
            to,
            label,
            line,
            path: way_at(Spot::Link(id)),
            blocked: !blocks.is_empty(),
        });
    }
    (nodes, edges)
}

/// Escapes text for a quoted Mermaid label: Mermaid's entity codes for the characters its
/// parser treats specially.
fn mermaid_escape(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        match ch {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            ';' => out.push_str("#59;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid flowchart (renders on GitHub, Azure DevOps wikis, Docs).
pub fn mermaid(topo: &Topology, view: &View, path: Option<&PathOverlay>) -> String {
    let (nodes, edges) = diagram(topo, view, path);
    let mut out = String::from("flowchart LR\n");
    for n in &nodes {
        let label = n
            .lines
            .iter()
            .map(|l| mermaid_escape(l))
            .collect::<Vec<_>>()
            .join("<br/>");
        let (open, close) = if n.outside {
            ("([", "])")
        } else if n.hub {
            ("[[", "]]")
        } else {
            ("[", "]")
        };
        out.push_str(&format!("    {}{open}\"{label}\"{close}\n", n.id));
    }
    for e in &edges {
        let arrow = match e.line {
            Line::Solid => "---",
            Line::Double => "===",
            Line::Dashed | Line::Dotted => "-.-",
        };
        if e.label.is_empty() {
            out.push_str(&format!("    {} {arrow} {}\n", e.from, e.to));
        } else {
            out.push_str(&format!(
                "    {} {arrow}|\"{}\"| {}\n",
                e.from,
                mermaid_escape(&e.label),
                e.to
            ));
        }
    }
    out.push_str("    classDef hub stroke-width:3px\n");
    out.push_str("    classDef outside fill:#f4f4f4\n");
    out.push_str("    classDef fold fill:#eeeeee,stroke:#999999,color:#555555\n");
    out.push_str("    classDef pathFwd stroke:#1a7f37,stroke-width:3px\n");
    out.push_str("    classDef pathReply stroke:#0969da,stroke-width:3px\n");
    for (class, test) in [
        ("hub", (|n: &DNode| n.hub) as fn(&DNode) -> bool),
        ("outside", |n: &DNode| n.outside),
        ("fold", |n: &DNode| n.fold),
        ("pathFwd", |n: &DNode| {
            matches!(n.path, Some(Way::Forward | Way::Both))
        }),
        ("pathReply", |n: &DNode| n.path == Some(Way::Reply)),
    ] {
        let ids: Vec<&str> = nodes
            .iter()
            .filter(|n| test(n))
            .map(|n| n.id.as_str())
            .collect();
        if !ids.is_empty() {
            out.push_str(&format!("    class {} {class}\n", ids.join(",")));
        }
    }
    for (k, e) in edges.iter().enumerate() {
        let style = match (e.blocked, e.path) {
            (true, _) => Some("stroke:#cf222e,stroke-width:3px"),
            (false, Some(Way::Reply)) => Some("stroke:#0969da,stroke-width:3px"),
            (false, Some(_)) => Some("stroke:#1a7f37,stroke-width:3px"),
            (false, None) => None,
        };
        if let Some(style) = style {
            out.push_str(&format!("    linkStyle {k} {style}\n"));
        }
    }
    out
}

/// Escapes text for a quoted DOT string.
fn dot_escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            c if c.is_control() => " ".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Graphviz DOT (`dot -Tsvg`), fonts named explicitly.
pub fn dot(topo: &Topology, view: &View, path: Option<&PathOverlay>) -> String {
    let (nodes, edges) = diagram(topo, view, path);
    let font = crate::topology::export::svg::FONT_FAMILY;
    let mut out = format!(
        "graph \"{}\" {{\n    graph [rankdir=LR, fontname=\"{font}\", label=\"{}\"];\n    node [shape=box, fontname=\"{font}\", fontsize=10];\n    edge [fontname=\"{font}\", fontsize=9];\n",
        dot_escape(&topo.title),
        dot_escape(&topo.title),
    );
    for n in &nodes {
        let label = n
            .lines
            .iter()
            .map(|l| dot_escape(l))
            .collect::<Vec<_>>()
            .join("\\l");
        let mut attrs = vec![format!("label=\"{label}\\l\"")];
        if n.hub {
            attrs.push("peripheries=2".to_string());
        }
        if n.outside {
            attrs.push("style=rounded".to_string());
        }
        if n.fold {
            attrs.push("style=dashed, color=\"#999999\", fontcolor=\"#555555\"".to_string());
        }
        match n.path {
            Some(Way::Reply) => attrs.push("color=\"#0969da\", penwidth=3".to_string()),
            Some(_) => attrs.push("color=\"#1a7f37\", penwidth=3".to_string()),
            None => {}
        }
        out.push_str(&format!("    {} [{}];\n", n.id, attrs.join(", ")));
    }
    for e in &edges {
        let mut attrs = Vec::new();
        if !e.label.is_empty() {
            attrs.push(format!("label=\"{}\"", dot_escape(&e.label)));
        }
        let colour = match (e.blocked, e.path) {
            (true, _) => Some("#cf222e"),
            (false, Some(Way::Reply)) => Some("#0969da"),
            (false, Some(_)) => Some("#1a7f37"),
            (false, None) => None,
        };
        match e.line {
            Line::Solid => {}
            Line::Double => attrs.push(format!(
                "color=\"{0}:invis:{0}\"",
                colour.unwrap_or("black")
            )),
            Line::Dashed => attrs.push("style=dashed".to_string()),
            Line::Dotted => attrs.push("style=dotted".to_string()),
        }
        if let Some(colour) = colour {
            if e.line != Line::Double {
                attrs.push(format!("color=\"{colour}\""));
            }
            attrs.push("penwidth=3".to_string());
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        out.push_str(&format!("    {} -- {}{attrs};\n", e.from, e.to));
    }
    out.push_str("}\n");
    out
}
