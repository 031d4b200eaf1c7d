//! The limit pass of [`Design::validate`]: every name, reference and text of a design against
//! the table in [`super`], then (when those pass) every other string field through the serde
//! walk in `walk`, so a field added to the model later is bounded too.

use super::{
    DESCRIPTION_MAX, MAX_SUBNETS_PER_VNET, NameKind, NameProblem, QUALIFIER_MAX,
    RULE_DESCRIPTION_MAX, TITLE_MAX, codepoint, is_disruptive, quote, refused,
};
use crate::model::{Anchor, Design, ObjectKind, RefKind, RefSlot};
use std::fmt;

/// What a bounded value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bounded {
    /// The name of an object (or part) of this kind.
    Name(NameKind),
    /// A reference to an object of this kind: it is bounded like that object's name.
    Reference(RefKind),
    /// The design's title (its `name`).
    Title,
    /// The design's description.
    Description,
    /// An NSG rule's description.
    RuleDescription,
    /// Any other text, by its field name in the design file.
    Field(&'static str),
    /// The number of subnets of a VNet.
    Subnets,
}

/// How a value breaks its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitProblem {
    /// A name (or a reference, judged as the name it stands for) readers refuse.
    Name(NameProblem),
    /// A text longer than its limit.
    TooLong {
        /// Its length in characters.
        length: usize,
        /// The most allowed.
        max: usize,
    },
    /// A text holding a control or bidirectional-formatting character.
    Disruptive(char),
    /// More items than allowed.
    TooMany {
        /// How many there are.
        count: usize,
        /// The most allowed.
        max: usize,
    },
}

/// A value of a design beyond Azure's (or vnetlab's) limits: which value, how, where in a
/// design file, and which object it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// What the value is.
    pub bounded: Bounded,
    /// The value as the design holds it (for a count, the VNet's name). Messages quote at most
    /// a short prefix of it.
    pub value: String,
    /// How it breaks the limit.
    pub problem: LimitProblem,
    /// The object it belongs to (a subnet as `vnet/subnet`, a rule by its NSG); `None` for the
    /// design's own title and description.
    pub subject: Option<(ObjectKind, String)>,
    /// For a reference, its field.
    pub slot: Option<RefSlot>,
    /// Where it is in a design file, outermost first.
    pub anchors: Vec<Anchor>,
}

impl std::error::Error for LimitError {}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = quote(&self.value);
        let owner = self
            .subject
            .as_ref()
            .map(|(kind, name)| format!(" in {kind} `{}`", quote(name)))
            .unwrap_or_default();
        // The noun phrase, and who sets the limit.
        let (what, who) = match self.bounded {
            Bounded::Name(kind) => {
                let who = if kind.rule().charset == super::Charset::Design {
                    "vnetlab".to_string()
                } else {
                    "Azure".to_string()
                };
                (format!("the {kind} name `{shown}`"), who)
            }
            Bounded::Reference(kind) => (
                format!("the reference `{shown}`{owner}"),
                format!("a {} name can have", kind.label()),
            ),
            Bounded::Title => (format!("the design's title `{shown}`"), "vnetlab".into()),
            Bounded::Description => ("the design's description".into(), "vnetlab".into()),
            Bounded::RuleDescription => (format!("the description{owner}"), "Azure".into()),
            Bounded::Field(field) => (
                format!("the `{field}` text `{shown}`{owner}"),
                "vnetlab".into(),
            ),
            Bounded::Subnets => (format!("VNet `{shown}`"), "Azure".into()),
        };
        let allows = |max: usize| {
            if who.starts_with("a ") {
                format!("the {max} {who}")
            } else {
                format!("the {max} {who} allows")
            }
        };
        match self.problem {
            LimitProblem::Name(NameProblem::Length { length, max, .. })
            | LimitProblem::TooLong { length, max } => write!(
                f,
                "{what} has {length} characters, more than {}; shorten it",
                allows(max)
            ),
            LimitProblem::Name(NameProblem::QualifierTooLong { length }) => write!(
                f,
                "{what} has a qualifier in parentheses of {length} characters, more than the {QUALIFIER_MAX} a resource group name can have; shorten it"
            ),
            LimitProblem::Name(NameProblem::Disruptive(c)) | LimitProblem::Disruptive(c) => {
                write!(
                    f,
                    "{what} contains the control character {}, which would garble the screen; remove it",
                    codepoint(c)
                )
            }
            LimitProblem::Name(NameProblem::Slash) => write!(
                f,
                "{what} contains `/`, which separates names in references (`vnet/subnet`) and in Azure resource IDs; use `-` instead"
            ),
            LimitProblem::Name(other) => write!(f, "{what}: {other}"),
            LimitProblem::TooMany { count, max } => write!(
                f,
                "{what} has {count} subnets, more than {} in one VNet; spread them over several VNets",
                allows(max)
            ),
        }
    }
}

