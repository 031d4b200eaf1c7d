//! Key-sequence acceptance tests: the app is driven headless by keys only, and the tests check
//! the session (design, analysis, delta) and the drawn screen.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, press, press_without_waiting, screen, startup_app};
use vnetlab::engine::Verdict;
use vnetlab::model::{Design, PeeringState};
use vnetlab::tui::App;

fn verdict(app: &App, from: &str, to: &str) -> Verdict {
    let analysis = app.session().analysis();
    let (a, b) = (
        analysis
            .index_of(from)
            .unwrap_or_else(|| panic!("no endpoint {from}")),
        analysis
            .index_of(to)
            .unwrap_or_else(|| panic!("no endpoint {to}")),
    );
    analysis.verdict(a, b)
}

/// Every verdict of the matrix, by endpoint names.
fn matrix(app: &App) -> Vec<(String, String, Verdict)> {
    let analysis = app.session().analysis();
    let names: Vec<String> = analysis
        .endpoints()
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let mut all = Vec::new();
    for (i, a) in names.iter().enumerate() {
        for (j, b) in names.iter().enumerate() {
            if i != j {
                all.push((a.clone(), b.clone(), analysis.verdict(i, j)));
            }
        }
    }
    all
}

/// Two VNets `a` (10.0.0.0/16) and `b` (10.1.0.0/16), each with a subnet and a VM, and one
/// peering a → b, all typed into an empty design.
fn two_vnets_one_peering() -> App {
    let mut app = app_with(Design::empty("keys"));
    // VNet a: `a` opens the Add menu, whose highlighted choice is always VNet; Enter opens the
    // form. The suggested space and the first subnet it offers (`default`) are kept.
    press(&mut app, "1 a enter \"a\" enter");
    // VNet b the same way, whatever is selected (audit row 5).
    press(&mut app, "a enter \"b\" enter");
    // A VM in b's first subnet (b is selected; its subnet is the next row; VM is choice 3).
    press(&mut app, "j a 3 \"vm-b\" enter");
    // The same in a: back to the top, down to a's subnet.
    press(&mut app, "g j j a 3 \"vm-a\" enter");
    // One peering: the form proposes the unlinked pair, a → b.
    press(&mut app, "2 a enter enter");
    app
}

#[test]
fn two_new_vnets_and_one_peering_are_initiated_and_blocked() {
    let app = two_vnets_one_peering();
    let design = app.session().design();
    assert_eq!(design.vnets.len(), 2, "{:?}", app.status());
    assert_eq!(design.vms.len(), 2, "{:?}", app.status());
    let link = design.peering("a-to-b").expect("peering a-to-b");
    assert_eq!(design.peering_state(link), PeeringState::Initiated);
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Blocked);
    assert_eq!(verdict(&app, "vm-b", "vm-a"), Verdict::Blocked);
    let mut app = app;
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("a ⇄ b → Initiated"), "{text}");
}

#[test]
fn the_reverse_link_connects_and_the_delta_shows_the_flip() {
    let mut app = two_vnets_one_peering();
    press(&mut app, "r");
    let design = app.session().design();
    let reverse = design.peering("b-to-a").expect("reverse link");
    assert_eq!(design.peering_state(reverse), PeeringState::Connected);
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Reachable);
    let delta = app.session().delta();
    assert!(
        delta
            .became_reachable()
            .any(|pair| pair == ("vm-a", "vm-b"))
    );
    assert_eq!(delta.blocked_count(), 0);
    let text = screen(&mut app, 160, 48);
    // Audit row 21: the delta says which way the pairs went.
    assert!(text.contains("edit: 2 pairs became reachable"), "{text}");
    assert!(text.contains("✓*"), "flipped cells are marked: {text}");
}

