//! What every command works with: the node (`--url`), the index API when given (`--api`), the signer
//! (`--keypair`) and the output format.

use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use compute_market_client::index_api::IndexApi;
use compute_market_client::keypair_file::{expand_home, read_keypair};
use compute_market_client::{pda, ClientError, MarketClient};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::output::Output;

/// Solana CLI monikers, or a URL as given.
pub fn resolve_url(url: &str) -> String {
    match url {
        "localnet" | "localhost" | "l" => "http://127.0.0.1:8899".into(),
        "devnet" | "d" => "https://api.devnet.solana.com".into(),
        "testnet" | "t" => "https://api.testnet.solana.com".into(),
        "mainnet-beta" | "m" => "https://api.mainnet-beta.solana.com".into(),
        other => other.into(),
    }
}

/// What a command that can read the index prints to stderr when it reads the node instead.
pub const NODE_FALLBACK_NOTE: &str = "note: no index API given (--api or CMKT_API_URL): read from the node; history is limited";

pub struct Context {
    pub client: MarketClient,
    pub output: Output,
    keypair: PathBuf,
    api: Option<String>,
}

impl Context {
    /// `api` is the index API's URL, if any (empty counts as none).
    pub fn new(url: &str, keypair: &str, output: Output, api: Option<String>) -> Context {
        let api = api.filter(|url| !url.trim().is_empty());
        Context { client: MarketClient::new(&resolve_url(url)), output, keypair: expand_home(keypair), api }
    }

    /// The index API when one was given; otherwise the note that the node answers instead, printed.
    pub fn index_or_note(&self) -> Result<Option<IndexApi>, String> {
        match &self.api {
            Some(url) => IndexApi::new(url).map(Some).map_err(|e| e.to_string()),
            None => {
                eprintln!("{NODE_FALLBACK_NOTE}");
                Ok(None)
            }
        }
    }

    /// The index API, which `command` cannot do without.
    pub fn require_index(&self, command: &str) -> Result<IndexApi, String> {
        let url = self.api.as_ref().ok_or_else(|| format!("{command} needs the index API (--api or CMKT_API_URL): the node keeps no history"))?;
        IndexApi::new(url).map_err(|e| e.to_string())
    }

    pub fn signer(&self) -> Result<Keypair, String> {
        read_keypair(&self.keypair)
    }

    /// The signer's address, for commands that default to "me".
    pub fn me(&self) -> Result<Pubkey, String> {
        Ok(self.signer()?.pubkey())
    }

    /// Sends instructions signed by the signer, which also pays the fee; prints the signature.
    pub fn send(&self, signer: &Keypair, instructions: &[Instruction], what: &str) -> Result<(), String> {
        let signature = self.client.send(instructions, signer, &[]).map_err(|e| describe(what, e))?;
        if self.output == Output::Table {
            println!("{what}: confirmed, signature {signature}");
        }
        Ok(())
    }

    /// Now on the chain's clock (what the index's times are in), or on this machine's when the node does
    /// not answer.
    pub fn now(&self) -> i64 {
        self.client.chain_time().unwrap_or_else(|_| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
        })
    }

    /// A job given as its address, or as a number: the signer's own job with that id.
    pub fn job_address(&self, reference: &str) -> Result<Pubkey, String> {
        if let Ok(id) = reference.parse::<u64>() {
            return Ok(pda::job(&self.me()?, id));
        }
        parse_key(reference, "job")
    }
}

pub fn parse_key(text: &str, what: &str) -> Result<Pubkey, String> {
    text.parse().map_err(|_| format!("`{text}` is not a {what} address (base58)"))
}

/// A client error as a sentence that starts with what was being done.
pub fn describe(what: &str, error: ClientError) -> String {
    match error {
        ClientError::Program { name, message, .. } => format!("{what} refused by the program: {name}: {message}"),
        other => format!("{what}: {other}"),
    }
}
