//! Proptest strategies for whole designs and for edits, shared by the property tests
//! (`engine_agreement`, `edit_props`, `core_never_panics`; a TUI key fuzzer or the fuzz command
//! can `mod strategies;` them too).
//!
//! - [`valid_design`]: designs that pass `Design::validate()` and use every part of the model
//!   (the list is [`census::FEATURES`]). A [`spec::DesignSpec`] (drawn by [`strategy`]) names
//!   objects by index, [`build`] turns it into a `Design` ([`targets`] resolves what rules and
//!   routes point at), so proptest shrinks a failure to a design with few objects.
//! - [`damage::arbitrary_design`]: the same designs, then broken on purpose (duplicate names,
//!   VMs with no NIC, dangling references, empty spaces, odd names, …).
//! - [`edits::edit_spec`]: edits resolved against the design they are applied to.
//!
//! A generated design prints as RON in failure messages ([`Generated`]'s `Debug`), so the
//! minimal failing input proptest reports is a design file a developer can load and read.
//! Each property's case count comes from [`config`], which `PROPTEST_CASES` overrides.
#![allow(dead_code)] // each test crate uses part of the shared module

pub mod build;
pub mod census;
pub mod damage;
pub mod edits;
pub mod managed;
pub mod spec;
pub mod strategy;
pub mod targets;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use std::fmt;
use vnetlab::model::Design;

/// A proptest configuration with `default_cases` cases, unless the environment variable
/// `PROPTEST_CASES` asks for another count (for long runs).
pub fn config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        ..Config::default()
    }
}

/// The start-up design and every bundled example, as [`Generated`] (a `prop_oneof!` arm picks
/// among them with `proptest::sample::select`).
pub fn bundled() -> Vec<Generated> {
    let mut designs = vec![Generated(vnetlab::io::examples::default_design())];
    for (name, text) in vnetlab::io::examples::EXAMPLES {
        let design = vnetlab::io::parse_design(text, name)
            .unwrap_or_else(|e| panic!("bundled example {name} does not load: {e}"));
        designs.push(Generated(design));
    }
    designs
}

/// The design as a design file (RON), for failure messages.
pub fn ron(design: &Design) -> String {
    vnetlab::io::to_ron(design).unwrap_or_else(|e| format!("(cannot write this design: {e})"))
}

/// A generated design. Its `Debug` is the design file, so proptest's "minimal failing input"
/// is readable and can be pasted into a file and opened.
#[derive(Clone, PartialEq, Eq)]
pub struct Generated(pub Design);

impl fmt::Debug for Generated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "design file:\n{}", ron(&self.0))
    }
}

impl std::ops::Deref for Generated {
    type Target = Design;
    fn deref(&self) -> &Design {
        &self.0
    }
}

/// Designs that pass `Design::validate()` and use every feature of the model.
pub fn valid_design() -> impl Strategy<Value = Generated> {
    strategy::design_spec().prop_map(|spec| Generated(build::build(&spec)))
}

/// Flows: the common ones, and now and then any TCP or UDP port.
pub fn flow() -> impl Strategy<Value = vnetlab::model::Flow> {
    strategy::flow()
}

/// A fixed sample of `count` values of a strategy (the same on every run), for vacuity guards.
pub fn sample<S: Strategy>(strategy: &S, count: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("the strategies never reject")
                .current()
        })
        .collect()
}
