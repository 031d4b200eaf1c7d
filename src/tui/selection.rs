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
/// design with ten thousand VMs rebuilding its rows each time cost milliseconds per key. After
/// an edit, a pane keeps its rows when what they are built from is unchanged
/// ([`TargetsMemo::same_rows`]): a peering flag or an NSG rule leaves the VNets pane's 13,000
/// rows of a 2 × 1,000-spoke design as they were.
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

    /// Whether `pane`'s rows (`panes::targets`) are the same for `old` and `new`: the parts of
    /// the design they are built from are equal (compared without copying).
    fn same_rows(pane: PaneId, old: &Design, new: &Design) -> bool {
        match pane {
            PaneId::Vnets => old.vnets == new.vnets && old.vms == new.vms,
            // The pairs of VNets with a peering, named by its ends alone.
            PaneId::Peerings => {
                old.peerings.len() == new.peerings.len()
                    && old
                        .peerings
                        .iter()
                        .zip(&new.peerings)
                        .all(|(a, b)| a.local == b.local && a.remote == b.remote)
            }
            PaneId::Gateway => {
                old.gateways == new.gateways
                    && old.sites == new.sites
                    && old.connections == new.connections
                    && old.subscriptions == new.subscriptions
                    && old.route_servers == new.route_servers
                    && old.network_groups == new.network_groups
                    && old.connectivity == new.connectivity
            }
            PaneId::Reach => old.intents == new.intents,
            _ => false,
        }
    }

    /// `pane`'s rows for `design`, built by `build` unless kept already.
    fn get_or_build(
        &mut self,
        pane: PaneId,
        design: &Arc<Design>,
        build: impl FnOnce() -> Vec<Target>,
    ) -> Rc<[Target]> {
        match &self.design {
            Some(held) if Arc::ptr_eq(held, design) => {}
            Some(held) => {
                let held = Arc::clone(held);
                for pane in PaneId::ALL {
                    let row = &mut self.rows[pane.index()];
                    if row.is_some() && !Self::same_rows(pane, &held, design) {
                        *row = None;
                    }
                }
                self.design = Some(Arc::clone(design));
            }
            None => self.design = Some(Arc::clone(design)),
        }
        Rc::clone(self.rows[pane.index()].get_or_insert_with(|| build().into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::{Dice, random_edit};
    use crate::edit::{Edit, ObjectRef};
    use crate::model::ObjectKind;
    use crate::model::generate::{HubSpokeParams, hub_spoke};
    use crate::session::Session;
    use crate::tui::{App, Config, MemoryFiles};

    /// Every pane the memo keeps shows, after each edit, exactly the rows a fresh build gives
    /// for the design as it then is, whether the memo kept its rows or built them again.
    #[test]
    fn kept_rows_are_the_rows_of_the_edited_design() {
        let design = hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 4,
            subnets_per_spoke: 2,
            vms_per_subnet: 1,
        })
        .expect("valid counts");
        let mut app = App::new(
            Session::new(design),
            Config::embedded(),
            Box::new(MemoryFiles::default()),
            None,
        );
        let panes = [
            PaneId::Vnets,
            PaneId::Peerings,
            PaneId::Gateway,
            PaneId::Reach,
        ];
        let check = |app: &App, step: &str| {
            for pane in panes {
                let view = app.bare_view();
                let memo = app.visible_targets(pane, &view);
                assert_eq!(
                    &memo[..],
                    &panes::targets(pane, &view)[..],
                    "{pane:?} after {step}"
                );
            }
        };
        check(&app, "opening");
        let renames = |design: &Design| {
            let first = |kind, name: Option<&String>| {
                name.map(|n| Edit::Rename {
                    target: ObjectRef::new(kind, n.clone()),
                    to: format!("{n}-x"),
                })
            };
            [
                first(ObjectKind::Vm, design.vms.first().map(|v| &v.name)),
                first(ObjectKind::Vnet, design.vnets.last().map(|v| &v.name)),
                first(
                    ObjectKind::Peering,
                    design.peerings.first().map(|p| &p.name),
                ),
                first(ObjectKind::Site, design.sites.first().map(|s| &s.name)),
                first(
                    ObjectKind::Gateway,
                    design.gateways.first().map(|g| &g.name),
                ),
            ]
        };
        // Edits that change one pane's inputs alone: a host at a site (Gateways), an intent
        // (the intents under the matrix).
        let mut site = app.session().design().sites[0].clone();
        site.hosts.push(crate::model::Host {
            name: "extra-host".into(),
            ip: std::net::Ipv4Addr::from(u32::from(site.hosts[0].ip) + 1),
        });
        let endpoints = app.session().design().endpoints();
        let intent = crate::model::Intent {
            name: "web-to-db".into(),
            from: endpoints[0].name.clone(),
            to: endpoints[1].name.clone(),
            flow: crate::model::Flow::DEFAULT,
            expect: crate::model::Expectation::Reachable,
        };
        for edit in [
            Edit::Replace(crate::edit::Object::Site(site)),
            Edit::Add {
                object: crate::edit::Object::Intent(intent),
                at: None,
            },
        ] {
            let step = format!("{edit:?}");
            assert!(app.apply_edit(edit), "{step}");
            app.wait_idle();
            check(&app, &step);
        }
        let mut dice = Dice::new(7);
        let mut renamed = 0;
        for serial in 0..40 {
            let design = app.session().design().clone();
            let edit = if serial % 8 == 7 {
                renames(&design).into_iter().flatten().nth(renamed)
            } else {
                random_edit(&design, &mut dice, serial)
            };
            let Some(edit) = edit else { continue };
            if serial % 8 == 7 {
                renamed += 1;
            }
            let step = format!("{edit:?}");
            let applied = app.apply_edit(edit);
            app.wait_idle();
            if applied {
                check(&app, &step);
            }
        }
        assert!(renamed >= 4, "the renames ran");
    }
}
