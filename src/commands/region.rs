//! Which region a command talks to. The spec's `region:` (or a saved
//! plan's) ranks first; `--region` may repeat it but never contradict it;
//! only where neither names one does the SDK's chain (`AWS_REGION`, the
//! profile) fill in. Pure: no AWS call.

use crate::error::Error;

/// The region to use: `from_file` (the spec's `region:` or a saved plan's
/// region; `what` names it in the error), else `flag` (`--region`), else
/// `None` for the SDK's chain. A flag that disagrees with the file is an
/// error naming both.
pub(super) fn rank(
    flag: Option<&str>,
    from_file: Option<&str>,
    what: &str,
) -> Result<Option<String>, Error> {
    match (flag, from_file) {
        (Some(f), Some(s)) if f != s => Err(Error::Refused {
            message: format!(
                "--region `{f}` disagrees with {what} `{s}`; nothing was read or changed"
            ),
            hint: Some(format!(
                "{what} wins over --region: drop --region, or pass `--region {s}`, or change {what}"
            )),
        }),
        (_, Some(s)) => Ok(Some(s.to_string())),
        (f, None) => Ok(f.map(str::to_string)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_ranks_first_and_the_flag_may_only_repeat_it() {
        let spec = "the spec's `region:`";
        assert_eq!(
            rank(None, Some("us-east-1"), spec).unwrap(),
            Some("us-east-1".into())
        );
        assert_eq!(
            rank(Some("us-east-1"), Some("us-east-1"), spec).unwrap(),
            Some("us-east-1".into())
        );
        assert_eq!(
            rank(Some("eu-west-1"), None, spec).unwrap(),
            Some("eu-west-1".into())
        );
        assert_eq!(rank(None, None, spec).unwrap(), None);
        let e = rank(Some("eu-west-1"), Some("us-east-1"), spec).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("`eu-west-1`") && text.contains("`us-east-1`"),
            "{text}"
        );
        assert!(e.hint().unwrap().contains("--region us-east-1"));
    }
}
