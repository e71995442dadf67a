//! Every lifecycle path of a job paid in a token, under both the Token program and Token-2022: the
//! escrow, payouts, fee and refunds exact to the base unit, and the rent of every account (job,
//! vault, vault token account) back to the client who paid it.

use anchor_lang::prelude::Pubkey;
use compute_market::error::MarketError;
use compute_market::state::{space, ClientProfile, Job, JobStatus, PaymentMint, Provider, Vault};
use compute_market_tests::builders::{self, JobParties, Pay};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use compute_market_tests::tokens::*;
use solana_signer::Signer;

const PROGRAMS: [Pubkey; 2] = [TOKEN_PROGRAM, TOKEN_2022_PROGRAM];

/// Token balances of client, provider, treasury and vault, and lamports of client, provider and treasury.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ledger {
    tokens: [u64; 4],
    lamports: [u64; 3],
}

async fn ledger(m: &mut TestMarket, p: &JobParties) -> Ledger {
    let vault_tokens = pda::vault_tokens(&p.job);
    Ledger {
        tokens: [
            m.tokens_of(&p.client, &p.pay).await,
            m.tokens_of(&p.provider, &p.pay).await,
            m.tokens_of(&p.treasury, &p.pay).await,
            m.token_balance(&vault_tokens).await.unwrap_or(0),
        ],
        lamports: [m.lamports(&p.client).await, m.lamports(&p.provider).await, m.lamports(&p.treasury).await],
    }
}

/// The market's record of the job's mint: jobs only read it.
async fn mint_record(m: &mut TestMarket, pay: &Pay) -> PaymentMint {
    m.borsh_account::<PaymentMint>(&pda::payment_mint(&pay.token().0)).await
}

/// Rent of the job, the vault and the vault's token account: what posting a token job costs in lamports.
async fn posting_rent(m: &mut TestMarket, job: &Pubkey) -> (u64, u64, u64) {
    let token_account = m.rent_exempt(compute_market::token_account::TOKEN_ACCOUNT_LEN).await;
    (m.lamports(job).await, m.rent_exempt(space::<Vault>()).await, token_account)
}

#[tokio::test]
async fn post_job_escrows_tokens_in_the_vault_token_account() {
    for program in PROGRAMS {
        let mut m = TestMarket::new().await;
        let pay = m.accepted_mint(program).await;
        let provider = m.provider_paid_in(&pay).await;
        let client = m.client_paying_in(&pay).await;
        let lamports_before = m.lamports(&client.pubkey()).await;
        let job = m.post_job_in(&client, &pay, |_| {}).await;

        let (job_rent, vault_rent, vault_tokens_rent) = posting_rent(&mut m, &job).await;
        assert_eq!(m.lamports(&pda::vault_tokens(&job)).await, vault_tokens_rent, "vault token account created, rent-exempt");
        assert_eq!(m.lamports(&client.pubkey()).await, lamports_before - job_rent - vault_rent - vault_tokens_rent);
        assert_eq!(m.lamports(&pda::vault(&job)).await, vault_rent, "no lamport escrow in a token job's vault");
        assert_eq!(m.tokens_of(&client.pubkey(), &pay).await, STARTING_TOKENS - ESCROW);
        let vault_tokens = pda::vault_tokens(&job);
        assert_eq!(m.token_balance(&vault_tokens).await, Some(ESCROW));

        let state: Job = m.account(&job).await;
        assert_eq!((state.payment_mint, state.escrow, state.status().unwrap()), (pay.token().0, ESCROW, JobStatus::Open));
        assert_eq!(m.account::<Vault>(&pda::vault(&job)).await.tokens, vault_tokens);
        let record = mint_record(&mut m, &pay).await;
        assert_eq!((record.mint, record.enabled, record.reputation_lamports_per_token), (pay.token().0, true, MINT_TERMS.reputation_lamports_per_token));
        // Lamport accounting is untouched by a token job.
        let profile: ClientProfile = m.account(&pda::client_profile(&client.pubkey())).await;
        assert_eq!((profile.jobs_posted, profile.total_refunded), (1, 0));
        let _ = provider;
    }
}

#[tokio::test]
async fn cancel_job_refunds_every_token_and_every_rent() {
    for program in PROGRAMS {
        let mut m = TestMarket::new().await;
        let pay = m.accepted_mint(program).await;
        let client = m.client_paying_in(&pay).await;
        let lamports_before = m.lamports(&client.pubkey()).await;
        let job = m.post_job_in(&client, &pay, |_| {}).await;

        m.send(&[builders::cancel_job_in(&client.pubkey(), &job, &pay)], &[&client]).await.unwrap();
        assert_eq!(m.tokens_of(&client.pubkey(), &pay).await, STARTING_TOKENS);
        assert_eq!(m.lamports(&client.pubkey()).await, lamports_before, "job, vault and vault token rent returned");
        let vault_tokens = pda::vault_tokens(&job);
        assert!(!m.exists(&job).await && !m.exists(&pda::vault(&job)).await && !m.exists(&vault_tokens).await);
        assert_eq!(m.account::<ClientProfile>(&pda::client_profile(&client.pubkey())).await.jobs_cancelled, 1);
    }
}

