//! The final accounting: every conversation the run opened, in exactly one state (asking the
//! engine for those the generator did not see finish), and the report built from it.

use std::sync::atomic::Ordering::Relaxed;

use baton_engine::engine::Engine;

use crate::report::{Accuracy, Conversations, Offers, Report};
use crate::stats::Outcome;

use super::{Ctx, Mode, Options, Target};

/// Accounts for every conversation opened and builds the report.
pub(super) async fn account(
    ctx: &Ctx,
    options: &Options,
    engine: Option<&Engine>,
    mode: &str,
    encoding: &str,
    factor: f64,
    wall_s: f64,
) -> anyhow::Result<Report> {
    let stats = &ctx.stats;
    let mut c = Conversations {
        arrivals: stats.arrivals.load(Relaxed),
        opened: stats.opened.load(Relaxed),
        refused: stats.refused.load(Relaxed),
        escalated: stats.escalated.load(Relaxed),
        callbacks_offered: stats.callbacks_offered.load(Relaxed),
        callbacks_accepted: stats.callbacks_accepted.load(Relaxed),
        ..Conversations::default()
    };
    let mut unsettled = Vec::new();
    for entry in &stats.ledger {
        match entry.value() {
            Outcome::ClosedByBot => c.closed_by_bot += 1,
            Outcome::ClosedByAgent => c.closed_by_agent += 1,
            Outcome::Abandoned => c.abandoned += 1,
            Outcome::Open | Outcome::CallbackTicket => unsettled.push(entry.key().clone()),
        }
    }
    // What the generator did not see finish, the engine accounts for now. The generator
    // settles every close of the bot's itself, so the rest were closed by agents.
    let states = ctx
        .gateway
        .states(&unsettled)
        .await
        .map_err(|e| anyhow::anyhow!("asking for states: {}", e.code))?;
    for state in states {
        match state.as_deref() {
            Some("closed") => c.closed_by_agent += 1,
            Some("abandoned") => c.abandoned += 1,
            Some("callback_scheduled") => c.callback_tickets += 1,
            Some(_) => c.live_at_end += 1,
            None => c.lost += 1,
        }
    }
    c.closed = c.closed_by_bot + c.closed_by_agent;
    let (ewt, peak_rss) = match (engine, &options.mode) {
        (Some(engine), _) => {
            let ewt = engine
                .ewt_accuracy()
                .into_iter()
                .map(|(name, a)| {
                    (
                        name.to_owned(),
                        Accuracy { n: a.n, median_abs_pct_err: a.median_abs_pct_err, mape: a.mape },
                    )
                })
                .collect();
            (ewt, baton_engine::telemetry::process_memory().map(|(_, peak)| peak))
        }
        (None, Mode::Target(Target { metrics: Some(url), .. })) => {
            crate::scrape::engine_figures(url).await
        }
        (None, _) => (Default::default(), None),
    };
    let d = stats.decision_latency();
    Ok(Report {
        scenario: ctx.scenario.name.clone(),
        mode: mode.to_owned(),
        encoding: encoding.to_owned(),
        time_scale: ctx.scenario.time_scale,
        rate_factor: factor,
        wall_s,
        handoff_rate: if c.opened == 0 { 0.0 } else { c.escalated as f64 / c.opened as f64 },
        conversations: c,
        agents: ctx.scenario.agent_count(),
        login_s: ctx.login_s,
        peak_live_conversations: stats.peak_live.load(Relaxed).max(0) as u64,
        decision_latency_us: d,
        service_latency_us: stats.service_latency(),
        time_to_agent_s: stats.time_to_agent_s().into(),
        by_reason: stats.by_reason(),
        by_topic: stats.by_topic(),
        engine_counted: None,
        offers: Offers {
            accepted: stats.offers_accepted.load(Relaxed),
            declined: stats.offers_declined.load(Relaxed),
            unanswered: stats.offers_unanswered.load(Relaxed),
        },
        ewt,
        ewt_phases: ctx
            .watch
            .as_ref()
            .map(|w| w.phases(&ctx.scenario, ctx.scenario.seed))
            .unwrap_or_default(),
        throughput_msgs_per_s: d.count as f64 / wall_s.max(1e-9),
        errors: stats.errors(),
        engine_peak_rss_bytes: peak_rss,
        slo: Default::default(),
        faults: None,
    })
}
