//! Creates the singleton market. Signed by the program's upgrade authority, who becomes its first admin
//! and pays its rent: nobody watching a deployment can take the market first. Emits MarketInitialized.

use anchor_lang::prelude::*;

use crate::constants::MARKET_SEED;
use crate::error::MarketError;
use crate::events::MarketInitialized;
use crate::program_data::upgrade_authority;
use crate::state::{space, BondTerms, validate_treasury, Market, TimeWindows};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct InitializeMarketArgs {
    pub fee_bps: u16,
    pub matcher: Option<Pubkey>,
    pub windows: TimeWindows,
    pub bonds: BondTerms,
}

#[derive(Accounts)]
pub struct InitializeMarket<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(init, payer = admin, space = space::<Market>(), seeds = [MARKET_SEED], bump)]
    pub market: AccountLoader<'info, Market>,
    /// CHECK: any rent-exempt System Program account may receive fees; checked by `validate_treasury`.
    pub treasury: UncheckedAccount<'info>,
    /// The program's data account under the upgradeable loader, naming its upgrade authority.
    /// CHECK: its address comes from the seeds; `program_data::upgrade_authority` reads it.
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = anchor_lang::solana_program::bpf_loader_upgradeable::ID,
        constraint = upgrade_authority(&program_data)? == Some(admin.key()) @ MarketError::NotUpgradeAuthority,
    )]
    pub program_data: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_initialize_market(ctx: Context<InitializeMarket>, args: InitializeMarketArgs) -> Result<()> {
    Market::validate_fee(args.fee_bps)?;
    args.windows.validate()?;
    args.bonds.validate()?;
    validate_treasury(&ctx.accounts.treasury)?;
    if let Some(matcher) = args.matcher {
        ensure!(matcher != Pubkey::default(), MarketError::InvalidMatcher);
    }

    let now = Clock::get()?.unix_timestamp;
    let mut market = ctx.accounts.market.load_init()?;
    market.admin = ctx.accounts.admin.key();
    market.treasury = ctx.accounts.treasury.key();
    market.matcher = args.matcher.unwrap_or_default();
    market.fee_bps = args.fee_bps;
    market.bump = ctx.bumps.market;
    market.windows = args.windows;
    market.set_bond_terms(&args.bonds);

    emit!(MarketInitialized {
        market: ctx.accounts.market.key(),
        admin: market.admin,
        treasury: market.treasury,
        fee_bps: market.fee_bps,
        matcher: market.matcher(),
        windows: market.windows,
        bonds: market.bond_terms(),
        timestamp: now,
    });
    Ok(())
}
