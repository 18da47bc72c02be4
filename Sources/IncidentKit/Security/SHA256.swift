/// SHA-256 (FIPS 180-4) in pure Swift, for the tamper-evident timeline hash chain.
///
/// No CryptoKit or OpenSSL on Linux without a package, so the hash is written here and
/// tested against the NIST vectors and the system `sha256sum`.
public enum SHA256 {
    /// Returns the 32-byte SHA-256 digest of `bytes`.
    public static func digest<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        // Hash straight from contiguous storage when the collection has it (Array, Data,
        // String.UTF8View…); copy once otherwise.
        if let result = bytes.withContiguousStorageIfAvailable({
            digest(buffer: UnsafeRawBufferPointer($0))
        }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { digest(buffer: $0) }
    }

    /// Returns the lowercase hex of the SHA-256 digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        hexString(digest(bytes))
    }

    /// Returns the lowercase hex of the SHA-256 digest of the UTF-8 bytes of `string`.
    public static func hex(_ string: String) -> String {
        var string = string
        // withUTF8 makes a native contiguous copy only if the string is bridged or not UTF-8.
        return string.withUTF8 { hexString(digest(buffer: UnsafeRawBufferPointer($0))) }
    }

    // MARK: - Internals

    static let initialState: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]

    static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
        0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7,
        0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc,
        0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351,
        0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e,
        0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585,
        0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f,
        0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
        0xc671_78f2,
    ]

    static func digest(buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var state = initialState
        var schedule = [UInt32](repeating: 0, count: 64)
        let fullBlocks = buffer.count / 64
        state.withUnsafeMutableBufferPointer { h in
            schedule.withUnsafeMutableBufferPointer { w in
                roundConstants.withUnsafeBufferPointer { k in
                    for block in 0..<fullBlocks {
                        compress(
                            UnsafeRawBufferPointer(
                                rebasing: buffer[(block * 64)..<(block * 64 + 64)]), h, w, k)
                    }
                    // Padding: 0x80, zeros, then the bit length as a big-endian UInt64; one or two
                    // blocks.
                    var tail = [UInt8](buffer[(fullBlocks * 64)...])
                    tail.append(0x80)
                    while tail.count % 64 != 56 { tail.append(0) }
                    let bitLength = UInt64(buffer.count) &* 8
                    for shift in stride(from: 56, through: 0, by: -8) {
                        tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
                    }
                    tail.withUnsafeBytes { tailBytes in
                        for block in 0..<(tailBytes.count / 64) {
                            compress(
                                UnsafeRawBufferPointer(
                                    rebasing: tailBytes[(block * 64)..<(block * 64 + 64)]), h, w, k)
                        }
                    }
                }
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in state {
            out.append(UInt8(truncatingIfNeeded: word >> 24))
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
        }
        return out
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// Processes one 64-byte block into `h`, using `w` as the message-schedule scratch space.
    private static func compress(
        _ block: UnsafeRawBufferPointer,
        _ h: UnsafeMutableBufferPointer<UInt32>,
        _ w: UnsafeMutableBufferPointer<UInt32>,
        _ k: UnsafeBufferPointer<UInt32>
    ) {
        for t in 0..<16 {
            let i = t * 4
            w[t] =
                UInt32(block[i]) << 24 | UInt32(block[i + 1]) << 16 | UInt32(block[i + 2]) << 8
                | UInt32(block[i + 3])
        }
        for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var a = h[0]
        var b = h[1]
        var c = h[2]
        var d = h[3]
        var e = h[4]
        var f = h[5]
        var g = h[6]
        var hh = h[7]
        for t in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            hh = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
        }
        h[0] = h[0] &+ a
        h[1] = h[1] &+ b
        h[2] = h[2] &+ c
        h[3] = h[3] &+ d
        h[4] = h[4] &+ e
        h[5] = h[5] &+ f
        h[6] = h[6] &+ g
        h[7] = h[7] &+ hh
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func hexString(_ bytes: [UInt8]) -> String {
        var chars = [UInt8]()
        chars.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            chars.append(hexDigits[Int(byte >> 4)])
            chars.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: chars, as: UTF8.self)
    }
}
