//! Live state as a v1 spec (`lbctl export`): model -> YAML text.
