//! Program traffic for the indexer's tests and benchmark: a provider and a client running whole job lives
//! (post, assign, start, submit, complete), and bulk post-and-cancel pairs sent without waiting for each.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::ASSIGN_BY_CLIENTS;
use compute_market::instructions::RegisterProviderArgs;
use compute_market::math::pricing::hourly_price;
use compute_market::state::{GpuNeeds, Hardware, Rates, Resources};
use compute_market_client::builders::{self, JobParties, JobTerms};
use compute_market_client::{pda, ClientError, MarketClient};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;

use crate::market_setup::LAMPORTS_PER_SOL;

pub const REQUIREMENTS: Resources = Resources { cpu_cores: 2, ram_gb: 4, storage_gb: 10, gpus: 0 };
pub const RATES: Rates = Rates { per_core: 100_000, per_gb_ram: 10_000, per_gb_storage: 1_000, per_gpu: 0 };
/// One hour, so a completed job pays exactly the hourly price.
pub const DURATION_SECS: u32 = 3_600;

pub struct Workload {
    pub client: MarketClient,
    pub buyer: Keypair,
    pub provider: Keypair,
    next_job_id: u64,
    /// Clients that post and cancel in bulk, one per sender thread (job ids are sequential per client),
    /// with their next job id.
    bulk: Vec<(Keypair, u64)>,
}

/// Sender threads for bulk traffic.
const SENDERS: usize = 8;

impl Workload {
    /// A registered provider (clients may assign it) and a registered client, both funded.
    pub fn start(client: MarketClient) -> Result<Workload, ClientError> {
        let (buyer, provider) = (Keypair::new(), Keypair::new());
        client.airdrop(&provider.pubkey(), 10 * LAMPORTS_PER_SOL)?;
        client.airdrop(&buyer.pubkey(), 1_000 * LAMPORTS_PER_SOL)?;
        let capacity = Resources { cpu_cores: 64, ram_gb: 256, storage_gb: 2_000, gpus: 0 };
        let args = RegisterProviderArgs {
            capacity,
            rates: RATES,
            hardware: Hardware::default(),
            metadata_uri: "http://127.0.0.1:0/workload".into(),
            assignment: ASSIGN_BY_CLIENTS,
        };
        client.send(&[builders::register_provider(&provider.pubkey(), args)], &provider, &[])?;
        client.send(&[builders::register_client(&buyer.pubkey())], &buyer, &[])?;
        Ok(Workload { client, buyer, provider, next_job_id: 0, bulk: Vec::new() })
    }

    /// The hourly price the provider charges for a workload job (what a completed job pays in all).
    pub fn price() -> u64 {
        hourly_price(&RATES, &REQUIREMENTS).expect("the workload's price fits in u64")
    }

    /// The next job's address and its post_job instruction.
    fn post_instruction(&mut self) -> (Pubkey, Instruction) {
        let id = self.next_job_id;
        self.next_job_id += 1;
        Self::post(&self.buyer.pubkey(), id)
    }

    fn post(buyer: &Pubkey, id: u64) -> (Pubkey, Instruction) {
        let terms = JobTerms {
            requirements: REQUIREMENTS,
            gpu: GpuNeeds::default(),
            duration_secs: DURATION_SECS,
            max_price_per_hour: Self::price(),
            min_reputation: 0,
            min_bond: 0,
            target_provider: None,
            spec_hash: [7; 32],
            spec_uri: "data:,workload".into(),
        };
        (pda::job(buyer, id), builders::post_job(buyer, builders::job_args(buyer, id, terms)))
    }

    /// Posts a job and takes it to completion (5 confirmed transactions). Returns the job's address.
    pub fn job_life(&mut self, rating: Option<u8>) -> Result<Pubkey, ClientError> {
        let (job, post) = self.post_instruction();
        let (buyer, provider) = (self.buyer.pubkey(), self.provider.pubkey());
        self.client.send(&[post], &self.buyer, &[])?;
        self.client.send(&[builders::assign_job(&buyer, &buyer, &job, &provider, Self::price())], &self.buyer, &[])?;
        self.client.send(&[builders::start_job(&provider, &job)], &self.provider, &[])?;
        self.client.send(&[builders::submit_result(&provider, &job, [9; 32])], &self.provider, &[])?;
        let (_, parties): (_, JobParties) = self.client.job_parties(&job)?;
        self.client.send(&[builders::complete_and_pay(&parties, rating)], &self.buyer, &[])?;
        Ok(job)
    }

    /// Sends `pairs` post-then-cancel pairs (2 transactions each) from 8 registered clients at once, each
    /// client's in order, then waits until all are confirmed. Returns the signatures sent.
    pub fn post_and_cancel(&mut self, pairs: usize) -> Result<Vec<String>, ClientError> {
        while self.bulk.len() < SENDERS {
            let sender = Keypair::new();
            self.client.airdrop(&sender.pubkey(), 1_000 * LAMPORTS_PER_SOL)?;
            self.client.send(&[builders::register_client(&sender.pubkey())], &sender, &[])?;
            self.bulk.push((sender, 0));
        }
        let url = self.client.url();
        let mut plans = Vec::new();
        for (n, (sender, next)) in self.bulk.iter_mut().enumerate() {
            let count = (pairs / SENDERS + usize::from(n < pairs % SENDERS)) as u64;
            plans.push((&*sender, *next..*next + count));
            *next += count;
        }
        let sent: Vec<Result<Vec<String>, ClientError>> = std::thread::scope(|scope| {
            let workers: Vec<_> = plans
                .into_iter()
                .map(|(sender, ids)| {
                    let url = url.clone();
                    scope.spawn(move || send_pairs(&MarketClient::new(&url), sender, ids))
                })
                .collect();
            workers.into_iter().map(|worker| worker.join().expect("a sender thread")).collect()
        });
        let mut signatures = Vec::with_capacity(pairs * 2);
        for batch in sent {
            signatures.extend(batch?);
        }
        let rpc = self.client.rpc();
        for signature in &signatures {
            let signature = signature.parse().expect("a signature the node returned");
            while rpc.get_signature_status(&signature)?.is_none() {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        Ok(signatures)
    }
}

/// Posts and cancels job `id` for each of `ids`, in order, refreshing the blockhash every 300 ms (a
/// blockhash lasts 150 slots whatever the node's slot time).
fn send_pairs(client: &MarketClient, buyer: &Keypair, ids: std::ops::Range<u64>) -> Result<Vec<String>, ClientError> {
    let rpc = client.rpc();
    let mut signatures = Vec::with_capacity(2 * (ids.end - ids.start) as usize);
    let mut blockhash = rpc.get_latest_blockhash()?;
    let mut fetched = std::time::Instant::now();
    for id in ids {
        if fetched.elapsed() > std::time::Duration::from_millis(300) {
            blockhash = rpc.get_latest_blockhash()?;
            fetched = std::time::Instant::now();
        }
        let (job, post) = Workload::post(&buyer.pubkey(), id);
        let cancel = builders::cancel_job(&buyer.pubkey(), &job);
        for instruction in [post, cancel] {
            let transaction = Transaction::new_signed_with_payer(&[instruction], Some(&buyer.pubkey()), &[buyer], blockhash);
            signatures.push(rpc.send_transaction(&transaction)?.to_string());
        }
    }
    Ok(signatures)
}
