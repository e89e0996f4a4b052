//! One run: start (or reach) Baton, log the agent pools in, send customers in at their
//! scheduled times whatever the engine's pace (open loop), then account for every
//! conversation and build the report.

use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use anyhow::Context;
use baton_engine::engine::Engine;
use baton_engine::escalation::Tier;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::clock::Clock;
use crate::driver::{AgentEvt, AgentSpec, ConvEvent, Desk, DeskKind, Gateway, Verdict};
use crate::faults::FaultOptions;
use crate::faults::supervise::{self, Killer};
use crate::net::{Conn, Redial};
use crate::report::{EngineCounts, Report};
use crate::rng::Rng;
use crate::scenario::{AgentPool, Scenario};
use crate::script::{Behaviour, Step};
use crate::stats::{Outcome, Stats};

mod account;
mod ewt;
mod fds;

use account::account;

/// Where the engine is.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Start `baton serve` in this process on a loopback port and drive it over WebSockets.
    Embedded,
    /// Drive a running `baton serve`.
    Target(Target),
    /// Call the `Engine` API directly (no network).
    InProcess,
}

#[derive(Debug, Clone)]
pub struct Target {
    /// `ws://host:port`
    pub url: String,
    pub api_key: String,
    pub token_secret: String,
    /// `http://host:port/metrics`, to read the engine's estimator accuracy and memory.
    pub metrics: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub scenario: Scenario,
    pub mode: Mode,
    /// Multiplies the scenario's arrival rates.
    pub rate_factor: f64,
    /// Overrides the scenario's `duration_s`.
    pub duration_s: Option<f64>,
    pub msgpack: bool,
    /// Gateway connections (network modes).
    pub connections: usize,
    pub progress: bool,
    /// The embedded engine keeps its journal here (in memory without); it must be empty, so
    /// the run's accounting starts from nothing.
    pub data_dir: Option<std::path::PathBuf>,
    /// Kill and restart the target under load, and check what it kept (needs
    /// [`Mode::Target`]: the generator starts the server itself).
    pub faults: Option<FaultOptions>,
}

/// What every task of the run shares.
struct Ctx {
    scenario: Scenario,
    run: String,
    stats: Stats,
    gateway: Gateway,
    start: Instant,
    stop: watch::Receiver<bool>,
    clock: Clock,
    /// Wall seconds it took to log every agent in.
    login_s: f64,
    /// The floor's photographs for the oracle (engine in this process only).
    watch: Option<ewt::Watch>,
}

impl Ctx {
    fn at(&self, scenario_s: f64) -> Instant {
        self.start + self.scenario.wall(scenario_s)
    }

    fn later(&self, scenario_s: f64) -> Instant {
        Instant::now() + self.scenario.wall(scenario_s)
    }

    fn stopped(&self) -> bool {
        *self.stop.borrow()
    }
}

