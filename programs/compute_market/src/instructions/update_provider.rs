//! Changes a provider's capacity, rates, hardware, metadata URI or assignment policy. Signed by its authority. Emits ProviderUpdated.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::ProviderUpdated;
use crate::state::{Hardware, Provider, Rates, Resources, StoredUri};

/// Each `None` leaves that field as it is. Capacity may not shrink below what jobs in flight hold.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Default)]
pub struct UpdateProviderArgs {
    pub capacity: Option<Resources>,
    pub rates: Option<Rates>,
    /// Declared again with a capacity that adds or removes GPUs.
    pub hardware: Option<Hardware>,
    pub metadata_uri: Option<String>,
    /// Who besides the provider may assign it jobs: ASSIGN_BY_CLIENTS and/or ASSIGN_BY_MATCHER.
    pub assignment: Option<u8>,
}

#[derive(Accounts)]
pub struct UpdateProvider<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        has_one = authority @ MarketError::WrongProvider,
        constraint = provider.load()?.retired == 0 @ MarketError::ProviderRetired,
    )]
    pub provider: AccountLoader<'info, Provider>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_update_provider(ctx: Context<UpdateProvider>, args: UpdateProviderArgs) -> Result<()> {
    let mut provider = ctx.accounts.provider.load_mut()?;
    let capacity = args.capacity.unwrap_or(provider.capacity);
    let rates = args.rates.unwrap_or(provider.rates);
    let hardware = args.hardware.unwrap_or(provider.hardware());
    Provider::validate_offer(&capacity, &rates, &hardware)?;
    let metadata_uri = args.metadata_uri.as_deref().map(StoredUri::new).transpose()?;
    if let Some(assignment) = args.assignment {
        Provider::validate_assignment(assignment)?;
        provider.assignment = assignment;
    }

    provider.resize(capacity)?;
    provider.rates = rates;
    provider.set_hardware(&hardware);
    if let Some(uri) = metadata_uri {
        provider.metadata_uri = uri;
    }
    let now = Clock::get()?.unix_timestamp;
    provider.last_active_at = now;

    emit!(ProviderUpdated {
        provider: ctx.accounts.provider.key(),
        authority: provider.authority,
        capacity: provider.capacity,
        free: provider.free,
        rates: provider.rates,
        hardware,
        metadata_uri: provider.metadata_uri.to_string_lossy().into_owned(),
        assignment: provider.assignment,
        timestamp: now,
    });
    Ok(())
}
