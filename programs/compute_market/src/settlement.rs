//! Moving escrow out of a job's vault, and recording a settlement on every account that keeps score.

use anchor_lang::prelude::*;

use crate::constants::DISPUTE_LOSS_BPS;
use crate::error::MarketError;
use crate::math::pricing::Settlement;
use crate::state::{ClientProfile, Job, JobStatus, Market, MarketStats, MintStats, Provider, Vault};
use crate::token_escrow::{Payees, TokenAccounts, TokenEscrow};

/// Moves `amount` lamports from a program-owned vault to `to`. Nothing moves for zero.
pub fn transfer_from_vault(vault: &AccountInfo, to: &AccountInfo, amount: u64) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    vault.sub_lamports(amount)?;
    to.add_lamports(amount)?;
    Ok(())
}

/// Pays the provider's and the treasury's parts of a settlement out of the vault. The client's
/// part stays in the vault and reaches the client when the vault is closed to it.
pub fn pay_provider_and_treasury(
    vault: &AccountInfo,
    provider_wallet: &AccountInfo,
    treasury: &AccountInfo,
    settlement: &Settlement,
) -> Result<()> {
    transfer_from_vault(vault, provider_wallet, settlement.provider)?;
    transfer_from_vault(vault, treasury, settlement.fee)
}

fn add(a: u64, b: u64) -> Result<u64> {
    a.checked_add(b).ok_or_else(|| error!(MarketError::MathOverflow))
}

impl Job {
    /// Moves the job to a final state with its escrow divided as `settlement` says.
    pub fn settle(&mut self, status: JobStatus, settlement: &Settlement, now: i64) -> Result<()> {
        let total = add(settlement.spent().ok_or_else(|| error!(MarketError::MathOverflow))?, settlement.refund)?;
        require!(total == self.escrow, MarketError::MathOverflow);
        self.escrow = 0;
        self.provider_payout = settlement.provider;
        self.fee = settlement.fee;
        self.client_refund = add(self.client_refund, settlement.refund)?;
        self.finished_at = now;
        self.set_status(status);
        Ok(())
    }
}

impl MarketStats {
    pub fn record_payment(&mut self, settlement: &Settlement) -> Result<()> {
        let spent = settlement.spent().ok_or_else(|| error!(MarketError::MathOverflow))?;
        self.volume_lamports = add(self.volume_lamports, spent)?;
        self.fees_collected = add(self.fees_collected, settlement.fee)?;
        Ok(())
    }
}

impl MintStats {
    pub fn record_payment(&mut self, settlement: &Settlement) -> Result<()> {
        let spent = settlement.spent().ok_or_else(|| error!(MarketError::MathOverflow))?;
        self.volume = add(self.volume, spent)?;
        self.fees_collected = add(self.fees_collected, settlement.fee)?;
        self.record_refund(settlement.refund)
    }

    pub fn record_refund(&mut self, refund: u64) -> Result<()> {
        self.refunded = add(self.refunded, refund)?;
        Ok(())
    }
}

impl ClientProfile {
    pub fn record_settlement(&mut self, settlement: &Settlement) -> Result<()> {
        let spent = settlement.spent().ok_or_else(|| error!(MarketError::MathOverflow))?;
        self.total_spent = add(self.total_spent, spent)?;
        self.record_refund(settlement.refund)
    }

    pub fn record_refund(&mut self, refund: u64) -> Result<()> {
        self.total_refunded = add(self.total_refunded, refund)?;
        Ok(())
    }
}

/// Increments a counter, failing on overflow.
pub fn bump_counter(counter: &mut u64) -> Result<()> {
    *counter = add(*counter, 1)?;
    Ok(())
}

