//! The `chronicle` command-line tool: arguments are parsed once into typed commands
//! here, and each command lives in its own module.

mod eval;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// chronicle: a living, cited record of what happened, built from raw news.
#[derive(Debug, Parser)]
#[command(name = "chronicle", version, about, propagate_version = true)]
struct Cli {
    /// The data directory (database, index, raw documents).
    #[arg(
        long,
        global = true,
        env = "CHRONICLE_DATA",
        default_value = "chronicle-data"
    )]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Measure quality on an evaluation dataset.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Eval(command) => eval::run(command),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {error}");
            for cause in error.chain().skip(1) {
                let _ = writeln!(stderr, "  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

/// A closed pipe (`chronicle … | head`) is a normal way for output to end.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
