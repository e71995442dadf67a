//! The indexer against a real node: killed mid-backfill and mid-follow, the node unreachable for a while,
//! foreign and failed transactions, PostgreSQL stopped and started; after each the database equals an index
//! built from scratch.

mod harness;

use std::time::Duration;

use compute_market_indexer::store::Store;
use compute_market_localnet::workload::Workload;
use harness::*;

#[test]
fn killed_mid_backfill_and_mid_follow_it_resumes_to_the_from_scratch_index() {
    let Some(node) = node_with_events("idx-kill") else { return };
    let mut workload = Workload::start(node.client()).expect("workload");
    let mut lives = Vec::new();
    for rating in [Some(5), None, Some(3)] {
        lives.push(workload.job_life(rating).expect("a job life"));
    }
    workload.post_and_cancel(700).expect("bulk traffic");
    let total = program_signatures(&node.node.rpc_url);
    assert!(total > 1_400, "{total} program transactions");

    let database = sqlite_url(&node, "killed");
    let mut indexer = IndexerProcess::start(&node.node.rpc_url, &database);
    let applied = wait_for(|| {
        let n = block_on(count(&database, "transactions"));
        (n > 0).then_some(n)
    });
    indexer.kill();
    assert!(applied < total, "killed mid-backfill: {applied} of {total} applied");

    let mut indexer = IndexerProcess::start(&node.node.rpc_url, &database);
    wait_for(|| (block_on(count(&database, "transactions")) == total).then_some(()));
    // More traffic while it follows, killed in the middle of it.
    let sender = std::thread::spawn(move || {
        workload.post_and_cancel(400).expect("traffic while following");
        workload
    });
    wait_for(|| (block_on(count(&database, "transactions")) > total).then_some(()));
    indexer.kill();
    let mut workload = sender.join().expect("sender");
    lives.push(workload.job_life(Some(4)).expect("a job life after the kill"));
    let total = program_signatures(&node.node.rpc_url);
    assert!(block_on(count(&database, "transactions")) < total, "killed mid-follow");

    let mut indexer = IndexerProcess::start(&node.node.rpc_url, &database);
    wait_for(|| (block_on(count(&database, "transactions")) == total).then_some(()));
    indexer.kill();

    let fresh = sqlite_url(&node, "fresh");
    index_from_scratch(&node.node.rpc_url, &fresh);
    assert_same_index(&block_on(snapshot(&database)), &block_on(snapshot(&fresh)));
    // What the index derived is what happened: 4 completed lives, 1,100 cancelled posts.
    let jobs = block_on(rows(&database, "SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status"));
    assert_eq!(jobs, vec!["cancelled|1100", "completed|4"]);
    // Spent: what the completed jobs' accounts say they paid, provider and fee.
    let paid: u64 = lives
        .iter()
        .map(|job| node.client().job(job).expect("the job's account"))
        .map(|job| job.provider_payout + job.fee)
        .sum();
    let client = block_on(rows(&database, "SELECT SUM(jobs_posted), SUM(jobs_completed), SUM(jobs_cancelled), SUM(lamports_spent) FROM clients"));
    assert_eq!(client, vec![format!("1104|4|1100|{paid}")]);
}

#[test]
fn the_node_unreachable_for_a_while_loses_nothing() {
    let Some(node) = node_with_events("idx-proxy") else { return };
    let mut workload = Workload::start(node.client()).expect("workload");
    let proxy = Proxy::start(&node.node.rpc_url);
    let database = sqlite_url(&node, "proxied");
    let mut indexer = IndexerProcess::start(&proxy.url(), &database);
    workload.job_life(Some(5)).expect("a job life");
    wait_for(|| (block_on(count(&database, "events")) >= 7).then_some(()));

    proxy.cut();
    workload.job_life(None).expect("a job life while the node is unreachable");
    workload.post_and_cancel(50).expect("traffic while unreachable");
    std::thread::sleep(Duration::from_secs(3));
    let during = block_on(count(&database, "transactions"));
    proxy.restore();
    let total = program_signatures(&node.node.rpc_url);
    assert!(during < total, "nothing arrives while the node is unreachable");
    wait_for(|| (block_on(count(&database, "transactions")) == total).then_some(()));
    indexer.kill();

    let fresh = sqlite_url(&node, "proxied-fresh");
    index_from_scratch(&node.node.rpc_url, &fresh);
    assert_same_index(&block_on(snapshot(&database)), &block_on(snapshot(&fresh)));
}

