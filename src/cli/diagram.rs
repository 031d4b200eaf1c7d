//! `vnetlab diagram`: the topology as text (the TUI's picture, with a legend), Mermaid, DOT or
//! SVG, optionally with a pair's path drawn on it; or the reachability matrix as a Markdown
//! table. All drawing is the core's (`crate::topology`); this file parses options and prints.
//! Exit code 0 when the diagram was written (whatever the path's verdict), 2 on bad input.

use super::args::{DiagramArgs, DiagramFormat, EvalOptions, ZoomChoice};
use super::reach::prepare;
use super::{EXIT_OK, EXIT_USAGE};
use crate::topology::export::{dot, markdown_matrix, mermaid, svg, text};
use crate::topology::{Layout, Overlay, PathOverlay, Picture, Topology, View, Zoom};
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(args: &DiagramArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match render(args) {
        Ok(text) => match out.write_all(text.as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                let _ = writeln!(err, "vnetlab diagram: cannot write the output: {e}");
                EXIT_USAGE
            }
        },
        Err(message) => {
            let _ = writeln!(err, "vnetlab diagram: {message}");
            EXIT_USAGE
        }
    }
}

fn render(args: &DiagramArgs) -> Result<String, String> {
    let eval = EvalOptions {
        flow: args.flow.clone(),
        assume: args.assume.clone(),
        json: false,
    };
    let (design, flow) = prepare(&args.files, &eval)?;
    if args.format == DiagramFormat::Markdown {
        let analysis = crate::engine::analyze(&design, flow, crate::engine::EngineKind::Fast);
        return markdown_matrix(&analysis)
            .map_err(|e| format!("{e} (`vnetlab reach --from/--to` narrows the matrix)"));
    }
    let topo = Topology::build(&design);
    let path = match &args.path {
        Some(pair) if pair.len() == 2 => Some(
            PathOverlay::trace(&design, &topo, &pair[0], &pair[1], flow)
                .map_err(|e| e.to_string())?,
        ),
        _ => None,
    };
    let mut view = View::for_width(args.width);
    view.ascii = args.ascii;
    view.zoom = match args.zoom {
        ZoomChoice::Vnets => Zoom::Vnets,
        ZoomChoice::Subnets => Zoom::Subnets,
        ZoomChoice::Vms => Zoom::Vms,
    };
    if args.expand {
        view.fold_after = usize::MAX;
    }
    // The path's nodes are never folded away.
    if let Some(path) = &path {
        view.pinned.extend(path.touched(&topo));
    }
    Ok(match args.format {
        DiagramFormat::Mermaid => mermaid(&topo, &view, path.as_ref()),
        DiagramFormat::Dot => dot(&topo, &view, path.as_ref()),
        DiagramFormat::Svg => svg(&Layout::compute(&topo, &view), &topo, path.as_ref()),
        DiagramFormat::Text | DiagramFormat::Markdown => {
            let layout = Layout::compute(&topo, &view);
            let mut picture = Picture::paint(&layout, &topo, &view);
            let overlay = Overlay {
                path: path.clone(),
                ..Overlay::default()
            };
            picture.recolour(&layout, &topo, &overlay);
            text(&picture, path.as_ref(), args.ascii)
        }
    })
}
