//! The unified diff `lbctl shift -f` prints: of two texts whose lines were
//! changed in place (never added or removed), with a few lines of context.

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// A unified diff of two texts with the same number of lines (the rewrite
/// only changes lines in place); empty when they are equal.
pub(super) fn unified(old: &str, new: &str, path: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    debug_assert_eq!(a.len(), b.len());
    let changed: Vec<usize> = (0..a.len().min(b.len()))
        .filter(|&i| a[i] != b[i])
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let start = i.saturating_sub(CONTEXT);
        let end = (i + CONTEXT + 1).min(a.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    for (start, end) in hunks {
        let len = end - start;
        out.push_str(&format!(
            "@@ -{},{len} +{},{len} @@\n",
            start + 1,
            start + 1
        ));
        let mut i = start;
        while i < end {
            if a[i] == b[i] {
                out.push_str(&format!(" {}\n", a[i]));
                i += 1;
                continue;
            }
            let run_end = (i..end).find(|&j| a[j] == b[j]).unwrap_or(end);
            for line in &a[i..run_end] {
                out.push_str(&format!("-{line}\n"));
            }
            for line in &b[i..run_end] {
                out.push_str(&format!("+{line}\n"));
            }
            i = run_end;
        }
    }
    out
}
