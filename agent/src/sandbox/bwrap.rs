//! bubblewrap's arguments for one workload: its filesystem view, namespaces and environment.

use std::ffi::OsString;
use std::path::Path;

use super::network::{Network, BLOCK_FD, INFO_FD};
use super::{JobDir, JobUser, Sandbox};

/// System directories shown read-only (as the host has them: a directory or a symlink into /usr).
const SYSTEM_DIRS: &[&str] = &["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/// Host files in /etc that programs need to start, find libraries, certificates and the time zone.
const ETC_FILES: &[&str] = &[
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/services",
    "/etc/protocols",
    "/etc/mime.types",
];
/// Where the init is shown.
pub const INIT_PATH: &str = "/.sandbox-init";

fn push(args: &mut Vec<OsString>, items: &[&str]) {
    args.extend(items.iter().map(OsString::from));
}

/// The whole bwrap command line: `env` is the workload's environment, `init_args` go to the init before
/// `--`, then `command`.
pub fn bwrap_args(sandbox: &Sandbox, job: &JobDir, user: Option<JobUser>, env: &[(String, String)], network: &Network, command: &[String], init_args: &[String]) -> Vec<OsString> {
    let mut args = Vec::new();
    push(&mut args, &["--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try"]);
    push(&mut args, &["--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "job"]);
    let user = user.unwrap_or_else(JobUser::current);
    push(&mut args, &["--uid", &user.uid.to_string(), "--gid", &user.gid.to_string()]);
    for dir in SYSTEM_DIRS {
        match std::fs::read_link(dir) {
            Ok(target) => push(&mut args, &["--symlink", &target.to_string_lossy(), dir]),
            Err(_) if Path::new(dir).is_dir() => push(&mut args, &["--ro-bind", dir, dir]),
            Err(_) => {}
        }
    }
    for file in ETC_FILES {
        push(&mut args, &["--ro-bind-try", file, file]);
    }
    let etc = |name: &str| job.etc.join(name).to_string_lossy().into_owned();
    push(&mut args, &["--ro-bind", &etc("passwd"), "/etc/passwd", "--ro-bind", &etc("group"), "/etc/group"]);
    if matches!(network, Network::Slirp4netns) {
        push(&mut args, &["--ro-bind", &etc("resolv.conf"), "/etc/resolv.conf"]);
        push(&mut args, &["--info-fd", &INFO_FD.to_string(), "--block-fd", &BLOCK_FD.to_string()]);
    }
    push(&mut args, &["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm"]);
    for device in gpu_devices(env) {
        push(&mut args, &["--dev-bind-try", &device, &device]);
    }
    push(&mut args, &["--bind", &job.tmp.to_string_lossy(), "/tmp", "--bind", &job.work.to_string_lossy(), "/work"]);
    push(&mut args, &["--ro-bind", &sandbox.init.to_string_lossy(), INIT_PATH, "--remount-ro", "/", "--chdir", "/work"]);
    push(&mut args, &["--clearenv"]);
    for (key, value) in env {
        push(&mut args, &["--setenv", key, value]);
    }
    push(&mut args, &["--", INIT_PATH, super::init::INIT_ARG]);
    if !matches!(network, Network::None) {
        push(&mut args, &["--network"]);
    }
    for device in gpu_devices(env) {
        push(&mut args, &["--device", &device]);
    }
    args.extend(init_args.iter().map(OsString::from));
    if !command.is_empty() {
        push(&mut args, &["--"]);
        args.extend(command.iter().map(OsString::from));
    }
    args
}

/// The NVIDIA device nodes of the GPUs named in CUDA_VISIBLE_DEVICES, with the control devices.
fn gpu_devices(env: &[(String, String)]) -> Vec<String> {
    let Some((_, visible)) = env.iter().find(|(k, _)| k == "CUDA_VISIBLE_DEVICES") else { return vec![] };
    let gpus: Vec<String> = visible.split(',').filter(|g| !g.is_empty()).map(|g| format!("/dev/nvidia{g}")).collect();
    if gpus.is_empty() {
        return gpus;
    }
    gpus.into_iter().chain(["/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"].map(String::from)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpus_bring_their_device_nodes_and_nothing_else_does() {
        assert!(gpu_devices(&[("CUDA_VISIBLE_DEVICES".into(), String::new())]).is_empty());
        assert!(gpu_devices(&[]).is_empty());
        assert_eq!(
            gpu_devices(&[("CUDA_VISIBLE_DEVICES".into(), "0,1".into())]),
            ["/dev/nvidia0", "/dev/nvidia1", "/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"]
        );
    }
}
