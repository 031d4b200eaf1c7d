//! Bytes to text, for every reader (design files, lessons, Azure exports): UTF-8 with or
//! without a byte-order mark, or UTF-16 with one (what PowerShell's `>` writes). Anything else
//! is refused at the first byte that is not text, with its line and column, so the user can
//! find it whatever kind of file it is.

use std::fmt;

/// Where a file stops being text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotText {
    /// 1-based line of the first byte that is not text.
    pub line: usize,
    /// 1-based column (in characters) of that byte.
    pub column: usize,
    /// The byte itself (for UTF-16, the first byte of the bad code unit).
    pub byte: u8,
    /// Whether the file was UTF-16 (it had a UTF-16 byte-order mark).
    pub utf16: bool,
}

/// `byte 0xFF is not UTF-8`: the end of a sentence that starts with the file and position.
impl fmt::Display for NotText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.utf16 {
            write!(
                f,
                "the file is not text: it starts like UTF-16, but the code unit here (starting with byte 0x{:02X}) is not UTF-16; save it as UTF-8",
                self.byte
            )
        } else {
            write!(
                f,
                "the file is not text: byte 0x{:02X} here is not UTF-8; save it as UTF-8",
                self.byte
            )
        }
    }
}

/// Line and column just after `text`.
fn end_of(text: &str) -> (usize, usize) {
    let line = text.matches('\n').count() + 1;
    let line_start = text.rfind('\n').map_or(0, |nl| nl + 1);
    (line, text[line_start..].chars().count() + 1)
}

fn utf8(bytes: Vec<u8>) -> Result<String, NotText> {
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let valid = error.utf8_error().valid_up_to();
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = end_of(before);
        NotText {
            line,
            column,
            byte: bytes.get(valid).copied().unwrap_or_default(),
            utf16: false,
        }
    })
}

fn utf16(bytes: &[u8], little: bool) -> Result<String, NotText> {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| {
            if little {
                u16::from_le_bytes([pair[0], pair[1]])
            } else {
                u16::from_be_bytes([pair[0], pair[1]])
            }
        })
        .collect();
    let mut text = String::with_capacity(units.len());
    for decoded in char::decode_utf16(units.iter().copied()) {
        match decoded {
            Ok(c) => text.push(c),
            Err(_) => {
                // The bad unit follows the units of the text decoded so far.
                let unit = text.encode_utf16().count();
                let (line, column) = end_of(&text);
                return Err(NotText {
                    line,
                    column,
                    byte: bytes.get(unit * 2).copied().unwrap_or_default(),
                    utf16: true,
                });
            }
        }
    }
    Ok(text)
}

/// Decodes a file's bytes: UTF-8 (a byte-order mark is dropped) or UTF-16 with a byte-order
/// mark.
///
/// ```
/// use vnetlab::io::text::decode;
/// assert_eq!(decode(b"\xEF\xBB\xBFDesign()".to_vec()).unwrap(), "Design()");
/// let bad = decode(b"Design(\n  name: \"a\xFF\")".to_vec()).unwrap_err();
/// assert_eq!((bad.line, bad.column, bad.byte), (2, 11, 0xFF));
/// assert_eq!(bad.to_string(), "the file is not text: byte 0xFF here is not UTF-8; save it as UTF-8");
/// ```
pub fn decode(bytes: Vec<u8>) -> Result<String, NotText> {
    match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest.to_vec()),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        _ => utf8(bytes),
    }
}

/// The most characters a refusal message keeps.
pub const MESSAGE_MAX: usize = 1_000;

/// A message safe to print whatever values it quotes: every value quoted between backticks or
/// double quotes and longer than [`QUOTE_LEN`](crate::model::suggest::QUOTE_LEN) characters is
/// cut, control characters are written as `\u{…}`, and the whole is at most [`MESSAGE_MAX`]
/// characters. The readers pass every refusal through it, so no parser's or value's message
/// can echo a megabyte-long value.
///
/// ```
/// use vnetlab::io::text::bounded_message;
/// let long = "x".repeat(100);
/// let message = format!("invalid CIDR `{long}`: it needs a prefix length, like `{long}/24`");
/// let shown = bounded_message(&message);
/// assert_eq!(shown, format!("invalid CIDR `{0}…`: it needs a prefix length, like `{0}…`", "x".repeat(40)));
/// assert_eq!(bounded_message("bad \"a\u{1b}b\""), "bad \"a\\u{1b}b\"");
/// ```
pub fn bounded_message(message: &str) -> String {
    use crate::model::limits::quote;
    let mut out = String::new();
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let mark = &rest[open..=open];
        let (before, after) = (&rest[..open], &rest[open + 1..]);
        out.push_str(&quote_free(before));
        match after.find(mark) {
            Some(close) => {
                out.push_str(mark);
                out.push_str(&quote(&after[..close]));
                out.push_str(mark);
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(mark);
                out.push_str(&quote(after));
                rest = "";
            }
        }
    }
    out.push_str(&quote_free(rest));
    match out.char_indices().nth(MESSAGE_MAX) {
        Some((cut, _)) => format!("{}…", &out[..cut]),
        None => out,
    }
}

/// Unquoted message text with its control characters escaped.
fn quote_free(text: &str) -> String {
    crate::model::limits::escape_disruptive(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_bounded_whatever_they_quote() {
        let huge = "q".repeat(1_000_000);
        let message =
            format!("unknown reference `{huge}` in VM `{huge}`: there is no VNet \"{huge}");
        let shown = bounded_message(&message);
        assert!(shown.chars().count() < 200, "{shown}");
        assert!(shown.starts_with("unknown reference `qqqq"));
        let unquoted = bounded_message(&"word ".repeat(1_000));
        assert_eq!(unquoted.chars().count(), MESSAGE_MAX + 1);
    }

    #[test]
    fn utf16_decodes_and_a_lone_surrogate_is_placed() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("[1]".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(bytes.clone()).unwrap(), "[1]");
        bytes.extend(0xD800u16.to_le_bytes());
        let bad = decode(bytes).unwrap_err();
        assert_eq!((bad.line, bad.column, bad.utf16), (1, 4, true));
    }

    #[test]
    fn invalid_utf8_is_placed_after_multibyte_characters() {
        let bad = decode("é\nxé".bytes().chain([0xC3, 0x28]).collect()).unwrap_err();
        assert_eq!((bad.line, bad.column, bad.byte), (2, 3, 0xC3));
    }
}
