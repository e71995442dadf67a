//! Creating a program-owned account at a PDA whose bump the caller supplies: the program derives the
//! address once (`create_program_address`) instead of searching for the bump (`find_program_address`),
//! which costs 1,500 compute units per attempt. Used where a job is posted, the market's busiest path.

use anchor_lang::prelude::*;
use anchor_lang::system_program::{allocate, assign, create_account, transfer, Allocate, Assign, CreateAccount, Transfer};

use crate::error::MarketError;

/// An account to create: `seeds` end with the bump and must derive `account`'s address.
pub struct NewPda<'a, 'info> {
    pub payer: &'a AccountInfo<'info>,
    pub account: &'a AccountInfo<'info>,
    pub seeds: &'a [&'a [u8]],
    /// The error for an address the seeds do not derive.
    pub wrong_address: MarketError,
}

impl NewPda<'_, '_> {
    /// Creates the account with `space` bytes, owned by this program and holding `lamports`.
    /// An address someone already sent lamports to is topped up, allocated and assigned instead,
    /// so a gift of lamports cannot block it.
    pub fn create(&self, space: usize, lamports: u64) -> Result<()> {
        let expected = Pubkey::create_program_address(self.seeds, &crate::ID).map_err(|_| self.wrong_address)?;
        if self.account.key() != expected {
            return Err(self.wrong_address.into());
        }
        let system = anchor_lang::system_program::ID;
        let signer = &[self.seeds];
        let held = self.account.lamports();
        if held == 0 {
            let accounts = CreateAccount { from: self.payer.clone(), to: self.account.clone() };
            return create_account(CpiContext::new_with_signer(system, accounts, signer), lamports, space as u64, &crate::ID);
        }
        if lamports > held {
            let accounts = Transfer { from: self.payer.clone(), to: self.account.clone() };
            transfer(CpiContext::new(system, accounts), lamports - held)?;
        }
        allocate(CpiContext::new_with_signer(system, Allocate { account_to_allocate: self.account.clone() }, signer), space as u64)?;
        assign(CpiContext::new_with_signer(system, Assign { account_to_assign: self.account.clone() }, signer), &crate::ID)
    }
}
