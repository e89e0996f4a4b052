//! The default cue phrase lists of the frustration score. They are cues, not verdicts: each
//! adds a fixed weight to the score's log-odds, and the learned model and the sentiment score
//! weigh against them ("thanks again!" has a persistence cue and a positive compound).

/// Persistence and repetition.
pub const PERSISTENCE: &[&str] = &[
    "again", "once again", "yet again", "still", "second time", "third time", "fourth time",
    "fifth time", "3rd time", "4th time", "5th time", "already told you", "already said",
    "already explained", "already tried", "already did that", "i told you", "as i said",
    "like i said", "i just said", "that is what i said", "how many times", "every time",
    "every single time", "over and over", "keep asking", "keeps happening", "keep getting",
    "same problem", "same issue", "same answer", "multiple times", "several times",
    "numerous times", "countless times", "for the last time", "repeatedly", "nothing has changed",
    "not fixed", "still not", "still no", "still have not", "still does not", "still broken",
];

/// Complaints about waiting and about nobody answering.
pub const WAITING: &[&str] = &[
    "waiting", "been waiting", "still waiting", "kept waiting", "on hold", "for hours",
    "hours now", "for an hour", "over an hour", "for days", "for weeks", "for months", "days now",
    "weeks now", "no response", "no reply", "no answer", "no update", "no updates",
    "no one answers", "nobody answers", "no one gets back", "nobody gets back", "never got back",
    "never heard back", "never called back", "never arrived", "has not arrived", "not arrived yet",
    "yet to receive", "taking forever", "takes forever", "delayed", "late again", "ignored",
    "ignoring me",
];

/// Complaints and insults aimed at the service, the company or the bot; anger named.
pub const COMPLAINT: &[&str] = &[
    "useless", "stupid", "idiot", "idiots", "incompetent", "pathetic", "ridiculous", "absurd",
    "unacceptable", "disgrace", "disgraceful", "disgusting", "shameful", "worst",
    "terrible service", "awful service", "horrible service", "poor service", "bad service",
    "rubbish", "garbage", "trash", "joke", "a joke", "scam", "scammers", "rip off", "ripoff",
    "shambles", "clueless", "moron", "dumb", "waste of time", "waste of my time", "fed up",
    "sick of", "sick and tired", "had enough", "enough is enough", "annoyed", "annoying",
    "frustrated", "frustrating", "furious", "angry", "livid", "fuming", "outraged", "disappointed",
    "disappointing", "never again", "done with you", "thanks for nothing", "complaint", "complain",
    "not good enough", "not acceptable", "not happy", "unhappy", "makes no sense", "not helpful",
    "unhelpful", "you people", "seriously", "are you kidding", "you are kidding",
];

/// Profanity.
pub const PROFANITY: &[&str] = &[
    "fuck", "fucking", "fucked", "fck", "fking", "fkn", "shit", "shitty", "bullshit", "crap",
    "crappy", "damn", "damnit", "goddamn", "bloody", "hell", "wtf", "ffs", "omfg", "piss",
    "pissed", "sucks", "screw you", "screw this", "bs", "bastards", "ass", "asshole",
];