/// The first character of `text` that would garble the screen, allowing line breaks and tabs
/// where `multiline`.
fn disruptive_in(text: &str, multiline: bool) -> Option<char> {
    text.chars()
        .find(|&c| is_disruptive(c) && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

/// The problem of a free text: longer than `max` characters, or holding a character that would
/// garble the screen (line breaks and tabs allowed where `multiline`).
///
/// ```
/// use vnetlab::model::limits::{LimitProblem, text_problem};
/// assert_eq!(text_problem("a\nb", 10, true), None);
/// assert_eq!(text_problem("a\nb", 10, false), Some(LimitProblem::Disruptive('\n')));
/// assert_eq!(text_problem("abc", 2, false), Some(LimitProblem::TooLong { length: 3, max: 2 }));
/// ```
pub fn text_problem(text: &str, max: usize, multiline: bool) -> Option<LimitProblem> {
    // The usual text, short printable ASCII, passes both tests; validation asks this of every
    // string of the design on every edit.
    if text.len() <= max && text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return None;
    }
    text_problem_by_rule(text, max, multiline)
}

/// [`text_problem`] without the fast path for the usual text.
fn text_problem_by_rule(text: &str, max: usize, multiline: bool) -> Option<LimitProblem> {
    let length = text.chars().count();
    if length > max {
        return Some(LimitProblem::TooLong { length, max });
    }
    disruptive_in(text, multiline).map(LimitProblem::Disruptive)
}

/// The name kind a reference's target has.
pub(super) fn target_kind(kind: RefKind) -> NameKind {
    match kind {
        RefKind::Vnet => NameKind::Vnet,
        RefKind::Subnet => NameKind::Subnet,
        RefKind::Nsg => NameKind::Nsg,
        RefKind::RouteTable => NameKind::RouteTable,
        RefKind::Gateway => NameKind::Gateway,
        RefKind::Site => NameKind::Site,
        // Endpoints are VMs, hosts and P2S clients: the most generous of them bounds them all.
        RefKind::Endpoint => NameKind::Host,
        RefKind::Subscription => NameKind::Subscription,
        RefKind::Asg => NameKind::Asg,
        RefKind::NetworkGroup => NameKind::NetworkGroup,
    }
}

/// Collects limit errors in file order.
struct Found<'a> {
    errors: Vec<LimitError>,
    design: &'a Design,
}

impl Found<'_> {
    /// Checks a name: `path` leads to its owner, `subject` is the object at fault.
    fn name(&mut self, kind: NameKind, name: &str, path: &[&str], subject: (ObjectKind, &str)) {
        if let Some(problem) = refused(name, kind) {
            let mut anchors: Vec<Anchor> =
                path.iter().map(|n| Anchor::Name(n.to_string())).collect();
            anchors.push(Anchor::Name(name.to_string()));
            self.errors.push(LimitError {
                bounded: Bounded::Name(kind),
                value: name.to_string(),
                problem: LimitProblem::Name(problem),
                subject: Some((subject.0, subject.1.to_string())),
                slot: None,
                anchors,
            });
        }
    }

    /// Checks a free text.
    fn text(
        &mut self,
        bounded: Bounded,
        text: &str,
        max: usize,
        multiline: bool,
        path: &[&str],
        subject: Option<(ObjectKind, &str)>,
    ) {
        if let Some(problem) = text_problem(text, max, multiline) {
            let mut anchors: Vec<Anchor> =
                path.iter().map(|n| Anchor::Name(n.to_string())).collect();
            anchors.push(match bounded {
                Bounded::Title => Anchor::Name(text.to_string()),
                _ => Anchor::Value(text.to_string()),
            });
            self.errors.push(LimitError {
                bounded,
                value: text.to_string(),
                problem,
                subject: subject.map(|(kind, name)| (kind, name.to_string())),
                slot: None,
                anchors,
            });
        }
    }

    fn references(&mut self) {
        let design = self.design;
        for holder in design.holders() {
            for reference in design.references_of(holder) {
                let Some(problem) = refused(reference.name, target_kind(reference.kind)) else {
                    continue;
                };
                let Some((kind, owner, path)) = design.holder_names(holder) else {
                    continue;
                };
                // A NIC's reference is written as one `vnet/subnet` text.
                let written = match holder {
                    crate::model::Holder::Nic { vm, nic } if reference.kind != RefKind::Nsg => {
                        design.vms[vm].nics[nic].subnet.to_string()
                    }
                    _ => reference.name.to_string(),
                };
                let mut anchors: Vec<Anchor> = path.into_iter().map(Anchor::Name).collect();
                anchors.push(Anchor::Value(written));
                self.errors.push(LimitError {
                    bounded: Bounded::Reference(reference.kind),
                    value: reference.name.to_string(),
                    problem: LimitProblem::Name(problem),
                    subject: Some((kind, owner)),
                    slot: Some(reference.slot),
                    anchors,
                });
            }
        }
    }
}

