//! The man pages shipped in `docs/`: `docs/lbctl.1` and one page per
//! subcommand in `docs/man/` (`lbctl-plan.1`, `lbctl-targets-list.1`, ...),
//! generated from the clap definition with clap_mangen. This test keeps
//! them in sync; run it with `LBCTL_BLESS=1` to regenerate them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

const BLESS: &str = "run LBCTL_BLESS=1 cargo test --test it man::";

/// Every page, rendered: file path (relative to the repository) -> roff.
fn pages() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut cmd = lbctl::cli::Cli::command().disable_help_subcommand(true);
    // Building gives subcommands their display names (`lbctl-plan`).
    cmd.build();
    let mut out = BTreeMap::new();
    out.insert(PathBuf::from("docs/lbctl.1"), render(cmd.clone()));
    add_subcommands(&cmd, &mut out);
    out
}

fn add_subcommands(cmd: &clap::Command, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = clap_mangen::Man::new(sub.clone());
        out.insert(
            Path::new("docs/man").join(man.get_filename()),
            render(sub.clone()),
        );
        add_subcommands(sub, out);
    }
}

fn render(cmd: clap::Command) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut buf)
        .expect("render man page");
    buf
}

#[test]
fn shipped_man_pages_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = pages();
    let bless = std::env::var_os("LBCTL_BLESS").is_some();
    let man_dir = root.join("docs/man");
    // Pages of subcommands that no longer exist.
    let stale: Vec<PathBuf> = std::fs::read_dir(&man_dir)
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "1"))
        .filter(|p| !pages.contains_key(p.strip_prefix(root).unwrap()))
        .collect();
    if bless {
        std::fs::create_dir_all(&man_dir).unwrap();
        for p in &stale {
            std::fs::remove_file(p).unwrap();
        }
        for (path, text) in &pages {
            std::fs::write(root.join(path), text).unwrap();
        }
        return;
    }
    assert!(stale.is_empty(), "stale man pages {stale:?}; {BLESS}");
    for (path, text) in &pages {
        let shipped = std::fs::read(root.join(path))
            .unwrap_or_else(|_| panic!("missing {}; {BLESS}", path.display()));
        assert!(
            &shipped == text,
            "{} is out of date; {BLESS}",
            path.display()
        );
    }
}

#[test]
fn the_main_page_documents_commands_and_safety_flags() {
    let pages = pages();
    let main = String::from_utf8(pages[Path::new("docs/lbctl.1")].clone()).unwrap();
    assert!(
        main.starts_with(".ie \\n(.g .ds Aq"),
        "not roff: {main:.80}"
    );
    for word in ["lbctl\\-plan", "lbctl\\-apply", "\\-\\-endpoint\\-url"] {
        assert!(main.contains(word), "{word} missing from docs/lbctl.1");
    }
    let apply = String::from_utf8(pages[Path::new("docs/man/lbctl-apply.1")].clone()).unwrap();
    for flag in [
        "\\-\\-force",
        "\\-\\-max\\-delete\\-share",
        "\\-\\-allow\\-load\\-balancer\\-delete",
    ] {
        assert!(apply.contains(flag), "{flag} missing from lbctl-apply.1");
    }
}
