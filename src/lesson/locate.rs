//! Finding a value in RON text by its path (`goals` → item 2 → `check` → `from`), so that a
//! lesson's semantic errors (an unknown endpoint, an unknown diagnostic code) point at the exact
//! line and column, as ron's own syntax errors do.
//!
//! This is a small scanner, not a parser: it runs only on text ron has already accepted, skips
//! strings (plain and raw), characters and comments, and tracks bracket depth. Every step is
//! linear in the text it looks at; a path that does not match stops at the deepest value found.

use std::ops::Range;

/// One step of a path into a RON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    /// The value of this field of a struct (or struct-like enum variant).
    Field(&'a str),
    /// The item at this index of a list.
    Item(usize),
    /// The content of a newtype enum variant, `Inline(…)` → `…`.
    Inner,
}

/// The byte offset of the value at `path`, or of the deepest value on the way when the path does
/// not match the text (so an error still points near its cause).
pub(crate) fn offset_of_path(source: &str, path: &[Step]) -> usize {
    let Some(mut value) = top_value(source) else {
        return 0;
    };
    for step in path {
        let next = match *step {
            Step::Field(name) => field(source, value.clone(), name),
            Step::Item(index) => list_items(source, value.clone()).into_iter().nth(index),
            Step::Inner => parens_body(source, value.clone()).map(|body| {
                let start = skip_trivia(source, body.start);
                start..value_end(source, start)
            }),
        };
        match next {
            Some(found) => value = found,
            None => break,
        }
    }
    value.start
}

/// The range of the value at `path`, when the whole path matches.
pub(crate) fn range_of_path(source: &str, path: &[Step]) -> Option<Range<usize>> {
    let mut value = top_value(source)?;
    for step in path {
        value = match *step {
            Step::Field(name) => field(source, value, name)?,
            Step::Item(index) => list_items(source, value).into_iter().nth(index)?,
            Step::Inner => {
                let body = parens_body(source, value)?;
                let start = skip_trivia(source, body.start);
                start..value_end(source, start)
            }
        };
    }
    Some(value)
}

/// Whether the top-level value starts with this identifier (`Design` in `Design(…)`).
pub(crate) fn top_value_is(source: &str, ident: &str) -> bool {
    top_value(source).is_some_and(|v| {
        source[v]
            .strip_prefix(ident)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
    })
}

/// The top-level value, after `#![enable(…)]` attributes and comments.
fn top_value(source: &str) -> Option<Range<usize>> {
    let mut at = skip_trivia(source, 0);
    while source[at..].starts_with("#!") {
        let close = source[at..].find(']')?;
        at = skip_trivia(source, at + close + 1);
    }
    (at < source.len()).then(|| at..value_end(source, at))
}

/// The first offset at or after `at` that is not whitespace or a comment.
fn skip_trivia(source: &str, mut at: usize) -> usize {
    let bytes = source.as_bytes();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        // Bytes, not `str` slices: `at` may sit inside a multi-byte character of a damaged
        // file, and only an ASCII `/` can start a comment.
        if bytes[at..].starts_with(b"//") {
            at = source[at..]
                .find('\n')
                .map_or(source.len(), |nl| at + nl + 1);
        } else if bytes[at..].starts_with(b"/*") {
            at = block_comment_end(source, at);
        } else {
            return at;
        }
    }
}

/// The end of a (possibly nested) block comment starting at `at`.
fn block_comment_end(source: &str, at: usize) -> usize {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = at;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    source.len()
}

/// The end of a string, raw string or character literal starting at `at`, if one starts there.
fn literal_end(source: &str, at: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    match bytes.get(at)? {
        b'"' => Some(quoted_end(bytes, at, b'"')),
        b'\'' => Some(quoted_end(bytes, at, b'\'')),
        b'r' if matches!(bytes.get(at + 1), Some(b'"' | b'#')) => {
            let hashes = bytes[at + 1..].iter().take_while(|&&b| b == b'#').count();
            let open = at + 1 + hashes;
            if bytes.get(open) != Some(&b'"') {
                return None;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            Some(
                source[open + 1..]
                    .find(&close)
                    .map_or(source.len(), |i| open + 1 + i + close.len()),
            )
        }
        _ => None,
    }
}

/// The end of a literal quoted by `quote`, honouring backslash escapes.
fn quoted_end(bytes: &[u8], at: usize, quote: u8) -> usize {
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of the value starting at `at`: up to the comma or closing bracket that ends it.
fn value_end(source: &str, at: usize) -> usize {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = at;
    let mut last_significant = at;
    while i < bytes.len() {
        if let Some(end) = literal_end(source, i) {
            i = end;
            last_significant = i;
            continue;
        }
        // Bytes: `i` steps through multi-byte characters one byte at a time.
        if bytes[i..].starts_with(b"//") || bytes[i..].starts_with(b"/*") {
            i = skip_trivia(source, i);
            continue;
        }
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return last_significant;
                }
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' if depth == 0 => return last_significant,
            _ => {}
        }
        i += 1;
        if !bytes[i - 1].is_ascii_whitespace() {
            last_significant = i;
        }
    }
    last_significant
}

