//! Popups that take the keys while open: help, the command palette, an edit form, a yes/no
//! question, a list to choose from. An open overlay stays in `App::overlay` and its keys change
//! it in place; each key's handler says what happens next ([`Next`]), and only
//! [`App::close_overlay`] removes it (handing it back, so a confirmed choice can be carried
//! out). No path takes an overlay out and has to remember to put it back.

use super::action::Action;
use super::app::App;
use super::forms::{Form, FormSpec, Submit};
use super::panes::Target;
use super::widgets::dialog::{Answer, Choose, Chosen, Confirm};
use super::widgets::form::FormOutcome;
use super::widgets::help::Help;
use super::widgets::palette::{Palette, PaletteOutcome};
use super::widgets::path_prompt::{PathOutcome, PathPrompt};
use super::worker::Op;
use crate::edit::Edit;
use crate::io::recovery::Recovered;
use crate::model::SubnetRef;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;

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
    /// Take this recovered work (and remove its recovery file).
    Recover(Box<Recovered>),
    /// Remove these recovery files: the user declined them.
    DiscardRecovery(Vec<Recovered>),
    /// Ask for a path to open (with completion).
    AskPath,
    /// A choice of the lesson menu or the predict question.
    Lesson(super::lesson::LessonChoice),
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
    /// A text to read (the "as if every rule allowed it" view).
    Note(crate::tui::widgets::note::Note),
    /// A path to type (the Open dialog's "type a path").
    Path(PathPrompt),
    /// Where to save the design for a lesson (the lesson menu's saves).
    LessonPath(PathPrompt, super::lesson::LessonSave),
    /// The go-to-pair prompt.
    GoTo(super::goto::GoTo),
}

/// What follows a key in an overlay.
enum Next {
    /// The overlay stays open (it may have changed).
    Stay,
    /// It closes, and nothing else happens.
    Close,
    /// It closes and runs this action (the palette).
    Run(Action),
    /// The confirmation was answered yes, or option `usize` of the list was picked.
    Accept(Option<usize>),
    /// A "no" to a question: it closes, and declining some questions does something.
    Decline,
    /// The form asks to be applied.
    Submit,
    /// Ctrl-s in the quit prompt.
    SaveAndQuit,
    /// A typed path to open.
    OpenPath(PathBuf),
    /// A typed path to save a lesson at.
    SaveLesson(PathBuf, super::lesson::LessonSave),
    /// The go-to prompt has both names.
    GoTo,
}

impl App {
    /// Closes the open overlay and hands it back.
    pub(super) fn close_overlay(&mut self) -> Option<Overlay> {
        self.overlay.take()
    }

