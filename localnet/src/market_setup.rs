//! The market of a fresh local node: admin, treasury and matcher keypairs kept in a local folder (so
//! they stay the same across restarts), funded by airdrop, and initialize_market sent once by the admin,
//! whom the node names as the program's upgrade authority (`NodeConfig::upgrade_authority`). Then the
//! local USDC (`local_usdc`) is created and accepted, and the folder's mint table names it.

use std::path::{Path, PathBuf};

use compute_market::instructions::InitializeMarketArgs;
use compute_market::state::{BondTerms, TimeWindows};
use compute_market_client::keypair_file::read_or_create;
use compute_market_client::mints::{MintTable, MINT_TABLE_FILE};
use compute_market_client::{builders, ClientError, MarketClient};
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::local_usdc;

pub const LAMPORTS_PER_SOL: u64 = 1_000_000_000;
/// Platform fee of the local market: 2.5%.
pub const LOCAL_FEE_BPS: u16 = 250;
pub const LOCAL_WINDOWS: TimeWindows =
    TimeWindows { start_window_secs: 600, review_window_secs: 3_600, grace_secs: 300, dispute_window_secs: 86_400 };
/// Bond terms of the local market: withdrawals wait a day; a failed job costs its provider a quarter of
/// the job's minimum bond, paid to the client.
pub const LOCAL_BONDS: BondTerms = BondTerms { cooldown_secs: 86_400, slash_bps: 2_500 };

pub struct MarketKeys {
    /// The market's admin, and the program's upgrade authority on the local node; the local USDC's mint
    /// authority.
    pub admin: Keypair,
    pub treasury: Keypair,
    pub matcher: Keypair,
    /// The local USDC mint's keypair: its address stays the same across restarts.
    pub usdc_mint: Keypair,
    /// Where they are kept, with the mint table.
    pub folder: PathBuf,
}

impl MarketKeys {
    /// `admin.json`, `treasury.json`, `matcher.json` and `usdc-mint.json` in `folder`, created on first use.
    pub fn in_folder(folder: &Path) -> Result<MarketKeys, String> {
        Ok(MarketKeys {
            admin: read_or_create(&folder.join("admin.json"))?,
            treasury: read_or_create(&folder.join("treasury.json"))?,
            matcher: read_or_create(&folder.join("matcher.json"))?,
            usdc_mint: read_or_create(&folder.join(local_usdc::KEYPAIR_FILE))?,
            folder: folder.to_path_buf(),
        })
    }

    /// The mint table of this market: its local USDC.
    pub fn mint_table(&self) -> MintTable {
        MintTable::new([(local_usdc::SYMBOL.to_string(), self.usdc_mint.pubkey(), Some(local_usdc::DECIMALS))]).expect("one symbol")
    }

    /// Where the mint table is written: `cmkt` reads it (`--mints`, CMKT_MINTS, or by default
    /// `.localnet/mints.json` against the local node).
    pub fn mint_table_path(&self) -> PathBuf {
        self.folder.join(MINT_TABLE_FILE)
    }
}

/// Funds the admin, treasury and matcher and initialises the market, unless it already exists; then
/// creates and accepts the local USDC and writes the mint table.
pub fn initialize_market(client: &MarketClient, keys: &MarketKeys) -> Result<(), ClientError> {
    if client.market().is_err() {
        client.airdrop(&keys.admin.pubkey(), 100 * LAMPORTS_PER_SOL)?;
        // The market requires a rent-exempt treasury; collect_fees moves the fees providers hold into it.
        client.airdrop(&keys.treasury.pubkey(), LAMPORTS_PER_SOL)?;
        // The matcher pays the fees of its assignments.
        client.airdrop(&keys.matcher.pubkey(), 10 * LAMPORTS_PER_SOL)?;
        let args = InitializeMarketArgs { fee_bps: LOCAL_FEE_BPS, matcher: Some(keys.matcher.pubkey()), windows: LOCAL_WINDOWS, bonds: LOCAL_BONDS };
        client.send(&[builders::initialize_market(&keys.admin.pubkey(), &keys.treasury.pubkey(), args)], &keys.admin, &[])?;
    }
    local_usdc::set_up(client, keys)?;
    keys.mint_table().write(&keys.mint_table_path()).map_err(ClientError::Invalid)
}
