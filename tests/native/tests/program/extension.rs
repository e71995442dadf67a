//! extend_job: the client adds time to an assigned or running job, escrowing it at the agreed price;
//! the deadlines move, the provider is paid for the longer run, and every refusal moves nothing.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::MAX_JOB_DURATION_SECS;
use compute_market::error::MarketError;
use compute_market::events::JobExtended;
use compute_market::instructions::{AddPaymentMintArgs, UpdateMarketArgs};
use compute_market::state::{Job, JobStatus};
use compute_market_tests::builders::{self, Pay};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use compute_market_tests::tokens::*;
use solana_signer::Signer;

const HOUR: u32 = 3_600;

/// Lamports of the client and the job's vault.
async fn escrow_ledger(m: &mut TestMarket, deal: &Deal) -> Vec<u64> {
    m.balances(&[deal.client.pubkey(), pda::vault(&deal.job)]).await
}

async fn extend(m: &mut TestMarket, deal: &Deal, added_secs: u32) -> TxResult {
    let ix = builders::extend_job_in(&deal.client.pubkey(), &deal.job, &deal.pay, added_secs);
    m.send(&[ix], &[&deal.client]).await
}

#[tokio::test]
async fn extending_a_running_job_escrows_the_added_time_and_moves_its_deadlines() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    m.warp(1_000).await;
    let before: Job = m.account(&deal.job).await;
    let ledger = escrow_ledger(&mut m, &deal).await;

    let logs = extend(&mut m, &deal, HOUR).await.unwrap();

    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.status().unwrap(), job.duration_secs), (JobStatus::Running, DURATION_SECS + HOUR));
    assert_eq!(job.escrow, AGREED_ESCROW + AGREED_PRICE, "one more hour at the agreed price");
    assert_eq!(job.run_deadline, before.run_deadline + i64::from(HOUR));
    assert_eq!(job.grace_deadline, before.grace_deadline + i64::from(HOUR));
    assert_eq!((job.agreed_price_per_hour, job.max_price_per_hour), (AGREED_PRICE, MAX_PRICE), "the terms stay");
    assert_eq!(escrow_ledger(&mut m, &deal).await, vec![ledger[0] - AGREED_PRICE, ledger[1] + AGREED_PRICE]);
    if Tier::current() != Tier::Native {
        let extended: Vec<JobExtended> = events(&logs);
        assert_eq!(extended.len(), 1);
        let e = &extended[0];
        assert_eq!((e.job, e.client, e.provider, e.payment_mint), (deal.job, deal.client.pubkey(), deal.provider.pubkey(), Pubkey::default()));
        assert_eq!((e.added_secs, e.duration_secs, e.added_escrow, e.escrow), (HOUR, DURATION_SECS + HOUR, AGREED_PRICE, job.escrow));
        assert_eq!((e.run_deadline, e.timestamp), (job.run_deadline, m.now().await));
    }
}

#[tokio::test]
async fn an_extended_job_is_paid_for_the_longer_run_and_accepted_past_its_first_deadline() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    extend(&mut m, &deal, HOUR).await.unwrap();
    let parties = deal.parties(&m);
    let before = m.balances(&[deal.client.pubkey(), deal.provider.pubkey(), pda::vault(&deal.job)]).await;
    // Three hours of work: past the first run deadline and its grace, within the extended one.
    assert!(3 * HOUR > DURATION_SECS + WINDOWS.grace_secs);
    let deal = m.submit_after(deal, 3 * i64::from(HOUR)).await;
    m.send(&[builders::complete_and_pay(&parties, None)], &[&deal.client]).await.unwrap();

    let payment = 3 * AGREED_PRICE;
    let fee = payment * u64::from(FEE_BPS) / 10_000;
    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.provider_payout, job.fee, job.escrow), (payment - fee, fee, 0));
    let provider_account = pda::provider(&deal.provider.pubkey());
    let owed = m.account::<compute_market::state::Provider>(&provider_account).await.fees_owed;
    assert_eq!(owed, fee, "the fee waits on the provider account for collect_fees");
    let vault_rent = before[2] - (AGREED_ESCROW + AGREED_PRICE);
    let pair_rent = m.pair_rent().await;
    let after = m.balances(&[deal.client.pubkey(), deal.provider.pubkey()]).await;
    assert_eq!(after[1], before[1] + payment - fee, "paid three hours, less the fee");
    assert_eq!(after[0], before[0] + vault_rent - pair_rent, "the whole escrow was spent: the vault's rent returns, less the pair record's the client signed for");
    assert!(!m.exists(&pda::vault(&deal.job)).await);
}