/// Runs the scenario and returns its report (the SLOs judged).
pub async fn run(options: Options) -> anyhow::Result<Report> {
    let mut scenario = options.scenario.clone();
    if let Some(duration) = options.duration_s {
        scenario.duration_s = duration;
    }
    let factor = options.rate_factor;
    let mut rng = Rng::new(scenario.seed);
    let arrivals = scenario.arrival_times(factor, &mut rng);
    let mut config = scenario.baton_config(scenario.time_scale)?;
    // Finished conversations stay listed long enough to be accounted for at the end.
    config.engine.finished_retained = config.engine.finished_retained.max(arrivals.len() * 2);
    if let Some(dir) = &options.data_dir {
        let used = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
        anyhow::ensure!(
            !used,
            "--data-dir {} is not empty: give an empty or new one",
            dir.display()
        );
        config.store.data_dir = Some(dir.clone());
    }
    let run_id = format!("{:06x}", Rng::new(scenario.seed ^ nanos()).next_u64() & 0xff_ffff);
    let faults = match (&options.faults, &options.mode) {
        (None, _) => None,
        (Some(faults), Mode::Target(target)) => Some((faults.clone(), target.clone())),
        (Some(_), _) => anyhow::bail!("fault injection needs a target to kill (--target)"),
    };
    // The generator owns the server it kills: it starts it before anything connects.
    let mut process = match &faults {
        Some((faults, target)) => {
            Some(supervise::start(&faults.restart, &target.url, &target.api_key).await?.0)
        }
        None => None,
    };
    let redial = faults.as_ref().map(|_| Redial { ledger: Arc::default(), links: Arc::default() });
    let connections = scenario.agent_count() + options.connections as u64;
    let wrap_up_s = config.routing.wrap_up_s;
    match &options.mode {
        Mode::InProcess => {}
        Mode::Embedded => fds::ensure(2 * connections + 256)?,
        Mode::Target(_) => fds::ensure(connections + 256)?,
    }

    let (engine, server, gateway, desks, mode, encoding) = match &options.mode {
        Mode::InProcess => {
            let engine = Engine::start(config).await.context("engine")?;
            let gateway = Gateway::Local(engine.clone());
            let desks = DeskKind::Local(engine.clone());
            (Some(engine), None, gateway, desks, "in-process", "none")
        }
        Mode::Embedded => {
            config.server.listen = "127.0.0.1:0".into();
            config.server.admin_listen = "127.0.0.1:0".into();
            let engine = Engine::start(config.clone()).await.context("engine")?;
            let metrics = baton_engine::telemetry::install();
            let server =
                baton_engine::server::start(engine.clone(), config.server.clone(), metrics)
                    .await
                    .context("embedded baton serve")?;
            let url = format!("ws://{}", server.addr);
            let key = config.server.api_keys.first().cloned().unwrap_or_default();
            let gateway =
                connect_gateways(&url, &key, options.msgpack, options.connections, None).await?;
            let desks = DeskKind::Remote {
                url,
                token_secret: config.server.token_secret.clone(),
                msgpack: options.msgpack,
                redial: None,
            };
            (Some(engine), Some(server), gateway, desks, "embedded", encoding_name(options.msgpack))
        }
        Mode::Target(target) => {
            let gateway = connect_gateways(
                &target.url,
                &target.api_key,
                options.msgpack,
                options.connections,
                redial.clone(),
            )
            .await?;
            let desks = DeskKind::Remote {
                url: target.url.clone(),
                token_secret: target.token_secret.clone(),
                msgpack: options.msgpack,
                redial: redial.clone(),
            };
            (None, None, gateway, desks, "target", encoding_name(options.msgpack))
        }
    };

    let counts_before = engine_counts(&options.mode).await;
    let logging_in = Instant::now();
    let agents = log_in_agents(&scenario, &run_id, &desks, &mut rng).await?;
    let login_s = logging_in.elapsed().as_secs_f64();
    let (stop_tx, stop) = watch::channel(false);
    // The schedule starts once the agents are in.
    let start = Instant::now();
    let clock = Clock::start();
    let watch = engine.as_ref().filter(|_| scenario.agent_count() <= ewt::MAX_AGENTS).map(|e| {
        let desks = agents
            .iter()
            .map(|(pool, spec, ..)| (spec.id.clone(), pool.handle, pool.accept_delay))
            .collect();
        ewt::Watch::new(e.clone(), desks, wrap_up_s, &scenario, start)
    });
    let ctx = Arc::new(Ctx {
        scenario: scenario.clone(),
        run: run_id,
        stats: Stats::default(),
        gateway,
        start,
        stop,
        clock: clock.clone(),
        login_s,
        watch,
    });
    let killer = match (process.take(), &faults) {
        (Some(process), Some((faults, target))) => Some(Killer::spawn(
            process,
            faults.clone(),
            target.url.clone(),
            target.api_key.clone(),
            ctx.stop.clone(),
        )),
        _ => None,
    };
    let mut tasks = JoinSet::new();
    for (pool, spec, desk, events, rng, leaves) in agents {
        tasks.spawn(agent(Arc::clone(&ctx), pool, spec, desks.clone(), desk, events, rng, leaves));
    }
    ctx.stats.arrivals.store(arrivals.len() as u64, Relaxed);
    let scheduler = {
        let ctx = Arc::clone(&ctx);
        let mut rng = rng.fork(1);
        tokio::spawn(async move {
            let mut customers = JoinSet::new();
            for (n, at) in arrivals.into_iter().enumerate() {
                ctx.clock.at(ctx.at(at)).await;
                if ctx.stopped() {
                    break;
                }
                // A finished task stays in the set until joined: reap them as they go, or a
                // long run keeps every customer's task (the scale scenario has 250,000).
                while customers.try_join_next().is_some() {}
                let behaviour = ctx.scenario.pick(&mut rng);
                let c = &ctx.scenario.customers;
                let x = rng.unit();
                let tier = if x < c.enterprise_share {
                    Tier::Enterprise
                } else if x < c.enterprise_share + c.premium_share {
                    Tier::Premium
                } else {
                    Tier::Standard
                };
                let topic = ctx.scenario.topics.as_ref().and_then(|t| t.pick(&mut rng));
                customers.spawn(customer(
                    Arc::clone(&ctx),
                    n as u64,
                    at,
                    (behaviour, tier, topic),
                    rng.fork(n as u64),
                ));
            }
            customers
        })
    };
    let progress = progress_bar(&ctx, options.progress);
    let end = ctx.at(scenario.duration_s + scenario.drain_s);
    tokio::time::sleep_until(end).await;
    let _ = stop_tx.send(true);
    progress.finish_and_clear();
    let wall_s = start.elapsed().as_secs_f64();
    clock.stop();
    if let Ok(mut customers) = scheduler.await {
        let drained = tokio::time::timeout(Duration::from_secs(30), async {
            while customers.join_next().await.is_some() {}
        });
        let _ = drained.await;
    }
    tasks.abort_all();
    let injected = match killer {
        Some(killer) => Some(killer.finish().await),
        None => None,
    };

    let report = account(&ctx, &options, engine.as_ref(), mode, encoding, factor, wall_s).await;
    let counts_after = engine_counts(&options.mode).await;
    if let Some(server) = server {
        server.shutdown().await;
    }
    if let Some(engine) = engine {
        engine.shutdown().await;
    }
    let mut report = report?;
    report.engine_counted =
        counts_after.map(|after| after.since(&counts_before.unwrap_or_default()));
    if let (Some(injected), Some((faults, target)), Some(redial)) = (injected, &faults, &redial) {
        let url = &target.url;
        report.faults =
            Some(supervise::settle(injected, faults, url, &target.api_key, redial).await?);
        // Each restart starts the server's counters again: a difference across restarts means
        // nothing.
        report.engine_counted = None;
    }
    report.judge(&scenario.slo);
    Ok(report)
}

