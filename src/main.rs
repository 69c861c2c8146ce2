//! The `lbctl` binary: parse arguments, run, exit with the code the
//! command decided (see `lbctl::error::ExitStatus`).

fn main() {
    std::process::exit(lbctl::commands::main());
}
