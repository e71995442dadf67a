//! Token escrow. A token job's escrow sits in its vault's token account, `["vault_tokens", job]`,
//! which `post_job` creates owned by the vault PDA, and leaves it only by `transfer_checked`, signed by
//! the vault PDA, to token accounts verified to belong to the party paid. Lamport jobs pass none of
//! these accounts.
//!
//! Only this program can create the vault's token account (it signs for the address), but anyone can
//! send tokens to it once it exists. So every exit settles what the account actually holds: the job's
//! escrow as the settlement divides it, and any surplus to the client, leaving it empty to close.

use anchor_lang::prelude::*;
use anchor_spl::associated_token::{create_idempotent, Create};
use anchor_spl::token_interface::TokenInterface;

use crate::constants::VAULT_SEED;
use crate::cpi::{close_token_account, TokenTransfer};
use crate::error::MarketError;
use crate::math::pricing::Settlement;
use crate::state::{Job, PaymentMint, Vault};
use crate::token_account::{read_mint_decimals, read_owned, read_token_account};

/// The token side of a job's escrow, all absent for a lamport job. Instructions that pay no provider
/// or fee take `provider_tokens` and `treasury_tokens` absent too. The mint and token accounts are
/// read in place (`token_account`) and checked against the job in `TokenAccounts::escrow`.
#[derive(Accounts)]
pub struct TokenAccounts<'info> {
    /// The market's record of the job's mint.
    pub payment_mint: Option<Box<Account<'info, PaymentMint>>>,
    /// CHECK: the job's mint, owned by the token program passed.
    pub mint: Option<UncheckedAccount<'info>>,
    /// CHECK: the vault's token account, holding the escrow: the vault's `tokens`.
    #[account(mut)]
    pub vault_tokens: Option<UncheckedAccount<'info>>,
    /// CHECK: receives the client's refund: a token account of the job's client in the job's mint.
    #[account(mut)]
    pub client_tokens: Option<UncheckedAccount<'info>>,
    /// CHECK: receives the provider's payout: a token account of the job's provider in the job's mint.
    #[account(mut)]
    pub provider_tokens: Option<UncheckedAccount<'info>>,
    /// CHECK: receives the fee: a token account of the market treasury in the job's mint; may also be a party's.
    #[account(mut)]
    pub treasury_tokens: Option<UncheckedAccount<'info>>,
    /// CHECK: the provider's bond token account in the job's mint, which a failed bonded job's slash
    /// leaves; read only then, and checked against the bond (`bonds::slash_bond`).
    #[account(mut)]
    pub bond_tokens: Option<UncheckedAccount<'info>>,
    pub token_program: Option<Interface<'info, TokenInterface>>,
}

/// Who a settlement pays besides the client.
pub enum Payees<'k> {
    /// Only the client is refunded (cancel, assign, expire).
    ClientOnly,
    /// The provider and the treasury are paid too (complete, finalize, resolve).
    ProviderAndTreasury { treasury: &'k Pubkey },
}

/// A token job's escrow accounts, each verified against the job.
pub struct TokenEscrow<'a, 'info> {
    pub payment_mint: &'a Account<'info, PaymentMint>,
    mint: AccountInfo<'info>,
    /// What the vault's token account holds: the job's escrow, plus whatever anyone sent it.
    held: u64,
    decimals: u8,
    vault_tokens: AccountInfo<'info>,
    client_tokens: AccountInfo<'info>,
    provider_tokens: Option<AccountInfo<'info>>,
    treasury_tokens: Option<AccountInfo<'info>>,
    token_program: Pubkey,
    vault: AccountInfo<'info>,
    job: Pubkey,
    vault_bump: [u8; 1],
}

impl<'info> TokenAccounts<'info> {
    fn is_empty(&self) -> bool {
        self.payment_mint.is_none()
            && self.mint.is_none()
            && self.vault_tokens.is_none()
            && self.client_tokens.is_none()
            && self.provider_tokens.is_none()
            && self.treasury_tokens.is_none()
            && self.bond_tokens.is_none()
            && self.token_program.is_none()
    }

