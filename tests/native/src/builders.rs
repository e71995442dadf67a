//! One instruction builder per program instruction, filling in every PDA from the parties' keys.
//! Tests that substitute accounts build the account list by hand with `raw`.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use compute_market::instructions::{InitializeMarketArgs, PostJobArgs, RegisterProviderArgs, UpdateMarketArgs, UpdateProviderArgs};
use compute_market::{accounts, instruction, ID};
use solana_instruction::Instruction;

use crate::pda;

/// An instruction from Anchor's generated account and data types.
pub fn raw(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

pub fn initialize_market(admin: &Pubkey, treasury: &Pubkey, args: InitializeMarketArgs) -> Instruction {
    raw(
        accounts::InitializeMarket {
            admin: *admin,
            market: pda::market(),
            treasury: *treasury,
            system_program: system_program::ID,
        },
        instruction::InitializeMarket { args },
    )
}

pub fn update_market(admin: &Pubkey, new_treasury: Option<Pubkey>, args: UpdateMarketArgs) -> Instruction {
    raw(
        accounts::UpdateMarket { admin: *admin, market: pda::market(), new_treasury },
        instruction::UpdateMarket { args },
    )
}

pub fn propose_admin(admin: &Pubkey, new_admin: Pubkey) -> Instruction {
    raw(accounts::ProposeAdmin { admin: *admin, market: pda::market() }, instruction::ProposeAdmin { new_admin })
}

pub fn accept_admin(new_admin: &Pubkey) -> Instruction {
    raw(accounts::AcceptAdmin { new_admin: *new_admin, market: pda::market() }, instruction::AcceptAdmin {})
}

pub fn register_provider(authority: &Pubkey, args: RegisterProviderArgs) -> Instruction {
    raw(
        accounts::RegisterProvider {
            authority: *authority,
            market: pda::market(),
            provider: pda::provider(authority),
            system_program: system_program::ID,
        },
        instruction::RegisterProvider { args },
    )
}

pub fn update_provider(authority: &Pubkey, args: UpdateProviderArgs) -> Instruction {
    raw(
        accounts::UpdateProvider { authority: *authority, provider: pda::provider(authority) },
        instruction::UpdateProvider { args },
    )
}

pub fn set_provider_active(authority: &Pubkey, active: bool) -> Instruction {
    raw(
        accounts::SetProviderActive { authority: *authority, provider: pda::provider(authority) },
        instruction::SetProviderActive { active },
    )
}

pub fn close_provider(authority: &Pubkey) -> Instruction {
    raw(
        accounts::CloseProvider { authority: *authority, market: pda::market(), provider: pda::provider(authority) },
        instruction::CloseProvider {},
    )
}

pub fn register_client(authority: &Pubkey) -> Instruction {
    raw(
        accounts::RegisterClient {
            authority: *authority,
            market: pda::market(),
            client_profile: pda::client_profile(authority),
            system_program: system_program::ID,
        },
        instruction::RegisterClient {},
    )
}

pub fn post_job(client: &Pubkey, args: PostJobArgs) -> Instruction {
    let job = pda::job(client, args.job_id);
    raw(
        accounts::PostJob {
            client: *client,
            market: pda::market(),
            client_profile: pda::client_profile(client),
            job,
            vault: pda::vault(&job),
            system_program: system_program::ID,
        },
        instruction::PostJob { args },
    )
}

pub fn cancel_job(client: &Pubkey, job: &Pubkey) -> Instruction {
    raw(
        accounts::CancelJob {
            client: *client,
            market: pda::market(),
            client_profile: pda::client_profile(client),
            job: *job,
            vault: pda::vault(job),
        },
        instruction::CancelJob {},
    )
}

pub fn assign_job(assigner: &Pubkey, client: &Pubkey, job: &Pubkey, provider_authority: &Pubkey) -> Instruction {
    raw(
        accounts::AssignJob {
            assigner: *assigner,
            market: pda::market(),
            job: *job,
            vault: pda::vault(job),
            provider: pda::provider(provider_authority),
            client_profile: pda::client_profile(client),
            client: *client,
        },
        instruction::AssignJob {},
    )
}

pub fn start_job(provider_authority: &Pubkey, job: &Pubkey) -> Instruction {
    raw(
        accounts::StartJob {
            authority: *provider_authority,
            market: pda::market(),
            provider: pda::provider(provider_authority),
            job: *job,
        },
        instruction::StartJob {},
    )
}

pub fn submit_result(provider_authority: &Pubkey, job: &Pubkey, result_hash: [u8; 32]) -> Instruction {
    raw(
        accounts::SubmitResult {
            authority: *provider_authority,
            market: pda::market(),
            provider: pda::provider(provider_authority),
            job: *job,
        },
        instruction::SubmitResult { result_hash },
    )
}

/// The parties of an assigned job, from which every settlement account follows.
#[derive(Clone, Copy, Debug)]
pub struct JobParties {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub treasury: Pubkey,
}

pub fn complete_and_pay(p: &JobParties, rating: Option<u8>) -> Instruction {
    raw(
        accounts::CompleteAndPay {
            client: p.client,
            market: pda::market(),
            client_profile: pda::client_profile(&p.client),
            job: p.job,
            vault: pda::vault(&p.job),
            provider: pda::provider(&p.provider),
            provider_wallet: p.provider,
            treasury: p.treasury,
        },
        instruction::CompleteAndPay { rating },
    )
}

pub fn finalize_job(caller: &Pubkey, p: &JobParties) -> Instruction {
    raw(
        accounts::FinalizeJob {
            caller: *caller,
            market: pda::market(),
            client_profile: pda::client_profile(&p.client),
            job: p.job,
            vault: pda::vault(&p.job),
            provider: pda::provider(&p.provider),
            provider_wallet: p.provider,
            treasury: p.treasury,
            client: p.client,
        },
        instruction::FinalizeJob {},
    )
}

pub fn dispute_job(client: &Pubkey, job: &Pubkey) -> Instruction {
    raw(
        accounts::DisputeJob { client: *client, market: pda::market(), job: *job },
        instruction::DisputeJob {},
    )
}

pub fn resolve_dispute(admin: &Pubkey, p: &JobParties, provider_bps: u16) -> Instruction {
    raw(
        accounts::ResolveDispute {
            admin: *admin,
            market: pda::market(),
            client_profile: pda::client_profile(&p.client),
            job: p.job,
            vault: pda::vault(&p.job),
            provider: pda::provider(&p.provider),
            provider_wallet: p.provider,
            treasury: p.treasury,
            client: p.client,
        },
        instruction::ResolveDispute { provider_bps },
    )
}

pub fn expire_job(caller: &Pubkey, p: &JobParties) -> Instruction {
    raw(
        accounts::ExpireJob {
            caller: *caller,
            market: pda::market(),
            client_profile: pda::client_profile(&p.client),
            job: p.job,
            vault: pda::vault(&p.job),
            provider: pda::provider(&p.provider),
            client: p.client,
        },
        instruction::ExpireJob {},
    )
}

pub fn close_job(client: &Pubkey, job: &Pubkey) -> Instruction {
    raw(accounts::CloseJob { client: *client, job: *job }, instruction::CloseJob {})
}
