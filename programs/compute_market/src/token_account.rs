//! SPL Token and Token-2022 accounts read in place. The program needs four fields of a token account
//! (mint, owner, amount, frozen) and one of a mint (decimals); reading them where they lie costs a few
//! loads, where deserialising the whole account through the Token-2022 extension parser cost about a
//! thousand compute units per account and a good part of the program's size.
//!
//! Both token programs lay out the base of their accounts the same way (`spl_token_interface::state`):
//! a token account's 165 bytes, a mint's 82. A Token-2022 account with extensions is longer: the base,
//! padding up to byte 165, then a byte naming the account type (1 a mint, 2 a token account), then its
//! extensions. An account is taken as a token account or a mint only if the token program passed owns
//! it and its length and type byte say so: a mint can never pass for a token account, nor the reverse.

use anchor_lang::prelude::*;

use crate::error::MarketError;

/// Bytes of a token account without extensions, the size of every vault token account.
pub const TOKEN_ACCOUNT_LEN: usize = 165;
const MINT_LEN: usize = 82;
/// Where Token-2022 writes the account type of an account with extensions.
const ACCOUNT_TYPE_AT: usize = TOKEN_ACCOUNT_LEN;
const ACCOUNT_TYPE_MINT: u8 = 1;
const ACCOUNT_TYPE_TOKEN_ACCOUNT: u8 = 2;

// Offsets in a token account: mint, owner, amount, then (after the delegate) the state.
const MINT_AT: usize = 0;
const OWNER_AT: usize = 32;
const AMOUNT_AT: usize = 64;
const STATE_AT: usize = 108;
const STATE_INITIALIZED: u8 = 1;
const STATE_FROZEN: u8 = 2;

// Offsets in a mint: decimals, then whether it is initialised.
const DECIMALS_AT: usize = 44;
const MINT_INITIALIZED_AT: usize = 45;

/// The fields of a token account the program uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenAccountState {
    pub mint: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub frozen: bool,
}

/// Whether `data` has the length and type byte of a `kind` account of `base_len` bytes.
fn is_kind(data: &[u8], base_len: usize, kind: u8) -> bool {
    data.len() == base_len || (data.len() > ACCOUNT_TYPE_AT && data[ACCOUNT_TYPE_AT] == kind)
}

fn pubkey_at(data: &[u8], at: usize) -> Pubkey {
    Pubkey::new_from_array(data[at..at + 32].try_into().expect("32 bytes"))
}

/// The initialised token account `account`, owned by `token_program`; anything else is
/// `WrongTokenAccount`.
pub fn read_token_account(account: &AccountInfo, token_program: &Pubkey) -> Result<TokenAccountState> {
    ensure!(*account.owner == *token_program, MarketError::WrongTokenAccount);
    let data = account.try_borrow_data()?;
    ensure!(is_kind(&data, TOKEN_ACCOUNT_LEN, ACCOUNT_TYPE_TOKEN_ACCOUNT), MarketError::WrongTokenAccount);
    let state = data[STATE_AT];
    ensure!(state == STATE_INITIALIZED || state == STATE_FROZEN, MarketError::WrongTokenAccount);
    Ok(TokenAccountState {
        mint: pubkey_at(&data, MINT_AT),
        owner: pubkey_at(&data, OWNER_AT),
        amount: u64::from_le_bytes(data[AMOUNT_AT..AMOUNT_AT + 8].try_into().expect("8 bytes")),
        frozen: state == STATE_FROZEN,
    })
}

/// The decimals of the initialised mint `mint`, owned by `token_program`; anything else is `WrongMint`.
pub fn read_mint_decimals(mint: &AccountInfo, token_program: &Pubkey) -> Result<u8> {
    ensure!(*mint.owner == *token_program, MarketError::WrongMint);
    let data = mint.try_borrow_data()?;
    ensure!(is_kind(&data, MINT_LEN, ACCOUNT_TYPE_MINT) && data[MINT_INITIALIZED_AT] == 1, MarketError::WrongMint);
    Ok(data[DECIMALS_AT])
}

