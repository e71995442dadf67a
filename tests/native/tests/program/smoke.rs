use compute_market::state::{Job, JobStatus};
use compute_market_tests::builders;
use compute_market_tests::harness::TestMarket;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

#[tokio::test]
async fn full_lifecycle_smoke() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(3_600).await;
    let parties = deal.parties(&m);
    m.send(&[builders::complete_and_pay(&parties, Some(5))], &[&deal.client]).await.unwrap();
    let job: Job = m.account(&deal.job).await;
    assert_eq!(job.status, JobStatus::Completed);
    assert!(m.lamports(&deal.provider.pubkey()).await > STARTING);
}
const STARTING: u64 = compute_market_tests::harness::STARTING_LAMPORTS;
