//! `vnetlab bench`: measures evaluation time and memory.
//!
//! Not available yet: the reachability engine (benchmarks) has not landed in this build.

use super::args::BenchArgs;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(_args: &BenchArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    super::not_landed("bench", "the reachability engine (benchmarks)", err)
}
