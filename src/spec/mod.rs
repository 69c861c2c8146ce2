//! The spec: YAML files -> validated [`Spec`] -> desired [`Model`].
//!
//! Owns everything about the user's YAML: parsing, merging several files,
//! validation with file/line/column, and building the desired model once
//! selectors are resolved. Makes no AWS call (selectors are resolved by
//! `aws::ec2`, hosted zones found by the live read, and both handed back in
//! a [`Resolved`]).

mod desired;
mod diag;
mod either;
mod load;
mod location;
mod mask;
mod params;
mod parse;
mod raw;
mod repair;
mod repaired;
mod scalar;
pub mod selector;
mod syntax;
pub mod typed_attrs;
mod validate;

use std::path::PathBuf;

use indexmap::IndexMap;

pub use load::Draft;
pub use params::{SsmValue, SsmValues};
/// How the spec makes zone and record names absolute (`lbctl shift --record` reads them the same way).
pub use raw::dns::{absolute_record, absolute_zone};
/// The one duration parser, for spec values and flags alike.
pub use scalar::parse_duration;
pub use selector::{Resolved, Selector, SelectorKind};
pub use validate::attributes as aws_attributes;
pub use validate::listener_attributes as aws_listener_attributes;
/// Unknown `ssl_policy` names, held back at plan time until AWS is asked.
pub use validate::ssl_policy;

use crate::model::Model;
use diag::Source;
use raw::dns::RawZone;
use raw::{RawLoadBalancer, RawTargetGroup};

/// A problem in a spec file, with its place and, where known, a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the problem has no place in the file (the file
    /// cannot be read, or is given twice).
    pub line: usize,
    /// 1-based; 0 with `line`.
    pub column: usize,
    /// Where in the spec, e.g. `load_balancers.web.listeners[0].port`.
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file, not at a place in it.
    pub fn unplaced(file: &str, message: String, hint: Option<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: 0,
            column: 0,
            path: String::new(),
            message,
            hint,
        }
    }

    /// Whether the problem is at a place in its file.
    pub fn is_placed(&self) -> bool {
        self.line > 0
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_placed() {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// All problems found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<Diagnostic>);

impl std::fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for d in &self.0 {
            writeln!(f, "error: {d}")?;
        }
        let n = self.0.len();
        if self.0.iter().all(|d| !d.is_placed()) {
            return write!(f, "the spec files could not be read; nothing was changed");
        }
        write!(
            f,
            "{n} problem{} in the spec; nothing was changed",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for SpecErrors {}

/// A loaded, validated spec (one or more files merged).
#[derive(Debug, Clone)]
pub struct Spec {
    pub stack: String,
    pub region: Option<String>,
    /// Thresholds from the `safety:` section (`None`: not given).
    safety: crate::safety::Overrides,
    /// The files, as given.
    pub files: Vec<String>,
    /// The files that could be read, with their locations; `Entry::file`
    /// indexes this.
    sources: Vec<Source>,
    target_groups: IndexMap<String, Entry<RawTargetGroup>>,
    load_balancers: IndexMap<String, Entry<RawLoadBalancer>>,
    /// The `dns:` zones of every file, in file order.
    dns: Vec<Entry<RawZone>>,
    /// The top-level `cidr_collections:` of every file, by name.
    cidr_collections: IndexMap<String, Entry<raw::cidr::RawCidrCollection>>,
    /// Where SecureString values went: (file, spec path) -> SSM name.
    sensitive: std::collections::BTreeMap<(String, String), String>,
}

/// A target group or load balancer as written, and the file it is in.
#[derive(Debug, Clone)]
struct Entry<T> {
    file: usize,
    raw: T,
}

impl Spec {
    /// Names of the target groups the spec defines, in file order.
    pub fn target_group_names(&self) -> impl Iterator<Item = &str> {
        self.target_groups.keys().map(String::as_str)
    }

    /// The hosted zones the `dns:` section names, each once: by ID, or by
    /// absolute lower-case name (`example.com.`) and privacy.
    pub fn zones(&self) -> Vec<crate::model::dns::ZoneRef> {
        desired::zone_refs(self)
    }

    /// The safety thresholds the spec's `safety:` section sets; flags win
    /// over them (see `crate::safety::Thresholds::with`).
    pub fn safety(&self) -> &crate::safety::Overrides {
        &self.safety
    }

    /// Names of the CIDR collections the spec defines (`cidr_collections:`).
    pub fn cidr_collection_names(&self) -> impl Iterator<Item = &str> {
        self.cidr_collections.keys().map(String::as_str)
    }

    /// Names of the load balancers the spec defines, in file order.
    pub fn load_balancer_names(&self) -> impl Iterator<Item = &str> {
        self.load_balancers.keys().map(String::as_str)
    }

    /// Every VPC, subnet and security group selector the spec uses, each
    /// once, in a stable order.
    pub fn selectors(&self) -> Vec<(SelectorKind, Selector)> {
        desired::selectors(self)
    }

    /// The desired model, with selectors replaced by what they matched and
    /// `dns` zones looked up in `resolved.zones`. Fails, naming the
    /// selector, where one matched nothing or several where one was
    /// expected, and names a hosted zone that does not exist.
    pub fn to_model(&self, resolved: &Resolved) -> Result<Model, SpecErrors> {
        desired::to_model(self, resolved)
    }

    /// The places of a plan for `desired` where SecureString values stand
    /// (see `crate::secrets::Place`); `values` by SSM name.
    pub fn sensitive_places(
        &self,
        resolved: &Resolved,
        desired: &Model,
        values: &std::collections::BTreeMap<String, String>,
    ) -> Vec<crate::secrets::Place> {
        desired::places(self, resolved, desired, values)
    }
}

/// Read, merge and validate spec files offline. All problems of all files
/// are reported at once. SSM parameters stand in as placeholders whose
/// problems are not reported (see [`Draft::offline`]); `plan` and `apply`
/// load in two phases instead: [`read`], fetch [`Draft::ssm_names`],
/// [`Draft::resolve`].
pub fn load(paths: &[PathBuf]) -> Result<Spec, SpecErrors> {
    load::load(paths)
}

/// Phase one of loading: read the files and collect the parameter
/// declarations, without AWS. Problems are reported by phase two.
pub fn read(paths: &[PathBuf]) -> Draft {
    load::read(paths)
}
