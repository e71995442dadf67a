//! Posts a job and escrows max price x duration in its vault. Signed by the client. Emits JobPosted.

use anchor_lang::prelude::*;
use anchor_lang::system_program::{transfer, Transfer};

use crate::constants::{JOB_SEED, MAX_JOB_DURATION_SECS, MAX_PRICE_PER_HOUR, MAX_REPUTATION, MIN_JOB_DURATION_SECS, VAULT_SEED};
use crate::error::MarketError;
use crate::events::JobPosted;
use crate::math::pricing::cost_for;
use crate::settlement::bump_counter;
use crate::state::{validate_uri, ClientProfile, Job, JobStatus, Market, Resources, Vault};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PostJobArgs {
    /// Must equal the client profile's `next_job_id`.
    pub job_id: u64,
    pub requirements: Resources,
    pub duration_secs: u32,
    /// Highest price per hour the client accepts, in lamports.
    pub max_price_per_hour: u64,
    pub min_reputation: u16,
    /// Reserve the job for one provider (its authority).
    pub target_provider: Option<Pubkey>,
    /// sha256 of the job spec.
    pub spec_hash: [u8; 32],
    pub spec_uri: String,
}

impl PostJobArgs {
    /// Checks the terms and returns the escrow they require.
    pub fn validate(&self, client: &Pubkey) -> Result<u64> {
        require!(self.requirements.is_valid_amount(), MarketError::InvalidRequirements);
        require!(
            (MIN_JOB_DURATION_SECS..=MAX_JOB_DURATION_SECS).contains(&self.duration_secs),
            MarketError::InvalidDuration
        );
        require!(
            self.max_price_per_hour > 0 && self.max_price_per_hour <= MAX_PRICE_PER_HOUR,
            MarketError::InvalidPrice
        );
        require!(self.min_reputation <= MAX_REPUTATION, MarketError::InvalidMinReputation);
        require!(self.spec_hash != [0; 32], MarketError::InvalidHash);
        validate_uri(&self.spec_uri)?;
        if let Some(target) = &self.target_provider {
            require!(target != &Pubkey::default() && target != client, MarketError::InvalidTargetProvider);
        }
        let escrow = cost_for(self.max_price_per_hour, self.duration_secs.into()).ok_or_else(|| error!(MarketError::MathOverflow))?;
        require!(escrow > 0, MarketError::InvalidPrice);
        Ok(escrow)
    }
}

#[derive(Accounts)]
#[instruction(args: PostJobArgs)]
pub struct PostJob<'info> {
    #[account(mut)]
    pub client: Signer<'info>,
    #[account(mut)]
    pub market: Account<'info, Market>,
    #[account(
        mut,
        constraint = client_profile.authority == client.key() @ MarketError::WrongClientProfile,
        constraint = client_profile.next_job_id == args.job_id @ MarketError::JobIdMismatch,
    )]
    pub client_profile: Account<'info, ClientProfile>,
    #[account(
        init,
        payer = client,
        space = 8 + Job::INIT_SPACE,
        seeds = [JOB_SEED, client.key().as_ref(), &args.job_id.to_le_bytes()],
        bump,
    )]
    pub job: Account<'info, Job>,
    #[account(
        init,
        payer = client,
        space = 8 + Vault::INIT_SPACE,
        seeds = [VAULT_SEED, job.key().as_ref()],
        bump,
    )]
    pub vault: Account<'info, Vault>,
    pub system_program: Program<'info, System>,
}

pub fn handle_post_job(ctx: Context<PostJob>, args: PostJobArgs) -> Result<()> {
    ctx.accounts.market.require_open_for_business()?;
    let client = ctx.accounts.client.key();
    let escrow = args.validate(&client)?;

    transfer(
        CpiContext::new(
            ctx.accounts.system_program.key(),
            Transfer { from: ctx.accounts.client.to_account_info(), to: ctx.accounts.vault.to_account_info() },
        ),
        escrow,
    )?;

    let now = Clock::get()?.unix_timestamp;
    let job_key = ctx.accounts.job.key();
    ctx.accounts.vault.job = job_key;
    let job = &mut ctx.accounts.job;
    job.set_inner(Job {
        client,
        provider: Pubkey::default(),
        status: JobStatus::Open,
        payment_mint: Pubkey::default(),
        job_id: args.job_id,
        requirements: args.requirements,
        duration_secs: args.duration_secs,
        max_price_per_hour: args.max_price_per_hour,
        agreed_price_per_hour: 0,
        escrow,
        fee_bps: 0,
        min_reputation: args.min_reputation,
        spec_hash: args.spec_hash,
        result_hash: [0; 32],
        posted_at: now,
        assigned_at: 0,
        started_at: 0,
        submitted_at: 0,
        disputed_at: 0,
        finished_at: 0,
        start_deadline: 0,
        run_deadline: 0,
        grace_deadline: 0,
        review_deadline: 0,
        dispute_deadline: 0,
        rating: 0,
        provider_payout: 0,
        fee: 0,
        client_refund: 0,
        bump: ctx.bumps.job,
        vault_bump: ctx.bumps.vault,
        target_provider: args.target_provider,
        spec_uri: args.spec_uri,
    });

    let profile = &mut ctx.accounts.client_profile;
    profile.next_job_id = profile.next_job_id.checked_add(1).ok_or_else(|| error!(MarketError::MathOverflow))?;
    bump_counter(&mut profile.jobs_posted)?;
    bump_counter(&mut ctx.accounts.market.stats.jobs_posted)?;

    emit!(JobPosted {
        job: job_key,
        client,
        job_id: job.job_id,
        payment_mint: job.payment_mint,
        requirements: job.requirements,
        duration_secs: job.duration_secs,
        max_price_per_hour: job.max_price_per_hour,
        escrow,
        min_reputation: job.min_reputation,
        target_provider: job.target_provider,
        spec_hash: job.spec_hash,
        timestamp: now,
    });
    Ok(())
}
