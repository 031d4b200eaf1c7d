//! The form for a VM's secondary NICs (`Vm::nics[1..]`): subnet, address, NIC NSG and IP
//! forwarding. The primary NIC is edited with the VM itself. Azure requires every NIC of a VM to
//! be in the primary NIC's VNet, so only that VNet's subnets are offered, and the address is
//! checked against the subnet, Azure's reserved addresses and every other NIC of the VNet. The
//! NIC's ASG memberships are one toggle per ASG; Azure's rule that an ASG's NICs share one VNet
//! is the model's (`Design::asg_membership_clash`), checked here with [`check_asg_membership`].

use super::groups::{asg_key, asg_toggles, chosen_asgs};
use super::{Checker, NONE, Submit, optional, with_none};
use super::{Field, FieldKey, Form};
use crate::edit::{Edit, Object};
use crate::model::{Design, Nic, SubnetRef, Vm, plan};
use std::net::Ipv4Addr;

/// The subnets a NIC of `vm` may use: those of its primary NIC's VNet.
fn subnets_of_vm_vnet(design: &Design, vm: &str) -> Option<(String, Vec<String>)> {
    let vnet_name = design.vm(vm)?.primary()?.subnet.vnet.clone();
    let vnet = design.vnet(&vnet_name)?;
    let subnets = vnet
        .subnets
        .iter()
        .map(|s| SubnetRef::new(&vnet.name, &s.name).to_string())
        .collect();
    Some((vnet_name, subnets))
}

pub(super) fn nic_form(design: &Design, vm_name: &str, index: Option<usize>) -> Option<Form> {
    let vm = design.vm(vm_name)?;
    let (_, subnets) = subnets_of_vm_vnet(design, vm_name)?;
    let nsgs = with_none(design.nsgs.iter().map(|n| n.name.as_str()));
    let (title, subnet, ip, nsg, forwarding, asgs) = match index {
        Some(i) => {
            let nic = vm.nics.get(i)?;
            (
                format!("Edit NIC {} of {vm_name}", i + 1),
                nic.subnet.to_string(),
                nic.ip.to_string(),
                nic.nsg.clone().unwrap_or_else(|| NONE.to_string()),
                nic.ip_forwarding,
                nic.asgs.clone(),
            )
        }
        None => {
            // A second NIC usually sits in another subnet (an NVA's untrust side): offer the
            // first subnet no NIC of this VM uses yet.
            let used: Vec<String> = vm.nics.iter().map(|n| n.subnet.to_string()).collect();
            let subnet = subnets
                .iter()
                .find(|s| !used.contains(s))
                .or_else(|| subnets.first())?
                .clone();
            let ip = suggested_ip(design, &subnet)
                .map(|ip| ip.to_string())
                .unwrap_or_default();
            let forwarding = vm.nics.iter().any(|n| n.ip_forwarding);
            (
                format!("Add NIC {} to {vm_name}", vm.nics.len() + 1),
                subnet,
                ip,
                NONE.to_string(),
                forwarding,
                Vec::new(),
            )
        }
    };
    let mut fields = vec![
        Field::choice(FieldKey::Subnet, "Subnet", subnets, &subnet),
        Field::text(FieldKey::Ip, "Private IP", ip),
        Field::choice(FieldKey::Nsg, "NIC NSG", nsgs, &nsg),
        Field::toggle(FieldKey::Forwarding, "IP forwarding", forwarding),
    ];
    fields.extend(asg_toggles(design, FieldKey::Asg, "in ASG", &asgs));
    Some(Form::new(title, fields))
}

/// Refuses what Azure refuses of `vm`'s ASG memberships as the form would leave them (`vm`
/// replaces the design's VM named `replaced`): an ASG whose other NICs are in another VNet.
pub(super) fn check_asg_membership(design: &Design, replaced: &str, vm: &Vm, check: &mut Checker) {
    if let Some((asg, vnet)) = design.asg_membership_clash(replaced, vm)
        && let Some(key) = asg_key(design, FieldKey::Asg, &asg)
    {
        check.error(
            key,
            format!("{asg}'s NICs are in {vnet}; Azure keeps every NIC of an ASG in one VNet"),
        );
    }
}

/// The NIC a form edits, so that its own address does not count as taken: the VM (none for a
/// new VM) and the NIC's index in it (none for a new NIC; 0 is the primary, edited by the VM form).
#[derive(Debug, Clone, Copy)]
pub(super) struct EditedNic<'a> {
    /// The VM's name as the design has it.
    pub vm: Option<&'a str>,
    /// The NIC's index in `Vm::nics`.
    pub index: Option<usize>,
}

impl EditedNic<'_> {
    fn is(&self, vm: &Vm, index: usize) -> bool {
        self.vm == Some(vm.name.as_str()) && self.index == Some(index)
    }
}

