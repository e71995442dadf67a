//! Jobs: post, list and show them, and every step of their lifecycle. Before sending, each command
//! checks that the job exists and is in a state the step accepts, and says so in words if not.

use anchor_lang::prelude::Pubkey;
use clap::Subcommand;
use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, TAKE_BACK_AFTER_SECS};
use compute_market::state::{Job, JobStatus};
use compute_market_client::builders;
use compute_market_client::documents::{hex, parse_hash};
use compute_market_client::explanations::{self, LOCAL_MATCHER_URL};
use compute_market_client::index_api::{JobQuery, JOB_STATUSES};
use compute_market_client::{bundle, spec_hash, ClientError, JobFilter};
use solana_signer::Signer;

use crate::context::{describe, parse_key, Context};
use crate::output::Output;
use crate::index_views;
use crate::views::{self, status_name};

mod duration;
mod extend;
mod post;

#[derive(Subcommand)]
pub enum JobCommand {
    /// Post a job: its payment goes into escrow now, in SOL or in a token the market accepts (--mint).
    Post(post::PostArgs),
    /// A job by address, or by number for your own job with that id.
    Show { job: String },
    /// Jobs, filtered, oldest first: from the index API when given (closed jobs included, the newest
    /// --limit), else the node's job accounts (jobs not yet closed).
    List {
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        provider: Option<String>,
        /// Open, Assigned, Running, Submitted, Disputed, Completed, Expired or Resolved (and Cancelled,
        /// with the index API).
        #[arg(long)]
        status: Option<String>,
        /// Only jobs the signer posted.
        #[arg(long)]
        mine: bool,
        /// At most this many, the newest.
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Cancel an open job; the escrow comes back.
    Cancel { job: String },
    /// Give an open job to a provider (as its client or the market's matcher), at the provider's price
    /// as read now: the program refuses the assignment if the provider raises it in between. The provider
    /// must allow assignment by clients (or by the matcher).
    Assign {
        job: String,
        /// The provider's authority.
        #[arg(long)]
        provider: String,
    },
    /// Take an open job as the signing provider, at its price as read now.
    Accept { job: String },
    /// Give back a job assigned to you that you have not started (its provider): it is open again for
    /// other providers, at no cost to your reputation.
    Decline { job: String },
    /// Take back a job whose provider has not started it within 10 minutes of assignment (the client):
    /// it is open again, to cancel or to give to another provider.
    TakeBack { job: String },
    /// Add time to your assigned or running job (the client): the added time is escrowed at the agreed
    /// price, and a running job's deadlines move with it.
    Extend(extend::ExtendArgs),
    /// Start an assigned job (its provider).
    Start { job: String },
    /// Submit a result (its provider): a file, hashed here, or its sha256 in hex.
    Submit {
        job: String,
        #[arg(long, conflicts_with = "result_hash")]
        result: Option<std::path::PathBuf>,
        #[arg(long)]
        result_hash: Option<String>,
    },
    /// Accept the result and pay (the client), optionally rating the provider 1-5.
    Complete {
        job: String,
        #[arg(long)]
        rating: Option<u8>,
    },
    /// Pay out a result whose review window has passed (anyone).
    Finalize { job: String },
    /// Dispute a submitted result during its review window (the client). A job with no result is
    /// refunded in full by `expire` once its deadline and grace pass.
    Dispute { job: String },
    /// Settle a dispute: the provider's share in basis points (admin).
    Resolve {
        job: String,
        #[arg(long)]
        provider_bps: u16,
    },
    /// End a job whose deadline passed (anyone): refunds a job never started or never delivered, and
    /// settles a dispute nobody ruled on by the default split.
    Expire { job: String },
    /// Close a finished job and recover its rent (the client).
    Close { job: String },
    /// Why an open job is not matched yet, as the matcher explains it.
    Why {
        job: String,
        /// The matcher's endpoint.
        #[arg(long, default_value = LOCAL_MATCHER_URL)]
        matcher: String,
    },
    /// Download a job's result bundle from its provider, check it against the on-chain hash, and unpack it.
    Result {
        job: String,
        /// Directory for the bundle's files (default: ./result-<job address>).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

/// The statuses a step accepts, for a clear refusal before anything is sent.
fn require_status(job: &Job, allowed: &[JobStatus], step: &str) -> Result<(), String> {
    if allowed.iter().any(|s| job.is(*s)) {
        return Ok(());
    }
    let names: Vec<String> = allowed.iter().map(|s| format!("{s:?}")).collect();
    Err(format!("job {} is {}; {step} needs it {}", job.job_id, status_name(job.status), names.join(" or ")))
}

pub fn run(context: &Context, command: JobCommand) -> Result<(), String> {
    let client = &context.client;
    let load = |reference: &str| -> Result<(Pubkey, Job), String> {
        let address = context.job_address(reference)?;
        let job = client.job(&address).map_err(|e| describe("reading the job", e))?;
        Ok((address, job))
    };
    match command {
        JobCommand::Post(args) => post::post(context, args),
        JobCommand::Extend(args) => extend::extend(context, args),
        JobCommand::Show { job } => {
            let (address, job) = load(&job)?;
            context.output.record(&views::job(&address, &job, &context.currencies()?.of(&job.payment_mint)));
            Ok(())
        }
        JobCommand::List { client: by_client, provider, status, mine, limit } => {
            let by_client = if mine { Some(context.me()?) } else { by_client.map(|c| parse_key(&c, "client")).transpose()? };
            let provider = provider.map(|p| parse_key(&p, "provider authority")).transpose()?;
            let currencies = context.currencies()?;
            let rows: Vec<_> = match context.index_or_note()? {
                Some(api) => {
                    let query = JobQuery {
                        client: by_client.map(|c| c.to_string()),
                        provider: provider.map(|p| p.to_string()),
                        status: status.map(|s| indexed_status(&s)).transpose()?,
                        mint: None,
                    };
                    let jobs = api.jobs(&query, limit).map_err(|e| e.to_string())?;
                    jobs.iter().rev().map(|j| index_views::job(j, &currencies)).collect()
                }
                None => {
                    let filter = JobFilter { client: by_client, provider, status: status.map(|s| parse_status(&s)).transpose()? };
                    let jobs = client.list_jobs(&filter).map_err(|e| describe("listing jobs", e))?;
                    let newest = &jobs[jobs.len().saturating_sub(limit)..];
                    newest.iter().map(|(address, job)| views::job(address, job, &currencies.of(&job.payment_mint))).collect()
                }
            };
            context.output.table(
                &rows,
                &["address", "job_id", "status", "requirements", "duration_secs", "escrow_lamports|escrow_units", "min_bond_lamports|min_bond_units", "provider"],
            );
            Ok(())
        }
        JobCommand::Cancel { job } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Open], "cancel")?;
            let pay = client.pay_of(&job).map_err(|e| describe("reading the mint", e))?;
            context.send(&signer, &[builders::cancel_job_in(&signer.pubkey(), &address, &pay)], "cancel_job")
        }
        JobCommand::Assign { job, provider } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Open], "assign")?;
            let provider = parse_key(&provider, "provider authority")?;
            assign(context, &signer, &address, &job, &provider)
        }
        JobCommand::Decline { job } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Assigned], "decline")?;
            if job.provider != signer.pubkey() {
                return Err(format!("job {} is assigned to provider {}; only it may decline it", job.job_id, job.provider));
            }
            context.send(&signer, &[builders::decline_job_in(&signer.pubkey(), &address, &job.payment_mint)], "decline_job")
        }
        JobCommand::TakeBack { job } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Assigned], "take-back")?;
            if job.client != signer.pubkey() {
                return Err(format!("job {} belongs to client {}; only it may take the job back", job.job_id, job.client));
            }
            let now = client.chain_time().map_err(|e| describe("reading the node's clock", e))?;
            let from = job.assigned_at + i64::from(TAKE_BACK_AFTER_SECS);
            if now < from {
                return Err(format!(
                    "job {} was assigned {} s ago and its provider may still start it: you can take it back in {} s",
                    job.job_id,
                    now - job.assigned_at,
                    from - now
                ));
            }
            context.send(&signer, &[builders::take_back_job_in(&signer.pubkey(), &address, &job.provider, &job.payment_mint)], "take_back_job")
        }
        JobCommand::Accept { job } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Open], "accept")?;
            assign(context, &signer, &address, &job, &signer.pubkey())
        }
        JobCommand::Start { job } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Assigned], "start")?;
            context.send(&signer, &[builders::start_job(&signer.pubkey(), &address)], "start_job")
        }
        JobCommand::Submit { job, result, result_hash } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Running], "submit")?;
            let hash = match (result, result_hash) {
                (Some(path), _) => spec_hash(&std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?),
                (None, Some(hex)) => parse_hash(&hex)?,
                (None, None) => return Err("give the result as --result FILE or --result-hash HEX".into()),
            };
            context.send(&signer, &[builders::submit_result(&signer.pubkey(), &address, hash)], "submit_result")
        }
        JobCommand::Complete { job, rating } => {
            let signer = context.signer()?;
            let (_, job_account) = load(&job)?;
            require_status(&job_account, &[JobStatus::Submitted], "complete")?;
            let (_, parties) = client.job_parties(&context.job_address(&job)?).map_err(|e| describe("reading the job", e))?;
            context.send(&signer, &[builders::complete_and_pay(&parties, rating)], "complete_and_pay")
        }
        JobCommand::Finalize { job } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Submitted], "finalize")?;
            let (_, parties) = client.job_parties(&address).map_err(|e| describe("reading the job", e))?;
            context.send(&signer, &[builders::finalize_job(&signer.pubkey(), &parties)], "finalize_job")
        }
        JobCommand::Dispute { job } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Submitted], "dispute")?;
            context.send(&signer, &[builders::dispute_job(&signer.pubkey(), &address)], "dispute_job")
        }
        JobCommand::Resolve { job, provider_bps } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Disputed], "resolve")?;
            let (_, parties) = client.job_parties(&address).map_err(|e| describe("reading the job", e))?;
            context.send(&signer, &[builders::resolve_dispute(&signer.pubkey(), &parties, provider_bps)], "resolve_dispute")
        }
        JobCommand::Expire { job } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Assigned, JobStatus::Running, JobStatus::Disputed], "expire")?;
            let (_, parties) = client.job_parties(&address).map_err(|e| describe("reading the job", e))?;
            context.send(&signer, &[builders::expire_job(&signer.pubkey(), &parties)], "expire_job")
        }
        JobCommand::Why { job, matcher } => {
            let (address, job) = load(&job)?;
            why(context, &address, &job, &matcher)
        }
        JobCommand::Result { job, out } => {
            let (address, job) = load(&job)?;
            result(context, &address, &job, out)
        }
        JobCommand::Close { job } => {
            let signer = context.signer()?;
            let (address, job) = load(&job)?;
            require_status(&job, &[JobStatus::Completed, JobStatus::Expired, JobStatus::Resolved], "close")?;
            context.send(&signer, &[builders::close_job(&signer.pubkey(), &address)], "close_job")
        }
    }
}


