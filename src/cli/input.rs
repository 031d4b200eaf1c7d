//! Reading the input of headless commands: one design file (RON), or one or more Azure JSON
//! exports merged into one design. Which one is decided by content, not by file name: JSON
//! starts with `{` or `[`, a design file never does. Every headless command goes through here.

use crate::io::azure::{self, ImportReport, source};
use crate::model::Design;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a command's input turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The design to work on.
    pub design: Design,
    /// The import summary, when the input was Azure JSON.
    pub report: Option<ImportReport>,
}

/// Reads the design a headless command works on; the error is the message for stderr. When the
/// input is Azure JSON, the import summary goes to stderr, so nothing is dropped unseen.
pub fn load_input(files: &[PathBuf]) -> Result<Design, String> {
    load_input_reporting(files, &mut std::io::stderr())
}

/// [`load_input`], writing the import summary (if any) to `err`.
pub fn load_input_reporting(files: &[PathBuf], err: &mut dyn Write) -> Result<Design, String> {
    let input = read_input(files)?;
    if let Some(report) = &input.report {
        let _ = write!(err, "{report}");
    }
    Ok(input.design)
}

/// Reads one design file or several Azure exports, telling them apart by content.
pub fn read_input(files: &[PathBuf]) -> Result<Input, String> {
    if files.is_empty() {
        return Err("no input file given; name a design file (.ron) or Azure JSON exports".to_string());
    }
    let mut designs = Vec::new();
    let mut exports = Vec::new();
    for path in files {
        let text = source::read_text(path).map_err(|e| e.to_string())?;
        if source::looks_like_json(&text) {
            exports.push((shown(path), text));
        } else {
            designs.push((shown(path), text));
        }
    }
    match (designs.as_slice(), exports.is_empty()) {
        ([], false) => {
            let imported = azure::import_texts(&exports).map_err(|e| e.to_string())?;
            Ok(Input {
                design: imported.design,
                report: Some(imported.report),
            })
        }
        ([(file, text)], true) => Ok(Input {
            design: crate::io::parse_design(text, file).map_err(|e| e.to_string())?,
            report: None,
        }),
        _ => Err(format!(
            "{}: give one design file (.ron), or one or more Azure JSON exports, not a mix or several designs",
            files.iter().map(|f| shown(f)).collect::<Vec<_>>().join(", ")
        )),
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}
