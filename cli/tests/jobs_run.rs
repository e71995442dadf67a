//! Jobs that run: the matcher assigns, the provider agent verifies, starts, runs a real command and
//! delivers a result the client downloads and verifies; restarts, absences, bad specs (declined) and
//! jobs taken back; and the matcher's explanations, word for word. Everything through the `cmkt` binary
//! against a local node.

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
    // paying fees from the provider's wallet meanwhile). The fee waits on the provider account.
    let treasury = node().client().market().unwrap().treasury.to_string();
    let provider_account = compute_market_client::pda::provider(&provider).to_string();
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
    assert_eq!(changes[&provider_account], i128::from(paid.fee), "set aside for the treasury");
    assert_eq!(changes.get(&treasury).copied().unwrap_or_default(), 0, "settlement never writes the treasury");
    assert_eq!(node().client().provider(&provider).unwrap().fees_owed, paid.fee);
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
fn a_spec_that_does_not_match_its_hash_is_refused_declined_and_never_assigned_there_again() {
    let _clock = shared_clock();
    let matcher = matcher_url();
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
    wait_for("the agent to decline the job", || agent.output().contains(&format!("declined job {address}")).then_some(()));
    let log = agent.output();
    assert!(log.contains(&format!("refusing job {address}")), "{log}");
    assert!(log.contains("the spec's sha256 is"), "{log}");
    assert!(log.contains("nothing was run"), "{log}");
    let open = job(&address);
    assert!(open.is(JobStatus::Open), "given back, never started");
    assert_eq!(open.provider, anchor_lang::prelude::Pubkey::default());
    let record = node().client().provider(&provider).unwrap();
    assert_eq!((record.active_jobs, record.jobs_failed, record.free), (0, 0, record.capacity), "no cost to the provider");
    // The matcher remembers who gave it back, and says so instead of assigning it there again.
    let why = wait_for("the matcher to explain the declined job", || {
        let answer = json(&client_path, &["job", "why", &address, "--matcher", matcher]);
        Some(answer["reason"].as_str().unwrap().to_string()).filter(|reason| reason.contains("released"))
    });
    assert_eq!(
        why,
        format!("the provider you reserved it for ({provider}) released it (declined it, or did not start it in time), so the matcher does not assign it there again; cancel it and post it again for another provider")
    );
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert!(job(&address).is(JobStatus::Open), "several rounds later, still open");
    assert_eq!(agent.output().matches(&format!("refusing job {address}")).count(), 1, "{}", agent.output());
    assert!(!marker.exists(), "the command never ran");
    assert!(!workdir.join("jobs").join(&address).exists());
}

#[test]
fn a_spec_that_cannot_be_fetched_is_declined_once_the_agents_patience_runs_out() {
    let _clock = shared_clock();
    matcher_url();
    let (provider, provider_path) = register_provider("patient", "4", "0.001");
    let workdir = node().folder.join("patient-agent");
    let agent = start_agent(&provider_path, &workdir, "patient", &["--spec-patience-secs", "3"]);
    let (_, client_path) = wallet("patient-client", 10);
    let hashed = node().folder.join("patient-hashed.json");
    std::fs::write(&hashed, spec_writing("patient", 0)).unwrap();
    let nowhere = format!("file://{}", node().folder.join("patient-nowhere.json").display());
    let target = provider.pubkey().to_string();
    let posted = json(&client_path, &["job", "post", "--cores", "2", "--ram-gb", "1", "--duration-secs", "3600", "--max-price", "0.01",
        "--spec", hashed.to_str().unwrap(), "--spec-uri", &nowhere, "--target-provider", &target]);
    let address = posted["address"].as_str().unwrap().to_string();
    wait_for("the agent to give up on the spec and decline the job", || agent.output().contains(&format!("declined job {address}")).then_some(()));
    let log = agent.output();
    assert!(log.contains(&format!("job {address}: cannot fetch its spec")) && log.contains("declining it"), "{log}");
    assert!(log.contains("trying again on the next pass"), "it tried more than once first: {log}");
    assert!(!log.contains("started job") && !log.contains("refusing job"), "{log}");
    assert!(!workdir.join("journal").join(format!("{address}.json")).exists(), "an unreachable spec is not a refusal on record");
    assert!(job(&address).is(JobStatus::Open));
    let record = node().client().provider(&provider.pubkey()).unwrap();
    assert_eq!((record.active_jobs, record.jobs_failed), (0, 0));
}

