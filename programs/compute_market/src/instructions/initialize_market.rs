//! Creates the singleton market. Signed by its first admin, who pays its rent. Emits MarketInitialized.

use anchor_lang::prelude::*;

use crate::constants::MARKET_SEED;
use crate::error::MarketError;
use crate::events::MarketInitialized;
use crate::state::{validate_treasury, Market, MarketStats, TimeWindows};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct InitializeMarketArgs {
    pub fee_bps: u16,
    pub matcher: Option<Pubkey>,
    pub windows: TimeWindows,
}

#[derive(Accounts)]
pub struct InitializeMarket<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(init, payer = admin, space = 8 + Market::INIT_SPACE, seeds = [MARKET_SEED], bump)]
    pub market: Account<'info, Market>,
    /// CHECK: any rent-exempt System Program account may receive fees; checked by `validate_treasury`.
    pub treasury: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handle_initialize_market(ctx: Context<InitializeMarket>, args: InitializeMarketArgs) -> Result<()> {
    Market::validate_fee(args.fee_bps)?;
    args.windows.validate()?;
    validate_treasury(&ctx.accounts.treasury)?;
    if let Some(matcher) = args.matcher {
        require!(matcher != Pubkey::default(), MarketError::InvalidMatcher);
    }

    let now = Clock::get()?.unix_timestamp;
    let market = &mut ctx.accounts.market;
    market.set_inner(Market {
        admin: ctx.accounts.admin.key(),
        treasury: ctx.accounts.treasury.key(),
        fee_bps: args.fee_bps,
        paused: false,
        bump: ctx.bumps.market,
        windows: args.windows,
        stats: MarketStats::default(),
        matcher: args.matcher,
        pending_admin: None,
    });

    emit!(MarketInitialized {
        market: market.key(),
        admin: market.admin,
        treasury: market.treasury,
        fee_bps: market.fee_bps,
        matcher: market.matcher,
        windows: market.windows,
        timestamp: now,
    });
    Ok(())
}
