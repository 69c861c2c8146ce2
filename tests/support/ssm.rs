//! Putting SSM parameters into moto, for the tests of `${...}` values.
#![allow(dead_code)]

use aws_sdk_ssm::types::ParameterType;

use super::Moto;

impl Moto {
    /// Puts (or overwrites) parameter `name`: a SecureString when `secure`,
    /// else a String. Runs its own runtime: call it outside async code.
    pub fn put_parameter(&self, name: &str, value: &str, secure: bool) {
        let kind = if secure {
            ParameterType::SecureString
        } else {
            ParameterType::String
        };
        tokio::runtime::Runtime::new()
            .expect("tokio runtime")
            .block_on(async {
                let ssm = aws_sdk_ssm::Client::new(&self.sdk_config().await);
                ssm.put_parameter()
                    .name(name)
                    .value(value)
                    .r#type(kind)
                    .overwrite(true)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("put {name}: {e:?}"));
            });
    }
}
