//! The topology core: graph, shape, layouts, path overlay, navigation, exports. Designs are the
//! start-up design (assets/designs/hub-spoke.ron), the bundled `saves/` and generated ones.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::engine::{ReasonCode, Verdict, trace};
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::model::{Design, Flow, Peering};
use vnetlab::topology::{
    Direction, Item, ItemKey, Layout, Link, LinkStatus, NodeKey, NodeKind, Overlay, PathOverlay,
    Picture, Role, ShapeKind, Spot, Topology, View, Zoom, export, shape,
};

fn startup() -> Design {
    vnetlab::io::examples::default_design()
}

fn generated(hubs: usize, spokes: usize) -> Design {
    hub_spoke(&HubSpokeParams {
        hubs,
        spokes,
        subnets_per_spoke: 1,
        vms_per_subnet: 1,
    })
    .unwrap()
}

fn key(name: &str) -> NodeKey {
    NodeKey {
        kind: NodeKind::Vnet,
        name: name.to_string(),
    }
}

fn peering_link<'a>(topo: &'a Topology, name: &str) -> (vnetlab::topology::LinkId, &'a Link) {
    topo.links()
        .find(|(_, _, _, l)| matches!(l, Link::Peering(p) if p.names().any(|n| n == name)))
        .map(|(id, _, _, l)| (id, l))
        .unwrap()
}

#[test]
fn the_startup_design_is_a_star_around_its_hub() {
    let topo = Topology::build(&startup());
    let s = shape(&topo);
    assert_eq!(s.kind, ShapeKind::Star);
    assert_eq!(s.role(topo.vnet("hub").unwrap()), Role::Hub);
    assert_eq!(s.role(topo.vnet("spoke1").unwrap()), Role::Spoke);
    assert_eq!(s.component_count, 1);
    // 4 VNets, 1 site, 1 P2S pool; 3 peering pairs, 1 S2S, 1 P2S.
    assert_eq!(topo.node_count(), 6);
    assert_eq!(topo.links().count(), 5);
    let Link::Peering(p) = peering_link(&topo, "hub-to-spoke3").1 else {
        panic!()
    };
    assert_eq!(p.status(), LinkStatus::Initiated);
    assert!(p.global, "westeurope to northeurope is global peering");
    let Link::Peering(p) = peering_link(&topo, "spoke1-to-hub").1 else {
        panic!()
    };
    assert_eq!(p.status(), LinkStatus::Connected);
    let marks: Vec<String> = [&p.a_to_b, &p.b_to_a]
        .into_iter()
        .map(|s| s.as_ref().unwrap().flags.marks(false))
        .collect();
    assert_eq!(
        marks,
        ["FG", "FR"],
        "hub side: forwarded + transit; spoke side: forwarded + remote gateways"
    );
    assert_eq!(topo.not_drawn().route_tables, 3);
    assert_eq!(topo.not_drawn().nsgs, 1);
}

#[test]
fn a_chain_and_unpeered_vnets_take_the_layered_layout() {
    for (name, kind) in [
        ("02-non-transitive.ron", ShapeKind::General),
        ("01-two-vnets-unpeered.ron", ShapeKind::General),
        ("03-hub-spoke-nva.ron", ShapeKind::Star),
        ("04-gateway-transit.ron", ShapeKind::Star),
    ] {
        let d =
            vnetlab::io::parse_design(vnetlab::io::examples::example(name).unwrap(), name).unwrap();
        assert_eq!(shape(&Topology::build(&d)).kind, kind, "{name}");
    }
}

#[test]
fn dangling_references_are_counted_not_dropped() {
    let mut d = Design::example_pair();
    d.peerings.push(Peering::new("a-to-x", "a", "x"));
    let topo = Topology::build(&d);
    assert_eq!(topo.not_drawn().unplaced.len(), 1);
    let text = vnetlab::topology::draw(&topo, &View::default(), &Overlay::default());
    assert!(text.contains("1 object unplaced:"), "{text}");
    assert!(text.contains("peering `a-to-x`"), "{text}");
}

