//! The application state and its one data flow: key → keymap → [`Action`] → [`App::update`] →
//! either UI state (focus, selection, overlays) or an [`Edit`] through [`Session::apply`] → draw.
//! The app is drivable headless: tests build it with [`App::new`], feed keys to
//! [`App::handle_key`], advance time with [`App::tick`] and draw into a `TestBackend`. Disk
//! access goes through the [`Files`] seam only.

use super::action::Action;
use super::config::Config;
use super::files::{Files, Stamp};
use super::forms::{Context, Form, FormSpec, Submit};
use super::layout::Areas;
use super::panes::{self, PaneId, PaneState, Target, View};
use super::widgets::dialog::{Answer, Choose, Chosen, Confirm};
use super::widgets::form::FormOutcome;
use super::widgets::help::Help;
use super::widgets::palette::{Palette, PaletteOutcome};
use crate::edit::Edit;
use crate::model::{Design, Flow, SubnetRef};
use crate::session::Session;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Unsaved work is copied to the recovery file this long after the last edit.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(2);

/// Something to do once the user confirms or chooses it.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Apply this edit (a delete).
    Apply(Edit),
    /// Quit, dropping unsaved edits.
    Quit,
    /// Open a form (`appliance`: a new VM starts as an appliance).
    OpenForm {
        /// The form.
        spec: FormSpec,
        /// Whether a new VM form starts as an appliance.
        appliance: bool,
    },
    /// Open a design (asks first when there are unsaved edits).
    Open(Source),
    /// Open a design, dropping unsaved edits.
    Load(Source),
    /// Start a new design, dropping unsaved edits.
    New,
    /// Save over a file that changed on disk.
    Overwrite(PathBuf),
    /// Take the recovered design.
    Recover(Box<Design>),
    /// Forget the recovered design.
    DiscardRecovery,
}

/// Where a design to open comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A bundled example, by file name.
    Example(&'static str),
    /// A file.
    Path(PathBuf),
}

/// A popup that takes the keys while it is open.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// The help overlay.
    Help(Help),
    /// The command palette.
    Palette(Palette),
    /// An edit form and what it edits.
    Form(FormSpec, Form),
    /// A yes/no question.
    Confirm(Confirm<Pending>),
    /// A list to choose from.
    Choose(Choose<Pending>),
}

/// A message on the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The sentence.
    pub text: String,
    /// Whether it reports a refusal or failure.
    pub error: bool,
}

/// The whole UI state.
pub struct App {
    pub(super) session: Session,
    pub(super) config: Config,
    pub(super) files: Box<dyn Files>,
    pub(super) focus: PaneId,
    pub(super) panes: HashMap<PaneId, PaneState>,
    pub(super) peering_column: usize,
    pub(super) overlay: Option<Overlay>,
    pub(super) status: Option<Status>,
    pub(super) file: Option<PathBuf>,
    pub(super) file_stamp: Option<Stamp>,
    pub(super) live: super::live::Live,
    pub(super) worker: super::worker::Worker,
    pub(super) areas: Areas,
    pub(super) quit: bool,
    pub(super) autosaved_revision: u64,
    pub(super) pending_since: Option<(u64, Instant)>,
}

impl App {
    /// An app over a session. `file` is where the design came from (`None`: the embedded
    /// start-up design or a new one). Offers to recover unsaved work left by a previous run.
    pub fn new(
        session: Session,
        config: Config,
        files: Box<dyn Files>,
        file: Option<PathBuf>,
    ) -> App {
        let file_stamp = file.as_deref().and_then(|p| files.stamp(p));
        let autosaved_revision = session.revision();
        let mut app = App {
            session,
            config,
            files,
            focus: PaneId::Vnets,
            panes: PaneId::ALL
                .iter()
                .map(|p| (*p, PaneState::default()))
                .collect(),
            peering_column: 0,
            overlay: None,
            status: None,
            file,
            file_stamp,
            live: super::live::Live::default(),
            worker: super::worker::Worker::default(),
            areas: Areas::default(),
            quit: false,
            autosaved_revision,
            pending_since: None,
        };
        // Start on the first pair rather than an endpoint with itself, and on the first VNet so
        // the Route table and NSG panes have a subnet to follow.
        app.live.column = 1;
        if !app.session.design().vnets.is_empty() {
            app.pane_state_mut(PaneId::Vnets).selected = 1;
        }
        if let Some(problem) = app.config.problems.first() {
            app.status = Some(Status {
                text: problem.clone(),
                error: true,
            });
        }
        if let Some(recovered) = app.files.read_recovery() {
            app.overlay = Some(Overlay::Confirm(Confirm {
                message: format!(
                    "Unsaved work from the last session was found (\"{}\", {} VNets). Recover it?",
                    recovered.name,
                    recovered.vnets.len()
                ),
                on_yes: Pending::Recover(Box::new(recovered)),
            }));
        }
        app
    }

