//! Seeded random sequences of instructions by several clients and providers, mixing jobs paid in
//! lamports and in a token (Token program or Token-2022, alternating by seed). After every step:
//! lamports are conserved across every account involved, and tokens across every token account;
//! each vault holds exactly its rent plus its job's outstanding lamport escrow, and each token vault
//! its job's token escrow; no final job holds escrow; the mint's counters agree with the balances;
//! each provider's free capacity equals its offer minus what its jobs in flight hold; and a failed
//! transaction changes no balance at all.

use std::collections::BTreeMap;

use anchor_lang::prelude::Pubkey;
use compute_market::instructions::{PostJobArgs, RegisterProviderArgs, UpdateMarketArgs, UpdateProviderArgs};
use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER};
use compute_market::state::{space, ClientProfile, Job, JobStatus, Provider, Rates, Resources, Vault};
use compute_market_tests::builders::{self, JobParties, Pay};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::{job_args, ANY_PRICE};
use compute_market_tests::tokens::{STARTING_TOKENS, TOKEN_2022_PROGRAM, TOKEN_PROGRAM};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SEQUENCES: u64 = 500;
const STEPS: usize = 40;
const SHARDS: u64 = 4;

struct World {
    m: TestMarket,
    clients: Vec<Keypair>,
    providers: Vec<Keypair>,
    stranger: Keypair,
    jobs: Vec<(Pubkey, usize)>,
    vault_rent: u64,
    steps_ok: usize,
    /// The token jobs may be paid in.
    token: Pay,
}

impl World {
    async fn new(rng: &mut StdRng, seed: u64) -> Self {
        let mut m = TestMarket::new().await;
        let token = m.accepted_mint(if seed % 2 == 0 { TOKEN_PROGRAM } else { TOKEN_2022_PROGRAM }).await;
        let mut clients = Vec::new();
        for _ in 0..3 {
            clients.push(m.client_paying_in(&token).await);
        }
        let mut providers = Vec::new();
        for i in 0..3 {
            let capacity = random_capacity(rng);
            let args = RegisterProviderArgs {
                capacity,
                rates: random_rates(rng),
                metadata_uri: "https://p".into(),
                assignment: ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER,
            };
            let provider = m.registered_provider_with(args).await;
            // Most providers also quote the token; one in three, after the first, does not.
            if i == 0 || rng.gen_bool(0.67) {
                let (mint, token_program) = token.token();
                let ix = builders::add_mint_quote(&provider.pubkey(), &mint, &token_program, random_rates(rng));
                m.send(&[ix], &[&provider]).await.expect("add_mint_quote");
            } else {
                // Its token account exists all the same, so the token ledger covers every party.
                let ix = m.create_ata_ix(&provider.pubkey(), &token);
                m.send(&[ix], &[]).await.expect("provider token account");
            }
            providers.push(provider);
        }
        let stranger = m.funded_keypair().await;
        let vault_rent = m.rent_exempt(space::<Vault>()).await;
        World { m, clients, providers, stranger, jobs: Vec::new(), vault_rent, steps_ok: 0, token }
    }

    fn mint(&self) -> (Pubkey, Pubkey) {
        self.token.token()
    }

    fn ata(&self, owner: &Pubkey) -> Pubkey {
        let (mint, token_program) = self.mint();
        pda::ata(owner, &mint, &token_program)
    }

    /// How `job` is paid.
    fn pay_of(&self, job: &Job) -> Pay {
        if job.payment_mint == Pubkey::default() { Pay::Lamports } else { self.token }
    }

    /// Every token account the program can pay from or to: the parties' and every job's vault's.
    fn token_accounts(&self) -> Vec<Pubkey> {
        let mut owners: Vec<Pubkey> = vec![self.m.treasury.pubkey()];
        owners.extend(self.clients.iter().map(|c| c.pubkey()));
        owners.extend(self.providers.iter().map(|p| p.pubkey()));
        owners.extend(self.jobs.iter().map(|(job, _)| pda::vault(job)));
        owners.iter().map(|owner| self.ata(owner)).collect()
    }

