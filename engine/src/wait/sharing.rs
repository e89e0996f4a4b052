//! Agents shared with other queues, as a count of customers ahead: the other queues'
//! customers older than this one hold the shared slots first, while the slots nobody else
//! claims keep serving this queue. The model estimator divides "customers ahead" by the
//! staffed slots; this gives the number that makes that division the right wait.

/// Most competing queues kept on the stack; more (a rare, very shared skill) take a `Vec`.
const ON_STACK: usize = 16;

/// The customers ahead, beyond this queue's own `ahead`, that make
/// `(ahead + competing) / staffed` the time (in slot cycles) until `ahead` slots have freed
/// for this queue, when each `(owed, slots)` group of `slots` shared slots first serves
/// `owed` customers of another queue.
///
/// Time is counted in cycles (one customer per slot per cycle). A group is busy for
/// `owed / slots` cycles and then serves this queue; the slots in no group serve it from
/// the start. Filling `ahead` in that order gives the wait. With one group it is the smaller
/// of "all work pooled over every slot", `(ahead + owed) / staffed`, and "the group is not
/// there", `ahead / (staffed − slots)`: a customer at the front is not delayed by a few
/// customers of a small queue that only a few shared agents serve.
pub fn competing(ahead: f64, staffed: f64, groups: impl Iterator<Item = (f64, f64)>) -> f64 {
    if ahead <= 0.0 || staffed <= 0.0 {
        return 0.0;
    }
    let mut stack = [(0.0, 0.0); ON_STACK];
    let mut heap = Vec::new();
    let mut n = 0;
    for (owed, slots) in groups {
        if owed <= 0.0 || slots <= 0.0 {
            continue;
        }
        if n < ON_STACK {
            stack[n] = (owed / slots, slots);
        } else {
            if heap.is_empty() {
                heap.extend_from_slice(&stack);
            }
            heap.push((owed / slots, slots));
        }
        n += 1;
    }
    let groups: &mut [(f64, f64)] = if n > ON_STACK { &mut heap } else { &mut stack[..n] };
    groups.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    // Groups overlap when an agent serves three skills: scale them to the staffed slots.
    let claimed: f64 = groups.iter().map(|g| g.1).sum();
    let scale = if claimed > staffed { staffed / claimed } else { 1.0 };
    let mut rate = (staffed - claimed * scale).max(0.0);
    let (mut at, mut left) = (0.0f64, ahead);
    for &(free_at, slots) in groups.iter() {
        let served = rate * (free_at - at);
        if rate > 0.0 && left <= served {
            return (staffed * (at + left / rate) - ahead).max(0.0);
        }
        left -= served;
        at = free_at;
        rate += slots * scale;
    }
    (staffed * (at + left / rate.max(f64::MIN_POSITIVE)) - ahead).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn one_group_is_the_smaller_of_pooled_and_absent() {
        // 26 slots, 4 of them owe 3 customers of another queue first.
        let (staffed, slots, owed) = (26.0, 4.0, 3.0);
        for ahead in [1.0, 2.0, 10.0, 20.0, 40.0] {
            let got = (ahead + competing(ahead, staffed, [(owed, slots)].into_iter())) / staffed;
            let pooled = (ahead + owed) / staffed;
            let absent = ahead / (staffed - slots);
            assert!(close(got, pooled.min(absent)), "{ahead}: {got} vs {pooled} / {absent}");
        }
        // At the front, the small queue costs almost nothing; deep in line, all of it.
        assert!(competing(1.0, staffed, [(owed, slots)].into_iter()) < 0.2);
        assert!(close(competing(40.0, staffed, [(owed, slots)].into_iter()), owed));
    }

    #[test]
    fn every_slot_shared_is_pooled_and_nothing_owed_is_nothing() {
        // The other queue's agents are all of ours: its customers go first, all of them.
        assert!(close(competing(5.0, 22.0, [(15.0, 22.0)].into_iter()), 15.0));
        assert_eq!(competing(5.0, 22.0, std::iter::empty()), 0.0);
        assert_eq!(competing(0.0, 22.0, [(15.0, 22.0)].into_iter()), 0.0);
        assert_eq!(competing(5.0, 0.0, [(15.0, 22.0)].into_iter()), 0.0);
    }

    #[test]
    fn groups_free_in_order_and_overlapping_groups_are_scaled() {
        // 10 slots: 2 free from the start, 4 free after 1 cycle, 4 after 3 cycles.
        let groups = [(12.0, 4.0), (4.0, 4.0)];
        // Ahead 2: the 2 free slots serve them in 1 cycle.
        assert!(close((2.0 + competing(2.0, 10.0, groups.into_iter())) / 10.0, 1.0));
        // Ahead 8: 2 in the first cycle, then 6 a cycle: 2 cycles.
        assert!(close((8.0 + competing(8.0, 10.0, groups.into_iter())) / 10.0, 2.0));
        // Ahead 40: everything pooled: (40 + 16) / 10.
        assert!(close(competing(40.0, 10.0, groups.into_iter()), 16.0));
        // Groups claiming more slots than there are: no slot is free at the start.
        let over = [(6.0, 6.0), (6.0, 6.0)];
        assert!(competing(1.0, 6.0, over.into_iter()) > 0.0);
        // Many groups (past the stack) give the pooled answer when deep in line.
        let many = (0..40).map(|_| (1.0, 0.5));
        assert!(close(competing(1_000.0, 30.0, many), 40.0));
    }
}
