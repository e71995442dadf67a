//! close_job, and what a paused market still allows: every way out, no new business.

use anchor_lang::error::ErrorCode;
use compute_market::error::MarketError;
use compute_market::instructions::UpdateMarketArgs;
use compute_market::state::{space, Job};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

#[tokio::test]
async fn close_job_returns_the_rent_of_a_final_job() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(600).await;
    let p = deal.parties(&m);
    assert_error(m.send(&[builders::close_job(&deal.client.pubkey(), &deal.job)], &[&deal.client]).await, MarketError::JobNotFinal);
    m.send(&[builders::complete_and_pay(&p, Some(4))], &[&deal.client]).await.unwrap();

    let stranger = m.funded_keypair().await;
    assert_error(m.send(&[builders::close_job(&stranger.pubkey(), &deal.job)], &[&stranger]).await, MarketError::NotJobClient);

    let client = m.lamports(&p.client).await;
    let rent = m.rent_exempt(space::<Job>()).await;
    assert_eq!(m.lamports(&deal.job).await, rent);
    m.send(&[builders::close_job(&deal.client.pubkey(), &deal.job)], &[&deal.client]).await.unwrap();
    assert_eq!(m.lamports(&p.client).await, client + rent);
    assert!(!m.exists(&deal.job).await);

    // Reuse after close fails on every path: a closed zero-copy account is System-owned again.
    assert_error(m.send(&[builders::close_job(&deal.client.pubkey(), &deal.job)], &[&deal.client]).await, ErrorCode::AccountOwnedByWrongProgram);
    assert_error(m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await, ErrorCode::AccountOwnedByWrongProgram);
    assert_error(m.send(&[builders::dispute_job(&deal.client.pubkey(), &deal.job)], &[&deal.client]).await, ErrorCode::AccountOwnedByWrongProgram);
}

async fn pause(m: &mut TestMarket, paused: bool) {
    let admin = m.admin();
    let args = UpdateMarketArgs { paused: Some(paused), ..Default::default() };
    m.send(&[builders::update_market(&admin.pubkey(), None, args)], &[&admin]).await.unwrap();
}

#[tokio::test]
async fn pause_blocks_new_business() {
    let mut m = TestMarket::new().await;
    let deal = m.open_deal().await;
    pause(&mut m, true).await;

    let newcomer = m.funded_keypair().await;
    assert_error(
        m.send(&[builders::register_provider(&newcomer.pubkey(), provider_args())], &[&newcomer]).await,
        MarketError::MarketPaused,
    );
    assert_error(m.send(&[builders::register_client(&newcomer.pubkey())], &[&newcomer]).await, MarketError::MarketPaused);
    assert_error(
        m.send(&[builders::post_job(&deal.client.pubkey(), job_args(&deal.client.pubkey(), 1))], &[&deal.client]).await,
        MarketError::MarketPaused,
    );
    let assign = builders::assign_job(&deal.client.pubkey(), &deal.client.pubkey(), &deal.job, &deal.provider.pubkey(), ANY_PRICE);
    assert_error(m.send(&[assign.clone()], &[&deal.client]).await, MarketError::MarketPaused);

    pause(&mut m, false).await;
    m.send(&[assign], &[&deal.client]).await.unwrap();
}

#[tokio::test]
async fn pause_never_blocks_a_way_out() {
    let mut m = TestMarket::new().await;
    let open = m.open_deal().await;
    let assigned = m.assigned_deal().await;
    let to_complete = m.submitted_deal_after(600).await;
    let to_finalize = m.submitted_deal_after(600).await;
    let to_dispute = m.submitted_deal_after(600).await;
    // Created after the warps above, so their start window is still open.
    let to_start = m.assigned_deal().await;
    let running = m.running_deal().await;
    let keeper = m.funded_keypair().await;
    pause(&mut m, true).await;

    m.send(&[builders::cancel_job(&open.client.pubkey(), &open.job)], &[&open.client]).await.unwrap();
    m.send(&[builders::start_job(&to_start.provider.pubkey(), &to_start.job)], &[&to_start.provider]).await.unwrap();
    let submit = builders::submit_result(&running.provider.pubkey(), &running.job, RESULT_HASH);
    m.send(&[submit], &[&running.provider]).await.unwrap();
    m.send(&[builders::complete_and_pay(&to_complete.parties(&m), Some(5))], &[&to_complete.client]).await.unwrap();
    m.send(&[builders::dispute_job(&to_dispute.client.pubkey(), &to_dispute.job)], &[&to_dispute.client]).await.unwrap();
    let admin = m.admin();
    m.send(&[builders::resolve_dispute(&admin.pubkey(), &to_dispute.parties(&m), 5_000)], &[&admin]).await.unwrap();
    m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
    m.send(&[builders::finalize_job(&keeper.pubkey(), &to_finalize.parties(&m))], &[&keeper]).await.unwrap();
    m.send(&[builders::expire_job(&keeper.pubkey(), &assigned.parties(&m))], &[&keeper]).await.unwrap();
    m.send(&[builders::close_job(&to_complete.client.pubkey(), &to_complete.job)], &[&to_complete.client]).await.unwrap();
}
