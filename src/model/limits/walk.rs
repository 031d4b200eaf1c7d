//! Every string a design holds, found through its `Serialize` implementation (the same one
//! that writes design files), so that a field added to the model later is bounded without
//! anyone remembering to list it: at most [`TEXT_MAX`] characters (a `description`,
//! [`DESCRIPTION_MAX`] and line breaks allowed) and no control characters. The walk allocates
//! nothing but the names of the objects it passes through, which locate an error in the file.

use super::check::{Bounded, LimitError, text_problem};
use super::{DESCRIPTION_MAX, TEXT_MAX};
use crate::model::{Anchor, Design, ObjectKind};
use serde::Serialize;
use serde::ser::{
    self, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTuple,
    SerializeTupleStruct, SerializeTupleVariant,
};
use std::fmt;

/// The limit errors of string fields anywhere in the design.
pub(super) fn other_texts(design: &Design) -> Vec<LimitError> {
    let mut walker = Walker::default();
    // The walker never fails; a serialization error would only stop the walk early.
    let _ = design.serialize(&mut walker);
    walker.errors
}

/// The kind of the objects in a top-level list of the design file.
fn kind_of_list(field: &str) -> Option<ObjectKind> {
    Some(match field {
        "vnets" => ObjectKind::Vnet,
        "vms" => ObjectKind::Vm,
        "peerings" => ObjectKind::Peering,
        "nsgs" => ObjectKind::Nsg,
        "route_tables" => ObjectKind::RouteTable,
        "gateways" => ObjectKind::Gateway,
        "sites" => ObjectKind::Site,
        "connections" => ObjectKind::Connection,
        "subscriptions" => ObjectKind::Subscription,
        "intents" => ObjectKind::Intent,
        _ => return None,
    })
}

#[derive(Default)]
struct Walker {
    /// The structs being walked, outermost (the design) first, with their `name` once seen.
    structs: Vec<Option<String>>,
    /// The field being walked, per struct depth.
    fields: Vec<&'static str>,
    /// Name buffers of structs already left, reused for the next names: a design has a name
    /// per VNet, subnet, VM, rule…, and the walk runs on every edit.
    spare: Vec<String>,
    errors: Vec<LimitError>,
}

impl Walker {
    fn text(&mut self, text: &str) {
        let field = self.fields.last().copied().unwrap_or("");
        let naming = field == "name"
            && self.structs.len() == self.fields.len()
            && self.structs.last().is_some_and(Option::is_none);
        let multiline = field == "description";
        let max = if multiline { DESCRIPTION_MAX } else { TEXT_MAX };
        if let Some(problem) = text_problem(text, max, multiline) {
            // The design's own name (its title) is not a landmark: it may be empty.
            let mut anchors: Vec<Anchor> = self
                .structs
                .iter()
                .skip(1)
                .flatten()
                .map(|n| Anchor::Name(n.clone()))
                .collect();
            anchors.push(if naming {
                Anchor::Name(text.to_string())
            } else {
                Anchor::Value(text.to_string())
            });
            let subject = self
                .fields
                .first()
                .and_then(|list| kind_of_list(list))
                .zip(self.structs.get(1).cloned().flatten());
            self.errors.push(LimitError {
                bounded: Bounded::Field(field),
                value: text.to_string(),
                problem,
                subject,
                slot: None,
                anchors,
            });
        }
        if naming && let Some(slot) = self.structs.last_mut() {
            let mut name = self.spare.pop().unwrap_or_default();
            name.clear();
            name.push_str(text);
            *slot = Some(name);
        }
    }
}

/// The walker never fails; serde requires an error type all the same.
#[derive(Debug)]
struct Never;

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the walk stopped")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Never
    }
}

type Done = Result<(), Never>;

macro_rules! ignore_scalars {
    ($($method:ident: $type:ty),* $(,)?) => {
        $(fn $method(self, _: $type) -> Done { Ok(()) })*
    };
}

impl ser::Serializer for &mut Walker {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    ignore_scalars!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_f32: f32,
        serialize_f64: f64,
        serialize_char: char,
        serialize_bytes: &[u8],
    );

    fn serialize_str(self, text: &str) -> Done {
        self.text(text);
        Ok(())
    }
    /// Typed values written through `Display` (CIDRs, addresses, `vnet/subnet`) are bounded
    /// where they are typed (a reference by the reference checks), so a million CIDRs are not
    /// formatted only to be measured.
    fn collect_str<T: ?Sized + fmt::Display>(self, _: &T) -> Done {
        Ok(())
    }
    fn serialize_none(self) -> Done {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Done {
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Done {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Done {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.structs.push(None);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.structs.push(None);
        Ok(self)
    }
}

/// The compound serializers whose every element is walked the same way, and which check
/// nothing at their end.
macro_rules! walk_each_element {
    ($($kind:ident :: $method:ident),* $(,)?) => {$(
        impl $kind for &mut Walker {
            type Ok = ();
            type Error = Never;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
                value.serialize(&mut **self)
            }
            fn end(self) -> Done {
                Ok(())
            }
        }
    )*};
}

walk_each_element!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl SerializeMap for &mut Walker {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl Walker {
    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Done {
        // One field per struct depth: replace the previous sibling's.
        self.fields.truncate(self.structs.len().saturating_sub(1));
        self.fields.push(key);
        let walked = value.serialize(&mut *self);
        self.fields.truncate(self.structs.len().saturating_sub(1));
        walked
    }

    fn leave(&mut self) {
        if let Some(Some(name)) = self.structs.pop() {
            self.spare.push(name);
        }
        self.fields.truncate(self.structs.len());
    }
}

/// The structs, whose fields are checked by name and which leave their level at the end.
macro_rules! walk_each_field {
    ($($kind:ident),* $(,)?) => {$(
        impl $kind for &mut Walker {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Done {
                self.field(key, value)
            }
            fn end(self) -> Done {
                self.leave();
                Ok(())
            }
        }
    )*};
}

walk_each_field!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, Subscription};

    #[test]
    fn strings_the_table_does_not_list_are_bounded_too() {
        let mut d = Design::example_pair();
        assert!(other_texts(&d).is_empty());
        d.subscriptions.push(Subscription {
            name: "sub-1".into(),
            role: Role::Custom(vec!["x".repeat(TEXT_MAX + 1)]),
        });
        let errors = other_texts(&d);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].bounded, Bounded::Field("role"));
        assert_eq!(
            errors[0].subject,
            Some((ObjectKind::Subscription, "sub-1".to_string()))
        );
        assert_eq!(errors[0].anchors[0], Anchor::Name("sub-1".into()));
        assert!(
            errors[0]
                .to_string()
                .contains("has 1025 characters, more than the 1024 vnetlab allows"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn names_are_landmarks_for_nested_values() {
        let mut d = Design::example_pair();
        d.vnets[1].subnets[0].name = "bad\u{7}".into();
        let errors = other_texts(&d);
        assert_eq!(
            errors[0].anchors,
            [Anchor::Name("b".into()), Anchor::Name("bad\u{7}".into())]
        );
        assert_eq!(errors[0].subject, Some((ObjectKind::Vnet, "b".to_string())));
    }
}
