//! Jobs that run: the matcher assigns, the provider agent verifies, starts, runs a real command and
//! delivers a result the client downloads and verifies; restarts, absences and bad specs; and the
//! matcher's explanations, word for word. Everything through the `cmkt` binary against a local node.

mod common;

use std::path::Path;

use common::jobs::*;
use common::*;
use compute_market::state::JobStatus;
use serde_json::Value;
use solana_signer::Signer;

/// A command that sleeps, writes `text` to out.txt, and records when it began and ended (wall clock, ns).
fn spec_writing(text: &str, sleep_secs: u32) -> String {
    format!(
        r#"{{"version":1,"command":["sh","-c","date +%s%N > began; sleep {sleep_secs}; echo {text} > out.txt; echo ran {text}; date +%s%N > ended"],"outputs":["out.txt","began","ended"]}}"#
    )
}

/// When a downloaded result's command began and ended.
fn ran_during(dir: &Path) -> (u128, u128) {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap().trim().parse::<u128>().unwrap();
    (read("began"), read("ended"))
}

#[test]
fn matched_jobs_run_on_the_agent_and_pay_out_exactly() {
    let _clock = shared_clock();
    matcher_url();
    let (provider, _, agent, workdir) = provider_with_agent("runner");
    let (client, client_path) = wallet("runner-client", 10);
    // 4 cores: two 2-core jobs run at once, the third waits for room.
    let (first, _) = post(&client_path, "first", &spec_writing("first", 5), Some(&provider));
    let (second, _) = post(&client_path, "second", &spec_writing("second", 5), Some(&provider));
    let both = [wait_status(&first, JobStatus::Submitted), wait_status(&second, JobStatus::Submitted)];
    let (third, _) = post(&client_path, "third", &spec_writing("third", 0), Some(&provider));
    assert_eq!(node().client().provider(&provider).unwrap().active_jobs, 2);
    let why = wait_for("the matcher to explain the third job", || {
        let out = ok(&client_path, &["job", "why", &third, "--matcher", matcher_url()]);
        Some(out).filter(|o| o.contains("room"))
    });
    assert_eq!(
        why.trim(),
        format!("job 2 ({third}): the 1 provider that fits within your price has no room free right now; the job is matched when capacity frees up")
    );
    // The client fetches the bundle from the provider's endpoint and checks it against the chain.
    let out = node().folder.join("first-result");
    let result = json(&client_path, &["job", "result", &first, "--out", out.to_str().unwrap()]);
    assert_eq!(result["verified"], true);
    assert_eq!(result["exit_code"], 0);
    assert_eq!(result["stdout"], "ran first\n");
    assert_eq!(std::fs::read_to_string(out.join("out.txt")).unwrap(), "first\n");
    let bundle = std::fs::read(out.join("bundle.json")).unwrap();
    assert_eq!(compute_market_client::spec_hash(&bundle), both[0].result_hash);
    let second_out = node().folder.join("second-result");
    json(&client_path, &["job", "result", &second, "--out", second_out.to_str().unwrap()]);
    let (a, b) = (ran_during(&out), ran_during(&second_out));
    assert!(a.0 < b.1 && b.0 < a.1, "the two ran at the same time: {a:?} {b:?}");

    // complete_and_pay: every lamport accounted for, read from the transaction itself (the agent keeps
    // paying fees from the provider's wallet meanwhile).
    let treasury = node().client().market().unwrap().treasury.to_string();
    let vault = compute_market_client::pda::vault(&first.parse().unwrap()).to_string();
    let signature = signature_of(&ok(&client_path, &["job", "complete", &first, "--rating", "5"]));
    let paid = job(&first);
    assert!(paid.is(JobStatus::Completed));
    assert_eq!(paid.provider_payout + paid.fee + paid.client_refund, 10_000_000, "the hour at 0.01 SOL/h escrowed, to the lamport");
    assert_eq!(paid.fee, (paid.provider_payout + paid.fee) * 250 / 10_000);
    let changes = balance_changes(&signature);
    let escrow_back = i128::from(paid.client_refund - both[0].client_refund);
    let vault_closed = -changes[&vault];
    assert_eq!(changes[&provider.to_string()], i128::from(paid.provider_payout));
    assert_eq!(changes[&treasury], i128::from(paid.fee));
    assert_eq!(vault_closed - i128::from(both[0].escrow), i128::from(node().client().rpc().get_minimum_balance_for_rent_exemption(compute_market::state::space::<compute_market::state::Vault>()).unwrap()), "the vault held escrow and rent");
    assert_eq!(changes[&client.pubkey().to_string()], escrow_back + vault_closed - i128::from(both[0].escrow) - 5_000, "refund and vault rent, less one signature's fee");

    // The freed room goes to the third job, which runs too.
    wait_status(&third, JobStatus::Submitted);
    let third_out = node().folder.join("third-result");
    let third_result = json(&client_path, &["job", "result", &third, "--out", third_out.to_str().unwrap()]);
    assert_eq!(third_result["stdout"], "ran third\n");
    assert_eq!(agent.output().matches("started job").count(), 3, "{}", agent.output());
    assert!(!workdir.join("jobs").join(&first).exists(), "a delivered job's working directory is removed");
}

