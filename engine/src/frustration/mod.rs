//! The frustration score: how annoyed the customer is with the service, 0..1, per message and
//! per conversation. `compound` stays VADER's; this reads more than sentiment:
//!
//! - per message: the learned model's `frustration` head (when the model has one), the
//!   compound score, cue phrases (persistence, waiting, complaints and insults, profanity),
//!   capitals and runs of `!`/`?` — a logistic combination with configured weights;
//! - per conversation: the message's log-odds plus the customer repeating one of their last
//!   two messages and the sentiment trend, combined with the previous turn's score as a
//!   noisy-or that carries a share of it (`carry`), so frustration builds over several
//!   moderate turns and fades over several calm ones.
//!
//! Pure arithmetic on `Copy` values: no allocation, no lock.

mod config;
mod cues;
pub mod phrases;

pub use config::{FrustrationConfig, FrustrationWeights};
pub use cues::{Cue, Cues, signature, similarity};

/// Cue phrases beyond this many of one list add nothing more.
const MAX_CUES: u8 = 2;

/// Word overlap with an earlier message below this is not a repetition.
const REPEAT_FROM: f32 = 0.5;

/// The log-odds that one message, read alone, is a frustrated customer's. `model` is the
/// learned head's probability, when there is one.
pub fn message_logit(
    w: &FrustrationWeights,
    cues: &Cues,
    compound: f64,
    model: Option<f32>,
) -> f64 {
    let count = |n: u8| f64::from(n.min(MAX_CUES));
    let head = model.map_or(0.0, |p| logit(f64::from(p)));
    w.bias
        + w.model * head
        + w.negative * (-compound).max(0.0)
        + w.positive * compound.max(0.0)
        + w.persistence * count(cues.persistence)
        + w.waiting * count(cues.waiting)
        + w.complaint * count(cues.complaint)
        + w.profanity * count(cues.profanity)
        + w.shouting * f64::from(cues.shouting)
        + w.punctuation * count(cues.punctuation)
}

/// What the conversation adds to a message: it repeats an earlier one (`overlap`, 0..1, the
/// best [`similarity`] with the customer's previous two), and the sentiment `trend`
/// (compound per turn, negative when worsening) once there are two turns.
pub fn in_context(w: &FrustrationWeights, message_logit: f64, overlap: f32, trend: f64) -> f64 {
    let repeated = if overlap >= REPEAT_FROM { f64::from(overlap) } else { 0.0 };
    message_logit + w.repeated * repeated + w.slope * (-trend).max(0.0)
}

/// The conversation's score after a message whose in-context score is `message`: a noisy-or
/// of it and `carry` of the previous score.
pub fn carried(previous: f64, message: f64, carry: f64) -> f64 {
    1.0 - (1.0 - message) * (1.0 - carry * previous)
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Log-odds of a probability, kept finite.
fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_and_negativity_raise_the_score_and_praise_lowers_it() {
        // Every signal weighted, so each one's direction shows (the fitted defaults leave
        // some at zero beside the model head).
        let w = FrustrationWeights {
            negative: 1.0,
            profanity: 1.0,
            punctuation: 0.5,
            ..FrustrationWeights::WITHOUT_MODEL
        };
        let calm = sigmoid(message_logit(&w, &Cues::default(), 0.0, None));
        let cues = Cues { persistence: 1, waiting: 1, punctuation: 1, ..Cues::default() };
        let annoyed = sigmoid(message_logit(&w, &cues, -0.5, None));
        let praise = sigmoid(message_logit(&w, &Cues::default(), 0.9, None));
        assert!(praise < calm && calm < annoyed, "{praise} {calm} {annoyed}");
        // At most two of one list count.
        let many = Cues { profanity: 9, ..Cues::default() };
        let two = Cues { profanity: 2, ..Cues::default() };
        let one = Cues { profanity: 1, ..Cues::default() };
        assert_eq!(message_logit(&w, &many, 0.0, None), message_logit(&w, &two, 0.0, None));
        assert!(message_logit(&w, &two, 0.0, None) > message_logit(&w, &one, 0.0, None));
        // The fitted defaults: with the head, and without it.
        for w in [FrustrationWeights::default(), FrustrationWeights::WITHOUT_MODEL] {
            let calm = message_logit(&w, &Cues::default(), 0.0, None);
            let cues = Cues { persistence: 1, complaint: 1, ..Cues::default() };
            assert!(message_logit(&w, &cues, 0.0, None) > calm);
            assert!(message_logit(&w, &Cues::default(), 0.9, None) < calm);
        }
    }

    #[test]
    fn the_model_head_moves_the_score_both_ways() {
        let w = FrustrationWeights::default();
        let none = message_logit(&w, &Cues::default(), 0.0, None);
        assert!(message_logit(&w, &Cues::default(), 0.0, Some(0.95)) > none);
        assert!(message_logit(&w, &Cues::default(), 0.0, Some(0.05)) < none);
        assert_eq!(message_logit(&w, &Cues::default(), 0.0, Some(0.5)), none);
    }

    #[test]
    fn repetition_and_a_falling_trend_add_in_a_conversation() {
        let w = FrustrationWeights::default();
        assert_eq!(in_context(&w, -1.0, 0.3, 0.2), -1.0, "little overlap, improving");
        assert!(in_context(&w, -1.0, 0.8, 0.0) > -1.0);
        assert!(in_context(&w, -1.0, 0.0, -0.4) > -1.0);
    }

    #[test]
    fn the_conversation_builds_over_moderate_turns_and_fades_over_calm_ones() {
        let mut score = 0.0;
        for _ in 0..4 {
            score = carried(score, 0.5, 0.5);
        }
        assert!(score > 0.65, "{score}");
        let angry = carried(0.0, 0.95, 0.5);
        let mut calmer = angry;
        for _ in 0..3 {
            calmer = carried(calmer, 0.05, 0.5);
        }
        assert!(calmer < 0.25, "{calmer}");
        assert!((carried(0.7, 0.2, 0.0) - 0.2).abs() < 1e-12, "no carry: the message alone");
    }
}
