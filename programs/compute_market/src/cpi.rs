//! The calls this program makes to the System and Token programs, with their instruction data written
//! out here. Both programs fix these layouts for good (the System Program's bincode enum, the Token
//! programs' one-byte tags, the same under Token and Token-2022); writing them directly spares the
//! program a bincode serialiser and the token crates' instruction builders, which cost compute on the
//! job path and a good part of the program's size.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::solana_program::program::invoke_signed;

/// The PDA seeds a call is signed with; empty when only transaction signers sign.
pub type Seeds<'a> = &'a [&'a [&'a [u8]]];

// System Program instructions: a little-endian u32 variant, then the fields.
const CREATE_ACCOUNT: u32 = 0;
const ASSIGN: u32 = 1;
const TRANSFER: u32 = 2;
const ALLOCATE: u32 = 8;

// Token program instructions: a one-byte tag, then the fields.
const CLOSE_ACCOUNT: u8 = 9;
const TRANSFER_CHECKED: u8 = 12;
const INITIALIZE_ACCOUNT_3: u8 = 18;

fn call(program_id: Pubkey, metas: Vec<AccountMeta>, data: Vec<u8>, accounts: &[AccountInfo], seeds: Seeds) -> Result<()> {
    invoke_signed(&Instruction { program_id, accounts: metas, data }, accounts, seeds).map_err(Into::into)
}

fn system_data(variant: u32, capacity: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(capacity);
    data.extend_from_slice(&variant.to_le_bytes());
    data
}

/// Creates `to` with `space` bytes owned by `owner`, funded with `lamports` from `from`.
pub fn create_account<'info>(from: &AccountInfo<'info>, to: &AccountInfo<'info>, lamports: u64, space: u64, owner: &Pubkey, seeds: Seeds) -> Result<()> {
    let mut data = system_data(CREATE_ACCOUNT, 52);
    data.extend_from_slice(&lamports.to_le_bytes());
    data.extend_from_slice(&space.to_le_bytes());
    data.extend_from_slice(owner.as_ref());
    let metas = vec![AccountMeta::new(from.key(), true), AccountMeta::new(to.key(), true)];
    call(anchor_lang::system_program::ID, metas, data, &[from.clone(), to.clone()], seeds)
}

/// Moves `lamports` from the system account `from` to `to`.
pub fn transfer<'info>(from: &AccountInfo<'info>, to: &AccountInfo<'info>, lamports: u64, seeds: Seeds) -> Result<()> {
    let mut data = system_data(TRANSFER, 12);
    data.extend_from_slice(&lamports.to_le_bytes());
    let metas = vec![AccountMeta::new(from.key(), true), AccountMeta::new(to.key(), false)];
    call(anchor_lang::system_program::ID, metas, data, &[from.clone(), to.clone()], seeds)
}

/// Gives the system account `account` `space` bytes of data.
pub fn allocate<'info>(account: &AccountInfo<'info>, space: u64, seeds: Seeds) -> Result<()> {
    let mut data = system_data(ALLOCATE, 12);
    data.extend_from_slice(&space.to_le_bytes());
    call(anchor_lang::system_program::ID, vec![AccountMeta::new(account.key(), true)], data, &[account.clone()], seeds)
}

/// Makes `owner` the owner of the system account `account`.
pub fn assign<'info>(account: &AccountInfo<'info>, owner: &Pubkey, seeds: Seeds) -> Result<()> {
    let mut data = system_data(ASSIGN, 36);
    data.extend_from_slice(owner.as_ref());
    call(anchor_lang::system_program::ID, vec![AccountMeta::new(account.key(), true)], data, &[account.clone()], seeds)
}

/// Token accounts and amounts of a `transfer_checked`.
pub struct TokenTransfer<'a, 'info> {
    pub token_program: &'a Pubkey,
    pub from: &'a AccountInfo<'info>,
    pub mint: &'a AccountInfo<'info>,
    pub to: &'a AccountInfo<'info>,
    pub authority: &'a AccountInfo<'info>,
    pub decimals: u8,
}

