//! The `gongshi` command: parse arguments, run, exit with 0 (ok), 1 (content
//! errors) or 2 (usage).

fn main() -> std::process::ExitCode {
    gongshi::cli::main()
}
