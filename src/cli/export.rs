//! `vnetlab export`: writes a design in another format. `--to azure-json` gives ARM-shaped
//! resource JSON (one array) that `vnetlab import` turns back into the same design;
//! `--to terraform` gives azurerm HCL whose `terraform show -json` plan imports back; `--to arm`
//! gives a deployable ARM template that imports back; `--to bicep` the same template as Bicep
//! (`bicep build` gives the template back); `--to az-cli` gives a bash script of az CLI
//! commands that creates the design in order.

use super::args::{ExportArgs, ExportFormat};
use super::input::load_input_reporting;
use super::{EXIT_OK, EXIT_USAGE};
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(args: &ExportArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let design = match load_input_reporting(std::slice::from_ref(&args.file), err) {
        Ok(design) => design,
        Err(message) => {
            let _ = writeln!(err, "vnetlab export: {message}");
            return EXIT_USAGE;
        }
    };
    let text = match args.format {
        ExportFormat::AzureJson => crate::io::azure::export_text(&design),
        ExportFormat::Terraform => crate::io::terraform::export_hcl(&design),
        ExportFormat::Arm => crate::io::export::arm_text(&design),
        ExportFormat::Bicep => match crate::io::export::bicep_text(&design) {
            Ok(text) => text,
            Err(e) => {
                let _ = writeln!(err, "vnetlab export: {e}");
                return EXIT_USAGE;
            }
        },
        ExportFormat::AzCli => match crate::io::export::az_cli_script(&design) {
            Ok(script) => script,
            Err(e) => {
                let _ = writeln!(err, "vnetlab export: {e}");
                return EXIT_USAGE;
            }
        },
    };
    let written = match &args.output {
        Some(path) => {
            crate::io::files::write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
        }
        None => out.write_all(text.as_bytes()).map_err(|e| e.to_string()),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(message) => {
            let _ = writeln!(err, "vnetlab export: {message}");
            EXIT_USAGE
        }
    }
}
