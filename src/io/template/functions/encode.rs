//! Encodings: `uri`, `uriComponent`, `uriComponentToString`, base64 and data URIs (hand-written:
//! a few lines each, not worth a dependency).

use super::{Budget, EvalError, Val, arity, invalid, new_str, string_arg};
use std::fmt::Write as _;

/// `uri(base, relative)`: an absolute `relative` wins; otherwise it replaces what follows the
/// last `/` of `base`.
pub fn uri(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("uri", args, 2, 2, "two")?;
    let base = string_arg("uri", &args[0])?;
    let relative = string_arg("uri", &args[1])?;
    if relative.contains("://") {
        return new_str(budget, relative.to_string());
    }
    let base = base.split(['?', '#']).next().unwrap_or(base);
    let joined = if let Some(rest) = relative.strip_prefix('/') {
        let origin_end = base.find("://").map_or(0, |at| {
            base[at + 3..]
                .find('/')
                .map_or(base.len(), |slash| at + 3 + slash)
        });
        format!("{}/{rest}", &base[..origin_end])
    } else {
        match base.rfind('/') {
            Some(at) if base[..at].ends_with(':') || base[..at].ends_with(":/") => {
                format!("{base}/{relative}")
            }
            Some(at) => format!("{}/{relative}", &base[..at]),
            None => format!("{base}/{relative}"),
        }
    };
    new_str(budget, joined)
}

/// `uriComponent`: every byte but the unreserved ones as `%XX`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `uriComponentToString`: `%XX` back to bytes; `None` when malformed or not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let value = BASE64.iter().position(|b| *b == c)?;
        buffer = (buffer << 6) | u32::try_from(value).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xFF).ok()?);
        }
    }
    Some(out)
}

/// Base64 to UTF-8 text, or an error naming `name`.
pub fn decode_text(name: &str, text: &str) -> Result<String, EvalError> {
    base64_decode(text)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| invalid(name, "not base64-encoded UTF-8 text"))
}
