//! The one bounded reader for every file vnetlab reads (design files, lessons, Azure exports and
//! templates, files the TUI opens, recovery copies, settings): a folder is refused by name, the size is checked from the
//! file's metadata against the limit of its kind of input before a byte is read, and text is
//! decoded by [`crate::io::text::decode`] (UTF-8, or UTF-16 with a byte-order mark) with the
//! position of the first byte that is not text. Each refusal is one [`ReadError`] variant that
//! names the file (and, for size, the limit), whichever reader asked.
//!
//! Cost: one `metadata` call and one read of the whole file; nothing is streamed, which is why
//! the limits exist.

use super::text::NotText;
use std::path::Path;

/// Design files larger than this are refused before reading (a hand-made design is kilobytes;
/// a generated 2,000-endpoint one a few megabytes).
pub const MAX_DESIGN_BYTES: u64 = 64 * 1024 * 1024;

/// Lesson files larger than this are refused before reading (a lesson holds at most two
/// designs, its start and its solution).
pub const MAX_LESSON_BYTES: u64 = MAX_DESIGN_BYTES;

/// Export (and template) files larger than this are refused before reading.
pub const MAX_EXPORT_BYTES: u64 = 64 * 1024 * 1024;

/// Settings files (keymap, theme, lesson progress) larger than this are refused before reading:
/// each is a few kilobytes.
pub const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// What a file is read as, which sets its size limit and the words of a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A `.ron` design file (or any file the TUI opens, which may also be an export).
    Design,
    /// A lesson file.
    Lesson,
    /// An Azure export, ARM template or Terraform JSON.
    Export,
    /// A file of settings vnetlab keeps in its folders (keymap, theme, lesson progress).
    Settings,
}

impl InputKind {
    /// The largest file of this kind vnetlab reads, in bytes.
    pub const fn limit(self) -> u64 {
        match self {
            InputKind::Design => MAX_DESIGN_BYTES,
            InputKind::Lesson => MAX_LESSON_BYTES,
            InputKind::Export => MAX_EXPORT_BYTES,
            InputKind::Settings => MAX_SETTINGS_BYTES,
        }
    }

    /// `a design`, `a lesson`, `an export`: what the limit is for.
    const fn noun(self) -> &'static str {
        match self {
            InputKind::Design => "a design",
            InputKind::Lesson => "a lesson",
            InputKind::Export => "an export",
            InputKind::Settings => "a settings file",
        }
    }

    /// What to name instead of a folder.
    const fn file_wanted(self) -> &'static str {
        match self {
            InputKind::Design | InputKind::Export => {
                "a design file in it (a `.ron` design or an Azure export)"
            }
            InputKind::Lesson => "a lesson file in it",
            InputKind::Settings => "a settings file (a keymap or a theme) in it",
        }
    }

    /// What to do about a file over the limit.
    const fn too_large_advice(self) -> &'static str {
        match self {
            InputKind::Design | InputKind::Lesson | InputKind::Settings => "is it the right file?",
            InputKind::Export => "check it is the right file, or split the export",
        }
    }
}

/// Why a file the user named could not be read (as text).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused (missing file, permissions…).
    #[error("{file}: reading failed: {source}")]
    Io {
        /// The file as named.
        file: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A folder was named where a file was expected.
    #[error("{file} is a folder; name {}", .kind.file_wanted())]
    Folder {
        /// The folder as named.
        file: String,
        /// What a file was expected as.
        kind: InputKind,
    },
    /// The file is larger than the limit for its kind of input.
    #[error(
        "{file}: the file is {size} bytes, larger than the {limit}-byte limit for {}; {}",
        .kind.noun(),
        .kind.too_large_advice()
    )]
    TooLarge {
        /// The file as named.
        file: String,
        /// Its size, from its metadata.
        size: u64,
        /// The limit of its kind ([`InputKind::limit`]).
        limit: u64,
        /// What it was read as.
        kind: InputKind,
    },
    /// The bytes are not text.
    #[error("{file}:{}:{}: {at}", .at.line, .at.column)]
    NotText {
        /// The file as named.
        file: String,
        /// Where the text stops, and why.
        at: NotText,
    },
}

