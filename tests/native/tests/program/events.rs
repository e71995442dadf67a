//! The events a lifecycle emits, decoded from the transaction logs as an indexer would. Only the sBPF
//! artifact writes them (natively `emit!` logs nothing), so this runs in the sBPF tier of `make test`.

use compute_market::events::{JobAssigned, JobCompleted, JobPosted, JobStarted, ResultSubmitted};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use compute_market_tests::tokens::TOKEN_2022_PROGRAM;
use solana_signer::Signer;

#[tokio::test]
async fn a_lifecycle_emits_one_event_per_instruction_with_its_figures() {
    if Tier::current() == Tier::Native {
        eprintln!("events are logged only by the sBPF artifact: checked in the sBPF tier");
        return;
    }
    for pay in [None, Some(TOKEN_2022_PROGRAM)] {
        let mut m = TestMarket::new().await;
        let pay = match pay {
            None => builders::Pay::Lamports,
            Some(program) => m.accepted_mint(program).await,
        };
        let mint = pay.mint();
        let provider = m.provider_paid_in(&pay).await;
        let client = m.client_paying_in(&pay).await;
        let (c, p) = (client.pubkey(), provider.pubkey());
        let job_id = m.next_job_id(&c).await;
        let job = pda::job(&c, job_id);

        let logs = m.send(&[builders::post_job_in(&c, job_args(&c, job_id), &pay)], &[&client]).await.unwrap();
        let posted: Vec<JobPosted> = events(&logs);
        assert_eq!(posted.len(), 1);
        assert_eq!((posted[0].job, posted[0].client, posted[0].job_id), (job, c, job_id));
        assert_eq!((posted[0].payment_mint, posted[0].escrow, posted[0].spec_hash), (mint, ESCROW, SPEC_HASH));

        let logs = m.send(&[builders::assign_job_in(&p, &c, &job, &p, &pay, ANY_PRICE)], &[&provider]).await.unwrap();
        let assigned: Vec<JobAssigned> = events(&logs);
        assert_eq!(assigned.len(), 1);
        assert_eq!((assigned[0].provider, assigned[0].assigned_by), (p, p));
        assert_eq!((assigned[0].agreed_price_per_hour, assigned[0].escrow, assigned[0].refund), (AGREED_PRICE, AGREED_ESCROW, ESCROW - AGREED_ESCROW));

        let logs = m.send(&[builders::start_job(&p, &job)], &[&provider]).await.unwrap();
        assert_eq!(events::<JobStarted>(&logs).len(), 1);
        m.warp(3_600).await;
        let logs = m.send(&[builders::submit_result(&p, &job, RESULT_HASH)], &[&provider]).await.unwrap();
        let submitted: Vec<ResultSubmitted> = events(&logs);
        assert_eq!((submitted.len(), submitted[0].result_hash), (1, RESULT_HASH));

        let parties = builders::JobParties { job, client: c, provider: p, treasury: m.treasury.pubkey(), pay };
        let logs = m.send(&[builders::complete_and_pay(&parties, Some(4))], &[&client]).await.unwrap();
        let completed: Vec<JobCompleted> = events(&logs);
        assert_eq!(completed.len(), 1);
        let fee = AGREED_PRICE * u64::from(FEE_BPS) / 10_000;
        let e = &completed[0];
        assert_eq!((e.payment_mint, e.provider_payout, e.fee, e.refund), (mint, AGREED_PRICE - fee, fee, AGREED_ESCROW - AGREED_PRICE));
        assert_eq!((e.rating, e.auto_released), (Some(4), false));
        // Nothing else was emitted alongside.
        assert!(events::<JobPosted>(&logs).is_empty());
    }
}
