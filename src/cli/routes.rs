//! `vnetlab routes`: prints the effective route table of a subnet or VM.
//!
//! Not available yet: the reachability engine (effective routes) has not landed in this build.

use super::args::RoutesArgs;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(_args: &RoutesArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    super::not_landed("routes", "the reachability engine (effective routes)", err)
}