#[test]
fn a_hub_spoke_nva_design_built_by_keys_reaches_the_expected_matrix() {
    let mut app = app_with(Design::empty("nva"));
    // Three VNets: hub 10.0.0.0/16, spoke1 10.1.0.0/16, spoke2 10.2.0.0/16 (suggested spaces).
    // The hub's first subnet is named nva (the fifth field of the VNet form); the spokes keep
    // the suggested `default`.
    press(
        &mut app,
        "1 a enter \"hub\" tab tab tab tab \"nva\" enter a 1 \"spoke1\" enter a 1 \"spoke2\" enter",
    );
    // spoke2 is selected: a VM in its subnet (the next row; VM is choice 3).
    press(&mut app, "j a 3 \"vm2\" enter");
    // spoke1: rows are hub, hub/nva, spoke1, spoke1/default.
    press(&mut app, "g j j j j a 3 \"vm1\" enter");
    // hub/nva: an appliance (menu item 4), which starts with IP forwarding on.
    press(&mut app, "g j j a 4 \"nva1\" enter");
    let nva_ip = app
        .session()
        .design()
        .vm("nva1")
        .and_then(vnetlab::model::Vm::ip)
        .expect("appliance")
        .to_string();
    assert_eq!(nva_ip, "10.0.0.4");
    // Peer hub and spokes: Hub = hub (the VNet with the appliance); switch on spoke1 and spoke2
    // (fields 2 and 3: the hub is not listed as its own spoke); forwarded traffic is on by
    // default; the hub has no gateway, so transit is off; no routing through the NVA yet.
    press(&mut app, "2 H tab space tab space enter");
    assert_eq!(
        app.session().design().peerings.len(),
        4,
        "{:?}",
        app.status()
    );
    // Peering is not transitive: the spokes reach the hub but not each other.
    assert_eq!(verdict(&app, "vm1", "nva1"), Verdict::Reachable);
    assert_eq!(verdict(&app, "vm1", "vm2"), Verdict::Blocked);
    // Route tables with a UDR to the NVA (the suggested next hop), associated with each spoke's
    // subnet. With no table yet, a goes straight to the route-table form.
    press(
        &mut app,
        "4 a \"rt1\" enter a 2 \"to-spoke2\" tab \"10.2.0.0/16\" enter",
    );
    press(
        &mut app,
        "a 1 \"rt2\" enter a 2 \"to-spoke1\" tab \"10.1.0.0/16\" enter",
    );
    // Associate: edit each spoke subnet (Enter); the route table is the fifth field, a choice of
    // (none), rt1, rt2. Rows: hub 1, hub/nva 2, nva1 3, spoke1 4, spoke1/default 5, vm1 6,
    // spoke2 7, spoke2/default 8.
    press(&mut app, "1 g j j j j j enter tab tab tab tab right enter");
    press(
        &mut app,
        "1 g j j j j j j j j enter tab tab tab tab right right enter",
    );
    let design = app.session().design();
    let table = |vnet: &str| {
        design
            .vnet(vnet)
            .and_then(|v| v.subnets[0].route_table.clone())
    };
    assert_eq!(
        table("spoke1").as_deref(),
        Some("rt1"),
        "{:?}",
        app.status()
    );
    assert_eq!(
        table("spoke2").as_deref(),
        Some("rt2"),
        "{:?}",
        app.status()
    );
    // The expected matrix: every pair reachable, spoke to spoke through the NVA.
    for (from, to, v) in matrix(&app) {
        assert_eq!(v, Verdict::Reachable, "{from} → {to}");
    }
    let trace = vnetlab::engine::trace(app.session().design(), "vm1", "vm2", app.flow()).unwrap();
    assert!(
        trace.forward.iter().any(|h| h.at == "nva1"),
        "{:?}",
        trace.forward
    );
}

#[test]
fn the_gateway_transit_toggle_lets_a_spoke_reach_on_premises() {
    let text = vnetlab::io::examples::example("04-gateway-transit.ron").unwrap();
    let mut design = vnetlab::io::parse_design(text, "04").unwrap();
    // Start with transit off on every link.
    for p in &mut design.peerings {
        p.allow_gateway_transit = false;
        p.use_remote_gateways = false;
    }
    let mut app = app_with(design);
    assert_eq!(verdict(&app, "vm-spoke1", "branch-host"), Verdict::Blocked);
    // Gateway pane, the gateway row (under the Gateways header), t.
    press(&mut app, "3 g j t");
    let design = app.session().design();
    assert!(
        design
            .peering("hub-to-spoke1")
            .unwrap()
            .allow_gateway_transit
    );
    assert!(design.peering("spoke1-to-hub").unwrap().use_remote_gateways);
    assert_eq!(
        verdict(&app, "vm-spoke1", "branch-host"),
        Verdict::Reachable
    );
    assert_eq!(
        verdict(&app, "branch-host", "vm-spoke1"),
        Verdict::Reachable
    );
    // And off again.
    press(&mut app, "t");
    assert_eq!(verdict(&app, "vm-spoke1", "branch-host"), Verdict::Blocked);
}

