//! A job's hold on its provider's bond: locked when the job is assigned, released when it leaves flight,
//! and slashed to the client, inside the instruction that ends it, when the provider fails it (not
//! started in time, no result by the deadline, a dispute lost). No one decides a slash: the job's terms
//! (`Job::min_bond`, `Job::slash_bps`) and the way it ended do.
//!
//! Every instruction that assigns or ends an assigned job takes the provider's bond account in the job's
//! currency (`["bond", provider, mint]`), bonded or not; for a job that asks for no bond it is neither
//! read nor written, so clients derive one address in all cases.

use std::cell::RefMut;

use anchor_lang::prelude::*;

use crate::bond_vault::bond_seeds;
use crate::cpi::TokenTransfer;
use crate::error::MarketError;
use crate::pda::existing_zero_copy_body;
use crate::state::{Bond, Job};
use crate::token_account::{read_mint_decimals, read_token_account};
use crate::token_escrow::TokenAccounts;

/// The bond a bonded job holds part of, checked to be `provider`'s in the job's currency; `None` for a
/// job that asks for no bond. Only this program writes bonds, and only at their own address, so a bond
/// naming the provider and the mint is the one.
pub fn bond_of<'a>(account: &'a AccountInfo, provider: &Pubkey, job: &Job) -> Result<Option<RefMut<'a, Bond>>> {
    if !job.is_bonded() {
        return Ok(None);
    }
    let bond = existing_zero_copy_body::<Bond>(account).map_err(|_| Error::from(MarketError::WrongBond))?;
    ensure!(bond.provider == *provider && bond.mint == job.payment_mint, MarketError::WrongBond);
    Ok(Some(bond))
}

/// Locks the job's minimum bond on `provider`'s bond as it is assigned, or refuses (`BondTooSmall`).
pub fn lock_bond(account: &AccountInfo, provider: &Pubkey, job: &Job) -> Result<()> {
    if let Some(mut bond) = bond_of(account, provider, job)? {
        bond.lock(job.min_bond)?;
    }
    Ok(())
}

/// Releases the job's lock as it leaves flight without a fault of its provider.
pub fn release_bond(account: &AccountInfo, job: &Job) -> Result<()> {
    if let Some(mut bond) = bond_of(account, &job.provider, job)? {
        bond.unlock(job.min_bond, 0)?;
    }
    Ok(())
}

/// Releases the job's lock as its provider fails it, slashing `Job::slash` of it to the client: lamports
/// to `client`, tokens from the bond's token account to the client's (`tokens`, verified against the job
/// by the settlement before this). A token bond whose account the mint's freeze authority froze cannot
/// pay: its lock is released unslashed rather than hold up the client's refund. Returns what was slashed.
pub fn slash_bond<'info>(account: &AccountInfo<'info>, job: &Job, tokens: &TokenAccounts<'info>, client: &AccountInfo<'info>) -> Result<u64> {
    let Some(mut bond) = bond_of(account, &job.provider, job)? else {
        return Ok(0);
    };
    if !job.is_token_job() {
        let slashed = bond.unlock(job.min_bond, job.slash())?;
        drop(bond);
        if slashed > 0 {
            account.sub_lamports(slashed)?;
            client.add_lamports(slashed)?;
        }
        return Ok(slashed);
    }
    let missing = || Error::from(MarketError::MissingTokenAccounts);
    let token_program = tokens.token_program.as_ref().ok_or_else(missing)?.key();
    let bond_tokens = tokens.bond_tokens.as_ref().ok_or_else(missing)?.to_account_info();
    ensure!(bond_tokens.key() == bond.tokens, MarketError::WrongBond);
    if read_token_account(&bond_tokens, &token_program)?.frozen {
        bond.unlock(job.min_bond, 0)?;
        return Ok(0);
    }
    let slashed = bond.unlock(job.min_bond, job.slash())?;
    let (provider, mint, bump) = (bond.provider, bond.mint, bond.bump);
    drop(bond);
    if slashed > 0 {
        let token_mint = tokens.mint.as_ref().ok_or_else(missing)?.to_account_info();
        let decimals = read_mint_decimals(&token_mint, &token_program)?;
        let client_tokens = tokens.client_tokens.as_ref().ok_or_else(missing)?;
        let bump = [bump];
        let seeds = bond_seeds(&provider, &mint, &bump);
        let to = client_tokens.to_account_info();
        let transfer = TokenTransfer { token_program: &token_program, from: &bond_tokens, mint: &token_mint, to: &to, authority: account, decimals };
        transfer.send(slashed, &[&seeds])?;
    }
    Ok(slashed)
}
