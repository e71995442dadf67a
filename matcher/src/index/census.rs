//! What the explanations count of a job over every provider priced one way, in one sweep of columns
//! for several jobs at once: how many providers in matching fit within its price, and the cheapest
//! price among those that may take it (`Tally`). A tree does not prune these well (a query has six
//! dimensions: four resources, reputation and price), so the sweep visits every member, sixteen at a
//! time, with the tests worked out side by side for the compiler to keep in vectors; a segment of
//! members is read once for all the jobs, while it is in the core's cache.
//!
//! # Exactness
//!
//! Capacity, reputation, taking matcher jobs and quoting validly are compared exactly (as integers
//! and bits). The price is summed in single precision, within a relative 2^-21 of the exact one (as
//! in `scan`): a price clearly below the maximum is within it, one clearly above is not, and the few
//! in between are priced exactly. The cheapest is the least exact price among the members whose
//! single-precision price is within that margin of the least: the one with the least exact price is
//! among them. When all of those are the client's own (which may not take the job), the sweep cannot
//! say which comes next and says so (`Tally::cheapest` is `Unknown`).

use compute_market::constants::MAX_RATE_PER_UNIT_HOUR;
use compute_market::state::Rates;

use crate::index::best::price_bound;
use crate::index::tree::Member;
use crate::plan::{Candidate, OpenJob};

/// Members a chunk holds side by side.
const LANES: usize = 16;

/// Chunks read for every job of a sweep before the next (36 kB, within a core's first-level cache).
const SEGMENT: usize = 64;

/// Jobs swept together at most.
pub(crate) const JOBS: usize = 8;

/// A member's marks: its reputation in the low 16 bits, then these.
const TAKES_MATCHER_JOBS: u32 = 1 << 16;
/// Its quote prices each resource (cores, RAM, storage, GPUs): the rate is not 0.
const PRICED: u32 = 17;
/// No rate of its quote is above `MAX_RATE_PER_UNIT_HOUR`.
const WITHIN_CEILING: u32 = 1 << 21;
/// A member, not an empty slot.
const PRESENT: u32 = 1 << 22;

/// Relative margin of the single-precision price (within 2^-21 of the exact one), with room to spare.
const MARGIN: f64 = 1e-5;

/// Sixteen members' columns.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Chunk {
    /// Cores, RAM, storage and GPUs offered (capacity, not what is free).
    capacity: [[u32; LANES]; 4],
    marks: [u32; LANES],
    rates: [[f32; LANES]; 4],
}

const EMPTY: Chunk = Chunk { capacity: [[0; LANES]; 4], marks: [0; LANES], rates: [[0.0; LANES]; 4] };

/// The members of a tree as the round began, as columns, in the members' order.
pub(crate) struct Census {
    chunks: Vec<Chunk>,
    /// Each slot's exact rates and provider (its index in the round's order).
    members: Vec<(Rates, u32)>,
    /// The rates are quotes, which must be valid for the job.
    quoted: bool,
}

/// What a sweep found of one job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Providers that take matcher jobs, offer the resources, quote validly (in a tree of quotes), have
    /// the reputation and fit within the price.
    pub within_price: usize,
    pub cheapest: Cheapest,
}

/// The least price (`u64::MAX` where it overflows) among the members that offer the resources, quote
/// validly and have the reputation, other than the client's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cheapest {
    Price(u64),
    /// No member but the client's own passes those tests.
    None,
    /// The cheapest are the client's own: the next is left to a search.
    Unknown,
}

/// A job's tests, as the columns hold them.
struct Query {
    asked: [u32; 4],
    units: [f32; 4],
    min_reputation: u32,
    /// The marks a member must have to offer the job at all, and to count within its price.
    required: u32,
    counted: u32,
    /// Prices at most `within` surely are within the maximum; above `beyond` surely are not.
    within: f32,
    beyond: f32,
}

