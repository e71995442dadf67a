//! Nobody reserves a provider's capacity or lowers its reputation with a job it did not agree to; a
//! provider may decline an unstarted job at no cost; an assignment's price is bounded by what the signer
//! saw; and a client takes back a job its provider does not start, long before the start window ends.

use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, TAKE_BACK_AFTER_SECS};
use compute_market::error::MarketError;
use compute_market::instructions::{RegisterProviderArgs, UpdateMarketArgs, UpdateProviderArgs};
use compute_market::state::{ClientProfile, Job, JobStatus, Provider, Rates, Vault};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

/// A provider that has opted in to nobody assigning it jobs: only it accepts them.
async fn self_serve_provider(m: &mut TestMarket) -> solana_keypair::Keypair {
    m.registered_provider_with(RegisterProviderArgs { assignment: 0, ..provider_args() }).await
}

#[tokio::test]
async fn a_client_cannot_wreck_a_provider_by_assigning_it_a_job_it_never_agreed_to() {
    let mut m = TestMarket::new().await;
    let provider = self_serve_provider(&mut m).await;
    let client = m.registered_client().await;
    let job = m.post_job_with(&client, |_| {}).await;
    let ix = builders::assign_job(&client.pubkey(), &client.pubkey(), &job, &provider.pubkey(), AGREED_PRICE);
    assert_error(m.send(&[ix], &[&client]).await, MarketError::NotAssigner);
    // Nor the matcher, which the provider did not opt in to either.
    let matcher = m.matcher.insecure_clone();
    let ix = builders::assign_job(&matcher.pubkey(), &client.pubkey(), &job, &provider.pubkey(), AGREED_PRICE);
    assert_error(m.send(&[ix], &[&matcher]).await, MarketError::NotAssigner);

    // Had it been able to, the expiry of an unstartable job would have counted against the provider.
    let state: Provider = m.account(&pda::provider(&provider.pubkey())).await;
    assert_eq!((state.free, state.active_jobs, state.jobs_failed, state.reputation), (CAPACITY, 0, 0, 5_000));
    assert_eq!(m.account::<Job>(&job).await.status().unwrap(), JobStatus::Open);

    // Opting in to clients (its published rates and capacity are the terms) lets the client assign.
    let args = UpdateProviderArgs { assignment: Some(ASSIGN_BY_CLIENTS), ..Default::default() };
    m.send(&[builders::update_provider(&provider.pubkey(), args)], &[&provider]).await.unwrap();
    let ix = builders::assign_job(&client.pubkey(), &client.pubkey(), &job, &provider.pubkey(), AGREED_PRICE);
    m.send(&[ix], &[&client]).await.unwrap();
    // Its own acceptance always counts.
    let other = m.post_job_with(&client, |_| {}).await;
    let ix = builders::assign_job(&provider.pubkey(), &client.pubkey(), &other, &provider.pubkey(), AGREED_PRICE);
    m.send(&[ix], &[&provider]).await.unwrap();
    let matcher_only = m.registered_provider_with(RegisterProviderArgs { assignment: ASSIGN_BY_MATCHER, ..provider_args() }).await;
    let third = m.post_job_with(&client, |_| {}).await;
    let ix = builders::assign_job(&client.pubkey(), &client.pubkey(), &third, &matcher_only.pubkey(), AGREED_PRICE);
    assert_error(m.send(&[ix], &[&client]).await, MarketError::NotAssigner);
    let ix = builders::assign_job(&matcher.pubkey(), &client.pubkey(), &third, &matcher_only.pubkey(), AGREED_PRICE);
    m.send(&[ix], &[&matcher]).await.unwrap();
}

#[tokio::test]
async fn a_provider_declines_an_unstarted_job_at_no_cost_and_the_job_reopens() {
    let mut m = TestMarket::new().await;
    let deal = m.assigned_deal().await;
    let (client, provider) = (deal.client.pubkey(), deal.provider.pubkey());
    let stranger = m.registered_provider().await;
    assert_error(m.send(&[builders::decline_job(&stranger.pubkey(), &deal.job)], &[&stranger]).await, MarketError::NotJobProvider);
    let vault_before = m.lamports(&pda::vault(&deal.job)).await;
    let now = m.now().await;

    m.send(&[builders::decline_job(&provider, &deal.job)], &[&deal.provider]).await.unwrap();
    let state: Provider = m.account(&pda::provider(&provider)).await;
    assert_eq!((state.free, state.active_jobs, state.jobs_failed, state.reputation), (CAPACITY, 0, 0, 5_000));
    assert_eq!(state.last_active_at, now);
    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.status().unwrap(), job.provider, job.agreed_price_per_hour), (JobStatus::Open, Default::default(), 0));
    // The escrow left at assignment covers the agreed price only: that is the job's maximum now.
    assert_eq!((job.escrow, job.max_price_per_hour), (AGREED_ESCROW, AGREED_PRICE));
    assert_eq!(m.lamports(&pda::vault(&deal.job)).await, vault_before, "nothing moved");

    // Declined jobs cannot be declined or started again; another provider can take it, or the client cancels.
    assert_error(m.send(&[builders::decline_job(&provider, &deal.job)], &[&deal.provider]).await, MarketError::NotJobProvider);
    let client_before = m.lamports(&client).await;
    m.send(&[builders::cancel_job(&client, &deal.job)], &[&deal.client]).await.unwrap();
    let rents = m.rent_exempt(compute_market::state::space::<Job>()).await + m.rent_exempt(compute_market::state::space::<Vault>()).await;
    assert_eq!(m.lamports(&client).await, client_before + AGREED_ESCROW + rents);

    // A running job is the provider's to finish: it cannot be declined.
    let running = m.running_deal().await;
    assert_error(
        m.send(&[builders::decline_job(&running.provider.pubkey(), &running.job)], &[&running.provider]).await,
        MarketError::InvalidJobStatus,
    );
}

