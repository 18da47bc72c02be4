import Foundation

/// The frame every page shares: doctype, a Content-Security-Policy that allows nothing from
/// outside the site, the stylesheet and script, the navigation landmark, `main` and the footer.
public struct SitePage: Sendable {
    /// Where the page sits, for relative links: "" at the top, "../" one folder down.
    public var root: String
    public var title: String
    /// Which navigation entry is this page (its file name), for `aria-current`.
    public var current: String
    /// The status page's navigation: only its own pages, never a link into the internal site.
    public var isPublic = false
    /// Inline the stylesheet and script (a report is one self-contained file); the policy then
    /// allows exactly those two by their SHA-256, and still nothing else.
    public var inline = false

    public init(
        root: String, title: String, current: String, isPublic: Bool = false,
        inline: Bool = false
    ) {
        self.root = root
        self.title = title
        self.current = current
        self.isPublic = isPublic
        self.inline = inline
    }

    static func hashSource(_ text: String) -> String {
        let digest = SHA256.digest(Array(text.utf8))
        return "'sha256-" + Data(digest).base64EncodedString() + "'"
    }

    /// The policy: nothing by default; the site's own style and script; images only as data.
    var policy: String {
        let style = inline ? Self.hashSource(SiteAssets.css) : "'self'"
        let script = inline ? Self.hashSource(SiteAssets.js) : "'self'"
        return "default-src 'none'; style-src \(style); script-src \(script); img-src 'self' "
            + "data:; base-uri 'none'; form-action 'self'"
    }

    public func render(_ body: String, description: String? = nil) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(policy)\">\n"
        out += "<meta name=\"referrer\" content=\"no-referrer\">\n"
        out += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        if let description {
            out +=
                "<meta name=\"description\" "
                + "content=\"\(HTML.escape(description))\">\n"
        }
        out += "<title>\(HTML.short(title, 120))</title>\n"
        if inline {
            out += "<style>" + SiteAssets.css + "</style>\n<script>" + SiteAssets.js + "</script>\n"
        } else {
            out += "<link rel=\"stylesheet\" href=\"\(root)assets/site.css\">\n"
            out += "<script src=\"\(root)assets/site.js\"></script>\n"
        }
        if isPublic {
            out +=
                "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Status updates\" "
                + "href=\"\(root)feed.atom\">\n"
        }
        out += "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
        out += "<header class=\"site\"><nav aria-label=\"Site\">\n"
        if isPublic {
            out += "<span class=\"brand\">Status</span>\n"
            out +=
                link("index.html", "Current status") + link("feed.atom", "Atom feed")
                + link("api/v2/summary.json", "JSON")
        } else if inline {
            out += "<span class=\"brand\">irctl report</span>\n"
        } else {
            out += "<span class=\"brand\">irctl</span>\n"
            out +=
                link("index.html", "Overview") + link("archive.html", "Archive")
                + link("metrics.html", "Metrics") + link("status/index.html", "Status page")
        }
        out += "</nav></header>\n<main id=\"main\">\n" + body + "</main>\n"
        out +=
            "<footer>"
            + (isPublic
                ? "Times in UTC. Subscribe to the <a href=\"\(root)feed.atom\">Atom feed</a>."
                : "Built by irctl from the incident store. Times in UTC.") + "</footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    private func link(_ file: String, _ label: String) -> String {
        let current = file == self.current ? " aria-current=\"page\"" : ""
        return "<a href=\"\(root)\(file)\"\(current)>\(label)</a>\n"
    }
}

/// How the site writes times and durations: UTC, to the minute, the same on every machine.
enum SiteTime {
    static let utc = TimeDisplay(timeZone: TimeZone(secondsFromGMT: 0)!, utc: false)

    /// `<time datetime="…">2026-11-21 14:05 UTC</time>`.
    static func tag(_ date: Date) -> String {
        "<time datetime=\"\(Timestamp.format(date))\">\(utc.dateTime(date)) UTC</time>"
    }

    static func plain(_ date: Date) -> String { utc.dateTime(date) + " UTC" }

    static func day(_ date: Date) -> String { utc.date(date) }

    static func month(_ date: Date) -> String { String(utc.date(date).prefix(7)) }

    static func epoch(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}

/// A coordinate with one decimal, written without `String(format:)`, which costs too much over
/// thousands of pages.
func svgNumber(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = Int((value * 10).rounded())
    let whole = tenths / 10
    let fraction = abs(tenths % 10)
    let sign = tenths < 0 && whole == 0 ? "-" : ""
    return fraction == 0 ? sign + String(whole) : sign + String(whole) + "." + String(fraction)
}
