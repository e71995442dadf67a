//! The matcher as a service: rounds driven by program account changes (WebSocket) and a poll timer,
//! assignments sent as the market's matcher, and the explanations of unmatched jobs served at
//! `GET /jobs/<job address>/why` and `GET /unmatched`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::Pubkey;
use compute_market::state::JobStatus;
use compute_market_client::builders::{self, Pay};
use compute_market_client::explanations::Explanation;
use compute_market_client::filters::type_filters;
use compute_market_client::watch::Wakeups;
use compute_market_client::{JobFilter, MarketClient, ProviderFilter};
use compute_market_endpoint::{Endpoint, Handler, Reply};
use serde_json::json;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::plan::{plan, Candidate, Decision, OpenJob};

pub struct MatcherConfig {
    pub rpc_url: String,
    pub ws_url: String,
    /// The market's matcher authority.
    pub keypair: Keypair,
    /// Where explanations are served; none serves nothing.
    pub listen: Option<SocketAddr>,
    /// Longest wait between rounds when no account change arrives.
    pub poll: Duration,
}

type Explanations = Arc<Mutex<HashMap<Pubkey, Explanation>>>;

pub struct Matcher {
    client: MarketClient,
    keypair: Keypair,
    explanations: Explanations,
    endpoint: Option<Endpoint>,
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub open: usize,
    pub assigned: usize,
    pub failed: usize,
}

impl Matcher {
    pub fn new(config: &MatcherConfig) -> Result<Matcher, String> {
        let explanations: Explanations = Arc::default();
        let endpoint = match config.listen {
            Some(address) => Some(Endpoint::serve(address, handler(explanations.clone()))?),
            None => None,
        };
        Ok(Matcher {
            client: MarketClient::new(&config.rpc_url),
            keypair: config.keypair.insecure_clone(),
            explanations,
            endpoint,
        })
    }

    /// The URL explanations are served at, if any.
    pub fn endpoint_url(&self) -> Option<String> {
        self.endpoint.as_ref().map(Endpoint::url)
    }

    /// Runs rounds until the process ends.
    pub fn run(&self, config: &MatcherConfig) -> ! {
        let wakeups = Wakeups::subscribe(&config.ws_url, type_filters::<compute_market::state::Job>(), "matcher");
        loop {
            match self.round() {
                Ok(round) if round.assigned + round.failed > 0 => {
                    println!("matcher: {} open, {} assigned, {} failed to send", round.open, round.assigned, round.failed)
                }
                Ok(_) => {}
                Err(error) => eprintln!("matcher: round failed: {error}"),
            }
            wakeups.wait(config.poll);
        }
    }

    /// One round: read, decide, assign, explain.
    pub fn round(&self) -> Result<Round, String> {
        let market = self.client.market().map_err(|e| e.to_string())?;
        let me = self.keypair.pubkey();
        if !market.is_matcher(&me) {
            return Err(format!("{me} is not the market's matcher; the market names {}", market.matcher));
        }
        let open = self
            .client
            .list_jobs(&JobFilter { status: Some(JobStatus::Open), ..Default::default() })
            .map_err(|e| e.to_string())?;
        let providers = self
            .client
            .list_providers(&ProviderFilter { active: Some(true), ..Default::default() })
            .map_err(|e| e.to_string())?;
        let jobs: Vec<OpenJob> = open.iter().map(|(address, job)| OpenJob::from_account(*address, job)).collect();
        let candidates: Vec<Candidate> = providers.iter().map(|(_, p)| Candidate::from_account(p)).collect();
        let decisions = plan(&jobs, &candidates, market.is_paused());

        let clients: HashMap<Pubkey, Pubkey> = jobs.iter().map(|j| (j.address, j.client)).collect();
        let mut round = Round { open: jobs.len(), ..Default::default() };
        let mut explained = HashMap::new();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        for decision in decisions {
            match decision {
                Decision::Assign { job, provider, .. } => {
                    let ix = builders::assign_job_in(&me, &clients[&job], &job, &provider, &Pay::Lamports);
                    match self.client.send(&[ix], &self.keypair, &[]) {
                        Ok(_) => round.assigned += 1,
                        Err(error) => {
                            round.failed += 1;
                            let reason = format!("assigning it to provider {provider} failed ({error}); the next round tries again");
                            explained.insert(job, Explanation { job: job.to_string(), reason, checked_at: now });
                        }
                    }
                }
                Decision::Leave { job, why } => {
                    explained.insert(job, Explanation { job: job.to_string(), reason: why.to_string(), checked_at: now });
                }
            }
        }
        *self.explanations.lock().expect("explanations lock") = explained;
        Ok(round)
    }

    /// Why `job` was left open in the last round, if it was.
    pub fn explanation(&self, job: &Pubkey) -> Option<Explanation> {
        self.explanations.lock().expect("explanations lock").get(job).cloned()
    }
}

fn handler(explanations: Explanations) -> Handler {
    Arc::new(move |path: &str| {
        let explanations = explanations.lock().expect("explanations lock");
        if path == "/unmatched" {
            let all: Vec<&Explanation> = explanations.values().collect();
            return Reply::json(200, &json!(all));
        }
        let job = path.strip_prefix("/jobs/").and_then(|rest| rest.strip_suffix("/why"));
        match job.map(|text| text.parse::<Pubkey>()) {
            Some(Ok(job)) => match explanations.get(&job) {
                Some(e) => Reply::json(200, &json!(e)),
                None => Reply::not_found(&format!("the matcher's last round did not leave job {job} open")),
            },
            Some(Err(_)) => Reply::json(400, &json!({ "error": "not a job address" })),
            None => Reply::not_found("try /jobs/<job address>/why or /unmatched"),
        }
    })
}

/// How long a round took, for benchmarks.
pub fn time_plan(jobs: &[OpenJob], providers: &[Candidate]) -> (Duration, Vec<Decision>) {
    let start = Instant::now();
    let decisions = plan(jobs, providers, false);
    (start.elapsed(), decisions)
}
