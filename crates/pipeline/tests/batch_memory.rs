//! What a batch holds grows with its files by a report line each, not by their documents: a
//! batch of N files and one of 4N, both copies of one submission (a department sending its
//! table again, the same project under several names), and the work each holds once its
//! files are converted ([`jixiao_pipeline::batch::Held`]) compared.
//!
//! The county document lists the project once, so the batch must hold it once, whatever the
//! number of copies: each later copy is compared with the first as it comes and let go. Files
//! that finish before the files ahead of them in path order wait for their turn, at most
//! [`MAX_WAITING`] of them. A batch that kept each file's document (its projects, their
//! indicators, its summary) until the end held one document per file.

use jixiao_pipeline::batch::{BatchOptions, MAX_WAITING, Report, run};

/// One submission: a project with `rows` indicators.
fn submission(rows: usize) -> String {
    let mut text = String::from(
        "预算单位\t和硕县民政局\t项目名称\t城市低保\n年度资金总额\t12.60\n\
         一级指标\t二级指标\t三级指标\t指标值\n",
    );
    for i in 0..rows {
        text.push_str(&format!(
            "产出指标\t数量指标\t城市低保救助发放人数第{i}项\t≥{}人\n",
            200 + i
        ));
    }
    text
}

fn batch(files: usize, jobs: usize) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let text = submission(20);
    for i in 0..files {
        std::fs::write(input.join(format!("民政局-{i:04}.md")), &text).unwrap();
    }
    let options = BatchOptions {
        jobs: Some(jobs),
        ..BatchOptions::default()
    };
    run(&input, &dir.path().join("out"), &options).unwrap()
}

#[test]
fn a_batch_holds_a_report_line_per_file_and_each_project_once() {
    let n = 30;
    for jobs in [1, 2, 4] {
        let small = batch(n, jobs);
        let large = batch(4 * n, jobs);
        for (report, files) in [(&small, n), (&large, 4 * n)] {
            // Every file converted, reported on its line, and in the county document once.
            assert_eq!(report.inputs.len(), files);
            assert_eq!(report.totals.projects, files);
            assert_eq!(report.totals.county_projects, 1);
            assert_eq!(report.duplicates.len(), 1);
            assert_eq!(report.duplicates[0].files.len(), files);
            assert!(!report.duplicates[0].differs);
            // What was held for the county document: the project once, not once per file.
            assert_eq!(report.held.projects, 1, "{files} files, {jobs} jobs");
            // Documents waiting for their turn: bounded, whatever the number of files.
            assert!(report.held.waiting_peak <= MAX_WAITING);
            if jobs == 1 {
                assert_eq!(report.held.waiting_peak, 0);
            }
        }
        // The report lines themselves are the same size whatever the number of files.
        let line = |r: &Report| serde_json::to_string(&r.inputs[0]).unwrap().len();
        assert_eq!(line(&small), line(&large));
    }
}

#[test]
fn copies_in_a_batch_are_compared_with_the_first_in_path_order() {
    // Three copies of a project, the second differing: the county document takes the first
    // (path order) and its 备注 names the others, whichever finished first.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let text = submission(3);
    std::fs::write(input.join("a.md"), &text).unwrap();
    std::fs::write(input.join("b.md"), text.replace("12.60", "13.00")).unwrap();
    std::fs::write(input.join("c.md"), &text).unwrap();
    let options = BatchOptions {
        jobs: Some(3),
        ..BatchOptions::default()
    };
    let report = run(&input, &dir.path().join("out"), &options).unwrap();
    assert_eq!(report.duplicates.len(), 1);
    let d = &report.duplicates[0];
    assert_eq!(d.files, ["a.md", "b.md", "c.md"]);
    assert!(d.differs);
    assert_eq!(
        d.differences,
        ["b.md：年度资金总额为“13.00”，a.md 为“12.60”"]
    );
}
