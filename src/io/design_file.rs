//! The design-file format: RON with a `version` field, objects in the order the user made
//! them, defaults left out, so files stay short, hand-editable and diff well.
//!
//! Parsing reports the first problem with line, column and one sentence that says what to fix,
//! whether it is a syntax error, a bad value (an invalid CIDR) or a broken invariant (an unknown
//! reference, a duplicate name, an IP outside its subnet).

use crate::model::{Anchor, Design, FORMAT_VERSION, ModelError};
use ron::extensions::Extensions;
use serde::Deserialize;
use std::fmt;

/// Why a design file could not be read: where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// One sentence: what is wrong and what to do.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl LoadError {
    /// An error at 1-based `line` and `column` of `file`.
    pub(crate) fn at(file: &str, (line, column): (usize, usize), message: String) -> Self {
        LoadError {
            file: file.to_string(),
            line,
            column,
            message,
        }
    }
}

/// Refuses text that is only whitespace, at 1:1, saying how a `what` file starts
/// (`` `Design(version: 1, …)` ``): shared by every RON format vnetlab reads.
pub(crate) fn refuse_empty(
    source: &str,
    file: &str,
    what: &str,
    root: &str,
    version: u32,
) -> Result<(), LoadError> {
    if source.trim().is_empty() {
        return Err(LoadError::at(
            file,
            (1, 1),
            format!("the file is empty; a {what} starts with `{root}(version: {version}, …)`"),
        ));
    }
    Ok(())
}

/// Only the version, read before the rest so an old or new file gets the right message.
#[derive(Deserialize)]
#[serde(rename = "Design")]
struct VersionProbe {
    version: Option<u32>,
}

/// What is wrong with a file's `version` (`found`, from a probe) when this vnetlab reads
/// `expected`: whether the error belongs at the field (else at the start), and the sentence.
/// `what` names the format (`design`, `lesson`) and `root` its outer struct (`Design`).
pub(crate) fn version_problem(
    found: Option<u32>,
    expected: u32,
    what: &str,
    root: &str,
) -> Option<(bool, String)> {
    match found {
        None => Some((
            false,
            format!(
                "missing `version`; add `version: {expected},` as the first field of `{root}(…)`"
            ),
        )),
        Some(v) if v != expected => Some((
            true,
            format!(
                "unsupported {what}-file version {v}; this vnetlab reads version {expected}, so upgrade vnetlab or set `version: {expected}`"
            ),
        )),
        Some(_) => None,
    }
}

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(64)
}

/// Parses design-file text; `file` names the source in error messages. Everything
/// [`Design::validate`] checks is refused here too, limits first (a name longer than Azure
/// allows, a control character, …), and every message quotes at most a short prefix of a bad
/// value.
///
/// ```
/// use vnetlab::io::parse_design;
/// let err = parse_design("Design(version: 1, vnets: [Vnet(name: \"a\", region: \"eastus\",\n  address_space: [\"10.0.0.0/33\"])])", "x.ron").unwrap_err();
/// assert_eq!((err.line, err.file.as_str()), (2, "x.ron"));
/// assert!(err.message.contains("invalid CIDR `10.0.0.0/33`"));
/// ```
pub fn parse_design(source: &str, file: &str) -> Result<Design, LoadError> {
    parse_unbounded(source, file).map_err(bounded)
}

/// The error with its message bounded ([`super::text::bounded_message`]): no value it quotes,
/// however long, is echoed whole.
pub(crate) fn bounded(mut error: LoadError) -> LoadError {
    error.message = super::text::bounded_message(&error.message);
    error
}

