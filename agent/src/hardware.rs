//! What this machine has, and whether the provider's offer claims more. GPUs are read from
//! `nvidia-smi` (a machine without it, or where it finds no card, has none); the CPU architecture from
//! the build. An offer that declares GPUs this machine does not have is refused, unless the provider
//! says otherwise (`--unverified-hardware`), which the agent then publishes in the provider's metadata.

use std::process::Command;

use compute_market::constants::CPU_ARCH_UNKNOWN;
use compute_market::state::{Hardware, Resources};
use compute_market_client::gpus::{self, cpu_arch_name as arch_name, model_name, this_cpu_arch};

/// Appended to the metadata URI of a provider whose agent offers hardware it could not verify.
pub const UNVERIFIED_MARK: &str = "#unverified-hardware";

/// One card as the driver reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub name: String,
    /// Memory in MiB.
    pub memory_mib: u64,
}

/// The machine's GPUs and CPU architecture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Machine {
    pub cards: Vec<Card>,
    /// Why no card was read, when none was.
    pub none_because: Option<String>,
    pub cpu_arch: u8,
}

impl Machine {
    /// Reads the cards with `nvidia-smi`; a machine where it is missing or fails has none.
    pub fn detect() -> Machine {
        let output = Command::new("nvidia-smi").args(["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"]).output();
        let (cards, none_because) = match output {
            Ok(out) if out.status.success() => {
                let cards = parse(&String::from_utf8_lossy(&out.stdout));
                let why = cards.is_empty().then(|| "nvidia-smi lists no GPU".to_string());
                (cards, why)
            }
            Ok(out) => (vec![], Some(format!("nvidia-smi failed: {}", String::from_utf8_lossy(&out.stderr).trim()))),
            Err(error) => (vec![], Some(format!("no nvidia-smi ({error})"))),
        };
        Machine { cards, none_because, cpu_arch: this_cpu_arch() }
    }

    /// The cards as the driver names them, with their memory.
    fn cards_listed(&self) -> String {
        self.cards.iter().map(|c| format!("{} ({} MiB)", c.name, c.memory_mib)).collect::<Vec<_>>().join(", ")
    }

    /// The machine in words: its cards, or why none was read, and its CPU architecture.
    pub fn describe(&self) -> String {
        let gpus = match &self.none_because {
            Some(why) => format!("no GPU ({why})"),
            None => self.cards_listed(),
        };
        format!("{gpus}; {} CPU", arch_name(self.cpu_arch))
    }

    /// Whether an offer of `capacity` with `hardware` is what this machine has: as many cards of the
    /// declared model as GPUs offered, each with the declared memory, and the declared CPU architecture.
    pub fn verify(&self, capacity: &Resources, hardware: &Hardware) -> Result<(), String> {
        if hardware.cpu_arch != CPU_ARCH_UNKNOWN && hardware.cpu_arch != self.cpu_arch {
            return Err(format!("the offer declares a {} CPU; this machine is {}", arch_name(hardware.cpu_arch), arch_name(self.cpu_arch)));
        }
        if capacity.gpus == 0 {
            return Ok(());
        }
        let declared = format!("{} x {} ({} GB each)", capacity.gpus, model_name(hardware.gpu_model), hardware.vram_gb);
        let matching = self
            .cards
            .iter()
            .filter(|card| gpus::detect(&card.name).is_some_and(|m| m.id == hardware.gpu_model))
            .filter(|card| card.memory_mib >= u64::from(hardware.vram_gb) * 1_000)
            .count();
        if matching >= usize::from(capacity.gpus) {
            return Ok(());
        }
        let found = match &self.none_because {
            Some(why) => why.clone(),
            None => self.cards_listed(),
        };
        Err(format!("the offer declares {declared}, and this machine has {matching} such: {found}"))
    }
}

