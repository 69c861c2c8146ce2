//! Live settings lbctl reads but cannot model yet (the "reported" half of the lossless rule).
use serde::{Deserialize, Serialize};

/// One live setting lbctl cannot represent: plan reports it, apply refuses
/// to modify the resource that carries it without `--force`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unmanaged {
    /// Where in the resource, in spec vocabulary (`default_action`, `rules.10.conditions`).
    pub path: String,
    /// What is there, for a human (`an authenticate-oidc step before forward`).
    pub what: String,
}
