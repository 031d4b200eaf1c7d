//! Structure-aware mutations of real files: the text is split into tokens (strings, numbers,
//! identifiers, punctuation, whitespace, comments), and mutations delete, duplicate, swap or
//! replace tokens, insert huge values and deep nesting, cut the file short, insert bytes that
//! are not UTF-8, or edit the JSON tree ([`super::json`]). Indexes are plain numbers taken
//! modulo the token (or value) count, so a failing input is reproduced by its seed name and
//! mutation list alone ([`apply`]).

use super::json::{self, JsonEdit, json_edit};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use std::fmt;

/// One change to a token list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    /// Remove token `i`.
    Delete(u32),
    /// Repeat token `i`.
    Duplicate(u32),
    /// Exchange tokens `i` and `j`.
    Swap(u32, u32),
    /// Put a piece in place of token `i`.
    Replace(u32, Piece),
    /// Put a piece before token `i`.
    Insert(u32, Piece),
    /// Cut the file before token `i`.
    Truncate(u32),
    /// Put bytes that are not UTF-8 before token `i` (one of [`BAD_UTF8`]).
    NotUtf8(u32, u8),
    /// Edit the JSON tree (a no-op on text that is not JSON).
    Json(JsonEdit),
}

/// What a mutation puts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A token of the dictionary ([`DICTIONARY`]).
    Word(&'static str),
    /// A copy of token `i` of the same file.
    Copy(u32),
    /// `unit` repeated `count` times, quoted as a string when `quoted`.
    Huge {
        /// The repeated text.
        unit: &'static str,
        /// How many times.
        count: u32,
        /// Whether it is written as a string literal.
        quoted: bool,
    },
    /// `open` repeated `depth` times, then `close` as often when `balanced`.
    Nest {
        /// The opening text (`[`, `Vnet(`, …).
        open: &'static str,
        /// The closing text.
        close: &'static str,
        /// How deep.
        depth: u32,
        /// Whether the closings follow.
        balanced: bool,
    },
}

/// Tokens that mean something to RON or JSON readers, or that break values.
pub const DICTIONARY: &[&str] = &[
    "\"",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "0",
    "-1",
    "65536",
    "4294967296",
    "18446744073709551616",
    "1e999",
    "-0.0",
    "\"\"",
    "\"10.0.0.0/33\"",
    "\"0.0.0.0/0\"",
    "\"255.255.255.255\"",
    "\"10.1.1.4\"",
    "\"eastus\"",
    "\"westeruope\"",
    "null",
    "true",
    "None",
    "Some(",
    "Design(",
    "Vnet(",
    "Subnet(",
    "Vm(",
    "Nic(",
    "Peering(",
    "Nsg(",
    "#![enable(implicit_some)]",
    "/*",
    "*/",
    "//",
    "\"\u{202E}evil\"",
    "\"\\u0000\"",
    "\"a\\nb\"",
    "\"\u{1b}[2J\"",
    "r#\"x\"#",
    "'c'",
    "version",
    "name",
    "\"vnet/subnet\"",
    "\"*\"",
    "\"tcp/443\"",
    "\"VirtualNetwork\"",
    "\\",
    "é",
    "\"x/y/z\"",
    "\"GatewaySubnet\"",
    "\"a (b)\"",
    "\"id\"",
    "\"properties\"",
    "\"type\"",
    "\"location\"",
    "\"Microsoft.Network/virtualNetworks\"",
    "\"/subscriptions/s/resourceGroups/rg\"",
    "\"value\"",
    "\"data\"",
    "\"$schema\"",
    "\"resources\"",
    "\"\\ud800\"",
];

/// Byte sequences that are not UTF-8: a lone continuation byte's lead, a cut sequence, a
/// surrogate, beyond U+10FFFF, an overlong `/`.
pub const BAD_UTF8: &[&[u8]] = &[
    &[0xFF],
    &[0xC3],
    &[0xED, 0xA0, 0x80],
    &[0xF4, 0x90, 0x80, 0x80],
    &[0xC0, 0xAF],
    &[0x80],
];

/// Splits text into tokens, whose concatenation is the text.
pub fn tokens(text: &str) -> Vec<Vec<u8>> {
    tokens_of(text.as_bytes())
}

fn tokens_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let c = bytes[at];
        at += 1;
        match c {
            b'"' => {
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at = (at + 1).min(bytes.len());
            }
            b'/' if bytes.get(at) == Some(&b'/') => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
            }
            b'0'..=b'9' | b'-' => {
                while at < bytes.len()
                    && matches!(bytes[at], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    at += 1;
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while at < bytes.len() && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'_') {
                    at += 1;
                }
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
                    at += 1;
                }
            }
            _ => {
                // One character, whole (a multi-byte one included).
                while at < bytes.len() && (bytes[at] & 0xC0) == 0x80 {
                    at += 1;
                }
            }
        }
        out.push(bytes[start..at.min(bytes.len())].to_vec());
    }
    out
}

