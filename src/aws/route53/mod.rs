//! Route 53: reading the hosted zones a spec names into the DNS model and
//! executing record set and health check steps. Route 53 SDK types stay in
//! here.
//!
//! Files: `read` (zones, record sets, managed health checks), `discover`
//! (the zones and health checks tagged for a stack; zone tags), `convert`
//! (SDK <-> model), `batch` (ordering and packing changes within Route 53's
//! limits), `execute` (change batches of one zone), `health_check`
//! (create, update, delete), `health_config` (the configuration sent),
//! `recover` (whether a refused change batch had already been applied),
//! `unmanaged` (what the model cannot express), `cidr` (CIDR collections).

mod batch;
mod cidr;
mod convert;
mod discover;
mod execute;
mod health_check;
mod health_config;
mod read;
mod recover;
mod unmanaged;

pub(crate) use cidr::{change as cidr_change, read as read_cidr};
pub(crate) use convert::normalize_name;
pub(crate) use discover::{read_stack, tag_zone};
pub(crate) use execute::{execute_zone, wait_insync};
pub(crate) use read::{all_record_sets, find_zone, read};

pub(crate) mod health_checks {
    //! Health check steps, for the step executor.
    pub(crate) use super::health_check::{create, delete, update};
}
