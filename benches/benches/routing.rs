//! The routing structures beside the code they replaced, in one run: choosing the best free
//! agent for a customer (the skill's index against scanning, sorting and ranking every agent
//! with the skill, as dispatch did twice per offer), a customer's place in line (a ranked
//! list of blocks against counting a `BTreeMap` range), and a skill's staffing (counters kept
//! with the index against a walk of the agents).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;

use baton_engine::routing::ranked::Ranked;
use baton_engine::routing::{AgentBoard, AgentSlot, Presence, QueueKey, Strategy, rank_candidates};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

const SKILL: &str = "general";

/// `n` agents on one skill, all available, with spread proficiencies and idle times.
fn board(n: usize, strategy: Strategy) -> (AgentBoard, Vec<Arc<AgentSlot>>) {
    let board = AgentBoard::new(strategy);
    let slots = (0..n)
        .map(|i| {
            let skills = vec![(Arc::from(SKILL), (i % 5) as u8 + 1)];
            let now = (i as u64 * 7_919) % 100_000;
            board.login(&format!("a{i}"), skills, Vec::new(), 4, now).expect("login")
        })
        .collect();
    (board, slots)
}

/// What dispatch did before the index: every agent with the skill, filtered, sorted by login,
/// deduplicated, checked for eligibility, then ranked by the strategy.
fn scan_and_rank(slots: &[Arc<AgentSlot>], strategy: Strategy) -> Option<u64> {
    let mut candidates: Vec<Arc<AgentSlot>> = slots
        .iter()
        .filter(|s| {
            s.presence() == Presence::Available
                && s.used() < s.capacity
                && s.proficiency(SKILL).is_some()
        })
        .cloned()
        .collect();
    candidates.sort_by_key(|s| s.login_seq);
    candidates.dedup_by_key(|s| s.login_seq);
    candidates.retain(|s| s.proficiency(SKILL).is_some_and(|p| p >= 1));
    rank_candidates(strategy, &mut candidates, |s| s.view(SKILL));
    candidates.first().map(|s| s.login_seq)
}

fn best_agent(c: &mut Criterion) {
    let mut group = c.benchmark_group("routing/best_agent");
    for strategy in [Strategy::LongestIdle, Strategy::LeastOccupied] {
        for n in [100, 1_000, 10_000] {
            let (board, slots) = board(n, strategy);
            let index = board.index(SKILL);
            let same = index.best(1, |_| true).map(|f| f.slot.login_seq);
            assert_eq!(same, scan_and_rank(&slots, strategy), "both choose the same agent");
            let name = format!("{strategy:?}");
            group.bench_with_input(BenchmarkId::new(format!("index/{name}"), n), &n, |b, _| {
                b.iter(|| black_box(index.best(1, |_| true).map(|f| f.slot.login_seq)));
            });
            group.bench_with_input(BenchmarkId::new(format!("scan_sort/{name}"), n), &n, |b, _| {
                b.iter(|| black_box(scan_and_rank(&slots, strategy)));
            });
        }
    }
    group.finish();
}

fn place_in_line(c: &mut Criterion) {
    let mut group = c.benchmark_group("routing/place_in_line");
    for n in [1_000u64, 10_000, 45_000] {
        let mut ranked = Ranked::new();
        let mut tree = BTreeMap::new();
        for i in 0..n {
            let key = QueueKey::new(i * 1_000, (i % 3) as u8, 60_000, i);
            let conv: Arc<str> = Arc::from(format!("c{i}").as_str());
            ranked.insert(key, Arc::clone(&conv));
            tree.insert(key, conv);
        }
        // A new arrival, which goes last (the common case, and the old code's worst).
        let key = QueueKey::new(n * 1_000, 0, 60_000, n);
        assert_eq!(ranked.rank(&key), tree.range(..key).count());
        group.bench_with_input(BenchmarkId::new("ranked", n), &n, |b, _| {
            b.iter(|| black_box(ranked.rank(black_box(&key))));
        });
        group.bench_with_input(BenchmarkId::new("btreemap_count", n), &n, |b, _| {
            b.iter(|| black_box(tree.range(..*black_box(&key)).count()));
        });
    }
    group.finish();
}

fn staffing(c: &mut Criterion) {
    let mut group = c.benchmark_group("routing/staffing");
    for n in [1_000, 10_000] {
        let (board, slots) = board(n, Strategy::LongestIdle);
        for slot in slots.iter().step_by(2) {
            slot.set_presence(Presence::Away);
        }
        let walk = |slots: &[Arc<AgentSlot>]| {
            slots.iter().fold((0u32, 0u32), |(staffed, free), s| match s.presence() {
                Presence::Available => (staffed + s.capacity, free + s.capacity - s.used()),
                Presence::AfterWork => (staffed + s.capacity, free),
                Presence::Away | Presence::Offline => (staffed, free),
            })
        };
        assert_eq!(board.staffing(SKILL), walk(&slots));
        group.bench_with_input(BenchmarkId::new("counters", n), &n, |b, _| {
            b.iter(|| black_box(board.staffing(black_box(SKILL))));
        });
        group.bench_with_input(BenchmarkId::new("walk", n), &n, |b, _| {
            b.iter(|| black_box(walk(&slots)));
        });
    }
    group.finish();
}

criterion_group!(benches, best_agent, place_in_line, staffing);
criterion_main!(benches);
