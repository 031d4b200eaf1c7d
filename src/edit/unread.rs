//! Edits of a sound design that need less than a whole validation afterwards (validating a
//! design of ten thousand VMs is most of what applying an edit costs: milliseconds, on the
//! thread that draws the next frame). A session's design is sound once it has validated it.
//!
//! - **None**, for an edit that changes only fields no check of [`Design::validate`] reads:
//!   the edits a designer makes most, one key each (a peering's flags, an NSG rule's verdict,
//!   a NIC's IP forwarding). The invariants (`model::validate` and the limits it runs first)
//!   read names, references, addresses, ports and texts, never these fields.
//! - **The object alone**, for a route table replaced under its own name (a route added,
//!   changed or removed): its checks read nothing but the table, so a design holding only the
//!   table has exactly the errors the whole design would have.
//!
//! Debug builds, and so every test, validate the whole design after each such edit all the
//! same and stop if it disagrees.

use super::{Edit, EditError, Object};
use crate::model::{Design, Nsg, Peering, RouteTable, Vm};
use std::time::Duration;

impl Edit {
    /// Whether this edit, applied to `design` as it is now, changes only fields that no
    /// invariant reads: a peering's flags (access, forwarded traffic, gateway transit, remote
    /// gateways, disconnected), the access, priority, direction and protocol of an NSG's
    /// rules, or a VM's IP forwarding per NIC, with every name, reference, address, port and
    /// text as it was.
    ///
    /// ```
    /// use vnetlab::edit::{Edit, Object};
    /// use vnetlab::model::{Design, Peering};
    /// let mut d = Design::example_pair();
    /// d.peerings.push(Peering::new("a-to-b", "a", "b"));
    /// let mut flag = d.peerings[0].clone();
    /// flag.allow_forwarded_traffic = !flag.allow_forwarded_traffic;
    /// assert!(Edit::Replace(Object::Peering(flag)).keeps_invariants(&d));
    /// let mut moved = d.peerings[0].clone();
    /// moved.remote = "c".to_string();
    /// assert!(!Edit::Replace(Object::Peering(moved)).keeps_invariants(&d));
    /// ```
    pub fn keeps_invariants(&self, design: &Design) -> bool {
        match self {
            // `Replace` swaps the first object of the name, so that is the one compared.
            Edit::Replace(Object::Peering(new)) => design
                .peerings
                .iter()
                .find(|old| old.name == new.name)
                .is_some_and(|old| same_but_flags(old, new)),
            Edit::Replace(Object::Nsg(new)) => design
                .nsgs
                .iter()
                .find(|old| old.name == new.name)
                .is_some_and(|old| same_but_verdicts(old, new)),
            Edit::Replace(Object::Vm(new)) => design
                .vms
                .iter()
                .find(|old| old.name == new.name)
                .is_some_and(|old| same_but_forwarding(old, new)),
            _ => false,
        }
    }

    /// [`Edit::apply`] on a design that satisfies [`Design::validate`]: an edit that
    /// [keeps every invariant](Edit::keeps_invariants) is not validated again (the design's
    /// errors cannot have changed, and there were none); a route table replaced under its own
    /// name is validated alone (a design holding only that table); any other edit validates
    /// the whole design, as by `apply`.
    pub fn apply_to_valid(&self, design: &mut Design) -> Result<Edit, EditError> {
        self.apply_to_valid_timed(design)
            .map(|(inverse, _validation)| inverse)
    }

    /// [`Edit::apply_to_valid`], also returning how long validation took (zero when the edit
    /// needed none).
    pub fn apply_to_valid_timed(&self, design: &mut Design) -> Result<(Edit, Duration), EditError> {
        if let Some(alone) = self.validated_alone(design) {
            return self.apply_checked(design, |edited| {
                let error = local_errors(alone).into_iter().next();
                debug_assert_eq!(
                    error.as_ref().map(ToString::to_string),
                    edited.validate().first().map(ToString::to_string),
                    "validating {self:?} alone disagrees with the whole design's validation"
                );
                error
            });
        }
        if !self.keeps_invariants(design) {
            return self.apply_timed(design);
        }
        let inverse = self.apply_unchecked(design)?;
        debug_assert!(
            design.validate().is_empty(),
            "an edit of fields no invariant reads broke one (or the design was not sound): {self:?}"
        );
        Ok((inverse, Duration::ZERO))
    }

