//! `vnetlab import`: converts Azure JSON exports into a design file.
//!
//! Not available yet: the Azure JSON importer has not landed in this build.

use super::args::ImportArgs;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(_args: &ImportArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    super::not_landed("import", "the Azure JSON importer", err)
}