    async fn token_balances(&mut self) -> Vec<u64> {
        let mut out = Vec::new();
        for account in self.token_accounts() {
            out.push(self.m.token_balance(&account).await.unwrap_or(0));
        }
        out
    }

    /// The clients' profiles summed: the market's totals.
    async fn totals(&mut self) -> ClientProfile {
        let mut sum: ClientProfile = bytemuck::Zeroable::zeroed();
        for c in self.clients.iter().map(|c| c.pubkey()).collect::<Vec<_>>() {
            let p: ClientProfile = self.m.account(&pda::client_profile(&c)).await;
            sum.jobs_completed += p.jobs_completed;
            sum.jobs_cancelled += p.jobs_cancelled;
            sum.jobs_expired += p.jobs_expired;
            sum.jobs_disputed += p.jobs_disputed;
            sum.fees_paid += p.fees_paid;
        }
        sum
    }

    /// Every account whose lamports the program can move or create.
    fn tracked(&self) -> Vec<Pubkey> {
        let mut keys = vec![self.m.admin.pubkey(), self.m.treasury.pubkey(), self.m.matcher.pubkey(), self.stranger.pubkey(), pda::market()];
        for c in &self.clients {
            keys.push(c.pubkey());
            keys.push(pda::client_profile(&c.pubkey()));
        }
        for p in &self.providers {
            keys.push(p.pubkey());
            keys.push(pda::provider(&p.pubkey()));
        }
        for (job, _) in &self.jobs {
            keys.push(*job);
            keys.push(pda::vault(job));
            keys.push(self.ata(&pda::vault(job)));
        }
        keys
    }

    async fn job(&mut self, key: &Pubkey) -> Option<Job> {
        if self.m.exists(key).await { Some(self.m.account(key).await) } else { None }
    }

    fn parties(&self, job: &Job, key: Pubkey) -> JobParties {
        JobParties { job: key, client: job.client, provider: job.provider, treasury: self.m.treasury.pubkey(), pay: self.pay_of(job) }
    }

    fn client_of(&self, job: &Job) -> Keypair {
        self.clients.iter().find(|c| c.pubkey() == job.client).expect("known client").insecure_clone()
    }

    fn provider_named(&self, authority: &Pubkey) -> Option<Keypair> {
        self.providers.iter().find(|p| p.pubkey() == *authority).map(|p| p.insecure_clone())
    }

    /// Chooses and sends one random instruction; returns whether it succeeded.
    async fn step(&mut self, rng: &mut StdRng) -> bool {
        let roll = rng.gen_range(0..100);
        if roll < 22 || self.jobs.is_empty() {
            return self.post(rng).await;
        }
        if roll < 30 {
            self.m.warp(rng.gen_range(0..4_000)).await;
            return true;
        }
        if roll < 34 {
            return self.admin_or_provider_change(rng).await;
        }
        let (key, _) = self.jobs[rng.gen_range(0..self.jobs.len())];
        let Some(job) = self.job(&key).await else {
            return false;
        };
        // Mostly an action that fits the job's state; sometimes any action, to exercise refusals.
        let status = if rng.gen_bool(0.85) { job.status().unwrap() } else { random_status(rng) };
        let (ix, signer) = self.action_for(rng, status, &job, key);
        self.m.send(&[ix], &[&signer]).await.is_ok()
    }

