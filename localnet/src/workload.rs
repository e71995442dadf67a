//! Program traffic for the indexer's tests and benchmark: a provider and a client running whole job lives
//! (post, assign, start, submit, complete), and bulk post-and-cancel pairs sent without waiting for each.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::ASSIGN_BY_CLIENTS;
use compute_market::instructions::RegisterProviderArgs;
use compute_market::math::pricing::hourly_price;
use compute_market::state::{Rates, Resources};
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
}

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
            metadata_uri: "http://127.0.0.1:0/workload".into(),
            assignment: ASSIGN_BY_CLIENTS,
        };
        client.send(&[builders::register_provider(&provider.pubkey(), args)], &provider, &[])?;
        client.send(&[builders::register_client(&buyer.pubkey())], &buyer, &[])?;
        Ok(Workload { client, buyer, provider, next_job_id: 0 })
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
            duration_secs: DURATION_SECS,
            max_price_per_hour: Self::price(),
            min_reputation: 0,
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

    /// Sends `pairs` post-then-cancel pairs (2 transactions each) without waiting for each, then waits until
    /// the last is confirmed. Returns the signatures sent.
    pub fn post_and_cancel(&mut self, pairs: usize) -> Result<Vec<String>, ClientError> {
        let rpc = self.client.rpc();
        let mut signatures = Vec::with_capacity(pairs * 2);
        let mut blockhash = rpc.get_latest_blockhash()?;
        for n in 0..pairs {
            if n % 200 == 0 {
                blockhash = rpc.get_latest_blockhash()?;
            }
            let (job, post) = Self::post(&self.buyer.pubkey(), self.next_job_id);
            self.next_job_id += 1;
            let cancel = builders::cancel_job(&self.buyer.pubkey(), &job);
            for instruction in [post, cancel] {
                let transaction =
                    Transaction::new_signed_with_payer(&[instruction], Some(&self.buyer.pubkey()), &[&self.buyer], blockhash);
                signatures.push(rpc.send_transaction(&transaction)?.to_string());
            }
        }
        if let Some(last) = signatures.last() {
            rpc.poll_for_signature(&last.parse().expect("a signature the node returned"))?;
        }
        Ok(signatures)
    }
}
