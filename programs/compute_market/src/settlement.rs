//! Moving escrow out of a job's vault, and recording a settlement on every account that keeps score.
//!
//! No party's wallet can block a settlement. The client's share leaves with the vault, whose rent alone
//! keeps any wallet rent-exempt. A provider wallet that could not hold its payout (the runtime refuses
//! to leave a credited account below the rent-exempt minimum) has it kept on its Provider account, to
//! withdraw. Lamport fees always wait on the Provider account until `collect_fees` moves them, so no job
//! writes the treasury and an emptied treasury delays only its own fees.

use anchor_lang::prelude::*;

use crate::bonds::{release_bond, slash_bond};
use crate::constants::{DEFAULT_DISPUTE_PROVIDER_BPS, DISPUTE_LOSS_BPS, PAIR_SEED};
use crate::error::MarketError;
use crate::math::pricing::Settlement;
use crate::pda::{existing_zero_copy_body, new_zero_copy_body, NewPda};
use crate::rent::rent_exempt_minimum;
use crate::state::{space, tally, ClientProfile, Job, JobStatus, Pair, Provider, Vault};
use crate::token_escrow::*;

/// Moves `amount` lamports from a program-owned account to `to`. Nothing moves for zero.
pub fn transfer_from_vault(vault: &AccountInfo, to: &AccountInfo, amount: u64) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    vault.sub_lamports(amount)?;
    to.add_lamports(amount)?;
    Ok(())
}

/// Whether `to` may be credited `amount` lamports: only if it ends at or above the rent-exempt minimum
/// for its size (the runtime's rule for any account whose balance grows).
pub fn can_receive(to: &AccountInfo, amount: u64) -> Result<bool> {
    if amount == 0 {
        return Ok(true);
    }
    can_receive_under(&Rent::get()?, to, amount)
}

/// `can_receive` under `rent`, the cluster's rent the caller already read.
pub fn can_receive_under(rent: &Rent, to: &AccountInfo, amount: u64) -> Result<bool> {
    if amount == 0 {
        return Ok(true);
    }
    let after = to.lamports().checked_add(amount).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    Ok(after >= rent_exempt_minimum(rent, to.data_len()))
}

impl Job {
    /// Moves the job to a final state with its escrow divided as `settlement` says.
    pub fn settle(&mut self, status: JobStatus, settlement: &Settlement, now: i64) -> Result<()> {
        let spent = settlement.spent().ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        let total = spent.checked_add(settlement.refund).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        ensure!(total == self.escrow, MarketError::MathOverflow);
        self.escrow = 0;
        self.provider_payout = settlement.provider;
        self.fee = settlement.fee;
        self.client_refund = tally(self.client_refund, settlement.refund);
        self.finished_at = now;
        self.set_status(status);
        Ok(())
    }

    /// Work time to pay for: from start to submission.
    pub fn worked_secs(&self) -> Result<u64> {
        let elapsed = self.submitted_at.checked_sub(self.started_at).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        u64::try_from(elapsed).map_err(|_| Error::from(MarketError::MathOverflow))
    }

    /// The payment for the work submitted, capped at the duration: what the client owes if it accepts.
    pub fn work_settlement(&self) -> Result<Settlement> {
        Settlement::for_work(self.escrow, self.agreed_price_per_hour, self.worked_secs()?, self.duration_secs.into(), self.fee_bps)
            .ok_or_else(|| Error::from(MarketError::MathOverflow))
    }

    /// The default split of a dispute nobody ruled on: DEFAULT_DISPUTE_PROVIDER_BPS of the payment
    /// for the work submitted to the provider side, the rest of the escrow to the client.
    pub fn default_dispute_settlement(&self) -> Result<Settlement> {
        let payment = self.work_settlement()?.spent().ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        Settlement::for_share_of(self.escrow, payment, DEFAULT_DISPUTE_PROVIDER_BPS, self.fee_bps)
            .ok_or_else(|| Error::from(MarketError::MathOverflow))
    }
}

impl ClientProfile {
    pub fn record_settlement(&mut self, settlement: &Settlement) {
        self.total_spent = tally(self.total_spent, settlement.provider);
        self.total_spent = tally(self.total_spent, settlement.fee);
        self.fees_paid = tally(self.fees_paid, settlement.fee);
        self.record_refund(settlement.refund);
    }

    pub fn record_refund(&mut self, refund: u64) {
        self.total_refunded = tally(self.total_refunded, refund);
    }
}

/// Returns a job's whole escrow to its client as the job ends (cancel, expire), with anything else a
/// token vault holds. A token job's tokens and token-account rent go back here; a lamport job's lamports
/// leave with the vault, which the instruction closes to the client. Returns the token surplus.
pub fn refund_whole_escrow<'info>(
    tokens: &TokenAccounts<'info>,
    job: &Job,
    job_key: Pubkey,
    vault: &AccountLoader<'info, Vault>,
    client: &AccountInfo<'info>,
    profile: &mut ClientProfile,
) -> Result<u64> {
    match tokens.escrow(job, job_key, vault, Payees::ClientOnly)? {
        Some(mut escrow) => {
            let surplus = escrow.surplus(job.escrow);
            escrow.pay_out(job.escrow, &Settlement::refund_all(job.escrow))?;
            escrow.close(client)?;
            Ok(surplus)
        }
        None => {
            profile.record_refund(job.escrow);
            Ok(0)
        }
    }
}