    async fn post(&mut self, rng: &mut StdRng) -> bool {
        let ci = rng.gen_range(0..self.clients.len());
        let client = self.clients[ci].insecure_clone();
        let job_id = self.m.next_job_id(&client.pubkey()).await;
        let target = rng.gen_bool(0.15).then(|| self.providers[rng.gen_range(0..self.providers.len())].pubkey());
        let args = PostJobArgs {
            job_id,
            requirements: Resources {
                cpu_cores: rng.gen_range(0..6),
                ram_gb: rng.gen_range(0..24),
                storage_gb: rng.gen_range(0..300),
                gpus: rng.gen_range(0..2),
            },
            duration_secs: rng.gen_range(30..8_000),
            max_price_per_hour: rng.gen_range(0..60_000_000),
            min_reputation: if rng.gen_bool(0.2) { rng.gen_range(0..7_000) } else { 0 },
            target_provider: target,
            spec_hash: [rng.gen_range(0..=1); 32],
            spec_uri: "data:,job".into(),
            ..job_args(&client.pubkey(), job_id)
        };
        let pay = if rng.gen_bool(0.5) { Pay::Lamports } else { self.token };
        let ok = self.m.send(&[builders::post_job_in(&client.pubkey(), args, &pay)], &[&client]).await.is_ok();
        if ok {
            self.jobs.push((pda::job(&client.pubkey(), job_id), ci));
        }
        ok
    }

    async fn admin_or_provider_change(&mut self, rng: &mut StdRng) -> bool {
        let admin = self.m.admin();
        match rng.gen_range(0..6) {
            4 => {
                let (mint, _) = self.mint();
                self.m.send(&[builders::set_payment_mint_enabled(&admin.pubkey(), &mint, rng.gen_bool(0.7))], &[&admin]).await.is_ok()
            }
            5 => {
                let (mint, _) = self.mint();
                let p = self.providers[rng.gen_range(0..self.providers.len())].insecure_clone();
                self.m.send(&[builders::update_mint_quote(&p.pubkey(), &mint, random_rates(rng))], &[&p]).await.is_ok()
            }
            0 => {
                let args = UpdateMarketArgs { fee_bps: Some(rng.gen_range(0..=1_100)), ..Default::default() };
                self.m.send(&[builders::update_market(&admin.pubkey(), None, args)], &[&admin]).await.is_ok()
            }
            1 => {
                let args = UpdateMarketArgs { paused: Some(rng.gen_bool(0.3)), ..Default::default() };
                self.m.send(&[builders::update_market(&admin.pubkey(), None, args)], &[&admin]).await.is_ok()
            }
            2 => {
                let p = self.providers[rng.gen_range(0..self.providers.len())].insecure_clone();
                self.m.send(&[builders::set_provider_active(&p.pubkey(), rng.gen_bool(0.7))], &[&p]).await.is_ok()
            }
            _ => {
                let p = self.providers[rng.gen_range(0..self.providers.len())].insecure_clone();
                let args = UpdateProviderArgs {
                    capacity: Some(random_capacity(rng)),
                    rates: Some(random_rates(rng)),
                    metadata_uri: None,
                    assignment: None,
                };
                self.m.send(&[builders::update_provider(&p.pubkey(), args)], &[&p]).await.is_ok()
            }
        }
    }