impl Query {
    fn of(job: &OpenJob, quoted: bool) -> Query {
        let r = &job.requirements;
        let asked = [u32::from(r.cpu_cores), r.ram_gb, r.storage_gb, u32::from(r.gpus)];
        let priced = asked.iter().enumerate().fold(0, |bits, (k, units)| bits | (u32::from(*units > 0) << (PRICED + k as u32)));
        let required = PRESENT | if quoted { WITHIN_CEILING | priced } else { 0 };
        let max = job.max_price_per_hour as f64;
        // A price that overflows counts as `u64::MAX` (`best::price_bound`): within that maximum.
        let (within, beyond) = match job.max_price_per_hour {
            u64::MAX => (f32::INFINITY, f32::INFINITY),
            _ => ((max * (1.0 - MARGIN)) as f32, (max * (1.0 + MARGIN)) as f32),
        };
        Query {
            asked,
            units: asked.map(|units| units as f32),
            min_reputation: u32::from(job.min_reputation),
            required,
            counted: required | TAKES_MATCHER_JOBS,
            within,
            beyond,
        }
    }
}

impl Census {
    /// The columns of `members` (a tree's, in its order; `quoted`: their rates are quotes).
    pub fn of(members: &[Member], quoted: bool) -> Census {
        let mut chunks = vec![EMPTY; members.len().div_ceil(LANES)];
        for (slot, m) in members.iter().enumerate() {
            let (chunk, lane) = (&mut chunks[slot / LANES], slot % LANES);
            let capacity = [u32::from(m.capacity.cpu_cores), m.capacity.ram_gb, m.capacity.storage_gb, u32::from(m.capacity.gpus)];
            let rates = [m.rates.per_core, m.rates.per_gb_ram, m.rates.per_gb_storage, m.rates.per_gpu];
            let mut marks = PRESENT | u32::from(m.reputation);
            marks |= if m.takes_matcher_jobs { TAKES_MATCHER_JOBS } else { 0 };
            marks |= if rates.iter().all(|rate| *rate <= MAX_RATE_PER_UNIT_HOUR) { WITHIN_CEILING } else { 0 };
            for k in 0..4 {
                chunk.capacity[k][lane] = capacity[k];
                chunk.rates[k][lane] = rates[k] as f32;
                marks |= u32::from(rates[k] > 0) << (PRICED + k as u32);
            }
            chunk.marks[lane] = marks;
        }
        Census { chunks, members: members.iter().map(|m| (m.rates, m.index)).collect(), quoted }
    }

    /// The tallies of `jobs` (at most `JOBS`, none with a reserved provider or GPU needs), their
    /// clients' own told from `providers` (the round's); none if `stop` says so between segments.
    pub fn tally(&self, jobs: &[&OpenJob], providers: &[Candidate], stop: impl Fn() -> bool) -> Option<Vec<Tally>> {
        assert!(jobs.len() <= JOBS);
        let queries: Vec<Query> = jobs.iter().map(|job| Query::of(job, self.quoted)).collect();
        let segments = self.chunks.len().div_ceil(SEGMENT);
        let mut within = vec![[0u32; LANES]; jobs.len()];
        let mut exactly_within = vec![0usize; jobs.len()];
        // The least single-precision price of a member offering the job, by job and segment.
        let mut least = vec![vec![f32::INFINITY; segments]; jobs.len()];
        for (segment, chunks) in self.chunks.chunks(SEGMENT).enumerate() {
            if stop() {
                return None;
            }
            for (j, (job, query)) in jobs.iter().zip(&queries).enumerate() {
                let mut lanes = [f32::INFINITY; LANES];
                sweep(chunks, query, &mut lanes, &mut within[j], |c, mut unsure| {
                    while unsure != 0 {
                        let lane = unsure.trailing_zeros() as usize;
                        unsure &= unsure - 1;
                        let (rates, _) = &self.members[(segment * SEGMENT + c) * LANES + lane];
                        exactly_within[j] += usize::from(price_bound(rates, &job.requirements) <= job.max_price_per_hour);
                    }
                });
                least[j][segment] = lanes.into_iter().fold(f32::INFINITY, f32::min);
            }
        }
        let tallies = jobs.iter().zip(&queries).enumerate().map(|(j, (job, query))| {
            let within_price = within[j].iter().map(|n| *n as usize).sum::<usize>() + exactly_within[j];
            Tally { within_price, cheapest: self.cheapest(job, query, &least[j], providers) }
        });
        Some(tallies.collect())
    }

