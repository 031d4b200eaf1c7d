//! The app's side of the Topology pane ([`TopologyPane`](super::topology::TopologyPane)):
//! bringing its picture up to date on each settle from the session, the matrix's selected pair
//! (unless predict-then-reveal hides it) and the pane's filter; its keys (moves between boxes,
//! zoom, panning, Enter) and clicks; and keeping the VNets pane on the selected VNet. The pane's
//! state, and what each settle costs, are `topology`'s; this module only calls its methods.

use super::action::Action;
use super::app::App;
use super::panes::{PaneId, Target};
use super::topology::{Opened, PAN_STEP, TopologyWork, zoom_name};
use crate::topology::{Direction, ItemKey, Node};
use ratatui::layout::{Position, Rect};

impl App {
    /// Brings the Topology pane's picture up to date (the pane is shown at `rect`).
    pub(super) fn refresh_topology(&mut self, rect: Rect) {
        let window = super::panes::topology::picture_area(rect);
        let filter = self.nav.panes[PaneId::Topology].filter.clone();
        // The matrix's pair, while the cursor is on the matrix (not in the intents list) and
        // predict-then-reveal does not hide it.
        let trace = self
            .live
            .trace()
            .filter(|_| !self.live.cursor().in_intents && !self.hides_selected_pair());
        self.topology.refresh(&self.session, trace, &filter, window);
    }

    /// The Topology pane's selected box.
    pub fn topology_selected(&self) -> Option<&ItemKey> {
        self.topology.selected()
    }

    /// The work the Topology pane has done so far (builds, restates, layouts).
    pub fn topology_work(&self) -> TopologyWork {
        self.topology.work()
    }

    /// The actions the Topology pane handles itself while it has the focus: moving between
    /// boxes, opening the selected object, zooming and panning. Returns whether it handled
    /// `action`.
    pub(super) fn topology_action(&mut self, action: Action) -> bool {
        let pane = &mut self.topology;
        let moved = match action {
            Action::Left => pane.step(Direction::Left),
            Action::Right => pane.step(Direction::Right),
            Action::Up => pane.step(Direction::Up),
            Action::Down => pane.step(Direction::Down),
            Action::Top | Action::Bottom => {
                pane.select_end(action == Action::Bottom);
                true
            }
            Action::ZoomIn | Action::ZoomOut => {
                let zoom = pane.zoom_by(action == Action::ZoomIn);
                self.say(format!("zoom: {}", zoom_name(zoom)));
                return true;
            }
            Action::PanLeft | Action::PanRight | Action::PanUp | Action::PanDown => {
                let (dx, dy) = match action {
                    Action::PanLeft => (-PAN_STEP, 0),
                    Action::PanRight => (PAN_STEP, 0),
                    Action::PanUp => (0, -PAN_STEP / 2),
                    _ => (0, PAN_STEP / 2),
                };
                pane.pan(dx, dy);
                return true;
            }
            Action::Edit => {
                self.open_topology_selection();
                return true;
            }
            Action::PickPairEnd | Action::Toggle => {
                self.mark_pair_end();
                return true;
            }
            _ => return false,
        };
        if moved {
            self.follow_topology_selection();
        }
        true
    }

    /// A click at a screen position inside the Topology pane at `rect`.
    pub(super) fn click_topology(&mut self, rect: Rect, position: Position) {
        let window = super::panes::topology::picture_area(rect);
        if window.contains(position)
            && self
                .topology
                .click(position.x - window.x, position.y - window.y)
        {
            self.follow_topology_selection();
        }
    }

    /// Keeps the VNets pane in step with the picture: selecting a VNet's box selects its row,
    /// so the Route table and NSG panes follow it too.
    fn follow_topology_selection(&mut self) {
        if let Some(Node::Vnet(v)) = self.topology.selected_node() {
            let target = Target::Vnet(v.name.clone());
            self.nav.panes[PaneId::Vnets].filter.clear();
            self.select_target(PaneId::Vnets, &target);
        }
    }

    /// Enter on the picture: a VNet, site or point-to-site pool opens its form; a `+N more`
    /// box opens (or closes) to show what it holds.
    fn open_topology_selection(&mut self) {
        match self.topology.open_selection() {
            Opened::Form(spec) => self.open_form(spec, &self.form_context()),
            Opened::Folding => {}
            Opened::NothingSelected => self.refuse("nothing selected in the picture"),
            Opened::NotDrawn => self.say(
                "NSGs, route tables, intents and subscriptions have their own panes (4, 5, 6, 3)",
            ),
        }
    }
}
