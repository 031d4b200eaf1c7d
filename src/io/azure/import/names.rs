//! Unique, readable names for imported objects (see the module docs of `io::azure`).

use std::collections::HashSet;

/// Hands out names unique within one namespace (VNets, VMs and hosts, peerings…).
#[derive(Debug, Default)]
pub(super) struct Namer {
    used: HashSet<String>,
}

impl Namer {
    /// `base` if free, else `base (qualifier)` for the first free qualifier, else `base (n)`.
    pub(super) fn claim(&mut self, base: &str, qualifiers: &[&str]) -> String {
        let base = clean(base);
        let candidates = std::iter::once(base.clone())
            .chain(
                qualifiers
                    .iter()
                    .map(|q| clean(q))
                    .filter(|q| !q.is_empty() && *q != base)
                    .map(|q| format!("{base} ({q})")),
            )
            .chain((2..).map(|n| format!("{base} ({n})")));
        for name in candidates {
            if self.used.insert(name.clone()) {
                return name;
            }
        }
        unreachable!("the numbered candidates never run out")
    }
}

/// A name as the model accepts it: trimmed, no `/` (it separates `vnet/subnet`), no control
/// characters, never empty.
pub(super) fn clean(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == '/' { '-' } else { c })
        .collect();
    if cleaned.is_empty() {
        "unnamed".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_get_their_resource_group_then_a_number() {
        let mut namer = Namer::default();
        assert_eq!(namer.claim("vnet1", &["rg-a"]), "vnet1");
        assert_eq!(namer.claim("vnet1", &["rg-b"]), "vnet1 (rg-b)");
        assert_eq!(namer.claim("vnet1", &["rg-b", "sub-2"]), "vnet1 (sub-2)");
        assert_eq!(namer.claim("vnet1", &["rg-b"]), "vnet1 (2)");
        assert_eq!(namer.claim(" a/b ", &[]), "a-b");
        assert_eq!(namer.claim("", &[]), "unnamed");
    }
}
