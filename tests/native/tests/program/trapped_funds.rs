//! Attacks that tried to trap a job's escrow: a token donation to the vault, counters driven to their
//! maximum, lamports sent to the vault token address ahead of the job, a frozen vault, and payees whose wallets
//! cannot hold a small payment. Every exit must still succeed and move exactly what it owes.

use anchor_lang::prelude::Pubkey;
use compute_market::error::MarketError;
use compute_market::state::{ClientProfile, Job, JobStatus, Provider};
use compute_market_tests::builders::{self, Pay};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use compute_market_tests::tokens::*;
use solana_signer::Signer;

const PROGRAMS: [Pubkey; 2] = [TOKEN_PROGRAM, TOKEN_2022_PROGRAM];

/// Each way a token job can end, from the state that exit needs.
#[derive(Clone, Copy, Debug)]
enum Exit {
    Cancel,
    Expire,
    Complete,
    Finalize,
    Resolve,
}

async fn deal_ready_for(m: &mut TestMarket, pay: Pay, exit: Exit) -> Deal {
    match exit {
        Exit::Cancel => m.open_deal_in(pay).await,
        Exit::Expire => {
            let deal = m.open_deal_in(pay).await;
            m.assign(deal).await
        }
        Exit::Complete | Exit::Finalize => m.submitted_deal_in(pay, 1_800).await,
        Exit::Resolve => {
            let deal = m.submitted_deal_in(pay, 1_800).await;
            m.dispute(deal).await
        }
    }
}

async fn take_exit(m: &mut TestMarket, deal: &Deal, exit: Exit) -> TxResult {
    let p = deal.parties(m);
    let caller = m.funded_keypair().await;
    let admin = m.admin();
    match exit {
        Exit::Cancel => m.send(&[builders::cancel_job_in(&p.client, &p.job, &p.pay)], &[&deal.client]).await,
        Exit::Expire => {
            m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
            m.send(&[builders::expire_job(&caller.pubkey(), &p)], &[&caller]).await
        }
        Exit::Complete => m.send(&[builders::complete_and_pay(&p, Some(5))], &[&deal.client]).await,
        Exit::Finalize => {
            m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
            m.send(&[builders::finalize_job(&caller.pubkey(), &p)], &[&caller]).await
        }
        Exit::Resolve => m.send(&[builders::resolve_dispute(&admin.pubkey(), &p, 5_000)], &[&admin]).await,
    }
}

const EXITS: [Exit; 5] = [Exit::Cancel, Exit::Expire, Exit::Complete, Exit::Finalize, Exit::Resolve];

#[tokio::test]
async fn a_token_donation_to_the_vault_cannot_jam_any_exit() {
    for program in PROGRAMS {
        for exit in EXITS {
            let mut m = TestMarket::new().await;
            let pay = m.accepted_mint(program).await;
            let deal = deal_ready_for(&mut m, pay, exit).await;
            let p = deal.parties(&m);
            let vault = pda::vault_tokens(&p.job);
            let held = m.token_balance(&vault).await.unwrap();
            m.donate_tokens(&pay, &vault, 1).await;
            let client_before = m.tokens_of(&p.client, &pay).await;

            take_exit(&mut m, &deal, exit).await.unwrap_or_else(|e| panic!("{exit:?} under {program} after a donation: {e:?}"));

            assert!(!m.exists(&vault).await, "{exit:?}: the vault token account is closed");
            let paid = m.tokens_of(&p.provider, &pay).await + m.tokens_of(&p.treasury, &pay).await;
            // Everything the vault held, donation included, left it: the surplus to the client.
            assert_eq!(m.tokens_of(&p.client, &pay).await - client_before + paid, held + 1, "{exit:?}");
            if !matches!(exit, Exit::Cancel) {
                assert_eq!(m.account::<Job>(&p.job).await.escrow, 0, "{exit:?}");
            }
        }
    }
}