#[test]
fn a_restarted_agent_resumes_without_starting_twice_and_keeps_its_results() {
    let _clock = shared_clock();
    matcher_url();
    let (provider, provider_path, mut agent, workdir) = provider_with_agent("phoenix");
    let (_, client_path) = wallet("phoenix-client", 10);
    let (address, _) = post(&client_path, "phoenix", &spec_writing("phoenix", 4), Some(&provider));
    let running = wait_status(&address, JobStatus::Running);
    // The chain shows Running as soon as start_job lands; the agent logs it once its confirmation returns.
    wait_for("the agent to record the start", || agent.output().contains(&format!("started job {address}")).then_some(()));
    agent.kill();
    let first_log = agent.output();
    assert!(!first_log.contains("submitted"), "killed mid-job: {first_log}");

    let mut restarted = start_agent(&provider_path, &workdir, "phoenix", &[]);
    let submitted = wait_status(&address, JobStatus::Submitted);
    assert_eq!(submitted.started_at, running.started_at, "started once");
    let second_log = restarted.output();
    assert!(second_log.contains(&format!("resuming job {address}")), "{second_log}");
    assert!(!second_log.contains("started job"), "no second start_job: {second_log}");
    let journal = workdir.join("journal").join(format!("{address}.json"));
    wait_for("the journal to record the submission", || {
        std::fs::read_to_string(&journal).ok().filter(|entry| entry.contains(r#""stage":"submitted""#))
    });

    // A second crash after delivery: nothing runs again and the result is still served.
    restarted.kill();
    let third = start_agent(&provider_path, &workdir, "phoenix", &[]);
    wait_for("the agent to publish its new endpoint", || {
        let uri = node().client().provider(&provider).unwrap().metadata_uri.to_string_lossy().into_owned();
        third.output().contains(&uri).then_some(())
    });
    let out = node().folder.join("phoenix-result");
    let result = json(&client_path, &["job", "result", &address, "--out", out.to_str().unwrap()]);
    assert_eq!(result["verified"], true);
    assert_eq!(std::fs::read_to_string(out.join("out.txt")).unwrap(), "phoenix\n");
    assert!(!third.output().contains("resuming"), "{}", third.output());
}

#[test]
fn a_spec_that_does_not_match_its_hash_is_refused_and_nothing_runs() {
    let _clock = shared_clock();
    matcher_url();
    let (provider, _, agent, workdir) = provider_with_agent("wary");
    let (_, client_path) = wallet("wary-client", 10);
    let marker = node().folder.join("wary-ran");
    // The job's hash is of one spec, its URI points at another.
    let hashed = node().folder.join("wary-hashed.json");
    std::fs::write(&hashed, format!(r#"{{"version":1,"command":["touch","{}"],"env":{{"A":"1"}}}}"#, marker.display())).unwrap();
    let served = node().folder.join("wary-served.json");
    std::fs::write(&served, format!(r#"{{"version":1,"command":["touch","{}"]}}"#, marker.display())).unwrap();
    let uri = format!("file://{}", served.display());
    let target = provider.to_string();
    let posted = json(&client_path, &["job", "post", "--cores", "2", "--ram-gb", "1", "--duration-secs", "3600", "--max-price", "0.01",
        "--spec", hashed.to_str().unwrap(), "--spec-uri", &uri, "--target-provider", &target]);
    let address = posted["address"].as_str().unwrap().to_string();
    wait_for("the agent to refuse the job", || agent.output().contains(&format!("refusing job {address}")).then_some(()));
    let log = agent.output();
    assert!(log.contains("the spec's sha256 is"), "{log}");
    assert!(log.contains("nothing was run"), "{log}");
    assert!(job(&address).is(JobStatus::Assigned), "never started");
    assert!(!marker.exists(), "the command never ran");
    assert!(!workdir.join("jobs").join(&address).exists());
}

#[test]
fn a_job_whose_agent_never_comes_back_expires_and_refunds_the_client() {
    let _clock = clock().write().unwrap_or_else(|poisoned| poisoned.into_inner());
    matcher_url();
    let (provider, _) = register_provider("vanished", "4", "0.001");
    let (client, client_path) = wallet("vanished-client", 10);
    let (address, _) = post(&client_path, "vanished", &spec_writing("never", 0), Some(&provider.pubkey()));
    let assigned = wait_status(&address, JobStatus::Assigned);
    let (_, keeper_path) = wallet("keeper", 1);
    fails_with(&keeper_path, &["job", "expire", &address], "NotExpirable");

    time_travel(700);
    let vault = node().client().balance(&compute_market_client::pda::vault(&address.parse().unwrap())).unwrap();
    let client_before = node().client().balance(&client.pubkey()).unwrap();
    ok(&keeper_path, &["job", "expire", &address]);
    let expired = job(&address);
    assert!(expired.is(JobStatus::Expired));
    assert_eq!(expired.client_refund, assigned.client_refund + assigned.escrow, "everything comes back");
    assert!(vault > assigned.escrow, "the vault holds the escrow and its rent");
    assert_eq!(node().client().balance(&client.pubkey()).unwrap() - client_before, vault, "escrow and vault rent, all to the client");
    let record = node().client().provider(&provider.pubkey()).unwrap();
    assert_eq!((record.jobs_failed, record.active_jobs), (1, 0));
}

#[test]
fn the_matcher_explains_unmatched_jobs_in_words() {
    let _clock = shared_clock();
    let matcher = matcher_url();
    let (_, gpu_path) = wallet("gpu-owner", 10);
    ok(&gpu_path, &["provider", "register", "--gpus", "1", "--rate-gpu", "0.8", "--uri", "http://127.0.0.1:1/gpu"]);
    let (_, client_path) = wallet("explained-client", 10);
    let spec = node().folder.join("gpu.spec.json");
    std::fs::write(&spec, br#"{"version":1,"command":["nvidia-smi"]}"#).unwrap();
    let post_gpus = |gpus: &str, max: &str| -> Value {
        json(&client_path, &["job", "post", "--gpus", gpus, "--duration-secs", "600", "--max-price", max, "--spec", spec.to_str().unwrap()])
    };
    let four = post_gpus("4", "5");
    let one = post_gpus("1", "0.5");
    let why = |posted: &Value| {
        let address = posted["address"].as_str().unwrap();
        wait_for("an explanation", || {
            let answer = json(&client_path, &["job", "why", address, "--matcher", matcher]);
            let reason = answer["reason"].as_str().unwrap().to_string();
            (!reason.contains("has not looked")).then_some(reason)
        })
    };
    assert_eq!(why(&four), "no active provider offers 4 GPUs");
    assert_eq!(why(&one), "the cheapest fitting provider asks 0.8 SOL/h, above your 0.5");
    let text = ok(&client_path, &["job", "why", "1", "--matcher", matcher]);
    assert_eq!(text.trim(), format!("job 1 ({}): the cheapest fitting provider asks 0.8 SOL/h, above your 0.5", one["address"].as_str().unwrap()));
}

#[test]
fn the_agent_activates_its_provider_at_start_and_respects_a_later_pause() {
    let _clock = shared_clock();
    let (keypair, path) = register_provider("pausing", "2", "0.001");
    ok(&path, &["provider", "pause"]);
    let active = || node().client().provider(&keypair.pubkey()).unwrap().is_active();
    let agent = start_agent(&path, &node().folder.join("pausing-agent"), "pausing", &[]);
    wait_for("the agent to activate its provider", || active().then_some(()));
    ok(&path, &["provider", "pause"]);
    // Several passes (one a second) go by; the operator's pause stands.
    std::thread::sleep(std::time::Duration::from_secs(4));
    assert!(!active(), "{}", agent.output());
}
