//! Drawing the Topology pane: the visible window of the picture (`crate::topology` paints it;
//! the app keeps it in [`TopologyPane`]) copied into the frame with the theme's colours, and a
//! caption line under it naming the matrix's selected pair and its verdict, with the blocking
//! hop's reason code. The path's cells are drawn in heavy lines as well as in colour (as in
//! `vnetlab diagram --path`), so it reads without colour too. Costs O(window).

use crate::engine::Verdict;
use crate::topology::export::heavy;
use crate::topology::{Class, PathOverlay};
use crate::tui::theme::Theme;
use crate::tui::topology::TopologyPane;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// The part of the pane's outer rectangle the picture is drawn in: inside the border, above
/// the caption line (when the pane has room for one).
pub fn picture_area(rect: Rect) -> Rect {
    let inner = rect.inner(ratatui::layout::Margin::new(1, 1));
    if inner.height >= 4 {
        Rect {
            height: inner.height - 1,
            ..inner
        }
    } else {
        inner
    }
}

/// The style of a picture cell; the path is coloured by its verdict.
fn style(class: Class, theme: &Theme, verdict: Option<Verdict>) -> Style {
    let path = match verdict {
        Some(Verdict::Reachable) => theme.reachable,
        _ => theme.warning.add_modifier(Modifier::BOLD),
    };
    match class {
        Class::Normal => theme.text,
        Class::Dim => theme.dim,
        Class::Title => theme.title,
        Class::Hub => theme.accent,
        Class::Outside => theme.border_focused,
        Class::Ok => theme.reachable,
        Class::Warn => theme.warning,
        Class::Blocked => theme.blocked,
        Class::Selected => theme.selected,
        Class::Match => theme.flipped,
        Class::PathForward | Class::PathBoth => path,
        Class::PathReply => path.add_modifier(Modifier::ITALIC),
    }
}

/// Draws the pane's inside (`inner`, within the border) from its state.
pub fn render(pane: &TopologyPane, theme: &Theme, rect: Rect, buf: &mut Buffer) {
    let area = picture_area(rect);
    let Some((canvas, more)) = pane.window() else {
        return;
    };
    let path = pane.path();
    let verdict = path.map(|p| p.verdict);
    let selected = pane.selected_frame();
    let on_frame = |x: i32, y: i32| {
        selected.is_some_and(|r| {
            r.contains(crate::topology::Point { x, y })
                && (x == r.x || x == r.right() || y == r.y || y == r.bottom())
        })
    };
    for row in 0..area.height.min(canvas.height() as u16) {
        for col in 0..area.width.min(canvas.width() as u16) {
            let Some(cell) = canvas.get(i32::from(col), i32::from(row)) else {
                continue;
            };
            let ch = match cell.class {
                Class::PathForward | Class::PathReply | Class::PathBoth => {
                    heavy(cell.ch, canvas.is_ascii())
                }
                _ => cell.ch,
            };
            let (x, y) = (i32::from(col), i32::from(row));
            if ch == ' ' && cell.class == Class::Normal {
                continue;
            }
            let mut look = style(cell.class, theme, verdict);
            if on_frame(x, y) {
                look = look.patch(theme.selected);
            }
            buf[(area.x + col, area.y + row)]
                .set_char(ch)
                .set_style(look);
        }
    }
    let inner = rect.inner(ratatui::layout::Margin::new(1, 1));
    if inner.height > area.height {
        let caption = caption(path, more, theme);
        crate::tui::widgets::text::put_line(
            buf,
            inner.x,
            inner.bottom() - 1,
            &caption,
            inner.width,
        );
    }
}

/// The caption: the selected pair and its verdict, or how to pick one; then what is off-screen.
fn caption(path: Option<&PathOverlay>, more: [bool; 4], theme: &Theme) -> Line<'static> {
    let mut spans = match path {
        Some(p) => {
            let mut spans = vec![Span::styled(
                format!("{} → {} {} ", p.from, p.to, p.flow),
                theme.text,
            )];
            match (p.verdict, p.blocks.first()) {
                (Verdict::Reachable, _) => {
                    spans.push(Span::styled("✓ reachable", theme.reachable));
                }
                (Verdict::Blocked, Some(block)) => spans.push(Span::styled(
                    format!("✗ {} at {}", block.code, block.at),
                    theme.blocked,
                )),
                (Verdict::Blocked, None) => spans.push(Span::styled("✗ blocked", theme.blocked)),
            }
            spans
        }
        None => vec![Span::styled(
            "select a pair in the matrix (6), ctrl-g, or space on two boxes to draw its path",
            theme.dim,
        )],
    };
    let arrows: String = ["◂", "▸", "▴", "▾"]
        .iter()
        .zip(more)
        .filter(|(_, m)| *m)
        .map(|(a, _)| *a)
        .collect();
    if !arrows.is_empty() {
        spans.push(Span::styled(
            format!("  · more {arrows} (shift+arrows pan)"),
            theme.dim,
        ));
    }
    Line::from(spans)
}
