//! Renderers: the plan (and apply reports) as text for people, JSON for
//! machines and Markdown for pull-request comments. Pure functions from
//! data to strings; printing is the caller's. Secret values
//! (`crate::secrets`) are masked in everything rendered here (`redact`).

pub mod json;
pub mod markdown;
pub mod places;
pub mod redact;
pub mod text;
pub mod traffic;
