//! Checking one name against its kind's rule ([`NameProblem`], [`problem`], [`refused`]),
//! repairing it ([`sanitize`]), and quoting a user's text safely in a message ([`quote`]).
//! Linear in the length of the text.

use super::{Charset, NameKind, QUALIFIER_MAX};
use std::fmt;

/// Why a name breaks its kind's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameProblem {
    /// Longer or shorter than the rule allows: refused when too long, warned when too short.
    Length {
        /// Its length in characters (of the part Azure sees).
        length: usize,
        /// The fewest allowed.
        min: usize,
        /// The most allowed.
        max: usize,
    },
    /// The importer's ` (qualifier)` is longer than [`QUALIFIER_MAX`] (refused).
    QualifierTooLong {
        /// The qualifier's length in characters.
        length: usize,
    },
    /// A control or bidirectional-formatting character (refused).
    Disruptive(char),
    /// A `/` in an Azure resource name (refused).
    Slash,
    /// A character the rule does not allow (warned).
    Character(char, Charset),
    /// A first character the rule does not allow (warned).
    Start(Charset),
    /// A last character the rule does not allow (warned).
    End(Charset),
}

impl NameProblem {
    /// Whether readers refuse the name (otherwise only `lint` warns).
    pub fn is_refused(self) -> bool {
        match self {
            NameProblem::Length { length, max, .. } => length > max,
            NameProblem::QualifierTooLong { .. }
            | NameProblem::Disruptive(_)
            | NameProblem::Slash => true,
            NameProblem::Character(..) | NameProblem::Start(_) | NameProblem::End(_) => false,
        }
    }
}

/// The sentence ending "Azure refuses the VNet name `x`: …".
impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameProblem::Length { length, min, max } => {
                write!(f, "it has {length} characters, and the limit is {min} to {max}")
            }
            NameProblem::QualifierTooLong { length } => write!(
                f,
                "its qualifier in parentheses has {length} characters, and the limit is {QUALIFIER_MAX}"
            ),
            NameProblem::Disruptive(c) => write!(
                f,
                "it contains the control character {}; remove it",
                codepoint(*c)
            ),
            NameProblem::Slash => f.write_str(
                "it contains `/`, which separates names in references (`vnet/subnet`) and in resource IDs; use `-`",
            ),
            NameProblem::Character(c, charset) => {
                write!(f, "it contains `{c}`; {}", charset_advice(*charset))
            }
            NameProblem::Start(charset) => f.write_str(match charset {
                Charset::Machine => "it must not start with `_`",
                _ => "it must start with a letter or digit",
            }),
            NameProblem::End(charset) => f.write_str(match charset {
                Charset::Machine => "it must not end with `.` or `-`",
                Charset::ResourceGroup => "it must not end with `.`",
                _ => "it must end with a letter, digit or `_`",
            }),
        }
    }
}

fn charset_advice(charset: Charset) -> &'static str {
    match charset {
        Charset::Network => "use only letters, digits, `_`, `.` and `-`",
        Charset::Machine => "leave out spaces and ``\\/\"[]:|<>+=;,?*@&``",
        Charset::ResourceGroup => "use only letters, digits, `_`, `-`, `.`, `(` and `)`",
        Charset::Design => "use printable characters",
    }
}

