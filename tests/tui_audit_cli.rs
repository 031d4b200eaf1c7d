//! The CLI side of the newcomer audit's row 23 (issue 16 item 6): counts in the text summaries
//! come out in the right number, through the one `words::count` helper.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").expect("binary built")
}

/// Row 23: `diff` said `Intents of AFTER: 1 of 1 hold`.
#[test]
fn row_23_diff_counts_one_intent_that_holds_in_the_singular() {
    let save = "saves/01-two-vnets-unpeered.ron";
    let output = vnetlab().args(["diff", save, save]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Intents of AFTER: 1 of 1 holds"), "{text}");
}

/// Row 23: the summary printed without a terminal (the audit saw `1 NSGs, 1 gateways, …`).
#[test]
fn row_23_the_non_tty_summary_counts_in_the_singular() {
    let output = vnetlab()
        .arg("saves/05-nsg-blocks-peered.ron")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("1 NSG, 0 route tables"), "{text}");
    let output = vnetlab()
        .arg("saves/01-two-vnets-unpeered.ron")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("1 intent, 2 endpoints"), "{text}");
}
