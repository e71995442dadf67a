//! The agent's loop. Each pass reads the provider and its jobs from the node and moves every job one
//! step: verify and start the assigned ones (declining, at no cost to the provider's reputation, those
//! whose spec does not verify or cannot be read in time), run (or, after a restart, re-run) the started
//! ones, submit finished results; withdraw earnings the provider account holds once the wallet can
//! receive them; then, with a policy, accept open jobs that fit. Passes run on every change the
//! WebSocket subscription reports and at least every poll interval.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::Pubkey;
use compute_market::instructions::UpdateProviderArgs;
use compute_market::state::{Job, JobStatus, Provider, Resources};
use compute_market_client::builders::{self, Pay};
use compute_market_client::bundle::ResultBundle;
use compute_market_client::documents::{fetch, hex};
use compute_market_client::filters::type_filters;
use compute_market_client::spec::{verify_spec, JobSpec};
use compute_market_client::watch::Wakeups;
use compute_market_client::{spec_hash, JobFilter, MarketClient};
use compute_market_endpoint::{Endpoint, Handler, Reply};
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::journal::{write_durably, Journal, Stage};
use crate::policy::{AcceptPolicy, Bonds, Quotes};
use crate::container::Container;
use crate::hardware::{Machine, UNVERIFIED_MARK};
use crate::sandbox::{Isolation, Sandbox};
use crate::worker::Worker;
use crate::workload::{Run, RunTime, Runner};

pub struct AgentConfig {
    pub rpc_url: String,
    pub ws_url: String,
    /// The provider's authority.
    pub keypair: Keypair,
    /// Journal, job directories and result bundles live here.
    pub workdir: PathBuf,
    /// Where result bundles are served.
    pub listen: SocketAddr,
    /// The endpoint's address as clients reach it (the provider's metadata URI); by default http://<listen>.
    pub public_url: Option<String>,
    /// The capacity to offer; none keeps what the provider account says.
    pub capacity: Option<Resources>,
    pub policy: Option<AcceptPolicy>,
    pub container_runtime: Option<String>,
    /// Where job directories live; by default /var/lib/compute-market/jobs/<provider> for an agent running
    /// as root (the job user must be able to reach it), else <workdir>/jobs.
    pub jobs_dir: Option<PathBuf>,
    /// The executable that serves as the sandbox's init (calls `sandbox::enter_if_requested` first in
    /// `main`); by default this process's own.
    pub sandbox_init: Option<PathBuf>,
    /// Run workloads without the sandbox. Only by the provider's explicit choice; announced at every start
    /// and in the provider's metadata.
    pub unisolated: bool,
    /// Whether jobs that ask for outbound network may have it.
    pub allow_network: bool,
    /// Offer GPUs (or a CPU architecture) this agent cannot verify on the machine. Only by the provider's
    /// explicit choice; announced at every start and in the provider's metadata.
    pub unverified_hardware: bool,
    pub poll: Duration,
    /// How often to refresh the provider's activity stamp when nothing else does.
    pub heartbeat: Duration,
    /// How long an assigned job's spec may stay unreachable before the agent declines the job.
    pub spec_patience: Duration,
}

impl AgentConfig {
    /// An agent that runs what it is assigned, with the defaults `cmkt agent run` documents: endpoint
    /// published as http://<listen>, capacity as the account says, no auto-accept, no container runtime,
    /// a 5 s poll, a 5 min heartbeat and a minute's patience with unreachable specs.
    pub fn new(rpc_url: &str, ws_url: &str, keypair: Keypair, workdir: PathBuf, listen: SocketAddr) -> AgentConfig {
        AgentConfig {
            rpc_url: rpc_url.into(),
            ws_url: ws_url.into(),
            keypair,
            workdir,
            listen,
            public_url: None,
            capacity: None,
            policy: None,
            container_runtime: None,
            jobs_dir: None,
            sandbox_init: None,
            unisolated: false,
            allow_network: false,
            unverified_hardware: false,
            poll: Duration::from_secs(5),
            heartbeat: Duration::from_secs(300),
            spec_patience: Duration::from_secs(60),
        }
    }
}

