//! What every command works with: the node (`--url`), the signer (`--keypair`) and the output format.

use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
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

pub struct Context {
    pub client: MarketClient,
    pub output: Output,
    keypair: PathBuf,
}

impl Context {
    pub fn new(url: &str, keypair: &str, output: Output) -> Context {
        Context { client: MarketClient::new(&resolve_url(url)), output, keypair: expand_home(keypair) }
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
