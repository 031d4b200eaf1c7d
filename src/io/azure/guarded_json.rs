//! Parsing JSON that may be hostile, with every guard before the expensive step: the nesting
//! depth is measured on the text (brackets outside strings) and a document deeper than
//! serde_json reads is refused with its own sentence; a counting pass refuses documents with
//! more values than any real export has, or a name, ID, location or key longer than any Azure
//! export holds (with the position where it starts); only then is a `serde_json::Value` tree
//! built. Errors point inside the file (line and column). The cost is one extra pass over the
//! text and one over the tokens, both linear.

use super::ImportError;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::Cell;
use std::fmt;

/// Documents with more JSON values (objects, arrays, strings, numbers…) than this are refused
/// before a tree is built: a 1,000-VNet estate is well under a million.
pub const MAX_JSON_VALUES: u64 = 4_000_000;

/// Parses a document after checking it is small enough to hold in memory.
pub fn parse(text: &str, file: &str) -> Result<Value, ImportError> {
    parse_with_limit(text, file, MAX_JSON_VALUES)
}

/// The deepest nesting of arrays and objects a document may have: serde_json refuses a 128th
/// level, so the depth is measured first and a deeper document refused with its own sentence.
pub const MAX_JSON_DEPTH: usize = 127;

/// Where a document first nests deeper than [`MAX_JSON_DEPTH`], as a byte offset; brackets
/// inside strings do not count.
fn too_deep_at(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (offset, byte) in text.bytes().enumerate() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
            (false, _, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Some(offset);
                }
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The longest value of the fields an importer copies into a design, by key (matched ignoring
/// case), far above what Azure returns for any resource: a longer one is hostile or broken and
/// is refused where it starts, before it reaches a name, a note or a message.
const FIELD_LIMITS: &[(&str, usize)] = &[
    ("name", 1_024),
    ("id", 2_048),
    ("type", 256),
    ("location", 64),
    ("resourceGroup", 90),
    ("subscriptionId", 64),
    ("description", crate::model::limits::DESCRIPTION_MAX),
];

/// The longest key of an object (Azure's tag names, the longest keys it returns, stop at 512).
const KEY_MAX: usize = 1_024;

/// A value (or key) longer than its limit, found by the counting pass.
#[derive(Debug, Clone, Copy)]
struct Overlong {
    field: &'static str,
    length: usize,
    max: usize,
}

pub(crate) fn parse_with_limit(text: &str, file: &str, limit: u64) -> Result<Value, ImportError> {
    if let Some(offset) = too_deep_at(text) {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |nl| nl + 1);
        return Err(ImportError::NotJson {
            file: file.to_string(),
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            reason: format!(
                "it nests {} levels deep or more, deeper than any Azure export",
                MAX_JSON_DEPTH + 1
            ),
        });
    }
    let remaining = Cell::new(limit);
    let overlong = Cell::new(None);
    let mut counter = serde_json::Deserializer::from_str(text);
    let counted = CountValues {
        remaining: &remaining,
        overlong: &overlong,
        limit: None,
    }
    .deserialize(&mut counter)
    .and_then(|()| counter.end());
    if let Err(error) = counted {
        if remaining.get() == 0 {
            return Err(ImportError::TooManyValues {
                file: file.to_string(),
                limit,
            });
        }
        if let Some(Overlong { field, length, max }) = overlong.get() {
            let start = string_start(text, error.line(), error.column());
            let (line, column) = crate::io::design_file::line_column(text, start);
            let what = if field == "key" {
                "a key".to_string()
            } else {
                format!("the `{field}` value")
            };
            return Err(ImportError::TooLong {
                file: file.to_string(),
                line,
                column,
                reason: format!(
                    "{what} has {length} characters, more than the {max} any Azure export holds; check that this is the export Azure tools printed"
                ),
            });
        }
        return Err(json_error(error, text, file));
    }
    serde_json::from_str(text).map_err(|e| json_error(e, text, file))
}

/// The byte offset where the string value ending at serde_json's error position starts (its
/// opening quote): serde_json reports an error raised while reading a string at the string's
/// end.
fn string_start(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let bytes = text.as_bytes();
    let mut at = (line_start + column).min(bytes.len());
    // Back to the closing quote, then to the first quote before it that is not escaped.
    while at > 0 && bytes[at - 1] != b'"' {
        at -= 1;
    }
    at = at.saturating_sub(1);
    while at > 0 {
        at -= 1;
        if bytes[at] == b'"' {
            let backslashes = bytes[..at]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if backslashes % 2 == 0 {
                return at;
            }
        }
    }
    0
}

fn json_error(error: serde_json::Error, text: &str, file: &str) -> ImportError {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the position is reported separately. Its
    // messages may quote a value whole ("invalid type: string \"…\""): bounded.
    let reason = message.split(" at line ").next().unwrap_or(&message);
    let reason = crate::io::text::bounded_message(reason);
    let (line, column) = json_position(text, error.line(), error.column());
    ImportError::NotJson {
        file: file.to_string(),
        line,
        column,
        reason,
    }
}

/// serde_json's position (a line and a byte column) as a 1-based line and character column
/// inside `text`. serde_json reports column 0 when it stops on a newline (a line break inside a
/// string, a file that ends too early): that is the newline ending the line before.
fn json_position(text: &str, line: usize, column: usize) -> (usize, usize) {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut offset = match column {
        0 => line_start.saturating_sub(1),
        _ => line_start + column - 1,
    }
    .min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    crate::io::design_file::line_column(text, offset)
}

/// A serde visitor that walks any JSON without building it, counting values down to zero and
/// measuring keys and the strings of the fields in [`FIELD_LIMITS`].
struct CountValues<'a> {
    remaining: &'a Cell<u64>,
    overlong: &'a Cell<Option<Overlong>>,
    /// The limit of the value being walked, from its key.
    limit: Option<(&'static str, usize)>,
}

impl CountValues<'_> {
    fn tick<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.remaining.get() {
            0 => Err(E::custom("too many values")),
            n => {
                self.remaining.set(n - 1);
                Ok(())
            }
        }
    }
    fn again(&self, limit: Option<(&'static str, usize)>) -> Self {
        CountValues {
            remaining: self.remaining,
            overlong: self.overlong,
            limit,
        }
    }
}

