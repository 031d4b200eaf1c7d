//! The words of the az CLI script: values quoted for bash (with the `shlex` crate), words
//! joining quoted text and script variables, and `az` commands written one flag per line.
//! Values `az` itself would misread are passed as `--flag=value` or refused here.

use std::fmt::Write as _;

/// Why a design cannot be written as a script.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AzCliError {
    /// A value holds a NUL character, which no command-line argument can carry.
    #[error("{value:?} holds a NUL character, which no command-line argument can carry")]
    Nul {
        /// The value, as written in the design.
        value: String,
    },
    /// A value starts with `@`, which `az` reads as the name of a file to load.
    #[error("{value:?} starts with `@`, which az reads as the name of a file to load; rename it")]
    AtSign {
        /// The value, as written in the design.
        value: String,
    },
    /// One of several values of a flag starts with `-`, which `az` reads as an option.
    #[error(
        "{value:?} starts with `-`, which az reads as an option in a list of values; rename it"
    )]
    Dash {
        /// The value, as written in the design.
        value: String,
    },
}

/// A value quoted for bash (and any POSIX shell): unchanged when it needs no quotes, else
/// quoted with the `shlex` crate's rules (single quotes, double quotes around a `'`). An empty
/// value is `''`.
///
/// ```
/// use vnetlab::io::export::shell_quote;
/// assert_eq!(shell_quote("hub").unwrap(), "hub");
/// assert_eq!(shell_quote("a $(b)").unwrap(), "'a $(b)'");
/// assert!(shell_quote("a\0b").is_err());
/// ```
pub fn shell_quote(value: &str) -> Result<String, AzCliError> {
    shlex::try_quote(value)
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| AzCliError::Nul {
            value: value.to_string(),
        })
}

/// A piece of a shell word: literal text (quoted when written) or a script variable.
#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Var(String),
}

/// One shell word, made of literal text and variables (`"${NAME}"`), written without spaces
/// between the parts so the shell joins them.
#[derive(Debug, Clone)]
pub(super) struct Word(Vec<Part>);

impl Word {
    /// A literal word.
    pub(super) fn text(text: impl Into<String>) -> Word {
        Word(vec![Part::Text(text.into())])
    }

    /// A word that is a variable's value.
    pub(super) fn var(name: impl Into<String>) -> Word {
        Word(vec![Part::Var(name.into())])
    }

    /// This word followed by literal text.
    pub(super) fn then_text(mut self, text: impl Into<String>) -> Word {
        self.0.push(Part::Text(text.into()));
        self
    }

    /// This word followed by another.
    pub(super) fn then(mut self, other: Word) -> Word {
        self.0.extend(other.0);
        self
    }

    /// The literal text the word starts with (empty when it starts with a variable).
    fn head(&self) -> &str {
        match self.0.first() {
            Some(Part::Text(text)) => text,
            _ => "",
        }
    }

    fn whole_text(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Var(v) => format!("${{{v}}}"),
            })
            .collect()
    }

    /// The word as bash text.
    pub(super) fn render(&self) -> Result<String, AzCliError> {
        if self.head().starts_with('@') {
            return Err(AzCliError::AtSign {
                value: self.whole_text(),
            });
        }
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Text(text) => out.push_str(&shell_quote(text)?),
                Part::Var(name) => {
                    let _ = write!(out, "\"${{{name}}}\"");
                }
            }
        }
        Ok(out)
    }
}

/// One `az` command: its words (`az network vnet create`), flags with their values, and an
/// optional comment line above it.
#[derive(Debug, Clone)]
pub(super) struct Command {
    head: &'static str,
    flags: Vec<(&'static str, Vec<Word>)>,
    comment: Option<String>,
}

impl Command {
    /// `az …` with no flags yet.
    pub(super) fn new(head: &'static str) -> Command {
        Command {
            head,
            flags: Vec::new(),
            comment: None,
        }
    }

    /// A comment only: something the script does not do, and why.
    pub(super) fn note(text: impl Into<String>) -> Command {
        Command::new("").comment(text)
    }

