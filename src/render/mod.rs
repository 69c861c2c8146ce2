//! Renderers: the plan (and apply reports) as text for people and JSON for
//! machines. Pure functions from data to strings; printing is the caller's.

pub mod json;
pub mod text;
