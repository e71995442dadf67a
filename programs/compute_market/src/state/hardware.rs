//! What a provider's machine is (GPU model, VRAM per GPU, CPU architecture) and what a job needs of
//! each GPU it asks for.
//!
//! A GPU model is a `u16`: its family in the high byte and the variant in the low one (`0x0202` is an
//! A100 80 GB, family `0x02`, A100). The names, VRAM and detection patterns of the models are a table
//! the clients share (`docs/GPU_MODELS.md`); the program checks only the structure of a declaration,
//! so a new model needs a new table row, never a program upgrade.

use anchor_lang::prelude::*;
use bytemuck::{Pod, Zeroable};

use crate::constants::{CPU_ARCH_AARCH64, MAX_VRAM_GB};
use crate::error::MarketError;
use crate::state::Resources;

/// A GPU model's family: the high byte of its id.
pub const fn gpu_family(model: u16) -> u16 {
    model >> 8
}

/// A provider's hardware, declared when it registers or updates its offer.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct Hardware {
    /// The model of every GPU offered; 0 when none is offered.
    pub gpu_model: u16,
    /// GB of memory on each GPU; 0 when none is offered.
    pub vram_gb: u16,
    /// CPU_ARCH_UNKNOWN, CPU_ARCH_X86_64 or CPU_ARCH_AARCH64.
    pub cpu_arch: u8,
}

impl Hardware {
    /// GPUs on offer must say what they are (a model of a family, and their memory); a machine that
    /// offers none declares none.
    pub fn validate_for(&self, capacity: &Resources) -> Result<()> {
        ensure!(self.cpu_arch <= CPU_ARCH_AARCH64, MarketError::InvalidHardware);
        if capacity.gpus == 0 {
            ensure!(self.gpu_model == 0 && self.vram_gb == 0, MarketError::InvalidHardware);
        } else {
            ensure!(gpu_family(self.gpu_model) != 0, MarketError::InvalidHardware);
            ensure!((1..=MAX_VRAM_GB).contains(&self.vram_gb), MarketError::InvalidHardware);
        }
        Ok(())
    }
}

/// What a job needs of each GPU. All zero: any GPU. `repr(C)` without padding (12 bytes), stored as is
/// on the Job.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace, Pod, Zeroable)]
#[repr(C)]
pub struct GpuNeeds {
    /// Acceptable models; unused entries are 0, and none listed accepts any model (of `family`, if set).
    pub models: [u16; 4],
    /// Least GB of memory on each GPU.
    pub min_vram_gb: u16,
    /// Only GPUs of this family (the high byte of a model id); 0 for any family.
    pub family: u16,
}

impl GpuNeeds {
    pub fn is_any(&self) -> bool {
        *self == GpuNeeds::default()
    }

