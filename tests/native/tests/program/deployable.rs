//! The sBPF artifact, checked the way the cluster checks it before and after `solana program deploy`.
//!
//! Deployment (the upgradeable loader's `DeployWithMaxDataLen` and `Upgrade`) loads the ELF with the
//! validator's own loader, in the stricter deployment environment Agave derives from the bank's program
//! runtime environment (`solana_program_runtime::deploy`), and runs the `RequisiteVerifier` over the
//! bytecode. These tests run that same code, from the same Agave 4.2.2 crates, over
//! `target/deploy/compute_market.so`, with every feature gate active: SBPF v3 enabled, v0 to v2
//! deployment disabled.
//!
//! Deployment does not check everything that can fail later. SBPF v3 calls syscalls by the murmur3 hash
//! of their name (static syscalls, SIMD-0178) and resolves them only when the instruction runs, so a
//! program calling a syscall the runtime does not register deploys and then fails with
//! `UnsupportedInstruction` on the first transaction that reaches the call. The second test resolves
//! every call instruction ahead of time. The third keeps the artifact's size, and so the rent its
//! ProgramData account locks up, in view.
//!
//! Natively there is no artifact: the tests are ignored there, and `make test-sbf` runs them on the .so.

use std::path::PathBuf;
use std::sync::Arc;

use anchor_lang::prelude::{Rent, UpgradeableLoaderState};
use compute_market_tests::harness::Tier;
use solana_program_runtime::execution_budget::SVMTransactionExecutionBudget;
use solana_program_runtime::invoke_context::InvokeContext;
use solana_program_runtime::solana_sbpf::ebpf;
use solana_program_runtime::solana_sbpf::elf::Executable;
use solana_program_runtime::solana_sbpf::program::{BuiltinProgram, SBPFVersion};
use solana_program_runtime::solana_sbpf::verifier::RequisiteVerifier;
use solana_svm_feature_set::SVMFeatureSet;

type Loader = BuiltinProgram<InvokeContext<'static, 'static>>;
type Program = Executable<InvokeContext<'static, 'static>>;

/// The size the artifact must stay within. Its ProgramData account holds the whole ELF and must be rent
/// exempt: about 6,960 lamports a byte, locked up for as long as the program is deployed. The goal is
/// 450,000 bytes (deploy rent under 3.2 SOL); the build is 439,784 (docs/PROGRAM_SIZE.md says how).
const SIZE_BUDGET: u64 = 450_000;

/// What the header of an SBPF v3 ELF must say.
const EM_BPF: u16 = 0xF7;
const E_FLAGS_SBPF_V3: u32 = 3;
/// Program header types and flags (ELF spec).
const PT_LOAD: u32 = 1;
const PF_X: u32 = 1;
const PF_R: u32 = 4;
/// Section header types that would carry dynamic relocations (ELF spec).
const SHT_RELA: u32 = 4;
const SHT_DYNAMIC: u32 = 6;
const SHT_REL: u32 = 9;
const ELF_HEADER_SIZE: usize = 64;
const PROGRAM_HEADER_SIZE: usize = 56;
const SECTION_HEADER_SIZE: usize = 64;

#[test]
#[ignore = "the sBPF artifact is checked only when SBF_OUT_DIR names its folder: make test-sbf runs this"]
fn the_artifact_is_an_sbpf_v3_elf_the_cluster_loader_deploys() {
    let elf = artifact_bytes();
    if let Err(problem) = check_v3_layout(&elf) {
        panic!("compute_market.so is not laid out as the SBPF v3 loader requires: {problem}");
    }
    let program = load_for_deployment(&elf, &deployment_loader(&SVMFeatureSet::all_enabled()))
        .unwrap_or_else(|problem| panic!("the cluster's loader would refuse to deploy compute_market.so: {problem}"));
    assert_eq!(program.get_sbpf_version(), SBPFVersion::V3, "the loader read the artifact as another SBPF version");

    // The same checks reject what they should, so their passing above means something.
    let mut v2 = elf.clone();
    v2[48..52].copy_from_slice(&2u32.to_le_bytes());
    assert!(check_v3_layout(&v2).is_err(), "the header check let e_flags 2 (SBPF v2) through");
    assert!(
        load_for_deployment(&v2, &deployment_loader(&SVMFeatureSet::all_enabled())).is_err(),
        "the deployment loader accepted an SBPF v2 ELF although v0 to v2 deployment is disabled"
    );
    let mut bytecode_moved = elf.clone();
    bytecode_moved[ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE + 16..][..8].copy_from_slice(&(2u64 << 32).to_le_bytes());
    assert!(check_v3_layout(&bytecode_moved).is_err(), "the header check let a bytecode segment off 1<<32 through");
    assert!(
        load_for_deployment(&bytecode_moved, &deployment_loader(&SVMFeatureSet::all_enabled())).is_err(),
        "the deployment loader accepted a bytecode segment off 1<<32"
    );
    let before_v3 = SVMFeatureSet { enable_sbpf_v3_deployment_and_execution: false, ..SVMFeatureSet::all_enabled() };
    assert!(
        load_for_deployment(&elf, &deployment_loader(&before_v3)).is_err(),
        "a cluster without enable_sbpf_v3_deployment_and_execution would deploy the artifact: the feature gate no longer matters"
    );
}

