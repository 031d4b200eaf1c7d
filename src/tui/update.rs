//! What each [`Action`] does (`App::apply_action`, behind `App::update` and the keys). UI-only
//! actions change focus, selection or overlays; design actions build an [`Edit`] (in
//! `commands`) and apply it through the session. Also the Reachability panel's own moves
//! (the matrix cursor, expanding groups, the fix key) and opening forms.

use super::action::Action;
use super::app::App;
use super::commands;
use super::forms::{Context, FormSpec};
use super::overlay::{Overlay, Pending, Source};
use super::panes::{PaneId, Section, Target};
use super::widgets::dialog::{Choose, Confirm};
use super::widgets::help::Help;
use super::widgets::palette::Palette;
use super::worker::Op;
use crate::edit::Edit;
use crate::engine::Verdict;
use crate::model::{Flow, Protocol};

/// The flows `CycleFlow` steps through.
pub const FLOWS: [Flow; 6] = [
    Flow::DEFAULT,
    Flow {
        protocol: Protocol::Tcp,
        port: Some(22),
    },
    Flow {
        protocol: Protocol::Tcp,
        port: Some(3389),
    },
    Flow {
        protocol: Protocol::Udp,
        port: Some(53),
    },
    Flow {
        protocol: Protocol::Icmp,
        port: None,
    },
    Flow {
        protocol: Protocol::Any,
        port: None,
    },
];

