//! compute_market: a marketplace where providers rent out CPU, RAM, storage and GPUs and clients pay
//! for jobs through escrow held on-chain until the work is done.
//!
//! Lifecycle: post_job (Open) -> assign_job (Assigned) -> start_job (Running) -> submit_result
//! (Submitted) -> complete_and_pay / finalize_job (Completed). Ways out: cancel_job while Open;
//! decline_job (provider) and take_back_job (client) return an unstarted job to Open; expire_job after
//! a missed start, a missed deadline or a dispute nobody ruled on; dispute_job and resolve_dispute.
//! The admin moves escrow only through resolve_dispute.

use anchor_lang::prelude::*;
#[cfg(target_os = "solana")]
use solana_compiler_builtins as _;

// First, so that `ensure!` is in scope in every module after it.
#[macro_use]
pub mod error;

pub mod bond_vault;
pub mod bonds;
pub mod constants;
pub mod cpi;
pub mod events;
pub mod instructions;
pub mod math;
pub mod pda;
pub mod program_data;
pub mod rent;
pub mod settlement;
pub mod state;
pub mod token_account;
pub mod token_escrow;

use instructions::*;
use state::Rates;

declare_id!("ZT5Xjs9G4qqniBhx82PYqvGYTHLbXMbrJ8qXJxqK6TL");

#[program]
pub mod compute_market {
    use super::*;

    /// Upgrade authority: creates the market with itself as admin, a treasury, fee, matcher and time windows.
    pub fn initialize_market(ctx: Context<InitializeMarket>, args: InitializeMarketArgs) -> Result<()> {
        instructions::initialize_market::handle_initialize_market(ctx, args)
    }

    /// Admin: changes fee, treasury, matcher, pause flag or time windows.
    pub fn update_market(ctx: Context<UpdateMarket>, args: UpdateMarketArgs) -> Result<()> {
        instructions::update_market::handle_update_market(ctx, args)
    }

