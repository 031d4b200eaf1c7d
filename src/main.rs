//! The `vnetlab` binary: parses arguments and hands over to the TUI or a headless command.

use clap::Parser;
use std::io::{IsTerminal, Write};
use vnetlab::cli::{self, Cli};
use vnetlab::io::AppDirs;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    // Held until exit so the log is flushed; logging is off unless VNETLAB_LOG is set.
    let log = match cli::logging::init(&AppDirs::resolve()) {
        Ok(guard) => guard,
        Err(problem) => {
            let _ = writeln!(std::io::stderr(), "vnetlab: {problem}");
            None
        }
    };
    let code = if cli.version {
        print!("{}", cli::version_text(&AppDirs::resolve()));
        cli::EXIT_OK
    } else {
        match &cli.command {
            Some(command) => {
                let mut out = std::io::stdout().lock();
                let mut err = std::io::stderr().lock();
                cli::run(command, &mut out, &mut err)
            }
            // Without a terminal (a pipe, a script), describe the design instead of drawing.
            None if !std::io::stdout().is_terminal() => {
                let mut out = std::io::stdout().lock();
                let mut err = std::io::stderr().lock();
                cli::print_summary(cli.file.as_deref(), &mut out, &mut err)
            }
            None => match vnetlab::tui::run(cli.file.clone(), cli.lesson.as_deref()) {
                Ok(vnetlab::tui::Ended::Quit) => cli::EXIT_OK,
                // The shell's convention for a process stopped by a signal.
                Ok(vnetlab::tui::Ended::Signal(signal)) => 128 + signal,
                Err(e) => {
                    let _ = writeln!(std::io::stderr(), "vnetlab: {e}");
                    cli::EXIT_USAGE
                }
            },
        }
    };
    // `exit` runs no destructors: flush the log first.
    drop(log);
    std::process::exit(code);
}
