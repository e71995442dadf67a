//! complete_and_pay and finalize_job: payouts, fees, refunds, reputation and counters, to the lamport.

use compute_market::error::MarketError;
use compute_market::instructions::UpdateMarketArgs;
use compute_market::state::{space, ClientProfile, Job, JobStatus, Pair, Provider, Vault};
use compute_market_tests::builders::{self, JobParties};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

async fn party_balances(m: &mut TestMarket, p: &JobParties) -> [u64; 4] {
    let b = m.balances(&[p.client, p.provider, p.treasury, pda::vault(&p.job)]).await;
    [b[0], b[1], b[2], b[3]]
}

#[tokio::test]
async fn complete_and_pay_pays_time_worked_and_refunds_the_rest() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(2_700).await;
    let p = deal.parties(&m);
    let [client, provider, treasury, vault] = party_balances(&mut m, &p).await;
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(vault, vault_rent + AGREED_ESCROW);

    let now = m.now().await;
    m.send(&[builders::complete_and_pay(&p, Some(5))], &[&deal.client]).await.unwrap();

    let (to_provider, fee, refund) = expected_split(2_700);
    // 45 minutes at 25.7M/h is 19,275,000, of which 2.5% is the fee.
    assert_eq!((to_provider, fee, refund), (18_793_125, 481_875, 32_125_000));
    assert_eq!(m.lamports(&p.provider).await, provider + to_provider);
    // The fee waits on the provider's account for collect_fees; no job writes the treasury.
    assert_eq!(m.lamports(&p.treasury).await, treasury);
    let provider_account = pda::provider(&p.provider);
    assert_eq!(m.lamports(&provider_account).await, m.rent_exempt(space::<Provider>()).await + fee);
    // The client pays for the first counted job's pair record.
    let pair_rent = m.pair_rent().await;
    assert_eq!(m.lamports(&p.client).await, client + refund + vault_rent - pair_rent);
    assert!(!m.exists(&pda::vault(&p.job)).await, "vault closed");
    let pair: Pair = m.account(&pda::pair(&p.provider, &p.client)).await;
    assert_eq!((pair.provider, pair.client, pair.jobs, pair.units, pair.first_at), (p.provider, p.client, 1, units(to_provider + fee), now));

    let job: Job = m.account(&p.job).await;
    assert_eq!((job.status().unwrap(), job.escrow, job.rating, job.finished_at), (JobStatus::Completed, 0, 5, now));
    assert_eq!((job.provider_payout, job.fee, job.client_refund), (to_provider, fee, ESCROW - AGREED_ESCROW + refund));

    let state: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((state.free, state.active_jobs, state.jobs_completed), (CAPACITY, 0, 1));
    assert_eq!((state.rating_sum, state.rating_count, state.total_earned), (5, 1, to_provider));
    assert_eq!((state.delivered_units, state.counterparties, state.fees_owed, state.earnings_owed), (1, 1, fee, 0));
    // One unit of work for one client, five stars: a fifth of the way from neutral.
    assert_eq!(state.reputation, score_of(&state));
    assert_eq!(state.reputation, 5_103);

    // Anyone moves the fee to the treasury, once.
    let keeper = m.funded_keypair().await;
    m.send(&[builders::collect_fees(&keeper.pubkey(), &p.provider, &p.treasury)], &[&keeper]).await.unwrap();
    assert_eq!(m.lamports(&p.treasury).await, treasury + fee);
    assert_eq!(m.lamports(&provider_account).await, m.rent_exempt(space::<Provider>()).await);
    assert_eq!(m.account::<Provider>(&provider_account).await.fees_owed, 0);
    let again = builders::collect_fees(&keeper.pubkey(), &p.provider, &p.treasury);
    assert_error(m.send(&[again], &[&keeper]).await, MarketError::NothingOwed);
    assert_eq!(m.lamports(&keeper.pubkey()).await, STARTING_LAMPORTS);

    let profile: ClientProfile = m.account(&pda::client_profile(&p.client)).await;
    assert_eq!((profile.jobs_completed, profile.total_spent), (1, to_provider + fee));
    assert_eq!(profile.total_refunded, ESCROW - AGREED_ESCROW + refund);
    assert_eq!(profile.fees_paid, fee);
}

#[tokio::test]
async fn complete_and_pay_caps_payment_at_the_duration() {
    let mut m = TestMarket::new().await;
    // Delivered during the grace period, after the full duration.
    let deal = m.submitted_deal_after(i64::from(DURATION_SECS) + 200).await;
    let p = deal.parties(&m);
    let [client, provider, treasury, _] = party_balances(&mut m, &p).await;
    m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await.unwrap();
    let (to_provider, fee, refund) = expected_split(u64::from(DURATION_SECS));
    assert_eq!((to_provider + fee, refund), (AGREED_ESCROW, 0));
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    let pair_rent = m.pair_rent().await;
    assert_eq!(m.balances(&[p.client, p.provider, p.treasury]).await, vec![client + vault_rent - pair_rent, provider + to_provider, treasury]);
    let state: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((state.rating_count, state.fees_owed, state.delivered_units), (0, fee, units(AGREED_ESCROW)));
    assert_eq!(state.reputation, score_of(&state));
    assert_eq!(m.account::<Job>(&p.job).await.rating, 0);
}