/// Reads the form's address and, when the subnet parsed, checks it there as the user types it:
/// the subnet exists, the address is inside it, not one Azure reserves, and not used by another
/// NIC of the VNet than `edited`. Shared by the VM form (primary NIC) and the NIC form.
pub(super) fn checked_ip(
    design: &Design,
    form: &Form,
    subnet: Option<&SubnetRef>,
    edited: EditedNic<'_>,
    check: &mut Checker,
) -> Option<Ipv4Addr> {
    let ip = check.ip(form, FieldKey::Ip)?;
    if let Some(subnet) = subnet {
        check_nic_address(design, subnet, ip, edited, check);
    }
    Some(ip)
}

fn check_nic_address(
    design: &Design,
    subnet: &SubnetRef,
    ip: Ipv4Addr,
    edited: EditedNic<'_>,
    check: &mut Checker,
) {
    let Some(found) = design.subnet(subnet) else {
        check.error(
            FieldKey::Subnet,
            format!("there is no subnet {subnet}; pick another"),
        );
        return;
    };
    if !found.contains(ip) {
        check.error(
            FieldKey::Ip,
            format!(
                "{ip} is outside {subnet} ({}); pick an address inside it",
                found.prefix
            ),
        );
    } else if let Some(prefix) = found.prefixes().find(|p| plan::is_reserved(p, ip)) {
        check.error(
            FieldKey::Ip,
            format!(
                "Azure reserves {ip} (the first four addresses and the broadcast address of {prefix})"
            ),
        );
    } else {
        let clash = design.vms.iter().find_map(|other| {
            other.nics.iter().enumerate().find_map(|(i, n)| {
                (!edited.is(other, i) && n.ip == ip && n.subnet.vnet == subnet.vnet)
                    .then(|| other.name.clone())
            })
        });
        if let Some(owner) = clash {
            let free = plan::free_ip(design, subnet)
                .map(|f| format!("; {f} is free"))
                .unwrap_or_default();
            check.error(
                FieldKey::Ip,
                format!("{ip} is already used by {owner}{free}"),
            );
        }
    }
}

/// Advises IP forwarding on an appliance's NIC, without which it passes no traffic for others.
pub(super) fn note_forwarding(form: &Form, check: &mut Checker, appliance: bool) {
    if appliance && !form.is_on(FieldKey::Forwarding) {
        check.note(
            FieldKey::Forwarding,
            "an appliance needs IP forwarding on to pass traffic for others",
        );
    }
}

/// The NIC the form describes, at the checked `subnet` and `ip`: its NIC NSG, IP forwarding and
/// ASG memberships (`before` is the NIC as it was, whose memberships of ASGs the form does not
/// offer are kept).
pub(super) fn nic_from_form(
    design: &Design,
    form: &Form,
    subnet: SubnetRef,
    ip: Ipv4Addr,
    before: Option<&Nic>,
) -> Nic {
    Nic {
        subnet,
        ip,
        nsg: optional(form.value(FieldKey::Nsg)),
        ip_forwarding: form.is_on(FieldKey::Forwarding),
        asgs: chosen_asgs(
            design,
            form,
            FieldKey::Asg,
            before.map_or(&[][..], |n| n.asgs.as_slice()),
        ),
    }
}

pub(super) fn build_nic(
    design: &Design,
    form: &Form,
    vm_name: &str,
    index: Option<usize>,
    check: &mut Checker,
) -> Option<Submit> {
    let Some(mut vm) = design.vm(vm_name).cloned() else {
        check.error(
            FieldKey::Subnet,
            format!("{vm_name} no longer exists; close the form"),
        );
        return None;
    };
    if index.is_some_and(|i| i == 0 || i >= vm.nics.len()) {
        check.error(
            FieldKey::Subnet,
            "this NIC no longer exists; close the form",
        );
        return None;
    }
    let vnet = vm
        .primary()
        .map(|n| n.subnet.vnet.clone())
        .unwrap_or_default();
    let subnet_ref = match check.subnet_ref(form, FieldKey::Subnet) {
        Some(r) if r.vnet != vnet => {
            check.error(
                FieldKey::Subnet,
                format!("Azure requires every NIC of {vm_name} to be in its VNet {vnet}; pick a subnet there"),
            );
            None
        }
        parsed => parsed,
    };
    let edited = EditedNic {
        vm: Some(vm_name),
        index,
    };
    let ip = checked_ip(design, form, subnet_ref.as_ref(), edited, check);
    note_forwarding(form, check, vm.appliance.is_some());
    let before = index.and_then(|i| vm.nics.get(i));
    let nic = nic_from_form(design, form, subnet_ref?, ip?, before);
    match index.and_then(|i| vm.nics.get_mut(i)) {
        Some(slot) => *slot = nic,
        None => vm.nics.push(nic),
    }
    check_asg_membership(design, vm_name, &vm, check);
    Some(Submit::Edit(Edit::Replace(Object::Vm(vm))))
}