pub struct Agent {
    client: Arc<MarketClient>,
    keypair: Arc<Keypair>,
    journal: Arc<Journal>,
    workdir: PathBuf,
    endpoint: Endpoint,
    config_capacity: Option<Resources>,
    policy: Option<AcceptPolicy>,
    runner: Arc<Runner>,
    jobs_dir: PathBuf,
    public_url: String,
    heartbeat: Duration,
    spec_patience: Duration,
    workers: HashMap<Pubkey, Worker>,
    /// Assigned jobs whose spec could not be fetched, since when.
    unreachable_specs: HashMap<Pubkey, Instant>,
    /// The earnings held for the provider that the wallet could not receive yet, as last reported.
    earnings_waiting: u64,
    /// The provider was activated at start; later pauses are the operator's to lift.
    activated: bool,
    /// Open jobs the policy leaves open, with the reason last said.
    passed_over: HashMap<Pubkey, String>,
    /// What this machine has, to check the offer against.
    machine: Machine,
    unverified_hardware: bool,
    /// The unverifiable offer last warned about.
    warned_unverified: Option<String>,
}

/// An assigned job whose spec is still unreachable this close to its start deadline is declined, so it
/// never expires on the provider's record.
pub const DECLINE_MARGIN_SECS: i64 = 60;

impl Agent {
    /// Checks that jobs can be isolated here (or that the provider chose not to), opens the journal and
    /// starts serving results. The provider must be registered.
    pub fn new(config: &AgentConfig) -> Result<Agent, String> {
        let (runner, jobs_dir) = runner(config)?;
        let isolation = runner.isolation.describe();
        if config.unisolated {
            eprintln!("agent: WARNING: {isolation}");
        } else {
            println!("agent: jobs run {isolation}");
        }
        let journal = Journal::open(&config.workdir.join("journal"))?;
        let results = config.workdir.join("results");
        std::fs::create_dir_all(&results).map_err(|e| format!("cannot create {}: {e}", results.display()))?;
        let machine = Machine::detect();
        println!("agent: this machine: {}", machine.describe());
        let endpoint = Endpoint::serve(config.listen, results_handler(results, isolation, &machine, config.unverified_hardware))?;
        let mut public_url = config.public_url.clone().unwrap_or_else(|| endpoint.url());
        if config.unisolated {
            public_url.push_str(UNISOLATED_MARK);
        }
        if config.unverified_hardware {
            public_url.push_str(UNVERIFIED_MARK);
        }
        Ok(Agent {
            client: Arc::new(MarketClient::new(&config.rpc_url)),
            keypair: Arc::new(config.keypair.insecure_clone()),
            journal: Arc::new(journal),
            workdir: config.workdir.clone(),
            endpoint,
            config_capacity: config.capacity,
            policy: config.policy.clone(),
            runner: Arc::new(runner),
            jobs_dir,
            public_url,
            heartbeat: config.heartbeat,
            spec_patience: config.spec_patience,
            workers: HashMap::new(),
            unreachable_specs: HashMap::new(),
            earnings_waiting: 0,
            activated: false,
            passed_over: HashMap::new(),
            machine,
            unverified_hardware: config.unverified_hardware,
            warned_unverified: None,
        })
    }

    pub fn endpoint_url(&self) -> String {
        self.endpoint.url()
    }

    fn me(&self) -> Pubkey {
        self.keypair.pubkey()
    }

    /// Runs passes until the process ends.
    pub fn run(mut self, ws_url: &str, poll: Duration) -> ! {
        let mut wakeups = None;
        loop {
            if let Err(error) = self.pass() {
                eprintln!("agent: {error}");
            }
            // Subscribed after the first pass, so the provider is known to exist.
            let watch = wakeups.get_or_insert_with(|| Wakeups::subscribe(ws_url, type_filters::<Job>(), "agent"));
            watch.wait(poll);
        }
    }

    /// One pass over the provider and its jobs.
    pub fn pass(&mut self) -> Result<(), String> {
        self.workers.retain(|_, worker| !worker.thread.is_finished());
        let provider = self.read_provider()?;
        // Before anything else is sent: a wallet too poor to pay for the rest may still take its earnings.
        self.withdraw_earnings(&provider);
        let provider = self.keep_provider_current(provider)?;
        let jobs = self
            .client
            .list_jobs(&JobFilter { provider: Some(self.me()), ..Default::default() })
            .map_err(|e| format!("listing our jobs: {e}"))?;
        for (address, job) in &jobs {
            match job.status() {
                Ok(JobStatus::Assigned) => self.start(address, job),
                Ok(JobStatus::Running) => self.follow_running(address, job),
                Ok(JobStatus::Submitted) => self.note_submitted(address, job),
                _ => {}
            }
        }
        self.unreachable_specs.retain(|address, _| jobs.iter().any(|(job, j)| job == address && j.is(JobStatus::Assigned)));
        if let Some(policy) = self.policy.clone() {
            self.accept_open_jobs(&policy, &provider)?;
        }
        Ok(())
    }

