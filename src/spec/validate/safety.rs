//! The top-level `safety:` section: typed and checked in phase one of
//! loading (it takes no parameters), at most one file gives it.

use crate::safety::{parse_share, Overrides};
use crate::spec::location::join_key;
use crate::spec::parse::FileDoc;
use crate::spec::raw::RawSafety;
use crate::spec::scalar::Text;
use crate::spec::Diagnostic;

/// The thresholds the files' `safety:` sections set; problems go to `out`.
pub fn section(docs: &[FileDoc], out: &mut Vec<Diagnostic>) -> Overrides {
    let mut given = docs.iter().filter_map(|d| Some((d, d.safety.as_ref()?)));
    let Some((doc, value)) = given.next() else {
        return Overrides::default();
    };
    for (other, _) in given {
        let msg = format!(
            "`safety` is given here and in `{}`; give it in one file",
            doc.src.file
        );
        out.push(other.src.diag_key("safety", msg, None));
    }
    // Every problem of the section, not only the first.
    let typed = crate::spec::params::typed(&doc.src, "safety", "`safety`", value.clone(), &mut []);
    let raw: RawSafety = match typed {
        Ok(raw) => raw,
        Err(ds) => {
            out.extend(ds);
            return Overrides::default();
        }
    };
    let mut share = |key: &str, v: &Option<Text>| {
        let text = v.as_ref()?;
        match parse_share(text.as_str()) {
            Ok(p) => Some(p),
            Err(e) => {
                let path = join_key("safety", key);
                let msg = format!("`safety.{key}`: {e}");
                let hint = "a share from `0%` to `100%`, e.g. `30%`".to_string();
                out.push(doc.src.diag(&path, msg, Some(hint)));
                None
            }
        }
    };
    Overrides {
        max_delete_share: share("max_delete_share", &raw.max_delete_share),
        max_record_delete_share: share("max_record_delete_share", &raw.max_record_delete_share),
        max_target_removal_share: share("max_target_removal_share", &raw.max_target_removal_share),
        max_weight_removal_share: share("max_weight_removal_share", &raw.max_weight_removal_share),
        allow_load_balancer_delete: raw.allow_load_balancer_delete,
    }
}
