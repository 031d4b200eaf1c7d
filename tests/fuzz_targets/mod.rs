//! The fuzz targets for the readers: each takes one mutated file ([`Mutated`]) and says whether
//! the reader accepted or refused it, or which promise it broke. The promises, for every input:
//! nothing panics; a refusal names the file and, where the format has positions (RON, JSON,
//! text that is not UTF-8, a value too long), gives a line and column inside the file, and is
//! one sentence of bounded length without control characters; a refusal without a position
//! (an import that is the wrong shape, a template that cannot be expanded, which names its place
//! in the template instead) still names the file; an accepted design validates and reads back
//! equal from its own text. Time is measured by the harness (`fuzz::run_batch`), not here.

pub mod seeds;

use crate::fuzz::Outcome;
use crate::fuzz::mutate::Mutated;
use vnetlab::io::azure::{self, ImportError, source};
use vnetlab::io::design_file::parse_design_bytes;
use vnetlab::io::read::ReadError;
use vnetlab::io::text::{MESSAGE_MAX, decode};
use vnetlab::io::{parse_design, to_ron};
use vnetlab::lesson::{Solution, bundled, parse_lesson};
use vnetlab::model::limits::is_disruptive;

/// Checks a refusal: it names the file, has a line and column inside `bytes`, and is one
/// bounded sentence without control characters.
pub fn proper_refusal(
    file: &str,
    line: usize,
    column: usize,
    message: &str,
    bytes: &[u8],
) -> Result<(), String> {
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if file != "fuzz.ron" && file != "fuzz.json" {
        return Err(format!("the refusal names `{file}`, not the file read"));
    }
    if line == 0 || line > lines.len() {
        return Err(format!(
            "line {line} is outside the file ({} lines): {message}",
            lines.len()
        ));
    }
    let width = String::from_utf8_lossy(lines[line - 1]).chars().count();
    if column == 0 || column > width + 1 {
        return Err(format!(
            "column {column} is outside line {line} ({width} characters): {message}"
        ));
    }
    proper_sentence(message)
}

/// Checks a message is one sentence of bounded length without control characters.
pub fn proper_sentence(message: &str) -> Result<(), String> {
    if message.trim().is_empty() || message.trim() != message {
        return Err(format!("not a sentence: {message:?}"));
    }
    if message.chars().count() > MESSAGE_MAX + 1 {
        return Err(format!(
            "a message of {} characters",
            message.chars().count()
        ));
    }
    if let Some(c) = message.chars().find(|&c| is_disruptive(c)) {
        return Err(format!(
            "the message holds control character {c:?}: {message:?}"
        ));
    }
    Ok(())
}

/// An accepted design validates and reads back equal from its own text.
pub fn sound(design: &vnetlab::model::Design, what: &str) -> Result<(), String> {
    if let Some(error) = design.validate().first() {
        return Err(format!(
            "{what} accepted a design that does not validate: {error}"
        ));
    }
    let text =
        to_ron(design).map_err(|e| format!("{what}: the accepted design has no text: {e}"))?;
    match parse_design(&text, "again.ron") {
        Ok(again) if again == *design => Ok(()),
        Ok(_) => Err(format!("{what}: the accepted design reads back different")),
        Err(e) => Err(format!(
            "{what}: the accepted design's own text is refused: {e}"
        )),
    }
}

/// The design reader: bytes through `parse_design_bytes`.
pub fn design_reader(input: &Mutated) -> Result<Outcome, String> {
    match parse_design_bytes(input.bytes.clone(), "fuzz.ron") {
        Ok(design) => sound(&design, "the design reader").map(|()| Outcome::Accepted),
        Err(e) => proper_refusal(&e.file, e.line, e.column, &e.message, &input.bytes)
            .map(|()| Outcome::Refused),
    }
}

/// `fuzz.json:L:C: …` → (L, C, …) for the errors that carry a position.
fn positioned(message: &str) -> Option<(usize, usize, &str)> {
    let rest = message.strip_prefix("fuzz.json:")?;
    let (line, rest) = rest.split_once(':')?;
    let (column, rest) = rest.split_once(": ")?;
    Some((line.parse().ok()?, column.parse().ok()?, rest))
}

/// The Azure importer (and, by content, the template and Terraform importers): bytes through
/// `source::decode` and `import_texts`.
pub fn azure_importer(input: &Mutated) -> Result<Outcome, String> {
    let refused = |error: ImportError| -> Result<Outcome, String> {
        let message = error.to_string();
        let positional = matches!(
            error,
            ImportError::Read(ReadError::NotText { .. })
                | ImportError::NotJson { .. }
                | ImportError::TooLong { .. }
        );
        match positioned(&message) {
            Some((line, column, sentence)) => {
                proper_refusal("fuzz.json", line, column, sentence, &input.bytes)?;
            }
            None if positional => return Err(format!("no position: {message}")),
            None => {
                let sentence = message
                    .strip_prefix("fuzz.json: ")
                    .ok_or_else(|| format!("the refusal does not name the file: {message}"))?;
                proper_sentence(sentence)?;
            }
        }
        Ok(Outcome::Refused)
    };
    let text = match source::decode(input.bytes.clone(), "fuzz.json") {
        Ok(text) => text,
        Err(error) => return refused(error),
    };
    match azure::import_texts(&[("fuzz.json".to_string(), text)]) {
        Ok(imported) => {
            sound(&imported.design, "the importer")?;
            for line in imported.report.to_string().lines() {
                if let Some(c) = line.chars().find(|&c| is_disruptive(c) && c != '\t') {
                    return Err(format!(
                        "the import summary prints control character {c:?}: {line:?}"
                    ));
                }
            }
            Ok(Outcome::Accepted)
        }
        Err(error) => refused(error),
    }
}

/// The lesson reader: bytes through `text::decode` and `parse_lesson` (bundled designs only).
pub fn lesson_reader(input: &Mutated) -> Result<Outcome, String> {
    let text = match decode(input.bytes.clone()) {
        Ok(text) => text,
        Err(at) => {
            return proper_refusal(
                "fuzz.ron",
                at.line,
                at.column,
                &at.to_string(),
                &input.bytes,
            )
            .map(|()| Outcome::Refused);
        }
    };
    match parse_lesson(&text, "fuzz.ron", &bundled::resolve) {
        Ok(lesson) => {
            if let Some(error) = lesson.start.validate().first() {
                return Err(format!(
                    "an accepted lesson's start does not validate: {error}"
                ));
            }
            if let Solution::Design(solved) = &lesson.solution
                && let Some(error) = solved.validate().first()
            {
                return Err(format!(
                    "an accepted lesson's solution does not validate: {error}"
                ));
            }
            Ok(Outcome::Accepted)
        }
        // A design the lesson names is its own file (`bundled:…`): its position is there.
        Err(e) if e.file.starts_with("bundled:") => {
            proper_sentence(&e.message).map(|()| Outcome::Refused)
        }
        Err(e) => proper_refusal(&e.file, e.line, e.column, &e.message, &input.bytes)
            .map(|()| Outcome::Refused),
    }
}