#[test]
fn the_blocked_startup_pair_shows_its_cross_at_the_one_sided_peering_and_turns_reachable_after_the_fix()
 {
    let mut design = startup();
    let topo = Topology::build(&design);
    let t = trace(&design, "vm-app3", "hq-web", Flow::DEFAULT).unwrap();
    assert_eq!(t.verdict, Verdict::Blocked);
    let path = PathOverlay::new(&topo, &t);
    let (spoke3_link, _) = peering_link(&topo, "hub-to-spoke3");
    assert_eq!(path.blocks.len(), 1);
    assert_eq!(path.blocks[0].code, ReasonCode::PeeringNotConnected);
    assert_eq!(path.blocks[0].spot, Some(Spot::Link(spoke3_link)));
    let view = View::default();
    let overlay = Overlay {
        path: Some(path.clone()),
        ..Overlay::default()
    };
    let text = vnetlab::topology::draw(&topo, &view, &overlay);
    assert!(text.contains("✗ PEERING_NOT_CONNECTED"), "{text}");
    let spoke3_row = text.lines().find(|l| l.contains("│ spoke3")).unwrap();
    assert!(
        spoke3_row.contains('✗') && spoke3_row.contains('╍'),
        "the ✗ sits on the dashed global line: {spoke3_row}"
    );

    // Apply the engine's fix for that blocker, as `x` does.
    let fix = t.blockers[0].fix.clone().unwrap();
    fix.edit.apply(&mut design).unwrap();
    let topo = Topology::build(&design);
    let t = trace(&design, "vm-app3", "hq-web", Flow::DEFAULT).unwrap();
    let path = PathOverlay::new(&topo, &t);
    assert_eq!(path.verdict, Verdict::Reachable);
    assert!(path.blocks.is_empty());
    let (spoke3_link, link) = peering_link(&topo, "hub-to-spoke3");
    let Link::Peering(p) = link else { panic!() };
    assert_eq!(p.status(), LinkStatus::Connected);
    assert!(
        path.way_at(Spot::Link(spoke3_link)).is_some(),
        "the request crosses the peering"
    );
    let s2s = topo
        .links()
        .find(|(_, _, _, l)| matches!(l, Link::Connection(_)))
        .map(|(id, _, _, _)| id)
        .unwrap();
    assert!(
        path.way_at(Spot::Link(s2s)).is_some(),
        "and the site-to-site connection"
    );
    let text = vnetlab::topology::draw(
        &topo,
        &view,
        &Overlay {
            path: Some(path),
            ..Overlay::default()
        },
    );
    assert!(!text.contains('✗'), "{text}");
}

#[test]
fn an_edit_that_changes_only_flags_recolours_without_a_new_layout() {
    let mut design = startup();
    let view = View::default();
    let layout = Layout::compute(&Topology::build(&design), &view);
    design.peerings[0].allow_forwarded_traffic = false;
    let topo = Topology::build(&design);
    assert!(layout.is_current(&topo, &view));
    let mut picture = Picture::paint(&layout, &topo, &view);
    picture.recolour(&layout, &topo, &Overlay::default());
    let text = picture.to_text();
    let spoke1 = text.lines().find(|l| l.contains("│ spoke1")).unwrap();
    assert!(
        spoke1.contains("├─FR───────────G─╢"),
        "hub side now shows only G: {spoke1}"
    );
    design.vnets[1]
        .address_space
        .push("10.11.0.0/16".parse().unwrap());
    assert!(
        !layout.is_current(&Topology::build(&design), &view),
        "a box's text changed"
    );
}

#[test]
fn adding_a_spoke_moves_no_spoke_before_it() {
    let before = generated(1, 6);
    let after = generated(1, 7);
    let view = View::default();
    let (lb, la) = (
        Layout::compute(&Topology::build(&before), &view),
        Layout::compute(&Topology::build(&after), &view),
    );
    for name in ["spoke1", "spoke2", "spoke3"] {
        let k = ItemKey::Node(key(name));
        assert_eq!(
            lb.items[lb.find(&k).unwrap()].rect,
            la.items[la.find(&k).unwrap()].rect,
            "{name}"
        );
    }
}

#[test]
fn many_spokes_fold_and_open() {
    let design = generated(2, 40);
    let topo = Topology::build(&design);
    let mut view = View::default();
    let layout = Layout::compute(&topo, &view);
    let folds: Vec<usize> = (0..layout.items.len())
        .filter(|i| matches!(layout.items[*i].item, Item::Fold { .. }))
        .collect();
    assert_eq!(folds.len(), 2, "one `+N more` per hub");
    let hidden = topo.vnet("spoke40").unwrap();
    assert!(folds.contains(&layout.item_of(hidden).unwrap()));
    assert_eq!(layout.items[folds[0]].lines[0].text, "+9 more");
    view.expanded.insert(key("hub2"));
    let open = Layout::compute(&topo, &view);
    assert!(matches!(
        open.items[open.item_of(hidden).unwrap()].item,
        Item::Node(_)
    ));
    assert_eq!(
        open.items
            .iter()
            .filter(|p| matches!(p.item, Item::Fold { .. }))
            .count(),
        1
    );
}