    /// The session (design, history, derived results).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Whether the user asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The focused pane.
    pub fn focus(&self) -> PaneId {
        self.focus
    }

    /// The status-bar message, if any.
    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// The open overlay, if any.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    /// The file the design is saved to.
    pub fn file(&self) -> Option<&std::path::Path> {
        self.file.as_deref()
    }

    /// The flow the matrix is evaluated for.
    pub fn flow(&self) -> Flow {
        self.session.flow()
    }

    /// The selection state of a pane.
    pub fn pane_state(&self, pane: PaneId) -> &PaneState {
        &self.panes[&pane]
    }

    pub(super) fn pane_state_mut(&mut self, pane: PaneId) -> &mut PaneState {
        self.panes.entry(pane).or_default()
    }

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn refuse(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// A view of the session for the panes.
    pub(super) fn view(&self) -> View<'_> {
        let (context_subnet, context_vm) = self.vnets_context();
        View {
            session: &self.session,
            theme: &self.config.theme,
            peering_column: self.peering_column,
            context_subnet,
            context_vm,
            live: &self.live,
        }
    }

    /// The subnet (and VM) the VNets selection points at, which the Route table and NSG panes follow.
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

    /// The target selected in a pane (without the cross-pane context, to avoid recursion).
    pub(super) fn selected_in(&self, pane: PaneId) -> Option<Target> {
        let view = View {
            session: &self.session,
            theme: &self.config.theme,
            peering_column: self.peering_column,
            context_subnet: None,
            context_vm: None,
            live: &self.live,
        };
        let state = &self.panes[&pane];
        let rows = panes::visible_rows(pane, &view, state);
        rows.get(state.selected.min(rows.len().saturating_sub(1)))
            .map(|r| r.target.clone())
    }

    /// The target selected in the focused pane.
    pub fn selected(&self) -> Option<Target> {
        match self.focus {
            PaneId::Reach => self.reach_selection(),
            pane => self.selected_in(pane),
        }
    }

