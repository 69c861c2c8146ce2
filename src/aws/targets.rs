//! Target operations for `lbctl targets`: health, register, deregister, waits.
