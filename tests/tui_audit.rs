//! Key-sequence and snapshot tests for the rows of the newcomer audit's table (a)
//! (`shared/review/ux-audit.md`, issue 16) that the panes, overlays and texts fix. Each test
//! names its row; each fails on the behaviour the audit recorded.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, pane_text, press, screen, startup_app};
use vnetlab::model::Design;
use vnetlab::tui::App;
use vnetlab::tui::Overlay;
use vnetlab::tui::panes::PaneId;

/// The sizes every pane snapshot is taken at.
const SIZES: [(u16, u16); 4] = [(80, 24), (100, 30), (140, 36), (160, 48)];

fn example(name: &str) -> Design {
    let text = vnetlab::io::examples::example(name).unwrap();
    vnetlab::io::parse_design(text, name).unwrap()
}

/// The text inside `pane` at `width`×`height`, trailing blanks trimmed.
fn status(app: &App) -> String {
    app.status().map(|s| s.text.clone()).unwrap_or_default()
}

/// Row 1 (issue 16 item 1): at every size both directions of every pair and all eight flags
/// show (the audit saw `← C` and `← Connected  A` cut off at 80 and 140 columns).
#[test]
fn row_01_the_peering_pane_shows_both_sides_and_eight_flags_at_every_size() {
    for (width, height) in SIZES {
        let mut app = startup_app();
        press(&mut app, "2");
        let text = pane_text(&mut app, PaneId::Peerings, width, height);
        for (pair, forward, reverse) in [
            ("hub ⇄ spoke1", "AFG·", "AF·R"),
            ("hub ⇄ spoke2", "AFG·", "AF·R"),
        ] {
            let row = text
                .lines()
                .find(|l| l.contains(pair))
                .unwrap_or_else(|| panic!("{pair} at {width}×{height}:\n{text}"));
            let (left, right) = row.split_once('←').expect("the reverse side shows");
            assert!(left.contains(forward), "{width}×{height}: {row}");
            assert!(right.contains(reverse), "{width}×{height}: {row}");
            assert!(!row.contains('…'), "{width}×{height}: {row}");
        }
        insta::assert_snapshot!(format!("peerings_{width}x{height}"), text);
    }
}

/// Row 1: the flag under the cursor is named with its side and value, with the core's words,
/// and the status says which flag changed and to what (the audit saw only `change peering …`).
#[test]
fn row_01_the_flag_under_the_cursor_is_named_and_its_change_reported() {
    let mut app = startup_app();
    press(&mut app, "2");
    let text = pane_text(&mut app, PaneId::Peerings, 80, 24);
    assert!(
        text.contains("│→ allow virtual network access: on ·"),
        "{text}"
    );
    let text = pane_text(&mut app, PaneId::Peerings, 160, 48);
    assert!(
        text.contains("→ allow virtual network access: on · hub → spoke1"),
        "{text}"
    );
    // Seven steps right: the reverse link's last flag, use remote gateways (on for spoke1).
    press(&mut app, "l l l l l l l");
    let text = pane_text(&mut app, PaneId::Peerings, 100, 30);
    assert!(
        text.contains("← use remote gateways: on · spoke1 → hub"),
        "{text}"
    );
    press(&mut app, "space");
    assert_eq!(
        status(&app),
        "change peering spoke1-to-hub: use remote gateways off · u to undo"
    );
    let text = pane_text(&mut app, PaneId::Peerings, 100, 30);
    assert!(
        text.contains("← use remote gateways: off · spoke1 → hub"),
        "{text}"
    );
}

/// Row 9: gateway transit shows on/off right after the gateway's name, so a narrow pane keeps
/// it (the audit saw `transit` with its `on` cut off below 230 columns).
#[test]
fn row_09_gateway_transit_shows_on_or_off_in_a_narrow_pane() {
    let mut app = startup_app();
    press(&mut app, "3");
    let text = pane_text(&mut app, PaneId::Gateway, 80, 24);
    assert!(text.contains("vpngw-hub  in hub  transit on"), "{text}");
}

/// Row 9: rows cut to the pane end with `…` (the audit saw `a: add VNet, subnet, VM or applianc`).
#[test]
fn row_09_cut_rows_end_with_an_ellipsis() {
    let mut app = startup_app();
    let text = pane_text(&mut app, PaneId::Vnets, 160, 48);
    let header = text.lines().nth(1).unwrap();
    assert!(header.ends_with("…│"), "{header}");
    assert!(!text.contains("applianc│"), "{text}");
}

