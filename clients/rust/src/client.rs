//! A compute_market client over JSON-RPC: reads accounts, lists them with server-side filters, and sends
//! transactions, reporting program errors by name.

use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use bytemuck::Pod;
use compute_market::state::{ClientProfile, Job, Market, Provider};
use compute_market::ID;
use solana_commitment_config::CommitmentConfig;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::RpcFilterType;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;

use crate::builders::{JobParties, Pay};
use crate::decode::zero_copy;
use crate::errors::ClientError;
use crate::filters::{JobFilter, ProviderFilter};
use crate::pda;

pub struct MarketClient {
    rpc: RpcClient,
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

    /// Jobs the filter admits, by job address, oldest first.
    pub fn list_jobs(&self, filter: &JobFilter) -> Result<Vec<(Pubkey, Job)>, ClientError> {
        let mut jobs: Vec<(Pubkey, Job)> = self.program_accounts("job", filter.rpc_filters())?;
        jobs.sort_by_key(|(_, job)| (job.posted_at, job.job_id));
        Ok(jobs)
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
        let account = self
            .rpc
            .get_account_with_commitment(address, self.rpc.commitment())?
            .value
            .filter(|account| account.owner == ID)
            .ok_or(ClientError::NotFound { what, address: *address })?;
        zero_copy(&account.data).map_err(|error| ClientError::Decode { what, address: *address, error })
    }

    fn program_accounts<T: Pod + Discriminator>(
        &self,
        what: &'static str,
        filters: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, T)>, ClientError> {
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
            .map(|(address, account)| {
                let data = account.data.decode().ok_or(ClientError::NotFound { what, address })?;
                zero_copy(&data).map(|value| (address, value)).map_err(|error| ClientError::Decode { what, address, error })
            })
            .collect()
    }
}
