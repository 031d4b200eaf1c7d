//! The reachability matrix as a Markdown table, for designs small enough to read as one.

use crate::engine::{Analysis, Verdict};

/// The most endpoints a Markdown matrix shows; past that a table stops being readable.
pub const MARKDOWN_MAX_ENDPOINTS: usize = 16;

/// The matrix is too large for a readable table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the matrix has {endpoints} endpoints; a Markdown table stays readable up to {max}; choose fewer endpoints or another format for larger designs"
)]
pub struct MatrixTooLarge {
    /// Endpoints in the design.
    pub endpoints: usize,
    /// The limit.
    pub max: usize,
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Rows are sources, columns destinations; a cell is `✓` or `✗` with the reason codes.
pub fn markdown_matrix(analysis: &Analysis) -> Result<String, MatrixTooLarge> {
    let endpoints = analysis.endpoints();
    if endpoints.len() > MARKDOWN_MAX_ENDPOINTS {
        return Err(MatrixTooLarge {
            endpoints: endpoints.len(),
            max: MARKDOWN_MAX_ENDPOINTS,
        });
    }
    let mut out = format!(
        "Flow `{}`. Rows: from; columns: to.\n\n| from \\ to |",
        analysis.flow()
    );
    for e in endpoints {
        out.push_str(&format!(" {} |", cell(&e.name)));
    }
    out.push_str("\n|---|");
    for _ in endpoints {
        out.push_str(":---:|");
    }
    out.push('\n');
    for (a, from) in endpoints.iter().enumerate() {
        out.push_str(&format!("| **{}** |", cell(&from.name)));
        for b in 0..endpoints.len() {
            let text = if a == b {
                "·".to_string()
            } else if analysis.verdict(a, b) == Verdict::Reachable {
                "✓".to_string()
            } else {
                let codes: Vec<&str> = analysis
                    .reason_codes(a, b)
                    .iter()
                    .map(|c| c.as_str())
                    .collect();
                format!("✗ {}", codes.join(", "))
            };
            out.push_str(&format!(" {text} |"));
        }
        out.push('\n');
    }
    Ok(out)
}
