//! The UI's only door to the disk: opening and saving designs, noticing a file that changed
//! since it was opened, listing the user's saves, reading the config files, and the recovery
//! file. [`DiskFiles`] is the real one; [`MemoryFiles`] lets tests drive open, save, autosave and
//! recovery without touching the disk. Both name, write and choose recovery copies with the
//! core's rules ([`crate::io::recovery`]).

use crate::io::azure::{self, ImportReport};
use crate::io::read::{self, InputKind, ReadError};
use crate::io::recovery::{self, Header, Instance, Recovered, RecoveryDir};
use crate::io::{AppDirs, parse_design, save_design, to_ron};
use crate::lesson::{Lesson, Resolved, is_design_text, parse_lesson};
use crate::model::Design;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

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
fn parse_content(text: &str, path: &Path, stamp: Stamp) -> Result<Loaded, String> {
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

/// What [`MemoryFiles`] holds: design files by path, config texts, the recovery copies.
#[derive(Debug, Clone, Default)]
pub struct MemoryState {
    /// Design files by path.
    pub files: HashMap<PathBuf, String>,
    /// Config files by name.
    pub config: HashMap<String, String>,
    /// The recovery copies by file name (named and written as on disk).
    pub recovery: HashMap<String, String>,
    /// The instances that count as still running (besides the one asking).
    pub running: HashSet<Instance>,
    /// Number of recovery writes, to observe debouncing.
    pub recovery_writes: usize,
    /// Files of the data directory by name (the lesson progress).
    pub data: HashMap<String, String>,
}

/// Files kept in memory, for tests. Clones share the same state, so a test keeps a handle to
/// inspect what the app saved; [`MemoryFiles::as_instance`] gives another instance's view.
#[derive(Debug, Clone)]
pub struct MemoryFiles {
    state: Arc<Mutex<MemoryState>>,
    me: Instance,
}

impl Default for MemoryFiles {
    fn default() -> MemoryFiles {
        MemoryFiles {
            state: Arc::default(),
            me: Instance {
                pid: 1,
                started_ms: 1,
                boot_ticks: None,
            },
        }
    }
}

impl MemoryFiles {
    /// The same files as seen by another instance (a second window, or the next start).
    pub fn as_instance(&self, me: Instance) -> MemoryFiles {
        MemoryFiles {
            state: Arc::clone(&self.state),
            me,
        }
    }

    /// The instance this view belongs to.
    pub fn instance(&self) -> Instance {
        self.me
    }

    /// The recovery copies as they would be read back, by file name.
    pub fn recovered(&self) -> Vec<Recovered> {
        let mut found: Vec<Recovered> = self
            .state()
            .recovery
            .iter()
            .filter_map(|(name, text)| recovery::decode(name, text))
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    /// The shared state.
    pub fn state(&self) -> MutexGuard<'_, MemoryState> {
        // A test that panicked while holding the lock has failed already; keep its data.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Files for MemoryFiles {
    fn load(&self, path: &Path) -> Result<Loaded, String> {
        let text = self
            .state()
            .files
            .get(path)
            .cloned()
            .ok_or_else(|| format!("{}: no such file", path.display()))?;
        parse_content(&text, path, Stamp::of(text.as_bytes()))
    }

    fn save(&mut self, path: &Path, design: &Design) -> Result<Stamp, String> {
        let text = to_ron(design).map_err(|e| e.to_string())?;
        let stamp = Stamp::of(text.as_bytes());
        self.state().files.insert(path.to_path_buf(), text);
        Ok(stamp)
    }

    fn stamp(&self, path: &Path) -> Option<Stamp> {
        self.state()
            .files
            .get(path)
            .map(|t| Stamp::of(t.as_bytes()))
    }

    fn list_saves(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self
            .state()
            .files
            .keys()
            .filter(|p| p.starts_with("saves"))
            .cloned()
            .collect();
        paths.sort();
        paths
    }

    fn saves_dir(&self) -> PathBuf {
        PathBuf::from("saves")
    }

    fn complete_path(&self, partial: &str) -> Vec<String> {
        let mut found: Vec<String> = self
            .state()
            .files
            .keys()
            .map(|p| p.to_string_lossy().into_owned())
            .filter(|p| p.starts_with(partial) && is_design_name(p))
            .collect();
        found.sort();
        found
    }

    fn read_config(&self, name: &str) -> Option<Result<String, String>> {
        self.state().config.get(name).cloned().map(Ok)
    }

    fn write_recovery(
        &mut self,
        source: Option<&Path>,
        design: &Design,
    ) -> Result<PathBuf, String> {
        let source = source.map(recovery::canonical);
        let name = recovery::file_name(source.as_deref(), &self.me);
        let header = Header {
            source,
            instance: self.me,
            written_ms: recovery::now_ms(),
        };
        let text = recovery::encode(&header, design).map_err(|e| e.to_string())?;
        let mut state = self.state();
        state.recovery.insert(name.clone(), text);
        state.recovery_writes += 1;
        Ok(PathBuf::from("recovery").join(name))
    }

    fn recovery_offers(&self, source: Option<&Path>) -> Vec<Recovered> {
        let source = source.map(recovery::canonical);
        let running = self.state().running.clone();
        recovery::select(self.recovered(), source.as_deref(), &self.me, |i| {
            running.contains(i)
        })
    }

    fn remove_own_recovery(&mut self, source: Option<&Path>) {
        let source = source.map(recovery::canonical);
        let name = recovery::file_name(source.as_deref(), &self.me);
        let mut state = self.state();
        let mine = state
            .recovery
            .get(&name)
            .and_then(|text| recovery::decode_header(text))
            .is_some_and(|h| h.instance == self.me);
        if mine {
            state.recovery.remove(&name);
        }
    }

    fn discard_recovery(&mut self, offer: &Recovered) {
        let mut state = self.state();
        let unchanged = state
            .recovery
            .get(&offer.name)
            .and_then(|text| recovery::decode_header(text))
            .is_some_and(|h| h == offer.header);
        if unchanged {
            state.recovery.remove(&offer.name);
        }
    }

    fn read_data(&self, name: &str) -> Option<String> {
        self.state().data.get(name).cloned()
    }

    fn write_data(&mut self, name: &str, text: &str) -> Result<(), String> {
        self.state().data.insert(name.to_string(), text.to_string());
        Ok(())
    }

    fn lessons_dir(&self) -> PathBuf {
        PathBuf::from("lessons")
    }

    fn load_lessons(&self, dir: &Path) -> Vec<Result<Lesson, String>> {
        let state = self.state();
        let mut paths: Vec<&PathBuf> = state
            .files
            .iter()
            .filter(|(p, text)| {
                p.parent() == Some(dir)
                    && p.extension().is_some_and(|x| x == "ron")
                    && !is_design_text(text)
            })
            .map(|(p, _)| p)
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|p| memory_lesson(&state, p))
            .collect()
    }

    fn write_text(&mut self, path: &Path, text: &str) -> Result<(), String> {
        self.state()
            .files
            .insert(path.to_path_buf(), text.to_string());
        Ok(())
    }

    fn read_text(&self, path: &Path) -> Option<String> {
        self.state().files.get(path).cloned()
    }

    fn is_folder(&self, path: &Path) -> bool {
        let state = self.state();
        state.files.keys().any(|p| p != path && p.starts_with(path))
    }

    fn load_lesson(&self, path: &Path) -> Result<Lesson, String> {
        memory_lesson(&self.state(), path)
    }
}

/// A lesson file of [`MemoryFiles`], its design files read next to it.
fn memory_lesson(state: &MemoryState, path: &Path) -> Result<Lesson, String> {
    let text = state
        .files
        .get(path)
        .ok_or_else(|| format!("{}: no such file", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let resolve = |name: &str| -> Result<Resolved, String> {
        let file = dir.join(name);
        state
            .files
            .get(&file)
            .map(|text| Resolved {
                shown: file.display().to_string(),
                text: text.clone(),
            })
            .ok_or_else(|| "no such file".to_string())
    };
    parse_lesson(text, &path.display().to_string(), &resolve).map_err(|e| e.to_string())
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
fn is_design_name(name: &str) -> bool {
    name.ends_with(".ron") || name.ends_with(".json")
}