    fn listed(&self) -> impl Iterator<Item = u16> + '_ {
        self.models.iter().copied().filter(|m| *m != 0)
    }

    /// Needs only for a job that asks for GPUs; listed models are models (of `family`, when one is set).
    pub fn validate_for(&self, requirements: &Resources) -> Result<()> {
        if requirements.gpus == 0 {
            ensure!(self.is_any(), MarketError::InvalidGpuNeeds);
        }
        ensure!(self.min_vram_gb <= MAX_VRAM_GB && self.family <= 0xff, MarketError::InvalidGpuNeeds);
        for model in self.listed() {
            ensure!(gpu_family(model) != 0, MarketError::InvalidGpuNeeds);
            ensure!(self.family == 0 || gpu_family(model) == self.family, MarketError::InvalidGpuNeeds);
        }
        Ok(())
    }

    /// What GPUs of `model` with `vram_gb` each lack to meet these needs, if anything.
    pub fn lack(&self, model: u16, vram_gb: u16) -> Option<MarketError> {
        if vram_gb < self.min_vram_gb {
            return Some(MarketError::GpuMemoryTooSmall);
        }
        let family_ok = self.family == 0 || gpu_family(model) == self.family;
        let listed_ok = self.listed().next().is_none() || self.listed().any(|m| m == model);
        (!family_ok || !listed_ok).then_some(MarketError::GpuModelNotAccepted)
    }

    /// Whether GPUs of `model` with `vram_gb` each meet these needs; the refusal names what is missing.
    pub fn check(&self, model: u16, vram_gb: u16) -> Result<()> {
        match self.lack(model, vram_gb) {
            None => Ok(()),
            Some(error) => Err(Error::from(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::{CPU_ARCH_UNKNOWN, CPU_ARCH_X86_64};

    const A100_40: u16 = 0x0201;
    const A100_80: u16 = 0x0202;
    const H100: u16 = 0x0101;
    const GPUS: Resources = Resources { cpu_cores: 8, ram_gb: 64, storage_gb: 100, gpus: 2 };
    const CPUS: Resources = Resources { gpus: 0, ..GPUS };

    fn code(result: Result<()>) -> u32 {
        match result {
            Err(Error::AnchorError(e)) => e.error_code_number,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    fn named(error: MarketError) -> u32 {
        error.into()
    }

    #[test]
    fn gpus_on_offer_say_what_they_are() {
        let a100 = Hardware { gpu_model: A100_80, vram_gb: 80, cpu_arch: CPU_ARCH_X86_64 };
        assert!(a100.validate_for(&GPUS).is_ok());
        assert!(Hardware::default().validate_for(&CPUS).is_ok());
        let invalid = named(MarketError::InvalidHardware);
        assert_eq!(code(Hardware::default().validate_for(&GPUS)), invalid, "GPUs without a model");
        assert_eq!(code(Hardware { gpu_model: 0x00ff, ..a100 }.validate_for(&GPUS)), invalid, "a model without a family");
        assert_eq!(code(Hardware { vram_gb: 0, ..a100 }.validate_for(&GPUS)), invalid);
        assert_eq!(code(Hardware { vram_gb: MAX_VRAM_GB + 1, ..a100 }.validate_for(&GPUS)), invalid);
        assert!(Hardware { vram_gb: MAX_VRAM_GB, ..a100 }.validate_for(&GPUS).is_ok());
        assert_eq!(code(a100.validate_for(&CPUS)), invalid, "a model declared with no GPU offered");
        assert_eq!(code(Hardware { vram_gb: 1, ..Hardware::default() }.validate_for(&CPUS)), invalid);
        assert_eq!(code(Hardware { cpu_arch: CPU_ARCH_AARCH64 + 1, ..a100 }.validate_for(&GPUS)), invalid);
        assert!(Hardware { cpu_arch: CPU_ARCH_UNKNOWN, ..a100 }.validate_for(&GPUS).is_ok());
    }

    #[test]
    fn needs_are_for_gpu_jobs_and_name_models_of_their_family() {
        let invalid = named(MarketError::InvalidGpuNeeds);
        let vram = GpuNeeds { min_vram_gb: 40, ..GpuNeeds::default() };
        assert!(vram.validate_for(&GPUS).is_ok());
        assert_eq!(code(vram.validate_for(&CPUS)), invalid, "GPU needs on a job without GPUs");
        assert!(GpuNeeds::default().validate_for(&CPUS).is_ok());
        let a100s = GpuNeeds { models: [A100_40, A100_80, 0, 0], family: 0x02, min_vram_gb: 0 };
        assert!(a100s.validate_for(&GPUS).is_ok());
        assert_eq!(code(GpuNeeds { models: [A100_40, H100, 0, 0], ..a100s }.validate_for(&GPUS)), invalid, "an H100 is no A100");
        assert_eq!(code(GpuNeeds { models: [0x0011, 0, 0, 0], family: 0, min_vram_gb: 0 }.validate_for(&GPUS)), invalid);
        assert_eq!(code(GpuNeeds { family: 0x100, ..GpuNeeds::default() }.validate_for(&GPUS)), invalid);
        assert_eq!(code(GpuNeeds { min_vram_gb: MAX_VRAM_GB + 1, ..GpuNeeds::default() }.validate_for(&GPUS)), invalid);
    }

    #[test]
    fn a_gpu_meets_the_needs_or_the_refusal_names_what_it_lacks() {
        let any = GpuNeeds::default();
        assert!(any.check(H100, 80).is_ok() && any.check(0x0701, 16).is_ok());
        let memory = GpuNeeds { min_vram_gb: 80, ..any };
        assert!(memory.check(A100_80, 80).is_ok());
        assert_eq!(code(memory.check(A100_40, 40)), named(MarketError::GpuMemoryTooSmall));
        let family = GpuNeeds { family: 0x02, ..any };
        assert!(family.check(A100_40, 40).is_ok());
        assert_eq!(code(family.check(H100, 80)), named(MarketError::GpuModelNotAccepted));
        let listed = GpuNeeds { models: [A100_80, H100, 0, 0], ..any };
        assert!(listed.check(H100, 80).is_ok() && listed.check(A100_80, 80).is_ok());
        assert_eq!(code(listed.check(A100_40, 40)), named(MarketError::GpuModelNotAccepted));
        assert_eq!(code(listed.check(0, 0)), named(MarketError::GpuModelNotAccepted), "unused entries are not a model");
    }
}