/// Returns a job's whole escrow to its client as the job ends (cancel, expire) and records the refund
/// in its currency's ledger. A token job's tokens and token-account rent go back here; a lamport job's
/// lamports leave with the vault, which the instruction closes to the client.
pub fn refund_whole_escrow<'info>(
    tokens: &mut TokenAccounts<'info>,
    job: &Job,
    vault: &AccountLoader<'info, Vault>,
    client: &AccountInfo<'info>,
    profile: &mut ClientProfile,
) -> Result<()> {
    // The instruction's constraints tie the vault to the job: `vault.job` is the job's address.
    let job_key = vault.load()?.job;
    match tokens.escrow(job, job_key, vault, Payees::ClientOnly)? {
        Some(mut escrow) => {
            escrow.refund(job.escrow)?;
            escrow.close(client)
        }
        None => profile.record_refund(job.escrow),
    }
}

/// The accounts a payout touches, borrowed from an instruction's accounts.
pub struct Payout<'a, 'info> {
    pub market: &'a mut Market,
    pub client_profile: &'a mut ClientProfile,
    pub job: &'a mut Job,
    pub provider: &'a mut Provider,
    pub vault: AccountInfo<'info>,
    pub provider_wallet: AccountInfo<'info>,
    pub treasury: AccountInfo<'info>,
    /// Receives the token vault's rent when a token job settles.
    pub client: AccountInfo<'info>,
    /// The token escrow of a token job; `None` for a lamport job.
    pub tokens: Option<TokenEscrow<'a, 'info>>,
}

impl Payout<'_, '_> {
    /// Pays a submitted job for the time worked (capped at its duration), releases the provider's
    /// capacity and records the completion everywhere. Shared by complete_and_pay and finalize_job.
    pub fn complete(mut self, rating: Option<u8>, now: i64) -> Result<Settlement> {
        let job = &self.job;
        let elapsed = job.submitted_at.checked_sub(job.started_at).ok_or_else(|| error!(MarketError::MathOverflow))?;
        let elapsed = u64::try_from(elapsed).map_err(|_| error!(MarketError::MathOverflow))?;
        let settlement =
            Settlement::for_work(job.escrow, job.agreed_price_per_hour, elapsed, job.duration_secs.into(), job.fee_bps)
                .ok_or_else(|| error!(MarketError::MathOverflow))?;
        let lamports_earned = self.pay(&settlement)?;

        self.provider.release(&self.job.requirements)?;
        self.provider.record_completion(lamports_earned, rating)?;
        bump_counter(&mut self.client_profile.jobs_completed)?;
        bump_counter(&mut self.market.stats.jobs_completed)?;
        self.job.rating = rating.unwrap_or(0);
        self.job.settle(JobStatus::Completed, &settlement, now)?;
        Ok(settlement)
    }

    /// Applies the arbiter's split of a disputed job: `provider_bps` of the escrow to the provider
    /// side (fee only on that share), the rest to the client.
    pub fn resolve(mut self, provider_bps: u16, now: i64) -> Result<Settlement> {
        let settlement = Settlement::for_dispute(self.job.escrow, provider_bps, self.job.fee_bps)
            .ok_or_else(|| error!(MarketError::InvalidSplit))?;
        let lamports_earned = self.pay(&settlement)?;

        self.provider.release(&self.job.requirements)?;
        if provider_bps < DISPUTE_LOSS_BPS {
            self.provider.record_dispute_lost(lamports_earned)?;
        } else {
            self.provider.record_completion(lamports_earned, None)?;
        }
        self.job.settle(JobStatus::Resolved, &settlement, now)?;
        Ok(settlement)
    }

    /// Moves the settlement's money and records it in the ledgers of its currency: lamport totals on
    /// the market, client profile and provider, token totals on the mint's record. Returns the
    /// lamports the provider earned (zero for a token job).
    fn pay(&mut self, settlement: &Settlement) -> Result<u64> {
        match &mut self.tokens {
            Some(tokens) => {
                tokens.pay_out(settlement)?;
                tokens.close(&self.client)?;
                Ok(0)
            }
            None => {
                pay_provider_and_treasury(&self.vault, &self.provider_wallet, &self.treasury, settlement)?;
                self.client_profile.record_settlement(settlement)?;
                self.market.stats.record_payment(settlement)?;
                Ok(settlement.provider)
            }
        }
    }
}
