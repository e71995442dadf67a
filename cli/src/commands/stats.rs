//! `stats`: market totals (summed from every provider and client profile: the program keeps no market-wide
//! counter), or one provider's or client's figures.

use clap::Args;
use compute_market_client::analytics::{client_stats, market_totals, provider_stats};
use compute_market_client::{JobFilter, ProviderFilter};

use crate::context::{describe, parse_key, Context};
use crate::views;

#[derive(Args)]
pub struct StatsArgs {
    /// A provider's earnings, completion rate and utilisation (its authority).
    #[arg(long, conflicts_with = "client")]
    provider: Option<String>,
    /// A client's spending and history (its authority).
    #[arg(long)]
    client: Option<String>,
}

pub fn run(context: &Context, args: StatsArgs) -> Result<(), String> {
    let client = &context.client;
    if let Some(authority) = args.provider {
        let authority = parse_key(&authority, "provider authority")?;
        let provider = client.provider(&authority).map_err(|e| describe("reading the provider", e))?;
        let jobs = client
            .list_jobs(&JobFilter { provider: Some(authority), ..Default::default() })
            .map_err(|e| describe("listing jobs", e))?;
        context.output.record(&views::provider_stats(&authority, &provider_stats(&provider, &jobs), &provider));
    } else if let Some(authority) = args.client {
        let authority = parse_key(&authority, "client")?;
        let profile = client.client_profile(&authority).map_err(|e| describe("reading the client profile", e))?;
        let jobs = client
            .list_jobs(&JobFilter { client: Some(authority), ..Default::default() })
            .map_err(|e| describe("listing jobs", e))?;
        context.output.record(&views::client_stats(&authority, &client_stats(&profile, &jobs), &profile));
    } else {
        let market = client.market().map_err(|e| describe("reading the market", e))?;
        let providers = client.list_providers(&ProviderFilter::default()).map_err(|e| describe("listing providers", e))?;
        let clients = client.list_client_profiles().map_err(|e| describe("listing client profiles", e))?;
        let jobs = client.list_jobs(&JobFilter::default()).map_err(|e| describe("listing jobs", e))?;
        context.output.record(&views::market_totals(&market_totals(&market, &providers, &clients, &jobs)));
    }
    Ok(())
}
