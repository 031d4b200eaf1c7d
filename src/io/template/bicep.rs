//! Bicep files, compiled by the Bicep compiler the user already has: `bicep build --stdout FILE`
//! when `bicep` is on the PATH, else `az bicep build --file FILE --stdout`. vnetlab has no Bicep
//! parser (none exists in Rust, and modules, registries and the type system make one a project
//! of its own); without a compiler the error says the exact command to run.
//!
//! The compiler runs with a time limit and its output is read up to the size limit of exports.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the compiler may run (restoring modules from a registry can be slow).
const TIMEOUT: Duration = Duration::from_secs(120);

/// Why a Bicep file could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum BicepError {
    /// Neither `bicep` nor `az` is on the PATH.
    #[error(
        "{file}: this is a Bicep file, and neither `bicep` nor `az` is on the PATH to compile it; run `bicep build --stdout {file} > {json}` (or `az bicep build --file {file} --stdout > {json}`) and import {json}"
    )]
    NoCompiler {
        /// The Bicep file.
        file: String,
        /// The suggested JSON file name.
        json: String,
    },
    /// The compiler could not be started.
    #[error("{file}: `{command}` could not be started: {reason}")]
    Start {
        /// The Bicep file.
        file: String,
        /// The command line.
        command: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The compiler reported an error.
    #[error("{file}: `{command}` failed: {message}")]
    Failed {
        /// The Bicep file.
        file: String,
        /// The command line.
        command: String,
        /// The compiler's first error lines.
        message: String,
    },
    /// The compiler ran too long.
    #[error("{file}: `{command}` did not finish within {} seconds; run it yourself and import the JSON it prints", TIMEOUT.as_secs())]
    Timeout {
        /// The Bicep file.
        file: String,
        /// The command line.
        command: String,
    },
}

/// Whether a path names a Bicep file (by extension: Bicep has no signature to detect).
pub fn is_bicep(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
}

/// Whether a path names a Bicep parameters file (`.bicepparam`), which vnetlab does not read.
pub fn is_bicep_params(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("bicepparam"))
}

/// What to do with a `.bicepparam` file instead.
pub fn bicep_params_advice(path: &Path) -> String {
    let file = path.display();
    let json = path.with_extension("parameters.json");
    format!(
        "{file}: Bicep parameters files are not read; run `bicep build-params {file} --outfile {}` and give that JSON after its template",
        json.display()
    )
}

/// Finds a program on the PATH.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let names = if cfg!(windows) {
            vec![format!("{program}.exe"), format!("{program}.cmd")]
        } else {
            vec![program.to_string()]
        };
        names
            .into_iter()
            .map(|n| dir.join(n))
            .find(|p| is_executable(p))
    })
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Compiles a Bicep file to ARM template JSON text.
pub fn compile(path: &Path) -> Result<String, BicepError> {
    let file = path.display().to_string();
    let (program, args): (PathBuf, Vec<String>) = if let Some(bicep) = on_path("bicep") {
        (bicep, vec!["build".into(), "--stdout".into(), file.clone()])
    } else if let Some(az) = on_path("az") {
        (
            az,
            vec![
                "bicep".into(),
                "build".into(),
                "--file".into(),
                file.clone(),
                "--stdout".into(),
            ],
        )
    } else {
        let json = path.with_extension("json").display().to_string();
        return Err(BicepError::NoCompiler { file, json });
    };
    let command = format!(
        "{} {}",
        program
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string()),
        args.join(" ")
    );
    let mut child = Command::new(&program)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| BicepError::Start {
            file: file.clone(),
            command: command.clone(),
            reason: e.to_string(),
        })?;
    let limit = crate::io::azure::source::MAX_EXPORT_BYTES;
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(pipe) = pipe {
                let _ = pipe.take(limit).read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < TIMEOUT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(BicepError::Timeout { file, command });
    };
    if !status.success() {
        let text = String::from_utf8_lossy(&err);
        let message: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(3)
            .collect();
        return Err(BicepError::Failed {
            file,
            command,
            message: if message.is_empty() {
                format!("it exited with {status}")
            } else {
                message.join(" / ")
            },
        });
    }
    String::from_utf8(out).map_err(|_| BicepError::Failed {
        file,
        command,
        message: "it printed something that is not UTF-8 text".to_string(),
    })
}