    /// The cheapest for `job` among the segments whose least single-precision price (`least`) is
    /// within the margin of the least of all.
    fn cheapest(&self, job: &OpenJob, query: &Query, least: &[f32], providers: &[Candidate]) -> Cheapest {
        let lowest = least.iter().copied().fold(f32::INFINITY, f32::min);
        if lowest == f32::INFINITY {
            return Cheapest::None;
        }
        let ceiling = (f64::from(lowest) * (1.0 + MARGIN)) as f32;
        let mut best: Option<u64> = None;
        for (segment, _) in least.iter().enumerate().filter(|(_, l)| **l <= ceiling) {
            let first = segment * SEGMENT;
            for (c, chunk) in self.chunks[first..(first + SEGMENT).min(self.chunks.len())].iter().enumerate() {
                let mut near = near(chunk, query, ceiling);
                while near != 0 {
                    let lane = near.trailing_zeros() as usize;
                    near &= near - 1;
                    let (rates, index) = &self.members[(first + c) * LANES + lane];
                    // One of the client's own this cheap may hide which comes next.
                    if providers[*index as usize].authority == job.client {
                        return Cheapest::Unknown;
                    }
                    let price = price_bound(rates, &job.requirements);
                    best = Some(best.map_or(price, |b| b.min(price)));
                }
            }
        }
        Cheapest::Price(best.expect("the least price is some member's"))
    }
}

/// `weigh` over `chunks`, each chunk's unsure members handed to `unsure` (chunk, bits). In the widest
/// vectors the processor has (the build targets every x86_64, whose vectors are 128 bits).
fn sweep(chunks: &[Chunk], query: &Query, least: &mut [f32; LANES], within: &mut [u32; LANES], unsure: impl FnMut(usize, u32)) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the processor has AVX-512, checked just above.
            return unsafe { sweep_avx512(chunks, query, least, within, unsure) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { sweep_avx2(chunks, query, least, within, unsure) };
        }
    }
    sweep_here(chunks, query, least, within, unsure)
}

