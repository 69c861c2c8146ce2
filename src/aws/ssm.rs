//! SSM Parameter Store: GetParameters in batches of 10, with decryption.
