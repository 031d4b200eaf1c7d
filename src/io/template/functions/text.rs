//! String functions: `format`, case and trimming, `split`/`join`, `replace`, `substring`,
//! `padLeft`, prefix and suffix tests, the deterministic `uniqueString` and `guid`, `string`, and
//! the encodings of [`super::encode`] (URIs, base64, data URIs).
//!
//! `uniqueString` and `guid` cannot be Azure's (its hash is not published); any deterministic
//! hash serves, since they only name things. Case-insensitive comparisons follow the ARM
//! reference (`startsWith`, `endsWith`, `indexOf` ignore case).

use super::encode::{base64_encode, decode_text, percent_decode, percent_encode, uri};
use super::{Budget, EvalError, Val, arity, int_arg, invalid, list_arg, new_str, scalar_text};
use super::{string_arg, type_error};

/// Calls a string function; `None` when `name` is not one.
pub fn call(name: &str, args: &[Val], budget: &mut Budget) -> Option<Result<Val, EvalError>> {
    let result = match name {
        "format" => format(args, budget),
        "tolower" | "toupper" | "trim" => case_and_trim(name, args, budget),
        "split" => split(args, budget),
        "join" => join(args, budget),
        "replace" => replace(args, budget),
        "substring" => substring(args, budget),
        "padleft" => pad_left(args, budget),
        "startswith" | "endswith" => affix(name, args),
        "uniquestring" => hash_args(name, args).and_then(|h| new_str(budget, unique_string(h))),
        "guid" => hash_args(name, args).and_then(|h| new_str(budget, guid(h, args))),
        "uri" => uri(args, budget),
        "uricomponent" => one_string(name, args).and_then(|s| new_str(budget, percent_encode(s))),
        "uricomponenttostring" => one_string(name, args)
            .and_then(|s| {
                percent_decode(s).ok_or_else(|| invalid(name, "not a valid encoded URI component"))
            })
            .and_then(|s| new_str(budget, s)),
        "base64" => {
            one_string(name, args).and_then(|s| new_str(budget, base64_encode(s.as_bytes())))
        }
        "base64tostring" => one_string(name, args)
            .and_then(|s| decode_text(name, s))
            .and_then(|s| new_str(budget, s)),
        "base64tojson" => one_string(name, args)
            .and_then(|s| decode_text(name, s))
            .and_then(|s| {
                super::logic::call("json", &[Val::str(s)], budget).unwrap_or(Ok(Val::Null))
            }),
        "datauri" => one_text(name, args).and_then(|s| {
            new_str(
                budget,
                format!(
                    "data:text/plain;charset=utf8;base64,{}",
                    base64_encode(s.as_bytes())
                ),
            )
        }),
        "datauritostring" => one_string(name, args)
            .and_then(|s| {
                let (_, data) = s
                    .split_once(";base64,")
                    .ok_or_else(|| invalid(name, "not a base64 data URI"))?;
                decode_text(name, data)
            })
            .and_then(|s| new_str(budget, s)),
        "string" => {
            arity(name, args, 1, 1, "one").and_then(|()| new_str(budget, args[0].to_text_net()))
        }
        _ => return None,
    };
    Some(result)
}

impl Val {
    /// `string()`: scalars as .NET prints them, arrays and objects as compact JSON.
    pub fn to_text_net(&self) -> String {
        scalar_text(self).unwrap_or_else(|| self.to_text())
    }
}

fn one_string<'a>(name: &str, args: &'a [Val]) -> Result<&'a str, EvalError> {
    arity(name, args, 1, 1, "one")?;
    string_arg(name, &args[0])
}

fn one_text(name: &str, args: &[Val]) -> Result<String, EvalError> {
    arity(name, args, 1, 1, "one")?;
    Ok(args[0].to_text_net())
}

fn case_and_trim(name: &str, args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    let text = one_string(name, args)?;
    let result = match name {
        "tolower" => text.to_lowercase(),
        "toupper" => text.to_uppercase(),
        _ => text.trim().to_string(),
    };
    new_str(budget, result)
}

/// .NET composite formatting: `{0}`, `{1:D3}`, `{{` and `}}`.
fn format(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("format", args, 1, usize::MAX, "at least one")?;
    let pattern = string_arg("format", &args[0])?;
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut spec = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => spec.push(c),
                        None => return Err(invalid("format", "a `{` is not closed")),
                    }
                }
                let (index, style) = spec.split_once(':').unwrap_or((&spec, ""));
                let index: usize = index
                    .trim()
                    .parse()
                    .map_err(|_| invalid("format", format!("`{{{spec}}}` is not a placeholder")))?;
                let value = args
                    .get(index + 1)
                    .ok_or_else(|| invalid("format", format!("there is no argument {index}")))?;
                out.push_str(&format_one(value, style)?);
            }
            c => out.push(c),
        }
        super::super::limits::check_string(out.len())?;
    }
    new_str(budget, out)
}