#[test]
fn foreign_and_failed_transactions_move_nothing_and_say_why() {
    let Some(node) = node_with_events("idx-foreign") else { return };
    let mut workload = Workload::start(node.client()).expect("workload");
    let job = workload.job_life(Some(5)).expect("a job life");
    // A transfer to the program's address: a transaction of the program's address that is not the program's.
    let foreign = send_transfer_to_program(&node);
    // A failed transaction of the program: cancelling a completed job.
    let failed = send_failing_cancel(&node, &workload, &job);
    let database = sqlite_url(&node, "foreign");
    index_from_scratch(&node.node.rpc_url, &database);
    let recorded = block_on(rows(
        &database,
        &format!("SELECT signature, failed, events FROM transactions WHERE signature IN ('{foreign}', '{failed}') ORDER BY failed"),
    ));
    assert_eq!(recorded, vec![format!("{foreign}|0|0"), format!("{failed}|1|0")]);
    let events = block_on(rows(&database, &format!("SELECT COUNT(*) FROM events WHERE signature IN ('{foreign}', '{failed}')")));
    assert_eq!(events, vec!["0"]);
    let status = block_on(rows(&database, &format!("SELECT status FROM jobs WHERE address = '{job}'")));
    assert_eq!(status, vec!["completed"]);
}

#[test]
fn a_database_of_another_chain_is_refused_by_name() {
    let Some(first) = node_with_events("idx-chain-a") else { return };
    Workload::start(first.client()).expect("workload");
    let database = sqlite_url(&first, "chain");
    index_from_scratch(&first.node.rpc_url, &database);
    let genesis = block_on(async { Store::open(&database).await.unwrap().meta("genesis_hash").await.unwrap() });
    block_on(async {
        let store = Store::open(&database).await.unwrap();
        store.set_meta("genesis_hash", "another-chain").await.unwrap();
        let error = ingest_once(&first.node.rpc_url, store).await.expect_err("refused");
        assert_eq!(
            error,
            format!("the database indexes genesis_hash another-chain, not {}; use another database", genesis.unwrap())
        );
    });
}

#[test]
fn postgresql_stopped_and_started_under_it_loses_nothing() {
    let Some(server) = Postgres::from_env() else {
        eprintln!("SKIPPED: INDEXER_TEST_POSTGRES_URL is not set (make test sets it)");
        return;
    };
    let Some(node) = node_with_events("idx-pg") else { return };
    let mut workload = Workload::start(node.client()).expect("workload");
    let database = server.fresh_database("pg_restart");
    let mut indexer = IndexerProcess::start(&node.node.rpc_url, &database);
    workload.job_life(Some(5)).expect("a job life");
    wait_for(|| (block_on(count(&database, "events")) >= 7).then_some(()));

    server.stop();
    workload.job_life(Some(2)).expect("a job life while the database is down");
    workload.post_and_cancel(100).expect("traffic while the database is down");
    std::thread::sleep(Duration::from_secs(3));
    server.start();
    let total = program_signatures(&node.node.rpc_url);
    wait_for(|| (block_on(count(&database, "transactions")) == total).then_some(()));
    indexer.kill();

    // The same index, built from scratch in SQLite: one schema, the same rows in both databases.
    let fresh = sqlite_url(&node, "pg-fresh");
    index_from_scratch(&node.node.rpc_url, &fresh);
    assert_same_index(&block_on(snapshot(&database)), &block_on(snapshot(&fresh)));
}
