//! Compute units of every compute_market instruction on the sBPF artifact, the full lifecycle, account
//! sizes and rent, and the .so size. Prints a Markdown report and writes it to the path given.
//!
//! Run by `make bench` (SBF_OUT_DIR names the folder holding compute_market.so). Parties have fixed
//! keys (and a fixed mint) so that the on-chain bump searches of `init`, whose cost depends on the keys,
//! repeat run to run. Everything is measured twice with the same keys: on a fresh market, and on another
//! where 1,000 providers and 1,000 open jobs exist, to show that no instruction's cost grows with the market.

use std::fmt::Write as _;

use anchor_lang::prelude::Pubkey;
use anchor_lang::Space;
use compute_market::state::{space, Bond, ClientProfile, Job, Market, MintQuote, Pair, PaymentMint, Provider, Vault};
use compute_market_tests::builders::{self, Pay};
use compute_market_tests::harness::{fixed_keypair, TestMarket, Tier, BONDS, WINDOWS};
use compute_market_tests::measure::{cu, lifecycle};
use compute_market_tests::scenario::*;
use compute_market_tests::tokens::{MINT_TERMS, TOKEN_PROGRAM};
use solana_keypair::Keypair;
use solana_signer::Signer;

const CROWD: usize = 1_000;
/// Agave's block limits (solana-cost-model 4.2.2 `block_cost_limits`): compute units per block, and per
/// account write-locked within a block.
const MAX_BLOCK_UNITS: u64 = 60_000_000;
const MAX_WRITABLE_ACCOUNT_UNITS: u64 = 24_000_000;
/// Before jobs stopped writing market-wide accounts (commit 6f0c6ab, measured by this bench): every step
/// of a lamport lifecycle write-locked the Market (41,794 CU in all), and every step of a token lifecycle
/// the Market and the mint's PaymentMint (117,670 CU in all).
const BEFORE_LIFECYCLE_UNITS: [(&str, u64); 2] = [("lamports", 41_794), ("token", 117_670)];

/// One row: an instruction's compute units on a fresh market and on a crowded one.
struct Row {
    name: &'static str,
    fresh: u64,
    crowded: u64,
}

/// The closest peer's token job on the same engine: Nosana's list + work + finish, 69,394 CU.
const PEER_TOKEN_LIFECYCLE: u64 = 69_394;
/// The upgradeable loader's metadata before the ELF: in a program data account (variant, slot, upgrade
/// authority) and in a buffer (variant, authority).
const PROGRAM_DATA_HEADER: usize = 45;
const BUFFER_HEADER: usize = 37;

/// The token lifecycle against the peer's, as a ratio.
fn against_the_peer(rows: &[Row]) -> String {
    let token = rows.iter().find(|row| row.name.starts_with("full lifecycle (token)")).expect("token lifecycle").fresh;
    format!(
        "A job paid in tokens costs {token} CU from post to payment, {:.2} times the closest peer's token job on the \
         same engine (Nosana's list + work + finish, {PEER_TOKEN_LIFECYCLE} CU).",
        token as f64 / PEER_TOKEN_LIFECYCLE as f64
    )
}

