//! cmkt end to end: the binary against a local node, as a user runs it.

mod common;

use common::*;
use solana_signer::Signer;

#[test]
fn a_job_from_post_to_payment() {
    let (provider, provider_path) = register_provider("lifecycle-provider", "8", "0.001");
    let (client, client_path) = wallet("lifecycle-client", 10);
    let spec = node().folder.join("spec.json");
    std::fs::write(&spec, br#"{"version":1,"command":["echo","hi"]}"#).unwrap();

    let posted = json(&client_path, &["job", "post", "--cores", "2", "--ram-gb", "4", "--duration-secs", "3600", "--max-price", "0.01", "--spec", spec.to_str().unwrap()]);
    assert_eq!(posted["status"], "Open");
    assert_eq!(posted["escrow_lamports"], 10_000_000, "one hour at the maximum price is escrowed");
    let job = posted["address"].as_str().unwrap().to_string();

    ok(&provider_path, &["job", "accept", &job]);
    let assigned = json(&client_path, &["job", "show", "0"]);
    assert_eq!(assigned["status"], "Assigned");
    assert_eq!(assigned["agreed_price_per_hour_lamports"], 2 * 1_000_000 + 4 * 10_000);
    assert_eq!(assigned["provider"], provider.pubkey().to_string());
    ok(&provider_path, &["job", "start", &job]);
    let result = node().folder.join("result.tar");
    std::fs::write(&result, b"result bytes").unwrap();
    ok(&provider_path, &["job", "submit", &job, "--result", result.to_str().unwrap()]);

    let market = node().client().market().unwrap();
    let treasury_before = node().client().balance(&market.treasury).unwrap();
    ok(&client_path, &["job", "complete", &job, "--rating", "5"]);
    let done = json(&client_path, &["job", "show", &job]);
    assert_eq!(done["status"], "Completed");
    assert_eq!(done["rating"], 5);
    let fee = done["fee_lamports"].as_u64().unwrap();
    let payout = done["provider_payout_lamports"].as_u64().unwrap();
    let refund = done["client_refund_lamports"].as_u64().unwrap();
    assert_eq!(payout + fee + refund, 10_000_000, "the escrow is paid out, in fees or refunded, to the lamport");
    assert_eq!(fee, (payout + fee) * 250 / 10_000, "2.5% of the work's price goes to the treasury");
    assert_eq!(node().client().balance(&market.treasury).unwrap() - treasury_before, fee);

    let provider_stats = json(&client_path, &["stats", "--provider", &provider.pubkey().to_string()]);
    assert_eq!(provider_stats["total_earned_lamports"], payout);
    assert_eq!(provider_stats["completion_rate_bps"], 10_000);
    assert_eq!(provider_stats["average_rating_x100"], 500);
    let client_stats = json(&client_path, &["stats", "--client", &client.pubkey().to_string()]);
    assert_eq!(client_stats["total_spent_lamports"], payout + fee);
    assert_eq!(client_stats["total_refunded_lamports"], refund);
    assert_eq!(client_stats["history"][0]["status"], "Completed");

    ok(&client_path, &["job", "close", &job]);
    fails_with(&client_path, &["job", "show", &job], "no job at");
}

#[test]
fn lists_filter_providers_and_jobs() {
    let (big, big_path) = register_provider("filter-big", "64", "0.002");
    let (small, _) = register_provider("filter-small", "2", "0.0001");
    let providers = json(&big_path, &["provider", "list", "--active", "--min-cores", "32"]);
    let authorities: Vec<&str> = providers.as_array().unwrap().iter().map(|p| p["authority"].as_str().unwrap()).collect();
    assert!(authorities.contains(&big.pubkey().to_string().as_str()));
    assert!(!authorities.contains(&small.pubkey().to_string().as_str()));
    let cheap = json(&big_path, &["provider", "list", "--min-cores", "2", "--max-price", "0.001"]);
    let cheap: Vec<&str> = cheap.as_array().unwrap().iter().map(|p| p["authority"].as_str().unwrap()).collect();
    assert!(cheap.contains(&small.pubkey().to_string().as_str()), "2 cores at 0.0001 SOL each fit 0.001 SOL/h");
    assert!(!cheap.contains(&big.pubkey().to_string().as_str()), "2 cores at 0.002 SOL each exceed it");
    ok(&big_path, &["provider", "pause"]);
    let paused = json(&big_path, &["provider", "list", "--inactive"]);
    assert!(paused.as_array().unwrap().iter().any(|p| p["authority"] == big.pubkey().to_string()));

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

    let (_, client_path) = wallet("errors-client", 10);
    let posted = json(&client_path, &["job", "post", "--cores", "1", "--hours", "1", "--max-price", "0.001", "--spec-uri", "data:,x"]);
    let job = posted["address"].as_str().unwrap();
    fails_with(&client_path, &["job", "start", job], "job 0 is Open; start needs it Assigned");
    let (_, tiny_path) = register_provider("errors-tiny", "1", "1");
    fails_with(&tiny_path, &["job", "accept", job], "PriceAboveMax");
    fails_with(&client_path, &["job", "post", "--cores", "0", "--hours", "1", "--max-price", "0.001", "--spec-uri", "data:,x"], "InvalidRequirements");
}

/// No matcher runs beside this node, so only the agent's own policy can take these jobs.
#[test]
fn an_agent_with_a_policy_accepts_the_jobs_it_allows_and_runs_them() {
    let (provider, provider_path) = register_provider("policy-provider", "8", "0.001");
    let (_, client_path) = wallet("policy-client", 10);
    let spec = node().folder.join("policy.spec.json");
    std::fs::write(&spec, br#"{"version":1,"command":["sh","-c","echo done > out.txt"],"outputs":["out.txt"]}"#).unwrap();
    let post = |cores: &str, secs: &str| -> String {
        let posted = json(&client_path, &["job", "post", "--cores", cores, "--ram-gb", "1", "--duration-secs", secs, "--max-price", "0.01", "--spec", spec.to_str().unwrap()]);
        posted["address"].as_str().unwrap().to_string()
    };
    // At 0.001 SOL per core-hour: 2 cores are below the 0.003 minimum (so are the other tests' jobs here);
    // 4 cores for 2 hours is too long; 4 cores for an hour fits.
    let cheap = post("2", "3600");
    let long = post("4", "7200");
    let fitting = post("4", "3600");
    let workdir = node().folder.join("policy-agent");
    let agent = Service::start(
        &provider_path,
        &["agent", "run", "--workdir", workdir.to_str().unwrap(), "--listen", "127.0.0.1:0", "--poll-secs", "1", "--ws-url", &node().node.ws_url,
          "--auto-accept", "--min-price", "0.003", "--max-duration-secs", "3600"],
        &node().folder.join("policy-agent.log"),
    );
    let status = |job: &str| json(&client_path, &["job", "show", job])["status"].as_str().unwrap().to_string();
    wait_for("the agent to accept, run and deliver the fitting job", || (status(&fitting) == "Submitted").then_some(()));
    let delivered = json(&client_path, &["job", "show", &fitting]);
    assert_eq!(delivered["provider"], provider.pubkey().to_string());
    assert!(agent.output().contains(&format!("accepted job {fitting}")), "{}", agent.output());
    assert_eq!(status(&cheap), "Open", "below the minimum price");
    assert_eq!(status(&long), "Open", "longer than the maximum duration");
}
