//! The quick bounds of `scan` and `summary` sixteen slots at a time in 512-bit vectors, where the
//! processor has them (`wide()`): the very operations of the portable loops, in the same order, so the
//! same bounds to the bit (the tests of both compare them). Which slots reach the bar comes out of the
//! comparison as a mask register, rather than from bounds stored and read back (a read the processor
//! cannot serve from the store just made, which stalled the loops).

#![cfg(target_arch = "x86_64")]

use std::arch::x86_64::*;

use crate::index::scan::{Terms, FITS, NONE};

/// Slots a vector holds.
pub(crate) const LANES: usize = 16;

/// The processor has 512-bit vectors (checked once, then cached by the standard library).
#[inline]
pub(crate) fn wide() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
}

/// Sixteen consecutive columns' values from `at`.
#[inline]
#[target_feature(enable = "avx512f")]
fn load(values: &[f32], at: usize) -> __m512 {
    let slots: &[f32; LANES] = values[at..at + LANES].try_into().expect("sixteen slots");
    // SAFETY: `slots` holds sixteen values; the load needs no alignment.
    unsafe { _mm512_loadu_ps(slots.as_ptr()) }
}

/// The job's terms, each in every lane.
struct Splat {
    asked: [__m512; 4],
    counted: [__m512; 4],
    whole_price: __m512,
    per_price: __m512,
    per_fit: __m512,
    min_reputation: __m512,
    min_bond: __m512,
    max_price: __m512,
}

#[inline]
#[target_feature(enable = "avx512f")]
fn splat(terms: &Terms) -> Splat {
    Splat {
        asked: [_mm512_set1_ps(terms.asked[0]), _mm512_set1_ps(terms.asked[1]), _mm512_set1_ps(terms.asked[2]), _mm512_set1_ps(terms.asked[3])],
        counted: [_mm512_set1_ps(terms.counted[0]), _mm512_set1_ps(terms.counted[1]), _mm512_set1_ps(terms.counted[2]), _mm512_set1_ps(terms.counted[3])],
        whole_price: _mm512_set1_ps(terms.whole_price),
        per_price: _mm512_set1_ps(terms.per_price),
        per_fit: _mm512_set1_ps(terms.per_fit),
        min_reputation: _mm512_set1_ps(terms.min_reputation),
        min_bond: _mm512_set1_ps(terms.min_bond),
        max_price: _mm512_set1_ps(terms.max_price),
    }
}

/// `asked x rates`, summed in the portable order; the GPUs' term is 0 without `GPUS`.
#[inline]
#[target_feature(enable = "avx512f")]
fn price<const GPUS: bool>(s: &Splat, rates: [__m512; 4]) -> __m512 {
    let gpus = if GPUS { _mm512_mul_ps(s.asked[3], rates[3]) } else { _mm512_setzero_ps() };
    let sum = _mm512_add_ps(_mm512_mul_ps(s.asked[0], rates[0]), _mm512_mul_ps(s.asked[1], rates[1]));
    _mm512_add_ps(_mm512_add_ps(sum, _mm512_mul_ps(s.asked[2], rates[2])), gpus)
}

/// `asked x (1 / free)` of each resource: how much of it the job takes; 0 of the GPUs without `GPUS`.
#[inline]
#[target_feature(enable = "avx512f")]
fn taken<const GPUS: bool>(s: &Splat, inverse: [__m512; 4]) -> [__m512; 4] {
    let gpus = if GPUS { _mm512_mul_ps(s.asked[3], inverse[3]) } else { _mm512_setzero_ps() };
    [_mm512_mul_ps(s.asked[0], inverse[0]), _mm512_mul_ps(s.asked[1], inverse[1]), _mm512_mul_ps(s.asked[2], inverse[2]), gpus]
}

/// The fit from each resource's `asked x (1 / free)`, each share at most 1 and counted if asked for.
#[inline]
#[target_feature(enable = "avx512f")]
fn fit<const GPUS: bool>(s: &Splat, taken: [__m512; 4]) -> __m512 {
    let one = _mm512_set1_ps(1.0);
    let [a, b, c, d] = taken;
    let gpus = if GPUS { _mm512_mul_ps(_mm512_min_ps(d, one), s.counted[3]) } else { _mm512_setzero_ps() };
    let sum = _mm512_add_ps(_mm512_mul_ps(_mm512_min_ps(a, one), s.counted[0]), _mm512_mul_ps(_mm512_min_ps(b, one), s.counted[1]));
    _mm512_add_ps(_mm512_add_ps(sum, _mm512_mul_ps(_mm512_min_ps(c, one), s.counted[2])), gpus)
}