#[tokio::test]
async fn lamports_sent_to_the_vault_token_address_before_the_post_neither_block_it_nor_are_lost() {
    for program in PROGRAMS {
        let mut m = TestMarket::new().await;
        let pay = m.accepted_mint(program).await;
        let rent = m.rent_exempt(compute_market::token_account::TOKEN_ACCOUNT_LEN).await;
        // The least an empty address can be sent (its own rent-exempt minimum), less than the token
        // account's rent; then more than that rent.
        let least = m.rent_exempt(0).await;
        assert!(least < rent);
        for gift in [least, 2 * rent] {
            let client = m.client_paying_in(&pay).await;
            let job_id = m.next_job_id(&client.pubkey()).await;
            let job = pda::job(&client.pubkey(), job_id);
            let vault = pda::vault_tokens(&job);
            // Only the program can make an account there; a stranger can only send it lamports.
            m.fund_with(&[vault], gift).await;
            let lamports = m.lamports(&client.pubkey()).await;

            let posted = m.post_job_in(&client, &pay, |_| {}).await;
            assert_eq!(posted, job);
            assert_eq!(m.account::<Job>(&job).await.escrow, ESCROW);
            assert_eq!(m.token_balance(&vault).await, Some(ESCROW));
            assert_eq!(m.lamports(&vault).await, rent.max(gift), "the client paid only what the gift left of the rent");
            m.send(&[builders::cancel_job_in(&client.pubkey(), &job, &pay)], &[&client]).await.unwrap();
            assert_eq!(m.tokens_of(&client.pubkey(), &pay).await, STARTING_TOKENS, "the escrow back to the client");
            assert_eq!(m.lamports(&client.pubkey()).await, lamports + gift, "rent back to the client, with the gift");
            assert!(!m.exists(&vault).await);
        }
    }
}

#[tokio::test]
async fn counters_at_their_maximum_never_fail_a_payment_or_refund() {
    let mut m = TestMarket::new().await;
    // A lamport job completing and another cancelled, with every counter they touch at its maximum.
    let deal = m.submitted_deal_after(1_800).await;
    let spare = m.post_job_with(&deal.client, |_| {}).await;
    let p = deal.parties(&m);
    m.patch::<ClientProfile>(&pda::client_profile(&p.client), |c| {
        c.total_spent = u64::MAX;
        c.total_refunded = u64::MAX;
        c.jobs_completed = u64::MAX;
        c.jobs_cancelled = u64::MAX;
    })
    .await;
    m.patch::<Provider>(&pda::provider(&p.provider), |pr| {
        pr.total_earned = u64::MAX;
        pr.jobs_completed = u64::MAX;
        pr.rating_sum = u64::MAX;
        pr.rating_count = u64::MAX;
    })
    .await;
    let provider_before = m.lamports(&p.provider).await;
    m.send(&[builders::complete_and_pay(&p, Some(5))], &[&deal.client]).await.expect("payout with saturated counters");
    let (to_provider, _, _) = expected_split(1_800);
    assert_eq!(m.lamports(&p.provider).await, provider_before + to_provider);
    assert_eq!(m.account::<Job>(&p.job).await.status().unwrap(), JobStatus::Completed);
    let client_before = m.lamports(&p.client).await;
    m.send(&[builders::cancel_job(&p.client, &spare)], &[&deal.client]).await.expect("refund with saturated counters");
    assert!(m.lamports(&p.client).await > client_before + ESCROW);
}

/// A job whose payout to the provider is under the rent-exempt minimum: one minute of a two-hour job.
async fn small_payout_deal(m: &mut TestMarket) -> Deal {
    m.submitted_deal_after(60).await
}

