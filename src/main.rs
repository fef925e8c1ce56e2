//! The `gongshi` command: parse arguments, run, exit with 0 (ok), 1 (content
//! errors) or 2 (usage).

fn main() -> std::process::ExitCode {
    gongshi::cli::main()
}

/// mimalloc rather than the system allocator: see its line in Cargo.toml.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
