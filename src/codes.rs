//! Stable codes: the one macro behind every published code vocabulary (the engine's
//! [`ReasonCode`](crate::engine::ReasonCode), lint's [`Code`](crate::lint::Code)).
//!
//! Each variant is written once, with its doc comment and its stable text; the macro derives the
//! enum, `ALL`, `as_str()` (the text scripts and JSON see, which never changes once published),
//! `description()` (the variant's doc comment, so legends and help quote the same sentence the
//! API docs show), `Display` and `Serialize`. The texts are explicit literals rather than derived
//! from the variant names: renaming a variant must never change a published code.

/// Declares a stable-code enum: `$(/// doc)+ Variant => "TEXT",` per code.
macro_rules! stable_codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[doc = $doc:literal])+ $variant:ident => $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[doc = $doc])+ $variant, )*
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable text of the code, e.g. `PEERING_MISSING`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// What the code means: its doc comment, lines joined, as one sentence or two.
            pub fn description(self) -> &'static str {
                match self {
                    $($name::$variant => const { concat!($($doc),+).trim_ascii() },)*
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use stable_codes;

#[cfg(test)]
mod tests {
    use crate::engine::ReasonCode;
    use crate::lint::Code;

    /// Every code of both vocabularies has a one-line-or-more description that reads as a
    /// sentence, taken from its doc comment.
    #[test]
    fn every_code_describes_itself_from_its_doc() {
        let descriptions = ReasonCode::ALL
            .iter()
            .map(|c| (c.as_str(), c.description()))
            .chain(Code::ALL.iter().map(|c| (c.as_str(), c.description())));
        for (code, text) in descriptions {
            assert!(
                text.ends_with('.') && !text.starts_with(' ') && !text.contains("  "),
                "{code}: {text:?}"
            );
        }
        assert_eq!(
            Code::PeeringOverlap.description(),
            "V1: the two VNets' address spaces overlap."
        );
        assert_eq!(
            serde_json::to_string(&Code::IntentFailed).expect("serialises"),
            "\"INTENT_FAILED\""
        );
        assert_eq!(ReasonCode::NsgDeny.to_string(), "NSG_DENY");
    }
}
