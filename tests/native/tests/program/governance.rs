//! Who may create the market, terms that do not change under a job in flight, windows a dispute cannot
//! cut short, and a job path that never write-locks a market-wide account.

use anchor_lang::prelude::Pubkey;
use compute_market::error::MarketError;
use compute_market::instructions::UpdateMarketArgs;
use compute_market::state::{Job, JobStatus, TimeWindows};
use compute_market_tests::builders::{self, JobParties};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use compute_market_tests::tokens::*;
use solana_instruction::Instruction;
use solana_signer::Signer;

#[tokio::test]
async fn a_watcher_cannot_take_the_market_before_its_deployer() {
    let mut m = TestMarket::uninitialized().await;
    let watcher = m.funded_keypair().await;
    let args = m.default_market_args();
    let ix = builders::initialize_market(&watcher.pubkey(), &watcher.pubkey(), args.clone());
    assert_error(m.send(&[ix], &[&watcher]).await, MarketError::NotUpgradeAuthority);
    assert!(!m.exists(&pda::market()).await);
    // A program data account other than the program's own is refused before anything else.
    let mut ix = builders::initialize_market(&watcher.pubkey(), &watcher.pubkey(), args.clone());
    let decoy = Pubkey::new_unique();
    m.ctx.set_account(&decoy, &program_data_account(&watcher.pubkey(), &[]).into());
    ix.accounts[3].pubkey = decoy; // [admin, market, treasury, program_data, system_program]
    assert_error(m.send(&[ix], &[&watcher]).await, anchor_lang::error::ErrorCode::ConstraintSeeds);
    let admin = m.admin();
    m.send(&[builders::initialize_market(&admin.pubkey(), &m.treasury.pubkey(), args)], &[&admin]).await.unwrap();
    assert_eq!(m.market().await.admin, admin.pubkey());
}

#[tokio::test]
async fn window_and_fee_changes_never_alter_a_job_in_flight() {
    let mut m = TestMarket::new().await;
    let deal = m.assigned_deal().await;
    let posted: Job = m.account(&deal.job).await;
    assert_eq!((posted.windows, posted.fee_bps), (WINDOWS, FEE_BPS));
    // The admin shortens every window to the minimum and raises the fee mid-job.
    let admin = m.admin();
    let short = TimeWindows { start_window_secs: 60, review_window_secs: 60, grace_secs: 60, dispute_window_secs: 60 };
    let args = UpdateMarketArgs { windows: Some(short), fee_bps: Some(1_000), ..Default::default() };
    m.send(&[builders::update_market(&admin.pubkey(), None, args)], &[&admin]).await.unwrap();

    let deal = m.start(deal).await;
    let started: Job = m.account(&deal.job).await;
    assert_eq!(started.grace_deadline, started.run_deadline + i64::from(WINDOWS.grace_secs));
    let deal = m.submit_after(deal, 3_600).await;
    let submitted: Job = m.account(&deal.job).await;
    assert_eq!(submitted.review_deadline, submitted.submitted_at + i64::from(WINDOWS.review_window_secs));
    let deal = m.dispute(deal).await;
    let disputed: Job = m.account(&deal.job).await;
    assert_eq!(disputed.dispute_deadline, disputed.disputed_at + i64::from(WINDOWS.dispute_window_secs));
    let p = deal.parties(&m);
    m.send(&[builders::resolve_dispute(&admin.pubkey(), &p, 10_000)], &[&admin]).await.unwrap();
    let settled: Job = m.account(&deal.job).await;
    assert_eq!(settled.fee, AGREED_ESCROW * u64::from(FEE_BPS) / 10_000, "the fee it was posted under");
    // A job posted now takes the new terms.
    let later = m.post_job_with(&deal.client, |_| {}).await;
    let later: Job = m.account(&later).await;
    assert_eq!((later.windows, later.fee_bps), (short, 1_000));
}

#[tokio::test]
async fn a_client_cannot_dispute_away_the_providers_grace_period() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    // One second past the run deadline, with the whole grace period still owed to the provider.
    m.warp(i64::from(DURATION_SECS) + 1).await;
    assert_error(m.send(&[builders::dispute_job(&deal.client.pubkey(), &deal.job)], &[&deal.client]).await, MarketError::NotDisputable);
    // The provider delivers within grace and is paid for the full duration.
    let deal = m.submit_after(deal, i64::from(WINDOWS.grace_secs) - 10).await;
    let p = deal.parties(&m);
    let before = m.lamports(&p.provider).await;
    m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await.unwrap();
    let (to_provider, _, _) = expected_split(u64::from(DURATION_SECS));
    assert_eq!(m.lamports(&p.provider).await, before + to_provider);
    assert_eq!(m.account::<Job>(&p.job).await.status().unwrap(), JobStatus::Completed);
}

/// The market-wide accounts: the Market, every PaymentMint record, the treasury and its token accounts.
fn market_wide(m: &TestMarket, mint: &Pubkey, token_program: &Pubkey) -> Vec<Pubkey> {
    vec![pda::market(), pda::payment_mint(mint), m.treasury.pubkey()].into_iter().chain([pda::ata(&m.treasury.pubkey(), mint, token_program)]).collect()
}

fn writes(ix: &Instruction, key: &Pubkey) -> bool {
    ix.accounts.iter().any(|meta| meta.pubkey == *key && meta.is_writable)
}

#[tokio::test]
async fn no_instruction_on_a_jobs_path_write_locks_a_market_wide_account() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let (mint, token_program) = pay.token();
    let (client, provider, job) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
    let (admin, keeper) = (m.admin.pubkey(), Pubkey::new_unique());
    let shared = market_wide(&m, &mint, &token_program);
    for pay in [builders::Pay::Lamports, pay] {
        let p = JobParties { job, client, provider, treasury: m.treasury.pubkey(), pay };
        let path = [
            ("post_job", builders::post_job_in(&client, job_args(&client, 0), &pay)),
            ("cancel_job", builders::cancel_job_in(&client, &job, &pay)),
            ("assign_job", builders::assign_job_in(&client, &client, &job, &provider, &pay, AGREED_PRICE)),
            ("decline_job", builders::decline_job(&provider, &job)),
            ("take_back_job", builders::take_back_job(&client, &job, &provider)),
            ("start_job", builders::start_job(&provider, &job)),
            ("submit_result", builders::submit_result(&provider, &job, RESULT_HASH)),
            ("dispute_job", builders::dispute_job(&client, &job)),
            ("complete_and_pay", builders::complete_and_pay(&p, Some(5))),
            ("finalize_job", builders::finalize_job(&keeper, &p)),
            ("expire_job", builders::expire_job(&keeper, &p)),
            ("resolve_dispute", builders::resolve_dispute(&admin, &p, 5_000)),
            ("close_job", builders::close_job(&client, &job)),
        ];
        for (name, ix) in path {
            for key in &shared {
                // The one exception: a token job's fee goes to the treasury's token account at settlement.
                let token_fee = *key == shared[3] && pay != builders::Pay::Lamports
                    && matches!(name, "complete_and_pay" | "finalize_job" | "expire_job" | "resolve_dispute");
                assert!(!writes(&ix, key) || token_fee, "{name} ({pay:?}) write-locks the market-wide account {key}");
            }
        }
    }
}
