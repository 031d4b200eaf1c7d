//! Logging to a file, off unless asked for: `VNETLAB_LOG=debug vnetlab …` (any
//! `tracing_subscriber::EnvFilter` directive, e.g. `vnetlab=trace`) appends to `vnetlab.log` in the
//! state directory (`vnetlab --version` prints where). Nothing is ever logged to the terminal,
//! which the TUI owns. Costs nothing when `VNETLAB_LOG` is unset: no subscriber is installed.

use crate::io::AppDirs;
use tracing_appender::non_blocking::WorkerGuard;

/// The environment variable that switches logging on and filters it.
pub const LOG_ENV: &str = "VNETLAB_LOG";

/// Installs the file logger when `VNETLAB_LOG` is set. Keep the guard alive until exit: dropping
/// it flushes the log. A problem (bad filter, unwritable directory) is returned as a sentence
/// for the caller to print; vnetlab then runs without a log.
pub fn init(dirs: &AppDirs) -> Result<Option<WorkerGuard>, String> {
    let Ok(directive) = std::env::var(LOG_ENV) else {
        return Ok(None);
    };
    let filter = tracing_subscriber::EnvFilter::try_new(&directive)
        .map_err(|e| format!("{LOG_ENV}={directive} is not a log filter ({e}); try `debug`"))?;
    std::fs::create_dir_all(&dirs.state).map_err(|e| {
        format!(
            "cannot create the log directory {}: {e}",
            dirs.state.display()
        )
    })?;
    let appender = tracing_appender::rolling::never(&dirs.state, "vnetlab.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        // A line when each span closes, with its duration: how long each refresh took.
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "vnetlab started");
    Ok(Some(guard))
}
