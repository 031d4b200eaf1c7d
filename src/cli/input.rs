//! Reading the input of headless commands: a design file, or (once the importer lands) Azure
//! JSON exports, auto-detected.

use crate::model::Design;
use std::path::{Path, PathBuf};

/// Reads the design a headless command works on; the error is the message for stderr.
pub fn load_input(files: &[PathBuf]) -> Result<Design, String> {
    match files {
        [] => Err("no input file given".to_string()),
        [one] if is_design_file(one) => crate::io::load_design(one).map_err(|e| e.to_string()),
        _ => Err(format!(
            "{}: Azure JSON exports are not supported yet (the Azure import issue has not landed); give one design file (.ron)",
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn is_design_file(path: &Path) -> bool {
    path.extension().is_none_or(|e| e.eq_ignore_ascii_case("ron"))
}
