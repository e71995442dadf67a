//! `stats`: market totals, or one provider's or client's figures. With the index API the market's come
//! from its history and the parties' job figures from every job it indexed (closed ones included); from
//! the node, they are summed from the accounts that exist now (the program keeps no market-wide counter).

use clap::Args;
use compute_market_client::analytics::{client_stats, market_totals, provider_stats};
use compute_market_client::index_api::{Bucket, IndexApi, JobQuery, StatsRange};
use compute_market_client::{JobFilter, ProviderFilter};
use serde_json::Value;

use crate::context::{describe, parse_key, Context};
use crate::{index_views, views};

/// How far back market totals from the index reach: all of it, as far as one range of days may.
const ALL_DAYS: i64 = 3_650;

/// The most jobs of one party read from the index for its figures.
const PARTY_JOBS: usize = 100_000;

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
    let index = context.index_or_note()?;
    let client = &context.client;
    if let Some(authority) = args.provider {
        let authority = parse_key(&authority, "provider authority")?;
        let provider = client.provider(&authority).map_err(|e| describe("reading the provider", e))?;
        let record = match &index {
            Some(api) => {
                let jobs = api.jobs(&JobQuery { provider: Some(authority.to_string()), ..Default::default() }, PARTY_JOBS).map_err(|e| e.to_string())?;
                let mut record = views::provider_stats(&authority, &provider_stats(&provider, &[]), &provider);
                record["earned_in_listed_jobs_lamports"] = jobs.iter().filter(|j| !j.closed).map(|j| j.provider_payout).sum::<u64>().into();
                record["pending_escrow_lamports"] =
                    jobs.iter().filter(|j| matches!(j.status.as_str(), "assigned" | "running" | "submitted")).map(|j| j.escrow).sum::<u64>().into();
                record
            }
            None => {
                let jobs = client
                    .list_jobs(&JobFilter { provider: Some(authority), ..Default::default() })
                    .map_err(|e| describe("listing jobs", e))?;
                views::provider_stats(&authority, &provider_stats(&provider, &jobs), &provider)
            }
        };
        context.output.record(&record);
    } else if let Some(authority) = args.client {
        let authority = parse_key(&authority, "client")?;
        let profile = client.client_profile(&authority).map_err(|e| describe("reading the client profile", e))?;
        let record = match &index {
            Some(api) => {
                let mut jobs = api.jobs(&JobQuery { client: Some(authority.to_string()), ..Default::default() }, PARTY_JOBS).map_err(|e| e.to_string())?;
                jobs.reverse();
                let mut record = views::client_stats(&authority, &client_stats(&profile, &[]), &profile);
                record["in_escrow_lamports"] = jobs.iter().filter(|j| index_views::holds_escrow(j)).map(|j| j.escrow).sum::<u64>().into();
                let currencies = context.currencies()?;
                record["history"] = jobs.iter().map(|j| index_views::history_entry(j, &currencies)).collect::<Vec<_>>().into();
                record
            }
            None => {
                let jobs = client
                    .list_jobs(&JobFilter { client: Some(authority), ..Default::default() })
                    .map_err(|e| describe("listing jobs", e))?;
                views::client_stats(&authority, &client_stats(&profile, &jobs), &profile)
            }
        };
        context.output.record(&record);
    } else {
        let record = match &index {
            Some(api) => market_from_index(context, api)?,
            None => {
                let market = client.market().map_err(|e| describe("reading the market", e))?;
                let providers = client.list_providers(&ProviderFilter::default()).map_err(|e| describe("listing providers", e))?;
                let clients = client.list_client_profiles().map_err(|e| describe("listing client profiles", e))?;
                let jobs = client.list_jobs(&JobFilter::default()).map_err(|e| describe("listing jobs", e))?;
                views::market_totals(&market_totals(&market, &providers, &clients, &jobs))
            }
        };
        context.output.record(&record);
    }
    Ok(())
}

/// The market over everything the index holds, with the fee the market charges now.
fn market_from_index(context: &Context, api: &IndexApi) -> Result<Value, String> {
    let stats = api.market_stats(&StatsRange::last(ALL_DAYS, Bucket::Day, context.now()), None).map_err(|e| e.to_string())?;
    let mut record = index_views::market_stats(&stats, &context.currencies()?);
    let market = context.client.market().map_err(|e| describe("reading the market", e))?;
    record["fee_bps"] = market.fee_bps.into();
    Ok(record)
}
