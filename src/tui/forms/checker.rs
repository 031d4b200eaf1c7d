//! The checker every form's builder reports to: problems and notes keyed by field, and the
//! parsers for the values forms share (names, CIDRs, addresses, subnets, ports).

use super::{FieldKey, Form};
use crate::model::{AddressMatch, PortRange, SubnetRef, parse_cidr, parse_ip};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Collects problems (keyed by field) and notes while a form is parsed.
#[derive(Debug, Default)]
pub struct Checker {
    pub(super) errors: Vec<(FieldKey, String)>,
    pub(super) notes: Vec<(FieldKey, String)>,
}

impl Checker {
    /// Records a problem with a field.
    pub fn error(&mut self, key: FieldKey, message: impl std::fmt::Display) {
        if !self.errors.iter().any(|(k, _)| *k == key) {
            self.errors.push((key, message.to_string()));
        }
    }

    /// Records advice about a field.
    pub fn note(&mut self, key: FieldKey, message: impl Into<String>) {
        if !self.notes.iter().any(|(k, _)| *k == key) {
            self.notes.push((key, message.into()));
        }
    }

    /// Whether a problem was recorded.
    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    /// A non-empty name, unique among `taken` (the original name excepted).
    pub fn name(
        &mut self,
        form: &Form,
        key: FieldKey,
        taken: &[&str],
        original: Option<&str>,
        what: &str,
    ) -> String {
        let name = form.value(key).trim().to_string();
        if name.is_empty() {
            self.error(key, format!("give the {what} a name"));
        } else if name.contains(char::is_whitespace) {
            self.error(key, "names cannot contain spaces; use `-` instead");
        } else if Some(name.as_str()) != original && taken.contains(&name.as_str()) {
            self.error(
                key,
                format!("a {what} named `{name}` already exists; choose another name"),
            );
        }
        name
    }

    /// The name of a new or edited object of a design-wide `kind` (not a subnet, rule or route,
    /// whose names are unique within their parent), refused when another object of that kind
    /// has it; the messages name the kind as the rest of vnetlab does.
    pub fn object_name(
        &mut self,
        design: &crate::model::Design,
        form: &Form,
        kind: crate::model::ObjectKind,
        original: Option<&str>,
    ) -> String {
        let typed = form.value(FieldKey::Name).trim().to_string();
        let taken: Vec<&str> = if design.has_object(kind, &typed) {
            vec![typed.as_str()]
        } else {
            Vec::new()
        };
        self.name(form, FieldKey::Name, &taken, original, &kind.to_string())
    }

    /// One CIDR.
    pub fn cidr(&mut self, form: &Form, key: FieldKey) -> Option<Ipv4Net> {
        match parse_cidr(form.value(key)) {
            Ok(net) => Some(net),
            Err(e) => {
                self.error(key, e);
                None
            }
        }
    }

    /// A comma-separated list of CIDRs; `required` refuses an empty list.
    pub fn cidrs(&mut self, form: &Form, key: FieldKey, required: bool) -> Vec<Ipv4Net> {
        let text = form.value(key);
        let mut nets = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match parse_cidr(part) {
                Ok(net) => nets.push(net),
                Err(e) => self.error(key, e),
            }
        }
        if required && nets.is_empty() && !self.errors.iter().any(|(k, _)| *k == key) {
            self.error(
                key,
                "enter at least one CIDR, like 10.0.0.0/16 (separate several with commas)",
            );
        }
        nets
    }

    /// One IPv4 address.
    pub fn ip(&mut self, form: &Form, key: FieldKey) -> Option<Ipv4Addr> {
        // An empty field asks for an address rather than quoting an empty one back.
        if form.value(key).trim().is_empty() {
            self.error(key, "enter an IP address, like `10.0.1.4`");
            return None;
        }
        match parse_ip(form.value(key)) {
            Ok(ip) => Some(ip),
            Err(e) => {
                self.error(key, e);
                None
            }
        }
    }

    /// A subnet chosen as `vnet/subnet` (the VM and NIC forms).
    pub fn subnet_ref(&mut self, form: &Form, key: FieldKey) -> Option<SubnetRef> {
        match form.value(key).parse::<SubnetRef>() {
            Ok(subnet) => Some(subnet),
            Err(e) => {
                self.error(key, e);
                None
            }
        }
    }

    /// A comma-separated list of NSG or appliance address matches (`*`, CIDR, IP, service tag).
    pub fn addresses(&mut self, form: &Form, key: FieldKey) -> Vec<AddressMatch> {
        self.list(
            form,
            key,
            "enter `*`, a CIDR, an IP or a service tag like VirtualNetwork",
        )
    }

    /// A comma-separated list of port ranges (`*`, `443`, `1000-2000`).
    pub fn ports(&mut self, form: &Form, key: FieldKey) -> Vec<PortRange> {
        self.list(
            form,
            key,
            "enter `*`, a port like 443, or a range like 1000-2000",
        )
    }

    /// A comma-separated list of values; each part that does not parse is an error, and so is
    /// an empty list (`when_empty` says what to enter).
    fn list<T>(&mut self, form: &Form, key: FieldKey, when_empty: &str) -> Vec<T>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let mut found = Vec::new();
        for part in form
            .value(key)
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.parse::<T>() {
                Ok(value) => found.push(value),
                Err(e) => self.error(key, e),
            }
        }
        if found.is_empty() {
            self.error(key, when_empty);
        }
        found
    }
}
