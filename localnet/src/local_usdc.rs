//! The local node's USDC: a Token-program mint of 6 decimals at the address of `usdc-mint.json` in the
//! keys folder, the admin its mint authority (no freeze authority), accepted by the market. Wallets get
//! it from `mint_usdc` (`localnet --airdrop`, the demo's parties).

use anchor_lang::prelude::Pubkey;
use compute_market::instructions::AddPaymentMintArgs;
use compute_market_client::tokens::{self, MINT_LEN, TOKEN_PROGRAM};
use compute_market_client::{builders, ClientError, MarketClient};
use solana_signer::Signer;

use crate::market_setup::MarketKeys;

pub const SYMBOL: &str = "USDC";
pub const DECIMALS: u8 = 6;
pub const KEYPAIR_FILE: &str = "usdc-mint.json";
/// One whole USDC in base units.
pub const ONE_USDC: u64 = 1_000_000;
/// What `localnet --airdrop` mints to each address: 1,000 USDC.
pub const AIRDROP_USDC: u64 = 1_000 * ONE_USDC;
/// One USDC counts as 0.01 SOL when reputation weighs work paid in it (a reference, not a price).
pub const REPUTATION_LAMPORTS_PER_USDC: u64 = 10_000_000;

/// Creates the mint unless it exists and has the market accept it unless it does.
pub fn set_up(client: &MarketClient, keys: &MarketKeys) -> Result<(), ClientError> {
    let (admin, mint) = (keys.admin.pubkey(), keys.usdc_mint.pubkey());
    if client.rpc().get_account_with_commitment(&mint, client.rpc().commitment())?.value.is_none() {
        let rent = client.rpc().get_minimum_balance_for_rent_exemption(MINT_LEN)?;
        client.send(&tokens::create_mint(&admin, &mint, &admin, DECIMALS, rent), &keys.admin, &[&keys.usdc_mint])?;
    }
    if client.payment_mint(&mint).is_err() {
        let args = AddPaymentMintArgs { acknowledge_freeze_authority: false, reputation_lamports_per_token: REPUTATION_LAMPORTS_PER_USDC };
        let treasury = client.market()?.treasury;
        client.send(&[builders::add_payment_mint(&admin, &treasury, &mint, &TOKEN_PROGRAM, args)], &keys.admin, &[])?;
    }
    Ok(())
}

/// Mints `amount` base units of the local USDC to `owner`'s associated token account, created if need
/// be; the admin signs and pays.
pub fn mint_usdc(client: &MarketClient, keys: &MarketKeys, owner: &Pubkey, amount: u64) -> Result<(), ClientError> {
    let (admin, mint) = (keys.admin.pubkey(), keys.usdc_mint.pubkey());
    let instructions = [
        tokens::create_token_account(&admin, owner, &mint, &TOKEN_PROGRAM),
        tokens::mint_to(&mint, owner, &admin, amount, DECIMALS, &TOKEN_PROGRAM),
    ];
    client.send(&instructions, &keys.admin, &[])?;
    Ok(())
}
