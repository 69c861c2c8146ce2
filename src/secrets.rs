//! Secret values (SSM SecureString parameters): kept out of every output.
