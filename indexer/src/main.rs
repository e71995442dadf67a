//! `indexer`: follows compute_market through a node into SQLite or PostgreSQL and serves the REST API.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use compute_market_indexer::{Service, ServiceConfig};

#[derive(Parser)]
#[command(about = "Indexes compute_market's transactions and serves them over a REST API (/openapi.json)")]
struct Args {
    /// The node's JSON-RPC URL.
    #[arg(long, default_value = "http://127.0.0.1:8899")]
    rpc: String,
    /// The node's WebSocket URL (default: the RPC URL's port + 1); `none` to poll only.
    #[arg(long)]
    ws: Option<String>,
    /// `sqlite:<path>` (created if missing) or `postgres://user@host/database`.
    #[arg(long, default_value = "sqlite:index.sqlite")]
    database: String,
    /// Where the API listens.
    #[arg(long, default_value = "127.0.0.1:8902")]
    listen: SocketAddr,
    /// Seconds between polls when no WebSocket notification arrives.
    #[arg(long, default_value_t = 2)]
    poll_secs: u64,
    /// The program to index (default: compute_market's address).
    #[arg(long)]
    program: Option<String>,
}

fn main() {
    let args = Args::parse();
    let mut config = ServiceConfig::new(&args.rpc, &args.database, args.listen);
    match args.ws.as_deref() {
        Some("none") => config.ws_url = None,
        Some(url) => config.ws_url = Some(url.to_string()),
        None => {}
    }
    config.poll = Duration::from_secs(args.poll_secs.max(1));
    if let Some(program) = &args.program {
        match program.parse() {
            Ok(program) => config.program = program,
            Err(_) => fail(&format!("--program {program:?} is not a base58 address")),
        }
    }
    match Service::start(config) {
        Ok(service) => {
            println!("indexing {} from {} into {}", args.program.as_deref().unwrap_or(&compute_market::ID.to_string()), args.rpc, args.database);
            println!("API {}  (OpenAPI at {}/openapi.json)", service.url(), service.url());
            loop {
                std::thread::park();
            }
        }
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("indexer: {message}");
    std::process::exit(1);
}
