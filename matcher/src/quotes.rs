//! The providers' prices and bonds in tokens: their quotes indexed by (provider, mint), so finding a
//! provider's quote is one hash lookup however many quotes there are (and a round lays each token's
//! quotes out beside its providers once, `column`, for its scan to read by index); their free bonds in
//! each token, the same way (`bond_for`, `bond_column`: a token job is priced and bonded in its mint,
//! a lamport job by the provider's own rates and `Candidate::bond`); and the currency each mint's
//! amounts are written in (symbol when the mint table names it, else its short address; the decimals
//! the market recorded).

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use compute_market::state::{MintQuote, PaymentMint, Rates};
use compute_market_client::amounts::Currency;
use compute_market_client::mints::MintTable;

use crate::plan::{Candidate, OpenJob};

#[derive(Clone, Debug, Default)]
pub struct QuoteBook {
    rates: HashMap<(Pubkey, Pubkey), Rates>,
    /// Free token bonds (`Bond::free`) by (provider, mint).
    bonds: HashMap<(Pubkey, Pubkey), u64>,
    currencies: HashMap<Pubkey, Currency>,
}

impl QuoteBook {
    /// The quotes and accepted mints as read from the node, named by `table`.
    pub fn from_accounts(quotes: &[MintQuote], mints: &[PaymentMint], table: &MintTable) -> QuoteBook {
        let mut book = QuoteBook::default();
        for quote in quotes {
            book.add_quote(quote.provider, quote.mint, quote.rates);
        }
        for mint in mints {
            book.add_currency(table.currency(&mint.mint, mint.decimals));
        }
        book
    }

    /// `provider` (its authority) prices jobs in `mint` at `rates`.
    pub fn add_quote(&mut self, provider: Pubkey, mint: Pubkey, rates: Rates) {
        self.rates.insert((provider, mint), rates);
    }

    /// `provider` (its authority) has `free` of its bond in `mint` free for jobs to lock (`Bond::free`).
    pub fn add_bond(&mut self, provider: Pubkey, mint: Pubkey, free: u64) {
        self.bonds.insert((provider, mint), free);
    }

    /// The free bond of `provider` in `mint`: 0 without one.
    pub fn bond_for(&self, provider: &Pubkey, mint: &Pubkey) -> u64 {
        self.bonds.get(&(*provider, *mint)).copied().unwrap_or(0)
    }

    /// Each provider's free bond in `mint`, in the providers' order: what a round locks as it assigns.
    pub fn bond_column(&self, mint: &Pubkey, providers: &[Candidate]) -> Vec<u64> {
        if self.bonds.is_empty() {
            return vec![0; providers.len()];
        }
        providers.iter().map(|p| self.bond_for(&p.authority, mint)).collect()
    }

    /// How a token's amounts are written; `currency.mint` is the token's mint.
    pub fn add_currency(&mut self, currency: Currency) {
        if let Some(mint) = currency.mint {
            self.currencies.insert(mint, currency);
        }
    }

    /// The rates `provider` prices `job` at: its own for a lamport job, its quote in the job's mint for a
    /// token job (none without one, or with one that does not price every resource the job asks for,
    /// which the program refuses).
    #[inline]
    pub fn rates_for<'a>(&'a self, provider: &'a Candidate, job: &OpenJob) -> Option<&'a Rates> {
        match job.payment_mint {
            None => Some(&provider.rates),
            Some(mint) => self.rates.get(&(provider.authority, mint)).filter(|rates| rates.is_valid_for(&job.requirements)),
        }
    }

    /// `provider`'s quote in `mint` as it stands, valid for a job or not.
    pub fn quote(&self, provider: &Pubkey, mint: &Pubkey) -> Option<Rates> {
        self.rates.get(&(*provider, *mint)).copied()
    }

    /// Each provider's quote in `mint`, in the providers' order: what a round's scan reads by index.
    pub fn column(&self, mint: &Pubkey, providers: &[Candidate]) -> Vec<Option<Rates>> {
        providers.iter().map(|p| self.quote(&p.authority, mint)).collect()
    }

    /// What `job` is paid in.
    pub fn currency(&self, job: &OpenJob) -> Currency {
        match job.payment_mint {
            None => Currency::sol(),
            Some(mint) => self.currencies.get(&mint).cloned().unwrap_or_else(|| Currency::token(mint, 0, None)),
        }
    }
}
