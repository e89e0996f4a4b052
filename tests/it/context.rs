//! The context packet as agents receive it with an offer, through the engine on paused time:
//! one scripted conversation per escalation reason; warm summaries for a billing dispute, a
//! security concern and a frustrated customer; redaction for agents without the PII
//! clearance (packet and live messages) and none for cleared ones; cold-handoff queues.

use std::sync::Arc;

use baton_engine::config::{Config, Handoff, QueueConfig, Ring};
use baton_engine::context::mood::Mood;
use baton_engine::context::summary::SummarySource;
use baton_engine::engine::{
    AgentEvent, AgentLogin, Attempt, BotReply, ContextPacket, Engine, OpenConversation, Role,
};
use baton_engine::escalation::Reason;
use tokio::sync::broadcast::Receiver;

use crate::engine::{engine_with, settle};

/// Every skill an escalation can go to, with clearance for the sensitive topics; `pii` too
/// when `cleared`.
fn desk(engine: &Engine, id: &str, cleared: bool) -> Receiver<AgentEvent> {
    let skills = ["general", "billing", "security", "legal", "retention"];
    let mut clearances = vec!["account_security".to_owned(), "legal".to_owned()];
    if cleared {
        clearances.push("pii".into());
    }
    engine
        .agent_login(AgentLogin {
            clearances,
            ..AgentLogin::new(id, skills.iter().map(|s| ((*s).to_owned(), 3)).collect(), 8)
        })
        .expect("login")
}

fn offers(rx: &mut Receiver<AgentEvent>) -> Vec<Arc<ContextPacket>> {
    let mut out = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let AgentEvent::Offer { packet, .. } = event {
            out.push(packet);
        }
    }
    out
}

/// Customer lines, or the bot's with a confidence.
type Script<'a> = Vec<(&'a str, Option<f64>)>;

/// Plays `turns` (customer lines, or the bot's with a confidence) until one escalates.
async fn play(engine: &Engine, id: &str, prior_contacts: u32, turns: &[(&str, Option<f64>)]) {
    engine
        .open(OpenConversation {
            prior_contacts,
            ..OpenConversation::new(id, format!("cust-{id}"))
        })
        .expect("open");
    for (text, confidence) in turns {
        let decision = match confidence {
            None => engine.customer_message(id, text).expect("customer"),
            Some(c) => engine.bot_reply(id, BotReply::new(text, *c)).expect("bot"),
        };
        if decision.escalate {
            break;
        }
    }
    settle(engine).await;
}

async fn packet_for(
    engine: &Engine,
    rx: &mut Receiver<AgentEvent>,
    id: &str,
) -> Arc<ContextPacket> {
    settle(engine).await;
    let packet = offers(rx).into_iter().find(|p| p.conversation == id).expect("an offer for it");
    // Take it so the next conversation finds a free slot and the desk stays clean.
    engine.accept("a1", id).await.expect("accept");
    engine.close(id, "done", None).await.expect("close");
    packet
}

