//! `cmkt job extend`: the client adds time to its assigned or running job, escrowing the added time at
//! the agreed price. Refused in words before anything is sent when the program would refuse it.

use anchor_lang::prelude::Pubkey;
use clap::Args;
use compute_market::constants::MAX_JOB_DURATION_SECS;
use compute_market::math::pricing::cost_for;
use compute_market::state::{Job, JobStatus};
use compute_market_client::builders;
use solana_signer::Signer;

use crate::context::{describe, Context};
use crate::views;

#[derive(Args)]
pub struct ExtendArgs {
    /// The job, by address or by your job id.
    job: String,
    /// Time to add, in hours (decimals allowed), or use --secs.
    #[arg(long, conflicts_with = "secs")]
    hours: Option<String>,
    /// Time to add, in seconds.
    #[arg(long)]
    secs: Option<u32>,
}

/// The escrow `added_secs` more of `job` needs at its agreed price, or why it cannot be extended by them
/// at `now` (the chain's clock).
pub fn added_escrow(job: &Job, added_secs: u32, now: i64) -> Result<u64, String> {
    let id = job.job_id;
    match job.status() {
        Ok(JobStatus::Assigned) if now > job.start_deadline => {
            return Err(format!("job {id} was not started within its start window: it can no longer be extended"))
        }
        Ok(JobStatus::Running) if now >= job.run_deadline => {
            return Err(format!("job {id} is past its run deadline: it can no longer be extended"))
        }
        Ok(JobStatus::Assigned | JobStatus::Running) => {}
        _ => return Err(format!("job {id} is {}; only an Assigned or Running job can be extended", views::status_name(job.status))),
    }
    if added_secs == 0 {
        return Err("an extension must add at least one second".into());
    }
    let duration = job.duration_secs.checked_add(added_secs).filter(|d| *d <= MAX_JOB_DURATION_SECS).ok_or_else(|| {
        format!("job {id} runs {} s; with {added_secs} s more it would pass the longest a job may run, {MAX_JOB_DURATION_SECS} s", job.duration_secs)
    })?;
    let cost = |secs: u32| cost_for(job.agreed_price_per_hour, secs.into()).ok_or("the escrow overflows");
    Ok(cost(duration)? - cost(job.duration_secs)?)
}

pub fn extend(context: &Context, args: ExtendArgs) -> Result<(), String> {
    let signer = context.signer()?;
    let client = &context.client;
    let address: Pubkey = context.job_address(&args.job)?;
    let job = client.job(&address).map_err(|e| describe("reading the job", e))?;
    if job.client != signer.pubkey() {
        return Err(format!("job {} belongs to client {}; only it may extend the job", job.job_id, job.client));
    }
    let added_secs = super::duration::secs(args.hours.as_deref(), args.secs, "--secs")?;
    let now = client.chain_time().map_err(|e| describe("reading the node's clock", e))?;
    let escrow = added_escrow(&job, added_secs, now)?;
    let currency = context.currencies()?.of(&job.payment_mint);
    let pay = client.pay_of(&job).map_err(|e| describe("reading the mint", e))?;
    if context.output == crate::output::Output::Table {
        println!("extending job {} by {added_secs} s: {} more escrowed at {} per hour", job.job_id, currency.format(escrow), currency.format(job.agreed_price_per_hour));
    }
    context.send(&signer, &[builders::extend_job_in(&signer.pubkey(), &address, &pay, added_secs)], "extend_job")?;
    let job = client.job(&address).map_err(|e| describe("reading the extended job", e))?;
    context.output.record(&views::job(&address, &job, &currency));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(status: JobStatus) -> Job {
        let mut job: Job = bytemuck::Zeroable::zeroed();
        job.set_status(status);
        job.agreed_price_per_hour = 3_599;
        job.duration_secs = 3_600;
        job.start_deadline = 100;
        job.run_deadline = 200;
        job
    }

    #[test]
    fn the_added_escrow_is_the_cost_of_the_new_duration_less_the_old() {
        assert_eq!(added_escrow(&job(JobStatus::Running), 1, 199), Ok(0), "3,599 x 3,601 / 3,600 rounds down to 3,599");
        assert_eq!(added_escrow(&job(JobStatus::Running), 2, 199), Ok(1));
        assert_eq!(added_escrow(&job(JobStatus::Assigned), 3_600, 100), Ok(3_599));
    }

    #[test]
    fn refusals_say_why() {
        let e = |status, secs, now| added_escrow(&job(status), secs, now).unwrap_err();
        assert_eq!(e(JobStatus::Running, 60, 200), "job 0 is past its run deadline: it can no longer be extended");
        assert_eq!(e(JobStatus::Assigned, 60, 101), "job 0 was not started within its start window: it can no longer be extended");
        assert_eq!(e(JobStatus::Open, 60, 0), "job 0 is Open; only an Assigned or Running job can be extended");
        assert_eq!(e(JobStatus::Submitted, 60, 0), "job 0 is Submitted; only an Assigned or Running job can be extended");
        assert_eq!(e(JobStatus::Running, 0, 0), "an extension must add at least one second");
        assert!(e(JobStatus::Running, MAX_JOB_DURATION_SECS - 3_599, 0).contains("would pass the longest a job may run"));
        assert!(added_escrow(&job(JobStatus::Running), MAX_JOB_DURATION_SECS - 3_600, 0).is_ok());
    }
}
