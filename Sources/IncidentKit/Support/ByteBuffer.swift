import Glibc

/// Bytes appended by `memcpy` into storage that grows geometrically: what long outputs (a JSON
/// listing of 10,000 incidents) are made in. `Array.append(contentsOf:)` of a buffer copied a
/// byte at a time there, and cost more than everything else the listing did.
final class ByteBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let grown = max(capacity * 2, count + extra)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = grown
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        memcpy(base + count, source, bytes.count)
        count += bytes.count
    }

    func append(_ text: StaticString) { text.withUTF8Buffer { append($0) } }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Lets `body` write at most `capacity` bytes in place; it returns how many it wrote.
    func write(capacity: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        reserve(capacity)
        count += body(UnsafeMutableBufferPointer(start: base + count, count: capacity))
    }

    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
