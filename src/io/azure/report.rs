//! The import summary: what was imported, what was skipped and why. Nothing an export holds is
//! dropped without a line here; `vnetlab import` prints it on stderr.

use std::collections::BTreeMap;
use std::fmt;

/// Counts of the objects an import produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// VNets.
    pub vnets: usize,
    /// Subnets, over all VNets.
    pub subnets: usize,
    /// Peering links.
    pub peerings: usize,
    /// Network interfaces (and Azure Firewall IP configurations) turned into VM NICs.
    pub nics: usize,
    /// VMs and appliances.
    pub vms: usize,
    /// NSGs.
    pub nsgs: usize,
    /// Route tables.
    pub route_tables: usize,
    /// Virtual network gateways.
    pub gateways: usize,
    /// Sites (local network gateways).
    pub sites: usize,
    /// Gateway connections.
    pub connections: usize,
}

/// What an import did, for the user to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The files read, as the user named them.
    pub files: Vec<String>,
    /// What the design holds.
    pub counts: ImportCounts,
    /// Resources of types vnetlab does not model, by type as first spelled in the export.
    pub unsupported: BTreeMap<String, usize>,
    /// References to resources that are not in the export, and what was left out because of them.
    pub missing: Vec<String>,
    /// Everything else worth knowing: renames, states that differ from the export, items left out.
    pub notes: Vec<String>,
    /// For ARM templates and Bicep files: the deployment scope assumed (first line), linked
    /// templates read, parameters ignored.
    pub template: Vec<String>,
    /// Values the input leaves to deployment time, each with the placeholder or the assumption
    /// used and where: in a template, a `reference()` outside it, a parameter without a value, a
    /// linked template not found, a dynamic IP; in a Terraform plan, values unknown until apply.
    pub placeholders: Vec<String>,
}

impl ImportReport {
    /// Whether the import took everything as it was (no skipped types, missing references or notes).
    pub fn is_clean(&self) -> bool {
        self.unsupported.is_empty()
            && self.missing.is_empty()
            && self.notes.is_empty()
            && self.placeholders.is_empty()
    }

    pub(crate) fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    pub(crate) fn missing(&mut self, text: impl Into<String>) {
        self.missing.push(text.into());
    }

    pub(crate) fn unsupported(&mut self, kind: &str) {
        let existing = self
            .unsupported
            .keys()
            .find(|k| k.eq_ignore_ascii_case(kind))
            .cloned();
        *self
            .unsupported
            .entry(existing.unwrap_or_else(|| kind.to_string()))
            .or_default() += 1;
    }
}

/// `1 VNet`, `2 VNets`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary quotes names and IDs from the export as they were written: control characters
/// in them are shown escaped (`\u{0}`), never sent to the terminal.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if crate::model::limits::is_disruptive(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        let parts = [
            format!(
                "{} ({})",
                plural(c.vnets, "VNet", "VNets"),
                plural(c.subnets, "subnet", "subnets")
            ),
            plural(c.peerings, "peering", "peerings"),
            format!(
                "{} as {}",
                plural(c.nics, "NIC", "NICs"),
                plural(c.vms, "VM", "VMs")
            ),
            plural(c.nsgs, "NSG", "NSGs"),
            plural(c.route_tables, "route table", "route tables"),
            plural(c.gateways, "gateway", "gateways"),
            plural(c.sites, "site", "sites"),
            plural(c.connections, "connection", "connections"),
        ];
        writeln!(f, "imported {}", parts.join(", "))?;
        if let Some((scope, rest)) = self.template.split_first() {
            writeln!(f, "template: {}", printable(scope))?;
            for line in rest {
                writeln!(f, "  - {}", printable(line))?;
            }
        }
        if !self.placeholders.is_empty() {
            // A template's unknowns are settled by deploying it; a Terraform plan's by applying.
            let when = if self.template.is_empty() {
                "for values unknown until apply:"
            } else {
                "(known only after deployment):"
            };
            writeln!(
                f,
                "{} {when}",
                plural(self.placeholders.len(), "placeholder", "placeholders")
            )?;
            for line in &self.placeholders {
                writeln!(f, "  - {}", printable(line))?;
            }
        }
        if !self.unsupported.is_empty() {
            let total: usize = self.unsupported.values().sum();
            let kinds: Vec<String> = self
                .unsupported
                .iter()
                .map(|(k, n)| format!("{} ×{n}", printable(k)))
                .collect();
            writeln!(
                f,
                "skipped {} of unsupported types: {}",
                plural(total, "resource", "resources"),
                kinds.join(", ")
            )?;
        }
        if !self.missing.is_empty() {
            writeln!(
                f,
                "{} not in the export:",
                plural(
                    self.missing.len(),
                    "reference to a resource",
                    "references to resources"
                )
            )?;
            for line in &self.missing {
                writeln!(f, "  - {}", printable(line))?;
            }
        }
        if !self.notes.is_empty() {
            writeln!(f, "{}:", plural(self.notes.len(), "note", "notes"))?;
            for line in &self.notes {
                writeln!(f, "  - {}", printable(line))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_and_groups_unsupported_types_case_insensitively() {
        let mut report = ImportReport::default();
        report.counts.vnets = 1;
        report.unsupported("Microsoft.Network/publicIPAddresses");
        report.unsupported("microsoft.network/publicipaddresses");
        report.missing("NIC `a`: subnet /x (the NIC was left out)");
        let text = report.to_string();
        assert!(
            text.starts_with("imported 1 VNet (0 subnets), 0 peerings, 0 NICs as 0 VMs"),
            "{text}"
        );
        assert!(text.contains(
            "skipped 2 resources of unsupported types: Microsoft.Network/publicIPAddresses ×2"
        ));
        assert!(text.contains("1 reference to a resource not in the export:\n  - NIC `a`"));
        assert!(!report.is_clean());
    }
}
