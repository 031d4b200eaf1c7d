//! `vnetlab gen`: generates designs for demos and benchmarks.
//!
//! Not available yet: the design generator has not landed in this build.

use super::args::GenArgs;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(_args: &GenArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    super::not_landed("gen", "the design generator", err)
}
