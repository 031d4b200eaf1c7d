//! The expression language of ARM templates, parsed by recursive descent.
//!
//! A JSON string is an expression when it starts with `[` and ends with `]`; `[[` starts a
//! literal string instead (the first bracket is dropped). Inside the brackets:
//!
//! ```text
//! expr    := primary ( '.' IDENT | '.?' IDENT | '[' expr ']' )*
//! primary := STRING | NUMBER | IDENT ( '.' IDENT )? '(' ( expr ( ',' expr )* )? ')'
//!          | 'true' | 'false' | 'null'
//! STRING  := "'" ( any character but "'" | "''" )* "'"
//! ```
//!
//! (regorus `src/languages/azure_policy/expr.rs` describes the same grammar). A dotted name
//! before `(` is a user-defined function `namespace.member`. Length and nesting are bounded
//! before anything is built (see [`super::limits`]).

use super::limits::{EvalError, MAX_EXPRESSION_CHARS, MAX_EXPRESSION_DEPTH};
use std::fmt;
use std::rc::Rc;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string literal.
    Str(Rc<str>),
    /// An integer literal.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// `true`, `false` written bare.
    Bool(bool),
    /// `null` written bare.
    Null,
    /// A function call; `name` may be `namespace.member`.
    Call {
        /// The function's name as written.
        name: String,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `target.name` (or `target.?name`, which yields null when the member is absent).
    Member {
        /// The object.
        target: Box<Expr>,
        /// The member name.
        name: String,
        /// Whether absence yields null.
        safe: bool,
    },
    /// `target[index]`.
    Index {
        /// The array or object.
        target: Box<Expr>,
        /// The index or member name.
        index: Box<Expr>,
    },
}

/// What a template string holds: a literal, or an expression to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum Text<'a> {
    /// Plain text (with a leading `[[` already reduced to `[`).
    Literal(&'a str),
    /// The text between the outer brackets of an expression.
    Expression(&'a str),
}

/// Tells a literal from an expression.
pub fn classify(text: &str) -> Text<'_> {
    if text.starts_with("[[") {
        Text::Literal(&text[1..])
    } else if text.len() >= 2 && text.starts_with('[') && text.ends_with(']') {
        Text::Expression(&text[1..text.len() - 1])
    } else {
        Text::Literal(text)
    }
}

