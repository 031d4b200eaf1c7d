//! A design's life cycle: opening (asking first when there are unsaved edits), new designs,
//! recovering unsaved work, saving (asking before overwriting a file that changed on disk since
//! it was read), quitting, and the debounced autosave to the recovery file. Every disk access
//! goes through the `Files` seam, held by the [`Document`].

use super::app::{AUTOSAVE_DELAY, App};
use super::files::{Files, Stamp};
use super::forms::Context;
use super::overlay::{Overlay, Pending, Source};
use super::widgets::dialog::Confirm;
use crate::io::azure::ImportReport;
use crate::model::Design;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the design lives on disk and what of it has been written. Invariant: a stamp is only
/// kept together with the path it was read from or written to.
pub(super) struct Document {
    /// The file system seam.
    pub(super) files: Box<dyn Files>,
    /// The file and its stamp as last read or written; `None` for a new, example or imported
    /// design, which saving asks a name for.
    file: Option<(PathBuf, Option<Stamp>)>,
    /// The session revision last copied to the recovery file.
    autosaved_revision: u64,
    /// The revision waiting to be autosaved and since when it has rested.
    pending_since: Option<(u64, Instant)>,
}

impl Document {
    /// A document over `files`, whose design came from `file` (read at `revision`).
    pub(super) fn new(files: Box<dyn Files>, file: Option<PathBuf>, revision: u64) -> Document {
        let file = file.map(|path| {
            let stamp = files.stamp(&path);
            (path, stamp)
        });
        Document {
            files,
            file,
            autosaved_revision: revision,
            pending_since: None,
        }
    }

    /// The file the design is saved to.
    pub(super) fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(|(p, _)| p.as_path())
    }

    /// The stamp of `path` as we last read or wrote it, if it is our file.
    fn stamp_of(&self, path: &Path) -> Option<Stamp> {
        self.file
            .as_ref()
            .filter(|(p, _)| p == path)
            .and_then(|(_, s)| *s)
    }

    fn set_file(&mut self, path: PathBuf, stamp: Stamp) {
        self.file = Some((path, Some(stamp)));
    }

    fn forget_file(&mut self) {
        self.file = None;
    }
}

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
                self.document.forget_file();
                self.reset_selection();
                self.say("new design: a in the VNets pane adds a VNet");
            }
            Pending::Overwrite(path) => self.save_to(path, false),
            Pending::Recover(design) => {
                self.session.replace_design(*design, false);
                self.reset_selection();
                self.say("recovered the unsaved work; Ctrl-s to save it");
            }
            Pending::DiscardRecovery => self.document.files.clear_recovery(),
        }
    }

    pub(super) fn reset_selection(&mut self) {
        self.nav.panes.reset();
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
            Source::Path(path) => self.document.files.load(path).map(|loaded| {
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
                    Origin::File(path, stamp) => self.document.set_file(path, stamp),
                    // An example is a template: saving asks for a new name.
                    Origin::Example | Origin::Import(_) => self.document.forget_file(),
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
        self.document.forget_file();
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
            let on_disk = self.document.files.stamp(&path);
            let ours = self.document.stamp_of(&path);
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
        match self.document.files.save(&path, self.session.design()) {
            Ok(stamp) => {
                self.session.mark_saved();
                self.document.files.clear_recovery();
                self.document.autosaved_revision = self.session.revision();
                self.say(format!("saved {}", path.display()));
                self.document.set_file(path, stamp);
            }
            Err(e) => self.refuse(format!("not saved: {e}")),
        }
    }

    pub(super) fn quit_now(&mut self) {
        // A deliberate quit leaves nothing to recover.
        self.document.files.clear_recovery();
        self.quit = true;
    }

    /// Advances time: adopts a finished background evaluation, and writes the recovery copy
    /// once unsaved edits have rested for [`AUTOSAVE_DELAY`].
    pub fn tick(&mut self, now: Instant) {
        self.catch_up();
        self.autosave(now);
        self.settle();
    }

    fn autosave(&mut self, now: Instant) {
        let revision = self.session.revision();
        let document = &mut self.document;
        if !self.session.is_dirty() || revision == document.autosaved_revision {
            document.pending_since = None;
            return;
        }
        match document.pending_since {
            Some((seen, since)) if seen == revision => {
                if now.duration_since(since) >= AUTOSAVE_DELAY {
                    document.pending_since = None;
                    match document.files.write_recovery(self.session.design()) {
                        Ok(()) => document.autosaved_revision = revision,
                        Err(e) => self.refuse(format!("autosave failed: {e}")),
                    }
                }
            }
            _ => document.pending_since = Some((revision, now)),
        }
    }
}
