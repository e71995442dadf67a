//! Starting and stopping the node, with compute_market deployed as an upgradeable program whose upgrade
//! authority is the key that creates the market (initialize_market requires it).

use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::Duration;

use compute_market_client::{pda, program_data};
use crossbeam_channel::{unbounded, Receiver, RecvTimeoutError, Sender};
use solana_keypair::Address as Pubkey;
use surfpool_core::runloops::start_local_surfnet_runloop;
use surfpool_core::surfnet::locker::SurfnetSvmLocker;
use surfpool_core::surfnet::svm::{SurfnetSvm, SurfnetSvmConfig};
use surfpool_types::types::{RpcConfig, SimnetConfig};
use surfpool_types::{SimnetCommand, SimnetEvent, SurfpoolConfig};

const READY_WITHIN: Duration = Duration::from_secs(60);
const STOP_WITHIN: Duration = Duration::from_secs(10);

/// Which build of compute_market the node runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgramSource {
    /// The sBPF artifact, executed by the SVM with compute metering, logs and events.
    Artifact(PathBuf),
    /// The program compiled into this binary, run as a builtin: no metering, no logs, no events.
    Native,
}

impl ProgramSource {
    /// The artifact at `path` when it exists, the native build otherwise.
    pub fn artifact_or_native(path: PathBuf) -> ProgramSource {
        if path.is_file() { ProgramSource::Artifact(path) } else { ProgramSource::Native }
    }

    pub fn describe(&self) -> String {
        match self {
            ProgramSource::Artifact(path) => format!("sBPF artifact {}", path.display()),
            ProgramSource::Native => "native build (no sBPF artifact found; no logs, events or compute metering)".into(),
        }
    }
}

/// Milliseconds per slot, as on the clusters.
pub const SLOT_TIME_MS: u64 = 400;

#[derive(Clone, Debug)]
pub struct NodeConfig {
    pub host: String,
    pub rpc_port: u16,
    pub ws_port: u16,
    pub program: ProgramSource,
    /// Milliseconds per slot; the clock advances in real time.
    pub slot_time_ms: u64,
    /// The program's upgrade authority, named in its program data: the only key that may create the
    /// market, which then becomes its admin.
    pub upgrade_authority: Pubkey,
}

impl NodeConfig {
    /// The usual local ports, 8899 (JSON-RPC) and 8900 (WebSocket).
    pub fn standard(program: ProgramSource, upgrade_authority: Pubkey) -> NodeConfig {
        NodeConfig { host: "127.0.0.1".into(), rpc_port: 8899, ws_port: 8900, program, slot_time_ms: SLOT_TIME_MS, upgrade_authority }
    }