    /// The provider as the node has it; an error when it is not registered or has retired.
    fn read_provider(&self) -> Result<Provider, String> {
        let me = self.me();
        let provider = self.client.provider(&me).map_err(|e| {
            format!("reading provider {me}: {e} (register it first: cmkt provider register)")
        })?;
        if provider.retired != 0 {
            return Err(format!("provider {me} has retired; register it again to take jobs (cmkt provider register)"));
        }
        Ok(provider)
    }

    /// Capacity and endpoint as configured, the provider active once the agent starts (a later pause is
    /// respected), and its activity stamp fresh (by the node's clock, which stamped it).
    fn keep_provider_current(&mut self, provider: Provider) -> Result<Provider, String> {
        let me = self.me();
        self.verify_offer(&self.config_capacity.unwrap_or(provider.capacity), &provider)?;
        let mut args = UpdateProviderArgs::default();
        if let Some(capacity) = self.config_capacity.filter(|c| *c != provider.capacity) {
            args.capacity = Some(capacity);
        }
        if provider.metadata_uri.to_string_lossy() != self.public_url {
            args.metadata_uri = Some(self.public_url.clone());
        }
        let chain_now = self.client.chain_time().unwrap_or_else(|_| now());
        let stale = chain_now.saturating_sub(provider.last_active_at) >= i64::try_from(self.heartbeat.as_secs()).unwrap_or(i64::MAX);
        let mut instructions = Vec::new();
        if args.capacity.is_some() || args.metadata_uri.is_some() || stale {
            instructions.push(builders::update_provider(&me, args));
        }
        if !provider.is_active() && !self.activated {
            instructions.push(builders::set_provider_active(&me, true));
        }
        if instructions.is_empty() {
            self.activated = true;
            return Ok(provider);
        }
        self.client.send(&instructions, &self.keypair, &[]).map_err(|e| format!("updating provider {me}: {e}"))?;
        self.activated = true;
        self.client.provider(&me).map_err(|e| e.to_string())
    }

    /// The offer must be hardware this machine has, unless the provider chose to offer it unverified
    /// (said once per offer). Nothing is updated, activated or started while it is refused.
    fn verify_offer(&mut self, capacity: &Resources, provider: &Provider) -> Result<(), String> {
        let Err(why) = self.machine.verify(capacity, &provider.hardware()) else { return Ok(()) };
        if !self.unverified_hardware {
            return Err(format!(
                "refusing to offer hardware this machine does not have: {why}. Offer what it has (cmkt provider update) or run with --unverified-hardware, which is published in the provider's metadata"
            ));
        }
        if self.warned_unverified.as_deref() != Some(&why) {
            eprintln!("agent: WARNING: offering unverified hardware ({why}); the provider's metadata says so");
            self.warned_unverified = Some(why);
        }
        Ok(())
    }

    /// An assigned job: verify its spec, then start it on chain and run it. A job whose spec does not
    /// verify, or that this agent will not run, is declined: it goes back to the market at no cost to the
    /// provider's reputation, instead of expiring on its record.
    fn start(&mut self, address: &Pubkey, job: &Job) {
        if matches!(self.journal.get(address), Some(Stage::Refused { .. })) {
            return self.decline(address, job);
        }
        let bytes = match fetch_spec(job) {
            Ok(bytes) => bytes,
            Err(reason) => return self.spec_unreachable(address, job, reason),
        };
        self.unreachable_specs.remove(address);
        let spec = match verify_spec(&bytes, &job.spec_hash) {
            Ok(spec) => spec,
            Err(reason) => return self.refuse(address, job, reason),
        };
        if let Some(reason) = self.runner.refusal(&spec) {
            return self.refuse(address, job, reason);
        }
        // Journal first: after a crash between here and the chain, the chain's status decides.
        self.record(address, &Stage::Starting);
        if let Err(error) = self.client.send(&[builders::start_job(&self.me(), address)], &self.keypair, &[]) {
            eprintln!("agent: start_job for {address} failed: {error}");
            return;
        }
        println!("agent: started job {address}");
        self.record(address, &Stage::Running { attempt: 1 });
        self.spawn_worker(address, job, spec, Duration::from_secs(job.duration_secs.into()));
    }

