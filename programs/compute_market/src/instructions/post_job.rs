//! Posts a job and escrows max price x duration in its vault: lamports, or base units of an accepted
//! mint held in the vault's token account, `["vault_tokens", job]`, created here. The job takes the
//! market's fee, time windows and bond slash share as its terms and keeps them. Signed by the client.
//! Emits JobPosted.
//!
//! No market-wide account is written: a job's whole path leaves the Market and PaymentMint read-only,
//! so jobs never queue behind one another on a shared account.
//!
//! The job, vault and vault token accounts are created here from bumps the client supplies (derived
//! off-chain with `findProgramAddress`): the runtime accepts only the addresses those seeds and bumps
//! derive (see `pda`), and the program spends no compute on bump searches. The job id is the client's next id, so a
//! job's address is unique whatever bump derives it.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

use crate::constants::{JOB_SEED, MAX_JOB_DURATION_SECS, MAX_PRICE_PER_HOUR, MAX_REPUTATION, MIN_JOB_DURATION_SECS, VAULT_SEED, VAULT_TOKENS_SEED};
use crate::cpi::{initialize_token_account, TokenTransfer};
use crate::error::MarketError;
use crate::events::JobPosted;
use crate::math::pricing::cost_for;
use crate::pda::{new_zero_copy_body, NewPda};
use crate::rent::rent_exempt_minimum;
use crate::state::{space, tally, validate_uri, ClientProfile, GpuNeeds, Job, JobStatus, Market, PaymentMint, Resources, Vault};
use crate::token_account::{read_mint_decimals, read_owned, TOKEN_ACCOUNT_LEN};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PostJobArgs {
    /// Must equal the client profile's `next_job_id`.
    pub job_id: u64,
    /// Bump of the job's address, seeds `["job", client, job_id as u64 little-endian]`.
    pub job_bump: u8,
    /// Bump of the vault's address, seeds `["vault", job]`.
    pub vault_bump: u8,
    /// Bump of the vault's token account, seeds `["vault_tokens", job]`: for a token job only.
    pub vault_tokens_bump: Option<u8>,
    pub requirements: Resources,
    /// What the job needs of each GPU it asks for; all zero for any GPU (and for a job without GPUs).
    pub gpu: GpuNeeds,
    pub duration_secs: u32,
    /// Highest price per hour the client accepts, in lamports or the payment mint's base units.
    pub max_price_per_hour: u64,
    pub min_reputation: u16,
    /// Bond the provider must have free in the job's currency to take it (locked while the job is in
    /// flight, partly slashed to the client if the provider fails it); 0 for none.
    pub min_bond: u64,
    /// Reserve the job for one provider (its authority).
    pub target_provider: Option<Pubkey>,
    /// sha256 of the job spec.
    pub spec_hash: [u8; 32],
    pub spec_uri: String,
}

impl PostJobArgs {
    /// Checks the terms and returns the escrow they require.
    pub fn validate(&self, client: &Pubkey) -> Result<u64> {
        ensure!(self.requirements.is_valid_amount(), MarketError::InvalidRequirements);
        self.gpu.validate_for(&self.requirements)?;
        ensure!(
            (MIN_JOB_DURATION_SECS..=MAX_JOB_DURATION_SECS).contains(&self.duration_secs),
            MarketError::InvalidDuration
        );
        ensure!(
            self.max_price_per_hour > 0 && self.max_price_per_hour <= MAX_PRICE_PER_HOUR,
            MarketError::InvalidPrice
        );
        ensure!(self.min_reputation <= MAX_REPUTATION, MarketError::InvalidMinReputation);
        ensure!(self.spec_hash != [0; 32], MarketError::InvalidHash);
        validate_uri(&self.spec_uri)?;
        if let Some(target) = &self.target_provider {
            ensure!(target != &Pubkey::default() && target != client, MarketError::InvalidTargetProvider);
        }
        let escrow = cost_for(self.max_price_per_hour, self.duration_secs.into()).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        ensure!(escrow > 0, MarketError::InvalidPrice);
        Ok(escrow)
    }
}

