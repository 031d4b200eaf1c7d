//! Snapshots of `diagram --format text|mermaid|dot` (through the same core functions the
//! command calls) for the start-up design, every file in `saves/`, and 2 hubs × 40 spokes.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::model::Design;
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::topology::{Layout, Overlay, PathOverlay, Picture, Topology, View, export};

fn designs() -> Vec<(String, Design)> {
    let mut out = vec![(
        "startup".to_string(),
        vnetlab::io::examples::default_design(),
    )];
    for (name, text) in vnetlab::io::examples::EXAMPLES {
        out.push((
            name.trim_end_matches(".ron").to_string(),
            vnetlab::io::parse_design(text, name).unwrap(),
        ));
    }
    let params = HubSpokeParams {
        hubs: 2,
        spokes: 40,
        subnets_per_spoke: 1,
        vms_per_subnet: 1,
    };
    out.push(("hub-spoke-2x40".to_string(), hub_spoke(&params).unwrap()));
    out
}

fn text(design: &Design, view: &View, path: Option<(&str, &str)>) -> String {
    let topo = Topology::build(design);
    let path = path.map(|(a, b)| {
        PathOverlay::trace(design, &topo, a, b, vnetlab::model::Flow::DEFAULT).unwrap()
    });
    let layout = Layout::compute(&topo, view);
    let mut picture = Picture::paint(&layout, &topo, view);
    picture.recolour(
        &layout,
        &topo,
        &Overlay {
            path: path.clone(),
            ..Overlay::default()
        },
    );
    export::text(&picture, path.as_ref(), view.ascii)
}

#[test]
fn text_pictures() {
    for (name, design) in designs() {
        insta::assert_snapshot!(
            format!("text_{name}"),
            text(&design, &View::for_width(160), None)
        );
    }
}

#[test]
fn mermaid_flowcharts() {
    for (name, design) in designs() {
        let topo = Topology::build(&design);
        insta::assert_snapshot!(
            format!("mermaid_{name}"),
            export::mermaid(&topo, &View::default(), None)
        );
    }
}

#[test]
fn dot_graphs() {
    for (name, design) in designs() {
        let topo = Topology::build(&design);
        insta::assert_snapshot!(
            format!("dot_{name}"),
            export::dot(&topo, &View::default(), None)
        );
    }
}

#[test]
fn the_startup_paths_before_and_after_the_fix() {
    let mut design = vnetlab::io::examples::default_design();
    let view = View::for_width(160);
    insta::assert_snapshot!(
        "path_blocked_vm_app3_hq_web",
        text(&design, &view, Some(("vm-app3", "hq-web")))
    );
    let t = vnetlab::engine::trace(&design, "vm-app3", "hq-web", vnetlab::model::Flow::DEFAULT)
        .unwrap();
    t.blockers[0]
        .fix
        .clone()
        .unwrap()
        .edit
        .apply(&mut design)
        .unwrap();
    insta::assert_snapshot!(
        "path_fixed_vm_app3_hq_web",
        text(&design, &view, Some(("vm-app3", "hq-web")))
    );
    let ascii = View {
        ascii: true,
        zoom: vnetlab::topology::Zoom::Subnets,
        ..view
    };
    insta::assert_snapshot!(
        "path_ascii_subnets_vm_app1_vm_app2",
        text(&design, &ascii, Some(("vm-app1", "vm-app2")))
    );
}
