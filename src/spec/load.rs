//! Loading several files into one [`Spec`], in two phases.
//!
//! Phase one ([`read`], offline): read each file, agree on `stack` and
//! `region`, merge the parameter declarations; the result is a [`Draft`]
//! that knows which SSM parameters the spec needs. Phase two
//! ([`Draft::resolve`] with the values fetched from SSM, or
//! [`Draft::offline`] with placeholders for them): merge resources (a name
//! defined twice is an error naming both files), substitute parameters,
//! type each entry, then validate the whole. Every problem found on the
//! way is kept. No AWS call is made here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;

use super::location::join_key;
use super::params::{self, Binding, Bindings, Def, Seg, SsmValues, Uses};
use super::parse::{self, FileDoc};
use super::raw::dns::{RawZone, RawZoneDoc};
use super::validate::{self, Broken};
use super::{Diagnostic, Entry, Spec, SpecErrors};

/// Spec files read but not yet resolved: phase one of loading.
pub struct Draft {
    files: Vec<String>,
    docs: Vec<FileDoc>,
    /// Problems found in phase one.
    out: Vec<Diagnostic>,
    stack: Option<String>,
    region: Option<String>,
    /// Parameters by name, with the file (index into `docs`) defining them.
    params: BTreeMap<String, (Def, usize)>,
    /// The `safety:` section (at most one file gives it).
    safety: crate::safety::Overrides,
}

/// Phase one: read the files, check their top level, agree on `stack` and
/// `region` and merge the parameter declarations. Problems are kept in the
/// draft and reported by phase two.
pub fn read(paths: &[PathBuf]) -> Draft {
    let mut out = Vec::new();
    let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut docs = Vec::new();
    let mut seen: Vec<(PathBuf, &str)> = Vec::new();
    for (path, file) in paths.iter().zip(&files) {
        let same = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == same) {
            out.push(given_twice(file, first));
            continue;
        }
        seen.push((same, file));
        match std::fs::read_to_string(path) {
            Ok(text) => docs.extend(parse::read_file(file, &text, &mut out)),
            Err(e) => out.push(unreadable(file, &e)),
        }
    }
    let stack = agree(&docs, "stack", |d| d.stack.as_deref(), &mut out);
    let region = agree(&docs, "region", |d| d.region.as_deref(), &mut out);
    if stack.is_none() && !docs.is_empty() && !docs.iter().any(|d| d.stack.is_some()) {
        let msg = "no file gives `stack`".to_string();
        let hint =
            Some("add `stack: NAME` ([a-z0-9-], at most 32 characters) to one of the files".into());
        out.push(docs[0].src.diag("", msg, hint));
    }
    let params = merge_params(&docs, &mut out);
    let safety = validate::safety::section(&docs, &mut out);
    Draft {
        files,
        docs,
        out,
        stack,
        region,
        params,
        safety,
    }
}

/// A file that cannot be read: the problem has no place in it.
fn unreadable(file: &str, e: &std::io::Error) -> Diagnostic {
    let (why, hint) = match e.kind() {
        std::io::ErrorKind::NotFound => {
            ("no such file".to_string(), "check the path given with `-f`")
        }
        std::io::ErrorKind::PermissionDenied => (
            "permission denied".to_string(),
            "check the file's permissions",
        ),
        _ => (e.to_string(), "check the path given with `-f`"),
    };
    Diagnostic::unplaced(
        file,
        format!("cannot read `{file}`: {why}"),
        Some(hint.into()),
    )
}

/// The same file given twice (its names as given may differ).
fn given_twice(file: &str, first: &str) -> Diagnostic {
    let msg = if file == first {
        format!("file `{file}` is given twice")
    } else {
        format!("file `{file}` is given twice (also as `{first}`)")
    };
    Diagnostic::unplaced(file, msg, Some("give each spec file once".into()))
}

/// Read, merge and validate spec files offline: SSM parameters are
/// placeholders (see [`Draft::offline`]).
pub fn load(paths: &[PathBuf]) -> Result<Spec, SpecErrors> {
    read(paths).offline()
}

impl Draft {
    /// The region the files agree on, if any gives one.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The SSM parameter names the spec declares, each once, sorted.
    pub fn ssm_names(&self) -> Vec<String> {
        let names: BTreeSet<&str> = self
            .params
            .values()
            .filter_map(|(def, _)| match def {
                Def::Ssm(name) => Some(name.as_str()),
                Def::Literal(_) => None,
            })
            .collect();
        names.into_iter().map(str::to_string).collect()
    }