    /// Refuses an assigned job before anything runs, says why once, and declines it.
    fn refuse(&mut self, address: &Pubkey, job: &Job, reason: String) {
        println!("agent: refusing job {address}: {reason}; nothing was run");
        self.record(address, &Stage::Refused { reason });
        self.decline(address, job);
    }

    /// An assigned job's spec could not be fetched: tried again on later passes, and the job declined
    /// once it stayed unreachable for the configured patience or its start deadline comes near.
    fn spec_unreachable(&mut self, address: &Pubkey, job: &Job, reason: String) {
        let since = *self.unreachable_specs.entry(*address).or_insert_with(Instant::now);
        // The node's clock is the one the deadline is kept by.
        let chain_now = self.client.chain_time().unwrap_or_else(|_| now());
        let deadline_near = job.start_deadline.saturating_sub(chain_now) <= DECLINE_MARGIN_SECS;
        if since.elapsed() >= self.spec_patience || deadline_near {
            println!("agent: job {address}: {reason}, for {} s; declining it", since.elapsed().as_secs());
            return self.decline(address, job);
        }
        eprintln!("agent: job {address}: {reason}; trying again on the next pass");
    }

    /// Gives an assigned, unstarted job back to the market (decline_job).
    fn decline(&mut self, address: &Pubkey, job: &Job) {
        match self.client.send(&[builders::decline_job_in(&self.me(), address, &job.payment_mint)], &self.keypair, &[]) {
            Ok(_) => {
                self.unreachable_specs.remove(address);
                println!("agent: declined job {address}; it is open to other providers again");
            }
            Err(error) => eprintln!("agent: decline_job for {address} failed: {error}; the next pass tries again"),
        }
    }

    /// Takes the earnings the provider account holds for the wallet (a payout the wallet could not
    /// receive when it was below the rent-exempt minimum), once the wallet can hold them.
    fn withdraw_earnings(&mut self, provider: &Provider) {
        let owed = provider.earnings_owed;
        if owed == 0 {
            self.earnings_waiting = 0;
            return;
        }
        let me = self.me();
        let short = match self.client.shortfall_to_receive(&me, owed) {
            Ok(short) => short,
            Err(error) => return eprintln!("agent: reading the balance of {me}: {error}"),
        };
        if short > 0 {
            if self.earnings_waiting != owed {
                println!("agent: {owed} lamports of earnings wait on the provider account: the wallet {me} needs {short} lamports more to receive them");
                self.earnings_waiting = owed;
            }
            return;
        }
        match self.client.send(&[builders::withdraw_earnings(&me)], &self.keypair, &[]) {
            Ok(_) => {
                println!("agent: withdrew {owed} lamports of earnings held on the provider account");
                self.earnings_waiting = 0;
            }
            Err(error) => eprintln!("agent: withdraw_earnings failed: {error}; the next pass tries again"),
        }
    }

    /// A running job: submit a finished result, or run the workload if no worker has it (after a restart).
    fn follow_running(&mut self, address: &Pubkey, job: &Job) {
        if let Some(worker) = self.workers.get_mut(address) {
            return worker.follow_extension(address, job);
        }
        match self.journal.get(address) {
            Some(Stage::Finished { result_hash }) => submit(&self.client, &self.keypair, &self.journal, address, &result_hash),
            stage => {
                let attempt = match stage {
                    Some(Stage::Running { attempt }) => attempt + 1,
                    _ => 1,
                };
                let remaining = job.run_deadline.saturating_sub(now());
                if remaining <= 0 {
                    return;
                }
                let spec = match self.verified_spec(job) {
                    Ok(spec) => spec,
                    Err(reason) => return eprintln!("agent: cannot resume job {address}: {reason}"),
                };
                println!("agent: resuming job {address} (started on chain at {}); run {attempt} from a clean directory", job.started_at);
                self.record(address, &Stage::Running { attempt });
                self.spawn_worker(address, job, spec, Duration::from_secs(remaining as u64));
            }
        }
    }

    fn note_submitted(&self, address: &Pubkey, job: &Job) {
        let hash = hex(&job.result_hash);
        if !matches!(self.journal.get(address), Some(Stage::Submitted { .. })) {
            self.record(address, &Stage::Submitted { result_hash: hash });
        }
    }

    fn verified_spec(&self, job: &Job) -> Result<JobSpec, String> {
        verify_spec(&fetch_spec(job)?, &job.spec_hash)
    }

    fn record(&self, address: &Pubkey, stage: &Stage) {
        if let Err(error) = self.journal.set(address, stage) {
            eprintln!("agent: {error}");
        }
    }

