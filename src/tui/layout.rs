//! Where everything goes, computed before drawing, so drawing, mouse hit-testing and tests use
//! the same rectangles. [`layout`] places the panes from the terminal size and the focus alone:
//! wide terminals show every pane at once; from 80×24 up to the wide layout, a tab line shows
//! the panes and the focused one sits beside the Reachability panel; below 80×24 the UI says so
//! instead of garbling. The Topology pane takes the place of every pane but Reachability in the
//! wide layout while it has the focus (the picture beside the matrix whose selected pair it
//! draws), and sits beside Reachability like any pane in the compact one. Full screen
//! ([`arrange`] with `full`) gives the focused pane the whole body. [`Screen`] adds what depends on the panel's contents: where the matrix's
//! cells go for the current matrix and cursor. The app recomputes its `Screen` after every
//! input and on resize (cheap: no engine, only rectangles and label widths), and drawing reads it.

use super::live::Live;
use super::matrix_view::MatrixView;
use super::panes::list::rows_area;
use super::panes::reach::{self, MatrixLayout};
use super::panes::{PaneId, PaneSplit, PaneState};
use super::widgets::split_bottom;
use crate::session::Session;
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};

/// The smallest terminal the UI draws in.
pub const MIN_SIZE: (u16, u16) = (80, 24);
/// From this size up, all panes are shown at once.
pub const WIDE_SIZE: (u16, u16) = (140, 36);

/// The rectangles of one frame.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Areas {
    /// Visible panes and their rectangles.
    pub panes: Vec<(PaneId, Rect)>,
    /// The tab line of the compact layout (one cell range per pane).
    pub tabs: Option<Rect>,
    /// The status line.
    pub status: Rect,
    /// The key-hint line.
    pub hints: Rect,
    /// Set when the terminal is below [`MIN_SIZE`]: the whole area, for the notice.
    pub too_small: Option<Rect>,
}

impl Areas {
    /// The pane under a screen position.
    pub fn pane_at(&self, position: Position) -> Option<(PaneId, Rect)> {
        self.panes
            .iter()
            .copied()
            .find(|(_, rect)| rect.contains(position))
    }

    /// The rectangle of a visible pane.
    pub fn rect_of(&self, pane: PaneId) -> Option<Rect> {
        self.panes.iter().find(|(p, _)| *p == pane).map(|(_, r)| *r)
    }
}

/// Lays out a frame of size `area` with `focus` as the focused pane (not full screen).
pub fn layout(area: Rect, focus: PaneId) -> Areas {
    arrange(area, focus, false)
}

/// Lays out a frame of size `area` with `focus` as the focused pane; with `full`, the focused
/// pane takes the whole body (no tab line).
pub fn arrange(area: Rect, focus: PaneId, full: bool) -> Areas {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return Areas {
            too_small: Some(area),
            ..Areas::default()
        };
    }
    let [main, status, hints] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    if full {
        return Areas {
            panes: vec![(focus, main)],
            tabs: None,
            status,
            hints,
            too_small: None,
        };
    }
    if area.width >= WIDE_SIZE.0 && area.height >= WIDE_SIZE.1 {
        let [left, middle, right] = main.layout(&Layout::horizontal([
            Constraint::Percentage(30),
            Constraint::Percentage(34),
            Constraint::Fill(1),
        ]));
        if focus == PaneId::Topology {
            let picture = Rect {
                width: right.x - left.x,
                ..left
            };
            return Areas {
                panes: vec![(PaneId::Topology, picture), (PaneId::Reach, right)],
                tabs: None,
                status,
                hints,
                too_small: None,
            };
        }
        let [vnets, gateway, diagnostics] = left.layout(&Layout::vertical([
            Constraint::Fill(5),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ]));
        let [peerings, routes, nsg] = middle.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ]));
        return Areas {
            panes: vec![
                (PaneId::Vnets, vnets),
                (PaneId::Peerings, peerings),
                (PaneId::Gateway, gateway),
                (PaneId::Routes, routes),
                (PaneId::Nsg, nsg),
                (PaneId::Reach, right),
                (PaneId::Diagnostics, diagnostics),
            ],
            tabs: None,
            status,
            hints,
            too_small: None,
        };
    }
    let [tabs, body] = main.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    let panes = if focus == PaneId::Reach {
        vec![(PaneId::Reach, body)]
    } else {
        let [left, right] = body.layout(&Layout::horizontal([
            Constraint::Percentage(50),
            Constraint::Fill(1),
        ]));
        vec![(focus, left), (PaneId::Reach, right)]
    };
    Areas {
        panes,
        tabs: Some(tabs),
        status,
        hints,
        too_small: None,
    }
}

/// The tab labels of the compact layout and their x ranges within `tabs`.
pub fn tab_ranges(tabs: Rect) -> Vec<(PaneId, u16, u16)> {
    let mut x = tabs.x;
    let mut ranges = Vec::new();
    for (pane, label) in PaneId::ALL.iter().zip(tab_labels(tabs.width)) {
        let width = label.chars().count() as u16;
        ranges.push((*pane, x, x + width));
        x += width + 1;
    }
    ranges
}

/// The tab labels that fit in `width` columns (one space between them): padded full titles,
/// else unpadded, else short titles, so every tab (`8 Topology` too) stays on the line.
pub fn tab_labels(width: u16) -> Vec<String> {
    let fits = |labels: &[String]| {
        labels.iter().map(|l| l.chars().count() + 1).sum::<usize>() <= usize::from(width) + 1
    };
    let full: Vec<String> = PaneId::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| tab_label(*p, i))
        .collect();
    if fits(&full) {
        return full;
    }
    let bare: Vec<String> = full.iter().map(|l| l.trim().to_string()).collect();
    if fits(&bare) {
        return bare;
    }
    PaneId::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let short = match p {
                PaneId::Routes => "Routes",
                PaneId::Reach => "Reach",
                PaneId::Diagnostics => "Diag",
                other => other.title(),
            };
            format!("{} {short}", i + 1)
        })
        .collect()
}

