//! The UI's only door to the disk: opening and saving designs, noticing a file that changed
//! since it was opened, listing the user's saves, reading the config files, and the recovery
//! file. [`DiskFiles`] is the real one; [`MemoryFiles`] lets tests drive open, save, autosave and
//! recovery without touching the disk. Both name, write and choose recovery copies with the
//! core's rules ([`crate::io::recovery`]).

use crate::io::azure::{self, ImportReport};
use crate::io::read::{self, InputKind, ReadError};
use crate::io::recovery::{Instance, Recovered, RecoveryDir};
use crate::io::{AppDirs, parse_design, save_design, to_ron};
use crate::lesson::Lesson;
use crate::model::Design;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

pub use super::memory_files::{MemoryFiles, MemoryState};

/// What a file looked like when vnetlab last read or wrote it: its length and a hash of its
/// content, so a change by another program is noticed even when the modification time is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    hash: u64,
}

impl Stamp {
    /// The stamp of some file content.
    pub fn of(content: &[u8]) -> Stamp {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        content.hash(&mut hasher);
        Stamp {
            len: content.len() as u64,
            hash: hasher.finish(),
        }
    }
}

/// A file opened by the UI.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The design it holds.
    pub design: Design,
    /// Its stamp when read.
    pub stamp: Stamp,
    /// The import summary when the file was an Azure JSON export rather than a design file:
    /// such a design is new work, saved as a design file, never written over the export.
    pub import: Option<ImportReport>,
}

/// Parses file content as a design file or, when it is JSON, as an Azure export.
pub(super) fn parse_content(text: &str, path: &Path, stamp: Stamp) -> Result<Loaded, String> {
    let shown = path.display().to_string();
    if azure::source::looks_like_json(text) {
        let imported =
            azure::import_texts(&[(shown, text.to_string())]).map_err(|e| e.to_string())?;
        return Ok(Loaded {
            design: imported.design,
            stamp,
            import: Some(imported.report),
        });
    }
    let design = parse_design(text, &shown).map_err(|e| e.to_string())?;
    Ok(Loaded {
        design,
        stamp,
        import: None,
    })
}

/// File access as the UI needs it.
pub trait Files {
    /// Reads a design file or an Azure JSON export; the error is a sentence naming the file
    /// (and line).
    fn load(&self, path: &Path) -> Result<Loaded, String>;
    /// Saves atomically (keeping a `.bak`); returns the new stamp.
    fn save(&mut self, path: &Path, design: &Design) -> Result<Stamp, String>;
    /// The current stamp of a file, or `None` when it does not exist.
    fn stamp(&self, path: &Path) -> Option<Stamp>;
    /// The user's saved designs.
    fn list_saves(&self) -> Vec<PathBuf>;
    /// The folder new saves go to.
    fn saves_dir(&self) -> PathBuf;
    /// The paths that complete `partial` (typed in the Open dialog): the entries of its folder
    /// whose names start with its last part, folders with a trailing `/`, files only when they
    /// are designs or exports (`.ron`, `.json`); sorted.
    fn complete_path(&self, partial: &str) -> Vec<String>;
    /// A config file's text (`keymap.ron`, `theme.ron`), `None` when absent.
    fn read_config(&self, name: &str) -> Option<Result<String, String>>;
    /// Writes this instance's recovery copy of unsaved work whose source is `source` (`None`:
    /// an untitled design) and returns where it is.
    fn write_recovery(&mut self, source: Option<&Path>, design: &Design)
    -> Result<PathBuf, String>;
    /// The recovery copies left for `source` by instances that have ended, newest first
    /// (`None`: untitled ones; unreadable copies are ignored).
    fn recovery_offers(&self, source: Option<&Path>) -> Vec<Recovered>;
    /// Removes this instance's own recovery copy for `source` (never another instance's).
    fn remove_own_recovery(&mut self, source: Option<&Path>);
    /// Removes a recovery copy the user accepted or declined.
    fn discard_recovery(&mut self, offer: &Recovered);
    /// A file of the data directory (the lesson progress), `None` when absent or unreadable.
    fn read_data(&self, name: &str) -> Option<String>;
    /// Writes a file of the data directory atomically.
    fn write_data(&mut self, name: &str, text: &str) -> Result<(), String>;
    /// The folder of the user's own lessons (`DATA/lessons`), listed by the lesson picker.
    fn lessons_dir(&self) -> PathBuf;
    /// The lessons of a folder in name order, each loaded or refused with a sentence (none
    /// when the folder does not exist).
    fn load_lessons(&self, dir: &Path) -> Vec<Result<Lesson, String>>;
    /// Writes a text file atomically, creating its folder (a lesson being authored).
    fn write_text(&mut self, path: &Path, text: &str) -> Result<(), String>;
    /// A text file's content (a lesson being authored), `None` when absent or unreadable.
    fn read_text(&self, path: &Path) -> Option<String>;
    /// Whether `path` is a folder (named where a file to write is expected).
    fn is_folder(&self, path: &Path) -> bool;
    /// One lesson file, loaded (its design files resolved next to it) or refused with a
    /// sentence.
    fn load_lesson(&self, path: &Path) -> Result<Lesson, String>;
}

/// The real file system, in the directories of [`AppDirs`].
#[derive(Debug, Clone)]
pub struct DiskFiles {
    dirs: AppDirs,
    recovery: RecoveryDir,
}

