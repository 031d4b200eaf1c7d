//! Helpers for tests of the real binary in a pseudo-terminal: the output as text without escape
//! sequences, waiting for text to appear, and finding an escape sequence in the raw output.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Terminal output with escape sequences removed, so text split by style changes reads whole.
pub fn strip_escapes(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                // CSI: parameters, then one final byte in @..~.
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                // OSC: up to BEL or ESC \.
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            Some('(' | ')') => {
                chars.next();
            }
            _ => {}
        }
    }
    out
}

pub struct Screen {
    pub output: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    pub fn raw(&self) -> Vec<u8> {
        self.output
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Waits until the visible text contains `needle`, ignoring spaces (the terminal skips
    /// blank cells with cursor moves rather than writing spaces).
    pub fn wait_for(&self, needle: &str) {
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let needle = squeeze(needle);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if squeeze(&strip_escapes(&self.raw())).contains(&needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "`{needle}` never appeared; output:\n{}",
            strip_escapes(&self.raw())
        );
    }
}

pub fn position(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}