fn format_one(value: &Val, style: &str) -> Result<String, EvalError> {
    let text = value.to_text_net();
    let (kind, digits) = style.split_at(style.chars().next().map_or(0, char::len_utf8));
    let digits: usize = digits.parse().unwrap_or(0).min(64);
    Ok(match (kind, value) {
        ("D" | "d", Val::Int(i)) => {
            let sign = if *i < 0 { "-" } else { "" };
            format!("{sign}{:0>digits$}", i.unsigned_abs())
        }
        ("X", Val::Int(i)) => format!("{i:0>digits$X}"),
        ("x", Val::Int(i)) => format!("{i:0>digits$x}"),
        ("N" | "n", Val::Int(i)) => {
            let grouped = group_thousands(*i);
            if digits > 0 {
                format!("{grouped}.{}", "0".repeat(digits))
            } else {
                grouped
            }
        }
        _ => text,
    })
}

fn group_thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0 { format!("-{out}") } else { out }
}

fn split(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("split", args, 2, 2, "two")?;
    let text = string_arg("split", &args[0])?;
    let delimiters: Vec<&str> = match &args[1] {
        Val::Str(s) => vec![s],
        Val::Array(list) => list
            .items()
            .iter()
            .map(|d| string_arg("split", d))
            .collect::<Result<_, _>>()?,
        other => {
            return Err(type_error(
                "split",
                "a string or an array of strings",
                other,
            ));
        }
    };
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let next = delimiters
            .iter()
            .filter(|d| !d.is_empty())
            .filter_map(|d| rest.find(*d).map(|at| (at, d.len())))
            .min();
        match next {
            Some((at, len)) => {
                parts.push(Val::str(&rest[..at]));
                rest = &rest[at + len..];
            }
            None => {
                parts.push(Val::str(rest));
                break;
            }
        }
        super::super::limits::check_items(parts.len())?;
    }
    super::new_array(budget, parts)
}

fn join(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("join", args, 2, 2, "two")?;
    let items = list_arg("join", &args[0])?;
    let delimiter = string_arg("join", &args[1])?;
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(delimiter);
        }
        out.push_str(
            &scalar_text(item).ok_or_else(|| type_error("join", "an array of strings", item))?,
        );
        super::super::limits::check_string(out.len())?;
    }
    new_str(budget, out)
}

fn replace(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("replace", args, 3, 3, "three")?;
    let text = string_arg("replace", &args[0])?;
    let old = string_arg("replace", &args[1])?;
    let new = string_arg("replace", &args[2])?;
    if old.is_empty() {
        return Err(invalid("replace", "the string to replace is empty"));
    }
    let count = text.matches(old).count();
    let len = text.len() - count * old.len() + count * new.len();
    super::super::limits::check_string(len)?;
    new_str(budget, text.replace(old, new))
}

fn substring(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("substring", args, 2, 3, "two or three")?;
    let chars: Vec<char> = string_arg("substring", &args[0])?.chars().collect();
    let start = int_arg("substring", &args[1])?;
    let length = match args.get(2) {
        Some(v) => int_arg("substring", v)?,
        None => i64::try_from(chars.len())
            .unwrap_or(i64::MAX)
            .saturating_sub(start),
    };
    let in_range = |n: i64| usize::try_from(n).ok().filter(|n| *n <= chars.len());
    let (Some(from), Some(_)) = (in_range(start), in_range(length)) else {
        return Err(invalid(
            "substring",
            "the start or length is outside the string",
        ));
    };
    let Some(to) = from
        .checked_add(usize::try_from(length).unwrap_or(usize::MAX))
        .filter(|to| *to <= chars.len())
    else {
        return Err(invalid(
            "substring",
            "the start plus length is past the end of the string",
        ));
    };
    new_str(budget, chars[from..to].iter().collect())
}

fn pad_left(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("padLeft", args, 2, 3, "two or three")?;
    let text = scalar_text(&args[0])
        .ok_or_else(|| type_error("padLeft", "a string or an integer", &args[0]))?;
    let total = usize::try_from(int_arg("padLeft", &args[1])?).unwrap_or(0);
    super::super::limits::check_string(total)?;
    let pad = match args.get(2) {
        Some(v) => {
            let s = string_arg("padLeft", v)?;
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => return Err(invalid("padLeft", "the padding must be one character")),
            }
        }
        None => ' ',
    };
    let missing = total.saturating_sub(text.chars().count());
    let mut out: String = std::iter::repeat_n(pad, missing).collect();
    out.push_str(&text);
    new_str(budget, out)
}

fn affix(name: &str, args: &[Val]) -> Result<Val, EvalError> {
    arity(name, args, 2, 2, "two")?;
    let text = string_arg(name, &args[0])?.to_lowercase();
    let part = string_arg(name, &args[1])?.to_lowercase();
    Ok(Val::Bool(if name == "startswith" {
        text.starts_with(&part)
    } else {
        text.ends_with(&part)
    }))
}

