//! The terminal UI opens an ARM template like an export: Ctrl-o on a saved template expands it
//! (through the same door as the headless commands) and offers to save the result as a design.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use std::path::PathBuf;
use tui_support::press;
use vnetlab::session::Session;
use vnetlab::tui::{App, Config, MemoryFiles};

#[test]
fn ctrl_o_opens_a_template_as_new_work() {
    let files = MemoryFiles::default();
    let template = std::fs::read_to_string(
        "tests/fixtures/templates/quickstart-vnet-to-vnet-peering/azuredeploy.json",
    )
    .unwrap();
    files
        .state()
        .files
        .insert(PathBuf::from("saves/peering.json"), template);
    let config = Config::load(&files);
    let mut app = App::new(
        Session::new(vnetlab::io::examples::default_design()),
        config,
        Box::new(files.clone()),
        None,
    );
    press(&mut app, "ctrl-o enter");
    let design = app.session().design();
    assert!(design.vnet("vNet1").is_some(), "{:?}", app.status());
    assert_eq!(design.peerings.len(), 2);
    assert_eq!(app.file(), None);
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(
        status.starts_with("Azure export opened: Ctrl-s saves it as a design file"),
        "{status}"
    );
    assert!(
        status.contains("imported 2 VNets (2 subnets), 2 peerings"),
        "{status}"
    );
}