    /// Routes a key to the open overlay.
    pub(super) fn handle_overlay_key(&mut self, key: KeyEvent) {
        let design = self.session.design();
        let next = match &mut self.overlay {
            None => return,
            Some(Overlay::Help(help)) => {
                if help.handle_key(key) {
                    Next::Stay
                } else {
                    Next::Close
                }
            }
            Some(Overlay::Palette(palette)) => match palette.handle_key(key) {
                PaletteOutcome::Open => Next::Stay,
                PaletteOutcome::Close => Next::Close,
                PaletteOutcome::Run(action) => Next::Run(action),
            },
            Some(Overlay::Form(spec, form)) => match form.handle_key(key) {
                FormOutcome::Cancel => Next::Close,
                FormOutcome::Editing => {
                    spec.check(design, form);
                    Next::Stay
                }
                FormOutcome::Submit => Next::Submit,
            },
            // The quit prompt also takes Ctrl-s: save, then quit once the save went through.
            Some(Overlay::Confirm(Confirm {
                on_yes: Pending::Quit,
                ..
            })) if key.code == KeyCode::Char('s')
                && key.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                Next::SaveAndQuit
            }
            Some(Overlay::Confirm(_)) => match Confirm::<Pending>::answer(key) {
                Answer::Yes => Next::Accept(None),
                Answer::No => Next::Decline,
                Answer::Pending => Next::Stay,
            },
            Some(Overlay::Path(prompt)) => {
                let files = &self.document.files;
                match prompt.handle_key(key, |partial| files.complete_path(partial)) {
                    PathOutcome::Editing => Next::Stay,
                    PathOutcome::Cancel => Next::Close,
                    PathOutcome::Open(path) => Next::OpenPath(PathBuf::from(path)),
                }
            }
            Some(Overlay::LessonPath(prompt, save)) => {
                let files = &self.document.files;
                match prompt.handle_key(key, |partial| files.complete_path(partial)) {
                    PathOutcome::Editing => Next::Stay,
                    PathOutcome::Cancel => Next::Close,
                    PathOutcome::Open(path) => Next::SaveLesson(PathBuf::from(path), *save),
                }
            }
            Some(Overlay::Choose(choose)) => match choose.handle_key(key) {
                Chosen::Pick(i) => Next::Accept(Some(i)),
                Chosen::Cancel => Next::Close,
                Chosen::Pending => Next::Stay,
            },
            Some(Overlay::Note(note)) => {
                if note.handle_key(key) {
                    Next::Stay
                } else {
                    Next::Close
                }
            }
            Some(Overlay::GoTo(goto)) => {
                match goto.handle_key(key, self.session.analysis().endpoints()) {
                    super::goto::GoToOutcome::Stay => Next::Stay,
                    super::goto::GoToOutcome::Cancel => Next::Close,
                    super::goto::GoToOutcome::Go => Next::GoTo,
                }
            }
        };
        match next {
            Next::Stay => {}
            Next::Close => {
                self.close_overlay();
                // Cancelling the save-as form of a save-and-quit keeps the app open for good.
                self.document.quit_after_save = false;
            }
            Next::OpenPath(path) => {
                self.close_overlay();
                self.run_pending(Pending::Open(Source::Path(path)));
            }
            Next::SaveLesson(path, save) => {
                self.close_overlay();
                self.save_lesson_at(&path, save);
            }
            Next::SaveAndQuit => {
                self.close_overlay();
                self.document.quit_after_save = true;
                self.apply_action(Action::Save);
                if self.overlay.is_none() && self.document.quit_after_save {
                    // The save failed (its status says why): stay.
                    self.document.quit_after_save = false;
                }
            }
            Next::Run(action) => {
                self.close_overlay();
                self.apply_action(action);
            }
            Next::Accept(pick) => {
                let pending = match (self.close_overlay(), pick) {
                    (Some(Overlay::Confirm(confirm)), _) => Some(confirm.on_yes),
                    (Some(Overlay::Choose(mut choose)), Some(i)) if i < choose.options.len() => {
                        Some(choose.options.swap_remove(i).1)
                    }
                    _ => None,
                };
                if let Some(pending) = pending {
                    self.run_pending(pending);
                }
            }
            Next::Decline => {
                self.document.quit_after_save = false;
                if let Some(Overlay::Confirm(Confirm {
                    on_yes: Pending::Recover(offer),
                    ..
                })) = self.close_overlay()
                {
                    self.document.files.discard_recovery(&offer);
                    self.say("the recovered work was discarded");
                }
            }
            Next::Submit => self.submit_form(),
            Next::GoTo => {
                if let Some(Overlay::GoTo(goto)) = self.close_overlay() {
                    self.finish_goto(&goto);
                }
            }
        }
    }

    /// Applies the open form: a form that does not parse stays open with its problems; an edit
    /// the session refuses stays open with the refusal; otherwise the form closes.
    fn submit_form(&mut self) {
        let design = self.session.design();
        let Some(Overlay::Form(spec, form)) = &mut self.overlay else {
            return;
        };
        let submit = match spec.build(design, form) {
            Ok(submit) => submit,
            Err(check) => {
                spec.check(design, form);
                let problem = FormSpec::first_problem(&check)
                    .unwrap_or("the form has a problem")
                    .to_string();
                form.refusal = Some(problem.clone());
                return self.refuse(problem);
            }
        };
        let spec = spec.clone();
        match submit {
            Submit::Edit(edit) => {
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
                match self.perform(Op::Apply(edit)) {
                    Err(refusal) => {
                        if let Some(Overlay::Form(_, form)) = &mut self.overlay {
                            form.refusal = Some(refusal);
                        }
                    }
                    // The design has changed already (its evaluation may still be pending):
                    // the row exists.
                    Ok(()) => {
                        self.close_overlay();
                        if let Some(target) = select {
                            self.select_target(self.nav.focus, &target);
                        }
                    }
                }
            }
            Submit::Flow(flow) => {
                self.close_overlay();
                self.set_flow(flow);
            }
            Submit::SaveAs(path) => {
                self.close_overlay();
                let path = if path.is_relative()
                    && path.parent().is_none_or(|p| p.as_os_str().is_empty())
                {
                    self.document.files.saves_dir().join(path)
                } else {
                    path
                };
                self.save_to(path, true);
            }
        }
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
        Object::Asg(a) => Target::Asg(a.name.clone()),
        Object::RouteServer(r) => Target::RouteServer(r.name.clone()),
        Object::NetworkGroup(g) => Target::NetworkGroup(g.name.clone()),
        Object::Connectivity(c) => Target::Connectivity(c.name.clone()),
    })
}
