//! Which open jobs the agent accepts by itself, when it is given a policy, and at what price: its own
//! rates price a job paid in lamports, its quote in the job's mint (`add_mint_quote`) a job paid in a token.

use std::collections::{BTreeMap, HashMap};

use anchor_lang::prelude::Pubkey;
use compute_market::math::pricing::hourly_price;
use compute_market::state::{Bond, Job, MintQuote, Provider, Rates, Resources};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptPolicy {
    /// The lowest price per hour worth taking for a job paid in lamports, in lamports. It does not apply to
    /// jobs paid in a token: their minimum is `min_token_prices`'.
    pub min_price_per_hour: u64,
    /// The lowest price per hour worth taking for a job paid in a token, in that token's base units, by
    /// mint; no minimum in a token not named here.
    pub min_token_prices: BTreeMap<Pubkey, u64>,
    /// The longest job to take, in seconds.
    pub max_duration_secs: u32,
    /// The most capacity to commit to jobs at once (what jobs in flight hold counts against it).
    pub max_commit: Resources,
}

/// A provider's quotes by mint: the rates it prices jobs paid in each token at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quotes(HashMap<Pubkey, Rates>);

impl Quotes {
    /// `provider`'s (its authority's) quotes among `quotes`.
    pub fn of(provider: &Pubkey, quotes: &[MintQuote]) -> Quotes {
        Quotes(quotes.iter().filter(|q| q.provider == *provider).map(|q| (q.mint, q.rates)).collect())
    }

    /// Prices jobs paid in `mint` at `rates`.
    pub fn add(&mut self, mint: Pubkey, rates: Rates) {
        self.0.insert(mint, rates);
    }

    pub fn get(&self, mint: &Pubkey) -> Option<&Rates> {
        self.0.get(mint)
    }
}

/// A provider's bonds free for new jobs, by currency (the default key for lamports).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bonds(HashMap<Pubkey, u64>);

impl Bonds {
    /// `provider`'s (its authority's) bonds among `bonds`, what each has free.
    pub fn of(provider: &Pubkey, bonds: &[Bond]) -> Bonds {
        Bonds(bonds.iter().filter(|b| b.provider == *provider).map(|b| (b.mint, b.free())).collect())
    }

    /// Free in `mint`: nothing without a bond there.
    pub fn free(&self, mint: &Pubkey) -> u64 {
        self.0.get(mint).copied().unwrap_or(0)
    }

    /// Counts `amount` in `mint` as locked by a job just accepted.
    pub fn lock(&mut self, mint: &Pubkey, amount: u64) {
        if let Some(free) = self.0.get_mut(mint) {
            *free = free.saturating_sub(amount);
        }
    }
}

impl AcceptPolicy {
    /// The price per hour `provider` takes `job` at, in what the job is paid in (the one to send as
    /// `assign_job`'s bound), or why it should not accept it. A job paid in a token is priced by the
    /// provider's quote in its mint (`quotes`), as the program prices it.
    /// A bonded job needs that much of our bond free in its currency (`bonds`), as `assign_job` locks it.
    pub fn price(&self, job: &Job, provider: &Provider, quotes: &Quotes, bonds: &Bonds) -> Result<u64, String> {
        if job.client == provider.authority {
            return Err("it is our own job".into());
        }
        if job.target_provider().is_some_and(|target| target != provider.authority) {
            return Err("reserved for another provider".into());
        }
        let (rates, minimum) = if job.is_token_job() {
            let mint = job.payment_mint;
            let rates = quotes.get(&mint).ok_or_else(|| format!("we quote no price in {mint}"))?;
            // The program refuses a quote that leaves a resource the job asks for unpriced.
            if !rates.is_valid_for(&job.requirements) {
                return Err(format!("our quote in {mint} does not price every resource it asks for"));
            }
            (rates, self.min_token_prices.get(&mint).copied().unwrap_or(0))
        } else {
            (&provider.rates, self.min_price_per_hour)
        };
        let price = hourly_price(rates, &job.requirements).ok_or("its price at our rates overflows")?;
        if price > job.max_price_per_hour {
            return Err("our price is above its maximum".into());
        }
        if price < minimum {
            return Err("below our minimum price".into());
        }
        if job.duration_secs > self.max_duration_secs {
            return Err("longer than our maximum duration".into());
        }
        if provider.reputation < job.min_reputation {
            return Err("our reputation is below its minimum".into());
        }
        if job.is_bonded() && bonds.free(&job.payment_mint) < job.min_bond {
            return Err("it requires more bond than we have free".into());
        }
        if !job.requirements.fits_in(&provider.free) {
            return Err("not enough free capacity".into());
        }
        let committed = provider.in_use().ok().and_then(|in_use| in_use.checked_add(&job.requirements));
        if !committed.is_some_and(|committed| committed.fits_in(&self.max_commit)) {
            return Err("beyond the capacity we commit".into());
        }
        Ok(price)
    }