#[tokio::test(start_paused = true)]
async fn every_escalation_reason_comes_with_its_packet() {
    let engine = engine_with(Config::default()).await;
    let mut rx = desk(&engine, "a1", true);
    let cases: [(&str, u32, Script, Reason); 7] = [
        (
            "explicit",
            0,
            vec![
                ("my parcel is late", None),
                ("Sorry to hear that, it is on its way.", Some(0.8)),
                ("let me talk to a human", None),
            ],
            Reason::ExplicitRequest,
        ),
        (
            "topic",
            0,
            vec![("I was charged twice for my subscription", None)],
            Reason::MandatoryTopic,
        ),
        ("repeat", 4, vec![("hello again about my parcel", None)], Reason::RepeatContact),
        (
            "negative",
            0,
            vec![(
                "This is the worst service I have ever had, absolutely useless and infuriating!",
                None,
            )],
            Reason::NegativeSentiment,
        ),
        (
            "drop",
            0,
            vec![
                ("Hi, great day, I love your app!", None),
                ("Thanks!", Some(0.9)),
                ("hmm it stopped working, that is bad", None),
                ("Try restarting it.", Some(0.9)),
                ("still broken, awful", None),
            ],
            Reason::SentimentDrop,
        ),
        (
            "unsure",
            0,
            vec![
                ("question about my plan", None),
                ("I'm not sure I understood.", Some(0.2)),
                ("my plan", None),
                ("Could you rephrase?", Some(0.2)),
            ],
            Reason::LowConfidence,
        ),
        (
            "stall",
            0,
            vec![
                ("my router drops", None),
                ("Restart it.", Some(0.9)),
                ("ok", None),
                ("Restart it.", Some(0.9)),
            ],
            Reason::TroubleshootingStall,
        ),
    ];
    for (id, prior, turns, reason) in cases {
        play(&engine, id, prior, &turns).await;
        let packet = packet_for(&engine, &mut rx, id).await;
        let customer_turns = turns.iter().filter(|(_, c)| c.is_none()).count();
        assert_eq!(packet.reason, Some(reason), "{id}: {packet:?}");
        let signals = packet.signals.as_ref().expect("signals");
        assert_eq!(signals.fired[0], reason, "{id}");
        assert!(packet.transcript.len() <= turns.len() && !packet.transcript.is_empty(), "{id}");
        assert!(
            packet.sentiment_timeline.len() <= customer_turns
                && !packet.sentiment_timeline.is_empty(),
            "{id}"
        );
        assert_eq!(packet.sentiment_timeline[0].turn, 1);
        let bot_turns = packet.transcript.iter().filter(|t| t.role == Role::Bot).count();
        assert_eq!(
            packet.bot_attempts.len(),
            bot_turns,
            "{id}: every bot reply with its confidence"
        );
        let summary = packet.summary.as_ref().expect("warm by default");
        assert_eq!(summary.source, SummarySource::Extractive);
        assert!(!summary.problem.is_empty(), "{id}: {summary:?}");
        assert_eq!(packet.customer.id, format!("cust-{id}"));
    }
}