    /// The object this edit brings whose invariants involve nothing else of `design`, when the
    /// edit only replaces it: a route table under its own name. A table's routes reference no
    /// object, and what `validate` checks of it (its route names unique, every name and text
    /// within its limits) reads the table alone; its own name, the one thing others read, is
    /// kept.
    fn validated_alone(&self, design: &Design) -> Option<&RouteTable> {
        match self {
            Edit::Replace(Object::RouteTable(new))
                if design.route_tables.iter().any(|old| old.name == new.name) =>
            {
                Some(new)
            }
            _ => None,
        }
    }
}

/// The errors of a design holding only `table`: on a sound design whose table it replaces,
/// exactly the errors the whole design then has (errors locate their object by name, not by
/// position, so they read the same).
fn local_errors(table: &RouteTable) -> Vec<crate::model::ModelError> {
    let mut alone = Design::empty("route table");
    alone.route_tables.push(table.clone());
    alone.validate()
}

/// Whether two peerings differ at most in their flags.
fn same_but_flags(old: &Peering, new: &Peering) -> bool {
    let mut probe = new.clone();
    probe.allow_virtual_network_access = old.allow_virtual_network_access;
    probe.allow_forwarded_traffic = old.allow_forwarded_traffic;
    probe.allow_gateway_transit = old.allow_gateway_transit;
    probe.use_remote_gateways = old.use_remote_gateways;
    probe.disconnected = old.disconnected;
    probe == *old
}

/// Whether two VMs differ at most in their NICs' IP forwarding.
fn same_but_forwarding(old: &Vm, new: &Vm) -> bool {
    same_but_in_items(
        old,
        new,
        |vm| &vm.nics,
        |vm| &mut vm.nics,
        |nic, was| {
            nic.ip_forwarding = was.ip_forwarding;
        },
    )
}

/// Whether two NSGs differ at most in their rules' access, priority, direction and protocol.
fn same_but_verdicts(old: &Nsg, new: &Nsg) -> bool {
    same_but_in_items(
        old,
        new,
        |nsg| &nsg.rules,
        |nsg| &mut nsg.rules,
        |rule, was| {
            rule.access = was.access;
            rule.priority = was.priority;
            rule.direction = was.direction;
            rule.protocol = was.protocol;
        },
    )
}

