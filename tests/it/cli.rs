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
    assert_eq!(
        keys,
        [
            "compound", "explicit_request", "frustration", "model", "neg", "neu", "pos", "rules",
            "text", "topic"
        ]
    );
    assert_eq!(line["explicit_request"], true);
    assert_eq!(line["topic"], "billing_dispute");
    assert_eq!(line["rules"]["explicit_request"], true);
    let model = &line["model"];
    assert!(model["explicit_request"].as_f64().is_some_and(|p| (0.0..=1.0).contains(&p)));
    assert!(model["explicit_request_threshold"].as_f64().is_some());
    assert!(line["compound"].as_f64().is_some_and(|c| (-1.0..=1.0).contains(&c)));
    let frustration = &line["frustration"];
    assert!(frustration["score"].as_f64().is_some_and(|f| (0.0..=1.0).contains(&f)));
    assert_eq!(frustration["punctuation"], 1, "one run of '!!'");
}

#[test]
fn score_rates_an_exasperated_customer_above_a_pleased_one() {
    let out = baton(
        &["score"],
        b"third time asking!! still waiting for my refund, this is useless
thanks, that fixed it
",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = json_lines(&out.stdout);
    let score = |i: usize| lines[i]["frustration"]["score"].as_f64().expect("score");
    assert!(score(0) > 0.75 && score(1) < 0.25, "{} {}", score(0), score(1));
    assert_eq!(lines[0]["frustration"]["persistence"], 2, "third time, still");
    assert_eq!(lines[1]["frustration"]["complaint"], 0);
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
    // The packet is what this checks, so the rules alone decide: the learned model calls the
    // first message (a card and an amount) a billing dispute already, which would escalate
    // before the bot's attempt that the packet must list.
    let dir = tempfile_dir("replay-context");
    let rules_only = dir.join("rules.toml");
    std::fs::write(&rules_only, "[model]\nenabled = false\n").expect("write");
    let args = ["--config", rules_only.to_str().expect("a UTF-8 path"), "replay", "--context"];
    let out = baton(&args, input.as_bytes());
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
fn score_shows_what_the_model_adds_to_the_rules() {
    // A typo the phrase lists cannot know, and a negation the rules veto for the model.
    let out = baton(&["score"], b"can i speak with a huamn\ni dont need an agent\n");
    let lines = json_lines(&out.stdout);
    assert_eq!(lines[0]["rules"]["explicit_request"], false);
    assert_eq!(lines[0]["explicit_request"], true, "{}", lines[0]);
    assert_eq!(lines[1]["explicit_request"], false, "{}", lines[1]);
    let mut rules_only = tempfile_dir("rules-only");
    rules_only.push("rules.toml");
    std::fs::write(&rules_only, "[model]\nenabled = false\n").expect("write");
    let out = baton(&["--config", rules_only.to_str().expect("path"), "score", "huamn pls"], b"");
    let line = &json_lines(&out.stdout)[0];
    assert!(line.get("model").is_none(), "{line}");
    assert_eq!(line["explicit_request"], line["rules"]["explicit_request"]);
    // Without the model, frustration is scored with `[frustration.without_model]`: the cues
    // alone still put an exasperated message above the trigger and thanks far below it.
    let config = ["--config", rules_only.to_str().expect("path"), "score"];
    let out = baton(&config, b"third time asking!! still waiting, this is useless\nthanks!\n");
    let lines = json_lines(&out.stdout);
    let score = |i: usize| lines[i]["frustration"]["score"].as_f64().expect("score");
    assert!(score(0) > 0.75 && score(1) < 0.1, "{} {}", score(0), score(1));
}

fn tempfile_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("baton-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A small labelled set for `baton train` (written for this test).
fn training_rows() -> String {
    let asks =
        ["talk to a human", "real person please", "get me an agent", "humn pls", "an agent now"];
    let other = ["where is my parcel", "what time do you open", "my card arrived", "thanks a lot"];
    let charged = ["i was charged twice", "refund the extra fee", "wrong amount was charged"];
    let mut out = String::new();
    for i in 0..40 {
        let row = |text: &str, labels: &str| {
            format!("{{\"text\": \"{text} {i}\", \"labels\": [{labels}]}}\n")
        };
        out += &row(asks[i % asks.len()], "\"explicit_request\"");
        out += &row(other[i % other.len()], "");
        out += &row(charged[i % charged.len()], "\"billing_dispute\"");
    }
    out
}

/// `baton train --data DATA --out OUT` on a small model (2^12 buckets).
fn train(data: &std::path::Path, out: &std::path::Path) -> Output {
    let path = |p: &std::path::Path| p.to_str().expect("a UTF-8 path").to_owned();
    let (data, out) = (path(data), path(out));
    baton(&["train", "--data", &data, "--out", &out, "--bits", "12"], b"")
}

#[test]
fn train_is_deterministic_and_a_bad_model_file_is_an_error_at_start_up() {
    let dir = tempfile_dir("train");
    let data = dir.join("rows.jsonl");
    std::fs::write(&data, training_rows()).expect("write");
    let (a, b) = (dir.join("a.bmdl"), dir.join("b.bmdl"));
    for out in [&a, &b] {
        let run = train(&data, out);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("explicit_request"), "{}", run.stdout);
        assert!(run.stdout.contains("billing_dispute"), "{}", run.stdout);
    }
    let bytes = std::fs::read(&a).expect("model");
    assert_eq!(bytes, std::fs::read(&b).expect("model"), "same rows and seed, same bytes");
    let config = dir.join("model.toml");
    let use_model = |path: &std::path::Path| {
        std::fs::write(
            &config,
            format!("[model]\nfile = {:?}\n", path.to_str().expect("a UTF-8 path")),
        )
        .expect("write");
        baton(
            &["--config", config.to_str().expect("a UTF-8 path"), "score"],
            b"humn pls\nwhere is my parcel\n",
        )
    };
    let out = use_model(&a);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The file's model is the one scoring: it ranks the request over the parcel question.
    let lines = json_lines(&out.stdout);
    let p = |i: usize| lines[i]["model"]["explicit_request"].as_f64().expect("a score");
    assert!(p(0) > p(1), "{} {}", lines[0], lines[1]);
    // One flipped bit: refused with the reason, exit 2.
    let mut corrupt = bytes.clone();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0x10;
    let bad = dir.join("corrupt.bmdl");
    std::fs::write(&bad, &corrupt).expect("write");
    let out = use_model(&bad);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("checksum does not match"), "{}", out.stderr);
    let out = use_model(&dir.join("missing.bmdl"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot read the model file"), "{}", out.stderr);
    // A threshold for a label the model lacks.
    std::fs::write(
        &config,
        format!(
            "[model]\nfile = {:?}\nthresholds = {{ legal = 0.5 }}\n",
            a.to_str().expect("a UTF-8 path")
        ),
    )
    .expect("write");
    let out = baton(&["--config", config.to_str().expect("a UTF-8 path"), "score", "hi"], b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("the model has no such label"), "{}", out.stderr);
    let bad_rows = dir.join("bad.jsonl");
    std::fs::write(&bad_rows, "{\"text\": \"x\"}\nnot json\n").expect("write");
    let out = train(&bad_rows, &a);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bad.jsonl:2"), "{}", out.stderr);
    std::fs::remove_dir_all(&dir).ok();
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