#[test]
fn navigation_finds_boxes_by_cell_direction_and_name() {
    let topo = Topology::build(&startup());
    let layout = Layout::compute(&topo, &View::default());
    let hub = layout.find(&ItemKey::Node(key("hub"))).unwrap();
    assert_eq!(layout.item_at(layout.items[hub].rect.centre()), Some(hub));
    let right = layout.nearest(hub, Direction::Right).unwrap();
    assert_eq!(layout.items[right].key, ItemKey::Node(key("spoke2")));
    let up = layout.nearest(hub, Direction::Up).unwrap();
    assert!(matches!(&layout.items[up].key, ItemKey::Node(k) if k.kind != NodeKind::Vnet));
    assert_eq!(layout.matching(&topo, "SPOKE").len(), 3);
    assert_eq!(
        layout.matching(&topo, "vm-app2"),
        vec![layout.find(&ItemKey::Node(key("spoke2"))).unwrap()]
    );
}

#[test]
fn zoom_levels_add_subnets_then_vms() {
    let topo = Topology::build(&startup());
    let text = |zoom| {
        vnetlab::topology::draw(
            &topo,
            &View {
                zoom,
                ..View::default()
            },
            &Overlay::default(),
        )
    };
    assert!(text(Zoom::Vnets).contains("1 subnet · 1 VM"));
    let subnets = text(Zoom::Subnets);
    assert!(
        subnets.contains("workload 10.2.1.0/24 # → (1 VM)"),
        "{subnets}"
    );
    assert!(!subnets.contains("vm-app2"));
    assert!(text(Zoom::Vms).contains("· vm-app2 10.2.1.4"));
}

/// The Mermaid grammar vnetlab writes: node and edge lines with quoted labels that hold no
/// raw quote, then class and linkStyle lines.
fn check_mermaid(text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    for line in lines {
        let body = line.strip_prefix("    ").unwrap();
        let id_end = body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        let (id, rest) = body.split_at(id_end);
        if ["classDef", "class", "linkStyle"].contains(&id) {
            continue;
        }
        assert!(id.starts_with('n') || id.starts_with('f'), "{line}");
        if let Some(rest) = rest.strip_prefix(' ') {
            let (arrow, rest) = rest.split_at(3);
            assert!(["---", "===", "-.-"].contains(&arrow), "{line}");
            let target = match rest.strip_prefix("|\"") {
                Some(label) => {
                    let (label, tail) = label.split_once("\"| ").unwrap();
                    assert!(!label.contains(['"', '|', '<', '>']), "{line}");
                    tail
                }
                None => rest.trim_start(),
            };
            assert!(target.chars().all(|c| c.is_ascii_alphanumeric()), "{line}");
        } else {
            let (open, close) = [("[[\"", "\"]]"), ("([\"", "\"])"), ("[\"", "\"]")]
                .into_iter()
                .find(|(o, _)| rest.starts_with(o))
                .unwrap();
            let label = rest
                .strip_prefix(open)
                .and_then(|r| r.strip_suffix(close))
                .unwrap();
            assert!(!label.contains('"'), "{line}");
            assert!(
                !label
                    .replace("<br/>", "")
                    .contains(['<', '>', '|', '[', ']']),
                "{line}"
            );
        }
    }
}

#[test]
fn mermaid_labels_are_sanitised() {
    let mut d = Design::example_pair();
    d.name = "quotes \"and\" <tags>".into();
    d.vnets[0].name = "a\"b<c>#|[x];{y}`z".into();
    for vm in &mut d.vms {
        if vm.name == "vm-a" {
            vm.nics[0].subnet.vnet = d.vnets[0].name.clone();
        }
    }
    d.peerings.push(Peering::new("p1", &d.vnets[0].name, "b"));
    let topo = Topology::build(&d);
    let text = export::mermaid(&topo, &View::default(), None);
    check_mermaid(&text);
    assert!(
        text.contains("a#quot;b#lt;c#gt;#35;#124;#91;x#93;#59;#123;y#125;#96;z"),
        "{text}"
    );
    let dot = export::dot(&topo, &View::default(), None);
    assert!(dot.contains("a\\\"b<c>#|[x];{y}`z"), "{dot}");
}

