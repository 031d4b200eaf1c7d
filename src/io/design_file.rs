//! The design-file format: RON with a `version` field, objects in the order the user made
//! them, defaults left out, so files stay short, hand-editable and diff well.
//!
//! Parsing reports the first problem with line, column and one sentence that says what to fix,
//! whether it is a syntax error, a bad value (an invalid CIDR) or a broken invariant (an unknown
//! reference, a duplicate name, an IP outside its subnet).

use crate::model::{Design, FORMAT_VERSION, ModelError};
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

/// Only the version, read before the rest so an old or new file gets the right message.
#[derive(Deserialize)]
#[serde(rename = "Design")]
struct VersionProbe {
    version: Option<u32>,
}

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(64)
}

/// Parses design-file text; `file` names the source in error messages.
///
/// ```
/// use vnetlab::io::parse_design;
/// let err = parse_design("Design(version: 1, vnets: [Vnet(name: \"a\", region: \"eastus\",\n  address_space: [\"10.0.0.0/33\"])])", "x.ron").unwrap_err();
/// assert_eq!((err.line, err.file.as_str()), (2, "x.ron"));
/// assert!(err.message.contains("invalid CIDR `10.0.0.0/33`"));
/// ```
pub fn parse_design(source: &str, file: &str) -> Result<Design, LoadError> {
    let at = |line: usize, column: usize, message: String| LoadError {
        file: file.to_string(),
        line,
        column,
        message,
    };
    if source.trim().is_empty() {
        return Err(at(
            1,
            1,
            "the file is empty; a design starts with `Design(version: 1, …)`".to_string(),
        ));
    }
    let options = ron_options();
    // The version decides which format applies, so check it first when it can be read.
    if let Ok(probe) = options.from_str::<VersionProbe>(source) {
        let (line, column) = locate(source, &["version".to_string()]).unwrap_or((1, 1));
        match probe.version {
            None => {
                return Err(at(
                    1,
                    1,
                    format!(
                        "missing `version`; add `version: {FORMAT_VERSION},` as the first field of `Design(…)`"
                    ),
                ));
            }
            Some(v) if v != FORMAT_VERSION => {
                return Err(at(
                    line,
                    column,
                    format!(
                        "unsupported design-file version {v}; this vnetlab reads version {FORMAT_VERSION}, so upgrade vnetlab or set `version: {FORMAT_VERSION}`"
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    let design: Design = options
        .from_str(source)
        .map_err(|e| ron_error(source, file, &e))?;
    if let Some(error) = design.validate().into_iter().next() {
        let (line, column) = locate(source, &error.anchors).unwrap_or((1, 1));
        return Err(at(line, column, error.message));
    }
    Ok(design)
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
    let offset = refine_offset(source, reported, &message);
    let (line, column) = line_column(source, offset);
    LoadError {
        file: file.to_string(),
        line,
        column,
        message,
    }
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

/// Value errors name the bad text in backticks (`invalid CIDR `10.0.0.0/33``); ron reports them
/// where the value (or its whole list) ends. Point at the quoted value itself instead, when it
/// appears shortly before the reported position.
fn refine_offset(source: &str, reported: usize, message: &str) -> usize {
    let Some(value) = message.split('`').nth(1) else {
        return reported;
    };
    let quoted = format!("\"{value}\"");
    let end = (reported + quoted.len()).min(source.len());
    let window_start = end.saturating_sub(4096);
    let window = source.get(window_start..end).unwrap_or("");
    window.rfind(&quoted).map_or(reported, |i| window_start + i)
}

/// Finds the position of the last anchor, each searched after the previous one.
/// Returns 1-based (line, column).
pub(crate) fn locate(source: &str, anchors: &[String]) -> Option<(usize, usize)> {
    let mut from = 0;
    let mut found = None;
    for anchor in anchors {
        let variants = [anchor.clone(), anchor.replace(": ", ":")];
        let hit = variants
            .iter()
            .filter_map(|a| source[from..].find(a.as_str()))
            .min();
        match hit {
            Some(offset) => {
                found = Some(from + offset);
                from += offset + 1;
            }
            None => break,
        }
    }
    found.map(|offset| line_column(source, offset))
}

/// Writes a design as RON text: stable field order, defaults omitted.
pub fn to_ron(design: &Design) -> String {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .extensions(Extensions::IMPLICIT_SOME)
        .indentor("    ")
        .new_line("\n");
    let mut text = ron::ser::to_string_pretty(design, config).unwrap_or_else(|e| {
        // Serialising plain data cannot fail; keep a readable trace should a future type break it.
        format!("// vnetlab could not write this design: {e}\n")
    });
    text.push('\n');
    text
}

/// Checks that a model error's anchors make sense for a given source (used by tests).
#[doc(hidden)]
pub fn locate_error(source: &str, error: &ModelError) -> Option<(usize, usize)> {
    locate(source, &error.anchors)
}
