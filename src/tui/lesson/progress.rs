//! Lesson progress in the data directory: one RON file, `lesson-progress.ron`, mapping each
//! lesson id to its [`Progress`] (solved, hints shown, solution revealed). Written atomically
//! through the [`Files`] seam after every change of progress; an unreadable file counts as no
//! progress (it is rewritten on the next change) rather than stopping a lesson.

use super::super::files::Files;
use crate::lesson::Progress;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The file's name in the data directory.
pub(super) const FILE: &str = "lesson-progress.ron";

/// What the file holds.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename = "LessonProgress", default, deny_unknown_fields)]
struct ProgressFile {
    version: u32,
    lessons: BTreeMap<String, Progress>,
}

fn read(files: &dyn Files) -> ProgressFile {
    files
        .read_data(FILE)
        .and_then(|text| ron::from_str(&text).ok())
        .unwrap_or_default()
}

/// The remembered progress of a lesson (a fresh one when none is kept).
pub(super) fn load(files: &dyn Files, id: &str) -> Progress {
    read(files).lessons.remove(id).unwrap_or_else(|| Progress {
        id: id.to_string(),
        ..Progress::default()
    })
}

/// The ids of the lessons solved at least once.
pub(super) fn solved_ids(files: &dyn Files) -> BTreeSet<String> {
    read(files)
        .lessons
        .into_iter()
        .filter(|(_, p)| p.solved)
        .map(|(id, _)| id)
        .collect()
}

/// Keeps a lesson's progress (the other lessons' entries are kept as they were).
pub(super) fn save(files: &mut dyn Files, progress: &Progress) -> Result<(), String> {
    let mut file = read(files);
    file.version = 1;
    file.lessons.insert(progress.id.clone(), progress.clone());
    let text = ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::new())
        .map_err(|e| e.to_string())?;
    files.write_data(FILE, &text)
}