    /// Phase two without AWS: every SSM parameter is a placeholder, and
    /// type or validation problems found exactly where one was substituted
    /// are not reported (those values are checked when `resolve` runs, at
    /// plan time).
    pub fn offline(&self) -> Result<Spec, SpecErrors> {
        self.finish(None, |_| false).map(|(spec, _)| spec)
    }

    /// [`Draft::offline`], holding back the problems `defer` picks: when
    /// they are the only ones, the spec comes back with them (for `plan` to
    /// settle with AWS, e.g. `ssl_policy::is_unknown`); otherwise every
    /// problem is an error.
    pub fn offline_deferring(
        &self,
        defer: fn(&Diagnostic) -> bool,
    ) -> Result<(Spec, Vec<Diagnostic>), SpecErrors> {
        self.finish(None, defer)
    }

    /// [`Draft::resolve`], holding back what `defer` picks as
    /// [`Draft::offline_deferring`] does.
    pub fn resolve_deferring(
        &self,
        ssm: &SsmValues,
        defer: fn(&Diagnostic) -> bool,
    ) -> Result<(Spec, Vec<Diagnostic>), SpecErrors> {
        self.finish(Some(ssm), defer)
    }

    /// Phase two with the values fetched from SSM. A declared SSM
    /// parameter missing from `ssm` is an error at its declaration.
    pub fn resolve(&self, ssm: &SsmValues) -> Result<Spec, SpecErrors> {
        self.finish(Some(ssm), |_| false).map(|(spec, _)| spec)
    }

    fn bindings(&self, ssm: Option<&SsmValues>, out: &mut Vec<Diagnostic>) -> Bindings {
        let mut bindings = Bindings::new();
        for (name, (def, file)) in &self.params {
            let binding = match (def, ssm) {
                (Def::Literal(v), _) => Binding::literal(v.clone()),
                (Def::Ssm(_), None) => Binding::placeholder(),
                (Def::Ssm(key), Some(values)) => match values.get(key) {
                    Some(v) if v.secure => Binding::secure(&v.value, key),
                    Some(v) => Binding::ssm(&v.value),
                    None => {
                        out.push(missing(&self.docs[*file], name, key));
                        Binding::placeholder()
                    }
                },
            };
            bindings.insert(name.clone(), binding);
        }
        bindings
    }

    fn finish(
        &self,
        ssm: Option<&SsmValues>,
        defer: fn(&Diagnostic) -> bool,
    ) -> Result<(Spec, Vec<Diagnostic>), SpecErrors> {
        let mut out = self.out.clone();
        let docs = &self.docs;
        let mut subst = Subst {
            params: self.bindings(ssm, &mut out),
            placeholders: BTreeSet::new(),
            sensitive: BTreeMap::new(),
        };

        let mut broken = Broken::default();
        let mut repaired = super::repaired::Repaired::default();
        let mut target_groups = IndexMap::new();
        let mut load_balancers = IndexMap::new();
        // Where each name was first defined, typed or not (a broken first
        // definition still makes a second one a duplicate).
        let (mut tg_seen, mut lb_seen) = (BTreeMap::new(), BTreeMap::new());
        for (i, doc) in docs.iter().enumerate() {
            for (name, value) in &doc.target_groups {
                let base = join_key("target_groups", name);
                let what = format!("target group `{name}`");
                if !add(
                    docs,
                    i,
                    &base,
                    &what,
                    name,
                    value,
                    &mut subst,
                    &mut tg_seen,
                    &mut target_groups,
                    (&mut repaired.target_groups, &mut repaired.at),
                    &mut out,
                ) {
                    broken.target_groups.insert(name.clone());
                }
            }
            for (name, value) in &doc.load_balancers {
                let base = join_key("load_balancers", name);
                let what = format!("load balancer `{name}`");
                let typed = add(
                    docs,
                    i,
                    &base,
                    &what,
                    name,
                    value,
                    &mut subst,
                    &mut lb_seen,
                    &mut load_balancers,
                    (&mut repaired.load_balancers, &mut repaired.at),
                    &mut out,
                );
                if !typed {
                    broken.load_balancers.insert(name.clone());
                }
            }
        }
        let mut dns = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            for (index, value) in doc.dns.iter().enumerate() {
                dns.extend(add_zone(doc, i, index, value, &mut subst, &mut out));
            }
        }
        let cidr_collections = add_cidr_collections(docs, &mut subst, &mut out);
        let spec = Spec {
            stack: self.stack.clone().unwrap_or_default(),
            region: self.region.clone(),
            safety: self.safety,
            files: self.files.clone(),
            sources: docs.iter().map(|d| d.src.clone()).collect(),
            target_groups,
            load_balancers,
            dns,
            cidr_collections,
            sensitive: std::mem::take(&mut subst.sensitive),
        };
        validate::validate(&spec, &broken, &mut out);
        super::repaired::problems(&spec, &broken, repaired, &mut out);
        // A placeholder is not the real value: what is wrong with it is
        // not the spec's problem.
        out.retain(|d| {
            !subst
                .placeholders
                .contains(&(d.file.clone(), d.path.clone()))
        });
        if let Some(ssm) = ssm {
            super::mask::secrets(&mut out, &spec.sensitive, ssm);
        }
        sort(&mut out, &self.files);
        if out.iter().all(defer) {
            Ok((spec, out))
        } else {
            Err(SpecErrors(out))
        }
    }
}