/// Parses the inside of an expression (without the outer brackets).
pub fn parse(text: &str) -> Result<Expr, EvalError> {
    let chars = text.chars().count();
    if chars > MAX_EXPRESSION_CHARS {
        return Err(EvalError::ExpressionTooLong { chars });
    }
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
        depth: 0,
    };
    let expr = parser.expr()?;
    parser.skip_space();
    if parser.at < parser.chars.len() {
        return Err(parser.error("nothing may follow the expression"));
    }
    Ok(expr)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn error(&self, reason: &str) -> EvalError {
        EvalError::Syntax {
            at: self.at + 1,
            reason: reason.to_string(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char, reason: &str) -> Result<(), EvalError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(reason))
        }
    }

    fn enter(&mut self) -> Result<(), EvalError> {
        self.depth += 1;
        if self.depth > MAX_EXPRESSION_DEPTH {
            return Err(EvalError::ExpressionTooDeep);
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, EvalError> {
        self.enter()?;
        let entered = self.depth;
        let mut expr = self.primary()?;
        loop {
            self.skip_space();
            if matches!(self.peek(), Some('.' | '[')) {
                // Each member access or index nests the tree one level deeper.
                self.enter()?;
            }
            match self.peek() {
                Some('.') => {
                    self.at += 1;
                    let safe = self.peek() == Some('?');
                    if safe {
                        self.at += 1;
                    }
                    self.skip_space();
                    let name = self
                        .ident()
                        .ok_or_else(|| self.error("a name must follow `.`"))?;
                    expr = Expr::Member {
                        target: Box::new(expr),
                        name,
                        safe,
                    };
                }
                Some('[') => {
                    self.at += 1;
                    // `[?` is the safe index of newer templates; it reads like a plain index here.
                    let _ = self.eat('?');
                    let index = self.expr()?;
                    self.expect(']', "expected `]` after an index")?;
                    expr = Expr::Index {
                        target: Box::new(expr),
                        index: Box::new(index),
                    };
                }
                _ => break,
            }
        }
        self.depth = entered - 1;
        Ok(expr)
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            self.at += 1;
        }
        (self.at > start).then(|| self.chars[start..self.at].iter().collect())
    }

    fn primary(&mut self) -> Result<Expr, EvalError> {
        self.skip_space();
        match self.peek() {
            Some('\'') => self.string(),
            Some(c) if c.is_ascii_digit() || c == '-' => self.number(),
            Some(c) if c.is_alphabetic() || c == '_' || c == '$' => {
                let mut name = self.ident().unwrap_or_default();
                self.skip_space();
                // `namespace.member(` is a user-defined function.
                if self.peek() == Some('.') {
                    let save = self.at;
                    self.at += 1;
                    match self.ident() {
                        Some(member) if self.eat('(') => {
                            self.at -= 1;
                            name = format!("{name}.{member}");
                        }
                        _ => self.at = save,
                    }
                }
                if self.eat('(') {
                    let args = self.args()?;
                    return Ok(Expr::Call { name, args });
                }
                match name.to_ascii_lowercase().as_str() {
                    "true" => Ok(Expr::Bool(true)),
                    "false" => Ok(Expr::Bool(false)),
                    "null" => Ok(Expr::Null),
                    _ => Err(self.error(&format!("`{name}` must be called, as in `{name}()`"))),
                }
            }
            Some(_) => Err(self.error("expected a string, a number or a function call")),
            None => Err(self.error("the expression ends too early")),
        }
    }

    fn args(&mut self) -> Result<Vec<Expr>, EvalError> {
        let mut args = Vec::new();
        if self.eat(')') {
            return Ok(args);
        }
        loop {
            args.push(self.expr()?);
            if self.eat(')') {
                return Ok(args);
            }
            self.expect(',', "expected `,` or `)` after an argument")?;
        }
    }

    fn string(&mut self) -> Result<Expr, EvalError> {
        self.at += 1;
        let mut text = String::new();
        loop {
            match self.peek() {
                Some('\'') if self.chars.get(self.at + 1) == Some(&'\'') => {
                    text.push('\'');
                    self.at += 2;
                }
                Some('\'') => {
                    self.at += 1;
                    return Ok(Expr::Str(text.into()));
                }
                Some(c) => {
                    text.push(c);
                    self.at += 1;
                }
                None => return Err(self.error("a string is not closed with `'`")),
            }
        }
    }

    fn number(&mut self) -> Result<Expr, EvalError> {
        let start = self.at;
        if self.peek() == Some('-') {
            self.at += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let fraction = self.peek() == Some('.')
            && self
                .chars
                .get(self.at + 1)
                .is_some_and(char::is_ascii_digit);
        if fraction {
            self.at += 1;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.at += 1;
            }
        }
        let text: String = self.chars[start..self.at].iter().collect();
        if fraction {
            return text
                .parse()
                .map(Expr::Float)
                .map_err(|_| self.error("not a number"));
        }
        text.parse()
            .map(Expr::Int)
            .map_err(|_| self.error("not a 64-bit integer"))
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Str(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Expr::Int(i) => write!(f, "{i}"),
            Expr::Float(x) => write!(f, "{x}"),
            Expr::Bool(b) => write!(f, "{b}"),
            Expr::Null => f.write_str("null"),
            Expr::Call { name, args } => {
                write!(f, "{name}(")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
            Expr::Member { target, name, safe } => {
                write!(f, "{target}.{}{name}", if *safe { "?" } else { "" })
            }
            Expr::Index { target, index } => write!(f, "{target}[{index}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call {
            name: name.into(),
            args,
        }
    }

    #[test]
    fn literals_and_expressions_are_told_apart() {
        assert_eq!(classify("[concat('a')]"), Text::Expression("concat('a')"));
        assert_eq!(
            classify("[[not an expression]"),
            Text::Literal("[not an expression]")
        );
        assert_eq!(classify("plain"), Text::Literal("plain"));
        assert_eq!(classify("[x] "), Text::Literal("[x] "));
        assert_eq!(classify("["), Text::Literal("["));
    }

    #[test]
    fn calls_members_indexes_and_escapes_parse() {
        let expr = parse("variables('locationNames')[copyIndex()]").unwrap();
        assert_eq!(
            expr,
            Expr::Index {
                target: Box::new(call("variables", vec![Expr::Str("locationNames".into())])),
                index: Box::new(call("copyIndex", vec![])),
            }
        );
        let expr = parse(" concat( 'it''s', -1 ) .length ").unwrap();
        assert_eq!(expr.to_string(), "concat('it''s', -1).length");
        let expr = parse("parameters('Azure').hubName").unwrap();
        assert_eq!(expr.to_string(), "parameters('Azure').hubName");
        assert_eq!(
            parse("ns.fn(1)").unwrap(),
            call("ns.fn", vec![Expr::Int(1)])
        );
        assert_eq!(parse("a().?b").unwrap().to_string(), "a().?b");
    }

    #[test]
    fn bad_expressions_say_where() {
        for (text, at) in [
            ("concat('a'", 11),
            ("'open", 6),
            ("concat('a') x", 13),
            ("", 1),
            ("x", 2),
        ] {
            match parse(text) {
                Err(EvalError::Syntax { at: got, .. }) => assert_eq!(got, at, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn length_and_depth_are_bounded() {
        let deep = format!("{}1{}", "createArray(".repeat(100), ")".repeat(100));
        assert_eq!(parse(&deep), Err(EvalError::ExpressionTooDeep));
        let long = format!("'{}'", "a".repeat(MAX_EXPRESSION_CHARS));
        assert!(matches!(
            parse(&long),
            Err(EvalError::ExpressionTooLong { .. })
        ));
    }
}
