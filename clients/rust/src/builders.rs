//! One instruction builder per program instruction, filling in every PDA from the parties' keys.
//! Tests that substitute accounts build the account list by hand with `raw`.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use compute_market::instructions::{
    AddPaymentMintArgs, AssignJobArgs, InitializeMarketArgs, PostJobArgs, RegisterProviderArgs, UpdateMarketArgs, UpdateProviderArgs,
};
use compute_market::state::Rates;
use compute_market::{accounts, instruction, ID};
use solana_instruction::Instruction;

use crate::pda;

/// How a job is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pay {
    Lamports,
    /// In an SPL token: the mint and the token program that owns it.
    Token { mint: Pubkey, token_program: Pubkey },
}

impl Pay {
    /// The mint recorded on a job paid this way: the default key for lamports.
    pub fn mint(&self) -> Pubkey {
        match self {
            Pay::Lamports => Pubkey::default(),
            Pay::Token { mint, .. } => *mint,
        }
    }

    /// The mint and token program of a token payment; for helpers that only make sense for tokens.
    pub fn token(&self) -> (Pubkey, Pubkey) {
        match self {
            Pay::Token { mint, token_program } => (*mint, *token_program),
            Pay::Lamports => panic!("a token payment was expected, not lamports"),
        }
    }

    /// The token accounts of a job paid this way: none for lamports; for a token, the vault's token
    /// account and the associated token accounts of the client, and of the provider, its bond and the
    /// treasury when given.
    pub fn accounts(&self, job: &Pubkey, client: &Pubkey, payees: Option<(&Pubkey, &Pubkey)>) -> accounts::TokenAccounts {
        match *self {
            Pay::Lamports => accounts::TokenAccounts {
                payment_mint: None,
                mint: None,
                vault_tokens: None,
                client_tokens: None,
                provider_tokens: None,
                treasury_tokens: None,
                bond_tokens: None,
                token_program: None,
            },
            Pay::Token { mint, token_program } => {
                let ata = |owner: &Pubkey| pda::ata(owner, &mint, &token_program);
                accounts::TokenAccounts {
                    payment_mint: Some(pda::payment_mint(&mint)),
                    mint: Some(mint),
                    vault_tokens: Some(pda::vault_tokens(job)),
                    client_tokens: Some(ata(client)),
                    provider_tokens: payees.map(|(provider, _)| ata(provider)),
                    treasury_tokens: payees.map(|(_, treasury)| ata(treasury)),
                    bond_tokens: payees.map(|(provider, _)| ata(&pda::bond(provider, &mint))),
                    token_program: Some(token_program),
                }
            }
        }
    }
}

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
            program_data: pda::program_data(),
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
        accounts::CloseProvider { authority: *authority, provider: pda::provider(authority) },
        instruction::CloseProvider {},
    )
}

/// Moves the lamport fees set aside on a provider's account to the treasury; anyone may sign.
pub fn collect_fees(caller: &Pubkey, provider_authority: &Pubkey, treasury: &Pubkey) -> Instruction {
    raw(
        accounts::CollectFees { caller: *caller, market: pda::market(), provider: pda::provider(provider_authority), treasury: *treasury },
        instruction::CollectFees {},
    )
}

