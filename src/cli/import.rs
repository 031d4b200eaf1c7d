//! `vnetlab import`: converts Azure JSON exports, ARM templates or Bicep files into a design
//! file, printing the import summary (what was imported, skipped and left out, and for
//! templates the scope assumed and every placeholder) on stderr.

use super::args::ImportArgs;
use super::input::read_input_with;
use super::{EXIT_OK, EXIT_USAGE};
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(args: &ImportArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let input = match args
        .template
        .options()
        .and_then(|options| read_input_with(&args.files, &options))
    {
        Ok(input) => input,
        Err(message) => {
            let _ = writeln!(err, "vnetlab import: {message}");
            return EXIT_USAGE;
        }
    };
    let Some(report) = input.report else {
        let _ = writeln!(
            err,
            "vnetlab import: the input is a vnetlab design already, not an Azure export; open it directly"
        );
        return EXIT_USAGE;
    };
    let _ = write!(err, "{report}");
    if let Err(e) = crate::io::save_design(&args.output, &input.design) {
        let _ = writeln!(err, "vnetlab import: {e}");
        return EXIT_USAGE;
    }
    let _ = writeln!(err, "wrote {}", args.output.display());
    EXIT_OK
}
