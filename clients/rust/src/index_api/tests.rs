//! The API's answers parsed from canned JSON, its errors surfaced, and lists followed across pages
//! (against a throwaway HTTP server on the loopback interface).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use super::*;

const JOB: &str = r#"{"address":"Job1","client":"Cli1","provider":"Pro1","job_id":7,"mint":"11111111111111111111111111111111",
 "status":"completed","outcome":"accepted","requirements":{"cpu_cores":2,"ram_gb":4,"storage_gb":0,"gpus":0},
 "duration_secs":60,"max_price_per_hour":25000000000,"agreed_price_per_hour":20000040000,"escrow":0,"min_reputation":0,
 "target_provider":null,"spec_hash":"ab","fee_bps":250,"provider_payout":21666,"fee":555,"refund":416644445,"rating":5,
 "posted_at":1700000000,"assigned_at":1700000002,"started_at":1700000003,"submitted_at":1700000007,"settled_at":1700000009,
 "closed":false,"added_later":1}"#;

const PROVIDER: &str = r#"{"authority":"Pro1","account":"Acc1","capacity":{"cpu_cores":4,"ram_gb":16,"storage_gb":0,"gpus":0},
 "free":{"cpu_cores":2,"ram_gb":12,"storage_gb":0,"gpus":0},"rates":{"per_core":1000000,"per_gb_ram":10000,"per_gb_storage":0,"per_gpu":0},
 "metadata_uri":"http://p","assignment":2,"active":true,"retired":false,"reputation":5000,"jobs_assigned":3,"jobs_completed":2,
 "jobs_failed":1,"lamports_earned":21666,"registered_at":1699990000,"last_heartbeat_at":1700000100}"#;

#[test]
fn parses_jobs_providers_and_health() {
    let job: Job = parse("u", JOB).unwrap();
    assert_eq!((job.job_id, job.status.as_str(), job.outcome.as_deref()), (7, "completed", Some("accepted")));
    assert_eq!((job.provider_payout, job.fee, job.refund, job.rating), (21_666, 555, 416_644_445, Some(5)));
    assert_eq!(job.requirements, Resources { cpu_cores: 2, ram_gb: 4, storage_gb: 0, gpus: 0 });
    assert_eq!((job.target_provider.as_deref(), job.settled_at, job.closed), (None, Some(1_700_000_009), false));
    assert!(job.is_lamport_job());

    let provider: Provider = parse("u", PROVIDER).unwrap();
    assert_eq!((provider.assignment, provider.active, provider.retired, provider.reputation), (2, true, false, 5_000));
    assert_eq!((provider.free.cpu_cores, provider.rates.per_core, provider.lamports_earned), (2, 1_000_000, 21_666));

    let health: Health = parse("u", r#"{"status":"ok","program":"Prog","node_slot":120,"indexed_slot":118,"finalized_slot":90,
        "lag_slots":2,"caught_up_at":1700000000,"seconds_since_caught_up":3,"transactions":40,"events":55,"last_error":null}"#).unwrap();
    assert_eq!((health.status.as_str(), health.indexed_slot, health.lag_slots, health.last_error), ("ok", 118, 2, None));
}

#[test]
fn parses_the_three_kinds_of_stats() {
    let market: MarketStats = parse("u", r#"{"bucket":"day","from":1697414400,"to":1700006400,
        "totals":[{"mint":"11111111111111111111111111111111","jobs_posted":3,"jobs_assigned":2,"jobs_completed":1,"jobs_failed":0,
                   "jobs_cancelled":1,"jobs_disputed":0,"volume":22221,"fees":555,"refunds":9}],
        "series":[{"bucket_start":1699920000,"mint":"11111111111111111111111111111111","jobs_posted":3,"jobs_assigned":2,"jobs_completed":1,
                   "jobs_failed":0,"jobs_cancelled":1,"jobs_disputed":0,"volume":22221,"fees":555,"refunds":9}],
        "providers":{"registered":4,"active":3},"clients":2}"#).unwrap();
    assert_eq!((market.totals[0].bucket_start, market.totals[0].volume), (None, 22_221));
    assert_eq!(market.series[0].bucket_start, Some(1_699_920_000));
    assert_eq!((market.providers, market.clients), (ProviderCounts { registered: 4, active: 3 }, 2));

    let provider: ProviderStats = parse("u", &format!(r#"{{"provider":{PROVIDER},"bucket":"day","from":1699920000,"to":1700006400,
        "totals":{{"jobs_completed":2,"jobs_failed":1,"completion_rate_bps":6666,"earnings":[{{"mint":"M1","amount":5}}],
                  "busy_core_secs":8,"utilisation_bps":null,"uptime_bps":10000}},
        "series":[{{"bucket_start":1699920000,"jobs_completed":2,"jobs_failed":1,"completion_rate_bps":6666,
                   "earnings":[{{"mint":"M1","amount":5}}],"busy_core_secs":8,"utilisation_bps":1,"heartbeats":12,"up":true}}]}}"#)).unwrap();
    assert_eq!(provider.totals.earnings, vec![Amount { mint: "M1".into(), amount: 5 }]);
    assert_eq!((provider.totals.completion_rate_bps, provider.totals.utilisation_bps, provider.totals.uptime_bps), (Some(6_666), None, 10_000));
    assert_eq!((provider.series[0].heartbeats, provider.series[0].up), (12, true));

    let client: ClientStats = parse("u", r#"{"client":{"authority":"Cli1","profile":"Prof1","jobs_posted":2,"jobs_completed":1,
        "jobs_cancelled":1,"jobs_expired":0,"jobs_disputed":0,"lamports_spent":22221,"registered_at":1699990000},
        "bucket":"hour","from":1699999200,"to":1700002800,
        "totals":{"jobs_posted":2,"jobs_completed":1,"spent":[{"mint":"11111111111111111111111111111111","amount":22221}],"fees":[],"refunded":[]},
        "series":[{"bucket_start":1699999200,"jobs_posted":2,"jobs_completed":1,"spent":[],"fees":[],"refunded":[]}]}"#).unwrap();
    assert_eq!((client.client.lamports_spent, client.totals.spent[0].amount, client.series.len()), (22_221, 22_221, 1));
}