/// Row 2 (issue 16 item 4): effective routes list user and gateway routes first, scroll with the
/// list, and mark the route the selected pair's request took (the audit saw the Default routes
/// first and the User route below the frame).
#[test]
fn row_02_effective_routes_put_user_routes_first_and_mark_the_pairs() {
    let mut app = app_with(example("03-hub-spoke-nva.ron"));
    // The VNets pane follows spoke1/workload; the matrix pair vm-spoke1 → vm-spoke2.
    press(&mut app, "j j j j j 6 j l l");
    for (width, height) in SIZES {
        press(&mut app, "4");
        let text = pane_text(&mut app, PaneId::Routes, width, height);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[1].contains("Effective routes of spoke1/workload"),
            "{text}"
        );
        assert!(
            lines[2].contains("▶ User    10.2.0.0/16"),
            "{width}×{height}:\n{text}"
        );
        assert!(lines[3].contains("Default"), "{text}");
        insta::assert_snapshot!(format!("routes_{width}x{height}"), text);
    }
    // j walks down the effective routes (they are rows of the pane's list).
    press(&mut app, "4 g j j");
    assert_eq!(app.pane_state(PaneId::Routes).selected, 2);
}

/// Row 10 (issue 16 item 2): the help lists every mark and finds them by the mark (`? AFGR`
/// said `no key matches the filter`); `*` no longer also means "not in sync".
#[test]
fn row_10_the_help_has_a_legend_found_by_the_mark() {
    let mut app = startup_app();
    press(&mut app, "? \"AFGR\"");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("marks on screen (legend)"), "{text}");
    assert!(
        text.contains("Peerings: allow virtual network access is on"),
        "{text}"
    );
    assert!(
        text.contains("Peerings: use remote gateways is on"),
        "{text}"
    );
    assert!(!text.contains("no key or mark matches"), "{text}");
    press(&mut app, "esc ? \"◐\"");
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("some pairs reachable and some blocked"),
        "{text}"
    );
    // The peering that is not in sync shows `~`, not the matrix's "changed" `*`.
    let mut app = app_with(example("07-address-space-sync.ron"));
    press(&mut app, "2");
    let text = pane_text(&mut app, PaneId::Peerings, 160, 48);
    assert!(text.contains("Connected~"), "{text}");
    assert!(!text.contains("Connected*"), "{text}");
    press(&mut app, "? \"~\"");
    let text = screen(&mut app, 160, 40);
    assert!(text.contains("not in sync (s syncs)"), "{text}");
}

/// Row 11: Ctrl-u, Ctrl-w and Ctrl-a edit the help and palette filters (the audit typed
/// `? a b Ctrl-u Ctrl-a Ctrl-w` and got `filter: abuaw`).
#[test]
fn row_11_ctrl_u_w_a_edit_the_help_and_palette_filters() {
    let mut app = startup_app();
    press(&mut app, "? a b ctrl-u ctrl-a ctrl-w");
    match app.overlay() {
        Some(Overlay::Help(help)) => assert_eq!(help.filter, ""),
        other => panic!("{other:?}"),
    }
    press(&mut app, "esc : \"next pane\" ctrl-w");
    match app.overlay() {
        Some(Overlay::Palette(palette)) => assert_eq!(palette.query, "next "),
        other => panic!("{other:?}"),
    }
    press(&mut app, "ctrl-a \"undo\"");
    match app.overlay() {
        Some(Overlay::Palette(palette)) => assert_eq!(palette.query, "undo"),
        other => panic!("{other:?}"),
    }
}

/// Row 12: Ctrl-s in the quit prompt saves and quits (the audit saw it do nothing).
#[test]
fn row_12_ctrl_s_in_the_quit_prompt_saves_and_quits() {
    let mut app = startup_app();
    press(&mut app, "2 space q");
    assert!(matches!(app.overlay(), Some(Overlay::Confirm(_))));
    // Untitled: the save-as form asks for a name first; saving then quits.
    press(&mut app, "ctrl-s");
    assert!(!app.should_quit());
    assert!(matches!(app.overlay(), Some(Overlay::Form(..))));
    press(&mut app, "ctrl-u \"saves/quit.ron\" enter");
    assert!(app.should_quit(), "{}", status(&app));
    assert!(!app.session().is_dirty());
    // Cancelling the name keeps the app open, and a later save does not quit.
    let mut app = startup_app();
    press(&mut app, "2 space q ctrl-s esc");
    assert!(!app.should_quit());
    press(&mut app, "ctrl-s ctrl-u \"saves/later.ron\" enter");
    assert!(!app.should_quit());
}