#[tokio::test]
async fn complete_and_pay_refusals_move_nothing() {
    let mut m = TestMarket::new().await;
    // Ten minutes of work: below one reputation unit, so no pair record is written, yet it is checked.
    let deal = m.submitted_deal_after(600).await;
    let p = deal.parties(&m);
    let stranger = m.registered_client().await;
    let thief = m.funded_keypair().await;
    let other_provider = m.registered_provider().await;
    let other_job = m.post_job_with(&deal.client, |_| {}).await;
    let before = party_balances(&mut m, &p).await;

    for stars in [0, 6] {
        assert_error(m.send(&[builders::complete_and_pay(&p, Some(stars))], &[&deal.client]).await, MarketError::InvalidRating);
    }
    // [market, payer, client_profile, job, vault, provider, provider_wallet, client, pair, ...]: a stranger
    // paying in the client's place, with the client's own accounts.
    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[1].pubkey = stranger.pubkey();
    assert_error(m.send(&[ix], &[&stranger]).await, MarketError::NotJobClient);

    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[7].pubkey = thief.pubkey();
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongClient);
    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[8].pubkey = pda::pair(&p.provider, &thief.pubkey());
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongPair);
    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[6].pubkey = thief.pubkey();
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongProviderWallet);
    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[5].pubkey = pda::provider(&other_provider.pubkey());
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongProvider);
    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[4].pubkey = pda::vault(&other_job);
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongVault);

    assert_eq!(party_balances(&mut m, &p).await, before);
    assert_eq!(m.lamports(&thief.pubkey()).await, STARTING_LAMPORTS);

    let running = m.running_deal().await;
    let rp = running.parties(&m);
    assert_error(m.send(&[builders::complete_and_pay(&rp, None)], &[&running.client]).await, MarketError::InvalidJobStatus);

    // Paid once only.
    m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await.unwrap();
    assert!(m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await.is_err());
}

#[tokio::test]
async fn treasury_may_be_the_providers_own_wallet() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(3_600).await;
    let admin = m.admin();
    m.send(&[builders::update_market(&admin.pubkey(), Some(deal.provider.pubkey()), UpdateMarketArgs::default())], &[&admin])
        .await
        .unwrap();
    let p = JobParties { treasury: deal.provider.pubkey(), ..deal.parties(&m) };
    let provider_before = m.lamports(&p.provider).await;
    m.send(&[builders::complete_and_pay(&p, Some(3))], &[&deal.client]).await.unwrap();
    let (to_provider, fee, _) = expected_split(3_600);
    assert_eq!(m.lamports(&p.provider).await, provider_before + to_provider);
    m.send(&[builders::collect_fees(&p.provider, &p.provider, &p.treasury)], &[&deal.provider]).await.unwrap();
    assert_eq!(m.lamports(&p.provider).await, provider_before + to_provider + fee);
}

#[tokio::test]
async fn finalize_job_releases_payment_after_the_review_window() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(3_600).await;
    let p = deal.parties(&m);
    let keeper = m.funded_keypair().await;
    assert_error(m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::ReviewWindowOpen);
    m.warp(i64::from(WINDOWS.review_window_secs)).await;
    assert_error(m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::ReviewWindowOpen);
    m.warp(1).await;

    let [client, provider, treasury, _] = party_balances(&mut m, &p).await;
    m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await.unwrap();
    let (to_provider, fee, refund) = expected_split(3_600);
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    // The keeper who settles the first counted job pays the pair record's rent.
    let pair_rent = m.pair_rent().await;
    assert_eq!(
        m.balances(&[p.client, p.provider, p.treasury, keeper.pubkey()]).await,
        vec![client + refund + vault_rent, provider + to_provider, treasury, STARTING_LAMPORTS - pair_rent]
    );
    assert_eq!(m.account::<Provider>(&pda::provider(&p.provider)).await.fees_owed, fee);
    let job: Job = m.account(&p.job).await;
    assert_eq!((job.status().unwrap(), job.rating), (JobStatus::Completed, 0));
    assert_eq!(m.account::<ClientProfile>(&pda::client_profile(&p.client)).await.jobs_completed, 1);
}

#[tokio::test]
async fn finalize_job_refusals() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    let p = deal.parties(&m);
    let keeper = m.funded_keypair().await;
    m.warp(100_000).await;
    assert_error(m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::InvalidJobStatus);

    let submitted = m.submitted_deal_after(60).await;
    let sp = submitted.parties(&m);
    m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
    let mut ix = builders::finalize_job(&keeper.pubkey(), &sp);
    ix.accounts[7].pubkey = keeper.pubkey();
    assert_error(m.send(&[ix], &[&keeper]).await, MarketError::WrongClient);
    let mut ix = builders::finalize_job(&keeper.pubkey(), &sp);
    ix.accounts[6].pubkey = keeper.pubkey();
    assert_error(m.send(&[ix], &[&keeper]).await, MarketError::WrongProviderWallet);
    assert_eq!(m.lamports(&keeper.pubkey()).await, STARTING_LAMPORTS);
}