/// FNV-1a over the arguments joined by `-`, then mixed: deterministic, not Azure's.
fn hash_args(name: &str, args: &[Val]) -> Result<u64, EvalError> {
    arity(name, args, 1, usize::MAX, "at least one")?;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, arg) in args.iter().enumerate() {
        let text = string_arg(name, arg)?;
        let sep: &[u8] = if i > 0 { b"-" } else { b"" };
        for byte in sep.iter().chain(text.as_bytes()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok(mix(hash))
}

fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// 13 base-32 characters, the length and alphabet of Azure's `uniqueString`.
fn unique_string(hash: u64) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    (0..13)
        .map(|i| char::from(ALPHABET[((hash >> (i * 5)) & 31) as usize]))
        .collect()
}

fn guid(hash: u64, args: &[Val]) -> String {
    let second = mix(hash ^ args.len() as u64 ^ 0x9e37_79b9_7f4a_7c15);
    let hex = format!("{hash:016x}{second:016x}");
    format!(
        "{}-{}-5{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, args: Vec<Val>) -> Result<Val, EvalError> {
        call(name, &args, &mut Budget::default()).unwrap()
    }

    fn s(text: &str) -> Val {
        Val::str(text)
    }

    fn text(result: Result<Val, EvalError>) -> String {
        result.unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn format_follows_dotnet_composite_formatting() {
        assert_eq!(
            text(run(
                "format",
                vec![s("{0}-{1:D3} {{x}}"), s("vm"), Val::Int(7)]
            )),
            "vm-007 {x}"
        );
        assert_eq!(
            text(run(
                "format",
                vec![s("{0:N0} {1}"), Val::Int(1234567), Val::Bool(true)]
            )),
            "1,234,567 True"
        );
        assert!(run("format", vec![s("{1}"), s("a")]).is_err());
    }

    #[test]
    fn strings_split_join_replace_and_pad() {
        let parts = run(
            "split",
            vec![s("a,b;;c"), Val::array(vec![s(","), s(";")]).unwrap()],
        )
        .unwrap();
        let parts: Vec<&str> = parts
            .as_list()
            .unwrap()
            .iter()
            .filter_map(Val::as_str)
            .collect();
        assert_eq!(parts, ["a", "b", "", "c"]);
        assert_eq!(
            text(run(
                "padLeft".to_lowercase().as_str(),
                vec![Val::Int(7), Val::Int(3), s("0")]
            )),
            "007"
        );
        assert_eq!(
            text(run(
                "substring",
                vec![s("abcdef"), Val::Int(1), Val::Int(3)]
            )),
            "bcd"
        );
        assert!(run("substring", vec![s("abc"), Val::Int(2), Val::Int(5)]).is_err());
        assert_eq!(text(run("replace", vec![s("a-b-c"), s("-"), s("")])), "abc");
        assert!(
            run("startswith", vec![s("ABC"), s("ab")])
                .unwrap()
                .same(&Val::Bool(true))
        );
    }

    #[test]
    fn hashes_are_deterministic_and_shaped_like_azures() {
        let a = text(run("uniquestring", vec![s("rg"), s("x")]));
        assert_eq!(a.len(), 13);
        assert_eq!(a, text(run("uniquestring", vec![s("rg"), s("x")])));
        assert_ne!(a, text(run("uniquestring", vec![s("rg"), s("y")])));
        let g = text(run("guid", vec![s("a")]));
        assert_eq!(g.len(), 36);
        assert_eq!(g.matches('-').count(), 4);
    }

    #[test]
    fn uris_join_like_arm() {
        let join = |a: &str, b: &str| text(run("uri", vec![s(a), s(b)]));
        assert_eq!(
            join("http://contoso.com/resources/", "nested/azuredeploy.json"),
            "http://contoso.com/resources/nested/azuredeploy.json"
        );
        assert_eq!(
            join("http://contoso.com/resources/main.json?sas", "linked.json"),
            "http://contoso.com/resources/linked.json"
        );
        assert_eq!(join("https://x.net/a/b", "/c.json"), "https://x.net/c.json");
        assert_eq!(text(run("base64", vec![s("hello")])), "aGVsbG8=");
        assert_eq!(text(run("base64tostring", vec![s("aGVsbG8=")])), "hello");
        let parsed = run("base64tojson", vec![s("eyJhIjogWzFdfQ==")]).unwrap();
        assert!(parsed.same(&Val::from_json(&serde_json::json!({"a": [1]})).unwrap()));
        assert_eq!(text(run("uricomponent", vec![s("a b/c")])), "a%20b%2Fc");
        assert_eq!(
            text(run("uricomponenttostring", vec![s("a%20b%2Fc")])),
            "a b/c"
        );
    }
}
