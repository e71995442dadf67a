//! A node for other crates' end-to-end tests: free ports, the artifact when built (else native), and
//! the market initialised with keys in a fresh temporary folder (its admin the program's upgrade authority).

use std::path::PathBuf;

use compute_market_client::MarketClient;
use compute_market_indexer::{Service, ServiceConfig};
use solana_signer::Signer;

use crate::market_setup::{initialize_market, MarketKeys};
use crate::node::SLOT_TIME_MS;
use crate::{Localnet, NodeConfig, ProgramSource};

pub struct TestNode {
    pub node: Localnet,
    pub keys: MarketKeys,
    pub folder: PathBuf,
}

/// The repository's `target/deploy/compute_market.so`, or SBF_OUT_DIR's when set.
pub fn default_artifact() -> PathBuf {
    match std::env::var_os("SBF_OUT_DIR") {
        Some(dir) => PathBuf::from(dir).join("compute_market.so"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/compute_market.so"),
    }
}

impl TestNode {
    pub fn start(name: &str) -> TestNode {
        TestNode::start_with_slot_time(name, SLOT_TIME_MS)
    }

    /// A node whose slots last `slot_time_ms` (Surfpool takes in transactions slot by slot: short slots
    /// let a benchmark fill it faster).
    pub fn start_with_slot_time(name: &str, slot_time_ms: u64) -> TestNode {
        let program = ProgramSource::artifact_or_native(default_artifact());
        eprintln!("test node: {}", program.describe());
        let folder = std::env::temp_dir().join(format!("cm-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let keys = MarketKeys::in_folder(&folder).expect("keys");
        let config = NodeConfig { slot_time_ms, ..NodeConfig::on_free_ports(program, keys.admin.pubkey()).expect("free ports") };
        let node = Localnet::start(config).expect("the node starts");
        initialize_market(&MarketClient::new(&node.rpc_url), &keys).expect("the market initialises");
        TestNode { node, keys, folder }
    }

    /// Starts the indexer and its API on a free port over a fresh SQLite file in the test's folder.
    pub fn start_index(&self) -> Service {
        let database = format!("sqlite:{}", self.folder.join("index.sqlite").display());
        let listen = ([127, 0, 0, 1], 0).into();
        Service::start(ServiceConfig::new(&self.node.rpc_url, &database, listen)).expect("the indexer starts")
    }

    /// Whether the node runs the sBPF artifact: only it logs the program's events (natively `emit!` is a
    /// no-op), so tests that read events skip, saying so, without it.
    pub fn logs_events(&self) -> bool {
        matches!(self.node.program, ProgramSource::Artifact(_))
    }

    pub fn client(&self) -> MarketClient {
        MarketClient::new(&self.node.rpc_url)
    }
}