/// Measures one of everything.
async fn measure(m: &mut TestMarket, pay_in: &Pay) -> Vec<(&'static str, u64)> {
    let mut out = Vec::new();
    let provider = fixed_keypair(1, 1);
    let client = fixed_keypair(2, 1);
    m.fund(&[provider.pubkey(), client.pubkey()]).await;
    let (p, c) = (provider.pubkey(), client.pubkey());

    out.push(("register_provider", cu(m, &[builders::register_provider(&p, provider_args())], &[&provider], "register_provider").await));
    let update = compute_market::instructions::UpdateProviderArgs { capacity: None, rates: Some(RATES), hardware: None, metadata_uri: None, assignment: None };
    out.push(("update_provider", cu(m, &[builders::update_provider(&p, update)], &[&provider], "update_provider").await));
    out.push(("set_provider_active", cu(m, &[builders::set_provider_active(&p, true)], &[&provider], "set_provider_active").await));
    out.push(("register_client", cu(m, &[builders::register_client(&c)], &[&client], "register_client").await));

    let (mint, token_program) = pay_in.token();
    out.push((
        "add_mint_quote",
        cu(m, &[builders::add_mint_quote(&p, &mint, &token_program, RATES)], &[&provider], "add_mint_quote").await,
    ));
    out.push(("update_mint_quote", cu(m, &[builders::update_mint_quote(&p, &mint, RATES)], &[&provider], "update_mint_quote").await));
    m.fund_tokens(&c, pay_in).await;

    // The lifecycle, in lamports then in the token.
    for (pay, suffix) in [(Pay::Lamports, ""), (*pay_in, " (token)")] {
        let lifecycle = lifecycle(m, &client, &provider, &pay).await;
        let total: u64 = lifecycle.iter().map(|(_, units)| units).sum();
        for (name, units) in lifecycle {
            out.push((leak(format!("{name}{suffix}")), units));
        }
        out.push((leak(format!("full lifecycle{suffix}: post, assign, start, submit, complete")), total));
    }

    // The other ways out.
    let job = post(m, &client, &Pay::Lamports).await;
    out.push(("cancel_job", cu(m, &[builders::cancel_job(&c, &job)], &[&client], "cancel_job").await));
    let parties = submitted(m, &client, &provider, &Pay::Lamports).await;
    m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
    out.push(("finalize_job", cu(m, &[builders::finalize_job(&c, &parties)], &[&client], "finalize_job").await));
    out.push(("close_job", cu(m, &[builders::close_job(&c, &parties.job)], &[&client], "close_job").await));
    let parties = submitted(m, &client, &provider, &Pay::Lamports).await;
    out.push(("dispute_job", cu(m, &[builders::dispute_job(&c, &parties.job)], &[&client], "dispute_job").await));
    let admin = m.admin();
    let resolve = builders::resolve_dispute(&admin.pubkey(), &parties, 6_000);
    out.push(("resolve_dispute", cu(m, &[resolve], &[&admin], "resolve_dispute").await));
    let job = post(m, &client, &Pay::Lamports).await;
    m.send(&[builders::assign_job(&c, &c, &job, &p, ANY_PRICE)], &[&client]).await.expect("assign");
    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    let parties = builders::JobParties { job, client: c, provider: p, treasury: m.treasury.pubkey(), pay: Pay::Lamports };
    out.push(("expire_job", cu(m, &[builders::expire_job(&c, &parties)], &[&client], "expire_job").await));
    let job = post(m, &client, &Pay::Lamports).await;
    m.send(&[builders::assign_job(&c, &c, &job, &p, ANY_PRICE)], &[&client]).await.expect("assign");
    out.push(("decline_job", cu(m, &[builders::decline_job(&p, &job)], &[&provider], "decline_job").await));
    m.send(&[builders::assign_job(&c, &c, &job, &p, ANY_PRICE)], &[&client]).await.expect("assign");
    let extend = builders::extend_job_in(&c, &job, &Pay::Lamports, 3_600);
    out.push(("extend_job", cu(m, &[extend], &[&client], "extend_job").await));
    let token_job = post(m, &client, pay_in).await;
    m.send(&[builders::assign_job_in(&c, &c, &token_job, &p, pay_in, ANY_PRICE)], &[&client]).await.expect("assign");
    let extend = builders::extend_job_in(&c, &token_job, pay_in, 3_600);
    out.push(("extend_job (token)", cu(m, &[extend], &[&client], "extend_job (token)").await));
    m.warp(i64::from(compute_market::constants::TAKE_BACK_AFTER_SECS)).await;
    out.push(("take_back_job", cu(m, &[builders::take_back_job(&c, &job, &p)], &[&client], "take_back_job").await));
    m.send(&[builders::take_back_job(&c, &token_job, &p)], &[&client]).await.expect("take back the token job");
    bonds(m, &mut out, &client, &provider, pay_in).await;
    let treasury = m.treasury.pubkey();
    out.push(("collect_fees", cu(m, &[builders::collect_fees(&c, &p, &treasury)], &[&client], "collect_fees").await));
    out.push(("remove_mint_quote", cu(m, &[builders::remove_mint_quote(&p, &mint)], &[&provider], "remove_mint_quote").await));
    out.push(("close_provider", cu(m, &[builders::close_provider(&p)], &[&provider], "close_provider").await));
    out
}