#[test]
fn gateway_transit_is_refused_with_the_reason_on_a_basic_gateway() {
    let text = vnetlab::io::examples::example("04-gateway-transit.ron").unwrap();
    let mut design = vnetlab::io::parse_design(text, "04").unwrap();
    for p in &mut design.peerings {
        p.allow_gateway_transit = false;
        p.use_remote_gateways = false;
    }
    design.gateways[0].sku = vnetlab::model::GatewaySku::Basic;
    let mut app = app_with(design.clone());
    press(&mut app, "3 g j t");
    assert_eq!(app.session().design(), &design);
    let status = app.status().expect("a refusal");
    assert!(
        status.error && status.text.contains("Basic SKU"),
        "{status:?}"
    );
}

#[test]
fn undoing_everything_restores_the_original_matrix() {
    let mut app = startup_app();
    let original_design = app.session().design().clone();
    let original = matrix(&app);
    // Reverse the missing hub-spoke3 link, toggle transit, flip a flag, delete an NSG rule.
    press(&mut app, "2 j j r");
    press(&mut app, "3 g j t");
    press(&mut app, "2 g j l space");
    press(&mut app, "5 g j j d y");
    assert_ne!(matrix(&app), original);
    assert!(app.session().is_dirty());
    for _ in 0..4 {
        press(&mut app, "u");
    }
    assert_eq!(app.session().design(), &original_design);
    assert_eq!(matrix(&app), original);
    assert!(!app.session().is_dirty());
    press(&mut app, "u");
    assert_eq!(
        app.status().map(|s| s.text.as_str()),
        Some("nothing to undo")
    );
    press(&mut app, "ctrl-r");
    assert_ne!(app.session().design(), &original_design);
}

#[test]
fn the_fix_key_turns_a_blocked_pair_reachable() {
    let mut app = startup_app();
    assert_eq!(verdict(&app, "vm-app3", "vm-dns"), Verdict::Blocked);
    // Reachability panel: row 5 is vm-app3, column 2 is vm-dns (the cursor starts at row 1, column 2).
    press(&mut app, "6 j j j j");
    let text = screen(&mut app, 160, 48);
    assert!(
        text.contains("vm-app3 → vm-dns tcp/443 ✗ blocked"),
        "{text}"
    );
    assert!(text.contains("x fix:"), "{text}");
    let before = app.session().history().undo_labels().count();
    // Each x applies the first blocker's fix; a pair may need more than one.
    for _ in 0..4 {
        if verdict(&app, "vm-app3", "vm-dns") == Verdict::Reachable {
            break;
        }
        press(&mut app, "x");
    }
    assert_eq!(
        verdict(&app, "vm-app3", "vm-dns"),
        Verdict::Reachable,
        "{:?}",
        app.status()
    );
    assert!(app.session().history().undo_labels().count() > before);
    let text = screen(&mut app, 160, 48);
    assert!(
        text.contains("vm-app3 → vm-dns tcp/443 ✓ reachable"),
        "{text}"
    );
    // The fix is an ordinary edit: undo brings the block back.
    while app.session().history().can_undo() {
        press(&mut app, "u");
    }
    assert_eq!(verdict(&app, "vm-app3", "vm-dns"), Verdict::Blocked);
}

