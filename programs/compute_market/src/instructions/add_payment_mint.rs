//! Admin: lets jobs be paid in a Token or Token-2022 mint whose extensions keep transfers exact, and
//! creates the treasury's associated token account for its fees (paid by the admin). A mint with a
//! freeze authority (USDC has one) can freeze a vault: it is accepted only when the admin acknowledges
//! that, and the authority is recorded. Wrapped SOL is refused. Emits PaymentMintAdded.

use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{Mint, TokenInterface};

use crate::constants::PAYMENT_MINT_SEED;
use crate::error::MarketError;
use crate::events::PaymentMintAdded;
use crate::state::{validate_mint_authorities, validate_mint_extensions, Market, PaymentMint};
use crate::token_escrow::create_associated_account;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddPaymentMintArgs {
    /// The admin accepts that the mint's freeze authority can freeze a job's escrow until it thaws it.
    /// Required when the mint has a freeze authority.
    pub acknowledge_freeze_authority: bool,
    /// What one whole token counts as in lamports when reputation weighs work paid in it.
    pub reputation_lamports_per_token: u64,
}

#[derive(Accounts)]
pub struct AddPaymentMint<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(has_one = admin @ MarketError::NotAdmin, has_one = treasury @ MarketError::WrongTreasury)]
    pub market: AccountLoader<'info, Market>,
    #[account(owner = token_program.key() @ MarketError::WrongTokenProgram)]
    pub mint: InterfaceAccount<'info, Mint>,
    #[account(
        init,
        payer = admin,
        space = 8 + PaymentMint::INIT_SPACE,
        seeds = [PAYMENT_MINT_SEED, mint.key().as_ref()],
        bump,
    )]
    pub payment_mint: Account<'info, PaymentMint>,
    /// CHECK: the market treasury (`has_one` on market); owns the fee account.
    pub treasury: UncheckedAccount<'info>,
    /// CHECK: the treasury's associated token account for the mint; the associated token program checks the address.
    #[account(mut)]
    pub treasury_tokens: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_add_payment_mint(ctx: Context<AddPaymentMint>, args: AddPaymentMintArgs) -> Result<()> {
    let accounts = ctx.accounts;
    let freeze_authority: Option<Pubkey> = accounts.mint.freeze_authority.into();
    validate_mint_authorities(&accounts.mint.key(), freeze_authority, args.acknowledge_freeze_authority)?;
    ensure!(args.reputation_lamports_per_token > 0, MarketError::InvalidReputationValue);
    validate_mint_extensions(&accounts.mint.to_account_info())?;
    create_associated_account(
        accounts.admin.to_account_info(),
        accounts.treasury.to_account_info(),
        accounts.mint.to_account_info(),
        accounts.treasury_tokens.to_account_info(),
        accounts.token_program.to_account_info(),
        accounts.system_program.to_account_info(),
    )?;

    let payment_mint = &mut accounts.payment_mint;
    payment_mint.set_inner(PaymentMint {
        mint: accounts.mint.key(),
        token_program: accounts.token_program.key(),
        freeze_authority: freeze_authority.unwrap_or_default(),
        reputation_lamports_per_token: args.reputation_lamports_per_token,
        decimals: accounts.mint.decimals,
        enabled: true,
        bump: ctx.bumps.payment_mint,
    });

    emit!(PaymentMintAdded {
        payment_mint: payment_mint.key(),
        mint: payment_mint.mint,
        token_program: payment_mint.token_program,
        decimals: payment_mint.decimals,
        freeze_authority,
        reputation_lamports_per_token: payment_mint.reputation_lamports_per_token,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
