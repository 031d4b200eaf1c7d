//! Design checks: Azure's configuration rules, misconfigurations that deploy but break
//! connectivity, permissions, and intents (azure-semantics.md §1.6, §2.3, §3.3, §4.1, §6).
//!
//! Not built yet: this module is an empty shell until the design-checks issue lands.
//! Hard invariants (unique names, references, IPs inside subnets) are already enforced by
//! [`Design::validate`](crate::model::Design::validate).
