//! Loading several files into one [`Spec`]: read each file, agree on
//! `stack` and `region`, merge parameters and resources (a name defined
//! twice is an error naming both files), substitute parameters, type each
//! entry, then validate the whole. Every problem found on the way is kept.

use std::collections::BTreeMap;
use std::path::PathBuf;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;

use super::location::join_key;
use super::params::{self, Params};
use super::parse::{self, FileDoc};
use super::raw::dns::{RawZone, RawZoneDoc};
use super::validate::{self, Broken};
use super::{Diagnostic, Entry, Spec, SpecErrors};

pub fn load(paths: &[PathBuf]) -> Result<Spec, SpecErrors> {
    let mut out = Vec::new();
    let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut docs = Vec::new();
    for (path, file) in paths.iter().zip(&files) {
        match std::fs::read_to_string(path) {
            Ok(text) => docs.extend(parse::read_file(file, &text, &mut out)),
            Err(e) => out.push(Diagnostic {
                file: file.clone(),
                line: 1,
                column: 1,
                path: String::new(),
                message: format!("cannot read `{file}`: {e}"),
                hint: None,
            }),
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

    let mut broken = Broken::default();
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
                &docs,
                i,
                &base,
                &what,
                name,
                value,
                &params,
                &mut tg_seen,
                &mut target_groups,
                &mut out,
            ) {
                broken.target_groups.insert(name.clone());
            }
        }
        for (name, value) in &doc.load_balancers {
            let base = join_key("load_balancers", name);
            let what = format!("load balancer `{name}`");
            let typed = add(
                &docs,
                i,
                &base,
                &what,
                name,
                value,
                &params,
                &mut lb_seen,
                &mut load_balancers,
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
            dns.extend(add_zone(doc, i, index, value, &params, &mut out));
        }
    }
    let spec = Spec {
        stack: stack.unwrap_or_default(),
        region,
        files: files.clone(),
        sources: docs.into_iter().map(|d| d.src).collect(),
        target_groups,
        load_balancers,
        dns,
    };
    validate::validate(&spec, &broken, &mut out);
    if out.is_empty() {
        Ok(spec)
    } else {
        sort(&mut out, &files);
        Err(SpecErrors(out))
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

fn merge_params(docs: &[FileDoc], out: &mut Vec<Diagnostic>) -> Params {
    let mut params = Params::new();
    let mut origin: BTreeMap<String, &str> = BTreeMap::new();
    for d in docs {
        let Some(value) = &d.parameters else { continue };
        for (name, v) in params::read(&d.src, value, out) {
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
            params.insert(name, v);
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
    params: &Params,
    seen: &mut BTreeMap<String, usize>,
    map: &mut IndexMap<String, Entry<T>>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let doc = &docs[file];
    if let Some(first) = seen.get(name) {
        out.push(twice(doc, base, what, &docs[*first].src.file));
        return true;
    }
    seen.insert(name.to_string(), file);
    let mut value = value.clone();
    let before = out.len();
    params::substitute(&mut value, base, params, &doc.src, out);
    if out.len() > before {
        return false;
    }
    match parse::typed(&doc.src, base, what, value) {
        Ok(raw) => {
            map.insert(name.to_string(), Entry { file, raw });
            true
        }
        Err(d) => {
            out.push(d);
            false
        }
    }
}

/// Substitute and type one zone of `dns:`, and each of its records on its
/// own. `None` when the zone itself could not be typed.
fn add_zone(
    doc: &FileDoc,
    file: usize,
    index: usize,
    value: &serde_yaml::Value,
    params: &Params,
    out: &mut Vec<Diagnostic>,
) -> Option<Entry<RawZone>> {
    let base = format!("dns[{index}]");
    let mut value = value.clone();
    let before = out.len();
    params::substitute(&mut value, &base, params, &doc.src, out);
    if out.len() > before {
        return None;
    }
    let what = match value.get("zone") {
        Some(serde_yaml::Value::String(name)) => format!("zone `{name}`"),
        _ => format!("zone #{index}"),
    };
    let zone: RawZoneDoc = match parse::typed(&doc.src, &base, &what, value) {
        Ok(z) => z,
        Err(d) => {
            out.push(d);
            return None;
        }
    };
    let mut records = Vec::new();
    for (j, rec) in zone.records.into_iter().flatten().enumerate() {
        let path = format!("{base}.records[{j}]");
        let text = |k: &str| match rec.get(k) {
            Some(serde_yaml::Value::String(s)) => s.clone(),
            _ => "?".to_string(),
        };
        let what = format!("record `{} {}`", text("name"), text("type"));
        match parse::typed(&doc.src, &path, &what, rec) {
            Ok(r) => records.push((j, r)),
            Err(d) => out.push(d),
        }
    }
    Some(Entry {
        file,
        raw: RawZone {
            index,
            zone: zone.zone,
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
}
