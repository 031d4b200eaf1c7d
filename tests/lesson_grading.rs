//! Grading: each kind of goal passes and fails on outcomes (with the goal's own message and the
//! engine's or lint's evidence), and each constraint catches the shortcut it exists for.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::edit::{Edit, Object, ObjectRef};
use vnetlab::lesson::{Constraint, Lesson, bundled, parse_lesson};
use vnetlab::model::{
    DeploymentModel, Design, GovGlobalPeering, Intent, ObjectKind, Peering, PeeringState,
};

fn lesson(goals: &str, constraints: &str) -> Lesson {
    let text = format!(
        r#"Lesson(version: 1, id: "t", title: "T",
    start: Inline(Design(version: 1,
        vnets: [
            Vnet(name: "net-a", region: "eastus", address_space: ["10.1.0.0/16"], subnets: [Subnet(name: "s", prefix: "10.1.1.0/24")]),
            Vnet(name: "net-b", region: "eastus", address_space: ["10.2.0.0/16"], subnets: [Subnet(name: "s", prefix: "10.2.1.0/24")]),
            Vnet(name: "net-c", region: "eastus", address_space: ["10.3.0.0/16"], subnets: [Subnet(name: "s", prefix: "10.3.1.0/24")]),
        ],
        vms: [
            Vm(name: "vm-a", nics: [Nic(subnet: "net-a/s", ip: "10.1.1.4")]),
            Vm(name: "vm-b", nics: [Nic(subnet: "net-b/s", ip: "10.2.1.4")]),
        ],
        peerings: [Peering(name: "a-to-b", local: "net-a", remote: "net-b")],
    )),
    goals: [{goals}],
    solution: Edits([]),
    constraints: [{constraints}],
)"#
    );
    parse_lesson(&text, "t.ron", &|_| Err("no files".into())).unwrap()
}

fn add_peering(name: &str, local: &str, remote: &str) -> Edit {
    Edit::Add {
        object: Object::Peering(Peering::new(name, local, remote)),
        at: None,
    }
}

fn applied(start: &Design, edits: &[Edit]) -> Design {
    let mut d = start.clone();
    for e in edits {
        e.apply(&mut d).unwrap();
    }
    d
}

#[test]
fn a_reach_goal_shows_its_own_message_and_the_engines_evidence() {
    let l = lesson(
        r#"Goal(check: Reach(from: "vm-a", to: "vm-b", flow: "tcp/22", expect: Reachable), pass: "yes", fail: "no")"#,
        "",
    );
    let start = l.grade_design(&l.start, &[]);
    let g = &start.goals[0];
    assert_eq!((g.pass, g.message.as_str()), (false, "no"));
    assert_eq!(g.title, "vm-a reaches vm-b on tcp/22");
    let detail = g.detail.as_deref().unwrap();
    assert!(
        detail.starts_with("vm-a → vm-b tcp/22: blocked: "),
        "{detail}"
    );
    assert!(detail.ends_with("(PEERING_NOT_CONNECTED)"), "{detail}");
    let edits = [add_peering("b-to-a", "net-b", "net-a")];
    let solved = l.grade_design(&applied(&l.start, &edits), &edits);
    assert_eq!(
        (solved.goals[0].pass, solved.goals[0].message.as_str()),
        (true, "yes")
    );
    assert_eq!((solved.passed(), solved.total()), (1, 1));
    assert!(solved.solved());
}

#[test]
fn a_blocked_goal_fails_while_its_endpoint_does_not_exist() {
    let l = lesson(
        r#"Goal(check: Reach(from: "vm-a", to: "vm-b", expect: Blocked), pass: "p", fail: "f")"#,
        "",
    );
    let mut gone = l.start.clone();
    Edit::Remove(ObjectRef::new(ObjectKind::Vm, "vm-b"))
        .apply(&mut gone)
        .unwrap();
    let g = &l.grade_design(&gone, &[]).goals[0];
    assert!(!g.pass);
    assert_eq!(
        g.detail.as_deref(),
        Some("there is no endpoint `vm-b` in this design yet")
    );
    assert!(l.grade_design(&l.start, &[]).goals[0].pass);
}