/// Assigns `job` to `provider` at the provider's price for it as read now, said before it is sent; a
/// signer the provider has not opted in to is refused in words first.
fn assign(
    context: &Context,
    signer: &solana_keypair::Keypair,
    address: &Pubkey,
    job: &Job,
    provider: &Pubkey,
) -> Result<(), String> {
    let client = &context.client;
    let record = client.provider(provider).map_err(|e| describe("reading the provider", e))?;
    let me = signer.pubkey();
    if me != *provider {
        let is_matcher = client.market().map_err(|e| describe("reading the market", e))?.is_matcher(&me);
        let by_matcher = is_matcher && record.assignment & ASSIGN_BY_MATCHER != 0;
        let by_client = me == job.client && record.assignment & ASSIGN_BY_CLIENTS != 0;
        if !by_matcher && !by_client {
            let refused = match (me == job.client, is_matcher) {
                (true, _) => "clients",
                (false, true) => "the matcher",
                (false, false) => return Err(format!("only job {}'s client, the market's matcher or the provider itself may assign it", job.job_id)),
            };
            return Err(format!(
                "provider {provider} takes no jobs from {refused} (assigned by: {}); it can accept job {} itself (cmkt job accept)",
                views::assignment_policy(record.assignment),
                job.job_id
            ));
        }
    }
    let price = match client.price_for(job, &record) {
        Err(ClientError::NotFound { .. }) if job.is_token_job() => {
            let currency = context.currencies()?.of(&job.payment_mint);
            return Err(format!("provider {provider} quotes no {} (mint {}): it cannot take job {}, which is paid in it", currency.name, job.payment_mint, job.job_id));
        }
        other => other.map_err(|e| describe("pricing the job", e))?,
    };
    if context.output == Output::Table {
        let currency = context.currencies()?.of(&job.payment_mint);
        println!("assigning job {} to {provider} at {} per hour (its price for the job's requirements)", job.job_id, currency.format(price));
    }
    let pay = client.pay_of(job).map_err(|e| describe("reading the mint", e))?;
    let ix = builders::assign_job_in(&me, &job.client, address, provider, &pay, price);
    context.send(signer, &[ix], "assign_job")
}

