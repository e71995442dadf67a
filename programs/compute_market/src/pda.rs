//! Creating a program-owned account at a PDA whose bump the caller supplies. The program neither
//! searches for the bump (`find_program_address`, 1,500 compute units per attempt) nor derives the
//! address itself (`create_program_address`, 1,500): the runtime derives it from the signer seeds of the
//! System Program call, and refuses the call (`PrivilegeEscalation`, naming the account) unless the
//! account is the PDA of those seeds. Used where a job is posted, the market's busiest path: the job, its
//! vault and a token job's vault token account.

use std::cell::RefMut;

use anchor_lang::prelude::*;

use crate::cpi::{self, Seeds};

/// An account to create: `seeds` end with the bump, and only the PDA they derive can be created.
pub struct NewPda<'a, 'info> {
    pub payer: &'a AccountInfo<'info>,
    pub account: &'a AccountInfo<'info>,
    pub seeds: &'a [&'a [u8]],
}

impl NewPda<'_, '_> {
    /// Creates the account with `space` bytes, owned by this program and holding `lamports`.
    pub fn create(&self, space: usize, lamports: u64) -> Result<()> {
        self.create_owned_by(space, lamports, &crate::ID)
    }

    /// Creates the account with `space` bytes, owned by `owner` and holding `lamports`. An address
    /// someone already sent lamports to is topped up, allocated and assigned instead, so a gift of
    /// lamports cannot block it.
    pub fn create_owned_by(&self, space: usize, lamports: u64, owner: &Pubkey) -> Result<()> {
        let signer: Seeds = &[self.seeds];
        let held = self.account.lamports();
        if held == 0 {
            return cpi::create_account(self.payer, self.account, lamports, space as u64, owner, signer);
        }
        if lamports > held {
            cpi::transfer(self.payer, self.account, lamports - held, &[])?;
        }
        cpi::allocate(self.account, space as u64, signer)?;
        cpi::assign(self.account, owner, signer)
    }
}

/// Marks an account just created (zeroed, `space::<T>()` bytes) as a `T` by writing its discriminator,
/// and returns its body to fill in.
pub fn new_zero_copy_body<'a, T: bytemuck::Pod + Discriminator>(account: &'a AccountInfo) -> Result<RefMut<'a, T>> {
    let mut data = account.try_borrow_mut_data()?;
    data[..8].copy_from_slice(T::DISCRIMINATOR);
    Ok(RefMut::map(data, |data| bytemuck::from_bytes_mut(&mut data[8..])))
}

/// The body of an existing program account of type `T`, for writing: refused as `AccountDiscriminatorMismatch`
/// unless the program owns it and it holds a `T` of the right size.
pub fn existing_zero_copy_body<'a, T: bytemuck::Pod + Discriminator>(account: &'a AccountInfo) -> Result<RefMut<'a, T>> {
    ensure!(*account.owner == crate::ID, ErrorCode::AccountOwnedByWrongProgram);
    let data = account.try_borrow_mut_data()?;
    ensure!(
        data.len() == 8 + std::mem::size_of::<T>() && &data[..8] == T::DISCRIMINATOR,
        ErrorCode::AccountDiscriminatorMismatch
    );
    Ok(RefMut::map(data, |data| bytemuck::from_bytes_mut(&mut data[8..])))
}