/// The accounts every settlement of an assigned job touches: complete_and_pay, finalize_job,
/// resolve_dispute and expire_job share them.
#[derive(Accounts)]
pub struct SettleJob<'info> {
    /// Signs, and pays the rent of the provider and client's pair record at their first counted work.
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(mut, constraint = client_profile.load()?.authority == job.load()?.client @ MarketError::WrongClientProfile)]
    pub client_profile: AccountLoader<'info, ClientProfile>,
    #[account(mut, has_one = client @ MarketError::WrongClient)]
    pub job: AccountLoader<'info, Job>,
    #[account(mut, constraint = vault.load()?.job == job.key() @ MarketError::WrongVault, close = client)]
    pub vault: AccountLoader<'info, Vault>,
    #[account(mut, constraint = provider.load()?.authority == job.load()?.provider @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    /// CHECK: receives the provider's payout when it can hold it; must be the job's provider.
    #[account(mut, address = job.load()?.provider @ MarketError::WrongProviderWallet)]
    pub provider_wallet: UncheckedAccount<'info>,
    /// CHECK: receives the client's share and the vault's rent; must be the job's client (`has_one` on job).
    #[account(mut)]
    pub client: UncheckedAccount<'info>,
    /// CHECK: the pair record `["pair", provider, client]`; checked by `SettleJob::verify_pair` on every settlement.
    #[account(mut)]
    pub pair: UncheckedAccount<'info>,
    /// CHECK: the provider's bond in the job's currency, `["bond", provider, mint]`; read and written only
    /// for a bonded job, and checked then (`bonds::bond_of`).
    #[account(mut)]
    pub bond: UncheckedAccount<'info>,
    pub tokens: TokenAccounts<'info>,
    pub system_program: Program<'info, System>,
}

/// What a settlement recorded, for its event.
pub struct Outcome {
    pub settlement: Settlement,
    /// Token base units beyond the escrow that the vault held, returned to the client.
    pub surplus: u64,
    /// Lamports of the provider's share kept on its Provider account because its wallet could not hold them.
    pub earnings_held: u64,
    pub provider_reputation: u16,
    /// Slashed from the provider's bond to the client.
    pub bond_slashed: u64,
}

/// How a settlement counts on the provider's record.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Paid work, with the client's optional rating.
    Completed(Option<u8>),
    /// The arbiter ruled: a share below DISPUTE_LOSS_BPS is a lost dispute, otherwise paid work.
    Ruled { provider_bps: u16 },
    /// A dispute nobody ruled on: nothing counts either way.
    Unruled,
}

impl<'info> SettleJob<'info> {
    /// Divides the job's escrow as `settlement` says, records it on the client, provider and job, and
    /// closes the vault to the client (the instruction's `close`). The pair record, the one account a
    /// settlement may create, is created before any lamport moves.
    pub fn settle(&self, settlement: Settlement, verdict: Verdict, status: JobStatus, treasury: &Pubkey, now: i64) -> Result<Outcome> {
        let job_key = self.job.key();
        let mut job = self.job.load_mut()?;
        let pair_bump = self.verify_pair(&job)?;
        let payees = Payees::ProviderAndTreasury { treasury };
        let tokens = self.tokens.escrow(&job, job_key, &self.vault, payees)?;
        let spent = settlement.spent().ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        let value = match &tokens {
            Some(escrow) => escrow.payment_mint.lamport_value(spent),
            None => spent,
        };
        let counted = match verdict {
            Verdict::Completed(_) => true,
            Verdict::Ruled { provider_bps } => provider_bps >= DISPUTE_LOSS_BPS,
            Verdict::Unruled => false,
        };
        // The cluster's rent, read once for the pair record and the provider's wallet.
        let rent = Rent::get()?;
        let new_client = counted && self.count_pair(&job, value, now, pair_bump, &rent)?;
        let (surplus, earnings_held) = match tokens {
            Some(escrow) => (self.pay_tokens(escrow, &job, &settlement)?, 0),
            None => (0, self.pay_lamports(&settlement, &rent)?),
        };

        let mut provider = self.provider.load_mut()?;
        provider.release(&job.requirements)?;
        let earned_lamports = if job.is_token_job() { 0 } else { settlement.provider };
        match verdict {
            Verdict::Completed(rating) => {
                provider.record_completion(earned_lamports, value, rating, new_client);
                let mut profile = self.client_profile.load_mut()?;
                profile.jobs_completed = tally(profile.jobs_completed, 1);
            }
            Verdict::Ruled { .. } if counted => provider.record_completion(earned_lamports, value, None, new_client),
            Verdict::Ruled { .. } => provider.record_dispute_lost(earned_lamports, self.escrow_value(&job)?),
            Verdict::Unruled => provider.total_earned = tally(provider.total_earned, earned_lamports),
        }
        let bond_slashed = if counted || verdict == Verdict::Unruled {
            release_bond(&self.bond, &job)?;
            0
        } else {
            slash_bond(&self.bond, &job, &self.tokens, &self.client)?
        };
        job.rating = match verdict {
            Verdict::Completed(Some(stars)) => stars,
            _ => 0,
        };
        job.settle(status, &settlement, now)?;
        Ok(Outcome { settlement, surplus, earnings_held, provider_reputation: provider.reputation, bond_slashed })
    }

