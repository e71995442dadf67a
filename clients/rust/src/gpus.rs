//! The table of GPU models a provider declares and a job asks for. A model id is its family in the
//! high byte and its variant in the low one; the program checks only that structure, so a new model is
//! a new row here (and in `docs/GPU_MODELS.md`, which a test keeps in step), never a program upgrade.
//! `detect` holds what `nvidia-smi --query-gpu=name` prints for the model, matched case-insensitively.

use compute_market::constants::{CPU_ARCH_AARCH64, CPU_ARCH_UNKNOWN, CPU_ARCH_X86_64};
use compute_market::state::{GpuNeeds, Hardware};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GpuModel {
    pub id: u16,
    /// How people and the CLI name it, e.g. `A100-80GB`.
    pub name: &'static str,
    /// GB of memory on each card.
    pub vram_gb: u16,
    /// Substrings of the driver's name for the card.
    pub detect: &'static [&'static str],
}

/// Families: the high byte of a model id, and their names.
pub const FAMILIES: &[(u16, &str)] = &[
    (0x01, "H100"),
    (0x02, "A100"),
    (0x03, "L40"),
    (0x04, "RTX4090"),
    (0x05, "RTX3090"),
    (0x06, "A10"),
    (0x07, "T4"),
    (0x08, "L4"),
    (0x09, "H200"),
    (0x0a, "RTXA6000"),
    (0x0b, "B200"),
    (0x0c, "RTX5090"),
];

pub const MODELS: &[GpuModel] = &[
    GpuModel { id: 0x0101, name: "H100-SXM-80GB", vram_gb: 80, detect: &["H100 80GB HBM3", "H100 SXM"] },
    GpuModel { id: 0x0102, name: "H100-PCIE-80GB", vram_gb: 80, detect: &["H100 PCIe"] },
    GpuModel { id: 0x0103, name: "H100-NVL-94GB", vram_gb: 94, detect: &["H100 NVL"] },
    GpuModel { id: 0x0201, name: "A100-40GB", vram_gb: 40, detect: &["A100-SXM4-40GB", "A100-PCIE-40GB", "A100 40GB"] },
    GpuModel { id: 0x0202, name: "A100-80GB", vram_gb: 80, detect: &["A100-SXM4-80GB", "A100 80GB", "A100-PCIE-80GB"] },
    GpuModel { id: 0x0301, name: "L40S-48GB", vram_gb: 48, detect: &["L40S"] },
    GpuModel { id: 0x0302, name: "L40-48GB", vram_gb: 48, detect: &["L40"] },
    GpuModel { id: 0x0401, name: "RTX4090-24GB", vram_gb: 24, detect: &["RTX 4090"] },
    GpuModel { id: 0x0501, name: "RTX3090-24GB", vram_gb: 24, detect: &["RTX 3090"] },
    GpuModel { id: 0x0601, name: "A10-24GB", vram_gb: 24, detect: &["NVIDIA A10"] },
    GpuModel { id: 0x0701, name: "T4-16GB", vram_gb: 16, detect: &["Tesla T4"] },
    GpuModel { id: 0x0801, name: "L4-24GB", vram_gb: 24, detect: &["NVIDIA L4"] },
    GpuModel { id: 0x0901, name: "H200-141GB", vram_gb: 141, detect: &["H200"] },
    GpuModel { id: 0x0a01, name: "RTXA6000-48GB", vram_gb: 48, detect: &["RTX A6000"] },
    GpuModel { id: 0x0b01, name: "B200-180GB", vram_gb: 180, detect: &["B200"] },
    GpuModel { id: 0x0c01, name: "RTX5090-32GB", vram_gb: 32, detect: &["RTX 5090"] },
];

/// A model by its name (any case) or its id in hex (`0x0202`).
pub fn model(text: &str) -> Result<&'static GpuModel, String> {
    let by_id = text.strip_prefix("0x").and_then(|hex| u16::from_str_radix(hex, 16).ok());
    MODELS
        .iter()
        .find(|m| Some(m.id) == by_id || m.name.eq_ignore_ascii_case(text))
        .ok_or_else(|| format!("unknown GPU model `{text}`: one of {}", MODELS.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")))
}

/// A family by its name (any case).
pub fn family(text: &str) -> Result<u16, String> {
    FAMILIES
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(text))
        .map(|(id, _)| *id)
        .ok_or_else(|| format!("unknown GPU family `{text}`: one of {}", FAMILIES.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ")))
}

/// How a model id reads: its name, or its id in hex when the table does not know it.
pub fn model_name(id: u16) -> String {
    MODELS.iter().find(|m| m.id == id).map(|m| m.name.to_string()).unwrap_or_else(|| format!("0x{id:04x}"))
}

pub fn family_name(family: u16) -> String {
    FAMILIES.iter().find(|(id, _)| *id == family).map(|(_, n)| n.to_string()).unwrap_or_else(|| format!("0x{family:02x}"))
}

/// The model whose driver name `reported` is (as `nvidia-smi` prints it): a pattern counts as a whole
/// word (an L40S is neither an L40 nor an L4), and the longest one found wins.
pub fn detect(reported: &str) -> Option<&'static GpuModel> {
    let reported = reported.to_ascii_lowercase();
    MODELS
        .iter()
        .flat_map(|m| m.detect.iter().map(move |pattern| (m, pattern)))
        .filter(|(_, pattern)| contains_word(&reported, &pattern.to_ascii_lowercase()))
        .max_by_key(|(_, pattern)| pattern.len())
        .map(|(m, _)| m)
}

/// Whether `pattern` occurs in `text` not run into a letter or digit on either side (`nvidia l4` is
/// not in `nvidia l40s`).
fn contains_word(text: &str, pattern: &str) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    text.match_indices(pattern)
        .any(|(at, _)| !alnum(text[..at].chars().next_back()) && !alnum(text[at + pattern.len()..].chars().next()))
}

