//! The matcher as a service: rounds driven by program account changes (WebSocket) and a poll timer,
//! assignments sent as the market's matcher at the price it computed, and the explanations of unmatched
//! jobs served at `GET /jobs/<job address>/why` and `GET /unmatched`.
//!
//! A round reads the providers' bonds only when some open job asks for one: their free lamport bonds go
//! with the providers (`Candidate::bond`), their free token bonds into the `QuoteBook` beside the quotes.
//!
//! It remembers, while it runs, which provider had each assigned job: a job that comes back Open was
//! released by that provider (declined, or taken back by its client), and is not assigned to it again.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::Pubkey;
use compute_market::state::{Bond, JobStatus};
use compute_market_client::builders::{self, Pay};
use compute_market_client::explanations::Explanation;
use compute_market_client::filters::type_filters;
use compute_market_client::mints::MintTable;
use compute_market_client::watch::Wakeups;
use compute_market_client::{JobFilter, MarketClient, ProviderFilter};
use compute_market_endpoint::{Endpoint, Handler, Reply};
use serde_json::json;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::plan::{plan, Candidate, Decision, OpenJob};
use crate::quotes::QuoteBook;

pub struct MatcherConfig {
    pub rpc_url: String,
    pub ws_url: String,
    /// The market's matcher authority.
    pub keypair: Keypair,
    /// Where explanations are served; none serves nothing.
    pub listen: Option<SocketAddr>,
    /// Longest wait between rounds when no account change arrives.
    pub poll: Duration,
    /// Symbols for the tokens jobs are paid in, for its explanations (others are named by short address).
    pub mints: MintTable,
}

type Explanations = Arc<Mutex<HashMap<Pubkey, Explanation>>>;

pub struct Matcher {
    client: MarketClient,
    keypair: Keypair,
    explanations: Explanations,
    endpoint: Option<Endpoint>,
    memory: Mutex<Releases>,
    mints: MintTable,
}

/// Who had which job, and who released which.
#[derive(Debug, Default)]
pub struct Releases {
    /// Assigned jobs as last seen (or just assigned), with their provider.
    holders: HashMap<Pubkey, Pubkey>,
    /// Open jobs with the providers that released them.
    released: HashMap<Pubkey, Vec<Pubkey>>,
}

impl Releases {
    /// Takes in one round's view: jobs Open now that a provider held were released by it. Forgets jobs
    /// that are neither open nor assigned any more.
    pub fn observe(&mut self, open: &HashSet<Pubkey>, assigned: &HashMap<Pubkey, Pubkey>) {
        for (job, provider) in self.holders.drain() {
            if open.contains(&job) {
                let released = self.released.entry(job).or_default();
                if !released.contains(&provider) {
                    released.push(provider);
                }
            }
        }
        self.released.retain(|job, _| open.contains(job) || assigned.contains_key(job));
        self.holders = assigned.clone();
    }

    /// The matcher assigned `job` to `provider` this round.
    pub fn assigned(&mut self, job: Pubkey, provider: Pubkey) {
        self.holders.insert(job, provider);
    }

    pub fn released_by(&self, job: &Pubkey) -> Vec<Pubkey> {
        self.released.get(job).cloned().unwrap_or_default()
    }
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
            memory: Mutex::default(),
            mints: config.mints.clone(),
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
        let list = |status| self.client.list_jobs(&JobFilter { status: Some(status), ..Default::default() }).map_err(|e| e.to_string());
        // Assigned first: a job released between the two reads then shows in both, and counts as released.
        let assigned: HashMap<Pubkey, Pubkey> = list(JobStatus::Assigned)?.iter().map(|(address, job)| (*address, job.provider)).collect();
        let open = list(JobStatus::Open)?;
        let providers = self
            .client
            .list_providers(&ProviderFilter { active: Some(true), ..Default::default() })
            .map_err(|e| e.to_string())?;
        let mut memory = self.memory.lock().expect("matcher memory lock");
        memory.observe(&open.iter().map(|(address, _)| *address).collect(), &assigned);
        let jobs: Vec<OpenJob> = open.iter().map(|(address, job)| OpenJob::from_account(*address, job, memory.released_by(address))).collect();
        let mut candidates: Vec<Candidate> = providers.iter().filter(|(_, p)| p.retired == 0).map(|(_, p)| Candidate::from_account(p)).collect();
        let (mut quotes, token_programs) = if jobs.iter().any(|j| j.payment_mint.is_some()) {
            let mints = self.client.list_payment_mints().map_err(|e| e.to_string())?;
            let quotes = self.client.list_mint_quotes().map_err(|e| e.to_string())?;
            let programs: HashMap<Pubkey, Pubkey> = mints.iter().map(|m| (m.mint, m.token_program)).collect();
            (QuoteBook::from_accounts(&quotes, &mints, &self.mints), programs)
        } else {
            (QuoteBook::default(), HashMap::new())
        };
        if jobs.iter().any(OpenJob::is_bonded) {
            let bonds = self.client.list_bonds().map_err(|e| e.to_string())?;
            add_bonds(&bonds, &mut candidates, &mut quotes);
        }
        let decisions = plan(&jobs, &candidates, &quotes, market.is_paused());
        // A token job's mint always has its PaymentMint (post_job requires it), which names its token program.
        let pay_of: HashMap<Pubkey, Pay> = jobs
            .iter()
            .filter_map(|j| match j.payment_mint {
                None => Some((j.address, Pay::Lamports)),
                Some(mint) => token_programs.get(&mint).map(|program| (j.address, Pay::Token { mint, token_program: *program })),
            })
            .collect();