/// The label of a pane in the tab line: its number key and title.
pub fn tab_label(pane: PaneId, index: usize) -> String {
    format!(" {} {} ", index + 1, pane.title())
}

/// Splits a pane's inner area into its list and its extra area, by pane. The Peerings pane's
/// split depends on its content too: [`Screen::peerings`] holds it.
pub fn split_pane(pane: PaneId, inner: Rect) -> PaneSplit {
    let split = |bottom: u16| {
        let (list, extra) = split_bottom(inner, bottom);
        PaneSplit {
            list,
            extra: Some(extra),
        }
    };
    match pane {
        PaneId::Reach => reach::split(inner),
        PaneId::Diagnostics if inner.height >= 6 => split((inner.height / 2).min(5)),
        _ => PaneSplit {
            list: inner,
            extra: None,
        },
    }
}

/// The rectangle where a pane's rows are drawn, for mouse hit-testing.
pub fn list_rect(screen: &Screen, pane: PaneId, rect: Rect, state: &PaneState) -> Option<Rect> {
    let inner = rect.inner(Margin::new(1, 1));
    let rows = rows_area(screen.split(pane, inner).list, state);
    (rows.height > 0).then_some(rows)
}

/// Everything a frame of one size needs placed before drawing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Screen {
    /// The terminal area this was computed for.
    pub size: Rect,
    /// The panes, status and hint lines.
    pub areas: Areas,
    /// The matrix's parts in the Reachability panel, when the panel is shown.
    pub matrix: Option<MatrixLayout>,
    /// The Peerings pane's list and detail, sized to the detail's lines, when the pane shows.
    pub peerings: Option<PaneSplit>,
}

impl Screen {
    /// Places a frame of `size` with `focus` (full screen or not), the matrix and its cursor
    /// as `live` holds them.
    pub fn new(
        size: Rect,
        focus: PaneId,
        full: bool,
        live: &Live,
        view: &MatrixView,
        session: &Session,
    ) -> Screen {
        let areas = arrange(size, focus, full);
        let matrix = areas
            .rect_of(PaneId::Reach)
            .and_then(|rect| split_pane(PaneId::Reach, rect.inner(Margin::new(1, 1))).extra)
            .and_then(|area| {
                let cursor = live.cursor();
                Some(MatrixLayout::new(
                    area,
                    live.matrix()?,
                    session.analysis().endpoints(),
                    view,
                    cursor.row,
                    cursor.column,
                ))
            });
        Screen {
            size,
            areas,
            matrix,
            peerings: None,
        }
    }

    /// The split of `pane` whose inner area is `inner`: the Peerings pane's as placed for its
    /// content, any other pane's by [`split_pane`].
    pub fn split(&self, pane: PaneId, inner: Rect) -> PaneSplit {
        match (pane, self.peerings) {
            (PaneId::Peerings, Some(split))
                if split.list.x == inner.x && split.list.y == inner.y =>
            {
                split
            }
            _ => split_pane(pane, inner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_layout_shows_every_pane_without_overlap() {
        let areas = layout(Rect::new(0, 0, 160, 48), PaneId::Vnets);
        assert_eq!(areas.panes.len(), 7);
        for (i, (_, a)) in areas.panes.iter().enumerate() {
            for (_, b) in &areas.panes[i + 1..] {
                assert!(!a.intersects(*b), "{a:?} overlaps {b:?}");
            }
            assert!(a.width >= 20 && a.height >= 7, "{a:?}");
        }
        assert_eq!(areas.status.y, 46);
    }

    #[test]
    fn compact_layout_pairs_the_focus_with_reachability() {
        let areas = layout(Rect::new(0, 0, 80, 24), PaneId::Peerings);
        let shown: Vec<PaneId> = areas.panes.iter().map(|(p, _)| *p).collect();
        assert_eq!(shown, [PaneId::Peerings, PaneId::Reach]);
        assert!(areas.tabs.is_some());
        assert_eq!(
            areas.pane_at(Position::new(70, 10)).map(|(p, _)| p),
            Some(PaneId::Reach)
        );
    }

    #[test]
    fn topology_sits_beside_reachability_and_full_screen_takes_the_body() {
        for size in [Rect::new(0, 0, 160, 48), Rect::new(0, 0, 100, 30)] {
            let areas = layout(size, PaneId::Topology);
            let shown: Vec<PaneId> = areas.panes.iter().map(|(p, _)| *p).collect();
            assert_eq!(shown, [PaneId::Topology, PaneId::Reach], "{size:?}");
            let (picture, matrix) = (areas.panes[0].1, areas.panes[1].1);
            assert!(!picture.intersects(matrix) && picture.x + picture.width == matrix.x);
            let full = arrange(size, PaneId::Topology, true);
            assert_eq!(full.panes.len(), 1);
            assert_eq!(full.panes[0].1.height, size.height - 2);
            assert_eq!(full.panes[0].1.width, size.width);
        }
    }

    #[test]
    fn below_the_minimum_nothing_is_laid_out() {
        let areas = layout(Rect::new(0, 0, 79, 30), PaneId::Vnets);
        assert!(areas.too_small.is_some() && areas.panes.is_empty());
    }
}
