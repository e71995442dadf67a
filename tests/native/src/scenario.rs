//! Ready-made parties and jobs at each stage of the lifecycle, with the terms used throughout the suite.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, CPU_ARCH_X86_64};
use compute_market::instructions::{PostJobArgs, RegisterProviderArgs};
use compute_market::state::{ClientProfile, GpuNeeds, Hardware, Rates, Resources};
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::builders::{self, JobParties, Pay};
use crate::harness::{TestMarket, FEE_BPS};
use crate::pda;

pub const CAPACITY: Resources = Resources { cpu_cores: 16, ram_gb: 64, storage_gb: 1_000, gpus: 2 };
/// CAPACITY's two GPUs: A100 80 GB (model 0x0202, family 0x02) on an x86-64 machine.
pub const HARDWARE: Hardware = Hardware { gpu_model: 0x0202, vram_gb: 80, cpu_arch: CPU_ARCH_X86_64 };
pub const RATES: Rates = Rates { per_core: 1_000_000, per_gb_ram: 100_000, per_gb_storage: 1_000, per_gpu: 20_000_000 };
pub const REQUIREMENTS: Resources = Resources { cpu_cores: 4, ram_gb: 16, storage_gb: 100, gpus: 1 };
/// RATES applied to REQUIREMENTS: 4 x 1,000,000 + 16 x 100,000 + 100 x 1,000 + 1 x 20,000,000.
pub const AGREED_PRICE: u64 = 25_700_000;
pub const MAX_PRICE: u64 = 30_000_000;
pub const DURATION_SECS: u32 = 7_200;
/// MAX_PRICE x 2 hours.
pub const ESCROW: u64 = 60_000_000;
/// A price bound on assign_job that accepts any price, for tests about something else.
pub const ANY_PRICE: u64 = u64::MAX;
/// AGREED_PRICE x 2 hours.
pub const AGREED_ESCROW: u64 = 51_400_000;
pub const SPEC_HASH: [u8; 32] = [0xab; 32];
pub const RESULT_HASH: [u8; 32] = [0xcd; 32];

/// What `secs` of work at AGREED_PRICE pays out of AGREED_ESCROW at FEE_BPS: (to the provider, fee, refund).
pub fn expected_split(secs: u64) -> (u64, u64, u64) {
    let payment = AGREED_PRICE * secs / 3_600;
    let fee = payment * u64::from(FEE_BPS) / 10_000;
    (payment - fee, fee, AGREED_ESCROW - payment)
}

/// The score a provider's stored record gives, by the program's pure function.
pub fn score_of(provider: &compute_market::state::Provider) -> u16 {
    use compute_market::math::reputation::{reputation_score, ReputationInputs};
    reputation_score(&ReputationInputs {
        delivered_units: provider.delivered_units,
        failed_units: provider.failed_units,
        lost_units: provider.lost_units,
        rating_sum: provider.rating_sum,
        rating_count: provider.rating_count,
        counterparties: provider.counterparties,
    })
}

/// Reputation units of `lamports` of value.
pub fn units(lamports: u64) -> u64 {
    lamports / compute_market::constants::REPUTATION_UNIT_LAMPORTS
}

pub fn provider_args() -> RegisterProviderArgs {
    RegisterProviderArgs {
        capacity: CAPACITY,
        rates: RATES,
        hardware: HARDWARE,
        metadata_uri: "https://provider.example/agent".into(),
        assignment: ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER,
    }
}

/// The standard terms for `client`'s job `job_id`, with the bumps of its job and vault addresses.
pub fn job_args(client: &Pubkey, job_id: u64) -> PostJobArgs {
    let (job, job_bump) = pda::job_with_bump(client, job_id);
    PostJobArgs {
        job_id,
        job_bump,
        vault_bump: pda::vault_with_bump(&job).1,
        vault_tokens_bump: None,
        requirements: REQUIREMENTS,
        gpu: GpuNeeds::default(),
        duration_secs: DURATION_SECS,
        max_price_per_hour: MAX_PRICE,
        min_reputation: 0,
        min_bond: 0,
        target_provider: None,
        spec_hash: SPEC_HASH,
        spec_uri: "data:application/json,{}".into(),
    }
}

/// A client and a provider with one job between them, paid as `pay` says.
pub struct Deal {
    pub client: Keypair,
    pub provider: Keypair,
    pub job: Pubkey,
    pub pay: Pay,
}

impl Deal {
    pub fn parties(&self, market: &TestMarket) -> JobParties {
        JobParties {
            job: self.job,
            client: self.client.pubkey(),
            provider: self.provider.pubkey(),
            treasury: market.treasury.pubkey(),
            pay: self.pay,
        }
    }
}

impl TestMarket {
    pub async fn registered_provider_with(&mut self, args: RegisterProviderArgs) -> Keypair {
        let provider = Keypair::new();
        self.register_provider_as(&provider, args).await;
        provider
    }

    /// Registers `provider` (funded here) with `args`.
    pub async fn register_provider_as(&mut self, provider: &Keypair, args: RegisterProviderArgs) {
        self.fund(&[provider.pubkey()]).await;
        self.send(&[builders::register_provider(&provider.pubkey(), args)], &[provider]).await.expect("register_provider");
    }

