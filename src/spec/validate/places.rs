//! The places Route 53 routes by: latency regions and geolocation codes.
//!
//! Lists as Route 53 knows them, so that a code AWS would reject is refused
//! offline: regions from the `ResourceRecordSetRegion` enum of the
//! Route 53 API model (botocore 1.44, aws-sdk-route53 1.132); countries are
//! ISO 3166-1 alpha-2 (the `GeoLocation` type's documentation); subdivisions
//! are US states and possessions (USPS two-letter codes, which the same
//! documentation names). Only data and look-ups here; messages are built
//! by `record`.

/// Regions a latency record may name.
pub const LATENCY_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// ISO 3166-1 alpha-2 country codes, in one string (two letters each).
const COUNTRIES: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// US states, DC and possessions (USPS codes): the subdivisions of `US`.
const US_SUBDIVISIONS: &str = "\
AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO \
MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY \
AS FM GU MH MP PR PW VI";

/// Whether `code` (upper case) is a country Route 53 knows.
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

/// Whether `code` (upper case) is a subdivision of the United States.
pub fn is_us_subdivision(code: &str) -> bool {
    code.len() == 2 && US_SUBDIVISIONS.split(' ').any(|c| c == code)
}

/// Whether `region` is one latency records may name.
pub fn is_latency_region(region: &str) -> bool {
    LATENCY_REGIONS.contains(&region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_complete_and_look_ups_exact() {
        assert_eq!(COUNTRIES.split(' ').count(), 249);
        assert_eq!(US_SUBDIVISIONS.split(' ').count(), 59);
        assert!(is_country("US") && is_country("UA") && is_country("DE"));
        assert!(!is_country("XX") && !is_country("UK") && !is_country("U"));
        assert!(is_us_subdivision("WA") && is_us_subdivision("DC"));
        assert!(!is_us_subdivision("WX"));
        assert!(is_latency_region("us-east-1") && is_latency_region("il-central-1"));
        assert!(!is_latency_region("us-east-9") && !is_latency_region("mars-north-1"));
    }
}