    /// Free ports picked by the OS, for tests that run side by side.
    pub fn on_free_ports(program: ProgramSource, upgrade_authority: Pubkey) -> std::io::Result<NodeConfig> {
        Ok(NodeConfig { rpc_port: free_port()?, ws_port: free_port()?, ..NodeConfig::standard(program, upgrade_authority) })
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A running node; stopped when dropped.
pub struct Localnet {
    pub rpc_url: String,
    pub ws_url: String,
    pub program: ProgramSource,
    commands: Sender<SimnetCommand>,
    runloop: Option<JoinHandle<()>>,
}

impl Localnet {
    /// Starts the node and returns once its RPC server answers.
    pub fn start(config: NodeConfig) -> Result<Localnet, String> {
        let svm_config = SurfnetSvmConfig { slot_time: config.slot_time_ms, ..SurfnetSvmConfig::default() };
        let (mut svm, events, geyser_events) = SurfnetSvm::new(svm_config).map_err(|e| format!("SVM: {e}"))?;
        load_program(&mut svm, &config.program, &config.upgrade_authority)?;

        let surfpool_config = SurfpoolConfig {
            simnets: vec![SimnetConfig {
                offline_mode: true,
                remote_rpc_url: None,
                slot_time: config.slot_time_ms,
                ..SimnetConfig::default()
            }],
            rpc: RpcConfig { bind_host: config.host.clone(), bind_port: config.rpc_port, ws_port: config.ws_port, ..RpcConfig::default() },
            ..SurfpoolConfig::default()
        };
        let (commands, commands_rx) = unbounded();
        let locker = SurfnetSvmLocker::new(svm);
        let runloop_commands = commands.clone();
        let runloop = std::thread::Builder::new()
            .name("surfnet".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
                let run = start_local_surfnet_runloop(locker, surfpool_config, runloop_commands, commands_rx, geyser_events);
                if let Err(error) = runtime.block_on(run) {
                    eprintln!("localnet: the node stopped: {error}");
                }
            })
            .map_err(|e| format!("spawn: {e}"))?;
        wait_until_started(&events)?;
        std::thread::spawn(move || drain(events));
        Ok(Localnet {
            rpc_url: format!("http://{}:{}", config.host, config.rpc_port),
            ws_url: format!("ws://{}:{}", config.host, config.ws_port),
            program: config.program,
            commands,
            runloop: Some(runloop),
        })
    }

    /// Blocks until the node stops (it runs until the process is interrupted).
    pub fn wait(mut self) {
        if let Some(runloop) = self.runloop.take() {
            let _ = runloop.join();
        }
    }
}

impl Drop for Localnet {
    fn drop(&mut self) {
        let Some(runloop) = self.runloop.take() else { return };
        let _ = self.commands.send(SimnetCommand::Terminate(None));
        let deadline = std::time::Instant::now() + STOP_WITHIN;
        while !runloop.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Deploys the program as the upgradeable loader (v3) does on a cluster: the artifact as a program
/// account and a program data account holding the ELF after its metadata; the native build as a builtin
/// with a program data account of metadata alone. Either way the metadata names `upgrade_authority`.
fn load_program(svm: &mut SurfnetSvm, program: &ProgramSource, upgrade_authority: &Pubkey) -> Result<(), String> {
    let program_data = match program {
        ProgramSource::Artifact(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            // LiteSVM deploys under the upgradeable loader with no upgrade authority; the metadata is
            // rewritten to name it, the ELF after it left as deployed.
            svm.inner.svm.add_program(compute_market::ID, &bytes).map_err(|e| format!("loading {}: {e:?}", path.display()))?;
            let mut account = svm.inner.svm.get_account(&pda::program_data()).ok_or("the artifact was deployed without program data")?;
            account.data[..program_data::METADATA_LEN].copy_from_slice(&program_data::metadata(0, Some(upgrade_authority)));
            account
        }
        ProgramSource::Native => {
            install_native_syscalls()?;
            svm.inner.svm.add_builtin(compute_market::ID, compute_market_native::builtin());
            // A builtin has no ELF: its program data is the metadata alone.
            let data = program_data::metadata(0, Some(upgrade_authority)).to_vec();
            surfpool_core::solana_account::Account {
                lamports: svm.inner.svm.minimum_balance_for_rent_exemption(data.len()),
                data,
                owner: program_data::LOADER,
                executable: false,
                rent_epoch: u64::MAX,
            }
        }
    };
    svm.set_account(&pda::program_data(), program_data).map_err(|e| format!("setting the program data: {e}"))
}

/// Starting solana-program-test once installs the process-wide syscall stubs through which a native
/// program reads sysvars and makes CPIs; the bridge then serves them to the SDK version Anchor uses.
fn install_native_syscalls() -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async { drop(solana_program_test::ProgramTest::default().start().await) });
    compute_market_native::syscall_bridge::install();
    Ok(())
}

fn wait_until_started(events: &Receiver<SimnetEvent>) -> Result<(), String> {
    let deadline = std::time::Instant::now() + READY_WITHIN;
    loop {
        match events.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(SimnetEvent::CoreStarted(_)) => return Ok(()),
            Ok(SimnetEvent::Aborted(reason)) => return Err(format!("the node aborted: {reason}")),
            Ok(SimnetEvent::ErrorLog(_, message)) => eprintln!("localnet: {message}"),
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout) => return Err(format!("the node did not start within {READY_WITHIN:?}")),
            Err(RecvTimeoutError::Disconnected) => return Err("the node stopped while starting".into()),
        }
    }
}

/// Keeps the event channel flowing and reports the node's own errors.
fn drain(events: Receiver<SimnetEvent>) {
    for event in events {
        if let SimnetEvent::ErrorLog(_, message) | SimnetEvent::Aborted(message) = event {
            eprintln!("localnet: {message}");
        }
    }
}
