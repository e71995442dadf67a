//! A living marketplace for a new user: three providers of different sizes and prices, and a client
//! with jobs in several states, all with keypairs in the local folder so the user can act as them. Every
//! party holds local USDC, the laptop quotes it, and one job is paid in it, so both ways to pay show.

use std::path::Path;

use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, CPU_ARCH_UNKNOWN};
use compute_market::instructions::RegisterProviderArgs;
use compute_market::math::pricing::hourly_price;
use compute_market::state::{GpuNeeds, Hardware, Rates, Resources};
use compute_market_client::builders::{self, JobTerms, Pay};
use compute_market_client::documents::data_uri;
use compute_market_client::keypair_file::read_or_create;
use compute_market_client::tokens::TOKEN_PROGRAM;
use compute_market_client::{pda, ClientError, MarketClient};
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::local_usdc::{self, AIRDROP_USDC, ONE_USDC};
use crate::market_setup::{MarketKeys, LAMPORTS_PER_SOL};

const MICRO_SOL: u64 = 1_000;

struct DemoProvider {
    name: &'static str,
    capacity: Resources,
    rates: Rates,
    hardware: Hardware,
    /// Lamports it puts up as bond.
    bond: u64,
}

/// The demo's GPU rig declares four RTX 4090s, which the machine running the demo need not have.
const RTX4090: Hardware = Hardware { gpu_model: 0x0401, vram_gb: 24, cpu_arch: CPU_ARCH_UNKNOWN };
/// Demo providers whose agents offer hardware they cannot verify (published in their metadata).
pub const DEMO_GPUS_UNVERIFIED: [&str; 1] = ["gpu-rig"];
const NO_GPU: Hardware = Hardware { gpu_model: 0, vram_gb: 0, cpu_arch: CPU_ARCH_UNKNOWN };

const PROVIDERS: [DemoProvider; 3] = [
    DemoProvider {
        name: "cpu-box",
        capacity: Resources { cpu_cores: 16, ram_gb: 64, storage_gb: 500, gpus: 0 },
        rates: Rates { per_core: 200 * MICRO_SOL, per_gb_ram: 20 * MICRO_SOL, per_gb_storage: MICRO_SOL, per_gpu: 0 },
        hardware: NO_GPU,
        bond: 0,
    },
    DemoProvider {
        name: "gpu-rig",
        capacity: Resources { cpu_cores: 32, ram_gb: 256, storage_gb: 2_000, gpus: 4 },
        rates: Rates { per_core: 300 * MICRO_SOL, per_gb_ram: 30 * MICRO_SOL, per_gb_storage: MICRO_SOL, per_gpu: 50_000 * MICRO_SOL },
        hardware: RTX4090,
        bond: 2 * LAMPORTS_PER_SOL,
    },
    DemoProvider {
        name: "laptop",
        capacity: Resources { cpu_cores: 4, ram_gb: 16, storage_gb: 100, gpus: 0 },
        rates: Rates { per_core: 100 * MICRO_SOL, per_gb_ram: 10 * MICRO_SOL, per_gb_storage: MICRO_SOL, per_gpu: 0 },
        hardware: NO_GPU,
        bond: 0,
    },
];

pub const PROVIDER_NAMES: [&str; 3] = [PROVIDERS[0].name, PROVIDERS[1].name, PROVIDERS[2].name];

/// Where the demo's keypairs live, relative to the local folder.
pub fn provider_keypair_path(folder: &Path, name: &str) -> std::path::PathBuf {
    folder.join("demo").join(format!("provider-{name}.json"))
}

pub fn client_keypair_path(folder: &Path) -> std::path::PathBuf {
    folder.join("demo").join("client.json")
}

/// The laptop's hourly rates in USDC base units: 0.10 USDC a core, 0.01 a GB of RAM, 0.001 a GB of storage.
pub const LAPTOP_USDC_RATES: Rates = Rates { per_core: ONE_USDC / 10, per_gb_ram: ONE_USDC / 100, per_gb_storage: ONE_USDC / 1_000, per_gpu: 0 };
/// The job paid in USDC: the client's fourth (id 3), 2 cores, 4 GB, 10 GB for half an hour at most
/// 1 USDC an hour; only the laptop quotes USDC, so the matcher gives it to the laptop's agent.
pub const USDC_JOB_ID: u64 = 3;
const USDC_JOB_SPEC: &str = r#"{"version":1,"command":["sh","-c","echo paid in USDC > receipt.txt"],"outputs":["receipt.txt"]}"#;
const USDC_JOB_NEEDS: Resources = Resources { cpu_cores: 2, ram_gb: 4, storage_gb: 10, gpus: 0 };