fn why(context: &Context, address: &Pubkey, job: &Job, matcher: &str) -> Result<(), String> {
    let reason = if !job.is(JobStatus::Open) {
        format!("it is {}, with provider {}; there is nothing left to match", status_name(job.status), job.provider)
    } else {
        match explanations::why(matcher, address)? {
            Some(explanation) => explanation.reason,
            None => "the matcher has not looked at it yet (or has just assigned it); ask again in a moment".into(),
        }
    };
    match context.output {
        Output::Json => context.output.record(&serde_json::json!({ "job": address.to_string(), "status": status_name(job.status), "reason": reason })),
        Output::Table => println!("job {} ({address}): {reason}", job.job_id),
    }
    Ok(())
}

fn result(context: &Context, address: &Pubkey, job: &Job, out: Option<std::path::PathBuf>) -> Result<(), String> {
    if job.result_hash == [0; 32] {
        return Err(format!("job {} is {} and has no result yet", job.job_id, status_name(job.status)));
    }
    let provider = context.client.provider(&job.provider).map_err(|e| describe("reading the job's provider", e))?;
    let endpoint = provider.metadata_uri.to_string_lossy().into_owned();
    let (bytes, bundle) = bundle::download(&endpoint, address, &job.result_hash)?;
    let dir = out.unwrap_or_else(|| format!("result-{address}").into());
    let files = bundle.unpack(&dir)?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    std::fs::write(dir.join("bundle.json"), &bytes).map_err(|e| format!("writing the bundle: {e}"))?;
    let record = serde_json::json!({
        "job": address.to_string(),
        "result_hash": hex(&job.result_hash),
        "verified": true,
        "exit_code": bundle.exit_code,
        "timed_out": bundle.timed_out,
        "runtime_ms": bundle.runtime_ms,
        "files": files,
        "missing": bundle.missing,
        "directory": dir.display().to_string(),
        "stdout": bundle.stdout,
    });
    context.output.record(&record);
    Ok(())
}

fn parse_status(text: &str) -> Result<JobStatus, String> {
    JobStatus::ALL
        .into_iter()
        .find(|s| format!("{s:?}").eq_ignore_ascii_case(text))
        .ok_or_else(|| format!("`{text}` is not a job status (Open, Assigned, Running, Submitted, Disputed, Completed, Expired, Resolved)"))
}

/// A status as the index API names it (any case in, lower case out).
fn indexed_status(text: &str) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    if JOB_STATUSES.contains(&lower.as_str()) {
        return Ok(lower);
    }
    Err(format!("`{text}` is not a job status (Open, Assigned, Running, Submitted, Disputed, Completed, Expired, Resolved, Cancelled)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_reach_the_index_in_its_spelling() {
        assert_eq!(indexed_status("Completed").unwrap(), "completed");
        assert_eq!(indexed_status("cancelled").unwrap(), "cancelled");
        assert!(indexed_status("Done").unwrap_err().contains("`Done` is not a job status"));
        assert!(parse_status("Cancelled").is_err(), "the node keeps no cancelled job");
    }
}
