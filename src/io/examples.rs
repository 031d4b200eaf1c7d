//! Designs embedded in the binary: the start-up design and the examples of `saves/`, so a
//! fresh install opens something useful and the Open dialog always lists the examples.

use super::design_file::parse_design;
use crate::model::Design;

/// The start-up design's file name and text.
pub const DEFAULT_DESIGN: (&str, &str) = (
    "hub-spoke.ron",
    include_str!("../../assets/designs/hub-spoke.ron"),
);

/// The bundled examples: `(file name, text)`, in teaching order.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "01-two-vnets-unpeered.ron",
        include_str!("../../saves/01-two-vnets-unpeered.ron"),
    ),
    (
        "02-non-transitive.ron",
        include_str!("../../saves/02-non-transitive.ron"),
    ),
    (
        "03-hub-spoke-nva.ron",
        include_str!("../../saves/03-hub-spoke-nva.ron"),
    ),
    (
        "04-gateway-transit.ron",
        include_str!("../../saves/04-gateway-transit.ron"),
    ),
    (
        "05-nsg-blocks-peered.ron",
        include_str!("../../saves/05-nsg-blocks-peered.ron"),
    ),
    (
        "06-one-sided-peering.ron",
        include_str!("../../saves/06-one-sided-peering.ron"),
    ),
    (
        "07-address-space-sync.ron",
        include_str!("../../saves/07-address-space-sync.ron"),
    ),
];

/// The start-up design.
pub fn default_design() -> Design {
    // The embedded file is checked by tests; an error here would be a build defect.
    parse_design(DEFAULT_DESIGN.1, DEFAULT_DESIGN.0).unwrap_or_else(|e| {
        let mut empty = Design::empty("empty (embedded start-up design failed to load)");
        empty.description = e.to_string();
        empty
    })
}

/// A bundled example by file name.
pub fn example(name: &str) -> Option<&'static str> {
    EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}
