//! `vnetlab reach`: prints the all-pairs reachability matrix.
//!
//! Not available yet: the reachability engine has not landed in this build.

use super::args::ReachArgs;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(_args: &ReachArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    super::not_landed("reach", "the reachability engine", err)
}