#[tokio::test]
async fn an_emptied_provider_wallet_cannot_block_its_clients_settlement() {
    let mut m = TestMarket::new().await;
    let deal = small_payout_deal(&mut m).await;
    let p = deal.parties(&m);
    let (to_provider, fee, refund) = expected_split(60);
    assert!(to_provider < m.rent_exempt(0).await, "the payout alone cannot make a wallet rent-exempt");
    m.drain(&deal.provider).await;
    let client_before = m.lamports(&p.client).await;

    m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await.expect("settles although the provider's wallet is empty");
    assert!(m.lamports(&p.client).await >= client_before + refund, "the client got its refund");
    let job: Job = m.account(&p.job).await;
    assert_eq!((job.status().unwrap(), job.provider_payout, job.fee), (JobStatus::Completed, to_provider, fee));

    // The payout waits on the provider's account; the provider takes it once its wallet can hold it.
    let key = pda::provider(&p.provider);
    assert_eq!(m.account::<Provider>(&key).await.earnings_owed, to_provider);
    assert_eq!(m.lamports(&p.provider).await, 0);
    let withdraw = builders::withdraw_earnings(&p.provider);
    assert_error(m.send(&[withdraw.clone()], &[&deal.provider]).await, MarketError::RecipientNotRentExempt);
    m.fund_with(&[p.provider], 1_000_000).await;
    m.send(&[withdraw.clone()], &[&deal.provider]).await.unwrap();
    assert_eq!(m.lamports(&p.provider).await, 1_000_000 + to_provider);
    assert_eq!(m.account::<Provider>(&key).await.earnings_owed, 0);
    assert_error(m.send(&[withdraw], &[&deal.provider]).await, MarketError::NothingOwed);
}

#[tokio::test]
async fn an_emptied_client_wallet_cannot_block_its_jobs_assignment() {
    let mut m = TestMarket::new().await;
    let provider_keys = m.registered_provider().await;
    let client = m.registered_client().await;
    // 400,000 an hour above the agreed price for two hours: a refund of 800,000 lamports at assignment,
    // less than an empty wallet may receive.
    let max_price = AGREED_PRICE + 400_000;
    let job = m.post_job_with(&client, |args| args.max_price_per_hour = max_price).await;
    let escrow = max_price * 2;
    let deal = Deal { client, provider: provider_keys, job, pay: Pay::Lamports };
    m.drain(&deal.client).await;
    let provider = deal.provider.pubkey();
    // The refund above the agreed price could not be held by the empty wallet: it stays in escrow.
    let ix = builders::assign_job(&provider, &deal.client.pubkey(), &deal.job, &provider, AGREED_PRICE);
    m.send(&[ix], &[&deal.provider]).await.expect("assignment by the provider");
    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.status().unwrap(), job.escrow), (JobStatus::Assigned, escrow));
    let deal = m.start(deal).await;
    let deal = m.submit_after(deal, 3_600).await;
    let p = deal.parties(&m);
    m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
    m.send(&[builders::finalize_job(&p.provider, &p)], &[&deal.provider]).await.unwrap();
    // Everything beyond the hour's payment reached the client with the vault.
    let (to_provider, fee, _) = expected_split(3_600);
    let vault_rent = m.rent_exempt(compute_market::state::space::<compute_market::state::Vault>()).await;
    assert_eq!(m.lamports(&p.client).await, escrow - to_provider - fee + vault_rent);
}

#[tokio::test]
async fn an_emptied_treasury_cannot_block_a_small_job() {
    let mut m = TestMarket::new().await;
    let deal = small_payout_deal(&mut m).await;
    let p = deal.parties(&m);
    let treasury = m.treasury.insecure_clone();
    m.drain(&treasury).await;
    let caller = m.funded_keypair().await;
    m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
    m.send(&[builders::finalize_job(&caller.pubkey(), &p)], &[&caller]).await.expect("settles although the treasury is empty");
    assert_eq!(m.account::<Job>(&p.job).await.status().unwrap(), JobStatus::Completed);
}

#[tokio::test]
async fn update_market_refuses_the_market_itself_as_treasury_by_name() {
    let mut m = TestMarket::new().await;
    let admin = m.admin();
    let ix = builders::update_market(&admin.pubkey(), Some(pda::market()), Default::default());
    assert_error(m.send(&[ix], &[&admin]).await, MarketError::InvalidTreasury);
    assert_eq!(m.market().await.treasury, m.treasury.pubkey());
}