#[test]
fn the_fix_key_waits_for_a_pending_evaluation_and_fixes_the_current_design() {
    // Reachability: vm-app3 → vm-dns is blocked; x fixes its first blocker, twice.
    let mut reference = startup_app();
    press(&mut reference, "6 j j j j x x");
    let mut app = startup_app();
    press(&mut app, "6 j j j j");
    app.set_background(true);
    app.hold_evaluations(true);
    press_without_waiting(&mut app, "x");
    assert!(app.evaluating());
    // The trace on screen is the previous revision's: the second x must not apply its fix
    // again, but wait for the first fix's evaluation and fix what is still blocked.
    press_without_waiting(&mut app, "x");
    app.wait_idle();
    assert_eq!(app.session().design(), reference.session().design());
    assert_eq!(app.status(), reference.status());
    assert_eq!(
        app.session().history().undo_labels().count(),
        reference.session().history().undo_labels().count()
    );
}

#[test]
fn enter_on_a_diagnostic_jumps_to_its_object() {
    use vnetlab::tui::panes::{PaneId, Target};
    let mut app = startup_app();
    // Errors come first: the failing intent, then the one-sided peering.
    press(&mut app, "7 enter");
    assert_eq!(app.focus(), PaneId::Reach);
    assert_eq!(app.selected(), Some(Target::Intent("app3-to-hq".into())));
    press(&mut app, "7 j enter");
    assert_eq!(app.focus(), PaneId::Peerings);
    assert_eq!(
        app.selected(),
        Some(Target::PeeringPair {
            a: "hub".into(),
            b: "spoke3".into()
        })
    );
}

#[test]
fn quitting_with_unsaved_edits_asks_first() {
    let mut app = startup_app();
    press(&mut app, "2 j j r q");
    assert!(!app.should_quit());
    assert!(matches!(
        app.overlay(),
        Some(vnetlab::tui::Overlay::Confirm(_))
    ));
    press(&mut app, "n");
    assert!(!app.should_quit());
    press(&mut app, "q y");
    assert!(app.should_quit());
}

/// Where each pane's cursor is, and which pane has the focus.
fn navigation(app: &App) -> Vec<String> {
    let mut all: Vec<String> = vnetlab::tui::panes::PaneId::ALL
        .iter()
        .map(|&pane| format!("{pane:?} {:?}", app.pane_state(pane)))
        .collect();
    all.push(format!(
        "focus {:?} selected {:?}",
        app.focus(),
        app.selected()
    ));
    all
}

#[test]
fn background_evaluation_gives_the_same_result_as_inline() {
    let mut inline = startup_app();
    let mut background = startup_app();
    let before = matrix(&background);
    let first_screen = screen(&mut background, 160, 48);
    background.set_background(true);
    // Held evaluations wait on the evaluation thread: everything below happens while the first
    // one is pending, whatever the machine's speed.
    background.hold_evaluations(true);
    // Edits (the reverse peering, gateway transit, an undo, a new flow) interleaved with moves.
    let steps = [
        "2 j j r", "j k", "3 g j t", "6 l l j", "1 j j", "u", "f", "6 j l",
    ];
    let mut flow_pending = false;
    for keys in steps {
        flow_pending |= keys == "f";
        press(&mut inline, keys);
        press_without_waiting(&mut background, keys);
        // The design and the history change at once; moving around works as usual.
        assert_eq!(
            background.session().design(),
            inline.session().design(),
            "{keys}"
        );
        assert_eq!(navigation(&background), navigation(&inline), "{keys}");
        // Edits are reported at once; a new flow's summary waits for its evaluation.
        if flow_pending {
            assert_eq!(
                background.status().map(|s| s.text.as_str()),
                Some("evaluating flow tcp/22…")
            );
        } else {
            assert_eq!(background.status(), inline.status(), "{keys}");
        }
        // Meanwhile the results drawn are the first revision's, marked as evaluating.
        assert!(background.evaluating(), "{keys}");
        assert_eq!(background.session().evaluated_revision(), 1, "{keys}");
        assert_eq!(matrix(&background), before, "{keys}");
        let text = screen(&mut background, 160, 48);
        assert!(
            text.contains("Reachability · tcp/443 · evaluating…"),
            "{text}"
        );
        assert!(text.contains("Diagnostics · evaluating…"), "{text}");
    }
    assert_ne!(matrix(&inline), before, "the edits change the matrix");
    background.wait_idle();
    assert!(!background.evaluating());
    assert_eq!(background.session().design(), inline.session().design());
    assert_eq!(background.flow(), inline.flow());
    assert_eq!(matrix(&background), matrix(&inline));
    assert_eq!(background.status(), inline.status());
    assert_eq!(navigation(&background), navigation(&inline));
    let text = screen(&mut background, 160, 48);
    assert_eq!(text, screen(&mut inline, 160, 48));
    assert_ne!(text, first_screen);
}