/// Keeps an untouched suggested address in step with the chosen subnet (the NIC form and a new
/// VM's primary NIC).
pub(super) fn follow_subnet(design: &Design, form: &mut Form) {
    if let Some(ip) = suggested_ip(design, form.value(FieldKey::Subnet)) {
        form.follow(FieldKey::Ip, ip.to_string());
    }
}

/// The address suggested for a NIC in `subnet` (as `vnet/subnet`): its first free one.
pub(super) fn suggested_ip(design: &Design, subnet: &str) -> Option<Ipv4Addr> {
    let subnet = subnet.parse::<SubnetRef>().ok()?;
    plan::free_ip(design, &subnet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Subnet;

    fn design() -> Design {
        let mut d = Design::example_pair();
        d.vnets[0]
            .subnets
            .push(Subnet::new("untrust", "10.1.9.0/24".parse().unwrap()));
        d
    }

    #[test]
    fn a_new_nic_is_suggested_in_an_unused_subnet_of_the_same_vnet() {
        let d = design();
        let vm = "vm-a";
        let form = nic_form(&d, vm, None).unwrap();
        assert_eq!(form.value(FieldKey::Subnet), "a/untrust");
        assert_eq!(form.value(FieldKey::Ip), "10.1.9.4");
        let mut check = Checker::default();
        let Some(Submit::Edit(Edit::Replace(Object::Vm(new)))) =
            build_nic(&d, &form, vm, None, &mut check)
        else {
            panic!("the suggested NIC should build: {check:?}");
        };
        assert_eq!(new.nics.len(), 2);
        assert_eq!(new.nics[1].ip.to_string(), "10.1.9.4");
    }

    #[test]
    fn a_nic_outside_the_vnet_or_on_a_taken_address_is_refused() {
        let d = design();
        let vm = "vm-a";
        let mut form = nic_form(&d, vm, None).unwrap();
        // Only the VM's own VNet is offered; a stale choice from another VNet is still refused.
        *form.field_mut(FieldKey::Subnet).unwrap() = Field::choice(
            FieldKey::Subnet,
            "Subnet",
            vec!["b/default".to_string()],
            "b/default",
        );
        let spec = super::super::FormSpec::Nic {
            vm: vm.to_string(),
            index: None,
        };
        let check = spec
            .build(&d, &form)
            .expect_err("another VNet's subnet is refused");
        assert!(
            check.errors[0].1.contains("Azure requires every NIC"),
            "{check:?}"
        );

        let taken = d.vm(vm).unwrap().nics[0].clone();
        *form.field_mut(FieldKey::Subnet).unwrap() = Field::choice(
            FieldKey::Subnet,
            "Subnet",
            vec![taken.subnet.to_string()],
            &taken.subnet.to_string(),
        );
        form.field_mut(FieldKey::Ip)
            .unwrap()
            .set_value(taken.ip.to_string());
        let check = spec
            .build(&d, &form)
            .expect_err("a taken address is refused");
        assert!(
            check.errors[0].1.contains("already used by vm-a"),
            "{check:?}"
        );
    }

    #[test]
    fn a_nics_asgs_round_trip_and_an_asg_of_another_vnet_is_refused() {
        let mut d = design();
        d.asgs.push(crate::model::Asg::new("web"));
        d.asgs.push(crate::model::Asg::new("far"));
        d.vms[1].nics[0].asgs = vec!["far".into()];
        let mut nic = Nic::new(SubnetRef::new("a", "untrust"), "10.1.9.4".parse().unwrap());
        nic.asgs = vec!["web".into()];
        d.vms[0].nics.push(nic);
        let spec = super::super::FormSpec::Nic {
            vm: "vm-a".into(),
            index: Some(1),
        };
        let mut form = nic_form(&d, "vm-a", Some(1)).unwrap();
        assert!(form.is_on(FieldKey::Asg(0)) && !form.is_on(FieldKey::Asg(1)));
        let Ok(Submit::Edit(Edit::Replace(Object::Vm(same)))) = spec.build(&d, &form) else {
            panic!("the NIC as it was builds");
        };
        assert_eq!(same, d.vms[0]);
        form.field_mut(FieldKey::Asg(1)).unwrap().set_on(true);
        let check = spec.build(&d, &form).expect_err("far's NICs are in b");
        assert_eq!(
            check.errors,
            [(
                FieldKey::Asg(1),
                "far's NICs are in b; Azure keeps every NIC of an ASG in one VNet".to_string()
            )]
        );
    }
}
