//! Changes the fee, treasury, matcher, pause flag, time windows or bond terms. Signed by the admin. Emits MarketUpdated.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::MarketUpdated;
use crate::state::{validate_treasury, BondTerms, Market, TimeWindows};

/// Each `None` leaves that setting as it is. The treasury changes when a `new_treasury` account is passed.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Default)]
pub struct UpdateMarketArgs {
    pub fee_bps: Option<u16>,
    pub paused: Option<bool>,
    pub windows: Option<TimeWindows>,
    /// New bond terms: later jobs take the slash share, withdrawals requested later the cool-down.
    pub bonds: Option<BondTerms>,
    /// A new matcher authority.
    pub set_matcher: Option<Pubkey>,
    /// Remove the matcher authority.
    pub clear_matcher: bool,
}

#[derive(Accounts)]
pub struct UpdateMarket<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ MarketError::NotAdmin)]
    pub market: AccountLoader<'info, Market>,
    /// CHECK: checked by `validate_treasury` when present.
    pub new_treasury: Option<UncheckedAccount<'info>>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_update_market(ctx: Context<UpdateMarket>, args: UpdateMarketArgs) -> Result<()> {
    ensure!(!(args.clear_matcher && args.set_matcher.is_some()), MarketError::ConflictingMatcherUpdate);
    // Every account is checked before the market's data is borrowed for writing: the new treasury may be
    // any account, the market itself included, and is refused by name, never by a borrow panic.
    if let Some(treasury) = &ctx.accounts.new_treasury {
        validate_treasury(treasury)?;
    }
    let mut market = ctx.accounts.market.load_mut()?;

    if let Some(fee_bps) = args.fee_bps {
        Market::validate_fee(fee_bps)?;
        market.fee_bps = fee_bps;
    }
    if let Some(windows) = args.windows {
        windows.validate()?;
        market.windows = windows;
    }
    if let Some(bonds) = args.bonds {
        bonds.validate()?;
        market.set_bond_terms(&bonds);
    }
    if let Some(treasury) = &ctx.accounts.new_treasury {
        market.treasury = treasury.key();
    }
    if let Some(matcher) = args.set_matcher {
        ensure!(matcher != Pubkey::default(), MarketError::InvalidMatcher);
        market.matcher = matcher;
    }
    if args.clear_matcher {
        market.matcher = Pubkey::default();
    }
    if let Some(paused) = args.paused {
        market.paused = paused.into();
    }

    emit!(MarketUpdated {
        admin: market.admin,
        treasury: market.treasury,
        fee_bps: market.fee_bps,
        paused: market.is_paused(),
        matcher: market.matcher(),
        windows: market.windows,
        bonds: market.bond_terms(),
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