    fn spawn_worker(&mut self, address: &Pubkey, job: &Job, spec: JobSpec, timeout: Duration) {
        let (client, keypair, journal) = (self.client.clone(), self.keypair.clone(), self.journal.clone());
        let job_dir = self.jobs_dir.join(address.to_string());
        let bundle_path = self.workdir.join("results").join(format!("{address}.json"));
        let runner = self.runner.clone();
        let limits = job.requirements;
        let address = *address;
        let time = RunTime::from(timeout);
        let run_time = time.clone();
        let thread = std::thread::spawn(move || {
            let run = Run { job: address.to_string(), spec: &spec, limits, timeout: run_time };
            let bundle = match runner.run(&job_dir, &run) {
                Ok(bundle) => bundle,
                Err(error) => failure_bundle(&address, error),
            };
            let bytes = bundle.to_bytes();
            let hash = hex(&spec_hash(&bytes));
            if let Err(error) = write_durably(&bundle_path, &bytes) {
                return eprintln!("agent: job {address}: cannot write the result bundle {}: {error}", bundle_path.display());
            }
            if let Err(error) = journal.set(&address, &Stage::Finished { result_hash: hash.clone() }) {
                return eprintln!("agent: {error}");
            }
            println!("agent: job {address} finished (exit {:?}, timed out: {}), result {hash}", bundle.exit_code, bundle.timed_out);
            submit(&client, &keypair, &journal, &address, &hash);
        });
        self.workers.insert(address, Worker { thread, time, duration_secs: job.duration_secs });
    }

    /// Accepts open jobs the policy allows, in posting order, while capacity lasts: only those whose spec
    /// verifies and that this agent would run, at the price its own rates give, or for a job paid in a
    /// token its quote in that mint (the program refuses the assignment if the rates on chain changed
    /// since). Why it leaves a job open is said once per job and reason.
    fn accept_open_jobs(&mut self, policy: &AcceptPolicy, provider: &Provider) -> Result<(), String> {
        let open = self
            .client
            .list_jobs(&JobFilter { status: Some(JobStatus::Open), ..Default::default() })
            .map_err(|e| format!("listing open jobs: {e}"))?;
        let still_open: HashSet<Pubkey> = open.iter().map(|(address, _)| *address).collect();
        self.passed_over.retain(|address, _| still_open.contains(address));
        let me = self.me();
        // Our quotes are read only when a job paid in a token is open.
        let quotes = if open.iter().any(|(_, job)| job.is_token_job()) {
            Quotes::of(&me, &self.client.list_mint_quotes().map_err(|e| format!("listing mint quotes: {e}"))?)
        } else {
            Quotes::default()
        };
        // Our bonds are read only when a bonded job is open.
        let mut bonds = if open.iter().any(|(_, job)| job.is_bonded()) {
            Bonds::of(&me, &self.client.bonds_of(&me).map_err(|e| format!("reading our bonds: {e}"))?.into_iter().map(|(_, bond)| bond).collect::<Vec<_>>())
        } else {
            Bonds::default()
        };
        let mut token_programs = HashMap::new();
        let mut provider = *provider;
        for (address, job) in open {
            if matches!(self.journal.get(&address), Some(Stage::Refused { .. })) {
                continue;
            }
            let price = match policy.price(&job, &provider, &quotes, &bonds) {
                Ok(price) => price,
                Err(reason) => {
                    if self.passed_over.get(&address) != Some(&reason) {
                        println!("agent: leaving job {address} open: {reason}");
                        self.passed_over.insert(address, reason);
                    }
                    continue;
                }
            };
            if !self.verified_spec(&job).is_ok_and(|spec| self.runner.refusal(&spec).is_none()) {
                continue;
            }
            let (pay, currency) = if job.is_token_job() {
                match self.token_payment(&job.payment_mint, &mut token_programs) {
                    Ok(pay) => (pay, format!("base units of {}", job.payment_mint)),
                    Err(error) => {
                        eprintln!("agent: accepting job {address}: {error}");
                        continue;
                    }
                }
            } else {
                (Pay::Lamports, "lamports".to_string())
            };
            let ix = builders::assign_job_in(&me, &job.client, &address, &me, &pay, price);
            match self.client.send(&[ix], &self.keypair, &[]) {
                Ok(_) => {
                    println!("agent: accepted job {address} at {price} {currency} an hour");
                    provider = self.client.provider(&me).map_err(|e| e.to_string())?;
                    bonds.lock(&job.payment_mint, job.min_bond);
                }
                Err(error) => eprintln!("agent: accepting job {address} failed: {error}"),
            }
        }
        Ok(())
    }