#[test]
fn a_body_that_breaks_the_contract_says_where() {
    let error = parse::<Job>("http://h/jobs/J", r#"{"address":"J"}"#).unwrap_err();
    assert!(matches!(&error, IndexApiError::Malformed { url, message } if url == "http://h/jobs/J" && message.contains("missing field")), "{error}");
}

#[test]
fn server_errors_keep_their_message() {
    let bad = error_for(400, "http://h/jobs?status=x", r#"{"error":"status: not a job status","parameter":"status"}"#);
    assert_eq!(bad, IndexApiError::BadParameter { parameter: Some("status".into()), message: "status: not a job status".into() });
    assert_eq!(bad.to_string(), "the index API refused the request: status: not a job status");
    let missing = error_for(404, "http://h/jobs/J", r#"{"error":"no job J"}"#);
    assert_eq!(missing.to_string(), "not in the index: no job J");
    let broken = error_for(502, "http://h/health", "Bad Gateway\n");
    assert_eq!(broken.to_string(), "the index API answered 502 for http://h/health: Bad Gateway");
    assert_eq!(error_for(500, "u", "").to_string(), "the index API answered 500 for u: no message");
}

/// Serves `answers` in turn, one connection each, and records the request targets it was asked.
fn serve(answers: Vec<(u16, String)>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = asked.clone();
    std::thread::spawn(move || {
        for (status, body) in answers {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            record.lock().unwrap().push(request_line.split_whitespace().nth(1).unwrap().to_string());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            let reply = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            stream.write_all(reply.as_bytes()).unwrap();
        }
    });
    (base, asked)
}

fn job_page(ids: &[u64], next: Option<&str>) -> String {
    let items: Vec<String> = ids.iter().map(|id| JOB.replace("\"job_id\":7", &format!("\"job_id\":{id}"))).collect();
    format!(r#"{{"items":[{}],"next_cursor":{}}}"#, items.join(","), next.map(|c| format!("\"{c}\"")).unwrap_or("null".into()))
}

#[test]
fn lists_follow_the_cursor_up_to_the_limit() {
    let (base, asked) = serve(vec![(200, job_page(&[9, 8], Some("c/1"))), (200, job_page(&[7, 6], Some("c2")))]);
    let api = IndexApi::new(&base).unwrap();
    let jobs = api.jobs(&JobQuery { client: Some("Cli1".into()), ..Default::default() }, 3).unwrap();
    assert_eq!(jobs.iter().map(|j| j.job_id).collect::<Vec<_>>(), vec![9, 8, 7]);
    assert_eq!(*asked.lock().unwrap(), vec!["/jobs?client=Cli1&limit=3".to_string(), "/jobs?client=Cli1&limit=1&cursor=c%2F1".to_string()]);
}

#[test]
fn a_list_ends_where_the_server_says() {
    let (base, asked) = serve(vec![(200, job_page(&[2, 1], None))]);
    let jobs = IndexApi::new(&base).unwrap().jobs(&JobQuery::default(), 100).unwrap();
    assert_eq!(jobs.len(), 2);
    assert_eq!(*asked.lock().unwrap(), vec!["/jobs?limit=100".to_string()]);
}

#[test]
fn a_refusal_reaches_the_caller_in_the_servers_words() {
    let (base, _) = serve(vec![(400, r#"{"error":"min_reputation: at most 10000","parameter":"min_reputation"}"#.into())]);
    let error = IndexApi::new(&base).unwrap().providers(&ProviderQuery { min_reputation: Some(10_001), ..Default::default() }, 5).unwrap_err();
    assert_eq!(error.to_string(), "the index API refused the request: min_reputation: at most 10000");
}

#[test]
fn nothing_listening_is_said_with_the_address() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let error = IndexApi::new(&base).unwrap().health().unwrap_err();
    assert!(matches!(&error, IndexApiError::Unreachable { base: b, .. } if *b == base), "{error}");
    assert!(IndexApi::new("not a url").is_err());
}
