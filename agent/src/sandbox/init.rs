//! The first program of every sandboxed workload, run inside bubblewrap's namespaces: it restricts
//! itself with Landlock (the filesystem to the system directories read-only and the job's own
//! directories writable; no signals or abstract sockets outside the sandbox; no TCP at all unless the
//! job has network) and the seccomp filter, then executes the job's command. Mounting is impossible
//! under Landlock, so this must run after bubblewrap has built the job's filesystem view.
//!
//! The init is the agent's own executable, started with [`INIT_ARG`]: every binary that hosts an agent
//! calls [`enter_if_requested`] first thing in `main`.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::Command;

use landlock::{
    path_beneath_rules, Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetStatus, Scope, ABI,
};

use super::seccomp;

/// argv[1] that turns the hosting executable into the sandbox's init.
pub const INIT_ARG: &str = "__compute-market-sandbox-init";
/// Exit code when the sandbox could not be completed: the command was not run.
pub const SANDBOX_FAILED: i32 = 125;
/// Exit code when the command itself could not be executed.
pub const CANNOT_EXECUTE: i32 = 127;

/// Readable (and executable) inside the sandbox.
const READ_ONLY: &[&str] = &["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/proc", "/dev", "/.sandbox-init"];
/// Writable inside the sandbox.
const WRITABLE: &[&str] = &["/work", "/tmp", "/dev/shm", "/dev/null", "/dev/zero", "/dev/full", "/dev/tty", "/dev/pts", "/dev/ptmx"];

/// What the init is told by the agent.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    network: bool,
    probe: bool,
    devices: Vec<String>,
    command: Vec<OsString>,
}

fn parse(args: &[OsString]) -> Result<Options, String> {
    let mut options = Options { network: false, probe: false, devices: vec![], command: vec![] };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.to_str() {
            Some("--network") => options.network = true,
            Some("--probe") => options.probe = true,
            Some("--device") => options.devices.push(rest.next().and_then(|d| d.to_str()).ok_or("--device needs a path")?.to_string()),
            Some("--") => {
                options.command = rest.cloned().collect();
                break;
            }
            _ => return Err(format!("unknown sandbox init argument {arg:?}")),
        }
    }
    if options.command.is_empty() && !options.probe {
        return Err("no command given".into());
    }
    Ok(options)
}

/// Runs as the sandbox's init when the process was started as one; otherwise returns at once.
pub fn enter_if_requested() {
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).and_then(|a| a.to_str()) == Some(INIT_ARG) {
        std::process::exit(init(&args[2..]));
    }
}

fn init(args: &[OsString]) -> i32 {
    let options = match parse(args) {
        Ok(options) => options,
        Err(reason) => {
            eprintln!("sandbox: {reason}; the job was not run");
            return SANDBOX_FAILED;
        }
    };
    let landlock = match restrict(&options) {
        Ok(landlock) => landlock,
        Err(reason) => {
            eprintln!("sandbox: {reason}; the job was not run");
            return SANDBOX_FAILED;
        }
    };
    if options.probe {
        println!("{landlock}");
        return 0;
    }
    let error = Command::new(&options.command[0]).args(&options.command[1..]).exec();
    eprintln!("sandbox: cannot run {:?}: {error}", options.command[0]);
    CANNOT_EXECUTE
}

/// Landlock (as far as the kernel has it), then seccomp. Returns Landlock's status in words.
fn restrict(options: &Options) -> Result<String, String> {
    let landlock = landlock(options).map_err(|e| format!("Landlock: {e}"))?;
    seccomp::install()?;
    Ok(landlock)
}

fn landlock(options: &Options) -> Result<String, landlock::RulesetError> {
    let abi = ABI::V6;
    let mut ruleset = Ruleset::default().handle_access(AccessFs::from_all(abi))?.scope(Scope::Signal | Scope::AbstractUnixSocket)?;
    if !options.network {
        // Handled with no rule: every TCP bind and connect is refused.
        ruleset = ruleset.handle_access(AccessNet::from_all(abi))?;
    }
    let writable = WRITABLE.iter().map(|p| p.to_string()).chain(options.devices.iter().cloned());
    let status = ruleset
        .create()?
        .add_rules(path_beneath_rules(READ_ONLY, AccessFs::from_read(abi)))?
        .add_rules(path_beneath_rules(writable, AccessFs::from_all(abi)))?
        .restrict_self()?;
    Ok(match status.ruleset {
        RulesetStatus::FullyEnforced => "landlock: fully enforced".into(),
        RulesetStatus::PartiallyEnforced => "landlock: partially enforced (this kernel has an older Landlock)".into(),
        RulesetStatus::NotEnforced => "landlock: not enforced (this kernel has no Landlock)".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn reads_what_the_agent_passes() {
        let options = parse(&args(&["--network", "--device", "/dev/nvidia0", "--", "sh", "-c", "true"])).unwrap();
        assert_eq!(
            options,
            Options { network: true, probe: false, devices: vec!["/dev/nvidia0".into()], command: args(&["sh", "-c", "true"]) }
        );
        assert_eq!(parse(&args(&["--probe"])).unwrap().probe, true);
        assert_eq!(parse(&args(&["--", "x"])).unwrap().network, false);
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        assert_eq!(parse(&args(&["--share-everything", "--", "sh"])).unwrap_err(), "unknown sandbox init argument \"--share-everything\"");
        assert_eq!(parse(&args(&["--network"])).unwrap_err(), "no command given");
        assert_eq!(parse(&args(&["--device"])).unwrap_err(), "--device needs a path");
    }
}
