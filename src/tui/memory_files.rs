//! [`MemoryFiles`]: the UI's file access held in memory, so that tests drive open, save,
//! autosave, recovery and lesson authoring without touching the disk. It follows the same rules
//! as [`DiskFiles`](super::files::DiskFiles) (the core's recovery naming, the design-file
//! parser); only where the bytes live differs.

use super::files::{Files, Loaded, Stamp, is_design_name, parse_content};
use crate::io::recovery::{self, Header, Instance, Recovered};
use crate::io::to_ron;
use crate::lesson::{Lesson, Resolved, is_design_text, parse_lesson};
use crate::model::Design;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

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
