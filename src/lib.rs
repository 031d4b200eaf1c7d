//! vnetlab: design Azure virtual-network topologies at the keyboard and see, live, which
//! endpoints can talk to which, and why not.
//!
//! # Organization
//!
//! The crate is a pure core with two thin shells. Data flows top to bottom:
//!
//! - [`model`]: the design (VNets, subnets, VMs/NICs, appliances, peerings, NSGs, route tables,
//!   gateways, sites, connections, intents, assumptions) and its invariants.
//! - [`edit`]: every change a user can make, each returning its exact inverse.
//! - [`history`]: undo/redo over edits.
//! - [`session`]: design + history + the results derived from each revision, computed by one
//!   evaluation per change (an `EvalJob`, which a shell may run on another thread).
//! - [`engine`]: evaluation (effective routes, NSGs, hop walk, all pairs, explanations).
//! - [`lint`]: design checks (Azure's configuration rules, misconfigurations, intents).
//! - [`diff`]: what changed between two designs and which pairs flipped because of it.
//! - [`io`]: design files (RON), Azure JSON import/export, atomic writes, lesson files on disk,
//!   all read through one bounded reader.
//! - [`lesson`]: lessons (a start design, pages, goals graded live, hints, a solution) and the
//!   authoring check.
//! - [`topology`]: the design as a graph, its layouts and picture, the path of a pair on it,
//!   and diagram exports (Mermaid, DOT, SVG).
//! - [`bench`](mod@bench): what `vnetlab bench` measures (cold starts, kinds of edit,
//!   phases), without the shells.
//! - [`cli`]: the headless subcommands.
//! - [`tui`]: the terminal UI; the only module that touches ratatui/crossterm.
//!
//! Nothing in `model`, `edit`, `history`, `session`, `engine`, `lint` or `lesson` touches the
//! file system or the terminal. The compiler holds the line: `cli` and `tui` exist only with the
//! `cli` and `tui` features (both on by default), which are the only ones that bring clap and
//! ratatui in; `cargo test --no-default-features` builds and tests the core alone.

pub mod bench;
#[cfg(feature = "cli")]
pub mod cli;
mod codes;
pub mod diff;
pub mod edit;
pub mod engine;
pub mod history;
pub mod io;
pub mod lesson;
pub mod lint;
pub mod model;
pub mod session;
pub mod topology;
#[cfg(feature = "tui")]
pub mod tui;
pub mod words;
