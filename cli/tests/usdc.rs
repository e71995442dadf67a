//! Paying in USDC from the command line: the local node's USDC named by symbol (`--mint USDC`), a job
//! matched by the matcher to a provider quoting it and taken through every step, each token balance
//! checked to the base unit; cancel, dispute and expiry in tokens; refusals that move nothing; `mint list`.

mod common;

use anchor_lang::prelude::Pubkey;
use common::jobs::{clock, job, matcher_url, shared_clock, wait_status};
use common::*;
use compute_market::state::JobStatus;
use compute_market_client::pda;
use compute_market_client::tokens::{self, TOKEN_PROGRAM};
use compute_market_localnet::local_usdc::{mint_usdc, ONE_USDC};
use solana_keypair::Keypair;
use solana_signer::Signer;

fn usdc() -> Pubkey {
    node().keys.usdc_mint.pubkey()
}

/// What `owner`'s USDC account holds, in base units (0 without one).
fn usdc_of(owner: &Pubkey) -> u64 {
    node().client().tokens_of(owner, &usdc(), &TOKEN_PROGRAM).unwrap()
}

/// What a job's vault holds in USDC (0 once its token account is closed).
fn vault_usdc(job: &str) -> u64 {
    node().client().token_account_balance(&pda::vault_tokens(&job.parse().unwrap())).unwrap().unwrap_or(0)
}

/// A wallet with `sol` SOL and `units` of USDC.
fn usdc_wallet(name: &str, sol: u64, units: u64) -> (Keypair, std::path::PathBuf) {
    let (keypair, path) = wallet(name, sol);
    mint_usdc(&node().client(), &node().keys, &keypair.pubkey(), units).unwrap();
    (keypair, path)
}

/// A provider of 4 cores and 16 GB (matcher assignment allowed) quoting 0.15 USDC a core-hour and 0.06 a
/// GB-hour: 0.36 USDC an hour for 2 cores and 1 GB, 100 base units a second.
fn quoting_provider(name: &str) -> (Keypair, std::path::PathBuf) {
    let (keypair, path) = register_provider(name, "4", "0.001");
    ok(&path, &["mint", "quote", "USDC", "--per-core", "150000", "--per-gb-ram", "60000", "--per-gb-storage", "0", "--per-gpu", "0"]);
    (keypair, path)
}

/// Posts a job of 2 cores and 1 GB paid in USDC at most 1.5 USDC an hour, reserved for `target`.
fn post_usdc(client: &std::path::Path, target: &Pubkey, duration_secs: &str) -> serde_json::Value {
    let target = target.to_string();
    json(client, &["job", "post", "--mint", "USDC", "--cores", "2", "--ram-gb", "1", "--duration-secs", duration_secs, "--max-price", "1.5", "--target-provider", &target, "--spec-uri", "data:,x"])
}

fn admin_path() -> std::path::PathBuf {
    let path = node().folder.join("usdc-admin.json");
    compute_market_client::keypair_file::write_keypair(&path, &node().keys.admin).unwrap();
    path
}

/// Tests that read the treasury's USDC take turns.
fn treasury_lock() -> std::sync::MutexGuard<'static, ()> {
    static TREASURY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TREASURY.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[test]