impl Design {
    /// Every value of the design beyond Azure's or vnetlab's limits (see [`super`]), in file
    /// order: names, references, texts and subnet counts; and, when those all pass, any other
    /// string field the model holds (longer than [`TEXT_MAX`](super::TEXT_MAX), or with a control character).
    ///
    /// ```
    /// use vnetlab::model::Design;
    /// let mut d = Design::example_pair();
    /// assert!(d.limit_errors().is_empty());
    /// d.vnets[0].name = "a".repeat(65_536);
    /// let error = &d.limit_errors()[0];
    /// assert!(error.to_string().starts_with("the VNet name `aaaa"));
    /// assert!(error.to_string().ends_with("has 65536 characters, more than the 64 Azure allows; shorten it"));
    /// ```
    pub fn limit_errors(&self) -> Vec<LimitError> {
        let mut found = Found {
            errors: Vec::new(),
            design: self,
        };
        found.text(Bounded::Title, &self.name, TITLE_MAX, false, &[], None);
        let description = &self.description;
        found.text(
            Bounded::Description,
            description,
            DESCRIPTION_MAX,
            true,
            &[],
            None,
        );
        self.limit_vnets(&mut found);
        for vm in &self.vms {
            found.name(NameKind::Vm, &vm.name, &[], (ObjectKind::Vm, &vm.name));
            for rule in vm.appliance.iter().flat_map(|a| &a.rules) {
                let subject = (ObjectKind::Vm, vm.name.as_str());
                found.name(NameKind::ApplianceRule, &rule.name, &[&vm.name], subject);
            }
        }
        for p in &self.peerings {
            found.name(
                NameKind::Peering,
                &p.name,
                &[],
                (ObjectKind::Peering, &p.name),
            );
        }
        self.limit_rules(&mut found);
        for g in &self.gateways {
            found.name(
                NameKind::Gateway,
                &g.name,
                &[],
                (ObjectKind::Gateway, &g.name),
            );
        }
        for site in &self.sites {
            let subject = (ObjectKind::Site, site.name.as_str());
            found.name(NameKind::Site, &site.name, &[], subject);
            for host in &site.hosts {
                found.name(NameKind::Host, &host.name, &[&site.name], subject);
            }
        }
        for c in &self.connections {
            let subject = (ObjectKind::Connection, c.name.as_str());
            found.name(NameKind::Connection, &c.name, &[], subject);
        }
        for s in &self.subscriptions {
            let subject = (ObjectKind::Subscription, s.name.as_str());
            found.name(NameKind::Subscription, &s.name, &[], subject);
        }
        for i in &self.intents {
            found.name(
                NameKind::Intent,
                &i.name,
                &[],
                (ObjectKind::Intent, &i.name),
            );
        }
        found.references();
        if found.errors.is_empty() {
            found.errors = super::walk::other_texts(self);
        }
        found.errors
    }

