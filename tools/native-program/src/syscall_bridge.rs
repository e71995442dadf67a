//! Serves solana-program-test's syscall stubs to solana-sysvar 3.x as well as 4.x.
//!
//! Anchor 1.2.2 reads sysvars and performs CPI through solana-sysvar 3.x, while program-test 4.2.2
//! installs its stubs (sysvars from the bank, CPI into the runtime, logs into the transaction) only into
//! solana-sysvar 4.x. Without this bridge a native run would read no clock and its CPIs would silently
//! do nothing. Anchor's `emit!` is a no-op off-chain, so events are checked on the sBPF build, not here.
//! `install` must run after the first `ProgramTest` start and before any transaction.

use std::sync::Once;

use anchor_lang::prelude::{AccountInfo, Pubkey};
use solana_instruction::Instruction;
use anchor_lang::solana_program::entrypoint::ProgramResult;
use solana_sysvar_v3::program_stubs as v3;
use solana_sysvar_v4::program_stubs as v4;

struct Placeholder;
impl v4::SyscallStubs for Placeholder {}

/// Forwards every stub to program-test's own implementation.
struct Bridge(&'static dyn v4::SyscallStubs);

macro_rules! forward_stubs {
    ($trait_path:path) => {
        impl $trait_path for Bridge {
            fn sol_log(&self, message: &str) {
                self.0.sol_log(message)
            }
            fn sol_log_compute_units(&self) {
                self.0.sol_log_compute_units()
            }
            fn sol_remaining_compute_units(&self) -> u64 {
                self.0.sol_remaining_compute_units()
            }
            fn sol_invoke_signed(
                &self,
                instruction: &Instruction,
                account_infos: &[AccountInfo],
                signers_seeds: &[&[&[u8]]],
            ) -> ProgramResult {
                self.0.sol_invoke_signed(instruction, account_infos, signers_seeds)
            }
            fn sol_get_sysvar(&self, sysvar_id_addr: *const u8, var_addr: *mut u8, offset: u64, length: u64) -> u64 {
                self.0.sol_get_sysvar(sysvar_id_addr, var_addr, offset, length)
            }
            fn sol_get_clock_sysvar(&self, var_addr: *mut u8) -> u64 {
                self.0.sol_get_clock_sysvar(var_addr)
            }
            fn sol_get_epoch_schedule_sysvar(&self, var_addr: *mut u8) -> u64 {
                self.0.sol_get_epoch_schedule_sysvar(var_addr)
            }
            fn sol_get_fees_sysvar(&self, var_addr: *mut u8) -> u64 {
                self.0.sol_get_fees_sysvar(var_addr)
            }
            fn sol_get_rent_sysvar(&self, var_addr: *mut u8) -> u64 {
                self.0.sol_get_rent_sysvar(var_addr)
            }
            fn sol_get_epoch_rewards_sysvar(&self, var_addr: *mut u8) -> u64 {
                self.0.sol_get_epoch_rewards_sysvar(var_addr)
            }
            fn sol_get_last_restart_slot(&self, var_addr: *mut u8) -> u64 {
                self.0.sol_get_last_restart_slot(var_addr)
            }
            fn sol_get_epoch_stake(&self, vote_address: *const u8) -> u64 {
                self.0.sol_get_epoch_stake(vote_address)
            }
            unsafe fn sol_memcpy(&self, dst: *mut u8, src: *const u8, n: usize) {
                // SAFETY: forwarded unchanged; the caller upholds the contract.
                unsafe { self.0.sol_memcpy(dst, src, n) }
            }
            unsafe fn sol_memmove(&self, dst: *mut u8, src: *const u8, n: usize) {
                // SAFETY: forwarded unchanged; the caller upholds the contract.
                unsafe { self.0.sol_memmove(dst, src, n) }
            }
            unsafe fn sol_memcmp(&self, s1: *const u8, s2: *const u8, n: usize, result: *mut i32) {
                // SAFETY: forwarded unchanged; the caller upholds the contract.
                unsafe { self.0.sol_memcmp(s1, s2, n, result) }
            }
            unsafe fn sol_memset(&self, s: *mut u8, c: u8, n: usize) {
                // SAFETY: forwarded unchanged; the caller upholds the contract.
                unsafe { self.0.sol_memset(s, c, n) }
            }
            fn sol_get_return_data(&self) -> Option<(Pubkey, Vec<u8>)> {
                self.0.sol_get_return_data()
            }
            fn sol_set_return_data(&self, data: &[u8]) {
                self.0.sol_set_return_data(data)
            }
            fn sol_log_data(&self, fields: &[&[u8]]) {
                self.0.sol_log_data(fields)
            }
            fn sol_get_processed_sibling_instruction(&self, index: usize) -> Option<Instruction> {
                self.0.sol_get_processed_sibling_instruction(index)
            }
            fn sol_get_stack_height(&self) -> u64 {
                self.0.sol_get_stack_height()
            }
        }
    };
}

forward_stubs!(v3::SyscallStubs);
forward_stubs!(v4::SyscallStubs);

/// Installs the bridge once per process. Call after `ProgramTest::start_with_context`.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let program_test_stubs: &'static dyn v4::SyscallStubs = Box::leak(v4::set_syscall_stubs(Box::new(Placeholder)));
        v4::set_syscall_stubs(Box::new(Bridge(program_test_stubs)));
        v3::set_syscall_stubs(Box::new(Bridge(program_test_stubs)));
    });
}