#[test]
fn a_diagnostic_goal_on_a_named_object_ignores_other_objects() {
    let l = lesson(
        r#"Goal(check: Diagnostic(code: "PEERING_INITIATED", on: "a-to-b", expect: Absent), pass: "p", fail: "f"),
           Goal(check: Diagnostic(code: "PEERING_INITIATED", expect: Present), pass: "p", fail: "f")"#,
        "",
    );
    let start = l.grade_design(&l.start, &[]);
    assert!(!start.goals[0].pass);
    assert!(
        start.goals[0]
            .detail
            .as_deref()
            .unwrap()
            .starts_with("PEERING_INITIATED: ")
    );
    assert!(start.goals[1].pass);
    // A one-sided link elsewhere keeps goal 2 passing but no longer touches goal 1.
    let edits = [
        add_peering("b-to-a", "net-b", "net-a"),
        add_peering("a-to-c", "net-a", "net-c"),
    ];
    let later = l.grade_design(&applied(&l.start, &edits), &edits);
    assert!(later.goals[0].pass && later.goals[1].pass);
    assert_eq!(later.goals[0].title, "no PEERING_INITIATED on `a-to-b`");
}

#[test]
fn no_errors_counts_configuration_errors_but_not_the_designs_own_intents() {
    let l = lesson(r#"Goal(check: NoErrors, pass: "p", fail: "f")"#, "");
    let mut d = l.start.clone();
    d.intents.push(Intent {
        name: "never".into(),
        from: "vm-a".into(),
        to: "vm-b".into(),
        flow: vnetlab::model::Flow::DEFAULT,
        expect: vnetlab::model::Expectation::Reachable,
    });
    assert!(vnetlab::lint::has_errors(&vnetlab::lint::check(&d)));
    let g = &l.grade_design(&d, &[]).goals[0];
    assert!(g.pass, "{g:?}");
    // An overlapping peering is an error Azure would refuse.
    d.vnets[2].address_space = vec!["10.1.0.0/16".parse().unwrap()];
    d.vnets[2].subnets[0].prefix = "10.1.1.0/24".parse().unwrap();
    d.peerings.push(Peering::new("a-to-c", "net-a", "net-c"));
    let g = &l.grade_design(&d, &[]).goals[0];
    assert!(!g.pass);
    assert!(
        g.detail
            .as_deref()
            .unwrap()
            .starts_with("PEERING_OVERLAP: "),
        "{g:?}"
    );
}

#[test]
fn peered_needs_a_connected_link_azure_would_accept() {
    let l = lesson(
        r#"Goal(check: Peered(a: "net-b", b: "net-a"), pass: "p", fail: "f")"#,
        "",
    );
    let g = &l.grade_design(&l.start, &[]).goals[0];
    assert!(!g.pass);
    assert_eq!(g.detail.as_deref(), Some("`a-to-b`: Initiated"));
    let edits = [add_peering("b-to-a", "net-b", "net-a")];
    assert!(l.grade_design(&applied(&l.start, &edits), &edits).goals[0].pass);
    // An ARM link to a classic VNet is the whole peering.
    let mut classic = l.start.clone();
    classic.vnets[1].deployment = DeploymentModel::Classic;
    assert!(l.grade_design(&classic, &[]).goals[0].pass);
    // Both classic: Azure refuses the link, whatever its state.
    classic.vnets[0].deployment = DeploymentModel::Classic;
    classic
        .peerings
        .push(Peering::new("b-to-a", "net-b", "net-a"));
    let g = &l.grade_design(&classic, &[]).goals[0];
    assert!(!g.pass);
    assert_eq!(
        g.detail.as_deref(),
        Some("`a-to-b`: refused by Azure, `b-to-a`: refused by Azure")
    );
}

#[test]
fn no_new_peering_allows_completing_a_pair_but_not_a_new_one() {
    let l = lesson("", "NoNewPeering");
    let reverse = [add_peering("b-to-a", "net-b", "net-a")];
    assert!(
        l.grade_design(&applied(&l.start, &reverse), &reverse)
            .constraints_hold()
    );
    let new = [add_peering("c-to-a", "net-c", "net-a")];
    let grade = l.grade_design(&applied(&l.start, &new), &new);
    let c = &grade.constraints[0];
    assert!(!c.holds);
    assert_eq!(c.description, "peer no VNets that were not already peered");
    assert_eq!(
        c.detail.as_deref(),
        Some("new peering between `net-a` and `net-c`")
    );
}

#[test]
fn max_edits_counts_the_edits_made() {
    let l = lesson("", "MaxEdits(1)");
    let one = [add_peering("b-to-a", "net-b", "net-a")];
    assert!(
        l.grade_design(&applied(&l.start, &one), &one)
            .constraints_hold()
    );
    let two = [
        add_peering("b-to-a", "net-b", "net-a"),
        add_peering("a-to-c", "net-a", "net-c"),
    ];
    let c = &l.grade_design(&applied(&l.start, &two), &two).constraints[0];
    assert_eq!(c.description, "at most 1 edit");
    assert_eq!(
        c.detail.as_deref(),
        Some("2 edits made, 1 more than allowed")
    );
}

#[test]
fn keep_catches_deleting_recreating_renaming_and_deleting_the_vnet() {
    let l = lesson("", r#"Keep(kind: Peering, name: "a-to-b")"#);
    let remove = Edit::Remove(ObjectRef::new(ObjectKind::Peering, "a-to-b"));
    let broken = |edits: &[Edit]| {
        let c = l.grade_design(&applied(&l.start, edits), edits).constraints[0].clone();
        assert!(!c.holds, "{edits:?}");
        assert_eq!(c.description, "do not delete peering `a-to-b`");
        c.detail.unwrap()
    };
    assert_eq!(
        broken(std::slice::from_ref(&remove)),
        "peering `a-to-b` was deleted"
    );
    // Deleted and created again under the same name: the design looks the same, the history
    // does not (that is the downtime the address-space lesson forbids).
    let recreate = [remove, add_peering("a-to-b", "net-a", "net-b")];
    assert_eq!(broken(&recreate), "peering `a-to-b` was deleted");
    let rename = Edit::Rename {
        target: ObjectRef::new(ObjectKind::Peering, "a-to-b"),
        to: "ab".into(),
    };
    assert_eq!(broken(&[rename]), "peering `a-to-b` was renamed to `ab`");
    let vnet = Edit::Batch(vec![Edit::Remove(ObjectRef::new(
        ObjectKind::Vnet,
        "net-b",
    ))]);
    assert_eq!(
        broken(&[vnet]),
        "peering `a-to-b` was deleted with VNet `net-b`"
    );
    // Gone without an edit saying so (a replaced design): still broken.
    let mut empty = l.start.clone();
    empty.peerings.clear();
    let c = &l.grade_design(&empty, &[]).constraints[0];
    assert_eq!(c.detail.as_deref(), Some("peering `a-to-b` is gone"));
    let kept = [add_peering("b-to-a", "net-b", "net-a")];
    assert!(
        l.grade_design(&applied(&l.start, &kept), &kept)
            .constraints_hold()
    );
}

#[test]
fn keep_assumptions_refuses_switching_a_contested_behaviour() {
    let l = lesson("", "KeepAssumptions");
    let mut assumptions = l.start.assumptions;
    assumptions.gov_global_peering = GovGlobalPeering::Allowed;
    let edits = [Edit::SetAssumptions(assumptions)];
    let grade = l.grade_design(&applied(&l.start, &edits), &edits);
    assert!(!grade.constraints_hold());
    assert!(!grade.solved());
    assert_eq!(grade.constraints[0].constraint, Constraint::KeepAssumptions);
}

#[test]
fn grading_with_the_sessions_diagnostics_equals_grading_the_design() {
    let l = bundled::lesson("troubleshoot-branch").unwrap();
    let session = vnetlab::session::Session::new(l.start.clone());
    assert_eq!(
        l.grade(session.design(), session.diagnostics(), &[]),
        l.grade_design(&l.start, &[])
    );
}

#[test]
fn deleting_a_link_on_a_classic_vnet_leaves_the_arm_link_connected() {
    // Only the ARM side of an ARM-to-classic peering exists in Azure; a link drawn on the
    // classic VNet is refused, and deleting it must not disconnect the real one.
    let mut d = Design::example_pair();
    d.vnets[1].deployment = DeploymentModel::Classic;
    d.peerings.push(Peering::new("a-to-b", "a", "b"));
    d.peerings.push(Peering::new("b-to-a", "b", "a"));
    Edit::Remove(ObjectRef::new(ObjectKind::Peering, "b-to-a"))
        .apply(&mut d)
        .unwrap();
    assert_eq!(
        d.peering_state(d.peering("a-to-b").unwrap()),
        PeeringState::Connected
    );
    // Between two ARM VNets the surviving side still becomes Disconnected.
    let mut arm = Design::example_pair();
    arm.peerings.push(Peering::new("a-to-b", "a", "b"));
    arm.peerings.push(Peering::new("b-to-a", "b", "a"));
    Edit::Remove(ObjectRef::new(ObjectKind::Peering, "b-to-a"))
        .apply(&mut arm)
        .unwrap();
    assert_eq!(
        arm.peering_state(arm.peering("a-to-b").unwrap()),
        PeeringState::Disconnected
    );
}