    fn action_for(&self, rng: &mut StdRng, status: JobStatus, job: &Job, key: Pubkey) -> (Instruction, Keypair) {
        let client = self.client_of(job);
        let assigned = self.provider_named(&job.provider);
        let provider = assigned.unwrap_or_else(|| self.providers[rng.gen_range(0..self.providers.len())].insecure_clone());
        let p = self.parties(job, key);
        let pay = p.pay;
        let keeper = self.stranger.insecure_clone();
        match status {
            JobStatus::Open => {
                if rng.gen_bool(0.2) {
                    return (builders::cancel_job_in(&client.pubkey(), &key, &pay), client);
                }
                let candidate = self.providers[rng.gen_range(0..self.providers.len())].insecure_clone();
                let assigner = match rng.gen_range(0..4) {
                    0 => client.insecure_clone(),
                    1 => candidate.insecure_clone(),
                    2 => self.m.matcher.insecure_clone(),
                    _ => keeper,
                };
                (builders::assign_job_in(&assigner.pubkey(), &client.pubkey(), &key, &candidate.pubkey(), &pay, ANY_PRICE), assigner)
            }
            JobStatus::Assigned => {
                if rng.gen_bool(0.75) {
                    (builders::start_job(&provider.pubkey(), &key), provider)
                } else {
                    (builders::expire_job(&keeper.pubkey(), &p), keeper)
                }
            }
            JobStatus::Running => match rng.gen_range(0..4) {
                0 | 1 => (builders::submit_result(&provider.pubkey(), &key, [7; 32]), provider),
                2 => (builders::dispute_job(&client.pubkey(), &key), client),
                _ => (builders::expire_job(&keeper.pubkey(), &p), keeper),
            },
            JobStatus::Submitted => match rng.gen_range(0..4) {
                0 => (builders::complete_and_pay(&p, Some(rng.gen_range(0..=6)).filter(|_| rng.gen_bool(0.8))), client),
                1 => (builders::finalize_job(&keeper.pubkey(), &p), keeper),
                2 => (builders::dispute_job(&client.pubkey(), &key), client),
                _ => (builders::complete_and_pay(&p, Some(5)), client),
            },
            JobStatus::Disputed => {
                if rng.gen_bool(0.6) {
                    let admin = self.m.admin();
                    (builders::resolve_dispute(&admin.pubkey(), &p, rng.gen_range(0..=10_500)), admin)
                } else {
                    (builders::expire_job(&keeper.pubkey(), &p), keeper)
                }
            }
            JobStatus::Completed | JobStatus::Expired | JobStatus::Resolved => (builders::close_job(&client.pubkey(), &key), client),
        }
    }

    async fn check_invariants(&mut self, totals: (u64, u64), before: &(Vec<u64>, Vec<u64>), ok: bool, context: &str) {
        let keys = self.tracked();
        let after = self.m.balances(&keys).await;
        assert_eq!(after.iter().sum::<u64>(), totals.0, "{context}: lamports not conserved");
        let tokens_after = self.token_balances().await;
        assert_eq!(tokens_after.iter().sum::<u64>(), totals.1, "{context}: tokens not conserved");
        if !ok {
            assert_eq!(&after[..before.0.len()], &before.0[..], "{context}: a failed transaction moved lamports");
            assert_eq!(&tokens_after[..before.1.len()], &before.1[..], "{context}: a failed transaction moved tokens");
        }

        let mut held: BTreeMap<Pubkey, (Resources, u32)> = BTreeMap::new();
        for (key, _) in self.jobs.clone() {
            let vault = self.m.lamports(&pda::vault(&key)).await;
            let vault_tokens = self.m.token_balance(&self.ata(&pda::vault(&key))).await;
            let Some(job) = self.job(&key).await else {
                assert_eq!((vault, vault_tokens), (0, None), "{context}: closed job {key} left a vault");
                continue;
            };
            let token_job = self.pay_of(&job) != Pay::Lamports;
            if job.status().unwrap().is_final() {
                assert_eq!((job.escrow, vault, vault_tokens), (0, 0, None), "{context}: final job {key} holds escrow");
            } else if token_job {
                assert_eq!((vault, vault_tokens), (self.vault_rent, Some(job.escrow)), "{context}: token vault of {key}");
            } else {
                assert_eq!((vault, vault_tokens), (self.vault_rent + job.escrow, None), "{context}: vault of {key} differs from its escrow");
            }
            if !job.status().unwrap().is_final() {
                assert!(job.escrow > 0 || job.agreed_price_per_hour == 0, "{context}: live job {key} without escrow");
            }
            if matches!(job.status().unwrap(), JobStatus::Assigned | JobStatus::Running | JobStatus::Submitted | JobStatus::Disputed) {
                let entry = held.entry(job.provider).or_insert((Resources::default(), 0));
                entry.0 = entry.0.checked_add(&job.requirements).expect("sum of requirements");
                entry.1 += 1;
            }
        }
        for p in self.providers.iter().map(|p| p.pubkey()).collect::<Vec<_>>() {
            let state: Provider = self.m.account(&pda::provider(&p)).await;
            let (in_use, jobs) = held.get(&p).copied().unwrap_or_default();
            assert!(state.free.fits_in(&state.capacity), "{context}: free capacity above the offer");
            assert_eq!(state.capacity.checked_sub(&state.free), Some(in_use), "{context}: reserved capacity differs from jobs in flight");
            assert_eq!(state.active_jobs, jobs, "{context}: active job count");
        }
    }
}

