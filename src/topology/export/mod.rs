//! Diagrams for slides and docs, from the same topology, folding and path as the picture:
//! plain text with a legend ([`text`]), a Mermaid flowchart ([`mermaid`]), Graphviz DOT
//! ([`dot`]), SVG drawn from vnetlab's own layout ([`svg`]) and the reachability matrix as a
//! Markdown table ([`markdown_matrix`]). Pure string building, O(picture).

mod graphs;
mod markdown;
mod svg;
mod text;

pub use graphs::{dot, mermaid};
pub use markdown::{MARKDOWN_MAX_ENDPOINTS, MatrixTooLarge, markdown_matrix};
pub use svg::svg;
pub use text::{heavy, legend, text};
