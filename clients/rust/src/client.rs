//! A compute_market client over JSON-RPC: reads accounts, lists them with server-side filters, and sends
//! transactions, reporting program errors by name.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AccountDeserialize, Discriminator};
use bytemuck::Pod;
use compute_market::math::pricing::hourly_price;
use compute_market::state::{Bond, ClientProfile, Job, Market, MintQuote, Provider};
use compute_market::ID;
use solana_commitment_config::CommitmentConfig;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;

use crate::builders::{JobParties, Pay};
use crate::decode::zero_copy;
use crate::errors::ClientError;
use crate::filters::{type_filters, JobFilter, ProviderFilter};
use crate::{pda, program_data};

/// Where a bond's provider sits in its account: after the discriminator.
const BOND_PROVIDER_OFFSET: usize = 8 + std::mem::offset_of!(Bond, provider);

pub struct MarketClient {
    rpc: RpcClient,
}

/// What one signature costs (no priority fee): a wallet that signs a transaction pays it first.
pub const SIGNATURE_FEE_LAMPORTS: u64 = 5_000;

/// Lamports an account of no data holding `balance` lacks to be credited `amount`: the runtime leaves no
/// credited account below its rent-exempt `minimum`. Zero when it can be credited.
pub fn rent_shortfall(balance: u64, amount: u64, minimum: u64) -> u64 {
    minimum.saturating_sub(balance.saturating_add(amount))
}

/// Lamports a wallet holding `balance` lacks to pay one signature and then be credited `amount`.
pub fn shortfall_to_receive(balance: u64, amount: u64, minimum: u64) -> u64 {
    let for_the_fee = SIGNATURE_FEE_LAMPORTS.saturating_sub(balance);
    for_the_fee.max(rent_shortfall(balance.saturating_sub(SIGNATURE_FEE_LAMPORTS), amount, minimum))
}

/// What the market needs to know of a token mint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MintFacts {
    /// The Token program or Token-2022, whichever owns the mint.
    pub token_program: Pubkey,
    pub decimals: u8,
    /// Who can freeze its token accounts (a job's vault among them), if anyone.
    pub freeze_authority: Option<Pubkey>,
}