/// The text between the parentheses of `Name(…)` or `(…)`.
fn parens_body(source: &str, value: Range<usize>) -> Option<Range<usize>> {
    let open = source[value.clone()].find('(')? + value.start;
    // Only an identifier may precede the parenthesis.
    let before = source[value.start..open].trim();
    if !before.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let close = value.end.checked_sub(1)?;
    (source.as_bytes().get(close) == Some(&b')') && close > open).then_some(open + 1..close)
}

/// The comma-separated items at depth 0 of `body`.
fn items(source: &str, body: Range<usize>) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut at = skip_trivia(source, body.start);
    while at < body.end {
        let end = value_end(source, at).min(body.end);
        if end > at {
            found.push(at..end);
        }
        let mut next = skip_trivia(source, end);
        if source.as_bytes().get(next) == Some(&b',') {
            next += 1;
        }
        let next = skip_trivia(source, next);
        if next <= at {
            break;
        }
        at = next;
    }
    found
}

/// The value of field `name` in a struct value `Name(a: …, b: …)`.
fn field(source: &str, value: Range<usize>, name: &str) -> Option<Range<usize>> {
    let body = parens_body(source, value)?;
    items(source, body).into_iter().find_map(|item| {
        let text = &source[item.clone()];
        let rest = text.strip_prefix(name)?;
        let colon = rest.len() - rest.trim_start().len();
        rest.trim_start().strip_prefix(':')?;
        let start = skip_trivia(source, item.start + name.len() + colon + 1);
        Some(start..item.end)
    })
}

/// The items of a list value `[…]`.
fn list_items(source: &str, value: Range<usize>) -> Vec<Range<usize>> {
    let text = &source[value.clone()];
    if !text.starts_with('[') || !text.ends_with(']') {
        return Vec::new();
    }
    items(source, value.start + 1..value.end - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r##"#![enable(implicit_some)]
// a comment with Goal( and "quotes
Lesson(
    id: "x",
    pages: ["a, (b", r#"raw "quoted", text"#],
    goals: [
        Goal(check: Reach(from: "vm-a", to: "vm-b"), pass: "ok"),
        /* between */ Goal(
            check: Diagnostic(code: "PEERING_X", on: 'c'),
        ),
    ],
    start: Inline(Design(version: 1)),
)
"##;

    fn at(path: &[Step]) -> &'static str {
        let range = range_of_path(TEXT, path).unwrap();
        &TEXT[range]
    }

    /// Found by the long fuzz run (seed 1796007990028829719): a multi-byte character outside
    /// any string, in a damaged file, made the scan slice a `str` inside it and panic.
    #[test]
    fn multi_byte_characters_outside_strings_do_not_panic() {
        use Step::*;
        let damaged = "Lesson(\n    id: 名/x, pages: [名//c\n], goals: [名/*c*/],\n)";
        for path in [
            &[Field("id")][..],
            &[Field("pages"), Item(0)],
            &[Field("goals"), Item(0)],
            &[Field("missing")],
        ] {
            let _ = range_of_path(damaged, path);
            let _ = offset_of_path(damaged, path);
        }
        assert_eq!(
            range_of_path(damaged, &[Field("id")]).map(|r| &damaged[r]),
            Some("名/x")
        );
    }

    #[test]
    fn finds_fields_items_and_newtype_contents() {
        use Step::*;
        assert_eq!(at(&[Field("id")]), "\"x\"");
        assert_eq!(
            at(&[Field("pages"), Item(1)]),
            "r#\"raw \"quoted\", text\"#"
        );
        assert_eq!(
            at(&[Field("goals"), Item(0), Field("check"), Field("to")]),
            "\"vm-b\""
        );
        assert_eq!(
            at(&[Field("goals"), Item(1), Field("check"), Field("code")]),
            "\"PEERING_X\""
        );
        assert_eq!(at(&[Field("start"), Inner, Field("version")]), "1");
    }

    #[test]
    fn a_path_that_does_not_match_stops_at_the_deepest_value() {
        use Step::*;
        let goals = range_of_path(TEXT, &[Field("goals")]).unwrap().start;
        assert_eq!(offset_of_path(TEXT, &[Field("goals"), Item(7)]), goals);
        assert!(range_of_path(TEXT, &[Field("nothing")]).is_none());
        assert_eq!(offset_of_path("", &[Field("x")]), 0);
    }
}
