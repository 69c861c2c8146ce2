//! Reading live state for `lbctl export`.