#[tokio::test]
async fn assign_job_prices_with_the_quote_and_refunds_tokens_above_it() {
    for program in PROGRAMS {
        let mut m = TestMarket::new().await;
        let pay = m.accepted_mint(program).await;
        let deal = m.open_deal_in(pay).await;
        let p = deal.parties(&m);
        let before = ledger(&mut m, &p).await;

        m.assign(deal).await;
        let after = ledger(&mut m, &p).await;
        let refund = ESCROW - AGREED_ESCROW;
        assert_eq!(after.tokens, [before.tokens[0] + refund, 0, 0, AGREED_ESCROW]);
        assert_eq!(after.lamports, before.lamports, "no lamports move for a token job");
        let job: Job = m.account(&p.job).await;
        assert_eq!((job.agreed_price_per_hour, job.escrow, job.client_refund), (AGREED_PRICE, AGREED_ESCROW, refund));
    }
}

#[tokio::test]
async fn assign_job_uses_the_quote_not_the_lamport_rates() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let deal = m.open_deal_in(pay).await;
    let (client, provider) = (deal.client.pubkey(), deal.provider.pubkey());
    // Twice the lamport rates in the token: above the job's maximum price.
    let dearer = compute_market::state::Rates {
        per_core: RATES.per_core * 2,
        per_gb_ram: RATES.per_gb_ram * 2,
        per_gb_storage: RATES.per_gb_storage * 2,
        per_gpu: RATES.per_gpu * 2,
    };
    let update = builders::update_mint_quote(&provider, &pay.token().0, dearer);
    m.send(&[update], &[&deal.provider]).await.unwrap();
    let assign = builders::assign_job_in(&client, &client, &deal.job, &provider, &pay, ANY_PRICE);
    assert_error(m.send(&[assign.clone()], &[&deal.client]).await, MarketError::PriceAboveMax);

    m.send(&[builders::update_mint_quote(&provider, &pay.token().0, RATES)], &[&deal.provider]).await.unwrap();
    m.send(&[assign], &[&deal.client]).await.unwrap();
    assert_eq!(m.account::<Job>(&deal.job).await.agreed_price_per_hour, AGREED_PRICE);
}

#[tokio::test]
async fn complete_and_pay_pays_provider_and_treasury_in_tokens() {
    for program in PROGRAMS {
        let mut m = TestMarket::new().await;
        let pay = m.accepted_mint(program).await;
        let deal = m.submitted_deal_in(pay, 2_700).await;
        let p = deal.parties(&m);
        let before = ledger(&mut m, &p).await;
        let (job_rent, vault_rent, vault_tokens_rent) = posting_rent(&mut m, &p.job).await;

        m.send(&[builders::complete_and_pay(&p, Some(5))], &[&deal.client]).await.unwrap();
        let (to_provider, fee, refund) = expected_split(2_700);
        assert_eq!((to_provider, fee, refund), (18_793_125, 481_875, 32_125_000));
        let after = ledger(&mut m, &p).await;
        assert_eq!(
            after.tokens,
            [before.tokens[0] + refund, before.tokens[1] + to_provider, before.tokens[2] + fee, 0]
        );
        // The client pays its first counted job's pair record with this provider.
        let pair_rent = m.pair_rent().await;
        assert_eq!(after.lamports, [before.lamports[0] + vault_rent + vault_tokens_rent - pair_rent, before.lamports[1], before.lamports[2]]);

        let job: Job = m.account(&p.job).await;
        assert_eq!((job.status().unwrap(), job.escrow, job.provider_payout, job.fee), (JobStatus::Completed, 0, to_provider, fee));
        // Token money stays out of the lamport ledgers; counts are shared, and the work is weighed at
        // the mint's reference value.
        let provider: Provider = m.account(&pda::provider(&p.provider)).await;
        assert_eq!((provider.jobs_completed, provider.total_earned, provider.rating_count), (1, 0, 1));
        assert_eq!((provider.fees_owed, provider.counterparties), (0, 1));
        let value = (to_provider + fee) * MINT_TERMS.reputation_lamports_per_token / 10u64.pow(DECIMALS.into());
        assert_eq!(provider.delivered_units, value / compute_market::constants::REPUTATION_UNIT_LAMPORTS);
        let profile: ClientProfile = m.account(&pda::client_profile(&p.client)).await;
        assert_eq!((profile.jobs_completed, profile.total_spent, profile.fees_paid), (1, 0, 0));

        m.send(&[builders::close_job(&p.client, &p.job)], &[&deal.client]).await.unwrap();
        assert_eq!(m.lamports(&p.client).await, after.lamports[0] + job_rent);
    }
}

