//! The form for a VM or appliance: its name, role (VM, NVA, firewall) and primary NIC (subnet,
//! address with the next free one suggested, NIC NSG, IP forwarding, ASG memberships). Secondary
//! NICs have their own form in `nic`.

use super::network::subnet_names;
use super::nic::{EditedNic, checked_ip, nic_from_form, note_forwarding, suggested_ip};
use super::{Checker, Context, NONE, Submit, add_or_replace, with_none};
use super::{Field, FieldKey, Form};
use crate::edit::Object;
use crate::model::{Appliance, ApplianceKind, Design, ObjectKind, Vm, plan};

const ROLES: [&str; 3] = ["VM", "NVA", "Firewall"];

pub(super) fn vm_form(design: &Design, original: Option<&str>, context: &Context) -> Option<Form> {
    let subnets = subnet_names(design);
    if subnets.is_empty() {
        return None;
    }
    let nsgs = with_none(design.nsgs.iter().map(|n| n.name.as_str()));
    // VMs and hosts share one namespace as endpoints: suggest a name free in both.
    let taken = super::endpoint_names(design);
    let (title, name, subnet, ip, role, stateful, forwarding, nsg) = match original {
        Some(name) => {
            let vm = design.vm(name)?;
            let nic = vm.primary()?;
            let role = match vm.appliance.as_ref().map(|a| a.kind) {
                None => "VM",
                Some(ApplianceKind::Nva) => "NVA",
                Some(ApplianceKind::Firewall) => "Firewall",
            };
            (
                format!("Edit {name}"),
                vm.name.clone(),
                nic.subnet.to_string(),
                nic.ip.to_string(),
                role,
                vm.appliance.as_ref().is_some_and(|a| a.stateful),
                nic.ip_forwarding,
                nic.nsg.clone().unwrap_or_else(|| NONE.to_string()),
            )
        }
        None => {
            let subnet = context
                .subnet
                .as_ref()
                .map(|s| s.to_string())
                .filter(|s| subnets.contains(s))
                .or_else(|| {
                    context.vnet.as_ref().and_then(|v| {
                        subnets
                            .iter()
                            .find(|s| s.starts_with(&format!("{v}/")))
                            .cloned()
                    })
                })
                .unwrap_or_else(|| subnets[0].clone());
            let ip = suggested_ip(design, &subnet)
                .map(|ip| ip.to_string())
                .unwrap_or_default();
            let appliance = context.appliance;
            (
                if appliance { "Add appliance" } else { "Add VM" }.to_string(),
                plan::unique_name(if appliance { "nva1" } else { "vm1" }, |n| {
                    taken.contains(&n)
                }),
                subnet,
                ip,
                if appliance { "NVA" } else { "VM" },
                appliance,
                appliance,
                NONE.to_string(),
            )
        }
    };
    let asgs = original
        .and_then(|o| design.vm(o))
        .and_then(Vm::primary)
        .map(|n| n.asgs.clone())
        .unwrap_or_default();
    Some(Form::new(
        title,
        vec![
            Field::text(FieldKey::Name, "Name", name),
            Field::choice(FieldKey::Subnet, "Subnet", subnets, &subnet),
            Field::text(FieldKey::Ip, "Private IP", ip),
            Field::choice(
                FieldKey::Role,
                "Role",
                ROLES.iter().map(|r| r.to_string()).collect(),
                role,
            ),
            Field::toggle(FieldKey::Stateful, "Stateful", stateful),
            Field::toggle(FieldKey::Forwarding, "IP forwarding", forwarding),
            Field::choice(FieldKey::Nsg, "NIC NSG", nsgs, &nsg),
        ]
        .into_iter()
        .chain(super::groups::asg_toggles(
            design,
            FieldKey::Asg,
            "in ASG",
            &asgs,
        ))
        .collect(),
    ))
}

pub(super) fn build_vm(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let taken = super::endpoint_names(design);
    let name = check.name(form, FieldKey::Name, &taken, original, "VM or host");
    let subnet_ref = check.subnet_ref(form, FieldKey::Subnet);
    // The form edits the primary NIC (index 0) of the original VM.
    let edited = EditedNic {
        vm: original,
        index: Some(0),
    };
    let ip = checked_ip(design, form, subnet_ref.as_ref(), edited, check);
    let role = form.value(FieldKey::Role);
    note_forwarding(form, check, role != "VM");
    let old = original.and_then(|o| design.vm(o));
    // Azure keeps every NIC of a VM in one VNet: the primary cannot move away from the others.
    if let (Some(old), Some(r)) = (old, &subnet_ref)
        && let Some(other) = old.nics.iter().skip(1).find(|n| n.subnet.vnet != r.vnet)
    {
        check.error(
            FieldKey::Subnet,
            format!(
                "Azure keeps every NIC of a VM in one VNet, and a secondary NIC is in {}; pick a subnet there or delete that NIC first",
                other.subnet.vnet
            ),
        );
    }
    let mut vm = match old {
        Some(old) => old.clone(),
        None => Vm::new(name.clone(), subnet_ref.clone()?, ip?),
    };
    vm.name = name;
    let nic = nic_from_form(design, form, subnet_ref?, ip?, vm.nics.first());
    match vm.nics.first_mut() {
        Some(first) => *first = nic,
        None => vm.nics.push(nic),
    }
    let rules = vm.appliance.take().map(|a| a.rules).unwrap_or_default();
    vm.appliance = match role {
        "NVA" | "Firewall" => Some(Appliance {
            kind: if role == "NVA" {
                ApplianceKind::Nva
            } else {
                ApplianceKind::Firewall
            },
            stateful: form.is_on(FieldKey::Stateful),
            rules,
        }),
        _ => None,
    };
    super::nic::check_asg_membership(design, original.unwrap_or(&vm.name), &vm, check);
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Vm,
        original,
        Object::Vm(vm),
    )))
}
