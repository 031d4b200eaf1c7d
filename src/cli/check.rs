//! `vnetlab check`: checks a design and its intents.
//!
//! Not available yet: the design checks (lint) has not landed in this build.

use super::args::CheckArgs;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(_args: &CheckArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    super::not_landed("check", "the design checks (lint)", err)
}