    pub async fn registered_provider(&mut self) -> Keypair {
        self.registered_provider_with(provider_args()).await
    }

    /// A registered provider that, for a token job, quotes RATES in its mint.
    pub async fn provider_paid_in(&mut self, pay: &Pay) -> Keypair {
        let provider = self.registered_provider().await;
        if let Pay::Token { mint, token_program } = pay {
            let ix = builders::add_mint_quote(&provider.pubkey(), mint, token_program, RATES);
            self.send(&[ix], &[&provider]).await.expect("add_mint_quote");
        }
        provider
    }

    pub async fn registered_client(&mut self) -> Keypair {
        let client = Keypair::new();
        self.register_client_as(&client).await;
        client
    }

    /// Registers `client` (funded here) as a client.
    pub async fn register_client_as(&mut self, client: &Keypair) {
        self.fund(&[client.pubkey()]).await;
        self.send(&[builders::register_client(&client.pubkey())], &[client]).await.expect("register_client");
    }

    /// A registered client that, for a token job, holds STARTING_TOKENS of its mint.
    pub async fn client_paying_in(&mut self, pay: &Pay) -> Keypair {
        let client = self.registered_client().await;
        if let Pay::Token { .. } = pay {
            self.fund_tokens(&client.pubkey(), pay).await;
        }
        client
    }

    pub async fn next_job_id(&mut self, client: &Pubkey) -> u64 {
        self.account::<ClientProfile>(&pda::client_profile(client)).await.next_job_id
    }

    /// Posts a job with `edit` applied to the standard terms; returns the job's address.
    pub async fn post_job_with(&mut self, client: &Keypair, edit: impl FnOnce(&mut PostJobArgs)) -> Pubkey {
        self.post_job_in(client, &Pay::Lamports, edit).await
    }

    /// Posts a job paid as `pay` says, with `edit` applied to the standard terms.
    pub async fn post_job_in(&mut self, client: &Keypair, pay: &Pay, edit: impl FnOnce(&mut PostJobArgs)) -> Pubkey {
        let job_id = self.next_job_id(&client.pubkey()).await;
        let mut args = job_args(&client.pubkey(), job_id);
        edit(&mut args);
        self.send(&[builders::post_job_in(&client.pubkey(), args, pay)], &[client]).await.expect("post_job");
        pda::job(&client.pubkey(), job_id)
    }

    pub async fn open_deal(&mut self) -> Deal {
        self.open_deal_in(Pay::Lamports).await
    }

    pub async fn open_deal_in(&mut self, pay: Pay) -> Deal {
        let provider = self.provider_paid_in(&pay).await;
        let client = self.client_paying_in(&pay).await;
        let job = self.post_job_in(&client, &pay, |_| {}).await;
        Deal { client, provider, job, pay }
    }

    pub async fn assigned_deal(&mut self) -> Deal {
        let deal = self.open_deal().await;
        self.assign(deal).await
    }

    pub async fn running_deal(&mut self) -> Deal {
        let deal = self.assigned_deal().await;
        self.start(deal).await
    }

    /// A job whose provider ran for `worked_secs` and submitted its result.
    pub async fn submitted_deal_after(&mut self, worked_secs: i64) -> Deal {
        self.submitted_deal_in(Pay::Lamports, worked_secs).await
    }

    /// A job paid as `pay` says whose provider ran for `worked_secs` and submitted its result.
    pub async fn submitted_deal_in(&mut self, pay: Pay, worked_secs: i64) -> Deal {
        let deal = self.open_deal_in(pay).await;
        let deal = self.assign(deal).await;
        let deal = self.start(deal).await;
        self.submit_after(deal, worked_secs).await
    }

    pub async fn disputed_deal(&mut self) -> Deal {
        let deal = self.submitted_deal_after(3_600).await;
        self.dispute(deal).await
    }

    /// The client assigns its open job to the deal's provider.
    pub async fn assign(&mut self, deal: Deal) -> Deal {
        let (client, provider) = (deal.client.pubkey(), deal.provider.pubkey());
        let ix = builders::assign_job_in(&client, &client, &deal.job, &provider, &deal.pay, AGREED_PRICE);
        self.send(&[ix], &[&deal.client]).await.expect("assign_job");
        deal
    }

    pub async fn start(&mut self, deal: Deal) -> Deal {
        self.send(&[builders::start_job(&deal.provider.pubkey(), &deal.job)], &[&deal.provider]).await.expect("start_job");
        deal
    }

    /// The provider works `worked_secs` and submits RESULT_HASH.
    pub async fn submit_after(&mut self, deal: Deal, worked_secs: i64) -> Deal {
        self.warp(worked_secs).await;
        let ix = builders::submit_result(&deal.provider.pubkey(), &deal.job, RESULT_HASH);
        self.send(&[ix], &[&deal.provider]).await.expect("submit_result");
        deal
    }

    pub async fn dispute(&mut self, deal: Deal) -> Deal {
        self.send(&[builders::dispute_job(&deal.client.pubkey(), &deal.job)], &[&deal.client]).await.expect("dispute_job");
        deal
    }
}
