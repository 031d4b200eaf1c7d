//! Forms for the named groups of issue 11: application security groups (with their member
//! NICs), AVNM network groups (with their member VNets) and AVNM connectivity configurations
//! (mesh or hub-and-spoke over chosen groups). Members are toggles keyed by their index in the
//! design's list of NICs, VNets or groups, so a group is created and filled in one step (one
//! undo). Azure's rules are the model's: an ASG whose NICs sit in two VNets is refused by the
//! edit, and the form says so first.
//!
//! The ASG toggles of other forms live here too: a NIC's memberships (VM and NIC forms) and
//! the ASGs an NSG rule names on each end ([`asg_toggles`], [`chosen_asgs`]).

use super::{Checker, Submit, add_or_replace};
use super::{Field, FieldKey, Form, name_field};
use crate::edit::{Edit, Object};
use crate::model::{Asg, Connectivity, Design, GroupLink, NetworkGroup, ObjectKind, Topology};

/// One toggle per ASG of the design (keyed by `key` with its index in `Design::asgs`), on for
/// those in `chosen`; none when the design has no ASG.
pub(super) fn asg_toggles(
    design: &Design,
    key: fn(usize) -> FieldKey,
    label: &str,
    chosen: &[String],
) -> Vec<Field> {
    design
        .asgs
        .iter()
        .enumerate()
        .map(|(i, asg)| {
            Field::toggle(
                key(i),
                &format!("{label} {}", asg.name),
                chosen.contains(&asg.name),
            )
        })
        .collect()
}

/// The ASGs switched on among [`asg_toggles`]: those of `before` still on, in their order (so
/// that an edit keeps an imported list as it was), then the newly chosen in design order.
pub(super) fn chosen_asgs(
    design: &Design,
    form: &Form,
    key: fn(usize) -> FieldKey,
    before: &[String],
) -> Vec<String> {
    let on: Vec<&str> = design
        .asgs
        .iter()
        .enumerate()
        .filter(|(i, _)| form.is_on(key(*i)))
        .map(|(_, a)| a.name.as_str())
        .collect();
    let mut chosen: Vec<String> = before
        .iter()
        .filter(|a| on.contains(&a.as_str()))
        .cloned()
        .collect();
    for asg in on {
        if !chosen.iter().any(|c| c == asg) {
            chosen.push(asg.to_string());
        }
    }
    chosen
}

/// The toggle of ASG `asg` among [`asg_toggles`] keyed by `key`, to report a problem on it.
pub(super) fn asg_key(design: &Design, key: fn(usize) -> FieldKey, asg: &str) -> Option<FieldKey> {
    design.asgs.iter().position(|a| a.name == asg).map(key)
}

/// Every NIC of the design as (VM, index in `Vm::nics`), in design order.
fn nics(design: &Design) -> Vec<(&str, usize)> {
    design
        .vms
        .iter()
        .flat_map(|vm| (0..vm.nics.len()).map(move |i| (vm.name.as_str(), i)))
        .collect()
}

pub(super) fn asg_form(design: &Design, original: Option<&str>) -> Option<Form> {
    if original.is_some_and(|o| design.asg(o).is_none()) {
        return None;
    }
    let taken: Vec<&str> = design.asgs.iter().map(|a| a.name.as_str()).collect();
    let mut fields = vec![name_field(original, "asg1", &taken)];
    for (i, (vm, n)) in nics(design).into_iter().enumerate() {
        let nic = design.vm(vm).and_then(|v| v.nics.get(n))?;
        let label = if n == 0 {
            format!("member {vm} ({})", nic.subnet)
        } else {
            format!("member {vm} nic {} ({})", n + 1, nic.subnet)
        };
        let on = original.is_some_and(|o| nic.asgs.iter().any(|a| a == o));
        fields.push(Field::toggle(FieldKey::Member(i), &label, on));
    }
    Some(Form::new(
        match original {
            Some(o) => format!("Edit application security group {o}"),
            None => "Add application security group".to_string(),
        },
        fields,
    ))
}

pub(super) fn build_asg(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Asg, original);
    // The VMs whose NICs join or leave, changed in place.
    let mut changed: Vec<crate::model::Vm> = Vec::new();
    let mut vnets: Vec<&str> = Vec::new();
    for (i, (vm_name, n)) in nics(design).into_iter().enumerate() {
        let Some(vm) = design.vm(vm_name) else {
            continue;
        };
        let Some(nic) = vm.nics.get(n) else {
            continue;
        };
        let on = form.is_on(FieldKey::Member(i));
        if on && !vnets.contains(&nic.subnet.vnet.as_str()) {
            vnets.push(&nic.subnet.vnet);
        }
        let member = original.is_some_and(|o| nic.asgs.iter().any(|a| a == o));
        if on == member && (original == Some(name.as_str()) || !on) {
            continue;
        }
        let slot = match changed.iter().position(|v| v.name == vm.name) {
            Some(at) => at,
            None => {
                changed.push(vm.clone());
                changed.len() - 1
            }
        };
        if let Some(nic) = changed[slot].nics.get_mut(n) {
            nic.asgs
                .retain(|a| Some(a.as_str()) != original && *a != name);
            if on {
                nic.asgs.push(name.clone());
            }
        }
    }
    if vnets.len() > 1 {
        check.error(
            FieldKey::Name,
            format!(
                "an ASG's NICs must all be in one VNet; these are in {}",
                vnets.join(" and ")
            ),
        );
    }
    let main = add_or_replace(ObjectKind::Asg, original, Object::Asg(Asg::new(&name)));
    let mut edits = vec![main];
    edits.extend(changed.into_iter().map(|vm| Edit::Replace(Object::Vm(vm))));
    Some(Submit::Edit(if edits.len() == 1 {
        edits.remove(0)
    } else {
        Edit::Batch(edits)
    }))
}

