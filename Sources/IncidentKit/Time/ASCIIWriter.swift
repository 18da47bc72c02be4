/// Writes ASCII digits and punctuation straight into a new String's storage: formatting a date
/// this way costs no intermediate strings, and short results stay in Swift's inline small-string
/// form.
struct ASCIIWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    /// Builds a String of at most `capacity` ASCII bytes.
    static func string(capacity: Int, _ body: (inout ASCIIWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = ASCIIWriter(buffer: buffer)
            body(&writer)
            return writer.count
        }
    }

    /// Writes at most `capacity` ASCII bytes at the end of `out`, with no string made.
    static func append(capacity: Int, to out: ByteBuffer, _ body: (inout ASCIIWriter) -> Void) {
        out.write(capacity: capacity) { buffer in
            var writer = ASCIIWriter(buffer: buffer)
            body(&writer)
            return writer.count
        }
    }

    private init(buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        buffer[count] = b
        count += 1
    }

    mutating func ascii(_ text: StaticString) {
        text.withUTF8Buffer { for b in $0 { byte(b) } }
    }

    /// Exactly two digits, zero-padded; `n` must be 0...99.
    @inline(__always)
    mutating func twoDigits(_ n: Int) {
        byte(UInt8(truncatingIfNeeded: 48 + n / 10))
        byte(UInt8(truncatingIfNeeded: 48 + n % 10))
    }

    /// A non-negative integer without padding.
    mutating func integer(_ n: Int) {
        if n >= 10 { integer(n / 10) }
        byte(UInt8(truncatingIfNeeded: 48 + n % 10))
    }

    /// A year as at least four digits, with a sign before 1 CE (ISO 8601's expanded form).
    mutating func year(_ y: Int) {
        if y < 0 { byte(UInt8(ascii: "-")) }
        let v = y.magnitude
        if v < 1000 { byte(48) }
        if v < 100 { byte(48) }
        if v < 10 { byte(48) }
        integer(Int(v))
    }

    /// `YYYY-MM-DD`.
    mutating func date(year y: Int, month: Int, day: Int) {
        year(y)
        byte(UInt8(ascii: "-"))
        twoDigits(month)
        byte(UInt8(ascii: "-"))
        twoDigits(day)
    }

    /// `HH:MM`, or `HH:MM:SS` with `seconds`.
    mutating func clock(_ secondOfDay: Int, seconds: Bool) {
        twoDigits(secondOfDay / 3600)
        byte(UInt8(ascii: ":"))
        twoDigits(secondOfDay / 60 % 60)
        if seconds {
            byte(UInt8(ascii: ":"))
            twoDigits(secondOfDay % 60)
        }
    }
}
