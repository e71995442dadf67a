//! The compute-unit budgets of the job path, on the sBPF artifact. Compute units are deterministic for
//! the same program, accounts and inputs (the parties' keys included: they have fixed keys here), so
//! these are exact checks, not timings. Natively the program
//! is an unmetered builtin: the tests are ignored there and `make test-sbf` runs them on the .so.

use compute_market_tests::builders::Pay;
use compute_market_tests::harness::*;
use compute_market_tests::measure::lifecycle;
use compute_market_tests::scenario::{provider_args, RATES};
use compute_market_tests::tokens::{MINT_TERMS, TOKEN_PROGRAM};
use compute_market_tests::builders;
use solana_signer::Signer;

/// Each step's own ceiling, a little above what it costs today (`make bench`, docs/COMPUTE_UNITS.md):
/// a change that makes one step dearer shows here even while the whole still fits.
const BUDGETS: [(&str, u64); 5] = [
    ("post_job", 9_500),
    ("assign_job", 7_500),
    ("start_job", 2_500),
    ("submit_result", 2_500),
    ("complete_and_pay", 10_500),
];
/// The whole lamport job path.
const LIFECYCLE_BUDGET: u64 = 30_000;
/// The whole token job path: at most the closest peer's token job on the same engine (Nosana's list +
/// work + finish, 69,394 CU).
const TOKEN_LIFECYCLE_BUDGET: u64 = 69_394;

#[tokio::test]
#[ignore = "compute units are metered only on the sBPF artifact: make test-sbf runs this"]
async fn the_lamport_job_path_fits_its_compute_budgets() {
    assert_eq!(Tier::current(), Tier::Sbf, "run with SBF_OUT_DIR naming the folder of compute_market.so");
    let mut m = TestMarket::new().await;
    // The bench's parties: complete_and_pay searches the pair record's bump, so its units depend on the keys.
    let (provider, client) = (fixed_keypair(1, 1), fixed_keypair(2, 1));
    m.register_provider_as(&provider, provider_args()).await;
    m.register_client_as(&client).await;
    let steps = lifecycle(&mut m, &client, &provider, &Pay::Lamports).await;
    let mut total = 0;
    for ((step, units), (budgeted, budget)) in steps.iter().zip(BUDGETS) {
        assert_eq!(*step, budgeted);
        eprintln!("{step}: {units} CU (budget {budget})");
        assert!(*units > 0, "{step} was not metered");
        assert!(*units <= budget, "{step} used {units} CU, over its budget of {budget}");
        total += units;
    }
    assert!(total <= LIFECYCLE_BUDGET, "the lifecycle used {total} CU, over its budget of {LIFECYCLE_BUDGET}");
}

#[tokio::test]
#[ignore = "compute units are metered only on the sBPF artifact: make test-sbf runs this"]
async fn the_token_job_path_costs_no_more_than_the_peers() {
    assert_eq!(Tier::current(), Tier::Sbf, "run with SBF_OUT_DIR naming the folder of compute_market.so");
    // The bench's market: a mint at a fixed address, the same parties.
    let mut m = TestMarket::new().await;
    let admin = m.admin();
    let mint = m.create_mint_at(&fixed_keypair(3, 1), TOKEN_PROGRAM, &[]).await;
    let add = builders::add_payment_mint(&admin.pubkey(), &m.treasury.pubkey(), &mint, &TOKEN_PROGRAM, MINT_TERMS);
    m.send(&[add], &[&admin]).await.expect("add_payment_mint");
    let pay = Pay::Token { mint, token_program: TOKEN_PROGRAM };
    let (provider, client) = (fixed_keypair(1, 1), fixed_keypair(2, 1));
    m.register_provider_as(&provider, provider_args()).await;
    m.send(&[builders::add_mint_quote(&provider.pubkey(), &mint, &TOKEN_PROGRAM, RATES)], &[&provider]).await.expect("add_mint_quote");
    m.register_client_as(&client).await;
    m.fund_tokens(&client.pubkey(), &pay).await;
    let steps = lifecycle(&mut m, &client, &provider, &pay).await;
    for (step, units) in &steps {
        eprintln!("{step} (token): {units} CU");
        assert!(*units > 0, "{step} was not metered");
    }
    let total: u64 = steps.iter().map(|(_, units)| units).sum();
    assert!(total <= TOKEN_LIFECYCLE_BUDGET, "the token lifecycle used {total} CU, over the peer's {TOKEN_LIFECYCLE_BUDGET}");
}
