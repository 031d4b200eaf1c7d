//! Key-sequence tests for the editing added by issue 4: a VM's secondary NICs, the design's
//! title and description, and the subscriptions with the designer's role. Each drives the app by
//! keys only, checks the design changed as intended, and that undo restores it.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, press, screen};
use vnetlab::model::{Design, Role, Subnet, SubnetRef, Subscription};
use vnetlab::tui::forms::FieldKey;
use vnetlab::tui::{App, Overlay};

/// VNets `a` and `b` with a VM each, plus a second subnet `untrust` (10.1.9.0/24) in `a`.
fn design_with_spare_subnet() -> Design {
    let mut design = Design::example_pair();
    let untrust = "10.1.9.0/24".parse().expect("valid literal");
    design.vnets[0]
        .subnets
        .push(Subnet::new("untrust", untrust));
    design
}

fn open_form_error(app: &App, key: FieldKey) -> Option<String> {
    match app.overlay() {
        Some(Overlay::Form(_, form)) => form
            .fields
            .iter()
            .find(|f| f.key == key)
            .and_then(|f| f.error.clone()),
        _ => None,
    }
}

#[test]
fn a_secondary_nic_is_added_edited_toggled_deleted_and_undone() {
    let original = design_with_spare_subnet();
    let mut app = app_with(original.clone());
    // Rows: header, a, a/default, vm-a. `a` on a VM offers "NIC of vm-a" as the fifth choice.
    press(&mut app, "1 g j j j a 5");
    assert!(
        matches!(app.overlay(), Some(Overlay::Form(..))),
        "{:?}",
        app.status()
    );
    // The suggestion is the unused subnet of the VM's VNet and its first free address.
    press(&mut app, "enter");
    let vm = app.session().design().vm("vm-a").expect("vm-a");
    assert_eq!(vm.nics.len(), 2, "{:?}", app.status());
    assert_eq!(vm.nics[1].subnet, SubnetRef::new("a", "untrust"));
    assert_eq!(vm.nics[1].ip.to_string(), "10.1.9.4");
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("nic 2 10.1.9.4 (subnet untrust)"), "{text}");

    // The new NIC row stays selected; edit it: an address outside the subnet is refused as
    // you type and the form stays open; a valid one is applied.
    press(&mut app, "enter tab \"10.1.1.200\" enter");
    let error = open_form_error(&app, FieldKey::Ip)
        .expect("the form stays open with an error on the address");
    assert!(error.contains("outside a/untrust"), "{error}");
    press(
        &mut app,
        "backspace backspace backspace backspace backspace \"9.20\" enter",
    );
    assert!(
        app.overlay().is_none(),
        "{:?}",
        open_form_error(&app, FieldKey::Ip)
    );
    let vm = app.session().design().vm("vm-a").expect("vm-a");
    assert_eq!(vm.nics[1].ip.to_string(), "10.1.9.20");

    // Space switches the selected NIC's IP forwarding, not the primary's.
    press(&mut app, "space");
    let vm = app.session().design().vm("vm-a").expect("vm-a");
    assert!(vm.nics[1].ip_forwarding && !vm.nics[0].ip_forwarding);

    // Delete asks first, then removes only that NIC.
    press(&mut app, "d y");
    let vm = app.session().design().vm("vm-a").expect("vm-a");
    assert_eq!(vm.nics.len(), 1);
    assert_eq!(vm.nics[0], original.vm("vm-a").expect("vm-a").nics[0]);

    // Four edits (add, edit, toggle, delete), each undoable, back to the original design.
    press(&mut app, "u u u u");
    assert_eq!(app.session().design(), &original);
}

#[test]
fn the_design_title_and_description_are_edited_with_t_and_undone() {
    let original = Design::example_pair();
    let mut app = app_with(original.clone());
    press(
        &mut app,
        "T \"Workshop lab\" tab \"Two spokes for day one\" enter",
    );
    let design = app.session().design();
    assert_eq!(design.name, "Workshop lab");
    assert_eq!(design.description, "Two spokes for day one");
    // An empty title is refused and the form stays open.
    press(&mut app, "T ctrl-u enter");
    assert!(open_form_error(&app, FieldKey::Name).is_some());
    press(&mut app, "esc u");
    assert_eq!(app.session().design(), &original);
}

#[test]
fn subscriptions_and_roles_are_added_edited_deleted_and_undone() {
    let mut original = Design::example_pair();
    original.vnets[0].subscription = "sub-hub".into();
    let mut app = app_with(original.clone());
    // S offers the first subscription a VNet names; the role starts as Network Contributor.
    press(&mut app, "S enter");
    assert_eq!(
        app.session().design().subscriptions,
        vec![Subscription {
            name: "sub-hub".into(),
            role: Role::NetworkContributor
        }],
        "{:?}",
        app.status()
    );
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("Subscriptions (1)"), "{text}");

    // Enter on it (the new row is selected): a Custom role needs its actions.
    press(&mut app, "enter tab C C enter");
    assert!(open_form_error(&app, FieldKey::Actions).is_some());
    press(
        &mut app,
        "tab \"Microsoft.Network/virtualNetworks/read\" enter",
    );
    assert_eq!(
        app.session().design().subscriptions[0].role,
        Role::Custom(vec!["Microsoft.Network/virtualNetworks/read".into()])
    );

    // Reader, then delete.
    press(&mut app, "enter tab R enter");
    assert_eq!(app.session().design().subscriptions[0].role, Role::Reader);
    press(&mut app, "d y");
    assert!(app.session().design().subscriptions.is_empty());

    press(&mut app, "u u u u");
    assert_eq!(app.session().design(), &original);
}

#[test]
fn help_and_palette_list_the_new_actions() {
    let mut app = app_with(Design::example_pair());
    press(&mut app, "?");
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("edit design title and description"), "{text}");
    assert!(text.contains("subscriptions and your role"), "{text}");
    press(&mut app, "esc : \"title and desc\" enter \"Renamed\" enter");
    assert_eq!(app.session().design().name, "Renamed");
}

#[test]
fn a_vm_with_a_secondary_nic_cannot_move_to_another_vnet() {
    let mut design = design_with_spare_subnet();
    let mut second = design.vms[0].nics[0].clone();
    second.subnet = SubnetRef::new("a", "untrust");
    second.ip = "10.1.9.4".parse().expect("valid literal");
    design.vms[0].nics.push(second);
    let mut app = app_with(design.clone());
    // Edit vm-a and cycle its subnet choice to b/default (after a/default and a/untrust).
    press(
        &mut app,
        "1 g j j j enter tab right right tab \"10.2.1.9\" enter",
    );
    let error = open_form_error(&app, FieldKey::Subnet).expect("the move is refused in the form");
    assert!(error.contains("every NIC of a VM in one VNet"), "{error}");
    press(&mut app, "esc");
    assert_eq!(app.session().design(), &design);
}
