//! SSM Parameter Store: GetParameters in batches of 10, with decryption.
//!
//! Reads the values of the parameters a spec declares, always decrypted
//! (an undecrypted SecureString is ciphertext, or in moto
//! `kms:<key>:<plaintext>`, and must never be used or shown). SecureString
//! values are registered with `crate::secrets` as each batch arrives, before
//! anything else can see them. A parameter SSM does not have is left out of
//! the result: the spec reports it at its declaration.

use aws_sdk_ssm::types::{Parameter, ParameterType};

use super::client::error;
use super::{Aws, AwsError};
use crate::spec::{SsmValue, SsmValues};

/// GetParameters takes at most this many names per call.
const BATCH: usize = 10;

impl Aws {
    /// The values of SSM parameters by the names (or ARNs) given; names SSM
    /// does not have are absent. Batches of 10 run concurrently.
    pub async fn ssm_parameters(&self, names: &[String]) -> Result<SsmValues, AwsError> {
        let batches = names
            .chunks(BATCH)
            .map(|batch| get_batch(&self.clients.ssm, batch));
        let mut values = SsmValues::new();
        for found in futures::future::try_join_all(batches).await? {
            values.extend(found);
        }
        Ok(values)
    }
}

async fn get_batch(
    client: &aws_sdk_ssm::Client,
    names: &[String],
) -> Result<Vec<(String, SsmValue)>, AwsError> {
    let out = client
        .get_parameters()
        .set_names(Some(names.to_vec()))
        .with_decryption(true)
        .send()
        .await
        .map_err(|e| error("GetParameters", &names.join(", "), e))?;
    let params = out.parameters.unwrap_or_default();
    // Register first: nothing below may print, but errors from here on
    // could carry a value.
    crate::secrets::register(
        params
            .iter()
            .filter(|p| p.r#type == Some(ParameterType::SecureString))
            .filter_map(|p| p.value.as_deref()),
    );
    Ok(names
        .iter()
        .filter_map(|name| {
            let p = params.iter().find(|p| answers(p, name))?;
            Some((
                name.clone(),
                SsmValue {
                    value: p.value.clone().unwrap_or_default(),
                    secure: p.r#type == Some(ParameterType::SecureString),
                },
            ))
        })
        .collect())
}

/// Whether `p` is what `name` asked for: by name, `name:version` or
/// `name:label`, or ARN.
fn answers(p: &Parameter, name: &str) -> bool {
    let own = p.name.as_deref().unwrap_or_default();
    if name == own || p.arn.as_deref() == Some(name) {
        return true;
    }
    match &p.selector {
        // AWS gives the selector with its colon (`:3`).
        Some(sel) => {
            let sel = sel.strip_prefix(':').unwrap_or(sel);
            name == format!("{own}:{sel}")
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_match_name_selector_and_arn() {
        let p = Parameter::builder()
            .name("/a/b")
            .arn("arn:aws:ssm:us-east-1:1:parameter/a/b")
            .selector(":3")
            .build();
        assert!(answers(&p, "/a/b"));
        assert!(answers(&p, "/a/b:3"));
        assert!(answers(&p, "arn:aws:ssm:us-east-1:1:parameter/a/b"));
        assert!(!answers(&p, "/a/c"));
    }
}
