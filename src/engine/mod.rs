//! The reachability engine: compile → effective routes → NSGs → hop walk → all pairs →
//! explanations (DESIGN.md §3, azure-semantics.md §1–§4 and §8).
//!
//! Not built yet: this module is an empty shell until the engine issue lands. Nothing here
//! pretends to evaluate; `vnetlab reach`, `trace` and `routes` say they are not available.
