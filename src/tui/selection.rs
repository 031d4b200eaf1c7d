//! What is selected, read from the panes' row models (targets, never styled rows): the row under
//! each pane's cursor, the subnet the Route table and NSG panes follow, what forms are pre-filled
//! from, and moving the selection (keys and the filter).
//!
//! Cost: the row models of the VNets, Peerings and Gateways panes and of the intents are built
//! once per design ([`TargetsMemo`]), so a cursor move reads them without rebuilding them;
//! the Route table, NSG and Diagnostics panes, and any filtered pane, build theirs per call.

use super::app::App;
use super::forms::Context;
use super::panes::{self, PaneId, Target, View};
use crate::model::{Design, SubnetRef};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::rc::Rc;
use std::sync::Arc;

impl App {
    /// A view of the session for the panes.
    pub(super) fn view(&self) -> View<'_> {
        let (context_subnet, context_vm) = self.vnets_context();
        View {
            context_subnet,
            context_vm,
            ..self.bare_view()
        }
    }

    /// A view without the cross-pane context (which is itself read from a view).
    fn bare_view(&self) -> View<'_> {
        View {
            session: &self.session,
            theme: &self.config.theme,
            flag_cursor: self.nav.flag_cursor,
            context_subnet: None,
            context_vm: None,
            live: &self.live,
        }
    }

    /// The subnet (and VM) the VNets selection points at, which the Route table and NSG panes
    /// follow.
    pub(super) fn vnets_context(&self) -> (Option<SubnetRef>, Option<String>) {
        let design = self.session.design();
        match self.selected_in(PaneId::Vnets) {
            Some(Target::Subnet(r)) => (Some(r), None),
            Some(
                Target::Vm(name)
                | Target::ApplianceRule { vm: name, .. }
                | Target::Nic { vm: name, .. },
            ) => (
                design
                    .vm(&name)
                    .and_then(|vm| vm.primary())
                    .map(|n| n.subnet.clone()),
                Some(name),
            ),
            Some(Target::Vnet(name)) => (
                design
                    .vnet(&name)
                    .and_then(|v| v.subnets.first().map(|s| SubnetRef::new(&v.name, &s.name))),
                None,
            ),
            _ => (None, None),
        }
    }

    /// The targets of a pane's visible (filtered) rows. The unfiltered rows of the panes whose
    /// rows follow the design alone are built once per design ([`TargetsMemo`]).
    pub(super) fn visible_targets(&self, pane: PaneId, view: &View) -> Rc<[Target]> {
        let state = &self.nav.panes[pane];
        if !state.filter.is_empty() || !TargetsMemo::follows_design_alone(pane) {
            return panes::visible_targets(pane, view, state).into();
        }
        self.targets_memo
            .borrow_mut()
            .get_or_build(pane, self.session.shared_design(), || {
                panes::targets(pane, view)
            })
    }

    /// The target selected in a pane, in the order the pane draws its rows: the Route table
    /// and NSG panes list what applies to the VNets selection first, so they are read with that
    /// context; the VNets pane, which the context comes from, is read without it.
    pub(super) fn selected_in(&self, pane: PaneId) -> Option<Target> {
        let view = match pane {
            PaneId::Vnets => self.bare_view(),
            _ => self.view(),
        };
        let targets = self.visible_targets(pane, &view);
        let at = panes::clamped(self.nav.panes[pane].selected, targets.len());
        targets.get(at).cloned()
    }

    /// The target selected in the focused pane.
    pub fn selected(&self) -> Option<Target> {
        match self.nav.focus {
            PaneId::Reach => self.reach_selection(),
            pane => self.selected_in(pane),
        }
    }

    /// The selection of the Reachability panel: an intent, or the pair under the cursor.
    pub(super) fn reach_selection(&self) -> Option<Target> {
        if self.live.cursor().in_intents {
            return self.selected_in(PaneId::Reach);
        }
        self.live
            .selected_endpoints()
            .map(|(from, to)| Target::Pair { from, to })
    }

    /// Moves the selection of `pane` onto `target` if it is visible.
    pub(super) fn select_target(&mut self, pane: PaneId, target: &Target) {
        let targets = self.visible_targets(pane, &self.view());
        let same = |row: &Target| match (row, target) {
            (Target::PeeringPair { a, b }, Target::PeeringPair { a: x, b: y }) => {
                (a, b) == (x, y) || (a, b) == (y, x)
            }
            _ => row == target,
        };
        if let Some(i) = targets.iter().position(same) {
            self.nav.panes[pane].selected = i;
        }
    }

    /// Moves the focused pane's selection by `delta` rows, within the list.
    pub(super) fn move_selection(&mut self, delta: isize) {
        let pane = self.nav.focus;
        let len = self.visible_targets(pane, &self.view()).len();
        let state = &mut self.nav.panes[pane];
        let current = panes::clamped(state.selected, len) as isize;
        state.selected = (current + delta).clamp(0, len.saturating_sub(1) as isize) as usize;
    }

    /// A key while the focused pane's filter takes the keys.
    pub(super) fn handle_filter_key(&mut self, key: KeyEvent) {
        let pane = self.nav.focus;
        let state = &mut self.nav.panes[pane];
        match key.code {
            KeyCode::Esc => {
                state.filter.clear();
                state.filtering = false;
            }
            KeyCode::Enter | KeyCode::Down | KeyCode::Up => state.filtering = false,
            KeyCode::Backspace => {
                state.filter.pop();
                state.selected = 0;
            }
            KeyCode::Char(c) => {
                state.filter.push(c);
                state.selected = 0;
            }
            _ => {}
        }
        // Land on the first real match rather than a section header.
        if !self.nav.panes[pane].filter.is_empty()
            && let Some(i) = self
                .visible_targets(pane, &self.view())
                .iter()
                .position(|t| !matches!(t, Target::Section(_)))
        {
            self.nav.panes[pane].selected = i;
        }
    }

    /// What forms opened now are pre-filled from.
    pub(super) fn form_context(&self) -> Context {
        let design = self.session.design();
        let (subnet, _) = self.vnets_context();
        let vnet = match self.selected_in(PaneId::Vnets) {
            Some(Target::Vnet(name)) => Some(name),
            _ => subnet.as_ref().map(|s| s.vnet.clone()),
        };
        let vnet = match (self.nav.focus, self.selected()) {
            (PaneId::Peerings, Some(Target::PeeringPair { a, .. })) => Some(a),
            (PaneId::Gateway, Some(Target::Gateway(g))) => {
                design.gateway(&g).map(|g| g.vnet.clone())
            }
            _ => vnet,
        };
        let site = match self.selected_in(PaneId::Gateway) {
            Some(Target::Site(s) | Target::Host { site: s, .. }) => Some(s),
            _ => None,
        };
        Context {
            vnet,
            subnet,
            site,
            pair: self.selected_pair_names(),
            flow: self.session.flow(),
            file: self.document.path().map(std::path::Path::to_path_buf),
            appliance: false,
        }
    }

    /// The selected pair of the matrix, by endpoint names.
    pub(super) fn selected_pair_names(&self) -> Option<(String, String)> {
        let (a, b) = self.live.selected_endpoints()?;
        let endpoints = self.session.analysis().endpoints();
        Some((
            endpoints.get(a)?.name.clone(),
            endpoints.get(b)?.name.clone(),
        ))
    }
}