#[test]
fn every_bundled_design_exports_valid_mermaid_and_svg_with_explicit_fonts() {
    let mut designs = vec![startup(), generated(2, 40)];
    for (name, text) in vnetlab::io::examples::EXAMPLES {
        designs.push(vnetlab::io::parse_design(text, name).unwrap());
    }
    for d in &designs {
        let topo = Topology::build(d);
        check_mermaid(&export::mermaid(&topo, &View::default(), None));
        let svg = export::svg(&Layout::compute(&topo, &View::default()), &topo, None);
        assert!(svg.contains("font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\""));
        for vnet in d.vnets.iter().take(10) {
            assert!(svg.contains(&vnet.name), "{}", vnet.name);
        }
    }
}

#[test]
fn dot_output_is_accepted_by_graphviz() {
    if std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_err()
    {
        // CI installs Graphviz and sets VNETLAB_REQUIRE_DOT, so the check cannot silently vanish
        // there; on a developer's machine without Graphviz it is skipped with a note.
        assert!(
            std::env::var_os("VNETLAB_REQUIRE_DOT").is_none(),
            "Graphviz `dot` is required (VNETLAB_REQUIRE_DOT is set) but not installed"
        );
        eprintln!("Graphviz `dot` is not installed; skipping (.ci/run installs it)");
        return;
    }
    let mut designs = vec![startup(), generated(2, 40)];
    for (name, text) in vnetlab::io::examples::EXAMPLES {
        designs.push(vnetlab::io::parse_design(text, name).unwrap());
    }
    let t = trace(&designs[0], "vm-app1", "hq-web", Flow::DEFAULT).unwrap();
    let path = PathOverlay::new(&Topology::build(&designs[0]), &t);
    for (k, d) in designs.iter().enumerate() {
        let topo = Topology::build(d);
        let text = export::dot(&topo, &View::default(), (k == 0).then_some(&path));
        let mut child = std::process::Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            d.name,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

#[test]
fn the_markdown_matrix_refuses_large_designs_politely() {
    let small =
        vnetlab::engine::analyze(&startup(), Flow::DEFAULT, vnetlab::engine::EngineKind::Fast);
    let table = export::markdown_matrix(&small).unwrap();
    assert!(table.contains("| **vm-app3** |"), "{table}");
    assert!(table.contains("✗ PEERING_NOT_CONNECTED"), "{table}");
    let big = vnetlab::engine::analyze(
        &generated(1, 20),
        Flow::DEFAULT,
        vnetlab::engine::EngineKind::Fast,
    );
    let error = export::markdown_matrix(&big).unwrap_err().to_string();
    assert!(
        error.contains("a Markdown table stays readable up to 16"),
        "{error}"
    );
}

/// A VNet-to-VNet connection without its pair is drawn as the engine reads it: one side only
/// (dashed, "one side only" in Mermaid), like a one-sided peering; with the pair it is solid.
/// Azure brings the link up only with a connection on each gateway (vpn-gateway-vnet-vnet-rm-ps).
#[test]
fn a_vnet_to_vnet_connection_without_its_pair_is_drawn_one_sided() {
    use vnetlab::model::{Connection, ConnectionRemote, Gateway, GatewayKind, GatewaySku, VpnType};
    let mut d = Design::example_pair();
    for vnet in ["a", "b"] {
        d.gateways.push(Gateway {
            name: format!("gw-{vnet}"),
            vnet: vnet.into(),
            kind: GatewayKind::Vpn,
            sku: GatewaySku::VpnGw1,
            vpn_type: VpnType::RouteBased,
            client_pool: Vec::new(),
            bgp: false,
        });
    }
    let connect = |from: &str, to: &str| Connection {
        name: format!("{from}-to-{to}"),
        gateway: format!("gw-{from}"),
        remote: ConnectionRemote::Gateway(format!("gw-{to}")),
        bgp: false,
    };
    d.connections.push(connect("a", "b"));
    let drawn = |d: &Design| {
        let topo = Topology::build(d);
        let view = View::default();
        let layout = Layout::compute(&topo, &view);
        let text = Picture::paint(&layout, &topo, &view).to_text();
        let mermaid = export::mermaid(&topo, &view, None);
        (text, mermaid)
    };
    let (text, mermaid) = drawn(&d);
    assert!(text.contains("╌V2V╌"), "{text}");
    assert!(
        mermaid.contains("-.-|\"V2V a-to-b · one side only\"|"),
        "{mermaid}"
    );
    d.connections.push(connect("b", "a"));
    let (text, mermaid) = drawn(&d);
    assert!(text.contains("─V2V─"), "{text}");
    assert!(mermaid.contains("---|\"V2V a-to-b, b-to-a\"|"), "{mermaid}");
}
