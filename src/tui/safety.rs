//! Files and safety: opening (asking first when there are unsaved edits), new designs, saving
//! (asking before overwriting a file that changed on disk since it was read), quitting, and the
//! debounced autosave to the recovery file. Every disk access goes through the `Files` seam.

use super::app::{AUTOSAVE_DELAY, App, Overlay, Pending, Source};
use super::files::Stamp;
use super::forms::Context;
use super::panes::PaneState;
use super::widgets::dialog::Confirm;
use crate::io::azure::ImportReport;
use crate::model::Design;
use std::path::PathBuf;
use std::time::Instant;

impl App {
    pub(super) fn run_pending(&mut self, pending: Pending) {
        match pending {
            Pending::Apply(edit) => {
                self.apply(edit);
            }
            Pending::Quit => self.quit_now(),
            Pending::OpenForm { spec, appliance } => {
                let context = Context {
                    appliance,
                    ..self.form_context()
                };
                self.open_form(spec, &context);
            }
            Pending::Open(source) => {
                if self.session.is_dirty() {
                    self.overlay = Some(Overlay::Confirm(Confirm {
                        message:
                            "The design has unsaved edits. Discard them and open another design?"
                                .to_string(),
                        on_yes: Pending::Load(source),
                    }));
                } else {
                    self.load(source);
                }
            }
            Pending::Load(source) => self.load(source),
            Pending::New => {
                self.session.replace_design(Design::empty("untitled"), true);
                self.file = None;
                self.file_stamp = None;
                self.reset_selection();
                self.say("new design: a in the VNets pane adds a VNet");
            }
            Pending::Overwrite(path) => self.save_to(path, false),
            Pending::Recover(design) => {
                self.session.replace_design(*design, false);
                self.reset_selection();
                self.say("recovered the unsaved work; Ctrl-s to save it");
            }
            Pending::DiscardRecovery => self.files.clear_recovery(),
        }
    }

    pub(super) fn reset_selection(&mut self) {
        for state in self.panes.values_mut() {
            *state = PaneState::default();
        }
    }

    fn load(&mut self, source: Source) {
        /// Where a loaded design came from, which decides what saving it does.
        enum Origin {
            File(PathBuf, Stamp),
            Example,
            Import(ImportReport),
        }
        let loaded = match &source {
            Source::Example(name) => crate::io::examples::example(name)
                .ok_or_else(|| format!("there is no bundled example {name}"))
                .and_then(|text| crate::io::parse_design(text, name).map_err(|e| e.to_string()))
                .map(|d| (d, Origin::Example)),
            Source::Path(path) => self.files.load(path).map(|loaded| {
                if let Some(report) = loaded.import {
                    (loaded.design, Origin::Import(report))
                } else {
                    (loaded.design, Origin::File(path.clone(), loaded.stamp))
                }
            }),
        };
        match loaded {
            Ok((design, Origin::Import(report))) => {
                self.session.replace_design(design, false);
                self.reset_selection();
                self.adopt_import(&report);
            }
            Ok((design, origin)) => {
                let name = design.name.clone();
                self.session.replace_design(design, true);
                match origin {
                    Origin::File(path, stamp) => {
                        self.file = Some(path);
                        self.file_stamp = Some(stamp);
                    }
                    Origin::Example | Origin::Import(_) => {
                        // An example is a template: saving asks for a new name.
                        self.file = None;
                        self.file_stamp = None;
                    }
                }
                self.reset_selection();
                self.say(format!("opened {name}"));
            }
            Err(e) => self.refuse(e),
        }
    }

    /// A design imported from an Azure export is new, unsaved work: it is never written back
    /// over the export, so saving asks for a design-file name.
    pub fn adopt_import(&mut self, report: &ImportReport) {
        self.file = None;
        self.file_stamp = None;
        let first = report
            .to_string()
            .lines()
            .next()
            .unwrap_or("imported")
            .to_string();
        let left_out =
            report.unsupported.values().sum::<usize>() + report.missing.len() + report.notes.len();
        let tail = if left_out == 0 {
            String::new()
        } else {
            format!(" ({left_out} items left out or noted: `vnetlab import` lists them)")
        };
        // The action comes first: the status bar cuts long lines.
        self.say(format!(
            "Azure export opened: Ctrl-s saves it as a design file{tail}; {first}"
        ));
    }

    /// Saves to `path`; with `check_disk`, asks first when the file changed since it was read.
    pub(super) fn save_to(&mut self, path: PathBuf, check_disk: bool) {
        if check_disk {
            let on_disk = self.files.stamp(&path);
            let ours = if Some(&path) == self.file.as_ref() {
                self.file_stamp
            } else {
                None
            };
            if on_disk.is_some() && on_disk != ours {
                self.overlay = Some(Overlay::Confirm(Confirm {
                    message: format!(
                        "{} changed on disk since it was opened (or belongs to another design). Overwrite it?",
                        path.display()
                    ),
                    on_yes: Pending::Overwrite(path),
                }));
                return;
            }
        }
        match self.files.save(&path, self.session.design()) {
            Ok(stamp) => {
                self.session.mark_saved();
                self.files.clear_recovery();
                self.autosaved_revision = self.session.revision();
                self.say(format!("saved {}", path.display()));
                self.file = Some(path);
                self.file_stamp = Some(stamp);
            }
            Err(e) => self.refuse(format!("not saved: {e}")),
        }
    }

    pub(super) fn quit_now(&mut self) {
        // A deliberate quit leaves nothing to recover.
        self.files.clear_recovery();
        self.quit = true;
    }

    /// Advances time: writes the recovery copy once unsaved edits have rested for
    /// [`AUTOSAVE_DELAY`].
    pub fn tick(&mut self, now: Instant) {
        self.collect_worker();
        let revision = self.session.revision();
        if !self.session.is_dirty() || revision == self.autosaved_revision {
            self.pending_since = None;
            return;
        }
        match self.pending_since {
            Some((seen, since)) if seen == revision => {
                if now.duration_since(since) >= AUTOSAVE_DELAY {
                    match self.files.write_recovery(self.session.design()) {
                        Ok(()) => self.autosaved_revision = revision,
                        Err(e) => self.refuse(format!("autosave failed: {e}")),
                    }
                    self.pending_since = None;
                }
            }
            _ => self.pending_since = Some((revision, now)),
        }
    }
}
