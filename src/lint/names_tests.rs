//! Tests of the name checks: the borrowed name list, the case-folded clash map, and the
//! order and text of what they report.

use super::*;

#[test]
fn every_azure_name_uses_the_limits_table() {
    let mut design = Design::example_pair();
    design.vnets[0].subnets[0].name = "bad name".into();
    let names = collect(&design, NameList::Vnets);
    let subnet = names.iter().find(|n| n.what == What::Subnet).unwrap();
    assert_eq!(subnet.what.rule(), Some(NameKind::Subnet));
    let names = collect(&design, NameList::Vms);
    let vm = names.iter().find(|n| n.what == What::Vm).unwrap();
    assert_eq!(vm.what.rule(), None);
}

/// The folded key hashes and compares like the lowercased name, so the clash map finds
/// `Hub` and `hub` but not `hub` and `hub2`.
#[test]
fn folded_names_hash_and_compare_ignoring_case() {
    use std::hash::BuildHasher;
    let hash = |name: &str| rustc_hash::FxBuildHasher.hash_one(("VNet", Folded(name)));
    assert_eq!(hash("Hub-1"), hash("hUB-1"));
    assert!(Folded("Hub-1") == Folded("hub-1"));
    assert!(Folded("hub") != Folded("hub2"));
    assert_ne!(hash("hub"), hash("hub2"));
    // The terminator keeps a name from running into the next part of a key.
    let pair = |a: &str, b: &str| rustc_hash::FxBuildHasher.hash_one((Folded(a), Folded(b)));
    assert_ne!(pair("ab", "c"), pair("a", "bc"));
}

fn messages(design: &Design) -> Vec<String> {
    let cx = Context::new(design, None);
    let mut found = Vec::new();
    check(&cx, &mut found);
    found
        .iter()
        .map(|d| format!("{} {}: {}", d.subject.kind, d.subject.name, d.message))
        .collect()
}

/// Clashes are found per parent, against the first holder of the name ignoring case, with
/// an exact duplicate of a later name still reported against the first one.
#[test]
fn clashes_are_reported_against_the_first_holder_in_the_same_parent() {
    let mut design = Design::example_pair();
    let first = design.vnets[0].subnets[0].clone();
    let subnet = |name: &str| {
        let mut s = first.clone();
        s.name = name.into();
        s
    };
    // In the first VNet: `Web`, then `web` (case), then `web` again (reported against
    // `Web`, the first holder), then `WEB`.
    design.vnets[0].subnets.push(subnet("Web"));
    design.vnets[0].subnets.push(subnet("web"));
    design.vnets[0].subnets.push(subnet("web"));
    design.vnets[0].subnets.push(subnet("WEB"));
    // The same name in the other VNet clashes with nothing.
    design.vnets[1].subnets.push(subnet("web"));
    let a = design.vnets[0].name.clone();
    let sentence =
        "only in case; Azure names are case-insensitive, so they are the same resource to Azure";
    assert_eq!(
        messages(&design),
        vec![
            // (The example's one-letter VNet names are too short for Azure.)
            "VNet a: Azure refuses the VNet name `a`: it has 1 characters, and the limit is 2 to 64".to_string(),
            "VNet b: Azure refuses the VNet name `b`: it has 1 characters, and the limit is 2 to 64".to_string(),
            format!("subnet {a}/web: subnet `web` in VNet `{a}` differs from `Web` {sentence}"),
            format!("subnet {a}/web: subnet `web` in VNet `{a}` differs from `Web` {sentence}"),
            format!("subnet {a}/WEB: subnet `WEB` in VNet `{a}` differs from `Web` {sentence}"),
        ]
    );
    // An exact duplicate of the first holder is the other message.
    design.vnets[0].subnets.push(subnet("Web"));
    assert_eq!(
        messages(&design).last().map(String::as_str),
        Some(
            format!(
                "subnet {a}/Web: two subnets in VNet `{a}` are named `Web`; names must be unique"
            )
            .as_str()
        )
    );
}