    /// Adds `--flag value`.
    pub(super) fn arg(mut self, flag: &'static str, value: Word) -> Command {
        self.flags.push((flag, vec![value]));
        self
    }

    /// Adds `--flag value…` (nothing when there are no values).
    pub(super) fn args(mut self, flag: &'static str, values: Vec<Word>) -> Command {
        if !values.is_empty() {
            self.flags.push((flag, values));
        }
        self
    }

    /// Adds a flag without a value (`--no-wait`).
    pub(super) fn switch(mut self, flag: &'static str) -> Command {
        self.flags.push((flag, Vec::new()));
        self
    }

    /// Adds a comment line above the command.
    pub(super) fn comment(mut self, text: impl Into<String>) -> Command {
        self.comment = Some(text.into());
        self
    }

    /// The command as bash lines, one flag per line.
    pub(super) fn render(&self) -> Result<String, AzCliError> {
        let mut out = String::new();
        if let Some(comment) = &self.comment {
            let _ = writeln!(out, "# {}", comment_text(comment));
        }
        if self.head.is_empty() {
            return Ok(out);
        }
        out.push_str(self.head);
        for (flag, values) in &self.flags {
            let _ = write!(out, " \\\n  {flag}");
            match values.as_slice() {
                [one] if one.head().starts_with('-') => {
                    let _ = write!(out, "={}", one.render()?);
                }
                many => {
                    for value in many {
                        if value.head().starts_with('-') {
                            return Err(AzCliError::Dash {
                                value: value.whole_text(),
                            });
                        }
                        let _ = write!(out, " {}", value.render()?);
                    }
                }
            }
        }
        out.push('\n');
        Ok(out)
    }
}

/// Text that stays inside one `#` comment line: control characters (a newline would end the
/// comment and start a command) become spaces.
pub(super) fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What bash makes of a quoted value, or `None` when bash is not installed.
    fn through_bash(word: &str) -> Option<String> {
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("printf '%s' {word}"))
            .output()
            .ok()?;
        assert!(output.status.success(), "{word}");
        Some(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    const HOSTILE: [&str; 12] = [
        "it's",
        "$(touch /tmp/vnetlab-pwned)",
        "`id`",
        "a b\tc",
        "semi;colon && echo x",
        "\"double\"",
        "back\\slash",
        "new\nline",
        "*glob?[a]",
        "~tilde",
        "!bang {a,b} #hash",
        "",
    ];

    #[test]
    fn hostile_values_reach_bash_unchanged() {
        for value in HOSTILE {
            let quoted = shell_quote(value).expect("no NUL");
            if let Some(back) = through_bash(&quoted) {
                assert_eq!(back, value, "{quoted}");
            } else {
                println!("bash is not on the PATH; only the quoting was checked");
            }
            assert!(quoted.starts_with('\'') || !quoted.contains(['$', '`', ' ', ';']));
        }
    }

    #[test]
    fn words_join_variables_and_quoted_text() {
        let word = Word::text("/subscriptions/")
            .then(Word::var("SUB_ID"))
            .then_text("/x/")
            .then_text("a $b");
        assert_eq!(
            word.render().expect("quotable"),
            r#"/subscriptions/"${SUB_ID}"/x/'a $b'"#
        );
    }

    #[test]
    fn values_az_would_misread_are_passed_safely_or_refused() {
        assert_eq!(
            shell_quote("a\0b"),
            Err(AzCliError::Nul {
                value: "a\0b".into()
            })
        );
        let at = Command::new("az x").arg("--name", Word::text("@file"));
        assert!(matches!(at.render(), Err(AzCliError::AtSign { .. })));
        let dash = Command::new("az x").arg("--name", Word::text("-x y"));
        assert_eq!(
            dash.render().expect("quotable"),
            "az x \\\n  --name='-x y'\n"
        );
        let many = Command::new("az x").args("--names", vec![Word::text("a"), Word::text("-b")]);
        assert!(matches!(many.render(), Err(AzCliError::Dash { .. })));
    }
}
