//! The picture as plain text: path cells drawn heavy (there is no colour in a file), then a
//! legend of the line styles and flag marks, and the path's hops and blockers.

use crate::topology::canvas::Class;
use crate::topology::{PathOverlay, Picture, Way};

/// The picture as text, with the path drawn in heavy lines, followed by the legend.
pub fn text(picture: &Picture, path: Option<&PathOverlay>, ascii: bool) -> String {
    let canvas = picture.render(0, 0, picture.canvas().width(), picture.canvas().height());
    let mut lines: Vec<String> = (0..canvas.height() as i32)
        .map(|y| {
            let row: String = (0..canvas.width() as i32)
                .filter_map(|x| canvas.get(x, y))
                .map(|cell| match cell.class {
                    Class::PathForward | Class::PathReply | Class::PathBoth => {
                        heavy(cell.ch, ascii)
                    }
                    _ => cell.ch,
                })
                .collect();
            row.trim_end().to_string()
        })
        .collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let mut out = lines.join("\n");
    out.push_str("\n\n");
    out.push_str(&legend(ascii));
    if let Some(path) = path {
        out.push('\n');
        out.push_str(&path_text(path));
    }
    out
}

/// The key to line styles and flag marks.
pub fn legend(ascii: bool) -> String {
    if ascii {
        "lines: - connected  . one side only (Initiated)  : disconnected (x)  # not in sync  = global\n\
         marks: F forwarded traffic  G gateway transit  R use remote gateways  S subnet-level  !A no VNet access  ? side missing\n"
            .to_string()
    } else {
        "lines: ─ connected  ╌ one side only (Initiated)  ┈✕ disconnected  ≠ not in sync  ═ global  ━ path\n\
         marks: F forwarded traffic  G gateway transit  R use remote gateways  S subnet-level  ¬A no VNet access  ? side missing\n"
            .to_string()
    }
}

/// The path's hops and blockers in words.
pub fn path_text(path: &PathOverlay) -> String {
    let verdict = match path.verdict {
        crate::engine::Verdict::Reachable => "REACHABLE",
        crate::engine::Verdict::Blocked => "BLOCKED",
    };
    let mut out = format!(
        "path {} → {} {}: {verdict}\n",
        path.from, path.to, path.flow
    );
    for (way, title) in [(Way::Forward, "request"), (Way::Reply, "reply")] {
        let steps: Vec<String> = path
            .steps
            .iter()
            .filter(|s| s.way == way)
            .map(|s| format!("{}. {} ({})", s.number, s.at, s.what))
            .collect();
        if !steps.is_empty() {
            out.push_str(&format!("  {title}: {}\n", steps.join(" → ")));
        }
    }
    for block in &path.blocks {
        out.push_str(&format!("  ✗ {} at {}\n", block.code, block.at));
    }
    out
}

/// The heavy form of a line glyph, so the path stands out without colour (also used by the
/// TUI's Topology pane).
pub fn heavy(ch: char, ascii: bool) -> char {
    if ascii {
        return match ch {
            '-' | '=' | '.' | ':' | '|' | '+' => '*',
            other => other,
        };
    }
    match ch {
        '─' | '═' | '╌' | '╍' | '┈' => '━',
        '│' | '║' | '╎' | '╏' | '┊' => '┃',
        '┌' | '╒' | '╓' | '╔' | '╭' => '┏',
        '┐' | '╕' | '╖' | '╗' | '╮' => '┓',
        '└' | '╘' | '╙' | '╚' | '╰' => '┗',
        '┘' | '╛' | '╜' | '╝' | '╯' => '┛',
        '├' | '╞' | '╟' | '╠' => '┣',
        '┤' | '╡' | '╢' | '╣' => '┫',
        '┬' | '╤' | '╥' | '╦' => '┳',
        '┴' | '╧' | '╨' | '╩' => '┻',
        '┼' | '╪' | '╫' | '╬' => '╋',
        other => other,
    }
}
