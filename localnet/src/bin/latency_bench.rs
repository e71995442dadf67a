//! Latency on a local node from post_job to a running job: the matcher assigns, the provider's agent
//! verifies the spec and starts it. Both run as they do in `localnet --demo` (WebSocket wake-ups, 2 s
//! polling as a fallback). Prints the figures, and appends them to a report file if one is given.

use std::time::{Duration, Instant};

use compute_market::constants::ASSIGN_BY_MATCHER;
use compute_market::instructions::RegisterProviderArgs;
use compute_market::state::{GpuNeeds, Hardware, JobStatus, Rates, Resources};
use compute_market_agent::{Agent, AgentConfig};
use compute_market_client::builders::{self, JobTerms};
use compute_market_client::documents::data_uri;
use compute_market_client::{pda, spec_hash};
use compute_market_localnet::testing::TestNode;
use compute_market_matcher::{Matcher, MatcherConfig};
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;
const JOBS: u64 = 10;
const POLL: Duration = Duration::from_secs(2);

fn main() {
    // A job's sandbox starts this executable as its init; that never returns.
    compute_market_agent::sandbox::enter_if_requested();
    std::env::set_var("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "error".into()));
    let test = TestNode::start("latency-bench");
    let client = test.client();
    let (rpc_url, ws_url) = (test.node.rpc_url.clone(), test.node.ws_url.clone());

    let provider = Keypair::new();
    client.airdrop(&provider.pubkey(), 10 * SOL).expect("airdrop");
    let offer = RegisterProviderArgs {
        capacity: Resources { cpu_cores: 64, ram_gb: 256, storage_gb: 0, gpus: 0 },
        rates: Rates { per_core: 1_000, per_gb_ram: 100, per_gb_storage: 0, per_gpu: 0 },
        hardware: Hardware::default(),
        metadata_uri: "http://127.0.0.1:1".into(),
        assignment: ASSIGN_BY_MATCHER,
    };
    client.send(&[builders::register_provider(&provider.pubkey(), offer)], &provider, &[]).expect("register");

    let matcher = MatcherConfig { rpc_url: rpc_url.clone(), ws_url: ws_url.clone(), keypair: test.keys.matcher.insecure_clone(), listen: None, poll: POLL, mints: test.keys.mint_table() };
    let service = Matcher::new(&matcher).expect("matcher");
    std::thread::spawn(move || service.run(&matcher));
    let listen = "127.0.0.1:0".parse().unwrap();
    let agent = AgentConfig { poll: POLL, ..AgentConfig::new(&rpc_url, &ws_url, provider.insecure_clone(), test.folder.join("agent"), listen) };
    let runner = Agent::new(&agent).expect("agent");
    std::thread::spawn(move || runner.run(&ws_url, POLL));

    let buyer = Keypair::new();
    client.airdrop(&buyer.pubkey(), 10 * SOL).expect("airdrop");
    client.send(&[builders::register_client(&buyer.pubkey())], &buyer, &[]).expect("client profile");
    let spec = br#"{"version":1,"command":["true"]}"#;
    let mut latencies = Vec::new();
    for id in 0..JOBS {
        let terms = JobTerms {
            requirements: Resources { cpu_cores: 1, ram_gb: 1, storage_gb: 0, gpus: 0 },
            gpu: GpuNeeds::default(),
            duration_secs: 600,
            max_price_per_hour: SOL / 100,
            min_reputation: 0,
            min_bond: 0,
            target_provider: None,
            spec_hash: spec_hash(spec),
            spec_uri: data_uri(spec),
        };
        let posted = Instant::now();
        client.send(&[builders::post_job(&buyer.pubkey(), builders::job_args(&buyer.pubkey(), id, terms))], &buyer, &[]).expect("post");
        let address = pda::job(&buyer.pubkey(), id);
        loop {
            let job = client.job(&address).expect("job");
            if !job.is(JobStatus::Open) && !job.is(JobStatus::Assigned) {
                break;
            }
            assert!(posted.elapsed() < Duration::from_secs(60), "job {id} never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        latencies.push(posted.elapsed());
    }
    latencies.sort();
    let ms = |d: &Duration| d.as_secs_f64() * 1_000.0;
    let line = format!(
        "Local node, post_job to a running job (matcher + agent, {JOBS} jobs): median {:.0} ms, min {:.0} ms, max {:.0} ms",
        ms(&latencies[latencies.len() / 2]),
        ms(&latencies[0]),
        ms(&latencies[latencies.len() - 1])
    );
    println!("{line}");
    if let Some(report) = std::env::args().nth(1) {
        let mut text = std::fs::read_to_string(&report).unwrap_or_default();
        text.push_str(&format!("\n{line}\n"));
        std::fs::write(&report, text).expect("the report file is writable");
    }
    std::process::exit(0);
}
