//! The admin, as arbiter, splits a disputed job's escrow in basis points between provider and client;
//! the fee applies only to the provider's share. The only way the admin can move escrow. Emits DisputeResolved.

use anchor_lang::prelude::*;

use crate::constants::BPS_DENOMINATOR;
use crate::error::MarketError;
use crate::events::DisputeResolved;
use crate::settlement::Payout;
use crate::token_escrow::*;
use crate::state::{ClientProfile, Job, JobStatus, Market, Provider, Vault};

#[derive(Accounts)]
pub struct ResolveDispute<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ MarketError::NotAdmin)]
    pub market: Account<'info, Market>,
    #[account(mut, constraint = client_profile.authority == job.client @ MarketError::WrongClientProfile)]
    pub client_profile: Account<'info, ClientProfile>,
    #[account(
        mut,
        has_one = client @ MarketError::WrongClient,
        constraint = job.status == JobStatus::Disputed @ MarketError::InvalidJobStatus,
    )]
    pub job: Box<Account<'info, Job>>,
    #[account(mut, constraint = vault.job == job.key() @ MarketError::WrongVault, close = client)]
    pub vault: Account<'info, Vault>,
    #[account(mut, constraint = provider.authority == job.provider @ MarketError::WrongProvider)]
    pub provider: Box<Account<'info, Provider>>,
    /// CHECK: receives the provider's share; must be the job's provider.
    #[account(mut, address = job.provider @ MarketError::WrongProviderWallet)]
    pub provider_wallet: UncheckedAccount<'info>,
    /// CHECK: receives the fee; must be the market treasury, which may also be a party's wallet.
    #[account(mut, dup, address = market.treasury @ MarketError::WrongTreasury)]
    pub treasury: UncheckedAccount<'info>,
    /// CHECK: receives the client's share and the vault's rent; must be the job's client (`has_one` on job).
    #[account(mut)]
    pub client: UncheckedAccount<'info>,
    pub tokens: TokenAccounts<'info>,
}

pub fn handle_resolve_dispute(ctx: Context<ResolveDispute>, provider_bps: u16) -> Result<()> {
    require!(provider_bps <= BPS_DENOMINATOR, MarketError::InvalidSplit);
    let now = Clock::get()?.unix_timestamp;
    let accounts = ctx.accounts;
    let treasury = accounts.market.treasury;
    let payees = Payees::ProviderAndTreasury { treasury: &treasury };
    let tokens = accounts.tokens.escrow(&accounts.job, accounts.job.key(), &accounts.vault, payees)?;
    let settlement = Payout {
        market: &mut accounts.market,
        client_profile: &mut accounts.client_profile,
        job: &mut accounts.job,
        provider: &mut accounts.provider,
        vault: accounts.vault.to_account_info(),
        provider_wallet: accounts.provider_wallet.to_account_info(),
        treasury: accounts.treasury.to_account_info(),
        client: accounts.client.to_account_info(),
        tokens,
    }
    .resolve(provider_bps, now)?;

    let job = &accounts.job;
    emit!(DisputeResolved {
        job: job.key(),
        client: job.client,
        provider: job.provider,
        arbiter: accounts.admin.key(),
        payment_mint: job.payment_mint,
        provider_bps,
        provider_payout: settlement.provider,
        fee: settlement.fee,
        refund: settlement.refund,
        provider_reputation: accounts.provider.reputation,
        timestamp: now,
    });
    Ok(())
}
