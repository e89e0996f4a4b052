//! The decision path allocates nothing once warm: a counting global allocator (per thread,
//! so parallel tests do not disturb each other) around the tracker update, `decide`, and the
//! whole ingest step.

#![allow(unsafe_code)] // a global allocator is unsafe by definition

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use baton_engine::config::Config;
use baton_engine::escalation::{Load, decide};
use baton_engine::sentiment::{BotTurn, ConversationSignals, Customer, polarity_scores};
use tokio::time::Instant;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: defers every call to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

const MESSAGES: [&str; 4] = [
    "I was charged TWICE and nobody helps me!!! 😡 Get me a human",
    "The bot is kind of useless, but the app is great :)",
    "no agent please, what are your opening hours?",
    "I've been waiting for an hour, this is ridiculous and I am going to cancel my account",
];

#[test]
fn tracker_update_and_decide_do_not_allocate() {
    let decider = Config::default().decider().expect("default config");
    let now = Instant::now();
    let signals = ConversationSignals::new(Customer::default(), now);
    let bot = BotTurn {
        text: "Have you tried turning it off and on again?",
        confidence: 0.3,
        resolved: false,
    };
    let n = allocations(|| {
        for compound in [0.4, -0.2, -0.7, -0.9] {
            signals.record_customer(compound, 0.5);
            signals.record_bot(&bot, 0.5);
            let snapshot = signals.snapshot(false, 4);
            for load in [Load::Normal, Load::High] {
                std::hint::black_box(decide(decider.policy(), &snapshot, load, now));
            }
        }
    });
    assert_eq!(n, 0, "tracker update and decide allocated {n} times");
}

#[test]
fn warm_ingest_step_does_not_allocate() {
    let decider = Config::default().decider().expect("default config");
    // The default decider runs the learned model beside the rules: this covers it too.
    let model = decider.model().expect("the default configuration runs the model");
    let now = Instant::now();
    let signals = ConversationSignals::new(Customer::default(), now);
    // Warm up: the lexicon, the automaton and this thread's scratch buffers.
    for text in MESSAGES {
        decider.customer_message(&signals, text, None, Load::Normal, now);
    }
    let n = allocations(|| {
        for text in MESSAGES {
            std::hint::black_box(polarity_scores(text));
            std::hint::black_box(decider.detector().detect(text));
            std::hint::black_box(model.score(text));
            std::hint::black_box(decider.customer_message(&signals, text, None, Load::Normal, now));
        }
    });
    assert_eq!(n, 0, "the warm ingest step allocated {n} times");
}

#[test]
fn the_counter_counts() {
    let n = allocations(|| {
        std::hint::black_box(String::from("a heap string"));
    });
    assert_eq!(n, 1);
}