#[tokio::test(start_paused = true)]
async fn summaries_carry_the_problem_amounts_references_and_what_was_tried() {
    let engine = engine_with(Config::default()).await;
    let mut rx = desk(&engine, "a1", true);

    // A billing dispute (the bot tries first; the customer's second message says "refund").
    engine.open(OpenConversation::new("bill", "k1")).expect("open");
    engine.customer_message("bill", "hi").expect("msg");
    let reply = BotReply {
        considered: &[Attempt { text: "Issue a goodwill credit".into(), confidence: 0.3 }],
        ..BotReply::new("Hello! Subscription charges appear 1-2 days after renewal.", 0.8)
    };
    engine.bot_reply("bill", reply).expect("bot");
    let d = engine
        .customer_message(
            "bill",
            "I was charged $49.99 twice on 12 March for order #55321, I want a refund",
        )
        .expect("msg");
    assert_eq!(d.reason, Some(Reason::MandatoryTopic));
    let p = packet_for(&engine, &mut rx, "bill").await;
    let s = p.summary.as_ref().expect("summary");
    assert!(s.problem.contains("charged $49.99 twice"), "{s:?}");
    assert_eq!(s.amounts, ["$49.99"]);
    assert_eq!(s.dates, ["12 March"]);
    assert_eq!(s.references, ["order #55321"]);
    assert_eq!(s.tried, ["Hello! Subscription charges appear 1-2 days after renewal."]);
    assert!(s.text.contains("Mentioned: $49.99, 12 March, order #55321"), "{}", s.text);
    assert_eq!(p.topic.as_deref(), Some("billing_dispute"));
    assert_eq!(p.bot_considered[0].text, "Issue a goodwill credit");

    // A security concern.
    engine.open(OpenConversation::new("sec", "k2")).expect("open");
    let d = engine
        .customer_message(
            "sec",
            "Someone logged into my account yesterday and changed my password, case ref SEC-88123",
        )
        .expect("msg");
    assert_eq!(d.reason, Some(Reason::MandatoryTopic));
    let p = packet_for(&engine, &mut rx, "sec").await;
    let s = p.summary.as_ref().expect("summary");
    assert!(s.problem.starts_with("Someone logged into my account"), "{s:?}");
    assert_eq!(s.dates, ["yesterday"]);
    assert_eq!(s.references, ["ref SEC-88123"]);
    assert_eq!(p.topic.as_deref(), Some("account_security"));

    // A frustrated customer: the bot's attempts are listed, the mood says how they feel.
    play(
        &engine,
        "angry",
        0,
        &[
            ("My order AB-12345 still has not arrived after two weeks", None),
            ("Please allow 3-5 more working days.", Some(0.7)),
            ("That is what you said last week! This is ridiculous", None),
            ("I understand. Please allow 3-5 more working days.", Some(0.6)),
            ("Useless. I am furious, this is the worst service ever!!!", None),
        ],
    )
    .await;
    let p = packet_for(&engine, &mut rx, "angry").await;
    assert!(matches!(p.reason, Some(Reason::NegativeSentiment | Reason::SentimentDrop)), "{p:?}");
    let s = p.summary.as_ref().expect("summary");
    assert!(s.problem.starts_with("My order AB-12345"), "{s:?}");
    assert_eq!(s.references, ["order AB-12345"]);
    assert_eq!(s.dates, ["last week"]);
    assert!(!s.tried.is_empty() && s.tried.len() == p.bot_attempts.len(), "{s:?}");
    assert!(matches!(s.mood, Mood::Frustrated | Mood::Angry), "{s:?}");
    assert!(s.text.ends_with(&format!("Customer: {}", s.mood.as_str())));
    let last = p.sentiment_timeline.last().expect("points");
    assert!(last.compound < 0.0 && last.compound == p.sentiment.last, "{:?}", p.sentiment_timeline);

    // The bot's own summary wins when it gives one.
    engine.open(OpenConversation::new("own", "k3")).expect("open");
    engine.customer_message("own", "my wifi is slow").expect("msg");
    let reply = BotReply {
        summary: Some("Slow wifi since the upgrade; speed test 3 Mbps."),
        ..BotReply::new("Let me get someone.", 0.9)
    };
    engine.bot_reply("own", reply).expect("bot");
    engine.ask_for_human("own").await.expect("button");
    let p = packet_for(&engine, &mut rx, "own").await;
    let s = p.summary.as_ref().expect("summary");
    assert_eq!(s.source, SummarySource::Bot);
    assert!(s.text.starts_with("Slow wifi since the upgrade"), "{}", s.text);
}

