//! The `vnetlab` binary: parses arguments and hands over to the TUI or a headless command.

use clap::Parser;
use vnetlab::cli::{self, Cli};
use vnetlab::io::AppDirs;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let code = if cli.version {
        print!("{}", cli::version_text(&AppDirs::resolve()));
        cli::EXIT_OK
    } else {
        match &cli.command {
            Some(command) => cli::run(command, &mut out, &mut err),
            // The terminal UI has not landed yet: describe the design instead.
            None => cli::print_summary(cli.file.as_deref(), &mut out, &mut err),
        }
    };
    drop(out);
    drop(err);
    std::process::exit(code);
}
