//! Mermaid that renders where people read it (issue 8): every diagram fixture and example,
//! drawn by `aslkit diagram` (the examples also with their test coverage overlaid), goes
//! through Mermaid's own renderer (mermaid-cli's `mmdc` with
//! Chromium), not only its parser. GitHub renders with the same library, and a diagram that
//! parses can still crash the layout (edges attached to subgraphs nested three deep).
//!
//! Runs when `mmdc` (npm `@mermaid-js/mermaid-cli`: on `PATH`, at `$MMDC`, or under
//! `$PEERS_DIR`/`~/asl-peers/mermaid`) and a Chromium (`$PUPPETEER_EXECUTABLE_PATH`, or
//! Debian's `/usr/bin/chromium`) are installed; otherwise it is skipped with a message.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Every diagram fixture and every example definition, in name order.
fn definitions() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("fixtures/diagram")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for example in std::fs::read_dir("examples").unwrap() {
        let dir = example.unwrap().path();
        if dir.is_dir() {
            out.extend(std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()));
        }
    }
    out.retain(|p| p.to_string_lossy().ends_with(".asl.json"));
    out.sort();
    out
}

#[test]
fn every_diagram_renders_with_mermaid_cli() {
    let definitions = definitions();
    assert!(
        definitions
            .iter()
            .any(|p| p.ends_with("parallel-map-parallel.asl.json")),
        "the nested Parallel > Map > Parallel fixture is among them"
    );
    let (Some(mmdc), Some(chromium)) = (mmdc(), chromium()) else {
        eprintln!(
            "skipped: mermaid-cli (mmdc) or Chromium is not installed (npm install @mermaid-js/mermaid-cli; apt-get install chromium)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // What to draw: every definition, and each example with its tests' coverage.
    let mut drawings: Vec<(String, Vec<String>)> = definitions
        .iter()
        .map(|p| (p.display().to_string(), vec![p.display().to_string()]))
        .collect();
    for path in definitions.iter().filter(|p| p.starts_with("examples")) {
        let coverage = dir.path().join(format!("{}.coverage.json", drawings.len()));
        let out = aslkit()
            .arg("test")
            .arg(path.parent().unwrap())
            .arg("--coverage-out")
            .arg(&coverage)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", path.display());
        let coverage = coverage.display().to_string();
        drawings.push((
            format!("{} with coverage", path.display()),
            vec![path.display().to_string(), "--coverage".into(), coverage],
        ));
    }
    let mut markdown = String::new();
    for (name, args) in &drawings {
        let out = aslkit().arg("diagram").args(args).output().unwrap();
        assert!(out.status.success(), "{name}");
        markdown.push_str(&format!(
            "# {name}\n\n```mermaid\n{}```\n\n",
            String::from_utf8(out.stdout).unwrap()
        ));
    }
    let input = dir.path().join("diagrams.md");
    std::fs::write(&input, markdown).unwrap();
    let config = dir.path().join("puppeteer.json");
    std::fs::write(
        &config,
        format!(
            r#"{{"executablePath": {:?}, "args": ["--no-sandbox", "--disable-gpu"]}}"#,
            chromium.display().to_string()
        ),
    )
    .unwrap();
    let output = dir.path().join("rendered.md");
    let run = std::process::Command::new(&mmdc)
        .env("PUPPETEER_EXECUTABLE_PATH", &chromium)
        .arg("--puppeteerConfigFile")
        .arg(&config)
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    let console = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let order: Vec<&String> = drawings.iter().map(|(name, _)| name).collect();
    assert!(
        run.status.success(),
        "mmdc failed (charts are numbered in this order: {order:#?}):\n{console}"
    );
    for i in 1..=drawings.len() {
        let svg = std::fs::read_to_string(dir.path().join(format!("rendered-{i}.svg")))
            .unwrap_or_else(|_| panic!("no SVG for {}:\n{console}", order[i - 1]));
        assert!(
            svg.contains("<svg") && !svg.contains("Syntax error"),
            "{} did not render:\n{svg}",
            order[i - 1]
        );
    }
    eprintln!("rendered {} diagrams with mmdc", drawings.len());
}

fn mmdc() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MMDC").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("mmdc"));
    let peers = std::env::var_os("PEERS_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join("asl-peers")))
        .map(|p| p.join("mermaid/node_modules/.bin/mmdc"));
    on_path.chain(peers).find(|p| p.is_file())
}

fn chromium() -> Option<PathBuf> {
    std::env::var_os("PUPPETEER_EXECUTABLE_PATH")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from))
        .find(|p| Path::new(p).is_file())
}
