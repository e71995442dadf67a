//! assign_job: by the client, by the provider accepting, by the matcher; every rule it enforces.

use compute_market::constants::ASSIGN_BY_CLIENTS;
use compute_market::error::MarketError;
use compute_market::instructions::{RegisterProviderArgs, UpdateMarketArgs};
use compute_market::state::{space, ClientProfile, Hardware, Job, JobStatus, Provider, Rates, Resources, Vault};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Assigns `deal`'s job signed by `assigner` and checks every balance and field it changes.
async fn assign_and_check(m: &mut TestMarket, deal: &Deal, assigner: &Keypair) {
    let vault = pda::vault(&deal.job);
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    let client_before = m.lamports(&deal.client.pubkey()).await;
    let now = m.now().await;
    let ix = builders::assign_job(&assigner.pubkey(), &deal.client.pubkey(), &deal.job, &deal.provider.pubkey(), ANY_PRICE);
    m.send(&[ix], &[assigner]).await.unwrap();

    let refund = ESCROW - AGREED_ESCROW;
    assert_eq!(m.lamports(&deal.client.pubkey()).await, client_before + refund);
    assert_eq!(m.lamports(&vault).await, vault_rent + AGREED_ESCROW);
    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.status().unwrap(), job.provider, job.agreed_price_per_hour), (JobStatus::Assigned, deal.provider.pubkey(), AGREED_PRICE));
    assert_eq!((job.escrow, job.client_refund, job.fee_bps), (AGREED_ESCROW, refund, FEE_BPS));
    assert_eq!((job.assigned_at, job.start_deadline), (now, now + i64::from(WINDOWS.start_window_secs)));
    let provider: Provider = m.account(&pda::provider(&deal.provider.pubkey())).await;
    assert_eq!(provider.free, CAPACITY.checked_sub(&REQUIREMENTS).unwrap());
    assert_eq!(provider.active_jobs, 1);
    let profile: ClientProfile = m.account(&pda::client_profile(&deal.client.pubkey())).await;
    assert_eq!(profile.total_refunded, refund);
}

#[tokio::test]
async fn client_assigns_a_provider_and_gets_the_excess_back() {
    let mut m = TestMarket::new().await;
    let deal = m.open_deal().await;
    let client = deal.client.insecure_clone();
    assign_and_check(&mut m, &deal, &client).await;
}

#[tokio::test]
async fn provider_accepts_an_open_job() {
    let mut m = TestMarket::new().await;
    let deal = m.open_deal().await;
    let provider = deal.provider.insecure_clone();
    assign_and_check(&mut m, &deal, &provider).await;
}

#[tokio::test]
async fn matcher_assigns_automatically() {
    let mut m = TestMarket::new().await;
    let deal = m.open_deal().await;
    let matcher = m.matcher.insecure_clone();
    assign_and_check(&mut m, &deal, &matcher).await;
}

#[tokio::test]
async fn strangers_and_removed_matchers_cannot_assign() {
    let mut m = TestMarket::new().await;
    let deal = m.open_deal().await;
    let stranger = m.funded_keypair().await;
    let ix = builders::assign_job(&stranger.pubkey(), &deal.client.pubkey(), &deal.job, &deal.provider.pubkey(), ANY_PRICE);
    assert_error(m.send(&[ix], &[&stranger]).await, MarketError::NotAssigner);

    let admin = m.admin();
    let clear = UpdateMarketArgs { clear_matcher: true, ..Default::default() };
    m.send(&[builders::update_market(&admin.pubkey(), None, clear)], &[&admin]).await.unwrap();
    let matcher = m.matcher.insecure_clone();
    let ix = builders::assign_job(&matcher.pubkey(), &deal.client.pubkey(), &deal.job, &deal.provider.pubkey(), ANY_PRICE);
    assert_error(m.send(&[ix], &[&matcher]).await, MarketError::NotAssigner);
    assert_eq!(m.account::<Job>(&deal.job).await.status().unwrap(), JobStatus::Open);
}

#[tokio::test]
async fn assignment_enforces_the_job_terms() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    let provider = m.registered_provider().await;
    let assign = |job: &anchor_lang::prelude::Pubkey, provider: &Keypair| {
        builders::assign_job(&client.pubkey(), &client.pubkey(), job, &provider.pubkey(), ANY_PRICE)
    };

    // More GPUs than the provider has.
    let job = m.post_job_with(&client, |a| a.requirements.gpus = CAPACITY.gpus + 1).await;
    assert_error(m.send(&[assign(&job, &provider)], &[&client]).await, MarketError::InsufficientCapacity);

    // A maximum price just below the provider's price for these requirements.
    let job = m.post_job_with(&client, |a| a.max_price_per_hour = AGREED_PRICE - 1).await;
    assert_error(m.send(&[assign(&job, &provider)], &[&client]).await, MarketError::PriceAboveMax);
    // Exactly at the price is fine, and nothing is refunded.
    let exact = m.post_job_with(&client, |a| a.max_price_per_hour = AGREED_PRICE).await;
    m.send(&[assign(&exact, &provider)], &[&client]).await.unwrap();
    assert_eq!(m.account::<Job>(&exact).await.client_refund, 0);

    // A reputation floor above the new provider's neutral 5,000.
    let job = m.post_job_with(&client, |a| a.min_reputation = 5_001).await;
    assert_error(m.send(&[assign(&job, &provider)], &[&client]).await, MarketError::ReputationTooLow);

    // Reserved for someone else.
    let other = m.registered_provider().await;
    let job = m.post_job_with(&client, |a| a.target_provider = Some(other.pubkey())).await;
    assert_error(m.send(&[assign(&job, &provider)], &[&client]).await, MarketError::NotTargetProvider);
    m.send(&[assign(&job, &other)], &[&client]).await.unwrap();

    // Inactive provider.
    m.send(&[builders::set_provider_active(&provider.pubkey(), false)], &[&provider]).await.unwrap();
    let job = m.post_job_with(&client, |_| {}).await;
    assert_error(m.send(&[assign(&job, &provider)], &[&client]).await, MarketError::ProviderInactive);

    // Already assigned.
    assert_error(m.send(&[assign(&exact, &other)], &[&client]).await, MarketError::InvalidJobStatus);
}