impl DiskFiles {
    /// Files under these directories, for this process.
    pub fn new(dirs: AppDirs) -> DiskFiles {
        let recovery = RecoveryDir::new(dirs.recovery_dir(), Instance::current());
        DiskFiles { dirs, recovery }
    }
}

impl Files for DiskFiles {
    fn load(&self, path: &Path) -> Result<Loaded, String> {
        // The one bounded reader: a folder or an oversized file is refused before reading.
        let bytes = read::read_bytes(path, InputKind::Design).map_err(|e| e.to_string())?;
        let stamp = Stamp::of(&bytes);
        // Azure PowerShell writes UTF-16; the decoder handles every encoding we accept.
        let text = read::decode(bytes, &path.display().to_string()).map_err(|e| e.to_string())?;
        parse_content(&text, path, stamp)
    }

    fn save(&mut self, path: &Path, design: &Design) -> Result<Stamp, String> {
        save_design(path, design).map_err(|e| e.to_string())?;
        Ok(Stamp::of(
            to_ron(design).map_err(|e| e.to_string())?.as_bytes(),
        ))
    }

    fn stamp(&self, path: &Path) -> Option<Stamp> {
        read::read_bytes(path, InputKind::Design)
            .ok()
            .map(|bytes| Stamp::of(&bytes))
    }

    fn list_saves(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.dirs.saves()) else {
            return Vec::new();
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            // Azure exports dropped into the folder open too (as new, unsaved designs).
            .filter(|p| p.extension().is_some_and(|x| x == "ron" || x == "json"))
            .collect();
        found.sort();
        found
    }

    fn saves_dir(&self) -> PathBuf {
        self.dirs.saves()
    }

    fn complete_path(&self, partial: &str) -> Vec<String> {
        let (folder, stem) = match partial.rfind('/') {
            Some(at) => (&partial[..=at], &partial[at + 1..]),
            None => ("", partial),
        };
        let dir = if folder.is_empty() { "." } else { folder };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut found: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with(stem) || (name.starts_with('.') && !stem.starts_with('.')) {
                    return None;
                }
                if entry.path().is_dir() {
                    Some(format!("{folder}{name}/"))
                } else if is_design_name(&name) {
                    Some(format!("{folder}{name}"))
                } else {
                    None
                }
            })
            .collect();
        found.sort();
        found
    }

    fn read_config(&self, name: &str) -> Option<Result<String, String>> {
        let path = self.dirs.config.join(name);
        match read::read_text(&path, InputKind::Settings) {
            Ok(text) => Some(Ok(text)),
            Err(ReadError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                None
            }
            Err(e) => Some(Err(e.to_string())),
        }
    }

    fn write_recovery(
        &mut self,
        source: Option<&Path>,
        design: &Design,
    ) -> Result<PathBuf, String> {
        self.recovery
            .write(source, design)
            .map_err(|e| e.to_string())
    }

    fn recovery_offers(&self, source: Option<&Path>) -> Vec<Recovered> {
        self.recovery.offers(source, Instance::is_running)
    }

    fn remove_own_recovery(&mut self, source: Option<&Path>) {
        self.recovery.remove_own(source);
    }

    fn discard_recovery(&mut self, offer: &Recovered) {
        self.recovery.discard(offer);
    }

    fn read_data(&self, name: &str) -> Option<String> {
        read::read_text(&self.dirs.data.join(name), InputKind::Settings).ok()
    }

    fn write_data(&mut self, name: &str, text: &str) -> Result<(), String> {
        let path = self.dirs.data.join(name);
        self.write_text(&path, text)
    }

    fn lessons_dir(&self) -> PathBuf {
        self.dirs.data.join("lessons")
    }

    fn load_lessons(&self, dir: &Path) -> Vec<Result<Lesson, String>> {
        if !dir.is_dir() {
            return Vec::new();
        }
        match crate::io::lessons::load_dir(dir) {
            Ok(lessons) => lessons
                .into_iter()
                .map(|l| l.map_err(|e| e.to_string()))
                .collect(),
            Err(e) => vec![Err(e.to_string())],
        }
    }

    fn write_text(&mut self, path: &Path, text: &str) -> Result<(), String> {
        if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|e| format!("{}: cannot create it: {e}", folder.display()))?;
        }
        crate::io::files::write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
    }

    fn read_text(&self, path: &Path) -> Option<String> {
        read::read_text(path, InputKind::Lesson).ok()
    }

    fn is_folder(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn load_lesson(&self, path: &Path) -> Result<Lesson, String> {
        crate::io::lessons::load_lesson(path).map_err(|e| e.to_string())
    }
}

/// Whether `vnetlab PATH` should start a new design to be saved at `path`: the file does not
/// exist, and it is named as a design file (`.ron`), in a folder that exists. Anything else
/// (a typo in an existing folder's name, an Azure export that is missing) is an error to report.
pub fn starts_new_design(path: &Path) -> bool {
    let folder_exists = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.is_dir(),
        _ => true,
    };
    !path.exists() && path.extension().is_some_and(|x| x == "ron") && folder_exists
}

/// The status line for a new design started for a missing file.
pub fn new_design_note(path: &Path) -> String {
    format!(
        "new design: {} does not exist yet; Ctrl-s saves it there (a in VNets adds a VNet)",
        path.display()
    )
}

/// Whether a file name is one the Open dialog offers: a design or an Azure export.
pub(super) fn is_design_name(name: &str) -> bool {
    name.ends_with(".ron") || name.ends_with(".json")
}