fn piece_bytes(piece: &Piece, list: &[Vec<u8>]) -> Vec<u8> {
    match piece {
        Piece::Word(word) => word.as_bytes().to_vec(),
        Piece::Copy(i) if !list.is_empty() => list[*i as usize % list.len()].clone(),
        Piece::Copy(_) => Vec::new(),
        Piece::Huge {
            unit,
            count,
            quoted,
        } => {
            let body = unit.repeat(*count as usize);
            if *quoted {
                format!("\"{body}\"").into_bytes()
            } else {
                body.into_bytes()
            }
        }
        Piece::Nest {
            open,
            close,
            depth,
            balanced,
        } => {
            let mut text = open.repeat(*depth as usize);
            if *balanced {
                text.push_str(&close.repeat(*depth as usize));
            }
            text.into_bytes()
        }
    }
}

/// The seed text with the mutations applied in order.
pub fn apply(seed: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut list = tokens(seed);
    for mutation in mutations {
        if list.is_empty() {
            list.push(Vec::new());
        }
        let n = list.len();
        let at = |i: &u32| *i as usize % n;
        match mutation {
            Mutation::Delete(i) => {
                list.remove(at(i));
            }
            Mutation::Duplicate(i) => {
                let copy = list[at(i)].clone();
                list.insert(at(i), copy);
            }
            Mutation::Swap(i, j) => list.swap(at(i), at(j)),
            Mutation::Replace(i, piece) => list[at(i)] = piece_bytes(piece, &list),
            Mutation::Insert(i, piece) => {
                let bytes = piece_bytes(piece, &list);
                list.insert(at(i), bytes);
            }
            Mutation::Truncate(i) => list.truncate(at(i)),
            Mutation::NotUtf8(i, which) => {
                let bad = BAD_UTF8[*which as usize % BAD_UTF8.len()];
                list.insert(at(i), bad.to_vec());
            }
            Mutation::Json(change) => list = tokens_of(&json::edit(&list.concat(), change)),
        }
    }
    list.concat()
}

/// A mutated file: which seed, which mutations, and the bytes they give.
#[derive(Clone)]
pub struct Mutated {
    /// The seed file's name.
    pub seed: String,
    /// The mutations, in order.
    pub mutations: Vec<Mutation>,
    /// The result.
    pub bytes: Vec<u8>,
}

/// The seed and mutations on the first line (enough to rebuild the input with [`apply`]), then
/// the bytes, shortened when long.
impl fmt::Debug for Mutated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "seed `{}`, mutations {:?}", self.seed, self.mutations)?;
        let text = String::from_utf8_lossy(&self.bytes);
        if text.len() <= 4_000 {
            write!(f, "{text}")
        } else {
            let head: String = text.chars().take(2_000).collect();
            let tail: String = text
                .chars()
                .rev()
                .take(1_000)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            write!(f, "{head}\n…[{} bytes in all]…\n{tail}", self.bytes.len())
        }
    }
}

fn index() -> impl Strategy<Value = u32> {
    any::<u32>()
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        8 => select(DICTIONARY).prop_map(Piece::Word),
        3 => index().prop_map(Piece::Copy),
        1 => (
            select(vec!["a", "7", "é", "\\\"", "\u{1b}", "名", "\u{202E}", "\\u{0}", " "]),
            prop_oneof![3 => 60u32..300, 2 => 60_000u32..70_000, 1 => 900_000u32..1_000_001],
            any::<bool>(),
        )
            .prop_map(|(unit, count, quoted)| Piece::Huge { unit, count, quoted }),
        1 => (
            select(vec![("[", "]"), ("(", ")"), ("{\"a\":", "}"), ("Vnet(", ")"), ("Some(", ")")]),
            prop_oneof![3 => 2u32..200, 1 => 10_000u32..100_000],
            any::<bool>(),
        )
            .prop_map(|((open, close), depth, balanced)| Piece::Nest { open, close, depth, balanced }),
    ]
}

/// One mutation: mostly token edits, sometimes huge values, nesting, a cut or bad bytes.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => index().prop_map(Mutation::Delete),
        3 => index().prop_map(Mutation::Duplicate),
        3 => (index(), index()).prop_map(|(i, j)| Mutation::Swap(i, j)),
        5 => (index(), piece()).prop_map(|(i, p)| Mutation::Replace(i, p)),
        4 => (index(), piece()).prop_map(|(i, p)| Mutation::Insert(i, p)),
        1 => index().prop_map(Mutation::Truncate),
        1 => (index(), any::<u8>()).prop_map(|(i, b)| Mutation::NotUtf8(i, b)),
        8 => json_edit().prop_map(Mutation::Json),
    ]
}

/// Mutated files: a seed from `seeds` (name, text), then zero to four mutations (zero now and
/// then, so every seed is also read as it is).
pub fn mutated(seeds: impl Strategy<Value = (String, String)>) -> impl Strategy<Value = Mutated> {
    (seeds, vec(mutation(), 0..=4)).prop_map(|((seed, text), mutations)| Mutated {
        bytes: apply(&text, &mutations),
        seed,
        mutations,
    })
}

/// Checks the tokenizer keeps every byte (called from the fuzz test crate).
pub fn tokens_keep_every_byte(text: &str) -> bool {
    tokens(text).concat() == text.as_bytes()
}