/// A declared SSM parameter that SSM does not have.
fn missing(doc: &FileDoc, name: &str, key: &str) -> Diagnostic {
    let path = join_key(&join_key("parameters", name), "ssm");
    let msg = format!("parameter `{name}`: SSM parameter `{key}` not found");
    let hint = format!(
        "check the name and the region, or create it: `aws ssm put-parameter --name {key} --type String --value ...`"
    );
    doc.src.diag(&path, msg, Some(hint))
}

/// Parameter bindings, and the places placeholders went to, by (file,
/// path).
struct Subst {
    params: Bindings,
    placeholders: BTreeSet<(String, String)>,
    /// Where SecureString values went: (file, path) -> SSM name.
    sensitive: BTreeMap<(String, String), String>,
}

impl Subst {
    /// Substitute parameters in `value` at `base`; `None` when a reference
    /// is wrong (reported in `out`).
    fn apply(
        &mut self,
        doc: &FileDoc,
        base: &str,
        value: &serde_yaml::Value,
        out: &mut Vec<Diagnostic>,
    ) -> Option<(serde_yaml::Value, Vec<params::Alternative>)> {
        let mut value = value.clone();
        let mut uses = Uses::default();
        let before = out.len();
        params::substitute(&mut value, base, &self.params, &doc.src, out, &mut uses);
        let file = &doc.src.file;
        self.placeholders
            .extend(uses.placeholders.into_iter().map(|p| (file.clone(), p)));
        self.sensitive.extend(
            uses.sensitive
                .into_iter()
                .map(|(p, name)| ((file.clone(), p), name)),
        );
        (out.len() == before).then_some((value, uses.alternatives))
    }
}

/// `stack` and `region`: optional in each file, equal where repeated.
fn agree(
    docs: &[FileDoc],
    key: &str,
    get: impl Fn(&FileDoc) -> Option<&str>,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let mut first: Option<(&str, &str)> = None;
    for d in docs {
        let Some(v) = get(d) else { continue };
        match first {
            None => first = Some((v, &d.src.file)),
            Some((f, _)) if f == v => {}
            Some((f, file)) => {
                let msg = format!("`{key}` is `{v}` here but `{f}` in `{file}`");
                let hint = format!("every file that gives `{key}` must give the same value");
                out.push(d.src.diag(key, msg, Some(hint)));
            }
        }
    }
    first.map(|(v, _)| v.to_string())
}

fn merge_params(docs: &[FileDoc], out: &mut Vec<Diagnostic>) -> BTreeMap<String, (Def, usize)> {
    let mut params = BTreeMap::new();
    let mut origin: BTreeMap<String, &str> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        let Some(value) = &d.parameters else { continue };
        for (name, def) in params::read(&d.src, value, out) {
            if let Some(first) = origin.get(&name) {
                out.push(twice(
                    d,
                    &join_key("parameters", &name),
                    &format!("parameter `{name}`"),
                    first,
                ));
                continue;
            }
            origin.insert(name.clone(), &d.src.file);
            params.insert(name, (def, i));
        }
    }
    params
}

fn twice(doc: &FileDoc, path: &str, what: &str, first_file: &str) -> Diagnostic {
    let msg = if first_file == doc.src.file {
        format!("{what} is defined twice in `{first_file}`")
    } else {
        format!(
            "{what} is defined twice: in `{first_file}` and in `{}`",
            doc.src.file
        )
    };
    let hint = Some("names must be unique across all spec files; rename or remove one".into());
    doc.src.diag_key(path, msg, hint)
}

/// Where [`add`] puts an entry that typed only after repairs (one map of
/// [`super::repaired::Repaired`]), and the (file, path) places repaired.
type Repaired<'a, T> = (
    &'a mut IndexMap<String, Entry<T>>,
    &'a mut BTreeSet<(String, String)>,
);