/// Bonds: a lamport bond created and added to, a bonded job locked at assignment and slashed at expiry,
/// a withdrawal requested and taken after the cool-down, and a token bond created with its token account.
async fn bonds(m: &mut TestMarket, out: &mut Vec<(&'static str, u64)>, client: &Keypair, provider: &Keypair, pay_in: &Pay) {
    const BOND: u64 = 1_000_000_000;
    let (p, c) = (provider.pubkey(), client.pubkey());
    let deposit = builders::deposit_bond(&p, &Pay::Lamports, BOND);
    out.push(("deposit_bond (creates the bond)", cu(m, &[deposit.clone()], &[provider], "deposit_bond").await));
    out.push(("deposit_bond", cu(m, &[deposit], &[provider], "deposit_bond").await));
    let job = m.post_job_in(client, &Pay::Lamports, |a| a.min_bond = BOND).await;
    let assign = builders::assign_job(&c, &c, &job, &p, ANY_PRICE);
    out.push(("assign_job (bonded: locks the bond)", cu(m, &[assign], &[client], "assign_job (bonded)").await));
    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    let parties = builders::JobParties { job, client: c, provider: p, treasury: m.treasury.pubkey(), pay: Pay::Lamports };
    out.push(("expire_job (bonded: slashes the bond)", cu(m, &[builders::expire_job(&c, &parties)], &[client], "expire_job (bonded)").await));
    let request = builders::request_bond_withdrawal(&p, &Pubkey::default(), BOND);
    out.push(("request_bond_withdrawal", cu(m, &[request], &[provider], "request_bond_withdrawal").await));
    m.warp(i64::from(BONDS.cooldown_secs)).await;
    out.push(("withdraw_bond", cu(m, &[builders::withdraw_bond(&p, &Pay::Lamports)], &[provider], "withdraw_bond").await));
    m.fund_tokens(&p, pay_in).await;
    let deposit = builders::deposit_bond(&p, pay_in, 1_000_000);
    out.push(("deposit_bond (token: creates the bond and its token account)", cu(m, &[deposit], &[provider], "deposit_bond (token)").await));
}

/// How many job lifecycles one block can hold: the block's compute limit over a lifecycle's units, and,
/// for an account every job write-locks, the per-account limit over the units of the steps that lock it.
fn lifecycles_per_block(rows: &[Row]) -> String {
    let units = |name: &str| rows.iter().find(|row| row.name == name).map(|row| row.fresh).expect(name);
    let lamports = units("full lifecycle: post, assign, start, submit, complete");
    let token = units("full lifecycle (token): post, assign, start, submit, complete");
    // The token path's one shared write lock: the treasury's token account, at settlement.
    let token_fee_step = units("complete_and_pay (token)");
    let after = [
        ("lamports", lamports, MAX_BLOCK_UNITS / lamports, "none (the block limit binds)".to_string()),
        (
            "token",
            token,
            (MAX_BLOCK_UNITS / token).min(MAX_WRITABLE_ACCOUNT_UNITS / token_fee_step),
            format!("the treasury's token account, at complete_and_pay ({token_fee_step} CU)"),
        ),
    ];
    let mut out = String::from(
        "## Job lifecycles per block\n\nA block holds 60,000,000 compute units and at most 24,000,000 for transactions \
         write-locking any one account (agave's cost model). Before, every step of every job write-locked the Market \
         (and a token job's PaymentMint), so all jobs shared one account's 24,000,000 units.\n\n\
         | Paid in | Lifecycle CU | Market-wide write locks now | Lifecycles per block now | Before |\n|---|---:|---|---:|---:|\n",
    );
    for ((kind, units, now, locks), (_, before_units)) in after.into_iter().zip(BEFORE_LIFECYCLE_UNITS) {
        let before = MAX_WRITABLE_ACCOUNT_UNITS / before_units;
        writeln!(out, "| {kind} | {units} | {locks} | {now} | {before} ({before_units} CU) |").unwrap();
    }
    out
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

async fn post(m: &mut TestMarket, client: &Keypair, pay: &Pay) -> Pubkey {
    m.post_job_in(client, pay, |_| {}).await
}

async fn submitted(m: &mut TestMarket, client: &Keypair, provider: &Keypair, pay: &Pay) -> builders::JobParties {
    let (c, p) = (client.pubkey(), provider.pubkey());
    let job = post(m, client, pay).await;
    m.send(&[builders::assign_job_in(&c, &c, &job, &p, pay, ANY_PRICE)], &[client]).await.expect("assign");
    m.send(&[builders::start_job(&p, &job)], &[provider]).await.expect("start");
    m.warp(600).await;
    m.send(&[builders::submit_result(&p, &job, RESULT_HASH)], &[provider]).await.expect("submit");
    builders::JobParties { job, client: c, provider: p, treasury: m.treasury.pubkey(), pay: *pay }
}

/// 1,000 more providers and 1,000 open jobs (from 10 clients).
async fn crowd(m: &mut TestMarket) {
    for i in 0..CROWD as u16 {
        let provider = fixed_keypair(200, i);
        m.fund_with(&[provider.pubkey()], 1_000_000_000).await;
        m.send(&[builders::register_provider(&provider.pubkey(), provider_args())], &[&provider]).await.expect("crowd provider");
    }
    for i in 0..10u16 {
        let client = fixed_keypair(210, i);
        m.fund(&[client.pubkey()]).await;
        m.send(&[builders::register_client(&client.pubkey())], &[&client]).await.expect("crowd client");
        for _ in 0..CROWD / 10 {
            m.post_job_in(&client, &Pay::Lamports, |_| {}).await;
        }
    }
}

/// A market accepting a token with a fixed mint address; with the compute units of initialize_market and
/// add_payment_mint.
async fn market() -> (TestMarket, u64, u64, Pay) {
    let mut m = TestMarket::uninitialized().await;
    let admin = m.admin();
    let init = builders::initialize_market(&admin.pubkey(), &m.treasury.pubkey(), m.default_market_args());
    let initialize = cu(&mut m, &[init], &[&admin], "initialize_market").await;
    let mint = m.create_mint_at(&fixed_keypair(3, 1), TOKEN_PROGRAM, &[]).await;
    let add = builders::add_payment_mint(&admin.pubkey(), &m.treasury.pubkey(), &mint, &TOKEN_PROGRAM, MINT_TERMS);
    let add_payment_mint = cu(&mut m, &[add], &[&admin], "add_payment_mint").await;
    (m, initialize, add_payment_mint, Pay::Token { mint, token_program: TOKEN_PROGRAM })
}

#[tokio::main]
async fn main() {
    let out_path = std::env::args().nth(1).unwrap_or_else(|| "docs/COMPUTE_UNITS.md".into());
    assert_eq!(Tier::current(), Tier::Sbf, "set SBF_OUT_DIR to the folder holding compute_market.so (make bench does)");
    let so = std::path::Path::new(&std::env::var("SBF_OUT_DIR").expect("SBF_OUT_DIR")).join("compute_market.so");
    let so_size = std::fs::metadata(&so).expect("compute_market.so").len();

    let (mut m, initialize, add_payment_mint, pay) = market().await;
    let fresh = measure(&mut m, &pay).await;
    let (mut crowded_market, _, _, _) = market().await;
    crowd(&mut crowded_market).await;
    let crowded = measure(&mut crowded_market, &pay).await;
    let rows: Vec<Row> = fresh
        .iter()
        .zip(&crowded)
        .map(|((name, a), (other, b))| {
            assert_eq!(name, other);
            Row { name, fresh: *a, crowded: *b }
        })
        .collect();

    let mut report = String::new();
    writeln!(report, "# Compute units\n").unwrap();
    writeln!(
        report,
        "Measured by `make bench` on the sBPF v3 artifact (`target/deploy/compute_market.so`, {so_size} bytes) in \
         solana-program-test 4.2.2, which runs SPL Token as p-token (the Token program's rewrite now live on the \
         clusters; a TransferChecked costs about 105 CU). Each figure is what the \
         program consumed, CPIs included; parties have fixed keys so bump searches repeat. \"Crowded\" repeats \
         every measurement after {CROWD} more providers and {CROWD} open jobs exist.\n"
    )
    .unwrap();
    writeln!(report, "| Instruction | CU | CU, crowded |\n|---|---:|---:|").unwrap();
    writeln!(report, "| initialize_market | {initialize} | |").unwrap();
    writeln!(report, "| add_payment_mint (Token program) | {add_payment_mint} | |").unwrap();
    for row in &rows {
        writeln!(report, "| {} | {} | {} |", row.name, row.fresh, row.crowded).unwrap();
    }

    writeln!(report, "\n{}", against_the_peer(&rows)).unwrap();
    writeln!(report, "\n{}", lifecycles_per_block(&rows)).unwrap();
    writeln!(report, "\n## Accounts\n\n| Account | Size (bytes) | Rent-exempt minimum (lamports) |\n|---|---:|---:|").unwrap();
    let sizes = [
        ("Market (zero-copy)", space::<Market>()),
        ("Provider (zero-copy, room for a 200-byte URI)", space::<Provider>()),
        ("ClientProfile (zero-copy)", space::<ClientProfile>()),
        ("Job (zero-copy, room for a 200-byte URI)", space::<Job>()),
        ("Vault (zero-copy)", space::<Vault>()),
        ("Pair (zero-copy)", space::<Pair>()),
        ("PaymentMint", 8 + PaymentMint::INIT_SPACE),
        ("MintQuote", 8 + MintQuote::INIT_SPACE),
        ("Bond (zero-copy)", space::<Bond>()),
        ("A token job's vault token account (SPL token account)", compute_market::token_account::TOKEN_ACCOUNT_LEN),
    ];
    for (name, size) in sizes {
        let rent = m.rent_exempt(size).await;
        writeln!(report, "| {name} | {size} | {rent} |").unwrap();
    }
    // Deploying holds the ELF twice for a while: in the upload buffer and in the program data account
    // (after the loader's 45-byte header); the buffer's rent comes back when the deployment closes it.
    let program_data_rent = m.rent_exempt(PROGRAM_DATA_HEADER + so_size as usize).await;
    let buffer_rent = m.rent_exempt(BUFFER_HEADER + so_size as usize).await;
    writeln!(
        report,
        "\n## Deployment\n\n`compute_market.so`: {so_size} bytes. Its program data account holds {program_data_rent} lamports \
         ({:.2} SOL) of rent for as long as the program is deployed; the upload buffer holds {buffer_rent} more until \
         the deployment closes it and returns them.",
        program_data_rent as f64 / 1e9
    )
    .unwrap();

    print!("{report}");
    if let Some(dir) = std::path::Path::new(&out_path).parent() {
        std::fs::create_dir_all(dir).expect("create report folder");
    }
    std::fs::write(&out_path, &report).expect("write report");
    println!("\nwrote {out_path}");
}
