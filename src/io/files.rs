//! The file system edge: reading design files, atomic saves that keep a `.bak` (both replaced
//! by renames, so a killed save never leaves a torn file; its stray temporary file is removed
//! by the next save), and the directories vnetlab uses (config, data, state), overridable by
//! environment variables.

use super::design_file::{LoadError, WriteError, parse_design_bytes, to_ron};
use super::read::{InputKind, ReadError, read_bytes};
use crate::model::Design;
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Why a file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The operating system refused (missing file, permissions, full disk…).
    #[error("{path}: {action} failed: {source}")]
    Io {
        /// The file concerned.
        path: String,
        /// What vnetlab was doing ("reading", "writing").
        action: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file was read but is not a valid design.
    #[error(transparent)]
    Parse(#[from] LoadError),
    /// The design could not be turned into text, so nothing was written.
    #[error("{path}: not saved, the file is unchanged: {source}")]
    Unwritable {
        /// The file that was to be written.
        path: String,
        /// Why the design has no text.
        source: WriteError,
    },
    /// The file could not be read: missing, a folder, too large for a design ([`ReadError`]).
    #[error(transparent)]
    Read(#[from] ReadError),
}

pub use super::read::MAX_DESIGN_BYTES;

/// Reads and parses a design file: at most [`MAX_DESIGN_BYTES`], read by the one bounded reader
/// ([`read_bytes`]); bytes that are not text are refused with the position of the first one
/// ([`parse_design_bytes`]).
pub fn load_design(path: &Path) -> Result<Design, FileError> {
    let bytes = read_bytes(path, InputKind::Design)?;
    Ok(parse_design_bytes(bytes, &path.display().to_string())?)
}

/// Saves a design atomically, the way the TUI and the command line do: writes a temporary
/// file in the same folder, flushes it to disk, replaces `<name>.bak` atomically with the
/// previous file, then renames the new file into place. A crash or `kill -9` at any moment
/// leaves the file and its `.bak` each whole (the old or the new version), at worst with a
/// temporary file beside them, which the next save removes. The text is made before anything
/// is touched: a design that cannot be written as text leaves the file as it was.
pub fn save_design(path: &Path, design: &Design) -> Result<(), FileError> {
    let text = to_ron(design).map_err(|source| FileError::Unwritable {
        path: path.display().to_string(),
        source,
    })?;
    write_atomic(path, text.as_bytes())
}

/// Writes bytes atomically to `path`, keeping the previous version as `.bak` (see
/// [`save_design`]). Temporary files are named `.NAME.vnetlab-tmp-…` ([`temp_prefix`]); those
/// older than this write, left by a writer that was killed, are removed at the end.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let started = SystemTime::now();
    let shown = path.display().to_string();
    let io = |source| FileError::Io {
        path: shown.clone(),
        action: "writing",
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let prefix = temp_prefix(path);
    // Temporary files are private (0600); a design file keeps the permissions of the file it
    // replaces, or is created like any new document (0666 less the user's umask).
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    if existing.is_none()
        && let Some(permissions) = new_document_permissions()
    {
        builder.permissions(permissions);
    }
    let mut temp = builder.tempfile_in(&dir).map_err(io)?;
    temp.write_all(bytes).map_err(io)?;
    if let Some(permissions) = existing {
        temp.as_file().set_permissions(permissions).map_err(io)?;
    }
    temp.as_file().sync_all().map_err(io)?;
    if path.exists() {
        back_up(path, &dir, &prefix).map_err(io)?;
    }
    temp.persist(path).map_err(|e| io(e.error))?;
    // Make the renames themselves durable.
    if let Ok(dir) = std::fs::File::open(&dir) {
        let _ = dir.sync_all();
    }
    remove_stray_temps(&dir, &prefix, started);
    Ok(())
}

/// `design.ron` → `.design.ron.vnetlab-tmp-`: the prefix of the temporary files written while
/// saving `path` (hidden, and recognisably vnetlab's, so a cleanup never touches anything else).
pub fn temp_prefix(path: &Path) -> OsString {
    let mut prefix = OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(".vnetlab-tmp-");
    prefix
}

/// Replaces `path`'s `.bak` with the current `path`, atomically: the backup is staged under a
/// temporary name (a hard link to the file, or a flushed copy where links are not supported)
/// and renamed into place, so the `.bak` is always a whole file.
fn back_up(path: &Path, dir: &Path, prefix: &OsStr) -> std::io::Result<()> {
    let builder = {
        let mut builder = tempfile::Builder::new();
        builder.prefix(prefix);
        builder
    };
    let staged = match builder.make_in(dir, |staging| std::fs::hard_link(path, staging)) {
        Ok(linked) => linked.into_temp_path(),
        Err(_) => {
            let mut copy = builder.tempfile_in(dir)?;
            std::io::copy(&mut std::fs::File::open(path)?, copy.as_file_mut())?;
            copy.as_file()
                .set_permissions(std::fs::metadata(path)?.permissions())?;
            copy.as_file().sync_all()?;
            copy.into_temp_path()
        }
    };
    staged.persist(backup_path(path)).map_err(|e| e.error)
}

/// Removes the temporary files of saves of this file that were last written before `before`:
/// those of a writer killed mid-save. Failures are ignored (the next save tries again).
fn remove_stray_temps(dir: &Path, prefix: &OsStr, before: SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = prefix.as_encoded_bytes();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.as_encoded_bytes().starts_with(prefix) {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|modified| modified < before);
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The permissions a new design file is created with: those of any new document, `0666`,
/// from which the system takes away the user's umask at creation (so `0644` under the usual
/// umask `022`, `0600` under `077`).
fn new_document_permissions() -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    {
        // Elsewhere temporary files are not private, so there is nothing to widen.
        None
    }
}

/// `design.ron` → `design.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Where vnetlab keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDirs {
    /// Keymap and theme (`VNETLAB_CONFIG` overrides).
    pub config: PathBuf,
    /// The user's saves and the autosave/recovery file (`VNETLAB_DATA` overrides).
    pub data: PathBuf,
    /// The log file `vnetlab.log`, written only when `VNETLAB_LOG` is set.
    pub state: PathBuf,
}

impl AppDirs {
    /// Resolves the directories from the platform conventions and the environment.
    pub fn resolve() -> AppDirs {
        let project = directories::ProjectDirs::from("", "", "vnetlab");
        let fallback = std::env::temp_dir().join("vnetlab");
        let config = std::env::var_os("VNETLAB_CONFIG").map_or_else(
            || {
                project
                    .as_ref()
                    .map_or_else(|| fallback.join("config"), |p| p.config_dir().to_path_buf())
            },
            PathBuf::from,
        );
        let data = std::env::var_os("VNETLAB_DATA").map_or_else(
            || {
                project
                    .as_ref()
                    .map_or_else(|| fallback.join("data"), |p| p.data_dir().to_path_buf())
            },
            PathBuf::from,
        );
        let state = match std::env::var_os("VNETLAB_DATA") {
            Some(d) => PathBuf::from(d).join("state"),
            None => project.as_ref().map_or_else(
                || fallback.join("state"),
                |p| {
                    p.state_dir()
                        .unwrap_or_else(|| p.data_local_dir())
                        .to_path_buf()
                },
            ),
        };
        AppDirs {
            config,
            data,
            state,
        }
    }

    /// The folder of the user's own saves.
    pub fn saves(&self) -> PathBuf {
        self.data.join("saves")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_keeps_a_backup_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.ron");
        let mut design = Design::example_pair();
        save_design(&path, &design).unwrap();
        assert!(!backup_path(&path).exists());
        design.name = "second".into();
        save_design(&path, &design).unwrap();
        let backup = load_design(&backup_path(&path)).unwrap();
        assert_eq!(backup.name, "pair");
        assert_eq!(load_design(&path).unwrap(), design);
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            // Whatever this process's umask, a new design gets what any new document gets.
            let document = dir.path().join("document.txt");
            std::fs::write(&document, "x").unwrap();
            assert_eq!(
                mode(&path),
                mode(&document),
                "a new design file is created like any document (the umask applies)"
            );
            std::fs::remove_file(&document).unwrap();
        }
    }

    #[test]
    fn a_killed_saves_temporary_files_are_removed_by_the_next_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.ron");
        save_design(&path, &Design::example_pair()).unwrap();
        let stray = dir.path().join(".d.ron.vnetlab-tmp-killed");
        std::fs::write(&stray, "Design(vers").unwrap();
        let other = dir.path().join(".other.ron.vnetlab-tmp-x");
        std::fs::write(&other, "not ours to remove").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        save_design(&path, &Design::example_pair()).unwrap();
        assert!(!stray.exists());
        assert!(
            other.exists(),
            "only this file's temporary files are removed"
        );
        assert_eq!(
            load_design(&backup_path(&path)).unwrap(),
            Design::example_pair()
        );
    }

    #[test]
    fn bytes_that_are_not_text_are_refused_with_a_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.ron");
        std::fs::write(&path, b"Design(\n    version: 1,\n    name: \"\xFF\",\n)").unwrap();
        let err = load_design(&path).unwrap_err().to_string();
        assert!(
            err.ends_with(
                "bad.ron:3:12: the file is not text: byte 0xFF here is not UTF-8; save it as UTF-8"
            ),
            "{err}"
        );
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = load_design(Path::new("/nonexistent/x.ron")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent/x.ron: reading failed")
        );
    }
}
