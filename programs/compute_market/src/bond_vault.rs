//! A bond's own money: deposits and withdrawals, in lamports held by the bond account itself or in an
//! accepted mint held by the bond's associated token account. Lamport bonds pass none of the token
//! accounts; token bonds pass them all, each checked against the bond.

use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::TokenInterface;

use crate::constants::BOND_SEED;
use crate::cpi::TokenTransfer;
use crate::error::MarketError;
use crate::rent::current_rent_exempt_minimum;
use crate::state::{space, Bond, PaymentMint};
use crate::token_account::{read_mint_decimals, read_owned, read_token_account};
use crate::token_escrow::create_associated_account;

/// The token side of a bond, all absent for a lamport bond.
#[derive(Accounts)]
pub struct BondTokens<'info> {
    /// The market's record of the mint: deposits only in an accepted, enabled mint.
    pub payment_mint: Option<Box<Account<'info, PaymentMint>>>,
    /// CHECK: the bond's mint, owned by the token program passed (`token_account`).
    pub mint: Option<UncheckedAccount<'info>>,
    /// CHECK: the bond's associated token account: created at the first deposit (the associated token
    /// program checks its address), then the bond's `tokens`.
    #[account(mut)]
    pub bond_tokens: Option<UncheckedAccount<'info>>,
    /// CHECK: the provider's token account in the mint, read in place (`token_account`): pays deposits
    /// and receives withdrawals.
    #[account(mut)]
    pub provider_tokens: Option<UncheckedAccount<'info>>,
    pub token_program: Option<Interface<'info, TokenInterface>>,
    pub associated_token_program: Option<Program<'info, AssociatedToken>>,
}

/// A token bond's accounts, checked.
pub struct BondTokenAccounts<'info> {
    pub mint: AccountInfo<'info>,
    decimals: u8,
    pub bond_tokens: AccountInfo<'info>,
    pub provider_tokens: AccountInfo<'info>,
    pub token_program: AccountInfo<'info>,
}

impl<'info> BondTokens<'info> {
    fn is_empty(&self) -> bool {
        self.payment_mint.is_none()
            && self.mint.is_none()
            && self.bond_tokens.is_none()
            && self.provider_tokens.is_none()
            && self.token_program.is_none()
            && self.associated_token_program.is_none()
    }

    /// The bond's currency: the mint passed, or the default key when no token account is passed.
    pub fn currency(&self) -> Pubkey {
        self.mint.as_ref().map(|mint| mint.key()).unwrap_or_default()
    }

    /// `None` for a lamport bond (which passes no token account); for a token bond its mint, the token
    /// program owning it, and token accounts of the provider (`owner`) and of the bond in that mint.
    /// `deposit` also requires the market's record of the mint, enabled.
    pub fn checked(&self, owner: &Pubkey, deposit: bool) -> Result<Option<BondTokenAccounts<'info>>> {
        let Some(mint) = self.mint.as_ref() else {
            ensure!(self.is_empty(), MarketError::UnexpectedTokenAccounts);
            return Ok(None);
        };
        let missing = || Error::from(MarketError::MissingTokenAccounts);
        let token_program = self.token_program.as_ref().ok_or_else(missing)?;
        ensure!(token_program.key() == *mint.owner, MarketError::WrongTokenProgram);
        let decimals = read_mint_decimals(mint, &token_program.key())?;
        if deposit {
            let payment_mint = self.payment_mint.as_ref().ok_or_else(missing)?;
            ensure!(payment_mint.mint == mint.key(), MarketError::WrongMint);
            payment_mint.require_enabled()?;
            self.associated_token_program.as_ref().ok_or_else(missing)?;
        }
        let provider_tokens = self.provider_tokens.as_ref().ok_or_else(missing)?;
        read_owned(provider_tokens, &token_program.key(), owner, &mint.key())?;
        Ok(Some(BondTokenAccounts {
            mint: mint.to_account_info(),
            decimals,
            bond_tokens: self.bond_tokens.as_ref().ok_or_else(missing)?.to_account_info(),
            provider_tokens: provider_tokens.to_account_info(),
            token_program: token_program.to_account_info(),
        }))
    }
}

impl<'info> BondTokenAccounts<'info> {
    fn transfer_between<'t>(&'t self, from: &'t AccountInfo<'info>, to: &'t AccountInfo<'info>, authority: &'t AccountInfo<'info>) -> TokenTransfer<'t, 'info> {
        TokenTransfer { token_program: self.token_program.key, from, mint: &self.mint, to, authority, decimals: self.decimals }
    }

    /// What the bond's token account holds.
    pub fn balance(&self) -> Result<u64> {
        Ok(read_token_account(&self.bond_tokens, self.token_program.key)?.amount)
    }

    /// Moves `amount` from the provider's token account into the bond's, signed by the provider.
    pub fn deposit(&self, authority: &AccountInfo<'info>, amount: u64) -> Result<()> {
        self.transfer_between(&self.provider_tokens, &self.bond_tokens, authority).send(amount, &[])
    }

    /// Moves `amount` from the bond's token account to the provider's, signed by the bond.
    pub fn withdraw(&self, bond: &AccountInfo<'info>, seeds: &[&[u8]], amount: u64) -> Result<()> {
        self.transfer_between(&self.bond_tokens, &self.provider_tokens, bond).send(amount, &[seeds])
    }

    /// Creates the bond's associated token account unless it exists, paid by `payer`.
    pub fn create_account(&self, payer: &AccountInfo<'info>, bond: &AccountInfo<'info>, system_program: &AccountInfo<'info>) -> Result<()> {
        create_associated_account(
            payer.clone(),
            bond.clone(),
            self.mint.clone(),
            self.bond_tokens.clone(),
            self.token_program.clone(),
            system_program.clone(),
        )
    }
}

/// What a lamport bond holds beyond its rent.
pub fn lamport_balance(bond: &AccountInfo) -> Result<u64> {
    let rent = current_rent_exempt_minimum(space::<Bond>())?;
    Ok(bond.lamports().saturating_sub(rent))
}

/// The seeds of a bond's address, which signs for its lamports and tokens.
pub fn bond_seeds<'a>(provider: &'a Pubkey, mint: &'a Pubkey, bump: &'a [u8; 1]) -> [&'a [u8]; 4] {
    [BOND_SEED, provider.as_ref(), mint.as_ref(), bump]
}
