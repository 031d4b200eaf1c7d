//! Recovery files: unsaved work copied aside so a crash, a kill or a closed terminal loses
//! nothing, and so that work comes back only where it belongs.
//!
//! There is one recovery file per source file and running instance (and one per untitled
//! design and instance), in [`AppDirs::recovery_dir`]. Its name comes from a hash of the
//! canonical source path and the writer's [`Instance`] (process id and start time), so two
//! instances never write over each other and a file is found without reading the others. Its
//! first line is a comment holding the [`Header`] as JSON (source path, instance, time); the
//! rest is the design in the ordinary design-file format, so a recovery file also opens as a
//! design by hand.
//!
//! The rules the UI follows, decided here: a recovery file is offered only for its own source
//! (untitled ones when vnetlab starts without a file), only when its writer is no longer running
//! ([`select`]), and it is removed only by its writer ([`RecoveryDir::remove_own`], after a save
//! or a clean quit) or once the user has accepted or declined it ([`RecoveryDir::discard`]).
//! Costs: a write is one atomic file replacement; looking for offers reads every recovery file
//! whole (through the bounded reader, at most a design's size limit) but parses only its first
//! line, and the design only of those that match.

use super::design_file::{WriteError, parse_design, to_ron};
use super::files::{AppDirs, FileError};
use super::read::{InputKind, read_text};
use crate::model::Design;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// The first line of a recovery file starts with this, followed by the header as JSON.
const MARK: &str = "// vnetlab recovery ";

/// One run of vnetlab: its process id and when it started. Two runs never share both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Instance {
    /// The process id.
    pub pid: u32,
    /// When the instance started, in milliseconds since the Unix epoch.
    pub started_ms: u64,
    /// The process start time as the kernel counts it (Linux: clock ticks since boot), which
    /// tells a running writer from a later process that reuses its id; `None` elsewhere.
    pub boot_ticks: Option<u64>,
}

impl Instance {
    /// This process (the same value for the whole run).
    pub fn current() -> Instance {
        static CURRENT: OnceLock<Instance> = OnceLock::new();
        *CURRENT.get_or_init(|| {
            let pid = std::process::id();
            Instance {
                pid,
                started_ms: now_ms(),
                boot_ticks: boot_ticks(pid),
            }
        })
    }

    /// Whether this instance is still running. This process is; on Linux another one is when a
    /// process with its id and start time exists. Elsewhere vnetlab cannot tell and answers
    /// `false`, so left-behind work is offered rather than hidden.
    pub fn is_running(&self) -> bool {
        if *self == Instance::current() {
            return true;
        }
        match self.boot_ticks {
            Some(ticks) => boot_ticks(self.pid) == Some(ticks),
            None => false,
        }
    }
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The kernel's start time of process `pid` (field 22 of `/proc/<pid>/stat`), on Linux.
fn boot_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may itself contain spaces or `)`.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// What a recovery file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The canonical path of the file the design came from; `None` for an untitled design.
    pub source: Option<PathBuf>,
    /// The instance that wrote it.
    pub instance: Instance,
    /// When it was written, in milliseconds since the Unix epoch.
    pub written_ms: u64,
}

/// A recovery file that was read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovered {
    /// The file's name inside the recovery folder.
    pub name: String,
    /// What it says about itself.
    pub header: Header,
    /// The unsaved design.
    pub design: Design,
}

/// The recovery file's name for `source` (already canonical; `None`: untitled) written by
/// `instance`: a hash of the path, so any path gives a short, safe name.
pub fn file_name(source: Option<&Path>, instance: &Instance) -> String {
    let key = match source {
        Some(path) => {
            let digest = Sha256::digest(path.as_os_str().as_encoded_bytes());
            digest[..8].iter().map(|b| format!("{b:02x}")).collect()
        }
        None => "untitled".to_string(),
    };
    format!("{key}-{}-{}.ron", instance.pid, instance.started_ms)
}

/// The text of a recovery file: the header line, then the design.
pub fn encode(header: &Header, design: &Design) -> Result<String, WriteError> {
    let body = to_ron(design)?;
    // A header always serializes (paths that are not UTF-8 are written lossily).
    let header = Header {
        source: header
            .source
            .as_ref()
            .map(|p| PathBuf::from(p.to_string_lossy().into_owned())),
        ..header.clone()
    };
    let json = serde_json::to_string(&header).unwrap_or_default();
    Ok(format!("{MARK}{json}\n{body}"))
}

/// Reads only the header of a recovery file's text; `None` when the text is not one.
pub fn decode_header(text: &str) -> Option<Header> {
    let first = text.lines().next()?;
    serde_json::from_str(first.strip_prefix(MARK)?).ok()
}

