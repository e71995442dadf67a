//! Program-derived addresses, derived exactly as the program's seeds say.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::{CLIENT_SEED, JOB_SEED, MARKET_SEED, PROVIDER_SEED, VAULT_SEED};
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
    Pubkey::find_program_address(&[JOB_SEED, client.as_ref(), &job_id.to_le_bytes()], &ID).0
}

pub fn vault(job: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[VAULT_SEED, job.as_ref()], &ID).0
}
