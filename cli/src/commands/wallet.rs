//! SOL for the signer: airdrop and balance.

use clap::Args;
use serde_json::json;

use compute_market_client::amounts::{format_sol, parse_sol};
use crate::context::{describe, parse_key, Context};

#[derive(Args)]
pub struct AirdropArgs {
    /// Amount in SOL.
    amount: String,
    /// Recipient; the signer by default.
    address: Option<String>,
}

#[derive(Args)]
pub struct BalanceArgs {
    /// The signer by default.
    address: Option<String>,
}

pub fn airdrop(context: &Context, args: AirdropArgs) -> Result<(), String> {
    let lamports = parse_sol(&args.amount)?;
    let to = match args.address {
        Some(a) => parse_key(&a, "recipient")?,
        None => context.me()?,
    };
    context.client.airdrop(&to, lamports).map_err(|e| describe("airdrop", e))?;
    let balance = context.client.balance(&to).map_err(|e| describe("balance", e))?;
    context.output.record(&json!({ "address": to.to_string(), "airdropped_lamports": lamports, "balance_lamports": balance }));
    Ok(())
}

pub fn balance(context: &Context, args: BalanceArgs) -> Result<(), String> {
    let address = match args.address {
        Some(a) => parse_key(&a, "account")?,
        None => context.me()?,
    };
    let lamports = context.client.balance(&address).map_err(|e| describe("balance", e))?;
    match context.output {
        crate::output::Output::Table => println!("{} SOL", format_sol(lamports)),
        crate::output::Output::Json => context.output.record(&json!({ "address": address.to_string(), "balance_lamports": lamports })),
    }
    Ok(())
}
