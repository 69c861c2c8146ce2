//! Progress while lbctl reads live state: a large stack takes tens of
//! seconds of AWS calls, which on a blank terminal looks like a hang. On a
//! terminal (stderr, not `--quiet`) a spinner counts the calls made so far;
//! anywhere else nothing is printed, so logs and pipes stay clean.

use std::future::Future;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::aws::Aws;

use super::Settings;

/// How often the spinner's count is refreshed.
const REFRESH: Duration = Duration::from_millis(100);

/// Awaits `work`, showing `what` (`reading live state`) and the number of
/// AWS calls so far while it runs, when progress is on.
pub(super) async fn show<F: Future>(
    settings: &Settings,
    aws: &Aws,
    what: &str,
    work: F,
) -> F::Output {
    if !settings.progress {
        return work.await;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let before = calls(aws);
    let message = |aws: &Aws| format!("{what}: {} AWS calls", calls(aws) - before);
    bar.set_message(message(aws));
    bar.enable_steady_tick(REFRESH);
    let ticker = async {
        loop {
            tokio::time::sleep(REFRESH).await;
            bar.set_message(message(aws));
        }
    };
    let out = tokio::select! {
        out = work => out,
        () = ticker => unreachable!("the ticker never ends"),
    };
    bar.finish_and_clear();
    out
}

fn calls(aws: &Aws) -> u64 {
    aws.api_calls().values().sum()
}