#[derive(Accounts)]
pub struct PostJob<'info> {
    #[account(mut)]
    pub client: Signer<'info>,
    pub market: AccountLoader<'info, Market>,
    /// The client's profile; `args.job_id` must be its next job id.
    #[account(mut, constraint = client_profile.load()?.authority == client.key() @ MarketError::WrongClientProfile)]
    pub client_profile: AccountLoader<'info, ClientProfile>,
    /// CHECK: created here at `["job", client, job_id]` with `args.job_bump`; only that PDA can be created.
    #[account(mut)]
    pub job: UncheckedAccount<'info>,
    /// CHECK: created here at `["vault", job]` with `args.vault_bump`; only that PDA can be created.
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
    /// The market's record of the mint to pay in. This and the accounts below are absent for a lamport job.
    pub payment_mint: Option<Box<Account<'info, PaymentMint>>>,
    /// CHECK: the mint to pay in: the payment mint record's, owned by the token program passed.
    pub mint: Option<UncheckedAccount<'info>>,
    /// CHECK: the client's token account the escrow comes from, read in place (`token_account`).
    #[account(mut)]
    pub client_tokens: Option<UncheckedAccount<'info>>,
    /// CHECK: the vault's token account, created here at `["vault_tokens", job]` with
    /// `args.vault_tokens_bump`; only that PDA can be created.
    #[account(mut)]
    pub vault_tokens: Option<UncheckedAccount<'info>>,
    pub token_program: Option<Interface<'info, TokenInterface>>,
}

impl PostJob<'_> {
    /// Creates the job and vault accounts, the client paying their rent; a lamport job's vault is
    /// created holding the escrow as well.
    fn create_accounts(&self, args: &PostJobArgs, lamport_escrow: u64, rent: &Rent) -> Result<()> {
        let client = self.client.key();
        let job = NewPda {
            payer: &self.client,
            account: &self.job,
            seeds: &[JOB_SEED, client.as_ref(), &args.job_id.to_le_bytes(), &[args.job_bump]],
        };
        job.create(space::<Job>(), rent_exempt_minimum(rent, space::<Job>()))?;
        let vault_lamports = rent_exempt_minimum(rent, space::<Vault>())
            .checked_add(lamport_escrow)
            .ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        let vault = NewPda {
            payer: &self.client,
            account: &self.vault,
            seeds: &[VAULT_SEED, self.job.key.as_ref(), &[args.vault_bump]],
        };
        vault.create(space::<Vault>(), vault_lamports)
    }

    /// For a token job, creates the vault's token account (the client paying its rent), moves `escrow`
    /// into it from the client's token account, and returns the mint and the vault's token account; for
    /// a lamport job (whose vault was funded at creation), checks that no token account or bump was
    /// passed and returns default keys.
    fn deposit_tokens(&self, args: &PostJobArgs, escrow: u64, rent: &Rent) -> Result<(Pubkey, Pubkey)> {
        let (Some(payment_mint), Some(mint), Some(client_tokens), Some(vault_tokens), Some(token_program)) =
            (&self.payment_mint, &self.mint, &self.client_tokens, &self.vault_tokens, &self.token_program)
        else {
            let none = self.payment_mint.is_none()
                && self.mint.is_none()
                && self.client_tokens.is_none()
                && self.vault_tokens.is_none()
                && self.token_program.is_none();
            ensure!(none, MarketError::MissingTokenAccounts);
            ensure!(args.vault_tokens_bump.is_none(), MarketError::UnexpectedTokenAccounts);
            return Ok((Pubkey::default(), Pubkey::default()));
        };
        let bump = args.vault_tokens_bump.ok_or_else(|| Error::from(MarketError::MissingTokenAccounts))?;
        payment_mint.require_enabled()?;
        ensure!(payment_mint.mint == mint.key(), MarketError::WrongMint);
        let token_program = token_program.key();
        ensure!(payment_mint.token_program == token_program, MarketError::WrongTokenProgram);
        let decimals = read_mint_decimals(mint, &token_program)?;
        read_owned(client_tokens, &token_program, &self.client.key(), &mint.key())?;
        // The payment mint's extensions need no account extension (`SAFE_MINT_EXTENSIONS`): a plain
        // token account's size serves both token programs.
        let account = NewPda {
            payer: &self.client,
            account: vault_tokens,
            seeds: &[VAULT_TOKENS_SEED, self.job.key.as_ref(), &[bump]],
        };
        account.create_owned_by(TOKEN_ACCOUNT_LEN, rent_exempt_minimum(rent, TOKEN_ACCOUNT_LEN), &token_program)?;
        initialize_token_account(&token_program, vault_tokens, mint, self.vault.key)?;
        let transfer = TokenTransfer { token_program: &token_program, from: client_tokens, mint, to: vault_tokens, authority: &self.client, decimals };
        transfer.send(escrow, &[])?;
        Ok((mint.key(), vault_tokens.key()))
    }
}

