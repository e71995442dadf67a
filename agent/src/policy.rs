//! Which open jobs the agent accepts by itself, when it is given a policy.

use compute_market::math::pricing::hourly_price;
use compute_market::state::{Job, Provider, Resources};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptPolicy {
    /// The lowest price per hour worth taking, in lamports.
    pub min_price_per_hour: u64,
    /// The longest job to take, in seconds.
    pub max_duration_secs: u32,
    /// The most capacity to commit to jobs at once (what jobs in flight hold counts against it).
    pub max_commit: Resources,
}

impl AcceptPolicy {
    /// Why `provider` should not accept `job`, or none if it should.
    pub fn refusal(&self, job: &Job, provider: &Provider) -> Option<String> {
        if job.is_token_job() {
            return Some("paid in tokens".into());
        }
        if job.client == provider.authority {
            return Some("it is our own job".into());
        }
        if job.target_provider().is_some_and(|target| target != provider.authority) {
            return Some("reserved for another provider".into());
        }
        let price = hourly_price(&provider.rates, &job.requirements)?;
        if price > job.max_price_per_hour {
            return Some("our price is above its maximum".into());
        }
        if price < self.min_price_per_hour {
            return Some("below our minimum price".into());
        }
        if job.duration_secs > self.max_duration_secs {
            return Some("longer than our maximum duration".into());
        }
        if provider.reputation < job.min_reputation {
            return Some("our reputation is below its minimum".into());
        }
        if !job.requirements.fits_in(&provider.free) {
            return Some("not enough free capacity".into());
        }
        let committed = provider.in_use().ok()?.checked_add(&job.requirements)?;
        if !committed.fits_in(&self.max_commit) {
            return Some("beyond the capacity we commit".into());
        }
        None
    }
}
