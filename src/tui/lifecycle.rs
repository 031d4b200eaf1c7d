//! A design's life cycle: opening (asking first when there are unsaved edits), new designs,
//! recovering unsaved work (offered for its own file only, see [`crate::io::recovery`]), saving (asking before overwriting a file that changed on disk since
//! it was read), quitting, and the debounced autosave to the recovery file. Every disk access
//! goes through the `Files` seam, held by the [`Document`].

use super::app::{AUTOSAVE_DELAY, App};
use super::files::{Files, Stamp};
use super::forms::Context;
use super::overlay::{Overlay, Pending, Source};
use super::widgets::dialog::{Choose, Confirm};
use crate::io::azure::ImportReport;
use crate::io::recovery::Recovered;
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
    /// This instance's recovery file and the source it was written for (`None` inside: an
    /// untitled design), once one was written and until it is removed.
    own_recovery: Option<(PathBuf, Option<PathBuf>)>,
    /// Where the design came from when it was recovered (`None` inside: untitled work), until
    /// it is saved: saving it over another existing file asks first.
    pub(super) recovered_from: Option<Option<PathBuf>>,
    /// The revision waiting to be autosaved and since when it has rested.
    pending_since: Option<(u64, Instant)>,
    /// Ctrl-s was pressed in the quit prompt: the next successful save quits (an untitled
    /// design asks for its name first). Cancelling the save-as form clears it.
    pub(super) quit_after_save: bool,
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
            own_recovery: None,
            recovered_from: None,
            pending_since: None,
            quit_after_save: false,
        }
    }

    /// This instance's recovery file, once one was written and until it is removed.
    pub(super) fn own_recovery(&self) -> Option<&Path> {
        self.own_recovery.as_ref().map(|(p, _)| p.as_path())
    }

    /// Copies the design to this instance's recovery file for the current source.
    fn write_recovery(&mut self, design: &Design, revision: u64) -> Result<PathBuf, String> {
        let source = self.path().map(Path::to_path_buf);
        if let Some((_, old)) = &self.own_recovery
            && *old != source
        {
            // The design moved to another file: its old copy is superseded.
            let old = old.clone();
            self.files.remove_own_recovery(old.as_deref());
        }
        let path = self.files.write_recovery(source.as_deref(), design)?;
        self.own_recovery = Some((path.clone(), source));
        self.autosaved_revision = revision;
        Ok(path)
    }

    /// Removes this instance's recovery file (after a save, a clean quit, or discarded work).
    pub(super) fn remove_own_recovery(&mut self) {
        if let Some((_, source)) = self.own_recovery.take() {
            self.files.remove_own_recovery(source.as_deref());
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

    pub(super) fn forget_file(&mut self) {
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
            Pending::AskPath => {
                self.overlay = Some(Overlay::Path(
                    super::widgets::path_prompt::PathPrompt::default(),
                ));
            }
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
                self.lesson_ends_for_another_design();
                self.document.remove_own_recovery();
                self.document.recovered_from = None;
                self.session.replace_design(Design::empty("untitled"), true);
                self.document.forget_file();
                self.reset_selection();
                self.say("new design: a in the VNets pane adds a VNet");
            }
            Pending::Overwrite(path) => self.save_to(path, false),
            Pending::Lesson(choice) => self.lesson_choice(choice),
            Pending::Recover(offer) => {
                self.lesson_ends_for_another_design();
                self.document.files.discard_recovery(&offer);
                self.document.recovered_from = Some(offer.header.source.clone());
                self.session.replace_design(offer.design, false);
                self.reset_selection();
                self.say("recovered the unsaved work; Ctrl-s to save it");
            }
            Pending::DiscardRecovery(offers) => {
                for offer in &offers {
                    self.document.files.discard_recovery(offer);
                }
                self.say("the recovered work was discarded");
            }
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
        if loaded.is_ok() {
            self.lesson_ends_for_another_design();
            // The unsaved edits were given up for this design.
            self.document.remove_own_recovery();
            self.document.recovered_from = None;
        }
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
                self.offer_recovery();
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
        // The objects of issue 11 are counted from the design, as the export carried them.
        let design = self.session.design();
        let plural = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        let extra: Vec<String> = [
            plural(design.asgs.len(), "ASG", "ASGs"),
            plural(design.route_servers.len(), "Route Server", "Route Servers"),
            plural(
                design.network_groups.len(),
                "network group",
                "network groups",
            ),
            plural(
                design.connectivity.len(),
                "connectivity configuration",
                "connectivity configurations",
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(", {}", extra.join(", "))
        };
        // The action comes first: the status bar cuts long lines.
        self.say(format!(
            "Azure export opened: Ctrl-s saves it as a design file{tail}; {first}{extra}"
        ));
    }

    /// Offers the work left for the design's file (without a file: untitled work) by
    /// instances that have ended: one offer is a yes/no question, several a list.
    pub(super) fn offer_recovery(&mut self) {
        let source = self.document.path().map(Path::to_path_buf);
        let offers = self.document.files.recovery_offers(source.as_deref());
        let place = match &source {
            Some(path) => format!("{}", path.display()),
            None => "an untitled design".to_string(),
        };
        let describe = |offer: &Recovered| {
            format!(
                "\"{}\", {}, written {}",
                offer.design.name,
                crate::words::count(offer.design.vnets.len(), "VNet", "VNets"),
                ago(offer.header.written_ms)
            )
        };
        self.overlay = match offers.len() {
            0 => return,
            1 => {
                let offer = offers.into_iter().next().map(Box::new);
                offer.map(|offer| {
                    Overlay::Confirm(Confirm {
                        message: format!(
                            "Unsaved work on {place} was left by a session that ended ({}). Recover it? (n discards it)",
                            describe(&offer)
                        ),
                        on_yes: Pending::Recover(offer),
                    })
                })
            }
            _ => {
                let mut options: Vec<(String, Pending)> = offers
                    .iter()
                    .map(|o| {
                        (
                            format!("Recover {}", describe(o)),
                            Pending::Recover(Box::new(o.clone())),
                        )
                    })
                    .collect();
                options.push((
                    "Discard all of them".to_string(),
                    Pending::DiscardRecovery(offers),
                ));
                Some(Overlay::Choose(Choose {
                    title: format!(
                        "Unsaved work on {place} left by sessions that ended (Esc: decide later)"
                    ),
                    options,
                    selected: 0,
                }))
            }
        };
    }

    /// Saves to `path`; with `check_disk`, asks first when the file changed since it was read,
    /// or when recovered work would go over an existing file that is not where it came from.
    pub(super) fn save_to(&mut self, path: PathBuf, check_disk: bool) {
        if check_disk
            && let Some(from) = &self.document.recovered_from
            && from.as_deref() != Some(crate::io::recovery::canonical(&path).as_path())
            && self.document.files.stamp(&path).is_some()
        {
            let from = from.as_ref().map_or("an untitled design".to_string(), |p| {
                p.display().to_string()
            });
            self.overlay = Some(Overlay::Confirm(Confirm {
                message: format!(
                    "This design was recovered from {from}, not {}. Save it over {}?",
                    path.display(),
                    path.display()
                ),
                on_yes: Pending::Overwrite(path),
            }));
            return;
        }
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
                self.document.remove_own_recovery();
                self.document.recovered_from = None;
                self.document.autosaved_revision = self.session.revision();
                self.say(format!("saved {}", path.display()));
                self.document.set_file(path, stamp);
                if std::mem::take(&mut self.document.quit_after_save) {
                    self.quit_now();
                }
            }
            Err(e) => self.refuse(format!("not saved: {e}")),
        }
    }

    pub(super) fn quit_now(&mut self) {
        // A deliberate quit leaves nothing to recover.
        self.document.remove_own_recovery();
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
                    if let Err(e) = document.write_recovery(self.session.design(), revision) {
                        self.refuse(format!("autosave failed: {e}"));
                    }
                }
            }
            _ => document.pending_since = Some((revision, now)),
        }
    }
}

impl App {
    /// Writes the recovery file now if there are unsaved edits it does not hold yet (the signal
    /// and panic paths, which cannot wait for the autosave's pause); returns this instance's
    /// recovery file, if it has one.
    pub fn write_recovery_now(&mut self) -> Result<Option<PathBuf>, String> {
        let revision = self.session.revision();
        let document = &mut self.document;
        if self.session.is_dirty()
            && (revision != document.autosaved_revision || document.own_recovery.is_none())
        {
            document.write_recovery(self.session.design(), revision)?;
        }
        Ok(document.own_recovery().map(Path::to_path_buf))
    }

    /// This instance's recovery file, once one was written and until it is removed.
    pub fn recovery_file(&self) -> Option<&Path> {
        self.document.own_recovery()
    }
}

/// "3 minutes ago" for a time in milliseconds since the Unix epoch.
fn ago(written_ms: u64) -> String {
    let seconds = crate::io::recovery::now_ms().saturating_sub(written_ms) / 1000;
    match seconds {
        0..60 => "just now".to_string(),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86_400 => format!("{} h ago", seconds / 3600),
        _ => format!("{} days ago", seconds / 86_400),
    }
}