pub fn withdraw_earnings(authority: &Pubkey) -> Instruction {
    raw(
        accounts::WithdrawEarnings { authority: *authority, provider: pda::provider(authority) },
        instruction::WithdrawEarnings {},
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
    post_job_in(client, args, &Pay::Lamports)
}

/// post_job paid as `pay` says. A token job's vault token account bump, unless `args` give one, is
/// the canonical one.
pub fn post_job_in(client: &Pubkey, args: PostJobArgs, pay: &Pay) -> Instruction {
    let job = pda::job(client, args.job_id);
    let vault = pda::vault(&job);
    let tokens = pay.accounts(&job, client, None);
    let vault_tokens_bump = args.vault_tokens_bump.or_else(|| tokens.mint.map(|_| pda::vault_tokens_with_bump(&job).1));
    let args = PostJobArgs { vault_tokens_bump, ..args };
    raw(
        accounts::PostJob {
            client: *client,
            market: pda::market(),
            client_profile: pda::client_profile(client),
            job,
            vault,
            system_program: system_program::ID,
            payment_mint: tokens.payment_mint,
            mint: tokens.mint,
            client_tokens: tokens.client_tokens,
            vault_tokens: tokens.vault_tokens,
            token_program: tokens.token_program,
        },
        instruction::PostJob { args },
    )
}

pub fn cancel_job(client: &Pubkey, job: &Pubkey) -> Instruction {
    cancel_job_in(client, job, &Pay::Lamports)
}

pub fn cancel_job_in(client: &Pubkey, job: &Pubkey, pay: &Pay) -> Instruction {
    raw(
        accounts::CancelJob {
            client: *client,
            client_profile: pda::client_profile(client),
            job: *job,
            vault: pda::vault(job),
            tokens: pay.accounts(job, client, None),
        },
        instruction::CancelJob {},
    )
}

/// Assigns a lamport job at an hourly price of at most `max_price_per_hour` (the price the assigner saw).
pub fn assign_job(assigner: &Pubkey, client: &Pubkey, job: &Pubkey, provider_authority: &Pubkey, max_price_per_hour: u64) -> Instruction {
    assign_job_in(assigner, client, job, provider_authority, &Pay::Lamports, max_price_per_hour)
}

pub fn assign_job_in(
    assigner: &Pubkey,
    client: &Pubkey,
    job: &Pubkey,
    provider_authority: &Pubkey,
    pay: &Pay,
    max_price_per_hour: u64,
) -> Instruction {
    let quote = match pay {
        Pay::Lamports => None,
        Pay::Token { mint, .. } => Some(pda::quote(provider_authority, mint)),
    };
    raw(
        accounts::AssignJob {
            assigner: *assigner,
            market: pda::market(),
            job: *job,
            vault: pda::vault(job),
            provider: pda::provider(provider_authority),
            client_profile: pda::client_profile(client),
            client: *client,
            quote,
            bond: pda::bond(provider_authority, &pay.mint()),
            tokens: pay.accounts(job, client, None),
        },
        instruction::AssignJob { args: AssignJobArgs { max_price_per_hour } },
    )
}

/// Declines a lamport job.
pub fn decline_job(provider_authority: &Pubkey, job: &Pubkey) -> Instruction {
    decline_job_in(provider_authority, job, &Pubkey::default())
}

/// Declines a job paid in `payment_mint` (the job's, the default key for lamports): its bond is the
/// provider's in that currency.
pub fn decline_job_in(provider_authority: &Pubkey, job: &Pubkey, payment_mint: &Pubkey) -> Instruction {
    raw(
        accounts::DeclineJob {
            authority: *provider_authority,
            provider: pda::provider(provider_authority),
            job: *job,
            bond: pda::bond(provider_authority, payment_mint),
        },
        instruction::DeclineJob {},
    )
}

/// Takes back a lamport job.
pub fn take_back_job(client: &Pubkey, job: &Pubkey, provider_authority: &Pubkey) -> Instruction {
    take_back_job_in(client, job, provider_authority, &Pubkey::default())
}

/// Takes back a job paid in `payment_mint` (the job's, the default key for lamports).
pub fn take_back_job_in(client: &Pubkey, job: &Pubkey, provider_authority: &Pubkey, payment_mint: &Pubkey) -> Instruction {
    raw(
        accounts::TakeBackJob {
            client: *client,
            job: *job,
            provider: pda::provider(provider_authority),
            bond: pda::bond(provider_authority, payment_mint),
        },
        instruction::TakeBackJob {},
    )
}

pub fn start_job(provider_authority: &Pubkey, job: &Pubkey) -> Instruction {
    raw(
        accounts::StartJob {
            authority: *provider_authority,
            provider: pda::provider(provider_authority),
            job: *job,
        },
        instruction::StartJob {},
    )
}

/// The client adds `added_secs` to its assigned or running job, paid as the job is.
pub fn extend_job_in(client: &Pubkey, job: &Pubkey, pay: &Pay, added_secs: u32) -> Instruction {
    raw(
        accounts::ExtendJob {
            client: *client,
            market: pda::market(),
            job: *job,
            vault: pda::vault(job),
            system_program: system_program::ID,
            tokens: pay.accounts(job, client, None),
        },
        instruction::ExtendJob { added_secs },
    )
}

pub fn submit_result(provider_authority: &Pubkey, job: &Pubkey, result_hash: [u8; 32]) -> Instruction {
    raw(
        accounts::SubmitResult {
            authority: *provider_authority,
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
    pub pay: Pay,
}

impl JobParties {
    fn payout_accounts(&self) -> accounts::TokenAccounts {
        self.pay.accounts(&self.job, &self.client, Some((&self.provider, &self.treasury)))
    }

    /// The accounts every settlement of the job shares, signed by `payer`.
    pub fn settle_accounts(&self, payer: &Pubkey, tokens: accounts::TokenAccounts) -> accounts::SettleJob {
        accounts::SettleJob {
            payer: *payer,
            client_profile: pda::client_profile(&self.client),
            job: self.job,
            vault: pda::vault(&self.job),
            provider: pda::provider(&self.provider),
            provider_wallet: self.provider,
            client: self.client,
            pair: pda::pair(&self.provider, &self.client),
            bond: pda::bond(&self.provider, &self.pay.mint()),
            tokens,
            system_program: system_program::ID,
        }
    }
}

pub fn complete_and_pay(p: &JobParties, rating: Option<u8>) -> Instruction {
    raw(
        accounts::CompleteAndPay { market: pda::market(), settle: p.settle_accounts(&p.client, p.payout_accounts()) },
        instruction::CompleteAndPay { rating },
    )
}

pub fn finalize_job(caller: &Pubkey, p: &JobParties) -> Instruction {
    raw(
        accounts::FinalizeJob { market: pda::market(), settle: p.settle_accounts(caller, p.payout_accounts()) },
        instruction::FinalizeJob {},
    )
}

pub fn dispute_job(client: &Pubkey, job: &Pubkey) -> Instruction {
    raw(
        accounts::DisputeJob { client: *client, client_profile: pda::client_profile(client), job: *job },
        instruction::DisputeJob {},
    )
}

pub fn resolve_dispute(admin: &Pubkey, p: &JobParties, provider_bps: u16) -> Instruction {
    raw(
        accounts::ResolveDispute { market: pda::market(), settle: p.settle_accounts(admin, p.payout_accounts()) },
        instruction::ResolveDispute { provider_bps },
    )
}

/// Expires a job. Its token accounts include the provider's and the treasury's, which a dispute settled
/// by the default split pays; a refund ignores them.
pub fn expire_job(caller: &Pubkey, p: &JobParties) -> Instruction {
    raw(
        accounts::ExpireJob { market: pda::market(), settle: p.settle_accounts(caller, p.payout_accounts()) },
        instruction::ExpireJob {},
    )
}

pub fn close_job(client: &Pubkey, job: &Pubkey) -> Instruction {
    raw(accounts::CloseJob { client: *client, job: *job }, instruction::CloseJob {})
}

pub fn add_payment_mint(admin: &Pubkey, treasury: &Pubkey, mint: &Pubkey, token_program: &Pubkey, args: AddPaymentMintArgs) -> Instruction {
    raw(
        accounts::AddPaymentMint {
            admin: *admin,
            market: pda::market(),
            mint: *mint,
            payment_mint: pda::payment_mint(mint),
            treasury: *treasury,
            treasury_tokens: pda::ata(treasury, mint, token_program),
            token_program: *token_program,
            associated_token_program: anchor_spl::associated_token::ID,
            system_program: system_program::ID,
        },
        instruction::AddPaymentMint { args },
    )
}

pub fn set_payment_mint_enabled(admin: &Pubkey, mint: &Pubkey, enabled: bool) -> Instruction {
    raw(
        accounts::SetPaymentMintEnabled { admin: *admin, market: pda::market(), payment_mint: pda::payment_mint(mint) },
        instruction::SetPaymentMintEnabled { enabled },
    )
}

pub fn add_mint_quote(authority: &Pubkey, mint: &Pubkey, token_program: &Pubkey, rates: Rates) -> Instruction {
    raw(
        accounts::AddMintQuote {
            authority: *authority,
            provider: pda::provider(authority),
            payment_mint: pda::payment_mint(mint),
            mint: *mint,
            quote: pda::quote(authority, mint),
            provider_tokens: pda::ata(authority, mint, token_program),
            token_program: *token_program,
            associated_token_program: anchor_spl::associated_token::ID,
            system_program: system_program::ID,
        },
        instruction::AddMintQuote { rates },
    )
}

pub fn update_mint_quote(authority: &Pubkey, mint: &Pubkey, rates: Rates) -> Instruction {
    raw(
        accounts::UpdateMintQuote { authority: *authority, provider: pda::provider(authority), quote: pda::quote(authority, mint) },
        instruction::UpdateMintQuote { rates },
    )
}

pub fn remove_mint_quote(authority: &Pubkey, mint: &Pubkey) -> Instruction {
    raw(
        accounts::RemoveMintQuote { authority: *authority, quote: pda::quote(authority, mint) },
        instruction::RemoveMintQuote {},
    )
}

/// What a client asks for in a job; `job_args` adds the id and the bumps of its addresses.
#[derive(Clone, Debug)]
pub struct JobTerms {
    pub requirements: compute_market::state::Resources,
    /// What each GPU must be; `GpuNeeds::default()` for any.
    pub gpu: compute_market::state::GpuNeeds,
    pub duration_secs: u32,
    pub max_price_per_hour: u64,
    pub min_reputation: u16,
    /// Bond the provider must have free in the job's currency; 0 for none.
    pub min_bond: u64,
    pub target_provider: Option<Pubkey>,
    pub spec_hash: [u8; 32],
    pub spec_uri: String,
}

/// post_job's arguments for the client's job `job_id`, with the canonical bumps of the job and vault
/// (`post_job_in` adds a token job's vault token account bump).
pub fn job_args(client: &Pubkey, job_id: u64, terms: JobTerms) -> PostJobArgs {
    let (job, job_bump) = pda::job_with_bump(client, job_id);
    PostJobArgs {
        job_id,
        job_bump,
        vault_bump: pda::vault_with_bump(&job).1,
        vault_tokens_bump: None,
        requirements: terms.requirements,
        gpu: terms.gpu,
        duration_secs: terms.duration_secs,
        max_price_per_hour: terms.max_price_per_hour,
        min_reputation: terms.min_reputation,
        min_bond: terms.min_bond,
        target_provider: terms.target_provider,
        spec_hash: terms.spec_hash,
        spec_uri: terms.spec_uri,
    }
}

/// How a bond is held: in lamports, or in a token with the provider's and the bond's token accounts.
fn bond_tokens(authority: &Pubkey, pay: &Pay, deposit: bool) -> accounts::BondTokens {
    match *pay {
        Pay::Lamports => accounts::BondTokens {
            payment_mint: None,
            mint: None,
            bond_tokens: None,
            provider_tokens: None,
            token_program: None,
            associated_token_program: None,
        },
        Pay::Token { mint, token_program } => accounts::BondTokens {
            payment_mint: deposit.then(|| pda::payment_mint(&mint)),
            mint: Some(mint),
            bond_tokens: Some(pda::ata(&pda::bond(authority, &mint), &mint, &token_program)),
            provider_tokens: Some(pda::ata(authority, &mint, &token_program)),
            token_program: Some(token_program),
            associated_token_program: deposit.then_some(anchor_spl::associated_token::ID),
        },
    }
}

/// The provider adds `amount` to its bond in the currency `pay` names.
pub fn deposit_bond(authority: &Pubkey, pay: &Pay, amount: u64) -> Instruction {
    raw(
        accounts::DepositBond {
            authority: *authority,
            provider: pda::provider(authority),
            bond: pda::bond(authority, &pay.mint()),
            system_program: system_program::ID,
            tokens: bond_tokens(authority, pay, true),
        },
        instruction::DepositBond { amount },
    )
}

/// The provider asks to withdraw `amount` of its bond in `mint` (the default key for lamports); zero
/// withdraws the request.
pub fn request_bond_withdrawal(authority: &Pubkey, mint: &Pubkey, amount: u64) -> Instruction {
    raw(
        accounts::RequestBondWithdrawal { authority: *authority, market: pda::market(), bond: pda::bond(authority, mint) },
        instruction::RequestBondWithdrawal { amount },
    )
}

/// The provider takes its requested bond withdrawal in the currency `pay` names.
pub fn withdraw_bond(authority: &Pubkey, pay: &Pay) -> Instruction {
    raw(
        accounts::WithdrawBond { authority: *authority, bond: pda::bond(authority, &pay.mint()), tokens: bond_tokens(authority, pay, false) },
        instruction::WithdrawBond {},
    )
}
