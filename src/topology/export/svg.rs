//! SVG drawn from vnetlab's own layout: one rectangle per box, one polyline per edge, text in
//! a font family named explicitly (so labels never vanish for want of a default font), path
//! hops in colour and ✗ with the reason code at the blocking hop.

use crate::topology::layout::{Frame, Layout, Point};
use crate::topology::{Link, LinkStatus, PathOverlay, Spot, Topology, Way};

/// The font stack of every text element (SVG and DOT).
pub const FONT_FAMILY: &str = "DejaVu Sans Mono, Menlo, Consolas, monospace";

const CW: i32 = 8;
const CH: i32 = 16;

fn px(p: Point) -> (i32, i32) {
    (p.x * CW + CW / 2, p.y * CH + CH / 2)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The layout as an SVG document.
pub fn svg(layout: &Layout, topo: &Topology, path: Option<&PathOverlay>) -> String {
    let (w, h) = ((layout.width + 2) * CW, (layout.height + 2) * CH);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" font-size=\"13\">\n<title>{}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        escape(&topo.title)
    );
    let way_colour = |way: Way| match way {
        Way::Reply => "#0969da",
        Way::Forward | Way::Both => "#1a7f37",
    };
    for route in &layout.routes {
        let points: Vec<String> = route
            .points
            .iter()
            .map(|p| {
                let (x, y) = px(*p);
                format!("{x},{y}")
            })
            .collect();
        let (mut colour, mut dash, mut width, mut double) = ("#444444", "", 1.5, false);
        if let Some((_, _, link)) = route.link.and_then(|l| topo.link(l)) {
            if let Link::Peering(p) = link {
                double = p.global;
                match p.status() {
                    LinkStatus::Connected => {}
                    LinkStatus::Initiated => (colour, dash) = ("#b58900", "6 4"),
                    LinkStatus::Disconnected => (colour, dash) = ("#cf222e", "2 3"),
                    LinkStatus::OutOfSync => colour = "#cf222e",
                }
            }
        } else {
            (colour, dash) = ("#999999", "2 3");
        }
        if let Some(way) = route
            .link
            .and_then(|l| path.and_then(|p| p.way_at(Spot::Link(l))))
        {
            colour = way_colour(way);
            width = 3.0;
        }
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let pts = points.join(" ");
        if double {
            out.push_str(&format!("<polyline points=\"{pts}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\"{dash}/>\n", width + 3.0));
            out.push_str(&format!("<polyline points=\"{pts}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"{width}\"/>\n"));
        } else {
            out.push_str(&format!("<polyline points=\"{pts}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\"{dash}/>\n"));
        }
    }
    for placed in &layout.items {
        let r = placed.rect;
        let (x, y) = px(Point { x: r.x, y: r.y });
        let (rw, rh) = ((r.w - 1) * CW, (r.h - 1) * CH);
        let node_way = path.and_then(|p| {
            p.spots
                .iter()
                .find(|(s, _)| s.node().and_then(|n| layout.item_of(n)) == layout.find(&placed.key))
                .map(|(_, w)| *w)
        });
        let (stroke, width, fill, radius) = match placed.frame {
            Frame::Hub => ("#1f2328", 3, "#f6f8fa", 0),
            Frame::Outside => ("#1f2328", 1, "#fff8e6", 10),
            Frame::Plain => ("#1f2328", 1, "#ffffff", 0),
            Frame::Grey => ("#999999", 1, "#f0f0f0", 0),
        };
        let (stroke, width) = match node_way {
            Some(way) => (way_colour(way), 3),
            None => (stroke, width),
        };
        out.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{rw}\" height=\"{rh}\" rx=\"{radius}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>\n"
        ));
        for (k, line) in placed.lines.iter().enumerate() {
            let tx = (r.x + 2) * CW;
            let ty = (r.y + 1 + k as i32) * CH + CH * 3 / 4;
            let (weight, colour) = match (k, placed.frame) {
                (_, Frame::Grey) => ("normal", "#666666"),
                (0, _) => ("bold", "#1f2328"),
                _ => ("normal", "#1f2328"),
            };
            out.push_str(&format!(
                "<text x=\"{tx}\" y=\"{ty}\" font-weight=\"{weight}\" fill=\"{colour}\" xml:space=\"preserve\">{}</text>\n",
                escape(&line.text)
            ));
        }
    }
    if let Some(path) = path {
        for block in &path.blocks {
            let at = match block.spot {
                Some(Spot::Link(l)) => layout.routes.iter().find(|r| r.link == Some(l)).map(|r| {
                    let cells = r.cells();
                    cells.get(cells.len() / 2).copied().unwrap_or_default()
                }),
                Some(s) => s.node().and_then(|n| layout.item_of(n)).map(|i| {
                    let r = layout.items[i].rect;
                    Point {
                        x: r.right() - 1,
                        y: r.y,
                    }
                }),
                None => None,
            };
            if let Some(at) = at {
                let (x, y) = px(at);
                out.push_str(&format!(
                    "<text x=\"{x}\" y=\"{}\" fill=\"#cf222e\" font-weight=\"bold\" text-anchor=\"middle\">✗ {}</text>\n",
                    y - 6,
                    block.code
                ));
            }
        }
    }
    out.push_str("</svg>\n");
    out
}