/// The engine's own counts now: from this process's recorder when the engine runs here (the
/// in-process engine records exactly what `baton serve` would), else from the target's
/// `/metrics`.
async fn engine_counts(mode: &Mode) -> Option<EngineCounts> {
    match mode {
        Mode::InProcess | Mode::Embedded => {
            Some(crate::scrape::counts(&baton_engine::telemetry::install().render()))
        }
        Mode::Target(Target { metrics: Some(url), .. }) => crate::scrape::engine_counts(url).await,
        Mode::Target(_) => None,
    }
}

fn encoding_name(msgpack: bool) -> &'static str {
    if msgpack { "msgpack" } else { "json" }
}

#[allow(clippy::disallowed_types)]
fn nanos() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

async fn connect_gateways(
    url: &str,
    key: &str,
    msgpack: bool,
    n: usize,
    redial: Option<Redial>,
) -> anyhow::Result<Gateway> {
    let mut conns = Vec::new();
    let url = format!("{url}/v1/gateway");
    for _ in 0..n.max(1) {
        conns.push(match &redial {
            Some(redial) => Conn::connect_redialling(&url, key, msgpack, redial.clone()).await?,
            None => Conn::connect(&url, key, msgpack).await?,
        });
    }
    Ok(Gateway::Remote(Arc::new(conns)))
}

/// A logged-in agent, ready to be driven.
type LoggedIn =
    (AgentPool, AgentSpec, Desk, tokio::sync::mpsc::UnboundedReceiver<AgentEvt>, Rng, bool);