/// Row 20: the palette ranks whole-word matches first (`rev` put "previous pane" above "create
/// the reverse peering"; `block` found only "subscriptions") and keeps its key hints apart.
#[test]
fn row_20_the_palette_ranks_words_first_and_keeps_keys_apart() {
    let mut app = startup_app();
    press(&mut app, ": \"rev\"");
    match app.overlay() {
        Some(Overlay::Palette(palette)) => assert_eq!(
            palette.matches().first(),
            Some(&vnetlab::tui::action::Action::ReversePeering)
        ),
        other => panic!("{other:?}"),
    }
    press(&mut app, "ctrl-u \"block\"");
    match app.overlay() {
        Some(Overlay::Palette(palette)) => assert_eq!(
            palette.matches().first(),
            Some(&vnetlab::tui::action::Action::ApplyFix)
        ),
        other => panic!("{other:?}"),
    }
    press(&mut app, "ctrl-u");
    let text = screen(&mut app, 80, 40);
    assert!(!text.contains("edits)q"), "{text}");
    assert!(!text.contains("behaviour)A"), "{text}");
}

/// Row 21: the delta says which way pairs went ("−2 blocked" read as two fewer).
#[test]
fn row_21_the_delta_reads_as_pairs_that_became_blocked() {
    let mut app = startup_app();
    // Access off on hub → spoke1 blocks the pairs between them.
    press(&mut app, "2 space");
    let text = pane_text(&mut app, PaneId::Reach, 160, 48);
    assert!(text.contains("edit: 8 pairs became blocked"), "{text}");
    assert!(text.contains("pairs became blocked"), "{text}");
    assert!(!text.contains("−0"), "{text}");
}

/// The Peerings pane starts on its first pair, not on the column header above it, so `2` then
/// `Space` toggles a flag at once; `Space` on the header says how to reach a pair.
#[test]
fn the_peerings_pane_starts_on_its_first_pair_and_the_header_says_how_to_reach_one() {
    let mut app = startup_app();
    press(&mut app, "2 space");
    assert_eq!(
        status(&app),
        "change peering hub-to-spoke1: allow virtual network access off · u to undo"
    );
    press(&mut app, "u k space");
    assert!(status(&app).starts_with("this is the column header: j selects the first pair"));
    assert!(!app.session().history().can_undo(), "{}", status(&app));
    // With no peering at all, the header row is all there is: it says how to add one.
    let mut app = app_with(example("01-two-vnets-unpeered.ron"));
    press(&mut app, "2 space");
    assert!(
        status(&app).starts_with("no peerings yet: a adds one"),
        "{}",
        status(&app)
    );
}

/// Row 22: no reply path for a request that was dropped, and no duplicated stops.
#[test]
fn row_22_a_dropped_request_draws_no_reply_path() {
    let mut app = app_with(example("01-two-vnets-unpeered.ron"));
    press(&mut app, "6 l");
    let text = pane_text(&mut app, PaneId::Reach, 160, 48);
    assert!(text.contains("✗ blocked"), "{text}");
    assert!(!text.contains("never arrived"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("│← ")), "{text}");
    // An NSG denies the request: the engine walks on (to show the path as if let through), but
    // the explanation draws no reply for it.
    let mut app = app_with(example("05-nsg-blocks-peered.ron"));
    press(&mut app, "6 l");
    let text = pane_text(&mut app, PaneId::Reach, 160, 48);
    assert!(text.contains("NSG_DENY"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("│← ")), "{text}");
    // Every pair of the gateway example: no stop twice in a row.
    let mut app = app_with(example("04-gateway-transit.ron"));
    press(&mut app, "6");
    let count = app.session().analysis().endpoints().len();
    for _ in 0..count {
        for _ in 0..count {
            let text = pane_text(&mut app, PaneId::Reach, 160, 48);
            for line in text.lines().filter(|l| l.contains('›')) {
                let stops: Vec<&str> = line.split(" › ").collect();
                assert!(
                    stops.windows(2).all(|w| w[0].trim() != w[1].trim()),
                    "{line}"
                );
            }
            press(&mut app, "l");
        }
        press(&mut app, "j");
    }
}

/// Row 23 (issue 16 item 6): plurals come out right (`1 rules + 6 default`), and adding an NVA
/// says so (`add VM nva-b`).
#[test]
fn row_23_plurals_and_labels() {
    let mut app = startup_app();
    let text = pane_text(&mut app, PaneId::Nsg, 160, 48);
    assert!(text.contains("nsg-spoke2  1 rule + 6 default"), "{text}");
    let design = example("03-hub-spoke-nva.ron");
    let mut app = app_with(design);
    let mut vm = vnetlab::model::Vm::new(
        "nva-b",
        vnetlab::model::SubnetRef::new("hub", "nva"),
        "10.0.1.5".parse().unwrap(),
    );
    vm.appliance = Some(vnetlab::model::Appliance::nva());
    assert!(app.apply_edit(vnetlab::edit::Edit::Add {
        object: vnetlab::edit::Object::Vm(vm),
        at: None,
    }));
    assert_eq!(status(&app), "add appliance nva-b · u to undo");
    assert_eq!(
        vnetlab::words::count(1, "endpoint", "endpoints"),
        "1 endpoint"
    );
}