#[tokio::test]
async fn a_client_cannot_assign_its_job_to_itself() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    m.send(&[builders::register_provider(&client.pubkey(), provider_args())], &[&client]).await.unwrap();
    let job = m.post_job_with(&client, |_| {}).await;
    let ix = builders::assign_job(&client.pubkey(), &client.pubkey(), &job, &client.pubkey(), ANY_PRICE);
    assert_error(m.send(&[ix], &[&client]).await, MarketError::SelfDealing);
}

#[tokio::test]
async fn substituted_accounts_are_refused() {
    let mut m = TestMarket::new().await;
    let deal = m.open_deal().await;
    let other_job = m.post_job_with(&deal.client, |_| {}).await;
    let stranger = m.funded_keypair().await;
    let base = builders::assign_job(&deal.client.pubkey(), &deal.client.pubkey(), &deal.job, &deal.provider.pubkey(), ANY_PRICE);

    let mut ix = base.clone();
    ix.accounts[3].pubkey = pda::vault(&other_job);
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongVault);

    let mut ix = base.clone();
    ix.accounts[6].pubkey = stranger.pubkey();
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongClient);

    let other_client = m.registered_client().await;
    let mut ix = base.clone();
    ix.accounts[5].pubkey = pda::client_profile(&other_client.pubkey());
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongClientProfile);

    // The same account twice in writable positions.
    let mut ix = base.clone();
    ix.accounts[3].pubkey = deal.job;
    assert!(m.send(&[ix], &[&deal.client]).await.is_err());
    assert_eq!(m.lamports(&stranger.pubkey()).await, STARTING_LAMPORTS);
    assert_eq!(m.account::<Job>(&deal.job).await.status().unwrap(), JobStatus::Open);
}

#[tokio::test]
async fn one_provider_runs_several_jobs_within_its_capacity() {
    let mut m = TestMarket::new().await;
    // Two GPUs: two jobs fit at once, the third waits for capacity.
    let provider = m.registered_provider().await;
    let client = m.registered_client().await;
    let mut jobs = Vec::new();
    for _ in 0..3 {
        jobs.push(m.post_job_with(&client, |_| {}).await);
    }
    for job in &jobs[..2] {
        m.send(&[builders::assign_job(&provider.pubkey(), &client.pubkey(), job, &provider.pubkey(), ANY_PRICE)], &[&provider]).await.unwrap();
    }
    let key = pda::provider(&provider.pubkey());
    let state: Provider = m.account(&key).await;
    assert_eq!(state.free, Resources { cpu_cores: 8, ram_gb: 32, storage_gb: 800, gpus: 0 });
    assert_eq!(state.active_jobs, 2);
    let third = builders::assign_job(&provider.pubkey(), &client.pubkey(), &jobs[2], &provider.pubkey(), ANY_PRICE);
    assert_error(m.send(&[third.clone()], &[&provider]).await, MarketError::InsufficientCapacity);

    // One finishes; its capacity returns and the third job fits.
    let parties = builders::JobParties { job: jobs[0], client: client.pubkey(), provider: provider.pubkey(), treasury: m.treasury.pubkey(), pay: builders::Pay::Lamports };
    m.send(&[builders::start_job(&provider.pubkey(), &jobs[0])], &[&provider]).await.unwrap();
    m.send(&[builders::submit_result(&provider.pubkey(), &jobs[0], RESULT_HASH)], &[&provider]).await.unwrap();
    m.send(&[builders::complete_and_pay(&parties, Some(4))], &[&client]).await.unwrap();
    m.send(&[third], &[&provider]).await.unwrap();
    assert_eq!(m.account::<Provider>(&key).await.active_jobs, 2);
}

#[tokio::test]
async fn storage_only_jobs_match_storage_providers() {
    let mut m = TestMarket::new().await;
    let args = RegisterProviderArgs {
        capacity: Resources { storage_gb: 10_000, ..Resources::default() },
        rates: Rates { per_gb_storage: 3_600, ..Rates::default() },
        hardware: Hardware::default(),
        metadata_uri: "s3-like://bucket".into(),
        assignment: ASSIGN_BY_CLIENTS,
    };
    let provider = m.registered_provider_with(args).await;
    let client = m.registered_client().await;
    let storage = Resources { storage_gb: 500, ..Resources::default() };
    let job = m.post_job_with(&client, |a| { a.requirements = storage; a.max_price_per_hour = 2_000_000 }).await;
    m.send(&[builders::assign_job(&client.pubkey(), &client.pubkey(), &job, &provider.pubkey(), ANY_PRICE)], &[&client]).await.unwrap();
    let job: Job = m.account(&job).await;
    assert_eq!(job.agreed_price_per_hour, 500 * 3_600);
    assert_eq!(job.escrow, 500 * 3_600 * 2);

    // A compute job does not fit a storage-only provider.
    let compute = m.post_job_with(&client, |_| {}).await;
    let ix = builders::assign_job(&client.pubkey(), &client.pubkey(), &compute, &provider.pubkey(), ANY_PRICE);
    assert_error(m.send(&[ix], &[&client]).await, MarketError::InsufficientCapacity);
}
