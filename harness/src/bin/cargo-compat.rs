//! `cargo compat`: the compat suite's command-line tool (a cargo alias in this
//! repository; `cargo install --path harness` makes it a cargo subcommand elsewhere).

fn main() {
    let args = std::env::args().skip(1).collect();
    std::process::exit(compat_harness::cli::main(args));
}