pub fn handle_post_job(ctx: Context<PostJob>, args: PostJobArgs) -> Result<()> {
    let accounts = ctx.accounts;
    let (fee_bps, windows, slash_bps) = {
        let market = accounts.market.load()?;
        market.require_open_for_business()?;
        (market.fee_bps, market.windows, market.slash_bps)
    };
    let client = accounts.client.key();
    let escrow = args.validate(&client)?;
    ensure!(accounts.client_profile.load()?.next_job_id == args.job_id, MarketError::JobIdMismatch);
    let lamport_escrow = if accounts.payment_mint.is_some() { 0 } else { escrow };
    // The cluster's rent, read once for the job, its vault and a token job's vault token account.
    let rent = Rent::get()?;
    accounts.create_accounts(&args, lamport_escrow, &rent)?;
    let (payment_mint, vault_tokens) = accounts.deposit_tokens(&args, escrow, &rent)?;

    let now = Clock::get()?.unix_timestamp;
    let job_key = accounts.job.key();
    {
        let mut vault = new_zero_copy_body::<Vault>(&accounts.vault)?;
        vault.job = job_key;
        vault.tokens = vault_tokens;
    }
    let mut job = new_zero_copy_body::<Job>(&accounts.job)?;
    job.client = client;
    job.payment_mint = payment_mint;
    job.target_provider = args.target_provider.unwrap_or_default();
    job.job_id = args.job_id;
    job.max_price_per_hour = args.max_price_per_hour;
    job.escrow = escrow;
    job.posted_at = now;
    job.requirements = args.requirements;
    job.gpu = args.gpu;
    job.duration_secs = args.duration_secs;
    job.min_reputation = args.min_reputation;
    job.min_bond = args.min_bond;
    job.slash_bps = slash_bps;
    job.set_status(JobStatus::Open);
    job.bump = args.job_bump;
    job.vault_bump = args.vault_bump;
    job.spec_hash = args.spec_hash;
    job.spec_uri.set(&args.spec_uri)?;
    job.fee_bps = fee_bps;
    job.windows = windows;

    let mut profile = accounts.client_profile.load_mut()?;
    profile.next_job_id = profile.next_job_id.checked_add(1).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    profile.jobs_posted = tally(profile.jobs_posted, 1);
    emit!(JobPosted {
        job: job_key,
        client,
        job_id: args.job_id,
        payment_mint,
        requirements: args.requirements,
        gpu: args.gpu,
        duration_secs: args.duration_secs,
        max_price_per_hour: args.max_price_per_hour,
        escrow,
        min_reputation: args.min_reputation,
        min_bond: args.min_bond,
        slash_bps,
        target_provider: args.target_provider,
        spec_hash: args.spec_hash,
        fee_bps,
        windows,
        timestamp: now,
    });
    Ok(())
}
