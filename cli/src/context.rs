//! What every command works with: the node (`--url`), the index API when given (`--api`), the signer
//! (`--keypair`), the output format, and the mint table (`--mints`) that names tokens by symbol.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use compute_market_client::index_api::IndexApi;
use compute_market_client::amounts::Currency;
use compute_market_client::keypair_file::{expand_home, read_keypair};
use compute_market_client::mints::{MintTable, MINT_TABLE_FILE};
use compute_market_client::builders::Pay;
use compute_market_client::{pda, ClientError, MarketClient};
use compute_market::state::PaymentMint;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::figures::Currencies;
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

/// The local node's address, against which `.localnet/mints.json` (what `localnet` writes) names its USDC.
const LOCAL_RPC_URLS: [&str; 2] = ["http://127.0.0.1:8899", "http://localhost:8899"];
/// The mint table used on any cluster when none is given.
const USER_MINT_TABLE: &str = "~/.config/cmkt/mints.json";

/// The mint table: the file given (`--mints` or CMKT_MINTS), else against the local node the one
/// `localnet` writes in `.localnet/`, else `~/.config/cmkt/mints.json`, else none (tokens by address).
pub fn mint_table(given: Option<&str>, rpc_url: &str) -> Result<MintTable, String> {
    if let Some(path) = given.filter(|p| !p.trim().is_empty()) {
        return MintTable::load(&expand_home(path));
    }
    let local = Path::new(".localnet").join(MINT_TABLE_FILE);
    if LOCAL_RPC_URLS.contains(&rpc_url) && local.is_file() {
        return MintTable::load(&local);
    }
    let user = expand_home(USER_MINT_TABLE);
    if user.is_file() {
        return MintTable::load(&user);
    }
    Ok(MintTable::default())
}

pub struct Context {
    pub client: MarketClient,
    pub output: Output,
    keypair: PathBuf,
    api: Option<String>,
    pub mints: MintTable,
}

impl Context {
    /// `api` is the index API's URL, if any (empty counts as none).
    pub fn new(url: &str, keypair: &str, output: Output, api: Option<String>, mints: MintTable) -> Context {
        let api = api.filter(|url| !url.trim().is_empty());
        Context { client: MarketClient::new(&resolve_url(url)), output, keypair: expand_home(keypair), api, mints }
    }

    /// SOL and every mint the market accepts, with their decimals, named by the mint table.
    pub fn currencies(&self) -> Result<Currencies, String> {
        let mints = self.client.list_payment_mints().map_err(|e| describe("listing the market's payment mints", e))?;
        Ok(Currencies::new(self.mints.clone(), mints.iter().map(|m| (m.mint, m.decimals)).collect::<HashMap<_, _>>()))
    }

    /// A mint named by a symbol of the mint table or by its address.
    pub fn mint_key(&self, text: &str) -> Result<Pubkey, String> {
        self.mints.by_symbol(text).map_or_else(|| parse_key(text, "mint"), Ok)
    }

    /// What `text` names as a payment: `SOL` is lamports (none); a symbol of the mint table or a mint
    /// address is a token the market must accept, and accept new jobs in. Refused in words otherwise.
    pub fn payment_mint(&self, text: &str) -> Result<Option<(PaymentMint, Currency)>, String> {
        if text.eq_ignore_ascii_case("SOL") {
            return Ok(None);
        }
        let mint = match (self.mints.by_symbol(text), text.parse::<Pubkey>()) {
            (Some(mint), _) | (None, Ok(mint)) => mint,
            (None, Err(_)) => {
                return Err(format!(
                    "unknown mint `{text}`: not a mint address, and no mint table names it (give one with --mints FILE or CMKT_MINTS; `cmkt mint list` shows the mints the market accepts)"
                ))
            }
        };
        let record = match self.client.payment_mint(&mint) {
            Ok(record) => record,
            Err(ClientError::NotFound { .. }) => {
                return Err(format!("the market does not accept {text} (mint {mint}) as payment; `cmkt mint list` shows the mints it accepts"))
            }
            Err(other) => return Err(describe("reading the payment mint", other)),
        };
        let currency = self.mints.currency(&mint, record.decimals);
        if !record.enabled {
            return Err(format!("the market has disabled new jobs paid in {} (mint {mint}); jobs already posted in it still settle", currency.name));
        }
        Ok(Some((record, currency)))
    }

    /// How `text` pays (see `payment_mint`): lamports, or a token the market accepts for new jobs, with the
    /// currency its amounts are written in.
    pub fn payment(&self, text: &str) -> Result<(Pay, Currency), String> {
        Ok(match self.payment_mint(text)? {
            None => (Pay::Lamports, Currency::sol()),
            Some((record, currency)) => (Pay::Token { mint: record.mint, token_program: record.token_program }, currency),
        })
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