/// `owner`'s token account in `mint`, not frozen: `WrongTokenAccount` or `TokenAccountFrozen` otherwise.
pub fn read_owned(account: &AccountInfo, token_program: &Pubkey, owner: &Pubkey, mint: &Pubkey) -> Result<TokenAccountState> {
    let state = read_token_account(account, token_program)?;
    ensure!(state.owner == *owner && state.mint == *mint, MarketError::WrongTokenAccount);
    ensure!(!state.frozen, MarketError::TokenAccountFrozen);
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::token_2022::spl_token_2022::extension::{BaseState, BaseStateWithExtensionsMut, ExtensionType, StateWithExtensionsMut};
    use anchor_spl::token_2022::spl_token_2022::state::{Account, AccountState, Mint};
    use anchor_lang::solana_program::program_option::COption;
    use anchor_lang::solana_program::program_pack::Pack;

    const TOKEN: Pubkey = anchor_spl::token::ID;

    /// `state` as its token program writes it: plain, or extended with `extension`.
    fn packed<S: BaseState + Pack>(state: S, extension: Option<ExtensionType>) -> Vec<u8> {
        let Some(extension) = extension else {
            let mut data = vec![0; S::LEN];
            S::pack(state, &mut data).unwrap();
            return data;
        };
        let mut data = vec![0; ExtensionType::try_calculate_account_len::<S>(&[extension]).unwrap()];
        let mut extended = StateWithExtensionsMut::<S>::unpack_uninitialized(&mut data).unwrap();
        extended.base = state;
        extended.pack_base();
        extended.init_account_type().unwrap();
        data
    }

    fn token_account_bytes(state: AccountState, extended: bool) -> Vec<u8> {
        let account = Account {
            mint: Pubkey::new_from_array([1; 32]),
            owner: Pubkey::new_from_array([2; 32]),
            amount: 0x0102_0304_0506_0708,
            delegate: COption::Some(Pubkey::new_from_array([3; 32])),
            state,
            is_native: COption::None,
            delegated_amount: 9,
            close_authority: COption::Some(Pubkey::new_from_array([4; 32])),
        };
        packed(account, extended.then_some(ExtensionType::ImmutableOwner))
    }

    fn mint_bytes(extended: bool) -> Vec<u8> {
        let mint = Mint { mint_authority: COption::None, supply: 5, decimals: 6, is_initialized: true, freeze_authority: COption::Some(Pubkey::new_from_array([7; 32])) };
        packed(mint, extended.then_some(ExtensionType::MintCloseAuthority))
    }

    fn with_account<R>(owner: &Pubkey, data: &mut [u8], f: impl FnOnce(&AccountInfo) -> R) -> R {
        let key = Pubkey::new_unique();
        let mut lamports = 1;
        let info = AccountInfo::new(&key, false, true, &mut lamports, data, owner, false);
        f(&info)
    }

    fn error_of<T: std::fmt::Debug>(result: Result<T>) -> u32 {
        match result.unwrap_err() {
            anchor_lang::error::Error::AnchorError(error) => error.error_code_number,
            other => panic!("not an Anchor error: {other:?}"),
        }
    }

    #[test]
    fn reads_the_fields_the_token_program_wrote_plain_and_extended() {
        for extended in [false, true] {
            for (state, frozen) in [(AccountState::Initialized, false), (AccountState::Frozen, true)] {
                let mut data = token_account_bytes(state, extended);
                let read = with_account(&TOKEN, &mut data, |info| read_token_account(info, &TOKEN)).unwrap();
                assert_eq!(
                    read,
                    TokenAccountState {
                        mint: Pubkey::new_from_array([1; 32]),
                        owner: Pubkey::new_from_array([2; 32]),
                        amount: 0x0102_0304_0506_0708,
                        frozen,
                    }
                );
            }
            let mut mint = mint_bytes(extended);
            assert_eq!(with_account(&TOKEN, &mut mint, |info| read_mint_decimals(info, &TOKEN)).unwrap(), 6);
        }
    }

    #[test]
    fn refuses_what_is_not_an_initialised_token_account_of_the_program() {
        let wrong = MarketError::WrongTokenAccount as u32 + 6000;
        let mut uninitialised = token_account_bytes(AccountState::Uninitialized, false);
        assert_eq!(error_of(with_account(&TOKEN, &mut uninitialised, |info| read_token_account(info, &TOKEN))), wrong);
        let mut other_owner = token_account_bytes(AccountState::Initialized, false);
        let stranger = Pubkey::new_unique();
        assert_eq!(error_of(with_account(&stranger, &mut other_owner, |info| read_token_account(info, &TOKEN))), wrong);
        // A mint, plain or extended, is not a token account; nor is a token account of the wrong length.
        for extended in [false, true] {
            let mut mint = mint_bytes(extended);
            assert_eq!(error_of(with_account(&TOKEN, &mut mint, |info| read_token_account(info, &TOKEN))), wrong);
        }
        let mut short = token_account_bytes(AccountState::Initialized, false);
        short.truncate(TOKEN_ACCOUNT_LEN - 1);
        assert_eq!(error_of(with_account(&TOKEN, &mut short, |info| read_token_account(info, &TOKEN))), wrong);
        let mut state_out_of_range = token_account_bytes(AccountState::Initialized, false);
        state_out_of_range[STATE_AT] = 3;
        assert_eq!(error_of(with_account(&TOKEN, &mut state_out_of_range, |info| read_token_account(info, &TOKEN))), wrong);
    }

    #[test]
    fn refuses_what_is_not_an_initialised_mint_of_the_program() {
        let wrong = MarketError::WrongMint as u32 + 6000;
        for extended in [false, true] {
            let mut account = token_account_bytes(AccountState::Initialized, extended);
            assert_eq!(error_of(with_account(&TOKEN, &mut account, |info| read_mint_decimals(info, &TOKEN))), wrong);
            let mut uninitialised = mint_bytes(extended);
            uninitialised[MINT_INITIALIZED_AT] = 0;
            assert_eq!(error_of(with_account(&TOKEN, &mut uninitialised, |info| read_mint_decimals(info, &TOKEN))), wrong);
        }
        let mut mint = mint_bytes(false);
        let stranger = Pubkey::new_unique();
        assert_eq!(error_of(with_account(&stranger, &mut mint, |info| read_mint_decimals(info, &TOKEN))), wrong);
    }

    #[test]
    fn an_owned_account_must_be_the_owners_in_the_mint_and_not_frozen() {
        let (mint, owner) = (Pubkey::new_from_array([1; 32]), Pubkey::new_from_array([2; 32]));
        let mut data = token_account_bytes(AccountState::Initialized, false);
        assert!(with_account(&TOKEN, &mut data, |info| read_owned(info, &TOKEN, &owner, &mint)).is_ok());
        let wrong = MarketError::WrongTokenAccount as u32 + 6000;
        assert_eq!(error_of(with_account(&TOKEN, &mut data, |info| read_owned(info, &TOKEN, &mint, &mint))), wrong);
        assert_eq!(error_of(with_account(&TOKEN, &mut data, |info| read_owned(info, &TOKEN, &owner, &owner))), wrong);
        let mut frozen = token_account_bytes(AccountState::Frozen, false);
        let frozen_error = MarketError::TokenAccountFrozen as u32 + 6000;
        assert_eq!(error_of(with_account(&TOKEN, &mut frozen, |info| read_owned(info, &TOKEN, &owner, &mint))), frozen_error);
    }
}
