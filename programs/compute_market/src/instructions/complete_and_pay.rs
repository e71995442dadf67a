//! The client accepts a submitted result, optionally rating it 1-5: the provider is paid for the time
//! worked, the fee goes to the treasury, the rest of the escrow and the vault's rent return to the client.
//! Emits JobCompleted.

use anchor_lang::prelude::*;

use crate::constants::{MAX_RATING, MIN_RATING};
use crate::error::MarketError;
use crate::events::JobCompleted;
use crate::settlement::Payout;
use crate::token_escrow::*;
use crate::state::{ClientProfile, Job, JobStatus, Market, Provider, Vault};

#[derive(Accounts)]
pub struct CompleteAndPay<'info> {
    #[account(mut)]
    pub client: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, Market>,
    #[account(mut, constraint = client_profile.load()?.authority == client.key() @ MarketError::WrongClientProfile)]
    pub client_profile: AccountLoader<'info, ClientProfile>,
    #[account(
        mut,
        has_one = client @ MarketError::NotJobClient,
        constraint = job.load()?.is(JobStatus::Submitted) @ MarketError::InvalidJobStatus,
    )]
    pub job: AccountLoader<'info, Job>,
    #[account(mut, constraint = vault.load()?.job == job.key() @ MarketError::WrongVault, close = client)]
    pub vault: AccountLoader<'info, Vault>,
    #[account(mut, constraint = provider.load()?.authority == job.load()?.provider @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    /// CHECK: receives the provider's payout; must be the job's provider.
    #[account(mut, address = job.load()?.provider @ MarketError::WrongProviderWallet)]
    pub provider_wallet: UncheckedAccount<'info>,
    /// CHECK: receives the fee; must be the market treasury, which may also be a party's wallet.
    #[account(mut, dup, address = market.load()?.treasury @ MarketError::WrongTreasury)]
    pub treasury: UncheckedAccount<'info>,
    pub tokens: TokenAccounts<'info>,
}

pub fn handle_complete_and_pay(ctx: Context<CompleteAndPay>, rating: Option<u8>) -> Result<()> {
    if let Some(stars) = rating {
        require!((MIN_RATING..=MAX_RATING).contains(&stars), MarketError::InvalidRating);
    }
    let now = Clock::get()?.unix_timestamp;
    let accounts = ctx.accounts;
    let mut market = accounts.market.load_mut()?;
    let mut job = accounts.job.load_mut()?;
    let mut provider = accounts.provider.load_mut()?;
    let treasury = market.treasury;
    let payees = Payees::ProviderAndTreasury { treasury: &treasury };
    let tokens = accounts.tokens.escrow(&job, accounts.job.key(), &accounts.vault, payees)?;
    let settlement = Payout {
        market: &mut market,
        client_profile: &mut *accounts.client_profile.load_mut()?,
        job: &mut job,
        provider: &mut provider,
        vault: accounts.vault.to_account_info(),
        provider_wallet: accounts.provider_wallet.to_account_info(),
        treasury: accounts.treasury.to_account_info(),
        client: accounts.client.to_account_info(),
        tokens,
    }
    .complete(rating, now)?;

    emit!(JobCompleted {
        job: accounts.job.key(),
        client: job.client,
        provider: job.provider,
        payment_mint: job.payment_mint,
        provider_payout: settlement.provider,
        fee: settlement.fee,
        refund: settlement.refund,
        rating,
        auto_released: false,
        provider_reputation: provider.reputation,
        timestamp: now,
    });
    Ok(())
}
