//! The market of a fresh local node: admin, treasury and matcher keypairs kept in a local folder (so
//! they stay the same across restarts), funded by airdrop, and initialize_market sent once by the admin,
//! whom the node names as the program's upgrade authority (`NodeConfig::upgrade_authority`).

use std::path::Path;

use compute_market::instructions::InitializeMarketArgs;
use compute_market::state::TimeWindows;
use compute_market_client::keypair_file::read_or_create;
use compute_market_client::{builders, ClientError, MarketClient};
use solana_keypair::Keypair;
use solana_signer::Signer;

pub const LAMPORTS_PER_SOL: u64 = 1_000_000_000;
/// Platform fee of the local market: 2.5%.
pub const LOCAL_FEE_BPS: u16 = 250;
pub const LOCAL_WINDOWS: TimeWindows =
    TimeWindows { start_window_secs: 600, review_window_secs: 3_600, grace_secs: 300, dispute_window_secs: 86_400 };

pub struct MarketKeys {
    /// The market's admin, and the program's upgrade authority on the local node.
    pub admin: Keypair,
    pub treasury: Keypair,
    pub matcher: Keypair,
}

impl MarketKeys {
    /// `admin.json`, `treasury.json` and `matcher.json` in `folder`, created on first use.
    pub fn in_folder(folder: &Path) -> Result<MarketKeys, String> {
        Ok(MarketKeys {
            admin: read_or_create(&folder.join("admin.json"))?,
            treasury: read_or_create(&folder.join("treasury.json"))?,
            matcher: read_or_create(&folder.join("matcher.json"))?,
        })
    }
}

/// Funds the admin, treasury and matcher and initialises the market, unless it already exists.
pub fn initialize_market(client: &MarketClient, keys: &MarketKeys) -> Result<(), ClientError> {
    if client.market().is_ok() {
        return Ok(());
    }
    client.airdrop(&keys.admin.pubkey(), 100 * LAMPORTS_PER_SOL)?;
    // The market requires a rent-exempt treasury; collect_fees moves the fees providers hold into it.
    client.airdrop(&keys.treasury.pubkey(), LAMPORTS_PER_SOL)?;
    // The matcher pays the fees of its assignments.
    client.airdrop(&keys.matcher.pubkey(), 10 * LAMPORTS_PER_SOL)?;
    let args = InitializeMarketArgs { fee_bps: LOCAL_FEE_BPS, matcher: Some(keys.matcher.pubkey()), windows: LOCAL_WINDOWS };
    client.send(&[builders::initialize_market(&keys.admin.pubkey(), &keys.treasury.pubkey(), args)], &keys.admin, &[])?;
    Ok(())
}