impl App {
    /// Performs one action (the caller settles the state afterwards). The live results match
    /// the session's evaluated revision on entry: every entry point settles after changing it.
    pub(super) fn apply_action(&mut self, action: Action) {
        // Edits are built from the design, which is always current, so they never wait for a
        // pending evaluation; only an action that builds its edit from the results does (the
        // fix of a blocker or a finding must be of the current design).
        if self.evaluating() && action.needs_results() {
            self.wait_idle();
        }
        if self.lesson_refuses(action) {
            return;
        }
        // The picture moves, zooms, pans and opens on its own while it has the focus.
        if self.nav.focus == PaneId::Topology && self.topology_action(action) {
            return;
        }
        match action {
            Action::Quit => {
                if self.session.is_dirty() {
                    self.overlay = Some(Overlay::Confirm(Confirm {
                        message:
                            "The design has unsaved edits. Quit without saving them? (y: quit and drop them, Ctrl-s: save and quit, n: stay)"
                                .to_string(),
                        on_yes: Pending::Quit,
                    }));
                } else {
                    self.quit_now();
                }
            }
            Action::Help => self.overlay = Some(Overlay::Help(Help::default())),
            Action::Palette => self.overlay = Some(Overlay::Palette(Palette::default())),
            Action::NextPane => self.nav.focus = self.nav.focus.next(),
            Action::PrevPane => self.nav.focus = self.nav.focus.prev(),
            Action::FocusVnets => self.nav.focus = PaneId::Vnets,
            Action::FocusPeerings => self.nav.focus = PaneId::Peerings,
            Action::FocusGateway => self.nav.focus = PaneId::Gateway,
            Action::FocusRoutes => self.nav.focus = PaneId::Routes,
            Action::FocusNsg => self.nav.focus = PaneId::Nsg,
            Action::FocusReach => self.nav.focus = PaneId::Reach,
            Action::FocusDiagnostics => self.nav.focus = PaneId::Diagnostics,
            Action::FocusTopology => self.nav.focus = PaneId::Topology,
            Action::FullScreen => self.nav.full_screen = !self.nav.full_screen,
            Action::ZoomIn
            | Action::ZoomOut
            | Action::PanLeft
            | Action::PanRight
            | Action::PanUp
            | Action::PanDown => self.refuse("zoom and pan work in the Topology pane (8)"),
            Action::PickPairEnd => {
                self.refuse("picking a pair's boxes works in the Topology pane (8)");
            }
            Action::Up
            | Action::Down
            | Action::Left
            | Action::Right
            | Action::Top
            | Action::Bottom
                if self.nav.focus == PaneId::Reach =>
            {
                let far = isize::MAX / 4;
                let (rows, columns) = match action {
                    Action::Up => (-1, 0),
                    Action::Down => (1, 0),
                    Action::Left => (0, -1),
                    Action::Right => (0, 1),
                    Action::Top => (-far, -far),
                    _ => (far, far),
                };
                self.move_in_reach(rows, columns);
            }
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::Top => self.nav.panes[self.nav.focus].selected = 0,
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::Left | Action::Right => {
                if self.nav.focus == PaneId::Peerings {
                    let step = if action == Action::Left { -1 } else { 1 };
                    self.nav.flag_cursor = self.nav.flag_cursor.moved(step);
                }
            }
            Action::Filter => self.nav.panes[self.nav.focus].filtering = true,
            Action::GoToPair
            | Action::OnlyBlocked
            | Action::OnlyChanged
            | Action::Collapse
            | Action::PageUp
            | Action::PageDown
            | Action::HalfPageUp
            | Action::HalfPageDown => self.find_action(action),
            Action::Cancel => {
                let state = &mut self.nav.panes[self.nav.focus];
                state.filter.clear();
                state.filtering = false;
                self.status = None;
            }
            Action::Add => self.add(),
            Action::Edit => self.edit(),
            Action::Delete => self.delete(),
            Action::Toggle => self.toggle(),
            Action::Undo => {
                let _ = self.perform(Op::Undo);
            }
            Action::Redo => {
                let _ = self.perform(Op::Redo);
            }
            Action::Save => match self.document.path().map(std::path::Path::to_path_buf) {
                Some(path) => self.save_to(path, true),
                None => self.open_form(FormSpec::SaveAs, &self.form_context()),
            },
            Action::SaveAs => self.open_form(FormSpec::SaveAs, &self.form_context()),
            Action::Open => self.open_dialog(),
            Action::New => {
                if self.session.is_dirty() {
                    self.overlay = Some(Overlay::Confirm(Confirm {
                        message:
                            "The design has unsaved edits. Discard them and start a new design?"
                                .to_string(),
                        on_yes: Pending::New,
                    }));
                } else {
                    self.run_pending(Pending::New);
                }
            }
            Action::ReversePeering => match self.selected_in(PaneId::Peerings) {
                Some(Target::PeeringPair { a, b }) => {
                    match commands::reverse_peering(self.session.design(), &a, &b) {
                        Ok(edit) => {
                            self.apply(edit);
                        }
                        Err(why) => self.refuse(why),
                    }
                }
                _ => self.refuse("select a peering pair in the Peerings pane first"),
            },
            Action::HubAndSpokes => self.open_form(FormSpec::HubAndSpokes, &self.form_context()),
            Action::GatewayTransit => self.gateway_transit(),
            Action::SyncPeering => match self.selected_in(PaneId::Peerings) {
                Some(Target::PeeringPair { a, b }) => {
                    match commands::sync_pair(self.session.design(), &a, &b) {
                        Some(edit) => {
                            self.apply(edit);
                        }
                        None => self.say(format!("{a} ⇄ {b} is fully in sync")),
                    }
                }
                _ => self.refuse("select a peering pair in the Peerings pane first"),
            },
            Action::CycleFlow => {
                // After the last listed flow (or a typed one) comes the first again.
                let current = self.session.flow();
                let at = FLOWS
                    .iter()
                    .position(|f| *f == current)
                    .map_or(0, |i| i + 1);
                self.set_flow(FLOWS[at % FLOWS.len()]);
            }
            Action::SetFlow => self.open_form(FormSpec::Flow, &self.form_context()),
            Action::Assumptions => self.open_form(FormSpec::Assumptions, &self.form_context()),
            Action::EditInfo => self.open_form(FormSpec::Info, &self.form_context()),
            Action::Subscriptions => self.subscriptions(),
            Action::ApplyFix if self.nav.focus == PaneId::Diagnostics => {
                self.apply_diagnostic_fix();
            }
            Action::ApplyFix => self.apply_fix(),
            Action::PermitAll => self.permit_all(),
            // Teaching: src/tui/lesson/.
            Action::Lessons => self.lessons_menu(),
            Action::PrevPage => self.turn_page(false),
            Action::NextPage => self.turn_page(true),
            Action::Hint => self.next_hint(),
            Action::LessonReset => self.reset_lesson(),
            Action::RevealSolution => {
                self.lesson_choice(super::lesson::LessonChoice::RevealSolution);
            }
            Action::Predict => self.predict_key(),
            Action::Presenter => self.presenter_key(),
            Action::LessonCard => self.card_key(),
        }
    }

