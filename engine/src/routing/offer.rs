//! How an offer to an agent ended: the closed set the engine counts and `baton_offers_total`
//! labels.

/// The outcome of one offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfferOutcome {
    Accepted,
    Declined,
    TimedOut,
    /// Withdrawn because the customer left.
    Revoked,
    /// Taken back because the agent left.
    Returned,
}

impl OfferOutcome {
    pub const ALL: [OfferOutcome; 5] = [
        OfferOutcome::Accepted,
        OfferOutcome::Declined,
        OfferOutcome::TimedOut,
        OfferOutcome::Revoked,
        OfferOutcome::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferOutcome::Accepted => "accepted",
            OfferOutcome::Declined => "declined",
            OfferOutcome::TimedOut => "timed_out",
            OfferOutcome::Revoked => "revoked",
            OfferOutcome::Returned => "returned",
        }
    }

    /// Its place in [`OfferOutcome::ALL`] (and in a count per outcome).
    pub fn index(self) -> usize {
        self as usize
    }
}
