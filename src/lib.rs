//! lbctl: AWS load balancing (ELBv2) and Route 53 as code.
//!
//! The pipeline reads off the modules: `spec` (YAML -> validated spec ->
//! desired `model`), `aws` (live state -> `model`, and executing steps),
//! `diff` (desired vs live -> `plan`), `apply` (runs a plan), `render`
//! (text and JSON), `commands` (one function per subcommand), `cli` (flags).

pub mod apply;
pub mod aws;
pub mod cli;
pub mod commands;
pub mod diff;
pub mod error;
pub mod export;
pub mod health;
pub mod model;
pub mod output;
pub mod plan;
pub mod quotas;
pub mod render;
pub mod safety;
pub mod saved;
pub mod schema;
pub mod secrets;
pub mod spec;
pub mod traffic;
pub mod ttl;