    /// Why `provider` should not accept `job`, or none if it should.
    pub fn refusal(&self, job: &Job, provider: &Provider, quotes: &Quotes, bonds: &Bonds) -> Option<String> {
        self.price(job, provider, quotes, bonds).err()
    }
}

#[cfg(test)]
mod tests {
    // The account types are zero-copy (Pod): a zeroed one is a valid blank to fill in.
    use anchor_lang::__private::bytemuck::Zeroable;

    use super::*;

    const USDC: Pubkey = Pubkey::new_from_array([6; 32]);
    const ME: Pubkey = Pubkey::new_from_array([1; 32]);

    fn policy() -> AcceptPolicy {
        AcceptPolicy {
            min_price_per_hour: 3_000_000,
            min_token_prices: BTreeMap::new(),
            max_duration_secs: 3_600,
            max_commit: Resources { cpu_cores: 8, ram_gb: 32, storage_gb: 100, gpus: 0 },
        }
    }

    /// 8 cores and 32 GB free, at 0.001 SOL a core-hour and 0.00001 a GB-hour.
    fn provider() -> Provider {
        let mut provider = Provider::zeroed();
        provider.authority = ME;
        provider.rates = Rates { per_core: 1_000_000, per_gb_ram: 10_000, ..Default::default() };
        provider.capacity = Resources { cpu_cores: 8, ram_gb: 32, storage_gb: 100, gpus: 0 };
        provider.free = provider.capacity;
        provider
    }

    /// An open job of 2 cores and 1 GB for an hour, at most `max` an hour, paid in `mint` (lamports for the default key).
    fn job(mint: Pubkey, max: u64) -> Job {
        let mut job = Job::zeroed();
        job.client = Pubkey::new_from_array([2; 32]);
        job.payment_mint = mint;
        job.max_price_per_hour = max;
        job.requirements = Resources { cpu_cores: 2, ram_gb: 1, ..Default::default() };
        job.duration_secs = 3_600;
        job
    }

    /// 0.15 USDC a core-hour and 0.06 a GB-hour: 360,000 base units an hour for 2 cores and 1 GB.
    fn usdc_quote() -> Quotes {
        let mut quotes = Quotes::default();
        quotes.add(USDC, Rates { per_core: 150_000, per_gb_ram: 60_000, ..Default::default() });
        quotes
    }

    #[test]
    fn a_bonded_job_needs_that_much_of_our_bond_free_in_its_currency() {
        let mut bonded = job(Pubkey::default(), 10_000_000);
        bonded.min_bond = 500;
        let mut ours = Bond::zeroed();
        (ours.provider, ours.held, ours.locked, ours.pending) = (ME, 1_000, 300, 200);
        let mut theirs = ours;
        theirs.provider = Pubkey::new_from_array([9; 32]);
        theirs.held = 1_000_000;
        let mut bonds = Bonds::of(&ME, &[theirs, ours]);
        let any_price = AcceptPolicy { min_price_per_hour: 0, ..policy() };
        assert_eq!(bonds.free(&Pubkey::default()), 500, "held, less locked and pending; only ours");
        assert_eq!(any_price.price(&bonded, &provider(), &Quotes::default(), &bonds), Ok(2_010_000));
        bonds.lock(&Pubkey::default(), 1);
        assert_eq!(any_price.refusal(&bonded, &provider(), &Quotes::default(), &bonds), Some("it requires more bond than we have free".into()));
        assert_eq!(any_price.refusal(&bonded, &provider(), &Quotes::default(), &Bonds::default()), Some("it requires more bond than we have free".into()));
        // A bond in another currency does not count.
        let mut usdc_bonded = job(USDC, 1_500_000);
        usdc_bonded.min_bond = 1;
        assert_eq!(policy().refusal(&usdc_bonded, &provider(), &usdc_quote(), &bonds), Some("it requires more bond than we have free".into()));
    }