fn parse_unbounded(source: &str, file: &str) -> Result<Design, LoadError> {
    let at =
        |line: usize, column: usize, message: String| LoadError::at(file, (line, column), message);
    refuse_empty(source, file, "design", "Design", FORMAT_VERSION)?;
    let options = ron_options();
    // The version decides which format applies, so check it first when it can be read.
    if let Ok(probe) = options.from_str::<VersionProbe>(source)
        && let Some((at_field, message)) =
            version_problem(probe.version, FORMAT_VERSION, "design", "Design")
    {
        let (line, column) = source
            .find("version")
            .filter(|_| at_field)
            .map_or((1, 1), |offset| line_column(source, offset));
        return Err(at(line, column, message));
    }
    let design: Design = options
        .from_str(source)
        .map_err(|e| ron_error(source, file, &e))?;
    if let Some(error) = design.validate().into_iter().next() {
        let (line, column) = locate(source, &error.anchors()).unwrap_or((1, 1));
        return Err(at(line, column, error.to_string()));
    }
    Ok(design)
}

/// Parses a design file's bytes: they are decoded first ([`super::text::decode`]: UTF-8, or
/// UTF-16 with a byte-order mark), and bytes that are not text are refused at the first one.
pub fn parse_design_bytes(bytes: Vec<u8>, file: &str) -> Result<Design, LoadError> {
    let text = super::text::decode(bytes).map_err(|not_text| LoadError {
        file: file.to_string(),
        line: not_text.line,
        column: not_text.column,
        message: not_text.to_string(),
    })?;
    parse_design(&text, file)
}

/// A ron syntax or value error as a [`LoadError`]: the position ron reports (moved onto the
/// quoted bad value when the message names one) and a sentence that says what to do. Lesson
/// files (`crate::lesson`) report their syntax errors through this too.
pub(crate) fn ron_error(source: &str, file: &str, e: &ron::error::SpannedError) -> LoadError {
    let reported = offset_of(source, e.span.start.line, e.span.start.col);
    let mut message = explain_ron_error(&e.code);
    if source[reported.min(source.len())..].trim().is_empty() {
        message = "the file ends too early: a bracket or parenthesis is not closed".to_string();
    }
    let offset = match e.code {
        ron::Error::Message(_) => value_start(source, reported),
        _ => reported,
    };
    LoadError::at(file, line_column(source, offset), message)
}

/// Turns ron's error into a sentence that says what to do.
fn explain_ron_error(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Message(message) => message.clone(),
        E::MissingStructField { field, outer } => {
            let outer = outer.as_deref().unwrap_or("the object");
            format!("`{outer}` is missing its `{field}` field; add `{field}: …`")
        }
        E::NoSuchStructField {
            found: field,
            expected,
            outer,
        } => {
            let outer = outer.as_deref().unwrap_or("the object");
            format!(
                "`{outer}` has no field `{field}`; check the spelling (expected one of: {})",
                expected.join(", ")
            )
        }
        E::DuplicateStructField { field, outer } => {
            let outer = outer.as_deref().unwrap_or("the object");
            format!("`{outer}` sets `{field}` twice; keep one")
        }
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let outer = outer.as_deref().unwrap_or("this field");
            format!(
                "`{found}` is not a valid {outer}; use one of: {}",
                expected.join(", ")
            )
        }
        E::Eof => "the file ends too early; a bracket or parenthesis is not closed".to_string(),
        E::ExpectedComma => "expected a comma between these items".to_string(),
        E::ExceededRecursionLimit => "the file nests too deeply to be a design".to_string(),
        other => format!("{other}; fix the syntax here (see the files in saves/ for the format)"),
    }
}

/// Byte offset of a 1-based line and column (columns count characters).
pub(crate) fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let line_start: usize = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &source[line_start.min(source.len())..];
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |nl| nl + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// A bad value (an invalid CIDR, region or flow: a custom error of the value's reader) is
/// reported with the span of the string that holds it, which starts after the opening quote:
/// point at the quote, where the value starts as the user sees it.
fn value_start(source: &str, reported: usize) -> usize {
    match source.get(..reported) {
        Some(before) if before.ends_with('"') => reported - 1,
        _ => reported,
    }
}