#[tokio::test]
async fn an_assigned_job_extended_runs_longer_once_started() {
    let mut m = TestMarket::new().await;
    let deal = m.assigned_deal().await;
    let ledger = escrow_ledger(&mut m, &deal).await;
    extend(&mut m, &deal, 1_800).await.unwrap();
    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.status().unwrap(), job.duration_secs, job.run_deadline), (JobStatus::Assigned, DURATION_SECS + 1_800, 0));
    let half_hour = AGREED_PRICE / 2;
    assert_eq!(escrow_ledger(&mut m, &deal).await, vec![ledger[0] - half_hour, ledger[1] + half_hour]);

    let deal = m.start(deal).await;
    let job: Job = m.account(&deal.job).await;
    assert_eq!(job.run_deadline, m.now().await + i64::from(DURATION_SECS + 1_800));
    assert_eq!(job.escrow, AGREED_ESCROW + half_hour);
}

#[tokio::test]
async fn extending_in_steps_escrows_what_the_whole_time_costs_at_once() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    // An odd number of seconds at AGREED_PRICE does not divide evenly: each step pays the difference.
    for secs in [1, 7, 3_599, 1] {
        extend(&mut m, &deal, secs).await.unwrap();
    }
    let job: Job = m.account(&deal.job).await;
    let total = u64::from(DURATION_SECS + 1 + 7 + 3_599 + 1);
    assert_eq!(job.escrow, AGREED_PRICE * total / 3_600);
}

#[tokio::test]
async fn extension_refusals_move_nothing() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    let stranger = m.registered_client().await;
    let ledger = escrow_ledger(&mut m, &deal).await;
    let job_before: Job = m.account(&deal.job).await;

    let mut by_stranger = builders::extend_job_in(&stranger.pubkey(), &deal.job, &Pay::Lamports, HOUR);
    by_stranger.accounts[0].pubkey = stranger.pubkey();
    assert_error(m.send(&[by_stranger], &[&stranger]).await, MarketError::NotJobClient);
    assert_error(extend(&mut m, &deal, 0).await, MarketError::InvalidExtension);
    assert_error(extend(&mut m, &deal, MAX_JOB_DURATION_SECS - DURATION_SECS + 1).await, MarketError::InvalidExtension);
    assert_error(extend(&mut m, &deal, u32::MAX).await, MarketError::InvalidExtension);
    // Another job's vault.
    let other = m.running_deal().await;
    let mut wrong_vault = builders::extend_job_in(&deal.client.pubkey(), &deal.job, &Pay::Lamports, HOUR);
    wrong_vault.accounts[3].pubkey = pda::vault(&other.job); // [client, market, job, vault, ...]
    assert_error(m.send(&[wrong_vault], &[&deal.client]).await, MarketError::WrongVault);
    // A lamport job takes no token accounts.
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let mut tokens = Pay::Lamports.accounts(&deal.job, &deal.client.pubkey(), None);
    tokens.payment_mint = Some(pda::payment_mint(&pay.token().0));
    let accounts = compute_market::accounts::ExtendJob {
        client: deal.client.pubkey(),
        market: pda::market(),
        job: deal.job,
        vault: pda::vault(&deal.job),
        system_program: anchor_lang::system_program::ID,
        tokens,
    };
    let with_tokens = builders::raw(accounts, compute_market::instruction::ExtendJob { added_secs: HOUR });
    assert_error(m.send(&[with_tokens], &[&deal.client]).await, MarketError::UnexpectedTokenAccounts);
    // A paused market takes no new business.
    let admin = m.admin();
    let paused = UpdateMarketArgs { paused: Some(true), ..Default::default() };
    m.send(&[builders::update_market(&admin.pubkey(), None, paused)], &[&admin]).await.unwrap();
    assert_error(extend(&mut m, &deal, HOUR).await, MarketError::MarketPaused);
    let open = UpdateMarketArgs { paused: Some(false), ..Default::default() };
    m.send(&[builders::update_market(&admin.pubkey(), None, open)], &[&admin]).await.unwrap();

    assert_eq!(escrow_ledger(&mut m, &deal).await, ledger);
    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.escrow, job.duration_secs, job.run_deadline), (job_before.escrow, job_before.duration_secs, job_before.run_deadline));

    // At its run deadline a job can no longer grow, though its result is still due within the grace.
    m.warp(i64::from(DURATION_SECS)).await;
    assert_error(extend(&mut m, &deal, HOUR).await, MarketError::RunDeadlinePassed);
}

