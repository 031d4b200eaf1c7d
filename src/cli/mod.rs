//! The headless command line: argument definitions (clap) and the subcommands. Each command
//! reads its input, calls the same core functions the TUI uses, prints text or JSON, and
//! returns an exit code: 0 success, 1 a negative answer (blocked, failed check), 2 unreadable
//! input or bad usage.

mod args;
mod bench;
mod check;
mod diagram;
mod export;
mod generate;
mod import;
mod input;
mod lesson;
pub mod logging;
mod reach;
mod routes;
mod summary;
mod text;
mod trace;

pub use args::{Cli, Command, DiagramFormat, EngineChoice, ExportFormat, GenKind, ZoomChoice};
pub use input::{Input, load_input, load_input_reporting, read_input};
pub use lesson::{LessonArgs, LessonCommand};
pub use summary::summary as summary_text;

use crate::io::AppDirs;
use crate::io::files::FileError;
use std::io::Write;
use std::path::Path;

/// Exit code: success, or a positive answer.
pub const EXIT_OK: i32 = 0;
/// Exit code: the answer is negative (blocked trace, failed check).
pub const EXIT_NEGATIVE: i32 = 1;
/// Exit code: unreadable input, bad usage, or a command that is not available.
pub const EXIT_USAGE: i32 = 2;

/// What `vnetlab --version` prints: the version and the resolved directories.
pub fn version_text(dirs: &AppDirs) -> String {
    format!(
        "vnetlab {}\nconfig: {}\ndata:   {}\nstate:  {}\n",
        env!("CARGO_PKG_VERSION"),
        dirs.config.display(),
        dirs.data.display(),
        dirs.state.display()
    )
}

/// Runs a headless subcommand, writing to `out` and `err`; returns the exit code.
pub fn run(command: &Command, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match command {
        Command::Reach(args) => reach::run(args, out, err),
        Command::Trace(args) => trace::run(args, out, err),
        Command::Routes(args) => routes::run(args, out, err),
        Command::Check(args) => check::run(args, out, err),
        Command::Import(args) => import::run(args, out, err),
        Command::Export(args) => export::run(args, out, err),
        Command::Gen(args) => generate::run(args, out, err),
        Command::Bench(args) => bench::run(args, out, err),
        Command::Lesson(args) => lesson::run(args, out, err),
        Command::Diagram(args) => diagram::run(args, out, err),
    }
}

/// `vnetlab FILE` before the TUI exists: prints a summary of the design.
pub fn print_summary(file: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (design, origin) = match file {
        Some(path) => match crate::io::load_design(path) {
            Ok(d) => (d, path.display().to_string()),
            Err(e) => {
                let _ = writeln!(err, "{}", describe_file_error(&e));
                return EXIT_USAGE;
            }
        },
        None => (
            crate::io::examples::default_design(),
            "embedded start-up design".to_string(),
        ),
    };
    let _ = write!(out, "{}", summary::summary(&design, &origin));
    EXIT_OK
}

fn describe_file_error(error: &FileError) -> String {
    error.to_string()
}
