//! The hardware flags: what a provider's machine is (`provider register|update`), and what a job needs of
//! its GPUs (`job post`). Models and families are named from the shared table (docs/GPU_MODELS.md).

use clap::Args;
use compute_market::constants::{CPU_ARCH_AARCH64, CPU_ARCH_UNKNOWN, CPU_ARCH_X86_64};
use compute_market::state::{GpuNeeds, Hardware};
use compute_market_client::gpus::{self, this_cpu_arch};

#[derive(Args, Default)]
pub struct HardwareArgs {
    /// The model of the GPUs offered, by name (A100-80GB) or id (0x0202): required with --gpus.
    #[arg(long)]
    gpu_model: Option<String>,
    /// GB of memory on each GPU (default: the model's).
    #[arg(long)]
    vram_gb: Option<u16>,
    /// x86-64, aarch64 or unknown (default: this machine's).
    #[arg(long)]
    cpu_arch: Option<String>,
}

impl HardwareArgs {
    /// Whether any hardware flag was given.
    pub fn given(&self) -> bool {
        self.gpu_model.is_some() || self.vram_gb.is_some() || self.cpu_arch.is_some()
    }

    /// The hardware behind an offer of `gpus` GPUs, refused in words when it cannot be right.
    pub fn hardware(&self, gpus: u16) -> Result<Hardware, String> {
        let cpu_arch = match self.cpu_arch.as_deref() {
            None => this_cpu_arch(),
            Some(text) => cpu_arch(text)?,
        };
        let Some(name) = &self.gpu_model else {
            if gpus > 0 {
                return Err(format!("{gpus} GPUs need their model: --gpu-model (one of {})", model_names()));
            }
            if self.vram_gb.is_some() {
                return Err("--vram-gb is for GPUs; this offer has none".into());
            }
            return Ok(Hardware { cpu_arch, ..Hardware::default() });
        };
        if gpus == 0 {
            return Err(format!("--gpu-model {name} needs --gpus (how many are offered)"));
        }
        let model = gpus::model(name)?;
        Ok(Hardware { gpu_model: model.id, vram_gb: self.vram_gb.unwrap_or(model.vram_gb), cpu_arch })
    }
}

#[derive(Args, Default)]
pub struct GpuNeedsArgs {
    /// Least GB of memory on each GPU.
    #[arg(long, default_value_t = 0)]
    min_vram_gb: u16,
    /// Only GPUs of this family (A100, H100, RTX4090, ...).
    #[arg(long)]
    gpu_family: Option<String>,
    /// An acceptable model (repeat for up to four); none: any model (of --gpu-family, when given).
    #[arg(long = "gpu-model")]
    gpu_models: Vec<String>,
}

impl GpuNeedsArgs {
    /// The needs of a job asking for `gpus` GPUs, refused in words when they cannot be met by anyone.
    pub fn needs(&self, gpus: u16) -> Result<GpuNeeds, String> {
        let family = self.gpu_family.as_deref().map(gpus::family).transpose()?.unwrap_or(0);
        if self.gpu_models.len() > 4 {
            return Err(format!("at most four --gpu-model, not {}", self.gpu_models.len()));
        }
        let mut models = [0u16; 4];
        for (slot, name) in models.iter_mut().zip(&self.gpu_models) {
            let model = gpus::model(name)?;
            if family != 0 && compute_market::state::gpu_family(model.id) != family {
                return Err(format!("{} is not of the {} family", model.name, gpus::family_name(family)));
            }
            *slot = model.id;
        }
        let needs = GpuNeeds { models, min_vram_gb: self.min_vram_gb, family };
        if gpus == 0 && !needs.is_any() {
            return Err("GPU needs (--min-vram-gb, --gpu-family, --gpu-model) are for jobs that ask for --gpus".into());
        }
        Ok(needs)
    }
}

fn model_names() -> String {
    gpus::MODELS.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")
}

fn cpu_arch(text: &str) -> Result<u8, String> {
    match text.to_ascii_lowercase().as_str() {
        "x86-64" | "x86_64" | "amd64" => Ok(CPU_ARCH_X86_64),
        "aarch64" | "arm64" => Ok(CPU_ARCH_AARCH64),
        "unknown" => Ok(CPU_ARCH_UNKNOWN),
        _ => Err(format!("`{text}` is not a CPU architecture (x86-64, aarch64 or unknown)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hw(model: Option<&str>, vram: Option<u16>, arch: Option<&str>) -> HardwareArgs {
        HardwareArgs { gpu_model: model.map(String::from), vram_gb: vram, cpu_arch: arch.map(String::from) }
    }

    #[test]
    fn an_offer_names_its_gpus_and_takes_the_models_memory_by_default() {
        assert_eq!(hw(Some("a100-80gb"), None, Some("x86-64")).hardware(4), Ok(Hardware { gpu_model: 0x0202, vram_gb: 80, cpu_arch: CPU_ARCH_X86_64 }));
        assert_eq!(hw(Some("0x0401"), Some(22), Some("arm64")).hardware(1), Ok(Hardware { gpu_model: 0x0401, vram_gb: 22, cpu_arch: CPU_ARCH_AARCH64 }));
        assert_eq!(hw(None, None, Some("unknown")).hardware(0), Ok(Hardware::default()));
        assert!(hw(None, None, None).hardware(2).unwrap_err().starts_with("2 GPUs need their model: --gpu-model (one of H100-SXM-80GB,"));
        assert_eq!(hw(Some("A100-80GB"), None, None).hardware(0), Err("--gpu-model A100-80GB needs --gpus (how many are offered)".into()));
        assert_eq!(hw(None, Some(8), None).hardware(0), Err("--vram-gb is for GPUs; this offer has none".into()));
        assert_eq!(hw(None, None, Some("sparc")).hardware(0), Err("`sparc` is not a CPU architecture (x86-64, aarch64 or unknown)".into()));
    }

    #[test]
    fn needs_name_models_of_their_family_and_only_for_gpu_jobs() {
        let needs = |family: Option<&str>, models: &[&str], vram: u16| GpuNeedsArgs {
            min_vram_gb: vram,
            gpu_family: family.map(String::from),
            gpu_models: models.iter().map(|m| m.to_string()).collect(),
        };
        assert_eq!(needs(Some("A100"), &[], 80).needs(2), Ok(GpuNeeds { models: [0; 4], min_vram_gb: 80, family: 0x02 }));
        assert_eq!(needs(None, &["A100-80GB", "H100-SXM-80GB"], 0).needs(1), Ok(GpuNeeds { models: [0x0202, 0x0101, 0, 0], min_vram_gb: 0, family: 0 }));
        assert_eq!(needs(Some("A100"), &["H100-SXM-80GB"], 0).needs(1), Err("H100-SXM-80GB is not of the A100 family".into()));
        assert_eq!(needs(None, &["T4-16GB"; 5], 0).needs(1), Err("at most four --gpu-model, not 5".into()));
        assert!(needs(None, &[], 16).needs(0).unwrap_err().starts_with("GPU needs"));
        assert_eq!(needs(None, &[], 0).needs(0), Ok(GpuNeeds::default()));
        assert!(needs(Some("V100"), &[], 0).needs(1).unwrap_err().starts_with("unknown GPU family `V100`"));
    }
}
