//! Builds the compute_market IDL without the Anchor CLI and writes it to `idl/compute_market.json`,
//! or with `--check` fails if the committed file differs from a fresh build.
//!
//! The IDL comes from compiling the program with `idl-build` and running Anchor's IDL print tests,
//! exactly as `anchor idl build` does. It uses its own target directory, since its RUSTFLAGS differ.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anchor_lang_idl::build::IdlBuilder;

const IDL_PATH: &str = "idl/compute_market.json";
const PROGRAM_PATH: &str = "programs/compute_market";

fn main() -> ExitCode {
    let check = std::env::args().skip(1).any(|arg| arg == "--check");
    let root = workspace_root();
    // A toolchain pinned by rustup's proxy would be passed on as `cargo +toolchain`; the default one is meant.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let target_dir = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"));

    let idl = match IdlBuilder::new()
        .program_path(root.join(PROGRAM_PATH))
        .skip_lint(false)
        .cargo_args(vec!["--target-dir".into(), target_dir.join("idl").display().to_string()])
        .build()
    {
        Ok(idl) => idl,
        Err(err) => {
            eprintln!("error: building the IDL failed: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let json = serde_json::to_string_pretty(&idl).expect("an IDL always serializes") + "\n";
    let path = root.join(IDL_PATH);

    if check {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != json {
            eprintln!("error: {IDL_PATH} is stale: the program's interface changed; run `make idl` and commit the result");
            return ExitCode::FAILURE;
        }
        println!("{IDL_PATH} is up to date");
    } else {
        std::fs::create_dir_all(path.parent().expect("IDL path has a parent")).expect("create idl/");
        std::fs::write(&path, json).expect("write IDL");
        println!("wrote {IDL_PATH}");
    }
    ExitCode::SUCCESS
}

/// The workspace of the checkout being built: `cargo run` names this crate's folder at run time. The
/// compile-time folder is only a fallback, since a shared target directory may hold a binary built from
/// another checkout.
fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    Path::new(&manifest_dir).join("../..").canonicalize().expect("workspace root")
}
