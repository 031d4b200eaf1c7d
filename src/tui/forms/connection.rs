//! The connection form: a site-to-site or VNet-to-VNet connection from a gateway. A new
//! VNet-to-VNet connection also adds its pair from the other gateway unless "Both ways" is
//! turned off, because Azure brings the link up only with a connection on each gateway
//! ([`Design::vnet_to_vnet_partner`]).

use super::{Checker, Submit, add_or_replace};
use super::{Field, FieldKey, Form, name_field};
use crate::edit::{Edit, Object};
use crate::model::{Connection, ConnectionRemote, Design, ObjectKind, plan};

pub(super) fn connection_form(design: &Design, original: Option<&str>) -> Option<Form> {
    let gateways: Vec<String> = design.gateways.iter().map(|g| g.name.clone()).collect();
    if gateways.is_empty() {
        return None;
    }
    let existing = original.and_then(|o| design.connection(o));
    if original.is_some() && existing.is_none() {
        return None;
    }
    let remotes: Vec<String> = design
        .sites
        .iter()
        .map(|s| format!("site {}", s.name))
        .chain(
            design
                .gateways
                .iter()
                .map(|g| format!("gateway {}", g.name)),
        )
        .collect();
    let remote = existing.map(|c| match &c.remote {
        ConnectionRemote::Site(s) => format!("site {s}"),
        ConnectionRemote::Gateway(g) => format!("gateway {g}"),
    });
    let gateway = existing.map_or_else(|| gateways[0].clone(), |c| c.gateway.clone());
    let taken: Vec<&str> = design.connections.iter().map(|c| c.name.as_str()).collect();
    Some(Form::new(
        match original {
            Some(o) => format!("Edit connection {o}"),
            None => "Add connection".to_string(),
        },
        vec![
            name_field(
                existing.map(|c| c.name.as_str()),
                &format!("{gateway}-conn"),
                &taken,
            ),
            Field::choice(FieldKey::Gateway, "Gateway", gateways, &gateway),
            Field::choice(
                FieldKey::Remote,
                "Other end",
                remotes,
                remote.as_deref().unwrap_or(""),
            ),
            Field::toggle(FieldKey::Bgp, "BGP", existing.is_some_and(|c| c.bgp)),
        ]
        .into_iter()
        // Azure brings a VNet-to-VNet link up only with a connection on each gateway; like the
        // portal's "Establish bidirectional connectivity", a new one adds both unless told not to.
        .chain(
            existing
                .is_none()
                .then(|| Field::toggle(FieldKey::BothWays, "Both ways (VNet-to-VNet)", true)),
        )
        .collect(),
    ))
}

pub(super) fn build_connection(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Connection, original);
    let gateway = form.value(FieldKey::Gateway).to_string();
    let remote = match form.value(FieldKey::Remote).split_once(' ') {
        Some(("site", s)) => Some(ConnectionRemote::Site(s.to_string())),
        Some(("gateway", g)) if g == gateway => {
            check.error(FieldKey::Remote, "a gateway cannot connect to itself");
            None
        }
        Some(("gateway", g)) => Some(ConnectionRemote::Gateway(g.to_string())),
        _ => {
            check.error(
                FieldKey::Remote,
                "add a site (or a second gateway) to connect to first",
            );
            None
        }
    };
    let connection = Connection {
        name,
        gateway,
        remote: remote?,
        bgp: form.is_on(FieldKey::Bgp),
    };
    let pair = if original.is_none()
        && form.is_on(FieldKey::BothWays)
        && design.vnet_to_vnet_partner(&connection).is_none()
    {
        connection.partner_for(design).map(|mut back| {
            back.name = plan::unique_name(&back.name, |n| {
                n == connection.name || design.connection(n).is_some()
            });
            back
        })
    } else {
        None
    };
    let edit = add_or_replace(
        ObjectKind::Connection,
        original,
        Object::Connection(connection),
    );
    Some(Submit::Edit(match pair {
        Some(back) => Edit::Batch(vec![
            edit,
            Edit::Add {
                object: Object::Connection(back),
                at: None,
            },
        ]),
        None => edit,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::{Context, FieldKey, FormSpec, Submit};
    use crate::edit::{Edit, Object};
    use crate::model::{ConnectionRemote, Design, Gateway, GatewayKind, GatewaySku, VpnType};

    fn two_gateways() -> Design {
        let mut design = Design::example_pair();
        for vnet in ["a", "b"] {
            design.gateways.push(Gateway {
                name: format!("gw-{vnet}"),
                vnet: vnet.to_string(),
                kind: GatewayKind::Vpn,
                sku: GatewaySku::VpnGw1,
                vpn_type: VpnType::RouteBased,
                client_pool: Vec::new(),
                bgp: false,
            });
        }
        design
    }

    /// The names of the connections a submitted form adds.
    fn added(submit: Submit) -> Vec<(String, String, ConnectionRemote)> {
        let Submit::Edit(edit) = submit else {
            panic!("not an edit");
        };
        let edits = match edit {
            Edit::Batch(edits) => edits,
            one => vec![one],
        };
        edits
            .into_iter()
            .map(|e| match e {
                Edit::Add {
                    object: Object::Connection(c),
                    ..
                } => (c.name, c.gateway, c.remote),
                other => panic!("not a new connection: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_new_vnet_to_vnet_connection_adds_its_pair_unless_told_not_to() {
        let design = two_gateways();
        let spec = FormSpec::Connection(None);
        let mut form = spec
            .open(&design, &Context::default())
            .expect("two gateways");
        if let Some(field) = form.field_mut(FieldKey::Remote) {
            field.set_value("gateway gw-b");
        }
        let both = added(spec.build(&design, &form).expect("valid"));
        assert_eq!(
            both,
            vec![
                (
                    "gw-a-conn".to_string(),
                    "gw-a".to_string(),
                    ConnectionRemote::Gateway("gw-b".into())
                ),
                (
                    "gw-b-to-gw-a".to_string(),
                    "gw-b".to_string(),
                    ConnectionRemote::Gateway("gw-a".into())
                ),
            ]
        );
        if let Some(field) = form.field_mut(FieldKey::BothWays) {
            field.set_on(false);
        }
        let one = added(spec.build(&design, &form).expect("valid"));
        assert_eq!(one.len(), 1, "{one:?}");
    }
}
