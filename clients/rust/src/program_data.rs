//! The program's data account under the upgradeable loader (`pda::program_data()`): the account that
//! names its upgrade authority, the only key initialize_market accepts as the market's first admin.

use anchor_lang::prelude::{Pubkey, ProgramData};
use anchor_lang::AccountDeserialize;

/// The upgradeable loader (v3), which owns program data accounts.
pub const LOADER: Pubkey = anchor_lang::solana_program::bpf_loader_upgradeable::ID;

/// Bytes of the metadata before the program's ELF: the loader state's variant (u32), the slot of the
/// deployment (u64), and the upgrade authority as an option (one tag byte, then the key).
pub const METADATA_LEN: usize = 4 + 8 + 1 + 32;

/// `UpgradeableLoaderState::ProgramData` as the loader stores it (bincode), padded to METADATA_LEN; the
/// program's ELF follows it in the account.
pub fn metadata(slot: u64, upgrade_authority: Option<&Pubkey>) -> [u8; METADATA_LEN] {
    const PROGRAM_DATA_VARIANT: u32 = 3;
    let mut bytes = [0u8; METADATA_LEN];
    bytes[..4].copy_from_slice(&PROGRAM_DATA_VARIANT.to_le_bytes());
    bytes[4..12].copy_from_slice(&slot.to_le_bytes());
    if let Some(authority) = upgrade_authority {
        bytes[12] = 1;
        bytes[13..].copy_from_slice(authority.as_ref());
    }
    bytes
}

/// The upgrade authority a program data account names; `None` for an immutable program.
pub fn upgrade_authority(data: &[u8]) -> Result<Option<Pubkey>, String> {
    let program_data = ProgramData::try_deserialize(&mut &data[..])
        .map_err(|_| "not the program data of an upgradeable program".to_string())?;
    Ok(program_data.upgrade_authority_address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_reads_back_as_the_loader_state() {
        let authority = Pubkey::new_from_array([7; 32]);
        let mut account = metadata(42, Some(&authority)).to_vec();
        account.extend_from_slice(b"\x7fELF...");
        let read = ProgramData::try_deserialize(&mut &account[..]).unwrap();
        assert_eq!((read.slot, read.upgrade_authority_address), (42, Some(authority)));
        assert_eq!(upgrade_authority(&metadata(0, None)).unwrap(), None, "an immutable program");
        assert!(upgrade_authority(&[2, 0, 0, 0]).is_err(), "the program account, not its data");
    }
}