impl MarketClient {
    /// A client of the node at `url`, reading and confirming at `confirmed`.
    pub fn new(url: &str) -> Self {
        MarketClient { rpc: RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed()) }
    }

    pub fn rpc(&self) -> &RpcClient {
        &self.rpc
    }

    pub fn url(&self) -> String {
        self.rpc.url()
    }

    pub fn market(&self) -> Result<Market, ClientError> {
        self.zero_copy_account("market", &pda::market())
    }

    pub fn provider(&self, authority: &Pubkey) -> Result<Provider, ClientError> {
        self.zero_copy_account("provider", &pda::provider(authority))
    }

    pub fn client_profile(&self, authority: &Pubkey) -> Result<ClientProfile, ClientError> {
        self.zero_copy_account("client profile", &pda::client_profile(authority))
    }

    /// The id the client's next job gets: 0 before its profile exists.
    pub fn next_job_id(&self, client: &Pubkey) -> Result<u64, ClientError> {
        match self.client_profile(client) {
            Ok(profile) => Ok(profile.next_job_id),
            Err(ClientError::NotFound { .. }) => Ok(0),
            Err(other) => Err(other),
        }
    }

    pub fn job(&self, address: &Pubkey) -> Result<Job, ClientError> {
        self.zero_copy_account("job", address)
    }

    /// Providers the filter admits, by provider account address.
    pub fn list_providers(&self, filter: &ProviderFilter) -> Result<Vec<(Pubkey, Provider)>, ClientError> {
        let all: Vec<(Pubkey, Provider)> = self.program_accounts("provider", filter.rpc_filters())?;
        Ok(all.into_iter().filter(|(_, provider)| filter.matches(provider)).collect())
    }

    /// A provider's bond in `mint` (the default key for lamports).
    pub fn bond(&self, provider_authority: &Pubkey, mint: &Pubkey) -> Result<Bond, ClientError> {
        self.zero_copy_account("bond", &pda::bond(provider_authority, mint))
    }

    /// `provider_authority`'s bonds in every currency, by bond address (filtered by the node on `Bond::provider`).
    pub fn bonds_of(&self, provider_authority: &Pubkey) -> Result<Vec<(Pubkey, Bond)>, ClientError> {
        let mut filters = type_filters::<Bond>();
        filters.push(RpcFilterType::Memcmp(Memcmp::new_raw_bytes(BOND_PROVIDER_OFFSET, provider_authority.to_bytes().to_vec())));
        self.program_accounts("bond", filters)
    }

    /// Every provider's bond in every currency, by bond address.
    pub fn list_bonds(&self) -> Result<Vec<(Pubkey, Bond)>, ClientError> {
        self.program_accounts("bond", type_filters::<Bond>())
    }

    /// Every client profile, by profile address.
    pub fn list_client_profiles(&self) -> Result<Vec<(Pubkey, ClientProfile)>, ClientError> {
        self.program_accounts("client profile", type_filters::<ClientProfile>())
    }

    /// The program's upgrade authority, read from its program data account under the upgradeable
    /// loader: the key initialize_market requires as signer. `None` for an immutable program.
    pub fn upgrade_authority(&self) -> Result<Option<Pubkey>, ClientError> {
        let address = pda::program_data();
        let account = self
            .rpc
            .get_account_with_commitment(&address, self.rpc.commitment())?
            .value
            .ok_or(ClientError::NotFound { what: "program data account (is the program deployed upgradeable?)", address })?;
        program_data::upgrade_authority(&account.data).map_err(ClientError::Invalid)
    }

    /// Jobs the filter admits, by job address, oldest first.
    pub fn list_jobs(&self, filter: &JobFilter) -> Result<Vec<(Pubkey, Job)>, ClientError> {
        let mut jobs: Vec<(Pubkey, Job)> = self.program_accounts("job", filter.rpc_filters())?;
        jobs.sort_by_key(|(_, job)| (job.posted_at, job.job_id));
        Ok(jobs)
    }

    /// A provider's quote in a mint (its rates in the mint's base units).
    pub fn mint_quote(&self, provider_authority: &Pubkey, mint: &Pubkey) -> Result<MintQuote, ClientError> {
        let address = pda::quote(provider_authority, mint);
        let data = self.program_account_data("mint quote", &address)?;
        MintQuote::try_deserialize(&mut &data[..])
            .map_err(|_| ClientError::Invalid(format!("{address} is not a mint quote")))
    }

    /// The hourly price `provider` asks for `job` as its accounts say now: its rates for a lamport job,
    /// its quote in the job's mint for a token job. What an assigner passes to assign_job as the price
    /// it saw; the program refuses the assignment if the provider's price rose since.
    pub fn price_for(&self, job: &Job, provider: &Provider) -> Result<u64, ClientError> {
        let rates = if job.is_token_job() { self.mint_quote(&provider.authority, &job.payment_mint)?.rates } else { provider.rates };
        hourly_price(&rates, &job.requirements)
            .ok_or_else(|| ClientError::Invalid(format!("provider {}'s price for this job overflows", provider.authority)))
    }

    /// A mint's token program, decimals and freeze authority.
    pub fn mint_facts(&self, mint: &Pubkey) -> Result<MintFacts, ClientError> {
        let account = self
            .rpc
            .get_account_with_commitment(mint, self.rpc.commitment())?
            .value
            .ok_or(ClientError::NotFound { what: "mint", address: *mint })?;
        let state = anchor_spl::token_interface::Mint::try_deserialize(&mut &account.data[..])
            .map_err(|_| ClientError::Invalid(format!("{mint} is not a Token or Token-2022 mint")))?;
        Ok(MintFacts { token_program: account.owner, decimals: state.decimals, freeze_authority: state.freeze_authority.into() })
    }

    /// Lamports `wallet` lacks to sign a transaction that credits it `amount` (see `shortfall_to_receive`).
    pub fn shortfall_to_receive(&self, wallet: &Pubkey, amount: u64) -> Result<u64, ClientError> {
        Ok(shortfall_to_receive(self.balance(wallet)?, amount, self.rpc.get_minimum_balance_for_rent_exemption(0)?))
    }

    /// Lamports the data-less `account` lacks to be credited `amount` without signing (see `rent_shortfall`).
    pub fn rent_shortfall(&self, account: &Pubkey, amount: u64) -> Result<u64, ClientError> {
        Ok(rent_shortfall(self.balance(account)?, amount, self.rpc.get_minimum_balance_for_rent_exemption(0)?))
    }

    /// The node's clock (the Clock sysvar's unix timestamp): what the program compares deadlines with.
    pub fn chain_time(&self) -> Result<i64, ClientError> {
        use anchor_lang::solana_program::sysvar::SysvarId;
        let clock = anchor_lang::prelude::Clock::id();
        let account = self.rpc.get_account_with_commitment(&clock, self.rpc.commitment())?.value;
        // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp (8 bytes each).
        let seconds = account.as_ref().and_then(|a| a.data.get(32..40)).and_then(|bytes| bytes.try_into().ok());
        seconds.map(i64::from_le_bytes).ok_or_else(|| ClientError::Invalid("the node serves no Clock sysvar".into()))
    }

    /// How a job is paid: lamports, or a token with the program that owns its mint.
    pub fn pay_of(&self, job: &Job) -> Result<Pay, ClientError> {
        if !job.is_token_job() {
            return Ok(Pay::Lamports);
        }
        let mint = self
            .rpc
            .get_account_with_commitment(&job.payment_mint, self.rpc.commitment())?
            .value
            .ok_or(ClientError::NotFound { what: "mint", address: job.payment_mint })?;
        Ok(Pay::Token { mint: job.payment_mint, token_program: mint.owner })
    }

    /// A job and the parties its settlement pays, the treasury read from the market.
    pub fn job_parties(&self, address: &Pubkey) -> Result<(Job, JobParties), ClientError> {
        let job = self.job(address)?;
        let parties = JobParties {
            job: *address,
            client: job.client,
            provider: job.provider,
            treasury: self.market()?.treasury,
            pay: self.pay_of(&job)?,
        };
        Ok((job, parties))
    }

    pub fn balance(&self, address: &Pubkey) -> Result<u64, ClientError> {
        Ok(self.rpc.get_balance(address)?)
    }

    /// Asks the node for `lamports` (local nodes and devnet) and waits for them.
    pub fn airdrop(&self, to: &Pubkey, lamports: u64) -> Result<Signature, ClientError> {
        let signature = self.rpc.request_airdrop(to, lamports)?;
        self.rpc.poll_for_signature(&signature)?;
        Ok(signature)
    }

    /// Signs with the payer and any other signers, sends, and waits for confirmation.
    pub fn send(&self, instructions: &[Instruction], payer: &Keypair, signers: &[&Keypair]) -> Result<Signature, ClientError> {
        let blockhash = self.rpc.get_latest_blockhash()?;
        let mut all: Vec<&Keypair> = vec![payer];
        all.extend(signers.iter().copied().filter(|s| s.pubkey() != payer.pubkey()));
        let transaction = Transaction::new_signed_with_payer(instructions, Some(&payer.pubkey()), &all, blockhash);
        Ok(self.rpc.send_and_confirm_transaction(&transaction)?)
    }

    fn zero_copy_account<T: Pod + Discriminator>(&self, what: &'static str, address: &Pubkey) -> Result<T, ClientError> {
        let data = self.program_account_data(what, address)?;
        zero_copy(&data).map_err(|error| ClientError::Decode { what, address: *address, error })
    }

    /// The data of an account the program owns.
    pub(crate) fn program_account_data(&self, what: &'static str, address: &Pubkey) -> Result<Vec<u8>, ClientError> {
        self.rpc
            .get_account_with_commitment(address, self.rpc.commitment())?
            .value
            .filter(|account| account.owner == ID)
            .map(|account| account.data)
            .ok_or(ClientError::NotFound { what, address: *address })
    }

    fn program_accounts<T: Pod + Discriminator>(
        &self,
        what: &'static str,
        filters: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, T)>, ClientError> {
        self.raw_program_accounts(what, filters)?
            .into_iter()
            .map(|(address, data)| zero_copy(&data).map(|value| (address, value)).map_err(|error| ClientError::Decode { what, address, error }))
            .collect()
    }

    /// Anchor (Borsh) accounts of the program the filters select, decoded as `T`.
    pub(crate) fn anchor_accounts<T: AccountDeserialize>(&self, what: &'static str, filters: Vec<RpcFilterType>) -> Result<Vec<T>, ClientError> {
        self.raw_program_accounts(what, filters)?
            .into_iter()
            .map(|(address, data)| T::try_deserialize(&mut &data[..]).map_err(|_| ClientError::Invalid(format!("{address} is not a {what}"))))
            .collect()
    }

    fn raw_program_accounts(&self, what: &'static str, filters: Vec<RpcFilterType>) -> Result<Vec<(Pubkey, Vec<u8>)>, ClientError> {
        let config = RpcProgramAccountsConfig {
            filters: Some(filters),
            account_config: RpcAccountInfoConfig {
                encoding: Some(solana_account_decoder_client_types::UiAccountEncoding::Base64),
                commitment: Some(self.rpc.commitment()),
                ..Default::default()
            },
            ..Default::default()
        };
        let accounts = self.rpc.get_program_ui_accounts_with_config(&ID, config)?;
        accounts
            .into_iter()
            .map(|(address, account)| account.data.decode().map(|data| (address, data)).ok_or(ClientError::NotFound { what, address }))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wallet_receives_once_it_ends_rent_exempt_after_its_fee() {
        const MINIMUM: u64 = 890_880;
        assert_eq!(shortfall_to_receive(0, 10_000_000, MINIMUM), SIGNATURE_FEE_LAMPORTS, "it cannot sign at all");
        assert_eq!(shortfall_to_receive(SIGNATURE_FEE_LAMPORTS, 100_000, MINIMUM), MINIMUM - 100_000);
        assert_eq!(shortfall_to_receive(SIGNATURE_FEE_LAMPORTS + 1, MINIMUM - 1, MINIMUM), 0);
        assert_eq!(shortfall_to_receive(SIGNATURE_FEE_LAMPORTS, MINIMUM - 1, MINIMUM), 1);
        assert_eq!(shortfall_to_receive(u64::MAX, u64::MAX, MINIMUM), 0);
        assert_eq!(rent_shortfall(0, MINIMUM, MINIMUM), 0, "no signature to pay for");
        assert_eq!(rent_shortfall(1, 10, MINIMUM), MINIMUM - 11);
    }
}