/// Reads a recovery file's text; `None` when it is not one or its design does not parse (a
/// torn or foreign file is never offered).
pub fn decode(name: &str, text: &str) -> Option<Recovered> {
    let header = decode_header(text)?;
    let design = parse_design(text, name).ok()?;
    Some(Recovered {
        name: name.to_string(),
        header,
        design,
    })
}

/// Which of the `found` recovery files to offer to instance `me` for `source` (canonical;
/// `None`: untitled designs, offered at a start without a file): those for exactly that source,
/// written by another instance that `running` says has ended, newest first.
pub fn select(
    found: Vec<Recovered>,
    source: Option<&Path>,
    me: &Instance,
    running: impl Fn(&Instance) -> bool,
) -> Vec<Recovered> {
    let mut offers: Vec<Recovered> = found
        .into_iter()
        .filter(|r| r.header.source.as_deref() == source)
        .filter(|r| r.header.instance != *me && !running(&r.header.instance))
        .collect();
    offers.sort_by(|a, b| {
        b.header
            .written_ms
            .cmp(&a.header.written_ms)
            .then_with(|| a.name.cmp(&b.name))
    });
    offers
}

/// The canonical form of a source path, as recovery files record it: symbolic links and `..`
/// resolved when the file exists, otherwise made absolute.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

impl AppDirs {
    /// The folder of recovery files.
    pub fn recovery_dir(&self) -> PathBuf {
        self.data.join("recovery")
    }
}

/// The recovery folder as one instance sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryDir {
    dir: PathBuf,
    me: Instance,
}

impl RecoveryDir {
    /// The folder `dir`, used by instance `me`.
    pub fn new(dir: PathBuf, me: Instance) -> RecoveryDir {
        RecoveryDir { dir, me }
    }

    /// The instance this view belongs to.
    pub fn instance(&self) -> Instance {
        self.me
    }

    /// Where this instance's recovery file for `source` (as the user named it) is.
    pub fn path_for(&self, source: Option<&Path>) -> PathBuf {
        let source = source.map(canonical);
        self.dir.join(file_name(source.as_deref(), &self.me))
    }

    /// Writes this instance's recovery file for `source` atomically (no `.bak`: the previous
    /// copy is superseded) and returns its path.
    pub fn write(&self, source: Option<&Path>, design: &Design) -> Result<PathBuf, FileError> {
        let source = source.map(canonical);
        let path = self.dir.join(file_name(source.as_deref(), &self.me));
        let shown = path.display().to_string();
        let header = Header {
            source,
            instance: self.me,
            written_ms: now_ms(),
        };
        let text = encode(&header, design).map_err(|source| FileError::Unwritable {
            path: shown.clone(),
            source,
        })?;
        let io = |source| FileError::Io {
            path: shown.clone(),
            action: "writing",
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        let mut temp = tempfile::NamedTempFile::new_in(&self.dir).map_err(io)?;
        temp.write_all(text.as_bytes()).map_err(io)?;
        temp.as_file().sync_all().map_err(io)?;
        temp.persist(&path).map_err(|e| io(e.error))?;
        Ok(path)
    }

    /// Every readable recovery file in the folder whose header passes `keep`.
    fn read_all(&self, keep: impl Fn(&Header) -> bool) -> Vec<Recovered> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .filter_map(|path| {
                let text = read_text(&path, InputKind::Design).ok()?;
                if !keep(&decode_header(&text)?) {
                    return None;
                }
                let name = path.file_name()?.to_string_lossy().into_owned();
                decode(&name, &text)
            })
            .collect()
    }

    /// The recovery files to offer when `source` is opened (`None`: at a start without a file),
    /// newest first, judging with `running` whether their writers have ended
    /// ([`Instance::is_running`] in the application).
    pub fn offers(
        &self,
        source: Option<&Path>,
        running: impl Fn(&Instance) -> bool,
    ) -> Vec<Recovered> {
        let source = source.map(canonical);
        let found = self.read_all(|h| h.source == source);
        select(found, source.as_deref(), &self.me, running)
    }

    /// Removes this instance's own recovery file for `source`, after a save or a clean quit.
    /// Another instance's file is never touched.
    pub fn remove_own(&self, source: Option<&Path>) {
        let path = self.path_for(source);
        let mine = read_text(&path, InputKind::Design)
            .ok()
            .and_then(|text| decode_header(&text))
            .is_some_and(|h| h.instance == self.me);
        if mine {
            let _ = std::fs::remove_file(&path);
        }
    }

    /// Removes a recovery file the user accepted or declined, unless it has been rewritten
    /// since it was offered.
    pub fn discard(&self, offer: &Recovered) {
        let path = self.dir.join(&offer.name);
        let unchanged = read_text(&path, InputKind::Design)
            .ok()
            .and_then(|text| decode_header(&text))
            .is_some_and(|h| h == offer.header);
        if unchanged {
            let _ = std::fs::remove_file(&path);
        }
    }
}
