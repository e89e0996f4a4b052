//! `baton audit`: the audit trail as JSON lines, read from the data directory, or, while a
//! running `baton serve` holds that directory (its lock), from the server's admin endpoint.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::journal::{AuditFilter, FjallBackend, StoreError, read_audit};

/// What `baton audit` was asked.
#[derive(Debug)]
pub(super) struct AuditArgs {
    pub data_dir: PathBuf,
    pub admin: String,
    pub filter: AuditFilter,
}

/// Prints every record the filter takes, oldest first; returns how many.
pub(super) fn print(args: &AuditArgs, out: &mut impl Write) -> anyhow::Result<usize> {
    if !args.data_dir.is_dir() {
        bail!("no data directory at {} (pass --data-dir)", args.data_dir.display());
    }
    match FjallBackend::open(&args.data_dir) {
        Ok(backend) => from_store(&backend, &args.filter, out),
        Err(StoreError::Locked(_)) => {
            from_server(&args.admin, &args.filter, out).with_context(|| {
                format!(
                    "{} is held by a running server; reading its trail from http://{}/audit failed \
                 (pass --admin with the server's admin address)",
                    args.data_dir.display(),
                    args.admin
                )
            })
        }
        Err(e) => Err(e.into()),
    }
}

fn from_store(
    backend: &FjallBackend,
    filter: &AuditFilter,
    out: &mut impl Write,
) -> anyhow::Result<usize> {
    let mut count = 0;
    let mut failed = None;
    read_audit(backend, filter, |record| {
        if failed.is_none() {
            let line = serde_json::to_string(&record).map_err(std::io::Error::other);
            if let Err(e) = line.and_then(|line| writeln!(out, "{line}")) {
                failed = Some(e);
            }
            count += 1;
        }
        Ok(())
    })?;
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(count),
    }
}

/// `GET /audit` on the admin address, plain HTTP/1.1 over loopback (the admin endpoint's).
fn from_server(admin: &str, filter: &AuditFilter, out: &mut impl Write) -> anyhow::Result<usize> {
    let mut query = format!("since={}", filter.since_ms);
    if let Some(conversation) = &filter.conversation {
        query.push_str(&format!("&conversation={}", encode(conversation)));
    }
    if let Some(agent) = &filter.agent {
        query.push_str(&format!("&agent={}", encode(agent)));
    }
    let mut stream = std::net::TcpStream::connect(admin)
        .with_context(|| format!("cannot connect to {admin}"))?;
    write!(stream, "GET /audit?{query} HTTP/1.1\r\nHost: {admin}\r\nConnection: close\r\n\r\n")?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        bail!("{admin} answered without HTTP headers");
    };
    let status = head.lines().next().unwrap_or_default();
    if !status.contains(" 200 ") {
        bail!("{admin} answered {status}: {}", body.trim());
    }
    out.write_all(body.as_bytes())?;
    Ok(body.lines().count())
}

/// Percent-encodes a query value (ids are plain, but nothing is assumed).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `--since`: RFC 3339 in UTC (`2026-12-01T09:00:00Z`), Unix milliseconds, or a span before
/// `now_ms` (`90s`, `30m`, `24h`, `7d`).
pub(super) fn parse_since(text: &str, now_ms: u64) -> anyhow::Result<u64> {
    let text = text.trim();
    if let Ok(ms) = text.parse::<u64>() {
        return Ok(ms);
    }
    let unit = |suffix: &str, ms: u64| {
        text.strip_suffix(suffix).and_then(|n| n.parse::<u64>().ok()).map(|n| n.saturating_mul(ms))
    };
    let span = unit("s", 1000)
        .or_else(|| unit("m", 60_000))
        .or_else(|| unit("h", 3_600_000))
        .or_else(|| unit("d", 86_400_000));
    if let Some(span) = span {
        return Ok(now_ms.saturating_sub(span));
    }
    rfc3339_ms(text).with_context(|| {
        format!(
            "--since {text:?}: expected RFC 3339 in UTC (2026-12-01T09:00:00Z), Unix \
             milliseconds, or a span ago (30m, 24h, 7d)"
        )
    })
}

fn rfc3339_ms(text: &str) -> anyhow::Result<u64> {
    let text = text.strip_suffix('Z').or_else(|| text.strip_suffix("+00:00"));
    let Some(text) = text else { bail!("not UTC") };
    let (date, time) = text.split_once(['T', ' ']).context("no time")?;
    let date: Vec<&str> = date.split('-').collect();
    let [year, month, day] = date.as_slice() else { bail!("bad date") };
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let clock: Vec<&str> = clock.split(':').collect();
    let [hour, minute, second] = clock.as_slice() else { bail!("bad time") };
    let (year, month, day): (i64, u32, u32) = (year.parse()?, month.parse()?, day.parse()?);
    let (hour, minute, second): (u64, u64, u64) = (hour.parse()?, minute.parse()?, second.parse()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        bail!("out of range");
    }
    let millis: u64 = match fraction {
        "" => 0,
        f => format!("{f:0<3}")[..3].parse()?,
    };
    let days = u64::try_from(days_from_civil(year, month, day)).context("before 1970")?;
    Ok(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Where `baton serve` keeps its data unless told otherwise.
pub(super) fn default_dir(configured: Option<&Path>) -> PathBuf {
    configured.map_or_else(|| PathBuf::from("baton-data"), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_rfc3339_unix_ms_and_spans() {
        assert_eq!(parse_since("1970-01-01T00:00:00Z", 0).expect("parses"), 0);
        assert_eq!(parse_since("2026-12-01T09:00:00Z", 0).expect("parses"), 1_796_115_600_000);
        assert_eq!(
            parse_since("2000-03-01T00:00:00.25+00:00", 0).expect("parses"),
            951_868_800_250
        );
        assert_eq!(parse_since("1796115600000", 0).expect("parses"), 1_796_115_600_000);
        assert_eq!(parse_since("30m", 10_000_000).expect("parses"), 8_200_000);
        assert_eq!(parse_since("7d", 1_000).expect("parses"), 0);
        let bad = parse_since("yesterday", 0).expect_err("refused");
        assert!(format!("{bad:#}").contains("RFC 3339"), "{bad:#}");
        assert!(parse_since("2026-13-01T00:00:00Z", 0).is_err());
        assert!(parse_since("2026-12-01T09:00:00+01:00", 0).is_err());
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("conv-1_a.b~"), "conv-1_a.b~");
        assert_eq!(encode("a b&c=d"), "a%20b%26c%3Dd");
    }
}
