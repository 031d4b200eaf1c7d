//! `vnetlab trace`: traces one pair hop by hop.
//!
//! Not available yet: the reachability engine has not landed in this build.

use super::args::TraceArgs;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(_args: &TraceArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    super::not_landed("trace", "the reachability engine", err)
}
