//! The account's Elastic Load Balancing limits (`DescribeAccountLimits`)
//! and the security policies AWS knows (`DescribeSSLPolicies`), for the
//! plan-time checks in `crate::quotas` and `crate::model::ssl_policies`.
//! Read-only; each is called at most once per run, and only when the
//! pipeline needs it.
//!
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeAccountLimits.html>,
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeSSLPolicies.html>

use std::collections::BTreeSet;

use super::client::error;
use super::{Aws, AwsError};
use crate::quotas::Limits;

impl Aws {
    /// Every limit `DescribeAccountLimits` reports, by name, following
    /// markers. A value that is not a whole number is left out (the
    /// quota's default applies).
    pub async fn account_limits(&self) -> Result<Limits, AwsError> {
        let elb = &self.clients.elb;
        let mut out = Limits::new();
        let mut marker = None;
        loop {
            let page = elb
                .describe_account_limits()
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| error("DescribeAccountLimits", "*", e))?;
            for l in page.limits() {
                let (Some(name), Some(max)) = (l.name(), l.max()) else {
                    continue;
                };
                let max = max.trim();
                let whole = max.strip_suffix(".0").unwrap_or(max);
                if let Ok(v) = whole.parse::<u64>() {
                    out.insert(name.to_string(), v);
                }
            }
            marker = page
                .next_marker()
                .filter(|m| !m.is_empty())
                .map(str::to_string);
            if marker.is_none() {
                return Ok(out);
            }
        }
    }

    /// Which of `names` AWS knows as security policies: one
    /// `DescribeSSLPolicies` call; AWS answers `SSLPolicyNotFound` when any
    /// name is unknown, and then each name is asked for alone.
    pub async fn known_ssl_policies(&self, names: &[String]) -> Result<BTreeSet<String>, AwsError> {
        match self.ssl_policies(names).await {
            Ok(found) => Ok(found),
            Err(e) if e.code == "SSLPolicyNotFound" && names.len() > 1 => {
                let mut found = BTreeSet::new();
                for name in names {
                    match self.ssl_policies(std::slice::from_ref(name)).await {
                        Ok(f) => found.extend(f),
                        Err(e) if e.code == "SSLPolicyNotFound" => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(found)
            }
            Err(e) if e.code == "SSLPolicyNotFound" => Ok(BTreeSet::new()),
            Err(e) => Err(e),
        }
    }

    async fn ssl_policies(&self, names: &[String]) -> Result<BTreeSet<String>, AwsError> {
        let out = self
            .clients
            .elb
            .describe_ssl_policies()
            .set_names(Some(names.to_vec()))
            .send()
            .await
            .map_err(|e| error("DescribeSSLPolicies", &names.join(", "), e))?;
        Ok(out
            .ssl_policies()
            .iter()
            .filter_map(|p| p.name().map(str::to_string))
            .filter(|n| names.contains(n))
            .collect())
    }
}
