//! Reading the input of headless commands: one design file (RON), or one or more Azure JSON
//! exports merged into one design, told apart by content (see [`crate::io::azure::open_files`]).
//! Every headless command goes through here.

use crate::model::Design;
use std::io::Write;
use std::path::PathBuf;

/// What a command's input turned out to be: the design, and the import summary for Azure JSON.
pub type Input = crate::io::azure::Opened;

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

/// [`load_input_reporting`] for a command's `--quiet`: the import summary goes to `err`, or
/// nowhere when `quiet`.
pub(super) fn load_input_quiet(
    files: &[PathBuf],
    quiet: bool,
    err: &mut dyn Write,
) -> Result<Design, String> {
    if quiet {
        load_input_reporting(files, &mut std::io::sink())
    } else {
        load_input_reporting(files, err)
    }
}

/// Reads one design file or several Azure exports, telling them apart by content. A file that
/// does not exist is named as such, before anything is read.
pub fn read_input(files: &[PathBuf]) -> Result<Input, String> {
    let absent = |f: &&PathBuf| {
        std::fs::metadata(f).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    };
    if let Some(missing) = files.iter().find(absent) {
        return Err(format!(
            "{}: there is no such file (check the path and the current directory)",
            missing.display()
        ));
    }
    crate::io::azure::open_files(files)
}

/// [`read_input`], expanding ARM templates and Bicep files with these options.
pub fn read_input_with(
    files: &[PathBuf],
    options: &crate::io::template::TemplateOptions,
) -> Result<Input, String> {
    crate::io::azure::open_files_with(files, options)
}