#[test]
fn the_agent_withdraws_earnings_once_its_wallet_can_receive_them() {
    let _clock = shared_clock();
    matcher_url();
    let (provider, provider_path, agent, _) = provider_with_agent("thrifty");
    let (_, client_path) = wallet("thrifty-client", 10);
    let (address, _) = post(&client_path, "thrifty", &spec_writing("thrifty", 2), Some(&provider));
    wait_status(&address, JobStatus::Submitted);
    // The wallet walks away with everything: the payout cannot be credited to it now.
    drain(&compute_market_client::keypair_file::read_keypair(&provider_path).unwrap());
    ok(&client_path, &["job", "complete", &address]);
    let paid = job(&address);
    assert!(paid.provider_payout > 0, "seconds of work were paid");
    assert_eq!(lamports(&provider), 0);
    assert_eq!(node().client().provider(&provider).unwrap().earnings_owed, paid.provider_payout);
    wait_for("the agent to say what the wallet lacks", || agent.output().contains(&format!("{} lamports of earnings wait on the provider account", paid.provider_payout)).then_some(()));
    assert_eq!(node().client().provider(&provider).unwrap().earnings_owed, paid.provider_payout, "nothing was sent that could not land");

    node().client().airdrop(&provider, 1_000_000).unwrap();
    wait_for("the agent to withdraw", || agent.output().contains(&format!("withdrew {} lamports of earnings", paid.provider_payout)).then_some(()));
    assert_eq!(node().client().provider(&provider).unwrap().earnings_owed, 0);
    assert_eq!(lamports(&provider), 1_000_000 - 5_000 + paid.provider_payout, "the earnings, less one signature's fee");
}

#[test]
fn a_job_whose_agent_never_comes_back_expires_or_is_taken_back_by_its_client() {
    let _clock = clock().write().unwrap_or_else(|poisoned| poisoned.into_inner());
    let matcher = matcher_url();
    let (provider, _) = register_provider("vanished", "4", "0.001");
    let (client, client_path) = wallet("vanished-client", 10);
    let (address, _) = post(&client_path, "vanished", &spec_writing("never", 0), Some(&provider.pubkey()));
    let (taken, _) = post(&client_path, "taken-back", &spec_writing("never", 0), Some(&provider.pubkey()));
    let assigned = wait_status(&address, JobStatus::Assigned);
    let held = wait_status(&taken, JobStatus::Assigned);
    let (_, keeper_path) = wallet("keeper", 1);
    fails_with(&keeper_path, &["job", "expire", &address], "NotExpirable");
    fails_with(&client_path, &["job", "take-back", &taken], "you can take it back in");

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
    assert_eq!((record.jobs_failed, record.active_jobs), (1, 1));

    // The other job: its client takes it back (no failure counted), and the matcher leaves it alone.
    let client_before = node().client().balance(&client.pubkey()).unwrap();
    ok(&client_path, &["job", "take-back", &taken]);
    assert_eq!(node().client().balance(&client.pubkey()).unwrap(), client_before - 5_000, "only the signature's fee");
    let reopened = job(&taken);
    assert!(reopened.is(JobStatus::Open));
    assert_eq!(reopened.escrow, held.escrow);
    let record = node().client().provider(&provider.pubkey()).unwrap();
    assert_eq!((record.jobs_failed, record.active_jobs, record.free), (1, 0, record.capacity));
    wait_for("the matcher to explain the job taken back", || {
        let answer = json(&client_path, &["job", "why", &taken, "--matcher", matcher]);
        answer["reason"].as_str().unwrap().contains(&format!("({}) released it", provider.pubkey())).then_some(())
    });
    assert!(job(&taken).is(JobStatus::Open), "not assigned to the same provider again");
    // Cancelled: the escrow and both accounts' rent come back.
    let taken_key = taken.parse().unwrap();
    let (job_rent, vault_lamports) = (node().client().balance(&taken_key).unwrap(), node().client().balance(&compute_market_client::pda::vault(&taken_key)).unwrap());
    let signature = signature_of(&ok(&client_path, &["job", "cancel", &taken]));
    assert_eq!(balance_changes(&signature)[&client.pubkey().to_string()], i128::from(job_rent + vault_lamports) - 5_000);
    assert!(vault_lamports > held.escrow);
}

