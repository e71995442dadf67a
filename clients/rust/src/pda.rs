//! Program-derived addresses, derived exactly as the program's seeds say.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::{BOND_SEED, CLIENT_SEED, JOB_SEED, MARKET_SEED, PAIR_SEED, PAYMENT_MINT_SEED, PROVIDER_SEED, QUOTE_SEED, VAULT_SEED, VAULT_TOKENS_SEED};
use compute_market::ID;

pub fn market() -> Pubkey {
    Pubkey::find_program_address(&[MARKET_SEED], &ID).0
}

pub fn provider(authority: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[PROVIDER_SEED, authority.as_ref()], &ID).0
}

pub fn client_profile(authority: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[CLIENT_SEED, authority.as_ref()], &ID).0
}

pub fn job(client: &Pubkey, job_id: u64) -> Pubkey {
    job_with_bump(client, job_id).0
}

pub fn job_with_bump(client: &Pubkey, job_id: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[JOB_SEED, client.as_ref(), &job_id.to_le_bytes()], &ID)
}

pub fn vault(job: &Pubkey) -> Pubkey {
    vault_with_bump(job).0
}

pub fn vault_with_bump(job: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[VAULT_SEED, job.as_ref()], &ID)
}

/// A token job's vault token account, holding its escrow.
pub fn vault_tokens(job: &Pubkey) -> Pubkey {
    vault_tokens_with_bump(job).0
}

pub fn vault_tokens_with_bump(job: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[VAULT_TOKENS_SEED, job.as_ref()], &ID)
}

pub fn payment_mint(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[PAYMENT_MINT_SEED, mint.as_ref()], &ID).0
}

pub fn quote(provider_authority: &Pubkey, mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[QUOTE_SEED, provider_authority.as_ref(), mint.as_ref()], &ID).0
}

/// The record of a provider (its authority) and a client that paid it for counted work.
pub fn pair(provider_authority: &Pubkey, client: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[PAIR_SEED, provider_authority.as_ref(), client.as_ref()], &ID).0
}

/// A provider's bond in `mint`: the default key for lamports.
pub fn bond(provider_authority: &Pubkey, mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[BOND_SEED, provider_authority.as_ref(), mint.as_ref()], &ID).0
}

/// The program's data account under the upgradeable loader: it names the upgrade authority.
pub fn program_data() -> Pubkey {
    Pubkey::find_program_address(&[ID.as_ref()], &anchor_lang::solana_program::bpf_loader_upgradeable::ID).0
}

/// The associated token account of `owner` for `mint` under `token_program`.
pub fn ata(owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    anchor_spl::associated_token::get_associated_token_address_with_program_id(owner, mint, token_program)
}