/// A string as a design file writes it: quoted, with RON's escapes.
fn quoted(text: &str) -> String {
    ron::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// The ways a string may be written in a design file: with RON's escapes, or as it is (a
/// control character written raw, which RON also reads).
fn spellings(text: &str) -> Vec<String> {
    let escaped = quoted(text);
    let raw = format!("\"{text}\"");
    if escaped == raw {
        vec![escaped]
    } else {
        vec![escaped, raw]
    }
}

/// The offset of an object's `name: "…"` field at or after `from` (any spacing around the
/// colon): the offset of `name`.
fn find_name(source: &str, from: usize, name: &str) -> Option<usize> {
    spellings(name)
        .iter()
        .filter_map(|quoted| find_name_written(source, from, quoted))
        .min()
}

/// [`find_name`] for one spelling of the quoted name.
fn find_name_written(source: &str, from: usize, quoted: &str) -> Option<usize> {
    let mut at = from;
    while let Some(i) = source.get(at..)?.find(quoted) {
        let value = at + i;
        let key_end = source[..value]
            .trim_end()
            .strip_suffix(':')
            .map(str::trim_end);
        if let Some(key) = key_end.and_then(|k| k.strip_suffix("name")) {
            let start = key.len();
            let whole_word = !key.ends_with(|c: char| c.is_alphanumeric() || c == '_');
            if whole_word && start >= from {
                return Some(start);
            }
        }
        at = value + 1;
    }
    None
}

/// Finds the position of the last anchor, each searched after the previous one (so a duplicate
/// name's second anchor finds its second occurrence). Returns 1-based (line, column).
pub(crate) fn locate(source: &str, anchors: &[Anchor]) -> Option<(usize, usize)> {
    let mut from = 0;
    let mut found = None;
    for anchor in anchors {
        let hit = match anchor {
            Anchor::Name(name) => find_name(source, from, name),
            Anchor::Value(value) => spellings(value)
                .iter()
                .filter_map(|quoted| source.get(from..)?.find(quoted.as_str()))
                .min()
                .map(|i| from + i),
        };
        match hit {
            Some(offset) => {
                found = Some(offset);
                from = offset + 1;
            }
            None => break,
        }
    }
    found.map(|offset| line_column(source, offset))
}

/// Why a design could not be written as text. Nothing is written when this happens.
#[derive(Debug, thiserror::Error)]
#[error("vnetlab could not write this design as text: {0}")]
pub struct WriteError(#[from] ron::Error);

/// Writes a design as RON text: stable field order, defaults omitted.
///
/// ```
/// use vnetlab::io::{parse_design, to_ron};
/// use vnetlab::model::Design;
/// let text = to_ron(&Design::example_pair()).unwrap();
/// assert_eq!(parse_design(&text, "pair.ron").unwrap(), Design::example_pair());
/// ```
pub fn to_ron(design: &Design) -> Result<String, WriteError> {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .extensions(Extensions::IMPLICIT_SOME)
        .indentor("    ")
        .new_line("\n");
    let mut text = ron::ser::to_string_pretty(design, config)?;
    text.push('\n');
    Ok(text)
}

/// Where a model error is in a design file's text, as the loader reports it (used by tests).
#[doc(hidden)]
pub fn locate_error(source: &str, error: &ModelError) -> Option<(usize, usize)> {
    locate(source, &error.anchors())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_whatever_the_spacing_and_not_inside_longer_keys() {
        let source = "Design(vms: [Vm(hostname: \"web\"), Vm(name :\"web\")])";
        let at = source.find("name :").unwrap();
        assert_eq!(find_name(source, 0, "web"), Some(at));
        assert_eq!(
            locate(source, &[Anchor::Name("web".into())]),
            Some((1, at + 1))
        );
    }

    #[test]
    fn a_duplicate_is_found_at_its_second_occurrence() {
        let source = "A(name: \"x\")\nB(name: \"x\")";
        let anchors = [Anchor::Name("x".into()), Anchor::Name("x".into())];
        assert_eq!(locate(source, &anchors), Some((2, 3)));
    }

    #[test]
    fn names_with_quotes_are_found_as_written() {
        let source = r#"Vm(name: "a\"b", x: 1)"#;
        assert_eq!(find_name(source, 0, "a\"b"), Some(3));
    }
}