/// Whether `new` is `old` but for the fields of its items (a VM's NICs, an NSG's rules) that
/// `copy_unread` copies from the old item into the new one, item by item; items added or
/// removed are a difference.
fn same_but_in_items<T: Clone + PartialEq, I>(
    old: &T,
    new: &T,
    items: fn(&T) -> &Vec<I>,
    items_mut: fn(&mut T) -> &mut Vec<I>,
    copy_unread: fn(&mut I, &I),
) -> bool {
    if items(old).len() != items(new).len() {
        return false;
    }
    let mut probe = new.clone();
    for (item, was) in items_mut(&mut probe).iter_mut().zip(items(old)) {
        copy_unread(item, was);
    }
    probe == *old
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    fn design() -> Design {
        hub_spoke(&HubSpokeParams {
            hubs: 1,
            spokes: 3,
            subnets_per_spoke: 1,
            vms_per_subnet: 1,
        })
        .expect("valid counts")
    }

    #[test]
    fn a_flag_or_a_verdict_keeps_the_invariants_and_a_name_or_address_does_not() {
        let d = design();
        let peering = d.peerings[0].clone();
        let mut flags = peering.clone();
        flags.allow_gateway_transit = !flags.allow_gateway_transit;
        flags.use_remote_gateways = !flags.use_remote_gateways;
        flags.disconnected = !flags.disconnected;
        assert!(Edit::Replace(Object::Peering(flags)).keeps_invariants(&d));
        let mut listed = peering.clone();
        listed.local_subnets.push("nowhere".to_string());
        assert!(!Edit::Replace(Object::Peering(listed)).keeps_invariants(&d));
        let mut unknown = peering;
        unknown.name = "no-such-peering".to_string();
        assert!(!Edit::Replace(Object::Peering(unknown)).keeps_invariants(&d));

        let nsg = d
            .nsgs
            .iter()
            .find(|n| !n.rules.is_empty())
            .expect("an NSG with rules");
        let mut verdict = nsg.clone();
        verdict.rules[0].access = verdict.rules[0].access.flipped();
        verdict.rules[0].priority += 1;
        assert!(Edit::Replace(Object::Nsg(verdict)).keeps_invariants(&d));
        let mut ports = nsg.clone();
        ports.rules[0].destination_ports.clear();
        assert!(!Edit::Replace(Object::Nsg(ports)).keeps_invariants(&d));
        let mut more = nsg.clone();
        let mut extra = more.rules[0].clone();
        extra.name = "extra".to_string();
        more.rules.push(extra);
        assert!(!Edit::Replace(Object::Nsg(more)).keeps_invariants(&d));
        let vm = d.vms[0].clone();
        let mut forwarding = vm.clone();
        forwarding.nics[0].ip_forwarding = !forwarding.nics[0].ip_forwarding;
        assert!(Edit::Replace(Object::Vm(forwarding)).keeps_invariants(&d));
        let mut readdressed = vm;
        readdressed.nics[0].ip = std::net::Ipv4Addr::new(203, 0, 113, 9);
        assert!(!Edit::Replace(Object::Vm(readdressed)).keeps_invariants(&d));
        assert!(
            !Edit::Remove(crate::edit::ObjectRef::new(
                crate::model::ObjectKind::Nsg,
                &nsg.name
            ))
            .keeps_invariants(&d)
        );
    }

    #[test]
    fn a_route_table_is_validated_alone_with_the_errors_the_whole_design_gives() {
        let d = design();
        let table = d.route_tables.first().expect("a route table").clone();
        let route = |name: &str| crate::model::Route {
            name: name.to_string(),
            prefix: "198.51.100.0/24".parse().expect("a prefix"),
            next_hop: crate::model::NextHop::None,
        };
        let mut added = table.clone();
        added.routes.push(route("to-docs"));
        let mut duplicate = table.clone();
        duplicate.routes.push(route("to-docs"));
        duplicate.routes.push(route("to-docs"));
        let mut overlong = table.clone();
        overlong.routes.push(route(&"r".repeat(200)));
        let mut blank = table;
        blank.routes.push(route(" "));
        for (new, refused) in [
            (added, false),
            (duplicate, true),
            (overlong, true),
            (blank, true),
        ] {
            let edit = Edit::Replace(Object::RouteTable(new));
            assert!(edit.validated_alone(&d).is_some());
            let (mut alone, mut whole) = (d.clone(), d.clone());
            let fast = edit.apply_to_valid(&mut alone).map_err(|e| e.to_string());
            let checked = edit.apply(&mut whole).map_err(|e| e.to_string());
            assert_eq!(fast, checked);
            assert_eq!(alone, whole);
            assert_eq!(fast.is_err(), refused, "{fast:?}");
            if refused {
                assert_eq!(alone, d, "a refused edit changes nothing");
            }
        }
        // A table under a new name is not a replacement: it is refused as `apply` refuses it.
        let mut renamed = d.route_tables[0].clone();
        renamed.name = "no-such-table".to_string();
        let edit = Edit::Replace(Object::RouteTable(renamed));
        assert!(edit.validated_alone(&d).is_none());
        assert!(edit.apply_to_valid(&mut d.clone()).is_err());
    }

    #[test]
    fn an_edit_that_keeps_the_invariants_applies_and_undoes_like_a_validated_one() {
        let d = design();
        let mut flag = d.peerings[1].clone();
        flag.allow_virtual_network_access = !flag.allow_virtual_network_access;
        let edit = Edit::Replace(Object::Peering(flag));
        let (mut fast, mut checked) = (d.clone(), d.clone());
        let (inverse, validation) = edit.apply_to_valid_timed(&mut fast).expect("applies");
        assert_eq!(validation, Duration::ZERO, "not validated again");
        let checked_inverse = edit.apply(&mut checked).expect("applies");
        assert_eq!(fast, checked);
        assert_eq!(inverse, checked_inverse);
        inverse.apply_to_valid(&mut fast).expect("undoes");
        assert_eq!(fast, d);
        // Any other edit is validated, and refused when it breaks an invariant.
        let mut dangling = d.peerings[1].clone();
        dangling.remote = "no-such-vnet".to_string();
        let refused = Edit::Replace(Object::Peering(dangling)).apply_to_valid(&mut fast);
        assert!(matches!(refused, Err(EditError::Invalid(_))), "{refused:?}");
        assert_eq!(fast, d, "a refused edit changes nothing");
    }
}