pub(super) fn network_group_form(design: &Design, original: Option<&str>) -> Option<Form> {
    let existing = original.and_then(|o| design.network_group(o));
    if original.is_some() && existing.is_none() {
        return None;
    }
    let taken: Vec<&str> = design
        .network_groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    let mut fields = vec![name_field(original, "group1", &taken)];
    for (i, vnet) in design.vnets.iter().enumerate() {
        let on = existing.is_some_and(|g| g.members.contains(&vnet.name));
        fields.push(Field::toggle(
            FieldKey::Member(i),
            &format!("member {}", vnet.name),
            on,
        ));
    }
    Some(Form::new(
        match original {
            Some(o) => format!("Edit network group {o}"),
            None => "Add network group (AVNM)".to_string(),
        },
        fields,
    ))
}

pub(super) fn build_network_group(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::NetworkGroup, original);
    let members: Vec<String> = design
        .vnets
        .iter()
        .enumerate()
        .filter(|(i, _)| form.is_on(FieldKey::Member(*i)))
        .map(|(_, v)| v.name.clone())
        .collect();
    if members.is_empty() {
        check.note(
            FieldKey::Name,
            "no member yet: a configuration over this group connects nothing",
        );
    }
    Some(Submit::Edit(add_or_replace(
        ObjectKind::NetworkGroup,
        original,
        Object::NetworkGroup(NetworkGroup::new(name, members)),
    )))
}

const MESH: &str = "mesh";
const HUB_AND_SPOKE: &str = "hub and spoke";

pub(super) fn connectivity_form(design: &Design, original: Option<&str>) -> Option<Form> {
    let existing = original.and_then(|o| design.connectivity_config(o));
    if original.is_some() && existing.is_none() {
        return None;
    }
    let taken: Vec<&str> = design
        .connectivity
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let vnets: Vec<String> = design.vnets.iter().map(|v| v.name.clone()).collect();
    let (topology, hub) = match existing.map(|c| &c.topology) {
        Some(Topology::HubAndSpoke { hub }) => (HUB_AND_SPOKE, hub.clone()),
        Some(Topology::Mesh) => (MESH, vnets.first().cloned().unwrap_or_default()),
        None => (
            HUB_AND_SPOKE,
            design
                .vnets
                .iter()
                .find(|v| design.gateways_in(&v.name).next().is_some())
                .or(design.vnets.first())
                .map(|v| v.name.clone())
                .unwrap_or_default(),
        ),
    };
    let first = existing.and_then(|c| c.groups.first());
    let mut fields = vec![
        name_field(original, "connectivity1", &taken),
        Field::choice(
            FieldKey::Kind,
            "Topology",
            vec![HUB_AND_SPOKE.to_string(), MESH.to_string()],
            topology,
        ),
        Field::choice(FieldKey::Hub, "Hub (hub and spoke)", vnets, &hub),
    ];
    for (i, group) in design.network_groups.iter().enumerate() {
        let on = existing.map_or(design.network_groups.len() == 1, |c| {
            c.groups.iter().any(|g| g.group == group.name)
        });
        fields.push(Field::toggle(
            FieldKey::Member(i),
            &format!("group {}", group.name),
            on,
        ));
    }
    fields.push(Field::toggle(
        FieldKey::DirectConnectivity,
        "spokes directly connected",
        first.is_some_and(|g| g.direct_connectivity),
    ));
    fields.push(Field::toggle(
        FieldKey::UseHubGateway,
        "spokes use the hub's gateway",
        first.is_some_and(|g| g.use_hub_gateway),
    ));
    fields.push(Field::toggle(
        FieldKey::Global,
        "global (across regions)",
        existing.is_some_and(|c| c.global),
    ));
    Some(Form::new(
        match original {
            Some(o) => format!("Edit connectivity configuration {o}"),
            None => "Add connectivity configuration (AVNM)".to_string(),
        },
        fields,
    ))
}

pub(super) fn build_connectivity(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Connectivity, original);
    let mesh = form.value(FieldKey::Kind) == MESH;
    let global = form.is_on(FieldKey::Global);
    let direct = form.is_on(FieldKey::DirectConnectivity);
    let gateway = form.is_on(FieldKey::UseHubGateway);
    let groups: Vec<GroupLink> = design
        .network_groups
        .iter()
        .enumerate()
        .filter(|(i, _)| form.is_on(FieldKey::Member(*i)))
        .map(|(_, g)| GroupLink {
            group: g.name.clone(),
            direct_connectivity: !mesh && direct,
            global: !mesh && direct && global,
            use_hub_gateway: !mesh && gateway,
        })
        .collect();
    if groups.is_empty() {
        check.error(
            FieldKey::Name,
            if design.network_groups.is_empty() {
                "add a network group first (a in Peerings)"
            } else {
                "switch on at least one group (Tab to it, Space)"
            },
        );
    }
    let hub = form.value(FieldKey::Hub).to_string();
    if !mesh && design.vnet(&hub).is_none() {
        check.error(FieldKey::Hub, "choose the hub VNet");
    }
    if !mesh && gateway && design.gateways_in(&hub).next().is_none() {
        check.note(
            FieldKey::UseHubGateway,
            format!("{hub} has no gateway yet: the spokes have none to use"),
        );
    }
    let topology = if mesh {
        Topology::Mesh
    } else {
        Topology::HubAndSpoke { hub }
    };
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Connectivity,
        original,
        Object::Connectivity(Connectivity {
            name,
            topology,
            groups,
            global,
        }),
    )))
}