/// Reads an object's key: refuses an overlong one, and returns the limit of its value.
struct Key<'a> {
    overlong: &'a Cell<Option<Overlong>>,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = Option<(&'static str, usize)>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = Option<(&'static str, usize)>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        let length = key.chars().count();
        if length > KEY_MAX {
            self.overlong.set(Some(Overlong {
                field: "key",
                length,
                max: KEY_MAX,
            }));
            return Err(E::custom("key too long"));
        }
        Ok(FIELD_LIMITS
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(key))
            .copied())
    }
}

impl<'de> DeserializeSeed<'de> for CountValues<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CountValues<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.tick()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.tick()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.tick()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.tick()
    }
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<(), E> {
        if let Some((field, max)) = self.limit {
            let length = value.chars().count();
            if length > max {
                self.overlong.set(Some(Overlong { field, length, max }));
                return Err(E::custom("value too long"));
            }
        }
        self.tick()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.tick()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.tick()?;
        // A list under a bounded key (`"addressPrefixes"`-like lists have none) keeps its limit.
        while seq.next_element_seed(self.again(self.limit))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.tick()?;
        let key = || Key {
            overlong: self.overlong,
        };
        while let Some(limit) = map.next_key_seed(key())? {
            self.tick()?;
            map.next_value_seed(self.again(limit))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_count_is_bounded_before_building_a_tree() {
        let text = format!("[{}0]", "0,".repeat(100));
        assert!(matches!(
            parse_with_limit(&text, "f", 50),
            Err(ImportError::TooManyValues { .. })
        ));
        assert!(parse_with_limit(&text, "f", 500).is_ok());
    }

    #[test]
    fn depth_is_measured_outside_strings_up_to_what_serde_json_reads() {
        let deepest = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert!(parse(&deepest, "f").is_ok());
        let deeper = format!("[{deepest}]");
        match parse(&deeper, "f") {
            Err(ImportError::NotJson { line, column, .. }) => assert_eq!((line, column), (1, 128)),
            other => panic!("{other:?}"),
        }
        let quoted = format!("[\"{}\\\"{}\"]", "[".repeat(200), "{".repeat(200));
        assert!(parse(&quoted, "f").is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse(&text, "deep.json").unwrap_err().to_string();
        assert!(err.contains("128 levels"), "{err}");
    }

    #[test]
    fn overlong_values_and_keys_are_refused_where_they_start() {
        let name = "n".repeat(2_000);
        let text = format!("[\n  {{\"id\": \"/x\", \"Name\": \"{name}\"}}\n]");
        match parse(&text, "f.json") {
            Err(ImportError::TooLong {
                line,
                column,
                reason,
                ..
            }) => {
                assert_eq!((line, column), (2, 24), "{reason}");
                assert_eq!(
                    reason,
                    "the `name` value has 2000 characters, more than the 1024 any Azure export holds; check that this is the export Azure tools printed"
                );
            }
            other => panic!("{other:?}"),
        }
        let escaped = format!("[{{\"location\": \"a\\\"b{}\"}}]", "x".repeat(100));
        match parse(&escaped, "f.json") {
            Err(ImportError::TooLong { line, column, .. }) => assert_eq!((line, column), (1, 15)),
            other => panic!("{other:?}"),
        }
        let key = format!("{{\"{}\": 1}}", "k".repeat(KEY_MAX + 1));
        assert!(matches!(
            parse(&key, "f.json"),
            Err(ImportError::TooLong {
                line: 1,
                column: 2,
                ..
            })
        ));
        let fine = format!("[{{\"tags\": {{\"x\": \"{}\"}}}}]", "v".repeat(5_000));
        assert!(
            parse(&fine, "f.json").is_ok(),
            "tag values are not bounded here"
        );
    }

    #[test]
    fn json_errors_point_inside_the_file() {
        let at = |text: &str| match parse(text, "x.json") {
            Err(ImportError::NotJson { line, column, .. }) => (line, column),
            other => panic!("{other:?}"),
        };
        // A file that ends too early: the end of its last line, not column 0 of the next.
        assert_eq!(at("{\n  \"a\": 1\n"), (2, 9));
        // A line break inside a string: the newline, at the end of the line it ends.
        assert_eq!(at("[\"ab\ncd\"]"), (1, 5));
        // Columns count characters, not bytes.
        assert_eq!(at("[\"éé\", x]"), (1, 8));
    }
}