/// Substitute and type one entry and add it to `map`. Returns false when
/// the entry could not be typed (its problems are in `out`).
#[allow(clippy::too_many_arguments)]
fn add<T: DeserializeOwned>(
    docs: &[FileDoc],
    file: usize,
    base: &str,
    what: &str,
    name: &str,
    value: &serde_yaml::Value,
    subst: &mut Subst,
    seen: &mut BTreeMap<String, usize>,
    map: &mut IndexMap<String, Entry<T>>,
    repaired: Repaired<'_, T>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let doc = &docs[file];
    if let Some(first) = seen.get(name) {
        out.push(twice(doc, base, what, &docs[*first].src.file));
        return true;
    }
    seen.insert(name.to_string(), file);
    let Some((value, mut alternatives)) = subst.apply(doc, base, value, out) else {
        return false;
    };
    match params::typed_repaired(&doc.src, base, what, value, &mut alternatives) {
        Ok(raw) => {
            map.insert(name.to_string(), Entry { file, raw });
            true
        }
        Err((ds, fixed)) => {
            if let Some(raw) = fixed {
                repaired.0.insert(name.to_string(), Entry { file, raw });
                repaired
                    .1
                    .extend(ds.iter().map(|d| (d.file.clone(), d.path.clone())));
            }
            out.extend(ds);
            false
        }
    }
}

/// Substitute and type every `cidr_collections` entry of every file (a
/// name defined twice is reported like a target group's).
fn add_cidr_collections(
    docs: &[FileDoc],
    subst: &mut Subst,
    out: &mut Vec<Diagnostic>,
) -> IndexMap<String, Entry<super::raw::cidr::RawCidrCollection>> {
    let (mut map, mut seen) = (IndexMap::new(), BTreeMap::new());
    // Repairs are not offered for collections: their problems are reported.
    let (mut fixed, mut at) = (IndexMap::new(), BTreeSet::new());
    for (i, doc) in docs.iter().enumerate() {
        for (name, value) in &doc.cidr_collections {
            let base = join_key("cidr_collections", name);
            let what = format!("CIDR collection `{name}`");
            add(
                docs,
                i,
                &base,
                &what,
                name,
                value,
                subst,
                &mut seen,
                &mut map,
                (&mut fixed, &mut at),
                out,
            );
        }
    }
    map
}

/// Substitute and type one zone of `dns:`, and each of its records on its
/// own. `None` when the zone itself could not be typed.
fn add_zone(
    doc: &FileDoc,
    file: usize,
    index: usize,
    value: &serde_yaml::Value,
    subst: &mut Subst,
    out: &mut Vec<Diagnostic>,
) -> Option<Entry<RawZone>> {
    let base = format!("dns[{index}]");
    let (value, mut alternatives) = subst.apply(doc, &base, value, out)?;
    let what = match value.get("zone") {
        Some(serde_yaml::Value::String(name)) => format!("zone `{name}`"),
        _ => format!("zone #{index}"),
    };
    let listed = value.get("records").cloned();
    let typed = params::typed::<RawZoneDoc>(&doc.src, &base, &what, value, &mut alternatives);
    let (zone, listed) = match typed {
        Ok(mut z) => {
            let listed = z.records.take();
            (Some(z), listed)
        }
        Err(ds) => {
            out.extend(ds);
            // The records' own problems are reported all the same.
            let listed = listed.and_then(|l| serde_yaml::from_value(l).ok());
            (None, listed)
        }
    };
    let mut records = Vec::new();
    for (j, rec) in listed.into_iter().flatten().enumerate() {
        let path = format!("{base}.records[{j}]");
        let text = |k: &str| match rec.get(k) {
            Some(serde_yaml::Value::String(s)) => s.clone(),
            _ => "?".to_string(),
        };
        let what = format!("record `{} {}`", text("name"), text("type"));
        let at = [Seg::Key("records".into()), Seg::Index(j)];
        let mut inside = params::inside(&alternatives, &at);
        match params::typed(&doc.src, &path, &what, rec, &mut inside) {
            Ok(r) => records.push((j, r)),
            Err(ds) => out.extend(ds),
        }
    }
    Some(Entry {
        file,
        raw: RawZone {
            index,
            zone: zone?.zone,
            records,
        },
    })
}

