//! Whole-process benchmarks of the `jixiao` binary, as a county bureau runs it:
//!
//! - `jixiao batch` over 1,000 generated submission workbooks (six layouts) to every output
//!   format (target: ≤ 2 s on 2 cores);
//! - `jixiao convert` of one workbook with 5,000 projects on 50 sheets to JSON (target: ≤ 2 s,
//!   peak memory ≤ 200 MB).
//!
//! Run with `cargo bench --bench batch`. The corpus is generated once (deterministically) under
//! `target/bench-corpus`. Each command runs `RUNS` times; the median wall time and the peak
//! resident memory (VmHWM, sampled from /proc while it runs) are printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn main() {
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let submissions = target.join("submissions");
    let big = target.join("big-5000.xlsx");
    if !big.exists() {
        let started = Instant::now();
        jixiao_corpus::generate(&submissions, 1000, 2022).expect("corpus");
        jixiao_corpus::big_workbook(&big, 5000, 50, 2022).expect("big workbook");
        eprintln!(
            "generated the corpus in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let bin = env!("CARGO_BIN_EXE_jixiao");
    let formats: Vec<&str> = jixiao::OutputFormat::ALL
        .iter()
        .map(|f| f.extension())
        .collect();
    let to = formats.join(",");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("machine: {cores} cores; {RUNS} runs each; median wall time, peak resident memory");

    let out = target.join("out-batch");
    let batch = measure(|| {
        let _ = std::fs::remove_dir_all(&out);
        let mut cmd = Command::new(bin);
        cmd.args([
            "batch",
            path(&submissions),
            "-o",
            path(&out),
            "--to",
            &to,
            "-q",
        ]);
        cmd
    });
    println!("batch 1000 workbooks -> {to}: {} (target <= 2 s)", batch);

    let out = target.join("out-big");
    let big_run = measure(|| {
        let _ = std::fs::remove_dir_all(&out);
        let mut cmd = Command::new(bin);
        cmd.args(["convert", path(&big), "--to", "json", "-o", path(&out)]);
        cmd
    });
    println!(
        "convert 5000-project workbook -> json: {} (target <= 2 s, <= 200 MB)",
        big_run
    );
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

struct Measured {
    median: Duration,
    peak_kb: u64,
}

impl std::fmt::Display for Measured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.2} s, {:.0} MB",
            self.median.as_secs_f64(),
            self.peak_kb as f64 / 1024.0
        )
    }
}

fn measure(make: impl Fn() -> Command) -> Measured {
    let mut times = Vec::new();
    let mut peak_kb = 0;
    for _ in 0..RUNS {
        let mut cmd = make();
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let started = Instant::now();
        let mut child = cmd.spawn().expect("run jixiao");
        let status_file = format!("/proc/{}/status", child.id());
        loop {
            if let Some(kb) = vm_hwm(&status_file) {
                peak_kb = peak_kb.max(kb);
            }
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        times.push(started.elapsed());
    }
    times.sort();
    Measured {
        median: times[RUNS / 2],
        peak_kb,
    }
}

/// The peak resident set size in kB (Linux), while the process is alive.
fn vm_hwm(status_file: &str) -> Option<u64> {
    let text = std::fs::read_to_string(status_file).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