    #[test]
    fn a_token_job_is_accepted_at_our_quote_in_its_mint() {
        assert_eq!(policy().price(&job(USDC, 1_500_000), &provider(), &usdc_quote(), &Bonds::default()), Ok(360_000), "the quote, not the lamport rates");
        // Quotes read from the node: only ours count.
        let quote = |provider: Pubkey, per_core: u64, per_gb_ram: u64| MintQuote {
            provider,
            mint: USDC,
            rates: Rates { per_core, per_gb_ram, ..Default::default() },
            bump: 0,
        };
        assert_eq!(Quotes::of(&ME, &[quote(Pubkey::new_from_array([9; 32]), 1, 1), quote(ME, 150_000, 60_000)]), usdc_quote());
    }

    #[test]
    fn a_token_job_in_a_mint_we_do_not_quote_is_refused_by_name() {
        let quotes = usdc_quote();
        let other = Pubkey::new_from_array([7; 32]);
        assert_eq!(policy().refusal(&job(other, u64::MAX), &provider(), &quotes, &Bonds::default()), Some(format!("we quote no price in {other}")));
        assert_eq!(policy().refusal(&job(USDC, u64::MAX), &provider(), &Quotes::default(), &Bonds::default()), Some(format!("we quote no price in {USDC}")));
        // A quote that leaves the job's RAM unpriced: the program would refuse it.
        let mut partial = Quotes::default();
        partial.add(USDC, Rates { per_core: 150_000, ..Default::default() });
        assert_eq!(
            policy().refusal(&job(USDC, u64::MAX), &provider(), &partial, &Bonds::default()),
            Some(format!("our quote in {USDC} does not price every resource it asks for"))
        );
    }

    #[test]
    fn a_quote_above_the_jobs_maximum_is_refused() {
        let quotes = usdc_quote();
        assert_eq!(policy().refusal(&job(USDC, 359_999), &provider(), &quotes, &Bonds::default()), Some("our price is above its maximum".into()));
        assert_eq!(policy().price(&job(USDC, 360_000), &provider(), &quotes, &Bonds::default()), Ok(360_000));
    }

    #[test]
    fn the_lamport_minimum_applies_to_lamport_jobs_only_and_a_token_minimum_to_its_mint() {
        // 360,000 is below the 3,000,000 lamport minimum, but that minimum is in lamports.
        let quotes = usdc_quote();
        assert_eq!(policy().price(&job(USDC, 1_500_000), &provider(), &quotes, &Bonds::default()), Ok(360_000));
        // The same job paid in lamports: 2,010,000 lamports an hour is below it.
        assert_eq!(policy().refusal(&job(Pubkey::default(), 10_000_000), &provider(), &quotes, &Bonds::default()), Some("below our minimum price".into()));
        let cheap = AcceptPolicy { min_price_per_hour: 2_010_000, ..policy() };
        assert_eq!(cheap.price(&job(Pubkey::default(), 10_000_000), &provider(), &quotes, &Bonds::default()), Ok(2_010_000));
        // A minimum in USDC holds USDC jobs to it, and no other token's.
        let mut in_usdc = policy();
        in_usdc.min_token_prices.insert(USDC, 360_001);
        assert_eq!(in_usdc.refusal(&job(USDC, 1_500_000), &provider(), &quotes, &Bonds::default()), Some("below our minimum price".into()));
        in_usdc.min_token_prices.insert(USDC, 360_000);
        assert_eq!(in_usdc.price(&job(USDC, 1_500_000), &provider(), &quotes, &Bonds::default()), Ok(360_000));
        let mut elsewhere = policy();
        elsewhere.min_token_prices.insert(Pubkey::new_from_array([7; 32]), u64::MAX);
        assert_eq!(elsewhere.price(&job(USDC, 1_500_000), &provider(), &quotes, &Bonds::default()), Ok(360_000));
    }

    #[test]
    fn token_jobs_are_held_to_the_rest_of_the_policy_too() {
        let quotes = usdc_quote();
        let mut long = job(USDC, 1_500_000);
        long.duration_secs = 3_601;
        assert_eq!(policy().refusal(&long, &provider(), &quotes, &Bonds::default()), Some("longer than our maximum duration".into()));
        let mut own = job(USDC, 1_500_000);
        own.client = ME;
        assert_eq!(policy().refusal(&own, &provider(), &quotes, &Bonds::default()), Some("it is our own job".into()));
        let mut busy = provider();
        busy.free = Resources { cpu_cores: 1, ram_gb: 32, storage_gb: 100, gpus: 0 };
        assert_eq!(policy().refusal(&job(USDC, 1_500_000), &busy, &quotes, &Bonds::default()), Some("not enough free capacity".into()));
    }
}