/// Logs every agent of every pool in before the first customer arrives.
async fn log_in_agents(
    scenario: &Scenario,
    run: &str,
    desks: &DeskKind,
    rng: &mut Rng,
) -> anyhow::Result<Vec<LoggedIn>> {
    let mut agents = Vec::new();
    for pool in &scenario.agents {
        let leaving = (f64::from(pool.count) * pool.log_off_share).round() as u32;
        for i in 0..pool.count {
            let spec = AgentSpec {
                id: format!("lg{run}-{}-{i}", pool.name),
                name: format!("{} {i}", pool.name),
                skills: pool.skills_of(i),
                capacity: pool.capacity,
                clearances: pool.clearances.clone(),
            };
            let (desk, events) = desks
                .login(&spec)
                .await
                .map_err(|e| anyhow::anyhow!("agent {} cannot log in: {}", spec.id, e.code))?;
            agents.push((pool.clone(), spec, desk, events, rng.fork(u64::from(i)), i < leaving));
        }
    }
    Ok(agents)
}

/// Microseconds from `from` to `to` (zero if `to` came first).
fn between(from: Instant, to: Instant) -> u64 {
    to.saturating_duration_since(from).as_micros() as u64
}

/// One customer, from arrival to the end of its conversation (or of the run).
async fn customer(
    ctx: Arc<Ctx>,
    n: u64,
    at: f64,
    (behaviour, tier, topic): (Behaviour, Tier, Option<String>),
    mut rng: Rng,
) {
    let stats = &ctx.stats;
    let id = format!("lg{}-{n}", ctx.run);
    let gateway = &ctx.gateway;
    let customer = format!("customer-{n}");
    let prior = behaviour.prior_contacts();
    let mut events = match gateway.open(&id, &customer, tier, prior, topic.as_deref()).await {
        Ok(events) => events,
        Err(e) => {
            stats.refused.fetch_add(1, Relaxed);
            stats.error(&e.code);
            return;
        }
    };
    let _live = stats.live();
    stats.opened.fetch_add(1, Relaxed);
    stats.settle(&id, Outcome::Open);
    // The first message is intended for once the chat is open: the open is a request of its
    // own (answered after the journal has it), not part of the first decision.
    let mut intended = ctx.at(at).max(Instant::now());
    let mut escalated_at = None;
    for step in behaviour.script(&mut rng) {
        ctx.clock.at(intended).await;
        if ctx.stopped() {
            gateway.forget(&id);
            return;
        }
        let result = match step {
            Step::Customer(text) => gateway.customer_message(&id, text).await,
            Step::Bot { text, confidence, resolved } => {
                gateway.bot_reply(&id, text, confidence, resolved).await
            }
            Step::AskForHuman => {
                let sent = Instant::now();
                gateway.ask_for_human(&id).await.map(|()| Verdict {
                    escalate: true,
                    reason: Some("explicit_request".into()),
                    topic: None,
                    sent,
                    answered: Instant::now(),
                })
            }
        };
        match result {
            Ok(verdict) => {
                if step != Step::AskForHuman {
                    stats.decision(between(intended, verdict.answered), verdict.latency());
                }
                if verdict.escalate {
                    stats.escalation(verdict.reason.as_deref(), verdict.topic.as_deref());
                    escalated_at = Some(Instant::now());
                    break;
                }
            }
            Err(e) => stats.error(&e.code),
        }
        // The bot answers at once; the customer takes a moment to write.
        intended = match step {
            Step::Customer(_) => Instant::now(),
            _ => ctx.later(ctx.scenario.customers.think.sample(&mut rng)),
        };
    }
    let Some(escalated_at) = escalated_at else {
        match gateway.close(&id, "resolved by the bot").await {
            Ok(_) => stats.settle(&id, Outcome::ClosedByBot),
            Err(e) => stats.error(&e.code),
        }
        gateway.forget(&id);
        return;
    };
    wait_and_chat(&ctx, &id, behaviour, escalated_at, &mut events, &mut rng).await;
    gateway.forget(&id);
}