/// Row 13: `vnetlab NEW.ron` for a missing file starts a new design saved there.
#[test]
fn row_13_a_missing_ron_file_starts_a_new_design() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new-design.ron");
    assert!(vnetlab::tui::files::starts_new_design(&new));
    assert!(!vnetlab::tui::files::starts_new_design(
        &dir.path().join("no-such-folder/x.ron")
    ));
    assert!(!vnetlab::tui::files::starts_new_design(
        &dir.path().join("export.json")
    ));
    std::fs::write(&new, "x").unwrap();
    assert!(!vnetlab::tui::files::starts_new_design(&new));
    assert!(vnetlab::tui::files::new_design_note(&new).contains("Ctrl-s saves it there"));
}

/// Row 2 (item 4, "the same for NSG rules"): the NSG pane marks the rule that decided the
/// selected pair's request (nothing connected the two before).
#[test]
fn row_02_the_nsg_rule_that_decided_the_pair_is_marked() {
    let mut app = app_with(example("05-nsg-blocks-peered.ron"));
    press(&mut app, "6");
    let count = app.session().analysis().endpoints().len();
    let mut marked = None;
    'cells: for _ in 0..count {
        for _ in 0..count {
            let reach = pane_text(&mut app, PaneId::Reach, 160, 48);
            let nsg = pane_text(&mut app, PaneId::Nsg, 160, 48);
            if reach.contains("NSG_DENY") {
                marked = nsg.lines().find(|l| l.contains('▶')).map(str::to_string);
                break 'cells;
            }
            press(&mut app, "l");
        }
        press(&mut app, "j");
    }
    let line = marked.expect("a pair denied by an NSG rule, with the rule marked");
    assert!(line.contains("deny"), "{line}");
}

/// Row 13: Ctrl-o accepts a typed path, with Tab completing file names, for a design saved
/// outside the data folder (the audit could only pick the listed examples and saves).
#[test]
fn row_13_ctrl_o_opens_a_typed_path_with_completion() {
    let files = vnetlab::tui::MemoryFiles::default();
    let text = vnetlab::io::examples::example("02-non-transitive.ron").unwrap();
    files
        .state()
        .files
        .insert("elsewhere/workshop.ron".into(), text.to_string());
    let mut app = App::new(
        vnetlab::session::Session::new(Design::empty("untitled")),
        vnetlab::tui::Config::embedded(),
        Box::new(files),
        None,
    );
    press(&mut app, "ctrl-o 8");
    assert!(
        matches!(app.overlay(), Some(Overlay::Path(_))),
        "{:?}",
        app.overlay()
    );
    press(&mut app, "\"elsew\" tab");
    match app.overlay() {
        Some(Overlay::Path(prompt)) => assert_eq!(prompt.text, "elsewhere/workshop.ron"),
        other => panic!("{other:?}"),
    }
    press(&mut app, "enter");
    assert!(app.overlay().is_none(), "{}", status(&app));
    assert_eq!(
        app.file(),
        Some(std::path::Path::new("elsewhere/workshop.ron"))
    );
    assert!(app.session().design().vnet("vnet-b").is_some());
}

/// Row 21: a new design's matrix cursor does not start on the diagonal once it has two
/// endpoints (the audit saw `vm-a is itself: pick another column`).
#[test]
fn row_21_a_new_designs_cursor_starts_on_a_pair() {
    let mut design = example("01-two-vnets-unpeered.ron");
    let vms = std::mem::take(&mut design.vms);
    design.intents.clear();
    let mut app = app_with(design);
    press(&mut app, "6");
    for vm in vms {
        assert!(app.apply_edit(vnetlab::edit::Edit::Add {
            object: vnetlab::edit::Object::Vm(vm),
            at: None,
        }));
        app.wait_idle();
    }
    let text = pane_text(&mut app, PaneId::Reach, 160, 48);
    assert!(!text.contains("is itself"), "{text}");
    assert!(text.contains("vm-a → vm-b"), "{text}");
}

/// Audit row 18: the Assumptions form explains the value under the cursor in a sentence, and
/// the sentence follows the value as it changes. Before, it showed only `‹ DocumentedIntent ›`.
#[test]
fn row_18_the_assumptions_form_explains_each_value() {
    let mut app = startup_app();
    press(&mut app, "A");
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("VNet access off denies new flows"), "{text}");
    press(&mut app, "right");
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("only takes the peer out"), "{text}");
    assert!(!text.contains("VNet access off denies new flows"), "{text}");
    // Every assumption is on the form, the AVNM one included.
    assert!(text.contains("AVNM peerings forward"), "{text}");
}
