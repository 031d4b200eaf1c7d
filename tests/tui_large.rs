//! The TUI on a generated design larger than the demos: `vnetlab gen hub-spoke` with 2 hubs and
//! 40 spokes (42 VNets, more endpoints than the matrix shows one by one). The matrix groups its
//! endpoints, and the hub-and-spokes form lists every VNet, so spokes beyond the 32nd can be
//! chosen and peered (the form once stopped silently at 32).
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, press, screen};
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::model::{EndpointGroup, PeeringState};
use vnetlab::tui::forms::FieldKey;
use vnetlab::tui::matrix::AxisItem;
use vnetlab::tui::{App, Overlay};

fn forty_spokes() -> App {
    let params = HubSpokeParams {
        hubs: 2,
        spokes: 40,
        subnets_per_spoke: 1,
        vms_per_subnet: 1,
    };
    app_with(hub_spoke(&params).unwrap())
}

#[test]
fn the_matrix_of_a_large_design_is_grouped_and_a_group_expands() {
    let mut app = forty_spokes();
    let text = screen(&mut app, 160, 48);
    let endpoints = app.session().analysis().endpoints().len();
    let matrix = app.matrix().unwrap();
    assert!(matrix.key.grouped, "{endpoints} endpoints");
    assert!(matrix.axis.len() < endpoints);
    let hub1 = matrix
        .axis
        .iter()
        .position(|item| matches!(item, AxisItem::Group { key: EndpointGroup::Vnet(v), .. } if v == "hub1"))
        .expect("hub1's VMs are one group");
    assert!(text.contains("▸ hub1 (2)"), "{text}");
    // The cursor starts on hub1 × hub2: Enter expands both groups into their VMs.
    assert_eq!(hub1, 0);
    assert!(
        matches!(&matrix.axis[1], AxisItem::Group { key: EndpointGroup::Vnet(v), .. } if v == "hub2")
    );
    let before = matrix.axis.len();
    press(&mut app, "6 enter");
    let matrix = app.matrix().unwrap();
    assert_eq!(matrix.axis.len(), before + 2);
    assert!(
        matrix.axis[..4]
            .iter()
            .all(|a| matches!(a, AxisItem::One(_)))
    );
    assert_eq!(app.status().map(|s| s.text.as_str()), Some("expanded hub2"));
}

#[test]
fn filtering_a_long_vnets_list_lands_on_the_first_match() {
    use vnetlab::tui::panes::Target;
    let mut app = forty_spokes();
    press(&mut app, "1 / \"spoke39\" enter");
    assert_eq!(app.selected(), Some(Target::Vnet("spoke39".into())));
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("/spoke39"), "{text}");
    assert!(!text.contains("spoke38 "), "{text}");
}

#[test]
fn hub_and_spokes_peers_spokes_beyond_the_32nd_vnet() {
    let mut app = forty_spokes();
    let design = app.session().design().clone();
    assert_eq!(design.vnets.len(), 42);
    let index = |name: &str| design.vnets.iter().position(|v| v.name == name).unwrap();
    // spoke34 and spoke40 are hub2's spokes, the 36th and 42nd VNets.
    let (spoke34, spoke40) = (index("spoke34"), index("spoke40"));
    assert!(spoke34 >= 32 && spoke40 >= 32);
    assert!(design.peering_between("hub1", "spoke34").is_none());

    press(&mut app, "2 H");
    let Some(Overlay::Form(_, form)) = app.overlay() else {
        panic!("H opens the hub-and-spokes form: {:?}", app.status());
    };
    assert_eq!(form.value(FieldKey::Hub), "hub1");
    // One toggle per VNet but the hub (the first VNet; audit row 19), in design order, after
    // the hub choice.
    for (i, vnet) in design.vnets.iter().enumerate().skip(1) {
        let field = &form.fields[i];
        assert_eq!(field.key, FieldKey::Spoke(i));
        assert_eq!(field.label, format!("spoke {}", vnet.name));
    }
    assert!(!form.fields.iter().any(|f| f.key == FieldKey::Spoke(0)));

    // Tab down to spoke34 and switch it on; the form scrolls to keep it in view.
    press(&mut app, &"tab ".repeat(spoke34));
    press(&mut app, "space");
    let text = screen(&mut app, 160, 48);
    let line = text
        .lines()
        .find(|l| l.contains("▸ spoke spoke34"))
        .unwrap_or_else(|| panic!("the focused spoke is shown:\n{text}"));
    assert!(line.contains("[x]"), "{line}");
    press(&mut app, &"tab ".repeat(spoke40 - spoke34));
    press(&mut app, "space");
    // Both spokes already use hub2's gateway, so gateway transit (after forwarded traffic) goes
    // off.
    press(&mut app, "tab tab space enter");
    assert!(app.overlay().is_none(), "{:?}", app.status());

    let after = app.session().design();
    assert_eq!(after.peerings.len(), design.peerings.len() + 4);
    for spoke in ["spoke34", "spoke40"] {
        for (local, remote) in [("hub1", spoke), (spoke, "hub1")] {
            let link = after
                .peering_between(local, remote)
                .unwrap_or_else(|| panic!("{local} → {remote}"));
            assert_eq!(after.peering_state(link), PeeringState::Connected);
            assert!(link.allow_forwarded_traffic && !link.use_remote_gateways);
        }
    }
    // One undoable batch.
    press(&mut app, "u");
    assert_eq!(app.session().design(), &design);
}

/// The VNets pane's rows are kept between keys for the design they were built from: a new
/// design (an edit, its undo) must show its own rows, not the kept ones.
#[test]
fn the_vnets_rows_follow_every_edit_and_undo() {
    use vnetlab::edit::{Edit, Object};
    use vnetlab::model::Vnet;
    use vnetlab::tui::action::Action;
    use vnetlab::tui::panes::Target;
    let mut app = forty_spokes();
    app.update(Action::FocusVnets);
    app.update(Action::Bottom);
    let last = app.selected();
    assert!(matches!(last, Some(Target::Vm(_))), "{last:?}");
    let region = app.session().design().vnets[0].region;
    let added = Vnet::new("zz-added", region, vec!["10.250.0.0/16".parse().unwrap()]);
    assert!(app.apply_edit(Edit::Add {
        object: Object::Vnet(added),
        at: None,
    }));
    app.wait_idle();
    app.update(Action::Bottom);
    assert_eq!(app.selected(), Some(Target::Vnet("zz-added".into())));
    press(&mut app, "u");
    app.update(Action::Bottom);
    assert_eq!(app.selected(), last);
}
