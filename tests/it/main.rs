//! The integration tests, as one test binary: each module below was its own
//! binary once, and each of those linked the AWS SDK again (a heavy link on
//! a 2-core machine). Run one module with `cargo test --test it e2e::` or
//! one test with `cargo test --test it -- e2e::some_test --exact`.
//!
//! `support` (beside this folder, `tests/support/`) starts moto servers,
//! runs the `lbctl` binary and reads back what it did.

#[path = "../support/mod.rs"]
mod support;

mod apply_outputs;
mod auth;
mod auth_invalid;
mod auth_steps;
mod cli;
mod cli_edges;
mod client;
mod conditions;
mod conditions_invalid;
mod converge;
mod destroy;
mod dns_health;
mod dns_routing;
mod dns_stack;
mod e2e;
mod e2e_dns;
mod export;
mod export_scope;
mod faults;
mod fuzz_spec;
mod golden;
mod harness;
mod health_gate;
mod health_wait;
mod instances;
mod lb_surface;
mod listener_attributes;
mod lossless;
mod lossless_audit;
mod lossless_dns;
mod man;
mod markdown;
mod model_check;
mod mutations;
mod nlb;
mod plan_zones;
mod quotas;
mod replace;
mod safety;
mod saved_plan;
mod scale;
mod schema;
mod shift;
mod shift_dns;
mod shift_secret;
mod spec_invalid;
mod ssm;
mod ssm_live_secrets;
mod ssm_numbers;
mod targets;
mod traffic;
mod validate_every_problem;
mod validate_parity;
