//! A small closed scale for how the customer feels, so an agent can pick the right opening at
//! a glance: calm, concerned, frustrated, angry — from the worse of the latest message's
//! compound score and the conversation's moving average, with thresholds in config.

use serde::{Deserialize, Serialize};

use crate::escalation::Sentiment;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mood {
    Calm,
    Concerned,
    Frustrated,
    Angry,
}

impl Mood {
    pub const ALL: [Mood; 4] = [Mood::Calm, Mood::Concerned, Mood::Frustrated, Mood::Angry];

    pub fn as_str(self) -> &'static str {
        match self {
            Mood::Calm => "calm",
            Mood::Concerned => "concerned",
            Mood::Frustrated => "frustrated",
            Mood::Angry => "angry",
        }
    }
}

/// Compound scores at or below which a customer counts as concerned, frustrated, angry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MoodThresholds {
    pub concerned: f64,
    pub frustrated: f64,
    pub angry: f64,
}

impl Default for MoodThresholds {
    fn default() -> Self {
        MoodThresholds { concerned: -0.05, frustrated: -0.35, angry: -0.65 }
    }
}

impl MoodThresholds {
    /// Ordered and within [-1, 1].
    pub fn is_valid(&self) -> bool {
        (-1.0..=1.0).contains(&self.angry)
            && self.angry < self.frustrated
            && self.frustrated < self.concerned
            && self.concerned <= 1.0
    }

    pub fn mood(&self, sentiment: &Sentiment) -> Mood {
        let worst = sentiment.last.min(sentiment.ewma);
        if worst <= self.angry {
            Mood::Angry
        } else if worst <= self.frustrated {
            Mood::Frustrated
        } else if worst <= self.concerned {
            Mood::Concerned
        } else {
            Mood::Calm
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worse_of_last_and_average_decides() {
        let t = MoodThresholds::default();
        assert!(t.is_valid());
        let s = |last, ewma| Sentiment { last, ewma, min: last, trend: 0.0 };
        assert_eq!(t.mood(&s(0.4, 0.3)), Mood::Calm);
        assert_eq!(t.mood(&s(0.0, -0.1)), Mood::Concerned);
        assert_eq!(t.mood(&s(-0.5, 0.2)), Mood::Frustrated);
        assert_eq!(t.mood(&s(0.1, -0.7)), Mood::Angry);
        assert!(!MoodThresholds { concerned: -0.5, frustrated: -0.3, angry: -0.7 }.is_valid());
    }
}