    fn edit(&mut self) {
        if self.nav.focus == PaneId::Reach && !self.live.cursor().in_intents {
            return self.toggle_group();
        }
        let Some(target) = self.selected() else {
            self.add();
            return;
        };
        let spec = match target {
            Target::Section(_) => return self.add(),
            Target::Vnet(name) => FormSpec::Vnet(Some(name)),
            Target::Subnet(r) => FormSpec::Subnet(Some(r)),
            Target::Vm(name) => FormSpec::Vm(Some(name)),
            Target::Nic { vm, index } => FormSpec::Nic {
                vm,
                index: Some(index),
            },
            Target::ApplianceRule { vm, rule } => FormSpec::ApplianceRule {
                vm,
                original: Some(rule),
            },
            Target::PeeringPair { a, b } => {
                let (local, remote) = self.nav.flag_cursor.link_ends(&a, &b);
                match self.session.design().peering_between(local, remote) {
                    Some(p) => FormSpec::Peering(Some(p.name.clone())),
                    None => {
                        return self.refuse(format!(
                            "{local} → {remote} does not exist yet; r creates it"
                        ));
                    }
                }
            }
            Target::Gateway(name) => FormSpec::Gateway(Some(name)),
            Target::Site(name) => FormSpec::Site(Some(name)),
            Target::Host { site, host } => FormSpec::Host {
                original: Some((site, host)),
            },
            Target::Connection(name) => FormSpec::Connection(Some(name)),
            Target::RouteTable(name) => FormSpec::RouteTable(Some(name)),
            Target::Route { table, route } => FormSpec::Route {
                table,
                original: Some(route),
            },
            Target::Nsg(name) => FormSpec::Nsg(Some(name)),
            Target::NsgRule { nsg, rule } => FormSpec::NsgRule {
                nsg,
                original: Some(rule),
            },
            Target::Intent(name) => FormSpec::Intent(Some(name)),
            Target::Subscription(name) => FormSpec::Subscription(Some(name)),
            Target::Asg(name) => FormSpec::Asg(Some(name)),
            Target::RouteServer(name) => FormSpec::RouteServer(Some(name)),
            Target::BgpPeer { server, peer } => FormSpec::BgpPeer {
                server,
                original: Some(peer),
            },
            Target::NetworkGroup(name) => FormSpec::NetworkGroup(Some(name)),
            Target::Connectivity(name) => FormSpec::Connectivity(Some(name)),
            Target::Diagnostic(index) => return self.jump_to_diagnostic(index),
            Target::Pair { .. } | Target::EffectiveRoute(_) => return,
        };
        self.open_form(spec, &self.form_context());
    }

    fn delete(&mut self) {
        let Some(target) = self.selected() else {
            return self.refuse("nothing selected to delete");
        };
        match commands::delete(self.session.design(), &target, self.nav.flag_cursor) {
            Ok((message, edit)) => {
                self.overlay = Some(Overlay::Confirm(Confirm {
                    message,
                    on_yes: Pending::Apply(edit),
                }));
            }
            Err(why) => self.refuse(why),
        }
    }

    fn toggle(&mut self) {
        let Some(target) = self.selected() else {
            return;
        };
        if let (PaneId::Gateway, Target::Gateway(_)) = (self.nav.focus, &target) {
            return self.gateway_transit();
        }
        match commands::toggle(self.session.design(), &target, self.nav.flag_cursor) {
            Ok(edit) => {
                self.apply(edit);
            }
            Err(why) => self.refuse(why),
        }
    }

    /// Shows the subscriptions (in the Gateway pane) and opens the form for a new one; Esc
    /// leaves the list to edit (Enter) or delete (d) an existing one.
    fn subscriptions(&mut self) {
        self.nav.focus = PaneId::Gateway;
        self.nav.panes[PaneId::Gateway].filter.clear();
        self.select_target(PaneId::Gateway, &Target::Section(Section::Subscriptions));
        self.open_form(FormSpec::Subscription(None), &self.form_context());
    }

    fn gateway_transit(&mut self) {
        let design = self.session.design();
        let vnet = match self.selected() {
            Some(Target::Gateway(g)) => design.gateway(&g).map(|g| g.vnet.clone()),
            Some(Target::PeeringPair { a, b }) => [a, b]
                .into_iter()
                .find(|v| design.gateways_in(v).next().is_some()),
            _ => None,
        }
        .or_else(|| match self.selected_in(PaneId::Gateway) {
            Some(Target::Gateway(g)) => design.gateway(&g).map(|g| g.vnet.clone()),
            _ => None,
        })
        .or_else(|| design.gateways.first().map(|g| g.vnet.clone()));
        let Some(vnet) = vnet else {
            return self.refuse("there is no gateway; add one in the Gateway pane first");
        };
        match crate::edit::transit::switch_gateway_transit(design, &vnet) {
            Ok(edit) => {
                self.apply(edit);
            }
            Err(why @ crate::edit::transit::TransitRefusal::NoPeerings { .. }) => {
                self.refuse(format!("{why} (H: hub and spokes)"));
            }
            Err(why) => self.refuse(why.to_string()),
        }
    }