#[tokio::test]
async fn finalize_job_releases_tokens_after_the_review_window() {
    for program in PROGRAMS {
        let mut m = TestMarket::new().await;
        let pay = m.accepted_mint(program).await;
        let deal = m.submitted_deal_in(pay, 3_600).await;
        let p = deal.parties(&m);
        let keeper = m.funded_keypair().await;
        assert_error(m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::ReviewWindowOpen);

        m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
        let before = ledger(&mut m, &p).await;
        let (_, vault_rent, vault_tokens_rent) = posting_rent(&mut m, &p.job).await;
        m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await.unwrap();
        let (to_provider, fee, refund) = expected_split(3_600);
        let after = ledger(&mut m, &p).await;
        assert_eq!(after.tokens, [before.tokens[0] + refund, to_provider, fee, 0]);
        assert_eq!(after.lamports[0], before.lamports[0] + vault_rent + vault_tokens_rent);
        assert_eq!(m.account::<Job>(&p.job).await.status().unwrap(), JobStatus::Completed);
    }
}

#[tokio::test]
async fn resolve_dispute_splits_tokens_with_the_fee_on_the_provider_share() {
    for program in PROGRAMS {
        let mut m = TestMarket::new().await;
        let pay = m.accepted_mint(program).await;
        let deal = m.submitted_deal_in(pay, 3_600).await;
        let deal = m.dispute(deal).await;
        let p = deal.parties(&m);
        let before = ledger(&mut m, &p).await;
        let admin = m.admin();

        m.send(&[builders::resolve_dispute(&admin.pubkey(), &p, 7_000)], &[&admin]).await.unwrap();
        let share = AGREED_ESCROW * 7_000 / 10_000;
        let fee = share * u64::from(FEE_BPS) / 10_000;
        let after = ledger(&mut m, &p).await;
        assert_eq!(after.tokens, [before.tokens[0] + AGREED_ESCROW - share, share - fee, fee, 0]);
        assert_eq!(m.account::<Job>(&p.job).await.status().unwrap(), JobStatus::Resolved);
    }
}

#[tokio::test]
async fn expire_job_refunds_all_tokens_on_every_missed_deadline() {
    for program in PROGRAMS {
        for stage in ["not started", "no result", "dispute unresolved"] {
            let mut m = TestMarket::new().await;
            let pay = m.accepted_mint(program).await;
            let deal = m.open_deal_in(pay).await;
            let deal = m.assign(deal).await;
            let wait = match stage {
                "not started" => i64::from(WINDOWS.start_window_secs) + 1,
                "no result" => {
                    m.start(deal_ref(&deal)).await;
                    i64::from(DURATION_SECS + WINDOWS.grace_secs) + 1
                }
                _ => {
                    m.start(deal_ref(&deal)).await;
                    m.submit_after(deal_ref(&deal), 600).await;
                    m.dispute(deal_ref(&deal)).await;
                    i64::from(WINDOWS.dispute_window_secs) + 1
                }
            };
            let p = deal.parties(&m);
            let keeper = m.funded_keypair().await;
            assert_error(m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::NotExpirable);
            m.warp(wait).await;
            let before = ledger(&mut m, &p).await;
            let (_, vault_rent, vault_tokens_rent) = posting_rent(&mut m, &p.job).await;

            m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await.unwrap();
            let after = ledger(&mut m, &p).await;
            if stage == "dispute unresolved" {
                // The default split: half of the ten minutes' payment to the provider side, fee on that half.
                let (to_provider, fee, _) = expected_split(600);
                let half = (to_provider + fee) / 2;
                let half_fee = half * u64::from(FEE_BPS) / 10_000;
                assert_eq!(after.tokens, [before.tokens[0] + AGREED_ESCROW - half, half - half_fee, half_fee, 0], "{stage}");
            } else {
                assert_eq!(after.tokens, [before.tokens[0] + AGREED_ESCROW, 0, 0, 0], "{stage}");
                assert_eq!(after.tokens[0], STARTING_TOKENS, "{stage}: the client has every token back");
            }
            assert_eq!(after.lamports[0], before.lamports[0] + vault_rent + vault_tokens_rent, "{stage}");
            let job: Job = m.account(&p.job).await;
            assert_eq!(job.status().unwrap(), JobStatus::Expired, "{stage}");
            let provider: Provider = m.account(&pda::provider(&p.provider)).await;
            assert_eq!((provider.free, provider.jobs_failed), (CAPACITY, u64::from(stage != "dispute unresolved")), "{stage}");
        }
    }
}

/// A second handle on a deal, for stage helpers that take it by value.
fn deal_ref(deal: &Deal) -> Deal {
    Deal { client: deal.client.insecure_clone(), provider: deal.provider.insecure_clone(), job: deal.job, pay: deal.pay }
}
