//! The program's data account under the upgradeable loader, read in place: the loader stores
//! `UpgradeableLoaderState::ProgramData` (bincode) before the ELF, a u32 variant (3), the slot of the
//! deployment (u64) and the upgrade authority as an option (a tag byte, then the key). Reading those
//! 45 bytes directly spares the program a bincode deserialiser (and the float formatting its error
//! messages carry), about a twentieth of its size.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;

use crate::error::MarketError;

const PROGRAM_DATA_VARIANT: u32 = 3;
const AUTHORITY_TAG_AT: usize = 4 + 8;
const AUTHORITY_AT: usize = AUTHORITY_TAG_AT + 1;
const METADATA_LEN: usize = AUTHORITY_AT + 32;

/// The upgrade authority the program data account `account` names; `None` for an immutable program.
/// Anything but a program data account of the upgradeable loader is `WrongProgramData`.
pub fn upgrade_authority(account: &AccountInfo) -> Result<Option<Pubkey>> {
    ensure!(*account.owner == bpf_loader_upgradeable::ID, MarketError::WrongProgramData);
    let data = account.try_borrow_data()?;
    ensure!(data.len() >= METADATA_LEN, MarketError::WrongProgramData);
    ensure!(data[..4] == PROGRAM_DATA_VARIANT.to_le_bytes(), MarketError::WrongProgramData);
    match data[AUTHORITY_TAG_AT] {
        0 => Ok(None),
        1 => Ok(Some(Pubkey::new_from_array(data[AUTHORITY_AT..METADATA_LEN].try_into().expect("32 bytes")))),
        _ => Err(Error::from(MarketError::WrongProgramData)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::solana_program::bpf_loader_upgradeable::UpgradeableLoaderState;

    fn read(owner: &Pubkey, data: &mut [u8]) -> Result<Option<Pubkey>> {
        let key = Pubkey::new_unique();
        let mut lamports = 1;
        upgrade_authority(&AccountInfo::new(&key, false, false, &mut lamports, data, owner, false))
    }

    /// An account as the loader lays it out: the state, then (for program data, from byte 45) the ELF.
    fn loader_state(state: &UpgradeableLoaderState) -> Vec<u8> {
        let mut data = vec![0x7f; METADATA_LEN + 16];
        bincode::serialize_into(&mut data[..], state).expect("loader state");
        data
    }

    fn code_of(result: Result<Option<Pubkey>>) -> u32 {
        match result.unwrap_err() {
            anchor_lang::error::Error::AnchorError(error) => error.error_code_number,
            other => panic!("not an Anchor error: {other:?}"),
        }
    }

    #[test]
    fn reads_the_authority_the_loader_wrote() {
        let authority = Pubkey::new_unique();
        for named in [Some(authority), None] {
            let mut data = loader_state(&UpgradeableLoaderState::ProgramData { slot: 77, upgrade_authority_address: named });
            assert_eq!(read(&bpf_loader_upgradeable::ID, &mut data).unwrap(), named);
        }
    }

    #[test]
    fn refuses_anything_else() {
        let wrong = MarketError::WrongProgramData as u32 + 6000;
        let authority = Some(Pubkey::new_unique());
        let mut program_data = loader_state(&UpgradeableLoaderState::ProgramData { slot: 1, upgrade_authority_address: authority });
        assert_eq!(code_of(read(&Pubkey::new_unique(), &mut program_data.clone())), wrong, "another owner");
        let mut program = loader_state(&UpgradeableLoaderState::Program { programdata_address: Pubkey::new_unique() });
        assert_eq!(code_of(read(&bpf_loader_upgradeable::ID, &mut program)), wrong, "the program account, not its data");
        let mut buffer = loader_state(&UpgradeableLoaderState::Buffer { authority_address: authority });
        assert_eq!(code_of(read(&bpf_loader_upgradeable::ID, &mut buffer)), wrong, "a buffer");
        let mut short = program_data[..METADATA_LEN - 1].to_vec();
        assert_eq!(code_of(read(&bpf_loader_upgradeable::ID, &mut short)), wrong, "cut short");
        program_data[AUTHORITY_TAG_AT] = 2;
        assert_eq!(code_of(read(&bpf_loader_upgradeable::ID, &mut program_data)), wrong, "an option tag that is neither");
    }
}
