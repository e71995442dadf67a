//! cmkt end to end: the binary against a local node, as a user runs it.

mod common;

use anchor_lang::prelude::Pubkey;
use common::*;
use compute_market::math::pricing::{bps_of, cost_for};
use compute_market::state::{space, JobStatus, Provider};
use compute_market_client::pda;
use compute_market_client::tokens::TOKEN_PROGRAM;
use compute_market_localnet::local_usdc::{mint_usdc, ONE_USDC};
use solana_signer::Signer;

fn rent(bytes: usize) -> u64 {
    node().client().rpc().get_minimum_balance_for_rent_exemption(bytes).unwrap()
}

fn provider_record(authority: &Pubkey) -> Provider {
    node().client().provider(authority).unwrap()
}

/// Tests that read the fees providers hold take turns: one of them sweeps every provider's.
fn fees_lock() -> std::sync::MutexGuard<'static, ()> {
    static FEES: std::sync::Mutex<()> = std::sync::Mutex::new(());
    FEES.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[test]
fn a_job_from_post_to_payment_and_its_fee_to_the_treasury() {
    let _fees = fees_lock();
    // 10 SOL per core-hour, so that seconds of work are worth more than one reputation unit (0.01 SOL).
    let (provider, provider_path) = register_provider("lifecycle-provider", "8", "10");
    let (client, client_path) = wallet("lifecycle-client", 10);
    let spec = node().folder.join("spec.json");
    std::fs::write(&spec, br#"{"version":1,"command":["echo","hi"]}"#).unwrap();

    let posted = json(&client_path, &["job", "post", "--cores", "2", "--ram-gb", "4", "--duration-secs", "60", "--max-price", "25", "--spec", spec.to_str().unwrap()]);
    assert_eq!(posted["status"], "Open");
    assert_eq!(posted["escrow_lamports"], 416_666_666, "a minute at the maximum price (25 SOL/h) is escrowed");
    let job = posted["address"].as_str().unwrap().to_string();

    let accepted = ok(&provider_path, &["job", "accept", &job]);
    assert!(accepted.contains("at 20.00004 SOL per hour"), "the price is said before it is sent: {accepted}");
    let assigned = json(&client_path, &["job", "show", "0"]);
    assert_eq!(assigned["status"], "Assigned");
    assert_eq!(assigned["agreed_price_per_hour_lamports"], 2 * 10_000_000_000u64 + 4 * 10_000);
    assert_eq!(assigned["escrow_lamports"], 333_334_000, "a minute at the agreed price stays in escrow");
    assert_eq!(assigned["client_refund_lamports"], 416_666_666 - 333_334_000, "the rest came back at assignment");
    assert_eq!(assigned["provider"], provider.pubkey().to_string());
    ok(&provider_path, &["job", "start", &job]);
    std::thread::sleep(std::time::Duration::from_secs(4));
    let result = node().folder.join("result.tar");
    std::fs::write(&result, b"result bytes").unwrap();
    ok(&provider_path, &["job", "submit", &job, "--result", result.to_str().unwrap()]);

    let market = node().client().market().unwrap();
    let provider_account = compute_market_client::pda::provider(&provider.pubkey());
    let (treasury_before, held_before) = (lamports(&market.treasury), lamports(&provider_account));
    ok(&client_path, &["job", "complete", &job, "--rating", "5"]);
    let done = json(&client_path, &["job", "show", &job]);
    assert_eq!(done["status"], "Completed");
    assert_eq!(done["rating"], 5);
    let fee = done["fee_lamports"].as_u64().unwrap();
    let payout = done["provider_payout_lamports"].as_u64().unwrap();
    let refund = done["client_refund_lamports"].as_u64().unwrap();
    assert_eq!(payout + fee + refund, 416_666_666, "the escrow is paid out, in fees or refunded, to the lamport");
    assert_eq!(fee, (payout + fee) * 250 / 10_000, "2.5% of the work's price is the platform's");
    assert!(payout + fee >= 10_000_000, "seconds of work at 20 SOL/h count for reputation: {}", payout + fee);
    assert_eq!(lamports(&market.treasury), treasury_before, "no settlement writes the treasury");
    assert_eq!(lamports(&provider_account) - held_before, fee, "the fee waits on the provider account");
    assert_eq!(provider_record(&provider.pubkey()).fees_owed, fee);

    let provider_stats = json(&client_path, &["stats", "--provider", &provider.pubkey().to_string()]);
    assert_eq!(provider_stats["total_earned_lamports"], payout);
    assert_eq!(provider_stats["completion_rate_bps"], 10_000);
    assert_eq!(provider_stats["average_rating_x100"], 500);
    assert_eq!(provider_stats["fees_owed_lamports"], fee);
    assert_eq!(provider_stats["counterparties"], 1);
    let client_stats = json(&client_path, &["stats", "--client", &client.pubkey().to_string()]);
    assert_eq!(client_stats["total_spent_lamports"], payout + fee);
    assert_eq!(client_stats["fees_paid_lamports"], fee);
    assert_eq!(client_stats["total_refunded_lamports"], refund);
    assert_eq!(client_stats["history"][0]["status"], "Completed");
    let totals = json(&client_path, &["stats"]);
    assert!(totals["totals"]["fees_lamports"].as_u64().unwrap() >= fee);
    assert!(totals["totals"]["fees_uncollected_lamports"].as_u64().unwrap() >= fee);

    // Anyone moves the fees every provider holds to the treasury, paying only its transactions' fees.
    let (keeper, keeper_path) = wallet("lifecycle-keeper", 1);
    let holding: Vec<(Pubkey, u64)> = node().client().list_providers(&Default::default()).unwrap().iter().filter(|(_, p)| p.fees_owed > 0).map(|(_, p)| (p.authority, p.fees_owed)).collect();
    assert!(holding.contains(&(provider.pubkey(), fee)), "{holding:?}");
    let total: u64 = holding.iter().map(|(_, fees)| fees).sum();
    let collected = json(&keeper_path, &["market", "collect-fees"]);
    assert_eq!(collected["collected_lamports"], total);
    assert_eq!(collected["providers"].as_array().unwrap().len(), holding.len());
    assert_eq!(lamports(&market.treasury) - treasury_before, total);
    assert_eq!(lamports(&provider_account), held_before, "the provider account is back to its rent");
    let transactions = holding.len().div_ceil(8) as u64;
    assert_eq!(lamports(&keeper.pubkey()), SOL - 5_000 * transactions);
    assert!(holding.iter().all(|(authority, _)| provider_record(authority).fees_owed == 0));
    fails_with(&keeper_path, &["market", "collect-fees", "--provider", &provider.pubkey().to_string()], "holds no fees for the treasury");
    fails_with(&keeper_path, &["market", "collect-fees"], "no provider holds fees for the treasury");

    ok(&client_path, &["job", "close", &job]);
    fails_with(&client_path, &["job", "show", &job], "no job at");
}

#[test]
fn a_provider_declines_a_job_it_has_not_started_at_no_cost() {
    let (provider, provider_path) = register_provider("decliner", "4", "0.001");
    let (client, client_path) = wallet("decline-client", 10);
    let posted = json(&client_path, &["job", "post", "--cores", "2", "--ram-gb", "1", "--hours", "1", "--max-price", "0.01", "--spec-uri", "data:,x"]);
    let job = posted["address"].as_str().unwrap().to_string();
    ok(&provider_path, &["job", "accept", &job]);
    let before = provider_record(&provider.pubkey());
    assert_eq!(before.active_jobs, 1);
    fails_with(&client_path, &["job", "take-back", &job], "you can take it back in");
    fails_with(&client_path, &["job", "decline", &job], &format!("is assigned to provider {}; only it may decline it", provider.pubkey()));

    let client_before = lamports(&client.pubkey());
    ok(&provider_path, &["job", "decline", &job]);
    let open = json(&client_path, &["job", "show", &job]);
    assert_eq!(open["status"], "Open");
    assert_eq!(open["provider"], serde_json::Value::Null);
    // 2 cores and 1 GB at 0.001 and 0.00001 SOL: 0.00201 SOL for the hour stayed in escrow, and is now
    // the most the job pays.
    assert_eq!(open["escrow_lamports"], 2_010_000);
    assert_eq!(open["max_price_per_hour_lamports"], 2_010_000);
    assert_eq!(lamports(&client.pubkey()), client_before, "the decline moved nothing of the client's");
    let after = provider_record(&provider.pubkey());
    assert_eq!((after.active_jobs, after.free, after.jobs_failed, after.reputation), (0, after.capacity, 0, before.reputation));

    // Open to others again, within what the escrow still covers.
    let (_, dearer_path) = register_provider("decline-dearer", "4", "0.002");
    fails_with(&dearer_path, &["job", "accept", &job], "PriceAboveMax");
    let (other, other_path) = register_provider("decline-other", "4", "0.001");
    ok(&other_path, &["job", "accept", &job]);
    assert_eq!(json(&client_path, &["job", "show", &job])["provider"], other.pubkey().to_string());
}

#[test]
fn earnings_a_wallet_cannot_hold_wait_on_the_provider_account_and_retiring_keeps_the_record() {
    let _fees = fees_lock();
    let (provider, provider_path) = register_provider("penniless", "8", "0.001");
    let (_, client_path) = wallet("penniless-client", 10);
    let posted = json(&client_path, &["job", "post", "--cores", "1", "--hours", "1", "--max-price", "0.01", "--spec-uri", "data:,x"]);
    let job = posted["address"].as_str().unwrap().to_string();
    ok(&provider_path, &["job", "accept", &job]);
    ok(&provider_path, &["job", "start", &job]);
    std::thread::sleep(std::time::Duration::from_secs(3));
    ok(&provider_path, &["job", "submit", &job, "--result-hash", &"ab".repeat(32)]);
    drain(&provider);

    ok(&client_path, &["job", "complete", &job]);
    let paid = node().client().job(&job.parse().unwrap()).unwrap();
    assert!(paid.provider_payout > 0, "seconds of work were paid");
    assert_eq!(lamports(&provider.pubkey()), 0, "an empty wallet cannot be credited less than the rent-exempt minimum");
    let record = provider_record(&provider.pubkey());
    assert_eq!((record.earnings_owed, record.total_earned), (paid.provider_payout, paid.provider_payout));
    let shown = json(&provider_path, &["provider", "show"]);
    assert_eq!(shown["earnings_owed_lamports"], paid.provider_payout);

    fails_with(&provider_path, &["provider", "withdraw-earnings"], "cannot receive");
    node().client().airdrop(&provider.pubkey(), 1_000_000).unwrap();
    let withdrawn = json(&provider_path, &["provider", "withdraw-earnings"]);
    assert_eq!(withdrawn["withdrawn_lamports"], paid.provider_payout);
    assert_eq!(lamports(&provider.pubkey()), 1_000_000 - 5_000 + paid.provider_payout);
    assert_eq!(provider_record(&provider.pubkey()).earnings_owed, 0);
    fails_with(&provider_path, &["provider", "withdraw-earnings"], "holds no earnings");

    // Retiring returns nothing but rent stays, the fee stays for the treasury, and the record stays.
    node().client().airdrop(&provider.pubkey(), SOL).unwrap();
    let provider_account = compute_market_client::pda::provider(&provider.pubkey());
    ok(&provider_path, &["provider", "close"]);
    let retired = provider_record(&provider.pubkey());
    assert_eq!((retired.retired, retired.active, retired.fees_owed), (1, 0, paid.fee));
    assert_eq!(lamports(&provider_account), rent(space::<Provider>()) + paid.fee);
    let listed = json(&provider_path, &["provider", "list"]);
    assert!(!listed.as_array().unwrap().iter().any(|p| p["authority"] == provider.pubkey().to_string()), "retired providers are not listed");
    let gone = json(&provider_path, &["provider", "list", "--retired"]);
    assert!(gone.as_array().unwrap().iter().any(|p| p["authority"] == provider.pubkey().to_string() && p["retired"] == true));
    let (_, keeper_path) = wallet("penniless-keeper", 1);
    ok(&keeper_path, &["market", "collect-fees", "--provider", &provider.pubkey().to_string()]);
    assert_eq!(lamports(&provider_account), rent(space::<Provider>()));

    ok(&provider_path, &["provider", "register", "--cores", "2", "--rate-core", "0.001", "--uri", "http://127.0.0.1:1/p", "--allow-client-assignment"]);
    let back = json(&provider_path, &["provider", "show"]);
    assert_eq!((back["retired"].as_bool(), back["active"].as_bool()), (Some(false), Some(true)));
    assert_eq!(back["total_earned_lamports"], paid.provider_payout, "the record came back with it");
    assert_eq!(back["assigned_by"], "clients");
}

#[test]
fn a_disputed_result_is_settled_by_the_admins_split() {
    let _fees = fees_lock();
    let (provider, provider_path) = register_provider("disputed-provider", "4", "10");
    let (client, client_path) = wallet("disputing-client", 10);
    let posted = json(&client_path, &["job", "post", "--cores", "1", "--duration-secs", "60", "--max-price", "10", "--spec-uri", "data:,x"]);
    let job = posted["address"].as_str().unwrap().to_string();
    ok(&provider_path, &["job", "accept", &job]);
    fails_with(&client_path, &["job", "dispute", &job], "dispute needs it Submitted");
    ok(&provider_path, &["job", "start", &job]);
    ok(&provider_path, &["job", "submit", &job, "--result-hash", &"cd".repeat(32)]);
    ok(&client_path, &["job", "dispute", &job]);
    let disputed = node().client().job(&job.parse().unwrap()).unwrap();
    assert!(disputed.is(JobStatus::Disputed));

    let admin = node().folder.join("dispute-admin.json");
    compute_market_client::keypair_file::write_keypair(&admin, &node().keys.admin).unwrap();
    fails_with(&client_path, &["job", "resolve", &job, "--provider-bps", "3000"], "NotAdmin");
    let provider_before = lamports(&provider.pubkey());
    let client_before = lamports(&client.pubkey());
    let held_before = provider_record(&provider.pubkey()).fees_owed;
    ok(&admin, &["job", "resolve", &job, "--provider-bps", "3000"]);
    let resolved = node().client().job(&job.parse().unwrap()).unwrap();
    assert!(resolved.is(JobStatus::Resolved));
    // 30% of the escrow to the provider side, the fee taken on that share only, the rest to the client.
    let share = disputed.escrow * 3_000 / 10_000;
    assert_eq!(resolved.fee, share * 250 / 10_000);
    assert_eq!((resolved.provider_payout + resolved.fee, resolved.client_refund - disputed.client_refund), (share, disputed.escrow - share));
    assert_eq!(lamports(&provider.pubkey()) - provider_before, resolved.provider_payout);
    let vault_rent = rent(space::<compute_market::state::Vault>());
    assert_eq!(lamports(&client.pubkey()) - client_before, disputed.escrow - share + vault_rent, "its share and the vault's rent");
    let record = provider_record(&provider.pubkey());
    assert_eq!((record.disputes_lost, record.fees_owed - held_before, record.active_jobs), (1, resolved.fee, 0));
    let client_stats = json(&client_path, &["stats", "--client", &client.pubkey().to_string()]);
    assert_eq!(client_stats["jobs_disputed"], 1);
    assert_eq!(client_stats["fees_paid_lamports"], resolved.fee);
}

#[test]
fn lists_filter_providers_and_jobs() {
    let (big, big_path) = register_provider("filter-big", "64", "0.002");
    let (small, _) = register_provider("filter-small", "2", "0.0001");
    let providers = json(&big_path, &["provider", "list", "--active", "--min-cores", "32"]);
    let authorities: Vec<&str> = providers.as_array().unwrap().iter().map(|p| p["authority"].as_str().unwrap()).collect();
    assert!(authorities.contains(&big.pubkey().to_string().as_str()));
    assert!(!authorities.contains(&small.pubkey().to_string().as_str()));
    let big_record = providers.as_array().unwrap().iter().find(|p| p["authority"] == big.pubkey().to_string()).unwrap();
    assert_eq!((big_record["assigned_by"].as_str(), big_record["retired"].as_bool()), (Some("matcher"), Some(false)));
    let cheap = json(&big_path, &["provider", "list", "--min-cores", "2", "--max-price", "0.001"]);
    let cheap: Vec<&str> = cheap.as_array().unwrap().iter().map(|p| p["authority"].as_str().unwrap()).collect();
    assert!(cheap.contains(&small.pubkey().to_string().as_str()), "2 cores at 0.0001 SOL each fit 0.001 SOL/h");
    assert!(!cheap.contains(&big.pubkey().to_string().as_str()), "2 cores at 0.002 SOL each exceed it");
    ok(&big_path, &["provider", "pause"]);
    let paused = json(&big_path, &["provider", "list", "--inactive"]);
    assert!(paused.as_array().unwrap().iter().any(|p| p["authority"] == big.pubkey().to_string()));
    ok(&big_path, &["provider", "update", "--deny-matcher-assignment", "--allow-client-assignment"]);
    assert_eq!(json(&big_path, &["provider", "show"])["assigned_by"], "clients");

    let (client, client_path) = wallet("filter-client", 10);
    for _ in 0..2 {
        json(&client_path, &["job", "post", "--cores", "1", "--hours", "0.5", "--max-price", "0.001", "--spec-uri", "data:,x"]);
    }
    ok(&client_path, &["job", "cancel", "1"]);
    let mine = json(&client_path, &["job", "list", "--mine"]);
    assert_eq!(mine.as_array().unwrap().len(), 1, "the cancelled job is closed");
    assert_eq!(mine[0]["job_id"], 0);
    assert_eq!(mine[0]["escrow_lamports"], 500_000, "half an hour at 0.001 SOL/h");
    let open = json(&client_path, &["job", "list", "--client", &client.pubkey().to_string(), "--status", "open"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    let running = json(&client_path, &["job", "list", "--client", &client.pubkey().to_string(), "--status", "Running"]);
    assert_eq!(running.as_array().unwrap().len(), 0);
}

#[test]
fn bad_input_is_refused_in_words() {
    let (_, broke_path) = wallet("errors-broke", 0);
    node().client().airdrop(&read_pubkey(&broke_path), SOL / 100).unwrap();
    fails_with(&broke_path, &["job", "post", "--cores", "1", "--hours", "10", "--max-price", "1", "--spec-uri", "data:,x"], "insufficient funds: posting needs 10.");
    fails_with(&broke_path, &["job", "show", "7"], "no job at");
    fails_with(&broke_path, &["job", "post", "--cores", "1", "--hours", "1", "--max-price", "1.5x", "--spec-uri", "x"], "`1.5x` is not an amount of SOL");
    fails_with(&broke_path, &["market", "update", "--fee-bps", "10"], "NotAdmin");
    let admin = node().keys.admin.pubkey().to_string();
    fails_with(&broke_path, &["market", "init", "--treasury", &admin], &format!("only the program's upgrade authority may create the market, and it is {admin}"));

    let (_, client_path) = wallet("errors-client", 10);
    let posted = json(&client_path, &["job", "post", "--cores", "1", "--hours", "1", "--max-price", "0.001", "--spec-uri", "data:,x"]);
    let job = posted["address"].as_str().unwrap();
    fails_with(&client_path, &["job", "start", job], "job 0 is Open; start needs it Assigned");
    let (tiny, tiny_path) = register_provider("errors-tiny", "1", "1");
    fails_with(&tiny_path, &["job", "accept", job], "PriceAboveMax");
    fails_with(&client_path, &["job", "assign", job, "--provider", &tiny.pubkey().to_string()], "takes no jobs from clients (assigned by: matcher); it can accept job 0 itself");
    fails_with(&client_path, &["job", "dispute", job], "job 0 is Open; dispute needs it Submitted");
    fails_with(&client_path, &["job", "post", "--cores", "0", "--hours", "1", "--max-price", "0.001", "--spec-uri", "data:,x"], "InvalidRequirements");
    fails_with(&client_path, &["provider", "withdraw-earnings"], "reading your provider");
}

/// A client assigns its job to a provider that takes jobs from clients, at the provider's price.
#[test]
fn a_client_assigns_only_to_a_provider_that_allows_it() {
    let (_, client_path) = wallet("assigning-client", 10);
    let (open_door, open_door_path) = wallet("assignable", 10);
    ok(&open_door_path, &["provider", "register", "--cores", "4", "--rate-core", "0.001", "--uri", "http://127.0.0.1:1/p", "--allow-client-assignment"]);
    let posted = json(&client_path, &["job", "post", "--cores", "3", "--hours", "1", "--max-price", "0.01", "--spec-uri", "data:,x"]);
    let job = posted["address"].as_str().unwrap();
    ok(&client_path, &["job", "assign", job, "--provider", &open_door.pubkey().to_string()]);
    let assigned = node().client().job(&job.parse().unwrap()).unwrap();
    assert!(assigned.is(JobStatus::Assigned));
    assert_eq!((assigned.provider, assigned.agreed_price_per_hour), (open_door.pubkey(), 3_000_000));
    ok(&open_door_path, &["provider", "update", "--deny-client-assignment"]);
    assert_eq!(provider_record(&open_door.pubkey()).assignment, 0);
}

/// A mint with a freeze authority is accepted only when the admin acknowledges it.
#[test]
fn a_payment_mint_with_a_freeze_authority_needs_the_admins_acknowledgement() {
    let admin = node().folder.join("mint-admin.json");
    compute_market_client::keypair_file::write_keypair(&admin, &node().keys.admin).unwrap();
    let frozen = create_mint(true);
    let plain = create_mint(false);
    let add = |mint: &Pubkey, extra: &[&str]| {
        let mint = mint.to_string();
        let mut args = vec!["mint", "add", mint.as_str(), "--reputation-lamports-per-token", "5000000"];
        args.extend(extra);
        cmkt(&admin, &args)
    };
    let refused = add(&frozen, &[]);
    assert!(!refused.ok && refused.stderr.contains("has a freeze authority"), "{}", refused.stderr);
    assert!(refused.stderr.contains("--acknowledge-freeze-authority"), "{}", refused.stderr);
    assert!(add(&frozen, &["--acknowledge-freeze-authority"]).ok);
    assert!(add(&plain, &[]).ok);
    let missing = cmkt(&admin, &["mint", "add", &create_mint(false).to_string()]);
    assert!(!missing.ok && missing.stderr.contains("--reputation-lamports-per-token"), "{}", missing.stderr);
}

/// A fresh SPL Token mint of 6 decimals, with a freeze authority or without.
fn create_mint(freeze: bool) -> Pubkey {
    let token_program: Pubkey = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA".parse().unwrap();
    let (payer, _) = wallet("mint-payer", 1);
    let mint = solana_keypair::Keypair::new();
    const MINT_LEN: usize = 82;
    let create = anchor_lang::solana_program::system_instruction::create_account(&payer.pubkey(), &mint.pubkey(), rent(MINT_LEN), MINT_LEN as u64, &token_program);
    // InitializeMint2: decimals, mint authority, and the freeze authority as an option.
    let mut data = vec![20, 6];
    data.extend_from_slice(payer.pubkey().as_ref());
    if freeze {
        data.push(1);
        data.extend_from_slice(payer.pubkey().as_ref());
    } else {
        data.push(0);
    }
    let initialize = anchor_lang::solana_program::instruction::Instruction {
        program_id: token_program,
        accounts: vec![anchor_lang::solana_program::instruction::AccountMeta::new(mint.pubkey(), false)],
        data,
    };
    node().client().send(&[create, initialize], &payer, &[&mint]).unwrap();
    mint.pubkey()
}

/// No matcher runs beside this node, so only the agent's own policy can take these jobs.
#[test]
fn an_agent_with_a_policy_accepts_the_jobs_it_allows_and_runs_them() {
    let (provider, provider_path) = register_provider("policy-provider", "8", "0.001");
    // Its quote in USDC: 0.15 a core-hour and 0.06 a GB-hour, 0.36 USDC an hour for 2 cores and 1 GB.
    ok(&provider_path, &["mint", "quote", "USDC", "--per-core", "150000", "--per-gb-ram", "60000", "--per-gb-storage", "0", "--per-gpu", "0"]);
    let (client, client_path) = wallet("policy-client", 10);
    mint_usdc(&node().client(), &node().keys, &client.pubkey(), 2 * ONE_USDC).unwrap();
    let spec = node().folder.join("policy.spec.json");
    std::fs::write(&spec, br#"{"version":1,"command":["sh","-c","echo done > out.txt"],"outputs":["out.txt"]}"#).unwrap();
    // The USDC job works a few seconds, so that it has something to pay.
    let sleeper = node().folder.join("policy-usdc.spec.json");
    std::fs::write(&sleeper, br#"{"version":1,"command":["sh","-c","sleep 3; echo done > out.txt"],"outputs":["out.txt"]}"#).unwrap();
    let post_in = |mint: &str, cores: &str, secs: &str, max: &str, spec: &std::path::Path| -> String {
        let posted = json(&client_path, &["job", "post", "--mint", mint, "--cores", cores, "--ram-gb", "1", "--duration-secs", secs, "--max-price", max, "--spec", spec.to_str().unwrap()]);
        posted["address"].as_str().unwrap().to_string()
    };
    let post = |cores: &str, secs: &str| post_in("SOL", cores, secs, "0.01", &spec);
    // At 0.001 SOL per core-hour: 2 cores are below the 0.003 minimum (so are the other tests' jobs here);
    // 4 cores for 2 hours is too long; 4 cores for an hour fits.
    let cheap = post("2", "3600");
    let long = post("4", "7200");
    let fitting = post("4", "3600");
    // Paid in USDC, an hour at most 1.5 USDC escrowed: priced by the quote, 360,000 base units an hour, which
    // the lamport minimum (3,000,000 lamports) does not apply to; the USDC minimum, 0.36, it meets.
    let usdc = node().keys.usdc_mint.pubkey();
    let treasury = node().keys.treasury.pubkey();
    let usdc_of = |owner: &Pubkey| node().client().tokens_of(owner, &usdc, &TOKEN_PROGRAM).unwrap();
    let (provider_before, treasury_before) = (usdc_of(&provider.pubkey()), usdc_of(&treasury));
    let in_usdc = post_in("USDC", "2", "3600", "1.5", &sleeper);
    assert_eq!(usdc_of(&client.pubkey()), 2 * ONE_USDC - 1_500_000);
    let workdir = node().folder.join("policy-agent");
    let agent = Service::start(
        &provider_path,
        &["agent", "run", "--workdir", workdir.to_str().unwrap(), "--listen", "127.0.0.1:0", "--poll-secs", "1", "--ws-url", &node().node.ws_url,
          "--auto-accept", "--min-price", "0.003", "--min-token-price", "USDC=0.36", "--max-duration-secs", "3600"],
        &node().folder.join("policy-agent.log"),
    );
    let status = |job: &str| json(&client_path, &["job", "show", job])["status"].as_str().unwrap().to_string();
    wait_for("the agent to accept, run and deliver the fitting job", || (status(&fitting) == "Submitted").then_some(()));
    let delivered = json(&client_path, &["job", "show", &fitting]);
    assert_eq!(delivered["provider"], provider.pubkey().to_string());
    assert_eq!(delivered["agreed_price_per_hour_lamports"], 4 * 1_000_000 + 10_000, "at the price of its own rates");
    assert!(agent.output().contains(&format!("accepted job {fitting}")), "{}", agent.output());
    assert_eq!(status(&cheap), "Open", "below the minimum price");
    assert_eq!(status(&long), "Open", "longer than the maximum duration");

    // The USDC job: accepted at the quote, run, delivered, then completed and paid to the base unit.
    wait_for("the agent to accept, run and deliver the USDC job", || (status(&in_usdc) == "Submitted").then_some(()));
    assert!(agent.output().contains(&format!("accepted job {in_usdc} at 360000 base units of {usdc} an hour")), "{}", agent.output());
    let submitted = jobs::job(&in_usdc);
    assert_eq!((submitted.provider, submitted.payment_mint), (provider.pubkey(), usdc));
    assert_eq!((submitted.agreed_price_per_hour, submitted.escrow, submitted.client_refund), (360_000, 360_000, 1_140_000));
    assert_eq!(usdc_of(&client.pubkey()), 2 * ONE_USDC - 360_000, "what the quote does not need came back at assignment");
    let vault_tokens = pda::vault_tokens(&in_usdc.parse().unwrap());
    assert_eq!(node().client().token_account_balance(&vault_tokens).unwrap(), Some(360_000));
    ok(&client_path, &["job", "complete", &in_usdc, "--rating", "5"]);
    let paid = jobs::job(&in_usdc);
    assert!(paid.is(JobStatus::Completed));
    let worked = (paid.submitted_at - paid.started_at).clamp(0, 3_600) as u64;
    let payment = cost_for(360_000, worked).unwrap();
    assert!(worked >= 3 && payment >= 300, "100 base units a second for {worked} s");
    let fee = bps_of(payment, paid.fee_bps).unwrap();
    assert_eq!((paid.provider_payout, paid.fee, paid.client_refund), (payment - fee, fee, 1_140_000 + 360_000 - payment));
    assert_eq!(usdc_of(&client.pubkey()), 2 * ONE_USDC - payment);
    assert_eq!(usdc_of(&provider.pubkey()), provider_before + payment - fee);
    assert_eq!(usdc_of(&treasury), treasury_before + fee);
    assert_eq!(node().client().token_account_balance(&vault_tokens).unwrap().unwrap_or(0), 0);
}

#[test]
fn a_bond_is_locked_by_a_bonded_job_and_only_what_is_free_can_be_withdrawn() {
    let (provider, provider_path) = register_provider("bonded-provider", "4", "0.001");
    let (_, client_path) = wallet("bonded-client", 10);
    fails_with(&provider_path, &["bond", "show"], "has no bond");
    fails_with(&provider_path, &["bond", "deposit", "0"], "the amount must be more than 0 SOL");
    fails_with(&provider_path, &["bond", "withdraw"], "you hold no bond in SOL");

    let wallet_before = lamports(&provider.pubkey());
    ok(&provider_path, &["bond", "deposit", "2"]);
    let bond = pda::bond(&provider.pubkey(), &Pubkey::default());
    assert_eq!(lamports(&bond), rent(space::<compute_market::state::Bond>()) + 2 * SOL);
    assert_eq!(wallet_before - lamports(&provider.pubkey()), 2 * SOL + rent(space::<compute_market::state::Bond>()) + 5_000);
    let shown = json(&provider_path, &["bond", "show"]);
    assert_eq!((shown[0]["held_lamports"].as_u64(), shown[0]["free_lamports"].as_u64()), (Some(2 * SOL), Some(2 * SOL)));

    let posted = json(&client_path, &["job", "post", "--cores", "2", "--ram-gb", "1", "--hours", "1", "--max-price", "0.01", "--min-bond", "1.5", "--spec-uri", "data:,x"]);
    assert_eq!((posted["min_bond_lamports"].as_u64(), posted["slash_bps"].as_u64()), (Some(1_500_000_000), Some(2_500)));
    let job = posted["address"].as_str().unwrap().to_string();
    ok(&provider_path, &["job", "accept", &job]);
    let locked = &json(&provider_path, &["bond", "show", &provider.pubkey().to_string()])[0];
    assert_eq!((locked["locked_lamports"].as_u64(), locked["free_lamports"].as_u64(), locked["jobs_locked"].as_u64()), (Some(1_500_000_000), Some(500_000_000), Some(1)));

    fails_with(&provider_path, &["bond", "request-withdrawal", "1"], "jobs in flight lock 1.5 SOL of your SOL bond: at most 0.5 SOL can be withdrawn now");
    ok(&provider_path, &["bond", "request-withdrawal", "all"]);
    let pending = &json(&provider_path, &["bond", "show"])[0];
    assert_eq!((pending["pending_lamports"].as_u64(), pending["free_lamports"].as_u64()), (Some(500_000_000), Some(0)));
    fails_with(&provider_path, &["bond", "withdraw"], "the withdrawal of 0.5 SOL cools down until");
    ok(&provider_path, &["bond", "cancel-withdrawal"]);
    fails_with(&provider_path, &["bond", "cancel-withdrawal"], "no withdrawal of your SOL bond is pending");

    ok(&provider_path, &["job", "decline", &job]);
    let released = &json(&provider_path, &["bond", "show"])[0];
    assert_eq!((released["locked_lamports"].as_u64(), released["free_lamports"].as_u64(), released["slashed_lamports"].as_u64()), (Some(0), Some(2 * SOL), Some(0)));
    let listed = json(&client_path, &["bond", "list"]);
    assert!(listed.as_array().unwrap().iter().any(|b| b["address"] == bond.to_string()), "{listed}");
}
