//! The compute-unit budgets of the job path, on the sBPF artifact. Compute units are deterministic for
//! the same program, accounts and inputs (the parties' keys included: they have fixed keys here), so
//! these are exact checks, not timings. Natively the program
//! is an unmetered builtin: the tests are ignored there and `make test-sbf` runs them on the .so.

use compute_market_tests::builders::Pay;
use compute_market_tests::harness::*;
use compute_market_tests::measure::lifecycle;
use compute_market_tests::scenario::provider_args;

/// assign_job took 9,889 CU before it took the provider's bond account (read only for a bonded job): 10,455 since.
const BUDGETS: [(&str, u64); 5] = [
    ("post_job", 15_000),
    ("assign_job", 11_000),
    ("start_job", 6_000),
    ("submit_result", 6_000),
    ("complete_and_pay", 15_000),
];
const LIFECYCLE_BUDGET: u64 = 50_000;

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