#[tokio::test]
async fn only_assigned_or_running_jobs_extend_in_time() {
    let mut m = TestMarket::new().await;
    let open = m.open_deal().await;
    assert_error(extend(&mut m, &open, HOUR).await, MarketError::InvalidJobStatus);
    let submitted = m.submitted_deal_after(1_000).await;
    assert_error(extend(&mut m, &submitted, HOUR).await, MarketError::InvalidJobStatus);
    let assigned = m.assigned_deal().await;
    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    assert_error(extend(&mut m, &assigned, HOUR).await, MarketError::StartWindowClosed);
}

#[tokio::test]
async fn token_jobs_extend_in_their_mint_exactly() {
    for program in [TOKEN_PROGRAM, TOKEN_2022_PROGRAM] {
        let mut m = TestMarket::new().await;
        // A mint with a freeze authority (the context's payer), accepted with acknowledgement, as USDC is.
        let mint = m.create_freezable_mint(program, &[]).await;
        let admin = m.admin();
        let terms = AddPaymentMintArgs { acknowledge_freeze_authority: true, ..MINT_TERMS };
        let ix = builders::add_payment_mint(&admin.pubkey(), &m.treasury.pubkey(), &mint, &program, terms);
        m.send(&[ix], &[&admin]).await.unwrap();
        let pay = Pay::Token { mint, token_program: program };
        let deal = m.open_deal_in(pay).await;
        let deal = m.assign(deal).await;
        let deal = m.start(deal).await;
        let vault_tokens = pda::vault_tokens(&deal.job);
        let client_tokens = m.tokens_of(&deal.client.pubkey(), &pay).await;
        let lamports = m.lamports(&deal.client.pubkey()).await;

        extend(&mut m, &deal, HOUR).await.unwrap();
        assert_eq!(m.tokens_of(&deal.client.pubkey(), &pay).await, client_tokens - AGREED_PRICE);
        assert_eq!(m.token_balance(&vault_tokens).await, Some(AGREED_ESCROW + AGREED_PRICE));
        assert_eq!(m.lamports(&deal.client.pubkey()).await, lamports, "a token job's extension moves no lamports");
        let job: Job = m.account(&deal.job).await;
        assert_eq!((job.escrow, job.duration_secs), (AGREED_ESCROW + AGREED_PRICE, DURATION_SECS + HOUR));

        // Without its token accounts, or with the vault frozen, nothing moves.
        let bare = builders::extend_job_in(&deal.client.pubkey(), &deal.job, &Pay::Lamports, HOUR);
        assert_error(m.send(&[bare], &[&deal.client]).await, MarketError::MissingTokenAccounts);
        m.set_frozen(&vault_tokens, &pay, true).await;
        assert_error(extend(&mut m, &deal, HOUR).await, MarketError::EscrowFrozen);
        m.set_frozen(&vault_tokens, &pay, false).await;

        let parties = deal.parties(&m);
        let provider_tokens = m.tokens_of(&deal.provider.pubkey(), &pay).await;
        let deal = m.submit_after(deal, 3 * i64::from(HOUR)).await;
        m.send(&[builders::complete_and_pay(&parties, None)], &[&deal.client]).await.unwrap();
        let payment = 3 * AGREED_PRICE;
        let fee = payment * u64::from(FEE_BPS) / 10_000;
        assert_eq!(m.tokens_of(&deal.provider.pubkey(), &pay).await, provider_tokens + payment - fee);
        assert_eq!(m.tokens_of(&deal.client.pubkey(), &pay).await, client_tokens - AGREED_PRICE, "nothing left to refund");
        assert_eq!(m.token_balance(&vault_tokens).await, None, "the vault's token account is closed");
    }
}