/// `sweep_here` with the tests of a chunk in one 512-bit vector each, `least` and `within` kept in
/// registers: the same counts and least price.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn sweep_avx512(chunks: &[Chunk], query: &Query, least: &mut [f32; LANES], within: &mut [u32; LANES], mut unsure: impl FnMut(usize, u32)) {
    use std::arch::x86_64::*;
    let u32s = |v: u32| _mm512_set1_epi32(v as i32);
    let asked = [u32s(query.asked[0]), u32s(query.asked[1]), u32s(query.asked[2]), u32s(query.asked[3])];
    let units = [_mm512_set1_ps(query.units[0]), _mm512_set1_ps(query.units[1]), _mm512_set1_ps(query.units[2]), _mm512_set1_ps(query.units[3])];
    let (reputation, min_reputation, required, counted) = (u32s(0xffff), u32s(query.min_reputation), u32s(query.required), u32s(query.counted));
    let (below, beyond) = (_mm512_set1_ps(query.within), _mm512_set1_ps(query.beyond));
    // SAFETY (the loads and stores): each is of sixteen values in an array of sixteen.
    let (mut lowest, mut count) = unsafe { (_mm512_loadu_ps(least.as_ptr()), _mm512_loadu_si512(within.as_ptr().cast())) };
    for (c, chunk) in chunks.iter().enumerate() {
        let (capacity, marks, rates) = unsafe {
            let capacity = |k: usize| _mm512_loadu_si512(chunk.capacity[k].as_ptr().cast());
            let rates = |k: usize| _mm512_loadu_ps(chunk.rates[k].as_ptr());
            ([capacity(0), capacity(1), capacity(2), capacity(3)], _mm512_loadu_si512(chunk.marks.as_ptr().cast()), [rates(0), rates(1), rates(2), rates(3)])
        };
        let mut offers = _mm512_cmpge_epu32_mask(capacity[0], asked[0]);
        for k in 1..4 {
            offers &= _mm512_cmpge_epu32_mask(capacity[k], asked[k]);
        }
        offers &= _mm512_cmpge_epu32_mask(_mm512_and_si512(marks, reputation), min_reputation) & _mm512_cmpeq_epi32_mask(_mm512_and_si512(marks, required), required);
        let sum = _mm512_add_ps(_mm512_mul_ps(units[0], rates[0]), _mm512_mul_ps(units[1], rates[1]));
        let price = _mm512_add_ps(_mm512_add_ps(sum, _mm512_mul_ps(units[2], rates[2])), _mm512_mul_ps(units[3], rates[3]));
        lowest = _mm512_mask_mov_ps(lowest, offers & _mm512_cmp_ps_mask::<_CMP_LT_OQ>(price, lowest), price);
        let counts = offers & _mm512_cmpeq_epi32_mask(_mm512_and_si512(marks, counted), counted);
        count = _mm512_mask_add_epi32(count, counts & _mm512_cmp_ps_mask::<_CMP_LE_OQ>(price, below), count, u32s(1));
        let bits = counts & _mm512_cmp_ps_mask::<_CMP_GT_OQ>(price, below) & _mm512_cmp_ps_mask::<_CMP_LE_OQ>(price, beyond);
        if bits != 0 {
            unsure(c, u32::from(bits));
        }
    }
    unsafe {
        _mm512_storeu_ps(least.as_mut_ptr(), lowest);
        _mm512_storeu_si512(within.as_mut_ptr().cast(), count);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sweep_avx2(chunks: &[Chunk], query: &Query, least: &mut [f32; LANES], within: &mut [u32; LANES], unsure: impl FnMut(usize, u32)) {
    sweep_here(chunks, query, least, within, unsure)
}

#[inline(always)]
fn sweep_here(chunks: &[Chunk], query: &Query, least: &mut [f32; LANES], within: &mut [u32; LANES], mut unsure: impl FnMut(usize, u32)) {
    for (c, chunk) in chunks.iter().enumerate() {
        let bits = weigh(chunk, query, least, within);
        if bits != 0 {
            unsure(c, bits);
        }
    }
}

/// The member in `lane` offers the job: the resources, the reputation, a valid quote if quoted.
#[inline(always)]
fn offers(chunk: &Chunk, query: &Query, lane: usize) -> bool {
    let c = &chunk.capacity;
    let marks = chunk.marks[lane];
    (c[0][lane] >= query.asked[0]) & (c[1][lane] >= query.asked[1]) & (c[2][lane] >= query.asked[2]) & (c[3][lane] >= query.asked[3]) & ((marks & 0xffff) >= query.min_reputation) & (marks & query.required == query.required)
}

#[inline(always)]
fn price(chunk: &Chunk, query: &Query, lane: usize) -> f32 {
    let (r, u) = (&chunk.rates, &query.units);
    u[0] * r[0][lane] + u[1] * r[1][lane] + u[2] * r[2][lane] + u[3] * r[3][lane]
}

/// Counts into `within` the members of `chunk` that surely fit within the job's price, lowers `least`
/// to the price of those offering it; the members that may or may not fit within it, as bits.
#[inline(always)]
fn weigh(chunk: &Chunk, query: &Query, least: &mut [f32; LANES], within: &mut [u32; LANES]) -> u32 {
    let mut unsure = [0u32; LANES];
    for lane in 0..LANES {
        let offers = offers(chunk, query, lane);
        let price = price(chunk, query, lane);
        least[lane] = if offers & (price < least[lane]) { price } else { least[lane] };
        let counted = offers & (chunk.marks[lane] & query.counted == query.counted);
        within[lane] += u32::from(counted & (price <= query.within));
        unsure[lane] = u32::from(counted & (price > query.within) & (price <= query.beyond));
    }
    // Rare: then as bits.
    match unsure.iter().fold(0, |any, u| any | u) {
        0 => 0,
        _ => unsure.iter().enumerate().fold(0, |bits, (lane, u)| bits | (u << lane)),
    }
}

/// The members of `chunk` offering the job at a single-precision price at most `ceiling`, as bits.
#[inline(always)]
fn near(chunk: &Chunk, query: &Query, ceiling: f32) -> u32 {
    (0..LANES).fold(0, |bits, lane| bits | (u32::from(offers(chunk, query, lane) & (price(chunk, query, lane) <= ceiling)) << lane))
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use compute_market::constants::ASSIGN_BY_MATCHER;
    use compute_market::state::{GpuNeeds, Resources};

    use crate::index::scan::tests::Seeded;

    /// Values drawn so that prices often fall on, or a unit either side of, a job's maximum, with a few
    /// extremes (overflowing prices, rates above the ceiling, zero rates and capacities).
    fn members(rng: &mut Seeded, n: usize) -> (Vec<Member>, Vec<Candidate>) {
        let amounts = [0, 1, 2, 3, 65_535, u32::MAX as u64];
        let rates = [0, 999, 1_000, 1_001, 2_000, 999, 1_000, 1_001, MAX_RATE_PER_UNIT_HOUR, MAX_RATE_PER_UNIT_HOUR + 1, u64::MAX];
        let providers: Vec<Candidate> = (0..n)
            .map(|i| {
                let capacity = Resources {
                    cpu_cores: rng.pick(&amounts[..5]) as u16,
                    ram_gb: rng.pick(&amounts) as u32,
                    storage_gb: rng.pick(&amounts) as u32,
                    gpus: rng.pick(&amounts[..5]) as u16,
                };
                Candidate {
                    // Eight authorities: a job's client owns several providers.
                    authority: Pubkey::new_from_array([(i % 8) as u8; 32]),
                    rates: Rates { per_core: rng.pick(&rates), per_gb_ram: rng.pick(&rates), per_gb_storage: rng.pick(&rates[..8]), per_gpu: rng.pick(&rates) },
                    capacity,
                    free: capacity,
                    reputation: rng.pick(&[0, 1, 5_000, 10_000, u16::MAX as u64]) as u16,
                    active_jobs: 0,
                    assignment: if rng.below(4) == 0 { 0 } else { ASSIGN_BY_MATCHER },
                    gpu_model: 0,
                    vram_gb: 0,
                    bond: 0,
                }
            })
            .collect();
        let members = providers
            .iter()
            .enumerate()
            .map(|(i, p)| Member { index: i as u32, active_jobs: 0, free: p.free, capacity: p.capacity, rates: p.rates, reputation: p.reputation, takes_matcher_jobs: p.takes_matcher_jobs(), bond: 0, live: true })
            .collect();
        (members, providers)
    }

    fn job(rng: &mut Seeded) -> OpenJob {
        // Half the resources not asked for, so that many prices are a rate or two, near the maximum.
        let asked = [0, 0, 0, 1, 2, 3];
        OpenJob {
            address: Pubkey::default(),
            client: Pubkey::new_from_array([rng.below(10) as u8; 32]),
            requirements: Resources { cpu_cores: rng.pick(&asked) as u16, ram_gb: rng.pick(&asked) as u32, storage_gb: rng.pick(&asked) as u32, gpus: rng.pick(&asked) as u16 },
            max_price_per_hour: rng.pick(&[0, 999, 1_000, 1_001, 2_000, 2_999, 3_000, 3_001, 6_000, u64::MAX / 2, u64::MAX]),
            min_reputation: rng.pick(&[0, 1, 5_000, 10_000]) as u16,
            target: None,
            payment_mint: None,
            gpu: GpuNeeds::default(),
            released_by: vec![],
            min_bond: 0,
        }
    }

    /// Offers the job as the tree's search for the cheapest tests it (`explain::cheapest`).
    fn offers_exactly(m: &Member, job: &OpenJob, quoted: bool) -> bool {
        job.requirements.fits_in(&m.capacity) && m.reputation >= job.min_reputation && (!quoted || m.rates.is_valid_for(&job.requirements))
    }

    #[test]
    fn a_sweep_counts_and_prices_as_the_members_one_by_one() {
        let mut rng = Seeded(31);
        let (members, providers) = members(&mut rng, 3_000);
        let (mut unsure, mut unknown, mut cheapest, mut counted) = (0, 0, 0, 0);
        for quoted in [false, true] {
            let census = Census::of(&members, quoted);
            for _ in 0..150 {
                let jobs: Vec<OpenJob> = (0..1 + rng.below(JOBS as u64) as usize).map(|_| job(&mut rng)).collect();
                let asked: Vec<&OpenJob> = jobs.iter().collect();
                let tallies = census.tally(&asked, &providers, || false).expect("never stopped");
                for (job, tally) in jobs.iter().zip(tallies) {
                    let within = |m: &&Member| m.takes_matcher_jobs && offers_exactly(m, job, quoted) && price_bound(&m.rates, &job.requirements) <= job.max_price_per_hour;
                    assert_eq!(tally.within_price, members.iter().filter(within).count(), "{job:?}");
                    counted += tally.within_price;
                    let offering = members.iter().filter(|m| offers_exactly(m, job, quoted));
                    let (own, others): (Vec<&Member>, Vec<&Member>) = offering.partition(|m| providers[m.index as usize].authority == job.client);
                    let least = others.iter().map(|m| price_bound(&m.rates, &job.requirements)).min();
                    match tally.cheapest {
                        Cheapest::Unknown => {
                            // Only when one of the client's own may be among the cheapest.
                            let own_least = own.iter().map(|m| price_bound(&m.rates, &job.requirements)).min().expect("one of the client's own offers it");
                            assert!(least.is_none_or(|least| own_least as f64 <= least as f64 * (1.0 + 1e-4)), "{job:?}");
                            unknown += 1;
                        }
                        Cheapest::None => assert!(own.is_empty() && least.is_none(), "{job:?}"),
                        Cheapest::Price(price) => {
                            assert_eq!(Some(price), least, "{job:?}");
                            cheapest += 1;
                        }
                    }
                    // Prices on either side of the maximum, within the margin: weighed exactly.
                    let query = Query::of(job, quoted);
                    unsure += census.chunks.iter().map(|chunk| weigh(chunk, &query, &mut [f32::INFINITY; LANES], &mut [0; LANES]).count_ones()).sum::<u32>();
                }
            }
        }
        assert!(unsure > 100 && unknown > 10 && cheapest > 100 && counted > 1_000, "unsure {unsure}, unknown {unknown}, cheapest {cheapest}, counted {counted}");
    }

    #[test]
    fn every_vector_width_sweeps_as_the_portable_loop() {
        let mut rng = Seeded(37);
        let (members, _) = members(&mut rng, 1_000);
        for quoted in [false, true] {
            let census = Census::of(&members, quoted);
            for _ in 0..200 {
                let query = Query::of(&job(&mut rng), quoted);
                let (mut least, mut within, mut unsure) = ([f32::INFINITY; LANES], [0; LANES], Vec::new());
                sweep(&census.chunks, &query, &mut least, &mut within, |c, bits| unsure.push((c, bits)));
                let (mut least_here, mut within_here, mut unsure_here) = ([f32::INFINITY; LANES], [0; LANES], Vec::new());
                sweep_here(&census.chunks, &query, &mut least_here, &mut within_here, |c, bits| unsure_here.push((c, bits)));
                assert_eq!(least.map(f32::to_bits), least_here.map(f32::to_bits));
                assert_eq!((within, &unsure), (within_here, &unsure_here));
                #[cfg(target_arch = "x86_64")]
                if std::arch::is_x86_feature_detected!("avx2") {
                    let (mut least, mut within, mut unsure) = ([f32::INFINITY; LANES], [0; LANES], Vec::new());
                    // SAFETY: the processor has AVX2, checked just above.
                    unsafe { sweep_avx2(&census.chunks, &query, &mut least, &mut within, |c, bits| unsure.push((c, bits))) };
                    assert_eq!(least.map(f32::to_bits), least_here.map(f32::to_bits));
                    assert_eq!((within, &unsure), (within_here, &unsure_here));
                }
            }
        }
    }

    #[test]
    fn a_sweep_stops_when_told() {
        let mut rng = Seeded(41);
        let (members, providers) = members(&mut rng, 5_000);
        let census = Census::of(&members, false);
        let job = job(&mut rng);
        let segments = std::cell::Cell::new(0);
        let stop = || {
            segments.set(segments.get() + 1);
            segments.get() > 2
        };
        assert_eq!(census.tally(&[&job], &providers, stop), None);
        assert_eq!(segments.get(), 3, "asked between segments, and no more once told");
        assert!(census.tally(&[&job], &providers, || false).is_some());
    }
}
