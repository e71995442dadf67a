//! Posts a job and escrows max price x duration in its vault: lamports, or base units of an accepted
//! mint held in the vault's associated token account. Signed by the client. Emits JobPosted.

use anchor_lang::prelude::*;
use anchor_lang::system_program::{transfer, Transfer};
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{transfer_checked, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::constants::{JOB_SEED, MAX_JOB_DURATION_SECS, MAX_PRICE_PER_HOUR, MAX_REPUTATION, MIN_JOB_DURATION_SECS, VAULT_SEED};
use crate::error::MarketError;
use crate::events::JobPosted;
use crate::math::pricing::cost_for;
use crate::settlement::bump_counter;
use crate::state::{validate_uri, ClientProfile, Job, JobStatus, Market, PaymentMint, Resources, Vault};
use crate::token_escrow::require_owned;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PostJobArgs {
    /// Must equal the client profile's `next_job_id`.
    pub job_id: u64,
    pub requirements: Resources,
    pub duration_secs: u32,
    /// Highest price per hour the client accepts, in lamports or the payment mint's base units.
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
    pub job: Box<Account<'info, Job>>,
    #[account(
        init,
        payer = client,
        space = 8 + Vault::INIT_SPACE,
        seeds = [VAULT_SEED, job.key().as_ref()],
        bump,
    )]
    pub vault: Account<'info, Vault>,
    pub system_program: Program<'info, System>,
    /// The market's record of the mint to pay in. This and the accounts below are absent for a lamport job.
    #[account(mut)]
    pub payment_mint: Option<Box<Account<'info, PaymentMint>>>,
    pub mint: Option<Box<InterfaceAccount<'info, Mint>>>,
    /// The client's token account the escrow comes from.
    #[account(mut)]
    pub client_tokens: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    /// The vault's associated token account, created here and paid by the client.
    #[account(
        init,
        payer = client,
        associated_token::mint = mint,
        associated_token::authority = vault,
        associated_token::token_program = token_program,
    )]
    pub vault_tokens: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    pub token_program: Option<Interface<'info, TokenInterface>>,
    pub associated_token_program: Option<Program<'info, AssociatedToken>>,
}

impl PostJob<'_> {
    /// Moves `escrow` from the client to the vault, in lamports or in the payment mint, and returns
    /// the mint paid in (the default key for lamports) and the vault's token account.
    fn deposit(&mut self, escrow: u64) -> Result<(Pubkey, Pubkey)> {
        let (Some(payment_mint), Some(mint), Some(client_tokens), Some(vault_tokens), Some(token_program)) =
            (&mut self.payment_mint, &self.mint, &self.client_tokens, &self.vault_tokens, &self.token_program)
        else {
            let none = self.payment_mint.is_none()
                && self.mint.is_none()
                && self.client_tokens.is_none()
                && self.vault_tokens.is_none()
                && self.token_program.is_none();
            require!(none, MarketError::MissingTokenAccounts);
            let accounts = Transfer { from: self.client.to_account_info(), to: self.vault.to_account_info() };
            transfer(CpiContext::new(self.system_program.key(), accounts), escrow)?;
            return Ok((Pubkey::default(), Pubkey::default()));
        };
        payment_mint.require_enabled()?;
        require_keys_eq!(payment_mint.mint, mint.key(), MarketError::WrongMint);
        require_keys_eq!(payment_mint.token_program, token_program.key(), MarketError::WrongTokenProgram);
        require_owned(client_tokens, &self.client.key(), &mint.key())?;
        let accounts = TransferChecked {
            from: client_tokens.to_account_info(),
            mint: mint.to_account_info(),
            to: vault_tokens.to_account_info(),
            authority: self.client.to_account_info(),
        };
        transfer_checked(CpiContext::new(token_program.key(), accounts), escrow, mint.decimals)?;
        bump_counter(&mut payment_mint.stats.jobs_posted)?;
        Ok((mint.key(), vault_tokens.key()))
    }
}

pub fn handle_post_job(ctx: Context<PostJob>, args: PostJobArgs) -> Result<()> {
    ctx.accounts.market.require_open_for_business()?;
    let client = ctx.accounts.client.key();
    let escrow = args.validate(&client)?;

    let (payment_mint, vault_tokens) = ctx.accounts.deposit(escrow)?;

    let now = Clock::get()?.unix_timestamp;
    let job_key = ctx.accounts.job.key();
    ctx.accounts.vault.set_inner(Vault { job: job_key, tokens: vault_tokens });
    let job = &mut ctx.accounts.job;
    job.set_inner(Job {
        client,
        provider: Pubkey::default(),
        status: JobStatus::Open,
        payment_mint,
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