    /// How a job paid in `mint` is paid: the token program comes from the market's record of the mint
    /// (read once per pass, `known`).
    fn token_payment(&self, mint: &Pubkey, known: &mut HashMap<Pubkey, Pubkey>) -> Result<Pay, String> {
        let token_program = match known.get(mint) {
            Some(program) => *program,
            None => {
                let record = self.client.payment_mint(mint).map_err(|e| format!("reading the payment mint {mint}: {e}"))?;
                known.insert(*mint, record.token_program);
                record.token_program
            }
        };
        Ok(Pay::Token { mint: *mint, token_program })
    }
}

fn fetch_spec(job: &Job) -> Result<Vec<u8>, String> {
    fetch(&job.spec_uri.to_string_lossy()).map_err(|e| format!("cannot fetch its spec: {e}"))
}

fn submit(client: &MarketClient, keypair: &Keypair, journal: &Journal, address: &Pubkey, hash_hex: &str) {
    let Ok(hash) = compute_market_client::documents::parse_hash(hash_hex) else {
        return eprintln!("agent: job {address}: the journal holds no valid result hash");
    };
    match client.send(&[builders::submit_result(&keypair.pubkey(), address, hash)], keypair, &[]) {
        Ok(_) => {
            println!("agent: submitted result {hash_hex} for job {address}");
            if let Err(error) = journal.set(address, &Stage::Submitted { result_hash: hash_hex.to_string() }) {
                eprintln!("agent: {error}");
            }
        }
        Err(error) => eprintln!("agent: submit_result for {address} failed: {error}; the next pass tries again"),
    }
}

/// A bundle saying the workload could not be run at all, so the client learns why.
fn failure_bundle(address: &Pubkey, error: String) -> ResultBundle {
    ResultBundle {
        version: compute_market_client::bundle::BUNDLE_VERSION,
        job: address.to_string(),
        exit_code: None,
        timed_out: false,
        runtime_ms: 0,
        stdout: String::new(),
        stderr: format!("agent: {error}"),
        files: vec![],
        missing: vec![],
        limit_exceeded: None,
        refused: vec![],
    }
}

/// Appended to the metadata URI of a provider whose agent runs jobs unisolated, so anyone reading the
/// chain sees it.
pub const UNISOLATED_MARK: &str = "#unisolated";

/// The workload runner and the job directories' root this configuration asks for; an error when jobs
/// cannot be isolated here and the provider did not choose to run them unisolated.
fn runner(config: &AgentConfig) -> Result<(Runner, PathBuf), String> {
    let root = crate::sandbox::running_as_root();
    let jobs_dir = match &config.jobs_dir {
        Some(dir) => dir.clone(),
        None if root => PathBuf::from("/var/lib/compute-market/jobs").join(config.keypair.pubkey().to_string()),
        None => config.workdir.join("jobs"),
    };
    let isolation = if config.unisolated {
        Isolation::Unisolated
    } else {
        let init = match &config.sandbox_init {
            Some(init) => init.clone(),
            None => std::env::current_exe().map_err(|e| format!("cannot find this executable for the sandbox's init: {e}"))?,
        };
        Isolation::Sandboxed(Sandbox::prepare(&jobs_dir, &init)?)
    };
    let container = config.container_runtime.as_deref().map(Container::detect).transpose()?;
    Ok((Runner { isolation, container, allow_network: config.allow_network }, jobs_dir))
}

fn results_handler(results: PathBuf, isolation: String, machine: &Machine, unverified_hardware: bool) -> Handler {
    let about = serde_json::json!({
        "agent": "compute-market-agent",
        "isolation": isolation,
        "hardware": { "detected": machine.describe(), "unverified_offer_allowed": unverified_hardware },
    });
    let about = serde_json::to_vec(&about).expect("JSON");
    Arc::new(move |path: &str| {
        if path == "/" {
            return Reply::bytes("application/json", about.clone());
        }
        let job = path.strip_prefix("/jobs/").and_then(|rest| rest.strip_suffix("/result")).and_then(|j| j.parse::<Pubkey>().ok());
        let Some(job) = job else {
            return Reply::not_found("results are at /jobs/<job address>/result");
        };
        match std::fs::read(results.join(format!("{job}.json"))) {
            Ok(bytes) => Reply::bytes("application/json", bytes),
            Err(_) => Reply::not_found(&format!("no result for job {job} here")),
        }
    })
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}
