//! Provider: adds to its bond in lamports or in an accepted mint, creating the bond (and its token
//! account) at the first deposit in that currency, paid by the provider. Whatever the bond's account
//! holds beyond it, someone's gift, joins the bond. Emits BondDeposited.

use anchor_lang::prelude::*;
use crate::rent::current_rent_exempt_minimum;
use crate::cpi;

use crate::bond_vault::*;
use crate::constants::BOND_SEED;
use crate::error::MarketError;
use crate::events::BondDeposited;
use crate::pda::{existing_zero_copy_body, new_zero_copy_body, NewPda};
use crate::state::{space, Bond, Provider};

#[derive(Accounts)]
pub struct DepositBond<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(has_one = authority @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    /// CHECK: the provider's bond in the currency, `["bond", authority, mint or the default key]`:
    /// created here at its address when it does not exist, else checked by its contents.
    #[account(mut)]
    pub bond: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
    pub tokens: BondTokens<'info>,
}

impl DepositBond<'_> {
    /// Creates the bond at its address when it does not exist yet.
    fn create_bond(&self, mint: &Pubkey, tokens: Pubkey) -> Result<()> {
        let authority = self.authority.key();
        let (address, bump) = Pubkey::find_program_address(&[BOND_SEED, authority.as_ref(), mint.as_ref()], &crate::ID);
        ensure!(address == self.bond.key(), MarketError::WrongBond);
        let rent = current_rent_exempt_minimum(space::<Bond>())?;
        NewPda {
            payer: &self.authority.to_account_info(),
            account: &self.bond.to_account_info(),
            seeds: &[BOND_SEED, authority.as_ref(), mint.as_ref(), &[bump]],
        }
        .create(space::<Bond>(), rent)?;
        let mut bond = new_zero_copy_body::<Bond>(&self.bond)?;
        bond.provider = authority;
        bond.mint = *mint;
        bond.tokens = tokens;
        bond.bump = bump;
        Ok(())
    }
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_deposit_bond(ctx: Context<DepositBond>, amount: u64) -> Result<()> {
    ensure!(amount > 0, MarketError::InvalidBondAmount);
    let accounts = ctx.accounts;
    let authority = accounts.authority.key();
    let mint = accounts.tokens.currency();
    let tokens = accounts.tokens.checked(&authority, true)?;
    let bond_info = accounts.bond.to_account_info();
    if bond_info.data_is_empty() {
        let token_account = tokens.as_ref().map(|t| t.bond_tokens.key()).unwrap_or_default();
        accounts.create_bond(&mint, token_account)?;
    }
    {
        let bond = existing_zero_copy_body::<Bond>(&bond_info).map_err(|_| Error::from(MarketError::WrongBond))?;
        ensure!(bond.provider == authority && bond.mint == mint, MarketError::WrongBond);
        if let Some(tokens) = &tokens {
            ensure!(tokens.bond_tokens.key() == bond.tokens, MarketError::WrongBond);
        }
    }
    let balance = match &tokens {
        Some(tokens) => {
            tokens.create_account(&accounts.authority.to_account_info(), &bond_info, &accounts.system_program.to_account_info())?;
            tokens.deposit(&accounts.authority.to_account_info(), amount)?;
            tokens.balance()?
        }
        None => {
            cpi::transfer(&accounts.authority, &bond_info, amount, &[])?;
            lamport_balance(&bond_info)?
        }
    };
    let mut bond = existing_zero_copy_body::<Bond>(&bond_info)?;
    bond.held = bond.held.checked_add(amount).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    bond.count_balance(balance);

    emit!(BondDeposited { provider: authority, mint, amount, held: bond.held, timestamp: Clock::get()?.unix_timestamp });
    Ok(())
}
