//! Tests of the name checks of validation: duplicates and empty names, in short lists
//! (compared pairwise) and long ones (hashed), reported in file order with their list.

use super::*;

/// The errors about names of a design whose first VNet has these subnet names.
fn subnet_name_errors(names: &[&str]) -> Vec<String> {
    let mut design = Design::example_pair();
    let first = design.vnets[0].subnets[0].clone();
    design.vnets[0].subnets = names
        .iter()
        .map(|name| {
            let mut subnet = first.clone();
            subnet.name = (*name).to_string();
            subnet
        })
        .collect();
    let mut errors = Vec::new();
    design.check_names(&mut errors);
    errors.iter().map(ToString::to_string).collect()
}

#[test]
fn duplicates_and_empty_names_are_found_in_short_and_long_lists() {
    for filler in [0, 30] {
        let mut names = vec!["web", "app", " ", "web", "Web", "app", "web"];
        let extra: Vec<String> = (0..filler).map(|i| format!("s{i}")).collect();
        names.extend(extra.iter().map(String::as_str));
        let errors = subnet_name_errors(&names);
        let vnet = Design::example_pair().vnets[0].name.clone();
        let what = || NameOf::Subnet { vnet: vnet.clone() };
        let expected: Vec<String> = [
            ModelError::EmptyName {
                what: what(),
                name: " ".into(),
            },
            ModelError::DuplicateName {
                what: what(),
                name: "web".into(),
            },
            ModelError::DuplicateName {
                what: what(),
                name: "app".into(),
            },
            ModelError::DuplicateName {
                what: what(),
                name: "web".into(),
            },
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(errors, expected, "with {filler} more subnets");
    }
}
