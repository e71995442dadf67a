//! Registers the signer as a provider offering capacity at hourly rates, with the assignment policy it
//! consents to. A provider that retired registers again into the same record: its reputation, history
//! and anything it is owed carry over. Emits ProviderRegistered.

use anchor_lang::prelude::*;

use crate::rent::current_rent_exempt_minimum;
use crate::constants::PROVIDER_SEED;
use crate::error::MarketError;
use crate::events::ProviderRegistered;
use crate::pda::{existing_zero_copy_body, new_zero_copy_body, NewPda};
use crate::state::{space, Hardware, Market, Provider, Rates, Resources, StoredUri};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct RegisterProviderArgs {
    pub capacity: Resources,
    pub rates: Rates,
    /// What the machine is: required GPU model and memory when GPUs are offered.
    pub hardware: Hardware,
    pub metadata_uri: String,
    /// Who besides the provider may assign it jobs: ASSIGN_BY_CLIENTS and/or ASSIGN_BY_MATCHER.
    pub assignment: u8,
}

#[derive(Accounts)]
pub struct RegisterProvider<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    pub market: AccountLoader<'info, Market>,
    /// CHECK: the provider's record at `["provider", authority]`: created here, or reopened if retired.
    #[account(mut, seeds = [PROVIDER_SEED, authority.key().as_ref()], bump)]
    pub provider: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_register_provider(ctx: Context<RegisterProvider>, args: RegisterProviderArgs) -> Result<()> {
    ctx.accounts.market.load()?.require_open_for_business()?;
    Provider::validate_offer(&args.capacity, &args.rates, &args.hardware)?;
    Provider::validate_assignment(args.assignment)?;
    let metadata_uri = StoredUri::new(&args.metadata_uri)?;
    let accounts = ctx.accounts;
    let authority = accounts.authority.key();
    let account = accounts.provider.to_account_info();

    let now = Clock::get()?.unix_timestamp;
    let mut provider = if account.data_is_empty() {
        let rent = current_rent_exempt_minimum(space::<Provider>())?;
        let bump = [ctx.bumps.provider];
        NewPda { payer: &accounts.authority, account: &account, seeds: &[PROVIDER_SEED, authority.as_ref(), &bump] }
            .create(space::<Provider>(), rent)?;
        let mut provider = new_zero_copy_body::<Provider>(&account)?;
        provider.authority = authority;
        provider.registered_at = now;
        provider.bump = ctx.bumps.provider;
        provider
    } else {
        let provider = existing_zero_copy_body::<Provider>(&account)?;
        ensure!(provider.retired != 0, MarketError::ProviderAlreadyRegistered);
        provider
    };
    provider.retired = 0;
    provider.active = 1;
    provider.capacity = args.capacity;
    provider.free = args.capacity;
    provider.rates = args.rates;
    provider.set_hardware(&args.hardware);
    provider.assignment = args.assignment;
    provider.last_active_at = now;
    provider.metadata_uri = metadata_uri;
    provider.refresh_reputation();

    emit!(ProviderRegistered {
        provider: account.key(),
        authority,
        capacity: provider.capacity,
        rates: provider.rates,
        hardware: args.hardware,
        metadata_uri: args.metadata_uri,
        assignment: provider.assignment,
        reputation: provider.reputation,
        timestamp: now,
    });
    Ok(())
}