/// `U+001B`.
pub(crate) fn codepoint(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Whether a character would garble a terminal or reorder the text around it: a control
/// character, a bidirectional embedding, override or isolate, or a line or paragraph separator.
pub fn is_disruptive(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// A user-supplied value for a message: at most [`QUOTE_LEN`](crate::model::suggest::QUOTE_LEN)
/// characters, with control and formatting characters written as `\u{…}`.
///
/// ```
/// use vnetlab::model::limits::quote;
/// assert_eq!(quote("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
/// assert_eq!(quote(&"x".repeat(500)).chars().count(), 41);
/// ```
pub fn quote(value: &str) -> String {
    let short = crate::model::suggest::short(value);
    if !short.chars().any(is_disruptive) {
        return short.into_owned();
    }
    escape_disruptive(&short)
}

/// `text` with every [disruptive](is_disruptive) character written as `\u{…}`, whatever its
/// length.
pub fn escape_disruptive(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_disruptive(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The part of a design name that is the Azure name. An importer tells apart resources that
/// share a name in different resource groups or subscriptions as `name (qualifier)`; Azure only
/// ever saw `name`.
///
/// ```
/// use vnetlab::model::limits::azure_part;
/// assert_eq!(azure_part("vnet1 (rg-b)"), ("vnet1", Some("rg-b")));
/// assert_eq!(azure_part("(x)"), ("(x)", None));
/// ```
pub fn azure_part(name: &str) -> (&str, Option<&str>) {
    match name
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(" ("))
    {
        Some((base, qualifier)) if !base.is_empty() && !qualifier.is_empty() => {
            (base, Some(qualifier))
        }
        _ => (name, None),
    }
}

/// The problem that makes readers refuse a `kind` name, if any: too long, a control character,
/// or (for Azure resources) a `/`.
///
/// ```
/// use vnetlab::model::limits::{NameKind, NameProblem, refused};
/// assert_eq!(refused(&"a".repeat(65), NameKind::Vnet), Some(NameProblem::Length { length: 65, min: 2, max: 64 }));
/// assert_eq!(refused("hub (rg-b)", NameKind::Vnet), None);
/// assert_eq!(refused("hub vnet", NameKind::Vnet), None); // lint warns about the space
/// assert_eq!(refused("a/b", NameKind::Subnet), Some(NameProblem::Slash));
/// ```
pub fn refused(name: &str, kind: NameKind) -> Option<NameProblem> {
    let rule = kind.rule();
    // The usual name, short printable ASCII without `/`, passes every test below; validation
    // asks this of every name and reference on every edit.
    if name.len() <= rule.max.min(QUALIFIER_MAX)
        && name
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'/')
    {
        return None;
    }
    refused_by_rule(name, kind)
}

/// [`refused`] without the fast path for the usual name.
fn refused_by_rule(name: &str, kind: NameKind) -> Option<NameProblem> {
    let rule = kind.rule();
    let (base, qualifier) = if kind.is_azure() {
        azure_part(name)
    } else {
        (name, None)
    };
    let length = base.chars().count();
    if length > rule.max {
        return Some(NameProblem::Length {
            length,
            min: rule.min,
            max: rule.max,
        });
    }
    if let Some(length) = qualifier
        .map(|q| q.chars().count())
        .filter(|&length| length > QUALIFIER_MAX)
    {
        return Some(NameProblem::QualifierTooLong { length });
    }
    if let Some(c) = name.chars().find(|c| is_disruptive(*c)) {
        return Some(NameProblem::Disruptive(c));
    }
    (kind.is_azure() && name.contains('/')).then_some(NameProblem::Slash)
}

/// The first way a `kind` name breaks Azure's rule, refused or warned (what `lint` reports):
/// length, then characters, then the first and the last character.
///
/// ```
/// use vnetlab::model::limits::{NameKind, problem};
/// assert!(problem("hub-vnet_1.a", NameKind::Vnet).is_none());
/// assert_eq!(problem("h", NameKind::Vnet).unwrap().to_string(), "it has 1 characters, and the limit is 2 to 64");
/// assert!(problem("hub vnet", NameKind::Vnet).unwrap().to_string().contains("` `"));
/// assert!(problem("-hub", NameKind::Vnet).unwrap().to_string().contains("start"));
/// ```
pub fn problem(name: &str, kind: NameKind) -> Option<NameProblem> {
    if let Some(refused) = refused(name, kind) {
        return Some(refused);
    }
    let rule = kind.rule();
    let name = if kind.is_azure() {
        azure_part(name).0
    } else {
        name
    };
    let length = name.chars().count();
    if length < rule.min {
        return Some(NameProblem::Length {
            length,
            min: rule.min,
            max: rule.max,
        });
    }
    if let Some(bad) = name.chars().find(|c| !allowed(*c, rule.charset)) {
        return Some(NameProblem::Character(bad, rule.charset));
    }
    let (first, last) = (name.chars().next(), name.chars().last());
    let start_ok = match rule.charset {
        Charset::Network => first.is_some_and(|c| c.is_ascii_alphanumeric()),
        Charset::Machine => first != Some('_'),
        Charset::ResourceGroup | Charset::Design => true,
    };
    if !start_ok {
        return Some(NameProblem::Start(rule.charset));
    }
    let end_ok = match rule.charset {
        Charset::Network => last.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_'),
        Charset::Machine => !matches!(last, Some('.' | '-')),
        Charset::ResourceGroup => last != Some('.'),
        Charset::Design => true,
    };
    if !end_ok {
        return Some(NameProblem::End(rule.charset));
    }
    None
}

/// Whether `c` may appear in a name of this character set.
pub fn allowed(c: char, charset: Charset) -> bool {
    match charset {
        Charset::Network => c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'),
        Charset::Machine => {
            !c.is_whitespace() && !is_disruptive(c) && !"\\/\"[]:|<>+=;,?*@&".contains(c)
        }
        Charset::ResourceGroup => c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '(' | ')'),
        Charset::Design => !is_disruptive(c),
    }
}

/// The nearest name a rule accepts: characters it refuses become `-`, the ends are trimmed, the
/// length is cut to the limit. `None` when nothing usable is left.
///
/// ```
/// use vnetlab::model::limits::{NameKind, sanitize};
/// assert_eq!(sanitize("my hub!", NameKind::Vnet).as_deref(), Some("my-hub"));
/// assert_eq!(sanitize("!!", NameKind::Subnet), None);
/// ```
pub fn sanitize(name: &str, kind: NameKind) -> Option<String> {
    let rule = kind.rule();
    let replaced: String = name
        .chars()
        .map(|c| if allowed(c, rule.charset) { c } else { '-' })
        .collect();
    let trimmed = replaced.trim_start_matches(|c: char| !c.is_alphanumeric());
    let mut clean: String = trimmed.chars().take(rule.max).collect();
    while clean.ends_with(['.', '-']) {
        clean.pop();
    }
    (problem(&clean, kind).is_none()).then_some(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path of [`refused`] answers as the full rule does, at and around every limit
    /// and for each character it must send to the full rule.
    #[test]
    fn the_fast_path_agrees_with_the_full_rule() {
        let mut names: Vec<String> = vec![
            String::new(),
            "a".into(),
            "hub-1".into(),
            "a/b".into(),
            "tab\there".into(),
            "del\u{7f}".into(),
            "é".into(),
            "hub (rg)".into(),
            format!("hub ({})", "q".repeat(QUALIFIER_MAX + 1)),
            "x)".into(),
        ];
        for length in [1, 2, 63, 64, 65, 79, 80, 81, 89, 90, 91, 120, 200] {
            names.push("n".repeat(length));
            names.push(format!("{} (rg)", "n".repeat(length)));
            names.push(format!("n ({})", "q".repeat(length)));
        }
        for kind in super::super::NameKind::ALL {
            for name in &names {
                assert_eq!(
                    refused(name, kind),
                    refused_by_rule(name, kind),
                    "{kind:?} {name:?}"
                );
            }
        }
    }
}