/// `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits` lines: `NAME, MEMORY_MIB`.
pub fn parse(output: &str) -> Vec<Card> {
    output
        .lines()
        .filter_map(|line| {
            let (name, memory) = line.rsplit_once(',')?;
            Some(Card { name: name.trim().to_string(), memory_mib: memory.trim().parse().ok()? })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market::constants::{CPU_ARCH_AARCH64, CPU_ARCH_X86_64};

    const A100_80: u16 = 0x0202;

    fn machine(cards: &[(&str, u64)]) -> Machine {
        let cards = cards.iter().map(|(name, memory_mib)| Card { name: name.to_string(), memory_mib: *memory_mib }).collect();
        Machine { cards, none_because: None, cpu_arch: CPU_ARCH_X86_64 }
    }

    fn gpus(n: u16) -> Resources {
        Resources { cpu_cores: 8, ram_gb: 64, storage_gb: 100, gpus: n }
    }

    const A100S: Hardware = Hardware { gpu_model: A100_80, vram_gb: 80, cpu_arch: CPU_ARCH_X86_64 };

    #[test]
    fn the_driver_output_is_read_line_by_line() {
        let out = "NVIDIA A100-SXM4-80GB, 81920\nNVIDIA GeForce RTX 4090, 24564\n\ngarbage\n";
        assert_eq!(parse(out), vec![
            Card { name: "NVIDIA A100-SXM4-80GB".into(), memory_mib: 81_920 },
            Card { name: "NVIDIA GeForce RTX 4090".into(), memory_mib: 24_564 },
        ]);
    }

    #[test]
    fn an_offer_of_the_cards_present_is_verified() {
        let two = machine(&[("NVIDIA A100-SXM4-80GB", 81_920), ("NVIDIA A100-SXM4-80GB", 81_920)]);
        assert_eq!(two.verify(&gpus(2), &A100S), Ok(()));
        assert_eq!(two.verify(&gpus(1), &A100S), Ok(()), "offering fewer than it has");
        assert_eq!(two.verify(&gpus(0), &Hardware { cpu_arch: CPU_ARCH_X86_64, ..Hardware::default() }), Ok(()));
        let rtx = machine(&[("NVIDIA GeForce RTX 4090", 24_564)]);
        assert_eq!(rtx.verify(&gpus(1), &Hardware { gpu_model: 0x0401, vram_gb: 24, cpu_arch: CPU_ARCH_UNKNOWN }), Ok(()));
    }

    #[test]
    fn an_offer_of_more_than_the_machine_has_is_refused_in_words() {
        let one = machine(&[("NVIDIA A100-SXM4-80GB", 81_920)]);
        assert_eq!(
            one.verify(&gpus(2), &A100S),
            Err("the offer declares 2 x A100-80GB (80 GB each), and this machine has 1 such: NVIDIA A100-SXM4-80GB (81920 MiB)".into())
        );
        let smaller = machine(&[("NVIDIA A100-SXM4-40GB", 40_960)]);
        assert!(smaller.verify(&gpus(1), &A100S).unwrap_err().contains("has 0 such: NVIDIA A100-SXM4-40GB (40960 MiB)"));
        let lying_memory = Hardware { vram_gb: 96, ..A100S };
        assert!(one.verify(&gpus(1), &lying_memory).is_err(), "more memory than the card has");
        let none = Machine { cards: vec![], none_because: Some("no nvidia-smi (No such file or directory)".into()), cpu_arch: CPU_ARCH_X86_64 };
        assert_eq!(
            none.verify(&gpus(4), &A100S),
            Err("the offer declares 4 x A100-80GB (80 GB each), and this machine has 0 such: no nvidia-smi (No such file or directory)".into())
        );
        let arm = Hardware { cpu_arch: CPU_ARCH_AARCH64, ..A100S };
        assert_eq!(one.verify(&gpus(1), &arm), Err("the offer declares a AArch64 CPU; this machine is x86-64".into()));
    }
}