    /// Moves the selection of `pane` onto `target` if it is visible.
    pub(super) fn select_target(&mut self, pane: PaneId, target: &Target) {
        let view = self.view();
        let rows = panes::visible_rows(pane, &view, &self.panes[&pane]);
        let same = |row: &Target| match (row, target) {
            (Target::PeeringPair { a, b }, Target::PeeringPair { a: x, b: y }) => {
                (a, b) == (x, y) || (a, b) == (y, x)
            }
            _ => row == target,
        };
        if let Some(i) = rows.iter().position(|r| same(&r.target)) {
            self.pane_state_mut(pane).selected = i;
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
        let vnet = match (self.focus, self.selected()) {
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
            file: self.file.clone(),
            appliance: false,
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

    /// Applies an edit through the session (inline or in the background); a refusal goes to
    /// the status bar. Returns false when it was refused inline.
    pub(super) fn apply(&mut self, edit: Edit) -> bool {
        !matches!(self.perform(super::worker::Op::Apply(edit)), Some(Err(_)))
    }

    /// Handles one key press.
    pub fn handle_key(&mut self, key: KeyEvent) {
        if let Some(overlay) = self.overlay.take() {
            self.handle_overlay_key(overlay, key);
            return;
        }
        let state = &self.panes[&self.focus];
        if state.filtering {
            self.handle_filter_key(key);
            return;
        }
        match self.config.keymap.resolve(self.focus, key) {
            Some(action) => self.update(action),
            None => {
                if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
                    self.update(Action::Quit);
                }
            }
        }
    }

    fn handle_filter_key(&mut self, key: KeyEvent) {
        let state = self.pane_state_mut(self.focus);
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
        if !state.filter.is_empty() {
            let view = self.view();
            let rows = panes::visible_rows(self.focus, &view, &self.panes[&self.focus]);
            if let Some(i) = rows
                .iter()
                .position(|r| !matches!(r.target, Target::Section(_)))
            {
                self.pane_state_mut(self.focus).selected = i;
            }
        }
    }

    fn handle_overlay_key(&mut self, overlay: Overlay, key: KeyEvent) {
        match overlay {
            Overlay::Help(mut help) => {
                if help.handle_key(key) {
                    self.overlay = Some(Overlay::Help(help));
                }
            }
            Overlay::Palette(mut palette) => match palette.handle_key(key) {
                PaletteOutcome::Open => self.overlay = Some(Overlay::Palette(palette)),
                PaletteOutcome::Close => {}
                PaletteOutcome::Run(action) => self.update(action),
            },
            Overlay::Form(spec, mut form) => match form.handle_key(key) {
                FormOutcome::Cancel => {}
                FormOutcome::Editing => {
                    spec.check(self.session.design(), &mut form);
                    self.overlay = Some(Overlay::Form(spec, form));
                }
                FormOutcome::Submit => self.submit_form(spec, form),
            },
            Overlay::Confirm(confirm) => match Confirm::<Pending>::answer(key) {
                Answer::Yes => self.run_pending(confirm.on_yes),
                Answer::No => {
                    if let Pending::Recover(_) = confirm.on_yes {
                        self.files.clear_recovery();
                    }
                }
                Answer::Pending => self.overlay = Some(Overlay::Confirm(confirm)),
            },
            Overlay::Choose(mut choose) => match choose.handle_key(key) {
                Chosen::Pick(i) => {
                    let pending = choose.options.swap_remove(i).1;
                    self.run_pending(pending);
                }
                Chosen::Cancel => {}
                Chosen::Pending => self.overlay = Some(Overlay::Choose(choose)),
            },
        }
    }

    fn submit_form(&mut self, spec: FormSpec, mut form: Form) {
        match spec.build(self.session.design(), &form) {
            Err(check) => {
                spec.check(self.session.design(), &mut form);
                let problem = FormSpec::first_problem(&check)
                    .unwrap_or("the form has a problem")
                    .to_string();
                form.refusal = Some(problem.clone());
                self.refuse(problem);
                self.overlay = Some(Overlay::Form(spec, form));
            }
            Ok(Submit::Edit(edit)) => {
                // A NIC's edit replaces its VM; keep the NIC row (a new one is appended) selected.
                let select = match &spec {
                    FormSpec::Nic { vm, index } => {
                        self.session.design().vm(vm).map(|v| Target::Nic {
                            vm: vm.clone(),
                            index: index.unwrap_or(v.nics.len()),
                        })
                    }
                    _ => edit_target(&edit),
                };
                match self.perform(super::worker::Op::Apply(edit)) {
                    Some(Err(e)) => {
                        form.refusal = Some(e);
                        self.overlay = Some(Overlay::Form(spec, form));
                    }
                    Some(Ok(_)) => {
                        if let Some(target) = select {
                            self.select_target(self.focus, &target);
                        }
                    }
                    None => {}
                }
            }
            Ok(Submit::Flow(flow)) => self.set_flow(flow),
            Ok(Submit::SaveAs(path)) => {
                let path = if path.is_relative()
                    && path.parent().is_none_or(|p| p.as_os_str().is_empty())
                {
                    self.files.saves_dir().join(path)
                } else {
                    path
                };
                self.save_to(path, true);
            }
        }
    }

    pub(super) fn set_flow(&mut self, flow: Flow) {
        self.perform(super::worker::Op::Flow(flow));
    }

    /// The selected pair of the matrix, by endpoint names.
    pub(super) fn selected_pair_names(&self) -> Option<(String, String)> {
        let (a, b) = self.selected_endpoints()?;
        let endpoints = self.session.analysis().endpoints();
        Some((
            endpoints.get(a)?.name.clone(),
            endpoints.get(b)?.name.clone(),
        ))
    }
}

/// The row an edit creates or changes, to select it afterwards.
fn edit_target(edit: &Edit) -> Option<Target> {
    use crate::edit::Object;
    let object = match edit {
        Edit::Add { object, .. } | Edit::Replace(object) => object,
        Edit::Batch(edits) => return edits.iter().rev().find_map(edit_target),
        _ => return None,
    };
    Some(match object {
        Object::Vnet(v) => Target::Vnet(v.name.clone()),
        Object::Subnet { vnet, subnet } => Target::Subnet(SubnetRef::new(vnet, &subnet.name)),
        Object::Vm(v) => Target::Vm(v.name.clone()),
        Object::Gateway(g) => Target::Gateway(g.name.clone()),
        Object::Site(s) => Target::Site(s.name.clone()),
        Object::Connection(c) => Target::Connection(c.name.clone()),
        Object::RouteTable(t) => Target::RouteTable(t.name.clone()),
        Object::Nsg(n) => Target::Nsg(n.name.clone()),
        Object::Intent(i) => Target::Intent(i.name.clone()),
        Object::Peering(p) => Target::PeeringPair {
            a: p.local.clone(),
            b: p.remote.clone(),
        },
        Object::Subscription(s) => Target::Subscription(s.name.clone()),
    })
}
