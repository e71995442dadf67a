//! Starting and stopping the node.

use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{unbounded, Receiver, RecvTimeoutError, Sender};
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

#[derive(Clone, Debug)]
pub struct NodeConfig {
    pub host: String,
    pub rpc_port: u16,
    pub ws_port: u16,
    pub program: ProgramSource,
    /// Milliseconds per slot; the clock advances in real time.
    pub slot_time_ms: u64,
}

impl NodeConfig {
    /// The usual local ports, 8899 (JSON-RPC) and 8900 (WebSocket).
    pub fn standard(program: ProgramSource) -> NodeConfig {
        NodeConfig { host: "127.0.0.1".into(), rpc_port: 8899, ws_port: 8900, program, slot_time_ms: 400 }
    }

    /// Free ports picked by the OS, for tests that run side by side.
    pub fn on_free_ports(program: ProgramSource) -> std::io::Result<NodeConfig> {
        Ok(NodeConfig { rpc_port: free_port()?, ws_port: free_port()?, ..NodeConfig::standard(program) })
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
        load_program(&mut svm, &config.program)?;

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

fn load_program(svm: &mut SurfnetSvm, program: &ProgramSource) -> Result<(), String> {
    match program {
        ProgramSource::Artifact(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            svm.inner.svm.add_program(compute_market::ID, &bytes).map_err(|e| format!("loading {}: {e:?}", path.display()))
        }
        ProgramSource::Native => {
            install_native_syscalls()?;
            svm.inner.svm.add_builtin(compute_market::ID, compute_market_native::builtin());
            Ok(())
        }
    }
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