/// The bytes of a file of at most `kind`'s limit, refused before reading when it is a folder or
/// larger (both from the metadata).
///
/// # Errors
/// [`ReadError::Io`], [`ReadError::Folder`] or [`ReadError::TooLarge`].
pub fn read_bytes(path: &Path, kind: InputKind) -> Result<Vec<u8>, ReadError> {
    let file = path.display().to_string();
    let io = |source| ReadError::Io {
        file: file.clone(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if metadata.is_dir() {
        return Err(ReadError::Folder { file, kind });
    }
    let (size, limit) = (metadata.len(), kind.limit());
    if size > limit {
        return Err(ReadError::TooLarge {
            file,
            size,
            limit,
            kind,
        });
    }
    std::fs::read(path).map_err(io)
}

/// A file's text: [`read_bytes`], then [`decode`].
///
/// # Errors
/// Those of [`read_bytes`], or [`ReadError::NotText`].
pub fn read_text(path: &Path, kind: InputKind) -> Result<String, ReadError> {
    decode(read_bytes(path, kind)?, &path.display().to_string())
}

/// Bytes to text ([`crate::io::text::decode`]), refused as [`ReadError::NotText`] naming `file`.
///
/// # Errors
/// [`ReadError::NotText`] at the first byte that is not text.
pub fn decode(bytes: Vec<u8>, file: &str) -> Result<String, ReadError> {
    super::text::decode(bytes).map_err(|at| ReadError::NotText {
        file: file.to_string(),
        at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn a_file_over_its_kinds_limit_is_refused_by_its_size_with_the_file_and_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.json");
        // Sparse: the size must come from the metadata, so nothing is read.
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_EXPORT_BYTES + 1).unwrap();
        let error = read_text(&path, InputKind::Export).expect_err("over the limit");
        assert!(
            matches!(
                error,
                ReadError::TooLarge { size, limit: MAX_EXPORT_BYTES, kind: InputKind::Export, .. }
                    if size == MAX_EXPORT_BYTES + 1
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "{}: the file is 67108865 bytes, larger than the 67108864-byte limit for an export; check it is the right file, or split the export",
                path.display()
            )
        );
        let design = read_bytes(&path, InputKind::Design).expect_err("over the limit");
        assert!(
            design.to_string().ends_with(
                "larger than the 67108864-byte limit for a design; is it the right file?"
            ),
            "{design}"
        );
    }

    #[test]
    fn each_kind_of_input_has_its_own_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.ron");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_SETTINGS_BYTES + 1).unwrap();
        let error = read_bytes(&path, InputKind::Settings).expect_err("over the settings limit");
        assert!(
            matches!(
                error,
                ReadError::TooLarge {
                    limit: MAX_SETTINGS_BYTES,
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(
            error.to_string().ends_with(
                "larger than the 1048576-byte limit for a settings file; is it the right file?"
            ),
            "{error}"
        );
        // The same size is well within a design's limit.
        assert_eq!(
            read_bytes(&path, InputKind::Design)
                .map(|b| b.len() as u64)
                .ok(),
            Some(MAX_SETTINGS_BYTES + 1)
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_at_the_first_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = written(dir.path(), "latin1.ron", b"Design(\n  title: \"caf\xE9\")");
        let error = read_text(&path, InputKind::Lesson).expect_err("not text");
        assert!(
            matches!(error, ReadError::NotText { at, .. } if (at.line, at.column, at.byte) == (2, 14, 0xE9)),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "{}:2:14: the file is not text: byte 0xE9 here is not UTF-8; save it as UTF-8",
                path.display()
            )
        );
        // The bytes themselves are read whatever they are: only text readers refuse them.
        assert!(read_bytes(&path, InputKind::Design).is_ok());
    }

    #[test]
    fn a_folder_is_refused_by_name_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_text(dir.path(), InputKind::Design).expect_err("a folder");
        assert!(
            matches!(
                error,
                ReadError::Folder {
                    kind: InputKind::Design,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "{} is a folder; name a design file in it (a `.ron` design or an Azure export)",
                dir.path().display()
            )
        );
        let lesson = read_text(dir.path(), InputKind::Lesson).expect_err("a folder");
        assert!(
            lesson
                .to_string()
                .ends_with("is a folder; name a lesson file in it")
        );
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_text() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("[1]".encode_utf16().flat_map(u16::to_le_bytes));
        let path = written(dir.path(), "ps.json", &bytes);
        assert_eq!(
            read_text(&path, InputKind::Export).ok().as_deref(),
            Some("[1]")
        );
    }
}
