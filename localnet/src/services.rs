//! The services that make a local market work by itself: the matcher (with the market's matcher key)
//! and a provider agent for each demo provider, each on its own thread beside the node.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use compute_market_agent::{Agent, AgentConfig};
use compute_market_client::explanations::LOCAL_MATCHER_URL;
use compute_market_client::keypair_file::read_keypair;
use compute_market_client::mints::MintTable;
use compute_market_matcher::{Matcher, MatcherConfig};
use solana_keypair::Keypair;

use crate::demo::{provider_keypair_path, DEMO_GPUS_UNVERIFIED, PROVIDER_NAMES};

/// The first demo agent's port; the others follow.
pub const FIRST_AGENT_PORT: u16 = 8911;
const POLL: Duration = Duration::from_secs(2);

/// Starts the matcher on LOCAL_MATCHER_URL's port (naming tokens by `mints`' symbols) and an agent per
/// demo provider; returns what runs where.
pub fn start(rpc_url: &str, ws_url: &str, folder: &Path, matcher: &Keypair, mints: MintTable) -> Result<Vec<String>, String> {
    let mut started = Vec::new();
    let listen: SocketAddr = LOCAL_MATCHER_URL.trim_start_matches("http://").parse().map_err(|e| format!("{e}"))?;
    let config = MatcherConfig {
        rpc_url: rpc_url.into(),
        ws_url: ws_url.into(),
        keypair: matcher.insecure_clone(),
        listen: Some(listen),
        poll: POLL,
        mints,
    };
    let service = Matcher::new(&config)?;
    started.push(format!("matcher: explanations at {}", service.endpoint_url().unwrap_or_default()));
    std::thread::spawn(move || service.run(&config));

    // Journals of an earlier node describe jobs this fresh node never had.
    let agents = folder.join("demo").join("agents");
    let _ = std::fs::remove_dir_all(&agents);
    for (index, name) in PROVIDER_NAMES.iter().enumerate() {
        let keypair = read_keypair(&provider_keypair_path(folder, name))?;
        let listen = SocketAddr::from(([127, 0, 0, 1], FIRST_AGENT_PORT + index as u16));
        // The demo's GPU rig declares cards this machine need not have: its agent offers them unverified,
        // and its metadata says so.
        let unverified_hardware = DEMO_GPUS_UNVERIFIED.contains(name);
        let config = AgentConfig { poll: POLL, unverified_hardware, ..AgentConfig::new(rpc_url, ws_url, keypair, agents.join(name), listen) };
        let agent = Agent::new(&config)?;
        started.push(format!("agent for {name}: results at {}", agent.endpoint_url()));
        let ws = config.ws_url.clone();
        std::thread::spawn(move || agent.run(&ws, POLL));
    }
    Ok(started)
}
