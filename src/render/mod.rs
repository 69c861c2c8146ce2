//! Renderers: the plan (and apply reports) as text for people and JSON for
//! machines. Pure functions from data to strings; printing is the caller's.
//! Secret values (`crate::secrets`) are masked in everything rendered here
//! (`redact`).

pub mod json;
pub mod redact;
pub mod text;