    /// `None` for a lamport job (which must pass no token account); for a token job, every account
    /// it needs, verified: the job's mint and its payment mint record, the token program owning it,
    /// the vault's token account, and token accounts of the client (and of the provider and treasury
    /// when they are paid) in that mint.
    pub fn escrow<'a>(
        &'a self,
        job: &Job,
        job_key: Pubkey,
        vault: &AccountLoader<'info, Vault>,
        payees: Payees,
    ) -> Result<Option<TokenEscrow<'a, 'info>>> {
        if !job.is_token_job() {
            ensure!(self.is_empty(), MarketError::UnexpectedTokenAccounts);
            return Ok(None);
        }
        let missing = || Error::from(MarketError::MissingTokenAccounts);
        let mint_key = job.payment_mint;
        let mint = self.mint.as_ref().ok_or_else(missing)?;
        ensure!(mint.key() == mint_key, MarketError::WrongMint);
        let token_program = self.token_program.as_ref().ok_or_else(missing)?.key();
        ensure!(token_program == *mint.owner, MarketError::WrongTokenProgram);
        let decimals = read_mint_decimals(mint, &token_program)?;
        let vault_tokens = self.vault_tokens.as_ref().ok_or_else(missing)?;
        ensure!(vault_tokens.key() == vault.load()?.tokens, MarketError::WrongVault);
        let vault_state = read_token_account(vault_tokens, &token_program)?;
        ensure!(!vault_state.frozen, MarketError::EscrowFrozen);
        // Only this program moves tokens out of the vault, and only the job's escrow: it holds at least that.
        ensure!(vault_state.amount >= job.escrow, MarketError::MathOverflow);
        let client_tokens = self.client_tokens.as_ref().ok_or_else(missing)?;
        read_owned(client_tokens, &token_program, &job.client, &mint_key)?;

        let (provider_tokens, treasury_tokens) = match payees {
            Payees::ClientOnly => (None, None),
            Payees::ProviderAndTreasury { treasury } => {
                let provider_tokens = self.provider_tokens.as_ref().ok_or_else(missing)?;
                read_owned(provider_tokens, &token_program, &job.provider, &mint_key)?;
                let treasury_tokens = self.treasury_tokens.as_ref().ok_or_else(missing)?;
                read_owned(treasury_tokens, &token_program, treasury, &mint_key)?;
                (Some(provider_tokens.to_account_info()), Some(treasury_tokens.to_account_info()))
            }
        };
        let escrow = TokenEscrow {
            mint: mint.to_account_info(),
            held: vault_state.amount,
            decimals,
            vault_tokens: vault_tokens.to_account_info(),
            client_tokens: client_tokens.to_account_info(),
            provider_tokens,
            treasury_tokens,
            token_program,
            vault: vault.to_account_info(),
            job: job_key,
            vault_bump: [job.vault_bump],
            payment_mint: self.payment_mint.as_ref().ok_or_else(missing)?,
        };
        ensure!(escrow.payment_mint.mint == mint_key, MarketError::WrongMint);
        Ok(Some(escrow))
    }
}

impl<'info> TokenEscrow<'_, 'info> {
    /// The vault PDA's seeds, with which the program signs for the vault's token account.
    fn vault_seeds(&self) -> [&[u8]; 3] {
        [VAULT_SEED, self.job.as_ref(), &self.vault_bump]
    }

    fn transfer(&self, to: &AccountInfo<'info>, amount: u64) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let seeds = self.vault_seeds();
        self.transfer_between(&self.vault_tokens, to, &self.vault).send(amount, &[&seeds])
    }

    fn transfer_between<'t>(&'t self, from: &'t AccountInfo<'info>, to: &'t AccountInfo<'info>, authority: &'t AccountInfo<'info>) -> TokenTransfer<'t, 'info> {
        TokenTransfer { token_program: &self.token_program, from, mint: &self.mint, to, authority, decimals: self.decimals }
    }

    /// Returns `amount` of the escrow to the client's token account; the job goes on.
    pub fn refund(&mut self, amount: u64) -> Result<()> {
        self.transfer(&self.client_tokens, amount)?;
        self.held = self.held.checked_sub(amount).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        Ok(())
    }

    /// Adds `amount` to the escrow from the client's token account, signed by the client (`authority`).
    pub fn deposit(&mut self, authority: &AccountInfo<'info>, amount: u64) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        self.transfer_between(&self.client_tokens, &self.vault_tokens, authority).send(amount, &[])?;
        self.held = self.held.checked_add(amount).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        Ok(())
    }

    /// Pays a final settlement of `escrow`: provider, treasury and client each their share, and the
    /// client whatever the vault holds beyond the escrow. The vault's token account is left empty.
    pub fn pay_out(&mut self, escrow: u64, settlement: &Settlement) -> Result<()> {
        let surplus = self.held.checked_sub(escrow).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        if let Some(provider_tokens) = &self.provider_tokens {
            self.transfer(provider_tokens, settlement.provider)?;
        }
        if let Some(treasury_tokens) = &self.treasury_tokens {
            self.transfer(treasury_tokens, settlement.fee)?;
        }
        ensure!(
            settlement.spent() == Some(0) || (self.provider_tokens.is_some() && self.treasury_tokens.is_some()),
            MarketError::MissingTokenAccounts
        );
        let to_client = settlement.refund.checked_add(surplus).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        self.transfer(&self.client_tokens, to_client)?;
        self.held = 0;
        Ok(())
    }

    /// Base units beyond the job's escrow that anyone sent to the vault.
    pub fn surplus(&self, escrow: u64) -> u64 {
        self.held.saturating_sub(escrow)
    }

    /// Closes the emptied vault token account, its rent (and any lamports sent to it) to `rent_to`, the
    /// client, who paid it.
    pub fn close(&self, rent_to: &AccountInfo<'info>) -> Result<()> {
        let seeds = self.vault_seeds();
        close_token_account(&self.token_program, &self.vault_tokens, rent_to, &self.vault, &[&seeds])
    }
}

/// Creates `owner`'s associated token account for `mint` unless it exists, paid by `payer`.
/// The associated token program checks the address.
pub fn create_associated_account<'info>(
    payer: AccountInfo<'info>,
    owner: AccountInfo<'info>,
    mint: AccountInfo<'info>,
    associated_token: AccountInfo<'info>,
    token_program: AccountInfo<'info>,
    system_program: AccountInfo<'info>,
) -> Result<()> {
    let accounts = Create { payer, associated_token, authority: owner, mint, system_program, token_program };
    create_idempotent(CpiContext::new(anchor_spl::associated_token::ID, accounts))
}