fn a_usdc_job_is_matched_run_and_paid_to_the_base_unit() {
    let (_clock, _treasury) = (shared_clock(), treasury_lock());
    matcher_url();
    let (provider, provider_path) = quoting_provider("usdc-provider");
    let (client, client_path) = usdc_wallet("usdc-client", 10, 100 * ONE_USDC);
    let treasury = node().keys.treasury.pubkey();
    let (client_before, provider_before, treasury_before) = (usdc_of(&client.pubkey()), usdc_of(&provider.pubkey()), usdc_of(&treasury));
    let client_lamports = lamports(&client.pubkey());

    // Given a job posted in USDC: a minute at most 1.5 USDC an hour is 25,000 base units of escrow.
    let posted = post_usdc(&client_path, &provider.pubkey(), "60");
    let address = posted["address"].as_str().unwrap().to_string();
    assert_eq!((posted["currency"].as_str(), posted["decimals"].as_u64()), (Some("USDC"), Some(6)));
    assert_eq!(posted["payment_mint"], usdc().to_string());
    assert_eq!(posted["max_price_per_hour_units"], 1_500_000);
    // The matcher may have assigned it already (then 19,000 of it came back): either way 25,000 went in.
    let (escrow, refund) = (posted["escrow_units"].as_u64().unwrap(), posted["client_refund_units"].as_u64().unwrap());
    assert_eq!(escrow + refund, 25_000, "{posted}");
    assert!(posted.get("escrow_lamports").is_none(), "a token job's amounts are not lamports");
    assert!(lamports(&client.pubkey()) < client_lamports, "rent and fees are paid in SOL");

    // When the matcher assigns it at the provider's USDC quote, 0.36 USDC an hour: 6,000 units stay in escrow.
    let assigned = wait_status(&address, JobStatus::Assigned);
    assert_eq!((assigned.provider, assigned.agreed_price_per_hour, assigned.escrow), (provider.pubkey(), 360_000, 6_000));
    assert_eq!(assigned.client_refund, 19_000);
    assert_eq!(usdc_of(&client.pubkey()), client_before - 6_000, "the rest came back at assignment");
    assert_eq!(vault_usdc(&address), 6_000);
    let shown = ok(&client_path, &["job", "show", &address]);
    for amount in ["1.500000 USDC", "0.360000 USDC", "0.006000 USDC", "0.019000 USDC"] {
        assert!(shown.contains(amount), "`{amount}` in: {shown}");
    }

    // Then it runs its whole duration, is submitted and completed: 60 s x 100 units, 2.5% to the treasury.
    ok(&provider_path, &["job", "start", &address]);
    let started = job(&address).started_at;
    wait_within("the job's duration to pass on the node's clock", 120, || (node().client().chain_time().unwrap() > started + 60).then_some(()));
    ok(&provider_path, &["job", "submit", &address, "--result-hash", &"ab".repeat(32)]);
    ok(&client_path, &["job", "complete", &address, "--rating", "5"]);
    let done = job(&address);
    assert!(done.is(JobStatus::Completed));
    assert_eq!((done.provider_payout, done.fee, done.client_refund), (5_850, 150, 19_000));
    assert_eq!(usdc_of(&client.pubkey()), client_before - 6_000);
    assert_eq!(usdc_of(&provider.pubkey()), provider_before + 5_850);
    assert_eq!(usdc_of(&treasury), treasury_before + 150);
    assert_eq!(vault_usdc(&address), 0);
    let listed = json(&client_path, &["job", "list", "--mine"]);
    assert_eq!(listed[0]["provider_payout_units"], 5_850);
    assert!(ok(&client_path, &["job", "list", "--mine"]).contains("0.000000 USDC"), "the escrow column names the token");
}

#[test]
fn an_open_usdc_job_is_cancelled_with_every_unit_back() {
    let _clock = shared_clock();
    let (client, client_path) = usdc_wallet("usdc-canceller", 10, 2 * ONE_USDC);
    // Reserved for a provider that does not exist: nobody takes it.
    let posted = post_usdc(&client_path, &Pubkey::new_unique(), "3600");
    let address = posted["address"].as_str().unwrap().to_string();
    assert_eq!(usdc_of(&client.pubkey()), 500_000, "an hour at 1.5 USDC is escrowed");
    assert_eq!(vault_usdc(&address), 1_500_000);
    ok(&client_path, &["job", "cancel", &address]);
    assert_eq!(usdc_of(&client.pubkey()), 2 * ONE_USDC);
    assert_eq!(vault_usdc(&address), 0);
    fails_with(&client_path, &["job", "show", &address], "no job at");
}