#[test]
fn the_matcher_explains_unmatched_jobs_in_words() {
    let _clock = shared_clock();
    let matcher = matcher_url();
    // A GPU provider that takes no jobs from the matcher (nor from clients) at first.
    let (gpu, gpu_path) = wallet("gpu-owner", 10);
    // GPUs must say what they are, before anything is sent.
    fails_with(&gpu_path, &["provider", "register", "--gpus", "1", "--rate-gpu", "0.8", "--uri", "http://127.0.0.1:1/gpu"], "1 GPUs need their model: --gpu-model (one of");
    ok(&gpu_path, &["provider", "register", "--gpus", "1", "--gpu-model", "A100-80GB", "--rate-gpu", "0.8", "--uri", "http://127.0.0.1:1/gpu"]);
    let shown = json(&gpu_path, &["provider", "show"]);
    assert_eq!((shown["gpus"].as_str(), shown["gpu_model"].as_u64(), shown["vram_gb"].as_u64()), (Some("1 x A100-80GB (80 GB)"), Some(0x0202), Some(80)));
    let (_, client_path) = wallet("explained-client", 10);
    let spec = node().folder.join("gpu.spec.json");
    std::fs::write(&spec, br#"{"version":1,"command":["nvidia-smi"]}"#).unwrap();
    let post_gpus = |gpus: &str, max: &str, secs: &str| -> Value {
        json(&client_path, &["job", "post", "--gpus", gpus, "--duration-secs", secs, "--max-price", max, "--spec", spec.to_str().unwrap()])
    };
    let needs = |extra: &[&str]| -> Value {
        let mut args = vec!["job", "post", "--gpus", "1", "--duration-secs", "600", "--max-price", "5", "--spec", spec.to_str().unwrap()];
        args.extend(extra);
        json(&client_path, &args)
    };
    let h100 = needs(&["--gpu-family", "H100"]);
    assert_eq!(h100["gpu_needs"], "H100 family");
    let big = needs(&["--min-vram-gb", "96"]);
    fails_with(&client_path, &["job", "post", "--cores", "1", "--min-vram-gb", "8", "--hours", "1", "--max-price", "1", "--spec-uri", "data:,x"], "GPU needs (--min-vram-gb, --gpu-family, --gpu-model) are for jobs that ask for --gpus");
    let four = post_gpus("4", "5", "600");
    let one = post_gpus("1", "0.5", "600");
    // A whole hour: the escrow left after assignment then covers exactly the provider's price again.
    let fits = post_gpus("1", "1", "3600");
    let why = |posted: &Value, not: &str| {
        let address = posted["address"].as_str().unwrap();
        wait_for("an explanation", || {
            let answer = json(&client_path, &["job", "why", address, "--matcher", matcher]);
            let reason = answer["reason"].as_str().unwrap().to_string();
            (!reason.contains("has not looked") && !reason.contains(not)).then_some(reason)
        })
    };
    assert_eq!(why(&four, "-"), "no active provider offers 4 GPUs");
    assert_eq!(why(&h100, "-"), "no active provider's GPUs meet your needs (H100 family)");
    assert_eq!(why(&big, "-"), "no active provider's GPUs meet your needs (at least 96 GB)");
    assert_eq!(why(&one, "-"), "the cheapest fitting provider asks 0.8 SOL/h, above your 0.5");
    let text = ok(&client_path, &["job", "why", "3", "--matcher", matcher]);
    assert_eq!(text.trim(), format!("job 3 ({}): the cheapest fitting provider asks 0.8 SOL/h, above your 0.5", one["address"].as_str().unwrap()));
    assert_eq!(
        why(&fits, "-"),
        format!("provider {} fits within your price but has not opted in to assignment by the matcher: it takes the job only by accepting it itself", gpu.pubkey())
    );
    let fits = fits["address"].as_str().unwrap().to_string();
    fails_with(&client_path, &["job", "assign", &fits, "--provider", &gpu.pubkey().to_string()], "takes no jobs from clients (assigned by: itself only)");

    // Opted in, the matcher assigns it; declined, it is open again and stays so.
    ok(&gpu_path, &["provider", "update", "--allow-matcher-assignment", "--allow-client-assignment"]);
    assert_eq!(wait_status(&fits, JobStatus::Assigned).provider, gpu.pubkey());
    ok(&gpu_path, &["job", "decline", &fits]);
    assert_eq!(
        why(&json(&client_path, &["job", "show", &fits]), "has not opted in"),
        format!("every provider that could take it released it before ({} among them), so the matcher does not assign it to them again", gpu.pubkey())
    );
    assert!(job(&fits).is(JobStatus::Open));
    // Its client may still choose it, now that it takes jobs from clients: at its price as read now.
    ok(&client_path, &["job", "assign", &fits, "--provider", &gpu.pubkey().to_string()]);
    let assigned = job(&fits);
    assert_eq!((assigned.provider, assigned.agreed_price_per_hour), (gpu.pubkey(), 800_000_000));
    ok(&gpu_path, &["job", "decline", &fits]);
    ok(&client_path, &["job", "cancel", &fits]);
    for unmet in [&h100, &big] {
        ok(&client_path, &["job", "cancel", unmet["address"].as_str().unwrap()]);
    }
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

#[test]
fn a_job_extended_while_it_runs_gets_the_time_its_client_paid_for() {
    let _clock = shared_clock();
    matcher_url();
    let (provider, _, agent, _) = provider_with_agent("extended");
    let (client, client_path) = wallet("extended-client", 10);
    // A minute's job whose command needs 75 s: without more time the agent would stop it at 60 s.
    let spec = r#"{"version":1,"command":["sh","-c","sleep 75; echo done > out.txt"],"outputs":["out.txt"]}"#;
    let (address, _) = post_with(&client_path, "extended", spec, Some(&provider), &["--cores", "2", "--ram-gb", "1", "--duration-secs", "60"]);
    let running = wait_status(&address, JobStatus::Running);

    let output = ok(&client_path, &["job", "extend", &address, "--secs", "60"]);
    let extended = job(&address);
    let added = compute_market::math::pricing::cost_for(running.agreed_price_per_hour, 120).unwrap() - running.escrow;
    assert_eq!((extended.duration_secs, extended.escrow), (120, running.escrow + added));
    assert_eq!(extended.run_deadline, running.run_deadline + 60);
    let changes = balance_changes(&signature_of(&output));
    assert_eq!(changes[&client.pubkey().to_string()], -i128::from(added) - 5_000, "the added minute and one signature's fee");
    assert_eq!(changes[&compute_market_client::pda::vault(&address.parse().unwrap()).to_string()], i128::from(added));

    let submitted = wait_status_within(&address, JobStatus::Submitted, 150);
    assert!(submitted.submitted_at >= submitted.started_at + 75, "ran its 75 s");
    let out = node().folder.join("extended-result");
    let result = json(&client_path, &["job", "result", &address, "--out", out.to_str().unwrap()]);
    assert_eq!((result["exit_code"].as_i64(), result["timed_out"].as_bool()), (Some(0), Some(false)), "{result}");
    assert_eq!(std::fs::read_to_string(out.join("out.txt")).unwrap(), "done\n");
    assert!(agent.output().contains(&format!("agent: job {address} was extended by 60 s")), "{}", agent.output());

    // Past its deadline a job cannot grow; the refusal names why, and nothing is sent.
    let refused = cmkt(&client_path, &["job", "extend", &address, "--hours", "1"]);
    assert!(!refused.ok && refused.stderr.contains("is Submitted; only an Assigned or Running job can be extended"), "{}", refused.stderr);
}
