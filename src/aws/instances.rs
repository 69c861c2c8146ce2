//! EC2 instances for instance selectors: running instances by tags, with their addresses.
