//! Compute resources (offered, free or required) and per-unit hourly rates.

use anchor_lang::prelude::*;
use bytemuck::{Pod, Zeroable};

use crate::constants::{MAX_CPU_CORES, MAX_GPUS, MAX_RAM_GB, MAX_RATE_PER_UNIT_HOUR, MAX_STORAGE_GB};

/// An amount of compute: what a provider offers, has free, or a job requires. `repr(C)` without padding
/// (12 bytes): stored as is in the zero-copy accounts, and Borsh-encoded to the same bytes in
/// instructions and events.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace, Pod, Zeroable)]
#[repr(C)]
pub struct Resources {
    /// RAM in GB.
    pub ram_gb: u32,
    /// Storage in GB.
    pub storage_gb: u32,
    /// CPU cores.
    pub cpu_cores: u16,
    /// GPUs.
    pub gpus: u16,
}

impl Resources {
    /// At least one resource, none above the market's ceilings.
    pub fn is_valid_amount(&self) -> bool {
        let any = self.cpu_cores > 0 || self.ram_gb > 0 || self.storage_gb > 0 || self.gpus > 0;
        any && self.cpu_cores <= MAX_CPU_CORES
            && self.ram_gb <= MAX_RAM_GB
            && self.storage_gb <= MAX_STORAGE_GB
            && self.gpus <= MAX_GPUS
    }

    /// True when every component of `self` is at most the same component of `other`.
    #[inline]
    pub fn fits_in(&self, other: &Resources) -> bool {
        self.cpu_cores <= other.cpu_cores
            && self.ram_gb <= other.ram_gb
            && self.storage_gb <= other.storage_gb
            && self.gpus <= other.gpus
    }

    pub fn checked_sub(&self, other: &Resources) -> Option<Resources> {
        Some(Resources {
            cpu_cores: self.cpu_cores.checked_sub(other.cpu_cores)?,
            ram_gb: self.ram_gb.checked_sub(other.ram_gb)?,
            storage_gb: self.storage_gb.checked_sub(other.storage_gb)?,
            gpus: self.gpus.checked_sub(other.gpus)?,
        })
    }

    pub fn checked_add(&self, other: &Resources) -> Option<Resources> {
        Some(Resources {
            cpu_cores: self.cpu_cores.checked_add(other.cpu_cores)?,
            ram_gb: self.ram_gb.checked_add(other.ram_gb)?,
            storage_gb: self.storage_gb.checked_add(other.storage_gb)?,
            gpus: self.gpus.checked_add(other.gpus)?,
        })
    }
}

/// A provider's hourly rates, in lamports per unit per hour.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace, Pod, Zeroable)]
#[repr(C)]
pub struct Rates {
    pub per_core: u64,
    pub per_gb_ram: u64,
    pub per_gb_storage: u64,
    pub per_gpu: u64,
}

impl Rates {
    /// Every resource the provider offers has a rate above zero; no rate exceeds the ceiling.
    pub fn is_valid_for(&self, capacity: &Resources) -> bool {
        let priced = |units: u64, rate: u64| (units == 0 || rate > 0) && rate <= MAX_RATE_PER_UNIT_HOUR;
        priced(capacity.cpu_cores.into(), self.per_core)
            && priced(capacity.ram_gb.into(), self.per_gb_ram)
            && priced(capacity.storage_gb.into(), self.per_gb_storage)
            && priced(capacity.gpus.into(), self.per_gpu)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(cpu_cores: u16, ram_gb: u32, storage_gb: u32, gpus: u16) -> Resources {
        Resources { cpu_cores, ram_gb, storage_gb, gpus }
    }

    #[test]
    fn zero_and_oversized_amounts_are_invalid() {
        assert!(!Resources::default().is_valid_amount());
        assert!(res(1, 0, 0, 0).is_valid_amount());
        assert!(res(0, 0, 1, 0).is_valid_amount());
        assert!(!res(MAX_CPU_CORES + 1, 1, 1, 0).is_valid_amount());
        assert!(!res(1, MAX_RAM_GB + 1, 1, 0).is_valid_amount());
        assert!(!res(1, 1, MAX_STORAGE_GB + 1, 0).is_valid_amount());
        assert!(!res(1, 1, 1, MAX_GPUS + 1).is_valid_amount());
    }

    #[test]
    fn fits_and_arithmetic_are_componentwise() {
        let free = res(8, 32, 100, 1);
        assert!(res(8, 32, 100, 1).fits_in(&free));
        assert!(!res(8, 33, 100, 1).fits_in(&free));
        assert!(!res(1, 1, 1, 2).fits_in(&free));
        assert_eq!(free.checked_sub(&res(2, 8, 50, 1)), Some(res(6, 24, 50, 0)));
        assert_eq!(free.checked_sub(&res(9, 0, 0, 0)), None);
        assert_eq!(res(6, 24, 50, 0).checked_add(&res(2, 8, 50, 1)), Some(free));
        assert_eq!(res(u16::MAX, 0, 0, 0).checked_add(&res(1, 0, 0, 0)), None);
    }

    #[test]
    fn offered_resources_need_rates() {
        let cap = res(4, 16, 0, 0);
        let rates = Rates { per_core: 10, per_gb_ram: 1, per_gb_storage: 0, per_gpu: 0 };
        assert!(rates.is_valid_for(&cap));
        assert!(!Rates { per_gb_ram: 0, ..rates }.is_valid_for(&cap));
        assert!(!Rates { per_gpu: MAX_RATE_PER_UNIT_HOUR + 1, ..rates }.is_valid_for(&cap));
    }
}