#[test]
fn a_disputed_usdc_job_is_split_by_the_admin_in_tokens() {
    let (_clock, _treasury) = (shared_clock(), treasury_lock());
    matcher_url();
    let (provider, provider_path) = quoting_provider("usdc-disputed");
    let (client, client_path) = usdc_wallet("usdc-disputer", 10, 2 * ONE_USDC);
    let treasury = node().keys.treasury.pubkey();
    let (client_before, provider_before, treasury_before) = (usdc_of(&client.pubkey()), usdc_of(&provider.pubkey()), usdc_of(&treasury));
    let address = post_usdc(&client_path, &provider.pubkey(), "3600")["address"].as_str().unwrap().to_string();
    wait_status(&address, JobStatus::Assigned);
    ok(&provider_path, &["job", "start", &address]);
    ok(&provider_path, &["job", "submit", &address, "--result-hash", &"cd".repeat(32)]);
    ok(&client_path, &["job", "dispute", &address]);
    let disputed = job(&address);
    assert_eq!(disputed.escrow, 360_000, "an hour at the quote");
    ok(&admin_path(), &["job", "resolve", &address, "--provider-bps", "3000"]);
    // 30% of the escrow to the provider side, the fee on that share only, the rest to the client.
    let share = 360_000 * 3_000 / 10_000;
    let fee = share * 250 / 10_000;
    let resolved = job(&address);
    assert!(resolved.is(JobStatus::Resolved));
    assert_eq!((resolved.provider_payout, resolved.fee), (share - fee, fee));
    assert_eq!(usdc_of(&provider.pubkey()), provider_before + share - fee);
    assert_eq!(usdc_of(&treasury), treasury_before + fee);
    assert_eq!(usdc_of(&client.pubkey()), client_before - share);
    assert_eq!(vault_usdc(&address), 0);
}

#[test]
fn an_unstarted_usdc_job_expires_and_refunds_every_unit() {
    let _clock = clock().write().unwrap_or_else(|poisoned| poisoned.into_inner());
    matcher_url();
    let (provider, _) = quoting_provider("usdc-idle");
    let (client, client_path) = usdc_wallet("usdc-waiting", 10, ONE_USDC);
    let address = post_usdc(&client_path, &provider.pubkey(), "60")["address"].as_str().unwrap().to_string();
    let assigned = wait_status(&address, JobStatus::Assigned);
    assert_eq!(usdc_of(&client.pubkey()), ONE_USDC - assigned.escrow);
    fails_with(&client_path, &["job", "expire", &address], "NotExpirable");
    // The provider never starts it: past its start window, anyone ends it and the client gets it all back.
    time_travel(1_200);
    let (_, keeper_path) = wallet("usdc-keeper", 1);
    ok(&keeper_path, &["job", "expire", &address]);
    assert!(job(&address).is(JobStatus::Expired));
    assert_eq!(usdc_of(&client.pubkey()), ONE_USDC);
    assert_eq!((usdc_of(&provider.pubkey()), vault_usdc(&address)), (0, 0));
}

#[test]
fn bad_usdc_posts_are_refused_in_words_and_move_nothing() {
    let _clock = shared_clock();
    let admin = admin_path();
    let (client, client_path) = usdc_wallet("usdc-refused", 10, ONE_USDC);
    let target = Pubkey::new_unique().to_string();
    let post = |mint: &str, price: &str| {
        cmkt(&client_path, &["job", "post", "--mint", mint, "--cores", "1", "--hours", "1", "--max-price", price, "--target-provider", &target, "--spec-uri", "data:,x"])
    };
    let (sol_before, usdc_before) = (lamports(&client.pubkey()), usdc_of(&client.pubkey()));
    let refused = |run: Run, expected: &str| {
        assert!(!run.ok && run.stderr.contains(expected), "expected `{expected}` in: {}{}", run.stdout, run.stderr);
    };
    refused(post("USDC", "0.0000001"), "`0.0000001` has 7 decimals; USDC has 6");
    refused(post("usdc", "1,5"), "`1,5` is not an amount of USDC");
    refused(post("BONK", "1"), "unknown mint `BONK`: not a mint address, and no mint table names it");
    refused(post("USDC", "2"), "insufficient funds: posting needs 2.000000 USDC in escrow");
    // A mint the market never accepted, and one its admin disabled.
    let stranger = create_mint("usdc-stranger");
    refused(post(&stranger.to_string(), "1"), &format!("the market does not accept {stranger} (mint {stranger}) as payment"));
    let disabled = create_mint("usdc-disabled");
    ok(&admin, &["mint", "add", &disabled.to_string(), "--reputation-lamports-per-token", "1000000"]);
    ok(&admin, &["mint", "disable", &disabled.to_string()]);
    refused(post(&disabled.to_string(), "1"), "the market has disabled new jobs paid in");
    let table = cmkt_env(&client_path, &[("CMKT_MINTS", "/nonexistent/mints.json")], &["mint", "list"]);
    assert!(!table.ok && table.stderr.contains("cannot read the mint table /nonexistent/mints.json"), "{}", table.stderr);

    assert_eq!((lamports(&client.pubkey()), usdc_of(&client.pubkey())), (sol_before, usdc_before), "nothing moved");
    assert!(node().client().client_profile(&client.pubkey()).is_err(), "not even a client profile was created");
}

