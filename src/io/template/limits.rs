//! The bounds that keep a hostile template from costing more than a real one, and the errors
//! evaluation stops with.
//!
//! Azure's own limits come first (learn.microsoft.com, "Template limits" and
//! "template-expressions"): 800 resources per template, copy counts up to 800, 256 parameters
//! and 256 variables, 24,576 characters per expression, `range()` up to 10,000 items. vnetlab
//! adds the bounds Azure enforces by running out of time: a fuel [`Budget`] charged for every
//! value built (so neither `concat` loops nor copy loops can allocate without limit), a cap on
//! string and array sizes, and one depth counter over every kind of nesting (expressions,
//! variables referring to variables, nested deployments, resources referring to resources) so
//! recursion stays within the stack of the evaluation thread.

/// Resources one template may declare after copy loops are expanded (Azure's limit).
pub const MAX_RESOURCES_PER_TEMPLATE: usize = 800;
/// Resources over every template, nested and linked, of one import.
pub const MAX_RESOURCES_TOTAL: usize = 10_000;
/// The largest `count` of one copy loop (Azure's limit).
pub const MAX_COPY_COUNT: i64 = 800;
/// Parameters one template may declare (Azure's limit).
pub const MAX_PARAMETERS: usize = 256;
/// Variables one template may declare (Azure's limit; variable copy loops count once).
pub const MAX_VARIABLES: usize = 256;
/// The longest expression (Azure's limit, in characters).
pub const MAX_EXPRESSION_CHARS: usize = 24_576;
/// How deeply calls, brackets and member accesses may nest in one expression.
pub const MAX_EXPRESSION_DEPTH: usize = 64;
/// How deeply evaluation may recurse over all kinds of nesting at once.
pub const MAX_EVAL_DEPTH: usize = 256;
/// How deeply deployments may nest (vnetlab's bound).
pub const MAX_DEPLOYMENT_DEPTH: usize = 10;
/// The longest string an expression may build, in bytes (Azure's template size limit).
pub const MAX_STRING_BYTES: usize = 4 * 1024 * 1024;
/// The longest array an expression may build.
pub const MAX_ARRAY_ITEMS: usize = 100_000;
/// The most items `range()` returns (Azure's limit).
pub const MAX_RANGE: i64 = 10_000;
/// Fuel for one import, in bytes of values built plus a fixed charge per call. The largest
/// real templates measured (the AVM virtual-network module deployed twice, dmauser's lab with
/// 16 linked templates) use under 150 KiB.
pub const FUEL: u64 = 64 * 1024 * 1024;
/// What every function call costs, whatever it returns.
pub const CALL_COST: u64 = 64;

/// Why an expression or a template could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// The expression text is not valid.
    #[error("the expression is not valid at character {at}: {reason}")]
    Syntax {
        /// 1-based character position in the expression.
        at: usize,
        /// What was expected.
        reason: String,
    },
    /// The expression is longer than Azure accepts.
    #[error(
        "the expression is {chars} characters long, longer than the {MAX_EXPRESSION_CHARS} Azure accepts"
    )]
    ExpressionTooLong {
        /// Its length.
        chars: usize,
    },
    /// Calls or brackets nest too deeply in one expression.
    #[error("the expression nests more than {MAX_EXPRESSION_DEPTH} levels deep")]
    ExpressionTooDeep,
    /// Evaluation recursed too deeply (variables through variables, deployments in deployments).
    #[error(
        "evaluation nests more than {MAX_EVAL_DEPTH} levels deep (variables built from variables, or resources referring to resources)"
    )]
    EvalTooDeep,
    /// A value nests too deeply.
    #[error(
        "a value nests more than {} levels deep",
        super::value::MAX_VALUE_DEPTH
    )]
    TooDeep,
    /// A variable refers to itself, directly or through others.
    #[error("variable `{0}` refers to itself")]
    CyclicVariable(String),
    /// A parameter's default refers to itself.
    #[error("the default of parameter `{0}` refers to itself")]
    CyclicParameter(String),
    /// A function was called with the wrong number of arguments.
    #[error("`{function}` takes {expected} argument(s), not {given}")]
    Arity {
        /// The function.
        function: String,
        /// What it takes, in words.
        expected: &'static str,
        /// How many it got.
        given: usize,
    },
    /// A function got an argument of the wrong type.
    #[error("`{function}` expects {expected}, not {found}")]
    Type {
        /// The function.
        function: String,
        /// What it expects, in words.
        expected: &'static str,
        /// The type it got.
        found: &'static str,
    },
    /// A function got a value it cannot work with.
    #[error("`{function}`: {reason}")]
    Invalid {
        /// The function.
        function: String,
        /// Why.
        reason: String,
    },
    /// A copy loop's count is out of range.
    #[error("copy loop `{name}` has count {count}; Azure allows 0 to {MAX_COPY_COUNT}")]
    CopyCount {
        /// The loop's name.
        name: String,
        /// The count asked for.
        count: i64,
    },
    /// Too many resources.
    #[error("the template declares more than {limit} resources after copy loops, more than {what}")]
    TooManyResources {
        /// The limit passed.
        limit: usize,
        /// Whose limit it is.
        what: &'static str,
    },
    /// Too many parameters or variables.
    #[error("the template declares {count} {what}, more than the {limit} Azure allows")]
    TooManyDeclarations {
        /// `parameters` or `variables`.
        what: &'static str,
        /// How many.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A string grew too long.
    #[error("a string grew longer than {MAX_STRING_BYTES} bytes")]
    StringTooLong,
    /// An array grew too long.
    #[error("an array grew longer than {MAX_ARRAY_ITEMS} items")]
    ArrayTooLong,
    /// The fuel ran out.
    #[error("evaluating the template built more than {} MiB of values, far more than any real template", FUEL / 1024 / 1024)]
    OutOfFuel,
    /// Deployments nest too deeply.
    #[error("deployments nest more than {MAX_DEPLOYMENT_DEPTH} levels deep")]
    DeploymentsTooDeep,
    /// Integer arithmetic overflowed.
    #[error("`{0}` overflows a 64-bit integer")]
    Overflow(String),
    /// The template is not shaped like a template.
    #[error("{0}")]
    Shape(String),
    /// An error, with the place in the template where it happened.
    #[error("{place}: {error}")]
    At {
        /// The place: a resource, a variable, a parameter's default, an output.
        place: String,
        /// What went wrong there.
        error: Box<EvalError>,
    },
}

/// The fuel left for one import; every value built and every call is paid from it.
#[derive(Debug, Clone)]
pub struct Budget {
    fuel: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { fuel: FUEL }
    }
}

impl Budget {
    /// A budget with this much fuel (tests use small ones).
    pub fn with_fuel(fuel: u64) -> Budget {
        Budget { fuel }
    }

    /// Pays `cost`, or fails when the fuel is gone.
    pub fn charge(&mut self, cost: u64) -> Result<(), EvalError> {
        match self.fuel.checked_sub(cost) {
            Some(left) => {
                self.fuel = left;
                Ok(())
            }
            None => {
                self.fuel = 0;
                Err(EvalError::OutOfFuel)
            }
        }
    }
}

/// Checks a string about to be built.
pub fn check_string(len: usize) -> Result<(), EvalError> {
    if len > MAX_STRING_BYTES {
        Err(EvalError::StringTooLong)
    } else {
        Ok(())
    }
}

/// Checks an array about to be built.
pub fn check_items(len: usize) -> Result<(), EvalError> {
    if len > MAX_ARRAY_ITEMS {
        Err(EvalError::ArrayTooLong)
    } else {
        Ok(())
    }
}