        let clients: HashMap<Pubkey, Pubkey> = jobs.iter().map(|j| (j.address, j.client)).collect();
        let mut round = Round { open: jobs.len(), ..Default::default() };
        let mut explained = HashMap::new();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        for decision in decisions {
            match decision {
                Decision::Assign { job, provider, .. } if !pay_of.contains_key(&job) => {
                    round.failed += 1;
                    let reason = format!("assigning it to provider {provider} needs its mint's PaymentMint, which the node did not list; the next round tries again");
                    explained.insert(job, Explanation { job: job.to_string(), reason, checked_at: now });
                }
                Decision::Assign { job, provider, price_per_hour, .. } => {
                    // The price the plan computed from the provider's rates (or quote) as read: a provider
                    // that raised them since is refused by the program (PriceChanged), and the next round re-reads.
                    let ix = builders::assign_job_in(&me, &clients[&job], &job, &provider, &pay_of[&job], price_per_hour);
                    match self.client.send(&[ix], &self.keypair, &[]) {
                        Ok(_) => {
                            round.assigned += 1;
                            memory.assigned(job, provider);
                        }
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

/// The providers' free bonds as read from the node: lamport bonds onto the providers, token bonds into
/// `quotes` (a bond in a token no open job is paid in is never read).
pub fn add_bonds(bonds: &[(Pubkey, Bond)], candidates: &mut [Candidate], quotes: &mut QuoteBook) {
    let lamports: HashMap<Pubkey, u64> = bonds.iter().filter(|(_, b)| b.is_lamports()).map(|(_, b)| (b.provider, b.free())).collect();
    for candidate in candidates.iter_mut() {
        candidate.bond = lamports.get(&candidate.authority).copied().unwrap_or(0);
    }
    for (_, bond) in bonds.iter().filter(|(_, b)| !b.is_lamports()) {
        quotes.add_bond(bond.provider, bond.mint, bond.free());
    }
}

/// How long a round took, for benchmarks.
pub fn time_plan(jobs: &[OpenJob], providers: &[Candidate], quotes: &QuoteBook) -> (Duration, Vec<Decision>) {
    let start = Instant::now();
    let decisions = plan(jobs, providers, quotes, false);
    (start.elapsed(), decisions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bond(provider: Pubkey, mint: Pubkey, held: u64, locked: u64, pending: u64) -> (Pubkey, Bond) {
        let tokens = Pubkey::default();
        (Pubkey::new_unique(), Bond { provider, mint, tokens, held, locked, pending, withdraw_at: 0, slashed: 0, jobs_locked: 0, bump: 0, _reserved: [0; 3] })
    }

    #[test]
    fn free_bonds_go_to_the_providers_and_the_quote_book() {
        let (a, b, usdc) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let provider = |authority| Candidate {
            authority,
            rates: Default::default(),
            capacity: Default::default(),
            free: Default::default(),
            reputation: 0,
            active_jobs: 0,
            assignment: 0,
            gpu_model: 0,
            vram_gb: 0,
            bond: 7,
        };
        let mut candidates = [provider(a), provider(b)];
        let mut quotes = QuoteBook::default();
        let bonds = [bond(a, Pubkey::default(), 1_000, 300, 200), bond(a, usdc, 50, 0, 10), bond(b, usdc, 40, 40, 0)];
        add_bonds(&bonds, &mut candidates, &mut quotes);
        assert_eq!((candidates[0].bond, candidates[1].bond), (500, 0), "held less locked and pending; none without a lamport bond");
        assert_eq!((quotes.bond_for(&a, &usdc), quotes.bond_for(&b, &usdc), quotes.bond_for(&b, &Pubkey::default())), (40, 0, 0));
    }

    #[test]
    fn a_job_open_again_was_released_by_the_provider_that_held_it() {
        let (job, other, provider, next) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let mut memory = Releases::default();
        memory.assigned(job, provider);
        memory.observe(&HashSet::new(), &HashMap::from([(job, provider), (other, next)]));
        assert!(memory.released_by(&job).is_empty(), "still assigned");
        memory.observe(&HashSet::from([job]), &HashMap::from([(other, next)]));
        assert_eq!(memory.released_by(&job), vec![provider]);
        // Assigned to the next one, released again: both are remembered, once each.
        memory.observe(&HashSet::new(), &HashMap::from([(job, next)]));
        memory.observe(&HashSet::from([job]), &HashMap::new());
        assert_eq!(memory.released_by(&job), vec![provider, next]);
        memory.assigned(job, provider);
        memory.observe(&HashSet::from([job]), &HashMap::new());
        assert_eq!(memory.released_by(&job), vec![provider, next]);
        // Settled or cancelled: forgotten.
        memory.observe(&HashSet::new(), &HashMap::new());
        assert!(memory.released_by(&job).is_empty());
        assert!(memory.released_by(&other).is_empty(), "the other was never open again");
    }
}
