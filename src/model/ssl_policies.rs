//! The ELBv2 security policy names lbctl knows, the one list `validate`
//! checks `ssl_policy` against (HTTPS listeners of application load
//! balancers and TLS listeners of network load balancers share them).
//!
//! From "Security policies for your Application Load Balancer"
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html>)
//! and "Security policies for your Network Load Balancer"
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html>),
//! December 2026. AWS adds policies now and then: a name missing here is
//! asked of AWS (`DescribeSSLPolicies`) at plan time before it is refused.

/// Every security policy name, TLS 1.3 ones first.
pub const NAMES: &[&str] = &[
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-1-2019-08",
    "ELBSecurityPolicy-FS-2018-06",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-2015-05",
];

/// Whether lbctl knows `name` as a security policy (exact, as AWS
/// compares names).
pub fn is_known(name: &str) -> bool {
    NAMES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_aws_defaults_and_no_name_twice() {
        assert!(is_known("ELBSecurityPolicy-2016-08"));
        assert!(is_known("ELBSecurityPolicy-TLS13-1-2-Res-2021-06"));
        assert!(!is_known("elbsecuritypolicy-2016-08"));
        let unique: std::collections::BTreeSet<_> = NAMES.iter().collect();
        assert_eq!(unique.len(), NAMES.len());
    }
}