/// The CPU architecture this program was built for, as `Hardware::cpu_arch` names it.
pub fn this_cpu_arch() -> u8 {
    match std::env::consts::ARCH {
        "x86_64" => CPU_ARCH_X86_64,
        "aarch64" => CPU_ARCH_AARCH64,
        _ => CPU_ARCH_UNKNOWN,
    }
}

pub fn cpu_arch_name(arch: u8) -> &'static str {
    match arch {
        CPU_ARCH_X86_64 => "x86-64",
        CPU_ARCH_AARCH64 => "AArch64",
        _ => "unknown",
    }
}

/// GPUs in words: `4 x A100-80GB (80 GB)`, or `none`.
pub fn describe_gpus(gpus: u16, hardware: &Hardware) -> String {
    if gpus == 0 {
        return "none".into();
    }
    format!("{gpus} x {} ({} GB)", model_name(hardware.gpu_model), hardware.vram_gb)
}

/// A job's GPU needs in words: `any`, or e.g. `A100 family, at least 80 GB`.
pub fn describe_needs(needs: &GpuNeeds) -> String {
    if needs.is_any() {
        return "any".into();
    }
    let mut parts = Vec::new();
    let models: Vec<String> = needs.models.iter().filter(|m| **m != 0).map(|m| model_name(*m)).collect();
    if !models.is_empty() {
        parts.push(models.join(" or "));
    } else if needs.family != 0 {
        parts.push(format!("{} family", family_name(needs.family)));
    }
    if needs.min_vram_gb > 0 {
        parts.push(format!("at least {} GB", needs.min_vram_gb));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market::state::gpu_family;

    #[test]
    fn every_model_belongs_to_a_named_family_and_ids_are_unique() {
        for m in MODELS {
            assert!(FAMILIES.iter().any(|(f, _)| *f == gpu_family(m.id)), "{} has no family", m.name);
            assert_eq!(MODELS.iter().filter(|o| o.id == m.id || o.name == m.name).count(), 1, "{} twice", m.name);
            assert!(m.vram_gb > 0 && !m.detect.is_empty());
        }
    }

    #[test]
    fn names_ids_and_families_read_both_ways() {
        assert_eq!(model("a100-80gb").unwrap().id, 0x0202);
        assert_eq!(model("0x0101").unwrap().name, "H100-SXM-80GB");
        assert!(model("A100").unwrap_err().starts_with("unknown GPU model `A100`: one of H100-SXM-80GB,"));
        assert_eq!(family("a100"), Ok(0x02));
        assert!(family("V100").is_err());
        assert_eq!((model_name(0x0202), model_name(0x0263)), ("A100-80GB".into(), "0x0263".into()));
        assert_eq!((family_name(0x02), family_name(0x63)), ("A100".into(), "0x63".into()));
    }

    #[test]
    fn driver_names_are_recognised_and_the_most_specific_wins() {
        assert_eq!(detect("NVIDIA A100-SXM4-80GB").map(|m| m.id), Some(0x0202));
        assert_eq!(detect("NVIDIA L40S").map(|m| m.id), Some(0x0301), "not an L40");
        assert_eq!(detect("NVIDIA L40").map(|m| m.id), Some(0x0302));
        assert_eq!(detect("NVIDIA GeForce RTX 4090").map(|m| m.id), Some(0x0401));
        assert_eq!(detect("Tesla T4").map(|m| m.id), Some(0x0701));
        assert_eq!(detect("NVIDIA L4").map(|m| m.id), Some(0x0801));
        assert_eq!(detect("NVIDIA A10").map(|m| m.id), Some(0x0601), "an A10 is no A100");
        assert_eq!(detect("NVIDIA A100-PCIE-40GB").map(|m| m.id), Some(0x0201), "an A100 is no A10");
        assert_eq!(detect("Quadro P400"), None);
    }

    #[test]
    fn the_documented_table_lists_every_model() {
        let doc = include_str!("../../../docs/GPU_MODELS.md");
        for m in MODELS {
            let row = format!("| `0x{:04x}` | {} | {} |", m.id, m.name, m.vram_gb);
            assert!(doc.contains(&row), "docs/GPU_MODELS.md lacks `{row}`");
        }
        for (id, name) in FAMILIES {
            assert!(doc.contains(&format!("| `0x{id:02x}` | {name} |")), "docs/GPU_MODELS.md lacks family {name}");
        }
    }

    #[test]
    fn gpus_and_needs_read_in_words() {
        assert_eq!(describe_gpus(4, &Hardware { gpu_model: 0x0202, vram_gb: 80, cpu_arch: 1 }), "4 x A100-80GB (80 GB)");
        assert_eq!(describe_gpus(0, &Hardware::default()), "none");
        assert_eq!(describe_needs(&GpuNeeds::default()), "any");
        assert_eq!(describe_needs(&GpuNeeds { models: [0; 4], min_vram_gb: 80, family: 0x02 }), "A100 family, at least 80 GB");
        assert_eq!(describe_needs(&GpuNeeds { models: [0x0202, 0x0101, 0, 0], min_vram_gb: 0, family: 0 }), "A100-80GB or H100-SXM-80GB");
    }
}
