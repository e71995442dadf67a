//! Registers the program's Anchor entrypoint as a solana-program-test builtin. Kept apart from modules
//! that glob-import Anchor's prelude: `processor!` names `Result` unqualified.

use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use solana_program_runtime::invoke_context::BuiltinFunctionRegisterer;
use solana_program_test::processor;

fn process_instruction(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    // SAFETY: only lifetimes change. Anchor's `entry` ties the slice's lifetime to its elements'; the
    // runtime keeps both alive for the whole call, so letting the compiler unify them is sound.
    let accounts = unsafe { core::mem::transmute::<&[AccountInfo], &[AccountInfo]>(accounts) };
    compute_market::entry(program_id, accounts, data)
}

pub fn builtin() -> BuiltinFunctionRegisterer {
    let registerer: Option<BuiltinFunctionRegisterer> = processor!(process_instruction);
    registerer.expect("processor! always yields a registerer")
}