/// Order problems by file (as given), then line and column.
fn sort(out: &mut [Diagnostic], files: &[String]) {
    let rank = |f: &str| files.iter().position(|x| x == f).unwrap_or(usize::MAX);
    out.sort_by_key(|d| (rank(&d.file), d.line, d.column));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn parameters_merge_across_files_and_clash_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            &dir,
            "a.yaml",
            "version: 1\nstack: s\nparameters:\n  port: { value: 80 }\n",
        );
        let b = write(
            &dir,
            "b.yaml",
            "version: 1\ntarget_groups:\n  web: { protocol: HTTP, port: \"${port}\", vpc: vpc-1 }\n",
        );
        let spec = load(&[a.clone(), b.clone()]).unwrap_or_else(|e| panic!("{e}"));
        let model = spec.to_model(&Default::default()).unwrap();
        assert_eq!(model.target_groups["web"].port, Some(80));

        let c = write(
            &dir,
            "c.yaml",
            "version: 1\nstack: t\nparameters:\n  port: { value: 81 }\n",
        );
        let errs = load(&[a, b, c]).unwrap_err().0;
        let msgs: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("`stack` is `t` here but `s` in"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("parameter `port` is defined twice: in"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].contains("a.yaml") && msgs[1].contains("c.yaml"),
            "{msgs:?}"
        );
    }

    const SSM_SPEC: &str = "version: 1
stack: s
parameters:
  port: { ssm: /app/port }
  hc: { ssm: /app/hc-enabled }
  proto: { ssm: /app/proto }
  owner: { value: web }
target_groups:
  web:
    protocol: \"${proto}\"
    port: ${port}
    vpc: vpc-1
    health_check: { enabled: \"${hc}\", path: /health }
    tags: { owner: \"${owner}\", note: \"port-${port}\" }
";

    fn values(pairs: &[(&str, &str)]) -> SsmValues {
        pairs
            .iter()
            .map(|(k, v)| {
                let value = params::SsmValue {
                    value: v.to_string(),
                    secure: false,
                };
                (k.to_string(), value)
            })
            .collect()
    }

    #[test]
    fn phase_one_collects_ssm_names_and_offline_suppresses_only_their_places() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(&dir, "a.yaml", SSM_SPEC);
        let draft = read(&[a]);
        assert_eq!(
            draft.ssm_names(),
            ["/app/hc-enabled", "/app/port", "/app/proto"]
        );
        // "1" is no protocol: reported nowhere, since it is a placeholder.
        let spec = draft.offline().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec.stack, "s");

        // A problem away from the placeholders is still reported.
        let b = write(
            &dir,
            "b.yaml",
            &SSM_SPEC.replace("path: /health", "path: /health, interval: soon"),
        );
        let errs = read(&[b]).offline().unwrap_err().0;
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].path, "target_groups.web.health_check.interval");
    }

    #[test]
    fn phase_two_substitutes_fetched_values_with_their_types() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(&dir, "a.yaml", SSM_SPEC);
        let draft = read(&[a]);
        let fetched = values(&[
            ("/app/port", "8080"),
            ("/app/hc-enabled", "true"),
            ("/app/proto", "HTTP"),
        ]);
        let spec = draft.resolve(&fetched).unwrap_or_else(|e| panic!("{e}"));
        let model = spec.to_model(&Default::default()).unwrap();
        let tg = &model.target_groups["web"];
        assert_eq!(tg.port, Some(8080));
        assert_eq!(tg.tags.get("note").map(String::as_str), Some("port-8080"));

        // A fetched value that is wrong is reported where it is used.
        let bad = values(&[
            ("/app/port", "8080"),
            ("/app/hc-enabled", "true"),
            ("/app/proto", "HTTPX"),
        ]);
        let errs = draft.resolve(&bad).unwrap_err().0;
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].path, "target_groups.web.protocol");
        assert_eq!(errs[0].line, 10);
    }

    #[test]
    fn a_missing_ssm_parameter_is_reported_at_its_declaration_only() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(&dir, "a.yaml", SSM_SPEC);
        let fetched = values(&[("/app/hc-enabled", "true"), ("/app/proto", "HTTP")]);
        let errs = read(&[a]).resolve(&fetched).unwrap_err().0;
        assert_eq!(errs.len(), 1, "{errs:?}");
        let e = &errs[0];
        assert_eq!(
            e.message,
            "parameter `port`: SSM parameter `/app/port` not found"
        );
        assert_eq!(
            (e.line, e.column, e.path.as_str()),
            (4, 16, "parameters.port.ssm")
        );
        assert!(e
            .hint
            .as_deref()
            .unwrap()
            .contains("put-parameter --name /app/port"));
    }
}
