//! `localnet`: a local compute_market node on 127.0.0.1:8899 (JSON-RPC) and 8900 (WebSocket).

use std::path::PathBuf;

use clap::Parser;
use compute_market_client::keypair_file::read_keypair;
use compute_market_client::explanations::LOCAL_MATCHER_URL;
use compute_market_client::MarketClient;
use compute_market_indexer::{Service, ServiceConfig};
use compute_market_localnet::local_usdc::{self, AIRDROP_USDC};
use compute_market_localnet::market_setup::{initialize_market, MarketKeys, LAMPORTS_PER_SOL};
use compute_market_localnet::app_server::{self, AppConfig};
use compute_market_localnet::{demo, services, Localnet, NodeConfig, ProgramSource};
use solana_signer::Signer;

#[derive(Parser)]
#[command(about = "A local Solana node with compute_market loaded and its market initialised")]
struct Args {
    /// The sBPF artifact to load; the natively compiled program is used when it does not exist.
    #[arg(long, default_value = "target/deploy/compute_market.so")]
    program: PathBuf,
    /// Folder for the market's admin, treasury and matcher keypairs (and the demo's); never commit it.
    #[arg(long, default_value = ".localnet")]
    keys: PathBuf,
    #[arg(long, default_value_t = 8899)]
    rpc_port: u16,
    #[arg(long, default_value_t = 8900)]
    ws_port: u16,
    /// Airdrop 100 SOL and mint 1,000 local USDC to each of these addresses or keypair files at start-up.
    #[arg(long)]
    airdrop: Vec<String>,
    /// Register demo providers and post demo jobs, and run the matcher and the demo providers' agents,
    /// so the market works by itself.
    #[arg(long)]
    demo: bool,
    /// Serve the built dApp from this folder (app/dist), pointed at this node.
    #[arg(long)]
    app: Option<PathBuf>,
    #[arg(long, default_value_t = 8080)]
    app_port: u16,
    /// The matcher whose explanations the dApp shows.
    #[arg(long, default_value = LOCAL_MATCHER_URL)]
    matcher_url: String,
    /// The index's REST API port (0: a free one); the dApp reads lists, history and charts from it.
    #[arg(long, default_value_t = 8902)]
    api_port: u16,
    /// The index's database: `sqlite:<path>` or `postgres://...` (default: a fresh SQLite file in the keys
    /// folder, as the node's chain is fresh at every start).
    #[arg(long)]
    index: Option<String>,
    /// Do not run the indexer and its API.
    #[arg(long)]
    no_index: bool,
}

fn main() {
    // A job's sandbox starts this executable as its init; that never returns.
    compute_market_agent::sandbox::enter_if_requested();
    // The engine logs every instruction at debug level; quiet unless asked for.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    if let Err(message) = run(Args::parse()) {
        eprintln!("localnet: {message}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), String> {
    let program = ProgramSource::artifact_or_native(args.program.clone());
    // The admin is the program's upgrade authority here, as initialize_market requires.
    let keys = MarketKeys::in_folder(&args.keys)?;
    let config = NodeConfig { rpc_port: args.rpc_port, ws_port: args.ws_port, ..NodeConfig::standard(program, keys.admin.pubkey()) };
    println!("compute_market: {}, upgrade authority {}", config.program.describe(), keys.admin.pubkey());
    let node = Localnet::start(config)?;
    let client = MarketClient::new(&node.rpc_url);

    initialize_market(&client, &keys).map_err(|e| format!("initialising the market: {e}"))?;
    println!("market initialised: admin {} treasury {} matcher {}", keys.admin.pubkey(), keys.treasury.pubkey(), keys.matcher.pubkey());
    println!("  keypairs in {}/ (admin.json, treasury.json, matcher.json)", args.keys.display());
    let usdc = keys.usdc_mint.pubkey();
    println!(
        "USDC (local): mint {usdc}, {} decimals, mint authority the admin; accepted by the market; `--mint USDC` in cmkt (mint table {})",
        local_usdc::DECIMALS,
        keys.mint_table_path().display()
    );

    for target in &args.airdrop {
        let address = match target.parse() {
            Ok(address) => address,
            Err(_) => read_keypair(&compute_market_client::keypair_file::expand_home(target))?.pubkey(),
        };
        client.airdrop(&address, 100 * LAMPORTS_PER_SOL).map_err(|e| format!("airdrop to {address}: {e}"))?;
        local_usdc::mint_usdc(&client, &keys, &address, AIRDROP_USDC).map_err(|e| format!("minting USDC to {address}: {e}"))?;
        println!("airdropped 100 SOL and 1,000 USDC to {address}");
    }

    let api_url = if args.no_index {
        None
    } else {
        let database = match &args.index {
            Some(url) => url.clone(),
            None => {
                let file = args.keys.join("index.sqlite");
                for stale in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{stale}", file.display()));
                }
                format!("sqlite:{}", file.display())
            }
        };
        let listen = ([127, 0, 0, 1], args.api_port).into();
        let index = Service::start(ServiceConfig::new(&node.rpc_url, &database, listen))
            .map_err(|e| format!("starting the indexer: {e}"))?;
        println!("index API: {}  (database {database})", index.url());
        Some(index.url())
    };

    if args.demo {
        demo::seed(&client, &keys).map_err(|e| format!("seeding the demo: {e}"))?;
        let client_keys = demo::client_keypair_path(&args.keys);
        println!("demo: 3 providers registered, 4 jobs posted (one open, one assigned, one running; job {} paid in USDC, which the laptop quotes)", demo::USDC_JOB_ID);
        println!("  every demo party holds 1,000 USDC");
        for line in services::start(&node.rpc_url, &node.ws_url, &args.keys, &keys.matcher, keys.mint_table())? {
            println!("  {line}");
        }
        println!();
        println!("Try, in another terminal:");
        println!("  cmkt market show");
        println!("  cmkt provider list --active");
        println!("  cmkt job list");
        println!("  echo '{{\"version\":1,\"command\":[\"sh\",\"-c\",\"date > out.txt\"],\"outputs\":[\"out.txt\"]}}' > spec.json");
        println!("  cmkt --keypair {} job post --cores 2 --ram-gb 4 --hours 1 --max-price 0.01 --spec spec.json", client_keys.display());
        println!("  cmkt --keypair {} job post --cores 2 --ram-gb 4 --hours 1 --max-price 0.5 --mint USDC --spec spec.json", client_keys.display());
        println!("  cmkt --keypair {} job why 4        # the matcher's word, while it is open", client_keys.display());
        println!("  cmkt --keypair {} job result 4     # download and verify the result", client_keys.display());
        println!("  cmkt mint list                      # the mints the market accepts");
        println!("  cmkt stats");
        println!("(cmkt is at target/debug/cmkt; `make cli` installs it into ~/.cargo/bin)");
    }
    if let Some(dir) = &args.app {
        let config = AppConfig {
            rpc_url: node.rpc_url.clone(),
            ws_url: node.ws_url.clone(),
            matcher_url: args.matcher_url.clone(),
            api_url: api_url.clone(),
            mints: keys.mint_table().labels(),
        };
        let app = app_server::serve(dir, ([127, 0, 0, 1], args.app_port).into(), &config)?;
        println!("dApp: {}/", app.url());
        println!("  with Phantom: Settings > Developer Settings > Testnet Mode, network Solana Localnet; fund it with `cmkt airdrop 10 <ADDRESS>`");
    }
    println!("JSON-RPC {}  WebSocket {}  (Ctrl-C to stop)", node.rpc_url, node.ws_url);
    node.wait();
    Ok(())
}
