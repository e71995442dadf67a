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
    pub market: Account<'info, Market>,
    #[account(mut, constraint = client_profile.authority == client.key() @ MarketError::WrongClientProfile)]
    pub client_profile: Account<'info, ClientProfile>,
    #[account(
        mut,
        has_one = client @ MarketError::NotJobClient,
        constraint = job.status == JobStatus::Submitted @ MarketError::InvalidJobStatus,
    )]
    pub job: Box<Account<'info, Job>>,
    #[account(mut, constraint = vault.job == job.key() @ MarketError::WrongVault, close = client)]
    pub vault: Account<'info, Vault>,
    #[account(mut, constraint = provider.authority == job.provider @ MarketError::WrongProvider)]
    pub provider: Box<Account<'info, Provider>>,
    /// CHECK: receives the provider's payout; must be the job's provider.
    #[account(mut, address = job.provider @ MarketError::WrongProviderWallet)]
    pub provider_wallet: UncheckedAccount<'info>,
    /// CHECK: receives the fee; must be the market treasury, which may also be a party's wallet.
    #[account(mut, dup, address = market.treasury @ MarketError::WrongTreasury)]
    pub treasury: UncheckedAccount<'info>,
    pub tokens: TokenAccounts<'info>,
}

pub fn handle_complete_and_pay(ctx: Context<CompleteAndPay>, rating: Option<u8>) -> Result<()> {
    if let Some(stars) = rating {
        require!((MIN_RATING..=MAX_RATING).contains(&stars), MarketError::InvalidRating);
    }
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
    .complete(rating, now)?;

    let job = &accounts.job;
    emit!(JobCompleted {
        job: job.key(),
        client: job.client,
        provider: job.provider,
        payment_mint: job.payment_mint,
        provider_payout: settlement.provider,
        fee: settlement.fee,
        refund: settlement.refund,
        rating,
        auto_released: false,
        provider_reputation: accounts.provider.reputation,
        timestamp: now,
    });
    Ok(())
}
