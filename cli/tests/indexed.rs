//! cmkt with the index API: one job's life, read back from the index as lists, stats and reports to the
//! lamport; and without the API, the node's answers with a note saying so, and no report.

mod common;

use common::*;
use compute_market_client::index_api::{IndexApi, LAMPORTS_MINT};
use serde_json::{json, Value};
use solana_signer::Signer;

const NODE_NOTE: &str = "note: no index API given (--api or CMKT_API_URL): read from the node; history is limited";

fn sol(amount: u64) -> Value {
    json!([{ "currency": "SOL", "decimals": 9, "mint": LAMPORTS_MINT, "amount": amount }])
}

fn sum(rows: &Value, field: &str) -> u64 {
    rows.as_array().unwrap().iter().map(|row| row[field].as_u64().unwrap()).sum()
}

fn items(list: &Value) -> &Vec<Value> {
    list.as_array().expect("a JSON list")
}

#[test]
fn a_jobs_life_reads_back_from_the_index_to_the_lamport() {
    if !node().logs_events() {
        return eprintln!("SKIPPED: no sBPF artifact (make sbf); the native program logs no events to index");
    }
    let index = node().start_index();
    let url = index.url();
    let api = IndexApi::new(&url).unwrap();
    let with_api = |keypair: &std::path::Path, args: &[&str]| {
        let mut all = vec!["--api", url.as_str()];
        all.extend_from_slice(args);
        json(keypair, &all)
    };

    // Given a job run to completion with cmkt
    let (provider, provider_path) = register_provider("indexed-provider", "4", "0.001");
    let (client, client_path) = wallet("indexed-client", 10);
    let (provider_key, client_key) = (provider.pubkey().to_string(), client.pubkey().to_string());
    let posted = json(&client_path, &["job", "post", "--cores", "2", "--ram-gb", "1", "--duration-secs", "3600", "--max-price", "0.01", "--spec-uri", "data:,x"]);
    let job = posted["address"].as_str().unwrap().to_string();
    ok(&provider_path, &["job", "accept", &job]);
    ok(&provider_path, &["job", "start", &job]);
    std::thread::sleep(std::time::Duration::from_secs(2));
    ok(&provider_path, &["job", "submit", &job, "--result-hash", &"ab".repeat(32)]);
    ok(&client_path, &["job", "complete", &job]);
    let done = json(&client_path, &["job", "show", &job]);
    let amount = |key: &str| done[key].as_u64().unwrap();
    let (payout, fee, refund) = (amount("provider_payout_lamports"), amount("fee_lamports"), amount("client_refund_lamports"));
    assert_eq!(payout + fee + refund, 10_000_000, "an hour at 0.01 SOL was escrowed");

    // When the index has followed it
    let indexed = wait_for("the index to see the job completed", || api.job(&job).ok().filter(|j| j.status == "completed"));
    assert_eq!((indexed.provider_payout, indexed.fee, indexed.outcome.as_deref()), (payout, fee, Some("accepted")));
    // As on the account: the escrow paid out, and every lamport not paid for work or fee refunded (at
    // assignment, the escrow above the agreed price; at completion, the rest).
    assert_eq!((indexed.escrow, indexed.refund), (0, refund));
    let busy_core_secs = 2 * (indexed.submitted_at.unwrap() - indexed.started_at.unwrap()) as u64;

    // Then lists read from it, in the node's shapes, filters mapped onto the API's
    let listed = with_api(&client_path, &["job", "list", "--mine"]);
    assert_eq!(items(&listed).len(), 1);
    let row = &listed[0];
    assert_eq!((row["address"].as_str(), row["status"].as_str(), row["provider"].as_str()), (Some(job.as_str()), Some("Completed"), Some(provider_key.as_str())));
    assert_eq!((row["provider_payout_lamports"].as_u64(), row["fee_lamports"].as_u64(), row["client_refund_lamports"].as_u64()), (Some(payout), Some(fee), Some(indexed.refund)));
    assert_eq!(items(&with_api(&client_path, &["job", "list", "--provider", &provider_key, "--status", "Completed"])).len(), 1);
    assert_eq!(items(&with_api(&client_path, &["job", "list", "--status", "open"])).len(), 0);
    let providers = with_api(&client_path, &["provider", "list"]);
    assert_eq!(items(&providers).len(), 1);
    assert_eq!((providers[0]["authority"].as_str(), providers[0]["jobs_completed"].as_u64()), (Some(provider_key.as_str()), Some(1)));
    assert_eq!(providers[0]["total_earned_lamports"], payout);

    // and stats: the market's totals and the parties' job figures
    let market = with_api(&client_path, &["stats"]);
    let totals = &market["totals"];
    assert_eq!((totals["jobs_posted"].as_u64(), totals["jobs_assigned"].as_u64(), totals["jobs_completed"].as_u64(), totals["jobs_failed"].as_u64()), (Some(1), Some(1), Some(1), Some(0)));
    assert_eq!((totals["volume_lamports"].as_u64(), totals["fees_lamports"].as_u64()), (Some(payout + fee), Some(fee)));
    assert_eq!((totals["providers"].as_u64(), totals["clients"].as_u64(), market["active_providers"].as_u64()), (Some(1), Some(1), Some(1)));
    let client_stats = with_api(&client_path, &["stats", "--client", &client_key]);
    assert_eq!((client_stats["total_spent_lamports"].as_u64(), client_stats["in_escrow_lamports"].as_u64()), (Some(payout + fee), Some(0)));
    assert_eq!(client_stats["history"], json!([{ "address": job, "job_id": 0, "status": "Completed", "closed": false, "escrow_lamports": indexed.escrow, "provider_payout_lamports": payout, "fee_lamports": fee, "currency": "SOL", "decimals": 9 }]));

    // and reports, by day, with totals; the signer's own view chosen by what it is
    let client_report = with_api(&client_path, &["report", "--client", &client_key, "--days", "2"]);
    assert_eq!((client_report["view"].as_str(), client_report["bucket"].as_str(), items(&client_report["rows"]).len()), (Some("client"), Some("day"), 2));
    assert_eq!(client_report["totals"], json!({ "jobs_posted": 1, "jobs_completed": 1, "spent": sol(payout + fee), "fees": sol(fee), "refunded": sol(refund) }));
    assert_eq!((sum(&client_report["rows"], "jobs_posted"), sum(&client_report["rows"], "jobs_completed")), (1, 1));
    let provider_report = with_api(&client_path, &["report", "--provider", &provider_key, "--days", "2"]);
    let provider_totals = &provider_report["totals"];
    assert_eq!((provider_totals["earnings"].clone(), provider_totals["jobs_completed"].as_u64(), provider_totals["jobs_failed"].as_u64()), (sol(payout), Some(1), Some(0)));
    assert_eq!((provider_totals["completion_rate_bps"].as_u64(), provider_totals["busy_core_secs"].as_u64()), (Some(10_000), Some(busy_core_secs)));
    assert_eq!(sum(&provider_report["rows"], "busy_core_secs"), busy_core_secs);
    assert!(items(&provider_report["rows"]).iter().any(|row| row["up"] == true), "registering counts as a heartbeat");
    assert!(provider_totals["uptime_bps"].as_u64().unwrap() > 0);
    assert_eq!(with_api(&provider_path, &["report"])["view"], "provider");
    assert_eq!(with_api(&client_path, &["report"])["view"], "client");
    let table = ok(&provider_path, &["--api", &url, "report", "--days", "1"]);
    assert!(table.starts_with(&format!("provider {provider_key}, by day (UTC), ")), "{table}");
    let last = table.lines().last().unwrap();
    assert!(last.starts_with("total ") && last.contains(&format!(" {} SOL ", compute_market_client::amounts::format_sol(payout))), "{table}");

    // The index keeps the job once closed; the node, asked without the API, no longer has it, and says
    // where it read.
    ok(&client_path, &["job", "close", &job]);
    wait_for("the index to see the job closed", || api.job(&job).ok().filter(|j| j.closed));
    assert_eq!(with_api(&client_path, &["job", "list", "--mine"])[0]["closed"], true);
    let from_node = cmkt(&client_path, &["--output", "json", "job", "list", "--mine"]);
    assert!(from_node.ok, "{}", from_node.stderr);
    assert_eq!(from_node.stderr.trim(), NODE_NOTE);
    assert_eq!(serde_json::from_str::<Value>(&from_node.stdout).unwrap(), json!([]));
    let market_from_node = cmkt(&client_path, &["--output", "json", "stats"]);
    assert_eq!(market_from_node.stderr.trim(), NODE_NOTE);
    assert_eq!(serde_json::from_str::<Value>(&market_from_node.stdout).unwrap()["totals"]["jobs_completed"], 1, "the client profile's counter");
    let from_variable = cmkt_env(&client_path, &[("CMKT_API_URL", &url)], &["--output", "json", "job", "list", "--mine"]);
    assert!(from_variable.ok && from_variable.stderr.is_empty(), "{}", from_variable.stderr);
    assert_eq!(items(&serde_json::from_str::<Value>(&from_variable.stdout).unwrap()).len(), 1);
    fails_with(&client_path, &["report"], "report needs the index API (--api or CMKT_API_URL): the node keeps no history");
}
