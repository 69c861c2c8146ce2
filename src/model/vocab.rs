//! The vocabulary of the spec and of AWS in one place: each kind of value
//! (record type, health check type, ...) is an enum whose variants carry the
//! word the spec writes and the word AWS uses. Validation, the JSON Schema
//! and export take their lists of allowed values from here, so a new value
//! is added once.

/// Declares a vocabulary enum: `Variant => ("spec word", "AWS word")`.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident => ($spec:literal, $aws:literal)),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in the order the spec documents them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word the spec writes.
            pub fn spec_name(self) -> &'static str {
                match self {
                    $($name::$variant => $spec),+
                }
            }

            /// The word AWS uses.
            pub fn aws_name(self) -> &'static str {
                match self {
                    $($name::$variant => $aws),+
                }
            }

            /// The value the spec's or AWS's word names (ASCII case is
            /// ignored), if any.
            pub fn parse(word: &str) -> Option<$name> {
                let w = word.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.spec_name().eq_ignore_ascii_case(w) || v.aws_name().eq_ignore_ascii_case(w))
            }

            /// The spec's words, for "one of ..." messages and the schema.
            pub fn spec_names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.spec_name()).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.spec_name())
            }
        }
    };
}

vocabulary! {
    /// A DNS record type lbctl manages (Route 53's word is the same).
    RecordType {
        A => ("A", "A"),
        Aaaa => ("AAAA", "AAAA"),
        Cname => ("CNAME", "CNAME"),
        Txt => ("TXT", "TXT"),
        Mx => ("MX", "MX"),
        Srv => ("SRV", "SRV"),
        Ns => ("NS", "NS"),
        Caa => ("CAA", "CAA"),
        Ptr => ("PTR", "PTR"),
        Spf => ("SPF", "SPF"),
        Naptr => ("NAPTR", "NAPTR"),
        Ds => ("DS", "DS"),
        Https => ("HTTPS", "HTTPS"),
        Svcb => ("SVCB", "SVCB"),
        Tlsa => ("TLSA", "TLSA"),
        Sshfp => ("SSHFP", "SSHFP"),
    }
}

impl RecordType {
    /// Whether Route 53 lets a record of this type be an alias (all but NS,
    /// and DS).
    pub fn may_alias(self) -> bool {
        !matches!(self, RecordType::Ns | RecordType::Ds)
    }

    /// The types an alias may have, in the spec's words.
    pub fn alias_names() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|t| t.may_alias())
            .map(|t| t.spec_name())
            .collect()
    }
}

vocabulary! {
    /// A Route 53 health check type. Endpoint types are written as AWS
    /// names them; the others in lower case (`calculated`).
    HealthCheckType {
        Http => ("HTTP", "HTTP"),
        Https => ("HTTPS", "HTTPS"),
        Tcp => ("TCP", "TCP"),
        HttpStrMatch => ("HTTP_STR_MATCH", "HTTP_STR_MATCH"),
        HttpsStrMatch => ("HTTPS_STR_MATCH", "HTTPS_STR_MATCH"),
        Calculated => ("calculated", "CALCULATED"),
        CloudwatchAlarm => ("cloudwatch_alarm", "CLOUDWATCH_METRIC"),
        RecoveryControl => ("recovery_control", "RECOVERY_CONTROL"),
    }
}

impl HealthCheckType {
    /// Whether the check probes an endpoint (has an address or a name).
    pub fn is_endpoint(self) -> bool {
        matches!(
            self,
            HealthCheckType::Http
                | HealthCheckType::Https
                | HealthCheckType::Tcp
                | HealthCheckType::HttpStrMatch
                | HealthCheckType::HttpsStrMatch
        )
    }

    /// Whether the check needs a `search_string`.
    pub fn matches_string(self) -> bool {
        matches!(
            self,
            HealthCheckType::HttpStrMatch | HealthCheckType::HttpsStrMatch
        )
    }

    /// The endpoint types, in AWS's words.
    pub fn endpoint_names() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|t| t.is_endpoint())
            .map(|t| t.aws_name())
            .collect()
    }
}

vocabulary! {
    /// A continent code of a geolocation record.
    Continent {
        Africa => ("AF", "AF"),
        Antarctica => ("AN", "AN"),
        Asia => ("AS", "AS"),
        Europe => ("EU", "EU"),
        Oceania => ("OC", "OC"),
        NorthAmerica => ("NA", "NA"),
        SouthAmerica => ("SA", "SA"),
    }
}

/// Route 53's largest TTL, in seconds.
pub const MAX_TTL: u64 = 2_147_483_647;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_parse_back_to_their_values_in_either_case() {
        for t in HealthCheckType::ALL {
            assert_eq!(HealthCheckType::parse(t.spec_name()), Some(*t));
            assert_eq!(HealthCheckType::parse(t.aws_name()), Some(*t));
        }
        assert_eq!(
            HealthCheckType::parse("Calculated"),
            Some(HealthCheckType::Calculated)
        );
        assert_eq!(RecordType::parse("aaaa"), Some(RecordType::Aaaa));
        assert_eq!(RecordType::parse("SOA"), None);
    }

    #[test]
    fn aliases_are_refused_for_ns_and_ds_only() {
        let refused: Vec<_> = RecordType::ALL.iter().filter(|t| !t.may_alias()).collect();
        assert_eq!(refused, [&RecordType::Ns, &RecordType::Ds]);
        assert_eq!(
            HealthCheckType::endpoint_names(),
            ["HTTP", "HTTPS", "TCP", "HTTP_STR_MATCH", "HTTPS_STR_MATCH"]
        );
    }
}
