#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)]
mod tui_support;
use tui_support::{press, screen, startup_app};

#[test]
#[ignore]
fn dump() {
    for (w, h) in [(80, 24), (100, 30), (140, 36), (160, 48)] {
        let mut app = startup_app();
        press(&mut app, "2 j j j");
        println!("{}", screen(&mut app, w, h));
    }
    let design = vnetlab::io::parse_design(include_str!("../saves/03-hub-spoke-nva.ron"), "03").unwrap();
    let mut app = tui_support::app_with(design);
    press(&mut app, "j j j j j");
    println!("{}", screen(&mut app, 160, 48));
    press(&mut app, "4");
    println!("{}", screen(&mut app, 80, 24));
}
