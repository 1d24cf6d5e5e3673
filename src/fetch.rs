//! `citelint fetch`: a page or document downloaded into the sources root and
//! recorded in `citelint.lock`, so that a claim can cite it (by its path or
//! its URL) and a later change of the page shows. HTTP and HTTPS (rustls),
//! redirects followed by hand (each hop checked and recorded), a timeout, a
//! size cap, and no address on loopback or a private range unless allowed:
//! a claims file must not make CI fetch internal services.

use std::net::{IpAddr, ToSocketAddrs};
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::load::lock::{LockedSource, inside, sha256, write_atomically};

const MAX_REDIRECTS: usize = 10;

/// How long a fetch may take, and how large what it brings may be.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub timeout: Duration,
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { timeout: Duration::from_secs(30), max_bytes: 64 << 20 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("`{0}` is not an http or https URL")]
    Scheme(String),
    #[error("`{url}` resolves to {ip}, a loopback or private address")]
    Private { url: String, ip: IpAddr },
    #[error("cannot resolve the host of `{url}`: {why}")]
    Resolve { url: String, why: String },
    #[error("fetching `{url}` failed: {why}")]
    Http { url: String, why: String },
    #[error("`{url}` answered {status}")]
    Status { url: String, status: u16 },
    #[error("`{url}` redirects more than {MAX_REDIRECTS} times")]
    Redirects { url: String },
    #[error("`{url}` is larger than the cap of {max_bytes} bytes")]
    TooLarge { url: String, max_bytes: u64 },
    #[error("`{0}` is not a path inside the sources root")]
    Outside(String),
    #[error("cannot write `{path}`: {why}")]
    Write { path: String, why: String },
}

/// What a fetch brought back.
pub struct Fetched {
    pub final_url: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// Downloads `url`, following redirects; refuses private addresses unless `allow_private`.
pub fn get(url: &str, allow_private: bool, limits: Limits) -> Result<Fetched, FetchError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("citelint/", env!("CARGO_PKG_VERSION"), " (source archiver)"))
        .build()
        .into();
    let mut at = url.to_owned();
    for _ in 0..=MAX_REDIRECTS {
        let host = check_url(&at, allow_private)?;
        let http = |e: ureq::Error| FetchError::Http { url: at.clone(), why: e.to_string() };
        let mut response = agent.get(&at).call().map_err(http)?;
        let status = response.status().as_u16();
        if (300..400).contains(&status) {
            let next =
                response.headers().get("location").and_then(|l| l.to_str().ok()).ok_or(FetchError::Status { url: at.clone(), status })?;
            at = join(&at, &host, next);
            continue;
        }
        if status != 200 {
            return Err(FetchError::Status { url: at, status });
        }
        let media_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .unwrap_or_default();
        let bytes = response.body_mut().with_config().limit(limits.max_bytes).read_to_vec().map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge { url: at.clone(), max_bytes: limits.max_bytes },
            e => FetchError::Http { url: at.clone(), why: e.to_string() },
        })?;
        return Ok(Fetched { final_url: at, media_type, bytes });
    }
    Err(FetchError::Redirects { url: url.to_owned() })
}

/// The URL's scheme and host checked: http or https, and (unless allowed)
/// no address of the host on loopback or a private range. Returns the
/// scheme and authority (`https://host:port`), for relative redirects.
fn check_url(url: &str, allow_private: bool) -> Result<String, FetchError> {
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).ok_or_else(|| FetchError::Scheme(url.into()))?;
    let scheme_len = url.len() - rest.len();
    let authority = &url[scheme_len..scheme_len + rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let default_port = if lower.starts_with("https") { 443 } else { 80 };
    let (host, port) = split_port(host_port, default_port);
    if !allow_private {
        let addrs = (host.trim_matches(['[', ']']), port)
            .to_socket_addrs()
            .map_err(|e| FetchError::Resolve { url: url.into(), why: e.to_string() })?;
        for a in addrs {
            if is_private(a.ip()) {
                return Err(FetchError::Private { url: url.into(), ip: a.ip() });
            }
        }
    }
    Ok(url[..scheme_len + authority.len()].to_owned())
}

fn split_port(host_port: &str, default: u16) -> (&str, u16) {
    // `[::1]:8080`, `example.org:8080`, `example.org`
    if let Some(end) = host_port.rfind(']') {
        let port = host_port[end + 1..].strip_prefix(':').and_then(|p| p.parse().ok()).unwrap_or(default);
        return (&host_port[..=end], port);
    }
    match host_port.rsplit_once(':') {
        Some((h, p)) if p.parse::<u16>().is_ok() => (h, p.parse().unwrap_or(default)),
        _ => (host_port, default),
    }
}

