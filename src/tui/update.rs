//! `App::update`: what each [`Action`] does. UI-only actions change focus, selection or
//! overlays; design actions build an [`Edit`] (in `commands`) and apply it through the session.

use super::action::Action;
use super::app::{App, Overlay, Pending, Source};
use super::commands;
use super::forms::FormSpec;
use super::panes::{self, PaneId, Section, Target};
use super::widgets::dialog::{Choose, Confirm};
use super::widgets::help::Help;
use super::widgets::palette::Palette;
use super::worker::Op;
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
    /// Performs one action.
    pub fn update(&mut self, action: Action) {
        // An action that reads the design to build its change waits for a pending evaluation,
        // so it never works from a stale design; moving around and typing never wait.
        if self.evaluating() && action.changes_design() {
            self.wait_idle();
        }
        match action {
            Action::Quit => {
                if self.session.is_dirty() {
                    self.overlay = Some(Overlay::Confirm(Confirm {
                        message:
                            "The design has unsaved edits. Quit without saving? (Ctrl-s saves)"
                                .to_string(),
                        on_yes: Pending::Quit,
                    }));
                } else {
                    self.quit_now();
                }
            }
            Action::Help => self.overlay = Some(Overlay::Help(Help::default())),
            Action::Palette => self.overlay = Some(Overlay::Palette(Palette::default())),
            Action::NextPane => self.focus = self.focus.next(),
            Action::PrevPane => self.focus = self.focus.prev(),
            Action::FocusVnets => self.focus = PaneId::Vnets,
            Action::FocusPeerings => self.focus = PaneId::Peerings,
            Action::FocusGateway => self.focus = PaneId::Gateway,
            Action::FocusRoutes => self.focus = PaneId::Routes,
            Action::FocusNsg => self.focus = PaneId::Nsg,
            Action::FocusReach => self.focus = PaneId::Reach,
            Action::FocusDiagnostics => self.focus = PaneId::Diagnostics,
            Action::Up
            | Action::Down
            | Action::Left
            | Action::Right
            | Action::Top
            | Action::Bottom
                if self.focus == PaneId::Reach =>
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
            Action::Top => self.pane_state_mut(self.focus).selected = 0,
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::Left | Action::Right => {
                if self.focus == PaneId::Peerings {
                    let step = if action == Action::Left { 7 } else { 1 };
                    self.peering_column = (self.peering_column + step) % 8;
                }
            }
            Action::Filter => self.pane_state_mut(self.focus).filtering = true,
            Action::Cancel => {
                let state = self.pane_state_mut(self.focus);
                state.filter.clear();
                state.filtering = false;
                self.status = None;
            }
            Action::Add => self.add(),
            Action::Edit => self.edit(),
            Action::Delete => self.delete(),
            Action::Toggle => self.toggle(),
            Action::Undo => {
                self.perform(Op::Undo);
            }
            Action::Redo => {
                self.perform(Op::Redo);
            }
            Action::Save => match self.file.clone() {
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
            Action::ApplyFix if self.focus == PaneId::Diagnostics => self.apply_diagnostic_fix(),
            Action::ApplyFix => self.apply_fix(),
        }
    }

    fn move_selection(&mut self, delta: isize) {
        let view = self.view();
        let pane = self.focus;
        let len = panes::visible_rows(pane, &view, &self.panes[&pane]).len();
        let state = self.pane_state_mut(pane);
        let current = state.selected.min(len.saturating_sub(1)) as isize;
        state.selected = (current + delta).clamp(0, len.saturating_sub(1) as isize) as usize;
    }

    fn add(&mut self) {
        let selected = self.selected();
        let mut options: Vec<(String, Pending)> = Vec::new();
        let mut offer = |label: &str, spec: FormSpec| {
            options.push((
                label.to_string(),
                Pending::OpenForm {
                    spec,
                    appliance: false,
                },
            ));
        };
        match self.focus {
            PaneId::Vnets => {
                offer("VNet", FormSpec::Vnet(None));
                offer("Subnet", FormSpec::Subnet(None));
                offer("VM", FormSpec::Vm(None));
                options.push((
                    "Appliance (NVA or firewall)".to_string(),
                    Pending::OpenForm {
                        spec: FormSpec::Vm(None),
                        appliance: true,
                    },
                ));
                if let Some(Target::Vm(vm) | Target::Nic { vm, .. }) = &selected {
                    options.push((
                        format!("NIC of {vm}"),
                        Pending::OpenForm {
                            spec: FormSpec::Nic {
                                vm: vm.clone(),
                                index: None,
                            },
                            appliance: false,
                        },
                    ));
                }
                if let Some(Target::Vm(vm) | Target::ApplianceRule { vm, .. }) = &selected
                    && self
                        .session
                        .design()
                        .vm(vm)
                        .is_some_and(|v| v.appliance.is_some())
                {
                    options.push((
                        format!("Rule of appliance {vm}"),
                        Pending::OpenForm {
                            spec: FormSpec::ApplianceRule {
                                vm: vm.clone(),
                                original: None,
                            },
                            appliance: false,
                        },
                    ));
                }
            }
            PaneId::Peerings => {
                offer("Peering (one direction)", FormSpec::Peering(None));
                offer("Hub and spokes (both directions)", FormSpec::HubAndSpokes);
            }
            PaneId::Gateway => {
                offer("Gateway", FormSpec::Gateway(None));
                offer("On-premises site", FormSpec::Site(None));
                offer("Site host", FormSpec::Host { original: None });
                offer("Connection", FormSpec::Connection(None));
                offer("Subscription and your role", FormSpec::Subscription(None));
            }
            PaneId::Routes => {
                offer("Route table", FormSpec::RouteTable(None));
                let table = match &selected {
                    Some(Target::RouteTable(t) | Target::Route { table: t, .. }) => Some(t.clone()),
                    _ => self
                        .session
                        .design()
                        .route_tables
                        .first()
                        .map(|t| t.name.clone()),
                };
                if let Some(table) = table {
                    offer(
                        &format!("Route in {table}"),
                        FormSpec::Route {
                            table,
                            original: None,
                        },
                    );
                }
            }
            PaneId::Nsg => {
                offer("NSG", FormSpec::Nsg(None));
                let nsg = match &selected {
                    Some(Target::Nsg(n) | Target::NsgRule { nsg: n, .. }) => Some(n.clone()),
                    _ => self.session.design().nsgs.first().map(|n| n.name.clone()),
                };
                if let Some(nsg) = nsg {
                    offer(
                        &format!("Rule in {nsg}"),
                        FormSpec::NsgRule {
                            nsg,
                            original: None,
                        },
                    );
                }
            }
            PaneId::Reach => offer("Intent", FormSpec::Intent(None)),
            PaneId::Diagnostics => {
                return self
                    .say("diagnostics come from the design; Enter jumps to the object to change");
            }
        }
        // The most specific choice first: a subnet when a VNet is selected, a VM on a subnet…
        let preferred = match (&selected, self.focus) {
            (Some(Target::Vnet(_)), PaneId::Vnets) => 1,
            (Some(Target::Subnet(_) | Target::Vm(_)), PaneId::Vnets) => 2,
            (Some(Target::ApplianceRule { .. }), PaneId::Vnets) => options.len() - 1,
            (Some(Target::Nic { .. }), PaneId::Vnets) => 4,
            (Some(Target::Site(_) | Target::Host { .. }), PaneId::Gateway) => 2,
            (Some(Target::Section(Section::Sites)), PaneId::Gateway) => 1,
            (
                Some(Target::Connection(_) | Target::Section(Section::Connections)),
                PaneId::Gateway,
            ) => 3,
            (
                Some(Target::Subscription(_) | Target::Section(Section::Subscriptions)),
                PaneId::Gateway,
            ) => 4,
            (Some(Target::RouteTable(_) | Target::Route { .. }), PaneId::Routes) => 1,
            (Some(Target::Nsg(_) | Target::NsgRule { .. }), PaneId::Nsg) => 1,
            _ => 0,
        };
        if options.len() == 1 {
            let (_, pending) = options.remove(0);
            self.run_pending(pending);
        } else {
            self.overlay = Some(Overlay::Choose(Choose {
                title: format!("Add to {}", self.focus.title()),
                selected: preferred.min(options.len() - 1),
                options,
            }));
        }
    }

    fn edit(&mut self) {
        if self.focus == PaneId::Reach && !self.live.in_intents {
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
                let (local, remote) = if self.peering_column < 4 {
                    (a, b)
                } else {
                    (b, a)
                };
                match self.session.design().peering_between(&local, &remote) {
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
            Target::Diagnostic(index) => return self.jump_to_diagnostic(index),
            Target::Pair { .. } => return,
        };
        self.open_form(spec, &self.form_context());
    }

    fn delete(&mut self) {
        let Some(target) = self.selected() else {
            return self.refuse("nothing selected to delete");
        };
        match commands::delete(self.session.design(), &target, self.peering_column) {
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
        if let (PaneId::Gateway, Target::Gateway(_)) = (self.focus, &target) {
            return self.gateway_transit();
        }
        match commands::toggle(self.session.design(), &target, self.peering_column) {
            Ok(edit) => {
                self.apply(edit);
            }
            Err(why) => self.refuse(why),
        }
    }

    /// Shows the subscriptions (in the Gateway pane) and opens the form for a new one; Esc
    /// leaves the list to edit (Enter) or delete (d) an existing one.
    fn subscriptions(&mut self) {
        self.focus = PaneId::Gateway;
        self.pane_state_mut(PaneId::Gateway).filter.clear();
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
        match commands::gateway_transit(design, &vnet) {
            Ok(edit) => {
                self.apply(edit);
            }
            Err(why) => self.refuse(why),
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
        self.focus = pane;
        if pane == PaneId::Reach {
            self.live.in_intents = true;
        }
        self.pane_state_mut(pane).filter.clear();
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
                if self.apply(edit) && !self.evaluating() {
                    self.say(format!("fixed: {} · u to undo", fix.description));
                }
            }
            None => self.refuse(format!("not a single edit: {}", fix.description)),
        }
    }

    fn open_dialog(&mut self) {
        let mut options: Vec<(String, Pending)> = self
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
        self.overlay = Some(Overlay::Choose(Choose {
            title: "Open a design".to_string(),
            options,
            selected: 0,
        }));
    }
}