#[test]
#[ignore = "the sBPF artifact is checked only when SBF_OUT_DIR names its folder: make test-sbf runs this"]
fn every_syscall_the_program_calls_is_one_the_runtime_registers() {
    let elf = artifact_bytes();
    let loader = deployment_loader(&SVMFeatureSet::all_enabled());
    let program = load_for_deployment(&elf, &loader)
        .unwrap_or_else(|problem| panic!("the cluster's loader would refuse to deploy compute_market.so: {problem}"));
    let calls = call_instructions(&program);
    let unresolved = unresolved_calls(&program, &calls);
    assert!(unresolved.is_empty(), "calls the runtime cannot resolve, which would fail when reached: {unresolved:?}");

    let mut used: Vec<String> = calls
        .iter()
        .filter_map(|call| match call.target {
            CallTarget::Syscall(hash) => Some(hash),
            CallTarget::Internal(_) => None,
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|hash| syscall_name(&loader, hash).expect("resolved above"))
        .collect();
    used.sort();
    let ungated = deployment_loader(&SVMFeatureSet::default());
    for name in &used {
        let gated = syscall_name(&ungated, ebpf::hash_symbol_name(name.as_bytes())).is_none();
        eprintln!("syscall {name}{}", if gated { " (registered only once its feature gate is active)" } else { "" });
    }
    assert!(!used.is_empty(), "no syscall found: the scan misreads the bytecode");
    for expected in ["sol_invoke_signed_rust", "sol_get_clock_sysvar"] {
        assert!(
            used.iter().any(|name| name == expected),
            "no call to {expected} found: the scan misreads the bytecode"
        );
    }

    // Negative controls: an unregistered hash is reported missing, by the lookup and by the whole scan.
    let unregistered = ebpf::hash_symbol_name(b"not_a_syscall");
    assert_eq!(syscall_name(&loader, unregistered), None, "not_a_syscall resolved to a registered syscall");
    let first = calls.iter().find(|call| matches!(call.target, CallTarget::Syscall(_))).expect("at least one syscall");
    let mut patched = elf.clone();
    let imm = bytecode_file_offset(&elf) + first.pc * ebpf::INSN_SIZE + 4;
    patched[imm..imm + 4].copy_from_slice(&unregistered.to_le_bytes());
    let patched_program = load_for_deployment(&patched, &loader)
        .expect("an unregistered syscall does not stop deployment: that is why this test exists");
    let patched_calls = call_instructions(&patched_program);
    assert_eq!(
        unresolved_calls(&patched_program, &patched_calls).len(),
        1,
        "the scan missed a syscall patched to an unregistered hash"
    );
}

#[test]
#[ignore = "the sBPF artifact is checked only when SBF_OUT_DIR names its folder: make test-sbf runs this"]
fn the_artifact_stays_under_its_size_budget() {
    let size = std::fs::metadata(artifact_path()).expect("compute_market.so in SBF_OUT_DIR").len();
    let program_data = UpgradeableLoaderState::size_of_programdata_metadata() + size as usize;
    let rent = Rent::default().minimum_balance(program_data);
    eprintln!(
        "compute_market.so: {size} bytes (budget {SIZE_BUDGET}); its ProgramData account ({program_data} bytes) \
         needs {rent} lamports ({:.3} SOL) to be rent exempt",
        rent as f64 / 1e9
    );
    assert!(
        size <= SIZE_BUDGET,
        "compute_market.so is {size} bytes, {} over its budget of {SIZE_BUDGET}: deploying it locks up {rent} lamports",
        size - SIZE_BUDGET
    );
}

/// Where the artifact under test is: `$SBF_OUT_DIR/compute_market.so`.
fn artifact_path() -> PathBuf {
    assert_eq!(Tier::current(), Tier::Sbf, "run with SBF_OUT_DIR naming the folder of compute_market.so");
    PathBuf::from(std::env::var_os("SBF_OUT_DIR").expect("SBF_OUT_DIR")).join("compute_market.so")
}

fn artifact_bytes() -> Vec<u8> {
    let path = artifact_path();
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// The loader a deployment runs under `features`, built as Agave 4.2.2 builds it: the bank's program
/// runtime environment (`create_program_runtime_environment`, not yet for deployment), then
/// `solana_program_runtime::deploy`'s stricter copy of it: broken ELFs rejected, `sol_alloc_free_`
/// dropped, and only SBPF v3 and later accepted once `disable_sbpf_v0_v1_v2_deployment` is active.
fn deployment_loader(features: &SVMFeatureSet) -> Arc<Loader> {
    let budget = SVMTransactionExecutionBudget::new_with_defaults(features.raise_cpi_nesting_limit_to_8);
    let execution = solana_syscalls::create_program_runtime_environment(features, &budget, false, false)
        .expect("the runtime registers its syscalls");
    let mut config = execution.get_config().clone();
    config.reject_broken_elfs = true;
    if features.disable_sbpf_v0_v1_v2_deployment {
        config.enabled_sbpf_versions = SBPFVersion::V3..=*config.enabled_sbpf_versions.end();
    }
    let mut deployment = Loader::new_loader(config);
    for (_, (name, function)) in execution.get_function_registry().iter() {
        if name != b"sol_alloc_free_" {
            let name = std::str::from_utf8(name).expect("syscall names are UTF-8");
            deployment.register_function(name, function).expect("distinct syscall names");
        }
    }
    Arc::new(deployment)
}

/// Loads and verifies `elf` as deployment does: `Executable::load`, then the `RequisiteVerifier`.
fn load_for_deployment(elf: &[u8], loader: &Arc<Loader>) -> Result<Program, String> {
    let program = Executable::load(elf, Arc::clone(loader)).map_err(|error| format!("load: {error}"))?;
    program.verify::<RequisiteVerifier>().map_err(|error| format!("verify: {error}"))?;
    Ok(program)
}

/// The name the runtime registers for a static syscall's hash, if it registers one.
fn syscall_name(loader: &Loader, hash: u32) -> Option<String> {
    loader.get_function_registry().lookup_by_key(hash).map(|(name, _)| String::from_utf8_lossy(name).into_owned())
}

enum CallTarget {
    /// `call` with src 0: a syscall, by the murmur3 hash of its name.
    Syscall(u32),
    /// `call` with src 1: a function of the program, by its instruction index.
    Internal(i64),
}

struct Call {
    pc: usize,
    target: CallTarget,
}

/// Every `call imm` in the bytecode, read as the SBPF v3 interpreter reads it (solana-sbpf 0.21.1,
/// `interpreter.rs`): opcode 0x85; src 0 calls the syscall whose hash is the immediate, src 1 calls the
/// instruction at pc + 1 + imm. `lddw` takes two slots; its second is skipped.
fn call_instructions(program: &Program) -> Vec<Call> {
    let (_, text) = program.get_text_bytes();
    let mut calls = Vec::new();
    let mut pc = 0;
    while ebpf::is_pc_in_program(text, pc) {
        let insn = ebpf::get_insn(text, pc);
        if insn.opc == ebpf::CALL_IMM {
            let target = match insn.src {
                0 => CallTarget::Syscall(insn.imm as u32),
                _ => CallTarget::Internal(pc as i64 + 1 + insn.imm),
            };
            calls.push(Call { pc, target });
        }
        pc += if insn.opc == ebpf::LD_DW_IMM { 2 } else { 1 };
    }
    calls
}

/// The calls that would fail with `UnsupportedInstruction` when reached: syscalls the loader does not
/// register, and internal calls that do not land in the bytecode (or use a src other than 1).
fn unresolved_calls(program: &Program, calls: &[Call]) -> Vec<String> {
    let (_, text) = program.get_text_bytes();
    let loader = program.get_loader();
    calls
        .iter()
        .filter_map(|call| match call.target {
            CallTarget::Syscall(hash) => syscall_name(loader, hash).is_none().then(|| {
                format!("pc {}: syscall with hash {hash:#010x}, which the runtime does not register", call.pc)
            }),
            CallTarget::Internal(target) => {
                let src = ebpf::get_insn(text, call.pc).src;
                (src != 1 || target < 0 || !ebpf::is_pc_in_program(text, target as usize))
                    .then(|| format!("pc {}: internal call to {target} (src {src}) outside the bytecode", call.pc))
            }
        })
        .collect()
}

/// Checks, from the raw bytes and independently of the loader, the facts the SBPF v3 strict ELF parser
/// (solana-sbpf 0.21.1, `Executable::load_with_strict_parser`) relies on. It is stricter than the loader
/// where this build's output is: exactly the two segments (the loader would also take bytecode alone, and
/// ignore segments after the two it reads) and no relocation sections (which it never reads).
fn check_v3_layout(elf: &[u8]) -> Result<(), String> {
    if elf.len() < ELF_HEADER_SIZE || elf[..4] != *b"\x7fELF" || elf[4] != 2 || elf[5] != 1 {
        return Err("not a 64-bit little-endian ELF".into());
    }
    let machine = u16_at(elf, 18);
    if machine != EM_BPF {
        return Err(format!("e_machine is {machine:#x}, not EM_BPF (0xf7): not built for the BPF target"));
    }
    let flags = u32_at(elf, 48);
    if flags != E_FLAGS_SBPF_V3 {
        return Err(format!("e_flags is {flags}, not 3: the loader would read it as another SBPF version"));
    }
    let phoff = u64_at(elf, 32) as usize;
    let phnum = u16_at(elf, 56) as usize;
    if phoff != ELF_HEADER_SIZE || u16_at(elf, 54) as usize != PROGRAM_HEADER_SIZE {
        return Err("the program headers do not directly follow the ELF header".into());
    }
    if phnum != 2 {
        return Err(format!(
            "{phnum} program headers, not 2 (read-only data, bytecode): a PT_DYNAMIC or other segment means the \
             linker left work for a loader that v3 no longer has"
        ));
    }
    if elf.len() < ELF_HEADER_SIZE + 2 * PROGRAM_HEADER_SIZE {
        return Err("the file ends inside its program headers".into());
    }
    let expected = [("read-only data", PF_R, ebpf::MM_RODATA_START), ("bytecode", PF_X, ebpf::MM_BYTECODE_START)];
    let mut next_offset = (ELF_HEADER_SIZE + 2 * PROGRAM_HEADER_SIZE) as u64;
    for (index, (segment, flags, vaddr)) in expected.into_iter().enumerate() {
        let header = ELF_HEADER_SIZE + index * PROGRAM_HEADER_SIZE;
        let (p_type, p_flags, p_offset) = (u32_at(elf, header), u32_at(elf, header + 4), u64_at(elf, header + 8));
        let (p_vaddr, p_paddr) = (u64_at(elf, header + 16), u64_at(elf, header + 24));
        let (p_filesz, p_memsz) = (u64_at(elf, header + 32), u64_at(elf, header + 40));
        if p_type != PT_LOAD || p_flags != flags {
            return Err(format!("the {segment} segment is not a PT_LOAD with flags {flags}"));
        }
        if p_vaddr != vaddr || p_paddr != vaddr {
            return Err(format!("the {segment} segment is at {p_vaddr:#x}, not {vaddr:#x}"));
        }
        if p_offset != next_offset
            || p_filesz != p_memsz
            || !p_filesz.is_multiple_of(8)
            || p_offset + p_filesz > elf.len() as u64
        {
            return Err(format!(
                "the {segment} segment is not whole 8-byte instructions stored right after the previous one"
            ));
        }
        next_offset = p_offset + p_filesz;
    }
    let (bytecode_start, bytecode_len) = (
        u64_at(elf, ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE + 16),
        u64_at(elf, ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE + 32),
    );
    let entry = u64_at(elf, 24);
    if !entry.is_multiple_of(8) || entry < bytecode_start || entry + 8 > bytecode_start + bytecode_len {
        return Err(format!("the entrypoint {entry:#x} is not an instruction of the bytecode segment"));
    }
    check_no_relocation_sections(elf)
}

/// v3 ELFs are not relocated at load time: a relocation section would be silently left unapplied.
fn check_no_relocation_sections(elf: &[u8]) -> Result<(), String> {
    let (shoff, shnum) = (u64_at(elf, 40) as usize, u16_at(elf, 60) as usize);
    for index in 0..shnum {
        let header = shoff + index * SECTION_HEADER_SIZE;
        if header + SECTION_HEADER_SIZE > elf.len() {
            return Err("the section header table runs past the end of the file".into());
        }
        let sh_type = u32_at(elf, header + 4);
        if [SHT_REL, SHT_RELA, SHT_DYNAMIC].contains(&sh_type) {
            return Err(format!("section {index} has type {sh_type}: relocations the v3 loader never applies"));
        }
    }
    Ok(())
}

/// Where the bytecode segment starts in the file.
fn bytecode_file_offset(elf: &[u8]) -> usize {
    u64_at(elf, ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE + 8) as usize
}

fn u16_at(bytes: &[u8], offset: usize) -> u16 {
    u16::from_le_bytes(bytes[offset..offset + 2].try_into().expect("two bytes"))
}

fn u32_at(bytes: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(bytes[offset..offset + 4].try_into().expect("four bytes"))
}

fn u64_at(bytes: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(bytes[offset..offset + 8].try_into().expect("eight bytes"))
}
