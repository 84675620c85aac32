//! `jixiao batch`: a folder converted, its files in worker processes, stopped cleanly on Ctrl-C.

use super::{exit, options, worker_command};
use crate::{Failure, Settings};
use std::path::Path;
use std::process::ExitCode;

/// `batch`'s own flags.
pub(crate) struct BatchFlags {
    pub(crate) jobs: Option<usize>,
    pub(crate) quiet: bool,
    pub(crate) strict: bool,
    pub(crate) timeout: u64,
}

pub(crate) fn batch(
    input: &Path,
    output: &Path,
    formats: &[jixiao::OutputFormat],
    flags: &BatchFlags,
    settings: &Settings,
) -> Result<ExitCode, Failure> {
    use std::io::IsTerminal;
    let progress = if flags.quiet {
        jixiao::batch::Progress::Quiet
    } else if std::io::stderr().is_terminal() {
        jixiao::batch::Progress::Bar
    } else {
        jixiao::batch::Progress::Lines
    };
    let options = jixiao::batch::BatchOptions {
        formats: formats.to_vec(),
        jobs: flags.jobs,
        read: options(settings)?,
        progress,
        workers: worker_command(formats, settings, flags.timeout),
        stop: std::sync::Arc::default(),
    };
    stop_on_signal(std::sync::Arc::clone(&options.stop));
    let report = jixiao::batch::run(input, output, &options).map_err(|e| match e {
        jixiao::batch::BatchError::Same(_) => Failure::Usage(e.to_string()),
        _ => Failure::Io(e.to_string()),
    })?;
    eprint!("{}", report.summary());
    if report.interrupted {
        // As a shell reports a program ended by Ctrl-C.
        return Ok(ExitCode::from(130));
    }
    Ok(exit(report.failed(flags.strict)))
}

/// On Ctrl-C (SIGINT) or SIGTERM, sets `stop`: the batch ends the files in flight and writes
/// the report of what was done. A second signal ends the program at once.
fn stop_on_signal(stop: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async {
            #[cfg(unix)]
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            for second in [false, true] {
                #[cfg(unix)]
                {
                    let terminated = async {
                        match term.as_mut() {
                            Some(t) => {
                                t.recv().await;
                            }
                            None => std::future::pending::<()>().await,
                        }
                    };
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        () = terminated => {}
                    }
                }
                #[cfg(not(unix))]
                let _ = tokio::signal::ctrl_c().await;
                if second {
                    std::process::exit(130);
                }
                eprintln!("收到终止信号：正在停止，已完成的文件照常保留，报告随后写出（再按一次 Ctrl+C 立即退出）");
                stop.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        });
    });
}
