//! What differs between two designs, as the sentences `vnetlab diff` prints: the objects
//! added, removed or changed, then the design-level fields. The round-trip tests of the
//! exports compare a design with what its export imports back to.
#![allow(dead_code)]

use vnetlab::model::Design;

/// Every object and design-field change from `before` to `after`, described.
pub fn described(before: &Design, after: &Design) -> Vec<String> {
    vnetlab::diff::object_changes(before, after)
        .iter()
        .map(vnetlab::diff::ObjectChange::describe)
        .chain(
            vnetlab::diff::design_fields(before, after)
                .iter()
                .map(|f| f.describe()),
        )
        .collect()
}
