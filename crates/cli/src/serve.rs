//! `chronicle serve`: the record over HTTP, read-only.

use anyhow::{Context, Result, bail};
use clap::Args;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on. Anything but a loopback address needs --public.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Allow listening on a non-loopback address (the record becomes reachable from
    /// other machines).
    #[arg(long)]
    public: bool,
}

pub fn run(data: &Path, args: ServeArgs) -> Result<ExitCode> {
    if !args.addr.ip().is_loopback() && !args.public {
        bail!(
            "{} is not a loopback address: add --public to serve the record to other machines",
            args.addr
        );
    }
    serve(data, args.addr)
}

/// Serves the store in `data` on `addr` until interrupted, printing the URL once
/// listening.
pub fn serve(data: &Path, addr: SocketAddr) -> Result<ExitCode> {
    // Fail early and clearly when there is no store to serve.
    chronicle_store::Store::open_read_only(data)?;
    chronicle_server::run(data.to_path_buf(), addr, |bound| {
        println!(
            "chronicle: serving {} at http://{bound}/ (Ctrl-C to stop)",
            data.display()
        );
        let _ = std::io::Write::flush(&mut std::io::stdout());
    })
    .with_context(|| format!("serving on {addr}"))?;
    Ok(ExitCode::SUCCESS)
}
