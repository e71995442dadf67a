//! Assigns an open job to a provider, reserving its capacity and refunding escrow above the agreed price.
//! A bonded job locks its minimum bond on the provider's bond in its currency. Emits JobAssigned.
//!
//! Only with the provider's consent: signed by the provider accepting, or by the job's client or the
//! market's matcher where the provider's published assignment policy lets them. The signer states the
//! highest hourly price it saw (`max_price_per_hour`): a provider repricing in between is refused.

use anchor_lang::prelude::*;

use crate::bonds::lock_bond;
use crate::error::MarketError;
use crate::events::JobAssigned;
use crate::math::pricing::{cost_for, hourly_price};
use crate::settlement::{can_receive, transfer_from_vault};
use crate::state::{ClientProfile, Job, JobStatus, Market, MintQuote, Provider, Rates, Vault};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AssignJobArgs {
    /// The highest hourly price the assigner accepts: the provider's price as the assigner saw it.
    pub max_price_per_hour: u64,
}
use crate::token_escrow::*;

#[derive(Accounts)]
pub struct AssignJob<'info> {
    /// The client, the provider's authority, or the market's matcher.
    pub assigner: Signer<'info>,
    pub market: AccountLoader<'info, Market>,
    #[account(
        mut,
        has_one = client @ MarketError::WrongClient,
        constraint = job.load()?.is(JobStatus::Open) @ MarketError::InvalidJobStatus,
    )]
    pub job: AccountLoader<'info, Job>,
    #[account(mut, constraint = vault.load()?.job == job.key() @ MarketError::WrongVault)]
    pub vault: AccountLoader<'info, Vault>,
    #[account(mut)]
    pub provider: AccountLoader<'info, Provider>,
    #[account(mut, constraint = client_profile.load()?.authority == job.load()?.client @ MarketError::WrongClientProfile)]
    pub client_profile: AccountLoader<'info, ClientProfile>,
    /// CHECK: receives the escrow refund; must be the job's client (`has_one` on job).
    #[account(mut)]
    pub client: UncheckedAccount<'info>,
    /// The provider's rates in the job's mint; required for a token job, absent for a lamport job.
    pub quote: Option<Account<'info, MintQuote>>,
    /// CHECK: the provider's bond in the job's currency; read and written only for a bonded job, which
    /// locks its minimum bond there (`bonds::lock_bond`).
    #[account(mut)]
    pub bond: UncheckedAccount<'info>,
    pub tokens: TokenAccounts<'info>,
}

impl AssignJob<'_> {
    /// The rates that price this job: the provider's quote in the job's mint, or its lamport rates.
    fn rates(&self, job: &Job, provider: &Provider) -> Result<Rates> {
        match (&self.quote, job.is_token_job()) {
            (None, false) => Ok(provider.rates),
            (Some(_), false) => Err(Error::from(MarketError::UnexpectedTokenAccounts)),
            (None, true) => Err(Error::from(MarketError::WrongQuote)),
            (Some(quote), true) => {
                ensure!(
                    quote.provider == provider.authority && quote.mint == job.payment_mint,
                    MarketError::WrongQuote
                );
                // The quote was checked against the capacity of its day; the job's resources must be priced now.
                ensure!(quote.rates.is_valid_for(&job.requirements), MarketError::InvalidRates);
                Ok(quote.rates)
            }
        }
    }
}

pub fn handle_assign_job(ctx: Context<AssignJob>, args: AssignJobArgs) -> Result<()> {
    let accounts = ctx.accounts;
    let market = accounts.market.load()?;
    market.require_open_for_business()?;
    let assigner = accounts.assigner.key();
    let job_key = accounts.job.key();
    let mut job = accounts.job.load_mut()?;
    let mut provider = accounts.provider.load_mut()?;
    let rates = accounts.rates(&job, &provider)?;
    ensure!(provider.consents_to(&assigner, &job.client, market.is_matcher(&assigner)), MarketError::NotAssigner);
    ensure!(provider.authority != job.client, MarketError::SelfDealing);
    if let Some(target) = job.target_provider() {
        ensure!(target == provider.authority, MarketError::NotTargetProvider);
    }
    ensure!(provider.is_active(), MarketError::ProviderInactive);
    ensure!(job.requirements.fits_in(&provider.free), MarketError::InsufficientCapacity);
    if job.requirements.gpus > 0 {
        job.gpu.check(provider.gpu_model, provider.vram_gb)?;
    }
    let price = hourly_price(&rates, &job.requirements).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    ensure!(price <= job.max_price_per_hour, MarketError::PriceAboveMax);
    ensure!(price <= args.max_price_per_hour, MarketError::PriceChanged);
    ensure!(provider.reputation >= job.min_reputation, MarketError::ReputationTooLow);
    lock_bond(&accounts.bond, &provider.authority, &job)?;

    let payment = cost_for(price, job.duration_secs.into()).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    let refund = job.escrow.checked_sub(payment).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    // A client wallet that could not hold the refund now (below the rent-exempt minimum) gets it when the
    // job settles: it stays in the escrow, which settlement returns to the client beyond the payment.
    let refunded = match accounts.tokens.escrow(&job, job_key, &accounts.vault, Payees::ClientOnly)? {
        Some(mut tokens) => {
            tokens.refund(refund)?;
            refund
        }
        None if can_receive(&accounts.client, refund)? => {
            transfer_from_vault(&accounts.vault.to_account_info(), &accounts.client, refund)?;
            accounts.client_profile.load_mut()?.record_refund(refund);
            refund
        }
        None => 0,
    };

    let now = Clock::get()?.unix_timestamp;
    provider.reserve(&job.requirements)?;
    if assigner == provider.authority {
        provider.last_active_at = now;
    }
    job.provider = provider.authority;
    job.agreed_price_per_hour = price;
    job.escrow = job.escrow.checked_sub(refunded).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    job.client_refund = job.client_refund.saturating_add(refunded);
    job.assigned_at = now;
    job.start_deadline = now
        .checked_add(job.windows.start_window_secs.into())
        .ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    job.set_status(JobStatus::Assigned);

    emit!(JobAssigned {
        job: job_key,
        client: job.client,
        provider: job.provider,
        assigned_by: assigner,
        payment_mint: job.payment_mint,
        agreed_price_per_hour: price,
        escrow: job.escrow,
        refund: refunded,
        start_deadline: job.start_deadline,
        timestamp: now,
    });
    Ok(())
}