fn random_capacity(rng: &mut StdRng) -> Resources {
    Resources { cpu_cores: rng.gen_range(4..16), ram_gb: rng.gen_range(16..64), storage_gb: rng.gen_range(200..1_000), gpus: rng.gen_range(0..3) }
}

fn random_rates(rng: &mut StdRng) -> Rates {
    Rates {
        per_core: rng.gen_range(1..2_000_000),
        per_gb_ram: rng.gen_range(1..200_000),
        per_gb_storage: rng.gen_range(1..2_000),
        per_gpu: rng.gen_range(1..30_000_000),
    }
}

fn random_status(rng: &mut StdRng) -> JobStatus {
    [JobStatus::Open, JobStatus::Assigned, JobStatus::Running, JobStatus::Submitted, JobStatus::Disputed, JobStatus::Completed]
        [rng.gen_range(0..6)]
}

/// Successful steps, and the clients' summed counters at the end of the sequence.
async fn run_sequence(seed: u64) -> (usize, ClientProfile) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut world = World::new(&mut rng, seed).await;
    let lamports: u64 = world.m.balances(&world.tracked()).await.iter().sum();
    let tokens: u64 = world.token_balances().await.iter().sum();
    assert_eq!(tokens, STARTING_TOKENS * world.clients.len() as u64);
    for step in 0..STEPS {
        let before = (world.m.balances(&world.tracked()).await, world.token_balances().await);
        let ok = world.step(&mut rng).await;
        world.steps_ok += usize::from(ok);
        world.check_invariants((lamports, tokens), &before, ok, &format!("seed {seed} step {step}")).await;
    }
    (world.steps_ok, world.totals().await)
}

async fn run_shard(shard: u64) {
    let (mut succeeded, mut completed, mut cancelled, mut expired, mut disputed, mut fees) = (0, 0, 0, 0, 0, 0);
    for seed in (shard..SEQUENCES).step_by(SHARDS as usize) {
        let (ok, stats) = run_sequence(seed).await;
        succeeded += ok;
        completed += stats.jobs_completed;
        cancelled += stats.jobs_cancelled;
        expired += stats.jobs_expired;
        disputed += stats.jobs_disputed;
        fees += stats.fees_paid;
    }
    let attempted = (SEQUENCES / SHARDS) as usize * STEPS;
    println!(
        "shard {shard}: {succeeded}/{attempted} steps succeeded; jobs completed {completed}, cancelled {cancelled}, \
         expired {expired}, disputed {disputed}; fees {fees} lamports"
    );
    // The generator must reach every way a job ends, not just bounce off validation.
    // The cluster clock also moves with wall time, so under load more deadlines pass and more steps
    // are refused; a quarter is far above what a generator bouncing off validation would reach.
    assert!(succeeded * 4 > attempted, "only {succeeded} of {attempted} random steps succeeded");
    assert!(completed > 0 && cancelled > 0 && expired > 0 && disputed > 0, "a path was never reached");
}

#[tokio::test]
async fn random_sequences_shard_0() {
    run_shard(0).await;
}

#[tokio::test]
async fn random_sequences_shard_1() {
    run_shard(1).await;
}

#[tokio::test]
async fn random_sequences_shard_2() {
    run_shard(2).await;
}

#[tokio::test]
async fn random_sequences_shard_3() {
    run_shard(3).await;
}