    /// Token payouts; returns the surplus returned to the client.
    fn pay_tokens(&self, mut escrow: TokenEscrow<'_, 'info>, job: &Job, settlement: &Settlement) -> Result<u64> {
        let surplus = escrow.surplus(job.escrow);
        escrow.pay_out(job.escrow, settlement)?;
        escrow.close(&self.client.to_account_info())?;
        Ok(surplus)
    }

    /// Lamport payouts: the provider's share to its wallet, or to its Provider account when the wallet
    /// could not hold it; the fee to its Provider account for the treasury. The client's share stays in
    /// the vault, which closes to the client. Returns the lamports held for the provider.
    fn pay_lamports(&self, settlement: &Settlement, rent: &Rent) -> Result<u64> {
        let vault = self.vault.to_account_info();
        let provider_account = self.provider.to_account_info();
        let wallet = self.provider_wallet.to_account_info();
        let held = if can_receive_under(rent, &wallet, settlement.provider)? { 0 } else { settlement.provider };
        transfer_from_vault(&vault, &wallet, settlement.provider - held)?;
        transfer_from_vault(&vault, &provider_account, held.checked_add(settlement.fee).ok_or_else(|| Error::from(MarketError::MathOverflow))?)?;
        {
            let mut provider = self.provider.load_mut()?;
            provider.earnings_owed = provider.earnings_owed.checked_add(held).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
            provider.fees_owed = provider.fees_owed.checked_add(settlement.fee).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        }
        self.client_profile.load_mut()?.record_settlement(settlement);
        Ok(held)
    }

    /// The job's escrow valued in lamports, for the weight of a failure or a lost dispute.
    pub fn escrow_value(&self, job: &Job) -> Result<u64> {
        Ok(match &self.tokens.payment_mint {
            Some(payment_mint) if job.is_token_job() => payment_mint.lamport_value(job.escrow),
            _ => job.escrow,
        })
    }

    /// Checks the pair account is the job's provider and client's record: an existing one by its
    /// contents (only this program writes them, only at their address), a missing one by its address.
    /// Returns the bump to create it with when it does not exist yet.
    pub fn verify_pair(&self, job: &Job) -> Result<Option<u8>> {
        let pair_info = self.pair.to_account_info();
        if pair_info.data_is_empty() {
            let seeds: [&[u8]; 3] = [PAIR_SEED, job.provider.as_ref(), job.client.as_ref()];
            let (address, bump) = Pubkey::find_program_address(&seeds, &crate::ID);
            ensure!(address == pair_info.key(), MarketError::WrongPair);
            return Ok(Some(bump));
        }
        let pair = existing_zero_copy_body::<Pair>(&pair_info).map_err(|_| Error::from(MarketError::WrongPair))?;
        ensure!(pair.provider == job.provider && pair.client == job.client, MarketError::WrongPair);
        Ok(None)
    }

    /// Records counted work between the job's provider and client on their pair account, creating it
    /// (paid by `payer`) at their first: returns whether this is the provider's first work for the
    /// client. Work too small to count touches nothing. `missing_bump` comes from `verify_pair`.
    fn count_pair(&self, job: &Job, value: u64, now: i64, missing_bump: Option<u8>, rent: &Rent) -> Result<bool> {
        let units = value / crate::constants::REPUTATION_UNIT_LAMPORTS;
        if units == 0 {
            return Ok(false);
        }
        let pair_info = self.pair.to_account_info();
        if let Some(bump) = missing_bump {
            NewPda { payer: &self.payer, account: &pair_info, seeds: &[PAIR_SEED, job.provider.as_ref(), job.client.as_ref(), &[bump]] }
                .create(space::<Pair>(), rent_exempt_minimum(rent, space::<Pair>()))?;
            let mut pair = new_zero_copy_body::<Pair>(&pair_info)?;
            pair.provider = job.provider;
            pair.client = job.client;
            pair.first_at = now;
        }
        let mut pair = existing_zero_copy_body::<Pair>(&pair_info)?;
        pair.jobs = tally(pair.jobs, 1);
        pair.units = tally(pair.units, units);
        Ok(missing_bump.is_some())
    }
}