#[test]
fn mint_list_shows_the_accepted_mints_with_their_decimals_and_state() {
    let _clock = shared_clock();
    let admin = admin_path();
    let (provider, _) = quoting_provider("usdc-listed");
    let paused = create_mint("usdc-paused");
    ok(&admin, &["mint", "add", &paused.to_string(), "--reputation-lamports-per-token", "1000000"]);
    ok(&admin, &["mint", "disable", &paused.to_string()]);
    let rows = json(&admin, &["mint", "list"]);
    let rows = rows.as_array().unwrap();
    let row = |mint: &Pubkey| rows.iter().find(|r| r["mint"] == mint.to_string()).cloned().unwrap_or_else(|| panic!("{mint} listed: {rows:?}"));
    let usdc_row = row(&usdc());
    assert_eq!((usdc_row["symbol"].as_str(), usdc_row["decimals"].as_u64(), usdc_row["enabled"].as_bool()), (Some("USDC"), Some(6), Some(true)));
    assert_eq!((usdc_row["token_program"].as_str(), usdc_row["currency"].as_str()), (Some("Token"), Some("USDC")));
    assert!(usdc_row["quotes"].as_u64().unwrap() >= 1, "{} quotes it", provider.pubkey());
    let text = paused.to_string();
    let paused_row = row(&paused);
    assert_eq!(paused_row["symbol"], format!("{}..{}", &text[..4], &text[text.len() - 4..]), "no symbol: its short address");
    assert_eq!((paused_row["decimals"].as_u64(), paused_row["enabled"].as_bool(), paused_row["quotes"].as_u64()), (Some(6), Some(false), Some(0)));
    assert_eq!((paused_row["jobs_on_chain"].as_u64(), paused_row["escrow_held_units"].as_u64()), (Some(0), Some(0)));
    let table = ok(&admin, &["mint", "list"]);
    let header = table.lines().next().unwrap();
    assert_eq!(header.split_whitespace().collect::<Vec<_>>(), ["symbol", "mint", "decimals", "enabled", "quotes", "jobs_on_chain", "escrow_held"]);
    let usdc_line = table.lines().find(|l| l.contains(&usdc().to_string())).unwrap();
    assert!(usdc_line.starts_with("USDC ") && usdc_line.contains(" true "), "{usdc_line}");
    assert!(usdc_line.trim_end().ends_with(" USDC"), "escrow held is written in USDC: {usdc_line}");
}

/// A fresh Token-program mint of 6 decimals without a freeze authority, paid for by a new wallet.
fn create_mint(name: &str) -> Pubkey {
    let (payer, _) = wallet(name, 1);
    let mint = Keypair::new();
    let rent = node().client().rpc().get_minimum_balance_for_rent_exemption(tokens::MINT_LEN).unwrap();
    node().client().send(&tokens::create_mint(&payer.pubkey(), &mint.pubkey(), &payer.pubkey(), 6, rent), &payer, &[&mint]).unwrap();
    mint.pubkey()
}
