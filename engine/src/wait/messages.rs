//! The words a waiting customer reads: templates filled with the queue, the position and a
//! banded wait ("about 2 minutes", never a false-precision "117 seconds").

use super::config::MessagesConfig;

/// The values a template can mention.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fields<'a> {
    /// 0 = next in line (rendered as 1).
    pub position: usize,
    pub queue: &'a str,
    pub wait: &'a str,
    pub agent: &'a str,
    pub team: &'a str,
}

/// The band of a wait: its index (`bands.len()` beyond the last, `usize::MAX` unknown) and
/// its words.
pub(crate) fn band(config: &MessagesConfig, estimate_ms: Option<u64>) -> (usize, &str) {
    let Some(ms) = estimate_ms else { return (usize::MAX, &config.unknown) };
    match config.bands.iter().position(|b| ms <= b.up_to_s.saturating_mul(1000)) {
        Some(i) => (i, &config.bands[i].text),
        None => (config.bands.len(), &config.beyond),
    }
}

/// Fills a template (placeholders were checked when the configuration was loaded).
pub(crate) fn render(template: &str, fields: Fields<'_>) -> String {
    let position = (fields.position + 1).to_string();
    template
        .replace("{position}", &position)
        .replace("{queue}", fields.queue)
        .replace("{wait}", fields.wait)
        .replace("{agent}", fields.agent)
        .replace("{team}", fields.team)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_templates() {
        let config = MessagesConfig::default();
        assert_eq!(band(&config, Some(45_000)), (0, "less than a minute"));
        assert_eq!(band(&config, Some(100_000)), (1, "about 2 minutes"));
        assert_eq!(band(&config, Some(900_000)), (4, "about 15 minutes"));
        assert_eq!(band(&config, Some(10_000_000)).1, "more than an hour");
        assert_eq!(band(&config, None).1, "longer than usual");
        let text = render(
            &config.queued,
            Fields { position: 2, queue: "billing", wait: "about 2 minutes", ..Fields::default() },
        );
        assert_eq!(
            text,
            "Thanks for waiting. You're number 3 in line for our billing team; the wait is about 2 minutes."
        );
    }
}