    fn jump_to_diagnostic(&mut self, index: usize) {
        let Some(subject) = self
            .session
            .diagnostics()
            .get(index)
            .map(|d| d.subject.clone())
        else {
            return;
        };
        let Some((pane, target)) = commands::locate(self.session.design(), &subject) else {
            return self.say(format!("{subject} has no pane of its own"));
        };
        self.nav.focus = pane;
        if pane == PaneId::Reach {
            self.live.set_in_intents(true);
        }
        self.nav.panes[pane].filter.clear();
        self.select_target(pane, &target);
        self.say(format!("jumped to {subject}"));
    }

    fn apply_diagnostic_fix(&mut self) {
        let Some(Target::Diagnostic(index)) = self.selected() else {
            return self.refuse("select a diagnostic first");
        };
        let Some(fix) = self
            .session
            .diagnostics()
            .get(index)
            .and_then(|d| d.fix.clone())
        else {
            return self.refuse("this diagnostic has no suggested fix");
        };
        match fix.edit {
            Some(edit) => {
                if self.apply(edit) {
                    self.say(format!("fixed: {} · u to undo", fix.description));
                }
            }
            None => self.refuse(format!("not a single edit: {}", fix.description)),
        }
    }

    fn open_dialog(&mut self) {
        let mut options: Vec<(String, Pending)> = self
            .document
            .files
            .list_saves()
            .into_iter()
            .map(|p| {
                let label = format!(
                    "your save: {}",
                    p.file_name().map_or_else(
                        || p.display().to_string(),
                        |n| n.to_string_lossy().into_owned()
                    )
                );
                (label, Pending::Open(Source::Path(p)))
            })
            .collect();
        options.extend(crate::io::examples::EXAMPLES.iter().map(|(name, _)| {
            (
                format!("example: {name}"),
                Pending::Open(Source::Example(name)),
            )
        }));
        // Last: the listed saves and examples keep their numbers.
        options.push((
            "type a path… (any file; Tab completes names)".to_string(),
            Pending::AskPath,
        ));
        self.overlay = Some(Overlay::Choose(Choose {
            title: "Open a design".to_string(),
            options,
            selected: 0,
        }));
    }

    /// Applies the fix of the first blocker of the selected pair that has one.
    pub(super) fn apply_fix(&mut self) {
        let Some(trace) = self.live.trace() else {
            return self.refuse("select a pair in the matrix first (6 focuses Reachability)");
        };
        if trace.verdict == Verdict::Reachable {
            return self.say(format!(
                "{} → {} is already reachable",
                trace.from, trace.to
            ));
        }
        match trace.blockers.iter().find_map(|b| b.fix.as_ref()) {
            Some(fix) => {
                let (edit, description) = (fix.edit.clone(), fix.description.clone());
                if self.apply(edit) {
                    self.say(format!("fixed: {description} · u to undo"));
                }
            }
            None => self.refuse("no blocker of this pair has a one-edit fix; see the explanation"),
        }
    }

    /// Opens a form, or says why it cannot open.
    pub(super) fn open_form(&mut self, spec: FormSpec, context: &Context) {
        match spec.open(self.session.design(), context) {
            Some(form) => self.overlay = Some(Overlay::Form(spec, form)),
            None => self.refuse(match spec {
                FormSpec::Subnet(None) | FormSpec::Gateway(None) => {
                    "add a VNet first (a in the VNets pane)"
                }
                FormSpec::Vm(None) => "add a subnet first (a on a VNet)",
                FormSpec::Peering(None) => "peering needs two VNets; add another VNet first",
                FormSpec::Host { original: None } => "add a site first (a in the Gateway pane)",
                FormSpec::Connection(None) => "add a gateway first (a in the Gateway pane)",
                FormSpec::Intent(None) => "intents need two endpoints; add VMs or site hosts first",
                _ => "that object no longer exists",
            }),
        }
    }

    /// Applies an edit through the session (evaluated inline or in the background); a
    /// refusal goes to the status bar. Returns whether the edit was applied.
    pub(super) fn apply(&mut self, edit: Edit) -> bool {
        self.perform(Op::Apply(edit)).is_ok()
    }

    pub(super) fn set_flow(&mut self, flow: Flow) {
        // A flow is never refused.
        let _ = self.perform(Op::Flow(flow));
    }
}