    fn limit_vnets(&self, found: &mut Found) {
        for vnet in &self.vnets {
            let subject = (ObjectKind::Vnet, vnet.name.as_str());
            found.name(NameKind::Vnet, &vnet.name, &[], subject);
            if let Some(group) = &vnet.resource_group
                && let Some(problem) = refused(group, NameKind::ResourceGroup)
            {
                found.errors.push(LimitError {
                    bounded: Bounded::Name(NameKind::ResourceGroup),
                    value: group.clone(),
                    problem: LimitProblem::Name(problem),
                    subject: Some((ObjectKind::Vnet, vnet.name.clone())),
                    slot: None,
                    anchors: vec![
                        Anchor::Name(vnet.name.clone()),
                        Anchor::Value(group.clone()),
                    ],
                });
            }
            if vnet.subnets.len() > MAX_SUBNETS_PER_VNET {
                found.errors.push(LimitError {
                    bounded: Bounded::Subnets,
                    value: vnet.name.clone(),
                    problem: LimitProblem::TooMany {
                        count: vnet.subnets.len(),
                        max: MAX_SUBNETS_PER_VNET,
                    },
                    subject: Some((ObjectKind::Vnet, vnet.name.clone())),
                    slot: None,
                    anchors: vec![Anchor::Name(vnet.name.clone())],
                });
            }
            // The subject's `vnet/subnet` is written out only for a name that breaks a limit.
            for subnet in vnet
                .subnets
                .iter()
                .filter(|s| refused(&s.name, NameKind::Subnet).is_some())
            {
                let path = format!("{}/{}", vnet.name, subnet.name);
                let subject = (ObjectKind::Subnet, path.as_str());
                found.name(NameKind::Subnet, &subnet.name, &[&vnet.name], subject);
            }
        }
    }

    fn limit_rules(&self, found: &mut Found) {
        for nsg in &self.nsgs {
            let subject = (ObjectKind::Nsg, nsg.name.as_str());
            found.name(NameKind::Nsg, &nsg.name, &[], subject);
            for rule in &nsg.rules {
                found.name(NameKind::NsgRule, &rule.name, &[&nsg.name], subject);
                if let Some(description) = &rule.description {
                    let path = [nsg.name.as_str(), rule.name.as_str()];
                    let max = RULE_DESCRIPTION_MAX;
                    let bounded = Bounded::RuleDescription;
                    found.text(bounded, description, max, true, &path, Some(subject));
                }
            }
        }
        for table in &self.route_tables {
            let subject = (ObjectKind::RouteTable, table.name.as_str());
            found.name(NameKind::RouteTable, &table.name, &[], subject);
            for route in &table.routes {
                found.name(NameKind::Route, &route.name, &[&table.name], subject);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Peering;

    #[test]
    fn names_references_and_texts_are_bounded() {
        let mut d = Design::example_pair();
        d.description = "line one\nline two\ttabbed".into();
        assert!(d.limit_errors().is_empty());
        d.peerings.push(Peering::new("a-to-b", "a", "b".repeat(70)));
        let errors = d.limit_errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].bounded, Bounded::Reference(RefKind::Vnet));
        assert_eq!(
            errors[0].to_string(),
            format!(
                "the reference `{}…` in peering `a-to-b` has 70 characters, more than the 64 a VNet name can have; shorten it",
                "b".repeat(40)
            )
        );
        d.peerings.clear();
        d.name = "title\u{1b}[2J".into();
        assert_eq!(
            d.limit_errors()[0].to_string(),
            "the design's title `title\\u{1b}[2J` contains the control character U+001B, which would garble the screen; remove it"
        );
    }

    /// The fast path of [`text_problem`] answers as the full test does, at and around the
    /// limit and for each character it must send to the full test.
    #[test]
    fn the_text_fast_path_agrees_with_the_full_test() {
        let mut texts: Vec<String> = ["", "a", "a\nb", "tab\there", "del\u{7f}", "é", "~ !"]
            .map(String::from)
            .to_vec();
        for length in [1, 9, 10, 11] {
            texts.push("t".repeat(length));
            texts.push(format!("{}é", "t".repeat(length)));
        }
        for text in &texts {
            for multiline in [false, true] {
                assert_eq!(
                    text_problem(text, 10, multiline),
                    text_problem_by_rule(text, 10, multiline),
                    "{text:?} {multiline}"
                );
            }
        }
    }

    #[test]
    fn subnets_are_counted() {
        let mut d = Design::example_pair();
        let subnet = d.vnets[0].subnets[0].clone();
        d.vnets[0].subnets = (0..=MAX_SUBNETS_PER_VNET)
            .map(|i| {
                let mut s = subnet.clone();
                s.name = format!("s{i}");
                s
            })
            .collect();
        let errors = d.limit_errors();
        assert_eq!(
            errors[0].to_string(),
            "VNet `a` has 3001 subnets, more than the 3000 Azure allows in one VNet; spread them over several VNets"
        );
    }
}
