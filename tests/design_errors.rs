//! Bad design files are refused with file, line, column and one sentence saying what to fix.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::io::{LoadError, load_design};

fn load_bad(name: &str) -> LoadError {
    let path = format!("tests/fixtures/bad/{name}");
    match load_design(std::path::Path::new(&path)) {
        Ok(_) => panic!("{name} should be refused"),
        Err(vnetlab::io::files::FileError::Parse(e)) => {
            assert_eq!(e.file, path);
            e
        }
        Err(other) => panic!("{name}: expected a parse error, got {other}"),
    }
}

/// Asserts the position and that the message contains every fragment.
fn expect(name: &str, line: usize, column: usize, fragments: &[&str]) {
    let e = load_bad(name);
    for fragment in fragments {
        assert!(
            e.message.contains(fragment),
            "{name}: `{}` lacks `{fragment}`",
            e.message
        );
    }
    assert_eq!((e.line, e.column), (line, column), "{name}: {e}");
    // Displayed as file:line:column: message, the form editors and terminals link to.
    assert!(
        e.to_string()
            .starts_with(&format!("tests/fixtures/bad/{name}:{line}:{column}: "))
    );
}

#[test]
fn unknown_subnet_reference_names_the_vm_and_suggests() {
    expect(
        "unknown-subnet-ref.ron",
        8,
        44,
        &[
            "unknown reference `hub/default2` in VM `vm1`",
            "no subnet `default2`",
            "did you mean `default`?",
        ],
    );
}

#[test]
fn unknown_vnet_in_peering_names_the_peering() {
    expect(
        "unknown-peering-vnet.ron",
        8,
        65,
        &[
            "unknown reference `hbu` in peering `spoke1-to-hub`",
            "did you mean `hub`?",
        ],
    );
}

#[test]
fn invalid_cidr_prefix_length() {
    expect(
        "invalid-cidr.ron",
        7,
        29,
        &["invalid CIDR `10.0.0.0/33`", "0 to 32"],
    );
}

#[test]
fn cidr_with_host_bits_suggests_the_network() {
    expect(
        "host-bits-cidr.ron",
        5,
        55,
        &["invalid CIDR `10.0.1.7/24`", "`10.0.1.0/24`"],
    );
}

#[test]
fn duplicate_vm_points_at_the_second_one() {
    expect(
        "duplicate-vm.ron",
        9,
        12,
        &["duplicate VM name `web`", "rename one"],
    );
}

#[test]
fn ip_outside_its_subnet() {
    expect(
        "ip-outside-subnet.ron",
        7,
        63,
        &["IP 10.0.2.4 of VM `web` is outside its subnet `hub/default` (10.0.1.0/24)"],
    );
}

#[test]
fn unsupported_version() {
    expect(
        "unsupported-version.ron",
        3,
        5,
        &["unsupported design-file version 7", "reads version 1"],
    );
}

#[test]
fn missing_version() {
    expect(
        "missing-version.ron",
        1,
        1,
        &["missing `version`", "add `version: 1,`"],
    );
}

#[test]
fn unknown_region_suggests_the_closest() {
    expect(
        "unknown-region.ron",
        4,
        35,
        &[
            "unknown Azure region `westeruope`",
            "did you mean `westeurope`?",
        ],
    );
}

#[test]
fn syntax_error_points_at_the_token() {
    expect("syntax-missing-comma.ron", 4, 26, &["expected a comma"]);
}

#[test]
fn misspelled_field_lists_the_expected_ones() {
    expect(
        "misspelled-field.ron",
        4,
        49,
        &["`Vnet` has no field `adress_space`", "address_space"],
    );
}

#[test]
fn unknown_nsg_reference_suggests() {
    expect(
        "unknown-nsg-ref.ron",
        5,
        75,
        &[
            "unknown reference `nsg-hub` in subnet `hub/default`",
            "known: nsg-spoke",
        ],
    );
}

#[test]
fn bad_next_hop_ip() {
    expect(
        "bad-next-hop.ron",
        5,
        81,
        &["invalid IP address `10.0.1.400`"],
    );
}

#[test]
fn flow_without_port() {
    expect("bad-flow.ron", 7, 59, &["invalid flow `tcp`", "tcp/443"]);
}

#[test]
fn unclosed_file() {
    expect(
        "unclosed.ron",
        4,
        81,
        &["the file ends too early", "not closed"],
    );
}

#[test]
fn unknown_enum_variant_lists_choices() {
    expect(
        "bad-direction.ron",
        5,
        58,
        &["`Ingress` is not a valid Direction", "Inbound, Outbound"],
    );
}

#[test]
fn empty_file() {
    expect("empty.ron", 1, 1, &["the file is empty"]);
}

#[test]
fn duplicate_subnet_points_at_the_second_one_in_its_own_vnet() {
    // `default` also names a subnet of the first VNet; the error belongs to `spoke`, whose
    // second `default` is written with unusual spacing (`name :"default"`).
    expect(
        "duplicate-subnet.ron",
        7,
        78,
        &["duplicate subnet name `default`", "rename one"],
    );
}

#[test]
fn an_invalid_cidr_inside_a_list_is_pointed_at_itself() {
    expect(
        "invalid-cidr-second.ron",
        4,
        80,
        &["invalid CIDR `10.1.0.0/33`", "0 to 32"],
    );
}
