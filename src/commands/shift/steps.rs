//! The pure part of `lbctl shift`: its arguments parsed into plain data
//! (`LB:PORT`, steps, interval, `--min-healthy`), and the weights of each
//! step. No AWS call, no output.

use crate::error::Error;

/// Largest weight ELBv2 accepts in a forward.
const MAX_WEIGHT: u32 = 999;

/// `LB:PORT`, parsed.
pub(super) fn parse_listener(text: &str) -> Result<(String, u16), Error> {
    let bad = || {
        usage(format!(
            "`{text}` is not a listener: use `LB:PORT`, e.g. `shop:443`"
        ))
    };
    let (lb, port) = text.rsplit_once(':').ok_or_else(bad)?;
    match port.parse::<u16>() {
        Ok(p) if p > 0 && !lb.is_empty() => Ok((lb.to_string(), p)),
        _ => Err(bad()),
    }
}

/// The steps: shares from 1 to 100 percent, strictly increasing.
pub(super) fn check_steps(steps: &[u32]) -> Result<(), Error> {
    if let Some(s) = steps.iter().find(|s| **s == 0 || **s > 100) {
        return Err(usage(format!(
            "step `{s}` is not a share from 1 to 100 (percent)"
        )));
    }
    if steps.windows(2).any(|w| w[0] >= w[1]) {
        return Err(usage(
            "steps must increase (e.g. `10,25,50,100`); to move traffic back, shift `--to` \
             the other target group"
                .to_string(),
        ));
    }
    Ok(())
}

/// Target group names and weights of a forward.
pub(super) type Weights = Vec<(String, u32)>;

/// Whether the receiving group's share of `weights` is at least `step`
/// percent (then the step has nothing to do).
pub(super) fn reached(weights: &Weights, to: &str, step: u32) -> bool {
    let total: u64 = weights.iter().map(|(_, w)| u64::from(*w)).sum();
    let mine: u64 = weights
        .iter()
        .filter(|(n, _)| n == to)
        .map(|(_, w)| u64::from(*w))
        .sum();
    total > 0 && mine * 100 >= u64::from(step) * total
}

/// The receiving group's share of `weights` in percent, rounded down.
pub(super) fn share(weights: &Weights, to: &str) -> u32 {
    let total: u64 = weights.iter().map(|(_, w)| u64::from(*w)).sum();
    let mine: u64 = weights
        .iter()
        .filter(|(n, _)| n == to)
        .map(|(_, w)| u64::from(*w))
        .sum();
    (mine * 100).checked_div(total).unwrap_or(0) as u32
}

/// The weights of a step: `to` gets `step`, the others share `100 - step`
/// in proportion to their weights in `start` (evenly if those are all 0),
/// as integers that sum to 100 (largest remainders get the rounding).
pub(super) fn weights_for(start: &Weights, to: &str, step: u32) -> Weights {
    let rest = u64::from(100 - step.min(100));
    let others: Vec<(usize, u64)> = start
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| n != to)
        .map(|(i, (_, w))| (i, u64::from(*w)))
        .collect();
    let mut out: Weights = start
        .iter()
        .map(|(n, _)| (n.clone(), if n == to { step } else { 0 }))
        .collect();
    if others.is_empty() {
        return out;
    }
    let sum: u64 = others.iter().map(|(_, w)| w).sum();
    let basis: Vec<(usize, u64)> = if sum == 0 {
        others.iter().map(|(i, _)| (*i, 1)).collect()
    } else {
        others
    };
    let sum: u64 = basis.iter().map(|(_, w)| w).sum();
    let mut given = 0;
    let mut remainders = Vec::new();
    for (i, w) in &basis {
        let exact = rest * w;
        out[*i].1 = (exact / sum) as u32;
        given += exact / sum;
        remainders.push((exact % sum, *i));
    }
    // Largest remainder first; earlier groups win ties.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.into_iter().take((rest - given) as usize) {
        out[i].1 += 1;
    }
    debug_assert!(out.iter().all(|(_, w)| *w <= MAX_WEIGHT));
    out
}

/// `shop-blue 90, shop-green 10`.
pub(super) fn show(weights: &Weights) -> String {
    weights
        .iter()
        .map(|(n, w)| match secret(*w) {
            true => format!("{n} {}", crate::secrets::MASK),
            false => format!("{n} {w}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether weight `w` is the value of a SecureString parameter of the
/// `-f SPEC` (see `super::declare_secrets`).
pub(super) fn secret(w: u32) -> bool {
    crate::secrets::is_declared(&w.to_string())
}

/// [`share`] as shown: masked when a weight it is computed from is a
/// secret.
pub(super) fn shown_share(weights: &Weights, to: &str) -> String {
    if weights.iter().any(|(_, w)| secret(*w)) {
        crate::secrets::MASK.to_string()
    } else {
        format!("{}%", share(weights, to))
    }
}

fn usage(message: String) -> Error {
    Error::Refused {
        message,
        hint: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(pairs: &[(&str, u32)]) -> Weights {
        pairs.iter().map(|(n, w)| (n.to_string(), *w)).collect()
    }

    #[test]
    fn step_weights_sum_to_100_in_proportion() {
        let start = w(&[("blue", 90), ("green", 10)]);
        assert_eq!(
            weights_for(&start, "green", 25),
            w(&[("blue", 75), ("green", 25)])
        );
        assert_eq!(
            weights_for(&start, "green", 100),
            w(&[("blue", 0), ("green", 100)])
        );
        let three = w(&[("a", 1), ("b", 1), ("c", 1)]);
        let out = weights_for(&three, "c", 50);
        assert_eq!(out, w(&[("a", 25), ("b", 25), ("c", 50)]));
        let uneven = w(&[("a", 2), ("b", 1), ("new", 0)]);
        let out = weights_for(&uneven, "new", 10);
        assert_eq!(out, w(&[("a", 60), ("b", 30), ("new", 10)]));
        let odd = w(&[("a", 1), ("b", 1), ("c", 1), ("new", 0)]);
        let out = weights_for(&odd, "new", 0);
        assert_eq!(out.iter().map(|(_, w)| w).sum::<u32>(), 100);
        assert_eq!(out[0].1, 34);
        // Others all at 0: they share evenly.
        let zero = w(&[("a", 0), ("b", 0), ("new", 5)]);
        assert_eq!(
            weights_for(&zero, "new", 50),
            w(&[("a", 25), ("b", 25), ("new", 50)])
        );
    }

    #[test]
    fn reached_and_share() {
        let ws = w(&[("blue", 75), ("green", 25)]);
        assert!(reached(&ws, "green", 25));
        assert!(reached(&ws, "green", 10));
        assert!(!reached(&ws, "green", 26));
        assert_eq!(share(&ws, "green"), 25);
        // Weights need not sum to 100.
        assert!(reached(&w(&[("blue", 1), ("green", 1)]), "green", 50));
        assert!(!reached(&w(&[("blue", 0), ("green", 0)]), "green", 1));
    }

    #[test]
    fn parsing() {
        assert_eq!(parse_listener("shop:443").unwrap(), ("shop".into(), 443));
        assert!(parse_listener("shop").is_err());
        assert!(parse_listener(":443").is_err());
        assert!(parse_listener("shop:0").is_err());
        assert!(check_steps(&[10, 25, 50, 100]).is_ok());
        assert!(check_steps(&[10, 10]).is_err());
        assert!(check_steps(&[0, 10]).is_err());
        assert!(check_steps(&[101]).is_err());
    }
}
