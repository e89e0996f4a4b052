//! The `baton` command line, driven through `cli::run` (what the binary's `main` calls) with
//! in-memory streams: output formats, per-line errors and exit codes.

use std::path::PathBuf;

use baton_engine::cli::{Streams, run};
use baton_engine::config::Config;
use serde_json::Value;

pub struct Output {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

pub fn baton(args: &[&str], stdin: &[u8]) -> Output {
    let mut streams = Streams { stdin, stdout: Vec::new(), stderr: Vec::new() };
    let code = run(std::iter::once("baton").chain(args.iter().copied()), &mut streams);
    Output {
        code,
        stdout: String::from_utf8(streams.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(streams.stderr).expect("stderr is UTF-8"),
    }
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/transcripts.jsonl")
}

#[test]
fn score_one_text_prints_the_contract_fields() {
    let out = baton(&["score", "I was charged twice, get me a human!!"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = &json_lines(&out.stdout)[0];
    let mut keys: Vec<&str> =
        line.as_object().expect("object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["compound", "explicit_request", "neg", "neu", "pos", "text", "topic"]);
    assert_eq!(line["explicit_request"], true);
    assert_eq!(line["topic"], "billing_dispute");
    assert!(line["compound"].as_f64().is_some_and(|c| (-1.0..=1.0).contains(&c)));
}

#[test]
fn score_stdin_reports_bad_lines_and_keeps_going() {
    let out = baton(&["score"], b"great service\r\n\xff\xfe broken\nagent please\n");
    assert_eq!(out.code, 1);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["text"], "great service");
    assert_eq!(lines[1]["explicit_request"], true);
    assert!(out.stderr.starts_with("line 2: invalid utf-8"), "{}", out.stderr);
}

#[test]
fn replay_examples_with_summary() {
    let dir = std::env::temp_dir().join(format!("baton-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let summary_path = dir.join("summary.json");
    let examples = examples();
    let args = [
        "replay",
        examples.to_str().expect("path"),
        "--summary",
        summary_path.to_str().expect("path"),
    ];
    let out = baton(&args, b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = json_lines(&out.stdout);
    let by_id =
        |id: &str| lines.iter().find(|l| l["id"] == id).unwrap_or_else(|| panic!("{id} replayed"));
    assert_eq!(by_id("resolved-by-bot")["escalated"], false);
    assert_eq!(by_id("asks-for-a-human")["reason"], "explicit_request");
    assert_eq!(by_id("asks-for-a-human")["turn"], 2);
    assert_eq!(by_id("billing-dispute")["skill"], "billing");
    assert_eq!(by_id("repeat-contact")["reason"], "repeat_contact");
    assert_eq!(by_id("low-confidence-loop")["reason"], "low_confidence");
    assert_eq!(by_id("negated-request")["escalated"], false);
    assert_eq!(by_id("bot-intent-topic")["topic"], "billing_dispute");
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_path).expect("summary written"))
            .expect("JSON");
    assert_eq!(summary["conversations"], lines.len());
    let escalated = lines.iter().filter(|l| l["escalated"] == true).count();
    assert_eq!(summary["escalated"], escalated);
    let by_reason: u64 =
        summary["by_reason"].as_object().expect("map").values().filter_map(Value::as_u64).sum();
    assert_eq!(by_reason, escalated as u64);
    assert_eq!(summary["repeat_contacts"], 1, "{summary}");
    let rate = summary["repeat_contact_rate"].as_f64().expect("rate");
    assert!((rate - 1.0 / lines.len() as f64).abs() < 1e-12);
    assert_eq!(summary["sentiment_before_handoff"]["n"], escalated);
    assert!(lines.iter().all(|l| l.get("context").is_none()), "only with --context");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn replay_context_adds_the_packet_an_uncleared_agent_would_get() {
    let input = [
        r#"{"id":"c1","customer":{"id":"k1","tier":"premium","prior_contacts":0},"turns":["#,
        r#"{"role":"customer","text":"My card 4111 1111 1111 1111 shows $30 for order #981"},"#,
        r#"{"role":"bot","text":"Refunds show within 5 days.","confidence":0.7},"#,
        r#"{"role":"customer","text":"I was charged twice, I want a refund"}]}"#,
        "\n",
        r#"{"id":"c2","turns":[{"role":"customer","text":"thanks, all good"}]}"#,
    ]
    .concat();
    let out = baton(&["replay", "--context"], input.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(lines[1].get("context").is_none(), "not escalated, no packet");
    let packet = &lines[0]["context"];
    assert_eq!(packet["reason"], lines[0]["reason"]);
    assert_eq!(packet["customer"]["id"], "k1");
    assert_eq!(packet["redacted"], true);
    assert!(!packet.to_string().contains("4111"), "{packet}");
    assert!(packet["transcript"][0]["text"].as_str().expect("text").contains("[card]"));
    let summary = &packet["summary"];
    assert_eq!(summary["amounts"][0], "$30");
    assert_eq!(summary["references"][0], "order #981");
    assert_eq!(summary["tried"][0], "Refunds show within 5 days.");
    assert_eq!(packet["sentiment_timeline"].as_array().map(Vec::len), Some(2));
}

#[test]
fn replay_names_bad_lines_and_replays_the_rest() {
    let input = concat!(
        "{\"id\":\"a\",\"turns\":[{\"role\":\"customer\",\"text\":\"agent\"}]}\n",
        "{\"id\":\"b\",\"turns\":[{\"role\":\"bot\",\"text\":\"hi\",\"confidence\":7}]}\n",
        "\n",
        "not json\n",
        "{\"id\":\"c\",\"turns\":[{\"role\":\"customer\",\"text\":\"hello\"}]}\n",
    );
    let out = baton(&["replay", "-", "--load", "critical"], input.as_bytes());
    assert_eq!(out.code, 1);
    let ids: Vec<Value> = json_lines(&out.stdout).into_iter().map(|l| l["id"].clone()).collect();
    assert_eq!(ids, ["a", "c"]);
    assert!(out.stderr.contains("line 2: turn 0: confidence 7 is not in [0, 1]"), "{}", out.stderr);
    assert!(out.stderr.contains("line 4: invalid JSON"), "{}", out.stderr);
}

#[test]
fn config_prints_a_loadable_default() {
    let out = baton(&["config"], b"");
    assert_eq!(out.code, 0);
    let config = Config::from_toml(&out.stdout).expect("printed config loads");
    assert_eq!(config.topics.len(), 4);
}

#[test]
fn bad_config_and_usage_exit_2() {
    let dir = std::env::temp_dir().join(format!("baton-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bad.toml");
    std::fs::write(&path, "[escalation]\nlow_confidence = 3.0\n").expect("write");
    let out = baton(&["--config", path.to_str().expect("path"), "score", "hi"], b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("escalation.low_confidence: must be in [0, 1]"), "{}", out.stderr);
    let out = baton(&["--config", "/nonexistent/baton.toml", "config"], b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot read config /nonexistent/baton.toml"), "{}", out.stderr);
    let out = baton(&["frobnicate"], b"");
    assert_eq!(out.code, 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn token_mints_what_the_server_verifies() {
    use baton_engine::server::auth;
    let out = baton(
        &["token", "--agent", "sam", "--skills", "billing:4, general:2", "--clearance", "legal"],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("development secret"), "says it used the public secret");
    let secret = Config::default().server.token_secret;
    let claims = auth::verify(out.stdout.trim(), &secret, auth::unix_now_s()).expect("valid");
    assert_eq!(claims.agent, "sam");
    assert_eq!(claims.skills, [("billing".to_owned(), 4), ("general".to_owned(), 2)]);
    assert_eq!(
        (claims.capacity, claims.clearances.as_slice()),
        (2, ["legal".to_owned()].as_slice())
    );
    assert!(claims.exp > auth::unix_now_s() + 3600);

    for (skills, complaint) in
        [("billing:9", "proficiency must be 1 to 5"), ("billing", "SKILL:LEVEL")]
    {
        let out = baton(&["token", "--agent", "sam", "--skills", skills], b"");
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains(complaint), "{}", out.stderr);
    }
}

#[test]
fn serve_reports_an_address_it_cannot_use() {
    // Ephemeral: the test leaves no data directory behind.
    let args = ["serve", "--ephemeral", "--listen", "not-an-address", "--admin", "127.0.0.1:0"];
    let out = baton(&args, b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot serve"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}