#[tokio::test(start_paused = true)]
async fn personal_data_reaches_only_cleared_agents() {
    let engine = engine_with(Config::default()).await;
    let mut plain = desk(&engine, "a1", false);
    engine.open(OpenConversation::new("c1", "k1")).expect("open");
    engine
        .customer_message(
            "c1",
            "my card 4111 1111 1111 1111 was charged twice, mail me at jo@example.com",
        )
        .expect("msg");
    engine.ask_for_human("c1").await.ok();
    settle(&engine).await;
    let packet = offers(&mut plain).pop().expect("offer");
    let json = serde_json::to_string(&*packet).expect("json");
    assert!(!json.contains("4111") && !json.contains("jo@example.com"), "{json}");
    assert!(json.contains("[card]") && json.contains("[email]"), "{json}");
    assert!(packet.redacted);
    engine.accept("a1", "c1").await.expect("accept");
    engine.customer_message("c1", "call me on +44 7700 900123").expect("msg");
    settle(&engine).await;
    let live: Vec<String> = std::iter::from_fn(|| plain.try_recv().ok())
        .filter_map(|e| match e {
            AgentEvent::CustomerMessage { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(live, ["call me on [phone]"]);
    let turns = engine.transcript_for_agent("c1", "a1").expect("transcript");
    assert_eq!(turns.last().map(|t| t.text.as_str()), Some("call me on [phone]"));
    assert!(turns[0].text.contains("[card]"), "{turns:?}");
    engine.close("c1", "done", None).await.expect("close");
    engine.logout("a1").await.expect("logout");

    let mut cleared = desk(&engine, "a2", true);
    engine.open(OpenConversation::new("c2", "k2")).expect("open");
    engine.customer_message("c2", "card 4111 1111 1111 1111 charged twice").expect("msg");
    settle(&engine).await;
    let packet = offers(&mut cleared).pop().expect("offer");
    assert!(!packet.redacted);
    assert!(packet.transcript[0].text.contains("4111 1111 1111 1111"));
    let turns = engine.transcript_for_agent("c2", "a2").expect("transcript");
    assert!(turns[0].text.contains("4111 1111 1111 1111"), "a cleared agent reads it raw");
}

#[tokio::test(start_paused = true)]
async fn cold_handoff_queues_send_the_transcript_without_a_summary() {
    let config = Config {
        queues: vec![QueueConfig {
            skill: "billing".into(),
            rings: vec![Ring { after_s: 0, min_proficiency: 1, extra_skills: Vec::new() }],
            handoff: Handoff::Cold,
        }],
        ..Config::default()
    };
    let engine = engine_with(config).await;
    let mut rx = desk(&engine, "a1", true);
    play(&engine, "cold", 0, &[("I was charged twice for my subscription", None)]).await;
    let p = packet_for(&engine, &mut rx, "cold").await;
    assert!(p.summary.is_none());
    assert_eq!(p.transcript.len(), 1);
    play(&engine, "warm", 0, &[("let me talk to a human", None)]).await;
    assert!(packet_for(&engine, &mut rx, "warm").await.summary.is_some(), "general stays warm");
}

#[tokio::test(start_paused = true)]
async fn sentiment_progression_and_satisfaction_delta_after_scripted_handoffs() {
    use baton_engine::sentiment::polarity_scores;
    let engine = engine_with(Config::default()).await;
    let _desk = desk(&engine, "a1", true);
    settle(&engine).await;

    // The bot resolves one (CSAT 5).
    engine.open(OpenConversation::new("bot", "k1")).expect("open");
    engine.customer_message("bot", "where is my parcel?").expect("msg");
    engine.close("bot", "answered", Some(5)).await.expect("close");

    // An angry customer goes to an agent, calms down, rates 3.
    let angry = "This is the worst service ever, absolutely useless!";
    let (joined, resolved) =
        ("ok, thanks for looking into it", "great, that fixed it, thank you so much!");
    engine.open(OpenConversation::new("h", "k2")).expect("open");
    assert!(engine.customer_message("h", angry).expect("msg").escalate);
    settle(&engine).await;
    engine.accept("a1", "h").await.expect("accept");
    tokio::time::sleep(std::time::Duration::from_secs(300)).await;
    engine.customer_message("h", joined).expect("msg");
    engine.customer_message("h", resolved).expect("msg");
    settle(&engine).await;
    engine.close("h", "fixed", Some(3)).await.expect("close");
    settle(&engine).await;

    let m = engine.measures();
    let compound = |t: &str| polarity_scores(t).compound;
    assert_eq!((m.opened, m.ended, m.escalated, m.repeat_contacts), (2, 2, 1, 0));
    assert_eq!((m.csat_bot.n, m.csat_bot.mean, m.csat_handoff.mean), (1, 5.0, 3.0));
    assert_eq!(m.satisfaction_delta, Some(-2.0));
    assert_eq!(m.sentiment_before_handoff.mean, compound(angry));
    assert_eq!(m.sentiment_agent_joined.mean, compound(joined));
    assert_eq!(m.sentiment_resolution.mean, compound(resolved));
    let change = m.sentiment_change_across_transfer.mean;
    assert!(
        (change - (compound(resolved) - compound(angry))).abs() < 1e-12 && change > 1.0,
        "{m:?}"
    );
    let after = m.resolution_after_transfer_s["none"];
    assert!(after.n == 1 && (300.0..301.0).contains(&after.mean), "{after:?}");
    assert_eq!(m.by_outcome["resolved_by_agent"], 1);
}