/// After the handoff: wait in line (maybe leave, maybe take a callback), then talk to the
/// agent until the conversation closes.
async fn wait_and_chat(
    ctx: &Ctx,
    id: &str,
    behaviour: Behaviour,
    escalated_at: Instant,
    events: &mut tokio::sync::mpsc::UnboundedReceiver<ConvEvent>,
    rng: &mut Rng,
) {
    let stats = &ctx.stats;
    let customers = &ctx.scenario.customers;
    let patience = if behaviour.abandons() { customers.abandon_after } else { customers.patience };
    let give_up = escalated_at + ctx.scenario.wall(patience.sample(rng));
    let mut stop = ctx.stop.clone();
    let mut in_line = true;
    stats.waiting.fetch_add(1, Relaxed);
    let (mut joined, mut callback) = (false, false);
    // The customer's answer to the agent: when it is due, and the clock's wake-up for it.
    let mut reply_at: Option<Instant> = None;
    let mut reply_wake: Option<crate::clock::Wake> = None;
    let leave_line = |in_line: &mut bool| {
        if std::mem::take(in_line) {
            stats.waiting.fetch_sub(1, Relaxed);
        }
    };
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            () = tokio::time::sleep_until(give_up), if !joined && !callback => {
                leave_line(&mut in_line);
                match ctx.gateway.close(id, "customer left the queue").await {
                    Ok(state) if state == "abandoned" => stats.settle(id, Outcome::Abandoned),
                    Ok(_) => stats.settle(id, Outcome::ClosedByAgent),
                    Err(e) => stats.error(&e.code),
                }
                break;
            }
            () = async { if let Some(wake) = reply_wake.as_mut() { wake.await } }, if reply_wake.is_some() => {
                reply_wake = None;
                let intended = reply_at.unwrap_or_else(Instant::now);
                match ctx.gateway.customer_message(id, behaviour.to_agent(rng)).await {
                    Ok(v) => stats.decision(between(intended, v.answered), v.latency()),
                    Err(e) => stats.error(&e.code),
                }
            }
            event = events.recv() => match event {
                None => break,
                Some(ConvEvent::CallbackOffered) => {
                    stats.callbacks_offered.fetch_add(1, Relaxed);
                    if behaviour.takes_callback() && !callback {
                        match ctx.gateway.accept_callback(id).await {
                            Ok(()) => {
                                stats.callbacks_accepted.fetch_add(1, Relaxed);
                                stats.settle(id, Outcome::CallbackTicket);
                                callback = true;
                                leave_line(&mut in_line);
                            }
                            Err(e) => stats.error(&e.code),
                        }
                    } else if let Err(e) = ctx.gateway.decline_callback(id).await {
                        stats.error(&e.code);
                    }
                }
                Some(ConvEvent::Waiting) => {
                    if let Some(watch) = &ctx.watch {
                        watch.waiting(id);
                    }
                }
                Some(ConvEvent::AgentJoined) => {
                    if let Some(watch) = &ctx.watch {
                        watch.joined(id);
                    }
                    if in_line {
                        let scenario_ms = escalated_at.elapsed().as_secs_f64() * ctx.scenario.time_scale * 1000.0;
                        stats.time_to_agent(scenario_ms as u64);
                    }
                    leave_line(&mut in_line);
                    joined = true;
                }
                Some(ConvEvent::AgentMessage) if reply_at.is_none() => {
                    let at = ctx.later(ctx.scenario.customers.think.sample(rng));
                    reply_at = Some(at);
                    reply_wake = Some(ctx.clock.at(at));
                }
                Some(ConvEvent::State(state)) if state == "closed" => {
                    stats.settle(id, Outcome::ClosedByAgent);
                    break;
                }
                Some(ConvEvent::State(state)) if state == "abandoned" => {
                    stats.settle(id, Outcome::Abandoned);
                    break;
                }
                Some(ConvEvent::Lost) => {
                    stats.events_lost.fetch_add(1, Relaxed);
                }
                Some(_) => {}
            }
        }
    }
    leave_line(&mut in_line);
}

