//! The fuzzing harness shared by the fuzz targets (`fuzz_readers`; a TUI key fuzzer can
//! `mod fuzz;` it too and pass its own strategy and target).
//!
//! A target is a function from one generated input to an [`Outcome`], or to an error that says
//! which promise the input broke (a refusal without a position, an accepted design that does
//! not validate, …). The harness draws inputs from a proptest strategy, times each one, fails
//! an input that panics, breaks a promise or takes longer than [`time_limit`], and shrinks a
//! failure to a small input before reporting it. Two ways to run:
//! - [`run_seeded`]: a fixed number of cases from a fixed seed, for `cargo test` (a few seconds
//!   in a debug build; `PROPTEST_CASES` overrides the count);
//! - [`run_for`]: batches from a random seed (printed, and `VNETLAB_FUZZ_SEED` repeats it)
//!   until a time budget is spent, for the long run (`VNETLAB_FUZZ_SECONDS`).
//!
//! Both return [`Stats`]: inputs tried, accepted and refused, and the slowest input.
#![allow(dead_code)] // each test crate uses part of the shared module

pub mod json;
pub mod mutate;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::cell::RefCell;
use std::fmt;
use std::time::{Duration, Instant};

/// What a target did with an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Read and accepted.
    Accepted,
    /// Refused, properly (with a position and a sentence).
    Refused,
}

/// What a run of one target saw.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Inputs tried.
    pub tried: u64,
    /// Inputs accepted.
    pub accepted: u64,
    /// Inputs refused.
    pub refused: u64,
    /// The longest any input took.
    pub slowest: Duration,
    /// That input, described shortly.
    pub slowest_input: String,
}

impl Stats {
    /// Adds another run's counts.
    pub fn add(&mut self, other: &Stats) {
        self.tried += other.tried;
        self.accepted += other.accepted;
        self.refused += other.refused;
        if other.slowest > self.slowest {
            self.slowest = other.slowest;
            self.slowest_input.clone_from(&other.slowest_input);
        }
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} inputs ({} accepted, {} refused), slowest {:.1} ms: {}",
            self.tried,
            self.accepted,
            self.refused,
            self.slowest.as_secs_f64() * 1000.0,
            self.slowest_input
        )
    }
}

/// The longest one input may take: 2 s (issue 15) in an optimised build; a debug build is
/// allowed ten times as long, since it is ten to fifty times slower.
pub fn time_limit() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(20)
    } else {
        Duration::from_secs(2)
    }
}

/// A runner with this seed and case count; failures are reported, never saved to files.
fn runner(seed: u64, cases: u32) -> TestRunner {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&(seed.wrapping_add(i as u64 * 0x9e37_79b9)).to_le_bytes());
    }
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Runs `cases` inputs of `strategy` through `target` from `seed`; panics with the smallest
/// failing input when one fails.
pub fn run_batch<S, T>(name: &str, strategy: &S, seed: u64, cases: u32, target: &T) -> Stats
where
    S: Strategy,
    S::Value: fmt::Debug,
    T: Fn(&S::Value) -> Result<Outcome, String>,
{
    let stats = RefCell::new(Stats::default());
    let limit = time_limit();
    let result = runner(seed, cases).run(strategy, |input| {
        let started = Instant::now();
        let outcome = target(&input);
        let took = started.elapsed();
        let mut stats = stats.borrow_mut();
        stats.tried += 1;
        if took > stats.slowest {
            stats.slowest = took;
            stats.slowest_input = short_debug(&input);
        }
        match outcome {
            Ok(Outcome::Accepted) => stats.accepted += 1,
            Ok(Outcome::Refused) => stats.refused += 1,
            Err(broken) => return Err(TestCaseError::fail(broken)),
        }
        if took > limit {
            return Err(TestCaseError::fail(format!(
                "one input took {took:?}, more than {limit:?}"
            )));
        }
        Ok(())
    });
    match result {
        Ok(()) => stats.into_inner(),
        Err(TestError::Fail(why, input)) => {
            panic!("fuzz target `{name}` (seed {seed}): {why}\nsmallest failing input: {input:?}")
        }
        Err(TestError::Abort(why)) => panic!("fuzz target `{name}` (seed {seed}) aborted: {why}"),
    }
}

/// The seeded, bounded run for `cargo test`: `default_cases` inputs (or `PROPTEST_CASES`).
pub fn run_seeded<S, T>(name: &str, strategy: S, seed: u64, default_cases: u32, target: T) -> Stats
where
    S: Strategy,
    S::Value: fmt::Debug,
    T: Fn(&S::Value) -> Result<Outcome, String>,
{
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default_cases);
    run_batch(name, &strategy, seed, cases, &target)
}

/// The first seed of a long run: `VNETLAB_FUZZ_SEED`, or the clock.
pub fn long_run_seed() -> u64 {
    std::env::var("VNETLAB_FUZZ_SEED")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
}

/// Runs batches of `batch` inputs, each from the next seed, until `budget` is spent.
pub fn run_for<S, T>(
    name: &str,
    strategy: &S,
    seed: u64,
    budget: Duration,
    batch: u32,
    target: &T,
) -> Stats
where
    S: Strategy,
    S::Value: fmt::Debug,
    T: Fn(&S::Value) -> Result<Outcome, String>,
{
    let started = Instant::now();
    let mut total = Stats::default();
    let mut next = seed;
    while started.elapsed() < budget {
        total.add(&run_batch(name, strategy, next, batch, target));
        next = next.wrapping_add(1);
    }
    total
}

/// An input's `Debug`, cut to a line's worth.
fn short_debug(input: &impl fmt::Debug) -> String {
    let text = format!("{input:?}");
    let first = text.lines().next().unwrap_or_default();
    match first.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &first[..cut]),
        None => first.to_string(),
    }
}