#[test]
fn switching_an_assumption_is_an_undoable_edit_that_reevaluates() {
    let mut app = startup_app();
    let before = matrix(&app);
    // A opens the assumptions; the second field is allowForwardedTraffic: Enforce → Ignore.
    press(&mut app, "A tab right enter");
    assert_eq!(
        app.session().design().assumptions.forwarded_traffic,
        vnetlab::model::ForwardedTraffic::Ignore,
        "{:?}",
        app.status()
    );
    press(&mut app, "u");
    assert_eq!(matrix(&app), before);
    assert_eq!(
        app.session().design().assumptions,
        vnetlab::model::Assumptions::default()
    );
}

#[test]
fn a_stale_peering_shows_its_sync_level_and_s_syncs_it() {
    let text = vnetlab::io::examples::example("07-address-space-sync.ron").unwrap();
    let mut app = app_with(vnetlab::io::parse_design(text, "07").unwrap());
    let stale = |app: &App| {
        let d = app.session().design();
        d.peerings
            .iter()
            .filter(|p| d.sync_level(p) != vnetlab::model::SyncLevel::FullyInSync)
            .count()
    };
    assert!(stale(&app) > 0);
    press(&mut app, "2");
    let screen_before = screen(&mut app, 160, 48);
    assert!(
        screen_before.contains("NotInSync") && screen_before.contains("(s: sync)"),
        "{screen_before}"
    );
    press(&mut app, "s");
    assert_eq!(stale(&app), 0, "{:?}", app.status());
    press(&mut app, "u");
    assert!(stale(&app) > 0);
}

#[test]
fn the_selected_row_is_the_one_drawn_when_a_pane_lists_the_context_first() {
    use vnetlab::tui::panes::Target;
    let mut app = startup_app();
    // VNets rows: 10 is spoke2, 11 its subnet `workload`, which uses rt-spoke2 and nsg-spoke2.
    press(&mut app, "1 g j j j j j j j j j j j");
    assert_eq!(
        app.selected(),
        Some(Target::Subnet(vnetlab::model::SubnetRef::new(
            "spoke2", "workload"
        )))
    );
    // The Route table pane lists the subnet's effective routes (audit row 2), then its table
    // first, marked: the first table row is that table.
    press(&mut app, "4 g");
    for _ in 0..40 {
        if matches!(app.selected(), Some(Target::RouteTable(_))) {
            break;
        }
        press(&mut app, "j");
    }
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("● rt-spoke2"), "{text}");
    assert_eq!(app.selected(), Some(Target::RouteTable("rt-spoke2".into())));
    press(&mut app, "enter");
    assert!(
        screen(&mut app, 160, 48).contains("Edit route table rt-spoke2"),
        "{:?}",
        app.status()
    );
    press(&mut app, "esc 5 j");
    assert_eq!(app.selected(), Some(Target::Nsg("nsg-spoke2".into())));
}

#[test]
fn a_row_added_while_its_evaluation_is_pending_is_selected_at_once() {
    use vnetlab::tui::panes::Target;
    let mut app = startup_app();
    app.set_background(true);
    app.hold_evaluations(true);
    // Add menu, first option (VNet), a name, apply: the edit is evaluated in the background.
    press_without_waiting(&mut app, "a 1 \"extra\" enter");
    assert!(app.overlay().is_none(), "{:?}", app.status());
    assert!(app.evaluating());
    assert!(app.session().design().vnet("extra").is_some());
    let text = screen(&mut app, 160, 48);
    assert_eq!(app.selected(), Some(Target::Vnet("extra".into())), "{text}");
    app.wait_idle();
    assert!(!app.evaluating());
    assert_eq!(app.selected(), Some(Target::Vnet("extra".into())));
}