/// Registers the providers (each takes jobs from the matcher and from clients) and posts the client's
/// jobs: one left open, one assigned by the client, one accepted and started by a provider, and one paid
/// in USDC left open for the matcher.
pub fn seed(client: &MarketClient, keys: &MarketKeys) -> Result<(), ClientError> {
    let folder = keys.folder.as_path();
    let invalid = |e: String| ClientError::Invalid(e);
    let mut providers: Vec<Keypair> = Vec::new();
    for spec in &PROVIDERS {
        let keypair = read_or_create(&provider_keypair_path(folder, spec.name)).map_err(invalid)?;
        client.airdrop(&keypair.pubkey(), 10 * LAMPORTS_PER_SOL)?;
        let args = RegisterProviderArgs {
            capacity: spec.capacity,
            rates: spec.rates,
            hardware: spec.hardware,
            metadata_uri: format!("http://127.0.0.1:0/{}", spec.name),
            // The demo's agents run what the matcher assigns them; the client assigns one job itself.
            assignment: ASSIGN_BY_MATCHER | ASSIGN_BY_CLIENTS,
        };
        client.send(&[builders::register_provider(&keypair.pubkey(), args)], &keypair, &[])?;
        if spec.bond > 0 {
            client.send(&[builders::deposit_bond(&keypair.pubkey(), &Pay::Lamports, spec.bond)], &keypair, &[])?;
        }
        local_usdc::mint_usdc(client, keys, &keypair.pubkey(), AIRDROP_USDC)?;
        providers.push(keypair);
    }

    let buyer = read_or_create(&client_keypair_path(folder)).map_err(invalid)?;
    client.airdrop(&buyer.pubkey(), 100 * LAMPORTS_PER_SOL)?;
    local_usdc::mint_usdc(client, keys, &buyer.pubkey(), AIRDROP_USDC)?;
    // Small real workloads; their specs travel inline as data: URIs.
    let jobs = [
        (r#"{"version":1,"command":["sh","-c","seq 1 24 > frames.txt"],"outputs":["frames.txt"]}"#,
            Resources { cpu_cores: 8, ram_gb: 32, storage_gb: 50, gpus: 0 }, 7_200),
        (r#"{"version":1,"command":["sh","-c","echo GPUs $CUDA_VISIBLE_DEVICES > train.log"],"outputs":["train.log"]}"#,
            Resources { cpu_cores: 8, ram_gb: 64, storage_gb: 200, gpus: 2 }, 3_600),
        (r#"{"version":1,"command":["sh","-c","uname -a > build.txt"],"outputs":["build.txt"]}"#,
            Resources { cpu_cores: 2, ram_gb: 4, storage_gb: 10, gpus: 0 }, 1_800),
    ];
    let mut first = vec![builders::register_client(&buyer.pubkey())];
    for (job_id, (spec, requirements, duration_secs)) in jobs.iter().copied().enumerate() {
        let terms = JobTerms {
            requirements,
            // The training job asks for RTX 4090-class cards with 24 GB each.
            gpu: if requirements.gpus > 0 { GpuNeeds { family: 0x04, min_vram_gb: 24, ..GpuNeeds::default() } } else { GpuNeeds::default() },
            duration_secs,
            max_price_per_hour: LAMPORTS_PER_SOL,
            min_reputation: 0,
            // The training job wants a provider with half a SOL at stake.
            min_bond: if requirements.gpus > 0 { LAMPORTS_PER_SOL / 2 } else { 0 },
            target_provider: None,
            spec_hash: compute_market_client::spec_hash(spec.as_bytes()),
            spec_uri: data_uri(spec.as_bytes()),
        };
        first.push(builders::post_job(&buyer.pubkey(), builders::job_args(&buyer.pubkey(), job_id as u64, terms)));
        client.send(&first, &buyer, &[])?;
        first.clear();
    }
    let job = |id: u64| pda::job(&buyer.pubkey(), id);
    // Each assignment at the provider's price for the job, as its signer computed it.
    let price = |provider: usize, job_id: usize| hourly_price(&PROVIDERS[provider].rates, &jobs[job_id].1).expect("demo prices fit in u64");
    // The client picks the GPU rig for training; the CPU box accepts the compile job and starts it.
    let gpu_rig = &providers[1];
    client.send(&[builders::assign_job(&buyer.pubkey(), &buyer.pubkey(), &job(1), &gpu_rig.pubkey(), price(1, 1))], &buyer, &[])?;
    let cpu_box = &providers[0];
    client.send(
        &[
            builders::assign_job(&cpu_box.pubkey(), &buyer.pubkey(), &job(2), &cpu_box.pubkey(), price(0, 2)),
            builders::start_job(&cpu_box.pubkey(), &job(2)),
        ],
        cpu_box,
        &[],
    )?;
    post_usdc_job(client, keys, &buyer, &providers[2])
}

/// The laptop quotes USDC and the client posts its USDC job, open for the matcher.
fn post_usdc_job(client: &MarketClient, keys: &MarketKeys, buyer: &Keypair, laptop: &Keypair) -> Result<(), ClientError> {
    let mint = keys.usdc_mint.pubkey();
    client.send(&[builders::add_mint_quote(&laptop.pubkey(), &mint, &TOKEN_PROGRAM, LAPTOP_USDC_RATES)], laptop, &[])?;
    let terms = JobTerms {
        requirements: USDC_JOB_NEEDS,
        gpu: GpuNeeds::default(),
        duration_secs: 1_800,
        max_price_per_hour: ONE_USDC,
        min_reputation: 0,
        min_bond: 0,
        target_provider: None,
        spec_hash: compute_market_client::spec_hash(USDC_JOB_SPEC.as_bytes()),
        spec_uri: data_uri(USDC_JOB_SPEC.as_bytes()),
    };
    let pay = builders::Pay::Token { mint, token_program: TOKEN_PROGRAM };
    let args = builders::job_args(&buyer.pubkey(), USDC_JOB_ID, terms);
    client.send(&[builders::post_job_in(&buyer.pubkey(), args, &pay)], buyer, &[])?;
    Ok(())
}