/// The unfiltered row models of the panes whose rows follow the design alone (VNets, Peerings,
/// Gateways, the intents under the matrix), kept for the design they were built from. Every
/// input reads the VNets selection a few times (the panes that follow it, the frame), and on a
/// design with ten thousand VMs rebuilding its rows each time cost milliseconds per key.
#[derive(Debug, Default)]
pub(super) struct TargetsMemo {
    /// The design the rows were built from (held, so its address is not reused).
    design: Option<Arc<Design>>,
    rows: [Option<Rc<[Target]>>; PaneId::ALL.len()],
}

impl TargetsMemo {
    /// Whether `pane`'s rows are a function of the design alone (the Route table and NSG panes
    /// follow the VNets selection, Diagnostics the evaluation).
    fn follows_design_alone(pane: PaneId) -> bool {
        matches!(
            pane,
            PaneId::Vnets | PaneId::Peerings | PaneId::Gateway | PaneId::Reach
        )
    }

    /// `pane`'s rows for `design`, built by `build` unless kept already.
    fn get_or_build(
        &mut self,
        pane: PaneId,
        design: &Arc<Design>,
        build: impl FnOnce() -> Vec<Target>,
    ) -> Rc<[Target]> {
        if !self.design.as_ref().is_some_and(|d| Arc::ptr_eq(d, design)) {
            *self = TargetsMemo {
                design: Some(Arc::clone(design)),
                ..TargetsMemo::default()
            };
        }
        Rc::clone(self.rows[pane.index()].get_or_insert_with(|| build().into()))
    }
}