/// Loopback, private, link-local, unique-local, unspecified, multicast or broadcast.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]) // shared address space
        }
        IpAddr::V6(v6) => {
            let s = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s & 0xfe00) == 0xfc00 // unique local
                || (s & 0xffc0) == 0xfe80 // link local
                || v6.to_ipv4_mapped().is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

/// A redirect's target against the URL it came from.
fn join(from: &str, origin: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_owned();
    }
    if let Some(rest) = location.strip_prefix("//") {
        let scheme = from.split("://").next().unwrap_or("https");
        return format!("{scheme}://{rest}");
    }
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let base = from.split(['?', '#']).next().unwrap_or(from);
    let dir = base.rfind('/').filter(|&i| i >= origin.len()).map_or(base, |i| &base[..=i]);
    let sep = if dir.ends_with('/') { "" } else { "/" };
    format!("{dir}{sep}{location}")
}

/// The file name a URL is saved under: its last path segment (or its
/// host), made safe, with the extension its media type calls for.
pub fn file_name(url: &str, media_type: &str) -> String {
    let path = url.split("://").nth(1).unwrap_or(url).split(['?', '#']).next().unwrap_or("");
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let last = if last.is_empty() || !path.contains('/') { path.split('/').next().unwrap_or("page") } else { last };
    let safe: String = last.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect();
    let safe = safe.trim_matches(['-', '.']).to_owned();
    let safe = if safe.is_empty() { "page".to_owned() } else { safe };
    let ext = extension(media_type);
    match ext {
        Some(e) if !safe.to_ascii_lowercase().ends_with(&format!(".{e}")) => format!("{safe}.{e}"),
        _ => safe,
    }
}

/// The extension the source readers know a media type by.
fn extension(media_type: &str) -> Option<&'static str> {
    match media_type {
        "text/html" | "application/xhtml+xml" => Some("html"),
        "application/pdf" => Some("pdf"),
        "text/plain" => Some("txt"),
        _ => None,
    }
}

/// Saves what was fetched at `rel` under `root` (never outside it), atomically, and its lock entry.
pub fn save(root: &Path, rel: &str, url: &str, f: &Fetched) -> Result<LockedSource, FetchError> {
    if !inside(rel) {
        return Err(FetchError::Outside(rel.into()));
    }
    let path = root.join(rel);
    let write = |why: String| FetchError::Write { path: path.display().to_string(), why };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| write(e.to_string()))?;
        // A folder under the root may be a link out of it.
        let (dir, root) = (dir.canonicalize().map_err(|e| write(e.to_string()))?, root.canonicalize().map_err(|e| write(e.to_string()))?);
        if !dir.starts_with(&root) {
            return Err(FetchError::Outside(rel.into()));
        }
    }
    write_atomically(&path, &f.bytes).map_err(|e| write(e.to_string()))?;
    Ok(LockedSource {
        path: rel.replace('\\', "/"),
        sha256: sha256(&f.bytes),
        size: f.bytes.len() as u64,
        url: Some(url.to_owned()),
        final_url: (f.final_url != url).then(|| f.final_url.clone()),
        retrieved: Some(rfc3339(SystemTime::now())),
        media_type: (!f.media_type.is_empty()).then(|| f.media_type.clone()),
        passages: Vec::new(),
    })
}

/// A time as RFC 3339 in UTC, to the second.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_385_600)), "2026-12-04T12:00:00Z");
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn private_addresses_are_known() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.5",
            "169.254.1.1",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn names_come_from_the_url_and_the_media_type() {
        assert_eq!(file_name("https://example.org/news/libraries", "text/html"), "libraries.html");
        assert_eq!(file_name("https://example.org/report.pdf?x=1", "application/pdf"), "report.pdf");
        assert_eq!(file_name("https://example.org/", "text/html"), "example.org.html");
        assert_eq!(file_name("http://example.org/a b/../c%20d", "text/plain"), "c-20d.txt");
    }

    #[test]
    fn redirects_resolve_against_where_they_came_from() {
        assert_eq!(join("http://a.org/x/y", "http://a.org", "/z"), "http://a.org/z");
        assert_eq!(join("http://a.org/x/y", "http://a.org", "z"), "http://a.org/x/z");
        assert_eq!(join("https://a.org/x", "https://a.org", "//b.org/q"), "https://b.org/q");
        assert_eq!(join("http://a.org/x", "http://a.org", "https://c.org/"), "https://c.org/");
    }

    #[test]
    fn schemes_other_than_http_are_refused() {
        assert!(matches!(check_url("file:///etc/passwd", false), Err(FetchError::Scheme(_))));
        assert!(matches!(check_url("ftp://example.org/x", true), Err(FetchError::Scheme(_))));
        assert!(matches!(check_url("http://127.0.0.1:9/x", false), Err(FetchError::Private { .. })));
        assert_eq!(check_url("http://127.0.0.1:9/x", true).unwrap(), "http://127.0.0.1:9");
    }
}