    /// Admin: proposes a successor, who must accept.
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        instructions::propose_admin::handle_propose_admin(ctx, new_admin)
    }

    /// Proposed admin: takes over the admin role.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        instructions::accept_admin::handle_accept_admin(ctx)
    }

    /// Registers the signer as a provider with capacity, hourly rates, a metadata URI and the assignment
    /// policy it consents to; a retired provider reopens its record.
    pub fn register_provider(ctx: Context<RegisterProvider>, args: RegisterProviderArgs) -> Result<()> {
        instructions::register_provider::handle_register_provider(ctx, args)
    }

    /// Provider: changes capacity, rates, metadata URI or assignment policy.
    pub fn update_provider(ctx: Context<UpdateProvider>, args: UpdateProviderArgs) -> Result<()> {
        instructions::update_provider::handle_update_provider(ctx, args)
    }

    /// Provider: opens or closes itself to new jobs.
    pub fn set_provider_active(ctx: Context<SetProviderActive>, active: bool) -> Result<()> {
        instructions::set_provider_active::handle_set_provider_active(ctx, active)
    }

    /// Provider: retires when no job is in flight, taking what it is owed; its record stays.
    pub fn close_provider(ctx: Context<CloseProvider>) -> Result<()> {
        instructions::close_provider::handle_close_provider(ctx)
    }

    /// Anyone: moves the lamport fees a provider's jobs set aside to the treasury.
    pub fn collect_fees(ctx: Context<CollectFees>) -> Result<()> {
        instructions::collect_fees::handle_collect_fees(ctx)
    }

    /// Provider: takes earnings its wallet could not receive when its jobs settled.
    pub fn withdraw_earnings(ctx: Context<WithdrawEarnings>) -> Result<()> {
        instructions::withdraw_earnings::handle_withdraw_earnings(ctx)
    }

    /// Creates the signer's client profile.
    pub fn register_client(ctx: Context<RegisterClient>) -> Result<()> {
        instructions::register_client::handle_register_client(ctx)
    }

    /// Client: posts a job, escrowing max price per hour x duration.
    pub fn post_job(ctx: Context<PostJob>, args: PostJobArgs) -> Result<()> {
        instructions::post_job::handle_post_job(ctx, args)
    }

    /// Client: cancels an open job for a full refund.
    pub fn cancel_job(ctx: Context<CancelJob>) -> Result<()> {
        instructions::cancel_job::handle_cancel_job(ctx)
    }

    /// Provider accepting, or client or matcher where the provider opted in: assigns an open job to a
    /// provider that fits it, at a price no higher than the signer saw.
    pub fn assign_job(ctx: Context<AssignJob>, args: AssignJobArgs) -> Result<()> {
        instructions::assign_job::handle_assign_job(ctx, args)
    }

    /// Assigned provider: declines a job it has not started, at no cost to its reputation.
    pub fn decline_job(ctx: Context<DeclineJob>) -> Result<()> {
        instructions::decline_job::handle_decline_job(ctx)
    }

    /// Client: takes back an assigned job not started within TAKE_BACK_AFTER_SECS.
    pub fn take_back_job(ctx: Context<TakeBackJob>) -> Result<()> {
        instructions::take_back_job::handle_take_back_job(ctx)
    }

    /// Provider: starts an assigned job within the start window.
    pub fn start_job(ctx: Context<StartJob>) -> Result<()> {
        instructions::start_job::handle_start_job(ctx)
    }

    /// Client: adds `added_secs` to an assigned or running job, escrowing them at the agreed price.
    pub fn extend_job(ctx: Context<ExtendJob>, added_secs: u32) -> Result<()> {
        instructions::extend_job::handle_extend_job(ctx, added_secs)
    }

    /// Provider: submits the result hash, opening the review window.
    pub fn submit_result(ctx: Context<SubmitResult>, result_hash: [u8; 32]) -> Result<()> {
        instructions::submit_result::handle_submit_result(ctx, result_hash)
    }

    /// Client: accepts the result, optionally rating it 1-5, and pays out.
    pub fn complete_and_pay(ctx: Context<CompleteAndPay>, rating: Option<u8>) -> Result<()> {
        instructions::complete_and_pay::handle_complete_and_pay(ctx, rating)
    }

    /// Anyone: pays out a submitted job after an undisputed review window.
    pub fn finalize_job(ctx: Context<FinalizeJob>) -> Result<()> {
        instructions::finalize_job::handle_finalize_job(ctx)
    }

    /// Client: disputes a result in review.
    pub fn dispute_job(ctx: Context<DisputeJob>) -> Result<()> {
        instructions::dispute_job::handle_dispute_job(ctx)
    }

    /// Admin: splits a disputed job's escrow, `provider_bps` to the provider side.
    pub fn resolve_dispute(ctx: Context<ResolveDispute>, provider_bps: u16) -> Result<()> {
        instructions::resolve_dispute::handle_resolve_dispute(ctx, provider_bps)
    }

    /// Anyone: refunds a job whose start or delivery deadline passed, or settles a dispute nobody ruled
    /// on by the default split.
    pub fn expire_job(ctx: Context<ExpireJob>) -> Result<()> {
        instructions::expire_job::handle_expire_job(ctx)
    }

    /// Client: closes a final job and reclaims its rent.
    pub fn close_job(ctx: Context<CloseJob>) -> Result<()> {
        instructions::close_job::handle_close_job(ctx)
    }

    /// Admin: accepts a Token or Token-2022 mint for payment and creates the treasury's token account for it.
    pub fn add_payment_mint(ctx: Context<AddPaymentMint>, args: AddPaymentMintArgs) -> Result<()> {
        instructions::add_payment_mint::handle_add_payment_mint(ctx, args)
    }

    /// Admin: opens or closes a payment mint to new jobs and quotes.
    pub fn set_payment_mint_enabled(ctx: Context<SetPaymentMintEnabled>, enabled: bool) -> Result<()> {
        instructions::set_payment_mint_enabled::handle_set_payment_mint_enabled(ctx, enabled)
    }

    /// Provider: quotes hourly rates in an accepted mint.
    pub fn add_mint_quote(ctx: Context<AddMintQuote>, rates: Rates) -> Result<()> {
        instructions::add_mint_quote::handle_add_mint_quote(ctx, rates)
    }

    /// Provider: changes its rates in a mint.
    pub fn update_mint_quote(ctx: Context<UpdateMintQuote>, rates: Rates) -> Result<()> {
        instructions::update_mint_quote::handle_update_mint_quote(ctx, rates)
    }

    /// Provider: withdraws its quote in a mint.
    pub fn remove_mint_quote(ctx: Context<RemoveMintQuote>) -> Result<()> {
        instructions::remove_mint_quote::handle_remove_mint_quote(ctx)
    }

    /// Provider: adds to its bond in lamports or an accepted mint.
    pub fn deposit_bond(ctx: Context<DepositBond>, amount: u64) -> Result<()> {
        instructions::deposit_bond::handle_deposit_bond(ctx, amount)
    }

    /// Provider: asks to withdraw unlocked bond after the market's cool-down; zero withdraws the request.
    pub fn request_bond_withdrawal(ctx: Context<RequestBondWithdrawal>, amount: u64) -> Result<()> {
        instructions::request_bond_withdrawal::handle_request_bond_withdrawal(ctx, amount)
    }

    /// Provider: takes its requested bond withdrawal once the cool-down has passed.
    pub fn withdraw_bond(ctx: Context<WithdrawBond>) -> Result<()> {
        instructions::withdraw_bond::handle_withdraw_bond(ctx)
    }
}