/// The slots the tests do not turn away: the job takes at most `FITS` of each resource's free amount
/// (`taken`), and the reputation, the bond and the price are within the job's bounds.
#[inline]
#[target_feature(enable = "avx512f")]
fn able(s: &Splat, taken: [__m512; 4], reputation: __m512, bond: __m512, price: __m512) -> __mmask16 {
    let fits = _mm512_set1_ps(FITS);
    let mut room = 0xffff;
    for t in taken {
        room &= _mm512_cmp_ps_mask::<_CMP_LE_OQ>(t, fits);
    }
    room & _mm512_cmp_ps_mask::<_CMP_GE_OQ>(reputation, s.min_reputation) & _mm512_cmp_ps_mask::<_CMP_GE_OQ>(bond, s.min_bond) & _mm512_cmp_ps_mask::<_CMP_LE_OQ>(price, s.max_price)
}

/// `bound / 100` where `able`, else `NONE`, into `out`; the slots at least `least`, as bits.
#[inline]
#[target_feature(enable = "avx512f")]
fn finish(bound: __m512, able: __mmask16, least: f32, out: &mut [f32]) -> u32 {
    let scaled = _mm512_mask_blend_ps(able, _mm512_set1_ps(NONE), _mm512_mul_ps(bound, _mm512_set1_ps(0.01)));
    let out: &mut [f32; LANES] = out.try_into().expect("sixteen slots");
    // SAFETY: `out` holds sixteen values; the store needs no alignment.
    unsafe { _mm512_storeu_ps(out.as_mut_ptr(), scaled) };
    u32::from(_mm512_cmp_ps_mask::<_CMP_GE_OQ>(scaled, _mm512_set1_ps(least)))
}

/// `scan::Columns::bounds_here` of sixteen members whose columns start at `values[0]` and are `stride`
/// apart (in the order `scan` lays them out: `1 / free`, rates, standing, reputation, bond).
#[inline]
#[target_feature(enable = "avx512f")]
pub(crate) fn members<const GPUS: bool>(terms: &Terms, values: &[f32], stride: usize, least: f32, out: &mut [f32]) -> u32 {
    let s = splat(terms);
    macro_rules! col {
        ($k:expr) => {
            load(values, $k * stride)
        };
    }
    let price = price::<GPUS>(&s, [col!(4), col!(5), col!(6), col!(7)]);
    let taken = taken::<GPUS>(&s, [col!(0), col!(1), col!(2), col!(3)]);
    let (standing, reputation, bond) = (col!(8), col!(9), col!(10));
    let bond_part = _mm512_min_ps(_mm512_mul_ps(_mm512_set1_ps(terms.per_bond), bond), _mm512_set1_ps(150_000.0));
    let bound = _mm512_sub_ps(s.whole_price, _mm512_mul_ps(s.per_price, price));
    let bound = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(bound, standing), _mm512_mul_ps(s.per_fit, fit::<GPUS>(&s, taken))), bond_part);
    finish(bound, able(&s, taken, reputation, bond, price), least, out)
}

/// `summary::Summaries::bounds_here` of sixteen rows whose columns start at `values[0]` and are
/// `stride` apart (in the order `summary` lays them out: `1 / least free`, `1 / most free`, rates,
/// then, at `backing`, `reputation` and `bond`, the job's backing class, reputation and bond).
#[inline]
#[target_feature(enable = "avx512f")]
pub(crate) fn rows<const GPUS: bool>(terms: &Terms, values: &[f32], stride: usize, [backing, reputation, bond]: [usize; 3], least: f32, out: &mut [f32]) -> u32 {
    let s = splat(terms);
    macro_rules! col {
        ($k:expr) => {
            load(values, $k * stride)
        };
    }
    let price = price::<GPUS>(&s, [col!(8), col!(9), col!(10), col!(11)]);
    let least_free = taken::<GPUS>(&s, [col!(0), col!(1), col!(2), col!(3)]);
    let bound = _mm512_add_ps(_mm512_sub_ps(s.whole_price, _mm512_mul_ps(s.per_price, price)), load(values, backing));
    let bound = _mm512_add_ps(bound, _mm512_mul_ps(s.per_fit, fit::<GPUS>(&s, least_free)));
    let most = taken::<GPUS>(&s, [col!(4), col!(5), col!(6), col!(7)]);
    finish(bound, able(&s, most, load(values, reputation), load(values, bond), price), least, out)
}
