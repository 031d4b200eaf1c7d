//! Lessons on disk: a trainer's folder of lesson files, or one lesson file. A lesson's start or
//! solution design may be a file next to it (`start: File("start.ron")`), read relative to the
//! lesson. In a folder, every `.ron` file at the top is a lesson, except design files (whose
//! text starts with `Design(`), which lessons refer to; files are read in name order, so
//! `01-…`, `02-…` give the teaching order.

use super::files::FileError;
use super::read::{InputKind, ReadError, read_text};
use crate::lesson::{Lesson, Resolved, parse_lesson};
use std::path::{Path, PathBuf};

/// Reads and parses one lesson file.
pub fn load_lesson(path: &Path) -> Result<Lesson, FileError> {
    let text = read_text(path, InputKind::Lesson)?;
    let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let resolve = |name: &str| -> Result<Resolved, String> {
        let file = folder.join(name);
        let text = read_text(&file, InputKind::Design).map_err(|e| match e {
            ReadError::Io { source, .. } => source.to_string(),
            other => other.to_string(),
        })?;
        Ok(Resolved {
            shown: file.display().to_string(),
            text,
        })
    };
    Ok(parse_lesson(&text, &path.display().to_string(), &resolve)?)
}

/// The lesson files of a folder, in name order (or the path itself when it is a file).
///
/// # Errors
/// When the folder cannot be listed.
pub fn lesson_paths(path: &Path) -> Result<Vec<PathBuf>, FileError> {
    let shown = path.display().to_string();
    let io = |source| FileError::Io {
        path: shown.clone(),
        action: "reading",
        source,
    };
    if !std::fs::metadata(path).map_err(io)?.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io)? {
        let file = entry.map_err(io)?.path();
        let is_ron = file.extension().is_some_and(|e| e == "ron");
        if is_ron && file.is_file() && !is_design_file(&file) {
            found.push(file);
        }
    }
    found.sort();
    Ok(found)
}

/// Reads every lesson of a folder (or one lesson file): one result per lesson file, in order.
///
/// # Errors
/// When the folder cannot be listed.
pub fn load_dir(path: &Path) -> Result<Vec<Result<Lesson, FileError>>, FileError> {
    Ok(lesson_paths(path)?
        .iter()
        .map(|file| load_lesson(file))
        .collect())
}

/// Whether a file's first value is a `Design(…)` (comments and `#![…]` attributes skipped).
fn is_design_file(path: &Path) -> bool {
    read_text(path, InputKind::Design).is_ok_and(|text| crate::lesson::is_design_text(&text))
}