#[tokio::test]
async fn a_provider_repricing_to_the_clients_maximum_before_assignment_is_refused() {
    let mut m = TestMarket::new().await;
    let deal = m.open_deal().await;
    let provider = deal.provider.pubkey();
    // The provider raises its GPU rate so that its price is the client's maximum, then accepts in the
    // same transaction with the price the matcher or the client saw.
    let greedy = Rates { per_gpu: RATES.per_gpu + (MAX_PRICE - AGREED_PRICE), ..RATES };
    let reprice = builders::update_provider(&provider, UpdateProviderArgs { rates: Some(greedy), ..Default::default() });
    let accept = builders::assign_job(&provider, &deal.client.pubkey(), &deal.job, &provider, AGREED_PRICE);
    assert_error(m.send(&[reprice.clone(), accept], &[&deal.provider]).await, MarketError::PriceChanged);
    let matcher = m.matcher.insecure_clone();
    m.send(&[reprice], &[&deal.provider]).await.unwrap();
    let by_matcher = builders::assign_job(&matcher.pubkey(), &deal.client.pubkey(), &deal.job, &provider, AGREED_PRICE);
    assert_error(m.send(&[by_matcher], &[&matcher]).await, MarketError::PriceChanged);
    assert_eq!(m.account::<Job>(&deal.job).await.status().unwrap(), JobStatus::Open);
    // At the price it shows now, it may be assigned: a bound is what the signer accepts.
    let seen = builders::assign_job(&matcher.pubkey(), &deal.client.pubkey(), &deal.job, &provider, MAX_PRICE);
    m.send(&[seen], &[&matcher]).await.unwrap();
    assert_eq!(m.account::<Job>(&deal.job).await.agreed_price_per_hour, MAX_PRICE);
}

#[tokio::test]
async fn a_client_takes_back_a_job_its_provider_sits_on_long_before_the_start_window_ends() {
    let mut m = TestMarket::new().await;
    // The longest start window the market allows: 30 days the escrow would otherwise be locked.
    let admin = m.admin();
    let windows = compute_market::state::TimeWindows { start_window_secs: compute_market::constants::MAX_WINDOW_SECS, ..WINDOWS };
    let args = UpdateMarketArgs { windows: Some(windows), ..Default::default() };
    m.send(&[builders::update_market(&admin.pubkey(), None, args)], &[&admin]).await.unwrap();
    let deal = m.open_deal().await;
    // A fresh provider accepts the untargeted job itself and never starts it.
    let provider = deal.provider.pubkey();
    let client = deal.client.pubkey();
    m.send(&[builders::assign_job(&provider, &client, &deal.job, &provider, AGREED_PRICE)], &[&deal.provider]).await.unwrap();

    let take_back = builders::take_back_job(&client, &deal.job, &provider);
    m.warp(i64::from(TAKE_BACK_AFTER_SECS) - 1).await;
    assert_error(m.send(&[take_back.clone()], &[&deal.client]).await, MarketError::TakeBackTooEarly);
    let stranger = m.registered_client().await;
    let theirs = builders::take_back_job(&stranger.pubkey(), &deal.job, &provider);
    assert_error(m.send(&[theirs], &[&stranger]).await, MarketError::NotJobClient);
    m.warp(1).await;
    m.send(&[take_back.clone()], &[&deal.client]).await.unwrap();

    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.status().unwrap(), job.provider, job.escrow), (JobStatus::Open, Default::default(), AGREED_ESCROW));
    let state: Provider = m.account(&pda::provider(&provider)).await;
    assert_eq!((state.free, state.active_jobs, state.jobs_failed), (CAPACITY, 0, 0), "no failure: the client chose");
    let before = m.lamports(&client).await;
    m.send(&[builders::cancel_job(&client, &deal.job)], &[&deal.client]).await.unwrap();
    assert!(m.lamports(&client).await > before + AGREED_ESCROW, "the escrow and both rents are back");
    assert_eq!(m.account::<ClientProfile>(&pda::client_profile(&client)).await.jobs_cancelled, 1);

    // A started job cannot be taken back.
    let running = m.running_deal().await;
    m.warp(i64::from(TAKE_BACK_AFTER_SECS)).await;
    let ix = builders::take_back_job(&running.client.pubkey(), &running.job, &running.provider.pubkey());
    assert_error(m.send(&[ix], &[&running.client]).await, MarketError::InvalidJobStatus);
}
