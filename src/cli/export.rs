//! `vnetlab export`: writes a design in another format.
//!
//! Not available yet: the Azure JSON exporter has not landed in this build.

use super::args::ExportArgs;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(_args: &ExportArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    super::not_landed("export", "the Azure JSON exporter", err)
}