/// One simulated agent: answers offers, chats for its handle time, wraps up; part of a pool
/// may log off (and back on) mid-scenario.
#[allow(clippy::too_many_arguments)]
async fn agent(
    ctx: Arc<Ctx>,
    pool: AgentPool,
    spec: AgentSpec,
    kind: DeskKind,
    mut desk: Desk,
    mut events: tokio::sync::mpsc::UnboundedReceiver<AgentEvt>,
    mut rng: Rng,
    leaves: bool,
) {
    let far = Instant::now() + Duration::from_secs(86_400 * 365);
    let log_off = pool.log_off_at_s.filter(|_| leaves).map(|t| ctx.at(t));
    let log_on = pool.log_on_at_s.filter(|_| leaves).map(|t| ctx.at(t));
    let mut stop = ctx.stop.clone();
    let (mut online, mut left) = (true, false);
    let mut chats = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            () = tokio::time::sleep_until(log_off.unwrap_or(far)), if online && !left && log_off.is_some() => {
                left = true;
                online = false;
                chats.abort_all();
                if let Err(e) = desk.logout().await {
                    ctx.stats.error(&e.code);
                }
            }
            () = tokio::time::sleep_until(log_on.unwrap_or(far)), if !online && log_on.is_some() => {
                match kind.login(&spec).await {
                    Ok((d, e)) => {
                        (desk, events) = (d, e);
                        online = true;
                    }
                    Err(e) => {
                        ctx.stats.error(&e.code);
                        break;
                    }
                }
            }
            event = events.recv(), if online => match event {
                None => online = false,
                Some(AgentEvt::Offer(conversation)) => {
                    if let Some(watch) = &ctx.watch {
                        watch.offered(&conversation);
                    }
                    let delay = ctx.scenario.wall(pool.accept_delay.sample(&mut rng));
                    let roll = rng.unit();
                    let (desk, ctx) = (desk.clone(), Arc::clone(&ctx));
                    let (no_answer, decline) = (pool.no_answer_rate, pool.decline_rate);
                    chats.spawn(async move {
                        tokio::time::sleep(delay).await;
                        let stats = &ctx.stats;
                        if roll < no_answer {
                            stats.offers_unanswered.fetch_add(1, Relaxed);
                        } else if roll < no_answer + decline {
                            match desk.decline(&conversation).await {
                                Ok(()) => stats.offers_declined.fetch_add(1, Relaxed),
                                Err(e) => { stats.error(&e.code); 0 }
                            };
                        } else {
                            match desk.accept(&conversation).await {
                                Ok(()) => stats.offers_accepted.fetch_add(1, Relaxed),
                                Err(e) => { stats.error(&e.code); 0 }
                            };
                        }
                    });
                }
                Some(AgentEvt::Assigned(conversation)) => {
                    if let Some(watch) = &ctx.watch {
                        watch.talking(&conversation);
                    }
                    let handle = ctx.scenario.wall(pool.handle.sample(&mut rng));
                    let (desk, ctx) = (desk.clone(), Arc::clone(&ctx));
                    chats.spawn(async move {
                        if let Err(e) = desk.greet(&conversation).await {
                            ctx.stats.error(&e.code);
                        }
                        tokio::time::sleep(handle).await;
                        match desk.wrap_up(&conversation).await {
                            Ok(()) => {
                                if let Some(watch) = &ctx.watch {
                                    watch.wrapping(&conversation);
                                }
                            }
                            Err(e) => ctx.stats.error(&e.code),
                        }
                    });
                }
                Some(AgentEvt::Other) => {}
            },
            Some(_) = chats.join_next(), if !chats.is_empty() => {}
        }
    }
    chats.abort_all();
}

fn progress_bar(ctx: &Arc<Ctx>, visible: bool) -> ProgressBar {
    let target =
        if visible { ProgressDrawTarget::stderr_with_hz(4) } else { ProgressDrawTarget::hidden() };
    let total = (ctx.scenario.duration_s + ctx.scenario.drain_s).ceil() as u64;
    let bar = ProgressBar::with_draw_target(Some(total), target);
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} s {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    let (ctx, shown) = (Arc::clone(ctx), bar.clone());
    tokio::spawn(async move {
        let mut last = (Instant::now(), 0u64);
        while !ctx.stopped() {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let now = Instant::now();
            let messages = ctx.stats.messages.load(Relaxed);
            let rate =
                (messages - last.1) as f64 / now.duration_since(last.0).as_secs_f64().max(1e-3);
            last = (now, messages);
            let scenario_s = ctx.start.elapsed().as_secs_f64() * ctx.scenario.time_scale;
            shown.set_position(scenario_s as u64);
            shown.set_message(format!(
                "{rate:.0} msgs/s · p99 {:.0} µs · waiting {} · callbacks offered {}",
                ctx.stats.decision_latency().p99,
                ctx.stats.waiting.load(Relaxed),
                ctx.stats.callbacks_offered.load(Relaxed)
            ));
        }
    });
    bar
}