impl TokenTransfer<'_, '_> {
    /// Moves `amount` base units, the token program checking the mint and its decimals.
    pub fn send(&self, amount: u64, seeds: Seeds) -> Result<()> {
        let mut data = Vec::with_capacity(10);
        data.push(TRANSFER_CHECKED);
        data.extend_from_slice(&amount.to_le_bytes());
        data.push(self.decimals);
        let metas = vec![
            AccountMeta::new(self.from.key(), false),
            AccountMeta::new_readonly(self.mint.key(), false),
            AccountMeta::new(self.to.key(), false),
            AccountMeta::new_readonly(self.authority.key(), true),
        ];
        let accounts = [self.from.clone(), self.mint.clone(), self.to.clone(), self.authority.clone()];
        call(*self.token_program, metas, data, &accounts, seeds)
    }
}

/// Closes the empty token account `account`, its lamports to `destination`, signed by its owner.
pub fn close_token_account<'info>(
    token_program: &Pubkey,
    account: &AccountInfo<'info>,
    destination: &AccountInfo<'info>,
    owner: &AccountInfo<'info>,
    seeds: Seeds,
) -> Result<()> {
    let metas = vec![
        AccountMeta::new(account.key(), false),
        AccountMeta::new(destination.key(), false),
        AccountMeta::new_readonly(owner.key(), true),
    ];
    call(*token_program, metas, vec![CLOSE_ACCOUNT], &[account.clone(), destination.clone(), owner.clone()], seeds)
}

/// Initialises the new token account `account` in `mint`, held by `owner`.
pub fn initialize_token_account<'info>(token_program: &Pubkey, account: &AccountInfo<'info>, mint: &AccountInfo<'info>, owner: &Pubkey) -> Result<()> {
    let mut data = Vec::with_capacity(33);
    data.push(INITIALIZE_ACCOUNT_3);
    data.extend_from_slice(owner.as_ref());
    let metas = vec![AccountMeta::new(account.key(), false), AccountMeta::new_readonly(mint.key(), false)];
    call(*token_program, metas, data, &[account.clone(), mint.clone()], &[])
}

#[cfg(test)]
mod tests {
    //! The data written here against the instruction builders of the programs' own crates; the account
    //! lists are exercised by every token and lamport path of the program suite.
    use super::*;
    use anchor_spl::token_2022::spl_token_2022::instruction as token;

    #[test]
    fn system_instructions_are_the_system_programs() {
        let (a, b, owner) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        use anchor_lang::solana_program::system_instruction as system;
        let mut create = system_data(CREATE_ACCOUNT, 52);
        create.extend_from_slice(&7u64.to_le_bytes());
        create.extend_from_slice(&165u64.to_le_bytes());
        create.extend_from_slice(owner.as_ref());
        assert_eq!(create, system::create_account(&a, &b, 7, 165, &owner).data);
        let mut transfer = system_data(TRANSFER, 12);
        transfer.extend_from_slice(&9u64.to_le_bytes());
        assert_eq!(transfer, system::transfer(&a, &b, 9).data);
        let mut allocate = system_data(ALLOCATE, 12);
        allocate.extend_from_slice(&616u64.to_le_bytes());
        assert_eq!(allocate, system::allocate(&a, 616).data);
        let mut assign = system_data(ASSIGN, 36);
        assign.extend_from_slice(owner.as_ref());
        assert_eq!(assign, system::assign(&a, &owner).data);
    }

    #[test]
    fn token_instructions_are_the_token_programs() {
        let (account, mint, to, owner) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let program = anchor_spl::token::ID;
        let expected = token::transfer_checked(&program, &account, &mint, &to, &owner, &[], 1_234_567, 6).unwrap();
        let mut data = vec![TRANSFER_CHECKED];
        data.extend_from_slice(&1_234_567u64.to_le_bytes());
        data.push(6);
        assert_eq!(data, expected.data);
        assert_eq!(vec![CLOSE_ACCOUNT], token::close_account(&program, &account, &to, &owner, &[]).unwrap().data);
        let mut init = vec![INITIALIZE_ACCOUNT_3];
        init.extend_from_slice(owner.as_ref());
        assert_eq!(init, token::initialize_account3(&program, &account, &mint, &owner).unwrap().data);
    }
}
